"""Typography in one place, for both editions: the last pass over every built page.

What a reader sees is typeset by the same rules whatever wrote it (a label, a template,
a notebook's Markdown or output, the page chrome):

Inside a quotation (the report's words, in our prose) only the quote marks change.

- a year range takes an en dash: ``2015-2020`` and ``2015 - 2020`` read ``2015–2020``;
- a hyphen before a number, after a space or an opening bracket, is a minus sign:
  ``-55,8%`` reads ``−55,8%``;
- straight quotes become curly ones, opening or closing by the character before them:
  ``"…"`` reads ``“…”``; ``'…'`` reads ``‘…’`` in English and ``“…”`` in Vietnamese (its
  only quotation marks); an apostrophe between letters reads ``’``;
- on a page (:func:`typeset_html`), an ellipsis standing for a number (``giảm …%``,
  "fell by …%") is held to the word before it by a no-break space and to its ``%`` by a
  word joiner (U+2060), so that a line never breaks inside the term (QA-0305 S10: Figure
  4.1's title broke as "‘giảm …" / "%’" on a phone), inside a quotation too: no
  character a reader sees changes (:func:`hold_placeholders`).

The report's own words are never touched: ``<q>``, ``<cite>`` (the article's title),
``.db-quote``, ``.db-verbatim``, the source page's article (``.db-article``), code, scripts
and styles are copied as they are. Markup is
copied byte for byte; only text, and the attributes a reader sees (``alt``, ``title``,
``aria-label``, ``data-tip``, ``data-label``), change: those are typeset inside the
report's words too (a tooltip on a number of the source page's article is ours), not
inside code.

Hand-written rather than SmartyPants: that library knows English quotes and ``--``
dashes, not Vietnamese quotation marks, year ranges or the minus sign.
"""

from __future__ import annotations

import bisect
import html
import re

__all__ = ["MINUS", "READ_ATTRIBUTES", "VERBATIM_SELECTOR", "hold_placeholders", "typeset",
           "typeset_html"]

#: A true minus sign (U+2212).
MINUS = "\u2212"
EN_DASH = "\u2013"
_YEAR_RANGE = re.compile(r"\b((?:19|20)\d\d)(?:\s*-\s*|\s+\u2013\s+)((?:19|20)\d\d)\b")
#: The characters :func:`_typeset` changes or counts (quotes, hyphens, en dashes): a text
#: without any is returned as it is (most of a page's text nodes).
_TYPESET_CHARS = re.compile("[\"'\\-\u2013\u201c\u2018\u201d\u2019\u2026]")
#: The characters :func:`_typeset` may change, or that open or close a quotation.
_MARKS = re.compile("[\"'\\-\u201c\u2018\u201d\u2019]")
#: An ellipsis standing for a number before its unit (``…%``): the space before it, and
#: its boundary with the ``%``.
_PLACEHOLDER = re.compile(r" (?=\u2026\S)|(?<=\u2026)(?=%)")
WORD_JOINER = "\u2060"
_OPENING = set(" \t\n\r\xa0([{/*_\u2013\u2014\u201c\u2018-") | {""}
#: Elements whose text is the report's words or code: copied as they are.
_VERBATIM_TAGS = frozenset({"q", "cite", "code", "pre", "script", "style", "template",
                            "textarea", "kbd", "samp"})
_VERBATIM_CLASSES = ("db-quote", "db-article", "db-verbatim")
#: The same elements as a CSS selector (for checks that read a built page).
VERBATIM_SELECTOR = ", ".join(sorted(_VERBATIM_TAGS) + [f".{c}" for c in _VERBATIM_CLASSES])
#: Attributes a reader sees: ``data-label`` is a stacked table's column name, shown
#: before each cell on a phone (``::before``).
READ_ATTRIBUTES = ("alt", "title", "aria-label", "data-tip", "data-label")
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
         "source", "track", "wbr"}
_TAG = re.compile(r"<!--.*?-->|<![^>]*>|<[^>]+>", re.S)
_TAG_NAME = re.compile(r"</?\s*([a-zA-Z][\w:-]*)")
_ATTR = re.compile(r"(\s(?:" + "|".join(READ_ATTRIBUTES)
                   + r""")\s*=\s*)(?:"([^"]*)"|'([^']*)')""")


def lower_first(name: str) -> str:
    """``name`` with a lower-case first letter, to stand inside a sentence ("Communes of the
    district" -> "communes of the district"); an acronym ("NQ …") is left as it is."""
    if len(name) > 1 and name[0].isupper() and not name[1].isupper():
        return name[0].lower() + name[1:]
    return name


def upper_first(text: str) -> str:
    """``text`` with an upper-case first letter, to start a sentence or a name ("xã còn
    lại" -> "Xã còn lại")."""
    return text[:1].upper() + text[1:]


def typeset(text: str, lang: str = "en", before: str = "") -> str:
    """``text`` typeset (see the module docstring); ``before`` is the character that
    precedes it on the page (it decides whether a quote at the start opens)."""
    return _typeset(text, lang, before[-1:] if before else "", 0)[0]


def _typeset(text: str, lang: str, prev: str, depth: int) -> tuple[str, int]:
    """``text`` typeset after the character ``prev``, inside ``depth`` open quotes; the
    text and the depth after it. Inside a quotation (the report's words) only the quote
    marks change: its dashes and hyphens are its own.

    Only the characters :data:`_MARKS` finds are looked at (each after the character
    before it as typeset), the text between them copied as it is."""
    if not _TYPESET_CHARS.search(text):  # nothing to change, no quotation opened or closed
        return text, depth
    out: list[str] = []
    # (position, depth after it) wherever a quotation opens or closes
    depths: list[tuple[int, int]] = []
    at = 0
    start_depth = depth
    for m in _MARKS.finditer(text):
        i = m.start()
        if i > at:
            out.append(text[at:i])
            prev = text[i - 1]
        ch = m.group(0)
        nxt = text[i + 1: i + 2]
        if ch == '"':
            ch = "\u201c" if prev in _OPENING else "\u201d"
        elif ch == "'":
            if prev.isalnum() and nxt.isalpha():
                ch = "\u2019"  # an apostrophe: report's
            elif prev in _OPENING:
                ch = "\u201c" if lang == "vi" else "\u2018"
            else:
                ch = "\u201d" if lang == "vi" else "\u2019"
        if ch in "\u201c\u2018":
            depth += 1
            depths.append((i, depth))
        elif ch in "\u201d\u2019" and depth and not (prev.isalnum() and nxt.isalpha()):
            depth -= 1
            depths.append((i, depth))
        elif ch == "-" and nxt.isdigit() and prev in _OPENING and not depth:
            ch = MINUS
        out.append(ch)
        prev = ch
        at = i + 1
    out.append(text[at:])
    typeset_text = "".join(out)
    # year ranges, outside quotations only (a range's first digit is never a mark: the
    # depth there is the depth after the last mark before it)
    pieces, at = [], 0
    for m in _YEAR_RANGE.finditer(typeset_text):
        k = bisect.bisect_left(depths, (m.start(), -1))
        inside = (depths[k - 1][1] if k else start_depth) > 0
        pieces.append(typeset_text[at:m.start()])
        pieces.append(m.group(0) if inside else f"{m.group(1)}{EN_DASH}{m.group(2)}")
        at = m.end()
    pieces.append(typeset_text[at:])
    return "".join(pieces), depth


def hold_placeholders(text: str) -> str:
    """``text`` with each ellipsis standing for a number held together (:data:`_PLACEHOLDER`):
    a no-break space before it, a word joiner between it and its ``%``. For a page, whose
    lines the browser breaks (:func:`typeset_html`); a chart's texts are broken by the
    chart, and its font draws no word joiner."""
    if "\u2026" not in text:
        return text
    return _PLACEHOLDER.sub(lambda m: "\xa0" if m.group(0) == " " else WORD_JOINER, text)


def _verbatim(tag: str, name: str) -> bool:
    if name in _VERBATIM_TAGS:
        return True
    m = re.search(r"""\sclass\s*=\s*["']([^"']*)["']""", tag)
    return m is not None and any(c in m.group(1).split() for c in _VERBATIM_CLASSES)


def _attributes(tag: str, lang: str) -> str:
    def fix(m: re.Match[str]) -> str:
        quote = '"' if m.group(2) is not None else "'"
        raw = m.group(2) if m.group(2) is not None else str(m.group(3))
        new = hold_placeholders(typeset(html.unescape(raw), lang))
        if new == html.unescape(raw):
            return m.group(0)
        return f"{m.group(1)}{quote}{html.escape(new, quote=True)}{quote}"

    return _ATTR.sub(fix, tag)


def typeset_html(page: str, lang: str = "en") -> str:
    """A page with its visible text and read attributes typeset, the report's words,
    code and all markup left as they are."""
    out: list[str] = []
    # open elements: name, and whether it or an element around it is verbatim, is code
    stack: list[tuple[str, bool, bool]] = []
    prev = ""
    state = [0]  # quotation marks open in the text so far
    at = 0
    for m in _TAG.finditer(page):
        chunk = _text(page[at:m.start()], stack, lang, prev, state)
        out.append(chunk)
        if chunk.strip():
            prev = html.unescape(chunk)[-1:]
        elif chunk:
            prev = " "
        tag = m.group(0)
        at = m.end()
        name_m = _TAG_NAME.match(tag)
        if not name_m or tag.startswith(("<!", "<?")):
            out.append(tag)
            continue
        name = name_m.group(1).lower()
        if tag.startswith("</"):
            for j in range(len(stack) - 1, -1, -1):
                if stack[j][0] == name:
                    del stack[j:]
                    break
            out.append(tag)
            continue
        inside, code = stack[-1][1:] if stack else (False, False)
        # a read attribute is our text even inside the report's words (the source page's
        # tooltips, ``data-tip``, on numbers of its article): only code keeps its own
        code = code or name in _VERBATIM_TAGS
        out.append(tag if code else _attributes(tag, lang))
        if name in _VOID or tag.endswith("/>"):
            continue
        stack.append((name, inside or _verbatim(tag, name), code))
        if name in ("p", "li", "td", "th", "div", "br", "h1", "h2", "h3", "h4", "dd", "dt"):
            prev = " "
            state[0] = 0  # a quotation does not run across blocks
    out.append(_text(page[at:], stack, lang, prev, state))
    return "".join(out)


def _text(chunk: str, stack: list[tuple[str, bool, bool]], lang: str, prev: str,
          state: list[int]) -> str:
    if not chunk or (stack and stack[-1][1]):
        return chunk
    plain = html.unescape(chunk)
    new, state[0] = _typeset(plain, lang, prev, state[0])
    new = hold_placeholders(new)
    return chunk if new == plain else html.escape(new, quote=False)
