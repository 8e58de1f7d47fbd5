"""Nothing a data file says can run in a reader's browser or a spreadsheet (issue 22).

A copy of data/ gets hostile text in every text column of every data file
(:mod:`helpers_hostile`: script and image tags, event handlers, ``javascript:`` and
off-site links and images in HTML and in Markdown, mathtext, spreadsheet formulas).
Every notebook's code then runs on it, in one separate process (the functions that make
every page: tables, sentences, Markdown, charts; started in the background with the site
tests, ``conftest.hostile_run``), and the property is asserted on what
they output, before the site's last gate (:func:`dbanalysis.core.markup.safe_html`):
Markdown rendered by nbconvert as the site renders it, tables as they are. Two pages built
from those outputs (notebooks 00 and 07, with the site's chrome, in both languages: tables,
sentences, a chart's caption, alt text and data table) are opened in Chromium, and the
export of the same data is read back as a spreadsheet reads it.
"""

from __future__ import annotations

import contextlib
import csv
import json
import subprocess
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from bs4 import BeautifulSoup
from helpers_hostile import (
    HOSTILE,
    NOT_TEXT,
    PAGES,
    PER_CELL,
    payload,
    shown_columns,
    string_columns,
)

from dbanalysis.core.typography import typeset

pytestmark = [pytest.mark.slow]

#: Elements no data text may become: they run code, load from another host or restyle.
LIVE_TAGS = ("script", "img", "iframe", "svg", "object", "embed", "link", "meta", "base",
             "form", "style", "video", "audio", "source", "math")
#: Attributes that run or load what they name.
URL_ATTRS = ("href", "src", "srcset", "action", "formaction", "xlink:href", "data", "poster",
             "background", "style")


@dataclass(frozen=True)
class Run:
    data: Path
    out: Path
    outputs: list[dict[str, Any]]
    charts: list[dict[str, Any]]


@pytest.fixture(scope="module")
def run(hostile_run: tuple[Path, Path, subprocess.Popen[bytes], Path]) -> Run:
    """The notebooks' outputs on the hostile data (the run started with the worker's
    site tests, :func:`conftest.hostile_run`, and ran beside them)."""
    data, out, proc, stderr = hostile_run
    proc.wait(timeout=600)
    assert proc.returncode == 0, stderr.read_text(encoding="utf-8", errors="replace")[-3000:]
    outputs = json.loads((out / "outputs.json").read_text(encoding="utf-8"))
    charts = json.loads((out / "charts.json").read_text(encoding="utf-8"))
    return Run(data, out, outputs, charts)


def _html(output: dict[str, Any]) -> str | None:
    """An output as the page's HTML (Markdown rendered by nbconvert, as the site does)."""
    from nbconvert.filters.markdown import markdown2html

    data = output["data"]
    if "text/html" in data:
        return str(data["text/html"])
    if "text/markdown" in data:
        return str(markdown2html(data["text/markdown"]))
    return None


@pytest.fixture(scope="module")
def pages(run: Run) -> list[tuple[str, BeautifulSoup]]:
    """Every text output of every notebook, parsed as a browser parses it."""
    out = []
    for o in run.outputs:
        html = _html(o)
        if html is not None:
            out.append((o["notebook"], BeautifulSoup(html, "html.parser")))
    assert len(out) > 150  # every notebook's tables and prose
    return out


def test_every_text_column_of_every_data_file_is_hostile() -> None:
    """Each string column with free text gets the cases; the others are named with why."""
    columns = string_columns()
    assert set(NOT_TEXT) <= set(columns), set(NOT_TEXT) - set(columns)
    shown = shown_columns()
    assert len(shown) + len(NOT_TEXT) == len(columns)
    assert {name for name, _ in shown} >= {"figures", "corrections", "findings", "reference",
                                           "vocab/labels", "vocab/sectors", "i18n/vi"}
    # a cell holds a few cases (helpers_hostile.case_plan), one of them a case that makes
    # live HTML if written unescaped (so that a slot of a page that escapes nothing shows
    # it, however few its cells); across its rows every column holds every case (one of
    # fewer than len(HOSTILE) / PER_CELL texts: PER_CELL for each of its texts), and
    # every column of at least len(HOSTILE) texts has each case first in some cell
    from helpers_hostile import LIVE_HTML, TITLE_KEY, data_files

    files = data_files()
    missed = []
    for name, column in shown:
        with open(files[name], encoding="utf-8", newline="") as fh:
            cells = [r[column] for r in csv.DictReader(fh) if r[column]]
        payloads = [payload(c) for c in cells]
        assert all(any(case in p for case in LIVE_HTML) for p in payloads), (name, column)
        got = " ".join(payloads)
        lacking = [case for case in HOSTILE if case not in got]
        missed += [(name, column, case) for case in lacking]
        texts = len(set(cells))
        assert len(HOSTILE) - len(lacking) >= min(len(HOSTILE), PER_CELL * texts), \
            (name, column, lacking)
        if texts >= len(HOSTILE):
            first = [case for case in HOSTILE if not any(p.startswith(case) for p in payloads)]
            assert not first, (name, column, first)
    reached = len(shown) * len(HOSTILE) - len(missed)
    assert reached >= 0.75 * len(shown) * len(HOSTILE), missed
    # and every case reaches a fair share of the shown texts, at least half as many as a
    # case on average (the mathtext case and the Markdown javascript: link reached 77 and
    # 81 of 2,324 texts, the others 276-300: REREAD-0620B F3)
    texts_shown = set()
    for name, column in shown:
        with open(files[name], encoding="utf-8", newline="") as fh:
            texts_shown |= {r[column] for r in csv.DictReader(fh) if r[column]}
    share = {case: sum(case in payload(t) for t in texts_shown) for case in HOSTILE}
    mean = sum(share.values()) / len(share)
    assert all(n >= mean / 2 for n in share.values()), (round(mean), share)
    # a chart's title (a label, in each language) holds every case: it begins the chart's
    # alt text and is its PNG's title (test_built_page_in_chromium_runs_nothing reads the
    # alt text of a chart page for every case)
    with open(files["vocab/labels"], encoding="utf-8", newline="") as fh:
        titles = [r[lang] for r in csv.DictReader(fh) if r["key"].startswith(TITLE_KEY)
                  for lang in ("en", "vi")]
    assert titles and all(case in payload(t) for t in titles for case in HOSTILE)


def test_no_output_makes_live_markup(pages: list[tuple[str, BeautifulSoup]]) -> None:
    """In every output of every page: no element, event handler, link or address made of
    any case (the cases are in every text column at once)."""
    for notebook, soup in pages:
        for el in soup.find_all(True):
            where = f"{notebook}: <{el.name} {el.attrs}>"
            handlers = [a for a in el.attrs if a.lower().startswith("on")]
            assert not handlers, f"event handler: {where}"
            if el.name == "style":  # Styler's empty block, or pandas' own rules
                css = el.get_text().strip()
                assert not css or css.startswith(".dataframe"), f"live element: {where}"
            else:
                assert el.name not in LIVE_TAGS, f"live element: {where}"
            for attr in URL_ATTRS:
                value = str(el.get(attr, "")).strip().lower()
                assert not value.startswith(("javascript:", "vbscript:", "data:")), where
                host = urllib.parse.urlsplit(value).netloc
                assert not host, f"address on another host: {where}"


@pytest.fixture(scope="module")
def page_texts(pages: list[tuple[str, BeautifulSoup]]) -> list[tuple[str, str]]:
    """Every output's text as a reader reads it."""
    return [(notebook, soup.get_text()) for notebook, soup in pages]


@pytest.mark.parametrize("case", HOSTILE)
def test_hostile_text_is_shown_not_run(case: str, page_texts: list[tuple[str, str]]) -> None:
    """The case is shown, character for character, as text on some page (that it makes
    no markup anywhere: :func:`test_no_output_makes_live_markup`)."""
    shown_in = {notebook for notebook, text in page_texts if case in text}
    assert shown_in, f"{case!r} is shown as written on no page"


def test_charts_draw_data_text_as_written(run: Run) -> None:
    """Every chart draws (a label ``$\\frac{a}{$`` does not break mathtext: it is off),
    and the labels it draws are the data's, character for character."""
    assert len(run.charts) >= 16
    assert all(not c["math"] for c in run.charts), [c["math"] for c in run.charts]
    drawn = "\n".join(t for c in run.charts for t in c["texts"])
    assert "$\\frac{a}{$" in drawn
    # every case, typeset as every text the reader sees is (curly quotes and apostrophes),
    # and otherwise as written
    missing = [case for case in HOSTILE if not _as_drawn(case, drawn)]
    assert not missing, missing
    # each PNG's text chunks (its title and alt text) keep the data text as written
    assert all(c["png"].get("Title") and c["png"].get("Description") for c in run.charts)
    described = "\n".join(c["png"]["Title"] + "\n" + c["png"]["Description"]
                          for c in run.charts)
    assert sum(case in described for case in HOSTILE) >= len(HOSTILE) - PER_CELL
    titles = "\n".join(c["png"]["Title"] for c in run.charts)  # (a title: every case)
    missing = [case for case in HOSTILE if not _as_drawn(case, titles)]
    assert not missing, missing


def test_every_phone_only_branch_draws_hostile_text(run: Run) -> None:
    """Every branch the chart code takes only in the phone layout (each ``is_narrow()``
    in src/dbanalysis/plotting) was taken while a chart was drawn on the hostile data
    (helpers_hostile.PHONE), so that the texts it builds (a note moved into a row's name,
    a range on its own line, a label wrapped at the phone's width) are drawn with mathtext
    off (test_charts_draw_data_text_as_written); and each phone chart draws as written
    every hostile case its wide copy draws."""
    from helpers_hostile import phone_branch_sites

    reached = set(json.loads((run.out / "phone_branches.json").read_text(encoding="utf-8")))
    sites = phone_branch_sites()
    assert len(sites) >= 10  # (the scan finds them)
    assert sites <= reached, sorted(sites - reached)
    # each phone chart draws, as written, every hostile case its wide copy draws (the
    # same chart in the same language: the same title and alt text in its PNG); counted
    # over all charts together, the wide copies alone held every case (REREAD-0420B 1)
    copies: dict[tuple[str, str], dict[bool, str]] = {}
    for c in run.charts:
        key = (c["png"]["Title"], c["png"]["Description"])
        # whatever the lines a text is wrapped into (the phone wraps at its width)
        copies.setdefault(key, {})[c["narrow"]] = "".join("".join(c["texts"]).split())
    pairs = [both for both in copies.values() if len(both) == 2]
    assert len(pairs) >= 8, len(pairs)  # (PHONE's charts, in both languages)
    compact = {case: {"".join(form.split()) for form in _forms(case)} for case in HOSTILE}
    for both in pairs:
        wide, phone = ({case for case in HOSTILE if any(f in both[narrow] for f in compact[case])}
                       for narrow in (False, True))
        assert wide and wide <= phone, sorted(wide - phone)


def _forms(case: str) -> set[str]:
    """``case`` as written and typeset (core.typography, either language)."""
    from dbanalysis.core.typography import typeset

    return {case, typeset(case, "en"), typeset(case, "vi")}


def _as_drawn(case: str, drawn: str) -> bool:
    """``case`` is in ``drawn`` as written or typeset (:func:`_forms`)."""
    return any(form in drawn for form in _forms(case))


@pytest.mark.parametrize("narrow", [False, True], ids=["wide", "narrow"])
def test_png_of_hostile_text(narrow: bool, house_style: None) -> None:
    """The pixels the hostile run does not draw (it lays out and measures every chart's
    texts, helpers_hostile.run_notebooks; the phone layout only for the charts of
    helpers_hostile.PHONE): a chart whose every kind of text (title, axis titles, tick
    labels, legend, annotations on their halos, alt text) is made of the cases, finished as
    every chart is
    (``provenance.finish``: texts typeset, and in the phone layout row labels written
    above their bars, axis and panel titles wrapped, legend and figure fitted to the
    phone's width) and drawn by ``png_bytes`` at the layout's resolution. It draws, the
    cases are drawn as written (mathtext off; or typeset, as every text a reader sees) and
    its PNG's text chunks hold them so."""
    import io

    import numpy as np
    from matplotlib.text import Text
    from PIL import Image

    from dbanalysis import plotting
    from dbanalysis.plotting.provenance import finish
    from dbanalysis.plotting.style import narrow as narrow_layout

    title = " ".join(HOSTILE)
    with narrow_layout() if narrow else contextlib.nullcontext():
        fig, axes = plotting.new_figure()
        ax = axes[0, 0]
        ax.barh(range(len(HOSTILE)), range(1, len(HOSTILE) + 1), label=HOSTILE[4])
        ax.set_yticks(range(len(HOSTILE)), HOSTILE)
        ax.set_title("\n".join(HOSTILE[:3]))
        ax.set_xlabel(HOSTILE[4])
        # every case an annotation, drawn on its halo (spacing.halo_texts: glyph outlines
        # through matplotlib's path effects, which the hostile run's draw skips); out of
        # the layout, which twenty long texts on a phone leave no room for
        notes = [ax.annotate(case, (1, i)) for i, case in enumerate(HOSTILE)]
        for note in notes:
            note.set_in_layout(False)
        # a fixed place, not "best": matplotlib times its search for the best one and
        # warns past 1 s (an error here), which twenty halo'd notes reach on a busy machine
        ax.legend(loc="lower right")
        finish(fig, title, [], "bar", HOSTILE)
        assert all(note.get_path_effects() for note in notes)
    data = plotting.png_bytes(fig)
    with Image.open(io.BytesIO(data)) as im:
        pixels = np.asarray(im.convert("L"))
    assert (pixels < 128).sum() > 1000  # drawn: bars and text, not a blank image
    # as written or typeset (curly quotes), whatever the lines it is wrapped into
    drawn = "".join("".join(t.get_text().split()) for t in fig.findobj(Text)
                    if t.get_visible())
    missing = [case for case in HOSTILE
               if not any("".join(form.split()) in drawn
                          for form in (case, typeset(case, "en"), typeset(case, "vi")))]
    assert not missing, missing
    if narrow:  # the phone layout wrote the row labels above their bars
        assert not [t for t in ax.get_yticklabels() if t.get_visible() and t.get_text()]
    assert not [t for t in fig.findobj(Text) if t.get_parse_math()]
    chunks = plotting.png_text(data)
    assert chunks["Title"] == title
    alt = chunks["Description"]  # typeset, as every text a reader sees
    assert all(any(form in alt for form in (case, typeset(case, "en"))) for case in HOSTILE), alt


def test_exported_csv_cells_cannot_run(run: Run, tmp_path: Path,
                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from dbanalysis.cli.export import export
    from dbanalysis.core.markup import CSV_FORMULA_START

    monkeypatch.setenv("DBANALYSIS_DATA", str(run.data))
    out = export(tmp_path / "export")
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    seen = 0
    for res in desc["resources"]:
        if res["format"] != "csv":
            continue
        types = {f["name"]: f["type"] for f in res["schema"]["fields"]}
        with open(out / res["path"], encoding="utf-8", newline="") as fh:
            for row in csv.DictReader(fh):
                for name, cell in row.items():
                    if types[name] == "string":
                        assert not cell.startswith(CSV_FORMULA_START), (res["path"], cell)
                        seen += cell.startswith("'=cmd|")
    assert seen  # the formula cases reached the export, neutralised


@pytest.mark.browser
def test_built_page_in_chromium_runs_nothing(browser: Any, run: Run, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """The pages of :data:`helpers_hostile.PAGES` (notebook 00: the corrections, sector
    and exclusion tables, figure and derived tables, sentences; notebook 07: a chart's
    caption, alt text and data table besides its tables and sentences) built with the
    site's chrome from the hostile data, in both languages, and the front page, in
    Chromium: no dialog, no event handler, no script, no javascript: link, no request to
    another host; the cases are on the pages as text, and in the charts' alt text."""
    from browser_helpers import WIDTHS, leave_tab, serve, visit_tab

    from dbanalysis.site.build import build_site

    monkeypatch.setenv("DBANALYSIS_DATA", str(run.data))
    site = tmp_path / "site"
    build_site(out=site, notebooks=run.out / "notebooks", log=lambda _m: None,
               execute=False, langs=("en", "vi"))
    dialogs: list[str] = []
    requests: list[str] = []
    listening = [("dialog", lambda d: (dialogs.append(d.message), d.dismiss())),
                 ("request", lambda r: requests.append(r.url))]
    page = None
    server, base = serve(site)
    try:  # (the server shut down whatever fails from here on, the tab's taking too)
        # the desktop tab the site visits load their pages in (its own context: no page
        # of another test is open in it), listened to while this test runs
        page = visit_tab(browser, WIDTHS[0])
        for event, listener in listening:
            page.on(event, listener)
        shown, alts, charts = "", "", [0, 0]  # charts drawn in English, in Vietnamese
        names = [f"{lang}{nb.removesuffix('.ipynb')}.html"
                 for nb in PAGES for lang in ("", "vi/")]
        for name in [*names, "index.html"]:
            page.goto(base + name, wait_until="load")
            page.wait_for_timeout(300)  # an onerror handler would have run by now
            found = page.evaluate("""() => ({
                handlers: Array.from(document.querySelectorAll('*')).flatMap(e =>
                    Array.from(e.attributes).filter(a => a.name.startsWith('on'))
                    .map(a => e.tagName + ' ' + a.name)),
                scripts: Array.from(document.scripts).map(s => s.src || 'inline')
                    .filter(s => s !== 'inline'),
                js: Array.from(document.links).filter(a => a.protocol === 'javascript:')
                    .map(a => a.href),
                text: document.body.textContent,
                alts: Array.from(document.querySelectorAll('figure.db-chart img'))
                    .map(i => i.alt)})""")
            assert found["handlers"] == [], f"{name}: {found['handlers']}"
            assert found["scripts"] == [], f"{name}: {found['scripts']}"
            assert found["js"] == [], f"{name}: {found['js']}"
            shown += found["text"]
            alts += "\n".join(found["alts"])
            charts[name.startswith("vi/")] += len(found["alts"])
        assert dialogs == []
        host = urllib.parse.urlsplit(base).netloc
        outside = [u for u in requests
                   if urllib.parse.urlsplit(u).scheme not in ("data", "blob", "about")
                   and urllib.parse.urlsplit(u).netloc != host]
        assert outside == []
        # as written, typeset as every text of the site is (curly quotes)
        missing = [case for case in HOSTILE
                   if not any(v in shown for v in (case, typeset(case, "en"),
                                                   typeset(case, "vi")))]
        assert not missing, f"not shown as written: {missing}"
        missing = [case for case in HOSTILE
                   if not any(v in alts for v in (case, typeset(case, "en"),
                                                  typeset(case, "vi")))]
        assert all(charts), charts
        assert not missing, f"not in the charts' alt text as written: {missing}"
    finally:
        if page is not None:
            for event, listener in listening:  # (one never added: removing it is a no-op)
                page.remove_listener(event, listener)
        server.shutdown()
        server.server_close()
        if page is not None:
            leave_tab(page)


def test_the_kept_hostile_run_is_keyed_on_its_fixture_not_all_of_conftest(tmp_path: Path) -> None:
    """The hostile run's outputs are kept under the source of the fixture that launches it
    (``conftest.hostile_run``, decorator included: :func:`helpers_kept.function_source`),
    not under conftest.py whole: an edit elsewhere in the file (a group, a hook) keeps the
    key; an edit of the fixture (its environment, its command, its scope) changes it."""
    from helpers_kept import KeptRun, function_source

    conftest = Path(__file__).with_name("conftest.py")
    text = conftest.read_text(encoding="utf-8")
    own = function_source(conftest, "hostile_run")
    assert own.startswith("@pytest.fixture") and "\ndef hostile_run(" in own and own in text
    assert 'KeptRun("hostile-run"' in own and "function_source(Path(__file__), " in own
    copy = tmp_path / "conftest.py"
    edits = {"elsewhere": ("\nCHART_GROUP = (", "\n#: (edited)\nCHART_GROUP = ("),
             "environment": ('"MPLBACKEND": "Agg"}', '"MPLBACKEND": "Agg", "X": "1"}'),
             "scope": ('@pytest.fixture(scope="session")\ndef hostile_run(',
                       '@pytest.fixture(scope="module")\ndef hostile_run(')}
    keys = {}
    for what, (old, new) in edits.items():
        assert text.count(old) == 1, what
        copy.write_text(text.replace(old, new), encoding="utf-8")
        keys[what] = KeptRun("t", [], extra=[function_source(copy, "hostile_run")]).path
    same = KeptRun("t", [], extra=[own]).path
    assert keys["elsewhere"] == same
    assert same != keys["environment"] != keys["scope"] != same
