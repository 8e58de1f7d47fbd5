"""The Vietnamese edition reads as a statistics office would write it (issue 19).

Over the built Vietnamese edition of the real notebooks, outside the report's own words
(quotes in ``<q>``, ``.db-quote`` and ``.db-verbatim``, the source page's article, code):

The report's words quoted in our prose (“…”) are its own: only their quote marks count.

* no form the glossary deprecates (``data/vocab/glossary.csv``, column ``deprecated_vi``);
* no straight-quoted span ("…" or '…'): quotes are curly, “…”;
* no quote that starts or ends inside a word (``“đồngđạt`` / ``kế hoạch”đạt``);
* no hyphen used as a minus sign (``-55,8%``): a true minus, −;
* no hyphenated year range (``2015-2020``, ``2015 - 2020``): an en dash, 2015–2020;
* no English identifier (``snake_case``) in visible text or in a tooltip, alt text or label.

Read from the built HTML (no script writes text on the site) with lxml's HTML parser
(:mod:`helpers_html`): on every page of the edition it gives the texts and attributes
BeautifulSoup's html.parser gave, in a sixth of the CPU (``bench/html_readers.py``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers_html import elements, parse, select_page

from dbanalysis.catalogue import vocab
from dbanalysis.core.typography import READ_ATTRIBUTES, VERBATIM_SELECTOR

_STRAIGHT = re.compile(r"(?<![\w])\"[^\"\n]{1,200}\"|(?<![\w])'[^'\n]{1,200}'(?![\w])")
_QUOTE_IN_WORD = re.compile(r"\w“|”\w")
_HYPHEN_MINUS = re.compile(r"(?:^|(?<=[\s(:;]))-\d")
_YEAR_RANGE = re.compile(r"\b((?:19|20)\d\d)\s*-\s*((?:19|20)\d\d)\b")
_QUOTED = re.compile(r"“[^“”]*”")
_IDENTIFIER = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
#: Elements read apart (a space after each), so that two cells never read as one word.
APART = ("p", "li", "td", "th", "h1", "h2", "h3", "h4", "figcaption", "div", "span", "a",
         "strong", "em", "dt", "dd", "summary", "caption", "title", "button", "label")


def _in_a_term(low: str, at: int, form: str) -> bool:
    """Whether the deprecated ``form`` found at ``at`` is part of a prescribed term."""
    from dbanalysis.catalogue import vocab

    for term in vocab.glossary()["term_vi"].astype(str).str.lower():
        i = term.find(form)
        if i >= 0 and term != form and low.startswith(term, at - i):
            return True
    return False


def _text_problems(where: str, full: str, deprecated: dict[str, str]) -> list[str]:
    out = []
    # the report's words quoted in our prose (“…”) are its own: only the quote marks count
    text = _QUOTED.sub(lambda m: "“" + " " * (len(m.group(0)) - 2) + "”", full)
    low = text.lower()
    for form, use in deprecated.items():
        if form.lower() not in low:  # (no match without it: ~0.4 s of a run, over 3,500 texts)
            continue
        for m in re.finditer(r"(?<!\w)" + re.escape(form.lower()) + r"(?!\w)", low):
            if _in_a_term(low, m.start(), form.lower()):
                continue  # part of a term the glossary prescribes ('chỉ số giá', an index)
            out.append(f"{where}: deprecated {form!r} (use {use!r}): "
                       f"…{text[max(0, m.start() - 40):m.end() + 30]}…")
    checks = [(_STRAIGHT, "straight-quoted span", full),
              (_QUOTE_IN_WORD, "quote inside a word", full),
              (_HYPHEN_MINUS, "hyphen as minus", text),
              (_YEAR_RANGE, "hyphenated year range", text),
              (_IDENTIFIER, "English identifier", text)]
    for pattern, what, where_text in checks:
        for m in pattern.finditer(where_text):
            out.append(f"{where}: {what} {m.group(0)!r}: "
                       f"…{full[max(0, m.start() - 40):m.end() + 30]}…")
    return out


def read_page(path: Path) -> tuple[list[tuple[str, str, str]], str]:
    """What a reader sees of a built page outside the elements that hold the report's
    own words or code (quoted, never edited, as the typesetter declares them): each
    attribute of :data:`READ_ATTRIBUTES`, as (element, attribute, value) in the page's
    order, and the text of its body, whitespace made single spaces."""
    page = parse(path.read_text("utf-8"))
    for el in select_page(page, VERBATIM_SELECTOR):
        el.drop_tree()  # with what is inside it; the text after it stays
    attributes = [(str(el.tag), attr, value) for el in elements(page)
                  for attr in READ_ATTRIBUTES if (value := el.get(attr)) is not None]
    body = page.body
    for el in body.iter(*APART):
        el.tail = " " + (el.tail or "")
    return attributes, " ".join("".join(body.itertext()).split())  # (not comments' text)


def edition_problems(folder: Path) -> list[str]:
    """Every problem of the pages of a built Vietnamese edition (``site/vi``), in the text
    and the attributes a reader sees (:func:`read_page`)."""
    deprecated = vocab.deprecated_terms()
    out = []
    for path in sorted(folder.glob("*.html")):
        attributes, text = read_page(path)
        for _, attr, value in attributes:
            out += _text_problems(f"{path.name} [{attr}]", value, deprecated)
        out += _text_problems(path.name, text, deprecated)
    return out


_BAD_PAGE = """<html lang="vi"><body>
<p>Tốc độ tăng bình quân kép là 3,5%; xem phép kiểm tra growth_cattle.</p>
<p>Giảm "16,21%" trong giai đoạn 2015-2020, tức -55,8%; “đồng”đạt kế hoạch.</p>
<p title="agri_cattle: 42.998 con">42.998</p>
<q>giai đoạn 2015-2020 "nguyên văn"</q>
<p>Báo cáo ghi “giai đoạn 2015-2020, chỉ số”.</p>
</body></html>"""


def test_the_checks_find_each_kind_of_problem(tmp_path):
    (tmp_path / "x.html").write_text(_BAD_PAGE, "utf-8")
    found = "\n".join(edition_problems(tmp_path))
    for what in ("deprecated 'bình quân kép'", "deprecated 'phép kiểm tra'",
                 "straight-quoted span '\"16,21%\"'", "hyphen as minus '-5'",
                 "hyphenated year range '2015-2020'", "quote inside a word",
                 "English identifier 'growth_cattle'", "[title]: English identifier"):
        assert what in found, (what, found)
    assert "nguyên văn" not in found  # the report's words, in <q>, are left alone
    assert "chỉ số" not in found  # and so are the report's words quoted in our prose


#: The kinds of problem, as edition_problems names them.
KINDS = ("deprecated", "straight-quoted span", "quote inside a word", "hyphen as minus",
         "hyphenated year range", "English identifier")


@pytest.fixture(scope="module")
def vi_problems(real_site) -> list[str]:
    site, _ = real_site
    return edition_problems(site / "vi")


@pytest.mark.slow
@pytest.mark.parametrize("kind", KINDS)
def test_the_vietnamese_edition_has_none_of_them(vi_problems, kind):
    problems = [p for p in vi_problems if f": {kind}" in p]
    assert not problems, f"{len(problems)} problem(s):\n" + "\n".join(problems[:60])
