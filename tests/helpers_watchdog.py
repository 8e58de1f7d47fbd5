"""A watchdog for the tests that send real signals to a build or to this process: a
regression that hangs fails its test instead of stopping the whole session.

These tests interrupt a command at a chosen moment (tests/test_interrupts.py,
test_interrupt_start_up.py, test_execute_interrupt.py); the bugs they guard against
include hangs (a future's lock left taken by a signal: the build waited for ever), and
a hang there stopped the session with no word of which test. Written here, not taken
from pytest-timeout: its ``signal`` method fails a test the same way, but it times the
whole test (fixtures included), not the block that sends the signals, and it leaves the
processes the test started running (a hung build's kernels); its ``thread`` method ends
the process at once. Here a timer (``setitimer``, no CPU while it waits) fails the test
in the main thread, after ending every process the block started (a build, its
kernels), with the stacks of this process's threads; should the test's clean-up hang
too, ``faulthandler`` ends the process after :data:`GRACE`, and the crashed test's report
holds the stacks it wrote (:func:`dump_file`).

The tests that send SIGINT to this process run under :func:`terminal_sigint`: Python's own
handler, as a command started from a terminal has it, whatever pytest inherited.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import signal
import sys
import tempfile
import threading
import time
import traceback
from collections.abc import Iterator
from pathlib import Path

#: Seconds after the test's failure was raised during which the test may still end
#: (its clean-up); past them ``faulthandler`` ends this process, with every thread's
#: stack (a thread the test waits for is stuck: pytest-xdist then reports the test as
#: failed with its worker and goes on with a new one, tests/helpers_xdist.py).
GRACE = 60.0


def dump_file(testrunuid: str | None, worker: str | None) -> Path:
    """Where ``faulthandler`` writes the stacks of the process it ends: a file of the test
    run's worker (of the process outside pytest-xdist), as pytest's capture holds standard
    error during a test (written there, they were lost with the process). The controller
    adds it to the crashed test's report (conftest's ``pytest_handlecrashitem``)."""
    name = f"{testrunuid}-{worker}" if testrunuid and worker else str(os.getpid())
    return Path(tempfile.gettempdir()) / f"dbanalysis-watchdog-{name}.txt"


def crash_dump(testrunuid: str, worker: str) -> str:
    """What the watchdog of a worker that died wrote (``""`` if none), the file removed."""
    path = dump_file(testrunuid, worker)
    with contextlib.suppress(OSError):
        text = path.read_text(encoding="utf-8", errors="replace")
        path.unlink()
        return text
    return ""


def _end_processes_started_since(t0: float) -> list[str]:
    """Kill this process's descendants started at ``t0`` or later; what was killed."""
    import psutil  # (imported only when a test hangs)

    killed = []
    for proc in psutil.Process().children(recursive=True):
        with contextlib.suppress(psutil.Error):
            if proc.create_time() >= t0 - 1:  # (its clock ticks in hundredths)
                name = " ".join(proc.cmdline()[:4])
                proc.kill()
                killed.append(f"{proc.pid} {name}")
    return killed


def _stacks() -> str:
    names = {t.ident: t.name for t in threading.enumerate()}
    return "\n".join(f"--- thread {names.get(ident, ident)}:\n"
                     + "".join(traceback.format_stack(frame))
                     for ident, frame in sys._current_frames().items())


@contextlib.contextmanager
def watchdog(seconds: float, what: str) -> Iterator[None]:
    """Within: if the block has not ended after ``seconds``, every process started since
    it began is killed and the test fails where the main thread waits (``pytest.fail``
    raised by SIGALRM's handler: no ``except Exception`` or ``except
    KeyboardInterrupt`` of the code under test catches it), saying what hung and where
    each thread was. Only in the main thread (where signal handlers run)."""
    if threading.current_thread() is not threading.main_thread():  # pragma: no cover
        yield
        return
    import pytest

    t0 = time.time()

    def fail(_signum: int, _frame: object) -> None:
        killed = _end_processes_started_since(t0)
        pytest.fail(f"{what}: not ended after {seconds} s (a hang); processes killed: "
                    f"{killed or 'none'}; the threads were at:\n{_stacks()}", pytrace=False)

    path = dump_file(os.environ.get("PYTEST_XDIST_TESTRUNUID"),
                     os.environ.get("PYTEST_XDIST_WORKER"))
    dump = open(path, "w", encoding="utf-8")  # (closed in the finally)
    dump.write(f"{what}: not ended {seconds + GRACE} s after it began (its failure, raised "
               f"after {seconds} s, did not end it); the threads were at:\n")
    dump.flush()
    old = signal.signal(signal.SIGALRM, fail)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    faulthandler.dump_traceback_later(seconds + GRACE, exit=True, file=dump)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        faulthandler.cancel_dump_traceback_later()
        signal.signal(signal.SIGALRM, old)
        dump.close()
        path.unlink(missing_ok=True)


@contextlib.contextmanager
def terminal_sigint() -> Iterator[None]:
    """Within: SIGINT raises KeyboardInterrupt (Python's own handler), as in a command
    started from a terminal, whatever this process inherited; put back after. A pytest run
    as a script's background job (``make test &`` in a script: the shell ignores SIGINT
    for it) inherits SIGINT ignored, and a command then rightly leaves it ignored
    (:func:`dbanalysis.core.atomic.deferred_signals`): a test that sends SIGINT to this
    process waited for a signal that never landed (a ``make test`` run so hung in
    test_execute_interrupt.py, then crashed its worker; test_interrupt_start_up.py failed)."""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)
