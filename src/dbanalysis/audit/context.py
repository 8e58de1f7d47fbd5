"""What every audit check works with: the figures' values and printed precision.

:class:`Context` holds the catalogue and derived values by id, the number as printed,
and the half unit of its last printed digit, and turns a formula into the interval
rounding allows. :func:`check_row` builds one row of the audit table.
"""

from __future__ import annotations

import math

import pandas as pd

from ..catalogue import formula, sentences, vocab
from ..catalogue.figures import printed_token
from ..catalogue.numbers import printed_decimals
from ..catalogue.units import is_count
from ..core import schema
from ..derive import precision
from ..derive.compute import environment, expand, specs

#: The table's schema (data/schemas/output/audit.json): columns, types, verdicts.
SCHEMA = "output/audit"


def fmt(x: float, decimals: int = 0) -> str:
    """English number format: thousands with commas, decimal point."""
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "n/a"
    return f"{x:,.{decimals}f}"


class Context:
    """Values (catalogue and derived), printed precision, intervals."""

    def __init__(self, figures: pd.DataFrame):
        self.figures = figures.set_index("figure_id")
        self.env = environment(figures)
        #: The catalogue as loaded (one row per figure).
        self.catalogue = figures
        self._formulas = {s.figure_id: s.formula for s in specs(figures)}
        self.half = {}
        for f in figures.itertuples():
            exact = is_count(f.unit) and f.value == int(f.value)
            self.half[f.figure_id] = 0.0 if exact else half_unit(self.printed(f.figure_id))

    def v(self, fid: str) -> float:
        """The value of a catalogue or derived figure."""
        return float(self.env[fid])

    def shown(self, fid: str) -> sentences.Shown:
        """A catalogued or derived figure's number as every page writes it (the one display
        rule, :func:`dbanalysis.derive.precision.display_text`), for an explanation."""
        value = self.v(fid)
        return sentences.Shown(fid, precision.display_text(fid, "en", value),
                               precision.display_text(fid, "vi", value))

    def printed(self, fid: str) -> str:
        """The number as printed in the report (Vietnamese notation;
        :func:`dbanalysis.catalogue.figures.printed_token`)."""
        return printed_token(self.figures.loc[fid])

    def interval(self, expr: str) -> tuple[float, float]:
        """Range of ``expr`` when every input varies within its printed precision."""
        return formula.interval(expand(expr, formulas=self._formulas), self.env, self.half)

    def tol(self, expr: str) -> float:
        """Half-width of the range of ``expr`` under the printed precision."""
        lo, hi = self.interval(expr)
        c = formula.evaluate(expr, self.env)
        return max(hi - c, c - lo)

    def sector(self, fid: str) -> str:
        """The sector of a catalogued figure."""
        return str(self.figures.loc[fid, "sector"])

    def label(self, fid: str) -> str:
        """The English label of a catalogued figure."""
        return str(self.figures.loc[fid, "label_en"])


def half_unit(printed: str) -> float:
    """Half a unit of the last printed digit of a Vietnamese number ("3,74" -> 0.005)."""
    return 0.5 * 10.0 ** -printed_decimals(printed)


def check_row(check_id, category, sector, verdict, ids, expected=math.nan, observed=math.nan,
              tolerance=math.nan, template="", /, **values):
    """One row of the audit table (``figure_ids`` joined with ';', numbers as floats).

    ``template`` names the row's explanation in ``data/templates/audit.csv`` (default: the
    check id) and ``values`` the numbers and texts it is filled with
    (:func:`dbanalysis.catalogue.sentences.render`); :func:`dbanalysis.audit.run.run_audit` writes
    ``explanation`` (English) and ``explanation_vi`` from them."""
    assert verdict in vocab.verdict_ids(), verdict
    values = {name: _outward(name, value) for name, value in values.items()}
    return {"check_id": check_id, "category": category, "sector": sector, "verdict": verdict,
            "figure_ids": ";".join(ids), "expected": float(expected),
            "observed": float(observed), "tolerance": float(tolerance),
            TEMPLATE: (template or check_id, values)}


def interval_values() -> dict[str, str]:
    """The values of an explanation that are an interval the audit computed, by name, and
    the side each is rounded to (:data:`dbanalysis.catalogue.vocab.BOUND_ROUNDING`), as the
    schema of data/templates/audit.csv declares them (``roundedOutward``): a half-width
    (``±{tolerance}``) up, a low end down, a high end up, so that the interval printed
    contains the interval computed (``±0.0154`` for 0.015443 did not; now ``±0.0155``), as
    the derived ranges are shown (:func:`dbanalysis.derive.precision.decimals`)."""
    return schema.load("input/templates/audit").rounded_outward


def _outward(name: str, value):
    """``value`` of an explanation, as a :class:`~dbanalysis.catalogue.sentences.Num`
    rounded outward when ``name`` is one of :func:`interval_values`."""
    side = interval_values().get(name)
    if side is None or isinstance(value, bool):
        return value
    if isinstance(value, sentences.Num):
        return sentences.Num(value.value, value.decimals, side)
    if isinstance(value, int | float):
        return sentences.Num(float(value), 0, side)
    return value


#: The key of a row's (template id, values) until the explanation is written.
TEMPLATE = "_template"


#: The key of a row's explanations with their figures marked (:data:`sentences.MARK`).
MARKED = "_marked"


def explain(row: dict) -> dict:
    """``row`` with its explanation in both languages written from its template, and
    (under :data:`MARKED`) the same texts with each figure marked by its id, for pages."""
    row = dict(row)
    tid, values = row.pop(TEMPLATE)
    marked = {lang: sentences.render("audit", tid, row["verdict"], lang, marks=True, **values)
              for lang in ("en", "vi")}
    text = {lang: sentences.unmarked(t) for lang, t in marked.items()}
    return {**row, "explanation": text["en"], "explanation_vi": text["vi"], MARKED: marked}


def verdict_of(flag: bool) -> str:
    """``consistent`` when ``flag`` holds, else ``inconsistent``."""
    return "consistent" if flag else "inconsistent"


# --- check families ---------------------------------------------------------------------
