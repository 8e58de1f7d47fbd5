"""The district at a glance: every change since 2015 on one axis, every plan achievement.

Data views for the synthesis page (notebook ``00-at-a-glance``). Values are read,
never computed here: a change since 2015 is a catalogued percentage or a derived
figure of :mod:`dbanalysis.derive` (one per reading the report admits), an
achievement is a catalogued "đạt …% kế hoạch/chỉ tiêu/NQ".

* :func:`changes` one row per indicator and reading: change since 2015 in percent,
  marked stated / derived / corrected, with the audit checks that question it;
* :func:`change_ranges` one row per indicator: the range its readings span;
* :func:`achievements` one row per "% of plan/target" figure, with what it is
  measured against;
* :func:`level_only_ids` the figures that state a level and no change (listed, not
  charted).

Layer: above catalog, derive and audit; below tables, charts and the notebooks.
"""

from __future__ import annotations

import pandas as pd

from . import paths, vocab
from .catalog import load_figures
from .derive import derived_figures
from .language import resolve

#: Indicator (its level's catalogue id), the figure giving its change since 2015 in
#: percent under one reading, the reading, and whether the percentage is printed in
#: the report (stated), computed from printed figures (derived) or from a declared
#: correction (corrected).
READINGS: list[tuple[str, str, str, str]] = [
    ("agri_cattle", "d_agri_cattle_change_pct", "level_change", "derived"),
    ("agri_cattle", "d_agri_cattle_growth_total_4y", "growth_4y", "derived"),
    ("agri_cattle", "d_agri_cattle_growth_total_5y", "growth_5y", "derived"),
    ("agri_poultry", "d_agri_poultry_change_pct_million", "million", "corrected"),
    ("agri_aquaculture_area", "d_agri_aquaculture_area_change_pct", "level_change", "derived"),
    ("agri_fish_output", "d_agri_fish_output_change_pct", "level_change", "derived"),
    ("budget_revenue", "budget_revenue_change", "stated", "stated"),
    ("labour_poverty_rate", "d_labour_poverty_rate_change_pct_relative", "relative", "stated"),
    ("labour_poverty_rate", "d_labour_poverty_rate_change_pct_pp", "pp", "derived"),
    ("trade_turnover", "d_trade_turnover_change_pct_4y", "growth_4y", "derived"),
    ("trade_turnover", "d_trade_turnover_change_pct_5y", "growth_5y", "derived"),
]

READING_LABELS: dict[str, tuple[str, str]] = {
    "level_change": ("from the stated level and rise", "từ mức đạt và mức tăng đã nêu"),
    "growth_4y": ("stated yearly rate over 4 years", "tốc độ hằng năm đã nêu, 4 năm"),
    "growth_5y": ("stated yearly rate over 5 years", "tốc độ hằng năm đã nêu, 5 năm"),
    "million": ("flock read in millions", "đàn đọc là triệu con"),
    "stated": ("as stated", "theo báo cáo"),
    "relative": ("fall read as relative", "giảm tính tương đối"),
    "pp": ("fall read in percentage points", "giảm tính theo điểm %"),
}


#: What a "% of …" figure is measured against, recognised in its quote (first match).
BASES: list[tuple[str, str, str, str]] = [
    ("NQ", "resolution", "of the resolution's target", "so với chỉ tiêu Nghị quyết"),
    ("chỉ tiêu huyện giao", "district_target", "of the district's target",
     "so với chỉ tiêu huyện giao"),
    ("chỉ tiêu tỉnh giao", "provincial_target", "of the province's target",
     "so với chỉ tiêu tỉnh giao"),
    ("kế hoạch", "plan", "of plan", "so với kế hoạch"),
    ("chỉ tiêu giao", "quota", "of the quota", "so với chỉ tiêu giao"),
]

#: Audit verdicts that put a figure in question.
DOUBT = ("inconsistent", "ambiguous", "unverifiable")
#: Kinds of figure listed as level-only (a state, not a change or an achievement).
LEVEL_KINDS = ("level", "share", "count")


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "vi" else pair[0]


def status_label(status: str, lang: str) -> str:
    """A status (stated, derived, corrected) in ``lang``: data/vocab/statuses.csv."""
    table = pd.read_csv(paths.vocab_dir() / "statuses.csv", dtype=str).set_index("status")
    return str(table.loc[status, f"label_{lang}"])


def _values() -> dict[str, float]:
    figs = load_figures()
    out = dict(zip(figs["figure_id"], figs["value"], strict=True))
    d = derived_figures()
    out.update(zip(d["figure_id"], d["value"], strict=True))
    return out


def _checks_using(ids: set[str], audit: pd.DataFrame) -> str:
    """';'-joined ids of the audit checks that use any of ``ids`` and doubt them."""
    hits = [r.check_id for r in audit.itertuples()
            if r.verdict in DOUBT and ids & set(r.figure_ids.split(";"))]
    return ";".join(hits)


def _audit() -> pd.DataFrame:
    from .audit import run_audit

    return run_audit()


def changes(lang: str | None = None, audit: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per indicator and reading: its change since 2015 in percent.

    Columns: ``indicator`` (the level's id), ``label``, ``sector``, ``period`` (of the
    level), ``reading``, ``reading_label``, ``figure_id`` (catalogue or derived id of
    the percentage), ``value``, ``status`` (stated/derived/corrected),
    ``status_label`` and ``checks`` (audit checks that question the indicator).
    """
    lang = resolve(lang)
    audit = _audit() if audit is None else audit
    figs = load_figures().set_index("figure_id")
    values = _values()
    derived = derived_figures().set_index("figure_id")
    rows = []
    for level, fid, reading, status in READINGS:
        lv = figs.loc[level]
        inputs = {level, fid} | (set(derived.loc[fid, "inputs"]) if fid in derived.index
                                 else set())
        rows.append({
            "indicator": level, "label": lv[f"label_{lang}"], "sector": lv["sector"],
            "period": lv["period"], "reading": reading,
            "reading_label": _pick(READING_LABELS[reading], lang), "figure_id": fid,
            "value": float(values[fid]), "status": status,
            "status_label": status_label(status, lang),
            "checks": _checks_using(inputs, audit),
        })
    return pd.DataFrame(rows)


def change_ranges(lang: str | None = None, audit: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per indicator: the lowest and highest change since 2015 its readings give.

    ``low == high`` when the report admits one reading; ``readings`` counts them,
    ``statuses`` lists their statuses (';'-joined, in reading order).
    """
    ch = changes(lang, audit)
    rows = []
    for level, g in ch.groupby("indicator", sort=False):
        rows.append({"indicator": level, "label": g["label"].iloc[0],
                     "sector": g["sector"].iloc[0], "low": g["value"].min(),
                     "high": g["value"].max(), "readings": len(g),
                     "statuses": ";".join(dict.fromkeys(g["status"])),
                     "figure_ids": ";".join(g["figure_id"]),
                     "checks": ";".join(dict.fromkeys(c for cs in g["checks"]
                                                      for c in cs.split(";") if c))})
    return pd.DataFrame(rows)


def basis(quote: str) -> str:
    """What an achievement quote measures against: a key of :data:`BASES`."""
    for pattern, key, _en, _vi in BASES:
        if pattern in quote:
            return key
    raise ValueError(f"no plan, target, quota or resolution named in {quote!r}")


def achievements(lang: str | None = None, audit: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every "đạt …% of plan/target/quota/resolution" figure, in catalogue order.

    Columns: ``figure_id``, ``label``, ``sector``, ``period``, ``value`` (percent),
    ``basis``, ``basis_label``, ``checks`` (audit checks that question it).
    """
    lang = resolve(lang)
    audit = _audit() if audit is None else audit
    figs = load_figures()
    ach = figs[figs["kind"] == "achievement_vs_plan"]
    labels = {key: (en, vi) for _p, key, en, vi in BASES}
    rows = []
    for r in ach.itertuples():
        key = basis(r.quote)
        rows.append({"figure_id": r.figure_id, "label": getattr(r, f"label_{lang}"),
                     "sector": r.sector, "period": r.period, "value": float(r.value),
                     "basis": key, "basis_label": _pick(labels[key], lang),
                     "checks": _checks_using({r.figure_id}, audit)})
    return pd.DataFrame(rows)


def level_only_ids(exclude_sectors: tuple[str, ...] = ("awards",)) -> list[str]:
    """Figures stating a level, share or count whose indicator has no change since 2015.

    In the vocabulary's sector order, then catalogue order. Award counts (totals over
    the period, shown on their own page) are left out unless ``exclude_sectors=()``.
    """
    figs = load_figures()
    with_change = {figs.set_index("figure_id").loc[lv, "indicator"] for lv, *_ in READINGS}
    keep = figs[figs["kind"].isin(LEVEL_KINDS) & ~figs["indicator"].isin(with_change)
                & ~figs["sector"].isin(exclude_sectors)]
    order = vocab.sectors()["order"]
    keep = keep.assign(_o=keep["sector"].map(order)).sort_values("_o", kind="stable")
    return list(keep["figure_id"])


def reading_ids(derived: bool) -> list[str]:
    """Ids of the change readings: the derived ones (``derived=True``) or the catalogued."""
    ids = dict.fromkeys(fid for _lv, fid, _r, _s in READINGS)
    return [i for i in ids if i.startswith("d_") == derived]
