"""Percentages on a 0–100 % axis: shares of a whole (a/b pairs and stated shares, each
against a grey 100 % bar) and achievement against a plan or target (100 % line).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..catalogue import figure_labels
from ..catalogue.figures import figure
from ..core.cache import one_reading
from ..views import shares
from .bar_charts import legend_below, require_several
from .chart_text import (
    benchmark,
    figure_text,
    label,
    name_with_unit,
    number,
    percent,
    period_text,
    text,
    wrap,
)
from .provenance import finish
from .style import OKABE_ITO, QUALIFIED_HATCH, WHOLE_COLOR, keep_labels_inside, new_figure


def _pair_frame(pairs_) -> pd.DataFrame:
    if isinstance(pairs_, pd.DataFrame):
        return pairs_
    if isinstance(pairs_, str):
        return shares.pairs(pairs_)
    allp = shares.pairs()
    rows = []
    for p in pairs_:
        hit = allp[allp["count_id"] == (p[0] if isinstance(p, tuple | list) else p)]
        if hit.empty:
            raise KeyError(f"no count/total pair for {p!r}")
        rows.append(hit.iloc[0])
    return pd.DataFrame(rows)


def track_handle() -> Patch:
    """The legend entry of the grey 100 % track :func:`_share_axis` draws behind each
    share: the room left up to 100 %, named wherever the track is drawn (QA-2130 S10)."""
    return Patch(facecolor=WHOLE_COLOR, label=text("chart.legend.room"))


def _share_axis(ax, n: int) -> np.ndarray:
    """Grey 100 % bars for ``n`` rows (top first); returns the rows' y positions."""
    y = np.arange(n)[::-1]
    ax.barh(y, [100.0] * n, color=WHOLE_COLOR, height=0.6, gid="total")
    ax.set_xlim(0, 100)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel(text("chart.axis.share"))
    ax.grid(axis="y", visible=False)
    return y


def share_text(r) -> str:
    """A pair's share as every page writes it: its derived share figure by the one display
    rule (``60.0%``, three significant figures, as in the tables), not a chart's own
    rounding (``60%``)."""
    return figure_text(r["share_id"])


def _fraction(r) -> str:
    return f"{number(r['count'])}/{number(r['total'])} ({share_text(r)})"


@one_reading()  # one version of data/ per chart: its files stat'ed once
def coverage_bars(pairs, title: str | None = None) -> Figure:
    """Horizontal bars of the share a/b for count/total pairs, labelled ``a/b (x %)``.

    ``pairs``: a :func:`dbanalysis.pairs` frame, a sector name, or count ids /
    (count_id, total_id) tuples.
    """
    p = _pair_frame(pairs).reset_index(drop=True)
    require_several(list(p["count_id"]), "coverage_bars")
    fig, axes = new_figure(figsize=(7.5, 0.55 * len(p) + 1.6))
    ax = axes[0, 0]
    y = _share_axis(ax, len(p))
    ax.barh(y, p["share"], color=OKABE_ITO[2], height=0.6, gid="share")
    labels = [ax.text(100, yi, " " + _fraction(r), va="center", fontsize=9)
              for yi, (_, r) in zip(y, p.iterrows(), strict=True)]
    ax.set_yticks(y, [wrap(name_with_unit(lbl, u), 40)
                      for lbl, u in zip(p["label"], p["unit_label"], strict=True)])
    legend_below(ax, [track_handle()])
    keep_labels_inside(ax, labels)
    # each pair's derived share is written on its bar: its table lists it (QA-0000 R2)
    ids = [i for trio in zip(p["count_id"], p["total_id"], p["share_id"], strict=True)
           for i in trio]
    values = [f"{r['label']}: {_fraction(r)}" for _, r in p.iterrows()]
    return finish(fig, title or text("chart.axis.share"), ids, "bar", values)


def _qual(q) -> str | None:
    """A qualifier or None (pandas turns missing qualifiers into NaN)."""
    return q if isinstance(q, str) and q else None


@one_reading()  # one version of data/ per chart: its files stat'ed once
def marked_coverage_bars(pairs, title: str | None = None) -> Figure:
    """Like :func:`coverage_bars`, but expected (dự kiến) or 'over' counts are hatched and
    derived counts drawn hollow with a dashed edge, each named in the legend.

    ``pairs``: a :func:`dbanalysis.pairs` or :func:`dbanalysis.views.shares.pairs_of` frame,
    or a sector.
    """
    p = _pair_frame(pairs).reset_index(drop=True)
    require_several(list(p["count_id"]), "marked_coverage_bars")
    if "qualifier" not in p:
        p["qualifier"] = [figure(c)["qualifier"] for c in p["count_id"]]
    if "derived" not in p:
        p["derived"] = False
    fig, axes = new_figure(figsize=(7.8, 0.6 * len(p) + 1.9))
    ax = axes[0, 0]
    y = _share_axis(ax, len(p))
    kinds, labels, values = set(), [], []
    for yi, (_, r) in zip(y, p.iterrows(), strict=True):
        q, der = _qual(r["qualifier"]), bool(r["derived"])
        gid = f"share:{r['count_id']}"
        if der:
            kinds.add("derived")
            ax.barh([yi], [r["share"]], height=0.6, facecolor="white", edgecolor=OKABE_ITO[2],
                    linestyle="--", linewidth=1.6, gid=gid)
        elif q:
            kinds.add(q)
            ax.barh([yi], [r["share"]], height=0.6, color=OKABE_ITO[1], hatch=QUALIFIED_HATCH,
                    edgecolor="white", gid=gid)
        else:
            ax.barh([yi], [r["share"]], height=0.6, color=OKABE_ITO[2], gid=gid)
        note = (f", {figure_labels.qualifier_label(q)}" if q
                else f", {text('chart.legend.derived')}" if der else "")
        shown = f"{number(r['count'])}/{number(r['total'])} ({share_text(r)}{note})"
        labels.append(ax.text(100, yi, " " + shown, va="center", fontsize=9))
        values.append(f"{r['label']}: {shown}")
    ax.set_yticks(y, [wrap(name_with_unit(lbl, u), 42)
                      for lbl, u in zip(p["label"], p["unit_label"], strict=True)], fontsize=9)
    plain = any(not _qual(q) and not d for q, d in zip(p["qualifier"], p["derived"],
                                                          strict=True))
    handles = [Patch(facecolor=OKABE_ITO[2], label=text("chart.legend.stated"))] if plain else []
    for q in sorted(k for k in kinds if k != "derived"):
        name = (text("chart.legend.expected") if q == "expected"
                else figure_labels.qualifier_label(q))
        handles.append(Patch(facecolor=OKABE_ITO[1], hatch=QUALIFIED_HATCH, edgecolor="white",
                             label=name))
    if "derived" in kinds:
        handles.append(Patch(facecolor="white", edgecolor=OKABE_ITO[2], linestyle="--",
                             label=text("chart.legend.derived")))
    handles.append(track_handle())
    legend_below(ax, handles, ncols=len(handles))
    keep_labels_inside(ax, labels)
    ids = [i for pair in zip(p["count_id"], p["total_id"], strict=True) for i in pair]
    return finish(fig, title or text("chart.axis.share"), ids, "bar", values)


def _percent_rows(ids: Sequence[str], chart: str):
    """Figures in percent (ValueError naming any that are not), a figure with one
    horizontal row per figure, its axes and the rows' y positions (top first)."""
    require_several(ids, chart)
    figs = [figure(i) for i in ids]
    bad = [f["figure_id"] for f in figs if f["unit"] != "percent"]
    if bad:
        raise ValueError(f"not percentages: {bad}")
    fig, axes = new_figure(figsize=(7.5, 0.55 * len(figs) + 1.9))
    return figs, fig, axes[0, 0], np.arange(len(figs))[::-1]


@one_reading()  # one version of data/ per chart: its files stat'ed once
def share_bars(ids: Sequence[str], title: str | None = None) -> Figure:
    """Stated percentages of a population or set, each against a 100 % background
    (the grey part is what the share leaves out)."""
    figs, fig, ax, _ = _percent_rows(ids, "share_bars")
    y = _share_axis(ax, len(figs))
    ax.barh(y, [f["value"] for f in figs], color=OKABE_ITO[0], height=0.6, gid="share")
    labels = [ax.text(100, yi, " " + figure_text(f["figure_id"])
                      + period_text(f["period"], figure_id=f["figure_id"],
                                    label=label(f["figure_id"])),
                      va="center", fontsize=9) for yi, f in zip(y, figs, strict=True)]
    ax.set_yticks(y, [wrap(label(i), 40) for i in ids])
    legend_below(ax, [track_handle()])
    keep_labels_inside(ax, labels)
    values = [f"{label(i)}: {figure_text(i)}"
              f"{period_text(figure(i)['period'], figure_id=i, label=label(i))}"
              for i in ids]
    return finish(fig, title or text("chart.axis.share"), ids, "bar", values)


@one_reading()  # one version of data/ per chart: its files stat'ed once
def achievement_bars(ids: Sequence[str], title: str | None = None) -> Figure:
    """Achievement against plan/target in percent, on an axis from zero, with a 100 %
    reference line named in a legend under the axis (never over the bars)."""
    figs, fig, ax, y = _percent_rows(ids, "achievement_bars")
    vals = [f["value"] for f in figs]
    colors = [OKABE_ITO[2] if v >= 100 else OKABE_ITO[3] for v in vals]
    ax.barh(y, vals, color=colors, height=0.6, gid="achievement")
    ax.axvline(100, color="black", linestyle=":", linewidth=1.2, gid="target-line")
    labels = [ax.text(v, yi, " " + percent(v, 2), va="center", fontsize=9)
              for yi, v in zip(y, vals, strict=True)]
    ax.set_yticks(y, [wrap(label(i), 40) for i in ids])
    ax.set_xlim(0, max([*vals, 100]) * 1.02)
    against = benchmark(ids)  # plan, target, or both where they mix
    ax.set_xlabel(text("chart.axis.of_plan", benchmark=against))
    ax.grid(axis="y", visible=False)
    legend_below(ax, [Line2D([], [], color="black", linestyle=":",
                             label=text("chart.legend.target", benchmark=against))])
    keep_labels_inside(ax, labels)
    values = [f"{label(i)}: {percent(v, 2)}" for i, v in zip(ids, vals, strict=True)]
    return finish(fig, title or text("chart.axis.of_plan", benchmark=against), ids, "bar", values)
