"""Vietnamese sentences in the package's Python string literals (docstrings excluded).

A *Vietnamese sentence* here is a string literal (an f-string counts with each ``{…}``
as one word) of at least :data:`MIN_WORDS` words, more than a third of them with a
Vietnamese letter (an English sentence that names 'Điện Biên' or quotes 'tăng' is
not one; ``--loose`` counts every literal of four words with a Vietnamese letter). The
package's prose lives in ``data/`` as bilingual templates; this finds what is left in
code (used by ``tests/test_prose_as_data.py``)::

    .venv/bin/python tests/helpers_prose.py      # count and list them
"""

from __future__ import annotations

import ast
import sys
from dataclasses import dataclass
from pathlib import Path

from helpers_sources import parsed

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src"
MIN_WORDS = 4
#: Letters of Vietnamese that English text does not use (lower case).
VI_LETTERS = frozenset(
    "àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵđ")


@dataclass(frozen=True)
class Literal:
    """One Vietnamese sentence in a string literal: where, and its text."""

    path: str  # relative to the repository root
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.text!r}"


def _has_vi(word: str) -> bool:
    return any(c in VI_LETTERS for c in word.lower())


def is_vietnamese_sentence(text: str, loose: bool = False) -> bool:
    """At least :data:`MIN_WORDS` words, more than a third with a Vietnamese letter
    (``loose``: any one of them)."""
    words = text.split()
    if len(words) < MIN_WORDS:
        return False
    vi = sum(map(_has_vi, words))
    return vi > 0 if loose else 3 * vi > len(words)


def _docstrings(tree: ast.AST) -> set[int]:
    """ids of the docstring nodes (module, class and function)."""
    out = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if (body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant)
                    and isinstance(body[0].value.value, str)):
                out.add(id(body[0].value))
    return out


def literals_in(source: str, path: str = "<string>", loose: bool = False) -> list[Literal]:
    """The Vietnamese sentences of one module's string literals, docstrings excluded."""
    tree = parsed(source)
    skip = _docstrings(tree)
    inside_fstring = set()
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr):
            parts = []
            for v in node.values:
                inside_fstring.add(id(v))
                if isinstance(v, ast.Constant) and isinstance(v.value, str):
                    parts.append(v.value)
                else:
                    parts.append(" {} ")
            text = "".join(parts)
        elif (isinstance(node, ast.Constant) and isinstance(node.value, str)
              and id(node) not in skip and id(node) not in inside_fstring):
            text = node.value
        else:
            continue
        if is_vietnamese_sentence(text, loose):
            found.append(Literal(path, node.lineno, " ".join(text.split())))
    return found


def vietnamese_literals(root: Path = SRC, loose: bool = False) -> list[Literal]:
    """Every Vietnamese sentence in the string literals of the Python files under ``root``."""
    out = []
    for file in sorted(root.rglob("*.py")):
        rel = file.relative_to(ROOT).as_posix() if file.is_relative_to(ROOT) else str(file)
        out += literals_in(file.read_text(encoding="utf-8"), rel, loose)
    return out


if __name__ == "__main__":
    args = sys.argv[1:]
    loose = "--loose" in args
    paths = [a for a in args if a != "--loose"]
    found = vietnamese_literals(Path(paths[0]).resolve() if paths else SRC, loose)
    for lit in found:
        print(lit)
    what = "literals of" if loose else "Vietnamese sentences"
    print(f"{len(found)} {what} >= {MIN_WORDS} words" + (" with a Vietnamese letter"
                                                          if loose else "") + " in string literals")
