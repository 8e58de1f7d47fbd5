"""Tables for people: notation, precision, status, links, escaping, determinism."""

from __future__ import annotations

import functools
import math
import re

import pytest
from bs4 import BeautifulSoup
from helpers_data import derived_table, move_fewer_communes
from helpers_html import markup_before, parse, select_page, text
from markupsafe import escape

from dbanalysis.catalogue import units, vocab
from dbanalysis.catalogue.figures import load_figures
from dbanalysis.catalogue.source import report_text
from dbanalysis.core import labels
from dbanalysis.derive import precision
from dbanalysis.render import tables

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


SECTORS = sorted(set(load_figures()["sector"]))


@functools.cache
def _figures_table(sector: str, lang: str) -> tables.ReaderTable:
    """A sector's figure table in ``lang``, rendered once for the module's tests that only
    read it (test_figure_tables_are_for_people, the printed-value test and the "as above"
    tests each rendered all or some of the 34: ~0.8 s of CPU); the determinism test
    renders its own, twice, and a test that changes the data or a label its own."""
    return tables.figures(sector, lang)


def _cells(table: tables.ReaderTable) -> list[BeautifulSoup]:
    return BeautifulSoup(table.html, "html.parser").select("td")


def test_printed_decimals_are_those_of_the_number_in_the_report():
    text = report_text()
    for f in load_figures().itertuples():
        number = text[f.number_start:f.number_end]
        expected = len(number) - number.index(",") - 1 if "," in number else 0
        assert precision.printed_decimals(f.figure_id) == expected, f.figure_id


def test_ratios_keep_three_significant_figures_and_counts_stay_whole():
    d = derived_table().set_index("figure_id")
    # doctors / density: a ratio, in people (its range's ends share a finer place:
    # test_bound_rounding)
    pop = d.loc["d_health_population"]
    k = precision.decimals("d_health_population")
    assert k == precision.SIGNIFICANT - 1 - math.floor(math.log10(pop["value"]))
    shown = precision.shown(pop["value"], k)
    assert isinstance(shown, int) and len(str(shown).rstrip("0")) <= precision.SIGNIFICANT
    # a difference of whole counts is a whole count, shown exactly
    base = d.loc["d_agri_cattle_2015"]
    assert precision.shown(base["value"], precision.decimals("d_agri_cattle_2015")) == int(
        base["value"])
    # rescaling by a power of ten is not a ratio: 1,558 (three decimals) million is exact
    assert precision.derived_decimals(1558000.0, "head", "agri_poultry * 1000000", [3]) == -3
    assert precision.derived_decimals(1558000.0, "head", "a * b", [3, 0]) == -4
    assert precision.derived_decimals(2.5, "commune", "a / b", [0, 0]) == 0
    # a sum or difference of counts is known only to its least precise count's place
    assert precision.derived_decimals(1088773.0, "head", "a - b", [-3, 0]) == -3
    assert precision.derived_decimals(2.5, "percent", "a - b", [1, 2]) == 2


def test_a_derived_count_is_shown_inside_its_rounding_range():
    """Review vi3 A2: 20.769 families ÷ 105,49 % is 19.688,1 ± 0,93; three significant
    figures showed 19.700, a target the report's own figures rule out. Every derived count
    that multiplies or divides is shown at a number inside the range the audit computes
    (each printed input varying by half its last digit), and never with decimals."""
    from dbanalysis.audit.context import Context

    ctx = Context(load_figures())
    d = derived_table().set_index("figure_id")
    checked = 0
    for fid, row in d.iterrows():
        if not units.is_count(row["unit"]) or precision._scale(row["formula"]) is not None:
            continue
        tol = ctx.tol(fid)
        shown = precision.display_value(fid)
        assert isinstance(shown, int), (fid, shown)
        assert abs(shown - row["value"]) <= max(tol, 0.5), (fid, row["value"], tol, shown)
        checked += 1
    assert checked >= 5
    assert precision.display_text("d_culture_families_target_district", "vi") == "19.688"
    # rates keep three significant figures, however narrow their range
    assert precision.decimals("d_agri_fish_output_cagr_4y") == 1
    assert (precision.range_decimals(0.93), precision.range_decimals(1100.0)) == (1, -3)


def test_the_counts_of_whole_things_are_the_units_table_count_dimensions(tmp_path, monkeypatch):
    """Which units count whole things is read from data/vocab/units.csv (dimension
    ``count of …``), not listed in code: a count unit added to the table is rounded to
    whole numbers, and so are the table's count units a hand list missed (pupils,
    enterprises); a per-unit (head per household) is a ratio."""
    import shutil

    assert precision.derived_decimals(12.5, "pupil", "a / b", [0, 0]) == 0
    assert precision.derived_decimals(12.5, "enterprise", "a + b", [1, 0]) == 0
    assert precision.derived_decimals(2.5, "head_per_household", "a / b", [0, 0]) == 2
    data = tmp_path / "data"
    shutil.copytree(units.paths.data_dir(), data)
    monkeypatch.setenv("DBANALYSIS_DATA", str(data))
    assert precision.derived_decimals(12.5, "kiosk", "a / b", [0, 0]) == 1  # not listed
    table = data / "vocab" / "units.csv"
    table.write_text(table.read_text(encoding="utf-8")
                     + "kiosk,kiosks,ki-ốt,count of buildings,market kiosks (ki-ốt),kiosk,\n",
                     encoding="utf-8")
    assert "kiosk" in units.count_units()
    assert precision.derived_decimals(12.5, "kiosk", "a / b", [0, 0]) == 0
    assert precision.derived_decimals(12.5, "kiosk", "a + b", [1, 0]) == 0


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_corrected_count_is_shown_at_the_corrections_precision(lang):
    """The corrected value of a figure is written by the display rule of the
    corrected reading (1,558 printed with three decimals, read as millions: 1,558,000),
    never with the printed figure's decimals; a count has none."""
    from dbanalysis.catalogue.corrections import corrected_values
    from dbanalysis.derive import ids as dids
    figs = load_figures().set_index("figure_id")
    checked = 0
    for fid in corrected_values():
        shown = _cells(tables.figures([fid], lang))[1].get_text("|").split("|")[0]
        number = precision.display_text(dids.corrected(fid), lang)
        assert number in shown.split(), (fid, shown)
        if figs.loc[fid, "unit"] in units.count_units():  # a count: no decimal part
            assert ("," if lang == "vi" else ".") not in number, (fid, number)
        checked += 1
    assert checked


@pytest.mark.parametrize("sector", SECTORS)
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_figure_tables_are_for_people(sector, lang):
    table = _figures_table(sector, lang)
    figs = load_figures()
    ids = list(figs.loc[figs["sector"] == sector, "figure_id"])
    assert len(table.frame) == len(ids)
    for cell in _cells(table):
        text = cell.get_text()
        assert "nan" not in text.lower().split() and not re.search(r"\de[+-]\d", text), text
        assert "unstated" not in text
    values = [c for c in _cells(table) if "num" in c["class"]]
    assert [a["href"] for c in values for a in c.select("a.fig")] == [
        f"source.html#f-{i}" for i in ids]
    for fid, cell in zip(ids, values, strict=True):
        f = figs.set_index("figure_id").loc[fid]
        if f["unit"] in units.count_units() and tables.figure_status(fid) != "corrected":
            assert not re.search(r"[.,]0\b", cell.get_text()), cell.get_text()


def test_vietnamese_notation_and_labels():
    vi = _figures_table("agriculture", "vi")
    en = _figures_table("agriculture", "en")
    area = load_figures().set_index("figure_id").loc["agri_sown_area"]
    number = report_text()[area["number_start"]:area["number_end"]]
    assert number in vi.frame.iloc[0, 1]  # the report's own notation, e.g. 26.142,56
    assert number.replace(".", "_").replace(",", ".").replace("_", ",") in en.frame.iloc[0, 1]
    assert list(vi.frame.columns) == tables.header_row("figures", "vi")
    assert 'lang="vi"' in vi.html


def test_corrected_figure_shows_the_correction_and_keeps_the_printed_value():
    table = tables.figures(["agri_poultry"], "en")
    cell = table.frame.iloc[0, 1]
    assert tables.figure_status("agri_poultry") == "corrected"
    assert "1,558,000" in cell and labels.text("table.as_printed", "en") in cell
    assert table.frame.iloc[0, 3] == tables.status_label("corrected", "en")


def test_inconsistent_figures_are_marked(data_copy):
    from dbanalysis.audit.run import run_audit

    # one more inconsistent check than the report has (QA-0305 S1 left the poultry flock
    # alone, on a corrected figure): 3 communes moved, so the forum's 25 fits neither count
    move_fewer_communes(data_copy)
    audit = run_audit()
    bad = audit[audit["verdict"] == "inconsistent"]
    ids = {i for c, s in zip(bad["category"], bad["figure_ids"], strict=True)
           for i in tables.questioned(c, s)} - {"agri_poultry"}
    assert ids
    assert {tables.figure_status(i) for i in ids} == {"inconsistent"}


def test_a_badge_marks_the_figure_in_question_not_those_it_was_tested_against():
    # the stated 3.74% a year is no compound rate of the printed herd and its rise (possible
    # as a mean of yearly rates or a compound rate to an estimated 2020 herd); those two
    # agree with each other, so only the rate is in doubt
    assert tables.figure_status("agri_cattle_growth") == "ambiguous"
    assert tables.figure_status("agri_cattle") == "stated"
    assert tables.figure_status("agri_cattle_change") == "stated"
    # 25 communes against the district's 21: two readings (before/after the 2019 move)
    assert tables.figure_status("sec_forum_communes_total") == "ambiguous"
    assert tables.figure_status("award_communes") == "stated"
    # 'đạt 100% NQ' has two readings; the 19 stations of 21 are not in doubt
    assert tables.figure_status("health_stations_doctor_vs_resolution") == "ambiguous"
    assert tables.figure_status("health_stations_with_doctor") == "stated"
    # the budget's coverage is in doubt, not the industrial output it is set against
    assert tables.figure_status("ind_output_total") == "stated"


def test_data_text_is_escaped(monkeypatch):
    figs = load_figures().copy()
    figs.loc[0, "label_en"] = '<img src=x onerror="alert(1)">'
    monkeypatch.setattr(tables, "load_figures", lambda: figs)
    html = tables.figures([figs.loc[0, "figure_id"]], "en").html
    assert "<img" not in html and "&lt;img src=x" in html


def test_column_headers_are_escaped(monkeypatch):
    """A header label (data/vocab/labels.csv) holding HTML is shown, not run (pandas'
    Styler does not escape headers unless told to)."""
    from dbanalysis.core import labels

    real = labels.text
    hostile = "Figure <img src=x onerror=alert(7)><script>alert(8)</script>"
    monkeypatch.setattr(labels, "text", lambda key, *a, **k:
                        hostile if key == "table.figure" else real(key, *a, **k))
    html = tables.figures("budget", "en").html
    assert "<img" not in html and "<script" not in html
    assert "Figure &lt;img src=x onerror=alert(7)&gt;&lt;script&gt;" in html


@pytest.fixture(scope="module")
def audit_tables() -> dict[str, tables.ReaderTable]:
    """The audit table as each edition shows it (built once for the module's tests)."""
    return {lang: tables.audit(lang=lang) for lang in ("en", "vi")}


def test_tables_are_deterministic_and_audit_is_most_severe_first(audit_tables):
    assert tables.figures("budget").html == tables.figures("budget").html
    audit = audit_tables["en"]
    # a check that tests little carries its mark beside the verdict
    mark = labels.text("table.verdict.sanity", "en", verdict="")
    verdicts = [v.replace(mark, "") for v in audit.frame["Verdict"]]
    assert len(verdicts) > sum(v != w for v, w in zip(verdicts, audit.frame["Verdict"],
                                                        strict=True)) > 0
    order = [vocab.verdict_label(v, "en") for v in ("inconsistent", "ambiguous", "unverifiable",
                                                 "consistent")]
    assert verdicts == sorted(verdicts, key=order.index)
    assert all(c.select("a") for c in _cells(audit)[::4])  # every check links to its anchor


def test_notes_and_assumptions_are_in_the_page_language():
    from dbanalysis.views import translations
    from dbanalysis.views.text import plain

    vi = tables.notes("agriculture", "vi")
    en = tables.notes("agriculture", "en")
    figs = load_figures()
    with_notes = figs[(figs["sector"] == "agriculture") & figs["note"].notna()]
    # QA-2130 S7: figures whose notes read the same share a row, each note said once
    for lang, table in (("en", en), ("vi", vi)):
        notes = [plain(translations.text("figures", fid, "note", note, lang), lang)
                 for fid, note in zip(with_notes["figure_id"], with_notes["note"],
                                      strict=True)]
        shown = [BeautifulSoup(str(c), "html.parser").get_text() for c in table.frame.iloc[:, 2]]
        assert shown == list(dict.fromkeys(notes)), lang
        assert len(shown) < len(notes)  # page 01 repeats two notes
        for fid, note in zip(with_notes["figure_id"], notes, strict=True):
            row = shown.index(note)
            names = str(table.frame.iloc[row, 0]).split("<br>")
            label = with_notes.set_index("figure_id").loc[fid, f"label_{lang}"]
            assert str(escape(label)) in names, (lang, fid)
            assert f"#f-{fid}" in str(table.frame.iloc[row, 1]), (lang, fid)
    derived_vi = tables.derived("agriculture", "vi")
    assert "Giả định" in derived_vi.frame.columns


def test_formulas_are_shown_in_words_with_values_on_hover():
    d = derived_table().set_index("figure_id")
    formula = d.loc["d_agri_cattle_change_pct", "formula"]
    html = tables.formula_text(formula, "vi")
    terms = BeautifulSoup(html, "html.parser").select("span.term")
    figs = load_figures().set_index("figure_id")
    assert [t["data-id"] for t in terms] == ["agri_cattle", "d_agri_cattle_2015"]
    # the tooltip is the value a reader knows, never the id
    assert [t["title"] for t in terms] == [tables.value_text("agri_cattle", "vi"),
                                           tables.value_text("d_agri_cattle_2015", "vi")]
    # each label as a term of a formula (labels.csv formula.term: quoted, one quantity)
    assert terms[0].get_text() == f"“{figs.loc['agri_cattle', 'label_vi']}”"
    assert terms[1].get_text() == f"“{d.loc['d_agri_cattle_2015', 'label_vi']}”"
    text = BeautifulSoup(html, "html.parser").get_text()
    assert "÷" in text and "×" in text and "_" not in text


def test_powers_and_roots_are_written_as_readers_write_them():
    """No programmer's ``^``: ``(1 + g ÷ 100) ** 4`` gets a superscript exponent and
    ``(a ÷ b) ** (1 / 4)`` is the 4th root of its bracketed base, in every derived formula."""
    d = derived_table().set_index("figure_id")
    powered = [f for f in d["formula"] if "**" in f]
    assert powered
    for formula in powered:
        for lang in ("en", "vi"):
            text = BeautifulSoup(tables.formula_text(formula, lang), "html.parser").get_text()
            assert "^" not in text and "\x00" not in text, text
            assert text.count("(") == text.count(")"), text
    cagr = tables.formula_text(d.loc["d_agri_cattle_cagr_4y", "formula"], "vi")
    text = BeautifulSoup(cagr, "html.parser").get_text()
    assert text.startswith("(căn bậc 4 của (“") and text.endswith("− 1) × 100"), text
    # a single quoted term keeps no brackets of its own: not (“Đàn trâu, bò”) ÷ (…)
    assert "(“Đàn trâu, bò”)" not in text and "” ÷ “" in text, text
    base = tables.formula_text("agri_cattle / (1 + agri_cattle_growth / 100) ** 4", "en")
    assert BeautifulSoup(base, "html.parser").get_text().endswith("÷ 100)⁴")


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_audit_table_marks_the_sanity_checks_the_count_calls_testing_little(
        lang, audit_tables):
    from dbanalysis.render import audit_text

    html = str(audit_tables[lang]._repr_html_())
    cells = [td.get_text() for td in BeautifulSoup(html, "html.parser").select("td")]
    mark = labels.text("table.verdict.sanity", lang, verdict="")
    assert sum(mark.strip() in c for c in cells) == audit_text.counts()["sanity"] > 0


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_corrected_figures_printed_value_never_stands_alone(lang, audit_tables):
    """QA-0000 R9: the notes of page 01, the method page's derived table ("From") and the
    audit table ("Figures") showed "estimated 1.558 head" as a plain value; the figure
    tables write it under the corrected value, after "as printed:". Every table that
    links a corrected figure's printed value says so, in the report's own characters
    (QA-0305 S5: not "as printed: estimated 1.558 head", which the report never printed)."""
    from dbanalysis.catalogue.corrections import apply_corrections
    from dbanalysis.catalogue.figures import figure
    from dbanalysis.catalogue.source import report_text
    from dbanalysis.views.figure_cells import figure_cells

    fixed = apply_corrections()
    corrected = set(fixed.loc[fixed["corrected"].astype(bool), "figure_id"])
    assert corrected
    said = labels.text("table.as_printed", lang)
    html = "".join(str(t(s, lang).html) for s in vocab.sectors().index
                   for t in (_figures_table, tables.notes, tables.derived))
    html += str(audit_tables[lang].html)
    alone, checked = [], 0
    page = parse(html)  # (lxml: 400 kB of tables; BeautifulSoup's trees took ~0.1-0.2 s)
    for fid in corrected:
        # the value as a cell gives it (not a number in prose), or as the report prints it
        printed = figure_cells(fid, lang).printed
        f = figure(fid)
        assert printed and printed.strip("“").startswith(
            report_text()[int(f["number_start"]):int(f["number_end"])])
        # linked: the printed text whole, or its value in the page's notation within it
        shown = {tables.value_text(fid, lang), printed,
                 tables.figure_text(fid, lang, qualifier=False)}
        for a in select_page(page, f'a[href$="#f-{fid}"]'):
            if text(a) not in shown:
                continue
            checked += 1
            before = markup_before(a)
            if not before.rstrip().endswith(f"{said}:") and \
                    not before.endswith(f"{said}: " + printed.partition(text(a))[0]):
                alone.append(f"{fid}: …{before[-40:]!r} {text(a)}")
    assert checked, "no table links a corrected figure's printed value: nothing was checked"
    assert not alone, alone[:5]


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_long_period_repeated_row_after_row_is_said_once(lang):
    """QA-0305 S14: the awards' period ("2015–2020; report: “từ năm 2015 đến nay”, i.e. to
    date") was written on all its rows (a card each on a phone); it is written on the first
    and the rows after it say "as above". A short period ("2019") is repeated as it is."""
    same = labels.text("table.period.same", lang)
    periods = _figures_table("awards", lang).frame.iloc[:, 2].tolist()
    assert len(periods) > 10 and len(periods[0]) > len(same)
    assert periods[1:15] == [same] * 14, periods
    # said again after a row with another period (the communes: not stated)
    other = next(i for i, p in enumerate(periods) if p not in (periods[0], same))
    assert periods[other + 1] == periods[0] and periods[0] not in periods[1:other], periods
    short = _figures_table("agriculture", lang).frame.iloc[:, 2].tolist()
    assert short[1:4] == ["2019"] * 3, short


def test_both_editions_say_as_above_on_the_same_rows_and_repeat_a_short_period():
    """REREAD-0420A 3: "as above" was decided by each edition's own text length, so a
    repeated "not stated" (10 characters against "as above", 8) became "as above" on the
    health and security pages, sending a phone reader back several cards, and the two
    editions could point back on different rows. A short period is now said again, and
    both editions point back on the same rows."""
    not_stated = {lang: labels.text("table.not_stated", lang) for lang in ("en", "vi")}
    repeated = 0
    for sector in sorted(set(load_figures()["sector"])):
        periods = {lang: _figures_table(sector, lang).frame.iloc[:, 2].tolist()
                   for lang in ("en", "vi")}
        said_again = {lang: [i for i, p in enumerate(periods[lang])
                             if p == labels.text("table.period.same", lang)]
                      for lang in ("en", "vi")}
        assert said_again["en"] == said_again["vi"], sector
        for lang in ("en", "vi"):
            runs = [i for i in range(1, len(periods[lang]))
                    if periods[lang][i - 1] == periods[lang][i] == not_stated[lang]]
            repeated += len(runs)
    assert repeated, "no sector repeats 'not stated' on consecutive rows: nothing was checked"


def test_a_figure_as_printed_is_the_reports_own_characters():
    """REREAD-0420A 2: "as printed" took the unit from the vocabulary (“785 kg/người/năm”,
    “tỷ đồng”), not what the report printed (“785kg/người/năm”, “tỉ đồng”). For every
    catalogued figure, the printed text a page shows is the report's characters: each
    edition's quoted or leading part is in the report, number and unit."""
    from dbanalysis.views.text import printed_text

    text = report_text()
    checked = 0
    for fid in load_figures()["figure_id"]:
        en = printed_text(fid, "en")
        assert en.startswith("“") and en[1:en.index("”")] in text, (fid, en)
        vi = printed_text(fid, "vi")
        assert vi.split(" (tức ")[0] in text, (fid, vi)
        checked += 1
    assert checked > 100


def _set_cells(path, key: str, changes: dict[str, str]) -> None:
    """Rewrite the row of CSV ``path`` whose first cell is ``key`` with ``changes``."""
    import csv

    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    hit = [r for r in rows if next(iter(r.values())) == key]
    assert len(hit) == 1, key
    hit[0].update(changes)
    with path.open("w", encoding="utf-8", newline="") as f:
        out = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        out.writeheader()
        out.writerows(rows)


def test_a_qualifiers_words_are_those_of_the_data_read_now(data_copy, monkeypatch):
    """The qualifiers' words are kept by id once read (vocab.qualifier_labels_by_id: a dict
    lookup where ``QUALIFIERS`` was made anew, ~0.3 ms, for every qualified number), for
    the frame the data read now gives: a process that has written a qualifier with the
    repository's data writes an edited copy's word as soon as DBANALYSIS_DATA points at
    it, in every function that writes one."""
    from dbanalysis.catalogue.figure_labels import qualifier_before_number, qualifier_label

    def said() -> tuple:
        return (qualifier_label("over", "en"), qualifier_before_number("over", "en"),
                qualifier_before_number("estimate", "en"), vocab.QUALIFIERS["over"])

    with monkeypatch.context() as mp:
        mp.delenv("DBANALYSIS_DATA")
        assert said() == ("over", "over", "estimated", ("over", "trên/hơn"))  # (rows kept)
    _set_cells(data_copy / "vocab" / "qualifiers.csv", "over", {"label_en": "above"})
    _set_cells(data_copy / "vocab" / "qualifiers.csv", "estimate",
               {"before_number_en": "roughly"})
    assert said() == ("above", "above", "roughly", ("above", "trên/hơn"))


def test_a_derived_row_is_one_of_the_derived_frame_read_now(monkeypatch):
    """derive.lookup.derived_row keeps the rows it has taken out of the derived frame (a
    dict lookup and a copy where ``.loc`` took the row each time), for that frame only:
    another frame (the data changed) gives its own rows; and a row given out is a copy,
    whose change the next lookup does not see."""
    from dbanalysis.derive import lookup

    fid = "d_awards_national_share"
    frame = lookup.derived_frame()
    row = lookup.derived_row(fid)
    assert row.equals(frame.loc[fid]) and row.name == fid
    row["label_en"] = "changed by a caller"
    assert lookup.derived_row(fid)["label_en"] == frame.loc[fid, "label_en"]
    edited = frame.copy()
    edited.loc[fid, "label_en"] = "edited"
    monkeypatch.setattr(lookup, "derived_frame", lambda: edited)
    assert lookup.derived_row(fid)["label_en"] == "edited"
    with pytest.raises(KeyError, match="no derived figure 'd_none'"):
        lookup.derived_row("d_none")
    with pytest.raises(KeyError, match="'d_none' is neither a catalogued nor a derived"):
        tables.value_text("d_none", "en")


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_every_input_of_a_derived_figure_is_in_its_inputs_cell(lang):
    """The derived table's "inputs" column gives every input of the formula: a reference
    constant (outside knowledge) too, with its value in the page's notation and marked
    as from outside the report (it listed only the report's figures: the rows derived
    from a constant alone had an empty cell)."""
    from babel.numbers import format_decimal

    from dbanalysis.catalogue import reference
    from dbanalysis.derive.lookup import derived_frame

    d = derived_frame()
    table = tables.derived(list(d.index), lang)
    cells = dict(zip(table.frame.iloc[:, 1].map(lambda c: re.search(r'data-fig="([^"]+)"',
                                                                    c)[1]),
                     table.frame.iloc[:, 3], strict=True))
    marker = labels.text("table.reference", lang)
    refs = 0
    for fid, names in d["inputs"].items():
        soup = BeautifulSoup(cells[fid], "html.parser")
        assert len(soup.find_all(["a", "span"], recursive=False)) == len(names), fid
        for name in (n for n in names if n.startswith("ref_")):
            refs += 1
            value = format_decimal(reference.value(name.removeprefix("ref_")), locale=lang)
            shown = [s.get_text() for s in soup.find_all("span", recursive=False)
                     if s.get_text().endswith(f" ({marker})")]
            assert any(re.match(re.escape(value) + r"(?!\d)", t) for t in shown), (fid, shown)
    assert refs >= 4
