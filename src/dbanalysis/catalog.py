"""The figure catalogue: one row per statistic the report states, with provenance.

``data/figures.csv`` is curated by hand and never holds a value: each row names a
verbatim ``quote`` and which quantity in it (``pick``, 1-based, in reading order;
a fraction ``a/b`` or a range counts as two quantities). The value is parsed from
the report at that place by :func:`dbanalysis.extract.find_quantities`.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from . import cache, paths, vocab
from .inputs import InputError, Problem, duplicates, read_csv
from .numbers import qualifier_words
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


class CatalogError(InputError):
    """The figure catalogue is invalid. ``problems`` lists every bad row at once."""

    what = "figure catalogue"


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


def read_rows(path: Path | None = None) -> tuple[list[dict], list[Problem]]:
    """Rows of the curated CSV (strings plus ``line``, where the row starts) and the
    problems of the file itself (encoding, header, field counts, empty fields)."""
    path = Path(path or paths.figures_path())
    return read_csv(path, CSV_COLUMNS, required=REQUIRED, id_column="figure_id")


def read_catalog_csv(path: Path | None = None) -> pd.DataFrame:
    """The curated CSV as strings, with a ``line`` column (where each row starts)."""
    path = Path(path or paths.figures_path())
    rows, problems = read_rows(path)
    if problems:
        raise CatalogError(path, problems)
    return pd.DataFrame(rows, columns=[*CSV_COLUMNS, "line"])


def _row_problems(row: dict, text: str) -> list[str]:
    out = []
    fid = row["figure_id"]
    if fid and not ID_RE.match(fid):
        out.append(f"figure_id {fid!r} is not snake_case")
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
    if row["pick"] and not PICK_RE.fullmatch(row["pick"]):
        out.append(f"pick {row['pick']!r} is not a positive whole number (ASCII digits)")
    quote = row["quote"]
    if quote:
        n = text.count(quote)
        if n == 0:
            out.append(f"quote not found in the report: {quote!r}")
        elif n > 1:
            out.append(f"quote occurs {n} times in the report (must be unique): {quote!r}")
    return out


#: A pick is 1, 2, ... in ASCII digits (``int`` would also take "١" or "²"-free "０").
PICK_RE = re.compile(r"[1-9][0-9]*")


def _says_qualifier(quote: str, qualifier: str) -> bool:
    """Whether a word of ``qualifier`` (data/vocab/qualifier_words.csv) occurs in the quote."""
    words = [w for w, q in qualifier_words().items() if q == qualifier]
    return any(re.search(rf"(?<!\w){re.escape(w)}(?!\w)", quote, re.IGNORECASE) for w in words)


def _agreement_problems(row: dict, parsed_unit: str | None, parsed_qualifier: str | None
                        ) -> list[str]:
    """The curated unit and qualifier against what the quote itself says."""
    out = []
    unit = row["unit"]
    if parsed_unit and unit != parsed_unit and (parsed_unit, unit) not in vocab.unit_refinements():
        out.append(f"unit {unit!r} but the quote's unit word reads {parsed_unit!r} "
                   "(a unit that refines it belongs in data/vocab/unit_refinements.csv)")
    qualifier = row["qualifier"] or None
    if parsed_qualifier and qualifier != parsed_qualifier:
        out.append(f"qualifier {qualifier or '(none)'!r} but the quote says {parsed_qualifier!r} "
                   "before the number")
    elif qualifier and not parsed_qualifier and not _says_qualifier(row["quote"], qualifier):
        out.append(f"qualifier {qualifier!r} but the quote carries no word for it")
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
    rows, problems = read_rows(path)
    problems += duplicates(rows, "figure_id", "figure_id")
    from .extract import find_quantities  # its regexes compile only when a catalogue is parsed

    quantities = find_quantities(text)
    records = []
    # plain records and tuples: pandas row access would dominate the load time
    found = list(zip(quantities["number_start"], quantities["number_end"], quantities["value"],
                     quantities["unit"], quantities["qualifier"], strict=True))
    incomplete = {(p.line, p.row_id) for p in problems}
    for row in rows:
        msgs = _row_problems(row, text)
        if not msgs and (row["line"], row["figure_id"]) not in incomplete:
            start = text.index(row["quote"])
            end = start + len(row["quote"])
            inside = [q for q in found if q[0] >= start and q[1] <= end]
            pick = int(row["pick"])
            if pick > len(inside):
                msgs.append(f"pick {pick} but the quote holds {len(inside)} quantit"
                            f"{'y' if len(inside) == 1 else 'ies'}: {row['quote']!r}")
            else:
                q_start, q_end, q_value, q_unit, q_qualifier = inside[pick - 1]
                msgs += _agreement_problems(row, q_unit, q_qualifier)
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
        problems += [Problem(row["line"], row["figure_id"], m) for m in msgs]
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
            line = next((r["line"] for r in rows if r["figure_id"] == fid), 0)
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
