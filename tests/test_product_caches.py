"""Results remembered per process are keyed on everything they depend on: a formula's
tree and scale on its text; an input file's validated rows on its path, schema,
references and content; the derived-figures table on the data, the language and its
arguments. Each test changes one input and sees the new result."""

from __future__ import annotations

import ast

import pytest
from helpers_data import rewrite_keeping_mtime

from dbanalysis.catalogue import formula
from dbanalysis.core import validation
from dbanalysis.core.inputs import InputError
from dbanalysis.core.language import using as using_language
from dbanalysis.derive import precision


def test_a_formula_is_parsed_once_per_text_and_its_tree_follows_the_text():
    assert formula.parse("a / b * 100") is formula.parse("a / b * 100")  # remembered
    assert ast.dump(formula.parse("a / b * 100")) == ast.dump(ast.parse("a / b * 100", mode="eval"))
    assert ast.dump(formula.parse("a / b * 1000")) != ast.dump(formula.parse("a / b * 100"))
    assert formula.names("b - a") == ["b", "a"] and formula.names("a - b") == ["a", "b"]
    mine = formula.names("a - b")
    mine.append("c")  # a caller's list is its own
    assert formula.names("a - b") == ["a", "b"]
    assert precision._scale("a * 1000") == -3 and precision._scale("a / 100") == 2
    assert precision._scale("a / b") is None


def test_a_bad_formula_is_reported_on_every_call():
    for _ in range(2):
        with pytest.raises(formula.FormulaError, match="uses Attribute"):
            formula.parse("a.b")
        with pytest.raises(formula.FormulaError, match="must be text"):
            formula.names(["a"])  # type: ignore[arg-type]


def test_no_caller_modifies_a_shared_formula_tree():
    """Every caller of a derivation run (the formulas' evaluation, names, precision and
    shares) parses through the shared trees here, not through the test session's disk
    cache of the derived table: afterwards each tree still reads as its text."""
    from dbanalysis.derive import precision as display
    from dbanalysis.derive.compute import derived_figures
    from dbanalysis.derive.precision import share_of

    formula._parsed.cache_clear()
    display._scale.cache_clear()
    derived = derived_figures()  # computed here: every caller asks for its trees
    texts = [str(f) for f in derived["formula"]]
    for text in texts:
        share_of(text)
        display._scale(text)
    assert formula._parsed.cache_info().currsize >= len(set(texts)) > 100
    for text in texts:  # the shared trees still read as their texts
        fresh = ast.parse(text, mode="eval")
        assert ast.dump(formula.parse(text), include_attributes=True) == ast.dump(
            fresh, include_attributes=True), text


# --- validation.read_rows: per path, schema and content of the file and its references

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


def test_an_input_file_edited_between_two_reads_is_read_again(data_copy):
    first = validation.read("input/vocab/pages")
    assert validation.read("input/vocab/pages") == first  # (remembered)
    rewrite_keeping_mtime(data_copy / "vocab" / "pages.csv", "Tổng quan số liệu", "Tổng quan")
    again = validation.read("input/vocab/pages")
    assert again[0]["label_vi"] == "Tổng quan" and first[0]["label_vi"] == "Tổng quan số liệu"
    again[0]["label_vi"] = "changed by a caller"  # rows of the caller's own
    assert validation.read("input/vocab/pages")[0]["label_vi"] == "Tổng quan"


def test_a_damaged_file_gets_its_problems_on_every_read(data_copy):
    path = data_copy / "vocab" / "sectors.csv"
    rewrite_keeping_mtime(path, ",2,01-agriculture", ",two,01-agriculture")
    for _ in range(2):
        with pytest.raises(InputError) as err:
            validation.read("input/vocab/sectors")
        assert err.value.path == path
        assert [(p.line, p.row_id) for p in err.value.problems] == [(3, "agriculture")]
        assert "'two' is not a whole number" in err.value.problems[0].message


def test_a_file_is_read_again_when_a_table_its_keys_reach_changes(data_copy):
    """figures -> sectors (direct), sectors -> pages (through sectors)."""
    assert validation.read("input/figures")
    rewrite_keeping_mtime(data_copy / "vocab" / "pages.csv", "\n01-agriculture,", "\n01-farming,")
    with pytest.raises(InputError, match="unknown page '01-agriculture'"):
        validation.read("input/figures")
    rewrite_keeping_mtime(data_copy / "vocab" / "pages.csv", "\n01-farming,", "\n01-agriculture,")
    assert validation.read("input/figures")
    rewrite_keeping_mtime(data_copy / "vocab" / "sectors.csv", "\nagriculture,", "\nfarming,")
    with pytest.raises(InputError, match="unknown sector 'agriculture'"):
        validation.read("input/figures")


def test_a_file_is_read_again_when_its_schema_changes(data_copy):
    assert validation.read("input/vocab/sectors")
    rewrite_keeping_mtime(data_copy / "schemas" / "input" / "vocab" / "sectors.json",
                           '"minimum": 1,', '"minimum": 1, "maximum": 1,')
    with pytest.raises(InputError, match="order 2 is more than 1"):
        validation.read("input/vocab/sectors")


def test_a_file_is_read_again_when_the_schema_of_a_table_its_keys_reach_changes(data_copy):
    assert validation.read("input/figures")  # figures -> sectors -> pages
    rewrite_keeping_mtime(data_copy / "schemas" / "input" / "vocab" / "pages.json",
                           '"^[0-9]{2}-', '"^[0-9]{3}-')
    with pytest.raises(InputError, match=r"pages.csv(.|\n)*'00-at-a-glance' is not of the pattern"):
        validation.read("input/figures")


def test_the_same_content_at_another_path_or_under_another_schema(data_copy, tmp_path):
    pages = validation.read("input/vocab/pages")
    other = tmp_path / "pages.csv"
    other.write_text((data_copy / "vocab" / "pages.csv").read_text("utf-8").replace(
        "Tổng quan số liệu", "Tổng quan số liệu tỉnh"), "utf-8")
    assert validation.read("input/vocab/pages", other)[0]["label_vi"] == "Tổng quan số liệu tỉnh"
    assert validation.read("input/vocab/pages")[0] == pages[0]
    with pytest.raises(InputError, match="column"):  # the pages file, read as sectors
        validation.read("input/vocab/sectors", data_copy / "vocab" / "pages.csv")


# --- tables.derived: per data, language, sector or ids, on_method_page


def test_the_derived_table_follows_its_data_language_sector_and_page(data_copy):
    from dbanalysis.render import tables

    first = tables.derived("agriculture", "en")
    assert "Derived figure" in first.html
    first.frame.iloc[0, 0] = "changed by a caller"  # a frame of the caller's own
    again = tables.derived("agriculture", "en")
    assert again.html == first.html and again.frame.iloc[0, 0] != "changed by a caller"
    assert "Số liệu tính toán" in tables.derived("agriculture", "vi").html
    for lang in ("en", "vi"):  # the language resolved before the cache is asked
        with using_language(lang):
            assert tables.derived("agriculture").html == tables.derived("agriculture", lang).html
    assert tables.derived("budget", "en").html != first.html
    ids = ["d_agri_poultry_corrected"]
    assert tables.derived(ids, "en").html == tables.derived(tuple(ids), "en").html != first.html
    assert tables.derived("agriculture", "en", on_method_page=True).html != first.html
    rewrite_keeping_mtime(data_copy / "vocab" / "labels.csv",
                           "table.derived_figure,Derived figure,", "table.derived_figure,Derived,")
    edited = tables.derived("agriculture", "en").html
    assert "Derived figure" not in edited and "Derived</th>" in edited
