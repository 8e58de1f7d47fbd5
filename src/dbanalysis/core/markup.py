"""Data text entering HTML or Markdown, escaped so that it is shown, never interpreted.

Labels, notes, quotes and explanations come from files a researcher edits; a label
such as ``<img src=x onerror=alert(1)>`` must appear as those characters on the
page, not as an element. :func:`html_text` is :func:`markupsafe.escape`;
:func:`md_text` makes text safe to put inside Markdown (Jupyter renders Markdown
with raw HTML enabled) while it still reads the same once rendered.
"""

from __future__ import annotations

import re

from markupsafe import escape

__all__ = ["html_text", "md_text"]

#: Characters with a meaning inside a Markdown line: emphasis, code, links, tables,
#: strikethrough and the backslash itself. ``<`` and an entity's ``&`` become entities.
_MD_INLINE = re.compile(r"([\\`*_\[\]|~])")
#: ``&`` that would start a character reference (``&lt;``, ``&#60;``).
_ENTITY = re.compile(r"&(?=#?[0-9A-Za-z]+;)")
#: What makes a line a quote, heading, list item or rule when it starts it
#: ("# x", "- x", "12. x", "> x"; not "-2,5%" or "14.8%").
_MD_LINE_START = re.compile(r"^(\s*)(?:([>])|([#+=-])(?=\s|$|[#=-])|(\d+)([.)])(?=\s|$))")


def html_text(text: object) -> str:
    """``text`` with ``& < > " '`` as HTML entities."""
    return str(escape(str(text)))


def md_text(text: object) -> str:
    """``text`` that Markdown renders as the same characters (``a_b <x>`` -> ``a\\_b &lt;x>``).

    HTML is neutralised with entities (``&amp;``, ``&lt;``), Markdown punctuation with
    backslashes; line breaks become spaces so data cannot open a new block.
    """
    s = _ENTITY.sub("&amp;", str(text)).replace("<", "&lt;")
    s = _MD_INLINE.sub(r"\\\1", s)
    s = re.sub(r"\s*[\r\n]+\s*", " ", s)

    def block(m: re.Match[str]) -> str:
        marker = m.group(2) or m.group(3)
        if marker:
            return f"{m.group(1)}\\{marker}"
        return f"{m.group(1)}{m.group(4)}\\{m.group(5)}"

    return _MD_LINE_START.sub(block, s)
