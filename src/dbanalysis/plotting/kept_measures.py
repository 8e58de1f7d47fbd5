"""A chart text's extent and shaping kept on disk for the next process: the width,
height and descent FreeType gives a string in a font at a size and dpi (:func:`measured`),
and the glyphs it is drawn with, each glyph's index and place (:func:`shaped`).

:mod:`.measure` measures, and :mod:`.glyphs` shapes, each string once per process, but
every process does it again: each notebook's kernel, the build's kernels, each test
process that draws the report's charts, a researcher's kernel after each restart, the
same tick labels, titles and legend entries, and the candidate lines of every label a
chart wraps. A measure is ~0.5-1.3 ms of FreeType (shaping the string, loading each
glyph), a shaping for a draw as much: ~1,500 measures and ~800 shapings for the report's
56 drawings, 2-3 s of a kernel's CPU. So the numbers are kept, one table per kind, font,
size and dpi, in :func:`dbanalysis.core.cache.cache_dir`'s ``text-measures`` folder (JSON:
numbers, no code), under a key of all they depend on besides the string: the font
properties and font rcParams (hinting and kerning among them) as :mod:`.measure` keys
them, the files of the fonts they resolve to (path, face, inode, size, modification and
change times: a font replaced is another key), the dpi, and the versions of matplotlib,
FreeType, libraqm and Python
with the source of this module, :mod:`.measure` and :mod:`.glyphs` (:func:`_version`). A
value not kept is made by matplotlib and kept; a shaping with OpenType features, a
language, or a glyph of a fallback font is not kept. Written as the package's other disk
caches are: only in a private folder, atomically: a process's new values in a small file
beside the table, when a chart's PNG is made and when the process ends; a reader joins
them, and past :data:`MAX_ADDITIONS` files writes the table whole (two processes doing so
at once lose only values made again later), a table grown past :data:`MAX_KEPT` started
afresh. Under the tests' CI run the cache folder is the
run's own (nothing from an earlier run is read).
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import secrets
from pathlib import Path
from typing import Any

from ..core import cache

#: Most strings a table keeps (a report's charts measure ~2,000 per font, size and dpi;
#: hostile test texts many more): beyond it a table is started afresh.
MAX_KEPT = 20_000  # not a figure: strings per table
#: New values a table holds in memory before they are written (:func:`keep`).
MAX_NEW = 2_000  # not a figure: strings per table
#: Files of additions beside a table before it is written whole (:func:`_read`).
MAX_ADDITIONS = 8
#: The folder of :func:`dbanalysis.core.cache.cache_dir` the tables live in.
KIND = "text-measures"
#: Bytes of tables kept (the least recently written go first: tables of code or fonts
#: since changed).
KEEP_BYTES = 16 * 2**20

#: Tables read or made in this process: file name -> {string: kept value}.
_TABLES: dict[str, dict[str, list]] = {}
#: Values made in this process and not yet written: file name -> {string: value}.
_NEW: dict[str, dict[str, list]] = {}
#: Table file names per kind and in-process font key (:mod:`.measure`'s, with the dpi).
_NAMES: dict[tuple, str] = {}
#: The font properties and dpi of each table this process used (what the tests measure
#: the kept numbers again with).
FONTS: dict[str, tuple[Any, float]] = {}
_VERSION: list[str] = []
_PRUNED: list[Path] = []
#: The files of additions of each folder this process read tables from (:func:`_additions`).
_LISTINGS: dict[Path, dict[str, list[str]]] = {}
#: Additions files written by this process; whether :func:`keep` runs at exit.
_WRITES = [0, 0]

#: The kinds of table: a string's extent (:func:`measured`) and its shaping
#: (:func:`shaped`).
EXTENT, SHAPED = "extent", "shaped"


def _an_extent(value: Any) -> bool:
    return type(value) is list and len(value) == 3 and all(type(v) is float for v in value)


def _a_shaping(value: Any) -> bool:
    return type(value) is list and all(
        type(g) is list and len(g) == 3 and type(g[0]) is int and type(g[1]) is float
        and type(g[2]) is float for g in value)


#: What a table of each kind may hold (anything else in a table is made again).
_VALID = {EXTENT: _an_extent, SHAPED: _a_shaping}


def _version() -> str:
    """Everything a kept value depends on besides the string, the font and the dpi."""
    if not _VERSION:
        from matplotlib import ft2font

        from . import glyphs, measure

        code = "".join(cache.module_version(f, "matplotlib")
                       for f in (Path(__file__), Path(measure.__file__), Path(glyphs.__file__)))
        # (the shaping libraries too: a matplotlib linked to the system's changes with it)
        raqm = getattr(ft2font, "__libraqm_version__", "")
        _VERSION.append(f"{code} FreeType {ft2font.__freetype_version__} raqm {raqm}")
    return _VERSION[0]


def _table_name(kind: str, font_key: tuple, prop: Any) -> str:
    """The file name of ``kind``'s table for ``font_key`` (:mod:`.measure`'s key:
    properties, font rcParams, this process's font manager, dpi), with the process's
    font manager replaced by the font files ``prop`` resolves to."""
    name = _NAMES.get((kind, font_key))
    if name is None:
        from matplotlib.font_manager import fontManager

        files = []
        # what get_font opens: each file's face (one .ttc holds several) and status (a
        # font replaced in place with its times kept, by cp -p or rsync -a, is another)
        for path in _font_files(fontManager, prop):
            st = os.stat(path)
            files.append((os.fspath(path), getattr(path, "face_index", 0), st.st_ino,
                          st.st_size, st.st_mtime_ns, st.st_ctime_ns))
        props, rc, _manager, _fonts, dpi = font_key
        key = repr((props, rc, tuple(files), dpi, _version()))
        name = f"{kind}-{hashlib.sha256(key.encode()).hexdigest()[:40]}.json"
        _NAMES[(kind, font_key)] = name
        FONTS[name] = (prop.copy(), dpi)
    return name


def _font_files(manager: Any, prop: Any) -> list:
    """The font files ``prop`` resolves to, as matplotlib's ``get_font`` opens them: its
    private ``FontManager._find_fonts_by_props``, else (renamed in a later matplotlib)
    ``findfont``'s one file (what a chart draws with when no fallback font is needed)."""
    find = getattr(manager, "_find_fonts_by_props", None)
    return list(find(prop)) if find is not None else [manager.findfont(prop)]


def _folder() -> Path:
    return cache.cache_dir() / KIND


def _load(path: Path, valid: Any) -> dict[str, list]:
    """The values of one table file that are values of its kind ({} when unreadable)."""
    try:
        table = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return {}
    return {s: v for s, v in table.items() if valid(v)} if type(table) is dict else {}


def _additions(folder: Path) -> dict[str, list[str]]:
    """The files of additions in ``folder`` (``<table>.<token>.json``) by table name less
    ``.json``, sorted: listed once per process and folder (:data:`_LISTINGS`; a kernel
    reads 12-15 tables, and the folder holds the tables of every font, dpi and version of
    the code a cache has seen: ~1,700 files, ~1-2 ms a listing). Additions another process
    writes later are not seen by this one: it measures those strings again, and keeps them."""
    listing = _LISTINGS.get(folder)
    if listing is None:
        listing = {}
        with os.scandir(folder) as entries:
            for entry in entries:
                table, dot, rest = entry.name.partition(".")
                if dot and rest.endswith(".json") and not entry.name.startswith("."):
                    listing.setdefault(table, []).append(entry.name)
        for names in listing.values():
            names.sort()
        _LISTINGS[folder] = listing
    return listing


def _read(name: str) -> dict[str, list]:
    """The table ``name`` as kept on disk: its file and the additions written beside it
    (:func:`keep`) that were there when this process first listed the folder
    (:func:`_additions`), without what is not a value of its kind ({} when missing or not
    in a private folder). Past :data:`MAX_ADDITIONS` additions, the table is written whole
    and the additions it took in removed (past :data:`MAX_KEPT` values it is started
    afresh)."""
    folder = _folder()
    # (a folder not made yet holds nothing: not read, whoever may make it meanwhile)
    if not (folder.is_dir() and cache.private(folder.parent, folder)):
        return {}
    valid = _VALID[name.partition("-")[0]]
    try:
        additions = [folder / n for n in _additions(folder).get(name[:-len(".json")], [])]
    except OSError:
        return {}
    table = _load(folder / name, valid)
    for path in additions:
        table.update(_load(path, valid))
    if len(additions) > MAX_ADDITIONS:
        with contextlib.suppress(OSError):
            if cache.put(folder / name, json.dumps(
                    table if len(table) <= MAX_KEPT else {}).encode(), (folder.parent, folder)):
                for path in additions:
                    path.unlink(missing_ok=True)
    return table


def _kept(kind: str, s: str, font_key: tuple, prop: Any, make: Any) -> list | None:
    """``kind``'s value for ``s`` in ``prop``'s font as kept on disk, or ``make()``'s,
    then kept (``None``: nothing to keep, nothing kept)."""
    name = _table_name(kind, font_key, prop)
    table = _TABLES.get(name)
    if table is None:
        table = _TABLES[name] = _read(name)
    got = table.get(s)
    if got is None:
        got = make()
        if got is not None:
            if not _WRITES[1]:  # written at exit too (registered on first use: importing
                _WRITES[1] = 1  # the module changes nothing, as the kernels' zygote asks)
                atexit.register(keep)
            new = _NEW.setdefault(name, {})
            if len(table) > MAX_KEPT:  # a long session: its tables started afresh
                table.clear()
            if len(new) >= MAX_NEW:  # (a lab kernel showing charts inline saves no PNG)
                keep()
                new = _NEW.setdefault(name, {})
            table[s] = new[s] = got
    return got


def measured(s: str, font_key: tuple, prop: Any, measure: Any) -> tuple[float, float, float]:
    """The width, height and descent of ``s`` in ``prop``'s font (``font_key``: its key
    in :mod:`.measure`), as kept on disk, or ``measure()``'s, then kept."""
    got = _kept(EXTENT, s, font_key, prop, lambda: [float(v) for v in measure()])
    assert got is not None
    return got[0], got[1], got[2]


def shaped(s: str, font_key: tuple, prop: Any, shape: Any) -> list | None:
    """The glyphs of ``s`` in ``prop``'s font as shaped for drawing: [glyph index, x, y]
    each (:mod:`.glyphs`), as kept on disk, or ``shape()``'s, then kept (``None`` where
    ``shape()`` gives ``None``: a glyph from another font than ``prop``'s first)."""
    return _kept(SHAPED, s, font_key, prop, shape)


def keep() -> None:
    """Write this process's new values beside their tables, one small file of additions
    per table (:func:`_read` joins them; rewriting a whole table each time cost ~8 ms a
    chart while a cold cache fills)."""
    folder = _folder()
    for name in list(_NEW):
        new = _NEW.pop(name)
        _WRITES[0] += 1
        # (a random token: a later process given the same pid overwrites nothing unread)
        path = folder / f"{name[:-len('.json')]}.{secrets.token_hex(8)}.json"
        try:
            if cache.put(path, json.dumps(new).encode(), (folder.parent, folder)) \
                    and not _PRUNED:
                _PRUNED.append(folder)  # once per process
                cache.prune(folder, KEEP_BYTES, ".json")
        except OSError:
            pass  # a read-only environment: nothing kept

