"""Text measures and shapings kept on disk between processes
(:mod:`dbanalysis.plotting.kept_measures`): what a process reads is what FreeType
measures and shapes, and only for the font, size and dpi it was made in."""

from __future__ import annotations

import json
import os
import shutil

import pytest
from helpers_charts import NOTEBOOK_CHARTS, fresh_chart, read_chart

from dbanalysis.plotting import kept_measures

#: Strings measured again per table (a sample spread over the table: ~1.3 ms each).
SAMPLE = 12
#: Kept PNGs this process read that are decoded and encoded again (~20 ms each).
SAMPLE_PNGS = 4


def test_every_kept_measure_this_process_read_is_freetypes():
    """The measures and shapings this process's charts were laid out and drawn with (read
    from the tables earlier processes kept, or made now and kept) are matplotlib's own: a
    sample of every table, measured and shaped again by matplotlib's ``RendererAgg`` in the
    table's font, size and dpi."""
    from matplotlib.backends.backend_agg import RendererAgg, get_hinting_flag

    from dbanalysis.plotting import png_bytes
    from dbanalysis.plotting.style import renderer

    for name in list(NOTEBOOK_CHARTS)[:2]:  # charts the chart tests read anyway, laid out
        renderer(read_chart(name, "vi", "phone"))
        renderer(read_chart(name, "en", "wide"))
    png_bytes(fresh_chart(next(iter(NOTEBOOK_CHARTS)), "en", "wide"))  # and one drawn
    kinds = {name.partition("-")[0] for name in kept_measures.FONTS}
    assert kinds == {kept_measures.EXTENT, kept_measures.SHAPED}
    checked = 0
    for table_name, (prop, dpi) in list(kept_measures.FONTS.items()):
        table = kept_measures._TABLES[table_name]
        strings = sorted(table)
        agg = RendererAgg(1, 1, dpi)
        for s in strings[::max(1, len(strings) // SAMPLE)]:
            if table_name.startswith(kept_measures.EXTENT):
                now = list(agg.get_text_width_height_descent(s, prop, False))
            else:
                now = [[item.glyph_index, item.x, item.y] for item in
                       agg._prepare_font(prop)._layout(s, flags=get_hinting_flag())]
            assert now == table[s], (table_name, s, prop, dpi)
            checked += 1
    assert checked >= 4 * SAMPLE


@pytest.fixture
def made(tmp_path, monkeypatch):
    """The module's state as in a process that has measured nothing yet, its cache in
    ``tmp_path``; the list of the measures FreeType makes (matplotlib's own renderer
    asked)."""
    from matplotlib.backends.backend_agg import RendererAgg

    from dbanalysis.plotting import measure

    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path))
    for state in ("_TABLES", "_NEW", "_NAMES", "FONTS", "_LISTINGS"):
        monkeypatch.setattr(kept_measures, state, {})
    monkeypatch.setattr(kept_measures, "_PRUNED", [])
    monkeypatch.setattr(measure, "_TEXT_MEASURES", {})
    made: list = []
    own = RendererAgg.get_text_width_height_descent

    def counted(self, s, prop, ismath):
        made.append((s, prop.get_size_in_points(), self.dpi))
        return own(self, s, prop, ismath)

    monkeypatch.setattr(RendererAgg, "get_text_width_height_descent", counted)
    return made


def _measure(s, prop, dpi):
    """``s`` measured as a chart measures it (the renderer of :mod:`.measure`)."""
    from dbanalysis.plotting.measure import _measuring_classes

    return _measuring_classes()[1](1, 1, dpi).get_text_width_height_descent(s, prop, False)


def _new_process():
    """This process's new measures written, then its memory of them forgotten (as a
    process that starts next would see the folder)."""
    from dbanalysis.plotting import measure

    kept_measures.keep()
    for state in (kept_measures._TABLES, kept_measures._NAMES, kept_measures.FONTS,
                  kept_measures._LISTINGS, measure._TEXT_MEASURES):
        state.clear()


def test_a_measure_is_kept_for_its_font_size_and_dpi_only(made, tmp_path):
    from matplotlib.font_manager import FontProperties, findfont

    prop = FontProperties(family="DejaVu Sans", size=11)
    first = _measure("Sản lượng 2015–2019", prop, 100)
    assert made == [("Sản lượng 2015–2019", 11, 100)]
    _new_process()
    made.clear()
    assert _measure("Sản lượng 2015–2019", prop, 100) == first
    assert made == []  # read, not measured
    # another dpi, size or font file is measured, not read
    assert _measure("Sản lượng 2015–2019", prop, 200) != first
    bigger = FontProperties(family="DejaVu Sans", size=12)
    assert _measure("Sản lượng 2015–2019", bigger, 100) != first
    copy = tmp_path / "font.ttf"
    shutil.copy(findfont(prop), copy)
    own = FontProperties(fname=copy, size=11)
    assert _measure("Sản lượng 2015–2019", own, 100) == first  # the same glyphs...
    _new_process()
    os.utime(copy, ns=(1, 1))  # ...but a font file changed is not the one measured
    assert _measure("Sản lượng 2015–2019", own, 100) == first
    assert [m[1:] for m in made] == [(11, 200), (12, 100), (11, 100), (11, 100)]


def test_a_kept_table_is_read_only_in_a_private_folder_and_only_numbers(made, tmp_path):
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(family="DejaVu Sans", size=11)
    folder = tmp_path / kept_measures.KIND
    _measure("42", prop, 100)
    _new_process()
    (added,) = folder.glob("*.json")  # this process's additions to the table
    good = json.loads(added.read_text())
    added.write_text(json.dumps({"42": [1, "2", None]}))  # not a measure: measured again
    _measure("42", prop, 100)
    assert len(made) == 2
    _new_process()
    (name,) = {f"{p.name.partition('.')[0]}.json" for p in folder.glob("*.json")}
    assert kept_measures._read(name) == good
    folder.chmod(0o777)  # another user could write it: neither read nor written
    try:
        _measure("42", prop, 100)
        assert len(made) == 3
        _measure("43", prop, 100)
        _new_process()
    finally:
        folder.chmod(0o700)
    assert "43" not in kept_measures._read(name)


def test_additions_are_joined_into_their_table(made, tmp_path):
    """Each process writes its new measures beside the table; past MAX_ADDITIONS files
    a reader writes the table whole, with every value, and removes what it took in."""
    from matplotlib.font_manager import FontProperties

    prop = FontProperties(family="DejaVu Sans", size=9)
    folder = tmp_path / kept_measures.KIND
    words = [f"w{i}" for i in range(kept_measures.MAX_ADDITIONS + 1)]
    for word in words:  # one process each
        _measure(word, prop, 100)
        _new_process()
    assert len(list(folder.glob("*.json"))) == len(words)
    before = len(made)
    for word in words:
        _measure(word, prop, 100)  # read, not measured
    assert len(made) == before
    (table,) = folder.glob("*.json")
    assert sorted(json.loads(table.read_text())) == sorted(words)


def test_a_font_file_rewritten_with_its_times_set_back_is_measured_again(made, tmp_path):
    """A font file replaced in place by a copy that keeps its times (``cp -p``,
    ``rsync -a``) keeps its path, size and modification time: its change time and inode
    tell it apart (REVIEW14-P R2)."""
    from matplotlib.font_manager import FontProperties, findfont

    copy = tmp_path / "font.ttf"
    shutil.copy(findfont(FontProperties(family="DejaVu Sans")), copy)
    own = FontProperties(fname=copy, size=11)
    _measure("Thu ngân sách", own, 100)
    _new_process()
    st = os.stat(copy)
    copy.write_bytes(copy.read_bytes())  # (the same bytes stand in for another font's)
    os.utime(copy, ns=(st.st_atime_ns, st.st_mtime_ns))
    _measure("Thu ngân sách", own, 100)
    assert [m[0] for m in made] == ["Thu ngân sách", "Thu ngân sách"]


def test_a_measure_is_keyed_without_matplotlibs_private_font_lookup():
    """matplotlib's ``FontManager._find_fonts_by_props`` (private) gone, as a later
    release may rename it: the font files of a measure's key are ``findfont``'s
    (REVIEW14-P R1); with it, its own."""
    import types

    from matplotlib.font_manager import FontProperties, findfont, fontManager

    prop = FontProperties(family="DejaVu Sans", size=10)
    without = types.SimpleNamespace(findfont=fontManager.findfont)
    assert kept_measures._font_files(without, prop) == [findfont(prop)]
    assert kept_measures._font_files(fontManager, prop) == list(
        fontManager._find_fonts_by_props(prop))


def test_a_process_that_saves_no_png_writes_its_measures_as_they_grow(made, monkeypatch,
                                                                     tmp_path):
    """New values are written beside their table every MAX_NEW strings, not only when a
    PNG is saved or the process ends: a lab kernel that shows its charts inline holds
    no more than that (REVIEW14-P R4)."""
    from matplotlib.font_manager import FontProperties

    monkeypatch.setattr(kept_measures, "MAX_NEW", 2)
    prop = FontProperties(family="DejaVu Sans", size=8)
    for word in ("a", "b", "c"):
        _measure(word, prop, 100)
    assert len(list((tmp_path / kept_measures.KIND).glob("*.json"))) == 1
    assert sum(map(len, kept_measures._NEW.values())) == 1


# -- a chart's PNG kept for the next process that draws the same pixels (kept_pngs) --


def _pillows(pixels, dpi, metadata) -> bytes:
    """matplotlib's own PNG of ``pixels`` (RGBA, height x width x 4) at ``dpi`` with the
    text chunks ``metadata``: its ``imsave``, as ``FigureCanvasAgg.print_png`` calls it."""
    import io

    from matplotlib.image import imsave

    buf = io.BytesIO()
    imsave(buf, pixels, format="png", origin="upper", dpi=dpi, metadata=metadata)
    return buf.getvalue()


def test_every_kept_png_this_process_read_is_the_encoding_of_its_own_pixels():
    """Each PNG this process read from the kept folder instead of encoding (a sample; where
    it read none, one chart drawn twice, its second PNG read): its pixels (decoded: PNG is
    lossless) are the pixels it is kept under, and matplotlib's own writer makes the same
    bytes of them, at its dpi and with its text chunks."""
    import io

    import numpy as np
    from PIL import Image

    from dbanalysis.plotting import kept_pngs, png_bytes

    if not kept_pngs.READ:  # (a cache this run began: one chart drawn twice, read once)
        fig = fresh_chart(next(iter(NOTEBOOK_CHARTS)), "en", "wide")
        first = png_bytes(fig)  # kept now if no process kept it before
        assert png_bytes(fig) == first  # the same pixels again: read
        assert kept_pngs.READ[-1][0].read_bytes().partition(b"\n")[2] == first
    checked = 0
    read = kept_pngs.READ
    for path, dpi, metadata in read[::max(1, len(read) // SAMPLE_PNGS)][:SAMPLE_PNGS]:
        data = path.read_bytes().partition(b"\n")[2]  # (after its sha256 line)
        with Image.open(io.BytesIO(data)) as im:
            assert im.mode == "RGBA"
            pixels = np.asarray(im)
        assert kept_pngs.entry(pixels, dpi, metadata) == path
        assert _pillows(pixels, dpi, metadata) == data, path
        checked += 1
    assert checked >= 1


@pytest.fixture
def kept(tmp_path, monkeypatch):
    """:mod:`.kept_pngs` as in a process that has kept nothing, its cache in ``tmp_path``;
    an encoder that counts its calls (matplotlib's writer)."""
    from dbanalysis.core import cache
    from dbanalysis.plotting import kept_pngs

    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path))
    monkeypatch.setattr(kept_pngs, "READ", [])
    monkeypatch.setattr(cache, "_PRUNED", set())
    calls: list = []

    def encoded(pixels, dpi, metadata):
        def encode():
            calls.append(dpi)
            return _pillows(pixels, dpi, metadata)
        return kept_pngs.encoded(pixels, dpi, metadata, encode)

    encoded.calls = calls  # type: ignore[attr-defined]
    return encoded


def test_a_png_is_kept_for_its_pixels_dpi_and_text_chunks_only(kept):
    import numpy as np

    pixels = np.arange(5 * 7 * 4, dtype=np.uint8).reshape(5, 7, 4)
    chunks = {"Title": "Sản lượng", "dbanalysis:figure_ids": "a,b", "Software": None}
    first = kept(pixels, 100, chunks)
    assert kept(pixels, 100, dict(chunks)) == first == _pillows(pixels, 100, chunks)
    assert kept.calls == [100]  # read, not encoded
    other = pixels.copy()
    other[4, 6, 3] ^= 1  # one pixel, one bit
    moved = np.ascontiguousarray(pixels.reshape(7, 5, 4))  # the same bytes, another shape
    for args in [(other, 100, chunks), (moved, 100, chunks), (pixels, 200, chunks),
                 (pixels, 100, {**chunks, "Title": "Sản lượng."}),
                 (pixels, 100, dict(reversed(chunks.items()))),  # the chunks' order
                 (pixels, 100, None)]:
        assert kept(*args) == _pillows(*args)
    assert len(kept.calls) == 7  # each encoded, none read


def test_a_kept_png_is_read_only_in_a_private_folder_and_whole(kept, tmp_path):
    import numpy as np

    from dbanalysis.plotting import kept_pngs

    pixels = np.full((4, 4, 4), 200, dtype=np.uint8)
    good = kept(pixels, 100, {"Title": "x"})
    (path,) = (tmp_path / kept_pngs.KIND).iterdir()
    stored = path.read_bytes()
    path.write_bytes(stored[:-1] + bytes([stored[-1] ^ 1]))  # damaged: encoded again
    assert kept(pixels, 100, {"Title": "x"}) == good and len(kept.calls) == 2
    assert path.read_bytes() == stored  # and kept again
    import hashlib

    # whole (its sha256 line right), but not this PNG
    planted = hashlib.sha256(b"not this PNG").hexdigest().encode() + b"\nnot this PNG"
    path.write_bytes(planted)
    path.parent.chmod(0o777)  # another user could write it: neither read nor written
    try:
        assert kept(pixels, 100, {"Title": "x"}) == good and len(kept.calls) == 3
        assert path.read_bytes() == planted
    finally:
        path.parent.chmod(0o700)


def test_a_chart_saved_through_its_canvas_is_matplotlibs_png(kept, tmp_path):
    """A figure on the package's canvas saved twice (encoded and kept, then read) and
    saved by matplotlib's own Agg canvas: the same bytes; another format is not kept."""
    import io

    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    from dbanalysis.plotting import kept_pngs
    from dbanalysis.plotting.measure import _measuring_classes, measuring_canvas

    fig = Figure(figsize=(2, 1), dpi=100)
    fig.text(0.1, 0.5, "Điện Biên 2015–2019")
    measuring_canvas(fig)
    saved = []
    for _ in range(2):
        buf = io.BytesIO()
        fig.savefig(buf, format="png", metadata={"Title": "t"})
        saved.append(buf.getvalue())
    assert len(kept_pngs.READ) == 1
    FigureCanvasAgg(fig)  # matplotlib's canvas: nothing kept, nothing read
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Title": "t"})
    assert saved == [buf.getvalue()] * 2
    _measuring_classes()[0](fig)  # the package's canvas again
    fig.savefig(tmp_path / "a.jpg")
    assert len(list((tmp_path / kept_pngs.KIND).iterdir())) == 1
