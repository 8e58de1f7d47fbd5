"""test_site_words read with lxml (session 16) against BeautifulSoup (before): the same?

``bench/html_site_words_check.py SITE [--before COMMIT] [--rounds N]`` (SITE: a built site,
both editions, e.g. the kept ``real-site-*`` tree) imports tests/test_site_words.py as it
is now and as it was at ``--before`` (BeautifulSoup, html.parser), and compares what each
of its checks reads, page by page, on every page of both editions. On the real site the
checks find nothing, so each is also run with its bound or pattern made to catch
everything it reads (every word, every quotation mark, every sentence, every derived
mark out of half of its places), and the two lists of findings are compared whole. It
then prints the CPU of all the checks over the site, before and now (``--rounds``
alternated rounds, each from unparsed pages).
"""

from __future__ import annotations

import argparse
import importlib.util
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import test_site_words as now  # (the tests' folder is not a package)

ROOT = Path(__file__).resolve().parents[1]

#: Patterns that catch everything a check reads (the real ones catch nothing there).
_EVERY_WORD = re.compile(r"\w+")
_EVERY_QUOTE = re.compile(r"[“”‘’]")
_EVERY_ARTICLE = re.compile(r"\b(?:the|a|an)\b", re.I)


def _module(commit: str, tmp: Path) -> ModuleType:
    source = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:tests/test_site_words.py"],
                            check=True, capture_output=True, text=True).stdout
    path = tmp / "test_site_words_before.py"
    path.write_text(source, "utf-8")
    spec = importlib.util.spec_from_file_location("test_site_words_before", path)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _plain(value: Any) -> Any:
    """Nested defaultdicts made dicts (to compare)."""
    return {k: _plain(v) for k, v in value.items()} if isinstance(value, dict) else value


def _patched(module: ModuleType, **names: Any) -> Callable[[Callable[[], Any]], Any]:
    def run(work: Callable[[], Any]) -> Any:
        kept = {name: getattr(module, name) for name in names}
        for name, value in names.items():
            setattr(module, name, value)
        try:
            return work()
        finally:
            for name, value in kept.items():
                setattr(module, name, value)
    return run


def _readings(m: ModuleType, site: Path) -> dict[str, Any]:
    """What each check of module ``m`` reads of ``site``, as lists of findings."""
    half = dict(list(m.DERIVED_PLACES.items())[::2])
    every_word = _patched(m, _id_pattern=lambda: _EVERY_WORD)
    out = {
        "id_leaks (every word of text and read attributes)": every_word(lambda: m.id_leaks(site)),
        "strings_per_figure en": _plain(m.strings_per_figure(site, "en")),
        "strings_per_figure vi": _plain(m.strings_per_figure(site, "vi")),
        "explained_figures en": _plain(m.explained_figures(site, "en")),
        "explained_figures vi": _plain(m.explained_figures(site, "vi")),
        "long_sentences (every sentence)": _patched(m, MAX_WORDS=0, MAX_SYLLABLES_VI=0)(
            lambda: m.long_sentences(site)),
        "long_sentences, audit (every sentence)": _patched(m, MAX_WORDS=0, MAX_SYLLABLES_VI=0)(
            lambda: m.long_sentences(site, audit=True)),
        # (its text: each page's, whitespace runs made one space, below; before, its
        # findings quoted the text unnormalised: the same marks, other spaces around)
        "doubled_quotes (every quotation mark), pages": [
            x.split(":")[0] for x in _patched(m, _DOUBLED_QUOTES=_EVERY_QUOTE)(
                lambda: m.doubled_quotes(site))],
        "each page's text (all of it), whitespace runs made one space": [
            " ".join(_text(m, m._soup(page)).split())
            for pages in m._pages(site).values() for page in pages],
        "doubled_articles (every article)": _patched(m, _DOUBLED_ARTICLE=_EVERY_ARTICLE)(
            lambda: m.doubled_articles(site)),
        "straight_quotes": m.straight_quotes(site),
        "unexplained_derived_numbers": m.unexplained_derived_numbers(site),
        "unexplained (half the places; every tip names an id)": _patched(
            m, DERIVED_PLACES=half, _id_pattern=lambda: _EVERY_WORD)(
            lambda: m.unexplained_derived_numbers(site)),
        "unexplained (half the places)": _patched(m, DERIVED_PLACES=half)(
            lambda: m.unexplained_derived_numbers(site)),
    }
    return out


def _structure_before(m: ModuleType, site: Path) -> dict[str, Any]:
    """What the tests that call no function of their own read (tables, titles, contents
    lists, audit links) and the attributes straight_quotes reads, with BeautifulSoup."""
    pages = [p for ps in m._pages(site).values() for p in ps]
    toc = []
    for p in pages:
        soup = m._soup(p)
        t = soup.select_one("main details.db-toc")
        toc.append((p.name, [(h["id"], h.get_text()) for h in soup.select("main h2[id]")],
                    None if t is None else (t.find_previous("h1") is not None,
                                            t.find_previous(["h2", "p", "table", "img"])
                                            is not None,
                                            [(a["href"], a.get_text())
                                             for a in t.select("a[href]")])))
    return {
        "shown attributes (straight_quotes)": [
            (el.name, a, el.get(a)) for p in pages for el in m._soup(p).find_all(True)
            for a in m.SHOWN_ATTRIBUTES if isinstance(el.get(a), str)],
        "tables: class and headers": [
            (" ".join(t.get("class") or []),
             [th.get_text(" ", strip=True) for th in t.find_all("th")])
            for p in sorted(site.rglob("*.html")) for t in m._soup(p).find_all("table")],
        "titles": [m._soup(p).title.get_text() for p in pages],
        "contents lists (sections, under the h1, links)": toc,
        "audit page links, their targets' text": [
            (a["href"], m._soup(site / prefix / a["href"].split("#")[0]).find(
                id=a["href"].partition("#")[2]).get_text())
            for prefix in ("", "vi/")
            for a in m._soup(site / f"{prefix}12-audit.html").select("main a[href]")
            if a["href"].startswith("0") and "#" in a["href"]],
    }


def _structure_now(m: ModuleType, site: Path) -> dict[str, Any]:
    """:func:`_structure_before` as the tests read it now."""
    pages = [p for ps in m._pages(site).values() for p in ps]
    toc = []
    for p in pages:
        page = m._soup(p)
        t = next(iter(m.select_page(page, "main details.db-toc")), None)
        toc.append((p.name, [(h.get("id"), m.text(h))
                             for h in m.select_page(page, "main h2[id]")],
                    None if t is None else (m.before(t, "h1"),
                                            m.before(t, "h2", "p", "table", "img"),
                                            [(a.get("href"), m.text(a))
                                             for a in m.select(t, "a[href]")])))
    return {
        "shown attributes (straight_quotes)": [
            (el.tag, a, el.get(a)) for p in pages for el in m.elements(m._soup(p))
            for a in m.SHOWN_ATTRIBUTES if el.get(a) is not None],
        "tables: class and headers": [
            (" ".join(m.classes(t)), [" ".join(m.text(th, " ").split()) for th in t.iter("th")])
            for p in sorted(site.rglob("*.html")) for t in m._soup(p).iter("table")],
        "titles": [m.text(next(m._soup(p).iter("title"))) for p in pages],
        "contents lists (sections, under the h1, links)": toc,
        "audit page links, their targets' text": [
            (a.get("href"), m.text(m._soup(site / prefix / a.get("href").split("#")[0]).xpath(
                "//*[@id=$id]", id=a.get("href").partition("#")[2])[0]))
            for prefix in ("", "vi/")
            for a in m.select_page(m._soup(site / f"{prefix}12-audit.html"), "main a[href]")
            if a.get("href").startswith("0") and "#" in a.get("href")],
    }


def _text(m: ModuleType, page: Any) -> str:
    """``get_text(" ")`` of a page as module ``m`` parsed it."""
    return str(m.text(page, " ")) if hasattr(m, "text") else str(page.get_text(" "))


def _tests(m: ModuleType, site: Path) -> None:
    """Every check of the module that reads the site, as the tests call them."""
    for name in ("test_no_internal_identifier_reaches_a_reader",
                 "test_one_figure_is_written_one_way_per_edition",
                 "test_no_sentence_is_too_long", "test_no_audit_explanation_is_too_long",
                 "test_every_table_is_the_sites_own", "test_every_page_title_names_the_site",
                 "test_long_pages_list_their_sections_under_their_heading",
                 "test_every_derived_number_leads_to_its_formula",
                 "test_audit_sector_links_land_on_the_pages_audit_section"):
        getattr(m, name)((site, None))
    m.doubled_quotes(site)
    m.doubled_articles(site)
    m.straight_quotes(site)


def _cpu(m: ModuleType, site: Path) -> float:
    m._PARSED.clear()
    m._SELECTED.clear()
    start = time.process_time()
    _tests(m, site)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--before", default="c598d17")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        before = _module(args.before, Path(tmp))
        old = _readings(before, args.site) | _structure_before(before, args.site)
        new = _readings(now, args.site) | _structure_now(now, args.site)
        for name in old:
            size = len(old[name])
            print(f"{'same' if old[name] == new[name] else 'DIFFERENT'}: {name} ({size} items)")
            if old[name] != new[name] and isinstance(old[name], list):
                for a, b in zip(old[name], new[name], strict=False):
                    if a != b:
                        print(f"  before: {a!r}\n  now:    {b!r}")
                        break
        cpu: dict[str, list[float]] = {"before": [], "now": []}
        for _ in range(args.rounds):
            cpu["before"].append(_cpu(before, args.site))
            cpu["now"].append(_cpu(now, args.site))
        print(f"every check over the site, CPU s ({args.rounds} rounds, median):")
        for name, values in cpu.items():
            each = ", ".join(f"{v:.3f}" for v in values)
            print(f"  {name}: {statistics.median(values):.3f} ({each})")


if __name__ == "__main__":
    main()
