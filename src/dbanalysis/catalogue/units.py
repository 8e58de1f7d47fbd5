"""The unit lexicon: how Vietnamese reports write a unit after a number, held as data.

``data/vocab/unit_lexicon.csv`` maps every surface form (lower case, NFC) to a unit id of
``data/vocab/units.csv``, which holds the unit's labels and dimension.  Its column
``per_label_en`` marks the forms that may follow ``/`` in a per-unit (``%/năm``,
``tạ/ha``, ``triệu đồng/người``) and says how that half reads in English (``a year``,
``per ha``).  A per-unit's id is composed from its parts: ``<unit>_per_<unit>[_<unit>]``
(``kg/người/năm`` is ``kg_per_person_year``), and so are its labels and dimension.

``data/vocab/unit_text_stops.csv`` lists the words that end the noun phrase reported as
``unit_text`` by :func:`dbanalysis.catalogue.extract.find_quantities`.

Both files are read once per process; a malformed row raises :class:`LexiconError`
naming the file, every bad line and the problem.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Any

from ..core import paths
from ..core.cache import memo
from ..core.inputs import InputError, Problem
from ..core.validation import read as read_table
from ..core.validation import read_rows

__all__ = [
    "LexiconError",
    "compose",
    "count_units",
    "decimals_at_most",
    "is_count",
    "per_forms",
    "stop_words",
    "surface_forms",
    "unit_info",
    "units_table",
]

_TONES = "\u0300\u0301\u0303\u0309\u0323"  # grave, acute, tilde, hook above, dot below


class LexiconError(InputError):
    """The unit lexicon is malformed; the message lists every problem."""

    what = "unit lexicon"


def _lexicon_path() -> Path:
    return paths.vocab_dir() / "unit_lexicon.csv"


def _rows(name: str) -> list[tuple[int, dict[str, Any]]]:
    """``data/vocab/<name>.csv`` read and checked by its schema, as (line, row) pairs."""
    return [(row.pop("line"), row) for row in read_table(f"input/vocab/{name}")]


@memo("vocab/units.csv", "schemas/input/vocab/units.json")
def units_table() -> dict[str, dict[str, str]]:
    """``units.csv`` as ``{unit id: {label_en, label_vi, dimension, description}}``."""
    return {row["unit"]: row for _, row in _rows("units")}


#: How ``units.csv`` declares a unit that counts whole things: its dimension starts so
#: (``count of people``, ``count of institutions``).
COUNT_DIMENSION = "count of "


@memo("vocab/units.csv", "schemas/input/vocab/units.json")
def count_units() -> frozenset[str]:
    """The unit ids of ``units.csv`` that count whole things (dimension ``count of …``):
    their values are whole numbers, so a derived count is never shown with decimals and
    a stated count is exact. A per-unit (``head_per_household``) is a ratio, not a count."""
    return frozenset(u for u, row in units_table().items()
                     if str(row["dimension"]).startswith(COUNT_DIMENSION))


def is_count(unit: str | None) -> bool:
    """Whether ``unit`` counts whole things (see :func:`count_units`)."""
    return unit is not None and unit in count_units()


@memo("vocab/units.csv", "schemas/input/vocab/units.json")
def _decimal_caps() -> dict[str, int]:
    return {u: int(row["decimals_at_most"]) for u, row in units_table().items()
            if row.get("decimals_at_most") is not None}


def decimals_at_most(unit: str | None) -> int | None:
    """The most decimals a derived figure in ``unit`` is shown with (``units.csv``'s
    ``decimals_at_most``: 2 for percentages and percentage points), or None (no cap)."""
    return None if unit is None else _decimal_caps().get(unit)


def _tone_variants(form: str) -> set[str]:
    """``form`` with the tone mark of final ``oa``/``oe``/``uy`` on either vowel.

    Vietnamese web text mixes the old and the new tone placement (``hoá``/``hóa``,
    ``thuỷ``/``thủy``); both spellings of a lexicon form are matched.
    """
    d = unicodedata.normalize("NFD", form)
    end = r"(?![^\W\d_]|[\u0300-\u036f])"
    old = re.sub(rf"(?<![qQ])([oOuU])([{_TONES}])([aAeEyY]){end}", r"\1\3\2", d)
    new = re.sub(rf"(?<![qQ])([oOuU])([aAeEyY])([{_TONES}]){end}", r"\1\3\2", d)
    return {unicodedata.normalize("NFC", v) for v in (d, old, new)}


@memo("vocab/units.csv", "vocab/unit_lexicon.csv", "schemas/input/vocab")
def _lexicon() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    path = _lexicon_path()
    rows, problems = read_rows("input/vocab/unit_lexicon", path)
    forms: dict[str, str] = {}
    per: dict[str, str] = {}
    per_label: dict[str, str] = {}
    for row in rows:
        surface = unicodedata.normalize("NFC", row["surface"].strip())
        unit, label = row["unit"], row["per_label_en"].strip()

        def wrong(message: str, row: dict = row, surface: str = surface) -> None:
            problems.append(Problem(row["line"], surface, message))

        if surface != surface.lower():
            wrong("the surface form must be lower case")
            continue
        for form in _tone_variants(surface):
            if forms.get(form, unit) != unit:
                wrong(f"also listed as {forms[form]!r}")
            forms[form] = unit
            if label:
                per[form] = unit
        if label:
            if per_label.get(unit, label) != label:
                wrong(f"per_label_en differs from {per_label[unit]!r}")
            per_label[unit] = label
    if problems:
        raise LexiconError(path, problems)
    return forms, per, per_label


def surface_forms() -> dict[str, str]:
    """Every surface form (lower case) -> unit id; tone-placement variants included."""
    return dict(_lexicon()[0])


def per_forms() -> dict[str, str]:
    """The surface forms that may follow ``/`` in a per-unit -> their unit id."""
    return dict(_lexicon()[1])


@memo("vocab/unit_text_stops.csv", "schemas/input/vocab/unit_text_stops.json")
def stop_words() -> frozenset[str]:
    """Words that end a unit noun phrase (``được``, ``và``, ``của``, …)."""
    return frozenset(
        unicodedata.normalize("NFC", row["word"].strip().lower())
        for _, row in _rows("unit_text_stops")
    )


def compose(base: str, per: list[str] | tuple[str, ...]) -> str:
    """The id of ``base`` per each unit of ``per``: ``compose("percent", ["year"])``."""
    return base if not per else f"{base}_per_{'_'.join(per)}"


def unit_info(unit: str) -> dict[str, str]:
    """Labels and dimension of a unit id, composing them for a per-unit.

    ``unit_info("quintal_per_ha")`` -> ``{"label_en": "quintals per ha", "label_vi":
    "tạ/ha", "dimension": "mass per area"}``.  Ids listed in ``units.csv`` are returned as
    listed.  Raises :class:`KeyError` for an id that is neither listed nor composable.
    """
    table = units_table()
    if unit in table:
        row = table[unit]
        return {k: row[k] for k in ("label_en", "label_vi", "dimension")}
    per_label = _lexicon()[2]
    for base in sorted(table, key=len, reverse=True):
        prefix = base + "_per_"
        if not unit.startswith(prefix):
            continue
        rest, dens = unit[len(prefix):], []
        while rest:
            den = next((u for u in sorted(per_label, key=len, reverse=True)
                        if rest == u or rest.startswith(u + "_")), None)
            if den is None:
                break
            dens.append(den)
            rest = rest[len(den) + 1:]
        if rest or not dens:
            continue
        b = table[base]
        return {
            "label_en": " ".join([b["label_en"], *(per_label[d] for d in dens)]),
            "label_vi": "/".join([b["label_vi"], *(table[d]["label_vi"] for d in dens)]),
            "dimension": " per ".join([b["dimension"], *(table[d]["dimension"] for d in dens)]),
        }
    raise KeyError(f"unknown unit id {unit!r}: not in units.csv and not a composed per-unit")


def clear_cache() -> None:
    """Forget the files read so far (after ``DBANALYSIS_DATA`` changes)."""
    for f in (units_table, count_units, _lexicon, stop_words):
        f.cache_clear()
