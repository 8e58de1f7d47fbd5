"""The ``dbanalysis`` command: ``build``, ``export`` and ``check``."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence

from dbanalysis import __version__
from dbanalysis.language import LANGS


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


def cmd_build(args: argparse.Namespace) -> int:
    """``dbanalysis build``: execute the notebooks and write the site."""
    from dbanalysis.site import BuildError, build_site

    try:
        build_site(out=args.out, notebooks=args.notebooks, jobs=args.jobs,
                   with_input=args.with_input, execute=args.execute,
                   langs=LANGS if args.lang == "all" else (args.lang,))
    except BuildError as exc:
        _error("build", f"{exc} (site not written; {args.out} unchanged)")
        return 1
    except KeyboardInterrupt:
        _error("build", f"interrupted ({args.out} unchanged)")
        return 130
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    """``dbanalysis export``: write the data package."""
    from dbanalysis.export import ExportError, export

    try:
        path = export(args.out)
    except ExportError as exc:
        _error("export", f"{exc} ({args.out} unchanged)")
        return 1
    print(f"data package written to {path}", file=sys.stderr)
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    """``dbanalysis check``: print the arithmetic audit."""
    from dbanalysis.checkcmd import run

    return int(run(args))


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
            "Python), export them to self-contained HTML pages and write an index. "
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
        description="Print the arithmetic audit of the report's figures.",
    )
    check.set_defaults(func=cmd_check)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``dbanalysis`` command; returns the exit status."""
    parser = make_parser()
    args = parser.parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
