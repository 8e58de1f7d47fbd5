"""Safe arithmetic formulas over figure ids.

A formula is a Python expression restricted to names (catalogue or derived figure
ids), numeric literals, ``+ - * / **``, unary minus and parentheses. It is parsed
with :mod:`ast` and evaluated by walking the tree: no ``eval``, no calls, no
attributes. The same string is both the readable formula and the computation, so
the two cannot drift apart.
"""

from __future__ import annotations

import ast
import itertools
import operator
import re
from collections.abc import Callable, Mapping

_BINOPS: dict[type[ast.AST], Callable[[float, float], float]] = {
    ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
    ast.Div: operator.truediv, ast.Pow: operator.pow}
_UNARY: dict[type[ast.AST], Callable[[float], float]] = {
    ast.USub: operator.neg, ast.UAdd: operator.pos}
#: Above this many uncertain inputs, intervals use a first-order approximation
#: instead of evaluating every corner of the box.
MAX_CORNER_INPUTS = 10


class FormulaError(ValueError):
    """A formula uses syntax outside the allowed arithmetic, or an unknown name."""


def parse(formula: str) -> ast.Expression:
    """Parse a formula; only numbers, figure ids, + - * / ** and parentheses.

    >>> parse("level - change").body.op
    <ast.Sub object at ...>
    >>> parse("__import__('os')")
    Traceback (most recent call last):
    ...
    dbanalysis.formula.FormulaError: ...
    """
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"cannot parse formula {formula!r}: {exc.msg}") from None
    for node in ast.walk(tree):
        ok = isinstance(node, ast.Expression | ast.BinOp | ast.UnaryOp | ast.Name | ast.Load)
        ok = ok or type(node) in _BINOPS or type(node) in _UNARY
        ok = ok or (isinstance(node, ast.Constant) and isinstance(node.value, int | float)
                    and not isinstance(node.value, bool))
        if not ok:
            raise FormulaError(f"formula {formula!r} uses {type(node).__name__}; only names, "
                               "numbers, + - * / ** and parentheses are allowed")
    return tree


def names(formula: str) -> list[str]:
    """The ids a formula refers to, in order of first appearance.

    >>> names("(agri_cattle / d_agri_cattle_2015) ** (1 / 4) - 1 + agri_cattle")
    ['agri_cattle', 'd_agri_cattle_2015']
    """
    out: list[str] = []
    for node in ast.walk(parse(formula)):
        if isinstance(node, ast.Name) and node.id not in out:
            out.append(node.id)
    # ast.walk is breadth-first; sort by position in the text for readability
    return sorted(out, key=lambda n: _position(formula, n))


def _position(formula: str, name: str) -> int:
    m = re.search(rf"\b{re.escape(name)}\b", formula)
    return m.start() if m else len(formula)


def _eval(node: ast.AST, env: Mapping[str, float]) -> float:
    if isinstance(node, ast.Expression):
        return _eval(node.body, env)
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    if isinstance(node, ast.Name):
        if node.id not in env:
            raise FormulaError(f"unknown figure id {node.id!r}")
        return float(env[node.id])
    if isinstance(node, ast.BinOp):
        return _BINOPS[type(node.op)](_eval(node.left, env), _eval(node.right, env))
    if isinstance(node, ast.UnaryOp):
        return _UNARY[type(node.op)](_eval(node.operand, env))
    raise FormulaError(f"unsupported node {type(node).__name__}")  # pragma: no cover


def evaluate(formula: str, env: Mapping[str, float]) -> float:
    """Value of ``formula`` with names looked up in ``env``.

    >>> evaluate("level - change", {"level": 46101, "change": 6101})
    40000.0
    >>> evaluate("a / b * 100", {"a": 1})
    Traceback (most recent call last):
    ...
    dbanalysis.formula.FormulaError: unknown figure id 'b'
    """
    return _eval(parse(formula), env)


def interval(formula: str, env: Mapping[str, float],
             half_units: Mapping[str, float]) -> tuple[float, float]:
    """Range of ``formula`` when each input may lie anywhere within ± its half unit.

    Every corner of the box is evaluated (exact for the monotone formulas used
    here); with many uncertain inputs a first-order bound is used instead.

    A share printed as ``95,2`` % of an exact count of 100 lies within ±0.05:

    >>> lo, hi = interval("share / 100 * n", {"share": 95.2, "n": 100}, {"share": 0.05})
    >>> round(lo, 2), round(hi, 2)
    (95.15, 95.25)
    """
    tree = parse(formula)
    uncertain = [n for n in names(formula) if half_units.get(n, 0.0) > 0]
    centre = _eval(tree, env)
    if len(uncertain) <= MAX_CORNER_INPUTS:
        vals = []
        for signs in itertools.product((-1.0, 1.0), repeat=len(uncertain)):
            e = dict(env)
            for n, s in zip(uncertain, signs, strict=True):
                e[n] = env[n] + s * half_units[n]
            vals.append(_eval(tree, e))
        vals.append(centre)
        return min(vals), max(vals)
    spread = 0.0
    for n in uncertain:
        e = dict(env)
        e[n] = env[n] + half_units[n]
        spread += abs(_eval(tree, e) - centre)
    return centre - spread, centre + spread
