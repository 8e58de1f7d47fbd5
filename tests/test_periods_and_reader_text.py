"""The year a figure is shown with follows one rule (data/schemas/input/figures.json,
``period``), checked against the report's own paragraphs; and the texts a reader sees
that the data hold (notes, assumptions, corrections, templates, labels) name no file,
field or id of the package."""

from __future__ import annotations

import csv
import re

import pytest
from helpers_data import derived_table
from helpers_sources import notebook_say_texts

from dbanalysis.audit.run import run_audit
from dbanalysis.catalogue.figure_labels import TO_DATE, period_label
from dbanalysis.catalogue.figures import load_figures
from dbanalysis.catalogue.source import report_text
from dbanalysis.core import paths


@pytest.fixture(scope="module")
def figures():
    return load_figures()


def _paragraph(text: str, start: int) -> str:
    """The report's paragraph (one line of the snapshot) holding offset ``start``."""
    return text[text.rfind("\n", 0, start) + 1:text.find("\n", start) % (len(text) + 1)]


def _dating_paragraph(text: str, start: int) -> str:
    """The paragraph whose words date the figure at ``start``: its own, or, for an item of a
    list, the sentence that introduces the list with a colon (the awards: “Từ năm 2015 đến
    nay, … đó là :”), as long as no paragraph between them names a year or opens another
    list. Empty when neither holds "đến nay"."""
    para = _paragraph(text, start)
    if "đến nay" in para:
        return para
    lines = text[:text.rfind("\n", 0, start) + 1].split("\n")
    for line in reversed(lines):
        if "đến nay" in line:
            return line if line.rstrip().endswith(":") else ""
        if re.search(r"(?<!\d)20\d\d(?!\d)", line) or line.rstrip().endswith(":"):
            return ""
    return ""


def period_problems(figures) -> list[tuple[str, str]]:
    """Figures whose period the report's paragraph does not support: a single year must
    be named in the paragraph before the figure's quote ends; a year read from 'to date'
    must be the paragraph's year or, where it names none, the report's (2020)."""
    text = report_text()
    years = re.compile(r"(?<!\d)(20\d\d)(?!\d)")
    bad = []
    for f in figures.itertuples():
        period = str(f.period)
        para = _dating_paragraph(text, f.start)
        before = text[text.rfind("\n", 0, f.start) + 1:f.end]
        if period.endswith(TO_DATE):
            end = period.removesuffix(TO_DATE)[-4:]
            # a span "từ năm 2015 đến nay" names its start, not its end
            named = set(years.findall(para)) - set(re.findall(r"từ năm (20\d\d)", para.lower()))
            if "đến nay" not in para or not (end in named or (not named and end == "2020")):
                bad.append((f.figure_id, period))
        elif re.fullmatch(r"\d{4}", period) and period not in years.findall(before):
            bad.append((f.figure_id, period))
    return bad


def test_a_year_is_shown_only_where_the_report_gives_it(figures):
    assert period_problems(figures) == []


def test_an_undated_figure_labelled_2020_is_caught(figures):
    """The health paragraph names 2020 only for its forecast, after the doctors."""
    planted = figures.copy()
    planted.loc[planted["figure_id"] == "health_doctors", "period"] = "2020"
    planted.loc[planted["figure_id"] == "infra_households_grid", "period"] = "2019~to-date"
    assert period_problems(planted) == [("infra_households_grid", "2019~to-date"),
                                        ("health_doctors", "2020")]


def test_an_assumed_year_says_so_in_both_languages():
    # no figure named: the report's usual words, quoted in Vietnamese in both editions
    # (not English quoted as if the report printed it, REVIEW-24A 6)
    assert period_label("2019~to-date", "en") == "2019; report: “(tính) đến nay”, i.e. to date"
    assert period_label("2020~to-date", "vi") == "2020; báo cáo ghi “(tính) đến nay”"
    assert period_label("unstated", "en") == "not stated"


def test_an_assumed_year_quotes_the_figures_own_words(figures):
    """REVIEW-vi2 B6: livestock says “tính đến nay”, infrastructure “đến nay”, the sown area
    “Tính đến hết năm 2019, … tính đến nay”; each figure's period quotes its own sentence."""
    assert period_label("2019~to-date", "vi", "agri_cattle") == "2019; báo cáo ghi “tính đến nay”"
    assert period_label("2019~to-date", "vi", "agri_aquaculture_area") == \
        "2019; báo cáo ghi “tính đến nay”"
    assert period_label("2020~to-date", "vi", "infra_villages_water") == \
        "2020; báo cáo ghi “đến nay”"
    assert period_label("2019~to-date", "vi", "agri_sown_area") == \
        "2019; báo cáo ghi “tính đến hết năm 2019 … tính đến nay”"
    assert period_label("2019~to-date", "en", "agri_cattle") == \
        "2019; report: “tính đến nay”, i.e. to date"
    # every quoted piece is the report's, in the figure's sentence, before its number
    text = report_text().lower()
    for f in figures[figures["period"].str.endswith(TO_DATE)].itertuples():
        quoted = re.search(r"“(.+)”", period_label(f.period, "vi", f.figure_id)).group(1)
        at = int(f.number_start)
        for piece in quoted.split(" … "):
            found = text.rfind(piece.lower(), 0, at)
            assert found >= 0, (f.figure_id, piece)
            own = ". " not in text[found:at]  # the figure's own sentence, or a list it heads
            assert own or piece.lower() in _dating_paragraph(text, at), (f.figure_id, piece)
    # the pages show them: the figures table and the source page's tooltip
    from dbanalysis.render import tables
    from dbanalysis.site.sourcepage import tip

    assert "2020; báo cáo ghi “đến nay”" in tables.figures("infrastructure", "vi").html
    assert "2019; báo cáo ghi “tính đến nay”" in tip(["agri_cattle"], "vi")
    # REVIEW-vi3 A4: the awards list opens “Từ năm 2015 đến nay, … đó là :”
    assert period_label("2015-2020~to-date", "vi", "award_gov_flag") == \
        "2015–2020; báo cáo ghi “từ năm 2015 đến nay”"
    assert "2015–2020; báo cáo ghi “từ năm 2015 đến nay”" in tables.figures("awards", "vi").html


def test_a_figure_whose_note_says_no_period_is_never_shown_with_one(figures):
    """REVIEW-vi3 A6: 3,74% was tagged 2015–2019 while its note says the report states no
    period. A note that says so and the period cell agree: the cell opens "not stated",
    and may then say which period the analysis reads."""
    from dbanalysis.views import translations

    found = 0
    for f in figures.itertuples():
        vi_note = translations.catalogue().get(("figures", f.figure_id, "note"), ("", ""))[1]
        if "period is not stated" in str(f.note or "") or "không nêu thời kỳ" in vi_note:
            found += 1
            assert period_label(f.period, "en", f.figure_id).startswith("not stated"), f
            assert period_label(f.period, "vi", f.figure_id).startswith("không nêu"), f
    assert found >= 1
    assert period_label("unstated~2015-2019~to-date", "vi", "agri_cattle_growth") == \
        "không nêu thời kỳ; ở đây tính 2015–2019, báo cáo ghi “tính đến nay”"
    # REVIEW-vi4 B2: tables and charts put the period in parentheses after the value, so
    # the tag has none of its own
    assert "(" not in period_label("unstated~2015-2019~to-date", "vi", "agri_cattle_growth")


def test_the_reports_to_date_is_glossed_one_way_wherever_it_is_said():
    """The gloss of the report's "(tính) đến nay" is one label (``to_date.gloss``), said by
    a table's period cell, Figure 0.1's rows (and so its alt text) and a slope chart's
    subtitle: the English said it three ways (“…”, i.e. to date; (…, to date); the
    report's “to date” (tính đến nay)) and quoted English as if the report printed it
    (“to date”), REVIEW-24A 6. Rewording the gloss rewords all four, in both languages;
    no other label glosses the words itself or quotes “to date”."""
    from dbanalysis.catalogue.figure_labels import span_label, to_date_gloss
    from dbanalysis.core import labels

    users = ("table.period.to_date", "table.period.unstated_reading.to_date",
             "year_span.to_date", "chart.subtitle.to_date")
    for lang in ("en", "vi"):
        for key in users:
            assert "{gloss}" in labels.template(key, lang), (key, lang)
        said = {"cell": period_label("2019~to-date", lang, "agri_cattle"),
                "cell, no figure": period_label("2019~to-date", lang),
                "unstated": period_label("unstated~2015-2019~to-date", lang, "agri_cattle"),
                "row": span_label(2015, "2019~to-date", lang, "agri_cattle"),
                "subtitle": labels.text("chart.subtitle.to_date", lang, year=2019,
                                        gloss=to_date_gloss(lang))}
        own, usual = to_date_gloss(lang, "agri_cattle"), to_date_gloss(lang)
        assert own != usual and "“tính đến nay”" in own and "“(tính) đến nay”" in usual
        # (a chart's row holds the quoted words with no-break spaces: the same gloss)
        assert [w for w, t in said.items() if own not in t.replace("\u00a0", " ")
                and usual not in t.replace("\u00a0", " ")] == [], said
    glossing = [(k, lang) for k, lab in labels.table().items() for lang, t in
                (("en", lab.en), ("vi", lab.vi))
                if k != "to_date.gloss" and ("i.e. to date" in t or "“to date”" in t
                                             or ", to date" in t)]
    assert glossing == []


def test_no_label_types_the_reports_to_date_words():
    """The report's words that date a figure "to date" are said by the one gloss
    (``to_date.gloss`` with the figure's own words, or ``to_date.words``): Figure 1.1's
    Vietnamese title typed “tính đến nay” in ``chart.title.agri_slope`` (FINAL24-A 6),
    which rewording the gloss or another report's words would leave behind. No label
    but ``to_date.words`` types "đến nay". Figure 1.1 says the gloss once, in its
    subtitle (``chart.subtitle.to_date``), in both editions: its title states the
    finding only (with the gloss in the title too, the caption said it twice, and the
    English title quoted Vietnamese)."""
    from dbanalysis.core import labels
    from dbanalysis.plotting.sector_charts import caption_text

    typed = [(k, lang) for k, lab in labels.table().items()
             for lang, t in (("en", lab.en), ("vi", lab.vi))
             if k != "to_date.words" and "đến nay" in t]
    assert typed == [], typed
    for lang in ("en", "vi"):
        title = caption_text("chart.title.agri_slope", lang)
        assert "đến nay" not in title, title
    # (Figure 1.1 as drawn, its subtitle and alt text: test_chart_periods.py, in the chart
    # group, which builds the chart once for every module that reads it)


def test_a_charts_row_never_breaks_inside_the_reports_quoted_words():
    """Figure 0.1's rows broke a line inside the report's quoted “tính đến nay” ("(báo
    cáo ghi “tính đến" / "nay”)" on a phone, "(report: “tính" / "đến nay”, i.e. to date)"
    in English: four rows of the four drawings). A chart's row holds short dating words
    (at most :data:`figure_labels.HELD_WORDS`) together with no-break spaces, which every
    chart wrap honours; a table's period cell and the gloss elsewhere are unchanged, and
    longer words may still break."""
    from dbanalysis.catalogue import figure_labels
    from dbanalysis.catalogue.figure_labels import span_label, to_date_gloss
    from dbanalysis.plotting.chart_text import wrap

    for lang in ("en", "vi"):
        for fid in ("agri_cattle", "agri_aquaculture_area", "agri_fish_output"):
            row = span_label(2015, "2019~to-date", lang, fid)
            quote = re.search(r"“[^”]*”", row).group(0)
            assert quote == "“tính\u00a0đến\u00a0nay”", row
            for width in range(20, 60):  # (a chart wraps at 36 characters and more)
                lines = wrap(f"Đàn trâu, bò, {row}", width).split("\n")
                assert [ln for ln in lines if ln.count("“") != ln.count("”")] == [], lines
            assert "\u00a0" not in period_label("2019~to-date", lang, fid)
            assert "\u00a0" not in to_date_gloss(lang, fid)
    long = " ".join(["tính đến hết năm 2019", "…", "tính đến nay"])
    assert figure_labels.held(long) == long and len(long.split()) > figure_labels.HELD_WORDS


def test_one_reading_of_to_date_is_said_in_one_wording(figures):
    """REVIEW-vi3 B4: the notes of the herd, the poultry, the aquaculture area and the fish
    output say the same thing (2019, the audit also tries 2020) and the change notes
    likewise; the cattle's said it in other words and the changes named the cattle for
    the poultry and the fish. Each reading is one wording, in each language."""
    from dbanalysis.views import translations

    opening = {"en": "Stated “tính đến nay”", "vi": "Báo cáo ghi “tính đến nay” trong một đoạn"}
    for lang in ("en", "vi"):
        dating, spans = set(), set()
        for f in figures.itertuples():
            note = (str(f.note or "") if lang == "en" else
                    translations.catalogue().get(("figures", f.figure_id, "note"), ("", ""))[1])
            if f.period == "2019~to-date" and opening[lang] in note:
                dating.add(note[note.index(opening[lang]):])
            if f.period == "2015-2019~to-date" and note:
                spans.add(note)
        assert len(dating) == 1 and len(spans) == 1, (lang, dating, spans)
    assert "gia súc" not in spans.pop()


#: What a reader must never see in a text the data hold.
INTERNAL = re.compile(r"data/|tests/|\.csv\b|\.py\b|\bref_[a-z]")


def _reader_texts() -> list[tuple[str, str]]:
    """(where, text) for every data text that reaches a page: catalogue notes, correction
    interpretations and reasons, their translations, findings, audit and knowledge
    templates, derived-figure labels and assumptions, labels (not their description column)."""
    out: list[tuple[str, str]] = []

    def rows(name: str):
        with open(paths.data_dir() / name, encoding="utf-8", newline="") as fh:
            return list(csv.DictReader(fh))
    for r in rows("figures.csv"):
        out += [(f"figures {r['figure_id']}", r[c]) for c in ("label_en", "label_vi", "note")]
    for r in rows("corrections.csv"):
        out += [(f"corrections {r['figure_id']}", r[c]) for c in ("interpretation", "reason")]
    for r in rows("i18n/vi.csv"):
        out += [(f"i18n {r['id']}", r["en"]), (f"i18n {r['id']}", r["vi"])]
    for r in rows("findings.csv"):
        out += [(f"findings {r['finding_id']}", r[c]) for c in ("template_en", "template_vi")]
    for name in ("templates/audit.csv", "templates/knowledge.csv"):
        out += [(f"{name} {r['template_id']}", r["text"]) for r in rows(name)]
    for r in rows("vocab/labels.csv"):
        out += [(f"labels {r['key']}", r[c]) for c in ("en", "vi")]
    for r in rows("templates/derived.csv"):
        out += [(f"templates/derived.csv {r['template_id']}", r[c]) for c in ("en", "vi")]
    return out


def test_no_reader_text_names_a_file_or_an_id():
    ids = set(load_figures()["figure_id"]) | set(derived_table()["figure_id"])
    checks = set(run_audit()["check_id"])
    word = re.compile(r"\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b")
    bad = []
    for where, text in _reader_texts():
        visible = re.sub(r"\{[^{}]*\}", "", text or "")  # placeholders are filled, not shown
        bad += [(where, m.group(0)) for m in INTERNAL.finditer(visible)]
        # an audit explanation may name another check: it is shown as that check's title,
        # linked (render.tables.cross_linked; tests/test_audit_titles.py)
        named = ids if where.startswith("templates/audit.csv") else ids | checks
        bad += [(where, w) for w in word.findall(visible) if w in named]
    assert bad == []


#: A sentence that dates a figure to the writing of the report (which an undated figure
#: never is: its period is 'not stated').
DATES_IT = re.compile(r"when the report was written|at the time of the report|khi viết báo cáo"
                      r"|tại thời điểm báo cáo", re.IGNORECASE)
#: The report's own date, allowed beside an undated figure only with 'no year given'.
REPORT_DATE = re.compile(r"September 2020|tháng 9/2020", re.IGNORECASE)
NO_YEAR = re.compile(r"no year|không ghi năm", re.IGNORECASE)


def _prose_texts() -> list[tuple[str, str]]:
    """(where, text) of the findings' templates and every notebook's db.say(en=, vi=)."""
    out: list[tuple[str, str]] = []
    with open(paths.data_dir() / "findings.csv", encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            out += [(f"findings {r['finding_id']}", r[c]) for c in ("template_en", "template_vi")]
    notebooks = paths.REPO_ROOT / "notebooks"  # not beside data_dir(): empty if elsewhere
    assert paths.report_notebooks(notebooks), f"no report notebook in {notebooks}"
    out += [(where, text) for where, _lang, text in notebook_say_texts(notebooks)]
    return out


def undated_dating(texts, figures) -> list[tuple[str, str]]:
    """Sentences that give an undated figure ({placeholder} of a figure whose period is
    'not stated') the report's date: 'when the report was written', or September 2020
    without saying the report gives no year."""
    undated = set(figures.loc[figures["period"] == "unstated", "figure_id"])
    bad = []
    for where, text in texts:
        for sentence in re.split(r"(?<=[.!?])\s+|\n\n", text):
            used = {m.split(":")[0] for m in re.findall(r"\{([^{}]+)\}", sentence)}
            if not used & undated:
                continue
            if DATES_IT.search(sentence) or (REPORT_DATE.search(sentence)
                                             and not NO_YEAR.search(sentence)):
                bad.append((where, sentence))
    return bad


def test_no_lede_dates_an_undated_figure(figures):
    assert undated_dating(_prose_texts(), figures) == []


def test_a_lede_dating_an_undated_figure_is_caught(figures):
    old = [("07 en", "In September 2020, when the report was written, the district had "
                     "**{health_doctors:n} doctors**."),
           ("07 vi", "Tại thời điểm báo cáo (tháng 9/2020), toàn huyện có "
                     "{health_doctors:n} bác sỹ."),
           ("index vi", "Khi viết báo cáo, {health_stations_with_doctor:n}/21 trạm y tế xã có "
                        "bác sỹ; báo cáo không ghi năm."),
           ("ok vi", "Báo cáo (đăng tháng 9/2020, không ghi năm của số liệu) nêu "
                     "{health_doctors:n} bác sỹ.")]
    assert [w for w, _ in undated_dating(old, figures)] == ["07 en", "07 vi", "index vi"]


def test_every_analysis_page_leads_with_its_finding():
    """REVIEW-vi4 B1: thirteen pages opened with "Trang này phân tích …" / "What the report
    … says about …" before their finding. On every page but the method page, the title
    cells hold the title alone and the first thing after them a reader sees is the lede
    (the code cell tagged ``lede``), not a description of the page."""
    import nbformat

    pages = [p for p in paths.report_notebooks(paths.REPO_ROOT / "notebooks")
             if p.stem != "00-data-and-method"]
    assert len(pages) >= 13
    for page in pages:
        cells = nbformat.read(page, as_version=4).cells
        titles = [c for c in cells[:2] if c.cell_type == "markdown"]
        assert [c.source.strip().count("\n") for c in titles] == [0, 0], page.name
        after = [c for c in cells[2:] if c.cell_type == "markdown"
                 or "lede" in c.metadata.get("tags", [])]
        assert "lede" in after[0].metadata.get("tags", []), page.name


def test_prose_says_a_to_date_figure_with_the_one_gloss() -> None:
    """``{id:to_date}`` in a notebook's sentence is the gloss a table's period says for the
    same figure (label ``to_date.gloss``, the figure's own words), not words typed in the
    notebook: the period cell of a to-date figure ends with exactly that text."""
    from dbanalysis.views.text import sentence

    figures = load_figures().set_index("figure_id")
    for lang in ("en", "vi"):
        for fid in ("agri_cattle", "agri_fish_output"):
            said = sentence(f"{{{fid}:to_date}}", lang=lang)
            assert "tính đến nay" in said, said
            assert str(period_label(figures.loc[fid, "period"], lang, fid)).endswith(said)
    typed = [where for where, _, text in notebook_say_texts(paths.REPO_ROOT / "notebooks")
             if "“tính đến nay”, i.e. to date" in text or "ghi “tính đến nay”" in text]
    assert not typed, f"{typed}: say {{id:to_date}} instead of typing the gloss"


def test_no_headline_finding_types_the_reports_to_date_words():
    """REREAD-A N1: two front-page findings typed the gloss of “tính đến nay” (in three
    templates) beside the one declaration, ``{id:to_date}``, which the notebooks' same
    sentences use. No finding template types "đến nay"; rendered, the cattle finding says
    the figure's gloss once per language, as text (not a second link beside the value's)."""
    from markupsafe import escape

    from dbanalysis.catalogue.figure_labels import to_date_gloss
    from dbanalysis.render.headlines import headline_findings, render

    found = {f.finding_id: f for f in headline_findings()}
    typed = [(fid, lang) for fid, f in found.items() for lang, t in f.templates.items()
             if "đến nay" in t]
    assert typed == [], typed
    for lang in ("en", "vi"):
        page = str(render(found["cattle"].templates[lang], lang))
        gloss = str(escape(to_date_gloss(lang, "agri_cattle")))
        assert page.count(gloss) == 1, page
        before = page.split(gloss)[0]
        assert before.count("<a ") == before.count("</a>"), page  # not inside a link
