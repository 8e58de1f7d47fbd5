"""The raw report: loaded only after its checksum matches the metadata sidecar."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..core import labels, paths
from ..core.cache import memo
from ..core.inputs import MAX_BYTES, InputError, read_json
from ..core.language import resolve

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
    "licence": (str, type(None)), "title_en": (str,), "author_name": (str,),
    "publisher_vi": (str,), "publisher_en": (str,), "short_title_en": (str,),
    "short_title_vi": (str,),
}  # fmt: skip
META_CHECKS = {
    "sha256": lambda v: None if re.fullmatch(r"[0-9a-f]{64}", v)
    else f"sha256 {v!r} is not 64 lower-case hex digits",
    "size_bytes": lambda v: None if v >= 0 else f"size_bytes {v} is negative",
    "date_published": lambda v: None if _is_iso_datetime(v)
    else f"date_published {v!r} is not an ISO 8601 date-time",
}


def _is_iso_datetime(text: str) -> bool:
    try:
        dt.datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class SourceMeta:
    """The metadata sidecar ``data/raw/*.meta.json`` (``raw`` holds every field)."""

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
        """One-line full citation: author, title, publisher, date as printed."""
        return (
            f"{self.author_as_printed}, “{self.title}”, {self.publisher}, "
            f"{self.date_published_as_printed}."
        )


@dataclass(frozen=True)
class Citation:
    """How the analysed article is cited, every field from the metadata sidecar."""

    #: Vietnamese title as printed, and its English rendering.
    title: str
    title_en: str
    #: Author line as printed (name and office), the author's name alone, and the
    #: office as printed.
    author: str
    author_name: str
    affiliation: str
    #: Publisher in Vietnamese and in English.
    publisher_vi: str
    publisher_en: str
    #: Publication date.
    date: dt.date
    #: Short titles for source lines under charts.
    short_title_en: str
    short_title_vi: str
    url: str | None

    def publisher(self, lang: str | None = None) -> str:
        """The publisher's name in ``lang`` (default: the current language)."""
        return self.publisher_vi if resolve(lang) == "vi" else self.publisher_en

    def short_title(self, lang: str | None = None) -> str:
        """``"Điện Biên district report"`` (or ``"Báo cáo huyện Điện Biên"``)."""
        return self.short_title_vi if resolve(lang) == "vi" else self.short_title_en

    def reference_fields(self, lang: str | None = None) -> dict[str, str]:
        """The fields of the citation (label ``citation.reference``) as plain text: the
        author's name, office as printed, year, quoted title, publisher, date."""
        return {"author": self.author_name, "affiliation": self.affiliation,
                "year": str(self.date.year), "title": f"“{self.title}”",
                "publisher": self.publisher(lang), "date": self.date_text}

    def reference(self, lang: str | None = None) -> str:
        """The citation in ``lang`` as plain text: ``"Phạm Minh Châu (Phòng VH&TT huyện)
        (2020), “Kết quả …”, Cổng thông tin điện tử huyện Điện Biên, đăng ngày 29/09/2020."``"""
        return labels.text("citation.reference", resolve(lang), **self.reference_fields(lang))

    @property
    def date_text(self) -> str:
        """The date as the report prints it, day/month/year (``"29/09/2020"``)."""
        return self.date.strftime("%d/%m/%Y")


def load_meta(meta_path: Path | None = None) -> SourceMeta:
    """Read the metadata sidecar (default: the one beside the raw report).

    Raises :class:`SourceMetaError` listing every problem (bad JSON, encoding, a missing
    or mistyped key) with its line.
    """
    meta_path = Path(meta_path or paths.raw_meta_path())
    raw, problems = read_json(meta_path, META_FIELDS, META_CHECKS)
    if problems or raw is None:
        raise SourceMetaError(meta_path, problems)
    fields: dict[str, Any] = {k: raw.get(k) for k in SourceMeta.__dataclass_fields__
                              if k != "raw"}
    return SourceMeta(**fields, raw=raw)


def load_report(path: Path | None = None, meta_path: Path | None = None) -> str:
    """Return the report text after checking size and sha256 against the sidecar.

    Raises SourceIntegrityError naming the file when the bytes differ.
    """
    path = Path(path or paths.raw_report_path())
    meta = load_meta(meta_path)
    if not path.exists():
        raise SourceIntegrityError(f"{path}: raw report not found")
    limit = min(meta.size_bytes, MAX_BYTES)  # a huge file is not read whole
    with path.open("rb") as fh:
        data = fh.read(limit + 1)
    digest = hashlib.sha256(data).hexdigest()
    if digest != meta.sha256 or len(data) != meta.size_bytes:
        whole = len(data) <= limit
        raise SourceIntegrityError(
            f"{path}: checksum mismatch: expected sha256 {meta.sha256} ({meta.size_bytes} bytes), "
            f"found {digest if whole else 'another'} "
            f"({f'{len(data)} bytes' if whole else f'more than {limit} bytes'}). The raw "
            "report must never be edited; restore it from the snapshot."
        )
    return data.decode("utf-8")


@memo("raw")
def report_text() -> str:
    """The verified report text (cached for the default location)."""
    return load_report()


def citation(meta_path: Path | None = None) -> Citation:
    """The article's citation, from the metadata sidecar.

    Raises :class:`SourceIntegrityError` naming the sidecar and every missing field.
    """
    meta_path = Path(meta_path or paths.raw_meta_path())
    raw = load_meta(meta_path).raw
    needed = ["title", "title_en", "author_as_printed", "author_name", "publisher_vi",
              "publisher_en", "date_published", "short_title_en", "short_title_vi"]
    missing = [k for k in needed if not raw.get(k)]
    if missing:
        raise SourceIntegrityError(f"{meta_path}: missing citation field(s) {', '.join(missing)}")
    return Citation(
        title=raw["title"], title_en=raw["title_en"], author=raw["author_as_printed"],
        author_name=raw["author_name"],
        affiliation=raw.get("author_affiliation_as_printed") or "",
        publisher_vi=raw["publisher_vi"],
        publisher_en=raw["publisher_en"],
        date=dt.datetime.fromisoformat(raw["date_published"]).date(),
        short_title_en=raw["short_title_en"], short_title_vi=raw["short_title_vi"],
        url=raw.get("url"),
    )


def citation_line(lang: str | None = None, meta_path: Path | None = None) -> str:
    """The short citation for a chart's source line, in ``lang`` (default: current).

    ``"Source: Điện Biên district report, 29/09/2020"`` in English,
    ``"Nguồn: Báo cáo huyện Điện Biên, 29/09/2020"`` in Vietnamese (wording from
    ``data/vocab/labels.csv``, key ``citation.short``).
    """
    lang = resolve(lang)
    c = citation(meta_path)
    return labels.text("citation.short", lang, title=c.short_title(lang), date=c.date_text)


def body_end(text: str) -> int:
    """Offset where the article ends (the author line); navigation follows."""
    i = text.find(AUTHOR_MARKER)
    if i < 0:
        raise SourceIntegrityError("report text has no author line ' • Tác giả:'")
    return i
