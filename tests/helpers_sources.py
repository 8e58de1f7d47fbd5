"""The package's Python sources, parsed once per test process (tests only).

Six test modules read every module of ``src/`` as a syntax tree (test_layers,
test_docstrings, test_coverage, test_labels, test_printed_token, and test_prose_as_data
through helpers_prose), and each parsed all of it (~0.27 s of CPU); they run in one
worker (tests/conftest.py ``SOURCE_GROUP``) and share one parse of each text. The trees
are only read (walked, never changed), and a text is parsed again only when it differs:
a test that edits a file, or parses a string of its own, gets the tree of what it reads."""

from __future__ import annotations

import ast
import functools
from pathlib import Path


@functools.cache
def parsed(source: str) -> ast.Module:
    """``ast.parse(source)``, shared by every caller with the same text: read it, do not
    change it."""
    return ast.parse(source)


def parsed_file(path: Path) -> ast.Module:
    """The syntax tree of the file at ``path`` as it is now (its text read each time)."""
    return parsed(path.read_text(encoding="utf-8"))


def notebook_say_texts(notebooks: Path) -> list[tuple[str, str, str]]:
    """(where, lang, text) of every ``db.say(en=…, vi=…)`` literal in the notebooks under
    ``notebooks``: the prose a page shows, as typed in its code cells."""
    import json

    out: list[tuple[str, str, str]] = []
    for nb in sorted(notebooks.glob("*.ipynb")):
        for cell in json.loads(nb.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "code":
                continue
            for node in ast.walk(parsed("".join(cell["source"]))):
                if isinstance(node, ast.Call) and getattr(node.func, "attr", "") == "say":
                    out += [(f"{nb.name} say {k.arg}", k.arg, k.value.value)
                            for k in node.keywords
                            if k.arg in ("en", "vi") and isinstance(k.value, ast.Constant)]
    return out
