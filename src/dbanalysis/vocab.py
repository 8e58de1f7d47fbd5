"""Controlled vocabularies, each one file of ``data/vocab/`` with labels in both languages.

sectors, units, kinds, verdicts (of the audit), qualifiers (``over``, ``estimate``...:
labels here, the Vietnamese words that signal them in ``qualifier_words.csv``, read by
:func:`dbanalysis.numbers.qualifier_words`), award levels (``levels.csv``) and the
conferring level of each award figure (``award_levels.csv``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd

from . import numbers, paths
from .cache import memo
from .inputs import InputError, Problem, duplicates, read_csv
from .language import check


class VocabError(InputError):
    """A vocabulary file is invalid; names the file and every bad line."""

    what = "vocabulary"


def _whole_number(column: str, key: str) -> Callable[[dict], list[Problem]]:
    def check_row(row: dict) -> list[Problem]:
        if row[column].isascii() and row[column].strip().isdigit():
            row[column] = int(row[column])
            return []
        return [Problem(row["line"], row[key], f"{column} {row[column]!r} is not a whole number")]

    return check_row


def _read(name: str, columns: list[str], key: str, required: list[str] | None = None,
          min_rows: int = 1, check_row: Callable[[dict], list[Problem]] | None = None
          ) -> pd.DataFrame:
    """A vocabulary file as a frame indexed by ``key``; :class:`VocabError` if it is bad."""
    path = Path(paths.vocab_dir() / name)
    rows, problems = read_csv(path, columns, required=required or [key], id_column=key,
                              min_rows=min_rows)
    problems += duplicates(rows, key)
    if check_row is not None:
        problems += [p for row in rows for p in check_row(row)]
    if problems:
        raise VocabError(path, problems)
    return pd.DataFrame(rows, columns=[*columns, "line"]).drop(columns="line").set_index(key)


def _label_column(lang: str) -> str:
    return f"label_{check(lang)}"


@memo("vocab/units.csv")
def units() -> pd.DataFrame:
    """Units by id: ``label_en``, ``label_vi``, ``dimension``, ``description``."""
    return _read("units.csv", ["unit", "label_en", "label_vi", "dimension", "description"],
                 "unit", ["unit", "label_en", "label_vi", "dimension"])


@memo("vocab/sectors.csv")
def sectors() -> pd.DataFrame:
    """Sectors by id: ``label_en``, ``label_vi``, ``order``."""
    df = _read("sectors.csv", ["sector", "label_en", "label_vi", "order"], "sector",
               ["sector", "label_en", "label_vi", "order"], check_row=_whole_number("order",
                                                                                   "sector"))
    return df.astype({"order": int})


@memo("vocab/kinds.csv")
def kinds() -> pd.DataFrame:
    """Kinds of figure by id (``level``, ``change_vs_2015``...), with a description."""
    return _read("kinds.csv", ["kind", "description"], "kind")


@memo("vocab/unit_refinements.csv", "vocab/units.csv")
def unit_refinements() -> frozenset[tuple[str, str]]:
    """``(unit the quote's word reads, curated unit that refines it)`` pairs.

    A curated unit may be narrower than the generic one its word gives ('đơn vị' in
    the defence paragraph are militia units, not agencies).
    """
    known = set(units().index)

    def check_row(row: dict) -> list[Problem]:
        return [Problem(row["line"], row["unit"], f"unknown unit {row[c]!r} in {c}")
                for c in ("unit", "refines") if row[c] not in known]

    df = _read("unit_refinements.csv", ["unit", "refines", "reason"], "unit",
               ["unit", "refines", "reason"], min_rows=0, check_row=check_row)
    return frozenset(zip(df["refines"], df.index, strict=True))


@memo("vocab/verdicts.csv")
def verdicts() -> pd.DataFrame:
    """Audit verdicts by id, in listing order: ``severity`` (0 = most severe), labels."""
    df = _read("verdicts.csv", ["verdict", "severity", "label_en", "label_vi", "description"],
               "verdict", ["verdict", "severity", "label_en", "label_vi"],
               check_row=_whole_number("severity", "verdict"))
    return df.astype({"severity": int})


def verdict_ids() -> list[str]:
    """The verdicts in listing order (consistent, inconsistent, ambiguous, unverifiable)."""
    return list(verdicts().index)


def verdicts_by_severity() -> list[str]:
    """The verdicts, most severe first (inconsistent first, consistent last)."""
    return list(verdicts().sort_values("severity", kind="stable").index)


def verdict_label(verdict: str, lang: str = "en") -> str:
    """The verdict's label in ``lang``."""
    return str(verdicts().loc[verdict, _label_column(lang)])


@memo("vocab/qualifiers.csv", "vocab/qualifier_words.csv")
def qualifiers() -> pd.DataFrame:
    """Qualifiers by id (``over``, ``estimate``...): labels and description.

    Raises :class:`VocabError` when ``qualifier_words.csv`` maps a word to an id that
    ``qualifiers.csv`` does not define.
    """
    path = paths.vocab_dir() / "qualifiers.csv"
    df = _read("qualifiers.csv", ["qualifier", "label_en", "label_vi", "description"],
               "qualifier", ["qualifier", "label_en", "label_vi"])
    unknown = sorted(set(numbers.qualifier_words().values()) - set(df.index))
    if unknown:
        raise VocabError(paths.vocab_dir() / "qualifier_words.csv", [Problem(
            0, q, f"qualifier {q!r} is not in {path}") for q in unknown])
    return df


def qualifier_label(qualifier: str, lang: str = "en") -> str:
    """The qualifier's label in ``lang`` (``"over"`` or ``"trên/hơn"``)."""
    return str(qualifiers().loc[qualifier, _label_column(lang)])


def unit_label(unit: str, lang: str = "en") -> str:
    """The unit's label in ``lang``."""
    return str(units().loc[unit, _label_column(lang)])


def sector_label(sector: str, lang: str = "en") -> str:
    """The sector's label in ``lang``."""
    return str(sectors().loc[sector, _label_column(lang)])


@memo("vocab/levels.csv")
def levels() -> pd.DataFrame:
    """Award levels by id, national first: short labels and labels of their totals."""
    df = _read("levels.csv", ["level", "order", "label_en", "label_vi", "awards_label_en",
                              "awards_label_vi", "description"], "level",
               ["level", "order", "label_en", "label_vi"],
               check_row=_whole_number("order", "level"))
    return df.astype({"order": int}).sort_values("order")


def level_ids() -> list[str]:
    """The award levels, national first (national, provincial, district, commune)."""
    return list(levels().index)


@memo("vocab/award_levels.csv")
def award_levels() -> pd.DataFrame:
    """Conferring level of each award figure (national → commune), and on what basis.

    ``basis`` is ``stated`` when the report names the issuer, ``by_law`` when the
    level is the one the 2013 Law on Emulation and Commendation assigns.
    """
    known = level_ids()

    def check_row(row: dict) -> list[Problem]:
        problems = []
        if row["level"] not in known:
            problems.append(Problem(row["line"], row["figure_id"], f"unknown level "
                                    f"{row['level']!r} (levels.csv defines {', '.join(known)})"))
        if row["basis"] not in AWARD_BASES:
            problems.append(Problem(row["line"], row["figure_id"], f"unknown basis "
                                    f"{row['basis']!r} (allowed: {', '.join(AWARD_BASES)})"))
        return problems

    df = _read("award_levels.csv", ["figure_id", "level", "basis", "issuer"], "figure_id",
               ["figure_id", "level", "basis"], check_row=check_row)
    return df.reset_index()


#: On what basis an award figure's conferring level is known.
AWARD_BASES = ("stated", "by_law")


def __getattr__(name: str) -> Any:
    """``QUALIFIERS`` (id -> (en, vi)) and ``AWARD_LEVELS``, read from the vocabulary files."""
    if name == "QUALIFIERS":
        q = qualifiers()
        return {i: (r.label_en, r.label_vi) for i, r in zip(q.index, q.itertuples(), strict=True)}
    if name == "AWARD_LEVELS":
        return level_ids()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Money units in dong; 1 tỷ = 1 000 triệu (see units.csv).
MONEY_IN_VND = {"vnd": 1.0, "million_vnd": 1e6, "billion_vnd": 1e9}


def convert(value: float, unit: str, target: str) -> float:
    """Convert a money amount between VND, million VND and billion VND."""
    if unit == target:
        return float(value)
    if unit not in MONEY_IN_VND or target not in MONEY_IN_VND:
        raise ValueError(f"cannot convert {unit!r} to {target!r}")
    return float(value) * MONEY_IN_VND[unit] / MONEY_IN_VND[target]
