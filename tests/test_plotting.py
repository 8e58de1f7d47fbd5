import re

import matplotlib.colors
import pytest
from helpers_charts import (
    PHONE_CHARTS,
    built_layouts,
    chart_ids,
    chart_langs,
    chart_variants,
    fresh_chart,
    read_chart,
    source_text,
    sweep_cases,
    sweep_chart,
    swept,
)
from helpers_drawn import chart_png

from dbanalysis import plotting as pl
from dbanalysis.catalogue.figures import figure
from dbanalysis.catalogue.source import citation_line, report_text
from dbanalysis.core.language import using
from dbanalysis.notebook import sectorview as sv

pytestmark = pytest.mark.usefixtures("house_style")

VI_SAMPLE = "Điện Biên: thi đua, khen thưởng; tổng đàn gia cầm ước đạt; Huân chương; Bằng khen"


def test_house_font_has_every_vietnamese_glyph():
    path, missing = pl.vietnamese_font_check(VI_SAMPLE)
    assert "DejaVuSans.ttf" in path
    assert missing == set()
    for fid in sv.figure_ids_for(["agriculture", "awards", "emulation"]):
        assert pl.vietnamese_font_check(pl.label(fid, "vi"))[1] == set()


def test_monospace_font_would_fail_the_check():
    path, missing = pl.vietnamese_font_check(VI_SAMPLE, family="DejaVu Sans Mono")
    assert "Mono" in path
    assert missing  # e.g. ố, ồ, ả: the check can fail


def test_charts_carry_source_line_with_ids():
    """(The value bars the chart group builds once, helpers_charts.OTHER_CHARTS, in the
    language its sweep draws first: not a chart built for this test alone.)"""
    lang = chart_langs("value_bars")[0]
    fig = swept("value_bars")  # pl.value_bars([...security, mediation, self-managed teams])
    src = source_text(fig)
    assert src == citation_line(lang)
    assert chart_ids(fig) == ["sec_security_teams", "sec_mediation_teams",
                              "sec_selfmanaged_teams"]
    fig = swept("11.1 award_hierarchy")  # (its ids: one per language and layout)
    assert set(chart_ids(fig)) == set(sv.award_table()["figure_id"])


def test_source_line_in_vietnamese():
    pl.set_language("vi")
    fig = pl.achievement_bars(["culture_villages_vs_district", "budget_revenue_vs_plan"])
    assert source_text(fig) == citation_line("vi")


def test_derived_points_are_hollow_and_dashed():
    fig = pl.slope_2015_2019(["agri_cattle", "agri_fish_output"], title="finding")
    assert fig.dbanalysis["title"] == "finding" and fig._suptitle is None  # title: caption
    ax = fig.axes[0]
    lines = {ln.get_gid(): ln for ln in ax.get_lines()}
    stated, derived, link = lines["stated"], lines["derived"], lines["slope-line"]
    assert derived.get_markerfacecolor() == "white"
    assert stated.get_markerfacecolor() != "white"
    assert link.get_linestyle() == "--"
    assert derived.get_xdata()[0] == 2015 and stated.get_xdata()[0] == 2019
    data = sv.slope_data(["agri_cattle"])
    base = data.loc[data["status"] == "derived", "value"].iloc[0]
    assert derived.get_ydata()[0] == pytest.approx(base)
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["stated", "derived (level − change)"]
    assert ax.get_ylabel() == "head"


@pytest.mark.parametrize(("lang", "year"), [("en", "2019"), ("vi", "2019")])
def test_a_slope_to_the_reports_to_date_says_so(lang, year):
    """An end year the report gives only as "to date" is named as such in the subtitle,
    with the one gloss of the report's words the tables and Figure 0.1 say
    (figure_labels.to_date_gloss, REVIEW-24A 6; and so in the alt text, before the
    values), and its points are written by the display rule (as the tables do)."""
    from dbanalysis.catalogue.figure_labels import to_date_gloss
    from dbanalysis.derive import precision

    # the figure's own words (REVIEW-vi25 A1: the usual “(tính) đến nay” is a shorthand
    # only the method page explains; the area's sentence says “Tính đến nay”)
    words = to_date_gloss(lang, "agri_aquaculture_area")
    assert "“tính đến nay”" in words and words != to_date_gloss(lang)
    pl.set_language(lang)
    fig = pl.slope_2015_2019(["agri_aquaculture_area"])
    meta = fig.dbanalysis
    assert words in meta["subtitle"] and year in meta["subtitle"]
    assert "(tính)" not in meta["subtitle"] and "(tính)" not in meta["alt"]
    # said once, in the subtitle the alt text starts with; said again inside the point's
    # value it split one "name: value" item in two ("… in 2019; report: “to date”, +19.5%")
    assert meta["alt"].count(words) == 1
    assert meta["alt"].index(words) < meta["alt"].index(f" {year},")
    shown = [t.get_text() for t in fig.axes[0].texts]
    assert shown == [precision.display_text("d_agri_aquaculture_area_2015", lang),
                     precision.display_text("agri_aquaculture_area", lang)]


def test_set_language_switches_labels():
    en = pl.label("agri_cattle")
    pl.set_language("vi")
    vi = pl.label("agri_cattle")
    assert en != vi and "trâu, bò" in vi
    fig = pl.value_bars(["agri_sown_area", "agri_fruit_area"])
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert any("gieo trồng" in t for t in ticks)
    with pytest.raises(ValueError):
        pl.set_language("fr")


def _parse_fraction(quote: str) -> tuple[int, int]:
    """An independent reading of 'a/b' in a quote (Vietnamese thousands dots)."""
    a, b = re.search(r"(\d[\d.]*)\s*/\s*(\d[\d.]*)", quote).groups()
    return int(a.replace(".", "")), int(b.replace(".", ""))


def test_coverage_bars_share_matches_the_quote():
    p = sv.pairs("culture")
    fig = pl.coverage_bars(p)
    row = p[p["count_id"] == "culture_villages"].iloc[0]
    quote = sv.figure_table("culture").set_index("id").loc["culture_villages", "quote"]
    a, b = _parse_fraction(quote)
    assert row["share"] == pytest.approx(100 * a / b)
    widths = sorted(round(r.get_width(), 6) for r in fig.axes[0].patches
                    if r.get_gid() == "share")
    assert round(100 * a / b, 6) in widths
    labels = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert f"{a}/{b}" in labels
    assert "culture_villages_total" in chart_ids(fig)


def test_value_bars_hatch_qualified_values():
    fig = pl.value_bars(["budget_revenue", "trade_turnover"])
    bars = {p.get_gid(): p for p in fig.axes[0].patches}
    assert bars["bar:trade_turnover"].get_hatch() == pl.QUALIFIED_HATCH
    assert not bars["bar:budget_revenue"].get_hatch()
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert any("estimate" in t for t in legend)
    with pytest.raises(ValueError):
        pl.value_bars(["labour_jobs", "labour_trainees"])


def test_achievement_bars_reference_line():
    fig = pl.achievement_bars(["culture_villages_vs_district", "budget_revenue_vs_plan"])
    ref = [ln for ln in fig.axes[0].get_lines() if ln.get_gid() == "target-line"]
    assert ref and ref[0].get_xdata()[0] == 100
    assert fig.axes[0].get_xlabel()


def test_composition_bar_stacks_components():
    comps = ["ind_output_enterprises", "ind_output_households", "ind_output_processing"]
    fig = pl.composition_bar("ind_output_total", comps)
    patches = [p for p in fig.axes[0].patches if (p.get_gid() or "").startswith("component:")]
    assert len(patches) == 3
    assert patches[1].get_x() == pytest.approx(patches[0].get_width())
    assert fig.axes[0].get_xlabel() == "billion VND"


def test_award_hierarchy_shares_by_level_on_a_linear_axis():
    fig = swept("11.1 award_hierarchy")
    ax = fig.axes[0]
    assert ax.get_xscale() == "linear" and ax.get_xlim()[0] == 0
    t = sv.award_table()
    by_level = t.groupby("level")["count"].sum()
    widths = [p.get_width() for p in ax.patches if p.get_gid() == "awards:share"]
    assert widths == pytest.approx([100 * by_level[lv] / t["count"].sum() for lv in sv.LEVELS])
    assert sum(widths) == pytest.approx(100)


@pytest.mark.parametrize("lang", sweep_cases("11.1 award_hierarchy", ["en", "vi"],
                                             lang_of=lambda lang: lang))
def test_award_hierarchy_shares_share_one_number_of_decimals(lang):
    """QA-1945 R7 (Q16): "0.15%", "2.30%" beside "77.7%", "19.8%". The shares of one whole
    take one number of decimals by the display rule (derive.precision), the same the
    page's prose and tables give them: here one, the least precise share's."""
    from dbanalysis.derive import precision

    fig = sweep_chart("11.1 award_hierarchy", lang)
    values = [t.get_text() for t in fig.axes[0].texts if "%" in t.get_text()]
    shares = [re.search(r"\(([\d.,]+)\s?%\)", v).group(1) for v in values]
    assert len(shares) == 4, values
    sep = "," if lang == "vi" else "."
    places = {len(s.split(sep)[1]) if sep in s else 0 for s in shares}
    assert places == {1}, shares
    # each is the figure as every page writes it (the one display rule)
    levels = ["national", "provincial", "district", "commune"]
    assert shares == [precision.display_text(f"d_awards_{lv}_share", lang) for lv in levels]
    # and none of the shares reads as zero
    assert all(float(s.replace(",", ".")) > 0 for s in shares)


def test_png_is_deterministic(tmp_path):
    """Two copies of a chart drawn apart, one by png_bytes (the chart sweep's PNG of
    Figure 11.1, drawn earlier in the run), the other saved by save_png now: the same
    bytes, no software or time stamp. (Two charts built apart give the same bytes too:
    test_charts_honest's metadata test compares a chart built anew with the PNG of
    this process's copy; this test built two more charts of its own for that, ~0.5 s.)"""
    name = "11.1 award_hierarchy"
    lang, layout = chart_variants(name)[0]
    a = chart_png(name, lang, layout).png
    assert a[:4] == b"\x89PNG"
    assert b"Software" not in a and b"Creation" not in a
    with using(lang):
        path = pl.save_png(fresh_chart(name, lang, layout), tmp_path / "x" / "a.png")
    assert path.read_bytes() == a


def test_verdict_bars_stack_every_check_and_cite_the_inconsistent_figures():
    from dbanalysis.audit.run import run_audit

    audit = run_audit()
    fig = read_chart("verdict_bars")  # pl.verdict_bars(summary_by_sector(audit), audit)
    ax = fig.axes[0]
    total = sum(p.get_width() for p in ax.patches if str(p.get_gid()).startswith("verdict:"))
    assert total == len(audit)
    red = [p for p in ax.patches if p.get_gid() == "verdict:inconsistent"]
    assert red and red[0].get_facecolor()[:3] == pytest.approx(
        matplotlib.colors.to_rgb(pl.VERDICT_COLOURS["inconsistent"]))
    assert "agri_poultry" in chart_ids(fig)
    legend = [t.get_text() for t in ax.get_legend().get_texts()]
    assert "inconsistent" in legend


def _png_size_and_text(drawn) -> tuple[int, float]:
    """The width of chart PNG ``drawn`` (:class:`helpers_drawn.DrawnPNG`) and the smallest
    text it records (read from the PNG where its pixels were made, else from the draw
    that would write it: :attr:`~helpers_drawn.DrawnPNG.size`, ``.text``)."""
    from dbanalysis.plotting.provenance import MIN_TEXT_KEY

    return drawn.size[0], float(drawn.text[MIN_TEXT_KEY])


@pytest.mark.parametrize(("name", "lang"), [
    pytest.param(name, lang, id=f"{name}-{lang}")
    for name in PHONE_CHARTS for lang in chart_langs(name)])
def test_phone_layout_fits_a_390_px_screen_with_legible_text(name, lang):
    """Drawn for a phone, a chart is at most 350 CSS px wide (its PNG is 2x) and its
    smallest text at least 12 CSS px; the wide layout's text is at least 12 px too
    (the PNGs of :func:`helpers_drawn.chart_png`: their size and text chunk, read from
    the PNG where its pixels are made, else from png_bytes' draw of it without them).
    Under ``make test-quick`` each chart in its one variant
    (:func:`helpers_charts.chart_variants`): the phone's checks, or the wide layout's."""
    layouts = {layout for lang_, layout in chart_variants(name) if lang_ == lang}
    width = None
    if "phone" in layouts:
        phone = chart_png(name, lang, "phone")
        width, text_px = _png_size_and_text(phone)
        assert width / 2 <= 350, (name, lang, width)
        assert text_px / 2 >= 12, (name, lang, text_px)
        assert not [ax for ax in phone.fig.axes if ax.get_position().width < 0.3], name
    if "wide" in layouts:
        wide_width, wide_text = _png_size_and_text(chart_png(name, lang, "wide"))
        assert wide_text >= 12, (name, lang, wide_text)
        if width is not None:
            assert wide_width > width / 2, (name, lang, wide_width)


#: The site's smallest text, in CSS px (QA-1945 R3: a bar's row label is what names it).
SITE_TEXT_FLOOR_PX = 13
#: Charts that write no row label (a slope, line or single-bar chart names its marks in a
#: legend or at their ends): the test below checks that they have none, and that every
#: other chart has some, so a chart losing its row labels fails instead of being skipped.
NO_ROW_LABELS = {"1.1 slope", "4.1 reading_paths", "10.1 parts_bar",
                 "reading_paths, default legend"}


@pytest.mark.parametrize(("name", "lang"), [
    pytest.param(name, lang, id=f"{name}-{lang}")
    for name in PHONE_CHARTS for lang in chart_langs(name)
    if any(layout == "phone" for lang_, layout in chart_variants(name) if lang_ == lang)])
def test_phone_row_labels_are_one_size_above_the_sites_text_floor(name, lang):
    """On a phone a bar chart's row labels (written above their bars) are at least the
    site's 13 CSS px (the PNG is 2x, shown at most at its own size) and no smaller than
    the chart's tick labels: Figures 6.1, 7.1 and 8.1 wrote theirs at 9 pt (12.5 px)."""
    from dbanalysis.plotting.style import NARROW_DPI

    fig = read_chart(name, lang, "phone")
    rows = [float(t.get_fontsize()) for t in fig.findobj(lambda a: a.get_gid() == "row-label")
            if t.get_visible() and t.get_text().strip()]
    if name in NO_ROW_LABELS:
        assert not rows, f"{name} writes row labels: take it out of NO_ROW_LABELS"
        return
    assert rows, f"{name} has no row labels (gid 'row-label')"
    ticks = [float(t.get_fontsize()) for ax in fig.axes for t in ax.get_xticklabels()
             if t.get_visible() and t.get_text().strip()]
    css_px = min(rows) * NARROW_DPI / 72 / 2
    assert css_px >= SITE_TEXT_FLOOR_PX, (name, lang, css_px)
    assert len(set(rows)) == 1 and min(rows) >= max(ticks, default=0), (name, rows, ticks)


def test_sector_charts_draw_catalogued_and_derived_ids_at_their_values():
    from dbanalysis.derive.lookup import derived_value

    fig = read_chart("3.1 level_bars")  # the 2015 revenue with its range, plan, revenue
    bars = {p.get_gid(): p for p in fig.axes[0].patches}
    assert bars["level:d_budget_revenue_2015"].get_width() == pytest.approx(
        derived_value("d_budget_revenue_2015"))
    assert bars["level:d_budget_revenue_2015"].get_facecolor()[:3] == (1.0, 1.0, 1.0)
    assert bars["level:budget_revenue"].get_width() == sv.figure("budget_revenue")["value"]
    assert fig.axes[0].get_xlim()[0] == 0
    assert "d_budget_revenue_2015_high" in fig.dbanalysis["derived_ids"]
    statuses = {row[0]: row[2] for row in fig.dbanalysis["rows"]}
    # its status is the tables' (two readings), as its outline in the chart says
    assert statuses[sv.label("budget_revenue")] == "two readings"
    fig = pl.share_bars_of([("def_units_good", "def_units_total"),
                            ("sec_forum_communes", "award_communes")],
                           extensions={"def_units_good": "d_def_units_passed_not_good"})
    bars = {p.get_gid(): p for p in fig.axes[0].patches}
    assert bars["share:def_units_good"].get_width() == pytest.approx(
        derived_value("d_def_units_good_share"))
    # a count over a total the report does not pair it with is drawn hollow, as derived
    assert bars["share:sec_forum_communes"].get_facecolor()[:3] == (1.0, 1.0, 1.0)
    assert bars["extension:d_def_units_passed_not_good"].get_hatch()
    with pytest.raises(ValueError, match="not a percentage"):
        pl.share_bars_of(["def_units_good", "edu_teachers_qualified"])


@pytest.mark.parametrize(("lang", "words", "on_chart"), [
    ("en", "and 2 more communes", "+ 2 stations funded"),
    ("vi", "thêm 2 xã", "+ 2 xã được đầu tư xây dựng trạm"),
])
def test_an_expected_extension_is_drawn_as_plus_n_and_said_in_words(lang, words, on_chart):
    """The chart says what the hatched "+ 2" is (the funded stations: QA item 14, "+ 2"
    alone was cryptic), on a line of its own under the row's value, so that the row's
    label keeps its width (a longer line squeezed the axis on a phone); the alt text,
    read without the picture, says it in a sentence. The label may itself take two lines
    (the Vietnamese names the communes and the building: vi3 B1)."""
    from matplotlib.text import Text

    pl.set_language(lang)
    fig = pl.share_bars_of([("health_communes_with_station", "health_communes_total"),
                            ("health_stations_with_doctor", "health_stations_total")],
                           extensions={"health_communes_with_station":
                                       "health_communes_station_pending"})
    drawn = [t.get_text().split("\n") for t in fig.findobj(Text) if "+ 2" in t.get_text()]
    assert [[lines[0].strip(), " ".join(line.strip() for line in lines[1:])]
            for lines in drawn] == [[lines[0].strip(), on_chart] for lines in drawn]
    assert drawn[0][0].strip().startswith("19/21")
    alt = fig.dbanalysis["alt"]
    assert words in alt and "+ 2" not in alt


def test_charts_keep_title_subtitle_and_source_for_the_caption_not_in_the_image():
    from matplotlib.text import Text

    fig = pl.parts_bar("award_communes", ["nr_communes_met", "nr_communes_near"],
                       title="Thirteen", subtitle="of the district's communes")
    meta = fig.dbanalysis
    assert (meta["title"], meta["subtitle"]) == ("Thirteen", "of the district's communes")
    assert meta["source"] == citation_line("en")
    drawn = {t.get_text() for t in fig.findobj(Text)}
    assert not drawn & {"Thirteen", "of the district's communes", citation_line("en")}
    # the alt text is typeset as the pages are (a curly apostrophe)
    assert meta["alt"].startswith("Stacked bar chart: Thirteen. of the district’s communes.")


def test_wrap_breaks_at_spaces_not_at_a_no_break_space():
    """A no-break space holds a count to its unit (QA-1450 item 4: Figure 0.1's legend
    broke "(1" / "dòng)" on a phone: ``str.split()`` had made the U+00A0 a space)."""
    from dbanalysis.plotting.chart_text import wrap

    label = "tính từ số đã hiệu chỉnh (1\xa0dòng)"
    for width in range(8, 40):
        lines = wrap(label, width).split("\n")
        assert not any(ln.endswith("(1") for ln in lines), (width, lines)
    assert "(1\xa0dòng)" in wrap(label, 26)


#: The layout the two Figure 0.1 tests below read: the phone (``make test``, which builds
#: both); under ``make test-quick`` the one its sweep builds (wide: the phone copies, ~1 s
#: of CPU, the costliest chart to build, were built for these tests alone).
GLANCE_LAYOUT = "phone" if "phone" in built_layouts("0.1 change_since_2015") else "wide"


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_glance_legend_keeps_each_count_with_its_unit(lang):
    """Figure 0.1's legend on a phone, as drawn: each "(n dòng)" / "(rows: n)" whole.
    Read from the chart as built (:func:`helpers_charts.read_chart`): its legend's texts
    are set, wrapped, before the chart is returned, and a draw changes none of them (no
    draw hook in the package: the built and the PNG-drawn legends are equal on every
    variant), so the PNG draw ``make test-quick``'s sweep does not make (it draws Figure
    0.1 wide) is not made here for it. Under ``make test-quick`` the wide copy
    (:data:`GLANCE_LAYOUT`), whose legend is not wrapped: there it checks that each count
    is held to its unit by a no-break space, which the wrap keeps whole
    (test_wrap_breaks_at_spaces_not_at_a_no_break_space); the phone's wrapped legend is
    left to ``make test``, as the sweep's other variants are."""
    fig = read_chart("0.1 change_since_2015", lang, GLANCE_LAYOUT)
    legend = [t.get_text() for ax in fig.axes if ax.get_legend()
              for t in ax.get_legend().get_texts()]
    assert legend and all("\xa0" in t for t in legend), legend
    broken = [t for t in legend if re.search(r"\(\d+\n|\(rows:\n|\n\d+\)|\ndòng\)", t)]
    assert not broken, broken


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_chart_table_gives_the_corrected_value_it_draws_and_the_printed_one(lang):
    """Figure 0.1 draws the poultry flock's change from its corrected value: its table
    (the chart's figures) gives that value, the printed one beside it and the status
    "corrected", with the cells of the page tables (page 01), never the impossible
    printed value as "stated".

    The table is the chart's data, the same in both layouts (compared under ``make
    test``, where both copies are built anyway): it is read from the copy the legend test
    above reads (:data:`GLANCE_LAYOUT`: the phone; under ``make test-quick`` the one
    layout its sweep builds, wide)."""
    from dbanalysis.derive import ids
    from dbanalysis.render import tables

    fig = read_chart("0.1 change_since_2015", lang, GLANCE_LAYOUT)
    if len(built_layouts("0.1 change_since_2015")) > 1:  # make test
        wide = read_chart("0.1 change_since_2015", lang, "wide").dbanalysis
        assert wide["rows"] == fig.dbanalysis["rows"]
        assert wide["figure_ids"] == fig.dbanalysis["figure_ids"]
    rows = {row[0]: row for row in fig.dbanalysis["rows"]}
    poultry = rows[sv.label("agri_poultry", lang)]
    corrected = sv.figure_text("agri_poultry", lang, reading=ids.corrected("agri_poultry"))
    printed = sv.figure_text("agri_poultry", lang)
    assert poultry[1].startswith(corrected) and printed not in poultry[1], poultry
    assert poultry[2] == tables.status_label("corrected", lang)
    # as the report prints it (QA-0305 S5: “1,558 con”, not the page's "estimated 1.558")
    assert poultry[3].endswith(str(tables.figure_cells("agri_poultry", lang).printed)), poultry
    f = figure("agri_poultry")  # (and that cell is the report's characters, not the page's)
    said = report_text()[int(f["number_start"]):int(f["number_end"])]
    assert said in poultry[3], poultry  # first: the page's value is only said after it
    before = poultry[3][:poultry[3].index(said)]
    assert sv.figure_text("agri_poultry", lang, qualifier=False) not in before, poultry
    # every other catalogued row has the status the page tables give it
    for fid in fig.dbanalysis["figure_ids"]:
        row = rows.get(sv.label(fid, lang))
        if row is not None:
            assert row[2] == tables.status_label(tables.figure_status(fid), lang), row


@pytest.mark.parametrize(("lang", "narrow"), [("vi", True), ("en", False)])
def test_text_drawn_from_kept_glyphs_is_matplotlib_s_text(lang, narrow, monkeypatch):
    """plotting.glyphs draws a chart's plain text from strings shaped once and glyphs
    rasterised once, written by hand beside matplotlib's ``RendererAgg.draw_text`` (which
    keeps neither): a chart's PNG drawn with it, cold and from the kept glyphs, is byte
    for byte the PNG matplotlib's own text drawing makes (Vietnamese diacritics, a phone's
    wrapped labels, the value labels' halo). Each PNG of a fresh copy of the chart the
    chart tests build once (:func:`helpers_charts.fresh_chart`: its PNG is that of the
    chart built anew, byte for byte, test_charts_honest), not of three more builds."""
    from matplotlib.backends.backend_agg import RendererAgg

    from dbanalysis.plotting import glyphs

    def png() -> bytes:
        with using(lang):
            return pl.png_bytes(fresh_chart("5.2 achievement_bars", lang,
                                            "phone" if narrow else "wide"))

    drawn = []

    def counted(*args, **kwargs):
        drawn.append(args[4])
        return kept_draw(*args, **kwargs)

    kept_draw = glyphs.draw_text
    monkeypatch.setattr(glyphs, "_SHAPED", {})
    monkeypatch.setattr(glyphs, "_BITMAPS", {})
    monkeypatch.setattr(glyphs, "draw_text", counted)
    cold, warm = png(), png()
    assert drawn, "no text went through plotting.glyphs"
    monkeypatch.setattr(glyphs, "draw_text", lambda r, gc, x, y, s, prop, angle, mtext, key:
                        RendererAgg.draw_text(r, gc, x, y, s, prop, angle, False, mtext))
    assert cold == warm == png()
