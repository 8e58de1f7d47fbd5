"""What the "Data and method" page counts: the catalogue, the derived figures, the
corrections, the completeness proof and the audit, per sector and in all.

Every number that page states is one of these (a notebook cell counts nothing: the
values are named here, the page's sentences only place them).
"""

from __future__ import annotations

import pandas as pd

from ..catalogue import vocab
from ..catalogue.corrections import load_corrections
from ..catalogue.coverage import coverage_summary, load_exclusions
from ..catalogue.figures import NUMBER_COLUMNS, load_figures, number_span, read_catalog_csv
from ..catalogue.source import report_text
from ..core import schema
from ..derive.lookup import derived_frame
from .audit import audit_frame

#: Columns of :func:`sector_counts`, in the order the page shows them.
SECTOR_COUNTS = ("figures", "derived", "checks")


def correction_statuses() -> list[str]:
    """The statuses a correction may have, in the order its schema declares them
    (``accepted``, ``proposed``, ``open``)."""
    enum = schema.load("input/corrections").field("status").constraints["enum"]
    return [str(s) for s in enum]


def method_counts() -> dict[str, int]:
    """The counts the method page states, by name.

    ``n_figures``, ``n_sectors``, ``n_units`` (the catalogue); ``n_derived`` and, of those,
    ``readings`` (one labelled reading of a statement with several), ``assumed`` (resting
    on a stated assumption), ``both`` and ``neither``; ``n_corrections`` and one count per
    correction status (``accepted``, ``open``, ``proposed``), ``not_applied`` (all but
    the accepted); the completeness proof of
    :func:`dbanalysis.catalogue.coverage.coverage_summary` (``digit_runs``, ``in_quotes``,
    ``in_exclusions``, ``exclusions``, ``uncovered``)."""
    figures = load_figures()
    derived = derived_frame()
    corrections = load_corrections()
    text = report_text()
    readings = derived["reading"] != "as_written"
    assumed = derived["assumption"] != ""
    status = corrections["status"].value_counts()
    statuses = {s: int(status.get(s, 0)) for s in correction_statuses()}
    return {
        "n_figures": len(figures),
        "n_sectors": int(figures["sector"].nunique()),
        "n_units": int(figures["unit"].nunique()),
        "n_derived": len(derived),
        "readings": int(readings.sum()),
        "assumed": int(assumed.sum()),
        "both": int((readings & assumed).sum()),
        "neither": int((~readings & ~assumed).sum()),
        "n_corrections": len(corrections),
        **statuses,
        "not_applied": len(corrections) - statuses["accepted"],
        **coverage_summary(text, figures, load_exclusions(text)),
    }


def corrected_ids() -> list[str]:
    """The catalogued figures whose correction is accepted (and applied), in the
    corrections table's order."""
    corrections = load_corrections()
    return [str(i) for i in corrections.loc[corrections["status"] == "accepted", "figure_id"]]


def sector_counts() -> pd.DataFrame:
    """Per sector (rows, in the sectors' order), the catalogued figures, the derived
    figures and the audit checks filed under it (columns :data:`SECTOR_COUNTS`); a sector
    with none of one kind counts 0."""
    order = vocab.sectors().sort_values("order").index
    counts = {"figures": load_figures()["sector"].value_counts(),
              "derived": derived_frame()["sector"].value_counts(),
              "checks": audit_frame()["sector"].value_counts()}
    return pd.DataFrame({k: [int(counts[k].get(s, 0)) for s in order] for k in SECTOR_COUNTS},
                        index=pd.Index(order, name="sector"))


def exclusion_kinds() -> pd.DataFrame:
    """Per kind of excluded number (rows, in the order of
    data/vocab/exclusion_categories.csv; kinds with no exclusion left out): how many
    passages are excluded (``exclusions``) and the first of them (``example``, the
    report's words)."""
    excluded = load_exclusions(report_text())
    rows = []
    for kind in vocab.exclusion_categories().index:
        mine = excluded[excluded["category"] == kind]
        if len(mine):
            rows.append({"kind": kind, "exclusions": len(mine),
                         "example": str(mine["context"].iloc[0])})
    return pd.DataFrame(rows, columns=["kind", "exclusions", "example"]).set_index("kind")


def catalogue_row(figure_id: str) -> dict[str, int]:
    """Where a catalogued figure was read: the number of its quote that is the figure
    (``pick``), and the characters of the article where the quote (``start``, ``end``)
    and the number (``number_start``, ``number_end``) stand."""
    row = load_figures().set_index("figure_id").loc[figure_id]
    pick = read_catalog_csv().set_index("figure_id").loc[figure_id, "pick"]
    return {"pick": int(pick), **{k: int(row[k]) for k in ("start", "end")},
            **dict(zip(NUMBER_COLUMNS, number_span(row), strict=True))}
