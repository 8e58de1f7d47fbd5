"""Typography in one place: dbanalysis.core.typography, the last pass over every page."""

from __future__ import annotations

import pytest

from dbanalysis.core.typography import typeset, typeset_html


@pytest.mark.parametrize(("text", "lang", "shown"), [
    ("giai đoạn 2015-2020", "vi", "giai đoạn 2015–2020"),
    ("trong 5 năm (2015 - 2020)", "vi", "trong 5 năm (2015–2020)"),
    ("giảm -55,8% và (-469.225 con)", "vi", "giảm −55,8% và (−469.225 con)"),
    ("30.500-31.500 người", "vi", "30.500-31.500 người"),  # not a minus, not years
    ('Đoạn này ghi "Tính đến hết năm 2019".', "vi", "Đoạn này ghi “Tính đến hết năm 2019”."),
    ("the report's 'down 16.21%'", "en", "the report’s ‘down 16.21%’"),
    ("ghi 'tăng' và 'giảm'", "vi", "ghi “tăng” và “giảm”"),
])
def test_typeset(text, lang, shown):
    assert typeset(text, lang) == shown


@pytest.mark.parametrize(("text", "lang", "shown"), [
    # QA-0305 S10: Figure 4.1's title broke as "‘giảm …" / "%’ (‘fell by …%’)" on a phone
    ("only if 'giảm …%' ('fell by …%') is read", "en",
     "only if ‘giảm\xa0…\u2060%’ (‘fell by\xa0…\u2060%’) is read"),
    ("hai cách hiểu chữ “giảm …\u2060%”", "vi", "hai cách hiểu chữ “giảm\xa0…\u2060%”"),
    ("giảm … so với năm 2015", "vi", "giảm … so với năm 2015"),  # words follow: free
])
def test_a_number_left_out_as_an_ellipsis_is_never_broken_from_its_word_or_unit(
        text, lang, shown):
    """On a page (a chart's caption, its alt text); a chart's own texts keep a plain
    ellipsis (its font draws no word joiner; the chart breaks its own lines)."""
    page = typeset_html(f'<figcaption><span>{text}</span><img alt="{text}"></figcaption>',
                        lang)
    assert page.count(shown) == 2, page
    assert "\u2060" not in typeset(text.replace("\u2060", ""), lang)


def test_the_report_words_code_and_markup_are_left_as_they_are():
    page = ('<p title="2015-2019: -5">Giai đoạn 2015-2020, (<a href="x-1.html">-3</a>)'
            '<q lang="vi">giai đoạn 2015-2020 "x"</q> <code>a-1 "b"</code>'
            '<span class="db-quote">2015 - 2020</span></p>'
            '<script>var s = "2015-2020";</script>')
    out = typeset_html(page, "vi")
    assert 'title="2015–2019: −5"' in out
    assert "Giai đoạn 2015–2020, (" in out and '<a href="x-1.html">−3</a>)' in out
    assert '<q lang="vi">giai đoạn 2015-2020 "x"</q>' in out
    assert '<code>a-1 "b"</code>' in out and '<span class="db-quote">2015 - 2020</span>' in out
    assert '<script>var s = "2015-2020";</script>' in out
    # a page with nothing to typeset is returned byte for byte
    plain = '<p class="x">Không có gì &amp; cả</p>'
    assert typeset_html(plain, "vi") == plain


def test_a_quotation_keeps_its_own_dashes():
    assert typeset('Đối với *"Giai đoạn 2015-2020"*, giai đoạn 2015-2020', "vi") == \
        "Đối với *“Giai đoạn 2015-2020”*, giai đoạn 2015–2020"
    page = '<p>Đối với <em>"Giai đoạn 2015-2020"</em>, từ 2015-2019</p>'
    assert typeset_html(page, "vi") == \
        "<p>Đối với <em>“Giai đoạn 2015-2020”</em>, từ 2015–2019</p>"


def test_read_attributes_are_typeset_inside_the_report_words_but_not_in_code():
    """The source page's tooltips (``data-tip`` on a number inside ``.db-article``) are
    our text: typeset as the page is (QA-1450 item 3: "'police listen to the people'"
    in a tooltip); the article's own text and code stay as they are."""
    page = ('<article class="db-article"><p>x "y" <mark data-tip="Communes that held a '
            '\'police listen to the people\' forum: 15 (2015-2019)">15</mark></p></article>'
            '<code><span title="a \'b\'">c</span></code>')
    out = typeset_html(page, "en")
    assert ('data-tip="Communes that held a ‘police listen to the people’ forum: 15 '
            '(2015–2019)"') in out
    assert '<p>x "y" <mark' in out and '<span title="a \'b\'">' in out
