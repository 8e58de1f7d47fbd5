"""Reading what a chart says (tests only), and every chart the tests draw, drawn once
per test process (:func:`fresh_chart`, :func:`chart_png`)."""

import functools
import pickle
from collections.abc import Callable
from typing import NamedTuple

from helpers_examples import quick
from helpers_kept import keep, kept_path, read_kept
from matplotlib.figure import Figure
from matplotlib.text import Text

import dbanalysis as db
from dbanalysis import plotting as pl
from dbanalysis.core.language import using
from dbanalysis.notebook import sectorview as sv
from dbanalysis.notebook.bilingual import editions
from dbanalysis.plotting.style import renderer


def source_text(fig) -> str:
    """The chart's one source line, kept for the page's caption (no text of the image
    is a source line: the caption carries it, as text a reader can select)."""
    assert not [t for t in fig.findobj(Text) if t.get_gid() == pl.SOURCE_GID]
    return fig.dbanalysis["source"]


def chart_ids(fig) -> list[str]:
    """The catalogue ids a chart records in ``fig.dbanalysis`` (not in its source line)."""
    return fig.dbanalysis["figure_ids"]


# --- every chart, drawn once per test process ---------------------------------------------

#: The mass organisations' money, every amount a lower bound (Figure 9.1).
MASS_MONEY = ["mass_solidarity_houses_value", "mass_gifts_value", "mass_union_housing_fund",
              "mass_truong_sa_fund"]

#: Every chart of the report, called as its notebook calls it (figure numbers as the
#: site gives them; titles and captions are not drawn into the image).
NOTEBOOK_CHARTS: dict[str, Callable[[], Figure]] = {
    "0.1 change_since_2015": lambda: db.change_since_2015(title="t"),
    "0.2 plan_achievement": lambda: db.plan_achievement(title="t"),
    "1.1 slope": lambda: db.slope_2015_2019(
        ["agri_cattle", "agri_aquaculture_area", "agri_fish_output"], title="t"),
    "2.1 composition_bar": lambda: db.composition_bar(
        "ind_output_total", ["ind_output_enterprises", "ind_output_households",
                             "ind_output_processing"], title="t"),
    "3.1 level_bars": lambda: db.level_bars(
        ["d_budget_revenue_2015", "d_budget_revenue_plan", "budget_revenue"],
        ranges={"d_budget_revenue_2015": ("d_budget_revenue_2015_low",
                                          "d_budget_revenue_2015_high")}, title="t"),
    "4.1 reading_paths": lambda: db.reading_paths(db.change_readings("labour_poverty_rate"),
                                                  legend_loc="upper right", title="t"),
    "5.1 coverage_bars": lambda: db.coverage_bars(db.pairs(["culture", "tourism"]), title="t"),
    "5.2 achievement_bars": lambda: db.achievement_bars(
        ["culture_villages_vs_district", "culture_villages_vs_province",
         "culture_families_vs_district", "culture_families_vs_province"], title="t"),
    "6.1 share_bars_of": lambda: db.share_bars_of(
        [("edu_schools_standard", "edu_schools_total"), "edu_teachers_qualified",
         "edu_teachers_above_standard"], title="t"),
    "7.1 share_bars_of": lambda: db.share_bars_of(
        [("health_communes_with_station", "health_communes_total"),
         ("health_stations_with_doctor", "health_stations_total"),
         ("health_communes_national_criteria", "health_communes_national_criteria_total")],
        extensions={"health_communes_with_station": "health_communes_station_pending"},
        title="t"),
    "8.1 share_bars_of": lambda: db.share_bars_of(
        [("def_units_good", "def_units_total"), ("sec_forum_communes", "sec_forum_communes_total"),
         ("sec_forum_communes", "award_communes")], title="t"),
    "9.1 bound_bars": lambda: db.bound_bars(
        MASS_MONEY, title="t", subtitle=db.caption_text("chart.subtitle.mass_organisations")),
    "10.1 parts_bar": lambda: db.parts_bar(
        "award_communes", ["nr_communes_met", "nr_communes_near"], title="t"),
    "11.1 award_hierarchy": lambda: db.award_hierarchy(title="t"),
}


def _verdict_bars() -> Figure:
    from dbanalysis.audit.run import run_audit, summary_by_sector

    audit = run_audit()
    return pl.verdict_bars(summary_by_sector(audit), audit, title="t")


#: The other chart calls the tests make: every chart function, including those no
#: notebook calls.
OTHER_CHARTS: dict[str, Callable[[], Figure]] = {
    "value_bars": lambda: pl.value_bars(["sec_security_teams", "sec_mediation_teams",
                                         "sec_selfmanaged_teams"], title="t"),
    "count_bars": lambda: pl.count_bars(["labour_jobs", "labour_trainees"], title="t"),
    "bound_bars of percentages": lambda: pl.bound_bars(
        ["edu_basic_completion", "edu_teachers_qualified"], title="t"),
    "range_bar": lambda: pl.range_bar("culture_sport_people_low", "culture_sport_people_high",
                                      title="t"),
    "marked_coverage_bars": lambda: pl.marked_coverage_bars(sv.pairs_of(
        [("health_communes_with_station", "health_communes_total"),
         ("health_communes_national_criteria", "health_communes_national_criteria_total")]),
        title="t"),
    "share_bars": lambda: pl.share_bars(sv.figure_ids_for("infrastructure"), title="t"),
    "parts_bar of units": lambda: pl.parts_bar("def_units_total", ["def_units_good"],
                                               title="t"),
    "reading_paths, default legend": lambda: pl.reading_paths(
        sv.change_readings("labour_poverty_rate"), title="t"),
    "growth_paths": lambda: pl.reading_paths(sv.growth_paths("trade_turnover"), title="t"),
    "share_bars_of, mixed": lambda: pl.share_bars_of(
        [("def_units_good", "def_units_total"), ("sec_forum_communes", "award_communes"),
         "edu_teachers_qualified"], title="t"),
    "verdict_bars": _verdict_bars,
}
CHARTS = {**NOTEBOOK_CHARTS, **OTHER_CHARTS}
LAYOUTS = ("wide", "phone")
LANGS = ("en", "vi")
#: The charts drawn for a phone (test_plotting, test_chart_collisions): every chart a
#: notebook draws, and two chart calls of other kinds (a share of a total the report does
#: not pair it with beside a plain share; the readings' legend where the chart places it).
PHONE_CHARTS = [*NOTEBOOK_CHARTS, "share_bars_of, mixed", "reading_paths, default legend"]
#: The (language, layout) variants of a chart, in the order ``make test-quick`` rotates
#: them along :data:`CHARTS` (one per chart: every language and layout is drawn).
VARIANTS = (("en", "wide"), ("vi", "phone"), ("en", "phone"), ("vi", "wide"))


def chart_variants(name: str) -> tuple[tuple[str, str], ...]:
    """The (language, layout) variants the chart tests draw chart ``name`` in: every
    language, in both layouts for a chart of :data:`PHONE_CHARTS`, else wide; under
    ``make test-quick`` (:func:`helpers_examples.quick`) one of them, rotating along
    :data:`CHARTS` (:data:`VARIANTS`), so that the quick sweep still draws every chart,
    and each language and each layout across the charts."""
    layouts = LAYOUTS if name in PHONE_CHARTS else ("wide",)
    variants = tuple((lang, layout) for lang in LANGS for layout in layouts)
    if not quick():
        return variants
    i = list(CHARTS).index(name)
    return ((VARIANTS[i % len(VARIANTS)] if name in PHONE_CHARTS
             else (LANGS[i % len(LANGS)], "wide")),)


def sweep_cases(name: str, cases: list, lang_of: Callable[[object], str] = lambda case: case[0]
                ) -> list:
    """The parametrised cases of a test of chart ``name`` in several languages (or
    variants): all of them; under ``make test-quick`` those in a language the quick sweep
    draws the chart in (:func:`chart_langs`), whose copy the chart group has built anyway:
    a case in the other language built one more copy of the chart (0.1-0.6 s each) for it
    alone. The others are left to ``make test``, as the sweep's other variants are."""
    return [case for case in cases if lang_of(case) in chart_langs(name)]


def chart_langs(name: str) -> tuple[str, ...]:
    """The languages of :func:`chart_variants` (both; under ``make test-quick`` one)."""
    return tuple(dict.fromkeys(lang for lang, _ in chart_variants(name)))


def built_layouts(name: str) -> tuple[str, ...]:
    """The layouts of :func:`chart_variants`: those this run builds chart ``name`` in,
    each in every language (a chart's editions are built together): ``make test`` both
    for a chart of :data:`PHONE_CHARTS`; ``make test-quick`` the one its sweep draws."""
    return tuple(dict.fromkeys(layout for _, layout in chart_variants(name)))


def sweep_layout(name: str, lang: str) -> str:
    """The layout the chart sweep draws chart ``name`` in, in ``lang``: its first variant
    in that language (``make test``: wide), else wide."""
    return next((layout for lang_, layout in chart_variants(name) if lang_ == lang), "wide")


def sweep_chart(name: str, lang: str = "en") -> Figure:
    """Chart ``name`` in ``lang`` to read (:func:`read_chart`), in the layout the chart
    sweep draws it in (:func:`sweep_layout`): under ``make test-quick`` a test of one chart
    reads the copy the sweep builds anyway (Figure 1.1 in English: the phone layout),
    not another layout of it; under ``make test`` the wide layout, as before."""
    return read_chart(name, lang, sweep_layout(name, lang))


def swept(name: str) -> Figure:
    """Chart ``name`` to read for a check that holds in every language and layout (its
    ids, its marks' values, its reference lines): the copy the chart sweep draws first
    (:func:`sweep_chart` in the first of :func:`chart_langs`): ``make test`` the wide
    English copy, as before; ``make test-quick`` the one variant its sweep draws, not a
    copy of another variant built for this check alone."""
    return sweep_chart(name, chart_langs(name)[0])


def _built(name: str, lang: str, layout: str) -> bytes:
    """Chart ``name`` built once per test process, pickled (a copy of a figure is
    unpickled in half the time :func:`copy.deepcopy` takes)."""
    return _built_editions(name, layout)[lang][1]


def build_editions(name: str, layout: str = "wide") -> dict[str, Figure]:
    """Chart ``name`` built anew in ``layout`` (``phone``: the layout of
    :func:`dbanalysis.plotting.style.narrow`) in every language, as a notebook's
    :func:`dbanalysis.show` draws it: by the function it draws a chart's editions with
    (:func:`dbanalysis.notebook.bilingual.editions`: their value axes made the same),
    so that a test of these copies tests what a notebook shows: {lang: Figure}."""
    drawn = editions(lambda lang: CHARTS[name](), LANGS, (layout,))
    return {lang: drawn[lang][layout] for lang in LANGS}


@functools.cache
def _built_editions(name: str, layout: str) -> dict[str, tuple[Figure, bytes]]:
    """:func:`build_editions`, once per test process: {lang: (the figure built, kept for
    :func:`read_chart`; it pickled as built, before anything reads it, for
    :func:`fresh_chart`)}; where a process built it from the same code, data and
    libraries (:mod:`helpers_kept`), unpickled from the pickles it kept (their PNGs
    a fresh build's, byte for byte: test_charts_honest builds three anew to compare)."""
    pl.use_house_style()
    path = kept_path(name, layout)
    kept = read_kept(path)
    if kept is not None:
        try:
            return {lang: (pickle.loads(data), data) for lang, data in kept.items()}
        except Exception:  # a damaged pickle inside: built again, kept anew (FINAL25-B 5)
            pass
    built = {lang: (fig, pickle.dumps(fig)) for lang, fig in build_editions(name, layout).items()}
    keep(path, {lang: data for lang, (_, data) in built.items()})
    return built


def fresh_chart(name: str, lang: str = "en", layout: str = "wide") -> Figure:
    """Chart ``name`` as its function returns it (never drawn): a copy of the one built
    for this process, so a test may draw or change it. Its PNG is byte for byte the PNG
    of the chart built anew (test_charts_honest compares them)."""
    return pickle.loads(_built(name, lang, layout))


def read_chart(name: str, lang: str = "en", layout: str = "wide") -> Figure:
    """Chart ``name`` to read, not to change: the figure of :func:`_built_editions` (built
    here, or unpickled once from the pickle an earlier process kept), for every test that
    reads what the chart holds (its marks, texts, limits, ``fig.dbanalysis``) or lays it
    out to measure it (:func:`dbanalysis.plotting.style.renderer`, a draw without
    rendering: laid out again, a chart measures as a fresh one laid out once, to 1e-6 pt,
    checked on every variant). Laid out, the built figure and a copy unpickled from it
    place every text and mark alike, to 0.0 px (1,476 texts and every mark, value axis
    and ``fig.dbanalysis`` of the 66 variants of ``make test``, checked when this was
    first made, and again when the copies were kept on disk). A test that changes a
    chart, or writes its PNG, takes a :func:`fresh_chart`."""
    return _built_editions(name, layout)[lang][0]


#: Charts laid out at their own dpi by :func:`laid_out` and not drawn since: id -> (the
#: figure, its renderer).
_LAID_OUT: dict[int, tuple[Figure, object]] = {}


def laid_out(fig: Figure):
    """:func:`dbanalysis.plotting.style.renderer` for a chart that is only read (a
    :func:`chart_png` or :func:`read_chart` copy): the layout is made on the first call, or
    taken from the draw without rendering that measured the chart's collisions at its own
    dpi (:func:`text_collisions`; :func:`chart_png` for a PNG at the figure's dpi), and kept
    until the figure is drawn again (a PNG draw lays it out at the PNG's dpi), so the
    several checks that measure one chart do not each lay it out anew. A layout made again
    on a chart nothing changed places every text, axes and bar where the last one did, to
    4e-12 px (checked on every variant of every chart when this was added; two layouts in a
    row differ as much: float noise, far below every tolerance of the checks); so does a
    layout against the draw that measured the collisions, to 2.3e-13 px (every text, mark,
    axes, spine and line of ink the checks measure, of the 28 wide copies after
    :func:`chart_png` and the 28 phone copies after :func:`text_collisions`)."""
    kept = _LAID_OUT.get(id(fig))
    if kept is not None and kept[0] is fig:
        return kept[1]
    r = renderer(fig)
    _keep_laid_out(fig, r)
    return r


def _keep_laid_out(fig: Figure, r) -> None:
    """Keep ``r``, a renderer of ``fig`` as laid out at its own dpi, for :func:`laid_out`,
    until ``fig`` is drawn again."""
    _LAID_OUT[id(fig)] = (fig, r)
    fig.canvas.mpl_connect("draw_event", lambda _: _LAID_OUT.pop(id(fig), None))


class DrawnPNG(NamedTuple):
    """A fresh chart after :func:`dbanalysis.plotting.png_bytes`: the figure, its PNG,
    the text collisions measured in the draw that wrote it (:func:`png_collisions`),
    and, when the PNG is at the figure's own dpi (the wide layout), those measured in
    the draw before it, the fresh chart laid out at its dpi (as :func:`text_collisions`
    measures: None when the PNG has another dpi)."""

    fig: Figure
    png: bytes
    collisions: list[str]
    drawn: list[str] | None


@functools.cache
def chart_png(name: str, lang: str = "en", layout: str = "wide") -> DrawnPNG:
    """Chart ``name`` drawn to PNG once per test process, as a notebook shows it."""
    fig = fresh_chart(name, lang, layout)
    with using(lang):
        return DrawnPNG(fig, *_png_and_collisions(fig))


# --- text collisions (issue 18 item 2: charts legible at 390 px) -------------------------

#: Overlap allowed between two boxes, in pixels of the figure (1 px = 1 CSS px at the
#: house's 100 dpi): glyph boxes that merely touch are not a collision.
TOLERANCE_PX = 1.0
#: A text "labels" a mark when its anchor point lies on the mark or within this many
#: pixels of it (a value label starts at its bar's end or on its marker).
ANCHOR_PX = 3.0
#: Lines drawn across the axes as a reference a text must not be crossed by.
REFERENCE_LINES = ("target-line", "total-line", "zero-line")


def _drawn_texts(fig, r) -> list[tuple[str, object, object]]:
    """(name, window extent, artist) of every text a reader sees in the image: tick labels of
    the ticks drawn, axis labels, panel titles, texts placed in axes or figure, legend
    texts. One artist is one box (a wrapped label's lines are one artist)."""
    from matplotlib.transforms import Bbox

    out = []
    seen = set()

    def add(kind, t):
        if id(t) in seen or not t.get_visible() or not t.get_text().strip():
            return
        seen.add(id(t))
        box = t.get_window_extent(r)
        if box.width > 0 and box.height > 0:
            out.append((f"{kind} {' '.join(t.get_text().split())[:48]!r}",
                        Bbox(box.get_points()), t))

    for ax in [a for a in fig.axes if a.get_visible()]:
        for axis, (lo, hi) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            lo, hi = min(lo, hi), max(lo, hi)
            eps = (hi - lo) * 1e-9
            for tick in axis.get_major_ticks() + axis.get_minor_ticks():
                if lo - eps <= tick.get_loc() <= hi + eps and tick.label1.get_visible():
                    add("tick", tick.label1)
            add("axis-label", axis.label)
            add("offset", axis.get_offset_text())
        for t in (ax.title, ax._left_title, ax._right_title):
            add("panel-title", t)
        for t in ax.texts:
            add("text", t)
        if ax.get_legend():
            for t in ax.get_legend().get_texts():
                add("legend", t)
    for lg in fig.legends:
        for t in lg.get_texts():
            add("legend", t)
    for t in fig.texts:
        add("text", t)
    return out


def _marks(fig, r) -> list[tuple[str, object]]:
    """(name, window extent) of every mark drawn on the data: bars (a bar's grey 'whole'
    or 'room' behind it excluded: text over that light grey stays legible), each marker
    of a line, and the reference lines of :data:`REFERENCE_LINES`."""
    import numpy as np
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import Bbox

    out = []
    for ax in [a for a in fig.axes if a.get_visible()]:
        for p in ax.patches:
            gid = str(p.get_gid() or "")
            if (isinstance(p, Rectangle) and p.get_visible() and p.get_width() > 0
                    and p.get_height() > 0 and gid not in ("total",)
                    and not gid.startswith("room:")):
                out.append((f"bar {gid}", Bbox(p.get_window_extent(r).get_points())))
        for ln in ax.get_lines():
            if not isinstance(ln, Line2D) or not ln.get_visible():
                continue
            if ln.get_marker() in (None, "", "None", " ", "none"):
                continue
            half = ln.get_markersize() * fig.dpi / 72 / 2 + ln.get_markeredgewidth() / 2
            pts = ln.get_transform().transform(np.column_stack(ln.get_data()))
            for x, y in pts:
                out.append((f"marker {ln.get_gid()}",
                            Bbox([[x - half, y - half], [x + half, y + half]])))
        for ln in ax.get_lines():  # a reference line across the axes (100 %, total, zero)
            if ln.get_visible() and str(ln.get_gid() or "") in REFERENCE_LINES:
                half = ln.get_linewidth() * fig.dpi / 72 / 2  # the stroke, not its 0-px path
                box = ln.get_window_extent(r).padded(half)
                out.append((f"line {ln.get_gid()}", Bbox(box.get_points())))
    return out


def _overlap(a, b, tol: float = TOLERANCE_PX) -> bool:
    return (min(a.x1, b.x1) - max(a.x0, b.x0) > tol
            and min(a.y1, b.y1) - max(a.y0, b.y0) > tol)


def text_collisions(fig) -> list[str]:
    """Every pair of texts of ``fig`` whose drawn boxes overlap by more than
    :data:`TOLERANCE_PX`, and every text drawn over a bar, marker or reference line it
    does not label (its anchor is not on that mark), measured after
    ``fig.canvas.draw()`` at the figure's own dpi (1 px = 1 CSS px)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from dbanalysis.core.markup import mpl_plain

    mpl_plain(fig)
    canvas = FigureCanvasAgg(fig)
    fig.draw_without_rendering()  # canvas.draw()'s layout and boxes, without the pixels
    r = canvas.get_renderer()
    _keep_laid_out(fig, r)  # laid out at its dpi: the checks that measure it read this
    return _collisions(fig, r, 1.0)


def png_collisions(fig) -> list[str]:
    """:func:`text_collisions` in the draw that makes the chart's PNG
    (:func:`dbanalysis.plotting.png_bytes`: its dpi, its tight box), from the renderer of
    that draw: the boxes of the image a reader sees. ``fig`` fresh, as a notebook shows it."""
    return _png_and_collisions(fig)[1]


def _png_and_collisions(fig) -> tuple[bytes, list[str], list[str] | None]:
    """The PNG of fresh ``fig``, the collisions of the draw that wrote it, and those of
    the fresh chart as laid out at the PNG's dpi, uncropped (png_bytes lays it out and
    measures its tight box, then draws it once in that box), when that dpi is the
    figure's own: what :func:`text_collisions` makes of a fresh chart."""
    seen: list[tuple[float, list[str]]] = []
    own = fig.dpi

    def measure(event) -> None:
        seen.append((fig.dpi, _collisions(fig, event.renderer, fig.dpi / pl.DPI)))

    cid = fig.canvas.mpl_connect("draw_event", measure)
    try:
        data = pl.png_bytes(fig)
    finally:
        fig.canvas.mpl_disconnect(cid)
    assert seen, "the chart was not drawn"
    # the last draw is the one written to the PNG; after it the figure is back at its
    # own dpi and size, laid out as png_bytes laid it out before drawing; the places a
    # draw sets in pixels (an axis title's, a legend's entries) are set again uncropped by
    # a draw without rendering, the layout not made again (as savefig's first draw did)
    first = None
    if seen[-1][0] == own:
        engine = fig.get_layout_engine()
        fig.set_layout_engine("none")
        try:
            fig.draw_without_rendering()
        finally:
            fig.set_layout_engine(engine)
        first = _collisions(fig, fig.canvas.get_renderer(), 1.0)
        _keep_laid_out(fig, fig.canvas.get_renderer())  # laid out at its own dpi
    return data, seen[-1][1], first


def _masks(t, fig) -> bool:
    """Whether text ``t`` is drawn on an opaque box above every reference line."""
    patch = t.get_bbox_patch()
    if patch is None or patch.get_facecolor()[3] < 1:
        return False
    lines = [ln for ax in fig.axes for ln in ax.get_lines()
             if str(ln.get_gid() or "") in REFERENCE_LINES]
    return all(t.get_zorder() > ln.get_zorder() for ln in lines)


def _collisions(fig, r, scale: float) -> list[str]:
    tol, near = TOLERANCE_PX * scale, ANCHOR_PX * scale
    texts = _drawn_texts(fig, r)
    found = []
    for i, (a, box_a, _) in enumerate(texts):
        for b, box_b, _ in texts[i + 1:]:
            if _overlap(box_a, box_b, tol):
                found.append(f"{a} x {b}")
    marks = _marks(fig, r)
    frames: dict = {}
    for name, box, t in texts:
        if not name.startswith("text "):
            continue  # tick labels, axis labels and legends sit off the data by construction
        anchor = t.get_transform().transform(t.get_position())
        for mark, mbox in marks:
            if mark.startswith("line ") and _masks(t, fig):
                continue  # on an opaque box drawn over the line: the line pauses under it
            if _overlap(box, mbox, tol) and not (
                    mbox.x0 - near <= anchor[0] <= mbox.x1 + near
                    and mbox.y0 - near <= anchor[1] <= mbox.y1 + near):
                found.append(f"{name} on {mark}")  # not the mark this text labels
        found += [f"{name} across the {side} frame"
                  for side in _frames_crossed(t, box, r, tol, frames)]
    return found


def _frames_crossed(t, box, r, tol: float, frames: dict) -> list[str]:
    """The sides of its axes' frame (the spines drawn) that text ``t`` (a text placed in
    the axes, drawn in ``box``) runs across: it straddles the frame line by more than
    ``tol`` px on each side (QA-1450 item 2: a value label crossing the right frame; the
    texts and marks above did not count the frame). ``frames``: the frame lines of each
    axes as measured with ``r``, filled on first use (one measure per axes and draw, not
    one per text)."""
    ax = t.axes
    if ax is None:
        return []
    if ax not in frames:
        frames[ax] = [(side, spine.get_window_extent(r)) for side, spine in ax.spines.items()
                      if spine.get_visible()]
    out = []
    for side, line in frames[ax]:
        if side in ("left", "right"):
            x = (line.x0 + line.x1) / 2
            if (box.x0 + tol < x < box.x1 - tol
                    and min(box.y1, line.y1) - max(box.y0, line.y0) > tol):
                out.append(side)
        else:
            y = (line.y0 + line.y1) / 2
            if (box.y0 + tol < y < box.y1 - tol
                    and min(box.x1, line.x1) - max(box.x0, line.x0) > tol):
                out.append(side)
    return out
