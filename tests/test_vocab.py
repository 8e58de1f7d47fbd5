"""The vocabularies in data/vocab/: one file each, read by every module that needs them."""

from __future__ import annotations

import pytest

from dbanalysis.audit import run as audit
from dbanalysis.catalogue import numbers, vocab
from dbanalysis.core.inputs import InputError

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


def test_verdicts_one_list_two_orders() -> None:
    assert list(audit.summary_counts(audit.run_audit())) == vocab.verdict_ids()
    assert vocab.verdict_ids() == ["consistent", "inconsistent", "ambiguous", "unverifiable"]
    assert vocab.verdicts_by_severity()[0] == "inconsistent"
    assert vocab.verdicts_by_severity()[-1] == "consistent"
    assert vocab.verdict_label("inconsistent", "vi") == "không khớp"


def test_qualifiers_word_to_id_to_labels() -> None:
    words = numbers.qualifier_words()
    assert set(words.values()) <= set(vocab.qualifiers().index)
    assert vocab.qualifier_label(words["hơn"], "vi") == "trên/hơn"
    assert vocab.QUALIFIERS["estimate"] == ("estimate", "ước")


def test_award_levels_national_first_and_every_figure_has_one() -> None:
    assert vocab.AWARD_LEVELS == vocab.level_ids() == [
        "national", "provincial", "district", "commune"]
    assert set(vocab.award_levels()["level"]) <= set(vocab.level_ids())


def test_unknown_ids_in_vocab_files_fail_with_the_file_named(data_copy, monkeypatch) -> None:
    data = data_copy
    with (data / "vocab" / "qualifier_words.csv").open("a", encoding="utf-8") as fh:
        fh.write("chừng,roughly\n")
    with (data / "vocab" / "award_levels.csv").open("a", encoding="utf-8") as fh:
        fh.write("award_x,hamlet,stated,x\n")
    for fn in (numbers.qualifier_words, vocab.qualifiers, vocab.levels, vocab.award_levels):
        fn.cache_clear()
    try:
        with pytest.raises(InputError, match=r"(?s)qualifier_words\.csv.*unknown qualifier "
                                             r"'roughly'"):
            vocab.qualifiers()
        with pytest.raises(vocab.VocabError, match=r"(?s)award_levels\.csv.*unknown level "
                                                   r"'hamlet'"):
            vocab.award_levels()
    finally:
        monkeypatch.undo()
        for fn in (numbers.qualifier_words, vocab.qualifiers, vocab.levels, vocab.award_levels):
            fn.cache_clear()


def test_categories_of_checks_and_exclusions_are_vocabularies(data_copy):
    """Every audit check's category and every exclusion's category is declared once in
    data/vocab; an undeclared one is an input error naming the file and line."""
    from dbanalysis.catalogue.coverage import load_exclusions
    from dbanalysis.catalogue.source import report_text

    assert set(audit.run_audit()["category"]) <= set(vocab.audit_categories().index)
    assert vocab.little_testing_categories() == ["sanity"]
    path = data_copy / "coverage_exclusions.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",year_label,", ",year_lable,", 1), encoding="utf-8")
    with pytest.raises(InputError) as err:
        load_exclusions(report_text())
    assert str(path) in str(err.value) and "year_lable" in str(err.value)


def test_english_writes_the_singular_after_one() -> None:
    """"1 criteria" was on the new-rural page: after a number written 1, English takes the
    unit's singular; Vietnamese has no plural; 1.5 stays plural."""
    from dbanalysis.views.text import fmt

    assert fmt(1, "criterion", "en") == "1 criterion"
    assert fmt(2, "criterion", "en") == "2 criteria"
    assert fmt(1.5, "commune", "en") == "1.5 communes"
    assert fmt(1, "criterion", "vi") == "1 tiêu chí"


def test_every_plural_count_unit_declares_its_singular() -> None:
    """A count unit whose English label is a plural says what one of it is called."""
    units = vocab.units()
    counts = units[units["dimension"].fillna("").str.startswith("count")]
    missing = [u for u, r in counts.iterrows()
               if r["label_en"].endswith("s") and not r["label_en_one"]
               and u not in ("collective_times",)]  # "collective-times": a tally, no singular
    assert not missing, missing


def test_no_data_text_uses_a_form_the_glossary_deprecates() -> None:
    """The glossary's deprecated forms (``hằng năm`` for the report's ``hàng năm``: review vi3
    B10) are caught in the data's texts themselves, not only on a built site
    (test_vi_edition): every cell of every table in data/, but the glossary that lists them,
    the unit lexicon that reads the report's own spellings, and the report's words quoted
    in “…”."""
    import csv
    import re

    from dbanalysis.core.paths import data_dir

    terms = [t.lower() for t in vocab.glossary()["term_vi"].astype(str)]
    forms = [form.lower() for form in vocab.deprecated_terms()]
    found = []
    for path in sorted(data_dir().rglob("*.csv")):
        if "raw" in path.parts or path.name in ("glossary.csv", "unit_lexicon.csv"):
            continue
        with path.open(encoding="utf-8", newline="") as f:
            for line, row in enumerate(csv.reader(f), start=1):
                for cell in row:
                    low = re.sub(r"“[^“”]*”", lambda m: " " * len(m.group(0)), cell).lower()
                    for form in (f for f in forms if f in low):
                        for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", low):
                            if not any(t != form and form in t
                                       and low.startswith(t, m.start() - t.find(form))
                                       for t in terms):
                                found.append(f"{path.name}:{line}: {form!r}")
    assert not found, found
