"""Find numeric quantities (number + unit) in Vietnamese prose.

This is hand-written because no library tokenises quantities in Vietnamese running text:
general NER/quantity tools target English, and Vietnamese word segmenters do not attach
units, multipliers (``vạn``, ``nghìn``, ``tỷ``) or qualifiers (``trên``, ``ước đạt``) to
numbers, nor tell a count from a date, a document number (``34-CT/TW``), a year
(``năm 2015``, ``cùng kỳ 2019``) or a numbered list item (``3. Giá trị sản xuất``).  The
scanner below only finds and classifies the spans; the numeric reading itself is
delegated to :mod:`dbanalysis.catalogue.numbers` (babel, strict), and the units are data
(:mod:`dbanalysis.catalogue.units`, ``data/vocab/unit_lexicon.csv``).

The input is expected in NFC (as almost all web text is); offsets index the given string.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd

from dbanalysis.catalogue import units as unitlex
from dbanalysis.catalogue.numbers import (
    DECIMAL_MARK,
    GROUP_MARK,
    NUMBER,
    NumberFormatError,
    detect_qualifier,
    parse_fraction,
    parse_number,
    parse_range,
)
from dbanalysis.core.cache import memo, one_reading

__all__ = ["COLUMNS", "FORMS", "MULTIPLIERS", "find_quantities", "unit_words"]

COLUMNS = [
    "start", "end", "text", "number_start", "number_end", "value", "unit", "qualifier",
    "form", "multiplier", "unit_text",
]  # fmt: skip
_DTYPES = {
    "start": "int64", "end": "int64", "text": "object", "number_start": "int64",
    "number_end": "int64", "value": "float64", "unit": "object", "qualifier": "object",
    "form": "object", "multiplier": "float64", "unit_text": "object",
}  # fmt: skip
FORMS = (
    "number", "compound", "fraction_numerator", "fraction_denominator", "range_low",
    "range_high",
)  # fmt: skip

# Number words written between a number and its unit: "2 vạn người", "1,5 triệu con".
MULTIPLIERS: dict[str, float] = {
    "vạn": 1e4, "nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9,
}  # fmt: skip

# Horizontal spaces of Vietnamese web text: space, tab, NBSP, figure space, thin space,
# narrow NBSP.  Never a line break.
_SPACES = " \t\u00a0\u2007\u2009\u202f"
_SP = f"[{_SPACES}]"
_YEAR_RE = r"(?:19[0-9]{2}|20[0-9]{2}|2100)"
_MODIFIER = re.compile(rf"{_SP}+[^\W\d_A-ZĐ]+(?=/)")  # a lower-case word right before "/"
_DONG_COMPOUNDS = "hành|bào|chí|thời|ý|tình|bộ|loạt|ruộng|hồ|đều|nghĩa|phục|tâm|lòng"


def unit_words() -> dict[str, str]:
    """Surface form -> unit id, as read from ``data/vocab/unit_lexicon.csv``."""
    return unitlex.surface_forms()


def _money_scale(form: str) -> float:
    """1e6 for "triệu đồng": the multiplier word a money unit starts with, else 1."""
    first = form.split()[0] if " " in form else ""
    return MULTIPLIERS.get(first, 1.0) if form.endswith("đồng") else 1.0


def _word(w: str) -> str:
    return re.escape(w).replace(r"\ ", f"{_SP}+").replace(",", f",{_SP}*")


def _alternative(w: str) -> str:
    # A unit must end a word ("5 mô hình" is not 5 metres), except a symbol ("%", "‰",
    # "m²") or a scaled money unit, which reports glue to the next word ("tỉ đồngđạt").
    # "năm" is a unit only as a duration ("5 năm"; not "quý 3 năm 2020", but "5 năm
    # 2016 - 2020" is five years); bare "đồng" is not money in common compounds
    # ("4 đồng hành").
    glued = not w[-1].isalpha() or _money_scale(w) > 1
    tail = "" if glued else r"(?![^\W_])"
    if w == "năm":
        period = rf"{_YEAR_RE}{_SP}*[-\u2013\u2014]{_SP}*{_YEAR_RE}(?![0-9])"
        tail += rf"(?!{_SP}*(?!{period})[0-9])"
    if w == "đồng":
        tail += rf"(?!{_SP}+(?:{_DONG_COMPOUNDS})(?!\w))"
    return _word(w) + tail


def _alternation(words) -> str:
    return "|".join(_alternative(w) for w in sorted(words, key=len, reverse=True))


@memo("vocab/units.csv", "vocab/unit_lexicon.csv")
def _patterns() -> dict[str, re.Pattern]:
    forms, per = unitlex.surface_forms(), unitlex.per_forms()
    return {
        "unit": re.compile(rf"{_SP}?({_alternation(forms)})", re.IGNORECASE),
        # The second half of a per-unit: "%/năm", "tạ/ha", "triệu đồng/người/năm".
        "per": re.compile(rf"{_SP}*/{_SP}*({_alternation(per)})", re.IGNORECASE),
        "mult": re.compile(rf"{_SP}?({_alternation(MULTIPLIERS)})(?!\w)", re.IGNORECASE),
    }


def _norm(form: str) -> str:
    return re.sub(rf",{_SP}*", ", ", re.sub(f"{_SP}+", " ", form)).lower()


def _unit_at(text: str, pos: int) -> tuple[str | None, float, int]:
    """Unit id, the scale of a money unit (1e6 for "triệu đồng") and the end offset."""
    pats = _patterns()
    m = pats["unit"].match(text, pos)
    if m is None:
        return None, 1.0, pos
    forms, per = unitlex.surface_forms(), unitlex.per_forms()
    form = _norm(m.group(1))
    base, dens, end = forms[form], [], m.end()
    # One modifier word may stand between a unit and its "/": "55 tạ thóc/ha",
    # "3 vụ lúa/năm" are quintals per ha and seasons per year.
    w = _MODIFIER.match(text, end)
    if w is not None and pats["per"].match(text, w.end()) is not None:
        end = w.end()
    while (p := pats["per"].match(text, end)) is not None:
        den = per[_norm(p.group(1))]
        if den == base or den in dens:
            break  # "thôn/bản" lists alternatives; it is not villages per village
        dens.append(den)
        end = p.end()
    return unitlex.compose(base, dens), _money_scale(form), end


def _suffix(text: str, pos: int) -> tuple[str | None, float, int]:
    """Unit id, multiplier and end offset of the unit/multiplier words at ``pos``."""
    unit, _, end = _unit_at(text, pos)
    if unit is not None:
        return unit, 1.0, end
    m = _patterns()["mult"].match(text, pos)
    if m is not None:
        factor = MULTIPLIERS[m.group(1).lower()]
        unit, _, end = _unit_at(text, m.end())
        return unit, factor, (end if unit is not None else m.end())
    return None, 1.0, pos


_WORD = re.compile(rf"{_SP}+([^\W\d_]+)")


def _unit_text(text: str, nend: int, unit_end: int) -> str:
    """The noun phrase after a number: its unit words, then words up to a stop word.

    "12 nhà văn hóa được xây" -> "nhà văn hóa"; "851 chiến sĩ, ..." -> "chiến sĩ".  A
    symbol unit ("%") or a per-unit ends the phrase; so do a stop word
    (``data/vocab/unit_text_stops.csv``), a capitalised word after the first (a name),
    punctuation and digits; at most six words.  "" when no word follows.
    """
    if unit_end > nend and _patterns()["unit"].match(text, nend) is None:
        m = _patterns()["mult"].match(text, nend)
        nend = m.end() if m else nend  # "1,5 triệu con gà" -> "con gà"
    head = text[nend:unit_end].strip(_SPACES)
    if head and (not head[-1].isalpha() or "/" in head):
        return head
    words = head.split()
    pos = unit_end
    stops = unitlex.stop_words()
    while len(words) < 6:
        m = _WORD.match(text, pos)
        if m is None:
            break
        w = m.group(1)
        if w.lower() in stops or (words and w[0].isupper()):
            break
        words.append(w)
        pos = m.end()
    return " ".join(words)


_NUM = NUMBER
_MARKS = re.escape(GROUP_MARK) + re.escape(DECIMAL_MARK)
_NEXT_PART = re.compile(rf"{_SP}+({_NUM})(?![0-9])")
# Thousands grouped with a space of any kind ("26 142 ha", "26\u202f142,56 ha").  Read
# as one number: the groups after the first have exactly three digits.
_GROUP = "[ \u00a0\u2007\u2009\u202f]"
_SPACED = re.compile(rf"[0-9]{{1,3}}(?:{_GROUP}[0-9]{{3}})+(?:{re.escape(DECIMAL_MARK)}[0-9]+)?"
                     rf"(?![0-9]|[{_MARKS}][0-9])")
_START = re.compile(rf"(?<![0-9])(?<![0-9][{_MARKS}/:])(?<!\w[-\u2013\u2014/])[0-9]")
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
_YEAR = re.compile(_YEAR_RE)
_YEAR_LABEL_BEFORE = re.compile(r"(?<!\w)(?:năm|giai\s+đoạn|nhiệm\s+kỳ)\s*$", re.IGNORECASE)
_ORDINAL_BEFORE = re.compile(r"(?<!\w)(?:thứ|hạng)\s*$", re.IGNORECASE)
_LABEL_BEFORE = re.compile(r"(?<!\w)(?<!dân\s)số\s*:?\s*$", re.IGNORECASE)  # not "dân số"
# A day, month or time of day names the number after it: "Ngày 19.8", "ngày 17-9",
# "ngày 24 tháng 4", "Chiều 9.6", "tháng 4/2014".
_DATE_BEFORE = re.compile(r"(?<!\w)(?:ngày|tháng|sáng|chiều|tối|trưa|đêm)\s*$", re.IGNORECASE)
_DAY_MONTH = re.compile(r"[0-9]{1,2}(?:[./\-][0-9]{1,2}(?:[./\-][0-9]{2,4})?)?(?![0-9])")
# Numbered list items: "1. Tổng vốn …" at the start of a line, or after the end of a
# sentence or of a heading ("… 12,7%. 2. Thu nhập", "(7 chỉ tiêu) 1. Giá trị"); the item
# text starts with a capital.  "… đạt 21. Trong đó" is not one (no boundary before 21).
_LINE_START = re.compile(rf"{_SP}*(?:[-•*+]{_SP}*)?")
_LIST_BEFORE = re.compile(rf"[.;!?)]{_SP}+$")
_LIST_AFTER = re.compile(rf"[0-9]{{1,2}}[.)]{_SP}+(?=[^\W\d_])")
# A sign glued to the number ("-2,5%", "−0,3 điểm", "+6,8%") after a space or "(" inside
# a line; at the start of a line "-" or "+" is a bullet, after a digit a range, after a
# letter a code.
_SIGN_BEFORE = re.compile(rf"(?:[(:]|[^\s]{_SP}+)([-\u2212+])$")


def _is_year(token: str) -> bool:
    return _YEAR.fullmatch(token) is not None


def _skip_token(text: str, pos: int) -> int:
    m = _TOKEN.match(text, pos)
    return m.end() if m else pos + 1


def _rows(text, start, nstart, nend, values, forms, sign=1.0):
    """Build the rows of one quantity whose number span is text[nstart:nend]."""
    unit, factor, end = _suffix(text, nend)
    if end == nend and re.match(r"\w", text[nend : nend + 1]):
        return None, _skip_token(text, nstart)  # glued to an unknown word: "3G", "5abc"
    qualifier = detect_qualifier(text[max(0, start - 60) : start])
    span = (start, end, text[start:end], nstart, nend)
    unit_text = _unit_text(text, nend, end if unit is not None else nend)
    rows = [
        dict(zip(COLUMNS, (*span, sign * v * factor, unit, qualifier, form, factor, unit_text),
                 strict=True))
        for v, form in zip(values, forms, strict=True)
    ]
    return rows, end


def _compound(text: str, pos: int, end: int, value: float, factor: float):
    """Rows of "3 triệu 250 nghìn con", "2 tỷ 500 triệu đồng", or None.

    The parts have falling multipliers, each part is below the multiplier before it,
    and every part after the first carries a multiplier or a scaled money unit
    ("triệu đồng"), except a last part of three digits after "nghìn" followed by a unit
    ("9 nghìn 430 tấn" is 9 430 tonnes; "2 triệu 5 xã" and "2 nghìn 5 xã" are two
    quantities).  The value is in the last part's unit: "3 triệu 250 nghìn con" is
    3 250 000 head, "2 tỷ 500 triệu đồng" is 2 500 million VND.
    """
    total, scale, nend, stop, unit, money = value * factor, factor, end, end, None, 1.0
    while unit is None and (m := _NEXT_PART.match(text, stop)) is not None:
        try:
            part = parse_number(m.group(1))
        except NumberFormatError:
            break
        u, f, e = _suffix(text, m.end())
        part_money = _unit_at(text, m.end())[1] if (u is not None and f == 1.0) else 1.0
        part_scale = f * part_money
        last = part_scale == 1 and u is not None and scale == 1e3 and m.group(1).isdigit()
        last = last and len(m.group(1)) == 3
        if (part_scale <= 1 and not last) or part_scale >= scale or part * part_scale >= scale:
            break
        total += part * part_scale
        scale, nend, stop, unit, money = part_scale, m.end(), e, u, part_money
    if nend == end:
        return None
    qualifier = detect_qualifier(text[max(0, pos - 60) : pos])
    unit_text = _unit_text(text, nend, stop if unit is not None else nend)
    row = dict(zip(COLUMNS, (pos, stop, text[pos:stop], pos, nend, total / money, unit,
                             qualifier, "compound", 1.0, unit_text), strict=True))
    return [row], stop


def _counted_after_date_word(text: str, pos: int) -> bool:
    """A number after "ngày"/"tháng" that a unit follows counts that unit.

    "cây công nghiệp ngắn ngày 12 ha" is 12 ha (short-season crops), "cây ngắn ngày
    1.250 ha" too; "ngày 24 tháng 4" and "tháng 4 năm 2019" stay dates (a calendar word is
    not a count's unit there), and so do "ngày 19.8" and "ngày 17-9" (no unit follows).
    """
    core = _PLAIN.match(text, pos)
    if core is None:
        return False
    try:
        parse_number(core.group(0))
    except NumberFormatError:
        return False
    unit = _unit_at(text, core.end())[0]
    return unit is not None and unit not in _CALENDAR_UNITS


_CALENDAR_UNITS = frozenset({"day", "month", "year"})


def _not_a_quantity(text: str, pos: int, token: str, before: str) -> int | None:
    """Where to resume if the number at ``pos`` is not a quantity, else None."""
    if _DATE_BEFORE.search(before):
        m = _DAY_MONTH.match(text, pos)
        if m and not _counted_after_date_word(text, pos):
            return m.end()  # "Ngày 19.8", "ngày 24 tháng 4": a date
    line_start = text.rfind("\n", 0, pos) + 1
    at_line_start = _LINE_START.fullmatch(text, line_start, pos) is not None
    if (at_line_start or _LIST_BEFORE.search(before)) and _LIST_AFTER.match(text, pos):
        return pos + len(token) + 1  # "3. Giá trị sản xuất": a list item number
    if _ORDINAL_BEFORE.search(before):
        return pos + len(token)  # "lần thứ 5", "hạng 3"
    if _is_year(token) and _YEAR_LABEL_BEFORE.search(before):
        return pos + len(token)  # "năm 2015 xã A": a year even before a unit word
    return None


def _match_at(text: str, pos: int):
    """Rows (or None to skip) for the number starting at ``pos``, and where to resume."""
    before = text[max(0, pos - 30) : pos]
    if pos and text[pos - 1].isalpha():
        # Glued to the word before it: "ước đạt12.345 tỷ đồng" is a quantity when that
        # word is lower case and a unit or multiplier follows; "H2O", "anh2.png",
        # "COVID19" are not.
        word = re.search(r"[^\W\d_]+$", before)
        core = _PLAIN.match(text, pos)
        ok = word is not None and len(word.group(0)) >= 2 and word.group(0).islower()
        if core is None or not ok or _suffix(text, core.end())[2] == core.end():
            return None, _skip_token(text, pos)
    m = _DATE.match(text, pos)
    if m:
        return None, m.end()
    core = _PLAIN.match(text, pos)
    if core is None:  # no number starts at pos
        return None, pos + 1
    resume = _not_a_quantity(text, pos, core.group(0), before)
    if resume is not None:
        return None, resume
    if _IDENTIFIER_TAIL.match(text, core.end()) and not _FRACTION.match(text, pos):
        return None, _skip_token(text, pos)
    signed = _SIGN_BEFORE.search(text[max(0, pos - 3) : pos])
    sign = -1.0 if signed and signed.group(1) != "+" else 1.0
    start = pos - 1 if signed else pos

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
            text, start, start, m.end(), (num, den),
            ("fraction_numerator", "fraction_denominator"), sign,
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

    spaced = _SPACED.match(text, pos)
    token = core.group(0)
    if spaced:
        # "26 142,56 ha": the spaces group thousands, as the group mark "." does.
        digits = re.sub(_GROUP, GROUP_MARK, spaced.group(0))
        try:
            value = parse_number(digits)
        except NumberFormatError:
            value = None
        if value is not None:
            return _rows(text, start, start, spaced.end(), (value,), ("number",), sign)
        # Too many digits to be one number: the whole run is skipped, not re-read from
        # each of its groups (which made a long run of groups quadratic).
        return None, spaced.end()
    try:
        value = parse_number(token)
    except NumberFormatError:
        return None, core.end()
    unit, factor, end = _suffix(text, core.end())
    if _LABEL_BEFORE.search(before) and end == core.end():
        return None, core.end()  # "Nghị định số 91"
    if _is_year(token) and unit is None and factor == 1.0:
        # A bare year: "năm 2015", "vụ xuân 2016", "cùng kỳ 2019", "so với 2015",
        # "(2020)".  A count of that size is written with a dot ("1.950"); a year-like number
        # with a unit ("2015 người") stays a quantity.
        return None, core.end()
    if factor > 1 and unit is None:
        found = _compound(text, start, end, sign * value, factor)
        if found is not None:
            return found
    # "5.637,1 ha/5.381,5 ha": a fraction with the unit on both sides.
    if unit is not None:
        m = re.compile(rf"{_SP}*/{_SP}*({_NUM})").match(text, end)
        if m and _suffix(text, m.end())[0] == unit:
            try:
                per = parse_number(m.group(1))
            except NumberFormatError:
                per = None
            if per is not None:
                return _rows(
                    text, start, start, m.end(), (sign * value, per),
                    ("fraction_numerator", "fraction_denominator"),
                )
    return _rows(text, start, start, core.end(), (value,), ("number",), sign)


@one_reading()
def find_quantities(text: str) -> pd.DataFrame:
    """One row per numeric quantity in Vietnamese ``text`` (see module docstring).

    Columns: ``start``, ``end`` (``text[start:end]`` is number plus unit/multiplier words),
    ``text``, ``number_start``, ``number_end``, ``value`` (multiplier applied), ``unit``
    (a unit id of ``data/vocab/units.csv``, a per-unit composed from two such ids, or
    None), ``qualifier`` (an id of data/vocab/qualifiers.csv, or None), ``form`` (``number``,
    ``compound``, ``fraction_numerator``/``_denominator``, ``range_low``/``_high``),
    ``multiplier`` and ``unit_text`` (the noun phrase after the number, "" if none, so
    that a count noun missing from the lexicon stays visible).  Fractions and ranges give
    two rows sharing one span.  Dates, times, document numbers, years, periods, list
    numbers, ordinals and digits inside words are skipped.
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
    return _frame(rows)


def _frame(rows: list[dict]) -> pd.DataFrame:
    """``rows`` as a frame of :data:`COLUMNS` with :data:`_DTYPES`, built column by column so
    that a missing unit/qualifier stays None (not NaN): numpy arrays, an object column an
    object Series (not inferred as text), ~0.25 ms where a Series per column with its dtype
    was ~0.6 ms, most of a call on a sentence."""
    columns: dict[str, object] = {}
    for c in COLUMNS:
        values = [r[c] for r in rows]
        if _DTYPES[c] == "object":
            array = np.empty(len(values), dtype=object)
            array[:] = values
            columns[c] = pd.Series(array, dtype=object, copy=False)
        else:
            columns[c] = np.array(values, dtype=_DTYPES[c])
    return pd.DataFrame(columns, copy=False)
