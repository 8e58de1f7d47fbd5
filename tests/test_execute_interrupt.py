"""``make notebooks`` (``python -m dbanalysis.notebook.execute``) stops at once on a
Ctrl-C or a SIGTERM: the notebook whose cell is running is not waited for (its kernel
is stopped), the one waiting behind it is not started, neither file is touched, and
the command says so in one line, with no traceback and the status of the signal.

One real kernel, in the command run as a process and stopped by a Ctrl-C (SIGINT: the
console script's ``command=True`` path, the real kernel stopped, the status of the
signal as the process's): a notebook whose cell sleeps for :data:`SLEEP` seconds, and a
second notebook queued behind it (``--jobs 1``). Each signal, SIGINT and SIGTERM (the
signal the command turns into an interrupt itself,
:func:`dbanalysis.core.atomic.interruptible`), is also sent for real to this process
while ``main`` waits on a running notebook, whose work is a stand-in: the same
``except``, the same clean-up, the same line and status (in ``make test-quick`` too,
which runs no kernel); and Python's own KeyboardInterrupt raised in that wait. (A
SIGTERM stopping a running kernel in a command's process: tests/test_interrupts.py's
"cell" moment, a build. The process test was run for SIGTERM too, a second process
and kernel, ~0.45 s of CPU, for what these prove: the signal is held and raised as the
same interrupt in the main thread's wait, ``atomic.result``, whichever it is.)

The command is forked from the session's kernel zygote where there is one
(tests/kernel_zygote.py ``command``: ``python -m`` with the interpreter and pandas already
imported, ~0.2 s of CPU less; its folder, environment, streams, signals and exit status
its own); the kernel it starts is a process of its own, as always. A watchdog
(tests/helpers_watchdog.py) fails a test that hangs, instead of the session.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import pytest
from helpers_watchdog import terminal_sigint, watchdog
from kernel_zygote import command
from nbformat import v4
from site_helpers import write_notebook

from dbanalysis.notebook import execute

#: How long the running cell sleeps: an interrupted run that waits for it fails.
SLEEP = 60
#: Seconds from the signal to the command's exit that count as "at once".
PROMPT = 5.0


def _kernel_alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as fh:
            return fh.read().rsplit(")", 1)[1].split()[0] != "Z"
    except FileNotFoundError:
        return False


@pytest.mark.slow  # a subprocess and a kernel: not in make test-quick
@pytest.mark.parametrize("signum", [signal.SIGINT], ids=lambda s: s.name)
def test_an_interrupt_stops_the_running_kernel_and_touches_no_notebook(tmp_path, signum):
    pidfile = tmp_path / "kernel.pid"
    slow = write_notebook(tmp_path / "01-slow.ipynb", [
        v4.new_code_cell(f"import os, time\nopen({str(pidfile)!r}, 'w').write("
                         f"str(os.getpid()))\ntime.sleep({SLEEP})")])
    waiting = write_notebook(tmp_path / "02-waiting.ipynb", [v4.new_code_cell("6 * 7")])
    before = {p: p.read_bytes() for p in (slow, waiting)}
    (tmp_path / "home").mkdir()
    env = {**os.environ, "HOME": str(tmp_path / "home"), "TMPDIR": str(tmp_path)}
    proc = subprocess.Popen(
        command([sys.executable, "-m", "dbanalysis.notebook.execute", "--jobs", "1",
                 str(slow), str(waiting)]), env=env, text=True,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        deadline = time.monotonic() + 120
        while not pidfile.exists() or not pidfile.read_text():
            assert proc.poll() is None, proc.communicate()
            assert time.monotonic() < deadline, "the slow cell never started"
            time.sleep(0.05)
        kernel = int(pidfile.read_text())
        sent = time.monotonic()
        proc.send_signal(signum)
        try:
            _, err = proc.communicate(timeout=SLEEP / 2)
        except subprocess.TimeoutExpired:  # pragma: no cover - the old behaviour
            proc.kill()
            proc.communicate()
            pytest.fail(f"still running {SLEEP / 2} s after {signum.name}")
        took = time.monotonic() - sent
        alive = _kernel_alive(kernel)
    finally:
        if proc.poll() is None:  # pragma: no cover - on failure
            proc.kill()
            proc.communicate()
        if pidfile.exists() and pidfile.read_text() and _kernel_alive(
                int(pidfile.read_text())):  # pragma: no cover - on failure
            os.kill(int(pidfile.read_text()), signal.SIGKILL)
    assert took < PROMPT, f"exited {took:.1f} s after {signum.name}"
    assert proc.returncode == 128 + signum, err
    assert "Traceback" not in err, err
    assert f"interrupted by {signum.name}" in err, err
    assert "interrupted: 1 waiting notebook(s) cancelled, 1 running kernel(s) stopped" in err, err
    assert not alive, "the kernel was left running"
    assert {p: p.read_bytes() for p in before} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "01-slow.ipynb", "02-waiting.ipynb", "home", "kernel.pid"]


def test_ctrl_c_while_a_notebook_runs_stops_it_and_cancels_the_waiting_one(tmp_path,
                                                                         monkeypatch, capsys):
    """Ctrl-C in the command's main thread, waiting on the first of two notebooks
    (``--jobs 1``): the running one is told to stop and not waited for to the end of its
    work, the waiting one is cancelled, neither file is written, one line says so and the
    status is SIGINT's. (The notebook's work is a stand-in that runs until it is told to
    stop, and ``result`` raises the KeyboardInterrupt itself: that Python's handler runs
    in the main thread's wait, that the real kernel is stopped, and the console script's
    path are proved by the process test above, ``[SIGINT]``.)"""
    slow = write_notebook(tmp_path / "01-slow.ipynb", [v4.new_code_cell("6 * 7")])
    waiting = write_notebook(tmp_path / "02-waiting.ipynb", [v4.new_code_cell("6 * 7")])
    before = {p: p.read_bytes() for p in (slow, waiting)}
    started, calls = threading.Event(), []

    def update_notebook(path, mode, environment, stop):
        calls.append(path.name)
        started.set()
        assert stop.wait(SLEEP), "not told to stop"
        return "interrupted, not written"

    def result(fut):  # Python's SIGINT handler raises here, in the main thread's wait
        assert started.wait(SLEEP)
        raise KeyboardInterrupt

    monkeypatch.setattr(execute, "update_notebook", update_notebook)
    monkeypatch.setattr(execute, "result", result)
    t0 = time.monotonic()
    with watchdog(60, "make notebooks, Ctrl-C while a notebook runs"):
        status = execute.main(["--jobs", "1", str(slow), str(waiting)])
    took = time.monotonic() - t0
    err = capsys.readouterr().err
    assert status == 128 + signal.SIGINT, err
    assert took < PROMPT, f"returned {took:.1f} s after Ctrl-C"
    assert "Traceback" not in err, err
    assert "interrupted by SIGINT; every notebook not finished is unchanged" in err, err
    assert "interrupted: 1 waiting notebook(s) cancelled" in err, err
    assert calls == ["01-slow.ipynb"]
    assert {p: p.read_bytes() for p in before} == before


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=lambda s: s.name)
def test_a_signal_while_a_notebook_runs_stops_it_and_cancels_the_waiting_one(
        tmp_path, monkeypatch, capsys, signum):
    """A real signal sent to this process (``os.kill``) by the running notebook's work,
    while ``main``'s thread waits on it, the first of two (``--jobs 1``): the running
    one is told to stop and not waited for to the end of its work, the waiting one is
    cancelled, neither file is written, one line says so, the status is the signal's.
    (The notebook's work is a stand-in that runs until it is told to stop; the process
    and its real kernel: the process test above. SIGINT has Python's own handler, as from
    a terminal, whatever pytest inherited: ``terminal_sigint``.)"""
    slow = write_notebook(tmp_path / "01-slow.ipynb", [v4.new_code_cell("6 * 7")])
    waiting = write_notebook(tmp_path / "02-waiting.ipynb", [v4.new_code_cell("6 * 7")])
    before = {p: p.read_bytes() for p in (slow, waiting)}
    calls: list[str] = []

    def update_notebook(path, mode, environment, stop):
        calls.append(path.name)
        if len(calls) == 1:  # (a second call, the waiting one's, fails the test below)
            os.kill(os.getpid(), signum)  # (acted on by the main thread)
            assert stop.wait(SLEEP / 2), "not told to stop"  # (a failure before the watchdog's)
        return "interrupted, not written"

    monkeypatch.setattr(execute, "update_notebook", update_notebook)
    # the worst pytest may inherit, whatever it has here: SIGINT ignored (a script's
    # background job; a make test so started hung in this test, its signal never landed)
    inherited = signal.signal(signal.SIGINT, signal.SIG_IGN)
    t0 = time.monotonic()
    try:
        with terminal_sigint(), watchdog(60, f"make notebooks, {signum.name} while a "
                                             "notebook runs"):
            status = execute.main(["--jobs", "1", str(slow), str(waiting)])
    finally:
        signal.signal(signal.SIGINT, inherited)
    took = time.monotonic() - t0
    err = capsys.readouterr().err
    assert status == 128 + signum, err
    assert took < PROMPT, f"returned {took:.1f} s after {signum.name}"
    assert "Traceback" not in err, err
    assert f"interrupted by {signum.name}; every notebook not finished is unchanged" in err, err
    assert "interrupted: 1 waiting notebook(s) cancelled" in err, err
    assert calls == ["01-slow.ipynb"]
    assert {p: p.read_bytes() for p in before} == before
