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
from .text import data_sentence


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
    """How many checks the sector(s) own, by verdict, each verdict count linked to the audit
    page's first check of that verdict, then how many checks of other sectors also use
    their figures: ``8 checks: [2 inconsistent](…), …; 2 more checks, …`` (Markdown; the
    labels are data text, escaped).

    Each check is counted once, under the sector it is filed under (as on the audit page),
    so the pages' counts add up to the audit's total; a check that reads figures of several
    pages is counted apart on those it is not filed under."""
    lang = resolve(lang)
    found = audit_findings(sectors)
    secs = [sectors] if isinstance(sectors, str) else list(sectors)
    own = found[found["check_id"].map(_sector_of()).isin(secs)]
    others = found["check_id"].nunique() - own["check_id"].nunique()
    parts, firsts = [], []
    for verdict in vocab.verdicts_by_severity():
        hits = own[own["verdict"] == verdict]
        if len(hits):
            firsts.append((verdict, audit_link(hits["check_id"].iloc[0])))
            parts.append(md_link(f"{hits['check_id'].nunique()} "
                                 f"{vocab.verdict_counted(verdict, lang)}", firsts[-1][1]))
    n = own["check_id"].nunique()
    # a label is data text: escaped for the Markdown it enters
    noun = md_text(labels.counted("audit.noun", n, lang))
    out = f"{n} {noun}: {', '.join(parts)}" if parts else f"0 {noun}"
    if n > 1 and len(firsts) == 1:  # "all 6 checks agree", not "6 checks: 6 consistent"
        verdict, href = firsts[0]
        out = md_link(labels.text("audit.count.all", lang, n=n,
                                  noun=labels.text("audit.noun.many", lang),
                                  verdict=vocab.verdict_label(verdict, lang)), href)
    if others:
        # the joining template is data as well: its own words escaped, its fields (Markdown
        # already) filled as they are
        out = data_sentence(labels.template("audit.count.with_others", lang), lang,
                            counts=Md(out),
                            others=Md(md_text(labels.counted("audit.count.others", others,
                                                             lang))))
    return Md(out)


def _sector_of() -> dict[str, str]:
    """Each check's id with the sector it is filed under."""
    audit = audit_frame()
    return dict(zip(audit["check_id"], audit["sector"], strict=True))
