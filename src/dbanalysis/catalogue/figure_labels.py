"""Names in the current language: figures, units, sectors, qualifiers, statuses, readings.

Every function takes ``lang=None`` for the current language (:mod:`dbanalysis.core.language`).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import pandas as pd

from ..core import labels
from ..core.language import resolve
from ..core.typography import lower_first
from . import vocab
from .figures import _shared_figures as shared_figures
from .figures import figure, load_figures, number_span
from .source import report_text

#: How a value shown in a chart or table was obtained (``status`` column of the views).
STATED = "stated"
DERIVED = "derived"
ASSUMED = "assumed"

#: The two readings of "tăng/giảm x %" said of a rate (labels ``reading.<key>``).
READINGS = ("pp", "relative")


def reading_label(key: str, lang: str | None = None, **fields: object) -> str:
    """The name of a reading of a change (``pp``, ``relative``, ``relative_change``) in
    ``lang``, from ``data/vocab/labels.csv``; ``fields``: its own (``year``, the base year
    a relative reading is in percent of, required for ``relative``: a ValueError names it
    when missing; :func:`dbanalysis.views.changes.reading_label` fills it from the
    declaration, which this layer does not see)."""
    return labels.text(f"reading.{key}", resolve(lang), **fields)


def level_label(level: str, lang: str | None = None) -> str:
    """An award level's short label (data/vocab/levels.csv): "National" / "Nhà nước"."""
    return str(vocab.levels().loc[level, f"label_{resolve(lang)}"])


def recipient_label(recipient: str, lang: str | None = None) -> str:
    """A recipient type of the awards: "collectives" / "tập thể" (data/vocab/labels.csv)."""
    return labels.text(f"recipient.{recipient}", resolve(lang))


def label(figure_id: str, lang: str | None = None) -> str:
    """The figure's label in the current (or given) language."""
    return str(figure(figure_id)[f"label_{resolve(lang)}"])


def unit_label(unit: str, lang: str | None = None) -> str:
    """A unit's label in the current (or given) language."""
    return vocab.unit_label(unit, resolve(lang))


#: Suffix of a period the analysis assumes (the report says "tính đến nay", to date).
TO_DATE = "~to-date"
#: Prefix of a period the report does not state and the analysis reads (a growth rate
#: with no span: ``unstated~2015-2019~to-date``).
UNSTATED_READING = "unstated~"


#: The words that date a figure "to date" (``tính đến nay``, ``đến nay``, ``Từ năm 2015 đến
#: nay``), and a year's end said before them in the same sentence (``Tính đến hết năm 2019,
#: … tính đến nay``).
_TO_DATE_WORDS = re.compile(r"(?:tính\s+|từ\s+năm\s+\d{4}\s+)?đến\s+nay", re.IGNORECASE)
_YEAR_END_WORDS = re.compile(r"(?:tính\s+)?đến\s+hết\s+năm\s+\d{4}", re.IGNORECASE)


@functools.lru_cache(maxsize=4)
def _to_date_matches(text: str) -> tuple[re.Match[str], ...]:
    """Every match of :data:`_TO_DATE_WORDS` in ``text``, found once per text (a search of
    the report up to a figure's number was ~0.25 ms, on every table cell of such a figure):
    those that end by a position are the matches of the text cut there."""
    return tuple(_TO_DATE_WORDS.finditer(text))


def dating_words(figure_id: str) -> str:
    """The report's own words that date a "to date" figure, quoted from the raw text: the
    last "(tính) đến nay" before the figure's number, with a year's end said earlier in its
    sentence (``tính đến hết năm 2019 … tính đến nay``) or a start year (``từ năm 2015 đến
    nay``, which opens the awards list); first letter in lower case, to
    stand inside a sentence. Empty when the report has no such words before the figure."""
    text = report_text()
    start = number_span(figure(figure_id))[0]
    every = _to_date_matches(text)
    found = [m for m in every if m.end() <= start]
    if any(m.start() < start < m.end() for m in every):  # a match across the number:
        found = list(_TO_DATE_WORDS.finditer(text, 0, start))  # the text cut there reads
    if not found:
        return ""
    last = found[-1]
    sentence = max(text.rfind(". ", 0, last.start()), text.rfind("\n", 0, last.start())) + 1
    year_end = _YEAR_END_WORDS.search(text, sentence, last.start())
    words = last.group(0) if year_end is None else f"{year_end.group(0)} … {last.group(0)}"
    return lower_first(re.sub(r"\s+", " ", words))


def names_its_period(label: str, period: object, lang: str | None = None) -> bool:
    """Whether ``label`` already says the ``period`` it is shown with: an annual figure
    labelled “… hàng năm” / “… a year” (label ``period.annual.in_label``), whose value needs
    no “(hàng năm)” after it.

    >>> names_its_period("Lượt khách du lịch hàng năm", "annual", "vi")
    True
    >>> names_its_period("Gọi công dân nhập ngũ so với chỉ tiêu", "annual", "vi")
    False
    """
    if str(period) != "annual":
        return False
    words = labels.text("period.annual.in_label", resolve(lang)).split("|")
    return any(w in label.lower() for w in words)


def period_label(period: object, lang: str | None = None, figure_id: str | None = None) -> str:
    """A catalogue period as readers see it: ``2019``, ``2015–2019`` (an en dash),
    ``annual``/``hàng năm``, ``end-2020``/``cuối năm 2020``, "not stated"; an assumed year
    says so with :func:`to_date_gloss` (``2019; report: “(tính) đến nay”, i.e. to date``),
    quoting the figure's own words when ``figure_id`` is given (:func:`dating_words`:
    ``2019; báo cáo ghi “tính đến nay”``, ``2020; báo cáo ghi “đến nay”``, ``2019; report:
    “tính đến nay”, i.e. to date``); a period the report does
    not state and the analysis reads says both, with no parenthesis of its own (``không nêu
    thời kỳ; ở đây tính 2015–2019, báo cáo ghi “tính đến nay”``)."""
    lang = resolve(lang)
    period = "" if period is None else str(period)
    if period in ("unstated", ""):
        return labels.text("table.not_stated", lang)
    if period.startswith(UNSTATED_READING):
        inner = period.removeprefix(UNSTATED_READING)
        words = dating_words(figure_id) if figure_id and inner.endswith(TO_DATE) else ""
        if words:
            return labels.text("table.period.unstated_reading.to_date", lang,
                               period=inner.removesuffix(TO_DATE).replace("-", "–"),
                               gloss=to_date_gloss(lang, figure_id))
        return labels.text("table.period.unstated_reading", lang,
                           period=period_label(inner, lang, figure_id))
    if period == "annual":
        return labels.text("table.period.annual", lang)
    if period.startswith("end-"):
        return labels.text("table.period.end", lang, year=period.removeprefix("end-"))
    years = period.removesuffix(TO_DATE).replace("-", "–")
    if period.endswith(TO_DATE):
        return labels.text("table.period.to_date", lang, period=years,
                           gloss=to_date_gloss(lang, figure_id))
    return years


#: The most words of the report's dating words a chart's row keeps on one line
#: (:func:`held`): "tính đến nay", "(tính) đến nay" are three. A quotation broken across
#: lines ("“tính đến" / "nay”)") no longer reads as one, and holding so few words adds no
#: line to Figure 0.1's rows, wide or on a phone; a longer phrase ("tính đến hết năm 2019
#: … tính đến nay") may break at its spaces, or it could overflow a phone's line.
HELD_WORDS = 3


def held(words: str) -> str:
    """``words`` joined by no-break spaces (U+00A0, which every chart wrap honours) when
    there are at most :data:`HELD_WORDS` of them, else as they are."""
    parts = words.split(" ")
    return "\u00a0".join(parts) if len(parts) <= HELD_WORDS else words


def to_date_gloss(lang: str | None = None, figure_id: str | None = None,
                  hold: bool = False) -> str:
    """The report's words that date a figure only as "to date", quoted, with what they
    mean (the label ``to_date.gloss``: ``report: “tính đến nay”, i.e. to date``, ``báo
    cáo ghi “tính đến nay”``): the figure's own words (:func:`dating_words`) or, where
    none are found or no figure is named, the report's usual ones (``to_date.words``,
    Vietnamese in both editions). The one gloss a table's period, Figure 0.1's rows and a
    slope chart's subtitle say. ``hold``: the words :func:`held` together, for a chart's
    row (:func:`span_label`), not a table's cell or an alt text of its own."""
    lang = resolve(lang)
    words = (dating_words(figure_id) if figure_id else "") or labels.text("to_date.words", lang)
    return labels.text("to_date.gloss", lang, words=held(words) if hold else words)


def span_label(start: int, period: object, lang: str | None = None,
               figure_id: str | None = None) -> str:
    """The span from ``start`` to the end of a catalogue ``period`` as a chart's row says
    it (the label ``year_span``: ``2015–2019``). An end the report gives as "to date" says
    so inside the span, quoting the figure's own words (:func:`dating_words`; label
    ``year_span.to_date``: ``2015–2019 (báo cáo ghi “tính đến nay”)``), not after a
    semicolon as a table's period cell does (:func:`period_label`): in a list of rows, as
    the alt text reads them, a semicolon starts the next row. The quoted words are held
    on one line of the chart (:func:`held`)."""
    lang = resolve(lang)
    period = "" if period is None else str(period)
    end = period.removesuffix(TO_DATE).rsplit("-", 1)[-1]
    if not period.endswith(TO_DATE):
        return labels.text("year_span", lang, start=start, end=end)
    return labels.text("year_span.to_date", lang, start=start, end=end,
                       gloss=to_date_gloss(lang, figure_id, hold=True))


def sector_label(sector: str, lang: str | None = None) -> str:
    """A sector's label in the current (or given) language."""
    return vocab.sector_label(sector, resolve(lang))


def qualifier_label(qualifier: str | None, lang: str | None = None,
                    quote: str | None = None) -> str:
    """``over`` -> "over" / "trên"; empty for no qualifier. Where Vietnamese has two words
    ("trên/hơn") the one the ``quote`` uses is chosen, else the first."""
    if not qualifier or not isinstance(qualifier, str):
        return ""
    en, vi, _ = vocab.qualifier_labels_by_id()[qualifier]
    if resolve(lang) != "vi":
        return en
    words = vi.split("/")
    used = [w for w in words if quote and w in quote.lower().split()]
    return (used or words)[0]


def qualifier_before_number(qualifier: str | None, lang: str | None = None,
                            quote: str | None = None) -> str:
    """The qualifier as written before a number: :func:`qualifier_label`, except where
    ``data/vocab/qualifiers.csv`` gives English another word there ("estimated 2,913
    billion VND", the label alone being "estimate")."""
    word = qualifier_label(qualifier, lang, quote)
    if word and qualifier and resolve(lang) != "vi":  # (word: qualifier is a str)
        before = vocab.qualifier_labels_by_id()[qualifier][2]
        return before if isinstance(before, str) and before else word
    return word


def figures_of(sectors: str | Iterable[str] | None = None) -> pd.DataFrame:
    """The catalogue rows of the given sector(s) (all rows for None); KeyError on a typo.
    A sector's rows are taken from the shared catalogue (a new frame: no copy of the whole
    catalogue first)."""
    if sectors is None:
        return load_figures()
    sectors = [sectors] if isinstance(sectors, str) else list(sectors)
    unknown = set(sectors) - set(vocab.sectors().index)
    if unknown:
        raise KeyError(f"unknown sector(s) {sorted(unknown)}")
    figs = shared_figures()
    return figs[figs["sector"].isin(sectors)]


def figure_ids_for(sectors: str | Iterable[str]) -> list[str]:
    """Every catalogued id of the given sector(s), in catalogue order."""
    return list(figures_of(sectors)["figure_id"])
