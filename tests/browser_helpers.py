"""What the browser tests share: the system Chromium and its flags (tests/chromium_args.py), a
loopback file server, the site visits.

Kept out of conftest.py so test modules import them by name (as site_helpers).
"""

from __future__ import annotations

import dataclasses
import functools
import http.server
import json
import os
import threading
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from chromium_args import CHROMIUM as CHROMIUM  # (re-exported, as the flags)
from chromium_args import CHROMIUM_ARGS as CHROMIUM_ARGS

REPO = Path(__file__).resolve().parents[1]
#: Where every program a test starts keeps its state (below :func:`private_env`'s root).
STATE_VARS = {
    "JUPYTER_CONFIG_DIR": "jupyter/config",  # ~/.jupyter (and its `migrated` marker)
    "JUPYTER_DATA_DIR": "jupyter/data",  # ~/.local/share/jupyter
    "JUPYTER_RUNTIME_DIR": "jupyter/runtime",  # connection and server files
    "JUPYTERLAB_SETTINGS_DIR": "jupyter/lab/user-settings",
    "JUPYTERLAB_WORKSPACES_DIR": "jupyter/lab/workspaces",  # the lab's open tabs
    "IPYTHONDIR": "ipython",  # history.sqlite
    "MPLCONFIGDIR": "matplotlib",
    "XDG_CONFIG_HOME": "xdg/config",  # Chromium's profile (~/.config/chromium)
    "XDG_CACHE_HOME": "xdg/cache",  # fontconfig, Chromium's cache
    "XDG_DATA_HOME": "xdg/data",
    "XDG_STATE_HOME": "xdg/state",
    "npm_config_cache": "npm",  # ~/.npm/_logs
}
ARTIFACTS = REPO / "test-artifacts"
REAL_NOTEBOOKS = REPO / "notebooks"


def private_env(root: Path, base: dict[str, str] | None = None) -> dict[str, str]:
    """``base`` (the environment by default) with a fresh, empty ``HOME`` (``root/home``)
    and every Jupyter, IPython, matplotlib, Chromium and npm state folder in
    ``root/state``, outside that home: a program that still writes into ``~`` shows up
    as a file in an otherwise empty folder."""
    env = dict(os.environ if base is None else base)
    (root / "home").mkdir(parents=True, exist_ok=True)
    env["HOME"] = str(root / "home")
    for var, sub in STATE_VARS.items():
        (root / "state" / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(root / "state" / sub)
    return env


def home_contents(env: dict[str, str]) -> list[str]:
    """Every path under ``env["HOME"]`` (relative): what a test left in its home."""
    home = Path(env["HOME"])
    return sorted(str(p.relative_to(home)) for p in home.rglob("*"))


def require_chromium() -> None:
    """Skip without Chromium, except on CI (:func:`helpers_kept.on_ci`), where that fails."""
    from helpers_kept import on_ci

    if CHROMIUM.exists():
        return
    message = f"{CHROMIUM} not found: install it with `apt-get install -y chromium-headless-shell`"
    if on_ci():
        pytest.fail(f"browser test cannot be skipped on CI: {message}")
    pytest.skip(message)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass

    def handle(self) -> None:
        try:
            super().handle()
        except (BrokenPipeError, ConnectionResetError):
            pass  # the browser dropped a connection it no longer needed


#: How often the server's thread looks whether it is asked to stop: ``shutdown()`` waits
#: for that look (socketserver's default, 0.5 s, made each of the ~9 servers of a run wait
#: 0.25-0.5 s of the site worker's wall when the test closed it; 20 looks a second cost
#: no measurable CPU).
POLL_SECONDS = 0.05


def serve(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    """Serve ``folder`` on 127.0.0.1 (a free port) from a thread; the server and its URL."""
    handler = functools.partial(_QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, args=(POLL_SECONDS,), daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/"


def evaluate_json(page: Any, js: str, arg: Any = None) -> Any:
    """``page.evaluate(js, arg)`` (``js`` a function, maybe async), its value sent back as
    one JSON text. Playwright's own form of a returned object (every value a typed node,
    built by its script in the page, parsed by its driver, checked field by field in
    this process against its protocol) cost ~0.1 ms of CPU a node across the processes,
    ~17 times JSON's (1,000 objects of ten fields: 104 -> 6 ms; Dec 2026); the reads of
    a real site's visit return ~27,000 nodes. JSON has no NaN, Infinity or undefined: a
    number the page could not compute arrives as None, which a comparison rejects (NaN
    compared False and passed), and a field left undefined is missing (KeyError)."""
    return json.loads(page.evaluate(
        f"async arg => JSON.stringify(await ({js})(arg)) ?? 'null'", arg))


#: What the browser modules read from each page at the first width, in one round trip
#: after its fonts and images load (:data:`READY_JS`; then, at every width, its charts and
#: layout, :data:`CHARTS_JS` and :data:`LAYOUT_JS`):
#: its language, images, loaded fonts, whether it shows code, every address it refers to
#: (a ``data:`` one as ``data:`` alone: its bytes are the page's, and a chart's run to
#: ~100 kB),
#: the same-page links whose fragment names no element (the HTML spec looks a fragment up
#: as written, then percent-decoded; nbconvert writes percent-encoded heading ids), table
#: cells, alt texts, the language switch, number links, and for the Vietnamese edition
#: the visible text outside code, quotes and passages in another language.
PAGE_JS = """([visibleText, excluded]) => {
    const all = sel => Array.from(document.querySelectorAll(sel));
    const here = location.href.split('#')[0];
    const vi = document.documentElement.lang === 'vi';
    const visible = new Function('return ' + visibleText)();
    const lost = all('a[href]').filter(a => a.hash && a.href.split('#')[0] === here)
        .map(a => a.hash.slice(1))
        .filter(f => !document.getElementById(f) && !document.getElementById(decodeURIComponent(f)))
        .map(f => '#' + f);
    return {
        lang: document.documentElement.lang,
        images: Array.from(document.images).map(i => ({
            src: i.src.slice(0, 60), complete: i.complete, w: i.naturalWidth, alt: i.alt})),
        fonts: Array.from(document.fonts).filter(f => f.status === 'loaded')
            .map(f => f.family.replace(/"/g, '')),
        pre: document.querySelectorAll('pre').length > 0,
        links: [...all('a[href]').map(a => a.href), ...all('link[href]').map(l => l.href),
                ...all('[src]').map(e => e.src)].map(u => u.startsWith('data:') ? 'data:' : u),
        lost,
        headRows: all('main thead, .jp-Notebook thead').map(h => h.rows.length),
        cells: {body: all('body td, body th').map(c => c.innerText),
                chrome: all('nav td, nav th, footer td, footer th').map(c => c.innerText)},
        text: {body: vi ? visible(['body', excluded]) : '',
               chrome: vi ? visible(['nav, footer', excluded]) : ''},
        english: all("body [lang='en']:not(a.db-lang)").length,
        switches: all('nav.db-nav-top a.db-lang').map(a => [a.getAttribute('hreflang'), a.href]),
        numberLinks: all('main a[href*="source.html#f-"]').map(a => a.href),
    };
}"""

#: Run on each page before it is read (:data:`PAGE_JS`, :data:`CHARTS_JS`,
#: :data:`LAYOUT_JS`): its fonts loaded and every image decoded (one marked lazy is loaded
#: now; a broken one is reported by PAGE_JS).
READY_JS = """async () => {
    await document.fonts.ready;
    await Promise.all(Array.from(document.images).map(i => {
        i.loading = 'eager';
        return i.decode().catch(() => null);
    }));
}"""

#: The visible text of the elements under ``roots``, outside ``excluded`` ones.
VISIBLE_TEXT_JS = """([roots, excluded]) => {
    const out = [];
    for (const root of document.querySelectorAll(roots)) {
        const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
        while (walker.nextNode()) {
            const node = walker.currentNode, el = node.parentElement;
            if (!el || el.closest(excluded) || !el.checkVisibility()) continue;
            if (node.textContent.trim()) out.push(node.textContent.trim());
        }
    }
    return out.join(' ');
}"""
#: Not reader text: code, quotes, the source's own words, passages in another language.
EXCLUDED = ("code, pre, q, blockquote, script, style, cite, .db-article, "
            "[lang]:not([lang='vi']), .jp-InputArea")

#: After the fonts load: where the nav's items sit, how far the page scrolls sideways,
#: the left edges of the text of paragraphs and headings from markdown cells and from code
#: outputs.
LAYOUT_JS = """() => document.fonts.ready.then(() => ({
    nav: Array.from(document.querySelectorAll('nav.db-nav-top a, nav.db-nav-top .db-navmid'))
        .map(e => { const r = e.getBoundingClientRect(); return [r.top, r.height]; }),
    overflow: document.documentElement.scrollWidth - innerWidth,
    prose: Array.from(document.querySelectorAll(
        '.jp-MarkdownCell .jp-RenderedMarkdown > p, .jp-OutputArea-output.jp-RenderedMarkdown > p,'
        + ' .jp-MarkdownCell .jp-RenderedMarkdown > h2, .jp-OutputArea-output > h2'))
        .map(e => { const r = document.createRange(); r.selectNodeContents(e);
                    const line = r.getClientRects()[0];  // where its text starts (not its box)
                    return line ? Math.round(line.left) : null; })
        .filter(left => left !== null),
}))"""

#: Every chart of a page as the reader's browser lays it out: the image it picked
#: (``currentSrc``: the phone layout under 800 px), its box, and the computed font size
#: of the caption, source line and data summary; how far the page scrolls sideways;
#: whether the page says why it has no chart; where (from the page's top) its first
#: catalogue table, its headline findings and its source box begin (null: none).
CHARTS_JS = """() => document.fonts.ready.then(() => ({
    overflow: document.documentElement.scrollWidth - innerWidth,
    width: innerWidth,
    noChart: document.querySelectorAll('p.db-no-chart').length,
    tops: Object.fromEntries(Object.entries({table: 'main table.dbtable-figures',
        findings: 'section.db-findings', source: 'section.db-source'}).map(([k, sel]) => {
        const e = document.querySelector(sel);
        return [k, e ? e.getBoundingClientRect().top + scrollY : null];
    })),
    charts: Array.from(document.querySelectorAll('main .jp-RenderedImage img')).map(img => {
        const f = img.closest('figure.db-chart'), r = img.getBoundingClientRect(),
              box = (f || img).getBoundingClientRect();
        return {id: f ? f.id : img.alt.slice(0, 40), src: img.currentSrc,
                phone: img.currentSrc !== img.src,
                left: r.left, right: r.right, width: r.width, top: r.top + scrollY,
                figLeft: box.left, figRight: box.right,
                caption: f ? f.querySelector('figcaption').innerText : '',
                fonts: f ? Array.from(f.querySelectorAll(
                    'figcaption span, .db-chart-source, summary'))
                    .map(e => parseFloat(getComputedStyle(e).fontSize)) : []};
    }),
}))"""

#: The computed font size of every text of the page a reader can see, every <details>
#: opened (a chart's figures, the code), smallest first: [px, element, its first words];
#: the folds are closed again as they were.
TEXT_SIZES_JS = """() => document.fonts.ready.then(() => {
    const out = [];
    const shut = Array.from(document.querySelectorAll('details:not([open])'));
    shut.forEach(d => { d.open = true; });
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
        const node = walker.currentNode, el = node.parentElement;
        if (!el || !node.textContent.trim() || !el.checkVisibility()) continue;
        if (!el.getClientRects().length) continue;
        out.push([parseFloat(getComputedStyle(el).fontSize),
                  el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''),
                  node.textContent.trim().slice(0, 40)]);
    }
    shut.forEach(d => { d.open = false; });
    return out.sort((a, b) => a[0] - b[0]).slice(0, 5);
})"""

#: The widths a reader's browser is checked at: a desktop (the visit every browser
#: module reads) and a phone.
WIDTHS = (1280, 390)
#: The browser the pages are read in at each width of :data:`WIDTHS`: a desktop window,
#: and a phone (390 x 844 px, ``is_mobile``, ``has_touch``: no hover), which the phone
#: checks (a tap on a derived number, the tooltips' bar) need. The phone's other reads
#: (charts, layout, text sizes) were made before in a 390 x 900 px desktop window; this
#: context differs from it in three ways: its height, ``is_mobile`` (Chromium applies the
#: page's meta viewport, ``width=device-width``: 390 CSS px as in that window) and
#: ``has_touch`` (the site's CSS has no hover or pointer media query). Those reads were
#: compared on every page of both editions in the two contexts (ac2d0f6): identical but
#: for the window's height.
CONTEXTS: dict[int, dict[str, Any]] = {1280: {"viewport": {"width": 1280, "height": 900}},
            390: {"viewport": {"width": 390, "height": 844}, "has_touch": True,
                  "is_mobile": True}}
#: A narrower desktop window: the desktop page narrowed to it after its reads at 1280
#: px, for the checks that read a page's tables and tooltips at this width too (a
#: table's and a tooltip's layout follow the window's width when it changes; read after
#: a load at 1024 px and after a narrowing, every derived table of every page and the
#: source page's 40 longest tooltips measured the same, ac2d0f6). The narrowed page is
#: not a fresh load: on each front page (index.html) :func:`tab_through` has moved the
#: focus and scrolled the page before the narrowing (a fresh load at 1024 px had
#: neither); if a narrowed read there ever differs from a fresh one, look there first.
NARROW = 1024
#: Pages of the real site whose layout is checked and screenshotted (those that exist) at
#: each width, per edition.
SHOTS = {
    "en": ["index.html", "00-at-a-glance.html", "01-agriculture.html", "03-budget.html",
           "07-health.html", "10-new-rural-development.html",
           "12-audit.html", "source.html"],
    "vi": ["index.html", "00-at-a-glance.html", "01-agriculture.html", "12-audit.html",
           "source.html"],
}


#: Full-page screenshots of the pages of :data:`SHOTS`, for people to look at
#: (``test-artifacts/``), are taken when ``DBANALYSIS_SCREENSHOTS=1`` (``make screenshots``).
#: No test reads their pixels: what the tests assert on those pages (the nav on one line,
#: nothing scrolling sideways, prose at one left edge) is read from the page itself
#: (:data:`LAYOUT_JS`) with or without them. The 26 JPEGs cost ~8 s of CPU (Chromium's
#: raster, playwright's driver and the bytes through this process) and ~8 s of the site
#: worker's wall in every ``make test``. The lab's three (tests/test_lab.py: the editor,
#: the HTML export, a number link's source page) are taken on the same condition.
SCREENSHOTS = os.environ.get("DBANALYSIS_SCREENSHOTS") == "1"


def shot_pages(site: Path) -> list[str]:
    """The pages of :data:`SHOTS` that ``site`` has, as :func:`page_names` names them."""
    names = [f"{'vi/' if lang == 'vi' else ''}{name}" for lang, pages in SHOTS.items()
             for name in pages]
    return [name for name in names if (site / name).is_file()]


#: Each derived table's column widths (its header cells) and whether its box scrolls
#: (test_site_reader: the label and formula columns have room on a desktop).
DERIVED_COLUMNS_JS = """() => Array.from(document.querySelectorAll('table.dbtable-derived')).map(
    t => ({widths: Array.from(t.querySelectorAll('thead th')).map(
               th => th.getBoundingClientRect().width),
           scrolls: t.parentElement.scrollWidth > t.parentElement.clientWidth + 1}))"""

#: Each figure tooltip of the source page shown in turn (focus, as a keyboard reader
#: does), the longest first: the page's width while it shows (QA-1450 item 1: a long
#: tooltip ran off the right edge and the page scrolled sideways) and the tooltip's own
#: width, in one round trip (test_site_browser, on the fixture site).
TOOLTIPS_JS = """n => {
    const marks = Array.from(document.querySelectorAll('mark.db-fig[data-tip]'))
        .sort((a, b) => b.dataset.tip.length - a.dataset.tip.length).slice(0, n);
    const root = document.documentElement;
    const out = marks.map(m => {
        m.focus();
        const tip = getComputedStyle(m, '::after');
        const r = {tip: m.dataset.tip.slice(0, 50), shown: tip.content !== 'none',
                   width: parseFloat(tip.width), scroll: root.scrollWidth};
        m.blur();
        return r;
    });
    return {viewport: root.clientWidth, tips: out};
}"""
#: How many of the source page's longest tooltips :data:`TOOLTIPS_JS` shows.
LONGEST_TOOLTIPS = 40

#: Installed on every page of the visit before its own scripts (``add_init_script``):
#: each derived number that gets the focus (a tap, the Tab key) is recorded as it gets
#: it, with the text its focus shows (its ::after) and where that sits.
RECORD_FOCUS_JS = """window.__focused = [];
document.addEventListener('focusin', e => {
    const el = e.target;
    if (!el.matches || !el.matches('.db-derived')) return;
    const after = getComputedStyle(el, '::after');
    window.__focused.push({el, tip: el.dataset.tip || '', shown: after.content,
                           position: after.position});
});"""
#: The page's record: each mark focused, in order, with its index among the page's marks
#: and whether it is the first mark of the place (selector) tapped at that turn.
FOCUSED_JS = """places => {
    const marks = Array.from(document.querySelectorAll('.db-derived'));
    return {total: marks.length, focused: window.__focused.map((r, i) => ({
        tapped: i < places.length && r.el === document.querySelector(places[i]),
        index: marks.indexOf(r.el), tip: r.tip, shown: r.shown, position: r.position}))};
}"""

#: The first mark a selector finds scrolled to the middle of the screen, and the middle
#: of its first line (where a finger taps it; the focus record says what the tap reached:
#: a mark covered by something else is not focused).
AIM_JS = """place => {
    const mark = document.querySelector(place);
    if (!mark) return null;
    mark.scrollIntoView({block: 'center'});
    const line = mark.getClientRects()[0];
    return [line.left + line.width / 2, line.top + line.height / 2];
}"""

#: Every tooltip of the page (report or derived number) shown in turn as a tap shows it
#: (focus, no scroll: a fixed box; the page's fonts loaded first: on a page without code
#: the first tip was measured before the monospace font arrived): its ``::after`` box as
#: laid out on a phone, a bar across the foot of the screen. The focus moves from one to
#: the next (leaving one unfocused: a blur of its own after each cost a style pass more,
#: ~70 ms of the renderer a visit), and the last is blurred at the end: the focus ends on
#: the body, not where it was before, and the focus record (:data:`RECORD_FOCUS_JS`)
#: holds every derived number it focused.
PHONE_TIPS_JS = """async () => {
    await Promise.all(Array.from(document.fonts).map(f => f.load().catch(() => null)));
    const vh = window.innerHeight, vw = document.documentElement.clientWidth, out = [];
    for (const m of document.querySelectorAll('[data-tip]')) {
        m.focus({preventScroll: true});
        const s = getComputedStyle(m, '::after');
        const pad = s.boxSizing === 'border-box' ? 0
            : parseFloat(s.paddingTop) + parseFloat(s.paddingBottom);
        const height = parseFloat(s.height) + pad, bottom = vh - parseFloat(s.bottom);
        out.push({tip: m.dataset.tip.slice(0, 40), length: m.dataset.tip.length,
                  shown: s.content !== 'none', position: s.position, height: height,
                  top: bottom - height, bottom: bottom, left: parseFloat(s.left),
                  right: vw - parseFloat(s.right)});
    }
    if (document.activeElement) document.activeElement.blur();
    return {vh: vh, vw: vw, tips: out};
}"""

#: The reads of :func:`_more_reads` that :data:`VISIT_JS` makes in its own round trip
#: where asked (:func:`_merged_reads`): neither scrolls the page; DERIVED_COLUMNS_JS
#: moves no focus, PHONE_TIPS_JS does (it leaves the focus on the body, and its
#: focusing of each derived number in the focus record), so it is merged only where it
#: is the first of _more_reads' reads anyway (not on the pages with taps, which come
#: first and read that record): the reads after it find the page as they did. VISIT_JS's
#: own reads come before both. Each was an evaluate of its own (~3 ms of CPU a round
#: trip across the processes, 59 a visit). Name -> its script, as VISIT_JS names and
#: runs them.
MERGED_READS_JS = {"derived_columns": DERIVED_COLUMNS_JS, "phone_tips": PHONE_TIPS_JS}
MERGED_READS = tuple(MERGED_READS_JS)

#: What :func:`visit_site` reads from a page, in one round trip: :data:`READY_JS`, then
#: :data:`PAGE_JS` (at the first width only; ``{links: []}`` at the others),
#: :data:`CHARTS_JS`, :data:`LAYOUT_JS` and :data:`TEXT_SIZES_JS`, in that order, as
#: "charts", "layout" and "smallest_text" (five evaluates a page load before); then the
#: reads of :func:`_more_reads` named in its third argument that move nothing
#: (:data:`MERGED_READS`), into "more", or their error into "moreErrors".
VISIT_JS = f"""async ([pageArgs, first, more]) => {{
    await ({READY_JS})();
    const seen = first ? ({PAGE_JS})(pageArgs) : {{links: []}};
    seen.charts = await ({CHARTS_JS})();
    seen.layout = await ({LAYOUT_JS})();
    seen.smallest_text = await ({TEXT_SIZES_JS})();
    const reads = {{{", ".join(f"{key}: ({js})" for key, js in MERGED_READS_JS.items())}}};
    seen.more = {{}};
    seen.moreErrors = {{}};
    for (const key of more) {{
        try {{ seen.more[key] = await reads[key](); }}
        catch (e) {{ seen.moreErrors[key] = `${{e.name}}: ${{e.message}}`; }}
    }}
    return seen;
}}"""

#: Whether each fragment ``id`` of the source page lands on a highlighted figure in view
#: (set as the location's fragment, one after the other, as following a link to it does:
#: the fragment navigation, its scroll and ``:target`` happen before the next line runs),
#: in one round trip.
LANDING_JS = """ids => ids.map(id => {
    location.hash = id;
    const el = document.getElementById(id);
    if (!el) return null;
    const mark = el.closest('mark.db-fig');
    const r = el.getBoundingClientRect();
    return {mark: !!mark, target: el.matches(':target'),
            bg: mark ? getComputedStyle(mark).backgroundColor : '',
            inView: r.top >= 0 && r.bottom <= innerHeight};
})"""
#: A page's language switch (the link to the same page of the other edition).
SWITCH = "nav.db-nav-top a.db-lang"

#: How many presses of the Tab key take the focus to the page's last derived number: its
#: place among the page's focusable elements in document order, the order of sequential
#: focus navigation when no element has a positive tabindex (null if one has, or if the
#: page has no derived number).
TAB_STOPS_JS = """() => {
    const marks = document.querySelectorAll('.db-derived');
    const stops = Array.from(document.querySelectorAll(
        'a[href], area[href], button, input, select, textarea, summary, iframe, [tabindex]'))
        .filter(e => e.tabIndex >= 0 && e.checkVisibility());
    if (!marks.length || stops.some(e => e.tabIndex > 0)) return null;
    const at = stops.indexOf(marks[marks.length - 1]);
    return at < 0 ? null : at + 1;
}"""


def tab_through(page: Any) -> dict:
    """The Tab key pressed on ``page`` (the nav's links, then the findings' numbers and
    links) as many times as :data:`TAB_STOPS_JS` counts to the last derived number, then
    in runs of 40 until every derived number has had the focus, or 400 times in all:
    :data:`FOCUSED_JS`'s record. (Only the record says what the focus reached; the count
    spares the presses past the last number: runs of 40 alone pressed 160 times on each
    front page, 122 reach its last number.)"""
    presses = 0
    run = page.evaluate(TAB_STOPS_JS) or 40
    while True:
        for _ in range(min(run, 400 - presses)):
            page.keyboard.press("Tab")
        presses += min(run, 400 - presses)
        seen = evaluate_json(page, FOCUSED_JS, [])
        if len({f["index"] for f in seen["focused"]}) >= seen["total"] or presses >= 400:
            return seen
        run = 40


def tap_derived(page: Any, places: list[str]) -> dict:
    """A finger on the first line of the first derived number of each of ``places`` (CSS
    selectors), in turn: where each was aimed (None: no such mark, then no tap) and the
    page's focus record since it loaded (:data:`FOCUSED_JS`)."""
    aims = []
    for place in places:
        aim = page.evaluate(AIM_JS, place)
        aims.append(aim)
        if aim:
            page.touchscreen.tap(*aim)
    return {"places": places, "aims": aims,
            "focused": evaluate_json(page, FOCUSED_JS, places)["focused"]}


#: The phone pages (390 px) whose charts are read again with the window widened to 1280
#: px and narrowed back (:func:`widen_charts`), as a tablet turned to landscape or a
#: window dragged wider: test_site_reader.test_charts_keep_their_width_when_the_window_widens.
WIDEN_PAGES = ("00-at-a-glance.html", "07-health.html", "vi/01-agriculture.html")
#: The phone pages whose longest tooltip is tapped and its bar swiped
#: (:func:`swipe_longest_tip`): the longest of each edition, the awards page's
#: (test_site_reader.test_tooltips_on_a_phone_keep_most_of_the_screen_free).
SWIPE_PAGES = ("11-awards.html", "vi/11-awards.html")

#: Each chart's image as laid out: its width in CSS px, its parent's, and, given true, its
#: wide PNG (src; null otherwise: only the widened read's is read).
CHART_WIDTHS_JS = """withSrc => Array.from(document.querySelectorAll('figure.db-chart img'))
    .map(i => ({
    shown: i.getBoundingClientRect().width, room: i.parentElement.getBoundingClientRect().width,
    src: withSrc ? i.getAttribute('src') : null}))"""

#: True once every chart shows the image its <picture> chooses at the window's width
#: (the first <source> whose media matches, else the <img>'s own), loaded: a resized
#: window chooses again, and the new image arrives later.
CHART_SOURCES_READY_JS = """() => Array.from(document.querySelectorAll('figure.db-chart picture'))
    .every(p => {
        const img = p.querySelector('img');
        const src = Array.from(p.querySelectorAll('source'))
            .find(s => !s.media || matchMedia(s.media).matches);
        const want = src ? src.srcset.trim().split(/\\s+/)[0] : img.getAttribute('src');
        return img.complete && img.currentSrc === want;
    })"""


def wait_for_chart_sources(page: Any) -> None:
    """Wait (not a fixed time: a loaded machine takes longer) until each chart shows the
    image chosen for the window's width, then for two frames, so that it is laid out."""
    page.wait_for_function(CHART_SOURCES_READY_JS, timeout=20_000)
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => "
                  "requestAnimationFrame(r)))")


def widen_charts(page: Any) -> dict:
    """The charts of ``page``, loaded on the phone, as laid out (:data:`CHART_WIDTHS_JS`)
    at the phone's width ("phone"), with the window widened to 1280 px ("wide") and
    narrowed back ("back"), each read once the charts show the image chosen for that
    width. The window is left at the phone's size."""
    size = dict(page.viewport_size)
    seen = {"phone": evaluate_json(page, CHART_WIDTHS_JS, False)}
    page.set_viewport_size({**size, "width": WIDTHS[0]})
    wait_for_chart_sources(page)
    seen["wide"] = evaluate_json(page, CHART_WIDTHS_JS, True)
    page.set_viewport_size(size)
    wait_for_chart_sources(page)
    seen["back"] = evaluate_json(page, CHART_WIDTHS_JS, False)
    return seen


#: The page's longest tooltip focused (a tap), scrolled into view first.
LONGEST_TIP_JS = """() => {
    const m = Array.from(document.querySelectorAll('[data-tip]'))
        .sort((a, b) => b.dataset.tip.length - a.dataset.tip.length)[0];
    m.scrollIntoView({block: 'start'});
    const r = m.getBoundingClientRect();
    return {x: r.left + 3, y: r.top + 3};
}"""


def _swipe(cdp: Any, page: Any, x: float, y0: float, y1: float) -> None:
    """A finger drawn from (x, y0) to (x, y1) on a touch screen."""
    cdp.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": [{"x": x, "y": y0}]})
    for k in range(1, 11):
        cdp.send("Input.dispatchTouchEvent", {
            "type": "touchMove", "touchPoints": [{"x": x, "y": y0 + (y1 - y0) * k / 10}]})
        page.wait_for_timeout(16)
    cdp.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    page.wait_for_timeout(300)


def swipe_longest_tip(page: Any) -> dict:
    """On the phone (390 x 844 px): a tap on the page's longest tooltip
    (:data:`LONGEST_TIP_JS`), then a finger drawn up its bar at the foot of the screen:
    the tooltip the tap focused ("tip"), the one focused after the swipe ("tip_after"),
    the page's scroll before and after ("scroll"), and whether the bar's pixels moved
    ("bar_moved": two screenshots of it)."""
    vw, vh = page.viewport_size["width"], page.viewport_size["height"]
    aim = page.evaluate(LONGEST_TIP_JS)
    page.touchscreen.tap(aim["x"], aim["y"])
    tip = page.evaluate("document.activeElement.dataset.tip")
    bar = {"x": 0, "y": 0.62 * vh, "width": vw, "height": 0.36 * vh}
    before, y = page.screenshot(clip=bar), page.evaluate("window.scrollY")
    cdp = page.context.new_cdp_session(page)
    try:
        _swipe(cdp, page, vw / 2, vh - 24, vh - 244)
    finally:
        cdp.detach()
    return {"tip": tip, "tip_after": page.evaluate("document.activeElement.dataset.tip"),
            "scroll": [y, page.evaluate("window.scrollY")],
            "bar_moved": page.screenshot(clip=bar) != before}


def _merged_reads(label: str, name: str, at: int) -> list[str]:
    """The reads of :data:`MERGED_READS` that :func:`_more_reads` would make on page
    ``name`` of the ``label`` site at width ``at`` before any read that moves the focus
    or the page, but ``landing`` (see :func:`_more_reads`): :data:`VISIT_JS` makes them
    (a phone page's taps come before its tooltips: the focus record would hold the
    tooltips' focus). :func:`_more_reads` fails the visit where this is out of date."""
    from site_helpers import DERIVED_PLACES

    if label != "real":
        return []
    if at == WIDTHS[0]:
        return ["derived_columns"]
    bare = name.removeprefix("vi/")
    taps = any(where == bare for where in DERIVED_PLACES.values())
    return [] if taps or at != WIDTHS[1] else ["phone_tips"]


def _more_reads(page: Any, label: str, name: str, at: int, seen: dict,
                landing: list[str] | None = None, merged: Sequence[str] = ()) -> None:
    """The reads of the browser tests beyond :data:`VISIT_JS`, on the page just read
    at width ``at`` (the page's own load serves them: each was a load of its own), into
    ``seen``. Those that move the focus or the page come last. A read that fails in the
    browser (a script error, a timeout) is kept as its error, for the test that reads it
    (:func:`more_read`), and the visit goes on. Those of ``merged``
    (:func:`_merged_reads`; none on a page screenshotted) were made by :data:`VISIT_JS`
    already, before all of these: in their order here but for ``landing``, which on the
    real site's source pages at 1280 px thus comes after ``derived_columns``, not before
    it (harmless: ``landing`` scrolls and sets ``:target``, ``derived_columns`` reads
    column widths and overflow). They are skipped here; the visit fails where one comes
    here after a read other than ``landing`` or is not made here (:func:`_merged_reads`
    out of date), and where a read here has the name of a field VISIT_JS returned.

    The real site, at 1280 px: ``derived_columns`` (:data:`DERIVED_COLUMNS_JS`) on
    every page, then ``tab`` on each front page (:func:`tab_through`), then, on a page
    with derived tables, the window narrowed to :data:`NARROW` and
    ``derived_columns_narrow``. On the phone (390 px): ``taps`` (:func:`tap_derived`) on
    the pages of :data:`site_helpers.DERIVED_PLACES`, then ``phone_tips``
    (:data:`PHONE_TIPS_JS`) on every page, then ``widen`` (:func:`widen_charts`) on
    the pages of :data:`WIDEN_PAGES` and ``swipe`` (:func:`swipe_longest_tip`) on those
    of :data:`SWIPE_PAGES`. The fixture site, at 1280 px: its source
    pages' ``tooltips`` (:data:`TOOLTIPS_JS`), then the same at :data:`NARROW` px
    (``tooltips_narrow``). Both sites, on a source page at 1280 px (loaded at the first
    of ``landing``, its edition's number links), before the others (but the real
    site's ``derived_columns``, made by VISIT_JS): ``landing``, where each of them lands
    (:data:`LANDING_JS`)."""
    from playwright.sync_api import Error
    from site_helpers import DERIVED_PLACES

    made: list[str] = []  # the reads made here, in order
    skipped: list[str] = []  # those of ``merged`` reached, in order

    def read(key: str, how: Any, *args: Any) -> None:
        if key in merged:  # made by VISIT_JS (_merged_reads), before every read here
            # (landing, which only scrolls and sets :target, comes after derived_columns
            # there: column widths and overflow do not depend on either)
            moved = [k for k in made if k != "landing"]
            assert not moved, (f"{name} at {at} px: {key!r}, read by VISIT_JS, comes "
                               f"after {moved} here: _merged_reads is out of date")
            skipped.append(key)
            return
        assert key not in seen and key not in seen.get("read_errors", {}), (
            f"{name} at {at} px: {key!r} is read twice (a field of VISIT_JS's of that name)")
        made.append(key)
        try:
            seen[key] = how(*args)
        except Error as exc:
            seen.setdefault("read_errors", {})[key] = f"{type(exc).__name__}: {exc}"

    bare = name.removeprefix("vi/")
    narrow: list[tuple[str, str, int | None]] = []
    if landing is not None:  # first: the load's own scroll to its fragment is checked
        read("landing", lambda: {"url": page.url, "links": landing, "landed": evaluate_json(
            page, LANDING_JS, [urllib.parse.urlsplit(link).fragment for link in landing])})
    if label == "real" and at == WIDTHS[0]:
        read("derived_columns", evaluate_json, page, DERIVED_COLUMNS_JS)
        if bare == "index.html":
            read("tab", tab_through, page)
        if seen.get("derived_columns"):
            narrow.append(("derived_columns_narrow", DERIVED_COLUMNS_JS, None))
    elif label == "real" and at == WIDTHS[1]:
        places = [place for place, where in DERIVED_PLACES.items() if where == bare]
        if places:
            read("taps", tap_derived, page, places)
        read("phone_tips", evaluate_json, page, PHONE_TIPS_JS)
        if name in WIDEN_PAGES:
            read("widen", widen_charts, page)
        if name in SWIPE_PAGES:  # (last: the tap moves the focus, the finger the bar)
            read("swipe", swipe_longest_tip, page)
    elif label == "fixture" and at == WIDTHS[0] and bare == "source.html":
        read("tooltips", evaluate_json, page, TOOLTIPS_JS, LONGEST_TOOLTIPS)
        narrow.append(("tooltips_narrow", TOOLTIPS_JS, LONGEST_TOOLTIPS))
    if narrow:
        page.set_viewport_size({**CONTEXTS[at]["viewport"], "width": NARROW})
        for key, js, arg in narrow:
            read(key, evaluate_json, page, js, arg)
    assert skipped == list(merged), (
        f"{name} at {at} px: VISIT_JS made {list(merged)}, the reads here reach {skipped} "
        "of them: _merged_reads is out of date")


def more_read(seen: dict, key: str, where: str) -> Any:
    """What :func:`_more_reads` read as ``key`` on a page of the visit (``seen``); the
    test fails here if that read failed in the browser or was not made."""
    error = seen.get("read_errors", {}).get(key)
    assert error is None, f"{where}: the {key!r} read failed: {error}"
    assert key in seen, f"{where}: no {key!r} read"
    return seen[key]


def number_links(pages: dict[str, dict], prefix: str, base: str) -> list[str]:
    """The number links (``source.html#f-…``, as addresses below ``base``) found on the
    pages of ``pages`` read so far in the edition whose pages' names start with ``prefix``
    ("" or "vi/"), sorted."""
    found = {link[len(base):] for name, seen in pages.items()
             if (name.startswith("vi/") == (prefix == "vi/"))
             for link in seen.get("numberLinks", ())}
    return sorted(found)


#: The language switch scrolled into view (as a reader scrolls to it): its box in the
#: window and the middle of it, where a reader's pointer lands on it (null: no switch).
SWITCH_AIM_JS = """sel => {
    const sw = document.querySelector(sel);
    if (!sw) return null;
    sw.scrollIntoView({block: 'nearest'});
    const r = sw.getBoundingClientRect();
    return {box: {x: r.left, y: r.top, width: r.width, height: r.height},
            at: [r.left + r.width / 2, r.top + r.height / 2]};
}"""
#: The focus taken away (kept, to give back): whether an element other than the body had
#: it; and given back without a scroll.
SWITCH_UNFOCUS_JS = """() => {
    const el = document.activeElement;
    window.__switchFocus = el && el !== document.body ? el : null;
    if (window.__switchFocus) window.__switchFocus.blur();
    return window.__switchFocus !== null;
}"""
SWITCH_REFOCUS_JS = ("() => window.__switchFocus"
                     " && window.__switchFocus.focus({preventScroll: true})")
#: What is on top at a point, if it is not the switch (or inside it): its tag, classes
#: and first words (a tooltip is its element's ``::after``: the element is named); null
#: when the switch is on top.
SWITCH_COVER_JS = """([sel, x, y]) => {
    const sw = document.querySelector(sel), top = document.elementFromPoint(x, y);
    if (top && sw.contains(top)) return null;
    if (!top) return 'nothing';
    return top.tagName.toLowerCase() + (top.className ? '.' + top.className : '') + ' '
        + JSON.stringify(top.textContent.trim().slice(0, 40));
}"""


def follow_switch(page: Any, seen: dict) -> Any:
    """A click on the page's language switch, as a reader clicks it after the page's
    reads, in the state they left it (the focus where they left it, so a tooltip a tap,
    a click or the Tab key opened stays open: no key closes one, the site has no
    script): the pointer moved onto the middle of the switch, which must be on top there
    (else the read fails, naming what covers it), and drawn as without the focus (else
    the read fails: the focused element's tooltip, which takes no click on a desktop, is
    drawn over it), then the click. Its ``switch`` read in ``seen``: where the click went
    and the language of the page it loaded; the response of that load, or False when the
    switch was covered or the click or the load failed (the error kept as that read's)."""
    from playwright.sync_api import Error

    def failed(why: str) -> bool:
        seen.setdefault("read_errors", {})["switch"] = why
        return False

    try:
        aim = page.evaluate(SWITCH_AIM_JS, SWITCH)
        if aim is None:
            return failed("no language switch")
        # the pointer arrives as a reader's does: hover leaves what the reads hovered
        page.mouse.move(*aim["at"])
        cover = page.evaluate(SWITCH_COVER_JS, [SWITCH, *aim["at"]])
        if cover is not None:
            return failed(f"the language switch is covered by {cover}")
        # drawn over without taking the click: the switch's pixels with the focus where
        # the reads left it, and without it (then given back, as it was)
        shown = page.screenshot(clip=aim["box"])
        if page.evaluate(SWITCH_UNFOCUS_JS):
            bare = page.screenshot(clip=aim["box"])
            page.evaluate(SWITCH_REFOCUS_JS)
            if bare != shown:
                return failed("the language switch is drawn over while the focused "
                              "element shows (its tooltip?)")
        with page.expect_navigation(wait_until="load") as nav:
            page.locator(SWITCH).click()
        seen["switch"] = {"url": page.url,
                          "lang": page.evaluate("document.documentElement.lang")}
        return nav.value
    except Error as exc:
        return failed(f"{type(exc).__name__}: {exc}")


@dataclasses.dataclass
class SiteVisit:
    """Every page of a built site (both editions), as shown at one width."""

    base: str  # the address the site was served at (the server is closed)
    pages: dict[str, dict]  # "index.html", "vi/01-x.html" -> what PAGE_JS read (at the
    # first width only: at the others "status" alone), its "charts" (CHARTS_JS), "layout"
    # (LAYOUT_JS) and "smallest_text" (TEXT_SIZES_JS), and the reads of _more_reads
    status: dict[str, int]  # HTTP status of every address the pages refer to (no fragment;
    # read at the first width only)
    requests: list[str]  # every request the pages made, from the browser's own log (at
    # every width: one log)
    errors: list[str]  # console errors, page errors, failed requests (one log)
    shots: dict[str, Path]  # page -> its screenshot (pages of SHOTS of the real site, with
    # DBANALYSIS_SCREENSHOTS=1)


_VISITS: dict[tuple[str, int], SiteVisit] = {}
#: The tab the visits at each width load their pages in (:func:`visit_tab`).
_TABS: dict[int, Any] = {}


def visit_tab(browser: Any, at: int) -> Any:
    """The tab of ``browser`` that loads pages at width ``at``: opened (in a context of
    its own, :data:`CONTEXTS`, with :data:`RECORD_FOCUS_JS`) by the first visit at that
    width, then kept for the next ones, as a reader's browser keeps its window: the
    fixture site's visit, the real site's and the hostile pages share the 1280 px one.
    A context and its renderer process cost ~0.15 s of CPU to open and close (Chromium,
    the driver, this process). Each visit listens on the tab only while it runs, sets
    its width, and leaves the tab on about:blank when it ends (:func:`leave_tab`): no
    page of the last site (its hover, focus, timers, requests to its closed server) is
    left to send events while the next visit starts. The pointer, which the tab keeps
    across pages, is taken out of the window for the next visit, as in a new tab: left
    on the last visit's language switch, it hovered the next site's first page's (its
    screenshot differed there, real-en-1280-index.jpg: about:blank does not reset the
    pointer, the move is still needed). Shared still, as in a reader's window: the HTTP cache
    and the history (each site is served at a port of its own)."""
    tab = _TABS.get(at)
    if tab is None or tab.is_closed() or tab.context.browser is not browser:
        context = browser.new_context(**CONTEXTS.get(at, {"viewport": {"width": at,
                                                                      "height": 900}}))
        context.add_init_script(RECORD_FOCUS_JS)
        tab = _TABS[at] = context.new_page()
    else:
        tab.mouse.move(-1, -1)
    viewport = CONTEXTS.get(at, {"viewport": {"width": at, "height": 900}})["viewport"]
    if tab.viewport_size != viewport:  # (narrowed by the last visit's last reads)
        tab.set_viewport_size(viewport)
    return tab


def leave_tab(tab: Any) -> None:
    """A tab of :func:`visit_tab` left empty (about:blank, ~1 ms) at the end of a visit (after
    its caller removed its listeners and closed its site's server): the next visit starts
    on no page of this one."""
    tab.goto("about:blank")


def page_names(site: Path) -> list[str]:
    """The front page first, then the English pages, then the Vietnamese ones."""
    return ["index.html", *sorted(p.name for p in site.glob("*.html") if p.name != "index.html"),
            *sorted(f"vi/{p.name}" for p in site.glob("vi/*.html"))]


def visit_site(browser: Any, site: Path, label: str, width: int = WIDTHS[0]) -> SiteVisit:
    """Every page of ``site`` as ``browser`` shows it at ``width`` px, read once per test
    process (the browser modules read the same visit) at every width of :data:`WIDTHS`, each
    in the tab of its width (:func:`visit_tab`, :data:`CONTEXTS`): each page is loaded at
    each width (not loaded once and narrowed: the chart images a narrowed window switches to
    arrive after the read may, see the loop), read (:data:`VISIT_JS`), then read by the
    other checks that the same load serves (:func:`_more_reads`). At 1280 px the English
    front page's language switch is clicked (:func:`follow_switch`): that click is the
    visit's load of the Vietnamese front page, whose switch is then clicked back (one load
    more); a source page is loaded at the first of its edition's number links found on the
    pages before it, as a reader follows one. The fixture site, which no test reads at
    another width, is read at ``width`` only. With :data:`SCREENSHOTS`, the real site's
    pages of :data:`SHOTS` are screenshotted on the way, as
    ``ARTIFACTS/real-<lang>-<width>-<page>.jpg`` (``label``: "real" or "fixture")."""
    key = (str(site), width)
    if key in _VISITS:
        return _VISITS[key]
    widths = WIDTHS if label == "real" else (width,)
    server, base = serve(site)
    host = urllib.parse.urlsplit(base).netloc
    requests: list[str] = []
    errors: list[str] = []
    pages: dict[int, dict[str, dict]] = {w: {} for w in widths}
    status: dict[str, int] = {}
    shots: dict[int, dict[str, Path]] = {w: {} for w in widths}
    wanted = set(shot_pages(site)) if label == "real" and SCREENSHOTS else set()
    listening: list[tuple[Any, str, Any]] = []
    tabs: dict[int, Any] = {}
    try:
        for at in widths:
            tab = tabs[at] = visit_tab(browser, at)
            # the browser's own log of requests (routing every request through this
            # process would cost a round trip each)
            listening += [
                (tab, "request", lambda req: requests.append(req.url)),
                (tab, "console", lambda m: m.type == "error" and errors.append(
                    f"console: {m.text}")),
                (tab, "pageerror", lambda exc: errors.append(f"pageerror: {exc}")),
                (tab, "requestfailed", lambda req: errors.append(
                    f"failed request: {req.url} {req.failure}"))]
        for tab, event, listener in listening:
            tab.on(event, listener)
        names = page_names(site)

        def read(at: int, name: str, resp: Any) -> None:
            """The reads of page ``name``, just loaded at width ``at`` (``resp``: its
            response)."""
            page = tabs[at]
            # what the pages say is read at the first width (the other widths are read
            # for their charts and layout only)
            more = [] if name in wanted else _merged_reads(label, name, at)
            seen = evaluate_json(page, VISIT_JS,
                                 [[VISIBLE_TEXT_JS, EXCLUDED], at == WIDTHS[0], more])
            merged = seen.pop("more")
            twice = merged.keys() & seen.keys()
            assert not twice, f"{name} at {at} px: read twice (VISIT_JS's fields): {twice}"
            seen.update(merged)
            if errors_ := seen.pop("moreErrors"):
                seen.setdefault("read_errors", {}).update(errors_)
            seen["status"] = resp.status if resp is not None else None
            pages[at][name] = seen
            if name in wanted:
                # JPEG: for people to look at, and encoded twice as fast as PNG
                lang, stem = ("vi", name[3:]) if name.startswith("vi/") else ("en", name)
                ARTIFACTS.mkdir(exist_ok=True)
                shot = ARTIFACTS / f"{label}-{lang}-{at}-{Path(stem).stem}.jpg"
                page.screenshot(path=str(shot), full_page=True, type="jpeg", quality=85)
                shots[at][name] = shot
            landing = None
            if at == WIDTHS[0] and name.removeprefix("vi/") == "source.html":
                landing = number_links(pages[at], name.removesuffix("source.html"), base)
            _more_reads(page, label, name, at, seen, landing, more)

        def unnarrowed(at: int) -> Any:
            page = tabs[at]
            if page.viewport_size["width"] != at:  # (narrowed by the last page's reads)
                page.set_viewport_size(CONTEXTS.get(at, {"viewport": {
                    "width": at, "height": 900}})["viewport"])
            return page

        for name in names:
            for at in widths:
                if name in pages[at]:  # (the Vietnamese front page, reached by its switch)
                    continue
                # loaded at each width, as a phone loads it: a window narrowed after the
                # load switches its chart images asynchronously, and a read right after
                # the narrowing once saw the wide image (06, Figure 6.1 at 390 px)
                page = unnarrowed(at)
                url = base + name
                if at == WIDTHS[0] and name.removeprefix("vi/") == "source.html":
                    # followed as a reader does: the first of its edition's number links
                    # (found on the pages read before it)
                    first = number_links(pages[at], name.removesuffix("source.html"), base)
                    url = base + (first[0] if first else name)
                read(at, name, page.goto(url, wait_until="load"))
                if at == WIDTHS[0] and name == "index.html" and "vi/index.html" in names:
                    # the language switch clicked, there and back: the click on the English
                    # front page's is the visit's load of the Vietnamese one
                    resp = follow_switch(unnarrowed(at), pages[at]["index.html"])
                    if resp is False:  # (the click failed: recorded; the page loaded anew)
                        resp = page.goto(base + "vi/index.html", wait_until="load")
                    read(at, "vi/index.html", resp)
                    follow_switch(unnarrowed(at), pages[at]["vi/index.html"])
        for name in names:
            for link in pages[widths[0]][name]["links"]:
                parts = urllib.parse.urlsplit(link)
                target = urllib.parse.urlunsplit(parts._replace(fragment=""))
                if parts.netloc == host and target not in status and widths[0] == WIDTHS[0]:
                    status[target] = http_status(target)
        for at in widths:  # (in the order of page_names)
            pages[at] = {name: pages[at][name] for name in names}
    finally:
        for tab, event, listener in listening:
            tab.remove_listener(event, listener)
        server.shutdown()
        server.server_close()
        for tab in tabs.values():
            leave_tab(tab)
    for at in widths:
        _VISITS[(str(site), at)] = SiteVisit(base, pages[at], status, requests, errors, shots[at])
    return _VISITS[key]


def http_status(url: str) -> int:
    """The HTTP status of ``url`` (a loopback address)."""
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:  # loopback only
            return resp.status
    except urllib.error.HTTPError as exc:
        return exc.code
