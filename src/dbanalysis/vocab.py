"""Controlled vocabularies: sectors, units and kinds, with labels in both languages."""

from __future__ import annotations

from functools import cache

import pandas as pd

from . import paths


@cache
def units() -> pd.DataFrame:
    return pd.read_csv(paths.vocab_dir() / "units.csv", dtype=str).set_index("unit")


@cache
def sectors() -> pd.DataFrame:
    df = pd.read_csv(paths.vocab_dir() / "sectors.csv", dtype={"order": int})
    return df.set_index("sector")


@cache
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
