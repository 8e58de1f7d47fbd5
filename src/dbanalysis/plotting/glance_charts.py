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
from matplotlib.ticker import MaxNLocator

from ..catalogue import figure_labels, vocab
from ..core.cache import one_reading
from ..core.labels import joined
from ..core.language import get_language
from ..derive import lookup
from ..derive.ids import BASE_YEAR
from ..views import glance
from ..views.text import figure_text as vfigure_text
from .bar_charts import (
    legend_below,
    mark_questioned,
    questioned_handle,
    questioned_note,
    require_several,
)
from .chart_text import benchmark, figure_change, figure_text, has, period_text, text, wrap
from .provenance import finish
from .rows import ROW_LABEL_LIFT
from .style import OKABE_ITO, is_narrow, keep_labels_inside, new_figure

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


#: Marker of each way a change is known (:data:`dbanalysis.views.glance.ROW_STATUSES`):
#: stated filled, derived hollow, corrected a hollow diamond, a reading of the report's
#: words a hollow square, a value resting on an assumption a grey triangle on a dotted stem.
_ROW_STYLE: dict[str, dict[str, Any]] = {
    "stated": {"marker": "o", "markerfacecolor": OKABE_ITO[0], "markeredgecolor": OKABE_ITO[0]},
    "derived": {"marker": "o", "markerfacecolor": "white", "markeredgecolor": OKABE_ITO[0]},
    "corrected": {"marker": "D", "markerfacecolor": "white", "markeredgecolor": OKABE_ITO[3]},
    "reading": {"marker": "s", "markerfacecolor": "white", "markeredgecolor": OKABE_ITO[1]},
    "assumed": {"marker": "^", "markerfacecolor": "#bbbbbb", "markeredgecolor": "#555555"},
}
_STEM = {"assumed": ":", "reading": "--"}
#: A fall whose marker is at least this share of the way from zero to the panel's lowest
#: value is labelled on its stem, towards zero; a smaller one beyond its marker.
INSIDE_SHARE = 0.5
#: A change's marker is drawn above its stem and above the box of a label on that stem.
MARKER_ZORDER = 3.0


def _row_label(r) -> str:
    """A row's name: what changed, from 2015 to which year, and on what it rests; its
    ``{years}`` the label ``year_span`` (``2015–2019``), as the rows a derived figure's
    label names and the alt text say it (NOTE-session7 A4)."""
    from ..catalogue.figures import figure

    if r["panel"] == "rate":
        # a reading of a rate's change: its derived figure's label, the one the data table
        # and the derived-figures table under the chart give the same row (QA-1945 R7)
        return str(lookup.derived_row(r["value_id"])[f"label_{get_language()}"])
    level = figure(r["ids"][0])
    if r["status"] == "assumed":
        years = text("year_span", start=BASE_YEAR, end=r["end"]) \
            if str(level["period"] or "").isdigit() \
            else text("year_span.assumed", start=BASE_YEAR, end=r["end"])
        return text("chart.glance.row_assumed", label=r["label"], rate=figure_text(r["assumption"]),
                    years=years)
    key = "chart.glance.row_nominal" if level["unit"] in vocab.MONEY_IN_VND else "chart.glance.row"
    # a year the report gives only as "to date" says so, inside the span (2015–2019
    # (report: “tính đến nay”, to date)): no semicolon, which joins the alt text's rows
    to_date = str(level["period"] or "").endswith(figure_labels.TO_DATE)
    years = figure_labels.span_label(BASE_YEAR, level["period"], figure_id=r["ids"][0]) \
        if to_date else text("year_span", start=BASE_YEAR, end=r["end"])
    return text(key, label=r["label"], years=years)


def _row_value(r) -> str:
    """A drawn change as the page's prose and tables write it (the one display rule, on
    the figure it is a reading of)."""
    if r["panel"] == "rate":
        return text("chart.glance.points",
                    value=figure_change(r["value_id"], r["value"], signed=False,
                                        percent_sign=False))
    return figure_change(r["value_id"], r["value"])


@one_reading()  # one version of data/ per chart: its files stat'ed once
def change_since_2015(data: pd.DataFrame | None = None, title: str | None = None,
                      subtitle: str | None = None) -> Figure:
    """Every change since 2015 the report states or implies, one row per value drawn
    (:func:`dbanalysis.views.glance.change_rows`), each drawn as what it is: stated
    (filled), derived from stated levels (hollow), derived from a corrected value
    (diamond), one of two readings of the report's words (square), resting on an
    assumption named on its row (grey triangle, dotted stem). Each row says the year its
    change runs to; money is said to be nominal; a rate's change is drawn in its own
    panel, in percentage points. The legend counts the marks of each kind."""
    d = glance.change_rows() if data is None else data
    require_several(list(d["value"]), "change_since_2015")
    panels = [p for p in ("level", "rate") if (d["panel"] == p).any()]
    sizes = [int((d["panel"] == p).sum()) for p in panels]
    fig, axes = new_figure(len(panels), 1, figsize=(8.0, 0.5 * sum(sizes) + 1.3 * len(panels)
                                                    + 1.2),
                           gridspec_kw={"height_ratios": [n + 1.2 for n in sizes]})
    counts: dict[str, int] = {}
    values, ids = [], []
    # every panel's value axis, set once and before any panel is fitted: on a phone a
    # panel's row labels wrap to the width the first tick labels of all panels leave them
    # (rows._first_ticks), and the first panel's labels are fitted before the second is drawn
    for ax, panel in zip(axes[:, 0], panels, strict=True):
        p = d[d["panel"] == panel]
        lo, hi = min(p["value"].min(), 0), max(p["value"].max(), 0)
        ax.set_xlim(lo - 0.04 * (hi - lo), hi + 0.04 * (hi - lo))
        ax.xaxis.set_major_locator(MaxNLocator(nbins=5))
    for ax, panel in zip(axes[:, 0], panels, strict=True):
        p = d[d["panel"] == panel].reset_index(drop=True)
        y = np.arange(len(p))[::-1]
        ax.axvline(0, color="black", linewidth=1.0, gid="zero-line")
        labels = []
        lo_panel = min(float(p["value"].min()), 0.0)
        for yi, (_, r) in zip(y, p.iterrows(), strict=True):
            style = _ROW_STYLE[r["status"]]
            counts[r["status"]] = counts.get(r["status"], 0) + 1
            ax.plot([0, r["value"]], [yi, yi], color=style["markeredgecolor"], linewidth=1.2,
                    linestyle=_STEM.get(r["status"], "-"), gid=f"stem:{r['indicator']}")
            ax.plot([r["value"]], [yi], linestyle="none", markersize=9, markeredgewidth=2,
                    gid=f"change:{r['indicator']}:{r['status']}", zorder=MARKER_ZORDER,
                    **style)
            shown = _row_value(r)
            if r["value"] < 0 and r["value"] <= INSIDE_SHARE * lo_panel:
                # a fall reaching most of the way to the panel's end: its label between
                # the marker and zero, on a box over its stem, not beyond the marker,
                # where it pushed the axis to twice the data (QA-0305 S11: −32 on a phone
                # for data to −16.21)
                labels.append(ax.text(r["value"], yi, "  " + shown, ha="left", va="center",
                                      fontsize=9, zorder=MARKER_ZORDER - 0.5, bbox={
                                          "facecolor": ax.get_facecolor(),
                                          "edgecolor": "none", "pad": 1.0}))
            elif r["value"] < 0:
                labels.append(ax.text(r["value"], yi, shown + "  ", ha="right", va="center",
                                      fontsize=9))
            else:
                labels.append(ax.text(r["value"], yi, "  " + shown, ha="left", va="center",
                                      fontsize=9))
            values.append(f"{_row_label(r)}: {shown}")
            ids += list(r["ids"])
            if isinstance(r["assumption"], str):
                ids.append(r["assumption"])
        plain = int((p["status"] != "assumed").sum())  # the view puts assumed rows last
        if 0 < plain < len(p):  # a thin rule between them and the rows resting on none:
            # halfway between two rows, or on a phone under the last plain row's marks
            # where the room of the next row's label begins (labels_above_bars: the
            # label and ROW_GAP_PT above it end at the row + 1 - ROW_LABEL_LIFT)
            gap = ROW_LABEL_LIFT if is_narrow() else 0.5
            ax.axhline(y[plain - 1] - gap, color="#888888", linewidth=0.8, gid="assumed-rule")
        ax.set_yticks(y, [wrap(_row_label(r), 44) for _, r in p.iterrows()], fontsize=9)
        ax.set_ylim(-0.7, len(p) - 0.3)
        ax.set_xlabel(text("chart.axis.change_since_2015" if panel == "level"
                           else "chart.axis.rate_change"))
        ax.grid(axis="y", visible=False)
        keep_labels_inside(ax, labels)
    handles = [Line2D([], [], linestyle="none", markersize=8, markeredgewidth=2,
                      label=text("chart.legend.count", name=text(f"chart.glance.legend.{s}"),
                                 n=counts[s]), **_ROW_STYLE[s])
               for s in glance.ROW_STATUSES if s in counts]
    legend_below(axes[-1, 0], handles, ncols=1)
    return finish(fig, title or text("chart.title.change_since_2015"), ids, "dot", values,
                  subtitle=subtitle or text("chart.subtitle.change_since_2015"))


@one_reading()  # one version of data/ per chart: its files stat'ed once
def plan_achievement(data: pd.DataFrame | None = None, title: str | None = None) -> Figure:
    """Every result stated as a percentage of its plan, target or quota, as bars from
    zero with a 100 % line; a figure an audit check finds inconsistent or ambiguous is
    outlined (:func:`.bar_charts.mark_questioned`). ``data``:
    :func:`dbanalysis.views.glance.plan_achievements` (default)."""
    d = glance.plan_achievements() if data is None else data
    require_several(list(d["figure_id"]), "plan_achievement")
    d = d.reset_index(drop=True)
    fig, axes = new_figure(figsize=(8.0, 0.5 * len(d) + 2.0))
    ax = axes[0, 0]
    y = np.arange(len(d))[::-1]
    labels, values, names, ids = [], [], [], list(d["figure_id"])
    for yi, (_, r) in zip(y, d.iterrows(), strict=True):
        ax.barh([yi], [r["value"]], height=0.6, color=OKABE_ITO[2], gid=f"bar:{r['figure_id']}")
        shown = vfigure_text(r["figure_id"], qualifier=False)  # as prose and tables
        if r["doubt"]:
            mark_questioned(ax, yi, r["value"], r["figure_id"])
            note = questioned_note([r["figure_id"]])
            shown += f", {note}" if note else ""
        labels.append(ax.text(r["value"], yi, " " + shown, va="center", fontsize=9))
        name = r["label"] + period_text(r["period"], figure_id=r["figure_id"], label=r["label"])
        values_name = name  # (a period may hold "; " itself: the alt text names the row so)
        other = _other_reading(r)
        if other:  # the other reading a check finds: a hollow marker, named on its row
            ax.plot([r["other_value"]], [yi], linestyle="none", **_OTHER_STYLE,
                    gid=f"other:{r['figure_id']}", zorder=3)
            name = joined([name, text("chart.mark.other_reading", reading=other)])  # "○ …"
            # said: its words (a screen reader's "white circle"), inside its row
            shown = text("chart.alt.with_other_reading", shown=shown, other=other)
            ids.append(str(r["other_reading"]))
        names.append(name)
        values.append(f"{values_name}: {shown}")
    ax.axvline(100, color="black", linestyle=":", linewidth=1.2, gid="target-line")
    ax.set_yticks(y, [wrap(n, 44) for n in names], fontsize=9)
    ax.set_xlim(0, max(d["value"].max(), 100) * 1.02)
    against = benchmark(d["figure_id"])  # plan, target, or both where they mix
    ax.set_xlabel(text("chart.axis.of_plan", benchmark=against))
    ax.grid(axis="y", visible=False)
    handles: list[Artist] = [Line2D([], [], color="black", linestyle=":",
                                    label=text("chart.legend.target", benchmark=against))]
    if d["doubt"].any():
        handles.append(questioned_handle())
    if any(_other_reading(r) for _, r in d.iterrows()):
        handles.append(Line2D([], [], linestyle="none", **_OTHER_STYLE,
                              label=text("chart.legend.other_reading")))
    legend_below(ax, handles, ncols=1)  # one column: long labels would squeeze the axes
    keep_labels_inside(ax, labels)
    return finish(fig, title or text("chart.title.plan_achievement", benchmark=against),
                  ids, "bar", values)


#: The hollow marker of a result's other reading (:func:`plan_achievement`), as the
#: sign "○" of the label ``chart.mark.other_reading`` draws it.
_OTHER_STYLE: dict[str, Any] = {"marker": "o", "markersize": 8, "markeredgewidth": 1.8,
                                "markerfacecolor": "white", "markeredgecolor": "black"}


def _other_reading(r) -> str:
    """The words naming a row's other reading (``chart.other_reading.<derived id>``, else
    ``chart.other_reading``) with its value, "90.5% if the target was every station";
    empty for a row with one reading."""
    other = r.get("other_reading")
    if not isinstance(other, str) or not other:
        return ""
    from ..views.text import plain

    key = f"chart.other_reading.{other}"
    return text(key if has(key) else "chart.other_reading", value=plain("{" + other + "}"))
