"""A catalogued figure's printed number is cut from its quote in one place
(``catalogue.figures.printed_token``), read with the one declaration of number marks
(``catalogue.numbers.NUMBER``).

FINAL-A 2: the audit's precision (``audit.context``), the display rule's decimals
(``derive.precision``), the declared texts' numbers (``derive.specs``) and the page's
``{id:printed}`` (``views.text``) each cut it their own way, and the audit read it with a
regex of its own that typed "." and "," beside ``NUMBER``.
"""

from __future__ import annotations

import ast
from pathlib import Path

from helpers_sources import parsed

from dbanalysis.catalogue import figures
from dbanalysis.catalogue.figures import load_figures, printed_token

SRC = Path(figures.__file__).parents[1]


def _row(quote: str, number: str, value: float) -> dict:
    at = quote.index(number)
    return {"quote": quote, "start": 100, "number_start": 100 + at,
            "number_end": 100 + at + len(number), "value": value}


def test_the_printed_number_is_the_one_whose_value_is_the_figures():
    """Of a fraction or a range printed at the figure's offsets, the number of it whose
    value is the figure's, decimals as printed (a range's low end keeps its own)."""
    assert printed_token(_row("đạt 19/21 xã", "19/21", 19.0)) == "19"
    assert printed_token(_row("đạt 19/21 xã", "19/21", 21.0)) == "21"
    span = "1,5 đến 2,75"
    assert printed_token(_row(f"từ {span} ha", span, 1.5)) == "1,5"
    assert printed_token(_row(f"từ {span} ha", span, 2.75)) == "2,75"
    assert printed_token(_row("đạt 26.142,56 ha", "26.142,56", 26142.56)) == "26.142,56"


def test_every_figure_of_the_catalogue_reads_its_own_number():
    """Every catalogued figure's printed number parses to its value (the 22 of a fraction
    or a range included)."""
    from dbanalysis.catalogue.numbers import parse_number

    figs = load_figures()
    for f in figs.to_dict("records"):
        assert parse_number(printed_token(f)) == f["value"], f["figure_id"]


def test_no_module_cuts_a_figures_number_out_of_its_quote_itself():
    """No slice from a catalogue row's ``["number_start"]`` to its ``["number_end"]`` outside
    catalogue/figures.py (the catalogue, which sets them) and catalogue/extract.py (which
    finds them): four modules had one (red on them)."""
    cuts = []
    for path in sorted(SRC.rglob("*.py")):
        rel = str(path.relative_to(SRC))
        if rel in ("catalogue/figures.py", "catalogue/extract.py"):
            continue
        source = path.read_text(encoding="utf-8")
        for node in ast.walk(parsed(source)):
            if not (isinstance(node, ast.Subscript) and isinstance(node.slice, ast.Slice)):
                continue
            lower, upper = (ast.get_source_segment(source, b) or "" if b else ""
                            for b in (node.slice.lower, node.slice.upper))
            if "\"number_start\"" in lower and "\"number_end\"" in upper:
                cuts.append(f"{rel}:{node.lineno}")
    assert cuts == []
