"""Where a chart's numbers come from: the visible source line, the alt text and the
figure ids kept in the figure and in its PNG.

Every chart ends with :func:`finish`, which

* writes the title and a short source line a person can read
  (``Source: Điện Biên district report, 29/09/2020`` / ``Nguồn: Báo cáo huyện Điện
  Biên, 29/09/2020``), without figure ids;
* sets ``fig.dbanalysis = {"alt": ..., "figure_ids": [...], "derived_ids": [...]}``:
  the alt text (chart kind, title, every number drawn, source) in the chart's
  language and the catalogue ids behind the numbers (derived ids expanded to the
  catalogue ids their formulas use);
* so that :func:`png_bytes` stores the ids (and the title and alt text) in the PNG's
  text chunks: ``dbanalysis:figure_ids`` (:data:`FIGURE_IDS_KEY`), ``Title``,
  ``Description``. Same figure, same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from pathlib import Path

from matplotlib.figure import Figure
from matplotlib.text import Text

from ..catalogue import figure_labels
from ..catalogue.figures import figure
from ..catalogue.source import citation_line
from ..core.cache import memo
from ..core.labels import joined
from ..core.language import get_language, resolve
from ..core.markup import mpl_plain
from ..core.typography import typeset
from ..derive import lookup
from ..views import text as vtext
from ..views.figure_cells import figure_cells, status_label
from . import kept_measures
from .chart_text import period_text, text, wrap
from .measure import measuring_canvas, ticks_updated_once
from .rows import fit_rows, labels_above_bars
from .spacing import halo_texts, legends_within_width
from .style import (
    DPI,
    NARROW_DPI,
    RC,
    enforce_min_font,
    fit_width,
    has_row_labels,
    is_narrow,
    legend_clear_of_xlabel,
    min_text_px,
    renderer,
    wrap_title_to_width,
)
from .ticks import no_gridline_at_label_ends, thin_crowded_ticks, ticks_cover_data

#: gid of the source line (tests and the site find it by this).
SOURCE_GID = "source-line"
#: PNG text chunk holding the catalogue ids a chart draws, comma-separated.
FIGURE_IDS_KEY = "dbanalysis:figure_ids"
#: PNG text chunk holding the derived ids a chart draws, comma-separated.
DERIVED_IDS_KEY = "dbanalysis:derived_ids"
#: PNG text chunk holding the smallest text of the image, in its own pixels.
MIN_TEXT_KEY = "dbanalysis:min_text_px"
#: Attribute of a Figure with its alt text and ids (read by ``dbanalysis.notebook.bilingual``).
META_ATTR = "dbanalysis"


def source_line(ids: Iterable[str] = (), lang: str | None = None) -> str:
    """``Source: Điện Biên district report, 29/09/2020`` (or Vietnamese), from the
    sidecar (:func:`dbanalysis.catalogue.source.citation_line`). ``ids`` are accepted for
    compatibility and not shown: they go into the figure's metadata."""
    return citation_line(resolve(lang))


def split_ids(ids: Iterable[str]) -> tuple[list[str], list[str]]:
    """(catalogue ids, derived ids) behind ``ids``: a derived id counts as itself and as
    the catalogue ids its formula expands to. Order of first appearance, no repeats."""
    catalogue: list[str] = []
    derived: list[str] = []
    for i in ids:
        inputs = lookup.catalogue_inputs(i)
        if inputs != [i]:
            derived.append(i)
        catalogue += inputs
    return list(dict.fromkeys(catalogue)), list(dict.fromkeys(derived))


def add_source(fig: Figure, ids: Iterable[str] = ()) -> None:
    """Record the source line and ``ids`` in ``fig.dbanalysis`` (the site writes the
    source line in the chart's caption, as text a reader can select)."""
    catalogue, derived = split_ids(ids)
    meta = getattr(fig, META_ATTR, None) or {}
    meta.update({"figure_ids": catalogue, "derived_ids": derived, "source": source_line()})
    setattr(fig, META_ATTR, meta)


def alt_text(kind: str, title: str, values: Iterable[str]) -> str:
    """``Bar chart: <title>. <label>: <value>; …. Source: ….`` in the current language.

    ``kind`` is a ``chart.kind.*`` key suffix (``bar``, ``dot``, ``line``, ``stacked``);
    ``values`` the numbers the chart shows, each with what it is, written for the alt
    text: a span of years is the label ``year_span`` (``2015–2019``) as the chart draws it
    (a screen reader read a drawn arrow as "mũi tên phải", REVIEW-vi8 X11)."""
    return text("chart.alt", kind=text(f"chart.kind.{kind}"),
                title=" ".join(title.split()).rstrip("."), values=joined(values),
                source=source_line())


def data_rows(ids: Iterable[str], lang: str | None = None) -> list[list[str]]:
    """The figures a chart draws as rows of its data table: label, value as the pages
    write it (unit, period, qualifier) and its status, by the cells of the page tables
    (:func:`dbanalysis.views.figure_cells.figure_cells`): a corrected figure gives the
    corrected value the chart draws and, as a fourth cell, the printed one (``as
    printed: …``, shown under the value); a derived figure says so (its formula in
    words on the method page). Made once per figures, language and version of the data
    (a chart is drawn in two layouts, with one table)."""
    return [list(row) for row in _data_rows(tuple(dict.fromkeys(ids)), resolve(lang))]


@memo("")  # every file under data/: the figures, their labels, values and words
def _data_rows(ids: tuple[str, ...], lang: str) -> list[list[str]]:
    rows = []
    for i in ids:
        if lookup.catalogue_inputs(i) == [i]:
            cells = figure_cells(i, lang)
            name = figure_labels.label(i, lang)
            shown = cells.value + period_text(figure(i)["period"], lang, i, label=name)
            row = [name, shown, status_label(cells.status, lang)]
            if cells.printed is not None:
                row.append(f"{text('table.as_printed', lang)}: {cells.printed}")
            rows.append(row)
        else:
            rows.append([lookup.derived_row(i)[f"label_{lang}"], vtext.plain("{" + i + "}", lang),
                         status_label("derived", lang)])
    return rows


def finish(fig: Figure, title: str, ids: Iterable[str], kind: str,
           values: Iterable[str], subtitle: str | None = None) -> Figure:
    """Title, subtitle, source line, ids, alt text and data rows: what every chart ends
    with. The title, subtitle and source are kept as text for the page's caption (not
    drawn into the image); in the phone layout row labels go above their bars; no text
    is smaller than :data:`~.style.MIN_FONT_PT`."""
    title = vtext.unlink(title)  # a title written with sv.sentence: links kept as text only
    ids = list(ids)
    add_source(fig, ids)
    meta = getattr(fig, META_ATTR)
    meta["title"] = " ".join(title.split())
    if subtitle:
        meta["subtitle"] = " ".join(vtext.unlink(subtitle).split())
    meta["alt"] = alt_text(kind, title + (". " + meta["subtitle"] if subtitle else ""), values)
    meta["rows"] = data_rows(ids)
    texts = fig.findobj(Text)  # one walk for both (neither adds nor removes a text)
    typeset_texts(fig, texts)
    enforce_min_font(fig, texts=texts)
    meta["narrow"] = is_narrow()
    r = None  # the renderer of a layout still standing: each fitting step below starts
    # from the one the step before it left (a layout made again with nothing changed)
    if is_narrow():
        for ax in fig.axes:
            if has_row_labels(ax):
                labels_above_bars(ax)
            ax.set_xlabel(wrap(ax.get_xlabel()))  # an axis title within the phone's width
            legend_clear_of_xlabel(ax)
        titles = {(ax, loc): ax.get_title(loc=loc) for ax in fig.axes
                  for loc in ("left", "center") if ax.get_title(loc=loc)}
        _, r = _titles_within_panels(fig, titles)
    r = legends_within_width(fig, r)
    if is_narrow():
        r = fit_width(fig, laid_out=r)
        changed, r = _titles_within_panels(fig, titles, r)
        if changed:  # the figure narrowed: its panels too
            r = fit_width(fig, laid_out=r)
        fit_rows(fig, r)  # the legend, axis titles and panel titles as they now are
    for ax in fig.axes:  # last: the layout above may have narrowed the axes
        ticks_cover_data(ax)  # every chart: no mark beyond the last tick
        no_gridline_at_label_ends(ax)
        thin_crowded_ticks(ax)
        ticks_cover_data(ax)  # thinned to every other tick: the last may have gone
        no_gridline_at_label_ends(ax, final=True)  # and a label may end on its line
        halo_texts(ax)  # no layout: a gridline under a label pauses under its words
    return fig


def _titles_within_panels(fig: Figure, titles: dict, laid_out=None):
    """Break each panel title (``titles``: as written, by axes and location) to its
    panel's width as laid out now, measured in the title's own font, until the layout
    stops changing (a title wider than its panel takes room from it); whether any
    title changed, and the renderer of the layout left standing (None if a title
    changed after the last). ``laid_out``: as for :func:`.style.renderer`."""
    changed = again = False
    r = None
    for k in range(3):
        again = False
        r = renderer(fig, None if k else laid_out)
        for (ax, loc), text_ in titles.items():
            artist = getattr(ax, "_left_title" if loc == "left" else "title")
            width_pt = ax.get_window_extent(r).width * 72 / fig.dpi
            wrapped = wrap_title_to_width(text_, width_pt, artist.get_fontproperties(), fig)
            if wrapped != artist.get_text():
                artist.set_text(wrapped)  # its font kept (set_title resets it)
                again = changed = True
        if not again:
            break
    return changed, (None if again else r)


def chart_meta(fig: Figure) -> dict:
    """``fig.dbanalysis`` (empty for a figure not made by this package)."""
    return getattr(fig, META_ATTR, None) or {}


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG: fixed dpi, tight box, no software or time stamp; the title, alt
    text and ids in text chunks. Identical bytes every run."""
    meta = chart_meta(fig)
    dpi = NARROW_DPI if meta.get("narrow") else DPI
    info: dict[str, str | None] = {"Software": None}
    if meta.get("title"):
        info["Title"] = meta["title"]
    if meta.get("alt"):
        info["Description"] = meta["alt"]
    if meta.get("figure_ids"):
        info[FIGURE_IDS_KEY] = ",".join(meta["figure_ids"])
    if meta.get("derived_ids"):
        info[DERIVED_IDS_KEY] = ",".join(meta["derived_ids"])
    info[MIN_TEXT_KEY] = f"{min_text_px(fig, dpi):g}"
    buf = io.BytesIO()
    mpl_plain(fig)  # data text is drawn as written: "$…$" is not mathtext
    measuring_canvas(fig)  # e.g. a chart unpickled: its text measures shared again
    box = _laid_out_tight_box(fig, dpi, PAD_INCHES)
    engine = fig.get_layout_engine()
    if box is None or engine is None:
        fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", pad_inches=PAD_INCHES,
                    metadata=info)
        return buf.getvalue()
    # laid out at this dpi and the box measured: savefig draws once (with a layout engine
    # or bbox_inches="tight" it first draws the whole figure with drawing disabled, to lay
    # it out and measure the box, then draws it again)
    fig.set_layout_engine(None)
    try:
        if fig.get_layout_engine() is not None:  # rcParams ask for an engine: as before
            fig.set_layout_engine(engine)
            fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight",
                        pad_inches=PAD_INCHES, metadata=info)
        else:
            # the draw measures each axis's ticks and spines as the layout did, ~9 times
            # a figure with the same inputs (savefig changes no locator, formatter, tick
            # or spine: what ticks_updated_once asks of the code it holds)
            with ticks_updated_once(fig):
                fig.savefig(buf, format="png", dpi=dpi, bbox_inches=box, metadata=info)
    finally:
        fig.set_layout_engine(engine)
    kept_measures.keep()  # the text measures this chart made, for the next process
    return buf.getvalue()


#: Room round a chart's tight box in its PNG, in inches: the house style's.
PAD_INCHES = RC["savefig.pad_inches"]


def _laid_out_tight_box(fig: Figure, dpi: float, pad: float):
    """The box :meth:`Figure.savefig` saves with ``bbox_inches="tight"`` at ``dpi``:
    the figure laid out at that dpi (the layout engine run as :meth:`Figure.draw` runs
    it), its tight box padded by ``pad`` inches, as ``print_figure`` computes them. None
    for a figure drawn otherwise (no Agg canvas of ours, not visible, no axes)."""
    import contextlib

    from matplotlib.backends.backend_agg import FigureCanvasAgg

    if not (isinstance(fig.canvas, FigureCanvasAgg) and fig.get_visible() and fig.axes):
        return None
    engine = fig.get_layout_engine()
    old_dpi = fig.dpi
    try:
        fig.dpi = dpi
        r = fig.canvas.get_renderer()
        with ticks_updated_once(fig):
            if engine is not None:
                with contextlib.suppress(ValueError):  # as Figure.draw: a layout not made
                    engine.execute(fig)
            return fig.get_tightbbox(r).padded(pad, pad)
    finally:
        fig.dpi = old_dpi


def png_text(data: bytes) -> dict[str, str]:
    """The text chunks of a PNG (``tEXt``, ``zTXt`` and ``iTXt``), e.g.
    :data:`FIGURE_IDS_KEY`: each read and checked by Pillow's own chunk reader, as
    ``Image.text`` reads them, the image data skipped (``Image.text`` decodes the whole
    image to reach a chunk after it: 7 ms for a chart, against 0.05 ms)."""
    from PIL import PngImagePlugin

    fp = io.BytesIO(data)
    if fp.read(8) != _PNG_SIGNATURE:
        raise SyntaxError("not a PNG file")
    png = PngImagePlugin.PngStream(fp)
    try:
        while True:
            cid, pos, length = png.read()
            if cid == b"IEND":
                break
            if cid in (b"tEXt", b"zTXt", b"iTXt"):
                png.crc(cid, png.call(cid, pos, length))
            else:
                fp.seek(length + 4, io.SEEK_CUR)  # the chunk's data and checksum
    finally:
        png.close()
    return {k: str(v) for k, v in png.im_text.items()}


#: The first eight bytes of every PNG file.
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def save_png(fig: Figure, path: str | Path) -> Path:
    """Write :func:`png_bytes` to ``path`` (parents created)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes(fig))
    return path


def typeset_texts(fig: Figure, texts: list[Text] | None = None) -> None:
    """Every text drawn in the chart typeset as the pages are (curly quotes, en-dash
    ranges, minus signs: :func:`dbanalysis.core.typography.typeset`), so a label reads
    ‘cultural villages’ in the chart as in the caption beside it. ``texts``: the figure's
    texts (``fig.findobj(Text)``), when the caller has them."""
    import functools

    from matplotlib.ticker import FixedFormatter, FuncFormatter

    lang = get_language()
    for t in fig.findobj(Text) if texts is None else texts:
        s = t.get_text()
        if s:
            t.set_text(typeset(s, lang))
    # tick labels set as a list (the row names of a bar chart) are drawn anew from that
    # list (matplotlib keeps it as {tick: label} in a FuncFormatter): typeset it too
    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            fmt = axis.get_major_formatter()
            if isinstance(fmt, FixedFormatter):
                fmt.seq = [typeset(str(s), lang) for s in fmt.seq]
            elif (isinstance(fmt, FuncFormatter) and isinstance(fmt.func, functools.partial)
                  and len(fmt.func.args) == 1 and isinstance(fmt.func.args[0], dict)):
                shown = {k: typeset(str(v), lang) for k, v in fmt.func.args[0].items()}
                fmt.func = functools.partial(fmt.func.func, shown, **fmt.func.keywords)
