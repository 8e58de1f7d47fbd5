"""dbanalysis: the Điện Biên district 2015-2020 emulation report as a research package.

The subpackages import in one direction, declared once as import-linter contracts in
pyproject.toml (docs/architecture.md).

What a notebook author needs is here, by name (``import dbanalysis as db``; every name
of :data:`__all__` is documented in ``notebooks/README.md``, and the report's notebooks
import nothing else of the package): the source and its catalogue, the derived figures,
the audit, display in both languages, reader tables and the charts. The names are
imported from their modules (``dbanalysis._api``) on first use, so ``import dbanalysis``
stays fast (the command line and the kernels import it); every data file is read when
a function is called, never at import, so an edited file is seen by a running kernel.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .core.version import __version__

if TYPE_CHECKING:  # what mypy and editors see; at run time, __getattr__ below
    from ._api import *  # noqa: F403

__all__ = [  # noqa: RUF022 (by concern, as notebooks/README.md lists them)
    "__version__",
    # the source and its catalogue: every figure parsed from its quote
    "report_text",
    "citation",
    "load_meta",
    "load_figures",
    "read_catalog_csv",
    "figure",
    "figure_ids_for",
    "figure_frame",
    "label",
    "load_corrections",
    "load_exclusions",
    "coverage_summary",
    "catalogue_row",
    "corrected_ids",
    "method_counts",
    "reference_value",
    # vocabularies and the words of the pages (data/vocab)
    "sectors",
    "sector_label",
    "verdict_ids",
    "verdict_label",
    "verdict_words",
    "ui_text",
    # derived figures: every number computed from the catalogue, with its formula
    "derived_figures",
    "derived_value",
    "derived_frame",
    "changes_since_2015",
    "plan_achievements",
    "level_only_ids",
    "reading_ids",
    "change_readings",
    "pairs",
    "shares_sum",
    "label_sentence",
    # the audit
    "run_audit",
    "audit_findings",
    "audit_counts",
    "audit_counts_text",
    "audit_paragraphs",
    "audit_section",
    "audit_by_sector",
    "audit_sectors_with",
    # display: one output per language
    "say",
    "show",
    "set_language",
    "get_language",
    # text: numbers, sentences and Markdown in the page language
    "sentence",
    "value_text",
    "fmt",
    "fmt_number",
    "formula_text",
    "source_link",
    "md_text",
    "Md",
    "md_table",
    "SIGNIFICANT_FIGURES",
    "decimals_at_most",
    # tables for readers (escaped, the page language's number format, linked)
    "figures_table",
    "derived_table",
    "notes_table",
    "audit_table",
    "corrections_table",
    "outside_knowledge",
    "source_record",
    "sector_counts_table",
    "exclusions_table",
    # charts: each returns a matplotlib Figure (catalogue or derived ids)
    "use_house_style",
    "caption_text",
    "no_chart_note",
    "value_bars",
    "count_bars",
    "bound_bars",
    "range_bar",
    "level_bars",
    "share_bars",
    "share_bars_of",
    "achievement_bars",
    "coverage_bars",
    "composition_bar",
    "parts_bar",
    "slope_2015_2019",
    "reading_paths",
    "change_since_2015",
    "plan_achievement",
    "award_hierarchy",
]
_LAZY = frozenset(__all__) - {"__version__"}


if not TYPE_CHECKING:  # hidden from mypy, so that a misspelt name is an error there too

    def __getattr__(name: str) -> Any:
        if name not in _LAZY:
            raise AttributeError(f"module 'dbanalysis' has no attribute {name!r}")
        from . import _api

        value = getattr(_api, name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
