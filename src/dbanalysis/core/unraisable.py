"""Interrupts that Python could not raise, delivered again where they can propagate.

Python runs a signal's handler in the main thread at the next point where it looks for
one (between two bytecodes, or when a system call is interrupted). When that point is
inside a weakref callback, a ``__del__`` or a gc callback (importlib drops its module
locks through a weakref callback at every import), the KeyboardInterrupt the handler
raises (or :class:`~dbanalysis.core.atomic.Interrupted`, for SIGTERM in a command) cannot
propagate: it goes to :data:`sys.unraisablehook`, which prints "Exception ignored in ...
Traceback ... KeyboardInterrupt", and the program runs on as if the signal had never
come (a build interrupted while it imported its modules wrote its site).

In :func:`redelivered`'s block such an interrupt is not printed: the same signal is sent
again to the main thread, whose handler then raises it where it next looks, at the
latest as the block ends.

Hand-written because no library does it. How, and why so:

- The signal is sent from a thread of its own, not from the hook: the hook runs in the
  main thread inside the place that cannot propagate, and a signal sent there
  (``signal.raise_signal``, ``signal.pthread_kill``, ``os.kill``) has its handler run at
  once or at the hook's next bytecode: swallowed again. The sending thread runs once the
  main thread lets go of the interpreter's lock (a system call, or its switch interval,
  5 ms), out of the hook by then. It is started with ``_thread.start_new_thread``, which
  does not wait for it (``threading.Thread.start`` waits, in the hook, for it to run).
- ``signal.pthread_kill`` aims it at the main thread, so that a system call the main thread
  waits in is interrupted (sent to the process, it may go to any thread).
- It is sent again every :data:`RETRY` seconds until a handler has taken it (one that
  :func:`counted` wraps: SIGINT's and SIGTERM's in the block, and ``deferred_signals``',
  which holds it to raise it later): the sending thread runs just when the main thread
  lets go of the lock, often to enter a system call, and a signal that comes before the
  call starts does not end it (a ``time.sleep(2)`` then ran its 2 s in one test run out
  of four). Signals sent before the handler runs make one interrupt (Python notes a
  signal, not how many came), and none is sent after (a second interrupt would break the
  clean-up of the first): the test (has a handler run?) and the send are one step for the
  main thread, which runs Python code only when the sending thread lets go of the lock,
  not between the two (CPython's threads switch only where the code looks for signals).
  A send can still come between a handler's start and its note that it ran (the main
  thread let go of the lock as the handler began, after a long call that held it): the
  handler call that second send makes is dropped (:data:`_sent_again`).
- Should the handler land in such a place again (a second weakref callback), the hook
  starts again. As the block ends, an interrupt still owed is raised there.
"""

from __future__ import annotations

import _thread
import contextlib
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from types import FrameType
from typing import Any

#: Seconds between two sends of a signal whose handler has not run yet.
RETRY = 0.05

_Handler = Callable[[int, FrameType | None], Any]

#: How many times a handler that :func:`counted` wrapped has run in this process.
_ran = 0
#: ``_ran`` as the interrupt last swallowed was owed, and whether a signal was sent for it
#: more than once: a second send can land once its handler has started, before that
#: handler noted that it ran (the main thread let go of the lock as the handler began),
#: and would interrupt the clean-up of the first; one handler call after the first of
#: such a redelivery is dropped (so a second Ctrl-C then may take a second press).
_owed_at = 0
_sent_again = False


def counted(handler: _Handler) -> _Handler:
    """``handler``, noting that it ran: a signal sent again (:func:`redelivered`) is sent
    until a handler has taken it, and never after (every SIGINT or SIGTERM handler the
    package sets is one of these, ``deferred_signals``' too: one that only notes the
    signal, to raise it later, has taken it)."""
    def run(signum: int, frame: FrameType | None) -> Any:
        global _ran, _sent_again
        # (no call before the note: the main thread could let the sending thread run there)
        if _sent_again and _ran != _owed_at:  # the second send of one taken already
            _sent_again = False
            return None
        _ran += 1
        return handler(signum, frame)
    return run


class _Redelivery:
    """The hooks of one block, and the interrupt it owes the main thread."""

    def __init__(self) -> None:
        self.previous = sys.unraisablehook
        self.main = threading.get_ident()
        self.closed = False
        self.owed: int | None = None  # the signal swallowed last...
        self.start = 0  # ... when ``_ran`` was this: owed while it still is

    def hook(self, unraisable: sys.UnraisableHookArgs) -> None:
        try:
            if self.closed or not issubclass(unraisable.exc_type, KeyboardInterrupt) \
                    or threading.get_ident() != self.main:
                self.previous(unraisable)
                return
            signum = getattr(unraisable.exc_value, "signum", signal.SIGINT)
            if not callable(signal.getsignal(signum)):  # no handler to raise it again:
                self.previous(unraisable)  # (raised by code, not by a signal) as before
                return
            self._owe(signum)
        except KeyboardInterrupt as again:  # another signal's handler ran here
            self._owe(getattr(again, "signum", signal.SIGINT))

    def _owe(self, signum: int) -> None:
        global _owed_at, _sent_again
        self.owed, self.start = signum, _ran
        _owed_at, _sent_again = _ran, False
        with contextlib.suppress(RuntimeError):  # no thread can start: sent as the block ends
            _thread.start_new_thread(self._send, ())

    def _send(self) -> None:
        global _sent_again
        # (the test and the send: no call between them, where the thread could switch)
        sends = 0
        while not self.closed and self.owed is not None and _ran == self.start:
            _sent_again = _sent_again or sends > 0
            signal.pthread_kill(self.main, self.owed)
            sends += 1
            time.sleep(RETRY)

    def close(self, deliver: bool) -> None:
        """End the block: nothing is sent any more; an interrupt still owed is raised here
        (``deliver``), or, when one is already propagating, dropped."""
        global _sent_again
        self.closed = True  # (the sending thread sees it before it sends again)
        _sent_again = False
        owed = self.owed
        if owed is None or _ran != self.start:
            return
        if deliver:  # its handler runs here, at once (and any send's, made one with it)
            signal.pthread_kill(self.main, owed)
        else:  # a send not acted on yet: its handler runs now, not after the block
            with contextlib.suppress(KeyboardInterrupt):
                signal.pthread_sigmask(signal.SIG_BLOCK, ())


@contextlib.contextmanager
def redelivered() -> Iterator[None]:
    """In the block, a KeyboardInterrupt that reaches :data:`sys.unraisablehook` in the main
    thread is not printed but raised again where it can propagate: in the block, or as the
    block ends (then also when the block raised another exception: it is the interrupt's
    context). Any other unraisable exception goes to the hook that was in force. SIGINT's
    and SIGTERM's handlers are wrapped to note that they ran; hooks and handlers are put
    back after the block. Outside the main thread the block runs as is."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    state = _Redelivery()
    handlers = {s: h for s in (signal.SIGINT, signal.SIGTERM)
                if callable(h := signal.getsignal(s))}
    wrapped = {s: counted(h) for s, h in handlers.items()}
    for s, run in wrapped.items():
        signal.signal(s, run)
    sys.unraisablehook = hook = state.hook
    try:
        yield
    except KeyboardInterrupt:
        state.close(deliver=False)
        raise
    except BaseException:
        state.close(deliver=True)
        raise
    else:
        state.close(deliver=True)
    finally:
        if sys.unraisablehook == hook:  # (else another has replaced it since: theirs stays)
            sys.unraisablehook = state.previous
        for s, run in wrapped.items():
            if signal.getsignal(s) is run:
                signal.signal(s, handlers[s])
