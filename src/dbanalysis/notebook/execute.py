"""The one notebook executor, used by ``make notebooks`` and ``dbanalysis build``.

A notebook runs in a fresh kernel on *this* interpreter (named like the project's
kernelspec, whatever kernelspecs are installed), with its own folder as working
directory and ``MPLBACKEND=Agg``, without per-cell timestamps.

When it has run, the hash of its inputs is stamped into its metadata
(``metadata.dbanalysis.inputs_sha256``). The inputs are its code cells, every file
of the package (its build templates aside), every file under ``data/``,
``uv.lock`` and the Python version. ``--execute auto`` runs a notebook only when
that hash differs from the stamp, so an edited data file or module re-executes
every notebook, and an unchanged notebook keeps its committed outputs (which the
test suite's nbval run proves equal to a re-execution).

Command line (what ``make notebooks`` runs; writes the notebooks in place, normalised)::

    python -m dbanalysis.notebook.execute [--execute {always,auto,never}] [--jobs N] NOTEBOOK...
"""

from __future__ import annotations

import argparse
import asyncio
import atexit
import concurrent.futures as cf
import contextlib
import hashlib
import os
import platform
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ..core import paths
from ..core.atomic import SIGNAL_WAKE, deferred_signals, interruptible, result
from ..core.cache import PACKAGE_DIR, files_under
from .normalise import KERNEL_DISPLAY_NAME, KERNEL_NAME, normalise, normalised_text

MODES = ("auto", "always", "never")
CELL_TIMEOUT = 600  # seconds per cell
#: Package folders that only shape the exported HTML, not what a notebook computes.
NOT_INPUTS = ("templates",)
#: The kernel a notebook runs in: ipykernel's, without its debugger (its ``main``, which
#: :data:`KERNEL_ARGV` runs).
KERNEL_MODULE = "dbanalysis.notebook.kernel"
#: Its command (what a test's fork of the kernel zygote reproduces, declared once here).
#: ``-c``, not ``-m``: Python puts the working folder (the notebook's) first on
#: ``sys.path``, and ``-m`` would import the package's ``__init__`` modules before the
#: kernel's module could take it off (a ``types.py`` or ``__future__.py`` beside a notebook
#: is what they would get); the code takes it off first, as ipykernel_launcher does, and
#: IPython's ``init_path`` puts it back, after the standard library, for the notebook. Not
#: ``-P``: ``init_path`` then leaves it off for the notebook too.
KERNEL_ARGV = [sys.executable, "-c",
               "import sys\n"
               "if sys.path[:1] == ['']:\n    del sys.path[0]\n"
               f"from {KERNEL_MODULE} import main\nmain()",
               "-f", "{connection_file}"]
KERNEL_ENV = {
    "MPLBACKEND": "Agg",
    # debugpy, imported by a notebook (the kernel itself does not: notebook.kernel), would
    # print a frozen-modules warning to the notebook's stderr
    "PYDEVD_DISABLE_FILE_VALIDATION": "1",
}


class ExecutionError(Exception):
    """A notebook failed; ``str(err)`` names the file, the cell and the error."""


# --------------------------------------------------------------------------- inputs


def _files_hash(h: Any, label: str, root: Path, files: Sequence[Path]) -> None:
    for path in files:
        h.update(f"{label}\0{path.relative_to(root).as_posix()}\0".encode())
        h.update(path.read_bytes())
        h.update(b"\0")


def environment_hash() -> str:
    """The inputs every notebook shares: package, data/, uv.lock, Python version."""
    h = hashlib.sha256()
    _files_hash(h, "package", PACKAGE_DIR, files_under(PACKAGE_DIR, exclude=NOT_INPUTS))
    data = paths.data_dir()
    _files_hash(h, "data", data, files_under(data))
    lock = paths.REPO_ROOT / "uv.lock"
    if lock.is_file():
        _files_hash(h, "lock", lock.parent, [lock])
    h.update(f"python\0{platform.python_implementation()} {platform.python_version()}".encode())
    return h.hexdigest()


def inputs_hash(nb: Any, environment: str | None = None) -> str:
    """sha256 of the notebook's code cells and :func:`environment_hash`."""
    h = hashlib.sha256((environment or environment_hash()).encode())
    for cell in nb.cells:
        if cell.cell_type == "code":
            h.update(b"\0cell\0" + cell.source.encode())
    return h.hexdigest()


def stamped_hash(nb: Any) -> str | None:
    """The inputs hash stamped into the notebook when it was last executed, if any."""
    return nb.get("metadata", {}).get("dbanalysis", {}).get("inputs_sha256")


def is_current(nb: Any, environment: str | None = None) -> bool:
    """The notebook's outputs were made from the inputs it has now."""
    return stamped_hash(nb) == inputs_hash(nb, environment)


def needs_execution(nb: Any, mode: str, environment: str | None = None) -> bool:
    """Whether ``mode`` (auto, always, never) executes this notebook."""
    if mode not in MODES:
        raise ValueError(f"execute mode must be one of {MODES}, not {mode!r}")
    return mode == "always" or (mode == "auto" and not is_current(nb, environment))


# --------------------------------------------------------------------------- kernel


def _kernel_manager(nb_dir: Path, ipc_prefix: str, connection_file: str = "") -> Any:
    """A KernelManager that runs ipykernel on *this* interpreter, whatever kernelspecs exist,
    without its debugger (:mod:`dbanalysis.notebook.kernel`)."""
    from jupyter_client.kernelspec import KernelSpec, KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    spec = KernelSpec(
        argv=list(KERNEL_ARGV),
        display_name=KERNEL_DISPLAY_NAME,
        language="python",
        env=dict(KERNEL_ENV),
        resource_dir=str(nb_dir),
    )

    class _CurrentPythonSpecs(KernelSpecManager):
        def get_kernel_spec(self, kernel_name: str) -> KernelSpec:
            return spec

    # IPC sockets (see _ipc_prefix): local-only by construction, and ipykernel does not
    # log its "running over TCP without encryption" warning for them.
    return AsyncKernelManager(
        kernel_name=KERNEL_NAME,
        kernel_spec_manager=_CurrentPythonSpecs(),
        transport="ipc",
        ip=ipc_prefix,
        # the connection file in a folder of our own, not the home's Jupyter runtime folder
        **({"connection_file": connection_file} if connection_file else {}),
    )


def _first_line(source: str) -> str:
    for line in source.splitlines():
        if line.strip():
            line = line.strip()
            return line if len(line) <= 80 else line[:77] + "..."
    return "(empty cell)"


#: Kernel managers of the notebooks being executed, so that an interrupt can stop them.
_RUNNING: set[Any] = set()
_RUNNING_LOCK = threading.Lock()


def stop_kernels() -> int:
    """Kill the process group of every running notebook kernel; how many were running."""
    with _RUNNING_LOCK:
        running = list(_RUNNING)
    for km in running:
        provisioner = getattr(km, "provisioner", None)
        pgid = getattr(provisioner, "pgid", None)
        process = getattr(provisioner, "process", None)
        with contextlib.suppress(OSError):
            if pgid:
                os.killpg(pgid, signal.SIGKILL)
            elif process is not None:
                process.kill()
    return len(running)


def stop_all(futures: Sequence[cf.Future[Any]], stop: threading.Event,
             log: Callable[[str], None]) -> None:
    """After a Ctrl-C or SIGTERM while notebooks run in worker threads (``build`` and
    ``make notebooks``): ``stop`` set (a worker checks it before it starts a notebook and
    before it writes one), the notebooks not started cancelled, the running kernels
    stopped (again until every worker has returned: one may be starting its kernel), and
    one line logged. A notebook file is never written half: it is replaced at once or
    not at all. A second signal meanwhile does not cut this short (it is raised after)."""
    with deferred_signals():
        stop.set()
        waiting = sum(f.cancel() for f in futures)
        stopped = 0
        while not all(f.done() for f in futures):
            stopped = max(stopped, stop_kernels())
            cf.wait(futures, timeout=SIGNAL_WAKE)
        log(f"interrupted: {waiting} waiting notebook(s) cancelled, "
            f"{stopped} running kernel(s) stopped")


def _kernel_dir(workdir: Path | None) -> str:
    """A private folder for a kernel's connection file (and, off Linux, its sockets):
    inside ``workdir`` (a folder the build owns, so that nothing is left in /tmp or the
    home even after a ``kill -9``) when given, else in the temp folder."""
    return tempfile.mkdtemp(prefix="k-" if workdir else "dbanalysis-kernel-", dir=workdir)


def _ipc_prefix(folder: str) -> str:
    """Where the kernel's sockets are: on Linux in the abstract namespace (``@`` names:
    no file at all, so none is left behind, whatever the length of ``folder``), else
    files in a short folder of /tmp (a socket path has at most 107 bytes)."""
    if sys.platform.startswith("linux"):
        return f"@dbanalysis-{os.getpid()}-{os.path.basename(folder)}"
    short = folder if len(os.fsencode(folder)) <= 80 else tempfile.mkdtemp(prefix="dbk-",
                                                                          dir="/tmp")
    return os.path.join(short, "kernel")


def execute_notebook(path: Path, nb: Any | None = None, environment: str | None = None,
                     workdir: Path | None = None) -> Any:
    """Execute ``nb`` (read from ``path`` if not given) in a fresh kernel, stamp and
    normalise it.

    The kernel's connection file is in a folder removed afterwards, made inside
    ``workdir`` when given (the build's temporary output folder); its sockets have no
    file on Linux (:func:`_ipc_prefix`).

    Returns the executed notebook; the file is not written. Raises
    :class:`ExecutionError` naming the file, the cell (index and first source line)
    and the error.
    """
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError, DeadKernelError

    if nb is None:
        nb = read_notebook(path)
    current: dict[str, Any] = {}

    def on_cell_start(cell: Any, cell_index: int) -> None:
        current["index"], current["cell"] = cell_index, cell

    folder = _kernel_dir(workdir)
    ipc = _ipc_prefix(folder)
    km = _kernel_manager(path.parent, ipc, os.path.join(folder, "kernel.json"))
    with _RUNNING_LOCK:
        _RUNNING.add(km)
    client = NotebookClient(
        nb,
        km=km,
        timeout=CELL_TIMEOUT,
        kernel_name=KERNEL_NAME,
        record_timing=False,
        resources={"metadata": {"path": str(path.parent)}},
        on_cell_start=on_cell_start,
    )
    try:
        # cleanup_kc=True: stop the channels and the kernel we passed in.
        # asyncio.run: one event loop per execution, closed afterwards.
        asyncio.run(client.async_execute(cleanup_kc=True))
    except (CellExecutionError, CellTimeoutError, DeadKernelError) as exc:
        where = ""
        if "index" in current:
            where = f" cell {current['index']} ({_first_line(current['cell'].source)!r})"
        if isinstance(exc, CellExecutionError):
            what = f"{exc.ename}: {exc.evalue}"
        elif isinstance(exc, CellTimeoutError):
            what = f"timed out after {CELL_TIMEOUT} s"
        else:
            what = f"kernel died: {str(exc).splitlines()[0] if str(exc) else type(exc).__name__}"
        raise ExecutionError(f"{path.name}:{where} raised {what}") from exc
    except Exception as exc:  # kernel failed to start, etc.
        msg = str(exc).splitlines()[0] if str(exc) else ""
        raise ExecutionError(f"{path.name}: {type(exc).__name__}: {msg}") from exc
    finally:
        # nbclient registers an atexit clean-up when it starts the kernel and unregisters
        # it only once the kernel ran; a kernel stopped during its start-up (an interrupt)
        # left it registered, and at exit it failed with an AssertionError traceback
        atexit.unregister(client._cleanup_kernel)
        with _RUNNING_LOCK:
            _RUNNING.discard(km)
        shutil.rmtree(folder, ignore_errors=True)
        if not ipc.startswith(("@", folder)):
            shutil.rmtree(os.path.dirname(ipc), ignore_errors=True)
    nb.metadata.setdefault("dbanalysis", {})["inputs_sha256"] = inputs_hash(nb, environment)
    return normalise(nb)


def prepare(path: Path, nb: Any, mode: str = "auto", environment: str | None = None,
            workdir: Path | None = None) -> tuple[Any, bool]:
    """``(notebook with outputs, executed?)``: executed per ``mode``, else as committed
    (``workdir``: see :func:`execute_notebook`)."""
    if needs_execution(nb, mode, environment):
        return execute_notebook(path, nb, environment, workdir), True
    return nb, False


# --------------------------------------------------------------------------- command


def read_notebook(path: Path) -> Any:
    """The notebook at ``path`` (version 4); :class:`ExecutionError` if unreadable."""
    import nbformat

    try:
        return nbformat.read(path, as_version=4)
    except Exception as exc:
        msg = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise ExecutionError(f"{path.name}: not a readable notebook: {msg}") from exc


def write_if_changed(path: Path, text: str) -> bool:
    """Replace ``path`` atomically with ``text`` unless it already holds it."""
    if path.read_text(encoding="utf-8") == text:
        return False
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as fh:
            fh.write(text)
        shutil.copymode(path, tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def update_notebook(path: Path, mode: str = "always", environment: str | None = None,
                    stop: threading.Event | None = None) -> str:
    """Execute (per ``mode``) and normalise one notebook in place; say what was done.
    When ``stop`` is set meanwhile (an interrupt), the file is not written."""
    nb = read_notebook(path)
    nb, executed = prepare(path, nb, mode, environment)
    if stop is not None and stop.is_set():
        return "interrupted, not written"
    changed = write_if_changed(path, normalised_text(nb))
    what = "executed" if executed else ("up to date" if mode == "auto" else "not executed")
    return what + (", written" if changed else "")


def run(notebooks: Sequence[Path], mode: str = "always", jobs: int = 1,
        log: Callable[[str], None] = print) -> int:
    """Update notebooks in parallel; the number that failed. On a Ctrl-C or SIGTERM
    (:class:`~dbanalysis.core.atomic.Interrupted`), :func:`stop_all` before it is raised:
    no notebook is waited for, and each file is as it was or fully written."""
    env = environment_hash()
    failed = 0
    stop = threading.Event()

    def one(path: Path) -> str:
        t0 = time.perf_counter()
        if stop.is_set():
            return "not started"
        return f"{update_notebook(path, mode, env, stop)} ({time.perf_counter() - t0:.1f} s)"

    # not ``with``: its exit waits for the running notebooks, even on an interrupt
    pool = cf.ThreadPoolExecutor(max_workers=max(1, jobs), thread_name_prefix="nb")
    futures: dict[cf.Future[str], Path] = {}
    try:
        with deferred_signals():  # a signal while the workers start: raised once all are queued
            futures.update((pool.submit(one, Path(p)), Path(p)) for p in notebooks)
        for fut, path in futures.items():
            try:
                log(f"{path}: {result(fut)}")
            except ExecutionError as exc:
                failed += 1
                log(f"error: {exc}")
    except KeyboardInterrupt:
        stop_all(list(futures), stop, log)
        raise
    finally:
        pool.shutdown(wait=True)
    return failed


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m dbanalysis.notebook.execute``: the exit code."""
    parser = argparse.ArgumentParser(
        prog="python -m dbanalysis.notebook.execute",
        description="Execute notebooks in place (stamped with their inputs' hash) and "
                    "normalise them.",
    )
    parser.add_argument("notebooks", nargs="+", type=Path, metavar="NOTEBOOK")
    parser.add_argument("--execute", choices=MODES, default="always",
                        help="always (default), auto (only notebooks whose inputs changed), "
                             "never (normalise only)")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args(argv)
    missing = [str(p) for p in args.notebooks if not p.is_file()]
    if missing:
        print(f"error: no such notebook: {', '.join(missing)}", file=sys.stderr)
        return 2
    try:
        with interruptible(command=argv is None):  # (its end may raise an interrupt too)
            failed = run(args.notebooks, args.execute, args.jobs,
                         lambda m: print(m, file=sys.stderr, flush=True))
        return 1 if failed else 0
    except KeyboardInterrupt as exc:
        signum = getattr(exc, "signum", signal.SIGINT)
        print(f"error: interrupted by {signal.Signals(signum).name}; every notebook not "
              "finished is unchanged", file=sys.stderr)
        return 128 + signum


if __name__ == "__main__":
    sys.exit(main())
