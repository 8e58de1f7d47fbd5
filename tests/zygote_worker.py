"""pytest-xdist's workers forked by the kernel zygote (tests/kernel_zygote.py) rather than
started as interpreters of their own: a fresh worker spent ~1.8 s of CPU before its first
test, ~0.95 s of it importing the ~1,570 modules (pandas, matplotlib, numpy, IPython, the
package) that the zygote already holds imported (3 workers a ``make test``).

xdist starts a worker as execnet's popen gateway starts any: ``PYTHON -u -c "import
sys;exec(eval(sys.stdin.readline()))"`` with pipes for its standard streams, PYTHON the
spec's ``python`` when it has one (``--tx popen//python=...``). notebooks/conftest.py
gives xdist's specs :func:`spec_python`, the kernels' launcher (tests/kernel_launcher.py)
asked to ``run`` the script ``-c``: the launcher hands its folder, environment and streams
to the zygote, which forks and runs here what ``python -u -c CODE`` runs
(:func:`command`): ``sys.argv`` ``["-c"]``, ``""`` first on ``sys.path``, stdout and stderr
unbuffered, CODE in a fresh ``__main__``, SIGINT ignored where the launcher's was (a
``make test`` run as a script's background job: Python leaves an ignored SIGINT ignored),
numpy's global random state drawn anew (the fork's own, as ``random``'s is); the worker's
exit status and a death by a signal are the launcher's, so that xdist sees a dying worker
as it did (tests/test_xdist_crash.py).

What a fork cannot give a worker is what a fresh interpreter reads at its start (the
zygote's, as for every forked script: ``PYTHONHASHSEED``, the three workers then sharing
one hash seed, ``-X``/``-W`` options, ``sys.flags``); the modules the zygote imported read
nothing when imported (:data:`kernel_zygote.READ_NOTHING`), and a worker's own state is
its own (a fork: nothing it fills reaches the zygote or the kernels forked after it). A
worker is a session of its own, with no controlling terminal (a Ctrl-C reaches it through
its launcher, which forwards it). ``DBANALYSIS_FORK_WORKERS=0``, or
``DBANALYSIS_FORK_KERNELS=0`` (no zygote): each worker an interpreter of its own again."""

from __future__ import annotations

import builtins
import importlib.machinery
import io
import os
import shlex
import signal
import sys
import types

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable

#: The environment variable that, set to 0, starts each xdist worker as its own process.
FORK_VAR = "DBANALYSIS_FORK_WORKERS"


def spec_python(launcher: str, where: str) -> str:
    """The ``python`` of an xdist spec whose worker the zygote at ``where`` (``PID:SOCKET``)
    forks, "" where it cannot be said in a spec (a ``//`` in it) or workers are not
    forked (:data:`FORK_VAR`)."""
    if os.environ.get(FORK_VAR, "1") == "0":
        return ""
    python = shlex.join([sys.executable, "-S", launcher, "run", where, "-c"])
    return "" if "//" in python else python


def command(request: dict) -> Callable[[], None]:
    """In the forked child (its folder, environment and streams the launcher's): make this
    process ``python OPTIONS -c CODE ARGS`` (``request["argv"]``: execnet's ``-u``, and
    ``-B`` if asked) as Python sets one up; returns what runs CODE."""
    argv = list(request["argv"])
    unbuffered = False
    while argv and argv[0] != "-c":
        option = argv.pop(0)
        if option == "-u":
            unbuffered = True
        elif option == "-B":
            sys.dont_write_bytecode = True
        else:  # (a fork has the zygote's start: -X, -W, -O, ... cannot be had)
            raise ValueError(f"python option {option!r}: run the worker as a process of "
                             f"its own ({FORK_VAR}=0)")
    if len(argv) < 2:
        raise ValueError(f"no -c CODE in {request['argv']!r}")
    code = compile(argv[1], "<string>", "exec")
    sys.argv = ["-c", *argv[2:]]
    sys.path.insert(0, "")
    if unbuffered:  # (-u: the binary layer unbuffered, the text layer writing through)
        for name, fd in (("stdout", 1), ("stderr", 2)):
            old = getattr(sys, name)
            raw = io.FileIO(fd, "w", closefd=False)
            raw.name = f"<{name}>"  # type: ignore[misc]  (as Python names it)
            new = io.TextIOWrapper(raw, encoding=old.encoding, errors=old.errors,
                                   write_through=True)
            setattr(sys, name, new)
            setattr(sys, f"__{name}__", new)
    for signum in request.get("ignored", ()):
        signal.signal(signum, signal.SIG_IGN)
    numpy_random = sys.modules.get("numpy.random")
    if numpy_random is not None:
        numpy_random.seed()
    main = types.ModuleType("__main__")
    main.__dict__.update(__builtins__=builtins, __loader__=importlib.machinery.BuiltinImporter,
                         __annotations__={})
    sys.modules["__main__"] = main
    return lambda: exec(code, main.__dict__)
