"""Caches keyed on the content of every file a result depends on, of four kinds:

- :func:`memo` keeps results in this process, keyed on the bytes of the data files a
  function reads (an edited vocabulary or catalogue is read again in a running kernel,
  whatever its modification time says);
- :func:`shared` also keeps them on disk, so that the notebooks' kernels parse, validate,
  derive and audit the catalogue once between them. Its key is the content of every file
  under ``data/``, of every module of the package, and the versions of Python, pandas and
  numpy (the pickles depend on them);
- :func:`kept_text` (on :func:`kept_bytes`) keeps a pure function's text results on disk,
  one folder per kind, keyed on the text and on what the caller names
  (:func:`module_version`, :func:`data_code_version`), pruned to :data:`KEEP_TEXT_BYTES`;
- :func:`template_cache`: Jinja's compiled templates, per way of compiling (not pruned:
  a few hundred kB per Jinja version).

The disk cache lives in ``DBANALYSIS_CACHE`` or else ``<sys.prefix>/var/cache/dbanalysis``
(inside the project's environment; the tests point it at a folder of the temp folder). It
is written atomically; a folder that cannot be written, or that another user could write
(a pickle runs code when loaded), only turns the disk cache off. It holds at most
:data:`KEEP_BYTES` of pickles: the entries used least recently go first, whatever their name.
"""

from __future__ import annotations

import contextlib
import contextvars
import functools
import hashlib
import os
import pickle
import platform
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Generic, TypeVar

from . import paths

T = TypeVar("T")
PACKAGE_DIR = Path(__file__).resolve().parents[1]
#: Bytes of entries kept on disk, all names together: beyond it the least recently used
#: are pruned (a hit counts as a use, so the entries of the data every kernel reads outlive
#: those of data variants). An entry is 4-90 kB; one run of the test suite writes about
#: 5 MB of them (some 110 data variants), and a build one entry per name.
KEEP_BYTES = 64 * 2**20
_memory: dict[str, Any] = {}
#: Versions of the data (folder, content) a :class:`Memo` keeps results for, and the
#: results per version (distinct arguments), before it forgets them.
MEMO_VERSIONS = 16
MEMO_ARGS = 256
#: Folders that are never content.
_SKIP = frozenset({"__pycache__", ".ipynb_checkpoints"})


def files_under(root: Path, exclude: Iterable[str] = ()) -> list[Path]:
    """Every file under ``root`` (or ``root`` itself), sorted; ``__pycache__`` and
    ``.ipynb_checkpoints`` skipped, and any top-level entry named in ``exclude``: those
    :func:`_status` lists (one walk for the hashes and the notebooks' stamps)."""
    top = tuple(os.path.join(root, name) for name in exclude)
    return sorted(Path(s[0]) for s in _status(os.fspath(root))
                  if not any(s[0] == t or s[0].startswith(t + os.sep) for t in top))


def content_hash(roots: Iterable[Path], extra: Iterable[str] = ()) -> str:
    """sha256 over the relative name and the sha256 of the bytes of every file under
    ``roots`` (those :func:`files_under` lists), each file read now, then ``extra``."""
    names = tuple(os.fspath(r) for r in roots)
    return _tree_hash(names, [_status(n) for n in names], {}, extra)


#: :func:`fresh_content_hash` by the roots' names and status, and a file's sha256 by its
#: status (:func:`_status`): after one file of a folder changed, only it is read again.
_HASHES: dict[tuple, str] = {}
_DIGESTS: dict[tuple, bytes] = {}


def _tree_hash(names: tuple[str, ...], statuses: list[list[tuple]], digests: dict[tuple, bytes],
               extra: Iterable[str] = ()) -> str:
    """:func:`content_hash` of the roots named ``names``, their files' :func:`_status`
    given; a file's sha256 taken from ``digests`` by its status, else read (and kept)."""
    h = hashlib.sha256()
    for name, files in zip(names, statuses, strict=True):
        base = os.path.basename(os.path.normpath(name))
        h.update(f"root\0{base}\0".encode())
        cut = len(os.path.join(name, ""))
        for status in files:
            rel = status[0][cut:].replace(os.sep, "/") if status[0] != name else base
            h.update(f"file\0{rel}\0".encode())
            digest = digests.get(status)
            if digest is None:
                with open(status[0], "rb") as fh:
                    digest = digests[status] = hashlib.sha256(fh.read()).digest()
            h.update(digest)
    h.update("".join(f"extra\0{item}\0" for item in extra).encode())
    return h.hexdigest()


def data_code_version(*libraries: str) -> str:
    """What a result the package's code makes from the data depends on: the data's content
    (:func:`data_hash`), the code's (:func:`code_hash`, with the versions of Python, pandas
    and numpy) and the versions of ``libraries`` (:func:`kept_text`'s ``version`` for it)."""
    return f"{data_hash()} {code_hash()} {library_versions(*libraries)}"


@functools.lru_cache(maxsize=16)
def library_versions(*libraries: str) -> str:
    """Python's version and the installed versions of ``libraries`` (~0.3 ms a look-up)."""
    from importlib.metadata import version

    return " ".join([f"Python {sys.version}", *(f"{name} {version(name)}" for name in libraries)])


def module_version(module_file: str | Path, *libraries: str) -> str:
    """What a result a module keeps on disk depends on besides its inputs: the sha256 of the
    module's source and the versions of Python and ``libraries`` (:func:`library_versions`).
    Code the result runs that lives outside the module must join the key (a library in
    ``libraries``, or the key's own extra)."""
    source = hashlib.sha256(Path(module_file).read_bytes()).hexdigest()
    return f"{source} {library_versions(*libraries)}"


def data_hash() -> str:
    """Content of every file under the data folder (``DBANALYSIS_DATA`` honoured),
    re-read only when a file's status changed (:func:`fresh_content_hash`)."""
    return _fresh_hash((os.fspath(paths.data_dir()),))


@functools.cache
def code_hash() -> str:
    """The package's modules and library versions a pickle depends on (once a process)."""
    import numpy
    import pandas

    return content_hash([PACKAGE_DIR], extra=[platform.python_implementation(),
                                              platform.python_version(), pandas.__version__,
                                              numpy.__version__])


def _status(root: str) -> list[tuple]:
    """(path, inode, size, mtime, ctime) of every file under ``root`` (or of ``root``), sorted:
    symbolic links to folders not followed, ``.pyc`` files and :data:`_SKIP` left out."""
    try:
        st = os.stat(root)
    except OSError:
        return []
    if not stat.S_ISDIR(st.st_mode):
        return [(root, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)]
    out: list[tuple] = []
    _scan(root, out)
    out.sort()
    return out


def _scan(folder: str, out: list[tuple]) -> None:
    """:func:`_status` of the files under ``folder``, appended to ``out`` (``os.scandir``:
    twice as fast as ``os.walk`` and ``os.path.join``; it runs on every cached lookup)."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return  # as os.walk: a folder that cannot be listed is skipped
    for entry in entries:
        if entry.is_dir():
            if entry.name not in _SKIP and not entry.is_symlink():
                _scan(entry.path, out)
        elif not entry.name.endswith(".pyc"):
            st = os.stat(entry.path)
            out.append((entry.path, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns))


#: Inside :func:`one_reading`: the hashes already read, per tuple of roots.
_READING: contextvars.ContextVar[dict[tuple[str, ...], str] | None] = contextvars.ContextVar(
    "dbanalysis_one_reading", default=None)


@contextlib.contextmanager
def one_reading():
    """Within the block (or the decorated function), the data files are read as one
    version: each root's status is checked once, not on every cached lookup (the
    extractor looks its unit lexicon up hundreds of times per text). Nested blocks join
    the outermost; a change made to a file inside the block is seen after it."""
    if _READING.get() is not None:
        yield
        return
    token = _READING.set({})
    try:
        yield
    finally:
        _READING.reset(token)


#: Inside :func:`steady`: the folder taken as unchanged, its name followed by the path
#: separator, and the hashes read so far of the roots under it.
_STEADY: contextvars.ContextVar[tuple[str, str, dict[tuple[str, ...], str]] | None] = (
    contextvars.ContextVar("dbanalysis_steady", default=None))


@contextlib.contextmanager
def steady(folder: Path):
    """Within the block, no file under ``folder`` changes: the status of a root under it (a
    data file, the whole data folder) is read once, not on every cached lookup, while every
    other root is checked as always (a copy of the data being edited is seen at once). For
    a caller that knows the folder is not written during the block: the test suite, around
    each test, for the repository's own data folder, which no test writes (a test edits a
    copy in a temporary folder); a test's thousands of cached lookups then stat the folder
    once (a whole-folder check is ~0.2-0.4 ms). Not nested: an inner block replaces the
    outer one until it ends."""
    name = os.fspath(folder)
    token = _STEADY.set((name, os.path.join(name, ""), {}))
    try:
        yield
    finally:
        _STEADY.reset(token)


def fresh_content_hash(roots: Iterable[Path]) -> str:
    """:func:`content_hash` of ``roots``, re-read only when a file's status changed (and
    then only the files whose status changed). Any write to a file changes its ``st_ctime``
    (which, unlike the modification time, no program can set back), so equal status means
    equal content: hot paths such as the extractor's unit lookup stat their files instead
    of reading them on every call (and inside :func:`one_reading`, only once). Not seen: a
    rewrite of the same size within one tick of a file system's clock where it stamps
    times coarsely (a few ms), after the file was hashed in that tick (as git's "racy" case)."""
    return _fresh_hash(tuple(os.fspath(r) for r in roots))


def _fresh_hash(names: tuple[str, ...]) -> str:
    """:func:`fresh_content_hash` of the roots named ``names`` (it runs on every cached
    lookup: the hashes held are looked up before anything else is done)."""
    reading = _READING.get()
    if reading is not None:
        found = reading.get(names)
        if found is not None:
            return found
    held = _STEADY.get()
    if held is not None:
        hashes = held[2]  # (holds only roots under the steady folder)
        found = hashes.get(names)
        if found is None and all(n == held[0] or n.startswith(held[1]) for n in names):
            found = hashes[names] = _status_hash(names)
        if found is not None:
            if reading is not None:
                reading[names] = found
            return found
    found = _status_hash(names)
    if reading is not None:
        reading[names] = found
    return found


def _status_hash(names: tuple[str, ...]) -> str:
    """:func:`content_hash` of the roots named ``names``, read again only when the status
    of a file under them changed since it was last read."""
    statuses = [_status(n) for n in names]
    key = (names, tuple(tuple(s) for s in statuses))
    if key not in _HASHES:
        if len(_HASHES) > 256:
            _HASHES.clear()  # (not the digests: a folder hashed again reads its changes only)
        if len(_DIGESTS) > 4096:  # (these files' digests kept)
            kept = {f: _DIGESTS[f] for files in statuses for f in files if f in _DIGESTS}
            _DIGESTS.clear()
            _DIGESTS.update(kept)
        _HASHES[key] = _tree_hash(names, statuses, _DIGESTS)
    return _HASHES[key]


class Memo(Generic[T]):
    """A function's results per arguments and per content of its data files."""

    def __init__(self, fn: Callable[..., T], relpaths: tuple[str, ...],
                 keep_args: int = MEMO_ARGS):
        self.fn, self.relpaths, self.keep_args = fn, relpaths, keep_args
        #: (data folder, content hash of its files read) -> arguments -> result: the
        #: versions of the data are few at a time (at most :data:`MEMO_VERSIONS` kept), the
        #: arguments per version as many as the callers use (schema.load is called with each
        #: of some 30 names: one dict of 16 results in all was cleared on every pass over
        #: them, and every schema parsed again)
        self.results: dict[tuple, dict[tuple, T]] = {}
        #: data folder -> the names of its files this function reads, and its own name (made
        #: once per folder: the lookup runs thousands of times per text the extractor reads)
        self._names: dict[Path, tuple[tuple[str, ...], str]] = {}
        functools.update_wrapper(self, fn)

    def __call__(self, *args: Any) -> T:
        root = paths.data_dir()
        known = self._names.get(root)
        if known is None:
            if len(self._names) > 16:
                self._names.clear()
            known = self._names[root] = (tuple(os.fspath(root / p) for p in self.relpaths),
                                         str(root))
        version = (known[1], _fresh_hash(known[0]))
        results = self.results.get(version)
        if results is None:
            if len(self.results) >= MEMO_VERSIONS:
                self.results.clear()
            results = self.results[version] = {}
        if args not in results:
            if len(results) >= self.keep_args:
                results.clear()
            with one_reading():
                results[args] = self.fn(*args)
        return results[args]

    def cache_clear(self) -> None:
        """Forget every result."""
        self.results.clear()


def memo(*relpaths: str, keep_args: int = MEMO_ARGS) -> Callable[[Callable[..., T]], Memo[T]]:
    """Decorator: remember results per arguments and per content of ``data/<relpath>`` files
    or folders (read on every call; they are small), at most ``keep_args`` distinct
    arguments per version of the data (then all are forgotten at once: a function called
    with more distinct arguments than that, in turn, keeps nothing)."""

    def wrap(fn: Callable[..., T]) -> Memo[T]:
        return Memo(fn, relpaths, keep_args)

    return wrap


def cache_dir() -> Path:
    """Where :func:`shared` keeps its pickles (and the other kinds their folders)."""
    env = os.environ.get("DBANALYSIS_CACHE")
    return Path(env) if env else Path(sys.prefix) / "var" / "cache" / "dbanalysis"


def template_cache(env: Any) -> Any:
    """Jinja's ``FileSystemBytecodeCache`` for the environment ``env``, in a folder of
    :func:`cache_dir`'s ``templates`` named by its compile settings (autoescaping, async,
    delimiters, whitespace, extensions, finalize) and Jinja's version (Jinja checks only
    a source and Python's version: environments sharing a folder would run each other's
    code, the site's pages compiled unescaped). None where the folder is not private or
    cannot be written (compiled code runs when loaded). ~60 ms of CPU a site build."""
    import jinja2

    escape = env.autoescape
    if not isinstance(escape, bool):  # a function (select_autoescape): decides by name when
        return None  # it compiles, and two such functions share a name (REREAD-P 1)
    settings = [escape, env.is_async, env.code_generator_class.__qualname__,
                env.block_start_string, env.block_end_string, env.variable_start_string,
                env.variable_end_string, env.comment_start_string, env.comment_end_string,
                env.line_statement_prefix, env.line_comment_prefix, env.trim_blocks,
                env.lstrip_blocks, env.newline_sequence, env.keep_trailing_newline,
                env.optimized, sorted(env.extensions),
                getattr(env.finalize, "__qualname__", repr(env.finalize)),
                library_versions("jinja2")]
    name = hashlib.sha256(repr(settings).encode()).hexdigest()[:16]
    top = cache_dir()
    folder = top / "templates" / name
    try:
        if not private(top, folder.parent, folder):
            return None
        for made in (top, folder.parent, folder):
            made.mkdir(mode=0o700, parents=True, exist_ok=True)
        if not (private(top, folder.parent, folder)
                and os.access(folder, os.W_OK)):
            return None
    except OSError:
        return None  # a read-only environment: templates compiled in memory
    return jinja2.FileSystemBytecodeCache(str(folder))


@functools.lru_cache(maxsize=256)
def _shared_key(name: str, data: str) -> str:
    """The name of :func:`shared`'s entry for ``name`` and the data's hash ``data`` (made
    once per pair: every catalogue and derived lookup asks)."""
    return f"{name}-{hashlib.sha256((data + code_hash()).encode()).hexdigest()[:32]}"


def shared(name: str, build: Callable[[], T]) -> T:
    """``build()``'s result for the current data and code, from memory, disk, or built.
    The caller must not modify the returned object (copy it first)."""
    key = _shared_key(name, data_hash())
    if key in _memory:
        return _memory[key]
    folder = cache_dir()
    path = folder / f"{key}.pickle"
    try:
        if not private(folder):
            raise OSError("not a private folder")  # neither read nor written
        with path.open("rb") as fh:
            value = pickle.load(fh)
        _touch(path)
    except (OSError, EOFError, pickle.UnpicklingError, AttributeError, ImportError):
        with one_reading():
            value = build()
        with contextlib.suppress(OSError):  # (a read-only environment: no disk cache)
            if put(path, pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL), (folder,)):
                prune(folder)
    if len(_memory) > 16:
        _memory.clear()
    _memory[key] = value
    return value


def private(*folders: Path) -> bool:
    """Each of ``folders`` is missing or a folder of this user that no one else may write."""
    for folder in folders:
        try:
            st = os.stat(folder)
        except FileNotFoundError:
            continue
        except OSError:
            return False
        if not (stat.S_ISDIR(st.st_mode) and st.st_uid == os.getuid()
                and not st.st_mode & (stat.S_IWGRP | stat.S_IWOTH)):
            return False
    return True


def _touch(path: Path) -> None:
    """Mark an entry as used now (pruning keeps the most recently used)."""
    with contextlib.suppress(OSError):  # (a read-only cache: it is not pruned either)
        os.utime(path)


def put(path: Path, data: bytes, folders: tuple[Path, ...]) -> bool:
    """``data`` at ``path``, written atomically (a temp file beside it moved into place),
    where each of ``folders`` (outermost first, ``path``'s own last) is private, made if
    missing; False, nothing written, where one is not. OSError where one cannot be."""
    if not private(*folders):
        return False
    for folder in folders:
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


def prune(folder: Path, keep_bytes: int | None = None, suffix: str = ".pickle") -> None:
    """Remove the least recently used entries (``*<suffix>``) of ``folder`` until the others
    hold at most ``keep_bytes`` (:data:`KEEP_BYTES`); the most recent is always kept."""
    keep = KEEP_BYTES if keep_bytes is None else keep_bytes
    entries = []
    for entry in os.scandir(folder):
        if entry.name.endswith(suffix) and not entry.name.startswith("."):
            with contextlib.suppress(OSError):  # (pruned meanwhile by another process)
                st = entry.stat()
                entries.append((st.st_mtime_ns, st.st_size, entry.path))
    entries.sort(reverse=True)
    total = 0
    for i, (_, size, entry_path) in enumerate(entries):
        total += size
        if total > keep and i:
            Path(entry_path).unlink(missing_ok=True)


#: Bytes of the texts :func:`kept_text` keeps per kind (the least recently used go first).
KEEP_TEXT_BYTES = 32 * 2**20
_PRUNED: set[Path] = set()


def kept_bytes(path: Path, make: Callable[[], bytes], keep_bytes: int) -> tuple[bytes, bool]:
    """``make()``'s bytes as kept at ``path`` (``cache_dir() / kind / name``), else made and
    kept, and whether they were read. Kept as :func:`shared`'s pickles are: only where the
    kind's folder and the cache folder are private, atomically, the kind's entries (of
    ``path``'s suffix) pruned to ``keep_bytes`` once per process and folder. An entry is the
    sha256 of its bytes in hex, a line break, the bytes: checked when read (else made)."""
    folder = path.parent
    try:
        if private(folder.parent, folder):
            check, _, body = path.read_bytes().partition(b"\n")
            if check == hashlib.sha256(body).hexdigest().encode():
                _touch(path)
                return body, True
    except OSError:
        pass  # not kept yet (or not readable): made, then kept
    data = make()
    try:
        if put(path, hashlib.sha256(data).hexdigest().encode() + b"\n" + data,
               (folder.parent, folder)) and folder not in _PRUNED:
            _PRUNED.add(folder)  # (a build writes hundreds)
            prune(folder, keep_bytes, path.suffix)
    except OSError:
        pass  # a read-only environment: nothing kept
    return data, False


def kept_text(kind: str, version: str, text: str, make: Callable[[str], str]) -> str:
    """``make(text)``, kept (:func:`kept_bytes`, to :data:`KEEP_TEXT_BYTES`) in the ``kind``
    folder of :func:`cache_dir` under the sha256 of ``version`` and ``text``: ``version``
    names all else the result depends on (the code and libraries making it), so an entry is
    only ever ``make``'s. For a pure, costly function of texts met again and again."""
    digest = hashlib.sha256(f"{len(version)}:{version}".encode())
    digest.update(text.encode("utf-8", "surrogatepass"))  # (any str, and back whole)
    body, _ = kept_bytes(cache_dir() / kind / f"{digest.hexdigest()}.txt",
                         lambda: make(text).encode("utf-8", "surrogatepass"), KEEP_TEXT_BYTES)
    try:
        return body.decode("utf-8", "surrogatepass")
    except UnicodeDecodeError:  # (whole, but not a text: not this function's entry)
        return make(text)
