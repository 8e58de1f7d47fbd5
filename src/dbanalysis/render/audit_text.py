"""The audit as reader prose: findings with anchors, explanations in the page language.

Views for the audit page (notebook ``12-audit``) and for the sector pages' short
audit paragraphs. Each finding starts with an HTML anchor named by its check id, so
any page links it as ``12-audit.html#<check_id>`` (:data:`dbanalysis.views.audit.AUDIT_PAGE`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..audit.run import VERDICTS, run_audit
from ..catalogue import vocab
from ..core import labels
from ..core.language import resolve
from ..core.markup import html_text, md_text
from .tables import AUDIT_PAGE, cross_linked


def escape(text: str) -> str:
    """``text`` safe inside Markdown-with-HTML, read as written (:func:`markup.md_text`)."""
    return md_text(text)


def explain(check: pd.Series, lang: str | None = None) -> str:
    """The check's explanation in ``lang`` (English where no Vietnamese text exists)."""
    lang = resolve(lang)
    vi = check.get("explanation_vi", "")
    return str(vi) if lang == "vi" and isinstance(vi, str) and vi else str(check["explanation"])


def verdict_label(verdict: str, lang: str | None = None) -> str:
    """A verdict in the page's language (data/vocab/verdicts.csv)."""
    return vocab.verdict_label(verdict, resolve(lang))


def _select(audit: pd.DataFrame | None, verdicts: Iterable[str] | None,
            sector: str | Iterable[str] | None) -> pd.DataFrame:
    audit = run_audit() if audit is None else audit
    if verdicts is not None:
        audit = audit[audit["verdict"].isin(list(verdicts))]
    if sector is not None:
        sectors = [sector] if isinstance(sector, str) else list(sector)
        audit = audit[audit["sector"].isin(sectors)]
    return audit.sort_values("verdict", key=lambda s: s.map(vocab.verdict_severity()),
                             kind="stable")


def findings(verdicts: Iterable[str] = ("inconsistent", "ambiguous"),
             lang: str | None = None, audit: pd.DataFrame | None = None) -> str:
    """Markdown: one paragraph per check, most severe first, each anchored by its id."""
    lang = resolve(lang)
    paras = []
    for _, c in _select(audit, verdicts, None).iterrows():
        paras.append(
            f'<span id="{html_text(c["check_id"])}"></span>'
            f"**{escape(vocab.sector_label(c['sector'], lang))}: "
            f"{escape(verdict_label(c['verdict'], lang))}** "
            f"(`{c['check_id']}`). {cross_linked(explain(c, lang), lang)}")
    return "\n\n".join(paras)


def links(sector: str | Iterable[str], verdicts: Iterable[str] = ("inconsistent", "ambiguous",
                                                                  "unverifiable"),
          lang: str | None = None, audit: pd.DataFrame | None = None) -> str:
    """Markdown for a sector page: its doubtful checks as a list of explanations, each
    linked to its paragraph on the audit page; a sentence when there is none."""
    lang = resolve(lang)
    rows = _select(audit, verdicts, sector)
    if rows.empty:
        return ("No check of the audit finds a problem with these figures." if lang == "en"
                else "Không phép kiểm tra nào phát hiện vấn đề với các số liệu này.")
    lines = []
    for _, c in rows.iterrows():
        lines.append(f"- **[{escape(verdict_label(c['verdict'], lang))}]"
                     f"({AUDIT_PAGE}#{html_text(c['check_id'])})**: "
                     f"{cross_linked(explain(c, lang), lang)}")
    return "\n".join(lines)


def table_anchors(in_prose: Iterable[str] = ("inconsistent", "ambiguous", "unverifiable"),
                  audit: pd.DataFrame | None = None) -> list[str]:
    """Ids of the checks without a paragraph on the audit page (anchored in its table)."""
    audit = run_audit() if audit is None else audit
    return list(audit.loc[~audit["verdict"].isin(list(in_prose)), "check_id"])


def sectors_with(verdict: str, lang: str | None = None,
                 audit: pd.DataFrame | None = None) -> str:
    """The sectors (labels in ``lang``, vocabulary order) with a check of ``verdict``."""
    lang = resolve(lang)
    audit = run_audit() if audit is None else audit
    found = set(audit.loc[audit["verdict"] == verdict, "sector"])
    order = vocab.sectors().sort_values("order").index
    return ", ".join(vocab.sector_label(s, lang).lower() for s in order if s in found)


def counts(audit: pd.DataFrame | None = None) -> dict[str, int]:
    """Checks per verdict and in all (``total``), and sanity checks (``sanity``)."""
    audit = run_audit() if audit is None else audit
    out = {v: int((audit["verdict"] == v).sum()) for v in VERDICTS}
    out["total"] = len(audit)
    out["sanity"] = int((audit["category"] == "sanity").sum())
    return out


def by_sector(lang: str | None = None, audit: pd.DataFrame | None = None) -> pd.DataFrame:
    """Checks per sector (rows, vocabulary order) and verdict (columns), labelled in ``lang``."""
    from ..audit.run import summary_by_sector

    lang = resolve(lang)
    table = summary_by_sector(audit)
    table.index = [vocab.sector_label(s, lang) for s in table.index]
    table.columns = [verdict_label(v, lang) for v in table.columns]
    # the header of the sector column, in the header row itself (an index name would
    # take a row of its own under the header)
    table.index.name = None
    table.columns.name = labels.text("table.sector", lang)
    return table
