"""The chart draws kept between runs (:func:`helpers_drawn.chart_png`: a chart's PNG and
the text collisions of its draws, keyed as the figures are, :mod:`helpers_kept`) are
those of a draw now, read back where kept, drawn again where the kept file is damaged,
and neither read nor kept under CI. (The wide layout's PNG and collisions are compared
with three charts built anew by test_charts_honest's metadata test.)"""

import pytest
from helpers_charts import CHARTS, LANGS, chart_variants, fresh_chart
from helpers_drawn import (
    DrawnPNG,
    chart_png,
    png_and_collisions,
    text_collisions,
    with_pixels,
)

from dbanalysis.core.language import using

pytestmark = pytest.mark.usefixtures("house_style")


@pytest.mark.parametrize("lang", LANGS)
def test_a_phone_charts_png_and_collisions_are_those_of_a_draw_now(lang):
    """The phone layout's PNG is at twice the figure's dpi: its first collision measure
    is made on a copy drawn at the figure's dpi (:func:`helpers_drawn.drawn_copy`, on the
    measuring canvas), not in the PNG's draws; and its pixels are not made
    (:func:`helpers_drawn.with_pixels`): png_bytes draws it without them
    (:func:`helpers_drawn.png_measures`). Figure 1.1 for a phone in each language, fresh
    copies of the figure drawn now (its first measure on matplotlib's own canvas, its PNG
    with its pixels): the size, text chunks and both collision measures of
    :func:`chart_png` (drawn in this process, or kept by an earlier run: a result kept
    under a key that missed an input of the draw fails here, and so does a draw without
    the pixels that measures otherwise than the PNG's)."""
    name = "1.1 slope"
    drawn = chart_png(name, lang, "phone")
    with using(lang):
        first = text_collisions(fresh_chart(name, lang, "phone"))  # at its dpi
        png, collisions, _ = png_and_collisions(fresh_chart(name, lang, "phone"))
    now = DrawnPNG(drawn.key, png, collisions, first)  # (size and text read from the PNG)
    assert (now.size, now.text) == (drawn.size, drawn.text)
    assert now.size[0] > 0 and now.text["Description"]
    assert (collisions, first) == (drawn.collisions, drawn.drawn)
    if with_pixels(name, lang, "phone"):  # (make test-quick: its one variant)
        assert png == drawn.png


def test_a_kept_draw_is_read_back_a_damaged_one_drawn_again_and_ci_reads_none(
        tmp_path, monkeypatch):
    import helpers_drawn
    from helpers_kept import keep, read_kept

    name = "range_bar"
    lang, layout = chart_variants(name)[0]  # (make test: English, wide; its PNG's pixels)
    other = next(other for other in LANGS if other != lang)  # (drawn without them)
    assert name in CHARTS
    real = chart_png(name, lang, layout)  # (this process's, from the folder of the run)
    folder = tmp_path / "kept"
    folder.mkdir(mode=0o700)
    path = folder / "x.pickle"
    monkeypatch.setattr(helpers_drawn, "png_path", lambda *_a, **_k: path)
    monkeypatch.delenv("CI", raising=False)
    draws = []
    draw = helpers_drawn.png_and_collisions
    monkeypatch.setattr(helpers_drawn, "png_and_collisions",
                        lambda fig: draws.append(1) or draw(fig))
    uncached = helpers_drawn.chart_png.__wrapped__  # (not this process's copy)
    for damaged in (b"not a pickle", None):  # unreadable; read, but not of the form kept
        if damaged is None:
            keep(path, {"png": b"\x89PNG", "collisions": [1], "drawn": None})
        else:
            path.write_bytes(damaged)
        drawn = uncached(name, lang, layout)
        assert (drawn.png, drawn.collisions, drawn.drawn) == (
            real.png, real.collisions, real.drawn)
        assert read_kept(path) == {"png": real.png, "collisions": real.collisions,
                                   "drawn": real.drawn, "size": None,
                                   "text": None}  # kept anew
    assert len(draws) == 2
    fake = {"png": b"\x89PNG kept", "collisions": ["a x b"], "drawn": []}
    keep(path, fake)
    kept = uncached(name, lang, layout)
    assert (kept.png, kept.collisions, kept.drawn) == (b"\x89PNG kept", ["a x b"], [])
    assert len(draws) == 2  # read back, not drawn
    monkeypatch.setenv("CI", "true")
    drawn = uncached(name, lang, layout)
    assert drawn.png == real.png and len(draws) == 3  # under CI drawn, the keep unread
    monkeypatch.delenv("CI")
    assert read_kept(path) == fake  # and nothing kept
    # a variant drawn without its pixels (helpers_drawn.png_measures) is kept as its
    # measures: a kept file of another form (a PNG, no size) is drawn again, kept anew
    assert not helpers_drawn.with_pixels(name, other, layout)
    measures = chart_png(name, other, layout)
    keep(path, {"png": real.png, "collisions": [], "drawn": [], "size": None, "text": None})
    again = uncached(name, other, layout)
    assert (again.size, again.text, again.collisions, again.drawn) == (
        measures.size, measures.text, measures.collisions, measures.drawn)
    assert again.size[0] > 0 and read_kept(path)["png"] is None
    assert len(draws) == 3  # (drawn without the pixels: not by png_and_collisions)
