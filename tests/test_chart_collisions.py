"""Charts whole and legible at 390 px (issue 18 item 2): in both layouts (wide, and the
phone layout of :func:`dbanalysis.plotting.style.narrow`) and both languages, no two
texts of a chart the notebooks draw overlap, and no text sits on a bar or marker it does
not label (:func:`helpers_charts.text_collisions`, measured on the drawn figure)."""

import pytest
from helpers_charts import png_collisions, text_collisions

import dbanalysis as db
from dbanalysis.core.language import using
from dbanalysis.plotting.style import narrow

pytestmark = pytest.mark.usefixtures("house_style")

#: Every chart of the report, called as its notebook calls it (figure numbers as the
#: site gives them; titles and captions are not drawn into the image).
NOTEBOOK_CHARTS = {
    "0.1 change_since_2015": lambda: db.change_since_2015(title="t"),
    "0.2 plan_achievement": lambda: db.plan_achievement(title="t"),
    "1.1 slope": lambda: db.slope_2015_2019(
        ["agri_cattle", "agri_aquaculture_area", "agri_fish_output"], title="t"),
    "2.1 composition_bar": lambda: db.composition_bar(
        "ind_output_total", ["ind_output_enterprises", "ind_output_households",
                             "ind_output_processing"], title="t"),
    "3.1 level_bars": lambda: db.level_bars(
        ["d_budget_revenue_2015", "d_budget_revenue_plan", "budget_revenue"],
        ranges={"d_budget_revenue_2015": ("d_budget_revenue_2015_low",
                                          "d_budget_revenue_2015_high")}, title="t"),
    "4.1 reading_paths": lambda: db.reading_paths(db.change_readings("labour_poverty_rate"),
                                                  legend_loc="upper right", title="t"),
    "5.1 coverage_bars": lambda: db.coverage_bars(db.pairs(["culture", "tourism"]), title="t"),
    "5.2 achievement_bars": lambda: db.achievement_bars(
        ["culture_villages_vs_district", "culture_villages_vs_province",
         "culture_families_vs_district", "culture_families_vs_province"], title="t"),
    "6.1 share_bars_of": lambda: db.share_bars_of(
        [("edu_schools_standard", "edu_schools_total"), "edu_teachers_qualified",
         "edu_teachers_above_standard"], title="t"),
    "7.1 share_bars_of": lambda: db.share_bars_of(
        [("health_communes_with_station", "health_communes_total"),
         ("health_stations_with_doctor", "health_stations_total"),
         ("health_communes_national_criteria", "health_communes_national_criteria_total")],
        extensions={"health_communes_with_station": "health_communes_station_pending"},
        title="t"),
    "8.1 share_bars_of": lambda: db.share_bars_of(
        [("def_units_good", "def_units_total"), ("sec_forum_communes", "sec_forum_communes_total"),
         ("sec_forum_communes", "award_communes")], title="t"),
    "10.1 parts_bar": lambda: db.parts_bar(
        "award_communes", ["nr_communes_met", "nr_communes_near"], title="t"),
    "11.1 award_hierarchy": lambda: db.award_hierarchy(title="t"),
}


def _build(name: str, layout: str):
    if layout == "phone":
        with narrow():
            return NOTEBOOK_CHARTS[name]()
    return NOTEBOOK_CHARTS[name]()


@pytest.mark.parametrize("layout", ["wide", "phone"])
@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("name", list(NOTEBOOK_CHARTS))
def test_no_chart_text_overlaps_another_or_a_mark_it_does_not_label(name, lang, layout):
    """Measured twice, each on a fresh chart: drawn at the figure's dpi, and in the draw
    that writes its PNG (the phone layout's is at twice the dpi: text hinted otherwise)."""
    with using(lang):
        drawn = text_collisions(fig := _build(name, layout))
        fig.clf()
        png = png_collisions(fig := _build(name, layout))
        fig.clf()
    found = [f"{c} (drawn)" for c in drawn] + [f"{c} (PNG)" for c in png if c not in drawn]
    assert not found, f"{name} ({lang}, {layout}): " + "; ".join(found)
