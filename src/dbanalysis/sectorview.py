"""One import for sector notebooks: ``from dbanalysis import sectorview as sv``.

The functions live in modules named for what they hold; this module re-exports them:

- :mod:`dbanalysis.figure_labels`: labels of figures, units, sectors, qualifiers, statuses;
- :mod:`dbanalysis.text`: numbers with units and sentences filled from the catalogue;
- :mod:`dbanalysis.derived_lookup`: derived figures by id;
- :mod:`dbanalysis.sector_figures`: a sector's stated and derived figures as frames;
- :mod:`dbanalysis.change_views` and :mod:`dbanalysis.share_views`: data for charts;
- :mod:`dbanalysis.knowledge_tables`: stated / derived / unknown per indicator;
- :mod:`dbanalysis.awards`: awards by level and recipient;
- :mod:`dbanalysis.audit_views`: the audit checks of a sector.
"""

from __future__ import annotations

from typing import Any

from . import reference, vocab
from .audit_views import (
    AUDIT_PAGE,
    audit_counts,
    audit_findings,
    audit_link,
    audit_summary,
)
from .awards import award_table, award_totals
from .catalog import figure
from .change_views import (
    change_direction,
    change_readings,
    growth_paths,
    implied_population,
    implied_targets,
    relative_change_points,
    slope_candidates,
    slope_data,
)
from .derived_lookup import catalogue_inputs, derived_row, derived_value
from .figure_labels import (
    ASSUMED,
    DERIVED,
    LEVEL_LABELS,
    READINGS,
    RECIPIENT_LABELS,
    STATED,
    figure_ids_for,
    label,
    qualifier_label,
    reading_label,
    sector_label,
    unit_label,
)
from .knowledge_tables import (
    knowledge_table,
    knowledge_table_implied,
    knowledge_table_with_derived,
    unknowns,
)
from .language import LANGS, get_language, set_language
from .sector_figures import (
    derived_table,
    derived_values,
    figure_table,
    figures_per_sector,
    figures_used,
    notes,
)
from .share_views import composition, pairs, pairs_of, parts_of_total
from .source import load_meta
from .text import (
    fmt,
    fmt_derived,
    fmt_figure,
    fmt_number,
    md,
    narrative,
    plain,
    sentence,
    source_link,
    unlink,
)

#: From the metadata sidecar (data/raw/*.meta.json).
SOURCE_TITLE = load_meta().title
SOURCE_DATE = load_meta().date_published_as_printed.split()[0]


def __getattr__(name: str) -> Any:
    """``LEVELS``: the award levels, national first (read from the vocabulary when used)."""
    if name == "LEVELS":
        return vocab.AWARD_LEVELS
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
