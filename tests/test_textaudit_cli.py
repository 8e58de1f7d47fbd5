"""``dbanalysis audit-text`` and ``dbanalysis draft`` as a user runs them: the file
formats, the outputs, the error contract, the HTML page and the draft-then-check flow."""

from __future__ import annotations

import csv
import json
import runpy
import sys
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from dbanalysis.cli.main import main
from dbanalysis.textaudit import DocumentError, read_document

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


TEXT = ("Tổng đàn gia súc 61.240 con, tăng 2.318 con so với năm 2015, trong đó đàn bò "
        "38.615 con, đàn heo 19.870 con, đàn dê 3.755 con. Có 3 xã (Nà Khe, Lũng Pầu, Cốc Vài) "
        "đạt chuẩn.")
ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def report(tmp_path: Path) -> Path:
    p = tmp_path / "bao-cao.txt"
    p.write_text(TEXT, encoding="utf-8")
    return p


def test_html_page_main_text_only(tmp_path):
    page = tmp_path / "tin.html"
    page.write_text(
        "<html><head><title>Cổng thông tin</title></head><body><nav><a href='/'>Trang chủ"
        "</a> <a href='/x'>Liên hệ 0215 3826 666</a></nav><article><h1>Kết quả chăn nuôi"
        "</h1><p>" + TEXT + "</p><p>Các xã tiếp tục đẩy mạnh phong trào thi đua, phát "
        "triển chăn nuôi theo hướng hàng hóa gắn với tiêu thụ sản phẩm.</p></article>"
        "<footer>Bản quyền thuộc UBND huyện. Lượt truy cập: 1.234.567</footer></body></html>",
        encoding="utf-8")
    text = read_document(page)
    assert "61.240 con" in text and "3 xã (Nà Khe" in text
    assert "1.234.567" not in text and "Trang chủ" not in text


def test_docx_and_text_pdf(tmp_path):
    import docx
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    d = docx.Document()
    d.add_paragraph(TEXT)
    d.save(tmp_path / "bc.docx")
    assert "38.615 con" in read_document(tmp_path / "bc.docx")
    with matplotlib.rc_context({"pdf.fonttype": 42}):
        fig = plt.figure(figsize=(9, 1))
        fig.text(0.01, 0.5, "Tổng đàn gia súc 61.240 con, tăng 2.318 con so với năm 2015.")
        fig.savefig(tmp_path / "bc.pdf")
        plt.close(fig)
    assert "tăng 2.318 con" in read_document(tmp_path / "bc.pdf")


def test_unreadable_inputs_are_named_with_their_problem(tmp_path):
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(100, 100)
    with (tmp_path / "scan.pdf").open("wb") as fh:
        w.write(fh)
    (tmp_path / "latin.txt").write_bytes("Tổng số 5 xã".encode("utf-16"))
    (tmp_path / "fake.docx").write_text("not a zip", encoding="utf-8")
    for name, problem in [("scan.pdf", "no text layer"), ("latin.txt", "not UTF-8"),
                          ("fake.docx", "not a readable .docx"), ("none.txt", "no such file"),
                          ("notes.md", "unsupported file type")]:
        with pytest.raises(DocumentError, match=problem):
            read_document(tmp_path / name)


def test_exit_2_lists_every_bad_file_and_writes_nothing(tmp_path, report, capsys):
    out = tmp_path / "out"
    status = main(["audit-text", str(report), str(tmp_path / "a.txt"), str(tmp_path / "b.odt"),
                   "--format", "json", "--out", str(out)])
    err = capsys.readouterr().err
    assert status == 2 and not out.exists()
    assert "a.txt: no such file" in err and "b.odt: unsupported file type" in err
    assert "Traceback" not in err


def test_json_is_a_list_of_checks(report, capsys):
    assert main(["audit-text", str(report), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert isinstance(data, list) and data
    keys = {"file", "check", "verdict", "quotes", "spans", "expected", "observed", "tolerance",
            "explanation"}
    assert all(set(d) == keys for d in data)
    kinds = {(d["check"], d["verdict"]) for d in data}
    assert ("parts_sum", "inconsistent") in kinds and ("list_count", "consistent") in kinds
    assert ("baseline", "consistent") in kinds
    for d in data:
        for q, (a, b) in zip(d["quotes"], d["spans"], strict=True):
            assert TEXT[a:b] == q


def test_csv_and_table_and_jobs(tmp_path, report, capsys):
    second = tmp_path / "hai.txt"
    second.write_text("Có 6/13 xã đạt chuẩn (chiếm 46,2%).", encoding="utf-8")
    assert main(["audit-text", str(report), str(second), "--format", "csv", "--jobs", "2",
                 "--out", str(tmp_path / "o")]) == 0
    with (tmp_path / "o" / "audit-text.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert {r["file"] for r in rows} == {str(report), str(second)}
    assert all(r["explanation_en"] and r["explanation_vi"] for r in rows)
    assert main(["audit-text", str(second), "--lang", "vi"]) == 0
    assert "6 trên 13 xã là 46,15%" in capsys.readouterr().out


def test_html_page_escapes_the_text_and_marks_every_checked_number(tmp_path, capsys):
    p = tmp_path / "x<y>.txt"
    p.write_text("<script>alert(1)</script> Huyện gồm 27 đơn vị hành chính (24 xã, 3 thị "
                 "trấn). Có 3 xã (A & B, C, D) đạt chuẩn.", encoding="utf-8")
    assert main(["audit-text", str(p), "--format", "html", "--out", str(tmp_path / "h")]) == 0
    html = (tmp_path / "h" / "x<y>.html").read_text(encoding="utf-8")
    assert "<script>" not in html and "&lt;script&gt;" in html
    soup = BeautifulSoup(html, "html.parser")
    marks = soup.select("mark")
    assert {m.get_text().split("2")[0] for m in marks} and len(marks) >= 3
    items = soup.select("li.ta-check")
    assert len(items) == 2
    for li in items:
        assert li.select_one('p[lang="en"]').get_text() and li.select_one('p[lang="vi"]')
        target = li.select_one(".ta-quotes a")["href"].lstrip("#")
        assert soup.find(id=target) is not None
    assert not soup.select("link[href^=http], script[src]")
    assert main(["audit-text", str(p), "--format", "html"]) == 2
    assert "--out" in capsys.readouterr().err


def test_draft_then_check(tmp_path, report, capsys):
    out = tmp_path / "data"
    assert main(["draft", str(report), "--out", str(out)]) == 0
    with (out / "figures.csv").open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["quote"] for r in rows if r["unit"] == "head"][:2] == ["gia súc 61.240 con",
                                                                       "tăng 2.318 con"]
    assert all(r["label_en"] == "" and TEXT.count(r["quote"]) == 1 for r in rows)
    with pytest.MonkeyPatch.context() as mp:  # the error path in this process, as cli.main
        mp.setenv("DBANALYSIS_DATA", str(out))
        assert main(["check"]) == 2
    err = capsys.readouterr().err
    assert "empty label_en" in err and "Traceback" not in err
    for r in rows:
        r.update(sector="agriculture", label_vi=f"số {r['indicator']}",
                 label_en=f"figure {r['indicator']}")
    with (out / "figures.csv").open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    # the curated folder as `python -m dbanalysis.cli.main check` checks it, run in this
    # process: the edited files are read again (the caches are keyed on their content:
    # tests/test_cache.py) and no module reads the data folder when imported
    # (tests/test_fresh_data.py), so a fresh process would see what this one sees
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DBANALYSIS_DATA", str(out))
        mp.setattr(sys, "argv", ["dbanalysis.cli.main", "check"])
        mp.delitem(sys.modules, "dbanalysis.cli.main")  # runpy warns if already imported
        with pytest.raises(SystemExit) as exc:
            runpy.run_module("dbanalysis.cli.main", run_name="__main__")
    second = capsys.readouterr()
    assert exc.value.code == 0, second.err
    assert f"input data valid: {len(rows)} figures" in second.out
    assert main(["draft", str(report), "--out", str(out)]) == 2  # never over curated work


def test_a_folder_without_the_benchmark_words_is_refused(data_copy, tmp_path, capsys):
    """The plan and target checks find their words in the data folder's
    vocab/benchmarks.csv: a folder lacking one the finders rely on ('dự toán' here, as
    in a table curated before the word was added) is refused with the file, the row and
    the problem (exit 2, nothing on stdout), never audited with the check silently lost."""
    p = tmp_path / "r.txt"
    p.write_text("Thu ngân sách đạt 26,3 tỷ đồng, bằng 105,2% dự toán huyện giao "
                 "(dự toán 25 tỷ đồng).", encoding="utf-8")
    assert main(["audit-text", str(p), "--format", "json"]) == 0
    assert [c["check"] for c in json.loads(capsys.readouterr().out)] == ["plan"]
    table = data_copy / "vocab" / "benchmarks.csv"
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    table.write_text("".join(ln for ln in lines if not ln.startswith("dự toán,")),
                     encoding="utf-8")
    assert main(["audit-text", str(p)]) == 2
    out, err = capsys.readouterr()
    assert out == ""
    assert str(table) in err and "no row 'dự toán': the code relies on it" in err
    assert "Traceback" not in err  # the handler prints none (an exception fails the test)


def test_a_folder_with_older_schemas_is_held_to_the_codes_keys(data_copy, tmp_path, capsys):
    """A folder drafted before 'dự toán' became a row the code relies on carries an older
    copy of the schema too (no requiredKeys): the code's own schema's keys still apply,
    so audit-text refuses it rather than losing the plan check."""
    p = tmp_path / "r.txt"
    p.write_text("Thu ngân sách đạt 26,3 tỷ đồng, bằng 105,2% dự toán huyện giao "
                 "(dự toán 25 tỷ đồng).", encoding="utf-8")
    spec = data_copy / "schemas" / "input" / "vocab" / "benchmarks.json"
    older = json.loads(spec.read_text(encoding="utf-8"))
    del older["requiredKeys"]
    spec.write_text(json.dumps(older, ensure_ascii=False), encoding="utf-8")
    table = data_copy / "vocab" / "benchmarks.csv"
    table.write_text("word,benchmark\nkế hoạch,plan\nchỉ tiêu,target\nnq,target\n",
                     encoding="utf-8")  # the table of d5f8d11
    assert main(["audit-text", str(p)]) == 2
    out, err = capsys.readouterr()
    assert out == "" and str(table) in err
    for word in ("kh", "dự toán", "nghị quyết", "mục tiêu"):
        assert f"no row {word!r}: the code relies on it" in err
