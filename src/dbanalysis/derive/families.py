"""Derivations by rule: the rule families of data/derived.csv applied to the catalogue.

A rule names a pattern of the catalogue (``applies_to``) and templates for the id,
formula, unit, reading, label and assumption of the figure it derives wherever the
pattern occurs: every stated part of a stated whole gets its share, every growth each
period reading (2015–2019 and 2015–2020) compound and simple, every stated yearly
rate the change and the 2015 level it implies, every 'đạt X% of plan/target' the plan
it implies. A figure a rule finds again that was declared before under another id
keeps that id (data/derived_ids.csv); it is not derived twice, and its value must equal
the rule's (:func:`dbanalysis.derive.compute.environment` checks it). A kept id whose pattern
no longer occurs (an edited catalogue) is ignored.

The patterns are read from the catalogue's ``kind``, ``indicator`` and ``unit``
columns (data/vocab/kinds.csv); which way a change goes from its quote
(:func:`change_sign`).
"""

from __future__ import annotations

import string
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pandas as pd

from ..catalogue import formula, vocab
from ..core import labels, paths, validation
from ..core.cache import memo
from ..core.inputs import InputError, Problem
from .ids import BASE_YEAR, SPAN_YEARS

RULES_SCHEMA = "input/derived"
IDS_SCHEMA = "input/derived_ids"
#: The roles each pattern fills, usable as ``{role}`` in a rule's templates.
ROLES: dict[str, tuple[str, ...]] = {
    "part_of_whole": ("part", "whole"),
    "level_with_change": ("level", "change", "undo"),
    "level_with_change_pct": ("level", "change", "sign"),
    "level_with_2015": ("level", "base"),
    "level_with_growth_rate": ("level", "rate"),
    "achievement": ("achievement", "level"),
}
#: Roles that name a figure (the others are operators); the first names the subject
#: of data/derived_ids.csv, with the whole for a share.
FIGURE_ROLES = {"part", "whole", "level", "change", "base", "rate", "achievement"}
SUBJECT_ROLES: dict[str, tuple[str, ...]] = {
    "part_of_whole": ("part", "whole"), "achievement": ("achievement",)}
#: Kinds of the figure a change, a yearly rate or an achievement refers to.
LEVEL_KINDS: dict[str, tuple[str, ...]] = {
    "change_vs_2015": ("level", "share"), "growth_rate": ("level",),
    "achievement_vs_plan": ("level", "count", "share")}


class RuleError(InputError):
    """data/derived.csv or data/derived_ids.csv is invalid: an unknown role in a
    template, an unknown unit or label key, a formula that does not parse."""

    what = "derivation rules"


@dataclass(frozen=True)
class Rule:
    """One row of data/derived.csv."""

    rule: str
    applies_to: str
    years: int | None
    figure_id: str
    formula: str
    unit: str
    reading: str
    label: str
    assumption: str
    line: int


@dataclass(frozen=True)
class Instance:
    """One figure a rule derives: the rule, the figures filling its pattern, the id
    (kept or from the template), formula, unit, sector, reading, labels, assumption."""

    rule: str
    subject: str
    figure_id: str
    kept: bool
    formula: str
    unit: str
    sector: str
    reading: str
    label_en: str
    label_vi: str
    assumption: str
    assumption_vi: str


def change_sign(quote: str) -> int:
    """+1 for an increase (*tăng*), −1 for a fall (*giảm*), read from a change's quote.

    >>> change_sign("(giảm 16,21% so với năm 2015)"), change_sign("tăng 5.532 con")
    (-1, 1)
    """
    text = quote.lower()
    if "giảm" in text:
        return -1
    if "tăng" in text:
        return 1
    raise ValueError(f"{quote!r} says neither 'tăng' nor 'giảm'")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


@memo("derived.csv", "schemas/input/derived.json", "vocab/readings.csv", "vocab/units.csv",
      "vocab/labels.csv")
def rules() -> tuple[Rule, ...]:
    """The rules of data/derived.csv, their templates checked (RuleError listing all)."""
    rows, problems = validation.read_rows(RULES_SCHEMA)
    units = set(vocab.units().index)
    keys = labels.keys()
    out = []
    for r in rows:
        roles = set(ROLES[r["applies_to"]])
        allowed = roles | {"level_unit"} if "level" in roles else roles
        for column in ("figure_id", "formula", "unit"):
            unknown = _fields(r[column]) - allowed
            if unknown:
                problems.append(Problem(r["line"], r["rule"], f"{column} names {sorted(unknown)}, "
                                        f"not roles of {r['applies_to']} {sorted(allowed)}"))
        if not _fields(r["unit"]) and r["unit"] not in units:
            problems.append(Problem(r["line"], r["rule"], f"unknown unit {r['unit']!r}"))
        for column in ("label", "assumption"):
            if r[column] and r[column] not in keys:
                problems.append(Problem(r["line"], r["rule"], f"{column} {r[column]!r} is not a "
                                        "key of data/vocab/labels.csv"))
        try:
            filled = r["formula"].format(**{k: f"x_{k}" for k in allowed if k in FIGURE_ROLES},
                                         undo="-", sign="+")
            formula.parse(filled)
        except (formula.FormulaError, KeyError, IndexError, ValueError) as exc:
            problems.append(Problem(r["line"], r["rule"], f"formula: {exc}"))
        out.append(Rule(r["rule"], r["applies_to"], r["years"], r["figure_id"], r["formula"],
                        r["unit"], r["reading"], r["label"], r["assumption"] or "", r["line"]))
    if problems:
        raise RuleError(paths.data_dir() / "derived.csv", problems)
    return tuple(out)


@memo("derived_ids.csv", "schemas/input/derived_ids.json", "derived.csv",
      "schemas/input/derived.json")
def kept_ids() -> dict[tuple[str, str], tuple[str, int]]:
    """(rule, subject) -> (kept derived id, line in data/derived_ids.csv)."""
    rows, problems = validation.read_rows(IDS_SCHEMA)
    if problems:
        raise RuleError(paths.data_dir() / "derived_ids.csv", problems)
    return {(r["rule"], r["subject"]): (r["figure_id"], r["line"]) for r in rows}


def _level_for(row: dict[str, Any], records: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The figures of ``row``'s indicator a change, rate or achievement can refer to;
    those whose id begins ``row``'s id when there are such ('doctor density' before
    'doctors' for 'health_doctor_density_vs_resolution')."""
    kinds = LEVEL_KINDS[row["kind"]]
    same = [r for r in records if r["indicator"] == row["indicator"] and r["kind"] in kinds]
    prefixed = [r for r in same if row["figure_id"].startswith(f"{r['figure_id']}_")]
    return prefixed or same


def _matches(applies_to: str, records: list[dict[str, Any]],
             bases: dict[str, str]) -> Iterator[dict[str, str]]:
    """The role fillings of one pattern, in catalogue order (``records``: the catalogue's
    rows as dicts; plain lists, since a pandas filter per row would dominate the time)."""
    if applies_to == "part_of_whole":
        for whole in [r for r in records if r["kind"] == "total"]:
            parts = [r for r in records if r["indicator"] == whole["indicator"]
                     and r["kind"] in ("count", "component") and r["unit"] == whole["unit"]]
            for part in parts:
                yield {"part": part["figure_id"], "whole": whole["figure_id"]}
        return
    if applies_to == "level_with_2015":
        for level_id, base in bases.items():
            yield {"level": level_id, "base": base}
        return
    kind = {"level_with_change": "change_vs_2015", "level_with_change_pct": "change_vs_2015",
            "level_with_growth_rate": "growth_rate", "achievement": "achievement_vs_plan"}
    for row in [r for r in records if r["kind"] == kind[applies_to]]:
        levels = _level_for(row, records)
        if len(levels) != 1:
            continue  # no level stated (e.g. a quota met, its size unstated), or unclear
        level = levels[0]
        if applies_to == "level_with_change" and row["unit"] != level["unit"]:
            continue
        if applies_to == "level_with_change_pct" and row["unit"] != "percent":
            continue
        roles = {"level": level["figure_id"]}
        if applies_to == "achievement":
            roles["achievement"] = row["figure_id"]
        elif applies_to == "level_with_growth_rate":
            roles["rate"] = row["figure_id"]
        else:
            sign = change_sign(str(row["quote"]))
            roles.update(change=row["figure_id"], undo="-" if sign > 0 else "+",
                         sign="+" if sign > 0 else "-")
        yield roles


def _span(lang: str, end: int | None) -> str:
    """The period ``BASE_YEAR`` to ``end`` as a derived figure's label writes it
    (``{span}``): the label ``year_span``, ``2015–2019``, as the charts write it."""
    return labels.text("year_span", lang, start=BASE_YEAR, end=end)


def period_fields(reading: str, lang: str) -> dict[str, str]:
    """The fields a text about a figure of ``reading`` says its period with, for a reading
    of a period from ``BASE_YEAR`` (:data:`~dbanalysis.derive.ids.SPAN_YEARS`): ``{n}``
    its years, ``{start}`` its first year (``BASE_YEAR``), ``{end}`` its last year and
    ``{span}`` the two as the label ``year_span`` writes them; none for any other
    reading. Strings, so that no number format groups a year's digits.

    >>> period_fields("4_years", "vi"), period_fields("as_written", "en")
    ({'n': '4', 'start': '2015', 'end': '2019', 'span': '2015–2019'}, {})
    """
    n = SPAN_YEARS.get(reading)
    if n is None:
        return {}
    return {"n": str(n), "start": str(BASE_YEAR), "end": str(BASE_YEAR + n),
            "span": _span(lang, BASE_YEAR + n)}


def instances(figures: pd.DataFrame, corrected: set[str] | frozenset[str] = frozenset()
              ) -> list[Instance]:
    """Every figure the rules derive from ``figures``; ``corrected``: levels with an
    accepted correction, whose as-written 2015 value is no base for growth."""
    kept = kept_ids()
    records = figures[["figure_id", "sector", "indicator", "kind", "unit", "quote",
                       "label_en", "label_vi"]].to_dict("records")
    by_id = {r["figure_id"]: r for r in records}
    out: list[Instance] = []
    bases: dict[str, str] = {}
    # a growth rule needs the 2015 values the change rules derive: patterns in ROLES order
    order = list(ROLES)
    for rule in sorted(rules(), key=lambda r: order.index(r.applies_to)):
        for roles in _matches(rule.applies_to, records, bases):
            subject = " ".join(roles[r] for r in SUBJECT_ROLES.get(rule.applies_to, ("level",)))
            level = by_id[roles.get("level") or roles["part"]]
            fill = {**roles, "level_unit": level["unit"]}
            kept_id = kept.get((rule.rule, subject))
            fid = kept_id[0] if kept_id else rule.figure_id.format(**fill)
            n = rule.years
            end = BASE_YEAR + n if n else None
            # a span of years (label year_span): an en dash, as the charts write it
            text = {"label": str(level["label_en"]), "n": n, "end": end,
                    "span": _span("en", end) if n else ""}
            if rule.applies_to == "part_of_whole":
                text["whole"] = str(by_id[roles["whole"]]["label_en"]).lower()
            if rule.applies_to == "achievement":
                text["label"] = str(by_id[roles["achievement"]]["label_en"])
            vi = {**text, "label": str(by_id[roles.get("achievement") or roles.get("level")
                                             or roles["part"]]["label_vi"]),
                  "span": _span("vi", end) if n else ""}
            if rule.applies_to == "part_of_whole":
                vi["whole"] = str(by_id[roles["whole"]]["label_vi"]).lower()
            text["what"], vi["what"] = text["label"], vi["label"]
            out.append(Instance(
                rule.rule, subject, fid, kept_id is not None, rule.formula.format(**fill),
                rule.unit.format(**fill), str(level["sector"]), rule.reading,
                labels.text(rule.label, "en", **text), labels.text(rule.label, "vi", **vi),
                labels.text(rule.assumption, "en", **text) if rule.assumption else "",
                labels.text(rule.assumption, "vi", **vi) if rule.assumption else ""))
            if rule.applies_to in ("level_with_change", "level_with_change_pct") and (
                    level["kind"] == "level" and roles["level"] not in corrected):
                bases.setdefault(roles["level"], fid)
    return out
