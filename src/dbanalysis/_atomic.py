"""Build a directory next to its target, then swap it into place.

A failed or interrupted build leaves the previous directory untouched and no
temporary directory behind.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path


class OutputError(Exception):
    """The output folder cannot be created or replaced."""


def _prepare_parent(target: Path) -> Path:
    parent = target.parent
    if target.exists() and not target.is_dir():
        raise OutputError(f"output path {target} exists and is not a folder")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create output folder {target}: {exc.strerror or exc}") from exc
    if not parent.is_dir():
        raise OutputError(f"cannot create output folder {target}: {parent} is not a folder")
    return parent


@contextlib.contextmanager
def atomic_dir(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield an empty temporary folder beside ``target``; on success it replaces ``target``.

    The swap is two renames on the same filesystem (old -> backup, new -> target),
    and the backup is removed afterwards. If anything raises inside the ``with``
    block, the temporary folder is removed and ``target`` is not touched.
    """
    target = Path(target).absolute()
    parent = _prepare_parent(target)
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=parent))
    except OSError as exc:
        raise OutputError(f"cannot write to {parent}: {exc.strerror or exc}") from exc
    try:
        yield tmp
        os.chmod(tmp, 0o755)  # mkdtemp creates 0700; a published site should be readable
        backup = None
        if target.exists():
            backup = Path(tempfile.mkdtemp(prefix=f".{target.name}.old-", dir=parent))
            os.rename(target, backup / "old")
        try:
            os.rename(tmp, target)
        except OSError as exc:
            if backup is not None:
                os.rename(backup / "old", target)
            raise OutputError(f"cannot replace {target}: {exc.strerror or exc}") from exc
        finally:
            if backup is not None:
                shutil.rmtree(backup, ignore_errors=True)
    finally:
        if tmp.exists():
            shutil.rmtree(tmp, ignore_errors=True)
