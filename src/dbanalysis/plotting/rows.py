"""The phone layout's rows (:func:`labels_above_bars`): a horizontal bar chart drawn
for a phone writes each row's label above its bar, across the whole width, and each row
takes the room its own label, bar and value label need (:func:`_row_knots`,
:class:`RowScale`); :func:`fit_rows` makes the figure as tall as its rows.
"""

from __future__ import annotations

import itertools
from weakref import WeakKeyDictionary

import numpy as np
from matplotlib.figure import Figure
from matplotlib.scale import FuncScale

from .measure import ticks_updated_once
from .style import LINE_HEIGHT, ROW_LABEL_PT, _text_width_pt, greedy_lines, renderer


def labels_above_bars(ax) -> None:
    """Phone layout of a horizontal bar chart: each row's label (the y tick label) is
    written above its bar across the whole width, instead of beside it, where it would
    squeeze the bars to nothing; wrapped to that width as measured in its font
    (:func:`_wrap_to_width`), :data:`ROW_LABEL_INSET_PT` in from the left frame, at
    least :data:`ROW_LABEL_PT` (one size for every bar chart: wrapped, never shrunk). Each
    row is to get the room its own label, bar and value label need (:func:`_row_knots`),
    not the room of the chart's tallest row: the figure is made that tall by
    :func:`fit_rows`, which :func:`dbanalysis.plotting.provenance.finish` runs once the
    legend and the axis and panel titles are in place (not here as well: that fit was
    made again there)."""
    from matplotlib.transforms import ScaledTranslation, blended_transform_factory

    # the tick labels read here (each read works out the axis's ticks again) and nothing
    # changed meanwhile: each axis's ticks worked out once
    with ticks_updated_once(ax.figure):
        ticks = list(ax.get_yticks())
        names = [t.get_text() for t in ax.get_yticklabels()]
        if not ticks or not any(n.strip() for n in names):
            return
        size = max(ROW_LABEL_PT,
                   ax.get_yticklabels()[0].get_fontsize() if names else ROW_LABEL_PT)
        room = _row_label_room_pt(ax, size)  # one width for every row (nothing moves meanwhile)
    wrapped = [_wrap_to_width(n, room, size, ax.figure) for n in names]
    # thinner bars, centred on their rows, leave room above each for its label
    from matplotlib.patches import Rectangle

    bar_half = 0.0
    for p in ax.patches:
        if isinstance(p, Rectangle) and p.get_height() > 0.3:
            centre = p.get_y() + p.get_height() / 2
            p.set_height(p.get_height() * 0.6)
            p.set_y(centre - p.get_height() / 2)
            bar_half = max(bar_half, p.get_height() / 2)
    trans = blended_transform_factory(ax.transAxes, ax.transData) + ScaledTranslation(
        ROW_LABEL_INSET_PT / 72, 0, ax.figure.dpi_scale_trans)  # clear of the frame line
    for y, w in zip(ticks, wrapped, strict=True):
        ax.text(0.0, y + ROW_LABEL_LIFT, w, transform=trans, ha="left", va="bottom",
                fontsize=size, gid="row-label", zorder=ROW_LABEL_ZORDER,
                bbox={"boxstyle": RowLabelBox(size), "facecolor": ax.get_facecolor(),
                      "edgecolor": "none"}).set_in_layout(False)
    _lines_across_bars(ax, ticks, bar_half or _BAR_HALF)
    rows = sorted(zip(ticks, (_label_height_in(w.count("\n") + 1, size) for w in wrapped),
                      strict=True))
    knots = _row_knots(ax, rows, bar_half or _BAR_HALF)
    ax.set_yticks([])
    if knots is None:  # rows too close together for a room of their own: one pitch for all
        pitch = max(ROW_PITCH_IN, max(h for _, h in rows) / 0.56,
                    max(_ink_half_in(ax, None, _BAR_HALF, ROW_PITCH_IN)) / 0.19)
        lo, (hi, top_in) = rows[0][0], rows[-1]
        ax.set_ylim(lo - 0.35, hi + 0.25 + top_in / pitch)
        _ROW_INCHES[ax] = lambda lo, hi: abs(hi - lo) * pitch
    else:
        data, inches = knots
        if any(abs((i1 - i0) - (d1 - d0) * ROW_PITCH_IN) > 1e-9 for (d0, d1), (i0, i1)
               in zip(itertools.pairwise(data), itertools.pairwise(inches), strict=True)):
            ax.set_yscale(RowScale(data, inches))  # rows of different heights
            ax.set_yticks([])  # a new scale brings its own ticks
            _ROW_INCHES[ax] = lambda lo, hi: abs(float(np.interp(hi, data, inches))
                                                 - float(np.interp(lo, data, inches)))
        else:  # every row as one of one line: one pitch
            _ROW_INCHES[ax] = lambda lo, hi: abs(hi - lo) * ROW_PITCH_IN
        ax.set_ylim(data[0], data[-1])


#: Inches a unit of the row axis takes in the phone layout (:func:`labels_above_bars`)
#: over a row's bar, its value label and the room round them: a row of one line of label
#: and one of value takes just that (0.55 in, 55 CSS px), a bar 0.2 in thick.
ROW_PITCH_IN = 0.55
#: A row label's bottom above its row's centre, in row units (in the phone layout): just
#: over a bar (0.36 thick once thinned).
ROW_LABEL_LIFT = 0.21
#: Half of a thinned bar (0.6 of 0.6) in row units, for a row that draws no bar (a dot).
_BAR_HALF = 0.18
#: Room, in points, between the top of a row label's box (:func:`_label_height_in`) and
#: the lowest mark of the row above it: a row of one line then takes
#: :data:`ROW_PITCH_IN`, as it did when every row took the pitch of the tallest label.
ROW_GAP_PT = 3.4


def _label_height_in(lines: int, size: float) -> float:
    """Inches a row label of ``lines`` lines at ``size`` takes, with its white box."""
    return lines * size * LINE_HEIGHT / 72 + 0.08


def _ink_half_in(ax, row: float | None, bar_half: float, pitch: float) -> list[float]:
    """Inches the marks of the row at ``row`` (every row: None) reach above or below its
    centre: its bar (``bar_half`` row units at ``pitch``), a marker on it, a value label
    centred on it (a label of two lines, "19/21 (90.5%)" over "+ 2 funded", reaches a
    line above and below)."""
    reach = [bar_half * pitch]
    for t in ax.texts:
        if t.get_va() != "center" or t.get_gid() == "row-label" or not t.get_text().strip():
            continue
        y = t.get_position()[1]
        if row is None or not t.get_transform().contains_branch(ax.transData) \
                or abs(y - row) < 0.5:
            lines = t.get_text().count("\n") + 1
            reach.append(lines * float(t.get_fontsize()) * LINE_HEIGHT / 144)
    for ln in ax.get_lines():
        if ln.get_marker() in (None, "", "None", " ", "none"):
            continue
        ys = np.asarray(ln.get_ydata(), float)
        if row is None or np.any(np.abs(ys - row) < 0.5):
            reach.append((float(ln.get_markersize()) + float(ln.get_markeredgewidth())) / 144)
    return reach


def _row_knots(ax, rows: list[tuple[float, float]],
               bar_half: float) -> tuple[list[float], list[float]] | None:
    """Where each row of the phone layout goes: row-axis values and the inches they are
    placed at (a piecewise-linear scale, :class:`RowScale`), from the bottom of the axes
    to its top. ``rows``: (row, inches its label takes), bottom row first.

    From a row's centre up: its bar's half (:data:`ROW_PITCH_IN` a row unit, so every
    bar is as thick), room to the label's bottom (more when the row's value label reaches
    higher, :func:`_ink_half_in`), the label with :data:`ROW_GAP_PT` above it, then the
    next row's marks from their lowest. A row thus takes what its own label needs: a
    one-line label no longer gets the room of the chart's three-line one (QA-0000 R6:
    Figure 0.2 50 px of blank under five bars). None when two rows are too close for
    this (less than a row unit apart) or a bar is too thick to fit under its label."""
    centres = [c for c, _ in rows]
    if any(b - a < 1.0 - 1e-9 for a, b in itertools.pairwise(centres)) \
            or bar_half > ROW_LABEL_LIFT - 0.01:
        return None
    s, lift, gap = ROW_PITCH_IN, ROW_LABEL_LIFT, ROW_GAP_PT / 72
    data = [centres[0] - 0.35, centres[0] - lift]
    inches = [0.0, (0.35 - lift) * s]

    def step(to: float, need: float) -> None:
        inches.append(inches[-1] + max((to - data[-1]) * s, need))
        data.append(to)

    for k, (c, label_in) in enumerate(rows):
        reach = max(_ink_half_in(ax, c, bar_half, s))
        step(c - bar_half, reach - bar_half * s)  # up to the bar's bottom: the marks below it
        step(c + bar_half, 0.0)  # the bar
        step(c + lift, reach - bar_half * s + 0.02 * s)  # the marks above it
        if k + 1 < len(rows):  # the label, then up to the next row's lowest marks
            step(centres[k + 1] - lift, label_in + gap)
        else:  # the top row's label, and a little room above it
            step(c + 0.25 + label_in / s, label_in + 0.04 * s)
    return data, inches


class RowScale(FuncScale):
    """The row axis of the phone layout (:func:`labels_above_bars`): row-axis values
    ``data`` are placed at ``inches`` (increasing), linearly in between and beyond, so
    that each row takes the room its own label needs. Its name, ``rows``, says it is no
    scale of amounts (every value axis is linear)."""

    name = "rows"

    def __init__(self, data: list[float], inches: list[float]) -> None:
        super().__init__(None, (_Piecewise(data, inches), _Piecewise(inches, data)))
        self.knots = (list(data), list(inches))


class _Piecewise:
    """The piecewise-linear function through the points (``x``, ``y``), ``x`` increasing,
    continued beyond them along its first and last pieces (a class, not a closure: a chart
    is pickled, its scale with it)."""

    def __init__(self, x: list[float], y: list[float]) -> None:
        self.x, self.y = [float(v) for v in x], [float(v) for v in y]

    def __call__(self, v):
        x, y = self.x, self.y
        v = np.asarray(v, float)
        below = y[0] + (v - x[0]) * (y[1] - y[0]) / (x[1] - x[0])
        above = y[-1] + (v - x[-1]) * (y[-1] - y[-2]) / (x[-1] - x[-2])
        return np.where(v < x[0], below, np.where(v > x[-1], above, np.interp(v, x, y)))


#: Room, in points, between the left frame line and a row label of the phone layout
#: (:func:`labels_above_bars`): the label's white box (0.5 pt round its words) starts
#: clear of the frame, which stays whole.
ROW_LABEL_INSET_PT = 3.0
#: Room, in points, a row label of the phone layout leaves before the right frame: the
#: axes may come out up to 4 pt narrower than estimated (a value label's room), and the
#: PNG, drawn at twice the pixels, sets text up to 2 % wider.
ROW_LABEL_SPARE_PT = 8.0


def _row_label_room_pt(ax, size: float) -> float:
    """The width, in points, a row label of the phone layout may take: the axes' width
    (the figure's less the layout's padding either side and half the "0" tick label
    at the axis's start, the axes having no y tick labels then) less its inset and
    :data:`ROW_LABEL_SPARE_PT` on the right. Estimated before the layout is made, so that
    wrapping the labels runs no layout (the axes as laid out: 210-217 pt wide)."""
    fig = ax.figure
    engine = fig.get_layout_engine()
    pad = float(engine.get().get("w_pad", 0.0)) * 72 if engine is not None else 0.0
    tick = ax.xaxis.get_ticklabels()[0] if ax.xaxis.get_ticklabels() else None
    tick_size = float(tick.get_fontsize()) if tick else size
    # the axes start half their first tick label in: "0", or wider in a panel below
    # sharing the column ("−20" of Figure 0.1's rate panel, QA-0305 S11)
    zero = max(_text_width_pt(fig, s, tick_size) for s in ["0", *_first_ticks(fig)]) / 2
    return fig.get_size_inches()[0] * 72 - 2 * pad - zero - ROW_LABEL_INSET_PT \
        - ROW_LABEL_SPARE_PT


def _first_ticks(fig: Figure) -> list[str]:
    """The label of the first x tick within the limits of each axes of ``fig``, as its
    axis would write it now (the axes of a figure share its left margin)."""
    out = []
    for a in fig.axes:
        lo, hi = sorted(a.get_xlim())
        locs = [v for v in a.xaxis.get_majorticklocs() if lo <= v <= hi]
        if locs and a.xaxis.get_visible():
            out.append(str(a.xaxis.get_major_formatter().format_ticks(locs)[0]))
    return out


def _wrap_to_width(name: str, width_pt: float, size: float, fig: Figure) -> str:
    """``name`` broken at spaces into lines no wider than ``width_pt`` in the house font
    at ``size`` (measured, not counted in characters: a line of Vietnamese, with its
    narrow accented letters, holds more characters than one of capitals). A no-break
    space holds its words together; a word wider than the room is a line of its own."""
    import re

    return "\n".join(greedy_lines(re.split(r"[ \t\n\r\f\v]+", name.strip(" \t\n")),
                                  lambda s: _text_width_pt(fig, s, size) <= width_pt))


#: Row labels of the phone layout are drawn on an opaque white box above reference lines
#: (a 100 % line, a zero line): the line pauses under the label instead of crossing it.
ROW_LABEL_ZORDER = 4
#: Room, in points, a row label's box (:class:`RowLabelBox`, the axes' own colour) leaves
#: above and beside its words: a gridline pauses that far from them, not at the tip of a
#: letter (QA-0305 S9: at 0.5 pt round the words, the grid of Figures 0.1, 5.1, 9.1 and
#: 11.1 seemed to pierce the labels on a phone). Below, :data:`ROW_LABEL_PAD_BELOW_PT`:
#: the bar's top is 1.2 pt under the label (the room above it is 3.4 pt and more).
ROW_LABEL_PAD_PT = 2.0
ROW_LABEL_PAD_BELOW_PT = 0.5
#: Vertical reference lines (a 100 % line, a total, the zero of a dot chart) the phone
#: layout draws only across each row's bar or marks (:func:`_lines_across_bars`), not
#: through the row labels above them.
ROW_BAND_LINES = ("target-line", "total-line", "zero-line")


class RowLabelBox:
    """The box of a row label of the phone layout: its words with
    :data:`ROW_LABEL_PAD_PT` above and either side, :data:`ROW_LABEL_PAD_BELOW_PT` below
    (a matplotlib box style: a class, not a closure, as a chart is pickled with it).
    ``size``: the label's font size in points (the box is scaled by it in pixels)."""

    def __init__(self, size: float) -> None:
        self.size = float(size)

    def __call__(self, x0, y0, width, height, mutation_size):
        from matplotlib.path import Path

        px = mutation_size / self.size  # pixels a point (the text's size in pixels / pt)
        pad, below = ROW_LABEL_PAD_PT * px, ROW_LABEL_PAD_BELOW_PT * px
        left, bottom = x0 - pad, y0 - below
        right, top = x0 + width + pad, y0 + height + pad
        return Path([(left, bottom), (right, bottom), (right, top), (left, top),
                     (left, bottom)], closed=True)


def _lines_across_bars(ax, rows: list[float], bar_half: float) -> None:
    """Draw each vertical reference line of ``ax`` (:data:`ROW_BAND_LINES`, drawn across
    the whole axes) only across each row's bar, ``bar_half`` row units either side of
    ``rows``: on a phone the row labels lie above the bars across the whole width, and a
    100 % line through them, even pausing under their box, reads as striking them
    through (QA-0305 S9, Figures 0.2 and 5.2). One line still, broken between rows."""
    for ln in ax.get_lines():
        if str(ln.get_gid() or "") not in ROW_BAND_LINES:
            continue
        xs = set(np.asarray(ln.get_xdata(), float).tolist())
        if len(xs) != 1:
            continue  # not a vertical line
        x = xs.pop()
        ys: list[float] = []
        for c in sorted(rows):
            ys += [c - bar_half, c + bar_half, float("nan")]
        ln.set_transform(ax.transData)
        ln.set_data([x] * len(ys), ys)
#: Inches at a row-axis value of an axes in the phone layout (:func:`labels_above_bars`):
#: what its rows need between two values.
_ROW_INCHES: WeakKeyDictionary = WeakKeyDictionary()


def _row_start(spec) -> int:
    return spec.rowspan.start if spec is not None else 0


def fit_rows(fig: Figure, laid_out=None) -> None:
    """Make ``fig`` as tall as every axes with labels above its rows needs to give each
    row the inches :func:`labels_above_bars` asked for: taller, or shorter when all its
    axes are such (a figure first drawn taller spread its rows apart, QA-0000 R6). The
    layout shares the figure's height among all its axes and their decorations, hence a
    few rounds. ``laid_out``: as for :func:`dbanalysis.plotting.style.renderer`."""
    axes = [ax for ax in fig.axes if ax in _ROW_INCHES]
    if not axes:
        return
    may_shrink = all(ax in _ROW_INCHES for ax in fig.axes if ax.get_visible())

    def needed(ax) -> float:
        return float(_ROW_INCHES[ax](*ax.get_ylim()))

    specs = [ax.get_subplotspec() for ax in fig.axes]
    grid = specs[0].get_gridspec() if specs[0] is not None else None
    if (grid is not None and len(axes) == len(fig.axes) > 1 and grid.ncols == 1
            and grid.nrows == len(axes)
            and all(sp is not None and sp.get_gridspec() is grid for sp in specs)):
        # panels stacked in one column: each as tall as its rows need, not as set at first
        order = sorted(zip(specs, fig.axes, strict=True), key=lambda p: _row_start(p[0]))
        grid.set_height_ratios([needed(ax) for _, ax in order])
        laid_out = None  # a layout to make again
    for k in range(6):
        r = renderer(fig, None if k else laid_out)
        need = [(needed(ax), ax.get_window_extent(r).height / fig.dpi) for ax in axes]
        total = sum(h for _, h in need)
        # the figure's height less its axes' is their decorations': a change of the
        # figure's height goes to its axes in proportion to their heights
        grow = max((n - h) * total / max(h, 0.1) for n, h in need)
        if abs(grow) <= 0.01 or (grow < 0 and not may_shrink):
            return
        w, h = fig.get_size_inches()
        fig.set_size_inches(w, h + grow)
