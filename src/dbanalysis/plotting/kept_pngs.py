"""A chart's PNG kept on disk for the next process that draws the same pixels
(:func:`encoded`, the PNG encoding of :mod:`.measure`'s Agg canvas).

Encoding a chart's image as PNG (Pillow: each row filtered five ways and the best
compressed by zlib) costs ~12 ms a chart at the report's sizes (20 ms for a phone's 200
dpi image), ~15 % of drawing it, and every process that draws a chart encodes it again:
each notebook's kernel its four PNGs (two languages, wide and phone), the build's
kernels, each test process that saves the report's charts, a researcher's kernel after
each restart. The PNG's bytes depend only on what the encoder is handed: the image's
pixels (the Agg buffer drawn into), their shape, the dpi written into it, the text chunks
in their order, and the encoder (Pillow's version and the zlib it was built with; the
PNG writer's code: matplotlib's ``imsave``). So the bytes are kept in
:func:`dbanalysis.core.cache.cache_dir`'s ``chart-pngs`` folder under the sha256 of all
of that, the pixels themselves included (~1 ms for a chart's 2-7 MB against the encode's
12-20): an entry is only ever the encoding of those very pixels, and a chart drawn
otherwise, by a pixel, is another entry, encoded. The image is still drawn in full each
time; only its encoding is not made again. Kept in the store the package's kept texts
use (:func:`dbanalysis.core.cache.kept_bytes`): only in a private folder, atomically,
each entry with the sha256 of its bytes (checked when read: a damaged entry is encoded
again), the least recently used pruned beyond :data:`KEEP_BYTES`. Under the tests' CI run
the cache folder is the run's own (nothing from an earlier run is read).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..core import cache

#: The folder of :func:`dbanalysis.core.cache.cache_dir` the PNGs are kept in.
KIND = "chart-pngs"
#: Bytes of PNGs kept (the least recently used go first): a report's 56 drawings take
#: ~4 MB, a run of the tests some hundreds of PNGs.
KEEP_BYTES = 96 * 2**20
#: File name ending of an entry (the PNG's sha256 in hex, a line, then the PNG: not a PNG
#: file; :func:`dbanalysis.core.cache.kept_bytes`).
SUFFIX = ".kept"
#: Entries read (not encoded) by this process: path, dpi and text chunks of each (what the
#: tests encode again).
READ: list[tuple[Path, float, dict[str, Any] | None]] = []
#: Most entries :data:`READ` holds.
MAX_READ = 1_000
_VERSION: list[str] = []


def _version() -> str:
    """The encoder: this module's source and :mod:`.measure`'s (whose canvas hands the
    pixels to matplotlib's PNG writer), matplotlib's and Pillow's versions, and the zlib
    Pillow compresses with (a Pillow built against the system's zlib changes with it)."""
    if not _VERSION:
        from PIL import features

        from . import measure

        code = "".join(cache.module_version(f, "matplotlib", "pillow")
                       for f in (Path(__file__), Path(measure.__file__)))
        _VERSION.append(f"{code} zlib {features.version('zlib')} "
                        f"zlib-ng {features.version('zlib_ng')}")
    return _VERSION[0]


def entry(pixels: Any, dpi: float, metadata: dict[str, Any] | None) -> Path:
    """Where the PNG of ``pixels`` (a C-contiguous buffer of height x width x 4 bytes, RGBA:
    ``FigureCanvasAgg.buffer_rgba()``) at ``dpi`` with the text chunks ``metadata`` (in
    their order: it is the chunks') is kept."""
    view = memoryview(pixels)
    head = repr((_version(), view.format, view.shape, float(dpi),
                 None if metadata is None else list(metadata.items())))
    digest = hashlib.sha256(f"{len(head)}:{head}".encode())
    digest.update(view)
    return cache.cache_dir() / KIND / f"{digest.hexdigest()}{SUFFIX}"


def encoded(pixels: Any, dpi: float, metadata: dict[str, Any] | None,
            encode: Callable[[], bytes]) -> bytes:
    """``encode()``'s PNG of ``pixels`` at ``dpi`` with ``metadata`` (:func:`entry`), as an
    earlier process kept it, else encoded now and kept
    (:func:`dbanalysis.core.cache.kept_bytes`; what it read, in :data:`READ`)."""
    path = entry(pixels, dpi, metadata)
    data, read = cache.kept_bytes(path, encode, KEEP_BYTES)
    if read and len(READ) < MAX_READ:  # (a long lab session: the first ones)
        READ.append((path, dpi, None if metadata is None else dict(metadata)))
    return data
