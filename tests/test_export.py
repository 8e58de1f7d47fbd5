"""dbanalysis export: CSV + Parquet + a validated Frictionless data package.

The real tables come from dbanalysis.catalogue.figures / derive / audit (written elsewhere);
here fake modules of the agreed shapes stand in for them, and one test uses the
real ones once they exist.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from dbanalysis.catalogue.source import citation
from dbanalysis.cli import export as export_module
from dbanalysis.cli import main as cli
from dbanalysis.cli.export import ExportError, Loader, export
from dbanalysis.core import schema


def fake_figures() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "figure_id": ["agri_rice_area", "emul_awards"],
            "sector": ["agriculture", "emulation"],
            "indicator": ["rice_area", "awards"],
            "label_vi": ["Diện tích lúa ố ồ ả", "Số tập thể được khen thưởng"],
            "label_en": ["Rice area", "Collectives commended"],
            "value": [1200.5, 30.0],
            "unit": ["ha", "collective"],
            "period": ["2015-2020", "2020"],
            "kind": ["level", "level"],
            "qualifier": [pd.NA, "over"],
            "quote": ["diện tích lúa đạt 1.200,5 ha", "trên 30 tập thể"],
            "start": [2015, 2020],
            "end": [2043, 2035],
            "number_start": [2034, 2025],
            "number_end": [2041, 2027],
            "note": [None, "rounded"],
        }
    )


def fake_derived() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "figure_id": ["d_share", "d_diff"],
            "label_en": ["Share", "Difference"],
            "label_vi": ["Tỷ lệ", "Chênh lệch"],
            "value": [0.5, 3.0],
            "unit": ["percent", "ha"],
            "formula": ["agri_rice_area / emul_awards", "agri_rice_area - emul_awards"],
            "inputs": [["agri_rice_area", "emul_awards"], "agri_rice_area;emul_awards"],
            "assumption": [pd.NA, "same base year"],
            "reading": [None, None],
            "sector": ["agriculture", "agriculture"],
            "qualifier": [None, None],
        }
    )


def fake_audit(verdict: str = "consistent") -> pd.DataFrame:
    return pd.DataFrame(
        {
            "check_id": ["sum_1"],
            "category": ["sum"],
            "sector": ["agriculture"],
            "verdict": [verdict],
            "figure_ids": [["agri_rice_area", "emul_awards"]],
            "expected": [1230.5],
            "observed": [1230.5],
            "tolerance": [0.05],
            "explanation": ["parts add up"],
            "explanation_vi": ["các phần cộng lại khớp"],
        }
    )


#: The loaders of the export by table name.
Fakes = dict[str, Loader]


@pytest.fixture
def fake_loaders(monkeypatch: pytest.MonkeyPatch) -> Fakes:
    """The export's default loaders replaced by fakes (edit the dict to change one); the
    package's modules and their caches are untouched, so a later test of the real tables
    reads the real ones."""
    from dbanalysis.cli import check as checkcmd

    # the real input files are validated elsewhere; here only the tables are fake
    monkeypatch.setattr(checkcmd, "validate_inputs", lambda: None)
    loaders: dict[str, Loader] = {"figures": fake_figures, "derived": fake_derived,
                                  "audit": fake_audit}
    monkeypatch.setattr(export_module, "default_loaders", lambda: loaders)
    return loaders


def test_export_writes_csv_parquet_and_valid_package(fake_loaders: Fakes, tmp_path: Path) -> None:
    out = export(tmp_path / "export")
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        ".dbanalysis-output.json",
        "audit.csv",
        "audit.parquet",
        "datapackage.json",
        "derived.csv",
        "derived.parquet",
        "figures.csv",
        "figures.parquet",
    ]
    from frictionless import validate  # not at collection (0.3 s of every worker's start)

    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["type", "note"])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["export"]  # no temp dir left


def test_csv_is_tidy_utf8_with_empty_missing_values(fake_loaders: Fakes, tmp_path: Path) -> None:
    out = export(tmp_path / "e")
    figures = (out / "figures.csv").read_text(encoding="utf-8").splitlines()
    assert figures[0].split(",") == list(fake_figures().columns)
    assert "Diện tích lúa ố ồ ả" in figures[1]
    assert ",2015,2043,2034,2041," in figures[1]  # integers stay integers
    assert 'level,,"diện tích' in figures[1]  # NA qualifier -> empty field
    derived = pd.read_csv(out / "derived.csv")
    assert list(derived["inputs"]) == ["agri_rice_area;emul_awards"] * 2
    audit = pd.read_csv(out / "audit.csv")
    assert audit.loc[0, "figure_ids"] == "agri_rice_area;emul_awards"


def test_parquet_round_trips_with_types(fake_loaders: Fakes, tmp_path: Path) -> None:
    out = export(tmp_path / "e")
    figures = pd.read_parquet(out / "figures.parquet")
    assert list(figures.columns) == list(fake_figures().columns)
    assert str(figures["start"].dtype) == "Int64"
    assert figures["value"].tolist() == [1200.5, 30.0]
    assert figures["qualifier"].isna().tolist() == [True, False]
    derived = pd.read_parquet(out / "derived.parquet")
    assert derived["inputs"].tolist() == ["agri_rice_area;emul_awards"] * 2


def test_descriptor_documents_every_field(fake_loaders: Fakes, tmp_path: Path) -> None:
    out = export(tmp_path / "e")
    desc = json.loads((out / "datapackage.json").read_text(encoding="utf-8"))
    cited = citation()
    assert desc["sources"][0]["title"].startswith(f"{cited.title} ({cited.author}; ")
    assert desc["sources"][0]["title"].endswith(f", {cited.date_text})")
    assert desc["licenses"][0]["name"] == "MIT"
    assert "publisher's terms" in desc["description"]
    tables = {r["name"]: r for r in desc["resources"] if r.get("type") == "table"}
    assert set(tables) == {"figures", "derived", "audit"}
    files = {r["name"]: r for r in desc["resources"] if r.get("type") == "file"}
    assert {r["path"] for r in files.values()} == {
        "figures.parquet",
        "derived.parquet",
        "audit.parquet",
    }
    fields = {r: {f["name"]: f for f in tables[r]["schema"]["fields"]} for r in tables}
    assert fields["figures"]["value"]["type"] == "number"
    assert "unit" in fields["figures"]["value"]["description"]
    assert fields["figures"]["start"]["type"] == "integer"
    assert fields["audit"]["expected"]["type"] == "number"
    assert fields["audit"]["verdict"]["constraints"]["enum"] == [
        "consistent",
        "inconsistent",
        "ambiguous",
        "unverifiable",
    ]
    assert fields["figures"]["value"]["constraints"] == {"required": True, "minimum": 0}
    assert "ha" in fields["figures"]["unit"]["constraints"]["enum"]
    assert all(f["description"] for t in fields.values() for f in t.values())
    for name, table in fields.items():  # the schema's own words, not a second copy
        assert [f["description"] for f in table.values()] == [
            f.description for f in schema.load(f"output/{name}").fields]
    assert tables["figures"]["schema"]["primaryKey"] == ["figure_id"]


def test_invalid_table_fails_and_keeps_previous_export(
    fake_loaders: Fakes, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "e"
    export(out)
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.suffix != ".json"}
    fake_loaders["audit"] = lambda: fake_audit("probably fine")
    assert cli.main(["export", "--out", str(out)]) == 1
    err = capsys.readouterr().err
    assert "dbanalysis export: error: table 'audit' breaks its schema " \
           "data/schemas/output/audit.json: line 1 (sum_1): unknown verdict 'probably fine'" in err
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.suffix != ".json"} == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e"]


def test_export_to_unwritable_place(fake_loaders: Fakes, tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(ExportError, match="cannot create output folder"):
        export(blocker / "e")


def test_cli_export_with_fakes(fake_loaders: Fakes, tmp_path: Path) -> None:
    assert cli.main(["export", "--out", str(tmp_path / "e")]) == 0
    assert (tmp_path / "e" / "datapackage.json").is_file()


def test_export_of_the_real_tables(tmp_path: Path) -> None:
    from frictionless import validate

    out = export(tmp_path / "e")
    report = validate(str(out / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldNumber", "type", "note"])
    figures = pd.read_csv(out / "figures.csv")
    assert len(figures) > 0 and figures["figure_id"].is_unique


def test_a_column_the_schema_does_not_declare_is_refused(fake_loaders: Fakes,
                                                          tmp_path: Path) -> None:
    fake_loaders["derived"] = lambda: fake_derived().assign(weight=1)
    with pytest.raises(ExportError, match=r"table 'derived' breaks its schema .*columns \["):
        export(tmp_path / "e")
    assert not (tmp_path / "e").exists()
