"""Declared corrections (``data/corrections.csv``), kept apart from the catalogue.

The catalogue always holds the report *as written*;
:func:`dbanalysis.catalogue.figures.load_figures`
never applies a correction. Each row of the corrections file names a figure, what
the report prints, how we read it, a formula giving the corrected value in terms
of catalogue ids (empty when nothing is corrected), the reason and a status:

``accepted``  the correction is applied by :func:`apply_corrections`;
``proposed``  suggested but not applied by default;
``open``      a declared ambiguity or error that no correction can settle.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from ..core import paths, schema, validation
from ..core.inputs import Problem
from . import formula
from .figures import CatalogError, load_figures

#: The file's schema (data/schemas/input/corrections.json): columns, statuses, keys.
SCHEMA = "input/corrections"


class CorrectionsError(CatalogError):
    """``data/corrections.csv`` is invalid; ``problems`` names each bad line and id."""

    what = "corrections file"


def load_corrections(path: Path | None = None, figures: pd.DataFrame | None = None
                     ) -> pd.DataFrame:
    """The corrections table, validated against the catalogue.

    Raises CorrectionsError naming the CSV file, line and figure id for what breaks
    the file's schema (an unknown id or status, a row without a reason, a figure
    corrected twice), an accepted row without a formula, or a formula that does not
    parse, names an unknown id or has no finite value.
    """
    path = Path(path or paths.corrections_path())
    figures = load_figures() if figures is None else figures
    known = set(figures["figure_id"])
    rows, problems = validation.read_rows(SCHEMA, path, references={"input/figures": known})
    env = dict(zip(figures["figure_id"], figures["value"], strict=True))
    for row in rows:
        line, fid = row["line"], row["figure_id"]
        expr = row["corrected_value_formula"].strip()
        if row["status"] == "accepted" and not expr:
            problems.append(Problem(line, fid, "accepted correction without a formula"))
        if expr:
            try:
                unknown = [n for n in formula.names(expr) if n not in known]
                if not unknown:
                    formula.evaluate(expr, env)  # fails on overflow, NaN, x/0, ...
            except formula.FormulaError as exc:
                problems.append(Problem(line, fid, str(exc)))
            else:
                if unknown:
                    problems.append(Problem(line, fid, f"formula names unknown id(s) {unknown}"))
    if problems:
        raise CorrectionsError(path, problems)
    return pd.DataFrame(rows, columns=schema.load(SCHEMA).columns)


def corrected_values(figures: pd.DataFrame | None = None, statuses=("accepted",),
                     path: Path | None = None) -> dict[str, float]:
    """``{figure_id: corrected value}`` for corrections with the given statuses."""
    figures = load_figures() if figures is None else figures
    env = dict(zip(figures["figure_id"], figures["value"], strict=True))
    cor = load_corrections(path, figures)
    cor = cor[cor["status"].isin(statuses) & (cor["corrected_value_formula"].str.strip() != "")]
    return {r.figure_id: formula.evaluate(r.corrected_value_formula, env)
            for r in cor.itertuples()}


def apply_corrections(figures: pd.DataFrame | None = None, statuses=("accepted",),
                      path: Path | None = None) -> pd.DataFrame:
    """The catalogue with corrections applied, corrected rows marked.

    Adds ``value_as_written`` (the catalogue value), ``corrected`` (bool) and
    ``correction_reason`` (empty string when not corrected; a template whose numbers are
    fields of :func:`dbanalysis.views.text.sentence`, as the notes); ``value`` holds the
    corrected value where a correction with one of ``statuses`` applies.
    """
    figures = load_figures() if figures is None else figures.copy()
    cor = load_corrections(path, figures).set_index("figure_id")
    new = corrected_values(figures, statuses, path)
    out = figures.copy()
    out["value_as_written"] = out["value"]
    out["corrected"] = out["figure_id"].isin(list(new))
    out["value"] = [new.get(f, v) for f, v in zip(out["figure_id"], out["value"], strict=True)]
    out["correction_reason"] = [cor.loc[f, "reason"] if f in new else ""
                                for f in out["figure_id"]]
    return out
