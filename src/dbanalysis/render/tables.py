"""Tables for people: the figures, derived figures and audit checks as readers see them.

Every table is a :class:`ReaderTable`: an HTML table (pandas ``Styler`` with a
fixed id, so re-running a notebook gives identical bytes) in the current
language's number notation, integers as integers, each number rounded to the
precision its source supports (:mod:`dbanalysis.derive.precision`), "not stated" where
the report says nothing, text columns left-aligned and numbers right-aligned
(classes ``text`` and ``num`` on the cells of ``table.dbtable``), and every
catalogued value linked to its highlight on the source page
(``source.html#f-<figure_id>``). All data text is HTML-escaped.
"""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import pandas as pd
from markupsafe import Markup, escape

from ..audit.run import run_audit
from ..audit.titles import check_title
from ..catalogue import reference, vocab
from ..catalogue.corrections import load_corrections
from ..catalogue.figure_labels import period_label
from ..catalogue.figures import figure, figure_ids, load_figures
from ..core import cache, labels
from ..core.cache import one_reading
from ..core.language import LANGS, resolve
from ..core.links import audit_link, check_anchor, page_link, section_link
from ..core.markup import md_joined, md_text
from ..derive.lookup import derived_frame, derived_row
from ..views import translations
from ..views.figure_cells import (  # noqa: F401  (re-exported: tables.figure_status)
    figure_cells,
    figure_status,
    status_label,
)
from ..views.formulas import formula_text, input_text
from ..views.questioned import (  # noqa: F401  (re-exported: tables.questioned)
    QUESTIONED_KINDS,
    questioned,
    verdicts_by_figure,
)
from ..views.text import figure_text, fmt, marked_words
from .explanations import (
    check_link,
    cross_linked,
    explanation,
    figure_link,
    sentence_html,
)

#: Where each catalogued figure is highlighted on the source page.
#: Column headers, per table: keys of data/vocab/labels.csv.
HEADER_KEYS = {
    "figures": ["table.figure", "table.value", "table.period", "table.status", "table.quote"],
    "derived": ["table.derived_figure", "table.value", "table.computed_as", "table.from",
                "table.assumption"],
    "notes": ["table.figure", "table.value", "table.note"],
    "audit": ["table.check", "table.verdict", "table.explanation", "table.figures"],
}


def header_row(name: str, lang: str) -> list[str]:
    """The column headers of table ``name`` in ``lang``."""
    return [labels.text(key, lang) for key in HEADER_KEYS[name]]


#: Kinds of column: "num" cells are right-aligned, "text" cells left-aligned.
ALIGN = {"figures": ["text", "num", "text", "text", "text"],
         "derived": ["text", "num", "text", "text", "text"],
         "notes": ["text", "num", "text"],
         "audit": ["text", "text", "text", "text"]}

@dataclass(frozen=True)
class ReaderTable:
    """A table for people: ``frame`` holds the cells (HTML strings), ``html`` the table."""

    name: str
    frame: pd.DataFrame
    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __repr__(self) -> str:
        plain = self.frame.map(lambda cell: Markup(cell).striptags())
        return plain.to_string(index=False)


# --------------------------------------------------------------------------- cells


def statuses() -> pd.DataFrame:
    """The status vocabulary (data/vocab/statuses.csv): stated, corrected, …"""
    return vocab.statuses()


@one_reading()
def value_text(figure_id: str, lang: str | None = None) -> str:
    """A catalogued or derived figure with unit and qualifier, at the precision it supports."""
    _known(figure_id)  # a clear KeyError for an unknown id
    return figure_text(figure_id, resolve(lang))


def printed_link(figure_id: str, lang: str) -> Markup:
    """A catalogued figure's value as printed, linked to the source page; a corrected
    figure's says so, in the report's own characters ("as printed: “1,558” (Vietnamese
    notation, = 1.558 head)"): alone in a cell, its value reads as if it were the figure
    (QA-0000 R9), and in the page's notation it is a string the report never printed
    (QA-0305 S5)."""
    printed = figure_cells(figure_id, lang).printed
    if printed is None:
        return figure_link(figure_id, escape(value_text(figure_id, lang)), lang)
    return Markup("{}: {}").format(labels.text("table.as_printed", lang),
                                   _printed_linked(figure_id, printed, lang))


def _printed_linked(figure_id: str, printed: str, lang: str) -> Markup:
    """A corrected figure's printed text (:func:`dbanalysis.views.text.printed_text`) with
    its value in the page's notation linked to the source page, where the text gives it
    (“1,558 con” (Vietnamese notation, = [1.558 head])), else the whole text linked: a
    link's number is the figure written as every page writes it (tests/test_site_words)."""
    value = figure_text(figure_id, lang, qualifier=False)
    before, found, after = printed.rpartition(value)
    if not found:
        return figure_link(figure_id, escape(printed), lang)
    return escape(before) + figure_link(figure_id, escape(value), lang) + escape(after)


@one_reading()
def figure_label(figure_id: str, lang: str | None = None) -> str:
    """A catalogued or derived figure's label in ``lang`` (what a tooltip shows: a reader
    never sees an id)."""
    return str(_figure_or_derived(figure_id)[f"label_{resolve(lang)}"])


@one_reading()
def derived_span(figure_id: str, lang: str | None = None) -> Markup:
    """A derived figure's value, its label as tooltip."""
    return Markup('<span data-fig="{}" title="{}">{}</span>').format(
        figure_id, figure_label(figure_id, lang), value_text(figure_id, lang))


@functools.cache
def _by_id_cached(_content: str) -> pd.DataFrame:
    return load_figures().set_index("figure_id")


def catalogue_by_id() -> pd.DataFrame:
    """The catalogue indexed by figure id, made once per content of data/ (the caller
    must not modify it)."""
    return _by_id_cached(cache.data_hash())


def _known(figure_id: str) -> None:
    """A KeyError naming ``figure_id`` unless it is a catalogued or a derived figure."""
    if figure_id not in figure_ids() and figure_id not in _derived().index:
        raise KeyError(f"{figure_id!r} is neither a catalogued nor a derived figure")


def _figure_or_derived(figure_id: str) -> pd.Series:
    """A catalogued or derived figure's row (its rows kept by id: a row of a frame by
    ``.loc`` cost ~50 us, and every value and label of a table asks)."""
    _known(figure_id)
    return figure(figure_id) if figure_id in figure_ids() else derived_row(figure_id)


def _derived() -> pd.DataFrame:
    return derived_frame()


def _verdicts_by_figure() -> dict[str, frozenset[str]]:
    return verdicts_by_figure()


# --------------------------------------------------------------------------- tables


def _ids(sector_or_ids: str | Iterable[str], pool: pd.DataFrame) -> list[str]:
    if isinstance(sector_or_ids, str):
        sectors = {sector_or_ids}
        unknown = sectors - set(vocab.sectors().index)
        if unknown:
            raise KeyError(f"unknown sector {sector_or_ids!r}")
        return list(pool.loc[pool["sector"].isin(sectors), "figure_id"])
    ids, known = list(sector_or_ids), set(pool["figure_id"])  # (a set per id was ~1 ms)
    missing = [i for i in ids if i not in known]
    if missing:
        raise KeyError(f"unknown figure id(s) {missing}")
    return ids


def _render(name: str, rows: Sequence[Sequence[str]], lang: str) -> ReaderTable:
    return reader_table(name, rows, lang, header_row(name, lang), ALIGN[name])


def sector_page_cell(sector: str, lang: str, audit: bool = False) -> Markup:
    """The page showing ``sector``'s figures (data/vocab/sectors.csv), named by its title
    and linked: the audit's and the method page's sector tables name the catalogue's
    sectors, which the site groups into fewer pages. ``audit``: linked to the page's
    audit section (:func:`sector_audit_link`), as the audit page links it."""
    page = vocab.sector_page(sector)
    href = sector_audit_link(sector, lang) if audit else page_link(page)
    return Markup('<a href="{}">{}</a>').format(href, vocab.page_label(page, lang))


def sector_audit_link(sector: str, lang: str) -> str:
    """The address of the audit section ("What the audit finds", label
    ``sector.audit.heading``) on the page showing ``sector``'s figures: where the audit
    page sends a reader who follows a check to its sector (QA-1945 R5: not the page's
    top, 2,600-5,900 px above it on a phone)."""
    return section_link(vocab.sector_page(sector), labels.text("sector.audit.heading", lang))


def reader_table(name: str, rows: Sequence[Sequence[str]], lang: str,
                 headers: Sequence[str], align: Sequence[str]) -> ReaderTable:
    """Rows of escaped HTML cells as the site's table (class ``dbtable-<name>``: stacked
    as labelled lines on a phone), with its column headers and their kinds (``num``,
    ``text``): for a table whose columns are data, such as the audit's verdicts."""
    headers = list(headers)
    frame = pd.DataFrame(rows, columns=headers)
    if frame.empty:  # a table of headers alone tells a reader nothing
        return ReaderTable(name, frame, str(Markup('<p class="dbtable-empty">{}</p>').format(
            labels.text("table.empty", lang))))
    kinds = dict(zip(headers, align, strict=True))
    digest = hashlib.sha1(repr(rows).encode()).hexdigest()[:8]
    styler = (frame.style.hide(axis="index")
              .set_uuid(f"{name}-{lang}-{digest}")
              .set_table_attributes(f'class="dbtable dbtable-{name}" lang="{lang}"')
              .set_td_classes(pd.DataFrame([[kinds[c] for c in headers]] * len(frame),
                                           index=frame.index, columns=headers)))
    # cells are already escaped HTML (markupsafe): Styler must not escape them again;
    # the headers are labels (data text): escaped here
    styler = styler.format(escape=None).format_index(escape="html", axis=1)
    return ReaderTable(name, frame, _label_cells(styler.to_html(), headers))


_CELL = re.compile(r'<td id="T_[^"]*_row\d+_col(\d+)"')


def _label_cells(html: str, headers: Sequence[str]) -> str:
    """Give every body cell its column header as ``data-label``, so that at phone width
    the stylesheet can show each row as a card of labelled lines. Written by hand
    because Styler sets classes on cells but no other attribute."""
    def label(m: re.Match[str]) -> str:
        return f'{m.group(0)} data-label="{escape(headers[int(m.group(1))])}"'

    return _CELL.sub(label, html)


def period_text(period: str | None, lang: str, figure_id: str | None = None) -> str:
    """A catalogue period as a table cell, a "to date" year with the figure's own words
    (:func:`dbanalysis.catalogue.figure_labels.period_label`)."""
    return period_label(period, lang, figure_id)


#: How many times longer than its "as above" a repeated period must be, in every language,
#: to be written so (:func:`figures`): pointing back saves a reader little on a short one.
SAME_PERIOD_RATIO = 2

@one_reading()  # one version of data/ per table or text: its files stat'ed once
def figures(sector_or_ids: str | Iterable[str], lang: str | None = None) -> ReaderTable:
    """The reader table of catalogued figures: label, value with unit (linked to the
    source page), period, status and the report's words. A long period that repeats
    the row before's is written "as above" (label ``table.period.same``): the awards'
    "2015–2020; report: …" once, not on all 19 rows (QA-0305 S14). Long: at least
    :data:`SAME_PERIOD_RATIO` times its "as above" in every language, so that both
    editions point back on the same rows and a short "not stated" is said again."""
    lang = resolve(lang)
    figs = load_figures()  # its rows by id, as tuples (pandas' row lookup was most of a call)
    by_id = {r.figure_id: r for r in figs.itertuples(index=False)}
    rows: list[list] = []
    previous = ""
    same = {lg: labels.text("table.period.same", lg) for lg in LANGS}
    for fid in _ids(sector_or_ids, figs):
        f = by_id[fid]
        cells = figure_cells(fid, lang)
        status = cells.status
        value = figure_link(fid, escape(value_text(fid, lang)), lang)
        if cells.printed is not None:  # the corrected value, the printed one (linked) below
            value = Markup("{}<br><small>{}: {}</small>").format(
                cells.value, labels.text("table.as_printed", lang),
                _printed_linked(fid, cells.printed, lang))
        period = period_text(f.period, lang, fid)
        shown_period = period
        if rows and period == previous and all(
                len(period_text(f.period, lg, fid)) >= SAME_PERIOD_RATIO * len(same[lg])
                for lg in LANGS):
            shown_period = same[lang]  # QA-0305 S14: a long period said once
        previous = period
        rows.append([escape(getattr(f, f"label_{lang}")), value, escape(shown_period),
                     escape(status_label(status, lang)),
                     Markup('<q lang="vi">{}</q>').format(quote_marked(fid, f.quote, lang))])
    return _render("figures", rows, lang)


def quote_marked(figure_id: str, quote: str, lang: str) -> Markup:
    """The figure's quote, escaped, with the mark its note sets after a slip (``đồngđạt
    [nguyên văn]``) set after the same words here, so that every page showing the quote
    marks it, with or without the note (:func:`dbanalysis.views.text.marked_words`)."""
    ends = sorted((at + len(words), key) for words, key in marked_words(figure_id)
                  if (at := quote.find(words)) >= 0)
    out, start = Markup(), 0
    for end, key in ends:
        out += Markup('{} <span class="db-sic">{}</span>').format(
            quote[start:end], labels.text(key, lang))
        start = end
    return out + escape(quote[start:])


def derived(sector_or_ids: str | Iterable[str], lang: str | None = None,
            on_method_page: bool = False) -> ReaderTable:
    """Derived figures: label, value at the precision it supports, formula, inputs
    (:func:`_input_cell`). ``on_method_page``: the table is on the
    Data and method page, so an assumption's pointer to that page's corrections section
    (label ``xref.corrections``) reads ``xref.corrections.here``: no page points to itself.

    Remembered per process (:func:`dbanalysis.core.cache.memo`), keyed on all the table
    depends on beside the code: the data folder and the content of every file in it, the
    language (resolved), the sector or ids and ``on_method_page``; the caller gets a frame
    of its own."""
    key = sector_or_ids if isinstance(sector_or_ids, str) else tuple(sector_or_ids)
    table = _derived_table(key, resolve(lang), bool(on_method_page))
    return ReaderTable(table.name, table.frame.copy(), table.html)


@cache.memo("")  # (one version of data/ per table: its files stat'ed once)
def _derived_table(sector_or_ids: str | tuple[str, ...], lang: str,
                   on_method_page: bool) -> ReaderTable:
    """:func:`derived`, not copied."""
    d = _derived().reset_index()
    catalogued = figure_ids()
    rows = []
    for fid in _ids(sector_or_ids, d):
        r = _derived().loc[fid]
        inputs = Markup(", ").join(_input_cell(i, catalogued, lang) for i in r["inputs"])
        caveat = translations.text("derived", fid, "assumption", r["assumption"], lang)
        if on_method_page:
            caveat = caveat.replace(labels.text("xref.corrections", lang),
                                    labels.text("xref.corrections.here", lang))
        rows.append([escape(r[f"label_{lang}"]),
                     Markup('<span data-fig="{}">{}</span>').format(fid, value_text(fid, lang)),
                     formula_text(r["formula"], lang), inputs, escape(caveat)])
    return _render("derived", rows, lang)


def _input_cell(name: str, catalogued: frozenset[str], lang: str) -> Markup:
    """A derived table input: as printed and linked, derived, or a reference value marked."""
    if name in catalogued:
        return printed_link(name, lang)
    if name in _derived().index:
        return derived_span(name, lang)
    label_, value = input_text(name, lang, catalogued)
    return Markup('<span title="{}">{} ({})</span>').format(
        label_, value, labels.text("table.reference", lang))


@one_reading()  # one version of data/ per table or text: its files stat'ed once
def outside_knowledge(lang: str | None = None) -> str:
    """The constants of outside knowledge (data/reference.csv) as a Markdown list: what
    each is, its value, what it rests on, and the derived figures and checks using it."""
    lang = resolve(lang)
    audit = run_audit().set_index("check_id")
    figures = load_figures().set_index("figure_id")
    lines = []
    for r in reference.table().values():
        users, checks = [], []
        for i in r.used_by:
            if i in audit.index:
                checks.append(check_link(i, lang, audit))
            elif i in figures.index:  # a catalogued figure whose note names the constant
                users.append(md_text(labels.text("reference.note_on", lang,
                                                 label=figures.loc[i, f"label_{lang}"])))
            elif _derived().loc[i, f"label_{lang}"] != r.label(lang):
                # a derived figure that only restates the constant (same label) is not a use
                users.append(md_text(_derived().loc[i, f"label_{lang}"]))
        value = fmt(reference.value(r.name), r.unit, lang)
        # the figures and notes, then the checks, each list a sentence of its own
        uses = [f"{md_text(labels.text(key, lang))}: {md_joined(names, lang)}."
                for key, names in (("reference.used_by", users),
                                   ("reference.checked_by", checks)) if names]
        lines.append(f"- **{md_text(r.label(lang))}**: {md_text(value)}. {md_text(r.basis(lang))} "
                     + " ".join(uses))
    return "\n".join(lines)


@one_reading()  # one version of data/ per table or text: its files stat'ed once
def corrections(lang: str | None = None) -> ReaderTable:
    """The declared problems of the source (data/corrections.csv) as the site's table:
    the figure (linked to its highlight on the source page), the words as printed, the
    reading, the reason and the status; every cell is data text, escaped (the reason is a
    template: its numbers are the formatter's fields)."""
    lang = resolve(lang)
    by_id = catalogue_by_id()
    headers = [labels.text("table.figure", lang)] + [
        labels.text(f"method.{k}", lang) for k in ("as_printed", "reading", "reason")] + [
        labels.text("table.status", lang)]
    rows = [[figure_link(c.figure_id, escape(by_id.loc[c.figure_id, f"label_{lang}"]), lang),
             Markup("<em>{}</em>").format(c.as_written),
             # the reading is plain text (it is also the assumption of the corrected
             # figure), the reason a template of the one formatter, as the notes
             escape(translations.text("corrections", c.figure_id, "interpretation",
                                      c.interpretation, lang)),
             sentence_html(translations.text("corrections", c.figure_id, "reason", c.reason,
                                             lang), lang),
             escape(labels.text(f"correction.{c.status}", lang))]
            for c in load_corrections().itertuples()]
    return reader_table("corrections", rows, lang, headers, ["text"] * len(headers))


@one_reading()  # one version of data/ per table or text: its files stat'ed once
def notes(sector_or_ids: str | Iterable[str], lang: str | None = None) -> ReaderTable:
    """The catalogue's notes (context, doubts, suspected errors) on figures that have one.

    Figures whose notes read the same share one row, their labels and values a line
    each, in catalogue order (QA-2130 S7: page 01 said one sentence on the "to date"
    period four times, another three times, ~700 px of repetition on a phone)."""
    lang = resolve(lang)
    figs = load_figures()  # its rows by id, as tuples (pandas' row lookup was most of a call)
    by_id = {r.figure_id: r for r in figs.itertuples(index=False)}
    grouped: dict[str, tuple[list[Markup], list[Markup]]] = {}
    for fid in _ids(sector_or_ids, figs):
        note = by_id[fid].note
        if not isinstance(note, str) or not note:
            continue
        shown = sentence_html(translations.text("figures", fid, "note", note, lang), lang)
        names, values = grouped.setdefault(str(shown), ([], []))
        names.append(escape(getattr(by_id[fid], f"label_{lang}")))
        values.append(printed_link(fid, lang))
    rows = [[Markup("<br>").join(names), Markup("<br>").join(values), Markup(shown)]
            for shown, (names, values) in grouped.items()]
    return _render("notes", rows, lang)


@one_reading()  # one version of data/ per table or text: its files stat'ed once
def notes_section(sector_or_ids: str | Iterable[str], lang: str | None = None) -> ReaderTable:
    """:func:`notes` under its heading, or nothing at all when no figure of the page has a
    note (a heading over "None." tells a reader nothing)."""
    lang = resolve(lang)
    table = notes(sector_or_ids, lang)
    if table.frame.empty:
        return ReaderTable("notes", table.frame, "")
    heading = labels.text("sector.notes.heading", lang)
    anchor = re.sub(r"\W+", "-", heading).strip("-")
    html = str(Markup('<h2 id="{}">{}</h2>\n').format(anchor, heading)) + table.html
    return ReaderTable("notes", table.frame, html)


@one_reading()  # one version of data/ per table or text: its files stat'ed once
def audit(sector: str | None = None, verdicts: Iterable[str] | None = None,
          lang: str | None = None,
          explain: Callable[[pd.Series, str], str] | None = None,
          anchors: Iterable[str] = (), explained_above: bool = False) -> ReaderTable:
    """Audit checks, most severe first: check id (an anchor on the audit page), verdict,
    explanation and the figures it uses (linked to the source page).

    On the audit page itself, the check cells of the ids in ``anchors`` (those without
    a paragraph of their own) carry ``id="<check_id>"``, so ``12-audit.html#<check_id>``
    lands on their row. With ``explained_above`` (the audit page), the other checks,
    explained in a paragraph of their own above the table, get a link to it in place of
    the same explanation said twice.
    """
    anchored = set(anchors)
    lang = resolve(lang)
    checks = run_audit()
    if sector is not None:
        checks = checks[checks["sector"] == sector]
    if verdicts is not None:
        checks = checks[checks["verdict"].isin(list(verdicts))]
    order = {v: i for i, v in enumerate(vocab.verdicts_by_severity())}
    checks = checks.sort_values("verdict", key=lambda s: s.map(order), kind="stable")
    catalogued = figure_ids()
    sanity = set(vocab.little_testing_categories())
    rows = []
    for _, c in checks.iterrows():
        text = explain(c, lang) if explain else explanation(c, lang)
        ids = [i for i in str(c["figure_ids"]).split(";") if i]
        # the figures as values a reader recognises; each links to (or names) its id
        links = Markup(", ").join(
            printed_link(i, lang) if i in catalogued else derived_span(i, lang)
            for i in ids)
        title = check_title(c["check_id"], c["category"], c["figure_ids"], lang)
        check = (Markup('<span id="{}">{}</span>').format(check_anchor(c["check_id"]), title)
                 if c["check_id"] in anchored else
                 Markup('<a href="{}">{}</a>').format(audit_link(c["check_id"]), title))
        verdict = vocab.verdict_label(c["verdict"], lang)
        if c["category"] in sanity:  # says little: marked, as the page's count says
            verdict = labels.text("table.verdict.sanity", lang, verdict=verdict)
        said = (Markup('<a href="{}">{}</a>').format(audit_link(c["check_id"]),
                                                     labels.text("audit.explained_above", lang))
                if explained_above and c["check_id"] not in anchored
                else cross_linked(text, lang, markdown=False))
        rows.append([check, escape(verdict), said, links])
    return _render("audit", rows, lang)

