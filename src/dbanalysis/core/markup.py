"""Data text at the boundary: one function per kind of output it is written into.

Labels, notes, quotes, explanations and templates come from files a researcher edits
(and anyone can send a changed copy of ``data/``). Whatever they hold is shown as
written, never interpreted, in every kind of output the package writes:

* :func:`html_text` and :func:`html_attr`: text inside an HTML element or attribute;
* :func:`md_text`: text inside Markdown (Jupyter renders Markdown with raw HTML on);
  :func:`md_link` a Markdown link, which may only lead to a page of the site
  (:func:`site_href`);
* :func:`safe_html`: the last gate of every notebook output on the site (Markdown
  rendered, tables): only a fixed set of elements and attributes, links only to the
  site's own pages, no image, no script, no event handler; anything else is shown
  as text (bleach, the sanitiser nbconvert uses);
* :func:`mpl_text` and :func:`mpl_plain`: text drawn by matplotlib, whose mathtext
  would parse ``$…$`` (``$\\frac{a}{$`` fails to draw);
* :func:`csv_cell`: a text cell of a CSV file, which a spreadsheet must not run as a
  formula (OWASP's rule against CSV injection).
"""

from __future__ import annotations

import functools
import re
import urllib.parse
from collections.abc import Iterable
from typing import Any

from markupsafe import escape

from . import cache, labels

__all__ = ["CSV_FORMULA_START", "Md", "csv_cell", "html_attr", "html_text", "md_joined", "md_link",
           "md_text", "mpl_plain", "mpl_text", "safe_html", "site_href"]


class Md(str):
    """Markdown written by the package itself (not data text): :func:`md_text` and
    :func:`dbanalysis.views.text.md_table` keep it as it is."""

    __slots__ = ()


#: Characters with a meaning inside a Markdown line: emphasis, code, links, tables,
#: strikethrough and the backslash itself. ``<`` and an entity's ``&`` become entities.
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
#: ``&`` that would start a character reference (``&lt;``, ``&#60;``).
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
#: What makes a line a quote, heading, list item or rule when it starts it
#: ("# x", "- x", "12. x", "> x"; not "-2,5%" or "14.8%").
_MD_LINE_START = re.compile(r"^(\s*)(?:([>])|([#+=-])(?=\s|$|[#=-])|(\d+)([.)])(?=\s|$))")


def html_text(text: object) -> str:
    """``text`` with ``& < > " '`` as HTML entities, for the content of an element."""
    return str(escape(str(text)))


def html_attr(text: object) -> str:
    """``text`` for the value of a double- or single-quoted HTML attribute: entities
    for ``& < > " '``, and line breaks and other control characters as spaces (an
    attribute value is one line; a control character in it is not valid HTML)."""
    return html_text(re.sub(r"[\x00-\x1f\x7f]", " ", str(text)))


def md_text(text: object) -> Md:
    """``text`` that Markdown renders as the same characters (``a_b <x>`` -> ``a\\_b &lt;x>``).

    HTML is neutralised with entities (``&amp;``, ``&lt;``), Markdown punctuation with
    backslashes (so no link, image or emphasis can start in data text); line breaks
    become spaces so data cannot open a new block. The result is :class:`Md` (escaping
    it again changes nothing); :class:`Md` is returned as it is.
    """
    if isinstance(text, Md):
        return text
    s = _ENTITY.sub("&amp;", str(text)).replace("<", "&lt;")
    s = _MD_INLINE.sub(r"\\\1", s)
    s = s.replace("://", r"\://")  # a bare address is not made a link (GFM autolinks)
    s = re.sub(r"\s*[\r\n]+\s*", " ", s)

    def block(m: re.Match[str]) -> str:
        marker = m.group(2) or m.group(3)
        if marker:
            return f"{m.group(1)}\\{marker}"
        return f"{m.group(1)}{m.group(4)}\\{m.group(5)}"

    return Md(_MD_LINE_START.sub(block, s))


def md_joined(items: Iterable[object], lang: str | None = None) -> Md:
    """Markdown ``items`` (each already :class:`Md` or escaped) as one list, joined by the
    label ``list.join`` escaped as the data text it is (:func:`md_text`), as
    :func:`dbanalysis.core.labels.joined` joins plain text."""
    return Md(md_text(labels.text("list.join", lang)).join(str(i) for i in items))


#: A page of the site: one file name (no folder, no scheme, no host), ``.html``.
_SITE_PAGE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\.html")
#: A fragment: an element id the site writes (check ids, ``f-<figure_id>``, headings).
_FRAGMENT = re.compile(r"[A-Za-z0-9._~%:!$&'()*+,;=@/?-]*")


def site_href(href: str) -> bool:
    """Whether ``href`` leads to a page of the site itself: ``source.html#f-x``,
    ``12-audit.html``, ``#anchor``; never a scheme (``javascript:``, ``https:``), a
    host (``//evil.example``), a folder or ``..``."""
    if any(c.isspace() or ord(c) < 32 for c in href) or "\\" in href:
        return False
    parts = urllib.parse.urlsplit(href)
    if parts.scheme or parts.netloc or parts.query:
        return False
    if parts.path and not _SITE_PAGE.fullmatch(parts.path):
        return False
    if not parts.path and not href.startswith("#"):
        return False
    return _FRAGMENT.fullmatch(parts.fragment) is not None


def md_link(text: object, href: str) -> Md:
    """A Markdown link with ``text`` (data text, escaped) to a page of the site.

    Raises ValueError for any other address (:func:`site_href`)."""
    if not site_href(href):
        raise ValueError(f"not a page of the site: {href!r}")
    return Md(f"[{md_text(text)}]({href})")


# --------------------------------------------------------------------------- HTML gate

#: Elements a notebook output may hold on the site: Markdown's and the tables'.
SAFE_TAGS = frozenset({
    "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "del", "details", "div",
    "em",
    "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "li", "ol", "p", "pre", "q", "s",
    "small", "span", "strong", "sub", "summary", "sup", "table", "tbody", "td", "tfoot",
    "th", "thead", "tr", "ul",
})
#: Attributes allowed on any of them (``href`` only on ``a``, and only to the site);
#: ``data-fig`` and ``data-id`` name the figure a value or a formula term shows (inert: no
#: script reads them; the site's tests hold a figure to one string by them).
SAFE_ATTRS = frozenset({"id", "class", "title", "lang", "data-label", "data-fig", "data-id",
                        "colspan", "rowspan", "align", "border"})
#: The empty style block pandas' Styler writes before its table.
_EMPTY_STYLE = re.compile(r"<style[^>]*>\s*</style>\s*")
#: Pandas' own style block in a DataFrame's HTML (no data text in it).
_PANDAS_STYLE = re.compile(r"<style scoped>[^<]*</style>\s*")


def _attribute_ok(tag: str, name: str, value: str) -> bool:
    if name == "href":
        return tag == "a" and site_href(value)
    if name == "style":  # Markdown tables align columns; bleach keeps text-align alone
        return tag in ("tr", "th", "td")
    return name in SAFE_ATTRS


def safe_html(html: str) -> str:
    """``html`` with only the elements, attributes and links a page of the site may show
    (:data:`SAFE_TAGS`, :data:`SAFE_ATTRS`, :func:`site_href`): any other tag is shown as
    text, any other attribute (``onerror``, ``src``, a style other than a table cell's
    ``text-align``) and any other link
    dropped, comments removed. Used on every notebook output the site shows.

    bleach (html5lib, pure Python) sanitises ~2 MB/s: a third of the CPU of a build of the
    site, spent again on the same committed outputs by every build. Its result is kept on
    disk per input and :func:`_policy` (:func:`dbanalysis.core.cache.kept_text`; no library
    the project uses keeps a function's results on disk by their content)."""
    return cache.kept_text("safe-html", _policy(), str(html), _sanitised)


@functools.cache
def _policy() -> str:
    """What :func:`safe_html` gives for a text depends on besides the text: this module's
    source (the allowed elements, attributes and links) and the versions of Python,
    bleach (with the html5lib it vendors) and tinycss2 (its CSS sanitiser). Everything
    :func:`_sanitised` calls of the package's lives in this module: code moved out of it
    must join this key."""
    return cache.module_version(__file__, "bleach", "tinycss2")


def _sanitised(html: str) -> str:
    import bleach  # nbconvert's own sanitiser; imported only when a page is exported
    from bleach.css_sanitizer import CSSSanitizer

    html = _PANDAS_STYLE.sub("", _EMPTY_STYLE.sub("", html))
    # bleach lets a relative address through only when "http" is an allowed protocol;
    # _attribute_ok has already refused every address with a scheme or a host
    cleaner = bleach.Cleaner(tags=SAFE_TAGS, attributes=_attribute_ok, protocols=["http"],
                             strip=False, strip_comments=True,
                             css_sanitizer=CSSSanitizer(allowed_css_properties=["text-align"]))
    return str(cleaner.clean(html))


# --------------------------------------------------------------------------- matplotlib


def mpl_text(text: object) -> str:
    """``text`` for a matplotlib text drawn with mathtext on: each ``$`` escaped
    (``\\$``), so nothing in it is parsed as mathematics. The house style turns
    mathtext off altogether (:func:`mpl_plain`); this is for text drawn outside it."""
    return str(text).replace("$", r"\$")


def mpl_plain(fig: Any) -> Any:
    """``fig`` with mathtext off in every text it holds (titles, labels, ticks, legends,
    annotations), so that a label such as ``$\\frac{a}{$`` is drawn as written instead
    of failing in the mathtext parser. Called where every chart is drawn
    (:func:`dbanalysis.plotting.png_bytes`)."""
    from matplotlib.text import Text

    for t in fig.findobj(Text):
        t.set_parse_math(False)
    return fig


# --------------------------------------------------------------------------- CSV

#: What a spreadsheet reads as the start of a formula (OWASP, "CSV Injection"):
#: ``=``, ``+``, ``-``, ``@``, a tab or a carriage return.
CSV_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(text: Any) -> Any:
    """A text cell for a CSV file that no spreadsheet runs: one that begins with
    ``= + - @``, a tab or a carriage return is prefixed with a single quote
    (``=cmd|' /C calc'!A0`` -> ``'=cmd|' /C calc'!A0``), as OWASP recommends; other
    values (numbers, empty cells, other text) are returned as they are."""
    if isinstance(text, str) and text.startswith(CSV_FORMULA_START):
        return "'" + text
    return text
