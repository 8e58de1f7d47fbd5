"""What the tests build from the code and data alone, kept on disk between test processes
and runs: the charts (:func:`helpers_charts._built_editions`) and the site of the real
notebooks (:func:`kept_tree`, ``conftest.real_site``).

Drawing the charts the tests read is most of the chart tests' CPU (~4.3 s of ~17 s a
``make test``, in the one worker of the chart group, its long pole). A chart is a function
of the package's code, the data, the chart calls of tests/helpers_charts.py and the
libraries it is drawn with, so the pickles of the figures as built are kept under a hash of
all of these, as the package keeps its derived tables (:func:`dbanalysis.core.cache.shared`,
whose in-memory store of 16 entries 39 charts would flush: hence a small store of its own).
The first run after any of them changes builds the charts again, and keeps them (so does
a run after the folder, :func:`_kept_folder`, is deleted). Every run still builds some
charts anew and compares them with the kept ones (test_charts_honest's PNG test: three
charts, byte for byte), and the notebooks' kernels draw every notebook chart. The PNGs
drawn of the charts, and the text collisions measured in those draws, are kept the same
way (:func:`helpers_drawn.chart_png`).

The site of the real notebooks, built from their committed outputs (~1.7-2.5 s of CPU, in
the site group's worker), is a function of the same and of the notebooks' files: its
folder is kept whole (~10 MB), and copied (times kept: its marker's stamps hold) into the
session's temporary folder. The site of the fixture notebooks, their kernels run, is built
by every run (``conftest.built_site``).
"""

import contextlib
import functools
import hashlib
import os
import pickle
import shutil
import stat
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

#: Bytes of built charts kept on disk, all keys together (a make test keeps ~25 MB: the
#: figures ~20 MB, their PNGs and collisions ~5 MB; the least recently used go first, as
#: the package's own disk cache prunes).
KEEP_CHART_BYTES = 96 * 2**20


def _kept_folder() -> Path:
    """Beside the package's disk cache (the tests': a folder of this user in the temp
    folder, ``conftest.py``)."""
    from dbanalysis.core import cache

    folder = cache.cache_dir()
    return folder.with_name(folder.name + "-charts")


@functools.cache
def _code_key() -> str:
    """What a chart is drawn by, besides the data: the package's modules and the versions
    of Python, pandas and numpy (:func:`dbanalysis.core.cache.code_hash`), these helpers
    (the chart calls), the version of every installed distribution (matplotlib and what it
    lays out, shapes and encodes with: kiwisolver, fonttools, Pillow, its bundled fonts)
    and the backend."""
    from importlib import metadata

    from dbanalysis.core import cache

    here = Path(__file__).parent
    dists = sorted(f"{d.metadata['Name']}=={d.version}" for d in metadata.distributions())
    return cache.content_hash([here / "helpers_charts.py", here / "helpers_examples.py"],
                              extra=[cache.code_hash(), os.environ.get("MPLBACKEND", ""),
                                     *dists])


@functools.cache
def _fonts_key() -> str:
    """The fonts matplotlib can choose from (its font list: family, style, weight and
    file of each, the system's fonts included), read once per process."""
    from matplotlib import font_manager

    return repr(sorted((f.name, f.style, f.weight, f.stretch, f.fname)
                       for f in font_manager.fontManager.ttflist))


def _style_key() -> str:
    """matplotlib's settings as they are when a chart is built (the user's matplotlibrc,
    and anything an earlier test of this process left changed, under the house style
    :func:`helpers_charts._built_editions` applies first), so that a chart built under
    other settings is kept apart, not handed to the next run (FINAL25-B)."""
    import matplotlib

    return repr(sorted((k, repr(v)) for k, v in matplotlib.rcParams.items()))


def kept_path(name: str, layout: str) -> Path:
    from dbanalysis.core import cache

    key = "\0".join((name, layout, _code_key(), cache.data_hash(), _fonts_key(),
                     _style_key()))
    return _kept_folder() / f"{hashlib.sha256(key.encode()).hexdigest()[:32]}.pickle"


def on_ci() -> bool:
    """Whether this run is CI's (``CI`` set to true, 1 or yes; ``.ci/run`` sets it): the
    one reading of it (a browser test then fails instead of skipping, nothing kept is
    reused, and the package's disk cache is a fresh one: conftest.py)."""
    return os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _private(folder: Path) -> bool:
    """A folder of this user that no one else may write (a pickle runs code when loaded),
    and a run that may use it: not under CI (:func:`on_ci`), which builds and runs
    everything from scratch and keeps nothing: the edit loop reuses what a run with the
    same inputs made; CI proves it all anew (FINAL25-B 2, 3)."""
    if on_ci():
        return False
    try:
        st = os.stat(folder)
    except OSError:
        return False
    return stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid() and not (
        st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def read_kept(path: Path) -> dict[str, Any] | None:
    """What is kept at ``path`` ({lang: pickle of the figure as built}; a PNG and its
    collisions, :func:`helpers_drawn.chart_png`), or None."""
    if not _private(path.parent):
        return None
    try:
        with path.open("rb") as fh:
            kept = pickle.load(fh)
        os.utime(path)  # used: pruned last
    except Exception:  # damaged, foreign or of another version: built again (FINAL25-B 5)
        return None
    return kept


def keep(path: Path, kept: dict[str, Any]) -> None:
    """Write ``kept`` at ``path`` atomically (another worker may read or write it), then
    prune the folder to :data:`KEEP_CHART_BYTES`; nothing where it cannot be written."""
    from dbanalysis.core.cache import prune

    if on_ci():  # (not even its folder)
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not _private(path.parent):
            return
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(kept, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        finally:
            Path(tmp).unlink(missing_ok=True)
        prune(path.parent, KEEP_CHART_BYTES)


#: Kept trees of one name (the real site): the newest, those of other checkouts or code
#: versions; older ones are deleted.
KEEP_TREES = 3


def kept_tree(name: str, roots: list[Path], out: Path, build: Callable[[], None]) -> None:
    """Folder ``out`` as ``build()`` writes it from the code, the data and the files under
    ``roots``: copied from the copy an earlier process kept for the same (times kept), or
    built, then kept (a copy moved into place at once: another process may keep the same)."""
    from dbanalysis.core import cache

    key = cache.content_hash(roots, extra=[name, _code_key(), cache.data_hash()])
    top = _kept_folder() / "trees"
    path = top / f"{name}-{key[:32]}"
    if _private(_kept_folder()) and _private(top) and path.is_dir():
        shutil.copytree(path, out)
        with contextlib.suppress(OSError):
            os.utime(path)  # used: pruned last
        return
    build()
    with contextlib.suppress(OSError):
        if on_ci():
            return
        top.mkdir(mode=0o700, parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(dir=top, prefix=f".{name}-"))
        try:
            shutil.copytree(out, tmp / "tree")
            _place(tmp / "tree", path, name)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


def _place(tree: Path, path: Path, name: str) -> None:
    """Move the folder ``tree`` (made beside ``path``) to ``path``, where the folders are
    private (else ``tree`` is removed), then delete all but the newest :data:`KEEP_TREES`
    trees of ``name``."""
    top = path.parent
    try:
        if not (_private(_kept_folder()) and _private(top)):
            return
        with contextlib.suppress(OSError):
            os.rename(tree, path)  # (fails if another process kept it first)
    finally:
        shutil.rmtree(tree, ignore_errors=True)
    older = sorted((p for p in top.iterdir() if p.name.startswith(f"{name}-")),
                   key=lambda p: p.stat().st_mtime_ns, reverse=True)[KEEP_TREES:]
    # and staging folders an ended session left (an hour old: none is still being filled)
    older += [p for p in top.iterdir() if p.name.startswith(f".{name}-")
              and time.time() - p.stat().st_mtime > 3600]
    for old in older:
        shutil.rmtree(old, ignore_errors=True)


def function_source(path: Path, name: str) -> str:
    """The source of the top-level function ``name`` of the Python file ``path``, its
    decorators included: what a kept run's key takes of the file that launches it
    (conftest.py's ``hostile_run``), so that an edit elsewhere in that file (its groups,
    hooks and other fixtures, edited most sessions) does not make the next run do the work
    again. A stdlib parse: ``inspect.getsource`` cannot read a pytest fixture (pytest 9
    wraps it in an object of its own)."""
    import ast

    text = path.read_text(encoding="utf-8")
    node = next(n for n in ast.parse(text).body
                if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef) and n.name == name)
    first = min([node.lineno, *(d.lineno for d in node.decorator_list)])
    assert node.end_lineno is not None
    return "\n".join(text.splitlines()[first - 1:node.end_lineno])


class Finished:
    """A process that has ended well: the stand-in of a run whose outputs were kept."""

    returncode = 0

    def wait(self, timeout: float | None = None) -> int:
        return 0

    def poll(self) -> int:
        return 0

    def kill(self) -> None:
        pass


class KeptRun:
    """The output folder and stderr of a process run on the files under ``roots`` (and the
    code, data and libraries: :func:`_code_key`), kept as a tree of :func:`kept_tree`'s
    folder: ``conftest.hostile_run``, every notebook's code on hostile data (~7-9 s of
    CPU a run), whose outputs a later run with the same inputs copies."""

    def __init__(self, name: str, roots: list[Path], extra: Sequence[str] = ()):
        """Kept under the content of ``roots``, the code, data and libraries, and the
        texts ``extra`` (the launching code's own source: :func:`function_source`)."""
        from dbanalysis.core import cache

        key = cache.content_hash(roots, extra=[name, _code_key(), cache.data_hash(), *extra])
        self.name = name
        self.path = _kept_folder() / "trees" / f"{name}-{key[:32]}"

    def copied_to(self, out: Path, stderr: Path) -> bool:
        """Copy the kept output folder to ``out`` and its stderr to ``stderr``; False if
        none is kept."""
        top = self.path.parent
        if not (_private(_kept_folder()) and _private(top) and self.path.is_dir()):
            return False
        try:
            shutil.copytree(self.path / "out", out)
            shutil.copy2(self.path / "stderr.txt", stderr)
        except OSError:  # a tree removed meanwhile (pruned by another session): run it
            shutil.rmtree(out, ignore_errors=True)
            return False
        with contextlib.suppress(OSError):
            os.utime(self.path)
        return True

    def keep(self, out: Path, stderr: Path) -> None:
        """Keep ``out`` and ``stderr`` (of a run that ended well); under CI nothing."""
        if on_ci():
            return
        with contextlib.suppress(OSError):
            for folder in (_kept_folder(), self.path.parent):
                folder.mkdir(mode=0o700, exist_ok=True)
            # a staging folder of its own (two sessions of one commit may keep the same
            # key at once: FINAL25-B 4), moved into place whole
            tree = Path(tempfile.mkdtemp(dir=self.path.parent, prefix=f".{self.name}-"))
            shutil.copytree(out, tree / "out")
            shutil.copy2(stderr, tree / "stderr.txt")
            _place(tree, self.path, self.name)
