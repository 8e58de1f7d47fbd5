"""dbanalysis: the Điện Biên district 2015-2020 emulation report as a research package.

The subpackages import in one direction, declared once as import-linter contracts in
pyproject.toml (docs/architecture.md).

What a notebook author needs is here, by name (``import dbanalysis as db``; documented
in ``notebooks/README.md``): the catalogue, the derived figures, the audit, the display
helpers and the chart functions. Each name is imported from its module on first use,
so ``import dbanalysis`` stays fast (the command line and the kernels import it).
"""

from __future__ import annotations

from typing import Any

from .core.version import __version__

#: Public name -> the module that defines it (``None``: the name is a module itself).
_EXPORTS: dict[str, str | None] = {
    # the catalogue: every figure parsed from its quote
    "load_figures": "catalogue.figures",
    "figure": "catalogue.figures",
    "figure_ids_for": "catalogue.figure_labels",
    "label": "catalogue.figure_labels",
    # derived figures: every number computed from the catalogue, with its formula
    "derived_figures": "derive.compute",
    "derived_table": "views.sector_figures",
    "derived_value": "derive.lookup",
    # the audit
    "run_audit": "audit.run",
    "audit_summary": "views.audit",
    "audit_findings": "views.audit",
    # display: both languages, tables as the site shows them
    "say": "notebook.bilingual",
    "show": "notebook.bilingual",
    "tables": None,
    "set_language": "core.language",
    "get_language": "core.language",
    # charts (each returns a matplotlib Figure; catalogue or derived ids)
    "use_house_style": "plotting",
    "value_bars": "plotting",
    "count_bars": "plotting",
    "bound_bars": "plotting",
    "range_bar": "plotting",
    "share_bars": "plotting",
    "achievement_bars": "plotting",
    "composition_bar": "plotting",
    "parts_bar": "plotting",
    "coverage_bars": "plotting",
    "slope_2015_2019": "plotting",
    "reading_paths": "plotting",
    "change_since_2015": "plotting",
    "plan_achievement": "plotting",
    "award_hierarchy": "plotting",
}
__all__ = ["__version__", *_EXPORTS]


def _modules() -> dict[str, Any]:
    """The modules of :data:`_EXPORTS`, imported on first use (static imports, which the
    layer test reads)."""
    from . import plotting
    from .audit import run
    from .catalogue import figure_labels, figures
    from .core import language
    from .derive import compute, lookup
    from .notebook import bilingual
    from .render import tables
    from .views import audit, sector_figures

    return {"audit.run": run, "catalogue.figure_labels": figure_labels,
            "catalogue.figures": figures, "core.language": language, "derive.compute": compute,
            "derive.lookup": lookup, "notebook.bilingual": bilingual, "plotting": plotting,
            "tables": tables, "views.audit": audit, "views.sector_figures": sector_figures}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'dbanalysis' has no attribute {name!r}")
    module = _EXPORTS[name]
    value = _modules()[name] if module is None else getattr(_modules()[module], name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
