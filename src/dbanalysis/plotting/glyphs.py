"""Drawing a chart's plain text into its PNG with each glyph shaped and rasterised once
(:func:`draw_text`, the text drawing of :mod:`.measure`'s Agg renderer).

matplotlib's ``RendererAgg.draw_text`` shapes a string (``FT2Font._layout``: about 1 ms
for a value label) and has FreeType load, hint and rasterise each of its glyphs at its
place (about 60 µs a glyph at a phone's 200 dpi), every time a text is drawn: a report's
tick labels, the same digits in every chart, and every chart drawn again by each test
process that saves its PNG. A string's shaping depends only on the string, the font at
its size and dpi, the hinting flags, the features and the language; a glyph's bitmap only
on the font, size, dpi, glyph, transform matrix, hinting flags, antialiasing and the
place's fraction of a pixel (FreeType hints a glyph before it moves it, and moving an
outline by whole pixels moves its bitmap by as many, coverage unchanged). So both are
kept, keyed on all of that, and a glyph is drawn at its place by the same call as
matplotlib's: the same pixels, byte for byte (``bench/chart_hashes.py``). Mathtext and
TeX are left to matplotlib, and so is all text on a matplotlib without the private
methods this uses.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from . import kept_measures

#: Shaped strings: (string, font, size, dpi, flags, features, language) -> the glyphs'
#: (font, glyph index, x, y), as ``FT2Font._layout`` returns them. The font object is in
#: the key (held, so that its id is not reused).
_SHAPED: dict[tuple, list[tuple[Any, int, float, float]]] = {}
#: Rasterised glyphs: (font, size, dpi, glyph, matrix, x and y fractions of a pixel in
#: 1/64, flags, antialiased) -> (bitmap, its left and top less the whole pixels moved).
_BITMAPS: dict[tuple, tuple[Any, int, int]] = {}
#: Most entries kept in each (a report draws some 18,000 glyphs, 12,400 of them apart;
#: a glyph's bitmap is under 1 kB at 200 dpi).
_MAX_KEPT = 50_000


def can_draw(ft2font: type) -> bool:
    """Whether this matplotlib's ``FT2Font`` has what :func:`draw_text` uses."""
    return all(hasattr(ft2font, name) for name in ("_layout", "_set_transform", "_render_glyph"))


def _shaped(s: str, font: Any, prop: Any, flags: Any, features: Any, language: Any,
            font_key: tuple) -> list[tuple[Any, int, float, float]]:
    """The glyphs of ``s``: (font, glyph index, x, y) each, as ``FT2Font._layout`` places
    them; without features or a language, and all in the first font, as an earlier process
    kept them (:func:`.kept_measures.shaped`: the same numbers), else shaped now (and kept)."""
    made: list = []

    def shape() -> list | None:
        made.extend((item.ft_object, item.glyph_index, item.x, item.y) for item in
                    font._layout(s, flags=flags, features=features, language=language))
        if all(ft is font for ft, _, _, _ in made):
            return [[index, float(gx), float(gy)] for _, index, gx, gy in made]
        return None  # a glyph of a fallback font: shaped anew in each process

    if features is not None or language is not None:
        shape()
        return made
    kept = kept_measures.shaped(s, font_key, prop, shape)
    if made or kept is None:
        return made
    return [(font, index, gx, gy) for index, gx, gy in kept]


def draw_text(renderer: Any, gc: Any, x: float, y: float, s: str, prop: Any, angle: float,
              mtext: Any, font_key: tuple) -> None:
    """Draw the plain text ``s`` as ``RendererAgg.draw_text`` draws it (matplotlib 3.11),
    its shaping and glyph bitmaps kept (:data:`_SHAPED`, :data:`_BITMAPS`). ``font_key``:
    everything the font of ``prop`` at the renderer's dpi depends on (the key of the
    shared text measures)."""
    from matplotlib.backends.backend_agg import get_hinting_flag
    from matplotlib.ft2font import RenderMode

    font = renderer._prepare_font(prop)
    flags = get_hinting_flag()
    features = mtext.get_fontfeatures() if mtext is not None else None
    language = mtext.get_language() if mtext is not None else None
    key = (s, font, font_key, flags, features, language)
    glyphs = _SHAPED.get(key)
    if glyphs is None:
        if len(_SHAPED) > _MAX_KEPT:
            _SHAPED.clear()
        glyphs = _SHAPED[key] = _shaped(s, font, prop, flags, features, language, font_key)
    size = prop.get_size_in_points()
    dpi = renderer.dpi
    height = renderer.height
    cos = math.cos(math.radians(angle))
    sin = math.sin(math.radians(angle))
    # the matrix matplotlib computes for each glyph (no slant, no extension: plain text)
    matrix = (0x10000 * np.array([[cos, -sin], [sin, cos]]) @ [[1, 0], [0, 1]]).round() \
        .astype(int)
    turn = tuple(matrix.ravel().tolist())
    antialiased = gc.get_antialiased()
    mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
    for ft, index, dx, dy in glyphs:  # dy is upwards
        gx = round(0x40 * (x + dx * cos - dy * sin))
        gy = round(0x40 * (height - y + dx * sin + dy * cos))  # FreeType's y is upwards
        bkey = (ft, size, dpi, index, turn, gx & 63, gy & 63, flags, antialiased)
        got = _BITMAPS.get(bkey)
        if got is None:
            ft.set_size(size, dpi)
            ft._set_transform(matrix, [gx, gy])
            bitmap = ft._render_glyph(index, flags, mode)
            buffer = np.array(bitmap.buffer)  # a copy: FreeType's may be reused
            if not antialiased:
                buffer *= 0xff
            if len(_BITMAPS) > _MAX_KEPT:
                _BITMAPS.clear()
            got = _BITMAPS[bkey] = (buffer, bitmap.left - (gx >> 6), bitmap.top - (gy >> 6))
        buffer, left, top = got
        # draw_text_image's y is downwards and the bitmap's bottom side
        renderer._renderer.draw_text_image(
            buffer, left + (gx >> 6), int(height) - (top + (gy >> 6)) + buffer.shape[0], 0, gc)
