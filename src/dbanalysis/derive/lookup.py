"""Derived figures by id (:mod:`dbanalysis.derive.compute`), computed once for the content of
data/ and the package, and shared between kernels (:func:`dbanalysis.core.cache.shared`)."""

from __future__ import annotations

import pandas as pd

from ..catalogue import formula
from ..catalogue.figures import figure_ids
from ..core import cache
from .compute import derived_figures, expand


def derived_frame() -> pd.DataFrame:
    """Every derived figure, indexed by id."""
    return cache.shared("derived", lambda: derived_figures().set_index("figure_id"))


#: The derived frame :func:`derived_row` last looked into, and the rows taken out of it.
_ROWS: tuple[pd.DataFrame | None, dict[str, pd.Series]] = (None, {})


def derived_row(derived_id: str) -> pd.Series:
    """One derived figure (KeyError naming the id): a copy (the caller may modify it) of
    the row taken out of the shared frame once (~15 us a lookup, against ~50 us for a row
    of the frame each time: tables, sentences and charts ask thousands of times a run)."""
    global _ROWS
    d = derived_frame()
    if _ROWS[0] is not d:
        _ROWS = (d, {})
    made = _ROWS[1]
    if derived_id not in made:
        if derived_id not in d.index:
            raise KeyError(f"no derived figure {derived_id!r}")
        made[derived_id] = d.loc[derived_id]
    return made[derived_id].copy()


def derived_value(derived_id: str) -> float:
    """The value of one derived figure."""
    return float(derived_row(derived_id)["value"])


def is_derived(figure_id: str) -> bool:
    """Whether ``figure_id`` names a derived figure of :mod:`dbanalysis.derive.compute`."""
    return figure_id in derived_frame().index


def catalogue_inputs(figure_id: str) -> list[str]:
    """The catalogue ids behind a figure: itself if catalogued, else a derived figure's
    formula expanded down to catalogue ids (for source lines). Remembered per data version
    (:func:`dbanalysis.core.cache.memo`): a chart's source line and data table ask for each
    of its figures, in each language and layout (each ask made the map of formulas anew
    and expanded the formula again); the caller gets a list of its own."""
    return list(_catalogue_inputs(figure_id))


@cache.memo("", keep_args=4096)
def _catalogue_inputs(figure_id: str) -> tuple[str, ...]:
    d = derived_frame()
    if figure_id not in d.index:
        return (figure_id,)
    ids = figure_ids()
    expanded = expand(figure_id, formulas=dict(zip(d.index, d["formula"], strict=True)))
    return tuple(n for n in formula.names(expanded) if n in ids)
