"""A notebook is the same file whichever Python ran it or opened it in the lab.

A kernel reports its Python's version in ``language_info`` ("3.11.7"); the executor (nbclient)
and JupyterLab (when a kernel connects) store what the kernel reports, and the lab marks
the notebook modified unless that equals what the file holds. On Debian's Python 3.11.2
``make notebooks`` rewrote every committed notebook's ``"version": "3.11.7"`` and the lab
marked every notebook modified on open. Here, on *another* Python:

- a notebook executed as ``make notebooks`` does gets the committed notebooks'
  ``language_info`` and kernelspec (dbanalysis.notebook.normalise);
- the lab extension hands the lab's model the committed ``language_info`` when the
  kernel reports that Python's (templates/labextension, run in Node.js with a stand-in
  for the lab's application and notebook model; the lab itself, with a kernel on another
  Python, is tests/test_lab.py's open-and-save test run on that Python).

The other Python (:func:`other_python`) is a real second interpreter where the machine has
one that runs this environment's packages (the same ``major.minor``: Debian's
``/usr/bin/python3`` beside a pyenv Python, or the reverse). Where there is none (CI's
environment built on the only Python there is), it is this interpreter started with the
version it reports changed (a ``sitecustomize`` that sets ``sys.version``, which is all a
kernel reads to report it): the check still runs, and fails on a normaliser or lab
extension that stores the version.
"""

from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import nbformat
import pytest
from nbformat import v4
from site_helpers import write_notebook

import dbanalysis
from dbanalysis.core.paths import report_notebooks
from dbanalysis.notebook import lab
from dbanalysis.notebook.normalise import KERNELSPEC, language_info

REPO = Path(__file__).resolve().parents[1]
#: Interpreters tried as the other Python, besides ``python3.X`` on PATH.
CANDIDATES = ("/usr/bin/python3", "/usr/local/bin/python3", "python3")
#: The other Python's own executable (not a launcher such as pyenv's shims) and what its
#: kernel reports (its ``language_info``), printed as JSON.
REPORTED = ("import json, sys; from ipykernel.ipkernel import IPythonKernel; "
            "print(json.dumps([sys.executable, IPythonKernel.language_info]))")
VERSION_CELL = ("import platform, sys\nprint(platform.python_version(), sys.executable, "
                "bool(sys.modules.get('debugpy')))\n"
                "import debugpy  # a notebook's own import still works")
HARNESS = r"""
// Loads the lab extension as JupyterLab does (window._JUPYTERLAB[name].get('./extension'))
// with the page's config, activates its plugins with a stand-in for the lab's application,
// makes each widget extension it adds for notebooks on a stand-in model, then sets that
// model's metadata as the lab's notebook panel does when a kernel connects
// (NotebookPanel._updateLanguage, _updateSpec). Prints what reached the model.
const fs = require("fs"), vm = require("vm");
const given = JSON.parse(fs.readFileSync(0, "utf8"));
const document = {
  getElementById: (id) => id === "jupyter-config-data"
    ? {textContent: JSON.stringify(given.pageConfig)} : null,
  addEventListener: () => {},
};
const window = {};
vm.runInNewContext(fs.readFileSync(given.entry, "utf8"),
                   {window, document, URL, console, location: {href: "http://127.0.0.1/lab"}});
(async () => {
  const container = window._JUPYTERLAB["dbanalysis-lab"];
  await container.init({});
  const plugins = (await container.get("./extension"))().default;
  const extensions = [];
  const app = {
    docRegistry: {addWidgetExtension: (name, ext) => extensions.push([name, ext])},
    shell: {widgets: () => []}, commands: {hasCommand: () => false},
  };
  plugins.forEach((plugin) => plugin.activate(app));
  const calls = [];
  const model = {
    setMetadata: (key, value) => calls.push([key, value === undefined ? null : value]),
  };
  extensions.filter(([name]) => name === "Notebook")
    .forEach(([, ext]) => ext.createNew({model}, {model}));
  model.setMetadata("language_info", given.reported);
  model.setMetadata("kernelspec", given.kernelspec);
  model.setMetadata("language_info", undefined);
  console.log(JSON.stringify({plugins: plugins.map((p) => p.id),
                              extensions: extensions.map(([name]) => name), calls}));
})().catch((err) => { console.error(err); process.exit(1); });
"""


def committed_metadata() -> list[dict[str, Any]]:
    return [json.loads(p.read_text("utf-8"))["metadata"]
            for p in report_notebooks(REPO / "notebooks")]


def _env(pythonpath: list[str]) -> dict[str, str]:
    # no bytecode written: the other Python would write its own beside this
    # environment's modules, outside the test's folders
    return {**os.environ, "PYTHONPATH": os.pathsep.join(pythonpath),
            "PYTHONDONTWRITEBYTECODE": "1"}


def _reported(python: str, env: dict[str, str]) -> tuple[str, dict[str, Any]] | None:
    """The executable of ``python`` and the ``language_info`` a kernel on it (with ``env``)
    reports; None where that Python cannot import this environment's packages."""
    done = subprocess.run([python, "-s", "-c", REPORTED], env=env, capture_output=True,
                          text=True, timeout=120)
    if done.returncode:
        return None
    executable, reported = json.loads(done.stdout)
    return executable, reported


@pytest.fixture(scope="module")
def other_python(tmp_path_factory) -> SimpleNamespace:
    """A Python whose version is not this one's, running this environment's packages:
    ``python`` (its command), ``env`` (for it and the kernels it starts), ``reported``
    (its kernel's ``language_info``)."""
    ours = platform.python_version()
    here = [str(Path(dbanalysis.__file__).parents[1]),  # src/ (the editable install's path)
            *dict.fromkeys([sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]])]
    names = [*CANDIDATES, f"python{sys.version_info[0]}.{sys.version_info[1]}"]
    seen: set[str] = set()
    for name in names:
        found = shutil.which(name)
        if not found or os.path.realpath(found) in seen:
            continue
        seen.add(os.path.realpath(found))
        env = _env(here)
        probe = _reported(found, env)
        # (the same major.minor: this environment's packages are built for it)
        if probe is not None and probe[1]["version"] != ours and \
                probe[1]["version"].split(".")[:2] == ours.split(".")[:2]:
            return SimpleNamespace(python=probe[0], env=env, reported=probe[1])
    # none: this interpreter, reporting another version
    site = tmp_path_factory.mktemp("other-python")
    major, minor, _micro = ours.split(".")
    version = f"{major}.{minor}.99"
    (site / "sitecustomize.py").write_text(
        f"import sys\nsys.version = {version!r} + sys.version[len(sys.version.split()[0]):]\n",
        encoding="utf-8")
    env = _env([str(site), here[0]])  # (the package this test imports, as above)
    probe = _reported(sys.executable, env)
    assert probe is not None and probe[1]["version"] != ours, probe
    return SimpleNamespace(python=sys.executable, env=env, reported=probe[1])


@pytest.mark.slow
def test_a_notebook_executed_on_another_python_is_written_as_committed(other_python, tmp_path):
    """``make notebooks`` on another Python: a fresh kernel on it (what the notebook prints),
    without ipykernel's debugger (dbanalysis.notebook.kernel: debugpy not imported, and
    still importable by the notebook), started on the libraries' modules, not on a file of
    the notebook's folder, which the notebook imports from, and
    the metadata every committed notebook has, the stamp aside."""
    nb_path = write_notebook(tmp_path / "01-where.ipynb", [
        v4.new_markdown_cell("# Where\n\nthe Python that ran it"), v4.new_code_cell(VERSION_CELL)])
    # files in the notebook's folder named as modules the kernel imports as it starts
    # (__future__: the package's modules, before the kernel's own runs; uuid:
    # jupyter_client's; not re or typing, which Debian's Python has frozen): the kernel
    # starts on the library's (the folder is off sys.path until the kernel puts it back,
    # after the standard library, as with ipykernel_launcher); and the notebook imports a
    # module of its folder
    for name in ("__future__", "uuid"):
        (tmp_path / f"{name}.py").write_text(
            f"raise ImportError('the notebook folder shadowed {name}')\n")
    (tmp_path / "beside.py").write_text("WHERE = 'beside the notebook'\n")
    nb = nbformat.read(nb_path, as_version=4)
    nb.cells.append(v4.new_code_cell("import beside\nprint(beside.WHERE)"))
    nbformat.write(nb, nb_path)
    done = subprocess.run(
        [other_python.python, "-s", "-m", "dbanalysis.notebook.execute", "--execute", "always",
         str(nb_path)], env=other_python.env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    nb = nbformat.read(nb_path, as_version=4)
    printed = "".join(o.get("text", "") for o in nb.cells[1].outputs).split()
    assert printed[0] == other_python.reported["version"] != platform.python_version()
    assert os.path.realpath(printed[1]) == os.path.realpath(other_python.python)
    assert printed[2] == "False", "the kernel imported debugpy"
    assert "".join(o.get("text", "") for o in nb.cells[2].outputs) == "beside the notebook\n"
    meta = dict(nb.metadata)
    assert set(meta.pop("dbanalysis")) == {"inputs_sha256"}
    for committed in committed_metadata():
        committed.pop("dbanalysis")
        assert meta == committed, "the notebook's metadata depends on the Python that ran it"
    assert meta == {"kernelspec": KERNELSPEC, "language_info": language_info()}


def run_harness(page_config: dict[str, Any], reported: dict[str, Any]) -> tuple[dict, str]:
    """:data:`HARNESS` run in playwright's Node.js: what reached the model, and stderr."""
    from playwright._impl._driver import compute_driver_executable

    given = {"entry": str(lab.LAB_EXTENSION / "static" / "remoteEntry.js"),
             "pageConfig": page_config, "reported": reported, "kernelspec": KERNELSPEC}
    done = subprocess.run([compute_driver_executable()[0], "-e", HARNESS],
                          input=json.dumps(given), capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout), done.stderr


def test_without_the_server_extension_the_lab_extension_says_why_notebooks_change():
    """A lab with the lab extension but not the server extension (``jupyter server extension
    disable dbanalysis.notebook.lab``) has no keys to leave out: the lab then stores the
    kernel's version and marks every notebook modified on open; the extension says so in
    the browser's console, naming the server extension, instead of doing nothing silently."""
    seen, stderr = run_harness({}, {**language_info(), "version": "3.11.7"})
    assert seen["extensions"] == [] and seen["calls"][0][1]["version"] == "3.11.7"
    assert "dbanalysis.notebook.lab" in stderr and "modified" in stderr


def test_the_lab_stores_the_language_info_of_a_kernel_on_another_python_as_committed(
        other_python):
    """What the lab extension hands the lab's notebook model, in the page config the lab's
    server extension makes: the committed ``language_info`` (so the lab, which marks a
    notebook modified when the value it sets differs from the file's, does not); the
    kernelspec and a removal as the lab sets them."""
    settings: dict[str, Any] = {}
    lab._load_jupyter_server_extension(SimpleNamespace(web_app=SimpleNamespace(settings=settings)))
    seen, _ = run_harness(settings.get("page_config_data", {}), other_python.reported)
    assert "dbanalysis-lab:language-info" in seen["plugins"]
    assert seen["extensions"] == ["Notebook"]
    stored = {m["language_info"] == language_info() for m in committed_metadata()}
    assert seen["calls"] == [["language_info", language_info()], ["kernelspec", KERNELSPEC],
                             ["language_info", None]] and stored == {True}
    assert set(other_python.reported) - set(language_info()) == {"version"}
