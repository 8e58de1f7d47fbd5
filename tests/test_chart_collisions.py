"""Charts whole and legible at 390 px (issue 18 item 2): in both layouts (wide, and the
phone layout of :func:`dbanalysis.plotting.style.narrow`) and both languages, no two
texts of a chart the notebooks draw overlap, and no text sits on a bar or marker it does
not label (:func:`helpers_charts.text_collisions`, measured on the drawn figure).

``make test-quick`` draws each chart in one (language, layout) variant, rotated along the
charts (:func:`helpers_charts.chart_variants`: each language and layout across the
charts); ``make test`` in all four."""

import pytest
from helpers_charts import (
    NOTEBOOK_CHARTS,
    chart_png,
    chart_variants,
    fresh_chart,
    text_collisions,
)

from dbanalysis.core.language import using

pytestmark = pytest.mark.usefixtures("house_style")


@pytest.mark.parametrize(("name", "lang", "layout"), [
    pytest.param(name, lang, layout, id=f"{name}-{lang}-{layout}")
    for name in NOTEBOOK_CHARTS for lang, layout in chart_variants(name)])
def test_no_chart_text_overlaps_another_or_a_mark_it_does_not_label(name, lang, layout):
    """Measured twice on a fresh chart: drawn at the figure's dpi, and in the draw that
    writes its PNG (:func:`helpers_charts.chart_png`, the PNG the other chart tests read
    too). The wide layout's PNG is at the figure's dpi: the draw that lays it out before
    writing it is the first measure; the phone layout's is at twice the dpi (text hinted
    otherwise), so its first measure is made on another fresh chart."""
    chart = chart_png(name, lang, layout)
    drawn = chart.drawn
    if drawn is None:
        with using(lang):
            drawn = text_collisions(fig := fresh_chart(name, lang, layout))
        fig.clf()
    png = chart.collisions
    found = [f"{c} (drawn)" for c in drawn] + [f"{c} (PNG)" for c in png if c not in drawn]
    assert not found, f"{name} ({lang}, {layout}): " + "; ".join(found)
