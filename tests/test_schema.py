"""The table schemas in data/schemas/: declared once, read the same by us and by frictionless.

Every input file and computed table must satisfy its schema under both readings
(``dbanalysis.core.schema`` at load time, ``frictionless`` here); a damaged row must be
reported by both on the same line.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from helpers_data import derived_table

from dbanalysis.audit.run import run_audit
from dbanalysis.catalogue.figures import load_figures
from dbanalysis.core import paths, schema, validation
from dbanalysis.core.inputs import InputError
from dbanalysis.derive.compute import derived_figures

if TYPE_CHECKING:
    import frictionless

INPUTS = [n for n in schema.names() if n.startswith("input/")]
OUTPUTS = {"output/figures": load_figures, "output/derived": derived_figures,
           "output/audit": run_audit}


#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


def fl_name(name: str) -> str:
    """A frictionless resource name for a schema name (no '/' allowed there)."""
    return name.replace("/", ".")


def fl_package(data: Path, names: list[str]) -> frictionless.Package:
    """The input files as one frictionless package, foreign keys between them kept."""
    import frictionless  # imported by the tests that use it (0.3 s of every worker's start)

    resources = []
    for name in names:
        desc, _ = schema.resolve(
            json.loads((data / "schemas" / f"{name}.json").read_text(encoding="utf-8")))
        for fk in desc.get("foreignKeys", []):
            fk["reference"]["resource"] = fl_name(fk["reference"]["resource"])
        rel = name.removeprefix("input/") + ".csv"
        resources.append({"name": fl_name(name), "path": rel, "schema": desc})
    return frictionless.Package.from_descriptor({"resources": resources}, basepath=str(data))


def fl_referenced(data: Path, name: str) -> list[str]:
    """``name`` and every input table its foreign keys reach, directly or not."""
    seen = [name]
    for current in seen:
        desc, _ = schema.resolve(
            json.loads((data / "schemas" / f"{current}.json").read_text(encoding="utf-8")))
        for fk in desc.get("foreignKeys", []):
            target = fk["reference"]["resource"]
            if target and target not in seen:
                seen.append(target)
    return seen


def fl_error_rows(data: Path, name: str) -> set[int]:
    """Rows (file lines) frictionless reports for the input table ``name``, validated as a
    resource of a package of it and the tables its foreign keys reach (what its rows are
    checked against: frictionless reads them for the foreign keys). Only ``name`` is
    validated: validating the whole package gave the same errors for ``name``'s task (row,
    field, type, note: compared on every DAMAGE case and the duplicate key) and validated
    the unchanged tables it refers to besides, in 3x the CPU (1.5 -> 0.5 s for DAMAGE);
    the whole package is validated by test_every_input_file_is_valid..."""
    resource = fl_package(data, fl_referenced(data, name)).get_resource(fl_name(name))
    report = resource.validate()
    return {row for task in report.tasks for (row,) in task.flatten(["rowNumber"]) if row}


def test_the_schemas_cover_every_table():
    data_files = {p.relative_to(paths.data_dir()).with_suffix("").as_posix()
                  for p in paths.data_dir().rglob("*.csv")}
    assert {n.removeprefix("input/") for n in INPUTS} == data_files
    assert set(OUTPUTS) == {n for n in schema.names() if n.startswith("output/")}


@pytest.mark.parametrize("name", schema.names())
def test_every_schema_is_a_valid_table_schema(name):
    raw = json.loads((schema.schemas_dir() / f"{name}.json").read_text(encoding="utf-8"))
    desc, problems = schema.resolve(raw)  # shared fields (data/schemas/fields.json) resolved
    assert problems == [] and desc == schema.descriptor(name)
    import frictionless

    report = frictionless.Schema.validate_descriptor(desc)
    assert report.valid, report.flatten(["type", "note"])
    s = schema.load(name)
    assert s.columns and all(f.description for f in s.fields)
    assert s.title and s.description


def test_every_input_file_is_valid_for_us_and_for_frictionless():
    for name in INPUTS:
        assert validation.read(name), name
    report = fl_package(paths.data_dir(), INPUTS).validate()
    assert report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "note"])


@pytest.mark.parametrize("name", OUTPUTS)
def test_every_computed_table_satisfies_its_schema(name):
    frame = OUTPUTS[name]()
    assert validation.check_frame(name, frame) == []
    assert list(frame.columns) == schema.load(name).columns


def rewrite(path: Path, edit) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8"), newline="")))
    edit(rows)
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")
    return rows


# (table, column, bad value, what our message says): each breaks one declared constraint
DAMAGE = [
    ("input/figures", "pick", "0", "pick 0 is less than 1"),
    ("input/figures", "pick", "2.5", "pick '2.5' is not a whole number"),
    ("input/figures", "period", "2015–2020", "period '2015–2020' is not YYYY, YYYY-YYYY"),
    ("input/figures", "figure_id", "Bad-Id", "figure_id 'Bad-Id' is not snake_case"),
    ("input/figures", "label_en", "", "empty label_en"),
    ("input/figures", "unit", "furlong", "unknown unit 'furlong'"),
    ("input/corrections", "status", "maybe", "unknown status 'maybe' (allowed: accepted"),
    ("input/vocab/sectors", "order", "-1", "order -1 is less than 1"),
    ("input/vocab/verdicts", "severity", "high", "severity 'high' is not a whole number"),
    ("input/vocab/award_levels", "basis", "rumour", "unknown basis 'rumour'"),
    ("input/vocab/award_levels", "level", "galactic", "unknown level 'galactic'"),
    ("input/vocab/unit_refinements", "refines", "furlong", "unknown unit 'furlong' in refines"),
    ("input/vocab/qualifier_words", "qualifier", "roughly", "unknown qualifier 'roughly'"),
    ("input/vocab/unit_lexicon", "unit", "cubit", "unknown unit 'cubit'"),
]


@pytest.mark.parametrize(("name", "column", "bad", "message"), DAMAGE)
def test_a_broken_constraint_is_reported_by_both_on_the_same_line(name, column, bad, message,
                                                                  data_copy):
    path = data_copy / f"{name.removeprefix('input/')}.csv"
    rows = rewrite(path, lambda rows: rows[2].__setitem__(rows[0].index(column), bad))
    with pytest.raises(InputError) as err:
        validation.read(name)
    problems = err.value.problems
    assert [p.line for p in problems] == [3], problems
    assert message in problems[0].message
    key = schema.load(name).id_column
    assert problems[0].row_id == (rows[2][rows[0].index(key)] if key else "")
    assert str(path) in str(err.value)


@pytest.mark.parametrize("name", list(dict.fromkeys(case[0] for case in DAMAGE)))
def test_frictionless_reports_each_broken_constraint_on_its_line(name, data_copy):
    """The other reading of the cases above: frictionless reports each damaged row, and no
    other. One validation per table: the table's cases each break their own row (the
    first case the second data row, line 3, as above; the next one line 4, ...), each
    row with one bad value; one validation per case (each on line 3, in the test above)
    validated the catalogue six times, ~65 ms of CPU each."""
    cases = [(column, bad) for table, column, bad, _ in DAMAGE if table == name]

    def edit(rows: list[list[str]]) -> None:
        for i, (column, bad) in enumerate(cases):
            rows[2 + i][rows[0].index(column)] = bad

    rewrite(data_copy / f"{name.removeprefix('input/')}.csv", edit)
    assert fl_error_rows(data_copy, name) == {3 + i for i in range(len(cases))}


def test_duplicate_keys_are_reported_by_both(data_copy):
    path = data_copy / "vocab" / "units.csv"
    rewrite(path, lambda rows: rows.append(list(rows[5])))
    n = len(path.read_text(encoding="utf-8").splitlines())
    with pytest.raises(InputError, match=rf"line {n} \(\w+\): duplicate unit \(first on line 6\)"):
        validation.read("input/vocab/units")
    assert fl_error_rows(data_copy, "input/vocab/units") == {n}


def test_every_problem_of_a_file_at_once(data_copy):
    def edit(rows):
        rows[1][rows[0].index("pick")] = "x"
        rows[2][rows[0].index("kind")] = "vibe"
        rows[3][rows[0].index("period")] = "soon"

    rewrite(data_copy / "figures.csv", edit)
    with pytest.raises(InputError) as err:
        validation.read("input/figures")
    assert [p.line for p in err.value.problems] == [2, 3, 4]


def test_a_broken_vocabulary_is_named_when_a_table_refers_to_it(data_copy):
    rewrite(data_copy / "vocab" / "kinds.csv", lambda rows: rows[1].append("extra"))
    with pytest.raises(InputError) as err:
        validation.read("input/figures")
    assert "kinds.csv" in str(err.value)


def test_computed_table_problems_name_the_row(monkeypatch):
    audit = run_audit()
    audit.loc[3, "verdict"] = "fine"
    audit.loc[5, "explanation"] = None
    problems = validation.check_frame("output/audit", audit)
    assert sorted((p.line, p.row_id, p.message) for p in problems) == [
        (4, audit.loc[3, "check_id"], "unknown verdict 'fine'"),
        (6, audit.loc[5, "check_id"], "empty explanation")]
    derived = derived_table()  # (a copy: changed here)
    derived.loc[0, "value"] = float("nan")
    assert [p.message for p in validation.check_frame("output/derived", derived)] == ["empty value"]
    assert validation.check_frame("output/derived", derived.drop(columns="reading"))[0].message \
        .startswith("columns [")


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (lambda d: d["fields"][0].update(type="complex"), "unknown type 'complex'"),
        (lambda d: d["fields"][0].update(constraints={"oneOf": [1]}),
         "unsupported constraint(s) ['oneOf']"),
        (lambda d: d["fields"][0].pop("description"), "field without a description"),
        (lambda d: d.update(primaryKey=["nope"]), "primary key 'nope' is not a field"),
        (lambda d: d["foreignKeys"][0]["reference"].update(resource="input/vocab/planets"),
         "foreign key into unknown table 'input/vocab/planets'"),
        (lambda d: d["fields"].append(dict(d["fields"][0])), "field declared twice"),
    ],
)
def test_a_bad_schema_is_reported(edit, message, data_copy):
    path = data_copy / "schemas" / "input" / "figures.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    edit(desc)
    path.write_text(json.dumps(desc, indent=2), encoding="utf-8")
    with pytest.raises(schema.SchemaError) as err:
        schema.load("input/figures")
    assert message in str(err.value) and str(path) in str(err.value)


@pytest.mark.parametrize("name", INPUTS)
def test_every_input_file_is_read_under_the_error_contract(name, data_copy):
    path = data_copy / f"{name.removeprefix('input/')}.csv"
    rows = rewrite(path, lambda rows: rows[1].append("one field too many"))
    key = schema.load(name).id_column
    rid = rows[1][rows[0].index(key)] if key else "?"
    with pytest.raises(InputError) as err:
        validation.read(name)
    assert str(err.value).startswith(f"{path}: 1 problem(s)")
    assert f"line 2 ({rid}): {len(rows[0]) + 1} field(s), expected {len(rows[0])}" \
        in str(err.value)


def test_a_shared_field_is_declared_once_and_an_unknown_one_is_named(data_copy):
    """The unit column of the catalogue is the shared definition (data/schemas/fields.json);
    an edit there reaches every table that refers to it; a $ref to nothing is reported
    with the schema's file, line and field."""
    shared = json.loads((data_copy / "schemas" / "fields.json").read_text(encoding="utf-8"))
    refs = [n for n in schema.names()
            if any(f.get("$ref") == "unit" for f in json.loads(
                (data_copy / "schemas" / f"{n}.json").read_text(encoding="utf-8"))["fields"])]
    assert {"input/figures", "output/figures", "output/derived"} <= set(refs)
    shared["fields"]["unit"]["description"] = "Edited once."
    (data_copy / "schemas" / "fields.json").write_text(json.dumps(shared), encoding="utf-8")
    assert all(schema.load(n).field("unit").description == "Edited once." for n in refs)
    path = data_copy / "schemas" / "input" / "reference.json"
    path.write_text(path.read_text(encoding="utf-8").replace('"$ref": "unit"', '"$ref": "units"'),
                    encoding="utf-8")
    with pytest.raises(schema.SchemaError) as err:
        schema.load("input/reference")
    assert str(path) in str(err.value) and "$ref 'units' is not a field" in str(err.value)
