"""What a relation finder returns, and how it becomes a check in both languages.

A :class:`Finding` names its kind, verdict, the quantities involved, the expected and
observed values and the key of its explanation; the sentences themselves are bilingual
templates in ``data/vocab/labels.csv`` (keys ``textaudit.<kind>.<case>``), filled with
numbers formatted by babel in each language.  :class:`Check` is the finished row.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from typing import Any

from ..catalogue import vocab
from ..catalogue.numbers import printed_decimals
from ..catalogue.sentences import number
from ..core import labels
from ..core.language import LANGS
from .spans import Doc, Quantity

__all__ = ["KINDS", "Check", "Finding", "Num", "Sum", "Unit", "Verbatim", "decimals_of"]

#: The kinds of check, in the order they are listed.
KINDS = ("parts_sum", "headline_total", "ratio", "baseline", "growth", "plan", "list_count")


@dataclass(frozen=True)
class Num:
    """A number to be written in each language with ``decimals`` decimals; ``bound``:
    ``upper`` for a half-width (``±``), rounded outward as the audit's are
    (:func:`dbanalysis.catalogue.sentences.number`)."""

    value: float
    decimals: int = 0
    bound: str = ""

    def render(self, lang: str) -> str:
        """The number in ``lang``, as the pages write one
        (:func:`dbanalysis.catalogue.sentences.number`: half away from zero, a true
        minus sign; it wrote 0.125 as 0.12 and -2.5 as -2 with a hyphen)."""
        return number(self.value, max(0, min(self.decimals, 4)), lang, self.bound)


@dataclass(frozen=True)
class Unit:
    """A unit id, written with its label in each language; ``printed``: the unit's words
    as the text prints them, if known."""

    unit: str | None
    printed: str | None = None

    @classmethod
    def of(cls, doc: Doc, q: Quantity) -> Unit:
        """The unit of ``q``. Where its Vietnamese label lists several nouns ("cơ quan, đơn
        vị, doanh nghiệp") and the text prints only one of them after the number ("23/28
        đơn vị", militia units), that one noun is kept to write in Vietnamese: the list
        would call the units agencies or enterprises (REVIEW-vi10 Z13)."""
        words = doc.text[q.nend:q.end].strip()
        label = _label(q.unit, "vi") if q.unit else ""
        after = doc.text[q.nend:q.nend + len(label) + 4].lstrip()
        if ", " in label and words in label.split(", ") and not after.startswith(label):
            return cls(q.unit, words)
        return cls(q.unit)

    def render(self, lang: str) -> str:
        """The unit's label in ``lang`` (in Vietnamese, the noun the text prints if kept)."""
        if self.unit is None:
            return ""
        if lang == "vi" and self.printed:
            return self.printed
        return _label(self.unit, lang)


def _label(unit: str, lang: str) -> str:
    try:
        return str(vocab.unit_label(unit, lang))
    except KeyError:
        from ..catalogue import units as unitlex

        return str(unitlex.unit_info(unit)["label_vi" if lang == "vi" else "label_en"])


@dataclass(frozen=True)
class Verbatim:
    """Words of the report, the same in both languages."""

    text: str

    def render(self, lang: str) -> str:
        """The words in quotation marks."""
        return f"“{self.text}”"


@dataclass(frozen=True)
class Phrase:
    """A short label (a reading, a method) from labels.csv, in each language."""

    key: str
    fields: dict[str, Any] = field(default_factory=dict)

    def render(self, lang: str) -> str:
        """The label in ``lang`` with its fields filled."""
        return labels.text(self.key, lang, **{k: _render(v, lang) for k, v in self.fields.items()})


def _render(v: Any, lang: str, quotes: list[str] | None = None) -> str:
    """``v`` as text in ``lang``; with ``quotes``, a report's words (:class:`Verbatim`)
    stand as a placeholder, their text kept in ``quotes`` (:func:`_typeset_around`)."""
    if isinstance(v, Verbatim) and quotes is not None:
        quotes.append(v.render(lang))
        return f"\ue000{len(quotes) - 1}\ue001"
    if hasattr(v, "render"):
        return str(v.render(lang))
    if isinstance(v, list):
        return labels.joined((_render(x, lang, quotes) for x in v), lang)
    return str(v)


@dataclass(frozen=True)
class Sum:
    """Numbers written as a sum: "783 + 489 + 70"."""

    terms: tuple[Num, ...]

    def render(self, lang: str) -> str:
        """The terms joined with ' + ', each in ``lang``."""
        return " + ".join(t.render(lang) for t in self.terms)


def decimals_of(*qs: Quantity) -> int:
    """The most decimals any of ``qs`` is printed with."""
    return max(printed_decimals(q.printed) for q in qs)


@dataclass
class Finding:
    """One relation found and judged, before it is written out."""

    kind: str
    verdict: str
    quantities: list[Quantity]
    case: str  # the explanation template: textaudit.<kind>.<case>
    fields: dict[str, Any]
    expected: float | None = None
    observed: float | None = None
    tolerance: float | None = None


@dataclass
class Check:
    """A finished check: what the JSON, CSV, table and HTML outputs show."""

    check: str
    verdict: str
    quotes: list[str]
    spans: list[tuple[int, int]]
    expected: float | None
    observed: float | None
    tolerance: float | None
    explanation: dict[str, str]

    def as_dict(self) -> dict[str, Any]:
        """The check as a JSON-ready dict (non-finite numbers as None)."""
        def num(x: float | None) -> float | None:
            return None if x is None or not math.isfinite(x) else round(x, 6)

        return {"check": self.check, "verdict": self.verdict, "quotes": self.quotes,
                "spans": [list(s) for s in self.spans], "expected": num(self.expected),
                "observed": num(self.observed), "tolerance": num(self.tolerance),
                "explanation": dict(self.explanation)}


#: the space a template's "{number} {unit}" leaves before a percent sign: both languages
#: write "95%" and "2,95%/năm" (REVIEW-vi10 Z15); not inside the report's own words, which
#: are quoted as printed ("bằng 95 % kế hoạch" stays so)
_PERCENT_AFTER_SPACE = re.compile(r"(?<=\d)[ \u00a0](?=%)")
_QUOTE_PLACEHOLDER = re.compile("\ue000(\\d+)\ue001")


def _explain(key: str, lang: str, fields: dict[str, Any]) -> str:
    """The template ``key`` filled with ``fields`` in ``lang``, percent signs set close to
    their numbers everywhere but in the report's quoted words."""
    quotes: list[str] = []
    text = labels.text(key, lang, **{k: _render(v, lang, quotes) for k, v in fields.items()})
    text = _PERCENT_AFTER_SPACE.sub("", text)
    return _QUOTE_PLACEHOLDER.sub(lambda m: quotes[int(m.group(1))], text)


def finish(doc: Doc, f: Finding) -> Check:
    """The check of finding ``f``: quotes and spans from the text, both explanations."""
    spans = sorted({doc.quote(q) for q in f.quantities})
    key = f"textaudit.{f.kind}.{f.case}"
    explanation = {lang: _explain(key, lang, f.fields) for lang in LANGS}
    return Check(f.kind, f.verdict, [doc.text[s:e] for s, e in spans], spans,
                 f.expected, f.observed, f.tolerance, explanation)
