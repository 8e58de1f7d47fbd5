"""Only the report's notebooks (``NN-<topic>.ipynb``) are built, tested and committed:
the lab's File > New writes ``Untitled.ipynb`` beside them, a researcher keeps a scratch
notebook there; neither is published, collected by pytest or offered to git."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from nbformat import v4

from dbanalysis.core import paths
from dbanalysis.site.build import find_notebooks

REPO = Path(__file__).resolve().parents[1]
OTHERS = ("Untitled.ipynb", "Untitled1.ipynb", "scratch.ipynb",
          "my-analysis.ipynb", "1-draft.ipynb")


def test_the_report_notebooks_are_the_numbered_ones() -> None:
    real = paths.report_notebooks(REPO / "notebooks")
    assert len(real) >= 14 and all(p.name[:2].isdigit() and p.name[2] == "-" for p in real)
    assert not any(paths.is_report_notebook(name) for name in OTHERS)


def test_git_ignores_untitled_and_scratch_notebooks_only() -> None:
    names = [f"notebooks/{n}" for n in (*OTHERS, "01-agriculture.ipynb", "99-new-topic.ipynb")]
    proc = subprocess.run(["git", "check-ignore", "--no-index", *names], cwd=REPO,
                          capture_output=True, text=True, check=False)
    assert proc.returncode in (0, 1), proc.stderr
    assert sorted(proc.stdout.split("\n")[:-1]) == sorted(f"notebooks/{n}" for n in OTHERS)


class _Collected:
    """A plugin that keeps the ids of the tests a session collected."""

    def __init__(self) -> None:
        self.ids: list[str] = []

    def pytest_collection_finish(self, session: pytest.Session) -> None:
        self.ids = [item.nodeid for item in session.items]


def collect_in_process(args: list[str], cwd: Path) -> tuple[int, list[str]]:
    """``pytest --collect-only ARGS`` run from ``cwd`` in this process, as pytest's own
    ``pytester.runpytest_inprocess`` runs one (a new config, plugins loaded as a fresh
    ``python -m pytest`` loads them, conftest files found from the arguments): its exit
    status and the ids it collected. The folder, ``sys.path`` and the ``conftest``
    module pytest puts in ``sys.modules`` are restored afterwards."""
    import os

    collected = _Collected()
    here, path, conftest = os.getcwd(), list(sys.path), sys.modules.get("conftest")
    os.chdir(cwd)
    try:
        code = pytest.main(["--collect-only", *args], plugins=[collected])
    finally:
        os.chdir(here)
        sys.path[:] = path
        if conftest is not None:
            sys.modules["conftest"] = conftest
        else:
            sys.modules.pop("conftest", None)
    return int(code), collected.ids


@pytest.mark.slow  # a pytest session and notebooks: not in make test-quick
def test_pytest_and_the_build_leave_out_untitled_and_scratch_notebooks(tmp_path) -> None:
    """pytest with nbval, from a folder holding notebooks/conftest.py beside a report
    notebook, an Untitled one and a scratch one, collects the report notebook's cells
    only; the build takes it only. (pytest runs in this process: a ``python -m pytest``
    subprocess cost ~1.4 s of CPU for the same collection.)"""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy2(REPO / "notebooks" / "conftest.py", folder / "conftest.py")
    for name in ("01-topic.ipynb", "Untitled.ipynb", "scratch.ipynb"):
        nb = v4.new_notebook(cells=[v4.new_code_cell("1 + 1")])
        nbformat.write(nb, folder / name)
    code, collected = collect_in_process(
        ["-p", "no:cacheprovider", "-q", "--nbval", "--rootdir", str(tmp_path), str(folder)],
        cwd=tmp_path)
    assert code == 0, collected
    assert collected and all(i.startswith("notebooks/01-topic.ipynb::") for i in collected), \
        collected
    assert [p.name for p in find_notebooks(folder)] == ["01-topic.ipynb"]
