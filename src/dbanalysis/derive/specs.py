"""The fixed derivations: one :class:`Spec` per derived figure
(see :mod:`dbanalysis.derive.compute`).

2015 baselines, growth rates, shares, implied plans and targets, per-head values and
the readings of ambiguous statements, each a formula string over catalogue ids.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ..core import labels
from . import ids


@dataclass(frozen=True)
class Spec:
    """One derived figure: id, formula over figure ids, unit, labels, reading, assumption."""

    figure_id: str
    formula: str
    unit: str
    sector: str
    label_en: str
    label_vi: str
    reading: str = "as_written"
    assumption: str = ""
    #: 'over' for a lower bound (an input printed with 'trên'/'hơn'), 'about' for a
    #: value known only within its rounding; empty otherwise.
    qualifier: str = ""
    #: Labels filled on use (:meth:`labelled`), not at import, so that a running kernel
    #: reads an edited data/vocab/labels.csv: a label key and its fields in English and
    #: in Vietnamese (``label_en`` and ``label_vi`` are then empty).
    template: tuple[str, tuple[tuple[str, Any], ...], tuple[tuple[str, Any], ...]] | None = None

    def labelled(self) -> Spec:
        """This spec with its labels filled from :attr:`template` now."""
        if self.template is None:
            return self
        key, en, vi = self.template
        return replace(self, label_en=labels.text(key, "en", **dict(en)),
                       label_vi=labels.text(key, "vi", **dict(vi)), template=None)


S = Spec
POP_ASSUMPTION = ("Population implied by the doctors and doctors per 10,000 people (2020); "
                  "applied to figures of other years.")
YEARS = {"4_years": (4, "2015→2019"), "5_years": (5, "2015→2020")}


def _cagr_specs(key: str, level: str, base: str, sector: str, what_en: str, what_vi: str,
                reading_note: str = "") -> list[Spec]:
    out = []
    for reading, (n, span) in YEARS.items():
        out.append(S(ids.cagr(key, n), f"((({level}) / ({base})) ** (1 / {n}) - 1) * 100",
                     "percent_per_year", sector, "", "", reading,
                     f"The level is for {'2019' if n == 4 else '2020'}; {span} ({n} years)."
                     f"{reading_note}",
                     template=("derived.cagr", (("what", what_en), ("span", span), ("n", n)),
                               (("what", what_vi), ("span", span), ("n", n)))))
    return out


#: (count id, total id) -> id of the derived share ``count / total * 100``.
SHARE_OF: dict[tuple[str, str], str] = {}


def _share(fid: str, num: str, den: str, sector: str, en: str, vi: str,
           reading: str = "as_written", assumption: str = "") -> Spec:
    """A share in percent; a share of one id in another is registered in :data:`SHARE_OF`."""
    if num.isidentifier() and den.isidentifier():
        SHARE_OF[(num, den)] = fid
    return S(fid, f"{num} / {den} * 100", "percent", sector, en, vi, reading, assumption)


SPECS: list[Spec] = [
    # --- 2015 baselines from stated changes -------------------------------------
    S(ids.baseline("agri_cattle"), "agri_cattle - agri_cattle_change", "head", "agriculture",
      "Cattle herd in 2015", "Đàn gia súc năm 2015"),
    S(ids.baseline("agri_poultry"), "agri_poultry - agri_poultry_change", "head", "agriculture",
      "Poultry flock in 2015 (as written)", "Đàn gia cầm năm 2015 (theo số in)",
      "as_written", "Flock read as printed: the number of birds, not millions."),
    S("d_agri_poultry_2015_million", "d_agri_poultry_corrected - agri_poultry_change", "head",
      "agriculture", "Poultry flock in 2015 (flock read in millions)",
      "Đàn gia cầm năm 2015 (đọc là triệu con)", "million",
      "Flock read in millions of head (data/corrections.csv)."),
    S("d_agri_poultry_change_pct_million",
      "(d_agri_poultry_corrected / d_agri_poultry_2015_million - 1) * 100", "percent",
      "agriculture", "Poultry flock: change since 2015 (flock read in millions)",
      "Đàn gia cầm: thay đổi so với năm 2015 (đọc là triệu con)", "million",
      "Flock read in millions of head (data/corrections.csv)."),
    S(ids.baseline("agri_aquaculture_area"), "agri_aquaculture_area - agri_aquaculture_area_change",
      "ha", "agriculture", "Aquaculture area in 2015", "Diện tích nuôi trồng thủy sản năm 2015"),
    S(ids.baseline("agri_fish_output"), "agri_fish_output - agri_fish_output_change", "tonne",
      "agriculture", "Aquatic output in 2015", "Sản lượng thủy sản năm 2015"),
    S(ids.baseline("budget_revenue"), "budget_revenue / (1 + budget_revenue_change / 100)",
      "billion_vnd", "budget", "Budget revenue in 2015", "Tổng thu ngân sách năm 2015",
      "relative", "'tăng …%' read as a relative increase on the 2015 value."),
    S("d_budget_revenue_2015_low", "budget_revenue / (1 + (budget_revenue_change + 0.5) / 100)",
      "billion_vnd", "budget", "Budget revenue in 2015, lower end (rise rounded up)",
      "Tổng thu ngân sách năm 2015, cận dưới", "relative",
      "The rise is printed as a whole percent: at most 0.5 higher."),
    S("d_budget_revenue_2015_high", "budget_revenue / (1 + (budget_revenue_change - 0.5) / 100)",
      "billion_vnd", "budget", "Budget revenue in 2015, upper end (rise rounded down)",
      "Tổng thu ngân sách năm 2015, cận trên", "relative",
      "The rise is printed as a whole percent: at most 0.5 lower."),
    S("d_labour_poverty_rate_2015_pp", "labour_poverty_rate + labour_poverty_change", "percent",
      "labour", "Poverty rate in 2015 (fall read in percentage points)",
      "Tỷ lệ hộ nghèo năm 2015 (giảm tính theo điểm phần trăm)", "pp",
      "'giảm …%' read as a fall in percentage points."),
    S("d_labour_poverty_rate_2015_relative",
      "labour_poverty_rate / (1 - labour_poverty_change / 100)", "percent", "labour",
      "Poverty rate in 2015 (relative fall)", "Tỷ lệ hộ nghèo năm 2015 (giảm tương đối)",
      "relative", "'giảm …%' read as a relative fall, in percent of the 2015 rate."),
    # --- change since 2015 in percent, one per reading ------------------------------
    S("d_labour_poverty_rate_change_pct_pp",
      "(labour_poverty_rate / d_labour_poverty_rate_2015_pp - 1) * 100", "percent", "labour",
      "Poverty rate: change since 2015 (fall read in percentage points)",
      "Tỷ lệ hộ nghèo: thay đổi so với năm 2015 (giảm tính theo điểm phần trăm)", "pp",
      "'giảm …%' read as a fall in percentage points."),
    S("d_labour_poverty_rate_change_pct_relative",
      "(labour_poverty_rate / d_labour_poverty_rate_2015_relative - 1) * 100", "percent",
      "labour", "Poverty rate: change since 2015 (relative fall)",
      "Tỷ lệ hộ nghèo: thay đổi so với năm 2015 (giảm tương đối)", "relative",
      "'giảm …%' read as a relative fall, in percent of the 2015 rate."),
    # --- plans and targets implied by '% of plan/target' ---------------------------
    S("d_budget_revenue_plan", "budget_revenue / (budget_revenue_vs_plan / 100)", "billion_vnd",
      "budget", "Budget revenue plan for 2019", "Kế hoạch thu ngân sách năm 2019"),
    S("d_culture_villages_target_district",
      "culture_villages / (culture_villages_vs_district / 100)", "village", "culture",
      "District target for cultural villages", "Chỉ tiêu thôn, bản văn hóa huyện giao"),
    S("d_culture_villages_target_province",
      "culture_villages / (culture_villages_vs_province / 100)", "village", "culture",
      "Provincial target for cultural villages", "Chỉ tiêu thôn, bản văn hóa tỉnh giao"),
    S("d_culture_families_target_district",
      "culture_families / (culture_families_vs_district / 100)", "family", "culture",
      "District target for cultural families", "Chỉ tiêu gia đình văn hóa huyện giao"),
    S("d_culture_families_target_province",
      "culture_families / (culture_families_vs_province / 100)", "family", "culture",
      "Provincial target for cultural families", "Chỉ tiêu gia đình văn hóa tỉnh giao"),
    # --- growth rates -------------------------------------------------------------
    *_cagr_specs("agri_cattle", "agri_cattle", ids.baseline("agri_cattle"), "agriculture",
                 "Cattle herd", "Đàn gia súc"),
    S("d_agri_cattle_simple_4y", "agri_cattle_change / d_agri_cattle_2015 * 100 / 4",
      "percent_per_year", "agriculture", "Cattle herd: simple (linear) annual growth, 4 years",
      "Đàn gia súc: tốc độ tăng bình quân cộng, 4 năm", "4_years_simple",
      "Total growth since 2015 divided by 4 years (not compounded)."),
    *_cagr_specs("agri_poultry", ids.corrected("agri_poultry"), "d_agri_poultry_2015_million",
                 "agriculture", "Poultry flock (read in millions)", "Đàn gia cầm (triệu con)",
                 " Flock read in millions of head."),
    *_cagr_specs("agri_aquaculture_area", "agri_aquaculture_area",
                 ids.baseline("agri_aquaculture_area"), "agriculture", "Aquaculture area",
                 "Diện tích nuôi trồng thủy sản"),
    *_cagr_specs("agri_fish_output", "agri_fish_output", ids.baseline("agri_fish_output"),
                 "agriculture", "Aquatic output", "Sản lượng thủy sản"),
    # budget revenue is dated 2019 ('Kết quả năm 2019'): the 4-year reading only
    *_cagr_specs("budget_revenue", "budget_revenue", ids.baseline("budget_revenue"), "budget",
                 "Budget revenue", "Thu ngân sách")[:1],
    S("d_trade_turnover_2015_4y", "trade_turnover / (1 + trade_turnover_growth / 100) ** 4",
      "billion_vnd", "trade", "Turnover in 2015 implied by the stated growth (year 2019)",
      "Tổng mức luân chuyển năm 2015 (năm số liệu 2019)", "4_years",
      "The turnover's year is unstated: read as 2019, 4 years of compound growth."),
    S("d_trade_turnover_2015_5y", "trade_turnover / (1 + trade_turnover_growth / 100) ** 5",
      "billion_vnd", "trade", "Turnover in 2015 implied by the stated growth (year 2020)",
      "Tổng mức luân chuyển năm 2015 (năm số liệu 2020)", "5_years",
      "The turnover's year is unstated: read as 2020, 5 years of compound growth."),
    S("d_trade_turnover_change_pct_4y", "(trade_turnover / d_trade_turnover_2015_4y - 1) * 100",
      "percent", "trade", "Turnover: change since 2015 implied by the stated growth (year 2019)",
      "Tổng mức luân chuyển: thay đổi so với năm 2015 theo mức tăng bình quân (năm 2019)",
      "4_years", "The estimate is for 2019 and grew at the stated rate every year."),
    S("d_trade_turnover_change_pct_5y", "(trade_turnover / d_trade_turnover_2015_5y - 1) * 100",
      "percent", "trade", "Turnover: change since 2015 implied by the stated growth (year 2020)",
      "Tổng mức luân chuyển: thay đổi so với năm 2015 theo mức tăng bình quân (năm 2020)",
      "5_years", "The estimate is for 2020 and grew at the stated rate every year."),
    # --- sums and shares of totals -----------------------------------------------
    S("d_ind_components_sum", "ind_output_enterprises + ind_output_households"
      " + ind_output_processing", "billion_vnd", "industry",
      "Sum of industrial output components", "Tổng các thành phần giá trị sản xuất CN-TTCN"),
    _share("d_ind_share_enterprises", "ind_output_enterprises", "ind_output_total", "industry",
           "Enterprises' share of industrial output", "Tỷ trọng doanh nghiệp"),
    _share("d_ind_share_households", "ind_output_households", "ind_output_total", "industry",
           "Household businesses' share of industrial output", "Tỷ trọng hộ cá thể"),
    _share("d_ind_share_processing", "ind_output_processing", "ind_output_total", "industry",
           "Other processing's share of industrial output", "Tỷ trọng gia công chế biến khác"),
    _share("d_culture_villages_share", "culture_villages", "culture_villages_total", "culture",
           "Share of villages recognised as cultural villages", "Tỷ lệ thôn, bản văn hóa"),
    _share("d_culture_agencies_share", "culture_agencies", "culture_agencies_total", "culture",
           "Share of agencies meeting the cultural standard", "Tỷ lệ cơ quan đạt chuẩn văn hóa"),
    _share("d_edu_schools_share", "edu_schools_standard", "edu_schools_total", "education",
           "Share of schools meeting the national standard", "Tỷ lệ trường đạt chuẩn quốc gia"),
    _share("d_health_communes_station_share", "health_communes_with_station",
           "health_communes_total", "health", "Share of communes with a health station building",
           "Tỷ lệ xã có nhà trạm y tế"),
    _share("d_health_stations_doctor_share", "health_stations_with_doctor",
           "health_stations_total", "health", "Share of commune health stations with a doctor",
           "Tỷ lệ trạm y tế xã có bác sỹ"),
    _share("d_health_national_criteria_share", "health_communes_national_criteria",
           "health_communes_national_criteria_total", "health",
           "Share of communes expected to meet the national health criteria",
           "Tỷ lệ xã dự kiến đạt tiêu chí quốc gia về y tế"),
    _share("d_def_units_good_share", "def_units_good", "def_units_total", "defence",
           "Share of militia units rated good", "Tỷ lệ đơn vị đạt khá"),
    _share("d_sec_forum_communes_share", "sec_forum_communes", "sec_forum_communes_total",
           "security", "Share of communes holding a police forum (of 25, as written)",
           "Tỷ lệ xã tổ chức diễn đàn (tính theo tổng số 25 xã)"),
    _share("d_sec_forum_communes_share_of_21", "sec_forum_communes", "award_communes",
           "security", "Share of communes holding a police forum (of the district's 21)",
           "Tỷ lệ xã tổ chức diễn đàn (tính theo tổng số 21 xã)", "21_communes",
           "Denominator: the district's communes as the awards paragraph counts them, not the "
           "printed 25."),
    _share("d_admin_one_stop_share", "admin_one_stop_communes", "admin_one_stop_communes_total",
           "administration", "Share of communes with a one-stop shop",
           "Tỷ lệ xã thực hiện cơ chế một cửa"),
    _share("d_nr_communes_met_share", "nr_communes_met", "award_communes", "new_rural",
           "Share of communes meeting the new-rural standard", "Tỷ lệ xã đạt chuẩn nông thôn mới",
           "as_written", "The district has 21 communes ('UBND 21 xã', awards paragraph)."),
    _share("d_nr_communes_met_share_25", "nr_communes_met", "sec_forum_communes_total",
           "new_rural", "Share of communes meeting the new-rural standard (of 25 communes)",
           "Tỷ lệ xã đạt chuẩn nông thôn mới (tính theo tổng số 25 xã)", "25_communes",
           "The new-rural sentence states no denominator; 25 is the commune total of the "
           "forum sentence (an earlier boundary?)."),
    _share("d_nr_communes_met_or_near_share_25", "(nr_communes_met + nr_communes_near)",
           "sec_forum_communes_total", "new_rural",
           "Share of communes meeting or basically meeting the standard (of 25 communes)",
           "Tỷ lệ xã đạt chuẩn hoặc cơ bản đạt (tính theo tổng số 25 xã)", "25_communes",
           "The new-rural sentence states no denominator; 25 is the commune total of the "
           "forum sentence (an earlier boundary?)."),
    S("d_nr_communes_met_or_near", "nr_communes_met + nr_communes_near", "commune", "new_rural",
      "Communes meeting or basically meeting the new-rural standard",
      "Xã đạt và cơ bản đạt chuẩn nông thôn mới"),
    S("d_health_communes_station_plus_pending",
      "health_communes_with_station + health_communes_station_pending", "commune", "health",
      "Communes with a station building or with station construction funded "
      "(expected to open by end-2020)",
      "Xã có nhà trạm y tế hoặc đã được đầu tư xây dựng trạm (dự kiến hoạt động cuối năm 2020)"),
    S("d_infra_villages_water", "infra_villages_water / 100 * culture_villages_total", "village",
      "infrastructure", "Villages with an invested water supply",
      "Thôn, bản được đầu tư cấp nước", "as_written",
      "The total of villages ('Tổng số thôn, bản') counts all the district's villages."),
    # --- population and per-head values ------------------------------------------
    S("d_health_population", "health_doctors / health_doctor_density * 10000", "person",
      "health", "Population implied by the doctor density", "Dân số tính từ tỷ lệ bác sỹ/vạn dân",
      "as_written", "Doctors per 10,000 people is computed on the whole district population; "
      "the density's rounding leaves a range, shown by the low and high readings.", "about"),
    S("d_agri_food_output", "agri_food_per_head * d_health_population / 1000", "tonne",
      "agriculture", "Food grain output implied by output per head",
      "Sản lượng lương thực tính toán", "as_written", POP_ASSUMPTION),
    S("d_agri_food_yield_per_sown_ha", "d_agri_food_output / agri_sown_area", "tonne_per_ha",
      "agriculture", "Implied grain output per sown hectare (lower bound)",
      "Sản lượng lương thực trên mỗi ha gieo trồng", "as_written",
      POP_ASSUMPTION + " Divides by all sown area, grain or not, so the true grain yield "
      "is higher."),
    S("d_budget_revenue_per_head", "budget_revenue * 1000 / d_health_population",
      "million_vnd_per_person", "budget", "Budget revenue per head",
      "Thu ngân sách bình quân đầu người",
      "as_written", POP_ASSUMPTION),
    S("d_trade_turnover_per_head", "trade_turnover * 1000 / d_health_population",
      "million_vnd_per_person", "trade", "Turnover of goods and services per head",
      "Tổng mức luân chuyển bình quân đầu người", "as_written", POP_ASSUMPTION),
    S("d_ind_output_per_head", "ind_output_total * 1000 / d_health_population",
      "million_vnd_per_person", "industry", "Industrial output per head",
      "Giá trị sản xuất CN-TTCN bình quân đầu người", "as_written", POP_ASSUMPTION),
    S("d_persons_per_household", "d_health_population / sec_households_pledged",
      "person_per_household", "security", "People per household (upper bound)",
      "Số người bình quân mỗi hộ (cận trên)", "as_written",
      POP_ASSUMPTION + " Every household signed the security pledge; if some did not, "
      "households are more numerous and smaller."),
    S("d_culture_sport_share_low", "culture_sport_people_low / d_health_population * 100",
      "percent", "culture", "Share of people exercising regularly (lower bound)",
      "Tỷ lệ người tập thể thao thường xuyên (cận dưới)", "as_written", POP_ASSUMPTION),
    S("d_culture_sport_share_high", "culture_sport_people_high / d_health_population * 100",
      "percent", "culture", "Share of people exercising regularly (upper bound)",
      "Tỷ lệ người tập thể thao thường xuyên (cận trên)", "as_written", POP_ASSUMPTION),
    S("d_mass_solidarity_house_value",
      "mass_solidarity_houses_value * 1000 / mass_solidarity_houses",
      "million_vnd", "mass_organisations", "Value per great-solidarity house (at least)",
      "Trị giá bình quân mỗi nhà đại đoàn kết", "as_written",
      "A lower bound: the total is 'trên' (over).", "over"),
    S("d_mass_union_support_per_household",
      "mass_union_housing_fund / mass_union_houses_supported", "million_vnd",
      "mass_organisations", "Trade-union housing contribution per household helped (at least)",
      "Đóng góp Mái ấm Công đoàn bình quân mỗi hộ", "as_written",
      "The whole contribution went to the households helped; a lower bound, the total "
      "is 'trên' (over).", "over"),
    S("d_sec_forum_participants_per_commune", "sec_forum_participants / sec_forum_communes",
      "person", "security", "Forum participants, average per commune",
      "Số người tham gia diễn đàn, bình quân mỗi xã"),
    # --- differences and bounds used by the sector notebooks -------------------------
    S("d_infra_households_grid_gap", "100 - infra_households_grid", "percent",
      "infrastructure", "Households not using grid electricity", "Hộ chưa sử dụng điện lưới"),
    S("d_infra_villages_water_gap", "100 - infra_villages_water", "percent", "infrastructure",
      "Villages not (yet) invested in for water supply", "Thôn, bản chưa được đầu tư cấp nước"),
    S("d_edu_schools_below_standard", "edu_schools_total - edu_schools_standard", "school",
      "education", "Schools not (yet) at the national standard",
      "Trường chưa đạt chuẩn quốc gia"),
    S("d_health_population_low", "health_doctors / (health_doctor_density + 0.05) * 10000",
      "person", "health", "Implied population, lower end", "Dân số tính toán, cận dưới",
      "as_written", "The density is printed with one decimal: at most 0.05 higher."),
    S("d_health_population_high", "health_doctors / (health_doctor_density - 0.05) * 10000",
      "person", "health", "Implied population, upper end", "Dân số tính toán, cận trên",
      "as_written", "The density is printed with one decimal: at most 0.05 lower."),
    S("d_health_stations_without_doctor", "health_stations_total - health_stations_with_doctor",
      "health_station", "health", "Commune health stations without a doctor",
      "Trạm y tế xã chưa có bác sỹ"),
    S("d_def_units_passed_not_good", "def_units_total - def_units_good", "militia_unit",
      "defence", "Units that met requirements but were not rated good",
      "Đơn vị đạt yêu cầu nhưng chưa đạt khá", "as_written",
      "The report says all trained units met requirements, so the rest passed."),
    S("d_def_units_beyond_communes", "def_units_total - award_communes", "militia_unit",
      "defence", "Militia units beyond one per commune (of the district's 21 communes)",
      "Số đơn vị ngoài các xã (tính theo tổng số 21 xã)",
      "21_communes", "Assumes one militia unit per commune, on the district's communes as the "
      "awards paragraph counts them; what the others are (agencies' self-defence units?) the "
      "report does not say."),
    S("d_def_units_beyond_communes_25", "def_units_total - sec_forum_communes_total",
      "militia_unit", "defence",
      "Militia units beyond one per commune (of 25 communes, as in the forum sentence)",
      "Số đơn vị ngoài các xã (tính theo tổng số 25 xã)", "25_communes",
      "Assumes one militia unit per commune, on the 25 communes of the forum sentence "
      "(an earlier boundary?); what the others are the report does not say."),
    _share("d_nr_communes_met_or_near_share", "(nr_communes_met + nr_communes_near)",
           "award_communes", "new_rural",
           "Share of communes meeting or basically meeting the standard",
           "Tỷ lệ xã đạt chuẩn hoặc cơ bản đạt"),
    S("d_nr_communes_remaining", "award_communes - nr_communes_met - nr_communes_near",
      "commune", "new_rural", "Communes neither meeting nor basically meeting the standard",
      "Xã chưa đạt và chưa cơ bản đạt", "as_written",
      "How many criteria these communes meet is not stated."),
    S("d_nr_criteria_short_min", "ref_national_new_rural_criteria - nr_criteria_high",
      "criterion", "new_rural", "Criteria still missing, fewest",
      "Số tiêu chí còn thiếu, ít nhất", "as_written",
      "Uses the national set of criteria, outside knowledge listed on the method page; "
      "the report does not state it."),
    S("d_nr_criteria_short_max", "ref_national_new_rural_criteria - nr_criteria_low",
      "criterion", "new_rural", "Criteria still missing, most",
      "Số tiêu chí còn thiếu, nhiều nhất", "as_written",
      "Uses the national set of criteria, outside knowledge listed on the method page; "
      "the report does not state it."),
]

