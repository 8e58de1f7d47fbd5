"""The "Data and method" page's tables and source record, as the site's other tables
are (:func:`dbanalysis.render.tables.reader_table`: stacked as labelled lines on a
phone), from the counts of :mod:`dbanalysis.views.method`."""

from __future__ import annotations

from markupsafe import Markup, escape

from ..catalogue import vocab
from ..catalogue.source import citation, load_meta
from ..core import labels
from ..core.cache import one_reading
from ..core.language import resolve
from ..core.markup import Md, md_text
from ..views.method import SECTOR_COUNTS, exclusion_kinds, sector_counts
from ..views.text import fmt_number
from .tables import ReaderTable, reader_table, sector_page_cell


@one_reading()  # one version of data/ per table: its files stat'ed once
def sector_counts_table(lang: str | None = None) -> ReaderTable:
    """What each sector contributes (:func:`dbanalysis.views.method.sector_counts`): its
    catalogued figures, derived figures and audit checks, then a last row, in bold, for
    all sectors."""
    lang = resolve(lang)
    counts = sector_counts()
    headers = [labels.text("table.sector", lang), labels.text("table.page", lang),
               *(labels.text(f"method.{k}", lang) for k in SECTOR_COUNTS)]
    rows = [[escape(vocab.sector_label(str(sector), lang)), sector_page_cell(str(sector), lang),
             *(escape(fmt_number(int(n), lang)) for n in row)]
            for sector, row in counts.iterrows()]
    rows.append([Markup("<strong>{}</strong>").format(labels.text("method.total", lang)),
                 Markup(""),
                 *(Markup("<strong>{}</strong>").format(fmt_number(int(n), lang))
                   for n in counts.sum())])
    return reader_table("sector_counts", rows, lang, headers,
                        ["text", "text", *["num"] * len(SECTOR_COUNTS)])


@one_reading()  # one version of data/ per table: its files stat'ed once
def exclusions_table(lang: str | None = None) -> ReaderTable:
    """The numbers set aside as not statistics, per kind
    (:func:`dbanalysis.views.method.exclusion_kinds`): the kind, how many passages, and
    the first of them in the report's words."""
    lang = resolve(lang)
    kinds = exclusion_kinds()
    headers = [labels.text(f"method.{k}", lang)
               for k in ("kind_of_number", "exclusions", "example")]
    rows = [[escape(labels.text(f"exclusion.{kind}", lang)),
             escape(fmt_number(int(row["exclusions"]), lang)),
             # the report's words, as printed: typography leaves them alone
             Markup('<em lang="vi" class="db-verbatim">{}</em>').format(row["example"])]
            for kind, row in kinds.iterrows()]
    return reader_table("exclusions", rows, lang, headers, ["text", "num", "text"])


def verdict_words(lang: str | None = None) -> dict[str, str]:
    """Each verdict's label in ``lang`` as a sentence field ``v_<verdict>``
    (``{v_inconsistent}``), beside the counts of :func:`dbanalysis.render.audit_text.counts`
    named by verdict."""
    lang = resolve(lang)
    return {f"v_{v}": vocab.verdict_label(v, lang) for v in vocab.verdict_ids()}


def _md_label(key: str, lang: str, **fields: str) -> str:
    """Label ``key`` as Markdown: its words are data text, escaped; its fields, Markdown
    the caller made safe, are filled in as they are (a field's name has no ``_``, which
    escaping would change)."""
    return md_text(labels.template(key, lang)).format(**fields)


@one_reading()
def source_record(lang: str | None = None) -> Md:
    """How the article is cited and what is checked when it is read (Markdown): author,
    title (with its translation, and marked as Vietnamese, on a page in another
    language), publisher and date; its size in bytes and characters, SHA-256, language
    and web address (shown as code, as recorded) or how to find it."""
    lang = resolve(lang)
    source, meta = citation(), load_meta()
    foreign = meta.language != lang
    title = Markup("“<cite{}>{}</cite>”").format(
        Markup(' lang="{}"').format(meta.language) if foreign else "", source.title)
    if foreign:
        title += Markup(" (<em>{}</em>)").format(source.title_en)
    plain = {k: md_text(v) for k, v in source.reference_fields(lang).items()}
    cited = _md_label("citation.reference", lang, **{**plain, "title": title})
    checked = _md_label("method.checked", lang, size=fmt_number(meta.size_bytes, lang),
                        chars=fmt_number(meta.raw["size_characters"], lang),
                        sha=f"`{meta.sha256}`",
                        language=md_text(labels.text(f"language.{meta.language}", lang)))
    if source.url:  # the address is shown as code, as recorded
        where = _md_label("index.source_url", lang, url=f"`{source.url}`")
    else:
        where = md_text(labels.text("index.source_no_url", lang))
    # what kind of document it is, for a reader who has never met an emulation movement
    return Md(f"{md_text(labels.text('site.about', lang))}\n\n"
              f"**{md_text(labels.text('method.cited_as', lang))}** {cited}\n\n"
              f"**{md_text(labels.text('method.checked_at_load', lang))}** {checked} {where}")
