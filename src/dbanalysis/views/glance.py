"""Data views for "the district at a glance": every change since 2015 on one axis, and
every achievement against a plan or target.

Both are built from the catalogue and :mod:`dbanalysis.derive.compute` only; derived figures
are found by id (``d_<level>_change_pct``, ``d_<level>_change_pct_<reading>``), never
by formula text. Layer: tables/views (above derive and audit, below the charts).
"""

from __future__ import annotations

import pandas as pd

from ..audit.run import run_audit
from ..catalogue import vocab
from ..catalogue.figure_labels import TO_DATE
from ..catalogue.figures import load_figures
from ..core.language import resolve
from ..derive.families import change_sign
from ..derive.ids import BASE_YEAR, PERIOD_YEARS, RATE_YEARS
from ..derive.lookup import derived_frame
from .questioned import in_doubt

#: How a change since 2015 is known (``status`` of :func:`changes_since_2015`).
STATED, DERIVED, CORRECTED, READINGS = "stated", "derived", "corrected", "readings"

CHANGE_COLUMNS = ["indicator", "level_id", "sector", "label", "status", "low", "high",
                  "derived_ids", "readings", "reading_values", "figure_ids"]


def changes_since_2015(lang: str | None = None) -> pd.DataFrame:
    """One row per indicator whose change since 2015 the report states or implies, in
    percent of the 2015 value.

    ``status``: *stated* (a relative change in the report), *derived* (level and
    absolute change, ``d_<level>_change_pct``), *corrected* (derived from an accepted
    correction), *readings* (the report admits several readings: ``low``–``high`` is
    the range between them; ``readings`` names each, ``reading_values`` gives its
    value, in the order of ``derived_ids``). For a single value ``low ==
    high``. ``figure_ids``: the catalogue ids behind the row; ``derived_ids``: the
    derived figures used.
    """
    lang = resolve(lang)
    figs = load_figures()
    d = derived_frame()
    # the indicator's own value: a level, or a share (e.g. the poverty rate)
    levels = figs[figs["kind"].isin(["level", "share"])].drop_duplicates("indicator") \
        .set_index("indicator")
    rows = []

    def row(lv, status, ids, values, figure_ids):
        readings = [d.loc[i, "reading"] for i in ids] if status == READINGS else []
        rows.append({"indicator": lv.name, "level_id": lv["figure_id"], "sector": lv["sector"],
                     "label": lv[f"label_{lang}"], "status": status, "low": min(values),
                     "high": max(values), "derived_ids": ids, "readings": readings,
                     "reading_values": list(values) if readings else [],
                     "figure_ids": list(dict.fromkeys(figure_ids))})

    for ch in figs[figs["kind"] == "change_vs_2015"].itertuples():
        lv = levels.loc[ch.indicator]
        lid = lv["figure_id"]
        inputs = [lid, ch.figure_id]
        if ch.unit == "percent" and lv["unit"] != "percent":
            row(lv, STATED, [], [change_sign(ch.quote) * ch.value], inputs)
            continue
        own = f"d_{lid}_change_pct"
        variants = [i for i in d.index if i.startswith(own + "_")]
        if own in d.index and variants:
            # the level and rise give one change, a stated growth rate others (cattle)
            ids = [own, *variants]
            growth = figs[(figs["indicator"] == ch.indicator) & (figs["kind"] == "growth_rate")]
            row(lv, READINGS, ids, [d.loc[i, "value"] for i in ids],
                inputs + list(growth["figure_id"]))
        elif own in d.index:
            row(lv, DERIVED, [own], [d.loc[own, "value"]], inputs)
        elif ch.unit == "percent" and len(variants) > 1:
            row(lv, READINGS, variants, [d.loc[i, "value"] for i in variants], inputs)
        elif len(variants) == 1 and f"d_{lid}_corrected" in d.index:
            row(lv, CORRECTED, variants, [d.loc[variants[0], "value"]], inputs)
        else:
            raise KeyError(f"{ch.figure_id}: no change since 2015 in percent in derive "
                           f"({own} or {own}_<reading>)")
    covered = {r["indicator"] for r in rows}
    for gr in figs[figs["kind"] == "growth_rate"].itertuples():
        if gr.indicator in covered or gr.indicator not in levels.index:
            continue
        lv = levels.loc[gr.indicator]
        own = f"d_{lv['figure_id']}_change_pct"
        variants = [i for i in d.index if i.startswith(own + "_")]
        if len(variants) > 1:
            row(lv, READINGS, variants, [d.loc[i, "value"] for i in variants],
                [lv["figure_id"], gr.figure_id])
    return pd.DataFrame(rows, columns=CHANGE_COLUMNS)


PLAN_COLUMNS = ["figure_id", "sector", "label", "value", "period", "doubt", "verdicts",
                "report_words", "other_reading", "other_value"]


#: The declared other readings of stated results (data/other_readings.csv).
OTHER_READINGS = "input/other_readings"


def other_readings() -> dict[str, str]:
    """Per result against a plan that a check finds open to two readings, the derived
    percentage that is the result on the other reading (stations with a doctor, "đạt
    100% NQ": 19 of 21, 90.5% of a target of every station), as data/other_readings.csv
    declares it: while the declared check finds the result ``ambiguous``, questions it
    and uses that derived figure. (It was the first derived percentage of the first such
    check: right only by the order of that check's figures.)

    Raises :class:`~dbanalysis.core.inputs.InputError` naming the file for a row whose
    other reading is no derived figure in percent or whose check is not in the audit."""
    from ..core import validation
    from ..core.inputs import InputError, Problem
    from .questioned import questioned

    rows, problems = validation.read_rows(OTHER_READINGS)
    derived = derived_frame()
    audit = run_audit().set_index("check_id")
    out: dict[str, str] = {}
    for r in rows:
        fid, other, check = r["figure_id"], r["other_reading"], r["check_id"]
        if other not in derived.index or derived.loc[other, "unit"] != "percent":
            problems.append(Problem(r["line"], fid, f"other_reading {other!r} is not a "
                                    "derived figure in percent"))
            continue
        if check not in audit.index:
            problems.append(Problem(r["line"], fid, f"check_id {check!r} is not a check "
                                    "of the audit"))
            continue
        c = audit.loc[check]
        ids = str(c["figure_ids"])
        if c["verdict"] == "ambiguous" and other in ids.split(";") \
                and fid in questioned(str(c["category"]), ids):
            out[fid] = other
    if problems:
        from ..core.schema import load

        raise InputError(load(OTHER_READINGS).data_path, problems)
    return out


def plan_achievements(lang: str | None = None, word: str | None = None) -> pd.DataFrame:
    """Every result stated as a percentage of its plan, target or quota, with the audit
    verdicts of the checks that use it and ``report_words``, the words of
    data/vocab/benchmarks.csv its quote holds (``["nq"]``: "đạt 100% NQ"); ``doubt`` is
    True when a check questions the figure itself
    (:func:`dbanalysis.views.questioned.in_doubt`, the rule of the status badges);
    ``other_reading``/``other_value``: the derived figure and value of the result on the
    other reading, where a check finds two (:func:`other_readings`), else None. With
    ``word``, only the results whose quote holds it (``word="nq"``: those that read "đạt
    100% NQ")."""
    lang = resolve(lang)
    figs = load_figures()
    audit = run_audit()
    used = audit["figure_ids"].map(lambda s: set(str(s).split(";")))
    others = other_readings()
    derived = derived_frame()
    rows = []
    for f in figs[figs["kind"] == "achievement_vs_plan"].itertuples():
        verdicts = sorted(set(audit.loc[used.map(lambda ids, i=f.figure_id: i in ids),
                                        "verdict"]))
        rows.append({"figure_id": f.figure_id, "sector": f.sector,
                     "label": getattr(f, f"label_{lang}"), "value": f.value,
                     "period": f.period, "doubt": in_doubt(f.figure_id),
                     "verdicts": verdicts,
                     # what the quote measures it against, in the report's words
                     "report_words": vocab.benchmark_words_in(str(f.quote)),
                     # the result on the other reading, where a check finds two
                     "other_reading": others.get(f.figure_id),
                     "other_value": (float(derived.loc[others[f.figure_id], "value"])
                                     if f.figure_id in others else None)})
    table = pd.DataFrame(rows, columns=PLAN_COLUMNS)
    if word is None:
        return table
    return table[[word in words for words in table["report_words"]]].reset_index(drop=True)


#: Kinds of figure listed as level-only (a state, not a change or an achievement).
LEVEL_KINDS = ("level", "share", "count")
#: Kinds that state a level too where the indicator is made of them (review vi6 V4): a
#: total with its parts (the 2019 industrial output and its three parts), and a range
#: that is the indicator's only level (30,500 to 31,500 people exercising). A total
#: beside a count is a denominator, and a range beside a count qualifies it: neither is
#: listed.
PART_KINDS = ("total", "component")
RANGE_KINDS = ("range_low", "range_high")


def _states_a_level(figs: pd.DataFrame) -> pd.Series:
    """Per figure: whether it states a level (:data:`LEVEL_KINDS`, :data:`PART_KINDS`
    of an indicator with parts, :data:`RANGE_KINDS` of one with no other level)."""
    kinds = figs.groupby("indicator")["kind"].agg(set)
    has_parts = figs["indicator"].map(lambda i: "component" in kinds[i])
    range_only = figs["indicator"].map(lambda i: not kinds[i] & set(LEVEL_KINDS))
    return (figs["kind"].isin(LEVEL_KINDS)
            | (figs["kind"].isin(PART_KINDS) & has_parts)
            | (figs["kind"].isin(RANGE_KINDS) & range_only))


def level_only_ids(exclude_sectors: tuple[str, ...] = ("awards",)) -> list[str]:
    """Figures stating a level, share or count (or a total with its parts, or a range
    that is the only level given) whose indicator has no change since 2015.

    In the vocabulary's sector order, then catalogue order. Award counts (totals over
    the period, shown on their own page) are left out unless ``exclude_sectors=()``.
    """
    figs = load_figures()
    with_change = set(changes_since_2015()["indicator"])
    keep = figs[_states_a_level(figs) & ~figs["indicator"].isin(with_change)
                & ~figs["sector"].isin(exclude_sectors)]
    order = vocab.sectors()["order"]
    keep = keep.assign(_o=keep["sector"].map(order)).sort_values("_o", kind="stable")
    return list(keep["figure_id"])


def reading_ids(derived: bool) -> list[str]:
    """The figures behind :func:`changes_since_2015`: every derived figure the
    at-a-glance chart draws (``derived=True``, :func:`change_rows`) or the catalogued
    changes stated in percent (``False``)."""
    ch = changes_since_2015()
    if derived:  # what the at-a-glance chart draws (change_rows), in its order
        drawn = [i for ids in change_rows()["ids"] for i in ids]
        return list(dict.fromkeys(i for i in drawn if i in derived_frame().index))
    stated = ch[ch["status"] == STATED]
    figs = load_figures().set_index("figure_id")
    return [i for ids in stated["figure_ids"] for i in ids
            if figs.loc[i, "kind"] == "change_vs_2015"]


#: How each drawn change is known (``status`` of :func:`change_rows`): stated by the
#: report; derived from stated levels and changes; derived from a corrected value; one
#: of two readings of the report's words; resting on an assumption (a stated rate held
#: every year, and a year the report does not give).
ROW_STATUSES = ("stated", "derived", "corrected", "reading", "assumed")
#: Readings that rest on a stated yearly rate held every year, and how many years.
ASSUMED_YEARS = {**PERIOD_YEARS, **RATE_YEARS}
ROW_COLUMNS = ["panel", "indicator", "label", "value", "status", "end", "ids", "assumption",
               "value_id"]


def change_rows(lang: str | None = None) -> pd.DataFrame:
    """:func:`changes_since_2015` as one row per value drawn on the at-a-glance chart.

    ``panel``: ``level`` (change in percent of the 2015 level) or ``rate`` (a rate's
    change, in percentage points, kept apart from the levels). ``status``: one of
    :data:`ROW_STATUSES`. ``end``: the year the change runs to (a level's stated year, or
    the year a reading assumes). ``assumption``: for an assumed reading, the stated
    rate it holds every year (a catalogue id). In each panel the rows resting on no
    assumption come first, the assumed ones after them (each group by value, an
    indicator's rows together). ``ids``: the catalogue and derived ids the
    value rests on. ``value_id``: the figure the value is (or is a reading of), so that
    the chart writes it by the one display rule. Values come from the catalogue and
    :mod:`dbanalysis.derive` only.
    """
    lang = resolve(lang)
    figs = load_figures().set_index("figure_id")
    d = derived_frame()
    rows: list[dict] = []
    for r in changes_since_2015(lang).itertuples():
        level = figs.loc[r.level_id]
        period = str(level["period"] or "").removesuffix(TO_DATE)  # to date: its year, assumed
        end = int(period) if period.isdigit() else None
        change = [i for i in r.figure_ids if figs.loc[i, "kind"] == "change_vs_2015"]
        growth = [i for i in r.figure_ids if figs.loc[i, "kind"] == "growth_rate"]
        base = {"indicator": r.indicator, "label": r.label}
        if level["unit"] == "percent":  # a rate: its change in percentage points
            # each reading of the stated change as the rate's fall in percentage points
            # (a derived figure of each reading: the data table lists it), in the order
            # the derivations declare the readings: the usual one, in points, first
            for reading in r.readings:
                pts = [i for i in d.index if d.loc[i, "unit"] == "percentage_point"
                       and d.loc[i, "reading"] == reading
                       and r.level_id in str(d.loc[i, "formula"])]
                if not pts:
                    continue
                sign = change_sign(str(figs.loc[change[0], "quote"])) if change else -1
                value = sign * float(d.loc[pts[0], "value"])
                ids = [*change, pts[0]] if reading == "pp" else [pts[0]]
                value_id = pts[0]
                rows.append({**base, "panel": "rate", "value": value, "status": "reading",
                             "end": end, "ids": [r.level_id, *ids], "assumption": None,
                             "reading": reading, "value_id": value_id})
            continue
        if r.status in (STATED, DERIVED, CORRECTED):
            status = {STATED: "stated", DERIVED: "derived", CORRECTED: "corrected"}[r.status]
            changed = [i for i in r.figure_ids if figs.loc[i, "kind"] == "change_vs_2015"]
            rows.append({**base, "panel": "level", "value": r.low, "status": status,
                         "end": end, "ids": [*r.figure_ids, *r.derived_ids],
                         "assumption": None, "reading": None,
                         "value_id": r.derived_ids[0] if r.derived_ids else changed[0]})
            continue
        for reading, did, value in zip(r.readings, r.derived_ids, r.reading_values,
                                       strict=True):
            years = ASSUMED_YEARS.get(reading)
            rows.append({**base, "panel": "level", "value": value,
                         "status": "assumed" if years else "derived",
                         "end": BASE_YEAR + years if years else end,
                         "ids": [r.level_id, did], "reading": reading, "value_id": did,
                         "assumption": growth[0] if years and growth else None})
    out = pd.DataFrame(rows, columns=[*ROW_COLUMNS, "reading"])
    # in each panel the values that rest on no assumption first, the assumed ones after
    # them: the largest change a reader meets first is one the report gives or implies
    # (the chart's title names it), never one we assume; within each group, indicators
    # by their largest value, their rows by status, then value
    out["_a"] = out["status"] == "assumed"
    top = out.groupby(["indicator", "_a"])["value"].max()
    out["_o"] = [top[(i, a)] for i, a in zip(out["indicator"], out["_a"], strict=True)]
    out["_s"] = out["status"].map({s: k for k, s in enumerate(ROW_STATUSES)})
    # a rate's readings keep their declared order (the usual reading first, as every
    # text of the site gives them), not the order of their values
    out["_v"] = out["value"].where(out["panel"] != "rate", -out.index.to_series())
    out = out.sort_values(["panel", "_a", "_o", "_s", "_v"],
                          ascending=[True, True, False, True, False], kind="stable")
    return out.drop(columns=["_a", "_o", "_s", "_v"]).reset_index(drop=True)
