"""The ``dbanalysis`` command: ``build``, ``export``, ``check``, ``audit-text`` and ``draft``."""

from __future__ import annotations

import argparse
import os
import signal
import sys
from collections.abc import Sequence

from dbanalysis.core.atomic import interruptible
from dbanalysis.core.language import LANGS
from dbanalysis.core.version import __version__

# Nothing here reads data/ before a command runs: ``dbanalysis --help`` works whatever
# the data files hold, and a bad file is reported by the command (exit 2), never as a
# traceback of an import. The commands import what they need when they run.


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not an integer: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {value}")
    return value


def _error(command: str, message: str) -> None:
    print(f"dbanalysis {command}: error: {message}", file=sys.stderr)


def _interrupted(command: str, exc: KeyboardInterrupt, out: str | None) -> int:
    from dbanalysis.core.atomic import put_in_place

    signum = getattr(exc, "signum", signal.SIGINT)
    name = signal.Signals(signum).name
    if out is None:  # check, or a command stopped while it loaded
        _error(command, f"interrupted by {name}; nothing written")
    elif put_in_place(out):  # (also when the signal came after the swap, before "written")
        _error(command, f"interrupted by {name} after the new output was in place in {out!r}")
    else:
        _error(command, f"interrupted by {name}; nothing written, the previous {out!r} is "
               "kept")
    return 128 + signum


def _invalid_data(command: str) -> int | None:
    """Exit status 2 with every problem when an input file is bad; None when all are valid."""
    from dbanalysis.cli import check as checkcmd

    try:
        checkcmd.validate_inputs()
    except checkcmd.DATA_ERRORS as exc:
        _error(command, f"invalid input data (nothing written):\n{exc}")
        return 2
    return None


def cmd_build(args: argparse.Namespace) -> int:
    """``dbanalysis build``: execute the notebooks and write the site."""
    from dbanalysis.site.build import BuildError, build_site

    try:
        bad = _invalid_data("build")
        if bad is not None:
            return bad
        build_site(out=args.out, notebooks=args.notebooks, jobs=args.jobs,
                   with_input=args.with_input, execute=args.execute,
                   langs=LANGS if args.lang == "all" else (args.lang,))
    except BuildError as exc:
        unchanged = "nothing written" if exc.status == 2 else f"site not written; {args.out!r} " \
            "unchanged"
        _error("build", f"{exc} ({unchanged})")
        return exc.status
    except KeyboardInterrupt as exc:
        return _interrupted("build", exc, args.out)
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """``dbanalysis export``: write the data package."""
    from dbanalysis.cli.export import ExportError, export

    try:
        bad = _invalid_data("export")
        if bad is not None:
            return bad
        path = export(args.out)
    except ExportError as exc:
        unchanged = "nothing written" if exc.status == 2 else f"{args.out!r} unchanged"
        _error("export", f"{exc} ({unchanged})")
        return exc.status
    except KeyboardInterrupt as exc:
        return _interrupted("export", exc, args.out)
    print(f"data package written to {path}", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """``dbanalysis check``: validate the input files and print the arithmetic audit."""
    from dbanalysis.cli import check as checkcmd

    return int(checkcmd.run(args))


def cmd_audit_text(args: argparse.Namespace) -> int:
    """``dbanalysis audit-text``: the arithmetic checks of any Vietnamese report."""
    from dbanalysis.textaudit.command import run_audit_text

    return run_audit_text(args)


def cmd_draft(args: argparse.Namespace) -> int:
    """``dbanalysis draft``: a data folder with a draft catalogue of a new report."""
    from dbanalysis.textaudit.command import run_draft

    return run_draft(args)


def add_check_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add ``check``'s ``--sector`` and ``--verdict`` filters to ``parser``; their values
    are checked against data/vocab/ when the command runs, not here (see above)."""
    parser.add_argument("--sector", metavar="S",
                        help="only checks of this sector (e.g. agriculture; the sectors "
                             "of data/vocab/sectors.csv)")
    parser.add_argument("--verdict", metavar="V",
                        help="only checks with this verdict (e.g. inconsistent; the "
                             "verdicts of data/vocab/verdicts.csv)")
    return parser


# The arguments of audit-text and draft live here, not in dbanalysis.textaudit, whose
# import loads data/ (see above).

#: Output formats of ``audit-text``.
AUDIT_FORMATS = ("table", "json", "csv", "html")


def add_audit_arguments(parser: argparse.ArgumentParser, positive_int) -> None:
    """The arguments of ``audit-text`` (``positive_int`` parses ``--jobs``)."""
    parser.add_argument("files", nargs="+", metavar="FILE",
                        help="report(s): .txt, .html/.htm (the main text), .docx, text .pdf")
    parser.add_argument("--format", choices=AUDIT_FORMATS, default="table",
                        help="table (default, on stdout), json (a list of checks), csv, or "
                             "html (one page per report; needs --out)")
    parser.add_argument("--out", metavar="DIR",
                        help="write into DIR (audit-text.json/.csv/.txt, or one .html per "
                             "report) instead of stdout")
    parser.add_argument("--jobs", type=positive_int, default=1, metavar="N",
                        help="reports audited at once (default 1)")
    parser.add_argument("--lang", choices=("en", "vi"), default="en",
                        help="language of the table's explanations (default en)")


def add_draft_arguments(parser: argparse.ArgumentParser) -> None:
    """The arguments of ``draft``."""
    parser.add_argument("file", metavar="FILE", help="the report (.txt, .html, .docx, .pdf)")
    parser.add_argument("--out", required=True, metavar="DIR",
                        help="the new data folder (must not exist, or be empty)")


def make_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``dbanalysis`` command and its subcommands."""
    parser = argparse.ArgumentParser(
        prog="dbanalysis",
        description=(
            "Research package for the Điện Biên district 2015-2020 emulation and "
            "commendation report."
        ),
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    build = sub.add_parser(
        "build",
        help="execute the notebooks and build the offline HTML site",
        description=(
            "Execute every notebooks/*.ipynb (in parallel, one kernel each, with this "
            "Python), export them to HTML pages that need no network (stylesheets and "
            "fonts in OUT, charts inside each page) and write an index. "
            "The site is built beside OUT and replaces it only if every notebook "
            "succeeded; the notebooks themselves are not modified."
        ),
    )
    build.add_argument("--out", default="site", metavar="DIR", help="output folder (default: site)")
    build.add_argument(
        "--jobs",
        type=_positive_int,
        default=os.cpu_count() or 1,
        metavar="N",
        help=f"notebooks executed at once (default: CPU count, {os.cpu_count() or 1} here)",
    )
    build.add_argument(
        "--lang",
        choices=[*LANGS, "all"],
        default="en",
        help="edition(s) to build: en (default) in OUT, vi in OUT/vi, all for both",
    )
    build.add_argument(
        "--with-input",
        action="store_true",
        help="researcher's edition: keep each code cell's input, folded under a 'Code' "
        "summary (default: the reader's edition, code hidden)",
    )
    build.add_argument(
        "--notebooks",
        default="notebooks",
        metavar="DIR",
        help="folder of the .ipynb files (default: notebooks)",
    )
    build.add_argument(
        "--execute",
        choices=("auto", "always", "never"),
        default="auto",
        help="auto (default): execute only the notebooks whose inputs (code cells, package, "
             "data/, uv.lock, Python version) changed since their committed outputs were "
             "made; always: execute every notebook; never: export the committed outputs",
    )
    build.set_defaults(func=cmd_build)

    export = sub.add_parser(
        "export",
        help="write the tidy data package (CSV, Parquet, datapackage.json)",
        description=(
            "Write the figure catalogue, the derived figures and the audit as CSV and "
            "Parquet plus a Frictionless datapackage.json, validated before it "
            "replaces OUT."
        ),
    )
    export.add_argument(
        "--out", default="export", metavar="DIR", help="output folder (default: export)"
    )
    export.set_defaults(func=cmd_export)

    check = sub.add_parser(
        "check",
        help="print the arithmetic audit of the report",
        description=(
            "Validate every input file (a bad one exits 2, naming file, line, id and "
            "problem of every bad row) and print the arithmetic audit of the report's figures."
        ),
    )
    add_check_arguments(check)
    check.set_defaults(func=cmd_check)

    audit_text = sub.add_parser(
        "audit-text",
        help="find and check the arithmetic of any Vietnamese report (no catalogue needed)",
        description=(
            "Find the relations a careful reader checks in each report (a total and its "
            "parts, '19/21 xã', a level beside its change, an average growth rate, a result "
            "against its plan, a count and the names it counts, a headline number over its "
            "counts) and judge each with the printed precision as tolerance: consistent, "
            "inconsistent, ambiguous or unverifiable, explained in English and Vietnamese. "
            "An unreadable input exits 2 naming the file and the problem."
        ),
    )
    add_audit_arguments(audit_text, _positive_int)
    audit_text.set_defaults(func=cmd_audit_text)

    draft = sub.add_parser(
        "draft",
        help="write a data folder with a draft figures.csv of a new report",
        description=(
            "Write a new data folder for the report FILE: the text, a metadata sidecar, "
            "the vocabularies and schemas, and a draft figures.csv (one row per quantity: "
            "quote, pick, unit, qualifier, period, a guessed kind, empty labels) to curate; "
            "then 'DBANALYSIS_DATA=DIR dbanalysis check' validates it."
        ),
    )
    add_draft_arguments(draft)
    draft.set_defaults(func=cmd_draft)
    return parser


def _reader_gone() -> int:
    """The reader of the output went away (``dbanalysis check | head -1``): end quietly,
    as a command killed by SIGPIPE does, with no traceback. As the Python documentation
    advises (signal module, "Note on SIGPIPE"), stdout is pointed at the null device so
    that Python's own flush at exit cannot fail again; the status is 1."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (AttributeError, OSError, ValueError):  # a stream with no file descriptor
        sys.stdout = open(os.devnull, "w", encoding="utf-8")
    return 1


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dbanalysis`` command; returns the exit status."""
    parser = make_parser()
    args = parser.parse_args(argv)
    try:
        # (argv None: the command as the shell runs it; see interruptible, whose end may
        # raise an interrupt that Python could not raise where it came)
        with interruptible(command=argv is None):
            if getattr(args, "out", None) is not None:  # a command that writes a folder
                from dbanalysis.core.atomic import forget_put_in_place

                forget_put_in_place()
            status = args.func(args)
            sys.stdout.flush()  # a reader that went away shows here, not at shutdown
        return status
    except BrokenPipeError:
        return _reader_gone()
    except KeyboardInterrupt as exc:  # while the command loaded its modules or data
        out = getattr(args, "out", None)
        return _interrupted(args.command, exc, None if out is None else str(out))
    except Exception as exc:
        # a bad file met where the command did not expect one: the documented message
        from dbanalysis.cli.check import DATA_ERRORS

        if not isinstance(exc, DATA_ERRORS):
            raise
        _error(args.command, f"invalid input data (nothing written):\n{exc}")
        return 2


if __name__ == "__main__":
    sys.exit(main())
