"""The "Data and method" page's counts, tables and words come from the package and data/
(issue 21 items 2 and 4): its counts match an independent count of the data files, its
tables are the site's own (stacked as labelled lines on a phone), and a count's "none"
is a form of a label declared in data/vocab/labels.csv, not an ``if`` in a cell."""

from __future__ import annotations

import csv
import json

import pytest
from bs4 import BeautifulSoup
from markupsafe import Markup

from dbanalysis.catalogue.figures import load_figures
from dbanalysis.core import labels, paths
from dbanalysis.derive.lookup import derived_frame
from dbanalysis.render import method as rmethod
from dbanalysis.render.audit_text import counts as audit_counts
from dbanalysis.views import method
from dbanalysis.views.formulas import formula_text
from dbanalysis.views.text import sentence

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


def _rows(name: str) -> list[dict[str, str]]:
    with (paths.data_dir() / name).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- counted labels: the zero form is data ---------------------------------------------


@pytest.mark.parametrize(("count", "lang", "said"), [
    (0, "en", "none is left over"),
    (0, "vi", "không còn dãy nào nằm ngoài hai nhóm này"),
    (3, "en", "3 are left over"),
    (1234, "vi", "còn lại 1.234 dãy không thuộc nhóm nào"),
])
def test_a_count_in_a_sentence_takes_its_labels_form(count, lang, said) -> None:
    assert sentence("{n:method.left_over}", lang, n=count) == said


def test_counted_forms_zero_one_many() -> None:
    assert labels.counted("audit.noun", 1, "en") == "check"
    assert labels.counted("audit.noun", 0, "en") == "checks"  # no .zero row: .many
    assert labels.counted("method.proposed", 0, "vi") == "không có đề xuất nào đang chờ"
    assert labels.counted("method.proposed", 1, "en") == "1 proposed and waiting"  # no .one
    with pytest.raises(labels.UnknownLabelError, match=r"no\.such\.many"):
        labels.counted("no.such", 2, "en")


def test_a_count_in_the_pages_notation() -> None:
    assert sentence("{n:n} and {n}", "vi", n=12345) == "12.345 and 12345"
    assert sentence("{n:n}", "en", n=12345) == "12,345"


def test_an_edited_zero_form_changes_the_sentence_without_code(data_copy) -> None:
    path = data_copy / "vocab" / "labels.csv"
    text = path.read_text("utf-8")
    path.write_text(text.replace("method.left_over.zero,none is left over,",
                                 "method.left_over.zero,not one <digit> is left over,"),
                    "utf-8")
    assert sentence("{n:method.left_over}", "en", n=0) == "not one &lt;digit> is left over"
    assert sentence("{n:method.left_over}", "en", n=2) == "2 are left over"


def test_figure_and_derived_fields_the_method_page_uses() -> None:
    quote = load_figures().set_index("figure_id").loc["agri_cattle", "quote"]
    assert sentence("{agri_cattle:quote}", "vi", links=False) == quote
    d = derived_frame().loc["d_culture_villages_target_district"]
    assert sentence("{d_culture_villages_target_district:words}", "en", links=False) == \
        Markup(formula_text(d["formula"], "en")).striptags()
    assert "÷" in sentence("{d_culture_villages_target_district:words}", "en")
    unrounded = sentence("{d_culture_villages_target_district:unrounded}", "en")
    assert float(unrounded.replace(",", "")) == pytest.approx(float(d["value"]), abs=5e-4)


# --- the counts and tables --------------------------------------------------------------


def test_method_counts_match_an_independent_count_of_the_data_files() -> None:
    figures, corrections = _rows("figures.csv"), _rows("corrections.csv")
    counts = method.method_counts()
    assert counts["n_figures"] == len(figures)
    assert counts["n_sectors"] == len({r["sector"] for r in figures})
    assert counts["n_units"] == len({r["unit"] for r in figures})
    assert counts["n_corrections"] == len(corrections)
    for status in ("accepted", "open", "proposed"):
        assert counts[status] == sum(r["status"] == status for r in corrections)
    assert counts["not_applied"] == len(corrections) - counts["accepted"]
    assert counts["exclusions"] == len(_rows("coverage_exclusions.csv"))
    d = derived_frame()
    assert counts["n_derived"] == len(d)
    # each derived figure is counted in exactly one of: both, readings only, assumed only,
    # neither
    assert (counts["both"] + (counts["readings"] - counts["both"])
            + (counts["assumed"] - counts["both"]) + counts["neither"]) == len(d)
    assert counts["digit_runs"] == counts["in_quotes"] + counts["in_exclusions"] \
        + counts["uncovered"]


def test_sector_counts_add_up_to_the_whole() -> None:
    table = method.sector_counts()
    assert list(table.sum()) == [len(_rows("figures.csv")), len(derived_frame()),
                                 audit_counts()["total"]]
    assert len(table) == len(_rows("vocab/sectors.csv"))


def test_exclusion_kinds_add_up_and_show_the_reports_words() -> None:
    kinds = method.exclusion_kinds()
    rows = _rows("coverage_exclusions.csv")
    assert int(kinds["exclusions"].sum()) == len(rows)
    for kind, row in kinds.iterrows():
        assert row["example"] == next(r["context"] for r in rows if r["category"] == kind)


@pytest.mark.parametrize("lang", ["en", "vi"])
@pytest.mark.parametrize("make", [rmethod.sector_counts_table, rmethod.exclusions_table])
def test_the_method_tables_are_the_sites_own(make, lang) -> None:
    """Every cell carries its column header as ``data-label`` (a phone shows each row as
    labelled lines); the table is in the page's language and notation."""
    table = BeautifulSoup(make(lang).html, "html.parser").find("table")
    assert "dbtable" in table["class"] and table["lang"] == lang
    headers = [th.get_text() for th in table.find("thead").find_all("th")]
    for tr in table.find("tbody").find_all("tr"):
        assert [td["data-label"] for td in tr.find_all("td")] == headers
    # a row's name and a column's header start with a capital, in Vietnamese as in English
    names = [tr.find("td").get_text() for tr in table.find("tbody").find_all("tr")]
    assert not [t for t in names + headers if not t[:1].isupper()], lang


def test_the_exclusion_examples_are_verbatim_and_whole() -> None:
    """An example is the report's words, as printed (typography would turn 2015-2020 into
    an en dash) and never a quotation left open."""
    table = BeautifulSoup(rmethod.exclusions_table("vi").html, "html.parser")
    for em in table.select("em[lang=vi]"):
        assert "db-verbatim" in em["class"], em
        text = em.get_text()
        assert text.count("“") == text.count("”"), text


def test_the_sector_table_ends_with_all_sectors_in_bold() -> None:
    table = BeautifulSoup(rmethod.sector_counts_table("vi").html, "html.parser")
    last = table.find("tbody").find_all("tr")[-1].find_all("td")
    # the page column has no page for all sectors: the row's other cells are bold
    assert [td.find("strong").get_text() for td in last if td.get_text()] == [
        labels.text("method.total", "vi"), *(str(n) for n in method.sector_counts().sum())]


def test_the_source_record_cites_and_marks_the_title_language() -> None:
    """The title is marked Vietnamese (and translated) on the English page only; the size
    checked at load is the metadata's, in each page's notation."""
    en, vi = rmethod.source_record("en"), rmethod.source_record("vi")
    assert '<cite lang="vi">' in en and "<cite>" in vi and '<cite lang' not in vi
    meta = json.loads(next((paths.data_dir() / "raw").glob("*.meta.json")).read_text("utf-8"))
    size = meta["size_bytes"]
    assert f"{size:,}" in en and f"{size:,}".replace(",", ".") in vi
    assert meta["title_en"] in en and meta["title_en"] not in vi
