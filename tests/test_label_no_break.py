"""A phrase a label declares unbreakable (no-break spaces in data/figures.csv) stays on one
line of a chart in every layout (REVIEW-vi3 B1: Figure 7.1's row label broke inside
“về y tế”)."""

from __future__ import annotations

import pytest

import dbanalysis as db
from dbanalysis.plotting.style import narrow

ROW = "health_communes_national_criteria"


def _figure_71():
    return db.share_bars_of(
        [("health_communes_with_station", "health_communes_total"),
         ("health_stations_with_doctor", "health_stations_total"),
         (ROW, "health_communes_national_criteria_total")],
        extensions={"health_communes_with_station": "health_communes_station_pending"})


@pytest.mark.parametrize("phone", [False, True], ids=["wide", "phone"])
def test_the_declared_phrase_stays_on_one_line(phone) -> None:
    label = db.label(ROW, "vi")
    assert "về\u00a0y\u00a0tế" in label  # declared where the label is declared
    previous = db.get_language()
    db.set_language("vi")
    try:
        if phone:
            with narrow():
                fig = _figure_71()
        else:
            fig = _figure_71()
    finally:
        db.set_language(previous)
    texts = [t.get_text() for ax in fig.axes
             for t in [*ax.get_yticklabels(), *ax.texts]]
    row = next(t for t in texts if t.startswith("Xã dự kiến"))
    lines = [line.replace("\u00a0", " ") for line in row.split("\n")]
    assert any("về y tế" in line for line in lines), lines
    # wide: the label still wraps (at 44 characters), only not inside the phrase; on a
    # phone, above its bar at the one row-label size (ROW_LABEL_PT), it wraps to the
    # axes' width: two lines there too, the phrase whole on the second
    assert len(lines) == 2, lines
