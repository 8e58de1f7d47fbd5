"""Imports follow the layers stated once in README.md (section "Layers")."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from dbanalysis import paths

PACKAGE = "dbanalysis"
SRC = paths.REPO_ROOT / "src" / PACKAGE
README = paths.REPO_ROOT / "README.md"


def readme_layers(text: str) -> dict[str, int]:
    """Module -> layer number, from the first ``text`` block after '### Layers'."""
    m = re.search(r"^### Layers\n.*?^```text\n(.*?)^```", text, re.DOTALL | re.MULTILINE)
    assert m, f"{README}: no ```text block under '### Layers'"
    layers: dict[str, int] = {}
    for n, line in enumerate(m.group(1).strip().splitlines()):
        for name in (x.strip() for x in line.split(",")):
            assert name not in layers, f"{README}: {name} is listed twice"
            layers[name] = n
    return layers


def unit_of(path: Path) -> str:
    """The layer unit of a file: its module, or its top-level subpackage."""
    rel = path.relative_to(SRC).with_suffix("")
    return rel.parts[0]


def imported_units(tree: ast.AST, path: Path) -> list[tuple[int, str]]:
    """(line, unit) of every import of a package module in ``tree`` (functions too)."""
    pkg_parts = [PACKAGE, *path.relative_to(SRC).parent.parts]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = pkg_parts[: len(pkg_parts) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            targets = [module] + [f"{module}.{a.name}" for a in node.names]
        else:
            continue
        units = {t.split(".")[1] for t in targets
                 if t.split(".")[0] == PACKAGE and "." in t}
        found += [(node.lineno, u) for u in sorted(units)]
    return found


def placement_problems(layers: dict[str, int], files: list[Path]) -> list[str]:
    """Modules the layers do not place, and names the layers list that do not exist."""
    units = {unit_of(p) for p in files} - {"__init__"}
    out = [f"{README}: {u} is not placed in the layers" for u in sorted(units - set(layers))]
    out += [f"{README}: {u} is listed but does not exist" for u in sorted(set(layers) - units)]
    return out


def import_problems(layers: dict[str, int], path: Path, text: str) -> list[str]:
    """Every import in ``text`` (the source of ``path``) against the layers."""
    me = unit_of(path)
    out = []
    for line, dep in imported_units(ast.parse(text, str(path)), path):
        if dep not in layers or dep == me or me not in layers:
            continue  # the package itself (``from dbanalysis import __version__``)
        if layers[dep] >= layers[me]:
            out.append(f"{path.relative_to(paths.REPO_ROOT)}:{line}: {me} imports {dep}, "
                       "which is not on a line above it in README.md's layers")
    return out


def package_files() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_every_module_is_placed_in_the_readme_layers() -> None:
    layers = readme_layers(README.read_text(encoding="utf-8"))
    assert placement_problems(layers, package_files()) == []


def test_imports_follow_the_readme_layers() -> None:
    layers = readme_layers(README.read_text(encoding="utf-8"))
    problems = [p for f in package_files()
                for p in import_problems(layers, f, f.read_text(encoding="utf-8"))]
    assert problems == []


def test_an_upward_import_is_reported() -> None:
    layers = readme_layers(README.read_text(encoding="utf-8"))
    path = SRC / "numbers.py"
    text = path.read_text(encoding="utf-8") + "\n\ndef f():\n    from .catalog import figure\n"
    assert import_problems(layers, path, path.read_text(encoding="utf-8")) == []
    problems = import_problems(layers, path, text)
    assert len(problems) == 1 and "numbers imports catalog" in problems[0]
    absolute = "import dbanalysis.derive\n"
    assert "numbers imports derive" in import_problems(layers, path, absolute)[0]


def test_no_dynamic_imports_or_import_guards() -> None:
    problems = []
    for path in package_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "import_module":
                problems.append(f"{path.name}:{node.lineno}: importlib.import_module")
            if isinstance(node, ast.Name) and node.id == "__import__":
                problems.append(f"{path.name}:{node.lineno}: __import__")
            if isinstance(node, ast.ExceptHandler) and isinstance(node.type, ast.Name) \
                    and node.type.id in ("ImportError", "ModuleNotFoundError"):
                problems.append(f"{path.name}:{node.lineno}: except {node.type.id}")
    assert problems == []


@pytest.mark.parametrize("line", ["numbers, catalog", "catalog\nnumbers"])
def test_layer_order_is_read_from_the_block(line: str) -> None:
    layers = readme_layers(f"### Layers\n\n```text\n{line}\n```\n")
    assert set(layers) == {"numbers", "catalog"}
