"""The fixed derivations: one :class:`Spec` per derived figure
(see :mod:`dbanalysis.derive.compute`).

2015 baselines, growth rates, shares, implied plans and targets, per-head values and
the readings of ambiguous statements, each a formula string over catalogue ids. Their
labels and assumptions are data: one row per figure and field, English and Vietnamese
side by side, in ``data/templates/derived.csv`` (:func:`with_texts` fills them in when
the derivations are computed, so that an edited wording is seen without a restart).
"""

from __future__ import annotations

import dataclasses
import string
from dataclasses import dataclass
from typing import Any

from ..catalogue import formula, sentences
from ..catalogue.figures import figure, printed_token
from ..catalogue.figures import figure_ids as catalogue_ids
from ..catalogue.numbers import printed_decimals
from ..core import schema, validation
from ..core.cache import memo
from ..core.inputs import Problem
from . import ids
from .families import period_fields


@dataclass(frozen=True)
class Spec:
    """One derived figure: id, formula over figure ids, unit, labels, reading, assumption.

    A figure declared below gives no labels or assumption: they are the rows
    ``<id>.label`` and ``<id>.assumption`` of ``data/templates/derived.csv``.
    """

    figure_id: str
    formula: str
    unit: str
    sector: str
    label_en: str = ""
    label_vi: str = ""
    reading: str = "as_written"
    assumption: str = ""
    #: 'over' for a lower bound (an input printed with 'trên'/'hơn'), 'about' for a
    #: value known only within its rounding; empty otherwise.
    qualifier: str = ""
    #: The assumption in Vietnamese, where it is written as data beside the English
    #: (else data/i18n/vi.csv translates the English: dbanalysis.views.translations).
    assumption_vi: str = ""
    #: For an end of a range shown without a qualifier word (the low and high readings
    #: of one figure): ``lower`` for the low end, ``upper`` for the high end, the values
    #: of the ``bound`` column of data/vocab/qualifiers.csv. It is rounded as a bound is
    #: (down, up), so the range shown always contains the range computed.
    bound: str = ""
    #: For an end of a range (``bound`` set): the range's name, the same on its two ends.
    #: Both ends are shown to one place (:func:`dbanalysis.derive.precision.decimals`).
    range: str = ""


S = Spec
YEARS = ids.PERIOD_YEARS
#: The template table of the declared figures' labels and assumptions.
TEXTS = "derived"
#: The fields a declared figure's texts say its period with (:func:`declared_texts`).
PERIOD_FIELDS = frozenset({"n", "start", "end", "span"})


def _cagr_specs(key: str, level: str, base: str, sector: str) -> list[Spec]:
    """The compound annual growth of ``level`` from ``base`` (2015), one per period reading."""
    return [S(ids.cagr(key, n), f"((({level}) / ({base})) ** (1 / {n}) - 1) * 100",
              "percent_per_year", sector, reading=reading)
            for reading, n in YEARS.items()]


def _simple_spec(key: str, base: str, sector: str, reading: str) -> Spec:
    """The total rise of ``key`` since its base ``base`` split evenly over the years of
    ``reading`` (a ``*_simple`` reading of :data:`~dbanalysis.derive.ids.SPAN_YEARS`):
    id, formula and reading say the count of years once."""
    n = ids.SPAN_YEARS[reading]
    return S(ids.derived(f"{key}_simple_{n}y"), f"{key}_change / {base} * 100 / {n}",
             "percent_per_year", sector, reading=reading)


def _implied_base_specs(key: str, rate: str, unit: str, sector: str) -> list[Spec]:
    """The 2015 value of the level ``key`` implied by its stated yearly growth ``rate``
    compounded over each period reading, and its change since then in percent: id,
    formula and reading say the count of years once (:data:`YEARS`)."""
    base = {n: ids.derived(f"{key}_{ids.BASE_YEAR}_{n}y") for n in YEARS.values()}
    return ([S(base[n], f"{key} / (1 + {rate} / 100) ** {n}", unit, sector, reading=reading)
             for reading, n in YEARS.items()]
            + [S(ids.derived(f"{key}_change_pct_{n}y"), f"({key} / {base[n]} - 1) * 100",
                 "percent", sector, reading=reading) for reading, n in YEARS.items()])


#: (count id, total id) -> id of the derived share ``count / total * 100``.
SHARE_OF: dict[tuple[str, str], str] = {}


def _share(fid: str, num: str, den: str, sector: str, reading: str = "as_written") -> Spec:
    """A share in percent; a share of one id in another is registered in :data:`SHARE_OF`."""
    if num.isidentifier() and den.isidentifier():
        SHARE_OF[(num, den)] = fid
    return S(fid, f"{num} / {den} * 100", "percent", sector, reading=reading)


SPECS: list[Spec] = [
    # --- 2015 baselines from stated changes -------------------------------------
    S(ids.baseline("agri_cattle"), "agri_cattle - agri_cattle_change", "head", "agriculture"),
    S(ids.baseline("agri_poultry"), "agri_poultry - agri_poultry_change", "head", "agriculture"),
    S("d_agri_poultry_2015_million", "d_agri_poultry_corrected - agri_poultry_change", "head",
      "agriculture", reading="million"),
    S("d_agri_poultry_change_pct_million",
      "(d_agri_poultry_corrected / d_agri_poultry_2015_million - 1) * 100", "percent",
      "agriculture", reading="million"),
    S(ids.baseline("agri_aquaculture_area"), "agri_aquaculture_area - agri_aquaculture_area_change",
      "ha", "agriculture"),
    S(ids.baseline("agri_fish_output"), "agri_fish_output - agri_fish_output_change", "tonne",
      "agriculture"),
    S(ids.baseline("budget_revenue"), "budget_revenue / (1 + budget_revenue_change / 100)",
      "billion_vnd", "budget", reading="relative"),
    S("d_budget_revenue_2015_low", "budget_revenue / (1 + (budget_revenue_change + 0.5) / 100)",
      "billion_vnd", "budget", reading="relative", bound="lower", range="budget_revenue_2015"),
    S("d_budget_revenue_2015_high", "budget_revenue / (1 + (budget_revenue_change - 0.5) / 100)",
      "billion_vnd", "budget", reading="relative", bound="upper", range="budget_revenue_2015"),
    S("d_labour_poverty_rate_2015_pp", "labour_poverty_rate + labour_poverty_change", "percent",
      "labour", reading="pp"),
    S("d_labour_poverty_rate_2015_relative",
      "labour_poverty_rate / (1 - labour_poverty_change / 100)", "percent", "labour",
      reading="relative"),
    # --- change since 2015 in percent, one per reading ------------------------------
    S("d_labour_poverty_rate_change_pct_pp",
      "(labour_poverty_rate / d_labour_poverty_rate_2015_pp - 1) * 100", "percent", "labour",
      reading="pp"),
    S("d_labour_poverty_rate_change_pct_relative",
      "(labour_poverty_rate / d_labour_poverty_rate_2015_relative - 1) * 100", "percent", "labour",
      reading="relative"),
    # --- plans and targets implied by '% of plan/target' ---------------------------
    S("d_budget_revenue_plan", "budget_revenue / (budget_revenue_vs_plan / 100)", "billion_vnd",
      "budget"),
    S("d_culture_villages_target_district",
      "culture_villages / (culture_villages_vs_district / 100)", "village", "culture"),
    S("d_culture_villages_target_province",
      "culture_villages / (culture_villages_vs_province / 100)", "village", "culture"),
    S("d_culture_families_target_district",
      "culture_families / (culture_families_vs_district / 100)", "family", "culture"),
    S("d_culture_families_target_province",
      "culture_families / (culture_families_vs_province / 100)", "family", "culture"),
    # --- growth rates -------------------------------------------------------------
    *_cagr_specs("agri_cattle", "agri_cattle", ids.baseline("agri_cattle"), "agriculture"),
    _simple_spec("agri_cattle", ids.baseline("agri_cattle"), "agriculture", "4_years_simple"),
    *_cagr_specs("agri_poultry", ids.corrected("agri_poultry"), "d_agri_poultry_2015_million",
                 "agriculture"),
    *_cagr_specs("agri_aquaculture_area", "agri_aquaculture_area",
                 ids.baseline("agri_aquaculture_area"), "agriculture"),
    *_cagr_specs("agri_fish_output", "agri_fish_output", ids.baseline("agri_fish_output"),
                 "agriculture"),
    # budget revenue is dated 2019 ('Kết quả năm 2019'): the 4-year reading only
    *_cagr_specs("budget_revenue", "budget_revenue", ids.baseline("budget_revenue"), "budget")[:1],
    *_implied_base_specs("trade_turnover", "trade_turnover_growth", "billion_vnd", "trade"),
    # --- sums and shares of totals -----------------------------------------------
    S("d_ind_components_sum", "ind_output_enterprises + ind_output_households"
      " + ind_output_processing", "billion_vnd", "industry"),
    _share("d_ind_share_enterprises", "ind_output_enterprises", "ind_output_total", "industry"),
    _share("d_ind_share_households", "ind_output_households", "ind_output_total", "industry"),
    _share("d_ind_share_processing", "ind_output_processing", "ind_output_total", "industry"),
    _share("d_culture_villages_share", "culture_villages", "culture_villages_total", "culture"),
    _share("d_culture_agencies_share", "culture_agencies", "culture_agencies_total", "culture"),
    _share("d_edu_schools_share", "edu_schools_standard", "edu_schools_total", "education"),
    _share("d_health_communes_station_share", "health_communes_with_station",
           "health_communes_total", "health"),
    _share("d_health_stations_doctor_share", "health_stations_with_doctor", "health_stations_total",
           "health"),
    _share("d_health_national_criteria_share", "health_communes_national_criteria",
           "health_communes_national_criteria_total", "health"),
    _share("d_def_units_good_share", "def_units_good", "def_units_total", "defence"),
    _share("d_sec_forum_communes_share", "sec_forum_communes", "sec_forum_communes_total",
           "security"),
    _share("d_sec_forum_communes_share_of_21", "sec_forum_communes", "award_communes", "security",
           reading="21_communes"),
    _share("d_admin_one_stop_share", "admin_one_stop_communes", "admin_one_stop_communes_total",
           "administration"),
    _share("d_nr_communes_met_share", "nr_communes_met", "award_communes", "new_rural"),
    _share("d_nr_communes_met_share_25", "nr_communes_met", "sec_forum_communes_total", "new_rural",
           reading="25_communes"),
    _share("d_nr_communes_met_or_near_share_25", "(nr_communes_met + nr_communes_near)",
           "sec_forum_communes_total", "new_rural", reading="25_communes"),
    S("d_nr_communes_met_or_near", "nr_communes_met + nr_communes_near", "commune", "new_rural"),
    S("d_health_communes_station_plus_pending",
      "health_communes_with_station + health_communes_station_pending", "commune", "health"),
    S("d_infra_villages_water", "infra_villages_water / 100 * culture_villages_total", "village",
      "infrastructure"),
    # --- population and per-head values ------------------------------------------
    S("d_health_population", "health_doctors / health_doctor_density * 10000", "person", "health",
      qualifier="about"),
    S("d_agri_food_output", "agri_food_per_head * d_health_population / 1000", "tonne",
      "agriculture"),
    S("d_agri_food_yield_per_sown_ha", "d_agri_food_output / agri_sown_area", "tonne_per_ha",
      "agriculture"),
    S("d_budget_revenue_per_head", "budget_revenue * 1000 / d_health_population",
      "million_vnd_per_person", "budget"),
    _share("d_budget_revenue_share_of_ind_output", "budget_revenue", "ind_output_total",
           "budget"),
    S("d_trade_turnover_per_head", "trade_turnover * 1000 / d_health_population",
      "million_vnd_per_person", "trade"),
    S("d_ind_output_per_head", "ind_output_total * 1000 / d_health_population",
      "million_vnd_per_person", "industry"),
    S("d_persons_per_household", "d_health_population / sec_households_pledged",
      "person_per_household", "security"),
    S("d_culture_sport_share_low", "culture_sport_people_low / d_health_population * 100",
      "percent", "culture", bound="lower", range="culture_sport_share"),
    S("d_culture_sport_share_high", "culture_sport_people_high / d_health_population * 100",
      "percent", "culture", bound="upper", range="culture_sport_share"),
    # the same three checks on the population of the communes left after the boundary
    # change (outside knowledge, data/reference.csv): does the conclusion still hold?
    S("d_ref_population_after_move", "ref_population_after_move", "person", "health"),
    S("d_agri_food_output_21", "agri_food_per_head * d_ref_population_after_move / 1000",
      "tonne", "agriculture", reading="21_communes"),
    S("d_agri_food_yield_per_sown_ha_21", "d_agri_food_output_21 / agri_sown_area",
      "tonne_per_ha", "agriculture", reading="21_communes"),
    S("d_persons_per_household_21", "d_ref_population_after_move / sec_households_pledged",
      "person_per_household", "security", reading="21_communes"),
    S("d_culture_sport_share_low_21",
      "culture_sport_people_low / d_ref_population_after_move * 100", "percent", "culture",
      reading="21_communes", bound="lower", range="culture_sport_share_21"),
    S("d_culture_sport_share_high_21",
      "culture_sport_people_high / d_ref_population_after_move * 100", "percent", "culture",
      reading="21_communes", bound="upper", range="culture_sport_share_21"),
    S("d_mass_solidarity_house_value",
      "mass_solidarity_houses_value * 1000 / mass_solidarity_houses", "million_vnd",
      "mass_organisations", qualifier="over"),
    S("d_mass_union_support_per_household", "mass_union_housing_fund / mass_union_houses_supported",
      "million_vnd", "mass_organisations", qualifier="over"),
    S("d_sec_forum_participants_per_commune", "sec_forum_participants / sec_forum_communes",
      "person_per_commune", "security"),  # an average, not a count of people
    # --- differences and bounds used by the sector notebooks -------------------------
    S("d_infra_households_grid_gap", "100 - infra_households_grid", "percent", "infrastructure"),
    S("d_infra_villages_water_gap", "100 - infra_villages_water", "percent", "infrastructure"),
    S("d_edu_schools_below_standard", "edu_schools_total - edu_schools_standard", "school",
      "education"),
    S("d_health_population_low", "health_doctors / (health_doctor_density + 0.05) * 10000",
      "person", "health", bound="lower", range="health_population"),
    S("d_health_population_high", "health_doctors / (health_doctor_density - 0.05) * 10000",
      "person", "health", bound="upper", range="health_population"),
    S("d_health_stations_without_doctor", "health_stations_total - health_stations_with_doctor",
      "health_station", "health"),
    S("d_def_units_passed_not_good", "def_units_total - def_units_good", "militia_unit", "defence"),
    S("d_def_units_beyond_communes", "def_units_total - award_communes", "militia_unit", "defence",
      reading="21_communes"),
    S("d_def_units_beyond_communes_25", "def_units_total - sec_forum_communes_total",
      "militia_unit", "defence", reading="25_communes"),
    _share("d_nr_communes_met_or_near_share", "(nr_communes_met + nr_communes_near)",
           "award_communes", "new_rural"),
    S("d_nr_communes_remaining", "award_communes - nr_communes_met - nr_communes_near", "commune",
      "new_rural"),
    S("d_nr_criteria_short_min", "ref_national_new_rural_criteria - nr_criteria_high", "criterion",
      "new_rural", bound="lower", range="nr_criteria_short"),
    S("d_nr_criteria_short_max", "ref_national_new_rural_criteria - nr_criteria_low", "criterion",
      "new_rural", bound="upper", range="nr_criteria_short"),
]


def texts_path():
    """Where the declared figures' labels and assumptions live."""
    return schema.load(f"input/templates/{TEXTS}").data_path


def _phrases(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@memo("templates", "schemas/input/templates", "figures.csv", "raw", "vocab/units.csv",
      "vocab/labels.csv")
def declared_texts(readings: tuple[tuple[str, str], ...]
                   ) -> dict[str, tuple[str, str, str, str]]:
    """figure id -> (label, Vietnamese label, assumption, Vietnamese assumption) of each
    figure of ``readings``, its (figure id, reading) pairs (an empty assumption where the
    table has none). Keyed, not two sequences matched by position: a reading missing or
    out of order cannot give a figure another's period (FINAL24-A 5); an id given with
    two readings raises ValueError naming it.

    A text, a phrase too, may write a catalogued figure's number (``{award_communes}``:
    "21", as every page writes it), never typed, and a constant of outside knowledge
    (``{ref_<name>}``). The texts of a figure read over a period from ``BASE_YEAR``
    (``4_years``, ``growth_5y``, …) say it with ``{span}`` (``2015–2019``), ``{n}``,
    ``{start}`` and ``{end}`` (:func:`dbanalysis.derive.families.period_fields`), never
    typed.

    Raises :class:`~dbanalysis.catalogue.sentences.TemplateError` naming the file and,
    all at once, what the table's schema and the template checks find and every figure
    without a label, every row naming no declared figure and every ``{field}`` that is
    not a phrase of the table.
    """
    period: dict[str, str] = {}
    for fid, reading in readings:
        if period.setdefault(fid, reading) != reading:
            raise ValueError(f"{fid!r} is given two readings, {period[fid]!r} and "
                             f"{reading!r}: each declared figure has one")
    figure_ids = tuple(period)
    try:
        table = sentences.table(TEXTS)  # the schema's checks and the templates' own
        problems: list[Problem] = []
    except sentences.TemplateError as exc:
        table, problems = {}, list(exc.problems)
    rows, _ = validation.read_rows(f"input/templates/{TEXTS}")  # (its problems are above)
    line = {r["template_id"]: r["line"] for r in rows}
    phrases = {tid for tid in line if "." not in tid}
    wanted = set(figure_ids)
    spans = {fid for fid in figure_ids if period[fid] in ids.SPAN_YEARS}
    catalogued, numbers = set(catalogue_ids()), set()
    # a figure the derivations read: in a drafted catalogue of another report it may be
    # absent (and the figures that read it are then not computed, their texts not shown)
    catalogued |= {n for spec in SPECS for n in formula.names(spec.formula)
                   if not n.startswith("d_") and not sentences.is_reference(n)}
    for r in rows:
        tid, n = r["template_id"], r["line"]
        fid, dot, _ = tid.partition(".")
        if dot and fid not in wanted:
            problems.append(Problem(n, tid, f"no derived figure {fid!r} is declared (SPECS, "
                                    "VIEW_SPECS or GLANCE_SPECS of dbanalysis.derive); "
                                    "remove the row or declare the figure"))
        for lang in ("en", "vi"):
            try:
                unknown = _phrases(r[lang])
            except ValueError:
                continue  # a lone brace: reported by sentences.table
            # a constant of outside knowledge ({ref_<name>}) or a catalogued figure's
            # number may stand in any text
            unknown = {u for u in unknown if not sentences.is_reference(u)}
            numbers |= unknown & catalogued
            unknown -= catalogued
            unknown = unknown - phrases if dot else unknown
            said = unknown & PERIOD_FIELDS if dot else set()
            if said and fid not in spans:
                problems.append(Problem(n, tid, f"{lang}: {{{', '.join(sorted(said))}}} says a "
                                        f"period, and {fid!r} is read over none (its reading is "
                                        f"not one of {sorted(ids.SPAN_YEARS)})"))
            unknown -= said
            if unknown:
                problems.append(Problem(n, tid, f"{lang}: {{{', '.join(sorted(unknown))}}} "
                                        + ("is not a phrase of this table" if dot else
                                           "in a phrase (a phrase has no fields)")))
    problems += [Problem(0, fid, f"no label: add the row '{fid}.label' (en, vi)")
                 for fid in figure_ids if f"{fid}.label" not in line]
    if problems:
        raise sentences.TemplateError(texts_path(), problems)
    present = catalogue_ids()
    shown = {i: _printed_number(i) if i in present else sentences.Printed(f"{{{i}}}")
             for i in numbers}
    values: dict[str, Any] = {**shown, **{p: sentences.Phrase(p, shown) for p in phrases}}

    def text(tid: str, lang: str) -> str:
        if (tid, sentences.ANY, lang) not in table:
            return ""
        own = period_fields(period[tid.partition(".")[0]], lang)
        return sentences.render(TEXTS, tid, sentences.ANY, lang, **{**values, **own})

    return {fid: (text(f"{fid}.label", "en"), text(f"{fid}.label", "vi"),
                  text(f"{fid}.assumption", "en"), text(f"{fid}.assumption", "vi"))
            for fid in figure_ids}


def _printed_number(figure_id: str) -> sentences.Num:
    """A catalogued figure's number with the decimals the report prints it with (the
    display rule of a catalogued figure; :mod:`dbanalysis.derive.precision` reads the
    derivations, whose texts these are)."""
    f = figure(figure_id)
    return sentences.Num(float(f["value"]), printed_decimals(printed_token(f)))


def with_texts(specs: list[Spec]) -> list[Spec]:
    """``specs`` with the labels and assumption of ``data/templates/derived.csv``."""
    texts = declared_texts(tuple((s.figure_id, s.reading) for s in specs))
    return [dataclasses.replace(s, **dict(zip(("label_en", "label_vi", "assumption",
                                               "assumption_vi"), texts[s.figure_id],
                                              strict=True)))
            for s in specs]
