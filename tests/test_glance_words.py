"""Figures 0.1 and 0.2 (the district at a glance) as a reader hears and reads them: the
alt text says what a drawn sign means, not the sign (NOTE-session7 A9)."""

from __future__ import annotations

import pytest
from helpers_charts import chart_langs, sweep_chart

from dbanalysis.core.language import using
from dbanalysis.plotting.chart_text import text
from dbanalysis.views.text import plain

pytestmark = pytest.mark.usefixtures("house_style")

#: Signs a chart draws as a key to a mark, which a screen reader reads by their names
#: ("white circle", "mũi tên phải"), not by what they stand for.
DRAWN_SIGNS = "○●◇□■△▲→"


def test_figure_0_2_alt_text_says_the_other_reading_not_its_sign():
    """Figure 0.2 names the other reading of "đạt 100% NQ" on its row after the sign of
    its hollow marker ("○ 90.5% if the target was every station"); the alt text said the
    sign too, which a screen reader reads as "white circle". It says the reading's words
    and value alone, in each language; the row on the chart keeps the sign."""
    other = "d_health_stations_doctor_share"
    for lang in chart_langs("0.2 plan_achievement"):
        fig = sweep_chart("0.2 plan_achievement", lang)
        alt = fig.dbanalysis["alt"]
        assert not any(sign in alt for sign in DRAWN_SIGNS), (lang, alt)
        with using(lang):
            words = text(f"chart.other_reading.{other}", value=plain("{" + other + "}"))
            drawn = text("chart.mark.other_reading", reading=words)
        assert words in alt, (lang, alt)
        ax = fig.axes[0]  # a row's name: a tick label, or on a phone a text over its bar
        names = " ".join(" ".join(t.get_text().split())
                         for t in [*ax.get_yticklabels(), *ax.texts])
        assert " ".join(drawn.split()) in names, (lang, names)
