"""Knowledge from outside the report, as data: ``data/reference.csv``.

Each row is a yardstick the report does not give (the national new-rural criteria, the
most grain a sown hectare yields, a usual household size, a ceiling for a district's
own revenue) with its value, unit, label and what it rests on, in both languages, and
the derived figures and audit checks that use it. These are not figures from the
report and are never mixed up with them: formulas name them ``ref_<name>`` (see
:func:`formula_names`), and the audit and the pages say so wherever they are used.
Their sources are cited from general knowledge and were not checked against the
documents from this machine.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..core.cache import memo
from ..core.language import check
from ..core.validation import read

#: The file's schema (data/schemas/input/reference.json).
SCHEMA = "input/reference"


@dataclass(frozen=True)
class Reference:
    """One constant of outside knowledge."""

    name: str
    value: float
    unit: str
    label_en: str
    label_vi: str
    basis_en: str
    basis_vi: str
    used_by: tuple[str, ...]

    def label(self, lang: str) -> str:
        """What the constant is, in ``lang``."""
        return self.label_vi if check(lang) == "vi" else self.label_en

    def basis(self, lang: str) -> str:
        """What the value rests on, in ``lang``."""
        return self.basis_vi if check(lang) == "vi" else self.basis_en

    def words(self, spec: str, lang: str) -> str:
        """What a sentence says of the constant by a format of :data:`WORD_SPECS`
        (``{ref_<name>:label}``, ``{ref_<name>:basis}``), in ``lang``: what it is, or what
        it rests on without its closing full stop, to sit inside a sentence. The one rule
        for templates (:mod:`dbanalysis.catalogue.sentences`) and notes
        (:class:`dbanalysis.views.text.ReferenceField`)."""
        if spec == "label":
            return self.label(lang)
        if spec == "basis":
            return self.basis(lang).rstrip(".")
        raise ValueError(f"{spec!r} is not one of {WORD_SPECS}")


#: The formats in which a sentence says a constant in words (:meth:`Reference.words`).
WORD_SPECS = ("label", "basis")


@memo("reference.csv", "schemas/input/reference.json", "vocab/units.csv")
def table() -> dict[str, Reference]:
    """Every constant by name, in file order."""
    return {r["name"]: Reference(r["name"], r["value"], r["unit"], r["label_en"], r["label_vi"],
                                 r["basis_en"], r["basis_vi"],
                                 tuple(i.strip() for i in r["used_by"].split(";") if i.strip()))
            for r in read(SCHEMA)}


def value(name: str) -> float | int:
    """The constant ``name``; a whole number as an ``int`` (19 criteria, not 19.0).

    >>> value("national_new_rural_criteria")
    19
    """
    v = table()[name].value
    return int(v) if float(v).is_integer() else v


def formula_names() -> dict[str, float]:
    """The constants as a derivation formula names them: ``ref_<name>`` -> value."""
    return {f"ref_{name}": r.value for name, r in table().items()}
