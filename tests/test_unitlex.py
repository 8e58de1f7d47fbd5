import shutil

import pytest

from dbanalysis.catalogue import units as unitlex


def test_every_form_maps_to_a_listed_unit_and_tone_variants_are_included():
    forms = unitlex.surface_forms()
    assert set(forms.values()) <= set(unitlex.units_table())
    assert forms["nhà văn hóa"] == forms["nhà văn hoá"] == "cultural_house"
    assert forms["hợp tác xã"] == forms["htx"] == "cooperative"
    assert all(f == f.lower() for f in forms)


@pytest.mark.parametrize(
    ("unit", "label_en", "label_vi"),
    [
        ("percent_per_year", "% a year", "%/năm"),  # listed in units.csv
        ("quintal_per_ha", "quintals per ha", "tạ/ha"),
        ("million_vnd_per_person_year", "million VND per person a year", "triệu đồng/người/năm"),
        ("occurrence_per_year", "cases or seasons a year", "vụ/năm"),
    ],
)
def test_unit_info_composes_per_units(unit, label_en, label_vi):
    info = unitlex.unit_info(unit)
    assert (info["label_en"], info["label_vi"]) == (label_en, label_vi)


@pytest.mark.parametrize("unit", ["quintal_per_house", "nonsense", "ha_per_"])
def test_unit_info_rejects_unknown_ids(unit):
    with pytest.raises(KeyError, match=unit):
        unitlex.unit_info(unit)


def test_compose():
    assert unitlex.compose("kg", ["person", "year"]) == "kg_per_person_year"
    assert unitlex.compose("ha", []) == "ha"


def test_malformed_lexicon_lists_every_bad_line(tmp_path, monkeypatch):
    data = tmp_path / "data"
    shutil.copytree(unitlex.paths.data_dir(), data)
    lex = data / "vocab" / "unit_lexicon.csv"
    lex.write_text(lex.read_text(encoding="utf-8") + "Ha,ha,\nfoo,no_such_unit,\nha,km,\n",
                   encoding="utf-8")
    monkeypatch.setenv("DBANALYSIS_DATA", str(data))
    unitlex.clear_cache()
    try:
        with pytest.raises(unitlex.LexiconError) as info:
            unitlex.surface_forms()
        msg = str(info.value)
        n = len(lex.read_text(encoding="utf-8").splitlines())
        assert "unit_lexicon.csv: 4 problem(s)" in msg
        assert f"line {n} (ha): duplicate surface (first on line 2)" in msg
        assert f"line {n - 2} (Ha): the surface form must be lower case" in msg
        assert f"line {n - 1} (foo): unknown unit 'no_such_unit'" in msg
        assert f"line {n} (ha): also listed as 'ha'" in msg
    finally:
        monkeypatch.delenv("DBANALYSIS_DATA")
        unitlex.clear_cache()
