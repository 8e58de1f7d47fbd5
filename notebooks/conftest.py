"""nbval settings for the notebooks.

Only the report's notebooks (``NN-<topic>.ipynb``, :func:`dbanalysis.core.paths.is_report_notebook`)
are collected: an ``Untitled.ipynb`` the lab saved or a scratch notebook beside them is
neither tested nor published.

nbval skips image/png when comparing outputs unless nbdime is used. Our plots are
deterministic (fixed dpi and size, no PNG metadata, locked library versions, the
font bundled with matplotlib), so we compare them too: a chart that changes on
re-execution fails the test just as a changed number does.
"""

from pathlib import Path

from dbanalysis.core.paths import is_report_notebook


def pytest_ignore_collect(collection_path: Path, config):
    if collection_path.suffix == ".ipynb" and not is_report_notebook(collection_path):
        return True
    return None


def pytest_collectstart(collector):
    if getattr(collector, "fspath", None) and collector.fspath.ext == ".ipynb":
        collector.skip_compare = tuple(k for k in collector.skip_compare if k != "image/png")



#: nbval's kernels (``--nbval-current-env``) forked from one warm process
#: (tests/kernel_zygote.py): ~1 s of CPU less per notebook, the same kernel code. One
#: zygote for the session, started by the process that starts the others (xdist's
#: controller, or the only one) when the session may collect notebooks; its socket's path
#: is handed to pytest-xdist's workers in their environment.
#: ``DBANALYSIS_FORK_KERNELS=0``: each kernel started as its own process.
ZYGOTE = Path(__file__).resolve().parents[1] / "tests" / "kernel_zygote.py"


def _zygote_module():
    """tests/kernel_zygote.py as a module (the one tests/ imports, if it has: its
    ``SOCKET_VAR`` and ``launcher_argv`` are declared there once)."""
    import importlib.util
    import sys

    if "kernel_zygote" not in sys.modules:
        spec = importlib.util.spec_from_file_location("kernel_zygote", ZYGOTE)
        module = importlib.util.module_from_spec(spec)
        sys.modules["kernel_zygote"] = module
        spec.loader.exec_module(module)
    return sys.modules["kernel_zygote"]


def _start_zygote() -> str:
    """Start the zygote (it imports for ~1 s, then listens: the launchers wait for it);
    ``PID:SOCKET``, or "" where a socket's path would be too long (plain kernels then).
    It ends with this process."""
    import atexit
    import os
    import shutil
    import subprocess
    import sys
    import tempfile

    folder = tempfile.mkdtemp(prefix="dbanalysis-zygote-")
    path = str(Path(folder) / "socket")
    if len(path.encode()) > 100:  # (an AF_UNIX path holds 107 bytes)
        shutil.rmtree(folder)
        return ""
    proc = subprocess.Popen([sys.executable, "-Xfrozen_modules=off", str(ZYGOTE), "serve",
                             path, str(os.getpid())],
                            stdout=subprocess.DEVNULL, start_new_session=True)

    def stop() -> None:
        proc.kill()
        proc.wait()
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(stop)
    return f"{proc.pid}:{path}"


def _may_run_notebooks(config) -> bool:
    here = Path(__file__).resolve().parent
    args = [Path(a.split("::")[0]).resolve() for a in config.args] or [here]
    return any(a == here or here in a.parents or a in here.parents for a in args)


def _log_messages_only_when_logged(config) -> None:
    """nbval writes every message a kernel sends to its debug log, as
    ``logger.debug("...%s", stream, pformat(msg))``: the message is pretty-printed
    whether or not the record is then logged (~0.3 s of CPU of the workers' a make test:
    121 cells, ~800 messages, their PNGs and tables). Here ``pformat`` does it only when
    nbval's logger takes debug records (``--log-level=DEBUG``): the same text then, and
    none made to be dropped."""
    if not (config.getoption("nbval", False) or config.getoption("nbval_lax", False)):
        return
    import logging
    import pprint

    from nbval import kernel

    def pformat(obj):
        return pprint.pformat(obj) if kernel.logger.isEnabledFor(logging.DEBUG) else ""

    kernel.pformat = pformat
    config.add_cleanup(lambda: setattr(kernel, "pformat", pprint.pformat))


def pytest_configure(config):
    import os

    _log_messages_only_when_logged(config)
    if os.environ.get("DBANALYSIS_FORK_KERNELS", "1") == "0" or config.option.collectonly \
            or not config.getoption("nbval_current_env", False):
        return
    socket_var = _zygote_module().SOCKET_VAR
    if hasattr(config, "workerinput"):  # an xdist worker: the controller's zygote
        where = os.environ.get(socket_var, "")
    else:
        where = _start_zygote() if _may_run_notebooks(config) else ""
        os.environ[socket_var] = where  # (for the workers, started after this)
        config.add_cleanup(lambda: os.environ.pop(socket_var, None))
    if not where:
        return
    from nbval import kernel

    plain = kernel.NbvalKernelspecManager.get_kernel_spec

    def get_kernel_spec(self, kernel_name):
        spec = plain(self, kernel_name)
        if kernel_name == kernel.CURRENT_ENV_KERNEL_NAME:
            spec.argv = _zygote_module().launcher_argv(where)
        return spec

    kernel.NbvalKernelspecManager.get_kernel_spec = get_kernel_spec
    # nbval as it was once this session ends (another session in this process starts
    # from it, with its own zygote)
    config.add_cleanup(lambda: setattr(kernel.NbvalKernelspecManager, "get_kernel_spec", plain))
