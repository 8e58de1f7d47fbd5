"""The suite's last check for exceptions raised by finalisers (tests/helpers_gc.py,
wired by tests/conftest.py's ``pytest_runtest_teardown``), in a real xdist worker."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
#: A cycle that dies, unseen, while the collector is off; the collector's first pass after
#: the last test finds it, and its finaliser raises.
DYING_CYCLE = '''
import gc


class Raises:
    def __init__(self):
        self.me = self

    def __del__(self):
        raise RuntimeError("a finaliser failed")


def test_makes_a_dying_cycle():
    gc.disable()
    Raises()


def test_after():
    gc.enable()
'''


@pytest.mark.parametrize("workers", ["1", "0"])
def test_a_finalisers_exception_after_the_last_test_fails_the_run(tmp_path, workers):
    """Under xdist, pytest's own check (at ``pytest_unconfigure``) ran after the worker had
    reported, and such a run passed, exit 0; the suite's check after the last test's
    teardown fails it, as without xdist. (The suite's conftest as a plugin, its options as
    the Makefile's, the project's warnings filter: a warning is an error.)"""
    (tmp_path / "test_cycle.py").write_text(DYING_CYCLE, "utf-8")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(TESTS), os.environ.get(
        "PYTHONPATH", "")]).rstrip(os.pathsep)}
    done = subprocess.run(
        [sys.executable, "-m", "pytest", "-c", str(TESTS.parent / "pyproject.toml"),
         "--rootdir", str(tmp_path), "-p", "no:cacheprovider", "--disable-plugin-autoload",
         "-p", "xdist", "-p", "hypothesispytest", "-p", "conftest", "-n", workers, "-q",
         str(tmp_path / "test_cycle.py")],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "2 passed, 1 error" in done.stdout and "a finaliser failed" in done.stdout
