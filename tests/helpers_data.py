"""One private copy of data/ shared by the tests of a module, put back after each test.

A test that damages a file of its own copy of data/ pays for reading every other file
again: the package's caches are keyed on the data folder's path and the files' content,
and each fresh copy is a new path. Tests that damage one or two files share one copy at
one path instead; after each test every file is put back as it was (only the files that
differ are written) and anything the test added is removed, so the next test sees the
same path with the same content, and the package reads only what changed.
"""

from __future__ import annotations

import csv
import os
import shutil
import stat
from pathlib import Path


class SharedData:
    """A copy of ``src`` at ``dst``; :meth:`restore` makes it equal to ``src`` again."""

    def __init__(self, src: Path, dst: Path):
        shutil.copytree(src, dst)
        self.path = dst
        self.files = {p.relative_to(dst).as_posix(): p.read_bytes()
                      for p in dst.rglob("*") if p.is_file()}
        self.dirs = {p.relative_to(dst).as_posix() for p in dst.rglob("*") if p.is_dir()}
        self.modes = {rel: stat.S_IMODE(os.stat(dst / rel).st_mode)
                      for rel in [*self.files, *self.dirs, "."]}

    def restore(self) -> None:
        """Every file and folder as copied, with its permissions; nothing else."""
        root = self.path
        for rel, mode in self.modes.items():  # (a test may have made one unreadable)
            p = root / rel
            if p.exists() and not p.is_symlink() and stat.S_IMODE(p.stat().st_mode) != mode:
                p.chmod(mode)
        for p in sorted(root.rglob("*"), reverse=True):  # added entries, deepest first
            rel = p.relative_to(root).as_posix()
            if p.is_symlink() or (rel not in self.files and rel not in self.dirs) or (
                    rel in self.files and not p.is_file()) or (
                    rel in self.dirs and not p.is_dir()):
                if p.is_dir() and not p.is_symlink():
                    shutil.rmtree(p)
                else:
                    p.unlink()
        for rel in sorted(self.dirs):
            (root / rel).mkdir(exist_ok=True)
        for rel, data in self.files.items():
            p = root / rel
            if not p.is_file() or p.read_bytes() != data:
                p.write_bytes(data)


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
