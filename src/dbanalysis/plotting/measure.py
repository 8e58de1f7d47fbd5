"""Measuring a chart's texts and axes cheaply and exactly: an Agg canvas and renderer for
a figure (:func:`canvas_renderer`, :func:`measuring_canvas`) whose text measures are
shared by every renderer of every chart, and, inside one layout, each axis's ticks,
tick-label boxes and spine extents worked out once per state, each legend packed once and
boxes joined in one array (:func:`ticks_updated_once`); the paths of outlined texts (a
value label on its halo) made once per string and font (:class:`_KeptTextToPath`).
Every measure is the one matplotlib would make: a chart measures and draws as before,
byte for byte (bench/chart_hashes.py); its plain text is drawn by :mod:`.glyphs`, each
string shaped and each glyph rasterised once. Measures and shapings are kept between
processes (:mod:`.kept_measures`), and the canvas takes its PNG's encoding from
:mod:`.kept_pngs` where an earlier process encoded the same pixels (the image is drawn in
full each time). Used by :mod:`.spacing`, :mod:`.style`, :mod:`.rows`, :mod:`.ticks` and
:mod:`.provenance`.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from typing import Any

import numpy as np
from matplotlib.axis import XAxis, YAxis
from matplotlib.figure import Figure


def canvas_renderer(fig: Figure):
    """An Agg renderer for ``fig`` (attaching a :func:`measuring_canvas` when it has no
    Agg canvas), its layout as last made (not run again:
    :func:`dbanalysis.plotting.style.renderer` runs it)."""
    return measuring_canvas(fig).get_renderer()


#: Text measures shared by every renderer of every chart (:class:`_MeasuringRenderer`),
#: keyed on all they depend on: matplotlib keeps them per renderer only, and a chart gets
#: a new renderer each time its size changes while it is fitted and twice more when its
#: PNG is saved (the tight box), so the same tick labels were measured again and again.
_TEXT_MEASURES: dict[tuple, tuple[float, float, float]] = {}
_FONT_HEIGHTS: dict[tuple, tuple[float, float, float]] = {}
#: Most strings kept (a report's charts measure a few thousand).
_MAX_MEASURES = 100_000
#: Paths of outlined plain texts (:class:`_KeptTextToPath`): (vertices, codes) per string,
#: font, features and language.
_TEXT_PATHS: dict[tuple, tuple] = {}
#: Most paths kept: 10-20 KB each (a report's charts outline about a hundred strings), so
#: at most ~40 MB in a long lab session, not the measures' cap of three floats each.
_MAX_PATHS = 2_000


def _measuring_classes():
    """The Agg canvas and renderer that keep text measures across renderers (made on
    first use: the Agg backend is imported only when a chart is drawn)."""
    global _CLASSES
    if _CLASSES is not None:
        return _CLASSES
    import matplotlib as mpl
    from matplotlib import cbook
    from matplotlib import image as mimage
    from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
    from matplotlib.font_manager import fontManager, get_font
    from matplotlib.ft2font import FT2Font
    from matplotlib.textpath import TextToPath

    from . import glyphs, kept_measures, kept_pngs

    _DRAWS_GLYPHS = hasattr(RendererAgg, "_prepare_font") and glyphs.can_draw(FT2Font)

    rc_values: Any = mpl.rcParams  # read as a dict (dict.__getitem__): the values as stored
    rc_keys = [f"font.{k}" for k in ("family", "style", "variant", "weight", "stretch",
                                     "size", "serif", "sans-serif", "cursive", "fantasy",
                                     "monospace", "enable_last_resort")]
    rc_keys += ["text.hinting", "text.kerning_factor"]

    def font_key(prop, dpi: float) -> tuple:
        # all a string's measures depend on besides the string: the font, as
        # FontManager.findfont resolves it (the properties by name, whatever order
        # FontProperties sets them in; the font rcParams; the fonts it knows), the dpi,
        # and the rcParams get_font and FT2Font.set_text read (its size is one of the
        # properties; from matplotlib 3.11, pyproject's lower bound, get_font no longer
        # reads text.hinting_factor)
        rc = tuple([tuple(v) if v.__class__ is list else v
                    for v in [dict.__getitem__(rc_values, k) for k in rc_keys]])
        return (tuple(sorted(vars(prop).items())), rc, id(fontManager),
                len(fontManager.ttflist), dpi)

    class _KeptTextToPath(TextToPath):
        """:class:`TextToPath` (what a renderer draws a text with a path effect with: the
        white outline of :func:`.spacing.halo_texts`) whose path of a plain text is made
        once per string, font and size (:func:`font_key`: the path itself is made at
        TextToPath's fixed size, so sizes only keep copies apart), features and
        language: matplotlib makes it anew at each draw (shaping the string, loading
        each glyph's outline), and a kernel draws each outlined value label twice, in the
        wide PNG and in the phone's. The same path, by the same code."""

        def get_text_path(self, prop, s, ismath=False, *, features=None, language=None):
            if ismath:  # mathtext and TeX: as matplotlib makes them
                return super().get_text_path(prop, s, ismath, features=features,
                                             language=language)
            key = (s, font_key(prop, self.DPI), None if features is None else tuple(features),
                   tuple(map(tuple, language)) if isinstance(language, list) else language)
            got = _TEXT_PATHS.get(key)
            if got is None:
                if len(_TEXT_PATHS) > _MAX_PATHS:  # a long session: start afresh
                    _TEXT_PATHS.clear()
                verts, codes = super().get_text_path(prop, s, ismath, features=features,
                                                     language=language)
                got = _TEXT_PATHS[key] = (np.asarray(verts, float).reshape(-1, 2), list(codes))
            return got[0].copy(), list(got[1])  # (a caller may change its own copy)

    text_paths = _KeptTextToPath()

    class _MeasuringRenderer(RendererAgg):
        """:class:`RendererAgg` whose plain-text measures (width, height, descent of a
        string; the font's line heights) are computed once per font, size and dpi for
        all renderers: the same numbers, by the same code, not recomputed; and whose
        paths of outlined texts are made once (:class:`_KeptTextToPath`)."""

        def __init__(self, width, height, dpi):
            super().__init__(width, height, dpi)
            self._text2path = text_paths

        def get_text_width_height_descent(self, s, prop, ismath):
            if ismath:  # mathtext and TeX: as matplotlib measures them
                return super().get_text_width_height_descent(s, prop, ismath)
            fkey = font_key(prop, self.dpi)
            key = (s, fkey)
            got = _TEXT_MEASURES.get(key)
            if got is None:
                if len(_TEXT_MEASURES) > _MAX_MEASURES:  # a long session: start afresh
                    _TEXT_MEASURES.clear()
                # kept on disk by an earlier process, or measured now and kept
                got = _TEXT_MEASURES[key] = kept_measures.measured(
                    s, fkey, prop,
                    lambda: super(_MeasuringRenderer, self).get_text_width_height_descent(
                        s, prop, ismath))
            return got

        def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
            # plain text: shaped and rasterised glyph by glyph once (.glyphs)
            if ismath or not _DRAWS_GLYPHS:
                return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
            return glyphs.draw_text(self, gc, x, y, s, prop, angle, mtext,
                                    font_key(prop, self.dpi))

        def _get_font_height_metrics(self, prop):
            # matplotlib's Text._get_layout reads these from the font's tables for every
            # text it measures; this hook (its own, for the PDF and PS backends) returns
            # them as it computes them, at this renderer's dpi (the figure's: the Agg
            # canvas makes its renderer at the figure's dpi)
            key = font_key(prop, self.dpi)
            got = _FONT_HEIGHTS.get(key)
            if got is None:
                font = get_font(fontManager._find_fonts_by_props(prop))
                got = _FONT_HEIGHTS[key] = _font_heights(font, prop, self.dpi)
            return got

    class _MeasuringCanvas(FigureCanvasAgg):
        """:class:`FigureCanvasAgg` drawing with a :class:`_MeasuringRenderer`, its PNG's
        encoding of pixels an earlier process encoded kept (:mod:`.kept_pngs`)."""

        def _print_pil(self, filename_or_obj, fmt, pil_kwargs, metadata=None):
            if fmt != "png" or pil_kwargs:  # (Pillow's options: not in the key)
                return super()._print_pil(filename_or_obj, fmt, pil_kwargs, metadata)
            FigureCanvasAgg.draw(self)  # as matplotlib's: drawn in full
            pixels, dpi = self.buffer_rgba(), self.figure.dpi

            def encode() -> bytes:  # matplotlib's own writing of the PNG
                buf = io.BytesIO()
                mimage.imsave(buf, pixels, format=fmt, origin="upper", dpi=dpi,
                              metadata=metadata, pil_kwargs=pil_kwargs)
                return buf.getvalue()

            data = kept_pngs.encoded(pixels, dpi, metadata, encode)
            with cbook.open_file_cm(filename_or_obj, "wb") as fh:
                fh.write(data)

        def get_renderer(self):
            w, h = self.get_width_height(physical=True)
            key = w, h, self.figure.dpi
            if self._lastKey != key:
                self.renderer = _MeasuringRenderer(w, h, self.figure.dpi)
                self._lastKey = key
            return self.renderer

    _CLASSES = (_MeasuringCanvas, _MeasuringRenderer)
    _lay_out_texts_once(_MeasuringRenderer, font_key)
    return _CLASSES


_CLASSES: tuple | None = None
#: A text's layout (matplotlib's ``Text._get_layout``: its box and the place of each
#: line, before it is moved to its position) per string, font, alignment, rotation, line
#: spacing and dpi (:func:`_lay_out_texts_once`).
_TEXT_LAYOUTS: dict[tuple, tuple] = {}


def _lay_out_texts_once(measuring_renderer: Any, font_key: Callable[[Any, float], tuple]
                        ) -> None:
    """Make matplotlib's ``Text._get_layout`` lay a text out once for every chart and
    every layout pass when ``measuring_renderer`` measures it: a layout pass measures
    each tick label, title and legend entry at least twice, a chart is laid out 2-13
    times and its PNG twice more, and the layout of a text depends on nothing that
    changes between them: its string, font (:func:`font_key`, as the renderer keys its
    measures), alignments, rotation, line spacing and dpi, all in the key. Left to
    matplotlib: another renderer, a subclass of ``Text`` (it may lay out otherwise), a
    text that wraps or turns with its transform (its layout depends on where it is),
    TeX and mathtext (their own rcParams). The numbers are matplotlib's, computed once."""
    from matplotlib import text as mtext

    Text: Any = mtext.Text  # its private method and attributes (typed Any: not in its stubs)
    Annotation: Any = mtext.Annotation
    if getattr(Text._get_layout, "_dbanalysis", False):
        return
    lay_out = Text._get_layout

    def _get_layout(self: Any, renderer: Any) -> tuple:
        if (renderer.__class__ is not measuring_renderer
                or (self.__class__ is not Text and self.__class__ is not Annotation)
                or self._wrap or self._transform_rotates_text or self._usetex
                or (self._parse_math and "$" in self._text)):
            return lay_out(self, renderer)
        key = (self.__class__, self._text, font_key(self._fontproperties, renderer.dpi),
               self.get_figure(root=True).dpi, self._horizontalalignment,
               self._verticalalignment, self._multialignment, self._rotation,
               self._rotation_mode, self._linespacing)
        got = _TEXT_LAYOUTS.get(key)
        if got is None:
            if len(_TEXT_LAYOUTS) > _MAX_MEASURES:  # a long session: start afresh
                _TEXT_LAYOUTS.clear()
            got = _TEXT_LAYOUTS[key] = lay_out(self, renderer)
        box, lines, corner = got
        return box.frozen(), list(lines), corner  # (a caller may change its own copy)

    _get_layout._dbanalysis = True  # type: ignore[attr-defined]
    Text._get_layout = _get_layout


def _font_heights(font, prop, dpi: float) -> tuple[float, float, float]:
    """(ascent, descent, line gap) of ``font`` at ``prop``'s size and ``dpi``, in pixels,
    from its OS/2 or hhea table: the arithmetic of matplotlib's ``Text._get_layout``."""
    possible = [("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
                ("hhea", "lineGap", "ascent", "descent")]
    for table_name, linegap_key, ascent_key, descent_key in possible:
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        fontsize = prop.get_size_in_points()
        units_per_em = font.get_sfnt_table("head")["unitsPerEm"]
        scale = 1 / units_per_em * fontsize * dpi / 72
        return (table[ascent_key] * scale, -table[descent_key] * scale,
                table[linegap_key] * scale)
    return (None, None, None)  # type: ignore[return-value]  # matplotlib measures "lp"


def measuring_canvas(fig: Figure):
    """Attach to ``fig`` an Agg canvas whose renderers share their text measures (a
    string's extent at a font, size and dpi is measured once for every chart and every
    layout pass): the extents are the numbers matplotlib's own renderer computes, so a
    chart is laid out and drawn as before, byte for byte (``bench/chart_hashes.py``).
    A figure that already has an Agg canvas (pyplot's, say) keeps it."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if isinstance(fig.canvas, FigureCanvasAgg):
        return fig.canvas
    return _measuring_classes()[0](fig)


@contextlib.contextmanager
def ticks_updated_once(fig: Figure) -> Iterator[None]:
    """Inside the block, each axis of ``fig`` works out its ticks once for each view
    interval, axes box and dpi (the view interval only, for locators that do not look at
    the axes' size: :func:`_size_free`), not at every call. matplotlib's ``Axis._update_ticks``
    (the tick locations, their labels formatted and set on the tick artists, and the ticks
    inside the view) runs each time a layout or a tight box measures an axis, its label,
    its spines (4 per axes) or a sibling's tick labels: about 8 times per axes for one
    measure, 30 per layout; most calls of a laid-out chart redo the previous one with the
    same inputs. So, with the same key, do the boxes of an axis's tick labels (measured
    twice per axis and measure: for the axis title's place, then for the axis) and the
    extent of each spine (twice for the bottom and left ones: for the axis title's place,
    then as an artist of the axes), and the packing of each legend's entries
    (:func:`_packed_once`). Only for code that changes no locator, formatter, tick, spine
    or legend itself while it runs (the layout engine, ``get_tightbbox``, a draw):
    everything else they depend on is in the key, and the block's end puts matplotlib's
    own methods back."""
    installed: list[tuple[Any, str]] = []
    union = _union_of_corners() if _UNIONS[0] == 0 else None
    _UNIONS[0] += 1
    try:
        for ax in fig.axes:
            for axis in (ax.xaxis, ax.yaxis):
                if _UPDATE_TICKS in vars(axis):
                    continue  # an enclosing block's already
                # an attribute of the instance hides the class's method, for this axis only
                setattr(axis, _UPDATE_TICKS, _once(axis, getattr(axis, _UPDATE_TICKS)))
                installed.append((axis, _UPDATE_TICKS))
                setattr(axis, _TICKLABEL_BOXES,
                        _boxes_once(axis, getattr(axis, _TICKLABEL_BOXES)))
                installed.append((axis, _TICKLABEL_BOXES))
            for spine in ax.spines.values():
                if _SPINE_EXTENT not in vars(spine):
                    setattr(spine, _SPINE_EXTENT,
                            _extent_once(ax, getattr(spine, _SPINE_EXTENT)))
                    installed.append((spine, _SPINE_EXTENT))
        for legend in [ax.get_legend() for ax in fig.axes] + list(fig.legends):
            box = getattr(legend, _LEGEND_BOX, None)  # (None: no legend)
            if box is not None and _PACKING not in vars(box):
                setattr(box, _PACKING, _packed_once(box, getattr(box, _PACKING)))
                installed.append((box, _PACKING))
        yield
    finally:
        try:
            for obj, name in installed:
                delattr(obj, name)
        finally:
            _UNIONS[0] -= 1
            if union is not None:
                from matplotlib.transforms import BboxBase

                setattr(BboxBase, _UNION, union)  # matplotlib's own again


#: How many :func:`ticks_updated_once` blocks are open (the outermost puts back
#: matplotlib's ``BboxBase.union``).
_UNIONS = [0]
#: matplotlib's static method that takes the box round boxes (public: ``Bbox.union``).
_UNION = "union"


def _union_of_corners() -> Any:
    """Make ``BboxBase.union`` (the box round boxes: a layout and a tight box take the
    union of an axis's tick labels, of them and its spine, of an axes' parts, some 30
    times a layout) take the least and greatest corner coordinates of all the boxes at
    once, in one array, rather than four properties of each box, each an array
    reduction of its own, then four more reductions (15 % of a layout's time): the
    same numbers (a minimum of minima is the minimum; NaN is kept as numpy keeps it),
    the same box, byte for byte (bench/chart_hashes.py). matplotlib's method is
    returned, to be put back."""
    from matplotlib.transforms import Bbox, BboxBase

    own = vars(BboxBase)[_UNION]  # its staticmethod, as the class holds it

    def union(bboxes):
        if not len(bboxes):
            raise ValueError("'bboxes' cannot be empty")
        corners = np.concatenate([b.get_points() for b in bboxes])
        (x0, y0), (x1, y1) = corners.min(axis=0), corners.max(axis=0)
        return Bbox([[x0, y0], [x1, y1]])

    setattr(BboxBase, _UNION, staticmethod(union))
    return own


#: A legend's box of entries (matplotlib's private attribute: a ``VPacker``).
_LEGEND_BOX = "_legend_box"
#: matplotlib's private method that packs an offset box: its size and its children's
#: places in it (``get_bbox`` and ``get_window_extent`` are made of it).
_PACKING = "_get_bbox_and_child_offsets"


def _packed_once(box, pack: Callable[[Any], tuple]) -> Callable[[Any], tuple]:
    """A legend's ``_get_bbox_and_child_offsets``, packed again only for another
    renderer, dpi or width and height set on the box: a layout measures each legend in
    both its passes and a draw twice (its frame, then its entries), the same entries
    of the same sizes (a legend's place, which moves with its axes, is not in it)."""
    last: list = [None, None, None]

    def packed(renderer) -> tuple:
        key = (renderer.points_to_pixels(1.0), box.width, box.height)
        if last[0] is not renderer or last[1] != key:
            last[2] = pack(renderer)
            last[0], last[1] = renderer, key
        bbox, offsets = last[2]
        return bbox.frozen(), list(offsets)

    return packed


#: matplotlib's private method that works out an axis's ticks (no public hook does).
_UPDATE_TICKS = "_update_ticks"
#: matplotlib's private method that measures an axis's tick labels (the boxes of
#: ``label1`` and ``label2`` of the ticks it is given).
_TICKLABEL_BOXES = "_get_ticklabel_bboxes"
#: A spine's extent, ticks included (public: ``Spine.get_window_extent``).
_SPINE_EXTENT = "get_window_extent"


def _ticks_key(axis) -> tuple:
    """All an axis's ticks depend on inside a :func:`ticks_updated_once` block: its axes'
    :func:`_axes_key` (both axes' view intervals, locators, formatters and scales: more
    than this axis's ticks read, so a change of the other axis's only works them out
    again, to the same ticks)."""
    return _axes_key(axis.axes)


def _axes_key(ax) -> tuple:
    """The view limits of ``ax`` (both axes' view intervals), its corners, the dpi, and
    each axis's scale, locators and formatters: all either axis's ticks and the spines'
    places depend on inside a :func:`ticks_updated_once` block."""
    # (the locators, formatters and scale too: a block that changed one would get its
    # new ticks, though none of its callers does; REREAD-0200 Q8)
    # the view limits and the axes' corners as their bytes: the same numbers, read
    # without a property of numpy scalars each; read once for both axes (the key is
    # made ~60 times a layout, and each read of the view limits first asks every axes
    # sharing them whether they are to be autoscaled: 7 of the key's 10 us)
    x, y = ax.xaxis, ax.yaxis
    if type(x).get_view_interval is not _X_VIEW or type(y).get_view_interval is not _Y_VIEW:
        # an axis that keeps its view interval elsewhere (a 3-D axes' does): its own
        views = np.asarray([x.get_view_interval(), y.get_view_interval()]).tobytes()
    else:  # XAxis and YAxis read theirs from the axes' view limits (intervalx, intervaly)
        views = ax.viewLim.get_points().tobytes()
    return (views, ax.bbox.get_points().tobytes(), ax.get_figure(root=True).dpi,
            x.get_scale(), y.get_scale(), id(x.major.locator), id(x.major.formatter),
            id(x.minor.locator), id(x.minor.formatter), id(y.major.locator),
            id(y.major.formatter), id(y.minor.locator), id(y.minor.formatter))


#: matplotlib's getters of the view interval of an x and a y axis (the axes' view limits).
_X_VIEW, _Y_VIEW = XAxis.get_view_interval, YAxis.get_view_interval


#: matplotlib's locators whose ticks do not depend on the axes' size (``MaxNLocator``'s,
#: ``AutoLocator``'s and ``LogLocator``'s do: the room there is for ticks), only on the
#: view interval (and ``FixedLocator``'s not even on that).
_SIZE_FREE = {"FixedLocator", "NullLocator", "MultipleLocator"}


def _size_free(axis) -> bool:
    """Whether ``axis``'s ticks (their places, labels, and which lie inside the view)
    do not depend on where its axes are or how large: both its locators are of
    :data:`_SIZE_FREE` (``Axis._update_ticks`` works in data and scale coordinates)."""
    return all(type(loc).__module__ == "matplotlib.ticker" and type(loc).__name__ in _SIZE_FREE
               for loc in (axis.major.locator, axis.minor.locator))


def _once(axis, update: Callable[[], list]) -> Callable[[], list]:
    last: list = [None, []]

    def updated() -> list:
        key = _ticks_key(axis)
        if _size_free(axis):  # the same ticks in both passes of a layout
            key = key[:1] + key[2:]
        if last[0] != key:
            last[1] = update()
            last[0] = key
        return list(last[1])

    return updated


def _boxes_once(axis, measure: Callable[[list, Any], tuple[list, list]]
                ) -> Callable[[list, Any], tuple[list, list]]:
    """``Axis._get_ticklabel_bboxes``, measured again only when the ticks it is given, the
    renderer or the axis's :func:`_ticks_key` (their labels' texts and places) change."""
    last: list = [None, None, ([], [])]

    def boxes(ticks: list, renderer) -> tuple[list, list]:
        key = (_ticks_key(axis), tuple(map(id, ticks)))
        if last[0] != key or last[1] is not renderer:
            last[2] = measure(ticks, renderer)
            last[0], last[1] = key, renderer
        first, second = last[2]
        return [b.frozen() for b in first], [b.frozen() for b in second]

    return boxes


def _extent_once(ax, extent: Callable[..., Any]) -> Callable[..., Any]:
    """``Spine.get_window_extent``, measured again only when the :func:`_axes_key` of
    ``ax`` changes (the spine's place and its ticks' marks)."""
    last: list = [None, None]

    def measured(renderer=None):
        key = _axes_key(ax)  # both axes' (the spine's place, its axis's ticks' marks)
        if last[0] != key:
            last[1] = extent(renderer)
            last[0] = key
        return last[1].frozen()

    return measured
