"""The raw report: loaded only after its checksum matches the metadata sidecar."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from . import paths
from .cache import memo

#: The article ends at the author line; what follows is the portal's navigation.
AUTHOR_MARKER = " • Tác giả:"


class SourceIntegrityError(RuntimeError):
    """The raw report on disk is not the snapshot the metadata describes."""


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
    meta_path = Path(meta_path or paths.raw_meta_path())
    raw = json.loads(meta_path.read_text(encoding="utf-8"))
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


@memo("raw")
def report_text() -> str:
    """The verified report text (cached for the default location)."""
    return load_report()


def body_end(text: str) -> int:
    """Offset where the article ends (the author line); navigation follows."""
    i = text.find(AUTHOR_MARKER)
    if i < 0:
        raise SourceIntegrityError("report text has no author line ' • Tác giả:'")
    return i
