"""The notes on the figures (data/figures.csv ``note``, their Vietnamese in data/i18n/vi.csv)
type no number: every number in a note is a ``{field}`` of the package's one formatter (a
catalogued or derived figure, a constant of outside knowledge from data/reference.csv),
a year, or inside a quotation of the report that really occurs in the raw text."""

from __future__ import annotations

import re

import pytest

from dbanalysis.catalogue import reference
from dbanalysis.catalogue.figures import load_figures
from dbanalysis.catalogue.source import report_text
from dbanalysis.render import tables
from dbanalysis.views import translations
from dbanalysis.views.text import plain

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True

#: A field of the formatter: ``{agri_cattle}``, ``{d_health_population:n}``, ``{ref_van:n}``.
FIELD = re.compile(r"\{[^{}]*\}")
#: A quotation in a note: ‘…’ or '…' (an apostrophe inside a word opens none) or “…”.
QUOTE = re.compile(r"(?<![\w’'])['‘]([^'‘’]+?)['’](?!\w)|“([^”]+)”")
#: A year (2015, 2019, 2020), written as itself, never a placeholder; in Vietnamese also a
#: month of a year as administrative text writes a date ("tháng 9/2020", REVIEW-vi4 B9):
#: a date, not a quantity.
YEAR = re.compile(r"(?:tháng (?:0?[1-9]|1[0-2])/)?(?<!\d)(?:19|20)\d\d(?!\d)")
#: What stands for a filled field while the quotations are read.
_SLOT = "\ue000"


def typed_numbers(note: str, raw: str) -> list[str]:
    """What in ``note`` (a template) breaks the rule: a quotation with a typed number, or in
    Vietnamese letters, that is not in ``raw`` (pieces around an ellipsis are looked up
    one by one), and every number outside fields, quotations and years."""
    text = FIELD.sub(_SLOT, note)
    found = []
    for m in QUOTE.finditer(text):
        quoted = m.group(1) or m.group(2)
        if _SLOT in quoted:
            continue  # a reading written with a figure's own fields ('{x:printed} triệu con')
        if re.search(r"\d", quoted) or not quoted.isascii() or m.group(2):
            pieces = [p.strip() for p in re.split(r"…|\.\.\.", quoted) if p.strip()]
            found += [f"quotation not in the report: {quoted!r}"
                      for p in pieces if p not in raw][:1]
    rest = YEAR.sub("", QUOTE.sub("", text))
    found += [f"typed number {m.group(0)!r}" for m in re.finditer(r"\d[\d.,]*", rest)]
    return found


def _notes() -> dict[tuple[str, str], str]:
    """(figure id, language) -> the note's template."""
    figs = load_figures()
    out = {}
    for fid, note in zip(figs["figure_id"], figs["note"], strict=True):
        if isinstance(note, str) and note:
            out[(fid, "en")] = note
            out[(fid, "vi")] = translations.catalogue()[("figures", fid, "note")][1]
    return out


def test_the_rule_catches_a_typed_number_and_a_misquote():
    raw = "tổng đàn gia cầm ước đạt 1,558 con, tăng 469.227 con"
    assert typed_numbers("Printed '1,558 con', up {agri_poultry_change}.", raw) == []
    assert typed_numbers("a rise of 469,227 head", raw) == ["typed number '469,227'"]
    assert typed_numbers("read as “1,558 triệu con”", raw) == [
        "quotation not in the report: '1,558 triệu con'"]
    assert typed_numbers("read as “{agri_poultry:printed} triệu con” in 2019", raw) == []
    assert typed_numbers("the report's 'to date' (end-2019)", raw) == []


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_no_note_types_a_number(lang):
    raw = report_text()
    bad = {fid: problems for (fid, lg), note in _notes().items() if lg == lang
           for problems in [typed_numbers(note, raw)] if problems}
    assert not bad, bad


def _correction_texts() -> dict[tuple[str, str, str], str]:
    """(figure id, field, language) -> the reading or the reason of a declared correction
    (data/corrections.csv, their Vietnamese in data/i18n/vi.csv): the reason a template as
    the notes, the reading plain text (it is also its corrected figure's assumption)."""
    from dbanalysis.catalogue.corrections import load_corrections

    out = {}
    for r in load_corrections().itertuples():
        for field in ("interpretation", "reason"):
            text = str(getattr(r, field) or "")
            if text:
                out[(r.figure_id, field, "en")] = text
                out[(r.figure_id, field, "vi")] = translations.catalogue()[
                    ("corrections", r.figure_id, field)][1]
    return out


def test_no_correction_types_a_number_and_each_fills_with_its_numbers_linked():
    """The Corrections table (page 00-data-and-method) typed 1,558,000, 469,227, 16.21,
    12.85, 25 and 21: a reason's numbers are fields of the one formatter, a reading has
    none (the table's other columns show the printed words and the figures)."""
    raw = report_text()
    texts = _correction_texts()
    assert len(texts) >= 16
    bad = {key: found for key, text in texts.items() for found in [typed_numbers(text, raw)]
           if found}
    assert not bad, bad
    for (fid, field, lang), text in texts.items():
        shown = plain(text, lang)
        assert "{" not in shown and "}" not in shown, (fid, field, lang, shown)
    html = tables.corrections("vi").html
    assert 'href="source.html#f-agri_poultry_change"' in html  # the rise, linked
    assert "469.227 con</a>" in html and "469,227" not in html


def test_every_note_fills_in_both_languages_with_its_numbers_linked():
    for (fid, lang), note in _notes().items():
        text = plain(note, lang)
        assert "{" not in text and "}" not in text, (fid, lang, text)
    html = tables.notes(["health_doctor_density"], "vi").html
    # the doctors (catalogued) link to the source page, the population (derived) is marked
    assert 'href="source.html#f-health_doctors"' in html
    assert 'data-fig="d_health_population"' in html
    assert "66 bác sỹ</a> với tỷ lệ" in html


def test_a_constant_a_note_names_lists_that_figure_as_a_user():
    for name, r in reference.table().items():
        naming = {fid for (fid, _), note in _notes().items() if f"{{ref_{name}" in note}
        figures = {i for i in r.used_by if not i.startswith("d_")} & set(
            load_figures()["figure_id"])
        assert naming == figures, name


def test_a_note_with_an_unknown_field_is_an_input_error(data_copy):
    from dbanalysis.cli import check

    path = data_copy / "figures.csv"
    path.write_text(path.read_text(encoding="utf-8").replace(
        "{health_stations_total:n} stations", "{health_station_total:n} stations"),
        encoding="utf-8")
    with pytest.raises(translations.NoteError,
                       match=r"(?s)figures\.csv.*line \d+ \(health_stations_total\): the note "
                             r"cannot be filled: KeyError: 'health_station_total'"):
        translations.check_notes()
    assert check.main([]) == 2


#: A mark written in a note's text instead of its field (``{sic}``): "(sic)", "[nguyên văn]".
_MARK_WORDS = re.compile(r"\bsic\b|nguyên văn", re.IGNORECASE)


def test_each_mark_is_written_one_way():
    """QA-1450 item 5: "[sic]" on page 03 but "(sic)" on 06 ("[nguyên văn]" /
    "(nguyên văn)"): a note sets the field ``{sic}``, written as data/vocab/labels.csv
    declares it, the same in every note."""
    from dbanalysis.core import labels

    typed = {key: note for key, note in _notes().items()
             if _MARK_WORDS.search(note.replace("{sic}", ""))}
    assert not typed, f"a mark typed instead of {{sic}}: {typed}"
    marked = {key: plain(note, key[1]) for key, note in _notes().items() if "{sic}" in note}
    assert {fid for fid, _ in marked} >= {"budget_revenue_vs_plan", "edu_basic_completion"}
    for (fid, lang), text in marked.items():
        mark = labels.text("note.mark.sic", lang)
        assert mark in text and text.count(mark) == _notes()[(fid, lang)].count("{sic}"), text
        others = {"(sic)", "[sic]", "(nguyên văn)", "[nguyên văn]"} - {mark}
        assert not [o for o in others if o in text], text


def test_english_notes_quote_the_report_with_double_quotes():
    """QA-1450 item 6: the period tags quote the report “tính đến nay”, the notes did
    'tính đến nay': the report's own words (Vietnamese or with a number, found in the
    report) are quoted “…” in English too; single quotes are left for our words ('to
    date', a reading such as '{x:printed} triệu con', the word meant: 'xuất' for 'suất')."""
    raw = report_text()
    single = re.compile(r"(?<![\w’'])['‘]([^'‘’]+?)['’](?!\w)")
    found = {}
    for (fid, lang), note in _notes().items():
        if lang != "en":
            continue
        text = FIELD.sub(_SLOT, note)
        for m in single.finditer(text):
            words = m.group(1)
            if text[:m.start()].endswith(" for "):
                continue  # the word meant, ours: 'xuất' for 'suất'
            report_words = not words.isascii() or re.search(r"\d", words)
            pieces = [p.strip() for p in re.split(r"…|\.\.\.", words) if p.strip()]
            if report_words and _SLOT not in words and all(p in raw for p in pieces):
                found.setdefault(fid, []).append(m.group(0))
            # what the report says, rendered in English, as the period tags write it
            # (2019 (report: “to date”)); QA-1610 item 18
            if text[:m.start()].endswith("report: "):
                found.setdefault(fid, []).append(m.group(0))
    assert not found, found
