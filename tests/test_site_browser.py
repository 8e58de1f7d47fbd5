"""Open the built site in a real headless Chromium (playwright, system /usr/bin/chromium).

Asserts, on the index and every page: no request leaves 127.0.0.1, no console
error, every <img> decodes, every internal link answers HTTP 200, every same-page
fragment names an element, the self-hosted fonts load. Each page is loaded once per test
process (:func:`browser_helpers.visit_site`); the reader checks read the same visit.
"""

from __future__ import annotations

import urllib.parse
from pathlib import Path

import browser_helpers
import pytest
from browser_helpers import REAL_NOTEBOOKS, require_chromium, serve, visit_site
from site_helpers import BuiltSite

from dbanalysis.core.typography import typeset

pytestmark = [pytest.mark.browser, pytest.mark.slow]


LOCAL_SCHEMES = ("data", "blob", "about")


def check_site(browser: object, site: Path, label: str) -> None:
    visit = visit_site(browser, site)
    host = urllib.parse.urlsplit(visit.base).netloc
    for name, seen in visit.pages.items():
        assert seen["status"] == 200, f"{label}/{name}: HTTP {seen['status']}"
        bad = [i for i in seen["images"] if not (i["complete"] and i["w"] > 0)]
        assert not bad, f"{label}/{name}: images that do not decode: {bad}"
        fonts = seen["fonts"]
        assert "DB Sans" in fonts, f"{label}/{name}: self-hosted font not loaded: {fonts}"
        if not name.endswith("index.html") and seen["pre"]:
            assert "DB Mono" in fonts, f"{label}/{name}: monospace font not loaded: {fonts}"
        for link in seen["links"]:
            parts = urllib.parse.urlsplit(link)
            if parts.scheme == "data":
                continue
            assert parts.netloc == host, f"{label}/{name}: link to another host: {link}"
            target = urllib.parse.urlunsplit(parts._replace(fragment=""))
            assert visit.status[target] == 200, f"{label}/{name}: broken link {link}"
        assert not seen["lost"], f"{label}/{name}: no element for {seen['lost']}"
    # every request the pages made, from the browser's own log
    outside = [u for u in visit.requests if urllib.parse.urlsplit(u).scheme not in LOCAL_SCHEMES
               and urllib.parse.urlsplit(u).netloc != host]
    assert not outside, f"{label}: requests left 127.0.0.1: {outside}"
    assert not visit.errors, f"{label}: {visit.errors}"


def test_fixture_site_in_chromium(browser: object, built_site: BuiltSite) -> None:
    check_site(browser, built_site.out, "fixture")


def test_real_notebooks_site_in_chromium(browser: object, real_site: tuple[Path, Path]) -> None:
    check_site(browser, real_site[0], "real")


@pytest.mark.parametrize(
    ("ci", "outcome"), [("true", pytest.fail.Exception), ("", pytest.skip.Exception)]
)
def test_missing_chromium_skips_locally_but_fails_on_ci(
    ci: str, outcome: type[BaseException], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(browser_helpers, "CHROMIUM", tmp_path / "no-chromium")
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="no-chromium"):
        require_chromium()


HOSTILE = '<img src=x onerror="window.__pwned=1;alert(1)">'


def test_hostile_catalogue_text_is_shown_not_run(
    browser: object, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A label, note and Vietnamese label carrying HTML, in a copy of data/: the pages
    built from it (a sector notebook and the audit, whose explanations are Markdown)
    show the text as written, open no dialog and hold no element with an on* attribute."""
    import csv
    import io
    import shutil

    from dbanalysis.core import paths
    from dbanalysis.site.build import build_site

    data = tmp_path / "data"
    shutil.copytree(paths.data_dir(), data)
    path = data / "figures.csv"
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    row = next(r for r in rows if r[0] == "agri_poultry")  # in an audit finding's explanation
    row[header.index("label_en")] = f"Poultry flock {HOSTILE}"
    row[header.index("label_vi")] = "Đàn gia súc lớn <script>window.__pwned=2</script>"
    row[header.index("note")] = "[click](javascript:alert(3)) <b onmouseover=alert(4)>x</b>"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    monkeypatch.setenv("DBANALYSIS_DATA", str(data))  # the kernels inherit it

    notebooks = tmp_path / "notebooks"
    notebooks.mkdir()
    for name in ("01-agriculture.ipynb", "12-audit.ipynb"):
        shutil.copy2(REAL_NOTEBOOKS / name, notebooks / name)
    out = tmp_path / "site"
    build_site(out=out, notebooks=notebooks, jobs=2, log=lambda _msg: None)

    server, base = serve(out)
    try:
        context = browser.new_context()  # type: ignore[attr-defined]
        page = context.new_page()
        dialogs: list[str] = []
        page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        for name in ("01-agriculture.html", "12-audit.html", "index.html"):
            page.goto(base + name, wait_until="load")
            page.wait_for_timeout(300)  # an onerror handler would have run by now
            on_attrs = page.evaluate(
                """() => Array.from(document.querySelectorAll('*')).flatMap(e =>
                    Array.from(e.attributes).filter(a => a.name.startsWith('on'))
                    .map(a => e.tagName + ' ' + a.name))"""
            )
            assert on_attrs == [], f"{name}: elements with event handlers: {on_attrs}"
            assert page.evaluate("() => window.__pwned") is None, name
            js_links = page.evaluate(
                "() => Array.from(document.links).filter(a => a.protocol === 'javascript:')"
                ".length"
            )
            assert js_links == 0, name
            text = page.evaluate("() => document.body.textContent")  # collapsed parts too
            if name in ("12-audit.html", "01-agriculture.html"):
                # shown as written (typeset like every text: curly quotes), readable
                assert typeset(HOSTILE, "en") in text, name
        assert dialogs == []
        context.close()
    finally:
        server.shutdown()
        server.server_close()
