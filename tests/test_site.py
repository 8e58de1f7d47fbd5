"""dbanalysis build: the site, its offline guarantees, and failures that leave nothing behind."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import nbformat
import pytest
from bs4 import BeautifulSoup
from nbformat import v4
from site_helpers import VIET, BuiltSite, make_fixture_notebooks, write_notebook

from dbanalysis import cli
from dbanalysis._atomic import MARKER, atomic_dir
from dbanalysis.site import (
    SOURCE,
    BuildError,
    Page,
    build_site,
    export_html,
    find_notebooks,
    summarise,
)

pytestmark = pytest.mark.slow

EXTERNAL = re.compile(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", re.IGNORECASE)
CSS_URL = re.compile(r"""url\(\s*["']?(?!data:)([^"')]+)""")


def html_files(site: Path) -> list[Path]:
    return sorted(site.rglob("*.html"))


# ----------------------------------------------------------------- the built site


def test_site_has_index_pages_and_assets(built_site: BuiltSite) -> None:
    names = sorted(p.name for p in built_site.out.iterdir())
    assert names == ["01-viet.html", "02-plain.html", "assets", "index.html"]
    fonts = sorted(p.name for p in (built_site.out / "assets" / "fonts").iterdir())
    assert "DejaVuSans.ttf" in fonts and "DejaVuSansMono.ttf" in fonts
    css = (built_site.out / "assets" / "site.css").read_text(encoding="utf-8")
    for url in CSS_URL.findall(css):
        assert (built_site.out / "assets" / url).is_file(), url


def test_index_cites_source_and_lists_headlines(built_site: BuiltSite) -> None:
    index = (built_site.out / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en">' in index
    assert f'<cite lang="vi">{SOURCE["title"]}</cite>' in index
    assert "Phạm Minh Châu - Phòng VH&amp;TT huyện" in index
    assert "29/09/2020" in index
    assert re.search(r"Built \d{4}-\d{2}-\d{2}", index)
    assert index.count('class="db-card"') == 2
    assert '<a href="01-viet.html">Phong trào thi đua Điện Biên</a>' in index
    assert "số liệu ố ồ ả ữ ặ của huyện Điện Biên được kiểm tra" in index
    assert '<a href="02-plain.html">Plain notebook</a>' in index
    assert "The headline of the plain notebook." in index
    assert "Second paragraph" not in index and "Not a headline" not in index


def soup(path: Path) -> BeautifulSoup:
    return BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")


def test_pages_navigate_prev_index_next(built_site: BuiltSite) -> None:
    first = soup(built_site.out / "01-viet.html")
    second = soup(built_site.out / "02-plain.html")
    assert [a["href"] for a in first.select("nav a[rel=next]")] == ["02-plain.html"] * 2
    assert not first.select("nav a[rel=prev]")
    assert [a["href"] for a in second.select("nav a[rel=prev]")] == ["01-viet.html"] * 2
    assert not second.select("nav a[rel=next]")
    for page in (first, second):
        assert [a["href"] for a in page.select("nav a.db-index")] == ["index.html"] * 2


def test_pages_show_vietnamese_outputs_and_embedded_plot(built_site: BuiltSite) -> None:
    page = (built_site.out / "01-viet.html").read_text(encoding="utf-8")
    assert "<title>Phong trào thi đua Điện Biên</title>" in page
    assert VIET in page  # printed output
    assert "ữ ặ Điện Biên" in page  # DataFrame HTML table
    imgs = re.findall(r"<img\b[^>]*>", page)
    assert imgs and all('src="data:image/png;base64,' in img for img in imgs)


def test_kernel_is_current_python_in_notebook_folder_with_agg(built_site: BuiltSite) -> None:
    page = (built_site.out / "01-viet.html").read_text(encoding="utf-8")
    assert f"executable {sys.executable}" in page
    assert f"cwd {built_site.notebooks}" in page
    assert "MPLBACKEND Agg" in page


def test_no_request_to_another_host(built_site: BuiltSite) -> None:
    for path in html_files(built_site.out):
        html = path.read_text(encoding="utf-8")
        hits = [m.group(0) for m in EXTERNAL.finditer(html)]
        assert not hits, f"{path.name} links to another host: {hits[:3]}"
        assert "<script src" not in html
        lowered = html.lower()
        for needle in ("require.js", "mathjax", "cdnjs", "cdn.jsdelivr", "unpkg.com", "fonts.g"):
            assert needle not in lowered, f"{path.name} mentions {needle}"


def test_notebooks_are_not_modified(built_site: BuiltSite) -> None:
    after = {p.name: p.read_bytes() for p in built_site.notebooks.iterdir()}
    assert after == built_site.notebook_bytes


def test_progress_lines_per_notebook(built_site: BuiltSite) -> None:
    log = built_site.log
    for name in ("01-viet.ipynb", "02-plain.ipynb"):
        assert any(re.search(rf"start {name}$", line) for line in log), log
        assert any(re.search(rf"done  {name} \(\d+\.\d s\)$", line) for line in log), log
    # two jobs: both notebooks start before either finishes
    starts = [i for i, line in enumerate(log) if " start " in line]
    dones = [i for i, line in enumerate(log) if " done " in line]
    assert max(starts) < min(dones), log


def test_no_input_hides_code_keeps_outputs(built_site: BuiltSite) -> None:
    nb = v4.new_notebook()
    nb.cells = [
        v4.new_markdown_cell("# T\n\nheadline"),
        v4.new_code_cell(
            "secret_input_marker = 42",
            outputs=[v4.new_output("stream", name="stdout", text="visible output ố\n")],
        ),
    ]
    page = Page(path=Path("x.ipynb"), title="T", headline_md="headline", href="x.html")
    nav = {"prev": None, "next": None, "index_label": "Index", "footer": "f"}
    reader = export_html(nb, page, nav, no_input=True)
    full = export_html(nb, page, nav, no_input=False)
    assert "secret_input_marker" not in reader and "visible output ố" in reader
    assert "secret_input_marker" in full


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
    assert "no notebooks (*.ipynb)" in one_error_line(capsys)
    assert [p.name for p in tmp_path.iterdir()] == ["nb"]


def test_unreadable_notebook_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "nb").mkdir()
    (tmp_path / "nb" / "broken.ipynb").write_text("{not json", encoding="utf-8")
    rc = cli.main(["build", "--notebooks", str(tmp_path / "nb"), "--out", str(tmp_path / "s")])
    assert rc == 1
    assert "broken.ipynb: not a readable notebook" in one_error_line(capsys)
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
    write_notebook(nbs / "a.ipynb", [v4.new_code_cell("1")])
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
    nbs = make_fixture_notebooks(tmp_path / "nb")
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


def test_find_notebooks_sorted(tmp_path: Path) -> None:
    for name in ("b.ipynb", "a.ipynb", "c.txt"):
        (tmp_path / name).write_text("{}")
    assert [p.name for p in find_notebooks(tmp_path)] == ["a.ipynb", "b.ipynb"]
    with pytest.raises(BuildError, match="not a folder"):
        find_notebooks(tmp_path / "a.ipynb")


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


def test_build_site_api_rejects_empty_folder(tmp_path: Path) -> None:
    with pytest.raises(BuildError, match="no notebooks"):
        build_site(out=tmp_path / "s", notebooks=tmp_path)


# ----------------------------------------------------------------- --no-execute


def test_no_execute_exports_committed_outputs(tmp_path):
    from dbanalysis.site import build_site

    folder = tmp_path / "nb"
    folder.mkdir()
    write_notebook(folder / "01-x.ipynb", [v4.new_markdown_cell("# T\n\nheadline"),
                                           v4.new_code_cell("1/0")])
    build_site(out=tmp_path / "site", notebooks=folder, execute=False, log=lambda _m: None)
    html = (tmp_path / "site" / "01-x.html").read_text("utf-8")
    assert "ZeroDivisionError" not in html
    assert "1/0" in BeautifulSoup(html, "html.parser").get_text()
