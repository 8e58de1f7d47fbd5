"""Sentences as data: data/templates/*.csv filled by dbanalysis.catalogue.sentences."""

from __future__ import annotations

import csv
import re

import pytest

from dbanalysis.audit.run import run_audit
from dbanalysis.catalogue import sentences
from dbanalysis.cli import check as checkcmd

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


@pytest.mark.parametrize(("x", "decimals", "lang", "shown"), [
    (26.25, 1, "vi", "26,3"),          # half up, not half to even
    (26.25, 1, "en", "26.3"),
    (0.125, 2, "en", "0.13"),
    (-469225.0, 0, "vi", "\u2212469.225"),  # a true minus sign
    (1033.772, 3, "vi", "1.033,772"),
    (119680.0, -2, "en", "119,700"),
])
def test_numbers_in_a_template(x, decimals, lang, shown):
    assert sentences.number(x, decimals, lang) == shown


def test_every_audit_check_is_written_from_its_template_in_both_languages():
    audit = run_audit().set_index("check_id")
    rows = sentences.table("audit")
    ids = {tid for tid, _, _ in rows}
    for cid, r in audit.iterrows():
        for col in ("explanation", "explanation_vi"):
            assert "{" not in r[col] and "}" not in r[col], (cid, r[col])
    # one and the same wording per family: the cattle herd's explanation is the template's
    assert "growth_cattle" in ids
    assert audit.loc["growth_cattle", "explanation_vi"].startswith("Đàn trâu, bò 42.998 con")
    assert "bình quân nhân" in audit.loc["growth_cattle", "explanation_vi"]


def _write(path, rows):
    with path.open("w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["template_id", "verdict", "lang", "text"])
        w.writerows(rows)


def test_a_bad_template_table_is_an_input_error_naming_every_line(data_copy, capsys):
    path = data_copy / "templates" / "audit.csv"
    rows = list(csv.reader(path.read_text().splitlines()))[1:]
    rows += [["extra", "any", "en", "only in English"],
             ["extra3", "any", "en", "a brace { alone"],
             ["extra2", "any", "en", "{a} and {term:no such term}"],
             ["extra2", "any", "vi", "{a} và {b}"]]
    _write(path, rows)
    with pytest.raises(sentences.TemplateError) as exc:
        sentences.table("audit")
    msg = str(exc.value)
    assert str(path) in msg and "4 problem(s)" in msg and "not a template" in msg
    assert "extra" in msg and "no vi text" in msg
    assert "['b']" in msg and "no such term" in msg
    assert checkcmd.run(None) == 2
    assert str(path) in capsys.readouterr().err


def test_an_edited_template_changes_the_audit_without_code(data_copy):
    path = data_copy / "templates" / "audit.csv"
    rows = list(csv.reader(path.read_text().splitlines()))[1:]
    for r in rows:
        if r[0] == "growth_cattle" and r[1] == "ambiguous" and r[2] == "vi":
            r[3] = "Báo cáo nêu {stated}%/năm, tính lại được {cagr4}%/năm."
    _write(path, rows)
    audit = run_audit().set_index("check_id")
    assert audit.loc["growth_cattle", "explanation_vi"] == \
        "Báo cáo nêu 3,74%/năm, tính lại được 3,50%/năm."


def test_outside_knowledge_in_a_sentence_is_data_text_escaped(data_copy):
    """A ``{ref_<name>}`` field (data/reference.csv, and the unit label it is shown with)
    is data text: escaped in Markdown like a figure's, never written as markup (the
    hostile run found ``<img onerror>`` live on page 03 from the unit's label)."""
    from dbanalysis.views.text import sentence

    _set_cell(data_copy / "vocab" / "units.csv", "commune", "label_en",
              "<img src=x onerror=alert(1)> communes")
    _set_cell(data_copy / "reference.csv", "communes_moved_to_city", "basis_en",
              "[x](javascript:alert(2)) <b onmouseover=alert(3)>b</b>")
    text = sentence("{ref_communes_moved_to_city}; {ref_communes_moved_to_city:basis}", "en")
    assert "<img" not in text and "<b " not in text, text
    assert "&lt;img src=x onerror=alert(1)>" in text and "\\[x\\](javascript" in text, text


def _set_cell(path, key, column, value):
    """Set ``column`` of the row whose first cell is ``key`` in the CSV file ``path``."""
    rows = list(csv.reader(path.read_text(encoding="utf-8").splitlines()))
    for r in rows[1:]:
        if r[0] == key:
            r[rows[0].index(column)] = value
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)


def test_a_data_template_shows_its_words_as_written_and_fills_its_fields():
    """A template read from data (a label row) is data text: its words are escaped, its
    figure fields filled and linked as in any sentence (views.text.data_sentence)."""
    from dbanalysis.views.text import data_sentence

    out = data_sentence("<img src=x onerror=alert(1)> *x* {agri_cattle} and {n}", "en",
                        n="[a](javascript:alert(2))")
    assert "<img" not in out and "&lt;img" in out, out
    assert "*x*" not in out and "\\*x\\*" in out, out  # emphasis stays literal
    assert "](source.html#f-agri_cattle)" in out, out  # the field: a link to its highlight
    # a keyword value is data text too: its brackets escaped, no live link
    assert "\\[a\\](javascript:" in out and not re.search(r"(?<!\\)\]\(javascript", out), out
    plain_text = data_sentence("<b>{agri_cattle}</b>", "vi", links=False)
    assert plain_text.startswith("<b>") and "42.998" in plain_text, plain_text


@pytest.mark.parametrize(("spec", "derived_id"), [("growth", "d_agri_cattle_change_pct"),
                                                  ("base", "d_agri_cattle_2015"),
                                                  ("cagr", "d_agri_cattle_cagr_4y")])
def test_a_value_derived_from_a_figure_is_marked_as_derived(spec, derived_id):
    """QA-2130 S2: ``{agri_cattle:growth}`` ("14.8% more than in 2015", page 01's lede and
    its front-page card) is a derived value: marked with its derived id as ``{d_id}`` is,
    so the site shows its formula; the stated figure beside it stays a link, and without
    links (chart titles, alt text) it is the plain number."""
    from dbanalysis.views.text import sentence, unmark

    for lang in ("en", "vi"):
        shown = sentence(f"{{agri_cattle}}, {{agri_cattle:{spec}}}", lang)
        plain = sentence(f"{{{derived_id}}}", lang, links=False)
        assert f'<span class="db-v" data-fig="{derived_id}">{plain}</span>' in shown, shown
        assert shown.startswith("[") and "(source.html#f-agri_cattle)" in shown
        assert sentence(f"{{agri_cattle:{spec}}}", lang, links=False) == plain
        assert unmark(shown).endswith(f", {plain}")
