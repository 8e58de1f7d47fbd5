"""Prose as data: the sentences the package writes are bilingual templates in data/,
not Python literals; every derived figure is labelled in both languages."""

from __future__ import annotations

import csv
import io
import re

import pytest
from helpers_data import derived_table
from helpers_prose import literals_in, vietnamese_literals

from dbanalysis.catalogue import sentences
from dbanalysis.catalogue.figures import figure
from dbanalysis.cli import check as checkcmd
from dbanalysis.derive.compute import fixed_specs
from dbanalysis.derive.families import period_fields
from dbanalysis.views import translations

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


#: Vietnamese literals allowed in src/, each (path, literal text) with its reason. A
#: parser's pattern matches the report's own words: it is code, not a sentence written.
ALLOWED = {
    ("src/dbanalysis/audit/claims.py", "[Cc]ả nước chung (\\w+) xây dựng nông thôn mới"):
        "regular expression matching the movement's name as the report prints it",
    ("src/dbanalysis/textaudit/spans.py",
     "(?<!\\w)(tăng|giảm|vượt|hơn|thấp hơn|cao hơn)(?:\\s+(?:thêm|được|lên|xuống|khoảng|gần"
     "|hơn|trên|bình quân|mỗi năm|là))*\\s*$"):
        "regular expression: the words before a change in any report (textaudit parser)",
    ("src/dbanalysis/textaudit/sums.py",
     "\\s*(?:lượt\\s+)?(?:tập thể|cá nhân|hộ gia đình)\\s*(?:,|và|và các)\\s*"
     "(?:tập thể|cá nhân|hộ gia đình)"):
        "regular expression: recipients counted together, as reports write them",
    ("src/dbanalysis/textaudit/sums.py", "(?<!\\w)(?:tổng|toàn huyện|toàn tỉnh|cả huyện)(?!\\w)"):
        "regular expression: the words that announce a total in any report",
}


def test_no_vietnamese_sentence_is_a_python_literal():
    found = vietnamese_literals()
    unexplained = [str(lit) for lit in found if (lit.path, lit.text) not in ALLOWED]
    assert not unexplained, ("Vietnamese sentences in Python string literals; write them as "
                             "bilingual templates in data/ (data/templates/*.csv or "
                             "data/vocab/labels.csv):\n" + "\n".join(unexplained))
    stale = set(ALLOWED) - {(lit.path, lit.text) for lit in found}
    assert not stale, f"allowlist entries that match nothing any more: {sorted(stale)}"


def test_the_literal_finder_sees_strings_and_fstrings_not_docstrings_or_english():
    source = '''
"""Mô-đun này tính tỷ lệ xã đạt chuẩn."""
def f(n):
    """Hàm này trả về nhãn tiếng Việt."""
    a = "Tỷ lệ xã đạt chuẩn nông thôn mới"
    b = f"Tỷ lệ {n} xã đạt chuẩn"
    c = "Share of communes in Điện Biên district"
    d = "Đàn gia súc"
    e = ("Tỷ lệ hộ nghèo: mức giảm "
         "so với năm 2015")
    return a, b, c, d, e
'''
    found = literals_in(source)
    assert [lit.line for lit in found] == [5, 6, 9]
    assert found[1].text == "Tỷ lệ {} xã đạt chuẩn"
    assert found[2].text == "Tỷ lệ hộ nghèo: mức giảm so với năm 2015"


def test_every_derived_figure_has_both_labels_and_a_vietnamese_assumption():
    derived = derived_table()
    assert len(derived) > 100
    for r in derived.itertuples():
        assert r.label_en.strip() and r.label_vi.strip(), r.figure_id
        assert "{" not in r.label_en + r.label_vi + r.assumption, r.figure_id
        if r.assumption:
            vi = translations.text("derived", r.figure_id, "assumption", r.assumption, "vi")
            assert vi != r.assumption, f"{r.figure_id}: assumption not in Vietnamese"
    # the declared figures' labels are the rows of data/templates/derived.csv
    texts = sentences.table("derived")
    for s in fixed_specs():
        for lang, label in (("en", s.label_en), ("vi", s.label_vi)):
            # a {figure_id} field is that catalogued figure's number, as the report prints it;
            # {span}, {n} and {end} the period of its reading (2015–2019, 4, 2019)
            template = texts[(f"{s.figure_id}.label", "any", lang)]
            period = period_fields(s.reading, lang)
            assert label == re.sub(r"\{(\w+)\}", lambda m, period=period: period.get(m.group(1)) or
                                   f"{figure(m.group(1))['value']:g}", template), s.figure_id


def _rows(path):
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"))))


def _write(path, rows):
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def test_an_edited_label_is_seen_without_code(data_copy):
    path = data_copy / "templates" / "derived.csv"
    rows = _rows(path)
    for r in rows:
        if r[0] == "d_agri_cattle_2015.label":
            r[1], r[2] = "Cattle in 2015 (edited)", "Đàn gia súc 2015 (đã sửa)"
        if r[0] == "population":  # both languages: a field of one only is an input error
            r[1], r[2] = "Population from the doctor density.", "Dân số tính từ tỷ lệ bác sỹ."
    _write(path, rows)
    d = derived_table().set_index("figure_id")
    assert d.loc["d_agri_cattle_2015", "label_en"] == "Cattle in 2015 (edited)"
    assert d.loc["d_agri_cattle_2015", "label_vi"] == "Đàn gia súc 2015 (đã sửa)"
    assert d.loc["d_budget_revenue_per_head", "assumption"] == \
        "Population from the doctor density."


def test_a_bad_derived_text_table_names_every_problem_at_once(data_copy, capsys):
    path = data_copy / "templates" / "derived.csv"
    rows = [r for r in _rows(path) if r[0] != "d_agri_fish_output_2015.label"]
    rows += [["d_no_such_figure.label", "A label", "Một nhãn"],
             ["d_agri_cattle_2015.assumption", "{nowhere} assumed", "{nowhere} giả định"],
             ["bad_phrase", "a brace { alone", "một dấu {"],
             ["half_bad", "a brace { alone", "đúng"],
             ["Not An Id", "x", "y"]]
    _write(path, rows)
    with pytest.raises(sentences.TemplateError) as exc:
        fixed_specs()
    msg = str(exc.value)
    n = len(rows)
    for part in (str(path), "d_agri_fish_output_2015", "no label",
                 f"line {n - 4} (d_no_such_figure.label)", "is declared",
                 f"line {n - 3} (d_agri_cattle_2015.assumption)", "{nowhere}",
                 f"line {n - 2} (bad_phrase)", "not a template", f"line {n - 1} (half_bad)",
                 f"line {n} (Not An Id)", "8 problem(s)"):
        assert part in msg, f"{part!r} not in {msg}"
    assert "but no" not in msg  # a text that is no template is not reported missing too
    assert checkcmd.run(None) == 2
    err = capsys.readouterr().err
    assert str(path) in err and "d_no_such_figure" in err and "Traceback" not in err


def test_a_quantity_in_the_base_year_says_the_one_base_year(monkeypatch, tmp_path):
    """The knowledge tables' cells for a value in the base year say derive.ids.BASE_YEAR,
    the one declaration, not a typed 2015: with it moved to 2016 while views.knowledge is
    imported (reloaded here, as test_glance does), every such cell says 2016, in both
    languages, read while the year is moved. A typed ``year=2015`` passed every test
    (REVIEW-24A 3)."""
    import importlib

    from dbanalysis.derive import ids
    from dbanalysis.views import knowledge

    def cells(lang: str) -> list[str]:
        return [c for c in set(knowledge.knowledge_table("agriculture", lang)["quantity"])
                | set(knowledge.knowledge_table_implied("labour", lang)["quantity"])
                if re.search(r"(?: in|(?<!với) năm) (?:2015|2016)(?: \(.+\))?$", c)]

    # read first at the declared year: the derivations the tables rest on are computed
    # (and remembered) unpatched, as in test_glance; only the cells' words are asked again
    before = {lang: cells(lang) for lang in ("en", "vi")}
    for said in before.values():  # at the declared year: the cells say 2015
        assert len(said) >= 8 and all(re.search(r"(?: in|năm) 2015", c) for c in said), said
    try:
        with monkeypatch.context() as patch:
            patch.setattr(ids, "BASE_YEAR", 2016)
            # nothing computed under the moved year reaches the shared disk cache
            patch.setenv("DBANALYSIS_CACHE", str(tmp_path))
            importlib.reload(knowledge)
            moved = {lang: cells(lang) for lang in ("en", "vi")}
    finally:
        importlib.reload(knowledge)
    for lang, said in moved.items():
        assert len(said) >= 8, (lang, said)
        assert not [c for c in said if re.search(r"(?: in|năm) 2015(?: \(.+\))?$", c)], said


def test_a_quantity_in_the_base_year_is_said_by_a_label(data_copy):
    """The knowledge tables' cell for a value in the base year ("Buffalo and cattle herd
    (2015)", "… (2015, read as % of the 2015 rate)") was put together with f-strings in
    views.knowledge, six times (FINAL-A 6): it is the labels knowledge.at_base_year and
    knowledge.at_base_year.reading, so rewording them rewords every such cell, in both
    languages."""
    from dbanalysis.views.changes import reading_label
    from dbanalysis.views.knowledge import knowledge_table, knowledge_table_implied

    def cells(lang: str) -> set[str]:
        return set(knowledge_table("agriculture", lang)["quantity"]) | set(
            knowledge_table_implied("labour", lang)["quantity"])

    before = {lang: cells(lang) for lang in ("en", "vi")}
    # "… in 2015", as the derived labels say it ("Aquatic output (farmed and caught)
    # (2015)" had two parentheses in a row, REVIEW-24A 8)
    assert "Buffalo and cattle herd in 2015" in before["en"]
    assert "Đàn trâu, bò năm 2015" in before["vi"]
    assert any(re.search(r" năm 2015 \(.+\)$", c) for c in before["vi"]), before["vi"]
    path = data_copy / "vocab" / "labels.csv"
    text = path.read_text(encoding="utf-8")
    edits = {"\nknowledge.at_base_year,{label} in {year},{label} năm {year},":
             "\nknowledge.at_base_year,{label} ({year}),{label} ({year}),",
             "\nknowledge.at_base_year.reading,{label} in {year} ({reading}),{label} năm {year} "
             "({reading}),": '\nknowledge.at_base_year.reading,{label} in {year}: {reading},'
             '{label} trong năm {year}: {reading},'}
    for old, new in edits.items():
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path.write_text(text, encoding="utf-8")
    after = {lang: cells(lang) for lang in ("en", "vi")}
    assert "Buffalo and cattle herd (2015)" in after["en"]
    for lang, word in (("en", "in"), ("vi", "trong năm")):
        # the relative reading's own name (it ends «so với tỷ lệ năm 2015») is not the
        # cell's year: taken out of each cell, by name, before the year is looked for
        reading = reading_label("relative", lang)
        assert not [c for c in after[lang]
                    if re.search(r"(?<!với)(?<!trong) năm 2015( \(|$)", c.replace(reading, ""))
                    or c.endswith(" in 2015")], after[lang]
        assert any(re.search(rf" {word} 2015: .+$", c) for c in after[lang]), after[lang]
