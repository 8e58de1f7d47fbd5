"""Wording rules the eighth Vietnamese review (REVIEW-vi8) found broken, checked on the data
and the executed notebooks rather than on one string each:

* a figure's label travels (formulas, tooltips, tables on other pages), so it names its
  sentence instead of pointing at "this sentence" (X1);
* the line saying where the numbers come from admits the computed figures and the few
  outside reference values the site also shows (X2);
* one English sentence has one Vietnamese translation wherever the data holds it (X12);
* Vietnamese labels, assumptions and notes write a span of years with an en dash, not the
  chart arrow (X11).
"""

from __future__ import annotations

import csv
import re
from collections import defaultdict

import nbformat
import pytest
from helpers_sources import notebook_say_texts

from dbanalysis.catalogue.figures import load_figures
from dbanalysis.core import labels
from dbanalysis.core.paths import REPO_ROOT, data_dir, report_notebooks
from dbanalysis.derive.lookup import derived_frame
from dbanalysis.views import translations

#: Words that point at the sentence a label was written beside.
_DEICTIC = re.compile(r"\b(?:câu này|đoạn này|this sentence|this paragraph)\b", re.IGNORECASE)


def _all_labels() -> list[tuple[str, str, str]]:
    out = []
    figs = load_figures()
    for lang in ("en", "vi"):
        out += [(f, lang, str(t))
                for f, t in zip(figs["figure_id"], figs[f"label_{lang}"], strict=True)]
    derived = derived_frame()
    for lang in ("en", "vi"):
        out += [(d, lang, str(derived.loc[d, f"label_{lang}"])) for d in derived.index]
    return out


def test_no_label_points_at_this_sentence() -> None:
    found = _all_labels()
    assert len(found) > 200
    bad = [(i, lang, t) for i, lang, t in found if _DEICTIC.search(t)]
    assert not bad, f"labels that only make sense beside their quote: {bad}"


def test_the_rule_finds_a_pointing_label() -> None:
    assert _DEICTIC.search("Tổng số xã (theo câu này)")
    assert _DEICTIC.search("All communes (as this sentence states)")
    assert not _DEICTIC.search("Tổng số xã (theo câu về diễn đàn Công an)")


#: The opening claim of where the site's numbers come from, either language.
_CLAIM = re.compile(r"(?:Every number on this site|Mọi con số trên trang web)[^.]*\.")
_COMPUTED = {"en": "computed from", "vi": "tính từ"}
_OUTSIDE = {"en": "outside reference values", "vi": "giá trị tham chiếu ngoài báo cáo"}


def _claims() -> dict[str, list[str]]:
    """Each such sentence of the labels table and of the executed notebooks' markdown."""
    found: dict[str, list[str]] = defaultdict(list)
    with (data_dir() / "vocab" / "labels.csv").open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            for lang in ("en", "vi"):
                found[lang] += _CLAIM.findall(row[lang])
    for path in report_notebooks(REPO_ROOT / "notebooks"):
        for cell in nbformat.read(path, as_version=4).cells:
            for out in cell.get("outputs", []):
                md = out.get("data", {}).get("text/markdown", "")
                for m in _CLAIM.findall(md):
                    found["vi" if m.startswith("Mọi") else "en"].append(m)
    return found


@pytest.mark.parametrize("lang", ("en", "vi"))
def test_the_source_claim_admits_computed_and_outside_values(lang: str) -> None:
    claims = _claims()[lang]
    assert len(claims) >= 2, f"{lang}: the front page and the method page both say it"
    bad = [c for c in claims if _COMPUTED[lang] not in c or _OUTSIDE[lang] not in c]
    assert not bad, f"{lang}: a claim that every number is the article's: {bad}"


def _texts_by_english() -> dict[str, set[tuple[str, str]]]:
    """English sentence → its Vietnamese texts, from every bilingual table of the data."""
    out: dict[str, set[tuple[str, str]]] = defaultdict(set)
    root = data_dir()
    for rel, en_col, vi_col in (("templates/derived.csv", "en", "vi"),
                                ("vocab/labels.csv", "en", "vi"),
                                ("i18n/vi.csv", "en", "vi")):
        with (root / rel).open(encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                if len(row[en_col]) >= 40:  # sentences; short words differ by context
                    out[row[en_col]].add((row[vi_col], rel))
    return out


def test_one_english_sentence_has_one_vietnamese_translation() -> None:
    found = _texts_by_english()
    assert len(found) > 100
    bad = {en: sorted(vis) for en, vis in found.items() if len({v for v, _ in vis}) > 1}
    assert not bad, f"one English sentence, several Vietnamese ones: {bad}"


def _vietnamese_prose() -> list[tuple[str, str]]:
    out = [(d, str(derived_frame().loc[d, "label_vi"])) for d in derived_frame().index]
    for (table, id_, field), english in translations.translatable().items():
        out.append((f"{table}/{id_}/{field}", translations.text(table, id_, field, english,
                                                                 "vi")))
    return out


def test_vietnamese_labels_and_notes_write_a_span_with_a_dash() -> None:
    texts = _vietnamese_prose()
    assert any("2015–2019" in t for _, t in texts)
    bad = [(i, t) for i, t in texts if "→" in t]
    assert not bad, f"the chart arrow in Vietnamese prose: {bad}"


def test_a_span_of_years_is_a_field_of_the_chart_labels_not_typed_in_them() -> None:
    """REREAD A7: a chart row's span of years is a field (``{years}``: the label
    ``year_span``), not ``2015→{end}`` typed in the row's label and swapped by a regex
    over the rendered alt text: no label writes a year beside an arrow; the spans are
    made of ``{start}`` and ``{end}``; a row says its span as the label writes it, the
    same drawn and in the alt text (NOTE-session7 A4)."""
    typed = [(k, lang, t) for k, lab in labels.table().items()
             for lang, t in (("en", lab.en), ("vi", lab.vi))
             if re.search(r"[0-9]→|→[0-9]", t)]
    assert typed == []
    spans = [k for k in labels.keys() if k.endswith("year_span") or ".year_span." in k
             or k.startswith("year_span.")]
    assert sorted(spans) == ["year_span", "year_span.assumed", "year_span.to_date"], spans
    for key in spans:
        for lang in ("en", "vi"):
            assert labels.text(key, lang, start=2015, end=2019, gloss="x"
                               ).startswith("2015–2019"), key
    for key in ("chart.glance.row", "chart.glance.row_nominal", "chart.glance.row_assumed"):
        said = labels.text(key, "vi", label="x", rate="1%", years=labels.text(
            "year_span", "vi", start=2015, end=2019))
        assert "2015–2019" in said and "→" not in said, key


def test_as_printed_is_not_glossed_with_itself_spelt_another_way():
    """A Vietnamese reader is not told “1.033,772 tỉ đồng (tức 1.033,772 tỷ đồng)”: where
    the page's text is the report's spelt another way (tỉ/tỷ, ``02``/``2``, ``785kg``/
    ``785 kg``: the extractor reads both as the same number and unit), the Vietnamese
    edition shows the report's text alone; a gloss that says which number of ``19/21`` is
    the figure stays, and English still says what the notation means."""
    from dbanalysis.views.text import printed_text

    for fid, printed in (("budget_revenue", "1.033,772 tỉ đồng"),
                         ("agri_food_per_head", "785kg/người/năm"),
                         ("health_communes_station_pending", "02 xã")):
        assert printed_text(fid, "vi") == printed, fid
        assert printed_text(fid, "en").startswith(f"“{printed}” ("), fid
    assert printed_text("health_communes_total", "vi") == "19/21 xã (tức 21 xã)"


def test_derived_is_not_tagged_tinh_toan_in_parentheses():
    """QA-0305 S6 made the status "số tính toán"; two texts still tagged a value
    "(tính toán)" (the budget over its implied plan; the value per solidarity house in a
    note), and the notebooks' prose tagged three values on page 01 and the targets on page
    05 so, "(derived)" in English (REREAD-0620A 1). A derived value is shown as one (its
    status, its figure's field, the ``db-v`` span of a page), not tagged."""
    said = notebook_say_texts(REPO_ROOT / "notebooks")
    assert len(said) > 80
    texts = (_vietnamese_prose() + [(k, lab.vi) for k, lab in labels.table().items()]
             + [(where, t) for where, lang, t in said if lang == "vi"])
    assert [(i, t) for i, t in texts if "(tính toán)" in t] == []
    assert [(i, t) for i, lang, t in said if lang == "en" and "(derived)" in t] == []


def test_an_assumed_end_year_is_said_as_the_data_of_that_year():
    """“(giả định là số năm 2020)” reads as “assumed to be the number of years 2020”
    (REREAD-0620A 5): Figure 0.1's rows whose level has no year say the data are assumed
    to be that year's."""
    said = labels.text("year_span.assumed", "vi", start=2015, end=2020)
    assert said == "2015–2020 (giả định là số liệu năm 2020)"
    assert labels.text("year_span.assumed", "en", start=2015, end=2020) == \
        "2015–2020 (year assumed)"


def test_the_list_of_outside_facts_that_are_not_values_holds_no_value():
    """The method page lists the outside facts that are not values and names the documents
    they come from; a reference value (with its own source in the table of outside
    knowledge) is not one of its items (REREAD-0620A 3: the move of 4 communes was, “a
    value above, with its source”)."""
    intros = ("outside facts that are not values", "không phải là\ngiá trị số")
    lists = [(where, text.split(intro, 1)[1]) for where, _lang, text
             in notebook_say_texts(REPO_ROOT / "notebooks") for intro in intros if intro in text]
    assert len(lists) == 2
    items = [(where, line) for where, after in lists for line in after.split("\n- ")[1:]]
    assert len(items) >= 8
    assert [(where, item) for where, item in items if "{ref_" in item] == []
    # nor a value typed, nor a fact of the table named (FINAL-B 4: "4 xã chuyển … năm 2020"
    # typed into the list passed): a digit only in a year or a document's number
    # ("Quyết định 59/2015/QĐ-TTg")
    assert [(where, item) for where, item in items if re.search(r"\d", _without_years(item))] \
        == []
    from dbanalysis.catalogue import reference

    named = {" ".join(r.label(lang).lower().split()) for r in reference.table().values()
             for lang in ("en", "vi")}
    assert [(where, item) for where, item in items
            if any(n in " ".join(item.lower().split()) for n in named)] == []


def _without_years(text: str) -> str:
    """``text`` without its years (2015, 2016–2020) and documents' numbers
    (59/2015/QĐ-TTg, 815/NQ-UBTVQH14)."""
    text = re.sub(r"\b\d+/(?:\d+/)*[A-ZĐ][\w-]*", "", text)
    return re.sub(r"(?<![\d.,])(?:19|20)\d\d(?!\d|[.,]\d|%)", "", text)


def test_a_value_in_the_list_of_outside_facts_is_found():
    """The checks above catch a value typed into the list, a year and a document's number
    aside."""
    kept = "Chuẩn nghèo 2016–2020 (Quyết định 59/2015/QĐ-TTg), cuối năm 2015."
    assert not re.search(r"\d", _without_years(kept)), kept
    for typed in ("4 xã chuyển về thành phố năm 2020", "khoảng 25% giá trị sản xuất",
                  "2.080 tập thể", "national mean 3.5 people"):
        assert re.search(r"\d", _without_years(typed)), typed


def test_five_years_is_written_in_digits_not_nam_nam() -> None:
    """REVIEW-vi25 B4: «nếu tính năm năm (2015–2020)», «bốn hay năm năm»: «năm» is both
    'five' and 'year', so the reader trips; the audit page writes «4 năm / 5 năm». No
    Vietnamese label, note, notebook prose (say templates and Markdown cells) or label
    table entry writes «năm năm» or «bốn năm» for a number of years."""
    texts = _vietnamese_prose()
    texts += [(w, t) for w, lang, t in notebook_say_texts(REPO_ROOT / "notebooks")
              if lang == "vi"]
    texts += [(nb.name, "".join(c.source)) for nb in report_notebooks(REPO_ROOT / "notebooks")
              for c in nbformat.read(nb, as_version=4).cells if c.cell_type == "markdown"]
    texts += [(k, labels.template(k, "vi")) for k in labels.keys()]
    assert any("5 năm" in t for _, t in texts)
    bad = [(i, t[:120]) for i, t in texts if re.search(r"\b(?:năm|bốn) năm\b", t.lower())]
    assert not bad, bad
