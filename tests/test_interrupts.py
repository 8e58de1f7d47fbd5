"""Clean interrupts at any moment of a build (issue 22, item 6).

A small build (``dbanalysis build`` as a user runs it, a subprocess) is interrupted by
SIGINT or SIGTERM at several moments: while the data is checked, during the kernels'
start-up, while a cell runs, during the export and around the swap. Each run ends with
the documented message and status (or completes, when the signal came after the swap),
never a traceback (nbclient's atexit clean-up printed an AssertionError after a kernel
stopped during its start-up), stops every kernel it started (none is left running; a
running cell is not waited for), and leaves the previous site or the new one whole, the
notebooks and every other file untouched, no temporary folder and nothing in the temp
folder. What a ``kill -9`` of the build would leave behind, the kernel's sockets and
connection file, are inside the build's own temporary folder, not in /tmp nor the home
(looked at while the slow cell runs, the moment a kill leaves them as they are).

The moments are independent builds, each in its own folder: they run side by side (one
thread each waits on its build's log), so that the module takes the time of its
slowest build, not of the sum. The build interrupted while it starts ("check") is a
process of its own, Python's start-up included; the others are forked from the
session's kernel zygote where there is one (tests/kernel_zygote.py ``command``: the
interpreter, pandas, matplotlib and the package's modules already imported, none of its
code run, ~0.4 s of CPU less a build; its folder, environment, streams, signals and exit
status its own), and start their kernels as the command always does, each a process of its own.
A watchdog (tests/helpers_watchdog.py) fails a test that hangs, instead of the session.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import os
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from helpers_watchdog import watchdog
from kernel_zygote import command
from nbformat import v4
from site_helpers import write_notebook

from dbanalysis.notebook.execute import KERNEL_MODULE

pytestmark = pytest.mark.slow

DBANALYSIS = Path(sys.executable).with_name("dbanalysis")
#: What a moment's folder holds: two tiny notebooks, a slow one with two waiting behind
#: it, the previous site, a private home and a link to its private (short) TMPDIR.
FOLDER = ["home", "nb", "site", "slow", "tmpdir"]


def _tiny(k: int) -> list:
    return [v4.new_markdown_cell(f"# Tiny {k}"), v4.new_code_cell("print(6 * 7)")]


def _slow(pidfile: Path) -> list:
    """A cell that writes its kernel's process id, then runs for 300 s."""
    return [v4.new_markdown_cell("# Slow"),
            v4.new_code_cell(f"import os, time\nopen({str(pidfile)!r}, 'w').write("
                             "str(os.getpid()))\ntime.sleep(300)")]


@pytest.fixture(scope="module")
def previous_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A site dbanalysis wrote (``--execute never``, through ``cli.main`` in this
    process: only the interrupted builds need to be real processes), copied into each
    moment's folder."""
    import contextlib
    import io

    from dbanalysis.cli import main as cli

    root = tmp_path_factory.mktemp("previous")
    (root / "nb").mkdir()
    for k in (1, 2):
        write_notebook(root / "nb" / f"0{k}-tiny.ipynb", _tiny(k))
    err = io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(root)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
            code = cli.main(["build", "--execute", "never", "--notebooks", "nb", "--out",
                             "site"])
    assert code == 0, err.getvalue()
    return root / "site"


@dataclass
class Moment:
    """One build, interrupted once: its folder, command and what it logged."""

    work: Path
    private: Path
    proc: subprocess.Popen[str] | None = None
    lines: list[str] = field(default_factory=list)

    @property
    def pidfile(self) -> Path:
        return self.work / "home" / "kernel.pid"  # (the home: not part of what is compared)


@pytest.fixture
def make_moment(tmp_path: Path, previous_site: Path) -> Iterator:
    made: list[Moment] = []

    def make(name: str) -> Moment:
        work = tmp_path / name
        (work / "nb").mkdir(parents=True)
        for k in (1, 2):
            write_notebook(work / "nb" / f"0{k}-tiny.ipynb", _tiny(k))
        (work / "home").mkdir()
        (work / "slow").mkdir()
        m = Moment(work, Path(tempfile.mkdtemp(prefix="dbi-", dir="/tmp")))  # short paths
        write_notebook(work / "slow" / "01-slow.ipynb", _slow(m.pidfile))
        for k in (2, 3):
            write_notebook(work / "slow" / f"0{k}-waiting.ipynb",
                           [v4.new_markdown_cell(f"# Waiting {k}")])
        shutil.copytree(previous_site, work / "site")
        (work / "tmpdir").symlink_to(m.private)
        made.append(m)
        return m

    yield make
    for m in made:
        if m.proc is not None and m.proc.poll() is None:  # pragma: no cover - on failure
            m.proc.kill()
            m.proc.communicate()
        for pid in _kernels_in(m.work):  # pragma: no cover - on failure
            os.kill(pid, signal.SIGKILL)
        shutil.rmtree(m.private, ignore_errors=True)


def _start(m: Moment, *args: str, own: bool) -> subprocess.Popen[str]:
    """``dbanalysis build --out site ARGS`` in the moment's folder; ``own``: a process of
    its own, else forked where the session has a zygote (:func:`kernel_zygote.command`)."""
    env = {**os.environ, "TMPDIR": str(m.private), "HOME": str(m.work / "home")}
    argv = [str(DBANALYSIS), "build", "--out", "site", *args]
    m.proc = subprocess.Popen(
        argv if own else command(argv), cwd=m.work, env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        # as a terminal has it (a background job of a script inherits SIGINT ignored)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    return m.proc


def _wait_for(m: Moment, text: str) -> None:
    """Read the build's log until a line holds ``text``."""
    assert m.proc is not None and m.proc.stderr is not None
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if select.select([m.proc.stderr], [], [], 1)[0]:
            line = m.proc.stderr.readline()
            if not line:
                return  # the build ended
            m.lines.append(line)
            if text in line:
                return
    pytest.fail(f"no {text!r} in {m.lines}")  # pragma: no cover


def _wait_for_file(m: Moment) -> int:
    """Wait until the slow cell runs: the process id its kernel wrote."""
    assert m.proc is not None
    deadline = time.monotonic() + 120
    while not m.pidfile.exists() or not m.pidfile.read_text():
        assert m.proc.poll() is None, m.proc.communicate()
        assert time.monotonic() < deadline, "the slow notebook never started"
        time.sleep(0.05)
    return int(m.pidfile.read_text())


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


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has stopped
    except FileNotFoundError:
        return False


def _kernels_in(folder: Path) -> list[int]:
    """The kernels running whose command line names a file under ``folder`` (their
    connection file: in the build's temporary folder, inside ``folder``), read from
    /proc (``ps`` cuts long command lines to its output width)."""
    pids = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            args = cmdline.read_bytes().decode(errors="replace").split("\0")
        except OSError:
            continue  # ended meanwhile
        pid = int(cmdline.parent.name)
        if any(KERNEL_MODULE in a for a in args) and any(a.startswith(f"{folder}/") for a in args) \
                and _alive(pid):
            pids.append(pid)
    return pids


def _files(work: Path) -> dict[str, str]:
    """Every file and folder of a moment's folder but the home, a file with its hash."""
    out = {}
    for p in sorted(work.rglob("*")):
        rel = p.relative_to(work).as_posix()
        if rel == "home" or rel.startswith("home/"):
            continue  # (a kernel writes IPython's history there)
        out[rel] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
    return out


#: (notebooks, options, the log line to wait for, seconds after it, signal): the moments of
#: a build, one per stage whose clean-up differs (each signal at least once: SIGTERM is
#: raised as the same interrupt as SIGINT). "slow" holds a notebook whose cell runs 300 s
#: and two notebooks waiting behind it: a build of it never completes. The kernels'
#: start-up is hit once, 0.4 s in, while they start or connect (where nbclient's atexit
#: hook once failed); "cell" is the moment the slow cell has started (its kernel wrote its
#: process id), with one kernel running and two notebooks waiting.
MOMENTS = {
    # checking the data, before any kernel (0.3 s of the build's own CPU time)
    "check": ("nb", ("--execute", "always", "--jobs", "2"), "", 0.3, signal.SIGINT),
    # kernels starting or connecting
    "start-up": ("slow", ("--execute", "always", "--jobs", "2"), "[1/3] start", 0.4,
                 signal.SIGINT),
    # a cell running
    "cell": ("slow", ("--execute", "always", "--jobs", "1"), "cell", 0.0, signal.SIGTERM),
    # exporting the pages, right after the kernels ran
    "export": ("nb", ("--execute", "always", "--jobs", "2"), "done  02-tiny", 0.0,
               signal.SIGINT),
    # exporting, or the swap (the committed outputs: no kernel needed to get there)
    "swap": ("nb", ("--execute", "never",), "done  02-tiny", 0.3, signal.SIGTERM),
}


def _interrupt(m: Moment, moment: str) -> dict:
    """Run one moment's build, interrupt it, and record what a user would see."""
    notebooks, options, wait_for, delay, signum = MOMENTS[moment]
    before = _files(m.work)
    # a signal as Python starts (CPU time of the build's own process): a process of its own
    proc = _start(m, "--notebooks", notebooks, *options, own=not wait_for)
    kernel, files = None, None
    if wait_for == "cell":
        kernel = _wait_for_file(m)
        files = _kernel_files(m, kernel)
    elif wait_for:
        _wait_for(m, wait_for)
        time.sleep(delay)
    else:  # (0.3 s of wall time under load: Python still starting, not the check)
        _run_for(proc, delay)
    proc.send_signal(signum)
    t0 = time.monotonic()
    _, rest = proc.communicate(timeout=120)
    seconds = time.monotonic() - t0
    deadline = time.monotonic() + 10  # (a killed kernel may take a moment to exit)
    while (left := _kernels_in(m.work)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return {"before": before, "err": "".join(m.lines) + rest, "code": proc.returncode,
            "seconds": seconds, "kernel": kernel, "left": left, "files": files}


def _kernel_files(m: Moment, kernel: int) -> dict:
    """Where the running kernel's files are, as a ``kill -9`` of the build would leave
    them (it runs no clean-up: what is there the moment it lands stays): the build's one
    temporary folder, the kernel folders in it with their connection file, the kernels
    whose command line names that folder, and what is in TMPDIR and the home."""
    tmp = [p for p in m.work.iterdir() if p.name.startswith(".site.tmp-")]
    kernels = [p for p in tmp[0].iterdir() if p.name.startswith("k-")] if len(tmp) == 1 else []
    return {"tmp": len(tmp), "kernel dirs": bool(kernels),
            "kernel.json": bool(kernels) and (kernels[0] / "kernel.json").is_file(),
            "named": _kernels_in(tmp[0]) == [kernel] if len(tmp) == 1 else False,
            "in TMPDIR": list(m.private.iterdir()),
            "in the home": list((m.work / "home").rglob("kernel-*.json"))}


def test_interrupts_at_every_moment_of_a_build(make_moment) -> None:
    moments = {name: make_moment(name) for name in MOMENTS}
    with watchdog(300, "the interrupted builds"), cf.ThreadPoolExecutor(len(MOMENTS)) as pool:
        futures = {name: pool.submit(_interrupt, moments[name], name) for name in MOMENTS}
        runs = {name: fut.result() for name, fut in futures.items()}
    outcomes = []
    for name, run in runs.items():
        m, (_, _, wait_for, delay, signum), err = moments[name], MOMENTS[name], run["err"]
        sig = signal.Signals(signum).name
        moment = f"{name}: {sig} {delay} s after {wait_for or 'the start'!r}"
        assert "Traceback" not in err and "AssertionError" not in err, f"{moment}:\n{err}"
        assert run["left"] == [], f"{moment}: kernels still running"
        if run["code"] in (0, -signum):  # the signal came after the command had ended
            assert "site written to site" in err, err  # (-signum: while Python shut down)
            assert (m.work / "site" / "index.html").is_file()  # the new site, whole
            assert "site/.dbanalysis-output.json" in _files(m.work)
        else:
            assert run["code"] == 128 + signum, f"{moment}:\n{err}"
            if "after the new output was in place" in err:
                assert f"dbanalysis build: error: interrupted by {sig} after" in err, err
            else:
                assert f"dbanalysis build: error: interrupted by {sig}; nothing written, " \
                       "the previous 'site' is kept" in err, f"{moment}:\n{err}"
                # the previous site whole, the notebooks untouched, no temporary folder
                assert _files(m.work) == run["before"], moment
        assert sorted(p.name for p in m.work.iterdir()) == FOLDER, moment
        assert list(m.private.iterdir()) == [], moment  # no kernel sockets in TMPDIR
        assert not list((m.work / "home").rglob("kernel-*.json")), moment
        outcomes.append(run["code"])
    cell = runs["cell"]
    # while the cell ran (what a kill -9 then leaves): the kernel's connection file in its
    # folder inside the build's one temporary folder, whose name its command line holds;
    # nothing in /tmp (TMPDIR) nor the home
    assert cell["files"] == {"tmp": 1, "kernel dirs": True, "kernel.json": True, "named": True,
                             "in TMPDIR": [], "in the home": []}, cell["files"]
    # the running kernel is stopped, not waited for (its cell runs 300 s), the others cancelled
    assert cell["code"] == 128 + signal.SIGTERM and cell["seconds"] < 30, cell["err"]
    assert "interrupted: 2 waiting notebook(s) cancelled, 1 running kernel(s) stopped" \
        in cell["err"]
    assert not _alive(cell["kernel"]), f"kernel {cell['kernel']} still running"
    # the builds of "slow" never complete; every run before the export was interrupted
    assert runs["start-up"]["code"] == 128 + signal.SIGINT, runs["start-up"]["err"]
    assert sum(code > 0 for code in outcomes) >= 3, outcomes


#: Where a signal lands once the new site is in place, as (the moment, the signal): in
#: the swap (held by ``atomic.deferred_signals`` and raised as the block ends, which
#: must come after the folder is recorded as put in place), and as the build logs its
#: last line, "site written" (no longer held: Python's own handler for SIGINT).
AFTER_THE_SWAP = {"in the swap": signal.SIGTERM, "at the last line": signal.SIGINT}


@pytest.mark.parametrize("where", AFTER_THE_SWAP)
def test_a_signal_after_the_swap_says_the_new_site_is_in_place(
        where: str, previous_site: Path, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """A signal that lands once the new site is in place but before the build has said so
    is reported as coming after the new output was in place, never as "nothing written,
    the previous 'site' is kept": a run of the moments above once printed that with the
    new site in place (the swap holds signals only for the renames; the clean-up and the
    last line come after). In this process, through ``cli.main``, a real signal
    (``signal.raise_signal``) sent to it at that place: where the signal lands is what
    is under test, not the process (FINAL-B 2: it was a KeyboardInterrupt raised by the
    logger, which never ran the held signal's path)."""
    import contextlib
    import io

    from dbanalysis.cli import main as cli
    from dbanalysis.core import atomic
    from dbanalysis.site import build as site_build

    work = tmp_path / "w"
    (work / "nb").mkdir(parents=True)
    for k in (1, 2):
        write_notebook(work / "nb" / f"0{k}-tiny.ipynb", _tiny(k))
    shutil.copytree(previous_site, work / "site")
    old = os.stat(work / "site").st_ino
    signum = AFTER_THE_SWAP[where]
    sent: list[str] = []
    if where == "in the swap":
        swap = atomic._swap

        def signalled_swap(*args, **kwargs):
            sent.append(where)
            signal.raise_signal(signum)  # held until the swap's block ends
            swap(*args, **kwargs)

        monkeypatch.setattr(atomic, "_swap", signalled_swap)
    else:
        real = site_build._stderr_logger

        def logger(stream=None):
            log = real(stream)

            def signalled_at_the_last_line(msg: str) -> None:
                if msg.startswith("site written"):
                    sent.append(where)
                    signal.raise_signal(signum)
                log(msg)
            return signalled_at_the_last_line

        monkeypatch.setattr(site_build, "_stderr_logger", logger)
    monkeypatch.chdir(work)
    err = io.StringIO()
    # Python's own SIGINT handler, as a terminal starts the command with (a pytest run as a
    # script's background job inherits SIGINT ignored: the signal then never landed)
    ours = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with watchdog(60, f"a build signalled {where}"), contextlib.redirect_stdout(
                io.StringIO()), contextlib.redirect_stderr(err):
            code = cli.main(["build", "--execute", "never", "--notebooks", "nb", "--out",
                             "site"])
    finally:
        signal.signal(signal.SIGINT, ours)
    assert sent == [where]
    assert code == 128 + signum, err.getvalue()
    assert os.stat(work / "site").st_ino != old  # the new site is the one in place
    assert (work / "site" / "index.html").is_file()
    name = signal.Signals(signum).name
    assert f"dbanalysis build: error: interrupted by {name} after the new output was in " \
           "place in 'site'" in err.getvalue(), err.getvalue()


def test_a_second_build_in_one_process_interrupted_early_keeps_the_previous_site(
        previous_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """What a build put in place is that command's: a second build to the same folder in
    the same process (``cli.main`` called twice), interrupted while it reads its notebooks
    (before any swap), reports "nothing written, the previous 'site' is kept", not the first
    build's swap (FINAL-B 2)."""
    import contextlib
    import io

    from dbanalysis.cli import main as cli
    from dbanalysis.site import build as site_build

    work = tmp_path / "w"
    (work / "nb").mkdir(parents=True)
    for k in (1, 2):
        write_notebook(work / "nb" / f"0{k}-tiny.ipynb", _tiny(k))
    monkeypatch.chdir(work)
    args = ["build", "--execute", "never", "--notebooks", "nb", "--out", "site"]
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert cli.main(args) == 0
    before = _files(work)

    def interrupted(*_a, **_k):
        raise KeyboardInterrupt

    monkeypatch.setattr(site_build, "read_notebook", interrupted)
    err = io.StringIO()
    with watchdog(60, "a second build interrupted"), contextlib.redirect_stdout(
            io.StringIO()), contextlib.redirect_stderr(err):
        assert cli.main(args) == 128 + signal.SIGINT
    assert "interrupted by SIGINT; nothing written, the previous 'site' is kept" \
        in err.getvalue(), err.getvalue()
    assert _files(work) == before
