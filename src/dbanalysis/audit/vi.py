"""Vietnamese explanations of the audit checks of :mod:`dbanalysis.audit.run`.

:func:`translate` fills a row's ``explanation_vi`` (when the check family wrote
none) from the same values and verdict as the English explanation, in Vietnamese
notation (``1.033,772 tỷ đồng``, ``12,85%``) and the report's own terms. Rows of an
unknown family keep an empty ``explanation_vi``; a test lists them.
"""

from __future__ import annotations

from babel.numbers import format_decimal

from ..catalogue import vocab
from ..catalogue.reference import value as ref


def _outside() -> str:
    """How a sentence marks a yardstick the report does not give (the glossary's term)."""
    return vocab.term("outside knowledge", "vi")


def n(x: float, decimals: int = 0) -> str:
    """A number in Vietnamese notation with ``decimals`` decimals."""
    return format_decimal(x, format="#,##0" + ("." + "0" * decimals if decimals else ""),
                          locale="vi")


def _u(unit: str) -> str:
    return vocab.unit_label(unit, "vi")


def _label(c, fid: str) -> str:
    return str(c.figures.loc[fid, "label_vi"])


def _sum(r, c) -> str:
    v = c.v
    if r["check_id"] == "sum_industrial_output":
        parts = v("ind_output_enterprises") + v("ind_output_households") + v(
            "ind_output_processing")
        return (f"Ba thành phần giá trị sản xuất CN-TTCN (doanh nghiệp "
                f"{n(v('ind_output_enterprises'))}, hộ cá thể {n(v('ind_output_households'))}, "
                f"gia công chế biến khác {n(v('ind_output_processing'))} tỷ đồng) cộng lại được "
                f"{n(parts)} tỷ đồng; tổng báo cáo nêu là {n(v('ind_output_total'))} tỷ đồng"
                + (" — khớp nhau." if r["verdict"] == "consistent" else
                   f" — chênh {n(parts - v('ind_output_total'))} tỷ đồng, lớn hơn sai số làm "
                   "tròn."))
    crops = v("agri_industrial_crop_area") + v("agri_fruit_area")
    return (f"Cây công nghiệp ({n(v('agri_industrial_crop_area'), 2)} ha) và cây ăn quả "
            f"({n(v('agri_fruit_area'), 2)} ha) cộng lại {n(crops, 2)} ha, "
            f"{'nằm trong' if r['verdict'] == 'consistent' else 'vượt'} tổng diện tích gieo "
            f"trồng {n(v('agri_sown_area'), 2)} ha.")


def _baseline(r, c) -> str:
    ids = r["figure_ids"].split(";")
    if r["check_id"] == "baseline_poultry_flock_in_millions":
        return (f"Nếu đọc là {n(c.v('d_agri_poultry_corrected'))} con (hiệu chỉnh đã khai báo: "
                f"báo cáo bỏ sót chữ “triệu”), đàn gia cầm tăng {n(c.v('agri_poultry_change'))} "
                f"con từ {n(c.v('d_agri_poultry_2015_million'))} con năm 2015, tốc độ tăng "
                f"bình quân (tính kép) {n(c.v('d_agri_poultry_cagr_4y'), 1)}%/năm trong 4 năm.")
    level, change, base = ids[0], ids[1], ids[2]
    unit = _u(str(c.figures.loc[level, "unit"]))
    b = c.v(base)
    lv, ch = c.v(level), c.v(change)

    def d(x: float) -> int:
        return 3 if x < 10 else 0 if x == int(x) else 2

    printed, shown = c.printed(level), n(lv, d(lv))
    # in Vietnamese notation the number as read is the number as printed: said once
    as_read = f"{printed} {unit}" if printed == shown else f"{printed} ({shown} {unit})"
    return (f"{_label(c, level)} in trong báo cáo là {as_read}, "
            f"tăng {n(ch, d(ch))} {unit} so với năm 2015, "
            f"{'nên năm 2015 là' if r['verdict'] == 'consistent' else 'thì năm 2015 phải là'} "
            f"{n(b, min(d(lv), d(ch)))} {unit}"
            + (" — một điểm xuất phát hợp lý." if r["verdict"] == "consistent" else
               " — một số âm, điều không thể xảy ra: mức đạt và mức tăng như đã in không "
               "thể cùng đúng."))


def _communes(r, c) -> str:
    cid, v = r["check_id"], c.v
    district = n(v("award_communes"))
    if cid == "communes_new_rural_within_district":
        met, near = v("nr_communes_met"), v("nr_communes_near")
        return (f"{n(met)} xã đạt chuẩn nông thôn mới và {n(near)} xã cơ bản đạt, tổng "
                f"{n(met + near)} xã, {'không vượt' if r['verdict'] == 'consistent' else 'vượt'}"
                f" {district} xã của huyện.")
    if cid == "communes_health_station_built_plus_pending":
        have, pend = v("health_communes_with_station"), v("health_communes_station_pending")
        return (f"{n(have)} xã có nhà trạm y tế và {n(pend)} xã đã được đầu tư xây dựng trạm "
                f"(dự kiến hoạt động cuối năm 2020), tổng {n(have + pend)} xã"
                + (f", đúng bằng {district} xã của huyện." if r["verdict"] == "consistent"
                   else f", khác {district} xã của huyện."))
    total = cid.removeprefix("communes_")
    t = c.figures.loc[total]
    what = "xã" if t["unit"] == "commune" else "trạm y tế xã (mỗi xã một trạm)"
    return (f"“{t['quote']}” cho thấy {n(t['value'])} {what}; huyện có {district} xã "
            f"(“UBND {c.printed('award_communes')} xã”)"
            + (" — khớp nhau." if r["verdict"] == "consistent" else
               f" — {n(t['value'])} khác {district}: báo cáo nêu cả hai số, và như đã in thì "
               "hai số không khớp; nhiều khả năng là mẫu số theo một địa giới khác (trước đây) "
               "hoặc lỗi đánh máy, báo cáo không nói rõ."))


def _growth(r, c) -> str:
    v = c.v
    if r["check_id"] == "growth_trade_turnover":
        return (f"Tổng mức luân chuyển {n(v('trade_turnover'))} tỷ đồng, tăng "
                f"{n(v('trade_turnover_growth'))}%/năm, cho thấy năm 2015 khoảng "
                f"{n(v('d_trade_turnover_2015_4y'))} tỷ đồng nếu số liệu là của năm 2019 (4 năm)"
                f" hoặc {n(v('d_trade_turnover_2015_5y'))} tỷ đồng nếu là của năm 2020 (5 năm). "
                "Báo cáo không nêu năm của số liệu và không có số liệu năm trước nào, nên không "
                "kiểm tra được tốc độ tăng.")
    text = (f"Đàn gia súc {n(v('agri_cattle'))} con, tăng {n(v('agri_cattle_change'))} con so "
            f"với năm 2015, tức năm 2015 có {n(v('d_agri_cattle_2015'))} con. Như vậy tốc độ "
            f"tăng bình quân (tính kép) là {n(v('d_agri_cattle_cagr_4y'), 2)}%/năm trong 4 năm "
            f"(2015→2019) hoặc "
            f"{n(v('d_agri_cattle_cagr_5y'), 2)}%/năm trong 5 năm (2015→2020); báo cáo nêu "
            f"{n(v('agri_cattle_growth'), 2)}%. ")
    if r["verdict"] == "consistent":
        return text + "Số liệu khớp với một trong hai cách tính."
    return text + (f"Không cách tính nào khớp (kể cả tăng bình quân đơn giản trong 4 năm cũng "
                   f"chỉ {n(v('d_agri_cattle_simple_4y'), 2)}%): tốc độ đã nêu không tái lập "
                   "được từ các số liệu đã nêu. Điều đó chưa chứng minh có sai sót: bình quân "
                   "của các tốc độ hàng năm dao động mạnh có thể cho ra con số này, mà quy mô "
                   "đàn từng năm không được báo cáo.")


def _target(r, c) -> str:
    ids = r["figure_ids"].split(";")
    count, pct, tid = ids
    noun = "thôn, bản" if "villages" in count else "gia đình"
    who = "huyện giao" if "district" in tid else "tỉnh giao"
    t, tol = c.v(tid), r["tolerance"]
    head = (f"{n(c.v(count))} {noun} đạt {c.printed(pct)}% so với chỉ tiêu {who} cho thấy chỉ "
            f"tiêu khoảng {n(round(t))} {noun} (tính ra {n(t, 3)}); ")
    if r["verdict"] == "unverifiable":
        return head + ("tỷ lệ phần trăm in quá thô để phân biệt: mọi chỉ tiêu trong khoảng "
                       f"±{n(tol, 2)} đều khớp, và số nào cũng cách một số nguyên không quá "
                       "0,5.")
    dist = abs(t - round(t))
    if r["verdict"] == "consistent":
        return head + (f"cách số nguyên {n(round(t))} là {n(dist, 4)}, trong phạm vi "
                       f"±{n(tol, 4)} mà việc làm tròn tỷ lệ cho phép.")
    return head + (f"cách số nguyên gần nhất {n(dist, 4)}, lớn hơn ±{n(tol, 4)} mà việc làm "
                   f"tròn tỷ lệ cho phép: chỉ tiêu phải là một số nguyên {noun}.")


def _poverty(r, c) -> str:
    v = c.v
    text = (f"Tỷ lệ hộ nghèo còn {n(v('labour_poverty_rate'), 2)}%, “giảm "
            f"{n(v('labour_poverty_change'), 2)}% so với năm 2015”. Nếu hiểu là giảm theo điểm "
            f"phần trăm, tỷ lệ năm 2015 là {n(v('d_labour_poverty_rate_2015_pp'), 2)}%; nếu hiểu "
            f"là giảm tương đối, tỷ lệ năm 2015 là "
            f"{n(v('d_labour_poverty_rate_2015_relative'), 2)}%. ")
    if r["verdict"] == "ambiguous":
        return text + ("Cả hai đều là tỷ lệ năm 2015 có thể có (cao hơn tỷ lệ năm 2019 và dưới "
                       "100%), nên không xác định được báo cáo tính theo cách nào.")
    return text + "Chỉ một cách hiểu cho tỷ lệ năm 2015 hợp lý."


def _plausibility(r, c) -> str:
    cid, v = r["check_id"], c.v
    pop = v("d_health_population")
    if cid == "population_from_doctor_density":
        return (f"{n(v('health_doctors'))} bác sỹ với tỷ lệ {n(v('health_doctor_density'), 1)} "
                f"bác sỹ/vạn dân cho thấy dân số khoảng {n(round(pop, -2))} người (±"
                f"{n(round(r['tolerance'], -2))} do làm tròn tỷ lệ). Báo cáo không nêu dân số "
                "để đối chiếu.")
    if cid == "plausibility_grain_output":
        most = n(ref("max_grain_tonnes_per_sown_ha"))
        return (f"Bình quân {n(v('agri_food_per_head'))} kg lương thực/người với khoảng "
                f"{n(round(pop, -2))} dân tương ứng khoảng "
                f"{n(round(v('d_agri_food_output'), -2))} tấn/năm, tức ít nhất "
                f"{n(v('d_agri_food_yield_per_sown_ha'), 1)} tấn/ha gieo trồng (nếu toàn bộ "
                "diện tích gieo trồng đều là cây lương thực); "
                + (f"mức này thấp hơn {most} tấn/ha của một vụ lúa năng suất cao ({_outside()}"
                   "), nên hợp lý." if r["verdict"] == "consistent" else
                   f"mức này vượt {most} tấn/ha của một vụ lúa năng suất rất cao ({_outside()}"
                   "): số liệu lương thực hoặc dân số đáng ngờ."))
    if cid == "plausibility_budget_per_head":
        share = v("budget_revenue") / v("ind_output_total") * 100
        ceiling = n(ref("own_revenue_share_ceiling"))
        return (f"Tổng thu ngân sách {n(v('budget_revenue'), 3)} tỷ đồng tương đương khoảng "
                f"{n(v('d_budget_revenue_per_head'), 1)} triệu đồng/người, bằng {n(share)}% "
                "toàn bộ giá trị sản xuất CN-TTCN của huyện. "
                + (f"Nếu chỉ là thu ngân sách trên địa bàn thì con số này quá lớn (vượt ngưỡng "
                   f"{ceiling}%, theo {_outside()}); nó chỉ hợp lý nếu là tổng thu kể "
                   "cả thu bổ sung từ ngân sách tỉnh, điều mà báo cáo không nêu rõ."
                   if r["verdict"] == "ambiguous" else
                   f"Mức này hợp lý với thu ngân sách trên địa bàn huyện (trong ngưỡng "
                   f"{ceiling}%, theo {_outside()})."))
    lo, hi = ref("household_size_min"), ref("household_size_max")
    return (f"Khoảng {n(round(pop, -2))} dân trên {n(v('sec_households_pledged'))} hộ gia "
            "đình đã ký cam kết đảm bảo an ninh trật tự tương đương tối đa "
            f"{n(v('d_persons_per_household'), 2)} người/hộ, "
            + (f"nằm trong khoảng {lo}–{hi} người/hộ thường gặp ở huyện miền núi ({_outside()}"
               ")." if r["verdict"] == "consistent" else
               f"nằm ngoài khoảng {lo}–{hi} người/hộ thường gặp ({_outside()}): "
               "số dân hoặc số hộ đáng ngờ."))


def _range(r, c) -> str:
    cid, v = r["check_id"], c.v
    ok = r["verdict"] == "consistent"
    if cid == "range_new_rural_criteria":
        return (f"Các xã “cơ bản đạt” các tiêu chí nông thôn mới có từ "
                f"{n(v('nr_criteria_low'))} đến {n(v('nr_criteria_high'))} tiêu chí đạt chuẩn, "
                f"{'không vượt quá' if ok else 'vượt quá'} "
                f"{ref('national_new_rural_criteria')} tiêu chí của Bộ tiêu chí quốc gia "
                f"({_outside()}).")
    if cid == "range_teachers_above_within_qualified":
        return (f"{n(v('edu_teachers_above_standard'))}% giáo viên trên chuẩn "
                f"{'không vượt' if ok else 'vượt'} {n(v('edu_teachers_qualified'))}% giáo viên "
                "đạt chuẩn.")
    if cid == "range_sport_share_of_population":
        return (f"{n(v('culture_sport_people_low'))}-{n(v('culture_sport_people_high'))} người "
                f"tập luyện thể thao thường xuyên là {n(v('d_culture_sport_share_low'), 1)}-"
                f"{n(v('d_culture_sport_share_high'), 1)}% của khoảng "
                f"{n(round(v('d_health_population'), -2))} người, "
                f"{'một tỷ lệ hợp lý' if ok else 'một tỷ lệ không thể có'}.")
    if cid.startswith("range_share_"):
        fid = cid.removeprefix("range_share_")
        return (f"{_label(c, fid)}: {c.printed(fid)}% "
                f"{'là một tỷ lệ có thể có (không quá 100%)' if ok else 'vượt 100%, không thể'}.")
    lo_id, hi_id = r["figure_ids"].split(";")
    f = c.figures.loc[lo_id]
    what, whole = (("cận dưới", "cận trên") if cid.startswith("range_") else ("số đếm", "tổng số"))
    return (f"Trong “{f['quote']}”, {what} {n(f['value'])} {'không vượt' if ok else 'lớn hơn'} "
            f"{whole} {n(c.v(hi_id))} ({_u(str(f['unit']))}).")


_SUBSET_VI = {
    "award_grassroots_emulation_fighters": ("chiến sĩ thi đua cơ sở",
                                            "cá nhân đạt danh hiệu Lao động tiên tiến",
                                            "danh hiệu Chiến sĩ thi đua cơ sở đòi hỏi đạt danh "
                                            "hiệu Lao động tiên tiến"),
    "award_prov_flag": ("Cờ thi đua xuất sắc của UBND tỉnh",
                        "tập thể đạt danh hiệu Tập thể lao động xuất sắc",
                        "cờ thi đua của tỉnh trao cho tập thể tiêu biểu trong các tập thể lao "
                        "động xuất sắc"),
    "award_gov_flag": ("Cờ thi đua của Chính phủ", "Cờ thi đua của UBND tỉnh",
                       "cờ của Chính phủ trao cho đơn vị tiêu biểu trong các đơn vị được tặng cờ"),
    "d_awards_national": ("khen thưởng cấp Nhà nước", "khen thưởng cấp tỉnh",
                          "khen thưởng cấp cao hơn thì ít hơn"),
    "d_awards_provincial": ("khen thưởng cấp tỉnh", "khen thưởng cấp huyện",
                            "khen thưởng cấp cao hơn thì ít hơn"),
}


def _subset(r, c) -> str:
    a, b = r["figure_ids"].split(";")
    na, nb, why = _SUBSET_VI[a]
    return (f"{n(c.v(a))} {na} không được nhiều hơn {n(c.v(b))} {nb} (theo thông lệ: {why}; "
            "không phải quy tắc số học): "
            + ("đúng như vậy." if r["verdict"] == "consistent" else "nhưng lại nhiều hơn."))


def _unverifiable(r, c) -> str:
    v = c.v
    if r["check_id"] == "budget_plan_and_2015":
        return (f"Thu {n(v('budget_revenue'), 3)} tỷ đồng, đạt "
                f"{c.printed('budget_revenue_vs_plan')}% kế hoạch, cho thấy kế hoạch khoảng "
                f"{n(v('d_budget_revenue_plan'))} tỷ đồng;"
                f" “tăng {n(v('budget_revenue_change'))}% so với năm 2015” cho thấy năm 2015 khoảng"
                f" {n(v('d_budget_revenue_2015'))} tỷ đồng. Báo cáo không nêu kế hoạch và số "
                "thu năm 2015, nên không kiểm tra được.")
    water = v("d_infra_villages_water")
    return (f"{n(v('infra_villages_water'))}% của {n(v('culture_villages_total'))} thôn, bản "
            f"là khoảng {n(water, 1)} thôn, bản; tỷ lệ được làm tròn đến phần trăm nên cho "
            f"phép sai lệch ±{n(r['tolerance'], 1)} thôn, bản; vì vậy số nguyên nào gần đó cũng "
            "khớp và không kiểm tra được chặt hơn.")


_FAMILIES = [
    ("sum_", _sum), ("baseline_", _baseline), ("communes_", _communes),
    ("growth_", _growth), ("target_", _target), ("poverty_change_reading", _poverty),
    ("population_", _plausibility), ("plausibility_", _plausibility),
    ("ratio_villages_with_water", _unverifiable), ("budget_plan_and_2015", _unverifiable),
    ("range_", _range), ("ratio_", _range), ("subset_", _subset),
]


def translate(row: dict, c) -> dict:
    """``row`` with ``explanation_vi`` filled when its family has a Vietnamese text."""
    if row.get("explanation_vi"):
        return row
    for prefix, fn in _FAMILIES:
        if row["check_id"].startswith(prefix):
            return {**row, "explanation_vi": fn(row, c)}
    return row
