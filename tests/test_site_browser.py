"""Open the built site in a real headless Chromium (playwright; Debian's
chromium-headless-shell, else /usr/bin/chromium).

Asserts, on the index and every page: no request leaves 127.0.0.1, no console
error, every <img> decodes, every internal link answers HTTP 200, every same-page
fragment names an element, the self-hosted fonts load. Each page is loaded once per test
process (:func:`browser_helpers.visit_site`); the reader checks read the same visit.
"""

from __future__ import annotations

import os
import urllib.parse
from pathlib import Path

import browser_helpers
import pytest
from browser_helpers import require_chromium, visit_site
from site_helpers import BuiltSite

pytestmark = [pytest.mark.browser, pytest.mark.slow]


LOCAL_SCHEMES = ("data", "blob", "about")


def check_site(browser: object, site: Path, label: str) -> None:
    visit = visit_site(browser, site, label)
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


def chromium_command_lines() -> list[list[str]]:
    """The command lines of this process's Chromium processes (its descendants, from
    /proc; a zygote's child has set its title as one string: split at spaces)."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
            children.setdefault(int(text[text.rindex(")") + 2:].split()[1]), []).append(
                int(stat.parent.name))
        except (OSError, ValueError):
            continue  # (a process that ended meanwhile)
    found, todo = [], [os.getpid()]
    while todo:
        pid = todo.pop()
        todo += children.get(pid, [])
        try:
            argv = Path(f"/proc/{pid}/cmdline").read_bytes().decode().split("\0")
        except OSError:
            continue
        argv = [a for a in argv if a]
        argv = argv[0].split(" ") if len(argv) == 1 else argv
        if argv and Path(argv[0]).name == browser_helpers.CHROMIUM.name:
            found.append(argv)
    return found


def test_chromium_applies_every_feature_it_is_given(browser: object) -> None:
    """Chromium applies only the last ``--enable-features`` and the last
    ``--disable-features`` of its command line, where playwright's come first and those of
    :data:`browser_helpers.CHROMIUM_ARGS` after: every feature named in any of them is
    applied, as the browser process hands its features to the GPU process it starts (for
    the first page: the tab the visits share, opened if no visit ran before)."""
    browser_helpers.visit_tab(browser, browser_helpers.WIDTHS[0]).goto("about:blank")
    lines = chromium_command_lines()
    main = [argv for argv in lines if not any(a.startswith("--type=") for a in argv)]
    gpu = [argv for argv in lines if "--type=gpu-process" in argv]
    assert len(main) == 1 and gpu, lines
    for switch in ("--enable-features=", "--disable-features="):
        given = {name for a in main[0] if a.startswith(switch)
                 for name in a.removeprefix(switch).split(",") if name}
        applied = {name for a in gpu[0] if a.startswith(switch)
                   for name in a.removeprefix(switch).split(",") if name}
        assert given and given <= applied, f"{switch} not applied: {sorted(given - applied)}"


# Hostile data text (every text column of every data file) on a page in Chromium:
# tests/test_hostile_text.py::test_built_page_in_chromium_runs_nothing


@pytest.mark.parametrize("width", [1024, 1280])
def test_source_tooltips_stay_inside_the_window(browser: object, built_site: BuiltSite,
                                                width: int) -> None:
    """The 40 longest tooltips of the source page, both editions, at desktop widths:
    each shows, wraps to fit the window and leaves the page without a sideways scroll
    (QA-1450 item 1). Read in the site's visit (:data:`browser_helpers.TOOLTIPS_JS`): at
    1280 px, then with the window narrowed to 1024 px."""
    visit = visit_site(browser, built_site.out, "fixture")
    key = "tooltips" if width == 1280 else "tooltips_narrow"
    assert width in (browser_helpers.WIDTHS[0], browser_helpers.NARROW)
    for prefix in ("", "vi/"):
        where = f"{prefix}source.html at {width} px"
        seen = browser_helpers.more_read(visit.pages[f"{prefix}source.html"], key, where)
        assert seen["viewport"] == width, where
        assert len(seen["tips"]) == 40 and all(t["shown"] for t in seen["tips"]), where
        wide = [t for t in seen["tips"]
                if t["scroll"] > seen["viewport"] or t["width"] > seen["viewport"]]
        assert not wide, f"{where}: {len(wide)} tooltip(s) past the window's edge: {wide[:3]}"
