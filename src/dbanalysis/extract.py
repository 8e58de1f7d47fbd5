"""Find numeric quantities (number + unit) in Vietnamese prose.

This is hand-written because no library tokenises quantities in Vietnamese running text:
general NER/quantity tools target English, and Vietnamese word segmenters do not attach
units, multipliers (``vạn``, ``nghìn``, ``tỷ``) or qualifiers (``trên``, ``ước đạt``) to
numbers, nor tell a count from a date, a document number (``34-CT/TW``) or a year label
(``năm 2015``, ``giai đoạn 2015-2020``).  The scanner below only finds and classifies the
spans; the numeric reading itself is delegated to :mod:`dbanalysis.numbers` (babel, strict).

The input is expected in NFC (as almost all web text is); offsets index the given string.
"""

from __future__ import annotations

import re

import pandas as pd

from dbanalysis.numbers import (
    NumberFormatError,
    detect_qualifier,
    parse_fraction,
    parse_number,
    parse_range,
)

__all__ = ["COLUMNS", "find_quantities"]

COLUMNS = [
    "start", "end", "text", "number_start", "number_end", "value", "unit", "qualifier",
    "form", "multiplier",
]  # fmt: skip
_DTYPES = {
    "start": "int64", "end": "int64", "text": "object", "number_start": "int64",
    "number_end": "int64", "value": "float64", "unit": "object", "qualifier": "object",
    "form": "object", "multiplier": "float64",
}  # fmt: skip

# Surface form -> unit id of data/vocab/units.csv.  Matched longest first, case-insensitive.
UNIT_WORDS: dict[str, str] = {
    "ha": "ha", "m2": "m2", "m²": "m2", "km": "km", "tấn": "tonne", "tạ": "quintal",
    "kg/người/năm": "kg_per_person_year", "kg": "kg", "con": "head",
    "hộ": "household", "hộ gia đình": "household", "gia đình": "family",
    "người": "person", "lượt": "visit", "lao động": "worker", "học viên": "trainee",
    "cán bộ": "official", "cá nhân": "individual", "tập thể": "collective",
    "nghệ nhân": "artisan", "bác sỹ": "doctor", "bác sĩ": "doctor",
    "bác sỹ/vạn dân": "doctors_per_10k", "bác sĩ/vạn dân": "doctors_per_10k",
    "xã": "commune", "thôn": "village", "bản": "village", "thôn bản": "village",
    "thôn, bản": "village", "trường": "school", "cơ quan": "agency", "đơn vị": "agency",
    "trạm y tế": "health_station", "tổ": "team", "cụm": "cluster", "clb": "club",
    "câu lạc bộ": "club", "phong trào": "movement", "di sản": "heritage_item",
    "nhà": "house", "tiêu chí": "criterion", "năm": "year", "%": "percent",
    "triệu đồng": "million_vnd", "tỷ đồng": "billion_vnd", "tỉ đồng": "billion_vnd",
    "đồng": "vnd",
}  # fmt: skip
MULTIPLIERS: dict[str, float] = {
    "vạn": 1e4, "nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9,
}  # fmt: skip

_SP = "[ \t\u00a0\u202f]"  # horizontal space incl. NBSP; never a line break


_GLUED_OK = {"%", "triệu đồng", "tỷ đồng", "tỉ đồng"}
_DONG_COMPOUNDS = "hành|bào|chí|thời|ý|tình|bộ|loạt|ruộng|hồ|đều|nghĩa|phục|tâm|lòng"


def _word(w: str) -> str:
    return re.escape(w).replace(r"\ ", f"{_SP}+").replace(",", f",{_SP}*")


def _alternative(w: str) -> str:
    # Money units may be glued to the next word (the report has "tỉ đồngđạt") and "%"
    # needs no boundary; every other unit must end a word.  "năm" is a unit only as a
    # duration ("5 năm", not "... năm 2015") and bare "đồng" is not money in common
    # compounds ("4 đồng hành").
    tail = "" if w in _GLUED_OK else r"(?!\w)"
    if w == "năm":
        tail += rf"(?!{_SP}*[0-9])"
    if w == "đồng":
        tail += rf"(?!{_SP}+(?:{_DONG_COMPOUNDS})(?!\w))"
    return _word(w) + tail


def _alternation(words) -> str:
    return "|".join(_alternative(w) for w in sorted(words, key=len, reverse=True))


_UNIT_RE = re.compile(rf"{_SP}?({_alternation(UNIT_WORDS)})", re.IGNORECASE)
_MULT_RE = re.compile(rf"{_SP}?({_alternation(MULTIPLIERS)})", re.IGNORECASE)

_NUM = r"[0-9]+(?:[.,][0-9]+)*"
_START = re.compile(r"(?<!\w)(?<![0-9][.,/:])(?<!\w[-\u2013\u2014/])[0-9]")
_DATE = re.compile(
    r"[0-9]{1,2}([/.\-])[0-9]{1,2}\1[0-9]{2,4}(?![0-9])|[0-9]{1,2}:[0-9]{2}(?::[0-9]{2})?"
)
_FRACTION = re.compile(rf"({_NUM})/({_NUM})(?![/0-9])")
_RANGE = re.compile(
    rf"({_NUM})(?:{_SP}*[-\u2013\u2014]{_SP}*|{_SP}+(?:đến|tới){_SP}+)({_NUM})", re.IGNORECASE
)
_PLAIN = re.compile(_NUM)
# Glued to a letter after "-" (34-CT/TW) or to an upper-case letter after "/"
# (1234/QĐ-UBND), or to more digits via "/" or ":" (23/2012/TT-BCA) -> an identifier, not a
# quantity; the whole non-space token is skipped.  "100/năm" (per year) is not skipped.
_IDENTIFIER_TAIL = re.compile(
    r"[-\u2013][^\W\d_]|/(?=[^\W\d_])(?!\w*[a-zđ])|[/:][0-9]|\.(?:jpe?g|png|gif|pdf|docx?)\b"
)
_TOKEN = re.compile(r"\S+")
_YEAR = re.compile(r"(?:19[0-9]{2}|20[0-9]{2}|2100)")
_YEAR_LABEL_BEFORE = re.compile(r"(?<!\w)(?:năm|giai\s+đoạn|nhiệm\s+kỳ)\s*$", re.IGNORECASE)
_YEAR_WEAK_BEFORE = re.compile(r"(?:(?<!\w)(?:từ|đến|tới)\s*|\(\s*)$", re.IGNORECASE)
_ORDINAL_BEFORE = re.compile(r"(?<!\w)thứ\s*$", re.IGNORECASE)
_LABEL_BEFORE = re.compile(r"(?<!\w)(?<!dân\s)số\s*$", re.IGNORECASE)  # not "dân số"
_DATE_BEFORE = re.compile(r"(?<!\w)(?:ngày|tháng)\s*$", re.IGNORECASE)


def _is_year(token: str) -> bool:
    return _YEAR.fullmatch(token) is not None


def _suffix(text: str, pos: int) -> tuple[str | None, float, int]:
    """Unit id, multiplier and end offset of the unit/multiplier words at ``pos``."""
    m = _UNIT_RE.match(text, pos)
    if m is not None:
        word = re.sub(rf",{_SP}*", ", ", re.sub(rf"{_SP}+", " ", m.group(1))).lower()
        return UNIT_WORDS[word], 1.0, m.end()
    m = _MULT_RE.match(text, pos)
    if m is not None:
        factor = MULTIPLIERS[m.group(1).lower()]
        unit, _, end = _suffix(text, m.end())
        return unit, factor, (end if unit is not None else m.end())
    return None, 1.0, pos


def _skip_token(text: str, pos: int) -> int:
    m = _TOKEN.match(text, pos)
    return m.end() if m else pos + 1


def _rows(text, start, nstart, nend, values, forms):
    """Build the rows of one quantity whose number span is text[nstart:nend]."""
    unit, factor, end = _suffix(text, nend)
    if end == nend and re.match(r"\w", text[nend : nend + 1]):
        return None, _skip_token(text, nstart)  # glued to an unknown word: "3G", "5abc"
    qualifier = detect_qualifier(text[max(0, start - 60) : start])
    span = (start, end, text[start:end], nstart, nend)
    rows = [
        dict(zip(COLUMNS, (*span, v * factor, unit, qualifier, form, factor), strict=True))
        for v, form in zip(values, forms, strict=True)
    ]
    return rows, end


def _match_at(text: str, pos: int):
    """Rows (or None to skip) for the number starting at ``pos``, and where to resume."""
    before = text[max(0, pos - 30) : pos]
    m = _DATE.match(text, pos)
    if m:
        return None, m.end()
    core = _PLAIN.match(text, pos)
    if core is None:  # no number starts at pos
        return None, pos + 1
    if _IDENTIFIER_TAIL.match(text, core.end()) and not _FRACTION.match(text, pos):
        return None, _skip_token(text, pos)

    m = _FRACTION.match(text, pos)
    if m:
        if _IDENTIFIER_TAIL.match(text, m.end()) or _DATE_BEFORE.search(before):
            return None, _skip_token(text, pos)
        try:
            num, den = parse_fraction(m.group(0))
        except NumberFormatError:
            return None, m.end()
        unit = _suffix(text, m.end())[0]
        if unit is None and _is_year(m.group(2)) and 1 <= num <= 12:
            return None, m.end()  # month/year, e.g. "4/2014"
        return _rows(
            text, pos, pos, m.end(), (num, den), ("fraction_numerator", "fraction_denominator")
        )

    m = _RANGE.match(text, pos)
    if m:
        low_s, high_s = m.group(1), m.group(2)
        if _is_year(low_s) and _is_year(high_s):
            return None, m.end()  # a period: "2015-2020", "(2020 – 2025)"
        if not _IDENTIFIER_TAIL.match(text, m.end()):
            try:
                low, high = parse_range(m.group(0))
            except NumberFormatError:
                return None, m.end()  # "18-15" or malformed: not a quantity we can read
            return _rows(text, pos, pos, m.end(), (low, high), ("range_low", "range_high"))

    token = core.group(0)
    try:
        value = parse_number(token)
    except NumberFormatError:
        return None, core.end()
    if _ORDINAL_BEFORE.search(before):
        return None, core.end()  # "lần thứ 5"
    if _LABEL_BEFORE.search(before) and _suffix(text, core.end())[2] == core.end():
        return None, core.end()  # "Nghị định số 91"
    if _is_year(token):
        if _YEAR_LABEL_BEFORE.search(before):
            return None, core.end()
        if _YEAR_WEAK_BEFORE.search(before) and _suffix(text, core.end())[0] is None:
            return None, core.end()
    return _rows(text, pos, pos, core.end(), (value,), ("number",))


def find_quantities(text: str) -> pd.DataFrame:
    """One row per numeric quantity in Vietnamese ``text`` (see module docstring).

    Columns: ``start``, ``end`` (``text[start:end]`` is number plus unit/multiplier words),
    ``text``, ``number_start``, ``number_end``, ``value`` (multiplier applied), ``unit``
    (units.csv id or None), ``qualifier`` (numbers.QUALIFIERS id or None), ``form``
    (``number``, ``fraction_numerator``/``_denominator``, ``range_low``/``_high``) and
    ``multiplier``.  Fractions and ranges give two rows sharing one span.  Dates, times,
    document numbers, year labels and periods, ordinals and digits inside words are skipped.
    """
    rows: list[dict] = []
    pos = 0
    while True:
        m = _START.search(text, pos)
        if m is None:
            break
        found, pos = _match_at(text, m.start())
        if found:
            rows.extend(found)
    # Built column by column so that a missing unit/qualifier stays None (not NaN).
    return pd.DataFrame({c: pd.Series([r[c] for r in rows], dtype=_DTYPES[c]) for c in COLUMNS})
