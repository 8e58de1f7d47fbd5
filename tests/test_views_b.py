"""Helpers of the education, health, security/defence, administration/mass
organisations and new-rural notebooks (sectorview: derived quantities, pairs_of,
parts_of_total, knowledge_table_with_derived; plotting: bound_bars, marked_coverage_bars,
parts_bar)."""

import re

import pytest
from helpers_charts import MASS_MONEY, chart_ids, read_chart, source_text, sweep_cases
from matplotlib.text import Text

from dbanalysis import plotting as pl
from dbanalysis.catalogue.figures import figure
from dbanalysis.core.language import using
from dbanalysis.notebook import sectorview as sv
from dbanalysis.plotting.bar_charts import BOUND_ARROW_PT
from dbanalysis.plotting.chart_text import figure_text, template, text
from dbanalysis.plotting.style import renderer

pytestmark = pytest.mark.usefixtures("house_style")


def _quoted(figure_id: str, k: int = 0) -> float:
    """Independent parse of the k-th number of a figure's quote (Vietnamese notation)."""
    tok = re.findall(r"\d[\d.,]*\d|\d", figure(figure_id)["quote"])[k]
    return float(tok.replace(".", "").replace(",", "."))


def test_derived_values_match_an_independent_reading_of_the_quotes():
    doctors, density = _quoted("health_doctors"), _quoted("health_doctor_density")
    assert sv.derived_value("d_health_population") == pytest.approx(
        doctors / density * 1e4, abs=1)
    lo, hi = (sv.derived_value("d_health_population_low"),
              sv.derived_value("d_health_population_high"))
    assert lo < sv.derived_value("d_health_population") < hi
    assert lo == pytest.approx(doctors / (density + 0.05) * 1e4, abs=50)
    per_house = sv.derived_value("d_mass_solidarity_house_value")
    assert per_house == pytest.approx(
        _quoted("mass_solidarity_houses_value") * 1e3 / _quoted("mass_solidarity_houses"),
        abs=0.05)
    assert sv.derived_value("d_nr_communes_remaining") == \
        _quoted("award_communes") - _quoted("nr_communes_met") - _quoted("nr_communes_near")
    assert sv.derived_value("d_sec_forum_communes_share_of_21") == pytest.approx(
        100 * _quoted("sec_forum_communes") / _quoted("award_communes"), abs=0.05)
    assert sv.derived_value("d_health_communes_station_plus_pending") == \
        _quoted("health_communes_total", 1)
    assert sv.derived_value("d_nr_criteria_short_min") == \
        19 - _quoted("nr_criteria_high", 1)  # 19: national new-rural criteria (reference)
    with pytest.raises(KeyError):
        sv.derived_value("no_such_thing")


def test_derived_table_and_values_are_labelled_and_qualified():
    t = sv.derived_table("mass_organisations")
    row = t.set_index("id").loc["d_mass_solidarity_house_value"]
    assert row["formatted"].startswith("over ")  # a lower bound stays a lower bound
    assert "mass_solidarity_houses" in row["inputs"]
    vals = sv.derived_values("health", lang="vi")
    assert vals["d_health_population"].startswith("khoảng ")
    assert set(sv.derived_table(["security", "defence"])["id"]) >= {
        "d_sec_forum_communes_share", "d_def_units_good_share"}
    text = sv.plain("{x} of {award_communes}",
                       x=vals["d_health_communes_station_plus_pending_n"])
    assert text.endswith("communes")


def test_knowledge_table_with_derived_adds_derived_and_unknown_rows():
    k = sv.knowledge_table_with_derived("new_rural")
    assert {"stated", "derived", "unknown"} <= set(k["status"])
    assert list(k["status"]) == sorted(k["status"], key=["stated", "derived", "unknown"].index)
    assert (k["from"] == "award_communes - nr_communes_met - nr_communes_near").any()


def test_a_derived_figure_is_one_row_and_one_string_in_the_knowledge_tables():
    """knowledge_table_with_derived (a researcher's DataFrame) listed each 2015 baseline
    twice, from knowledge_table (slope_data) and from derived_table, and wrote one value
    two ways: "−469.225,442 con" (unrounded, a minus sign added by hand) and
    "-469.225 con" (the display rule, a hyphen). Each derived figure is now one row,
    its value the string every page writes (the display rule, typeset: U+2212); no
    value cell of a knowledge table writes a hyphen for a minus."""
    from dbanalysis.catalogue import vocab
    from dbanalysis.core.typography import typeset
    from dbanalysis.derive import ids
    from dbanalysis.views.text import figure_text as shown

    for lang in ("en", "vi"):
        k = sv.knowledge_table_with_derived("agriculture", lang)
        derived = list(k.loc[k["status"] == "derived", "value"])
        baselines = {ids.baseline(f) for f in sv.slope_candidates("agriculture")}
        assert len(baselines) == 4, baselines
        for did in baselines:
            one = typeset(shown(did, lang), lang)
            assert derived.count(one) == 1, (did, one, derived)
        assert len(derived) == len(set(sv.derived_table("agriculture", lang)["id"]) | baselines)
    assert "−469.225 con" in set(sv.knowledge_table_with_derived("agriculture", "vi")["value"])
    hyphens = [(s, v) for s in vocab.sectors().index for lang in ("en", "vi")
               for table in (sv.knowledge_table_with_derived(s, lang),
                             sv.knowledge_table_implied(s, lang))
               for v in table["value"] if re.search(r"-\d", v)]
    assert hyphens == [], hyphens


def test_pairs_of_crosses_indicators_and_checks_units():
    p = sv.pairs_of([("nr_communes_met", "award_communes"),
                     ("sec_forum_communes", "sec_forum_communes_total"),
                     ("d_nr_communes_met_or_near", "award_communes")])
    assert p.loc[0, "share"] == pytest.approx(
        100 * _quoted("nr_communes_met") / _quoted("award_communes"))
    # a pairing made here is named as a phrase: the count's label, then the total, a stated
    # pair by its count. Over the district's communes the phrase says how many, the number
    # read from the quote ("…, out of the district's 21 communes"; QA-1945 R7)
    communes = int(_quoted("award_communes"))
    assert p.loc[0, "label"] == (sv.label("nr_communes_met")
                                 + f", out of the district's {communes} communes")
    with using("vi"):
        vi = sv.pairs_of([("sec_forum_communes", "award_communes")]).loc[0, "label"]
        assert vi == (sv.label("sec_forum_communes")
                      + f", tính trên tổng số {communes} xã của huyện")
    # any other total: the generic phrase with the total's label
    other = sv.pairs_of([("nr_communes_met", "sec_forum_communes_total")]).loc[0, "label"]
    assert other.startswith(sv.label("nr_communes_met") + ", out of all ")
    assert other.endswith(sv.label("sec_forum_communes_total")[1:])
    assert p.loc[1, "label"] == sv.label("sec_forum_communes")
    assert " / " not in "".join(p["label"])
    assert list(p["derived"]) == [True, False, True]  # a pairing made here is derived
    with pytest.raises(ValueError):
        sv.pairs_of([("nr_communes_met", "edu_schools_total")])


def test_parts_of_total_remainder_is_derived_and_flagged_when_negative():
    d = sv.parts_of_total("award_communes", ["nr_communes_met", "nr_communes_near"])
    rest = d[d["status"] == "derived"].iloc[0]
    assert rest["value"] == sv.derived_value("d_nr_communes_remaining")
    assert rest["problem"] is None
    with pytest.raises(KeyError, match=r"declare one in dbanalysis\.derive"):
        sv.parts_of_total("health_communes_total", ["health_communes_with_station",
                                                    "health_communes_national_criteria"])


def test_bound_bars_hatch_lower_bounds_and_show_the_room_to_100():
    ids = ["edu_basic_completion", "edu_teachers_qualified"]
    fig = pl.bound_bars(ids, title="finding")
    bars = {p.get_gid(): p for p in fig.axes[0].patches if p.get_gid()}
    assert bars["bar:edu_basic_completion"].get_hatch() == pl.QUALIFIED_HATCH
    assert not bars["bar:edu_teachers_qualified"].get_hatch()
    room = [p for g, p in bars.items() if g.startswith("room:")]
    assert len(room) == 1 and room[0].get_x() + room[0].get_width() == pytest.approx(100)
    assert all(i in chart_ids(fig) for i in ids)
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    # the word the subtitles use ("floor", vi "mức tối thiểu"), not "lower bound" (vi7 W6)
    assert any(t.startswith("floor (“over”)") and "arrow" in t for t in legend), legend
    fig = pl.bound_bars(["mass_solidarity_houses_value", "mass_truong_sa_fund"],
                        unit="million_vnd")
    widths = {p.get_gid(): p.get_width() for p in fig.axes[0].patches if p.get_gid()}
    # one axis in billion VND (the larger amount reaches 1 000 million); each bar as stated
    assert fig.axes[0].get_xlabel() == "billion VND"
    assert widths["bar:mass_solidarity_houses_value"] == pytest.approx(
        _quoted("mass_solidarity_houses_value"))
    assert widths["bar:mass_truong_sa_fund"] == pytest.approx(
        _quoted("mass_truong_sa_fund") / 1e3)
    pl.set_language("vi")
    fig = pl.bound_bars(["mass_solidarity_houses_value", "mass_truong_sa_fund"])
    texts = " ".join(t.get_text() for t in fig.axes[0].texts)
    stated = re.search(r"trên [\d.,]+ tỷ đồng", sv.figure_table("mass_organisations")
                       .set_index("id").loc["mass_solidarity_houses_value", "quote"]).group()
    assert stated in texts and "triệu đồng" in texts
    assert fig.axes[0].get_xlabel() == "tỷ đồng"


@pytest.mark.parametrize(("lang", "layout"), sweep_cases("9.1 bound_bars",
                                                         [("en", "phone"), ("vi", "wide")]))
def test_figure_9_1_draws_every_amount_as_an_open_ended_lower_bound(lang, layout):
    """Figure 9.1 (the mass organisations' money, notebook 09): one axis of billion VND
    from zero, each bar at the amount its quote states, hatched and open to the right
    (an arrow from its end, as long on a phone as at desktop width), its value written
    as stated ("trên 675 triệu đồng") past the arrow; the rows name the houses and the
    households the money went to, from the catalogue; no year anywhere."""
    fig = read_chart("9.1 bound_bars", lang, layout)
    ax = fig.axes[0]
    r = renderer(fig)
    with using(lang):
        assert ax.get_xlabel() == pl.unit_label("billion_vnd")
        assert ax.get_xlim()[0] == 0
        bars = {p.get_gid(): p for p in ax.patches if str(p.get_gid()).startswith("bar:")}
        arrows = {t.get_gid(): t for t in ax.texts if str(t.get_gid()).startswith("open:")}
        values = {t.get_text().strip(): t for t in ax.texts if t.get_text().strip()}
        for fid in MASS_MONEY:
            stated = figure(fid)
            per_billion = 1e3 if stated["unit"] == "million_vnd" else 1
            assert stated["qualifier"] == "over"
            assert bars[f"bar:{fid}"].get_width() == pytest.approx(
                _quoted(fid) / per_billion)
            assert bars[f"bar:{fid}"].get_hatch() == pl.QUALIFIED_HATCH
            arrows[f"open:{fid}"].update_positions(r)  # the arrow as last drawn
            arrow = arrows[f"open:{fid}"].arrow_patch.get_window_extent(r)
            bar = bars[f"bar:{fid}"].get_window_extent(r)
            # the arrow starts at the bar's end and is as long in points in either layout
            assert arrow.x0 == pytest.approx(bar.x1, abs=2)
            assert arrow.width == pytest.approx(BOUND_ARROW_PT * fig.dpi / 72, abs=3)
            quote = re.search(r"trên [\d.,]+ (tỷ|triệu) đồng", stated["quote"]).group()
            label = values[figure_text(fid)]
            if lang == "vi":
                assert figure_text(fid) == quote  # the amount as the report writes it
            assert label.get_window_extent(r).x0 >= arrow.x1  # past the arrow's head
        # the rows' names: tick labels, or on a phone texts above the bars
        rows = " ".join(t.get_text() for t in [*ax.get_yticklabels(), *ax.texts])
        for count in ("mass_solidarity_houses", "mass_union_houses_supported"):
            assert sv.fmt_number(figure(count)["value"]) in rows
            assert count in chart_ids(fig)
        for fid in MASS_MONEY:  # each row named by its chart.row label, not the figure's
            assert " ".join(template(f"chart.row.{fid}").split()[1:3]) in " ".join(rows.split())
            assert pl.label(fid) not in rows
        legend = " ".join(t.get_text() for t in ax.get_legend().get_texts())
        assert " ".join(text("chart.legend.lower_bound").split()) == " ".join(legend.split())
        seen = " ".join([rows, legend, *values, fig.dbanalysis["alt"]])
        assert not re.search(r"\b(19|20)\d\d\b", seen.replace("29/09/2020", ""))
        assert not re.search(r"\b[a-z]+_[a-z_]+\b", seen)  # no internal id


def test_marked_coverage_bars_mark_expected_and_derived():
    p = sv.pairs_of([("health_communes_national_criteria",
                      "health_communes_national_criteria_total"),
                     ("d_nr_communes_met_or_near", "award_communes")])
    fig = pl.marked_coverage_bars(p)
    bars = {b.get_gid(): b for b in fig.axes[0].patches if b.get_gid()}
    assert bars["share:health_communes_national_criteria"].get_hatch() == pl.QUALIFIED_HATCH
    assert bars["share:d_nr_communes_met_or_near"].get_linestyle() == "--"
    assert "d_nr_communes_met_or_near" not in chart_ids(fig)
    assert "nr_communes_near" in chart_ids(fig)
    assert "d_nr_communes_met_or_near" in fig.dbanalysis["derived_ids"]
    labels = " ".join(t.get_text() for t in fig.axes[0].texts)
    assert "expected" in labels and "derived" in labels
    assert pl.marked_coverage_bars("health")  # a plain pairs() frame works too


def test_parts_bar_draws_the_derived_rest_and_works_in_vietnamese():
    pl.set_language("vi")
    fig = pl.parts_bar("award_communes", ["nr_communes_met", "nr_communes_near"], title="t")
    rest = [p for p in fig.axes[0].patches if p.get_gid() == "part:rest"]
    assert len(rest) == 1
    assert rest[0].get_width() == sv.derived_value("d_nr_communes_remaining")
    assert source_text(fig).startswith("Nguồn:")
    assert pl.vietnamese_font_check(" ".join(t.get_text() for t in fig.findobj(Text)))[1] \
        == set()


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_a_reading_named_in_a_knowledge_cell_opens_no_bracket_inside_its_own(lang):
    """FINAL25-A m1: the relative reading's Vietnamese name had brackets of its own
    («giảm tương đối (so với tỷ lệ năm 2015)»), so the researcher's knowledge table read
    «Tỷ lệ hộ nghèo năm 2015 (giảm tương đối (so với tỷ lệ năm 2015))»
    (``knowledge.at_base_year.reading``). No cell of the labour sector's tables (the
    poverty rate's two readings) nests one bracket in another."""
    import re

    from dbanalysis.views.knowledge import knowledge_table_implied, knowledge_table_with_derived

    cells = (set(knowledge_table_with_derived("labour", lang)["quantity"])
             | set(knowledge_table_implied("labour", lang)["quantity"]))
    assert any("2015" in c for c in cells), cells
    nested = [c for c in cells if re.search(r"\([^()]*\(", c)]
    assert nested == [], nested
