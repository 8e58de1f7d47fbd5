"""Controlled vocabularies, each one file of ``data/vocab/`` with labels in both languages.

sectors, units, kinds, verdicts (of the audit), qualifiers (``over``, ``estimate``...:
labels here, the Vietnamese words that signal them in ``qualifier_words.csv``, read by
:func:`dbanalysis.catalogue.numbers.qualifier_words`), award levels (``levels.csv``) and the
conferring level of each award figure (``award_levels.csv``); the report's words for
what an achievement is measured against, a plan or a target (``benchmarks.csv``); the
glossary of the terms the pages use in both languages (``glossary.csv``, :func:`term`).
"""

from __future__ import annotations

import decimal
import re
import unicodedata
from collections.abc import Iterable
from typing import Any

import pandas as pd

from ..core import paths, schema, validation
from ..core.cache import memo
from ..core.inputs import InputError, Problem
from ..core.language import check
from . import numbers


class VocabError(InputError):
    """A vocabulary file is invalid; names the file and every bad line."""

    what = "vocabulary"


def _read(name: str) -> pd.DataFrame:
    """``data/vocab/<name>.csv`` as a frame indexed by its key, read and checked by its
    schema (``data/schemas/input/vocab/<name>.json``); :class:`VocabError` if it is bad."""
    table = schema.load(f"input/vocab/{name}")
    rows, problems = validation.read_rows(table)
    if problems:
        raise VocabError(table.data_path, problems)
    return pd.DataFrame(rows, columns=[*table.columns, "line"]).drop(columns="line") \
        .set_index(table.primary_key[0])


def _label_column(lang: str) -> str:
    return f"label_{check(lang)}"


@memo("vocab/glossary.csv", "schemas/input/vocab/glossary.json")
def glossary() -> pd.DataFrame:
    """The pages' terms by English term: ``term_vi``, ``note``."""
    return _read("glossary")


def deprecated_terms() -> dict[str, str]:
    """Each Vietnamese form the glossary says not to use, with the term to use instead."""
    out = {}
    for _, row in glossary().iterrows():
        for form in str(row["deprecated_vi"] or "").split(";"):
            if form.strip():
                out[form.strip()] = str(row["term_vi"])
    return out


def term(term_en: str, lang: str = "en") -> str:
    """A term of the glossary in ``lang`` (in English, the term itself)."""
    return term_en if check(lang) == "en" else str(glossary().loc[term_en, "term_vi"])


@memo("vocab/units.csv", "schemas/input/vocab/units.json")
def units() -> pd.DataFrame:
    """Units by id: ``label_en``, ``label_vi``, ``dimension``, ``description``."""
    return _read("units")


@memo("vocab/sectors.csv", "schemas/input/vocab/sectors.json")
def sectors() -> pd.DataFrame:
    """Sectors by id: ``label_en``, ``label_vi``, ``order``."""
    return _read("sectors").astype({"order": int})


@memo("vocab/audit_categories.csv", "schemas/input/vocab/audit_categories.json")
def audit_categories() -> pd.DataFrame:
    """Categories of audit check by id (``sum``, ``baseline``, …, ``sanity``):
    ``tests_little`` and a description."""
    return _read("audit_categories")


def little_testing_categories() -> list[str]:
    """The audit categories whose checks test little (``tests_little``: sanity checks)."""
    table = audit_categories()
    return [c for c in table.index if bool(table.loc[c, "tests_little"])]


@memo("vocab/exclusion_categories.csv", "schemas/input/vocab/exclusion_categories.json")
def exclusion_categories() -> pd.DataFrame:
    """Why a passage's digits are no statistic (``date``, ``year_label``, …), by id."""
    return _read("exclusion_categories")


@memo("vocab/kinds.csv", "schemas/input/vocab/kinds.json")
def kinds() -> pd.DataFrame:
    """Kinds of figure by id (``level``, ``change_vs_2015``...), with a description."""
    return _read("kinds")


@memo("vocab/unit_refinements.csv", "vocab/units.csv", "schemas/input/vocab")
def unit_refinements() -> frozenset[tuple[str, str]]:
    """``(unit the quote's word reads, curated unit that refines it)`` pairs.

    A curated unit may be narrower than the generic one its word gives ('đơn vị' in
    the defence paragraph are militia units, not agencies).
    """
    df = _read("unit_refinements")
    return frozenset(zip(df["refines"], df.index, strict=True))


@memo("vocab/benchmarks.csv", "schemas/input/vocab/benchmarks.json")
def benchmark_words() -> dict[str, str]:
    """The report's words for what a result is measured against (``kế hoạch`` -> ``plan``,
    ``chỉ tiêu`` -> ``target``), from ``data/vocab/benchmarks.csv``."""
    df = _read("benchmarks")
    return {" ".join(unicodedata.normalize("NFC", str(w)).lower().split()): str(b)
            for w, b in df["benchmark"].items()}


def benchmarks_in(quote: str) -> set[str]:
    """The benchmarks (``plan``, ``target``) whose words the quote holds, as whole words,
    case aside: an achievement's benchmark is read from its own quote, the report's word
    deciding (:func:`dbanalysis.catalogue.figures.benchmark`)."""
    return {benchmark_words()[w] for w in benchmark_words_in(quote)}


def benchmark_words_in(quote: str) -> list[str]:
    """The words of data/vocab/benchmarks.csv the quote holds (``kế hoạch``, ``chỉ tiêu``,
    ``nq``: as the table spells them), as whole words, case aside, in the table's order."""
    text = unicodedata.normalize("NFC", quote)
    return [w for w in benchmark_words()
            if re.search(rf"(?<!\w){re.escape(w)}(?!\w)", text, re.IGNORECASE)]


@memo("vocab/verdicts.csv", "schemas/input/vocab/verdicts.json")
def verdicts() -> pd.DataFrame:
    """Audit verdicts by id, in listing order: ``severity`` (0 = most severe), labels."""
    return _read("verdicts").astype({"severity": int})


def verdict_ids() -> list[str]:
    """The verdicts in listing order (consistent, inconsistent, ambiguous, unverifiable)."""
    return list(verdicts().index)


def doubtful_verdicts() -> list[str]:
    """The verdicts that put the figures they concern in doubt (``doubt`` in
    verdicts.csv), most severe first."""
    return list(_verdict_orders()[1])


def explained_verdicts() -> list[str]:
    """The verdicts whose checks the audit page explains in prose and sector pages list
    (``explained`` in verdicts.csv), most severe first."""
    return list(_verdict_orders()[2])


def verdicts_by_severity() -> list[str]:
    """The verdicts, most severe first (inconsistent first, consistent last)."""
    return list(_verdict_orders()[0])


@memo("vocab/verdicts.csv", "schemas/input/vocab/verdicts.json")
def _verdict_orders() -> tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...]]:
    """(every verdict, the doubtful ones, the explained ones), most severe first: made
    once per content of verdicts.csv (each status of each table cell asks; a sort of the
    table per question was ~1 ms)."""
    table = verdicts()
    ordered = tuple(table.sort_values("severity", kind="stable").index)
    return (ordered, tuple(v for v in ordered if bool(table.loc[v, "doubt"])),
            tuple(v for v in ordered if bool(table.loc[v, "explained"])))


def verdict_label(verdict: str, lang: str = "en") -> str:
    """The verdict's label in ``lang``."""
    return str(verdicts().loc[verdict, _label_column(lang)])


def verdict_counted(verdict: str, lang: str = "en") -> str:
    """The verdict as it follows a number of checks in ``lang`` ("2 with two readings")."""
    return str(verdicts().loc[verdict, f"counted_{check(lang)}"])


def verdict_severity() -> dict[str, int]:
    """Each verdict's severity (0 = most severe), to sort checks by."""
    return {v: int(s) for v, s in verdicts()["severity"].items()}


@memo("vocab/qualifiers.csv", "vocab/qualifier_words.csv", "schemas/input/vocab")
def qualifiers() -> pd.DataFrame:
    """Qualifiers by id (``over``, ``estimate``...): labels and description.

    Raises :class:`VocabError` when ``qualifier_words.csv`` maps a word to an id that
    ``qualifiers.csv`` does not define.
    """
    path = paths.vocab_dir() / "qualifiers.csv"
    df = _read("qualifiers")
    unknown = sorted(set(numbers.qualifier_words().values()) - set(df.index))
    if unknown:
        raise VocabError(paths.vocab_dir() / "qualifier_words.csv", [Problem(
            0, q, f"qualifier {q!r} is not in {path}") for q in unknown])
    return df


@memo("vocab/qualifiers.csv", "vocab/qualifier_words.csv", "schemas/input/vocab")
def approximate_words() -> tuple[str, ...]:
    """The words of ``qualifier_words.csv`` that make the number after them a bound or an
    approximation ("trên", "gần", "khoảng", "xấp xỉ", "chưa đến"...): those whose
    qualifier is ``approximate`` in ``qualifiers.csv``; longest first, so that a
    pattern made of them tries a phrase before a word it ends with."""
    approximate = qualifiers()["approximate"]
    words = [w for w, q in numbers.qualifier_words().items() if bool(approximate[q])]
    return tuple(sorted(words, key=lambda w: (-len(w), w)))


def qualifier_label(qualifier: str, lang: str = "en") -> str:
    """The qualifier's label in ``lang`` (``"over"`` or ``"trên/hơn"``)."""
    return str(qualifiers().loc[qualifier, _label_column(lang)])


#: How a bound is rounded, by its side (the values of the ``bound`` column of
#: ``qualifiers.csv``): a floor down, a ceiling up, so that the number shown never claims
#: more than the data allow; the ends of a range the same way (its low end down, its high
#: end up), and a half-width (``±``) up, so that the range shown contains the range
#: computed. Anything else is rounded to the nearest, half away from zero.
BOUND_ROUNDING = {"lower": decimal.ROUND_FLOOR, "upper": decimal.ROUND_CEILING}
#: Places past the printed one a bound is taken to before it is rounded outward
#: (:func:`round_as_shown`): far finer than the printed digit, far coarser than a float's
#: rounding error at the sizes the report's figures have (relative to the printed place,
#: not to the value's size: a count of a billion keeps its units).
BOUND_NOISE_PLACES = 6


def round_as_shown(value: float, decimals: int, bound: str = "") -> decimal.Decimal:
    """``value`` rounded to ``decimals`` places (< 0: tens, hundreds, …) as every number
    the package shows is: as written (``repr``: ``26.249999…`` stored for 26.25 still
    rounds up), half away from zero; a ``bound`` (``lower``/``upper``) outward
    (:data:`BOUND_ROUNDING`), its float noise past :data:`BOUND_NOISE_PLACES` places
    ignored (the ``0.015000000003`` of interval arithmetic is not a reason to show
    ``0.016``). The one rounding of the tables, charts and sentences alike.

    >>> str(round_as_shown(26.25, 1)), str(round_as_shown(0.015000000003, 3, "upper"))
    ('26.3', '0.015')
    """
    exact = decimal.Decimal(repr(float(value)))
    if bound:
        exact = exact.quantize(decimal.Decimal(1).scaleb(-(decimals + BOUND_NOISE_PLACES)),
                               rounding=decimal.ROUND_HALF_EVEN)
    return exact.quantize(decimal.Decimal(1).scaleb(-decimals),
                          rounding=BOUND_ROUNDING.get(bound, decimal.ROUND_HALF_UP))


def qualifier_bound(qualifier: object) -> str:
    """``lower`` when a number with this qualifier is a floor (``over``), ``upper`` when a
    ceiling (``under``), else ``""`` (no qualifier, or one that is not a bound); declared
    in the ``bound`` column of ``qualifiers.csv``."""
    if not isinstance(qualifier, str) or qualifier not in qualifiers().index:
        return ""
    bound = qualifiers().loc[qualifier, "bound"]
    return bound if isinstance(bound, str) else ""


def unit_label(unit: str, lang: str = "en", one: bool = False) -> str:
    """The unit's label in ``lang``; ``one``: after a number written "1", which English
    follows with the singular (``label_en_one``: "1 criterion", "2 criteria")."""
    column = _label_column(lang)
    row = _unit_rows().get(unit)
    if row is None:
        raise KeyError(unit)
    if lang == "en" and one and isinstance(row["label_en_one"], str) and row["label_en_one"]:
        return str(row["label_en_one"])
    return str(row[column])


@memo("vocab/units.csv", "schemas/input/vocab/units.json")
def _unit_rows() -> dict[str, dict[str, object]]:
    """:func:`units` as plain rows by id (every number shown asks for its unit's label; a
    pandas row per question was most of :func:`unit_label`)."""
    return {str(k): row for k, row in units().to_dict("index").items()}


def sector_label(sector: str, lang: str = "en") -> str:
    """The sector's label in ``lang``."""
    return str(sectors().loc[sector, _label_column(lang)])


@memo("vocab/pages.csv", "schemas/input/vocab/pages.json")
def pages() -> pd.DataFrame:
    """The site's pages that show the sectors' figures, by notebook name (``08-security-
    defence``): ``label_en``, ``label_vi`` (the title the page's heading gives)."""
    return _read("pages")


def sector_page(sector: str) -> str:
    """The page (notebook name) that shows ``sector``'s figures (data/vocab/sectors.csv)."""
    return str(sectors().loc[sector, "page"])


def page_label(page: str, lang: str = "en") -> str:
    """The title of ``page`` (a notebook name) in ``lang``."""
    return str(pages().loc[page, _label_column(lang)])


@memo("vocab/statuses.csv", "schemas/input/vocab/statuses.json")
def statuses() -> pd.DataFrame:
    """Trust statuses of a value shown to readers (stated, derived, corrected, …) by id:
    labels and descriptions in both languages."""
    return _read("statuses").astype({"precedence": int})


def status_of(applicable: Iterable[str]) -> str:
    """The status shown when the statuses ``applicable`` apply (others ignored, e.g. a
    verdict that is no status): the first by ``precedence`` in statuses.csv, else
    ``stated``.

    >>> status_of(["derived", "ambiguous", "consistent"]), status_of([])
    ('ambiguous', 'stated')
    """
    table = statuses()
    found = [s for s in set(applicable) if s in table.index]
    return min(found, key=lambda s: table.loc[s, "precedence"]) if found else "stated"


@memo("vocab/levels.csv", "schemas/input/vocab/levels.json")
def levels() -> pd.DataFrame:
    """Award levels by id, national first: short labels and labels of their totals."""
    return _read("levels").astype({"order": int}).sort_values("order")


def level_ids() -> list[str]:
    """The award levels, national first (national, provincial, district, commune)."""
    return list(levels().index)


@memo("vocab/award_levels.csv", "vocab/levels.csv", "figures.csv", "schemas")
def award_levels() -> pd.DataFrame:
    """Conferring level of each award figure (national → commune), and on what basis.

    ``basis`` is ``stated`` when the report names the issuer, ``by_law`` when the
    level is the one the 2013 Law on Emulation and Commendation assigns.
    """
    df = _read("award_levels")
    return df.reset_index()


def award_bases() -> tuple[str, ...]:
    """On what basis an award figure's conferring level is known (its schema's enum)."""
    return tuple(schema.load("input/vocab/award_levels").field("basis").constraints["enum"])


#: The qualifiers frame :func:`qualifier_labels_by_id` last read, and its rows as
#: id -> (label_en, label_vi, before_number_en).
_QUALIFIER_ROWS: tuple[pd.DataFrame | None, dict[str, tuple[str, str, Any]]] = (None, {})


def qualifier_labels_by_id() -> dict[str, tuple[str, str, Any]]:
    """Each qualifier's (English label, Vietnamese label, English word before a number) from
    :func:`qualifiers`, gathered once per frame it returns (one per version of the files):
    every figure written with its qualifier asks (``QUALIFIERS`` made this dict anew on each
    access, ~0.3 ms, for every qualified number a page or chart writes). Not to be
    modified."""
    global _QUALIFIER_ROWS
    q = qualifiers()
    if _QUALIFIER_ROWS[0] is not q:
        _QUALIFIER_ROWS = (q, {i: (r.label_en, r.label_vi, r.before_number_en)
                               for i, r in zip(q.index, q.itertuples(), strict=True)})
    return _QUALIFIER_ROWS[1]


def __getattr__(name: str) -> Any:
    """``QUALIFIERS`` (id -> (en, vi)) and ``AWARD_LEVELS``, read from the vocabulary files."""
    if name == "QUALIFIERS":
        return {i: (en, vi) for i, (en, vi, _) in qualifier_labels_by_id().items()}
    if name == "AWARD_LEVELS":
        return level_ids()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: Money units in dong; 1 tỷ = 1 000 triệu (see units.csv).
MONEY_IN_VND = {"vnd": 1.0, "million_vnd": 1e6, "billion_vnd": 1e9}
#: The money units an amount is shown in (:func:`money_shown`), as the report writes them.
SHOWN_MONEY_UNITS = ("million_vnd", "billion_vnd")


def convert(value: float, unit: str, target: str) -> float:
    """Convert a money amount between VND, million VND and billion VND."""
    if unit == target:
        return float(value)
    if unit not in MONEY_IN_VND or target not in MONEY_IN_VND:
        raise ValueError(f"cannot convert {unit!r} to {target!r}")
    return float(value) * MONEY_IN_VND[unit] / MONEY_IN_VND[target]


def money_unit(amounts: Iterable[float], unit: str) -> str:
    """The unit money ``amounts`` (in ``unit``) are shown in, as the report writes them:
    billion VND once the largest reaches a thousand million (``trên 4 tỷ đồng``), else
    million VND (``trên 675 triệu đồng``).

    >>> money_unit([675], "million_vnd"), money_unit([4000], "million_vnd")
    ('million_vnd', 'billion_vnd')
    """
    millions = [abs(convert(a, unit, "million_vnd")) for a in amounts]
    return ("billion_vnd" if max(millions) >= convert(1, "billion_vnd", "million_vnd")
            else "million_vnd")


def money_shown(value: float, unit: str) -> tuple[float, str]:
    """``value`` in ``unit`` converted to the unit it is shown in (:func:`money_unit`);
    a unit that is no money, or an amount of zero, unchanged.

    >>> money_shown(4000, "million_vnd"), money_shown(0.5, "billion_vnd"), money_shown(3, "ha")
    ((4.0, 'billion_vnd'), (500.0, 'million_vnd'), (3, 'ha'))
    """
    if unit not in SHOWN_MONEY_UNITS or value == 0:
        return value, unit
    target = money_unit([value], unit)
    return convert(value, unit, target), target
