"""Room between a chart's texts and its marks, as rules every chart follows: a value
label keeps :data:`LABEL_PAD_PT` from the marker it labels and every line of it the
first line's room from its mark; no value label ends on a gridline past the data;
neighbouring tick labels keep :data:`TICK_GAP_PT` apart. Each rule moves only what breaks
it, so a chart that already keeps the room is drawn as before, byte for byte.

:func:`dbanalysis.plotting.style.keep_labels_inside` applies the first two while it fits
the labels, :func:`dbanalysis.plotting.provenance.finish` the others once the chart is
laid out.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from weakref import WeakKeyDictionary, ref

from matplotlib.figure import Figure

#: Least room, in points, between a value label's words and the marker it labels (a
#: dot, a square, the cap of a range drawn at the label's anchor): the words' own
#: leading spaces are the usual room; a wider marker, or a second line without them,
#: gets the rest as an offset (:func:`clear_of_markers`).
LABEL_PAD_PT = 2.5
#: Least room, in points, between two neighbouring tick labels of an x-axis; closer, every
#: other tick goes (0, 50, 100 of 0, 25, …, 100: :func:`thin_crowded_ticks`).
TICK_GAP_PT = 7.0
#: The offset, in points, :func:`clear_of_markers` gave a label.
_LABEL_OFFSET: WeakKeyDictionary = WeakKeyDictionary()


def _marker_boxes(ax, r) -> list[tuple[float, float, float, float]]:
    """(x0, y0, x1, y1) in pixels of every marker drawn on ``ax`` (a range's caps are
    markers too), from the marker's own shape: a cap ``|`` is as wide as its stroke."""
    import numpy as np
    from matplotlib.markers import MarkerStyle

    px = ax.figure.dpi / 72
    out = []
    for ln in ax.get_lines():
        if not ln.get_visible() or ln.get_marker() in (None, "", "None", " ", "none"):
            continue
        style = MarkerStyle(ln.get_marker())
        ext = style.get_path().transformed(style.get_transform()).get_extents()
        stroke = ln.get_markeredgewidth() * px / 2
        half_w = ext.width / 2 * ln.get_markersize() * px + stroke
        half_h = ext.height / 2 * ln.get_markersize() * px + stroke
        for x, y in ln.get_transform().transform(np.asarray(ln.get_xydata(), float)):
            out.append((x - half_w, y - half_h, x + half_w, y + half_h))
    return out


def _space_px(r, t, spaces: int) -> float:
    """The width in pixels of ``spaces`` spaces in ``t``'s font."""
    if not spaces:
        return 0.0
    prop = t.get_fontproperties()
    wide = r.get_text_width_height_descent("a" + " " * spaces + "a", prop, ismath=False)[0]
    return wide - r.get_text_width_height_descent("aa", prop, ismath=False)[0]


def clear_of_markers(ax, labels, laid_out: Callable[[Figure], Any],
                     pad_pt: float = LABEL_PAD_PT):
    """Move each value label of ``labels`` (aligned ``left`` or ``right`` at a data point)
    away from the marker it labels, the one at its anchor, until every line of its words
    starts (ends, for a right-aligned label) :data:`LABEL_PAD_PT` clear of it. The offset
    is in points, the same in every layout and at every dpi; a label already clear is left
    as it is. ``laid_out(fig)``: a renderer of the figure laid out (run only when there
    is a marker), returned (None when not run): a label out of the layout moved, the
    layout still stands."""
    from matplotlib.transforms import ScaledTranslation

    fig = ax.figure
    if not any(ln.get_marker() not in (None, "", "None", " ", "none") for ln in ax.get_lines()):
        return None  # nothing to keep clear of (and the layout is not run for nothing)
    r = laid_out(fig)
    marks = _marker_boxes(ax, r)
    pad = pad_pt * fig.dpi / 72
    for t in labels:
        ha = t.get_horizontalalignment()
        if ha not in ("left", "right") or t in _LABEL_OFFSET:
            continue
        ax_x = t.get_transform().transform(t.get_position())[0]
        box = t.get_window_extent(r)
        lines = t.get_text().split("\n")
        step = box.height / len(lines)
        need = 0.0
        for k, line in enumerate(lines):
            top, bottom = box.y1 - k * step, box.y1 - (k + 1) * step
            if ha == "left":
                ink = box.x0 + _space_px(r, t, len(line) - len(line.lstrip(" ")))
            else:
                ink = box.x1 - _space_px(r, t, len(line) - len(line.rstrip(" ")))
            for x0, y0, x1, y1 in marks:
                if not (x0 - 1 <= ax_x <= x1 + 1) or y1 <= bottom or y0 >= top:
                    continue  # not the marker this label labels, or beside another line
                need = max(need, x1 + pad - ink if ha == "left" else ink - (x0 - pad))
        if need > 0.5:
            dx = need * 72 / fig.dpi * (1 if ha == "left" else -1)
            t.set_transform(t.get_transform()
                            + ScaledTranslation(dx / 72, 0, fig.dpi_scale_trans))
            _LABEL_OFFSET[t] = abs(dx)
    return r


def _indent_lines(t) -> None:
    """Give every line of a multi-line value label the room its first line keeps from its
    mark (the leading spaces of a left-aligned label, the trailing ones of a
    right-aligned one): a second line ("+ 2 funded") would otherwise touch the bar."""
    lines = t.get_text().split("\n")
    if len(lines) < 2:
        return
    if t.get_horizontalalignment() == "left":
        room = lines[0][:len(lines[0]) - len(lines[0].lstrip(" "))]
        t.set_text("\n".join([lines[0], *(room + ln.lstrip(" ") for ln in lines[1:])]))
    elif t.get_horizontalalignment() == "right":
        room = lines[0][len(lines[0].rstrip(" ")):]
        t.set_text("\n".join([lines[0], *(ln.rstrip(" ") + room for ln in lines[1:])]))


#: Width, in points, of the white outline :func:`halo_texts` draws round the words of a
#: text placed on the data: 1.5 pt either side of each stroke, which fills the gaps
#: between letters and the spaces between words at 8-10 pt, and stays inside the
#: LABEL_PAD_PT a value label keeps from its marker.
HALO_PT = 3.0


def halo_texts(ax) -> None:
    """Draw every dark text placed in ``ax`` (value labels, a total's name) on a white
    outline of its own words (:data:`HALO_PT`), so that a gridline passing through it
    pauses under the words instead of striking them through (QA-1610 item 6: the −6
    gridline through "−2.49 points"). Its place and size are unchanged; a text on a box of
    its own (a row label of the phone layout) or light on a dark bar (a count inside a
    stacked bar) is left as it is."""
    from matplotlib.colors import to_rgb
    from matplotlib.patheffects import withStroke

    for t in ax.texts:
        if t.get_bbox_patch() is not None or t.get_path_effects() or not t.get_text().strip():
            continue
        red, green, blue = to_rgb(t.get_color())
        if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.6:
            continue  # light words on a bar: a white outline would blur them
        t.set_path_effects([withStroke(linewidth=HALO_PT, foreground="white")])


#: The value labels :func:`keep_labels_inside` fitted, per axes (for
#: :func:`no_gridline_at_label_ends`, once the chart is laid out), each held weakly
#: (:func:`value_labels`): a label refers to its axes, so a label held here kept its axes
#: (the key), its figure and its renderer's pixels alive for the rest of the process,
#: unless the figure was cleared (``bilingual.show`` no longer clears one: held weakly, a
#: chart dropped is freed by Python's collector).
_VALUE_LABELS: WeakKeyDictionary = WeakKeyDictionary()


def keep_value_labels(ax, labels: list) -> None:
    """Remember ``labels`` as the value labels of ``ax`` (:func:`value_labels`)."""
    _VALUE_LABELS[ax] = [ref(t) for t in labels]


def value_labels(ax) -> list:
    """The value labels of ``ax`` :func:`keep_value_labels` remembered, in order (a label
    is a text of its axes: it lives as long as they hold it)."""
    return [t for r in _VALUE_LABELS.get(ax, []) if (t := r()) is not None]


#: Fewest characters a legend line is wrapped to by :func:`legends_within_width`.
LEGEND_MIN_CHARS = 12


def _legend_room_px(fig: Figure, ax, legend, r) -> float:
    """The width a legend under ``ax`` (anchored at the axes' left edge) may take: the
    axes' own width when the legend does not widen its margin, i.e. the figure's width
    less the layout's padding and the axes' decorations left and right of it (tick
    labels, axis title, a label past its end), measured from the axes so that a
    collapsed layout measures the same."""
    engine = fig.get_layout_engine()
    pad = float(engine.get().get("w_pad", 0.0)) * fig.dpi if engine is not None else 0.0
    from .measure import ticks_updated_once

    legend.set_in_layout(False)
    try:
        # each axis's ticks worked out once for the whole measure, as in a layout: the
        # box of an axes asks for them some 8 times (the same ticks, the same boxes)
        with ticks_updated_once(fig):
            box = ax.get_tightbbox(r, for_layout_only=True)
    finally:
        legend.set_in_layout(True)
    inner = ax.get_window_extent(r)
    left, right = (inner.x0 - box.x0, box.x1 - inner.x1) if box is not None else (0.0, 0.0)
    return fig.bbox.width - 2 * pad - max(left, 0.0) - max(right, 0.0) - 1.0


def legends_within_width(fig: Figure, laid_out=None):
    """Every legend placed under its axes (:func:`dbanalysis.plotting.bar_charts.legend_below`)
    no wider than the axes (:func:`_legend_room_px`): first in one column
    (its entries one under another, as the phone layout has them), then with its lines
    wrapped shorter, a character at a time. A legend wider than that would be laid out as
    the axes' right margin: constrained layout narrows the axes for it, runs the legend
    past the figure's edge (Figure 2.1 in Vietnamese) or, on a phone, collapses the axes
    to nothing (``reading_paths`` of ``growth_paths``). A legend that fits is left as it
    is, so a chart that keeps the rule is drawn as before, byte for byte. ``laid_out``:
    as for :func:`dbanalysis.plotting.style.renderer`. Returns the renderer of the layout
    the figure is left in (None if a legend changed after it)."""
    import warnings

    from .style import renderer

    legends = [(ax, lg) for ax in fig.axes
               if (lg := ax.get_legend()) is not None and lg.get_gid() == LEGEND_BELOW_GID]
    if not legends:
        return laid_out
    with warnings.catch_warnings():  # the layout this rule repairs may not be made yet
        warnings.simplefilter("ignore", UserWarning)
        r = renderer(fig, laid_out)
        fits = [_legend_fit(fig, ax, lg, r) for ax, lg in legends]
    changed = [lg for (_, lg), (over, budget) in zip(legends, fits, strict=True)
               if over > 1.0 or lg.get_window_extent(r).width > budget]
    for (ax, legend), (_, budget) in zip(legends, fits, strict=True):
        if legend not in changed or legend.get_window_extent(r).width <= budget:
            continue  # fits the axes: only the layout below is needed
        if getattr(legend, "_ncols", 1) > 1:  # no public getter: a legend is made again
            changed[changed.index(legend)] = legend = _one_column(ax, legend)
        _narrow_legend(legend, budget, r)
    if changed:  # laid out once without them: the axes at their own width, which
        # constrained layout keeps (it narrows axes for a legend past their end, never
        # widens them back for one that fits)
        for lg in changed:
            lg.set_in_layout(False)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            renderer(fig)
        for lg in changed:
            lg.set_in_layout(True)
        return None
    return r


def _narrow_legend(legend, budget: float, r) -> None:
    """Wrap the lines of ``legend`` (one column) a character shorter at a time, from its
    longest line, while it is wider than ``budget`` px and its lines are longer than
    :data:`LEGEND_MIN_CHARS`: the first wrapping, in that order, that fits.

    The legend's width is a non-decreasing function of its widest text (a column of
    entries, each a handle, a pad and a text; a title above), and a text's width is its
    widest line's (:class:`_Widths`). So a wrapping whose widest text is at least as wide
    as one measured too wide is too wide: once one near the fitting width is measured
    (the widest text predicted as wide as the legend now, less its widest text now, is
    found by a bisection of the wrappings), most wrappings are judged by a line or two.
    The legend itself is measured only where the prediction says it fits, and at the
    narrowest of the wrappings passed over on the prediction alone: too wide, it proves
    every one passed over too wide. Should a prediction fail, or a text be mathtext,
    each wrapping is measured in turn, as the rule reads."""
    texts = [t for t in legend.get_texts() if t.get_text()]
    whole = [" ".join(t.get_text().split("\n")) for t in texts]
    chars = max((len(line) for t in texts for line in t.get_text().split("\n")), default=0)
    now = legend.get_window_extent(r).width
    if now <= budget or chars <= LEGEND_MIN_CHARS:
        return None
    steps = range(chars - 1, LEGEND_MIN_CHARS - 1, -1)
    if any(t.get_usetex() or (t.get_parse_math() and "$" in t.get_text()) for t in texts):
        return _wrap_in_turn(legend, texts, whole, steps, budget, r)
    widths = _Widths(texts, whole, r)
    too_wide = widths.widest([t.get_text() for t in texts])  # the legend as it is now
    guess = budget - (now - too_wide)  # the widest text predicted to fit
    lo, hi, probe = 0, len(steps) - 2, None
    while lo <= hi:  # the wrapping of fewest characters predicted too wide (roughly)
        mid = (lo + hi) // 2
        widest = widths.widest(widths.wrap(steps[mid]))
        if widest > guess + 1.0:
            probe, lo = (widest, steps[mid]), mid + 1
        else:
            hi = mid - 1
    if probe is not None and probe[0] < too_wide:
        if _fits(legend, texts, widths.wrap(probe[1]), budget, r):
            return _wrap_in_turn(legend, texts, whole, steps, budget, r)
        too_wide = probe[0]
    passed: list[tuple[float, list[str]]] = []  # (widest text, wrapping) predicted too wide
    chosen: list[str] = []
    for c in steps:
        chosen = widths.wrap(c)
        if c == LEGEND_MIN_CHARS:
            break  # the last one tried, fitting or not
        below = widths.below(chosen, too_wide)
        if below is None:
            continue  # a line at least as wide as a legend too wide: too wide
        if below > guess + 1.0:
            passed.append((below, chosen))
        elif _fits(legend, texts, chosen, budget, r):
            break
        else:
            too_wide = below
    narrowest = min((p for p in passed if p[0] < too_wide), key=lambda p: p[0], default=None)
    if narrowest is not None and _fits(legend, texts, narrowest[1], budget, r):
        return _wrap_in_turn(legend, texts, whole, steps, budget, r)
    for t, s in zip(texts, chosen, strict=True):
        t.set_text(s)
    return None


def _wrap_in_turn(legend, texts, whole: list[str], steps, budget: float, r) -> None:
    """Each wrapping of ``steps`` set and measured in turn, until one fits."""
    for c in steps:
        if _fits(legend, texts, [_wrap(s, c) for s in whole], budget, r):
            break


def _wrap(s: str, chars: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(s, chars))


def _fits(legend, texts, wrapped: list[str], budget: float, r) -> bool:
    """Whether ``legend`` with its ``texts`` set to ``wrapped`` is at most ``budget`` px
    wide (the texts are left so)."""
    for t, s in zip(texts, wrapped, strict=True):
        t.set_text(s)
    return legend.get_window_extent(r).width <= budget


class _Widths:
    """The wrappings of a legend's ``texts`` (their words ``whole``) and their widths in
    px, each line measured as :meth:`matplotlib.text.Text._get_layout` measures it (an
    empty line: 0), in the texts' own fonts; a line measured once (wrappings a character
    apart share most of their lines)."""

    def __init__(self, texts, whole: list[str], r) -> None:
        self.props = [t.get_fontproperties() for t in texts]
        self.whole, self.r = whole, r
        self.wrapped: dict[int, list[str]] = {}
        self.known: dict[tuple[str, int], float] = {}

    def wrap(self, chars: int) -> list[str]:
        if chars not in self.wrapped:
            self.wrapped[chars] = [_wrap(s, chars) for s in self.whole]
        return self.wrapped[chars]

    def widest(self, strings: list[str]) -> float:
        """The width of the widest text were the texts to read ``strings``."""
        width = self.below(strings, None)
        assert width is not None
        return width

    def below(self, strings: list[str], stop: float | None) -> float | None:
        """:meth:`widest`, or None as soon as a line is found at least ``stop`` wide
        (the lines measured before looked at first, then the longest)."""
        lines = {(line, k) for k, s in enumerate(strings) for line in s.split("\n") if line}
        known = [self.known[p] for p in lines if p in self.known]
        widest = max(known, default=0.0)
        if stop is not None and widest >= stop:
            return None
        for line, k in sorted((p for p in lines if p not in self.known),
                              key=lambda p: -len(p[0])):
            width = self.known[line, k] = self.r.get_text_width_height_descent(
                line, self.props[k], ismath=False)[0]
            if stop is not None and width >= stop:
                return None
            widest = max(widest, width)
        return widest


def _legend_fit(fig: Figure, ax, legend, r) -> tuple[float, float]:
    """How far (px) the legend under ``ax`` runs past the axes' right end, and the width
    it may take (:func:`_legend_room_px` less its indent from the axes' left edge)."""
    box, inner = legend.get_window_extent(r), ax.get_window_extent(r)
    return box.x1 - inner.x1, _legend_room_px(fig, ax, legend, r) - (box.x0 - inner.x0)


#: The gid of a legend placed under its axes (:func:`legends_within_width` fits it).
LEGEND_BELOW_GID = "legend-below"


def _one_column(ax, legend):
    """``legend`` made again in one column, its entries, texts, font and place kept."""
    from matplotlib.transforms import IdentityTransform

    handles = getattr(legend, "dbanalysis_handles", None) or ax.get_legend_handles_labels()[0]
    texts = legend.get_texts()
    title = legend.get_title()
    new = ax.legend(handles=handles, labels=[t.get_text() for t in texts], loc="upper left",
                    bbox_to_anchor=legend.get_bbox_to_anchor(),
                    bbox_transform=IdentityTransform(), ncols=1,
                    prop={"size": texts[0].get_fontsize()}, frameon=False)
    if title.get_text():
        new.set_title(title.get_text(), prop={"size": title.get_fontsize()})
    new.set_gid(LEGEND_BELOW_GID)
    new.dbanalysis_handles = handles
    return new
