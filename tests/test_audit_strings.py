"""One value, one string, in the audit: its explanations write each catalogued or derived
figure as the one display rule does (:func:`dbanalysis.derive.precision.display_text`),
so the audit page, the audit prose of the sector pages and the other pages agree.

In-process and without a build: the audit page's pieces and the pages' figure tables
are rendered by the functions the notebooks call and read as the site test reads a
built site (:func:`test_site_words.one_string_problems`).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import mistune
import pytest
from helpers_html import parse, select_page
from test_site_words import one_string_problems, strings_per_figure

from dbanalysis.audit.run import marked_explanation, run_audit
from dbanalysis.catalogue import sentences, vocab
from dbanalysis.derive import precision
from dbanalysis.render import audit_text, tables

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True

LANGS = ("en", "vi")


def test_every_figure_in_an_explanation_is_written_by_the_display_rule():
    audit = run_audit()
    marks = 0
    for c in audit.itertuples():
        for lang, plain in (("en", c.explanation), ("vi", c.explanation_vi)):
            marked = marked_explanation(c.check_id, lang)
            assert marked is not None and sentences.unmarked(marked) == plain
            for m in sentences.MARK.finditer(marked):
                assert m.group(2) == precision.display_text(m.group(1), lang), (c.check_id, m)
                marks += 1
    assert marks > 150  # the checks write their figures as figures, not as numbers
    # the quantity a check is about, where it is not the figure as shown, says so
    en = audit.set_index("check_id").loc["target_culture_families_target_district",
                                         "explanation"]
    assert "about 19,688 families (computed: 19,688.1)" in en  # vi3 A2: not 19,700


def _audit_pages(site: Path) -> None:
    """The audit page (findings and table) and every sector's audit section, one page per
    edition. The table's figures column writes every figure a check uses as tables and
    prose do (:func:`dbanalysis.render.tables.value_text`), so the explanations are held
    to the other pages' strings without rendering them (the slow site test reads them
    all)."""
    sectors = list(vocab.sectors().index)
    for lang in LANGS:
        folder = site / "vi" if lang == "vi" else site
        folder.mkdir(parents=True, exist_ok=True)
        md = audit_text.findings(verdicts=vocab.verdict_ids(), lang=lang)
        md += "\n\n" + "\n\n".join(audit_text.section(s, lang) for s in sectors)
        html = mistune.html(md) + tables.audit(lang=lang, explain=audit_text.explain).html
        (folder / "12-audit.html").write_text(f"<html><body>{html}</body></html>", "utf-8")


def test_the_audit_writes_a_figure_as_the_pages_do(tmp_path: Path) -> None:
    _audit_pages(tmp_path)
    # it reads the explanations' figures, not only the figures column
    page = parse((tmp_path / "12-audit.html").read_text("utf-8"))  # (as test_site_words)
    explained = {str(el.get("data-fig")) for el in select_page(page, ".db-explain [data-fig]")}
    explained |= {str(a.get("href")).split("#f-")[1]
                  for a in select_page(page, '.db-explain a[href*="source.html#f-"]')}
    assert {"d_culture_families_target_district", "d_trade_turnover_2015_4y",
            "d_labour_poverty_rate_2015_relative", "d_health_population_low",
            "agri_cattle"} <= explained
    vi = strings_per_figure(tmp_path, "vi")
    assert len(vi) > 50
    problems = one_string_problems(tmp_path, {"vi": vi})
    assert not problems, "\n".join(problems)


def test_a_template_cannot_round_a_figure_its_own_way(data_copy) -> None:
    path = data_copy / "templates" / "audit.csv"
    rows = list(csv.reader(path.read_text("utf-8").splitlines()))
    line = next(i for i, r in enumerate(rows, start=1)
                if r[:3] == ["growth_trade_turnover", "unverifiable", "en"])
    rows[line - 1][3] = rows[line - 1][3].replace("{base4}", "{base4:0}")
    with path.open("w", newline="", encoding="utf-8") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    with pytest.raises(sentences.TemplateError) as exc:
        run_audit()
    msg = str(exc.value)
    assert str(path) in msg and f"line {line} (growth_trade_turnover)" in msg
    assert "d_trade_turnover_2015_4y" in msg and "display rule" in msg


def test_a_negative_2015_level_is_held_to_its_unit():
    """REVIEW-vi25 A4: in 12-audit's prose «thì năm 2015 là −469.225 con, một số âm» the
    line could break between the number and its unit. The baseline checks' explanations
    join every value to its unit with a no-break space, both editions."""
    from dbanalysis.audit.run import run_audit

    audit = run_audit().set_index("check_id")
    for lang, column in (("en", "explanation"), ("vi", "explanation_vi")):
        text = audit.loc["baseline_poultry_flock", column]
        unit = "con" if lang == "vi" else "head"
        assert re.search(rf"[\u2212-][\d.,]+\u00a0{unit}\b", text), text
        assert not re.search(rf"\d {unit}\b", text), text


def test_the_provincial_flag_check_ties_its_name_to_the_reports():
    """REVIEW-vi25 B25: the check is titled by the report's name, «Cờ Thi đua xuất sắc của
    UBND tỉnh», and its explanation spoke of «Cờ thi đua của UBND tỉnh»: two names for one
    award, with nothing to say they are one. The explanation gives the report's words,
    quoted as printed, beside the name it uses, in each edition."""
    from dbanalysis.audit.run import run_audit
    from dbanalysis.catalogue.source import report_text

    printed = "Cờ Thi đua xuất sắc của UBND tỉnh"
    assert printed in report_text()
    audit = run_audit().set_index("check_id")
    for column in ("explanation", "explanation_vi"):
        assert f"“{printed}”" in audit.loc["subset_award_prov_flag", column], column
