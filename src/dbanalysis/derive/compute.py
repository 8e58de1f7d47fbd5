"""Figures derived from the catalogue, each with its formula, inputs and assumption.

Every derivation is one :class:`Spec`: an id, a formula string over catalogue ids
(or ids of earlier derivations), a unit, a reading and an assumption. The formula
string is parsed and evaluated by :mod:`dbanalysis.catalogue.formula`, so the text shown to a
reader *is* the computation. Where a statement admits two readings both are
derived and labelled (``reading``). Literal constants in formulas are unit
conversions or period lengths, never figures from the report:

- ``100``: percent; ``1000``: kg per tonne and million VND per billion VND;
- ``10000``: people per 'vạn' (doctors per 10 000 people);
- ``1000000``: 'triệu' (million), from data/corrections.csv;
- ``4`` / ``5``: years from 2015 to 2019 / 2020;
- ``0.05``: half a unit of the last printed digit of a one-decimal figure;
- ``0.5``: half a unit of the last printed digit of a whole-number figure (e.g. a
  percentage printed as '20%', which stands for anything from 19.5 to 20.5);
- the ``n`` of ``round(x, n)``: the decimals the display rule shows ``x`` with (a
  difference of two numbers as the site shows them; tests hold ``n`` to the rule).

Domain knowledge (not from the report) enters formulas only by a ``ref_`` name from
:mod:`dbanalysis.catalogue.reference`.
"""

from __future__ import annotations

import math

import pandas as pd

from ..catalogue import formula
from ..catalogue.corrections import load_corrections
from ..catalogue.figures import load_figures
from ..catalogue.reference import formula_names
from ..core import paths, schema, validation
from ..core.inputs import InputError, Problem
from . import families as derived_families
from .rules import (
    AWARD_RECIPIENTS,
    GLANCE_SPECS,
    GROWTH_PATHS,
    REST_OF,
    VIEW_SPECS,
    _award_cell_specs,
    _award_specs,
    _change_pct_specs,
    _correction_specs,
    _growth_path_specs,
    award_cell_id,
    growth_path_id,
    rest_id,
    rule_ids,
    share_id,
    target_id,
    target_ids,
)
from .specs import SHARE_OF, SPECS, YEARS, S, Spec, with_texts

__all__ = [
    "AWARD_RECIPIENTS",
    "GLANCE_SPECS",
    "GROWTH_PATHS",
    "REST_OF",
    "SCHEMA",
    "SHARE_OF",
    "SPECS",
    "VIEW_SPECS",
    "YEARS",
    "DerivationError",
    "S",
    "Spec",
    "award_cell_id",
    "derived_figures",
    "environment",
    "expand",
    "fixed_specs",
    "growth_path_id",
    "rest_id",
    "rule_ids",
    "rule_instances",
    "share_id",
    "specs",
    "target_id",
    "target_ids",
]

#: The table's schema (data/schemas/output/derived.json): columns, types, vocabularies.
SCHEMA = "output/derived"



class DerivationError(InputError):
    """The catalogue values (with accepted corrections) give a derived figure no finite
    real value (its formula divides by zero, overflows or takes a root of a negative),
    or a derived figure breaks the table's schema (an unknown unit or sector, ...)."""

    what = "derived figures (computed from the catalogue and data/corrections.csv)"


def fixed_specs() -> list[Spec]:
    """The figures declared one by one (SPECS, VIEW_SPECS, GLANCE_SPECS) with their labels
    and assumptions from data/templates/derived.csv (an input error names its bad rows)."""
    return with_texts(SPECS + VIEW_SPECS + GLANCE_SPECS)


def _declared(figures: pd.DataFrame) -> list[Spec]:
    fixed = fixed_specs()
    n_specs, n_views = len(SPECS), len(SPECS) + len(VIEW_SPECS)
    return (_correction_specs(figures) + fixed[:n_specs] + _change_pct_specs(figures)
            + _award_specs(figures) + fixed[n_specs:n_views] + _growth_path_specs(figures)
            + _award_cell_specs(figures) + fixed[n_views:])


def rule_instances(figures: pd.DataFrame | None = None) -> list[derived_families.Instance]:
    """Every figure the rules of data/derived.csv derive (declared before or not)."""
    figures = load_figures() if figures is None else figures
    corrected = set(load_corrections(figures=figures).query("status == 'accepted'")["figure_id"])
    return derived_families.instances(figures, corrected)


def specs(figures: pd.DataFrame | None = None) -> list[Spec]:
    """Every derivation: corrections, the fixed specs, changes since 2015, award totals,
    then what the rules of data/derived.csv derive that is not declared above."""
    figures = load_figures() if figures is None else figures
    return _specs_and_instances(figures)[0]


def _specs_and_instances(figures: pd.DataFrame
                         ) -> tuple[list[Spec], list[derived_families.Instance]]:
    """:func:`specs` and :func:`rule_instances` of ``figures``, the rules applied once."""
    declared = _declared(figures)
    instances = rule_instances(figures)
    known = {s.figure_id for s in declared}
    return declared + [S(i.figure_id, i.formula, i.unit, i.sector, i.label_en, i.label_vi,
                         i.reading, i.assumption, assumption_vi=i.assumption_vi)
                       for i in instances if i.figure_id not in known], instances


def environment(figures: pd.DataFrame | None = None) -> dict[str, float]:
    """Catalogue values plus every derived value, by id (for formulas and the audit)."""
    figures = load_figures() if figures is None else figures
    return _environment(figures, *_specs_and_instances(figures))


def _environment(figures: pd.DataFrame, all_specs: list[Spec],
                 instances: list[derived_families.Instance]) -> dict[str, float]:
    env = dict(zip(figures["figure_id"], figures["value"], strict=True))
    env.update(formula_names())
    for s in all_specs:
        if s.figure_id in env:
            raise ValueError(f"derived id {s.figure_id!r} is already used")
        try:
            env[s.figure_id] = formula.evaluate(s.formula, env)
        except formula.FormulaError as exc:
            inputs = ", ".join(f"{n} = {env[n]!r}" for n in formula.names(s.formula) if n in env)
            raise DerivationError(paths.figures_path(), [Problem(0, s.figure_id, (
                f"cannot be derived: {exc}; inputs {inputs}"))]) from None
    # a declared figure a rule finds again must be the rule's figure
    problems = []
    for i in instances:
        by_rule = formula.evaluate(i.formula, env)
        if not math.isclose(env[i.figure_id], by_rule, rel_tol=1e-9, abs_tol=1e-9):
            problems.append(Problem(0, i.figure_id, (
                f"is {env[i.figure_id]!r}, but the rule {i.rule!r} (data/derived.csv) gives "
                f"{i.formula} = {by_rule!r}")))
    if problems:
        raise DerivationError(paths.data_dir() / "derived.csv", problems)
    return env


def expand(expr: str, figures: pd.DataFrame | None = None, *,
           formulas: dict[str, str] | None = None) -> str:
    """``expr`` with every derived id replaced by its formula, down to catalogue ids.

    ``formulas`` (derived id -> formula) saves rebuilding the specs on every call.
    """
    import re

    by_id = formulas if formulas is not None else {s.figure_id: s.formula
                                                   for s in specs(figures)}
    for _ in range(len(by_id) + 1):
        hits = [n for n in formula.names(expr) if n in by_id]
        if not hits:
            return expr
        for n in hits:
            expr = re.sub(rf"\b{re.escape(n)}\b", f"({by_id[n]})", expr)
    raise ValueError(f"circular derivation in {expr!r}")  # pragma: no cover


def derived_figures(figures: pd.DataFrame | None = None) -> pd.DataFrame:
    """One row per derived figure: value, unit, formula, inputs, assumption, reading."""
    figures = load_figures() if figures is None else figures
    all_specs, instances = _specs_and_instances(figures)
    env = _environment(figures, all_specs, instances)
    rows = [{"figure_id": s.figure_id, "label_en": s.label_en, "label_vi": s.label_vi,
             "value": env[s.figure_id], "unit": s.unit, "formula": s.formula,
             "inputs": formula.names(s.formula), "assumption": s.assumption,
             "reading": s.reading, "sector": s.sector, "qualifier": s.qualifier or None}
            for s in all_specs]
    df = pd.DataFrame(rows, columns=schema.load(SCHEMA).columns)
    problems = validation.check_frame(SCHEMA, df)
    if problems:
        raise DerivationError(schema.schemas_dir() / f"{SCHEMA}.json", problems)
    return df
