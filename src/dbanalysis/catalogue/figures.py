"""The figure catalogue: one row per statistic the report states, with provenance.

``data/figures.csv`` is curated by hand and never holds a value: each row names a
verbatim ``quote`` and which quantity in it (``pick``, 1-based, in reading order;
a fraction ``a/b`` or a range counts as two quantities). The value is parsed from
the report at that place by :func:`dbanalysis.catalogue.extract.find_quantities`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from ..core import cache, paths, schema, validation
from ..core.inputs import InputError, Problem
from . import vocab
from .numbers import NUMBER, NumberFormatError, parse_number, printed_decimals, qualifier_words
from .source import load_report
from .units import decimals_at_most

#: The schemas (data/schemas/) of the curated file and of the catalogue it gives.
CURATED = "input/figures"
CATALOGUE = "output/figures"
#: The kind of a result stated as a percentage of a plan or target.
ACHIEVEMENT = "achievement_vs_plan"


class CatalogError(InputError):
    """The figure catalogue is invalid. ``problems`` lists every bad row at once."""

    what = "figure catalogue"


def read_rows(path: Path | None = None) -> tuple[list[dict], list[Problem]]:
    """Rows of the curated CSV (typed by its schema, plus ``line``, where the row starts)
    and the problems the schema finds: encoding, header, field counts, empty fields, ids,
    periods, picks, unknown sector/unit/kind/qualifier, duplicate ids."""
    return validation.read_rows(CURATED, Path(path or paths.figures_path()))


def read_catalog_csv(path: Path | None = None) -> pd.DataFrame:
    """The curated CSV (``pick`` as an integer, the rest as text), with a ``line`` column."""
    path = Path(path or paths.figures_path())
    rows, problems = read_rows(path)
    if problems:
        raise CatalogError(path, problems)
    return pd.DataFrame(rows, columns=[*schema.load(CURATED).columns, "line"])


def _quote_problems(quote: str, text: str) -> list[str]:
    n = text.count(quote) if quote else 1
    if n == 0:
        return [f"quote not found in the report: {quote!r}"]
    if n > 1:
        return [f"quote occurs {n} times in the report (must be unique): {quote!r}"]
    return []


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
                   "before the number (by a word of "
                   f"{paths.vocab_dir() / 'qualifier_words.csv'}: fix the one that is wrong)")
    elif qualifier and not parsed_qualifier and not _says_qualifier(row["quote"], qualifier):
        out.append(f"qualifier {qualifier!r} but the quote carries no word for it")
    if row["kind"] == ACHIEVEMENT:
        found = vocab.benchmarks_in(row["quote"])
        if len(found) != 1:
            out.append(f"an achievement's quote must name what it is measured against, a plan "
                       f"or a target, by one word of {paths.vocab_dir() / 'benchmarks.csv'}; "
                       + (f"it names both ({', '.join(sorted(found))})" if found else
                          "it names neither: widen the quote, or add the report's word there"))
    return out


def _decimals_problems(unit: str, number: str) -> list[str]:
    """A printed number with more decimals than its unit lets a derived figure show
    (``decimals_at_most`` in units.csv would then hide precision the report has)."""
    cap = decimals_at_most(unit)
    printed = printed_decimals(number)
    if cap is None or printed <= cap:
        return []
    return [f"the report prints {number!r} with {printed} decimals, more than the "
            f"{cap} that units.csv's decimals_at_most allows a derived {unit!r} figure: "
            "raise the cap there"]


def load_figures(path: Path | None = None, text: str | None = None) -> pd.DataFrame:
    """The tidy catalogue: one row per figure, values parsed from the report.

    Raises CatalogError listing every bad row (unknown quote, duplicate id, unknown
    unit/kind/sector, a pick past the quantities in the quote, ...). The default
    catalogue is parsed once for the content of data/ and the package's code, and
    shared between processes (:func:`dbanalysis.core.cache.shared`).
    """
    if path is None and text is None:
        return _shared_figures().copy()
    return _load(path, text)


def _shared_figures() -> pd.DataFrame:
    """The default catalogue as :func:`dbanalysis.core.cache.shared` keeps it (not to be
    modified: :func:`load_figures` hands out copies)."""
    return cache.shared("figures", lambda: _load(None, None))


#: The shared catalogue last looked into by :func:`figure`, its row position by id and
#: the rows taken out of it so far.
_ROWS: tuple[pd.DataFrame | None, dict[str, int], dict[str, pd.Series]] = (None, {}, {})


def _load(path: Path | None, text: str | None) -> pd.DataFrame:
    path = Path(path or paths.figures_path())
    text = load_report() if text is None else text
    rows, problems = read_rows(path)
    from .extract import find_quantities  # its regexes compile only when a catalogue is parsed

    quantities = find_quantities(text)
    records = []
    # plain records and tuples: pandas row access would dominate the load time
    found = list(zip(quantities["number_start"], quantities["number_end"], quantities["value"],
                     quantities["unit"], quantities["qualifier"], strict=True))
    incomplete = {(p.line, p.row_id) for p in problems}
    for row in rows:
        msgs = _quote_problems(row["quote"], text)
        if not msgs and (row["line"], row["figure_id"]) not in incomplete:
            start = text.index(row["quote"])
            end = start + len(row["quote"])
            inside = [q for q in found if q[0] >= start and q[1] <= end]
            pick = row["pick"]
            if pick > len(inside):
                msgs.append(f"pick {pick} but the quote holds {len(inside)} quantit"
                            f"{'y' if len(inside) == 1 else 'ies'}: {row['quote']!r}")
            else:
                q_start, q_end, q_value, q_unit, q_qualifier = inside[pick - 1]
                msgs += _agreement_problems(row, q_unit, q_qualifier)
                msgs += _decimals_problems(row["unit"], text[q_start:q_end])
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
    df = pd.DataFrame.from_records(records, columns=schema.load(CATALOGUE).columns)
    df = df.astype({"start": "int64", "end": "int64", "number_start": "int64",
                    "number_end": "int64", "value": "float64"})
    for col in ("qualifier", "note"):
        df[col] = df[col].astype(object).where(df[col].notna(), None)
    lines = {r["figure_id"]: r["line"] for r in rows}
    wrong = [Problem(lines.get(p.row_id, 0), p.row_id, p.message)
             for p in validation.check_frame(CATALOGUE, df)]
    if wrong:
        raise CatalogError(path, wrong)
    return df


#: The shared catalogue last asked for its ids by :func:`figure_ids`, and those ids.
_IDS: tuple[pd.DataFrame | None, frozenset[str]] = (None, frozenset())


def figure_ids() -> frozenset[str]:
    """The ids of the catalogue (:func:`load_figures`), gathered once per catalogue read:
    every table cell and sentence asks whether an id is catalogued, and a copy of the
    catalogue per question was most of that (~0.4 ms each, thousands per notebook run)."""
    global _IDS
    shared = _shared_figures()
    if _IDS[0] is not shared:
        _IDS = (shared, frozenset(shared["figure_id"]))
    return _IDS[1]


def figure(figure_id: str, figures: pd.DataFrame | None = None) -> pd.Series:
    """One catalogued figure by id (KeyError naming the id if absent)."""
    global _ROWS
    if figures is None:  # the shared catalogue, its rows by id (no copy, no scan per lookup)
        shared = _shared_figures()
        if _ROWS[0] is not shared:
            rows: dict[str, int] = {}
            for i, fid in enumerate(shared["figure_id"]):
                rows.setdefault(fid, i)
            _ROWS = (shared, rows, {})
        if figure_id not in _ROWS[1]:
            raise KeyError(f"no figure {figure_id!r} in the catalogue")
        made = _ROWS[2]
        if figure_id not in made:
            made[figure_id] = shared.iloc[_ROWS[1][figure_id]]
        # a copy (the caller may modify it): ~15 us, against ~90 us for a row of the frame
        return made[figure_id].copy()
    hit = figures[figures["figure_id"] == figure_id]
    if hit.empty:
        raise KeyError(f"no figure {figure_id!r} in the catalogue")
    return hit.iloc[0]


def value(figure_id: str, figures: pd.DataFrame | None = None) -> float:
    """The value of one catalogued figure."""
    return float(figure(figure_id, figures)["value"])


def benchmark(figure_id: str, figures: pd.DataFrame | None = None) -> str:
    """What an achievement figure is measured against, ``plan`` or ``target``: the report's
    own word in its quote decides (``data/vocab/benchmarks.csv``; the catalogue refuses an
    achievement whose quote names neither or both)."""
    f = figure(figure_id, figures)
    if f["kind"] != ACHIEVEMENT:
        raise ValueError(f"{figure_id} is not an achievement against a plan or target "
                         f"(kind {f['kind']!r})")
    (found,) = vocab.benchmarks_in(str(f["quote"]))
    return found


#: The columns of a catalogue row, and of the extractor's quantities, that say where its
#: number stands in the report's text: read only by :func:`number_span`.
NUMBER_COLUMNS = ("number_start", "number_end")


def number_span(row: Any) -> tuple[int, int]:
    """Where a figure's number stands in the report's text, (first, past-last) character,
    from its catalogue row (:func:`figure`, a row of :func:`load_figures`, a named tuple of
    ``itertuples``) or a quantity of :func:`~dbanalysis.catalogue.extract.find_quantities`.
    The one reader of those offsets: the printed number is cut from them by
    :func:`printed_token` alone.

    >>> number_span({"number_start": 14, "number_end": 19})
    (14, 19)
    """
    get = row.__getitem__ if isinstance(row, Mapping | pd.Series) else row.__getattribute__
    start, end = (int(get(c)) for c in NUMBER_COLUMNS)
    return start, end


def printed_token(f: Mapping[str, Any]) -> str:
    """A catalogued figure's number as the report prints it (``26.142,56``), from its row
    of the catalogue (:func:`figure`, or a row of :func:`load_figures`): the characters
    of its quote at its number's offsets, and where those hold a fraction or a range
    (``19/21``, ``30.500 đến 31.500``) the number of it whose value is the figure's. The
    one cut of a figure's printed number: the audit's precision, the decimals of the
    display rule and the numbers of the declared texts all read it here.

    >>> printed_token({"quote": "đạt 19/21 xã", "start": 10, "number_start": 14,
    ...                "number_end": 19, "value": 21.0})
    '21'
    """
    offset = int(f["start"])
    start, end = number_span(f)
    span = str(f["quote"])[start - offset:end - offset]
    for m in re.finditer(NUMBER, span):
        try:
            if parse_number(m.group()) == f["value"]:
                return m.group()
        except NumberFormatError:
            continue
    return span
