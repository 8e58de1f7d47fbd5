"""A ``dbsite`` page outside the site build: one self-contained HTML file.

``jupyter nbconvert --to html --template dbsite`` and the lab's File > Save and Export
Notebook As > HTML (the server's ``/nbconvert/html/`` endpoint, configured by
:mod:`dbanalysis.notebook.lab`) render a notebook with the ``dbsite`` template but without the
site's chrome. The template's ``conf.json`` runs :class:`StandalonePage` first, which
gives such a page what the site gives its pages:

- its fonts, embedded as ``data:`` URIs: the site's DejaVu faces (``site.css``), cut
  down by fontTools to the characters of the notebook (every Vietnamese letter kept),
  so the page loads nothing beside it and renders Vietnamese in text and code alike;
- its title: the notebook's first ``# Heading`` (as on the site), not the file name;
- its links to the site's pages (``source.html#f-…``, ``12-audit.html#…``): kept when
  the page is written beside a built site that has the target page, plain text
  otherwise (a dead link is worse than none).

In the site build (``resources["dbsite"]`` set by :mod:`dbanalysis.site.htmlexport`) it does
nothing: the site links its stylesheet and fonts.
"""

from __future__ import annotations

import base64
import io
import logging
import re
from pathlib import Path
from typing import Any

from nbconvert.preprocessors import Preprocessor

from ..core.cache import fresh_content_hash, kept_text, module_version
from .pages import TEMPLATES, font_dir, summarise

SITE_CSS = TEMPLATES / "dbsite" / "static" / "site.css"
#: Characters every embedded font keeps whatever the page holds: printable ASCII and the
#: whole Vietnamese alphabet with its tones (precomposed, and the combining tone marks),
#: so that text typed into the page later (a search box, a copy) still has its glyphs.
ALWAYS = "".join(chr(c) for c in range(0x20, 0x7F)) + "".join(
    chr(c) for c in range(0x1EA0, 0x1EFA)) + "àáâãèéêìíòóôõùúýăđĩũơưÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝĂĐĨŨƠƯ" + \
    "\u0300\u0301\u0303\u0309\u0323"
_FONT_URL = re.compile(r"""url\(\s*["']?fonts/([\w.-]+)["']?\s*\)""")
#: A relative link to a page of the site (``source.html#f-x``, ``12-audit.html#c``).
_PAGE = r"(?:\.\./|vi/)?[\w-]+\.html(?:#[^\s\"')]*)?"
_MD_LINK = re.compile(rf"\[([^\]\n]*)\]\(\s*<?({_PAGE})>?\s*\)")
_HTML_LINK = re.compile(rf"""<a\s[^>]*?href\s*=\s*["']({_PAGE})["'][^>]*>(.*?)</a>""",
                        re.DOTALL | re.IGNORECASE)


def subset_font(name: str, chars: frozenset[str]) -> bytes:
    """The font ``name`` of :func:`font_dir` with only the glyphs of ``chars`` (TrueType),
    the same bytes for the same font and characters (kept on disk by :func:`_embedded`,
    under the font file's content: not remembered here, where a font changed on disk
    would not be seen)."""
    from fontTools import subset  # type: ignore[import-untyped]
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    options = subset.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.drop_tables = [*options.drop_tables, "FFTM"]
    # the source font's own "modified" time kept (fontTools otherwise writes the time of
    # the save): the same page's fonts are the same bytes on every export, kept or made
    font = TTFont(font_dir() / name, recalcTimestamp=False)
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=sorted(ord(c) for c in chars))
    logging.getLogger("fontTools.subset").setLevel(logging.ERROR)
    subsetter.subset(font)
    out = io.BytesIO()
    font.save(out)
    return out.getvalue()


def _subset_version(name: str) -> str:
    """What :func:`subset_font`'s result for font ``name`` depends on besides the
    characters: the font file's bytes (read again when the file changed: a lab server
    outlives an upgrade of the fonts), this module's source (the subsetter's options) and
    fontTools' version (:func:`page_css`'s key on disk)."""
    font = fresh_content_hash([font_dir() / name])
    return f"{name} {font} {module_version(__file__, 'fonttools')}"


def _embedded(name: str, keep: frozenset[str]) -> str:
    """The base64 of :func:`subset_font` ``(name, keep)``, kept on disk per font, code and
    characters (:func:`dbanalysis.core.cache.kept_text`): every export of a notebook cuts
    the same fonts to the same characters again (~0.3 s of CPU a font, ~1 s a page: the
    lab's "Export as HTML" and ``jupyter nbconvert`` each time)."""
    return kept_text("standalone-font", _subset_version(name), "".join(sorted(keep)),
                     lambda _text: base64.b64encode(subset_font(name, keep)).decode("ascii"))


def page_css(chars: set[str]) -> str:
    """``site.css`` with each ``url("fonts/X.ttf")`` a ``data:`` URI of ``X`` cut to ``chars``."""
    css = SITE_CSS.read_text(encoding="utf-8")
    keep = frozenset(chars) | frozenset(ALWAYS) | frozenset(css)  # the CSS's own content: "…"

    def embed(m: re.Match[str]) -> str:
        return f'url("data:font/ttf;base64,{_embedded(m.group(1), keep)}")'

    return _FONT_URL.sub(embed, css)


def notebook_chars(nb: Any) -> set[str]:
    """Every character of the notebook's sources and text outputs."""
    chars: set[str] = set()
    for cell in nb.cells:
        chars |= set(cell.source)
        for output in cell.get("outputs", []):
            chars |= set(str(output.get("text", "")))
            for mime, value in output.get("data", {}).items():
                if mime.startswith("text/"):
                    chars |= set(value if isinstance(value, str) else "".join(value))
    return chars


def unlink_missing(text: str, exists: Any) -> str:
    """``text`` (Markdown or HTML) with every link to a site page that ``exists(page)``
    denies replaced by its text."""
    def page(href: str) -> str:
        return href.split("#", 1)[0]

    text = _MD_LINK.sub(lambda m: m.group(0) if exists(page(m.group(2))) else m.group(1), text)
    return _HTML_LINK.sub(
        lambda m: m.group(0) if exists(page(m.group(1))) else f"<span>{m.group(2)}</span>", text)


def output_dir(resources: dict[str, Any]) -> Path | None:
    """Where ``jupyter nbconvert`` writes the page: ``--output-dir``, else beside the
    notebook; None when the exporter runs elsewhere (the lab's server)."""
    from traitlets.config import Application

    if not Application.initialized():
        return None
    writer = getattr(Application.instance(), "writer", None)
    if writer is None:
        return None
    folder = getattr(writer, "build_directory", "") or resources.get("metadata", {}).get("path")
    return Path(folder) if folder else Path.cwd()


class StandalonePage(Preprocessor):
    """Fonts, title and links of a ``dbsite`` page outside the site build (module doc)."""

    def preprocess(self, nb: Any, resources: dict[str, Any]) -> tuple[Any, dict[str, Any]]:
        """Title, links and ``resources["dbsite_page"]["css"]`` (the fonts) of the page."""
        if resources.get("dbsite"):
            return nb, resources
        title, _ = summarise(nb, resources.get("metadata", {}).get("name", ""))
        if title:
            nb.metadata["title"] = title
        folder = output_dir(resources)

        def exists(href: str) -> bool:
            return folder is not None and (folder / href).is_file()

        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = unlink_missing(cell.source, exists)
            for output in cell.get("outputs", []):
                for mime in ("text/markdown", "text/html"):
                    value = output.get("data", {}).get(mime)
                    if value is not None:
                        text = value if isinstance(value, str) else "".join(value)
                        output.data[mime] = unlink_missing(text, exists)
        resources["dbsite_page"] = {"css": page_css(notebook_chars(nb))}
        return nb, resources
