"""Charts whole and legible at 390 px (issue 18 item 2): in both layouts (wide, and the
phone layout of :func:`dbanalysis.plotting.style.narrow`) and both languages, no two
texts of a chart the notebooks draw overlap, and no text sits on a bar or marker it does
not label (:func:`helpers_drawn.text_collisions`, measured on the drawn figure).

``make test-quick`` draws each chart in one (language, layout) variant, rotated along the
charts (:func:`helpers_charts.chart_variants`: each language and layout across the
charts); ``make test`` in all four."""

import functools
import itertools
import re

import pytest
from helpers_charts import NOTEBOOK_CHARTS, chart_variants
from helpers_collisions import REFERENCE_LINES, _drawn_texts
from helpers_drawn import chart_png, laid_out
from matplotlib.font_manager import FontProperties

from dbanalysis.core.language import using

pytestmark = pytest.mark.usefixtures("house_style")

#: Every notebook chart in the variants this run draws (:func:`helpers_charts.chart_variants`).
#: The room checks below measure the chart of the PNG the overlap test reads
#: (:attr:`helpers_drawn.DrawnPNG.fig`): the copy the chart tests read, drawn at its dpi
#: once per process, whether its PNG was drawn in this process or kept by an earlier run.
#: It measures as the figure the PNG was drawn from, to 2e-4 px, and as a fresh copy drawn
#: at its dpi, to 0.0 px, on every variant (bench/chart_kept_png_check.py); they only
#: read it.
VARIANTS = [pytest.param(name, lang, layout, id=f"{name}-{lang}-{layout}")
            for name in NOTEBOOK_CHARTS for lang, layout in chart_variants(name)]


@pytest.mark.parametrize(("name", "lang", "layout"), VARIANTS)
def test_no_chart_text_overlaps_another_or_a_mark_it_does_not_label(name, lang, layout):
    """Measured twice on a fresh chart: drawn at the figure's dpi, and in the draw that
    writes its PNG (:func:`helpers_drawn.chart_png`, the PNG the other chart tests read
    too). The wide layout's PNG is at the figure's dpi: the draw that lays it out before
    writing it is the first measure; the phone layout's is at twice the dpi (text hinted
    otherwise), so its first measure is made on another copy, the one the chart tests read
    (:func:`helpers_drawn.drawn_copy`: drawn at the figure's dpi). Both kept with the
    PNG by a run that drew it (:func:`helpers_drawn.chart_png`)."""
    chart = chart_png(name, lang, layout)
    drawn = chart.drawn
    png = chart.collisions
    found = [f"{c} (drawn)" for c in drawn] + [f"{c} (PNG)" for c in png if c not in drawn]
    assert not found, f"{name} ({lang}, {layout}): " + "; ".join(found)


# --- room between texts and marks (QA 13:00 item 12: crowding short of an overlap) ------


def _tick_label_gaps(fig) -> list[float]:
    """Gaps in points between neighbouring x tick labels of every axes of ``fig``."""

    r = laid_out(fig)
    gaps = []
    for ax in [a for a in fig.axes if a.get_visible()]:
        lo, hi = sorted(ax.get_xlim())
        boxes = sorted((t.label1.get_window_extent(r) for t in ax.xaxis.get_major_ticks()
                        if lo <= t.get_loc() <= hi and t.label1.get_visible()
                        and t.label1.get_text().strip()), key=lambda b: b.x0)
        gaps += [(b.x0 - a.x1) * 72 / fig.dpi for a, b in itertools.pairwise(boxes)]
    return gaps


@functools.cache
def _outline_extents(s: str, prop: FontProperties):
    """The extents, in points, of the outline of ``s`` in font ``prop`` (matplotlib's
    TextPath): the same string in the same font has the same outline, in every chart and
    every test (``prop`` a copy: FontProperties hashes by its values).

    Measured glyph by glyph (:func:`_glyph_extents`, each glyph's outline measured once
    per process): a string's outline is its glyphs' outlines placed along the line, so
    its extents are the union of theirs, shifted and scaled as TextPath places them
    (TextPath's own measure walks every curve of the string in Python: ~8 ms a string,
    ~2 s of CPU a ``make test``). The same extents, to the last bit (checked on every line
    of text of every variant of every notebook chart: no difference, 278 strings)."""
    from matplotlib.text import Text
    from matplotlib.textpath import TextPath, text_to_path
    from matplotlib.transforms import Bbox

    if Text()._preprocess_math(s)[1]:  # mathtext: TextPath's own measure
        return TextPath((0, 0), s, prop=prop).get_extents()
    font = text_to_path._get_font(prop)
    glyphs, paths, _ = text_to_path.get_glyphs_with_font(font, s)
    boxes = [(_glyph_extents(repr_, paths[repr_]), x, y) for repr_, x, y, _ in glyphs]
    boxes = [(box, x, y) for box, x, y in boxes if box is not None]
    if not boxes:
        return Bbox.null()
    k = prop.get_size_in_points() / text_to_path.FONT_SCALE
    return Bbox([[min((b[0] + x) * k for b, x, _ in boxes),
                  min((b[1] + y) * k for b, _, y in boxes)],
                 [max((b[2] + x) * k for b, x, _ in boxes),
                  max((b[3] + y) * k for b, _, y in boxes)]])


_GLYPHS: dict[str, tuple[float, float, float, float] | None] = {}


def _glyph_extents(repr_: str, path) -> tuple[float, float, float, float] | None:
    """(x0, y0, x1, y1) of one glyph's outline (``repr_``: matplotlib's name for a glyph of
    a font, ``path``: its vertices and codes at TextPath's font scale), or None for a glyph
    that draws nothing (a space)."""
    if repr_ not in _GLYPHS:
        from matplotlib.path import Path

        verts, codes = path
        box = Path(verts, codes).get_extents() if len(verts) else None
        _GLYPHS[repr_] = None if box is None else (box.x0, box.y0, box.x1, box.y1)
    return _GLYPHS[repr_]


def _line_inks(t, r) -> list[tuple[float, float, float, float]]:
    """(x0, x1, y0, y1) in pixels of the ink of each line of text ``t`` (aligned left or
    right), from the glyphs' outlines (matplotlib's TextPath), not from the text's box,
    which includes the spaces that pad it."""
    prop, px = t.get_fontproperties().copy(), t.figure.dpi / 72
    box = t.get_window_extent(r)
    lines = t.get_text().split("\n")
    step = box.height / len(lines)

    def advance(s: str) -> float:  # the width the layout gives s (its spaces included)
        return (_outline_extents(f"a{s}a", prop).width
                - _outline_extents("aa", prop).width) * px

    out = []
    for k, line in enumerate(lines):
        if not line.strip():
            continue
        ink = _outline_extents(line.strip(" "), prop)
        if t.get_horizontalalignment() == "left":
            x0 = box.x0 + advance(line[:len(line) - len(line.lstrip(" "))]) + ink.x0 * px
        else:
            x0 = box.x1 - advance(line[len(line.rstrip(" ")):]) - ink.x1 * px + ink.x0 * px
        out.append((x0, x0 + ink.width * px, box.y1 - (k + 1) * step, box.y1 - k * step))
    return out


def marker_crowding(fig) -> list[str]:
    """Every line of a value label (aligned left or right at a marker: a dot, a square,
    a range's cap) whose ink comes closer to that marker than ``LABEL_PAD_PT`` less half
    a point (the drawn outline of a glyph is not its exact box)."""
    import numpy as np

    from dbanalysis.plotting.spacing import LABEL_PAD_PT

    r = laid_out(fig)
    found = []
    for ax in [a for a in fig.axes if a.get_visible()]:
        marks = []
        for ln in ax.get_lines():
            if ln.get_visible() and ln.get_marker() not in (None, "", "None", " ", "none"):
                half = ln.get_markeredgewidth() * fig.dpi / 72 / 2
                if ln.get_marker() != "|":
                    half += ln.get_markersize() * fig.dpi / 72 / 2
                for x, y in ln.get_transform().transform(np.asarray(ln.get_xydata(), float)):
                    tall = ln.get_markersize() * fig.dpi / 72 / 2
                    marks.append((x - half, y - tall, x + half, y + tall))
        for t in ax.texts:
            ha = t.get_horizontalalignment()
            if ha not in ("left", "right") or t.get_gid() == "row-label":
                continue
            anchor = ax.transData.transform(t.get_position())[0]
            for x0, x1, y0, y1 in _line_inks(t, r):
                for m0, n0, m1, n1 in marks:
                    if not m0 - 1 <= anchor <= m1 + 1 or n1 <= y0 or n0 >= y1:
                        continue
                    room = (x0 - m1 if ha == "left" else m0 - x1) * 72 / fig.dpi
                    if room < LABEL_PAD_PT - 0.5:
                        found.append(f"{t.get_text()!r}: {room:.1f} pt from its marker")
    return found


@pytest.mark.parametrize(("name", "lang", "layout"), VARIANTS)
def test_tick_labels_keep_apart_and_value_labels_clear_their_markers(name, lang, layout):
    """Neighbouring tick labels keep TICK_GAP_PT apart (Figure 6.1 on a phone: "75" and
    "100" nearly touched), and every line of a value label keeps LABEL_PAD_PT from the
    marker it labels (Figure 0.1: "−2,49 điểm phần trăm" ran into its square; Figure 3.1 on
    a phone: the second line "(858 to 865)" touched the range's cap)."""
    from dbanalysis.plotting.spacing import TICK_GAP_PT

    fig = chart_png(name, lang, layout).fig  # measured, not changed (see VARIANTS)
    with using(lang):
        close = [g for g in _tick_label_gaps(fig) if g < TICK_GAP_PT]
        crowded = marker_crowding(fig)
    assert not close, f"{name} ({lang}, {layout}): tick labels {close} pt apart"
    assert not crowded, f"{name} ({lang}, {layout}): " + "; ".join(crowded)


def gridline_crowding(fig) -> list[str]:
    """Every gridline of a tick past the data (the room an axis makes for its value
    labels) that a value label ends on: within ``LABEL_PAD_PT`` of the label's ink."""
    from matplotlib.patches import Rectangle

    from dbanalysis.plotting.spacing import LABEL_PAD_PT

    r = laid_out(fig)
    found = []
    for ax in [a for a in fig.axes if a.get_visible()]:
        ends = [p.get_x() + p.get_width() for p in ax.patches
                if isinstance(p, Rectangle) and p.get_visible() and p.get_width() > 0]
        ends += [x for ln in ax.get_lines() for x in ln.get_xdata()]
        if not ends or not ax.xaxis._major_tick_kw.get("gridOn", True):
            continue
        hi = max(ax.get_xlim())
        hidden = {tk.get_loc() for tk in ax.xaxis.get_major_ticks()
                  if not tk.gridline.get_visible()}  # a tick kept without its gridline
        past = [t for t in ax.get_xticks() if max(ends) < t <= hi and t not in hidden]
        for tick in past:
            x = ax.transData.transform((tick, 0))[0]
            for t in ax.texts:
                ha = t.get_horizontalalignment()
                if ha not in ("left", "right") or t.get_gid() == "row-label":
                    continue
                for x0, x1, _, _ in _line_inks(t, r):
                    end = x1 if ha == "left" else x0
                    if abs(end - x) * 72 / fig.dpi < LABEL_PAD_PT:
                        found.append(f"{t.get_text().strip()!r} ends on the {tick:g} line")
    return found


@pytest.mark.parametrize(("name", "lang", "layout"), VARIANTS)
def test_no_value_label_ends_on_a_gridline_past_the_data(name, lang, layout):
    """An axis widened to fit its value labels draws no gridline where one of them ends
    (Figure 5.2: "119.58%" ended on the 150 line, by the frame)."""
    fig = chart_png(name, lang, layout).fig  # measured, not changed (see VARIANTS)
    with using(lang):
        found = gridline_crowding(fig)
    assert not found, f"{name} ({lang}, {layout}): " + "; ".join(found)


@pytest.mark.parametrize(("name", "lang", "layout"), VARIANTS)
def test_no_chart_text_has_a_straight_quote(name, lang, layout):
    """Every text of the chart's PNG as drawn (tick labels re-drawn from their formatter
    included) typeset with curly quotes and apostrophes, as the page beside it (QA-1450
    item 3: the wide 8.1 and 5.1 printed "'police listen to the people'",
    "'cultural villages'": row names set as tick labels were typeset, then re-drawn from
    the list they were set from)."""
    fig = chart_png(name, lang, layout).fig
    straight = [n for n, _, t in _drawn_texts(fig, laid_out(fig))
                if re.search("['\"]", t.get_text())]
    assert not straight, f"{name} ({lang}, {layout}): {straight}"


# --- texts clear of gridlines, the frame and reference lines (QA-1610 item 6) -----------


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


def axis_overruns(fig) -> list[str]:
    """Value axes (linear, numbers on their ticks) whose data run past the last labelled
    tick, or below the first: a mark at 84 on ticks 0–75 makes a reader guess its value."""
    from matplotlib.ticker import FixedFormatter

    found = []
    for k, ax in enumerate(fig.axes):
        if not (ax.get_visible() and ax.axison and ax.has_data()):
            continue
        box = ax.dataLim
        for name, axis, (lo_d, hi_d), lim in (("x", ax.xaxis, (box.x0, box.x1), ax.get_xlim()),
                                              ("y", ax.yaxis, (box.y0, box.y1), ax.get_ylim())):
            if axis.get_scale() != "linear" or isinstance(axis.get_major_formatter(),
                                                           FixedFormatter):
                continue
            labels_ = [t.strip() for t in axis.get_major_formatter().format_ticks(
                [v for v in axis.get_majorticklocs() if min(lim) <= v <= max(lim)])]
            if not all(re.match(r"^[−+\-]?\d[\d.,\u00a0 ]*%?$", t) for t in labels_ if t) \
                    or all(re.match(r"^(19|20)\d\d$", t) for t in labels_ if t):
                continue  # an axis of names (rows) or of years (a time line), not of amounts
            lo, hi = sorted(lim)
            eps = (hi - lo) * 1e-6
            axis.get_majorticklabels()
            shown = sorted(t.get_loc() for t in axis.get_major_ticks()
                           if lo - eps <= t.get_loc() <= hi + eps and t.label1.get_visible()
                           and t.label1.get_text().strip())
            if not shown:
                continue
            if hi_d > shown[-1] + eps:
                found.append(f"axes {k} {name}: data up to {hi_d:g}, last labelled tick "
                             f"{shown[-1]:g}")
            if lo_d < shown[0] - eps:
                found.append(f"axes {k} {name}: data down to {lo_d:g}, first labelled tick "
                             f"{shown[0]:g}")
    return found


@pytest.mark.parametrize(("name", "lang", "layout"), VARIANTS)
def test_every_value_axis_ends_with_a_labelled_tick_beyond_its_data(name, lang, layout):
    """Every chart, both layouts and languages: the largest (and smallest) mark is within
    the labelled ticks (QA-1830 Q8, Q10: Figure 0.1's 0–75 under 84.2, Figure 3.1's 0–800
    under 1,034 on a phone)."""
    fig = chart_png(name, lang, layout).fig  # measured, not changed (see VARIANTS)
    found = axis_overruns(fig)
    assert not found, f"{name} ({lang}, {layout}): " + "; ".join(found)


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
