"""dbanalysis: the Điện Biên district 2015-2020 emulation report as a research package.

The modules import in one direction, stated once in README.md (section "Layers").

What a notebook author needs is here, by name (``import dbanalysis as db``; documented
in ``notebooks/README.md``): the catalogue, the derived figures, the audit, the display
helpers and the chart functions. Each name is imported from its module on first use,
so ``import dbanalysis`` stays fast (the command line and the kernels import it).
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"

#: Public name -> the module that defines it (``None``: the name is a module itself).
_EXPORTS: dict[str, str | None] = {
    # the catalogue: every figure parsed from its quote
    "load_figures": "catalog",
    "figure": "catalog",
    "figure_ids_for": "sectorview",
    "label": "sectorview",
    # derived figures: every number computed from the catalogue, with its formula
    "derived_figures": "derive",
    "derived_table": "sectorview",
    "derived_value": "sectorview",
    # the audit
    "run_audit": "audit",
    "audit_summary": "sectorview",
    "audit_findings": "sectorview",
    # display: both languages, tables as the site shows them
    "say": "bilingual",
    "show": "bilingual",
    "tables": None,
    "set_language": "language",
    "get_language": "language",
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
    import sys

    from . import audit, bilingual, catalog, derive, language, plotting, sectorview
    from .tables import ReaderTable  # noqa: F401 (``from . import tables`` would call
    # this module's __getattr__ for "tables", an export, again)

    return {"audit": audit, "bilingual": bilingual, "catalog": catalog, "derive": derive,
            "language": language, "plotting": plotting, "sectorview": sectorview,
            "tables": sys.modules[f"{__name__}.tables"]}


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'dbanalysis' has no attribute {name!r}")
    module = _EXPORTS[name]
    value = _modules()[name] if module is None else getattr(_modules()[module], name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_EXPORTS})
