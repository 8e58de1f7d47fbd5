"""One private copy of data/ shared by the tests of a process, put back after each test.

A test that damages a file of its own copy of data/ pays for reading every other file
again: the package's caches are keyed on the data folder's path and the files' content,
and each fresh copy is a new path. Tests that damage one or two files share one copy at
one path instead; after each test every file is put back as it was (only the files that
differ are written) and anything the test added is removed, so the next test sees the
same path with the same content, and the package reads only what changed. One copy per
test process, not per module (tests/conftest.py's ``shared_data``): the next module's
tests find the package's reads of the copy's files still good.
"""

from __future__ import annotations

import contextlib
import csv
import os
import shutil
import stat
from pathlib import Path


class SharedData:
    """A copy of ``src`` at ``dst``; :meth:`restore` makes it equal to ``src`` again."""

    def __init__(self, src: Path, dst: Path):
        shutil.copytree(src, dst)
        self.src, self.path = src, dst
        self.files = {p.relative_to(dst).as_posix(): p.read_bytes()
                      for p in dst.rglob("*") if p.is_file()}
        self.dirs = {p.relative_to(dst).as_posix() for p in dst.rglob("*") if p.is_dir()}
        self.modes = {rel: stat.S_IMODE(os.stat(dst / rel).st_mode)
                      for rel in [*self.files, *self.dirs, "."]}
        #: Each file's status (:func:`_status`) at the end of the last restore, and the
        #: change time of a mark written after it, beside the copy (:meth:`_unchanged`).
        self.seen: dict[str, tuple[int, ...]] = {}
        self.mark = dst.parent / f".{dst.name}.restored"
        self.mark_ctime = 0

    def restore(self) -> None:
        """Every file and folder as copied, with its permissions; nothing else. Where that
        fails, the copy is made again from scratch (then the error raised): a damage left
        in place would fail the process's later tests, of other modules, not this one."""
        try:
            self._restore()
        except BaseException:
            self._remake()
            raise

    def _remake(self) -> None:
        """The copy removed (every folder made writable and searchable first) and made
        again from ``src``, at the same path."""
        with contextlib.suppress(OSError):
            os.chmod(self.path, 0o700)
        for folder, dirs, _ in os.walk(self.path):  # (top down: each before its walk)
            for name in dirs:  # (os.walk lists a link to a folder here: not followed)
                if not os.path.islink(p := os.path.join(folder, name)):
                    with contextlib.suppress(OSError):
                        os.chmod(p, 0o700)
        shutil.rmtree(self.path, ignore_errors=True)
        shutil.copytree(self.src, self.path)
        self.seen, self.mark_ctime = {}, 0

    def _restore(self) -> None:
        """:meth:`restore`'s work.

        The tree is read with one ``os.scandir`` walk (an lstat per entry, no pathlib
        calls): restoring after each test took ~2.8 ms of CPU, ~0.9 ms then, over ~300
        tests a run. A file's bytes are compared with the copy's unless its status shows
        it was not written since the last restore (:meth:`_unchanged`: ~0.3 ms now)."""
        root = self.path
        for rel in sorted(self.dirs | {"."}):  # (a test may have made a folder unreadable)
            self._chmod(root / rel, self.modes[rel])
        found = _entries(root)
        for rel in sorted(found, reverse=True):  # added entries, deepest first
            st = found[rel]
            if not ((rel in self.files and stat.S_ISREG(st.st_mode))
                    or (rel in self.dirs and stat.S_ISDIR(st.st_mode))):
                if stat.S_ISDIR(st.st_mode):
                    shutil.rmtree(root / rel)
                else:
                    (root / rel).unlink()
                del found[rel]
        for rel in sorted(self.dirs - found.keys()):
            (root / rel).mkdir()
            (root / rel).chmod(self.modes[rel])  # (not the umask's)
        seen = {}
        for rel, data in self.files.items():
            st = found.get(rel)
            if st is not None and self._unchanged(rel, st):
                seen[rel] = self.seen[rel]
                continue
            p = root / rel
            if st is not None and stat.S_IMODE(st.st_mode) != self.modes[rel]:
                p.chmod(self.modes[rel])  # (or unreadable)
            if st is None or st.st_size != len(data) or p.read_bytes() != data:
                self._put_back(p, data, self.modes[rel])
            seen[rel] = _status(os.lstat(p))
        self.mark.write_bytes(b"")
        self.seen, self.mark_ctime = seen, os.stat(self.mark).st_ctime_ns

    def _unchanged(self, rel: str, st: os.stat_result) -> bool:
        """The file at ``rel`` (lstat ``st``) is as the last restore left it: its status is
        the same, and it last changed before the mark written after that restore. Any later
        write (or change of mode) gives a file a change time of its own moment, which no
        program can set back, so at or after the mark's: a test's edit that keeps the size,
        the inode and the modification time is still read, however coarse the file system's
        clock (an edit in the tick of the restore itself is read too: not before the mark)."""
        was = self.seen.get(rel)
        return was is not None and was == _status(st) and was[3] < self.mark_ctime

    @staticmethod
    def _put_back(path: Path, data: bytes, mode: int) -> None:
        """``data`` at ``path`` as a new file (a new inode: the package sees a change even
        where the test's edit and this write fall in one tick of the file system's clock
        and keep the size) with the copy's permissions."""
        tmp = path.with_name(f".{path.name}.restore")
        tmp.write_bytes(data)
        tmp.chmod(mode)
        os.replace(tmp, path)

    @staticmethod
    def _chmod(path: Path, mode: int) -> None:
        with contextlib.suppress(FileNotFoundError):
            st = os.lstat(path)
            if not stat.S_ISLNK(st.st_mode) and stat.S_IMODE(st.st_mode) != mode:
                path.chmod(mode)


def _status(st: os.stat_result) -> tuple[int, ...]:
    """What changes when a file is written or its mode changed: inode, size, modification
    and change times, mode."""
    return st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_mode


def _entries(root: Path) -> dict[str, os.stat_result]:
    """Every entry under ``root`` by its path relative to it (``/``-separated): its
    lstat (a symbolic link is not followed)."""
    out: dict[str, os.stat_result] = {}
    todo = [(os.fspath(root), "")]
    while todo:
        folder, prefix = todo.pop()
        with os.scandir(folder) as it:
            for entry in it:
                rel = prefix + entry.name
                out[rel] = st = entry.stat(follow_symlinks=False)
                if stat.S_ISDIR(st.st_mode):
                    todo.append((entry.path, rel + "/"))
    return out

def derived_table():
    """``derived_figures()`` of the current data, ``figure_id`` a column, a copy on each
    call (a test may change it).

    The package's own cached form of the table, :func:`dbanalysis.derive.lookup.derived_frame`
    (derived once per data version: its files' content and the package), not a cache of
    the tests' own; a data folder the derivation rejects raises on every call. test_derive
    compares this table with one derived anew
    (``test_the_tests_shared_derived_table_is_derived_figures``)."""
    from dbanalysis.derive.lookup import derived_frame

    return derived_frame().reset_index().copy()


def move_fewer_communes(data: Path, n: int = 3) -> None:
    """Say in ``data``/reference.csv that ``n`` communes (not the outside knowledge's 4)
    moved to Điện Biên Phủ city in 2019 (Resolution 815): then the forum sentence's 25
    communes fit neither the count before the move nor the one after, and its check is
    inconsistent again (QA-0305 S1). The one edit of this kind the tests make; the value
    cell is set by its column and the package is asked to read ``n`` back, so a change
    of the file's layout fails here rather than leaving the data unedited."""
    from dbanalysis.catalogue import reference

    path = data / "reference.csv"
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    col = rows[0].index("value")
    hit = [r for r in rows[1:] if r[0] == "communes_moved_to_city"]
    assert len(hit) == 1, "reference.csv has no row communes_moved_to_city"
    hit[0][col] = str(n)
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    assert reference.value("communes_moved_to_city") == n, "the edit was not read"


def rewrite_keeping_mtime(path: Path, old: str, new: str) -> None:
    """Replace the first ``old`` in the file at ``path`` by ``new``, keeping its
    modification time: an edit a cache keyed on the time alone would not see."""
    st = path.stat()
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
