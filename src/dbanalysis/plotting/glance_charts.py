"""The two charts of "the district at a glance": every change since 2015 on one
percent axis, and every result against its plan or target on one axis with a 100 %
line. Data from :mod:`dbanalysis.views.glance`.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from matplotlib.artist import Artist
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from ..core.language import get_language
from ..derive import lookup
from ..views import glance
from .bar_charts import legend_below, require_several
from .chart_text import has, percent, period_text, text, wrap
from .provenance import finish
from .style import OKABE_ITO, QUALIFIED_HATCH, keep_labels_inside, new_figure

#: Marker face and edge per status of a change (stated filled, derived hollow).
_CHANGE_STYLE: dict[str, dict[str, Any]] = {
    glance.STATED: {"marker": "o", "markerfacecolor": OKABE_ITO[0],
                    "markeredgecolor": OKABE_ITO[0]},
    glance.DERIVED: {"marker": "o", "markerfacecolor": "white",
                     "markeredgecolor": OKABE_ITO[0]},
    glance.CORRECTED: {"marker": "D", "markerfacecolor": "white",
                       "markeredgecolor": OKABE_ITO[3]},
    glance.READINGS: {"marker": "o", "markerfacecolor": "white",
                      "markeredgecolor": OKABE_ITO[1]},
}
_LEGEND_KEY = {glance.STATED: "chart.legend.stated", glance.DERIVED: "chart.legend.derived",
               glance.CORRECTED: "chart.legend.corrected",
               glance.READINGS: "chart.legend.readings"}


def _reading_name(reading: str, derived_id: str) -> str:
    """A reading's short name (``chart.reading.<reading>``), else its derived figure's label."""
    key = f"chart.reading.{reading}"
    return text(key) if has(key) else lookup.derived_row(derived_id)[f"label_{get_language()}"]


def _change_text(r) -> str:
    if r["low"] == r["high"]:
        return percent(r["low"], signed=True)
    return text("chart.alt.range", low=percent(r["low"], signed=True),
                high=percent(r["high"], signed=True))


def change_since_2015(data: pd.DataFrame | None = None, title: str | None = None) -> Figure:
    """Every indicator with a stated or derivable change since 2015, on one axis in
    percent of the 2015 value (zero line drawn). Stated changes filled, derived hollow,
    derived from a corrected value as diamonds; where the report admits several
    readings the range between them is drawn as a bar with both ends marked.
    ``data``: :func:`dbanalysis.views.glance.changes_since_2015` (default)."""
    d = glance.changes_since_2015() if data is None else data
    require_several(list(d["indicator"]), "change_since_2015")
    d = d.assign(mid=(d["low"] + d["high"]) / 2).sort_values("mid", kind="stable")
    d = d.reset_index(drop=True)
    fig, axes = new_figure(figsize=(8.0, 0.55 * len(d) + 2.2))
    ax = axes[0, 0]
    ax.axvline(0, color="black", linewidth=1.0, gid="zero-line")
    labels, values = [], []
    for y, r in d.iterrows():
        style = _CHANGE_STYLE[r["status"]]
        gid = f"change:{r['indicator']}"
        if r["low"] != r["high"]:
            ax.plot([r["low"], r["high"]], [y, y], color=OKABE_ITO[1], linewidth=6, alpha=0.45,
                    solid_capstyle="butt", gid=f"range:{r['indicator']}")
        xs = [r["low"]] if r["low"] == r["high"] else [r["low"], r["high"]]
        ax.plot(xs, [y] * len(xs), linestyle="none", markersize=9, markeredgewidth=2, gid=gid,
                **style)
        shown = _change_text(r)
        if r["high"] <= 0:
            labels.append(ax.text(r["low"], y, shown + "  ", ha="right", va="center",
                                  fontsize=9))
        else:
            labels.append(ax.text(r["high"], y, "  " + shown, ha="left", va="center",
                                  fontsize=9))
        readings = ", ".join(f"{_reading_name(k, i)}: {percent(v, signed=True)}" for k, i, v
                             in zip(r["readings"], r["derived_ids"], r["reading_values"],
                                    strict=True)) if len(r["readings"]) else ""
        values.append(f"{r['label']}: {shown}" + (f" ({readings})" if readings else ""))
    ax.set_yticks(np.arange(len(d)), [wrap(lbl, 36) for lbl in d["label"]], fontsize=9)
    ax.set_ylim(-0.7, len(d) - 0.3)
    lo, hi = min(d["low"].min(), 0), max(d["high"].max(), 0)
    ax.set_xlim(lo - 0.02 * (hi - lo), hi + 0.02 * (hi - lo))
    ax.set_xlabel(text("chart.axis.change_since_2015"))
    ax.grid(axis="y", visible=False)
    handles = [Line2D([], [], linestyle="none", markersize=8, markeredgewidth=2,
                      label=text(_LEGEND_KEY[s]), **_CHANGE_STYLE[s])
               for s in _CHANGE_STYLE if s in set(d["status"])]
    legend_below(ax, handles, ncols=2)
    keep_labels_inside(ax, labels)
    ids = [i for ids in d["figure_ids"] for i in ids]
    ids += [i for ids in d["derived_ids"] for i in ids]
    return finish(fig, title or text("chart.title.change_since_2015"), ids, "dot", values)


def plan_achievement(data: pd.DataFrame | None = None, title: str | None = None) -> Figure:
    """Every result stated as a percentage of its plan, target or quota, as bars from
    zero with a 100 % line; a figure an audit check finds inconsistent or ambiguous is
    hatched. ``data``: :func:`dbanalysis.views.glance.plan_achievements` (default)."""
    d = glance.plan_achievements() if data is None else data
    require_several(list(d["figure_id"]), "plan_achievement")
    d = d.reset_index(drop=True)
    fig, axes = new_figure(figsize=(8.0, 0.5 * len(d) + 2.0))
    ax = axes[0, 0]
    y = np.arange(len(d))[::-1]
    labels, values = [], []
    for yi, (_, r) in zip(y, d.iterrows(), strict=True):
        ax.barh([yi], [r["value"]], height=0.6, color=OKABE_ITO[2],
                hatch=QUALIFIED_HATCH if r["doubt"] else None,
                edgecolor="white" if r["doubt"] else None, gid=f"bar:{r['figure_id']}")
        shown = percent(r["value"], 2)
        labels.append(ax.text(r["value"], yi, " " + shown, va="center", fontsize=9))
        values.append(f"{r['label']}{period_text(r['period'])}: {shown}")
    ax.axvline(100, color="black", linestyle=":", linewidth=1.2, gid="target-line")
    ax.set_yticks(y, [wrap(lbl + period_text(p), 44) for lbl, p in zip(d["label"], d["period"],
                                                                     strict=True)], fontsize=9)
    ax.set_xlim(0, max(d["value"].max(), 100) * 1.02)
    ax.set_xlabel(text("chart.axis.of_plan"))
    ax.grid(axis="y", visible=False)
    handles: list[Artist] = [Line2D([], [], color="black", linestyle=":",
                                    label=text("chart.legend.target"))]
    if d["doubt"].any():
        handles.append(Patch(facecolor=OKABE_ITO[2], hatch=QUALIFIED_HATCH, edgecolor="white",
                             label=text("chart.legend.audit_flag")))
    legend_below(ax, handles, ncols=1)  # one column: long labels would squeeze the axes
    keep_labels_inside(ax, labels)
    return finish(fig, title or text("chart.title.plan_achievement"), list(d["figure_id"]),
                  "bar", values)
