"""The key under which a layout keeps an axes' ticks and spine extents
(:func:`dbanalysis.plotting.measure._axes_key`, read once for both axes) changes with
everything they depend on: either axis's view interval, the axes' place, the dpi, a
locator or formatter; a spine measured inside one :func:`ticks_updated_once` block after
the limits change is measured as matplotlib measures it."""

import pytest
from matplotlib.spines import Spine
from matplotlib.ticker import MultipleLocator, NullFormatter

from dbanalysis.plotting.measure import _axes_key, canvas_renderer, ticks_updated_once
from dbanalysis.plotting.style import new_figure

pytestmark = pytest.mark.usefixtures("house_style")


def _axes():
    fig, axes = new_figure()
    ax = axes[0, 0]
    ax.plot([0, 10], [0, 5], marker="o")
    return fig, ax


@pytest.mark.parametrize("change", ["xlim", "ylim", "place", "dpi", "x locator",
                                    "y formatter"])
def test_the_key_changes_with_what_ticks_and_spines_read(change):
    """Each input of an axis's ticks or of a spine's extent changes the key of both axes'
    (a key that missed the y view interval kept the left spine's old ticks)."""
    fig, ax = _axes()
    before = _axes_key(ax)
    assert _axes_key(ax) == before  # the same state, the same key
    if change == "xlim":
        ax.set_xlim(-1, 12)
    elif change == "ylim":
        ax.set_ylim(-1, 7)
    elif change == "place":
        ax.set_position([0.2, 0.2, 0.5, 0.5])
    elif change == "dpi":
        fig.dpi = 2 * fig.dpi
    elif change == "x locator":
        ax.xaxis.set_major_locator(MultipleLocator(3))
    else:
        ax.yaxis.set_major_formatter(NullFormatter())
    assert _axes_key(ax) != before


@pytest.mark.parametrize("which", ["left", "bottom"])
def test_a_spine_measured_again_after_the_limits_change(which):
    """Inside one block (whose code changes no locator, formatter, tick or spine) a
    spine's extent is kept per key; after a view interval changes it is matplotlib's
    extent of the spine as it now is, its ticks' marks included. The spine stands at 0
    of the other axis, so that a change of that axis's interval moves it (at the axes'
    edge its extent did not change with the limits: a kept extent never measured again
    passed, REREAD13-T 1)."""
    fig, ax = _axes()
    r = canvas_renderer(fig)
    spine = ax.spines[which]
    spine.set_position(("data", 0))
    other = ax.xaxis if which == "left" else ax.yaxis
    with ticks_updated_once(fig):
        before = spine.get_window_extent(r).frozen()
        other.set_view_interval(-30, 45, ignore=True)  # the spine moves, ticks too
        kept = spine.get_window_extent(r)
        assert kept.bounds != before.bounds
        assert kept.bounds == Spine.get_window_extent(spine, r).bounds
