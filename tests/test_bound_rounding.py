"""A bound is shown rounded toward what it promises (QA-1945 R2): a floor (``trên``/over)
rounded down, a ceiling (``dưới``/under) up, declared once in the ``bound`` column of
data/vocab/qualifiers.csv and applied by the one display rule
(:func:`dbanalysis.derive.precision.display_value`), so prose, tables and charts agree.
"""

from __future__ import annotations

from dbanalysis.catalogue import vocab
from dbanalysis.catalogue.figures import load_figures
from dbanalysis.derive import precision
from dbanalysis.derive.lookup import derived_frame
from dbanalysis.render.tables import value_text
from dbanalysis.views.text import figure_text

SHARED_DATA = True


def _values() -> dict[str, float]:
    figs = load_figures()
    out = dict(zip(figs["figure_id"], figs["value"].astype(float), strict=True))
    out.update(derived_frame()["value"].astype(float).to_dict())
    return out


def test_the_qualifiers_declare_which_are_bounds() -> None:
    assert vocab.qualifier_bound("over") == "lower"
    assert vocab.qualifier_bound("under") == "upper"
    assert vocab.qualifier_bound("about") == vocab.qualifier_bound(None) == ""


def test_no_bound_is_shown_beyond_what_the_data_allows() -> None:
    values = _values()
    bounds = {f: precision.bound(f) for f in values if precision.bound(f)}
    # the report's "trên"/"hơn" figures and the derived figures made from them
    assert "d_mass_solidarity_house_value" in bounds and len(bounds) > 10
    wrong = [(f, side, values[f], shown) for f, side in bounds.items()
             if ((shown := precision.display_value(f)) > values[f] and side == "lower")
             or (shown < values[f] and side == "upper")]
    assert not wrong, wrong


def test_over_4_billion_for_292_houses_is_over_13_69_million_a_house() -> None:
    """4,000,000,000 ÷ 292 = 13,698,630: "over 13.7 million" would overstate the floor;
    rounded down it keeps the digit the nearest rounding shows: 13.69, not 13.6."""
    fid = "d_mass_solidarity_house_value"
    assert precision.display_value(fid) == 13.69
    assert figure_text(fid, "en") == "over 13.69 million VND"
    assert figure_text(fid, "vi").endswith("13,69 triệu đồng")
    assert value_text(fid, "en") == figure_text(fid, "en")  # a table's cell, the prose


#: How the two ends of a range are named in figure ids (``…_low``/``…_high``, also
#: before a reading suffix such as ``_21``; ``…_min``/``…_max``).
_ENDS = (("_low", "_high"), ("_min", "_max"))


def _ranges(values: dict[str, float]) -> list[tuple[str, str]]:
    """Every pair of figures (catalogued or derived) that are the two ends of one range,
    found by their ids, not by the declaration under test."""
    pairs = []
    for fid in values:
        for lo, hi in _ENDS:
            if f"{lo}_" in fid + "_":
                head, _, tail = (fid + "_").rpartition(f"{lo}_")
                other = (head + hi + "_" + tail).rstrip("_")
                if other in values:
                    pairs.append((fid, other))
    return pairs


def test_every_range_shown_contains_the_range_computed_in_both_languages() -> None:
    """QA-2130 S8: the low end of a range is shown rounded down and the high end up, so
    the range a reader sees never excludes part of the range computed (the implied
    population, 118,918.9 to 121,100.9, was shown as 119,000 to 121,000)."""
    from babel.numbers import parse_decimal

    values = _values()
    pairs = _ranges(values)
    found = {p[0] for p in pairs}
    assert {"d_health_population_low", "d_budget_revenue_2015_low", "d_culture_sport_share_low",
            "d_culture_sport_share_low_21", "d_nr_criteria_short_min"} <= found, pairs
    wrong = []
    for low, high in pairs:
        for lang in ("en", "vi"):
            shown = [float(parse_decimal(precision.display_text(f, lang), locale=lang))
                     for f in (low, high)]
            if not (shown[0] <= values[low] and shown[1] >= values[high]):
                wrong.append((lang, low, values[low], shown[0], high, values[high], shown[1]))
    assert not wrong, wrong


def test_the_population_range_is_shown_outward() -> None:
    assert precision.display_text("d_health_population_low", "en") == "118,900"
    assert precision.display_text("d_health_population_high", "vi") == "121.200"


def _places(text: str, lang: str) -> int:
    """The place of a number's last digit as written: 2 for ``32,49``, 0 for ``118.900``
    would be ambiguous, so trailing zeros of a whole number count as places above the
    unit (``118.900``: -2)."""
    sep = "." if lang == "en" else ","
    digits = text.replace("\u00a0", "").replace("," if lang == "en" else ".", "")
    if sep in digits:
        return len(digits.split(sep)[1])
    return -(len(digits) - len(digits.rstrip("0")))


def test_one_range_one_precision_the_finest_its_ends_need() -> None:
    """Both ends of a range are shown to one place (the sport share of 21 communes read
    32.49 to 33.6), the finer of the places each end's own rule gives: an end rounded
    outward off its nearest rounding keeps one more digit, a count too (the implied
    population read 118,000 to 122,000 for 118,919 to 121,101: a thousand lost each side).
    Every range pair found by its ids, both languages."""
    values = _values()
    wrong = []
    for low, high in _ranges(values):
        for lang in ("en", "vi"):
            texts = [precision.display_text(f, lang) for f in (low, high)]
            if precision.decimals(low) != precision.decimals(high):
                wrong.append((lang, low, high, texts, "decimals differ"))
            # as written: same number of decimals (a whole number: both whole)
            places = [_places(t, lang) for t in texts]
            if (min(places) > 0 or max(places) > 0) and places[0] != places[1]:
                wrong.append((lang, low, high, texts, places))
    assert not wrong, wrong
    assert precision.display_text("d_culture_sport_share_low_21", "en") == "32.49"
    assert precision.display_text("d_culture_sport_share_high_21", "vi") == "33,57"
    # finer than each end's own three significant figures: 118,000 to 122,000 would hold
    # 118,919 to 121,101 too, but a thousand wider on each side than the data need
    assert [precision.display_text(f, "en") for f in ("d_health_population_low",
                                                      "d_health_population_high")] \
        == ["118,900", "121,200"]


def test_a_range_is_declared_with_one_low_and_one_high_end(monkeypatch) -> None:
    """``Spec.range`` pairs the two ends of one range; a declaration that does not (a lone
    end, two low ends, an end without its side) is refused, naming the figure."""
    import pytest

    from dbanalysis.derive.specs import Spec

    low = Spec("d_x_low", "1", "person", "health", bound="lower", range="x")
    high = Spec("d_x_high", "2", "person", "health", bound="upper", range="x")
    cases = {"only a lower end": [low],
             "two lower ends": [low, Spec("d_x_low2", "1", "person", "health",
                                          bound="lower", range="x")],
             "needs bound": [low, high, Spec("d_x_mid", "1", "person", "health", range="x")]}
    for message, declared in cases.items():
        monkeypatch.setattr(precision, "specs", lambda _figs, declared=declared: declared)
        with pytest.raises(ValueError, match=message):
            precision._compute_range_ends()
    monkeypatch.setattr(precision, "specs", lambda _figs: [low, high])
    assert precision._compute_range_ends() == {"d_x_low": ("d_x_low", "d_x_high"),
                                          "d_x_high": ("d_x_low", "d_x_high")}
