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


#: The tuple of the two column names (catalogue.figures.NUMBER_COLUMNS): naming it is
#: naming the columns (FINAL24-B 3: ``row[NUMBER_COLUMNS[0]]`` passed the scan).
TUPLE = "NUMBER_COLUMNS"


def _names_the_columns(tree: ast.AST, rel: str) -> list[int]:
    """The lines of ``tree`` (module ``rel``) that name a number-offset column: as a
    string in any quoting, an attribute (``r.number_start``) or through the tuple
    :data:`TUPLE` (a name, an attribute ``figures.NUMBER_COLUMNS``, an import, an alias).
    views/method.py alone may name the tuple, to write the span ``number_span`` read
    into a table's columns of the same names: its import and ``zip(NUMBER_COLUMNS,
    number_span(row))``."""
    columns = set(figures.NUMBER_COLUMNS)
    parent = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}

    def writes_the_span(node: ast.AST) -> bool:
        call = parent.get(node)
        return (rel == "views/method.py" and isinstance(call, ast.Call)
                and isinstance(call.func, ast.Name) and call.func.id == "zip"
                and call.args[:1] == [node] and len(call.args) == 2
                and isinstance(call.args[1], ast.Call)
                and getattr(call.args[1].func, "id", "") == "number_span")

    lines = []
    for node in ast.walk(tree):
        if (isinstance(node, ast.Constant) and node.value in columns) \
                or (isinstance(node, ast.Attribute) and node.attr in columns | {TUPLE}
                    and not writes_the_span(node)) \
                or (isinstance(node, ast.Name) and node.id == TUPLE
                    and not writes_the_span(node)):
            lines.append(node.lineno)
        if isinstance(node, ast.ImportFrom) and any(a.name == TUPLE for a in node.names) \
                and rel != "views/method.py":
            lines.append(node.lineno)
    return lines


def test_no_module_reads_a_figures_number_offsets_itself():
    """The columns that say where a figure's number stands (``number_start``,
    ``number_end``) are read by ``catalogue.figures.number_span`` alone, and the number
    cut from them by ``printed_token`` alone: outside catalogue/figures.py and
    catalogue/extract.py (which finds them) no module names either column, in any quoting
    (``["number_start"]``, ``['number_end']``), as an attribute (``r.number_start``), in
    any use (FINAL-A 2: four modules cut the number themselves; REVIEW-24A 4: the test that
    looked only for a slice of ``["number_start"]`` missed derive/precision.py's
    ``zip(figs["number_start"], figs["number_end"])`` … ``text[int(a):int(b)]``), or
    through the tuple ``figures.NUMBER_COLUMNS`` (FINAL24-B 3), but views/method.py's
    writing of ``number_span``'s span. Each way round it is caught (the mutants)."""
    columns = set(figures.NUMBER_COLUMNS)
    assert columns == {"number_start", "number_end"}
    named = []
    for path in sorted(SRC.rglob("*.py")):
        rel = str(path.relative_to(SRC))
        if rel in ("catalogue/figures.py", "catalogue/extract.py"):
            continue
        tree = parsed(path.read_text(encoding="utf-8"))
        named += [f"{rel}:{n}" for n in _names_the_columns(tree, rel)]
    assert named == []
    mutants = {
        "views/x.py": ["from ..catalogue.figures import NUMBER_COLUMNS\n",
                       "from ..catalogue.figures import NUMBER_COLUMNS as C\n",
                       "a = row[NUMBER_COLUMNS[0]]\n", "a = row[figures.NUMBER_COLUMNS[1]]\n",
                       "s = zip(*(figs[c] for c in NUMBER_COLUMNS))\n",
                       "a = row['number_start']\n", "a = r.number_end\n"],
        "views/method.py": ["a = row[NUMBER_COLUMNS[0]]\n",
                            "d = dict(zip(NUMBER_COLUMNS, (row.a, row.b)))\n"]}
    missed = [(rel, src) for rel, sources in mutants.items() for src in sources
              if not _names_the_columns(ast.parse(src), rel)]
    assert missed == []
    allowed = "d = dict(zip(NUMBER_COLUMNS, number_span(row)))\n"
    assert _names_the_columns(ast.parse(allowed), "views/method.py") == []


def test_a_number_span_is_read_from_any_row_form():
    """``number_span`` reads a catalogue row as a mapping, a Series and a named tuple."""
    figs = load_figures()
    first = figs.iloc[0]
    spans = {figures.number_span(first), figures.number_span(first.to_dict()),
             figures.number_span(next(figs.itertuples()))}
    assert spans == {(int(first["number_start"]), int(first["number_end"]))}
