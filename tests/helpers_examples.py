"""How much of an expensive sweep a test runs: ``make test`` all of it, ``make test-quick``
(the edit loop, which sets ``DBANALYSIS_QUICK=1``) a documented part of it (:func:`quick`).

- :func:`examples`: each hypothesis property test tries a fifth of its declared count
  (at least 20) under ``make test-quick``: the same properties on fewer generated inputs.
- The chart sweep (tests/helpers_charts.py :func:`~helpers_charts.chart_variants`): every
  chart in one (language, layout) variant, rotating along the charts, so that each
  language and layout is drawn; ``make test`` draws every chart in all four.
"""

import os

#: The share of its declared examples a property test tries under ``make test-quick``.
QUICK_SHARE = 5


def quick() -> bool:
    """Whether this is ``make test-quick`` (``DBANALYSIS_QUICK=1``)."""
    return os.environ.get("DBANALYSIS_QUICK") == "1"


def examples(declared: int) -> int:
    """``declared``, or a fifth of it (at least 20) under ``make test-quick``."""
    if quick():
        return max(20, declared // QUICK_SHARE)
    return declared
