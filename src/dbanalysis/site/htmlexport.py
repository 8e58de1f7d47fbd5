"""Export one edition of an executed notebook to a page of the site (nbconvert).

The package's nbconvert template (``templates/dbsite``) is the JupyterLab look
without any script from another host. The reader edition hides code input;
``with_input=True`` keeps each code cell's input folded in a ``<details>`` under
the cell. Images take their alt text from the output metadata
(``{"dbanalysis": {"alt": ...}}``); an image without one gets an empty ``alt``
rather than nbconvert's "No description has been provided" text. The page is the
template's output as written (:func:`_site_exporter_class`). The lab template's CSS
(~260 KB: JupyterLab's stylesheet and theme, nbconvert's rules, pygments' code styles) is
not in the page: the build writes it once to the site's assets (:data:`LAB_CSS`,
:func:`lab_css`) and every page links it; a page exported outside the site build
(:mod:`dbanalysis.site.standalone`) keeps it inline.
"""

from __future__ import annotations

import base64
import binascii
import re
import struct
import threading
from functools import cache
from typing import Any

from markupsafe import Markup, escape

from ..core.cache import kept_text, library_versions, template_cache
from ..core.markup import safe_html
from ..notebook.bilingual import META_KEY, NARROW_MIME, edition
from .pages import TEMPLATES, Chrome, mark_derived, ui

NB_TEMPLATE = "dbsite"
#: The file, in the site's assets folder, of the CSS nbconvert's lab template would write
#: into every page's ``<head>`` (:func:`lab_css`), linked from every notebook page instead.
LAB_CSS = "lab.css"
#: nbconvert's preprocessor that puts pygments' code styles into ``resources.inlining``;
#: off in the site build, whose pages find those styles in :data:`LAB_CSS`.
_PYGMENTS_CSS = "CSSHTMLHeaderPreprocessor"


_EXPORTERS = threading.local()


def exporter_for(with_input: bool = False) -> Any:
    """:func:`make_exporter`'s exporter for both editions: one per thread and input mode,
    made once (an exporter compiles its Jinja templates on first use: one exporter for
    both editions compiles them once) and never changed after; each page's language is
    its call's (``resources["language_code"]``, :func:`export_page`), not a setting of
    this shared object (FINAL24-A 7)."""
    made = _EXPORTERS.__dict__.setdefault("made", {})
    if with_input not in made:
        made[with_input] = make_exporter("en", with_input)
    return made[with_input]


@cache
def lab_css() -> str:
    """The CSS nbconvert's lab template writes into the ``<head>`` of a page, in its order,
    as one stylesheet (:data:`LAB_CSS`); made once a process (~5 ms of CPU each build of
    a process that builds several: the test suite's fourteen)."""
    return str(exporter_for().lab_css())


def make_exporter(lang: str, with_input: bool = False) -> Any:
    """The nbconvert HTML exporter with the site's template; ``lang``: the language of a
    page whose call gives none (``resources["language_code"]``)."""
    from traitlets.config import Config

    exporter = _site_exporter_class()(
        config=Config({_PYGMENTS_CSS: {"enabled": False}}),  # (in LAB_CSS)
        template_name=NB_TEMPLATE,
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=not with_input,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        # markdown images would be inlined by re-parsing every inline HTML tag on its own,
        # which empties a <span>…</span> pair (the marks on derived values in prose); the
        # notebooks have no markdown images, and chart outputs are embedded regardless
        embed_images=False,
        language_code=lang,
        # the notebook checked against its schema once, after the last preprocessor,
        # not after each of its 13 (364 checks of a whole notebook a build of both editions)
        optimistic_validation=True,
    )
    exporter.register_filter("safe_html", safe_html)
    exporter.register_filter("png_size", png_size)
    return exporter


@cache
def _site_exporter_class() -> type:
    """nbconvert's HTMLExporter without its last pass, which parses the page it has just
    written with BeautifulSoup (html.parser) and writes it out again (a quarter of a
    build's CPU) for two things: ``tabindex="0"`` on each cell's input and output
    (:func:`focusable` gives it) and an ``alt`` on an image without one (the template
    gives every image its alt, from the output's metadata)."""
    import jinja2
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter

    class SiteExporter(HTMLExporter):
        def _create_environment(self) -> Any:
            # nbconvert's environment with Jinja's own bytecode cache: its ~15 templates
            # compiled once per source, not in every process that exports a page
            env = super()._create_environment()
            env.bytecode_cache = template_cache(env)
            return env

        @jinja2.pass_context
        def markdown2html(self, context: Any, source: str) -> str:
            # nbconvert's rendering of a cell's or an output's Markdown (mistune, pygments),
            # kept on disk per source and renderer (core.cache.kept_text): the same prose
            # rendered again by every build was a tenth of one's CPU. A cell with
            # attachments (images nbconvert inlines from it) is rendered as it is.
            if context.get("cell", {}).get("attachments"):
                return str(HTMLExporter.markdown2html(self, context, source))
            path = context.get("resources", {}).get("metadata", {}).get("path", "")
            renderer = (f"{library_versions('nbconvert', 'mistune', 'pygments')} "
                        f"{self.anchor_link_text!r} {self.exclude_anchor_links} "
                        f"{self.embed_images} {path!r} {sorted(self.lexer_options.items())!r}")
            return kept_text("markdown-html", renderer, source, lambda text: str(
                HTMLExporter.markdown2html(self, context, text)))

        def _init_resources(self, resources: Any) -> Any:
            # the page's language is the call's when it gives one: nbconvert sets
            # resources["language_code"] from the exporter's trait (each time it inits
            # the resources, twice a page), which one exporter serving both editions
            # would have to change before every call
            lang = (resources or {}).get("language_code") or self.language_code
            resources = super()._init_resources(resources)
            resources["language_code"] = lang
            return resources

        def from_notebook_node(  # type: ignore[override]  # as HTMLExporter's
                self, nb: Any, resources: Any = None, **kw: Any) -> tuple[str, Any]:
            # HTMLExporter.from_notebook_node (nbconvert 7) up to its BeautifulSoup pass
            langinfo = nb.metadata.get("language_info", {})
            lexer = langinfo.get("pygments_lexer", langinfo.get("name", None))
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(pygments_lexer=lexer, parent=self)))
            resources = self._init_resources(resources)
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self, resources=resources))
            html, resources = TemplateExporter.from_notebook_node(self, nb, resources, **kw)
            return focusable(html), resources

        def lab_css(self) -> str:
            """What the lab template writes into a page's ``<head>`` for a notebook outside
            the site (the ``notebook_css`` block, after pygments' code styles), the
            ``<style>`` elements' texts in their order, a line each: the same rules in the
            same cascade when linked in their place."""
            from nbconvert.preprocessors import CSSHTMLHeaderPreprocessor

            resources = self._init_resources({})
            code_css = CSSHTMLHeaderPreprocessor(parent=self).preprocess(None, resources)[1]
            lab = self.environment.get_template("lab/index.html.j2")
            head = "".join(lab.blocks["notebook_css"](lab.new_context({"resources": resources})))
            left = _STYLE.sub("", head).strip()
            if left:  # (a link or script the lab template may add one day: not a stylesheet)
                raise ValueError(f"nbconvert's lab template writes more than CSS: {left[:80]!r}")
            return "".join(f"{css.strip()}\n" for css in
                           [*code_css["inlining"]["css"], *_STYLE.findall(head)])

    return SiteExporter


#: A ``<style>`` element as nbconvert writes one (``resources.include_css``), its CSS in group 1.
_STYLE = re.compile(r'<style type="text/css">\n?(.*?)</style>', re.S)


#: A ``<div>`` start tag, its attributes in group 1 (a quoted value may hold ``>``).
_DIV = re.compile(r"""<div((?:\s+[^\s"'>/=]+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'>]+))?)*)\s*>""")
#: One attribute of a start tag: its name, and its value in one of three quotings.
_ATTRIBUTE = re.compile(r"""\s+([^\s"'>/=]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")
#: The cells' parts a keyboard reaches in JupyterLab, and so on a page (nbconvert's
#: HTMLExporter gives them ``tabindex="0"``).
FOCUSABLE = frozenset({"jp-Cell-inputWrapper", "jp-OutputArea-output"})


def focusable(html: str) -> str:
    """``html`` with ``tabindex="0"`` on every ``<div>`` of class ``jp-Cell-inputWrapper``
    or ``jp-OutputArea-output`` that has no tabindex yet, as nbconvert's HTMLExporter
    gives them: a keyboard reaches each cell's input and output, as in JupyterLab."""
    def add(m: re.Match[str]) -> str:
        attrs = {a.group(1).lower(): a.group(2) or a.group(3) or a.group(4) or ""
                 for a in reversed(list(_ATTRIBUTE.finditer(m.group(1))))}  # first one wins
        if "tabindex" in attrs or FOCUSABLE.isdisjoint(attrs.get("class", "").split()):
            return m.group(0)
        return f'<div{m.group(1)} tabindex="0">'
    return _DIV.sub(add, html)


#: A PNG's first 24 bytes: its signature, then the IHDR chunk's length, type, width, height.
_PNG_HEAD = struct.Struct(">8sI4sII")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def png_size(data: str, density: int = 1) -> Markup:
    """The ``width`` and ``height`` attributes, in CSS px, of the base64 PNG ``data``
    shown at ``density`` image pixels a CSS px (``2`` for a ``2x`` source); empty when
    ``data`` is not a PNG.

    A chart's ``<picture>`` offers the phone layout at ``2x`` and the wide one as the
    ``<img src>``. Chromium keeps the ``2x`` density when it switches from the first to
    the second (a window widened past 800 px, a tablet turned to landscape), so the wide
    chart was laid out at half its width, its text at about 6 px (QA-2130 S1). Stated
    sizes fix the layout whatever density the browser assumes (and reserve the chart's
    room before it decodes). The size is read from the PNG's header (the 24 bytes before
    any image data): decoding the image for it would cost a full PNG decode a chart."""
    try:
        head = base64.b64decode(data[:32])
        sig, _length, kind, width, height = _PNG_HEAD.unpack(head)
    except (binascii.Error, struct.error, TypeError):
        return Markup("")
    if sig != _PNG_SIGNATURE or kind != b"IHDR" or not width or not height:
        return Markup("")
    return Markup(' width="{:g}" height="{:g}"').format(width / density, height / density)


def number_charts(nb: Any, prefix: str | None) -> int:
    """Give every chart of ``nb`` (an output with a PNG and a title in its ``dbanalysis``
    metadata) its citable number ``<prefix>.<k>`` (``7.1``), in page order; the count."""
    k = 0
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            meta = output.get("metadata", {}).get(META_KEY)
            if "image/png" in output.get("data", {}) and isinstance(meta, dict) \
                    and meta.get("title"):
                k += 1
                meta["number"] = f"{prefix}.{k}" if prefix else str(k)
    return k


def page_number(stem: str) -> str | None:
    """The number a page's file name starts with (``07-health`` → ``7``), or None."""
    m = re.match(r"(\d+)-", stem)
    return str(int(m.group(1))) if m else None


def export_page(nb: Any, title: str, chrome: Chrome, with_input: bool = False,
                anchors: dict[str, str] | None = None, content_lang: str | None = None,
                figure_prefix: str | None = None) -> str:
    """The HTML page of ``nb``'s ``chrome.lang`` edition.

    ``figure_prefix`` numbers the page's charts (``7`` → Figure 7.1, 7.2, …).
    ``anchors`` maps an id to the text of the element that should carry it (an
    audit check id on the audit page): an element whose whole text is that text
    gets the id when the page has no element with it yet. ``content_lang`` is the
    language of the notebook's prose (``<main lang>``), by default the edition's.
    """
    ed = edition(nb, chrome.lang)
    number_charts(ed, figure_prefix)
    exporter = exporter_for(with_input)
    resources = {
        "language_code": chrome.lang,  # <html lang>: this call's, not the exporter's
        # the tab and bookmark name the site as well as the page ("Budget – Điện Biên …")
        "metadata": {"name": ui("site.page_title", chrome.lang, page=title)},
        "dbsite": {
            "head": chrome.head, "nav_top": chrome.nav_top, "nav_bottom": chrome.nav_bottom,
            "footer": chrome.footer, "fold_input": with_input,
            "code_label": ui("site.code.summary", chrome.lang),
            "content_lang": content_lang or chrome.lang,
            "figure_label": ui("site.figure.number", chrome.lang, number="{number}"),
            "figure_data": ui("site.figure.data", chrome.lang),
            "figure_head": [ui("table.figure", chrome.lang), ui("table.value", chrome.lang),
                            ui("table.status", chrome.lang)],
            "narrow_mime": NARROW_MIME,
            "lab_css": f"{chrome.assets}/{LAB_CSS}",
        },
        "inlining": {"css": []},  # pygments' code styles: in LAB_CSS (_PYGMENTS_CSS is off)
    }
    body, _ = exporter.from_notebook_node(ed, resources=resources)
    return add_contents(add_anchors(mark_derived(body, chrome.lang), anchors or {}), chrome.lang)


#: A page with at least this many sections (``<h2>``) lists them under its heading: every
#: page of the report but the front and source pages. Three sections already run to about
#: four phone screens and more (11-awards: 3 sections, 6,192 px at 390 px; QA-1945 R6).
CONTENTS_FROM = 3
_H2 = re.compile(r'<h2 id="([^"]+)"[^>]*>(.*?)</h2>', re.S)
_ANCHOR_LINK = re.compile(r'<a class="anchor-link"[^>]*>.*?</a>', re.S)
_TAG = re.compile(r"<[^>]+>")
_H1_END = "</h1>"


def add_contents(html: str, lang: str) -> str:
    """Under the page's ``<h1>``, a folded list of links to its sections (``<h2>``) when it
    has at least :data:`CONTENTS_FROM`: a long page on a phone is otherwise only scrolled.
    The sections' ids and texts are nbconvert's (the ids as its anchor links write them);
    the texts are read back from the page's HTML, so they are unescaped and escaped again."""
    import html as html_lib

    sections = [(anchor, html_lib.unescape(_TAG.sub("", _ANCHOR_LINK.sub("", inner))).strip())
                for anchor, inner in _H2.findall(html)]
    at = html.find(_H1_END)
    if len(sections) < CONTENTS_FROM or at < 0:
        return html
    items = "".join(str(Markup('<li><a href="#{}">{}</a></li>').format(
        html_lib.unescape(a), t)) for a, t in sections)
    nav = str(Markup('<details class="db-toc"><summary>{}</summary><ol>{}</ol></details>')
              .format(ui("site.contents", lang), Markup(items)))
    at += len(_H1_END)
    return html[:at] + nav + html[at:]


_TAG_WITH_TEXT = r"<(a|strong|b|code|td|th)((?:\s[^>]*)?)>\s*{}\s*</\1>"


#: A word character (what ``\b`` tells apart), for :func:`_has_id`.
_WORD = re.compile(r"\w")


def _has_id(html: str, anchor: str) -> bool:
    """Whether ``html`` has ``id="anchor"`` after a word boundary (``\bid="anchor"``),
    found with ``str.find``: a regular expression that starts with ``\b`` has no literal
    prefix to look for and tries every position of a page holding ~0.3 MB of PNGs
    (0.65 s per audit page, against under a millisecond)."""
    needle = f'id="{anchor}"'
    at = html.find(needle)
    while at != -1:
        if at == 0 or not _WORD.match(html, at - 1):
            return True
        at = html.find(needle, at + 1)
    return False


def add_anchors(html: str, anchors: dict[str, str]) -> str:
    """Give the first element whose whole text is ``text`` the id ``anchor`` (if absent)."""
    for anchor, text in anchors.items():
        if _has_id(html, anchor):
            continue
        pattern = re.compile(_TAG_WITH_TEXT.format(re.escape(str(escape(text)))))
        m = pattern.search(html)
        if m and " id=" not in (m.group(2) or ""):
            start = m.start() + 1 + len(m.group(1))
            html = html[:start] + f' id="{escape(anchor)}"' + html[start:]
    return html
