"""Audit explanations on a page: the checks they name linked by title, the figures they
write linked (catalogued, to the source page) or marked with their id (derived), as in
prose, so a figure reads one way across the pages of an edition and the site's tests
can hold it to that (``tests/test_site_words.py``).
"""

from __future__ import annotations

import re

import pandas as pd
from markupsafe import Markup, escape

from ..audit.run import marked_explanation, run_audit
from ..audit.titles import check_title
from ..catalogue import sentences
from ..catalogue.figure_labels import label
from ..catalogue.figures import figure_ids
from ..core.language import resolve
from ..core.links import audit_link, source_link
from ..core.markup import md_text
from ..views.text import DerivedField, FigureField, formatter

#: What may be a check id inside an explanation (one that names another check).
_CHECK_ID = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")


def check_link(check_id: str, lang: str, audit: pd.DataFrame | None = None,
               markdown: bool = True) -> str:
    """The check named by its title in ``lang``, linked to it on the audit page: Markdown,
    or HTML (:class:`Markup`). ``audit``: the audit indexed by check id (default: run)."""
    checks = run_audit().set_index("check_id") if audit is None else audit
    title = check_title(check_id, checks.at[check_id, "category"],
                        checks.at[check_id, "figure_ids"], lang)
    if markdown:
        return f"[{md_text(title)}]({audit_link(check_id)})"
    return Markup('<a href="{}">{}</a>').format(audit_link(check_id), title)


def explanation(check: pd.Series, lang: str | None = None) -> str:
    """A check's explanation in ``lang`` (English where no Vietnamese text exists), each
    figure it writes marked by its id (:data:`dbanalysis.catalogue.sentences.MARK`) when
    it is a check of the audit of data/ (:func:`dbanalysis.audit.run.marked_explanation`)."""
    lang = resolve(lang)
    vi = check.get("explanation_vi", "")
    plain = str(vi) if lang == "vi" and isinstance(vi, str) and vi else str(check["explanation"])
    marked = marked_explanation(str(check["check_id"]), lang)
    return marked if marked is not None and sentences.unmarked(marked) == plain else plain


def figure_link(figure_id: str, text: str, lang: str | None = None) -> Markup:
    """``text`` linked to the catalogued figure's highlight on the source page (escaped);
    its tooltip is the figure's label, never its id."""
    return Markup('<a class="fig" href="{}" title="{}">{}</a>').format(
        source_link(figure_id), label(figure_id, lang), text)


def sentence_html(template: str, lang: str | None = None) -> Markup:
    """A :func:`dbanalysis.views.text.sentence` template filled for an HTML cell (a note on
    a figure): the same fields and formats, every text escaped, a catalogued figure's
    number linked to its highlight on the source page (:func:`figure_link`) and a derived
    one marked with its id, as in prose."""
    lang = resolve(lang)
    fields = formatter(lang, links=False)
    out: list[str] = []
    for literal, name, spec, conversion in fields.parse(template):
        out.append(escape(literal))
        if name is None:
            continue
        value, _ = fields.get_field(name, (), {})
        if conversion:
            value = fields.convert_field(value, conversion)
        shown = fields.format_field(value, spec or "")
        if isinstance(value, FigureField) and (spec or "") in value.LINKED:
            out.append(figure_link(value.figure_id, escape(shown), lang))
        elif isinstance(value, DerivedField) and (spec or "") in value.VALUES:
            out.append(_figure_mark(value.derived_id, shown, lang, markdown=False))
        else:
            out.append(escape(shown))
    return Markup("".join(out))


def _figure_mark(figure_id: str, number: str, lang: str, markdown: bool) -> str:
    """A number an explanation writes for a figure: a catalogued one linked to its
    highlight on the source page, a derived one marked with its id (as in prose)."""
    if figure_id in figure_ids():
        if markdown:
            return f"[{md_text(number)}]({source_link(figure_id)})"
        return figure_link(figure_id, number, lang)
    if markdown:
        return f'<span class="db-v" data-fig="{figure_id}">{md_text(number)}</span>'
    return Markup('<span class="db-v" data-fig="{}">{}</span>').format(figure_id, number)


def cross_linked(text: str, lang: str, markdown: bool = True) -> str:
    """``text`` escaped for Markdown (or for HTML, as :class:`Markup`), each check id it
    names replaced by that check's title in ``lang``, linked to it on the audit page, and
    each figure marked in it (:func:`explanation`) linked or marked with its id."""
    checks = run_audit().set_index("check_id")
    piece = md_text if markdown else escape
    out: list[str] = []

    def linked(part: str) -> None:
        at = 0
        for m in _CHECK_ID.finditer(part):
            cid = m.group(0)
            if cid not in checks.index:
                continue
            out.append(piece(part[at:m.start()]))
            out.append(check_link(cid, lang, checks, markdown))
            at = m.end()
        out.append(piece(part[at:]))

    at = 0
    for m in sentences.MARK.finditer(text):
        linked(text[at:m.start()])
        out.append(_figure_mark(m.group(1), m.group(2), lang, markdown))
        at = m.end()
    linked(text[at:])
    return "".join(out) if markdown else Markup("").join(out)
