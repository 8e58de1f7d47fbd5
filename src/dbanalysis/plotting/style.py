"""The house style: palette, font, size, and figures made outside pyplot.

DejaVu Sans covers every Vietnamese letter (:func:`vietnamese_font_check` tells
which characters a font lacks). :func:`use_house_style` also registers a
deterministic PNG formatter for figures in IPython.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.style
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font

from .measure import canvas_renderer, measuring_canvas, ticks_updated_once
from .spacing import _LABEL_OFFSET, _indent_lines, clear_of_markers, keep_value_labels

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

#: The one size of a bar chart's row labels in the phone layout (:func:`.rows.labels_above_bars`),
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


def fit_width(fig: Figure, width_in: float = NARROW_WIDTH, laid_out=None):
    """Narrow ``fig`` until its tight bounding box (what :func:`png_bytes` saves, less
    its padding) is at most ``width_in`` inches wide: text that sticks out of the figure
    (a legend, an annotation) would otherwise widen the image past a phone's column.
    ``laid_out``: as for :func:`renderer`. Returns the renderer of the layout the figure
    is left in (None if it was changed after its last layout)."""
    for k in range(4):
        r = renderer(fig, None if k else laid_out)
        with ticks_updated_once(fig):
            box = fig.get_tightbbox(r)
        excess = box.width - width_in
        if excess <= 0.01:
            return r
        w, h = fig.get_size_inches()
        if w - excess < 0.85 * width_in:
            return r  # a text wider than the phone's column: better a smaller image than none
        fig.set_size_inches(w - excess - 0.02, h)
    return None


def enforce_min_font(fig: Figure, points: float = MIN_FONT_PT, texts=None) -> None:
    """Raise every visible text of ``fig`` smaller than ``points`` to ``points``.
    ``texts``: the figure's texts (``fig.findobj(Text)``), when the caller has them (a
    walk of the figure's artists asks every axis for its ticks: ~1 ms)."""
    from matplotlib.text import Text

    for t in fig.findobj(Text) if texts is None else texts:
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


def _text_width_pt(fig: Figure, s: str, size: float,
                   prop: FontProperties | None = None) -> float:
    """The width, in points, of ``s`` in the house font (or ``prop``'s: a bold title) at
    ``size`` (no layout run)."""
    from .measure import canvas_renderer

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
        out += greedy_lines(re.split(r"[ \t\r\f\v]+", line.strip(" \t")),
                            lambda s: _text_width_pt(fig, s, size, prop) <= width_pt)
    return "\n".join(out)


def greedy_lines(words: list[str], fits: Callable[[str], bool]) -> list[str]:
    """``words`` broken into lines as a greedy breaker breaks them, a word at a time: each
    line as many words (joined by a space) as ``fits`` allows, a word too wide for any
    line a line of its own. The first line's end is found by bisection, the rest of the
    words tried first (a label of one line: one measure); each later line's from a guess,
    as many words as the line before: tried first, then runs one, two, four... words
    longer (or shorter, when the guess does not fit) until one end is passed, then
    bisection between. Its contract with ``fits``: if a run of words from one word fits,
    every shorter run from that word fits. The callers' measure keeps it: the advance
    width of more words in a left-to-right script is never smaller than that of its first
    words, whose glyphs keep their places when words are appended (the same lines as
    trying each word in turn on the report's labels, on hostile ones and on random
    probes); a ``fits`` that breaks it gets other lines. FreeType's cost grows with the
    characters measured: trying the whole rest on every line measured a long label's
    words again and again (the hostile run's row labels of 150-400 characters, 11-15
    lines: ~40 % of its FreeType time); the guess measures about two lines' worth a line.
    On the report's charts (every chart, both languages and layouts) 660 strings and 21.8k
    characters, against 685 and 23.1k trying the rest each line and 821 trying each
    word."""
    lines: list[str] = []
    i, n = 0, len(words)
    guess = None  # words on the line before
    while i < n:
        lo, hi = i + 1, n  # words[i:lo] is a line (one word at least); the end is in lo..hi
        first = n if guess is None else min(i + guess, n)
        if first > lo:
            if fits(" ".join(words[i:first])):
                lo = first
            else:
                hi = first - 1
        if guess is not None:
            lo, hi = _gallop(words, i, lo, hi, fits, up=lo == first)
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if fits(" ".join(words[i:mid])):
                lo = mid
            else:
                hi = mid - 1
        lines.append(" ".join(words[i:lo]))
        guess, i = lo - i, lo
    return lines


def _gallop(words: list[str], i: int, lo: int, hi: int, fits: Callable[[str], bool],
            up: bool) -> tuple[int, int]:
    """The end of the line from ``words[i]`` bracketed closer (``words[i:lo]`` fits, no
    run longer than ``hi`` words does): runs 1, 2, 4... words longer than ``lo`` tried
    (``up``, the guess fitted), or 1, 2, 4... words shorter than the guess that did not
    fit (``hi`` + 1), until one passes the end."""
    step = 1
    while lo < hi:
        probe = min(lo + step, hi) if up else max(hi - step + 1, lo + 1)
        if fits(" ".join(words[i:probe])):
            lo = probe
            if not up:
                break
        else:
            hi = probe - 1
            if up:
                break
        step *= 2
    return lo, hi


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


#: Height of a line of text, in times its font size: the room made for lines of a text
#: before it is laid out (an axis title's, a row label's, a value label's).
LINE_HEIGHT = 1.25

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
    return LEGEND_DROP_PT - (float(label.get_fontsize()) * LINE_HEIGHT + float(ax.xaxis.labelpad))


def legend_clear_of_xlabel(ax) -> None:
    """Move a legend placed under ``ax`` (:data:`LEGEND_DROP_PT` below it) down by the
    extra lines of a wrapped x-axis title, so that the two do not overlap."""
    from matplotlib.transforms import ScaledTranslation

    legend = ax.get_legend()
    extra = ax.get_xlabel().count("\n")
    if legend is None or not extra:
        return
    drop = LEGEND_DROP_PT + extra * float(ax.xaxis.label.get_fontsize()) * LINE_HEIGHT
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


def renderer(fig: Figure, laid_out=None):
    """An Agg renderer for ``fig`` (attaching an Agg canvas when it has none), with the
    layout done: text extents can then be measured.

    The layout is run as :meth:`Figure.draw` runs it, without the rest of a draw (every
    artist gone through to draw nothing): the extents measured after it are the same
    and the chart's PNG is the same, byte for byte (``bench/chart_hashes.py``); a
    chart is laid out many times while its labels are fitted. ``laid_out``: a renderer
    of ``fig`` whose layout still stands (a fitting step's, after which nothing the
    layout reads has changed: sizes, texts and artists in the layout, limits): returned
    as it is, the layout not made again, while the figure's size in whole pixels is the
    one it was made for (the canvas keeps one renderer per pixel size: a change of size
    under a pixel is not seen here, so a caller passes ``laid_out`` only when nothing has
    changed since that layout; every caller passes None after a change). A layout made
    again with nothing changed is the same to within rounding, not to the bit: its second
    pass moves the axes (by ~1e-16 of the figure in 186 of the 249 layouts of the
    report's charts, all four editions), and one made again starts from there; a chart's
    PNG is checked byte for byte (``bench/chart_hashes.py``), not the floats."""
    r = canvas_renderer(fig)
    if laid_out is not None and laid_out is r:
        return r
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
        from .rows import labels_above_bars  # (a module above this one: it imports it)

        labels_above_bars(ax)
    labels = [t for t in labels if t.get_text()]
    for t in labels:  # they end inside the axes: the layout need not make room for them
        t.set_in_layout(False)
        _indent_lines(t)
    # the labels are out of the layout: moving them leaves clear_of_markers' standing
    _widen_for(ax, labels, margin_px, clear_of_markers(ax, labels, renderer))
    if labels:
        keep_value_labels(ax, labels)


def _widen_for(ax, labels, margin_px: float, laid_out=None) -> None:
    for k in range(4):
        if not labels:
            return
        r = renderer(ax.figure, None if k else laid_out)
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
