"""Alt text a screen-reader user can follow (Vietnamese review, item 34): each value of a
share or parts chart is read as "name: value", the name said as a reader would say it
(no two labels joined with " / ", no unit or status said twice, no remainder named by
the formula), and what the chart draws as "+ n" said with the unit it counts.

The charts are called as their notebooks call them (Figures 1.1, 5.1, 6.1, 7.1, 8.1,
10.1, 11.1), in both languages; the shape is checked on the alt text the chart object carries
(the text the site writes into ``alt``), against the catalogue and the vocabulary, not
against the wording of the alt-text templates."""

import re

import pytest
from helpers_charts import built_layouts, chart_langs, read_chart, sweep_cases, sweep_chart

from dbanalysis.catalogue import figure_labels
from dbanalysis.catalogue.figures import figure
from dbanalysis.core import labels
from dbanalysis.core.language import using
from dbanalysis.core.typography import typeset
from dbanalysis.plotting.chart_text import figure_text, number, text
from dbanalysis.plotting.provenance import source_line

pytestmark = pytest.mark.usefixtures("house_style")

TITLE = "t"
#: Figure -> its notebook call in :data:`helpers_charts.NOTEBOOK_CHARTS` (title "t"), each
#: chart built once per test process and language (:func:`helpers_charts.read_chart`), in
#: the layout the chart sweep draws it in (:func:`helpers_charts.sweep_chart`).
SHARE_CHARTS = {
    "1.1": "1.1 slope",
    "5.1": "5.1 coverage_bars",
    "6.1": "6.1 share_bars_of",
    "7.1": "7.1 share_bars_of",
    "8.1": "8.1 share_bars_of",
    "10.1": "10.1 parts_bar",
    "11.1": "11.1 award_hierarchy",
}


def _chart(name: str, lang: str):
    return sweep_chart(SHARE_CHARTS[name], lang)


def _values(fig, kind: str) -> list[str]:
    """The alt text's "name: value" items, between its title and its source line."""
    alt = fig.dbanalysis["alt"]
    subtitle = fig.dbanalysis.get("subtitle")
    head = f"{text(f'chart.kind.{kind}')}: {TITLE}. " + (
        f"{subtitle.rstrip('.')}. " if subtitle else "")
    tail = f". {source_line()}."
    assert alt.startswith(head) and alt.endswith(tail), alt
    return alt[len(head):-len(tail)].split("; ")


def _kind(name: str) -> str:
    return {"1.1": "line", "10.1": "stacked"}.get(name, "bar")


@pytest.mark.parametrize(("name", "lang"), [
    # each chart in both languages (make test-quick: in its chart sweep's language)
    (name, lang) for name in sorted(SHARE_CHARTS) for lang in chart_langs(SHARE_CHARTS[name])])
def test_each_value_of_the_alt_text_is_a_name_then_its_value(name, lang):
    with using(lang):
        items = _values(_chart(name, lang), _kind(name))
        qualifiers = [figure_labels.qualifier_label(q) for q in ("expected", "over")]
    assert len(items) >= 2
    for item in items:
        # one "name: value" (a remainder named "the rest (derived: total − parts)" has two)
        assert item.count(": ") == 1, item
        label, value = item.split(": ")
        # a name, not two labels joined ("Forum communes / Communes of the district")
        assert " / " not in label, item
        assert label[:1].isupper(), item
        assert re.search(r"\d", value), item
        # nothing said twice: a bracketed unit the name already says ("Communes … (communes)"),
        # a status both in the name and after the value ("(expected) …: 21/21, expected")
        for said in re.findall(r"\(([^()]+)\)", label):
            assert said.casefold() not in label.replace(f"({said})", "").casefold(), item
        for word in qualifiers:
            assert item.casefold().count(word.casefold()) <= 1, item
        # brackets one level deep, never side by side: "(71.4%, derived)", not "(71.4%), …"
        assert not re.search(r"\([^()]*\(|\)\s*\(", item), item


@pytest.mark.parametrize("lang", sweep_cases(SHARE_CHARTS["10.1"], ["en", "vi"],
                                              lambda lang: lang))
def test_a_parts_chart_names_its_total_and_its_remainder_by_what_they_count(lang):
    """Figure 10.1: "Communes of the district: 21 communes; …; <the rest>: 5 communes", the
    total first under its own catalogue label, the remainder named with its unit."""
    with using(lang):
        items = _values(_chart("10.1", lang), "stacked")
        total = figure("award_communes")
        parts = ["nr_communes_met", "nr_communes_near"]
        rest = total["value"] - sum(figure(p)["value"] for p in parts)
        assert items[0] == f"{figure_labels.label('award_communes', lang)}: " \
                           f"{figure_text('award_communes')}"
        assert [i.split(": ")[0] for i in items[1:3]] == \
               [figure_labels.label(p, lang) for p in parts]
        unit = figure_labels.unit_label(total["unit"], lang)
        name, value = items[3].split(": ")
        assert unit.casefold() in name.casefold() and value.startswith(f"{number(rest)} ")


@pytest.mark.parametrize("lang", sweep_cases(SHARE_CHARTS["8.1"], ["en", "vi"],
                                              lambda lang: lang))
def test_a_share_over_another_sentences_total_says_which_total_in_words(lang):
    """Figure 8.1's third row: the forum communes over the district's communes is one name
    that reads as a phrase, the count's label, then the total said with its number ("out of
    the district's 21 communes", QA-1945 R7), and its status inside the brackets."""
    with using(lang):
        items = _values(_chart("8.1", lang), "bar")
        count = typeset(figure_labels.label("sec_forum_communes", lang), lang)
        communes = f"{figure('award_communes')['value']:.0f} " + figure_labels.unit_label(
            figure("award_communes")["unit"], lang)
        derived = text("chart.legend.derived")
    over = [i for i in items if i.startswith(count + ", ")]
    assert len(over) == 1, items
    label, value = over[0].split(": ")
    assert communes in label, (communes, label)
    assert value.startswith(f"{figure('sec_forum_communes')['value']:.0f}/"
                            f"{figure('award_communes')['value']:.0f} ")
    assert value.endswith(f"%, {derived})"), value


@pytest.mark.parametrize("lang", sweep_cases(SHARE_CHARTS["7.1"], ["en", "vi"],
                                              lambda lang: lang))
def test_the_funded_stations_are_said_with_the_unit_they_count(lang):
    """Figure 7.1 draws the 2 funded stations as "+ 2"; the alt text says "2 communes" /
    "2 xã", and the expected criteria row says "expected" once."""
    with using(lang):
        items = _values(_chart("7.1", lang), "bar")
        pending = figure("health_communes_station_pending")
        unit = figure_labels.unit_label(pending["unit"], lang)
        station = figure_labels.label("health_communes_with_station", lang)
    row = next(i for i in items if i.startswith(station + ": "))
    # "2 xã", "2 more communes": the count, then (a word at most, then) what it counts
    assert re.search(rf"\b{number(pending['value'])} (\w+ )?{unit}\b", row), row
    assert "+" not in row


def test_a_panel_title_with_its_own_line_breaks_has_the_figures_label_words():
    """chart.panel.<figure id> only places line breaks in the figure's label: the same
    words in both languages (meaning stays in the catalogue)."""
    panels = [k for k in labels.keys() if k.startswith("chart.panel.")]
    assert panels
    for key in panels:
        fid = key.removeprefix("chart.panel.")
        for lang in ("en", "vi"):
            assert text(key, lang).split() == figure_labels.label(fid, lang).split(), key


#: The layouts the chart sweep builds Figure 1.1 in (each in both languages): make test
#: both; make test-quick the one its sweep draws (the phone), not a wide copy built for
#: this case alone (~0.2 s of CPU; the wide case is left to make test)
@pytest.mark.parametrize("phone", [layout == "phone"
                                   for layout in built_layouts(SHARE_CHARTS["1.1"])])
def test_figure_1_1_breaks_the_output_panel_title_after_thuy_san(phone):
    """Review item 36: "Sản lượng thủy sản / nuôi trồng, đánh bắt", not "… nuôi trồng, /
    đánh bắt" (wide) or "… nuôi / trồng …" (phone)."""
    with using("vi"):
        fig = read_chart(SHARE_CHARTS["1.1"], "vi", "phone" if phone else "wide")
        titles = [ax.get_title(loc=loc) for ax in fig.axes for loc in ("left", "center")
                  if ax.get_title(loc=loc)]
        label = figure_labels.label("agri_fish_output", "vi")
    title = next(t for t in titles if " ".join(t.split()).startswith(label))
    lines = title.split("\n")
    assert lines[0] == "Sản lượng thủy sản" and lines[1] == "nuôi trồng, đánh bắt", lines


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_a_span_of_years_in_alt_text_is_said_as_the_language_says_it(lang):
    """REVIEW-vi8 X11: Figure 0.1's rows drew "2015→2019"; a screen reader reads the arrow
    as "mũi tên phải". The rows and the alt text say the span with an en dash (labels.csv
    year_span), in both languages (NOTE-session7 A4)."""
    alt = read_chart("0.1 change_since_2015", lang).dbanalysis["alt"]
    span = labels.text("year_span", lang, start="2015", end="2019")
    assert span in alt
    assert "→" not in alt, alt
