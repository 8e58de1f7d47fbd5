"""The tests' shared copy of data/ (tests/helpers_data.py, conftest's ``data_copy`` in a
module with ``SHARED_DATA = True``) is put back after any damage a test does: the next
test sees every file with the bytes and the permissions of the copy, and nothing else."""

from __future__ import annotations

import os
import shutil
import stat
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace

from helpers_data import SharedData

from dbanalysis.core import paths


def _tree(root: Path) -> dict[str, tuple[int, int, bytes | None]]:
    """Kind, permissions and (for a file) bytes of every entry under ``root``, and of it."""
    out = {}
    for folder, dirs, files in os.walk(root):
        for name in dirs + files:
            p = Path(folder) / name
            st = os.lstat(p)
            # (a file a test made unreadable: its bytes only where they can be read, as
            # for a user who is not root)
            out[p.relative_to(root).as_posix()] = (
                stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode),
                p.read_bytes() if stat.S_ISREG(st.st_mode) and os.access(p, os.R_OK)
                else None)
    st = os.lstat(root)
    out["."] = (stat.S_IFMT(st.st_mode), stat.S_IMODE(st.st_mode), None)
    return out


def _same_size_edit(root: Path) -> None:
    """A byte changed, the size and the modification time kept."""
    p = root / "figures.csv"
    data, st = p.read_bytes(), p.stat()
    p.write_bytes(data[:-2] + (b"X" if data[-2:-1] != b"X" else b"Y") + data[-1:])
    os.utime(p, ns=(st.st_atime_ns, st.st_mtime_ns))


def _append(path: Path, text: str) -> None:
    with path.open("a", encoding="utf-8") as f:
        f.write(text)


def _replace(root: Path, rel: str, make: Callable[[Path], object]) -> None:
    p = root / rel
    shutil.rmtree(p) if p.is_dir() else p.unlink()
    make(p)


DAMAGE: dict[str, Callable[[Path], object]] = {
    "a byte changed, size and time kept": _same_size_edit,
    "a line added": lambda r: _append(r / "vocab" / "labels.csv", "x,y\n"),
    "a file emptied": lambda r: (r / "vocab" / "units.csv").write_text(""),
    "a file deleted": lambda r: (r / "corrections.csv").unlink(),
    "a folder deleted": lambda r: shutil.rmtree(r / "schemas"),
    "a file added": lambda r: (r / "vocab" / "new.csv").write_text("a"),
    "folders added": lambda r: (r / "x" / "y").mkdir(parents=True),
    "a file made a folder": lambda r: _replace(r, "reference.csv", Path.mkdir),
    "a folder made a file": lambda r: _replace(r, "templates", lambda p: p.write_text("t")),
    "a file made a link": lambda r: _replace(r, "figures.csv",
                                             lambda p: p.symlink_to(r / "reference.csv")),
    "a link to a folder added": lambda r: (r / "link").symlink_to(r / "vocab"),
    "a file made unreadable": lambda r: (r / "figures.csv").chmod(0),
    "a file made executable": lambda r: (r / "figures.csv").chmod(0o755),
    "a folder made unreadable": lambda r: (r / "vocab").chmod(0),
    "the copy made read-only": lambda r: r.chmod(0o500),
}


def test_the_shared_copy_is_put_back_after_any_damage(tmp_path: Path) -> None:
    shared = SharedData(paths.data_dir(), tmp_path / "data")
    copied = _tree(shared.path)
    assert len(copied) > 60 and any(k == stat.S_IFDIR for k, _, _ in copied.values())
    left = []
    for what, damage in DAMAGE.items():
        damage(shared.path)
        assert _tree(shared.path) != copied, f"{what}: no damage done"
        shared.restore()
        if _tree(shared.path) != copied:
            left.append(what)
            shutil.rmtree(shared.path, ignore_errors=True)
            shared = SharedData(paths.data_dir(), tmp_path / f"data{len(left)}")
            copied = _tree(shared.path)
    assert left == []


def test_a_restore_that_fails_makes_the_copy_again_and_says_so(tmp_path: Path, monkeypatch) -> None:
    """Where putting the copy back fails (here its walk of the tree), the damage is not
    left for the process's next tests: the copy is made again, at its path, and the error
    still raised (the failing test's teardown reports it)."""
    import helpers_data

    shared = SharedData(paths.data_dir(), tmp_path / "data")
    copied = _tree(shared.path)
    for damage in DAMAGE.values():
        damage(shared.path)

    def failing_walk(root: Path) -> dict:
        raise OSError("the walk failed")

    monkeypatch.setattr(helpers_data, "_entries", failing_walk)
    try:
        shared.restore()
    except OSError as err:
        assert str(err) == "the walk failed"
    else:
        raise AssertionError("the failure was not raised")
    assert _tree(shared.path) == copied
    monkeypatch.undo()
    _same_size_edit(shared.path)  # and it is put back as before after the next test
    shared.restore()
    assert _tree(shared.path) == copied


def test_what_is_made_again_has_the_copys_permissions_under_any_umask(tmp_path: Path) -> None:
    """A file or folder the restore makes again gets the copy's permissions, not the
    umask's (a umask of 077 would leave the next test a 600 file in a 700 folder)."""
    shared = SharedData(paths.data_dir(), tmp_path / "data")
    copied = _tree(shared.path)
    old = os.umask(0o077)
    try:
        for what in ("a file deleted", "a folder deleted", "a file made a folder",
                     "a folder made a file", "a byte changed, size and time kept"):
            DAMAGE[what](shared.path)
            shared.restore()
            assert _tree(shared.path) == copied, what
    finally:
        os.umask(old)


def test_a_file_put_back_is_a_new_file(tmp_path: Path) -> None:
    """A damaged file is put back as a new file (a new inode), so that the package's
    cache sees a change even where the damage kept the size and fell in the same tick of
    the clock as the restore; nothing of the restore's own is left beside it."""
    shared = SharedData(paths.data_dir(), tmp_path / "data")
    before = (shared.path / "figures.csv").stat().st_ino
    _same_size_edit(shared.path)
    shared.restore()
    assert (shared.path / "figures.csv").stat().st_ino != before
    assert not list(shared.path.rglob(".*.restore"))


def _a_tick_after(ctime_ns: int, probe: Path) -> None:
    """Wait until the file system's clock has passed ``ctime_ns`` (a few ms at most)."""
    for _ in range(10_000):
        probe.write_bytes(b"")
        if os.stat(probe).st_ctime_ns > ctime_ns:
            return
        time.sleep(0.001)
    raise AssertionError("the file system's clock did not move")


def test_an_edit_after_a_restore_is_read_and_put_back_however_its_status_looks(
        tmp_path: Path, monkeypatch) -> None:
    """A restore reads again only the files written since the last one (their status, and
    a mark written after that restore, say which); a same-size edit that keeps the inode
    and the modification time is among them, and is put back, made a tick after the
    restore or in the same tick (then the file's change time is the mark's)."""
    shared = SharedData(paths.data_dir(), tmp_path / "data")
    copied = _tree(shared.path)
    probe = tmp_path / "probe"
    _a_tick_after(max(os.stat(shared.path / rel).st_ctime_ns for rel in shared.files), probe)
    shared.restore()  # every file read (none seen yet), each one's status kept
    _a_tick_after(shared.mark_ctime, probe)
    _same_size_edit(shared.path)
    read: list[str] = []
    real = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: read.append(p.name) or real(p))
    shared.restore()
    monkeypatch.undo()
    assert read == ["figures.csv"]
    assert _tree(shared.path) == copied
    _same_size_edit(shared.path)  # at once: in the tick of the restore's mark, maybe
    shared.restore()
    assert _tree(shared.path) == copied
    # the same tick for sure (this file system's clock may never give it): a file whose
    # status is the one kept is read again when its change time is the mark's
    st = os.stat(shared.path / "figures.csv")
    for ctime, unchanged in ((shared.mark_ctime - 1, True), (shared.mark_ctime, False)):
        now = SimpleNamespace(st_ino=st.st_ino, st_size=st.st_size, st_mtime_ns=st.st_mtime_ns,
                              st_ctime_ns=ctime, st_mode=st.st_mode)
        shared.seen["figures.csv"] = (st.st_ino, st.st_size, st.st_mtime_ns, ctime, st.st_mode)
        assert shared._unchanged("figures.csv", now) is unchanged, ctime
