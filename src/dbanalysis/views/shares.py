"""Counts against totals and parts of totals, shaped for share and stacked-bar charts.

Every share and remainder is a derived figure of :mod:`dbanalysis.derive.compute`, found by id
(:func:`~dbanalysis.derive.compute.share_id`, :func:`~dbanalysis.derive.compute.rest_id`).
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

import pandas as pd

from ..catalogue.figure_labels import DERIVED, STATED, figures_of, unit_label
from ..catalogue.figures import figure, load_figures
from ..core import labels
from ..core.language import resolve
from ..core.markup import Md
from ..core.typography import lower_first
from ..derive import precision
from ..derive.compute import rest_id, share_id
from ..derive.lookup import derived_frame, derived_value
from . import text as vtext
from .text import LangText

PAIR_COLUMNS = ["indicator", "count_id", "total_id", "label", "count", "total", "share",
                "share_id", "unit", "unit_label", "sector"]


def pairs(sectors: str | Iterable[str] | None = None, lang: str | None = None) -> pd.DataFrame:
    """Count/total pairs (a/b) of the same indicator and unit, with the derived share."""
    lang = resolve(lang)
    figs = figures_of(sectors)
    rows = []
    for _, c in figs[figs["kind"] == "count"].iterrows():
        tot = figs[(figs["indicator"] == c["indicator"]) & (figs["kind"] == "total")
                   & (figs["unit"] == c["unit"])]
        if tot.empty:
            continue
        t = tot.iloc[0]
        sid = share_id(c["figure_id"], t["figure_id"])
        rows.append({"indicator": c["indicator"], "count_id": c["figure_id"],
                     "total_id": t["figure_id"], "label": c[f"label_{lang}"],
                     "count": c["value"], "total": t["value"], "share": derived_value(sid),
                     "share_id": sid, "unit": c["unit"],
                     "unit_label": unit_label(c["unit"], lang), "sector": c["sector"]})
    return pd.DataFrame(rows, columns=PAIR_COLUMNS)


def pairs_of(pairs_: Iterable[tuple[str, str]], lang: str | None = None) -> pd.DataFrame:
    """A :func:`pairs` frame for explicit (count, total) ids, across indicators or sectors
    (e.g. new-rural communes over the district's communes). The count may be a derived id.
    ``derived`` is True when the count is derived or the pairing is ours (a count over a
    total from another indicator: the report never states that share). Units must match.
    Adds ``qualifier`` and ``derived``."""
    lang = resolve(lang)
    derived = derived_frame()
    rows = []
    for count_id, total_id in pairs_:
        t = figure(total_id)
        if count_id in derived.index:
            d = derived.loc[count_id]
            c_label, c_value, c_unit = d[f"label_{lang}"], float(d["value"]), d["unit"]
            c_qual = d["qualifier"] if isinstance(d["qualifier"], str) else None
            c_derived, c_indicator, c_sector = True, "", d["sector"]
        else:
            c = figure(count_id)
            c_label, c_value, c_unit = c[f"label_{lang}"], float(c["value"]), c["unit"]
            c_qual, c_derived, c_indicator, c_sector = (c["qualifier"], False, c["indicator"],
                                                        c["sector"])
        if c_unit != t["unit"]:
            raise ValueError(f"{count_id} ({c_unit}) and {total_id} ({t['unit']}) differ in unit")
        own = not c_derived and c_indicator == t["indicator"]
        lbl = c_label if own else _pair_over(c_label, total_id, t[f"label_{lang}"], lang)
        sid = share_id(count_id, total_id)
        rows.append({"indicator": c_indicator, "count_id": count_id, "total_id": total_id,
                     "label": lbl, "count": c_value, "total": float(t["value"]),
                     "share": derived_value(sid), "share_id": sid, "unit": c_unit,
                     "unit_label": unit_label(c_unit, lang), "sector": c_sector,
                     "qualifier": c_qual, "derived": c_derived or not own})
    return pd.DataFrame(rows, columns=[*PAIR_COLUMNS, "qualifier", "derived"])


def _pair_over(count_label: str, total_id: str, total_label: str, lang: str) -> str:
    """The name of a count over a total from another sentence: the total's own wording
    when data/vocab/labels.csv declares one (``share.pair_over.<total id>``, which may
    say the total's value, filled from the catalogue: "out of the district's 21
    communes"), else the generic ``share.pair_over`` with the total's label."""
    key = f"share.pair_over.{total_id}"
    if key in labels.keys():
        return vtext.data_sentence(labels.template(key, lang), lang, links=False,
                                   count=count_label)
    return labels.text("share.pair_over", lang, count=count_label,
                       total=lower_first(total_label))


def parts_of_total(total_id: str, part_ids: Iterable[str],
                   lang: str | None = None) -> pd.DataFrame:
    """The stated parts of a stated total and the derived remainder (total − parts).

    A negative remainder (parts exceeding the total) is kept and flagged in ``problem``.
    """
    lang = resolve(lang)
    part_ids = list(part_ids)
    tot = figure(total_id)
    rows = []
    for pid in part_ids:
        p = figure(pid)
        if p["unit"] != tot["unit"]:
            raise ValueError(f"{pid} ({p['unit']}) and {total_id} ({tot['unit']}) differ in unit")
        rows.append({"figure_id": pid, "label": p[f"label_{lang}"], "value": float(p["value"]),
                     "status": STATED, "qualifier": p["qualifier"], "problem": None})
    rid = rest_id(total_id, part_ids)
    rest = derived_value(rid)
    rows.append({"figure_id": rid, "label": labels.text("share.rest", lang), "value": rest,
                 "status": DERIVED,
                 "qualifier": None, "problem": labels.text("problem.parts_exceed_total", lang)
                 if rest < 0 else None})
    out = pd.DataFrame(rows)
    out["unit"] = tot["unit"]
    out["total"] = float(tot["value"])
    return out


def composition(total_id: str, lang: str | None = None) -> pd.DataFrame:
    """:func:`parts_of_total` for the catalogued components of a total (same indicator,
    kind ``component``), with each component's derived share of the total in percent
    (the remainder's share is left empty)."""
    figs = load_figures()
    tot = figure(total_id)
    ids = list(figs.loc[(figs["indicator"] == tot["indicator"]) & (figs["kind"] == "component"),
                        "figure_id"])
    out = parts_of_total(total_id, ids, lang)
    out["share"] = [derived_value(share_id(i, total_id)) if i in ids else None
                    for i in out["figure_id"]]
    return out


# --- displayed shares of a whole, added up as a reader adds them ----------------------

#: A share in percent of one figure in another: ``count / total * 100``.
_SHARE_FORMULA = re.compile(r"^([a-z][a-z0-9_]*) / ([a-z][a-z0-9_]*) \* 100$")
#: A derived count that is the sum of other figures: ``a + b + …``.
_SUM_FORMULA = re.compile(r"^[a-z][a-z0-9_]*( \+ [a-z][a-z0-9_]*)+$")


@dataclass(frozen=True)
class SharesSum(LangText):
    """Shares of a whole as every page shows them (the one display rule), added up.

    ``parts`` are share ids; ``whole`` the share id of their sum, or ``None`` when the
    parts make up the whole total (100 %). The shown sum is the exact sum of the shown
    parts; it *adds up* when, rounded to the fewest decimals of the parts, it equals the
    shown whole so rounded. In a :func:`~dbanalysis.views.text.sentence` it reads
    "77.7% + 19.8% = 97.5%, 0.1 percentage points short of 97.6%, because each share is
    rounded separately" (``data/vocab/labels.csv``, ``share.sum.below`` / ``.above`` /
    ``.agrees``)."""

    parts: tuple[str, ...]
    whole: str | None = None

    def shown_parts(self) -> list[Decimal]:
        """Each part as the pages show it (the one display rule), exactly."""
        return [Decimal(repr(precision.display_value(p))) for p in self.parts]

    def shown_sum(self) -> Decimal:
        """The shown parts added up, exactly (what a reader adding them gets)."""
        return sum(self.shown_parts(), Decimal(0))

    def shown_whole(self) -> Decimal:
        """The whole as shown: the share of the parts' sum, or 100 (%)."""
        return Decimal(100) if self.whole is None else \
            Decimal(repr(precision.display_value(self.whole)))

    def gap(self) -> Decimal:
        """The shown whole minus the shown sum, in percentage points."""
        return self.shown_whole() - self.shown_sum()

    def adds_up(self) -> bool:
        """Whether the shown sum, rounded to the fewest decimals of the parts, is the
        shown whole so rounded."""
        places = Decimal(1).scaleb(-min(max(precision.decimals(p), 0) for p in self.parts))
        return (self.shown_sum().quantize(places, rounding=ROUND_HALF_UP)
                == self.shown_whole().quantize(places, rounding=ROUND_HALF_UP))

    def text(self, lang: str, links: bool) -> str:
        """The sum as a sentence part, each shown share marked with its id when ``links``
        (``share.sum.below`` / ``.above`` / ``.agrees`` of data/vocab/labels.csv: the
        direction of the gap is said, "short of" or "over")."""
        key = ("share.sum.agrees" if self.adds_up()
               else "share.sum.below" if self.gap() > 0 else "share.sum.above")
        # the template is data as well: its words escaped like a note's, its fields
        # filled by the one formatter (each shown share, and the whole's, linked or
        # marked as in prose; the sum and the gap, numbers the page computes, as text)
        parts = vtext.sentence(" + ".join(f"{{{p}}}" for p in self.parts), lang, links)
        whole = (Md(vtext.sentence(f"{{{self.whole}}}", lang, links)) if self.whole
                 else vtext.fmt(100, "percent", lang))
        return vtext.data_sentence(
            labels.template(key, lang), lang, links, parts=Md(parts), whole=whole,
            sum=vtext.fmt(float(self.shown_sum()), "percent", lang),
            gap=vtext.fmt(float(abs(self.gap())), "percentage_point", lang))


def shares_sum(parts: Iterable[str], whole: str | None = None) -> SharesSum:
    """The shown shares ``parts`` added up against ``whole`` (a share id, or ``None``:
    the total itself, 100 %), for a sentence field: ``db.say(…"{check}"…,
    check=db.shares_sum([...], whole))`` (see :class:`SharesSum`)."""
    return SharesSum(tuple(parts), whole)


def _value(figure_id: str) -> float:
    return float(derived_value(figure_id)) if figure_id in derived_frame().index \
        else float(figure(figure_id)["value"])


def share_sums() -> list[SharesSum]:
    """Every group of derived shares of one total that make up a whole, found from the
    derivations' formulas: the shares of counts that add up to the total (against
    100 %), and the shares of the terms of a derived sum (against the sum's share)."""
    shares: dict[str, dict[str, str]] = {}  # total -> count -> share id
    derived = derived_frame()
    for sid, formula in derived["formula"].items():
        m = _SHARE_FORMULA.match(formula)
        if m:
            shares.setdefault(m.group(2), {})[m.group(1)] = str(sid)
    out = []
    for total, by_count in shares.items():
        terms_of = {c: derived.loc[c, "formula"].split(" + ") for c in by_count
                    if c in derived.index and _SUM_FORMULA.match(derived.loc[c, "formula"])}
        sums = {c: terms for c, terms in terms_of.items() if all(t in by_count for t in terms)}
        for c, terms in sums.items():
            out.append(SharesSum(tuple(by_count[t] for t in terms), by_count[c]))
        # the largest set of the other counts that adds up to the total, if any (a share
        # of the same total may be of something else: revenue over industrial output)
        counts = [c for c in by_count if c not in sums]
        whole = next((group for k in range(len(counts), 1, -1)
                      for group in itertools.combinations(counts, k)
                      if math.isclose(sum(_value(c) for c in group), _value(total))), None)
        if whole:
            out.append(SharesSum(tuple(by_count[c] for c in whole)))
    return out
