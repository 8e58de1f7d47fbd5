"""The source page: the article's text, every catalogued number anchored and explained."""

from __future__ import annotations

import pytest
from bs4 import BeautifulSoup

from dbanalysis.catalogue.figures import load_figures
from dbanalysis.catalogue.source import report_text
from dbanalysis.core import labels
from dbanalysis.render.tables import value_text
from dbanalysis.site.sourcepage import IMAGE_LINE, article_end, article_html


@pytest.fixture(scope="module")
def html() -> dict[str, str]:
    """The article as each edition renders it (rendered once for the module's tests)."""
    return {lang: str(article_html(lang)) for lang in ("en", "vi")}


@pytest.fixture(scope="module")
def pages(html) -> dict[str, BeautifulSoup]:
    return {lang: BeautifulSoup(html[lang], "html.parser") for lang in ("en", "vi")}


def test_every_figure_is_anchored_on_its_number(pages):
    text = report_text()
    page = pages["en"]
    for f in load_figures().itertuples():
        found = page.find_all(id=f"f-{f.figure_id}")
        assert len(found) == 1, f.figure_id
        assert found[0].get_text() == text[f.number_start:f.number_end], f.figure_id
        mark = found[0] if found[0].name == "mark" else found[0].find_parent("mark")
        assert f.figure_id in mark["data-ids"].split()


def test_figures_sharing_a_number_are_all_anchors(pages):
    figs = load_figures()
    shared = figs[figs.duplicated(["number_start", "number_end"], keep=False)]
    assert len(shared) >= 2
    page = pages["en"]
    for f in shared.itertuples():
        el = page.find(id=f"f-{f.figure_id}")
        assert el is not None and el.name in ("mark", "span")


def test_tip_shows_label_value_and_period_in_the_edition_language(pages):
    figs = load_figures().set_index("figure_id")
    mark = pages["vi"].find(id="f-agri_cattle")
    label = figs.loc["agri_cattle", "label_vi"]
    assert mark["data-tip"].startswith(f"{label}: {value_text('agri_cattle', 'vi')}")
    assert "42.998" in mark["data-tip"] and mark["tabindex"] == "0"
    en = pages["en"].find(id="f-agri_cattle")["data-tip"]
    assert "42,998" in en and figs.loc["agri_cattle", "label_en"] in en
    # the id is an anchor, never in what a reader sees
    assert "agri_cattle" not in mark["data-tip"] + en


def test_text_is_kept_line_by_line_and_escaped(html, pages):
    text = report_text()
    lines = [line for line in text[:article_end(text)].split("\n") if line.strip()]
    # a photo's file name is a placeholder in the edition's words (tests/test_site.py)
    lines = [labels.text("source.image", "en", name=m.group(1))
             if (m := IMAGE_LINE.match(line)) else line
             for line in lines]
    assert [p.get_text() for p in pages["en"].find_all("p")] == lines
    assert "VH&amp;TT" in html["en"] and "VH&TT" not in html["en"]
    assert "Các tin bài khác" not in html["en"]  # the portal navigation is left out


def test_quotes_are_lightly_highlighted(pages):
    quotes = " ".join(q.get_text() for q in pages["en"].select(".db-quote"))
    assert "trường đạt chuẩn" in quotes


def test_the_web_address_is_text_kept_as_printed_or_said_to_be_unknown():
    """The article's address (from the sidecar) in <code>, where typography leaves its
    hyphens alone, and never a link to another host; without one, how to find it."""
    from dbanalysis.catalogue.source import citation
    from dbanalysis.site.frontpage import source_url

    url = citation().url
    assert url and "2015-2020" in url
    for lang in ("en", "vi"):
        shown = str(source_url(url, lang))
        assert f'<code class="db-url">{url}</code>' in shown and "href" not in shown
        assert "Điện Biên" in str(source_url(None, lang)) and "<code" not in str(
            source_url(None, lang))
