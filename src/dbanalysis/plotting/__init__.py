"""Charts of the project, one house style: ``from dbanalysis import plotting as pl``.

Every chart function returns a :class:`matplotlib.figure.Figure` (not registered with
pyplot, so a notebook displays it once when it is the cell's value) with a title stating
the finding, the unit on the value axis, a short source line, and ``fig.dbanalysis =
{"alt": ..., "figure_ids": [...]}`` (alt text in the chart's language; ids also stored
in the PNG by :func:`png_bytes`).

Modules, by concern:

* :mod:`.style` house style, figures outside pyplot, font check;
* :mod:`.chart_text` chart words (``data/vocab/labels.csv``) and number notation;
* :mod:`.provenance` source line, alt text, ids in the figure and its PNG;
* :mod:`.bar_charts`, :mod:`.share_charts`, :mod:`.part_charts`, :mod:`.sector_charts`,
  :mod:`.change_charts`, :mod:`.glance_charts`, :mod:`.audit_charts` the charts.

Layer: beside :mod:`dbanalysis.render`; may import from views and everything below it
(core, catalogue, derive, audit), never from render, notebook, site or cli.
"""

from __future__ import annotations

from types import ModuleType
from typing import TYPE_CHECKING, Any

from ..core.language import get_language, set_language

if TYPE_CHECKING:
    from .audit_charts import VERDICT_COLOURS, verdict_bars
    from .bar_charts import bound_bars, count_bars, range_bar, require_several, value_bars
    from .change_charts import reading_paths, slope_2015_2019
    from .chart_text import label, unit_label
    from .glance_charts import change_since_2015, plan_achievement
    from .part_charts import award_hierarchy, composition_bar, parts_bar
    from .provenance import (
        DERIVED_IDS_KEY,
        FIGURE_IDS_KEY,
        SOURCE_GID,
        add_source,
        alt_text,
        chart_meta,
        png_bytes,
        png_text,
        save_png,
        source_line,
    )
    from .sector_charts import caption_text, level_bars, no_chart_note, share_bars_of
    from .share_charts import achievement_bars, coverage_bars, marked_coverage_bars, share_bars
    from .style import (
        DERIVED_COLOR,
        DPI,
        FIGSIZE,
        HOUSE_FONT,
        OKABE_ITO,
        QUALIFIED_HATCH,
        STATED_COLOR,
        new_figure,
        use_house_style,
        vietnamese_font_check,
    )

#: Where each name lives: a module is imported when one of its names is first used, so
#: that a kernel pays only for the charts it draws.
_HOMES = {
    "audit_charts": ("VERDICT_COLOURS", "verdict_bars"),
    "bar_charts": ("bound_bars", "count_bars", "range_bar", "require_several", "value_bars"),
    "change_charts": ("reading_paths", "slope_2015_2019"),
    "chart_text": ("label", "unit_label"),
    "glance_charts": ("change_since_2015", "plan_achievement"),
    "part_charts": ("award_hierarchy", "composition_bar", "parts_bar"),
    "provenance": ("DERIVED_IDS_KEY", "FIGURE_IDS_KEY", "SOURCE_GID", "add_source", "alt_text",
                   "chart_meta", "png_bytes", "png_text", "save_png", "source_line"),
    "sector_charts": ("caption_text", "level_bars", "no_chart_note", "share_bars_of"),
    "share_charts": ("achievement_bars", "coverage_bars", "marked_coverage_bars", "share_bars"),
    "style": ("DERIVED_COLOR", "DPI", "FIGSIZE", "HOUSE_FONT", "OKABE_ITO", "QUALIFIED_HATCH",
              "STATED_COLOR", "new_figure", "use_house_style", "vietnamese_font_check"),
}
_HOME = {name: module for module, names in _HOMES.items() for name in names}


def _load(module: str) -> ModuleType:
    """One of the package's modules, imported on first use."""
    if module == "audit_charts":
        from . import audit_charts

        return audit_charts
    if module == "bar_charts":
        from . import bar_charts

        return bar_charts
    if module == "change_charts":
        from . import change_charts

        return change_charts
    if module == "chart_text":
        from . import chart_text

        return chart_text
    if module == "glance_charts":
        from . import glance_charts

        return glance_charts
    if module == "part_charts":
        from . import part_charts

        return part_charts
    if module == "provenance":
        from . import provenance

        return provenance
    if module == "sector_charts":
        from . import sector_charts

        return sector_charts
    if module == "share_charts":
        from . import share_charts

        return share_charts
    from . import style

    return style


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_load(_HOME[name]), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)


__all__ = [
    "DERIVED_COLOR",
    "DERIVED_IDS_KEY",
    "DPI",
    "FIGSIZE",
    "FIGURE_IDS_KEY",
    "HOUSE_FONT",
    "OKABE_ITO",
    "QUALIFIED_HATCH",
    "SOURCE_GID",
    "STATED_COLOR",
    "VERDICT_COLOURS",
    "achievement_bars",
    "add_source",
    "alt_text",
    "award_hierarchy",
    "bound_bars",
    "caption_text",
    "change_since_2015",
    "chart_meta",
    "composition_bar",
    "count_bars",
    "coverage_bars",
    "get_language",
    "label",
    "level_bars",
    "marked_coverage_bars",
    "new_figure",
    "no_chart_note",
    "parts_bar",
    "plan_achievement",
    "png_bytes",
    "png_text",
    "range_bar",
    "reading_paths",
    "require_several",
    "save_png",
    "set_language",
    "share_bars",
    "share_bars_of",
    "slope_2015_2019",
    "source_line",
    "unit_label",
    "use_house_style",
    "value_bars",
    "verdict_bars",
    "vietnamese_font_check",
]
