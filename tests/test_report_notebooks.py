"""Only the report's notebooks (``NN-<topic>.ipynb``) are built, tested and committed:
the lab's File > New writes ``Untitled.ipynb`` beside them, a researcher keeps a scratch
notebook there; neither is published, collected by pytest or offered to git."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import nbformat
import pytest
from nbformat import v4
from test_home_alone import make_test_pytest

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


@pytest.mark.slow  # a pytest session and notebooks: not in make test-quick
def test_pytest_and_the_build_leave_out_untitled_and_scratch_notebooks(tmp_path) -> None:
    """pytest with nbval, from a folder holding notebooks/conftest.py beside a report
    notebook, an Untitled one and a scratch one, collects the report notebook's cells
    only; the build takes it only. pytest runs in a fresh interpreter (``python -m
    pytest`` with ``make test``'s plugins, from the folder, no PYTHONPATH), as
    ``pytest --nbval notebooks/`` runs from the repo root, where tests/ is not on
    ``sys.path`` and none of its modules is imported: a conftest that needs them
    (``import kernel_zygote``) fails here (REREAD-0620B F2: run in this process, with the
    worker's ``sys.path`` and ``sys.modules``, it passed). The cost of that proof: ~0.7 s
    of CPU (~1.5 s with every installed plugin loaded)."""
    folder = tmp_path / "notebooks"
    folder.mkdir()
    shutil.copy2(REPO / "notebooks" / "conftest.py", folder / "conftest.py")
    for name in ("01-topic.ipynb", "Untitled.ipynb", "scratch.ipynb"):
        nb = v4.new_notebook(cells=[v4.new_code_cell("1 + 1")])
        nbformat.write(nb, folder / name)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    proc = subprocess.run(
        [*make_test_pytest(), "--collect-only", "-q", "--nbval", "--rootdir", str(tmp_path),
         str(folder)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    collected = [line for line in proc.stdout.splitlines() if "::" in line]
    assert collected and all(line.startswith("notebooks/01-topic.ipynb::") for line in collected), \
        collected
    assert [p.name for p in find_notebooks(folder)] == ["01-topic.ipynb"]
