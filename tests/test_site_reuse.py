"""What a site build reuses instead of making again: the source page's article per data
version, and the Jinja templates compiled once per source (Jinja's own bytecode cache)."""

from __future__ import annotations

from pathlib import Path

import jinja2

from dbanalysis.catalogue.source import report_text
from dbanalysis.core import cache
from dbanalysis.site.sourcepage import article_html

OLD_LABEL = "Attendances at training on emulation and commendation work"
NEW_LABEL = "Training attendances relabelled for this test"


def test_the_article_is_made_once_per_data_version_and_follows_an_edit(data_copy):
    """Two builds of one process write the same article (one object, not made twice); an
    edited label is on the next one."""
    first = article_html("en")
    assert article_html("en") is first  # made once
    assert OLD_LABEL in first and NEW_LABEL not in first
    figures = Path(data_copy) / "figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace(OLD_LABEL, NEW_LABEL),
                       encoding="utf-8")
    edited = article_html("en")
    assert NEW_LABEL in edited and OLD_LABEL not in edited
    assert str(edited).replace(NEW_LABEL, OLD_LABEL) == str(first)  # nothing else changed


def test_an_article_given_as_text_is_not_kept():
    """A text passed in (a test's, a draft's) is rendered each time, never answered from
    the memo; the stored report's is the same article."""
    text = report_text()
    given = article_html("en", text)
    assert article_html("en", text) is not given
    assert str(given) == str(article_html("en"))


def _compiles(monkeypatch) -> list[str]:
    """The names of the templates Jinja compiles from now on."""
    names: list[str] = []
    compile_ = jinja2.Environment.compile

    def counting(self, source, name=None, filename=None, raw=False, defer_init=False):
        names.append(str(name))
        return compile_(self, source, name, filename, raw, defer_init)

    monkeypatch.setattr(jinja2.Environment, "compile", counting)
    return names


def _page(tmp_path: Path) -> str:
    """A page exported by a new exporter (a new Jinja environment, as in a new process)."""
    import nbformat

    from dbanalysis.site.htmlexport import make_exporter

    cell = nbformat.v4.new_markdown_cell("# Title\n\nText.")
    cell["id"] = "title"
    nb = nbformat.v4.new_notebook(cells=[cell])
    return make_exporter("en").from_notebook_node(nb, resources={
        "dbsite": {"head": "", "nav_top": "", "nav_bottom": "", "footer": "",
                   "fold_input": False, "code_label": "", "content_lang": "en",
                   "figure_label": "", "figure_data": "", "figure_head": ["", "", ""],
                   "narrow_mime": "", "lab_css": "lab.css"},
        "inlining": {"css": []}})[0]


def test_templates_are_compiled_once_per_source(tmp_path, monkeypatch):
    """A second exporter (another process's) loads the compiled templates the first one
    wrote, compiles none, and writes the same page."""
    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path / "cache"))
    compiled = _compiles(monkeypatch)
    first = _page(tmp_path)
    assert "index.html.j2" in compiled
    assert list((tmp_path / "cache" / "templates").iterdir())
    compiled.clear()
    assert _page(tmp_path) == first
    assert compiled == []


def test_a_cache_folder_others_may_write_holds_no_template(tmp_path, monkeypatch):
    """Compiled code runs when loaded: in a folder another user could write, no template is
    read or written (each is compiled in memory), and the page is the same."""
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    monkeypatch.setenv("DBANALYSIS_CACHE", str(folder))
    assert cache.template_cache() is None
    compiled = _compiles(monkeypatch)
    first = _page(tmp_path)
    assert list(folder.iterdir()) == []
    compiled.clear()
    assert _page(tmp_path) == first
    assert "index.html.j2" in compiled


def test_a_cache_folder_that_cannot_be_made_holds_no_template(tmp_path, monkeypatch):
    """A cache folder that cannot be made (here under a file) turns the template cache off:
    the page is still exported."""
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DBANALYSIS_CACHE", str(blocker / "sub"))
    assert cache.template_cache() is None
    assert "<h1" in _page(tmp_path)
