"""Rules a newcomer's read of the site found broken (QA-1830), checked on the data and the
rendered text rather than on one string each:

* the line that says what the report is uses the report's own words for what it names;
* the audit's sectors (the catalogue's vocabulary) each name and link the page that shows
  them, and those pages are the notebooks' own, with their own titles;
* the audit page explains each check once;
* a note that points out how the report printed a number marks the quote with [sic];
* one quantity, one name: the buffalo and cattle herd's figures and derived figures.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import nbformat
import pytest

import dbanalysis as db
from dbanalysis.audit.run import run_audit
from dbanalysis.catalogue import vocab
from dbanalysis.catalogue.figures import load_figures
from dbanalysis.catalogue.source import report_text
from dbanalysis.core import labels
from dbanalysis.core.links import page_link
from dbanalysis.derive.lookup import derived_frame
from dbanalysis.notebook.bilingual import cell_lang
from dbanalysis.render import audit_text
from dbanalysis.views.text import marked_words

NOTEBOOKS = Path(__file__).parents[1] / "notebooks"
LANGS = ("en", "vi")


def _fold(s: str) -> str:
    """Case, Unicode form and dashes folded: 2015–2020 and 2015-2020 are the same words."""
    return re.sub(r"[‐-―−-]", "-", unicodedata.normalize("NFC", s)).casefold()


def test_the_line_saying_what_the_report_is_uses_the_reports_own_words() -> None:
    """site.about (front page, method page): each Vietnamese term the English glosses in
    parentheses occurs in the report, and in the Vietnamese line; so do its years."""
    raw = _fold(report_text())
    en, vi = labels.text("site.about", "en"), labels.text("site.about", "vi")
    terms = [t for t in re.findall(r"\(([^()]+)\)", en)
             if re.search(r"[ăâđêôơưàảãáạèẻẽéẹìỉĩíịòỏõóọùủũúụỳỷỹýỵ]", t)]
    assert len(terms) >= 2, f"the English line glosses no term of the report: {en!r}"
    for term in terms:
        assert _fold(term) in raw, f"{term!r} is not the report's word"
        assert _fold(term) in _fold(vi), f"the Vietnamese line does not name {term!r}"
    for lang, text in (("en", en), ("vi", vi)):
        for period in re.findall(r"\d{4}\s*[–-]\s*\d{4}", text):
            assert _fold(period.replace(" ", "")) in raw, f"{lang}: {period} not in the report"


def _h1(nb: nbformat.NotebookNode, lang: str) -> str:
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell_lang(cell) == lang:
            m = re.match(r"#\s+(.+)", cell.source)
            if m:
                return m.group(1).strip()
    raise AssertionError(f"no {lang} heading")


def _sectors_of(nb: nbformat.NotebookNode) -> set[str]:
    """The sectors a notebook declares (``SECTOR = …`` or ``SECTORS = …``)."""
    code = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    m = re.search(r"^SECTORS?\s*=\s*(.+)$", code, re.M)
    return set(re.findall(r"['\"]([a-z_]+)['\"]", m.group(1))) if m else set()


def test_each_sector_is_shown_on_a_page_declared_once() -> None:
    """data/vocab/pages.csv names the notebooks as their headings do, and
    sectors.csv's page of a sector is the notebook that declares it (a sector no
    notebook declares, the emulation work, is shown on the synthesis page)."""
    pages = vocab.pages()
    for page in pages.index:
        nb = nbformat.read(NOTEBOOKS / f"{page}.ipynb", as_version=4)
        for lang in LANGS:
            assert _h1(nb, lang) == vocab.page_label(page, lang), (page, lang)
        declared = _sectors_of(nb)
        mapped = {s for s in vocab.sectors().index if vocab.sector_page(s) == page}
        if declared:
            assert declared == mapped, f"{page}: declares {declared}, sectors.csv {mapped}"
    shown = set(vocab.sectors()["page"])
    assert shown <= set(pages.index)
    assert set(load_figures()["sector"]) <= set(vocab.sectors().index)


@pytest.mark.parametrize("lang", LANGS)
def test_every_sector_the_audit_names_links_its_page(lang: str) -> None:
    """The audit's sector table, the method page's per-sector table and the audit lede's
    sectors with an inconsistency name each sector's page by its title and link it: the
    audit's to the page's audit section (QA-1945 R5), the method page's to the page."""
    from dbanalysis.render.method import sector_counts_table
    from dbanalysis.render.tables import sector_audit_link

    for table, audit in ((db.audit_by_sector(lang), True), (sector_counts_table(lang), False)):
        html = table.html
        for sector in vocab.sectors().index:
            page = vocab.sector_page(sector)
            row = re.search(r"<tr>\s*<td[^>]*>" + re.escape(
                str(db.md_text(vocab.sector_label(sector, lang))).replace("\\", ""))
                + r"</td>(.*?)</tr>", html, re.S)
            if row is None:  # a sector with nothing in this table
                continue
            href = sector_audit_link(sector, lang) if audit else page_link(page)
            link = f'<a href="{href}">{vocab.page_label(page, lang)}</a>'
            assert link in row.group(1), f"{table.name}: {sector} does not link {page}"
    named = audit_text.sectors_with("inconsistent", lang)
    bad = set(run_audit().query("verdict == 'inconsistent'")["sector"])
    assert bad
    for sector in bad:
        assert f"]({sector_audit_link(sector, lang)})" in named, f"{sector}: its page is not linked"
    # sectors apart by semicolons, as a page title may hold a comma ("An ninh, quốc
    # phòng"), and no arrow in running prose (review vi7 W8)
    assert "→" not in named and named.count("; ") == len(bad) - 1, named


@pytest.mark.parametrize("lang", LANGS)
def test_the_audit_page_explains_each_check_once(lang: str) -> None:
    """A check explained in a paragraph above the full table is not explained again in
    its row: the row links to the paragraph."""
    prose = db.audit_paragraphs(None, lang) + db.audit_paragraphs(("unverifiable",), lang)
    table = db.audit_table(lang).html
    audit = run_audit()
    twice = []
    for _, c in audit.iterrows():
        said = re.sub(r"<[^>]+>|\[|\]\([^)]*\)", "", audit_text.explain(c, lang))[:60]
        if f'id="{c["check_id"]}"' in prose and said and said in re.sub(r"<[^>]+>", "", table):
            twice.append(c["check_id"])
    assert not twice, f"explained twice on the audit page: {twice}"
    assert labels.text("audit.explained_above", lang) in table


def test_a_note_on_how_a_number_is_printed_marks_the_quote() -> None:
    """A figure whose note says how the report printed it (a missing or extra space, run
    together) marks those words [sic] in its quote on every page."""
    figs = load_figures()
    printed = re.compile(r"\bprinted (without|before|with)\b|\bspace is printed\b", re.I)
    unmarked = []
    for _, f in figs.iterrows():
        note = f["note"] if isinstance(f["note"], str) else ""
        if printed.search(note):
            words = [w for w, _ in marked_words(f["figure_id"])]
            if not words or not all(w in f["quote"] for w in words):
                unmarked.append(f["figure_id"])
    assert not unmarked, f"notes on printing with no [sic] in the quote: {unmarked}"


@pytest.mark.parametrize("lang", LANGS)
def test_the_cattle_herd_has_one_name(lang: str) -> None:
    """The herd's level, change and growth figures and every derived figure of it use the
    level's own name: "Large livestock" beside "Buffalo and cattle herd" read as two herds."""
    figs = load_figures().set_index("figure_id")
    name = figs.loc["agri_cattle", f"label_{lang}"].casefold()
    family = [figs.loc[i, f"label_{lang}"] for i in figs.index
              if figs.loc[i, "indicator"] == "cattle_herd"]
    derived = derived_frame()
    family += [str(derived.loc[i, f"label_{lang}"]) for i in derived.index
               if i.startswith("d_agri_cattle")]
    assert len(family) >= 5
    other = [f for f in family if name not in f.casefold()]
    assert not other, f"named otherwise than {name!r}: {other}"


#: An article before an article: "see the The district at a glance page" (QA-0000 R1).
DOUBLED_ARTICLE = re.compile(r"\b(?:the|a|an)\s+\[?(?:the|a|an)\b", re.I)


def test_a_sector_names_its_page_without_a_doubled_article() -> None:
    """The audit's "(sector, see <page>)" reads in English for every sector, also where the
    page title starts with its own article ("The district at a glance")."""
    found = [(s, audit_text.sector_on_page(s, "en")) for s in vocab.sectors().index]
    assert any("The district at a glance" in t for _, t in found)  # the case that failed
    bad = [(s, t) for s, t in found if DOUBLED_ARTICLE.search(t)]
    assert not bad, bad
