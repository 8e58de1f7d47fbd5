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
from kernel_zygote import START_TIMEOUT, script_argv

ZYGOTE = Path(__file__).with_name("kernel_zygote.py")

pytestmark = pytest.mark.slow  # (a zygote of its own: ~1 s of CPU of imports)

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


@pytest.fixture(scope="module")
def zygote(tmp_path_factory: pytest.TempPathFactory):
    """A zygote of this module's own (``PID:SOCKET``), ended after it."""
    folder = tmp_path_factory.mktemp("zygote")
    path = str(folder / "s")
    if len(path.encode()) > 100:
        pytest.fail(f"socket path too long for AF_UNIX: {path}")
    proc = subprocess.Popen([sys.executable, "-Xfrozen_modules=off", str(ZYGOTE), "serve",
                             path, str(os.getpid())],  # (as notebooks/conftest.py starts it)
                            stdout=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + START_TIMEOUT
    while not os.path.exists(path) and time.monotonic() < deadline and proc.poll() is None:
        time.sleep(0.05)
    yield f"{proc.pid}:{path}"
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
