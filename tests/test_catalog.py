import shutil

import pandas as pd
import pytest

from dbanalysis.catalogue import vocab
from dbanalysis.catalogue.extract import find_quantities
from dbanalysis.catalogue.figures import CATALOGUE, CatalogError, load_figures, read_catalog_csv
from dbanalysis.catalogue.source import load_report
from dbanalysis.core import paths, schema


@pytest.fixture(scope="module")
def figures():
    return load_figures()


@pytest.fixture(scope="module")
def text():
    return load_report()


def test_catalogue_has_every_row_and_tidy_columns(figures):
    raw = read_catalog_csv()
    assert len(figures) == len(raw) > 100
    assert list(figures.columns) == schema.load(CATALOGUE).columns
    assert figures["figure_id"].is_unique


def test_offsets_point_at_the_quote(figures, text):
    for f in figures.itertuples():
        assert text[f.start:f.end] == f.quote, f.figure_id
        assert f.start <= f.number_start < f.number_end <= f.end, f.figure_id


def test_values_equal_the_parse_of_the_quote_alone(figures):
    """Parse each quote on its own (no context) and compare with the catalogue."""
    raw = read_catalog_csv().set_index("figure_id")
    for f in figures.itertuples():
        q = find_quantities(f.quote)
        pick = int(raw.loc[f.figure_id, "pick"])
        assert len(q) >= pick, f.figure_id
        assert q.iloc[pick - 1]["value"] == f.value, f.figure_id


def test_find_quantities_on_report_finds_every_figure(figures, text):
    q = find_quantities(text)
    for f in figures.itertuples():
        hit = q[(q["number_start"] == f.number_start) & (q["number_end"] == f.number_end)
                & (q["value"] == f.value)]
        assert len(hit) >= 1, f.figure_id


def test_parsed_unit_and_qualifier_agree_with_curation(figures, text):
    """Where the parser reads a unit or qualifier, the curated one must agree.

    Curated units may refine the parser's generic one (e.g. 'đơn vị' in the
    defence paragraph are militia units, not agencies); those refinements are listed
    in data/vocab/unit_refinements.csv (loading enforces the same rule).
    """
    refinements = vocab.unit_refinements()
    assert ("agency", "militia_unit") in refinements
    q = find_quantities(text)
    for f in figures.itertuples():
        hit = q[(q["number_start"] == f.number_start) & (q["value"] == f.value)].iloc[0]
        if isinstance(hit["unit"], str):
            assert hit["unit"] == f.unit or (hit["unit"], f.unit) in refinements, (
                f.figure_id, hit["unit"], f.unit)
        if isinstance(hit["qualifier"], str):
            assert hit["qualifier"] == f.qualifier, (f.figure_id, hit["qualifier"])


def test_some_known_values(figures):
    v = figures.set_index("figure_id")["value"]
    # independent reading of the printed strings
    assert v["agri_sown_area"] == 26142.56
    assert v["budget_revenue"] == 1033.772
    assert v["agri_poultry"] == 1.558  # as printed; see corrections
    assert (v["culture_villages"], v["culture_villages_total"]) == (342, 465)
    assert (v["culture_sport_people_low"], v["culture_sport_people_high"]) == (30500, 31500)


def test_vocabularies_cover_catalogue(figures):
    assert set(figures["unit"]) <= set(vocab.units().index)
    assert set(figures["sector"]) <= set(vocab.sectors().index)
    assert set(figures["kind"]) <= set(vocab.kinds().index)
    for kind in ["level", "change_vs_2015", "growth_rate", "share", "achievement_vs_plan",
                 "count", "total", "component", "range_low", "range_high"]:
        assert kind in vocab.kinds().index
        assert kind in set(figures["kind"]), f"no figure of kind {kind}"


def _copy_data(tmp_path):
    dst = tmp_path / "data"
    shutil.copytree(paths.data_dir(), dst)
    return dst


def test_bad_rows_are_all_reported_with_ids(tmp_path):
    dst = _copy_data(tmp_path)
    csv = dst / "figures.csv"
    df = pd.read_csv(csv, dtype=str, keep_default_na=False)
    df.loc[0, "quote"] = "không có trong báo cáo 123"
    df.loc[1, "unit"] = "furlong"
    df.loc[2, "kind"] = "vibe"
    df.loc[3, "sector"] = "astrology"
    df.loc[4, "figure_id"] = df.loc[5, "figure_id"]
    df.loc[6, "quote"] = "2015"  # occurs many times
    df.loc[7, "pick"] = "9"
    df.to_csv(csv, index=False)
    with pytest.raises(CatalogError) as err:
        load_figures(csv)
    msg = str(err.value)
    assert str(csv) in msg
    assert len(err.value.problems) == 7
    ids = df["figure_id"]
    assert f"line 2 ({ids[0]}): quote not found" in msg
    assert f"({ids[1]}): unknown unit 'furlong'" in msg
    assert f"({ids[2]}): unknown kind 'vibe'" in msg
    assert f"({ids[3]}): unknown sector 'astrology'" in msg
    assert f"line 7 ({ids[5]}): duplicate figure_id (first on line 6)" in msg
    assert "occurs" in msg and "times in the report" in msg
    assert f"({ids[7]}): pick 9 but the quote holds" in msg


def test_missing_column_is_reported(tmp_path):
    dst = _copy_data(tmp_path)
    csv = dst / "figures.csv"
    df = pd.read_csv(csv, dtype=str, keep_default_na=False).drop(columns=["unit"])
    df.to_csv(csv, index=False)
    with pytest.raises(CatalogError, match=r"missing column\(s\) \['unit'\]"):
        load_figures(csv)


def test_catalog_error_is_a_value_error():
    assert issubclass(CatalogError, ValueError)


def test_no_two_figures_of_a_sector_share_a_label(figures):
    """A sector page lists its figures by label: two rows with one label read as a
    duplicate (QA-2130 S5: page 07 listed "All communes", 21, twice, quoting two
    sentences). In either language, a label names one figure of its sector."""
    for lang in ("en", "vi"):
        same = figures[figures.duplicated(["sector", f"label_{lang}"], keep=False)]
        assert same.empty, same[["figure_id", "sector", f"label_{lang}"]].values.tolist()
