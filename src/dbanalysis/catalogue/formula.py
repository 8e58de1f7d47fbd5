"""Safe arithmetic formulas over figure ids.

A formula is a Python expression restricted to names (catalogue or derived figure
ids), numeric literals, ``+ - * / **``, unary minus, parentheses and one function,
``round(x, n)``: ``x`` rounded half away from zero to ``n`` decimals (a whole-number
literal), the value a reader sees of a figure shown with ``n`` decimals (the
difference of two numbers as displayed: the poverty note of pages 00 and 04). It is
parsed with :mod:`ast` and evaluated by walking the tree: no ``eval``, no other calls,
no attributes. The same string is both the readable formula and the computation, so
the two cannot drift apart.
"""

from __future__ import annotations

import ast
import functools
import itertools
import math
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
#: Limits on a formula's size: characters, tree nodes and nesting depth.
MAX_CHARS, MAX_NODES, MAX_DEPTH = 4000, 2000, 100
#: Formulas whose checked trees (and names) are kept per process: a formula is a pure
#: function of its text, and the catalogue's few hundred are parsed thousands of times
#: (every derivation, decimal and share asks again).
KEEP_PARSED = 4096


class FormulaError(ValueError):
    """A formula is outside the allowed arithmetic, too large, names an unknown id,
    or has no finite real value (division by zero, overflow, NaN, a complex power)."""


def _shown(formula: str) -> str:
    return repr(formula) if len(formula) <= 120 else repr(formula[:100]) + f" (… {len(formula)} "\
        "characters)"


def _depth(tree: ast.AST) -> int:
    deepest, stack = 0, [(tree, 1)]
    while stack:
        node, d = stack.pop()
        deepest = max(deepest, d)
        stack.extend((child, d + 1) for child in ast.iter_child_nodes(node))
    return deepest


def parse(formula: str) -> ast.Expression:
    """Parse a formula; only numbers, figure ids, + - * / ** and parentheses, within
    :data:`MAX_CHARS` characters, :data:`MAX_NODES` terms and :data:`MAX_DEPTH` levels.

    The tree is parsed once per text and shared by every caller (kept by the text alone,
    all it depends on; an error is raised anew on every call): read it, never modify it.

    >>> parse("level - change").body.op
    <ast.Sub object at ...>
    >>> parse("__import__('os')")
    Traceback (most recent call last):
    ...
    dbanalysis.catalogue.formula.FormulaError: ...
    """
    if not isinstance(formula, str):
        raise FormulaError(f"formula must be text, not {type(formula).__name__}")
    return _parsed(formula)


@functools.lru_cache(maxsize=KEEP_PARSED)
def _parsed(formula: str) -> ast.Expression:
    """:func:`parse` of a text (remembered: a pure function of the string)."""
    if len(formula) > MAX_CHARS:
        raise FormulaError(f"formula {_shown(formula)} is longer than {MAX_CHARS} characters")
    try:
        tree = ast.parse(formula, mode="eval")
    except SyntaxError as exc:
        raise FormulaError(f"cannot parse formula {_shown(formula)}: {exc.msg}") from None
    except (RecursionError, MemoryError, ValueError) as exc:
        raise FormulaError(f"cannot parse formula {_shown(formula)}: "
                           f"{type(exc).__name__}") from None
    nodes = sum(1 for _ in ast.walk(tree))
    if nodes > MAX_NODES or _depth(tree) > MAX_DEPTH:
        raise FormulaError(f"formula {_shown(formula)} is too large (at most {MAX_NODES} terms "
                           f"and {MAX_DEPTH} levels of nesting)")
    for node in ast.walk(tree):
        ok = isinstance(node, ast.Expression | ast.BinOp | ast.UnaryOp | ast.Name | ast.Load)
        ok = ok or (isinstance(node, ast.Call) and _is_round(node))
        ok = ok or type(node) in _BINOPS or type(node) in _UNARY
        ok = ok or (isinstance(node, ast.Constant) and isinstance(node.value, int | float)
                    and not isinstance(node.value, bool))
        if (isinstance(node, ast.Constant) and isinstance(node.value, int | float)
                and not math.isfinite(node.value)):
            raise FormulaError(f"formula {_shown(formula)} has a number out of range")
        if not ok:
            raise FormulaError(f"formula {_shown(formula)} uses {type(node).__name__}; only names, "
                               "numbers, + - * / **, parentheses and round(x, n) are allowed")
    return tree


#: The one function of the formula language (see the module docstring).
ROUND = "round"


def _is_round(node: ast.Call) -> bool:
    """``round(x, n)``: two positional arguments, ``n`` a whole-number literal ≥ 0."""
    return (isinstance(node.func, ast.Name) and node.func.id == ROUND and not node.keywords
            and len(node.args) == 2 and isinstance(node.args[1], ast.Constant)
            and type(node.args[1].value) is int and 0 <= node.args[1].value <= 6)


def rounded(value: float, decimals: int) -> float:
    """``value`` rounded half away from zero to ``decimals`` places (``round(x, n)``), as
    the site shows a number, not Python's round-half-to-even.

    >>> rounded(15.336, 1), rounded(2.445, 2), rounded(-0.25, 1)
    (15.3, 2.45, -0.3)
    """
    from .vocab import round_as_shown  # (the rounding every shown number has)

    return float(round_as_shown(value, decimals))


def names(formula: str) -> list[str]:
    """The ids a formula refers to, in order of first appearance.

    >>> names("(agri_cattle / d_agri_cattle_2015) ** (1 / 4) - 1 + agri_cattle")
    ['agri_cattle', 'd_agri_cattle_2015']
    """
    parse(formula)  # (its errors, a text's type among them, before the cache is asked)
    return list(_names(formula))  # a list of the caller's own


@functools.lru_cache(maxsize=KEEP_PARSED)
def _names(formula: str) -> tuple[str, ...]:
    """:func:`names` of a text (remembered: a pure function of the string)."""
    out: list[str] = []
    tree = parse(formula)
    functions = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and id(node) not in functions and node.id not in out:
            out.append(node.id)
    # ast.walk is breadth-first; sort by position in the text for readability
    return tuple(sorted(out, key=lambda n: _position(formula, n)))


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
    if isinstance(node, ast.Call):  # round(x, n), checked by parse
        return rounded(_eval(node.args[0], env), int(node.args[1].value))  # type: ignore[attr-defined]
    raise FormulaError(f"unsupported node {type(node).__name__}")  # pragma: no cover


def _value(tree: ast.Expression, env: Mapping[str, float], formula: str) -> float:
    """The finite real value of a parsed formula, or :class:`FormulaError` naming it."""
    try:
        result = _eval(tree, env)
    except FormulaError as exc:
        raise FormulaError(f"formula {_shown(formula)}: {exc}") from None
    except (ArithmeticError, ValueError, TypeError, RecursionError, MemoryError) as exc:
        known: dict[type[BaseException], str] = {
            ZeroDivisionError: "division by zero", OverflowError: "a result out of range"}
        what = known.get(type(exc), f"{type(exc).__name__}: {exc}")
        raise FormulaError(f"formula {_shown(formula)} cannot be evaluated: {what}") from None
    if isinstance(result, complex) or not math.isfinite(result):
        raise FormulaError(f"formula {_shown(formula)} has no finite real value "
                           f"(gives {result!r})")
    return result


def evaluate(formula: str, env: Mapping[str, float]) -> float:
    """Value of ``formula`` with names looked up in ``env``.

    Raises :class:`FormulaError` naming the formula for disallowed syntax, an
    unknown id, a formula past the size limits, or a result that is not a finite
    real number (``1 / 0``, ``10 ** 10 ** 10``, ``(0 - 1) ** 0.5``, ``1e308 * 10``).

    >>> evaluate("level - change", {"level": 46101, "change": 6101})
    40000.0
    >>> evaluate("a / b * 100", {"a": 1})
    Traceback (most recent call last):
    ...
    dbanalysis.catalogue.formula.FormulaError: formula 'a / b * 100': unknown figure id 'b'
    """
    return _value(parse(formula), env, formula)


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
    centre = _value(tree, env, formula)
    if len(uncertain) <= MAX_CORNER_INPUTS:
        vals = []
        for signs in itertools.product((-1.0, 1.0), repeat=len(uncertain)):
            e = dict(env)
            for n, s in zip(uncertain, signs, strict=True):
                e[n] = env[n] + s * half_units[n]
            vals.append(_value(tree, e, formula))
        vals.append(centre)
        return min(vals), max(vals)
    spread = 0.0
    for n in uncertain:
        e = dict(env)
        e[n] = env[n] + half_units[n]
        spread += abs(_value(tree, e, formula) - centre)
    return centre - spread, centre + spread
