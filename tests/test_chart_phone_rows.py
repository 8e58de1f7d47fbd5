"""Every notebook chart in the phone layout, both languages: panel titles within their
panels, and rows that take the room their own label needs (split from
test_chart_collisions.py; same charts, same drawn copies:
:attr:`helpers_drawn.DrawnPNG.fig`)."""

import pytest
from helpers_drawn import NOTEBOOK_VARIANTS as VARIANTS
from helpers_drawn import chart_png, laid_out

pytestmark = pytest.mark.usefixtures("house_style")


@pytest.mark.parametrize(("name", "lang", "layout"),
                         [v for v in VARIANTS if v.values[2] == "phone"])
def test_panel_titles_stay_within_their_panels_on_a_phone(name, lang, layout):
    """In the phone layout a panel's title is no wider than its panel: a wider one (the
    Vietnamese "+14,8% so với năm 2015", QA-1830 Q9) widened the image past the column,
    and the browser shrank all of its text."""
    fig = chart_png(name, lang, layout).fig
    r = laid_out(fig)
    wide = []
    for ax in fig.axes:
        if not ax.get_visible():
            continue
        room = ax.get_window_extent(r).width
        for t in (ax.title, ax._left_title):
            if t.get_visible() and t.get_text().strip():
                w = t.get_window_extent(r).width
                if w > room + 1:
                    wide.append(f"{t.get_text()!r}: {w:.0f} px over a {room:.0f} px panel")
    assert not wide, f"{name} ({lang}): " + "; ".join(wide)


# --- the rows of the phone layout (QA-0000 R6: large gaps between rows) -----------------

#: Most room, in points, a row label of the phone layout leaves above it: to the lowest
#: mark of the row above (its bar, marker or value label), or to the frame over the top
#: row; and under the bottom row's marks, to the frame. A row of one line of label keeps
#: 10-12 pt under a bar, 14.6 pt under a dot (its marker is smaller than a bar); more is
#: blank a phone scrolls past: every row took the pitch of the chart's tallest label,
#: 24 pt under Figure 0.2's one- and two-line labels (English), 51 pt in Figure 0.1
#: (Vietnamese), and a figure first drawn taller spread its rows 19-24 pt apart.
ROW_GAP_MOST_PT = 16.0
#: Most difference, in points, between the gaps above the row labels of one chart: its
#: rows evenly spaced, whatever the lines of each label.
ROW_GAP_SPREAD_PT = 4.0


def _row_room(fig, r) -> list[tuple[str, str, float, float]]:
    """(where, what, blank above it in pt, blank below it in pt) in every axes of a phone
    chart with row labels: ("row", a row label, to the marks of the row above, to its own
    row's marks) for every label but the top one, ("top", the top row's label, to the
    frame, to its row's marks), ("bottom", "the bottom row", its marks to the frame, 0)."""
    from dbanalysis.plotting.rows import ROW_LABEL_LIFT

    pt = 72 / fig.dpi
    out = []
    for ax in fig.axes:
        labels = sorted((t for t in ax.texts if t.get_gid() == "row-label"),
                        key=lambda t: t.get_position()[1])
        if not labels:
            continue
        frame = ax.get_window_extent(r)
        rows = [t.get_position()[1] - ROW_LABEL_LIFT for t in labels]
        out.append(("bottom", "the bottom row",
                    (min(b.y0 for b in _row_marks(ax, rows[0], r)) - frame.y0) * pt, 0.0))
        for k, t in enumerate(labels):
            box = t.get_window_extent(r)
            top = k + 1 == len(labels)
            above = frame.y1 if top else min(b.y0 for b in _row_marks(ax, rows[k + 1], r))
            own = max(b.y1 for b in _row_marks(ax, rows[k], r))
            out.append(("top" if top else "row", t.get_text().replace("\n", " "),
                        float(above - box.y1) * pt, float(box.y0 - own) * pt))
    return out


def _row_marks(ax, row: float, r) -> list:
    """The display boxes of what the row at ``row`` of a phone chart draws: its bar, its
    markers and stem, its value labels (not a rule across the axes between two rows)."""
    import numpy as np
    from matplotlib.patches import Rectangle

    boxes = [p.get_window_extent(r) for p in ax.patches if isinstance(p, Rectangle)
             and abs(p.get_y() + p.get_height() / 2 - row) < 0.3]
    boxes += [ln.get_window_extent(r) for ln in ax.get_lines()  # not a rule across the axes
              if ln.get_transform() is ax.transData
              and len(ys := np.asarray(ln.get_ydata(), float)) and np.all(np.abs(ys - row) < 0.3)]
    boxes += [t.get_window_extent(r) for t in ax.texts if t.get_gid() != "row-label"
              and t.get_va() == "center" and t.get_text().strip()
              and abs(t.get_position()[1] - row) < 0.3]
    assert boxes, f"the row at {row} draws nothing"
    return boxes


@pytest.mark.parametrize(("name", "lang", "layout"),
                         [v for v in VARIANTS if v.values[2] == "phone"])
def test_phone_rows_take_the_room_their_own_label_needs(name, lang, layout):
    """In the phone layout (labels above their bars) no row label has more than
    :data:`ROW_GAP_MOST_PT` of blank above it (to the row above, or the frame), nor the
    bottom row below it; the gaps between one chart's rows differ by at most
    :data:`ROW_GAP_SPREAD_PT`; and each label sits nearer its own bar than the row above."""
    fig = chart_png(name, lang, layout).fig
    room = _row_room(fig, laid_out(fig))
    if not room:  # no row labels above bars: then no axes names its rows on its y axis
        from dbanalysis.plotting.style import has_row_labels  # (rows left unlifted)

        named = [ax.get_yticklabels()[0].get_text() for ax in fig.axes if has_row_labels(ax)]
        assert not named, f"{name} ({lang}): rows named on the y axis, not above their bars"
        return
    where_ = {"row": "above {!r}", "top": "above the top row's {!r}, to the frame",
              "bottom": "under {}, to the frame"}
    wide = [f"{where_[where].format(what)}: {gap:.1f} pt" for where, what, gap, _ in room
            if gap > ROW_GAP_MOST_PT]
    assert not wide, f"{name} ({lang}): blank " + "; ".join(wide)
    gaps = [gap for where, _, gap, _ in room if where == "row"]
    assert not gaps or max(gaps) - min(gaps) <= ROW_GAP_SPREAD_PT, \
        f"{name} ({lang}): rows unevenly spaced, gaps {[round(g, 1) for g in gaps]} pt"
    far = [f"{what!r}: {own:.1f} pt from its bar, {gap:.1f} pt from the row above"
           for where, what, gap, own in room if where == "row" and own >= gap]
    assert not far, f"{name} ({lang}): " + "; ".join(far)
