"""One chart, one value axis in both editions (principle 3, comparable axes): the English
and the Vietnamese drawing of a chart in one layout share each value axis's limits, its
labelled ticks and which of their gridlines are drawn, whatever the length of each
language's labels (Figure 0.1's rate panel read −32 in Vietnamese and −24 in English on a
phone, −24 against −20 on a wide screen; Figure 9.1 ran to 4 in Vietnamese and 6 in
English; Figure 3.1 on a phone 0–1,500 against 0–1,200)."""

import pytest
from helpers_charts import (
    CHARTS,
    LANGS,
    built_layouts,
    chart_variants,
    fresh_chart,
)
from helpers_drawn import laid_out, measured_copy

from dbanalysis import show
from dbanalysis.core.language import using
from dbanalysis.notebook import bilingual
from dbanalysis.plotting.ticks import is_value_axis

pytestmark = pytest.mark.usefixtures("house_style")


def value_axes(fig) -> list[tuple]:
    """(axes index, x or y, limits, labelled ticks, gridlines drawn) of every value axis
    of ``fig`` (:func:`dbanalysis.plotting.ticks.is_value_axis`), as laid out."""
    laid_out(fig)
    found = []
    for k, ax in enumerate(fig.axes):
        if not ax.get_visible():
            continue
        for which, axis, lim in (("x", ax.xaxis, ax.get_xlim()), ("y", ax.yaxis, ax.get_ylim())):
            if not is_value_axis(axis):
                continue
            lo, hi = sorted(lim)
            eps = (hi - lo) * 1e-9
            ticks = [(round(float(t.get_loc()), 9), t.gridline.get_visible())
                     for t in axis.get_major_ticks() if lo - eps <= t.get_loc() <= hi + eps]
            found.append((k, which, (round(lo, 6), round(hi, 6)), ticks))
    return found


#: Every chart in every layout a run draws it in (:func:`helpers_charts.chart_variants`).
LAYOUTS = [pytest.param(name, layout, id=f"{name}-{layout}") for name in CHARTS
           for layout in dict.fromkeys(layout for _, layout in chart_variants(name))]


@pytest.mark.parametrize(("name", "layout"), LAYOUTS)
def test_both_editions_of_a_chart_share_its_value_axes(name, layout):
    """The copies the chart tests read are drawn by the function :func:`dbanalysis.show`
    draws a chart's editions with (:func:`dbanalysis.notebook.bilingual.editions`, called
    by :func:`helpers_charts.build_editions`; that show calls it: the test below)."""
    axes = {}
    for lang in LANGS:
        with using(lang):
            axes[lang] = value_axes(measured_copy(name, lang, layout))
    assert axes["en"], f"{name} ({layout}): no value axis found"
    assert axes["en"] == axes["vi"], f"{name} ({layout}): English {axes['en']} " \
                                     f"against Vietnamese {axes['vi']}"


def test_a_notebook_shows_both_editions_on_the_same_value_axes(monkeypatch):
    """What the site shows: :func:`dbanalysis.show` draws a chart's editions (each language
    and layout) by :func:`dbanalysis.notebook.bilingual.editions`, called once with the
    chart's own build, and publishes those very drawings, wide and phone, each in its
    language: the drawings the chart tests read (:func:`helpers_charts.build_editions`
    calls the same function), whose value axes the test above finds shared for every
    chart and layout. Here editions returns copies of this process's Figure 10.1 (make
    test builds both layouts; make test-quick one, and the other for this test: the
    cheapest notebook chart to build, ~0.1 s), and the drawings published share their
    value axes. (It ran the real editions on show's build of Figure 9.1: four drawings
    more, ~0.5 s of CPU, for what the test above and the identities here prove.)"""
    import dbanalysis as db

    def chart(lang):  # the notebook's call (editions, replaced, does not make it here)
        return db.parts_bar("award_communes", ["nr_communes_met", "nr_communes_near"],
                            title="t")

    drawn: list[tuple[str, object, object, list, list]] = []

    def bundle(obj, narrow=None):  # as the outputs are made (show then frees the figures)
        from dbanalysis.core.language import get_language

        drawn.append((get_language(), obj, narrow, value_axes(obj), value_axes(narrow)))
        return {"text/plain": "chart"}, {}

    calls, made = [], {}

    def editions(build, langs=bilingual.LANGS, layouts=bilingual.LAYOUTS):
        calls.append((build, tuple(langs), tuple(layouts)))
        made.update({lang: {layout: fresh_chart("10.1 parts_bar", lang, layout)
                            for layout in layouts} for lang in langs})
        return made

    monkeypatch.setattr(bilingual, "editions", editions)
    monkeypatch.setattr(bilingual, "_bundle", bundle)
    monkeypatch.setattr(bilingual, "_publish", lambda data, metadata: None)
    show(chart)
    assert calls == [(chart, LANGS, ("wide", "phone"))], \
        "show did not draw the editions with bilingual.editions, once, from its build"
    assert [lang for lang, *_ in drawn] == list(LANGS)
    for lang, wide, phone, _, _ in drawn:  # the drawings editions made, as made
        assert wide is made[lang]["wide"] and phone is made[lang]["phone"], lang
    (_, _, _, en_wide, en_phone), (_, _, _, vi_wide, vi_phone) = drawn
    assert len(en_wide) == len(en_phone) == 1  # the count of communes
    assert en_wide == vi_wide
    assert en_phone == vi_phone


def test_editions_shares_each_layouts_value_axes_when_drawing_both_layouts_at_once():
    """REREAD-0620B F1: :func:`dbanalysis.show` calls the real
    :func:`dbanalysis.notebook.bilingual.editions` with both layouts in one call, while
    the chart copies the tests read ask it for one layout at a time and the test above
    replaces it. Here the real editions draws both languages in both layouts in one call
    (as show does) of a small chart whose four drawings differ when drawn apart (its data
    taken from the language and from whether it is drawn in the phone layout), and each
    layout's drawings share their value axes across the languages: a loop over the
    layouts that shared the first only (``for layout in layouts[:1]``) leaves the phone
    drawings apart (red when tried). Eight small figures, no chart of the report built."""
    from dbanalysis.plotting.style import is_narrow, new_figure

    top = {("en", False): 4.2, ("vi", False): 6.3, ("en", True): 8.1, ("vi", True): 2.9}

    def build(lang):
        fig, axes = new_figure()
        axes[0, 0].bar(["a", "b"], [1.0, top[lang, is_narrow()]])
        return fig

    apart = {lang: bilingual.editions(build, (lang,), bilingual.LAYOUTS)[lang] for lang in LANGS}
    together = bilingual.editions(build, LANGS, bilingual.LAYOUTS)
    assert tuple(bilingual.LAYOUTS) == ("wide", "phone")
    for layout in bilingual.LAYOUTS:
        drawn_apart = [value_axes(apart[lang][layout]) for lang in LANGS]
        assert drawn_apart[0] and drawn_apart[0] != drawn_apart[1], \
            f"{layout}: the test chart's editions do not differ when drawn apart"
        shared = {lang: value_axes(together[lang][layout]) for lang in LANGS}
        assert shared["en"] == shared["vi"], f"{layout}: English {shared['en']} " \
                                             f"against Vietnamese {shared['vi']}"
    # each layout its own axes: the two layouts' data differ, so one axis shared by all
    # four drawings would be a wrong value axis for one of them (FINAL-B 1)
    assert value_axes(together["en"]["wide"]) != value_axes(together["en"]["phone"])


@pytest.mark.parametrize("layout", built_layouts("0.1 change_since_2015"))
def test_a_shared_value_axis_ends_at_the_first_tick_past_the_data(layout):
    """QA-0305 S11: Figure 0.1's rate panel ran to −32 on a phone (−24 wide) for data
    ending at −16.21: the label "−16,21 điểm phần trăm", beyond its marker, widened the
    Vietnamese axis and the English one shared it. The fall's label now sits on its stem
    towards zero, and the panel ends at the first tick past the data in both editions.
    In the layouts this run builds Figure 0.1 in (:func:`helpers_charts.built_layouts`):
    ``make test`` both; ``make test-quick`` the wide one its sweep draws (the phone copies,
    ~1 s of CPU, were built for this and two tests of test_plotting alone)."""
    import numpy as np

    for lang in LANGS:
        fig = measured_copy("0.1 change_since_2015", lang, layout)
        laid_out(fig)
        ax = fig.axes[1]  # the rate panel, in percentage points
        data = min(float(np.nanmin(ln.get_xdata())) for ln in ax.get_lines()
                   if str(ln.get_gid() or "").startswith("change:"))
        lo, hi = sorted(ax.get_xlim())
        ticks = sorted(t for t in ax.get_xticks() if lo - 1e-9 <= t <= hi + 1e-9)
        past = [t for t in ticks if t <= data]
        assert past and lo >= past[-1] - 1e-9 and len(past) == 1, (lang, lo, ticks, data)
