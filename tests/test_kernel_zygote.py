"""A script forked from the kernel zygote (tests/kernel_zygote.py ``script_argv``: the
hostile run of test_hostile_text.py) ends as a process of its own does (REVIEW-24A 2):
its threads are waited for, its ``atexit`` handlers run, its standard streams and the
files it left open are flushed and closed (those its module-level names held, those
only an ``atexit`` handler held, a gzip file's wrapper before its file), its exit status
is the script's (120 when its output cannot be flushed), a death by a signal is reported
as that signal (``-9``, ``-2`` for an uncaught KeyboardInterrupt), not 1; and a fork
asked for another ``MPLBACKEND`` than the zygote imported matplotlib with is refused."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kernel_zygote import START_TIMEOUT, WARM_ONLY, script_argv, session_zygote

ZYGOTE = Path(__file__).with_name("kernel_zygote.py")

pytestmark = pytest.mark.slow  # (forks, and a zygote of its own where the session has none)

#: name -> (the script's body, what its own process's returncode is)
SCRIPTS = {
    "atexit": ("import atexit, builtins, gzip, pathlib, sys, threading, time\n"
               "out = pathlib.Path(sys.argv[1])\n"
               "atexit.register(lambda: (out / 'atexit.txt').write_text('ran'))\n"
               "f = open(out / 'unclosed.txt', 'w')\n"  # (held by the handler only)
               "f.write('buffered')\n"
               "builtins.kept = open(out / 'kept.txt', 'w')\n"  # (held to the end)
               "builtins.kept.write('kept')\n"
               "builtins.gz = gzip.GzipFile(out / 'a.gz', 'wb', mtime=0)\n"
               "builtins.gz.write(b'zipped' * 100)\n"
               "threading.Thread(target=lambda: (time.sleep(0.3),\n"
               "                 (out / 'thread.txt').write_text('ran'))).start()\n"
               "print('buffered', end='')\n", 0),
    "stdout_lost": ("import os, sys\n"  # (buffered whatever PYTHONUNBUFFERED says)
                    "sys.stdout = open(os.dup(1), 'w', buffering=4096)\n"
                    "print('lost')\nos.close(sys.stdout.fileno())\n", 120),
    "exit_3": ("import sys\nsys.exit(3)\n", 3),
    "exit_message": ("import sys\nsys.exit('bye')\n", 1),
    "raises": ("raise ValueError('hostile')\n", 1),
    "interrupted": ("raise KeyboardInterrupt\n", -signal.SIGINT),
    "killed": ("import os, signal\nos.kill(os.getpid(), signal.SIGKILL)\n", -signal.SIGKILL),
}


def wait_for_socket(proc: subprocess.Popen, path: str, stderr: Path) -> None:
    """Until the zygote ``proc`` listens at ``path``; fails at once, with what it wrote
    to stderr, if it ends first, and after :data:`START_TIMEOUT` s if it never listens
    (its launchers would otherwise each wait that long, test after test)."""
    deadline = time.monotonic() + START_TIMEOUT
    while not os.path.exists(path):
        if proc.poll() is not None:
            pytest.fail(f"the zygote ended (status {proc.returncode}) before it listened: "
                        f"{stderr.read_text(errors='replace')[-2000:]}")
        if time.monotonic() > deadline:
            proc.kill()
            proc.wait()
            pytest.fail(f"the zygote was not listening at {path} after {START_TIMEOUT} s: "
                        f"{stderr.read_text(errors='replace')[-2000:]}")
        time.sleep(0.05)


@pytest.fixture(scope="module")
def zygote(tmp_path_factory: pytest.TempPathFactory):
    """A zygote (``PID:SOCKET``) as notebooks/conftest.py starts it: the session's where
    there is one (what is under test is its forks, which share nothing: a zygote of the
    module's own cost ~1 s of CPU of imports), else one of this module's own, ended
    after it. Either way the tests start only once it listens, or fail at once."""
    where = session_zygote()
    if where:
        yield where
        return
    folder = tmp_path_factory.mktemp("zygote")
    path = str(folder / "s")
    if len(path.encode()) > 100:
        pytest.fail(f"socket path too long for AF_UNIX: {path}")
    with (folder / "stderr.txt").open("w", encoding="utf-8") as err:
        proc = subprocess.Popen([sys.executable, "-Xfrozen_modules=off", str(ZYGOTE), "serve",
                                 path, str(os.getpid())],  # (as notebooks/conftest.py does)
                                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    try:
        wait_for_socket(proc, path, folder / "stderr.txt")
        yield f"{proc.pid}:{path}"
    finally:
        proc.kill()
        proc.wait()


def _run(command: list[str], out: Path, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, capture_output=True, text=True, timeout=60,
                          env={**os.environ, **env}, cwd=out)


@pytest.mark.parametrize("name", sorted(SCRIPTS))
def test_a_forked_script_ends_as_a_process_of_its_own(zygote, tmp_path, name):
    body, code = SCRIPTS[name]
    script = tmp_path / f"{name}.py"
    script.write_text(body, encoding="utf-8")
    ends = {}
    for how, command in (("own", [sys.executable, str(script)]),
                         ("forked", script_argv(zygote, str(script)))):
        out = tmp_path / how
        out.mkdir()
        done = _run([*command, str(out)], out)
        ends[how] = (done.returncode, sorted(p.name for p in out.iterdir()),
                     {p.name: p.read_bytes() for p in out.iterdir()}, done.stdout,
                     done.stderr.strip().splitlines()[-1:])
    assert ends["own"][0] == code, ends  # (the script, as Python runs it)
    assert ends["forked"] == ends["own"]


def test_a_fork_with_another_matplotlib_backend_is_refused(zygote, tmp_path):
    """matplotlib was imported in the zygote: a fork cannot take another MPLBACKEND."""
    script = tmp_path / "plot.py"
    script.write_text("print('ran')\n", encoding="utf-8")
    theirs = os.environ.get("MPLBACKEND", "")
    done = _run(script_argv(zygote, str(script)), tmp_path,
                MPLBACKEND="svg" if theirs != "svg" else "pdf")
    assert done.returncode == 1 and "ran" not in done.stdout, done
    assert "MPLBACKEND" in done.stderr and "DBANALYSIS_FORK_KERNELS=0" in done.stderr, done
    same = _run(script_argv(zygote, str(script)), tmp_path)
    assert (same.returncode, same.stdout) == (0, "ran\n"), same


def test_a_forked_module_runs_as_python_m_does_with_the_launchers_temp_folder(zygote,
                                                                                 tmp_path):
    """``-m MODULE`` (:func:`kernel_zygote.command`'s ``python -m``): the module run as
    ``__main__`` with its file as ``sys.argv[0]``, the working folder first on
    ``sys.path``; and the temporary folder is the launcher's ``TMPDIR``, as a process of
    its own finds it (not one the zygote found). Each as its own process does."""
    (tmp_path / "probe.py").write_text(
        "import os, sys, tempfile\n"
        "print(__name__, os.path.basename(sys.argv[0]), sys.argv[1:],\n"
        "      sys.path[0] == os.getcwd(), tempfile.gettempdir())\n"
        "sys.exit(3)\n", encoding="utf-8")
    (tmp_path / "tmp").mkdir()
    ends = {}
    for how, command in (("own", [sys.executable, "-m", "probe", "a", "b"]),
                         ("forked", script_argv(zygote, "-m probe", "a", "b"))):
        done = _run(command, tmp_path, TMPDIR=str(tmp_path / "tmp"))
        ends[how] = (done.returncode, done.stdout, done.stderr)
    assert ends["own"] == (3, f"__main__ probe.py ['a', 'b'] True {tmp_path / 'tmp'}\n", ""), \
        ends
    assert ends["forked"] == ends["own"]


#: What the imports of :data:`kernel_zygote.READ_NOTHING` may read of the environment:
#: babel's default locale (``babel.numbers.LC_NUMERIC`` and the like) and time zone
#: (``babel.dates.LOCALTZ``, found through pytz's data), read as babel is imported and
#: never used by the package, which names the locale of every number it formats (``vi``
#: or ``en``) and formats no date.
BABEL_DEFAULTS = {"LANGUAGE", "LC_ALL", "LC_CTYPE", "LANG", "LC_NUMERIC", "LC_MONETARY",
                  "LC_TIME", "TZ", "PYTZ_TZDATADIR", "PYTZ_SKIPEXISTSCHECK"}

#: Run as ``python PROBE.py TESTS_FOLDER`` forked by the zygote's fork made before it
#: imported :data:`kernel_zygote.READ_NOTHING` (:data:`kernel_zygote.WARM_ONLY`), or in a
#: fresh interpreter: the zygote's imports, :data:`kernel_zygote.READ_NOTHING` last,
#: recording what those read and change (and which of them were imported already); prints
#: it as JSON.
PROBE = r'''
import atexit, copy, decimal, functools, importlib, json, locale, logging, os, re, signal
import sys, threading, warnings, weakref
sys.path.insert(0, sys.argv[1])
import kernel_zygote
for name in kernel_zygote.WARM:
    importlib.import_module(name)
import matplotlib, numpy, pandas
already = sorted(name for name in kernel_zygote.READ_NOTHING if name in sys.modules)
def state():
    return (list(warnings.filters), dict(matplotlib.rcParams),
            copy.deepcopy(pandas._config.config._global_config), numpy.geterr(),
            numpy.get_printoptions(), locale.setlocale(locale.LC_ALL), str(decimal.getcontext()),
            # (six, which nbformat's jsonschema imports, adds its finder of six.moves: the
            # same a fork's import of six adds, which finds only six's own names)
            list(sys.path), [f for f in sys.meta_path if type(f).__module__ != "six"],
            list(sys.path_hooks), dict(os.environ),
            [signal.getsignal(s) for s in signal.valid_signals() if s not in (9, 19)],
            sys.excepthook, sys.displayhook, list(logging.getLogger().handlers),
            atexit._ncallbacks(), sorted(t.name for t in threading.enumerate()))
read, opened, listed, cwd = set(), set(), set(), []
real = os.environ
class Recorded(type(real)):
    def __getitem__(self, key):
        read.add(key)
        return super().__getitem__(key)
    def __iter__(self):
        read.add("*every variable*")
        return super().__iter__()
def audit(event, args):
    if event == "open" and isinstance(args[0], str):
        opened.add(os.path.realpath(args[0]))
    elif event in ("os.listdir", "os.scandir") and args and args[0]:
        listed.add(os.path.realpath(os.fsdecode(args[0])))
getcwd = os.getcwd
before = state()
os.environ = Recorded(real._data, real.encodekey, real.decodekey, real.encodevalue,
                      real.decodevalue)
os.getcwd = lambda: cwd.append(1) or getcwd()
sys.addaudithook(audit)
for name in kernel_zygote.READ_NOTHING:
    importlib.import_module(name)
os.environ, os.getcwd = real, getcwd
changed = [i for i, (a, b) in enumerate(zip(before, state())) if a != b]
from dbanalysis.core import cache
filled = []
for name, module in list(sys.modules.items()):
    if name.split(".")[0] != "dbanalysis":
        continue
    for attr, value in vars(module).items():
        if isinstance(value, cache.Memo) and (value.results or value._names) or (
                hasattr(value, "cache_info") and value.cache_info().currsize) or (
                isinstance(value, (weakref.WeakKeyDictionary, weakref.WeakValueDictionary))
                and len(value)):
            filled.append(f"{name}.{attr}")
filled += [f"dbanalysis.core.cache.{n}" for n in ("_memory", "_HASHES") if getattr(cache, n)]
code = (".py", ".pyc", ".so")
print(json.dumps({"already": already, "read": sorted(read), "cwd": len(cwd),
                  "changed": changed, "filled": filled,
                  "opened": sorted(p for p in opened if not p.endswith(code)),
                  "listed": sorted(listed),
                  "modules": sorted(m for m in sys.modules if m.split(".")[0] == "dbanalysis")}))
'''


def test_the_imports_a_fork_inherits_read_nothing_of_its_own(zygote, tmp_path):
    """What the zygote imports last (:data:`kernel_zygote.READ_NOTHING`: nbformat,
    nbclient, the package's modules a notebook imports), imported by a script forked from
    the zygote as it was before it imported them (:data:`kernel_zygote.WARM_ONLY`: none of
    them imported yet, checked), whose data folder, cache, home and working folder are its
    own (a fresh interpreter that imported :data:`kernel_zygote.WARM` first cost ~1 s of
    CPU more): no environment variable
    read but babel's defaults (:data:`BABEL_DEFAULTS`, never used), not the working folder,
    no file opened or folder listed but the libraries' own (the environment's, Python's),
    none of the data, the home, the working folder; no option, warnings filter, locale,
    signal handler, hook, atexit handler or thread changed; every cache of the package
    still empty; and no module the package runs with ``python -m`` imported (runpy would
    warn). A package module whose top level read ``DBANALYSIS_DATA`` would make a fork
    read the zygote's: this fails then."""
    tests = Path(__file__).parent
    here = {name: tmp_path / name for name in ("data", "cache", "home", "cwd")}
    for folder in here.values():
        folder.mkdir()
    env = {**os.environ, "DBANALYSIS_DATA": str(here["data"]),
           "DBANALYSIS_CACHE": str(here["cache"]), "HOME": str(here["home"])}
    (tmp_path / "probe.py").write_text(PROBE, encoding="utf-8")
    done = subprocess.run(script_argv(zygote + WARM_ONLY, str(tmp_path / "probe.py"),
                                      str(tests)),
                          capture_output=True, text=True, timeout=120, env=env, cwd=here["cwd"])
    assert done.returncode == 0, done.stderr
    seen = json.loads(done.stdout)
    assert seen["already"] == []  # (else what their imports read was read before)
    assert set(seen["read"]) <= BABEL_DEFAULTS, seen["read"]
    assert seen["cwd"] == 0
    assert seen["changed"] == [], "global state changed (PROBE's state() items)"
    assert seen["filled"] == []
    libraries = (os.path.realpath(sys.prefix), os.path.realpath(sys.base_prefix))
    assert [p for p in seen["opened"] if not p.startswith(libraries)] == []
    own = [os.path.realpath(f) for f in (*here.values(), tests.parent / "data")]
    assert [p for p in seen["listed"]
            if p in own or p.startswith(tuple(f + os.sep for f in own))] == []
    src = tests.parent.resolve() / "src"
    run_with_m = {
        ".".join(path.relative_to(src).with_suffix("").parts)
        for path in Path(src).rglob("*.py")
        if 'if __name__ == "__main__"' in path.read_text(encoding="utf-8")}
    assert run_with_m and not run_with_m & set(seen["modules"]), run_with_m
    assert "dbanalysis.plotting.style" in seen["modules"]  # (what a notebook imports)


def test_a_fork_reads_its_own_data_cache_home_and_folder(zygote, tmp_path):
    """The package imported in the zygote (:data:`kernel_zygote.READ_NOTHING`), a forked
    script still finds the data folder, the cache, the home and the working folder of its
    own environment, as a process of its own does."""
    (tmp_path / "probe.py").write_text(
        "import os, pathlib, sys\n"
        "from dbanalysis.core import cache, paths\n"
        "print(paths.data_dir(), cache.cache_dir(), pathlib.Path.home(), os.getcwd(),\n"
        "      'dbanalysis.plotting.style' in sys.modules)\n", encoding="utf-8")
    env = {"DBANALYSIS_DATA": str(tmp_path / "data"), "DBANALYSIS_CACHE": str(tmp_path / "c"),
           "HOME": str(tmp_path / "home")}
    ends = {}
    for how, command in (("own", [sys.executable, str(tmp_path / "probe.py")]),
                         ("forked", script_argv(zygote, str(tmp_path / "probe.py")))):
        done = _run(command, tmp_path, **env)
        ends[how] = (done.returncode, done.stdout.split())
    assert ends["own"] == (0, [*env.values(), str(tmp_path), "False"]), ends
    assert ends["forked"] == (0, [*env.values(), str(tmp_path), "True"]), ends


def test_a_script_that_ends_before_its_launcher_looks_still_ends_with_its_status(zygote,
                                                                               tmp_path):
    """A script can end, and be reaped by the zygote, before its launcher could open a
    pidfd of it: the launcher then said 1 (a CI run at 21:10 on 2026-12-07, a script that
    ended 0). Its status is the one the zygote writes once it has reaped it: forced here,
    the launcher finds no process of that pid at all."""
    script = tmp_path / "quick.py"
    script.write_text("import sys\nsys.exit(3)\n", encoding="utf-8")
    code = (f"import os, sys\nsys.path.insert(0, {str(Path(__file__).parent)!r})\n"
            "import kernel_launcher\n"
            "def gone(pid):\n    raise ProcessLookupError(pid)\n"
            "os.pidfd_open = gone\n"
            f"sys.exit(kernel_launcher.launch({zygote!r}, [], script={str(script)!r}))\n")
    done = _run([sys.executable, "-S", "-c", code], tmp_path)
    assert done.returncode == 3, done.stderr
