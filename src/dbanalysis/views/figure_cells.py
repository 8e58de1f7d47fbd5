"""A catalogued figure as every table shows it: its status (the one rule of the status
badges), the value a reader is given (a corrected figure's corrected value) and, for a
corrected figure, the value as printed beside it.

Read by the reader tables (:func:`dbanalysis.render.tables.figures`, which link and mark
up the cells) and by a chart's data table (:func:`dbanalysis.plotting.provenance.data_rows`,
plain text), so that a chart's table says what its chart draws, as the page tables do.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from ..catalogue import vocab
from ..catalogue.corrections import apply_corrections
from ..core import cache
from ..core.cache import memo, one_reading
from ..core.language import resolve
from ..derive import ids
from .questioned import verdicts_by_figure
from .text import figure_text, printed_text


@functools.cache
def _corrected_cached(_content: str) -> frozenset[str]:
    fixed = apply_corrections()
    return frozenset(fixed.loc[fixed["corrected"], "figure_id"])


@one_reading()  # one version of data/ per call: its files stat'ed once
def figure_status(figure_id: str) -> str:
    """``corrected`` (accepted correction), ``inconsistent`` or ``ambiguous`` (an audit
    check with that verdict questions the figure itself,
    :func:`dbanalysis.views.questioned.questioned`; feeding a check that fails is not
    enough), else ``stated``."""
    verdicts = verdicts_by_figure().get(figure_id, frozenset())
    corrected = figure_id in _corrected_cached(cache.data_hash())
    return vocab.status_of(({"corrected"} if corrected else set())
                           | (verdicts & set(vocab.doubtful_verdicts())))


def status_label(status: str, lang: str | None = None) -> str:
    """A status (data/vocab/statuses.csv) in the page's language."""
    return str(vocab.statuses().loc[status, f"label_{resolve(lang)}"])


@dataclass(frozen=True)
class FigureCells:
    """What a table shows of one catalogued figure (plain text, not escaped).

    ``value``: the value a reader is given, with unit and qualifier (a corrected
    figure's corrected value); ``printed``: for a corrected figure, the value as the
    report prints it (:func:`dbanalysis.views.text.printed_text`; else None);
    ``status``: its key in data/vocab/statuses.csv."""

    value: str
    printed: str | None
    status: str


def figure_cells(figure_id: str, lang: str | None = None) -> FigureCells:
    """:class:`FigureCells` of a catalogued figure in ``lang``. Remembered per data version,
    language and figure (:func:`dbanalysis.core.cache.memo`; the cells are frozen): a page
    asks for a figure's cells in its table, the printed values its other tables link and
    its charts' data tables, once per layout."""
    return _figure_cells(figure_id, resolve(lang))


@memo("", keep_args=4096)
def _figure_cells(figure_id: str, lang: str) -> FigureCells:
    status = figure_status(figure_id)
    if status == "corrected":
        return FigureCells(figure_text(figure_id, lang, reading=ids.corrected(figure_id)),
                           printed_text(figure_id, lang), status)
    return FigureCells(figure_text(figure_id, lang), None, status)
