"""A document as the relation finders see it: its quantities, sentences and clauses.

The quantities are :func:`dbanalysis.catalogue.extract.find_quantities`' rows, each with the number
as printed and the half unit of its last printed digit (the audit's rule,
:func:`dbanalysis.audit.context.half_unit`: exact counts carry no rounding).  Sentences end
at ``.``/``!``/``?`` before a capital letter, at a line break that does not continue a
bullet list, and at the end of the text; clauses end at ``;`` too.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property

from ..audit.context import half_unit
from ..catalogue import vocab
from ..catalogue.extract import find_quantities
from ..catalogue.figures import number_span
from ..catalogue.numbers import DECIMAL_MARK, NUMBER, qualifier_words
from ..catalogue.units import is_count
from ..core.cache import memo

__all__ = ["Doc", "Quantity", "benchmark_of", "benchmark_words", "compatible", "convert",
           "is_count"]

_NUM = re.compile(NUMBER)
# A change word right before a number: "tăng 5.532 con", "giảm 3,6%", "tăng thêm 25 thôn".
_CHANGE_BEFORE = re.compile(
    r"(?<!\w)(tăng|giảm|vượt|hơn|thấp hơn|cao hơn)(?:\s+(?:thêm|được|lên|xuống|khoảng|gần|"
    r"hơn|trên|bình quân|mỗi năm|là))*\s*$", re.IGNORECASE)
#: "so với …" right after a change, and the year it names: "so với năm 2015", "so với cùng
#: kỳ năm 2023", "so với cuối năm 2019"; "so với cùng kỳ", "so với đầu nhiệm kỳ": no year.
_SO_VOI = re.compile(r"[^;.]{0,30}?so\s+với(?:\s+(?:cùng\s+kỳ|năm|cuối\s+năm|đầu\s+kỳ|"
                     r"đầu\s+nhiệm\s+kỳ))*\s*(?:năm\s+)?((?:19|20)[0-9]{2})?", re.IGNORECASE)
_MONEY = {"vnd": 1.0, "million_vnd": 1e6, "billion_vnd": 1e9}
_SHARE = {"percent", "percentage_point"}


@dataclass(frozen=True)
class Quantity:
    """One number with its unit, as found in the document."""

    start: int
    end: int
    nstart: int
    nend: int
    value: float
    unit: str | None
    form: str
    printed: str
    half: float
    change: str | None  # "tăng"/"giảm"… when a change word stands right before it
    bound: bool  # "trên", "gần", "khoảng"… right before it

    @property
    def span(self) -> tuple[int, int]:
        """(start, end) of the number and its unit words."""
        return self.start, self.end


def compatible(a: str | None, b: str | None) -> bool:
    """The same unit, two money units, or a percentage and percentage points."""
    if a is None or b is None:
        return False
    return a == b or (a in _MONEY and b in _MONEY) or (a in _SHARE and b in _SHARE)


def convert(value: float, unit: str | None, target: str | None) -> float:
    """``value`` in ``unit`` expressed in ``target`` (money scales; others unchanged)."""
    if unit in _MONEY and target in _MONEY:
        return value * _MONEY[unit] / _MONEY[target]
    return value


def benchmark_words() -> str:
    """The words of data/vocab/benchmarks.csv, what a result is measured against (``kế
    hoạch``, ``KH``, ``dự toán``: a plan; ``chỉ tiêu``, ``nghị quyết``, ``NQ``, ``mục
    tiêu``: a target), as one regex alternation (longest first, any space between words;
    match it with ``re.IGNORECASE``): the finders' one list, and the catalogue's."""
    return _alternation(tuple(vocab.benchmark_words()))


def plan_after(text: str, pos: int) -> re.Match[str] | None:
    """The benchmark word right after a percentage ("% kế hoạch", "% so với chỉ tiêu",
    "% của Nghị quyết"; :func:`benchmark_words`), its word as group 1: the finders' and
    the draft catalogue's one reading of "a result against a plan"."""
    return re.compile(rf"\s*(?:so\s+với\s+|của\s+)?({benchmark_words()})(?!\w)",
                      re.IGNORECASE).match(text, pos)


@functools.lru_cache(maxsize=8)
def _alternation(words: tuple[str, ...]) -> str:
    return "|".join(r"\s+".join(map(re.escape, w.split()))
                    for w in sorted(words, key=len, reverse=True))


def benchmark_of(word: str) -> str:
    """``plan`` or ``target``: what a word :func:`benchmark_words` matched names."""
    return vocab.benchmark_words()[" ".join(unicodedata.normalize("NFC", word).lower().split())]


def _printed_parts(token: str) -> list[str]:
    return [m.group(0) for m in _NUM.finditer(token)]


class Doc:
    """The text of one document, its quantities and its sentence boundaries."""

    def __init__(self, text: str):
        self.text = text
        self.quantities = self._quantities()

    def _quantities(self) -> list[Quantity]:
        text = self.text
        out = []
        for r in find_quantities(text).itertuples():
            number_start, number_end = number_span(r)
            token = text[number_start:number_end]
            parts = _printed_parts(token) or [token]
            printed = parts[-1] if r.form in ("fraction_denominator", "range_high") else parts[0]
            if r.form == "compound":
                printed = token
            mult = float(r.multiplier)
            exact = (is_count(r.unit) and mult == 1.0 and float(r.value).is_integer()
                     and DECIMAL_MARK not in printed)
            half = 0.0 if exact or r.form == "compound" else half_unit(printed) * mult
            before = text[max(0, r.start - 40):r.start]
            change = _CHANGE_BEFORE.search(before)
            out.append(Quantity(
                int(r.start), int(r.end), number_start, number_end,
                float(r.value), r.unit, r.form, printed, half,
                change.group(1).lower() if change else None,
                _bound_before().search(before) is not None))
        return out

    @cached_property
    def sentence_ends(self) -> list[int]:
        """Sorted offsets where a sentence ends (exclusive), the text's length last."""
        text, ends = self.text, []
        for m in re.finditer(r"[.!?…]+[\"”’)\]]*|\n", text):
            if m.group(0) == "\n":
                if _BULLET.match(text, m.end()) \
                        and text[:m.start()].rstrip().endswith((":", ";", ",")):
                    continue  # a bullet list after "Trong đó:" goes on
                ends.append(m.end())
                continue
            nxt = re.match(r"\s*(\S)", text[m.end():m.end() + 20])
            if nxt and (nxt.group(1).isupper() or _ITEM.match(text[m.end():m.end() + 8])):
                ends.append(m.end())
        ends.append(len(text))
        return ends

    def sentence_of(self, pos: int) -> tuple[int, int]:
        """(start, end) of the sentence holding offset ``pos``."""
        start = 0
        for e in self.sentence_ends:
            if pos < e:
                return start, e
            start = e
        return start, len(self.text)

    def clause_of(self, pos: int) -> tuple[int, int]:
        """(start, end) of the clause (sentence cut at ';') holding ``pos``."""
        s, e = self.sentence_of(pos)
        left = self.text.rfind(";", s, pos)
        right = self.text.find(";", pos, e)
        return (left + 1 if left >= 0 else s), (right if right >= 0 else e)

    def between(self, start: int, end: int) -> list[Quantity]:
        """Quantities lying within ``[start, end)``, in order."""
        return [q for q in self.quantities if q.start >= start and q.end <= end]

    def against_year(self, q: Quantity) -> str | None:
        """The year a rise or fall is measured against: ``"2020"`` for "tăng (khoảng) 3.200
        con so với (cùng kỳ) năm 2020", when ``q`` is a rise or a fall (``q.change``) that
        "so với … YEAR" follows; else None. The baseline finder's and the draft
        catalogue's one reading (FINAL24-A 1: draft.py typed a narrower copy)."""
        if q.change not in ("tăng", "giảm"):
            return None
        m = _SO_VOI.match(self.text, q.end)
        return m.group(1) if m and m.group(1) else None

    def is_target(self, q: Quantity) -> bool:
        """A plan's amount: "kế hoạch năm (5.230 tỷ đồng)", "dự toán 26,3 tỷ đồng"."""
        before = self.text[max(0, q.start - 30):q.start]
        return re.search(rf"(?<!\w)(?:{benchmark_words()})(?:\s+[^\W\d_]+){{0,3}}\s*[(:]?\s*$",
                         before, re.IGNORECASE) is not None

    def quote(self, q: Quantity, words: int = 2) -> tuple[int, int]:
        """The span of ``q`` with up to ``words`` words before it (within its clause).
        A Vietnamese word is often two syllables, so two space-separated tokens cut
        "bình quân đạt 3,74%" to "quân đạt 3,74%": when the token right before the number
        is a verb (đạt, tăng, chiếm…) the quote starts at it, keeping a qualifier before
        it ("ước đạt", "dự kiến đạt": the words of data/vocab/qualifier_words.csv, the
        catalogue's; REVIEW-vi10 Z16, REREAD Q11)."""
        cs, _ = self.clause_of(q.start)
        pre = self.text[cs:q.start]
        m = re.search(rf"(?:[^\W\d_][\w]*[ \t\u00a0]+){{1,{words}}}$", pre)
        start = q.start - len(m.group(0)) if m else q.start
        if m and len(m.group(0).split()) > 1 and _VERB.fullmatch(m.group(0).split()[-1]):
            verb = re.search(r"[^\W\d_][\w]*[ \t\u00a0]+$", pre)
            assert verb is not None  # the last token of m
            start = cs + _kept_before(pre, verb.start())
        return start, q.end


@memo("vocab/qualifiers.csv", "vocab/qualifier_words.csv", "schemas/input/vocab")
def _bound_before() -> re.Pattern[str]:
    """A bound or approximation right before a number ("trên 90%", "gần 3 lần", "khoảng
    38%"): a word of data/vocab/qualifier_words.csv whose qualifier is approximate
    (:func:`dbanalysis.catalogue.vocab.approximate_words`), the catalogue's words."""
    words = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in vocab.approximate_words())
    return re.compile(rf"(?<!\w)({words})\s*$", re.IGNORECASE)


def _kept_before(pre: str, verb: int) -> int:
    """Where the quote of a number whose verb starts at ``pre[verb:]`` begins: at a
    qualifier phrase of data/vocab/qualifier_words.csv ending right before the verb ("ước
    tính đạt", "dự kiến đạt"), or at one of :data:`_ADVERB` ("chỉ đạt"), else at the verb."""
    offset = max(0, verb - 60)
    m = re.search(r"(?:[^\W\d_]+[ \t\u00a0]+)+$", pre[offset:verb])
    if m is None:
        return verb
    words = list(re.finditer(r"[^\W\d_]+", m.group(0)))
    table = qualifier_words()
    for n in range(min(max(len(w.split()) for w in table), len(words)), 0, -1):
        phrase = " ".join(unicodedata.normalize("NFC", w.group(0)).lower() for w in words[-n:])
        if phrase in table or (n == 1 and _ADVERB.fullmatch(phrase)):
            return offset + m.start() + words[-n].start()
    return verb


#: verbs (and "tại") a report puts right before a number ("đạt 3,74%", "tại 15/25 xã")
_VERB = re.compile(r"đạt|tăng|giảm|chiếm|vượt|bằng|còn|là|có|gồm|tại", re.IGNORECASE)
#: words before a number's verb that stay in its quote though no qualifier ("chỉ đạt 41%",
#: "mới đạt", "đã đạt", "đều đạt"); the qualifiers ("ước đạt", "dự kiến đạt") are the
#: words of data/vocab/qualifier_words.csv (:func:`_kept_before`)
_ADVERB = re.compile(r"chỉ|đã|đều|mới", re.IGNORECASE)
_BULLET = re.compile(r"[ \t]*[-+•*–]")
_ITEM = re.compile(r"\s*[0-9]{1,2}[.)]\s")
