"""Tables and prose for people: figures, derived figures and audit checks as rendered
tables, the audit as reader prose, the headline findings.

May import from views and everything below it.
"""
