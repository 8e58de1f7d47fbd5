"""The phone layout's line breaking (:func:`dbanalysis.plotting.style.greedy_lines`): the
lines of a greedy breaker that tries each word in turn, found with fewer measures."""

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
# whitespace ends in "" after a trailing "\r" or "\f")
@given(st.lists(st.text(alphabet="abcdefghijklmnopqrstuvwxyzđươ", max_size=12), max_size=14),
       st.integers(min_value=1, max_value=60))
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
