"""Foundations every layer uses: the two languages, where data lives, content caches, the
input-file error contract, table schemas, UI labels, escaping at the output boundary,
the output folders a command owns and the interrupts that stop it.

May import nothing else from dbanalysis.
"""
