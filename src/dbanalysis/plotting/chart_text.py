"""Every word and number a chart writes, in the current language.

UI strings come from the one label table ``data/vocab/labels.csv`` (keys ``chart.*``,
read by :mod:`dbanalysis.core.labels`);
figure labels, units and number notation from :mod:`dbanalysis.notebook.sectorview` (babel's
``en`` / ``vi`` locales: ``1,033.772`` / ``1.033,772``). Money is written in the unit a
reader expects: an amount of 1 000 million VND or more in billion VND (``trên 4 tỷ
đồng``, never ``trên 4.000 triệu đồng``).
"""

from __future__ import annotations

import re
import textwrap

from matplotlib.ticker import FuncFormatter

from ..catalogue import figure_labels
from ..catalogue.figures import figure
from ..core import labels
from ..core.language import get_language, resolve
from ..core.typography import typeset
from ..views import text as vtext


def text(key: str, lang: str | None = None, /, **fields) -> str:
    """The label ``key`` of ``data/vocab/labels.csv`` in ``lang`` (default: the current
    language), with ``{name}`` fields filled (:func:`dbanalysis.core.labels.text`) and
    typeset (:func:`dbanalysis.core.typography.typeset`: en-dash year ranges, curly
    quotes, minus signs), as the pages are."""
    lang = resolve(lang)
    return typeset(labels.text(key, lang, **fields), lang)


def has(key: str) -> bool:
    """Whether ``data/vocab/labels.csv`` defines ``key``."""
    return key in labels.keys()


def label(figure_id: str, lang: str | None = None) -> str:
    """A catalogued figure's label in the current (or given) language."""
    return figure_labels.label(figure_id, lang)


def unit_label(unit: str, lang: str | None = None) -> str:
    """A unit's label in the current (or given) language."""
    return figure_labels.unit_label(unit, lang)


#: Longest line of a chart's text in the phone layout (:func:`.style.narrow`).
NARROW_WRAP = 36


def wrap(s: str, width: int = 34) -> str:
    """``s`` broken into lines of at most ``width`` characters (at most
    :data:`NARROW_WRAP` in the phone layout)."""
    from .style import is_narrow

    if is_narrow():
        width = min(width, NARROW_WRAP)
    return "\n".join(textwrap.wrap(" ".join(s.split()), width))


def number(value: float, lang: str | None = None) -> str:
    """A number in the language's notation, with a true minus sign."""
    return ("−" if value < 0 else "") + vtext.fmt_number(abs(value), lang)


def percent(value: float, digits: int = 1, signed: bool = False, lang: str | None = None) -> str:
    """``14.8%`` / ``14,8%``; with ``signed`` a leading ``+`` or ``−``."""
    v = round(value, digits)
    sign = ("+" if v > 0 else "−" if v < 0 else "") if signed else ("−" if v < 0 else "")
    return sign + vtext.fmt(abs(v), "percent", lang)


def value_text(value: float, unit: str, qualifier: str | None = None,
               lang: str | None = None) -> str:
    """A value with its unit and qualifier as a reader writes it (money in the unit the
    report writes it in, ``trên 4 tỷ đồng``: :func:`dbanalysis.views.text.fmt`)."""
    return vtext.fmt(value, unit, lang, qualifier or None)


def figure_text(figure_id: str, lang: str | None = None) -> str:
    """A catalogued figure with its unit and qualifier (see :func:`value_text`); in
    Vietnamese an 'over' is the report's own word, *trên* or *hơn*."""
    f = figure(figure_id)
    shown = value_text(f["value"], f["unit"], f["qualifier"], lang)
    over = figure_labels.qualifier_label("over", "vi")
    if resolve(lang) == "vi" and f["qualifier"] == "over" and shown.startswith(over + " "):
        word = "hơn" if re.search(r"\bhơn\b", str(f["quote"])) else "trên"
        shown = word + shown[len(over):]
    return shown


def period_text(period: str, lang: str | None = None) -> str:
    """`` (2019)``, `` (every year)``, `` (end-2020)`` in the current language; empty
    when the report states no period."""
    period = str(period or "")
    if not period or period == "unstated":
        return ""
    if period == "annual":
        return f" ({text('chart.period.annual', lang)})"
    if period.startswith("end-"):
        return f" ({text('chart.period.end', lang, year=period[4:])})"
    return f" ({typeset(period)})"


def number_formatter() -> FuncFormatter:
    """Axis tick labels in the current language's notation (``42,998`` / ``42.998``).

    The language is fixed when the formatter is made: a figure may be drawn later,
    while another language is current."""
    lang = get_language()
    return FuncFormatter(lambda x, _pos: number(x, lang))
