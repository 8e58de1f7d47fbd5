"""The house style: palette, font, size, and figures made outside pyplot.

DejaVu Sans covers every Vietnamese letter (:func:`vietnamese_font_check` tells
which characters a font lacks). :func:`use_house_style` also registers a
deterministic PNG formatter for figures in IPython.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import matplotlib as mpl
import matplotlib.style
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font

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
#: Hatch of qualified values ('over', 'estimate', 'expected') and flagged figures.
QUALIFIED_HATCH = "///"
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


def new_figure(nrows: int = 1, ncols: int = 1, figsize=None, **kw):
    """A Figure outside pyplot with constrained layout, and its axes (a 2-D array)."""
    fig = Figure(figsize=figsize or FIGSIZE, dpi=DPI, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **kw)
    return fig, axes


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
    layout done: text extents can then be measured."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas = fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)
    fig.draw_without_rendering()
    return canvas.get_renderer()


def keep_labels_inside(ax, labels, margin_px: float = 6.0) -> None:
    """Widen the x-axis until every text of ``labels`` (placed at a data x, aligned
    ``left`` or ``right``) ends inside the axes: left-aligned texts push the right end,
    right-aligned ones the left end (an axis from zero keeps its zero)."""
    labels = [t for t in labels if t.get_text()]
    for _ in range(4):
        if not labels:
            return
        r = renderer(ax.figure)
        width = ax.get_window_extent(r).width
        x0, x1 = ax.get_xlim()
        lo, hi = x0, x1
        for t in labels:
            share = (t.get_window_extent(r).width + margin_px) / width
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
