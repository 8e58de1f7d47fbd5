"""A readable title for every audit check, in both languages.

Readers see "Cattle herd: the stated growth rate", not ``growth_cattle``. The
title is the label of the check's first figure and a phrase for its category
(``audit.category.<category>`` in ``data/vocab/labels.csv``); a check whose
generic title would repeat another's, or mislead, has its own row
``audit.title.<check_id>`` there. The id stays the page anchor.
"""

from __future__ import annotations

from ..catalogue.figure_labels import label
from ..catalogue.figures import figure
from ..catalogue.figures import figure_ids as catalogued_ids
from ..core import labels
from ..core.cache import one_reading
from ..core.language import resolve
from ..derive.lookup import derived_frame


@one_reading()
def first_label(figure_ids: str, lang: str) -> str:
    """The label of the first figure (catalogued or derived) of a check's ``figure_ids``."""
    first = figure_ids.split(";")[0]
    derived = derived_frame()
    if first in derived.index:
        return str(derived.loc[first, f"label_{lang}"])
    return label(first, lang)


@one_reading()
def check_title(check_id: str, category: str, figure_ids: str, lang: str | None = None) -> str:
    """The check's title in ``lang`` (its own label row, else its category's phrase)."""
    lang = resolve(lang)
    own = f"audit.title.{check_id}"
    if own in labels.keys():
        return labels.text(own, lang)
    return labels.text(f"audit.category.{_phrase(category, figure_ids)}", lang,
                       label=first_label(figure_ids, lang))


def _phrase(category: str, figure_ids: str) -> str:
    """The category's phrase (a sanity check of one percentage reads "at most 100%", of
    the low end of a range against its high end "within its upper bound")."""
    if category != "sanity":
        return category
    ids = [i for i in figure_ids.split(";") if i]
    # the catalogue's row by id (:func:`figure`), not a copy of it indexed per title
    if len(ids) in (1, 2) and ids[0] in catalogued_ids():
        row = figure(ids[0])
        if len(ids) == 1 and row["unit"] == "percent":
            return "sanity.share"
        if len(ids) == 2 and row["kind"] == "range_low":
            return "sanity.bound"
    return category
