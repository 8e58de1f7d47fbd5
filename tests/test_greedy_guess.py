"""The phone layout's line breaking (:func:`dbanalysis.plotting.style.greedy_lines`) on
long labels: each line after the first found from a guess (the line before's words), so
that a label of many lines is not measured whole again on every line: the same lines as
a greedy breaker, far fewer characters measured."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from dbanalysis.plotting import style


def _word_at_a_time(words: list[str], fits) -> list[str]:
    """The greedy breaker: each word tried on the line so far."""
    lines: list[str] = []
    for word in words:
        if lines and fits(f"{lines[-1]} {word}"):
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines


def _rest_first(words: list[str], fits) -> list[str]:
    """The breaker before the guess: on every line the rest of the words tried first,
    then bisection."""
    lines: list[str] = []
    i, n = 0, len(words)
    while i < n:
        lo, hi = i + 1, n
        if hi > lo:
            if fits(" ".join(words[i:hi])):
                lo = hi
            else:
                hi -= 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if fits(" ".join(words[i:mid])):
                lo = mid
            else:
                hi = mid - 1
        lines.append(" ".join(words[i:lo]))
        i = lo
    return lines


# words of very different lengths, so that a line's guess (the line before's count of
# words) is too long, too short or right, and lines of one word too wide for any line
@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzđươ", max_size=25), max_size=40),
       st.integers(min_value=1, max_value=70))
def test_guessed_lines_are_the_greedy_breakers(words, width):
    def fits(s: str) -> bool:
        return len(s) <= width

    assert style.greedy_lines(words, fits) == _word_at_a_time(words, fits)


#: Row labels of 150-400 characters (what the hostile run draws on a phone).
_LONG = ("Tỷ lệ hộ nghèo theo chuẩn nghèo đa chiều của huyện Điện Biên giảm bình quân mỗi "
         "năm so với kế hoạch đề ra trong nghị quyết đại hội Đảng bộ huyện lần thứ XXII "
         "nhiệm kỳ 2015–2020 và các chương trình mục tiêu quốc gia về giảm nghèo bền vững, "
         "xây dựng nông thôn mới; share of communes meeting the national criteria on health "
         "by 2020 against the plan adopted by the district congress for the same term ") * 2


def test_long_labels_break_as_before_measuring_far_fewer_characters():
    """The house font at the phone layout's row-label size: the same lines as the greedy
    breaker, with fewer strings and under 60 % of the characters of trying the rest of the
    label on every line (a quarter on 400 characters; FreeType's time grows with them)."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(3.1, 4), dpi=100)
    for size in (150, 250, 400):
        words = re.split(r"\s+", _LONG[:size].strip())
        asked: list[list[str]] = [[], []]
        got = []
        for k, breaker in enumerate((style.greedy_lines, _rest_first)):
            def fits(s: str, seen: list[str] = asked[k]) -> bool:
                seen.append(s)
                return style._text_width_pt(fig, s, 11.0) <= 150.0

            got.append(breaker(words, fits))
        assert got[0] == got[1] == _word_at_a_time(
            words, lambda s: style._text_width_pt(fig, s, 11.0) <= 150.0)
        assert len(got[0]) >= 4, size  # labels of several lines
        assert len(asked[0]) < len(asked[1]), size
        # 623 against 1214 characters at 150, 1131 / 3005 at 250, 1887 / 7124 at 400
        assert 5 * sum(map(len, asked[0])) < 3 * sum(map(len, asked[1])), size
