"""Escaping of data text for HTML and Markdown (dbanalysis.core.markup)."""

from __future__ import annotations

import mistune
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dbanalysis.core.markup import html_text, md_text
from dbanalysis.site.pages import md_to_html


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


@settings(max_examples=300, deadline=None)
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
    a keyword value is the caller's own Markdown."""
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
    md = text.sentence("{agri_poultry:label}: {agri_poultry} ({extra})", "en",
                       extra="[own link](x.html)")
    assert md.startswith(r"Poultry &lt;img src=x onerror=alert(1)> \*flock\*: [")
    assert "](source.html#f-agri_poultry)" in md and md.endswith("([own link](x.html))")
    assert "<img" not in render(md)
    formula = text.sentence("`{d_agri_poultry_corrected:formula}`", "en")
    assert formula == "`agri_poultry * 1000000`"  # formulas are checked syntax: kept as is
    plain = text.sentence("{agri_poultry:label}", "en", links=False)
    assert plain == "Poultry <img src=x onerror=alert(1)> *flock*"  # plain text: as written
