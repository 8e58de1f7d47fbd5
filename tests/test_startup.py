"""What a process of the package does before its real work, done more cheaply with the
same result: each shortcut checked against what it stands for."""

from __future__ import annotations

import inspect
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup

from dbanalysis.core.paths import REPO_ROOT
from dbanalysis.site import htmlexport
from dbanalysis.site.pages import Page, chrome, font_dir

#: The lines of nbconvert's ``HTMLExporter.from_notebook_node`` that
#: :func:`dbanalysis.site.htmlexport.mark_accessible` does without CSS selectors.
NBCONVERT_LINES = (
    'for elem in soup.select("img:not([alt])"):',
    'elem.attrs["alt"] = "No description has been provided for this image"',
    'for elem in soup.select(".jp-Notebook div.jp-Cell-inputWrapper"):',
    'for elem in soup.select(".jp-Notebook div.jp-OutputArea-output"):',
    'elem.attrs["tabindex"] = "0"',
)

#: Pages where the two could tell elements apart: names and attribute names in upper
#: case, class names in another case or only part of a class, a class list with other
#: whitespace, elements outside any ``.jp-Notebook``, nested notebooks, an ``alt`` with
#: no value, a ``tabindex`` already set.
PAGES = [
    '<div class="jp-Notebook"><div class="jp-Cell-inputWrapper x">a</div>'
    '<div class="jp-OutputArea-output"><img src="a.png"><img alt src="b.png">'
    '<IMG SRC="c.png"><img ALT="c"></div></div>',
    '<div class="jp-Cell-inputWrapper">outside</div><div class="jp-OutputArea-output">o</div>'
    '<section class="x jp-Notebook"><main><DIV CLASS="jp-OutputArea-output">deep</DIV>'
    '<div class="jp-cell-inputwrapper">case</div><div class="jp-Cell-inputWrapperX">part</div>'
    '<span class="jp-Cell-inputWrapper">span</span>'
    '<div class="a\tjp-Cell-inputWrapper\nb" tabindex="-1">ws</div>'
    '<div class="jp-OutputArea-output\u00a0z">nbsp</div></main></section>',
    '<div class="JP-NOTEBOOK"><div class="jp-OutputArea-output">upper</div></div>'
    '<div class="jp-Notebook"><div class="jp-Notebook"><div class="jp-Cell-inputWrapper '
    'jp-OutputArea-output" id="both">n</div></div></div><p><img src="x"></p>',
    "<p>no images, no cells</p>",
]


def nbconvert_marks(soup: BeautifulSoup) -> int:
    """nbconvert 7.17's lines (:data:`NBCONVERT_LINES`), as written there."""
    missing_alt = 0
    for elem in soup.select("img:not([alt])"):
        elem.attrs["alt"] = "No description has been provided for this image"
        missing_alt += 1
    for elem in soup.select(".jp-Notebook div.jp-Cell-inputWrapper"):
        elem.attrs["tabindex"] = "0"
    for elem in soup.select(".jp-Notebook div.jp-OutputArea-output"):
        elem.attrs["tabindex"] = "0"
    return missing_alt


def test_the_lines_replaced_are_nbconverts() -> None:
    """An nbconvert that does something else after its template fails here first."""
    from nbconvert import HTMLExporter

    source = inspect.getsource(HTMLExporter.from_notebook_node)
    for line in NBCONVERT_LINES:
        assert line in source, line
    assert inspect.getsource(nbconvert_marks).count("soup.select(") == 3


@pytest.mark.parametrize("page", PAGES)
def test_mark_accessible_marks_what_the_selectors_select(page: str) -> None:
    ours, theirs = (BeautifulSoup(page, features="html.parser") for _ in range(2))
    assert htmlexport.mark_accessible(ours) == nbconvert_marks(theirs)
    assert str(ours) == str(theirs)


def test_a_report_page_is_the_page_nbconverts_exporter_makes(monkeypatch) -> None:
    """A report notebook with its outputs (charts, tables, prose), both editions, with and
    without input: the site's exporter writes what nbconvert's ``HTMLExporter`` writes."""
    from nbconvert import HTMLExporter

    nb = nbformat.read(REPO_ROOT / "notebooks" / "03-budget.ipynb", as_version=4)
    pages = [Page(path=Path("03-budget.ipynb"), titles={"en": "B", "vi": "B"})]

    def export_all() -> list[str]:
        htmlexport._EXPORTERS.__dict__.pop("made", None)  # made again with the class
        return [htmlexport.export_page(nb, "B", chrome(lang, ("en", "vi"), "03-budget.html",
                                                       pages, 0, ["f"]), with_input=inp)
                for lang in ("en", "vi") for inp in (False, True)]

    ours = export_all()
    assert type(htmlexport.exporter_for("en")) is htmlexport.exporter_class() is not HTMLExporter
    monkeypatch.setattr(htmlexport, "exporter_class", lambda: HTMLExporter)
    theirs = export_all()
    htmlexport._EXPORTERS.__dict__.pop("made", None)
    assert ours == theirs


def test_the_site_fonts_are_matplotlibs() -> None:
    """The fonts a build copies are where ``matplotlib.get_data_path()`` says (found
    without importing matplotlib in the build)."""
    import matplotlib

    assert font_dir() == Path(matplotlib.get_data_path()) / "fonts" / "ttf"
    assert (font_dir() / "DejaVuSans.ttf").is_file()
