"""Tidy data export: CSV + Parquet of three tables and a Frictionless ``datapackage.json``.

Tables (each produced by another module, imported when the export runs):

* ``figures``  - :func:`dbanalysis.catalogue.figures.load_figures`, every figure quoted in
  the report;
* ``derived``  - :func:`dbanalysis.derive.compute.derived_figures`, figures computed from them;
* ``audit``    - :func:`dbanalysis.audit.run.run_audit`, arithmetic consistency checks.

Each table's fields (type, unit, description, constraints, primary key) come from its
schema in ``data/schemas/output/`` (:mod:`dbanalysis.core.schema`), against which the table is
checked first; a foreign key into a vocabulary becomes the list of its allowed values.
The package is validated with ``frictionless`` in a temporary folder and only then
swapped into the output folder.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Mapping
from decimal import ROUND_HALF_EVEN, Decimal
from pathlib import Path
from typing import Any

from dbanalysis.core import schema, validation
from dbanalysis.core.atomic import OutputError, atomic_dir, check_target
from dbanalysis.core.cache import one_reading
from dbanalysis.core.markup import csv_cell
from dbanalysis.core.version import __version__


class ExportError(Exception):
    """The export failed; ``str(err)`` is a one-line message.

    ``status`` is the exit status the command reports: 1 for tables that cannot be
    exported, 2 for an output folder that cannot or must not be written.
    """

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


#: The exported tables, each described by ``data/schemas/output/<name>.json``.
TABLES = ("figures", "derived", "audit")


def source_entry() -> dict[str, str]:
    """The ``sources`` entry of ``datapackage.json``: the article, cited from the sidecar."""
    from ..catalogue.source import citation
    from ..core import labels

    c = citation()
    entry = {"title": labels.text("citation.full", "en", title=c.title, author=c.author,
                                  publisher=c.publisher("en"), date=c.date_text)}
    if c.url:
        entry["path"] = c.url
    return entry


LICENCE_NOTE = (
    "Tables: MIT, like the dbanalysis code. The figures are facts reported by a Vietnamese "
    "district authority; the `quote` column holds short verbatim excerpts of the source "
    "article for provenance only, and the article itself remains under its publisher's terms."
)

#: How the CSV files keep a spreadsheet from running a cell (OWASP, "CSV Injection").
CSV_NOTE = (
    "In the CSV files a text cell that begins with =, +, -, @, a tab or a carriage return "
    "is written with a single quote (') before it, so that no spreadsheet runs it as a "
    "formula; the Parquet files hold the text unchanged. Numbers are exact decimals "
    "(counts without a decimal point, no float noise)."
)

Loader = Callable[[], Any]


def _figures() -> Any:
    from ..catalogue.figures import load_figures
    from ..views.text import plain

    figures = load_figures().copy()
    # a note is a template ({figure_id} fields): exported as the English a reader sees
    figures["note"] = [plain(n, "en") if isinstance(n, str) else n for n in figures["note"]]
    return figures


def _derived() -> Any:
    from ..derive.lookup import derived_frame

    # the table every page reads (derived once per version of data and package), as
    # derived_figures() gives it: a copy, the shared frame is not the export's to change
    return derived_frame().reset_index()


def _audit() -> Any:
    from ..audit.run import run_audit

    return run_audit()


def default_loaders() -> dict[str, Loader]:
    """The function that produces each table (its module is imported only when called,
    so that ``dbanalysis --help`` does not load pandas)."""
    return {"figures": _figures, "derived": _derived, "audit": _audit}


# --------------------------------------------------------------------------- tidy frames


def field_descriptor(table: schema.Schema, f: schema.Field) -> dict[str, Any]:
    """A field of ``datapackage.json``: the schema's own, a foreign key into a vocabulary
    given as the enum of its current values."""
    out: dict[str, Any] = {"name": f.name, "type": f.type, "description": f.description}
    if f.unit:
        out["unit"] = f.unit
    constraints = dict(f.constraints)
    for fk in table.foreign_keys:
        if fk.fields == (f.name,):
            constraints["enum"] = [k for (k,) in validation.keys(fk.resource, fk.reference)]
    if constraints:
        out["constraints"] = constraints
    return out


def tidy(table: str, df: Any) -> tuple[Any, list[dict[str, Any]]]:
    """The table checked against its schema and typed for writing; (frame, schema fields)."""
    import pandas as pd

    if table not in TABLES:
        raise ExportError(f"table {table!r} has no schema (exported: {', '.join(TABLES)})")
    if not isinstance(df, pd.DataFrame):
        raise ExportError(f"table {table!r}: expected a pandas DataFrame, got {type(df).__name__}")
    spec = schema.load(f"output/{table}")
    df = df.reset_index(drop=True)
    problems = validation.check_frame(spec, df)
    if problems:
        shown = "; ".join(str(p) for p in problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise ExportError(f"table {table!r} breaks its schema data/schemas/output/{table}.json: "
                          f"{shown}{more}")
    dtypes = {"integer": "Int64", "number": "object", "boolean": "boolean", "string": "string"}
    decimals = field_decimals(spec)
    out = pd.DataFrame({f.name: pd.Series(
        [exact(validation.cell(f, v), decimals.get(f.name)) if f.type == "number"
         else validation.cell(f, v) for v in df[f.name]], dtype=dtypes[f.type])
        for f in spec.fields})
    return out, [field_descriptor(spec, f) for f in spec.fields]


def field_decimals(spec: schema.Schema) -> dict[str, int]:
    """The number fields a schema rounds (``"decimals": N`` in its field): values computed
    by the package (derived values, an audit's expected and observed values, tolerances),
    whose last digits are float noise (``2581.2200000000003``)."""
    return {f["name"]: int(f["decimals"]) for f in spec.descriptor.get("fields", [])
            if f.get("type") == "number" and "decimals" in f}


def exact(value: Any, decimals: int | None = None) -> Decimal | None:
    """A number for the export as an exact decimal: rounded half-even to ``decimals``
    places when given, else the shortest decimal that reads back as the same float
    (a value parsed from the report's words: ``1224.83``, ``500``, the very Decimal the
    parser read, since every printed number has fewer than 16 significant digits).
    Trailing zeros are dropped (``500``, not ``500.0``); None stays None."""
    if value is None:
        return None
    number = Decimal(repr(float(value)))
    if decimals is not None:
        number = number.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_EVEN)
    if number == number.to_integral_value():
        return number.quantize(Decimal(1))
    return number.normalize()


def _number_text(value: Any) -> str:
    """An exact decimal as CSV text, never in scientific notation (``1558000``)."""
    return format(value, "f") if isinstance(value, Decimal) else ""


def csv_frame(df: Any, fields: list[dict[str, Any]]) -> Any:
    """The frame as written to CSV: numbers as exact decimal text, and every text cell a
    spreadsheet would run as a formula neutralised (:func:`dbanalysis.core.markup.csv_cell`)."""
    out = df.copy()
    for f in fields:
        name = f["name"]
        if f["type"] == "number":
            out[name] = out[name].map(_number_text).astype("string")
        elif f["type"] == "string":
            out[name] = out[name].map(csv_cell, na_action="ignore").astype("string")
    return out


# --------------------------------------------------------------------------- package


def descriptor(frames: Mapping[str, Any], fields: Mapping[str, list[dict[str, Any]]]) -> dict:
    """The Frictionless ``datapackage.json`` for ``frames`` and their ``fields``."""
    resources = []
    specs = {name: schema.load(f"output/{name}") for name in frames}
    for name in frames:
        spec = specs[name]
        table: dict[str, Any] = {"fields": fields[name], "missingValues": [""]}
        if spec.primary_key:
            table["primaryKey"] = list(spec.primary_key)
        resources.append(
            {
                "name": name,
                "type": "table",
                "path": f"{name}.csv",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": spec.title,
                "description": f"{spec.description} Also available as {name}.parquet "
                               f"(resource {name}-parquet). {CSV_NOTE}",
                "schema": table,
            }
        )
    for name in frames:
        resources.append(
            {
                "name": f"{name}-parquet",
                "type": "file",
                "path": f"{name}.parquet",
                "scheme": "file",
                "format": "parquet",
                "mediatype": "application/vnd.apache.parquet",
                "title": f"{specs[name].title} (Parquet)",
                "description": f"The {name} table in Apache Parquet, same columns as {name}.csv.",
            }
        )
    return {
        "name": "dbanalysis-dien-bien-2015-2020",
        "title": "Điện Biên district emulation report 2015-2020: figures, derivations and audit",
        "description": (
            "Tidy tables extracted from one Vietnamese government report (the Điện Biên "
            "district 2015-2020 emulation and commendation report). Units are per row "
            "(column `unit`). Each table is provided as CSV (UTF-8, described here) and "
            "as Parquet with the same columns. " + CSV_NOTE + " " + LICENCE_NOTE
        ),
        "version": __version__,
        "created": dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat(),
        "sources": [source_entry()],
        "licenses": [
            {
                "name": "MIT",
                "path": "https://opensource.org/licenses/MIT",
                "title": "MIT License (tables and code; see description for the source text)",
            }
        ],
        "resources": resources,
    }


def validate(folder: Path) -> None:
    """Validate the package in ``folder`` with frictionless; ExportError if invalid."""
    from frictionless import Package

    # The descriptor as data, its resources' relative paths resolved against ``folder``
    # (basepath): frictionless refuses a descriptor *path* holding '#', '*', '?', '[',
    # '$' or '~' as unsafe, and any output folder the OS accepts must work.
    with open(folder / "datapackage.json", encoding="utf-8") as fh:
        report = Package(json.load(fh), basepath=str(folder)).validate()
    if not report.valid:
        errors = report.flatten(["rowNumber", "fieldNumber", "type", "note"])
        first = errors[0] if errors else ["?", "?", "?", "invalid package"]
        raise ExportError(
            f"datapackage.json does not validate ({len(errors)} error(s)); first: "
            f"row {first[0]}, field {first[1]}: {first[2]}: {first[3]}"
        )


def write_package(folder: Path, frames: Mapping[str, Any]) -> dict:
    """Write CSV, Parquet and datapackage.json of ``frames`` into ``folder`` and validate."""
    tidied: dict[str, Any] = {}
    fields: dict[str, list[dict[str, Any]]] = {}
    for name, df in frames.items():
        tidied[name], fields[name] = tidy(name, df)
    for name, df in tidied.items():
        csv_frame(df, fields[name]).to_csv(folder / f"{name}.csv", index=False,
                                           encoding="utf-8", lineterminator="\n")
        df.to_parquet(folder / f"{name}.parquet", index=False)
    desc = descriptor(tidied, fields)
    with open(folder / "datapackage.json", "w", encoding="utf-8") as fh:
        json.dump(desc, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    validate(folder)
    return desc


@one_reading()
def load_tables(loaders: Mapping[str, Loader] | None = None) -> dict[str, Any]:
    """Every table, produced by ``loaders`` (default: :func:`default_loaders`)."""
    loaders = loaders or default_loaders()
    return {name: load() for name, load in loaders.items()}


@one_reading()
def export(
    out: str | os.PathLike[str] = "export", loaders: Mapping[str, Loader] | None = None
) -> Path:
    """Write the data package into ``out`` (replaced only if everything validated).

    ``out`` must be new, empty or an earlier export's output (see :mod:`dbanalysis.core.atomic`).
    """
    try:
        check_target(out)  # refuse before loading anything
    except OutputError as exc:
        raise ExportError(str(exc), status=2) from exc
    frames = load_tables(loaders)
    try:
        with atomic_dir(out, "export") as tmp:
            write_package(tmp, frames)
    except OutputError as exc:
        raise ExportError(str(exc), status=2) from exc
    return Path(out)
