"""The audit checks that concern a sector, as a frame and as linked sentences."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..catalogue import vocab
from ..catalogue.figure_labels import figures_of
from ..core import labels
from ..core.language import resolve
from ..core.links import audit_link
from ..core.markup import Md, md_link, md_text


def audit_frame() -> pd.DataFrame:
    """Every audit check (computed once for the content of data/ and the package, and
    shared between kernels: :func:`dbanalysis.core.cache.shared`)."""
    from ..audit.run import shared_audit

    return shared_audit()


def audit_findings(sectors: str | Iterable[str]) -> pd.DataFrame:
    """Audit checks that concern the sector(s): filed under it or using one of its figures.

    Most severe first (inconsistent, ambiguous, unverifiable, consistent); the
    explanation is the audit's own plain-language sentence.
    """
    audit = audit_frame()
    ids = set(figures_of(sectors)["figure_id"])
    secs = {sectors} if isinstance(sectors, str) else set(sectors)
    mine = audit["sector"].isin(secs) | audit["figure_ids"].map(
        lambda s: bool(ids & set(str(s).split(";"))))
    out = audit.loc[mine, ["check_id", "category", "verdict", "explanation"]]
    out = out.sort_values("verdict", key=lambda v: v.map(vocab.verdict_severity()),
                          kind="stable")
    return out.reset_index(drop=True)


def audit_counts(sectors: str | Iterable[str], lang: str | None = None) -> Md:
    """How many checks concern the sector(s), by verdict, each verdict count linked to
    the audit page's first check of that verdict: ``8 checks: [2 inconsistent](…), …``
    (Markdown; the verdict labels are data text, escaped)."""
    lang = resolve(lang)
    found = audit_findings(sectors)
    parts = []
    for verdict in vocab.verdicts_by_severity():
        hits = found[found["verdict"] == verdict]
        if len(hits):
            parts.append(md_link(f"{len(hits)} {vocab.verdict_counted(verdict, lang)}",
                                 audit_link(hits["check_id"].iloc[0])))
    # a label is data text: escaped for the Markdown it enters
    noun = md_text(labels.text("audit.noun.one" if len(found) == 1 else "audit.noun.many",
                               lang))
    return Md(f"{len(found)} {noun}: {', '.join(parts)}" if parts else f"0 {noun}")


def audit_summary(sectors: str | Iterable[str]):
    """One Markdown sentence: how many audit checks concern the sector(s), by verdict."""
    from IPython.display import Markdown

    found = audit_findings(sectors)
    counts = found["verdict"].value_counts()
    parts = [f"{counts[v]} {v}" for v in vocab.verdicts_by_severity() if v in counts]
    return Markdown(f"**{len(found)} audit check{'s' if len(found) != 1 else ''}** use "
                    f"these figures: {', '.join(parts) or 'none'}.")
