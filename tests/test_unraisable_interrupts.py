"""An interrupt that lands where Python cannot raise it stops the command all the same.

Python runs a signal's handler in the main thread at the next point where it looks for
one. When that point is inside a weakref callback, a ``__del__`` or a gc callback (importlib
drops its module locks through a weakref callback at every import), the KeyboardInterrupt
the handler raises cannot propagate: Python printed "Exception ignored in ... Traceback ...
KeyboardInterrupt" and ran on. A ``make test`` saw it (a build sent SIGINT 0.3 s of CPU
after it started, while it imported its modules, printed the traceback and wrote the site).
In a command's block (:func:`dbanalysis.core.atomic.interruptible`) such an interrupt is
not printed and is raised again where it can propagate: in the work that follows, or at
the latest as the block ends.

The moment is made exact: the signal is raised (``signal.raise_signal``, whose handler
runs at once) inside a weakref callback or a ``__del__``, so that its interrupt is the one
Python cannot raise; then comes work that must not complete.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers_watchdog import watchdog
from nbformat import v4
from site_helpers import write_notebook

from dbanalysis.core import atomic
from dbanalysis.core import unraisable as unraisable_module

#: Seconds the work after the interrupt would take if the interrupt were lost (a test
#: that passes never waits for it; half of it is the limit on a stopped block's time, room
#: for a loaded machine).
WORK = 10.0
#: Runs of a block that may not run the race it is written for (a loaded machine).
TRIES = 20


class _Box:
    pass


def _in_a_weakref_callback(signum: int) -> None:
    box = _Box()
    ref = weakref.ref(box, lambda _ref: signal.raise_signal(signum))
    del box  # the callback runs here, and the handler inside it
    assert ref() is None


class _Dying:
    def __init__(self, signum: int) -> None:
        self.signum = signum

    def __del__(self) -> None:
        signal.raise_signal(self.signum)


def _in_a_del(signum: int) -> None:
    _Dying(signum)  # dropped at once: its __del__ runs here


def _sleep(done: list[str]) -> None:  # a wait in a system call (the GIL released)
    time.sleep(WORK)
    done.append("the work")


def _compute(done: list[str]) -> None:  # Python code that never waits (the GIL held)
    end = time.monotonic() + WORK
    while time.monotonic() < end:
        pass
    done.append("the work")


def _nothing(done: list[str]) -> None:  # the block ends at once: the interrupt comes as it ends
    pass


LANDINGS = {"weakref callback": _in_a_weakref_callback, "__del__": _in_a_del}
WORKS = {"sleep": _sleep, "compute": _compute, "block ends": _nothing}


@pytest.fixture
def handlers() -> Iterator[None]:
    """SIGINT raising KeyboardInterrupt, as in a command (whatever pytest's worker has)."""
    old = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)


@pytest.fixture
def unraisable(monkeypatch: pytest.MonkeyPatch) -> list:
    """What reaches the hook in force before the block (Python's printing one, pytest's)."""
    seen: list = []
    monkeypatch.setattr(sys, "unraisablehook", seen.append)
    return seen


@pytest.mark.parametrize("work", WORKS)
@pytest.mark.parametrize("landing", LANDINGS)
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupt_python_could_not_raise_stops_the_block(
        signum: int, landing: str, work: str, handlers: None, unraisable: list) -> None:
    hook = sys.unraisablehook
    done: list[str] = []
    t0 = time.monotonic()
    with watchdog(60, "the interrupted block"):
        with pytest.raises(KeyboardInterrupt) as caught:
            with atomic.interruptible():
                LANDINGS[landing](signum)
                WORKS[work](done)
            done.append("after the block")
    assert done == [] and time.monotonic() - t0 < WORK / 2, done
    assert getattr(caught.value, "signum", signal.SIGINT) == signum
    assert unraisable == []  # not printed
    assert sys.unraisablehook is hook  # put back, and the handlers
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def _held(seconds: float) -> range:
    """Numbers whose ``sum`` holds the interpreter's lock about ``seconds`` (one C call:
    no other thread runs, no signal handler either, until it returns)."""
    probe = range(10**6)
    t0 = time.perf_counter()
    sum(probe)
    return range(int(10**6 * seconds / max(time.perf_counter() - t0, 1e-4)))


def test_a_send_as_the_handler_starts_does_not_interrupt_twice(
        handlers: None, unraisable: list, monkeypatch: pytest.MonkeyPatch) -> None:
    """The main thread holds the lock in long calls, so the sending thread sends, sleeps,
    and sends again just as the handler of its first send starts (the main thread lets
    go of the lock there, before the handler notes that it ran): the handler call that
    second send makes is dropped, and the clean-up of the first interrupt runs to its end
    (REVIEW13-P 1: it was interrupted again, 5 runs of 5). The first send lands in a
    call when the sending thread took the lock at the end of the one before: the calls
    follow one another with no other point where a handler could run. On a loaded machine
    the sending thread may run late (the interrupt then lands as the block ends), or the
    handler before a second send: the block has six calls, not two, and is run again until
    one run was the race (it failed 24 runs of 40 beside three busy processes, with two
    calls and one run)."""
    held = _held(3 * unraisable_module.RETRY)
    sends: list[int] = []
    send = signal.pthread_kill

    def counted_send(thread: int, signum: int) -> None:
        sends.append(signum)
        send(thread, signum)

    monkeypatch.setattr(signal, "pthread_kill", counted_send)
    for _ in range(TRIES):
        sends.clear()
        cleaned: list[str] = []
        with watchdog(60, "the interrupted block"):
            with pytest.raises(KeyboardInterrupt):
                with atomic.interruptible():
                    try:
                        _in_a_del(signal.SIGINT)
                        sum(held), sum(held), sum(held), sum(held), sum(held), sum(held)
                        cleaned.append("not interrupted")
                    except KeyboardInterrupt:
                        try:
                            time.sleep(5 * unraisable_module.RETRY)  # the clean-up
                            cleaned.append("the clean-up")
                        except KeyboardInterrupt:
                            cleaned.append("interrupted again")
                        raise
        assert "interrupted again" not in cleaned and unraisable == [], cleaned
        if cleaned == ["the clean-up"] and len(sends) >= 2:  # the race was run: the
            return  # interrupt landed in the calls, and a second send as the handler started
    pytest.fail(f"the race never ran in {TRIES} runs")


def test_an_interrupt_with_no_handler_to_raise_it_is_reported_as_before(
        unraisable: list) -> None:
    """SIGINT ignored (a background job): a KeyboardInterrupt that code raised in a
    ``__del__`` goes to the hook in force, as without the block, and nothing is sent
    (REVIEW13-P 2: it was kept, never raised, and the ignored signal sent every
    RETRY until the block ended)."""
    class Raising:
        def __del__(self) -> None:
            raise KeyboardInterrupt

    old = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        with atomic.interruptible():
            Raising()
            time.sleep(3 * unraisable_module.RETRY)
    finally:
        signal.signal(signal.SIGINT, old)
    assert [u.exc_type for u in unraisable] == [KeyboardInterrupt]


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_an_interrupt_taken_by_a_held_block_is_not_sent_again(
        signum: int, handlers: None, unraisable: list) -> None:
    """Sent again, the signal is taken by a block that holds it (``deferred_signals``, in
    the build's wait for its workers) and raised as that block ends: it is not sent again
    while the command cleans up (a second interrupt would break the clean-up)."""
    cleaned: list[str] = []
    with watchdog(60, "the interrupted block"):
        with pytest.raises(atomic.Interrupted) as caught:
            with atomic.interruptible():
                _in_a_weakref_callback(signum)
                try:
                    with atomic.deferred_signals() as got:
                        end = time.monotonic() + WORK
                        while not got and time.monotonic() < end:
                            time.sleep(0.01)  # (as the build's wait, woken now and then)
                except KeyboardInterrupt:
                    try:
                        time.sleep(5 * unraisable_module.RETRY)  # the clean-up
                        cleaned.append("the clean-up")
                    except KeyboardInterrupt:  # (uncaught, pytest would stop the session)
                        cleaned.append("interrupted again")
                    raise
    assert cleaned == ["the clean-up"] and caught.value.signum == signum
    assert unraisable == []


def test_other_unraisable_exceptions_go_to_the_hook_before(handlers: None,
                                                          unraisable: list) -> None:
    hook = sys.unraisablehook

    def fail(_ref: object) -> None:
        raise ValueError("in a callback")

    with atomic.interruptible(command=True):
        assert sys.unraisablehook is not hook
        box = _Box()
        ref = weakref.ref(box, fail)
        del box
        assert ref() is None
    assert [u.exc_type for u in unraisable] == [ValueError]
    assert sys.unraisablehook is hook


def test_outside_the_main_thread_nothing_changes(unraisable: list) -> None:
    hooks: list[Callable] = []

    def block() -> None:
        with atomic.interruptible():
            hooks.append(sys.unraisablehook)

    thread = threading.Thread(target=block)
    thread.start()
    thread.join()
    assert hooks == [unraisable.append]


def test_an_interrupt_owed_as_a_command_ends_stops_it(
        handlers: None, unraisable: list, monkeypatch: pytest.MonkeyPatch,
        capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The command's work ends at once after the signal: the interrupt is raised as its
    block ends, and the command says so (``dbanalysis check``, ``make notebooks``' script)."""
    from dbanalysis.cli import main as cli
    from dbanalysis.notebook import execute

    def at_once(*_args: object) -> int:
        _in_a_weakref_callback(signal.SIGINT)
        return 0

    monkeypatch.setattr(cli, "cmd_check", at_once)
    monkeypatch.setattr(execute, "run", at_once)
    (tmp_path / "a.ipynb").write_text("{}", encoding="utf-8")
    for command, message in [
            (lambda: cli.main(["check"]),
             "dbanalysis check: error: interrupted by SIGINT; nothing written\n"),
            (lambda: execute.main([str(tmp_path / "a.ipynb")]),
             "error: interrupted by SIGINT; every notebook not finished is unchanged\n")]:
        try:
            code = command()
        except KeyboardInterrupt:  # (pytest would stop the session)
            pytest.fail("the interrupt escaped the command")
        assert (code, capsys.readouterr().err) == (130, message)
    assert unraisable == []


#: The command as the shell runs it (``main()``: ``interruptible(command=True)``), the
#: signal raised in a weakref callback while it imports the build's modules, as Python's
#: own handler raised it inside importlib's (an audit hook makes the moment exact).
COMMAND = """
import signal, sys, weakref
from dbanalysis.cli import main as cli

class Box:
    pass

def hook(event, args):
    if event == "import" and args[0] == "dbanalysis.site.build" and not fired:
        fired.append(1)
        box = Box()
        ref = weakref.ref(box, lambda _ref: signal.raise_signal(SIGNUM))
        del box

fired = []
sys.addaudithook(hook)
sys.argv = ["dbanalysis", "build", "--notebooks", "nb", "--execute", "never", "--out", "site"]
sys.exit(cli.main())
"""


@pytest.mark.slow
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["SIGINT", "SIGTERM"])
def test_a_build_interrupted_while_it_imports_stops(signum: int, tmp_path: Path) -> None:
    (tmp_path / "nb").mkdir()
    write_notebook(tmp_path / "nb" / "01-tiny.ipynb",
                   [v4.new_markdown_cell("# Tiny"), v4.new_code_cell("print(6 * 7)")])
    script = COMMAND.replace("SIGNUM", f"signal.{signal.Signals(signum).name}")
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True,
                         text=True, timeout=300, env={**os.environ, "HOME": str(tmp_path)},
                         preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    name = signal.Signals(signum).name
    assert "Traceback" not in run.stderr and "Exception ignored" not in run.stderr, run.stderr
    assert run.returncode == 128 + signum, run.stderr
    assert run.stderr == f"dbanalysis build: error: interrupted by {name}; nothing written, " \
                         "the previous 'site' is kept\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb"]  # nothing written
