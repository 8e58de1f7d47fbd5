"""Parts of a whole: a stated total beside its stacked components, the stated parts of a
total with the derived remainder, and the awards' shares by conferring level.
"""

from __future__ import annotations

from collections.abc import Sequence

from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.transforms import ScaledTranslation

from ..catalogue import figure_labels, vocab
from ..core import language
from ..core.cache import one_reading
from ..core.typography import upper_first
from ..derive import lookup
from ..views import shares
from ..views import text as vtext
from .bar_charts import legend_below
from .chart_text import (
    chart_figure,
    figure_text,
    label,
    number,
    number_formatter,
    text,
    unit_label,
    value_text,
    wrap,
)
from .provenance import finish
from .share_charts import _qual, _share_axis, track_handle
from .spacing import LABEL_PAD_PT
from .style import OKABE_ITO, QUALIFIED_HATCH, keep_labels_inside, new_figure


@one_reading()  # one version of data/ per chart: its files stat'ed once
def composition_bar(total_id: str, component_ids: Sequence[str],
                    title: str | None = None) -> Figure:
    """The stated total next to a stacked bar of its stated components."""
    tot = chart_figure(total_id)
    comps = [chart_figure(i) for i in component_ids]
    units = {c["unit"] for c in comps} | {tot["unit"]}
    if len(units) != 1:
        raise ValueError(f"mixed units {sorted(units)}")
    fig, axes = new_figure(figsize=(7.5, 3.0))
    ax = axes[0, 0]
    ax.barh([1], [tot["value"]], color="#bbbbbb", height=0.6, gid="total")
    labels = [ax.text(tot["value"], 1, " " + number(tot["value"]), va="center", fontsize=9)]
    left = 0.0
    for k, c in enumerate(comps):
        ax.barh([0], [c["value"]], left=left, height=0.6, color=OKABE_ITO[k % 7],
                label=f"{label(c['figure_id'])}: {number(c['value'])}",
                gid=f"component:{c['figure_id']}")
        left += c["value"]
    ax.set_yticks([1, 0], [wrap(label(total_id), 28), text("chart.label.components")])
    ax.set_xlabel(unit_label(tot["unit"]))
    ax.xaxis.set_major_formatter(number_formatter())
    ax.set_xlim(0, max(left, tot["value"]) * 1.02)
    ax.grid(axis="y", visible=False)
    legend_below(ax, ncols=min(len(comps), 2))
    keep_labels_inside(ax, labels)
    values = [f"{label(i)}: {figure_text(i)}" for i in [total_id, *component_ids]]
    return finish(fig, title or label(total_id), [total_id, *component_ids], "stacked", values)


@one_reading()  # one version of data/ per chart: its files stat'ed once
def parts_bar(total_id: str, part_ids: Sequence[str], title: str | None = None,
              subtitle: str | None = None) -> Figure:
    """One stacked bar: the stated parts of a stated total, then the remainder
    (total − parts) drawn hollow and dashed as *derived*; a frame marks the total."""
    d = shares.parts_of_total(total_id, part_ids)
    total = float(d["total"].iloc[0])
    unit = d["unit"].iloc[0]
    fig, axes = new_figure(figsize=(7.5, 2.8))
    ax = axes[0, 0]
    left, values, drawn = 0.0, [], []
    for k, (_, r) in enumerate(d.iterrows()):
        v = r["value"]
        if r["status"] == "derived":
            if v <= 0:
                continue
            drawn.append(r["figure_id"])  # the remainder, drawn: in its table (QA-0000 R2)
            units = unit_label(unit)
            name = upper_first(text("chart.alt.rest", unit=units))
            ax.barh([0], [v], left=left, height=0.55, facecolor="white",
                    edgecolor=OKABE_ITO[7], linestyle="--", linewidth=1.4, gid="part:rest",
                    label=f"{upper_first(text('chart.legend.rest', unit=units))}: {number(v)}")
        else:
            q = _qual(r["qualifier"])
            name = r["label"]
            ax.barh([0], [v], left=left, height=0.55, color=OKABE_ITO[k % 7],
                    hatch=QUALIFIED_HATCH if q else None, edgecolor="white",
                    gid=f"part:{r['figure_id']}",
                    label=f"{name}: {number(v)}"
                    + (f" ({figure_labels.qualifier_label(q)})" if q else ""))
        ax.text(left + v / 2, 0, number(v), ha="center", va="center", fontsize=10,
                color="white" if r["status"] == "stated" else "black", fontweight="bold")
        values.append(f"{name}: {value_text(v, unit)}")
        left += v
    ax.axvline(total, color="black", linewidth=1.2, gid="total-line")
    # the total's name ends LABEL_PAD_PT clear of its line's stroke (1.2 pt), in points:
    # the same room in every layout
    ax.text(total, 0.42, f"{label(total_id)}: {number(total)}", ha="right", va="bottom",
            fontsize=8, gid="total-label",
            transform=ax.transData + ScaledTranslation(-(LABEL_PAD_PT + 0.6) / 72, 0,
                                                       fig.dpi_scale_trans))
    if d["problem"].notna().any():
        ax.text(left, -0.45, text("chart.note.over_total"), ha="right", fontsize=8,
                color=OKABE_ITO[3])
    ax.set_ylim(-0.6, 0.75)
    ax.set_yticks([])
    ax.set_xlim(0, max(left, total) * 1.02)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(unit_label(unit))
    ax.xaxis.set_major_formatter(number_formatter())
    ax.grid(axis="y", visible=False)
    legend_below(ax)
    # the total first, in its own name ("Communes of the district: 21"), then each part
    # and the remainder as "name: n unit"
    values.insert(0, f"{label(total_id)}: {figure_text(total_id)}")
    return finish(fig, title or label(total_id), [total_id, *part_ids, *drawn], "stacked",
                  values, subtitle=subtitle)


@one_reading()  # one version of data/ per chart: its files stat'ed once
def award_hierarchy(title: str | None = None) -> Figure:
    """Each conferring level's share of all awards and titles (national → commune), on a
    linear 0–100 % axis, each bar labelled with its count and share. Counts and shares
    are the derived figures ``d_awards_<level>`` and ``d_awards_<level>_share``."""
    levels = list(vocab.AWARD_LEVELS)
    lang = language.get_language()
    rows = [(lv, lookup.derived_value(f"d_awards_{lv}"),
             lookup.derived_value(f"d_awards_{lv}_share"))
            for lv in levels]
    fig, axes = new_figure(figsize=(7.5, 0.55 * len(rows) + 1.6))
    ax = axes[0, 0]
    y = _share_axis(ax, len(rows))
    ax.set_xlabel(text("chart.axis.share_of_awards"))
    ax.barh(y, [s for _, _, s in rows], color=OKABE_ITO[0], height=0.6, gid="awards:share")
    # counts and shares as the page's prose and tables write them (the one display rule)
    # with their unit ("47 lượt"), as the page writes them (REVIEW-vi10 Z11)
    shown = [f"{vtext.figure_text(f'd_awards_{lv}', qualifier=False)} "
             f"({vtext.figure_text(f'd_awards_{lv}_share', qualifier=False)})"
             for lv, _, _ in rows]
    # past the 100 % track, one column of values: a label starting at its bar's end ran
    # from the bar over the grey track and past its end (77.7 %)
    labels = [ax.text(100, yi, " " + t, va="center", fontsize=9)
              for yi, t in zip(y, shown, strict=True)]
    names = [lookup.derived_row(f"d_awards_{lv}")[f"label_{lang}"] for lv in levels]
    ax.set_yticks(y, [wrap(n, 30) for n in names])
    legend_below(ax, [track_handle()])
    keep_labels_inside(ax, labels)
    # each bar writes its level's count and share: its table lists both (QA-0000 R2)
    ids = [i for lv in levels for i in (f"d_awards_{lv}", f"d_awards_{lv}_share")]
    values = [f"{n}: {t}" for n, t in zip(names, shown, strict=True)]
    return finish(fig, title or figure_labels.sector_label("awards"), ids, "bar", values)
