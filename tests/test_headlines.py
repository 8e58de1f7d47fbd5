"""Headline findings: declared in data/findings.csv, trust computed from the data."""

from __future__ import annotations

import re

import pytest
from helpers_data import derived_table, move_fewer_communes

from dbanalysis.audit.run import run_audit
from dbanalysis.catalogue import vocab
from dbanalysis.catalogue.corrections import apply_corrections
from dbanalysis.catalogue.figures import load_figures
from dbanalysis.render import headlines
from dbanalysis.render.tables import value_text

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True

HEADER = "finding_id,figure_ids,template_en,template_vi\n"


def write(path, rows: list[str]):
    path.write_text(HEADER + "".join(r + "\n" for r in rows), encoding="utf-8")
    return path


def test_findings_file_has_five_to_eight_findings_without_typed_numbers():
    found = headlines.headline_findings()
    assert 5 <= len(found) <= 8
    for f in found:
        for lang, template in f.templates.items():
            literal = re.sub(r"\{[^}]*\}", "", template)
            years = [int(n) for n in re.findall(r"\d+", literal)]
            assert all(2015 <= y <= 2020 for y in years), (f.finding_id, lang, years)


def test_sentences_link_catalogued_values_and_mark_derived_ones():
    f = next(f for f in headlines.headline_findings() if "agri_cattle" in f.figure_ids)
    html = str(f.html("vi"))
    label = load_figures().set_index("figure_id").loc["agri_cattle", "label_vi"]
    assert (f'<a class="fig" href="source.html#f-agri_cattle" title="{label}">'
            f'{value_text("agri_cattle", "vi")}</a>') in html
    assert 'title="agri_cattle"' not in html and 'title="d_agri' not in html
    derived = [i for i in f.figure_ids if i.startswith("d_")]
    assert derived and all(value_text(i, "vi") in html for i in derived)
    assert html.count('class="db-derived"') == len(derived)


def test_trust_follows_corrections_audit_and_derivation(tmp_path, data_copy):
    # an inconsistent check on figures no correction touches (the report's one, the
    # poultry flock, is on a corrected figure since QA-0305 S1)
    move_fewer_communes(data_copy)
    fixed = apply_corrections()
    corrected = fixed.loc[fixed["corrected"], "figure_id"].iloc[0]
    catalogued = set(load_figures()["figure_id"])
    audit = run_audit()
    bad = audit[audit["verdict"] == "inconsistent"]
    bad = bad[[not (set(ids.split(";")) & set(fixed.loc[fixed["corrected"], "figure_id"]))
               for ids in bad["figure_ids"]]].iloc[0]
    bad_ids = [i for i in bad["figure_ids"].split(";") if i in catalogued]
    clean = next(i for i in sorted(catalogued)
                 if all(i not in ids.split(";") for ids in audit["figure_ids"]))
    rows = [
        f"a,{corrected},The value {{{corrected}}}.,Giá trị {{{corrected}}}.",
        "b," + ";".join(bad_ids) + "," + " ".join(f"{{{i}}}" for i in bad_ids) + ","
        + " ".join(f"{{{i}}}" for i in bad_ids),
        f"c,{clean},Only {{{clean}}}.,Chỉ {{{clean}}}.",
    ]
    found = {f.finding_id: f for f in
             headlines.headline_findings(write(tmp_path / "f.csv", rows))}
    assert found["a"].trust == "corrected"
    assert found["b"].trust == "inconsistent"
    assert (bad["check_id"], "inconsistent") in found["b"].checks
    assert found["c"].trust == "stated" and found["c"].checks == ()


def test_a_derived_value_makes_a_finding_derived(tmp_path):
    d = derived_table()
    audit_ids = {i for ids in run_audit()["figure_ids"] for i in ids.split(";")}
    fixed = apply_corrections()
    corrected = set(fixed.loc[fixed["corrected"], "figure_id"])
    pick = next(r for r in d.itertuples()
                if not (set(r.inputs) & (audit_ids | corrected)) and r.figure_id not in audit_ids)
    f, = headlines.headline_findings(write(tmp_path / "f.csv", [
        f"x,{pick.figure_id},Value {{{pick.figure_id}}}.,Giá trị {{{pick.figure_id}}}."]))
    assert f.trust == "derived"


def test_bad_rows_are_all_reported_with_file_line_and_id(tmp_path):
    path = write(tmp_path / "f.csv", [
        "ok,agri_cattle,{agri_cattle},{agri_cattle}",
        "ok,agri_cattle,{agri_cattle},{agri_cattle}",
        "nope,no_such_id,{no_such_id},{no_such_id}",
        "extra,agri_cattle,{agri_cattle} {agri_poultry},{agri_cattle}",
        "short,agri_cattle;agri_poultry,{agri_cattle} {agri_poultry},{agri_cattle}",
        "empty,agri_cattle,{agri_cattle},",
    ])
    with pytest.raises(headlines.FindingsError) as err:
        headlines.read_rows(path)
    msg = str(err.value)
    assert str(path) in msg
    for needle in ("line 3 (ok): duplicate finding_id", "line 4 (nope): unknown figure id(s) "
                   "no_such_id", "line 5 (extra): template_en uses agri_poultry",
                   "line 6 (short): template_vi does not show agri_poultry",
                   "line 7 (empty): empty template_vi"):
        assert needle in msg


def test_template_text_is_escaped(tmp_path):
    f, = headlines.headline_findings(write(tmp_path / "f.csv", [
        'x,agri_cattle,"<b>herd</b> {agri_cattle}","<i>đàn</i> {agri_cattle}"']))
    assert "&lt;b&gt;herd&lt;/b&gt;" in str(f.html("en"))
    assert "<i>" not in str(f.html("vi"))


def test_a_findings_trust_agrees_with_its_figures_status_in_the_tables():
    """The front page's chip never says 'stated' where a sector table says a figure of the
    finding has two readings or is inconsistent, and it names the check that says so."""
    from dbanalysis.render import tables

    derived = derived_table()
    inputs = dict(zip(derived["figure_id"], derived["inputs"], strict=True))
    for finding in headlines.headline_findings():
        base = set().union(*(headlines._catalogued_inputs(i, inputs)
                             for i in finding.figure_ids))
        statuses = {tables.figure_status(f) for f in base}
        doubtful = [s for s in vocab.doubtful_verdicts() if s in statuses]
        if "corrected" in statuses:
            assert finding.trust == "corrected"
        elif doubtful:
            assert finding.trust == doubtful[0], finding.finding_id
            assert doubtful[0] in {v for _, v in finding.checks}
        else:
            assert finding.trust in ("stated", "derived")


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_label_with_a_comma_reads_as_one_term_of_a_tooltips_formula(lang):
    """In a tooltip's formula, "Đàn trâu, bò" read like a list
    ("Đàn trâu, bò ÷ Đàn trâu, bò năm 2015"). Every term of the formula line is the label
    as declared for a formula (data/vocab/labels.csv formula.term), which delimits it."""
    from dbanalysis.core import labels
    from dbanalysis.derive.lookup import derived_frame
    from dbanalysis.views.text import any_label

    term = labels.template("formula.term", lang)
    before, after = term.split("{label}")
    assert before and after and not before[-1].isalnum() and not after[0].isalnum()
    frame = derived_frame()
    tip = headlines.derived_tip("d_agri_cattle_change_pct", lang).splitlines()
    herd, herd_2015 = (any_label(i, lang) for i in frame.loc["d_agri_cattle_change_pct",
                                                              "inputs"])
    if lang == "vi":
        assert herd == "Đàn trâu, bò"  # the label whose comma made the list
    assert tip[0].endswith(f"= ({before}{herd}{after} ÷ {before}{herd_2015}{after} − 1) × 100")
    # every derived figure built on a label with a comma: that label, whole, quoted
    checked = 0
    known = set(frame.index) | set(load_figures()["figure_id"])
    for fid, row in frame.iterrows():
        for i in dict.fromkeys(row["inputs"]):
            name = any_label(i, lang) if i in known else None
            if name and "," in name:
                assert f"{before}{name}{after}" in headlines.derived_tip(fid, lang).split(
                    "\n")[0], (fid, name)
                checked += 1
    assert checked > 0
    # a label with a quotation of its own keeps its inner marks apart from the term's:
    # never a doubled mark (“… “Mái ấm Công đoàn””)
    doubled = [headlines.derived_tip(fid, lang).split("\n")[0] for fid in frame.index]
    doubled = [t for t in doubled if re.search(f"{re.escape(after)}{re.escape(after)}|"
                                               f"{re.escape(before)}{re.escape(before)}", t)]
    assert not doubled, doubled


def test_a_derived_numbers_tip_ends_with_the_assumption_it_rests_on():
    """QA-2130 S4: tapped on a phone, 29.06% (the 2015 poverty rate, fall read in points)
    showed "= 12.85% + 16.21%" and nothing of the reading that makes the sum right. The
    tip ends with the derived table's assumption, in the page's language; a figure that
    assumes nothing has no such line."""
    from dbanalysis.derive.lookup import derived_frame
    from dbanalysis.render.tables import derived

    d = derived_frame()
    assumed = [f for f in d.index if d.loc[f, "assumption"]]
    plain = [f for f in d.index if not d.loc[f, "assumption"]]
    assert "d_labour_poverty_rate_2015_pp" in assumed and "d_agri_cattle_change_pct" in plain
    for lang, head in (("en", "Assumption: "), ("vi", "Giả định: ")):
        table = derived(["d_labour_poverty_rate_2015_pp"], lang).html
        for fid in assumed:
            last = headlines.derived_tip(fid, lang).split("\n")[-1]
            assert last.startswith(head), (fid, lang, last)
        tip = headlines.derived_tip("d_labour_poverty_rate_2015_pp", lang)
        assert tip.split("\n")[-1].removeprefix(head) in table.replace("&#39;", "'")
        assert tip.split("\n")[-1] != tip.split("\n")[-2]
        for fid in plain:
            assert head not in headlines.derived_tip(fid, lang), (fid, lang)


#: How a finding says, in its own sentence, what the report leaves open.
LEAVES_OPEN = {"en": re.compile(r"does not (?:say|state)"),
               "vi": re.compile(r"không (?:nói|nêu)")}


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_finding_with_two_readings_says_what_the_report_leaves_open(lang):
    """QA-0000 R3: the budget finding carried the chip "two readings" while its sentence
    gave the total as plain fact; the other findings with that chip say in their own
    words what the report does not say (which reading, which target)."""
    doubtful = set(vocab.doubtful_verdicts())
    silent = [f.finding_id for f in headlines.headline_findings()
              if f.trust in doubtful and not LEAVES_OPEN[lang].search(str(f.html(lang)))]
    assert not silent, silent


def test_a_derived_numbers_tip_names_each_figure_it_uses_with_its_value():
    """After its formula, a derived number's tip gives one line per figure it uses (in the
    derived table's order, each once): that figure's label and its value as every page
    shows it (a tooltip dropping those lines left a phone reader with a formula of names
    and no numbers, and no test noticed: the export re-read of 2026-12-07). A constant of
    outside knowledge it uses too, its label saying so ("1 = national criteria − 18" left
    out the 19: REREAD-T 2)."""
    from dbanalysis.catalogue import reference
    from dbanalysis.catalogue.figures import figure_ids
    from dbanalysis.core import labels
    from dbanalysis.derive.lookup import derived_frame
    from dbanalysis.views.text import any_label, figure_text, fmt

    d = derived_frame()
    known = figure_ids() | set(d.index)

    def line(i: str, lang: str) -> str:
        if i in known:
            return f"{any_label(i, lang)}: {figure_text(i, lang)}"
        r = reference.table()[i.removeprefix("ref_")]
        return (f"{r.label(lang)} ({labels.text('table.reference', lang)}): "
                f"{fmt(reference.value(r.name), r.unit, lang)}")

    checked = references = 0
    for fid in d.index:
        inputs = list(dict.fromkeys(d.loc[fid, "inputs"]))
        assert inputs, fid  # every derived figure names its inputs
        for lang in ("en", "vi"):
            lines = headlines.derived_tip(fid, lang).split("\n")
            body = lines[1:1 + len(inputs)]
            assert body == [line(i, lang) for i in inputs], (fid, lang, lines)
            rest = lines[1 + len(inputs):]
            assert len(rest) <= 1, (fid, lang, rest)  # at most the assumption line
            checked += len(inputs)
            references += sum(i not in known for i in inputs)
    # every derived figure names its inputs (two of them only a reference constant)
    assert checked >= 2 * len(d.index) and references >= 2 * 3
