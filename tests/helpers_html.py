"""A page the product built, as the checks of what a reader reads see it (test_site_words,
test_vi_edition, test_tables' printed values, test_audit_strings), read with lxml's HTML
parser (libxml2) and CSS selectors (cssselect): the site's 32 pages parse in ~0.05 s of
CPU against ~0.35 s for BeautifulSoup's trees, and each check reads them faster too
(``bench/html_readers.py`` and ``bench/html_site_words_check.py`` compare each reading
with the BeautifulSoup one it replaced). Not for hostile markup: how a browser reads
that is test_hostile_text's question, and a browser answers it.

What BeautifulSoup gave, here: ``select`` (elements under an element, in the page's
order), ``text`` (``get_text``: the strings of a subtree, comments left out), and
:func:`parse_read` (``get_text`` also leaves out what scripts, styles and templates hold,
which lxml's ``itertext`` keeps). Where the two readings still differ (whitespace between
tags, a duplicated attribute: libxml2 keeps the first value), the bench scripts above
found no check that reads otherwise on the site's pages."""

from __future__ import annotations

import functools
from collections.abc import Iterator

import lxml.html
from cssselect import HTMLTranslator
from lxml import etree

Element = lxml.html.HtmlElement


def parse(html: str) -> Element:
    """The page's root (``<html>``, made if the text has none, as is ``<body>``)."""
    return lxml.html.document_fromstring(html)


#: Elements whose text a reader is not shown (BeautifulSoup's ``get_text`` skips their
#: strings).
NOT_READ = ("script", "style", "template")


def parse_read(html: str) -> Element:
    """:func:`parse` without the :data:`NOT_READ` elements (the text after each stays):
    the page as a reader reads it."""
    page = parse(html)
    for el in list(page.iter(*NOT_READ)):
        el.drop_tree()
    return page


@functools.cache
def _xpath(css: str, axis: str) -> etree.XPath:
    return etree.XPath(HTMLTranslator().css_to_xpath(css, prefix=axis + "::"))


def select(el: Element, css: str) -> list[Element]:
    """The elements under ``el`` (not ``el`` itself) that ``css`` matches, in the page's
    order."""
    return _xpath(css, "descendant")(el)


def select_page(root: Element, css: str) -> list[Element]:
    """:func:`select` over a whole page: its root (``<html>``) too."""
    return _xpath(css, "descendant-or-self")(root)


def text(el: Element, sep: str = "") -> str:
    """The strings of ``el``'s subtree joined by ``sep`` (not its tail; no comment)."""
    return sep.join(el.itertext())


def classes(el: Element) -> list[str]:
    return (el.get("class") or "").split()


def elements(root: Element) -> Iterator[Element]:
    """Every element of the page in its order (not comments)."""
    return root.iter(etree.Element)


def outside(el: Element, skip: set[Element]) -> Iterator[Element]:
    """The elements under ``el`` in document order, without those of ``skip`` and all
    inside them: ``el`` as it reads once they are removed (no copy of the page made)."""
    for child in el.iterchildren(etree.Element):
        if child not in skip:
            yield child
            yield from outside(child, skip)


def strings_outside(el: Element, skip: set[Element]) -> Iterator[str]:
    """The strings of ``el``'s subtree in document order once the elements of ``skip``
    are removed (the text after one, its tail, stays), comments left out."""
    if el.text:
        yield el.text
    for child in el:
        if isinstance(child.tag, str) and child not in skip:
            yield from strings_outside(child, skip)
        if child.tail:
            yield child.tail


def text_outside(el: Element, skip: set[Element]) -> str:
    """``el``'s text once the elements of ``skip`` are removed, each string apart,
    whitespace runs made one space."""
    return " ".join(" ".join(strings_outside(el, skip)).split())


def before(el: Element, *names: str) -> bool:
    """Whether an element named one of ``names`` starts before ``el`` in the page (one
    before it or holding it: BeautifulSoup's ``find_previous``)."""
    return bool(el.xpath("(preceding::* | ancestor::*)[" + " or ".join(
        f"self::{name}" for name in names) + "]"))


def markup_before(el: Element) -> str:
    """What precedes ``el`` in its parent, as HTML: the parent's text and the earlier
    siblings with the text after each (BeautifulSoup's ``previous_siblings`` joined; an
    empty element is written ``<br>``, not ``<br/>``)."""
    parent = el.getparent()
    pieces = [parent.text or ""]
    for sibling in parent:
        if sibling is el:
            break
        pieces += [etree.tostring(sibling, encoding=str, method="html", with_tail=False),
                   sibling.tail or ""]
    return "".join(pieces)
