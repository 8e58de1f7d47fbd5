import argparse
import re
import runpy
import shutil
import sys

import pandas as pd
import pytest

from dbanalysis.cli import check as checkcmd
from dbanalysis.core import paths


def test_run_prints_table_and_summary(capsys):
    assert checkcmd.run(argparse.Namespace()) == 0
    out = capsys.readouterr().out
    assert re.search(r"^\d+ checks: \d+ consistent, \d+ inconsistent, \d+ ambiguous, "
                     r"\d+ unverifiable; \d+ of them are sanity checks", out, re.M)
    assert "sum_industrial_output" in out and "growth_cattle" in out


def test_broken_catalogue_exits_2_naming_the_file(tmp_path, monkeypatch, capsys):
    dst = tmp_path / "data"
    shutil.copytree(paths.data_dir(), dst)
    csv = dst / "figures.csv"
    df = pd.read_csv(csv, dtype=str, keep_default_na=False)
    df.loc[0, "quote"] = "không có trong báo cáo"
    df.to_csv(csv, index=False)
    monkeypatch.setenv("DBANALYSIS_DATA", str(dst))
    assert checkcmd.run(None) == 2
    err = capsys.readouterr().err
    assert str(csv) in err and "quote not found" in err


def test_module_entry_point(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["dbanalysis.cli.check", "--verdict", "ambiguous"])
    monkeypatch.delitem(sys.modules, "dbanalysis.cli.check")  # runpy warns if already imported
    with pytest.raises(SystemExit) as exc:
        runpy.run_module("dbanalysis.cli.check", run_name="__main__")
    assert exc.value.code == 0
    assert "poverty_change_reading" in capsys.readouterr().out
