"""A chart text's extent kept on disk for the next process (:func:`measured`): the
width, height and descent FreeType gives a string in a font at a size and dpi.

:mod:`.measure` measures each string once per process, but every process measures
again: each notebook's kernel, the build's kernels, each test process that draws the
report's charts, a researcher's kernel after each restart, the same tick labels, titles
and legend entries, and the candidate lines of every label a chart wraps. A measure is
~1.3 ms of FreeType (shaping the string, loading each glyph: ~30 us a glyph): ~1,500 of
them for the report's 56 drawings, some 2 s of a kernel's CPU. So the numbers are kept,
one table per font, size and dpi, in :func:`dbanalysis.core.cache.cache_dir`'s
``text-measures`` folder (JSON: numbers, no code), under a key of all a measure depends
on besides the string: the font properties and font rcParams as :mod:`.measure` keys
them, the files of the fonts they resolve to (path, size, modification time: a font
replaced is another key), the dpi, and the versions of matplotlib, FreeType and Python
with the source of this module and :mod:`.measure` (:data:`_VERSION`). A measure not
kept is made by matplotlib and kept. Written as the package's other disk caches are:
only in a private folder, atomically (a table read, joined with this process's new
measures, written whole; two processes writing at once lose only measures made again
later), a table grown past :data:`MAX_KEPT` started afresh. Under the tests' CI run
the cache folder is the run's own (nothing from an earlier run is read).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import os
from pathlib import Path
from typing import Any

from ..core import cache

#: Most strings a table keeps (a report's charts measure ~2,000 per font, size and dpi;
#: hostile test texts many more): beyond it a table is started afresh.
MAX_KEPT = 20_000  # not a figure: strings per table
#: The folder of :func:`dbanalysis.core.cache.cache_dir` the tables live in.
KIND = "text-measures"
#: Bytes of tables kept (the least recently written go first: tables of code or fonts
#: since changed).
KEEP_BYTES = 16 * 2**20

#: Tables read or made in this process: file name -> {string: [width, height, descent]}.
_TABLES: dict[str, dict[str, list[float]]] = {}
#: Measures made in this process and not yet written: file name -> {string: measure}.
_NEW: dict[str, dict[str, list[float]]] = {}
#: Table file names per in-process font key (:mod:`.measure`'s, with the dpi).
_NAMES: dict[tuple, str] = {}
#: The font properties and dpi of each table this process used (what the tests measure
#: the kept numbers again with).
FONTS: dict[str, tuple[Any, float]] = {}
_VERSION: list[str] = []
_PRUNED: list[Path] = []


def _version() -> str:
    """Everything a measure depends on besides the string, the font and the dpi."""
    if not _VERSION:
        from matplotlib import ft2font

        from . import measure

        here = Path(__file__)
        code = "".join(cache.module_version(f, "matplotlib")
                       for f in (here, Path(measure.__file__)))
        _VERSION.append(f"{code} FreeType {ft2font.__freetype_version__}")
    return _VERSION[0]


def _table_name(font_key: tuple, prop: Any) -> str:
    """The table's file name for ``font_key`` (:mod:`.measure`'s key: properties, font
    rcParams, this process's font manager, dpi), with the process's font manager
    replaced by the font files ``prop`` resolves to."""
    name = _NAMES.get(font_key)
    if name is None:
        from matplotlib.font_manager import fontManager

        files = []
        for path in fontManager._find_fonts_by_props(prop):  # what get_font opens
            st = os.stat(path)
            files.append((os.fspath(path), st.st_size, st.st_mtime_ns))
        props, rc, _manager, _fonts, dpi = font_key
        key = repr((props, rc, tuple(files), dpi, _version()))
        name = _NAMES[font_key] = hashlib.sha256(key.encode()).hexdigest()[:40] + ".json"
        FONTS[name] = (prop.copy(), dpi)
    return name


def _folder() -> Path:
    return cache.cache_dir() / KIND


def _read(name: str) -> dict[str, list[float]]:
    """The table ``name`` as kept on disk ({} when missing, unreadable or not private)."""
    folder = _folder()
    try:
        if not (cache._private(folder.parent) and cache._private(folder)):
            return {}
        table = json.loads((folder / name).read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(table, dict):
        return {}
    return {s: m for s, m in table.items()
            if isinstance(m, list) and len(m) == 3 and all(type(v) is float for v in m)}


def measured(s: str, font_key: tuple, prop: Any, measure: Any) -> tuple[float, float, float]:
    """The width, height and descent of ``s`` in ``prop``'s font (``font_key``: its key
    in :mod:`.measure`), as kept on disk, or ``measure()``'s, then kept."""
    name = _table_name(font_key, prop)
    table = _TABLES.get(name)
    if table is None:
        table = _TABLES[name] = _read(name)
    got = table.get(s)
    if got is None:
        w, h, d = measure()
        got = table[s] = _NEW.setdefault(name, {})[s] = [float(w), float(h), float(d)]
    return got[0], got[1], got[2]


def keep() -> None:
    """Write this process's new measures to their tables (each read again and joined
    first: other processes may have added theirs)."""
    folder = _folder()
    for name in list(_NEW):
        new = _NEW.pop(name)
        on_disk = _read(name)
        if len(on_disk) + len(new) > MAX_KEPT:
            on_disk = {}
        on_disk.update(new)
        try:
            if cache._put(folder / name, json.dumps(on_disk).encode(),
                          (folder.parent, folder)) and not _PRUNED:
                _PRUNED.append(folder)  # once per process
                cache.prune(folder, KEEP_BYTES, ".json")
        except OSError:
            pass  # a read-only environment: nothing kept


atexit.register(keep)
