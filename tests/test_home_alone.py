"""Tests leave the home and the folder they run from alone: a test that starts a kernel
and a hypothesis test, run by pytest as ``make test`` runs them (:func:`make_test_pytest`)
under a fresh, empty HOME (and none of the state variables this process was given), from
an empty folder, leave both empty. (The lab and its browser: tests/test_lab.py's last
test.)"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from test_pytest_plugins import make_variable

REPO = Path(__file__).resolve().parents[1]
ROOT_CONFTEST_VARS = ("IPYTHONDIR", "JUPYTER_CONFIG_DIR", "JUPYTER_DATA_DIR",
                      "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_SETTINGS_DIR",
                      "JUPYTERLAB_WORKSPACES_DIR", "npm_config_cache",
                      "HYPOTHESIS_STORAGE_DIRECTORY")


def make_test_pytest() -> list[str]:
    """A fresh ``python -m pytest`` with the plugins ``make test`` names (the Makefile's
    PYTEST_ARGS: ``--disable-plugin-autoload``, each ``-p NAME``), not every installed
    one: a plain ``pytest`` spent ~0.8 s of CPU more, finding and loading the rest
    (tests/test_pytest_plugins.py: each left out says why)."""
    args = make_variable("PYTEST_ARGS").split()
    return [sys.executable, "-m", "pytest", *(
        arg for i, arg in enumerate(args)
        if arg in ("--disable-plugin-autoload", "-p") or (i and args[i - 1] == "-p"))]


@pytest.mark.slow
def test_a_test_that_runs_a_kernel_leaves_a_fresh_home_empty(tmp_path) -> None:
    home = tmp_path / "home"
    home.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ROOT_CONFTEST_VARS}
    # matplotlib's font cache and other caches outside the home: only the home is watched
    env |= {"HOME": str(home), "XDG_CACHE_HOME": str(tmp_path / "cache"),
            "MPLCONFIGDIR": str(tmp_path / "mpl")}
    # matplotlib's list of the system's fonts, as this process's matplotlib has it (where
    # there is one): without it the kernel scans every font file again (fc-list and each
    # font's header, 0.1-0.3 s of CPU); it is a cache like the others, outside the home
    import matplotlib

    (tmp_path / "mpl").mkdir()
    for fontlist in Path(matplotlib.get_cachedir()).glob("fontlist-*.json"):
        shutil.copy(fontlist, tmp_path / "mpl")
    # hypothesis writes .hypothesis/ into the folder pytest runs from unless told otherwise
    here = tmp_path / "cwd"
    here.mkdir()
    tests = REPO / "tests"
    proc = subprocess.run(
        [*make_test_pytest(), "-q", "--rootdir", str(REPO), "-c", str(REPO / "pyproject.toml"),
         f"{tests / 'test_public_api.py'}::"
         "test_the_readme_example_is_five_lines_and_draws_a_chart_per_language",
         # (a light module's: pytest's import of test_greedy_lines.py, with matplotlib
         # and pandas, was 0.55 s of CPU more; hypothesis writes the same folder)
         f"{tests / 'test_numbers.py'}::test_roundtrip_integers"],
        cwd=here, env=env, capture_output=True, text=True, timeout=300, check=False)
    assert proc.returncode == 0, proc.stdout[-2000:] + proc.stderr[-2000:]
    assert "2 passed" in proc.stdout
    assert sorted(str(p.relative_to(home)) for p in home.rglob("*")) == []
    assert sorted(str(p.relative_to(here)) for p in here.rglob("*")) == []
