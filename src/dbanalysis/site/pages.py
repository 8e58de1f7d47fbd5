"""The pages of the site and what every page shares: editions, titles, ledes, chrome.

Two editions are built from the same executed notebooks: English at the root of
the output folder and Vietnamese in ``vi/`` (:data:`EDITION_DIR`). Every page has
the same file name in both, so the language switch links ``X.html`` to
``vi/X.html`` and back. The chrome (navigation, language switch, footer) is
rendered here, from ``data/vocab/labels.csv``, with Jinja autoescaping: every data
text entering HTML is escaped.
"""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ..core import labels
from ..core.cache import template_cache
from ..core.language import LANGS
from ..core.links import INDEX_PAGE, SOURCE_PAGE
from ..core.markup import safe_html
from ..derive.lookup import derived_frame
from ..notebook.bilingual import cell_lang, edition
from ..render.headlines import derived_mark

TEMPLATES = Path(__file__).parents[1] / "templates"
#: Folder of each edition inside the site ("" is the root).
EDITION_DIR = {"en": "", "vi": "vi"}
#: Cell tag of the code cell whose output is the page's lede.
LEDE_TAG = "lede"


def font_dir() -> Path:
    """matplotlib's bundled DejaVu fonts: what the site copies into ``assets/fonts`` and a
    standalone page embeds. The folder is ``matplotlib.get_data_path()``'s (``mpl-data``
    beside matplotlib's ``__init__.py``), found here without importing matplotlib: a build
    that draws nothing (``--execute never``) imported it for this path alone (~0.2 s of
    CPU per build process)."""
    spec = importlib.util.find_spec("matplotlib")
    if spec is None or spec.origin is None:
        raise ModuleNotFoundError("matplotlib is not installed: its fonts are the site's")
    return Path(spec.origin).with_name("mpl-data") / "fonts" / "ttf"


def ui(key: str, lang: str, **fields: Any) -> str:
    """A UI string of the site in ``lang`` (``data/vocab/labels.csv``)."""
    return labels.text(key, lang, **fields)


@cache
def jinja_env() -> Any:
    """The Jinja environment of the site's page templates (autoescaping, strict)."""
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES / "site")),
        autoescape=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
    )
    env.bytecode_cache = template_cache(env)  # compiled once per template source
    env.globals["ui"] = ui
    return env


# --------------------------------------------------------------------------- editions


def edition_dir(root: Path, lang: str) -> Path:
    """Where the ``lang`` edition of a site rooted at ``root`` is written."""
    return root / EDITION_DIR[lang] if EDITION_DIR[lang] else root


def to_root(lang: str) -> str:
    """Relative prefix from a page of the ``lang`` edition to the site root."""
    return "../" if EDITION_DIR[lang] else ""


def switch_href(lang: str, other: str, href: str) -> str:
    """The same page in the ``other`` edition, relative to a page of ``lang``."""
    folder = EDITION_DIR[other]
    return to_root(lang) + (f"{folder}/" if folder else "") + href


# --------------------------------------------------------------------------- pages


@dataclass
class Page:
    """One notebook of the site, with its title and lede per language."""

    path: Path
    titles: dict[str, str] = field(default_factory=dict)
    #: Markdown of the page's lede per language, and whether it is the ``lede`` cell's
    #: output (True) or the first paragraphs as a fallback (False).
    ledes: dict[str, str] = field(default_factory=dict)
    lede_from_cell: dict[str, bool] = field(default_factory=dict)
    #: Languages the notebook's prose is written in: English (the language of untagged
    #: prose) and every language it has tagged cells for.
    written_in: set[str] = field(default_factory=lambda: {"en"})
    seconds: float = 0.0

    @property
    def filename(self) -> str:
        """The notebook's file name."""
        return self.path.name

    @property
    def href(self) -> str:
        """The page's file name in the site."""
        return f"{self.path.stem}.html"

    def title(self, lang: str = "en") -> str:
        """The page's title in ``lang`` (the notebook's stem if it has none)."""
        return self.titles.get(lang) or self.path.stem

    def content_lang(self, lang: str) -> str:
        """The language of this page's prose in the ``lang`` edition (English until the
        notebook has cells in ``lang``)."""
        return lang if lang in self.written_in else "en"


_H1 = re.compile(r"^#\s+(.+?)\s*#*\s*$")


def _blocks(markdown: str) -> list[str]:
    return [b.strip() for b in re.split(r"\n\s*\n", markdown) if b.strip()]


def _is_headline_block(block: str) -> bool:
    return not block.lstrip().startswith(("#", "```", "~~~", "<", "|", "---", "***"))


def summarise(nb: Any, fallback_title: str) -> tuple[str, str]:
    """(title, first paragraph) of a notebook.

    The title is the first ``# Heading`` of the first markdown cell that has one;
    the paragraph is the first paragraph or blockquote after it (in the same cell
    or the following markdown cells).
    """
    title = None
    after: list[str] = []
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        if title is None:
            lines = cell.source.splitlines()
            for i, line in enumerate(lines):
                m = _H1.match(line)
                if m:
                    title = m.group(1).strip()
                    after.extend(_blocks("\n".join(lines[i + 1 :])))
                    break
        else:
            after.extend(_blocks(cell.source))
        if title is not None:
            for block in after:
                if _is_headline_block(block):
                    return title, block
    return (title or fallback_title), ""


def first_paragraphs(nb: Any, limit: int = 3) -> list[str]:
    """Up to ``limit`` prose paragraphs after the title (the lede's fallback candidates)."""
    found: list[str] = []
    seen_title = False
    for cell in nb.cells:
        if cell.cell_type != "markdown":
            continue
        text = cell.source
        if not seen_title:
            lines = text.splitlines()
            at = next((i for i, line in enumerate(lines) if _H1.match(line)), None)
            if at is None:
                continue
            seen_title = True
            text = "\n".join(lines[at + 1:])
        found.extend(b for b in _blocks(text) if _is_headline_block(b))
        if len(found) >= limit:
            break
    return found[:limit]


def lede_markdown(nb: Any) -> str | None:
    """The first paragraph of the Markdown shown by the first code cell tagged ``lede``
    (a page's lede may run to several paragraphs; a card shows its opening), with the marks
    on derived values kept (:func:`md_to_html` makes them :func:`mark_derived` marks),
    or None."""
    for cell in nb.cells:
        if cell.cell_type == "code" and LEDE_TAG in cell.get("metadata", {}).get("tags", []):
            parts = []
            for output in cell.get("outputs", []):
                data = output.get("data", {})
                if "text/markdown" in data:
                    parts.append(data["text/markdown"])
                elif output.get("output_type") == "stream":
                    parts.append(output.get("text", ""))
            shown = "\n\n".join(p.strip() for p in parts if p.strip())
            return shown.split("\n\n", 1)[0]
    return None


def md_to_html(markdown: str, lang: str | None = None) -> str:
    """Markdown to HTML, raw HTML in the source escaped, then through
    :func:`dbanalysis.core.markup.safe_html` (no image, links only to the site's pages).
    With ``lang``, the package's own marks on derived values (the one raw HTML a lede
    holds) survive as :func:`mark_derived` marks in that language; without, the values."""
    if not markdown:
        return ""
    import mistune  # an nbconvert dependency

    parked = _PARKED_MARK if lang else r"\2"
    html = safe_html(str(mistune.create_markdown(escape=True)(_DB_V.sub(parked, markdown))))
    return mark_derived(_PARKED.sub(r'<span class="db-v" data-fig="\1">\2</span>', html),
                        lang) if lang else html


#: The mark prose puts on a derived value (:mod:`dbanalysis.views.text`), whole or its
#: opening tag; parked as private-use characters while Markdown escapes raw HTML.
_DB_V = re.compile(r'<span class="db-v" data-fig="([a-z0-9_]+)">([^<]*)</span>')
_DB_V_OPEN = re.compile(r'<span (class="db-v" )?data-fig="([a-z0-9_]+)"(?: title="[^"<>]*")?>')
_PARKED_MARK = "\ue000\\1\ue001\\2\ue002"
_PARKED = re.compile("\ue000([a-z0-9_]+)\ue001([^\ue002]*)\ue002")


def mark_derived(html: str, lang: str) -> str:
    """Every derived value marked in ``html`` (``<span class="db-v" data-fig=…>``) made the
    one derived-number mark of the site (:func:`dbanalysis.render.headlines.derived_mark`:
    dashed, focusable, its formula in words in data-tip and title), so every derived
    number a reader sees leads to how it was computed, as on the front page. A table's
    value cell (``<span data-fig=…>``, with a title naming it in a "From" cell) of a
    derived figure gets the same mark, its title the formula."""
    derived = set(derived_frame().index)

    def mark(m: re.Match[str]) -> str:
        if m.group(2) not in derived:  # a catalogued figure's value (a table cell)
            return m.group(0)
        classes = "db-v db-derived" if m.group(1) else "db-derived"
        return str(derived_mark(m.group(2), Markup(""), lang, classes)).removesuffix("</span>")
    return _DB_V_OPEN.sub(mark, html)


def make_page(path: Path, nb: Any, langs: tuple[str, ...] = LANGS) -> Page:
    """A page with each language's title and lede (the ``lede`` cell, else the first paragraph)."""
    page = Page(path=path)
    page.written_in |= {lang for lang in map(cell_lang, nb.cells) if lang}
    for lang in langs:
        ed = edition(nb, lang)
        title, _ = summarise(ed, fallback_title=path.stem)
        lede = lede_markdown(ed)
        page.titles[lang] = title
        page.ledes[lang] = lede if lede is not None else "\n\n".join(first_paragraphs(ed))
        page.lede_from_cell[lang] = lede is not None
    return page


# --------------------------------------------------------------------------- chrome


@dataclass(frozen=True)
class Chrome:
    """What every page of one edition shows around its content."""

    lang: str
    langs: tuple[str, ...]
    href: str
    head: Markup
    nav_top: Markup
    nav_bottom: Markup
    footer: Markup
    assets: str


def chrome(lang: str, langs: tuple[str, ...], href: str, pages: list[Page] | None,
           index: int | None, footer_lines: list[str]) -> Chrome:
    """The chrome of the page ``href`` of the ``lang`` edition.

    ``pages``/``index`` place a notebook page in the previous/next sequence
    (``index=None`` for the front and source pages).
    """
    prev = nxt = None
    if pages is not None and index is not None:
        prev = pages[index - 1] if index > 0 else None
        nxt = pages[index + 1] if index + 1 < len(pages) else None
    others = [
        {"lang": o, "href": switch_href(lang, o, href), "name": ui("site.lang.name", o),
         "title": ui("site.lang.switch", o)}
        for o in langs if o != lang
    ]
    context = {
        "lang": lang, "href": href, "others": others,
        "prev": {"href": prev.href, "title": prev.title(lang),
                 "lang": prev.content_lang(lang)} if prev else None,
        "next": {"href": nxt.href, "title": nxt.title(lang),
                 "lang": nxt.content_lang(lang)} if nxt else None,
        "index_href": INDEX_PAGE, "source_href": SOURCE_PAGE,
        "footer_lines": footer_lines, "assets": to_root(lang) + "assets",
    }
    module = jinja_env().get_template("chrome.html.j2").make_module(context)
    return Chrome(
        lang=lang, langs=langs, href=href,
        head=Markup(module.head()),
        nav_top=Markup(module.nav("top")),
        nav_bottom=Markup(module.nav("bottom")),
        footer=Markup(module.footer()),
        assets=to_root(lang) + "assets",
    )
