"""Derivation formulas in words, for readers: each id a quoted label, the operators as
readers write them (×, ÷, −, a superscript power, a root), ``round(x, n)`` as the value
the site shows (split from :mod:`dbanalysis.views.text`, whose fields and labels it uses).
"""

from __future__ import annotations

import io
import re
import tokenize

from babel.numbers import format_decimal
from markupsafe import Markup, escape

from ..catalogue import reference
from ..catalogue.figures import figure, figure_ids
from ..catalogue.formula import ROUND, rounded
from ..core import labels
from ..core.language import resolve
from ..derive.lookup import derived_frame, derived_row
from .text import any_label, figure_text, fmt

_OPERATORS = {"**": "^", "*": "×", "/": "÷", "-": "−", "+": "+", "(": "(", ")": ")"}


def formula_text(formula: str, lang: str | None = None) -> Markup:
    """A derivation formula for readers: each id replaced by its label (its value on hover),
    operators as ×, ÷, −, numbers in the page's notation.

    Tokenised with the standard library so that ids, numbers and operators are told apart
    exactly as :mod:`dbanalysis.catalogue.formula` parses them."""
    lang = resolve(lang)
    catalogued = figure_ids()  # (the ids only: an indexed copy of the catalogue per
    # formula was a tenth of a derived number's tooltip)
    parts: list[Markup] = []
    tokens = [t for t in tokenize.generate_tokens(io.StringIO(formula).readline)
              if t.type in (tokenize.NAME, tokenize.NUMBER, tokenize.OP)]
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        i += 1
        if tok.string == "**" and _power(tokens, i, parts, lang):
            i += 1 if tokens[i].type == tokenize.NUMBER else 5
            continue
        if tok.type == tokenize.NAME and tok.string == ROUND:
            parts.append(_rounded_term(tokens[i:i + 5], catalogued, lang))
            i += 5
        elif tok.type == tokenize.NAME:
            parts.append(_term(tok.string, catalogued, lang))
        elif tok.type == tokenize.NUMBER:
            parts.append(escape(format_decimal(float(tok.string), locale=lang)))
        elif tok.type == tokenize.OP:
            parts.append(escape(_OPERATORS.get(tok.string, tok.string)))
    return (Markup(" ").join(_unbracket(parts)).replace("( ", "(").replace(" )", ")")
            .replace(" \x00", ""))


def _unbracket(parts: list[Markup]) -> list[Markup]:
    """Drop the brackets around a single term, ``(“Đàn trâu, bò”) ÷ (…)``: the quotation
    marks already make a label one quantity (formula.term), so the formula's own brackets
    around one id only clutter what a reader sees."""
    out: list[Markup] = []
    for part in parts:
        out.append(part)
        if str(part) == ")" and len(out) >= 3 and str(out[-3]) == "(" \
                and str(out[-2]).startswith('<span class="term"'):
            out[-3:] = [out[-2]]
    return out


def input_text(name: str, lang: str, catalogued: frozenset[str] | None = None
               ) -> tuple[str, str]:
    """The label and the value of one input of a formula as every page shows them: a
    catalogued or derived figure's, or a reference constant's (data/reference.csv), its
    label marked as outside knowledge. ``catalogued``: the catalogue's ids, if at hand."""
    if name in (figure_ids() if catalogued is None else catalogued) \
            or name in derived_frame().index:
        return any_label(name, lang), figure_text(name, lang)
    known = reference.table()[name.removeprefix("ref_")]
    return (f"{known.label(lang)} ({labels.text('table.reference', lang)})",
            fmt(reference.value(known.name), known.unit, lang))


def _term(name: str, catalogued: frozenset[str], lang: str) -> Markup:
    """One id of a formula as a reader sees it: its label as a term of a formula
    (data/vocab/labels.csv ``formula.term``: in quotation marks, so that a label with a
    comma, "Đàn trâu, bò", reads as one quantity, not a list), its value on hover."""
    label_, tip = input_text(name, lang, catalogued)
    # a quotation inside the label takes the inner marks (formula.term.inner): “… ‘Mái ấm
    # Công đoàn’” rather than the doubled “… “Mái ấm Công đoàn””
    label_ = _QUOTED.sub(lambda m: labels.text("formula.term.inner", lang, quoted=m[1]), label_)
    return Markup('<span class="term" data-id="{}" title="{}">{}</span>').format(
        name, tip, labels.text("formula.term", lang, label=label_))


#: A quotation in double curly quotes, as labels write one (“Mái ấm Công đoàn”).
_QUOTED = re.compile("\u201c([^\u201c\u201d]*)\u201d")


def _rounded_term(tokens: list[tokenize.TokenInfo], catalogued: frozenset[str],
                  lang: str) -> Markup:
    """``round(x, n)`` (the tokens after ``round``: ``( x , n )``) as a reader sees it: the
    figure's label and the value it is shown with (data/vocab/labels.csv
    ``formula.rounded``: "Poverty rate in 2015 as shown (15.3%)")."""
    words = [t.string for t in tokens]
    if len(words) != 5 or words[0] != "(" or words[2] != "," or words[4] != ")" \
            or tokens[1].type != tokenize.NAME or not words[3].isdigit():
        raise ValueError(f"round({''.join(words[1:4])}): only a figure id is rounded for "
                         "readers (round(id, n))")
    name, n = words[1], int(words[3])
    row = figure(name) if name in catalogued else derived_row(name)
    value = fmt(rounded(float(row["value"]), n), str(row["unit"]), lang, decimals=n)
    return Markup(escape(labels.template("formula.rounded", lang))).format(
        term=_term(name, catalogued, lang), value=value)


_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def _power(tokens: list[tokenize.TokenInfo], i: int, parts: list[Markup], lang: str) -> bool:
    """Write ``base ** n`` as the base with a superscript exponent, ``(1 + x ÷ 100)⁵``, and
    ``(base) ** (1 / n)`` as the n-th root of the base (data/vocab/labels.csv
    ``formula.root``), as readers write them, not the programmer's ``^`` (False: any other
    exponent, left to ``^``). The tokens from ``i`` follow the ``**``; ``parts`` holds
    what precedes it, the base last (a bracketed base ends with ``)``)."""
    rest = [t.string for t in tokens[i:i + 5]]
    if tokens[i:] and tokens[i].type == tokenize.NUMBER and tokens[i].string.isdigit():
        # "\x00" glues the exponent to its base (removed with the space before it)
        parts.append(Markup("\x00") + escape(tokens[i].string.translate(_SUPERSCRIPT)))
        return True
    if len(rest) == 5 and rest[0] == "(" and rest[1] == "1" and rest[2] == "/" \
            and rest[3].isdigit() and rest[4] == ")" and parts and parts[-1] == ")":
        depth, start = 0, len(parts) - 1
        for start in range(len(parts) - 1, -1, -1):
            depth += {")": 1, "(": -1}.get(str(parts[start]), 0)
            if depth == 0:
                break
        parts.insert(start, escape(labels.text("formula.root", lang, n=rest[3])))
        return True
    return False
