"""One notebook, two languages: outputs tagged per language, editions, pairing problems."""

from __future__ import annotations

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from dbanalysis.core.language import get_language, set_language, using
from dbanalysis.notebook import bilingual as bi


def _md(text: str, lang: str | None):
    cell = new_markdown_cell(text)
    if lang:
        cell.metadata["tags"] = [f"lang-{lang}"]
    return cell


def test_using_restores_the_language_even_after_an_error():
    set_language("en")
    with pytest.raises(RuntimeError), using("vi"):
        assert get_language() == "vi"
        raise RuntimeError
    assert get_language() == "en"
    with pytest.raises(ValueError, match="fr"):
        set_language("fr")


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    """A small bilingual notebook executed in a real kernel on this interpreter: an
    IPython kernel forked from the session's zygote where there is one
    (:func:`kernel_zygote.build_kernels_forked`: ``python -m dbanalysis.notebook.kernel``, the
    folder and environment the executor gives, ~1 s of CPU less); what is under test is
    what ``bi.say`` and ``bi.show`` display in a kernel, not how a kernel starts."""
    from kernel_zygote import build_kernels_forked

    from dbanalysis.notebook.execute import execute_notebook

    nb = new_notebook(cells=[
        _md("# Title", "en"), _md("# Tiêu đề", "vi"),
        new_code_cell(
            "from dbanalysis.notebook import bilingual as bi\n"
            "from matplotlib.figure import Figure\n"
            "from dbanalysis.core.language import get_language\n"
            "bi.say(en='Cattle: {agri_cattle}.', vi='Đàn trâu bò: {agri_cattle}.')"),
        new_code_cell(
            "def chart(lang):\n"
            "    fig = Figure()\n"
            "    fig.add_subplot().set_title(get_language())\n"
            "    fig.dbanalysis = {'alt': 'alt ' + lang, 'figure_ids': ['agri_cattle']}\n"
            "    return fig\n"
            "bi.show(chart)"),
        new_code_cell(
            "def titled(lang):\n"
            "    fig = chart(lang)\n"
            "    fig.dbanalysis.update(title='Herd <b>' + lang, subtitle='head', source='Src')\n"
            "    return fig\n"
            "bi.show(titled)"),
        new_code_cell("print('both')"),
    ])
    path = tmp_path_factory.mktemp("bilingual") / "t.ipynb"
    nbformat.write(nb, path)
    with build_kernels_forked():
        return execute_notebook(path)


@pytest.mark.slow  # runs a kernel: not in make test-quick
def test_say_displays_one_markdown_output_per_language_in_its_notation(executed):
    outs = executed.cells[2].outputs
    assert [bi.output_lang(o) for o in outs] == ["en", "vi"]
    en, vi = (o["data"]["text/markdown"] for o in outs)
    assert en.startswith("Cattle: ") and vi.startswith("Đàn trâu bò: ")
    # the same figure in each language's notation: English groups with ",", Vietnamese with "."
    assert "," in en.split(":")[1] and "." in vi.split(":")[1] and en != vi


@pytest.mark.slow  # runs a kernel: not in make test-quick
def test_show_tags_charts_with_language_alt_text_and_ids(executed):
    outs = executed.cells[3].outputs
    assert [bi.output_lang(o) for o in outs] == ["en", "vi"]
    for out, lang in zip(outs, ("en", "vi"), strict=True):
        assert "image/png" in out["data"]
        meta = out["metadata"][bi.META_KEY]
        assert meta == {"lang": lang, "alt": f"alt {lang}", "figure_ids": ["agri_cattle"]}
    # the chart was drawn with its language current: the two images differ
    assert outs[0]["data"]["image/png"] != outs[1]["data"]["image/png"]


@pytest.mark.slow  # runs a kernel: not in make test-quick
def test_edition_keeps_one_language_and_the_untagged_cells(executed):
    vi = bi.edition(executed, "vi")
    assert [c.source for c in vi.cells if c.cell_type == "markdown"] == ["# Tiêu đề"]
    assert all(bi.output_lang(o) in (None, "vi") for c in vi.cells for o in c.get("outputs", []))
    assert vi.cells[-1].outputs[0]["text"] == "both\n"
    assert vi.metadata[bi.META_KEY]["lang"] == "vi"
    assert len(executed.cells) == 6  # the original is not changed
    nbformat.validate(vi)
    with pytest.raises(ValueError):
        bi.edition(executed, "fr")


@pytest.mark.slow  # runs a kernel: not in make test-quick
def test_a_titled_chart_has_its_caption_above_it_in_the_lab_and_not_on_the_site(executed):
    """The image carries no title (the site writes it as the figure's caption); in the lab
    a Markdown caption per language stands above the chart, escaped, and the editions
    (the site's pages) drop it."""
    outs = executed.cells[4].outputs
    kinds = [("caption" if bi.is_lab_caption(o) else "chart", bi.output_lang(o)) for o in outs]
    assert kinds == [("caption", "en"), ("chart", "en"), ("caption", "vi"), ("chart", "vi")]
    assert outs[0]["data"]["text/markdown"] == "**Herd &lt;b>en**  \nhead  \n*Src*"
    assert "image/png" in outs[1]["data"]
    for lang in ("en", "vi"):
        kept = bi.edition(executed, lang).cells[4].outputs
        assert [bi.is_lab_caption(o) for o in kept] == [False]


@pytest.mark.slow  # runs a kernel: not in make test-quick
def test_a_well_paired_notebook_has_no_problems(executed):
    assert bi.problems(executed) == []


@pytest.mark.slow  # runs a kernel: not in make test-quick
def test_problems_names_every_unpaired_cell_and_output(executed):
    nb = nbformat.from_dict(nbformat.v4.new_notebook())
    nb.cells = [
        _md("no tag", None),
        _md("english alone", "en"),
        new_code_cell("x"),
        _md("vietnamese alone", "vi"),
        executed.cells[3].copy(),
    ]
    nb.cells[4].outputs = nb.cells[4].outputs[:1]
    found = bi.problems(nb)
    assert len(found) == 4, found
    assert "cell 0" in found[0] and "without a lang-en or lang-vi tag" in found[0]
    assert "cell 1" in found[1] and "not followed" in found[1]
    assert "cell 3" in found[2] and "not preceded" in found[2]
    assert "cell 4" in found[3] and "1 en, 0 vi" in found[3]


def test_md_table_escapes_pipes_and_line_breaks_and_aligns_numbers():
    from dbanalysis.views.text import md_table

    table = md_table(["label", "n"], [["a | b\nc", 3], ["d", 40]], right=(1,)).data
    lines = table.splitlines()
    assert lines[1] == "| :--- | ---: |"
    assert lines[2] == "| a \\| b c | 3 |"  # one row, still two columns
    import re

    assert all(len(re.findall(r"(?<!\\)\|", line)) == 3 for line in lines)  # 2 columns
