"""Every chart the tests draw to PNG, and the layouts the checks measure (tests only):
:func:`chart_png` (the PNG and the text collisions of its draw, kept on disk between runs
as the figures are, :mod:`helpers_kept`; the PNG's pixels made only where a test reads
them, :func:`with_pixels`, else the same draw without them, :func:`png_measures`),
:func:`laid_out`, :func:`text_collisions`."""

import functools
import hashlib
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from helpers_charts import (
    CHARTS,
    NOTEBOOK_CHARTS,
    _built,
    chart_variants,
    fresh_chart,
    read_chart,
)
from helpers_collisions import _collisions
from helpers_kept import keep, kept_path, read_kept
from matplotlib.figure import Figure

from dbanalysis import plotting as pl
from dbanalysis.core.language import using
from dbanalysis.plotting.style import renderer

#: Every notebook chart in the variants this run draws (:func:`helpers_charts.chart_variants`).
#: The checks of the chart modules (test_chart_collisions, test_chart_lines,
#: test_chart_phone_rows) measure :attr:`helpers_drawn.DrawnPNG.fig`, that is
#: :func:`drawn_copy`, made once per process on its first call: the figure the PNG was
#: drawn from where this process drew that variant's PNG at the figure's dpi (the wide
#: layout) before that call, else the copy the chart tests read, drawn at its dpi. Which
#: of the two depends on whether this process drew the PNG first: with nothing kept, in
#: the chart group's order (test_plotting draws the PNGs first), the PNG's figure; with
#: the PNG kept by an earlier run, a phone layout, or run out of that order (one module,
#: ``-k``), the read copy. The two measure alike, to 2e-4 px, and the read copy as a
#: fresh copy drawn at its dpi, to 0.0 px, on every variant
#: (bench/chart_kept_png_check.py, A and B); the checks only read it.
NOTEBOOK_VARIANTS = [pytest.param(name, lang, layout, id=f"{name}-{lang}-{layout}")
                     for name in NOTEBOOK_CHARTS for lang, layout in chart_variants(name)]

#: Charts laid out at their own dpi by :func:`laid_out` and not drawn since: id -> (the
#: figure, its renderer).
_LAID_OUT: dict[int, tuple[Figure, object]] = {}
#: The fresh copy of each chart variant whose PNG :func:`chart_png` drew in this process
#: at the figure's own dpi (the wide layout), left laid out and drawn uncropped at that
#: dpi by the draw that measured its first collisions (:func:`_png_draw`): (name,
#: language, layout) -> the figure, for :func:`drawn_copy`.
_PNG_FIGURES: dict[tuple[str, str, str], Figure] = {}


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


class DrawnPNG:
    """Chart ``name`` in ``lang`` and ``layout`` (``key``) after
    :func:`dbanalysis.plotting.png_bytes`: its PNG (None where its pixels were not made:
    :func:`chart_png`), the text collisions measured in the draw that wrote it
    (:func:`png_collisions`), and ``drawn``, those of the fresh chart laid out at its own
    dpi (as :func:`text_collisions` measures: when the PNG is at that dpi, the wide
    layout, in the draw before it; else of :func:`drawn_copy`); its :attr:`size` and
    :attr:`text`; and :attr:`fig`, the chart as drawn at its dpi, to measure."""

    def __init__(self, key: tuple[str, str, str], png: bytes | None, collisions: list[str],
                 drawn: list[str], size: tuple[int, int] | None = None,
                 text: dict[str, str] | None = None):
        self.key, self._png, self.collisions, self.drawn = key, png, collisions, drawn
        self._size, self._text = size, text

    @property
    def png(self) -> bytes:
        """The PNG's bytes: made for the variants whose bytes a test reads
        (:func:`with_pixels`), not for the others."""
        assert self._png is not None, (
            f"{self.key}: its PNG's pixels are not made (helpers_drawn.with_pixels): "
            "read its size, text and collisions, or add it there")
        return self._png

    @property
    def size(self) -> tuple[int, int]:
        """(width, height) in pixels: read from the PNG where its pixels were made, else
        the size of the image the draw that would write it drew into (the Agg buffer
        ``print_png`` encodes: :func:`png_measures`)."""
        if self._png is None:
            assert self._size is not None
            return self._size
        from PIL import Image

        with Image.open(io.BytesIO(self._png)) as im:
            return im.size

    @property
    def text(self) -> dict[str, str]:
        """The PNG's text chunks (:func:`dbanalysis.plotting.png_text`) where its pixels
        were made, else those png_bytes handed the PNG writer (matplotlib writes each
        that is not None: :func:`png_measures`)."""
        if self._png is None:
            assert self._text is not None
            return self._text
        return pl.png_text(self._png)

    @property
    def fig(self) -> Figure:
        """:func:`drawn_copy` of the chart, drawn without rendering at its own dpi, as
        the draw that writes the PNG readies it (its text plain), once per process, and
        laid out once for every check that measures it (here and in the other chart
        modules: :func:`laid_out`): the figure the PNG was drawn from, where this process
        drew it at that dpi (the wide layout) before :func:`drawn_copy`'s first call for
        it, else the copy the chart tests read, drawn so (which one: whether this process
        drew the PNG first, :data:`NOTEBOOK_VARIANTS`). That copy measures as the figure
        the PNG was drawn from, every box, text and tick the checks read, to 2e-4 px, and
        as a fresh copy drawn at its dpi, to 0.0 px (every variant of ``make test``:
        bench/chart_kept_png_check.py)."""
        return drawn_copy(*self.key)


@functools.cache
def drawn_copy(name: str, lang: str, layout: str) -> Figure:
    """Chart ``name`` drawn without rendering at its own dpi, once per process (cached on the
    first call, which alone looks for a PNG's figure): the figure whose PNG
    :func:`chart_png` drew in this process at that dpi before this first call (the wide
    layout: laid out at it by png_bytes, then drawn uncropped at it for its first
    collisions, :func:`_png_draw`; it is that draw's layout and draw, not one more of
    another copy; a PNG drawn after it registers a figure nobody reads), else
    :func:`helpers_charts.read_chart`'s copy drawn so (:func:`text_collisions`' draw, on
    the canvas the PNG is drawn on:
    :func:`dbanalysis.plotting.measure.measuring_canvas`, whose text measures all charts
    share, as the PNG draws do). The two measure alike, every box, text, tick and
    check's finding, to 2e-4 px (bench/chart_kept_png_check.py, A and B). (Drawn on
    matplotlib's own canvas, as :func:`text_collisions` draws, every box and collision
    is the same: 0.0 px on every variant, bench/chart_kept_png_check.py;
    test_charts_honest compares the two measures of one chart every run.)"""
    from dbanalysis.plotting.measure import measuring_canvas

    drawn = _PNG_FIGURES.get((name, lang, layout))
    if drawn is not None:
        return drawn
    fig = read_chart(name, lang, layout)
    with using(lang):
        _draw_at_own_dpi(fig, measuring_canvas)
    return fig


def measured_copy(name: str, lang: str, layout: str) -> Figure:
    """Chart ``name``'s copy that the checks measuring a whole chart read (laid out once
    for all of them: :func:`laid_out`): :func:`drawn_copy` where the chart modules draw
    one (every notebook chart, every phone layout, in the variants this run draws:
    :func:`helpers_charts.chart_variants`; that draw is its one layout, not one made here
    and again there), else :func:`helpers_charts.read_chart`'s."""
    if (lang, layout) in chart_variants(name) and (name in NOTEBOOK_CHARTS
                                                   or layout == "phone"):
        return drawn_copy(name, lang, layout)
    return read_chart(name, lang, layout)


@functools.cache
def _code_key() -> str:
    """This module's code and the collision measures' (the draw and what it measures)."""
    from dbanalysis.core import cache

    here = Path(__file__).parent
    return cache.content_hash([here / "helpers_drawn.py", here / "helpers_collisions.py"])


def png_path(name: str, lang: str, layout: str, drawn_by: str = "") -> Path:
    """Where :func:`chart_png`'s results for chart ``name`` are kept: under the key of
    :func:`helpers_kept.kept_path` (the package's code, the chart calls, the data, every
    library, the fonts, matplotlib's settings as they are now, at the draw) and the
    hash of the pickle of the figure drawn and of this module's code; those of
    :func:`kept_draw`, besides, under ``drawn_by``."""
    figure = hashlib.sha256(_built(name, lang, layout)).hexdigest()
    return kept_path(f"png\0{name}\0{lang}\0{figure}\0{_code_key()}\0{drawn_by}", layout)


def kept_draw(key: tuple[str, str, str], code: Path, draw: Callable[[], bytes]
              ) -> tuple[bytes, bool]:
    """``draw()``, an image of a fresh copy of chart ``key`` (name, language, layout)
    drawn by the code of file ``code`` (a test module's: its hash is in the key), and
    whether it was kept by an earlier process (:func:`png_path`: kept as
    :func:`chart_png`'s results are, drawn again where the kept file is damaged, not
    read or kept under CI)."""
    from dbanalysis.core import cache

    path = png_path(*key, drawn_by=cache.content_hash([code]))
    kept = read_kept(path)
    if kept is not None and isinstance(kept.get("png"), bytes):
        return kept["png"], True
    data = draw()
    keep(path, {"png": data})
    return data, False


def with_pixels(name: str, lang: str, layout: str) -> bool:
    """Whether :func:`chart_png` makes the pixels of chart ``name``'s PNG in ``lang`` and
    ``layout``: in the first variant of :func:`helpers_charts.chart_variants` (``make
    test``: wide, in English), the one whose bytes tests read (its pixels against
    matplotlib's own tight save, its text chunks, its bytes against a chart built anew
    or saved by save_png). Of the other variants (``make test``: 48, the Vietnamese wide
    layout and both phone layouts; ~45 ms of rasterising and zlib encoding each, 2x the
    dpi for a phone) tests read the collisions of the PNG's draw, its size and its text
    chunks: :func:`png_measures` draws it without the pixels."""
    return name in CHARTS and (lang, layout) == chart_variants(name)[0]


def _read_kept_png(path: Path, pixels: bool
                   ) -> tuple[bytes | None, list[str], list[str], tuple[int, int] | None,
                              dict[str, str] | None] | None:
    kept: dict[str, Any] | None = read_kept(path)
    if kept is None:
        return None
    png, collisions, drawn = kept.get("png"), kept.get("collisions"), kept.get("drawn")
    size, text = kept.get("size"), kept.get("text")
    if not ((isinstance(png, bytes) and png.startswith(b"\x89PNG") if pixels else
             png is None and isinstance(size, tuple) and len(size) == 2
             and all(isinstance(n, int) for n in size) and isinstance(text, dict)
             and all(isinstance(k, str) and isinstance(v, str) for k, v in text.items()))
            and isinstance(collisions, list) and all(isinstance(c, str) for c in collisions)
            and isinstance(drawn, list) and all(isinstance(c, str) for c in drawn)):
        return None  # damaged or of another form: drawn again, kept anew
    return png, collisions, drawn, size, text


@functools.cache
def chart_png(name: str, lang: str = "en", layout: str = "wide") -> DrawnPNG:
    """Chart ``name`` drawn to PNG once per test process, as a notebook shows it (its
    pixels made where a test reads them, :func:`with_pixels`; else the same draw without
    them, :func:`png_measures`); where a process drew the same figure with the same
    code, libraries, fonts and settings (:func:`png_path`), its PNG (or measures) and
    collisions as it kept them (not under CI: nothing kept is read,
    :func:`helpers_kept.on_ci`). Every run compares some with a draw now:
    test_charts_honest three charts built anew (wide), test_kept_draws one for a phone
    (its measures against a PNG drawn now)."""
    pixels = with_pixels(name, lang, layout)
    # (a PNG and a draw without pixels kept apart: make test-quick draws other variants
    # with pixels than make test, and would each take the other's as damaged)
    path = png_path(name, lang, layout, drawn_by="" if pixels else "measures")
    kept = _read_kept_png(path, pixels)
    if kept is not None:
        return DrawnPNG((name, lang, layout), *kept)
    fig = fresh_chart(name, lang, layout)
    size = text = None
    with using(lang):
        if pixels:
            png, collisions, drawn = png_and_collisions(fig)
        else:
            png = None
            size, text, collisions, drawn = png_measures(fig)
        if drawn is None:  # (a PNG at another dpi: the copy drawn at the figure's)
            copy = drawn_copy(name, lang, layout)
            drawn = _collisions(copy, laid_out(copy), 1.0)
        else:  # laid out and drawn at its dpi: the copy the checks measure (drawn_copy)
            _PNG_FIGURES.setdefault((name, lang, layout), fig)
    keep(path, {"png": png, "collisions": collisions, "drawn": drawn, "size": size,
                "text": text})
    return DrawnPNG((name, lang, layout), png, collisions, drawn, size, text)


def text_collisions(fig) -> list[str]:
    """Every pair of texts of ``fig`` whose drawn boxes overlap by more than
    :data:`helpers_collisions.TOLERANCE_PX`, and every text drawn over a bar, marker or
    reference line it does not label (its anchor is not on that mark), measured after
    ``fig.canvas.draw()`` at the figure's own dpi (1 px = 1 CSS px)."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    return _collisions(fig, _draw_at_own_dpi(fig, FigureCanvasAgg), 1.0)


def _draw_at_own_dpi(fig: Figure, canvas_of):
    """Draw ``fig`` on the Agg canvas ``canvas_of(fig)`` attaches, as ``canvas.draw()``
    draws it without the pixels (the layout, then every artist placed and measured), its
    texts plain as in its PNG; its renderer, kept for :func:`laid_out`."""
    from dbanalysis.core.markup import mpl_plain

    mpl_plain(fig)
    canvas = canvas_of(fig)
    fig.draw_without_rendering()  # canvas.draw()'s layout and boxes, without the pixels
    r = canvas.get_renderer()
    _keep_laid_out(fig, r)  # laid out at its dpi: the checks that measure it read this
    return r


def png_collisions(fig) -> list[str]:
    """:func:`text_collisions` in the draw that makes the chart's PNG
    (:func:`dbanalysis.plotting.png_bytes`: its dpi, its tight box), from the renderer of
    that draw: the boxes of the image a reader sees. ``fig`` fresh, as a notebook shows it."""
    return png_and_collisions(fig)[1]


def png_and_collisions(fig) -> tuple[bytes, list[str], list[str] | None]:
    """The PNG of fresh ``fig``, the collisions of the draw that wrote it, and those of
    the fresh chart as laid out at the PNG's dpi, uncropped (png_bytes lays it out and
    measures its tight box, then draws it once in that box), when that dpi is the
    figure's own: what :func:`text_collisions` makes of a fresh chart."""
    data, collisions, first = _png_draw(fig)
    return data, collisions, first


def png_measures(fig) -> tuple[tuple[int, int], dict[str, str], list[str], list[str] | None]:
    """:func:`png_and_collisions` without the pixels: png_bytes run on fresh ``fig`` as
    it is (its tight box measured at the PNG's dpi, then savefig's one draw in that box,
    on the same canvas and renderer), the renderer's drawing calls made no-ops for that
    draw as matplotlib's own ``draw_without_rendering`` makes them, and nothing encoded.
    Every artist is still placed and measured by that draw, so its collisions are those
    of the PNG's draw (text boxes come from the renderer's text measures, not from its
    drawing calls). Returns the size of the image it drew into (the Agg buffer
    ``print_png`` encodes into the PNG), the text chunks png_bytes asked for (those not
    None: matplotlib writes no chunk for None), and the two collision measures. The same
    as those of the PNG drawn with its pixels (size, text and both measures) on every
    variant of every chart of ``make test`` but those :func:`with_pixels` (57, the 48 the
    tests draw so among them), when this was made; test_kept_draws compares one with a
    PNG drawn now every run."""
    import numpy as np
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    from dbanalysis.plotting.measure import measuring_canvas

    canvas = measuring_canvas(fig)  # (as png_bytes attaches it: the canvas it draws on)
    got: dict[str, Any] = {}

    def print_png(filename_or_obj, *, metadata=None, pil_kwargs=None, **_) -> None:
        # FigureCanvasAgg.print_png's draw, drawing disabled; no pixels to encode
        with canvas.get_renderer()._draw_disabled():
            FigureCanvasAgg.draw(canvas)
        height, width = np.asarray(canvas.buffer_rgba()).shape[:2]
        got["size"] = (int(width), int(height))
        got["text"] = {k: str(v) for k, v in (metadata or {}).items() if v is not None}

    canvas.print_png = print_png  # this draw only
    try:
        _, collisions, first = _png_draw(fig)
    finally:
        del canvas.print_png
    assert got, "png_bytes did not save the chart as PNG"
    return got["size"], got["text"], collisions, first


def _png_draw(fig) -> tuple[bytes, list[str], list[str] | None]:
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
