"""Reading what a chart says (tests only), and every chart the tests draw, built once
per test process (:func:`fresh_chart`, :func:`read_chart`; drawn to PNG:
:func:`helpers_drawn.chart_png`)."""

import functools
import pickle
from collections.abc import Callable

from helpers_examples import quick
from helpers_kept import keep, kept_path, read_kept
from matplotlib.figure import Figure
from matplotlib.text import Text

import dbanalysis as db
from dbanalysis import plotting as pl
from dbanalysis.notebook import sectorview as sv
from dbanalysis.notebook.bilingual import editions


def source_text(fig) -> str:
    """The chart's one source line, kept for the page's caption (no text of the image
    is a source line: the caption carries it, as text a reader can select)."""
    assert not [t for t in fig.findobj(Text) if t.get_gid() == pl.SOURCE_GID]
    return fig.dbanalysis["source"]


def chart_ids(fig) -> list[str]:
    """The catalogue ids a chart records in ``fig.dbanalysis`` (not in its source line)."""
    return fig.dbanalysis["figure_ids"]


# --- every chart, built once per test process ---------------------------------------------

#: The mass organisations' money, every amount a lower bound (Figure 9.1).
MASS_MONEY = ["mass_solidarity_houses_value", "mass_gifts_value", "mass_union_housing_fund",
              "mass_truong_sa_fund"]

#: Every chart of the report, called as its notebook calls it (figure numbers as the
#: site gives them; titles and captions are not drawn into the image).
NOTEBOOK_CHARTS: dict[str, Callable[[], Figure]] = {
    "0.1 change_since_2015": lambda: db.change_since_2015(title="t"),
    "0.2 plan_achievement": lambda: db.plan_achievement(title="t"),
    "1.1 slope": lambda: db.slope_2015_2019(
        ["agri_cattle", "agri_aquaculture_area", "agri_fish_output"], title="t"),
    "2.1 composition_bar": lambda: db.composition_bar(
        "ind_output_total", ["ind_output_enterprises", "ind_output_households",
                             "ind_output_processing"], title="t"),
    "3.1 level_bars": lambda: db.level_bars(
        ["d_budget_revenue_2015", "d_budget_revenue_plan", "budget_revenue"],
        ranges={"d_budget_revenue_2015": ("d_budget_revenue_2015_low",
                                          "d_budget_revenue_2015_high")}, title="t"),
    "4.1 reading_paths": lambda: db.reading_paths(db.change_readings("labour_poverty_rate"),
                                                  legend_loc="upper right", title="t"),
    "5.1 coverage_bars": lambda: db.coverage_bars(db.pairs(["culture", "tourism"]), title="t"),
    "5.2 achievement_bars": lambda: db.achievement_bars(
        ["culture_villages_vs_district", "culture_villages_vs_province",
         "culture_families_vs_district", "culture_families_vs_province"], title="t"),
    "6.1 share_bars_of": lambda: db.share_bars_of(
        [("edu_schools_standard", "edu_schools_total"), "edu_teachers_qualified",
         "edu_teachers_above_standard"], title="t"),
    "7.1 share_bars_of": lambda: db.share_bars_of(
        [("health_communes_with_station", "health_communes_total"),
         ("health_stations_with_doctor", "health_stations_total"),
         ("health_communes_national_criteria", "health_communes_national_criteria_total")],
        extensions={"health_communes_with_station": "health_communes_station_pending"},
        title="t"),
    "8.1 share_bars_of": lambda: db.share_bars_of(
        [("def_units_good", "def_units_total"), ("sec_forum_communes", "sec_forum_communes_total"),
         ("sec_forum_communes", "award_communes")], title="t"),
    "9.1 bound_bars": lambda: db.bound_bars(
        MASS_MONEY, title="t", subtitle=db.caption_text("chart.subtitle.mass_organisations")),
    "10.1 parts_bar": lambda: db.parts_bar(
        "award_communes", ["nr_communes_met", "nr_communes_near"], title="t"),
    "11.1 award_hierarchy": lambda: db.award_hierarchy(title="t"),
}


def _verdict_bars() -> Figure:
    from dbanalysis.audit.run import run_audit, summary_by_sector

    audit = run_audit()
    return pl.verdict_bars(summary_by_sector(audit), audit, title="t")


#: The other chart calls the tests make: every chart function, including those no
#: notebook calls.
OTHER_CHARTS: dict[str, Callable[[], Figure]] = {
    "value_bars": lambda: pl.value_bars(["sec_security_teams", "sec_mediation_teams",
                                         "sec_selfmanaged_teams"], title="t"),
    "count_bars": lambda: pl.count_bars(["labour_jobs", "labour_trainees"], title="t"),
    "bound_bars of percentages": lambda: pl.bound_bars(
        ["edu_basic_completion", "edu_teachers_qualified"], title="t"),
    "range_bar": lambda: pl.range_bar("culture_sport_people_low", "culture_sport_people_high",
                                      title="t"),
    "marked_coverage_bars": lambda: pl.marked_coverage_bars(sv.pairs_of(
        [("health_communes_with_station", "health_communes_total"),
         ("health_communes_national_criteria", "health_communes_national_criteria_total")]),
        title="t"),
    "share_bars": lambda: pl.share_bars(sv.figure_ids_for("infrastructure"), title="t"),
    "parts_bar of units": lambda: pl.parts_bar("def_units_total", ["def_units_good"],
                                               title="t"),
    "reading_paths, default legend": lambda: pl.reading_paths(
        sv.change_readings("labour_poverty_rate"), title="t"),
    "growth_paths": lambda: pl.reading_paths(sv.growth_paths("trade_turnover"), title="t"),
    "share_bars_of, mixed": lambda: pl.share_bars_of(
        [("def_units_good", "def_units_total"), ("sec_forum_communes", "award_communes"),
         "edu_teachers_qualified"], title="t"),
    "verdict_bars": _verdict_bars,
}
CHARTS = {**NOTEBOOK_CHARTS, **OTHER_CHARTS}
LAYOUTS = ("wide", "phone")
LANGS = ("en", "vi")
#: The charts drawn for a phone (test_plotting, test_chart_collisions, test_chart_lines,
#: test_chart_phone_rows): every chart a notebook draws, and two chart calls of other
#: kinds (a share of a total the report does not pair it with beside a plain share; the
#: readings' legend where the chart places it).
PHONE_CHARTS = [*NOTEBOOK_CHARTS, "share_bars_of, mixed", "reading_paths, default legend"]
#: The (language, layout) variants of a chart, in the order ``make test-quick`` rotates
#: them along :data:`CHARTS` (one per chart: every language and layout is drawn).
VARIANTS = (("en", "wide"), ("vi", "phone"), ("en", "phone"), ("vi", "wide"))


def chart_variants(name: str) -> tuple[tuple[str, str], ...]:
    """The (language, layout) variants the chart tests draw chart ``name`` in: every
    language, in both layouts for a chart of :data:`PHONE_CHARTS`, else wide; under
    ``make test-quick`` (:func:`helpers_examples.quick`) one of them, rotating along
    :data:`CHARTS` (:data:`VARIANTS`), so that the quick sweep still draws every chart,
    and each language and each layout across the charts."""
    layouts = LAYOUTS if name in PHONE_CHARTS else ("wide",)
    variants = tuple((lang, layout) for lang in LANGS for layout in layouts)
    if not quick():
        return variants
    i = list(CHARTS).index(name)
    return ((VARIANTS[i % len(VARIANTS)] if name in PHONE_CHARTS
             else (LANGS[i % len(LANGS)], "wide")),)


def sweep_cases(name: str, cases: list, lang_of: Callable[[object], str] = lambda case: case[0]
                ) -> list:
    """The parametrised cases of a test of chart ``name`` in several languages (or
    variants): all of them; under ``make test-quick`` those in a language the quick sweep
    draws the chart in (:func:`chart_langs`), whose copy the chart group has built anyway:
    a case in the other language built one more copy of the chart (0.1-0.6 s each) for it
    alone. The others are left to ``make test``, as the sweep's other variants are."""
    return [case for case in cases if lang_of(case) in chart_langs(name)]


def chart_langs(name: str) -> tuple[str, ...]:
    """The languages of :func:`chart_variants` (both; under ``make test-quick`` one)."""
    return tuple(dict.fromkeys(lang for lang, _ in chart_variants(name)))


def built_layouts(name: str) -> tuple[str, ...]:
    """The layouts of :func:`chart_variants`: those this run builds chart ``name`` in,
    each in every language (a chart's editions are built together): ``make test`` both
    for a chart of :data:`PHONE_CHARTS`; ``make test-quick`` the one its sweep draws."""
    return tuple(dict.fromkeys(layout for _, layout in chart_variants(name)))


def sweep_layout(name: str, lang: str) -> str:
    """The layout the chart sweep draws chart ``name`` in, in ``lang``: its first variant
    in that language (``make test``: wide), else wide."""
    return next((layout for lang_, layout in chart_variants(name) if lang_ == lang), "wide")


def sweep_chart(name: str, lang: str = "en") -> Figure:
    """Chart ``name`` in ``lang`` to read (:func:`read_chart`), in the layout the chart
    sweep draws it in (:func:`sweep_layout`): under ``make test-quick`` a test of one chart
    reads the copy the sweep builds anyway (Figure 1.1 in English: the phone layout),
    not another layout of it; under ``make test`` the wide layout, as before."""
    return read_chart(name, lang, sweep_layout(name, lang))


def swept(name: str) -> Figure:
    """Chart ``name`` to read for a check that holds in every language and layout (its
    ids, its marks' values, its reference lines): the copy the chart sweep draws first
    (:func:`sweep_chart` in the first of :func:`chart_langs`): ``make test`` the wide
    English copy, as before; ``make test-quick`` the one variant its sweep draws, not a
    copy of another variant built for this check alone."""
    return sweep_chart(name, chart_langs(name)[0])


def _built(name: str, lang: str, layout: str) -> bytes:
    """Chart ``name`` built once per test process, pickled (a copy of a figure is
    unpickled in half the time :func:`copy.deepcopy` takes)."""
    return _built_editions(name, layout)[lang][1]


def build_editions(name: str, layout: str = "wide") -> dict[str, Figure]:
    """Chart ``name`` built anew in ``layout`` (``phone``: the layout of
    :func:`dbanalysis.plotting.style.narrow`) in every language, as a notebook's
    :func:`dbanalysis.show` draws it: by the function it draws a chart's editions with
    (:func:`dbanalysis.notebook.bilingual.editions`: their value axes made the same),
    so that a test of these copies tests what a notebook shows: {lang: Figure}."""
    drawn = editions(lambda lang: CHARTS[name](), LANGS, (layout,))
    return {lang: drawn[lang][layout] for lang in LANGS}


@functools.cache
def _built_editions(name: str, layout: str) -> dict[str, tuple[Figure, bytes]]:
    """:func:`build_editions`, once per test process: {lang: (the figure built, kept for
    :func:`read_chart`; it pickled as built, before anything reads it, for
    :func:`fresh_chart`)}; where a process built it from the same code, data and
    libraries (:mod:`helpers_kept`), unpickled from the pickles it kept (their PNGs
    a fresh build's, byte for byte: test_charts_honest builds three anew to compare)."""
    pl.use_house_style()
    path = kept_path(name, layout)
    kept = read_kept(path)
    if kept is not None:
        try:
            return {lang: (pickle.loads(data), data) for lang, data in kept.items()}
        except Exception:  # a damaged pickle inside: built again, kept anew (FINAL25-B 5)
            pass
    built = {lang: (fig, pickle.dumps(fig)) for lang, fig in build_editions(name, layout).items()}
    keep(path, {lang: data for lang, (_, data) in built.items()})
    return built


def fresh_chart(name: str, lang: str = "en", layout: str = "wide") -> Figure:
    """Chart ``name`` as its function returns it (never drawn): a copy of the one built
    for this process, so a test may draw or change it. Its PNG is byte for byte the PNG
    of the chart built anew (test_charts_honest compares them)."""
    return pickle.loads(_built(name, lang, layout))


def read_chart(name: str, lang: str = "en", layout: str = "wide") -> Figure:
    """Chart ``name`` to read, not to change: the figure of :func:`_built_editions` (built
    here, or unpickled once from the pickle an earlier process kept), for every test that
    reads what the chart holds (its marks, texts, limits, ``fig.dbanalysis``) or lays it
    out to measure it (:func:`dbanalysis.plotting.style.renderer`, a draw without
    rendering: laid out again, a chart measures as a fresh one laid out once, to 1e-6 pt,
    checked on every variant). Laid out, the built figure and a copy unpickled from it
    place every text and mark alike, to 0.0 px (1,476 texts and every mark, value axis
    and ``fig.dbanalysis`` of the 66 variants of ``make test``, checked when this was
    first made, and again when the copies were kept on disk). A test that changes a
    chart, or writes its PNG, takes a :func:`fresh_chart`."""
    return _built_editions(name, layout)[lang][0]
