"""Output folders that ``build`` and ``export`` own, replaced all at once.

A command writes its output into a temporary folder beside the target and swaps it
into place only when everything succeeded. The target is replaced only if it does
not exist, is empty, or holds the marker file (:data:`MARKER`) that an earlier
``build``/``export`` wrote, listing every file it wrote. Anything else is refused
before any file is touched: a folder holding other files, the current folder and
its ancestors, the repository, ``notebooks/``, ``data/``, the home folder and ``/``.

A failed or interrupted run leaves the previous folder untouched and no temporary
folder behind. Swaps of targets in one parent folder are serialised with a lock
on that folder, so concurrent runs replace the target one after the other.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import fcntl
import json
import os
import shutil
import signal
import tempfile
import threading
from collections.abc import Iterable, Iterator
from pathlib import Path

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
        self.replaced = False  # True when the new output was already in place


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


def owned_files(target: Path) -> set[str] | None:
    """Files the marker in ``target`` lists (relative paths), or None without a valid marker."""
    try:
        data = json.loads((target / MARKER).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("written_by") != "dbanalysis":
        return None
    files = data.get("files")
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files):
        return None
    return set(files)


def _listing(folder: Path) -> set[str]:
    out: set[str] = set()
    for root, dirs, files in os.walk(folder):
        rel = Path(root).relative_to(folder)
        out.update((rel / name).as_posix() for name in files)
        out.update((rel / name).as_posix() + "/" for name in dirs
                   if os.path.islink(os.path.join(root, name)))
    return out


def check_target(out: str | os.PathLike[str], protect: Iterable[Path] = ()) -> Path:
    """The absolute target if the command may write it; :class:`OutputRefused` otherwise.

    ``protect`` adds folders (e.g. the input notebooks) that must survive like
    ``data/``. Nothing on disk is changed.
    """
    if str(out).strip() == "":
        raise OutputRefused("refusing to write to an empty output path ''")
    target = Path(os.path.abspath(out))
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
    if target.is_symlink():
        raise OutputRefused(f"refusing to replace {target}: it is a symbolic link")
    if not target.exists():
        return target
    if not target.is_dir():
        raise OutputRefused(f"refusing to replace {target}: it exists and is not a folder")
    if (target / ".git").exists():
        raise OutputRefused(f"refusing to replace {target}: it is a git repository")
    try:
        present = _listing(target)
    except OSError as exc:
        raise OutputError(f"cannot read output folder {target}: {_why(exc)}") from exc
    if not present:
        return target
    owned = owned_files(target)
    if owned is None:
        raise OutputRefused(
            f"refusing to replace {target}: it holds files that dbanalysis did not write "
            f"(no {MARKER} marker); choose a new or empty folder (a folder that an "
            "older dbanalysis wrote has no marker: remove it by hand once)"
        )
    extra = sorted(present - owned - {MARKER})
    if extra:
        shown = ", ".join(extra[:3]) + (f" and {len(extra) - 3} more" if len(extra) > 3 else "")
        raise OutputRefused(
            f"refusing to replace {target}: it holds files that dbanalysis did not write "
            f"({shown}); move them away or choose another folder"
        )
    return target


def write_marker(folder: Path, command: str) -> None:
    """Record that ``command`` wrote ``folder``, with every file it holds."""
    files = sorted(_listing(folder) - {MARKER})
    data = {
        "written_by": "dbanalysis",
        "command": f"dbanalysis {command}",
        "version": __version__,
        "written": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "note": "This folder is replaced by the next run of the command; "
                "files not listed here make it refuse.",
        "files": files,
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
    """Hold SIGINT/SIGTERM until the block ends, then raise :class:`Interrupted`.

    Outside the main thread signals cannot be redirected; the block then runs as is.
    """
    got: list[int] = []
    if threading.current_thread() is not threading.main_thread():
        yield got
        return
    old = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    for s in old:
        signal.signal(s, lambda signum, _frame: got.append(signum))
    try:
        yield got
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
    if got:
        raise Interrupted(got[0])


def _rmtree(path: Path) -> None:
    shutil.rmtree(path, ignore_errors=True)


def _swap(tmp: Path, target: Path, protect: Iterable[Path]) -> None:
    parent = target.parent
    with _parent_lock(parent):
        check_target(target, protect)  # again: the folder may have changed meanwhile
        backup = None
        try:
            if target.exists():
                backup = Path(tempfile.mkdtemp(prefix=f".{target.name}{OLD_INFIX}", dir=parent))
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
    parent = target.parent
    if parent.exists() and not parent.is_dir():
        raise OutputError(f"cannot create output folder {target}: {parent} is not a folder")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {target}: {_why(exc)}") from exc
    with deferred_signals():
        try:
            tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}{TMP_INFIX}", dir=parent))
        except OSError as exc:
            raise OutputError(f"cannot write to {parent}: {_why(exc)}") from exc
    try:
        yield tmp
        try:
            write_marker(tmp, command)
            os.chmod(tmp, 0o755)  # mkdtemp creates 0700; a published site should be readable
        except OSError as exc:
            raise OutputError(f"cannot write to {parent}: {_why(exc)}") from exc
        try:
            with deferred_signals():
                _swap(tmp, target, protect)
        except Interrupted as exc:
            exc.replaced = True  # the signal came while the finished output was swapped in
            raise
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EACCES, errno.EROFS, errno.EDQUOT, errno.EPERM):
            raise OutputError(f"cannot write output folder {target}: {_why(exc)}") from exc
        raise
    finally:
        with deferred_signals():
            if tmp.exists():
                _rmtree(tmp)
