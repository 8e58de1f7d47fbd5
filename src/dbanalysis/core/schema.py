"""Table schemas: one Frictionless Table Schema per table, kept as data in ``data/schemas/``.

``data/schemas/input/<path>.json`` describes the curated file ``data/<path>.csv``;
``data/schemas/output/<name>.json`` a table the package computes (``figures``,
``derived``, ``audit``). Each declares its fields (type, unit, description,
constraints), its primary key and its foreign keys into other input tables. This module
reads and checks the declarations (:func:`load`: a :class:`Schema`); from them come the
loaders' column lists (:attr:`Schema.columns`), the validation of every input file and
computed table (:mod:`dbanalysis.core.validation`), the data dictionary
(:mod:`dbanalysis.catalogue.dictionary`) and the fields of ``datapackage.json``
(:mod:`dbanalysis.cli.export`).

Custom properties a schema may carry besides the standard ones: ``unit`` on a field
(what its numbers count), ``patternText`` (the pattern in words, for messages),
``separator`` on a string field that lists ids (a list in memory, written joined by
it), ``minRows`` on the schema (0 when a file may hold no rows; default 1) and
``requiredKeys`` on the schema: the primary-key values the code relies on (the
``ambiguous`` verdict, the ``corrected`` status, a label key...), each a row the file
must keep, so that deleting one is an input error rather than a failure of ``build``
(the keys of the code's own data/schemas count too, so that a data folder carrying an
older copy of the schemas is held to what this code relies on);
``roundedOutward`` on a template table's schema: its ``{name}`` fields that are an
interval a check computed, each with the side it is rounded to (``lower``/``upper``).
A field several tables declare alike is declared once in ``data/schemas/fields.json``
(:data:`FIELDS_FILE`).
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import paths
from .cache import memo
from .inputs import InputError, Problem, read_text

#: The field types the schemas use, and the Python types of their values.
TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
}
NAME_RE = re.compile(r"[a-z][a-z0-9_]*")
CONSTRAINTS = ("required", "unique", "enum", "pattern", "minimum", "maximum", "minLength")


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
        """The primary-key values the code relies on: the schema's ``requiredKeys``, then
        those the code's own copy of this schema adds (a folder drafted or curated with
        an older copy of data/schemas lacks them, yet this code relies on the rows)."""
        own = tuple(self.descriptor.get("requiredKeys", ()))
        return own + tuple(k for k in _code_required_keys(self.name) if k not in own)

    @property
    def rounded_outward(self) -> dict[str, str]:
        """The template fields that are an interval's end or half-width, by name, and the
        side each is rounded to (``roundedOutward``: ``lower`` or ``upper``)."""
        return dict(self.descriptor.get("roundedOutward", {}))

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


@functools.cache
def _code_required_keys(name: str) -> tuple[str, ...]:
    """``requiredKeys`` of the schema ``name`` in the repository's data/schemas, the one
    this code came with (whatever ``DBANALYSIS_DATA`` says; none when it is not there
    or unreadable: the data folder's own schema is validated where it is loaded)."""
    try:
        desc = json.loads((paths.REPO_DATA / "schemas" / f"{name}.json")
                          .read_text(encoding="utf-8"))
        keys = desc.get("requiredKeys", []) if isinstance(desc, dict) else []
    except (OSError, ValueError):
        return ()
    return tuple(k for k in keys if isinstance(k, str)) if isinstance(keys, list) else ()


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
    outward = desc.get("roundedOutward", {})
    if not isinstance(outward, dict) or not all(
            isinstance(k, str) and v in ("lower", "upper") for k, v in outward.items()):
        out.append(Problem(1, "roundedOutward", "roundedOutward must map field names to "
                                                "'lower' or 'upper'"))
    required = desc.get("requiredKeys", [])
    if not isinstance(required, list) or not all(isinstance(k, str) for k in required) \
            or (required and len(_names(desc.get("primaryKey", []))) != 1):
        out.append(Problem(1, "requiredKeys", "requiredKeys must be a list of strings, "
                                              "on a table with a one-column primary key"))
    return out
