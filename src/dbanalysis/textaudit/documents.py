"""Read a report from a file: plain text, an HTML page, a Word document or a text PDF.

Each format is read by a well-kept library, not by hand: the main text of a web page
(not its menus, footers and comments) by trafilatura, the paragraphs of a ``.docx``
by python-docx, the text layer of a PDF by pypdf (no OCR: a scanned PDF has no text and
is reported as such).  The text is returned in NFC.  A file that cannot be read raises
:class:`DocumentError` naming the file and the problem.
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

__all__ = ["SUFFIXES", "DocumentError", "read_document"]

SUFFIXES = (".txt", ".html", ".htm", ".docx", ".pdf")


class DocumentError(Exception):
    """A report that cannot be read; the message names the file and the problem."""

    def __init__(self, path: Path | str, problem: str):
        super().__init__(f"{path}: {problem}")
        self.path, self.problem = str(path), problem


def _decode(path: Path, data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DocumentError(path, f"not UTF-8 text (byte {exc.start}: {exc.reason})") from None


def _html(path: Path, data: bytes) -> str:
    import trafilatura

    text = trafilatura.extract(_decode(path, data), include_comments=False,
                               include_tables=True, favor_recall=True)
    if not text:
        raise DocumentError(path, "no main text found in the HTML page")
    return text


def _docx(path: Path) -> str:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, KeyError, ValueError, OSError) as exc:
        raise DocumentError(path, f"not a readable .docx file ({exc})") from None
    lines = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            lines.append(" | ".join(cell.text for cell in row.cells))
    return "\n".join(lines)


def _pdf(path: Path) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(str(path))
        pages = [page.extract_text() or "" for page in reader.pages]
    except (PdfReadError, OSError, ValueError, KeyError) as exc:
        raise DocumentError(path, f"not a readable PDF ({exc})") from None
    text = "\n".join(pages)
    if not text.strip():
        raise DocumentError(path, "the PDF has no text layer (a scan? OCR is not done)")
    return text


def read_document(path: Path | str) -> str:
    """The text of the report at ``path`` (NFC); :class:`DocumentError` if unreadable."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DocumentError(path, f"unsupported file type {suffix or '(none)'!r} "
                                  f"(supported: {', '.join(SUFFIXES)})")
    try:
        if suffix == ".docx":
            text = _docx(path)
        elif suffix == ".pdf":
            text = _pdf(path)
        else:
            data = path.read_bytes()
            text = _html(path, data) if suffix in (".html", ".htm") else _decode(path, data)
    except FileNotFoundError:
        raise DocumentError(path, "no such file") from None
    except IsADirectoryError:
        raise DocumentError(path, "is a folder, not a file") from None
    except PermissionError:
        raise DocumentError(path, "permission denied") from None
    text = unicodedata.normalize("NFC", text)
    if not text.strip():
        raise DocumentError(path, "the file has no text")
    return text
