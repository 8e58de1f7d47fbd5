"""Clean interrupts at any moment of a build (issue 22, item 6).

A small build (two tiny notebooks, ``--execute always``) is interrupted by SIGINT or
SIGTERM at several moments: while the data is checked, during the kernels' start-up,
while cells run, during the export and around the swap. Each run ends with the
documented message and status (or completes, when the signal came after the swap),
never a traceback (nbclient's atexit clean-up printed an AssertionError after a kernel
stopped during its start-up), and leaves the previous site or the new one whole, no
temporary folder and nothing in the temp folder. After a ``kill -9`` of the build,
the kernel's sockets and connection file are inside the build's own temporary folder,
not in /tmp nor the home.
"""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from nbformat import v4
from site_helpers import write_notebook

pytestmark = pytest.mark.slow

DBANALYSIS = Path(sys.executable).with_name("dbanalysis")


@pytest.fixture
def work(tmp_path: Path) -> Iterator[Path]:
    """A folder with two tiny notebooks, a private TMPDIR (short: socket paths) and HOME."""
    nbs = tmp_path / "nb"
    nbs.mkdir()
    for k in (1, 2):
        write_notebook(nbs / f"0{k}-tiny.ipynb", [
            v4.new_markdown_cell(f"# Tiny {k}"),
            v4.new_code_cell("import time\ntime.sleep(0.5)\nprint(6 * 7)"),
        ])
    (tmp_path / "home").mkdir()
    private = Path(tempfile.mkdtemp(prefix="dbi-", dir="/tmp"))
    (tmp_path / "tmpdir").symlink_to(private)
    yield tmp_path
    for p in sorted(private.rglob("*"), reverse=True):  # pragma: no cover - on failure
        p.rmdir() if p.is_dir() else p.unlink()
    private.rmdir()


def _start(work: Path, *extra: str) -> subprocess.Popen[str]:
    env = {**os.environ, "TMPDIR": os.readlink(work / "tmpdir"), "HOME": str(work / "home")}
    return subprocess.Popen(
        [str(DBANALYSIS), "build", "--execute", "always", "--jobs", "2", "--notebooks", "nb",
         "--out", "site", *extra], cwd=work, env=env, text=True, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        # as a terminal has it (a background job of a script inherits SIGINT ignored)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))


def _wait_for(proc: subprocess.Popen[str], text: str, lines: list[str]) -> None:
    """Read the build's log until a line holds ``text``."""
    assert proc.stderr is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if select.select([proc.stderr], [], [], 1)[0]:
            line = proc.stderr.readline()
            if not line:
                return  # the build ended
            lines.append(line)
            if text in line:
                return
    pytest.fail(f"no {text!r} in {lines}")  # pragma: no cover


def _cpu_seconds(pid: int) -> float:
    """The CPU time a process has used (Linux: /proc/PID/stat, user + system)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _run_for(proc: subprocess.Popen[str], seconds: float) -> None:
    """Wait until the process has used ``seconds`` of CPU (as ``seconds`` of wall time on
    a quiet machine; on a loaded one it is then as far in its work, past its start-up)."""
    deadline = time.monotonic() + 120
    while proc.poll() is None and _cpu_seconds(proc.pid) < seconds:
        assert time.monotonic() < deadline, "the build never started"
        time.sleep(0.02)


def _site(work: Path) -> dict[str, bytes]:
    site = work / "site"
    return {p.relative_to(site).as_posix(): p.read_bytes()
            for p in sorted(site.rglob("*")) if p.is_file()}


#: (the log line to wait for, seconds after it, signal): the moments of a build, one per
#: stage whose clean-up differs (each signal at least once: SIGTERM is raised as the same
#: interrupt as SIGINT). The kernels' start-up is hit once, 0.4 s in, while they start or
#: connect (where nbclient's atexit hook once failed); a second moment right at the
#: "start" line ran the same clean-up.
MOMENTS = [
    ("", 0.3, signal.SIGINT),                      # checking the data, before any kernel
    #                                                (0.3 s of the build's own CPU time)
    ("[1/2] start", 0.4, signal.SIGINT),           # kernels starting or connecting
    ("[1/2] start", 1.2, signal.SIGTERM),          # cells running
    ("done  02-tiny", 0.0, signal.SIGINT),         # exporting the pages
    ("done  02-tiny", 0.3, signal.SIGTERM),        # exporting, or the swap
]


def test_interrupts_at_every_moment_of_a_build(work: Path) -> None:
    first = subprocess.run([str(DBANALYSIS), "build", "--execute", "never", "--notebooks",
                            "nb", "--out", "site"], cwd=work, capture_output=True, text=True,
                           env={**os.environ, "HOME": str(work / "home")}, timeout=300)
    assert first.returncode == 0, first.stderr
    outcomes = []
    for wait_for, delay, signum in MOMENTS:
        before = _site(work)
        proc = _start(work)
        lines: list[str] = []
        if wait_for:
            _wait_for(proc, wait_for, lines)
            time.sleep(delay)
        else:  # (0.3 s of wall time under load: Python still starting, not the check)
            _run_for(proc, delay)
        proc.send_signal(signum)
        _, rest = proc.communicate(timeout=120)
        err = "".join(lines) + rest
        moment = f"{signal.Signals(signum).name} {delay} s after {wait_for or 'the start'!r}"
        assert "Traceback" not in err and "AssertionError" not in err, f"{moment}:\n{err}"
        name = signal.Signals(signum).name
        if proc.returncode in (0, -signum):  # the signal came after the command had ended
            assert "site written to site" in err, err  # (-signum: while Python shut down)
        else:
            assert proc.returncode == 128 + signum, f"{moment}:\n{err}"
            assert f"dbanalysis build: error: interrupted by {name}" in err, err
            if "after the new output was in place" not in err:
                assert _site(work) == before, moment  # the previous site, whole
        assert sorted(p.name for p in work.iterdir()) == ["home", "nb", "site", "tmpdir"]
        assert list((work / "tmpdir").iterdir()) == [], moment  # no kernel sockets
        assert not list((work / "home").rglob("kernel-*.json")), moment
        outcomes.append(proc.returncode)
    # every run before the export was interrupted (those after it may have completed)
    assert sum(code > 0 for code in outcomes) >= 3, outcomes


def test_kill_9_leaves_the_kernel_files_in_the_builds_own_folder(work: Path) -> None:
    write_notebook(work / "nb" / "03-slow.ipynb", [
        v4.new_code_cell("import os, time\nprint(os.getpid(), flush=True)\ntime.sleep(300)")])
    proc = _start(work, "--jobs", "3")
    lines: list[str] = []
    _wait_for(proc, "done  02-tiny", lines)  # the slow kernel runs meanwhile
    time.sleep(1.0)
    tmp = [p for p in work.iterdir() if p.name.startswith(".site.tmp-")]
    assert len(tmp) == 1
    kernels = [p for p in tmp[0].iterdir() if p.name.startswith("k-")]
    assert kernels and (kernels[0] / "kernel.json").is_file()
    proc.kill()
    proc.communicate(timeout=60)
    try:
        assert list((work / "tmpdir").iterdir()) == []  # nothing in /tmp (TMPDIR)
        assert not list((work / "home").rglob("kernel-*.json"))  # nor the home
    finally:
        _stop_kernels_in(tmp[0])


def _stop_kernels_in(folder: Path) -> None:
    """Stop the kernels orphaned by the kill -9: those whose connection file is in
    ``folder`` (their command line names it)."""
    out = subprocess.run(["ps", "-eo", "pid=,args="], capture_output=True, text=True).stdout
    for line in out.splitlines():
        pid, _, args = line.strip().partition(" ")
        if "ipykernel_launcher" in args and str(folder) in args:
            os.kill(int(pid), signal.SIGKILL)
