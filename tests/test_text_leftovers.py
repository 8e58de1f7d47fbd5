"""Small reader-facing forms (QA-1450 item 10): an estimate before its number reads
“estimated …” in English; our own Vietnamese names join two words with the en dash the
site uses (“công nghiệp – tiểu thủ công nghiệp”), the report's words keeping their hyphen."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import nbformat

from dbanalysis.views.text import figure_text

ROOT = Path(__file__).resolve().parents[1]
#: A hyphen between two words with a space on each side (a line break counts as a space).
SPACED_HYPHEN = re.compile(r"(?<=[^\W\d_]) -[ \n](?=[^\W\d_])")
#: Columns that hold the report's own words, kept as printed.
VERBATIM_COLUMNS = {"quote", "pick", "example", "text_vi_quote"}


def test_an_estimate_before_its_number_reads_estimated() -> None:
    assert figure_text("trade_turnover", "en").startswith("estimated ")
    assert figure_text("trade_turnover", "vi").startswith("ước ")


def _our_texts() -> list[tuple[str, str]]:
    out = []
    for path in sorted((ROOT / "data").rglob("*.csv")):
        with path.open(encoding="utf-8", newline="") as f:
            for n, row in enumerate(csv.DictReader(f), 2):
                out += [(f"{path.relative_to(ROOT)}:{n} {col}", text)
                        for col, text in row.items()
                        if col not in VERBATIM_COLUMNS and isinstance(text, str)]
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        out += [(f"{path.name} cell {i}", c.source) for i, c in enumerate(nb.cells)]
    return out


def test_our_own_text_joins_words_with_an_en_dash() -> None:
    found = [(where, text[max(0, m.start() - 25):m.end() + 25])
             for where, text in _our_texts() for m in SPACED_HYPHEN.finditer(text)]
    assert not found, found


def test_a_quote_shows_the_mark_its_note_sets_on_every_page() -> None:
    """00-at-a-glance shows the report's words without the Notes block: the quote cell
    carries the note's mark after the same words (declared once, labels note.mark.sic)."""
    from dbanalysis.core import labels
    from dbanalysis.render.tables import figures

    for lang in ("en", "vi"):
        mark = labels.text("note.mark.sic", lang)
        html = figures(["budget_revenue_vs_plan", "edu_basic_completion"], lang).html
        assert f'đồngđạt <span class="db-sic">{mark}</span> 102' in html
        assert f'tiểu học <span class="db-sic">{mark}</span>,' in html
        nb = nbformat.read(ROOT / "notebooks" / "00-at-a-glance.ipynb", as_version=4)
        shown = "".join(str(o.get("data", {}).get("text/html", ""))
                        for c in nb.cells for o in c.get("outputs", [])
                        if o.get("metadata", {}).get("dbanalysis", {}).get("lang") == lang)
        assert f'đồngđạt <span class="db-sic">{mark}</span>' in shown


def test_every_note_is_shown_where_its_figure_is() -> None:
    """A figure's note is in a Notes table on some page (emul_pm_movements' was on none:
    its sector has no page of its own; 00-at-a-glance shows the figure and its note)."""
    from dbanalysis.catalogue.figures import load_figures

    figs = load_figures()
    noted = set(figs.loc[figs["note"].fillna("") != "", "figure_id"])
    in_notes = set()
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        for c in nb.cells:
            for o in c.get("outputs", []):
                html = str(o.get("data", {}).get("text/html", ""))
                if "dbtable-notes" in html:
                    in_notes |= set(re.findall(r'source\.html#f-([a-z0-9_]+)"', html))
    assert noted <= in_notes, sorted(noted - in_notes)
