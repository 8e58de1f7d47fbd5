"""Derivations built from the catalogue and vocabularies, and the id helpers that find
derived figures by what they are (a share of, the rest of, the target of, a growth path).

Part of :mod:`dbanalysis.derive.compute`; its names are re-exported there.
"""

from __future__ import annotations

import functools

import pandas as pd

from ..catalogue import vocab
from ..catalogue.corrections import load_corrections
from ..catalogue.figures import load_figures
from ..core import cache, labels
from . import families, ids
from .specs import SHARE_OF, SPECS, S, Spec, _share

# --- the district at a glance: change since 2015 on one axis (percent) ----------------
# The cattle herd's change since 2015 under the stated yearly growth rate, beside the
# change its stated level and rise give (d_agri_cattle_change_pct): its readings.
GLANCE_SPECS: list[Spec] = [
    S("d_agri_cattle_change_pct_growth_4y", "((1 + agri_cattle_growth / 100) ** 4 - 1) * 100",
      "percent", "agriculture", reading="growth_4y"),
    S("d_agri_cattle_change_pct_growth_5y", "((1 + agri_cattle_growth / 100) ** 5 - 1) * 100",
      "percent", "agriculture", reading="growth_5y"),
]


def _award_specs(figures: pd.DataFrame) -> list[Spec]:
    """Award totals by recipient and by conferring level (data/vocab/award_levels.csv)."""
    levels = vocab.award_levels().merge(figures[["figure_id", "unit"]], on="figure_id")
    label = dict(zip(figures["figure_id"], figures["label_en"], strict=True))
    out = []
    for unit in ("collective", "individual"):
        members = levels.loc[levels["unit"] == unit, "figure_id"]
        key = f"awards.recipient.{unit}"
        out.append(S(ids.derived(f"awards_{unit}s"), " + ".join(members), unit, "awards",
                     labels.text(key, "en"), labels.text(key, "vi")))
    # collectives and individuals added up: the assumption of every total below
    mixed = {"assumption": labels.text("awards.mixed.assumption", "en"),
             "assumption_vi": labels.text("awards.mixed.assumption", "vi")}
    for level, names in vocab.levels().iterrows():
        rows = levels[levels["level"] == level]
        basis = labels.joined((f"{label[r.figure_id]}: {r.issuer}"
                               for r in rows.sort_values("figure_id").itertuples()
                               if r.basis == "by_law"), "en")
        # a level set by law: the English names the issuers; data/i18n/vi.csv translates it
        by_law = {"assumption": labels.text("awards.by_law.assumption", "en",
                                            mixed=mixed["assumption"], basis=basis)}
        out.append(S(ids.derived(f"awards_{level}"), " + ".join(rows["figure_id"]), "recipient",
                     "awards", names["awards_label_en"], names["awards_label_vi"],
                     **(by_law if basis else mixed)))
    out.append(S("d_awards_total", "d_awards_collectives + d_awards_individuals", "recipient",
                 "awards", labels.text("awards.total", "en"), labels.text("awards.total", "vi"),
                 **mixed))
    out.append(S("d_awards_local", "d_awards_district + d_awards_commune", "recipient",
                 "awards", labels.text("awards.local", "en"), labels.text("awards.local", "vi"),
                 **mixed))
    out.append(S("d_awards_local_share", "d_awards_local / d_awards_total * 100", "percent",
                 "awards", labels.text("awards.local_share", "en"),
                 labels.text("awards.local_share", "vi"), **mixed))
    for level, names in vocab.levels().iterrows():
        out.append(S(ids.derived(f"awards_{level}_share"),
                     f"{ids.derived(f'awards_{level}')} / d_awards_total * 100",
                     "percent", "awards",
                     labels.text("awards.level_share", "en", level=names["label_en"]),
                     labels.text("awards.level_share", "vi", level=names["label_vi"]), **mixed))
    return out


def _change_pct_specs(figures: pd.DataFrame) -> list[Spec]:
    """Percent change since 2015 for every level that has a derived 2015 baseline."""
    out = []
    corrected = set(load_corrections(figures=figures).query("status == 'accepted'")["figure_id"])
    changes = figures[figures["kind"] == "change_vs_2015"].set_index("indicator")["unit"]
    for r in figures[figures["kind"] == "level"].itertuples():
        base = ids.baseline(r.figure_id)
        # skip a level with an accepted correction (its as-written baseline is impossible:
        # see the corrected spec below) and a change already stated in percent
        if r.figure_id in corrected or changes.get(r.indicator) == "percent":
            continue
        if any(s.figure_id == base for s in SPECS):
            out.append(S(ids.change_pct(r.figure_id), f"({r.figure_id} / {base} - 1) * 100",
                         "percent", r.sector,
                         labels.text("derived.change_since_2015", "en", label=r.label_en),
                         labels.text("derived.change_since_2015", "vi", label=r.label_vi)))
    return out


def _correction_specs(figures: pd.DataFrame) -> list[Spec]:
    """One derived figure per accepted correction, its formula taken from the CSV."""
    out = []
    cor = load_corrections(figures=figures)
    by_id = figures.set_index("figure_id")
    for r in cor[cor["status"] == "accepted"].itertuples():
        lab = by_id.loc[r.figure_id]
        out.append(S(ids.corrected(r.figure_id), r.corrected_value_formula, lab["unit"],
                     lab["sector"], labels.text("derived.corrected", "en", label=lab["label_en"]),
                     labels.text("derived.corrected", "vi", label=lab["label_vi"]),
                     "million" if "1000000" in r.corrected_value_formula else "corrected",
                     labels.text("derived.assumption.correction", "en", text=r.interpretation,
                                 xref=labels.text("xref.corrections", "en"))))
    return out


# --- views for charts and sentences (sector pages 00-05) --------------------------------
# Shares, remainders, growth paths and award totals that the chart and text helpers show,
# each a derived figure found by id through the maps below (never by its formula text).

VIEW_SPECS: list[Spec] = [
    _share("d_health_communes_station_pending_share", "health_communes_station_pending",
           "health_communes_total", "health"),
    S("d_ind_output_rest", "ind_output_total - ind_output_enterprises - ind_output_households"
      " - ind_output_processing", "billion_vnd", "industry"),
    S("d_health_communes_rest", "health_communes_total - health_communes_with_station"
      " - health_communes_station_pending", "commune", "health"),
    S("d_labour_poverty_fall_pp_relative",
      "labour_poverty_change / d_labour_poverty_rate_2015_pp * 100", "percent", "labour",
      reading="pp"),
    S("d_labour_poverty_fall_pp_points", "d_labour_poverty_rate_2015_pp - labour_poverty_rate",
      "percentage_point", "labour", reading="pp"),
    S("d_labour_poverty_fall_pp_per_year", "labour_poverty_change / 4", "percentage_point",
      "labour", reading="pp"),
    S("d_labour_poverty_fall_relative_points",
      "d_labour_poverty_rate_2015_relative - labour_poverty_rate", "percentage_point", "labour",
      reading="relative"),
    # the same fall from the rates as the site shows them: the 2015 rate rounded as the
    # display rule shows it (its decimals; tests/test_poverty_glance.py holds the two
    # equal), minus the 2019 rate as printed: the note under the poverty rows gives both
    S("d_labour_poverty_fall_relative_points_shown",
      "round(d_labour_poverty_rate_2015_relative, 1) - labour_poverty_rate", "percentage_point",
      "labour", reading="relative"),
    S("d_labour_poverty_fall_relative_per_year",
      "(d_labour_poverty_rate_2015_relative - labour_poverty_rate) / 4", "percentage_point",
      "labour", reading="relative"),
    S("d_budget_revenue_over_plan", "budget_revenue - d_budget_revenue_plan", "billion_vnd",
      "budget"),
    S("d_ref_own_revenue_share_ceiling", "ref_own_revenue_share_ceiling", "percent", "budget"),
    S("d_culture_sport_people_band", "culture_sport_people_high - culture_sport_people_low",
      "person", "culture"),
]

#: Shares whose count is a derived figure (the others are registered by :func:`_share`).
SHARE_OF.update({
    ("d_nr_communes_met_or_near", "award_communes"): "d_nr_communes_met_or_near_share",
    ("d_nr_communes_met_or_near", "sec_forum_communes_total"):
        "d_nr_communes_met_or_near_share_25",
})
#: (total id, part ids) -> id of the derived remainder ``total − parts``.
REST_OF: dict[tuple[str, tuple[str, ...]], str] = {
    ("ind_output_total", ("ind_output_enterprises", "ind_output_households",
                          "ind_output_processing")): "d_ind_output_rest",
    ("health_communes_total", ("health_communes_with_station",
                               "health_communes_station_pending")): "d_health_communes_rest",
    ("award_communes", ("nr_communes_met", "nr_communes_near")): "d_nr_communes_remaining",
    ("def_units_total", ("def_units_good",)): "d_def_units_passed_not_good",
}
#: Levels with a stated annual growth rate but no stated year: the years a path back to
#: 2015 is drawn for, and the derived 2015 value under each assumed end year.
GROWTH_PATHS: dict[str, dict[int, str]] = {
    "trade_turnover": {2019: "d_trade_turnover_2015_4y", 2020: "d_trade_turnover_2015_5y"},
}
#: Recipient types of the awards (units of data/figures.csv).
AWARD_RECIPIENTS = ("collective", "individual")


def _growth_path_specs(figures: pd.DataFrame) -> list[Spec]:
    """Values between 2015 and an assumed end year on a stated constant growth rate:
    ``d_<level>_<year>_if_<end>`` = level / (1 + rate/100) ** (end − year)."""
    out = []
    by_id = figures.set_index("figure_id")
    for level, ends in GROWTH_PATHS.items():
        rate = figures.loc[(figures["indicator"] == by_id.loc[level, "indicator"])
                           & (figures["kind"] == "growth_rate"), "figure_id"].iloc[0]
        for end in ends:
            for year in range(2016, end):
                label, assumption = (
                    {lang: labels.text(key, lang, label=by_id.loc[level, f"label_{lang}"],
                                       year=year, end=end) for lang in ("en", "vi")}
                    for key in ("derived.growth_path", "derived.growth_path.assumption"))
                out.append(S(f"d_{level}_{year}_if_{end}",
                             f"{level} / (1 + {rate} / 100) ** {end - year}",
                             by_id.loc[level, "unit"], by_id.loc[level, "sector"],
                             label["en"], label["vi"], f"{end - 2015}_years",
                             assumption["en"], assumption_vi=assumption["vi"]))
    return out


def growth_path_id(level_id: str, end: int, year: int) -> str:
    """The derived id of ``level_id``'s value in ``year`` on the path to an assumed ``end``."""
    if level_id not in GROWTH_PATHS or end not in GROWTH_PATHS[level_id]:
        raise KeyError(f"no growth path for {level_id!r} ending {end} in dbanalysis.derive.compute")
    return GROWTH_PATHS[level_id][end] if year == 2015 else f"d_{level_id}_{year}_if_{end}"


def _award_cell_specs(figures: pd.DataFrame) -> list[Spec]:
    """Awards by conferring level and recipient type: ``d_awards_<level>_<recipient>s``."""
    levels = vocab.award_levels().merge(figures[["figure_id", "unit"]], on="figure_id")
    out = []
    for level, names in vocab.levels().iterrows():
        for unit in AWARD_RECIPIENTS:
            members = levels.loc[(levels["level"] == level) & (levels["unit"] == unit),
                                 "figure_id"]
            if members.empty:
                continue
            who_en, who_vi = (labels.text(f"recipient.{unit}", lang) for lang in ("en", "vi"))
            out.append(S(award_cell_id(str(level), unit), " + ".join(members), unit, "awards",
                         f"{names['awards_label_en']}: {who_en}",
                         f"{names['awards_label_vi']}: {who_vi}"))
    return out


def award_cell_id(level: str, recipient: str) -> str:
    """The derived id of the awards of one conferring level to one recipient type."""
    return f"d_awards_{level}_{recipient}s"


@functools.cache
def _rule_ids_cached(_content: str) -> dict[tuple[str, str], str]:
    figures = load_figures()
    corrected = set(load_corrections(figures=figures).query("status == 'accepted'")["figure_id"])
    return {(i.rule, i.subject): i.figure_id for i in families.instances(figures, corrected)}


def rule_ids() -> dict[tuple[str, str], str]:
    """(rule, subject) -> id of every figure the rules of data/derived.csv derive."""
    return _rule_ids_cached(cache.data_hash())


def target_ids() -> dict[str, str]:
    """achievement id ('…% of plan/target') -> id of the plan or target it implies (the
    rule implied_target of data/derived.csv)."""
    return {subject: fid for (rule, subject), fid in rule_ids().items()
            if rule == "implied_target"}


def share_id(count_id: str, total_id: str) -> str:
    """The derived id of ``count / total * 100``: a declared share, or the share the rule
    share_of_whole derives (KeyError naming the pair if neither)."""
    found = SHARE_OF.get((count_id, total_id)) or rule_ids().get(
        ("share_of_whole", f"{count_id} {total_id}"))
    if found is None:
        raise KeyError(f"no derived share of {count_id!r} in {total_id!r}: declare one with "
                       "_share(...) in dbanalysis.derive.specs, or state the count as a part "
                       "of the total in data/figures.csv")
    return found


def rest_id(total_id: str, part_ids: tuple[str, ...] | list[str]) -> str:
    """The derived id of ``total − parts`` (KeyError naming the parts if undeclared)."""
    found = REST_OF.get((total_id, tuple(part_ids)))
    if found is None:
        raise KeyError(f"no derived remainder of {total_id!r} minus {list(part_ids)}: declare "
                       "one in dbanalysis.derive.compute (REST_OF)")
    return found


def target_id(achievement_id: str) -> str:
    """The derived id of the plan or target implied by an achievement."""
    found = target_ids().get(achievement_id)
    if found is None:
        raise KeyError(f"{achievement_id!r}: no implied target (the rule implied_target of "
                       "data/derived.csv needs an achievement and the level it refers to)")
    return found
