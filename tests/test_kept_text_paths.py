"""An outlined text's path (a value label on its white halo) made once per string and
font by the measuring renderer (:mod:`dbanalysis.plotting.measure`): the path
matplotlib's own ``TextToPath`` makes, each caller given its own copy."""

from __future__ import annotations

import numpy as np
from matplotlib.font_manager import FontProperties
from matplotlib.textpath import TextToPath

from dbanalysis.plotting.measure import canvas_renderer


def test_kept_path_is_matplotlibs_own_and_a_copy():
    from matplotlib.figure import Figure

    r = canvas_renderer(Figure(figsize=(3, 2), dpi=100))
    kept = r._text2path
    assert type(kept) is not TextToPath  # the renderer's own, kept paths
    own = TextToPath()
    for s, prop in [("−2,49 điểm", FontProperties(size=9)), ("", FontProperties(size=9)),
                    ("19/21 (90.5%)", FontProperties(size=10, weight="bold"))]:
        want_verts, want_codes = own.get_text_path(prop, s)
        for _ in range(2):  # made, then kept
            verts, codes = kept.get_text_path(prop, s)
            assert np.array_equal(np.asarray(verts, float).reshape(-1, 2),
                                  np.asarray(want_verts, float).reshape(-1, 2))
            assert list(codes) == list(want_codes)
            np.asarray(verts)[...] = 0  # a caller changing its copy changes no other
            codes.clear()


def test_kept_path_is_keyed_on_the_font_and_the_features():
    """One string in two fonts, and with kerning off: each kept apart, each matplotlib's
    own path (a key of the string alone would hand the first path to the others)."""
    from matplotlib.figure import Figure

    kept = canvas_renderer(Figure(figsize=(3, 2), dpi=100))._text2path
    own = TextToPath()
    cases = [(FontProperties(size=9), None), (FontProperties(size=9, weight="bold"), None),
             (FontProperties(size=9), ("-kern",))]
    wanted = [np.asarray(own.get_text_path(prop, "AV", features=f)[0], float).reshape(-1, 2)
              for prop, f in cases]
    # the three differ, so a path handed to the wrong case shows
    assert not np.array_equal(wanted[0], wanted[2])
    assert wanted[0].shape != wanted[1].shape or not np.allclose(wanted[0], wanted[1])
    for _ in range(2):  # made, then kept
        for (prop, f), want in zip(cases, wanted, strict=True):
            got = np.asarray(kept.get_text_path(prop, "AV", features=f)[0], float)
            assert np.array_equal(got.reshape(-1, 2), want)
