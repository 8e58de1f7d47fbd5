"""The notebook normaliser: one format, the project kernel, stable ids, no transient state."""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from dbanalysis.core.paths import report_notebooks
from dbanalysis.notebook.normalise import (
    KERNELSPEC,
    LANGUAGE_INFO_UNSTORED,
    NBFORMAT_MINOR,
    language_info,
    normalise,
    normalised_text,
)

REPO = Path(__file__).resolve().parents[1]
NOTEBOOKS = report_notebooks(REPO / "notebooks")


def messy() -> nbformat.NotebookNode:
    nb = v4.new_notebook()
    nb.nbformat_minor = 4
    nb.metadata = {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"},
        "language_info": {"name": "python", "version": "3.11.7"},
        "widgets": {"state": {}}, "toc": {"base_numbering": 1},
    }
    md = v4.new_markdown_cell("# Title", metadata={"tags": ["lang-en"], "collapsed": True})
    code = v4.new_code_cell("x = 1\nx", metadata={
        "execution": {"iopub.execute_input": "2026-01-01T00:00:00Z"},
        "scrolled": True, "tags": ["keep"], "dbanalysis": {"lang": "en"},
    }, execution_count=1)
    code.outputs = [v4.new_output("execute_result", {"text/plain": "1"}, execution_count=1,
                                  metadata={"dbanalysis": {"lang": "en"}})]
    twin = v4.new_code_cell("x = 1\nx")
    nb.cells = [md, code, twin]
    for cell in nb.cells:
        cell.pop("id", None)
    return nb


def test_normalise_sets_format_kernel_ids_and_drops_transient_state():
    nb = normalise(messy())
    assert (nb.nbformat, nb.nbformat_minor) == (4, NBFORMAT_MINOR)
    assert nb.metadata.kernelspec == KERNELSPEC
    assert nb.metadata.language_info == language_info()  # the Python's version left out
    assert "version" not in nb.metadata.language_info
    assert set(nb.metadata) == {"kernelspec", "language_info"}
    md, code, twin = nb.cells
    assert md.metadata == {"tags": ["lang-en"]}
    assert code.metadata == {"tags": ["keep"], "dbanalysis": {"lang": "en"}}
    assert code.outputs[0].metadata == {"dbanalysis": {"lang": "en"}}
    assert len({md.id, code.id, twin.id}) == 3 and twin.id == f"{code.id}-2"
    nbformat.validate(nb)


def test_language_info_is_what_the_kernel_reports_but_the_python_version():
    """What the lab stores when a kernel connects (its report, less the keys the lab
    extension leaves out) equals the notebook's, so opening it does not mark it modified."""
    from ipykernel.ipkernel import IPythonKernel

    reported = dict(IPythonKernel.language_info)
    assert LANGUAGE_INFO_UNSTORED == ("version",) and "version" in reported
    assert {k: v for k, v in reported.items() if k not in LANGUAGE_INFO_UNSTORED} == \
        language_info()


def test_normalise_is_idempotent_and_ids_do_not_depend_on_position():
    once = normalised_text(messy())
    twice = normalised_text(nbformat.reads(once, as_version=4))
    assert once == twice
    nb = messy()
    nb.cells.insert(0, v4.new_markdown_cell("inserted"))
    ids = [c.id for c in normalise(nb).cells]
    assert ids[1:] == [c["id"] for c in json.loads(once)["cells"]]


def test_normalised_text_is_what_jupyter_writes():
    text = normalised_text(messy())
    assert text.endswith("}\n") and text.startswith('{\n "cells": [')
    assert text == nbformat.writes(nbformat.reads(text, as_version=4)) + "\n"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_every_committed_notebook_is_normalised(path):
    text = path.read_text("utf-8")
    assert text == normalised_text(nbformat.reads(text, as_version=4)), (
        f"{path.name} is not normalised: run `make normalise NB={path.relative_to(REPO)}` "
        "(or `make notebooks`)"
    )


def test_make_normalise_is_the_executor_command(tmp_path, capsys):
    from dbanalysis.notebook import execute

    path = tmp_path / "x.ipynb"
    nbformat.write(messy(), path)
    assert execute.main(["--execute", "never", str(path)]) == 0
    first = path.read_text("utf-8")
    assert first == normalised_text(messy())
    assert "not executed, written" in capsys.readouterr().err
    assert execute.main(["--execute", "never", str(path)]) == 0
    assert path.read_text("utf-8") == first
    assert "written" not in capsys.readouterr().err


def test_normalise_numbers_execution_counts_in_cell_order_outputs_too():
    """What a re-run in the lab leaves (counts 5 and 8 for two cells, one never run) is
    numbered as a run of the whole notebook numbers it."""
    nb = v4.new_notebook()
    first = v4.new_code_cell("a = 1\na", execution_count=5)
    first.outputs = [v4.new_output("execute_result", {"text/plain": "1"}, execution_count=5)]
    never = v4.new_code_cell("")
    second = v4.new_code_cell("print(a)", execution_count=8)
    second.outputs = [v4.new_output("stream", name="stdout", text="1\n")]
    third = v4.new_code_cell("a", execution_count=2)
    third.outputs = [v4.new_output("execute_result", {"text/plain": "1"}, execution_count=2)]
    nb.cells = [first, v4.new_markdown_cell("text"), never, second, third]
    normalise(nb)
    assert [c.get("execution_count") for c in nb.cells] == [1, None, None, 2, 3]
    assert nb.cells[0].outputs[0].execution_count == 1
    assert nb.cells[4].outputs[0].execution_count == 3
    nbformat.validate(nb)
