"""Incremental builds: a notebook is re-executed exactly when one of its inputs changed
(its code cells, a data file, a package module, uv.lock, the Python version)."""

from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest
from kernel_zygote import build_kernels_forked
from nbformat import v4
from site_helpers import write_notebook

from dbanalysis.notebook import execute
from dbanalysis.notebook.normalise import KERNELSPEC

#: Prints the label of 'ha' in the data folder the package reads (DBANALYSIS_DATA honoured),
#: with the csv module: pandas, which the vocabulary's reader imports, would take a
#: kernel longer to import than to run the rest of the notebook.
LABEL_CELL = ("import csv\nfrom dbanalysis.core import paths\n"
              "with open(paths.vocab_dir() / 'units.csv', encoding='utf-8') as fh:\n"
              "    print(next(r['label_en'] for r in csv.DictReader(fh) if r['unit'] == 'ha'))")


@pytest.fixture(scope="module")
def executed_once(tmp_path_factory):
    """A notebook that prints a label read from data/, executed and stamped once as
    `make notebooks` does (data/ a private copy of the same content).

    Its kernel, and the kernel of a build here, is forked from the session's zygote where
    there is one (:func:`kernel_zygote.build_kernels_forked`: the command a build asks
    for, ``python -m dbanalysis.notebook.kernel -f FILE``, in the folder and environment it
    gives): what is under test is which notebook runs, in which environment, and what
    its outputs and stamp become. A kernel started as its own process, by the build and
    by ``make notebooks`` as commands, is run by tests/test_cli.py (a build to the end),
    test_interrupts.py and test_execute_interrupt.py."""
    from dbanalysis.core import paths

    root = tmp_path_factory.mktemp("executed")
    data = root / "data"
    shutil.copytree(paths.data_dir(), data)
    (root / "nb").mkdir()
    nb_path = write_notebook(root / "nb" / "01-label.ipynb",
                             [v4.new_markdown_cell("# Label\n\nwhat data/ says"),
                              v4.new_code_cell(LABEL_CELL)])
    with pytest.MonkeyPatch.context() as mp, build_kernels_forked():
        mp.setenv("DBANALYSIS_DATA", str(data))
        assert execute.run([nb_path], "always", log=lambda _m: None) == 0
    return nb_path


@pytest.fixture
def stamped(executed_once, tmp_path, data_copy):
    """A private copy of that notebook; data/ is ``data_copy`` (same content, so the
    stamp is current)."""
    (tmp_path / "nb").mkdir()
    return Path(shutil.copy(executed_once, tmp_path / "nb" / executed_once.name))


def printed(nb) -> str:
    return "".join(o.get("text", "") for c in nb.cells for o in c.get("outputs", []))


def build_log(folder: Path, out: Path, mode: str = "auto") -> tuple[list[str], str]:
    from dbanalysis.site.build import build_site

    log: list[str] = []
    with build_kernels_forked():  # (see executed_once)
        build_site(out=out, notebooks=folder, jobs=1, log=log.append, execute=mode)
    return log, (out / "01-label.html").read_text("utf-8")


def executed(log: list[str]) -> bool:
    return not any("committed outputs" in line for line in log)


@pytest.mark.slow
def test_make_notebooks_stamps_the_inputs_and_normalises(stamped):
    nb = nbformat.read(stamped, as_version=4)
    assert printed(nb).strip() == "ha"
    assert execute.stamped_hash(nb) == execute.inputs_hash(nb)
    assert nb.metadata.kernelspec == KERNELSPEC
    assert all("execution" not in c.metadata for c in nb.cells)
    before = stamped.read_bytes()
    assert execute.update_notebook(stamped, "auto") == "up to date"
    assert stamped.read_bytes() == before


@pytest.mark.slow
def test_unchanged_notebook_exports_its_committed_outputs(stamped, tmp_path, monkeypatch):
    nb = nbformat.read(stamped, as_version=4)
    nb.cells[1].outputs[0].text = "committed, not re-executed\n"  # a marker only export shows
    nbformat.write(nb, stamped)
    log, html = build_log(stamped.parent, tmp_path / "site")
    assert not executed(log) and "committed, not re-executed" in html
    # `always` hands the current notebook to the executor all the same, and exports what
    # it returns: the executor here a stand-in that records the call (the executor's own
    # kernel run, from a build: test_editing_a_data_file_re_executes; `make notebooks`':
    # executed_once)
    ran: list[str] = []

    def executor(path, nb, environment=None, workdir=None):
        ran.append(path.name)
        nb.cells[1].outputs[0].text = "run again\n"
        return nb

    monkeypatch.setattr(execute, "execute_notebook", executor)
    log, html = build_log(stamped.parent, tmp_path / "site", "always")
    assert ran == [stamped.name]
    assert executed(log) and "committed, not re-executed" not in html and "run again" in html


@pytest.mark.slow
def test_editing_a_data_file_re_executes(stamped, data_copy, tmp_path):
    units = data_copy / "vocab" / "units.csv"
    text = units.read_text("utf-8")
    units.write_text(text.replace("\nha,ha,", "\nha,hectare (edited),", 1), "utf-8")
    assert "hectare (edited)" in units.read_text("utf-8")
    nb = nbformat.read(stamped, as_version=4)
    assert not execute.is_current(nb)
    log, html = build_log(stamped.parent, tmp_path / "site")
    assert executed(log) and "hectare (edited)" in html


@pytest.mark.slow
def test_editing_a_package_module_or_a_code_cell_re_executes(stamped, tmp_path, monkeypatch):
    nb = nbformat.read(stamped, as_version=4)
    assert execute.is_current(nb)
    package = tmp_path / "pkg"
    shutil.copytree(execute.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(execute, "PACKAGE_DIR", package)
    assert execute.is_current(nb)  # the same files elsewhere: same hash
    with (package / "vocab.py").open("a", encoding="utf-8") as fh:
        fh.write("\n# edited\n")
    assert not execute.is_current(nb)
    monkeypatch.undo()
    assert execute.is_current(nb)
    nb.cells[1].source += "\nprint('more')"
    assert not execute.is_current(nb)
    nb.cells[0].source += "\nprose only"  # markdown is not an input
    nb.cells[1].source = LABEL_CELL
    assert execute.is_current(nb)


def test_inputs_include_the_lock_file_and_the_python_version(monkeypatch, tmp_path):
    nb = v4.new_notebook(cells=[v4.new_code_cell("1")])
    base = execute.inputs_hash(nb)
    lock = tmp_path / "uv.lock"
    lock.write_text("changed", "utf-8")
    monkeypatch.setattr(execute.paths, "REPO_ROOT", tmp_path)
    assert execute.inputs_hash(nb) != base
    monkeypatch.undo()
    monkeypatch.setattr(execute.platform, "python_version", lambda: "3.99.0")
    assert execute.inputs_hash(nb) != base


def test_templates_are_not_inputs(monkeypatch, tmp_path):
    nb = v4.new_notebook(cells=[v4.new_code_cell("1")])
    package = tmp_path / "pkg"
    shutil.copytree(execute.PACKAGE_DIR, package, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(execute, "PACKAGE_DIR", package)
    base = execute.inputs_hash(nb)
    (package / "templates" / "dbsite" / "static" / "site.css").write_text("/* x */", "utf-8")
    assert execute.inputs_hash(nb) == base


def test_unknown_execute_mode_is_refused(tmp_path):
    from dbanalysis.site.build import BuildError, build_site

    with pytest.raises(BuildError, match="execute must be one of"):
        build_site(out=tmp_path / "site", notebooks=tmp_path, execute="sometimes")
    with pytest.raises(ValueError, match="execute mode"):
        execute.needs_execution(v4.new_notebook(), "sometimes")


def test_cli_execute_option(monkeypatch):
    from dbanalysis.cli import main as cli

    seen = {}
    monkeypatch.setattr("dbanalysis.site.build.build_site", lambda **kw: seen.update(kw))
    assert cli.main(["build", "--out", "x"]) == 0 and seen["execute"] == "auto"
    assert cli.main(["build", "--execute", "never"]) == 0 and seen["execute"] == "never"
    with pytest.raises(SystemExit):
        cli.main(["build", "--no-execute"])
