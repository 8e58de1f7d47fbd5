"""Change over time: small multiples 2015 → stated year, and the readings of how a stated
figure relates to an earlier year.

Honest by construction: value axes start at zero (panels in different units each
from zero, with the change in percent written on each panel); stated points are
filled, derived points hollow; values assumed between two points are never drawn
as points (at most a thin dotted path named as an assumption in the legend); a
stated value whose year is one of several is drawn once, as a bar across those years.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from ..catalogue import figure_labels
from ..catalogue.figures import figure
from ..core.cache import one_reading
from ..core.typography import upper_first
from ..derive import lookup, precision
from ..views import changes
from ..views import text as vtext
from .bar_charts import legend_below
from .chart_text import figure_change, has, number, number_formatter, text, wrap
from .provenance import finish
from .style import (
    DERIVED_COLOR,
    OKABE_ITO,
    STATED_COLOR,
    is_narrow,
    keep_annotations_inside,
    new_figure,
)


def _change_pct(level_id: str) -> float | None:
    """``d_<level>_change_pct`` from derive, or None when there is none (e.g. a level
    whose as-written baseline is impossible)."""
    try:
        return lookup.derived_value(f"d_{level_id}_change_pct")
    except KeyError:
        return None


@one_reading()  # one version of data/ per chart: its files stat'ed once
def slope_2015_2019(ids_or_indicators: Sequence[str], title: str | None = None,
                    ncols: int | None = None, subtitle: str | None = None) -> Figure:
    """Small multiples, one panel per indicator: 2015 → stated year, every y-axis from
    zero, the change since 2015 in percent under each panel's title.

    Stated points: filled markers; points derived as level − change: hollow markers
    joined by a dashed line. Every number is written by the one display rule, as the
    page's tables write it. When an end year is the report's "to date" (read as a
    year), the subtitle says so (``chart.subtitle.to_date``) unless ``subtitle`` is given,
    and so does the alt text.
    """
    data = changes.slope_data(ids_or_indicators)
    indicators = list(dict.fromkeys(data["indicator"]))
    n = len(indicators)
    ncols = ncols or min(n, 3)
    nrows = int(np.ceil(n / ncols))
    fig, axes = new_figure(nrows, ncols, figsize=(3.2 * ncols + 0.6, 3.2 * nrows + 0.9))
    ids: list[str] = []
    values: list[str] = []
    to_date: dict[str, int] = {}  # a level the report dates only "to date": the year read
    for k, ind in enumerate(indicators):
        ax = axes.flat[k]
        d = data[data["indicator"] == ind].sort_values("year")
        der, sta = d[d["status"] == "derived"].iloc[0], d[d["status"] == "stated"].iloc[0]
        ax.plot([der["year"], sta["year"]], [der["value"], sta["value"]], linestyle="--",
                color=STATED_COLOR, linewidth=1.6, gid="slope-line")
        ax.plot([der["year"]], [der["value"]], linestyle="none", marker="o", markersize=9,
                markerfacecolor="white", markeredgecolor=DERIVED_COLOR, markeredgewidth=2,
                gid="derived", label=text("chart.legend.derived_baseline"))
        ax.plot([sta["year"]], [sta["value"]], linestyle="none", marker="o", markersize=9,
                markerfacecolor=STATED_COLOR, markeredgecolor=STATED_COLOR, gid="stated",
                label=text("chart.legend.stated"))
        level_id = sta["figure_ids"]
        shown = {"derived": precision.display_text(der["derived_id"]),
                 "stated": precision.display_text(level_id)}
        # the 2015 value under its point and the stated value above its own (beside them, a
        # number with its decimals runs into the tick labels or the frame on a phone)
        for row, dx, dy, ha, va in ((der, 0, -11, "center", "top"),
                                    (sta, 0, 11, "center", "bottom")):
            ax.annotate(shown[row["status"]], (row["year"], row["value"]),
                        xytext=(dx, dy), textcoords="offset points", ha=ha, va=va,
                        fontsize=9)
        ax.yaxis.set_major_formatter(number_formatter())
        ax.set_xlim(2015 - 2.4, sta["year"] + 2.4)
        ax.set_xticks([2015, int(sta["year"])])
        change = _change_pct(level_id)
        change_text = None if change is None else figure_change(f"d_{level_id}_change_pct",
                                                                change)
        note = "" if change is None else "\n" + text("chart.change_note", change=change_text)
        period = figure(level_id)["period"]
        if str(period or "").endswith(figure_labels.TO_DATE):
            to_date[level_id] = int(sta["year"])
        # on a phone the caption step wraps the title to the panel's width, in one go; a
        # title with its own line breaks (chart.panel.<id>: "Sản lượng thủy sản / nuôi
        # trồng, đánh bắt", never inside "nuôi trồng") keeps them in both layouts
        panel = (text(f"chart.panel.{level_id}") if has(f"chart.panel.{level_id}")
                 else der["label"] if is_narrow() else wrap(der["label"], 30))
        ax.set_title(panel + note, fontsize=10)
        ax.set_ylabel(der["unit_label"])
        lo, hi = min(der["value"], sta["value"], 0), max(der["value"], sta["value"])
        ax.set_ylim(lo * 1.15, hi * 1.15)
        # the derived 2015 level and the change in percent are drawn too: their table
        # lists them (QA-0000 R2)
        ids += [i.strip() for i in der["figure_ids"].split("−")] + [der["derived_id"]]
        ids += [] if change is None else [f"d_{level_id}_change_pct"]
        values.append(text("chart.alt.reading_years", reading=der["label"],
                           first=f"{shown['derived']} {der['unit_label']} "
                                 f"({text('chart.legend.derived')})",
                           year0=2015, last=f"{shown['stated']} {der['unit_label']}",
                           # the default subtitle says a "to date" year is assumed; said
                           # again here it split the value ("… in 2019; report: …, +14.8%")
                           year1=int(sta["year"]) if subtitle is None
                           else figure_labels.period_label(period, figure_id=level_id))
                      + ("" if change is None else f", {change_text}"))
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    handles = [
        Line2D([], [], color=STATED_COLOR, marker="o", linestyle="none", markersize=8,
               label=text("chart.legend.stated")),
        Line2D([], [], color=DERIVED_COLOR, marker="o", markerfacecolor="white",
               linestyle="--", markersize=8, label=text("chart.legend.derived_baseline")),
    ]
    fig.legend(handles=handles, loc="outside lower right", ncols=1 if is_narrow() else 2,
               frameon=False, fontsize=9)
    if subtitle is None and to_date:
        # the drawn figures' own words where they say it one way (Figure 1.1: “tính đến
        # nay”, as its rows and tables quote them), else the usual ones, “(tính) đến nay”,
        # whose brackets only the method page explains (REVIEW-vi25 A1)
        glosses = {figure_labels.to_date_gloss(figure_id=f) for f in to_date}
        gloss = glosses.pop() if len(glosses) == 1 else figure_labels.to_date_gloss()
        subtitle = text("chart.subtitle.to_date", gloss=gloss,
                        year=f" {text('chart.or')} ".join(map(str, sorted(set(to_date.values())))))
    return finish(fig, title or text("chart.title.slope"), ids, "line", values,
                  subtitle=subtitle)


def _round_derived(v: float) -> float:
    """A derived point that is no figure of the catalogue or of derive: two decimals below
    100, whole units above."""
    return round(v, 2) if abs(v) < 100 else round(v)


def _point_label(v: float, unit: str, shown_id: object = None, derived: bool = False) -> str:
    """A point's value: by the one display rule when the point is a figure (``shown_id``,
    as the page's prose and tables write it), else as given (``derived``: rounded as
    :func:`_round_derived`)."""
    if isinstance(shown_id, str) and shown_id:
        digits = max(precision.decimals(shown_id), 0)
        shown = precision.display_value(shown_id, v)
        return (vtext.fmt(shown, unit, decimals=digits) if unit == "percent"
                else precision.number_text(shown, None, digits))
    v = _round_derived(v) if derived else v
    return vtext.fmt(v, unit) if unit == "percent" else number(v)


def _ids(figure_ids: str) -> list[str]:
    parts = str(figure_ids)
    for sep in "/()±":
        parts = parts.replace(sep, ",")
    return [i.strip() for i in parts.split(",") if i.strip() and i.strip() != "1"]


@one_reading()  # one version of data/ per chart: its files stat'ed once
def reading_paths(data: pd.DataFrame, title: str | None = None,
                  legend_values: bool = True, legend_loc: str = "best",
                  stated_label: str | None = None) -> Figure:
    """One line per reading (``data['reading']``) of how a stated figure relates to an
    earlier year, on a value axis from zero.

    Stated points are filled; the first point of each reading (derived, or derived
    under an assumption) hollow, joined by a dashed line. Points with status
    ``assumed`` between them (e.g. :func:`dbanalysis.views.changes.growth_paths`) are not drawn:
    the line through them is dotted and named as an assumed path. A stated value that
    appears at several years (its year is not stated) is drawn once, as a bar across
    those years. ``data``: a frame from :func:`dbanalysis.change_readings`,
    :func:`dbanalysis.views.changes.relative_change_points` or
    :func:`dbanalysis.views.changes.growth_paths`.
    ``stated_label`` replaces the legend's "stated" for the filled points. The legend
    sits under the axis, off the data (``legend_loc`` is accepted and not needed)."""
    readings = list(dict.fromkeys(data["reading"]))
    unit, ulabel = data["unit"].iloc[0], data["unit_label"].iloc[0]
    fig, axes = new_figure(figsize=(7.5, 4.4))
    ax = axes[0, 0]
    ids: list[str] = []
    handles, values = [], []
    point_labels: list = []
    assumed_seen = False
    for k, rd in enumerate(readings):
        d = data[data["reading"] == rd].sort_values("year")
        color = OKABE_ITO[k % 7]
        assumed = (d["status"] == figure_labels.ASSUMED).any()
        assumed_seen |= bool(assumed)
        ax.plot(d["year"], d["value"], linestyle=":" if assumed else "--", color=color,
                linewidth=1.2 if assumed else 1.6, gid=f"path:{k}")
        first = d.iloc[0]
        ax.plot([first["year"]], [first["value"]], linestyle="none", marker="o", markersize=8,
                markerfacecolor="white", markeredgecolor=color, markeredgewidth=2,
                gid=f"derived:{k}")
        dy = 10 if k % 2 == 0 else -14
        shown = _point_label(first["value"], unit, first.get("shown_id"), derived=True)
        point_labels.append(ax.annotate(
            shown, (first["year"], first["value"]), xytext=(-10, dy), textcoords="offset points",
            ha="right", va="center", fontsize=9, color=color))  # in the x margin left of 2015
        name = rd
        if legend_values:
            name = text("chart.legend.reading_start", reading=rd, value=shown,
                        year=int(first["year"]))
        handles.append(Line2D([], [], color=color, linestyle=":" if assumed else "--",
                              marker="o", markerfacecolor="white", markeredgecolor=color,
                              label=name))
        last = d.iloc[-1]
        values.append(text("chart.alt.reading_years", reading=upper_first(rd), first=shown,
                           year0=int(first["year"]),
                           last=_point_label(last["value"], unit, last.get("shown_id")),
                           year1=int(last["year"])))
        ids += _ids(first["figure_ids"])
        if isinstance(first.get("shown_id"), str):  # the drawn first point itself (R2)
            ids.append(first["shown_id"])
    stated = data[data["status"] == figure_labels.STATED]
    for v, s in stated.groupby("value", sort=False):
        years = sorted(set(s["year"]))
        if len(years) > 1:  # one stated value, its year not stated: drawn once, across years
            ax.plot([years[0], years[-1]], [v, v], color="#222222", linewidth=6,
                    solid_capstyle="butt", gid="stated:year-unknown")
            handles.append(Line2D([], [], color="#222222", linewidth=6, label=text(
                "chart.legend.year_unknown",
                years=f" {text('chart.or')} ".join(str(int(y)) for y in years))))
        else:
            ax.plot(years, [v], linestyle="none", marker="o", markersize=9, color="#222222",
                    gid="stated")
        point_labels.append(ax.annotate(
            _point_label(v, unit, s.iloc[0].get("shown_id")), (years[-1], v), xytext=(10, 0),
            textcoords="offset points", ha="left", va="center", fontsize=9,
            fontweight="bold"))  # within the right margin
    if any(len(set(s["year"])) == 1 for _, s in stated.groupby("value")):
        handles.append(Line2D([], [], color="#222222", marker="o", linestyle="none",
                              label=stated_label or text("chart.legend.stated")))
    derived_names = [text("chart.legend.derived")]
    handles.append(Line2D([], [], color="#444444", marker="o", markerfacecolor="white",
                          linestyle="none", label=" / ".join(derived_names)))
    if assumed_seen:
        handles.append(Line2D([], [], color="#444444", linestyle=":", linewidth=1.2,
                              label=text("chart.legend.assumed_path",
                                         what=text("chart.assumed_rate"))))
    years = sorted(set(data["year"]))
    ax.set_xticks(years)
    ax.set_xlim(years[0] - 1.2, years[-1] + 1.6)
    for t in point_labels:
        t.set_in_layout(False)  # inside the axes (keep_annotations_inside)
    hi = data["value"].max()
    ax.set_ylim(min(0, data["value"].min()), hi * 1.25)
    ax.set_ylabel(ulabel)
    ax.yaxis.set_major_formatter(number_formatter())
    for h in handles:
        h.set_label(wrap(str(h.get_label()), 30 if is_narrow() else 64))
    legend_below(ax, handles, ncols=1)  # the years need no axis title: none is set
    keep_annotations_inside(ax, point_labels)
    ids += [i for s in stated["figure_ids"] for i in _ids(s)]
    return finish(fig, title or data["label"].iloc[0], ids, "line", values)
