"""Ratios, changes, growth rates and plans: ``ratio``, ``baseline``, ``growth``, ``plan``.

Every comparison allows what the printed precision allows (the audit's rule: half a unit
of the last printed digit of each measured number, exact counts exact, propagated by
:func:`dbanalysis.catalogue.formula.interval`).  A percentage that agrees only when its last digit
was cut rather than rounded is ``ambiguous``, not ``inconsistent``.
"""

from __future__ import annotations

import re

from ..catalogue import formula
from .model import Finding, Num, Phrase, Unit, Verbatim, decimals_of
from .spans import Doc, Quantity, benchmark_of, compatible, convert, is_count, plan_after

__all__ = ["find_baselines", "find_growth", "find_plans", "find_ratios"]


_PLAN_VERB = re.compile(r"(?:(?<!\w)(đạt|bằng|vượt|hoàn thành|và)(?:\s+\w+)?|(,))\s*$",
                        re.IGNORECASE)
_AVERAGE = re.compile(r"bình\s+quân|trung\s+bình|mỗi\s+năm|hằng\s+năm|hàng\s+năm",
                      re.IGNORECASE)
_YEAR = re.compile(r"(?<![0-9])((?:19|20)[0-9]{2})(?![0-9])")


def _fit(expr: str, env: dict[str, float], half: dict[str, float], stated: float,
         stated_half: float) -> tuple[float, float, str]:
    """(computed value, tolerance, 'round'|'cut'|'no') for ``expr`` against ``stated``."""
    value = formula.evaluate(expr, env)
    lo, hi = formula.interval(expr, env, half)
    tol = max(hi - value, value - lo) + stated_half
    if abs(value - stated) <= tol + 1e-9:
        return value, tol, "round"
    if stated_half and abs(value - stated) <= tol + stated_half + 1e-9:
        return value, tol, "cut"
    return value, tol, "no"


def _pct_decimals(q: Quantity) -> int:
    return decimals_of(q) + 1


def _fraction_pairs(doc: Doc) -> list[tuple[Quantity, Quantity]]:
    nums = {q.start: q for q in doc.quantities if q.form == "fraction_numerator"}
    return [(nums[q.start], q) for q in doc.quantities
            if q.form == "fraction_denominator" and q.start in nums]


_SHARE_BEFORE = re.compile(r"(?:chiếm|bằng|tỷ\s+lệ|tỉ\s+lệ|là|gấp|\()\s*(?:khoảng\s+)?$",
                           re.IGNORECASE)


def _beside(doc: Doc, num: Quantity, den: Quantity, cs: int, ce: int) -> Quantity | None:
    """The percentage or "lần" that states the fraction: "(chiếm 46,2%)", "55,4% số thôn
    (72/130 thôn", "gấp 2,1 lần … (18.560/8.838 tỷ đồng)"; not a plan's percentage."""
    text = doc.text
    for q in doc.between(cs, ce):
        if q.form != "number" or q.unit not in ("percent", "times") or q.change \
                or plan_after(text, q.end):
            continue
        if q.start >= den.end:  # after the fraction: "(chiếm 46,2%)", ", chiếm 55,6%"
            gap = text[den.end:q.start]
            if len(gap) <= 60 and ";" not in gap and not doc.between(den.end, q.start) \
                    and _SHARE_BEFORE.search(text[max(0, q.start - 20):q.start]):
                return q
        elif q.end <= num.start:  # before it, the fraction in brackets right after
            gap = text[q.end:num.start]
            if len(gap) <= 60 and ";" not in gap and not doc.between(q.end, num.start) \
                    and gap.rstrip().endswith("("):
                return q
    return None


def find_ratios(doc: Doc) -> list[Finding]:
    """"19/21 xã" (with "(90,5%)" or "gấp 2,1 lần" beside it when the text gives one)."""
    out = []
    for num, den in _fraction_pairs(doc):
        if den.value == 0:
            continue
        cs, ce = doc.clause_of(num.start)
        side = _beside(doc, num, den, cs, ce)
        d = decimals_of(num, den)
        env, half = {"a": num.value, "b": den.value}, {"a": num.half, "b": den.half}
        fields = {"a": Num(num.value, d), "b": Num(den.value, d), "unit": Unit.of(doc, den)}
        if side is not None:
            expr = "100 * a / b" if side.unit == "percent" else "a / b"
            value, tol, how = _fit(expr, env, half, side.value, side.half)
            fields.update(stated=Num(side.value, decimals_of(side)),
                          computed=Num(value, _pct_decimals(side)), tol=Num(tol, 3, "upper"))
            case = {"round": "share_ok", "cut": "share_cut", "no": "share_off"}[how]
            if side.unit == "times":
                case = case.replace("share", "times")
            verdict = {"round": "consistent", "cut": "ambiguous", "no": "inconsistent"}[how]
            out.append(Finding("ratio", verdict, [num, side], case, fields, side.value,
                               value, tol))
        elif is_count(den.unit) and num.value.is_integer() and den.value.is_integer():
            ok = num.value <= den.value
            out.append(Finding("ratio", "consistent" if ok else "inconsistent", [num],
                               "part_of" if ok else "part_over", fields, den.value, num.value,
                               0.0))
    return out + _denominators(doc)


def _denominators(doc: Doc) -> list[Finding]:
    """The same places counted out of two different totals ("19/21 xã", "15/25 xã")."""
    out = []
    first: dict[str, Quantity] = {}
    for num, den in _fraction_pairs(doc):
        if not is_count(den.unit) or not _is_place(den.unit):
            continue
        f = first.setdefault(str(den.unit), den)
        if f is not den and f.value != den.value and num.value <= den.value:
            out.append(Finding(
                "ratio", "ambiguous", [f, den], "two_totals",
                {"a": Num(f.value), "b": Num(den.value), "unit": Unit.of(doc, den),
                 "first": Verbatim(doc.text[f.start:f.end]),
                 "second": Verbatim(doc.text[den.start:den.end])},
                f.value, den.value, 0.0))
    return out


def _is_place(unit: str | None) -> bool:
    from ..catalogue import units as unitlex

    return unit is not None and unitlex.unit_info(unit)["dimension"] == "count of places"


def _is_time(unit: str | None) -> bool:
    from ..catalogue import units as unitlex

    return unit is not None and unitlex.unit_info(unit)["dimension"] == "time"


def _level_before(doc: Doc, q: Quantity, unit: str | None) -> Quantity | None:
    """The level a change, a rate or a plan percentage is about: the nearest number before
    it with the same unit (any unit for a percentage, then within the clause only)."""
    s, _ = doc.clause_of(q.start) if unit is None else doc.sentence_of(q.start)
    for p in reversed(doc.between(s, q.start)):
        if p.change or p.form in ("fraction_denominator", "range_low", "range_high") \
                or doc.is_target(p):
            continue
        if unit is None and p.unit not in ("percent", "percent_per_year", "times") \
                and not _is_time(p.unit):
            return p  # a duration ("6 tháng mới đạt 41% kế hoạch") is not a result
        if unit is not None and compatible(p.unit, unit):
            return p
    return None


def find_baselines(doc: Doc) -> list[Finding]:
    """A level beside its change: "đạt 42.998 con, …, tăng 5.532 con so với năm 2015"."""
    out = []
    for c in doc.quantities:
        if c.change not in ("tăng", "giảm") or c.form != "number" or c.unit == "times":
            continue
        percent = c.unit == "percent"
        level = _level_before(doc, c, None if percent else c.unit)
        if level is None:
            continue
        year = doc.against_year(c)
        sign = 1.0 if c.change == "tăng" else -1.0
        d = decimals_of(level, c)
        since = (Phrase("textaudit.since.year", {"year": year}) if year
                 else Phrase("textaudit.since.none"))
        word = Phrase("textaudit.word.rise" if sign > 0 else "textaudit.word.fall")
        fields = {"level": Num(level.value, d), "change": Num(c.value, decimals_of(c)),
                  "unit": Unit.of(doc, level), "since": since, "word": word}
        if percent:
            base = _stated_base(doc, c, level)
            if base is None:
                out.append(Finding("baseline", "unverifiable", [level, c], "no_base", fields))
                continue
            env = {"l": level.value, "b": convert(base.value, base.unit, level.unit)}
            half = {"l": level.half, "b": convert(base.half, base.unit, level.unit)}
            value, tol, how = _fit(f"{sign} * 100 * (l - b) / b", env, half, c.value, c.half)
            fields.update(base=Num(env["b"], d), computed=Num(value, decimals_of(c) + 1))
            verdict = {"round": "consistent", "cut": "ambiguous", "no": "inconsistent"}[how]
            out.append(Finding("baseline", verdict, [level, c, base], f"percent_{how}", fields,
                               c.value, value, tol))
            continue
        env = {"l": level.value, "c": convert(c.value, c.unit, level.unit)}
        half = {"l": level.half, "c": convert(c.half, c.unit, level.unit)}
        expr = "l - c" if sign > 0 else "l + c"
        base_v = formula.evaluate(expr, env)
        lo, hi = formula.interval(expr, env, half)
        tol = max(hi - base_v, base_v - lo)
        fields.update(base=Num(base_v, d))
        ok = base_v > -tol
        out.append(Finding("baseline", "consistent" if ok else "inconsistent", [level, c],
                           "positive" if ok else "negative", fields, 0.0, base_v, tol))
    return out


def _stated_base(doc: Doc, c: Quantity, level: Quantity) -> Quantity | None:
    """The earlier value when the text gives it after "so với …": "(2.445,6 tỷ đồng)"."""
    _, ce = doc.clause_of(c.start)
    for q in doc.between(c.end, ce):
        if compatible(q.unit, level.unit) and not q.change \
                and len(doc.text[c.end:q.start]) <= 50:
            return q
    return None


def find_growth(doc: Doc) -> list[Finding]:
    """Average growth rates, reproduced from the levels when the sentence gives them."""
    out = []
    text = doc.text
    for g in doc.quantities:
        before = text[max(0, g.start - 45):g.start]
        near = text[max(0, g.start - 25):g.start]  # "tăng trưởng đàn bình quân đạt 3,74%"
        if not (g.unit == "percent_per_year" or (
                g.unit == "percent" and _AVERAGE.search(near) and not re.search(r"[0-9]", near)
                and re.search(r"tăng|giảm", before))):
            continue
        if g.form != "number":
            continue
        s, e = doc.sentence_of(g.start)
        pair = next(((lv, c) for c in doc.between(s, e)
                     if c.change in ("tăng", "giảm") and c.unit not in ("percent",
                                                                      "percent_per_year")
                     for lv in [_level_before(doc, c, c.unit)] if lv is not None), None)
        fields = {"rate": Num(g.value, decimals_of(g)), "quote": Verbatim(text[g.start:g.end])}
        if pair is None:
            out.append(Finding("growth", "unverifiable", [g], "no_levels", fields))
            continue
        level, c = pair
        sign = 1.0 if c.change == "tăng" else -1.0
        env = {"l": level.value, "c": convert(c.value, c.unit, level.unit)}
        half = {"l": level.half, "c": convert(c.half, c.unit, level.unit)}
        start = f"(l - {sign} * c)"
        years = _years(text[s:e])
        candidates = [years] if years else [4, 5]
        fits, shown, compound = [], [], []
        for n in candidates:
            for method, expr in (("compound", f"100 * ((l / {start}) ** (1 / {n}) - 1)"),
                                 ("simple", f"100 * (l / {start} - 1) / {n}")):
                value, tol, how = _fit(expr, env, half, sign * g.value if sign < 0 else g.value,
                                       g.half)
                shown.append(Num(value, 2))
                if how == "round":
                    fits.append((n, method))
                if method == "compound":
                    compound.append((value, tol))
        # Read as the arithmetic mean of the yearly rates (a common meaning of "bình quân"
        # in these reports), a rate is possible whenever it is at least the compound rate
        # over the same years, signed: that mean is never below it (AM >= GM of the yearly
        # factors), so a mean fall is never steeper than the compound fall. The yearly
        # levels are not given, so such a rate is two readings, not an error (as in the
        # report's own audit, audit.checks._growth_checks).
        signed = sign * g.value
        mean_possible = any(signed + tol >= value for value, tol in compound)
        d = decimals_of(level, c)
        # "4 or 5 years", not "4 / 5" (REVIEW-vi10 Z15)
        n_years = (Phrase("textaudit.or", {"a": candidates[0], "b": candidates[-1]})
                   if len(candidates) > 1 else candidates[0])
        fields.update(level=Num(level.value, d), change=Num(c.value, d),
                      unit=Unit.of(doc, level), start=Num(level.value - sign * c.value, d),
                      n=n_years, rates=shown)
        if fits and years and fits[0][1] == "compound":
            verdict, case = "consistent", "fits"
        elif fits:
            verdict, case = "ambiguous", "fits_one_reading"
            fields["reading"] = Phrase("textaudit.reading", {
                "n": fits[0][0], "method": Phrase(f"textaudit.method.{fits[0][1]}")})
        elif mean_possible:
            verdict, case = "ambiguous", "mean_of_yearly_rates"
        else:
            verdict, case = "inconsistent", "no_reading"
        out.append(Finding("growth", verdict, [level, c, g], case, fields, g.value, None, None))
    return out


def _years(sentence: str) -> int | None:
    """The number of years between the two years a sentence names, if it names two."""
    ys = sorted({int(y) for y in _YEAR.findall(sentence)})
    if len(ys) == 2 and 1 <= ys[1] - ys[0] <= 15 and not re.search(
            r"(?:19|20)[0-9]{2}\s*[-–]\s*(?:19|20)[0-9]{2}", sentence):
        return ys[1] - ys[0]
    return None


def find_plans(doc: Doc) -> list[Finding]:
    """"đạt 102,35% kế hoạch": against the target when the text states it."""
    out = []
    text = doc.text
    for p in doc.quantities:
        if p.unit != "percent" or p.form != "number" or p.change in ("tăng", "giảm"):
            continue
        after = plan_after(text, p.end)
        verb = _PLAN_VERB.search(text[max(0, p.start - 25):p.start])
        if after is None or (verb is None and p.change != "vượt"):
            continue
        over = p.change == "vượt" or (verb is not None and (verb.group(1) or "").lower() == "vượt")
        stated = 100 + p.value if over and p.value < 100 else p.value
        actual = _level_before(doc, p, None)
        if actual is not None and len(text[actual.end:p.start]) > 80:
            actual = None
        # the report's own word: a plan (kế hoạch, KH, dự toán) is not a target (chỉ tiêu,
        # nghị quyết/NQ, mục tiêu), and the explanation keeps them apart (REVIEW-vi10 Z14)
        benchmark = benchmark_of(after.group(1))
        fields = {"pct": Num(p.value, decimals_of(p)), "quote": Verbatim(
            text[p.start:after.end()]), "benchmark": Phrase(f"textaudit.benchmark.{benchmark}")}
        target = None
        if actual is not None:
            _, ce = doc.clause_of(p.end)
            for q in doc.between(after.end(), ce):
                gap = text[after.end():q.start]
                if compatible(q.unit, actual.unit) and not q.change and len(gap) <= 30 \
                        and not re.search(r"[,;.]|trong\s+đó", gap):
                    target = q
                break
        if actual is None:
            out.append(Finding("plan", "unverifiable", [p], "no_actual", fields))
            continue
        d = decimals_of(actual)
        fields.update(actual=Num(actual.value, d), unit=Unit.of(doc, actual))
        if target is not None:
            env = {"a": actual.value, "t": convert(target.value, target.unit, actual.unit)}
            half = {"a": actual.half, "t": convert(target.half, target.unit, actual.unit)}
            value, tol, how = _fit("100 * a / t", env, half, stated, p.half)
            fields.update(target=Num(env["t"], decimals_of(target)),
                          computed=Num(value, decimals_of(p) + 1))
            verdict = {"round": "consistent", "cut": "ambiguous", "no": "inconsistent"}[how]
            out.append(Finding("plan", verdict, [actual, p, target], f"target_{how}", fields,
                               stated, value, tol))
        elif is_count(actual.unit) and actual.value.is_integer() and stated != 100:
            env, half = {"a": actual.value, "p": stated}, {"a": 0.0, "p": p.half}
            t = formula.evaluate("100 * a / p", env)
            lo, hi = formula.interval("100 * a / p", env, half)
            tol = max(hi - t, t - lo)
            fields.update(target=Num(round(t)), computed=Num(t, 3), tol=Num(tol, 3, "upper"))
            if tol >= 0.5:
                verdict, case = "unverifiable", "whole_coarse"
            elif abs(t - round(t)) <= tol:
                verdict, case = "consistent", "whole_ok"
            else:
                verdict, case = "inconsistent", "whole_off"
            out.append(Finding("plan", verdict, [actual, p], case, fields, float(round(t)), t,
                               tol))
        else:
            out.append(Finding("plan", "unverifiable", [actual, p], "no_target", fields))
    return out
