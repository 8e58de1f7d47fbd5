"""The phone layout's line breaking (:func:`dbanalysis.plotting.style.greedy_lines`): the
lines of a greedy breaker that tries each word in turn, found with fewer measures; on long
labels each line after the first found from a guess (the line before's words), so that a
label of many lines is not measured whole again on every line."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from dbanalysis.plotting import style


def _word_at_a_time(words: list[str], fits) -> list[str]:
    """The greedy breaker as it was written before: each word tried on the line so far."""
    lines: list[str] = []
    for word in words:
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


# (empty words and no words included: a label's name may be "", and a split on
# whitespace ends in "" after a trailing "\r" or "\f"; words of very different lengths,
# so that a line's guess, the line before's count of words, is too long, too short or
# right, and lines of one word too wide for any line)
@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzđươ", max_size=25), max_size=40),
       st.integers(min_value=1, max_value=70))
def test_bisection_breaks_as_the_word_at_a_time_breaker(words, width):
    # any measure that grows as words are appended: here a string's length
    def fits(s: str) -> bool:
        return len(s) <= width

    assert style.greedy_lines(words, fits) == _word_at_a_time(words, fits)


def test_row_labels_break_as_before_with_fewer_measures():
    """The real measure, the house font at the phone layout's row-label size: the same
    lines for labels of one, two and three lines, measuring fewer strings."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3.1, 4), dpi=100)
    names = ["Số hộ nghèo theo chuẩn đa chiều giai đoạn 2016–2020 toàn huyện",
             "Households lifted out of poverty", "Trường đạt chuẩn quốc gia",
             "Share of communes meeting the national criteria on health by 2020"]
    for name in names:
        words = re.split(r"\s+", name)
        asked: list[list[str]] = [[], []]
        for k, breaker in enumerate((style.greedy_lines, _word_at_a_time)):
            def fits(s: str, seen: list[str] = asked[k]) -> bool:
                seen.append(s)
                return style._text_width_pt(fig, s, 11.0) <= 150.0

            out = breaker(words, fits)
            if k == 0:
                got = out
        assert got == out, name
        assert len(asked[0]) < len(asked[1]), name


#: Row labels of 150-400 characters (what the hostile run draws on a phone).
_LONG = ("Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều của huyện Điện Biên giảm bình quân mỗi "
         "năm so với kế hoạch đề ra trong nghị quyết đại hội Đảng bộ huyện lần thứ XXII "
         "nhiệm kỳ 2015–2020 và các chương trình mục tiêu quốc gia về giảm nghèo bền vững, "
         "xây dựng nông thôn mới; share of communes meeting the national criteria on health "
         "by 2020 against the plan adopted by the district congress for the same term ") * 2


def test_long_labels_break_as_before_measuring_far_fewer_characters():
    """The house font at the phone layout's row-label size: the same lines as the greedy
    breaker, with fewer strings than trying each word in turn, and under 5 characters
    measured per character of the label (trying the rest of the label on every line
    measured 8-18; FreeType's time grows with them)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3.1, 4), dpi=100)
    for size in (150, 250, 400):
        words = re.split(r"\s+", _LONG[:size].strip())
        asked: list[list[str]] = [[], []]
        got = []
        for k, breaker in enumerate((style.greedy_lines, _word_at_a_time)):
            def fits(s: str, seen: list[str] = asked[k]) -> bool:
                seen.append(s)
                return style._text_width_pt(fig, s, 11.0) <= 150.0

            got.append(breaker(words, fits))
        assert got[0] == got[1], size
        assert len(got[0]) >= 4, size  # labels of several lines
        assert len(asked[0]) < len(asked[1]), size
        # trying the rest of the label on every line measured 1214 characters at 150,
        # 3005 at 250 and 7124 at 400 (the label's length times 8-18): the guess measures
        # about two lines' worth a line, 623, 1131 and 1887
        assert sum(map(len, asked[0])) < 5 * size, size
