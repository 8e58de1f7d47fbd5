"""Arithmetic audit of the report: every check the catalogued figures allow.

:func:`run_audit` returns one row per check with a verdict computed from the
data (never typed per check), so the same check on edited figures can flip:

``consistent``    the figures agree within the printed precision;
``inconsistent``  they disagree by more than the printed precision allows;
``ambiguous``     the statement has more than one reading and the figures cannot tell
                  which, or a value is plausible under one reading only;
``unverifiable``  the report gives no independent figure to check against, or the
                  printed precision is too coarse for the test to mean anything.

``figure_ids`` is a ';'-joined string of catalogue and derived ids (derived ids start
with ``d_``). ``tolerance`` is half a unit of the last printed digit of every
measured input, propagated through the formula by interval arithmetic (exact
counts such as '342' villages carry no rounding). ``expected``/``observed`` are
floats (NaN where a check has no single number).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..catalogue import vocab
from ..catalogue.figures import load_figures
from ..core import cache, schema, validation
from .checks import CHECKS
from .context import MARKED, SCHEMA, Context, explain

__all__ = ["CHECKS", "SCHEMA", "Context", "findings", "marked_explanation",
           "run_audit", "shared_audit", "summary_by_sector", "summary_counts", "summary_line"]

#: Explanations by check id and language, each figure marked (:data:`sentences.MARK`).
Marked = dict[str, dict[str, str]]


def run_audit(figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every arithmetic check the catalogue allows, one row per check (of the catalogue
    in data/ unless ``figures`` is given: then computed once for the content of data/
    and the package, see :func:`shared_audit`)."""
    if figures is None:
        return shared_audit().copy()
    return _run(figures)


def shared_audit() -> pd.DataFrame:
    """:func:`run_audit` of the catalogue in data/, computed once for the content of
    data/ and the package and shared between processes (:func:`dbanalysis.core.cache.shared`);
    the caller must not modify it."""
    return _shared()[0]


def _shared() -> tuple[pd.DataFrame, Marked]:
    return cache.shared("audit", lambda: _run_marked(load_figures()))


def marked_explanation(check_id: str, lang: str) -> str | None:
    """The explanation of a check of :func:`shared_audit` in ``lang`` with each figure it
    writes marked by its id (:data:`dbanalysis.catalogue.sentences.MARK`), for pages that
    link or mark the numbers; None for a check it has not."""
    return _shared()[1].get(check_id, {}).get(lang)


def _run(figures: pd.DataFrame) -> pd.DataFrame:
    return _run_marked(figures)[0]


def _run_marked(figures: pd.DataFrame) -> tuple[pd.DataFrame, Marked]:
    ctx = Context(figures)
    rows = [explain(r) for check in CHECKS for r in check(ctx)]
    marked = {r["check_id"]: r.pop(MARKED) for r in rows}
    df = pd.DataFrame(rows, columns=schema.load(SCHEMA).columns)
    problems = validation.check_frame(SCHEMA, df)
    if problems:  # pragma: no cover - a check that writes a row its schema forbids
        raise AssertionError("audit rows break data/schemas/output/audit.json:\n"
                             + "\n".join(map(str, problems)))
    return df, marked


def summary_counts(audit: pd.DataFrame | None = None) -> dict[str, int]:
    """Number of checks per verdict (every verdict, zero included)."""
    audit = run_audit() if audit is None else audit
    counts = audit["verdict"].value_counts()
    return {v: int(counts.get(v, 0)) for v in vocab.verdict_ids()}


def summary_line(audit: pd.DataFrame | None = None) -> str:
    """'N checks: a consistent, b inconsistent, …; of which k sanity checks (…)'."""
    audit = run_audit() if audit is None else audit
    n = summary_counts(audit)
    sanity = int(audit["category"].isin(vocab.little_testing_categories()).sum())
    return (f"{len(audit)} checks: " + ", ".join(f"{n[v]} {v}" for v in vocab.verdict_ids())
            + f"; {sanity} of them are sanity checks (a share within 100 %, a count within "
            "its total, a low bound within its high bound) that test little")


def summary_by_sector(audit: pd.DataFrame | None = None) -> pd.DataFrame:
    """Checks per sector (rows, in the vocabulary's order) and verdict (columns)."""
    audit = run_audit() if audit is None else audit
    order = [s for s in vocab.sectors().sort_values("order").index if s in set(audit["sector"])]
    table = pd.crosstab(audit["sector"], audit["verdict"]).reindex(
        index=order, columns=vocab.verdict_ids(), fill_value=0)
    table.columns.name = "verdict"
    return table


def findings(audit: pd.DataFrame | None = None,
             verdicts: Iterable[str] | None = None) -> pd.DataFrame:
    """The checks with one of ``verdicts`` (default: those that put figures in doubt,
    ``doubt`` in data/vocab/verdicts.csv)."""
    audit = run_audit() if audit is None else audit
    chosen = vocab.doubtful_verdicts() if verdicts is None else list(verdicts)
    return audit[audit["verdict"].isin(chosen)].reset_index(drop=True)
