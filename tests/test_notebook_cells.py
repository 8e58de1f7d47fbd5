"""Notebooks communicate, the package computes (issue 21 item 4; principle 1).

A report notebook's code cell calls the package and places what it returns; it does not
choose its words with an ``if`` (a count's "none" is a form of a label in data/: see
test_method_page), loop, define functions, or count rows (``value_counts``, ``nunique``,
``groupby``, ``sum``): each of those is logic a reader of the package cannot find or
test. (``len`` of a frame the package returns is left to test_notebook_arithmetic's rule.)

And every table a notebook shows is the package's reader table, never a Markdown table:
a Markdown table is a plain ``<table>`` that a 390 px screen cuts off (the site's tables
stack as labelled lines; tests/test_site_words.py checks the built pages too).
"""

from __future__ import annotations

import ast
import re

import nbformat
import pytest

from dbanalysis.core import paths

NOTEBOOKS = paths.report_notebooks(paths.REPO_ROOT / "notebooks")
#: Methods that count or group rows of a frame.
COUNTING = frozenset({"value_counts", "nunique", "groupby", "sum"})
#: The delimiter row of a Markdown table (``| :--- | ---: |``).
MD_TABLE_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", re.M)


def logic(source: str) -> list[str]:
    """Every branch, loop, function definition and row count in a cell's code."""
    found = []
    for node in ast.walk(ast.parse(source)):
        what = None
        if isinstance(node, ast.If | ast.IfExp):
            what = "an if"
        elif isinstance(node, ast.For | ast.While | ast.ListComp | ast.SetComp | ast.DictComp
                        | ast.GeneratorExp):
            what = "a loop"
        elif isinstance(node, ast.FunctionDef):
            what = f"a function ({node.name})"
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr in COUNTING:
            what = f"a count (.{node.func.attr})"
        if what:
            found.append(f"line {node.lineno}: {what}")
    return found


def markdown_tables(nb) -> list[str]:
    """The outputs of ``nb`` that are (or hold) a Markdown table."""
    found = []
    for i, cell in enumerate(nb.cells):
        for output in cell.get("outputs", []):
            text = output.get("data", {}).get("text/markdown", "")
            text = "".join(text) if isinstance(text, list) else text
            if MD_TABLE_RULE.search(text):
                found.append(f"cell [{i}]: {text.splitlines()[0][:80]}")
    return found


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_code_cells_neither_branch_nor_loop_nor_count(nb_path) -> None:
    nb = nbformat.read(nb_path, as_version=4)
    found = [f"cell [{i}] {where}" for i, cell in enumerate(nb.cells)
             if cell.cell_type == "code" for where in logic(cell.source)]
    assert not found, f"{nb_path.name}: logic for the package in\n  " + "\n  ".join(found)


@pytest.mark.parametrize("nb_path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_output_is_a_markdown_table(nb_path) -> None:
    found = markdown_tables(nbformat.read(nb_path, as_version=4))
    assert not found, f"{nb_path.name}: Markdown tables (use a reader table):\n  " + \
        "\n  ".join(found)


# Cells of notebooks/00-data-and-method.ipynb before this test existed, verbatim in part:
# each must be caught.
CAUGHT = {
    "a zero form chosen in the cell": '''db.say(
    en="catalogued quotes; "
       + ("**none is left over**." if COVERAGE["uncovered"] == 0
          else "**{uncovered} accounted for by neither**."),
    vi="…", **COVERAGE)''',
    "statuses counted in the cell": 'CORRECTION_STATUS = CORRECTIONS["status"].value_counts()',
    "a helper defined in the cell": '''def how(fid, lang):
    return db.md_text(db.formula_text(BY_ID.loc[fid, "formula"], lang).striptags())''',
    "readings counted in the cell": 'db.say(en="", vi="", readings=int(READINGS.sum()))',
    "labels mapped in the cell": '{f"v_{v}": db.verdict_label(v, lang) for v in db.verdict_ids()}',
    "rows grouped in the cell": 'EXCLUDED = EXCLUSIONS.groupby("category", sort=False)',
}


@pytest.mark.parametrize("case", list(CAUGHT))
def test_the_old_method_page_cells_are_caught(case) -> None:
    assert logic(CAUGHT[case])


def test_a_markdown_table_output_is_caught_and_prose_is_not() -> None:
    table = "| Sector | Derived figures |\n| :--- | ---: |\n| Budget | 12 |"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", data={"text/markdown": table}),
        nbformat.v4.new_output("display_data", data={
            "text/markdown": "A fall of 2 -- not 3 --- points | or | more."}),
    ])])
    assert markdown_tables(nb) == ["cell [0]: | Sector | Derived figures |"]
