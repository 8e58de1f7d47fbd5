"""The ``audit-text`` and ``draft`` subcommands (wired in :mod:`dbanalysis.cli.main`).

Every input is read first; if any cannot be read, each is named with its problem on
stderr, nothing is written and the exit status is 2 (no traceback).  ``--out DIR`` is
written beside itself and swapped in when complete (:func:`dbanalysis.core.atomic.atomic_dir`:
a folder holding files dbanalysis did not write is refused).
"""

from __future__ import annotations

import argparse
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from ..core.atomic import OutputError, atomic_dir
from . import audit_text
from .documents import DocumentError, read_document
from .draft import DraftError, draft_folder
from .model import Check
from .output import to_csv, to_json, to_table
from .page import render_page

__all__ = ["run_audit_text", "run_draft"]

def _error(command: str, message: str) -> None:
    print(f"dbanalysis {command}: error: {message}", file=sys.stderr)


def _audit_one(text: str) -> list[Check]:
    return audit_text(text)


def _read_all(files: list[str]) -> tuple[list[tuple[Path, str]], list[str]]:
    docs, problems = [], []
    for f in files:
        try:
            docs.append((Path(f), read_document(f)))
        except DocumentError as exc:
            problems.append(str(exc))
    return docs, problems


def _names(paths: list[Path]) -> list[str]:
    """Output names: the file stems, made unique."""
    seen: dict[str, int] = {}
    out = []
    for p in paths:
        n = seen.get(p.stem, 0)
        seen[p.stem] = n + 1
        out.append(p.stem if n == 0 else f"{p.stem}-{n + 1}")
    return out


def run_audit_text(args: argparse.Namespace) -> int:
    """``dbanalysis audit-text``; the exit status."""
    if args.format == "html" and not args.out:
        _error("audit-text", "--format html writes one page per report: give --out DIR")
        return 2
    docs, problems = _read_all(args.files)
    if problems:
        _error("audit-text", "cannot read (nothing written):\n  " + "\n  ".join(problems))
        return 2
    texts = [t for _, t in docs]
    if args.jobs > 1 and len(texts) > 1:
        with ProcessPoolExecutor(max_workers=min(args.jobs, len(texts))) as pool:
            results = list(pool.map(_audit_one, texts))
    else:
        results = [_audit_one(t) for t in texts]
    named = [(str(p), checks) for (p, _), checks in zip(docs, results, strict=True)]
    if args.out is None:
        render = {"json": to_json, "csv": to_csv}.get(args.format)
        sys.stdout.write(render(named) if render else to_table(named, args.lang))
        return 0
    try:
        with atomic_dir(args.out, command="audit-text") as tmp:
            if args.format == "html":
                for name, (p, text), checks in zip(_names([p for p, _ in docs]), docs, results,
                                                   strict=True):
                    (tmp / f"{name}.html").write_text(render_page(p.name, text, checks),
                                                      encoding="utf-8")
            else:
                body = {"json": to_json, "csv": to_csv}.get(args.format)
                ext = {"json": "json", "csv": "csv"}.get(args.format, "txt")
                (tmp / f"audit-text.{ext}").write_text(
                    body(named) if body else to_table(named, args.lang), encoding="utf-8")
    except OutputError as exc:
        _error("audit-text", f"{exc} (nothing written)")
        return 2
    print(f"audit-text: {sum(len(c) for c in results)} checks of {len(docs)} report(s) "
          f"written to {args.out}", file=sys.stderr)
    return 0


def run_draft(args: argparse.Namespace) -> int:
    """``dbanalysis draft``; the exit status."""
    try:
        text = read_document(args.file)
        out = draft_folder(text, Path(args.file), Path(args.out))
    except (DocumentError, DraftError) as exc:
        _error("draft", f"{exc}")
        return 2
    except OSError as exc:
        _error("draft", f"cannot write {args.out}: {exc.strerror or exc} (nothing written)")
        return 2
    print(f"draft data folder written to {out}: curate figures.csv (labels, sector, kind), "
          f"then run: DBANALYSIS_DATA={out} dbanalysis check", file=sys.stderr)
    return 0
