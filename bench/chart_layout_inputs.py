"""Which of a chart's layouts could be left out: every constrained layout run while each
notebook chart is built in both languages, wide and for a phone, and its PNG encoded (as
``bench/chart_passes.py`` builds them), counted by the code that asked for it, with

* ``unchanged``: how many followed no change of anything the layout reads since the
  figure's previous layout (its size and dpi; every artist's kind, visibility and place
  in the layout; every text's words, font, alignment, rotation and anchor; every axes'
  limits, scales and ticks; lines' data and markers; bars' boxes; legends' anchors;
  gridspec ratios; not what a layout sets itself: axes positions, tick and axis-label
  places). Such a layout could be skipped by a guard of "nothing changed";
* ``no-op``: how many left every axes where it was, to the bit (a guard could skip
  these only by knowing the outcome beforehand);
* ``moved px``: the largest move of an axes edge, in pixels, over those calls.

    .venv/bin/python bench/chart_layout_inputs.py [CHART ...] [--each]

``--each`` lists every layout in order, per figure. A few seconds per chart.
"""

from __future__ import annotations

import sys
import traceback
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def inputs(fig) -> list:
    """What a layout of ``fig`` reads, as comparable values (positions it sets left out)."""
    import numpy as np
    from matplotlib.axes import Axes
    from matplotlib.axis import Axis, Tick
    from matplotlib.legend import Legend
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle
    from matplotlib.text import Text

    placed = set()  # texts a layout places itself
    for ax in fig.axes:
        placed |= {id(t) for t in (ax.xaxis.label, ax.yaxis.label, ax.title, ax._left_title,
                                   ax._right_title, ax.xaxis.offsetText, ax.yaxis.offsetText)}
    out: list = [tuple(fig.get_size_inches()), fig.dpi]
    for a in fig.findobj(lambda a: not isinstance(a, (Tick, Axis)), include_self=False):
        row: list = [type(a).__name__, a.get_visible(), a.get_in_layout()]
        if isinstance(a, Text):
            row += [a.get_text(), a.get_fontsize(), str(a.get_fontproperties()),
                    None if id(a) in placed else a.get_position(),
                    a.get_horizontalalignment(), a.get_verticalalignment(), a.get_rotation(),
                    type(a.get_transform()).__name__]
        if isinstance(a, Axes):
            row += [a.get_xlim(), a.get_ylim(), a.get_xscale(), a.get_yscale(),
                    [float(v) for v in a.get_xticks()], [float(v) for v in a.get_yticks()]]
        if isinstance(a, Line2D):
            row += [np.asarray(a.get_xydata(), float).tobytes(), a.get_marker()]
        if type(a) is Rectangle:
            row += [a.get_bbox().bounds]
        if isinstance(a, Legend):
            anchor = getattr(a, "_bbox_to_anchor", None)  # (no public getter of the box itself)
            row += [getattr(anchor, "bounds", None), getattr(a, "_loc", None)]
        out.append(repr(row))
    for ax in fig.axes:
        spec = ax.get_subplotspec()
        if spec is not None:
            grid = spec.get_gridspec()
            out.append(repr((grid.get_height_ratios(), grid.get_width_ratios())))
    return out


def positions(fig) -> list:
    return [(*ax.get_position().bounds, *ax.get_position(original=True).bounds)
            for ax in fig.axes]


def main() -> int:
    import matplotlib

    matplotlib.use("Agg")
    sys.path.insert(0, str(ROOT / "tests"))
    from helpers_charts import NOTEBOOK_CHARTS
    from matplotlib import layout_engine

    from dbanalysis import plotting as pl
    from dbanalysis.core.language import using
    from dbanalysis.notebook.bilingual import editions

    each = "--each" in sys.argv
    names = [a for a in sys.argv[1:] if not a.startswith("--")] or list(NOTEBOOK_CHARTS)
    calls: Counter = Counter()
    unchanged: Counter = Counter()
    noop: Counter = Counter()
    moved: dict[str, float] = {}
    last: dict[int, tuple] = {}
    execute = layout_engine.ConstrainedLayoutEngine.execute

    def counted(engine, fig):
        where = [f.name for f in traceback.extract_stack()[:-1]
                 if "dbanalysis/plotting" in f.filename]
        who = " < ".join(reversed(where[-3:]))
        before, at = inputs(fig), positions(fig)
        same = last.get(id(fig)) == (before, fig.dpi)
        out = execute(engine, fig)
        after = positions(fig)
        last[id(fig)] = (inputs(fig), fig.dpi)
        move = max((abs(a - b) for p, q in zip(at, after, strict=False)
                    for a, b in zip(p, q, strict=True)), default=0.0) * fig.bbox.width
        calls[who] += 1
        unchanged[who] += same
        noop[who] += at == after
        moved[who] = max(moved.get(who, 0.0), move)
        if each:
            print(f"  fig {id(fig) % 10000:4d} {fig.dpi:3.0f} dpi  {who:60s} "
                  f"{'unchanged' if same else '':9s} moved {move:.3g} px")
        return out

    layout_engine.ConstrainedLayoutEngine.execute = counted  # type: ignore[method-assign]
    pl.use_house_style()
    for name in names:
        if each:
            print(name)
        drawn = editions(lambda lang, name=name: NOTEBOOK_CHARTS[name]())
        for lang, figs in drawn.items():
            for fig in figs.values():
                with using(lang):
                    pl.png_bytes(fig)
                fig.clf()
    print(f"{'layouts':>7} {'unchanged':>9} {'no-op':>5} {'moved px':>9}  asked by")
    for who, n in calls.most_common():
        print(f"{n:7d} {unchanged[who]:9d} {noop[who]:5d} {moved[who]:9.3g}  {who}")
    print(f"{sum(calls.values()):7d} {sum(unchanged.values()):9d} {sum(noop.values()):5d}"
          f"            all")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
