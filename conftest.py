"""For every pytest run (tests/ and the notebooks' nbval): the Jupyter and IPython state
of this process, its kernels and every program it starts lives in a temporary folder, not
in the home (``~/.ipython/profile_default/history.sqlite``, ``~/.local/share/jupyter/
runtime``, ``~/.jupyter/migrated``, the lab's settings and workspaces, npm's logs).
The lab and browser tests go further: a fresh, empty HOME (tests/browser_helpers.py)."""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
from pathlib import Path

STATE_VARS = {
    "IPYTHONDIR": "ipython",
    "JUPYTER_CONFIG_DIR": "jupyter/config",
    "JUPYTER_DATA_DIR": "jupyter/data",
    "JUPYTER_RUNTIME_DIR": "jupyter/runtime",
    "JUPYTERLAB_SETTINGS_DIR": "jupyter/lab/user-settings",
    "JUPYTERLAB_WORKSPACES_DIR": "jupyter/lab/workspaces",
    "npm_config_cache": "npm",
}

_STATE = Path(tempfile.mkdtemp(prefix="dbanalysis-test-state-"))
atexit.register(shutil.rmtree, _STATE, ignore_errors=True)
for _var, _sub in STATE_VARS.items():
    (_STATE / _sub).mkdir(parents=True, exist_ok=True)
    os.environ[_var] = str(_STATE / _sub)


#: The stderr files of nbval's kernels (:func:`pytest_configure`), closed at exit.
_KERNEL_STDERR: list = []
atexit.register(lambda: [f.close() for f in _KERNEL_STDERR])


def pytest_configure(config) -> None:
    """nbval's kernels: one that dies before answering its first request is started once
    more (the notebook is then run and compared in full, as always), and what it wrote to
    stderr is logged (nbval sends it to /dev/null). Seen once in eight full runs, on a
    fresh clone, with nothing left to say why; a known cause is another process taking one
    of the free TCP ports jupyter_client picked for the kernel before the kernel binds it.
    Only in a run of nbval (``--nbval``/``--nbval-lax``): importing it costs every other
    pytest process (``make test-quick``'s three) a quarter of a second."""
    if not (config.getoption("nbval", False) or config.getoption("nbval_lax", False)):
        return
    try:
        import nbval.kernel
    except ImportError:  # pragma: no cover - nbval is a test dependency
        return
    if getattr(nbval.kernel.start_new_kernel, "retries_once", False):
        return
    start = nbval.kernel.start_new_kernel

    def start_new_kernel(*args, **kwargs):
        given = kwargs.pop("stderr", None)
        if given is not None:
            given.close()  # nbval's /dev/null, replaced by a file kept to read back
        err = tempfile.TemporaryFile("w+", encoding="utf-8", errors="replace")
        _KERNEL_STDERR.append(err)  # open while the kernel may write to it
        try:
            return start(*args, stderr=err, **kwargs)
        except RuntimeError as exc:
            if "died before replying" not in str(exc):
                raise
            err.seek(0)
            import logging

            logging.getLogger("nbval").warning(
                "kernel died before replying; started again. Its stderr:\n%s",
                err.read()[-4000:])
        return start(*args, stderr=err, **kwargs)

    start_new_kernel.retries_once = True  # type: ignore[attr-defined]
    nbval.kernel.start_new_kernel = start_new_kernel
