"""The data dictionary ``data/columns.csv``: what every column of every table means.

One row per table and column with its Frictionless type, unit and description; the
data package (:mod:`dbanalysis.export`) takes its field docs from here. Read under the
input-file error contract (:mod:`dbanalysis.inputs`).
"""

from __future__ import annotations

import functools
from pathlib import Path

from . import paths
from .inputs import InputError, Problem, read_csv


class DictionaryError(InputError):
    """``data/columns.csv`` is invalid."""

    what = "data dictionary"


FIELD_TYPES = ("string", "number", "integer", "boolean", "datetime", "date", "array", "object")


def field_docs() -> dict[str, dict[str, tuple[str | None, str]]]:
    """(frictionless type, description) per table and column, from data/columns.csv."""
    path = paths.data_dir() / "columns.csv"
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = 0
    return _field_docs(str(path), stamp)


@functools.lru_cache(maxsize=4)
def _field_docs(where: str, _stamp: int) -> dict[str, dict[str, tuple[str | None, str]]]:
    path = Path(where)
    rows, problems = read_csv(path, ["table", "column", "type", "unit", "description"],
                              required=["table", "column", "description"], id_column="column")
    seen: dict[tuple[str, str], int] = {}
    out: dict[str, dict[str, tuple[str | None, str]]] = {}
    for r in rows:
        key = (r["table"], r["column"])
        if key in seen:
            problems.append(Problem(r["line"], r["column"], f"column {r['column']!r} of table "
                                    f"{r['table']!r} described twice (first on line {seen[key]})"))
        seen.setdefault(key, r["line"])
        if r["type"] and r["type"] not in FIELD_TYPES:
            problems.append(Problem(r["line"], r["column"], f"unknown type {r['type']!r} "
                                    f"(allowed: {', '.join(FIELD_TYPES)})"))
        unit = f" Unit: {r['unit']}." if r["unit"] else ""
        out.setdefault(r["table"], {})[r["column"]] = (r["type"] or None, r["description"] + unit)
    if problems:
        raise DictionaryError(path, problems)
    return out

