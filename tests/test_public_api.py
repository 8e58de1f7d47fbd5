"""The small public API a notebook author needs (``dbanalysis.__all__``), and the
"your own chart" example of notebooks/README.md, run as written in a kernel."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from nbformat import v4
from site_helpers import write_notebook

import dbanalysis

REPO = Path(__file__).resolve().parents[1]
README = REPO / "notebooks" / "README.md"


def readme_example() -> str:
    """The Python block under '## Your own chart' in notebooks/README.md."""
    text = README.read_text(encoding="utf-8")
    m = re.search(r"^## Your own chart\n.*?^```python\n(.*?)^```", text, re.M | re.S)
    assert m, f"{README}: no ```python block under '## Your own chart'"
    return m.group(1)


def test_the_public_names_resolve_and_importing_the_package_stays_light() -> None:
    assert len(dbanalysis.__all__) == len(set(dbanalysis.__all__))
    for name in dbanalysis.__all__:
        assert getattr(dbanalysis, name) is not None, name
    assert set(dbanalysis.__all__) <= set(dir(dbanalysis))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        _ = dbanalysis.nope  # type: ignore[attr-defined]
    # a fresh interpreter: `import dbanalysis` imports neither pandas nor matplotlib
    code = ("import sys, dbanalysis; "
            "print(sorted(m for m in ('pandas', 'matplotlib') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, timeout=60).stdout
    assert out.strip() == "[]"


@pytest.mark.slow  # a subprocess or a kernel: not in make test-quick
def test_the_readme_example_is_five_lines_and_draws_a_chart_per_language(tmp_path) -> None:
    from dbanalysis.notebook import execute

    code = readme_example()
    assert len(code.strip().splitlines()) == 5, code
    path = write_notebook(tmp_path / "01-mine.ipynb", [v4.new_code_cell(code)])
    nb = execute.execute_notebook(path)
    from dbanalysis.notebook.bilingual import is_lab_caption

    # each chart is shown under its caption in the lab (a Markdown output the site drops)
    captions = [o for o in nb.cells[0].outputs if is_lab_caption(o)]
    assert [o.metadata["dbanalysis"]["lang"] for o in captions] == ["en", "vi"]
    outputs = [o for o in nb.cells[0].outputs if not is_lab_caption(o)]
    assert [o.output_type for o in outputs] == ["display_data", "display_data"], outputs
    assert [o.metadata["dbanalysis"]["lang"] for o in outputs] == ["en", "vi"]
    for o in outputs:
        assert "image/png" in o.data
        meta = o.metadata["dbanalysis"]
        assert "budget_revenue" in meta["figure_ids"]  # the quote behind both derived values
        assert "Budget revenue in 2015" in meta["alt"] or "năm 2015" in meta["alt"]


def test_charts_take_derived_ids_and_say_what_would_work(house_style) -> None:
    db = dbanalysis
    fig = db.value_bars(["d_budget_revenue_2015", "d_budget_revenue_plan"], title="t")
    assert fig.dbanalysis["derived_ids"] == ["d_budget_revenue_2015", "d_budget_revenue_plan"]
    assert "budget_revenue" in fig.dbanalysis["figure_ids"]  # the quotes behind them
    with pytest.raises(KeyError, match=r"did you mean 'd_budget_revenue_2015'.*figure_ids_for"):
        db.value_bars(["d_budget_revenu_2015", "d_budget_revenue_plan"])
    with pytest.raises(ValueError, match=r"a chart of one bar.*bi\.say.*two or more"):
        db.value_bars(["d_budget_revenue_2015"])
    with pytest.raises(ValueError, match=r"needs one unit.*count_bars"):
        db.value_bars(["agri_cattle", "d_budget_revenue_2015"])
