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
