"""The checks that measure "the chart as drawn" (test_chart_collisions, test_chart_lines,
test_chart_phone_rows, test_plotting) read ``DrawnPNG.fig`` (``drawn_copy`` in
tests/helpers_drawn.py, made on its first call in the process): the figure the PNG was
drawn from where this process drew that PNG at the figure's dpi (the wide layout) before
that call, else (the PNG kept by an earlier run and not drawn again, a phone layout, or
the checks run before the PNG test) a fresh copy (B) made ready as png_bytes makes it and
drawn without rendering at its dpi: which one depends on whether the process drew the PNG
first. Does B measure as the figure the PNG was drawn from (A), laid out as the checks lay
it out, and as a fresh copy drawn at its dpi (C, as text_collisions draws it)? Compared on
every variant of every chart the tests draw: every axes' place and box, its limits and
ticks (places and labels), the box of every legend, patch, line and text (its words, place
and drawn box, a text's box patch as drawn), and what each check of test_chart_collisions
finds or measures.
When made (82 variants): the same as C, to 0.0 px; the same as A to 2e-4 px (one phone
variant, A laid out again at its dpi after its PNG's layout at twice that: float noise),
every check's findings the same, but for the texts of a phone chart's legend, which A
has where its PNG's draw at twice the dpi placed them (a legend places its texts when
drawn) and no check reads of it.

    .venv/bin/python bench/chart_kept_png_check.py      (about a minute; exit 1 if not)
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

import helpers_charts as hc
import test_chart_collisions as tc
import test_chart_lines as tl
import test_chart_phone_rows as tp
from helpers_collisions import _drawn_texts
from helpers_drawn import DrawnPNG, laid_out, png_and_collisions, text_collisions
from matplotlib.text import Text

from dbanalysis import plotting as pl
from dbanalysis.core.language import using


def measure(fig) -> list:
    """Everything the checks read of ``fig``, laid out as they lay it out."""
    r = laid_out(fig)
    out: list = []
    for ax in fig.axes:
        out.append(("axes", *ax.get_position().bounds, *ax.get_window_extent(r).bounds,
                    *ax.get_xlim(), *ax.get_ylim()))
        for axis in (ax.xaxis, ax.yaxis):
            out += [("tick", t.get_loc(), t.label1.get_text(), t.label1.get_visible(),
                     t.gridline.get_visible()) for t in axis.get_major_ticks()]
        if ax.get_legend() is not None:
            out.append(("legend", *ax.get_legend().get_window_extent(r).bounds))
        out += [("patch", str(p.get_gid()), *p.get_window_extent(r).bounds) for p in ax.patches]
        out += [("line", str(ln.get_gid()), *ln.get_window_extent(r).bounds)
                for ln in ax.get_lines()]
    legends = {id(t) for lg in [ax.get_legend() for ax in fig.axes] + fig.legends
               if lg is not None for t in lg.get_texts()}
    for t in fig.findobj(Text):
        out.append(("text", t.get_text(), t.get_visible(), *map(float, t.get_position())))
        if t.get_visible() and t.get_text().strip():
            out.append(("legend text box" if id(t) in legends else "text box", t.get_text(),
                        *t.get_window_extent(r).bounds))
            if t.get_bbox_patch() is not None:
                t.update_bbox_position_size(r)
                out.append(("text patch", *t.get_bbox_patch().get_window_extent(r).bounds))
    out += [(name, *b.bounds) for name, b, _ in _drawn_texts(fig, r)]
    out += [("gap", g) for g in tc._tick_label_gaps(fig)]
    for check in (tc.marker_crowding, tc.gridline_crowding, tl.gridlines_through_texts,
                  tl.texts_on_lines, tl.early_breaks, tl.lines_at_row_labels, tc.axis_overruns):
        out += [(check.__name__, found) for found in check(fig)]
    out += [("row room", *room) for room in tp._row_room(fig, r)]
    return out


def difference(a: list[tuple], b: list[tuple]) -> float:
    if len(a) != len(b):
        return float("inf")
    worst = 0.0
    for x, y in zip(a, b, strict=True):
        if len(x) != len(y):
            return float("inf")
        for p, q in zip(x, y, strict=True):
            worst = max(worst, abs(p - q) if isinstance(p, float) and isinstance(q, float)
                        else (0.0 if p == q else float("inf")))
    return worst


def main() -> int:
    """Compared with the figure the PNG was drawn from (A), and with a fresh copy drawn
    at its dpi by :func:`helpers_drawn.text_collisions` (C, the copy the phone layout's
    first measure reads)."""
    pl.use_house_style()
    worst_a, worst_c, n, bad = 0.0, 0.0, 0, 0
    for key in hc.CHARTS:
        for lang, layout in hc.chart_variants(key):
            drawn = hc.fresh_chart(key, lang, layout)
            reference = hc.fresh_chart(key, lang, layout)
            with using(lang):
                png, collisions, first = png_and_collisions(drawn)
                laid_out(drawn)  # the checks' first layout of it (in their language)
                a = measure(drawn)
                b = measure(DrawnPNG((key, lang, layout), png, collisions, first).fig)
                text_collisions(reference)
                c = measure(reference)
            # (a legend places its texts when drawn: in A, a phone chart's are those of
            # its PNG's draw, at twice its dpi; no check reads them of A)
            legend = [k for k, x in enumerate(a) if layout == "phone"
                      and x[0].startswith(("legend ", "legend text box"))]
            d_a = difference([x for k, x in enumerate(a) if k not in legend],
                             [x for k, x in enumerate(b) if k not in legend])
            d_c = difference(b, c)
            if d_a > 1e-3 or d_c > 1e-6:
                bad += 1
                print(f"{key} ({lang}, {layout}): {d_a} px from A, {d_c} px from C")
            worst_a, worst_c = max(worst_a, d_a), max(worst_c, d_c)
            n += 1
    print(f"{n} variants; largest difference {worst_a:.2g} px from the figure drawn "
          f"(A), {worst_c:.2g} px from a fresh copy drawn at its dpi (C); {bad} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
