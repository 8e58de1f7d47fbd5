"""Text collisions of a drawn chart (issue 18 item 2: charts legible at 390 px), tests only:
every pair of texts whose boxes overlap, every text over a mark it does not label or
across its axes' frame, measured with a renderer of the chart laid out (a draw's:
:func:`helpers_drawn.text_collisions`, :func:`helpers_drawn.chart_png`)."""

import functools

from matplotlib.font_manager import FontProperties

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


# --- the ink of a text's lines (the checks of room between texts, marks and lines) -----


@functools.cache
def _outline_extents(s: str, prop: FontProperties):
    """The extents, in points, of the outline of ``s`` in font ``prop`` (matplotlib's
    TextPath): the same string in the same font has the same outline, in every chart and
    every test (``prop`` a copy: FontProperties hashes by its values).

    Measured glyph by glyph (:func:`_glyph_extents`, each glyph's outline measured once
    per process): a string's outline is its glyphs' outlines placed along the line, so
    its extents are the union of theirs, shifted and scaled as TextPath places them
    (TextPath's own measure walks every curve of the string in Python: ~8 ms a string,
    ~2 s of CPU a ``make test``). The same extents, to the last bit (checked on every line
    of text of every variant of every notebook chart: no difference, 278 strings)."""
    from matplotlib.text import Text
    from matplotlib.textpath import TextPath, text_to_path
    from matplotlib.transforms import Bbox

    if Text()._preprocess_math(s)[1]:  # mathtext: TextPath's own measure
        return TextPath((0, 0), s, prop=prop).get_extents()
    font = text_to_path._get_font(prop)
    glyphs, paths, _ = text_to_path.get_glyphs_with_font(font, s)
    boxes = [(_glyph_extents(repr_, paths[repr_]), x, y) for repr_, x, y, _ in glyphs]
    boxes = [(box, x, y) for box, x, y in boxes if box is not None]
    if not boxes:
        return Bbox.null()
    k = prop.get_size_in_points() / text_to_path.FONT_SCALE
    return Bbox([[min((b[0] + x) * k for b, x, _ in boxes),
                  min((b[1] + y) * k for b, _, y in boxes)],
                 [max((b[2] + x) * k for b, x, _ in boxes),
                  max((b[3] + y) * k for b, _, y in boxes)]])


_GLYPHS: dict[str, tuple[float, float, float, float] | None] = {}


def _glyph_extents(repr_: str, path) -> tuple[float, float, float, float] | None:
    """(x0, y0, x1, y1) of one glyph's outline (``repr_``: matplotlib's name for a glyph of
    a font, ``path``: its vertices and codes at TextPath's font scale), or None for a glyph
    that draws nothing (a space)."""
    if repr_ not in _GLYPHS:
        from matplotlib.path import Path

        verts, codes = path
        box = Path(verts, codes).get_extents() if len(verts) else None
        _GLYPHS[repr_] = None if box is None else (box.x0, box.y0, box.x1, box.y1)
    return _GLYPHS[repr_]


def _line_inks(t, r) -> list[tuple[float, float, float, float]]:
    """(x0, x1, y0, y1) in pixels of the ink of each line of text ``t`` (aligned left or
    right), from the glyphs' outlines (matplotlib's TextPath), not from the text's box,
    which includes the spaces that pad it."""
    prop, px = t.get_fontproperties().copy(), t.figure.dpi / 72
    box = t.get_window_extent(r)
    lines = t.get_text().split("\n")
    step = box.height / len(lines)

    def advance(s: str) -> float:  # the width the layout gives s (its spaces included)
        return (_outline_extents(f"a{s}a", prop).width
                - _outline_extents("aa", prop).width) * px

    out = []
    for k, line in enumerate(lines):
        if not line.strip():
            continue
        ink = _outline_extents(line.strip(" "), prop)
        if t.get_horizontalalignment() == "left":
            x0 = box.x0 + advance(line[:len(line) - len(line.lstrip(" "))]) + ink.x0 * px
        else:
            x0 = box.x1 - advance(line[len(line.rstrip(" ")):]) - ink.x1 * px + ink.x0 * px
        out.append((x0, x0 + ink.width * px, box.y1 - (k + 1) * step, box.y1 - k * step))
    return out
