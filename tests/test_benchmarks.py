"""What an achievement is measured against, a plan (kế hoạch) or a target (chỉ tiêu): read
from each figure's own quote (data/vocab/benchmarks.csv), and said by the achievement
charts as the report says it (REVIEW-vi5 B6(c): Fig. 5.2's four bars are all chỉ tiêu)."""

from __future__ import annotations

import csv

import pytest
from helpers_charts import read_chart, sweep_cases, sweep_chart

from dbanalysis.catalogue.figures import CatalogError, benchmark, load_figures
from dbanalysis.core import paths
from dbanalysis.core.language import using
from dbanalysis.plotting import chart_text

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


def _said(fig) -> tuple[str, list[str]]:
    """The x-axis label and the legend entries of an achievement chart."""
    ax = fig.axes[0]
    legend = ax.get_legend() or fig.legends[0]
    return ax.get_xlabel(), [" ".join(t.get_text().split()) for t in legend.get_texts()]


def test_each_achievement_takes_the_word_its_quote_uses():
    figs = load_figures()
    achievements = figs[figs["kind"] == "achievement_vs_plan"]
    found = {f.figure_id: benchmark(f.figure_id) for f in achievements.itertuples()}
    for f in achievements.itertuples():
        says_plan, says_target = "kế hoạch" in f.quote, "chỉ tiêu" in f.quote
        if says_plan or says_target:
            assert found[f.figure_id] == ("plan" if says_plan else "target"), f.quote
    # the one plan of the report, and the culture paragraph's four targets
    assert found["budget_revenue_vs_plan"] == "plan"
    assert {found[i] for i in found if i.startswith("culture_")} == {"target"}
    with pytest.raises(ValueError, match="not an achievement"):
        benchmark("budget_revenue")


@pytest.mark.parametrize("lang, axis, line", sweep_cases("5.2 achievement_bars", [
    ("vi", "% so với chỉ tiêu", "vạch 100%: đạt đúng chỉ tiêu"),
    ("en", "% of target", "100% line: target met exactly"),
]))
def test_fig_5_2_of_four_targets_says_target_not_plan(lang, axis, line):
    xlabel, legend = _said(read_chart("5.2 achievement_bars", lang))
    assert xlabel == axis
    assert legend == [line]
    assert "kế hoạch" not in xlabel + " ".join(legend)
    assert "plan" not in xlabel + " ".join(legend)


@pytest.mark.parametrize("lang, axis, line", sweep_cases("0.2 plan_achievement", [
    ("vi", "% so với kế hoạch, chỉ tiêu", "vạch 100%: đạt đúng kế hoạch, chỉ tiêu"),
    ("en", "% of plan or target", "100% line: plan or target met exactly"),
]))
def test_fig_0_2_mixing_plans_and_targets_names_both(lang, axis, line):
    # (make test-quick: in the layout its sweep draws, where the axis title may wrap)
    xlabel, legend = _said(sweep_chart("0.2 plan_achievement", lang))
    assert " ".join(xlabel.split()) == axis
    assert legend[0] == line


def test_a_chart_of_plans_only_says_plan():
    for lang, word in (("vi", "kế hoạch"), ("en", "plan")):
        with using(lang):
            assert chart_text.benchmark(["budget_revenue_vs_plan"]) == word
            assert chart_text.benchmark(["budget_revenue_vs_plan", "def_conscription"]) \
                == ("kế hoạch, chỉ tiêu" if lang == "vi" else "plan or target")


def _edit_row(data, figure_id: str, **changes) -> int:
    """Rewrite one row of the copy's figures.csv; its line number."""
    path = data / "figures.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    line = next(n for n, r in enumerate(rows, start=2) if r["figure_id"] == figure_id)
    rows[line - 2].update(changes)
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return line


def test_an_achievement_whose_quote_names_no_benchmark_is_refused(data_copy):
    # "95% dân số được phủ sóng": no word for a plan or a target
    line = _edit_row(data_copy, "infra_population_broadcast", kind="achievement_vs_plan")
    with pytest.raises(CatalogError) as err:
        load_figures(paths.figures_path())
    msg = str(err.value)
    assert "figures.csv" in msg and f"line {line}" in msg and "infra_population_broadcast" in msg
    assert "names neither" in msg and "benchmarks.csv" in msg


def test_a_benchmark_word_outside_the_vocabulary_is_refused(data_copy):
    with (data_copy / "vocab" / "benchmarks.csv").open("a", encoding="utf-8") as fh:
        fh.write("định mức,quota\n")
    with pytest.raises(Exception, match=r"(?s)benchmarks\.csv.*quota"):
        load_figures(paths.figures_path())
