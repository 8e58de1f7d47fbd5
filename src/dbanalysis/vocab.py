"""Controlled vocabularies: sectors, units and kinds, with labels in both languages."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pandas as pd

from . import paths
from .inputs import InputError, Problem, duplicates, read_csv


class VocabError(InputError):
    """A vocabulary file is invalid."""

    what = "vocabulary"


def _read(name: str, columns: list[str], key: str, required: list[str] | None = None,
          min_rows: int = 1, check=None) -> pd.DataFrame:
    """A vocabulary file as a frame indexed by ``key``; :class:`VocabError` if it is bad."""
    path = Path(paths.vocab_dir() / name)
    rows, problems = read_csv(path, columns, required=required or [key], id_column=key,
                              min_rows=min_rows)
    problems += duplicates(rows, key)
    if check is not None:
        problems += [p for row in rows for p in check(row)]
    if problems:
        raise VocabError(path, problems)
    return pd.DataFrame(rows, columns=[*columns, "line"]).drop(columns="line").set_index(key)


@cache
def units() -> pd.DataFrame:
    return _read("units.csv", ["unit", "label_en", "label_vi", "dimension", "description"],
                 "unit", ["unit", "label_en", "label_vi", "dimension"])


def _order(row: dict) -> list[Problem]:
    if row["order"].isascii() and row["order"].isdigit():
        row["order"] = int(row["order"])
        return []
    return [Problem(row["line"], row["sector"], f"order {row['order']!r} is not a whole number")]


@cache
def sectors() -> pd.DataFrame:
    df = _read("sectors.csv", ["sector", "label_en", "label_vi", "order"], "sector",
               ["sector", "label_en", "label_vi", "order"], check=_order)
    return df.astype({"order": int})


@cache
def kinds() -> pd.DataFrame:
    return _read("kinds.csv", ["kind", "description"], "kind")


@cache
def unit_refinements() -> frozenset[tuple[str, str]]:
    """``(unit the quote's word reads, curated unit that refines it)`` pairs.

    A curated unit may be narrower than the generic one its word gives ('đơn vị' in
    the defence paragraph are militia units, not agencies).
    """
    known = set(units().index)

    def check(row: dict) -> list[Problem]:
        return [Problem(row["line"], row["unit"], f"unknown unit {row[c]!r} in {c}")
                for c in ("unit", "refines") if row[c] not in known]

    df = _read("unit_refinements.csv", ["unit", "refines", "reason"], "unit",
               ["unit", "refines", "reason"], min_rows=0, check=check)
    return frozenset(zip(df["refines"], df.index, strict=True))


QUALIFIERS = {
    "over": ("over", "trên/hơn"),
    "under": ("under", "dưới"),
    "estimate": ("estimate", "ước"),
    "expected": ("expected", "dự kiến"),
    "almost": ("almost", "gần"),
    "about": ("about", "khoảng"),
}


def unit_label(unit: str, lang: str = "en") -> str:
    return units().loc[unit, "label_vi" if lang == "vi" else "label_en"]


def sector_label(sector: str, lang: str = "en") -> str:
    return sectors().loc[sector, "label_vi" if lang == "vi" else "label_en"]


AWARD_LEVELS = ["national", "provincial", "district", "commune"]
AWARD_BASES = ["stated", "by_law"]


@cache
def award_levels() -> pd.DataFrame:
    """Conferring level of each award figure (national → commune), and on what basis.

    ``basis`` is ``stated`` when the report names the issuer, ``by_law`` when the
    level is the one the 2013 Law on Emulation and Commendation assigns.
    """
    def check(row: dict) -> list[Problem]:
        problems = []
        if row["level"] not in AWARD_LEVELS:
            problems.append(Problem(row["line"], row["figure_id"], f"unknown level "
                                    f"{row['level']!r} (allowed: {', '.join(AWARD_LEVELS)})"))
        if row["basis"] not in AWARD_BASES:
            problems.append(Problem(row["line"], row["figure_id"], f"unknown basis "
                                    f"{row['basis']!r} (allowed: {', '.join(AWARD_BASES)})"))
        return problems

    df = _read("award_levels.csv", ["figure_id", "level", "basis", "issuer"], "figure_id",
               ["figure_id", "level", "basis"], check=check)
    return df.reset_index()


#: Money units in dong; 1 tỷ = 1 000 triệu (see units.csv).
MONEY_IN_VND = {"vnd": 1.0, "million_vnd": 1e6, "billion_vnd": 1e9}


def convert(value: float, unit: str, target: str) -> float:
    """Convert a money amount between VND, million VND and billion VND."""
    if unit == target:
        return float(value)
    if unit not in MONEY_IN_VND or target not in MONEY_IN_VND:
        raise ValueError(f"cannot convert {unit!r} to {target!r}")
    return float(value) * MONEY_IN_VND[unit] / MONEY_IN_VND[target]
