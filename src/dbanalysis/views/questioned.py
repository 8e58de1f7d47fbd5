"""Which figures the audit questions: the one rule that the tables' status badges, the
front page's trust labels and the charts' "questioned" mark all read.

A check's verdict is about some of its figures, not all: a growth check questions the
stated rate, not the level and change it is tested against (:data:`QUESTIONED_KINDS`).
"""

from __future__ import annotations

import functools

from ..audit.run import run_audit
from ..catalogue import vocab
from ..catalogue.figures import load_figures
from ..core import cache

#: Which of a check's catalogued figures its verdict is about, by category: the kinds of
#: figure it questions (a growth check questions the stated rate, not the level and change
#: it is tested against). ``None``: every figure of the check (parts and total of a sum
#: that does not add up). A category not listed questions its first figure (the baseline
#: of a printed level, the count set against the district's communes, the plausibility of a
#: total); a category whose kinds match none of its figures falls back to that too.
QUESTIONED_KINDS: dict[str, frozenset[str] | None] = {
    "growth": frozenset({"growth_rate"}),
    "ambiguity": frozenset({"change_vs_2015"}),
    "claim": frozenset({"achievement_vs_plan"}),
    "target": frozenset({"achievement_vs_plan"}),
    "wording": None, "sum": None, "sanity": None, "range": None, "ratio": None,
}


@functools.cache
def _kinds_cached(_content: str) -> dict[str, str]:
    figs = load_figures()
    return dict(zip(figs["figure_id"], figs["kind"], strict=True))


def questioned(category: str, figure_ids: str) -> list[str]:
    """The catalogued figures a check's verdict is about (:data:`QUESTIONED_KINDS`)."""
    kind = _kinds_cached(cache.data_hash())
    ids = [i for i in str(figure_ids).split(";") if i in kind]
    if category in QUESTIONED_KINDS and QUESTIONED_KINDS[category] is None:
        return ids
    kinds = QUESTIONED_KINDS.get(category) or frozenset()
    return [i for i in ids if kind[i] in kinds] or ids[:1]


@functools.cache
def _verdicts_cached(_content: str) -> dict[str, frozenset[str]]:
    out: dict[str, set[str]] = {}
    audit = run_audit()
    for category, ids, verdict in zip(audit["category"], audit["figure_ids"], audit["verdict"],
                                      strict=True):
        for fid in questioned(category, ids):
            out.setdefault(fid, set()).add(verdict)
    return {k: frozenset(v) for k, v in out.items()}


def verdicts_by_figure() -> dict[str, frozenset[str]]:
    """Every catalogued figure a check's verdict is about, with those verdicts."""
    return _verdicts_cached(cache.data_hash())


def in_doubt(figure_id: str) -> bool:
    """Whether a check finds this figure itself inconsistent or open to two readings
    (``doubt`` in data/vocab/verdicts.csv)."""
    return bool(verdicts_by_figure().get(figure_id, frozenset())
                & set(vocab.doubtful_verdicts()))
