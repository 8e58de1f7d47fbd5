"""What the pages say, as data: statuses, changes, shares, sector figures, the glance,
awards, numbers as text and their display precision.

May import from core, catalogue, derive and audit.
"""
