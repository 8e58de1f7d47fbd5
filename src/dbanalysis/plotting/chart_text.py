"""Every word and number a chart writes, in the current language.

UI strings come from the one label table ``data/vocab/labels.csv`` (keys ``chart.*``,
read by :mod:`dbanalysis.core.labels`);
figure labels, units and number notation from :mod:`dbanalysis.views.text` (babel's
``en`` / ``vi`` locales: ``1,033.772`` / ``1.033,772``). Money is written in the unit a
reader expects: an amount of 1 000 million VND or more in billion VND (``trên 4 tỷ
đồng``, never ``trên 4.000 triệu đồng``).
"""

from __future__ import annotations

import difflib
import re
import textwrap

import pandas as pd
from matplotlib.ticker import FuncFormatter

from ..catalogue import figure_labels
from ..catalogue.figures import benchmark as figure_benchmark
from ..catalogue.figures import figure, load_figures
from ..core import labels
from ..core.language import get_language, resolve
from ..core.typography import typeset
from ..derive import precision
from ..derive.lookup import derived_frame
from ..views import text as vtext


def text(key: str, lang: str | None = None, /, **fields) -> str:
    """The label ``key`` of ``data/vocab/labels.csv`` in ``lang`` (default: the current
    language), with ``{name}`` fields filled (:func:`dbanalysis.core.labels.text`) and
    typeset (:func:`dbanalysis.core.typography.typeset`: en-dash year ranges, curly
    quotes, minus signs), as the pages are."""
    lang = resolve(lang)
    return typeset(labels.text(key, lang, **fields), lang)


def template(key: str, lang: str | None = None) -> str:
    """The label ``key`` as a template whose ``{figure_id}`` fields the caller fills
    (:func:`dbanalysis.core.labels.template`), typeset as :func:`text` is."""
    lang = resolve(lang)
    return typeset(labels.template(key, lang), lang)


def benchmark(ids, lang: str | None = None) -> str:
    """What the achievements ``ids`` are measured against, for an axis or legend: "plan"
    when every one is a plan, "target" when every one is a target, both only when they mix
    (``chart.benchmark.<plan|target|mixed>``; each figure's own quote decides:
    :func:`dbanalysis.catalogue.figures.benchmark`)."""
    found = {figure_benchmark(i) for i in ids}
    return text(f"chart.benchmark.{found.pop() if len(found) == 1 else 'mixed'}", lang)


def has(key: str) -> bool:
    """Whether ``data/vocab/labels.csv`` defines ``key``."""
    return key in labels.keys()


def chart_figure(figure_id: str) -> pd.Series:
    """What a chart draws of a figure: ``figure_id``, ``value``, ``unit``, ``qualifier``
    (None if none), ``quote`` ("" for a derived figure), ``label_en``, ``label_vi``.

    A catalogued figure (:func:`dbanalysis.catalogue.figures.figure`) or a derived one
    (:mod:`dbanalysis.derive.compute`, e.g. ``d_budget_revenue_2015``); a ``KeyError`` that names
    the ids closest to ``figure_id`` and where to find the others otherwise."""
    try:
        return figure(figure_id)
    except KeyError:
        pass
    derived = derived_frame()
    if figure_id not in derived.index:
        raise KeyError(unknown_figure(figure_id))
    row = derived.loc[figure_id]
    qualifier = row["qualifier"] if isinstance(row["qualifier"], str) and row["qualifier"] else None
    return pd.Series({"figure_id": figure_id, "value": float(row["value"]), "unit": row["unit"],
                      "qualifier": qualifier, "quote": "", "label_en": row["label_en"],
                      "label_vi": row["label_vi"]}, name=figure_id)


def unknown_figure(figure_id: str) -> str:
    """Why a chart cannot draw ``figure_id``, and what would work."""
    known = [*load_figures()["figure_id"], *derived_frame().index]
    close = difflib.get_close_matches(figure_id, known, n=4, cutoff=0.6)
    hint = f"; did you mean {', '.join(map(repr, close))}?" if close else ""
    return (f"no figure {figure_id!r} in the catalogue or among the derived figures{hint} "
            "(a sector's ids: dbanalysis.figure_ids_for('<sector>') and "
            "dbanalysis.derived_frame('<sector>'))")


def label(figure_id: str, lang: str | None = None) -> str:
    """A catalogued or derived figure's label in the current (or given) language."""
    return vtext.any_label(figure_id, lang)


def unit_label(unit: str, lang: str | None = None) -> str:
    """A unit's label in the current (or given) language."""
    return figure_labels.unit_label(unit, lang)


def name_with_unit(name: str, unit: str) -> str:
    """A row's name, with its unit in brackets only where the name does not already say it:
    "Schools meeting the national standard", but "Units rated good (militia units)"; a
    unit of two words ("thôn/bản") is said if the name has either."""
    words = name.casefold()
    if any(part.strip() and part.strip().casefold() in words for part in unit.split("/")):
        return name
    return f"{name} ({unit})"


#: Longest line of a chart's text in the phone layout (:func:`.style.narrow`).
NARROW_WRAP = 36


#: The spaces a line may break at (textwrap's own, ASCII): not U+00A0.
_BREAKABLE = re.compile(r"[ \t\n\r\f\v]+")


def wrap(s: str, width: int = 34) -> str:
    """``s`` broken into lines of at most ``width`` characters (at most
    :data:`NARROW_WRAP` in the phone layout), at spaces: a no-break space (U+00A0, as in
    ``(1 dòng)``) holds its words together (``str.split()`` would take it for a space)."""
    from .style import is_narrow

    if is_narrow():
        width = min(width, NARROW_WRAP)
    return "\n".join(textwrap.wrap(_BREAKABLE.sub(" ", s).strip(" "), width))


def number(value: float, lang: str | None = None) -> str:
    """A number in the language's notation, with a true minus sign."""
    return ("−" if value < 0 else "") + vtext.fmt_number(abs(value), lang)


def percent(value: float, digits: int = 1, signed: bool = False, lang: str | None = None) -> str:
    """``14.8%`` / ``14,8%``; with ``signed`` a leading ``+`` or ``−``."""
    v = round(value, digits)
    sign = ("+" if v > 0 else "−" if v < 0 else "") if signed else ("−" if v < 0 else "")
    return sign + vtext.fmt(abs(v), "percent", lang)


def figure_change(figure_id: str, value: float, signed: bool = True,
                  percent_sign: bool = True, lang: str | None = None) -> str:
    """``value``, a reading of the change ``figure_id`` (its sign may be the report's
    word, "giảm"), written by the one display rule (:mod:`dbanalysis.derive.precision`):
    ``+63.0%`` beside ``+84.2%``, as the page's prose and tables write them; with
    ``signed`` a leading ``+`` or ``−`` (else ``−`` only)."""
    digits = max(precision.decimals(figure_id), 0)
    shown = precision.display_value(figure_id, abs(value))
    sign = ("+" if value > 0 and shown else "−" if value < 0 and shown else "") if signed \
        else ("−" if value < 0 and shown else "")
    if percent_sign:
        return sign + vtext.fmt(shown, "percent", lang, decimals=digits)
    return sign + precision.number_text(shown, lang, digits)


def value_text(value: float, unit: str, qualifier: str | None = None,
               lang: str | None = None) -> str:
    """A value with its unit and qualifier as a reader writes it (money in the unit the
    report writes it in, ``trên 4 tỷ đồng``: :func:`dbanalysis.views.text.fmt`)."""
    return vtext.fmt(value, unit, lang, qualifier or None)


def figure_text(figure_id: str, lang: str | None = None) -> str:
    """A catalogued figure with its unit and qualifier (see :func:`value_text`); in
    Vietnamese an 'over' is the report's own word, *trên* or *hơn*."""
    if figure_id in derived_frame().index:  # the one display rule (views.text.figure_text)
        return vtext.fmt_derived(figure_id, resolve(lang))
    f = chart_figure(figure_id)
    shown = value_text(f["value"], f["unit"], f["qualifier"], lang)
    over = figure_labels.qualifier_label("over", "vi")
    if resolve(lang) == "vi" and f["qualifier"] == "over" and shown.startswith(over + " "):
        word = "hơn" if re.search(r"\bhơn\b", str(f["quote"])) else "trên"
        shown = word + shown[len(over):]
    return shown


def period_text(period: str, lang: str | None = None, figure_id: str | None = None,
                label: str | None = None) -> str:
    """`` (2019)``, `` (every year)``, `` (end-2020)`` in the current language; `` (year not
    stated)`` when the report states no period (never a year the report does not give);
    nothing when the ``label`` shown before it already says the period (“Lượt khách du lịch
    hàng năm”, :func:`dbanalysis.catalogue.figure_labels.names_its_period`)."""
    period = str(period or "")
    if label is not None and figure_labels.names_its_period(label, period, lang):
        return ""
    if not period or period == "unstated":  # held on one line: "(không / nêu năm)" broke
        return f" ({figure_labels.held(text('chart.period.unstated', lang))})"
    if period == "annual":
        return f" ({figure_labels.held(text('chart.period.annual', lang))})"
    if period.startswith("end-"):
        return f" ({text('chart.period.end', lang, year=period[4:])})"
    return f" ({typeset(figure_labels.period_label(period, lang, figure_id))})"


class _TickNumber:
    """``number(x, lang)``, each value written once (a layout formats the same ticks many
    times over); a class rather than a closure, so a chart can be pickled or copied."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.written: dict[float, str] = {}

    def __call__(self, x: float, _pos=None) -> str:
        if x not in self.written:
            self.written[x] = number(x, self.lang)
        return self.written[x]


def number_formatter() -> FuncFormatter:
    """Axis tick labels in the current language's notation (``42,998`` / ``42.998``).

    The language is fixed when the formatter is made: a figure may be drawn later,
    while another language is current."""
    return FuncFormatter(_TickNumber(get_language()))
