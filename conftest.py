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
