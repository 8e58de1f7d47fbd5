"""The period and dating words of the report as the charts draw them (moved here from
test_periods_and_reader_text.py, which checks them in the labels and pages: a module of
the chart group, ``conftest.CHART_GROUP``, reads the charts the group builds once per
process, or its kept copies; in another worker a cold run built Figures 1.1 and 0.2 there
a second time, ~0.5 s of CPU)."""

import pytest
from helpers_charts import read_chart

pytestmark = pytest.mark.usefixtures("house_style")


def test_figure_1_1_says_the_to_date_gloss_once_in_its_subtitle():
    """Figure 1.1 says the report's "to date" gloss once, in its subtitle
    (``chart.subtitle.to_date``), in both editions: its title states the finding only
    (test_periods_and_reader_text.test_no_label_types_the_reports_to_date_words: no label
    but ``to_date.words`` types "đến nay")."""
    from dbanalysis.catalogue.figure_labels import to_date_gloss

    for lang in ("en", "vi"):
        meta = read_chart("1.1 slope", lang).dbanalysis  # as notebook 01 draws it
        # the figures' own words, as its rows and tables quote them (REVIEW-vi25 A1)
        assert to_date_gloss(lang, "agri_cattle") in meta["subtitle"], meta
        assert "(tính)" not in meta["subtitle"], meta
        assert meta["alt"].count("đến nay") == 1, meta["alt"]  # the subtitle says it once


@pytest.mark.parametrize("layout", ["wide", "phone"])
def test_a_charts_bracketed_period_never_breaks_inside(layout):
    """REVIEW-vi25 A3: Figure 0.2's rows broke inside their period's brackets, «(không nêu
    / năm)», «(hàng / năm)», «(không / nêu năm)»: the words of ``chart.period.unstated`` and
    ``chart.period.annual`` are held with no-break spaces, as :func:`figure_labels.held`
    holds Figure 0.1's quoted words, so every wrap keeps them on one line. On the rows of
    Figure 0.2 as drawn, both editions, and at every width a chart wraps at."""
    from dbanalysis.plotting.chart_text import period_text, wrap

    for lang in ("en", "vi"):
        for period in ("unstated", "annual"):
            words = period_text(period, lang).strip()
            assert words.startswith("(") and " " not in words, words
            for width in range(20, 60):
                lines = wrap(f"Gọi công dân nhập ngũ so với chỉ tiêu {words}", width)
                assert [ln for ln in lines.split("\n") if ln.count("(") != ln.count(")")] \
                    == [], lines
        fig = read_chart("0.2 plan_achievement", lang, layout)
        # row names: tick labels (wide) or the texts above the bars (phone, "row-label")
        rows = [t.get_text() for ax in fig.axes for t in ax.get_yticklabels()] + \
            [t.get_text() for ax in fig.axes for t in ax.texts if t.get_gid() == "row-label"]
        bracketed = [r for r in rows if period_text("unstated", lang).strip() in
                     r.replace("\n", "")]
        assert bracketed, rows
        for r in rows:
            assert [ln for ln in r.split("\n") if ln.count("(") != ln.count(")")] == [], r
