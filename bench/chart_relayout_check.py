"""The copy of a chart the tests read (``read_chart`` in tests/helpers_charts.py) may have
been laid out (``plotting.style.renderer``) or drawn without rendering
(``text_collisions``) by another test before a test measures it. Does it then measure,
once drawn, as a fresh copy drawn once? Compared on every variant of every chart: the
text collisions found, and the boxes of every axes, legend, patch and text a test reads.

    .venv/bin/python bench/chart_relayout_check.py      (about a minute; exit 1 if not)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import helpers_charts as hc
from helpers_collisions import _drawn_texts
from helpers_drawn import text_collisions

from dbanalysis import plotting as pl
from dbanalysis.core.language import using
from dbanalysis.plotting.style import renderer


def measure(fig) -> tuple[list[str], list[tuple]]:
    """The collisions (a draw at the figure's dpi) and every box read after that draw."""
    found = text_collisions(fig)
    r = fig.canvas.get_renderer()
    boxes: list[tuple] = []
    for ax in fig.axes:
        boxes.append(tuple(ax.get_window_extent(r).bounds))
        if ax.get_legend() is not None:
            boxes.append(tuple(ax.get_legend().get_window_extent(r).bounds))
        boxes += [tuple(p.get_window_extent(r).bounds) for p in ax.patches]
    boxes += [(name, *b.bounds) for name, b, _ in _drawn_texts(fig, r)]
    return found, boxes


def difference(a: list[tuple], b: list[tuple]) -> float:
    if len(a) != len(b):
        return float("inf")
    worst = 0.0
    for x, y in zip(a, b, strict=True):
        for p, q in zip(x, y, strict=True):
            worst = max(worst, (0.0 if p == q else float("inf")) if isinstance(p, str)
                        else abs(p - q))
    return worst


def main() -> int:
    pl.use_house_style()
    worst, n, bad = 0.0, 0, 0
    for key in hc.CHARTS:
        for lang in hc.LANGS:
            for layout in hc.LAYOUTS if key in hc.PHONE_CHARTS else ("wide",):
                with using(lang):
                    fresh = measure(hc.fresh_chart(key, lang, layout))
                    twice = hc.fresh_chart(key, lang, layout)
                    renderer(twice)
                    renderer(twice)
                    drawn = hc.fresh_chart(key, lang, layout)
                    text_collisions(drawn)
                    renderer(drawn)
                    for tag, fig in (("laid out twice", twice), ("drawn, laid out", drawn)):
                        found, boxes = measure(fig)
                        d = difference(fresh[1], boxes)
                        if found != fresh[0] or d > 1e-6:
                            bad += 1
                            print(f"{key} ({lang}, {layout}) {tag}: {d} px", found, fresh[0])
                        worst = max(worst, d)
                n += 1
    print(f"{n} variants; largest difference {worst:.2g} px; {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
