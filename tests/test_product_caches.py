"""Results remembered per process are keyed on everything they depend on: a formula's
tree and scale on its text; an input file's validated rows on its path, schema,
references and content; the derived-figures table on the data, the language and its
arguments. Each test changes one input and sees the new result."""

from __future__ import annotations

import ast

import pytest

from dbanalysis.catalogue import formula
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
    from dbanalysis.derive.lookup import derived_frame
    from dbanalysis.derive.precision import share_of

    texts = [str(f) for f in derived_frame()["formula"]]  # derived: every caller has asked
    assert texts
    for text in texts:  # the shared trees still read as their texts
        share_of(text)
        fresh = ast.parse(text, mode="eval")
        assert ast.dump(formula.parse(text), include_attributes=True) == ast.dump(
            fresh, include_attributes=True), text
