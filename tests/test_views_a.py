"""Derivations and charts of notebooks 02-05 (industry … tourism)."""

import re

import pytest
from helpers_charts import chart_ids

from dbanalysis import plotting as pl
from dbanalysis.catalogue.figures import figure
from dbanalysis.core.language import using
from dbanalysis.notebook import sectorview as sv

pytestmark = pytest.mark.usefixtures("house_style")


def _v(fid):
    return figure(fid)["value"]


def test_change_direction_from_quote():
    assert sv.change_direction("labour_poverty_change") == -1
    assert sv.change_direction("budget_revenue_change") == 1
    with pytest.raises(ValueError):
        sv.change_direction("labour_jobs")


def test_implied_targets_invert_the_achievement():
    t = sv.implied_targets(["budget_revenue_vs_plan", "culture_villages_vs_district"])
    assert list(t["result_id"]) == ["budget_revenue", "culture_villages"]
    for _, r in t.iterrows():
        assert r["implied_target"] * r["achievement"] / 100 == pytest.approx(r["result"])
        assert r["status"] == "derived"
    with pytest.raises(ValueError):
        sv.implied_targets(["budget_revenue"])


def test_relative_change_points_budget():
    d = sv.relative_change_points("budget_revenue")
    base = d.loc[d["status"] == "derived", "value"].iloc[0]
    assert base * (1 + _v("budget_revenue_change") / 100) == pytest.approx(_v("budget_revenue"))
    assert list(d["year"]) == [2015, 2019]


def test_change_readings_poverty_both_readings():
    d = sv.change_readings("labour_poverty_rate")
    der = d[d["status"] == "derived"].set_index("reading_key")["value"]
    rate, change = _v("labour_poverty_rate"), _v("labour_poverty_change")
    assert der["pp"] == pytest.approx(rate + change)
    assert der["relative"] * (1 - change / 100) == pytest.approx(rate)
    assert der["pp"] > der["relative"] > rate
    assert set(d["reading"]) == set([sv.reading_label(k, "en") for k in sv.READINGS])


def test_growth_paths_are_assumptions_ending_at_the_level():
    d = sv.growth_paths("trade_turnover", end_years=(2019, 2020))
    rate = _v("trade_turnover_growth") / 100
    for _, g in d.groupby("reading"):
        g = g.sort_values("year")
        assert g["value"].iloc[-1] == _v("trade_turnover")
        assert list(g["status"])[:-1] == ["assumed"] * (len(g) - 1)
        ratios = (g["value"].values[1:] / g["value"].values[:-1])
        assert ratios == pytest.approx([1 + rate] * len(ratios))


def test_composition_residual():
    c = sv.composition("ind_output_total")
    assert c["status"].tolist()[-1] == "derived"
    total = _v("ind_output_total")
    assert c["value"].iloc[:-1].sum() + c["value"].iloc[-1] == pytest.approx(total)


def test_implied_population_interval():
    p = sv.implied_population()
    assert p["low"] < p["value"] < p["high"]
    assert p["value"] == pytest.approx(_v("health_doctors") / _v("health_doctor_density") * 1e4)


def test_knowledge_table_implied_resolves_and_flags():
    k = sv.knowledge_table_implied("budget")
    assert not ((k["status"] == "unknown") & (k["indicator"] == "budget_revenue")).any()
    assert (k["status"] == "derived").sum() == 2
    k = sv.knowledge_table_implied("labour")
    pov = k[k["indicator"] == "poverty_rate"]
    assert (pov["status"] == "derived").sum() == 2 and (pov["status"] == "unknown").sum() == 1
    k = sv.knowledge_table_implied("trade")
    assert (k["status"] == "unknown").sum() == 2 and (k["status"] == "derived").sum() == 0


def test_reading_paths_legend_names_readings_and_hollow_derived():
    fig = pl.reading_paths(sv.change_readings("labour_poverty_rate"), title="finding")
    ax = fig.axes[0]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    # each reading with the value it starts from (chart.legend.reading_start)
    assert any(re.fullmatch(r"read as percentage points: from [\d.]+%", t) for t in legend)
    assert any(re.fullmatch(r"read as % of the 2015 rate: from [\d.]+%", t) for t in legend)
    # REVIEW-vi25 A2: the base year once a line (the relative reading names it, the x axis
    # gives the start), the two readings parallel in both editions: "giảm …" each
    with using("vi"):
        fig_vi = pl.reading_paths(sv.change_readings("labour_poverty_rate", "vi"), title="t")
    legend_vi = [t.get_text() for t in fig_vi.axes[0].get_legend().get_texts()]
    for line in legend + legend_vi:
        assert line.count("2015") <= 1, line
    assert any(re.fullmatch(r"giảm theo điểm phần trăm: xuất phát từ [\d,]+%", t)
               for t in legend_vi), legend_vi
    assert any(re.fullmatch(r"giảm tương đối so với tỷ lệ năm 2015: xuất phát từ [\d,]+%",
                            t) for t in legend_vi), legend_vi
    lines = {ln.get_gid(): ln for ln in ax.get_lines()}
    assert lines["derived:0"].get_markerfacecolor() == "white"
    assert lines["path:0"].get_linestyle() == "--"
    ids = chart_ids(fig)
    assert "labour_poverty_rate" in ids and "labour_poverty_change" in ids


def test_reading_paths_never_draw_assumed_values_as_points():
    paths = sv.growth_paths("trade_turnover", end_years=(2019, 2020))
    fig = pl.reading_paths(paths, title="t")
    ax = fig.axes[0]
    points = {(float(x), round(float(y), 6)) for ln in ax.get_lines()
              if ln.get_marker() not in (None, "None", "") and ln.get_linestyle() == "None"
              for x, y in zip(ln.get_xdata(), ln.get_ydata(), strict=True)}
    assumed = paths[(paths["status"] == sv.ASSUMED) & (paths["year"] > 2015)]
    assert len(assumed) > 0
    assert not {(float(y), round(float(v), 6)) for y, v in zip(assumed["year"], assumed["value"],
                                                               strict=True)} & points
    paths_drawn = [ln for ln in ax.get_lines() if str(ln.get_gid()).startswith("path:")]
    assert paths_drawn and all(ln.get_linestyle() == ":" for ln in paths_drawn)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert any(t.startswith("assumed path, not data") for t in legend)


def test_reading_paths_draw_a_stated_value_of_unknown_year_once():
    paths = sv.growth_paths("trade_turnover", end_years=(2019, 2020))
    ax = pl.reading_paths(paths, title="t").axes[0]
    stated = paths[paths["status"] == sv.STATED]
    assert stated["value"].nunique() == 1 and stated["year"].nunique() == 2
    once = [ln for ln in ax.get_lines() if ln.get_gid() == "stated:year-unknown"]
    assert len(once) == 1
    assert list(once[0].get_xdata()) == sorted(stated["year"])
    assert not [ln for ln in ax.get_lines() if ln.get_gid() == "stated"]
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "stated estimate, year not stated (2019 or 2020)" in legend


def test_reading_paths_stated_label_caveats_the_stated_point():
    points = sv.relative_change_points("budget_revenue")
    plain = [t.get_text() for t in pl.reading_paths(points, title="t").axes[0]
             .get_legend().get_texts()]
    assert "stated" in plain
    fig = pl.reading_paths(points, title="t", stated_label="stated (2019)")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert "stated (2019)" in legend and "stated" not in legend


def test_reading_paths_budget_source_ids():
    fig = pl.reading_paths(sv.relative_change_points("budget_revenue"), title="t")
    ids = chart_ids(fig)
    assert "budget_revenue" in ids and "budget_revenue_change" in ids


def test_share_bars_range_bar_count_bars():
    fig = pl.share_bars(sv.figure_ids_for("infrastructure"), title="t")
    assert fig.axes[0].get_xlim()[0] == 0
    with pytest.raises(ValueError):
        pl.share_bars(["labour_jobs"])
    fig = pl.range_bar("culture_sport_people_low", "culture_sport_people_high", title="t")
    bar = next(p for p in fig.axes[0].patches if p.get_gid() == "range")
    assert bar.get_x() == _v("culture_sport_people_low")
    assert bar.get_width() == _v("culture_sport_people_high") - _v("culture_sport_people_low")
    fig = pl.count_bars(["labour_jobs", "labour_trainees"], title="t")
    hatched = next(p for p in fig.axes[0].patches if p.get_gid() == "bar:labour_jobs")
    assert hatched.get_hatch()


def test_industry_to_tourism_views_in_vietnamese():
    pl.set_language("vi")
    fig = pl.reading_paths(sv.change_readings("labour_poverty_rate"), title="t")
    legend = " ".join(t.get_text() for t in fig.axes[0].get_legend().get_texts())
    assert "điểm phần trăm" in legend and "29,06%" in legend
    assert pl.vietnamese_font_check(legend)[1] == set()


def test_the_relative_reading_names_the_declared_base_year(monkeypatch, tmp_path):
    """The relative reading of "giảm …%" on a rate is "% of the 2015 rate": the label
    ``reading.relative`` typed the year beside the declared ``derive.ids.BASE_YEAR``,
    and views.changes typed it in its readings' points. With BASE_YEAR moved, the
    reading's name (both editions) and its derived points' year follow; no
    ``reading.*`` label types a year. The derivations are computed (and remembered)
    at the declared year first, and nothing computed under the moved year reaches the
    shared disk cache (FINAL25-B: run alone on an empty cache, the derived table built
    under 2016, 147 rows of 150, was kept for every later run of the same code)."""
    import re

    from dbanalysis.core import labels
    from dbanalysis.derive import ids
    from dbanalysis.derive.lookup import derived_frame

    declared = derived_frame().index.tolist()
    with monkeypatch.context() as patch:
        patch.setattr(ids, "BASE_YEAR", 2016)
        patch.setenv("DBANALYSIS_CACHE", str(tmp_path))
        for lang in ("en", "vi"):
            name = sv.reading_label("relative", lang)
            assert "2016" in name and "2015" not in name, name
            d = sv.change_readings("labour_poverty_rate", lang)
            assert set(d.loc[d["status"] == "derived", "year"]) == {2016}, d
            assert name in set(d["reading"]), d
    # what a later run reads: the shared disk cache, not this process's memory of it
    from dbanalysis.core import cache

    monkeypatch.setattr(cache, "_memory", {})
    assert derived_frame().index.tolist() == declared
    typed = [k for k, lab in labels.table().items()
             if k.startswith("reading.") and re.search(r"(?:19|20)\d\d", lab.en + lab.vi)]
    assert typed == [], typed
