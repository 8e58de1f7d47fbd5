import ast
import json
import re

import pytest
from helpers_sources import parsed

from dbanalysis.catalogue.coverage import load_exclusions, uncovered_digits, unused_exclusions
from dbanalysis.catalogue.figures import load_figures
from dbanalysis.catalogue.source import load_report
from dbanalysis.core import paths


@pytest.fixture(scope="module")
def text():
    return load_report()


def test_every_digit_in_the_article_is_catalogued_or_excluded(text):
    ex = load_exclusions(text)
    missing = uncovered_digits(text, load_figures(), ex)
    assert missing.empty, "uncatalogued numbers:\n" + missing.to_string()


def test_exclusions_are_not_stale_and_have_categories(text):
    ex = load_exclusions(text)
    assert unused_exclusions(text, ex) == []
    assert set(ex["category"]) <= {"date", "year_label", "document_number", "file_name", "name"}


def test_coverage_detects_a_dropped_figure(text):
    figs = load_figures()
    ex = load_exclusions(text)
    dropped = figs[figs["figure_id"] != "agri_cattle"]
    missing = uncovered_digits(text, dropped, ex)
    assert list(missing["digits"]) == ["42", "998"]


def _distinctive_values():
    """Catalogued values too specific to appear in code by chance."""
    vals = set()
    for v in load_figures()["value"]:
        if v != int(v) or v >= 1000:
            vals.add(float(v))
    return vals


#: A comment that says a literal on its line is not a figure of the report (a layout size
#: that equals one by chance, e.g. a 1.5 px slack beside the 1,5 billion VND of gifts).
NOT_A_FIGURE = "not a figure:"


def _numeric_literals(source: str):
    lines = source.splitlines()
    for node in ast.walk(parsed(source)):
        if isinstance(node, ast.Constant) and isinstance(node.value, int | float) \
                and not isinstance(node.value, bool) \
                and NOT_A_FIGURE not in lines[node.lineno - 1]:
            yield float(node.value)


def test_a_literal_marked_not_a_figure_is_the_only_one_let_through():
    assert list(_numeric_literals("pad = 1.5 + 2.25\n")) == [1.5, 2.25]
    assert list(_numeric_literals("pad = 1.5  # not a figure: px of slack\n")) == []


def test_no_catalogued_value_is_typed_in_code_or_notebooks():
    vals = _distinctive_values()
    offenders = []
    for py in sorted((paths.REPO_ROOT / "src").rglob("*.py")):
        offenders += [(py.name, x) for x in _numeric_literals(py.read_text("utf-8")) if x in vals]
    for nb in paths.report_notebooks(paths.REPO_ROOT / "notebooks"):
        cells = json.loads(nb.read_text("utf-8"))["cells"]
        for c in cells:
            src = "".join(c["source"])
            if c["cell_type"] == "code":
                clean = "\n".join(ln for ln in src.splitlines() if not ln.startswith(("%", "!")))
                offenders += [(nb.name, x) for x in _numeric_literals(clean) if x in vals]
            else:
                # markdown must not retype a figure either (Vietnamese or English notation)
                for tok in re.findall(r"\d[\d.,]*\d|\d", src):
                    for cand in {tok.replace(".", "").replace(",", "."), tok.replace(",", "")}:
                        try:
                            if float(cand) in vals:
                                offenders.append((nb.name, tok))
                        except ValueError:
                            pass
    assert offenders == []


def test_catalogue_csv_has_no_value_column():
    header = paths.figures_path().read_text("utf-8").splitlines()[0].split(",")
    assert "value" not in header


def test_coverage_summary_adds_up(text):
    from dbanalysis.catalogue.coverage import coverage_summary

    figs = load_figures()
    ex = load_exclusions(text)
    s = coverage_summary(text, figs, ex)
    assert s["digit_runs"] == s["in_quotes"] + s["in_exclusions"] + s["uncovered"]
    assert s["uncovered"] == 0 and s["exclusions"] == len(ex)
    dropped = coverage_summary(text, figs[figs["figure_id"] != "agri_cattle"], ex)
    assert dropped["uncovered"] == 2  # '42' and '998' of '42.998'
