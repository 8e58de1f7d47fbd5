"""What `dbanalysis export` writes, read back as a spreadsheet or a script reads it: no
text cell a spreadsheet would run as a formula (OWASP's rule against CSV injection), and
numbers as exact decimals (counts without ".0", no float noise such as 2581.2200000000003).

One export of a copy of data/ whose labels and notes begin with formula characters.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import babel.numbers
import pandas as pd
import pytest

from dbanalysis.core.markup import CSV_FORMULA_START, csv_cell

#: A text cell per start character a spreadsheet treats as a formula.
FORMULAS = {
    "label_en": "=cmd|' /C calc'!A0",
    "label_vi": "@SUM(1+1)*cmd|' /C calc'!A0",
    "note": "+1+cmd|' /C calc'!A0",
}
#: A note per figure: the other start characters and a tab (a carriage return inside a
#: cell ends the line for the catalogue's reader: csv_cell's own test covers it).
NOTES = {
    "agri_sown_area": "-2+3+cmd|' /C calc'!A0",
    "agri_fruit_area": "\t=1+1",
    "agri_industrial_crop_area": "@HYPERLINK(\"https://evil.example\")",
}


def _rewrite(path: Path, figure_id: str, values: dict[str, str]) -> None:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    header = rows[0]
    row = next(r for r in rows if r[0] == figure_id)
    for column, value in values.items():
        row[header.index(column)] = value
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    from dbanalysis.cli.export import export
    from dbanalysis.core import paths

    root = tmp_path_factory.mktemp("formulas")
    data = root / "data"
    shutil.copytree(paths.data_dir(), data)
    _rewrite(data / "figures.csv", "emul_training_attendances", FORMULAS)
    for fid, note in NOTES.items():
        _rewrite(data / "figures.csv", fid, {"note": note})
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DBANALYSIS_DATA", str(data))
        yield export(root / "export")


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as fh:  # as a spreadsheet reads it
        return list(csv.DictReader(fh))


def _fields(out: Path, table: str) -> dict[str, dict]:
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    res = next(r for r in desc["resources"] if r["name"] == table)
    return {f["name"]: f for f in res["schema"]["fields"]}


@pytest.mark.parametrize("text", ["=1+1", "+1", "-1", "@A1", "\t=1", "\r=1"])
def test_csv_cell_prefixes_every_formula_start(text: str) -> None:
    assert csv_cell(text) == "'" + text
    assert csv_cell("a=1") == "a=1" and csv_cell(3) == 3 and csv_cell(None) is None


def test_no_exported_text_cell_starts_a_formula(exported: Path) -> None:
    for table in ("figures", "derived", "audit"):
        fields = _fields(exported, table)
        for row in _read(exported / f"{table}.csv"):
            for name, cell in row.items():
                if fields[name]["type"] == "string":
                    assert not cell.startswith(CSV_FORMULA_START), (table, name, cell)
    figures = {r["figure_id"]: r for r in _read(exported / "figures.csv")}
    row = figures["emul_training_attendances"]
    for column, text in FORMULAS.items():
        assert row[column] == "'" + text  # shown, with the text intact after the quote
    for fid, note in NOTES.items():
        assert figures[fid]["note"] in ("'" + note, "'" + note.strip())
    # Parquet is typed, not opened as a formula: it keeps the text as written
    parquet = pd.read_parquet(exported / "figures.parquet").set_index("figure_id")
    assert parquet.loc["emul_training_attendances", "label_en"] == FORMULAS["label_en"]


def test_datapackage_documents_the_quote(exported: Path) -> None:
    desc = json.loads((exported / "datapackage.json").read_text(encoding="utf-8"))
    csvs = [r for r in desc["resources"] if r["format"] == "csv"]
    assert len(csvs) == 3
    for res in [desc, *csvs]:
        assert "=, +, -, @, a tab or a carriage return" in res["description"]
        assert "single quote" in res["description"]


def _number(text: str) -> str:
    """The quoted number's digits, as the parser reads them (spaces group thousands)."""
    return re.sub(r"\s+", ".", text.strip())


def test_figure_values_are_the_decimals_the_quotes_state(exported: Path) -> None:
    from dbanalysis.catalogue.source import report_text

    report = report_text()
    checked = 0
    for row in _read(exported / "figures.csv"):
        cell = row["value"]
        assert not cell.endswith(".0") and "e" not in cell.lower(), (row["figure_id"], cell)
        printed = report[int(row["number_start"]):int(row["number_end"])]
        # one number, or the part of a fraction ("342/465") or range ("15-18") it reads
        parts = re.split(r"\s*(?:/|-|–|đến)\s*", printed.removeprefix("từ "))
        stated = [babel.numbers.parse_decimal(_number(p), locale="vi", strict=True)
                  for p in parts]
        assert Decimal(cell) in stated, (row["figure_id"], printed, cell)
        checked += 1
    assert checked == len(_read(exported / "figures.csv"))
    figures = {r["figure_id"]: r for r in _read(exported / "figures.csv")}
    assert figures["emul_training_attendances"]["value"] == "500"  # a count, not 500.0
    assert figures["agri_fruit_area"]["value"] == "1224.83"


def test_computed_numbers_are_rounded_to_the_stated_precision(exported: Path) -> None:
    audit = {r["check_id"]: r for r in _read(exported / "audit.csv")}
    crops = audit["sum_crop_areas_within_sown_area"]
    assert (crops["observed"], crops["tolerance"]) == ("2581.22", "0.015")
    from dbanalysis.core import schema

    for table in ("derived", "audit"):
        fields = _fields(exported, table)
        spec = {f["name"]: f for f in schema.load(f"output/{table}").descriptor["fields"]}
        numbers = [n for n, f in fields.items() if f["type"] == "number"]
        assert numbers
        for name in numbers:
            places = spec[name]["decimals"]
            assert f"rounded to {places} decimal places" in fields[name]["description"]
            for row in _read(exported / f"{table}.csv"):
                cell = row[name]
                if cell:
                    decimals = len(cell.partition(".")[2])
                    assert decimals <= places and not cell.endswith(".0"), (table, name, cell)
                    assert "e" not in cell.lower()
    derived = {r["figure_id"]: r for r in _read(exported / "derived.csv")}
    assert derived["d_agri_poultry_corrected"]["value"] == "1558000"
