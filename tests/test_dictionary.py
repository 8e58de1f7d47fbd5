"""The data dictionary is generated from the schemas, and the committed copy is current."""

from __future__ import annotations

import json

from dbanalysis.catalogue import dictionary
from dbanalysis.core import paths, schema

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


def test_committed_dictionary_is_current():
    committed = (paths.data_dir() / dictionary.DICTIONARY_FILE).read_text(encoding="utf-8")
    assert committed == dictionary.markdown(), (
        "run python -m dbanalysis.catalogue.dictionary --write"
    )
    assert dictionary.main(["--check"]) == 0


def test_every_column_of_every_schema_is_in_the_dictionary_once():
    rows = dictionary.rows()
    listed = [(r["table"], r["column"]) for r in rows]
    declared = [(n, f.name) for n in schema.names() for f in schema.load(n).fields]
    assert sorted(listed) == sorted(declared) and len(set(listed)) == len(listed)
    by = {(r["table"], r["column"]): r for r in rows}
    assert by[("input/figures", "pick")]["constraints"] == "required; ≥ 1"
    assert by[("input/figures", "unit")]["constraints"] == \
        "required; a unit of data/vocab/units.csv"
    assert by[("output/audit", "figure_ids")]["constraints"].endswith("separated by ';'")
    assert by[("input/i18n/vi", "field")]["constraints"].startswith("part of the key")


def test_a_changed_schema_makes_the_committed_dictionary_stale(data_copy, capsys):
    path = data_copy / "schemas" / "output" / "audit.json"
    desc = json.loads(path.read_text(encoding="utf-8"))
    desc["fields"][0]["description"] = "A <b>new</b> description_with_underscores."
    path.write_text(json.dumps(desc), encoding="utf-8")
    assert dictionary.main(["--check"]) == 1
    assert "DICTIONARY.md is out of date" in capsys.readouterr().err
    assert "A &lt;b>new&lt;/b> description\\_with\\_underscores." in dictionary.markdown()
    assert dictionary.main(["--write"]) == 0 and dictionary.main(["--check"]) == 0
