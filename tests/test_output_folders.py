"""``--out`` never destroys a folder that dbanalysis did not write.

The commands run inside a temporary copy that holds a ``.git`` folder, the user's
files, notebooks and data, through the command's entry point in this process
(``cli.main``: same folder, environment and exit status; a refusal is the same code path
whichever command meets it, :func:`dbanalysis.core.atomic.check_target`). The commands
as processes, their console script's exit status and stderr, are run by
tests/test_cli.py (``build``, ``check``) and tests/test_check_gate.py (``export``, exit 2).
What a damaged output folder must make the tool refuse is in tests/test_output_paths.py;
interrupts are in tests/test_interrupts.py.
"""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from nbformat import v4
from site_helpers import make_fixture_notebooks, write_notebook

from dbanalysis.cli import main as cli
from dbanalysis.core import atomic, paths
from dbanalysis.core.atomic import MARKER, OutputError, OutputRefused, atomic_dir, check_target

Owned = dict[str, tuple[int, int]] | None

#: A test that runs a subprocess, a kernel, or writes a whole export or site is in the slow
#: tier; the refusals and atomic_dir's rules run in this process in ms and stay in test-quick.
SLOW = pytest.mark.slow


def snapshot(root: Path) -> dict[str, str]:
    """Every file and folder under ``root`` with a hash of its bytes."""
    out = {}
    for p in sorted(root.rglob("*")):
        rel = p.relative_to(root).as_posix()
        out[rel] = hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else "dir"
    return out


def make_clone(root: Path) -> Path:
    """A throw-away 'clone' in ``root``: .git, a user's files, notebooks with a draft,
    data, a home."""
    repo = root / "clone"
    (repo / ".git").mkdir(parents=True)
    (repo / ".git" / "HEAD").write_text("ref: refs/heads/main\n")
    (repo / "thesis.docx").write_bytes(b"user's thesis")
    make_fixture_notebooks(repo / "notebooks")
    write_notebook(repo / "notebooks" / "99-draft.ipynb", [v4.new_markdown_cell("# Draft")])
    (repo / "notes").mkdir()
    (repo / "notes" / "thesis.docx").write_bytes(b"another user's file")
    shutil.copytree(paths.data_dir(), repo / "data")
    (root / "home").mkdir()
    (root / "home" / "diary.txt").write_text("private")
    return repo


@pytest.fixture
def clone(tmp_path: Path) -> Path:
    """A clone of the test's own (a test that writes into it)."""
    return make_clone(tmp_path / "work")


@pytest.fixture(scope="module")
def pristine_clone(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """One clone for the module's refusals and its snapshot as made: each refusal finds
    it as made and leaves it so (a clone per test cost ~30 ms of CPU each)."""
    repo = make_clone(tmp_path_factory.mktemp("work"))
    return repo, snapshot(repo.parent)


def run_here(clone: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``dbanalysis ARGS`` in the clone, as its user, through ``cli.main`` in this process
    (the clone as working folder, its data and home; stdout and stderr captured)."""
    import contextlib
    import io

    out, err = io.StringIO(), io.StringIO()
    with pytest.MonkeyPatch.context() as mp:
        mp.chdir(clone)
        mp.setenv("DBANALYSIS_DATA", str(clone / "data"))
        mp.setenv("HOME", str(clone.parent / "home"))
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = cli.main(list(args))
            except SystemExit as exc:  # argparse
                code = exc.code if isinstance(exc.code, int) else 1
    return subprocess.CompletedProcess(["dbanalysis", *args], code, out.getvalue(),
                                       err.getvalue())


@pytest.mark.parametrize(
    ("command", "out", "why"),
    [
        ("build", ".", "it is the current folder"),
        ("build", "", "empty output path ''"),
        ("build", "..", "the current folder"),
        ("build", "notebooks", "it is the folder of the input notebooks"),
        ("build", "data", "it is the input data folder"),
        ("build", "notes", "it holds files that dbanalysis did not write"),
        ("build", "../home", "it is the home folder"),
        ("export", ".", "it is the current folder"),
        ("export", "data", "it is the input data folder"),
        ("export", "notes", "it holds files that dbanalysis did not write"),
    ],
)
def test_refuses_folders_it_did_not_write(pristine_clone: tuple[Path, dict[str, str]],
                                          command: str, out: str, why: str) -> None:
    clone, pristine = pristine_clone
    assert snapshot(clone.parent) == pristine  # as made: no earlier test changed it
    args = [command, "--out", out]
    if command == "build":
        args += ["--execute", "never"]
    res = run_here(clone, *args)
    assert res.returncode == 2, res.stderr
    assert f"dbanalysis {command}: error: refusing to" in res.stderr
    assert why in res.stderr
    # in-process an uncaught exception fails the test itself: this guards only against a
    # handler that prints a traceback (the console script's: tests/test_bad_inputs.py)
    assert "Traceback" not in res.stderr
    assert snapshot(clone.parent) == pristine  # nothing deleted, nothing written


@SLOW
def test_rebuilding_a_folder_it_wrote_works_and_user_files_stop_it(clone: Path) -> None:
    for _ in range(2):
        res = run_here(clone, "build", "--execute", "never", "--out", "site")
        assert res.returncode == 0, res.stderr
    site = clone / "site"
    assert (site / MARKER).is_file() and (site / "index.html").is_file()
    (site / "my-notes.txt").write_text("mine")
    before = snapshot(clone.parent)
    res = run_here(clone, "build", "--execute", "never", "--out", "site")
    assert res.returncode == 2
    assert "my-notes.txt" in res.stderr
    assert snapshot(clone.parent) == before
    # (export writing, then replacing, its own output, with nothing left beside it:
    # tests/test_output_paths.py::test_export_writes_to_any_name_the_os_accepts)
    assert sorted(p.name for p in clone.iterdir() if p.name.startswith(".")) == [".git"]


@pytest.mark.parametrize("out", ["/", str(Path.home()), str(paths.REPO_ROOT),
                                 str(paths.REPO_ROOT / "notebooks"), str(paths.data_dir())])
def test_protected_folders_are_refused_in_process(out: str) -> None:
    with pytest.raises(OutputRefused, match="refusing to replace"):
        check_target(out)


def test_a_symlink_and_a_file_are_refused(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(OutputRefused, match="symbolic link"):
        check_target(tmp_path / "link")
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputRefused, match="not a folder"):
        check_target(tmp_path / "file")
    with pytest.raises(OutputError, match="not a folder"):
        with atomic_dir(tmp_path / "file" / "out"):
            pass  # pragma: no cover


def test_concurrent_replacement_is_serialised(tmp_path: Path) -> None:
    target = tmp_path / "out"
    errors: list[BaseException] = []

    def worker(k: int) -> None:
        try:
            for i in range(5):
                with atomic_dir(target, "export") as tmp:
                    (tmp / "data.txt").write_text(f"{k}-{i}")
                    time.sleep(0.01)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [threading.Thread(target=worker, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no .tmp-/.old- folder
    assert sorted(p.name for p in target.iterdir()) == [MARKER, "data.txt"]


def _half_swapped(target: Path, then_new: bool) -> Callable[[Path], Owned]:
    """A stand-in for ``owned_files`` that does what a concurrent run's swap does while
    this one reads ``target``: the first rename (target away), and with ``then_new`` the
    second (a new folder of the tool's in its place), then reads the marker as usual."""
    real = atomic.owned_files
    calls: list[int] = []

    def owned(folder: Path) -> Owned:
        if not calls:
            target.rename(target.with_name("moved-away"))
            if then_new:
                with atomic_dir(target, "export") as tmp:
                    (tmp / "data.txt").write_text("new")
        calls.append(1)
        return real(folder)

    return owned


@pytest.mark.parametrize("then_new", [False, True], ids=["absent", "replaced"])
def test_a_target_swapped_while_it_is_read_is_read_again(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, then_new: bool) -> None:
    # The race CI once hit: another run renamed the target away between this run's two
    # reads of it, and the check said "cannot read output folder ...". An absent target
    # may be written; a new folder of the tool's is read again and may be replaced.
    target = tmp_path / "out"
    with atomic_dir(target, "export") as tmp:
        (tmp / "data.txt").write_text("old")
    monkeypatch.setattr(atomic, "owned_files", _half_swapped(target, then_new))
    assert check_target(target) == target
    assert target.exists() is then_new


def test_gitignore_covers_temporary_folders() -> None:
    ignore = (paths.REPO_ROOT / ".gitignore").read_text()
    assert ".*.tmp-*/" in ignore and ".*.old-*/" in ignore


# Interrupts (Ctrl-C and SIGTERM while a kernel runs a cell: the kernel stopped, the
# previous output kept, nothing left in /tmp) are tested with every other moment of a
# build in tests/test_interrupts.py.
