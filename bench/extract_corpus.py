"""Measure ``find_quantities`` on a hand-annotated corpus (a script, not a test).

For every text of the corpus folder (default ``tests/corpus/``, the project's own texts;
``--corpus DIR`` measures any folder of the same layout, such as published texts kept
outside the repository) it compares the extractor's rows with the expected quantities
(``<slug>.expected.csv``) and prints, per text, per set (``set`` in ``<slug>.meta.json``)
and overall:

- recall: expected quantities found at the right place with the right value;
- unit accuracy: of those, the share whose ``unit`` is the expected unit id;
- non-quantities: the share of returned rows that match no expected quantity.

Usage: .venv/bin/python bench/extract_corpus.py [--details] [--corpus DIR]
Exit status 2 (and a list of every problem) when an annotation file is malformed.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import math
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

from dbanalysis.catalogue.extract import find_quantities

CORPUS = Path(__file__).resolve().parents[1] / "tests" / "corpus"


@dataclass
class Expected:
    line: int
    quote: str
    number: str
    value: float
    unit: str | None
    start: int = 0
    end: int = 0


@dataclass
class Score:
    slug: str
    expected: int = 0
    found: int = 0
    unit_ok: int = 0
    returned: int = 0
    extra: int = 0
    misses: list = field(default_factory=list)
    wrong_units: list = field(default_factory=list)
    extras: list = field(default_factory=list)


def _number_re(number: str) -> re.Pattern:
    return re.compile(rf"(?<![0-9])(?<![0-9][.,]){re.escape(number)}(?![0-9])(?![.,][0-9])")


def text_set(corpus: Path, slug: str) -> str:
    """``development`` or ``held-out`` (annotated and added after the extractor changed)."""
    meta = json.loads((corpus / f"{slug}.meta.json").read_text(encoding="utf-8"))
    return meta.get("set", "development")


def load_text(corpus: Path, slug: str) -> tuple[str, list[Expected], list[str]]:
    """The text and its expected quantities, with every problem found (file, line, what)."""
    problems: list[str] = []
    meta_path = corpus / f"{slug}.meta.json"
    meta = json.loads(meta_path.read_text(encoding="utf-8"))
    raw = (corpus / meta["file"]).read_bytes()
    if hashlib.sha256(raw).hexdigest() != meta["sha256"]:
        problems.append(f"{meta_path}: sha256 does not match {meta['file']}")
    text = raw.decode("utf-8")
    exp_path = corpus / meta["expected"]
    items: list[Expected] = []
    with exp_path.open(encoding="utf-8", newline="") as f:
        for line, row in enumerate(csv.DictReader(f), start=2):
            where = f"{exp_path}:{line}"
            quote, number = row["quote"], row["number"]
            count = text.count(quote)
            if count != 1:
                problems.append(f"{where}: quote {quote!r} occurs {count} times in the text")
                continue
            hits = list(_number_re(number).finditer(quote))
            if len(hits) != 1:
                problems.append(f"{where}: number {number!r} occurs {len(hits)} times in {quote!r}")
                continue
            try:
                value = float(row["value"])
            except ValueError:
                problems.append(f"{where}: value {row['value']!r} is not a number")
                continue
            base = text.index(quote)
            items.append(Expected(line, quote, number, value, row["unit"] or None,
                                  base + hits[0].start(), base + hits[0].end()))
    return text, items, problems


def score(slug: str, text: str, items: list[Expected]) -> Score:
    rows = find_quantities(text)
    s = Score(slug, expected=len(items), returned=len(rows))
    used: set[int] = set()
    for e in items:
        match = None
        for i, r in enumerate(rows.itertuples()):
            if i in used or not (r.number_start <= e.start and e.end <= r.number_end):
                continue
            if math.isclose(r.value, e.value, rel_tol=1e-9, abs_tol=1e-9):
                match = (i, r)
                break
        if match is None:
            s.misses.append(e)
            continue
        used.add(match[0])
        s.found += 1
        unit = match[1].unit if isinstance(match[1].unit, str) else None
        if unit == e.unit:
            s.unit_ok += 1
        else:
            s.wrong_units.append((e, unit, match[1].unit_text if "unit_text" in rows else ""))
    for i, r in enumerate(rows.itertuples()):
        if i not in used:
            s.extra += 1
            s.extras.append((r.text, r.value, r.unit, text[max(0, r.start - 25): r.end + 10]))
    return s


def _pct(n: int, d: int) -> str:
    return f"{100 * n / d:6.1f} %" if d else "     – "


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--details", action="store_true", help="list misses, wrong units, extras")
    args = ap.parse_args(argv)
    slugs = sorted(p.name.removesuffix(".meta.json") for p in args.corpus.glob("*.meta.json"))
    if not slugs:
        print(f"{args.corpus}: no <slug>.meta.json here; nothing measured", file=sys.stderr)
        return 2
    loaded, problems = [], []
    for slug in slugs:
        text, items, probs = load_text(args.corpus, slug)
        problems += probs
        loaded.append((slug, text, items))
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"{len(problems)} problem(s) in the annotations; nothing measured", file=sys.stderr)
        return 2
    scores = [score(slug, text, items) for slug, text, items in loaded]
    groups = {}
    for s in scores:
        groups.setdefault(text_set(args.corpus, s.slug), []).append(s)
    totals = []
    for name, members in [*sorted(groups.items()), ("overall", scores)]:
        total = Score(name if name == "overall" else f"({name}: {len(members)} texts)")
        for s in members:
            for k in ("expected", "found", "unit_ok", "returned", "extra"):
                setattr(total, k, getattr(total, k) + getattr(s, k))
        totals.append(total)
    head = (f"{'text':32} {'expected':>8} {'recall':>8} {'unit acc.':>9} {'returned':>8} "
            f"{'non-qty':>8}")
    print(head)
    print("-" * len(head))
    for s in [*scores, None, *totals]:
        if s is None:
            print("-" * len(head))
            continue
        print(f"{s.slug:32} {s.expected:8d} {_pct(s.found, s.expected):>8} "
              f"{_pct(s.unit_ok, s.found):>9} {s.returned:8d} {_pct(s.extra, s.returned):>8}")
    if args.details:
        for s in scores:
            for e in s.misses:
                print(f"MISS   {s.slug}: {e.quote!r} {e.number} = {e.value} {e.unit}")
            for e, unit, unit_text in s.wrong_units:
                print(f"UNIT   {s.slug}: {e.quote!r} expected {e.unit}, got {unit} ({unit_text!r})")
            for t, v, u, ctx in s.extras:
                print(f"EXTRA  {s.slug}: {t!r} = {v} {u}   …{ctx!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
