"""Shown shares of a whole, added up as a reader adds them (REVIEW-vi3 C9).

Every group of shares the package shows of one whole is found from the derivations'
formulas (:func:`dbanalysis.views.shares.share_sums`). Where the shown shares do not add up
to the shown whole, every page that shows all of them says so, with the computed sum and gap.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import nbformat
import pytest

from dbanalysis.derive import precision
from dbanalysis.notebook.bilingual import output_lang
from dbanalysis.views import shares

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("[0-9]*.ipynb"))
MARK = re.compile(r'data-fig="([a-z0-9_]+)"')


def _pages() -> dict[tuple[str, str], str]:
    """(notebook name, language) -> the Markdown outputs of that edition."""
    out: dict[tuple[str, str], str] = {}
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            for o in cell.get("outputs", []):
                lang = output_lang(o)
                text = o.get("data", {}).get("text/markdown")
                if lang and text:
                    key = (path.name, lang)
                    out[key] = out.get(key, "") + "\n" + text
    return out


def test_the_groups_are_found_from_the_formulas() -> None:
    found = {(g.parts, g.whole) for g in shares.share_sums()}
    assert (("d_awards_district_share", "d_awards_commune_share"),
            "d_awards_local_share") in found  # a derived sum's terms against its share
    assert (("d_ind_share_enterprises", "d_ind_share_households", "d_ind_share_processing"),
            None) in found  # stated components of a stated total against 100 %
    # revenue over industrial output is a share of the same total but no part of it
    assert not any("d_budget_revenue_share_of_ind_output" in g.parts
                   for g in shares.share_sums())


@pytest.mark.parametrize("group", shares.share_sums(), ids=lambda g: g.parts[0])
def test_the_sum_is_the_sum_of_the_shown_shares(group) -> None:
    shown = [Decimal(repr(precision.display_value(p))) for p in group.parts]
    assert group.shown_sum() == sum(shown)
    whole = 100 if group.whole is None else Decimal(repr(precision.display_value(group.whole)))
    assert group.gap() == whole - sum(shown)
    text = group.text("en", False)
    assert text.startswith(" + ".join(f"{s}%" for s in (
        precision.display_text(p, "en") for p in group.parts)))
    assert ("short of" in text or " over " in text) is not group.adds_up()
    if not group.adds_up():  # the direction said is the gap's
        assert ("short of" in text) is (group.gap() > 0)


def test_the_awards_note_reads_as_the_reviewer_asks() -> None:
    g = shares.shares_sum(["d_awards_district_share", "d_awards_commune_share"],
                          "d_awards_local_share")
    assert not g.adds_up()
    assert g.text("vi", False) == ("77,7% + 19,8% = 97,5%, thấp hơn 0,1 điểm phần trăm so "
                                   "với 97,6%, do mỗi tỷ lệ được làm tròn riêng")
    assert g.text("en", False) == ("77.7% + 19.8% = 97.5%, 0.1 percentage points short of "
                                   "97.6%, because each share is rounded separately")
    # in a page every number keeps its mark (one string per figure)
    assert set(MARK.findall(g.text("vi", True))) == {*g.parts, g.whole}


def test_a_group_that_adds_up_says_so() -> None:
    g = next(g for g in shares.share_sums() if g.adds_up())
    assert "làm tròn bằng" in g.text("vi", False) and "thấp hơn" not in g.text("vi", False)


@pytest.mark.parametrize("group", [g for g in shares.share_sums() if not g.adds_up()],
                         ids=lambda g: g.parts[0])
def test_every_page_showing_shares_that_do_not_add_up_says_so(group) -> None:
    pages = {key: text for key, text in _pages().items()
             if set(group.parts) <= set(MARK.findall(text))}
    assert pages, f"no page shows {group.parts}"
    for (name, lang), text in pages.items():
        assert group.text(lang, True) in text, f"{name} ({lang}) shows {group.parts} unsummed"
