"""The fonts a standalone page embeds (:mod:`dbanalysis.site.standalone`) are the same
bytes at every export. (Each face its own cut, made or kept: tests/test_lab.py's
``test_nbconvert_writes_a_self_contained_dbsite_page``.)"""

from __future__ import annotations


def test_a_cut_is_the_same_bytes_at_a_later_time(monkeypatch):
    """fontTools stamps a font it saves with the time unless told to keep the source's:
    two exports of one notebook would embed different bytes."""
    from fontTools.ttLib.tables import _h_e_a_d  # type: ignore[import-untyped]

    from dbanalysis.site import standalone  # (nbconvert: imported by the test that runs)

    keep = frozenset("Điện Biên")
    first = standalone.subset_font("DejaVuSans.ttf", keep)
    monkeypatch.setattr(_h_e_a_d, "timestampNow", lambda: 4_000_000_000)
    assert standalone.subset_font("DejaVuSans.ttf", keep) == first


def test_a_font_changed_on_disk_is_cut_anew(monkeypatch, tmp_path):
    """A lab server outlives an upgrade of the fonts: the cut of a font file that changed
    since the last export is made from the new file, not taken from the process's memory
    of the old one nor kept on disk under the old file's key (REREAD13-P 1)."""
    import base64
    import shutil

    from dbanalysis.site import pages, standalone

    monkeypatch.setattr(standalone, "font_dir", lambda: tmp_path)
    keep = frozenset("Điện Biên")
    font = tmp_path / "Face.ttf"
    shutil.copyfile(pages.font_dir() / "DejaVuSans.ttf", font)
    regular = standalone._embedded("Face.ttf", keep)
    shutil.copyfile(pages.font_dir() / "DejaVuSans-Bold.ttf", tmp_path / "new.ttf")
    (tmp_path / "new.ttf").replace(font)  # (as an upgrade writes it: a new file)
    bold = standalone._embedded("Face.ttf", keep)
    assert bold != regular
    assert base64.b64decode(bold) == standalone.subset_font("Face.ttf", keep)
