"""Sentences as data: data/templates/*.csv filled by dbanalysis.catalogue.sentences."""

from __future__ import annotations

import csv

import pytest

from dbanalysis.audit.run import run_audit
from dbanalysis.catalogue import sentences
from dbanalysis.cli import check as checkcmd


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
    assert audit.loc["growth_cattle", "explanation_vi"].startswith("Đàn gia súc 42.998 con")
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
        if r[0] == "growth_cattle" and r[1] == "inconsistent" and r[2] == "vi":
            r[3] = "Báo cáo nêu {stated}%/năm, tính lại được {cagr4}%/năm."
    _write(path, rows)
    audit = run_audit().set_index("check_id")
    assert audit.loc["growth_cattle", "explanation_vi"] == \
        "Báo cáo nêu 3,74%/năm, tính lại được 3,50%/năm."
