"""What sector notebooks need, so that their cells stay one-liners.

Everything here is built from the catalogue (:func:`dbanalysis.catalog.load_figures`):
display tables, count/total pairs, 2015 baselines derived as *level - change*,
the award hierarchy, number formatting and Markdown sentences whose numbers come
from the catalogue (notebooks never retype a catalogued number).

Import direction: catalog/vocab -> sectorview -> plotting.
"""

from __future__ import annotations

import functools
import json
import re
import string
from collections.abc import Iterable
from pathlib import Path

import pandas as pd
from babel.numbers import format_decimal

from . import formula, paths, reference, vocab
from .catalog import figure, load_figures
from .derive import derived_figures, expand
from .language import LANGS as LANGS  # re-exported for notebooks
from .language import get_language as get_language
from .language import resolve
from .language import set_language as set_language
from .markup import md_text
from .source import load_meta

#: From the metadata sidecar (data/raw/*.meta.json).
#: Domain knowledge (dbanalysis.reference), re-exported for notebooks.
NEW_RURAL_CRITERIA_NATIONAL = reference.NATIONAL_NEW_RURAL_CRITERIA
SOURCE_TITLE = load_meta().title
SOURCE_DATE = load_meta().date_published_as_printed.split()[0]

DERIVED_LABEL = {"en": "derived (level − change)", "vi": "suy ra (mức − thay đổi)"}
STATED_LABEL = {"en": "stated", "vi": "báo cáo nêu"}


# --------------------------------------------------------------------------- language
_lang = resolve


def label(figure_id: str, lang: str | None = None) -> str:
    """The figure's label in the current (or given) language."""
    return str(figure(figure_id)[f"label_{_lang(lang)}"])


def unit_label(unit: str, lang: str | None = None) -> str:
    return vocab.unit_label(unit, _lang(lang))


def sector_label(sector: str, lang: str | None = None) -> str:
    return vocab.sector_label(sector, _lang(lang))


def qualifier_label(qualifier: str | None, lang: str | None = None) -> str:
    if not qualifier:
        return ""
    en, vi = vocab.QUALIFIERS[qualifier]
    return vi if _lang(lang) == "vi" else en


# --------------------------------------------------------------------------- formatting
def fmt_number(value: float, lang: str | None = None) -> str:
    """``42998`` -> ``42,998`` (en) or ``42.998`` (vi); up to three decimals kept."""
    return format_decimal(value, locale="vi" if _lang(lang) == "vi" else "en")


def fmt(value: float, unit: str, lang: str | None = None, qualifier: str | None = None) -> str:
    """A number with its unit for narrative text: ``42,998 head``, ``3.74%``,
    ``over 500 visits`` (Vietnamese notation and labels when ``lang='vi'``)."""
    lang = _lang(lang)
    num = fmt_number(value, lang)
    u = unit_label(unit, lang)
    text = f"{num}{u}" if unit == "percent" else f"{num} {u}"
    q = qualifier_label(qualifier, lang)
    return f"{q} {text}" if q else text


def fmt_figure(figure_id: str, lang: str | None = None, qualifier: bool = True) -> str:
    """A catalogued figure formatted with its unit and (by default) its qualifier."""
    f = figure(figure_id)
    return fmt(f["value"], f["unit"], lang, f["qualifier"] if qualifier else None)


class _Fig:
    """A figure inside :func:`md` templates: ``{id}``, ``{id:n}``, ``{id:label}``."""

    def __init__(self, figure_id: str, lang: str):
        self.figure_id, self.lang = figure_id, lang

    def __format__(self, spec: str) -> str:
        if spec == "":
            return fmt_figure(self.figure_id, self.lang)
        if spec == "n":
            return fmt_number(figure(self.figure_id)["value"], self.lang)
        if spec == "bare":
            return fmt_figure(self.figure_id, self.lang, qualifier=False)
        if spec == "label":
            return label(self.figure_id, self.lang)
        if spec == "unit":
            return unit_label(figure(self.figure_id)["unit"], self.lang)
        if spec == "period":
            return str(figure(self.figure_id)["period"])
        if spec in ("base", "growth", "cagr"):
            key = {"base": "2015", "growth": "change_pct", "cagr": "cagr_4y"}[spec]
            d = derived_row(f"d_{self.figure_id}_{key}")
            if spec == "base":
                return fmt(d["value"], d["unit"], self.lang)
            if derived_row(f"d_{self.figure_id}_2015")["value"] <= 0:
                return "n/a"
            return fmt(round(d["value"], 1 if spec == "growth" else 2), "percent", self.lang)
        raise ValueError(f"unknown figure format {spec!r} (use '', n, bare, label, unit, "
                         "period, base, growth, cagr)")


class _Derived:
    """A derived figure inside :func:`md` templates: ``{d_id}``, ``{d_id:n}``,
    ``{d_id:label}``, ``{d_id:formula}``; ``{d_id:r1}``, ``{d_id:r0}``, ``{d_id:r-2}``
    the value with its unit, rounded to 1, 0 or -2 decimals (to hundreds), for prose
    that must not show more precision than the inputs carry."""

    def __init__(self, figure_id: str, lang: str):
        self.figure_id, self.lang = figure_id, lang

    def __format__(self, spec: str) -> str:
        d = derived_row(self.figure_id)
        if spec in ("", "bare"):
            return fmt(d["value"], d["unit"], self.lang)
        if spec == "n":
            return fmt_number(d["value"], self.lang)
        if spec == "label":
            return d[f"label_{self.lang}"]
        if spec == "formula":
            return d["formula"]
        if spec[:1] == "r" and spec[1:].lstrip("-").isdigit():
            digits = int(spec[1:])
            value = round(d["value"], digits)
            return fmt(int(value) if digits <= 0 else value, d["unit"], self.lang)
        raise ValueError(f"unknown derived format {spec!r} (use '', n, label, formula, r<N>)")


def derived_row(derived_id: str) -> pd.Series:
    """One row of :func:`dbanalysis.derive.derived_figures` (KeyError naming the id)."""
    d = _derived()
    if derived_id not in d.index:
        raise KeyError(f"no derived figure {derived_id!r}")
    return d.loc[derived_id]


@functools.cache
def _derived_cached(_token: int) -> pd.DataFrame:
    return derived_figures().set_index("figure_id")


def _derived() -> pd.DataFrame:
    # keyed on the catalogue's identity so an edited catalogue is re-derived
    return _derived_cached(paths.figures_path().stat().st_mtime_ns)


class _FigureFormatter(string.Formatter):
    def __init__(self, lang: str, ids: set[str], markdown: bool = False):
        self.lang, self.ids, self.markdown = lang, ids, markdown

    def format_field(self, value, format_spec: str) -> str:
        text = super().format_field(value, format_spec)
        return md_text(text) if self.markdown else text  # data text is shown, not run

    def get_value(self, key, args, kwargs):
        if isinstance(key, str) and key not in kwargs and key in self.ids:
            return _Fig(key, self.lang)
        if isinstance(key, str) and key in _derived().index:
            # derived ids always resolve here, so {d_id:n} works even when
            # derived_values(...) also passed the formatted string
            return _Derived(key, self.lang)
        return super().get_value(key, args, kwargs)


def sentence(template: str, lang: str | None = None, _markdown: bool = False, **values) -> str:
    """Fill ``{figure_id}`` fields from the catalogue (see :func:`md`); returns a string."""
    ids = set(load_figures()["figure_id"])
    return _FigureFormatter(_lang(lang), ids, _markdown).format(template, **values)


def md(template: str, lang: str | None = None, **values):
    """Markdown built from the catalogue, for narrative cells.

    ``md("The herd reached {agri_cattle} in 2019, up {agri_cattle_change:n} head.")``.
    Fields naming a figure id become the formatted figure (``{id}`` with unit and
    qualifier, ``{id:n}`` number only, ``{id:bare}`` without qualifier, ``{id:label}``,
    ``{id:unit}``, ``{id:period}``; for a level with a stated change since 2015:
    ``{id:base}`` the 2015 baseline derived as level - change, ``{id:growth}`` the
    percent change on that baseline, ``{id:cagr}`` the implied compound annual rate);
    other fields come from keyword arguments. Every filled-in field is escaped
    (:func:`dbanalysis.markup.md_text`): it reads as written and never becomes markup.
    """
    from IPython.display import Markdown

    return Markdown(sentence(template, lang, _markdown=True, **values))


# --------------------------------------------------------------------------- tables
def _figures(sectors: str | Iterable[str] | None = None) -> pd.DataFrame:
    figs = load_figures()
    if sectors is None:
        return figs
    sectors = [sectors] if isinstance(sectors, str) else list(sectors)
    unknown = set(sectors) - set(vocab.sectors().index)
    if unknown:
        raise KeyError(f"unknown sector(s) {sorted(unknown)}")
    return figs[figs["sector"].isin(sectors)]


def figure_ids_for(sectors: str | Iterable[str]) -> list[str]:
    """Every catalogued id of the given sector(s), in catalogue order."""
    return list(_figures(sectors)["figure_id"])


def figure_table(sectors: str | Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """A display table of a sector's figures: id, label, formatted value, unit, period,
    kind, qualifier and the verbatim quote it was read from."""
    lang = _lang(lang)
    figs = _figures(sectors)
    out = pd.DataFrame({
        "id": figs["figure_id"],
        "label": figs[f"label_{lang}"],
        "value": [fmt_number(v, lang) for v in figs["value"]],
        "unit": [unit_label(u, lang) for u in figs["unit"]],
        "period": figs["period"],
        "kind": figs["kind"],
        "qualifier": [qualifier_label(q, lang) for q in figs["qualifier"]],
        "quote": figs["quote"],
    })
    return out.reset_index(drop=True)


def notes(sectors: str | Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """The catalogue's notes for a sector's figures (caveats and suspect values)."""
    lang = _lang(lang)
    figs = _figures(sectors)
    figs = figs[figs["note"].notna()]
    return pd.DataFrame({
        "id": figs["figure_id"],
        "label": figs[f"label_{lang}"],
        "value": [fmt_figure(i, lang) for i in figs["figure_id"]],
        "note": figs["note"],
    }).reset_index(drop=True)


def narrative(figure_ids: Iterable[str], lang: str | None = None):
    """A Markdown bullet list: label, formatted value, period and id for each figure."""
    from IPython.display import Markdown

    lang = _lang(lang)
    lines = []
    for fid in figure_ids:
        f = figure(fid)
        lines.append(f"- {md_text(f[f'label_{lang}'])}: **{md_text(fmt_figure(fid, lang))}** "
                     f"({md_text(f['period'])}; `{fid}`)")
    return Markdown("\n".join(lines))


# --------------------------------------------------------------------------- slopes
def _resolve_levels(ids_or_indicators: Iterable[str], figs: pd.DataFrame) -> list[pd.Series]:
    levels = []
    for key in ids_or_indicators:
        hit = figs[figs["figure_id"] == key]
        if hit.empty:
            hit = figs[(figs["indicator"] == key) & (figs["kind"] == "level")]
        if hit.empty:
            raise KeyError(f"{key!r} is neither a figure id nor an indicator with a level")
        row = hit.iloc[0]
        if row["kind"] != "level":
            raise ValueError(f"{key!r} is a {row['kind']}, not a level")
        levels.append(row)
    return levels


def slope_candidates(sectors: str | Iterable[str] | None = None) -> list[str]:
    """Level figure ids that have a stated absolute change since 2015 (same unit)."""
    figs = _figures(sectors)
    out = []
    for _, lv in figs[figs["kind"] == "level"].iterrows():
        ch = figs[(figs["indicator"] == lv["indicator"]) & (figs["kind"] == "change_vs_2015")
                  & (figs["unit"] == lv["unit"])]
        if not ch.empty:
            out.append(lv["figure_id"])
    return out


def slope_data(ids_or_indicators: Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """2015 and end-year points for each level with a stated change since 2015.

    One row per point: the stated level (``status='stated'``, year from its period)
    and the 2015 baseline derived as stated level minus stated change
    (``status='derived'``, ``formula='level − change'``). A negative baseline is
    impossible and is flagged in ``problem`` (e.g. the poultry flock).
    """
    lang = _lang(lang)
    figs = load_figures()
    rows = []
    for lv in _resolve_levels(ids_or_indicators, figs):
        ch = figs[(figs["indicator"] == lv["indicator"]) & (figs["kind"] == "change_vs_2015")
                  & (figs["unit"] == lv["unit"])]
        if ch.empty:
            raise ValueError(f"{lv['figure_id']!r} has no stated change since 2015 in its unit")
        ch = ch.iloc[0]
        year = int(str(lv["period"])[:4]) if str(lv["period"])[:4].isdigit() else None
        d = derived_row(f"d_{lv['figure_id']}_2015")
        base = float(d["value"])
        common = {"indicator": lv["indicator"], "label": lv[f"label_{lang}"],
                  "unit": lv["unit"], "unit_label": unit_label(lv["unit"], lang)}
        rows.append({**common, "year": 2015, "value": base, "status": "derived",
                     "figure_ids": f"{lv['figure_id']} − {ch['figure_id']}",
                     "formula": d["formula"], "derived_id": d.name,
                     "problem": "negative baseline: level or change misprinted"
                                if base < 0 else None})
        rows.append({**common, "year": year, "value": lv["value"], "status": "stated",
                     "figure_ids": lv["figure_id"], "formula": None, "derived_id": None,
                     "problem": None})
    return pd.DataFrame(rows)


def knowledge_table(sectors: str | Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """Stated / derived / unknown, per indicator of the sector(s).

    *stated*: a catalogued figure; *derived*: a 2015 baseline computed as level - change;
    *unknown*: a level whose 2015 value cannot be derived (no stated change), or a
    figure whose period the report does not state.
    """
    lang = _lang(lang)
    figs = _figures(sectors)
    rows = []
    derivable = slope_candidates(sectors)
    sd = slope_data(derivable, lang) if derivable else pd.DataFrame()
    for _, f in figs.iterrows():
        rows.append({"indicator": f["indicator"], "quantity": f[f"label_{lang}"],
                     "period": f["period"], "status": "stated",
                     "value": fmt_figure(f["figure_id"], lang), "from": f["figure_id"]})
        if f["period"] == "unstated":
            rows.append({"indicator": f["indicator"], "quantity": f[f"label_{lang}"],
                         "period": "?", "status": "unknown", "value": "",
                         "from": f"{f['figure_id']}: period not stated"})
        if f["kind"] == "level" and f["figure_id"] not in derivable \
                and str(f["period"]).isdigit():
            rows.append({"indicator": f["indicator"],
                         "quantity": f"{f[f'label_{lang}']} (2015)", "period": "2015",
                         "status": "unknown", "value": "",
                         "from": "no stated change since 2015"})
    for _, d in sd[sd["status"] == "derived"].iterrows() if len(sd) else []:
        value = fmt(d["value"], d["unit"], lang) if d["value"] >= 0 else \
            "−" + fmt(-d["value"], d["unit"], lang)
        rows.append({"indicator": d["indicator"], "quantity": f"{d['label']} (2015)",
                     "period": "2015", "status": "derived", "value": value,
                     "from": d["figure_ids"] + (f" ({d['problem']})" if pd.notna(d["problem"])
                                                   else "")})
    out = pd.DataFrame(rows)
    order = {"stated": 0, "derived": 1, "unknown": 2}
    out = out.sort_values(["status"], key=lambda s: s.map(order), kind="stable")
    return out.reset_index(drop=True)


# --------------------------------------------------------------------------- pairs
def pairs(sectors: str | Iterable[str] | None = None, lang: str | None = None) -> pd.DataFrame:
    """Count/total pairs (a/b) of the same indicator and unit, with the share in percent."""
    lang = _lang(lang)
    figs = _figures(sectors)
    rows = []
    for _, c in figs[figs["kind"] == "count"].iterrows():
        tot = figs[(figs["indicator"] == c["indicator"]) & (figs["kind"] == "total")
                   & (figs["unit"] == c["unit"])]
        if tot.empty:
            continue
        t = tot.iloc[0]
        rows.append({"indicator": c["indicator"], "count_id": c["figure_id"],
                     "total_id": t["figure_id"], "label": c[f"label_{lang}"],
                     "count": c["value"], "total": t["value"],
                     "share": 100 * c["value"] / t["value"], "unit": c["unit"],
                     "unit_label": unit_label(c["unit"], lang), "sector": c["sector"]})
    return pd.DataFrame(rows, columns=["indicator", "count_id", "total_id", "label", "count",
                                       "total", "share", "unit", "unit_label", "sector"])


# --------------------------------------------------------------------------- awards
LEVELS = vocab.AWARD_LEVELS
LEVEL_LABELS = {"en": {"national": "National", "provincial": "Provincial",
                       "district": "District", "commune": "Commune"},
                "vi": {"national": "Trung ương", "provincial": "Tỉnh",
                       "district": "Huyện", "commune": "Xã"}}
RECIPIENT_LABELS = {"en": {"collective": "collectives", "individual": "individuals"},
                    "vi": {"collective": "tập thể", "individual": "cá nhân"}}

_SUFFIX_RE = re.compile(r"\s*\((collectives|individuals|tập thể|cá nhân)\)\s*$")


def award_table(lang: str | None = None) -> pd.DataFrame:
    """The awards of the ``awards`` sector with conferring level and recipient type."""
    lang = _lang(lang)
    figs = _figures("awards")
    figs = figs[figs["unit"].isin(["collective", "individual"])]
    levels = vocab.award_levels().set_index("figure_id")
    rows = []
    for _, f in figs.iterrows():
        level = levels.loc[f["figure_id"]]
        rows.append({"figure_id": f["figure_id"], "indicator": f["indicator"],
                     "award": _SUFFIX_RE.sub("", f[f"label_{lang}"]),
                     "level": level["level"], "level_basis": level["basis"],
                     "recipient": f["unit"], "count": f["value"]})
    out = pd.DataFrame(rows)
    out["level_rank"] = out["level"].map(LEVELS.index)
    return out.sort_values("level_rank", kind="stable").drop(columns="level_rank") \
        .reset_index(drop=True)


# --------------------------------------------------------------------------- notebooks
def figures_used(nb_path: str | Path) -> set[str]:
    """Catalogued ids that appear in a notebook's sources or outputs."""
    ids = set(load_figures()["figure_id"])
    nb = json.loads(Path(nb_path).read_text("utf-8"))
    text = json.dumps(nb, ensure_ascii=False)
    return {tok for tok in re.findall(r"[a-z][a-z0-9_]*", text) if tok in ids}


def award_totals(lang: str | None = None) -> pd.DataFrame:
    """Awards summed by conferring level (rows, national first) and recipient (columns).

    Sums of stated counts, i.e. derived numbers; a person or collective honoured
    twice is counted twice.
    """
    lang = _lang(lang)
    t = award_table(lang)
    out = t.pivot_table(index="level", columns="recipient", values="count", aggfunc="sum",
                        fill_value=0).reindex(LEVELS)
    out["total"] = out.sum(axis=1)
    out.index = [LEVEL_LABELS[lang][lv] for lv in out.index]
    out.columns = [RECIPIENT_LABELS[lang].get(c, c) for c in out.columns]
    return out.astype(int)


# --------------------------------------------------------------------------- audit
_VERDICT_ORDER = {"inconsistent": 0, "ambiguous": 1, "unverifiable": 2, "consistent": 3}


def audit_findings(sectors: str | Iterable[str]) -> pd.DataFrame:
    """Audit checks that concern the sector(s): filed under it or using one of its figures.

    Most severe first (inconsistent, ambiguous, unverifiable, consistent); the
    explanation is the audit's own plain-language sentence.
    """
    audit = _audit()
    ids = set(_figures(sectors)["figure_id"])
    secs = {sectors} if isinstance(sectors, str) else set(sectors)
    mine = audit["sector"].isin(secs) | audit["figure_ids"].map(
        lambda s: bool(ids & set(str(s).split(";"))))
    out = audit.loc[mine, ["check_id", "category", "verdict", "explanation"]]
    out = out.sort_values("verdict", key=lambda v: v.map(_VERDICT_ORDER), kind="stable")
    return out.reset_index(drop=True)


def audit_summary(sectors: str | Iterable[str]):
    """One Markdown sentence: how many audit checks concern the sector(s), by verdict."""
    from IPython.display import Markdown

    found = audit_findings(sectors)
    counts = found["verdict"].value_counts()
    parts = [f"{counts[v]} {v}" for v in _VERDICT_ORDER if v in counts]
    return Markdown(f"**{len(found)} audit check{'s' if len(found) != 1 else ''}** use "
                    f"these figures: {', '.join(parts) or 'none'}.")


@functools.cache
def _audit_cached(_token: int) -> pd.DataFrame:
    from .audit import run_audit

    return run_audit()


def _audit() -> pd.DataFrame:
    return _audit_cached(paths.figures_path().stat().st_mtime_ns)

# --------------------------------------------------------------------------- views A
# Derivations for notebooks 02-05 (industry … tourism): plans implied by an
# achievement, 2015 values implied by a *relative* change, the two readings of an
# ambiguous "giảm x %", growth paths for an unstated base year, compositions.

#: How each derived point was obtained (status column of the frames below).
DERIVED = "derived"
ASSUMED = "assumed"
STATED = "stated"


def change_direction(figure_id: str) -> int:
    """+1 for an increase (*tăng*), −1 for a fall (*giảm*), read from the figure's quote."""
    quote = str(figure(figure_id)["quote"]).lower()
    if "giảm" in quote:
        return -1
    if "tăng" in quote:
        return 1
    raise ValueError(f"{figure_id!r}: the quote says neither 'tăng' nor 'giảm'")


def _partner(figure_id: str, kinds: Iterable[str]) -> pd.Series:
    """The figure of the same indicator with one of ``kinds`` (first in catalogue order)."""
    figs = load_figures()
    f = figure(figure_id)
    hit = figs[(figs["indicator"] == f["indicator"]) & figs["kind"].isin(list(kinds))
               & (figs["figure_id"] != figure_id)]
    if hit.empty:
        raise KeyError(f"{figure_id!r}: no figure of kind {list(kinds)} for the same indicator")
    return hit.iloc[0]


def _year(period: str) -> int | None:
    return int(period[:4]) if str(period)[:4].isdigit() else None


def implied_targets(achievement_ids: Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """Plan or target implied by a stated result and its stated achievement, as derived
    in :mod:`dbanalysis.derive` (``target = result / (achievement / 100)``)."""
    lang = _lang(lang)
    d = _derived()
    rows = []
    for aid in achievement_ids:
        a = figure(aid)
        if a["kind"] != "achievement_vs_plan":
            raise ValueError(f"{aid!r} is a {a['kind']}, not an achievement_vs_plan")
        r = _partner(aid, ["level", "count"])
        hit = d[d["formula"] == f"{r['figure_id']} / ({aid} / 100)"]
        if hit.empty:
            raise KeyError(f"{aid!r}: no implied target in dbanalysis.derive")
        t = hit.iloc[0]
        rows.append({"achievement_id": aid, "result_id": r["figure_id"],
                     "label": a[f"label_{lang}"], "result": r["value"],
                     "achievement": a["value"], "implied_target": t["value"],
                     "unit": r["unit"], "unit_label": unit_label(r["unit"], lang),
                     "status": DERIVED, "formula": t["formula"], "derived_id": t.name})
    return pd.DataFrame(rows)


def relative_change_points(level_id: str, lang: str | None = None) -> pd.DataFrame:
    """2015 and end-year points for a level whose change since 2015 is stated in
    percent of the 2015 value; the 2015 point is ``d_<level>_2015`` from derive."""
    lang = _lang(lang)
    lv = figure(level_id)
    ch = _partner(level_id, ["change_vs_2015"])
    if ch["unit"] != "percent":
        raise ValueError(f"{ch['figure_id']!r} is not a relative change in percent")
    base = derived_row(f"d_{level_id}_2015")
    reading = {"en": "relative change", "vi": "thay đổi tương đối"}[lang]
    common = {"reading": reading, "indicator": lv["indicator"], "label": lv[f"label_{lang}"],
              "unit": lv["unit"], "unit_label": unit_label(lv["unit"], lang)}
    return pd.DataFrame([
        {**common, "year": 2015, "value": base["value"], "status": DERIVED,
         "figure_ids": ", ".join(base["inputs"]), "formula": base["formula"]},
        {**common, "year": _year(lv["period"]), "value": lv["value"], "status": STATED,
         "figure_ids": level_id, "formula": None},
    ])


READING_LABELS = {
    "en": {"pp": "read as percentage points", "relative": "read as % of the 2015 rate"},
    "vi": {"pp": "hiểu là điểm phần trăm", "relative": "hiểu là % của tỷ lệ năm 2015"},
}


def change_readings(share_id: str, lang: str | None = None) -> pd.DataFrame:
    """The two readings of a change stated as "tăng/giảm x %" on a share in percent:
    percentage points (``d_<share>_2015_pp``) or percent of the 2015 share
    (``d_<share>_2015_relative``), both from derive. Both 2015 points are derived."""
    lang = _lang(lang)
    sh = figure(share_id)
    if sh["unit"] != "percent":
        raise ValueError(f"{share_id!r} is not a share in percent")
    rows = []
    for key in ("pp", "relative"):
        base = derived_row(f"d_{share_id}_2015_{key}")
        common = {"reading": READING_LABELS[lang][key], "reading_key": key,
                  "indicator": sh["indicator"], "label": sh[f"label_{lang}"],
                  "unit": sh["unit"], "unit_label": unit_label(sh["unit"], lang)}
        rows.append({**common, "year": 2015, "value": base["value"], "status": DERIVED,
                     "figure_ids": ", ".join(base["inputs"]), "formula": base["formula"]})
        rows.append({**common, "year": _year(sh["period"]), "value": sh["value"],
                     "status": STATED, "figure_ids": share_id, "formula": None})
    return pd.DataFrame(rows)


def growth_paths(level_id: str, end_years: Iterable[int] = (2019, 2020), start: int = 2015,
                 lang: str | None = None) -> pd.DataFrame:
    """Paths back to ``start`` implied by a stated level and a stated annual growth rate
    when the level's year is not stated: one path per *assumed* end year,
    ``value(y) = level / (1 + rate/100) ** (end − y)``. Only the level is stated."""
    lang = _lang(lang)
    lv = figure(level_id)
    rate = _partner(level_id, ["growth_rate"])
    rows = []
    for end in end_years:
        name = {"en": f"if the level is for {end}", "vi": f"nếu số liệu là năm {end}"}[lang]
        for y in range(start, end + 1):
            rows.append({"reading": name, "indicator": lv["indicator"],
                         "label": lv[f"label_{lang}"], "unit": lv["unit"],
                         "unit_label": unit_label(lv["unit"], lang), "year": y,
                         "value": lv["value"] / (1 + rate["value"] / 100) ** (end - y),
                         "status": STATED if y == end else ASSUMED,
                         "figure_ids": f"{level_id}, {rate['figure_id']}",
                         "formula": None if y == end else "level / (1 + rate)^(end − year)"})
    return pd.DataFrame(rows)


def composition(total_id: str, lang: str | None = None) -> pd.DataFrame:
    """:func:`parts_of_total` for the catalogued components of a total (same indicator,
    kind ``component``), with each row's share of the total in percent."""
    figs = load_figures()
    tot = figure(total_id)
    ids = figs.loc[(figs["indicator"] == tot["indicator"]) & (figs["kind"] == "component"),
                   "figure_id"]
    out = parts_of_total(total_id, list(ids), lang)
    out["share"] = 100 * out["value"] / out["total"]
    return out


def implied_population() -> dict:
    """District population implied by the doctors and their density per 10 000 people,
    with the interval the density's rounding allows (``d_health_population``,
    ``_low``, ``_high`` from derive). Derived, and rough."""
    mid, low, high = (derived_row(f"d_health_population{s}") for s in ("", "_low", "_high"))
    return {"value": mid["value"], "low": low["value"], "high": high["value"],
            "figure_ids": mid["inputs"], "status": DERIVED, "formula": mid["formula"]}


def knowledge_table_derived(sectors: str | Iterable[str], lang: str | None = None
                            ) -> pd.DataFrame:
    """:func:`knowledge_table` plus the derivations above: plans and targets implied by
    achievements, 2015 values implied by relative changes (replacing the 'unknown'
    row they resolve), both readings of an ambiguous change on a share, and the
    growth rate of a level whose year is not stated (its 2015 value stays unknown)."""
    lang = _lang(lang)
    base = knowledge_table(sectors, lang)
    figs = _figures(sectors)
    extra = []
    ach = figs[figs["kind"] == "achievement_vs_plan"]["figure_id"]
    for _, t in implied_targets(ach, lang).iterrows() if len(ach) else []:
        sep, suffix = {"en": (" against ", " (implied)"), "vi": (" so với ", " (suy ra)")}[lang]
        whole = t["unit"] not in ("billion_vnd", "million_vnd", "vnd", "percent")
        extra.append({"indicator": figure(t["result_id"])["indicator"],
                      "quantity": t["label"].replace(sep, ": ") + suffix,
                      "period": figure(t["result_id"])["period"], "status": DERIVED,
                      "value": fmt(round(t["implied_target"], 0 if whole else 2), t["unit"],
                                   lang),
                      "from": f"{t['result_id']} / {t['achievement_id']}"})
    resolved = set()
    for _, lv in figs[figs["kind"] == "level"].iterrows():
        chg = figs[(figs["indicator"] == lv["indicator"]) & (figs["kind"] == "change_vs_2015")
                   & (figs["unit"] == "percent") & (lv["unit"] != "percent")]
        if not chg.empty:
            d = relative_change_points(lv["figure_id"], lang).iloc[0]
            extra.append({"indicator": lv["indicator"], "quantity": f"{d['label']} (2015)",
                          "period": "2015", "status": DERIVED,
                          "value": fmt(round(d["value"], 2), d["unit"], lang),
                          "from": d["figure_ids"]})
            resolved.add(lv["indicator"])
    for _, sh in figs[(figs["kind"] == "share") & (figs["unit"] == "percent")].iterrows():
        chg = figs[(figs["indicator"] == sh["indicator"]) & (figs["kind"] == "change_vs_2015")]
        if chg.empty:
            continue
        r = change_readings(sh["figure_id"], lang)
        for _, d in r[r["status"] == DERIVED].iterrows():
            extra.append({"indicator": sh["indicator"],
                          "quantity": f"{d['label']} (2015, {d['reading']})",
                          "period": "2015", "status": DERIVED,
                          "value": fmt(round(d["value"], 2), d["unit"], lang),
                          "from": f"{d['figure_ids']}: {d['formula']}"})
        extra.append({"indicator": sh["indicator"], "quantity": f"{sh[f'label_{lang}']} "
                      "(2015)", "period": "2015", "status": "unknown", "value": "",
                      "from": "which reading the report means"})
    for _, lv in figs[(figs["kind"] == "level") & (figs["period"] == "unstated")].iterrows():
        rate = figs[(figs["indicator"] == lv["indicator"]) & (figs["kind"] == "growth_rate")]
        if not rate.empty:
            extra.append({"indicator": lv["indicator"],
                          "quantity": f"{lv[f'label_{lang}']} (2015)", "period": "2015",
                          "status": "unknown", "value": "",
                          "from": f"{rate.iloc[0]['figure_id']} applies to an unstated "
                                  "base year"})
    drop = base["status"].eq("unknown") & base["indicator"].isin(resolved) \
        & base["from"].eq("no stated change since 2015")
    out = pd.concat([base[~drop], pd.DataFrame(extra, columns=base.columns)],
                    ignore_index=True)
    order = {"stated": 0, "derived": 1, "unknown": 2}
    out = out.sort_values(["status"], key=lambda s: s.map(order), kind="stable")
    return out.reset_index(drop=True)

# --------------------------------------------------------------------------- derived (nb-b)
# Quantities computed from catalogued figures for the education, health, security,
# defence, administration, mass-organisation and new-rural notebooks. Nothing here is
# typed from the report: every input is read from the catalogue by id.

def derived_table(sectors: str | Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """The derived figures of the sector(s) (:mod:`dbanalysis.derive`): id, label,
    formatted value, formula, the inputs and the assumption. Every row is *derived*."""
    lang = _lang(lang)
    secs = {sectors} if isinstance(sectors, str) else set(sectors)
    unknown = secs - set(vocab.sectors().index)
    if unknown:
        raise KeyError(f"unknown sector(s) {sorted(unknown)}")
    d = _derived()
    d = d[d["sector"].isin(secs)]
    rows = [{"id": fid, "label": r[f"label_{lang}"], "value": r["value"],
             "formatted": _fmt_derived(r, lang), "unit": r["unit"], "formula": r["formula"],
             "inputs": ", ".join(r["inputs"]), "caveat": r["assumption"]}
            for fid, r in d.iterrows()]
    return pd.DataFrame(rows, columns=["id", "label", "value", "formatted", "unit", "formula",
                                       "inputs", "caveat"])


def _fmt_derived(r: pd.Series, lang: str) -> str:
    return fmt(r["value"], r["unit"], lang, r["qualifier"] if isinstance(r["qualifier"], str)
               else None)


def catalogue_inputs(figure_id: str) -> list[str]:
    """The catalogue ids behind a figure: itself if catalogued, else a derived figure's
    formula expanded down to catalogue ids (for source lines)."""
    d = _derived()
    if figure_id not in d.index:
        return [figure_id]
    ids = set(load_figures()["figure_id"])
    expanded = expand(figure_id, formulas=dict(zip(d.index, d["formula"], strict=True)))
    return [n for n in formula.names(expanded) if n in ids]


def derived_value(derived_id: str) -> float:
    """The value of one derived figure."""
    return float(derived_row(derived_id)["value"])


def derived_values(sectors: str | Iterable[str], lang: str | None = None) -> dict[str, str]:
    """Formatted derived figures by id, as keyword arguments for :func:`md`; also
    ``<id>_n`` (number only). (``md`` also resolves ``{d_...}`` ids by itself.)"""
    lang = _lang(lang)
    out = {}
    for _, r in derived_table(sectors, lang).iterrows():
        out[r["id"]] = r["formatted"]
        out[f"{r['id']}_n"] = fmt_number(r["value"], lang)
    return out


#: Unknowns the report leaves open, per sector (declared, not computed).
UNKNOWNS = {
    "education": ["Which of the three rates (promotion, primary completion, lower-secondary "
                  "graduation) the single 'over' figure describes, and their separate values",
                  "The 2015 count of standard schools (no change is stated)",
                  "The exact rates: 'trên' gives only a lower bound"],
    "health": ["The district population (only implied by the doctor density)",
               "The resolution's targets behind '100% NQ'",
               "Whether the stations whose construction was funded opened by the end of 2020"],
    "security": ["Why the forum sentence counts 25 communes against 21 elsewhere",
                 "The years of the pledges and the forums"],
    "defence": ["What the militia units beyond the communes are",
                "The conscription quota in people"],
    "administration": ["Processing times or case counts of the one-stop shops"],
    "mass_organisations": ["The number of gift packages ('hàng nghìn', thousands)",
                           "The exact amounts behind every 'trên' (over)"],
    "new_rural": ["Which communes meet the standard and which three are being appraised",
                  "How many criteria each of the other communes meets",
                  "The year each commune was recognised"],
}


def knowledge_table_plus(sectors: str | Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """:func:`knowledge_table` plus the sector's derived quantities (:data:`DERIVED`) and the
    unknowns the report leaves open (:data:`UNKNOWNS`); stated, derived, unknown order."""
    lang = _lang(lang)
    base = knowledge_table(sectors, lang)
    secs = [sectors] if isinstance(sectors, str) else list(sectors)
    d = derived_table(secs, lang)
    extra = [{"indicator": "", "quantity": r["label"], "period": "", "status": "derived",
              "value": r["formatted"], "from": r["formula"]} for _, r in d.iterrows()]
    extra += [{"indicator": "", "quantity": text, "period": "", "status": "unknown",
               "value": "", "from": "not in the report"}
              for s in secs for text in UNKNOWNS.get(s, [])]
    out = pd.concat([base, pd.DataFrame(extra, columns=base.columns)], ignore_index=True)
    order = {"stated": 0, "derived": 1, "unknown": 2}
    out = out.sort_values(["status"], key=lambda s: s.map(order), kind="stable")
    return out.reset_index(drop=True)


def pairs_of(pairs_: Iterable[tuple[str, str]], lang: str | None = None) -> pd.DataFrame:
    """A :func:`pairs` frame for explicit (count, total) ids, across indicators or sectors
    (e.g. new-rural communes over the district's communes). The count may be a derived id.
    ``derived`` is True when the count is derived or the pairing is ours (a count over a
    total from another indicator: the report never states that share). Units must match.
    Adds ``qualifier`` and ``derived``."""
    lang = _lang(lang)
    derived = _derived()
    rows = []
    for count_id, total_id in pairs_:
        t = figure(total_id)
        if count_id in derived.index:
            d = derived.loc[count_id]
            c_label, c_value, c_unit = d[f"label_{lang}"], float(d["value"]), d["unit"]
            c_qual = d["qualifier"] if isinstance(d["qualifier"], str) else None
            c_derived, c_indicator, c_sector = True, "", d["sector"]
        else:
            c = figure(count_id)
            c_label, c_value, c_unit = c[f"label_{lang}"], float(c["value"]), c["unit"]
            c_qual, c_derived, c_indicator, c_sector = (c["qualifier"], False, c["indicator"],
                                                        c["sector"])
        if c_unit != t["unit"]:
            raise ValueError(f"{count_id} ({c_unit}) and {total_id} ({t['unit']}) differ in unit")
        own = not c_derived and c_indicator == t["indicator"]
        lbl = c_label if own else f"{c_label} / {t[f'label_{lang}']}"
        rows.append({"indicator": c_indicator, "count_id": count_id, "total_id": total_id,
                     "label": lbl, "count": c_value, "total": float(t["value"]),
                     "share": 100 * c_value / float(t["value"]), "unit": c_unit,
                     "unit_label": unit_label(c_unit, lang), "sector": c_sector,
                     "qualifier": c_qual, "derived": c_derived or not own})
    return pd.DataFrame(rows, columns=["indicator", "count_id", "total_id", "label", "count",
                                       "total", "share", "unit", "unit_label", "sector",
                                       "qualifier", "derived"])


def parts_of_total(total_id: str, part_ids: Iterable[str],
                   lang: str | None = None) -> pd.DataFrame:
    """The stated parts of a stated total and the remainder (total − parts, *derived*).

    A negative remainder (parts exceeding the total) is kept and flagged in ``problem``.
    """
    lang = _lang(lang)
    tot = figure(total_id)
    rows = []
    for pid in part_ids:
        p = figure(pid)
        if p["unit"] != tot["unit"]:
            raise ValueError(f"{pid} ({p['unit']}) and {total_id} ({tot['unit']}) differ in unit")
        rows.append({"figure_id": pid, "label": p[f"label_{lang}"], "value": float(p["value"]),
                     "status": "stated", "qualifier": p["qualifier"], "problem": None})
    rest = float(tot["value"]) - sum(r["value"] for r in rows)
    rows.append({"figure_id": f"{total_id} − " + " − ".join(part_ids),
                 "label": {"en": "rest (total − parts)", "vi": "còn lại (tổng − các phần)"}[lang],
                 "value": rest, "status": "derived", "qualifier": None,
                 "problem": "parts exceed the total" if rest < 0 else None})
    out = pd.DataFrame(rows)
    out["unit"] = tot["unit"]
    out["total"] = float(tot["value"])
    return out


def figures_per_sector(lang: str | None = None) -> pd.DataFrame:
    """How many catalogued figures each sector has, in the sectors' reading order."""
    lang = _lang(lang)
    order = vocab.sectors().sort_values("order").index
    counts = load_figures().groupby("sector").size().reindex(order).dropna().astype(int)
    counts.index = [sector_label(s, lang) for s in counts.index]
    return counts.rename("figures").to_frame()
