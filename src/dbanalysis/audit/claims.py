"""Audit checks of the report's wording: claims that sit beside the figures they rest on.

Each check reads what a sentence claims ("đạt 100% NQ", "04 phong trào lớn do Thủ
tướng", "số hộ nghèo … %") and tests it against the catalogued figures or the
article's own text, so the verdict follows from the data: change a figure (or the
text) and it can flip. Each returns its verdict and named values; the explanation in
both languages is its template in ``data/templates/audit.csv``.

Called by :func:`dbanalysis.audit.run.run_audit` (family :func:`claim_checks`), with the
audit's :class:`~dbanalysis.audit.run.Context`.
"""

from __future__ import annotations

import math
import re

from ..catalogue.sentences import Phrase
from ..catalogue.source import load_report
from .context import check_row as _row


def _span(c, first: str, last: str) -> str:
    """The report's text from the start of figure ``first`` to the end of ``last``."""
    starts = [int(c.figures.loc[i, "start"]) for i in (first, last)]
    ends = [int(c.figures.loc[i, "end"]) for i in (first, last)]
    return load_report()[min(starts): max(ends)]


def _stations_doctor_resolution(c) -> dict:
    count, total = c.v("health_stations_with_doctor"), c.v("health_stations_total")
    claimed, share = c.v("health_stations_doctor_vs_resolution"), c.v(
        "d_health_stations_doctor_share")
    quote = _span(c, "health_stations_with_doctor", "health_stations_doctor_vs_resolution")
    verdict = "consistent" if count >= total or claimed < 100 else "ambiguous"
    return _row("claim_stations_doctor_resolution", "claim", "health", verdict,
                ["health_stations_with_doctor", "health_stations_total",
                 "health_stations_doctor_vs_resolution", "d_health_stations_doctor_share"],
                claimed, share, 0.0,
                quote=quote, count=count, total=total, share=share, claimed=claimed)


def _doctor_density_resolution(c) -> dict:
    f = c.catalogue
    # a catalogued target density (none in this report) would make the claim checkable
    target = f[(f["unit"] == "doctors_per_10k") & (f["figure_id"] != "health_doctor_density")]
    d = c.v("health_doctor_density")
    verdict = ("unverifiable" if target.empty
               else "consistent" if d >= target["value"].max() else "inconsistent")
    quote = _span(c, "health_doctors", "health_doctor_density_vs_resolution")
    return _row(
        "claim_doctor_density_resolution", "claim", "health", verdict,
        ["health_doctors", "health_doctor_density", "health_doctor_density_vs_resolution"],
        math.nan, c.v("health_doctor_density_vs_resolution"), math.nan,
        quote=quote, density=d, claimed=c.v("health_doctor_density_vs_resolution"),
        target=(float(target["value"].max()) if not target.empty else math.nan))


def _poverty_rate_for_count(c) -> dict:
    quote = str(c.figures.loc["labour_poverty_rate", "quote"])
    unit = str(c.figures.loc["labour_poverty_rate", "unit"])
    count_noun = re.match(r"số\s+hộ", quote, flags=re.IGNORECASE) is not None
    verdict = "ambiguous" if count_noun and unit == "percent" else "consistent"
    rate = c.v("labour_poverty_rate")
    return _row("claim_poverty_rate_for_count", "wording", "labour", verdict,
                ["labour_poverty_rate", "labour_poverty_change"], math.nan, rate, math.nan,
                quote=quote, rate=rate)


#: A named movement in the article: phong trào “…”.
_MOVEMENT = re.compile(r"phong trào\s+“([^”]+)”", flags=re.IGNORECASE)
_NEW_RURAL_NAME = re.compile(r"[Cc]ả nước chung (\w+) xây dựng nông thôn mới")


def _pm_movements(c) -> dict:
    text = load_report()
    stated = c.v("emul_pm_movements")
    start = int(c.figures.loc["emul_pm_movements", "end"])
    stop = text.find("...", start)
    names = _MOVEMENT.findall(text[start: stop if stop > 0 else None])
    provincial = [n for n in names if re.search(r"\btỉnh\b", n, flags=re.IGNORECASE)]
    verbs = list(dict.fromkeys(m.lower() for m in _NEW_RURAL_NAME.findall(text)))
    if len(names) != stated:
        verdict = "inconsistent"
    elif provincial:
        verdict = "ambiguous"
    else:
        verdict = "consistent"
    quote = str(c.figures.loc["emul_pm_movements", "quote"])
    return _row(
        "claim_pm_movements", "wording", "emulation", verdict, ["emul_pm_movements"],
        stated, len(names), 0.0,
        quote=quote, named=len(names), stated=stated,
        provincial=(Phrase("claim_pm_movements.provincial",
                           {"count": len(provincial), "name": provincial[0]})
                    if provincial else ""),
        two_names=(Phrase("claim_pm_movements.two_names",
                          {"first": verbs[0], "second": verbs[-1]})
                   if len(verbs) > 1 else ""))


#: The report's word for the district Party congress resolution in a result's quote.
_RESOLUTION = re.compile(r"\bNQ\b|Nghị quyết", flags=re.IGNORECASE)


def _targets_met(c) -> dict:
    """The closing claim that the resolution's targets were met or exceeded. A result
    below 100% contradicts it; all at or above 100% confirm it only if every one is
    measured against the resolution (its quote says "NQ"). Results against a yearly plan,
    a target set by the district or the province or a quota do not show the resolution's
    targets met, which the report does not give: the claim cannot be checked."""
    f = c.catalogue
    ach = f[f["kind"] == "achievement_vs_plan"]
    below = ach[ach["value"] < 100]
    against = ach[ach["quote"].str.contains(_RESOLUTION)]
    if not below.empty:
        verdict = "inconsistent"
    elif len(against) == len(ach):
        verdict = "consistent"
    else:
        verdict = "unverifiable"
    low, high = ach["value"].min(), ach["value"].max()
    return _row("claim_targets_met", "claim", "emulation", verdict, list(ach["figure_id"]),
                100.0, low, 0.0,
                results=len(ach), low=low, high=high, below=len(below),
                resolution=len(against), others=len(ach) - len(against),
                have=c.v("health_stations_with_doctor"), of=c.v("health_stations_total"))


def _health_criteria_forecast(c) -> dict:
    expected = c.v("health_communes_national_criteria")
    possible = c.v("d_health_communes_station_plus_pending")
    ok = expected <= possible
    return _row("claim_health_criteria_forecast", "cross_reference", "health",
                "consistent" if ok else "inconsistent",
                ["health_communes_national_criteria", "health_communes_with_station",
                 "health_communes_station_pending", "d_health_communes_station_plus_pending",
                 "health_stations_with_doctor", "health_stations_total"],
                possible, expected, 0.0,
                expected=expected, have=c.v("health_communes_with_station"),
                pending=c.v("health_communes_station_pending"), possible=possible,
                doctors=c.shown("health_stations_with_doctor"),
                stations=c.shown("health_stations_total"))


def claim_checks(c) -> list[dict]:
    """The wording and claim checks, one row each (both languages)."""
    return [_stations_doctor_resolution(c), _doctor_density_resolution(c),
            _poverty_rate_for_count(c), _pm_movements(c), _targets_met(c),
            _health_criteria_forecast(c)]
