"""Imports follow the layers declared once, as import-linter contracts in pyproject.toml.

``make test`` runs ``lint-imports`` on the package; these tests show that the contracts
can fail (a planted wrong-way import in a copy of the package is reported, and is all
that the copy breaks) and that no import escapes them (dynamic imports, import guards,
top-level modules).
"""

from __future__ import annotations

import ast
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from helpers_sources import parsed_file

from dbanalysis.core import paths

PACKAGE = "dbanalysis"
SRC = paths.REPO_ROOT / "src" / PACKAGE
PYPROJECT = paths.REPO_ROOT / "pyproject.toml"
LINT = Path(sys.executable).parent / "lint-imports"


def contracts() -> list[dict]:
    return tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"][
        "contracts"]


def package_files() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def lint_copy(tmp_path: Path, plant: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on a copy of the package with ``plant`` (file -> lines) appended."""
    shutil.copytree(SRC, tmp_path / "src" / PACKAGE,
                    ignore=shutil.ignore_patterns("__pycache__", "templates", "*.mplstyle"))
    shutil.copy(PYPROJECT, tmp_path / "pyproject.toml")
    for rel, lines in plant.items():
        with (tmp_path / "src" / PACKAGE / rel).open("a", encoding="utf-8") as f:
            f.write("\n\n" + lines + "\n")
    env = {"PYTHONPATH": str(tmp_path / "src"), "PATH": "/usr/bin:/bin",
           "HOME": str(tmp_path), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.run([str(LINT), "--no-cache"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=60)


def broken_imports(out: subprocess.CompletedProcess[str]) -> set[str]:
    """The imports lint-imports lists under the contracts they break."""
    return {line.strip(" -").split(" (l.")[0] for line in out.stdout.splitlines()
            if line.startswith("- ") and " -> " in line}


@pytest.mark.slow  # a subprocess or a kernel: not in make test-quick
def test_a_library_module_importing_the_notebook_facade_breaks_a_contract(
        tmp_path: Path) -> None:
    out = lint_copy(tmp_path, {"views/glance.py": "from ..notebook import sectorview"})
    assert out.returncode == 1
    assert "No library module imports the notebook facade BROKEN" in out.stdout
    # (and the layers: views sits below notebook); the copy breaks nothing else
    assert f"{len(contracts()) - 2} kept, 2 broken" in out.stdout, out.stdout + out.stderr
    assert broken_imports(out) == {"dbanalysis.views.glance -> dbanalysis.notebook.sectorview"}


@pytest.mark.slow  # a subprocess or a kernel: not in make test-quick
def test_an_upward_import_breaks_the_layers(tmp_path: Path) -> None:
    out = lint_copy(tmp_path, {"catalogue/numbers.py":
                               "def f():\n    from ..views import text\n    return text"})
    assert out.returncode == 1
    assert f"{len(contracts()) - 1} kept, 1 broken" in out.stdout, out.stdout + out.stderr
    assert broken_imports(out) == {"dbanalysis.catalogue.numbers -> dbanalysis.views.text"}


def test_every_subpackage_is_in_the_layers() -> None:
    layered = {name.strip() for c in contracts() if c["type"] == "layers"
               for layer in c["layers"] for name in layer.split("|")}
    subpackages = {f"{PACKAGE}.{p.parent.name}" for p in SRC.glob("*/__init__.py")}
    assert subpackages == layered


def test_the_top_level_holds_only_the_public_api() -> None:
    """Every module lives in a subpackage: the top holds ``__init__`` (the public API)
    and private helpers only."""
    top = sorted(p.name for p in SRC.glob("*.py")
                 if p.name != "__init__.py" and not p.name.startswith("_"))
    assert top == []


@pytest.mark.parametrize("path", [p for p in SRC.glob("*/__init__.py")],
                         ids=lambda p: p.parent.name)
def test_every_subpackage_says_what_it_holds_and_may_import(path: Path) -> None:
    doc = ast.get_docstring(parsed_file(path)) or ""
    assert "may import" in doc.lower() and len(doc.split()) >= 12, f"{path}: {doc!r}"


def test_no_dynamic_imports_or_import_guards() -> None:
    problems = []
    for path in package_files():
        tree = parsed_file(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.Attribute) and node.attr == "import_module":
                problems.append(f"{path.name}:{node.lineno}: importlib.import_module")
            if isinstance(node, ast.Name) and node.id == "__import__":
                problems.append(f"{path.name}:{node.lineno}: __import__")
            if isinstance(node, ast.ExceptHandler) and isinstance(node.type, ast.Name) \
                    and node.type.id in ("ImportError", "ModuleNotFoundError"):
                problems.append(f"{path.name}:{node.lineno}: except {node.type.id}")
    assert problems == []
