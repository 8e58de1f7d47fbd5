"""How the tests read a built site's pages: the same reading, less CPU (issue 21 item 8).

``bench/html_readers.py SITE [--rounds N]`` (SITE: a built site, both editions, e.g. the
kept ``real-site-*`` tree) prints, for the Vietnamese edition:

* whether ``tests/test_vi_edition.read_page`` (lxml's HTML parser) reads every page as the
  BeautifulSoup reading it replaced did (html.parser; kept below as it was): the same
  (element, attribute, value) list and the same text, page by page; and whether
  ``edition_problems`` finds the same problems on a copy of the edition into which each
  kind of problem is written (a page that passes reads the same by construction);
* the CPU of each reading over the edition, ``--rounds`` alternated rounds;

that every link to a figure in the tables test_tables reads (every sector's figures, notes
and derived tables and the audit table, both languages) has the same address, text and
markup before it (``helpers_html.markup_before`` against BeautifulSoup's
``previous_siblings``; ``<br>`` is written ``<br/>`` there);

and, for both editions, the CPU of a BeautifulSoup parse with html.parser, with lxml under
BeautifulSoup (a switch of parser alone: ~-15 %), and of ``lxml.html`` (test_site_words
reads it now: ``bench/html_site_words_check.py``).
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import lxml.html
from bs4 import BeautifulSoup

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import test_vi_edition as vi  # (the tests' folder is not a package)
from helpers_html import markup_before, parse, select_page, text

from dbanalysis.core.typography import READ_ATTRIBUTES, VERBATIM_SELECTOR

#: Written into a copy of each page: one of each kind of problem (test_vi_edition.KINDS).
_INJECTED = ('<p title="agri_cattle">Tốc độ bình quân kép "16,21%" giai đoạn 2015-2020, tức '
             '-55,8%; “đồng”đạt; growth_cattle.</p>')


def bs4_read(path: Path) -> tuple[list[tuple[str, str, str]], str]:
    """The reading test_vi_edition made until session 16 (BeautifulSoup, html.parser)."""
    soup = BeautifulSoup(path.read_text("utf-8"), "html.parser")
    for el in soup.select(VERBATIM_SELECTOR):
        el.decompose()
    attributes = [(el.name, attr, value) for el in soup.find_all(True)
                  for attr in READ_ATTRIBUTES if isinstance(value := el.get(attr), str)]
    body = soup.body or soup
    for el in body.find_all(list(vi.APART)):
        el.insert_after(" ")
    return attributes, " ".join(body.get_text("").split())


def _cpu(work: Callable[[], object]) -> float:
    start = time.process_time()
    work()
    return time.process_time() - start


def _compare(folder: Path) -> None:
    pages = sorted(folder.glob("*.html"))
    same = [p.name for p in pages if bs4_read(p) == vi.read_page(p)]
    attrs = sum(len(vi.read_page(p)[0]) for p in pages)
    chars = sum(len(vi.read_page(p)[1]) for p in pages)
    print(f"vi pages read the same: {len(same)} of {len(pages)} "
          f"({attrs} attributes, {chars} characters of text)")
    for p in pages:
        if p.name not in same:
            print("  differs:", p.name)
    with tempfile.TemporaryDirectory() as tmp:
        broken = Path(tmp)
        for p in pages:
            shutil.copy(p, broken / p.name)
            html = p.read_text("utf-8")
            (broken / p.name).write_text(html.replace("</body>", _INJECTED + "</body>", 1),
                                         "utf-8")
        new = vi.edition_problems(broken)
        read, vi.read_page = vi.read_page, bs4_read  # type: ignore[assignment]
        try:
            old = vi.edition_problems(broken)
        finally:
            vi.read_page = read  # type: ignore[assignment]
        kinds = {k for k in vi.KINDS if any(f": {k}" in x for x in new)}
        print(f"injected edition: {len(new)} problems found, the same as before: {new == old};"
              f" kinds found {len(kinds)} of {len(vi.KINDS)}")


def _tables() -> None:
    import test_tables

    from dbanalysis.catalogue import vocab
    from dbanalysis.render import tables

    same = differ = links = 0
    for lang in ("en", "vi"):
        html = "".join(str(t(s, lang).html) for s in vocab.sectors().index
                       for t in (test_tables._figures_table, tables.notes, tables.derived))
        html += str(tables.audit(lang=lang).html)
        before = [(a["href"], a.get_text(),
                   "".join(str(b) for b in reversed(list(a.previous_siblings))))
                  for a in BeautifulSoup(html, "html.parser").select('a[href*="#f-"]')]
        now = [(a.get("href"), text(a), markup_before(a))
               for a in select_page(parse(html), 'a[href*="#f-"]')]
        links += len(now)
        same += sum(b == n for b, n in zip(before, now, strict=True))
        differ += sum(b[:2] != n[:2] or b[2].replace("<br/>", "<br>") != n[2]
                      for b, n in zip(before, now, strict=True))
    print(f"tables' figure links: {links}; the same {same}, the same but for <br/> "
          f"{links - same - differ}, different {differ}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    folder = args.site / "vi"
    _compare(folder)
    _tables()
    pages = sorted(folder.glob("*.html"))
    cpu: dict[str, list[float]] = {"bs4 (before)": [], "lxml.html (now)": []}
    for _ in range(args.rounds):
        cpu["bs4 (before)"].append(_cpu(lambda: [bs4_read(p) for p in pages]))
        cpu["lxml.html (now)"].append(_cpu(lambda: [vi.read_page(p) for p in pages]))
    everything = [p.read_text("utf-8")
                  for p in sorted(args.site.glob("*.html")) + sorted(folder.glob("*.html"))]
    parse: dict[str, list[float]] = {"bs4 html.parser": [], "bs4 lxml": [], "lxml.html": []}
    for _ in range(args.rounds):
        parse["bs4 html.parser"].append(
            _cpu(lambda: [BeautifulSoup(x, "html.parser") for x in everything]))
        parse["bs4 lxml"].append(_cpu(lambda: [BeautifulSoup(x, "lxml") for x in everything]))
        parse["lxml.html"].append(
            _cpu(lambda: [lxml.html.document_fromstring(x) for x in everything]))
    print(f"vi edition read, CPU s ({len(pages)} pages, {args.rounds} rounds, median):")
    _print(cpu)
    print(f"both editions parsed, CPU s ({len(everything)} pages, median):")
    _print(parse)


def _print(cpu: dict[str, list[float]]) -> None:
    for name, values in cpu.items():
        each = ", ".join(f"{v:.3f}" for v in values)
        print(f"  {name}: {statistics.median(values):.3f} ({each})")


if __name__ == "__main__":
    main()
