"""``check`` is the gate: a data folder it passes does not fail ``build`` or ``export``.

Each bad data folder of issue 22 that used to pass ``check`` and then break ``build``
or ``export``, or to end in a traceback, is rejected by every command with the
documented message (file, id, problem), exit 2, no traceback and nothing written;
``dbanalysis --help`` reads no data at all.
"""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from dbanalysis.cli import main as cli
from dbanalysis.core import paths

DBANALYSIS = Path(sys.executable).with_name("dbanalysis")


#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


def _edit(rel: str, fn: Callable[[str], str]) -> Callable[[Path], Path]:
    def damage(data: Path) -> Path:
        path = data / rel
        path.write_text(fn(path.read_text(encoding="utf-8")), encoding="utf-8")
        return path
    return damage


def _drop(rel: str, start: str) -> Callable[[Path], Path]:
    return _edit(rel, lambda t: "".join(line for line in t.splitlines(keepends=True)
                                        if not line.startswith(start)))


def _header_only(rel: str) -> Callable[[Path], Path]:
    return _edit(rel, lambda t: t.splitlines(keepends=True)[0])


#: name -> (damage returning the file that holds the problem, text the message must hold)
CASES: dict[str, tuple[Callable[[Path], Path], str]] = {
    "empty labels.csv": (_edit("vocab/labels.csv", lambda t: ""), "the file is empty"),
    "empty verdicts.csv": (_edit("vocab/verdicts.csv", lambda t: ""), "the file is empty"),
    "40-digit order in levels.csv": (
        _edit("vocab/levels.csv", lambda t: t.replace("national,1,", "national," + "9" * 40
                                                      + ",")),
        "(national): order '9999999999999999999999999999999999999" ),
    "renamed glossary term": (
        _edit("vocab/glossary.csv", lambda t: t.replace(
            "outside knowledge,", "outside knowledge (external),")),
        "(outside knowledge): no row 'outside knowledge': the code relies on it"),
    "header-only corrections.csv": (
        lambda d: (_header_only("corrections.csv")(d), d / "figures.csv")[1],
        "(d_agri_poultry_2015_million): cannot be derived"),
    "changed correction formula": (
        lambda d: (_edit("corrections.csv", lambda t: t.replace(
            "agri_poultry * 1000000", "agri_poultry * 1000"))(d), d / "figures.csv")[1],
        "(d_agri_poultry_cagr_4y): cannot be derived"),
    "{nope} in findings.csv": (
        _edit("findings.csv", lambda t: t.replace("reached {agri_cattle}", "reached {nope}")),
        "(cattle): template_en uses nope not listed in figure_ids"),
    "1e308 in reference.csv": (
        _edit("reference.csv", lambda t: t.replace("national_new_rural_criteria,19,",
                                                   "national_new_rural_criteria,1e308,")),
        "(national_new_rural_criteria): value '1e308' is out of range"),
    "lone brace in a label": (
        _edit("vocab/labels.csv", lambda t: t.replace("site.title,", "site.title,{oops ", 1)),
        "(site.title): en: "),
    "no 'ambiguous' verdict": (_drop("vocab/verdicts.csv", "ambiguous,"),
                               "(ambiguous): no row 'ambiguous'"),
    "no 'corrected' status": (_drop("vocab/statuses.csv", "corrected,"),
                              "(corrected): no row 'corrected'"),
    "no label key used at import": (_drop("vocab/labels.csv", "derived.cagr,"),
                                    "(derived.cagr): no row 'derived.cagr'"),
    "no label key used by a page": (_drop("vocab/labels.csv", "table.figure,"),
                                    "(table.figure): no row 'table.figure'"),
    "no 'over' qualifier": (_drop("vocab/qualifiers.csv", "over,"), "(over): no row 'over'"),
    "other reading of no audit check": (
        _edit("other_readings.csv", lambda t: t.replace(
            ",claim_stations_doctor_resolution", ",claim_no_such_check")),
        "(health_stations_doctor_vs_resolution): check_id 'claim_no_such_check' is not a "
        "check of the audit"),
    "unknown qualifier in qualifier_words.csv": (
        _edit("vocab/qualifier_words.csv", lambda t: t + "quá,beyond\n"),
        "(quá): unknown qualifier 'beyond'"),
}


def run_here(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = cli.main(list(args))
    return code, out.getvalue(), err.getvalue()


def assert_documented(code: int, err: str, path: Path, problem: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err, err
    assert str(path) in err and problem in err, err


@pytest.mark.parametrize("case", CASES)
def test_check_rejects_what_build_and_export_would_fail_on(case, data_copy):
    damage, problem = CASES[case]
    path = damage(data_copy)
    code, out, err = run_here("check")
    assert_documented(code, err, path, problem)
    assert out == ""


#: Bad files that a module once read when it was imported (so that even ``--help`` failed).
READ_AT_IMPORT = ["empty labels.csv", "empty verdicts.csv", "no label key used at import"]
#: Of those, the damages that can be made to one copy together, each to its own file: "no
#: label key used at import" removes a row of labels.csv, which "empty labels.csv" has
#: already emptied (it would change nothing there: it runs on its own, in-process, above).
BROKEN_TOGETHER = ["empty labels.csv", "empty verdicts.csv"]


@pytest.mark.parametrize("case", ["header-only corrections.csv", "changed correction formula",
                                  "no label key used by a page", "1e308 in reference.csv",
                                  *READ_AT_IMPORT])
def test_export_gives_the_same_error_and_writes_nothing(case, data_copy, tmp_path):
    damage, problem = CASES[case]
    path = damage(data_copy)
    code, _, err = run_here("export", "--out", str(tmp_path / "pkg"))
    assert_documented(code, err, path, problem)
    assert "nothing written" in err
    assert not (tmp_path / "pkg").exists()
    assert list(tmp_path.iterdir()) == []


def test_build_refuses_bad_data_before_starting_a_kernel(data_copy, tmp_path):
    damage, problem = CASES["{nope} in findings.csv"]
    path = damage(data_copy)
    code, _, err = run_here("build", "--out", str(tmp_path / "site"), "--notebooks",
                            str(tmp_path))
    assert_documented(code, err, path, problem)
    assert not (tmp_path / "site").exists()


def _run(data: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    """``dbanalysis ARGS`` as a user runs it: a fresh process (nothing imported yet)."""
    return subprocess.run([str(DBANALYSIS), *args], capture_output=True, text=True,
                          env={**os.environ, "DBANALYSIS_DATA": str(data)}, cwd=cwd,
                          timeout=300)


#: Each command's ``--help`` (argparse's SystemExit(0): status 0, the help on stdout).
HELPS = (["--help"], ["check", "--help"], ["build", "--help"], ["audit-text", "--help"],
         ["draft", "--help"])


def help_here(*args: str) -> tuple[int, str, str]:
    """:func:`run_here` for ``--help``: argparse's SystemExit as the exit status."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err), \
            pytest.raises(SystemExit) as ended:
        cli.main(list(args))
    return ended.value.code, out.getvalue(), err.getvalue()


@pytest.mark.slow  # a subprocess or a kernel: not in make test-quick
def test_help_reads_no_data(data_copy, tmp_path):
    """Even ``--help`` used to load the label table (a traceback, exit 1): with both
    files once read at import emptied at once, each command's help is still shown
    (status 0, the help on stdout, nothing on stderr; tests/test_cli.py reads
    ``--version`` and the help's text through ``cli.main``).

    Each command's help through ``cli.main`` here (the package's readers are keyed on
    the files' content: one that read a damaged file while the parser was made or the
    help printed would read it again and fail), and once by the console script as a
    user runs it, a fresh process: what the command imports before it prints its help
    is the same for every command (``dbanalysis.cli.main``, whose parser holds every
    command's; a command's own modules are imported when it runs), and so is the way
    argparse's SystemExit(0) ends the process. (Each command's help used to be a process
    of its own, five processes proving one thing about the imports; that no module reads
    the data folder when imported is proved for every module by
    tests/test_fresh_data.py::test_no_module_reads_the_data_folder_when_imported.)"""
    broken = [CASES[case][0](data_copy) for case in BROKEN_TOGETHER]
    assert len(set(broken)) == len(BROKEN_TOGETHER)  # each damage to its own file
    for args in HELPS:
        code, out, err = help_here(*args)
        usage = " ".join(["usage: dbanalysis", *args[:-1]])  # the command's own help
        assert code == 0 and out.startswith(usage), out + err
        assert err == ""
    res = _run(data_copy, tmp_path, "check", "--help")
    assert res.returncode == 0 and res.stdout.startswith("usage: dbanalysis check"), \
        res.stdout + res.stderr
    assert res.stderr == ""


@pytest.mark.slow  # a subprocess or a kernel: not in make test-quick
def test_every_command_as_a_user_runs_it(data_copy, tmp_path):
    """A fresh ``dbanalysis export`` (which imports what ``check`` imports, then checks the
    data as ``check`` does), as the console script runs it, on bad data: exit 2, the
    documented message (the file and its problem) and no traceback on stderr, nothing on
    stdout, nothing written. Both files once read at import are emptied at once, each
    its own file: a module reading either of them when imported, before the check meets
    the label table, fails this process (a traceback, or a message naming verdicts.csv);
    one reading them after that point would be hidden by the first message. That no
    module reads the data folder when imported is proved by
    tests/test_fresh_data.py::test_no_module_reads_the_data_folder_when_imported (every
    module's top level run with no data folder); each case's own message, from
    ``check`` and ``export``: in this process, above."""
    broken = [CASES[case][0](data_copy) for case in BROKEN_TOGETHER]
    assert len(set(broken)) == len(BROKEN_TOGETHER)  # each damage to its own file
    res = _run(data_copy, tmp_path, "export", "--out", "pkg")
    assert_documented(res.returncode, res.stderr, broken[0], CASES[BROKEN_TOGETHER[0]][1])
    assert "nothing written" in res.stderr
    assert res.stdout == ""
    assert not (tmp_path / "pkg").exists()


def test_unknown_verdict_is_named_after_the_data_is_read():
    code, _, err = run_here("check", "--verdict", "probably")
    assert code == 2 and "unknown verdict 'probably' (known: consistent, inconsistent" in err


# ----------------------------------------------------------------- limits, and the right file


def test_a_file_past_the_size_limit_is_refused_before_it_is_parsed(data_copy):
    from dbanalysis.core.inputs import MAX_BYTES

    path = data_copy / "vocab" / "qualifier_words.csv"
    with path.open("a", encoding="utf-8") as fh:  # valid rows: only the size is wrong
        fh.write("\n" * (MAX_BYTES + 1))
    code, out, err = run_here("check")
    assert_documented(code, err, path, "file (?): the file is larger than 1 MiB, the limit")
    assert out == ""


def test_error_output_is_capped(data_copy):
    from dbanalysis.core.inputs import MAX_SHOWN

    path = data_copy / "vocab" / "unit_text_stops.csv"
    with path.open("a", encoding="utf-8") as fh:
        fh.write("".join(f"w{i},too,many\n" for i in range(MAX_SHOWN + 150)))
    code, _, err = run_here("check")
    assert_documented(code, err, path, f"{MAX_SHOWN + 150} problem(s)")
    assert f"... and 150 more problem(s) (the first {MAX_SHOWN} are shown)" in err
    assert err.count(" field(s), expected ") == MAX_SHOWN


@pytest.mark.parametrize(("row", "problem"), [
    ("Trên,over", "(Trên): the word 'trên' is listed twice (first on line 2, case aside)"),
    ("(,over", "line {line} ((): word '(' is not letters only, words separated by one space"),
])
def test_errors_in_qualifier_words_name_that_file(row, problem, data_copy):
    path = data_copy / "vocab" / "qualifier_words.csv"
    line = len(path.read_text(encoding="utf-8").splitlines()) + 1  # the row appended
    with path.open("a", encoding="utf-8") as fh:
        fh.write(row + "\n")
    code, _, err = run_here("check")
    assert_documented(code, err, path, problem.format(line=line))
    assert "figures.csv" not in err


def test_a_huge_raw_report_is_not_read_whole(data_copy):

    path = paths.raw_report_path()
    with path.open("ab") as fh:
        fh.write(b" " * (4 << 20))
    code, _, err = run_here("check")
    assert_documented(code, err, path, "checksum mismatch")
    assert "(more than 30068 bytes)" in err
