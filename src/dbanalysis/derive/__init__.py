"""Figures derived from the catalogue: each with its formula, inputs and reading.

May import from core and catalogue.
"""
