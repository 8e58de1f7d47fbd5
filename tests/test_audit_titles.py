"""Every audit check has a readable title in each language, unique on its page."""

from __future__ import annotations

import re

import markupsafe
import pytest

from dbanalysis.audit.run import run_audit
from dbanalysis.audit.titles import check_title
from dbanalysis.catalogue import vocab
from dbanalysis.catalogue.figures import load_figures
from dbanalysis.core import labels
from dbanalysis.core.links import audit_link

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_check_has_a_unique_readable_title(lang):
    audit = run_audit()
    titles = [check_title(r.check_id, r.category, r.figure_ids, lang) for r in audit.itertuples()]
    assert len(set(titles)) == len(titles), [t for t in titles if titles.count(t) > 1]
    for title, check_id in zip(titles, audit["check_id"], strict=True):
        assert check_id not in title and not re.search(r"\b[a-z]+_[a-z_]+\b", title), title


def test_own_titles_name_existing_checks_and_categories_cover_every_check():
    audit = run_audit()
    own = {k.removeprefix("audit.title.") for k in labels.keys() if k.startswith("audit.title.")}
    assert own <= set(audit["check_id"])
    categories = {k.removeprefix("audit.category.") for k in labels.keys()
                  if k.startswith("audit.category.")}
    assert set(audit["category"]) <= categories


def test_a_check_without_its_own_title_is_named_by_its_first_figure():
    audit = run_audit().set_index("check_id")
    row = audit.loc["baseline_cattle_herd"]
    title = check_title("baseline_cattle_herd", row["category"], row["figure_ids"], "vi")
    first = row["figure_ids"].split(";")[0]
    label_vi = load_figures().set_index("figure_id").loc[first, "label_vi"]
    assert title == labels.text("audit.category.baseline", "vi", label=label_vi)


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_check_named_in_an_explanation_is_shown_by_its_title_and_linked(lang):
    """An explanation that refers to another check names it for readers by its title,
    linked to its place on the audit page, in the prose (Markdown) and in the table
    (HTML); the id itself is left only in the link's address."""
    from dbanalysis.audit.run import run_audit
    from dbanalysis.render import audit_text, tables

    audit = run_audit().set_index("check_id")
    column = "explanation" if lang == "en" else "explanation_vi"
    named = {(cid, other) for cid, text in audit[column].items() for other in audit.index
             if other != cid and re.search(rf"\b{other}\b", str(text))}
    assert named, "no explanation refers to another check: nothing to show"
    prose = audit_text.findings(vocab.verdict_ids(), lang).split("\n\n")
    table = tables.audit(lang=lang, explain=audit_text.explain).html
    for cid, other in named:
        title = check_title(other, audit.at[other, "category"], audit.at[other, "figure_ids"],
                            lang)
        (para,) = [p for p in prose if p.startswith(f'<span id="{cid}">')]
        assert f"]({audit_link(other)})" in para, (cid, other)
        shown = re.sub(r"\]\([^)]*\)", "]", para).replace("\\_", "_")
        assert other not in shown, (cid, other)
        assert str(markupsafe.Markup('<a href="{}">{}</a>').format(
            audit_link(other), title)) in str(table), (cid, other)


def test_an_english_title_that_quotes_vietnamese_glosses_it():
    """QA-2130 S6: the front page's findings and the audit list named checks "'Số hộ
    nghèo': a rate given for a count" and "Stations with a doctor: 'đạt 100% NQ'",
    words an English reader cannot read. An English audit title that quotes Vietnamese
    follows the quote with its English in brackets, as Figure 4.1's title does."""
    import re

    from dbanalysis.core import labels

    vietnamese = re.compile(r"[ăâđêôơưạảãàáặằắẳẵậầấẩẫẹẻẽèéệềếểễịỉĩìíọỏõòóộồốổỗợờớởỡ"
                            r"ụủũùúựừứửữỵỷỹỳý]", re.I)
    quoted = re.compile(r"['‘“]([^'’”]+)['’”]( \(['‘“][^)]+['’”]\))?")
    seen = 0
    for key in sorted(k for k in labels.keys() if k.startswith("audit.title.")):
        for quote, gloss in quoted.findall(labels.text(key, "en")):
            if vietnamese.search(quote):
                seen += 1
                assert gloss, f"{key}: '{quote}' without its English"
    assert seen >= 3


def test_a_vietnamese_title_says_an_implied_value_is_inferred_not_calculable():
    """REVIEW-vi25 B20: «…: mức năm 2015 tính được», «chỉ tiêu huyện giao tính được» put
    «tính được» ('can be computed') after the noun, a calque of 'the … it implies'; the
    audit's own intro says «được suy ra». Every check whose English title names what the
    figure implies says «suy ra» in Vietnamese, and no title ends on «tính được»."""
    audit = run_audit()
    implied = 0
    for r in audit.itertuples():
        en = check_title(r.check_id, r.category, r.figure_ids, "en")
        vi = check_title(r.check_id, r.category, r.figure_ids, "vi")
        assert not vi.rstrip().endswith("tính được"), vi
        if "it implies" in en:
            implied += 1
            assert "suy ra" in vi, (en, vi)
    assert implied >= 5, implied


def test_an_awards_name_quoted_by_a_check_is_the_reports(data_copy):
    """FINAL25-A m4, REREAD-A N3: the provincial flag's name as the report prints it
    («Cờ Thi đua xuất sắc của UBND tỉnh») was typed in four audit templates; then taken
    from the figure's ``label_vi``, the analyst's editable label, while the sentence says
    the report prints it. It is the report's own words before the number in the figure's
    quote: no template types it, and a renamed label changes nothing the check quotes."""
    import pandas as pd

    from dbanalysis.audit.run import run_audit
    from dbanalysis.core import paths

    name = "Cờ Thi đua xuất sắc của UBND tỉnh"
    assert name not in (paths.data_dir() / "templates" / "audit.csv").read_text(
        encoding="utf-8")
    path = data_copy / "figures.csv"
    figs = pd.read_csv(path, dtype=str, keep_default_na=False)
    row = figs.loc[figs["figure_id"] == "award_prov_flag"].iloc[0]
    assert row["quote"].startswith(name + ":") and row["label_vi"] == name, row
    text = path.read_text(encoding="utf-8")
    assert text.count(f",{name},") == 1
    path.write_text(text.replace(f",{name},", ",Cờ thi đua (tên đổi),"), encoding="utf-8")
    said = run_audit().set_index("check_id").loc["subset_award_prov_flag"]
    for explanation in (said["explanation"], said["explanation_vi"]):
        assert f"“{name}”" in explanation and "tên đổi" not in explanation, explanation
