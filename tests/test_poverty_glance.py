"""Fig. 0.1's poverty panel (REVIEW-vi5 N8, C16(b), N1): the usual reading, in percentage
points, first, as every text of the site gives it; a row of its own in the chart's data
table; and the relative reading's rounding note said on page 00 as on page 04, from one
template (data/vocab/labels.csv ``poverty.relative.rounding``)."""

from __future__ import annotations

import html
from pathlib import Path

import nbformat
import pytest
from helpers_charts import read_chart

from dbanalysis.core import labels
from dbanalysis.derive import precision
from dbanalysis.derive.lookup import derived_row
from dbanalysis.notebook.bilingual import output_lang
from dbanalysis.views import text as vtext

NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.mark.parametrize("lang, first, second", [
    ("vi", "cách hiểu thông thường", "cách hiểu giảm tương đối"),
    ("en", "the usual reading", "is a relative fall"),
])
def test_the_poverty_panel_puts_the_percentage_point_reading_first(lang, first, second):
    fig = read_chart("0.1 change_since_2015", lang)
    rate = fig.axes[-1]  # the rate panel, under the levels
    names = [" ".join(t.get_text().split()) for t in rate.get_yticklabels()]
    ticks = list(rate.get_yticks())
    top_down = [n for _, n in sorted(zip(ticks, names, strict=True), reverse=True)]
    assert len(top_down) == 2 and first in top_down[0] and second in top_down[1], top_down
    # one label per reading, declared once (the derived figure's, data/templates/derived.csv):
    # the chart's row says what the derived-figures table beneath it says (QA-1945 R7)
    for name, derived_id in zip(top_down, ("d_labour_poverty_fall_pp_points",
                                           "d_labour_poverty_fall_relative_points"),
                                strict=True):
        assert name == derived_row(derived_id)[f"label_{lang}"], name
        # the rate, then the years it runs over (REVIEW-vi8 X11, NOTE-session7 A4: no arrow in a
        # label), then what is drawn
        assert (" 2015–2019: " if lang == "vi" else ", 2015–2019: ") in name
    # the chart records the derived figure of each reading, the usual one first: its data
    # table lists a row for each (C16(b): the row in points was missing)
    ids = fig.dbanalysis["derived_ids"]
    assert ids.index("d_labour_poverty_fall_pp_points") \
        < ids.index("d_labour_poverty_fall_relative_points")
    points = precision.display_text("d_labour_poverty_fall_pp_points", lang)
    assert points == ("16,21" if lang == "vi" else "16.21")
    derived = "số tính toán" if lang == "vi" else "derived"
    label = derived_row("d_labour_poverty_fall_pp_points")[f"label_{lang}"]
    row = [r for r in fig.dbanalysis["rows"] if r[0] == label]
    assert len(row) == 1 and row[0][1].startswith(points) and row[0][2] == derived, row


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_derived_table_beneath_names_the_poverty_rows_as_the_chart_does(lang):
    import dbanalysis as db
    from dbanalysis.core.language import using

    with using(lang):
        shown = html.unescape(db.derived_table(db.reading_ids(derived=True))._repr_html_())
    for derived_id in ("d_labour_poverty_fall_pp_points", "d_labour_poverty_fall_relative_points"):
        assert derived_row(derived_id)[f"label_{lang}"] in shown


def _notes(notebook: str, lang: str, words: str) -> list[str]:
    """The Markdown outputs in ``lang`` of an executed notebook that hold ``words``."""
    nb = nbformat.read(NOTEBOOKS / f"{notebook}.ipynb", as_version=4)
    return [str(o["data"]["text/markdown"]) for c in nb.cells if c.cell_type == "code"
            for o in c.get("outputs", []) if "text/markdown" in o.get("data", {})
            and output_lang(o) == lang and words in str(o["data"]["text/markdown"])]


@pytest.mark.parametrize("lang, words", [("vi", "trước khi làm tròn"),
                                         ("en", "before rounding")])
def test_pages_00_and_04_say_the_same_rounding_note_from_one_template(lang, words):
    note = vtext.sentence("{n}", lang, n=vtext.label_sentence("poverty.relative.rounding"))
    assert "15,336" in note or "15.336" in note
    for notebook in ("00-at-a-glance", "04-labour-jobs-poverty"):
        assert _notes(notebook, lang, words) == [note], notebook
    # the template is data: its own words, never a number typed in it
    template = labels.template("poverty.relative.rounding", lang)
    assert not any(ch.isdigit() for ch in template.replace("2015", ""))


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_the_rounding_note_gives_the_difference_of_the_rates_as_shown(lang):
    """REVIEW-vi7 W11: the note gives the number (15.3 − 12.85 = 2.45 beside 2.49), a
    derived figure whose formula rounds the 2015 rate as the display rule shows it."""
    note = vtext.unmark(vtext.sentence("{n}", lang, n=vtext.label_sentence(
        "poverty.relative.rounding"), links=False))
    shown_2015 = precision.display_text("d_labour_poverty_rate_2015_relative", lang)
    shown_2019 = precision.display_text("labour_poverty_rate", lang)
    assert f"{shown_2015}% − {shown_2019}%" in note, note

    def number(text: str) -> float:
        return float(text.replace(".", "").replace(",", ".") if lang == "vi" else text)

    # the difference a reader makes of the two numbers shown, said in the note, and
    # different from the fall computed before rounding, also said
    difference = round(number(shown_2015) - number(shown_2019), 2)
    said = precision.display_text("d_labour_poverty_fall_relative_points_shown", lang)
    assert number(said) == pytest.approx(difference) and said in note
    unrounded = precision.display_text("d_labour_poverty_fall_relative_points", lang)
    assert unrounded in note and unrounded != said
    # the rounding in the formula is the display rule's: the two cannot drift apart
    spec = derived_row("d_labour_poverty_fall_relative_points_shown")
    assert spec["formula"].startswith("round(d_labour_poverty_rate_2015_relative, "
                                      f"{precision.decimals('d_labour_poverty_rate_2015_relative')})")
    assert "số hơi khác" not in note and "slightly different" not in note
    # its tooltip writes the rounding in words, with the value shown
    from dbanalysis.render.headlines import derived_tip

    words = (f"(lấy số đã làm tròn: {shown_2015}%) − " if lang == "vi"
             else f"as shown ({shown_2015}%) − ")
    assert words in derived_tip(
        "d_labour_poverty_fall_relative_points_shown", lang)


@pytest.mark.parametrize("lang, points, condition, relative", [
    ("vi", "điểm phần trăm", "nếu ", "tương đối"),
    ("en", "percentage points", "if ", "relative"),
])
def test_a_poverty_value_in_percent_names_points_only_as_the_condition(lang, points, condition,
                                                                     relative):
    """REVIEW-vi25 B1: 55.8% labelled "… (giảm tính theo điểm phần trăm)" read as a fall of
    55.8 points. A derived poverty value in percent (a rate, or a change in percent of the
    2015 rate) names percentage points only as the condition of its reading ("nếu …",
    "if …"), never as what its number counts; a change in percent of the rate says it is
    relative, whichever reading it stands on."""
    from dbanalysis.derive.lookup import derived_frame

    frame = derived_frame()
    rows = frame[frame.index.str.startswith("d_labour_poverty") & (frame["unit"] == "percent")]
    assert len(rows) >= 5, rows.index.tolist()
    for fid, label in rows[f"label_{lang}"].items():
        assert condition in label, (fid, label)
        if points in label:
            assert label.index(condition) < label.index(points), (fid, label)
    for fid in ("d_labour_poverty_fall_pp_relative", "d_labour_poverty_rate_change_pct_pp"):
        assert relative in derived_row(fid)[f"label_{lang}"], fid


@pytest.mark.parametrize("lang, points, conditions, relative", [
    ("vi", "điểm phần trăm", ("cách hiểu ", "nếu "), "tương đối"),
    ("en", "percentage points", ("if ",), "relative"),
])
def test_a_poverty_fall_in_points_says_relative_only_as_its_reading(lang, points, conditions,
                                                                    relative):
    """FINAL25-A m3: the average yearly fall under the relative reading (0.62 points a
    year) was labelled «… giai đoạn 2015–2019 (giảm tương đối)», "(fall read as
    relative)": a value in percentage points named as a relative fall, the confusion
    REVIEW-vi25 B1 mended for the values in percent. A derived poverty value in
    percentage points says so, and says "relative" only inside the condition of its
    reading ("cách hiểu …", "nếu …", "if …"), never as what its number counts."""
    from dbanalysis.derive.lookup import derived_frame

    frame = derived_frame()
    rows = frame[frame.index.str.startswith("d_labour_poverty")
                 & (frame["unit"] == "percentage_point")]
    assert len(rows) >= 4, rows.index.tolist()
    for fid, label in rows[f"label_{lang}"].items():
        assert points in label, (fid, label)
        if relative in label:
            at = label.index(relative)
            assert any(0 <= label.rfind(c, 0, at) for c in conditions), (fid, label)
    assert relative in derived_row("d_labour_poverty_fall_relative_per_year")[f"label_{lang}"]
