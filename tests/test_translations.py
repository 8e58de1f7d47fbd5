"""Vietnamese for the data's English prose: complete, current, and used."""

from __future__ import annotations

import pytest

from dbanalysis.views import translations

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


def test_every_note_assumption_and_correction_has_a_current_translation():
    assert translations.problems() == []


def test_text_translates_and_falls_back_to_english_when_stale():
    (table, id_, field), english = next(iter(translations.translatable().items()))
    vi = translations.text(table, id_, field, english, "vi")
    assert vi != english and vi == translations.catalogue()[(table, id_, field)][1]
    assert translations.text(table, id_, field, english, "en") == english
    assert translations.text(table, id_, field, english + " (edited)", "vi") == (
        english + " (edited)")


def test_a_changed_english_text_makes_its_translation_stale(data_copy):
    text = (data_copy / "corrections.csv").read_text(encoding="utf-8")
    edited = text.replace("no correction can be chosen", "no correction can be picked")
    assert edited != text
    (data_copy / "corrections.csv").write_text(edited, encoding="utf-8")
    found = translations.problems()
    assert found == ["corrections/agri_cattle_growth/reason: stale translation "
                     "(the English text changed)"]


def test_malformed_catalogue_names_file_and_line(data_copy):
    path = data_copy / "i18n" / "vi.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[2] = "figures,x,note"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(translations.TranslationFileError,
                       match=r"vi\.csv: 1 problem\(s\).*\n"
                             r"  line 3 \(\?\): 3 field\(s\), expected 5"):
        translations.catalogue()


def test_a_rule_figures_assumption_is_translated_by_its_rule_template():
    from dbanalysis.core import labels as lb
    from dbanalysis.derive.compute import derived_figures as _derived

    english = _derived().set_index("figure_id").loc["d_budget_revenue_cagr_5y", "assumption"]
    assert english == lb.text("derived.rule.compound.assumption", "en", end=2020,
                              span="2015–2020", n=5)
    assert translations.text("derived", "d_budget_revenue_cagr_5y", "assumption", english,
                             "vi") == lb.text("derived.rule.compound.assumption", "vi",
                                              end=2020, span="2015–2020", n=5)
