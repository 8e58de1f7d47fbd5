"""What drawing each notebook chart costs, counted and timed in one fresh process: every
chart of ``NOTEBOOK_CHARTS`` (tests/helpers_charts.py, called as its notebook calls it)
built as :func:`dbanalysis.show` builds it (:func:`dbanalysis.notebook.bilingual.editions`:
both languages, wide and phone, their value axes made the same) and each drawing encoded
by :func:`dbanalysis.plotting.png_bytes`, as a kernel does.

    .venv/bin/python bench/chart_passes.py [--rounds N] [--per-chart] [--show]

The package is the interpreter's: to compare two trees, run this tree's interpreter
with ``PYTHONPATH=<other tree>/src`` and without, alternately (two trees' virtual
environments differed by ~3 % of CPU on the same code; the charts' calls are this tree's
tests/helpers_charts.py).
``--show`` draws each chart through :func:`dbanalysis.show` itself instead (display
left out: what a kernel's cell runs; show no longer clears a chart it showed), one
phase ``show``.

Prints, per phase (build, same value axes, PNG), the CPU seconds (``time.process_time``)
and the counts of matplotlib's work: constrained-layout executions, full draws, draws
without rendering (drawing disabled), tight boxes of the figure, text measures asked of
the renderer and those computed by FreeType (the rest shared, ``plotting.measure``), text
layouts asked and computed, and axis tick updates (``Axis._update_ticks`` run). Counts do
not depend on the machine's load; the CPU does: compare runs alternated with another tree.
The first round is cold (every cache empty, as in a kernel), later ones warm.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
COUNTS = ("layout", "draw", "dry draw", "tightbbox", "measure", "measure computed",
          "text layout", "text layout computed", "update_ticks", "ticks made")
#: CPU seconds spent inside some of the counted calls (inclusive; the layout's includes
#: the measures and tick updates it asks for).
TIMES = ("layout s", "measure computed s", "draw text s", "png encode s")


class Counting:
    """Wraps matplotlib's functions to count each call into :attr:`counts`."""

    def __init__(self) -> None:
        self.counts: Counter = Counter()
        self.dry = 0

    def wrap(self, owner, name: str, what: str, timed: str = "") -> None:
        original = getattr(owner, name)
        counts = self.counts

        def counted(*args, **kw):
            counts[what] += 1
            if not timed:
                return original(*args, **kw)
            t0 = time.process_time()
            try:
                return original(*args, **kw)
            finally:
                counts[timed] += time.process_time() - t0

        setattr(owner, name, counted)

    def install(self) -> None:
        from matplotlib import text as mtext
        from matplotlib.axis import Axis
        from matplotlib.backends.backend_agg import RendererAgg
        from matplotlib.figure import Figure
        from matplotlib.layout_engine import ConstrainedLayoutEngine
        from PIL import ImageFile

        from dbanalysis.plotting import glyphs, measure

        self.wrap(ConstrainedLayoutEngine, "execute", "layout", "layout s")
        self.wrap(Axis, "_get_tick", "ticks made")
        self.wrap(glyphs, "draw_text", "text drawn", "draw text s")
        self.wrap(ImageFile, "_save", "png encoded", "png encode s")
        self.wrap(Figure, "get_tightbbox", "tightbbox")
        self.wrap(Axis, "_update_ticks", "update_ticks")
        self.wrap(RendererAgg, "get_text_width_height_descent", "measure computed",
                  "measure computed s")
        self.wrap(mtext.Text, "_get_layout", "text layout computed")  # (before measure's)
        _, rend = measure._measuring_classes()  # its own wraps installed over the above
        self.wrap(rend, "get_text_width_height_descent", "measure")
        self.wrap(mtext.Text, "_get_layout", "text layout")
        draw, dry = Figure.draw, Figure.draw_without_rendering
        me = self

        def counted_draw(fig, renderer):
            me.counts["dry draw" if me.dry else "draw"] += 1
            return draw(fig, renderer)

        def counted_dry(fig):
            me.dry += 1
            try:
                return dry(fig)
            finally:
                me.dry -= 1

        Figure.draw, Figure.draw_without_rendering = counted_draw, counted_dry


def run_show(counting: Counting) -> dict[str, dict[str, float]]:
    """Every notebook chart through ``bilingual.show``, nothing displayed: one phase."""
    sys.path.insert(0, str(ROOT / "tests"))
    from helpers_charts import NOTEBOOK_CHARTS

    from dbanalysis.notebook import bilingual

    bilingual._publish = lambda data, metadata: None  # no shell: nothing to display
    row: Counter = Counter()
    t0, c0 = time.process_time(), Counter(counting.counts)
    for build in NOTEBOOK_CHARTS.values():
        bilingual.show(lambda lang, build=build: build())
    row["cpu"] = time.process_time() - t0
    for k in COUNTS + TIMES:
        row[k] = counting.counts[k] - c0[k]
    return {"show": row}


def run(counting: Counting, per_chart: bool) -> dict[str, dict[str, float]]:
    from matplotlib.figure import Figure

    sys.path.insert(0, str(ROOT / "tests"))
    from helpers_charts import NOTEBOOK_CHARTS

    from dbanalysis import plotting as pl
    from dbanalysis.core.language import using
    from dbanalysis.notebook import bilingual
    from dbanalysis.plotting import ticks

    phases: dict[str, dict[str, float]] = {}
    current = ["build"]
    same = ticks.same_value_axes

    def timed_same(figs):
        current[0] = "same axes"
        return same(figs)

    ticks.same_value_axes = timed_same

    def record(name: str, phase: str, start: float, before: Counter) -> None:
        row = phases.setdefault(phase, Counter())
        row["cpu"] += time.process_time() - start
        for k in COUNTS + TIMES:
            row[k] += counting.counts[k] - before[k]
        if per_chart:
            chart = phases.setdefault(f"{name} | {phase}", Counter())
            chart["cpu"] += time.process_time() - start
            for k in COUNTS + TIMES:
                chart[k] += counting.counts[k] - before[k]

    for name, build in NOTEBOOK_CHARTS.items():
        t0, c0 = time.process_time(), Counter(counting.counts)
        marks: list = []

        def built(lang, build=build, marks=marks):
            fig = build()
            marks.append((time.process_time(), Counter(counting.counts)))
            return fig

        current[0] = "build"
        drawn = bilingual.editions(built)
        # build: to the last drawing built; same axes: from there
        t1, c1 = marks[-1]
        record(name, "build", t0, c0)
        phases["build"]["cpu"] -= time.process_time() - t1
        for k in COUNTS + TIMES:
            phases["build"][k] -= counting.counts[k] - c1[k]
        if per_chart:
            row = phases[f"{name} | build"]
            row["cpu"] -= time.process_time() - t1
            for k in COUNTS + TIMES:
                row[k] -= counting.counts[k] - c1[k]
        record(name, "same axes", t1, c1)
        for lang, figs in drawn.items():
            for layout, fig in figs.items():
                assert isinstance(fig, Figure)
                t2, c2 = time.process_time(), Counter(counting.counts)
                with using(lang):
                    pl.png_bytes(fig)
                record(name, f"png {layout}", t2, c2)
                fig.clf()
    return phases


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--rounds", type=int, default=2)
    ap.add_argument("--per-chart", action="store_true")
    ap.add_argument("--show", action="store_true")
    args = ap.parse_args()
    cpu0 = time.process_time()
    from dbanalysis import plotting as pl

    counting = Counting()
    counting.install()
    pl.use_house_style()
    print(f"{'round / phase':44} {'cpu s':>6} " + " ".join(f"{k[:9]:>9}" for k in COUNTS)
          + " " + " ".join(f"{k[:9]:>9}" for k in TIMES))
    for k in range(args.rounds):
        phases = run_show(counting) if args.show else run(counting, args.per_chart)
        total: Counter = Counter()
        for phase, row in phases.items():
            if " | " not in phase:
                total.update(row)
        for phase, row in [*phases.items(), ("all", total)]:
            label = f"{'cold' if k == 0 else 'warm'} {phase}"
            print(f"{label[:44]:44} {row['cpu']:6.2f} "
                  + " ".join(f"{round(row[c]):9d}" for c in COUNTS)
                  + " " + " ".join(f"{row[c]:9.2f}" for c in TIMES))
    import dbanalysis

    print(f"whole script CPU {time.process_time() - cpu0:.2f} s ({dbanalysis.__file__})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
