"""``dbanalysis check``: print the arithmetic audit of the report.

Exit status 0 when the catalogue is valid (findings, even inconsistent ones, are
data, not errors); 2 with a message naming the file when the catalogue, the
corrections file or the raw report is invalid.
"""

from __future__ import annotations

import argparse
import sys
import textwrap

from .audit import VERDICTS, run_audit, summary_line
from .catalog import CatalogError
from .source import SourceIntegrityError

WRAP = 72


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``--sector`` and ``--verdict`` filters to ``parser``."""
    parser.add_argument("--sector", help="only checks of this sector (e.g. agriculture)")
    parser.add_argument("--verdict", choices=VERDICTS, help="only checks with this verdict")
    return parser


def format_table(audit) -> str:
    """The audit as a plain-text table: id, verdict, wrapped explanation."""
    lines = []
    id_w = max([len("check_id"), *(len(c) for c in audit["check_id"])])
    v_w = max(len(v) for v in VERDICTS)
    lines.append(f"{'check_id':<{id_w}}  {'verdict':<{v_w}}  explanation")
    lines.append(f"{'-' * id_w}  {'-' * v_w}  {'-' * WRAP}")
    for r in audit.itertuples():
        wrapped = textwrap.wrap(r.explanation, WRAP) or [""]
        lines.append(f"{r.check_id:<{id_w}}  {r.verdict:<{v_w}}  {wrapped[0]}")
        lines += [f"{'':<{id_w}}  {'':<{v_w}}  {w}" for w in wrapped[1:]]
    return "\n".join(lines)


def run(args: argparse.Namespace | None = None) -> int:
    """Print the (filtered) audit and its summary line; the exit status."""
    sector = getattr(args, "sector", None)
    verdict = getattr(args, "verdict", None)
    try:
        audit = run_audit()
    except (CatalogError, SourceIntegrityError) as exc:
        print(f"dbanalysis check: invalid input data:\n{exc}", file=sys.stderr)
        return 2
    shown = audit
    if sector:
        shown = shown[shown["sector"] == sector]
    if verdict:
        shown = shown[shown["verdict"] == verdict]
    print(format_table(shown))
    print()
    if len(shown) != len(audit):
        print(f"shown: {summary_line(shown)}")
    print(summary_line(audit))
    return 0


def main(argv: list[str] | None = None) -> int:
    """``dbanalysis check`` as a stand-alone command."""
    parser = add_arguments(argparse.ArgumentParser(
        prog="dbanalysis check", description="Arithmetic audit of the report's figures."))
    return run(parser.parse_args(argv))


if __name__ == "__main__":
    raise SystemExit(main())
