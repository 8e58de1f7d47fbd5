"""Audit any Vietnamese report: the arithmetic a careful reader checks, found in the text.

No catalogue is needed: the relations between the numbers that
:func:`dbanalysis.catalogue.extract.find_quantities` finds are recognised in the text (a total and
its parts after "trong đó", "19/21 xã", a level beside "tăng … so với năm 2015", an
average growth rate, "đạt 102,35% kế hoạch", "3 xã (A, B, C)", a headline number over
its counts) and judged with the audit's rules: the printed precision is the tolerance,
and the verdicts are those of ``data/vocab/verdicts.csv``.  Judgement over recall: where
a reading is open (a part list that may be incomplete, years that are not given) the
verdict is ``ambiguous`` and the explanation says why.

May import from core, catalogue, derive and audit (it uses the extractor, the formula
intervals, the vocabularies and the audit's precision rule, :mod:`dbanalysis.audit.context`);
the command line (:mod:`dbanalysis.cli.main`) is its only user in the package.
"""

from __future__ import annotations

from .documents import DocumentError, read_document
from .model import KINDS, Check, finish
from .rates import find_baselines, find_growth, find_plans, find_ratios
from .spans import Doc
from .sums import find_list_counts, find_remainders, find_sums

__all__ = ["KINDS", "Check", "DocumentError", "audit_text", "read_document"]

_FINDERS = (find_sums, find_remainders, find_ratios, find_baselines, find_growth, find_plans,
            find_list_counts)


def audit_text(text: str) -> list[Check]:
    """Every check found in ``text``, in the order of the first number each involves."""
    doc = Doc(text)
    findings = [f for finder in _FINDERS for f in finder(doc)]
    checks = [finish(doc, f) for f in findings]
    checks.sort(key=lambda c: (c.spans[0] if c.spans else (0, 0), c.check))
    return checks
