"""Find arithmetic on figure values in notebook code cells.

Definition. A *figure value* is anything obtained from a call that returns catalogued or
derived values (:data:`VALUE_SOURCES`, by function or method name, e.g.
``db.figure(...)``, ``db.derived_value(...)``, ``sv.implied_targets(...)``), and anything
taken from one (subscript, attribute, method call such as ``.iloc[0]``, ``.set_index``),
including names assigned from it, in that cell or an earlier cell of the notebook. A cell
does *arithmetic on figure values* when one of these has a figure value as an operand:

- a binary arithmetic operator (``+ - * / // % **``) or an augmented assignment;
- a numeric builtin: ``round``, ``abs``, ``sum``, ``min``, ``max``, ``pow``, ``divmod``;
- a numeric method: ``.sum()``, ``.mean()``, ``.diff()``, ``.pct_change()`` and the like.

Comparisons and ``len`` are not arithmetic (counting rows is not computing a figure).
Functions defined in a cell are checked like the rest of it.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass

#: Calls (function or method name) that return catalogued or derived values.
VALUE_SOURCES = frozenset({
    "figure", "load_figures", "apply_corrections", "derived_figures", "derived_value",
    "derived_row", "derived_table", "derived_values", "implied_targets",
    "implied_population", "change_readings", "relative_change_points", "growth_paths",
    "slope_data", "pairs", "pairs_of", "composition", "parts_of_total", "award_table",
    "award_totals", "run_audit", "environment",
    # the public API's names for frames of values (dbanalysis.__all__)
    "derived_frame", "figure_frame", "reference_value", "changes_since_2015",
    "plan_achievements",
})
NUMERIC_BUILTINS = frozenset({"round", "abs", "sum", "min", "max", "pow", "divmod"})
NUMERIC_METHODS = frozenset({"sum", "mean", "median", "diff", "pct_change", "cumsum", "prod",
                             "add", "sub", "mul", "div", "truediv", "pow", "round", "abs",
                             "cumprod", "std", "var"})
ARITH_OPS = (ast.Add, ast.Sub, ast.Mult, ast.Div, ast.FloorDiv, ast.Mod, ast.Pow)


@dataclass(frozen=True)
class Finding:
    cell: int
    line: int
    code: str

    def __str__(self) -> str:
        return f"cell [{self.cell}] line {self.line}: {self.code}"


def _call_name(node: ast.Call) -> str | None:
    f = node.func
    return f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else None


class _Scanner:
    def __init__(self) -> None:
        self.tainted: set[str] = set()

    def is_value(self, node: ast.AST) -> bool:
        """Whether ``node`` evaluates to (something taken from) a figure value."""
        if isinstance(node, ast.Name):
            return node.id in self.tainted
        if isinstance(node, ast.Call):
            if _call_name(node) in VALUE_SOURCES:
                return True
            if isinstance(node.func, ast.Attribute):  # a method of a value: .iloc, .set_index
                return self.is_value(node.func.value)
            if _call_name(node) in ("float", "int"):
                return any(self.is_value(a) for a in node.args)
            return False
        if isinstance(node, ast.Subscript | ast.Attribute):
            return self.is_value(node.value)
        if isinstance(node, ast.BinOp):
            return self.is_value(node.left) or self.is_value(node.right)
        if isinstance(node, ast.UnaryOp):
            return self.is_value(node.operand)
        return False

    def _bind(self, target: ast.AST, tainted: bool) -> None:
        for name in ast.walk(target):
            if isinstance(name, ast.Name):
                (self.tainted.add if tainted else self.tainted.discard)(name.id)

    def scan(self, tree: ast.AST) -> list[ast.AST]:
        hits: list[ast.AST] = []
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign):
                for t in node.targets:
                    self._bind(t, self.is_value(node.value))
            elif isinstance(node, ast.AnnAssign | ast.NamedExpr) and node.value is not None:
                self._bind(node.target, self.is_value(node.value))
        for node in ast.walk(tree):
            if isinstance(node, ast.BinOp) and isinstance(node.op, ARITH_OPS) \
                    and (self.is_value(node.left) or self.is_value(node.right)):
                hits.append(node)
            elif isinstance(node, ast.AugAssign) and isinstance(node.op, ARITH_OPS) \
                    and (self.is_value(node.target) or self.is_value(node.value)):
                hits.append(node)
            elif isinstance(node, ast.Call):
                name = _call_name(node)
                if isinstance(node.func, ast.Name) and name in NUMERIC_BUILTINS \
                        and any(self.is_value(a) for a in node.args):
                    hits.append(node)
                elif isinstance(node.func, ast.Attribute) and name in NUMERIC_METHODS \
                        and self.is_value(node.func.value):
                    hits.append(node)
        return hits


def arithmetic_in_sources(sources: list[str]) -> list[Finding]:
    """Findings in a notebook's code cells, given as a list of sources (cell order)."""
    scanner = _Scanner()
    found: list[Finding] = []
    for i, src in enumerate(sources):
        if src is None:
            continue
        lines = [ln for ln in src.splitlines() if not ln.lstrip().startswith(("%", "!"))]
        tree = ast.parse("\n".join(lines))
        for node in scanner.scan(tree):
            found.append(Finding(i, node.lineno, ast.get_source_segment("\n".join(lines), node)
                                 or ast.unparse(node)))
    return sorted(set(found), key=lambda f: (f.cell, f.line, f.code))


def arithmetic_in_notebook(nb) -> list[Finding]:
    """Findings in a notebook (nbformat node); cell numbers are indices among all cells."""
    sources = [c.source if c.cell_type == "code" else None for c in nb.cells]
    return arithmetic_in_sources(sources)
