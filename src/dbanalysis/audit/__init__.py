"""The arithmetic audit: checks over catalogued and derived figures, their verdicts, titles
and explanations.

May import from core, catalogue and derive.
"""
