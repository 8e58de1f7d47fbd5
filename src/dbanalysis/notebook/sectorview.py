"""Many views under one name (``from dbanalysis.notebook import sectorview as sv``), for
the tests and a scratch notebook. The report's notebooks use the public API instead
(``import dbanalysis as db``, ``dbanalysis.__all__``).

The functions live in modules named for what they hold; this module re-exports them:

- :mod:`dbanalysis.catalogue.figure_labels`: labels of figures, units, sectors, qualifiers,
  statuses;
- :mod:`dbanalysis.views.text`: numbers with units and sentences filled from the catalogue;
- :mod:`dbanalysis.derive.lookup`: derived figures by id;
- :mod:`dbanalysis.views.sector_figures`: a sector's stated and derived figures as frames;
- :mod:`dbanalysis.views.changes` and :mod:`dbanalysis.views.shares`: data for charts;
- :mod:`dbanalysis.views.knowledge`: stated / derived / unknown per indicator;
- :mod:`dbanalysis.views.awards`: awards by level and recipient;
- :mod:`dbanalysis.views.audit`: the audit checks of a sector.
"""

from __future__ import annotations

from typing import Any

from ..catalogue import reference, vocab
from ..catalogue.figure_labels import (
    ASSUMED,
    DERIVED,
    READINGS,
    STATED,
    figure_ids_for,
    label,
    level_label,
    period_label,
    qualifier_label,
    recipient_label,
    sector_label,
    unit_label,
)
from ..catalogue.figures import figure
from ..core.language import LANGS, get_language, set_language
from ..core.links import AUDIT_PAGE, audit_link, source_link
from ..derive.lookup import catalogue_inputs, derived_row, derived_value
from ..views.audit import (
    audit_counts,
    audit_findings,
)
from ..views.awards import award_table, award_totals
from ..views.changes import (
    change_direction,
    change_readings,
    growth_paths,
    implied_population,
    implied_targets,
    reading_label,
    relative_change_points,
    slope_candidates,
    slope_data,
)
from ..views.knowledge import (
    knowledge_table,
    knowledge_table_implied,
    knowledge_table_with_derived,
    unknowns,
)
from ..views.sector_figures import (
    derived_table,
    derived_values,
    figure_table,
    figures_per_sector,
    figures_used,
    notes,
)
from ..views.shares import composition, pairs, pairs_of, parts_of_total
from ..views.text import (
    figure_number,
    figure_text,
    fmt,
    fmt_derived,
    fmt_figure,
    fmt_number,
    md,
    narrative,
    plain,
    sentence,
    unlink,
)


def __getattr__(name: str) -> Any:
    """``LEVELS``: the award levels, national first (read from the vocabulary when used)."""
    if name == "LEVELS":
        return vocab.AWARD_LEVELS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
