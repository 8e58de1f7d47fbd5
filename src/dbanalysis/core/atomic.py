"""Output folders that ``build`` and ``export`` own, replaced all at once.

A command writes its output into a temporary folder beside the target and swaps it
into place only when everything succeeded. The target is replaced only if it does
not exist, is empty, or holds the marker file (:data:`MARKER`) that an earlier
``build``/``export`` wrote, listing every file it wrote with its size and modification
time. The marker must be a regular file inside the folder (not a symbolic link), list
names inside the folder only, and every file there must be one it lists, unchanged;
every folder there must hold such a file. Anything else is refused before any file is
touched: a file or folder the user made (even an empty folder), a changed file, a
symbolic link, the current folder and its ancestors, the repository, ``notebooks/``,
``data/``, the home folder and ``/``. A path that no output folder can have (not
UTF-8, a name or a path longer than the system allows) is refused the same way.

A failed or interrupted run leaves the previous folder untouched and no temporary
folder behind. Swaps of targets in one parent folder are serialised with a lock
on that folder, so concurrent runs replace the target one after the other.
"""

from __future__ import annotations

import concurrent.futures as cf
import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import signal
import stat
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

from .unraisable import counted, redelivered
from .version import __version__

#: Name of the ownership marker inside every folder that ``build``/``export`` wrote.
MARKER = ".dbanalysis-output.json"
#: Prefixes of the temporary folders beside a target (in .gitignore for a SIGKILL).
TMP_INFIX, OLD_INFIX = ".tmp-", ".old-"


class OutputError(Exception):
    """The output folder cannot be created or replaced; ``str(err)`` names it and says why."""


class OutputRefused(OutputError):
    """The output folder is not one the command may replace."""


class Interrupted(KeyboardInterrupt):
    """SIGINT or SIGTERM arrived; ``signum`` says which."""

    def __init__(self, signum: int = signal.SIGINT):
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def _protected(extra: Iterable[Path]) -> dict[Path, str]:
    """Folders never replaced (nor any of their ancestors), each with the reason."""
    from dbanalysis.core import paths

    out: dict[Path, str] = {}

    def add(path: Path, why: str) -> None:
        with contextlib.suppress(OSError, RuntimeError):
            out.setdefault(path.resolve(), why)

    add(Path.cwd(), "the current folder")
    add(paths.REPO_ROOT, "the dbanalysis repository")
    add(paths.REPO_ROOT / "notebooks", "the project's notebooks folder")
    add(paths.data_dir(), "the input data folder")
    add(Path.home(), "the home folder")
    for path in extra:
        add(Path(path), "the folder of the input notebooks")
    return out


def _valid_name(name: object) -> bool:
    """A name the marker may list: a relative path inside the folder, no ``..``, not the
    marker itself."""
    if not isinstance(name, str) or not name or name.startswith("/") or "\\" in name:
        return False
    parts = name.split("/")
    return all(p not in ("", ".", "..") for p in parts) and name != MARKER


def owned_files(target: Path) -> dict[str, tuple[int, int]] | None:
    """What the marker in ``target`` says dbanalysis wrote: each file (relative path) with
    its size and modification time in ns; None without a valid marker (absent, not a
    regular file, a symbolic link, unreadable, or listing a name outside the folder)."""
    try:
        fd = os.open(target / MARKER, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return None  # absent, a symbolic link (ELOOP), unreadable
    try:
        with os.fdopen(fd, "rb") as fh:
            if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
                return None  # a FIFO, a device
            data = json.loads(fh.read(64 << 20).decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("written_by") != "dbanalysis":
        return None
    files = data.get("files")
    if not isinstance(files, dict):
        return None  # an older marker listed names only: it proves nothing
    out: dict[str, tuple[int, int]] = {}
    for name, stamp in files.items():
        if not _valid_name(name) or not isinstance(stamp, dict):
            return None
        size, mtime = stamp.get("bytes"), stamp.get("mtime_ns")
        if type(size) is not int or type(mtime) is not int:
            return None
        out[name] = (size, mtime)
    return out


def _listing(folder: Path) -> tuple[dict[str, os.stat_result], set[str], set[str]]:
    """What ``folder`` holds: its regular files (relative path -> status), its folders
    (``name/``) and everything else (symbolic links, FIFOs, sockets, devices)."""
    files: dict[str, os.stat_result] = {}
    dirs: set[str] = set()
    other: set[str] = set()
    for root, subdirs, names in os.walk(folder):
        rel = Path(root).relative_to(folder)
        for name in subdirs:
            path = os.path.join(root, name)
            (other if os.path.islink(path) else dirs).add((rel / name).as_posix() + "/")
        for name in names:
            st = os.lstat(os.path.join(root, name))
            key = (rel / name).as_posix()
            if stat.S_ISREG(st.st_mode):
                files[key] = st
            else:
                other.add(key)
    return files, dirs, other


def _not_written(target: Path, owned: dict[str, tuple[int, int]]) -> list[str]:
    """What ``target`` holds that dbanalysis did not write: a file the marker does not
    list, or lists with another size or time (changed or put there since); a folder no
    such file is in; anything that is not a regular file or a folder."""
    files, dirs, other = _listing(target)
    mine = {name for name, st in files.items()
            if owned.get(name) == (st.st_size, st.st_mtime_ns)}
    made = {"/".join(name.split("/")[:i]) + "/" for name in mine
            for i in range(1, name.count("/") + 1)}
    extra = [name for name in files if name not in mine and name != MARKER]
    extra += [d for d in dirs if d not in made]
    return sorted([*extra, *other])


#: What ``os.lstat`` says of a path that is not there, as ``Path.exists`` reads them: no
#: such file, a parent that is a file, a loop of links among the parents.
_ABSENT = (errno.ENOENT, errno.ENOTDIR, errno.EBADF, errno.ELOOP)

#: Bytes of a temporary folder's name besides the target's (``.`` + ``.tmp-`` + 8 random).
_TMP_EXTRA = 16


def _shown(path: Path | str) -> str:
    """``path`` printable whatever bytes it holds (undecodable ones as ``\\xff``)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def _check_name(target: Path) -> None:
    """:class:`OutputRefused` for a path no output folder can have: not UTF-8 (the
    exported files name their folder in UTF-8), a name longer than the file system
    allows, or a path longer than the system's limit."""
    raw = os.fsencode(target)
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise OutputRefused(f"refusing to write to {_shown(target)}: the path is not valid "
                            f"UTF-8 (byte 0x{raw[exc.start]:02x}); choose a UTF-8 name") from None
    existing = next((p for p in (target, *target.parents) if _is_dir(p)), Path("/"))
    try:
        name_max = os.pathconf(existing, "PC_NAME_MAX")
        path_max = os.pathconf(existing, "PC_PATH_MAX")
    except (OSError, ValueError):  # pragma: no cover - POSIX systems answer both
        name_max, path_max = 255, 4096
    for part in target.parts[1:]:
        if len(os.fsencode(part)) > name_max:
            raise OutputRefused(f"refusing to write to {_shown(target)}: the name "
                                f"{_shown(part)[:40]}... is longer than {name_max} bytes, the "
                                "limit of this file system")
    if len(raw) + _TMP_EXTRA >= path_max:
        raise OutputRefused(f"refusing to write to {_shown(target)[:80]}...: the path is "
                            f"longer than this system's limit ({path_max} bytes)")


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long, a loop of links: not a folder one can use
        return False


def _tmp_prefix(target: Path, infix: str) -> str:
    """``.NAME<infix>`` for a temporary folder beside ``target``, NAME shortened so that
    the folder's name stays within the file system's limit however long NAME is."""
    name = target.name
    while len(os.fsencode(name)) > 200:
        name = name[:-1]
    return f".{name}{infix}"


def check_target(out: str | os.PathLike[str], protect: Iterable[Path] = ()) -> Path:
    """The absolute target if the command may write it; :class:`OutputRefused` otherwise.

    ``protect`` adds folders (e.g. the input notebooks) that must survive like
    ``data/``. Nothing on disk is changed.
    """
    if str(out).strip() == "":
        raise OutputRefused("refusing to write to an empty output path ''")
    target = Path(os.path.abspath(out))
    _check_name(target)
    try:
        real = target.resolve()
    except (OSError, RuntimeError) as exc:
        raise OutputError(f"cannot resolve output folder {target}: {exc}") from exc
    if real == Path(real.anchor):
        raise OutputRefused(f"refusing to replace {target}: it is the root folder")
    for folder, why in _protected(protect).items():
        if real == folder or folder.is_relative_to(real):
            what = f"it is {why}" if real == folder else f"it contains {folder}, {why}"
            raise OutputRefused(f"refusing to replace {target}: {what}")
    # Another run may swap a new folder in while this one reads: between its two renames
    # the target is absent for a moment, and after them it is another folder. So the
    # folder is read again until it is the same folder before and after the reading (same
    # inode and same status-change time: a rename or a chmod changes the latter, so a
    # reused inode number is not taken for the folder that was read).
    for _ in range(20):
        try:
            before = os.lstat(target)
        except OSError as exc:
            if exc.errno in _ABSENT:
                return target  # creating it says why it cannot be, if it cannot
            raise OutputError(f"cannot read output folder {target}: {_why(exc)}") from exc
        if stat.S_ISLNK(before.st_mode):
            raise OutputRefused(f"refusing to replace {target}: it is a symbolic link")
        if not stat.S_ISDIR(before.st_mode):
            raise OutputRefused(f"refusing to replace {target}: it exists and is not a folder")
        try:
            if (target / ".git").exists():
                raise OutputRefused(f"refusing to replace {target}: it is a git repository")
            if not any(target.iterdir()):
                return target
            owned = owned_files(target)
            extra = None if owned is None else _not_written(target, owned)
            after = os.lstat(target)
            if (after.st_ino, after.st_ctime_ns) == (before.st_ino, before.st_ctime_ns):
                break
        except FileNotFoundError:
            continue  # moved away by a concurrent swap while it was read: read it again
        except OSError as exc:
            raise OutputError(f"cannot read output folder {target}: {_why(exc)}") from exc
    else:
        raise OutputError(f"cannot read output folder {target}: another run kept replacing "
                          "it while it was read")
    if owned is None:
        raise OutputRefused(
            f"refusing to replace {target}: it holds files that dbanalysis did not write "
            f"(no {MARKER} marker: absent, not a regular file, or not one this version "
            "wrote); choose a new or empty folder (a folder that an older dbanalysis "
            "wrote: remove it by hand once)"
        )
    if extra:
        shown = ", ".join(extra[:3]) + (f" and {len(extra) - 3} more" if len(extra) > 3 else "")
        raise OutputRefused(
            f"refusing to replace {target}: it holds files or folders that dbanalysis did "
            f"not write ({shown}); move them away or choose another folder"
        )
    return target


def write_marker(folder: Path, command: str) -> None:
    """Record that ``command`` wrote ``folder``: every file it holds with its size and
    modification time (a file changed or added later is then not the tool's)."""
    files, _dirs, _other = _listing(folder)
    data = {
        "written_by": "dbanalysis",
        "command": f"dbanalysis {command}",
        "version": __version__,
        "written": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "note": "This folder is replaced by the next run of the command; "
                "files not listed here, or changed since, make it refuse.",
        "files": {name: {"bytes": st.st_size, "mtime_ns": st.st_mtime_ns}
                  for name, st in sorted(files.items()) if name != MARKER},
    }
    (folder / MARKER).write_text(json.dumps(data, indent=1) + "\n", encoding="utf-8")


@contextlib.contextmanager
def _parent_lock(parent: Path) -> Iterator[None]:
    fd = os.open(parent, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


@contextlib.contextmanager
def deferred_signals() -> Iterator[list[int]]:
    """Hold SIGINT/SIGTERM until the block ends, then raise :class:`Interrupted` (one
    the process ignores stays ignored).

    Outside the main thread signals cannot be redirected; the block then runs as is.
    """
    got: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield got
        return
    # a signal the process was started to ignore stays ignored (a command a script runs
    # in the background: the shell ignores SIGINT for it)
    old = {s: h for s in (signal.SIGINT, signal.SIGTERM)
           if (h := signal.getsignal(s)) != signal.SIG_IGN}
    for s in old:
        signal.signal(s, counted(lambda signum, _frame: got.append(signum)))
    try:
        yield got
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
    if got:
        raise Interrupted(got[0])


@contextlib.contextmanager
def interruptible(command: bool = False) -> Iterator[None]:
    """In the block, SIGTERM raises :class:`Interrupted` as SIGINT raises
    KeyboardInterrupt, so that either stops a command through its clean-up.

    An interrupt raised where Python cannot propagate it (a weakref callback, a
    ``__del__``: importlib's, while a command imports) is not printed nor lost: it is
    raised again in the block, at the latest as it ends (:mod:`.unraisable`).

    ``command``: the block is a whole command as the shell runs it; after it, a Ctrl-C
    that comes while Python shuts down ends the process as SIGTERM does, without the
    traceback of a KeyboardInterrupt raised at exit. Outside the main thread signals
    cannot be redirected; the block then runs as is.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def handler(signum: int, _frame: object) -> None:
        raise Interrupted(signum)

    # (a signal the process was started to ignore stays ignored, as in deferred_signals)
    old = signal.getsignal(signal.SIGTERM)
    if old != signal.SIG_IGN:
        signal.signal(signal.SIGTERM, handler)
    try:
        with redelivered():
            yield
    finally:
        if command and signal.getsignal(signal.SIGINT) != signal.SIG_IGN:
            signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, old)


_T = TypeVar("_T")

#: How often a main thread waiting on a worker wakes up to act on a signal (seconds).
SIGNAL_WAKE = 0.2


def result(fut: cf.Future[_T]) -> _T:
    """``fut.result()``, woken every :data:`SIGNAL_WAKE` seconds so that a Ctrl-C or a
    SIGTERM is acted on at once, however long the work runs.

    Hand-written because no library does it: the kernel may deliver a process's signal to
    any of its threads, and Python runs the handler in the main thread only when that
    thread next runs Python code, which an untimed lock wait (``Future.result()``) never
    does before the future is done (a build went on for as long as a notebook ran).
    ``fut.result(timeout)`` is no way out: it raises TimeoutError also when the work does.

    The signal is held (:func:`deferred_signals`) and raised here, between two waits, never
    inside one: raised by the handler where the main thread happened to be, it once left
    the future's lock taken (inside ``concurrent.futures.wait``, between its acquire and
    its ``with``), so that the worker could never record its result and the build, waiting
    for it to stop its kernels, hung for ever after a Ctrl-C during the kernels' start-up.
    """
    with deferred_signals() as got:
        while not fut.done() and not got:
            cf.wait([fut], timeout=SIGNAL_WAKE)
    return fut.result()


def _rmtree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _swap(tmp: Path, target: Path, protect: Iterable[Path]) -> None:
    parent = target.parent
    with _parent_lock(parent):
        check_target(target, protect)  # again: the folder may have changed meanwhile
        backup = None
        try:
            if target.exists():
                backup = Path(tempfile.mkdtemp(prefix=_tmp_prefix(target, OLD_INFIX), dir=parent))
                os.rename(target, backup / "old")
            try:
                os.rename(tmp, target)
            except OSError:
                if backup is not None:
                    os.rename(backup / "old", target)
                raise
        except OSError as exc:
            raise OutputError(f"cannot replace {target}: {_why(exc)}") from exc
        finally:
            if backup is not None:
                _rmtree(backup)


#: The output folders this process has put in place (:func:`atomic_dir`, by the absolute
#: path :func:`check_target` returns). A signal can land after the swap and before the command
#: has said so (while the temporary folder's remains are cleared, or its last line is
#: logged): what the command then reports is asked here, of what happened, not of where the
#: signal landed.
_PUT_IN_PLACE: set[Path] = set()


def forget_put_in_place() -> None:
    """A new command starts: no folder is in place by it yet (a command run again in the
    same process, :func:`dbanalysis.cli.main.main`, interrupted before its swap)."""
    _PUT_IN_PLACE.clear()


def put_in_place(target: str | os.PathLike[str]) -> bool:
    """Whether this process's last :func:`atomic_dir` for ``target`` put its output there."""
    return Path(os.path.abspath(target)) in _PUT_IN_PLACE  # (as check_target names it)


@contextlib.contextmanager
def atomic_dir(target: str | os.PathLike[str], command: str = "build",
               protect: Iterable[Path] = ()) -> Iterator[Path]:
    """Yield an empty temporary folder beside ``target``; on success it replaces ``target``.

    ``target`` is checked first (:func:`check_target`, :class:`OutputRefused`) and
    checked again under the lock just before the swap. The swap writes the marker,
    then two renames on one filesystem (old -> backup, new -> target); the backup is
    removed. If anything raises inside the ``with`` block (including an interrupt),
    the temporary folder is removed and ``target`` is not touched.
    """
    protect = list(protect)
    target = check_target(target, protect)
    _PUT_IN_PLACE.discard(target)
    parent = target.parent
    if parent.exists() and not parent.is_dir():
        raise OutputError(f"cannot create output folder {target}: {parent} is not a folder")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {target}: {_why(exc)}") from exc
    with deferred_signals():
        try:
            tmp = Path(tempfile.mkdtemp(prefix=_tmp_prefix(target, TMP_INFIX), dir=parent))
        except OSError as exc:
            raise OutputError(f"cannot write to {parent}: {_why(exc)}") from exc
    try:
        yield tmp
        try:
            write_marker(tmp, command)
            os.chmod(tmp, 0o755)  # mkdtemp creates 0700; a published site should be readable
        except OSError as exc:
            raise OutputError(f"cannot write to {parent}: {_why(exc)}") from exc
        with deferred_signals():
            _swap(tmp, target, protect)
            _PUT_IN_PLACE.add(target)  # (before a signal held meanwhile is raised)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EACCES, errno.EROFS, errno.EDQUOT, errno.EPERM):
            raise OutputError(f"cannot write output folder {target}: {_why(exc)}") from exc
        raise
    finally:
        with deferred_signals():
            if tmp.exists():
                _rmtree(tmp)
