"""The audit as reader prose: findings with anchors, explanations in the page language.

Views for the audit page (notebook ``12-audit``) and for the sector pages' short
audit paragraphs. Each finding starts with an HTML anchor named by its check id, so
any page links it as ``12-audit.html#<check_id>`` (:func:`dbanalysis.core.links.audit_link`).
"""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd

from ..audit.run import run_audit
from ..audit.titles import check_title
from ..catalogue import vocab
from ..core import labels
from ..core.cache import one_reading
from ..core.language import resolve
from ..core.links import audit_link, check_anchor
from ..core.markup import Md, html_text, md_joined, md_text
from ..core.typography import lower_first, upper_first
from ..derive.precision import number_text
from ..views.audit import audit_counts
from .explanations import cross_linked, explanation
from .tables import ReaderTable, reader_table, sector_audit_link, sector_page_cell
from .tables import audit as audit_table


def escape(text: str) -> str:
    """``text`` safe inside Markdown-with-HTML, read as written (:func:`markup.md_text`)."""
    return md_text(text)


def explain(check: pd.Series, lang: str | None = None) -> str:
    """The check's explanation in ``lang`` (English where no Vietnamese text exists), its
    figures marked for :func:`explained` (:func:`dbanalysis.render.tables.explanation`)."""
    return explanation(check, lang)


def explained(check: pd.Series, lang: str) -> str:
    """The check's explanation as Markdown, other checks' titles linked, inside a
    ``span.db-explain`` (so that what the audit writes can be told from a page's own prose)."""
    return f'<span class="db-explain">{cross_linked(explain(check, lang), lang)}</span>'


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


@one_reading()  # one version of data/ per table or text: its files stat'ed once
def findings(verdicts: Iterable[str] | None = None,
             lang: str | None = None, audit: pd.DataFrame | None = None) -> str:
    """Markdown: one paragraph per check, most severe first, each anchored by its id and
    named by its title, the id an anchor never shown (default: the verdicts that put
    figures in doubt, data/vocab/verdicts.csv)."""
    lang = resolve(lang)
    paras = []
    chosen = vocab.doubtful_verdicts() if verdicts is None else verdicts
    for _, c in _select(audit, chosen, None).iterrows():
        title = check_title(c["check_id"], c["category"], c["figure_ids"], lang)
        paras.append(
            f'<span id="{html_text(check_anchor(c["check_id"]))}"></span>'
            # the check's name leads, then its sector and verdict: "**Poultry flock as
            # printed: …** (agriculture and fisheries) – **inconsistent**. The flock …"
            f"**{escape(title)}** ({sector_on_page(c['sector'], lang)})"
            " – "
            f"**{escape(verdict_label(c['verdict'], lang))}**. {explained(c, lang)}")
    return "\n\n".join(paras)


@one_reading()  # one version of data/ per table or text: its files stat'ed once
def links(sector: str | Iterable[str], verdicts: Iterable[str] | None = None,
          lang: str | None = None, audit: pd.DataFrame | None = None) -> str:
    """Markdown for a sector page: its checks explained on the audit page (default: the
    verdicts ``explained`` in data/vocab/verdicts.csv) as a list of explanations, each
    linked to its paragraph there; empty when there is none."""
    lang = resolve(lang)
    rows = _select(audit, vocab.explained_verdicts() if verdicts is None else verdicts, sector)
    lines: list[str] = []
    for _, c in rows.iterrows():
        lines.append(f"- **[{escape(verdict_label(c['verdict'], lang))}]"
                     f"({html_text(audit_link(c['check_id']))})**: "
                     f"{explained(c, lang)}")
    return "\n".join(lines)


@one_reading()  # one version of data/ per table or text: its files stat'ed once
def section(sector: str | Iterable[str], lang: str | None = None,
            audit: pd.DataFrame | None = None) -> str:
    """A sector page's audit section, as on the pages that write their own: the heading
    *What the audit finds*, how many checks the page's figures have by verdict
    (:func:`dbanalysis.views.audit.audit_counts`), then the checks that question them,
    each linked to its explanation (the sentence introducing the list only above one)."""
    lang = resolve(lang)
    found = links(sector, lang=lang, audit=audit)
    out = (f"## {escape(labels.text('sector.audit.heading', lang))}\n\n"
           f"{audit_counts(sector, lang)}.")
    if found:
        out += f" {escape(labels.text('sector.audit.intro', lang))}\n\n{found}"
    return out


def table_anchors(in_prose: Iterable[str] | None = None,
                  audit: pd.DataFrame | None = None) -> list[str]:
    """Ids of the checks without a paragraph on the audit page (anchored in its table);
    ``in_prose`` defaults to the verdicts ``explained`` in data/vocab/verdicts.csv."""
    audit = run_audit() if audit is None else audit
    prose = vocab.explained_verdicts() if in_prose is None else list(in_prose)
    return list(audit.loc[~audit["verdict"].isin(prose), "check_id"])


@one_reading()  # one version of data/ per table or text: its files stat'ed once
def checks_table(lang: str | None = None) -> ReaderTable:
    """Every check as the audit page's table (:func:`dbanalysis.render.tables.audit`): the
    explanations in ``lang`` (:func:`explain`) of the checks without a paragraph of their
    own (:func:`table_anchors`), anchored in their row; the others link to their paragraph
    above instead of saying it again."""
    return audit_table(lang=lang, explain=explain, anchors=table_anchors(),
                       explained_above=True)


@one_reading()  # one version of data/ per table or text: its files stat'ed once
def sectors_with(verdict: str, lang: str | None = None,
                 audit: pd.DataFrame | None = None) -> Md:
    """The sectors (labels in ``lang``, vocabulary order) with a check of ``verdict``, each
    with the page that shows it, linked, separated by semicolons (``agriculture and
    fisheries; public security, see Security and defence``),
    as Markdown (the labels are data text, escaped)."""
    lang = resolve(lang)
    audit = run_audit() if audit is None else audit
    found = set(audit.loc[audit["verdict"] == verdict, "sector"])
    order = vocab.sectors().sort_values("order").index
    # "; " (list.join) between sectors: one may carry its page after a comma ("an ninh
    # trật tự, xem trang An ninh, quốc phòng"), so a comma could not tell where a sector
    # ends (vi7 W8)
    return md_joined((sector_on_page(s, lang) for s in order if s in found), lang)


def sector_on_page(sector: str, lang: str) -> str:
    """Markdown: the sector's label in lower case with the page that shows its figures,
    linked to that page's audit section (``public security, see [Security and defence](
    08-security-defence.html#What-the-audit-finds)``; no "the … page" around the title,
    which may carry its own article: "see the The district at a glance page", QA-0000 R1);
    a sector named as its page is itself the link."""
    page = vocab.sector_page(sector)
    name, title = vocab.sector_label(sector, lang), vocab.page_label(page, lang)
    href = sector_audit_link(sector, lang)  # the page's audit section, not its top
    if name.casefold() == title.casefold():
        return f"[{md_text(lower_first(name))}]({href})"
    link = f"[{md_text(title)}]({href})"
    return md_text(labels.text("audit.sector_on_page", lang, sector=lower_first(name),
                               page="\x00")).replace("\x00", link)


def counts(audit: pd.DataFrame | None = None) -> dict[str, int]:
    """Checks per verdict and in all (``total``), and sanity checks (``sanity``)."""
    audit = run_audit() if audit is None else audit
    out = {v: int((audit["verdict"] == v).sum()) for v in vocab.verdict_ids()}
    out["total"] = len(audit)
    out["sanity"] = int(audit["category"].isin(vocab.little_testing_categories()).sum())
    return out


@one_reading()  # one version of data/ per table or text: its files stat'ed once
def by_sector(lang: str | None = None, audit: pd.DataFrame | None = None) -> ReaderTable:
    """Checks per sector (rows, vocabulary order) and verdict (columns), labelled in
    ``lang``, as the site's other tables are (stacked as labelled lines on a phone)."""
    from ..audit.run import summary_by_sector

    lang = resolve(lang)
    table = summary_by_sector(audit)
    headers = [labels.text("table.sector", lang), labels.text("table.page", lang),
               *(upper_first(verdict_label(v, lang)) for v in table.columns)]  # as headers
    rows = [[html_text(vocab.sector_label(str(sector), lang)),
             sector_page_cell(str(sector), lang, audit=True),
             *(number_text(int(n), lang) for n in counts)]
            for sector, counts in table.iterrows()]
    return reader_table("audit_by_sector", rows, lang, headers,
                        ["text", "text", *["num"] * len(table.columns)])
