"""How many decimals a number may be shown with: the precision its source supports.

* A **catalogued** figure is shown as the report prints it: the decimals of the
  number in its quote (``26.142,56`` has two, ``42.998`` none).
* A **derived** figure made only by adding and subtracting keeps the most
  decimals among its inputs (a difference of whole counts is a whole count);
  a sum or difference of counts of whole things keeps the place of its least
  precise input: ``1.558.000`` head (known to the thousand) minus ``469.227``
  is ``1.089.000``, not ``1.088.773``.
* A derived figure that multiplies, divides or raises to a power keeps
  :data:`SIGNIFICANT` significant figures: the report's numbers carry three or
  four, so ``118 918,919 people`` is shown as ``119,000``. Counts of whole things
  (the units whose dimension in ``data/vocab/units.csv`` is ``count of …``) are
  never shown with decimals.
* A derived **count** that multiplies or divides is shown to the place its rounding
  range supports (the range of its formula when every printed input varies by half
  its last digit, as the audit computes it): the place of the first significant digit
  of the range's half-width, never below the unit. ``20.769`` families ÷ ``105,49`` %
  is ``19.688,1 ± 0,93``, so the target is shown as ``19.688``: three significant
  figures (``19.700``) would show a number the range rules out. Rates and shares keep
  three significant figures even where the range is narrower: their inputs' rounding
  is not what limits what they mean (``4,5520 %`` would be noise to a reader).
* A **bound** (a figure whose qualifier is declared a ``lower`` or ``upper`` bound in
  ``data/vocab/qualifiers.csv``: ``trên``/over, ``dưới``/under; a derived figure takes
  its spec's qualifier) is rounded toward what it promises: a floor down, a ceiling up,
  so that it never claims more than the data allows. When that moves it off the nearest
  rounding it keeps one more digit: ``trên 4 tỷ`` ÷ 292 houses is over ``13,69`` million
  (``13,7`` would overstate the floor, ``13,6`` throw a digit away). The **ends of a
  range** shown without a qualifier word (a derived spec's ``bound``: the low and high
  readings of one figure) are rounded the same way, the low end down and the high end up,
  so the range shown contains the range computed. **One range, one precision**: its two
  ends (a derived spec's ``range``) are shown to one place, the finer of the places each
  end's rule gives it (so an end that rounding outward would move off its nearest
  rounding keeps one more digit, a count too, to the unit at the finest): the population
  implied by 66 doctors at 5,5 ± 0,05 per 10.000 is 118.918,9 to 121.100,9, shown as
  118.900 to 121.200 (not 119.000 to 121.000, which excludes part of it, nor 118.000 to
  122.000, which throws a digit away); the sport share of 21 communes is 32,49 to 33,57 %,
  not 32,49 to 33,6.
* **Shares of one whole** (derived ``part / whole * 100`` of the same whole) share one
  number of decimals, the fewest any of them gets by the rules above, so that a chart or
  table of them reads as one column: the awards of each conferring level are ``0,2``,
  ``2,3``, ``77,7`` and ``19,8`` % of all, not ``0,15`` and ``2,30`` beside ``77,7``
  (their counts are exact, so neither is more precise than the source; three significant
  figures gave the small shares more decimals). A share never rounds to zero: the group
  keeps the decimals its smallest nonzero member needs.
* A unit may cap the decimals (``decimals_at_most`` in ``units.csv``): percentages and
  percentage points show at most two, the most the report prints for any percentage,
  as the statistics office writes them (``0,62`` điểm phần trăm, not ``0,621``).
"""

from __future__ import annotations

import ast
import functools
import math

from babel.numbers import format_decimal

from ..catalogue import formula as formulas
from ..catalogue import numbers, vocab
from ..catalogue.figures import load_figures, printed_token
from ..catalogue.units import decimals_at_most, is_count
from ..core import cache
from ..core.cache import memo, one_reading
from ..core.language import resolve
from .compute import environment, expand, specs
from .lookup import derived_frame

#: Significant figures kept by a derived figure that multiplies or divides.
SIGNIFICANT = 3

#: Names of reference constants in formulas (exact: they do not limit precision).
REFERENCE_PREFIX = "ref_"

@memo("")
def _printed_decimals() -> dict[str, int]:
    return {f["figure_id"]: numbers.printed_decimals(printed_token(f))
            for f in load_figures().to_dict("records")}


def printed_decimals(figure_id: str) -> int:
    """Decimals of a catalogued figure as the report prints it
    (:func:`dbanalysis.catalogue.numbers.printed_decimals`)."""
    return _printed_decimals()[figure_id]


def _is_constant(node: ast.AST) -> bool:
    return isinstance(node, ast.Constant) and isinstance(node.value, int | float)


def _number(node: ast.AST) -> float:
    if isinstance(node, ast.Constant) and isinstance(node.value, int | float):
        return float(node.value)
    raise ValueError(f"not a numeric constant: {ast.unparse(node)}")


@functools.lru_cache(maxsize=formulas.KEEP_PARSED)
def _scale(formula: str) -> int | None:
    """How many decimal places a formula shifts its inputs by, or None for a true ratio.

    Multiplying or dividing by a literal (``x * 1000000``, ``x / 100``) only rescales:
    ``1,558`` million is ``1,558,000``, as precise as it was printed. Any product,
    quotient or power of two figures is a ratio (None). Remembered per text: a pure
    function of the string (its own parse: the tree is not shared), the result a number.
    """
    shift = 0
    for node in ast.walk(ast.parse(formula, mode="eval")):
        if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mult | ast.Div | ast.Pow):
            if isinstance(node.op, ast.Pow) or not (
                _is_constant(node.right) or (isinstance(node.op, ast.Mult)
                                             and _is_constant(node.left))):
                return None
            const = node.right if _is_constant(node.right) else node.left
            factor = abs(_number(const)) or 1.0
            exponent = math.log10(factor)
            if exponent != round(exponent):
                return None
            shift += -round(exponent) if isinstance(node.op, ast.Mult) else round(exponent)
    return shift


def range_decimals(half_width: float) -> int | None:
    """Decimals that a rounding range of ``half_width`` supports: the place of its first
    significant digit (``0.93`` -> 1, ``7.2`` -> 0, ``1100`` -> -3); None for an exact
    value (no range).

    >>> range_decimals(0.93), range_decimals(7.2), range_decimals(1100.0), range_decimals(0.0)
    (1, 0, -3, None)
    """
    if not half_width > 0 or not math.isfinite(half_width):
        return None
    return -math.floor(math.log10(half_width))


def derived_decimals(value: float, unit: str, formula: str, input_decimals: list[int],
                     half_width: float = 0.0) -> int:
    """Decimals to show for a derived value (negative: round to tens, hundreds, …);
    ``half_width`` is its rounding range (see the module docstring), used for counts."""
    shift = _scale(formula)
    by_range = range_decimals(half_width)
    if shift is None and is_count(unit) and by_range is not None:
        return min(by_range, 0)
    if shift is not None:
        # counts: the least precise count sets the last known digit of the sum
        pick = min if is_count(unit) else max
        decimals = pick(input_decimals, default=0) + shift
    else:
        if value == 0 or not math.isfinite(value):
            decimals = 0
        else:
            decimals = SIGNIFICANT - 1 - math.floor(math.log10(abs(value)))
    if is_count(unit):
        decimals = min(decimals, 0)
    cap = decimals_at_most(unit)
    if cap is not None:
        decimals = min(decimals, cap)  # 0,62 điểm phần trăm, not 0,621
    return decimals


#: How a bound is rounded (``bound`` of data/vocab/qualifiers.csv; declared once in
#: :data:`dbanalysis.catalogue.vocab.BOUND_ROUNDING`); anything else: to the nearest,
#: half away from zero.
_ROUNDING = vocab.BOUND_ROUNDING


def shown(value: float, decimals: int, bound: str = "") -> float | int:
    """``value`` rounded to ``decimals`` half away from zero, as readers round by hand
    (``26.25`` -> ``26.3``, ``0.5`` -> ``1``; Python's ``round`` would give ``26.2``
    and ``0``); an ``int`` when no decimals remain. The number is rounded as it is
    written (``repr``), so a float stored as ``26.249999…`` still rounds up. A ``lower``
    bound is rounded down, an ``upper`` one up.

    >>> shown(26.25, 1), shown(-2.5, 0), shown(118918.9, -2), shown(15.336, 1)
    (26.3, -3, 118900, 15.3)
    >>> shown(13.6986, 1, "lower"), shown(13.6986, 2, "lower"), shown(13.61, 1, "upper")
    (13.6, 13.69, 13.7)
    """
    if not math.isfinite(value):
        return value
    rounded = vocab.round_as_shown(value, decimals, bound)
    return int(rounded) if decimals <= 0 else float(rounded)


def bound(figure_id: str) -> str:
    """``lower``/``upper`` when the figure is a bound (its qualifier's ``bound`` in
    data/vocab/qualifiers.csv; a derived figure's from its spec) or an end of a range
    (a derived spec's ``bound``: the low end is rounded down, the high end up, so the
    range shown contains the range computed), else ``""``."""
    return _bounds().get(figure_id, "")


@memo("")
def _bounds() -> dict[str, str]:
    """Every figure that is a bound or a range's end, with its side. Shared on disk (as
    :func:`_count_ranges`): it reads the derivation specs, which each process (a kernel, a
    test worker) would otherwise build again for this table alone (~0.2-0.4 s of CPU)."""
    return cache.shared("bounds", _compute_bounds)


def _compute_bounds() -> dict[str, str]:
    figs = load_figures()
    quals = dict(zip(figs["figure_id"], figs["qualifier"], strict=True))
    d = derived_frame()
    quals.update(zip(d.index, d["qualifier"], strict=True))
    out = {f: b for f, q in quals.items() if (b := vocab.qualifier_bound(q))}
    sides = set(_ROUNDING)
    for s in specs(figs):
        if s.bound and s.bound not in sides:
            raise ValueError(f"{s.figure_id}: bound {s.bound!r} is not one of {sorted(sides)}")
        if s.bound:
            out[s.figure_id] = s.bound
    return out


def _derived_inputs() -> dict[str, tuple[float, str, str, list[str]]]:
    d = derived_frame()  # shared: the derivations are not computed again for this table
    return {r.Index: (float(r.value), r.unit, r.formula, list(r.inputs))
            for r in d.itertuples()}


@functools.cache
def _derived_cached(_content: str) -> dict[str, tuple[float, str, str, list[str]]]:
    return cache.shared("derived-inputs", _derived_inputs)


@one_reading()
def display_value(figure_id: str, value: float | None = None) -> float | int:
    """The number a reader sees for a catalogued or derived figure: its value (or
    ``value``, another reading of it) rounded to :func:`decimals`. The one display
    rule: prose, tables, charts, alt text and the audit all show this number."""
    if value is None:
        derived = _derived_cached(cache.data_hash())
        value = derived[figure_id][0] if figure_id in derived else _catalogue_value(figure_id)
    return shown(float(value), decimals(figure_id, value), bound(figure_id))


def number_text(value: float, lang: str | None = None, decimals: int | None = None) -> str:
    """``42998`` -> ``42,998`` (en) or ``42.998`` (vi). With ``decimals``, exactly that
    many (``63.0``: a trailing zero is a significant figure); without, up to three and
    no trailing zero."""
    pattern = None if decimals is None else "#,##0" + (
        "." + "0" * decimals if decimals > 0 else "")
    return format_decimal(value, format=pattern,
                          locale="vi" if resolve(lang) == "vi" else "en")


@one_reading()
def display_text(figure_id: str, lang: str | None = None, value: float | None = None) -> str:
    """The number of :func:`display_value` in ``lang``'s notation with the decimals the
    rule keeps (``15.3``, ``15,3``; ``63.0``, not ``63``: three significant figures),
    without unit: what every page writes for the figure."""
    return number_text(display_value(figure_id, value), lang,
                       max(decimals(figure_id, value), 0))


@memo("")
def _catalogue_values() -> dict[str, float]:
    figs = load_figures()
    return dict(zip(figs["figure_id"], figs["value"].astype(float), strict=True))


def _catalogue_value(figure_id: str) -> float:
    return _catalogue_values()[figure_id]


@memo("")
def _count_ranges() -> dict[str, float]:
    """Half-width of the rounding range of every derived count made by multiplying or
    dividing (the audit's interval: a printed input varies by half its last digit, an
    exact count not at all). Shared on disk: each kernel that shows a derived figure
    would otherwise expand every formula again (~0.15 s CPU)."""
    return cache.shared("count-ranges", _compute_count_ranges)


def _compute_count_ranges() -> dict[str, float]:
    figs = load_figures()
    half = {f: 0.0 if is_count(u) and v == int(v) else 0.5 * 10.0 ** -printed_decimals(f)
            for f, u, v in zip(figs["figure_id"], figs["unit"], figs["value"].astype(float),
                               strict=True)}
    env, by_id = environment(figs), {s.figure_id: s.formula for s in specs(figs)}
    out = {}
    for fid, (value, unit, formula, _) in _derived_cached(cache.data_hash()).items():
        if is_count(unit) and _scale(formula) is None:
            lo, hi = formulas.interval(expand(formula, formulas=by_id), env, half)
            out[fid] = max(hi - value, value - lo)
    return out


def range_half_width(figure_id: str) -> float:
    """The rounding range's half-width of a derived count that multiplies or divides
    (0.0 for any other figure)."""
    return _count_ranges().get(figure_id, 0.0)


def share_of(formula: str) -> tuple[str, str] | None:
    """(part, whole) of a share in percent of one figure in another, as
    :func:`dbanalysis.catalogue.formula.parse` reads it (brackets and spacing aside),
    else None. The hundred may stand on either side of the part or of the quotient:
    ``part / whole * 100``, ``100 * part / whole``, ``part * 100 / whole`` and
    ``100 * (part / whole)`` are one share.

    >>> share_of("a / b * 100"), share_of("(a) / (b)*100"), share_of("100 * a / b")
    (('a', 'b'), ('a', 'b'), ('a', 'b'))
    >>> share_of("a / b * 1000"), share_of("a / (b * 100)")
    (None, None)
    """
    body = formulas.parse(formula).body
    if isinstance(body, ast.BinOp) and isinstance(body.op, ast.Mult):
        quotient = _times_100(body.left, body.right)  # (part / whole) * 100, 100 * (...)
        if isinstance(quotient, ast.BinOp) and isinstance(quotient.op, ast.Div):
            return _names(quotient.left, quotient.right)
    elif isinstance(body, ast.BinOp) and isinstance(body.op, ast.Div):
        top = body.left  # (part * 100) / whole, (100 * part) / whole
        if isinstance(top, ast.BinOp) and isinstance(top.op, ast.Mult):
            part = _times_100(top.left, top.right)
            if part is not None:
                return _names(part, body.right)
    return None


def _is_100(node: ast.expr) -> bool:
    return (isinstance(node, ast.Constant) and not isinstance(node.value, bool)
            and node.value == 100)


def _times_100(left: ast.expr, right: ast.expr) -> ast.expr | None:
    """The factor of a product ``left * right`` that is not the constant 100 (None
    when neither factor is)."""
    return left if _is_100(right) else right if _is_100(left) else None


def _names(part: ast.expr | None, whole: ast.expr) -> tuple[str, str] | None:
    if isinstance(part, ast.Name) and isinstance(whole, ast.Name):
        return part.id, whole.id
    return None


@memo("")
def _share_groups() -> dict[str, tuple[str, ...]]:
    """Derived shares in percent of one whole (the same denominator), by member, where
    the whole has two or more (the awards of each conferring level in all awards)."""
    by_whole: dict[str, list[str]] = {}
    for fid, (_, unit, formula, _) in _derived_cached(cache.data_hash()).items():
        pair = share_of(formula)
        if pair and unit == "percent" and not bound(fid):
            by_whole.setdefault(pair[1], []).append(fid)
    return {f: tuple(group) for group in by_whole.values() if len(group) > 1 for f in group}


def _group_decimals(group: tuple[str, ...]) -> int:
    """The decimals every share of one whole is shown with: the fewest any of them gets
    by its own rule (the least precise), but never so few that a share reads as zero,
    and within the unit's cap. ``0.152 %`` beside ``77.7 %`` of the same awards is
    ``0.2 %``, not ``0.15 %``: one column of shares, one number of decimals."""
    derived = _derived_cached(cache.data_hash())
    fewest = min(_own_decimals(f) for f in group)
    values = [abs(derived[f][0]) for f in group if derived[f][0]]
    smallest = max((-math.floor(math.log10(v)) for v in values), default=fewest)
    places = max(fewest, smallest)
    cap = decimals_at_most(derived[group[0]][1])
    return places if cap is None else min(places, cap)


@memo("", keep_args=4096)
def decimals(figure_id: str, value: float | None = None) -> int:
    """Decimals to show for a catalogued or derived figure (see the module docstring);
    ``value``: another reading of it (a bound's extra digit depends on the value).
    Shares of one whole share one number of decimals (:func:`_group_decimals`).

    Remembered per version of the data and arguments (:func:`dbanalysis.core.cache.memo`,
    which also reads the data as one version while it computes): a figure's decimals are
    those of its inputs, recursively, and of every share of its whole, so that every
    number a page shows asked the same figures again (a report page's kernel made ~1,800
    calls and ~3,600 data lookups for ~250 numbers shown). Every argument is positional
    (a :class:`~dbanalysis.core.cache.Memo` takes no keyword)."""
    group = _share_groups().get(figure_id)
    if group is not None:
        return _group_decimals(group)
    ends = _range_ends().get(figure_id)
    if ends is not None:  # one range, one precision (whatever reading of it is shown)
        return _range_decimals(ends)
    return _own_decimals(figure_id, value)


@memo("")
def _range_ends() -> dict[str, tuple[str, str]]:
    """(low end, high end) of every range of derived figures, by each end: the specs with
    the same ``range``, one ``lower`` and one ``upper`` ``bound``. Shared on disk (as
    :func:`_bounds`): the first :func:`decimals` of every process (a kernel's first
    ``db.say``, a build's front page) built the derivation specs for this table alone
    (~0.12-0.16 s of CPU)."""
    return cache.shared("range-ends", _compute_range_ends)


def _compute_range_ends() -> dict[str, tuple[str, str]]:
    by_range: dict[str, dict[str, str]] = {}
    for s in specs(load_figures()):
        if s.range and s.bound not in ("lower", "upper"):
            raise ValueError(f"{s.figure_id}: an end of range {s.range!r} needs bound "
                             f"'lower' or 'upper', not {s.bound!r}")
        if s.range:
            ends = by_range.setdefault(s.range, {})
            if s.bound in ends:
                raise ValueError(f"{s.figure_id}: range {s.range!r} has two {s.bound} ends "
                                 f"({ends[s.bound]}, {s.figure_id})")
            ends[s.bound] = s.figure_id
    out = {}
    for name, ends in by_range.items():
        if set(ends) != {"lower", "upper"}:
            raise ValueError(f"range {name!r}: only a {next(iter(ends))} end "
                             f"({next(iter(ends.values()))})")
        pair = (ends["lower"], ends["upper"])
        out.update(dict.fromkeys(pair, pair))
    return out


def _range_decimals(ends: tuple[str, str]) -> int:
    """One range, one precision: both ends of a range are shown to the finer of the
    places each end's own rule gives it (:func:`_own_decimals`: the precision its inputs
    support, and one digit more where rounding it outward would move it off its nearest
    rounding; a count too, to the unit at the finest). The sport share of 21 communes,
    32,4987 to 33,5642 %, is 32,49 to 33,57, not 32,49 to 33,6; the implied population,
    118.918,9 to 121.100,9, is 118.900 to 121.200, not 118.000 to 122.000 (rounded
    outward at three significant figures each end lost a thousand)."""
    derived = _derived_cached(cache.data_hash())
    places = []
    for fid in ends:
        own = _own_decimals(fid)
        value, unit = derived[fid][0], derived[fid][1]
        if is_count(unit) and own < 0 and shown(value, own, bound(fid)) != shown(value, own):
            own += 1  # 118.000 rounded down from 118.918,9: the hundreds kept (118.900)
        places.append(own)
    return max(places)


def _own_decimals(figure_id: str, value: float | None = None) -> int:
    """:func:`decimals` of one figure by its own inputs and value alone."""
    derived = _derived_cached(cache.data_hash())
    if figure_id not in derived:
        return printed_decimals(figure_id)
    own, unit, formula, inputs = derived[figure_id]
    known = [decimals(i) for i in inputs if not i.startswith(REFERENCE_PREFIX)]
    places = derived_decimals(own, unit, formula, known, range_half_width(figure_id))
    value = own if value is None else float(value)
    side = bound(figure_id)
    cap = decimals_at_most(unit)
    if side and shown(value, places, side) != shown(value, places) \
            and not is_count(unit) and (cap is None or places < cap):
        places += 1  # rounded toward its open side, it keeps the nearest rounding's digits
    return places
