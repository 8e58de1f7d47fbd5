"""audit-text over the corpus: expected checks found, false 'inconsistent', time per text.

Each text ``<slug>.txt`` of the corpus with a ``<slug>.checks.csv`` (columns ``check``,
``verdict``, ``anchor``, ``note``: the checks a careful reader makes, written by hand
before audit-text was run on the text) is audited.  An expected check is *found* when
audit-text returns a check of the same kind whose spans overlap the anchor (a verbatim
snippet that occurs once in the text); it *agrees* when the verdicts are the same too.
A *false inconsistent* is an 'inconsistent' verdict of audit-text that no expected
'inconsistent' check of the same kind is anchored in (the target is 0).

Usage: .venv/bin/python bench/audit_corpus.py [--corpus DIR] [--details]
Exit status 2 when an annotation is malformed (file, line and problem are printed).
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from dbanalysis.textaudit import audit_text

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT / "tests" / "corpus"
COLUMNS = ["check", "verdict", "anchor", "note"]


@dataclass
class Expected:
    line: int
    check: str
    verdict: str
    start: int
    end: int
    note: str


@dataclass
class Score:
    slug: str
    expected: int = 0
    found: int = 0
    agreed: int = 0
    returned: int = 0
    false_inconsistent: int = 0
    seconds: float = 0.0
    details: list[str] = field(default_factory=list)


def load(corpus: Path, slug: str) -> tuple[str, list[Expected], list[str]]:
    """The text, its expected checks and the problems of its annotation file."""
    text = (corpus / f"{slug}.txt").read_text(encoding="utf-8")
    path = corpus / f"{slug}.checks.csv"
    items, problems = [], []
    with path.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        if reader.fieldnames != COLUMNS:
            return text, [], [f"{path}:1: columns must be {','.join(COLUMNS)}"]
        for n, row in enumerate(reader, start=2):
            count = text.count(row["anchor"])
            if count != 1:
                problems.append(f"{path}:{n}: anchor {row['anchor']!r} occurs {count} times")
                continue
            start = text.index(row["anchor"])
            items.append(Expected(n, row["check"], row["verdict"], start,
                                  start + len(row["anchor"]), row["note"]))
    return text, items, problems


def score(slug: str, text: str, expected: list[Expected]) -> Score:
    t0 = time.perf_counter()
    checks = audit_text(text)
    s = Score(slug, expected=len(expected), returned=len(checks),
              seconds=time.perf_counter() - t0)

    def overlaps(c, e: Expected) -> bool:
        return c.check == e.check and any(a < e.end and e.start < b for a, b in c.spans)

    for e in expected:
        hits = [c for c in checks if overlaps(c, e)]
        if hits:
            s.found += 1
            agreed = any(c.verdict == e.verdict for c in hits)
            s.agreed += agreed
            if not agreed:
                s.details.append(f"VERDICT {slug}:{e.line} {e.check} expected {e.verdict}, "
                                 f"got {', '.join(c.verdict for c in hits)}")
        else:
            s.details.append(f"MISSED  {slug}:{e.line} {e.check} {e.verdict}: "
                             f"{text[e.start:e.end]!r}")
    for c in checks:
        if c.verdict != "inconsistent":
            continue
        if not any(overlaps(c, e) and e.verdict == "inconsistent" for e in expected):
            s.false_inconsistent += 1
            s.details.append(f"FALSE   {slug}: {c.check} inconsistent {c.quotes}")
    return s


def slugs(corpus: Path) -> list[str]:
    return sorted(p.name.removesuffix(".checks.csv") for p in corpus.glob("*.checks.csv"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--details", action="store_true",
                        help="list every missed check, verdict disagreement and false alarm")
    args = parser.parse_args(argv)
    loaded, problems = [], []
    for slug in slugs(args.corpus):
        text, items, bad = load(args.corpus, slug)
        loaded.append((slug, text, items))
        problems += bad
    if problems:
        print("\n".join(problems), file=sys.stderr)
        print(f"{len(problems)} problem(s) in the annotations; nothing measured",
              file=sys.stderr)
        return 2
    audit_text("Tổng số 3 xã, trong đó 1 xã và 2 xã.")  # load the vocabularies once
    scores = [score(slug, text, items) for slug, text, items in loaded]
    print(f"{'text':<28} {'expected':>8} {'found':>6} {'agreed':>6} {'returned':>8} "
          f"{'false inc.':>10} {'ms':>7}")
    print("-" * 79)
    for s in scores:
        print(f"{s.slug:<28} {s.expected:>8} {s.found:>6} {s.agreed:>6} {s.returned:>8} "
              f"{s.false_inconsistent:>10} {1000 * s.seconds:>7.1f}")
    total = Score("overall")
    for s in scores:
        for k in ("expected", "found", "agreed", "returned", "false_inconsistent", "seconds"):
            setattr(total, k, getattr(total, k) + getattr(s, k))
    print("-" * 79)
    print(f"{'overall':<28} {total.expected:>8} {total.found:>6} {total.agreed:>6} "
          f"{total.returned:>8} {total.false_inconsistent:>10} {1000 * total.seconds:>7.1f}")
    pct = 100 * total.found / total.expected if total.expected else 0.0
    agree = 100 * total.agreed / total.found if total.found else 0.0
    print(f"\n{len(scores)} texts: {total.found}/{total.expected} expected checks found "
          f"({pct:.1f} %), same verdict in {total.agreed} ({agree:.1f} % of those found); "
          f"{total.false_inconsistent} false 'inconsistent'; "
          f"{1000 * total.seconds / max(1, len(scores)):.1f} ms a text, "
          f"{total.seconds:.2f} s in all")
    if args.details:
        for s in scores:
            for d in s.details:
                print(d)
    return 0


if __name__ == "__main__":
    sys.exit(main())
