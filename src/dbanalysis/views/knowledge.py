"""Stated / derived / unknown per indicator of a sector, as one frame.

*stated*: a catalogued figure; *derived*: a value of :mod:`dbanalysis.derive.compute` (2015
baselines, implied plans and targets, both readings of an ambiguous change);
*unknown*: what the report leaves open.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..catalogue import sentences
from ..catalogue.figure_labels import DERIVED, TO_DATE, figures_of
from ..catalogue.figures import figure
from ..core import labels
from ..core.cache import one_reading
from ..core.language import resolve
from ..core.typography import typeset
from ..derive import ids
from ..derive.ids import BASE_YEAR
from ..derive.rules import target_ids
from .changes import (
    change_readings,
    implied_targets,
    relative_change_points,
    slope_candidates,
    slope_data,
)
from .sector_figures import derived_table
from .text import figure_text

_ORDER = {"stated": 0, "derived": 1, "unknown": 2}


def _value(figure_id: str, lang: str) -> str:
    """A catalogued or derived figure's value cell: the string every page writes for it
    (the one display rule, :func:`figure_text`, typeset as a page is: a true minus sign),
    so that one value reads one way in every table, this researcher's frame included."""
    return typeset(figure_text(figure_id, lang), lang)


def _ordered(out: pd.DataFrame) -> pd.DataFrame:
    """Stated, derived, unknown (any other status last), each in its order (a stable sort
    of the row numbers: pandas' sort with a key was ~1.5 ms a table)."""
    status = list(out["status"]) if len(out) else []
    rows = sorted(range(len(status)), key=lambda i: _ORDER.get(status[i], len(_ORDER)))
    return out.iloc[rows].reset_index(drop=True)


@one_reading()
def knowledge_table(sectors: str | Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """Stated / derived / unknown, per indicator of the sector(s).

    *stated*: a catalogued figure; *derived*: a 2015 baseline computed as level - change;
    *unknown*: a level whose 2015 value cannot be derived (no stated change), or a
    figure whose period the report does not state.
    """
    lang = resolve(lang)
    figs = figures_of(sectors)
    rows = []
    derivable = slope_candidates(sectors)
    sd = slope_data(derivable, lang) if derivable else pd.DataFrame()
    for _, f in figs.iterrows():
        rows.append({"indicator": f["indicator"], "quantity": f[f"label_{lang}"],
                     "period": f["period"], "status": "stated",
                     "value": _value(f["figure_id"], lang), "from": f["figure_id"]})
        if f["period"] == "unstated":
            rows.append({"indicator": f["indicator"], "quantity": f[f"label_{lang}"],
                         "period": "?", "status": "unknown", "value": "",
                         "from": _why("period_not_stated", lang, figure=f["figure_id"])})
        if f["kind"] == "level" and f["figure_id"] not in derivable \
                and str(f["period"]).removesuffix(TO_DATE).isdigit():
            rows.append({"indicator": f["indicator"],
                         "quantity": _at_base_year(f[f"label_{lang}"], lang),
                         "period": str(BASE_YEAR),
                         "status": "unknown", "value": "",
                         "from": _why("no_change", lang)})
    for _, d in sd[sd["status"] == "derived"].iterrows() if len(sd) else []:
        rows.append({"indicator": d["indicator"], "quantity": _at_base_year(d["label"], lang),
                     "period": str(BASE_YEAR), "status": "derived",
                     "value": _value(d["derived_id"], lang),
                     "from": d["figure_ids"] + (f" ({d['problem']})" if pd.notna(d["problem"])
                                                   else "")})
    out = pd.DataFrame(rows)
    return _ordered(out)


@one_reading()
def knowledge_table_implied(sectors: str | Iterable[str], lang: str | None = None
                            ) -> pd.DataFrame:
    """:func:`knowledge_table` plus the derivations of :mod:`dbanalysis.views.changes`:
    plans and targets implied by achievements, 2015 values implied by relative changes
    (replacing the 'unknown' row they resolve), both readings of an ambiguous change on a
    share, and the growth rate of a level whose year is not stated (its 2015 value stays
    unknown)."""
    lang = resolve(lang)
    base = knowledge_table(sectors, lang)
    figs = figures_of(sectors)
    extra = []
    # an achievement that implies a plan or target (the rule implied_target: one with a
    # stated result; "đạt 100% chỉ tiêu giao" has none, and implied_targets would raise)
    ach = figs[(figs["kind"] == "achievement_vs_plan")
               & figs["figure_id"].isin(target_ids())]["figure_id"]
    for _, t in implied_targets(ach, lang).iterrows() if len(ach) else []:
        # an achievement's label reads "<result> against <plan>" ("… so với …")
        sep = {"en": " against ", "vi": " so với "}[lang]
        extra.append({"indicator": figure(t["result_id"])["indicator"],
                      "quantity": labels.text("knowledge.implied", lang,
                                              label=t["label"].replace(sep, ": ")),
                      "period": figure(t["result_id"])["period"], "status": DERIVED,
                      "value": _value(t["derived_id"], lang),
                      "from": f"{t['result_id']} / {t['achievement_id']}"})
    resolved = set()
    # per indicator: its changes since 2015 (in percent) and its first growth rate, looked
    # up per row (a mask over the frame per row was a third of the call)
    changes = figs[figs["kind"] == "change_vs_2015"]
    changed = set(changes["indicator"])
    changed_pct = set(changes.loc[changes["unit"] == "percent", "indicator"])
    rates: dict[str, str] = {}
    for ind, fid in figs.loc[figs["kind"] == "growth_rate", ["indicator", "figure_id"]].values:
        rates.setdefault(ind, fid)
    for _, lv in figs[figs["kind"] == "level"].iterrows():
        if lv["unit"] != "percent" and lv["indicator"] in changed_pct:
            d = relative_change_points(lv["figure_id"], lang).iloc[0]
            extra.append({"indicator": lv["indicator"], "quantity": _at_base_year(d["label"], lang),
                          "period": str(BASE_YEAR), "status": DERIVED,
                          "value": _value(d["shown_id"], lang),
                          "from": d["figure_ids"]})
            resolved.add(lv["indicator"])
    for _, sh in figs[(figs["kind"] == "share") & (figs["unit"] == "percent")].iterrows():
        if sh["indicator"] not in changed:
            continue
        r = change_readings(sh["figure_id"], lang)
        for _, d in r[r["status"] == DERIVED].iterrows():
            extra.append({"indicator": sh["indicator"],
                          "quantity": _at_base_year(d["label"], lang, d["reading"]),
                          "period": str(BASE_YEAR), "status": DERIVED,
                          "value": _value(d["shown_id"], lang),
                          "from": f"{d['figure_ids']}: {d['formula']}"})
        extra.append({"indicator": sh["indicator"],
                      "quantity": _at_base_year(sh[f"label_{lang}"], lang),
                      "period": str(BASE_YEAR), "status": "unknown", "value": "",
                      "from": _why("reading_unknown", lang)})
    for _, lv in figs[(figs["kind"] == "level") & (figs["period"] == "unstated")].iterrows():
        rate = rates.get(lv["indicator"])
        if rate is not None:
            extra.append({"indicator": lv["indicator"],
                          "quantity": _at_base_year(lv[f"label_{lang}"], lang),
                          "period": str(BASE_YEAR),
                          "status": "unknown", "value": "",
                          "from": _why("unstated_base_year", lang,
                                       figure=rate)})
    drop = base["status"].eq("unknown") & base["indicator"].isin(resolved) \
        & base["from"].eq(_why("no_change", lang))
    out = pd.concat([base[~drop], pd.DataFrame(extra, columns=base.columns)],
                    ignore_index=True)
    return _ordered(out)

@one_reading()
def unknowns(sector: str, lang: str | None = None) -> list[str]:
    """The unknowns the report leaves open about ``sector``, in ``lang`` (declared, not
    computed: the templates ``unknown.<sector>.<n>`` of ``data/templates/knowledge.csv``)."""
    lang = resolve(lang)
    keys = sorted((k for k in sentences.template_ids("knowledge")
                   if k.startswith(f"unknown.{sector}.")),
                  key=lambda k: int(k.rsplit(".", 1)[1]))
    return [sentences.render("knowledge", k, sentences.ANY, lang) for k in keys]


def _at_base_year(label: str, lang: str, reading: str | None = None) -> str:
    """A quantity's cell for its value in ``BASE_YEAR`` ("Buffalo and cattle herd (2015)"),
    with the reading it rests on if any: the labels ``knowledge.at_base_year`` and
    ``knowledge.at_base_year.reading``."""
    if reading is None:
        return labels.text("knowledge.at_base_year", lang, label=label, year=BASE_YEAR)
    return labels.text("knowledge.at_base_year.reading", lang, label=label, year=BASE_YEAR,
                       reading=reading)


def _why(key: str, lang: str, **values) -> str:
    return sentences.render("knowledge", f"why.{key}", sentences.ANY, lang, **values)


@one_reading()
def knowledge_table_with_derived(sectors: str | Iterable[str],
                                 lang: str | None = None) -> pd.DataFrame:
    """:func:`knowledge_table` plus the sector's derived figures (:func:`derived_table`) and the
    unknowns the report leaves open (:func:`unknowns`); stated, derived, unknown order.
    A derived figure is one row: the 2015 baselines :func:`knowledge_table` lists (with
    their indicator and any problem) are not listed again from :func:`derived_table`."""
    lang = resolve(lang)
    base = knowledge_table(sectors, lang)
    secs = [sectors] if isinstance(sectors, str) else list(sectors)
    listed = {ids.baseline(f) for f in slope_candidates(sectors)}
    d = derived_table(secs, lang)
    extra = [{"indicator": "", "quantity": r["label"], "period": "", "status": "derived",
              "value": _value(r["id"], lang), "from": r["formula"]} for _, r in d.iterrows()
             if r["id"] not in listed]
    extra += [{"indicator": "", "quantity": text, "period": "", "status": "unknown",
               "value": "", "from": _why("not_in_report", lang)}
              for s in secs for text in unknowns(s, lang)]
    out = pd.concat([base, pd.DataFrame(extra, columns=base.columns)], ignore_index=True)
    return _ordered(out)
