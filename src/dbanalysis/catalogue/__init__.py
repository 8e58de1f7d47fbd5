"""The report and its figures: the raw source, Vietnamese number notation, units, the
quantity extractor, the figure catalogue, declared corrections, coverage proof,
vocabularies, reference knowledge, formulas and the data dictionary.

May import from :mod:`dbanalysis.core` only.
"""
