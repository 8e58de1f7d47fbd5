"""An axis's ticks: every value axis ends with a labelled tick at or past its data
(:func:`ticks_cover_data`), crowded tick labels thinned (:func:`thin_crowded_ticks`), and no
gridline where a value label ends in the room an axis made for it
(:func:`no_gridline_at_label_ends`). Run by :func:`dbanalysis.plotting.provenance.finish`
on every chart, once it is laid out."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable

from matplotlib.ticker import FixedLocator

from .measure import canvas_renderer
from .spacing import LABEL_PAD_PT, TICK_GAP_PT, value_labels

#: A tick label that is a number (either edition's separators, a sign, a percent sign).
_YEAR_LABEL = re.compile(r"^(19|20)\d\d$")
_NUMBER_LABEL = re.compile(r"^[−+\-]?\d[\d.,\u00a0\u202f ]*%?$")


def is_value_axis(axis) -> bool:
    """Whether ``axis`` (of a laid-out axes) is a scale of amounts: linear, and every tick
    label inside its limits a number (an axis of row names is not: its ticks name
    things; nor one of years, a time line whose last point needs no tick past it)."""
    if axis.get_scale() != "linear":
        return False
    lo, hi = sorted(axis.get_view_interval())
    eps = (hi - lo) * 1e-6
    locs = [v for v in axis.get_majorticklocs() if lo - eps <= v <= hi + eps]
    texts = [t.strip() for t in axis.get_major_formatter().format_ticks(locs)]
    shown = [t for t in texts if t]
    return len(shown) >= 2 and all(_NUMBER_LABEL.match(t) for t in shown) \
        and not all(_YEAR_LABEL.match(t) for t in shown)


def _value_axes(ax):
    """``ax``'s value axes (:func:`is_value_axis`), each with its getter and setter of
    limits and its data's extent."""
    if not (ax.get_visible() and ax.axison and ax.has_data()):
        return
    box = ax.dataLim
    for axis, get, put, extent in ((ax.xaxis, ax.get_xlim, ax.set_xlim, (box.x0, box.x1)),
                                   (ax.yaxis, ax.get_ylim, ax.set_ylim, (box.y0, box.y1))):
        if not is_value_axis(axis):
            continue
        if not all(math.isfinite(v) for v in extent) or extent[0] > extent[1]:
            continue
        yield axis, get, put, extent


def ticks_cover_data(ax) -> None:
    """Let every value axis of ``ax`` end with a tick at or beyond its data: an axis whose
    last tick stops short of the largest mark (ticks 0–75 under a mark at 84) makes a
    reader guess the mark's value. The limit moves out to the next tick of the axis's own
    step (0–100), and in the other direction for data below the first tick; a tick list
    set by hand (:func:`thin_crowded_ticks`) gets the tick added at the same step."""
    for axis, get, put, (data_lo, data_hi) in _value_axes(ax):
        for _ in range(3):
            start, end = get()
            lo, hi = sorted((start, end))
            eps = (hi - lo) * 1e-6
            locs = sorted(v for v in axis.get_majorticklocs() if lo - eps <= v <= hi + eps)
            if len(locs) < 2:
                break
            step = locs[-1] - locs[-2]
            first, last = locs[0], locs[-1]
            if data_hi > last + eps:
                last += step * math.ceil((data_hi - last) / step - 1e-9)
            if data_lo < first - eps:
                first -= step * math.ceil((first - data_lo) / step - 1e-9)
            if (first, last) == (locs[0], locs[-1]):
                break
            if isinstance(axis.get_major_locator(), FixedLocator):
                axis.set_ticks([first + k * step
                                for k in range(round((last - first) / step) + 1)])
            lo, hi = min(lo, first), max(hi, last)
            put((hi, lo) if start > end else (lo, hi))


def thin_crowded_ticks(ax, gap_pt: float = TICK_GAP_PT) -> None:
    """Keep every other major tick of ``ax``'s x-axis while two neighbouring tick labels
    are less than ``gap_pt`` apart (a share axis squeezed by its value labels on a phone
    reads 0, 50, 100 rather than 0, 25, …, 100 with 75 and 100 touching)."""
    fig = ax.figure
    for _ in range(3):
        # measured as the figure was last laid out: running the layout once more here
        # would move a chart that needs no change by a fraction of a pixel
        r = canvas_renderer(fig)
        lo, hi = sorted(ax.get_xlim())
        eps = (hi - lo) * 1e-9
        ax.xaxis.get_majorticklabels()  # the texts of ticks just set (else blank till drawn)
        ticks = sorted((t for t in ax.xaxis.get_major_ticks()
                        if lo - eps <= t.get_loc() <= hi + eps and t.label1.get_visible()
                        and t.label1.get_text().strip()), key=lambda t: t.get_loc())
        if len(ticks) < 3:
            return
        boxes = [t.label1.get_window_extent(r) for t in ticks]
        gaps = [b.x0 - a.x1 for a, b in itertools.pairwise(boxes)]
        if min(gaps) >= gap_pt * fig.dpi / 72:
            return
        lo, hi = ax.get_xlim()
        ax.set_xticks([t.get_loc() for t in ticks][::2])
        ax.set_xlim(lo, hi)


def no_gridline_at_label_ends(ax, pad_pt: float = LABEL_PAD_PT, final: bool = False) -> None:
    """Drop a tick (and its gridline) past the data, in the room the axis made for its
    value labels, where one of them ends on the gridline (within ``pad_pt`` of it:
    "119.58%" ending on the 150 line by the frame); that room then carries no gridline
    there, as a share axis carries none past 100 %. Ticks a chart chose itself stay.

    The first tick past the data stays, labelled (:func:`ticks_cover_data`: it says how
    far the data reach): ticks of another step are tried whose first tick past the data
    no label ends on (0, 40, 80, 120 rather than 0, 50, 100, 150); failing that, the
    ``final`` call (after :func:`thin_crowded_ticks`) hides that tick's gridline only."""
    labels = value_labels(ax)
    fixed = isinstance(ax.xaxis.get_major_locator(), FixedLocator)
    if not labels or (fixed and not final):
        return
    drawn = _marks_x(ax)
    if not drawn:
        return
    lo, hi = sorted(ax.get_xlim())
    past = [t for t in ax.get_xticks() if max(drawn) < t <= hi]
    if not past:
        return
    r = canvas_renderer(ax.figure)  # as laid out last (the layout is not run again)
    ends_on = _label_end_test(ax, labels, r, pad_pt)
    covering = min(past)
    if final:  # ticks as thinned: only the covering tick's gridline may go
        if ends_on(covering):
            ax.xaxis.set_ticks(sorted(t for t in ax.get_xticks() if lo <= t <= hi))
            ax.set_xlim(lo, hi)
            for tick, loc in zip(ax.xaxis.get_major_ticks(), ax.get_xticks(), strict=False):
                if loc == covering:
                    tick.gridline.set_visible(False)
        return
    ticks = [t for t in ax.get_xticks() if lo <= t <= hi]
    if ends_on(covering):
        for step in _nice_steps(ticks):
            cand = [k * step for k in range(math.ceil(lo / step), math.floor(hi / step) + 1)]
            over = [t for t in cand if t >= max(drawn)]
            if 3 <= len(cand) <= 9 and over and not ends_on(over[0]) \
                    and not _crowded(ax, cand, r):
                ticks, covering = cand, over[0]
                break
    on_end = {t for t in ticks if t > covering and ends_on(t)}
    if on_end or ticks != [t for t in ax.get_xticks() if lo <= t <= hi]:
        ax.set_xticks([t for t in ticks if t not in on_end])
        ax.set_xlim(lo, hi)  # as widened: set_xticks may not widen it further


def _crowded(ax, ticks: list[float], r, gap_pt: float = TICK_GAP_PT) -> bool:
    """Whether the x tick labels of ``ticks`` would come closer than ``gap_pt`` (as
    :func:`thin_crowded_ticks` measures them)."""
    from matplotlib.font_manager import FontProperties

    shown = ax.xaxis.get_majorticklabels()
    size = float(shown[0].get_fontsize()) if shown else 10.0
    texts = ax.xaxis.get_major_formatter().format_ticks(ticks)
    boxes = []
    for t, s in zip(ticks, texts, strict=True):
        w = r.get_text_width_height_descent(s, FontProperties(size=size), ismath=False)[0]
        x = ax.transData.transform((t, 0))[0]
        boxes.append((x - w / 2, x + w / 2))
    return any(b[0] - a[1] < gap_pt * ax.figure.dpi / 72
               for a, b in itertools.pairwise(boxes))


def _nice_steps(ticks: list[float]) -> list[float]:
    """Steps of 1, 2, 2.5, 4 or 5 times a power of ten near the step of ``ticks``,
    closest first (the other tick spacings an axis could use)."""
    if len(ticks) < 2:
        return []
    step = ticks[1] - ticks[0]
    power = 10.0 ** math.floor(math.log10(step))
    steps = {m * power * f for m in (1, 2, 2.5, 4, 5) for f in (0.1, 1, 10)}
    return sorted((s for s in steps if s != step and step / 3 <= s <= step * 3),
                  key=lambda s: abs(math.log(s / step)))


def same_value_axes(figs) -> None:
    """Give the drawings of one chart in several languages (the same call, the same
    layout: ``figs``) the same value axes: each value axis (:func:`is_value_axis`) of
    the k-th axes of every figure gets the same limits, the widest any of them took, and
    the same ticks (principle 3: comparable axes; Figure 0.1's rate panel on a phone read
    −32 in Vietnamese and −24 in English, the longer "điểm phần trăm" label having widened
    its axis). The ticks are the first set, of the figures' own (the widest axis first)
    and then of other nice steps (:func:`_nice_steps`), that covers the data and suits
    every figure: no two tick labels crowded (:func:`_crowded`), no value label ending on
    the gridline of a tick past the data (:func:`no_gridline_at_label_ends`). A wider
    axis only gives a value label more room: each still ends inside its axes."""
    figs = list(figs)
    if len(figs) < 2 or len({len(f.axes) for f in figs}) != 1:
        return
    for group in zip(*(f.axes for f in figs), strict=True):
        for which in ("x", "y"):
            _same_axis(list(group), which)


def _axis_of(ax, which: str):
    return (ax.xaxis, ax.get_xlim, ax.set_xlim, (ax.dataLim.x0, ax.dataLim.x1)) \
        if which == "x" else (ax.yaxis, ax.get_ylim, ax.set_ylim, (ax.dataLim.y0, ax.dataLim.y1))


def _shown_ticks(axis, lim) -> list[float]:
    lo, hi = sorted(lim)
    eps = (hi - lo) * 1e-6
    return sorted(float(v) for v in axis.get_majorticklocs() if lo - eps <= v <= hi + eps)


def _same_axis(group: list, which: str) -> None:
    if not all(ax.get_visible() and ax.axison and ax.has_data() for ax in group):
        return
    parts = [_axis_of(ax, which) for ax in group]
    if not all(is_value_axis(axis) for axis, *_ in parts):
        return
    lims = [get() for _, get, _, _ in parts]
    if any(lim[0] > lim[1] for lim in lims):
        return  # an inverted axis: none of the house's charts draws one
    shown = [_shown_ticks(axis, lim) for (axis, *_), lim in zip(parts, lims, strict=True)]
    if all(lim == lims[0] for lim in lims) and all(s == shown[0] for s in shown):
        return  # already the same axis
    lo, hi = min(lim[0] for lim in lims), max(lim[1] for lim in lims)
    data_lo = min(extent[0] for *_, extent in parts)
    data_hi = max(extent[1] for *_, extent in parts)
    widest = sorted(range(len(group)), key=lambda k: lims[k][0] - lims[k][1])
    candidates = [shown[k] for k in widest if len(shown[k]) >= 2]
    steps = list(dict.fromkeys(round(min(b - a for a, b in itertools.pairwise(c)), 12)
                               for c in candidates))
    for step in list(steps):
        steps += [s for s in _nice_steps([0.0, step]) if s not in steps]
    for ticks in candidates + [_ticks_of_step(s, lo, hi) for s in steps]:
        ticks, t_lo, t_hi = _covering(ticks, lo, hi, data_lo, data_hi)
        if len(ticks) >= 2 and all(_suits(ax, which, ticks, (t_lo, t_hi)) for ax in group):
            break
    else:  # none suits every drawing: the widest one's ticks, a gridline a label ends on hidden
        ticks, t_lo, t_hi = _covering(candidates[0], lo, hi, data_lo, data_hi)
    on_end = {t for ax in group for t in _ticks_on_label_ends(ax, which, ticks, (t_lo, t_hi))}
    for axis, _, put, _ in parts:
        axis.set_ticks(ticks)
        put((t_lo, t_hi))  # as widened: set_ticks may not widen it further
        for tick, loc in zip(axis.get_major_ticks(), ticks, strict=False):
            tick.gridline.set_visible(loc not in on_end)


def _suits(ax, which: str, ticks: list[float], lim: tuple[float, float]) -> bool:
    """Whether ``ticks`` on limits ``lim`` suit ``ax``: tick labels not crowded, no value
    label ending on the gridline of a tick past the data (its limits are put back)."""
    _, get, put, _ = _axis_of(ax, which)
    kept = get()
    put(lim)
    try:
        crowded = which == "x" and _crowded(ax, ticks, canvas_renderer(ax.figure))
        return not crowded and not _ticks_on_label_ends(ax, which, ticks, lim)
    finally:
        put(kept)


def _ticks_on_label_ends(ax, which: str, ticks: list[float], lim: tuple[float, float]
                         ) -> list[float]:
    """The ticks of ``ticks`` past the data of ``ax`` (either side) whose gridline a value
    label of ``ax`` ends on (:func:`_label_end_test`, as :func:`no_gridline_at_label_ends`
    tests it), on x limits ``lim``."""
    labels = value_labels(ax)
    if which != "x" or not labels:
        return []
    drawn = _marks_x(ax)
    if not drawn:
        return []
    kept = ax.get_xlim()
    ax.set_xlim(lim)
    try:
        ends_on = _label_end_test(ax, labels, canvas_renderer(ax.figure))
        return [t for t in ticks if (t > max(drawn) or t < min(drawn)) and ends_on(t)]
    finally:
        ax.set_xlim(kept)


def _marks_x(ax) -> list[float]:
    """The x of every mark of ``ax`` a value label may end past: each bar's end, each
    point of a line."""
    import numpy as np
    from matplotlib.patches import Rectangle

    drawn = [p.get_x() + p.get_width() for p in ax.patches
             if isinstance(p, Rectangle) and p.get_visible() and p.get_width() > 0]
    drawn += [float(x) for ln in ax.get_lines() for x in np.asarray(ln.get_xdata(), float)]
    return drawn


def _label_end_test(ax, labels, r, pad_pt: float = LABEL_PAD_PT) -> Callable[[float], bool]:
    """Whether one of the value labels ``labels`` of ``ax`` (measured with ``r``, on the
    axis as it is now) ends on the gridline of the x tick at a value: within ``pad_pt``
    of it, and the px of slack a text's box has past its ink (the last glyph's side
    bearing: "1,010" in Figure 3.1 on a phone ends more than 1 px short of its box)."""
    pad = pad_pt * ax.figure.dpi / 72 + 1.5  # not a figure: px of slack
    ends = [b.x0 if t.get_horizontalalignment() == "right" else b.x1
            for t, b in ((t, t.get_window_extent(r)) for t in labels)]

    def ends_on(t: float) -> bool:
        return any(abs(ax.transData.transform((t, 0))[0] - x) < pad for x in ends)

    return ends_on


def _ticks_of_step(step: float, lo: float, hi: float) -> list[float]:
    return [k * step for k in range(math.ceil(lo / step - 1e-9), math.floor(hi / step + 1e-9) + 1)]


def _covering(ticks: list[float], lo: float, hi: float, data_lo: float, data_hi: float
              ) -> tuple[list[float], float, float]:
    """``ticks`` kept within ``lo``–``hi`` and extended at their own step to a tick at
    or past the data on each side (:func:`ticks_cover_data`), the limits widened to it."""
    ticks = [t for t in ticks if lo - 1e-9 <= t <= hi + 1e-9]
    if len(ticks) < 2:
        return ticks, lo, hi
    step = min(b - a for a, b in itertools.pairwise(ticks))
    while ticks[-1] < data_hi - 1e-9:
        ticks.append(ticks[-1] + step)
    while ticks[0] > data_lo + 1e-9:
        ticks.insert(0, ticks[0] - step)
    return ticks, min(lo, ticks[0]), max(hi, ticks[-1])
