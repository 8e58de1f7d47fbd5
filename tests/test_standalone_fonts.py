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
    first = standalone.subset_font.__wrapped__("DejaVuSans.ttf", keep)
    monkeypatch.setattr(_h_e_a_d, "timestampNow", lambda: 4_000_000_000)
    assert standalone.subset_font.__wrapped__("DejaVuSans.ttf", keep) == first
