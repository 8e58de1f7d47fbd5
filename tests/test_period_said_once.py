"""A figure's period is said once where it is shown (review vi6 V17).

“Lượt khách du lịch hàng năm: trên 20.000 lượt (hàng năm)” said the year twice: the label
already names it. Where a label says the figure is for every year, the value shown after it
(source-page tooltip, chart data table and hover text) carries no period bracket; where the
label does not (“Gọi công dân nhập ngũ so với chỉ tiêu”), the bracket stays.
"""

from __future__ import annotations

import re

import pytest

from dbanalysis.catalogue.figures import load_figures
from dbanalysis.core import labels
from dbanalysis.plotting import provenance
from dbanalysis.site import sourcepage

ANNUAL = list(load_figures().query("period == 'annual'")["figure_id"])


def _times_said(text: str, lang: str) -> int:
    words = labels.text("period.annual.in_label", lang).split("|")
    words += [labels.text("table.period.annual", lang), labels.text("chart.period.annual", lang)]
    # a chart holds the words on one line (figure_labels.held: no-break spaces)
    pattern = "|".join(r"[ \u00a0]".join(map(re.escape, w.split(" ")))
                       for w in sorted(set(words), key=len, reverse=True))
    return len(re.findall(pattern, text, re.IGNORECASE))


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_an_annual_figure_says_its_period_once(lang):
    assert len(ANNUAL) >= 4  # the turnover's growth, sport (two), visits, conscription
    for fid in ANNUAL:
        tip = sourcepage.tip([fid], lang)
        [row] = provenance.data_rows([fid], lang)
        assert _times_said(tip, lang) == 1, tip
        assert _times_said(f"{row[0]}: {row[1]}", lang) == 1, row


def test_the_bracket_stays_where_the_label_does_not_say_it():
    assert sourcepage.tip(["def_conscription"], "vi").endswith("(hàng năm)")
    assert not sourcepage.tip(["tourism_visitors"], "vi").endswith(")")
