"""Every public name of the package has a docstring; numbers and formula have examples."""

from __future__ import annotations

import ast
import doctest
import importlib
from pathlib import Path

import pytest
from helpers_sources import parsed_file

from dbanalysis.core import paths

SRC = paths.REPO_ROOT / "src" / "dbanalysis"
#: Modules that are being split into smaller ones; their successors are checked.
BEING_SPLIT = {"plotting.py", "sectorview.py"}


def undocumented(path: Path) -> list[str]:
    """Public module-level functions and classes, and public methods, without a docstring."""
    tree = parsed_file(path)
    out = [] if ast.get_docstring(tree) else [f"{path.name}: module"]
    defs = (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)
    for node in tree.body:
        if not isinstance(node, defs) or node.name.startswith("_"):
            continue
        if not ast.get_docstring(node):
            out.append(f"{path.name}:{node.lineno}: {node.name}")
        if isinstance(node, ast.ClassDef):
            out += [f"{path.name}:{m.lineno}: {node.name}.{m.name}" for m in node.body
                    if isinstance(m, ast.FunctionDef | ast.AsyncFunctionDef)
                    and not m.name.startswith("_") and not ast.get_docstring(m)]
    return out


def test_every_public_name_has_a_docstring() -> None:
    missing = [m for p in sorted(SRC.rglob("*.py")) if p.name not in BEING_SPLIT
               for m in undocumented(p)]
    assert missing == []


MODULES = {"numbers": "catalogue.numbers", "formula": "catalogue.formula", "ids": "derive.ids",
           "labels": "core.labels", "text": "views.text"}


@pytest.mark.parametrize("module", sorted(MODULES))
def test_doctest_examples_pass(module: str) -> None:
    mod = importlib.import_module(f"dbanalysis.{MODULES[module]}")
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS)
    assert result.attempted > 0, f"{module} has no doctest example"
    assert result.failed == 0
