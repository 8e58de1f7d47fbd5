"""Figures derived from the catalogue: each with its formula, inputs and reading; and the
one display rule (:mod:`dbanalysis.derive.precision`) that rounds a catalogued or derived
figure for every page and for the audit.

May import from core and catalogue.
"""
