"""What a reader reads, over the built site of the real notebooks, both editions.

* **No internal identifier**: no catalogue figure id, derived figure id or audit check id
  (nor a module name) in a page's visible text or in a ``title``, ``aria-label`` or
  ``alt`` attribute; ids stay where a reader does not see them (``id``, ``href``,
  ``data-*``) and in the export.
* **One value, one string**: a figure is written one way across the pages of an edition
  (prose, tables, the front page, the source page's tooltips, the audit page and the
  audit's explanations on every page): every place that shows a catalogued figure links
  it (``source.html#f-<id>``) and every place that shows a derived one marks it
  (``data-fig="<id>"``), so the test can gather them all.
* **Short sentences**: no sentence of the site's own prose (paragraphs, list items,
  captions; not the report's words) is longer than :data:`MAX_WORDS` words. Vietnamese is
  counted in syllables, the units it writes between spaces; a Vietnamese word has one to
  two of them, hence the higher bound (:data:`MAX_SYLLABLES_VI`).

Read from the built HTML with lxml's HTML parser (:mod:`helpers_html`): what these tests
read is in the markup itself (no script writes text on the site), so they need no browser.
"""

from __future__ import annotations

import copy
import re
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers_html import (
    Element,
    before,
    classes,
    elements,
    outside,
    parse_read,
    select,
    select_page,
    text,
    text_outside,
)
from lxml import etree
from site_helpers import DERIVED_PLACES

from dbanalysis.audit.run import run_audit
from dbanalysis.catalogue.figures import load_figures
from dbanalysis.core import labels
from dbanalysis.derive.lookup import derived_frame  # the package's memo, not derived anew

pytestmark = [pytest.mark.slow]

#: Longest sentence allowed in the site's own English prose, in words.
MAX_WORDS = 40
#: The same bound for Vietnamese, in syllables (about 1.5 per word).
MAX_SYLLABLES_VI = 60
#: Attributes whose text a reader sees (a tooltip, a screen reader, a broken image).
READ_ATTRIBUTES = ("title", "aria-label", "alt", "data-tip")
#: Module names that must not reach a reader either.
MODULES = ("dbanalysis.reference", "dbanalysis.derive", "dbanalysis.audit")
#: Where a number is written: digits with the edition's separators.
_NUMBER = re.compile(r"\d[\d.,]*\d|\d")


def _pages(site: Path) -> dict[str, list[Path]]:
    return {"en": sorted(site.glob("*.html")), "vi": sorted((site / "vi").glob("*.html"))}


_PARSED: dict[tuple[Path, int, int], Element] = {}


def _soup(path: Path) -> Element:
    """The page parsed, without its scripts, styles and templates; parsed once per
    version of the file (each check reads every page). Shared: a check that edits it
    edits a copy."""
    stat = path.stat()
    key = (path, stat.st_mtime_ns, stat.st_size)
    if key not in _PARSED:
        _PARSED[key] = parse_read(path.read_text("utf-8"))
    return _PARSED[key]


@pytest.fixture(autouse=True, scope="module")
def _parsed_once() -> Iterator[None]:
    """The parsed pages kept for this module's tests only."""
    yield
    _PARSED.clear()
    _SELECTED.clear()


def _ids() -> set[str]:
    return (set(load_figures()["figure_id"]) | set(derived_frame().index)
            | set(run_audit()["check_id"]))


def _id_pattern() -> re.Pattern[str]:
    names = sorted(_ids() | set(MODULES), key=len, reverse=True)
    return re.compile(r"(?<![\w.#/-])(" + "|".join(map(re.escape, names)) + r")(?![\w-])")


def id_leaks(site: Path) -> list[str]:
    """Every place an id shows: page, where (text or attribute), the id, its context."""
    pattern = _id_pattern()
    found = []
    for lang, paths in _pages(site).items():
        for path in paths:
            soup = _soup(path)
            where = f"{lang}/{path.name}"
            for el in elements(soup):
                for attr in READ_ATTRIBUTES:
                    value = el.get(attr)
                    if value is not None and (m := pattern.search(value)):
                        found.append(f"{where} [{attr}] {m.group(0)}: {value[:80]!r}")
            shown = " ".join(text(soup.body, " ").split())
            for m in pattern.finditer(shown):
                found.append(f"{where} [text] {m.group(0)}: "
                             f"…{shown[max(0, m.start() - 50):m.end() + 30]}…")
    return found


def _shown_number(text: str) -> str | None:
    m = _NUMBER.search(text)
    return m.group(0) if m else None


def strings_per_figure(site: Path, lang: str) -> dict[str, dict[str, set[str]]]:
    """Per figure id, each number string it is written as, and the pages it is written so."""
    out: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    names = set(load_figures()[f"label_{lang}"])  # a link whose text is a figure's name
    for path in _pages(site)[lang]:
        soup = _soup(path)
        for a in select_page(soup, 'a[href*="source.html#f-"]'):
            fid = str(a.get("href")).split("#f-", 1)[1]
            if text(a).strip() in names:
                continue
            number = _shown_number(text(a))
            if number:
                out[fid][number].add(path.name)
        for el in select_page(soup, "[data-fig]"):
            number = _shown_number(text(el))
            if number:
                out[str(el.get("data-fig"))][number].add(path.name)
        for mark in select_page(soup, "mark.db-fig[data-tip]"):  # the source page's tooltips
            fid = str(mark.get("id")).removeprefix("f-")
            tip = str(mark.get("data-tip")).split("\n")[0]
            # "label: value (period)": a label may hold ": ", a period the report's words
            # ("2019; report: “tính đến hết năm 2019 … tính đến nay”, i.e. to date")
            number = _shown_number(tip.rsplit(" (", 1)[0].rsplit(": ", 1)[-1])
            if number:
                out[fid][number].add(path.name)
    return out


def one_string_problems(site: Path, read: dict[str, dict[str, dict[str, set[str]]]] | None = None
                        ) -> list[str]:
    """Every figure written more than one way in an edition; ``read``: an edition's
    :func:`strings_per_figure` of ``site`` its caller already has (not gathered again)."""
    problems = []
    for lang in ("en", "vi"):
        seen = (read or {}).get(lang) or strings_per_figure(site, lang)
        for fid, strings in sorted(seen.items()):
            if len(strings) > 1:
                shown = "; ".join(f"{s} on {', '.join(sorted(p))}" for s, p in strings.items())
                problems.append(f"{lang}: {fid} is written {len(strings)} ways: {shown}")
    return problems


#: A sentence ends at . ! or ? followed by a space (not after "e.g.", "i.e.", "cf.", "etc."
#: or a single letter; a dot inside a number is not followed by a space).
_SENTENCE_END = re.compile(r"(?<!\be\.g)(?<!\bi\.e)(?<!\bcf)(?<!\betc)(?<!\b\w)[.!?]\s+")
#: Not the site's own prose: the report's words, code, the article.
_NOT_PROSE = "blockquote, q, code, pre, cite, .db-article, nav, footer, table"


#: The audit's explanations (templates of the audit, rewritten under issue 19).
AUDIT_TEXT = ".db-explain"


def _prose_texts(root: Element, skip: set[Element]) -> Iterator[str]:
    """The text of each paragraph, list item, caption and definition under ``root``
    (those that hold no paragraph or list item of their own: those are read one by
    one), the elements of ``skip`` removed."""
    for el in outside(root, skip):
        if el.tag in ("p", "li", "figcaption", "dd") and not any(
                d.tag in ("p", "li") for d in outside(el, skip)):
            yield text_outside(el, skip)


_SELECTED: dict[tuple[Path, int, int, str], set[Element]] = {}


def _selected(path: Path, selector: str) -> set[Element]:
    """Every element of the parsed page (:func:`_soup`) that ``selector`` matches, found
    once per page and selector."""
    stat = path.stat()
    key = (path, stat.st_mtime_ns, stat.st_size, selector)
    if key not in _SELECTED:
        _SELECTED[key] = set(select_page(_soup(path), selector))
    return _SELECTED[key]


def long_sentences(site: Path, audit: bool = False) -> list[str]:
    """Sentences over the bound in the pages' own prose, or (``audit``) in the audit's
    explanations only. Read as if what is not prose (:data:`_NOT_PROSE`; and outside
    ``audit``, the audit's explanations) were removed from the page."""
    found = []
    for lang, paths in _pages(site).items():
        limit = MAX_WORDS if lang == "en" else MAX_SYLLABLES_VI
        for path in paths:
            soup = _soup(path)
            skip = _selected(path, _NOT_PROSE)
            if audit:
                # each explanation left (none inside what is not prose), as a paragraph
                kept = etree.Element("div")
                for el in select_page(soup, AUDIT_TEXT):
                    if el in skip or any(up in skip for up in el.iterancestors()):
                        continue
                    el = copy.deepcopy(el)
                    for inner in select(el, _NOT_PROSE):
                        inner.drop_tree()
                    el.tag, el.tail = "p", None  # (its contents as a paragraph)
                    kept.append(el)
                texts = _prose_texts(kept, set())
            else:
                texts = _prose_texts(soup, skip | _selected(path, AUDIT_TEXT))
            for prose in texts:
                for sentence in _SENTENCE_END.split(prose):
                    words = len(sentence.split())
                    if words > limit:
                        found.append(f"{lang}/{path.name}: {words} words: {sentence[:90]}…")
    return found


def test_no_internal_identifier_reaches_a_reader(real_site) -> None:
    site, _ = real_site
    leaks = id_leaks(site)
    assert not leaks, f"{len(leaks)} id(s) a reader sees:\n" + "\n".join(leaks[:40])


def explained_figures(site: Path, lang: str) -> dict[str, set[str]]:
    """Per page, the figure ids the audit's explanations (``.db-explain``, the audit page's
    prose and the sector pages' audit sections; the audit table's explanation column)
    write, linked or marked."""
    out: dict[str, set[str]] = defaultdict(set)
    for path in _pages(site)[lang]:
        soup = _soup(path)
        cells = select_page(soup, f"{AUDIT_TEXT}, td[data-label]")
        for el in cells:
            if el.tag == "td" and el.get("data-label") != labels.text("table.explanation",
                                                                       lang):
                continue
            out[path.name] |= {str(m.get("data-fig")) for m in select(el, "[data-fig]")}
            out[path.name] |= {str(a.get("href")).split("#f-", 1)[1]
                               for a in select(el, 'a[href*="source.html#f-"]')}
    return out


def test_one_figure_is_written_one_way_per_edition(real_site) -> None:
    site, _ = real_site
    seen = strings_per_figure(site, "en")
    # the test reads what it claims to: figures of prose, tables and the source page
    assert len(seen) >= 100 and any(f.startswith("d_") for f in seen)
    # and the audit's: its page (prose and table) and its explanations on sector pages
    for lang in ("en", "vi"):
        explained = explained_figures(site, lang)
        assert {"d_culture_families_target_district", "d_trade_turnover_2015_4y",
                "d_labour_poverty_rate_2015_relative"} <= explained["12-audit.html"], lang
        # the sector pages with an audit section (health: the implied population)
        assert "d_health_population" in explained["07-health.html"], lang
    problems = one_string_problems(site, {"en": seen})
    assert not problems, "\n".join(problems)


def test_no_sentence_is_too_long(real_site) -> None:
    site, _ = real_site
    found = long_sentences(site)
    assert not found, f"{len(found)} sentence(s) too long:\n" + "\n".join(found)


def test_no_audit_explanation_is_too_long(real_site) -> None:
    site, _ = real_site
    found = long_sentences(site, audit=True)
    assert not found, f"{len(found)} sentence(s) too long:\n" + "\n".join(found)


def test_the_checks_find_what_they_look_for(tmp_path: Path) -> None:
    """Each check fails on a page that breaks it (so none of them passes by reading nothing)."""
    fid = load_figures()["figure_id"].iloc[0]
    (tmp_path / "vi").mkdir()
    (tmp_path / "a.html").write_text(
        f'<html><body><p>Rose by <a href="source.html#f-{fid}">1,787</a>.</p>'
        f'<p><a href="source.html#f-{fid}" title="{fid}">1,790</a> '
        + "word " * (MAX_WORDS + 1) + ".</p></body></html>", "utf-8")
    (tmp_path / "vi" / "a.html").write_text(
        '<html><body><p><span data-fig="d_x">19.688</span> và <span data-fig="d_x">19.700'
        "</span>; <code>growth_cattle</code>.</p></body></html>", "utf-8")
    assert any("[title]" in x for x in id_leaks(tmp_path))
    assert any("[text] growth_cattle" in x for x in id_leaks(tmp_path))
    problems = one_string_problems(tmp_path)
    assert any(f"en: {fid} is written 2 ways" in p for p in problems)
    assert any("vi: d_x is written 2 ways" in p for p in problems)
    assert [x.split(":")[0] for x in long_sentences(tmp_path)] == ["en/a.html"]
    assert long_sentences(tmp_path, audit=True) == []


#: Two opening or two closing quotation marks in a row: a quoted name that itself opens or
#: ends with a quote (“‘Số hộ nghèo’ …” is right, ““Số hộ nghèo” …” is not).
_DOUBLED_QUOTES = re.compile(r"““|””|‘‘|’’")


def doubled_quotes(site: Path) -> list[str]:
    """Doubled quotation marks in the site's own text (the source page, the report's words
    as printed, is left out)."""
    found = []
    for lang, pages in _pages(site).items():
        for page in pages:
            if page.name == "source.html":
                continue
            shown = " ".join(text(_soup(page), " ").split())  # (a match holds no space)
            found += [f"{lang}/{page.name}: …{shown[max(m.start() - 40, 0):m.end() + 20]}…"
                      for m in _DOUBLED_QUOTES.finditer(shown)]
    return found


#: An article before an article, the second perhaps a page title's own ("see the The
#: district at a glance page" on the audit page, QA-0000 R1).
_DOUBLED_ARTICLE = re.compile(r"\b(?:the|a|an)\s+(?:the|a|an)\b", re.I)


def doubled_articles(site: Path) -> list[str]:
    """"the The", "a the" … in the English edition's text (the source page, in Vietnamese,
    is left out)."""
    found = []
    for page in _pages(site)["en"]:
        if page.name == "source.html":
            continue
        shown = " ".join(text(_soup(page), " ").split())
        found += [f"en/{page.name}: …{shown[max(m.start() - 40, 0):m.end() + 30]}…"
                  for m in _DOUBLED_ARTICLE.finditer(shown)]
    return found


def test_no_article_is_doubled(real_site, tmp_path: Path) -> None:
    site, _ = real_site
    found = doubled_articles(site)
    assert not found, "\n".join(found)
    (tmp_path / "vi").mkdir()
    (tmp_path / "a.html").write_text("<p>(emulation, see the <a>The district at a glance"
                                     "</a> page)</p>", "utf-8")
    assert [x.split(":")[0] for x in doubled_articles(tmp_path)] == ["en/a.html"]


#: What a reader sees of an element besides its text: :data:`READ_ATTRIBUTES` and a
#: stacked table's column name (``data-label``, shown before each cell on a phone).
SHOWN_ATTRIBUTES = (*READ_ATTRIBUTES, "data-label")


def straight_quotes(site: Path) -> list[str]:
    """Every attribute a reader sees that holds a straight quote or apostrophe (the pages'
    text is typeset with curly ones: a tooltip and a column name are read as it is)."""
    found = []
    for lang, paths in _pages(site).items():
        for path in paths:
            for el in elements(_soup(path)):
                for attr in SHOWN_ATTRIBUTES:
                    value = el.get(attr)
                    if value is not None and re.search("['\"]", value):
                        found.append(f"{lang}/{path.name} [{attr}] {value[:80]!r}")
    return found


def test_no_straight_quote_in_what_a_reader_sees(real_site, tmp_path: Path) -> None:
    """QA-1450 items 3 and 7: "'police listen to the people'" in the source page's
    tooltips, "The report's words:" before each cell of a table on a phone."""
    site, _ = real_site
    found = straight_quotes(site)
    assert not found, f"{len(found)} straight quote(s):\n" + "\n".join(sorted(set(found))[:30])
    (tmp_path / "vi").mkdir()
    (tmp_path / "a.html").write_text('<td data-label="The report\'s words">x</td>', "utf-8")
    assert [x.split(" ")[0] for x in straight_quotes(tmp_path)] == ["en/a.html"]


def test_no_quotation_mark_is_doubled(real_site, tmp_path: Path) -> None:
    site, _ = real_site
    found = doubled_quotes(site)
    assert not found, "\n".join(found)
    (tmp_path / "vi").mkdir()
    (tmp_path / "vi" / "a.html").write_text("<p>Nội dung kiểm tra ““Số hộ nghèo”: …”</p>",
                                            "utf-8")
    assert [x.split(":")[0] for x in doubled_quotes(tmp_path)] == ["vi/a.html"]


def test_every_table_is_the_sites_own(real_site) -> None:
    """A table made from data is the site's own (``dbtable``: stacked as labelled lines at
    phone width), never pandas' plain one or a Markdown table, which a 390 px screen cuts
    off in a scroll box that shows no sign of more (the audit page's checks by sector,
    and the method page's counts by sector and exclusions, before)."""
    site, _ = real_site
    plain = [f"{page.relative_to(site)}: <table class={' '.join(classes(table))!r}> "
             f"{' | '.join(' '.join(text(th, ' ').split()) for th in table.iter('th'))[:80]}"
             for page in sorted(site.rglob("*.html"))
             for table in _soup(page).iter("table")
             if "dbtable" not in classes(table)]
    assert not plain, "\n".join(plain)


def test_every_page_title_names_the_site(real_site) -> None:
    """Every page's <title> (a tab, a bookmark, a search result) carries the site's name,
    not the page's alone ("Budget" among other tabs): the front page's is the site's
    title, the others end with the name site.page_title gives them."""
    site, _ = real_site
    missing = []
    for lang, paths in _pages(site).items():
        name = labels.text("site.page_title", lang, page="\x00").split("\x00")[1].strip(" –")
        for path in paths:
            title = next(_soup(path).iter("title"), None)
            said = text(title) if title is not None else ""
            wanted = labels.text("site.title", lang) if path.name == "index.html" else name
            if wanted.replace("-", "–") not in said.replace("-", "–"):  # as typeset
                missing.append(f"{lang}/{path.name}: {said!r}")
    assert not missing, "titles without the site's name:\n" + "\n".join(missing)


def test_long_pages_list_their_sections_under_their_heading(real_site) -> None:
    """A page of at least CONTENTS_FROM sections (<h2>) lists them, in order, right under
    its <h1>, each linked to its heading; a shorter page has no such list."""
    from dbanalysis.site.htmlexport import CONTENTS_FROM

    site, _ = real_site
    problems, listed = [], 0
    for lang, paths in _pages(site).items():
        for path in paths:
            soup = _soup(path)
            if path.name in ("index.html", "source.html"):
                continue
            heads = select_page(soup, "main h2[id]")
            toc = next(iter(select_page(soup, "main details.db-toc")), None)
            where = f"{lang}/{path.name}"
            if len(heads) < CONTENTS_FROM:
                if toc is not None:
                    problems.append(f"{where}: {len(heads)} sections, but a contents list")
                continue
            if toc is None or not before(toc, "h1") or before(toc, "h2", "p", "table", "img"):
                problems.append(f"{where}: {len(heads)} sections, no list under the <h1>")
                continue
            listed += 1
            links = [(a.get("href"), text(a)) for a in select(toc, "a[href]")]
            wanted = [("#" + h.get("id"), text(h).replace("¶", "").strip()) for h in heads]
            if links != wanted:
                problems.append(f"{where}: the list {links[:2]}… is not the sections "
                                f"{wanted[:2]}…")
    assert not problems, "\n".join(problems)
    assert listed >= 6  # the audit, method and synthesis pages of each edition at least
    # the awards page, three sections over 6,000 px on a phone (QA-1945 R6), has its list
    for prefix in ("", "vi/"):
        assert select_page(_soup(site / f"{prefix}11-awards.html"), "main details.db-toc")


def unexplained_derived_numbers(site: Path) -> list[str]:
    """Every derived number shown (an element marked ``data-fig`` with a derived id whose
    text holds a number) and every derived-number mark (``.db-derived``) whose formula is
    not one tap away: not a ``.db-derived`` mark, not focusable, an empty ``data-tip`` or
    one naming an internal id; a mark that marks no derived number, or sits in a place
    of none of :data:`site_helpers.DERIVED_PLACES` (the browser taps one of each); a
    place of DERIVED_PLACES missing from the page it names."""
    derived = set(derived_frame().index)
    pattern = _id_pattern()
    found = []
    for lang, paths in _pages(site).items():
        for path in paths:
            soup = _soup(path)
            placed = {place: select_page(soup, place) for place in DERIVED_PLACES}
            in_a_place = {el for marks in placed.values() for el in marks}
            for el in select_page(soup, "[data-fig], .db-derived"):
                fid = str(el.get("data-fig") or "")
                shown = _shown_number(text(el))
                where = f"{lang}/{path.name} {text(el)!r}"
                if "db-derived" in classes(el):
                    if fid not in derived or not shown:
                        found.append(f"{where}: a derived mark on no derived number ({fid!r})")
                        continue
                    if el not in in_a_place:
                        found.append(f"{where}: a derived mark in a new kind of place (in "
                                     f"{el.getparent().tag}): add it to DERIVED_PLACES")
                elif fid not in derived or not shown:
                    continue
                tip = str(el.get("data-tip") or "").strip()
                if "db-derived" not in classes(el) or el.get("tabindex") != "0":
                    found.append(f"{where}: not a focusable derived mark")
                elif not tip or tip != str(el.get("title") or "").strip():
                    found.append(f"{where}: no formula in data-tip (and title)")
                elif m := pattern.search(tip):
                    found.append(f"{where}: the formula names {m.group(0)}")
                elif shown not in tip.split("\n")[0].split(" = ")[0]:
                    # R4: on a phone the tip is a bar far from the number: it leads with it
                    found.append(f"{where}: the tip does not lead with the number: {tip!r}")
            found += [f"{lang}/{path.name}: no derived mark at {place!r}"
                      for place, page in DERIVED_PLACES.items()
                      if page == path.name and not placed[place]]
    return found


def test_every_derived_number_leads_to_its_formula(real_site) -> None:
    """QA-1945 R1: a derived number in a page's prose, its tables or a front-page card is
    the front page's dashed mark, focusable (a tap), its formula in words in data-tip;
    R4: the tip leads with the number ("14.8% = (…) × 100") and names the inputs. Every
    page of both editions, every mark: each in a kind of place the browser test taps
    one of (site_helpers.DERIVED_PLACES), which shows the tip on a tap and from Tab."""
    site, _ = real_site
    for lang, prefix in (("en", ""), ("vi", "vi/")):
        # the places QA-1945 found unmarked: page 04's two readings, 00's and 09's ledes
        # and the 09 card on the front page (the value per house, "over 13.69 million")
        for page, fid in (("04-labour-jobs-poverty.html", "d_labour_poverty_fall_pp_per_year"),
                          ("04-labour-jobs-poverty.html", "d_labour_poverty_fall_pp_relative"),
                          ("00-at-a-glance.html", "d_agri_fish_output_change_pct"),
                          ("09-administration-mass-organisations.html",
                           "d_mass_solidarity_house_value"),
                          ("index.html", "d_mass_solidarity_house_value"),
                          # QA-2130 S2: page 01's lede and its card ("14.8% more than in
                          # 2015", "up 19.5%", "up 81.9%": {figure:growth})
                          ("01-agriculture.html", "d_agri_cattle_change_pct"),
                          ("index.html", "d_agri_aquaculture_area_change_pct"),
                          ("index.html", "d_agri_fish_output_change_pct")):
            soup = _soup(site / f"{prefix}{page}")
            assert select_page(soup, f'.db-derived[data-fig="{fid}"][data-tip]'), (lang, page,
                                                                                    fid)
    found = unexplained_derived_numbers(site)
    assert not found, f"{len(found)} derived number(s) without their formula:\n" + \
        "\n".join(found[:40])


def test_audit_sector_links_land_on_the_pages_audit_section(real_site) -> None:
    """QA-1945 R5: the audit page's links to a sector's page (its "Shown on" column, its
    lead and each check's sector) go to that page's audit section, whose heading is
    ``sector.audit.heading``: the anchor exists on the target page, on that heading."""
    site, _ = real_site
    checked = 0
    for lang, prefix in (("en", ""), ("vi", "vi/")):
        heading = labels.text("sector.audit.heading", lang)
        soup = _soup(site / f"{prefix}12-audit.html")
        shown_on = labels.text("table.page", lang)
        cells = select_page(soup, f'td[data-label="{shown_on}"] a[href]')
        assert len(cells) >= 8, (lang, len(cells))  # a row per sector with checks
        sector_pages = {str(a.get("href")).split("#")[0] for a in cells}
        links = [a for a in select_page(soup, "main a[href]")
                 if str(a.get("href")).split("#")[0] in sector_pages]
        for a in links:
            page, _, anchor = str(a.get("href")).partition("#")
            assert anchor, f"{lang}: {text(a)!r} -> {page} lands at the page's top"
            target = next(iter(_soup(site / prefix / page).xpath("//*[@id=$id]", id=anchor)),
                          None)
            assert target is not None, f"{lang}: no #{anchor} on {page}"
            assert text(target).replace("¶", "").strip() == heading, (lang, page, anchor)
            checked += 1
    assert checked >= 2 * len(cells)
