import ast
import csv
import math
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pandas as pd
import pytest
from helpers_quotes import quote_number as q

from dbanalysis.catalogue import formula, reference, vocab
from dbanalysis.catalogue.figures import load_figures
from dbanalysis.core import schema
from dbanalysis.derive.compute import SCHEMA, derived_figures

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


@pytest.fixture(scope="module")
def derived():
    return derived_figures().set_index("figure_id")


def _pop():
    return q("health_doctors") / q("health_doctor_density") * 10_000


def _cagr(level, base, years):
    return ((level / base) ** (1 / years) - 1) * 100


# Each expected value computed by hand from numbers parsed out of the quotes.
EXPECTED = {
    "d_agri_poultry_corrected": lambda: q("agri_poultry") * 1_000_000,
    "d_agri_cattle_2015": lambda: q("agri_cattle") - q("agri_cattle_change"),
    "d_agri_poultry_2015": lambda: q("agri_poultry") - q("agri_poultry_change"),
    "d_agri_poultry_2015_million":
        lambda: q("agri_poultry") * 1_000_000 - q("agri_poultry_change"),
    "d_agri_aquaculture_area_2015":
        lambda: q("agri_aquaculture_area") - q("agri_aquaculture_area_change"),
    "d_agri_fish_output_2015": lambda: q("agri_fish_output") - q("agri_fish_output_change"),
    "d_budget_revenue_2015":
        lambda: q("budget_revenue") / (1 + q("budget_revenue_change") / 100),
    # 0.5 = half a unit of the rise's last printed digit (a whole percent)
    "d_budget_revenue_2015_low":
        lambda: q("budget_revenue") * 100 / (100 + q("budget_revenue_change") + 0.5),
    "d_budget_revenue_2015_high":
        lambda: q("budget_revenue") * 100 / (100 + q("budget_revenue_change") - 0.5),
    "d_labour_poverty_rate_2015_pp": lambda: q("labour_poverty_rate") + q("labour_poverty_change"),
    "d_labour_poverty_rate_2015_relative":
        lambda: q("labour_poverty_rate") / (1 - q("labour_poverty_change") / 100),
    "d_budget_revenue_plan": lambda: q("budget_revenue") * 100 / q("budget_revenue_vs_plan"),
    "d_culture_villages_target_district":
        lambda: q("culture_villages") * 100 / q("culture_villages_vs_district"),
    "d_culture_villages_target_province":
        lambda: q("culture_villages") * 100 / q("culture_villages_vs_province"),
    "d_culture_families_target_district":
        lambda: q("culture_families") * 100 / q("culture_families_vs_district"),
    "d_culture_families_target_province":
        lambda: q("culture_families") * 100 / q("culture_families_vs_province"),
    "d_agri_cattle_cagr_4y":
        lambda: _cagr(q("agri_cattle"), q("agri_cattle") - q("agri_cattle_change"), 4),
    "d_agri_cattle_cagr_5y":
        lambda: _cagr(q("agri_cattle"), q("agri_cattle") - q("agri_cattle_change"), 5),
    "d_agri_cattle_simple_4y": lambda: q("agri_cattle_change")
        / (q("agri_cattle") - q("agri_cattle_change")) * 25,
    "d_agri_poultry_cagr_4y": lambda: _cagr(q("agri_poultry") * 1e6,
                                            q("agri_poultry") * 1e6 - q("agri_poultry_change"), 4),
    "d_agri_poultry_cagr_5y": lambda: _cagr(q("agri_poultry") * 1e6,
                                            q("agri_poultry") * 1e6 - q("agri_poultry_change"), 5),
    "d_agri_aquaculture_area_cagr_4y": lambda: _cagr(
        q("agri_aquaculture_area"),
        q("agri_aquaculture_area") - q("agri_aquaculture_area_change"), 4),
    "d_agri_aquaculture_area_cagr_5y": lambda: _cagr(
        q("agri_aquaculture_area"),
        q("agri_aquaculture_area") - q("agri_aquaculture_area_change"), 5),
    "d_agri_fish_output_cagr_4y": lambda: _cagr(
        q("agri_fish_output"), q("agri_fish_output") - q("agri_fish_output_change"), 4),
    "d_agri_fish_output_cagr_5y": lambda: _cagr(
        q("agri_fish_output"), q("agri_fish_output") - q("agri_fish_output_change"), 5),
    "d_budget_revenue_cagr_4y": lambda: ((1 + q("budget_revenue_change") / 100) ** 0.25 - 1) * 100,
    "d_trade_turnover_2015_4y":
        lambda: q("trade_turnover") / (1 + q("trade_turnover_growth") / 100) ** 4,
    "d_trade_turnover_2015_5y":
        lambda: q("trade_turnover") / (1 + q("trade_turnover_growth") / 100) ** 5,
    "d_ind_components_sum": lambda: q("ind_output_enterprises") + q("ind_output_households")
        + q("ind_output_processing"),
    "d_ind_share_enterprises": lambda: 100 * q("ind_output_enterprises") / q("ind_output_total"),
    "d_ind_share_households": lambda: 100 * q("ind_output_households") / q("ind_output_total"),
    "d_ind_share_processing": lambda: 100 * q("ind_output_processing") / q("ind_output_total"),
    "d_culture_villages_share": lambda: 100 * q("culture_villages") / q("culture_villages_total"),
    "d_culture_agencies_share": lambda: 100 * q("culture_agencies") / q("culture_agencies_total"),
    "d_edu_schools_share": lambda: 100 * q("edu_schools_standard") / q("edu_schools_total"),
    "d_health_communes_station_share":
        lambda: 100 * q("health_communes_with_station") / q("health_communes_total"),
    "d_health_stations_doctor_share":
        lambda: 100 * q("health_stations_with_doctor") / q("health_stations_total"),
    # the quote opens with 'dự kiến cuối năm 2020,': the year is number token 1
    "d_health_national_criteria_share": lambda: 100 * q("health_communes_national_criteria", 2)
        / q("health_communes_national_criteria_total", 3),
    "d_def_units_good_share": lambda: 100 * q("def_units_good") / q("def_units_total"),
    "d_sec_forum_communes_share":
        lambda: 100 * q("sec_forum_communes") / q("sec_forum_communes_total"),
    "d_sec_forum_communes_share_of_21":
        lambda: 100 * q("sec_forum_communes") / q("award_communes"),
    "d_admin_one_stop_share":
        lambda: 100 * q("admin_one_stop_communes") / q("admin_one_stop_communes_total"),
    "d_nr_communes_met_share": lambda: 100 * q("nr_communes_met") / q("award_communes"),
    "d_nr_communes_met_or_near": lambda: q("nr_communes_met") + q("nr_communes_near"),
    "d_health_communes_station_plus_pending":
        lambda: q("health_communes_with_station") + q("health_communes_station_pending"),
    "d_infra_villages_water":
        lambda: q("infra_villages_water") * q("culture_villages_total") / 100,
    "d_health_population": _pop,
    "d_agri_food_output": lambda: q("agri_food_per_head") * _pop() / 1000,
    "d_agri_food_yield_per_sown_ha":
        lambda: q("agri_food_per_head") * _pop() / 1000 / q("agri_sown_area"),
    "d_budget_revenue_per_head": lambda: q("budget_revenue") * 1000 / _pop(),
    "d_trade_turnover_per_head": lambda: q("trade_turnover") * 1000 / _pop(),
    "d_ind_output_per_head": lambda: q("ind_output_total") * 1000 / _pop(),
    "d_budget_revenue_share_of_ind_output":
        lambda: 100 * q("budget_revenue") / q("ind_output_total"),
    "d_persons_per_household": lambda: _pop() / q("sec_households_pledged"),
    "d_culture_sport_share_low": lambda: 100 * q("culture_sport_people_low") / _pop(),
    "d_culture_sport_share_high": lambda: 100 * q("culture_sport_people_high") / _pop(),
    # the same on the 21 communes' population after the boundary change: 93,850 people
    # (outside knowledge, dbanalysis.catalogue.reference)
    "d_ref_population_after_move": lambda: 93_850,
    "d_agri_food_output_21": lambda: q("agri_food_per_head") * 93_850 / 1000,
    "d_agri_food_yield_per_sown_ha_21":
        lambda: q("agri_food_per_head") * 93_850 / 1000 / q("agri_sown_area"),
    "d_persons_per_household_21": lambda: 93_850 / q("sec_households_pledged"),
    "d_culture_sport_share_low_21": lambda: 100 * q("culture_sport_people_low") / 93_850,
    "d_culture_sport_share_high_21": lambda: 100 * q("culture_sport_people_high") / 93_850,
    "d_mass_solidarity_house_value":
        lambda: q("mass_solidarity_houses_value") * 1000 / q("mass_solidarity_houses"),
    "d_mass_union_support_per_household":
        lambda: q("mass_union_housing_fund") / q("mass_union_houses_supported"),
    "d_sec_forum_participants_per_commune":
        lambda: q("sec_forum_participants") / q("sec_forum_communes"),
}

AWARDS_C = ["award_gov_flag", "award_prov_flag", "award_excellent_labour_collective",
            "award_labour_order_collective", "award_pm_merit_collective",
            "award_prov_merit_collective", "award_district_certificate_collective",
            "award_advanced_labour_collective", "award_commune_certificate_collective"]
AWARDS_I = ["award_resistance_medals", "award_heroic_mothers", "award_labour_order_individual",
            "award_pm_merit_individual", "award_prov_merit_individual",
            "award_district_certificate_individual", "award_grassroots_emulation_fighters",
            "award_advanced_labour_individual", "award_commune_certificate_individual"]
LEVELS = {
    "d_awards_national": ["award_gov_flag", "award_resistance_medals", "award_heroic_mothers",
                          "award_labour_order_collective", "award_labour_order_individual",
                          "award_pm_merit_collective", "award_pm_merit_individual"],
    "d_awards_provincial": ["award_prov_flag", "award_excellent_labour_collective",
                            "award_prov_merit_collective", "award_prov_merit_individual"],
    "d_awards_district": ["award_district_certificate_collective",
                          "award_district_certificate_individual",
                          "award_grassroots_emulation_fighters",
                          "award_advanced_labour_collective", "award_advanced_labour_individual"],
    "d_awards_commune": ["award_commune_certificate_collective",
                         "award_commune_certificate_individual"],
}
EXPECTED["d_awards_collectives"] = lambda: sum(q(i) for i in AWARDS_C)
EXPECTED["d_awards_individuals"] = lambda: sum(q(i) for i in AWARDS_I)
EXPECTED["d_awards_total"] = lambda: sum(q(i) for i in AWARDS_C + AWARDS_I)
EXPECTED["d_awards_local"] = lambda: sum(q(i) for i in LEVELS["d_awards_district"]
                                         + LEVELS["d_awards_commune"])
EXPECTED["d_awards_local_share"] = lambda: EXPECTED["d_awards_local"]() / EXPECTED[
    "d_awards_total"]() * 100
for _lv in ["national", "provincial", "district", "commune"]:
    EXPECTED[f"d_awards_{_lv}_share"] = lambda lv=_lv: sum(
        q(i) for i in LEVELS[f"d_awards_{lv}"]) / EXPECTED["d_awards_total"]() * 100
# Change since 2015 under each reading: the fall of x points takes 2015 to rate + x; a
# relative fall of x % is itself the change; trade grows at the stated rate for 4 or 5 years.
EXPECTED["d_labour_poverty_rate_change_pct_pp"] = lambda: (
    q("labour_poverty_rate") / (q("labour_poverty_rate") + q("labour_poverty_change")) - 1) * 100
EXPECTED["d_labour_poverty_rate_change_pct_relative"] = lambda: -q("labour_poverty_change")
EXPECTED["d_trade_turnover_change_pct_4y"] = lambda: (
    (1 + q("trade_turnover_growth") / 100) ** 4 - 1) * 100
EXPECTED["d_trade_turnover_change_pct_5y"] = lambda: (
    (1 + q("trade_turnover_growth") / 100) ** 5 - 1) * 100
EXPECTED["d_infra_households_grid_gap"] = lambda: 100 - q("infra_households_grid")
EXPECTED["d_infra_villages_water_gap"] = lambda: 100 - q("infra_villages_water")
for _k, _ids in LEVELS.items():
    EXPECTED[_k] = lambda ids=_ids: sum(q(i) for i in ids)
for _lv, _ch in [("agri_cattle", "agri_cattle_change"),
                 ("agri_aquaculture_area", "agri_aquaculture_area_change"),
                 ("agri_fish_output", "agri_fish_output_change")]:
    EXPECTED[f"d_{_lv}_change_pct"] = \
        lambda lv=_lv, ch=_ch: q(ch) / (q(lv) - q(ch)) * 100
EXPECTED["d_agri_poultry_change_pct_million"] = lambda: (
    q("agri_poultry") * 1_000_000 / (q("agri_poultry") * 1_000_000 - q("agri_poultry_change"))
    - 1) * 100
# Differences and bounds used by the sector notebooks. 19 = national new-rural criteria
# (domain knowledge, dbanalysis.catalogue.reference); 0.05 = half the density's last printed digit.
EXPECTED["d_edu_schools_below_standard"] = lambda: q("edu_schools_total") - q(
    "edu_schools_standard")
EXPECTED["d_health_population_low"] = lambda: q("health_doctors") / (
    q("health_doctor_density") + 0.05) * 10_000
EXPECTED["d_health_population_high"] = lambda: q("health_doctors") / (
    q("health_doctor_density") - 0.05) * 10_000
EXPECTED["d_health_stations_without_doctor"] = lambda: q("health_stations_total") - q(
    "health_stations_with_doctor")
EXPECTED["d_def_units_passed_not_good"] = lambda: q("def_units_total") - q("def_units_good")
EXPECTED["d_def_units_beyond_communes"] = lambda: q("def_units_total") - q("award_communes")
EXPECTED["d_def_units_beyond_communes_25"] = lambda: q("def_units_total") - q(
    "sec_forum_communes_total")
EXPECTED["d_nr_communes_met_or_near_share"] = lambda: (
    q("nr_communes_met") + q("nr_communes_near")) / q("award_communes") * 100
EXPECTED["d_nr_communes_met_share_25"] = lambda: 100 * q("nr_communes_met") / q(
    "sec_forum_communes_total")
EXPECTED["d_nr_communes_met_or_near_share_25"] = lambda: (
    q("nr_communes_met") + q("nr_communes_near")) / q("sec_forum_communes_total") * 100
EXPECTED["d_nr_communes_remaining"] = lambda: q("award_communes") - q("nr_communes_met") - q(
    "nr_communes_near")
EXPECTED["d_nr_criteria_short_min"] = lambda: 19 - q("nr_criteria_high")
EXPECTED["d_nr_criteria_short_max"] = lambda: 19 - q("nr_criteria_low")

# The cattle herd's change since 2015 under the stated yearly growth, compounded over
# 4 / 5 years (2015–2019 / 2015–2020).
for _n in (4, 5):
    EXPECTED[f"d_agri_cattle_change_pct_growth_{_n}y"] = \
        lambda n=_n: (1 + q("agri_cattle_growth") / 100) ** n * 100 - 100


# --- views for charts and sentences (sector pages 00-05), each by hand from the quotes
def _turnover_if(end, year):
    return q("trade_turnover") / (1 + q("trade_turnover_growth") / 100) ** (end - year)


EXPECTED.update({
    "d_health_communes_station_pending_share":
        lambda: 100 * q("health_communes_station_pending") / q("health_communes_total"),
    "d_ind_output_rest": lambda: q("ind_output_total") - q("ind_output_enterprises")
        - q("ind_output_households") - q("ind_output_processing"),
    "d_health_communes_rest": lambda: q("health_communes_total")
        - q("health_communes_with_station") - q("health_communes_station_pending"),
    "d_labour_poverty_fall_pp_relative": lambda: 100 * q("labour_poverty_change")
        / (q("labour_poverty_rate") + q("labour_poverty_change")),
    "d_labour_poverty_fall_pp_per_year": lambda: q("labour_poverty_change") / 4,
    "d_labour_poverty_fall_pp_points": lambda: q("labour_poverty_change"),
    "d_labour_poverty_fall_relative_points": lambda: q("labour_poverty_rate")
        * 100 / (100 - q("labour_poverty_change")) - q("labour_poverty_rate"),
    # the 2015 rate as the site shows it (15.3: three significant figures, half up), less
    # the printed 2019 rate
    "d_labour_poverty_fall_relative_points_shown": lambda: float(Decimal(repr(
        q("labour_poverty_rate") * 100 / (100 - q("labour_poverty_change")))).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP)) - q("labour_poverty_rate"),
    "d_labour_poverty_fall_relative_per_year": lambda: (q("labour_poverty_rate")
        * 100 / (100 - q("labour_poverty_change")) - q("labour_poverty_rate")) / 4,
    "d_budget_revenue_over_plan": lambda: q("budget_revenue")
        - q("budget_revenue") * 100 / q("budget_revenue_vs_plan"),
    "d_ref_own_revenue_share_ceiling": lambda: 25.0,  # a quarter (dbanalysis.catalogue.reference)
    "d_culture_sport_people_band":
        lambda: q("culture_sport_people_high") - q("culture_sport_people_low"),
    **{f"d_trade_turnover_{y}_if_{end}": (lambda end=end, y=y: _turnover_if(end, y))
       for end in (2019, 2020) for y in range(2016, end)},
})


def _awards(level, unit):
    rows = vocab.award_levels()
    units = load_figures().set_index("figure_id")["unit"]
    ids = [i for i in rows.loc[rows["level"] == level, "figure_id"] if units[i] == unit]
    return sum(q(i) for i in ids)


for _level in ("national", "provincial", "district", "commune"):
    for _unit in ("collective", "individual"):
        EXPECTED[f"d_awards_{_level}_{_unit}s"] = (
            lambda level=_level, unit=_unit: _awards(level, unit))


# --- derivations by rule (data/derived.csv), each rule followed by hand from the catalogue
# file: every stated part of a stated whole, its share; every growth, 2015–2019 and
# 2015–2020, compound and simple; every stated yearly rate, the change and the 2015 level
# it implies; every 'đạt X%' of a plan or target, the plan. Ids: data/derived_ids.csv keeps
# an older id, otherwise the rule's pattern. A rule figure already expected above is
# computed twice (test_rule_figures_agree_with_the_declared_ones).
DATA = Path(__file__).resolve().parents[1] / "data"


def _rows(name):
    with (DATA / name).open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


FIGS = _rows("figures.csv")
KEPT = {(r["rule"], r["subject"]): r["figure_id"] for r in _rows("derived_ids.csv")}
ACCEPTED = {r["figure_id"] for r in _rows("corrections.csv") if r["status"] == "accepted"}
RULED = {}


def _rid(rule, subject, pattern):
    return KEPT.get((rule, subject), pattern)


def _referent(fig, kinds):
    """The one figure of ``fig``'s indicator of ``kinds``: preferring those whose id
    begins ``fig``'s; None when none or several."""
    same = [r for r in FIGS if r["indicator"] == fig["indicator"] and r["kind"] in kinds]
    pref = [r for r in same if fig["figure_id"].startswith(r["figure_id"] + "_")]
    found = pref or same
    return found[0]["figure_id"] if len(found) == 1 else None


#: Number tokens of quotes where the figure is not the pick-th number token (the quote
#: opens with 'dự kiến cuối năm 2020,': the year is token 1).
TOKEN = {"health_communes_national_criteria": 2, "health_communes_national_criteria_total": 3}


def qt(fid):
    return q(fid, TOKEN.get(fid))


for _w in (r for r in FIGS if r["kind"] == "total"):
    for _p in (r for r in FIGS if r["indicator"] == _w["indicator"]
               and r["kind"] in ("count", "component") and r["unit"] == _w["unit"]):
        _p_id, _w_id = _p["figure_id"], _w["figure_id"]
        RULED[_rid("share_of_whole", f"{_p_id} {_w_id}", f"d_{_p_id}_share_of_{_w_id}")] = (
            lambda p=_p_id, w=_w_id: qt(p) / qt(w) * 100)

_BASES = {}
for _c in (r for r in FIGS if r["kind"] == "change_vs_2015"):
    _lv = _referent(_c, ("level", "share"))
    _lv_row = next(r for r in FIGS if r["figure_id"] == _lv)
    _fall = "giảm" in _c["quote"].lower()
    _c_id = _c["figure_id"]
    if _c["unit"] == _lv_row["unit"]:  # back by the change, in the level's unit
        def _f(lv=_lv, c=_c_id, fall=_fall):
            return qt(lv) + qt(c) if fall else qt(lv) - qt(c)
        RULED[_rid("level_2015", _lv, f"d_{_lv}_2015")] = _f
        if _lv_row["kind"] == "level" and _lv not in ACCEPTED:
            _BASES.setdefault(_lv, _f)
    if _c["unit"] == "percent":  # back by the change read in percent of the 2015 value
        def _f(lv=_lv, c=_c_id, fall=_fall):
            return qt(lv) * 100 / (100 - qt(c) if fall else 100 + qt(c))
        RULED[_rid("level_2015_relative", _lv, f"d_{_lv}_2015_relative")] = _f
        if _lv_row["kind"] == "level" and _lv not in ACCEPTED:
            _BASES.setdefault(_lv, _f)
for _lv, _base in _BASES.items():
    for _n in (4, 5):
        RULED[_rid(f"cagr_{_n}y", _lv, f"d_{_lv}_cagr_{_n}y")] = (
            lambda lv=_lv, b=_base, n=_n: (qt(lv) / b()) ** (1 / n) * 100 - 100)
        RULED[_rid(f"simple_{_n}y", _lv, f"d_{_lv}_simple_{_n}y")] = (
            lambda lv=_lv, b=_base, n=_n: (qt(lv) - b()) / b() / n * 100)
for _g in (r for r in FIGS if r["kind"] == "growth_rate"):
    _lv, _g_id = _referent(_g, ("level",)), _g["figure_id"]
    for _n in (4, 5):
        RULED[_rid(f"rate_change_{_n}y", _lv, f"d_{_lv}_change_pct_growth_{_n}y")] = (
            lambda g=_g_id, n=_n: (1 + qt(g) / 100) ** n * 100 - 100)
        RULED[_rid(f"rate_change_simple_{_n}y", _lv, f"d_{_lv}_simple_growth_change_pct_{_n}y")] \
            = (lambda g=_g_id, n=_n: n * qt(g))
        RULED[_rid(f"rate_level_{_n}y", _lv, f"d_{_lv}_2015_{_n}y")] = (
            lambda lv=_lv, g=_g_id, n=_n: qt(lv) / (1 + qt(g) / 100) ** n)
        RULED[_rid(f"rate_level_simple_{_n}y", _lv, f"d_{_lv}_2015_simple_{_n}y")] = (
            lambda lv=_lv, g=_g_id, n=_n: qt(lv) * 100 / (100 + n * qt(g)))
_NO_PLAN = []
for _a in (r for r in FIGS if r["kind"] == "achievement_vs_plan"):
    _lv, _a_id = _referent(_a, ("level", "count", "share")), _a["figure_id"]
    if _lv is None:
        _NO_PLAN.append(_a_id)
        continue
    RULED[_rid("implied_target", _a_id, f"d_{_a_id}_target")] = (
        lambda lv=_lv, a=_a_id: qt(lv) * 100 / qt(a))
for _fid, _f in RULED.items():
    EXPECTED.setdefault(_fid, _f)


def test_columns_and_ids(derived):
    assert list(derived.reset_index().columns) == schema.load(SCHEMA).columns
    assert derived.index.is_unique
    assert all(i.startswith("d_") for i in derived.index)


#: The ids the comparison below is parametrised over: taken once every expectation above
#: is declared (a parametrisation taken earlier silently compared only part of them).
HAND_COMPUTED = sorted(EXPECTED)


def test_the_tests_shared_derived_table_is_derived_figures(derived):
    """The table eight test modules read (tests/helpers_data.py, once per data version and
    process) is the one the derivation gives anew, and each call hands out a copy."""
    from helpers_data import derived_table

    shared = derived_table()
    pd.testing.assert_frame_equal(shared.set_index("figure_id"), derived, check_exact=True)
    shared.loc[0, "value"] = -1.0
    assert derived_table().loc[0, "value"] == derived["value"].iloc[0]


def test_every_derivation_has_an_independent_expectation(derived):
    assert set(derived.index) == set(HAND_COMPUTED)


@pytest.mark.parametrize("fid", HAND_COMPUTED)
def test_derivation_matches_hand_computation(derived, fid):
    assert math.isclose(derived.loc[fid, "value"], EXPECTED[fid](), rel_tol=1e-12, abs_tol=1e-9)


def test_each_derived_figure_is_a_collected_comparison(derived, request):
    """The comparisons pytest collected (not merely listed): one per derived figure."""
    collected = [item.callspec.params["fid"] for item in request.session.items
                 if getattr(item, "originalname", "") == "test_derivation_matches_hand_computation"
                 and item.path == request.node.path]
    selective = (request.config.option.keyword or request.config.option.markexpr
                 or any("::" in arg for arg in request.config.args))
    if selective and len(set(collected)) < len(derived):
        pytest.skip("a -k/-m or node-id selection collected only part of the comparisons")
    assert len(collected) == len(set(collected)) == len(derived)
    assert set(collected) == set(derived.index)


@pytest.mark.parametrize("fid", sorted(RULED))
def test_rule_figures_agree_with_the_declared_ones(derived, fid):
    """Each rule figure by the rule's own hand computation, also where it was declared
    (and hand-computed above) before the rule: the two computations agree."""
    assert math.isclose(derived.loc[fid, "value"], RULED[fid](), rel_tol=1e-12, abs_tol=1e-9)
    assert math.isclose(EXPECTED[fid](), RULED[fid](), rel_tol=1e-12, abs_tol=1e-9)


def test_every_rule_pattern_is_derived():
    """What the rules must find in this catalogue, and the one achievement without a plan:
    the quota of conscripts met, its size unstated."""
    shares = [k for k in KEPT if k[0] == "share_of_whole"]
    assert len([f for f in RULED if "share" in f]) >= len(shares) == 13
    assert _NO_PLAN == ["def_conscription"]
    assert {"d_budget_revenue_cagr_5y", "d_agri_cattle_simple_5y", "d_agri_cattle_2015_4y",
            "d_trade_turnover_simple_growth_change_pct_5y",
            "d_health_stations_doctor_vs_resolution_target"} <= set(RULED)


def test_headline_values(derived):
    v = derived["value"]
    assert round(v["d_agri_cattle_cagr_4y"], 2) == pytest.approx(3.50)
    assert round(v["d_agri_cattle_cagr_5y"], 2) == pytest.approx(2.79)
    assert v["d_health_population"] == pytest.approx(120_000)
    assert v["d_agri_food_output"] == pytest.approx(94_200)
    assert v["d_agri_poultry_2015"] < 0 < v["d_agri_poultry_2015_million"]
    assert round(v["d_culture_villages_target_district"]) == 325
    assert v["d_budget_revenue_2015_low"] < v["d_budget_revenue_2015"] \
        < v["d_budget_revenue_2015_high"]


def test_inputs_units_and_readings(derived):
    from dbanalysis.catalogue.reference import formula_names

    known = set(load_figures()["figure_id"]) | set(derived.index) | set(formula_names())
    for fid, r in derived.iterrows():
        assert r["inputs"] == formula.names(r["formula"]), fid
        assert set(r["inputs"]) <= known, fid
        assert r["unit"] in vocab.units().index, fid
        assert r["sector"] in vocab.sectors().index, fid
    # two readings labelled for each ambiguous statement
    assert derived.loc["d_labour_poverty_rate_2015_pp", "reading"] == "pp"
    assert derived.loc["d_labour_poverty_rate_2015_relative", "reading"] == "relative"
    assert {derived.loc[f"d_trade_turnover_2015_{n}y", "reading"] for n in (4, 5)} == {
        "4_years", "5_years"}
    assert {derived.loc[f, "reading"] for f in ("d_def_units_beyond_communes",
                                                 "d_def_units_beyond_communes_25")} == {
        "21_communes", "25_communes"}


def test_formula_evaluator_is_restricted():
    assert formula.evaluate("(a + 2) * b ** 2 / -c", {"a": 1, "b": 3, "c": 9}) == -3
    for bad in ["__import__('os')", "a.b", "a[0]", "lambda: 1", "a if b else c", "'x'"]:
        with pytest.raises(formula.FormulaError):
            formula.evaluate(bad, {"a": 1, "b": 1, "c": 1})
    with pytest.raises(formula.FormulaError, match="unknown figure id 'zz'"):
        formula.evaluate("zz + 1", {})


def test_round_is_the_one_call_a_formula_may_make():
    # half away from zero, as the site shows a number (Python's round() gives 2.44 here)
    assert formula.evaluate("round(a, 2) - b", {"a": 2.445, "b": 0.4}) == pytest.approx(2.05)
    assert formula.evaluate("round(a, 1)", {"a": 15.3359589}) == 15.3
    assert formula.names("round(a, 1) - b") == ["a", "b"]  # the function is no figure id
    for bad in ["round(a)", "round(a, b)", "round(a, 1.5)", "round(a, -1)", "round(a, n=1)",
                "abs(a)", "max(a, b)", "round(a, 1, 2)"]:
        with pytest.raises(formula.FormulaError):
            formula.evaluate(bad, {"a": 1, "b": 1})


def test_interval_propagates_half_units():
    lo, hi = formula.interval("a / b", {"a": 10, "b": 2}, {"a": 0.5, "b": 0.05})
    assert lo == pytest.approx(9.5 / 2.05) and hi == pytest.approx(10.5 / 1.95)


def test_view_maps_point_at_derived_figures(derived):
    from dbanalysis.derive import compute as derive

    for (count, total), fid in derive.SHARE_OF.items():
        assert derived.loc[fid, "unit"] == "percent", fid
        assert count in derived.index or count in set(load_figures()["figure_id"])
        assert total in derived.loc[fid, "inputs"]
    for (total, parts), fid in derive.REST_OF.items():
        assert set(derived.loc[fid, "inputs"]) == {total, *parts}, fid
    assert len(derive.target_ids()) == 7  # every achievement but the conscription quota
    for achievement, fid in derive.target_ids().items():
        assert achievement in derived.loc[fid, "inputs"], fid
    assert derive.share_id("culture_villages", "culture_villages_total") == \
        "d_culture_villages_share"
    with pytest.raises(KeyError, match="declare one"):
        derive.share_id("culture_villages", "edu_schools_total")
    assert derive.share_id("def_units_good", "def_units_total") == "d_def_units_good_share"
    with pytest.raises(KeyError, match="implied_target"):
        derive.target_id("budget_revenue")


def test_a_bad_rule_is_reported_by_check(data_copy, capsys):
    """dbanalysis check names data/derived.csv, the line, the rule and every problem."""
    from dbanalysis.cli import check as checkcmd

    path = data_copy / "derived.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace("{part} / {whole} * 100,percent", "{part} / {hole} * 100,percent", 1)
    text = text.replace(",percent_per_year,4_years,", ",percent_per_yr,4_years,", 1)
    path.write_text(text, encoding="utf-8")
    assert checkcmd.run(None) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "line 2 (share_of_whole): formula names ['hole']" in err
    assert "line 5 (cagr_4y): unknown unit 'percent_per_yr'" in err


def test_no_average_is_declared_as_a_count(derived):
    """A count divided by a count of other things is an average (forum participants per
    commune): its unit is a per-unit, shown to three significant figures like any ratio,
    not a count of whole things rounded to a whole number."""
    import ast

    from dbanalysis.catalogue.units import is_count

    derived = derived.reset_index()  # the module's table, not derived a second time
    unit_of = {**dict(zip(load_figures()["figure_id"], load_figures()["unit"], strict=True)),
               **dict(zip(derived["figure_id"], derived["unit"], strict=True)),
               **{f"ref_{n}": r.unit for n, r in reference.table().items()}}
    averages = []
    for r in derived.itertuples():
        node = ast.parse(r.formula, mode="eval").body
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Div) \
                and isinstance(node.left, ast.Name) and isinstance(node.right, ast.Name):
            top, bottom = unit_of[node.left.id], unit_of[node.right.id]
            if is_count(top) and is_count(bottom) and top != bottom:
                averages.append((r.figure_id, r.unit))
    assert ("d_sec_forum_participants_per_commune", "person_per_commune") in averages
    assert [a for a in averages if is_count(a[1])] == []


def test_a_periods_span_is_written_by_its_label(data_copy):
    """A derived figure's ``{span}`` (``2015–2019``) is the label year_span filled with
    the one base year (derive.ids.BASE_YEAR), not a span typed in Python: rewording the
    label rewords every derived label with a span, those of the figures declared one by
    one too (data/templates/derived.csv typed "2015–2019 (4 years)" in nine compound-growth
    labels: FINAL-A 4)."""
    from dbanalysis.derive.compute import fixed_specs, rule_instances

    def cagr() -> tuple[str, str, str]:
        i = next(i for i in rule_instances() if i.figure_id == "d_budget_revenue_cagr_5y")
        return i.label_en, i.label_vi, i.assumption_vi

    def declared() -> tuple[str, str, str]:
        s = next(s for s in fixed_specs() if s.figure_id == "d_agri_cattle_cagr_4y")
        return s.label_en, s.label_vi, s.assumption_vi

    assert declared() == ("Buffalo and cattle herd: compound annual growth, 2015–2019 (4 years)",
                          "Đàn trâu, bò: tốc độ tăng bình quân nhân/năm, giai đoạn 2015–2019 "
                          "(4 năm)", "Số liệu là của năm 2019; giai đoạn 2015–2019 (4 năm), "
                          "tính theo bình quân nhân.")
    before, declared_before = cagr(), declared()
    assert "2015–2020" in before[0] and "2015–2020" in before[2]
    path = data_copy / "vocab" / "labels.csv"
    text = path.read_text(encoding="utf-8")
    old = "\nyear_span,{start}–{end},{start}–{end},"
    assert text.count(old) == 1
    path.write_text(text.replace(old, "\nyear_span,{start} to {end},{start} đến {end},"),
                    encoding="utf-8")
    after = cagr()
    assert after == (before[0].replace("2015–2020", "2015 to 2020"),
                     *(t.replace("2015–2020", "2015 đến 2020") for t in before[1:])) != before
    assert declared() == (declared_before[0].replace("2015–2019", "2015 to 2019"), *(
        t.replace("2015–2019", "2015 đến 2019") for t in declared_before[1:]))


def test_a_figure_read_over_a_period_says_its_count_of_years_once():
    """A figure read over a period from the base year (derive.ids.SPAN_YEARS) takes its
    count of years from its reading alone: every count its id (``_4y``) and its formula
    (``** 4``, ``/ 4``, ``d_…_4y``) say is the reading's, and the formula says one. Its
    texts say the period from the reading (``{n}``, ``{span}``), so a formula typing
    another count would compute one period under the label of another (REVIEW-24A 1:
    ``reading="5_years_simple"`` beside ``/ 4`` reworded the label, value unchanged)."""
    from dbanalysis.derive.compute import fixed_specs
    from dbanalysis.derive.ids import SPAN_YEARS

    def counts(spec) -> tuple[set[int], set[int]]:
        in_formula = {node.value for node in ast.walk(ast.parse(spec.formula, mode="eval"))
                      if isinstance(node, ast.Constant) and isinstance(node.value, int)
                      and node.value not in (1, 100)}
        in_formula |= {int(n) for n in re.findall(r"_(\d+)y\b", spec.formula)}
        return {int(n) for n in re.findall(r"_(\d+)y\b", spec.figure_id)}, in_formula

    read = [s for s in fixed_specs() if s.reading in SPAN_YEARS]
    assert len(read) >= 15
    wrong = [(s.figure_id, s.reading, s.formula) for s in read
             if not (said := counts(s))[1] or said[0] | said[1] != {SPAN_YEARS[s.reading]}]
    assert wrong == []


def test_a_declared_figures_text_says_its_period_from_its_reading(data_copy):
    """The texts of a figure declared one by one say its period with ``{span}``, ``{n}``
    and ``{end}``, filled from its reading's years (derive.ids.SPAN_YEARS) from the one
    base year, never typed (FINAL-A 4: "2015–2019 (4 years)" was typed in 32 rows of
    data/templates/derived.csv). No row of a figure read over a period types a year of
    its period (its start, ``{start}``, too: REVIEW-24A 3, "change since 2015 …, {span}")
    or its count of years; a period said of a figure read over none is an
    input error naming the row."""
    from dbanalysis.catalogue import sentences
    from dbanalysis.core import validation
    from dbanalysis.derive.compute import fixed_specs
    from dbanalysis.derive.ids import BASE_YEAR, SPAN_YEARS

    period = {s.figure_id: SPAN_YEARS[s.reading] for s in fixed_specs()
              if s.reading in SPAN_YEARS}
    assert len(period) >= 15, period  # 9 compound growths, turnover, cattle's readings
    rows, _ = validation.read_rows("input/templates/derived")
    typed = [(r["template_id"], lang) for r in rows
             if (n := period.get(r["template_id"].partition(".")[0]))
             for lang, years in (("en", "years"), ("vi", "năm"))
             if str(BASE_YEAR) in r[lang] or str(BASE_YEAR + n) in r[lang]
             or re.search(rf"(?<![\d.]){n} {years}", r[lang])]
    assert typed == []
    path = data_copy / "templates" / "derived.csv"
    text = path.read_text(encoding="utf-8")
    old = '\nd_agri_cattle_2015.label,Buffalo and cattle herd in 2015,"Đàn trâu, bò năm 2015"'
    assert text.count(old) == 1
    path.write_text(text.replace(old, '\nd_agri_cattle_2015.label,Buffalo and cattle herd '
                                      '({span}),"Đàn trâu, bò ({span})"'), encoding="utf-8")
    with pytest.raises(sentences.TemplateError, match=r"d_agri_cattle_2015\.label.*\{span\} "
                       "says a period, and 'd_agri_cattle_2015' is read over none"):
        fixed_specs()


def test_a_declared_figures_texts_take_its_own_reading_by_id():
    """``declared_texts`` paired figure ids with readings by position (``zip(...,
    strict=False)``, FINAL24-A 5): two readings swapped gave d_agri_cattle_cagr_4y the
    label "2015–2020 (5 years)" with no error, and one reading missing shifted the rest
    and blamed the template table. It now takes (figure id, reading) pairs: each
    figure's texts are the same whatever the order, one left out is named alone, and an
    id given with two readings is the caller's error, named."""
    from dbanalysis.catalogue import sentences
    from dbanalysis.derive.compute import fixed_specs
    from dbanalysis.derive.ids import BASE_YEAR
    from dbanalysis.derive.specs import declared_texts

    specs = fixed_specs()
    pairs = tuple((s.figure_id, s.reading) for s in specs)
    texts = declared_texts(pairs)
    assert declared_texts(pairs[::-1]) == texts
    four = next(s for s in specs if s.figure_id == "d_agri_cattle_cagr_4y")
    said = f"{BASE_YEAR}–{BASE_YEAR + 4} (4 years)"
    assert four.reading == "4_years" and said in texts[four.figure_id][0], texts[four.figure_id]
    # one figure left out: the error names its rows only, none of its neighbours'
    with pytest.raises(sentences.TemplateError) as left_out:
        declared_texts(tuple(p for p in pairs if p[0] != four.figure_id))
    named = {p.row_id.partition(".")[0] for p in left_out.value.problems}
    assert named == {four.figure_id}, left_out.value
    with pytest.raises(ValueError, match=r"d_agri_cattle_cagr_4y.*'4_years'.*'5_years'"):
        declared_texts((*pairs, (four.figure_id, "5_years")))
