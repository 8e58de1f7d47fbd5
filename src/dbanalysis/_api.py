"""Where each public name of :mod:`dbanalysis` comes from (``dbanalysis.__all__``).

``import dbanalysis`` does not import this module: the package imports it when a public
name is first used (so the command line and a fresh kernel stay quick), and mypy reads
it through the package's ``TYPE_CHECKING`` import. A name is public when it is imported
here *and* listed in ``dbanalysis.__all__`` (tests/test_public_api.py checks both, and
that notebooks/README.md documents it).

The imports are static so that import-linter sees them; a public name may differ from
its module's (``figures_table`` is :func:`dbanalysis.render.tables.figures`): the public
names read as one vocabulary, ``*_table`` a table for readers (no ids), ``*_frame`` a
data frame with ids for an author.
"""

from __future__ import annotations

from .audit.run import run_audit
from .catalogue.corrections import load_corrections
from .catalogue.coverage import coverage_summary, load_exclusions
from .catalogue.figure_labels import figure_ids_for, label, sector_label
from .catalogue.figures import figure, load_figures, read_catalog_csv
from .catalogue.reference import value as reference_value
from .catalogue.source import citation, load_meta, report_text
from .catalogue.units import decimals_at_most
from .catalogue.vocab import sectors, verdict_ids
from .core.labels import text as ui_text
from .core.language import get_language, set_language
from .core.links import source_link
from .core.markup import Md, md_text
from .derive.compute import derived_figures
from .derive.lookup import derived_value
from .derive.precision import SIGNIFICANT as SIGNIFICANT_FIGURES
from .notebook.bilingual import say, show
from .plotting import (
    achievement_bars,
    award_hierarchy,
    bound_bars,
    caption_text,
    change_since_2015,
    composition_bar,
    count_bars,
    coverage_bars,
    level_bars,
    no_chart_note,
    parts_bar,
    plan_achievement,
    range_bar,
    reading_paths,
    share_bars,
    share_bars_of,
    slope_2015_2019,
    use_house_style,
    value_bars,
)
from .render.audit_text import by_sector as audit_by_sector
from .render.audit_text import checks_table as audit_table
from .render.audit_text import counts as audit_counts
from .render.audit_text import findings as audit_paragraphs
from .render.audit_text import section as audit_section
from .render.audit_text import sectors_with as audit_sectors_with
from .render.audit_text import verdict_label
from .render.method import exclusions_table, sector_counts_table, source_record, verdict_words
from .render.tables import corrections as corrections_table
from .render.tables import derived as derived_table
from .render.tables import figures as figures_table
from .render.tables import notes_section as notes_table
from .render.tables import outside_knowledge, value_text
from .views.audit import audit_counts as audit_counts_text
from .views.audit import audit_findings
from .views.changes import change_readings
from .views.formulas import formula_text
from .views.glance import changes_since_2015, level_only_ids, plan_achievements, reading_ids
from .views.method import catalogue_row, corrected_ids, method_counts
from .views.sector_figures import derived_table as derived_frame
from .views.sector_figures import figure_table as figure_frame
from .views.shares import pairs, shares_sum
from .views.text import fmt, fmt_number, label_sentence, md_table, sentence
