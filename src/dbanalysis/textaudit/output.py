"""audit-text's outputs: a plain-text table, JSON (a list of check objects) and CSV."""

from __future__ import annotations

import csv
import io
import json
import textwrap

from ..catalogue import vocab
from ..core import labels
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
    """A plain-text table per file: kind, verdict, wrapped explanation. In English the
    kind and verdict are the ids scripts match on; in Vietnamese each check is a line of
    its kind and verdict in words (labels.csv, the verdict vocabulary), then its
    explanation, indented (REVIEW-vi10 Z12: no English id in the Vietnamese table)."""
    lines = []
    for name, checks in results:
        lines.append("== " + labels.text("textaudit.table.heading", lang, name=name,
                                          n=len(checks)))
        if not checks:
            continue
        if lang != "en":
            for c in checks:
                lines.append(f"{labels.text(f'textaudit.kind.{c.check}', lang)} – "
                             f"{vocab.verdict_label(c.verdict, lang)}")
                lines += ["    " + w for w in textwrap.wrap(c.explanation[lang], WRAP)]
            continue
        kw = max(len(c.check) for c in checks)
        vw = max(len(c.verdict) for c in checks)
        for c in checks:
            wrapped = textwrap.wrap(c.explanation[lang], WRAP) or [""]
            lines.append(f"{c.check:<{kw}}  {c.verdict:<{vw}}  {wrapped[0]}")
            lines += [f"{'':<{kw}}  {'':<{vw}}  {w}" for w in wrapped[1:]]
    return "\n".join(lines) + "\n"
