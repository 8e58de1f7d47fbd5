"""What the package does to draw a chart with less work gives what matplotlib gives without
it: a PNG drawn with each axis's ticks worked out once per state is the PNG matplotlib's own
methods draw; a chart no longer referenced is freed."""

import contextlib
import gc
import pickle
import weakref

import pytest

from dbanalysis import plotting as pl
from dbanalysis.plotting import provenance
from dbanalysis.plotting.spacing import value_labels
from dbanalysis.plotting.style import keep_labels_inside, new_figure

pytestmark = pytest.mark.usefixtures("house_style")


def _panels(narrow: bool):
    """Two panels sharing their x-axis (one locator and one formatter for both) with an
    offset on the y-axis (1,000,000 + …), a legend under the figure and value labels: what
    a draw measures ticks for, in both layouts' dpi."""
    fig, axes = new_figure(2, 1, sharex=True, figsize=(3.1, 4.0) if narrow else (7.0, 4.0))
    for k, ax in enumerate(axes.flat):
        ax.plot([2015, 2017, 2019], [1_000_001 + k, 1_000_004, 1_000_002 - k], marker="o",
                label=f"series {k}")
        ax.set_ylabel("người / people")
        labels = [ax.text(2019, 1_000_002 - k, " 1.000.002", va="center", fontsize=9)]
        keep_labels_inside(ax, labels)
    axes[1, 0].set_xlabel("năm / year")
    fig.legend(loc="outside lower center", ncols=2)
    fig.dbanalysis = {"narrow": narrow}
    return fig


@pytest.mark.parametrize("narrow", [False, True])
def test_a_png_drawn_with_ticks_kept_is_matplotlibs_draw(narrow, monkeypatch):
    """:func:`dbanalysis.plotting.png_bytes` lays a chart out, measures its tight box and
    draws it with each axis's ticks, tick-label boxes and spines worked out once per state
    (:func:`dbanalysis.plotting.measure.ticks_updated_once`, matplotlib's private
    ``Axis._update_ticks`` and ``_get_ticklabel_bboxes`` kept): the same bytes as with
    matplotlib's own methods called each time, shared x-axis and offset text included."""
    fig = _panels(narrow)
    copy = pickle.loads(pickle.dumps(fig))
    kept = pl.png_bytes(fig)
    monkeypatch.setattr(provenance, "ticks_updated_once",
                        lambda fig: contextlib.nullcontext())
    assert kept == pl.png_bytes(copy)


def test_a_chart_no_longer_referenced_is_freed():
    """Nothing of the package keeps a chart it drew: the value labels
    :func:`keep_labels_inside` remembers for the tick rules are held weakly (held strongly,
    a label kept its axes, figure and renderer alive for the rest of the process unless
    the figure was cleared; ``bilingual.show`` no longer clears a chart it has shown, and a
    chart drawn in the lab or by a test never was), and a chart drawn and dropped is freed
    by Python's collector.

    What the process held before the chart is frozen meanwhile (``gc.freeze``), so that
    the collection goes through the chart's objects only, not the 300,000-500,000 a worker
    holds (a full collection: 0.3-0.6 s of CPU): a frozen object is alive to the collector,
    which is what it was (a cache of the package keeping the chart holds it all the same),
    and it all goes back to the oldest generation after (``gc.unfreeze``)."""
    gc.freeze()
    try:
        fig = _panels(narrow=False)
        ax = fig.axes[0]
        assert value_labels(ax) == [t for t in ax.texts if t.get_text() == " 1.000.002"]
        pl.png_bytes(fig)
        gone = weakref.ref(fig)
        del fig, ax
        gc.collect()
        assert gone() is None
    finally:
        gc.unfreeze()
