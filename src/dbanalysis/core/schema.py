"""Table schemas: one Frictionless Table Schema per table, kept as data in ``data/schemas/``.

``data/schemas/input/<path>.json`` describes the curated file ``data/<path>.csv``;
``data/schemas/output/<name>.json`` a table the package computes (``figures``,
``derived``, ``audit``). Each declares its fields (type, unit, description,
constraints), its primary key and its foreign keys into other input tables. From
them come the loaders' column lists (:attr:`Schema.columns`), the validation of every
input file and computed table (this module), the data dictionary
(:mod:`dbanalysis.catalogue.dictionary`) and the fields of ``datapackage.json``
(:mod:`dbanalysis.cli.export`).

The validation is written here rather than delegated to ``frictionless`` (or
pandera): it covers only the part of Table Schema the schemas use (types ``string``,
``integer``, ``number``, ``boolean``; constraints ``required``, ``unique``, ``enum``,
``pattern``, ``minimum``, ``maximum``, ``minLength``; ``primaryKey``; ``foreignKeys``
into input tables), costs a few milliseconds instead of the libraries' import time in
every kernel, and reports problems under the input-file contract of
:mod:`dbanalysis.core.inputs` (file, line, id, all at once). The tests validate every data
file with ``frictionless`` too, so the two readings of a schema must agree.

Custom properties a schema may carry besides the standard ones: ``unit`` on a field
(what its numbers count), ``patternText`` (the pattern in words, for messages),
``separator`` on a string field that lists ids (a list in memory, written joined by
it), ``minRows`` on the schema (0 when a file may hold no rows; default 1) and
``requiredKeys`` on the schema: the primary-key values the code relies on (the
``ambiguous`` verdict, the ``corrected`` status, a label key...), each a row the file
must keep, so that deleting one is an input error rather than a failure of ``build``.

Numbers are held to what every output can show exactly: an integer or a number has at
most :data:`MAX_DIGITS` significant digits and its magnitude is below
``10**MAX_DIGITS`` (a 40-digit count or ``1e308`` is an input error, not an overflow
in a notebook).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from . import paths
from .cache import memo
from .inputs import InputError, Problem, read_csv, read_text

#: The field types the schemas use, and the Python types of their values.
TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
}
NAME_RE = re.compile(r"[a-z][a-z0-9_]*")
INTEGER_RE = re.compile(r"[+-]?[0-9]+")
NUMBER_RE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
#: Row key, while a file is read, of the fields whose text did not parse (reported once).
UNPARSED = "_unparsed"
CONSTRAINTS = ("required", "unique", "enum", "pattern", "minimum", "maximum", "minLength")
#: Significant digits a number of an input file may have (what a float holds exactly),
#: and the bound of its magnitude: ``10 ** MAX_DIGITS``.
MAX_DIGITS = 15


class SchemaError(InputError):
    """A schema file in ``data/schemas/`` is invalid."""

    what = "table schema"


@dataclass(frozen=True)
class Field:
    """One column of a table: its name, type, description, unit and constraints."""

    name: str
    type: str
    description: str
    title: str = ""
    unit: str = ""
    pattern_text: str = ""
    separator: str = ""
    constraints: Mapping[str, Any] = field(default_factory=dict)

    @property
    def required(self) -> bool:
        """Whether every row must give this field a value."""
        return bool(self.constraints.get("required"))


@dataclass(frozen=True)
class ForeignKey:
    """Values of ``fields`` must be keys of the input table ``resource``."""

    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Schema:
    """One table's schema, as read from ``data/schemas/<name>.json``."""

    name: str
    title: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    min_rows: int = 1
    descriptor: Mapping[str, Any] = field(default_factory=dict, repr=False)

    @property
    def required_keys(self) -> tuple[str, ...]:
        """The primary-key values the code relies on (``requiredKeys``)."""
        return tuple(self.descriptor.get("requiredKeys", ()))

    @property
    def columns(self) -> list[str]:
        """The column names, in order."""
        return [f.name for f in self.fields]

    @property
    def required(self) -> list[str]:
        """The columns every row must fill."""
        return [f.name for f in self.fields if f.required]

    @property
    def id_column(self) -> str | None:
        """The column naming a row in messages: the primary key when it is one column."""
        return self.primary_key[0] if len(self.primary_key) == 1 else None

    @property
    def data_path(self) -> Path:
        """The CSV file an input schema describes: ``input/vocab/units`` describes
        ``data/vocab/units.csv``."""
        if not self.name.startswith("input/"):
            raise ValueError(f"schema {self.name!r} describes a computed table, not a file")
        return paths.data_dir() / f"{self.name.removeprefix('input/')}.csv"

    def field(self, name: str) -> Field:
        """The field called ``name`` (KeyError naming the table if absent)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"table {self.name!r} has no column {name!r}")


def schemas_dir() -> Path:
    """Where the schema files live (``data/schemas``; ``DBANALYSIS_DATA`` honoured)."""
    return paths.data_dir() / "schemas"


def names() -> list[str]:
    """Every schema, as ``input/...`` and ``output/...`` names, sorted."""
    root = schemas_dir()
    return sorted(p.relative_to(root).with_suffix("").as_posix()
                  for folder in ("input", "output") for p in (root / folder).rglob("*.json"))


#: The shared field definitions (``data/schemas/fields.json``): a field that several
#: tables declare alike is written ``{"name": "unit", "$ref": "unit"}`` in each schema
#: and declared once there; keys beside ``$ref`` override the shared ones.
FIELDS_FILE = "fields.json"


def _shared_fields() -> tuple[dict[str, Any], list[Problem]]:
    path = schemas_dir() / FIELDS_FILE
    text, problems = read_text(path)
    if text is None:
        return {}, problems
    try:
        desc = json.loads(text)
    except json.JSONDecodeError as exc:
        return {}, [Problem(exc.lineno, "", f"not valid JSON: {exc.msg}")]
    shared = desc.get("fields") if isinstance(desc, dict) else None
    if not isinstance(shared, dict) or not all(isinstance(v, dict) for v in shared.values()):
        return {}, [Problem(1, "", "a JSON object whose 'fields' maps names to field objects")]
    return shared, []


def resolve(desc: Any, text: str = "") -> tuple[Any, list[Problem]]:
    """``desc`` with every field's ``$ref`` replaced by the shared definition it names
    (:data:`FIELDS_FILE`), local keys kept over shared ones; the problems (an unknown
    name, an unreadable shared file)."""
    if not isinstance(desc, dict) or not isinstance(desc.get("fields"), list):
        return desc, []
    if not any(isinstance(f, dict) and "$ref" in f for f in desc["fields"]):
        return desc, []
    shared, problems = _shared_fields()
    fields = []
    for f in desc["fields"]:
        if not (isinstance(f, dict) and "$ref" in f):
            fields.append(f)
            continue
        local = {k: v for k, v in f.items() if k != "$ref"}
        base = shared.get(str(f["$ref"]))
        if base is None:
            problems.append(Problem(_line_of(text, str(f.get("name", ""))), str(f.get("name", "")),
                                    f"$ref {f['$ref']!r} is not a field of "
                                    f"data/schemas/{FIELDS_FILE}"))
            base = {}
        fields.append({**base, **local})
    return {**desc, "fields": fields}, problems


def descriptor(name: str) -> dict[str, Any]:
    """The schema ``name`` as a Frictionless Table Schema, shared fields resolved."""
    return dict(load(name).descriptor)


@memo("schemas")
def load(name: str) -> Schema:
    """The schema ``name`` (e.g. ``"input/figures"``, ``"output/audit"``).

    Raises :class:`SchemaError` naming the file and every problem of the declaration.
    """
    path = schemas_dir() / f"{name}.json"
    text, problems = read_text(path)
    if text is None:
        raise SchemaError(path, problems)
    try:
        desc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaError(path, [Problem(exc.lineno, "", f"not valid JSON: {exc.msg}")]) from None
    desc, problems = resolve(desc, text)
    problems += _declaration_problems(desc, text)
    if problems:
        raise SchemaError(path, problems)
    fields = tuple(
        Field(f["name"], f.get("type", "string"), f.get("description", ""), f.get("title", ""),
              f.get("unit", ""), f.get("patternText", ""), f.get("separator", ""),
              dict(f.get("constraints", {})))
        for f in desc["fields"])
    fks = tuple(
        ForeignKey(_names(fk["fields"]), fk["reference"]["resource"],
                   _names(fk["reference"]["fields"]))
        for fk in desc.get("foreignKeys", []))
    return Schema(name, desc.get("title", name), desc.get("description", ""), fields,
                  _names(desc.get("primaryKey", [])), fks, int(desc.get("minRows", 1)), desc)


def _names(value: str | Sequence[str]) -> tuple[str, ...]:
    return (value,) if isinstance(value, str) else tuple(value)


def _line_of(text: str, name: str) -> int:
    m = re.search(rf'"name"\s*:\s*"{re.escape(name)}"', text)
    return text[: m.start()].count("\n") + 1 if m else 1


def _declaration_problems(desc: Any, text: str) -> list[Problem]:
    if not isinstance(desc, dict) or not isinstance(desc.get("fields"), list) or not desc["fields"]:
        return [Problem(1, "", "a schema is a JSON object with a non-empty list 'fields'")]
    out = []
    seen: set[str] = set()
    for f in desc["fields"]:
        name = f.get("name") if isinstance(f, dict) else None
        if not isinstance(name, str) or not NAME_RE.fullmatch(name):
            out.append(Problem(1, str(name or ""), f"a field name must be snake_case: {f!r}"))
            continue
        line = _line_of(text, name)
        if name in seen:
            out.append(Problem(line, name, "field declared twice"))
        seen.add(name)
        if f.get("type", "string") not in TYPES:
            out.append(Problem(line, name, f"unknown type {f.get('type')!r} "
                                           f"(allowed: {', '.join(TYPES)})"))
        unknown = sorted(set(f.get("constraints", {})) - set(CONSTRAINTS))
        if unknown:
            out.append(Problem(line, name, f"unsupported constraint(s) {unknown}"))
        if not f.get("description"):
            out.append(Problem(line, name, "field without a description"))
    for key in _names(desc.get("primaryKey", [])):
        if key not in seen:
            out.append(Problem(1, key, f"primary key {key!r} is not a field"))
    for fk in desc.get("foreignKeys", []):
        for key in _names(fk.get("fields", [])):
            if key not in seen:
                out.append(Problem(1, key, f"foreign key {key!r} is not a field"))
        resource = fk.get("reference", {}).get("resource", "")
        if not (schemas_dir() / f"{resource}.json").is_file():
            out.append(Problem(1, resource, f"foreign key into unknown table {resource!r}"))
    required = desc.get("requiredKeys", [])
    if not isinstance(required, list) or not all(isinstance(k, str) for k in required) \
            or (required and len(_names(desc.get("primaryKey", []))) != 1):
        out.append(Problem(1, "requiredKeys", "requiredKeys must be a list of strings, "
                                              "on a table with a one-column primary key"))
    return out


# --------------------------------------------------------------------------- values


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
    """Like :func:`read`, returning the rows that could be read and the problems."""
    schema = _schema(schema)
    path = Path(path or schema.data_path)
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
