"""Proof that the catalogue is complete: every digit in the article is accounted for.

Each run of digits in the report body (before the author line) must lie inside a
catalogued quote or inside one of the declared exclusions in
``data/coverage_exclusions.csv`` (dates, years used as labels, document numbers,
names, file names), each with its reason.
"""

from __future__ import annotations

import re

import pandas as pd

from ..core import paths, schema, validation
from ..core.inputs import InputError, Problem
from .source import body_end

#: The file's schema (data/schemas/input/coverage_exclusions.json).
SCHEMA = "input/coverage_exclusions"


class ExclusionsError(InputError):
    """``data/coverage_exclusions.csv`` is invalid."""

    what = "coverage exclusions"


def load_exclusions(text: str) -> pd.DataFrame:
    """The declared exclusions, each with its offsets in the report.

    Raises :class:`ExclusionsError` naming every line whose context does not occur
    exactly once in the report or that has no category or reason.
    """
    path = paths.exclusions_path()
    rows, problems = validation.read_rows(SCHEMA, path)
    starts = []
    for row in rows:
        n = text.count(row["context"]) if row["context"] else 1
        if n != 1:
            problems.append(Problem(row["line"], "", f"context occurs {n} times in the report "
                                                     f"(must be once): {row['context']!r}"))
        starts.append(text.find(row["context"]))
    if problems:
        raise ExclusionsError(path, problems)
    ex = pd.DataFrame(rows, columns=schema.load(SCHEMA).columns)
    ex["start"] = pd.Series(starts, dtype="int64")
    ex["end"] = ex["start"] + ex["context"].str.len()
    return ex


def uncovered_digits(text: str, figures: pd.DataFrame, exclusions: pd.DataFrame) -> pd.DataFrame:
    """Digit runs in the article body covered by neither a quote nor an exclusion."""
    spans = list(zip(figures["start"], figures["end"], strict=True))
    spans += list(zip(exclusions["start"], exclusions["end"], strict=True))
    rows = []
    for m in re.finditer(r"\d+", text[: body_end(text)]):
        if not any(a <= m.start() and m.end() <= b for a, b in spans):
            rows.append({"start": m.start(), "digits": m.group(),
                         "context": text[max(0, m.start() - 30): m.end() + 20]})
    return pd.DataFrame(rows, columns=["start", "digits", "context"])


def unused_exclusions(text: str, exclusions: pd.DataFrame) -> list[str]:
    """Exclusions that cover no digit (stale entries)."""
    return [row.context for row in exclusions.itertuples()
            if not re.search(r"\d", text[row.start:row.end])]


def coverage_summary(text: str, figures: pd.DataFrame, exclusions: pd.DataFrame) -> dict:
    """Counts for the completeness proof: digit runs in the article body, how many lie
    in catalogued quotes, how many in declared exclusions, how many in neither."""
    runs = list(re.finditer(r"\d+", text[: body_end(text)]))
    quotes = list(zip(figures["start"], figures["end"], strict=True))
    in_quotes = sum(any(a <= m.start() and m.end() <= b for a, b in quotes) for m in runs)
    missing = len(uncovered_digits(text, figures, exclusions))
    return {"digit_runs": len(runs), "in_quotes": in_quotes,
            "in_exclusions": len(runs) - in_quotes - missing, "uncovered": missing,
            "exclusions": len(exclusions)}
