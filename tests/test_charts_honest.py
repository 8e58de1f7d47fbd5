"""Honest charts (issue #9 item 5, #10 chart side): axes from zero and no log scale,
no chart of one bar, assumed values never drawn as data, legends and labels inside the
figure and off the data, a readable source line, ids in the PNG, alt text from the
title and the numbers, every chart word in both languages."""

import io
import math
import re
from pathlib import Path

import pytest
from helpers_charts import CHARTS as CHARTS_DRAWN
from helpers_charts import (
    LANGS,
    NOTEBOOK_CHARTS,
    build_editions,
    chart_langs,
    chart_variants,
    fresh_chart,
    read_chart,
    source_text,
    sweep_chart,
    swept,
)
from helpers_drawn import chart_png, kept_draw, laid_out, measured_copy, png_and_collisions
from helpers_examples import quick
from matplotlib.patches import Rectangle

from dbanalysis import plotting as pl
from dbanalysis.catalogue.figures import load_figures
from dbanalysis.core.language import using
from dbanalysis.core.typography import typeset
from dbanalysis.notebook import sectorview as sv
from dbanalysis.plotting.bar_charts import questioned_handle
from dbanalysis.plotting.chart_text import figure_text, text
from dbanalysis.plotting.style import renderer
from dbanalysis.views import glance

pytestmark = pytest.mark.usefixtures("house_style")

#: One call of every chart function, as the notebooks make them: name here -> name in
#: :data:`helpers_charts.CHARTS` (each chart built once per test process and language).
CHARTS = {
    "slope": "1.1 slope",
    "value_bars": "value_bars",
    "count_bars": "count_bars",
    "bound_bars": "9.1 bound_bars",
    "range_bar": "range_bar",
    "coverage_bars": "5.1 coverage_bars",
    "marked_coverage_bars": "marked_coverage_bars",
    "share_bars": "share_bars",
    "achievement_bars": "5.2 achievement_bars",
    "composition_bar": "2.1 composition_bar",
    "parts_bar": "parts_bar of units",
    "award_hierarchy": "11.1 award_hierarchy",
    "reading_paths": "reading_paths, default legend",
    "growth_paths": "growth_paths",
    "change_since_2015": "0.1 change_since_2015",
    "plan_achievement": "0.2 plan_achievement",
    "verdict_bars": "verdict_bars",
}


@pytest.fixture(scope="module")
def charts():
    """Every chart, fresh, per language: {lang: {name: Figure}}; under ``make test-quick``
    every chart once, in the one variant its chart sweep draws (language and layout:
    :func:`helpers_charts.sweep_chart`), not in English besides."""
    return {lang: {name: sweep_chart(key, lang) for name, key in CHARTS.items()
                   if lang in chart_langs(key)}
            for lang in LANGS}


def each_chart(charts):
    """(name, Figure) of every chart once: in English (``make test-quick``: in its one
    variant)."""
    for name, key in CHARTS.items():
        yield name, charts[chart_langs(key)[0]][name]


def test_no_axis_is_logarithmic_and_value_axes_start_at_zero(charts):
    for name, fig in each_chart(charts):
        for ax in [a for a in fig.axes if a.get_visible()]:
            # the phone layout's axis of rows (labels above their bars, no ticks) places
            # each row at the room its label needs: a scale of rows, not of amounts
            rows = ax.get_yscale() == "rows" and not len(ax.get_yticks())
            assert ax.get_xscale() == "linear" and (ax.get_yscale() == "linear" or rows), name
            bars = [p for p in ax.patches if isinstance(p, Rectangle) and p.get_width() > 0]
            if bars and name not in ("change_since_2015",):
                assert ax.get_xlim()[0] == 0, name  # horizontal bars grow from zero
        if name in ("slope", "reading_paths", "growth_paths"):
            assert all(ax.get_ylim()[0] == 0 for ax in fig.axes if ax.get_visible()), name


def test_slope_panels_start_at_zero_and_state_the_change_in_percent():
    fig = sweep_chart(CHARTS["slope"])
    panels = [ax for ax in fig.axes if ax.get_visible()]
    assert len(panels) == 3
    for ax, level in zip(panels, ["agri_cattle", "agri_aquaculture_area", "agri_fish_output"],
                         strict=True):
        assert ax.get_ylim()[0] == 0
        change = sv.derived_value(f"d_{level}_change_pct")
        assert f"+{sv.fmt_number(round(change, 1))}% since 2015" in ax.get_title(loc="left")


#: A number as a chart writes it (its value labels, its panels' titles).
_DRAWN_NUMBER = re.compile(r"\d[\d.,]*\d|\d")


def numbers_not_in_the_data_table(fig) -> list[tuple[str, str]]:
    """Each number a chart writes (value labels, panel titles) that no value of its
    folded data table ("The chart's figures", ``fig.dbanalysis["rows"]``) holds: the
    table is the chart's data for a reader who cannot see the picture."""
    table = " | ".join(" ".join(row[1:]) for row in fig.dbanalysis["rows"])
    drawn = [t.get_text() for ax in fig.axes for t in ax.texts]
    drawn += [ax.get_title(loc) for ax in fig.axes for loc in ("left", "center", "right")]
    return [(n, " ".join(t.split())) for t in drawn for n in _DRAWN_NUMBER.findall(t)
            if n not in table]


@pytest.mark.parametrize("name", list(NOTEBOOK_CHARTS))
def test_every_number_a_chart_writes_is_in_its_data_table(name):
    """QA-0000 R2: Figure 4.1 drew the two 2015 poverty rates (29.06%, 15.3%), 1.1 the
    2015 levels, 5.1 the shares, 10.1 the other communes and 11.1 the awards per level,
    and their tables listed only the figures those were computed from.

    ``make test``: both languages, wide; ``make test-quick``: the variant the chart sweep
    draws (:func:`helpers_charts.sweep_chart`), not the wide English copy, built for this
    test alone for the seven charts the quick sweep draws for a phone or in Vietnamese
    (two figures each, ~0.2 s of CPU)."""
    for lang in chart_langs(name):
        fig = sweep_chart(name, lang)
        assert fig.dbanalysis["rows"], name
        missing = numbers_not_in_the_data_table(fig)
        assert not missing, (name, lang, missing)


@pytest.mark.parametrize("build", [
    lambda: pl.value_bars(["agri_sown_area"]),
    lambda: pl.count_bars(["labour_jobs"]),
    lambda: pl.bound_bars(["edu_basic_completion"]),
    lambda: pl.share_bars(["infra_households_grid"]),
    lambda: pl.achievement_bars(["budget_revenue_vs_plan"]),
    lambda: pl.coverage_bars(["culture_villages"]),
    lambda: pl.marked_coverage_bars(sv.pairs_of([("health_communes_with_station",
                                                  "health_communes_total")])),
    lambda: pl.plan_achievement(glance.plan_achievements().head(1)),
    lambda: pl.change_since_2015(glance.change_rows().head(1)),
])
def test_a_chart_of_one_bar_is_refused(build):
    with pytest.raises(ValueError, match="a chart of one bar"):
        build()


def test_source_line_is_short_and_readable_in_both_languages(charts):
    ids = set(load_figures()["figure_id"])
    for lang, expected in (("en", "Source: Điện Biên district report, 29/09/2020"),
                           ("vi", "Nguồn: Báo cáo huyện Điện Biên, 29/09/2020")):
        for name, fig in charts[lang].items():
            src = source_text(fig)
            assert src == expected, name
            assert not set(re.findall(r"[a-z_0-9]+", src)) & ids, name


def test_png_metadata_holds_the_figure_ids_and_is_deterministic(charts):
    for name, fig in each_chart(charts):
        # make test-quick: the chart's one variant (its PNG drawn for the chart sweep)
        lang, layout = chart_variants(CHARTS[name])[0]
        drawn = chart_png(CHARTS[name], lang, layout)  # of a copy of the chart built once
        data = drawn.png  # (or kept by an earlier run with the same inputs: helpers_drawn)
        chunks = pl.png_text(data)
        ids = fig.dbanalysis["figure_ids"]
        assert ids, name
        assert chunks[pl.FIGURE_IDS_KEY] == ",".join(ids), name
        assert chunks["Description"] == fig.dbanalysis["alt"], name
        assert "Software" not in chunks
        # and of one built anew (make test-quick: one of them), drawn now: the same PNG,
        # and the same collisions in its draws (a result kept under a key that missed an
        # input it depends on fails here)
        if name in (("bound_bars",) if quick() else ("slope", "change_since_2015",
                                                      "bound_bars")):
            with using(lang):
                fresh = build_editions(CHARTS[name], layout)[lang]  # as a notebook draws it
                png, collisions, first = png_and_collisions(fresh)
            assert png == data, name
            assert (collisions, first) == (drawn.collisions, drawn.drawn), name
    catalogue = set(load_figures()["figure_id"])
    fig = read_chart(CHARTS["change_since_2015"])
    assert set(fig.dbanalysis["figure_ids"]) <= catalogue
    assert {"d_labour_poverty_fall_relative_points", "d_trade_turnover_change_pct_4y",
            "d_agri_cattle_change_pct_growth_5y"} <= set(fig.dbanalysis["derived_ids"])


def _shown_numbers(fig) -> list[str]:
    return [t.get_text().strip() for ax in fig.axes for t in ax.texts if t.get_text().strip()]


def _row_items(fig) -> list[str]:
    """"name: value[ (other reading)]" (``chart.alt.with_other_reading``) of each row of a
    one-panel bar chart, read off the drawing: the row's name (a tick label, or on a
    phone the text above its bar) and the value label drawn at its bar's end, paired by
    the row's place on the y axis; the other reading's words without the sign of its
    marker (``chart.mark.other_reading``: the alt text says the words, not "white
    circle"), in the current language."""
    sign = " ".join(text("chart.mark.other_reading", reading="").split())
    ax = fig.axes[0]
    values = {round(float(t.get_position()[1])): t.get_text().strip() for t in ax.texts
              if t.get_gid() != "row-label" and t.get_text().strip()}
    names = {math.floor(float(t.get_position()[1]) + 1e-9): t.get_text() for t in ax.texts
             if t.get_gid() == "row-label"}
    if not names:
        names = {round(float(y)): t.get_text() for y, t in zip(ax.get_yticks(),
                                                               ax.get_yticklabels(),
                                                               strict=True)}
    assert names and set(names) == set(values), (sorted(names), sorted(values))
    items = []
    for y, name in names.items():
        base, _, other = " ".join(name.split()).partition("; ")
        other = other.removeprefix(sign).lstrip() if other.startswith(sign) else other
        shown = f"{base}: {values[y]}"
        items.append(text("chart.alt.with_other_reading", shown=shown, other=other) if other
                     else shown)
    return items


def test_alt_text_has_the_kind_title_numbers_and_source_in_the_charts_language():
    ids = ["sec_security_teams", "sec_mediation_teams", "sec_selfmanaged_teams"]
    for lang, kind in (("en", "Bar chart"), ("vi", "Biểu đồ cột")):
        with using(lang):
            fig = pl.value_bars(ids, title="Teams\nby kind")
            alt = fig.dbanalysis["alt"]
            assert alt.startswith(f"{kind}: Teams by kind. ")
            for i in ids:
                # as the pages show it: typeset (a curly apostrophe in "People’s")
                assert typeset(f"{sv.label(i)}: {figure_text(i)}", lang) in alt
            assert alt.endswith(pl.source_line() + ".")
    with using("vi"):
        # Figure 0.2 in the layouts the chart sweep draws it in (make test-quick: the phone,
        # where row names are texts above the bars; make test: the phone and the wide
        # layout, where they are tick labels): each row's alt item is its name, its value
        # label, then the other reading its name carries after "; ", as the alt text says
        # a row's other reading (chart.alt.with_other_reading; wrapped lines joined)
        for layout in dict.fromkeys(layout for lang, layout in
                                    chart_variants(CHARTS["plan_achievement"]) if lang == "vi"):
            fig = read_chart(CHARTS["plan_achievement"], "vi", layout)
            alt = " ".join(fig.dbanalysis["alt"].split())  # (a no-break space as a space)
            rows = _row_items(fig)
            assert len(rows) == len(glance.plan_achievements("vi")), layout
            for item in rows:
                assert item in alt, (layout, item)
        fig = read_chart(CHARTS["change_since_2015"], "vi")
        for number in _shown_numbers(fig):
            assert number in fig.dbanalysis["alt"]


def test_every_chart_has_alt_text_naming_what_it_shows(charts):
    for lang in ("en", "vi"):
        kinds = {text(f"chart.kind.{k}", lang) for k in ("bar", "dot", "line", "stacked")}
        for name, fig in charts[lang].items():
            alt = fig.dbanalysis["alt"]
            assert alt.split(": t. ")[0] in kinds, name
            assert re.search(r"\d", alt.split(": t. ")[1]), name


def _overlaps(a, b) -> bool:
    return a.x0 < b.x1 - 0.5 and b.x0 < a.x1 - 0.5 and a.y0 < b.y1 - 0.5 and b.y0 < a.y1 - 0.5


def _every_chart_variant():
    """(name, Figure) of every chart the tests draw (:data:`helpers_charts.CHARTS`), in each
    of its (language, layout) variants (:func:`helpers_charts.chart_variants`: all of them;
    under ``make test-quick`` one, rotating): the copy the chart tests read
    (:func:`helpers_drawn.measured_copy`: as :func:`helpers_drawn.drawn_copy` draws it at
    its dpi where the chart modules measure it so, else laid out here by
    :func:`helpers_drawn.laid_out`)."""
    for key in CHARTS_DRAWN:
        for lang, layout in chart_variants(key):
            yield f"{key} ({lang}, {layout})", measured_copy(key, lang, layout)


def test_legends_and_value_labels_stay_inside_the_figure_and_off_the_data():
    """In both languages and both layouts: a Vietnamese legend is longer than its English
    one (Figure 2.1's ran past the figure's edge in Vietnamese only). Each copy is laid out
    once for every test that measures it (:func:`helpers_drawn.laid_out`: test_same_axes
    measures the same copies), not once more here."""
    for name, fig in _every_chart_variant():
        r = laid_out(fig)
        figbox = fig.bbox
        legends = [ax.get_legend() for ax in fig.axes if ax.get_legend()] + list(fig.legends)
        for ax in [a for a in fig.axes if a.get_visible()]:
            axbox = ax.get_window_extent(r)
            data = [p.get_window_extent(r) for p in ax.patches if p.get_visible()
                    and p.get_width() > 0 and p.get_height() > 0 and p.get_gid() != "total"]
            data += [ln.get_window_extent(r) for ln in ax.get_lines()
                     if ln.get_gid() and ln.get_linestyle() == "None"]
            for lg in legends:
                box = lg.get_window_extent(r)
                assert all(not _overlaps(box, d) for d in data), f"{name}: legend over data"
                assert box.x0 >= figbox.x0 - 1 and box.x1 <= figbox.x1 + 1, name
            for t in ax.texts:
                if t.get_text().strip() and t.get_transform() == ax.transData:
                    box = t.get_window_extent(r)
                    assert box.x0 >= axbox.x0 - 1 and box.x1 <= axbox.x1 + 1, \
                        f"{name}: label {t.get_text()!r} runs off the plot"


def test_a_bar_the_audit_questions_is_outlined_on_every_chart_that_draws_it():
    """The forum communes as printed (15 of 25) have two readings against the district's
    21 (25 before the 2019 boundary change, QA-0305 S1): the bar is outlined and says so
    in the audit's verdict; the same communes of 21 (our pairing) are not."""
    fig = sweep_chart("8.1 share_bars_of")  # units, forum communes of 25 and of 21
    gids = {p.get_gid() for p in fig.axes[0].patches}
    assert "questioned:sec_forum_communes" in gids
    assert sum(g.startswith("questioned:") for g in gids if g) == 1
    texts = [t.get_text() for t in fig.axes[0].texts]
    # it says what the audit finds, in the audit's verdict word (no fifth verdict)
    assert sum("two readings" in t for t in texts) == 1
    plan = swept(CHARTS["plan_achievement"])
    marked = {p.get_gid() for p in plan.axes[0].patches if str(p.get_gid()).startswith("q")}
    assert marked == {"questioned:health_stations_doctor_vs_resolution"}
    # the level bars too: total budget revenue has two readings (its table says so), and
    # its bar says so by the same outline, legend entry and verdict word
    budget = read_chart("3.1 level_bars")
    marked = {p.get_gid() for p in budget.axes[0].patches if str(p.get_gid()).startswith("q")}
    assert marked == {"questioned:budget_revenue"}
    legend = [t.get_text() for t in budget.axes[0].get_legend().get_texts()]
    with using("en"):
        assert questioned_handle().get_label() in legend
    names = [t.get_text() for t in budget.axes[0].get_yticklabels()]
    assert any("two readings" in " ".join(n.split()) for n in names), names


def test_every_chart_string_exists_in_both_languages():
    src = Path(pl.__file__).parent
    keys = set()
    for path in src.glob("*.py"):
        keys |= set(re.findall(r"""text\(\s*f?["'](chart\.[a-z_.0-9{}]+)""",
                               path.read_text("utf-8")))
    assert len(keys) > 20
    for key in keys:
        if "{" in key:
            continue
        for lang in ("en", "vi"):
            assert text(key, lang, **dict.fromkeys(["q", "what", "years", "change", "low",
                                                    "high", "bad", "total", "title", "date",
                                                    "year", "kind", "values", "source",
                                                    "reading", "first", "last", "year0",
                                                    "year1", "label", "end", "rate",
                                                    "name", "n", "value", "shown", "unit",
                                                    "benchmark", "start", "other",
                                                    "gloss"], "x"))


def test_vietnamese_charts_write_ty_one_way_and_money_from_a_thousand_million_in_ty(charts):
    for name, fig in charts["vi"].items():
        words = " ".join(t.get_text() for t in fig.findobj(lambda o: hasattr(o, "get_text")))
        words += " " + fig.dbanalysis["alt"]
        assert "Tỉ" not in words and "tỉ " not in words, name
        for amount in re.findall(r"([\d.]+(?:,\d+)?) triệu đồng", words):
            assert float(amount.replace(".", "").replace(",", ".")) < 1000, (name, amount)


def _growth_levels() -> list[str]:
    """Every level :func:`dbanalysis.views.changes.growth_paths` accepts: a figure of an
    indicator that also has a stated growth rate, with its derived paths."""
    from dbanalysis.views import changes

    figs = load_figures()
    rated = set(figs.loc[figs["kind"] == "growth_rate", "indicator"])
    levels = []
    for fid in figs.loc[figs["indicator"].isin(rated) & (figs["kind"] != "growth_rate"),
                        "figure_id"]:
        try:
            changes.growth_paths(fid)
        except KeyError:  # no derived path for this figure
            continue
        levels.append(fid)
    return levels


#: make test-quick: the phone layout in Vietnamese (the longer legend), the layout that
#: once collapsed; the wide layout is read in English by the chart sweep's checks there
#: (growth_paths is one of helpers_charts.CHARTS). make test: both layouts, both languages.
GROWTH_LAYOUTS, GROWTH_LANGS = (["phone"], ("vi",)) if quick() else (["wide", "phone"], LANGS)


@pytest.mark.parametrize("layout", GROWTH_LAYOUTS)
def test_growth_paths_of_every_level_lay_out_in_both_layouts(layout):
    """``reading_paths(growth_paths(level))``, a chart the package offers though no notebook
    draws it, lays out for every level it accepts, in both languages and both layouts:
    no warning (its long legend once collapsed the phone layout: "axes sizes collapsed to
    zero", an error under the suite's filterwarnings) and its legend inside the figure."""
    from dbanalysis.plotting.style import narrow

    levels = _growth_levels()
    assert "trade_turnover" in levels
    for level in levels:
        for lang in GROWTH_LANGS:
            with using(lang):
                if layout == "phone":
                    with narrow():
                        fig = pl.reading_paths(sv.growth_paths(level), title="t")
                else:
                    fig = pl.reading_paths(sv.growth_paths(level), title="t")
                r = renderer(fig)
                legend = fig.axes[0].get_legend().get_window_extent(r)
                assert legend.x1 <= fig.bbox.x1 + 1, (level, lang)
                assert legend.x1 <= fig.axes[0].get_window_extent(r).x1 + 1, (level, lang)


#: The charts whose PNG is compared with matplotlib's own tight save: every notebook
#: chart (``make test-quick``: every fourth, rotating with the sweep's variants).
TIGHT_CHARTS = [name for i, name in enumerate(NOTEBOOK_CHARTS) if not quick() or i % 4 == 0]


@pytest.mark.parametrize("name", TIGHT_CHARTS)
def test_a_charts_png_is_what_matplotlibs_own_tight_save_draws(name):
    """REREAD-0200 Q9: :func:`dbanalysis.plotting.png_bytes` measures the tight box itself,
    before its one draw (savefig with ``bbox_inches="tight"`` draws twice: a dry draw, then
    the box); an artist that took its size only while drawn would be cropped. The chart's
    PNG has the pixels of the same chart saved as matplotlib saves it, in the variant the
    chart sweep draws. Both PNGs drawn in this run, or kept by an earlier one with the
    same inputs (this module's code among them); the first chart's matplotlib save is
    drawn anew every run and compared with the kept one."""
    import numpy as np
    from PIL import Image

    from dbanalysis.core.markup import mpl_plain
    from dbanalysis.plotting.measure import measuring_canvas
    from dbanalysis.plotting.provenance import PAD_INCHES
    from dbanalysis.plotting.style import DPI, NARROW_DPI

    lang, layout = chart_variants(name)[0]
    ours = chart_png(name, lang, layout).png

    def tight_save() -> bytes:
        fig = fresh_chart(name, lang, layout)
        with using(lang):
            mpl_plain(fig)
            measuring_canvas(fig)
            buf = io.BytesIO()
            fig.savefig(buf, format="png", dpi=NARROW_DPI if layout == "phone" else DPI,
                        bbox_inches="tight", pad_inches=PAD_INCHES)
        return buf.getvalue()

    # matplotlib's save, as a run with the same inputs and this code drew it
    # (helpers_drawn.kept_draw); the first chart's drawn now besides, and compared
    theirs, kept = kept_draw((name, lang, layout), Path(__file__), tight_save)
    if kept and name == TIGHT_CHARTS[0]:
        assert tight_save() == theirs, (name, "kept and drawn now differ")
    if _image_data(ours) == _image_data(theirs):
        return  # the same header and compressed image: the same pixels, not decoded
    with Image.open(io.BytesIO(ours)) as a, Image.open(io.BytesIO(theirs)) as b:
        assert a.size == b.size, (name, lang, layout, a.size, b.size)
        diff = np.abs(np.asarray(a.convert("RGBA"), dtype=int)
                      - np.asarray(b.convert("RGBA"), dtype=int))
        assert diff.max() == 0, (name, lang, layout, int((diff > 0).any(axis=2).sum()))


def _image_data(data: bytes) -> tuple[bytes, bytes]:
    """A PNG's header and colours (``IHDR``: size, bit depth, colour type, interlacing;
    ``PLTE`` and ``tRNS``, the palette and the transparent colour, where it has them,
    each named) and its image data (every ``IDAT`` chunk's, in order), each chunk read
    and its checksum checked by Pillow's own chunk reader, as
    :func:`dbanalysis.plotting.png_text` reads the text chunks. Two PNGs with the same
    of both decode to the same samples (no other chunk changes one: gamma and colour
    profiles say how to show them; ours and matplotlib's are RGBA, colour type 6, which
    has neither PLTE nor tRNS); ours and matplotlib's differ only in their text chunks
    when drawn alike (the same encoder): their pixels are then not decoded and compared
    (~15 ms a chart), only where these differ."""
    from PIL import PngImagePlugin

    fp = io.BytesIO(data)
    assert fp.read(8) == b"\x89PNG\r\n\x1a\n", "not a PNG"
    png = PngImagePlugin.PngStream(fp)
    header, image = b"", []
    try:
        while True:
            cid, _pos, length = png.read()
            if cid == b"IEND":
                break
            body = fp.read(length)
            png.crc(cid, body)
            if cid in (b"IHDR", b"PLTE", b"tRNS"):
                header += cid + body
            elif cid == b"IDAT":
                image.append(body)
    finally:
        png.close()
    return header, b"".join(image)
