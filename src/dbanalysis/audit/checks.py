"""The audit's check families: each takes a :class:`~dbanalysis.audit.context.Context`
and returns rows of the audit table (see :mod:`dbanalysis.audit.run` for the verdicts).

A check computes its verdict and the named values its explanation needs; the
explanation itself is a template of ``data/templates/audit.csv`` (one row per check
family, verdict and language), filled by :func:`dbanalysis.catalogue.sentences.render`.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ..catalogue import formula, vocab
from ..catalogue.figure_labels import qualifier_label
from ..catalogue.figures import number_span
from ..catalogue.reference import value as ref
from ..catalogue.sentences import ByLang, Num, Phrase, Printed, Shown
from ..derive import ids, precision
from .claims import claim_checks
from .context import Context
from .context import check_row as _row
from .context import verdict_of as _ok


def _boundary(c: Context, what: str, same: bool, **result: Shown) -> Phrase:
    """The boundary caveat of a check that sets a report figure against the population
    (Resolution 815/NQ-UBTVQH14 moved communes to the city; outside knowledge, flagged,
    not applied): the phrase ``boundary.population`` of data/templates/audit.csv, with
    what the check sets against the population (``boundary.what.<what>``), the check's
    result on the population of the communes left (``boundary.result.<what>``, filled
    with ``result``: the derived figures ``d_…_21``) and whether the check's conclusion
    is the ``same`` on it (``boundary.conclusion.holds`` / ``.changes``)."""
    return Phrase("boundary.population", {
        "what": Phrase(f"boundary.what.{what}"),
        "population": c.shown("d_health_population"),
        "before": c.shown("sec_forum_communes_total"), "after": c.shown("award_communes"),
        "result": Phrase(f"boundary.result.{what}", dict(result)),
        "conclusion": Phrase(f"boundary.conclusion.{'holds' if same else 'changes'}")})


def _unit(unit: str) -> ByLang:
    return ByLang(vocab.unit_label(unit, "en"), vocab.unit_label(unit, "vi"))


def _label(c: Context, fid: str) -> ByLang:
    return ByLang(str(c.figures.loc[fid, "label_en"]), str(c.figures.loc[fid, "label_vi"]))


def _words_before(c: Context, fid: str) -> str:
    """The report's words before figure ``fid``'s number in its quote, without the colon
    or spaces that lead to the number (an award's name as the report prints it)."""
    f = c.figures.loc[fid]
    return str(f["quote"])[:number_span(f)[0] - int(f["start"])].rstrip(": ")


def _bound(c: Context, fid: str) -> ByLang:
    """A lower bound's word and a space ("trên " as the quote has it, "over " in English)
    for a figure the report qualifies as one, else empty: an explanation that writes the
    number writes the bound with it ("trên 95%"), as every table does."""
    f = c.figures.loc[fid]
    if f["qualifier"] != "over":
        return ByLang("", "")
    return ByLang(*(qualifier_label("over", lang, str(f["quote"])) + " " for lang in ("en", "vi")))


def _sum_checks(c: Context) -> list[dict]:
    out = []
    total, parts = "ind_output_total", ["ind_output_enterprises", "ind_output_households",
                                        "ind_output_processing"]
    s = " + ".join(parts)
    obs, exp = formula.evaluate(s, c.env), c.v(total)
    tol = c.tol(f"{total} - ({s})")
    verdict = _ok(abs(obs - exp) <= tol)
    out.append(_row(
        "sum_industrial_output", "sum", "industry", verdict, [total, *parts], exp, obs, tol,
        enterprises=c.shown(parts[0]), households=c.shown(parts[1]),
        processing=c.shown(parts[2]), sum=obs, total=c.shown(total), gap=obs - exp,
        tolerance=tol))
    parts = ["agri_industrial_crop_area", "agri_fruit_area"]
    s = " + ".join(parts)
    obs, bound = formula.evaluate(s, c.env), c.v("agri_sown_area")
    tol = c.tol(f"agri_sown_area - ({s})")
    out.append(_row(
        "sum_crop_areas_within_sown_area", "sum", "agriculture", _ok(obs <= bound + tol),
        ["agri_sown_area", *parts], bound, obs, tol,
        industrial=c.shown(parts[0]), fruit=c.shown(parts[1]), sum=obs,
        sown=c.shown("agri_sown_area"), tolerance=tol))
    return out


def _baseline_checks(c: Context) -> list[dict]:
    out = []
    f = c.catalogue
    changes = f[f["kind"] == "change_vs_2015"]
    for ch in changes.itertuples():
        level = f[(f["indicator"] == ch.indicator) & (f["kind"] == "level")
                  & (f["unit"] == ch.unit)]
        if level.empty:
            continue
        lv = level.iloc[0]
        derived = ids.baseline(lv["figure_id"])  # the 2015 baseline, from dbanalysis.derive.compute
        base = c.v(derived)
        tol = c.tol(derived)
        printed = c.printed(lv["figure_id"])
        value = c.shown(lv["figure_id"])
        # in Vietnamese notation the number as read may be the number as printed: said once
        same = printed == value.vi
        out.append(_row(
            f"baseline_{ch.indicator}", "baseline", ch.sector, _ok(base > -tol),
            [lv["figure_id"], ch.figure_id, derived], 0.0, base, tol,
            "baseline.once" if same else "baseline",
            label=_label(c, lv["figure_id"]), printed=printed, value=value,
            unit=_unit(ch.unit), change=c.shown(ch.figure_id), base=c.shown(derived)))
    # the corrected reading of the poultry flock
    if "d_agri_poultry_2015_million" in c.env:
        base = c.v("d_agri_poultry_2015_million")
        tol = c.tol("d_agri_poultry_2015_million")
        out.append(_row(
            "baseline_poultry_flock_in_millions", "baseline", "agriculture", _ok(base > -tol),
            ["agri_poultry", "agri_poultry_change", ids.corrected('agri_poultry'),
             "d_agri_poultry_2015_million"], 0.0, base, tol,
            corrected=c.shown(ids.corrected('agri_poultry')),
            change=c.shown("agri_poultry_change"), base=c.shown("d_agri_poultry_2015_million"),
            cagr=c.shown(ids.cagr('agri_poultry', 4))))
    return out


def _commune_checks(c: Context) -> list[dict]:
    out = []
    district = "award_communes"
    n = c.v(district)
    f = c.catalogue
    totals = f[((f["unit"] == "commune") & (f["kind"] == "total")) | (
        (f["unit"] == "health_station") & (f["kind"] == "total"))]
    # a total that is the district's communes plus those moved to the city (Resolution
    # 815/NQ-UBTVQH14 of November 2019; outside knowledge, data/reference.csv) may be the
    # count before the move: two readings, as the report dates neither count
    before = n + ref("communes_moved_to_city")
    for t in totals.itertuples():
        if t.figure_id == district:
            continue
        verdict = ("consistent" if t.value == n else "ambiguous" if t.value == before
                   else "inconsistent")
        out.append(_row(
            f"communes_{t.figure_id}", "cross_reference", t.sector, verdict,
            [t.figure_id, district], n, t.value, 0.0, "communes_total",
            quote=t.quote, value=c.shown(t.figure_id), district=c.shown(district),
            printed=c.printed(district),
            what=Phrase("noun.communes" if t.unit == "commune" else "noun.commune_stations")))
    met, near = c.v("nr_communes_met"), c.v("nr_communes_near")
    out.append(_row(
        "communes_new_rural_within_district", "cross_reference", "new_rural",
        _ok(met + near <= n),
        ["nr_communes_met", "nr_communes_near", district], n, met + near, 0.0,
        met=c.shown("nr_communes_met"), near=c.shown("nr_communes_near"), sum=met + near,
        district=c.shown(district)))
    have, pending = c.v("health_communes_with_station"), c.v("health_communes_station_pending")
    out.append(_row(
        "communes_health_station_built_plus_pending", "sum", "health", _ok(have + pending == n),
        ["health_communes_with_station", "health_communes_station_pending", district], n,
        have + pending, 0.0, have=c.shown("health_communes_with_station"),
        pending=c.shown("health_communes_station_pending"), sum=have + pending,
        district=c.shown(district)))
    return out


def _growth_checks(c: Context) -> list[dict]:
    stated = c.v("agri_cattle_growth")
    tol_s = c.half["agri_cattle_growth"]
    readings = {r: ids.cagr("agri_cattle", n) for r, n in ids.PERIOD_YEARS.items()}
    vals = {r: c.v(i) for r, i in readings.items()}
    tols = {r: tol_s + c.tol(i) for r, i in readings.items()}
    fits = [r for r in readings if abs(vals[r] - stated) <= tols[r]]
    # read as the arithmetic mean of yearly rates (the common meaning of 'tốc độ tăng bình
    # quân' in district reports), a rate is possible whenever it is at least the compound
    # rate over the same years (the mean of yearly rates is never below it), and the yearly
    # herds are not reported: two readings, unless the stated rate is below both
    mean_possible = any(stated + tols[r] >= vals[r] for r in readings)
    verdict = ("consistent" if fits else "ambiguous" if mean_possible else "inconsistent")
    return [_row("growth_cattle", "growth", "agriculture", verdict,
                 ["agri_cattle_growth", "agri_cattle", "agri_cattle_change",
                  ids.cagr('agri_cattle', 4), ids.cagr('agri_cattle', 5)],
                 stated, vals["4_years"], tols["4_years"],
                 herd=c.shown("agri_cattle"), change=c.shown("agri_cattle_change"),
                 base=c.shown(ids.baseline("agri_cattle")), cagr4=c.shown(readings["4_years"]),
                 cagr5=c.shown(readings["5_years"]), stated=c.shown("agri_cattle_growth"),
                 simple=c.shown("d_agri_cattle_simple_4y"),
                 fits=Phrase("reading." + "_".join(fits or ["none"])))]


def _target_checks(c: Context) -> list[dict]:
    out = []
    specs = [("d_culture_villages_target_district", "culture_villages",
              "culture_villages_vs_district", "villages", "district"),
             ("d_culture_villages_target_province", "culture_villages",
              "culture_villages_vs_province", "villages", "province"),
             ("d_culture_families_target_district", "culture_families",
              "culture_families_vs_district", "families", "district"),
             ("d_culture_families_target_province", "culture_families",
              "culture_families_vs_province", "families", "province")]
    # '19/21 … có bác sỹ, đạt 100% NQ' is not checked this way: the resolution's target
    # may be a share, and any count at 100% implies itself (a check that cannot fail).
    for tid, count, pct, noun, who in specs:
        t = c.v(tid)
        tol = c.tol(tid)
        dist = abs(t - round(t))
        verdict = "unverifiable" if tol >= 0.5 else _ok(dist <= tol)
        out.append(_row(
            f"target_{tid.removeprefix(ids.PREFIX)}", "target", c.sector(count), verdict,
            [count, pct, tid], round(t), t, tol, "target",
            count=c.shown(count), noun=Phrase(f"noun.{noun}"), pct=Printed(c.printed(pct)),
            who=Phrase(f"target.{who}"), target=c.shown(tid), computed=t, whole=round(t),
            dist=dist, tolerance=tol, half=c.half[pct], target_low=t - tol,
            target_high=t + tol))
    return out


def _ambiguity_checks(c: Context) -> list[dict]:
    rate = c.v("labour_poverty_rate")
    pp, rel = c.v("d_labour_poverty_rate_2015_pp"), c.v("d_labour_poverty_rate_2015_relative")
    valid = [x for x in (pp, rel) if rate < x <= 100]
    verdict = ("ambiguous" if len(valid) == 2 else "consistent" if len(valid) == 1
               else "inconsistent")
    return [_row(
        "poverty_change_reading", "ambiguity", "labour", verdict,
        ["labour_poverty_rate", "labour_poverty_change", "d_labour_poverty_rate_2015_pp",
         "d_labour_poverty_rate_2015_relative"], math.nan, pp,
        c.tol("d_labour_poverty_rate_2015_pp"),
        rate=c.shown("labour_poverty_rate"), change=c.shown("labour_poverty_change"),
        pp=c.shown("d_labour_poverty_rate_2015_pp"),
        relative=c.shown("d_labour_poverty_rate_2015_relative"))]


def _plausibility_checks(c: Context) -> list[dict]:
    out = []
    pop = c.v("d_health_population")
    f = c.catalogue
    independent = f[(f["unit"] == "person") & f["indicator"].str.contains("population")]
    out.append(_row(
        "population_from_doctor_density", "ratio", "health",
        "unverifiable" if independent.empty else "consistent",
        ["health_doctors", "health_doctor_density", "d_health_population"], math.nan, pop,
        c.tol("d_health_population"),
        doctors=c.shown("health_doctors"), density=c.shown("health_doctor_density"),
        population=c.shown("d_health_population"), low=c.shown("d_health_population_low"),
        high=c.shown("d_health_population_high")))
    y = c.v("d_agri_food_yield_per_sown_ha")
    most = ref("max_grain_tonnes_per_sown_ha")
    ok = 0 < y <= most
    ok_21 = 0 < c.v("d_agri_food_yield_per_sown_ha_21") <= most  # on the 21 communes' people
    out.append(_row(
        "plausibility_grain_output", "plausibility", "agriculture",
        "consistent" if ok else "ambiguous",
        ["agri_food_per_head", "d_health_population", "d_agri_food_output", "agri_sown_area",
         "d_agri_food_yield_per_sown_ha", "d_agri_food_output_21",
         "d_agri_food_yield_per_sown_ha_21"], most, y,
        c.tol("d_agri_food_yield_per_sown_ha"),
        per_head=c.shown("agri_food_per_head"), population=c.shown("d_health_population"),
        grain=c.shown("d_agri_food_output"), yield_=c.shown("d_agri_food_yield_per_sown_ha"),
        most=most, boundary=_boundary(c, "grain", ok_21 == ok,
                                      yield_=c.shown("d_agri_food_yield_per_sown_ha_21"))))
    share = c.v("d_budget_revenue_share_of_ind_output")  # percent
    ceiling = ref("own_revenue_share_ceiling")  # percent
    high = share > ceiling
    out.append(_row(
        "plausibility_budget_per_head", "plausibility", "budget",
        "ambiguous" if high else "consistent",
        ["budget_revenue", "d_health_population", "d_budget_revenue_per_head",
         "ind_output_total", "d_budget_revenue_share_of_ind_output"], ceiling, share, math.nan,
        revenue=c.shown("budget_revenue"), per_head=c.shown("d_budget_revenue_per_head"),
        share=c.shown("d_budget_revenue_share_of_ind_output"), ceiling=ceiling))
    hh = c.v("d_persons_per_household")
    lo, hi = ref("household_size_min"), ref("household_size_max")
    ok = lo <= hh <= hi
    ok_21 = lo <= c.v("d_persons_per_household_21") <= hi  # on the 21 communes' people
    out.append(_row(
        "plausibility_household_size", "plausibility", "security",
        "consistent" if ok else "ambiguous",
        ["d_health_population", "sec_households_pledged", "d_persons_per_household",
         "d_persons_per_household_21"],
        math.nan, hh, c.tol("d_persons_per_household"),
        population=c.shown("d_health_population"),
        households=c.shown("sec_households_pledged"), size=c.shown("d_persons_per_household"),
        # the same division over the population's range (its low and high readings)
        size_low=_per_household(c, "d_health_population_low"),
        size_high=_per_household(c, "d_health_population_high"),
        low=lo, high=hi, boundary=_boundary(c, "household", ok_21 == ok,
                                            size=c.shown("d_persons_per_household_21"))))
    return out


def _per_household(c: Context, population: str) -> Num:
    """People per household with ``population`` in place of the central population (the
    formula of ``d_persons_per_household``, another reading of it), at that figure's
    precision."""
    return Num(c.v(population) / c.v("sec_households_pledged"),
               max(precision.decimals("d_persons_per_household"), 0))


def _range_checks(c: Context) -> list[dict]:
    out = []
    f = c.catalogue
    # pairs that share a quote: low/high and count/total
    # 'sanity' checks: a low bound within its high bound, a count within its total.
    # They can fail (a misprint would show), but they test little: summary_line
    # reports how many of the checks are of this kind.
    for lo_kind, hi_kind, cat in (("range_low", "range_high", "range"),
                                  ("count", "total", "ratio")):
        for lo in f[f["kind"] == lo_kind].itertuples():
            hi = f[(f["kind"] == hi_kind) & (f["quote"] == lo.quote)]
            if hi.empty:
                continue
            h = hi.iloc[0]
            out.append(_row(
                f"{cat}_{lo.figure_id}", "sanity", lo.sector, _ok(lo.value <= h["value"]),
                [lo.figure_id, h["figure_id"]],
                h["value"], lo.value, 0.0, f"sanity_{cat}",
                quote=lo.quote, low=c.shown(lo.figure_id), high=c.shown(h["figure_id"]),
                unit=_unit(lo.unit)))
    hi = c.v("nr_criteria_high")
    criteria = ref("national_new_rural_criteria")
    out.append(_row(
        "range_new_rural_criteria", "range", "new_rural", _ok(hi <= criteria),
        ["nr_criteria_low", "nr_criteria_high"], criteria, hi, 0.0,
        low=c.shown("nr_criteria_low"), high=c.shown("nr_criteria_high"), criteria=criteria))
    for s in f[(f["unit"] == "percent") & (f["kind"] == "share")].itertuples():
        out.append(_row(
            f"range_share_{s.figure_id}", "sanity", s.sector, _ok(s.value <= 100),
            [s.figure_id], 100.0, s.value, c.half[s.figure_id], "range_share",
            label=_label(c, s.figure_id), bound=_bound(c, s.figure_id),
            printed=Printed(c.printed(s.figure_id))))
    above, qual = c.v("edu_teachers_above_standard"), c.v("edu_teachers_qualified")
    out.append(_row(
        "range_teachers_above_within_qualified", "sanity", "education", _ok(above <= qual),
        ["edu_teachers_above_standard", "edu_teachers_qualified"], qual, above, 0.0,
        above=c.shown("edu_teachers_above_standard"),
        qualified=c.shown("edu_teachers_qualified")))
    lo, hi = c.v("d_culture_sport_share_low"), c.v("d_culture_sport_share_high")
    ok = 0 <= lo <= hi <= 100
    lo_21, hi_21 = c.v("d_culture_sport_share_low_21"), c.v("d_culture_sport_share_high_21")
    out.append(_row(
        "range_sport_share_of_population", "range", "culture", _ok(ok),
        ["culture_sport_people_low", "culture_sport_people_high", "d_health_population",
         "d_culture_sport_share_low_21", "d_culture_sport_share_high_21"], 100.0,
        hi, c.tol("d_culture_sport_share_high"),
        people_low=c.shown("culture_sport_people_low"),
        people_high=c.shown("culture_sport_people_high"),
        low=c.shown("d_culture_sport_share_low"), high=c.shown("d_culture_sport_share_high"),
        population=c.shown("d_health_population"),
        boundary=_boundary(c, "sport", (0 <= lo_21 <= hi_21 <= 100) == ok,
                           low=c.shown("d_culture_sport_share_low_21"),
                           high=c.shown("d_culture_sport_share_high_21"))))
    return out


def _subset_checks(c: Context) -> list[dict]:
    # Expectations from the 2013 Law on Emulation and Commendation and its decrees, not
    # rules of arithmetic: category 'plausibility'. Not compared: stations with a doctor
    # vs communes with a building (not necessarily the same communes), and excellent vs
    # advanced labour collectives (a collective given the higher title is normally not
    # counted for the lower one in the same year). The names and the reason of each pair
    # are in the template subset_<first id>.
    pairs = [
        ("award_grassroots_emulation_fighters", "award_advanced_labour_individual"),
        ("award_prov_flag", "award_excellent_labour_collective"),
        ("award_gov_flag", "award_prov_flag"),
        ("d_awards_national", "d_awards_provincial"),
        ("d_awards_provincial", "d_awards_district"),
    ]
    out = []
    for a, b in pairs:
        va, vb = c.v(a), c.v(b)
        key = f"subset_{a.removeprefix(ids.PREFIX)}"
        # the report's name of a catalogued award, quoted in both editions: its own words
        # before the number in its quote («Cờ Thi đua xuất sắc của UBND tỉnh: 32 tập thể»)
        named = {} if ids.is_derived(a) else {"report_name": ByLang(*[_words_before(c, a)] * 2)}
        out.append(_row(key, "plausibility", "awards", _ok(va <= vb), [a, b], vb, va, 0.0,
                        a=c.shown(a), b=c.shown(b), **named))
    return out


def _unverifiable_checks(c: Context) -> list[dict]:
    f = c.catalogue
    out = []
    other = f[(f["indicator"] == "trade_turnover") & (f["kind"] == "level")
              & (f["figure_id"] != "trade_turnover")]
    out.append(_row(
        "growth_trade_turnover", "growth", "trade",
        "unverifiable" if other.empty else "consistent",
        ["trade_turnover", "trade_turnover_growth", "d_trade_turnover_2015_4y",
         "d_trade_turnover_2015_5y"], math.nan, c.v("d_trade_turnover_2015_4y"), math.nan,
        turnover=c.shown("trade_turnover"), growth=c.shown("trade_turnover_growth"),
        base4=c.shown("d_trade_turnover_2015_4y"), base5=c.shown("d_trade_turnover_2015_5y")))
    other = f[(f["indicator"] == "budget_revenue") & (f["unit"] == "billion_vnd")
              & (f["figure_id"] != "budget_revenue")]
    out.append(_row(
        "budget_plan_and_2015", "target", "budget",
        "unverifiable" if other.empty else "consistent",
        ["budget_revenue", "budget_revenue_vs_plan", "budget_revenue_change",
         "d_budget_revenue_plan", ids.baseline('budget_revenue')], math.nan,
        c.v("d_budget_revenue_plan"), c.tol("d_budget_revenue_plan"),
        revenue=c.shown("budget_revenue"), pct=Printed(c.printed("budget_revenue_vs_plan")),
        plan=c.shown("d_budget_revenue_plan"), change=c.shown("budget_revenue_change"),
        base=c.shown(ids.baseline('budget_revenue'))))
    water = c.v("d_infra_villages_water")
    tol = c.tol("d_infra_villages_water")
    dist = abs(water - round(water))
    verdict = "unverifiable" if tol >= 0.5 else _ok(dist <= tol)
    out.append(_row(
        "ratio_villages_with_water", "ratio", "infrastructure", verdict,
        ["infra_villages_water", "culture_villages_total", "d_infra_villages_water"],
        round(water), water, tol,
        share=c.shown("infra_villages_water"), villages=c.shown("culture_villages_total"),
        water=c.shown("d_infra_villages_water"), computed=water, tolerance=tol))
    return out


CHECKS: list[Callable[[Context], list[dict]]] = [
    _sum_checks, _baseline_checks, _commune_checks, _growth_checks, _target_checks,
    _ambiguity_checks, _plausibility_checks, _range_checks, _subset_checks,
    _unverifiable_checks, claim_checks,
]
