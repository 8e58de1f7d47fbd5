
import pandas as pd
import pytest
from helpers_data import move_fewer_communes

from dbanalysis.audit.run import SCHEMA, run_audit, summary_by_sector, summary_line
from dbanalysis.catalogue import vocab
from dbanalysis.core import schema


@pytest.fixture(scope="module")
def audit():
    return run_audit().set_index("check_id")


#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


def _edit(csv, figure_id, **changes):
    df = pd.read_csv(csv, dtype=str, keep_default_na=False)
    for col, val in changes.items():
        df.loc[df["figure_id"] == figure_id, col] = val
    df.to_csv(csv, index=False)


def test_shape_and_vocabulary(audit):
    assert list(audit.reset_index().columns) == schema.load(SCHEMA).columns
    assert set(audit["verdict"]) <= set(vocab.verdict_ids())
    assert audit["explanation"].str.len().min() > 40
    assert len(audit) >= 50


@pytest.mark.parametrize(("check_id", "verdict"), [
    ("sum_industrial_output", "consistent"),
    ("baseline_poultry_flock", "inconsistent"),
    ("baseline_poultry_flock_in_millions", "consistent"),
    ("communes_sec_forum_communes_total", "ambiguous"),  # 25 before the 2019 move, 21 after
    ("communes_health_communes_total", "consistent"),
    ("communes_new_rural_within_district", "consistent"),
    ("communes_health_station_built_plus_pending", "consistent"),
    ("growth_cattle", "ambiguous"),
    ("target_culture_villages_target_district", "consistent"),
    ("target_culture_villages_target_province", "consistent"),
    ("target_culture_families_target_district", "unverifiable"),
    ("poverty_change_reading", "ambiguous"),
    ("plausibility_budget_per_head", "ambiguous"),
    ("growth_trade_turnover", "unverifiable"),
    ("budget_plan_and_2015", "unverifiable"),
    ("range_new_rural_criteria", "consistent"),
    ("subset_award_grassroots_emulation_fighters", "consistent"),
])
def test_verdicts_on_the_report(audit, check_id, verdict):
    assert audit.loc[check_id, "verdict"] == verdict, audit.loc[check_id, "explanation"]


def test_explanations_carry_both_readings(audit):
    cattle = audit.loc["growth_cattle", "explanation"]
    assert "3.50%" in cattle and "2.79%" in cattle and "3.74%" in cattle
    assert "fits neither" in cattle and "mean of the yearly rates, it is possible" in cattle
    # that reading needs yearly rates far apart (review vi7 W1): the text says so
    assert "only if the yearly rates swung widely" in cattle
    pov = audit.loc["poverty_change_reading", "explanation"]
    # each 2015 rate as every page writes it (the display rule: 29.06 adds printed
    # numbers, 15.3 is a ratio, three significant figures)
    assert "29.06%" in pov and "15.3%" in pov and "15.34" not in pov


def test_a_growth_rate_is_inconsistent_only_below_every_compound_reading(data_copy):
    """The stated herd growth has two readings while it is at least a compound rate (a mean
    of yearly rates is never below it); below both it is inconsistent."""
    # a rise of 20,769 from 22,229 head: 17.8% a year over 4 years, 14.1% over 5
    _edit(data_copy / "figures.csv", "agri_cattle_change", quote="20.769 gia đình được công nhận",
          unit="family")
    a = run_audit().set_index("check_id")
    assert a.loc["growth_cattle", "verdict"] == "inconsistent", a.loc["growth_cattle",
                                                                     "explanation"]


def test_tolerances_follow_printed_precision(audit):
    # four billion-VND figures printed to the unit: 4 x 0.5
    assert audit.loc["sum_industrial_output", "tolerance"] == pytest.approx(2.0)
    # 342 villages exact; 105,23 % to 2 decimals
    assert audit.loc["target_culture_villages_target_district", "tolerance"] == pytest.approx(
        342 / 1.05225 - 342 / 1.0523, rel=1e-6)


def test_swapped_component_breaks_the_industrial_sum(data_copy):
    _edit(data_copy / "figures.csv", "ind_output_processing", quote="hộ cá thể đạt: 489 tỷ đồng")
    a = run_audit().set_index("check_id")
    assert a.loc["sum_industrial_output", "verdict"] == "inconsistent"
    assert a.loc["sum_industrial_output", "observed"] == 783 + 489 + 489


def test_commune_check_flips_when_the_count_agrees(data_copy):
    _edit(data_copy / "figures.csv", "sec_forum_communes_total", quote="19/21 xã có nhà trạm y tế")
    a = run_audit().set_index("check_id")
    assert a.loc["communes_sec_forum_communes_total", "verdict"] == "consistent"


def test_commune_check_names_both_readings_only_for_the_count_before_the_move(audit, data_copy):
    """QA-0305 S1: 25 communes is the district's 21 plus the 4 moved to the city in 2019
    (outside knowledge): two readings at different dates, each named; any other count that
    differs from the district's is inconsistent (here: 3 communes moved, so 25 fits neither)."""
    en = audit.loc["communes_sec_forum_communes_total", "explanation"]
    assert "25 is the count before the move and 21 the count after" in en
    assert "(outside knowledge, not checked here)" in en
    vi = audit.loc["communes_sec_forum_communes_total", "explanation_vi"]
    assert "25 là số xã trước khi chuyển, 21 là số xã sau khi chuyển" in vi
    move_fewer_communes(data_copy)
    a = run_audit().set_index("check_id")
    assert a.loc["communes_sec_forum_communes_total", "verdict"] == "inconsistent"


def test_the_communes_moved_edit_sets_the_cell_however_the_file_is_written(data_copy):
    """The tests' one edit of the moved communes (helpers_data.move_fewer_communes) sets
    the value by its column: with every cell of reference.csv quoted, a string replace
    of ``communes_moved_to_city,4,`` (the three copies it replaces) edited nothing."""
    import csv

    path = data_copy / "reference.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n").writerows(rows)
    move_fewer_communes(data_copy)
    a = run_audit().set_index("check_id")
    assert a.loc["communes_sec_forum_communes_total", "verdict"] == "inconsistent"


def test_summaries(audit):
    table = summary_by_sector(audit.reset_index())
    assert list(table.columns) == vocab.verdict_ids()
    assert table.to_numpy().sum() == len(audit)
    line = summary_line(audit.reset_index())
    assert line.startswith(f"{len(audit)} checks: ") and "inconsistent" in line


# --- claims and wording (dbanalysis.audit.claims) -------------------------------------

@pytest.mark.parametrize(("check_id", "verdict"), [
    ("claim_stations_doctor_resolution", "ambiguous"),
    ("claim_doctor_density_resolution", "unverifiable"),
    ("claim_poverty_rate_for_count", "ambiguous"),
    ("claim_pm_movements", "ambiguous"),
    ("claim_targets_met", "unverifiable"),
    ("claim_health_criteria_forecast", "consistent"),
])
def test_claim_verdicts_on_the_report(audit, check_id, verdict):
    assert audit.loc[check_id, "verdict"] == verdict, audit.loc[check_id, "explanation"]


def test_claim_explanations_in_both_languages(audit):
    claims = audit[audit.index.str.startswith("claim_")]
    assert len(claims) == 6
    assert (claims["explanation_vi"].str.len() > 40).all()
    st = claims.loc["claim_stations_doctor_resolution"]
    # 19 of 21 stations = 90.5 %, in each language's notation
    assert "90.5%" in st["explanation"] and "90,5%" in st["explanation_vi"]
    assert "19/21 Trạm y tế xã có bác sỹ, đạt 100% NQ" in st["explanation"]
    pm = claims.loc["claim_pm_movements"]
    assert "tỉnh Điện Biên" in pm["explanation"] and "outside knowledge" in pm["explanation"]
    assert "“chung tay” in one paragraph and “chung sức” in another" in pm["explanation"]
    # REVIEW-vi4 A4: one movement under two wordings, not "one movement, two names" and then
    # "another movement" in the next breath
    assert "the one new-rural movement" in pm["explanation"]
    assert "Cùng một phong trào" in pm["explanation_vi"] and "một phong trào, hai tên" not in \
        pm["explanation_vi"]


def test_stations_claim_flips_when_every_station_has_a_doctor(data_copy):
    # the unit follows the new quote's unit word ('xã'), as loading requires
    _edit(data_copy / "figures.csv", "health_stations_with_doctor", quote="21/21 xã đạt tiêu chí",
          unit="commune")
    a = run_audit().set_index("check_id")
    assert a.loc["claim_stations_doctor_resolution", "verdict"] == "consistent"


TARGETS = ["budget_revenue_vs_plan", "culture_villages_vs_district",
           "culture_villages_vs_province", "culture_families_vs_district",
           "culture_families_vs_province", "def_conscription"]


def test_targets_claim_is_checked_only_by_results_against_the_resolution(data_copy):
    """'Targets of the resolution met': results against a yearly plan or a quota cannot
    confirm it (unverifiable on the report); with only results against the resolution
    ('NQ') left, all at 100% or more, it holds."""
    a = run_audit().set_index("check_id")
    assert a.loc["claim_targets_met", "verdict"] == "unverifiable"
    for fid in TARGETS:  # no longer results against a plan: only the two 'NQ' remain
        _edit(data_copy / "figures.csv", fid, kind="share")
    a = run_audit().set_index("check_id")
    assert a.loc["claim_targets_met", "verdict"] == "consistent", a.loc[
        "claim_targets_met", "explanation"]


def test_poverty_wording_flips_when_the_quote_names_a_rate(data_copy):
    _edit(data_copy / "figures.csv", "labour_poverty_rate", quote="nghèo toàn huyện còn 12,85%")
    a = run_audit().set_index("check_id")
    assert a.loc["claim_poverty_rate_for_count", "verdict"] == "consistent"


def test_movement_count_flips_when_the_stated_count_differs(data_copy):
    _edit(data_copy / "figures.csv", "emul_pm_movements", quote="03 cụm liên kết", unit="cluster")
    a = run_audit().set_index("check_id")
    assert a.loc["claim_pm_movements", "verdict"] == "inconsistent"


def test_every_check_is_explained_in_vietnamese(audit):
    assert (audit["explanation_vi"].str.len() > 30).all(), list(
        audit.index[audit["explanation_vi"].str.len() <= 30])
    # Vietnamese notation: decimal comma, thousands dot
    assert "29,06%" in audit.loc["poverty_change_reading", "explanation_vi"]
    assert "1.033,772 tỷ đồng" in audit.loc["plausibility_budget_per_head", "explanation_vi"]
    assert "không khớp" in audit.loc["baseline_poultry_flock", "explanation_vi"]


def test_household_size_is_a_central_value_with_the_populations_range(audit):
    """REVIEW-vi3 A7: 4,76 people per household was called an upper bound ("tối đa", "cận
    trên"), but it uses the central population; it bounds the size only with respect to
    the households (if every one signed the pledge). The explanation gives the range that
    the population's low and high readings imply, around the central value."""
    from helpers_data import derived_table

    from dbanalysis.catalogue.figures import load_figures
    from dbanalysis.derive import precision

    d = derived_table().set_index("figure_id")
    hh = float(load_figures().set_index("figure_id").loc["sec_households_pledged", "value"])
    sizes = sorted(d.loc[f"d_health_population_{end}", "value"] / hh for end in ("low", "high"))
    low, high = (precision.display_text("d_persons_per_household", "vi", v) for v in sizes)
    mid = precision.display_text("d_persons_per_household", "vi")
    assert sizes[0] < d.loc["d_persons_per_household", "value"] < sizes[1]
    row = audit.loc["plausibility_household_size"]
    assert f"khoảng {mid} người/hộ ({low}–{high} theo khoảng dân số)" in row["explanation_vi"]
    assert "tối đa" not in row["explanation_vi"] and "at most" not in row["explanation"]
    assert "miền núi" not in row["explanation_vi"]  # the 2–7 range is a general one
    label = d.loc["d_persons_per_household"]
    assert "cận trên" not in label["label_vi"] and "upper bound" not in label["label_en"]
