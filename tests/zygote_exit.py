"""How a script forked by the kernel zygote (tests/kernel_zygote.py) ends: as Python ends,
but for the teardown of the heap it shares with the zygote (:func:`last_atexit`). A module
of its own, imported by the zygote before it forks (tests/ is then first on its
``sys.path``), so that kernel_zygote.py stays within 500 lines."""

from __future__ import annotations

import _io
import atexit
import gc
import os
import signal
import sys
import traceback
from typing import Any

#: A forked script's exit status once it has run (:func:`status`), for :func:`last_atexit`.
ENDED: list[int | None] = []


def status(end: BaseException | None) -> int | None:
    """The exit status Python gives a script ended on ``end`` (``Py_RunMain``'s), None for
    an uncaught KeyboardInterrupt (a death by SIGINT)."""
    if isinstance(end, KeyboardInterrupt):
        return None
    if not isinstance(end, SystemExit):
        return 0 if end is None else 1
    if end.code is None:
        return 0
    if isinstance(end.code, int):  # (C's long, then the low byte, as exit() keeps it)
        return (end.code if -2**63 <= end.code < 2**63 else -1) & 0xFF
    return 1  # (Python printed the code on stderr)


def last_atexit() -> None:
    """A forked script's last ``atexit`` handler (registered before the zygote's imports):
    Python has printed how the script ended, waited for its threads, run the other
    handlers. This does what Python's exit does next (flush the standard streams, 120 if
    that fails; collect garbage; close the files left open) but tear down every module
    and object, the zygote's heap: in a fork that copies each page of it (~80 MB, ~75 ms
    of CPU a script). Hand-written: Python has no such option (``os._exit`` after the
    handlers is the known way: Instagram's write-up on gc.freeze)."""
    if not ENDED:  # (the zygote itself, whose own exit is Python's)
        return

    def done(f: Any, step: str) -> bool:  # (flush_std_files; a finaliser's close, whose
        try:  # errors are not said but with -X dev)
            if f is not None and not f.closed:
                getattr(f, step)()
        except Exception as err:
            if f is sys.stdout and step == "flush":
                print(f"Exception ignored in: {f!r}", file=sys.stderr)
                traceback.print_exception(type(err), err, None, chain=False)
            return False
        return True

    atexit._clear()  # (they have run: what only they held is garbage now)
    ok = done(sys.stdout, "flush") & done(sys.stderr, "flush")
    gc.collect()
    # the script's open files (gc.get_objects: not the zygote's, frozen), outer layers
    # first (text, Python's wrappers such as gzip's, buffered, raw), as teardown closes them
    std = [sys.stdin, sys.stdout, sys.stderr, sys.__stdin__, sys.__stdout__, sys.__stderr__]
    for f in sorted((f for f in gc.get_objects()
                     if isinstance(f, _io._IOBase) and not any(f is s for s in std)),
                    key=lambda f: (not isinstance(f, _io._TextIOBase),
                                   type(f).__module__ == "_io",
                                   not isinstance(f, _io._BufferedIOBase))):
        done(f, "close")
    ok = done(sys.stdout, "flush") & done(sys.stderr, "flush") and ok
    if ENDED[0] is None:  # (an uncaught KeyboardInterrupt)
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        os.kill(os.getpid(), signal.SIGINT)
    os._exit(130 if ENDED[0] is None else ENDED[0] if ok else 120)
