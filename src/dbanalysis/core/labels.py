"""UI strings in English and Vietnamese, from one table: ``data/vocab/labels.csv``.

Each row is ``key,en,vi,used_in``. Code asks for a string by key and language::

    >>> from dbanalysis.core import labels
    >>> labels.text("citation.figures", "vi", ids="agri_cattle")
    'số liệu: agri_cattle'

A key that is not in the table raises :class:`UnknownLabelError` naming the key and
the file; a malformed table raises :class:`LabelTableError` listing every bad line.
"""

from __future__ import annotations

import string
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from . import paths, validation
from .cache import fresh_content_hash
from .inputs import InputError, Problem
from .language import LANGS, check, resolve

__all__ = [
    "LANGS",
    "PHRASE",
    "SCHEMA",
    "Label",
    "LabelTableError",
    "UnknownLabelError",
    "counted",
    "joined",
    "keys",
    "labels_path",
    "table",
    "template",
    "text",
]

#: The table's schema (data/schemas/input/vocab/labels.json).
SCHEMA = "input/vocab/labels"


class LabelTableError(InputError):
    """``labels.csv`` is malformed; the message names the file and every bad line."""

    what = "label table"


class UnknownLabelError(LabelTableError, KeyError):
    """A label key that ``labels.csv`` does not define (a KeyError too); the message
    names the file and the key, as every input error does."""

    def __init__(self, key: str, path: Path | None = None):
        super().__init__(path or labels_path(), [Problem(
            0, key, f"unknown label key {key!r}: the code asks for it; add the row")])
        self.key = key

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""


@dataclass(frozen=True)
class Label:
    """One row of the label table."""

    key: str
    en: str
    vi: str
    used_in: str

    def in_lang(self, lang: str) -> str:
        """The string in ``lang`` (``"en"`` or ``"vi"``)."""
        return self.vi if check(lang) == "vi" else self.en


def labels_path() -> Path:
    """Where the label table lives (``data/vocab/labels.csv``)."""
    return paths.vocab_dir() / "labels.csv"


#: A label whose key starts so is a phrase: other labels write it as ``{phrase.<name>}``
#: (``{phrase.since_2015}``: "since 2015", "so với năm 2015"), put in when the table is
#: read, so that words several labels share are said once.
PHRASE = "phrase."


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _unphrased(template: str) -> set[str]:
    """The fields of ``template`` its caller fills (not the phrases the table puts in)."""
    return {f for f in _fields(template) if not f.startswith(PHRASE)}


@cache
def _load(path: Path, _content: str) -> dict[str, Label]:
    rows, problems = validation.read_rows(SCHEMA, path)
    table: dict[str, Label] = {}
    for row in rows:
        try:
            for lang in LANGS:
                _fields(row[lang])
        except ValueError as exc:  # a lone '{' or '}': str.format would fail on it
            problems.append(Problem(row["line"], row["key"], f"{lang}: {exc} (a literal "
                                    "brace is written '{{' or '}}')"))
            continue
        if _unphrased(row["en"]) != _unphrased(row["vi"]):  # a phrase is put in at once
            problems.append(Problem(row["line"], row["key"], "placeholders differ between en "
                                    f"{sorted(_fields(row['en']))} and vi "
                                    f"{sorted(_fields(row['vi']))}"))
        table[row["key"]] = Label(row["key"], row["en"], row["vi"], row["used_in"])
    table = _with_phrases(table, {r["key"]: r["line"] for r in rows}, problems)
    if problems:
        raise LabelTableError(path, problems)
    return table


def _with_phrases(table: dict[str, Label], lines: dict[str, int],
                  problems: list[Problem]) -> dict[str, Label]:
    """``table`` with each ``{phrase.<name>}`` field replaced by that phrase in the same
    language; a phrase with fields of its own, or a field naming no phrase, is a problem."""
    phrases = {k: lab for k, lab in table.items() if k.startswith(PHRASE)}
    for k, lab in phrases.items():
        if _fields(lab.en) | _fields(lab.vi):
            problems.append(Problem(lines[k], k, "a phrase has no fields"))
    out = {}
    for k, lab in table.items():
        texts = {}
        for lang in LANGS:
            t = lab.in_lang(lang)
            for name in sorted(f for f in _fields(t) if f.startswith(PHRASE)):
                if name not in phrases:
                    problems.append(Problem(lines[k], k, f"{{{name}}}: no such phrase"))
                    continue
                t = t.replace("{" + name + "}", phrases[name].in_lang(lang))
            texts[lang] = t
        out[k] = Label(k, texts["en"], texts["vi"], lab.used_in)
    return out


def table() -> dict[str, Label]:
    """Every label by key (read once per file location)."""
    path = labels_path()
    return _load(path, fresh_content_hash([path]))


def keys() -> frozenset[str]:
    """The keys the table defines."""
    return frozenset(table())


def template(key: str, lang: str | None = None, /) -> str:
    """The label ``key`` in ``lang`` as written, a template whose ``{name}`` fields the
    caller fills itself (escaping its words first, or filling figure fields from the
    catalogue): a literal brace is still ``{{`` here, as ``str.format`` reads it.

    >>> template("citation.figures", "en")
    'figures: {ids}'

    Raises :class:`UnknownLabelError` for a key the table does not define and
    :class:`ValueError` for a language other than ``"en"`` or ``"vi"``."""
    lang = resolve(lang)
    labels = table()
    if key not in labels:
        raise UnknownLabelError(key)
    return labels[key].in_lang(lang)


def text(key: str, lang: str | None = None, /, **fields: Any) -> str:
    """The label ``key`` in ``lang`` (default: the current language, see
    :mod:`dbanalysis.core.language`), with ``{name}`` placeholders filled from ``fields``.
    One rule with or without fields: the template as ``str.format`` reads it, so a
    literal brace written ``{{`` is ``{`` either way; a template is :func:`template`.

    >>> text("citation.short", "en", title="T", date="01/02/2020")
    'Source: T, 01/02/2020'

    Raises :class:`UnknownLabelError` for a key the table does not define,
    :class:`ValueError` for a language other than ``"en"`` or ``"vi"`` and for a field
    the label has that ``fields`` does not give.
    """
    written = template(key, lang)
    try:
        return written.format(**fields)
    except KeyError as exc:
        raise ValueError(f"label {key!r} needs the field {exc.args[0]!r}") from None


def joined(items: Iterable[str], lang: str | None = None) -> str:
    """``items`` as one list in plain text (a chart's alt text, audit-text's values), joined
    by the label ``list.join`` ("; "); Markdown joins with that label escaped, as any
    data text (:func:`dbanalysis.core.markup.md_joined`)."""
    return text("list.join", lang).join(items)


#: The forms a counted label may have, by the count they are for (``key.zero``,
#: ``key.one``); any other count, or a form the table lacks, takes ``key.many``.
COUNT_FORMS = {0: "zero", 1: "one"}


def counted(key: str, count: int, lang: str | None = None, /, **fields: Any) -> str:
    """The form of the counted label ``key`` for ``count`` things: ``key.zero`` for none
    and ``key.one`` for one where the table has them, else ``key.many``, so that a
    sentence says "none is left over" without an ``if`` in the code that writes it.
    ``{n}`` is filled from ``fields`` (the count in the page's notation), else with the
    count as given.

    >>> counted("audit.noun", 1, "en"), counted("audit.noun", 2, "en")
    ('check', 'checks')

    Raises :class:`UnknownLabelError` naming ``key.many`` when the table has no form of
    ``key`` for that count."""
    labels = table()
    form = COUNT_FORMS.get(count)
    name = f"{key}.{form}" if form and f"{key}.{form}" in labels else f"{key}.many"
    return text(name, lang, **{"n": count, **fields})
