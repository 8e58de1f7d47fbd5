"""The awards of the ``awards`` sector by conferring level and recipient type."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from ..catalogue import vocab
from ..catalogue.figure_labels import figures_of, level_label, recipient_label
from ..core.language import resolve
from ..derive.compute import award_cell_id
from ..derive.lookup import derived_value

RECIPIENTS = ("collective", "individual")

_SUFFIX_RE = re.compile(r"\s*\((collectives|individuals|tập thể|cá nhân)\)\s*$")


def award_table(lang: str | None = None) -> pd.DataFrame:
    """The awards with conferring level and recipient type, national first."""
    lang = resolve(lang)
    figs = figures_of("awards")
    figs = figs[figs["unit"].isin(RECIPIENTS)]
    levels = vocab.award_levels().set_index("figure_id")
    rows = []
    for _, f in figs.iterrows():
        level = levels.loc[f["figure_id"]]
        rows.append({"figure_id": f["figure_id"], "indicator": f["indicator"],
                     "award": _SUFFIX_RE.sub("", f[f"label_{lang}"]),
                     "level": level["level"], "level_basis": level["basis"],
                     "recipient": f["unit"], "count": f["value"]})
    out = pd.DataFrame(rows)
    out["level_rank"] = out["level"].map(vocab.AWARD_LEVELS.index)
    return out.sort_values("level_rank", kind="stable").drop(columns="level_rank") \
        .reset_index(drop=True)


def award_totals(lang: str | None = None) -> pd.DataFrame:
    """Awards by conferring level (rows, national first) and recipient (columns), with the
    level's total: the derived sums ``d_awards_<level>_<recipient>s`` and
    ``d_awards_<level>``. A person or collective honoured twice is counted twice."""
    lang = resolve(lang)
    rows = {level_label(lv, lang): {
        **{recipient_label(r, lang): int(derived_value(award_cell_id(lv, r)))
           for r in RECIPIENTS},
        "total": int(derived_value(f"d_awards_{lv}"))} for lv in vocab.AWARD_LEVELS}
    return pd.DataFrame.from_dict(rows, orient="index")


def __getattr__(name: str) -> Any:
    """``LEVELS``: the award levels, national first (``vocab.AWARD_LEVELS``, read from
    the vocabulary when used, so importing the module reads no file)."""
    if name == "LEVELS":
        return vocab.AWARD_LEVELS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
