"""Tidy data export: CSV + Parquet of three tables and a Frictionless ``datapackage.json``.

Tables (each produced by another module, imported when the export runs):

* ``figures``  - :func:`dbanalysis.catalog.load_figures`, every figure quoted in the report;
* ``derived``  - :func:`dbanalysis.derive.derived_figures`, figures computed from them;
* ``audit``    - :func:`dbanalysis.audit.run_audit`, arithmetic consistency checks.

The schema is built from each DataFrame's actual columns; known columns get a
description (and type/unit notes) from data/columns.csv, unknown ones a
generic description. The package is validated with ``frictionless`` in a
temporary folder and only then swapped into the output folder.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from dbanalysis import __version__
from dbanalysis._atomic import OutputError, atomic_dir, check_target
from dbanalysis.dictionary import field_docs


class ExportError(Exception):
    """The export failed; ``str(err)`` is a one-line message.

    ``status`` is the exit status the command reports: 1 for tables that cannot be
    exported, 2 for an output folder that cannot or must not be written.
    """

    def __init__(self, message: str, status: int = 1):
        super().__init__(message)
        self.status = status


@dataclass(frozen=True)
class TableSpec:
    """One exported table: its name, title, description and primary key."""

    name: str
    title: str
    description: str
    primary_key: tuple[str, ...] = ()


TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "figures",
        "Figures quoted in the report",
        "One row per figure stated in the source report, with the exact Vietnamese quote "
        "it was read from, its sector, indicator, unit, period and kind.",
        ("figure_id",),
    ),
    TableSpec(
        "derived",
        "Derived figures",
        "Figures computed from the quoted ones (shares, differences, growth rates), "
        "with the formula, the input figure ids and any assumption made.",
        ("figure_id",),
    ),
    TableSpec(
        "audit",
        "Arithmetic audit",
        "Consistency checks between figures of the report (sums, shares, changes), "
        "with the expected and observed values and a verdict.",
        ("check_id",),
    ),
)

# What every column means lives in one place, data/columns.csv (table, column, type,
# unit, description); the data package takes its field docs from there. Extra field
# properties that the dictionary does not carry:
def field_extras() -> dict[str, dict[str, dict[str, Any]]]:
    """Field properties beyond data/columns.csv: the audit verdict's allowed values."""
    from . import vocab

    return {"audit": {"verdict": {"constraints": {"enum": vocab.verdict_ids()}}}}


GENERIC_DESCRIPTION = "Column `{column}` of table `{table}` (no description recorded yet)."



def source_entry() -> dict[str, str]:
    """The ``sources`` entry of ``datapackage.json``: the article, cited from the sidecar."""
    from . import labels
    from .source import citation

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

Loader = Callable[[], Any]


def _figures() -> Any:
    from .catalog import load_figures

    return load_figures()


def _derived() -> Any:
    from .derive import derived_figures

    return derived_figures()


def _audit() -> Any:
    from .audit import run_audit

    return run_audit()


def default_loaders() -> dict[str, Loader]:
    """The function that produces each table (its module is imported only when called,
    so that ``dbanalysis --help`` does not load pandas)."""
    return {"figures": _figures, "derived": _derived, "audit": _audit}


# --------------------------------------------------------------------------- tidy frames


def _serialise_cell(value: Any) -> Any:
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value) if isinstance(value, set | frozenset) else value
        return ";".join(str(v) for v in items)
    return value


def _field_type(table: str, column: str, series: Any) -> str:
    import pandas as pd

    known = field_docs().get(table, {}).get(column)
    if known and known[0]:
        return known[0]
    if pd.api.types.is_bool_dtype(series):
        return "boolean"
    if pd.api.types.is_integer_dtype(series):
        return "integer"
    if pd.api.types.is_float_dtype(series):
        return "number"
    if pd.api.types.is_datetime64_any_dtype(series):
        return "datetime"
    return "string"


def tidy(table: str, df: Any) -> tuple[Any, list[dict[str, Any]]]:
    """Coerce a table to its declared column types; return (frame, schema fields)."""
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise ExportError(f"table {table!r}: expected a pandas DataFrame, got {type(df).__name__}")
    df = df.reset_index(drop=True).copy()
    fields = []
    for column in df.columns:
        name = str(column)
        series = df[column]
        ftype = _field_type(table, name, series)
        try:
            if ftype == "integer":
                series = pd.to_numeric(series).astype("Int64")
            elif ftype == "number":
                series = pd.to_numeric(series).astype("Float64")
            elif ftype == "boolean":
                series = series.astype("boolean")
            elif ftype == "string":
                series = series.map(_serialise_cell, na_action="ignore")
                series = series.astype("string")
        except (TypeError, ValueError) as exc:
            raise ExportError(f"table {table!r}, column {name!r}: not {ftype}: {exc}") from exc
        df[column] = series
        doc = field_docs().get(table, {}).get(name)
        description = doc[1] if doc else GENERIC_DESCRIPTION.format(column=name, table=table)
        field: dict[str, Any] = {"name": name, "type": ftype, "description": description}
        field.update(field_extras().get(table, {}).get(name, {}))
        fields.append(field)
    df.columns = [str(c) for c in df.columns]
    return df, fields


# --------------------------------------------------------------------------- package


def descriptor(frames: Mapping[str, Any], fields: Mapping[str, list[dict[str, Any]]]) -> dict:
    """The Frictionless ``datapackage.json`` for ``frames`` and their ``fields``."""
    resources = []
    specs = {spec.name: spec for spec in TABLES}
    for name in frames:
        spec = specs.get(name)
        schema: dict[str, Any] = {"fields": fields[name], "missingValues": [""]}
        if spec and spec.primary_key and all(k in frames[name].columns for k in spec.primary_key):
            schema["primaryKey"] = list(spec.primary_key)
        resources.append(
            {
                "name": name,
                "type": "table",
                "path": f"{name}.csv",
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "title": spec.title if spec else name,
                "description": (spec.description if spec else f"Table {name}.")
                + f" Also available as {name}.parquet (resource {name}-parquet).",
                "schema": schema,
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
                "title": f"{specs[name].title if name in specs else name} (Parquet)",
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
            "as Parquet with the same columns. " + LICENCE_NOTE
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
    from frictionless import validate as fl_validate

    # validate the descriptor by path, so relative resource paths resolve against it
    report = fl_validate(str(folder / "datapackage.json"))
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
        df.to_csv(folder / f"{name}.csv", index=False, encoding="utf-8", lineterminator="\n")
        df.to_parquet(folder / f"{name}.parquet", index=False)
    desc = descriptor(tidied, fields)
    with open(folder / "datapackage.json", "w", encoding="utf-8") as fh:
        json.dump(desc, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
    validate(folder)
    return desc


def load_tables(loaders: Mapping[str, Loader] | None = None) -> dict[str, Any]:
    """Every table, produced by ``loaders`` (default: :func:`default_loaders`)."""
    loaders = loaders or default_loaders()
    return {name: load() for name, load in loaders.items()}


def export(
    out: str | os.PathLike[str] = "export", loaders: Mapping[str, Loader] | None = None
) -> Path:
    """Write the data package into ``out`` (replaced only if everything validated).

    ``out`` must be new, empty or an earlier export's output (see :mod:`dbanalysis._atomic`).
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
