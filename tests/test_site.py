"""dbanalysis build: the site, its offline guarantees, and failures that leave nothing behind."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from kernel_zygote import build_kernels_forked
from nbformat import v4
from site_helpers import ALT, LEDE, VIET, BuiltSite, write_notebook

from dbanalysis.catalogue.source import citation
from dbanalysis.cli import main as cli
from dbanalysis.core import labels
from dbanalysis.core.atomic import MARKER, atomic_dir
from dbanalysis.core.typography import typeset
from dbanalysis.site.build import BuildError, build_site, find_notebooks
from dbanalysis.site.htmlexport import LAB_CSS, export_page
from dbanalysis.site.pages import Page, chrome, summarise
from dbanalysis.views.text import plain

pytestmark = pytest.mark.slow

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*["']?(?!data:)([^"')]+)""")


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# ----------------------------------------------------------------- the built site


def test_site_has_index_pages_and_assets(built_site: BuiltSite) -> None:
    pages = ["01-viet.html", "02-plain.html", "03-bilingual.html", "index.html", "source.html"]
    names = sorted(p.name for p in built_site.out.iterdir())
    assert names == sorted([*pages, MARKER, "assets", "vi"])
    assert sorted(p.name for p in (built_site.out / "vi").iterdir()) == pages
    fonts = sorted(p.name for p in (built_site.out / "assets" / "fonts").iterdir())
    assert "DejaVuSans.ttf" in fonts and "DejaVuSansMono.ttf" in fonts
    css = (built_site.out / "assets" / "site.css").read_text(encoding="utf-8")
    for url in CSS_URL.findall(css):
        assert (built_site.out / "assets" / url).is_file(), url
    vi_index = soup(built_site.out / "vi" / "index.html")
    assert vi_index.select_one('link[rel=stylesheet]')["href"] == "../assets/site.css"


def test_index_cites_source_and_lists_cards(built_site: BuiltSite) -> None:
    index = (built_site.out / "index.html").read_text(encoding="utf-8")
    c = citation()
    assert '<html lang="en">' in index
    assert c.title in index and "Phạm Minh Châu (Phòng VH&amp;TT huyện) (2020)" in index
    assert c.date_text in index
    assert re.search(r"Built \d{4}-\d{2}-\d{2}", index)
    page = soup(built_site.out / "index.html")
    cards = page.select(".db-card")
    assert [a["href"] for a in page.select(".db-card h3 a")] == [
        "01-viet.html", "02-plain.html", "03-bilingual.html"]
    assert [a.get_text() for a in page.select(".db-card h3 a")] == [
        "Phong trào thi đua Điện Biên", "Plain notebook", "Bilingual page"]
    # a page without a lede cell: its first paragraph; with one: the lede cell's output
    assert "số liệu ố ồ ả ữ ặ của huyện Điện Biên được kiểm tra" in cards[0].get_text()
    assert "The headline of the plain notebook." in cards[1].get_text()
    assert "Second paragraph" not in index and "Not a headline" not in index
    lede = cards[2].select_one(".db-lede")
    assert lede.get_text().strip() == plain(LEDE["en"], "en")
    assert lede.select_one('a[href="source.html#f-agri_cattle"]')  # the number links its quote
    assert "not the lede" not in index


def test_vietnamese_edition_front_page(built_site: BuiltSite) -> None:
    page = soup(built_site.out / "vi" / "index.html")
    assert page.html["lang"] == "vi"
    assert page.h1.get_text() == labels.text("site.title", "vi")
    cards = page.select(".db-card")
    assert cards[2].select_one("h3").get_text() == "Trang song ngữ"
    lede = cards[2].select_one(".db-lede")
    assert lede.get_text().strip() == plain(LEDE["vi"], "vi")
    assert lede.select_one('a[href="source.html#f-agri_cattle"]')  # the number links its quote
    headings = [h.get_text() for h in page.select("main h2")]
    assert headings == [labels.text(k, "vi") for k in
                        ("index.findings", "index.source", "index.audit", "index.pages")]


def test_front_page_trust_badges_say_what_they_mean(built_site: BuiltSite) -> None:
    """Each finding's trust badge is followed, in visible text, by what it means in plain
    words, from data/vocab/statuses.csv, in the edition's language."""
    from dbanalysis.catalogue import vocab

    table = vocab.statuses()
    for lang, path in (("en", "index.html"), ("vi", "vi/index.html")):
        trusts = soup(built_site.out / path).select(".db-trust")
        assert trusts
        for p in trusts:
            badge = p.select_one(".db-badge")
            status = next(c.removeprefix("db-badge-") for c in badge["class"]
                          if c.startswith("db-badge-"))
            assert badge.get_text() == table.loc[status, f"label_{lang}"]
            help_ = p.select_one(".db-trust-help").get_text()
            assert help_ == typeset(table.loc[status, f"description_{lang}"], lang)
    # plain words: no file, module or column name in any of them
    for text in table[["description_en", "description_vi"]].to_numpy().ravel():
        assert not re.search(r"\w+\.(csv|py|json)\b|\w+_\w+", text), text


def test_every_page_switches_to_the_same_page_in_the_other_edition(built_site: BuiltSite) -> None:
    for name in ("index.html", "source.html", "01-viet.html", "03-bilingual.html"):
        en = soup(built_site.out / name)
        vi = soup(built_site.out / "vi" / name)
        assert en.html["lang"] == "en" and vi.html["lang"] == "vi"
        to_vi = en.select("nav a.db-lang")
        to_en = vi.select("nav a.db-lang")
        assert {(a["href"], a["hreflang"]) for a in to_vi} == {(f"vi/{name}", "vi")}
        assert {(a["href"], a["hreflang"]) for a in to_en} == {(f"../{name}", "en")}
        assert to_vi[0].get_text() == "Tiếng Việt" and to_en[0].get_text() == "English"
        assert en.select_one('link[rel=alternate][hreflang=vi]')["href"] == f"vi/{name}"


def test_source_page_marks_image_file_names_as_placeholders(built_site: BuiltSite) -> None:
    """A line of the stored page that is only a photo's file name (" • T-YN-1.jpg") is shown
    as a grey placeholder in the edition's words, never as a paragraph of the report."""
    from dbanalysis.catalogue.source import report_text
    from dbanalysis.site.sourcepage import IMAGE_LINE

    names = [m.group(1) for line in report_text().split("\n") if (m := IMAGE_LINE.match(line))]
    assert "T-YN-1.jpg" in names and "-H-B-XX.jpg" in names
    for lang, page in (("en", built_site.out / "source.html"),
                       ("vi", built_site.out / "vi" / "source.html")):
        html = soup(page)
        shown = [p.get_text() for p in html.select("p.db-image")]
        assert shown == [labels.text("source.image", lang, name=n) for n in names], lang
        assert shown[0] == ("[Image not in the stored copy; file name in the article: T-YN-1.jpg]"
                            if lang == "en" else
                            "[Ảnh không có trong bản lưu; tên tệp in trong bài: T-YN-1.jpg]")
        other = [p.get_text() for p in html.select("p:not(.db-image)")]
        assert not [t for t in other if any(n in t for n in names)], lang
    css = (built_site.out / "assets" / "site.css").read_text(encoding="utf-8")
    assert re.search(r"\.db-image\s*\{[^}]*color:\s*#666", css)


def test_bilingual_page_keeps_one_language_per_edition(built_site: BuiltSite) -> None:
    en = soup(built_site.out / "03-bilingual.html")
    vi = soup(built_site.out / "vi" / "03-bilingual.html")
    assert "English first paragraph" in en.get_text() and "Đoạn đầu" not in en.get_text()
    assert "Đoạn đầu tiếng Việt" in vi.get_text() and "English first" not in vi.get_text()
    assert [img["alt"] for img in en.select("img")] == [ALT["en"]]
    assert [img["alt"] for img in vi.select("img")] == [ALT["vi"]]
    assert en.select_one("img")["data-figure-ids"] == "agri_cattle"
    assert plain(LEDE["vi"], "vi") in vi.get_text()  # 42.998 in Vietnamese notation
    assert en.select_one("footer").get_text(" ", strip=True).startswith("Built ")
    assert vi.select_one("footer").get_text(" ", strip=True).startswith("Tạo ngày ")


def test_images_never_get_nbconvert_placeholder_alt(built_site: BuiltSite) -> None:
    for path in html_files(built_site.out):
        assert "No description has been provided" not in path.read_text(encoding="utf-8")


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_pages_navigate_prev_index_next(built_site: BuiltSite) -> None:
    first = soup(built_site.out / "01-viet.html")
    second = soup(built_site.out / "02-plain.html")
    assert [a["href"] for a in first.select("nav a[rel=next]")] == ["02-plain.html"] * 2
    assert not first.select("nav a[rel=prev]")
    assert [a["href"] for a in second.select("nav a[rel=prev]")] == ["01-viet.html"] * 2
    assert [a["href"] for a in second.select("nav a[rel=next]")] == ["03-bilingual.html"] * 2
    for page in (first, second):
        assert [a["href"] for a in page.select("nav a.db-index")] == ["index.html"] * 2
        assert [a["href"] for a in page.select("nav a.db-source-link")] == ["source.html"] * 2


def test_pages_show_vietnamese_outputs_and_embedded_plot(built_site: BuiltSite) -> None:
    page = (built_site.out / "01-viet.html").read_text(encoding="utf-8")
    # the page's title, with the site's name (site.page_title)
    assert "<title>Phong trào thi đua Điện Biên – " in page
    assert VIET in page  # printed output
    assert "ữ ặ Điện Biên" in page  # DataFrame HTML table
    imgs = re.findall(r"<img\b[^>]*>", page)
    assert imgs and all('src="data:image/png;base64,' in img for img in imgs)


def test_kernel_is_current_python_in_notebook_folder_with_agg(built_site: BuiltSite) -> None:
    page = (built_site.out / "01-viet.html").read_text(encoding="utf-8")
    # whole lines (a kernel run by .venv/bin/python3 printed "executable .../python3")
    assert f"<pre>executable {sys.executable}\ncwd {built_site.notebooks}\nMPLBACKEND Agg\n</pre>" \
        in page


def test_no_request_to_another_host(built_site: BuiltSite) -> None:
    for path in html_files(built_site.out):
        html = path.read_text(encoding="utf-8")
        hits = [m.group(0) for m in EXTERNAL.finditer(html)]
        assert not hits, f"{path.name} links to another host: {hits[:3]}"
        assert "<script src" not in html
        lowered = html.lower()
        for needle in ("require.js", "mathjax", "cdnjs", "cdn.jsdelivr", "unpkg.com", "fonts.g"):
            assert needle not in lowered, f"{path.name} mentions {needle}"


def test_pages_link_the_lab_css_the_build_wrote_once(built_site: BuiltSite) -> None:
    """The lab template's CSS (~260 KB: JupyterLab's stylesheet and light theme, nbconvert's
    own rules, pygments' code styles) is one file of the site's assets, written by the
    build, that every notebook page of both editions links by a relative address, in the
    place of the inline styles it replaces (before the site's stylesheet: the same
    cascade); no page carries a ``<style>`` (inline, a phone downloaded it again with
    every page and Chromium parsed it at every load). Every stylesheet a page links exists."""
    css = (built_site.out / "assets" / LAB_CSS).read_text(encoding="utf-8")
    for rule in (".jp-Notebook", "--jp-layout-color0: white", ".highlight .k {",
                 "a.anchor-link {"):  # index.css, theme-light.css, pygments, nbconvert's
        assert rule in css, rule
    notebook_pages = 0
    for path in html_files(built_site.out):
        page = soup(path)
        assert not page.select("style"), f"{path.name}: CSS inline"
        hrefs = [link["href"] for link in page.select("link[rel=stylesheet]")]
        for href in hrefs:
            assert (path.parent / href).is_file(), f"{path.name} links {href}: no such file"
        if path.name not in ("index.html", "source.html"):
            root = "../" if path.parent.name == "vi" else ""
            assert hrefs == [f"{root}assets/{LAB_CSS}", f"{root}assets/site.css"], path
            notebook_pages += 1
    assert notebook_pages == 6  # 3 notebooks x 2 editions


def test_notebooks_are_not_modified(built_site: BuiltSite) -> None:
    after = {p.name: p.read_bytes() for p in built_site.notebooks.iterdir()}
    assert after == built_site.notebook_bytes


def test_progress_lines_per_notebook(built_site: BuiltSite) -> None:
    log = built_site.log
    for name in ("01-viet.ipynb", "02-plain.ipynb"):
        assert any(re.search(rf"start {name}$", line) for line in log), log
        assert any(re.search(rf"done  {name} \(\d+\.\d s\)$", line) for line in log), log
    # two jobs: the first two notebooks start before either finishes
    starts = [i for i, line in enumerate(log) if " start " in line]
    dones = [i for i, line in enumerate(log) if " done " in line]
    assert sorted(starts)[1] < min(dones), log


def test_reader_edition_hides_code_with_input_folds_it(built_site: BuiltSite) -> None:
    nb = v4.new_notebook()
    nb.cells = [
        v4.new_markdown_cell("# T\n\nheadline"),
        v4.new_code_cell(
            "secret_input_marker = 42",
            outputs=[v4.new_output("stream", name="stdout", text="visible output ố\n")],
        ),
    ]
    pages = [Page(path=Path("x.ipynb"), titles={"en": "T", "vi": "T"})]
    frame = chrome("vi", ("en", "vi"), "x.html", pages, 0, ["f"])
    reader = export_page(nb, "T", frame)
    full = BeautifulSoup(export_page(nb, "T", frame, with_input=True), "html.parser")
    assert "secret_input_marker" not in reader and "visible output ố" in reader
    folded = full.select("details.db-code")
    assert len(folded) == 1 and "secret_input_marker" in folded[0].get_text()
    assert folded[0].summary.get_text() == labels.text("site.code.summary", "vi")
    assert '<html lang="vi">' in reader


# ----------------------------------------------------------------- headlines


def test_summarise_title_and_headline_variants() -> None:
    nb = v4.new_notebook()
    nb.cells = [v4.new_code_cell("x = 1"), v4.new_markdown_cell("# Tiêu đề\n> quoted **finding**")]
    assert summarise(nb, "f") == ("Tiêu đề", "> quoted **finding**")
    nb.cells = [v4.new_markdown_cell("intro"), v4.new_markdown_cell("# Title")]
    assert summarise(nb, "f") == ("Title", "")
    nb.cells = [v4.new_markdown_cell("no heading")]
    assert summarise(nb, "fallback") == ("fallback", "")


# ----------------------------------------------------------------- CLI and bad input


@pytest.mark.parametrize("argv", [[], ["build"], ["export"], ["check"]])
def test_help_on_every_command(argv: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main([*argv, "--help"])
    assert exc.value.code == 0
    assert "usage: dbanalysis" in capsys.readouterr().out


def test_build_rejects_zero_jobs(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        cli.main(["build", "--jobs", "0"])
    assert exc.value.code == 2
    assert "must be at least 1" in capsys.readouterr().err


def one_error_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("dbanalysis build: error:")]
    assert len(lines) == 1, err
    return lines[0]


def test_missing_notebook_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    rc = cli.main(["build", "--notebooks", str(tmp_path / "nope"), "--out", str(tmp_path / "s")])
    assert rc == 1
    assert "notebook folder not found" in one_error_line(capsys)
    assert sorted(tmp_path.iterdir()) == []


def test_empty_notebook_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "nb").mkdir()
    rc = cli.main(["build", "--notebooks", str(tmp_path / "nb"), "--out", str(tmp_path / "s")])
    assert rc == 1
    assert "no notebooks (NN-<topic>.ipynb)" in one_error_line(capsys)
    assert [p.name for p in tmp_path.iterdir()] == ["nb"]


def test_unreadable_notebook_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "01-broken.ipynb").write_text("{not json", encoding="utf-8")
    rc = cli.main(["build", "--notebooks", str(tmp_path / "nb"), "--out", str(tmp_path / "s")])
    assert rc == 1
    assert "01-broken.ipynb: not a readable notebook" in one_error_line(capsys)
    assert not (tmp_path / "s").exists()


@pytest.mark.parametrize(
    "where",
    ["parent_is_file", "out_is_file", "proc"],
)
def test_unwritable_output_fails_even_for_root(
    where: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nbs = tmp_path / "nb"
    nbs.mkdir()
    write_notebook(nbs / "01-a.ipynb", [v4.new_code_cell("1")])
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    out = {
        "parent_is_file": blocker / "site",
        "out_is_file": blocker,
        "proc": Path("/proc/dbanalysis-site-test/site"),
    }[where]
    rc = cli.main(["build", "--notebooks", str(nbs), "--out", str(out)])
    assert rc == 2
    line = one_error_line(capsys)
    assert str(out) in line or str(out.parent) in line
    assert blocker.read_text() == "not a folder"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "nb"]


def test_failing_notebook_keeps_previous_site(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    nbs = tmp_path / "nb"
    nbs.mkdir()
    # pages before and after the failing one, run two at a time; plain Python, as what the
    # fixture pages import (matplotlib, pandas, the package) is not what this is about
    for name in ("01-a", "02-b", "04-after"):
        write_notebook(nbs / f"{name}.ipynb", [v4.new_markdown_cell(f"# {name}"),
                                               v4.new_code_cell("y = 2")])
    write_notebook(
        nbs / "03-bad.ipynb",
        [
            v4.new_markdown_cell("# Bad"),
            v4.new_code_cell("x = 1"),
            v4.new_code_cell("# divide by zero on purpose\nx / 0"),
            v4.new_code_cell("never = 'reached'"),
        ],
    )
    out = tmp_path / "site"
    with atomic_dir(out) as previous:  # a site an earlier build wrote
        (previous / "index.html").write_text("previous site", encoding="utf-8")
    with build_kernels_forked():  # (the kernels: tests/kernel_zygote.py)
        rc = cli.main(["build", "--notebooks", str(nbs), "--out", str(out), "--jobs", "2"])
    assert rc == 1
    line = one_error_line(capsys)
    assert "03-bad.ipynb: cell 2 ('# divide by zero on purpose')" in line
    assert "ZeroDivisionError: division by zero" in line
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "index.html"]
    assert (out / "index.html").read_text(encoding="utf-8") == "previous site"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["nb", "site"]  # no temp dir left
    bad = nbformat.read(nbs / "03-bad.ipynb", as_version=4)
    assert all(not c.get("outputs") for c in bad.cells if c.cell_type == "code")


def test_find_notebooks_takes_the_numbered_ones_sorted(tmp_path: Path) -> None:
    names = ("02-b.ipynb", "01-a.ipynb", "03-c.txt", "Untitled.ipynb", "Untitled1.ipynb",
             "scratch.ipynb", "1-short.ipynb", "01-a-checkpoint.ipynb.bak")
    for name in names:
        (tmp_path / name).write_text("{}")
    assert [p.name for p in find_notebooks(tmp_path)] == ["01-a.ipynb", "02-b.ipynb"]
    with pytest.raises(BuildError, match="not a folder"):
        find_notebooks(tmp_path / "01-a.ipynb")
    (tmp_path / "01-a.ipynb").unlink()
    (tmp_path / "02-b.ipynb").unlink()
    with pytest.raises(BuildError, match=r"no notebooks \(NN-<topic>.ipynb\)"):
        find_notebooks(tmp_path)  # Untitled.ipynb and scratch.ipynb are not the report


def test_atomic_dir_failure_leaves_target_and_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "out"
    with atomic_dir(target) as tmp:
        (tmp / "keep").write_text("old")
    with pytest.raises(RuntimeError), atomic_dir(target) as tmp:
        (tmp / "new").write_text("new")
        raise RuntimeError("boom")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert sorted(p.name for p in target.iterdir()) == [MARKER, "keep"]
    with atomic_dir(target) as tmp:
        (tmp / "new").write_text("new")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]
    assert sorted(p.name for p in target.iterdir()) == [MARKER, "new"]


def test_an_anchor_goes_to_the_first_element_with_its_text_unless_an_id_has_it() -> None:
    """``add_anchors``: an id already on the page (after a word boundary, as ``\\b`` reads
    it: ``data-id`` counts, ``xid`` does not) is left alone; otherwise the first element
    whose whole text is the anchor's text gets it."""
    from dbanalysis.site.htmlexport import add_anchors

    row = '<td>a</td><td><b>check one</b></td><td><b>check one</b></td>'
    assert add_anchors(row, {"c1": "check one"}) == row.replace("<b>", '<b id="c1">', 1)
    for taken in ('<p id="c1">', '<p data-id="c1">', 'id="c1"'):
        assert add_anchors(taken + row, {"c1": "check one"}) == taken + row
    for other in ('<p xid="c1">', '<p id_id="c1">', '<p id="c10">', '<p éid="c1">'):
        assert 'b id="c1"' in add_anchors(other + row, {"c1": "check one"})
    assert add_anchors(row, {"c2": "check two"}) == row


def test_build_site_api_rejects_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="no notebooks"):
        build_site(out=tmp_path / "s", notebooks=tmp_path)


# ----------------------------------------------------------------- --no-execute


def test_no_execute_exports_committed_outputs(tmp_path):
    from dbanalysis.site.build import build_site

    folder = tmp_path / "nb"
    folder.mkdir()
    write_notebook(folder / "01-x.ipynb", [v4.new_markdown_cell("# T\n\nheadline"),
                                           v4.new_code_cell("1/0")])
    build_site(out=tmp_path / "site", notebooks=folder, execute=False, log=lambda _m: None,
               with_input=True)
    html = (tmp_path / "site" / "01-x.html").read_text("utf-8")
    assert "ZeroDivisionError" not in html
    assert "1/0" in BeautifulSoup(html, "html.parser").get_text()


def test_png_size_reads_a_charts_css_size_from_its_header() -> None:
    """A chart's stated size: a PNG drawn by matplotlib, at 1x and at 2x (the phone
    source's density, halves kept: 663 px → 331.5); nothing for what is not a PNG."""
    import base64
    import io

    from matplotlib.figure import Figure

    from dbanalysis.site.htmlexport import png_size

    buf = io.BytesIO()
    Figure(figsize=(6.63, 2.0)).savefig(buf, format="png", dpi=100)
    data = base64.b64encode(buf.getvalue()).decode()
    assert png_size(data) == ' width="663" height="200"'
    assert png_size(data, 2) == ' width="331.5" height="100"'
    assert png_size(base64.b64encode(b"GIF89a" + bytes(40)).decode()) == ""
    assert png_size("not base64 at all!") == ""
