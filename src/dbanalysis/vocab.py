"""Controlled vocabularies, each one file of ``data/vocab/`` with labels in both languages.

sectors, units, kinds, verdicts (of the audit), qualifiers (``over``, ``estimate``...:
labels here, the Vietnamese words that signal them in ``qualifier_words.csv``, read by
:func:`dbanalysis.numbers.qualifier_words`), award levels (``levels.csv``) and the
conferring level of each award figure (``award_levels.csv``).
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from . import numbers, paths
from .cache import memo
from .language import check


class VocabError(ValueError):
    """A vocabulary file is inconsistent; the message names the file and the problem."""


def _label_column(lang: str) -> str:
    return f"label_{check(lang)}"


@memo("vocab/units.csv")
def units() -> pd.DataFrame:
    """Units by id: ``label_en``, ``label_vi``, ``dimension``, ``description``."""
    return pd.read_csv(paths.vocab_dir() / "units.csv", dtype=str).set_index("unit")


@memo("vocab/sectors.csv")
def sectors() -> pd.DataFrame:
    """Sectors by id: ``label_en``, ``label_vi``, ``order``."""
    df = pd.read_csv(paths.vocab_dir() / "sectors.csv", dtype={"order": int})
    return df.set_index("sector")


@memo("vocab/kinds.csv")
def kinds() -> pd.DataFrame:
    """Kinds of figure by id (``level``, ``change_vs_2015``...), with a description."""
    return pd.read_csv(paths.vocab_dir() / "kinds.csv", dtype=str).set_index("kind")


@memo("vocab/verdicts.csv")
def verdicts() -> pd.DataFrame:
    """Audit verdicts by id, in listing order: ``severity`` (0 = most severe), labels."""
    df = pd.read_csv(paths.vocab_dir() / "verdicts.csv", dtype={"severity": int},
                     keep_default_na=False)
    return df.set_index("verdict")


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
    df = pd.read_csv(path, dtype=str, keep_default_na=False).set_index("qualifier")
    unknown = sorted(set(numbers.qualifier_words().values()) - set(df.index))
    if unknown:
        raise VocabError(f"{paths.vocab_dir() / 'qualifier_words.csv'}: qualifier(s) "
                         f"{', '.join(unknown)} not in {path}")
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
    df = pd.read_csv(paths.vocab_dir() / "levels.csv", dtype={"order": int},
                     keep_default_na=False)
    return df.sort_values("order").set_index("level")


def level_ids() -> list[str]:
    """The award levels, national first (national, provincial, district, commune)."""
    return list(levels().index)


@memo("vocab/award_levels.csv")
def award_levels() -> pd.DataFrame:
    """Conferring level of each award figure (national → commune), and on what basis.

    ``basis`` is ``stated`` when the report names the issuer, ``by_law`` when the
    level is the one the 2013 Law on Emulation and Commendation assigns.
    """
    df = pd.read_csv(paths.vocab_dir() / "award_levels.csv", dtype=str)
    unknown = set(df["level"]) - set(level_ids())
    if unknown:
        raise VocabError(f"{paths.vocab_dir() / 'award_levels.csv'}: unknown level(s) "
                         f"{sorted(unknown)} (levels.csv defines {level_ids()})")
    return df


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
