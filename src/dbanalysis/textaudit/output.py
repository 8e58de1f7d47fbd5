"""audit-text's outputs: a plain-text table, JSON (a list of check objects) and CSV."""

from __future__ import annotations

import csv
import io
import json
import textwrap

from .model import Check

__all__ = ["CSV_COLUMNS", "to_csv", "to_json", "to_table"]

CSV_COLUMNS = ["file", "check", "verdict", "quotes", "spans", "expected", "observed",
               "tolerance", "explanation_en", "explanation_vi"]
WRAP = 72


def _records(results: list[tuple[str, list[Check]]]) -> list[dict]:
    return [{"file": name, **c.as_dict()} for name, checks in results for c in checks]


def to_json(results: list[tuple[str, list[Check]]]) -> str:
    """Every check as a JSON object (``file``, ``check``, ``verdict``, ``quotes``,
    ``spans``, ``expected``, ``observed``, ``tolerance``, ``explanation`` {en, vi})."""
    return json.dumps(_records(results), ensure_ascii=False, indent=2) + "\n"


def to_csv(results: list[tuple[str, list[Check]]]) -> str:
    """One row per check; quotes joined with " | ", spans as "start-end;start-end"."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_COLUMNS)
    for r in _records(results):
        w.writerow([r["file"], r["check"], r["verdict"], " | ".join(r["quotes"]),
                    ";".join(f"{a}-{b}" for a, b in r["spans"]),
                    "" if r["expected"] is None else repr(r["expected"]),
                    "" if r["observed"] is None else repr(r["observed"]),
                    "" if r["tolerance"] is None else repr(r["tolerance"]),
                    r["explanation"]["en"], r["explanation"]["vi"]])
    return buf.getvalue()


def to_table(results: list[tuple[str, list[Check]]], lang: str = "en") -> str:
    """A plain-text table per file: kind, verdict, wrapped explanation."""
    lines = []
    for name, checks in results:
        lines.append(f"== {name}: {len(checks)} checks")
        if not checks:
            continue
        kw = max(len(c.check) for c in checks)
        vw = max(len(c.verdict) for c in checks)
        for c in checks:
            wrapped = textwrap.wrap(c.explanation[lang], WRAP) or [""]
            lines.append(f"{c.check:<{kw}}  {c.verdict:<{vw}}  {wrapped[0]}")
            lines += [f"{'':<{kw}}  {'':<{vw}}  {w}" for w in wrapped[1:]]
    return "\n".join(lines) + "\n"
