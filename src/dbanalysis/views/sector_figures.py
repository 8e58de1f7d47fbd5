"""A sector's stated and derived figures as plain frames (for notebooks and tests).

Display tables formatted for readers are :mod:`dbanalysis.render.tables`; these frames keep
ids and raw values next to the formatted text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import Path

import pandas as pd

from ..catalogue import vocab
from ..catalogue.figure_labels import figures_of, qualifier_label, sector_label, unit_label
from ..catalogue.figures import figure_ids, load_figures
from ..core.cache import one_reading
from ..core.language import resolve
from ..derive.lookup import derived_frame
from . import translations
from .text import figure_number, figure_text, fmt_figure, fmt_number, plain


@one_reading()
def figure_table(sectors: str | Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """A sector's figures: id, label, formatted value, unit, period, kind, qualifier and
    the verbatim quote it was read from."""
    lang = resolve(lang)
    figs = figures_of(sectors)
    out = pd.DataFrame({
        "id": figs["figure_id"],
        "label": figs[f"label_{lang}"],
        "value": [fmt_number(v, lang) for v in figs["value"]],
        "unit": [unit_label(u, lang) for u in figs["unit"]],
        "period": figs["period"],
        "kind": figs["kind"],
        "qualifier": [qualifier_label(q, lang) for q in figs["qualifier"]],
        "quote": figs["quote"],
    })
    return out.reset_index(drop=True)


@one_reading()
def notes(sectors: str | Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """The catalogue's notes for a sector's figures (caveats and suspect values)."""
    lang = resolve(lang)
    figs = figures_of(sectors)
    figs = figs[figs["note"].notna()]
    return pd.DataFrame({
        "id": figs["figure_id"],
        "label": figs[f"label_{lang}"],
        "value": [fmt_figure(i, lang) for i in figs["figure_id"]],
        "note": [plain(translations.text("figures", i, "note", n, lang), lang)
                 for i, n in zip(figs["figure_id"], figs["note"], strict=True)],
    }).reset_index(drop=True)


@one_reading()
def figures_per_sector(lang: str | None = None) -> pd.DataFrame:
    """How many catalogued figures each sector has, in the sectors' reading order."""
    lang = resolve(lang)
    order = vocab.sectors().sort_values("order").index
    counts = load_figures().groupby("sector").size().reindex(order).dropna().astype(int)
    counts.index = [sector_label(s, lang) for s in counts.index]
    return counts.rename("figures").to_frame()


def figures_used(nb_path: str | Path) -> set[str]:
    """Catalogued ids that appear in a notebook's sources or outputs."""
    ids = figure_ids()
    nb = json.loads(Path(nb_path).read_text("utf-8"))
    text = json.dumps(nb, ensure_ascii=False)
    return {tok for tok in re.findall(r"[a-z][a-z0-9_]*", text) if tok in ids}




@one_reading()
def derived_table(sectors: str | Iterable[str], lang: str | None = None) -> pd.DataFrame:
    """The derived figures of the sector(s) (:mod:`dbanalysis.derive.compute`): id, label,
    formatted value, formula, the inputs and the assumption. Every row is *derived*."""
    lang = resolve(lang)
    secs = {sectors} if isinstance(sectors, str) else set(sectors)
    unknown = secs - set(vocab.sectors().index)
    if unknown:
        raise KeyError(f"unknown sector(s) {sorted(unknown)}")
    d = derived_frame()
    d = d[d["sector"].isin(secs)]
    rows = [{"id": fid, "label": r[f"label_{lang}"], "value": r["value"],
             "formatted": figure_text(str(fid), lang), "unit": r["unit"],
             "formula": r["formula"], "inputs": ", ".join(r["inputs"]),
             "caveat": r["assumption"]}
            for fid, r in d.iterrows()]
    return pd.DataFrame(rows, columns=["id", "label", "value", "formatted", "unit", "formula",
                                       "inputs", "caveat"])


@one_reading()
def derived_values(sectors: str | Iterable[str], lang: str | None = None) -> dict[str, str]:
    """Formatted derived figures by id, as keyword arguments for a sentence; also
    ``<id>_n`` (number only). (Sentences also resolve ``{d_...}`` ids by themselves.)"""
    lang = resolve(lang)
    out = {}
    for _, r in derived_table(sectors, lang).iterrows():
        out[r["id"]] = r["formatted"]
        out[f"{r['id']}_n"] = figure_number(r["id"], lang)
    return out
