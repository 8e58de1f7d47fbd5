
import pandas as pd
import pytest
from helpers_quotes import quote_number as q

from dbanalysis.catalogue.corrections import CorrectionsError, apply_corrections, load_corrections
from dbanalysis.catalogue.figures import CatalogError, load_figures

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


def test_declared_corrections_cover_the_known_problems():
    cor = load_corrections().set_index("figure_id")
    assert cor.loc["agri_poultry", "status"] == "accepted"
    assert cor.loc["labour_poverty_change", "status"] == "open"
    assert cor.loc["sec_forum_communes_total", "status"] == "open"
    assert cor.loc["sec_forum_communes_total", "corrected_value_formula"] == ""
    assert (cor["reason"].str.len() > 20).all()


def test_load_figures_never_applies_corrections():
    assert load_figures().set_index("figure_id").loc["agri_poultry", "value"] == q("agri_poultry")


def test_apply_corrections_marks_corrected_rows():
    fixed = apply_corrections().set_index("figure_id")
    row = fixed.loc["agri_poultry"]
    assert row["value"] == pytest.approx(q("agri_poultry") * 1_000_000)
    assert row["value_as_written"] == q("agri_poultry")
    # the reason as declared: a template naming the stated rise (filled where it is shown)
    assert bool(row["corrected"]) and "{agri_poultry_change}" in row["correction_reason"]
    others = fixed.drop(index="agri_poultry")
    assert not others["corrected"].any()
    assert (others["value"] == others["value_as_written"]).all()
    assert (others["correction_reason"] == "").all()
    # open ambiguities are not applied
    assert fixed.loc["sec_forum_communes_total", "value"] == q("sec_forum_communes_total")


def test_unknown_figure_id_names_line_and_id(data_copy):
    csv = data_copy / "corrections.csv"
    df = pd.read_csv(csv, dtype=str, keep_default_na=False)
    df.loc[2, "figure_id"] = "agri_unicorns"
    df.to_csv(csv, index=False)
    with pytest.raises(CorrectionsError) as err:
        load_corrections()
    msg = str(err.value)
    assert str(csv) in msg and "line 4 (agri_unicorns): unknown figure_id" in msg
    assert isinstance(err.value, CatalogError)


def test_bad_status_and_formula_are_reported(data_copy):
    csv = data_copy / "corrections.csv"
    df = pd.read_csv(csv, dtype=str, keep_default_na=False)
    df.loc[0, "corrected_value_formula"] = "agri_poultry * nonsense_id"
    df.loc[1, "status"] = "maybe"
    df.to_csv(csv, index=False)
    with pytest.raises(CorrectionsError) as err:
        apply_corrections()
    msg = str(err.value)
    assert "line 2 (agri_poultry): formula names unknown id(s) ['nonsense_id']" in msg
    assert "line 3 (labour_poverty_change): unknown status 'maybe'" in msg
