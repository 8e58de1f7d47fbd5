"""Sentences the package writes, as bilingual templates in ``data/templates/<name>.csv``.

Each row is ``template_id,verdict,lang,text``: one sentence (or paragraph) per template,
verdict (``any`` when the text does not depend on it) and language; or, in a table
whose text does not depend on a verdict (``derived.csv``: the labels and assumptions
of the fixed derived figures), ``template_id,en,vi``: both languages on one row. Code computes a
verdict and named values; :func:`render` picks the row and fills its ``{name:fmt}``
fields, the placeholders ``data/findings.csv`` uses:

- a number: ``{x}`` (no decimals), ``{x:2}`` (two decimals), ``{x:-2}`` (to hundreds),
  in the language's notation, rounded half up (26.25 -> 26.3), a true minus sign;
- ``{term:outside knowledge}``: a term of the glossary (``data/vocab/glossary.csv``)
  in the language (in English, the term itself);
- a :class:`Shown` figure: a catalogued or derived figure's number as the one display
  rule writes it (:func:`dbanalysis.derive.precision.display_text`); a template cannot
  choose its rounding (``{x:2}`` on it is an error), so the audit writes a figure as
  every page does. A quantity that is not the figure as shown (the unrounded ratio a
  check is about, a tolerance, a gap) is a plain number and its template names it so
  ("computed: 19,688.122");
- a :class:`Phrase` (another template of the same table, e.g. a noun), a
  :class:`ByLang` (a text given in both languages, e.g. a figure's label) or a
  :class:`Printed` number (as the report prints it; in English with its separators
  swapped); any other text is inserted as given.

A Vietnamese template with a field its English twin has not, a template id
with a verdict in one language only, or an unknown field is an input error naming
the file and line (``dbanalysis check`` validates every table).
"""

from __future__ import annotations

import decimal
import math
import re
import string
from dataclasses import dataclass, field
from typing import Any

from babel.numbers import format_decimal

from ..core import paths, schema, validation
from ..core.cache import memo
from ..core.inputs import InputError, Problem
from ..core.language import check
from . import reference, vocab
from .numbers import in_english_notation

__all__ = ["ANY", "MARK", "ByLang", "Num", "Phrase", "Printed", "Shown", "TemplateError",
           "names", "number", "render", "table", "template_ids", "unmarked"]

#: The verdict of a template that holds whatever the verdict is.
ANY = "any"
#: A true minus sign (U+2212), as the typography of both editions writes it.
MINUS = "\u2212"


#: A :class:`Shown` figure in a text rendered with ``marks=True``: ``\ue000<id>\ue001<number>
#: \ue002`` (private-use characters, never in a template or a figure's text), so that a
#: page can link or mark the number with its figure id (:func:`unmarked` removes them).
MARK = re.compile("\ue000([a-z0-9_]+)\ue001([^\ue000-\ue002]*)\ue002")


def unmarked(text: str) -> str:
    """``text`` with the marks of :data:`MARK` reduced to the numbers they hold."""
    return MARK.sub(r"\2", text)


class TemplateError(InputError):
    """A template table is invalid; names the file and every bad line."""

    what = "template table"


def number(x: float, decimals: int = 0, lang: str = "en", bound: str = "") -> str:
    """``x`` in the language's notation with ``decimals`` decimals, rounded half up
    (``26.25`` -> ``26.3`` with one decimal), a negative number with a true minus sign;
    ``decimals`` < 0 rounds to tens, hundreds, … and shows no decimals. A ``bound``
    (``lower``/``upper``: an interval's low end, its high end or half-width) is rounded
    outward, as :data:`dbanalysis.catalogue.vocab.BOUND_ROUNDING` declares (down, up), from
    its value taken to :data:`~dbanalysis.catalogue.vocab.BOUND_NOISE_PLACES` places past
    the printed one (the float
    noise of interval arithmetic, ``0.015000000003``, is not a reason to print ``0.016``;
    a large value keeps every digit it prints: ``1234567891.7`` up is ``1,234,567,892``)."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a" if check(lang) == "en" else "không có"
    x = float(vocab.round_as_shown(x, decimals, bound))
    decimals = max(decimals, 0)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    with decimal.localcontext() as ctx:
        ctx.rounding = decimal.ROUND_HALF_UP
        text = format_decimal(decimal.Decimal(str(x)), format=pattern,
                              locale="vi" if check(lang) == "vi" else "en")
    return text.replace("-", MINUS)




@dataclass(frozen=True)
class Num:
    """A number with the decimals it is shown with (a ``{name:N}`` field overrides them);
    ``bound``: ``lower``/``upper`` for an interval's low end / high end or half-width,
    rounded outward (:func:`number`)."""

    value: float
    decimals: int = 0
    bound: str = ""


@dataclass(frozen=True)
class Shown:
    """A catalogued or derived figure's number as the display rule writes it, in both
    languages (``15.3`` / ``15,3``); built by the audit with
    :func:`dbanalysis.derive.precision.display_text`."""

    figure_id: str
    en: str
    vi: str


@dataclass(frozen=True)
class Phrase:
    """Another template of the same table (verdict ``any``), e.g. a noun or a clause,
    filled with its own ``values``."""

    template_id: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ByLang:
    """A text given in both languages (a figure's label, a unit)."""

    en: str
    vi: str


@dataclass(frozen=True)
class Printed:
    """A number as the report prints it (``102,35``); in English ``102.35``."""

    text: str

    def in_lang(self, lang: str) -> str:
        """The number in ``lang``: as printed in Vietnamese, separators swapped in English."""
        if lang == "vi":
            return self.text
        return in_english_notation(self.text)


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _path(name: str):
    return paths.data_dir() / "templates" / f"{name}.csv"


@memo("templates", "schemas/input/templates", "reference.csv")
def table(name: str) -> dict[tuple[str, str, str], str]:
    """The templates of ``data/templates/<name>.csv`` by (template id, verdict, language)."""
    sch = schema.load(f"input/templates/{name}")
    rows, problems = validation.read_rows(sch)
    out: dict[tuple[str, str, str], str] = {}
    lines: dict[tuple[str, str, str], int] = {}
    rejected: set[tuple[str, str, str]] = set()  # texts reported as not templates
    for r in rows:
        # a table with `en` and `vi` columns holds both languages on one row (verdict any)
        texts = ([((r["template_id"], ANY, lang), r[lang]) for lang in ("en", "vi")]
                 if "en" in sch.columns else
                 [((r["template_id"], r["verdict"], r["lang"]), r["text"])])
        for key, text in texts:
            try:
                _fields(text)
            except ValueError as exc:  # '{' without its '}', a field name with a brace, …
                problems.append(Problem(r["line"], r["template_id"], f"{key[2]}: not a template "
                                        f"({exc}); write a brace as {{{{ or }}}}"))
                rejected.add(key)
                continue
            out[key] = text
            lines[key] = r["line"]
    for (tid, verdict, lang), text in out.items():
        twin = "vi" if lang == "en" else "en"
        other = out.get((tid, verdict, twin))
        if other is None and (tid, verdict, twin) not in rejected:  # (else reported above)
            problems.append(Problem(lines[(tid, verdict, lang)], tid,
                                    f"verdict {verdict!r} has a {lang} text but no {twin} text"))
        elif other is not None and lang == "vi" and not _fields(text) <= _fields(other):
            # the Vietnamese may say a number once where the English says it twice ways
            problems.append(Problem(lines[(tid, verdict, lang)], tid,
                                    f"the vi text has fields the en text has not: "
                                    f"{sorted(_fields(text) - _fields(other))} "
                                    f"(verdict {verdict!r})"))
        for _, name_, spec, _ in string.Formatter().parse(text):
            if name_ == "term" and spec not in vocab.glossary().index:
                problems.append(Problem(lines[(tid, verdict, lang)], tid,
                                        f"{{term:{spec}}}: not a term of data/vocab/glossary.csv"))
            if name_ and is_reference(name_) and spec not in REFERENCE_SPECS:
                problems.append(Problem(lines[(tid, verdict, lang)], tid,
                                        f"{{{name_}:{spec}}}: a constant of outside knowledge "
                                        "takes no format, :label or :basis"))
    if problems:
        raise TemplateError(sch.data_path, problems)
    return out


def names() -> list[str]:
    """Every template table (``data/templates/<name>.csv``), by name."""
    return sorted(p.stem for p in (paths.data_dir() / "templates").glob("*.csv"))


def template_ids(name: str) -> set[str]:
    """The template ids of a table."""
    return {tid for tid, _, _ in table(name)}


class _Formatter(string.Formatter):
    def __init__(self, name: str, lang: str, marks: bool = False):
        self.name, self.lang, self.marks = name, lang, marks

    def get_value(self, key, args, kwargs):
        if key == "term":
            return _Term()
        if isinstance(key, str) and key not in kwargs and is_reference(key):
            return _Reference(key)
        return super().get_value(key, args, kwargs)

    def format_field(self, value: Any, spec: str) -> str:
        lang = self.lang
        if isinstance(value, _Term):
            return vocab.term(spec, lang)
        if isinstance(value, _Reference):
            return value.text(spec, lang)
        if isinstance(value, Shown):
            if spec:
                raise _FigureFormat(f"{{…:{spec}}} on the figure {value.figure_id}: a figure "
                                    "is written as the display rule rounds it, with no format")
            text = value.vi if lang == "vi" else value.en
            return f"\ue000{value.figure_id}\ue001{text}\ue002" if self.marks else text
        if isinstance(value, Phrase):
            return render(self.name, value.template_id, ANY, lang, marks=self.marks,
                          **value.values)
        if isinstance(value, ByLang):
            return value.vi if lang == "vi" else value.en
        if isinstance(value, Printed):
            return value.in_lang(lang)
        if isinstance(value, Num):
            return number(value.value, int(spec) if spec else value.decimals, lang, value.bound)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return str(value)
        return number(float(value), int(spec) if spec else 0, lang)


def is_reference(field_name: str) -> bool:
    """Whether ``field_name`` names a constant of outside knowledge, as formulas and
    sentences do: ``ref_<name>`` of ``data/reference.csv``."""
    return field_name.startswith("ref_") and field_name[4:] in reference.table()


def reference_text(field_name: str) -> ByLang:
    """The constant ``ref_<name>`` with its unit, in both languages (``4 communes``,
    ``4 xã``): a template says a count of outside knowledge in digits, as the report
    writes its own counts (``02 xã``, ``04 phong trào``), from the one declared value."""
    r = reference.table()[field_name[4:]]
    v = reference.value(field_name[4:])
    decimals = 0 if float(v).is_integer() else len(repr(float(v)).split(".")[1])
    texts = {lang: f"{number(float(v), decimals, lang)} "
                   f"{vocab.unit_label(r.unit, lang, one=v == 1)}" for lang in ("en", "vi")}
    return ByLang(texts["en"], texts["vi"])


#: What a template may say of a constant of outside knowledge (``{ref_<name>:<spec>}``):
#: its value with its unit (no spec), what it is (``label``), what it rests on
#: (``basis``, without its closing full stop, to sit inside a sentence); the same as a
#: note's (:class:`dbanalysis.views.text.ReferenceField`), so a source or a ratio that
#: reference.csv holds is not typed again in a sentence.
REFERENCE_SPECS = ("", *reference.WORD_SPECS)


class _Reference:
    """A constant of outside knowledge inside a template: ``{ref_<name>[:spec]}``."""

    def __init__(self, field_name: str):
        self.field_name = field_name

    def text(self, spec: str, lang: str) -> str:
        if spec == "":
            t = reference_text(self.field_name)
            return t.vi if lang == "vi" else t.en
        if spec in reference.WORD_SPECS:
            return reference.table()[self.field_name[4:]].words(spec, lang)
        raise _FigureFormat(f"{{{self.field_name}:{spec}}}: a constant of outside knowledge "
                            f"takes no format, :label or :basis")


class _FigureFormat(ValueError):
    """A template gives a :class:`Shown` figure a format of its own."""


class _Term:
    """The glossary, inside a template: ``{term:<English term>}``."""


def render(name: str, template_id: str, verdict: str, lang: str, /, marks: bool = False,
           **values: Any) -> str:
    """The template ``template_id`` of table ``name`` for ``verdict`` (else its ``any``
    row) in ``lang``, its fields filled from ``values``; with ``marks``, each
    :class:`Shown` figure inside :data:`MARK`."""
    rows = table(name)
    text = rows.get((template_id, verdict, check(lang)))
    if text is None:
        text = rows.get((template_id, ANY, lang))
    if text is None:
        raise KeyError(f"no template {template_id!r} for verdict {verdict!r} in "
                       f"{_path(name)}")
    try:
        return _Formatter(name, lang, marks).format(text, **values)
    except _FigureFormat as exc:  # an edit of the data: an input error naming its line
        sch = schema.load(f"input/templates/{name}")
        read, _ = validation.read_rows(sch)
        line = next((int(r["line"]) for r in read if r["template_id"] == template_id
                     and r.get("text", r.get(lang)) == text), 0)
        raise TemplateError(sch.data_path, [Problem(line, template_id, str(exc))]) from None
    except KeyError as exc:
        raise KeyError(f"template {template_id!r} ({verdict}, {lang}) of {_path(name)} "
                       f"needs the value {exc.args[0]!r}") from None
