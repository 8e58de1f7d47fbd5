"""Vietnamese number notation: ``.`` groups thousands, ``,`` is the decimal mark.

``26.142,56`` is 26142.56, ``42.998`` is 42998 and ``1,558`` is 1.558 (a decimal, not
1558).  Parsing is delegated to :func:`babel.numbers.parse_decimal` in *strict* mode with
the ``vi`` locale.  Non-strict babel and ``pandas.read_csv(thousands=".", decimal=",")``
silently misread malformed input (``26.14`` becomes 2614), so they are never used here.

Babel's strict mode still accepts a few things that are not Vietnamese prose numbers
(signs, exponents, ``NaN``/``Infinity``, ``_`` separators, non-ASCII digits, a bare
``,5``), so every input is first checked against an explicit shape regex.
"""

from __future__ import annotations

import math
import re
import unicodedata
from decimal import Decimal, DecimalException

import babel.numbers

from ..core import paths
from ..core.cache import memo
from ..core.inputs import InputError, Problem
from ..core.validation import read as read_table

__all__ = [
    "DECIMAL_MARK",
    "GROUP_MARK",
    "NUMBER",
    "NumberFormatError",
    "detect_qualifier",
    "in_english_notation",
    "parse_fraction",
    "parse_number",
    "parse_range",
    "printed_decimals",
    "qualifier_words",
]


class NumberFormatError(ValueError):
    """Raised when text is not a well-formed Vietnamese number, range or fraction.

    The message always contains ``repr()`` of the offending input.  It subclasses
    :class:`ValueError`, so ``except ValueError`` also catches it.
    """


# Babel strict accepts "-5", "+5", "1e5", "NaN", "Infinity", "1_000", ",5", "١٢" and
# full-width digits; none of these is how a Vietnamese report writes a number, so the shape
# is checked first.  ASCII digits only: either correctly grouped thousands ("1.033,772")
# or an ungrouped run of digits ("04", "2015"), each with an optional decimal part.
#: The decimal mark and the thousands separator of Vietnamese notation, as babel's ``vi``
#: locale gives them (``,`` and ``.``): the one declaration every reading of a printed
#: number uses (its shape, its decimals, its half unit, the same number in English).
DECIMAL_MARK: str = babel.numbers.get_decimal_symbol("vi")
GROUP_MARK: str = babel.numbers.get_group_symbol("vi")
_D, _G = re.escape(DECIMAL_MARK), re.escape(GROUP_MARK)
_SHAPE = re.compile(rf"[0-9]{{1,3}}(?:{_G}[0-9]{{3}})*(?:{_D}[0-9]+)?|[0-9]+(?:{_D}[0-9]+)?")
#: A printed number as a regex, before its shape is checked: runs of digits joined by
#: either mark (``26.142,56``; also a malformed ``26.14``, which parsing then refuses).
NUMBER = rf"[0-9]+(?:[{_G}{_D}][0-9]+)*"
_NUM = NUMBER
_DASHES = "-\u2013\u2014"  # hyphen-minus, en dash, em dash
_RANGE = re.compile(
    rf"(?:từ\s+)?({_NUM})(?:\s*[{_DASHES}]\s*|\s+(?:đến|tới)\s+)({_NUM})", re.IGNORECASE
)
_FRACTION = re.compile(rf"({_NUM})\s*/\s*({_NUM})")


def _strip(text: object) -> str:
    if not isinstance(text, str):
        raise NumberFormatError(f"expected a string, got {text!r}")
    # str.strip() removes ordinary whitespace and NBSP (U+00A0) at the ends only.
    return unicodedata.normalize("NFC", text).strip()


def parse_number(text: str) -> float:
    """Parse one Vietnamese-notation number (``"26.142,56"`` -> 26142.56).

    Surrounding whitespace (including NBSP) is ignored; leading zeros (``"04"``) are valid.
    Raises :class:`NumberFormatError` for anything else, including ``""`` and non-strings.

    >>> parse_number("26.142,56"), parse_number("42.998"), parse_number("1,558")
    (26142.56, 42998.0, 1.558)
    >>> parse_number("26.14")
    Traceback (most recent call last):
    ...
    dbanalysis.catalogue.numbers.NumberFormatError: '26.14' is not a Vietnamese-notation number
    """
    s = _strip(text)
    if not _SHAPE.fullmatch(s):
        raise NumberFormatError(f"{text!r} is not a Vietnamese-notation number")
    try:
        value: Decimal = babel.numbers.parse_decimal(s, locale="vi", strict=True)
    except babel.numbers.NumberFormatError as exc:
        raise NumberFormatError(f"{text!r} is not a Vietnamese-notation number: {exc}") from exc
    except DecimalException as exc:  # babel's strict re-check of very long grouped numbers
        raise NumberFormatError(f"{text!r} has too many digits to be read exactly") from exc
    result = float(value)
    if not math.isfinite(result):
        raise NumberFormatError(f"{text!r} is out of the float range")
    return result


def parse_range(text: str) -> tuple[float, float]:
    """Parse ``"30.500 đến 31.500"``, ``"15-18"``, ``"15 – 18"`` or ``"từ 15 đến 18"``.

    Returns ``(low, high)``; raises :class:`NumberFormatError` if the text is not a range
    or if ``low > high``.

    >>> parse_range("30.500 đến 31.500"), parse_range("từ 15 đến 18")
    ((30500.0, 31500.0), (15.0, 18.0))
    """
    m = _RANGE.fullmatch(_strip(text))
    if m is None:
        raise NumberFormatError(f"{text!r} is not a range")
    low, high = parse_number(m.group(1)), parse_number(m.group(2))
    if low > high:
        raise NumberFormatError(f"{text!r} is not a range: low > high")
    return low, high


def parse_fraction(text: str) -> tuple[float, float]:
    """Parse ``"342/465"`` into ``(342.0, 465.0)``; a zero denominator is an error.

    >>> parse_fraction("19/21")
    (19.0, 21.0)
    """
    m = _FRACTION.fullmatch(_strip(text))
    if m is None:
        raise NumberFormatError(f"{text!r} is not a fraction")
    numerator, denominator = parse_number(m.group(1)), parse_number(m.group(2))
    if denominator == 0:
        raise NumberFormatError(f"{text!r} has a zero denominator")
    return numerator, denominator


def printed_decimals(number: str) -> int:
    """The decimals of a number printed in Vietnamese notation (the digits after its
    :data:`DECIMAL_MARK`).

    >>> printed_decimals("26.142,56"), printed_decimals("42.998"), printed_decimals("3,7")
    (2, 0, 1)
    """
    return len(number.rsplit(DECIMAL_MARK, 1)[1]) if DECIMAL_MARK in number else 0


def in_english_notation(number: str) -> str:
    """A number printed in Vietnamese notation written in English notation: the
    separators of babel's ``vi`` locale swapped for those of ``en``.

    >>> in_english_notation("26.142,56")
    '26,142.56'
    """
    return number.translate(str.maketrans(
        DECIMAL_MARK + GROUP_MARK,
        babel.numbers.get_decimal_symbol("en") + babel.numbers.get_group_symbol("en")))


@memo("vocab/qualifier_words.csv", "vocab/qualifiers.csv", "schemas/input/vocab")
def qualifier_words() -> dict[str, str]:
    """Vietnamese words written just before a number, mapped to a qualifier id.

    Read from ``data/vocab/qualifier_words.csv`` (``word,qualifier``); the qualifiers'
    labels are in ``qualifiers.csv`` (:func:`dbanalysis.catalogue.vocab.qualifiers`).

    >>> qualifier_words()["hơn"]
    'over'
    """
    path = paths.vocab_dir() / "qualifier_words.csv"
    rows = read_table("input/vocab/qualifier_words", path)
    words: dict[str, str] = {}
    first: dict[str, int] = {}
    problems = []
    for r in rows:
        word = " ".join(unicodedata.normalize("NFC", r["word"]).lower().split())
        if word in words:
            problems.append(Problem(r["line"], r["word"], f"the word {word!r} is listed "
                                    f"twice (first on line {first[word]}, case aside)"))
        words.setdefault(word, r["qualifier"].strip())
        first.setdefault(word, r["line"])
    if problems:
        raise InputError(path, problems)
    return words


#: Letters of a word before a number (a qualifier word is letters, spaces between words).
_WORDS_AT_END = re.compile(r"(?<!\w)((?:[^\W\d_]+\s+)*[^\W\d_]+)[\s:]*$")


def detect_qualifier(prefix_text: str) -> str | None:
    """Return the qualifier id of the words ending ``prefix_text``, or ``None``.

    ``prefix_text`` is the text right before a number: ``"cho trên "`` -> ``"over"``,
    ``"tổng đàn gia cầm ước đạt "`` -> ``"estimate"``.  Only the words immediately before
    the number count (``"ước tính đạt "`` is also accepted); matching is on whole words,
    case-insensitive, after NFC normalisation.

    >>> detect_qualifier("tổng đàn gia cầm ước đạt "), detect_qualifier("có ")
    ('estimate', None)
    """
    if not isinstance(prefix_text, str):
        return None
    tail = unicodedata.normalize("NFC", prefix_text[-60:])
    m = _WORDS_AT_END.search(tail)
    if m is None:
        return None
    # The words before the number, longest phrase first; "ước tính đạt" reads as "ước
    # tính". A dict lookup per phrase: the time does not grow with the vocabulary.
    found = m.group(1).lower().split()
    words = qualifier_words()
    longest = max((len(w.split()) for w in words), default=0)
    for ending in (found, found[:-1] if found[-1] == "đạt" else []):
        for n in range(min(longest, len(ending)), 0, -1):
            hit = words.get(" ".join(ending[-n:]))
            if hit is not None:
                return hit
    return None
