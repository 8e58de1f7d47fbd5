"""One house style for every chart of the project.

Every helper returns a :class:`matplotlib.figure.Figure` (not registered with
pyplot, so a notebook displays it exactly once when it is the cell's value) that
carries a title stating the finding, the unit on the value axis and a source line
naming the report and the figure ids drawn. :func:`use_house_style` also registers
a deterministic PNG formatter for figures in IPython.

Import direction: catalog/vocab -> sectorview -> plotting (never the reverse).
"""

from __future__ import annotations

import io
import textwrap
from collections.abc import Iterable, Sequence
from pathlib import Path

import matplotlib as mpl
import matplotlib.style
import numpy as np
import pandas as pd
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties, findfont
from matplotlib.ft2font import FT2Font
from matplotlib.lines import Line2D
from matplotlib.patches import Patch
from matplotlib.ticker import FuncFormatter, MaxNLocator

from . import sectorview as sv
from . import vocab
from .catalog import figure
from .sectorview import get_language, label, set_language  # re-exported

__all__ = [
    "HOUSE_FONT", "OKABE_ITO", "achievement_bars", "add_source", "award_hierarchy",
    "composition_bar", "coverage_bars", "get_language", "label", "new_figure", "png_bytes",
    "save_png", "set_language", "slope_2015_2019", "source_line", "unit_label",
    "use_house_style", "value_bars", "vietnamese_font_check",
]

HOUSE_FONT = "DejaVu Sans"
HOUSE_STYLE = Path(__file__).with_name("house.mplstyle")
#: Okabe & Ito (2008) colour-blind-safe palette (black last).
OKABE_ITO = ["#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442",
             "#000000"]
DPI = 100
FIGSIZE = (7.0, 4.0)
STATED_COLOR = OKABE_ITO[0]
DERIVED_COLOR = OKABE_ITO[0]
QUALIFIED_HATCH = "///"
SOURCE_GID = "source-line"

_RC = {
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
}

_TEXT = {
    "en": {"source": "Source: Điện Biên district, 'Kết quả phong trào thi đua…2015-2020' "
                     "({date}); figures: {ids}",
           "share": "share (%)", "of_plan": "% of plan or target", "target": "100 % = target",
           "qualified": "qualified ({q})", "stated": "stated", "total": "total",
           "components": "components", "residual": "components − total",
           "count": "count (log scale)"},
    "vi": {"source": "Nguồn: huyện Điện Biên, 'Kết quả phong trào thi đua…2015-2020' "
                     "({date}); số liệu: {ids}",
           "share": "tỷ lệ (%)", "of_plan": "% kế hoạch/chỉ tiêu", "target": "100 % = chỉ tiêu",
           "qualified": "có từ định lượng ({q})", "stated": "báo cáo nêu", "total": "tổng",
           "components": "thành phần", "residual": "thành phần − tổng",
           "count": "số lượng (thang log)"},
}


def _t(key: str, **kw) -> str:
    return _TEXT[get_language()][key].format(**kw)


# --------------------------------------------------------------------------- style
def use_house_style() -> None:
    """The house style (``house.mplstyle``: light grid, Okabe-Ito palette, DejaVu Sans),
    fixed size and dpi.

    Inside IPython, also display :class:`Figure` objects as deterministic PNG.
    """
    mpl.style.use(HOUSE_STYLE)
    mpl.rcParams.update(_RC)
    # tables show quotes, notes and explanations whole: a truncated quote is no quote
    pd.set_option("display.max_colwidth", None)
    pd.set_option("display.max_rows", 200)
    _register_ipython_formatter()


def _register_ipython_formatter() -> None:
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython is a dependency of ipykernel
        return
    ip = get_ipython()
    if ip is None:
        return
    formatters = ip.display_formatter.formatters
    formatters["image/png"].for_type(Figure, png_bytes)


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG: fixed dpi, tight box, no metadata (identical bytes every run)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.15,
                metadata={"Software": None})
    return buf.getvalue()


def save_png(fig: Figure, path: str | Path) -> Path:
    """Write :func:`png_bytes` to ``path`` (parents created)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes(fig))
    return path


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


# --------------------------------------------------------------------------- labels
def unit_label(unit: str) -> str:
    return sv.unit_label(unit)


def source_line(ids: Iterable[str]) -> str:
    """"Source: Điện Biên district, '…' (29/09/2020); figures: id1, id2" (or Vietnamese)."""
    ids = list(dict.fromkeys(ids))
    return _t("source", date=sv.SOURCE_DATE, ids=", ".join(ids))


def add_source(fig: Figure, ids: Iterable[str]) -> None:
    """Put the source line under the figure (kept by the tight bounding box)."""
    text = "\n".join(textwrap.wrap(source_line(ids), 120))
    fig.text(0.01, -0.01, text, ha="left", va="top", fontsize=7.5, color="#444444",
             gid=SOURCE_GID)


def new_figure(nrows: int = 1, ncols: int = 1, figsize=None, **kw):
    """A Figure outside pyplot with constrained layout, and its axes."""
    fig = Figure(figsize=figsize or FIGSIZE, dpi=DPI, layout="constrained")
    axes = fig.subplots(nrows, ncols, squeeze=False, **kw)
    return fig, axes


def _finish(fig: Figure, title: str, ids: Iterable[str]) -> Figure:
    fig.suptitle(title, x=0.01, ha="left", fontsize=12)
    add_source(fig, ids)
    return fig


def _number_formatter() -> FuncFormatter:
    """Axis numbers in the current language's notation (42,998 / 42.998)."""
    lang = get_language()  # fixed now: figures are drawn later, maybe in another language
    return FuncFormatter(lambda x, _pos: sv.fmt_number(x, lang) if x >= 0
                         else "−" + sv.fmt_number(-x, lang))


def _wrap(s: str, width: int = 34) -> str:
    return "\n".join(textwrap.wrap(s, width))


# --------------------------------------------------------------------------- charts
def slope_2015_2019(ids_or_indicators: Sequence[str], title: str | None = None,
                    ncols: int | None = None) -> Figure:
    """Small multiples, one panel per indicator: 2015 -> stated year.

    Stated points: filled markers; points derived as level − change: hollow markers
    joined by a dashed line.
    """
    data = sv.slope_data(ids_or_indicators)
    indicators = list(dict.fromkeys(data["indicator"]))
    n = len(indicators)
    ncols = ncols or min(n, 3)
    nrows = int(np.ceil(n / ncols))
    fig, axes = new_figure(nrows, ncols, figsize=(3.2 * ncols + 0.6, 3.0 * nrows + 0.8))
    ids: list[str] = []
    for k, ind in enumerate(indicators):
        ax = axes.flat[k]
        d = data[data["indicator"] == ind].sort_values("year")
        der, sta = d[d["status"] == "derived"].iloc[0], d[d["status"] == "stated"].iloc[0]
        ax.plot([der["year"], sta["year"]], [der["value"], sta["value"]], linestyle="--",
                color=STATED_COLOR, linewidth=1.6, gid="slope-line")
        ax.plot([der["year"]], [der["value"]], linestyle="none", marker="o", markersize=9,
                markerfacecolor="white", markeredgecolor=DERIVED_COLOR, markeredgewidth=2,
                gid="derived", label=sv.DERIVED_LABEL[get_language()])
        ax.plot([sta["year"]], [sta["value"]], linestyle="none", marker="o", markersize=9,
                markerfacecolor=STATED_COLOR, markeredgecolor=STATED_COLOR, gid="stated",
                label=sv.STATED_LABEL[get_language()])
        for row, dx, ha in ((der, -9, "right"), (sta, 9, "left")):
            ax.annotate(sv.fmt_number(row["value"]), (row["year"], row["value"]),
                        xytext=(dx, 0), textcoords="offset points", ha=ha, va="center",
                        fontsize=9)
        ax.yaxis.set_major_formatter(_number_formatter())
        ax.set_xlim(2015 - 2.2, sta["year"] + 2.2)
        ax.set_xticks([2015, int(sta["year"])])
        ax.set_title(_wrap(der["label"], 30), fontsize=10)
        ax.set_ylabel(der["unit_label"])
        lo, hi = min(der["value"], sta["value"]), max(der["value"], sta["value"])
        pad = (hi - lo) * 0.25 or abs(hi) * 0.1 or 1
        bottom = lo - pad if lo < 0 or lo - pad > 0 else 0
        ax.set_ylim(bottom, hi + pad)
        ids += [i.strip() for i in der["figure_ids"].split("−")]
    for ax in list(axes.flat)[n:]:
        ax.set_visible(False)
    handles = [
        Line2D([], [], color=STATED_COLOR, marker="o", linestyle="none", markersize=8,
               label=sv.STATED_LABEL[get_language()]),
        Line2D([], [], color=DERIVED_COLOR, marker="o", markerfacecolor="white",
               linestyle="--", markersize=8, label=sv.DERIVED_LABEL[get_language()]),
    ]
    fig.legend(handles=handles, loc="outside lower right", ncols=2, frameon=False, fontsize=9)
    return _finish(fig, title or "2015 → 2019", ids)


def _pair_frame(pairs_) -> pd.DataFrame:
    if isinstance(pairs_, pd.DataFrame):
        return pairs_
    if isinstance(pairs_, str):
        return sv.pairs(pairs_)
    allp = sv.pairs()
    rows = []
    for p in pairs_:
        hit = allp[allp["count_id"] == (p[0] if isinstance(p, tuple | list) else p)]
        if hit.empty:
            raise KeyError(f"no count/total pair for {p!r}")
        rows.append(hit.iloc[0])
    return pd.DataFrame(rows)


def coverage_bars(pairs, title: str | None = None) -> Figure:
    """Horizontal bars of the share a/b for count/total pairs, labelled ``a/b (x %)``.

    ``pairs``: a :func:`sectorview.pairs` frame, a sector name, or count ids /
    (count_id, total_id) tuples.
    """
    p = _pair_frame(pairs).reset_index(drop=True)
    fig, axes = new_figure(figsize=(7.5, 0.55 * len(p) + 1.6))
    ax = axes[0, 0]
    y = np.arange(len(p))[::-1]
    ax.barh(y, [100.0] * len(p), color="#e6e6e6", height=0.6, gid="total")
    ax.barh(y, p["share"], color=OKABE_ITO[2], height=0.6, gid="share")
    for yi, (_, r) in zip(y, p.iterrows(), strict=True):
        ax.text(101.5, yi, f"{sv.fmt_number(r['count'])}/{sv.fmt_number(r['total'])} "
                f"({sv.fmt_number(round(r['share'], 1))} %)", va="center", fontsize=9)
    ax.set_yticks(y, [_wrap(f"{lbl} ({u})", 40) for lbl, u in zip(p["label"], p["unit_label"],
                                                                   strict=True)])
    ax.set_xlim(0, 130)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel(_t("share"))
    ax.grid(axis="y", visible=False)
    ids = [i for pair in zip(p["count_id"], p["total_id"], strict=True) for i in pair]
    return _finish(fig, title or _t("share"), ids)


def _percent_rows(ids: Sequence[str]):
    """Figures in percent (ValueError naming any that are not), a figure with one
    horizontal row per figure, its axes and the rows' y positions (top first)."""
    figs = [figure(i) for i in ids]
    bad = [f["figure_id"] for f in figs if f["unit"] != "percent"]
    if bad:
        raise ValueError(f"not percentages: {bad}")
    fig, axes = new_figure(figsize=(7.5, 0.55 * len(figs) + 1.6))
    return figs, fig, axes[0, 0], np.arange(len(figs))[::-1]


def achievement_bars(ids: Sequence[str], title: str | None = None) -> Figure:
    """Achievement against plan/target in percent, with a 100 % reference line."""
    figs, fig, ax, y = _percent_rows(ids)
    vals = [f["value"] for f in figs]
    colors = [OKABE_ITO[2] if v >= 100 else OKABE_ITO[3] for v in vals]
    ax.barh(y, vals, color=colors, height=0.6)
    ax.axvline(100, color="black", linestyle=":", linewidth=1.2, gid="target-line",
               label=_t("target"))
    for yi, v in zip(y, vals, strict=True):
        ax.text(v + 1, yi, sv.fmt(v, "percent"), va="center", fontsize=9)
    ax.set_yticks(y, [_wrap(label(i), 40) for i in ids])
    ax.set_xlim(0, max([*vals, 100]) * 1.15)
    ax.set_xlabel(_t("of_plan"))
    ax.grid(axis="y", visible=False)
    ax.legend(loc="lower right", fontsize=8)
    return _finish(fig, title or _t("of_plan"), ids)


def composition_bar(total_id: str, component_ids: Sequence[str],
                    title: str | None = None) -> Figure:
    """The stated total next to a stacked bar of its stated components."""
    tot = figure(total_id)
    comps = [figure(i) for i in component_ids]
    units = {c["unit"] for c in comps} | {tot["unit"]}
    if len(units) != 1:
        raise ValueError(f"mixed units {sorted(units)}")
    fig, axes = new_figure(figsize=(7.5, 3.0))
    ax = axes[0, 0]
    ax.barh([1], [tot["value"]], color="#bbbbbb", height=0.6, gid="total")
    ax.text(tot["value"], 1, " " + sv.fmt_number(tot["value"]), va="center", fontsize=9)
    left = 0.0
    for k, c in enumerate(comps):
        ax.barh([0], [c["value"]], left=left, height=0.6, color=OKABE_ITO[k % 7],
                label=f"{label(c['figure_id'])}: {sv.fmt_number(c['value'])}",
                gid=f"component:{c['figure_id']}")
        left += c["value"]
    ax.set_yticks([1, 0], [_wrap(label(total_id), 28), _t("components")])
    ax.set_xlabel(unit_label(tot["unit"]))
    ax.xaxis.set_major_formatter(_number_formatter())
    ax.set_xlim(0, max(left, tot["value"]) * 1.18)
    ax.grid(axis="y", visible=False)
    # below the axis label, inside the layout, so that it never overlaps the source line
    ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.32), ncols=min(len(comps), 2),
              fontsize=8, frameon=False)
    return _finish(fig, title or label(total_id), [total_id, *component_ids])


def award_hierarchy(title: str | None = None) -> Figure:
    """Awards by conferring level (national -> commune), collectives vs individuals,
    on a log scale with the counts written on the bars."""
    t = sv.award_table()
    lang = get_language()
    awards = list(dict.fromkeys(t["award"]))
    fig, axes = new_figure(figsize=(8.0, 0.42 * len(awards) + 1.8))
    ax = axes[0, 0]
    y = {a: len(awards) - 1 - k for k, a in enumerate(awards)}
    colors = {"collective": OKABE_ITO[0], "individual": OKABE_ITO[1]}
    offset = {"collective": 0.2, "individual": -0.2}
    for rec in ("collective", "individual"):
        d = t[t["recipient"] == rec]
        ys = [y[a] + offset[rec] for a in d["award"]]
        ax.barh(ys, d["count"], height=0.38, color=colors[rec],
                label=sv.RECIPIENT_LABELS[lang][rec], gid=f"awards:{rec}")
        for yi, v in zip(ys, d["count"], strict=True):
            ax.text(v * 1.08, yi, sv.fmt_number(v), va="center", fontsize=8)
    ax.set_xscale("log")
    ax.set_xlim(0.8, t["count"].max() * 4)
    ax.set_yticks(list(y.values()), [_wrap(a, 44) for a in awards], fontsize=8)
    ax.set_xlabel(_t("count"))
    ax.grid(axis="y", visible=False)
    # level bands
    prev = None
    for a in awards:
        level = t.loc[t["award"] == a, "level"].iloc[0]
        if level != prev:
            ax.axhline(y[a] + 0.5, color="#888888", linewidth=0.8)
            ax.text(ax.get_xlim()[1], y[a] + 0.45, sv.LEVEL_LABELS[lang][level], ha="right",
                    va="top", fontsize=8, style="italic", color="#444444")
            prev = level
    ax.xaxis.set_major_formatter(_number_formatter())
    fig.legend(loc="outside lower right", ncols=2, fontsize=8, frameon=False)
    return _finish(fig, title or sv.sector_label("awards"), list(t["figure_id"]))


def value_bars(ids: Sequence[str], title: str | None = None, *,
               mixed_units: bool = False) -> Figure:
    """Bars for a handful of figures; qualified values ('over', 'estimate', …) are
    hatched and named in the legend. One unit on the axis, or with ``mixed_units``
    counts in different units, each written on its bar."""
    figs = [figure(i) for i in ids]
    units = {f["unit"] for f in figs}
    if len(units) != 1 and not mixed_units:
        raise ValueError(f"value_bars needs one unit, got {sorted(units)}")
    fig, axes = new_figure(figsize=(7.5, 0.55 * len(figs) + 1.6))
    ax = axes[0, 0]
    y = np.arange(len(figs))[::-1]
    quals = []
    for yi, f in zip(y, figs, strict=True):
        q = f["qualifier"]
        ax.barh([yi], [f["value"]], height=0.6, color=OKABE_ITO[0],
                hatch=QUALIFIED_HATCH if q else None, edgecolor="white" if q else None,
                gid=f"bar:{f['figure_id']}")
        ax.text(f["value"], yi, " " + sv.fmt_figure(f["figure_id"]), va="center", fontsize=9)
        if q:
            quals.append(sv.qualifier_label(q))
    ax.set_yticks(y, [_wrap(label(i), 40) for i in ids])
    axis_label = unit_label(units.pop()) if len(units) == 1 else _ta("count")
    ax.set_xlabel(axis_label)
    ax.set_xlim(0, max(f["value"] for f in figs) * (1.6 if mixed_units else 1.35))
    ax.xaxis.set_major_locator(MaxNLocator(nbins=4))
    ax.xaxis.set_major_formatter(_number_formatter())
    ax.grid(axis="y", visible=False)
    handles = [Patch(facecolor=OKABE_ITO[0], label=_t("stated"))]
    if quals:
        handles.append(Patch(facecolor=OKABE_ITO[0], hatch=QUALIFIED_HATCH, edgecolor="white",
                             label=_t("qualified", q=", ".join(dict.fromkeys(quals)))))
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.3),
              ncols=len(handles), fontsize=8, frameon=False)
    return _finish(fig, title or axis_label, ids)


# --------------------------------------------------------------------------- views A
# Charts for notebooks 02-05: derived/assumed paths with named readings, stated
# shares against 100 %, a stated range, counts in different units.

_TEXT_A = {
    "en": {"derived": "derived", "assumed": "assumed", "range": "stated range",
           "no_midpoint": "the report gives no single value", "count": "count"},
    "vi": {"derived": "suy ra", "assumed": "giả định", "range": "khoảng báo cáo nêu",
           "no_midpoint": "báo cáo không nêu một giá trị duy nhất", "count": "số lượng"},
}


def _ta(key: str) -> str:
    return _TEXT_A[get_language()][key]


def _round_derived(v: float) -> float:
    """Derived values shown to two decimals below 100, to whole units above."""
    return round(v, 2) if abs(v) < 100 else round(v)


def _point_label(v: float, unit: str) -> str:
    return sv.fmt(v, unit) if unit == "percent" else sv.fmt_number(v)


def reading_paths(data: pd.DataFrame, title: str | None = None,
                  legend_values: bool = True, legend_loc: str = "best",
                  stated_label: str | None = None) -> Figure:
    """One line per reading (``data['reading']``) of how a stated figure relates to an
    earlier year. Stated points are filled; derived or assumed points hollow, joined
    by dashed lines. The legend names each reading and, with ``legend_values``, its
    earliest value. ``data``: a frame from :func:`sectorview.change_readings`,
    :func:`sectorview.relative_change_points` or :func:`sectorview.growth_paths`.
    ``stated_label`` replaces the legend's "stated" for the filled points when the stated
    value needs a caveat (e.g. an estimate whose year is assumed)."""
    readings = list(dict.fromkeys(data["reading"]))
    unit, ulabel = data["unit"].iloc[0], data["unit_label"].iloc[0]
    fig, axes = new_figure(figsize=(7.5, 4.2))
    ax = axes[0, 0]
    ids: list[str] = []
    handles = []
    for k, rd in enumerate(readings):
        d = data[data["reading"] == rd].sort_values("year")
        color = OKABE_ITO[k % 7]
        ax.plot(d["year"], d["value"], linestyle="--", color=color, linewidth=1.6,
                gid=f"path:{k}")
        other = d[d["status"] != "stated"]
        sta = d[d["status"] == "stated"]
        ax.plot(other["year"], other["value"], linestyle="none", marker="o", markersize=8,
                markerfacecolor="white", markeredgecolor=color, markeredgewidth=2,
                gid=f"derived:{k}")
        ax.plot(sta["year"], sta["value"], linestyle="none", marker="o", markersize=9,
                color=color, gid=f"stated:{k}")
        first = d.iloc[0]
        dy = 10 if k % 2 == 0 else -14
        ax.annotate(_point_label(_round_derived(first["value"]), unit),
                    (first["year"], first["value"]),
                    xytext=(-10, dy), textcoords="offset points", ha="right", va="center",
                    fontsize=9, color=color)
        text = rd
        if legend_values:
            text += f": {int(first['year'])} = {sv.fmt(_round_derived(first['value']), unit)}"
        handles.append(Line2D([], [], color=color, linestyle="--", marker="o",
                              markerfacecolor="white", markeredgecolor=color, label=text))
        ids += [i.strip() for i in str(first["figure_ids"]).replace("/", ",")
                .replace("(", ",").replace(")", ",").replace("±", ",").split(",")
                if i.strip() and i.strip() != "1"]
    stated = data[data["status"] == "stated"].sort_values("year", ascending=False) \
        .drop_duplicates(["value"])
    for _, s in stated.iterrows():
        ax.annotate(_point_label(s["value"], unit), (s["year"], s["value"]), xytext=(10, 0),
                    textcoords="offset points", ha="left", va="center", fontsize=9,
                    fontweight="bold")
    statuses = [x for x in (sv.DERIVED, sv.ASSUMED) if x in set(data["status"])]
    handles.append(Line2D([], [], color="#444444", marker="o", linestyle="none",
                          label=stated_label or sv.STATED_LABEL[get_language()]))
    handles.append(Line2D([], [], color="#444444", marker="o", markerfacecolor="white",
                          linestyle="none", label=" / ".join(_ta(s) for s in statuses)))
    years = sorted(set(data["year"]))
    ax.set_xticks(years)
    ax.set_xlim(years[0] - 1.2, years[-1] + 1.4)
    lo, hi = data["value"].min(), data["value"].max()
    ax.set_ylim(0, hi + (hi - lo) * 0.2 + hi * 0.05)
    ax.set_ylabel(ulabel)
    ax.yaxis.set_major_formatter(_number_formatter())
    ax.legend(handles=handles, loc=legend_loc, fontsize=8)
    return _finish(fig, title or data["label"].iloc[0], ids)


def share_bars(ids: Sequence[str], title: str | None = None) -> Figure:
    """Stated percentages of a population or set, each against a 100 % background
    (the grey part is what the share leaves out)."""
    figs, fig, ax, y = _percent_rows(ids)
    vals = [f["value"] for f in figs]
    ax.barh(y, [100.0] * len(figs), color="#e6e6e6", height=0.6, gid="whole")
    ax.barh(y, vals, color=OKABE_ITO[0], height=0.6, gid="share")
    for yi, f in zip(y, figs, strict=True):
        ax.text(101.5, yi, sv.fmt_figure(f["figure_id"]) + f" ({f['period']})", va="center",
                fontsize=9)
    ax.set_yticks(y, [_wrap(label(i), 40) for i in ids])
    ax.set_xlim(0, 130)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel(_t("share"))
    ax.grid(axis="y", visible=False)
    return _finish(fig, title or _t("share"), ids)


def range_bar(low_id: str, high_id: str, title: str | None = None) -> Figure:
    """A stated range (``range_low``/``range_high``) as a floating bar on an axis from
    zero, both ends labelled; no midpoint is drawn because the report states none."""
    lo, hi = figure(low_id), figure(high_id)
    if lo["unit"] != hi["unit"]:
        raise ValueError("the two ends of a range must share a unit")
    fig, axes = new_figure(figsize=(7.5, 2.6))
    ax = axes[0, 0]
    ax.barh([0], [hi["value"] - lo["value"]], left=lo["value"], height=0.5,
            color=OKABE_ITO[2], gid="range", label=_ta("range"))
    for v, ha, dx in ((lo["value"], "right", -4), (hi["value"], "left", 4)):
        ax.annotate(sv.fmt_number(v), (v, 0.3), xytext=(dx, 4), textcoords="offset points",
                    ha=ha, va="bottom", fontsize=9)
    ax.set_yticks([0], [_wrap(sv.label(low_id).split(" (")[0], 28)])
    ax.set_ylim(-0.6, 0.9)
    ax.set_xlim(0, hi["value"] * 1.12)
    ax.set_xlabel(unit_label(lo["unit"]))
    ax.xaxis.set_major_formatter(_number_formatter())
    ax.grid(axis="y", visible=False)
    ax.legend(loc="upper left", fontsize=8, title=_ta("no_midpoint"), title_fontsize=8)
    return _finish(fig, title or _ta("range"), [low_id, high_id])


def count_bars(ids: Sequence[str], title: str | None = None) -> Figure:
    """Counts in different units (workers, trainees, clubs …), one bar each, the unit
    written on the bar; qualified values ("over", "estimate") hatched."""
    return value_bars(ids, title or _ta("count"), mixed_units=True)


# --------------------------------------------------------------------------- nb-b charts
_TEXT_B = {
    "en": {"exact": "stated", "lower": "lower bound ('over'): the true value is at least this",
           "room": "room left up to 100 %", "expected": "expected, not yet achieved",
           "derived": "derived", "rest": "rest (derived: total − parts)",
           "over_total": "parts exceed the total", "of": "of"},
    "vi": {"exact": "báo cáo nêu",
           "lower": "cận dưới ('trên'): giá trị thực ít nhất bằng giá trị này",
           "room": "khoảng còn lại tới 100 %", "expected": "dự kiến, chưa đạt",
           "derived": "suy ra", "rest": "còn lại (suy ra: tổng − các phần)",
           "over_total": "các phần vượt tổng", "of": "trên"},
}


def _tb(key: str) -> str:
    return _TEXT_B[get_language()][key]




def _legend_below(ax, handles=None, ncols: int = 1) -> None:
    """An axes legend under the x-axis label, which constrained layout makes room for
    (a figure legend would overlap the source line)."""
    from matplotlib.transforms import ScaledTranslation

    below = ax.transAxes + ScaledTranslation(0, -46 / 72, ax.figure.dpi_scale_trans)
    kw = {"handles": handles} if handles else {}
    ax.legend(**kw, loc="upper left", bbox_to_anchor=(0, 0), bbox_transform=below,
              ncols=ncols, fontsize=8, frameon=False)


def _qual(q) -> str | None:
    """A qualifier or None (pandas turns missing qualifiers into NaN)."""
    return q if isinstance(q, str) and q else None


def bound_bars(ids: Sequence[str], title: str | None = None, unit: str | None = None) -> Figure:
    """Bars for same-dimension figures where 'over' (trên/hơn) values are lower bounds.

    Lower bounds are hatched and end in an arrow (the true value lies further right);
    for percentages a light band shows the room left up to 100 %. Money figures are
    converted to ``unit`` (default: the first figure's unit).
    """
    figs = [figure(i) for i in ids]
    unit = unit or figs[0]["unit"]
    vals = [vocab.convert(f["value"], f["unit"], unit) for f in figs]
    fig, axes = new_figure(figsize=(7.5, 0.6 * len(figs) + 1.9))
    ax = axes[0, 0]
    y = np.arange(len(figs))[::-1]
    top = 100.0 if unit == "percent" else max(vals) * 1.9
    lower_seen = False
    for yi, f, v in zip(y, figs, vals, strict=True):
        lower = f["qualifier"] == "over"
        lower_seen |= lower
        if lower and unit == "percent":
            ax.barh([yi], [100 - v], left=v, height=0.6, color="#dcdcdc", gid=f"room:{f.name}")
        ax.barh([yi], [v], height=0.6, color=OKABE_ITO[0] if not lower else OKABE_ITO[5],
                hatch=QUALIFIED_HATCH if lower else None, edgecolor="white" if lower else None,
                gid=f"bar:{f['figure_id']}")
        text = sv.fmt(v, unit, qualifier=f["qualifier"])
        if lower:
            ax.annotate("", xy=(v + top * 0.06, yi), xytext=(v, yi),
                        arrowprops={"arrowstyle": "->", "color": "black", "lw": 1.4})
        x_text = (100 if lower and unit == "percent" else v + (top * 0.07 if lower else 0))
        ax.text(x_text, yi, " " + text, va="center", fontsize=9)
    ax.set_yticks(y, [_wrap(label(i), 38) for i in ids])
    ax.set_xlabel(unit_label(unit))
    ax.set_xlim(0, top * (1.3 if unit == "percent" else 1.0))
    if unit == "percent":
        ax.set_xticks([0, 25, 50, 75, 100])
    ax.xaxis.set_major_formatter(_number_formatter())
    ax.grid(axis="y", visible=False)
    exact_seen = any(f["qualifier"] != "over" for f in figs)
    handles = [Patch(facecolor=OKABE_ITO[0], label=_tb("exact"))] if exact_seen else []
    if lower_seen:
        handles.append(Patch(facecolor=OKABE_ITO[5], hatch=QUALIFIED_HATCH, edgecolor="white",
                             label=_tb("lower")))
        if unit == "percent":
            handles.append(Patch(facecolor="#dcdcdc", label=_tb("room")))
    _legend_below(ax, handles)
    return _finish(fig, title or unit_label(unit), ids)


def marked_coverage_bars(pairs, title: str | None = None) -> Figure:
    """Like :func:`coverage_bars`, but expected (dự kiến) or 'over' counts are hatched and
    derived counts drawn hollow with a dashed edge, each named in the legend.

    ``pairs``: a :func:`sectorview.pairs` or :func:`sectorview.pairs_of` frame, or a sector.
    """
    p = _pair_frame(pairs).reset_index(drop=True)
    if "qualifier" not in p:
        p["qualifier"] = [figure(c)["qualifier"] for c in p["count_id"]]
    if "derived" not in p:
        p["derived"] = False
    fig, axes = new_figure(figsize=(7.8, 0.6 * len(p) + 1.9))
    ax = axes[0, 0]
    y = np.arange(len(p))[::-1]
    ax.barh(y, [100.0] * len(p), color="#e6e6e6", height=0.6, gid="total")
    kinds = set()
    for yi, (_, r) in zip(y, p.iterrows(), strict=True):
        q, der = _qual(r["qualifier"]), bool(r["derived"])
        if der:
            kinds.add("derived")
            ax.barh([yi], [r["share"]], height=0.6, facecolor="white", edgecolor=OKABE_ITO[2],
                    linestyle="--", linewidth=1.6, gid=f"share:{r['count_id']}")
        elif q:
            kinds.add(q)
            ax.barh([yi], [r["share"]], height=0.6, color=OKABE_ITO[1], hatch=QUALIFIED_HATCH,
                    edgecolor="white", gid=f"share:{r['count_id']}")
        else:
            ax.barh([yi], [r["share"]], height=0.6, color=OKABE_ITO[2],
                    gid=f"share:{r['count_id']}")
        note = f", {sv.qualifier_label(q)}" if q else (f", {_tb('derived')}" if der else "")
        ax.text(101.5, yi, f"{sv.fmt_number(r['count'])}/{sv.fmt_number(r['total'])} "
                f"({sv.fmt_number(round(r['share'], 1))} %{note})", va="center", fontsize=9)
    ax.set_yticks(y, [_wrap(f"{lbl} ({u})", 42) for lbl, u in zip(p["label"], p["unit_label"],
                                                                   strict=True)], fontsize=9)
    ax.set_xlim(0, 152)
    ax.set_xticks([0, 25, 50, 75, 100])
    ax.set_xlabel(_t("share"))
    ax.grid(axis="y", visible=False)
    plain = any(not _qual(q) and not d for q, d in zip(p["qualifier"], p["derived"],
                                                          strict=True))
    handles = [Patch(facecolor=OKABE_ITO[2], label=_tb("exact"))] if plain else []
    for q in sorted(k for k in kinds if k != "derived"):
        text = _tb("expected") if q == "expected" else sv.qualifier_label(q)
        handles.append(Patch(facecolor=OKABE_ITO[1], hatch=QUALIFIED_HATCH, edgecolor="white",
                             label=text))
    if "derived" in kinds:
        handles.append(Patch(facecolor="white", edgecolor=OKABE_ITO[2], linestyle="--",
                             label=_tb("derived")))
    _legend_below(ax, handles, ncols=len(handles))
    ids = [j for pair in zip(p["count_id"], p["total_id"], strict=True) for i in pair
           for j in sv.catalogue_inputs(i)]
    return _finish(fig, title or _t("share"), ids)


def parts_bar(total_id: str, part_ids: Sequence[str], title: str | None = None) -> Figure:
    """One stacked bar: the stated parts of a stated total, then the remainder
    (total − parts) drawn hollow and dashed as *derived*; a frame marks the total."""
    d = sv.parts_of_total(total_id, part_ids)
    total = float(d["total"].iloc[0])
    unit = d["unit"].iloc[0]
    fig, axes = new_figure(figsize=(7.5, 2.6))
    ax = axes[0, 0]
    left = 0.0
    for k, (_, r) in enumerate(d.iterrows()):
        v = r["value"]
        if r["status"] == "derived":
            if v <= 0:
                continue
            ax.barh([0], [v], left=left, height=0.55, facecolor="white",
                    edgecolor=OKABE_ITO[7], linestyle="--", linewidth=1.4, gid="part:rest",
                    label=f"{_tb('rest')}: {sv.fmt_number(v)}")
        else:
            q = _qual(r["qualifier"])
            ax.barh([0], [v], left=left, height=0.55, color=OKABE_ITO[k % 7],
                    hatch=QUALIFIED_HATCH if q else None, edgecolor="white",
                    gid=f"part:{r['figure_id']}",
                    label=f"{r['label']}: {sv.fmt_number(v)}"
                          + (f" ({sv.qualifier_label(q)})" if q else ""))
        ax.text(left + v / 2, 0, sv.fmt_number(v), ha="center", va="center", fontsize=10,
                color="white" if r["status"] == "stated" else "black", fontweight="bold")
        left += v
    ax.axvline(total, color="black", linewidth=1.2, gid="total-line")
    ax.text(total, 0.42, f"{_t('total')}: {sv.fmt_number(total)} ({label(total_id)})",
            ha="right", va="bottom", fontsize=8)
    if d["problem"].notna().any():
        ax.text(left, -0.45, _tb("over_total"), ha="right", fontsize=8, color=OKABE_ITO[3])
    ax.set_ylim(-0.6, 0.75)
    ax.set_yticks([])
    ax.set_xlim(0, max(left, total) * 1.02)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(unit_label(unit))
    ax.xaxis.set_major_formatter(_number_formatter())
    ax.grid(axis="y", visible=False)
    _legend_below(ax)
    return _finish(fig, title or label(total_id), [total_id, *part_ids])


# --------------------------------------------------------------------------- audit
#: Verdict colours (Okabe-Ito): consistent blue, inconsistent vermilion, ambiguous
#: orange, unverifiable grey.
VERDICT_COLOURS = {"consistent": OKABE_ITO[0], "inconsistent": OKABE_ITO[3],
                   "ambiguous": OKABE_ITO[1], "unverifiable": "#999999"}


def verdict_bars(by_sector: pd.DataFrame, audit: pd.DataFrame,
                 title: str | None = None) -> Figure:
    """Audit verdicts per sector as stacked horizontal bars (``by_sector``: sectors as
    rows, verdicts as columns, from :func:`dbanalysis.audit.summary_by_sector`).
    The source line names the catalogue ids the inconsistent checks draw on."""
    data = by_sector.rename(index=lambda s: sv.sector_label(s))[::-1]
    fig, axes = new_figure(figsize=(8, 6))
    ax = axes[0, 0]
    left = np.zeros(len(data))
    for verdict in [v for v in VERDICT_COLOURS if v in data.columns]:
        ax.barh(data.index, data[verdict], left=left, color=VERDICT_COLOURS[verdict],
                height=0.7, label=verdict, gid=f"verdict:{verdict}")
        left += data[verdict].to_numpy()
    ax.set_xlabel("checks" if get_language() == "en" else "số phép kiểm tra")
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.legend(frameon=False, loc="lower right", fontsize=8)
    bad = audit.loc[audit["verdict"] == "inconsistent", "figure_ids"]
    ids = sorted({i for s in bad for i in str(s).split(";") if not i.startswith("d_")})
    n_bad = int((audit["verdict"] == "inconsistent").sum())
    return _finish(fig, title or f"{n_bad} of {len(audit)} checks find the report "
                   "inconsistent", ids)
