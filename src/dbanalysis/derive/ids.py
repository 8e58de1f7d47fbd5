"""How the id of a derived figure is built from the id of the figure it derives from.

Derived ids start with ``d_``. Every module that needs the baseline, the change in
percent, the compound growth rate or the corrected value of a figure asks here
instead of splicing strings:

>>> baseline("agri_cattle")
'd_agri_cattle_2015'
>>> change_pct("agri_cattle"), cagr("agri_cattle", 4), corrected("agri_poultry")
('d_agri_cattle_change_pct', 'd_agri_cattle_cagr_4y', 'd_agri_poultry_corrected')
"""

from __future__ import annotations

#: Prefix of every derived id.
PREFIX = "d_"
#: Year of the report's baselines ('so với năm 2015') and first year of every period
#: reading (derive.families).
BASE_YEAR = 2015
#: The period readings of a growth (data/vocab/readings.csv): years from BASE_YEAR, the
#: period compounded over (2015–2019 or 2015–2020); and the same for a stated yearly rate
#: held every year.
PERIOD_YEARS = {"4_years": 4, "5_years": 5}
RATE_YEARS = {"growth_4y": 4, "growth_5y": 5}
#: Every reading of a period from BASE_YEAR, with its years: the period readings, each
#: also with the total rise split evenly (``4_years_simple``), and the stated yearly
#: rates held over them. A text about a figure of such a reading says its period with
#: the fields of :func:`dbanalysis.derive.families.period_fields`, never typed.
SPAN_YEARS = {**PERIOD_YEARS, **{f"{r}_simple": n for r, n in PERIOD_YEARS.items()},
              **RATE_YEARS}


def derived(name: str) -> str:
    """The id of a derived figure named ``name`` (``"awards_total"`` → ``"d_awards_total"``)."""
    return f"{PREFIX}{name}"


def is_derived(figure_id: str) -> bool:
    """Whether ``figure_id`` names a derived figure.

    >>> is_derived("d_awards_total"), is_derived("award_gov_flag")
    (True, False)
    """
    return figure_id.startswith(PREFIX)


def baseline(figure_id: str) -> str:
    """The derived 2015 value of the level ``figure_id`` (level minus change since 2015)."""
    return f"{PREFIX}{figure_id}_{BASE_YEAR}"


def change_pct(figure_id: str) -> str:
    """The derived change since 2015 of ``figure_id``, in percent of its 2015 baseline."""
    return f"{PREFIX}{figure_id}_change_pct"


def cagr(figure_id: str, years: int) -> str:
    """The derived compound annual growth of ``figure_id`` over ``years`` years from 2015."""
    return f"{PREFIX}{figure_id}_cagr_{years}y"


def corrected(figure_id: str) -> str:
    """The derived value of ``figure_id`` under its accepted correction (corrections.csv)."""
    return f"{PREFIX}{figure_id}_corrected"

