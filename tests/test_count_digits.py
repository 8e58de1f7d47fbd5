"""Counts of things in the pages' prose are written in digits, as the report writes its own
(“02 xã”, “13 xã”, “04 phong trào”); a count of outside knowledge comes from its one
declared value (``{ref_communes_moved_to_city}``: “4 xã”), never a typed word (“bốn xã”)."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from dbanalysis.catalogue import sentences

ROOT = Path(__file__).resolve().parents[1]
#: A number word before a counted noun of the report, in either language.
WORDED = re.compile(
    r"\b(hai|ba|bốn|năm|sáu|bảy|tám|chín|mười) (xã|trạm|thôn, bản|đơn vị|phong trào)\b"
    r"|\b(two|three|four|five|six|seven|eight|nine|ten)(?: of (?:its|the district's))? "
    r"(communes|stations|villages|units|movements)\b(?! in \w)", re.IGNORECASE)


def _texts() -> list[tuple[str, str]]:
    out = [(str(p.relative_to(ROOT)), p.read_text(encoding="utf-8"))
           for p in sorted((ROOT / "data").rglob("*.csv"))]
    for p in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(p, as_version=4)
        out += [(f"{p.name} cell {i}", c.source) for i, c in enumerate(nb.cells)]
    return out


def test_no_count_of_communes_is_written_in_words() -> None:
    found = [(where, m.group(0)) for where, text in _texts() for m in WORDED.finditer(text)]
    assert not found, found


@pytest.mark.parametrize(("lang", "expected"), [("vi", "4 xã"), ("en", "4 communes")])
def test_a_template_writes_the_declared_count_in_digits(lang, expected) -> None:
    assert sentences.reference_text("ref_communes_moved_to_city").__getattribute__(lang) \
        == expected
