"""Controlled vocabularies: sectors, units and kinds, with labels in both languages."""

from __future__ import annotations

import pandas as pd

from . import paths
from .cache import memo


@memo("vocab/units.csv")
def units() -> pd.DataFrame:
    return pd.read_csv(paths.vocab_dir() / "units.csv", dtype=str).set_index("unit")


@memo("vocab/sectors.csv")
def sectors() -> pd.DataFrame:
    df = pd.read_csv(paths.vocab_dir() / "sectors.csv", dtype={"order": int})
    return df.set_index("sector")


@memo("vocab/kinds.csv")
def kinds() -> pd.DataFrame:
    return pd.read_csv(paths.vocab_dir() / "kinds.csv", dtype=str).set_index("kind")


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


@memo("vocab/award_levels.csv")
def award_levels() -> pd.DataFrame:
    """Conferring level of each award figure (national → commune), and on what basis.

    ``basis`` is ``stated`` when the report names the issuer, ``by_law`` when the
    level is the one the 2013 Law on Emulation and Commendation assigns.
    """
    df = pd.read_csv(paths.vocab_dir() / "award_levels.csv", dtype=str)
    unknown = set(df["level"]) - set(AWARD_LEVELS)
    if unknown:
        raise ValueError(f"{paths.vocab_dir() / 'award_levels.csv'}: unknown level(s) {unknown}")
    return df


#: Money units in dong; 1 tỷ = 1 000 triệu (see units.csv).
MONEY_IN_VND = {"vnd": 1.0, "million_vnd": 1e6, "billion_vnd": 1e9}


def convert(value: float, unit: str, target: str) -> float:
    """Convert a money amount between VND, million VND and billion VND."""
    if unit == target:
        return float(value)
    if unit not in MONEY_IN_VND or target not in MONEY_IN_VND:
        raise ValueError(f"cannot convert {unit!r} to {target!r}")
    return float(value) * MONEY_IN_VND[unit] / MONEY_IN_VND[target]
