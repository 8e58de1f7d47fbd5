"""Helpers shared by the site tests: tiny notebooks and the built-site record.

Kept out of conftest.py so test modules import them by a name no other conftest
(e.g. notebooks/conftest.py) shadows.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import nbformat
from nbformat import v4

VIET = "Điện Biên: ố ồ ả ữ ặ"


def write_notebook(path: Path, cells: list) -> Path:
    nb = v4.new_notebook()
    nb.cells = cells
    nbformat.write(nb, path)
    return path


def make_fixture_notebooks(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "data.csv").write_text("xã,giá_trị\nThanh Nưa,1.5\nNúa Ngam,2.0\n", encoding="utf-8")
    write_notebook(
        folder / "01-viet.ipynb",
        [
            v4.new_markdown_cell(
                "# Phong trào thi đua Điện Biên\n\n"
                "> Tiêu đề: số liệu ố ồ ả ữ ặ của huyện Điện Biên được kiểm tra.\n\n"
                "Prose with Vietnamese: **Điện Biên** ố ồ ả ữ ặ."
            ),
            v4.new_code_cell(
                "%matplotlib inline\n"
                "import os\n"
                "import sys\n"
                "import matplotlib.pyplot as plt\n"
                "import pandas as pd\n"
                "print('executable', sys.executable)\n"
                "print('cwd', os.getcwd())\n"
                "print('MPLBACKEND', os.environ.get('MPLBACKEND'))"
            ),
            v4.new_code_cell(
                "df = pd.read_csv('data.csv')  # relative to the notebooks folder\n"
                "df['nhãn'] = ['ố ồ ả', 'ữ ặ Điện Biên']\n"
                "df"
            ),
            v4.new_code_cell(f"print({VIET!r})"),
            v4.new_code_cell(
                "fig, ax = plt.subplots(figsize=(4, 3))\n"
                "ax.bar(df['xã'], df['giá_trị'])\n"
                "ax.set_title('Điện Biên ố ồ ả')\n"
                "plt.show()"
            ),
            v4.new_markdown_cell(
                "## Kết luận\n\nSee the [next page](02-plain.html) and the [index](index.html)."
            ),
        ],
    )
    write_notebook(
        folder / "02-plain.ipynb",
        [
            v4.new_markdown_cell("# Plain notebook"),
            v4.new_markdown_cell("## Not a headline"),
            v4.new_markdown_cell("The headline of the plain notebook.\n\nSecond paragraph."),
            v4.new_code_cell("secret_input_marker = 6 * 7\nsecret_input_marker"),
        ],
    )
    write_notebook(folder / "03-bilingual.ipynb", bilingual_cells())
    return folder


def lang_md(source: str, lang: str) -> object:
    cell = v4.new_markdown_cell(source)
    cell.metadata["tags"] = [f"lang-{lang}"]
    return cell


#: The lede of the bilingual fixture page, per language (filled from the catalogue).
LEDE = {"en": "Fixture lede: the herd is {agri_cattle}.",
        "vi": "Tóm tắt mẫu: tổng đàn là {agri_cattle}."}
ALT = {"en": "Fixture chart: cattle herd", "vi": "Biểu đồ mẫu: tổng đàn trâu bò"}


def bilingual_cells() -> list:
    """A page in both languages: paired markdown, a lede cell, a chart with alt text."""
    lede = v4.new_code_cell(
        "from dbanalysis.notebook import bilingual as bi\n"
        f"bi.say(en={LEDE['en']!r}, vi={LEDE['vi']!r})"
    )
    lede.metadata["tags"] = ["lede"]
    return [
        lang_md("# Bilingual page\n\nEnglish first paragraph, not the lede.", "en"),
        lang_md("# Trang song ngữ\n\nĐoạn đầu tiếng Việt, không phải tóm tắt.", "vi"),
        lede,
        v4.new_code_cell(
            "from matplotlib.figure import Figure\n"
            "def chart(lang):\n"
            "    fig = Figure(figsize=(3, 2))\n"
            "    fig.add_subplot().bar(['a', 'b'], [1, 2])\n"
            f"    fig.dbanalysis = {{'alt': {ALT!r}[lang], 'figure_ids': ['agri_cattle']}}\n"
            "    return fig\n"
            "bi.show(chart)"
        ),
        lang_md("Count cell: [the cattle herd](source.html#f-agri_cattle).", "en"),
        lang_md("Ô đếm: [tổng đàn trâu bò](source.html#f-agri_cattle).", "vi"),
    ]


@dataclass
class BuiltSite:
    out: Path
    notebooks: Path
    pages: list
    log: list[str]
    notebook_bytes: dict[str, bytes]


#: Every kind of place a derived-number mark (``.db-derived``: dashed, focusable, its
#: formula in data-tip) sits in on the real site, as a CSS selector, and the page where
#: the browser test taps the first one of each (both editions:
#: test_site_reader.test_derived_numbers_show_their_formula_on_a_tap_and_from_the_keyboard).
#: test_site_words.test_every_derived_number_leads_to_its_formula reads every page and
#: fails on a mark in no place listed here (or a place its page lacks): a new place is
#: then tapped in the browser too.
DERIVED_PLACES = {
    # the front page: a finding's sentence, a card's lede, a card's bold number
    "li.db-finding p > .db-derived": "index.html",
    ".db-card .db-lede p > .db-derived": "index.html",
    ".db-card .db-lede p > strong > .db-derived": "index.html",
    # a notebook's prose: a paragraph, a list item, a bold number (QA-1945 R1: page 04)
    ".jp-RenderedMarkdown > p > .db-derived": "04-labour-jobs-poverty.html",
    ".jp-RenderedMarkdown li > .db-derived": "04-labour-jobs-poverty.html",
    ".jp-RenderedMarkdown p > strong > .db-derived": "11-awards.html",
    # an audit explanation, in a list item and in a paragraph
    ".jp-RenderedMarkdown li > .db-explain > .db-derived": "07-health.html",
    ".jp-RenderedMarkdown p > .db-explain > .db-derived": "12-audit.html",
    # a table cell (on a phone a table is one card per row): derived figures, notes, audit
    "table.dbtable-derived td > .db-derived": "04-labour-jobs-poverty.html",
    "table.dbtable-notes td > .db-derived": "04-labour-jobs-poverty.html",
    "table.dbtable-audit td > .db-derived": "12-audit.html",
}
