"""What a site build reuses instead of making again: the source page's article and the
front page's findings and audit line per data version, and the Jinja templates compiled
once per source (Jinja's own bytecode cache)."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest
from markupsafe import Markup

from dbanalysis.catalogue.source import report_text
from dbanalysis.core import cache
from dbanalysis.site.sourcepage import article_html

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


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


def test_another_process_reads_the_article_from_disk(tmp_path, monkeypatch):
    """The memo emptied (another process), the article is read from disk, not made."""
    from dbanalysis.site import sourcepage

    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path))
    sourcepage._stored_article.cache_clear()
    first = str(article_html("vi"))
    sourcepage._stored_article.cache_clear()
    monkeypatch.setattr(sourcepage, "_article", lambda *_: pytest.fail("made again"))
    assert str(article_html("vi")) == first
    assert len(list((tmp_path / "source-article").glob("*.txt"))) == 1


def _same(kept, made, path=()):
    """``kept`` is ``made``: the same type at every level (a Markup is not a str that the
    page would escape again, a list not a tuple) and equal leaves."""
    assert type(kept) is type(made), (path, type(kept), type(made))
    if isinstance(made, dict):
        assert list(kept) == list(made), path
        for key in made:
            _same(kept[key], made[key], (*path, key))
    elif isinstance(made, list | tuple):
        assert len(kept) == len(made), path
        for i, (k, m) in enumerate(zip(kept, made, strict=True)):
            _same(k, m, (*path, i))
    else:
        assert kept == made, path


def test_another_process_reads_the_front_pages_findings_from_disk(tmp_path, monkeypatch):
    """The front page's findings and audit line, made once per edition and audit page, are
    read from disk by another process (nothing made again), the same as made without the
    cache (types too: a finding's sentence is markup, its numbers' links, not a text to
    escape again); each edition's and audit page's its own (no audit page is not one
    named "")."""
    from dbanalysis.render.headlines import headline_findings
    from dbanalysis.site import frontpage

    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path))
    keys = [(lang, href) for lang in ("en", "vi") for href in ("12-audit.html", None)]
    keys.append(("en", ""))
    fresh = {key: (frontpage.finding_items(headline_findings(), *key),
                   frontpage.audit_line(*key)) for key in keys}
    assert all(isinstance(i["html"], Markup)  # (a Markup to keep)
               for items, _ in fresh.values() for i in items)
    for key in keys:  # made and kept
        _same(frontpage.kept_findings_and_audit(*key), fresh[key], key)
    assert len(list((tmp_path / "front-findings").glob("*.txt"))) == len(keys)
    for name in ("finding_items", "audit_line", "headline_findings"):
        monkeypatch.setattr(frontpage, name, lambda *_: pytest.fail("made again"))
    for key in keys:  # read from disk
        _same(frontpage.kept_findings_and_audit(*key), fresh[key], key)


def test_every_markup_kept_comes_back_as_markup(tmp_path, monkeypatch):
    """Wherever the findings or the audit line hold a Markup, it is Markup when read from
    disk; what JSON would give back as another type (a tuple) is refused, not kept."""
    from dbanalysis.site import frontpage

    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path))
    items = [{"html": Markup("<b>a</b>"), "checks": [{"title": Markup("<i>t</i>")}]}]
    audit = {"run": Markup("<b>1</b>"), "parts": [{"label": "<plain>", "n": 1}], "href": None}
    monkeypatch.setattr(frontpage, "finding_items", lambda *_: items)
    monkeypatch.setattr(frontpage, "audit_line", lambda *_: audit)
    monkeypatch.setattr(frontpage, "headline_findings", lambda: [])
    for _ in ("made", "read"):
        _same(frontpage.kept_findings_and_audit("en", None), (items, audit))
    audit["parts"] = ({"label": "x"},)
    with pytest.raises(TypeError, match="tuple"):
        frontpage.kept_findings_and_audit("vi", None)


def test_the_front_pages_findings_follow_a_data_edit(data_copy):
    """An edited finding's sentence is on the next front page, nothing else changed."""
    from dbanalysis.site.frontpage import kept_findings_and_audit

    old, new = "The buffalo and cattle herd reached", "The herd of this test reached"
    first = kept_findings_and_audit("en", None)
    assert old in first[0][0]["html"] and new not in first[0][0]["html"]
    findings = Path(data_copy) / "findings.csv"
    findings.write_text(findings.read_text(encoding="utf-8").replace(old, new),
                        encoding="utf-8")
    edited = kept_findings_and_audit("en", None)
    assert new in edited[0][0]["html"] and old not in edited[0][0]["html"]
    assert repr(edited).replace(new, old) == repr(first)


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
    assert list((tmp_path / "cache" / "templates").rglob("*.cache"))
    compiled.clear()
    assert _page(tmp_path) == first
    assert compiled == []


def _environment(tmp_path: Path, autoescape: bool = True):
    """A Jinja environment over ``tmp_path/t/page.j2`` (a template of one variable)."""
    import jinja2

    folder = tmp_path / "t"
    folder.mkdir(exist_ok=True)
    (folder / "page.j2").write_text("<p>{{ text }}</p>", encoding="utf-8")
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)),
                              autoescape=autoescape)


def test_environments_that_compile_differently_never_share_compiled_code(tmp_path,
                                                                          monkeypatch):
    """Jinja checks only a template's source and Python's version before it runs the code
    it kept: one folder for the site's autoescaping pages and nbconvert's environment, the
    pages would run code compiled without escaping (REVIEW11-A 1). Each environment keeps
    its code apart, by its compile settings: a template compiled without escaping first
    still escapes data text in an autoescaping environment, and the other way round."""
    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path / "cache"))
    text = "<b onmouseover=alert(1)>x</b>"
    for first in (False, True):
        for escape in (first, not first):
            env = _environment(tmp_path, autoescape=escape)
            env.bytecode_cache = cache.template_cache(env)
            assert env.bytecode_cache is not None
            html = env.get_template("page.j2").render(text=text)
            assert ("<b " not in html) == escape, (first, escape, html)
    kept = [p for p in (tmp_path / "cache" / "templates").iterdir() if any(p.iterdir())]
    assert len(kept) == 2  # one folder of compiled code per way of compiling


def test_environments_that_choose_escaping_by_name_keep_no_compiled_code(tmp_path,
                                                                        monkeypatch):
    """An environment whose autoescaping is a function (``select_autoescape``) decides
    when it compiles, by the template's name; two such functions share one name, so
    their environments would share compiled code: a ``.txt`` template compiled unescaped
    by one was run by the other, which escapes it (REREAD-P 1). Such an environment
    keeps none, and each escapes as it says."""
    import jinja2

    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path / "cache"))
    folder = tmp_path / "t"
    folder.mkdir()
    (folder / "page.txt").write_text("{{ text }}", encoding="utf-8")
    for exts, escaped in ((["html"], False), (["html", "txt"], True)):
        env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(folder)),
                                 autoescape=jinja2.select_autoescape(exts))
        env.bytecode_cache = cache.template_cache(env)
        assert env.bytecode_cache is None
        out = env.get_template("page.txt").render(text="<b>x</b>")
        assert (out == "&lt;b&gt;x&lt;/b&gt;") == escaped, (exts, out)


def test_a_cache_folder_others_may_write_holds_no_template(tmp_path, monkeypatch):
    """Compiled code runs when loaded: in a folder another user could write, no template is
    read or written (each is compiled in memory), and the page is the same."""
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    monkeypatch.setenv("DBANALYSIS_CACHE", str(folder))
    assert cache.template_cache(_environment(tmp_path)) is None
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
    assert cache.template_cache(_environment(tmp_path)) is None
    assert "<h1" in _page(tmp_path)


# --------------------------------------------------------------------------- safe_html kept

HOSTILE = '<table><tr><td onclick="x()">1</td></tr></table><img src=x onerror=alert(1)>'


def _kept(folder: Path) -> list[Path]:
    return sorted((folder / "safe-html").glob("*.txt"))


def test_the_sanitised_html_is_kept_per_input_and_policy(tmp_path, monkeypatch):
    """The second call reads what the first one wrote (bleach is not run); another policy
    (an edited markup.py, another bleach) or another input runs it again."""
    from dbanalysis.core import markup

    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path))
    clean = markup.safe_html(HOSTILE)
    assert "onclick" not in clean and "<img" not in clean and "&lt;img" in clean
    assert len(_kept(tmp_path)) == 1
    made: list[str] = []
    sanitised = markup._sanitised
    monkeypatch.setattr(markup, "_sanitised", lambda html: made.append(html) or sanitised(html))
    assert markup.safe_html(HOSTILE) == clean and made == []
    monkeypatch.setattr(markup, "_policy", lambda: "another policy")
    assert markup.safe_html(HOSTILE) == clean and made == [HOSTILE]
    assert markup.safe_html(HOSTILE + " ") != clean and len(made) == 2
    assert len(_kept(tmp_path)) == 3


def test_the_policy_names_the_module_source_and_the_libraries():
    """An edit of markup.py (its allowed elements, attributes, links) or another bleach,
    tinycss2 or Python gives every input a new entry."""
    import hashlib
    import sys
    from importlib.metadata import version

    import bleach

    from dbanalysis.core import markup

    policy = markup._policy()
    assert hashlib.sha256(Path(markup.__file__).read_bytes()).hexdigest() in policy
    assert f"bleach {bleach.__version__}" in policy
    assert f"tinycss2 {version('tinycss2')}" in policy
    assert sys.version in policy


def test_a_damaged_entry_is_not_used(tmp_path, monkeypatch):
    """An entry whose text no longer matches its checksum (a disk error, a hand edit) is made
    again and written anew."""
    from dbanalysis.core import markup

    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path))
    clean = markup.safe_html(HOSTILE)
    (entry,) = _kept(tmp_path)
    entry.write_bytes(entry.read_bytes().replace(b"&lt;img", b"<img"))
    assert markup.safe_html(HOSTILE) == clean
    assert b"&lt;img" in entry.read_bytes()


def test_a_folder_others_may_write_keeps_no_sanitised_html(tmp_path, monkeypatch):
    """A kept text is trusted as the sanitiser's: a folder another user could write is
    neither read nor written."""
    from dbanalysis.core import markup

    folder = tmp_path / "shared"
    (folder / "safe-html").mkdir(parents=True)
    (folder / "safe-html").chmod(0o777)
    monkeypatch.setenv("DBANALYSIS_CACHE", str(folder))
    made: list[str] = []
    sanitised = markup._sanitised
    monkeypatch.setattr(markup, "_sanitised", lambda html: made.append(html) or sanitised(html))
    assert markup.safe_html(HOSTILE) == markup.safe_html(HOSTILE)
    assert made == [HOSTILE, HOSTILE]
    assert list((folder / "safe-html").iterdir()) == []


def test_kept_texts_are_pruned_least_recently_used_first(tmp_path, monkeypatch):
    """Beyond KEEP_TEXT_BYTES the entries used least recently go (once per process and
    folder, on the first write)."""
    import os

    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path))
    monkeypatch.setattr(cache, "_PRUNED", set())
    folder = tmp_path / "probe"
    folder.mkdir()
    for i in range(5):
        old = folder / f"{i:064x}.txt"
        old.write_bytes(b"x" * 1000)
        os.utime(old, (1_000_000_000 + i, 1_000_000_000 + i))
    monkeypatch.setattr(cache, "KEEP_TEXT_BYTES", 3000)
    assert cache.kept_text("probe", "v1", "new", str.upper) == "NEW"
    left = sorted(p.name[:64] for p in folder.glob("*.txt"))
    assert len(left) == 3 and f"{4:064x}" in left and f"{0:064x}" not in left


# --------------------------------------------------------------------------- derived tips


def test_a_derived_tip_is_made_once_per_data_and_code_version(data_copy, tmp_path, monkeypatch):
    """Another process (the memo emptied) reads a tip from disk instead of making it; an
    edited data file makes it again, with the edit."""
    from dbanalysis.catalogue.figures import figure
    from dbanalysis.derive.lookup import derived_frame
    from dbanalysis.render import headlines

    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path / "cache"))
    fid = derived_frame().index[0]
    label = str(figure(derived_frame().loc[fid, "inputs"][0])["label_en"])
    headlines._derived_tip.cache_clear()
    tip = headlines.derived_tip(fid, "en")
    assert label in tip
    made: list[str] = []
    real = headlines._made_tip
    monkeypatch.setattr(headlines, "_made_tip", lambda f, lang: made.append(f) or real(f, lang))
    headlines._derived_tip.cache_clear()
    assert headlines.derived_tip(fid, "en") == tip and made == []
    figures = Path(data_copy) / "figures.csv"
    figures.write_text(figures.read_text(encoding="utf-8").replace(label, f"{label} relabelled"),
                       encoding="utf-8")
    edited = headlines.derived_tip(fid, "en")
    assert made == [fid] and f"{label} relabelled" in edited


def test_a_tips_version_names_the_data_the_code_and_the_libraries():
    from importlib.metadata import version

    from dbanalysis.render import headlines

    key = headlines._tip_version()
    assert cache.data_hash() in key and cache.code_hash() in key
    assert f"babel {version('babel')}" in key and f"markupsafe {version('markupsafe')}" in key


# --------------------------------------------------------------------------- Markdown kept


def test_markdown_is_rendered_once_per_source_and_renderer(tmp_path, monkeypatch):
    """A second exporter (another process) reads a cell's rendered Markdown from disk: mistune
    is not run; another anchor-link text (another renderer) renders it again; the page is
    the same as one exported with the cache off."""
    from nbconvert import HTMLExporter

    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path / "cache"))
    first = _page(tmp_path)
    assert len(list((tmp_path / "cache" / "markdown-html").glob("*.txt"))) == 1
    rendered: list[str] = []
    real = HTMLExporter.markdown2html

    @jinja2.pass_context
    def counting(self, context, source):
        rendered.append(source)
        return real(self, context, source)

    monkeypatch.setattr(HTMLExporter, "markdown2html", counting)
    assert _page(tmp_path) == first and rendered == []
    monkeypatch.setattr(HTMLExporter, "anchor_link_text", "#")
    assert _page(tmp_path) != first and rendered == ["# Title\n\nText."]
    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path / "shared"))
    (tmp_path / "shared").mkdir(mode=0o777)
    (tmp_path / "shared").chmod(0o777)  # not private: nothing kept, all rendered
    monkeypatch.setattr(HTMLExporter, "anchor_link_text", "¶")
    assert _page(tmp_path) == first and len(rendered) == 2
