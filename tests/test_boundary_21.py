"""The three checks that set a report figure against the population (grain per head,
household size, sport share) say, with derived figures on the population of the 21
communes left after the boundary change (outside knowledge, data/reference.csv), whether
their conclusion still holds (REVIEW-vi5 N2); and the population's assumption writes the
21 communes from the catalogue, not typed (REVIEW-vi5 N18)."""

from __future__ import annotations

import csv

import pytest
from helpers_data import derived_table

from dbanalysis.audit.run import marked_explanation, run_audit
from dbanalysis.catalogue import formula, reference, sentences
from dbanalysis.catalogue.figures import figure
from dbanalysis.core import paths
from dbanalysis.derive import precision
from dbanalysis.derive.compute import derived_figures

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


#: check id -> the derived figures on the 21 communes' population its caveat writes
CHECKS = {
    "plausibility_grain_output": ["d_agri_food_yield_per_sown_ha_21"],
    "plausibility_household_size": ["d_persons_per_household_21"],
    "range_sport_share_of_population": ["d_culture_sport_share_low_21",
                                       "d_culture_sport_share_high_21"],
}


def test_the_21_commune_figures_are_derived_from_the_declared_population():
    d = derived_table().set_index("figure_id")
    population = reference.value("population_after_move")
    # the declared constant, restated as a derived figure (it links where it is written)
    assert d.loc["d_ref_population_after_move", "formula"] == "ref_population_after_move"
    assert d.loc["d_ref_population_after_move", "value"] == population
    for ids in CHECKS.values():
        for fid in ids:
            names = formula.names(str(d.loc[fid, "formula"]))
            # on the outside population (directly, or through another _21 figure), never
            # on the population implied by the doctor density
            assert "d_ref_population_after_move" in names or any(n.endswith("_21")
                                                                 for n in names), fid
            assert "d_health_population" not in names, fid
            assert d.loc[fid, "reading"] == "21_communes"
    households = figure("sec_households_pledged")["value"]
    assert d.loc["d_persons_per_household_21", "value"] == pytest.approx(population / households)
    per_head = figure("agri_food_per_head")["value"]
    assert d.loc["d_agri_food_output_21", "value"] == pytest.approx(per_head * population / 1000)


@pytest.mark.parametrize("lang, holds, outside", [
    ("en", ", and the conclusion stands.", "also outside knowledge"),
    ("vi", ", kết luận không đổi.", "cũng là thông tin ngoài báo cáo"),
])
def test_each_caveat_says_with_linked_numbers_that_the_conclusion_stands(lang, holds, outside):
    audit = run_audit().set_index("check_id")
    population = sentences.reference_text("ref_population_after_move")
    for check, ids in CHECKS.items():
        text = audit.loc[check, "explanation" if lang == "en" else "explanation_vi"]
        assert text.endswith(holds), (check, text[-120:])
        assert (population.vi if lang == "vi" else population.en) in text
        assert outside in text
        # each number on the 21 communes is the derived figure, marked with its id (the
        # pages link it), written as every page writes it
        marked = marked_explanation(check, lang)
        found = {m.group(1): m.group(2) for m in sentences.MARK.finditer(marked)}
        for fid in ids:
            assert found.get(fid) == precision.display_text(fid, lang), (check, fid)
        # the communes before and after the move are the report's own counts
        assert found.get("sec_forum_communes_total") == "25"
        assert found.get("award_communes") == "21"


def test_a_conclusion_that_fails_on_the_21_communes_says_so(data_copy):
    """With a usual household of at least 4 people, 4.76 per household (the doctor
    density's population) stays within the range and 3.72 (the 21 communes') does not:
    the caveat says the conclusion does not hold on that population."""
    path = data_copy / "reference.csv"
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    next(r for r in rows if r["name"] == "household_size_min")["value"] = "4"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    audit = run_audit().set_index("check_id")
    row = audit.loc["plausibility_household_size"]
    assert row["verdict"] == "consistent"
    assert row["explanation"].endswith(": on that population the conclusion does not hold.")
    assert row["explanation_vi"].endswith(": với số dân này, kết luận không còn đúng.")
    assert audit.loc["plausibility_grain_output", "explanation"].endswith("conclusion stands.")


def test_the_population_assumption_writes_the_communes_left_from_the_catalogue():
    with (paths.data_dir() / "templates" / "derived.csv").open(encoding="utf-8") as fh:
        phrase = next(r for r in csv.DictReader(fh) if r["template_id"] == "population")
    # the template names the figure; it types no count of communes
    assert "{award_communes}" in phrase["en"] and "{award_communes}" in phrase["vi"]
    assert "21" not in phrase["en"] + phrase["vi"]
    d = derived_table().set_index("figure_id")
    communes = f"{figure('award_communes')['value']:.0f}"
    assert communes == "21"
    en = d.loc["d_persons_per_household", "assumption"]
    assert f"only the {communes} communes left" in en
    from dbanalysis.views import translations

    vi = translations.text("derived", "d_persons_per_household", "assumption", en, "vi")
    assert f"chỉ tính {communes} xã còn lại" in vi


def test_a_field_in_a_derived_text_that_names_no_figure_is_an_input_error(data_copy):
    path = data_copy / "templates" / "derived.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "{award_communes} communes left does", "{award_comunes} communes left does", 1),
        encoding="utf-8")
    with pytest.raises(sentences.TemplateError, match=r"(?s)derived\.csv.*award_comunes"):
        derived_figures()
