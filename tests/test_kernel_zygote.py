"""A script forked from the kernel zygote (tests/kernel_zygote.py ``script_argv``: the
hostile run of test_hostile_text.py) ends as a process of its own does (REVIEW-24A 2):
its ``atexit`` handlers run and its open files are flushed (interpreter shutdown, not
``os._exit``), its exit status is the script's, a death by a signal is reported as that
signal (``-9``, ``-2`` for an uncaught KeyboardInterrupt), not 1; and a fork asked for
another ``MPLBACKEND`` than the zygote imported matplotlib with is refused."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from kernel_zygote import START_TIMEOUT, script_argv, session_zygote

ZYGOTE = Path(__file__).with_name("kernel_zygote.py")

pytestmark = pytest.mark.slow  # (forks, and a zygote of its own where the session has none)

#: name -> (the script's body, what its own process's returncode is)
SCRIPTS = {
    "atexit": ("import atexit, pathlib, sys\n"
               "out = pathlib.Path(sys.argv[1])\n"
               "atexit.register(lambda: (out / 'atexit.txt').write_text('ran'))\n"
               "f = open(out / 'unclosed.txt', 'w')\n"
               "f.write('buffered')\n", 0),
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
                     {p.name: p.read_text() for p in out.iterdir()},
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
