"""The figure catalogue: one row per statistic the report states, with provenance.

``data/figures.csv`` is curated by hand and never holds a value: each row names a
verbatim ``quote`` and which quantity in it (``pick``, 1-based, in reading order;
a fraction ``a/b`` or a range counts as two quantities). The value is parsed from
the report at that place by :func:`dbanalysis.extract.find_quantities`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import cache, paths, vocab
from .source import load_report

if TYPE_CHECKING:  # pandera is imported only when a catalogue is validated
    import pandera.pandas as pa

CSV_COLUMNS = [
    "figure_id", "sector", "indicator", "label_vi", "label_en", "quote", "pick",
    "period", "kind", "qualifier", "unit", "note",
]
REQUIRED = ["figure_id", "sector", "indicator", "label_vi", "label_en", "quote", "pick",
            "period", "kind", "unit"]
OUTPUT_COLUMNS = [
    "figure_id", "sector", "indicator", "label_vi", "label_en", "value", "unit", "period",
    "kind", "qualifier", "quote", "start", "end", "number_start", "number_end", "note",
]
ID_RE = re.compile(r"^[a-z][a-z0-9_]*$")
#: A year, a span of years, or a word for periods the report leaves vague.
PERIOD_RE = re.compile(r"^(\d{4}(-\d{4})?|end-\d{4}|annual|unstated)$")


@dataclass(frozen=True)
class Problem:
    """One bad row of the catalogue: CSV line, figure id, what is wrong."""

    line: int          # line in the CSV file (header is line 1)
    figure_id: str
    message: str

    def __str__(self) -> str:
        return f"line {self.line} ({self.figure_id or '?'}): {self.message}"


class CatalogError(ValueError):
    """The figure catalogue is invalid. ``problems`` lists every bad row at once."""

    def __init__(self, path: Path, problems: list[Problem]):
        self.path = Path(path)
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        super().__init__(f"{self.path}: {len(problems)} problem(s) in the figure catalogue:\n"
                         f"{lines}")


def _schema(text_len: int) -> pa.DataFrameSchema:
    import pandera.pandas as pa

    sectors = list(vocab.sectors().index)
    units = list(vocab.units().index)
    kinds = list(vocab.kinds().index)
    qualifiers = list(vocab.QUALIFIERS)
    return pa.DataFrameSchema(
        {
            "figure_id": pa.Column(str, pa.Check.str_matches(ID_RE.pattern), unique=True),
            "sector": pa.Column(str, pa.Check.isin(sectors)),
            "indicator": pa.Column(str, pa.Check.str_matches(ID_RE.pattern)),
            "label_vi": pa.Column(str, pa.Check.str_length(min_value=1)),
            "label_en": pa.Column(str, pa.Check.str_length(min_value=1)),
            "value": pa.Column(float, pa.Check.ge(0)),
            "unit": pa.Column(str, pa.Check.isin(units)),
            "period": pa.Column(str, pa.Check.str_matches(PERIOD_RE.pattern)),
            "kind": pa.Column(str, pa.Check.isin(kinds)),
            "qualifier": pa.Column(str, pa.Check.isin(qualifiers), nullable=True),
            "quote": pa.Column(str, pa.Check.str_length(min_value=1)),
            "start": pa.Column(int, pa.Check.ge(0)),
            "end": pa.Column(int, pa.Check.ge(1)),
            "number_start": pa.Column(int, pa.Check.ge(0)),
            "number_end": pa.Column(int, pa.Check.ge(1)),
            "note": pa.Column(str, nullable=True),
        },
        checks=[
            pa.Check(lambda d: d["start"] < d["end"], error="start < end"),
            pa.Check(lambda d: d["end"] <= text_len, error="offsets within the report"),
            pa.Check(lambda d: (d["start"] <= d["number_start"]) & (d["number_end"] <= d["end"]),
                     error="number span inside quote span"),
        ],
        strict=True,
        ordered=True,
        coerce=False,
    )


def read_catalog_csv(path: Path | None = None) -> pd.DataFrame:
    """The curated CSV as strings, with a ``line`` column (CSV line number)."""
    path = Path(path or paths.figures_path())
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = [c for c in CSV_COLUMNS if c not in df.columns]
    if missing:
        raise CatalogError(path, [Problem(1, "", f"missing column(s) {missing}")])
    df["line"] = range(2, len(df) + 2)
    return df


def _row_problems(row: pd.Series, text: str, seen: dict[str, int]) -> list[str]:
    out = []
    for col in REQUIRED:
        if not row[col].strip():
            out.append(f"empty {col}")
    fid = row["figure_id"]
    if fid and not ID_RE.match(fid):
        out.append(f"figure_id {fid!r} is not snake_case")
    if fid in seen:
        out.append(f"duplicate figure_id (first on line {seen[fid]})")
    checks = [
        ("sector", set(vocab.sectors().index)),
        ("unit", set(vocab.units().index)),
        ("kind", set(vocab.kinds().index)),
    ]
    for col, allowed in checks:
        if row[col] and row[col] not in allowed:
            out.append(f"unknown {col} {row[col]!r}")
    if row["qualifier"] and row["qualifier"] not in vocab.QUALIFIERS:
        out.append(f"unknown qualifier {row['qualifier']!r}")
    if row["period"] and not PERIOD_RE.match(row["period"]):
        out.append(f"period {row['period']!r} is not YYYY, YYYY-YYYY, end-YYYY, annual or unstated")
    if (row["pick"] and not row["pick"].isdigit()) or row["pick"] == "0":
        out.append(f"pick {row['pick']!r} is not a positive whole number")
    quote = row["quote"]
    if quote:
        n = text.count(quote)
        if n == 0:
            out.append(f"quote not found in the report: {quote!r}")
        elif n > 1:
            out.append(f"quote occurs {n} times in the report (must be unique): {quote!r}")
    return out


def load_figures(path: Path | None = None, text: str | None = None) -> pd.DataFrame:
    """The tidy catalogue: one row per figure, values parsed from the report.

    Raises CatalogError listing every bad row (unknown quote, duplicate id, unknown
    unit/kind/sector, a pick past the quantities in the quote, ...). The default
    catalogue is parsed once for the content of data/ and the package's code, and
    shared between processes (:func:`dbanalysis.cache.shared`).
    """
    if path is None and text is None:
        return cache.shared("figures", lambda: _load(None, None)).copy()
    return _load(path, text)


def _load(path: Path | None, text: str | None) -> pd.DataFrame:
    path = Path(path or paths.figures_path())
    text = load_report() if text is None else text
    raw = read_catalog_csv(path)
    from .extract import find_quantities  # its regexes compile only when a catalogue is parsed

    quantities = find_quantities(text)
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    records = []
    # plain records and tuples: pandas row access would dominate the load time
    found = list(zip(quantities["number_start"], quantities["number_end"], quantities["value"],
                     strict=True))
    for row in raw.to_dict("records"):
        msgs = _row_problems(row, text, seen)
        seen.setdefault(row["figure_id"], row["line"])
        if not msgs:
            start = text.index(row["quote"])
            end = start + len(row["quote"])
            inside = [q for q in found if q[0] >= start and q[1] <= end]
            pick = int(row["pick"])
            if pick > len(inside):
                msgs.append(f"pick {pick} but the quote holds {len(inside)} quantit"
                            f"{'y' if len(inside) == 1 else 'ies'}: {row['quote']!r}")
            else:
                q_start, q_end, q_value = inside[pick - 1]
                records.append({
                    **{c: row[c] for c in ("figure_id", "sector", "indicator", "label_vi",
                                           "label_en")},
                    "value": float(q_value),
                    "unit": row["unit"],
                    "period": row["period"],
                    "kind": row["kind"],
                    "qualifier": row["qualifier"] or None,
                    "quote": row["quote"],
                    "start": start,
                    "end": end,
                    "number_start": int(q_start),
                    "number_end": int(q_end),
                    "note": row["note"] or None,
                })
        problems += [Problem(int(row["line"]), row["figure_id"], m) for m in msgs]
    if problems:
        raise CatalogError(path, problems)
    df = pd.DataFrame.from_records(records, columns=OUTPUT_COLUMNS)
    df = df.astype({"start": "int64", "end": "int64", "number_start": "int64",
                    "number_end": "int64", "value": "float64"})
    for col in ("qualifier", "note"):
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    import pandera.pandas as pa

    try:
        _schema(len(text)).validate(df, lazy=True)
    except pa.errors.SchemaErrors as exc:
        cases = exc.failure_cases
        probs = []
        for _, c in cases.iterrows():
            idx = c.get("index")
            fid = df.loc[idx, "figure_id"] if idx in df.index else ""
            line = int(raw.loc[raw["figure_id"] == fid, "line"].iloc[0]) if fid else 0
            probs.append(Problem(line, fid, f"{c['column'] or ''} {c['check']}: "
                                            f"{c['failure_case']!r}"))
        raise CatalogError(path, probs) from None
    return df


def figure(figure_id: str, figures: pd.DataFrame | None = None) -> pd.Series:
    """One catalogued figure by id (KeyError naming the id if absent)."""
    figures = load_figures() if figures is None else figures
    hit = figures[figures["figure_id"] == figure_id]
    if hit.empty:
        raise KeyError(f"no figure {figure_id!r} in the catalogue")
    return hit.iloc[0]


def value(figure_id: str, figures: pd.DataFrame | None = None) -> float:
    """The value of one catalogued figure."""
    return float(figure(figure_id, figures)["value"])
