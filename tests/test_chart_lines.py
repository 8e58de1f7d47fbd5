"""Texts clear of gridlines, the frame and reference lines (QA-1610 item 6), in every
notebook chart, both layouts and languages (split from test_chart_collisions.py, which
checks texts against texts and marks; same charts, same drawn copies:
:attr:`helpers_drawn.DrawnPNG.fig`)."""

import itertools

import pytest
from helpers_collisions import REFERENCE_LINES, _line_inks
from helpers_drawn import NOTEBOOK_VARIANTS as VARIANTS
from helpers_drawn import chart_png, laid_out

from dbanalysis.core.language import using

pytestmark = pytest.mark.usefixtures("house_style")


def _masked(t, zorder: float) -> bool:
    """Whether text ``t`` is drawn above a line drawn at ``zorder`` on a white outline
    of its words or an opaque box: the line pauses under the words instead of striking
    them through."""
    from matplotlib.colors import to_rgba
    from matplotlib.patheffects import withStroke

    if t.get_zorder() <= zorder:
        return False
    patch = t.get_bbox_patch()
    if patch is not None and patch.get_facecolor()[3] == 1:
        return True
    return any(isinstance(pe, withStroke) and to_rgba(pe._gc.get("foreground")) == (1, 1, 1, 1)
               and pe._gc.get("linewidth", 0) >= 2 for pe in t.get_path_effects())


def gridlines_through_texts(fig) -> list[str]:
    """Every text placed in an axes (value labels, a total's name) whose words a visible
    gridline runs through, not masked from it (:func:`_masked`)."""
    r = laid_out(fig)
    found = []
    for ax in [a for a in fig.axes if a.get_visible()]:
        frame = ax.get_window_extent(r)
        for axis, (lo, hi) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            lo, hi = min(lo, hi), max(lo, hi)
            for tick in axis.get_major_ticks():
                line = tick.gridline
                if not (line.get_visible() and lo <= tick.get_loc() <= hi):
                    continue
                at = (ax.transData.transform((tick.get_loc(), 0))[0] if axis is ax.xaxis
                      else ax.transData.transform((0, tick.get_loc()))[1])
                # gridlines are drawn with their axis (at its zorder: below the data
                # with axisbelow); opaque bars over them hide them (a count in its bar)
                z = axis.get_zorder()
                covers = [p.get_window_extent(r) for p in ax.patches
                          if p.get_visible() and p.get_zorder() > z
                          and p.get_facecolor()[3] == 1]
                for t in ax.texts:
                    if not t.get_visible() or not t.get_text().strip() or _masked(t, z):
                        continue
                    box = t.get_window_extent(r)
                    if any(c.x0 <= box.x0 and box.x1 <= c.x1 and c.y0 <= box.y0
                           and box.y1 <= c.y1 for c in covers):
                        continue
                    inks = (_line_inks(t, r) if t.get_horizontalalignment() in ("left", "right")
                            else [(b.x0, b.x1, b.y0, b.y1) for b in [t.get_window_extent(r)]])
                    for x0, x1, y0, y1 in inks:
                        inside = frame.y0 < (y0 + y1) / 2 < frame.y1 and frame.x0 < x1 \
                            and x0 < frame.x1
                        if inside and ((x0 + 1 < at < x1 - 1) if axis is ax.xaxis
                                       else (y0 + 1 < at < y1 - 1)):
                            found.append(f"the {tick.get_loc():g} gridline through "
                                         f"{t.get_text().strip()!r}")
                            break
    return found


def texts_on_lines(fig) -> list[str]:
    """Every row label of the phone layout that starts within 2 pt of the left frame
    line (or whose box covers it), and every text aligned at a vertical reference line
    (a total, a target) whose words come closer to it than LABEL_PAD_PT less half a point
    (QA-1610: the "1" of "21" touching the total line of Figure 10.1)."""
    from dbanalysis.plotting.spacing import LABEL_PAD_PT

    r = laid_out(fig)
    px = fig.dpi / 72
    found = []
    for ax in [a for a in fig.axes if a.get_visible()]:
        left = ax.spines["left"]
        frame_x = left.get_window_extent(r).x1 if left.get_visible() else None
        refs = [ln for ln in ax.get_lines() if str(ln.get_gid() or "") in REFERENCE_LINES
                and len(set(ln.get_xdata())) == 1 and ln.get_visible()]
        for t in ax.texts:
            if not t.get_visible() or not t.get_text().strip():
                continue
            inks = _line_inks(t, r) if t.get_horizontalalignment() in ("left", "right") \
                else []
            if t.get_gid() == "row-label" and frame_x is not None and inks:
                room = (min(x0 for x0, _, _, _ in inks) - frame_x) / px
                patch = t.get_bbox_patch()
                covers = patch is not None and patch.get_window_extent(r).x0 < frame_x
                if room < 2.0 or covers:
                    found.append(f"row label {t.get_text().split(chr(10))[0]!r} "
                                 f"{room:.1f} pt from the left frame")
                continue
            for ln in refs:
                x = ax.transData.transform((ln.get_xdata()[0], 0))[0]
                half = ln.get_linewidth() * px / 2
                for x0, x1, _, _ in inks:
                    room = max(x0 - (x + half), (x - half) - x1) / px
                    # beside the line too close (masked or not), or across it unmasked
                    touching = 0 <= room < LABEL_PAD_PT - 0.5
                    across = -((x1 - x0) / px) < room < 0 and not _masked(t, ln.get_zorder())
                    if touching or across:
                        found.append(f"{t.get_text().strip()!r} {room:.1f} pt from "
                                     f"the {ln.get_gid()}")
    return found


#: Least room, in points, between a row label's words and a line that pauses under its
#: box (a gridline) or stops short of it (a reference line, from the label's text box,
#: its descent included, :data:`LINE_END_CLEAR_PT`): a line that stops at the tip of a
#: letter reads as striking the words through (QA-0305 S9).
LINE_CLEAR_PT = 1.5
LINE_END_CLEAR_PT = 1.0


def lines_at_row_labels(fig) -> list[str]:
    """Every row label of the phone layout that a reference line (a 100 % line, a total)
    runs through or comes within :data:`LINE_END_CLEAR_PT` of, its box or not, and every one
    whose box leaves less than :data:`LINE_CLEAR_PT` above or beside its words for a
    gridline to pause in (QA-0305 S9: the 100 % line of Figures 0.2 and 5.2 and the grid of
    0.1, 5.1, 9.1 and 11.1 through "against the district", "so với chỉ tiêu", "Nghị quyết":
    the tests took a box drawn above the line as clearing it, however tight the box)."""
    import numpy as np
    r = laid_out(fig)
    clear, end = LINE_CLEAR_PT * fig.dpi / 72, LINE_END_CLEAR_PT * fig.dpi / 72
    found = []
    for ax in [a for a in fig.axes if a.get_visible()]:
        labels = [t for t in ax.texts if t.get_gid() == "row-label" and t.get_visible()
                  and t.get_text().strip()]
        for t in labels:
            ink, patch = t.get_window_extent(r), t.get_bbox_patch()
            t.update_bbox_position_size(r)  # the box as drawn (set at draw time)
            box = patch.get_window_extent(r) if patch is not None else ink
            room = min(box.y1 - ink.y1, ink.x0 - box.x0, box.x1 - ink.x1)
            if room < clear - 0.01:
                found.append(f"row label {t.get_text().split(chr(10))[0]!r}: its box "
                             f"{room * 72 / fig.dpi:.1f} pt from its words")
        for ln in ax.get_lines():
            if str(ln.get_gid() or "") not in REFERENCE_LINES or not ln.get_visible():
                continue
            pts = ln.get_transform().transform(np.column_stack(ln.get_data()))
            runs = np.split(pts, np.flatnonzero(np.isnan(pts).any(axis=1)))
            for run in (run[~np.isnan(run).any(axis=1)] for run in runs):
                if len(run) < 2:
                    continue
                x0, x1 = run[:, 0].min(), run[:, 0].max()
                y0, y1 = run[:, 1].min(), run[:, 1].max()
                for t in labels:
                    ink = t.get_window_extent(r)
                    if x1 >= ink.x0 and x0 <= ink.x1 and y1 > ink.y0 - end \
                            and y0 < ink.y1 + end:
                        found.append(f"the {ln.get_gid()} through row label "
                                     f"{t.get_text().split(chr(10))[0]!r}")
    return found


def early_breaks(fig) -> list[str]:
    """Every row label of the phone layout broken before a word that would still fit on
    the line with 12 pt to spare within the axes (QA-1610: "Giáo viên đạt chuẩn trình độ
    đào / tạo", where "tạo" had some 40 pt; the layout keeps up to 8 pt for safety,
    ROW_LABEL_SPARE_PT)."""
    r = laid_out(fig)
    found = []
    for ax in [a for a in fig.axes if a.get_visible()]:
        right = ax.get_window_extent(r).x1 - 12 * fig.dpi / 72  # the frame, room to spare
        for t in ax.texts:
            lines = t.get_text().split("\n")
            if t.get_gid() != "row-label" or len(lines) < 2:
                continue
            start = min(x0 for x0, _, _, _ in _line_inks(t, r))
            prop = t.get_fontproperties()
            for line, after in itertools.pairwise(lines):
                joined = f"{line} {after.split(' ')[0]}"
                width = r.get_text_width_height_descent(joined, prop, ismath=False)[0]
                if start + width <= right:
                    found.append(f"{line!r} / {after!r}: the next word fits")
    return found


@pytest.mark.parametrize(("name", "lang", "layout"), VARIANTS)
def test_texts_clear_gridlines_the_frame_and_reference_lines(name, lang, layout):
    """No gridline strikes through a value label's words (QA-1610 item 6: Figure 0.1's
    −6 line through "−2.49 points", 10.1's 9–18 lines through "Communes of the district:
    21"); a label at a reference line keeps its room from it (10.1's "21"); a row label of
    the phone layout starts clear of the left frame and breaks only where the next word
    would not fit (6.1's lone "tạo"), and no line runs through it or to the tips of its
    letters (QA-0305 S9: the 100 % line of 0.2 and 5.2 through the row labels)."""
    fig = chart_png(name, lang, layout).fig  # measured, not changed (see VARIANTS)
    with using(lang):
        found = (gridlines_through_texts(fig) + texts_on_lines(fig) + early_breaks(fig)
                 + lines_at_row_labels(fig))
    assert not found, f"{name} ({lang}, {layout}): " + "; ".join(found)
