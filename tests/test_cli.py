"""The ``dbanalysis`` command as the README documents it.

README: ``build [--out DIR] [--jobs N] [--lang en|vi|all] [--with-input]
[--execute auto|always|never] [--notebooks DIR]``, ``export [--out DIR]``,
``check [--sector S] [--verdict V]``, ``--version``, ``--help``.

``check`` and ``build`` run here as a user runs them (a subprocess: exit status, output,
no traceback), ``build`` to the end with a kernel of its own; each forked from the
session's kernel zygote where there is one (tests/kernel_zygote.py ``command``: the
interpreter, pandas, matplotlib and the package's modules already imported, none of its
code run, ~0.4 s of CPU less a command; its folder, environment, streams and exit status
its own): what is under test is the command, not Python's start-up. ``export`` and ``--help`` run
as fresh processes of their own in tests/test_check_gate.py. Further variants,
``--version`` among them, go through the same entry point, ``cli.main``, in this
process; ``export --out DIR`` (the package, its marker) in tests/test_output_paths.py.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import kernel_zygote
import nbformat
import pytest
from nbformat import v4
from site_helpers import make_fixture_notebooks

from dbanalysis import __version__
from dbanalysis.cli import main as cli
from dbanalysis.core.atomic import MARKER
from dbanalysis.notebook import execute

pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[1]
DBANALYSIS = Path(sys.executable).with_name("dbanalysis")


def run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    res = subprocess.run(kernel_zygote.command([str(DBANALYSIS), *args]), cwd=cwd,
                         capture_output=True, text=True, timeout=600)
    assert "Traceback" not in res.stderr, res.stderr
    return res


def run_here(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    """What :func:`run` does, through ``cli.main`` in this process."""
    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as exc:  # argparse: --help, --version, a bad option
                code = exc.code if isinstance(exc.code, int) else 1
    res = subprocess.CompletedProcess(["dbanalysis", *args], code, out.getvalue(),
                                      err.getvalue())
    # in-process an uncaught exception fails the test itself (Python prints a traceback
    # only in a process: :func:`run`): this guards only against a handler that prints one
    assert "Traceback" not in res.stderr, res.stderr
    return res


def test_version_and_help() -> None:
    """Through ``cli.main``: argparse prints and raises SystemExit(0). That exit through
    the console script (status 0, the text on stdout, nothing on stderr) is run as a
    process, for five commands' ``--help``, by
    tests/test_check_gate.py::test_help_reads_no_data."""
    res = run_here("--version")
    assert res.returncode == 0 and res.stdout.strip() == f"dbanalysis {__version__}"
    res = run_here("check", "--help")
    assert res.returncode == 0 and "usage: dbanalysis check" in res.stdout
    assert "--sector S" in res.stdout
    for command in ("build", "export", "check"):
        res = run_here(command, "--help")
        assert res.returncode == 0 and f"usage: dbanalysis {command}" in res.stdout


def _shown_rows(stdout: str) -> list[list[str]]:
    """(check id, verdict) of each row of ``dbanalysis check``'s table."""
    return [line.split()[:2] for line in stdout.splitlines()[2:]
            if line and not line.startswith(" ") and "checks:" not in line]


def test_check_with_sector_and_verdict() -> None:
    res = run("check", "--sector", "agriculture", "--verdict", "inconsistent")
    assert res.returncode == 0, res.stderr
    rows = _shown_rows(res.stdout)
    assert rows and all(verdict == "inconsistent" for _, verdict in rows)
    assert "baseline_poultry_flock" in res.stdout and "sum_industrial_output" not in res.stdout
    assert "growth_cattle" not in res.stdout  # two readings since the mean-of-yearly-rates one
    assert f"shown: {len(rows)} checks" in res.stdout


@pytest.mark.parametrize(("option", "value", "column"),
                         [("--sector", "health", "sector"), ("--verdict", "ambiguous", "verdict")])
def test_check_filters_alone(option: str, value: str, column: str) -> None:
    """Each filter alone shows exactly the audit's rows with that value, no others."""
    from dbanalysis.audit.run import run_audit

    audit = run_audit()
    res = run_here("check", option, value)
    assert res.returncode == 0, res.stderr
    shown = [check_id for check_id, _ in _shown_rows(res.stdout)]
    expected = audit.loc[audit[column] == value, "check_id"].tolist()
    assert shown == expected and 0 < len(shown) < len(audit)
    assert f"shown: {len(shown)} checks" in res.stdout


def test_check_rejects_unknown_sector_and_verdict() -> None:
    res = run_here("check", "--sector", "astrology")
    assert res.returncode == 2
    assert "unknown sector 'astrology' (known: emulation, agriculture" in res.stderr
    res = run_here("check", "--verdict", "probably")
    assert res.returncode == 2 and "unknown verdict 'probably' (known: consistent" in res.stderr


def test_build_every_option(tmp_path: Path) -> None:
    # two pages, built two at a time (--jobs 2) by the command as a user runs it, to the
    # end: 02-plain, never executed, is run in a kernel (`--execute auto`, the default);
    # 01-second, stamped with its current inputs, keeps its committed output (one kernel:
    # two kernels at once in a build process are run by tests/test_interrupts.py's
    # "export" moment, the other fixture notebooks by the session's built_site)
    fixtures = make_fixture_notebooks(tmp_path / "fixtures")
    notebooks = tmp_path / "nb"
    notebooks.mkdir()
    (fixtures / "02-plain.ipynb").rename(notebooks / "02-plain.ipynb")
    cell = v4.new_code_cell("print(6 * 7)")
    cell.outputs = [v4.new_output("stream", name="stdout", text="committed, not re-run\n")]
    second = v4.new_notebook(cells=[v4.new_markdown_cell("# Second\n\nA second page."), cell])
    second.metadata["dbanalysis"] = {"inputs_sha256": execute.inputs_hash(second)}
    nbformat.write(second, notebooks / "01-second.ipynb")
    res = run("build", "--out", str(tmp_path / "site"), "--jobs", "2", "--lang", "en",
              "--notebooks", str(notebooks))
    assert res.returncode == 0, res.stderr
    assert "with 2 job(s)" in res.stderr
    assert "01-second.ipynb: committed outputs (not executed: inputs unchanged)" in res.stderr
    assert "02-plain.ipynb: committed" not in res.stderr and "done  02-plain" in res.stderr
    page = (tmp_path / "site" / "02-plain.html").read_text(encoding="utf-8")
    assert "secret_input_marker" not in page and "42" in page  # reader's version: no code
    assert "committed, not re-run" in (tmp_path / "site" / "01-second.html").read_text("utf-8")
    assert not (tmp_path / "site" / "vi").exists()
    res = run_here("build", "--out", str(tmp_path / "site"), "--execute", "never",
                   "--with-input", "--lang", "all", "--notebooks", str(notebooks))
    assert res.returncode == 0, res.stderr
    assert "secret_input_marker" in (tmp_path / "site" / "02-plain.html").read_text("utf-8")
    assert (tmp_path / "site" / "vi" / "02-plain.html").is_file()
    marker = json.loads((tmp_path / "site" / MARKER).read_text(encoding="utf-8"))
    assert marker["command"] == "dbanalysis build" and marker["version"] == __version__
    res = run_here("build", "--jobs", "0")
    assert res.returncode == 2 and "must be at least 1" in res.stderr


def test_a_reader_that_goes_away_ends_the_command_quietly(monkeypatch, capsys):
    """``dbanalysis check | head -1``: the reader closes the pipe; the command ends with
    status 1 and no BrokenPipeError traceback (stdout pointed at the null device, as the
    Python documentation advises, so the flush at exit cannot fail either)."""
    read, write = os.pipe()
    os.close(read)  # the reader is gone before a byte is written
    stdout = io.TextIOWrapper(os.fdopen(write, "wb"), encoding="utf-8")
    monkeypatch.setattr(sys, "stdout", stdout)
    assert cli.main(["check"]) == 1
    stdout.write("written after the reader left\n")
    stdout.flush()  # goes to the null device: no error
    monkeypatch.undo()
    stdout.close()
    err = capsys.readouterr().err
    assert "Traceback" not in err and "BrokenPipe" not in err
