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

from ..catalogue.source import citation_line
from ..core.language import resolve
from ..derive import lookup
from ..views import text as vtext
from .chart_text import text
from .style import DPI

#: gid of the source line (tests and the site find it by this).
SOURCE_GID = "source-line"
#: PNG text chunk holding the catalogue ids a chart draws, comma-separated.
FIGURE_IDS_KEY = "dbanalysis:figure_ids"
#: PNG text chunk holding the derived ids a chart draws, comma-separated.
DERIVED_IDS_KEY = "dbanalysis:derived_ids"
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
    """Put the source line under the figure (kept by the tight bounding box) and record
    ``ids`` in ``fig.dbanalysis``."""
    fig.text(0.01, -0.01, source_line(), ha="left", va="top", fontsize=9, color="#444444",
             gid=SOURCE_GID)
    catalogue, derived = split_ids(ids)
    meta = getattr(fig, META_ATTR, None) or {}
    meta.update({"figure_ids": catalogue, "derived_ids": derived})
    setattr(fig, META_ATTR, meta)


def alt_text(kind: str, title: str, values: Iterable[str]) -> str:
    """``Bar chart: <title>. <label>: <value>; …. Source: ….`` in the current language.

    ``kind`` is a ``chart.kind.*`` key suffix (``bar``, ``dot``, ``line``, ``stacked``);
    ``values`` the numbers the chart shows, each with what it is."""
    return text("chart.alt", kind=text(f"chart.kind.{kind}"),
                title=" ".join(title.split()).rstrip("."), values="; ".join(values),
                source=source_line())


def finish(fig: Figure, title: str, ids: Iterable[str], kind: str,
           values: Iterable[str]) -> Figure:
    """Title, source line, ids and alt text: what every chart ends with."""
    title = vtext.unlink(title)  # a title written with vtext.sentence: links kept as text only
    fig.suptitle(title, x=0.01, ha="left", fontsize=12)
    add_source(fig, ids)
    getattr(fig, META_ATTR)["alt"] = alt_text(kind, title, values)
    return fig


def chart_meta(fig: Figure) -> dict:
    """``fig.dbanalysis`` (empty for a figure not made by this package)."""
    return getattr(fig, META_ATTR, None) or {}


def png_bytes(fig: Figure) -> bytes:
    """The figure as PNG: fixed dpi, tight box, no software or time stamp; the title, alt
    text and ids in text chunks. Identical bytes every run."""
    meta = chart_meta(fig)
    suptitle = getattr(fig, "_suptitle", None)
    info: dict[str, str | None] = {"Software": None}
    if suptitle is not None:
        info["Title"] = " ".join(suptitle.get_text().split())
    if meta.get("alt"):
        info["Description"] = meta["alt"]
    if meta.get("figure_ids"):
        info[FIGURE_IDS_KEY] = ",".join(meta["figure_ids"])
    if meta.get("derived_ids"):
        info[DERIVED_IDS_KEY] = ",".join(meta["derived_ids"])
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=DPI, bbox_inches="tight", pad_inches=0.15,
                metadata=info)
    return buf.getvalue()


def png_text(data: bytes) -> dict[str, str]:
    """The text chunks of a PNG (``tEXt`` and ``iTXt``), e.g. :data:`FIGURE_IDS_KEY`."""
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        chunks: dict[str, object] = getattr(im, "text", {})  # PNG files only
        return {k: str(v) for k, v in chunks.items()}


def save_png(fig: Figure, path: str | Path) -> Path:
    """Write :func:`png_bytes` to ``path`` (parents created)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(png_bytes(fig))
    return path
