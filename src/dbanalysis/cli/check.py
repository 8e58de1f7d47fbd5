"""``dbanalysis check``: validate every input file and print the arithmetic audit.

Exit status 0 when the input data are valid (findings, even inconsistent ones, are
data, not errors); 2 with a message naming the file, line, id and problem of every
bad row when an input file (catalogue, corrections, exclusions, vocabularies,
data dictionary, metadata sidecar) or the raw report is invalid, or when an
option names an unknown sector.
"""

from __future__ import annotations

import argparse
import sys
import textwrap

from ..catalogue import vocab
from ..catalogue.figures import load_figures
from ..catalogue.source import SourceIntegrityError
from ..core import cache, paths
from ..core.cache import one_reading
from ..core.inputs import InputError, Problem

WRAP = 72
#: What a bad input file raises: every problem named, no traceback wanted.
DATA_ERRORS = (InputError, SourceIntegrityError)


def add_arguments(parser: argparse.ArgumentParser) -> argparse.ArgumentParser:
    """Add the ``--sector`` and ``--verdict`` filters to ``parser`` (checked when the
    command runs, against data/vocab/, so that no data is read to parse a command line)."""
    from .main import add_check_arguments

    return add_check_arguments(parser)


@one_reading()
def validate_inputs() -> None:
    """Load every input file once; raise the first file's error listing all its problems.

    A data folder found valid is remembered as the parsed catalogue is
    (:func:`dbanalysis.core.cache.shared`: keyed on the content of every file under
    ``data/`` and of the package), so that ``build`` or ``export`` after ``check``, or a
    second build, does not check the same files again; an invalid one is checked anew.
    """
    cache.shared("validated_inputs", _validate_inputs)


def _validate_inputs() -> bool:
    """:func:`validate_inputs`' work; True when every file is valid (else it raises).

    Each CSV file is checked against its schema (data/schemas/input/), then by what no
    schema can say: quotes found in the report, formulas that evaluate, contexts that
    occur once, the derived figures (each correction and formula evaluated), the
    audit, every label and every headline finding filled in both languages. ``build``
    and ``export`` run this first: what passes it does not fail them on data.
    """
    from ..catalogue import sentences, vocab
    from ..catalogue.corrections import load_corrections
    from ..catalogue.coverage import load_exclusions
    from ..catalogue.source import load_meta, load_report
    from ..core import schema, validation
    from ..derive import compute as derived_compute
    from ..derive import families as derived_families
    from ..derive import specs as derived_specs

    for name in schema.names():
        schema.load(name)
    load_meta()
    text = load_report()
    vocab.units(), vocab.sectors(), vocab.kinds(), vocab.unit_refinements()
    vocab.award_levels(), vocab.audit_categories(), vocab.exclusion_categories()
    load_corrections()  # loads and checks the catalogue first
    load_exclusions(text)
    for name in sentences.names():
        if name == derived_specs.TEXTS:  # with the checks against the declared figures
            derived_compute.fixed_specs()
        else:
            sentences.table(name)
    derived_families.rules(), derived_families.kept_ids()  # data/derived.csv's templates
    for name in schema.names():
        if name.startswith("input/"):
            validation.read(name)
    _validate_uses()
    return True


def _validate_uses() -> None:
    """What the pages and the export make of the files: derived figures, audit, labels
    and headline findings, as ``build`` computes them (an error here names its file)."""
    from ..audit.run import run_audit
    from ..catalogue import reference, vocab
    from ..core import labels
    from ..core.language import LANGS
    from ..derive.lookup import derived_frame
    from ..render import headlines
    from ..views import glance, translations

    vocab.qualifiers(), vocab.levels(), vocab.statuses(), vocab.verdicts(), vocab.glossary()
    labels.table()
    reference.table()
    if not paths.is_reference_report():
        return  # a folder drafted for another report: no derivations, audit or findings
    derived_frame()
    translations.check_notes()
    run_audit()
    glance.other_readings()  # (its rows name derived figures and audit checks)
    headlines.read_rows()
    for finding in headlines.headline_findings():
        for lang in LANGS:
            try:
                finding.html(lang)
            except (KeyError, ValueError, IndexError) as exc:
                raise headlines.FindingsError(headlines.findings_path(), [Problem(
                    0, finding.finding_id, f"template_{lang} cannot be filled: "
                    f"{type(exc).__name__}: {exc}")]) from None


def format_table(audit) -> str:
    """The audit as a plain-text table: id, verdict, wrapped explanation."""
    lines = []
    id_w = max([len("check_id"), *(len(c) for c in audit["check_id"])])
    v_w = max(len(v) for v in vocab.verdict_ids())
    lines.append(f"{'check_id':<{id_w}}  {'verdict':<{v_w}}  explanation")
    lines.append(f"{'-' * id_w}  {'-' * v_w}  {'-' * WRAP}")
    for r in audit.itertuples():
        wrapped = textwrap.wrap(r.explanation, WRAP) or [""]
        lines.append(f"{r.check_id:<{id_w}}  {r.verdict:<{v_w}}  {wrapped[0]}")
        lines += [f"{'':<{id_w}}  {'':<{v_w}}  {w}" for w in wrapped[1:]]
    return "\n".join(lines)


@one_reading()
def run(args: argparse.Namespace | None = None) -> int:
    """Print the (filtered) audit and its summary line; the exit status."""
    sector = getattr(args, "sector", None)
    verdict = getattr(args, "verdict", None)
    try:
        validate_inputs()
        if not paths.is_reference_report():
            # a data folder drafted for another report (dbanalysis draft): the audit's
            # hand-written checks name the Điện Biên report's figures and apply to it alone
            n = len(load_figures())
            print(f"input data valid: {n} figures of {paths.raw_report_path().name}, every "
                  "quote found once, units and qualifiers as the quotes read. The audit's "
                  "hand-written checks are those of the Điện Biên report; for this text run "
                  f"'dbanalysis audit-text {paths.raw_report_path()}'.")
            return 0
        from ..audit.run import run_audit, summary_line

        audit = run_audit()
    except DATA_ERRORS as exc:
        print(f"dbanalysis check: invalid input data:\n{exc}", file=sys.stderr)
        return 2
    from ..catalogue import vocab

    for option, value, known in (("sector", sector, list(vocab.sectors().index)),
                                 ("verdict", verdict, vocab.verdict_ids())):
        if value and value not in known:
            print(f"dbanalysis check: error: unknown {option} {value!r} "
                  f"(known: {', '.join(known)})", file=sys.stderr)
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
