"""The site's nbconvert exporter (dbanalysis.site.htmlexport): nbconvert's page, written once.

nbconvert's HTMLExporter parses the page its template wrote with BeautifulSoup and
writes it out again, to give each cell's input and output ``tabindex="0"`` and an
image without an alt a placeholder one. The site's exporter gives the tabindex itself
(:func:`focusable`) and skips that pass; these tests hold its page to nbconvert's.
"""

from __future__ import annotations

import base64
import re

import pytest

from dbanalysis.site import htmlexport
from dbanalysis.site.htmlexport import focusable

#: A PNG's signature and IHDR chunk (what :func:`htmlexport.png_size` reads), 2 x 1 px.
_PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x02\x00\x00\x00\x01"
                        + bytes(13)).decode()


def _notebook():
    from nbformat import v4

    def display(data, meta=None):
        return v4.new_output("display_data", data=data, metadata=meta or {})

    code = v4.new_code_cell("x = 1\nprint('a \"b\" <c>')", outputs=[
        v4.new_output("stream", name="stdout", text="a  \"b\"  <c>\n  indented\n"),
        display({"text/html": '<table class="t"><tr><td style="text-align: right;" '
                 'title="1 > 0">1&nbsp;000 &amp; more</td></tr></table>'
                 '<div class="jp-OutputArea-output">data&#39;s own</div>'}),
        display({"text/markdown": "**bold** [page](index.html) it's 'quoted'"}),
        display({"image/png": _PNG, "text/plain": "<Figure>"},
                {"dbanalysis": {"title": "A chart", "alt": "Bars: 1 and 2", "number": "1.1",
                                "rows": [["a", "1", "stated"]]}}),
        v4.new_output("error", ename="E", evalue="v", traceback=["E: v"]),
    ])
    nb = v4.new_notebook(cells=[v4.new_markdown_cell("# Title\n\nProse, *some* `code`."),
                                code, v4.new_code_cell("y = 2")])
    nb.metadata["language_info"] = {"name": "python", "pygments_lexer": "ipython3"}
    return nb


def _resources():
    from markupsafe import Markup

    return {"metadata": {"name": "Page"}, "dbsite": {
        "head": Markup(""), "nav_top": Markup("<nav>top</nav>"), "nav_bottom": Markup(""),
        "footer": Markup("<footer>f</footer>"), "fold_input": True, "code_label": "Code",
        "content_lang": "en", "figure_label": "Figure {number}", "figure_data": "Data",
        "figure_head": ["Figure", "Value", "Status"], "narrow_mime": "image/x-narrow",
        "lab_css": "assets/lab.css"}}


@pytest.mark.parametrize("with_input", [True, False])
def test_the_page_is_nbconvert_s_page_without_its_second_writing(monkeypatch, with_input):
    """The site's exporter writes what nbconvert's HTMLExporter writes: parsed and written
    out by BeautifulSoup as nbconvert does, it is nbconvert's page byte for byte (the
    tabindex of each input and output included; the alt text too), in the readers' edition
    and with the code shown, as the researcher's edition has it (every kind of cell and
    output has its wrapper)."""
    from bs4 import BeautifulSoup
    from nbconvert import HTMLExporter

    nb = _notebook()
    ours, _ = htmlexport.make_exporter("vi", with_input=with_input).from_notebook_node(
        nb, resources=_resources())
    monkeypatch.setattr(htmlexport, "_site_exporter_class", lambda: HTMLExporter)
    theirs, _ = htmlexport.make_exporter("vi", with_input=with_input).from_notebook_node(
        nb, resources=_resources())
    assert 'tabindex="0"' in theirs and '<html lang="vi">' in ours
    assert str(BeautifulSoup(ours, features="html.parser")) == theirs


#: A ``<style>`` element of a page's ``<head>``, its CSS in group 1.
_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)


def _inline_css(html):
    """The CSS of the ``<style>`` elements in ``html``'s head, a line each, as
    :func:`htmlexport.lab_css` joins them (empty ones left out)."""
    head = html[:html.index("</head>")]
    return "".join(f"{css.strip()}\n" for css in _STYLE.findall(head) if css.strip())


def test_lab_css_is_the_css_a_page_inlined_and_a_standalone_page_still_does():
    """The site's ``assets/lab.css`` (:func:`htmlexport.lab_css`, which its pages link) is
    the CSS of the ``<style>`` elements the ``dbsite`` template writes into a page outside
    the site build (``jupyter nbconvert --template dbsite``, the lab's export: one
    self-contained file, the lab's CSS inline), in their order: the same cascade, and
    nbconvert's lab page's own (which has mermaid's rules after them, a block ``dbsite``
    leaves out). A site page has no ``<style>``: it links the file."""
    from nbconvert import HTMLExporter
    from traitlets.config import Config

    from dbanalysis.notebook.lab import NBCONVERT_CONFIG
    from dbanalysis.site.pages import TEMPLATES

    nb = _notebook()
    css = htmlexport.lab_css()
    assert len(css) > 200_000 and ".highlight .k {" in css and "a.anchor-link {" in css
    config = Config(NBCONVERT_CONFIG)  # the environment's `jupyter nbconvert` and lab export
    config.StandalonePage.enabled = False  # (its embedded fonts left out)
    standalone, _ = HTMLExporter(extra_template_basedirs=[str(TEMPLATES)],
                                 config=config).from_notebook_node(nb)
    assert _inline_css(standalone) == css and "lab.css" not in standalone
    lab, _ = HTMLExporter(template_name="lab").from_notebook_node(nb)
    assert _inline_css(lab).startswith(css)
    site, _ = htmlexport.make_exporter("en").from_notebook_node(nb, resources=_resources())
    assert "<style" not in site and '<link rel="stylesheet" href="assets/lab.css">' in site


@pytest.mark.parametrize(("html", "shown"), [
    ('<div class="jp-OutputArea-output">x</div>',
     '<div class="jp-OutputArea-output" tabindex="0">x</div>'),
    ('<div title="a > b" class="jp-RenderedText  jp-OutputArea-output ">',
     '<div title="a > b" class="jp-RenderedText  jp-OutputArea-output " tabindex="0">'),
    ("<div\nclass='jp-Cell-inputWrapper'>", "<div\nclass='jp-Cell-inputWrapper' tabindex=\"0\">"),
    ('<div class=jp-OutputArea-output>', '<div class=jp-OutputArea-output tabindex="0">'),
    ('<div class="jp-OutputArea-output" tabindex="-1">',) * 2,  # its own is kept
    ('<div class="jp-OutputArea-output-x">',) * 2,  # another class
    ('<div data-class="jp-OutputArea-output">',) * 2,  # another attribute
    ('<div title="class=jp-OutputArea-output">',) * 2,  # a value
    ('<div class="a" class="jp-OutputArea-output">',) * 2,  # the first one counts
    ('<span class="jp-OutputArea-output">',) * 2,  # another element
    ('<divx class="jp-OutputArea-output">',) * 2,
])
def test_focusable_gives_each_cell_s_input_and_output_a_tabindex(html, shown):
    assert focusable(html) == shown


def test_a_pages_language_is_its_calls_not_a_setting_of_the_shared_exporter():
    """One exporter a thread serves both editions (its templates compiled once). Its
    ``language_code`` was set on every :func:`htmlexport.exporter_for` call, and
    :func:`htmlexport.lab_css` left it English (FINAL24-A 7): an exporter kept by a
    caller wrote the other edition's ``<html lang>``. The language is now each call's
    (``resources["language_code"]``, as :func:`export_page` passes it): pages of both
    languages in turn, with lab_css() between them, each say their own, and the shared
    exporter's own setting never changes."""
    nb = _notebook()
    kept = htmlexport.exporter_for(with_input=False)
    before = kept.language_code
    said = []
    for lang in ("vi", "en", "vi"):
        htmlexport.lab_css()
        html, _ = kept.from_notebook_node(nb, resources={**_resources(), "language_code": lang})
        said.append(re.search(r'<html lang="([^"]*)"', html).group(1))
    assert said == ["vi", "en", "vi"]
    assert htmlexport.exporter_for(with_input=False) is kept and kept.language_code == before
