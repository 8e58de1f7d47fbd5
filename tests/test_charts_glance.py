"""The two charts of the front page (Figure 0.1, every change since 2015 drawn as what it
is; Figure 0.2, achievement against the plan), honest as every chart is
(test_charts_honest.py, whence these checks were split): each value drawn as how it is
known, written by the display rule, every plan figure against its 100 % line, both
readings of a result open to two."""

import pytest
from helpers_charts import chart_langs, read_chart, sweep_chart, swept

from dbanalysis import plotting as pl
from dbanalysis.catalogue.figures import load_figures
from dbanalysis.core.language import using
from dbanalysis.derive import precision
from dbanalysis.notebook import sectorview as sv
from dbanalysis.plotting.chart_text import text
from dbanalysis.views import glance

pytestmark = pytest.mark.usefixtures("house_style")


def test_change_since_2015_view_marks_how_each_change_is_known():
    d = glance.changes_since_2015().set_index("indicator")
    figs = load_figures()
    changes = figs[figs["kind"] == "change_vs_2015"]
    assert set(changes["indicator"]) <= set(d.index)
    assert d.loc["budget_revenue", "status"] == glance.STATED
    assert d.loc["budget_revenue", "low"] == figs.set_index("figure_id").loc[
        "budget_revenue_change", "value"]
    cattle = d.loc["cattle_herd"]
    # the stated level and rise, and the stated yearly growth over 4 or 5 years: a range
    val = figs.set_index("figure_id")["value"]
    from_level = (val["agri_cattle"] / (val["agri_cattle"] - val["agri_cattle_change"]) - 1) * 100
    assert from_level == pytest.approx(sv.derived_value("d_agri_cattle_change_pct"))
    g_cattle = val["agri_cattle_growth"] / 100
    readings = [from_level, ((1 + g_cattle) ** 4 - 1) * 100, ((1 + g_cattle) ** 5 - 1) * 100]
    assert cattle["status"] == glance.READINGS
    assert (cattle["low"], cattle["high"]) == pytest.approx((min(readings), max(readings)))
    assert d.loc["poultry_flock", "status"] == glance.CORRECTED
    poverty = d.loc["poverty_rate"]
    assert poverty["status"] == glance.READINGS and poverty["high"] < 0
    rate = figs.set_index("figure_id")["value"]
    # percentage points: 2015 rate = rate + fall; relative: the stated fall itself
    pp = (rate["labour_poverty_rate"] / (rate["labour_poverty_rate"]
                                         + rate["labour_poverty_change"]) - 1) * 100
    assert poverty["low"] == pytest.approx(pp)
    assert poverty["high"] == pytest.approx(-rate["labour_poverty_change"])
    trade = d.loc["trade_turnover"]
    g = rate["trade_turnover_growth"] / 100
    assert trade["status"] == glance.READINGS
    assert (trade["low"], trade["high"]) == pytest.approx(
        (((1 + g) ** 4 - 1) * 100, ((1 + g) ** 5 - 1) * 100))


def test_change_since_2015_chart_draws_each_change_as_what_it_is():
    """One mark per value, styled by how it is known; an assumption named on its row with
    the stated rate; every row's end year; money nominal; the rate's change in its own
    panel in percentage points; the legend counts the marks."""
    rows = glance.change_rows()
    fig = read_chart("0.1 change_since_2015")
    level_ax, rate_ax = fig.axes[0], fig.axes[1]
    assert level_ax.get_xlabel() == "change since 2015 (%)"
    assert rate_ax.get_xlabel() == "change since 2015 (percentage points)"
    marks = [ln for ax in fig.axes for ln in ax.get_lines()
             if str(ln.get_gid()).startswith("change:")]
    assert len(marks) == len(rows)
    drawn = {}
    for ln in marks:
        status = ln.get_gid().rsplit(":", 1)[1]
        drawn[status] = drawn.get(status, 0) + 1
        hollow = ln.get_markerfacecolor() == "white"
        assert hollow == (status in ("derived", "corrected", "reading")), ln.get_gid()
    assert drawn["assumed"] == int((rows["status"] == "assumed").sum()) >= 4
    assert {ln.get_marker() for ln in marks if ln.get_gid().endswith(":assumed")} == {"^"}
    # the legend counts what is drawn
    legend = [t.get_text() for t in fig.axes[-1].get_legend().get_texts()]
    assert legend == [text("chart.legend.count", "en",
                           name=text(f"chart.glance.legend.{s}", "en"), n=drawn[s])
                      for s in glance.ROW_STATUSES if s in drawn]
    assert all(f"{drawn[s]}" in entry for s, entry in zip(
        [s for s in glance.ROW_STATUSES if s in drawn], legend, strict=True))
    # rows name their end year, the assumption, nominal money; the rate apart
    labels = [t.get_text().replace("\n", " ") for ax in fig.axes for t in ax.get_yticklabels()]
    assert all("2015–20" in lbl for lbl in labels)  # labels.csv year_span
    assert sum("if 13% held every year" in lbl for lbl in labels) == 2
    assert any("(nominal)" in lbl and "budget" in lbl.lower() for lbl in labels)
    rate_labels = [t.get_text() for t in rate_ax.get_yticklabels()]
    assert rate_labels and all("poverty" in t.casefold() for t in rate_labels)
    assert not any("poverty" in t.get_text() for t in level_ax.get_yticklabels())
    assert "nominal" in fig.dbanalysis["subtitle"]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_change_since_2015_writes_each_change_by_the_display_rule(lang):
    """Each drawn change is written as the page's prose and tables write its figure
    (three significant figures for a ratio: +63.0% beside +84.2%, not +63%)."""
    rows = glance.change_rows()
    with using(lang):
        fig = read_chart("0.1 change_since_2015", lang)
    written = [t.get_text().strip() for ax in fig.axes for t in ax.texts
               if t.get_text().strip()[:1] in "+−"]
    expected = [("+" if r.value > 0 else "−")
                + precision.display_text(r.value_id, lang, abs(r.value)) for r in
                rows.sort_values("panel", kind="stable").itertuples()]
    assert len(written) == len(rows)
    for text_, number in zip(written, expected, strict=True):
        assert text_.startswith(number) and not text_[len(number):len(number) + 1].isdigit(), \
            (text_, number)
    comma = "," if lang == "vi" else "."
    assert f"+63{comma}0%" in written and f"+84{comma}2%" in written


def test_plan_achievement_has_every_plan_figure_and_a_100_percent_line():
    d = glance.plan_achievements()
    figs = load_figures()
    assert list(d["figure_id"]) == list(figs.loc[figs["kind"] == "achievement_vs_plan",
                                                 "figure_id"])
    fig = swept("0.2 plan_achievement")  # of the default rows: d
    ax = fig.axes[0]
    ref = [ln for ln in ax.get_lines() if ln.get_gid() == "target-line"]
    assert ref and ref[0].get_xdata()[0] == 100 and ax.get_xlim()[0] == 0
    widths = {p.get_gid(): p.get_width() for p in ax.patches}
    assert all(widths[f"bar:{i}"] == v for i, v in zip(d["figure_id"], d["value"], strict=True))
    flagged = d.assign(doubt=[True] + [False] * (len(d) - 1))
    bars = {p.get_gid(): p for p in pl.plan_achievement(flagged).axes[0].patches}
    first, second = d["figure_id"].iloc[0], d["figure_id"].iloc[1]
    # the audit's doubt has its own mark (an outline), never the hatch of qualified values
    assert f"questioned:{first}" in bars and not bars[f"bar:{first}"].get_hatch()
    assert f"questioned:{second}" not in bars


def test_a_result_with_two_readings_draws_both():
    """QA-0305 S2: Figure 0.2 drew only the 100% reading of "stations with a doctor against
    the resolution target"; the other, 19 of 21 = 90.5% of a target of every station,
    was nowhere on the chart. Each row a check finds open to two readings now carries a
    hollow marker at the derived value of the other reading (from the audit's check and
    the derivations, not typed), named on its row and declared in the legend; the data
    table lists that derived figure."""
    from dbanalysis.derive.lookup import derived_frame

    d = glance.plan_achievements()
    two = d[d["other_reading"].notna()]
    assert list(two["figure_id"]) == ["health_stations_doctor_vs_resolution"]
    other = two["other_reading"].iloc[0]
    assert other == "d_health_stations_doctor_share"
    assert two["other_value"].iloc[0] == derived_frame().loc[other, "value"]
    for lang in chart_langs("0.2 plan_achievement"):
        fig = sweep_chart("0.2 plan_achievement", lang)
        ax = fig.axes[0]
        marks = [ln for ln in ax.get_lines() if ln.get_gid() == f"other:{two['figure_id'].iloc[0]}"]
        assert len(marks) == 1 and marks[0].get_xdata()[0] == two["other_value"].iloc[0]
        assert marks[0].get_markerfacecolor() == "white"  # hollow
        bar = next(p for p in ax.patches if p.get_gid() == f"bar:{two['figure_id'].iloc[0]}")
        y = bar.get_y() + bar.get_height() / 2
        assert abs(marks[0].get_ydata()[0] - y) < 1e-9  # on the result's own row
        with using(lang):
            shown = precision.display_text(other, lang)
            legend = text("chart.legend.other_reading")
        words = " ".join(t.get_text() for t in ax.texts) + " ".join(
            t.get_text() for t in ax.get_yticklabels())
        assert shown in " ".join(words.split()), (lang, shown)
        assert " ".join(legend.split()) in [" ".join(t.get_text().split())
                                            for t in ax.get_legend().get_texts()]
        assert other in fig.dbanalysis["figure_ids"] or any(
            shown in " ".join(row) for row in fig.dbanalysis["rows"])
