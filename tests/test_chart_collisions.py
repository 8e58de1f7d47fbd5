"""Charts whole and legible at 390 px (issue 18 item 2): in both layouts (wide, and the
phone layout of :func:`dbanalysis.plotting.style.narrow`) and both languages, no two
texts of a chart the notebooks draw overlap, and no text sits on a bar or marker it does
not label (:func:`helpers_drawn.text_collisions`, measured on the drawn figure).

``make test-quick`` draws each chart in one (language, layout) variant, rotated along the
charts (:func:`helpers_charts.chart_variants`: each language and layout across the
charts); ``make test`` in all four."""

import itertools
import re

import pytest
from helpers_collisions import _drawn_texts, _line_inks
from helpers_drawn import NOTEBOOK_VARIANTS as VARIANTS
from helpers_drawn import chart_png, laid_out

from dbanalysis.core.language import using

pytestmark = pytest.mark.usefixtures("house_style")

# (VARIANTS: every notebook chart in the variants this run draws, each read as
# :attr:`helpers_drawn.DrawnPNG.fig`; the texts' room from gridlines, the frame and
# reference lines: test_chart_lines.py; the rows of the phone layout:
# test_chart_phone_rows.py)


@pytest.mark.parametrize(("name", "lang", "layout"), VARIANTS)
def test_no_chart_text_overlaps_another_or_a_mark_it_does_not_label(name, lang, layout):
    """Measured twice on a fresh chart: drawn at the figure's dpi, and in the draw that
    writes its PNG (:func:`helpers_drawn.chart_png`, the PNG the other chart tests read
    too). The wide layout's PNG is at the figure's dpi: the draw that lays it out before
    writing it is the first measure; the phone layout's is at twice the dpi (text hinted
    otherwise), so its first measure is made on another copy, the one the chart tests read
    (:func:`helpers_drawn.drawn_copy`: drawn at the figure's dpi). Both kept with the
    PNG by a run that drew it (:func:`helpers_drawn.chart_png`). The PNG's draw is
    png_bytes' own, with its pixels where a test reads them, else with the renderer's
    drawing calls made no-ops (:func:`helpers_drawn.png_measures`: every text placed and
    measured as in the PNG's draw; test_kept_draws compares one with a PNG drawn now)."""
    chart = chart_png(name, lang, layout)
    drawn = chart.drawn
    png = chart.collisions
    found = [f"{c} (drawn)" for c in drawn] + [f"{c} (PNG)" for c in png if c not in drawn]
    assert not found, f"{name} ({lang}, {layout}): " + "; ".join(found)


# --- room between texts and marks (QA 13:00 item 12: crowding short of an overlap) ------


def _tick_label_gaps(fig) -> list[float]:
    """Gaps in points between neighbouring x tick labels of every axes of ``fig``."""

    r = laid_out(fig)
    gaps = []
    for ax in [a for a in fig.axes if a.get_visible()]:
        lo, hi = sorted(ax.get_xlim())
        boxes = sorted((t.label1.get_window_extent(r) for t in ax.xaxis.get_major_ticks()
                        if lo <= t.get_loc() <= hi and t.label1.get_visible()
                        and t.label1.get_text().strip()), key=lambda b: b.x0)
        gaps += [(b.x0 - a.x1) * 72 / fig.dpi for a, b in itertools.pairwise(boxes)]
    return gaps


def marker_crowding(fig) -> list[str]:
    """Every line of a value label (aligned left or right at a marker: a dot, a square,
    a range's cap) whose ink comes closer to that marker than ``LABEL_PAD_PT`` less half
    a point (the drawn outline of a glyph is not its exact box)."""
    import numpy as np

    from dbanalysis.plotting.spacing import LABEL_PAD_PT

    r = laid_out(fig)
    found = []
    for ax in [a for a in fig.axes if a.get_visible()]:
        marks = []
        for ln in ax.get_lines():
            if ln.get_visible() and ln.get_marker() not in (None, "", "None", " ", "none"):
                half = ln.get_markeredgewidth() * fig.dpi / 72 / 2
                if ln.get_marker() != "|":
                    half += ln.get_markersize() * fig.dpi / 72 / 2
                for x, y in ln.get_transform().transform(np.asarray(ln.get_xydata(), float)):
                    tall = ln.get_markersize() * fig.dpi / 72 / 2
                    marks.append((x - half, y - tall, x + half, y + tall))
        for t in ax.texts:
            ha = t.get_horizontalalignment()
            if ha not in ("left", "right") or t.get_gid() == "row-label":
                continue
            anchor = ax.transData.transform(t.get_position())[0]
            for x0, x1, y0, y1 in _line_inks(t, r):
                for m0, n0, m1, n1 in marks:
                    if not m0 - 1 <= anchor <= m1 + 1 or n1 <= y0 or n0 >= y1:
                        continue
                    room = (x0 - m1 if ha == "left" else m0 - x1) * 72 / fig.dpi
                    if room < LABEL_PAD_PT - 0.5:
                        found.append(f"{t.get_text()!r}: {room:.1f} pt from its marker")
    return found


@pytest.mark.parametrize(("name", "lang", "layout"), VARIANTS)
def test_tick_labels_keep_apart_and_value_labels_clear_their_markers(name, lang, layout):
    """Neighbouring tick labels keep TICK_GAP_PT apart (Figure 6.1 on a phone: "75" and
    "100" nearly touched), and every line of a value label keeps LABEL_PAD_PT from the
    marker it labels (Figure 0.1: "−2,49 điểm phần trăm" ran into its square; Figure 3.1 on
    a phone: the second line "(858 to 865)" touched the range's cap)."""
    from dbanalysis.plotting.spacing import TICK_GAP_PT

    fig = chart_png(name, lang, layout).fig  # measured, not changed (see VARIANTS)
    with using(lang):
        close = [g for g in _tick_label_gaps(fig) if g < TICK_GAP_PT]
        crowded = marker_crowding(fig)
    assert not close, f"{name} ({lang}, {layout}): tick labels {close} pt apart"
    assert not crowded, f"{name} ({lang}, {layout}): " + "; ".join(crowded)


def gridline_crowding(fig) -> list[str]:
    """Every gridline of a tick past the data (the room an axis makes for its value
    labels) that a value label ends on: within ``LABEL_PAD_PT`` of the label's ink."""
    from matplotlib.patches import Rectangle

    from dbanalysis.plotting.spacing import LABEL_PAD_PT

    r = laid_out(fig)
    found = []
    for ax in [a for a in fig.axes if a.get_visible()]:
        ends = [p.get_x() + p.get_width() for p in ax.patches
                if isinstance(p, Rectangle) and p.get_visible() and p.get_width() > 0]
        ends += [x for ln in ax.get_lines() for x in ln.get_xdata()]
        if not ends or not ax.xaxis._major_tick_kw.get("gridOn", True):
            continue
        hi = max(ax.get_xlim())
        hidden = {tk.get_loc() for tk in ax.xaxis.get_major_ticks()
                  if not tk.gridline.get_visible()}  # a tick kept without its gridline
        past = [t for t in ax.get_xticks() if max(ends) < t <= hi and t not in hidden]
        for tick in past:
            x = ax.transData.transform((tick, 0))[0]
            for t in ax.texts:
                ha = t.get_horizontalalignment()
                if ha not in ("left", "right") or t.get_gid() == "row-label":
                    continue
                for x0, x1, _, _ in _line_inks(t, r):
                    end = x1 if ha == "left" else x0
                    if abs(end - x) * 72 / fig.dpi < LABEL_PAD_PT:
                        found.append(f"{t.get_text().strip()!r} ends on the {tick:g} line")
    return found


@pytest.mark.parametrize(("name", "lang", "layout"), VARIANTS)
def test_no_value_label_ends_on_a_gridline_past_the_data(name, lang, layout):
    """An axis widened to fit its value labels draws no gridline where one of them ends
    (Figure 5.2: "119.58%" ended on the 150 line, by the frame)."""
    fig = chart_png(name, lang, layout).fig  # measured, not changed (see VARIANTS)
    with using(lang):
        found = gridline_crowding(fig)
    assert not found, f"{name} ({lang}, {layout}): " + "; ".join(found)


@pytest.mark.parametrize(("name", "lang", "layout"), VARIANTS)
def test_no_chart_text_has_a_straight_quote(name, lang, layout):
    """Every text of the chart's PNG as drawn (tick labels re-drawn from their formatter
    included) typeset with curly quotes and apostrophes, as the page beside it (QA-1450
    item 3: the wide 8.1 and 5.1 printed "'police listen to the people'",
    "'cultural villages'": row names set as tick labels were typeset, then re-drawn from
    the list they were set from)."""
    fig = chart_png(name, lang, layout).fig
    straight = [n for n, _, t in _drawn_texts(fig, laid_out(fig))
                if re.search("['\"]", t.get_text())]
    assert not straight, f"{name} ({lang}, {layout}): {straight}"


def axis_overruns(fig) -> list[str]:
    """Value axes (linear, numbers on their ticks) whose data run past the last labelled
    tick, or below the first: a mark at 84 on ticks 0–75 makes a reader guess its value."""
    from matplotlib.ticker import FixedFormatter

    found = []
    for k, ax in enumerate(fig.axes):
        if not (ax.get_visible() and ax.axison and ax.has_data()):
            continue
        box = ax.dataLim
        for name, axis, (lo_d, hi_d), lim in (("x", ax.xaxis, (box.x0, box.x1), ax.get_xlim()),
                                              ("y", ax.yaxis, (box.y0, box.y1), ax.get_ylim())):
            if axis.get_scale() != "linear" or isinstance(axis.get_major_formatter(),
                                                           FixedFormatter):
                continue
            labels_ = [t.strip() for t in axis.get_major_formatter().format_ticks(
                [v for v in axis.get_majorticklocs() if min(lim) <= v <= max(lim)])]
            if not all(re.match(r"^[−+\-]?\d[\d.,\u00a0 ]*%?$", t) for t in labels_ if t) \
                    or all(re.match(r"^(19|20)\d\d$", t) for t in labels_ if t):
                continue  # an axis of names (rows) or of years (a time line), not of amounts
            lo, hi = sorted(lim)
            eps = (hi - lo) * 1e-6
            axis.get_majorticklabels()
            shown = sorted(t.get_loc() for t in axis.get_major_ticks()
                           if lo - eps <= t.get_loc() <= hi + eps and t.label1.get_visible()
                           and t.label1.get_text().strip())
            if not shown:
                continue
            if hi_d > shown[-1] + eps:
                found.append(f"axes {k} {name}: data up to {hi_d:g}, last labelled tick "
                             f"{shown[-1]:g}")
            if lo_d < shown[0] - eps:
                found.append(f"axes {k} {name}: data down to {lo_d:g}, first labelled tick "
                             f"{shown[0]:g}")
    return found


@pytest.mark.parametrize(("name", "lang", "layout"), VARIANTS)
def test_every_value_axis_ends_with_a_labelled_tick_beyond_its_data(name, lang, layout):
    """Every chart, both layouts and languages: the largest (and smallest) mark is within
    the labelled ticks (QA-1830 Q8, Q10: Figure 0.1's 0–75 under 84.2, Figure 3.1's 0–800
    under 1,034 on a phone)."""
    fig = chart_png(name, lang, layout).fig  # measured, not changed (see VARIANTS)
    found = axis_overruns(fig)
    assert not found, f"{name} ({lang}, {layout}): " + "; ".join(found)
