"""Rows validated against their table schema (:mod:`dbanalysis.core.schema`): an input
file read into typed rows (:func:`read`, :func:`read_rows`), a computed table checked
(:func:`check_frame`), and a computed value as a file holds it (:func:`cell`).

The validation is written here rather than delegated to ``frictionless`` (or
pandera): it covers only the part of Table Schema the schemas use (types ``string``,
``integer``, ``number``, ``boolean``; constraints ``required``, ``unique``, ``enum``,
``pattern``, ``minimum``, ``maximum``, ``minLength``; ``primaryKey``; ``foreignKeys``
into input tables), costs a few milliseconds instead of the libraries' import time in
every kernel, and reports problems under the input-file contract of
:mod:`dbanalysis.core.inputs` (file, line, id, all at once). The tests validate every data
file with ``frictionless`` too, so the two readings of a schema must agree.

Numbers are held to what every output can show exactly: an integer or a number has at
most :data:`MAX_DIGITS` significant digits and its magnitude is below
``10**MAX_DIGITS`` (a 40-digit count or ``1e308`` is an input error, not an overflow
in a notebook).
"""

from __future__ import annotations

import math
import os
import re
import stat
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from .cache import fresh_content_hash, memo
from .inputs import InputError, Problem, read_csv
from .schema import TYPES, Field, Schema, load

INTEGER_RE = re.compile(r"[+-]?[0-9]+")
NUMBER_RE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
#: Row key, while a file is read, of the fields whose text did not parse (reported once).
UNPARSED = "_unparsed"
#: Significant digits a number of an input file may have (what a float holds exactly),
#: and the bound of its magnitude: ``10 ** MAX_DIGITS``.
MAX_DIGITS = 15
#: Files whose validated rows are kept per process (:func:`read_rows`) before all are
#: forgotten at once (the data folder has some 30 input files; the tests' damaged copies
#: add a version of one file each).
KEEP_FILES = 256
#: (schema name, path, content hashes) -> (schemas, rows, problems): see :func:`read_rows`.
_READ: dict[tuple[str, str, tuple[str, ...]],
            tuple[tuple[Schema, ...], list[dict[str, Any]], list[Problem]]] = {}


def parse(f: Field, text: str) -> tuple[Any, str | None]:
    """A CSV cell's value for field ``f`` (None when empty), or the problem with it."""
    if text == "":
        return None, None
    if f.type == "integer":
        if not INTEGER_RE.fullmatch(text):
            return None, f"{f.name} {text!r} is not a whole number (ASCII digits)"
        return _bounded(f, text, int)
    if f.type == "number":
        if not NUMBER_RE.fullmatch(text):
            return None, f"{f.name} {text!r} is not a number (ASCII digits, '.' decimal mark)"
        return _bounded(f, text, float)
    if f.type == "boolean":
        if text not in ("true", "false"):
            return None, f"{f.name} {text!r} is not true or false"
        return text == "true", None
    return text, None


def _bounded(f: Field, text: str, kind: type) -> tuple[Any, str | None]:
    """``kind(text)``, or the problem if it has more than :data:`MAX_DIGITS` significant
    digits or a magnitude past ``10 ** ±MAX_DIGITS`` (read as a Decimal: no overflow)."""
    exact = Decimal(text)
    if exact and (len(exact.normalize().as_tuple().digits) > MAX_DIGITS
                  or not -MAX_DIGITS <= exact.adjusted() < MAX_DIGITS):
        return None, (f"{f.name} {text[:40]!r} is out of range: at most {MAX_DIGITS} significant "
                      f"digits, and between 1e-{MAX_DIGITS} and 1e{MAX_DIGITS} in size")
    return kind(text), None


def value_problems(f: Field, value: Any) -> list[str]:
    """What is wrong with a typed value of field ``f`` (empty: nothing)."""
    if value is None or (isinstance(value, float) and math.isnan(value)) \
            or (isinstance(value, str) and not value.strip()):  # blanks are empty to a reader
        return [f"empty {f.name}"] if f.required else []
    types = TYPES[f.type]
    if not isinstance(value, types) or (isinstance(value, bool) and bool not in types):
        return [f"{f.name} {value!r} is not of type {f.type}"]
    if isinstance(value, float) and not math.isfinite(value):
        return [f"{f.name} {value!r} is not a finite number"]
    out = []
    c = f.constraints
    if "enum" in c and value not in c["enum"]:
        out.append(f"unknown {f.name} {value!r} (allowed: {', '.join(map(str, c['enum']))})")
    if "pattern" in c and not re.fullmatch(c["pattern"], str(value)):
        wanted = f.pattern_text or f"of the pattern {c['pattern']}"
        out.append(f"{f.name} {value!r} is not {wanted}")
    if "minimum" in c and value < c["minimum"]:
        out.append(f"{f.name} {value!r} is less than {c['minimum']}")
    if "maximum" in c and value > c["maximum"]:
        out.append(f"{f.name} {value!r} is more than {c['maximum']}")
    if "minLength" in c and len(str(value)) < c["minLength"]:
        out.append(f"{f.name} {value!r} is shorter than {c['minLength']} character(s)")
    return out


@memo("")  # any input table may be referred to: keyed on the whole data folder
def keys(resource: str, columns: tuple[str, ...]) -> tuple[tuple[Any, ...], ...]:
    """The values of ``columns`` in the input table ``resource``, in file order (its own
    errors raised)."""
    schema = load(resource)
    rows = read(schema)
    return tuple(dict.fromkeys(tuple(r[c] for c in columns) for r in rows))


def _reference_problems(schema: Schema, rows: Sequence[Mapping[str, Any]],
                        references: Mapping[str, Iterable[Any]] | None) -> list[Problem]:
    out = []
    for fk in schema.foreign_keys:
        if references and fk.resource in references:
            allowed = {k if isinstance(k, tuple) else (k,) for k in references[fk.resource]}
        else:
            allowed = set(keys(fk.resource, fk.reference))
        for row in rows:
            got = tuple(row[c] for c in fk.fields)
            if any(v is None or v == "" for v in got) or got in allowed:
                continue
            shown = got[0] if len(got) == 1 else got
            where = "" if fk.fields == fk.reference else f" in {', '.join(fk.fields)}"
            out.append(Problem(row.get("line", 0), _row_id(schema, row),
                               f"unknown {', '.join(fk.reference)} {shown!r}{where}"))
    return out


def _row_id(schema: Schema, row: Mapping[str, Any]) -> str:
    col = schema.id_column
    return "" if col is None or row.get(col) is None else str(row[col])


def _unique_problems(schema: Schema, rows: Sequence[Mapping[str, Any]]) -> list[Problem]:
    out = []
    groups = [(schema.primary_key, "/".join(schema.primary_key))] if schema.primary_key else []
    groups += [((f.name,), f.name) for f in schema.fields
               if f.constraints.get("unique") and (f.name,) != schema.primary_key]
    for cols, what in groups:
        seen: dict[tuple, int] = {}
        for row in rows:
            key = tuple(row[c] for c in cols)
            if any(v is None or v == "" for v in key):
                continue
            if key in seen:
                out.append(Problem(row.get("line", 0), _row_id(schema, row),
                                   f"duplicate {what} (first on line {seen[key]})"))
            else:
                seen[key] = row.get("line", 0)
    return out


def check_rows(schema: Schema, rows: Sequence[dict[str, Any]],
               references: Mapping[str, Iterable[Any]] | None = None) -> list[Problem]:
    """Validate rows of typed values (each may carry ``line``); every problem at once.

    ``references`` gives the keys of a foreign-key table directly (e.g. the figure ids
    of a catalogue under test) instead of reading its file.
    """
    out = []
    for row in rows:
        rid = _row_id(schema, row)
        unparsed = row.get(UNPARSED, ())
        for f in schema.fields:
            if f.name not in unparsed:
                out += [Problem(row.get("line", 0), rid, m)
                        for m in value_problems(f, row.get(f.name))]
    out += _unique_problems(schema, rows)
    out += _reference_problems(schema, rows, references)
    return out


def read(schema: Schema | str, path: Path | None = None,
         references: Mapping[str, Iterable[Any]] | None = None) -> list[dict[str, Any]]:
    """The rows of an input file, typed and validated against its schema.

    Each row is a dict of the schema's columns (empty cells: ``""`` for strings, None
    otherwise) plus ``line``. Raises :class:`InputError` naming the file and every
    problem: encoding, header, field counts, types, constraints, keys.
    """
    rows, problems = read_rows(schema, path, references)
    if problems:
        raise InputError(path or _schema(schema).data_path, problems)
    return rows


def read_rows(schema: Schema | str, path: Path | None = None,
              references: Mapping[str, Iterable[Any]] | None = None
              ) -> tuple[list[dict[str, Any]], list[Problem]]:
    """Like :func:`read`, returning the rows that could be read and the problems.

    Remembered per process (without ``references``) and keyed on everything the result
    depends on: the path, and the content and schema (equal, not only of the same name)
    of the file and of every input table its foreign keys reach, directly or through
    theirs (:func:`dbanalysis.core.cache.fresh_content_hash`: a file's status read, its
    bytes hashed again when the status changed). A damaged file
    gets its problems on every call; an edited file is read again. The caller gets lists
    and rows of its own (the values in them are immutable).
    """
    schema = _schema(schema)
    path = Path(path or schema.data_path)
    if references:  # (keys given by the caller: not remembered)
        return _read_rows(schema, path, references)
    key = _content_key(schema, path)
    if key is None:  # not a regular file, or unreadable: read (and reported) as always
        return _read_rows(schema, path, None)
    hashes, schemas = key
    at = (schema.name, os.fspath(path), hashes)
    held = _READ.get(at)
    if held is None or not all(a is b or a == b for a, b in zip(held[0], schemas, strict=True)):
        rows, problems = _read_rows(schema, path, None)
        if len(_READ) >= KEEP_FILES:
            _READ.clear()
        held = _READ[at] = (schemas, rows, problems)
    return [dict(r) for r in held[1]], list(held[2])


def _content_key(schema: Schema, path: Path
                 ) -> tuple[tuple[str, ...], tuple[Schema, ...]] | None:
    """What :func:`read_rows`'s result depends on: the content hash of the file and of
    every input table its foreign keys reach (directly or through theirs: ``keys``
    validates each), and the schemas of all of them. None: not remembered."""
    try:
        if not stat.S_ISREG(os.stat(path).st_mode):
            return None
        roots, schemas, todo = [path], [schema], list(schema.foreign_keys)
        while todo:
            fk = todo.pop()
            if all(s.name != fk.resource for s in schemas):
                referred = load(fk.resource)
                roots.append(referred.data_path)
                schemas.append(referred)
                todo += referred.foreign_keys
        # one root at a time: each file's hash is kept by its own status
        return tuple(fresh_content_hash([r]) for r in roots), tuple(schemas)
    except (OSError, InputError, ValueError):
        return None  # the uncached read reports it


def _read_rows(schema: Schema, path: Path,
               references: Mapping[str, Iterable[Any]] | None
               ) -> tuple[list[dict[str, Any]], list[Problem]]:
    """:func:`read_rows`, not remembered."""
    raw, problems = read_csv(path, schema.columns, id_column=schema.id_column,
                             min_rows=schema.min_rows)
    rows = []
    for r in raw:
        row: dict[str, Any] = {"line": r["line"], UNPARSED: set()}
        rid = r.get(schema.id_column, "") if schema.id_column else ""
        for f in schema.fields:
            value, wrong = parse(f, r[f.name])
            if wrong:
                problems.append(Problem(r["line"], rid, wrong))
                row[UNPARSED].add(f.name)
            row[f.name] = "" if value is None and f.type == "string" else value
        rows.append(row)
    problems += check_rows(schema, rows, references)
    if schema.required_keys and raw:
        # a row reported for another reason (a field too many) is not missing
        have = {r[schema.primary_key[0]] for r in rows} | {p.row_id for p in problems}
        problems += [Problem(0, key, f"no row {key!r}: the code relies on it; put the row back")
                     for key in schema.required_keys if key not in have]
    for row in rows:
        del row[UNPARSED]
    return rows, problems


def check_frame(schema: Schema | str, frame: Any,
                references: Mapping[str, Iterable[Any]] | None = None) -> list[Problem]:
    """Validate a computed table (a pandas DataFrame) against its schema."""
    schema = _schema(schema)
    got = [str(c) for c in frame.columns]
    if got != schema.columns:
        return [Problem(0, "", f"columns {got}, expected {schema.columns}")]
    rows = []
    for i, record in enumerate(frame.to_dict("records"), start=1):
        row = {f.name: cell(f, record[f.name]) for f in schema.fields}
        row["line"] = i
        rows.append(row)
    return check_rows(schema, rows, references)


def cell(f: Field, value: Any) -> Any:
    """A computed table's value as written to a file: a numpy scalar as the Python value
    (``np.int64(3)`` → 3), NaN and pandas' missing values as None, a list of ids joined
    by the field's ``separator``."""
    if f.separator and isinstance(value, list | tuple):
        return f.separator.join(str(v) for v in value)
    from pandas import isna  # a frame's cells: pandas is loaded already

    if not isinstance(value, list | tuple) and isna(value):
        return None
    if hasattr(value, "item") and not isinstance(value, str | bytes):
        value = value.item()
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def _schema(schema: Schema | str) -> Schema:
    return load(schema) if isinstance(schema, str) else schema
