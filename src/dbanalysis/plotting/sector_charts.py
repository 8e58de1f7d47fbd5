"""Charts of the sector pages that had none: shares of a whole that mix stated pairs,
derived pairs and stated percentages (schools, health stations, militia units, forum
communes), and a few levels of one quantity as bars from zero, each with its status and,
for a derived one, the range its rounding leaves (budget revenue 2015 → plan → 2019).

Every item is an id: a catalogued figure or a derived one (:mod:`dbanalysis.derive`);
no value is passed in. Titles and subtitles come from ``data/vocab/labels.csv``
(:func:`caption_text`), filled from the catalogue.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.ticker import MaxNLocator

from ..catalogue import figure_labels
from ..catalogue.figures import figure
from ..core.cache import one_reading
from ..core.language import get_language, resolve
from ..derive import lookup
from ..views import text as vtext
from ..views.shares import pairs_of
from .bar_charts import (
    legend_below,
    mark_questioned,
    questioned,
    questioned_handle,
    questioned_note,
    require_several,
)
from .chart_text import (
    figure_text,
    has,
    name_with_unit,
    number,
    number_formatter,
    template,
    text,
    unit_label,
    wrap,
)
from .provenance import finish
from .share_charts import _share_axis, share_text, track_handle
from .style import OKABE_ITO, QUALIFIED_HATCH, is_narrow, keep_labels_inside, new_figure


def caption_text(key: str, lang: str | None = None) -> str:
    """The chart title or subtitle ``key`` of ``data/vocab/labels.csv`` with its
    ``{figure_id}`` / ``{d_id}`` fields filled from the catalogue (plain text)."""
    lang = resolve(lang)
    return vtext.plain(template(key, lang), lang)


def is_derived(fid: str) -> bool:
    """Whether ``fid`` is a derived figure (else a catalogued one)."""
    return lookup.catalogue_inputs(fid) != [fid]


def item_label(fid: str, lang: str | None = None) -> str:
    """The label of a catalogued or derived figure."""
    lang = resolve(lang)
    if is_derived(fid):
        return str(lookup.derived_row(fid)[f"label_{lang}"])
    return figure_labels.label(fid, lang)


def item_value(fid: str) -> float:
    """The value of a catalogued or derived figure."""
    return float(lookup.derived_value(fid)) if is_derived(fid) else float(figure(fid)["value"])


def item_unit(fid: str) -> str:
    """The unit of a catalogued or derived figure."""
    return str(lookup.derived_row(fid)["unit"] if is_derived(fid) else figure(fid)["unit"])


def _qualifier(fid: str) -> str | None:
    q = lookup.derived_row(fid)["qualifier"] if is_derived(fid) else figure(fid)["qualifier"]
    return q if isinstance(q, str) and q else None


def _year_note(fid: str) -> str:
    """`` (year not stated)`` for a catalogued figure without a period, else ''."""
    if is_derived(fid):
        return ""
    period = str(figure(fid)["period"] or "")
    return (f" ({figure_labels.held(text('chart.period.unstated'))})"
            if period in ("", "unstated") else "")


def _text_or_none(q) -> str | None:
    return q if isinstance(q, str) and q else None


def share_frame(items: Sequence[str | tuple[str, str]]) -> pd.DataFrame:
    """One row per item: a (count_id, total_id) pair (:func:`dbanalysis.views.shares.pairs_of`: the
    count may be derived, the pairing may be ours) or a percentage id (catalogued or
    derived). Columns: ``id``, ``label``, ``count``, ``total``, ``share``, ``qualifier``,
    ``derived``, ``ids`` (the ids the row draws on)."""
    rows = []
    for item in items:
        if isinstance(item, tuple | list):
            count_id, total_id = item
            p = pairs_of([(count_id, total_id)]).iloc[0]
            rows.append({"id": p["count_id"], "label": name_with_unit(p["label"], p["unit_label"]),
                         "count": p["count"], "total": p["total"], "share": p["share"],
                         "qualifier": _text_or_none(p["qualifier"]),
                         "derived": bool(p["derived"]), "share_id": p["share_id"],
                         "ids": [p["count_id"], p["total_id"], p["share_id"]]})
        else:
            if item_unit(item) != "percent":
                raise ValueError(f"share_bars_of: {item} is not a percentage "
                                 f"({item_unit(item)}); give a (count, total) pair")
            rows.append({"id": item, "label": item_label(item), "count": np.nan,
                         "total": np.nan, "share": item_value(item),
                         "qualifier": _qualifier(item), "derived": is_derived(item),
                         "share_id": item, "ids": [item]})
    return pd.DataFrame(rows)


@one_reading()  # one version of data/ per chart: its files stat'ed once
def share_bars_of(items: Sequence[str | tuple[str, str]], title: str | None = None,
                  subtitle: str | None = None,
                  extensions: Mapping[str, str] | None = None) -> Figure:
    """Shares of a whole on a 0–100 % axis, one row per item (see :func:`share_frame`),
    each against a grey 100 % bar and labelled ``a/b (x %)`` or with the stated
    percentage (and "year not stated" when the report gives none).

    Stated shares are filled; derived ones (a derived count, or a count over a total the
    report does not pair it with) hollow with a dashed edge; expected or 'over' values
    hatched; a row whose figure the audit questions outlined
    (:func:`.bar_charts.mark_questioned`). ``extensions`` maps a row's count id to another
    count of the same total drawn after it, hatched as expected (the 2 communes whose
    stations are funded) and said under the row's value (``+ 2 funded``: the label
    ``chart.extension.<count id>``, else ``chart.extension``); the legend names only what
    is drawn."""
    p = share_frame(items)
    require_several(list(p["id"]), "share_bars_of")
    extensions = dict(extensions or {})
    fig, axes = new_figure(figsize=(7.8, 0.62 * len(p) + 1.9))
    ax = axes[0, 0]
    y = _share_axis(ax, len(p))
    drawn: set[str] = set()
    labels, values, ids, names = [], [], [], []
    for yi, (_, r) in zip(y, p.iterrows(), strict=True):
        r = r.copy()
        r["qualifier"] = _text_or_none(r["qualifier"])
        gid = f"share:{r['id']}"
        if r["derived"]:
            drawn.add("derived")
            ax.barh([yi], [r["share"]], height=0.6, facecolor="white", edgecolor=OKABE_ITO[2],
                    linestyle="--", linewidth=1.6, gid=gid)
        elif r["qualifier"]:
            drawn.add("expected" if r["qualifier"] == "expected" else "qualified")
            ax.barh([yi], [r["share"]], height=0.6, color=OKABE_ITO[1], hatch=QUALIFIED_HATCH,
                    edgecolor="white", gid=gid)
        else:
            drawn.add("stated")
            ax.barh([yi], [r["share"]], height=0.6, color=OKABE_ITO[2], gid=gid)
        # what the row says beside its bar, and (said) in the alt text: the status notes
        # go inside the brackets of a share, "15/21 (71.4%, derived)"; a qualifier the
        # row's name already says ("Communes expected to …") is not said twice
        notes = []
        if r["qualifier"] and not r["derived"]:
            word = figure_labels.qualifier_label(r["qualifier"])
            if word.casefold() not in r["label"].casefold():
                notes.append(word)
        if r["derived"]:
            notes.append(text("chart.legend.derived"))
        if np.isnan(r["count"]):
            shown = figure_text(r["id"])
            shown += _year_note(r["id"]) + "".join(f", {n}" for n in notes)
        else:
            shown = (f"{number(r['count'])}/{number(r['total'])} "
                     f"({', '.join([share_text(r), *notes])})")
        ext = extensions.get(r["id"])
        said = shown  # the alt text says in words what the chart draws as "+ n", hatched
        if ext is not None:
            extra = item_value(ext) / r["total"] * 100
            drawn.add("expected")
            ax.barh([yi], [extra], left=[r["share"]], height=0.6, color=OKABE_ITO[1],
                    hatch=QUALIFIED_HATCH, edgecolor="white", gid=f"extension:{ext}")
            fields = {"shown": shown, "n": number(item_value(ext)),
                      "unit": unit_label(item_unit(ext))}
            said = (text(f"chart.alt.extension.{ext}", **fields)
                    if has(f"chart.alt.extension.{ext}")
                    else text("chart.alt.extension", **fields))
            # what the "+ n" is, on a line of its own: the row's label keeps its width
            # (a longer line would squeeze the axis on a phone)
            shown += "\n" + (text(f"chart.extension.{ext}", n=fields["n"])
                              if has(f"chart.extension.{ext}")
                              else text("chart.extension", n=fields["n"]))
            ids.append(ext)
        names.append(r["label"])
        if questioned(r["ids"]):
            drawn.add("questioned")
            mark_questioned(ax, yi, r["share"], r["id"])
            note = f", {questioned_note(r['ids'])}"
            # on a phone the row's name, above its bar, has room; the value beside it not
            if is_narrow():
                names[-1] += f" ({questioned_note(r['ids'])})"
            else:
                shown += note
            values.append(f"{r['label']}: {said}{note}")
        else:
            values.append(f"{r['label']}: {said}")
        labels.append(ax.text(100, yi, " " + shown, va="center", fontsize=9))
        ids += r["ids"]
    ax.set_yticks(y, [wrap(lbl, 36) for lbl in names],  # 36: room for the axis at 1280 px
                  fontsize=9)
    handles = []
    if "stated" in drawn:
        handles.append(Patch(facecolor=OKABE_ITO[2], label=text("chart.legend.stated")))
    if "expected" in drawn:
        handles.append(Patch(facecolor=OKABE_ITO[1], hatch=QUALIFIED_HATCH, edgecolor="white",
                             label=text("chart.legend.expected")))
    if "qualified" in drawn:
        quals = sorted({q for q in map(_text_or_none, p["qualifier"]) if q and q != "expected"})
        handles.append(Patch(facecolor=OKABE_ITO[1], hatch=QUALIFIED_HATCH, edgecolor="white",
                             label=text("chart.legend.qualified",
                                        q=", ".join(map(figure_labels.qualifier_label,
                                                        quals)))))
    if "derived" in drawn:
        handles.append(Patch(facecolor="white", edgecolor=OKABE_ITO[2], linestyle="--",
                             label=text("chart.legend.derived_share")))
    if "questioned" in drawn:
        handles.append(questioned_handle())
    handles.append(track_handle())
    legend_below(ax, handles, ncols=1)
    keep_labels_inside(ax, labels)
    return finish(fig, title or text("chart.axis.share"), ids, "bar", values,
                  subtitle=subtitle)


def _row_name(fid: str) -> str:
    """A bar's name: its label, the year of a catalogued figure, and its status."""
    if is_derived(fid):
        return f"{item_label(fid)} ({text('chart.legend.derived')})"
    period = str(figure(fid)["period"] or "")
    year = f"{period}, " if period.isdigit() else ""
    # a figure the audit questions says so, as its outline does (the tables' status rule)
    doubt = f", {questioned_note([fid])}" if questioned([fid]) else ""
    return f"{item_label(fid)} ({year}{text('chart.legend.stated')}{doubt})"


@one_reading()  # one version of data/ per chart: its files stat'ed once
def level_bars(ids: Sequence[str], ranges: Mapping[str, tuple[str, str]] | None = None,
               title: str | None = None, subtitle: str | None = None) -> Figure:
    """A few levels of one quantity as bars from zero, top to bottom in the order given
    (e.g. 2015 derived → 2019 plan derived → 2019 stated). Stated bars filled, derived
    ones hollow with a dashed edge, each row naming its status; ``ranges`` maps a bar's
    id to the (low, high) derived ids its rounding allows, drawn as a whisker and written
    beside its value."""
    require_several(ids, "level_bars")
    ranges = dict(ranges or {})
    units = {item_unit(i) for i in ids}
    if len(units) != 1:
        raise ValueError(f"level_bars needs one unit, got {sorted(units)}")
    unit = units.pop()
    vals = [item_value(i) for i in ids]
    fig, axes = new_figure(figsize=(7.5, 0.62 * len(ids) + 1.9))
    ax = axes[0, 0]
    y = np.arange(len(ids))[::-1]
    drawn: set[str] = set()
    values, all_ids, labels = [], [], []
    lang = get_language()
    for yi, i, v in zip(y, ids, vals, strict=True):
        der = is_derived(i)
        drawn.add("derived" if der else "stated")
        if der:
            ax.barh([yi], [v], height=0.6, facecolor="white", edgecolor=OKABE_ITO[0],
                    linestyle="--", linewidth=1.8, gid=f"level:{i}")
        else:
            ax.barh([yi], [v], height=0.6, color=OKABE_ITO[0], gid=f"level:{i}")
        shown = vtext.plain("{" + i + ":n}", lang)
        full = vtext.plain("{" + i + "}", lang)
        if not der and questioned([i]):  # outlined, as on every chart (figures 0.2, 8.1)
            mark_questioned(ax, yi, v, i)
            drawn.add("questioned")
            full += f", {questioned_note([i])}"
        all_ids.append(i)
        end = v
        if i in ranges:
            lo_id, hi_id = ranges[i]
            lo, hi = item_value(lo_id), item_value(hi_id)
            ax.errorbar([v], [yi], xerr=[[v - lo], [hi - v]], color="black", capsize=5,
                        linewidth=1.4, gid=f"range:{i}")
            span = text("chart.alt.range", low=vtext.plain("{" + lo_id + ":n}", lang),
                        high=vtext.plain("{" + hi_id + ":n}", lang))
            shown += ("\n" if is_narrow() else " ") + f"({span})"
            full += f" ({span})"
            all_ids += [lo_id, hi_id]
            drawn.add("range")
            end = hi
        labels.append(ax.text(end, yi, "  " + shown, va="center", fontsize=9))
        values.append(f"{item_label(i)}: {full}")
    ax.set_yticks(y, [wrap(_row_name(i), 34) for i in ids])
    ax.set_xlim(0, max(vals) * 1.05)
    ax.set_xlabel(unit_label(unit))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.xaxis.set_major_formatter(number_formatter())
    ax.grid(axis="y", visible=False)
    handles: list = []
    if "stated" in drawn:
        handles.append(Patch(facecolor=OKABE_ITO[0], label=text("chart.legend.stated")))
    if "derived" in drawn:
        handles.append(Patch(facecolor="white", edgecolor=OKABE_ITO[0], linestyle="--",
                             label=text("chart.legend.derived")))
    if "range" in drawn:
        from matplotlib.lines import Line2D

        # drawn as the mark looks: a range a few units wide on an axis of hundreds is its
        # caps, one short upright stroke (a line through the marker read as "+")
        handles.append(Line2D([], [], color="black", marker="|", markersize=10,
                              markeredgewidth=1.4, linestyle="none",
                              label=text("chart.legend.rounding_range")))
    if "questioned" in drawn:
        handles.append(questioned_handle())
    legend_below(ax, handles, ncols=1)
    keep_labels_inside(ax, labels)
    return finish(fig, title or item_label(ids[-1]), all_ids, "bar", values,
                  subtitle=subtitle)


def no_chart_note(key: str, lang: str | None = None) -> Any:
    """Why a page has no chart: the sentence ``key`` of ``data/vocab/labels.csv`` (filled
    from the catalogue, see :func:`caption_text`) as an HTML paragraph of class
    ``db-no-chart``, which the site's browser test accepts in place of a chart."""
    from IPython.display import HTML

    from ..core.markup import html_text

    return HTML(f'<p class="db-no-chart">{html_text(caption_text(key, lang))}</p>')
