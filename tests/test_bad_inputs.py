"""One error contract for every input file.

Each bad file makes ``dbanalysis check`` exit 2 with a message that names the file,
the true line (blank lines and multi-line quoted fields counted as an editor counts
them), the row's id where there is one and the problem, with no traceback. A UTF-8
BOM, CRLF line ends and blank lines are accepted.
"""

from __future__ import annotations

import codecs
import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest
from kernel_zygote import command

from dbanalysis.catalogue import formula, source
from dbanalysis.catalogue.corrections import load_corrections
from dbanalysis.catalogue.figures import CatalogError, load_figures
from dbanalysis.cli import main as cli
from dbanalysis.core import paths

REPO = Path(__file__).resolve().parents[1]
DBANALYSIS = Path(sys.executable).with_name("dbanalysis")

#: Every CSV input: path under data/, a free-text column, id column, whether rows are required.
CSV_FILES = {
    "figures": ("figures.csv", "note", "figure_id", True),
    "exclusions": ("coverage_exclusions.csv", "reason", None, False),
    "corrections": ("corrections.csv", "reason", "figure_id", False),
    "units": ("vocab/units.csv", "description", "unit", True),
    "sectors": ("vocab/sectors.csv", "label_en", "sector", True),
    "kinds": ("vocab/kinds.csv", "description", "kind", True),
    "award_levels": ("vocab/award_levels.csv", "issuer", "figure_id", True),
    "unit_refinements": ("vocab/unit_refinements.csv", "reason", "unit", False),
    "labels": ("vocab/labels.csv", "used_in", "key", True),
}


#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


@pytest.fixture
def data(data_copy: Path) -> Path:
    """The shared copy of data/ (the package's caches are keyed on the files' content: a
    damaged file is read again, the others come from the cache)."""
    return data_copy


def read_rows(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))


def write_rows(path: Path, rows: list[list[str]], newline: str = "\n") -> None:
    buf = io.StringIO()
    csv.writer(buf, lineterminator=newline).writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8", newline="")


def check(capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    rc = cli.main(["check"])
    return rc, capsys.readouterr().err


def assert_reported(rc: int, err: str, path: Path, *parts: str) -> None:
    assert rc == 2, err
    assert "Traceback" not in err
    assert str(path) in err, err
    for part in parts:
        assert part in err, f"{part!r} not in {err}"


# ----------------------------------------------------------------- every CSV file, every case


@pytest.mark.parametrize("name", CSV_FILES)
def test_wrong_column_count_names_line_and_id(name, data, capsys):
    rel, _text, id_col, _ = CSV_FILES[name]
    path = data / rel
    rows = read_rows(path)
    rows[2].append("one field too many")  # the second data row, line 3 of the file
    rid = rows[2][rows[0].index(id_col)] if id_col else ""
    write_rows(path, rows)
    rc, err = check(capsys)
    expected = len(rows[0])
    assert_reported(rc, err, path, f"line 3 ({rid or '?'}): {expected + 1} field(s), "
                                   f"expected {expected}")


@pytest.mark.parametrize("name", CSV_FILES)
@pytest.mark.parametrize("encoding", ["cp1258", "latin-1"])
def test_wrong_encoding_names_the_line_of_the_first_bad_byte(name, encoding, data, capsys):
    path = data / CSV_FILES[name][0]
    text = path.read_text(encoding="utf-8")
    if text.isascii():  # pragma: no cover - every file has Vietnamese or a degree sign
        text = text.replace("\n", " é\n", 2)
    data_bytes = text.encode(encoding, errors="replace")
    path.write_bytes(data_bytes)
    first = next(i for i, line in enumerate(data_bytes.split(b"\n"), 1) if not line.isascii())
    rc, err = check(capsys)
    assert_reported(rc, err, path, f"line {first} (?): not UTF-8", "save the file as UTF-8")


@pytest.mark.parametrize("name", CSV_FILES)
def test_utf16_is_named(name, data, capsys):
    path = data / CSV_FILES[name][0]
    path.write_bytes(path.read_text(encoding="utf-8").encode("utf-16"))
    rc, err = check(capsys)
    assert_reported(rc, err, path, "line 1 (?): the file is UTF-16; save it as UTF-8")


@pytest.mark.parametrize("name", CSV_FILES)
def test_empty_file(name, data, capsys):
    path = data / CSV_FILES[name][0]
    path.write_bytes(b"")
    rc, err = check(capsys)
    assert_reported(rc, err, path, "line 1 (?): the file is empty; expected a header line")


@pytest.mark.parametrize("name", [n for n, spec in CSV_FILES.items() if spec[3]])
def test_header_only_where_rows_are_required(name, data, capsys):
    path = data / CSV_FILES[name][0]
    write_rows(path, read_rows(path)[:1])
    rc, err = check(capsys)
    assert_reported(rc, err, path, "line 1 (?): only a header line: the file has no rows")


def test_header_only_corrections_means_no_corrections(data):
    path = data / "corrections.csv"
    write_rows(path, read_rows(path)[:1])
    assert load_corrections().empty


@pytest.mark.parametrize("name", CSV_FILES)
def test_blank_lines_are_skipped_and_counted(name, data, capsys):
    path = data / CSV_FILES[name][0]
    rows = read_rows(path)
    rows[2].append("extra")  # second data row: line 3, line 6 after three blank lines
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    lines = buf.getvalue().split("\n")
    lines[2:2] = ["", "   ", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    rc, err = check(capsys)
    assert_reported(rc, err, path, "line 6 (")
    assert err.count(" field(s), expected") == 1


@pytest.mark.parametrize("name", CSV_FILES)
def test_multi_line_field_keeps_true_line_numbers(name, data, capsys):
    rel, text_col, _, _ = CSV_FILES[name]
    path = data / rel
    rows = read_rows(path)
    col = rows[0].index(text_col)
    rows[1][col] = f"{rows[1][col]}\nsecond line\nthird line"  # row 1 spans lines 2-4
    rows[2].append("extra")  # row 2 starts on line 5
    write_rows(path, rows)
    rc, err = check(capsys)
    assert_reported(rc, err, path, "line 5 (")


def test_bom_and_crlf_are_accepted(data):
    """Every CSV input written with a UTF-8 BOM and CRLF line ends, all at once: one
    validation reads each of them (a file refused would be named in the error)."""
    for spec in CSV_FILES.values():
        path = data / spec[0]
        rows = read_rows(path)
        buf = io.StringIO()
        csv.writer(buf, lineterminator="\r\n").writerows(rows)
        path.write_bytes(codecs.BOM_UTF8 + buf.getvalue().encode("utf-8"))
        assert path.read_bytes().startswith(codecs.BOM_UTF8) and b"\r\n" in path.read_bytes()
    from dbanalysis.cli.check import validate_inputs

    validate_inputs()  # no error


def test_crlf_rows_keep_their_line_numbers(data, capsys):
    path = data / "figures.csv"
    rows = read_rows(path)
    rows[40][8] = "vibe"
    write_rows(path, rows, newline="\r\n")
    rc, err = check(capsys)
    assert_reported(rc, err, path, f"line 41 ({rows[40][0]}): unknown kind 'vibe'")


def test_broken_quoting_names_the_line(data, capsys):
    path = data / "figures.csv"
    lines = path.read_text(encoding="utf-8").split("\n")
    lines[5] = lines[5].replace(",", ',"x"y,', 1)  # a character after a closing quote
    path.write_text("\n".join(lines), encoding="utf-8")
    rc, err = check(capsys)
    assert_reported(rc, err, path, "line 6 (?): broken CSV quoting")


def test_missing_and_unknown_columns(data, capsys):
    path = data / "vocab/units.csv"
    rows = read_rows(path)
    rows[0][3] = "dimensoin"
    write_rows(path, rows)
    rc, err = check(capsys)
    assert_reported(rc, err, path, "line 1 (?): missing column(s) ['dimension']",
                    "unknown column(s) ['dimensoin']")


def test_all_problems_at_once(data, capsys):
    path = data / "figures.csv"
    rows = read_rows(path)
    rows[3].append("extra")       # line 4: field count
    rows[10][6] = "١"             # line 11: Arabic-Indic one in pick
    rows[20][10] = "furlong"      # line 21: unknown unit
    rows[30][3] = ""              # line 31: empty label_vi
    write_rows(path, rows)
    rc, err = check(capsys)
    assert_reported(rc, err, path, "4 problem(s)", f"line 4 ({rows[3][0]}): 13 field(s)",
                    f"line 11 ({rows[10][0]}): pick '١' is not a whole number",
                    f"line 21 ({rows[20][0]}): unknown unit 'furlong'",
                    f"line 31 ({rows[30][0]}): empty label_vi")


@pytest.mark.parametrize("pick", ["١", "²", "１", "0", "-1", "1.0", " 1"])
def test_pick_accepts_ascii_digits_only(pick, data):
    path = data / "figures.csv"
    rows = read_rows(path)
    rows[1][6] = pick
    rows[2][10] = "furlong"  # another bad row is still reported
    write_rows(path, rows)
    with pytest.raises(CatalogError) as err:
        load_figures(path)
    assert len(err.value.problems) == 2
    assert (f"pick {pick!r} is not a whole number (ASCII digits)" in str(err.value)
            or f"pick {int(pick)} is less than 1" in str(err.value))


# ----------------------------------------------------------------- curated unit and qualifier


def figure_row(rows: list[list[str]], fid: str) -> list[str]:
    return next(r for r in rows if r[0] == fid)


def test_unit_must_agree_with_the_quotes_unit_word(data, capsys):
    path = data / "figures.csv"
    rows = read_rows(path)
    row = figure_row(rows, "agri_sown_area")  # "... 26.142,56 ha"
    row[10] = "tonne"
    write_rows(path, rows)
    rc, err = check(capsys)
    line = rows.index(row) + 1
    assert_reported(rc, err, path, f"line {line} (agri_sown_area): unit 'tonne' but the "
                                   "quote's unit word reads 'ha'")


def test_qualifier_the_quote_does_not_carry(data, capsys):
    path = data / "figures.csv"
    rows = read_rows(path)
    row = figure_row(rows, "agri_sown_area")
    row[9] = "over"
    write_rows(path, rows)
    rc, err = check(capsys)
    assert_reported(rc, err, path, "(agri_sown_area): qualifier 'over' but the quote carries "
                                   "no word for it")


def test_qualifier_the_quote_states_must_be_curated(data, capsys):
    path = data / "figures.csv"
    rows = read_rows(path)
    row = figure_row(rows, "emul_training_attendances")  # "cho trên 500 lượt cán bộ"
    row[9] = ""
    write_rows(path, rows)
    rc, err = check(capsys)
    assert_reported(rc, err, path, "(emul_training_attendances): qualifier '(none)' but the "
                                   "quote says 'over' before the number")


def test_unit_refinements_must_name_known_units(data, capsys):
    path = data / "vocab/unit_refinements.csv"
    rows = read_rows(path)
    rows[1][1] = "furlong"
    write_rows(path, rows)
    rc, err = check(capsys)
    assert_reported(rc, err, path, f"line 2 ({rows[1][0]}): unknown unit 'furlong' in refines")


# ----------------------------------------------------------------- formulas


@pytest.mark.parametrize(
    ("expr", "problem"),
    [
        ("1e999 - 1e999", "has a number out of range"),
        ("agri_poultry * 1e308 * 1e308", "has no finite real value (gives inf)"),
        ("(0 - 1) ** 0.5", "has no finite real value"),
        ("agri_poultry / 0", "cannot be evaluated: division by zero"),
        ("10 ** 10 ** 10", "cannot be evaluated: a result out of range"),
        ("+".join(["agri_poultry"] * 5000), "is longer than 4000 characters"),
        ("+".join(["1"] * 1500), "is too large"),
        ("-" * 100_000 + "1", "is longer than 4000 characters"),
        ("(1 + " * 150 + "1" + ")" * 150, "is too large"),
        ("__import__('os')", "uses Call"),
    ],
)
def test_bad_formula_names_file_row_and_formula(expr, problem, data, capsys):
    path = data / "corrections.csv"
    rows = read_rows(path)
    rows[1][3] = expr
    write_rows(path, rows)
    rc, err = check(capsys)
    shown = repr(expr) if len(expr) <= 120 else repr(expr[:100])
    assert_reported(rc, err, path, f"line 2 ({rows[1][0]}): formula {shown}", problem)


def test_correction_that_leaves_a_derived_figure_without_value(data, capsys):
    path = data / "corrections.csv"
    rows = read_rows(path)
    rows[1][3] = "agri_poultry / agri_poultry"  # one bird: the 2015 flock becomes negative
    write_rows(path, rows)
    rc, err = check(capsys)
    assert_reported(rc, err, data / "figures.csv", "problem(s) in the derived figures",
                    "cannot be derived: formula", "has no finite real value")


@pytest.mark.parametrize("expr", ["1 / 0", "x ** 0.5", "1e308 * 10", "x - x * 1e999"])
def test_formula_errors_are_formula_errors(expr):
    with pytest.raises(formula.FormulaError, match="formula"):
        formula.evaluate(expr, {"x": -1.0})
    with pytest.raises(formula.FormulaError):
        formula.interval(expr, {"x": -1.0}, {"x": 0.5})


def test_nan_input_is_a_formula_error():
    with pytest.raises(formula.FormulaError, match="no finite real value"):
        formula.evaluate("x + 1", {"x": float("nan")})


# ----------------------------------------------------------------- the metadata sidecar


def meta(data: Path) -> Path:
    return data / "raw" / paths.raw_meta_path().name


@pytest.mark.parametrize(
    ("edit", "expected"),
    [
        (lambda t: t.replace('",\n  "title"', '"\n  "title"', 1),
         "line 3 (?): not valid JSON: Expecting ',' delimiter"),
        (lambda t: t.replace('  "size_bytes": 30068,\n', ""), "line 1 (size_bytes): missing key"),
        (lambda t: t.replace('"size_bytes": 30068', '"size_bytes": "30068"'),
         "(size_bytes): 'size_bytes' must be int, found \"30068\""),
        (lambda t: t.replace('"sha256": "b7', '"sha256": "B7'),
         "(sha256): sha256 'B7"),
        (lambda t: "", "line 1 (?): not valid JSON"),
        (lambda t: "[1, 2]", "line 1 (?): expected a JSON object, found list"),
    ],
)
def test_bad_sidecar(edit, expected, data, capsys):
    path = meta(data)
    path.write_text(edit(path.read_text(encoding="utf-8")), encoding="utf-8")
    rc, err = check(capsys)
    assert_reported(rc, err, path, expected)


def test_sidecar_key_problems_name_their_line(data, capsys):
    path = meta(data)
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('"language": "vi"', '"language": 7'), encoding="utf-8")
    line = next(i for i, s in enumerate(text.splitlines(), 1) if '"language"' in s)
    rc, err = check(capsys)
    assert_reported(rc, err, path, f"line {line} (language): 'language' must be str")


@pytest.mark.parametrize("encoding", ["cp1258", "utf-16"])
def test_sidecar_in_another_encoding(encoding, data, capsys):
    path = meta(data)
    path.write_bytes(path.read_text(encoding="utf-8").encode(encoding, errors="replace"))
    rc, err = check(capsys)
    assert_reported(rc, err, path, "line 3 (?): not UTF-8" if encoding == "cp1258"
                    else "line 1 (?): the file is UTF-16")


def test_sidecar_with_bom_and_crlf_is_accepted(data):
    path = meta(data)
    text = path.read_text(encoding="utf-8").replace("\n", "\r\n")
    path.write_bytes(codecs.BOM_UTF8 + text.encode("utf-8"))
    assert source.load_meta(path).size_bytes > 0


# ----------------------------------------------------------------- the command, end to end


def run_check_process(data: Path) -> subprocess.CompletedProcess[str]:
    """``dbanalysis check`` on ``data`` as a user runs it: its console script in a process
    of its own, none of the package's code run yet (``main(None)``,
    ``interruptible(command=True)``, ``sys.exit(2)``; a traceback would be Python's own,
    printed for an exception nothing caught), forked from the session's kernel zygote
    where there is one (tests/kernel_zygote.py ``command``: the interpreter and pandas
    already imported, ~0.3 s of CPU less; a fresh process of its own in
    tests/test_check_gate.py)."""
    env = {**os.environ, "DBANALYSIS_DATA": str(data)}
    return subprocess.run(command([str(DBANALYSIS), "check"]), capture_output=True, text=True,
                          env=env, cwd=REPO, timeout=300)


def run_check(data: Path) -> subprocess.CompletedProcess[str]:
    """What :func:`run_check_process` does, through ``cli.main`` in this process (the
    ``data`` fixture already points DBANALYSIS_DATA at ``data``): the same command, its
    exit status, stdout and stderr, in milliseconds."""
    import contextlib

    assert str(paths.data_dir()) == str(data)
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(["check"])
    return subprocess.CompletedProcess(["dbanalysis", "check"], code, out.getvalue(),
                                       err.getvalue())


@pytest.mark.parametrize(
    ("rel", "damage", "expected", "runner"),
    [
        pytest.param("figures.csv", lambda b: b.replace(b"\n", b",extra\n", 3).replace(
            b",extra\n", b"\n", 2), "line 3 (emul_pm_movements): 13 field(s), expected 12",
            run_check_process, marks=pytest.mark.slow),  # the real command: a process
        ("vocab/units.csv", lambda b: b.decode().encode("cp1258", errors="replace"),
         "not UTF-8", run_check),
        ("corrections.csv", lambda b: b.replace(b"agri_poultry * 1000000", b"1e999 - 1e999"),
         "line 2 (agri_poultry): formula '1e999 - 1e999' has a number out of range",
         run_check),
        ("raw/dien-bien-thi-dua-2015-2020.meta.json", lambda b: b[:-3], "not valid JSON",
         run_check),
        ("vocab/glossary.csv", lambda b: b"", "line 1 (?): the file is empty", run_check),
        ("schemas/input/vocab/units.json", lambda b: b.replace(b'"string"', b'"text"', 1),
         "unknown type 'text'", run_check),
    ],
)
def test_dbanalysis_check_exits_2_without_traceback(rel, damage, expected, runner, data):
    path = data / rel
    path.write_bytes(damage(path.read_bytes()))
    res = runner(data)
    assert res.returncode == 2, res.stderr
    # in the process: Python's traceback of an exception nothing caught; in-process such
    # an exception fails the test itself, and this guards only against a handler that
    # prints one
    assert "Traceback" not in res.stderr
    assert str(path) in res.stderr and expected in res.stderr, res.stderr
    assert res.stdout == ""
