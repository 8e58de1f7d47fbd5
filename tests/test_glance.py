import pytest
from helpers_quotes import quote_number as q

from dbanalysis import glance
from dbanalysis.catalog import load_figures
from dbanalysis.derive import derived_figures


@pytest.fixture(scope="module")
def changes():
    return glance.changes("en")


def test_every_reading_is_a_catalogued_or_derived_figure(changes):
    known = set(load_figures()["figure_id"]) | set(derived_figures()["figure_id"])
    assert set(changes["figure_id"]) <= known
    assert set(changes["status"]) == {"stated", "derived", "corrected"}


def test_change_values_are_read_not_computed(changes):
    by = changes.set_index("figure_id")["value"]
    # stated: the printed percentage itself; derived: level change over the 2015 base
    assert by["budget_revenue_change"] == q("budget_revenue_change")
    assert by["d_agri_fish_output_change_pct"] == pytest.approx(
        q("agri_fish_output_change") / (q("agri_fish_output") - q("agri_fish_output_change"))
        * 100)
    assert by["d_labour_poverty_rate_change_pct_relative"] == pytest.approx(
        -q("labour_poverty_change"))


def test_ambiguous_readings_become_ranges():
    r = glance.change_ranges("en").set_index("indicator")
    pov = r.loc["labour_poverty_rate"]
    assert pov["readings"] == 2 and pov["low"] < pov["high"] < 0
    assert pov["statuses"] == "stated;derived"
    assert "poverty_change_reading" in pov["checks"]
    cattle = r.loc["agri_cattle"]
    assert cattle["readings"] == 3 and "growth_cattle" in cattle["checks"]
    assert r.loc["agri_aquaculture_area", "low"] == r.loc["agri_aquaculture_area", "high"]
    # the as-printed poultry flock has no possible 2015 value: only the corrected reading
    assert r.loc["agri_poultry", "statuses"] == "corrected"


def test_achievements_name_what_they_are_measured_against():
    a = glance.achievements("vi").set_index("figure_id")
    assert len(a) == (load_figures()["kind"] == "achievement_vs_plan").sum()
    assert a.loc["budget_revenue_vs_plan", "basis"] == "plan"
    assert a.loc["culture_villages_vs_province", "basis"] == "provincial_target"
    assert a.loc["health_stations_doctor_vs_resolution", "basis"] == "resolution"
    assert a.loc["def_conscription", "basis_label"] == "so với chỉ tiêu giao"
    assert "claim_stations_doctor_resolution" in a.loc[
        "health_stations_doctor_vs_resolution", "checks"]
    with pytest.raises(ValueError, match="no plan"):
        glance.basis("đạt 100%")


def test_level_only_figures_exclude_changes_and_achievements():
    ids = glance.level_only_ids()
    figs = load_figures().set_index("figure_id")
    assert "agri_cattle" not in ids and "budget_revenue_vs_plan" not in ids
    assert "agri_sown_area" in ids and "edu_schools_standard" in ids
    assert set(figs.loc[ids, "kind"]) <= set(glance.LEVEL_KINDS)
    assert "awards" not in set(figs.loc[ids, "sector"])
    assert "award_gov_flag" in glance.level_only_ids(exclude_sectors=())
