"""A legend under its axes is narrowed to the wrapping the rule names: its lines wrapped a
character shorter at a time, from its longest, while it is wider than its room and its
lines are longer than LEGEND_MIN_CHARS (plotting.spacing.legends_within_width). The search
(spacing._narrow_legend) measures far fewer wrappings than that; here it must find the
same wrapping as the rule read literally, for every room from too narrow for any
wrapping to wide enough for the first, with and without a legend title wider than the
wrapped entries, with one entry in mathtext (measured in turn), and with the search's
predictions made wrong (its lines measured a fifth short): its checks must then find
the rule's wrapping all the same."""

import textwrap

import pytest
from matplotlib.lines import Line2D

from dbanalysis.plotting import spacing
from dbanalysis.plotting.bar_charts import legend_below
from dbanalysis.plotting.spacing import LEGEND_MIN_CHARS, _narrow_legend
from dbanalysis.plotting.style import new_figure, renderer

pytestmark = pytest.mark.usefixtures("house_style")

#: Entries of different lengths and letters (wide capitals, narrow Vietnamese letters, a
#: word longer than the shortest wrapping).
ENTRIES = [
    "Trường đạt chuẩn quốc gia mức độ 1 (số trường, năm học 2019–2020) theo báo cáo",
    "WIDE CAPITALS WWW MMM OF A STATED FIGURE AND ITS QUALIFIER",
    "derived: level − change over the period, an estimate of the reader's own",
    "Supercalifragilisticexpialidocious-word and short ones",
]


def _legend(title: str, math: bool):
    fig, axes = new_figure()
    ax = axes[0, 0]
    ax.plot([0, 1], [0, 1])
    handles = [Line2D([], [], color="black", label=s) for s in ENTRIES]
    if math:
        handles[1].set_label("$x^2$ " + ENTRIES[1])
    legend_below(ax, handles, ncols=1)
    legend = ax.get_legend()
    if math:
        legend.get_texts()[1].set_parse_math(True)
    if title:
        legend.set_title(title)
    return legend, renderer(fig)


def _as_the_rule_reads(legend, budget: float, r, widths: dict) -> None:
    """The rule read literally: from the entries as made, while the legend is wider than
    ``budget`` and its lines longer than LEGEND_MIN_CHARS, its lines wrapped a character
    shorter. ``widths``: the legend's width measured for each of its texts so far (one
    legend, one renderer; its width is a function of its texts), so that the rooms tried
    in turn, each of which walks the same wrappings from the start, measure a wrapping
    once, not once per room (~60 % of this module's CPU)."""
    texts = [t for t in legend.get_texts() if t.get_text()]
    whole = [" ".join(t.get_text().split("\n")) for t in texts]
    chars = max(len(line) for t in texts for line in t.get_text().split("\n"))

    def width() -> float:
        key = tuple(t.get_text() for t in texts)
        if key not in widths:
            widths[key] = legend.get_window_extent(r).width
        return widths[key]

    while width() > budget and chars > LEGEND_MIN_CHARS:
        chars -= 1
        for t, s in zip(texts, whole, strict=True):
            t.set_text("\n".join(textwrap.wrap(s, chars)))


@pytest.mark.parametrize(("title", "math", "wrong"),
                         [("", False, False), ("T" * 30, False, False), ("", True, False),
                          ("", False, True)])
def test_narrowing_finds_the_wrapping_the_rule_names(title, math, wrong, monkeypatch):
    if wrong:  # every line measured a fifth short: fits predicted too wide
        below = spacing._Widths.below
        monkeypatch.setattr(spacing._Widths, "below", lambda self, strings, stop: (
            None if (w := below(self, strings, None)) is None or (stop is not None
                                                                  and w * 0.8 >= stop)
            else w * 0.8))
    searched, r = _legend(title, math)
    literal, r2 = _legend(title, math)
    first = [t.get_text() for t in searched.get_texts()]
    found, widths = set(), {}
    for budget in range(40, 520, 32):
        for legend in (searched, literal):  # each room starts from the entries as made
            for t, s in zip(legend.get_texts(), first, strict=True):
                t.set_text(s)
        _narrow_legend(searched, float(budget), r)
        _as_the_rule_reads(literal, float(budget), r2, widths)
        got = [t.get_text() for t in searched.get_texts()]
        assert got == [t.get_text() for t in literal.get_texts()], budget
        found.add(tuple(got))
    assert len(found) >= 6  # the rooms tried reach many wrappings, not one or two
