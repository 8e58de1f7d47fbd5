"""Reading the project's input files under one error contract.

Every input file (the catalogue, exclusions, corrections, vocabularies, the data
dictionary, the metadata sidecar) is read here. A bad file gives an
:class:`InputError` naming the file and listing every problem at once, each with
the line where it starts (the csv reader's own line count, so blank lines and
quoted fields spanning several lines are counted as in an editor), the row's id
where there is one, and what is wrong. A UTF-8 byte-order mark and CRLF line ends
are accepted; blank lines are skipped.

Limits, so that a bad file costs seconds, not minutes: a file larger than
:data:`MAX_BYTES` is refused before it is parsed, and a message shows the first
:data:`MAX_SHOWN` problems of a file followed by how many more there are.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

#: The largest input file read (1 MiB; the largest file of data/ is about 30 kB).
MAX_BYTES = 1 << 20
#: Problems listed in one error message; the rest are counted.
MAX_SHOWN = 50


@dataclass(frozen=True)
class Problem:
    """One problem of an input file: its line (0 for the file as a whole), id and message."""

    line: int
    row_id: str
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}" if self.line else "file"
        return f"{where} ({self.row_id or '?'}): {self.message}"


class InputError(ValueError):
    """An input file is invalid. ``problems`` lists every problem found at once."""

    what = "input file"

    def __init__(self, path: Path | str, problems: Iterable[Problem]):
        self.path = Path(path)
        self.problems = sorted(problems, key=lambda p: p.line)
        lines = "\n".join(f"  {p}" for p in self.problems[:MAX_SHOWN])
        if len(self.problems) > MAX_SHOWN:
            lines += (f"\n  ... and {len(self.problems) - MAX_SHOWN} more problem(s) "
                      f"(the first {MAX_SHOWN} are shown)")
        super().__init__(f"{self.path}: {len(self.problems)} problem(s) in the {self.what}:\n"
                         f"{lines}")


def read_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The file's text (UTF-8, an optional BOM removed), or None and the problem."""
    try:
        with path.open("rb") as fh:
            data = fh.read(MAX_BYTES + 1)  # a file that grows meanwhile is not read whole
    except FileNotFoundError:
        return None, [Problem(0, "", "file not found")]
    except OSError as exc:
        return None, [Problem(0, "", f"cannot read the file: {exc.strerror or exc}")]
    if len(data) > MAX_BYTES:
        return None, [Problem(0, "", f"the file is larger than {MAX_BYTES // (1 << 20)} MiB, "
                                     "the limit for an input file (nothing of it was read)")]
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None, [Problem(1, "", "the file is UTF-16; save it as UTF-8")]
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        return None, [Problem(line, "", f"not UTF-8: byte 0x{data[exc.start]:02x} at column "
                                        f"{column} cannot be decoded; save the file as UTF-8")]
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        return None, [Problem(line, "", "NUL character: this is not a text file")]
    return text, []


def read_csv(
    path: Path,
    columns: Sequence[str],
    *,
    id_column: str | None = None,
    min_rows: int = 1,
) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Rows of a CSV file with exactly ``columns`` (any order), and its problems.

    Each row is a dict of strings plus ``line``, the line where the row starts.
    A row with the wrong number of fields is reported and left out (what the
    fields must hold is the table's schema's business: :mod:`dbanalysis.core.schema`).
    An unreadable file, a bad header or broken quoting gives no rows and the problem.
    """
    text, problems = read_text(path)
    if text is None:
        return [], problems
    if not text.strip():
        return [], [Problem(1, "", f"the file is empty; expected a header line "
                                   f"{','.join(columns)}")]
    # newline='': only CR, LF and CRLF end a line (as for the csv module's own files)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows: list[dict[str, Any]] = []
    header: list[str] | None = None
    header_line = next_line = 1
    try:
        for record in reader:
            line, next_line = next_line, reader.line_num + 1
            if not record or (all(not f.strip() for f in record) and len(record) <= 1):
                continue  # a blank line
            if header is None:
                header, header_line = [h.strip() for h in record], line
                bad = _header_problems(header, columns, line)
                if bad:
                    return [], bad
                continue
            at = header.index(id_column) if id_column else len(record)
            rid = record[at].strip() if at < len(record) else ""
            if len(record) != len(header):
                problems.append(Problem(line, rid, f"{len(record)} field(s), expected "
                                                   f"{len(header)} ({','.join(header)})"))
                continue
            row: dict[str, Any] = dict(zip(header, record, strict=True))
            row["line"] = line
            rows.append(row)
    except csv.Error as exc:
        return [], [*problems, Problem(next_line, "", f"broken CSV quoting: {exc}")]
    if header is None:  # pragma: no cover - a non-empty text always has a record
        return [], [Problem(0, "", "no header line")]
    if len(rows) < min_rows and not problems:
        problems.append(Problem(header_line, "", "only a header line: the file has no rows"))
    return rows, problems


def _header_problems(header: list[str], columns: Sequence[str], line: int) -> list[Problem]:
    out = []
    missing = [c for c in columns if c not in header]
    unknown = [c for c in header if c not in columns]
    dupes = sorted({c for c in header if header.count(c) > 1})
    if missing:
        out.append(Problem(line, "", f"missing column(s) {missing}"))
    if unknown:
        out.append(Problem(line, "", f"unknown column(s) {unknown} (expected "
                                     f"{','.join(columns)})"))
    if dupes:
        out.append(Problem(line, "", f"repeated column(s) {dupes}"))
    return out


def read_json(path: Path, fields: dict[str, tuple[type, ...]],
              checks: dict[str, Callable[[Any], str | None]] | None = None
              ) -> tuple[dict | None, list[Problem]]:
    """A JSON object with the given ``{key: allowed types}``, and its problems.

    ``checks`` maps a key to a function returning what is wrong with its (well-typed)
    value, or None. A problem's line is where the key is written (1 when it is absent).
    """
    text, problems = read_text(path)
    if text is None:
        return None, problems
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return None, [Problem(exc.lineno, "", f"not valid JSON: {exc.msg} (column {exc.colno})")]
    if not isinstance(data, dict):
        return None, [Problem(1, "", f"expected a JSON object, found {type(data).__name__}")]
    if not text.strip():  # pragma: no cover - json.loads already fails on it
        return None, [Problem(1, "", "the file is empty")]
    for key, types in fields.items():
        m = re.search(rf'"{re.escape(key)}"\s*:', text)
        line = text[: m.start()].count("\n") + 1 if m else 0
        if key not in data:
            problems.append(Problem(1, key, f"missing key {key!r}"))
        elif not isinstance(data[key], types) or (type(data[key]) is bool and bool not in types):
            names = " or ".join("null" if t is type(None) else t.__name__ for t in types)
            problems.append(Problem(line, key, f"{key!r} must be {names}, "
                                               f"found {json.dumps(data[key])[:40]}"))
        elif checks and key in checks and (wrong := checks[key](data[key])):
            problems.append(Problem(line, key, wrong))
    return data, problems
