"""The data dictionary, generated from the table schemas in ``data/schemas/``.

One row per table and column: the file it lives in, type, unit, whether it is
required, its constraints in words, and what it means. ``data/DICTIONARY.md`` is this
dictionary as Markdown (``python -m dbanalysis.catalogue.dictionary --write``); a test keeps it
equal to the schemas. The data package (:mod:`dbanalysis.cli.export`) takes its fields
from the same schemas.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from ..core import paths, schema
from ..core.markup import md_text

#: The Markdown dictionary, committed beside the data it describes.
DICTIONARY_FILE = "DICTIONARY.md"


def table_file(name: str) -> str:
    """Where a table lives: ``data/<path>.csv`` for an input, the producing call otherwise."""
    s = schema.load(name)
    if name.startswith("input/"):
        return f"data/{s.data_path.relative_to(paths.data_dir()).as_posix()}"
    return f"{name.removeprefix('output/')}.csv of `dbanalysis export` (computed)"


def constraint_text(s: schema.Schema, f: schema.Field) -> str:
    """The field's constraints, keys and references in words."""
    c = f.constraints
    out = []
    if (f.name,) == s.primary_key:
        out.append("key")
    elif f.name in s.primary_key:
        out.append(f"part of the key ({', '.join(s.primary_key)})")
    if c.get("required"):
        out.append("required")
    if c.get("unique"):
        out.append("unique")
    if "enum" in c:
        out.append("one of " + ", ".join(map(str, c["enum"])))
    if "pattern" in c:
        out.append(f.pattern_text or f"pattern {c['pattern']}")
    if "minimum" in c:
        out.append(f"≥ {c['minimum']}")
    if "maximum" in c:
        out.append(f"≤ {c['maximum']}")
    for fk in s.foreign_keys:
        if f.name in fk.fields:
            out.append(f"a {', '.join(fk.reference)} of {table_file(fk.resource)}")
    if f.separator:
        out.append(f"ids separated by '{f.separator}'")
    return "; ".join(out)


def rows() -> list[dict[str, Any]]:
    """Every column of every table, inputs first, in the schemas' order."""
    out = []
    for name in sorted(schema.names(), key=lambda n: (not n.startswith("input/"), n)):
        s = schema.load(name)
        for f in s.fields:
            out.append({"table": name, "file": table_file(name), "column": f.name,
                        "type": f.type, "unit": f.unit, "constraints": constraint_text(s, f),
                        "description": f.description})
    return out


def markdown() -> str:
    """The dictionary as a Markdown document, one section per table."""
    lines = ["# Data dictionary", "",
             "Generated from the table schemas in `data/schemas/` (Frictionless Table Schema)",
             "by `python -m dbanalysis.catalogue.dictionary --write`; "
             "edit the schemas, not this file.", ""]
    for name in sorted(schema.names(), key=lambda n: (not n.startswith("input/"), n)):
        s = schema.load(name)
        lines += [f"## {md_text(s.title)} (`{name}`)", "", md_text(s.description), "",
                  f"File: `{table_file(name)}`." if name.startswith("input/")
                  else f"File: {table_file(name)}.", "",
                  "| column | type | unit | constraints | description |",
                  "|---|---|---|---|---|"]
        for f in s.fields:
            cells = [f.type, f.unit, constraint_text(s, f), f.description]
            lines.append(f"| `{f.name}` | "  # a field name is snake_case (dbanalysis.core.schema)
                         + " | ".join(md_text(c).replace("|", "\\|") for c in cells) + " |")
        lines.append("")
        if s.required_keys:
            keys = ", ".join(f"`{md_text(k)}`" for k in s.required_keys)
            lines += [f"Rows the code relies on (`check` fails without them): {keys}.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m dbanalysis.catalogue.dictionary [--write | --check]``: print, write or check
    ``data/DICTIONARY.md``."""
    parser = argparse.ArgumentParser(prog="python -m dbanalysis.catalogue.dictionary",
                                     description="The data dictionary, from data/schemas/.")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--write", action="store_true", help=f"write data/{DICTIONARY_FILE}")
    group.add_argument("--check", action="store_true",
                       help=f"exit 1 if data/{DICTIONARY_FILE} differs from the schemas")
    args = parser.parse_args(argv)
    path = Path(paths.data_dir()) / DICTIONARY_FILE
    text = markdown()
    if args.write:
        path.write_text(text, encoding="utf-8")
    elif args.check:
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            print(f"{path} is out of date: run python -m dbanalysis.catalogue.dictionary --write",
                  file=sys.stderr)
            return 1
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
