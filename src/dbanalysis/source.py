"""The raw report: loaded only after its checksum matches the metadata sidecar."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from . import paths
from .inputs import InputError, read_json

#: The article ends at the author line; what follows is the portal's navigation.
AUTHOR_MARKER = " • Tác giả:"


class SourceIntegrityError(RuntimeError):
    """The raw report on disk is not the snapshot the metadata describes."""


class SourceMetaError(InputError):
    """The metadata sidecar (``data/raw/*.meta.json``) is invalid."""

    what = "metadata sidecar"


#: Keys of the sidecar that the package reads, with the JSON types allowed.
META_FIELDS: dict[str, tuple[type, ...]] = {
    "title": (str,), "publisher": (str,), "author_as_printed": (str,),
    "date_published": (str,), "date_published_as_printed": (str,), "language": (str,),
    "sha256": (str,), "size_bytes": (int,), "url": (str, type(None)),
    "licence": (str, type(None)),
}  # fmt: skip
META_CHECKS = {
    "sha256": lambda v: None if re.fullmatch(r"[0-9a-f]{64}", v)
    else f"sha256 {v!r} is not 64 lower-case hex digits",
    "size_bytes": lambda v: None if v >= 0 else f"size_bytes {v} is negative",
}


@dataclass(frozen=True)
class SourceMeta:
    title: str
    publisher: str
    author_as_printed: str
    date_published: str
    date_published_as_printed: str
    language: str
    sha256: str
    size_bytes: int
    url: str | None
    licence: str | None
    raw: dict

    @property
    def citation(self) -> str:
        return (
            f"{self.author_as_printed}, “{self.title}”, {self.publisher}, "
            f"{self.date_published_as_printed}."
        )


def load_meta(meta_path: Path | None = None) -> SourceMeta:
    """The sidecar's metadata; :class:`SourceMetaError` listing every problem if it is bad."""
    meta_path = Path(meta_path or paths.raw_meta_path())
    raw, problems = read_json(meta_path, META_FIELDS, META_CHECKS)
    if problems or raw is None:
        raise SourceMetaError(meta_path, problems)
    fields = {k: raw.get(k) for k in SourceMeta.__dataclass_fields__ if k != "raw"}
    return SourceMeta(**fields, raw=raw)


def load_report(path: Path | None = None, meta_path: Path | None = None) -> str:
    """Return the report text after checking size and sha256 against the sidecar.

    Raises SourceIntegrityError naming the file when the bytes differ.
    """
    path = Path(path or paths.raw_report_path())
    meta = load_meta(meta_path)
    if not path.exists():
        raise SourceIntegrityError(f"{path}: raw report not found")
    data = path.read_bytes()
    digest = hashlib.sha256(data).hexdigest()
    if digest != meta.sha256 or len(data) != meta.size_bytes:
        raise SourceIntegrityError(
            f"{path}: checksum mismatch: expected sha256 {meta.sha256} ({meta.size_bytes} bytes), "
            f"found {digest} ({len(data)} bytes). The raw report must never be edited; "
            "restore it from the snapshot."
        )
    return data.decode("utf-8")


@cache
def report_text() -> str:
    """The verified report text (cached for the default location)."""
    return load_report()


def body_end(text: str) -> int:
    """Offset where the article ends (the author line); navigation follows."""
    i = text.find(AUTHOR_MARKER)
    if i < 0:
        raise SourceIntegrityError("report text has no author line ' • Tác giả:'")
    return i
