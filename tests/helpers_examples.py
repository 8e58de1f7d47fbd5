"""How many examples a hypothesis test tries (:func:`examples`).

``make test`` runs every test at the count it declares. ``make test-quick`` (the edit
loop) sets ``DBANALYSIS_QUICK_EXAMPLES=1``: each property test then tries a fifth of
its count (at least 20), the same properties on fewer generated inputs.
"""

import os

#: The share of its declared examples a property test tries under ``make test-quick``.
QUICK_SHARE = 5


def examples(declared: int) -> int:
    """``declared``, or a fifth of it (at least 20) under ``make test-quick``."""
    if os.environ.get("DBANALYSIS_QUICK_EXAMPLES") == "1":
        return max(20, declared // QUICK_SHARE)
    return declared
