"""audit-text on made-up sentences: every check kind and verdict, and the judgement rules."""

from __future__ import annotations

import re

import pytest

from dbanalysis.textaudit import KINDS, audit_text


def checks(text: str, kind: str | None = None) -> list:
    found = audit_text(text)
    return [c for c in found if kind is None or c.check == kind]


def only(text: str, kind: str):
    found = checks(text, kind)
    assert len(found) == 1, [(c.check, c.verdict, c.quotes) for c in found]
    return found[0]


# --- parts_sum ---------------------------------------------------------------------------

def test_parts_that_add_up_are_consistent():
    c = only("Giá trị sản xuất đạt 1.342 tỷ đồng, trong đó: doanh nghiệp 783 tỷ đồng; "
             "hộ cá thể 489 tỷ đồng; chế biến khác 70 tỷ đồng.", "parts_sum")
    assert c.verdict == "consistent"
    assert (c.expected, c.observed) == (1342, 1342)
    assert c.quotes[0].endswith("1.342 tỷ đồng") and len(c.quotes) == 4


def test_parts_that_match_after_rounding_are_consistent():
    # 3,4 + 7,2 = 10,6 against 10,5: within the ±0,15 three printed decimals allow
    c = only("Diện tích rừng trồng 10,5 ha, trong đó keo 3,4 ha, thông 7,2 ha.", "parts_sum")
    assert c.verdict == "consistent"
    assert c.observed == pytest.approx(10.6) and c.tolerance == pytest.approx(0.15)


def test_parts_that_exceed_the_total_are_inconsistent():
    c = only("Tổng đàn gia súc 61.240 con, trong đó đàn bò 38.615 con, đàn heo 19.870 con, "
             "đàn dê 3.755 con.", "parts_sum")
    assert c.verdict == "inconsistent"
    assert c.observed - c.expected == 1000
    assert "1,000 head more" in c.explanation["en"] and "1.000" in c.explanation["vi"]


def test_parts_short_of_the_total_leave_the_reading_open():
    c = only("Toàn tỉnh có 187 xã đạt chuẩn, trong đó có 41 xã đạt chuẩn nâng cao và 9 xã "
             "đạt chuẩn kiểu mẫu.", "parts_sum")
    assert c.verdict == "ambiguous"
    assert "some of the parts" in c.explanation["en"]


def test_a_part_list_ends_at_a_semicolon_before_another_category():
    text = ("Diện tích gieo trồng cây hằng năm 38.460 ha, trong đó: lúa 12.215 ha, ngô 9.870 ha, "
            "sắn 11.270 ha, mía 5.105 ha; diện tích cây lâu năm hiện có 14.930 ha.")
    c = only(text, "parts_sum")
    assert c.verdict == "consistent" and c.observed == 38460
    assert not any("14.930" in q for q in c.quotes)


def test_a_semicolon_clause_of_the_same_category_completes_the_list():
    c = only("Toàn tỉnh có 1.845 thôn, trong đó 1.126 thôn đạt chuẩn, 312 thôn đang hoàn thiện "
             "hồ sơ; 407 thôn chưa đăng ký.", "parts_sum")
    assert c.verdict == "consistent" and c.observed == 1845
    assert "semicolon" in c.explanation["en"]


def test_one_part_is_held_within_its_total():
    assert only("Tổng nguồn lực đạt 7.215 tỷ đồng, trong đó nhân dân đóng góp 27.450 triệu đồng.",
                "parts_sum").verdict == "consistent"
    assert only("Có 9 xã đạt chuẩn, trong đó 12 xã đạt chuẩn nâng cao.",
                "parts_sum").verdict == "inconsistent"


def test_growth_rates_of_sectors_are_not_parts():
    text = ("Giá trị sản xuất tăng bình quân 14,5%; trong đó: nông nghiệp tăng 4,8%; công "
            "nghiệp tăng 19,6%; dịch vụ tăng 15,3%.")
    assert checks(text, "parts_sum") == []


def test_total_before_trong_do_starting_a_sentence():
    c = only("Tổng giá trị sản xuất ước đạt 3.912,6 tỷ đồng, bằng 74,8% kế hoạch năm (5.230 tỷ "
             "đồng). Trong đó: nông, lâm nghiệp 1.846,2 tỷ đồng; công nghiệp 1.120,5 tỷ đồng; "
             "dịch vụ 945,9 tỷ đồng.", "parts_sum")
    assert c.verdict == "consistent" and c.expected == pytest.approx(3912.6)


# --- headline_total ----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "verdict"), [
    ("Huyện gồm 27 đơn vị hành chính (24 xã, 3 thị trấn).", "consistent"),
    ("Khen thưởng 86 tập thể và cá nhân, trong đó 25 tập thể và 71 cá nhân.", "inconsistent"),
    ("Tặng giấy khen cho 318 lượt tập thể, cá nhân, trong đó 76 tập thể, 229 cá nhân.",
     "ambiguous"),
])
def test_headline_total(text, verdict):
    assert only(text, "headline_total").verdict == verdict


# --- ratio -------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "verdict", "case"), [
    ("Có 6/13 xã đạt chuẩn nông thôn mới (chiếm 46,2%).", "consistent", "46.15%"),
    ("Có 6/13 xã đạt chuẩn nông thôn mới (chiếm 47,2%).", "inconsistent", "not the printed"),
    ("Có 19/21 xã đạt chuẩn (chiếm 90,47%).", "ambiguous", "cut rather than rounded"),
    ("Giá trị sản xuất gấp 2,1 lần năm 2015 (18.560/8.838 tỷ đồng).", "consistent", "times"),
    ("Có 19/21 xã có trạm y tế.", "consistent", "within its total"),
    ("Có 23/21 xã có trạm y tế.", "inconsistent", "larger than its total"),
])
def test_ratio(text, verdict, case):
    c = only(text, "ratio")
    assert c.verdict == verdict and case in c.explanation["en"]


def test_two_totals_for_the_same_places_are_ambiguous_not_inconsistent():
    found = checks("Có 19/21 xã có trạm y tế. Công an lắng nghe ý kiến tại 15/25 xã.", "ratio")
    two = [c for c in found if "two different totals" in c.explanation["en"]]
    assert len(two) == 1 and two[0].verdict == "ambiguous"
    assert not any(c.verdict == "inconsistent" for c in found)


def test_a_plan_percentage_is_not_the_share_of_a_fraction():
    """The fraction is checked within its total, and the plan's percentage is not read as
    its share (it held with no ratio check found at all: an all() over nothing)."""
    text = "Có 342/465 thôn bản được công nhận, đạt 105,23% so với chỉ tiêu huyện giao."
    c = only(text, "ratio")
    assert c.verdict == "consistent" and "within its total" in c.explanation["en"]
    assert c.quotes == ["Có 342/465 thôn bản"], c.quotes


# --- baseline ----------------------------------------------------------------------------

def test_baseline_positive_and_negative():
    ok = only("Đàn gia súc đạt 42.998 con, tăng 5.532 con so với năm 2015.", "baseline")
    assert ok.verdict == "consistent" and ok.observed == 37466
    assert "2015" in ok.explanation["en"] and "so với năm 2015" in ok.explanation["vi"]
    bad = only("Tổng đàn gia cầm ước đạt 1,558 con, tăng 469.227 con so với năm 2015.",
               "baseline")
    assert bad.verdict == "inconsistent" and bad.observed < 0


def test_baseline_percent_against_a_stated_earlier_value():
    c = only("Giá trị sản xuất đạt 2.614,35 tỷ đồng, tăng 6,9% so với cùng kỳ năm 2023 "
             "(2.445,6 tỷ đồng).", "baseline")
    assert c.verdict == "consistent"
    c = only("Giá trị sản xuất đạt 2.614,35 tỷ đồng, tăng 9,6% so với cùng kỳ năm 2023 "
             "(2.445,6 tỷ đồng).", "baseline")
    assert c.verdict == "inconsistent"


def test_baseline_percent_without_the_earlier_value_is_unverifiable():
    c = only("Đàn lợn còn 48.915 con, giảm 3,6% so với năm 2019.", "baseline")
    assert c.verdict == "unverifiable"


# --- growth ------------------------------------------------------------------------------

def test_growth_with_both_years_is_judged():
    # 100 -> 121 from 2018 to 2020: 10 % a year compound
    c = only("Năm 2020 đàn bò đạt 121 con, tăng 21 con so với năm 2018, tăng bình quân "
             "10%/năm.", "growth")
    assert c.verdict == "consistent"


def test_growth_without_years_fits_one_reading_only_ambiguous():
    # 100 -> 121: 4.88 % over 4 years, 3.89 % over 5 (compound); 5,25 % fits 4 years simple
    c = only("Đàn bò đạt 121 con, tăng 21 con, tăng bình quân 5,25%/năm.", "growth")
    assert c.verdict == "ambiguous" and "one reading" in c.explanation["en"]


def test_growth_above_every_compound_reading_is_two_readings():
    # 37 466 -> 42 998: 3.50 % a year compound over 4 years, 2.79 % over 5; 3,74 % fits
    # neither, but a mean of yearly rates (never below the compound rate) could give it
    c = only("Đàn gia súc đạt 42.998 con, tốc độ tăng trưởng đàn bình quân đạt 3,74%, tăng 5.532 "
             "con so với năm 2015.", "growth")
    assert c.verdict == "ambiguous" and "mean of the yearly rates" in c.explanation["en"]


def test_growth_below_every_compound_reading_inconsistent():
    # 148,5 -> 412: 22.6 % a year compound over 5 years, 29.1 % over 4; 17,6 % is below both,
    # which no mean of yearly rates can be
    c = only("Thu ngân sách đạt 412 tỷ đồng, tăng 263,5 tỷ đồng so với năm 2015, tăng bình "
             "quân 17,6%/năm.", "growth")
    assert c.verdict == "inconsistent" and "below every compound rate" in c.explanation["en"]


@pytest.mark.parametrize(("fall", "verdict"), [("3", "ambiguous"), ("8", "inconsistent")])
def test_a_fall_steeper_than_every_compound_fall_is_inconsistent(fall, verdict):
    # 100 -> 80: a compound fall of 5.43 % a year over 4 years, 4.36 % over 5; a mean of
    # yearly falls is never steeper than the compound fall
    c = only(f"Đàn lợn còn 80 con, giảm 20 con so với năm 2015, giảm bình quân {fall}%/năm.",
             "growth")
    assert c.verdict == verdict


def test_growth_without_levels_unverifiable():
    assert only("Thu ngân sách tăng bình quân 10%/năm.", "growth").verdict == "unverifiable"


# --- plan --------------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "verdict"), [
    ("Tổng thu ngân sách ước đạt 291,6 tỷ đồng, bằng 61,2% kế hoạch tỉnh giao (476,5 tỷ đồng).",
     "consistent"),
    ("Tổng thu ngân sách ước đạt 291,6 tỷ đồng, bằng 59,7% kế hoạch tỉnh giao (503,6 tỷ đồng).",
     "inconsistent"),
    ("Tổng diện tích gieo trồng đạt 26.142 ha, bằng 101,3% kế hoạch.", "unverifiable"),
    ("Có 342 thôn bản được công nhận, đạt 105,23% so với chỉ tiêu huyện giao.", "consistent"),
    ("Tổng thu ngân sách vượt 14% so với dự toán tỉnh giao.", "unverifiable"),
])
def test_plan(text, verdict):
    assert only(text, "plan").verdict == verdict


def test_a_plan_amount_is_not_a_part_list():
    text = ("Tổng diện tích gieo trồng 38.460 ha, đạt 96,2% kế hoạch, trong đó: lúa 12.215 ha, "
            "ngô 26.245 ha.")
    assert only(text, "plan").verdict == "unverifiable"


# --- list_count --------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "verdict"), [
    ("Có 3 xã (Nà Khe, Lũng Pầu, Cốc Vài) đạt 15 tiêu chí.", "consistent"),
    ("Có 3 xã (Nà Khe, Lũng Pầu) đạt 15 tiêu chí.", "inconsistent"),
    ("Có 4 xã (Nà Khe, Lũng Pầu...) đạt 15 tiêu chí.", "ambiguous"),
    ("Còn 03 chỉ tiêu chưa đạt là tỷ lệ lao động qua đào tạo, tỷ lệ trường đạt chuẩn và số "
     "xã đạt chuẩn nông thôn mới.", "consistent"),
])
def test_list_count(text, verdict):
    assert only(text, "list_count").verdict == verdict


# --- every check ---------------------------------------------------------------------------

def test_every_kind_and_verdict_is_covered_and_explained_in_both_languages():
    texts = [
        "Giá trị sản xuất đạt 1.342 tỷ đồng, trong đó: doanh nghiệp 783 tỷ đồng; hộ 559 tỷ đồng.",
        "Huyện gồm 27 đơn vị hành chính (24 xã, 3 thị trấn).",
        "Có 6/13 xã đạt chuẩn nông thôn mới (chiếm 47,2%).",
        "Đàn gia súc đạt 42.998 con, tăng 5.532 con so với năm 2015.",
        "Thu ngân sách tăng bình quân 10%/năm.",
        "Có 19/21 xã có trạm y tế. Công an lắng nghe ý kiến tại 15/25 xã.",
        "Có 3 xã (Nà Khe, Lũng Pầu, Cốc Vài) đạt 15 tiêu chí.",
        "Tổng diện tích gieo trồng đạt 26.142 ha, bằng 101,3% kế hoạch.",
    ]
    found = [c for t in texts for c in audit_text(t)]
    assert {c.check for c in found} == set(KINDS)
    assert {c.verdict for c in found} == {"consistent", "inconsistent", "ambiguous",
                                          "unverifiable"}
    for c in found:
        assert c.explanation["en"] and c.explanation["vi"]
        assert c.explanation["en"] != c.explanation["vi"]
        assert not re.search(r"[{}]", c.explanation["en"] + c.explanation["vi"])
        assert c.quotes and len(c.quotes) == len(c.spans)


def test_quotes_are_verbatim_spans_of_the_text():
    """Each quote is the text at its span (it held with no check found: a loop over
    nothing); the sum's three numbers are each quoted."""
    text = "Tổng đàn gia súc 61.240 con, trong đó đàn bò 38.615 con, đàn heo 22.625 con."
    quoted = [(q, span) for c in audit_text(text) for q, span in zip(c.quotes, c.spans,
                                                                     strict=True)]
    assert len(quoted) >= 3 and all(text[a:b] == q for q, (a, b) in quoted), quoted
    assert [q for q, _ in quoted if "61.240" in q or "38.615" in q or "22.625" in q] == [
        "gia súc 61.240 con", "đàn bò 38.615 con", "đàn heo 22.625 con"]


def test_numbers_in_the_explanations_follow_each_language():
    c = only("Diện tích rừng trồng 1.510,5 ha, trong đó keo 3,4 ha, thông 1.507,1 ha.",
             "parts_sum")
    assert "1,510.5" in c.explanation["en"] and "1.510,5" in c.explanation["vi"]


def test_text_without_relations_gives_no_checks():
    assert audit_text("Ngày 24 tháng 4 năm 2019, huyện đón nhận Huân chương Lao động.") == []


def test_a_fraction_and_the_rest_make_the_total():
    ok = checks("Có 19/21 xã có nhà trạm y tế (02 xã còn lại đang xây dựng).", "parts_sum")
    assert [c.verdict for c in ok] == ["consistent"] and ok[0].observed == 21
    bad = checks("Có 19/21 xã có nhà trạm y tế (03 xã còn lại đang xây dựng).", "parts_sum")
    assert [c.verdict for c in bad] == ["inconsistent"]


def test_a_colon_list_of_quoted_names_separated_by_semicolons():
    c = only("Đặc biệt 04 phong trào lớn do Thủ tướng phát động: phong trào “Doanh nghiệp hội "
             "nhập và phát triển”; phong trào “Vì người nghèo”; phong trào “Chung tay xây dựng "
             "nông thôn mới” và phong trào “Cán bộ, công chức thi đua”... qua đó đã khơi dậy.",
             "list_count")
    assert c.verdict == "consistent" and c.observed == 4


def test_no_change_read_across_a_semicolon_or_from_a_ratio():
    text = ("Giá trị sản xuất đạt 7.340 tỷ đồng; tỷ lệ hộ nghèo bình quân mỗi năm giảm 3,12%. "
            "Doanh thu gấp 2,75 lần đầu kỳ, tăng 2 lần so với đầu nhiệm kỳ.")
    assert checks(text, "baseline") == []
    assert only("Hộ nghèo giảm bình quân 2,3%/năm, còn 6,85% cuối năm 2020.",
                "growth").quotes[0].endswith("2,3%/năm")
