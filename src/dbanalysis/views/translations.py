"""Vietnamese for the English prose of the data: catalogue notes, corrections and the
derived-figure assumptions composed from them. (An assumption written as data is
written in both languages there: data/templates/derived.csv and the templates of
data/vocab/labels.csv; :func:`rule_texts` gathers those.)

``data/i18n/vi.csv`` holds one row per text: ``table`` (figures, derived,
corrections), ``id``, ``field``, the English text it translates (``en``) and
the Vietnamese (``vi``). Keeping the English beside it makes a translation
*stale* as soon as the English changes, the way gettext marks a message fuzzy:
:func:`problems` lists every missing, stale or orphaned translation (the tests
fail on any), while :func:`text` falls back to the English so that a page
still builds.
"""

from __future__ import annotations

import functools
from pathlib import Path

from ..catalogue.corrections import load_corrections
from ..catalogue.figures import load_figures
from ..core import cache, paths, validation
from ..core.cache import one_reading
from ..core.inputs import InputError, Problem
from ..core.language import resolve
from ..derive.compute import specs
from ..derive.lookup import derived_frame

#: The file's schema (data/schemas/input/i18n/vi.json).
SCHEMA = "input/i18n/vi"


class TranslationFileError(InputError):
    """``data/i18n/vi.csv`` is malformed; the message names the file and every bad line."""

    what = "translation file"


def catalogue_path() -> Path:
    """The Vietnamese translation catalogue."""
    return paths.data_dir() / "i18n" / "vi.csv"


@functools.cache
def _load(path: Path, _content: str) -> dict[tuple[str, str, str], tuple[str, str]]:
    rows, problems = validation.read_rows(SCHEMA, path)
    if problems:
        raise TranslationFileError(path, problems)
    return {(r["table"], r["id"], r["field"]): (r["en"], r["vi"]) for r in rows}


def catalogue() -> dict[tuple[str, str, str], tuple[str, str]]:
    """(table, id, field) -> (English, Vietnamese), re-read when the file changes."""
    path = catalogue_path()
    return _load(path, cache.fresh_content_hash([path]))


@functools.cache
def _rule_texts_cached(_content: str) -> dict[tuple[str, str, str], tuple[str, str]]:
    """:func:`rule_texts` of one version of the data. Shared on disk (as
    :func:`dbanalysis.derive.precision._bounds`): it reads the derivation specs, which each
    kernel whose page has a derived table or a Vietnamese assumption would otherwise build
    again for this table alone (~50-90 ms of CPU a kernel, 8 of the 14 report notebooks)."""
    return cache.shared("rule-texts", _compute_rule_texts)


def _compute_rule_texts() -> dict[tuple[str, str, str], tuple[str, str]]:
    return {("derived", s.figure_id, "assumption"): (s.assumption, s.assumption_vi)
            for s in specs() if s.assumption and s.assumption_vi}


def rule_texts() -> dict[tuple[str, str, str], tuple[str, str]]:
    """(table, id, field) -> (English, Vietnamese) of the assumptions written in both
    languages as data, not in this catalogue: those of the figures derived by the rules
    of data/derived.csv (their templates in data/vocab/labels.csv), of the figures
    declared one by one (data/templates/derived.csv) and of the derivations built from
    a template of data/vocab/labels.csv (growth paths, award totals)."""
    return _rule_texts_cached(cache.data_hash())


@one_reading()
def text(table: str, id_: str, field: str, english: str, lang: str | None = None) -> str:
    """``english`` in ``lang``: the catalogue's Vietnamese (or a rule template's) when it
    translates exactly this English, else the English itself (see :func:`problems`)."""
    if resolve(lang) == "en" or not english:
        return english
    key = (table, id_, field)
    found = catalogue().get(key) or rule_texts().get(key)
    return found[1] if found and found[0] == english else english


@one_reading()
def translatable() -> dict[tuple[str, str, str], str]:
    """Every English text of the data that a Vietnamese reader needs translated."""
    out = {}
    figs = load_figures()
    for r in figs[figs["note"].notna()].itertuples():
        out[("figures", r.figure_id, "note")] = str(r.note)
    derived = derived_frame()  # (shared: the derivation is not run again for this list)
    by_rule = rule_texts()
    for r in derived[derived["assumption"] != ""].itertuples():
        key = ("derived", r.Index, "assumption")
        if by_rule.get(key, ("", ""))[0] != r.assumption:
            out[key] = str(r.assumption)
    for r in load_corrections().itertuples():
        for field in ("interpretation", "reason"):
            if getattr(r, field):
                out[("corrections", r.figure_id, field)] = str(getattr(r, field))
    return out


@one_reading()
def problems() -> list[str]:
    """Missing, stale (English changed since) and orphaned (text gone) translations."""
    have = catalogue()
    need = translatable()
    found = []
    for key, english in need.items():
        name = "/".join(key)
        if key not in have:
            found.append(f"{name}: no Vietnamese translation")
        elif have[key][0] != english:
            found.append(f"{name}: stale translation (the English text changed)")
    found += [f"{'/'.join(k)}: translates a text that no longer exists"
              for k in have if k not in need]
    return found


class NoteError(InputError):
    """A figure's note (a template of :func:`dbanalysis.views.text.sentence`) cannot be
    filled; the message names the file and every note that cannot."""

    what = "figure notes"


@one_reading()
def check_notes() -> None:
    """Fill every figure's note in English (data/figures.csv) and its Vietnamese
    (data/i18n/vi.csv); :class:`NoteError` names the file, line and figure of each field
    that is not a figure, a derived figure or a constant ``ref_<name>`` of outside
    knowledge, or of a format it has not (a brace of text is written ``{{``)."""
    from .text import plain

    figs = load_figures()
    have = catalogue()
    lines = {"en": _lines(paths.data_dir() / "figures.csv", lambda r: r.get("figure_id")),
             "vi": _lines(catalogue_path(), lambda r: r.get("id") if r.get("table") == "figures"
                          and r.get("field") == "note" else None)}
    found: dict[str, list[Problem]] = {"en": [], "vi": []}
    for fid, note in zip(figs["figure_id"], figs["note"], strict=True):
        if not isinstance(note, str) or not note:
            continue
        vi = have.get(("figures", fid, "note"), ("", ""))[1]
        for lang, template in (("en", note), ("vi", vi)):
            try:
                plain(template, lang)
            except (KeyError, ValueError, IndexError, AttributeError) as exc:
                found[lang].append(Problem(lines[lang].get(fid, 0), fid,
                                           f"the note cannot be filled: {type(exc).__name__}: "
                                           f"{exc}"))
    for lang, path in (("en", paths.data_dir() / "figures.csv"), ("vi", catalogue_path())):
        if found[lang]:
            raise NoteError(path, found[lang])


def _lines(path: Path, key) -> dict[str, int]:
    """id -> the line its row starts on (the header is line 1)."""
    import csv

    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        out, line = {}, 1
        for row in reader:
            line += 1
            if key(row):
                out[key(row)] = line
            line = reader.line_num
    return out
