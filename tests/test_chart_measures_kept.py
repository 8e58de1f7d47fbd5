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
    for state in ("_TABLES", "_NEW", "_NAMES", "FONTS"):
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
                  measure._TEXT_MEASURES):
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
