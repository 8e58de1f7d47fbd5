"""Figures 0.1 and 0.2 (the district at a glance) as a reader hears and reads them: the
alt text says what a drawn sign means, not the sign (NOTE-session7 A9)."""

from __future__ import annotations

import csv
import re

import pytest
from helpers_charts import chart_langs, sweep_chart

from dbanalysis.core.labels import joined
from dbanalysis.core.language import using
from dbanalysis.plotting.chart_text import text
from dbanalysis.views.text import plain

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True

pytestmark = pytest.mark.usefixtures("house_style")

#: Signs a chart draws as a key to a mark, which a screen reader reads by their names
#: ("white circle", "mũi tên phải"), not by what they stand for.
DRAWN_SIGNS = "○●◇□■△▲→"


def test_figure_0_2_alt_text_says_the_other_reading_not_its_sign():
    """Figure 0.2 names the other reading of "đạt 100% NQ" on its row after the sign of
    its hollow marker ("○ 90.5% if the target was every station"); the alt text said the
    sign too, which a screen reader reads as "white circle". It says the reading's words
    and value alone, in each language; the row on the chart keeps the sign."""
    other = "d_health_stations_doctor_share"
    for lang in chart_langs("0.2 plan_achievement"):
        fig = sweep_chart("0.2 plan_achievement", lang)
        alt = fig.dbanalysis["alt"]
        assert not any(sign in alt for sign in DRAWN_SIGNS), (lang, alt)
        with using(lang):
            words = text(f"chart.other_reading.{other}", value=plain("{" + other + "}"))
            drawn = text("chart.mark.other_reading", reading=words)
        assert words in alt, (lang, alt)
        # the reading belongs to its row: not after the list's separator, which a
        # listener hears as a new row (REREAD-0620A 4)
        assert joined(["", words], lang) not in alt, (lang, alt)
        ax = fig.axes[0]  # a row's name: a tick label, or on a phone a text over its bar
        names = " ".join(" ".join(t.get_text().split())
                         for t in [*ax.get_yticklabels(), *ax.texts])
        assert " ".join(drawn.split()) in names, (lang, names)


#: A span of years as anyone may write it: 2015→2019, 2015 → 2019, 2015-2019, 2015–2019.
_SPAN = re.compile(r"\b((?:19|20)\d\d)\s*([→\-–])\s*((?:19|20)\d\d)\b")


def _spans(text: str) -> set[tuple[str, str, str]]:
    """(start, what joins them, end) of each span of years in ``text``."""
    return set(_SPAN.findall(" ".join(text.split())))


def test_figure_0_1_writes_every_span_of_years_one_way():
    """NOTE-session7 A4: Figure 0.1 drew its level rows "2015→2019" and its poverty rows
    (derived figures' labels) "2015–2019", in Vietnamese. Every span it draws or its alt
    text says is the label ``year_span`` (``2015–2019``), in each language."""
    for lang in chart_langs("0.1 change_since_2015"):
        fig = sweep_chart("0.1 change_since_2015", lang)
        drawn = " ".join(t.get_text() for ax in fig.axes
                         for t in [*ax.get_yticklabels(), *ax.texts])
        found = _spans(drawn) | _spans(fig.dbanalysis["alt"])
        assert len(found) >= 2, (lang, found)
        seps = {sep for _, sep, _ in found}  # one way, and not an arrow read as one
        assert len(seps) == 1 and "→" not in seps, (lang, sorted(found))
        with using(lang):
            bad = [f"{a}{sep}{b}" for a, sep, b in found
                   if f"{a}{sep}{b}" != text("year_span", start=a, end=b)]
        assert bad == [], (lang, bad)


def test_figure_0_1_says_a_to_date_year_inside_its_row():
    """Figure 0.1's rows whose level the report dates "tính đến nay" (to date) said so as
    a table's period cell does, after a semicolon ("2015–2019; report: “tính đến nay”, i.e.
    to date"); its alt text joins the rows with that same semicolon (list.join), so a
    listener heard the report's words as a row of their own. A row's name holds no list
    separator, and the to-date rows still quote the report's words, inside the span's
    parenthesis, in each language."""
    from dbanalysis.catalogue.figure_labels import dating_words

    words = dating_words("agri_cattle")
    assert words == "tính đến nay"
    for lang in chart_langs("0.1 change_since_2015"):
        fig = sweep_chart("0.1 change_since_2015", lang)
        names = [" ".join(t.get_text().split()) for ax in fig.axes
                 for t in [*ax.get_yticklabels(), *ax.texts] if t.get_text().strip()]
        rows = [n for n in names if re.search(r"\b20\d\d\b", n)]
        assert len(rows) >= 8, (lang, names)
        join = joined(["", ""], lang)
        assert [n for n in rows if join in n] == [], (lang, rows)
        to_date = [n for n in rows if f"“{words}”" in n]
        assert len(to_date) == 4, (lang, rows)  # aquatic output, poultry, aquaculture, herd
        alt = " ".join(fig.dbanalysis["alt"].split())
        for name in to_date:
            assert re.search(rf"2015–2019 \([^()]*“{words}”[^()]*\)$", name), (lang, name)
            assert f"{name}: " in alt, (lang, name)  # the row's value follows its name


def test_no_text_the_pages_show_writes_a_span_of_years_with_an_arrow():
    """The labels, the sentence templates, the readings and rules of derived figures, and
    every notebook's markdown and code write a span of years as the label ``year_span``
    does (two notebook headings wrote "2015 → 2019"; the derived figures' English labels
    "2015→2019")."""
    import nbformat

    from dbanalysis.core import labels, paths

    data = paths.data_dir()
    texts = [(f"labels.csv {k}", t) for k, lab in labels.table().items() for t in (lab.en, lab.vi)]
    texts += [(str(p.relative_to(data)), p.read_text(encoding="utf-8"))
              for p in [*data.glob("templates/*.csv"), data / "vocab" / "readings.csv",
                        data / "derived.csv"]]
    root = paths.REPO_ROOT / "notebooks"  # not beside data_dir(): empty if data is elsewhere
    assert paths.report_notebooks(root), f"no report notebook in {root}"
    for nb in sorted(root.glob("*.ipynb")):
        texts += [(f"{nb.name} {c.get('id')}", c.source)
                  for c in nbformat.read(nb, as_version=4).cells]
    arrows = [(where, f"{a}→{b}") for where, t in texts for a, sep, b in _spans(t) if sep == "→"]
    assert arrows == []
    assert labels.text("year_span", "en", start=2015, end=2019) == "2015–2019"


def test_words_the_labels_share_are_said_once(data_copy):
    """"since 2015" was typed in ten labels, "so với năm 2015" in eleven: it is one phrase
    (``phrase.since_2015``, the one base year's), which a label writes as a field; the
    join of a list's items ("; ") is the label ``list.join``, which the alt text, the
    audit's lists of sectors and audit-text's marks use (core.labels.joined), not typed
    in the code. Rewording either in data rewords what the pages say, Figure 1.1's English
    title too ("rose from 2015", FINAL-A 5)."""
    from pathlib import Path

    from dbanalysis.core import labels
    from dbanalysis.core.markup import md_text
    from dbanalysis.derive.ids import BASE_YEAR
    from dbanalysis.plotting.provenance import alt_text
    from dbanalysis.plotting.sector_charts import caption_text
    from dbanalysis.render.audit_text import sectors_with
    from dbanalysis.render.tables import outside_knowledge

    assert str(BASE_YEAR) in labels.text("phrase.since_2015", "en")
    with labels.labels_path().open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))  # as written (the table puts the phrases in)
    typed = [(r["key"], lang) for r in rows if r["key"] != "phrase.since_2015"
             for lang, said in (("en", "since 2015"), ("en", "from 2015"),
                                ("vi", "so với năm 2015"))
             if said in r[lang]]
    assert typed == []
    src = Path(labels.__file__).parents[1]
    joins = [str(p.relative_to(src)) for p in sorted(src.rglob("*.py"))
             if re.search(r"""["']; ["']\.join\(""", p.read_text(encoding="utf-8"))]
    # not prose: the data dictionary's constraints, a command's list of problems
    assert joins == ["catalogue/dictionary.py", "cli/export.py"], joins
    # the label asked for in one place per kind of text: plain (labels.joined) and Markdown,
    # escaped (markup.md_joined); two Markdown lists escaped it inline (FINAL-A 7)
    asks = [str(p.relative_to(src)) for p in sorted(src.rglob("*.py"))
            if re.search(r"""["']list\.join["']""", p.read_text(encoding="utf-8"))]
    assert asks == ["core/labels.py", "core/markup.py"], asks
    path = data_copy / "vocab" / "labels.csv"
    text_ = path.read_text(encoding="utf-8")
    text_ = text_.replace('\nlist.join,"; ","; ",', '\nlist.join," | "," | ",').replace(
        "\nphrase.since_2015,since 2015,so với năm 2015,",
        "\nphrase.since_2015,compared with 2015,so với 2015,")
    path.write_text(text_, encoding="utf-8")
    with using("vi"):
        assert "a | b" in alt_text("bar", "T", ["a", "b"])
    assert labels.text("chart.axis.change_since_2015", "vi") == "thay đổi so với 2015 (%)"
    assert labels.text("chart.title.slope", "en") == "Change compared with 2015"
    # the titles of Figure 1.1 typed "from 2015" (FINAL-A 5): rewording the phrase
    # rewords them, whatever the words around it (REVIEW-24A 5)
    for lang, said in (("en", "compared with 2015"), ("vi", "so với 2015")):
        title = caption_text("chart.title.agri_slope", lang)
        assert said in title and "since 2015" not in title and "năm 2015" not in title, title
    listed = str(sectors_with("ambiguous", "en"))  # Markdown: the join escaped, as data
    assert str(md_text(" | ")) in listed and "; " not in listed, listed
    facts = outside_knowledge("en")  # the figures and the checks that use each fact
    assert str(md_text(" | ")) in facts and "); [" not in facts, facts  # (between checks)


def test_figure_0_1_sets_a_rows_name_apart_from_its_span():
    """REVIEW-vi25 B17: «Đàn trâu, bò, 2015–2019 (giả định …), nếu năm nào cũng tăng
    3,74%»: three commas in a row, the label's own («trâu, bò») among them, hid where the
    name ends. In Vietnamese a level row is its label, a spaced dash, then its span
    (``chart.glance.row*``); the English keeps its comma."""
    for lang in chart_langs("0.1 change_since_2015"):
        fig = sweep_chart("0.1 change_since_2015", lang)
        names = [" ".join(t.get_text().split()) for ax in fig.axes
                 for t in [*ax.get_yticklabels(), *ax.texts] if t.get_text().strip()]
        herd = [n for n in names if n.startswith(("Đàn trâu, bò", "Buffalo and cattle"))]
        assert herd, (lang, names)
        sep = " – " if lang == "vi" else ", "
        for n in herd:
            assert re.match(rf"(Đàn trâu, bò|Buffalo and cattle herd){sep}2015–20\d\d", n), \
                (lang, n)
