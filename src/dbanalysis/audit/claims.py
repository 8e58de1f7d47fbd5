"""Audit checks of the report's wording: claims that sit beside the figures they rest on.

Each check reads what a sentence claims ("đạt 100% NQ", "04 phong trào lớn do Thủ
tướng", "số hộ nghèo … %") and tests it against the catalogued figures or the
article's own text, so the verdict follows from the data: change a figure (or the
text) and it can flip. Every explanation is written in English and Vietnamese.

Called by :func:`dbanalysis.audit.run.run_audit` (family :func:`claim_checks`), with the
audit's :class:`~dbanalysis.audit.run.Context`.
"""

from __future__ import annotations

import math
import re

from babel.numbers import format_decimal

from ..catalogue import vocab
from ..catalogue.source import load_report
from .context import check_row as _row


def _n(x: float, decimals: int = 0, lang: str = "en") -> str:
    """A number in the language's notation, with ``decimals`` decimals."""
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(x, format=pattern, locale="vi" if lang == "vi" else "en")


def _span(c, first: str, last: str) -> str:
    """The report's text from the start of figure ``first`` to the end of ``last``."""
    starts = [int(c.figures.loc[i, "start"]) for i in (first, last)]
    ends = [int(c.figures.loc[i, "end"]) for i in (first, last)]
    return load_report()[min(starts): max(ends)]


def _stations_doctor_resolution(c) -> dict:
    count, total = c.v("health_stations_with_doctor"), c.v("health_stations_total")
    claimed, share = c.v("health_stations_doctor_vs_resolution"), c.v(
        "d_health_stations_doctor_share")
    quote = _span(c, "health_stations_with_doctor", "health_stations_doctor_vs_resolution")
    if count >= total or claimed < 100:
        verdict = "consistent"
        en = vi = ""
    else:
        verdict = "ambiguous"
        en = (f"'{quote}': {_n(count)} of {_n(total)} commune health stations have a doctor, "
              f"{_n(share, 1)}% of them, and the report calls this {_n(claimed)}% of the "
              f"resolution's target. That holds if the resolution asked for at most "
              f"{_n(count)} stations with a doctor; if it asked for a doctor in every station, "
              f"the district reached {_n(share, 1)}% of it. The report does not state the "
              "target, so the claim cannot be settled either way.")
        vi = (f"“{quote}”: {_n(count, lang='vi')}/{_n(total, lang='vi')} trạm y tế xã có bác "
              f"sỹ, tức {_n(share, 1, 'vi')}% số trạm, nhưng báo cáo ghi đạt "
              f"{_n(claimed, lang='vi')}% chỉ tiêu Nghị quyết. Điều đó đúng nếu Nghị quyết đặt "
              f"chỉ tiêu không quá {_n(count, lang='vi')} trạm có bác sỹ; nếu chỉ tiêu là mọi "
              f"trạm đều có bác sỹ thì chỉ đạt {_n(share, 1, 'vi')}% chỉ tiêu. Báo cáo không "
              "nêu chỉ tiêu nên không xác định được cách hiểu nào đúng.")
    return _row("claim_stations_doctor_resolution", "claim", "health", verdict,
                ["health_stations_with_doctor", "health_stations_total",
                 "health_stations_doctor_vs_resolution", "d_health_stations_doctor_share"],
                claimed, share, 0.0, en or (
                    f"'{quote}': {_n(share, 1)}% of the stations have a doctor, which fits "
                    f"the claim of {_n(claimed)}% of the target."),
                vi or (f"“{quote}”: {_n(share, 1, 'vi')}% số trạm có bác sỹ, phù hợp với "
                       f"mức đạt {_n(claimed, lang='vi')}% chỉ tiêu đã nêu."))


def _doctor_density_resolution(c) -> dict:
    f = c.catalogue
    # a catalogued target density (none in this report) would make the claim checkable
    target = f[(f["unit"] == "doctors_per_10k") & (f["figure_id"] != "health_doctor_density")]
    d = c.v("health_doctor_density")
    verdict = ("unverifiable" if target.empty
               else "consistent" if d >= target["value"].max() else "inconsistent")
    quote = _span(c, "health_doctors", "health_doctor_density_vs_resolution")
    return _row(
        "claim_doctor_density_resolution", "claim", "health", verdict,
        ["health_doctors", "health_doctor_density", "health_doctor_density_vs_resolution"],
        math.nan, c.v("health_doctor_density_vs_resolution"), math.nan,
        f"'{quote}': {_n(d, 1)} doctors per 10,000 people is called "
        f"{_n(c.v('health_doctor_density_vs_resolution'))}% of the resolution's target, so the "
        f"target was at most {_n(d, 1)}; the report gives neither the target nor the "
        "population, so the claim cannot be checked.",
        f"“{quote}”: {_n(d, 1, 'vi')} bác sỹ/vạn dân được ghi là đạt "
        f"{_n(c.v('health_doctor_density_vs_resolution'), lang='vi')}% chỉ tiêu Nghị quyết, "
        f"tức chỉ tiêu không quá {_n(d, 1, 'vi')}; báo cáo không nêu chỉ tiêu và dân số nên "
        "không kiểm tra được.")


def _poverty_rate_for_count(c) -> dict:
    quote = str(c.figures.loc["labour_poverty_rate", "quote"])
    unit = str(c.figures.loc["labour_poverty_rate", "unit"])
    count_noun = re.match(r"số\s+hộ", quote, flags=re.IGNORECASE) is not None
    verdict = "ambiguous" if count_noun and unit == "percent" else "consistent"
    rate = c.v("labour_poverty_rate")
    if verdict == "ambiguous":
        en = (f"'{quote}': the subject is the number of poor households (số hộ nghèo, a count), "
              f"the figure a percentage ({_n(rate, 2)}%). The catalogue reads it as the poverty "
              "rate (poor households as a share of all households). The report gives "
              "neither the count of poor households nor the number of all households, so the "
              "rate cannot be checked; and the fall beside it ('giảm … so với năm 2015') has "
              "two readings of its own (see the check poverty_change_reading).")
        vi = (f"“{quote}”: chủ ngữ là số hộ nghèo (một con số đếm), còn số liệu là tỷ lệ "
              f"({_n(rate, 2, 'vi')}%). Ở đây đọc là tỷ lệ hộ nghèo (số hộ nghèo trên tổng số "
              "hộ). Báo cáo không nêu số hộ nghèo và tổng số hộ nên không kiểm tra được tỷ lệ "
              "này; mức giảm đi kèm (“giảm … so với năm 2015”) cũng có hai cách hiểu (xem "
              "phép kiểm tra poverty_change_reading).")
    else:
        en = f"'{quote}': a rate stated as a rate."
        vi = f"“{quote}”: tỷ lệ được nêu là tỷ lệ."
    return _row("claim_poverty_rate_for_count", "wording", "labour", verdict,
                ["labour_poverty_rate", "labour_poverty_change"], math.nan, rate, math.nan,
                en, vi)


#: A named movement in the article: phong trào “…”.
_MOVEMENT = re.compile(r"phong trào\s+“([^”]+)”", flags=re.IGNORECASE)
_NEW_RURAL_NAME = re.compile(r"[Cc]ả nước chung (\w+) xây dựng nông thôn mới")


def _pm_movements(c) -> dict:
    text = load_report()
    stated = c.v("emul_pm_movements")
    start = int(c.figures.loc["emul_pm_movements", "end"])
    stop = text.find("...", start)
    names = _MOVEMENT.findall(text[start: stop if stop > 0 else None])
    provincial = [n for n in names if re.search(r"\btỉnh\b", n, flags=re.IGNORECASE)]
    verbs = list(dict.fromkeys(m.lower() for m in _NEW_RURAL_NAME.findall(text)))
    if len(names) != stated:
        verdict = "inconsistent"
    elif provincial:
        verdict = "ambiguous"
    else:
        verdict = "consistent"
    quote = str(c.figures.loc["emul_pm_movements", "quote"])
    en = (f"'{quote} do Thủ tướng Chính phủ phát động': the report then names {_n(len(names))} "
          f"movements for the {_n(stated)} it states")
    vi = (f"“{quote} do Thủ tướng Chính phủ phát động”: báo cáo sau đó kể tên "
          f"{_n(len(names))} phong trào (số đã nêu: {_n(stated)})")
    if provincial:
        en += (f"; {_n(len(provincial))} of them names the province ('{provincial[0]}'), so as "
               "written a provincial movement is counted among those launched by the Prime "
               "Minister. It may be the province's own campaign under a national movement of "
               "a similar name (outside knowledge, not checked here); the report does not say.")
        vi += (f"; trong đó {_n(len(provincial))} phong trào mang tên tỉnh (“{provincial[0]}”), "
               "nên theo câu chữ, một phong trào của tỉnh được tính vào các phong trào do Thủ "
               "tướng phát động. Có thể đây là phong trào của tỉnh hưởng ứng một phong trào "
               f"toàn quốc có tên gọi tương tự ({vocab.term('outside knowledge', 'vi')}, chưa kiểm "
               "chứng); báo cáo không nói rõ.")
    else:
        en += "."
        vi += "."
    if len(verbs) > 1:
        en += (" The new-rural movement is named with 'chung " + "' and 'chung ".join(verbs)
               + "' in different paragraphs: one movement under two names.")
        vi += (" Phong trào nông thôn mới được ghi là “chung " + "” và “chung ".join(verbs)
               + "” ở hai đoạn khác nhau: một phong trào, hai tên gọi.")
    return _row("claim_pm_movements", "wording", "emulation", verdict, ["emul_pm_movements"],
                stated, len(names), 0.0, en, vi)


def _targets_met(c) -> dict:
    f = c.catalogue
    ach = f[f["kind"] == "achievement_vs_plan"]
    below = ach[ach["value"] < 100]
    verdict = "consistent" if below.empty else "inconsistent"
    low, high = ach["value"].min(), ach["value"].max()
    en = (f"The closing paragraph says the targets of the district Party congress resolution "
          f"were met or exceeded ('hoàn thành và hoàn thành vượt mức'). The report gives "
          f"{_n(len(ach))} results against a plan, target, quota or resolution, from "
          f"{_n(low)}% to {_n(high, 2)}%; ")
    vi = (f"Đoạn kết nêu các mục tiêu Nghị quyết Đại hội Đảng bộ huyện được “hoàn thành và "
          f"hoàn thành vượt mức”. Báo cáo nêu {_n(len(ach), lang='vi')} kết quả so với kế "
          f"hoạch, chỉ tiêu hoặc Nghị quyết, từ {_n(low, lang='vi')}% đến "
          f"{_n(high, 2, 'vi')}%; ")
    have, of = c.v("health_stations_with_doctor"), c.v("health_stations_total")
    if below.empty:
        en += ("none is below 100%, so the claim holds as far as the report's figures go "
               f"(one '100% NQ' rests on {_n(have)} of {_n(of)} stations with a doctor: "
               "see the check claim_stations_doctor_resolution).")
        vi += ("không kết quả nào dưới 100%, nên nhận định phù hợp với các số liệu báo cáo nêu "
               f"(riêng “100% NQ” về trạm y tế có bác sỹ dựa trên {_n(have, lang='vi')}/"
               f"{_n(of, lang='vi')} trạm: xem phép kiểm tra claim_stations_doctor_resolution).")
    else:
        en += f"{_n(len(below))} of them are below 100%."
        vi += f"có {_n(len(below), lang='vi')} kết quả dưới 100%."
    return _row("claim_targets_met", "claim", "emulation", verdict, list(ach["figure_id"]),
                100.0, low, 0.0, en, vi)


def _health_criteria_forecast(c) -> dict:
    expected = c.v("health_communes_national_criteria")
    possible = c.v("d_health_communes_station_plus_pending")
    ok = expected <= possible
    en = (f"By end-2020 {_n(expected)} communes are expected to meet the national health "
          f"criteria; {_n(c.v('health_communes_with_station'))} have a station building and "
          f"{_n(c.v('health_communes_station_pending'))} more are expected to open by then, "
          f"{_n(possible)} in all, so the forecast is "
          + ("possible if those stations open on time (it is a forecast, not a result)." if ok
             else "more than the communes that will have a station."))
    vi = (f"Dự kiến cuối năm 2020 có {_n(expected, lang='vi')} xã đạt tiêu chí quốc gia về y tế; "
          f"{_n(c.v('health_communes_with_station'), lang='vi')} xã đã có nhà trạm và "
          f"{_n(c.v('health_communes_station_pending'), lang='vi')} xã dự kiến có trạm hoạt "
          f"động trước thời điểm đó, tổng {_n(possible, lang='vi')} xã, nên dự kiến này "
          + ("khả thi nếu các trạm đi vào hoạt động đúng hạn (đây là dự kiến, chưa phải kết "
             "quả)." if ok else "vượt số xã sẽ có trạm y tế."))
    return _row("claim_health_criteria_forecast", "cross_reference", "health",
                "consistent" if ok else "inconsistent",
                ["health_communes_national_criteria", "health_communes_with_station",
                 "health_communes_station_pending", "d_health_communes_station_plus_pending"],
                possible, expected, 0.0, en, vi)


def claim_checks(c) -> list[dict]:
    """The wording and claim checks, one row each (both languages)."""
    return [_stations_doctor_resolution(c), _doctor_density_resolution(c),
            _poverty_rate_for_count(c), _pm_movements(c), _targets_met(c),
            _health_criteria_forecast(c)]
