"""A Ctrl-C while a build's workers start their kernels stops the build at once, with
its usual message, and leaves no worker behind (a ``make test`` run once hung there).

The moment is made exact, in this process, through ``cli.main``: a real SIGINT
(``signal.raise_signal``) is sent to the main thread at the two places where Python's own
handler, raising KeyboardInterrupt wherever the main thread happened to be, broke the
build; the notebooks' work is a stand-in that "starts its kernel" until the build stops
its kernels (no kernel is run: what is under test is where the signal lands).

- In the wait for the workers, just after ``concurrent.futures.wait`` took the future's
  lock and before its ``with`` (``_AcquireFutures.__enter__``): the lock stayed taken, the
  worker could never record its result, and the build, waiting for its workers to stop,
  hung for ever without a word. (In the real command, py-spy showed the main thread in
  ``stop_all``'s wait and a worker in ``Future.set_result``, waiting for that lock.)
- While the workers are being started (``ThreadPoolExecutor.submit``): the build said
  "interrupted" and exited only once the started notebooks had run to their end (a cell of
  300 s: 300 s), their kernels started in the temporary folder being removed.
"""

from __future__ import annotations

import concurrent.futures._base as futures_base
import concurrent.futures.thread as futures_thread
import contextlib
import io
import signal
import threading
import time
from pathlib import Path

import pytest
from helpers_watchdog import terminal_sigint, watchdog
from nbformat import v4
from site_helpers import write_notebook

#: Seconds the stand-in waits for the build to stop its kernels (it stops them at once).
PATIENCE = 5.0
#: Seconds after which a future's lock still held by the main thread counts as a hang.
HUNG = 2.0


def _work(tmp_path: Path) -> Path:
    work = tmp_path / "w"
    (work / "nb").mkdir(parents=True)
    for k in (1, 2):
        write_notebook(work / "nb" / f"0{k}-tiny.ipynb",
                       [v4.new_markdown_cell(f"# Tiny {k}"), v4.new_code_cell("print(6 * 7)")])
    return work


def _in_main_thread_with_workers() -> bool:
    return threading.current_thread() is threading.main_thread() and any(
        t.name.startswith("nb") for t in threading.enumerate())


@pytest.mark.parametrize("where", ["in the wait", "in submit"])
def test_a_ctrl_c_while_the_kernels_start_stops_the_build_at_once(
        where: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from dbanalysis.cli import main as cli
    from dbanalysis.notebook import execute
    from dbanalysis.site import build as site_build

    work = _work(tmp_path)
    before = sorted(p.relative_to(work).as_posix() for p in work.rglob("*"))
    sent: list[float] = []  # when the signal was sent
    held: list[threading.Condition] = []  # the futures' locks taken when it was sent
    stopping = threading.Event()  # the build is stopping its kernels
    hung: list[str] = []

    def send() -> None:
        sent.append(time.monotonic())
        signal.raise_signal(signal.SIGINT)

    if where == "in the wait":
        enter = futures_base._AcquireFutures.__enter__

        def signalled_enter(self: futures_base._AcquireFutures) -> None:
            enter(self)
            if not sent and _in_main_thread_with_workers():
                held.extend(f._condition for f in self.futures)
                send()

        monkeypatch.setattr(futures_base._AcquireFutures, "__enter__", signalled_enter)
    else:
        adjust = futures_thread.ThreadPoolExecutor._adjust_thread_count

        def signalled_adjust(self: futures_thread.ThreadPoolExecutor) -> None:
            adjust(self)
            if not sent and _in_main_thread_with_workers():
                send()

        monkeypatch.setattr(futures_thread.ThreadPoolExecutor, "_adjust_thread_count",
                            signalled_adjust)

    def kernel_starting(path, nb, mode, environment, workdir):
        stopping.wait(PATIENCE)  # until the build stops the kernels
        return nb, True

    real_stop = execute.stop_kernels

    def stop_kernels() -> int:
        stopping.set()
        if any(c._is_owned() for c in held) and time.monotonic() - sent[0] > HUNG:
            # the old behaviour: the worker cannot record its result for ever; the lock
            # is freed here (by its owner, this thread) only so that the test ends
            hung.append(f"a future's lock still held by the main thread {HUNG} s after "
                        "the signal: its worker can never finish, the build never stops")
            for c in held:
                while c._is_owned():
                    c.release()
        return real_stop()

    monkeypatch.setattr(site_build, "prepare", kernel_starting)
    monkeypatch.setattr(execute, "stop_kernels", stop_kernels)
    monkeypatch.chdir(work)
    err = io.StringIO()
    # (a hang, the bug this test guards against, fails the test, not the session)
    with terminal_sigint(), watchdog(60, f"a build signalled {where}"), \
            contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err):
        code = cli.main(["build", "--out", "site", "--notebooks", "nb", "--execute", "always",
                         "--jobs", "2"])
    ended = time.monotonic()
    workers = [t.name for t in threading.enumerate() if t.name.startswith("nb")]
    stopping.set()  # (the old behaviour, "in submit": let its workers end)
    log = err.getvalue()
    assert sent, f"no signal sent {where}:\n{log}"
    assert hung == [], hung
    assert code == 128 + signal.SIGINT, log
    assert "Traceback" not in log, log
    # the workers were stopped by the build's clean-up, before its last word, not after
    assert "interrupted: " in log and "running kernel(s) stopped" in log, log
    assert log.rstrip().endswith("dbanalysis build: error: interrupted by SIGINT; nothing "
                                 "written, the previous 'site' is kept"), log
    assert workers == [], f"worker threads still running after the build: {workers}"
    took = ended - sent[0]
    assert took < PATIENCE / 2, f"{took:.1f} s from the signal to the end of the build"
    # nothing written, no temporary folder left
    assert sorted(p.relative_to(work).as_posix() for p in work.rglob("*")) == before
