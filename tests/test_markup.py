"""Escaping of data text for HTML and Markdown (dbanalysis.core.markup)."""

from __future__ import annotations

import mistune
import pytest
from helpers_examples import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from dbanalysis.core.markup import (
    Md,
    csv_cell,
    html_attr,
    html_text,
    md_link,
    md_text,
    mpl_text,
    safe_html,
    site_href,
)
from dbanalysis.site.pages import md_to_html

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


def render(markdown: str) -> str:
    """Markdown to HTML with raw HTML allowed, as Jupyter and nbconvert render it."""
    return mistune.html(markdown).strip()


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("<img src=x onerror=alert(1)>", "<p>&lt;img src=x onerror=alert(1)&gt;</p>"),
        ("a_b * c_d", "<p>a_b * c_d</p>"),
        ("[x](javascript:alert(1))", "<p>[x](javascript:alert(1))</p>"),
        ("# not a heading", "<p># not a heading</p>"),
        ("12. not a list", "<p>12. not a list</p>"),
        ("VH&TT", "<p>VH&amp;TT</p>"),
        ("&lt;b&gt; &#60;", "<p>&amp;lt;b&amp;gt; &amp;#60;</p>"),
        ("> not a quote", "<p>&gt; not a quote</p>"),
        ("- not a bullet", "<p>- not a bullet</p>"),
        ("two\nlines", "<p>two lines</p>"),
        ("`code` | pipe ~~strike~~", "<p>`code` | pipe ~~strike~~</p>"),
    ],
)
def test_md_text_renders_as_written(text: str, shown: str) -> None:
    assert render(md_text(text)) == shown


@settings(max_examples=examples(300), deadline=None)
@given(st.text(alphabet="<>&\"'`*_[]()#!|~\\-=+.0123 abcimg=/:", max_size=40))
def test_md_text_never_yields_an_element(text: str) -> None:
    html = render("Label: " + md_text(text))
    inner = html.removeprefix("<p>").removesuffix("</p>")
    assert "<" not in inner  # no tag of any kind: all data stays text


@pytest.mark.parametrize("plain", ["14.8%", "-2,5%", "1,558,000 head", "VH&TT", "#5 team"])
def test_md_text_leaves_ordinary_text_alone(plain: str) -> None:
    assert md_text(plain) == plain


def test_html_text_escapes_quotes_too() -> None:
    assert html_text('"<a>&\'') == "&#34;&lt;a&gt;&amp;&#39;"


def test_index_headline_shows_raw_html_as_text() -> None:
    html = md_to_html("Headline <img src=x onerror=alert(1)> **bold**")
    assert "<img" not in html and "&lt;img" in html and "<strong>bold</strong>" in html


def test_sentence_escapes_catalogue_text_but_keeps_links_and_keyword_markdown(data_copy):
    """Fields from the data are escaped in Markdown sentences; numbers stay source links;
    a keyword value is escaped too unless it is the package's own Markdown (Md)."""
    import csv
    import io

    from dbanalysis.views import text

    path = data_copy / "figures.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    row = next(r for r in rows if r[0] == "agri_poultry")
    row[rows[0].index("label_en")] = "Poultry <img src=x onerror=alert(1)> *flock*"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    md = text.sentence("{agri_poultry:label}: {agri_poultry} ({extra}) {data}", "en",
                       extra=Md("[own link](x.html)"), data="[x](javascript:alert(1))")
    assert md.startswith(r"Poultry &lt;img src=x onerror=alert(1)> \*flock\*: [")
    assert "](source.html#f-agri_poultry)" in md
    # the package's own Markdown (Md) as given; any other keyword text is data, escaped
    assert md.endswith(r"([own link](x.html)) \[x\](javascript:alert(1))")
    assert "<img" not in render(md)
    formula = text.sentence("`{d_agri_poultry_corrected:formula}`", "en")
    assert formula == "`agri_poultry * 1000000`"  # formulas are checked syntax: kept as is
    plain = text.sentence("{agri_poultry:label}", "en", links=False)
    assert plain == "Poultry <img src=x onerror=alert(1)> *flock*"  # plain text: as written


@pytest.mark.parametrize("href", ["source.html#f-agri_poultry", "12-audit.html#growth_cattle",
                                  "#top", "index.html"])
def test_site_href_accepts_the_sites_pages(href: str) -> None:
    assert site_href(href)
    assert md_link("a_b", href) == f"[a\\_b]({href})"


@pytest.mark.parametrize("href", ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "java\tscript:x",
                                  "https://evil.example/", "//evil.example/x.html",
                                  "data:text/html,<script>", "../secret.html", "a/b.html",
                                  "x.html?q=1", "", "mailto:a@b.c", "x.png"])
def test_md_link_refuses_every_other_address(href: str) -> None:
    assert not site_href(href)
    with pytest.raises(ValueError, match="not a page of the site"):
        md_link("x", href)


def test_md_text_makes_no_link_from_a_bare_address() -> None:
    assert "<a" not in render(md_text("see https://evil.example/x"))
    assert render(md_text("see https://evil.example/x")) == "<p>see https://evil.example/x</p>"


@pytest.mark.parametrize(
    ("html", "kept", "gone"),
    [
        ("<p>a <img src=x onerror=alert(7)></p>", "&lt;img src=x onerror=alert(7)&gt;", "<img"),
        ("<script src=https://evil.example/x.js></script>", "&lt;script", "<script"),
        ('<a href="javascript:alert(1)">x</a>', "<a>x</a>", "javascript"),
        ('<a href="https://evil.example/">x</a>', "<a>x</a>", "evil"),
        ('<a href="source.html#f-a_b" class="fig">1</a>', 'href="source.html#f-a_b"', "<img"),
        ('<b onmouseover="alert(4)">b</b>', "<b>b</b>", "onmouseover"),
        ('<table><tr><td style="text-align: right; background: url(https://evil.example/)">'
         "1</td></tr></table>", "text-align: right;", "evil"),
        ('<span id="growth_cattle"></span>', '<span id="growth_cattle"></span>', "&lt;"),
        ("<!-- a --><p>b</p>", "<p>b</p>", "<!--"),
    ],
)
def test_safe_html_keeps_the_sites_elements_and_nothing_that_runs(html, kept, gone) -> None:
    out = safe_html(html)
    assert kept in out and gone not in out


def test_safe_html_renders_the_markdown_of_data_text_harmless() -> None:
    from nbconvert.filters.markdown import markdown2html

    md = "[x](javascript:alert(1)) ![x](https://evil.example/i.png) <iframe src=//e.x>"
    out = safe_html(markdown2html(md))
    assert "javascript" not in out and "<img" not in out and "<iframe" not in out


def test_html_attr_is_one_quoted_line() -> None:
    assert html_attr('a"b\'c\n<d>') == "a&#34;b&#39;c &lt;d&gt;"


def test_mpl_plain_draws_mathtext_as_written(house_style) -> None:
    from dbanalysis.plotting import new_figure, png_bytes

    fig, axes = new_figure()
    axes[0][0].set_title("$\\frac{a}{$")
    axes[0][0].set_xlabel(mpl_text("costs $5 and $6"))  # mathtext on elsewhere: escaped
    assert png_bytes(fig).startswith(b"\x89PNG")  # the parser would raise on the title
    assert axes[0][0].title.get_parse_math() is False


def test_csv_cell_leaves_other_values_alone() -> None:
    assert [csv_cell(v) for v in ("a", "", "1=1", 5, None)] == ["a", "", "1=1", 5, None]
    assert csv_cell("-2") == "'-2"


def test_md_table_escapes_data_cells_and_headers() -> None:
    from dbanalysis.views.text import md_table

    table = md_table(["<img src=x onerror=alert(1)>"],
                     [["[x](javascript:alert(1))"], [Md("**own**")]]).data
    html = render(table)
    assert "<img" not in html and "href" not in html and "<strong>own</strong>" in html
