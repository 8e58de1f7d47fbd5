"""nbval's kernels forked from one warm process (notebooks/conftest.py).

Every kernel nbval starts for a report notebook used to spend ~1.3 s of CPU before the
notebook's first line ran: the interpreter, ipykernel, IPython, zmq, then pandas and
matplotlib imported again (14 notebooks, ~18 s of CPU a ``make test``). Here a *zygote*,
started once per test session, imports them once and waits; each kernel is a fork of it
that then runs ipykernel exactly as ``python -m ipykernel_launcher -f CONNECTION_FILE``
does, with the launcher's working directory, environment and standard streams.

What nbval sees is unchanged: jupyter_client starts a process (the *launcher*,
tests/kernel_launcher.py, ~9 ms of CPU) and talks to the kernel over the connection file's ports;
the launcher hands its folder, environment and streams to the zygote, forwards the
signals jupyter_client sends (interrupt, terminate) to the kernel and ends when the
kernel ends; the kernel ends when the launcher does (a kill -9 of it included). What a
notebook's code runs in is a fresh IPython kernel with the same modules: nothing of the
notebook's own (its namespace, the package's caches, matplotlib's and pandas' options)
exists before its first cell, since the zygote runs none of the package's code but the
top level of the modules a notebook imports (:data:`READ_NOTHING`), which reads nothing
(no environment variable, no data file, not the working folder, no option) and fills no
cache (tests/test_kernel_zygote.py checks it). ``DBANALYSIS_FORK_KERNELS=0`` starts
each kernel as its own process again.

A script can be run so too (:func:`script_argv`: ``python SCRIPT ARGS`` in a fork, the
launcher exiting with its status): the hostile run of test_hostile_text.py
(tests/conftest.py's ``hostile_run``), which executes every notebook's code in one
process, ~1 s of CPU less (the interpreter, pandas, matplotlib, IPython, nbformat and the
package's modules not imported again); its outputs are byte for byte those of a process
of its own. The script ends as Python ends (an uncaught exception's traceback on stderr,
status 1; an uncaught KeyboardInterrupt a death by SIGINT; its threads waited for, its
``atexit`` handlers run, the standard streams and its open files flushed and closed:
tests/zygote_exit.py) but for the teardown of the heap it shares with the zygote: the
finalisers that teardown would run (``__del__`` of what a module's globals hold) do not
run, and one on the script's own objects runs in its last collection, before any module
is cleared (REVIEW14-T R1). A test of what a program prints or does at its teardown runs
a process of its own. The launcher ends as it did: with its exit status, or killed by
the signal that killed it (the zygote, its parent, reads its status and tells the
launcher).
What a fork cannot give it is a start of its own: what Python reads when it starts
(``PYTHONWARNINGS``, ``PYTHONPATH``, ``PYTHONHASHSEED``, ``-X`` options such as the
zygote's ``frozen_modules=off``, ``-W``) and what the modules imported (:data:`WARM`,
:data:`READ_NOTHING`) read when imported are the zygote's, whatever the launcher's
environment says (babel's default locale and time zone among them, ``LANG``, ``LC_*``,
``TZ``, which the package never uses: it names the locale of every number it formats,
and formats no date); ``MPLBACKEND``, which the hostile run sets, must be the zygote's
(a fork asked for another is refused, status 1).

The kernels of the test site's build (tests/conftest.py's ``built_site``, and the build
whose notebook fails in test_site.py) and of the in-process builds and ``make notebooks``
runs of tests/test_execute.py are forked too (:func:`build_kernels_forked`), when the
build asks for exactly what a fork reproduces, the executor's kernel
(``execute.KERNEL_ARGV``) in the folder and environment it gives:
~0.3-1 s of CPU less a kernel (9 a run), and the kernel of test_bilingual.py's notebook.

The commands a test runs as processes for what they do, not for how Python starts, are
forked as scripts too (:func:`command`, ``-m MODULE`` included: test_cli.py's ``check``
and build to the end, test_interrupts.py's builds but the one interrupted as it starts,
test_execute_interrupt.py's ``make notebooks``, test_bad_inputs.py's ``check``,
test_cache.py's other process), ~0.4 s of CPU less a command. The kernels those commands
start are not forked: those are the kernels a user's command starts, tested as such; nor
are the lab, the pytest runs of test_home_alone.py and test_report_notebooks.py, and the
fresh ``dbanalysis`` processes of test_check_gate.py and test_interrupts.py's "check".
"""

from __future__ import annotations

import atexit
import contextlib
import gc
import importlib.util
import marshal
import os
import select
import signal
import socket
import sys
import threading
import time

TYPE_CHECKING = False  # (typing not imported: the launcher starts in ~10 ms)
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

#: What a kernel for a report notebook imports before its first cell runs (ipykernel and
#: what it brings), and what the notebooks' first cell imports: third-party only. Also
#: pandas' Styler, which every report notebook's reader tables use
#: (``render.tables.reader_table``): its import compiles six Jinja templates, ~0.04 s of
#: CPU per kernel. The second line: what ``IPKernelApp.initialize`` imports once the
#: kernel starts (its debugger, with debugpy and pydevd: ~150 modules; IPython's history
#: database, completer, store magic and debugger; psutil; tornado's asyncio loop), ~0.09 s
#: of CPU per kernel; none starts a thread or sets a trace function. The third: what
#: the kernel imports as it starts and as the report notebooks run, every one of them the
#: same (IPython's inspector and logger; Pillow's plugins, imported on the first PNG
#: saved; pyarrow's pandas part, on the first table read from the package's cache),
#: ~0.012 s of CPU per kernel (sys.modules in a fork, before and after). Then
#: :data:`READ_NOTHING`.
WARM = ("ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "pandas",
        "matplotlib", "matplotlib.pyplot", "matplotlib_inline.backend_inline",
        "pandas.io.formats.style",
        "ipykernel.debugger", "IPython.core.completerlib", "IPython.core.debugger",
        "IPython.extensions.storemagic", "psutil", "sqlite3", "tornado.platform.asyncio",
        "faulthandler",
        "IPython.core.oinspect", "IPython.core.logger", "PIL.BmpImagePlugin",
        "PIL.GifImagePlugin", "PIL.JpegImagePlugin", "PIL.PpmImagePlugin",
        "pyarrow.pandas_compat", "pyarrow.vendored.version", "pandas.core.methods.to_dict",
        "pandas.io.formats.string", "pandas.core.reshape.reshape", "matplotlib.patheffects",
        "encodings.utf_8_sig")
#: Imported last, what the forks import whose import reads nothing of a fork's own: what
#: the hostile run, a build and ``python -m dbanalysis.notebook.execute`` import to read
#: and run notebooks (nbformat with jsonschema, nbclient: ~0.06 s of CPU a command), and
#: the package's modules a report notebook's first cell imports (``dbanalysis``'s public
#: names, with babel: ~0.11 s of CPU a kernel, the hostile run's and a command's too),
#: and two its code imports when it runs (the extractor, the charts' glyphs: ~0.007 s).
#: What their top level may not do is the module docstring's, checked by
#: tests/test_kernel_zygote.py (nor may one be a module run with ``python -m``).
READ_NOTHING = ("nbformat", "nbclient", "dbanalysis._api", "dbanalysis.catalogue.extract",
                "dbanalysis.plotting.glyphs")

#: Appended to a zygote's ``PID:SOCKET``: the socket of its fork made before it imported
#: :data:`READ_NOTHING` (:data:`WARM` alone), whose forked scripts import those as a fresh
#: process would: tests/test_kernel_zygote.py's probe of what their imports read (~1 s
#: of CPU less than a fresh interpreter importing :data:`WARM` first).
WARM_ONLY = "-warm"
#: The environment variable that hands the session's zygote (``PID:SOCKET``, or "" where
#: there is none) from the process that started it to pytest-xdist's workers.
SOCKET_VAR = "DBANALYSIS_KERNEL_ZYGOTE"


#: The launchers (tests/kernel_launcher.py: a file of its own, which imports only what a
#: bare interpreter has), loaded by path: notebooks/conftest.py loads this file so, with
#: tests/ not on ``sys.path``.
LAUNCHER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "kernel_launcher.py")
if "kernel_launcher" not in sys.modules:
    _spec = importlib.util.spec_from_file_location("kernel_launcher", LAUNCHER)
    sys.modules["kernel_launcher"] = importlib.util.module_from_spec(_spec)
    _spec.loader.exec_module(sys.modules["kernel_launcher"])
START_TIMEOUT = sys.modules["kernel_launcher"].START_TIMEOUT
_alive = sys.modules["kernel_launcher"].alive


def launcher_argv(where: str) -> list[str]:
    """The command that starts a kernel forked by the zygote at ``where`` (``PID:SOCKET``)
    instead of the command of a kernel as :mod:`dbanalysis.notebook.execute` starts it
    (``execute.KERNEL_ARGV``)."""
    return [sys.executable, "-S", LAUNCHER, "launch", where, "-f", "{connection_file}"]


@contextlib.contextmanager
def build_kernels_forked() -> Iterator[None]:
    """Within: the kernels :mod:`dbanalysis.notebook.execute` starts (a build's) forked by
    the session's zygote, when there is one and the kernel it asks for is exactly
    ``execute.KERNEL_ARGV`` (ipykernel's kernel without its debugger: what a fork
    reproduces, as ``python -m ipykernel_launcher``, nbval's, for the current
    environment; a fork has the debugger the zygote imported,
    :data:`WARM`, which changes nothing a notebook computes); its folder and environment
    are the launcher's, as given; any
    other command is started as it is, so that a build asking for another interpreter
    still runs it (tests/test_site.py prints the kernel's ``sys.executable``)."""
    where = session_zygote()
    if not where:
        yield
        return
    from dbanalysis.notebook import execute

    plain = execute._kernel_manager

    def kernel_manager(*args: Any, **kwargs: Any) -> Any:
        manager = plain(*args, **kwargs)
        spec = manager.kernel_spec_manager.get_kernel_spec(manager.kernel_name)
        if spec.argv == execute.KERNEL_ARGV:
            spec.argv = launcher_argv(where)
        return manager

    execute._kernel_manager = kernel_manager
    try:
        yield
    finally:
        execute._kernel_manager = plain


def _read_all(conn: socket.socket) -> tuple[bytes, list[int]]:
    data, fds = b"", []
    while True:
        chunk, got, _flags, _addr = socket.recv_fds(conn, 1 << 16, 4)
        data += chunk
        fds += got
        if not chunk:
            return data, fds


def _watch(pid: int) -> None:
    """End this process when process ``pid`` (its launcher, or the zygote's test process)
    has ended, also when it had ended before this was called."""
    try:
        fd = os.pidfd_open(pid)
    except ProcessLookupError:
        os._exit(1)
    select.select([fd], [], [])
    os._exit(1)


def _watching(pid: int) -> None:
    """:func:`_watch` of ``pid`` in a thread of its own, SIGCHLD blocked in it: the kernel
    then gives SIGCHLD to the main thread only, which blocks it from a fork to the
    registration of the child's status pipe (:func:`_fork_for`). Given to this thread,
    :func:`_reap` ran in the main thread all the same, there too, and could reap a script
    that ended at once before its pipe was registered: its launcher waited for ever."""
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
    try:
        threading.Thread(target=_watch, args=(pid,), daemon=True).start()
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _become(request: dict, fds: list[int]) -> None:
    """In the forked child: take the launcher's standard streams, folder and environment,
    Python's default signal handlers, and end when the launcher ends."""
    os.setsid()  # as jupyter_client starts a kernel: not in the test process's group
    for target, fd in enumerate(fds):
        os.dup2(fd, target)
        os.close(fd)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.chdir(request["cwd"])
    # sys.path as `python -m ipykernel_launcher` leaves it (IPython puts "" first): not
    # this script's folder (tests/), which a notebook must not import from
    here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != here]
    os.environ.clear()
    os.environ.update(request["env"])
    # the temporary folder as a fresh process finds it, from the launcher's TMPDIR (the
    # tempfile module caches the first one it finds: none of the imports asks, but a
    # fork must not inherit it if one ever does)
    if "tempfile" in sys.modules:
        sys.modules["tempfile"].tempdir = None
    threading.Thread(target=_watch, args=(request["launcher"],), daemon=True).start()


class ScriptEnded(BaseException):
    """Raised in a forked script's process once the script has run, out through
    :func:`serve` to this file's ``__main__``, which ends the process as Python ends on
    ``end`` (the script's SystemExit, or its uncaught exception), up to
    ``zygote_exit.last_atexit``."""

    def __init__(self, end: BaseException | None):
        super().__init__()
        self.end = end


def _script(request: dict, fds: list[int]) -> None:
    """In the forked child: become ``python SCRIPT ARGV`` (the script's folder first on
    ``sys.path``, as Python puts it), or ``python -m MODULE ARGV`` (a script ``-m
    MODULE``: the working folder first), and run it; raises :class:`ScriptEnded` with how
    it ended. Its exit status is the zygote's to tell the launcher (:func:`_reap`)."""
    import runpy

    backend = os.environ.get("MPLBACKEND")  # the zygote's, read when it imported matplotlib
    _become(request, fds)
    if request["env"].get("MPLBACKEND") != backend:  # (said on the launcher's stderr)
        raise ValueError(f"MPLBACKEND={request['env'].get('MPLBACKEND')!r} asked for, the "
                         f"zygote's is {backend!r}: run the script as a process of its own "
                         "(DBANALYSIS_FORK_KERNELS=0)")
    script = request["script"]
    sys.argv = [script, *request["argv"]]
    module = script[3:] if script.startswith("-m ") else ""
    sys.path.insert(0, os.getcwd() if module else os.path.dirname(script))
    try:
        if module:  # (alter_sys: sys.argv[0] the module's file, as -m sets it)
            runpy.run_module(module, run_name="__main__", alter_sys=True)
        else:
            runpy.run_path(script, run_name="__main__")
    except BaseException as end:  # (SystemExit, KeyboardInterrupt too): Python's to end on
        raise ScriptEnded(end) from None
    raise ScriptEnded(None)


def _kernel(request: dict, fds: list[int]) -> None:
    """In the forked child: become ``python -m ipykernel_launcher ARGV`` as the launcher
    would have run it."""
    _become(request, fds)
    sys.argv = [importlib.util.find_spec("ipykernel_launcher").origin, *request["argv"]]
    from ipykernel import kernelapp

    code = 0
    try:
        kernelapp.launch_new_instance()
    except SystemExit as end:
        code = end.code if isinstance(end.code, int) else 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
    os._exit(code)


#: A forked script's pid -> the write end of its launcher's status pipe (:func:`_reap`).
_STATUS: dict[int, int] = {}


def _reap(_signum: int, _frame: object) -> None:
    """Wait for every kernel and script that has ended (their CPU time is then counted in
    this process's children, and in the test process's once it waits for this one); tell
    a script's launcher its exit status, negative for a death by a signal (``-9``), as
    :class:`subprocess.Popen` reports a process of its own."""
    with contextlib.suppress(ChildProcessError):
        while True:
            pid, status = os.waitpid(-1, os.WNOHANG)
            if not pid:
                return
            told = _STATUS.pop(pid, None)
            if told is not None:
                with contextlib.suppress(OSError):  # (that launcher gone)
                    os.write(told, f"{os.waitstatus_to_exitcode(status)}\n".encode())
                os.close(told)


def serve(path: str, parent: int) -> None:
    """The zygote: import :data:`WARM` (then fork the zygote of those alone, listening at
    ``path`` + :data:`WARM_ONLY`) and :data:`READ_NOTHING`, then fork a kernel for
    each launcher that connects to the socket at ``path``; it ends with process
    ``parent`` (the test process that started it, named by it: had it ended before this
    started, ``getppid`` would name init), however that ends (kill -9 included: its
    atexit stop then never runs). A forked kernel has no such thread."""
    import zygote_exit  # (tests/, this file's folder, is first on sys.path)

    if atexit._ncallbacks():  # (last_atexit would end a script before them)
        raise RuntimeError("atexit handlers registered before the zygote's")
    atexit.register(zygote_exit.last_atexit)
    _watching(parent)
    for name in WARM:
        importlib.import_module(name)
    # what the imports made, out of the cycle collector's reach (gc.freeze, as the Python
    # documentation advises before a fork): a kernel's full collections would otherwise
    # walk these objects too, writing to the pages it shares with this process (~4,500
    # page copies a kernel); they live as long as any kernel, collected or not
    gc.collect()
    gc.freeze()
    zygote = os.getpid()
    if not os.fork():  # the zygote of :data:`WARM` alone (:data:`WARM_ONLY`), idle till
        # a script is asked of it; it ends with the zygote, or with process ``parent``
        _watching(parent)
        _watching(zygote)
        path += WARM_ONLY
    else:
        for name in READ_NOTHING:
            importlib.import_module(name)
        gc.collect()
        gc.freeze()
    server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    server.bind(path)
    server.listen(16)
    signal.signal(signal.SIGCHLD, _reap)
    while True:
        conn, _ = server.accept()
        with conn:
            try:
                _fork_for(conn, server)
            except (OSError, ValueError, EOFError) as err:  # that launcher gone, or its
                print(f"kernel_zygote: {err!r}", file=sys.stderr)  # request broken: the
                # next ones are still served


def _fork_for(conn: socket.socket, server: socket.socket) -> None:
    """Fork a kernel (or a script) for the launcher at ``conn`` and tell it the pid; a
    kernel whose launcher cannot be told is ended. A script's status pipe (the fourth of
    the launcher's file descriptors) is kept here until :func:`_reap` writes its status."""
    data, fds = _read_all(conn)
    try:
        request = marshal.loads(data)  # (tests/kernel_launcher.py: sent by this Python)
        script = bool(request.get("script"))
        if len(fds) != (4 if script else 3):
            raise ValueError(f"{len(fds)} file descriptors, not {4 if script else 3} (the "
                             "streams, and a script's status pipe)")
        sys.stdout.flush()
        sys.stderr.flush()
        # the child's status is reaped only once its pipe is registered
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGCHLD})
        try:
            pid = os.fork()
            if pid == 0:
                _child(request, fds, server)
            if script:
                _STATUS[pid] = fds.pop()
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    finally:
        for fd in fds:
            os.close(fd)
    try:
        conn.sendall(f"{pid}\n".encode())
    except OSError:
        os.kill(pid, signal.SIGKILL)
        raise


def _child(request: dict, fds: list[int], server: socket.socket) -> None:
    """In the forked child: the kernel or the script of ``request``. A kernel ends with
    ``os._exit`` (:func:`_kernel`); a script that ran raises :class:`ScriptEnded` (out to
    ``__main__``: Python's own exit); anything before it ran ends the child with status 1."""
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGCHLD})
    try:
        server.close()
        for told in _STATUS.values():  # other scripts' pipes: not this process's to hold
            os.close(told)
        _STATUS.clear()
        if request.get("script"):
            os.close(fds.pop())  # its status is told by the zygote, which waits for it
            _script(request, fds)
        _kernel(request, fds)
    except ScriptEnded:
        fds.clear()  # (dup2'ed onto the streams and closed by _become)
        raise
    except BaseException as err:
        with contextlib.suppress(OSError):
            os.write(2, f"kernel_zygote: {err!r}\n".encode())
    os._exit(1)


def script_argv(where: str, script: str, *args: str) -> list[str]:
    """The command that runs ``python SCRIPT ARGS`` in a process forked by the zygote at
    ``where`` (``PID:SOCKET``): the launcher, with the folder, environment and standard
    streams it is started with, its exit status the script's (a signal's death too). The
    environment is the script's once it runs; what Python reads at start-up from it
    (``PYTHONWARNINGS``, ``PYTHONPATH``, ``-X``/``-W`` options) is the zygote's, and its
    ``MPLBACKEND`` must be the zygote's (see this module's docstring). ``script`` may be
    ``-m MODULE``: ``python -m MODULE ARGS``."""
    if not script.startswith("-m "):
        script = os.path.abspath(script)
    return [sys.executable, "-S", LAUNCHER, "run", where, script, *args]


def session_zygote() -> str:
    """The test session's zygote (``PID:SOCKET``) once it listens, "" where there is none
    (a session that runs no notebook, or ``DBANALYSIS_FORK_KERNELS=0``). One that has
    ended, or is not listening after :data:`START_TIMEOUT` s, fails the calling test
    at once, saying so (its launchers would each wait, then say it in their stderr)."""
    where = os.environ.get(SOCKET_VAR, "")
    if not where or os.environ.get("DBANALYSIS_FORK_KERNELS", "1") == "0":
        return ""
    zygote, path = where.split(":", 1)
    deadline = time.monotonic() + START_TIMEOUT
    while not os.path.exists(path):  # (still importing, at the session's start)
        if not _alive(int(zygote)) or time.monotonic() > deadline:
            import pytest

            pytest.fail(f"the session's kernel zygote ({where}) "
                        f"{'is not listening' if _alive(int(zygote)) else 'has ended'}: "
                        "its error, if any, is at the start of the session's output")
        time.sleep(0.05)
    return where


def command(own: list[str]) -> list[str]:
    """``own``, a command of this environment's Python (``[sys.executable, SCRIPT or -m
    MODULE, ARGS...]``) or console script (``[.venv/bin/NAME, ARGS...]``), run in a fork
    of the session's zygote where there is one (:func:`script_argv`: the interpreter,
    pandas, matplotlib and the package's modules already imported, none of the package's
    code run, :data:`READ_NOTHING`; its folder, environment, streams, exit status and
    signals its own), else ``own`` as it is. For a test of what the command does, not of
    how Python starts (ask for ``own`` then)."""
    where = session_zygote()
    if not where:
        return own
    if own[0] == sys.executable:
        script, args = (f"-m {own[2]}", own[3:]) if own[1] == "-m" else (own[1], own[2:])
    else:
        script, args = own[0], own[1:]
    return script_argv(where, script, *args)


if __name__ == "__main__":  # (``serve``: the launchers are tests/kernel_launcher.py)
    try:
        serve(sys.argv[2], int(sys.argv[3]))
    except ScriptEnded as ended:  # a forked script's process: ends as Python ends on it
        import zygote_exit  # (as serve imported it)

        zygote_exit.ENDED.append(zygote_exit.status(ended.end))
        if ended.end is not None:
            raise ended.end from None
        sys.exit(0)
