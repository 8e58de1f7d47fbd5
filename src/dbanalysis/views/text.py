"""Numbers as text and sentences filled from the catalogue.

:func:`fmt` writes a number with its unit in the language's notation (``42,998 head``,
``42.998 con``; a million-VND amount of a thousand or more in billions: ``trên 4 tỷ
đồng``). :func:`sentence` fills a template's ``{figure_id}`` fields from the catalogue
and ``{d_…}`` fields from :mod:`dbanalysis.derive.compute`; a catalogued number becomes a
Markdown link to its highlight on the source page (``source.html#f-<id>``).
"""

from __future__ import annotations

import numbers
import re
import string
from collections.abc import Iterable
from typing import ClassVar

from markupsafe import Markup

from ..catalogue import reference, vocab
from ..catalogue.figure_labels import (
    label,
    period_label,
    qualifier_before_number,
    to_date_gloss,
    unit_label,
)
from ..catalogue.figures import figure, figure_ids, number_span, printed_token
from ..core import labels
from ..core.cache import memo, one_reading
from ..core.language import resolve
from ..core.links import source_link
from ..core.markup import Md, md_text
from ..derive import precision
from ..derive.lookup import derived_frame, derived_row

_LINK_RE = re.compile(r"\[([^\]]*)\]\(" + re.escape(source_link("")) + r"[^)]*\)")


def _marked(derived_id: str, text: str) -> str:
    """A derived value in a linked sentence, marked with its id (an attribute, never shown)."""
    return f'<span class="db-v" data-fig="{derived_id}">{md_text(text)}</span>'


#: The mark :func:`sentence` puts on a derived value (see :func:`unmark`).
_MARK_RE = re.compile(r'<span class="db-v" data-fig="[a-z0-9_]+">([^<]*)</span>')


def unlink(text: str) -> str:
    """``text`` with every source-page Markdown link reduced to its text (for chart titles)."""
    return _LINK_RE.sub(r"\1", text)


def unmark(text: str) -> str:
    """``text`` with the marks on derived values (``<span class="db-v" data-fig=…>``) reduced
    to the values, for Markdown rendered where raw HTML is escaped (the front page)."""
    return _MARK_RE.sub(r"\1", text)


def fmt_number(value: float, lang: str | None = None) -> str:
    """``42998`` -> ``42,998`` (en) or ``42.998`` (vi); up to three decimals kept
    (:func:`dbanalysis.derive.precision.number_text`)."""
    return precision.number_text(value, lang)


def fmt(value: float, unit: str, lang: str | None = None, qualifier: str | None = None,
        quote: str | None = None, decimals: int | None = None) -> str:
    """A number with its unit for narrative text: ``42,998 head``, ``3.74%``,
    ``over 500 visits`` (Vietnamese notation and labels when ``lang='vi'``).
    Money in the unit the report writes it in (:func:`dbanalysis.catalogue.vocab.money_shown`:
    ``trên 4 tỷ đồng``, ``over 4 billion VND``, ``trên 675 triệu đồng``). ``decimals``:
    write exactly so many (a figure's, by the display rule), else up to three."""
    lang = resolve(lang)
    shown, shown_unit = vocab.money_shown(value, unit)
    # ``decimals``: exactly so many (the display rule's); money written in another unit
    # (millions as billions) keeps its own digits
    num = precision.number_text(shown, lang, decimals if shown_unit == unit else None)
    value, unit = shown, shown_unit
    u = vocab.unit_label(unit, lang, one=num == "1")  # "1 criterion", "1.0 hectares"
    # a unit that opens with the percent sign follows the number as the report writes it
    # ("3,74%", "3,5%/năm", "3.5% a year")
    text = f"{num}{u}" if u.startswith("%") else f"{num} {u}"
    q = qualifier_before_number(qualifier, lang, quote)
    return f"{q} {text}" if q else text


def figure_text(figure_id: str, lang: str | None = None, qualifier: bool = True,
                reading: str | None = None) -> str:
    """A catalogued or derived figure as every page shows it: its number rounded by the
    one display rule (:func:`dbanalysis.derive.precision.display_value`), its unit and (by
    default) its qualifier. ``reading``, the id of a derived figure that is another
    reading of the same figure (its corrected value), shows that reading's number at
    that reading's precision (``ước 1.558.000 con``, never the printed ``1,558``'s
    three decimals) with the figure's unit and qualifier.

    Remembered per data version, language and arguments (:func:`~dbanalysis.core.cache.memo`):
    a page shows a figure in prose, tables and both layouts of a chart (~230 asks a kernel
    for ~70 texts)."""
    return _figure_text(figure_id, resolve(lang), bool(qualifier), reading)


@memo("", keep_args=4096)
def _figure_text(figure_id: str, lang: str, qualifier: bool, reading: str | None) -> str:
    """:func:`figure_text` in the language ``lang``."""
    f = figure(figure_id) if figure_id in _catalogue_ids() else derived_row(figure_id)
    qual = f["qualifier"] if qualifier and isinstance(f["qualifier"], str) and f["qualifier"] \
        else None
    quote = f["quote"] if "quote" in f else None
    shown_id = reading or figure_id
    return fmt(precision.display_value(shown_id), f["unit"], lang, qual, quote,
               max(precision.decimals(shown_id), 0))


@one_reading()
def printed_text(figure_id: str, lang: str | None = None) -> str:
    """A catalogued figure as the report prints it, for a reader of ``lang``: its number's
    own characters with the report's unit (``1,558 con``, :func:`_printed_quantity`), and
    where the page's notation reads it differently what it means (``“1,558 con”
    (Vietnamese notation, = 1.558 head)``): the labels ``table.printed_value`` and
    ``.means`` of data/vocab/labels.csv; no gloss where only the spelling differs
    (:func:`_spelt_otherwise`: ``1.033,772 tỉ đồng``, never ``(tức 1.033,772 tỷ đồng)``).
    Beside "as printed:", never the value in the page's notation (QA-0305 S5: "as
    printed: estimated 1.558 head" showed a string the report never printed)."""
    lang = resolve(lang)
    as_printed = _printed_quantity(figure_id)
    printed = labels.text("table.printed_value", lang, printed=as_printed)
    value = figure_text(figure_id, lang, qualifier=False)
    if value == as_printed or _spelt_otherwise(as_printed, value, lang):
        return printed  # the page reads the report's text as it is: nothing to add
    return labels.text("table.printed_value.means", lang, printed=printed, value=value)


@memo("")  # the extractor's words and the report's language: its answer per data version
def _spelt_otherwise(printed: str, value: str, lang: str) -> bool:
    """Whether the page's ``value`` is the report's ``printed`` text spelt another way
    (``1.033,772 tỉ đồng`` / ``1.033,772 tỷ đồng``, ``02 xã`` / ``2 xã``,
    ``785kg/người/năm`` / ``785 kg/người/năm``): in the report's own language, the
    extractor reads each as one number with the same value and unit. A glossed
    ``19/21 xã (tức 19 xã)`` says which number of several is the figure; ``4.206 cán
    bộ (tức 4.206 người)`` another unit."""
    from ..catalogue.extract import find_quantities  # (regexes compiled only when used)
    from ..catalogue.source import load_meta

    if lang != load_meta().language:
        return False
    a, b = find_quantities(printed), find_quantities(value)
    keys = ["value", "unit", "form"]
    return len(a) == len(b) == 1 and a[keys].iloc[0].tolist() == b[keys].iloc[0].tolist()


@memo("")  # the catalogue and the extractor's words: one extraction per figure and version
def _printed_quantity(figure_id: str) -> str:
    """The report's own characters for a catalogued figure: its number and unit as the
    extractor reads them in its quote (``1,558 con``, ``785kg/người/năm``, ``12,85%``),
    not a unit of the vocabulary (``785 kg``, ``tỷ`` for the report's ``tỉ``)."""
    from ..catalogue.extract import find_quantities  # (regexes compiled only when used)

    f = figure(figure_id)
    quote, start = str(f["quote"]), int(f["start"])
    found = find_quantities(quote)
    at = number_span(f)[0] - start
    match = [q for q in found.to_dict("records") if number_span(q)[0] == at]
    if not match:  # (the catalogue's own check holds a figure to a quantity of its quote)
        return printed_token(f)
    # the quantity of its quote at its number's offsets, through its unit
    return quote[at:int(match[0]["end"])]


@one_reading()
def figure_number(figure_id: str, lang: str | None = None) -> str:
    """The number alone of :func:`figure_text` (``42,998``, ``15.3``)."""
    return precision.display_text(figure_id, lang)


def _catalogue_ids() -> frozenset[str]:
    return figure_ids()


@one_reading()
def fmt_figure(figure_id: str, lang: str | None = None, qualifier: bool = True) -> str:
    """A catalogued figure formatted with its unit and (by default) its qualifier."""
    return figure_text(figure_id, lang, qualifier)


@one_reading()
def fmt_derived(derived_id: str, lang: str | None = None) -> str:
    """A derived figure with its unit and qualifier (:func:`figure_text`)."""
    return figure_text(derived_id, lang)


@one_reading()
def any_label(figure_id: str, lang: str | None = None) -> str:
    """A catalogued or derived figure's label in the current (or given) language (a
    ``KeyError`` for an id that is neither)."""
    lang = resolve(lang)
    if figure_id in derived_frame().index:
        return str(derived_frame().loc[figure_id, f"label_{lang}"])
    return label(figure_id, lang)


class LangText:
    """A keyword value of :func:`sentence` whose text depends on the language and on the
    markup (a sentence of its own, filled by the one formatter): :func:`sentence` writes
    ``text(lang, links)`` in its place, as given (it escapes its own fields)."""

    def text(self, lang: str, links: bool) -> str:
        """The text in ``lang``: Markdown with its fields escaped when ``links``, else
        plain text."""
        raise NotImplementedError


class FigureField:
    """A catalogued figure inside a :func:`sentence` template: ``{id}``, ``{id:n}``,
    ``{id:bare}`` (linked numbers), ``{id:label}``, ``{id:unit}``, ``{id:period}``,
    ``{id:to_date}`` (the one gloss of the report's "to date" words for the figure),
    ``{id:printed}`` (the number as the report prints it), ``{id:quote}`` (the report's
    words it is read from), ``{id:base}``, ``{id:growth}``, ``{id:cagr}`` (derived, not
    linked)."""

    def __init__(self, figure_id: str, lang: str, links: bool):
        self.figure_id, self.lang, self.links = figure_id, lang, links

    #: Formats that are a Markdown link to the source page when links are on.
    LINKED = ("", "n", "bare")
    #: Formats that show a figure derived from this one: the format → the derived id's end.
    DERIVED: ClassVar[dict[str, str]] = {"base": "2015", "growth": "change_pct", "cagr": "cagr_4y"}

    def derived_id(self, spec: str) -> str:
        """The id of the derived figure a format of :data:`DERIVED` shows."""
        return f"d_{self.figure_id}_{self.DERIVED[spec]}"

    def _linked(self, text: str) -> str:
        return f"[{md_text(text)}]({source_link(self.figure_id)})" if self.links else text

    def __format__(self, spec: str) -> str:
        f = figure(self.figure_id)
        if spec == "":
            return self._linked(fmt_figure(self.figure_id, self.lang))
        if spec == "n":
            return self._linked(figure_number(self.figure_id, self.lang))
        if spec == "bare":
            return self._linked(fmt_figure(self.figure_id, self.lang, qualifier=False))
        if spec == "label":
            return label(self.figure_id, self.lang)
        if spec == "unit":
            return unit_label(f["unit"], self.lang)
        if spec == "period":
            return period_label(f["period"], self.lang, self.figure_id)
        if spec == "to_date":  # the gloss a table's period and the charts say (one label)
            return to_date_gloss(self.lang, self.figure_id)
        if spec == "printed":  # the number's own characters in the report, as printed
            return printed_token(f)
        if spec == "quote":
            return str(f["quote"])
        if spec in self.DERIVED:
            if spec != "base" and derived_row(f"d_{self.figure_id}_2015")["value"] <= 0:
                return "n/a"
            return figure_text(self.derived_id(spec), self.lang)
        raise ValueError(f"unknown figure format {spec!r} (use '', n, bare, label, unit, "
                         "period, to_date, printed, quote, base, growth, cagr)")


class DerivedField:
    """A derived figure inside a :func:`sentence` template: ``{d_id}`` (value and unit),
    ``{d_id:n}`` (the number alone), ``{d_id:label}``, ``{d_id:formula}`` (ids),
    ``{d_id:words}`` (the formula in words, :func:`formula_text`). The number is rounded
    by the one display rule (:func:`figure_text`): a sentence cannot choose its own
    rounding, so a figure reads the same in prose, tables, charts and the audit. Only
    ``{d_id:unrounded}``, the number as computed (up to three decimals), shows what that
    rule starts from, for the page that explains it."""

    #: Formats that show the figure's value (marked with its id in linked sentences).
    VALUES = ("", "bare", "n")

    def __init__(self, derived_id: str, lang: str):
        self.derived_id, self.lang = derived_id, lang

    def __format__(self, spec: str) -> str:
        d = derived_row(self.derived_id)
        if spec in ("", "bare"):
            return figure_text(self.derived_id, self.lang, qualifier=False)
        if spec == "n":
            return figure_number(self.derived_id, self.lang)
        if spec == "label":
            return d[f"label_{self.lang}"]
        if spec == "formula":
            return d["formula"]
        if spec == "words":
            from .formulas import formula_text  # it writes ids with this module's labels

            return Markup(formula_text(d["formula"], self.lang)).striptags()
        if spec == "unrounded":
            return fmt_number(float(d["value"]), self.lang)
        raise ValueError(f"unknown derived format {spec!r} (use '', n, label, formula, "
                         "words, unrounded; the rounding is the display rule's, not the "
                         "sentence's)")


class ReferenceField:
    """A constant of outside knowledge (``data/reference.csv``) inside a :func:`sentence`
    template, named as formulas name it: ``{ref_<name>}`` (value and unit), ``{ref_<name>:n}``
    (the number alone), ``{ref_<name>:label}``, ``{ref_<name>:basis}`` (what it rests on,
    without its closing full stop, to sit inside a sentence).
    Never linked to the source page: it is not the report's."""

    def __init__(self, name: str, lang: str):
        self.name, self.lang = name, lang

    def __format__(self, spec: str) -> str:
        r = reference.table()[self.name]
        if spec == "":
            return fmt(reference.value(self.name), r.unit, self.lang)
        if spec == "n":
            return fmt_number(reference.value(self.name), self.lang)
        if spec in reference.WORD_SPECS:
            return r.words(spec, self.lang)
        raise ValueError(f"unknown reference format {spec!r} (use '', n, label, basis)")


#: The marks a note sets beside the report's words, as fields (``{sic}``), each written
#: one way, declared once in data/vocab/labels.csv: ``[sic]``, ``[nguyên văn]``.
NOTE_MARKS = {"sic": "note.mark.sic"}


#: The report's words a note marks as printed: ``“đồngđạt” {sic}``.
_MARKED_WORDS = re.compile(r"“([^”]+)” \{(" + "|".join(NOTE_MARKS) + r")\}")


def marked_words(figure_id: str) -> list[tuple[str, str]]:
    """(the report's words, mark text) for each slip the figure's note marks with a
    :data:`NOTE_MARKS` field, in the note's order, for a page that shows the quote
    without the note (the mark set after those words in the quote, as the note sets it)."""
    note = figure(figure_id)["note"]
    if not isinstance(note, str):
        return []
    return [(m.group(1), NOTE_MARKS[m.group(2)]) for m in _MARKED_WORDS.finditer(note)]


class _FigureFormatter(string.Formatter):
    def __init__(self, lang: str, ids: frozenset[str], links: bool):
        self.lang, self.ids, self.links = lang, ids, links

    def format_field(self, value, format_spec: str) -> str:
        if isinstance(value, LangText):
            return value.text(self.lang, self.links)
        if isinstance(value, numbers.Integral) and not isinstance(value, bool) \
                and (format_spec == "n" or "." in format_spec):
            return self._count(int(value), format_spec)
        text = super().format_field(value, format_spec)
        if not self.links:
            return text  # plain text
        if not isinstance(value, FigureField | DerivedField | ReferenceField):
            # a keyword value: text is data text, escaped; Md (the package's own Markdown:
            # a link, a count linked to the audit) and numbers are written as given
            plain = isinstance(value, str) and not isinstance(value, Md)
            return md_text(text) if plain else text
        if isinstance(value, FigureField) and format_spec in value.LINKED:
            return text  # a link whose text is already escaped
        if isinstance(value, FigureField) and format_spec in value.DERIVED and text != "n/a":
            # a derived value, marked as {d_id} is: the site shows its formula (QA-2130
            # S2: page 01's "14.8% more than in 2015" was plain text)
            return _marked(value.derived_id(format_spec), text)
        if isinstance(value, DerivedField) and format_spec == "formula":
            return text  # ids, numbers and + - * / ( ) only (formula.parse), often in `code`
        if isinstance(value, DerivedField) and format_spec in value.VALUES:
            # marked with its id (an attribute, never shown), so the site's tests can
            # hold every page to one string per figure
            return _marked(value.derived_id, text)
        return md_text(text)  # data text (labels, units, formulas) is shown, never markup

    def _count(self, count: int, spec: str) -> str:
        """A keyword count: ``{n:n}`` in the page's notation, ``{n:<label key>}`` the form
        of that counted label for ``n`` (:func:`dbanalysis.core.labels.counted`: "none is
        left over", "3 are left over"; data text, escaped in Markdown)."""
        number = fmt_number(count, self.lang)
        if spec == "n":
            return number
        text = labels.counted(spec, count, self.lang, n=number)
        return md_text(text) if self.links else text

    def get_value(self, key, args, kwargs):
        if isinstance(key, str) and key in NOTE_MARKS and key not in kwargs:
            return labels.text(NOTE_MARKS[key], self.lang)  # one form of a mark, everywhere
        if isinstance(key, str) and key not in kwargs and key in self.ids:
            return FigureField(key, self.lang, self.links)
        if isinstance(key, str) and key in derived_frame().index:
            return DerivedField(key, self.lang)
        if isinstance(key, str) and key.startswith("ref_") and key[4:] in reference.table():
            return ReferenceField(key[4:], self.lang)
        return super().get_value(key, args, kwargs)


@one_reading()
def sentence(template: str, lang: str | None = None, links: bool = True, **values) -> str:
    """Fill ``{figure_id}``, ``{d_id}`` and ``{ref_name}`` fields (see :class:`FigureField`,
    :class:`DerivedField`, :class:`ReferenceField`); other fields come from keyword
    arguments: a count ``{n}`` as given, ``{n:n}`` in the page's notation, ``{n:<label
    key>}`` in the counted label's form for that count (``{uncovered:method.left_over}``:
    its zero form, "none is left over", declared in data/vocab/labels.csv beside the
    others). Catalogued numbers are Markdown links to the source page unless
    ``links=False`` (chart titles, alt text).
    With links the result is Markdown and every field filled from the catalogue, the
    derived figures or a keyword's text is escaped (:func:`dbanalysis.core.markup.md_text`),
    by construction: only :class:`dbanalysis.core.markup.Md` (Markdown the package wrote)
    and numbers are inserted as given. Without links the result is plain text."""
    return formatter(lang, links).format(template, **values)


def data_sentence(template: str, lang: str | None = None, links: bool = True,
                  **values) -> str:
    """:func:`sentence` for a template that is data (a row of data/vocab/labels.csv): its
    words are data text too, escaped like a field's (:func:`dbanalysis.core.markup.md_text`),
    so a label edited to hold markup shows it as written; its fields are filled by the one
    formatter, as in :func:`sentence`. (The HTML twin, for a table cell:
    :func:`dbanalysis.render.explanations.sentence_html`.)"""
    fields = formatter(lang, links)
    out = []
    for literal, name, spec, conversion in fields.parse(template):
        out.append(md_text(literal) if links else literal)
        if name is not None:
            field = name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec
                                                                        else "")
            out.append(fields.format("{" + field + "}", **values))
    return "".join(out)


class LabelSentence(LangText):
    """A sentence of ``data/vocab/labels.csv`` as a :func:`sentence` field: its words are
    data text, escaped, and its fields (figures, derived figures) filled by the one
    formatter (:func:`data_sentence`). One template, said the same way on every page
    that shows it (the rounding of the poverty rate's relative reading, pages 00 and 04)."""

    def __init__(self, key: str):
        labels.template(key, "en")  # an unknown key fails here, where the page names it
        self.key = key

    def text(self, lang: str, links: bool) -> str:
        """The label's sentence in ``lang``, its fields filled (linked when ``links``)."""
        return data_sentence(labels.template(self.key, lang), lang, links)


def label_sentence(key: str) -> LabelSentence:
    """The sentence ``key`` of ``data/vocab/labels.csv`` for a :func:`sentence` field:
    ``db.say(en="{note}", vi="{note}", note=db.label_sentence(key))`` (see
    :class:`LabelSentence`)."""
    return LabelSentence(key)


def formatter(lang: str | None = None, links: bool = True) -> string.Formatter:
    """The one formatter of :func:`sentence`, for a caller that writes the filled fields in
    another markup (an HTML table cell: :func:`dbanalysis.render.explanations.sentence_html`)."""
    return _FigureFormatter(resolve(lang), figure_ids(), links)


def plain(template: str, lang: str | None = None, **values) -> str:
    """:func:`sentence` without links, for chart titles and other plain text."""
    return sentence(template, lang, links=False, **values)


def md(template: str, lang: str | None = None, **values):
    """:func:`sentence` as IPython Markdown, for narrative cells."""
    from IPython.display import Markdown

    return Markdown(sentence(template, lang, **values))


@one_reading()
def narrative(figure_ids: Iterable[str], lang: str | None = None):
    """A Markdown bullet list: label, formatted value (linked), period and id per figure."""
    from IPython.display import Markdown

    lang = resolve(lang)
    lines = []
    for fid in figure_ids:
        f = figure(fid)
        lines.append(f"- {md_text(f[f'label_{lang}'])}: **[{md_text(fmt_figure(fid, lang))}]"
                     f"({source_link(fid)})** ({md_text(f['period'])}; `{fid}`)")
    return Markdown("\n".join(lines))


def md_table(headers: Iterable[object], rows: Iterable[Iterable[object]],
             right: Iterable[int] = ()):
    """A small Markdown table for narrative cells; the columns at the positions in
    ``right`` are right-aligned. Every header and cell is data text, escaped
    (:func:`dbanalysis.core.markup.md_text`: a ``|`` cannot end the cell, a line break becomes a
    space, ``<img …>`` or ``[x](javascript:…)`` is shown as written), except
    :class:`dbanalysis.core.markup.Md`, the package's own Markdown (bold, a link to the site).

    >>> md_table(["a", "n"], [["x|y", 2]], right=(1,)).data.splitlines()
    ['| a | n |', '| :--- | ---: |', '| x\\\\|y | 2 |']
    """
    from IPython.display import Markdown

    head: list[str] = [md_text(h) for h in headers]
    aligned = set(right)
    rule = ["---:" if i in aligned else ":---" for i in range(len(head))]
    body: list[list[str]] = [[md_text(c) for c in row] for row in rows]
    # Md cells are written as given: only a line break could still break the table
    cells = [[c.replace("\n", " ") for c in line] for line in (head, rule, *body)]
    return Markdown("\n".join(f"| {' | '.join(line)} |" for line in cells))
