"""No page points the reader to itself (review vi6 V14).

A pointer such as "(xem mục Hiệu chỉnh, trang Số liệu và phương pháp)" is right on the
agriculture page and wrong on the Data and method page, where the reader already is: there
it reads "(xem mục Hiệu chỉnh dưới đây)". The rule is checked on what each executed
notebook shows (its outputs, which become the page) and on its prose cells, in both
languages: no text names the page's own title as "the … page" / "trang …".
"""

from __future__ import annotations

import json
import re

import pytest

from dbanalysis.core.paths import REPO_ROOT, report_notebooks
from dbanalysis.render import tables

#: The repo's notebooks/ (not the folder beside data_dir(): empty when the data is
#: elsewhere, and each test below then ran on no notebook).
NOTEBOOKS = report_notebooks(REPO_ROOT / "notebooks")


def test_the_report_notebooks_are_found():
    assert NOTEBOOKS, f"no report notebook in {REPO_ROOT / 'notebooks'}"


def _titles(nb: dict) -> dict[str, str]:
    """The page's title in each language: the first heading of its lang-en / lang-vi cell."""
    out = {}
    for cell in nb["cells"]:
        tags = cell.get("metadata", {}).get("tags", [])
        src = "".join(cell["source"])
        for lang in ("en", "vi"):
            if f"lang-{lang}" in tags and lang not in out and src.startswith("# "):
                out[lang] = src[2:].splitlines()[0].strip()
    return out


def _shown_text(nb: dict) -> str:
    """Every text a reader may see: markdown sources and every output's text."""
    parts = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            parts.append("".join(cell["source"]))
        for out in cell.get("outputs", []):
            for value in out.get("data", {}).values():
                parts.append(value if isinstance(value, str) else "".join(value)
                             if isinstance(value, list) else json.dumps(value, ensure_ascii=False))
            parts.append("".join(out.get("text", "")))
    return "\n".join(parts)


def self_pointers(text: str, titles: dict[str, str]) -> list[str]:
    """The phrases of ``text`` that send the reader to the page titled ``titles``."""
    pats = [rf"(?:on )?the {re.escape(titles['en'])} page", rf"trang {re.escape(titles['vi'])}"]
    return [m.group(0) for p in pats for m in re.finditer(p, text, re.IGNORECASE)]


def test_the_rule_finds_a_pointer_to_the_page_itself():
    titles = {"en": "Data and method", "vi": "Số liệu và phương pháp"}
    assert self_pointers("(xem mục Hiệu chỉnh, trang Số liệu và phương pháp)", titles)
    assert self_pointers("(see Corrections on the Data and method page)", titles)
    assert not self_pointers("(xem mục Hiệu chỉnh dưới đây)", titles)
    assert not self_pointers("(xem trang kiểm tra số liệu)", titles)


def test_the_method_page_derived_table_points_below_not_to_itself():
    for lang in ("en", "vi"):
        here = str(tables.derived(["d_agri_poultry_corrected"], lang, on_method_page=True))
        there = str(tables.derived(["d_agri_poultry_corrected"], lang))
        label = {"en": "Data and method", "vi": "Số liệu và phương pháp"}[lang]
        assert label in there and label not in here


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_page_points_to_itself(path):
    nb = json.loads(path.read_text("utf-8"))
    titles = _titles(nb)
    assert set(titles) == {"en", "vi"}, path.name
    found = self_pointers(_shown_text(nb), titles)
    assert not found, f"{path.name} points to itself: {sorted(set(found))}"
