"""Totals and their parts: ``parts_sum``, ``headline_total`` and ``list_count``.

``parts_sum``: a total, then "trong đó" (or "gồm", a colon, a bracket) and parts in the
same unit.  The parts end where the sentence or the list does.  A clause after a
semicolon is a part only when the list already uses semicolons between its parts, or
when it is needed to make the parts add up (then the explanation says so); otherwise it
names another category ("…, mía 5.105 ha; diện tích cây lâu năm 14.930 ha").  Numbers in
brackets inside the list (a share, a comparison) and changes ("tăng 500 con") are not
parts.  Parts that add up to less than the total leave the reading open (a "trong đó"
list need not name every part): ``ambiguous``; more than the total is ``inconsistent``
unless a number is a bound ("trên", "gần").  One part is only held within its total.

``headline_total``: a count of one kind over parts of other kinds ("27 đơn vị hành
chính (24 xã, 3 thị trấn)", "318 lượt tập thể, cá nhân, trong đó 76 tập thể…").

``list_count``: a count followed by the names it counts, "3 xã (A, B, C)".
"""

from __future__ import annotations

import re

from ..catalogue import formula
from .model import Finding, Num, Phrase, Sum, Unit, Verbatim, decimals_of
from .spans import Doc, Quantity, compatible, convert, is_count

__all__ = ["find_list_counts", "find_remainders", "find_sums"]

_MARKER = re.compile(r"(?<!\w)(?:trong\s+đó|bao\s+gồm|gồm(?:\s+có)?)(?!\w)\s*(?:có\s+)?:?"
                     r"|:|\(", re.IGNORECASE)
_MIXED = re.compile(r"\s*(?:lượt\s+)?(?:tập thể|cá nhân|hộ gia đình)\s*(?:,|và|và các)\s*"
                    r"(?:tập thể|cá nhân|hộ gia đình)", re.IGNORECASE)
_TOTAL_WORD = re.compile(r"(?<!\w)(?:tổng|toàn huyện|toàn tỉnh|cả huyện)(?!\w)", re.IGNORECASE)


def _close(doc: Doc, pos: int) -> int:
    depth, i = 0, pos
    while i < len(doc.text):
        c = doc.text[i]
        if c == "(":
            depth += 1
        elif c == ")":
            if depth == 0:
                return i
            depth -= 1
        elif c == "\n" and depth == 0:
            return i
        i += 1
    return i


def _region(doc: Doc, marker: re.Match) -> tuple[int, int, int | None]:
    """Where the parts run: (start, end of the sure part, end with one more ';' clause)."""
    start = marker.end()
    if marker.group(0) == "(":
        return start, _close(doc, start), None
    _, s_end = doc.sentence_of(start)
    text = doc.text
    semi = text.find(";", start, s_end)
    if semi < 0:
        return start, s_end, None
    # a list that separates its parts with ';' from the first one on keeps going (the
    # separator after the first number: names may hold commas, "nông, lâm nghiệp 1.846 …")
    first = next((q for q in doc.between(start, s_end) if q.form in ("number", "compound")),
                 None)
    first_sep = re.search(r"[,;]", text[first.end if first else start:s_end])
    if first_sep is not None and first_sep.group(0) == ";":
        return start, s_end, None
    nxt = text.find(";", semi + 1, s_end)
    return start, semi, (nxt if nxt >= 0 else s_end)


def _parts(doc: Doc, start: int, end: int, bracketed: bool) -> list[Quantity]:
    text, out = doc.text, []
    for q in doc.between(start, end):
        if q.form not in ("number", "compound") or q.change or _REST.match(text, q.end):
            continue  # "(02 xã còn lại …)": the rest of a fraction, see find_remainders
        inner = text[start:q.start]
        if not bracketed and inner.count("(") > inner.count(")"):
            continue  # "(chiếm 61%)" inside the list: an annotation, not a part
        if re.search(r"(?:chiếm|bằng|đạt|so với)\s*$", text[max(0, q.start - 12):q.start]) \
                and q.unit in ("percent", "times"):
            continue
        out.append(q)
    return out


def _total(doc: Doc, marker: re.Match, unit: str | None, mixed_ok: bool) -> Quantity | None:
    """The nearest number before the marker that the parts can belong to."""
    s_start, _ = doc.sentence_of(marker.start())
    if doc.text[s_start:marker.start()].strip() == "" and s_start > 0:
        s_start, _ = doc.sentence_of(s_start - 1)  # "… 1.342 tỷ đồng. Trong đó: …"
    before = [q for q in doc.between(s_start, marker.start())
              if q.form in ("number", "compound", "fraction_numerator") and not q.change
              and not doc.is_target(q)]
    if not before:
        return None
    if marker.group(0) in ("(", ":"):
        last = before[-1]
        gap = doc.text[last.end:marker.start()]
        if len(gap) > 40 or re.search(r"[0-9;.]", gap):
            return None
        return last
    for q in reversed(before):
        if compatible(q.unit, unit):
            return q
    if mixed_ok:
        last = before[-1]
        return last if len(doc.text[last.end:marker.start()]) <= 40 else None
    return None


def _judge(doc: Doc, total: Quantity, parts: list[Quantity], kind: str) -> Finding:
    env = {"t": total.value}
    half = {"t": total.half}
    names = []
    for i, p in enumerate(parts):
        env[f"p{i}"] = convert(p.value, p.unit, total.unit)
        half[f"p{i}"] = convert(p.half, p.unit, total.unit)
        names.append(f"p{i}")
    expr = " + ".join(names)
    observed = formula.evaluate(expr, env)
    lo, hi = formula.interval(f"t - ({expr})", env, half)
    tol = max(abs(hi - (total.value - observed)), abs((total.value - observed) - lo))
    gap = total.value - observed
    d = decimals_of(total, *parts)
    fields = {"total": Num(total.value, d), "unit": Unit.of(doc, total),
              "parts": Sum(tuple(Num(env[n], d) for n in names)), "sum": Num(observed, d),
              "gap": Num(abs(gap), d), "n": len(parts),
              "tol": Phrase("textaudit.tol.value", {"tol": Num(tol, d + 1, "upper")}) if tol
              else Phrase("textaudit.tol.exact")}
    bound = total.bound or any(p.bound for p in parts)
    if len(parts) == 1:
        ok = gap >= -tol
        verdict, case = ("consistent", "one_part") if ok else ("inconsistent", "one_part_over")
    elif abs(gap) <= tol:
        verdict, case = "consistent", "adds_up"
    elif gap > 0:
        verdict, case = "ambiguous", "short"
    elif bound:
        verdict, case = "ambiguous", "over_bound"
    else:
        verdict, case = "inconsistent", "over"
    if kind == "headline_total":
        fields["unit"] = Verbatim(doc.text[total.start:total.end])
    return Finding(kind, verdict, [total, *parts], case, fields, total.value, observed, tol)


def find_sums(doc: Doc) -> list[Finding]:
    """Every total followed by its parts (parts_sum, headline_total)."""
    out: list[Finding] = []
    seen: set[int] = set()
    for m in _MARKER.finditer(doc.text):
        start, end, extra_end = _region(doc, m)
        bracketed = m.group(0) == "("
        parts = _parts(doc, start, end, bracketed)
        if not parts:
            continue
        unit = parts[0].unit
        mixed_head = None
        s_start, _ = doc.sentence_of(m.start())
        for q in reversed(doc.between(s_start, m.start())):
            if _MIXED.match(doc.text, q.end) or _MIXED.match(doc.text, q.nend):
                mixed_head = q
            break
        if mixed_head is not None and len(doc.text[mixed_head.end:m.start()]) <= 40:
            total: Quantity | None = mixed_head
        else:
            total = _total(doc, m, unit, mixed_ok=False)
        if total is None or total.start in seen or total.unit in ("percent_per_year", "times"):
            continue
        same = [p for p in parts if compatible(p.unit, total.unit)]
        if mixed_head is not None or (not same and len(parts) >= 2):
            kind = "headline_total"
            parts = [p for p in parts if is_count(p.unit)]
            if len(parts) < 2 or not (is_count(total.unit) or total.unit is None):
                continue
        else:
            kind = "parts_sum"
            parts = same
            if not parts or (total.unit == "percent" and (total.change or _is_rate(doc, total))):
                continue
        f = _judge(doc, total, parts, kind)
        if extra_end is not None and f.verdict != "consistent" and kind == "parts_sum":
            more = [p for p in _parts(doc, end + 1, extra_end, False)
                    if compatible(p.unit, total.unit)]
            if more:
                g = _judge(doc, total, parts + more, kind)
                if g.verdict == "consistent":
                    g.case = "adds_up_with_clause"
                    f = g
        seen.add(total.start)
        out.append(f)
    return out


_REST = re.compile(r"\s*(?:[^\W\d_]+\s+){0,2}?còn\s+lại(?!\w)", re.IGNORECASE)


def find_remainders(doc: Doc) -> list[Finding]:
    """"19/21 xã có trạm (02 xã còn lại …)": the count and the rest make the total."""
    out = []
    nums = {q.start: q for q in doc.quantities if q.form == "fraction_numerator"}
    for den in doc.quantities:
        num = nums.get(den.start)
        if den.form != "fraction_denominator" or num is None or not is_count(den.unit):
            continue
        _, s_end = doc.sentence_of(den.start)
        for q in doc.between(den.end, s_end):
            if q.form == "number" and compatible(q.unit, den.unit) and not q.change:
                if _REST.match(doc.text, q.end) or _REST.match(doc.text, q.nend):
                    out.append(_judge(doc, den, [num, q], "parts_sum"))
                break
    return out


def _is_rate(doc: Doc, q: Quantity) -> bool:
    before = doc.text[max(0, q.start - 40):q.start].lower()
    return bool(re.search(r"tăng|giảm|tốc độ|bình quân", before))


_LIST_AFTER = re.compile(r"[^\d();:.]{0,40}?(?:\(|\s(?:là|gồm)\s*:?\s|:\s*)")
_ITEM_SPLIT = re.compile(r"\s*(?:[,;]|(?<!\w)và(?!\w))\s*")


def _unquoted(body: str) -> str:
    """``body`` with every quoted name blanked out (its commas and "và" are not separators)."""
    return re.sub(r"“[^”]*”|\"[^\"]*\"", lambda m: "x" * len(m.group(0)), body)


def _items(body: str) -> list[str]:
    """The names of a list: split at ';' when the list uses them, else at ',' and "và"."""
    bare = _unquoted(body)
    sep = re.compile(r"\s*(?:;|(?<!\w)và(?!\w))\s*") if ";" in bare else _ITEM_SPLIT
    out, last = [], 0
    for m in sep.finditer(bare):
        out.append(body[last:m.start()].strip())
        last = m.end()
    out.append(body[last:].strip())
    return [i for i in out if i]


def find_list_counts(doc: Doc) -> list[Finding]:
    """Counts followed by the names they count: "3 xã (Nà Khe, Lũng Pầu, Cốc Vài)"."""
    out = []
    text = doc.text
    for q in doc.quantities:
        if q.form != "number" or not is_count(q.unit) or not 1 <= q.value <= 30 \
                or not q.value.is_integer():
            continue
        m = _LIST_AFTER.match(text, q.end)
        if m is None:
            continue
        opener = m.group(0).rstrip()[-1:]
        dots = None
        if opener == "(":
            close = _close(doc, m.end())
            body = text[m.end():close]
        else:
            _, s_end = doc.sentence_of(m.end())
            body = text[m.end():s_end]
            dots = re.search(r"\.\.\.|…", _unquoted(body))
            if dots:  # "… và phong trào “…”... qua đó": the list ends at its dots
                body = body[:dots.end()]
            if ";" not in _unquoted(body):
                semi = body.find(";")
                body = body[:semi] if semi >= 0 else body
            body = body.rstrip(" .\n")
        if not body.strip() or re.search(r"[0-9]", body):
            continue
        items = _items(body.strip())
        open_end = bool(re.search(r"(\.\.\.|…|v\.v\.?|vv\.?)\s*$", body)) or (
            opener != "(" and bool(dots))
        if opener != "(" and (len(items) < 2
                              or any(len(_unquoted(i).split()) > 10 for i in items)):
            continue
        named = all(i[:1].isupper() or "“" in i or '"' in i for i in items)
        if opener != "(" and not named and not re.search(r"\slà\s", m.group(0)):
            continue
        n = len(items)
        fields = {"count": Num(q.value), "what": Verbatim(text[q.start:q.end]), "n": Num(n),
                  "names": Verbatim(body.strip())}
        if n == q.value:
            verdict, case = "consistent", "match"
        elif open_end or opener != "(":
            verdict, case = "ambiguous", "open"
        else:
            verdict, case = "inconsistent", "mismatch"
        out.append(Finding("list_count", verdict, [q], case, fields, q.value, float(n), 0.0))
    return out
