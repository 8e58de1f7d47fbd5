"""Two average growth rates, two names, in every text the data declares (review vi3 A1).

The total rise divided evenly by the years (the derive rules ``simple_<n>y``) and the
arithmetic mean of the yearly growth rates (which the report never gives) are different
numbers: the first can be computed from two levels, the second cannot, and only the
second is never below the compound rate. A note that called both "bình quân cộng" (and in
English "simple average") said 3,69% was the mean of the yearly rates and, in the next
clause, that 3,74% could be right as that mean. So in every cell of the data tables:

* "bình quân cộng" names the mean of the yearly rates only: its clause names the yearly
  rates ("từng năm" / "hàng năm");
* the English never says "simple average" (it reads as either).
"""

from __future__ import annotations

import csv
import re

from dbanalysis.core.paths import data_dir

#: A clause: up to a full stop, a semicolon, a colon or a bracket.
_CLAUSE = re.compile(r"[^.;:()]+")
_YEARLY = re.compile(r"từng năm|hàng năm")


def term_problems(cell: str) -> list[str]:
    """Each clause of ``cell`` that misuses a name of an average growth rate."""
    out = []
    for m in _CLAUSE.finditer(cell):
        clause = m.group(0)
        if "bình quân cộng" in clause.lower() and not _YEARLY.search(clause):
            out.append(f"'bình quân cộng' not of the yearly rates: {clause.strip()!r}")
    out += [f"ambiguous 'simple average': {cell[:120]!r}"
            for _ in re.finditer(r"simple average", cell, re.IGNORECASE)]
    return out


def test_the_rule_finds_the_old_note():
    old = ("tốc độ tăng bình quân nhân tính được là 3,50%, tốc độ tăng bình quân cộng là "
           "3,69%; con số có thể đúng nếu là bình quân cộng của các tốc độ tăng hàng năm")
    assert len(term_problems(old)) == 1
    assert term_problems("{label}: tốc độ tăng chia đều, {span} ({n} năm)") == []
    assert term_problems("the simple average 3.69%")


def test_every_data_text_names_the_two_averages_apart():
    found = []
    for path in sorted(data_dir().rglob("*.csv")):
        if "raw" in path.parts:
            continue
        with path.open(encoding="utf-8", newline="") as f:
            for line, row in enumerate(csv.reader(f), start=1):
                found += [f"{path.name}:{line}: {p}" for cell in row
                          for p in term_problems(cell)]
    assert not found, "\n".join(found)
