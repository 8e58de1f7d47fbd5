"""The house style: palette, font, size, and figures made outside pyplot.

DejaVu Sans covers every Vietnamese letter (:func:`vietnamese_font_check` tells
which characters a font lacks). :func:`use_house_style` also registers a
deterministic PNG formatter for figures in IPython.
"""

from __future__ import annotations

import contextlib
import itertools
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import matplotlib as mpl
import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font
from matplotlib.scale import FuncScale

from .spacing import (
    _LABEL_OFFSET,
    _VALUE_LABELS,
    _indent_lines,
    canvas_renderer,
    clear_of_markers,
    measuring_canvas,
    ticks_updated_once,
)

HOUSE_FONT = "DejaVu Sans"
#: The chart style (the look of seaborn's "whitegrid" theme), applied by use_house_style.
HOUSE_STYLE = Path(__file__).with_name("house.mplstyle")
#: Okabe & Ito (2008) colour-blind-safe palette (black last).
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
             "#000000"]
DPI = 100
FIGSIZE = (7.0, 4.0)
STATED_COLOR = OKABE_ITO[0]
DERIVED_COLOR = OKABE_ITO[0]
#: Hatch of qualified values ('over', 'estimate', 'expected'): on every chart it means
#: only that (an audit's doubt has its own mark, :data:`QUESTIONED_EDGE_COLOR`).
QUALIFIED_HATCH = "///"
#: The one mark of a bar whose figure an audit check finds inconsistent or open to two
#: readings (:func:`dbanalysis.views.questioned.in_doubt`): a thick black outline, unfilled.
QUESTIONED_EDGE_COLOR = "black"
QUESTIONED_EDGE_WIDTH = 2.6
#: Grey of the part of a 100 % bar a share leaves out.
WHOLE_COLOR = "#e6e6e6"

RC: dict[Any, Any] = {
    "font.family": "sans-serif",
    "font.sans-serif": [HOUSE_FONT],
    "figure.dpi": DPI,
    "savefig.dpi": DPI,
    "figure.figsize": FIGSIZE,
    "savefig.bbox": "tight",
    "savefig.pad_inches": 0.15,
    "svg.hashsalt": "dbanalysis",
    "svg.fonttype": "path",
    "pdf.fonttype": 42,
    "axes.titlelocation": "left",
    "axes.titleweight": "bold",
    "figure.titleweight": "bold",
    "axes.unicode_minus": True,
    # labels are data text: "$\\frac{a}{$" is drawn as written, not parsed as mathtext
    # (dbanalysis.core.markup.mpl_plain does the same for every text when a chart is drawn)
    "text.parse_math": False,
}


def use_house_style() -> None:
    """The house style (``house.mplstyle``: light grid, Okabe-Ito palette, DejaVu Sans),
    fixed size and dpi.

    Inside IPython, also display :class:`Figure` objects as deterministic PNG.
    """
    mpl.style.use(HOUSE_STYLE)
    mpl.rcParams.update(RC)
    # tables show quotes, notes and explanations whole: a truncated quote is no quote
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_rows", 200)
    _register_ipython_formatter()


def _register_ipython_formatter() -> None:
    if "IPython" not in sys.modules:
        return  # no IPython shell runs in a process that never imported IPython
    from IPython import get_ipython

    from .provenance import png_bytes

    ip = get_ipython()
    if ip is None:
        return
    ip.display_formatter.formatters["image/png"].for_type(Figure, png_bytes)


#: Width in inches of a chart drawn for a phone (:func:`narrow`): at 100 CSS px an inch
#: it fits the 341 CSS px a page's text column has on a 390 px screen, with the
#: tight bounding box's margins.
NARROW_WIDTH = 3.1
#: The narrow layout is drawn at twice the pixels and shown at half (``2x`` in srcset),
#: so that a phone's dense screen gets sharp text.
NARROW_DPI = 2 * DPI
#: Smallest text a chart writes, in points: 9 pt is 12.5 CSS px at 100 CSS px an inch
#: (the issue's floor is 11 CSS px, met with room for a screen narrower than 390 px).
MIN_FONT_PT = 9.0

#: The one size of a bar chart's row labels in the phone layout (:func:`labels_above_bars`),
#: in points: the tick labels' size (house.mplstyle), 15.3 CSS px at 100 CSS px an inch,
#: above the site's 13 px floor for text (QA-1945 R3: share bars wrote theirs at 9 pt,
#: 12.5 px, smaller than the tick labels they serve).
ROW_LABEL_PT = 11.0

_LAYOUT = {"narrow": False}


@contextlib.contextmanager
def narrow() -> Iterator[None]:
    """Draw charts in the phone layout inside the ``with`` block: :data:`NARROW_WIDTH`
    wide, small multiples stacked in one column, row labels above their bars."""
    previous = _LAYOUT["narrow"]
    _LAYOUT["narrow"] = True
    try:
        yield
    finally:
        _LAYOUT["narrow"] = previous


def is_narrow() -> bool:
    """Whether charts are being drawn in the phone layout (:func:`narrow`)."""
    return _LAYOUT["narrow"]


def new_figure(nrows: int = 1, ncols: int = 1, figsize=None, **kw):
    """A Figure outside pyplot with constrained layout, and its axes (a 2-D array).

    In the phone layout (:func:`narrow`) the figure is :data:`NARROW_WIDTH` wide and a
    row of panels is stacked in one column (the array keeps the shape the caller asked
    for, so ``axes[0, k]`` is still the k-th panel)."""
    width, height = figsize or FIGSIZE
    if not is_narrow():
        fig = Figure(figsize=(width, height), dpi=DPI, layout="constrained")
        measuring_canvas(fig)
        return fig, fig.subplots(nrows, ncols, squeeze=False, **kw)
    rows, cols = (ncols, 1) if nrows == 1 and ncols > 1 else (nrows, ncols)
    per_row = height / nrows
    fig = Figure(figsize=(NARROW_WIDTH, per_row * rows * (0.85 if rows > 1 else 1.0)),
                 dpi=DPI, layout="constrained")
    measuring_canvas(fig)
    axes = fig.subplots(rows, cols, squeeze=False, **kw)
    return fig, axes.reshape(nrows, ncols)


def fit_width(fig: Figure, width_in: float = NARROW_WIDTH) -> None:
    """Narrow ``fig`` until its tight bounding box (what :func:`png_bytes` saves, less
    its padding) is at most ``width_in`` inches wide: text that sticks out of the figure
    (a legend, an annotation) would otherwise widen the image past a phone's column."""
    for _ in range(4):
        r = renderer(fig)
        with ticks_updated_once(fig):
            box = fig.get_tightbbox(r)
        excess = box.width - width_in
        if excess <= 0.01:
            return
        w, h = fig.get_size_inches()
        if w - excess < 0.85 * width_in:
            return  # a text wider than the phone's column: better a smaller image than none
        fig.set_size_inches(w - excess - 0.02, h)


def enforce_min_font(fig: Figure, points: float = MIN_FONT_PT) -> None:
    """Raise every visible text of ``fig`` smaller than ``points`` to ``points``."""
    from matplotlib.text import Text

    for t in fig.findobj(Text):
        if t.get_visible() and t.get_text().strip() and float(t.get_fontsize()) < points:
            t.set_fontsize(points)


def min_text_px(fig: Figure, dpi: float) -> float:
    """The smallest visible text of ``fig`` in pixels of its image at ``dpi``."""
    from matplotlib.text import Text

    sizes = [float(t.get_fontsize()) for t in fig.findobj(Text)
             if t.get_visible() and t.get_text().strip()]
    return round(min(sizes) * dpi / 72, 2) if sizes else 0.0


def has_row_labels(ax) -> bool:
    """Whether ``ax``'s y ticks are the names of rows (words, not numbers)."""
    return any(any(c.isalpha() for c in t.get_text()) for t in ax.get_yticklabels())


def labels_above_bars(ax) -> None:
    """Phone layout of a horizontal bar chart: each row's label (the y tick label) is
    written above its bar across the whole width, instead of beside it, where it would
    squeeze the bars to nothing; wrapped to that width as measured in its font
    (:func:`_wrap_to_width`), :data:`ROW_LABEL_INSET_PT` in from the left frame, at
    least :data:`ROW_LABEL_PT` (one size for every bar chart: wrapped, never shrunk). The
    figure grows to give each row room: the room its own label, bar and value label need
    (:func:`_row_knots`), not the room of the chart's tallest row."""
    from matplotlib.transforms import ScaledTranslation, blended_transform_factory

    ticks = list(ax.get_yticks())
    names = [t.get_text() for t in ax.get_yticklabels()]
    if not ticks or not any(n.strip() for n in names):
        return
    size = max(ROW_LABEL_PT, ax.get_yticklabels()[0].get_fontsize() if names else ROW_LABEL_PT)
    wrapped = [_wrap_to_width(n, _row_label_room_pt(ax, size), size, ax.figure) for n in names]
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
                bbox={"facecolor": "white", "edgecolor": "none", "pad": 0.5}).set_in_layout(False)
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
    fit_rows(ax.figure)


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
    return lines * size * 1.25 / 72 + 0.08


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
            reach.append((t.get_text().count("\n") + 1) * float(t.get_fontsize()) * 1.25 / 144)
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
    zero = _text_width_pt(fig, "0", float(tick.get_fontsize()) if tick else size) / 2
    return fig.get_size_inches()[0] * 72 - 2 * pad - zero - ROW_LABEL_INSET_PT \
        - ROW_LABEL_SPARE_PT


def _text_width_pt(fig: Figure, s: str, size: float,
                   prop: FontProperties | None = None) -> float:
    """The width, in points, of ``s`` in the house font (or ``prop``'s: a bold title) at
    ``size`` (no layout run)."""
    from .spacing import canvas_renderer

    r = canvas_renderer(fig)
    font = FontProperties(size=size) if prop is None else prop.copy()
    font.set_size(size)
    return r.get_text_width_height_descent(s, font, ismath=False)[0] * 72 / fig.dpi


def wrap_title_to_width(title: str, width_pt: float, prop: FontProperties,
                        fig: Figure) -> str:
    """A panel title's every line broken at spaces to ``width_pt`` in its own font
    (measured: a Vietnamese line in bold holds fewer characters than a count of them
    guesses, and a title wider than its panel widened the phone's image)."""
    import re

    size = float(prop.get_size_in_points())
    out: list[str] = []
    for line in title.split("\n"):
        lines: list[str] = []
        for word in re.split(r"[ \t\r\f\v]+", line.strip(" \t")):
            if lines and _text_width_pt(fig, f"{lines[-1]} {word}", size, prop) <= width_pt:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        out += lines
    return "\n".join(out)


def _wrap_to_width(name: str, width_pt: float, size: float, fig: Figure) -> str:
    """``name`` broken at spaces into lines no wider than ``width_pt`` in the house font
    at ``size`` (measured, not counted in characters: a line of Vietnamese, with its
    narrow accented letters, holds more characters than one of capitals). A no-break
    space holds its words together; a word wider than the room is a line of its own."""
    import re

    lines: list[str] = []
    for word in re.split(r"[ \t\n\r\f\v]+", name.strip(" \t\n")):
        if lines and _text_width_pt(fig, f"{lines[-1]} {word}", size) <= width_pt:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return "\n".join(lines)


#: Row labels of the phone layout are drawn on an opaque white box above reference lines
#: (a 100 % line, a zero line): the line pauses under the label instead of crossing it.
ROW_LABEL_ZORDER = 4
#: Inches at a row-axis value of an axes in the phone layout (:func:`labels_above_bars`):
#: what its rows need between two values.
_ROW_INCHES: WeakKeyDictionary = WeakKeyDictionary()


def _row_start(spec) -> int:
    return spec.rowspan.start if spec is not None else 0


def fit_rows(fig: Figure) -> None:
    """Make ``fig`` as tall as every axes with labels above its rows needs to give each
    row the inches :func:`labels_above_bars` asked for: taller, or shorter when all its
    axes are such (a figure first drawn taller spread its rows apart, QA-0000 R6). The
    layout shares the figure's height among all its axes and their decorations, hence a
    few rounds."""
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
    for _ in range(6):
        r = renderer(fig)
        need = [(needed(ax), ax.get_window_extent(r).height / fig.dpi) for ax in axes]
        total = sum(h for _, h in need)
        # the figure's height less its axes' is their decorations': a change of the
        # figure's height goes to its axes in proportion to their heights
        grow = max((n - h) * total / max(h, 0.1) for n, h in need)
        if abs(grow) <= 0.01 or (grow < 0 and not may_shrink):
            return
        w, h = fig.get_size_inches()
        fig.set_size_inches(w, h + grow)


def keep_annotations_inside(ax, texts, margin_px: float = 4.0) -> None:
    """Widen the x-axis until every text of ``texts`` (an annotation placed at an offset
    from its point) lies inside the axes, clear of the tick labels beside them; in a
    narrow figure a fixed margin of years is too little for a label."""
    for _ in range(5):
        r = renderer(ax.figure)
        box = ax.get_window_extent(r)
        x0, x1 = ax.get_xlim()
        per_px = (x1 - x0) / box.width
        left = max([box.x0 + margin_px - t.get_window_extent(r).x0 for t in texts] + [0.0])
        right = max([t.get_window_extent(r).x1 - box.x1 + margin_px for t in texts] + [0.0])
        if left <= 0.5 and right <= 0.5:
            return
        ax.set_xlim(x0 - left * per_px * 1.05, x1 + right * per_px * 1.05)


#: Drop of a legend under its axes (:func:`dbanalysis.plotting.bar_charts.legend_below`)
#: below the axes' bottom, in points: tick labels and a one-line axis title.
LEGEND_DROP_PT = 46.0


def legend_drop_pt(ax) -> float:
    """:data:`LEGEND_DROP_PT`, less the line of the axis title and its pad when the
    x-axis has none (tick labels only, e.g. Figure 4.1's years, where the title's room
    was a 45 px gap between the plot and its legend on a phone)."""
    if ax.get_xlabel():
        return LEGEND_DROP_PT
    label = ax.xaxis.label
    return LEGEND_DROP_PT - (float(label.get_fontsize()) * 1.25 + float(ax.xaxis.labelpad))


def legend_clear_of_xlabel(ax) -> None:
    """Move a legend placed under ``ax`` (:data:`LEGEND_DROP_PT` below it) down by the
    extra lines of a wrapped x-axis title, so that the two do not overlap."""
    from matplotlib.transforms import ScaledTranslation

    legend = ax.get_legend()
    extra = ax.get_xlabel().count("\n")
    if legend is None or not extra:
        return
    drop = LEGEND_DROP_PT + extra * float(ax.xaxis.label.get_fontsize()) * 1.25
    below = ax.transAxes + ScaledTranslation(0, -drop / 72, ax.figure.dpi_scale_trans)
    legend.set_bbox_to_anchor((0, 0), transform=below)


def vietnamese_font_check(text: str, family: str | None = None) -> tuple[str, set[str]]:
    """The font file matplotlib resolves for ``family`` (default: the house font as
    set in rcParams) and the characters of ``text`` it has no glyph for."""
    if family is None:
        props = FontProperties(family=mpl.rcParams["font.family"])
    else:
        props = FontProperties(family=family)
    path = str(findfont(props, fallback_to_default=False))
    charmap = FT2Font(path).get_charmap()
    missing = {c for c in text if not c.isspace() and ord(c) not in charmap}
    return path, missing


def renderer(fig: Figure):
    """An Agg renderer for ``fig`` (attaching an Agg canvas when it has none), with the
    layout done: text extents can then be measured.

    The layout is run as :meth:`Figure.draw` runs it, without the rest of a draw (every
    artist gone through to draw nothing): the extents measured after it are the same
    and the chart's PNG is the same, byte for byte (``bench/chart_hashes.py``); a
    chart is laid out many times while its labels are fitted."""
    r = canvas_renderer(fig)
    engine = fig.get_layout_engine()
    if fig.get_visible() and fig.axes and engine is not None:
        try:
            with ticks_updated_once(fig):
                engine.execute(fig)
        except ValueError:  # as Figure.draw: a layout that cannot be made is skipped
            pass
    return r


def keep_labels_inside(ax, labels, margin_px: float = 6.0) -> None:
    """Widen the x-axis until every text of ``labels`` (placed at a data x, aligned
    ``left`` or ``right``) ends inside the axes: left-aligned texts push the right end,
    right-aligned ones the left end (an axis from zero keeps its zero). Each keeps clear
    of the marker it labels first (:func:`clear_of_markers`)."""
    if is_narrow() and has_row_labels(ax):
        labels_above_bars(ax)
    labels = [t for t in labels if t.get_text()]
    for t in labels:  # they end inside the axes: the layout need not make room for them
        t.set_in_layout(False)
        _indent_lines(t)
    clear_of_markers(ax, labels, renderer)
    _widen_for(ax, labels, margin_px)
    if labels:
        _VALUE_LABELS[ax] = labels


def _widen_for(ax, labels, margin_px: float) -> None:
    for _ in range(4):
        if not labels:
            return
        r = renderer(ax.figure)
        width = ax.get_window_extent(r).width
        x0, x1 = ax.get_xlim()
        lo, hi = x0, x1
        for t in labels:
            offset = _LABEL_OFFSET.get(t, 0.0) * ax.figure.dpi / 72
            share = (t.get_window_extent(r).width + offset + margin_px) / width
            x = t.get_position()[0]
            if share >= 1:
                continue
            if t.get_horizontalalignment() == "right":
                lo = min(lo, (x - share * x1) / (1 - share))
            else:
                hi = max(hi, x0 + (x - x0) / (1 - share))
        if hi <= x1 + abs(x1 - x0) * 5e-4 and lo >= x0 - abs(x1 - x0) * 5e-4:
            return
        ax.set_xlim(lo, hi)
