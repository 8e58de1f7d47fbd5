"""What the pages say, as data: statuses, changes, shares, sector figures, the glance,
awards, numbers as text (their rounding is :mod:`dbanalysis.derive.precision`).

May import from core, catalogue, derive and audit.
"""
