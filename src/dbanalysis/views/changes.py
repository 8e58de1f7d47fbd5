"""Points in time for change charts: 2015 baselines, readings, growth paths, targets.

Each frame has one row per point with ``year``, ``value``, ``status`` (stated, derived,
assumed), the ids it rests on and the formula. Every non-stated value is a derived
figure of :mod:`dbanalysis.derive.compute`, found by id.
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..catalogue import figure_labels
from ..catalogue.figure_labels import (
    ASSUMED,
    DERIVED,
    STATED,
    figures_of,
    unit_label,
)
from ..catalogue.figures import figure, load_figures
from ..core import labels
from ..core.language import resolve
from ..derive import ids
from ..derive.compute import growth_path_id, target_id
from ..derive.families import change_sign
from ..derive.lookup import derived_row


def reading_label(key: str, lang: str | None = None) -> str:
    """The name of a reading of a change (``pp``, ``relative``, ``relative_change``) in
    ``lang`` (labels ``reading.<key>``), a relative one in percent of the rate in the
    declared base year (``derive.ids.BASE_YEAR``, read at each call), never a typed one."""
    return figure_labels.reading_label(key, lang, year=ids.BASE_YEAR)


def change_direction(figure_id: str) -> int:
    """+1 for an increase (*tăng*), −1 for a fall (*giảm*), read from the figure's quote."""
    try:
        return change_sign(str(figure(figure_id)["quote"]))
    except ValueError as exc:
        raise ValueError(f"{figure_id!r}: {exc}") from None


def partner(figure_id: str, kinds: Iterable[str]) -> pd.Series:
    """The figure of the same indicator with one of ``kinds`` (first in catalogue order)."""
    figs = load_figures()
    f = figure(figure_id)
    hit = figs[(figs["indicator"] == f["indicator"]) & figs["kind"].isin(list(kinds))
               & (figs["figure_id"] != figure_id)]
    if hit.empty:
        raise KeyError(f"{figure_id!r}: no figure of kind {list(kinds)} for the same indicator")
    return hit.iloc[0]


def year_of(period: str) -> int | None:
    """The first year of a period (``2015-2019`` -> 2015), None when unstated."""
    return int(period[:4]) if str(period)[:4].isdigit() else None


def _changes_of_levels(figs: pd.DataFrame) -> dict[tuple[str, str], str]:
    """The stated change since 2015 of a level, by the level's (indicator, unit): a
    ``change_vs_2015`` figure of the same indicator in the same unit (the first one in
    catalogue order). One lookup for every level (a mask over the frame per level was
    ~4 ms a call)."""
    out: dict[tuple[str, str], str] = {}
    changes = figs[figs["kind"] == "change_vs_2015"]
    for fid, ind, unit in zip(changes["figure_id"], changes["indicator"], changes["unit"],
                              strict=True):
        out.setdefault((ind, unit), fid)
    return out


def slope_candidates(sectors: str | Iterable[str] | None = None) -> list[str]:
    """Level figure ids that have a stated absolute change since 2015 (same unit)."""
    figs = figures_of(sectors)
    changed = _changes_of_levels(figs)
    levels = figs[figs["kind"] == "level"]
    return [fid for fid, ind, unit in zip(levels["figure_id"], levels["indicator"],
                                          levels["unit"], strict=True)
            if (ind, unit) in changed]


def _levels(keys: Iterable[str], figs: pd.DataFrame) -> list[pd.Series]:
    out = []
    for key in keys:
        hit = figs[figs["figure_id"] == key]
        if hit.empty:
            hit = figs[(figs["indicator"] == key) & (figs["kind"] == "level")]
        if hit.empty:
            raise KeyError(f"{key!r} is neither a figure id nor an indicator with a level")
        row = hit.iloc[0]
        if row["kind"] != "level":
            raise ValueError(f"{key!r} is a {row['kind']}, not a level")
        out.append(row)
    return out


def slope_data(ids_or_indicators: Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """2015 and end-year points for each level with a stated change since 2015.

    One row per point: the stated level (``status='stated'``, year from its period) and
    the 2015 baseline ``d_<level>_2015`` (``status='derived'``). A negative baseline is
    impossible and is flagged in ``problem`` (the poultry flock as printed).
    """
    lang = resolve(lang)
    figs = load_figures()
    rows = []
    changed = _changes_of_levels(figs)
    for lv in _levels(ids_or_indicators, figs):
        change = changed.get((lv["indicator"], lv["unit"]))
        if change is None:
            raise ValueError(f"{lv['figure_id']!r} has no stated change since 2015 in its unit")
        d = derived_row(f"d_{lv['figure_id']}_2015")
        base = float(d["value"])
        common = {"indicator": lv["indicator"], "label": lv[f"label_{lang}"],
                  "unit": lv["unit"], "unit_label": unit_label(lv["unit"], lang)}
        rows.append({**common, "year": 2015, "value": base, "status": DERIVED,
                     "figure_ids": f"{lv['figure_id']} − {change}",
                     "formula": d["formula"], "derived_id": d.name,
                     "problem": labels.text("problem.negative_baseline", lang)
                                if base < 0 else None})
        rows.append({**common, "year": year_of(lv["period"]), "value": lv["value"],
                     "status": STATED, "figure_ids": lv["figure_id"], "formula": None,
                     "derived_id": None, "problem": None})
    return pd.DataFrame(rows)


def implied_targets(achievement_ids: Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """Plan or target implied by a stated result and its stated achievement
    (:func:`dbanalysis.derive.compute.target_id`: ``result / (achievement / 100)``)."""
    lang = resolve(lang)
    rows = []
    for aid in achievement_ids:
        a = figure(aid)
        if a["kind"] != "achievement_vs_plan":
            raise ValueError(f"{aid!r} is a {a['kind']}, not an achievement_vs_plan")
        r = partner(aid, ["level", "count"])
        t = derived_row(target_id(aid))
        rows.append({"achievement_id": aid, "result_id": r["figure_id"],
                     "label": a[f"label_{lang}"], "result": r["value"],
                     "achievement": a["value"], "implied_target": t["value"],
                     "unit": r["unit"], "unit_label": unit_label(r["unit"], lang),
                     "status": DERIVED, "formula": t["formula"], "derived_id": t.name})
    return pd.DataFrame(rows)


def relative_change_points(level_id: str, lang: str | None = None) -> pd.DataFrame:
    """2015 and end-year points for a level whose change since 2015 is stated in
    percent of the 2015 value; the 2015 point is ``d_<level>_2015``. ``shown_id``: the
    figure each point is (a chart writes it by the one display rule)."""
    lang = resolve(lang)
    lv = figure(level_id)
    ch = partner(level_id, ["change_vs_2015"])
    if ch["unit"] != "percent":
        raise ValueError(f"{ch['figure_id']!r} is not a relative change in percent")
    base = derived_row(f"d_{level_id}_2015")
    reading = reading_label("relative_change", lang)
    common = {"reading": reading, "indicator": lv["indicator"], "label": lv[f"label_{lang}"],
              "unit": lv["unit"], "unit_label": unit_label(lv["unit"], lang)}
    return pd.DataFrame([
        {**common, "year": ids.BASE_YEAR, "value": base["value"], "status": DERIVED,
         "figure_ids": ", ".join(base["inputs"]), "formula": base["formula"],
         "shown_id": base.name},
        {**common, "year": year_of(lv["period"]), "value": lv["value"], "status": STATED,
         "figure_ids": level_id, "formula": None, "shown_id": level_id},
    ])


def change_readings(share_id: str, lang: str | None = None) -> pd.DataFrame:
    """The two readings of a change stated as "tăng/giảm x %" on a share in percent:
    percentage points (``d_<share>_2015_pp``) or percent of the 2015 share
    (``d_<share>_2015_relative``). Both 2015 points are derived."""
    lang = resolve(lang)
    sh = figure(share_id)
    if sh["unit"] != "percent":
        raise ValueError(f"{share_id!r} is not a share in percent")
    rows = []
    for key in ("pp", "relative"):
        base = derived_row(f"d_{share_id}_2015_{key}")
        common = {"reading": reading_label(key, lang), "reading_key": key,
                  "indicator": sh["indicator"], "label": sh[f"label_{lang}"],
                  "unit": sh["unit"], "unit_label": unit_label(sh["unit"], lang)}
        rows.append({**common, "year": ids.BASE_YEAR, "value": base["value"], "status": DERIVED,
                     "figure_ids": ", ".join(base["inputs"]), "formula": base["formula"],
                     "shown_id": base.name})
        rows.append({**common, "year": year_of(sh["period"]), "value": sh["value"],
                     "status": STATED, "figure_ids": share_id, "formula": None,
                     "shown_id": share_id})
    return pd.DataFrame(rows)


def growth_paths(level_id: str, end_years: Iterable[int] = (2019, 2020), start: int = 2015,
                 lang: str | None = None) -> pd.DataFrame:
    """Paths back to ``start`` implied by a stated level and a stated annual growth rate
    when the level's year is not stated: one path per *assumed* end year, each point a
    derived figure (:func:`dbanalysis.derive.compute.growth_path_id`). Only the level is stated."""
    lang = resolve(lang)
    lv = figure(level_id)
    rate = partner(level_id, ["growth_rate"])
    rows = []
    for end in end_years:
        name = labels.text("reading.if_year", lang, year=end)
        for y in range(start, end + 1):
            d = None if y == end else derived_row(growth_path_id(level_id, end, y))
            rows.append({"reading": name, "indicator": lv["indicator"],
                         "label": lv[f"label_{lang}"], "unit": lv["unit"],
                         "unit_label": unit_label(lv["unit"], lang), "year": y,
                         "value": lv["value"] if d is None else float(d["value"]),
                         "status": STATED if d is None else ASSUMED,
                         "figure_ids": f"{level_id}, {rate['figure_id']}",
                         "formula": None if d is None else d["formula"],
                         "derived_id": None if d is None else d.name,
                         "shown_id": level_id if d is None else d.name})
    return pd.DataFrame(rows)


def implied_population() -> dict:
    """District population implied by the doctors and their density per 10 000 people,
    with the interval the density's rounding allows (``d_health_population``,
    ``_low``, ``_high``). Derived, and rough."""
    mid, low, high = (derived_row(f"d_health_population{s}") for s in ("", "_low", "_high"))
    return {"value": mid["value"], "low": low["value"], "high": high["value"],
            "figure_ids": mid["inputs"], "status": DERIVED, "formula": mid["formula"]}
