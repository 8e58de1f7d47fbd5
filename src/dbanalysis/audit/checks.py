"""The audit's check families: each takes a :class:`~dbanalysis.audit.context.Context`
and returns rows of the audit table (see :mod:`dbanalysis.audit.run` for the verdicts)."""

from __future__ import annotations

import math
from collections.abc import Callable

from ..catalogue import formula, vocab
from ..catalogue.reference import value as ref
from ..derive import ids
from .claims import claim_checks
from .context import Context
from .context import check_row as _row
from .context import fmt as _fmt
from .context import verdict_of as _ok


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
        f"The three parts of industrial and handicraft output (enterprises "
        f"{_fmt(c.v(parts[0]))}, household businesses {_fmt(c.v(parts[1]))}, other processing "
        f"{_fmt(c.v(parts[2]))} billion VND) add up to {_fmt(obs)} billion VND; the stated total "
        f"is {_fmt(exp)} billion VND"
        + (" — they agree." if verdict == "consistent" else
           f" — a gap of {_fmt(obs - exp)} billion VND, more than rounding ({_fmt(tol, 1)}) "
           "explains.")))
    parts = ["agri_industrial_crop_area", "agri_fruit_area"]
    s = " + ".join(parts)
    obs, bound = formula.evaluate(s, c.env), c.v("agri_sown_area")
    tol = c.tol(f"agri_sown_area - ({s})")
    out.append(_row(
        "sum_crop_areas_within_sown_area", "sum", "agriculture", _ok(obs <= bound + tol),
        ["agri_sown_area", *parts], bound, obs, tol,
        f"Industrial crops ({_fmt(c.v(parts[0]), 2)} ha) and fruit trees "
        f"({_fmt(c.v(parts[1]), 2)} ha) together cover {_fmt(obs, 2)} ha, "
        f"{'within' if obs <= bound + tol else 'more than'} the {_fmt(bound, 2)} ha sown in all."))
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
        unit = vocab.unit_label(ch.unit)
        ok = base > -tol

        def d(x):
            return 3 if x < 10 else 0 if x == int(x) else 2

        out.append(_row(
            f"baseline_{ch.indicator}", "baseline", ch.sector, _ok(ok),
            [lv["figure_id"], ch.figure_id, derived], 0.0, base, tol,
            f"{lv['label_en']} is printed as {c.printed(lv['figure_id'])} (in Vietnamese "
            f"notation: {_fmt(lv['value'], d(lv['value']))} {unit}) and rose by "
            f"{_fmt(ch.value, d(ch.value))} {unit} since 2015, so the 2015 value "
            f"{'was' if ok else 'would have been'} "
            # the 2015 value is as precise as the coarser of the two printed numbers
            f"{_fmt(base, min(d(lv['value']), d(ch.value)))} {unit}"
            + (" — a positive, possible starting point." if ok else
               " — a negative number, which is impossible: the level and the change cannot "
               "both be right as printed.")))
    # the corrected reading of the poultry flock
    if "d_agri_poultry_2015_million" in c.env:
        base = c.v("d_agri_poultry_2015_million")
        tol = c.tol("d_agri_poultry_2015_million")
        out.append(_row(
            "baseline_poultry_flock_in_millions", "baseline", "agriculture", _ok(base > -tol),
            ["agri_poultry", "agri_poultry_change", ids.corrected('agri_poultry'),
             "d_agri_poultry_2015_million"], 0.0, base, tol,
            f"Read as {_fmt(c.v(ids.corrected('agri_poultry')))} head (the declared correction: "
            f"'triệu', million, dropped), the flock rose by {_fmt(c.v('agri_poultry_change'))} "
            f"from {_fmt(base)} in 2015, a compound growth of "
            f"{_fmt(c.v(ids.cagr('agri_poultry', 4)), 1)}% a year over 4 years."))
    return out


def _commune_checks(c: Context) -> list[dict]:
    out = []
    district = "award_communes"
    n = c.v(district)
    f = c.catalogue
    totals = f[((f["unit"] == "commune") & (f["kind"] == "total")) | (
        (f["unit"] == "health_station") & (f["kind"] == "total"))]
    for t in totals.itertuples():
        if t.figure_id == district:
            continue
        ok = t.value == n
        out.append(_row(
            f"communes_{t.figure_id}", "cross_reference", t.sector, _ok(ok),
            [t.figure_id, district], n, t.value, 0.0,
            f"'{t.quote}' implies {_fmt(t.value)} "
            f"{'communes' if t.unit == 'commune' else 'commune health stations (one per commune)'}"
            f"; the district has {_fmt(n)} communes ('UBND {c.printed(district)} xã')"
            + (" — they agree." if ok else
               f" — {_fmt(t.value)} is not {_fmt(n)}: the report states both, so as printed "
               "they disagree; most likely a denominator from a different (earlier) boundary "
               "or a typo, which the report does not say.")))
    met, near = c.v("nr_communes_met"), c.v("nr_communes_near")
    ok = met + near <= n
    out.append(_row(
        "communes_new_rural_within_district", "cross_reference", "new_rural", _ok(ok),
        ["nr_communes_met", "nr_communes_near", district], n, met + near, 0.0,
        f"{_fmt(met)} communes meeting the new-rural standard plus {_fmt(near)} close to it "
        f"make {_fmt(met + near)}, {'within' if ok else 'more than'} the district's "
        f"{_fmt(n)} communes."))
    have, pending = c.v("health_communes_with_station"), c.v("health_communes_station_pending")
    ok = have + pending == n
    out.append(_row(
        "communes_health_station_built_plus_pending", "sum", "health", _ok(ok),
        ["health_communes_with_station", "health_communes_station_pending", district], n,
        have + pending, 0.0,
        f"{_fmt(have)} communes with a health station building plus {_fmt(pending)} with "
        f"station construction funded, expected to open by end-2020, make "
        f"{_fmt(have + pending)}"
        + (f", exactly the district's {_fmt(n)} communes." if ok
           else f", not the district's {_fmt(n)} communes.")))
    return out


def _growth_checks(c: Context) -> list[dict]:
    stated = c.v("agri_cattle_growth")
    tol_s = c.half["agri_cattle_growth"]
    readings = {"4_years": ids.cagr('agri_cattle', 4), "5_years": ids.cagr('agri_cattle', 5)}
    vals = {r: c.v(i) for r, i in readings.items()}
    tols = {r: tol_s + c.tol(i) for r, i in readings.items()}
    fits = [r for r in readings if abs(vals[r] - stated) <= tols[r]]
    verdict = "consistent" if fits else "inconsistent"
    simple = c.v("d_agri_cattle_simple_4y")
    expl = (
        f"The herd of {_fmt(c.v('agri_cattle'))} head, up {_fmt(c.v('agri_cattle_change'))} "
        f"since 2015, started from {_fmt(c.v(ids.baseline('agri_cattle')))}. That is a "
        f"compound growth of {_fmt(vals['4_years'], 2)}% a year over 4 years (2015→2019) or "
        f"{_fmt(vals['5_years'], 2)}% over 5 years (2015→2020); the report states "
        f"{_fmt(stated, 2)}%. ")
    expl += (f"It fits the {' and '.join(r.replace('_', ' ') for r in fits)} reading."
             if fits else
             f"Neither reading matches (even simple, uncompounded growth over 4 years gives "
             f"{_fmt(simple, 2)}%): the stated rate is not reproducible from the stated "
             "levels. That does not prove an error: an average of yearly rates that swung "
             "widely could give it, and the yearly herd sizes are not reported.")
    return [_row("growth_cattle", "growth", "agriculture", verdict,
                 ["agri_cattle_growth", "agri_cattle", "agri_cattle_change",
                  ids.cagr('agri_cattle', 4), ids.cagr('agri_cattle', 5)],
                 stated, vals["4_years"], tols["4_years"], expl)]


def _target_checks(c: Context) -> list[dict]:
    out = []
    specs = [("d_culture_villages_target_district", "culture_villages",
              "culture_villages_vs_district", "villages", "district"),
             ("d_culture_villages_target_province", "culture_villages",
              "culture_villages_vs_province", "villages", "provincial"),
             ("d_culture_families_target_district", "culture_families",
              "culture_families_vs_district", "families", "district"),
             ("d_culture_families_target_province", "culture_families",
              "culture_families_vs_province", "families", "provincial")]
    # '19/21 … có bác sỹ, đạt 100% NQ' is not checked this way: the resolution's target
    # may be a share, and any count at 100% implies itself (a check that cannot fail).
    for tid, count, pct, noun, who in specs:
        t = c.v(tid)
        tol = c.tol(tid)
        dist = abs(t - round(t))
        if tol >= 0.5:
            verdict = "unverifiable"
            tail = (f"the percentage is printed too coarsely (±{_fmt(c.half[pct], 3)}) to tell: "
                    f"any target within ±{_fmt(tol, 2)} fits, and every number is within 0.5 of "
                    "a whole number.")
        else:
            verdict = _ok(dist <= tol)
            tail = (f"{_fmt(dist, 4)} from the whole number {_fmt(round(t))}, within the "
                    f"±{_fmt(tol, 4)} that rounding of the printed percentage allows."
                    if dist <= tol else
                    f"{_fmt(dist, 4)} from the nearest whole number, more than the "
                    f"±{_fmt(tol, 4)} that rounding of the printed percentage allows: a target "
                    f"must be a whole number of {noun}.")
        out.append(_row(
            f"target_{tid.removeprefix(ids.PREFIX)}", "target", c.sector(count), verdict,
            [count, pct, tid], round(t), t, tol,
            f"{_fmt(c.v(count))} {noun} at {c.printed(pct).replace(',', '.')}% of the {who} "
            f"target imply a target of about {_fmt(round(t))} {noun} (computed: {_fmt(t, 3)}); "
            + tail))
    return out


def _ambiguity_checks(c: Context) -> list[dict]:
    rate, change = c.v("labour_poverty_rate"), c.v("labour_poverty_change")
    pp, rel = c.v("d_labour_poverty_rate_2015_pp"), c.v("d_labour_poverty_rate_2015_relative")
    valid = [x for x in (pp, rel) if rate < x <= 100]
    verdict = ("ambiguous" if len(valid) == 2 else "consistent" if len(valid) == 1
               else "inconsistent")
    return [_row(
        "poverty_change_reading", "ambiguity", "labour", verdict,
        ["labour_poverty_rate", "labour_poverty_change", "d_labour_poverty_rate_2015_pp",
         "d_labour_poverty_rate_2015_relative"], math.nan, pp,
        c.tol("d_labour_poverty_rate_2015_pp"),
        f"The poverty rate is {_fmt(rate, 2)}%, 'down {_fmt(change, 2)}% since 2015'. Read as "
        f"percentage points, the 2015 rate was {_fmt(pp, 2)}%; read as a relative fall, it was "
        f"{_fmt(rel, 2)}%. "
        + ("Both are possible 2015 rates (each above the 2019 rate and below 100%), so the "
           "report's figure cannot be pinned down." if verdict == "ambiguous" else
           "Only one reading gives a possible 2015 rate.")
    )]


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
        f"{_fmt(c.v('health_doctors'))} doctors at {_fmt(c.v('health_doctor_density'), 1)} per "
        f"10,000 people imply a population of about {_fmt(pop)} "
        f"(±{_fmt(c.tol('d_health_population'))} from rounding of the density). The report "
        "gives no population to compare with."))
    grain, y = c.v("d_agri_food_output"), c.v("d_agri_food_yield_per_sown_ha")
    most = ref("max_grain_tonnes_per_sown_ha")
    ok = 0 < y <= most
    out.append(_row(
        "plausibility_grain_output", "plausibility", "agriculture",
        "consistent" if ok else "ambiguous",
        ["agri_food_per_head", "d_health_population", "d_agri_food_output", "agri_sown_area",
         "d_agri_food_yield_per_sown_ha"], most, y,
        c.tol("d_agri_food_yield_per_sown_ha"),
        f"{_fmt(c.v('agri_food_per_head'))} kg of grain per head for about {_fmt(pop)} people is "
        f"about {_fmt(grain)} tonnes a year, or at least {_fmt(y, 1)} t per sown hectare "
        f"(if every sown hectare grew grain); "
        + (f"that is below the {_fmt(most)} t/ha a good rice harvest "
           "reaches (outside knowledge), so it is possible for this rice-growing valley." if ok
           else
           f"that exceeds the {_fmt(most)} t/ha of a very good rice "
           "harvest (outside knowledge): the grain or population figure is doubtful.")))
    per_head = c.v("d_budget_revenue_per_head")
    share = c.v("budget_revenue") / c.v("ind_output_total")
    ceiling = ref("own_revenue_share_ceiling")  # percent
    high = share * 100 > ceiling
    out.append(_row(
        "plausibility_budget_per_head", "plausibility", "budget",
        "ambiguous" if high else "consistent",
        ["budget_revenue", "d_health_population", "d_budget_revenue_per_head",
         "ind_output_total"], ceiling, share * 100, math.nan,
        f"Budget revenue of {_fmt(c.v('budget_revenue'), 3)} billion VND is about "
        f"{_fmt(per_head, 1)} million VND per head, {_fmt(share * 100)}% of the district's "
        f"whole industrial output. "
        + (f"That is far too much for the district's own tax collections (above the "
           f"{_fmt(ceiling)}% ceiling, outside knowledge); it is plausible only as total revenue "
           "including transfers from the province, which the report does not say." if high else
           f"That is plausible for a district's own collections (within the {_fmt(ceiling)}% "
           "ceiling, outside knowledge).")))
    hh = c.v("d_persons_per_household")
    lo, hi = ref("household_size_min"), ref("household_size_max")
    ok = lo <= hh <= hi
    out.append(_row(
        "plausibility_household_size", "plausibility", "security",
        "consistent" if ok else "ambiguous",
        ["d_health_population", "sec_households_pledged", "d_persons_per_household"],
        math.nan, hh, c.tol("d_persons_per_household"),
        f"About {_fmt(pop)} people in {_fmt(c.v('sec_households_pledged'))} households that "
        f"signed the security pledge is {_fmt(hh, 2)} people per household at most, "
        + (f"within the usual {lo}-{hi} for a rural mountain district (outside knowledge)."
           if ok else f"outside the usual {lo}-{hi} (outside knowledge): the population or the "
           "household count is doubtful.")))
    return out


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
            ok = lo.value <= h["value"]
            unit = vocab.unit_label(lo.unit)
            what = ("lower bound" if cat == "range" else "count")
            out.append(_row(
                f"{cat}_{lo.figure_id}", "sanity", lo.sector, _ok(ok),
                [lo.figure_id, h["figure_id"]],
                h["value"], lo.value, 0.0,
                f"In '{lo.quote}' the {what} {_fmt(lo.value)} is "
                f"{'at most' if ok else 'larger than'} the "
                f"{'upper bound' if cat == 'range' else 'total'} {_fmt(h['value'])} ({unit})."))
    hi = c.v("nr_criteria_high")
    criteria = ref("national_new_rural_criteria")
    ok = hi <= criteria
    out.append(_row(
        "range_new_rural_criteria", "range", "new_rural", _ok(ok),
        ["nr_criteria_low", "nr_criteria_high"], criteria, hi, 0.0,
        f"Communes 'basically meeting' the new-rural standard meet {_fmt(c.v('nr_criteria_low'))}"
        f" to {_fmt(hi)} criteria, {'within' if ok else 'more than'} the "
        f"{criteria} criteria of the national set (not stated in the report: outside "
        "knowledge)."))
    for s in f[(f["unit"] == "percent") & (f["kind"] == "share")].itertuples():
        ok = s.value <= 100
        out.append(_row(
            f"range_share_{s.figure_id}", "sanity", s.sector, _ok(ok), [s.figure_id], 100.0,
            s.value, c.half[s.figure_id],
            f"{s.label_en}: {c.printed(s.figure_id).replace(',', '.')}% is "
            f"{'a possible share (at most 100%)' if ok else 'more than 100%, impossible'}."))
    above, qual = c.v("edu_teachers_above_standard"), c.v("edu_teachers_qualified")
    ok = above <= qual
    out.append(_row(
        "range_teachers_above_within_qualified", "sanity", "education", _ok(ok),
        ["edu_teachers_above_standard", "edu_teachers_qualified"], qual, above, 0.0,
        f"{_fmt(above)}% of teachers above the qualification standard is "
        f"{'within' if ok else 'more than'} the {_fmt(qual)}% who meet it."))
    lo, hi = c.v("d_culture_sport_share_low"), c.v("d_culture_sport_share_high")
    ok = 0 <= lo <= hi <= 100
    out.append(_row(
        "range_sport_share_of_population", "range", "culture", _ok(ok),
        ["culture_sport_people_low", "culture_sport_people_high", "d_health_population"], 100.0,
        hi, c.tol("d_culture_sport_share_high"),
        f"{_fmt(c.v('culture_sport_people_low'))}-{_fmt(c.v('culture_sport_people_high'))} "
        f"people exercising regularly are {_fmt(lo, 1)}-{_fmt(hi, 1)}% of about "
        f"{_fmt(c.v('d_health_population'))} "
        f"people, {'a possible share' if ok else 'an impossible share'}."))
    return out


def _subset_checks(c: Context) -> list[dict]:
    # Expectations from the 2013 Law on Emulation and Commendation and its decrees, not
    # rules of arithmetic: category 'plausibility'. Not compared: stations with a doctor
    # vs communes with a building (not necessarily the same communes), and excellent vs
    # advanced labour collectives (a collective given the higher title is normally not
    # counted for the lower one in the same year).
    pairs = [
        ("awards", "award_grassroots_emulation_fighters", "award_advanced_labour_individual",
         "grassroots emulation fighters", "individuals titled 'advanced labour'",
         "expected: the fighter title requires meeting the advanced-labour standard"),
        ("awards", "award_prov_flag", "award_excellent_labour_collective",
         "provincial emulation flags", "'excellent labour' collectives",
         "expected: a provincial flag goes to the best of the excellent collectives"),
        ("awards", "award_gov_flag", "award_prov_flag", "Government emulation flags",
         "provincial emulation flags",
         "expected: the Government flag goes to the best of the flag holders"),
        ("awards", "d_awards_national", "d_awards_provincial", "national awards",
         "provincial awards", "expected: higher-level awards are rarer"),
        ("awards", "d_awards_provincial", "d_awards_district", "provincial awards",
         "district awards", "expected: higher-level awards are rarer"),
    ]
    out = []
    for sector, a, b, na, nb, why in pairs:
        va, vb = c.v(a), c.v(b)
        ok = va <= vb
        cat = "plausibility"
        out.append(_row(
            f"subset_{a.removeprefix(ids.PREFIX)}", cat, sector, _ok(ok), [a, b], vb, va, 0.0,
            f"{_fmt(va)} {na} should be no more than {_fmt(vb)} {nb} ({why}, not a rule "
            "of arithmetic): " + ("they are." if ok else "they are not.")))
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
        f"Turnover of {_fmt(c.v('trade_turnover'))} billion VND growing "
        f"{_fmt(c.v('trade_turnover_growth'))}% a year implies "
        f"{_fmt(c.v('d_trade_turnover_2015_4y'))} billion VND in 2015 if the turnover is for 2019 "
        f"(4 years) or {_fmt(c.v('d_trade_turnover_2015_5y'))} if it is for 2020 (5 years). The "
        "report states neither the turnover's year nor any earlier turnover, so the rate cannot "
        "be checked."))
    other = f[(f["indicator"] == "budget_revenue") & (f["unit"] == "billion_vnd")
              & (f["figure_id"] != "budget_revenue")]
    out.append(_row(
        "budget_plan_and_2015", "target", "budget",
        "unverifiable" if other.empty else "consistent",
        ["budget_revenue", "budget_revenue_vs_plan", "budget_revenue_change",
         "d_budget_revenue_plan", ids.baseline('budget_revenue')], math.nan,
        c.v("d_budget_revenue_plan"), c.tol("d_budget_revenue_plan"),
        f"Revenue of {_fmt(c.v('budget_revenue'), 3)} billion VND at "
        f"{c.printed('budget_revenue_vs_plan').replace(',', '.')}% of plan implies a plan of "
        f"about {_fmt(c.v('d_budget_revenue_plan'))} billion VND; 'up "
        f"{_fmt(c.v('budget_revenue_change'))}% on 2015' implies about "
        f"{_fmt(c.v(ids.baseline('budget_revenue')))} billion VND in 2015. The report gives "
        "neither the plan nor the 2015 revenue, so neither can be checked."))
    water = c.v("d_infra_villages_water")
    tol = c.tol("d_infra_villages_water")
    dist = abs(water - round(water))
    verdict = "unverifiable" if tol >= 0.5 else _ok(dist <= tol)
    out.append(_row(
        "ratio_villages_with_water", "ratio", "infrastructure", verdict,
        ["infra_villages_water", "culture_villages_total", "d_infra_villages_water"],
        round(water), water, tol,
        f"{_fmt(c.v('infra_villages_water'))}% of {_fmt(c.v('culture_villages_total'))} "
        f"villages is {_fmt(water, 2)} villages; a whole-percent figure allows "
        f"±{_fmt(tol, 1)} villages, so any whole number nearby fits and the share cannot be "
        "checked more closely."))
    return out


CHECKS: list[Callable[[Context], list[dict]]] = [
    _sum_checks, _baseline_checks, _commune_checks, _growth_checks, _target_checks,
    _ambiguity_checks, _plausibility_checks, _range_checks, _subset_checks,
    _unverifiable_checks, claim_checks,
]

