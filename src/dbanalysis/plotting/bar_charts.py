"""Bars of stated values on a linear axis from zero: plain values, counts in different
units, lower bounds ('trên'/'hơn') and a stated range.

A chart of one bar says nothing its sentence does not: :func:`require_several`
refuses it with a :class:`ValueError`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from ..catalogue import figure_labels, vocab
from ..core.cache import one_reading
from ..core.language import resolve
from ..views.questioned import in_doubt, verdicts_by_figure
from .chart_text import (
    chart_figure,
    figure_text,
    has,
    label,
    number,
    number_formatter,
    text,
    unit_label,
    value_text,
    wrap,
)
from .chart_text import template as label_template
from .provenance import finish
from .style import (
    OKABE_ITO,
    QUALIFIED_HATCH,
    QUESTIONED_EDGE_COLOR,
    QUESTIONED_EDGE_WIDTH,
    keep_labels_inside,
    new_figure,
)


def require_several(items: Sequence, chart: str) -> None:
    """Refuse a chart of fewer than two bars (the sentence says it better)."""
    if len(items) < 2:
        raise ValueError(f"{chart}: a chart of one bar ({', '.join(map(str, items)) or 'none'}) "
                         "shows nothing a sentence does not; state the figure in the text "
                         "(db.say(en='... {id} ...', vi='... {id} ...')) or pass two or more "
                         "ids")


def legend_below(ax, handles=None, ncols: int = 1) -> None:
    """An axes legend under the x-axis label, inside the figure and off the data
    (constrained layout makes room for it; a figure legend would overlap the source).
    Under an x-axis without a title (tick labels only) it sits under the ticks, without
    the room of a title (:func:`.style.legend_drop_pt`): call it after the axis title."""
    from matplotlib.transforms import ScaledTranslation

    from .spacing import LEGEND_BELOW_GID
    from .style import is_narrow, legend_drop_pt

    drop = legend_drop_pt(ax)
    below = ax.transAxes + ScaledTranslation(0, -drop / 72, ax.figure.dpi_scale_trans)
    if is_narrow():  # one column of wrapped labels, within the phone's width
        handles = handles or ax.get_legend_handles_labels()[0]
        for h in handles:
            h.set_label(wrap(str(h.get_label()), 30))
        ncols = 1
    kw = {"handles": handles} if handles else {}
    legend = ax.legend(**kw, loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=below,
                       ncols=ncols, fontsize=8, frameon=False)
    legend.set_gid(LEGEND_BELOW_GID)  # fitted to the figure's width once laid out
    legend.dbanalysis_handles = handles


@one_reading()  # one version of data/ per chart: its files stat'ed once
def value_bars(ids: Sequence[str], title: str | None = None, *,
               mixed_units: bool = False) -> Figure:
    """Bars for a handful of figures; qualified values ('over', 'estimate', …) are
    hatched and named in the legend. One unit on the axis, or with ``mixed_units``
    counts in different units, each written on its bar."""
    require_several(ids, "value_bars")
    figs = [chart_figure(i) for i in ids]
    units = {f["unit"] for f in figs}
    if len(units) != 1 and not mixed_units:
        by_unit = ", ".join(f"{f['figure_id']}: {f['unit']}" for f in figs)
        raise ValueError(f"value_bars needs one unit, got {sorted(units)} ({by_unit}); "
                         "pass figures of one unit, or count_bars(ids) for counts in "
                         "different units")
    fig, axes = new_figure(figsize=(7.5, 0.55 * len(figs) + 1.9))
    ax = axes[0, 0]
    y = np.arange(len(figs))[::-1]
    quals, labels = [], []
    for yi, f in zip(y, figs, strict=True):
        q = f["qualifier"]
        ax.barh([yi], [f["value"]], height=0.6, color=OKABE_ITO[0],
                hatch=QUALIFIED_HATCH if q else None, edgecolor="white" if q else None,
                gid=f"bar:{f['figure_id']}")
        labels.append(ax.text(f["value"], yi, " " + figure_text(f["figure_id"]), va="center",
                              fontsize=9))
        if q:
            quals.append(figure_labels.qualifier_label(q))
    ax.set_yticks(y, [wrap(label(i), 40) for i in ids])
    axis_label = unit_label(units.pop()) if len(units) == 1 else text("chart.axis.count")
    ax.set_xlabel(axis_label)
    ax.set_xlim(0, max(f["value"] for f in figs) * 1.05)
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.xaxis.set_major_formatter(number_formatter())
    ax.grid(axis="y", visible=False)
    handles = [Patch(facecolor=OKABE_ITO[0], label=text("chart.legend.stated"))]
    if quals:
        handles.append(Patch(facecolor=OKABE_ITO[0], hatch=QUALIFIED_HATCH, edgecolor="white",
                             label=text("chart.legend.qualified",
                                        q=", ".join(dict.fromkeys(quals)))))
    legend_below(ax, handles, ncols=len(handles))
    keep_labels_inside(ax, labels)
    title = title or axis_label
    return finish(fig, title, ids, "bar",
                  [f"{label(i)}: {figure_text(i)}" for i in ids])


@one_reading()  # one version of data/ per chart: its files stat'ed once
def count_bars(ids: Sequence[str], title: str | None = None) -> Figure:
    """Counts in different units (workers, trainees, clubs …), one bar each, the unit
    written on the bar; qualified values ("over", "estimate") hatched."""
    return value_bars(ids, title or text("chart.axis.count"), mixed_units=True)


#: Length, in points, of the arrow that leaves a lower bound's bar open to the right (the
#: same on a phone and at desktop width; a length in data units shrank to a chevron on a
#: phone).
BOUND_ARROW_PT = 16.0


def _open_end(ax, v: float, y: float, gid: str) -> None:
    """An arrow from the end of a lower bound's bar, :data:`BOUND_ARROW_PT` long: the
    true value lies further right."""
    ax.annotate("", xy=(v, y), xytext=(BOUND_ARROW_PT, 0), textcoords="offset points",
                arrowprops={"arrowstyle": "<|-,head_length=0.5,head_width=0.3",
                            "color": "black", "lw": 1.6, "shrinkA": 0, "shrinkB": 0},
                gid=gid)


def _after_arrow(t: Text) -> Text:
    """Value label ``t`` moved past its bar's arrow (an offset in points, as
    :func:`.spacing.clear_of_markers` gives one: the axis widens for it)."""
    from matplotlib.transforms import ScaledTranslation

    from .spacing import _LABEL_OFFSET

    dx = BOUND_ARROW_PT + 1.0
    t.set_transform(t.get_transform() + ScaledTranslation(dx / 72, 0,
                                                          t.figure.dpi_scale_trans))
    _LABEL_OFFSET[t] = dx
    return t


def row_names(ids: Sequence[str]) -> tuple[list[str], list[str]]:
    """Each bar's name, and the catalogue ids the names show: the sentence template
    ``chart.row.<id>`` of ``data/vocab/labels.csv`` when there is one, its ``{figure_id}``
    fields filled from the catalogue (the 292 houses the 4 billion VND built), else the
    figure's label."""
    import string

    from ..views import text as vtext

    shown: list[str] = []
    extra: list[str] = []
    for i in ids:
        if has(f"chart.row.{i}"):
            template = label_template(f"chart.row.{i}")
            shown.append(vtext.plain(template, resolve(None)))
            extra += [f for _, f, _, _ in string.Formatter().parse(template)
                      if f and f not in extra]
        else:
            shown.append(label(i))
    return shown, extra


@one_reading()  # one version of data/ per chart: its files stat'ed once
def bound_bars(ids: Sequence[str], title: str | None = None, unit: str | None = None, *,
               subtitle: str | None = None) -> Figure:
    """Bars for same-dimension figures where 'over' (trên/hơn) values are lower bounds.

    Lower bounds are hatched and open to the right: an arrow leaves the end of the bar
    (the true value lies further right); for percentages a light band shows the room
    left up to 100 %. Money is drawn on one axis in the unit a reader expects (billion
    VND from 1 000 million up; ``unit`` is accepted for compatibility), each bar labelled
    as stated (``trên 4 tỷ đồng``). A row is named by the label ``chart.row.<id>`` of
    ``data/vocab/labels.csv`` when there is one (the figures its fields name are on the
    chart too: :func:`row_names`), else by its figure's label.
    """
    require_several(ids, "bound_bars")
    figs = [chart_figure(i) for i in ids]
    rows, named_ids = row_names(ids)
    unit = unit or figs[0]["unit"]
    if unit in vocab.MONEY_IN_VND:
        unit = vocab.money_unit([vocab.convert(f["value"], f["unit"], "million_vnd")
                                 for f in figs], "million_vnd")
    vals = [vocab.convert(f["value"], f["unit"], unit) for f in figs]
    fig, axes = new_figure(figsize=(7.5, 0.6 * len(figs) + 1.9))
    ax = axes[0, 0]
    y = np.arange(len(figs))[::-1]
    top = 100.0 if unit == "percent" else max(vals) * 1.1
    lower_seen, labels = False, []
    for yi, f, v in zip(y, figs, vals, strict=True):
        lower = f["qualifier"] == "over"
        lower_seen |= lower
        if lower and unit == "percent":
            ax.barh([yi], [100 - v], left=v, height=0.6, color="#dcdcdc", gid=f"room:{f.name}")
        ax.barh([yi], [v], height=0.6, color=OKABE_ITO[0] if not lower else OKABE_ITO[5],
                hatch=QUALIFIED_HATCH if lower else None, edgecolor="white" if lower else None,
                gid=f"bar:{f['figure_id']}")
        if lower:
            _open_end(ax, v, yi, f"open:{f['figure_id']}")
        x_text = 100 if lower and unit == "percent" else v
        t = ax.text(x_text, yi, " " + figure_text(f["figure_id"]), va="center", fontsize=9)
        labels.append(_after_arrow(t) if lower and unit != "percent" else t)
    ax.set_yticks(y, [wrap(r, 38) for r in rows])
    ax.set_xlabel(unit_label(unit))
    ax.set_xlim(0, top)
    if unit == "percent":
        ax.set_xticks([0, 25, 50, 75, 100])
    else:  # whole steps of 1, 2 or 5: 0, 2, 4, 6 billion, not 0, 1.5, 3, 4.5
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5, steps=[1, 2, 5, 10]))
    ax.xaxis.set_major_formatter(number_formatter())
    ax.grid(axis="y", visible=False)
    exact_seen = any(f["qualifier"] != "over" for f in figs)
    handles = [Patch(facecolor=OKABE_ITO[0], label=text("chart.legend.stated"))] \
        if exact_seen else []
    if lower_seen:
        handles.append(Patch(facecolor=OKABE_ITO[5], hatch=QUALIFIED_HATCH, edgecolor="white",
                             label=text("chart.legend.lower_bound")))
        if unit == "percent":
            handles.append(Patch(facecolor="#dcdcdc", label=text("chart.legend.room")))
    legend_below(ax, handles)
    keep_labels_inside(ax, labels)
    title = title or unit_label(unit)
    return finish(fig, title, [*ids, *(i for i in named_ids if i not in ids)], "bar",
                  [f"{r}: {figure_text(i)}" for r, i in zip(rows, ids, strict=True)],
                  subtitle=subtitle)


@one_reading()  # one version of data/ per chart: its files stat'ed once
def range_bar(low_id: str, high_id: str, title: str | None = None) -> Figure:
    """A stated range (``range_low``/``range_high``) as a floating bar on an axis from
    zero, both ends labelled; no midpoint is drawn because the report states none."""
    lo, hi = chart_figure(low_id), chart_figure(high_id)
    if lo["unit"] != hi["unit"]:
        raise ValueError("the two ends of a range must share a unit")
    fig, axes = new_figure(figsize=(7.5, 2.6))
    ax = axes[0, 0]
    ax.barh([0], [hi["value"] - lo["value"]], left=lo["value"], height=0.5,
            color=OKABE_ITO[2], gid="range", label=text("chart.legend.range"))
    for v, ha, dx in ((lo["value"], "right", -4), (hi["value"], "left", 4)):
        ax.annotate(number(v), (v, 0.3), xytext=(dx, 4), textcoords="offset points",
                    ha=ha, va="bottom", fontsize=9)
    what = label(low_id).split(" (")[0]
    ax.set_yticks([0], [wrap(what, 28)])
    ax.set_ylim(-0.6, 0.9)
    ax.set_xlim(0, hi["value"] * 1.12)
    ax.set_xlabel(unit_label(lo["unit"]))
    ax.xaxis.set_major_formatter(number_formatter())
    ax.grid(axis="y", visible=False)
    legend_below(ax, ncols=1)
    ax.get_legend().set_title(text("chart.legend.no_midpoint"), prop={"size": 8})
    title = title or text("chart.legend.range")
    span = text("chart.alt.range", low=value_text(lo["value"], lo["unit"]),
                high=value_text(hi["value"], hi["unit"]))
    return finish(fig, title, [low_id, high_id], "bar", [f"{what}: {span}"])


def questioned(ids: Sequence[str]) -> bool:
    """Whether an audit check questions one of these catalogued figures (inconsistent or
    two readings), by the rule the tables' status badges use."""
    return any(in_doubt(i) for i in ids)


def questioned_note(ids: Sequence[str]) -> str:
    """What the audit finds about these figures, in the audit's own words: the labels of
    their doubtful verdicts, most severe first (``inconsistent``, ``two readings``), so a
    chart names no verdict the site does not have."""
    found = set().union(*(verdicts_by_figure().get(i, frozenset()) for i in ids))
    doubt = set(vocab.doubtful_verdicts())
    return ", ".join(vocab.verdict_label(v, resolve(None)) for v in vocab.verdicts_by_severity()
                     if v in found & doubt)


def mark_questioned(ax, y: float, width: float, gid: str, height: float = 0.6) -> None:
    """Outline a bar whose figure the audit questions (:data:`~.style.QUESTIONED_EDGE_COLOR`):
    the same mark on every chart, whatever the bar's fill."""
    ax.barh([y], [width], height=height, gid=f"questioned:{gid}", facecolor="none",
            edgecolor=QUESTIONED_EDGE_COLOR, linewidth=QUESTIONED_EDGE_WIDTH)


def questioned_handle() -> Patch:
    """The legend entry of :func:`mark_questioned`."""
    return Patch(label=wrap(text("chart.legend.audit_flag"), 48), facecolor="none",
                 edgecolor=QUESTIONED_EDGE_COLOR, linewidth=QUESTIONED_EDGE_WIDTH)
