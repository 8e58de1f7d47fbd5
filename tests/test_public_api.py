"""The public API a notebook author needs (``dbanalysis.__all__``): every name resolves,
is documented in notebooks/README.md, and is all the report's notebooks use of the
package; and the "your own chart" example of notebooks/README.md, run as written in a
kernel."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from collections.abc import Iterable
from pathlib import Path

import pytest
from nbformat import v4
from site_helpers import write_notebook

import dbanalysis
from dbanalysis.core import paths

REPO = Path(__file__).resolve().parents[1]
README = REPO / "notebooks" / "README.md"
API_MODULE = REPO / "src" / "dbanalysis" / "_api.py"
PUBLIC = frozenset(dbanalysis.__all__) - {"__version__"}


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
    with pytest.raises(ValueError, match=r"a chart of one bar.*db\.say.*two or more"):
        db.value_bars(["d_budget_revenue_2015"])
    with pytest.raises(ValueError, match=r"needs one unit.*count_bars"):
        db.value_bars(["agri_cattle", "d_budget_revenue_2015"])


def api_imports() -> set[str]:
    """The names ``dbanalysis._api`` imports (what the package re-exports)."""
    tree = ast.parse(API_MODULE.read_text(encoding="utf-8"))
    return {a.asname or a.name for node in tree.body if isinstance(node, ast.ImportFrom)
            and node.module != "__future__" for a in node.names}


def test_the_public_names_are_the_ones_the_api_module_imports() -> None:
    assert api_imports() == PUBLIC
    for name in PUBLIC:  # the same object, whichever way it is reached
        assert getattr(dbanalysis, name) is getattr(dbanalysis._api, name), name


def test_every_public_name_is_documented_in_the_notebook_readme() -> None:
    documented = set(re.findall(r"\bdb\.(\w+)", README.read_text(encoding="utf-8")))
    assert sorted(PUBLIC - documented) == [], f"{README}: not documented"
    assert sorted(documented - PUBLIC) == [], f"{README}: documents names that are not public"


def api_problems(cells: Iterable[str], public: Iterable[str] = PUBLIC) -> list[str]:
    """Where code cells use the package other than as ``import dbanalysis [as db]`` and
    its public names (``db.<name>``, ``from dbanalysis import <name>``)."""
    from IPython.core.inputtransformer2 import TransformerManager  # ~0.1 s: not at collection

    public = set(public)
    trees = [ast.parse(TransformerManager().transform_cell(c)) for c in cells]
    aliases: set[str] = set()
    problems = []
    for n, tree in enumerate(trees, 1):
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                for a in node.names:
                    if a.name == "dbanalysis":
                        aliases.add(a.asname or a.name)
                    elif a.name.startswith("dbanalysis."):
                        problems.append(f"code cell {n}: import {a.name}")
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and (
                    node.module.split(".")[0] == "dbanalysis"):
                if node.module != "dbanalysis":
                    problems.append(f"code cell {n}: from {node.module} import ...")
                problems += [f"code cell {n}: from dbanalysis import {a.name}"
                             for a in node.names
                             if node.module == "dbanalysis" and a.name not in public]
    for n, tree in enumerate(trees, 1):
        problems += [f"code cell {n}: {node.value.id}.{node.attr}" for node in ast.walk(tree)
                     if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                     and node.value.id in aliases and node.attr not in public]
    return problems


def test_the_report_notebooks_import_only_the_public_api() -> None:
    found = {}
    for path in paths.report_notebooks(REPO / "notebooks"):
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
        assert any("import dbanalysis as db" in c for c in cells), path.name
        if problems := api_problems(cells):
            found[path.name] = problems
    assert found == {}


@pytest.mark.parametrize(("cell", "problem"), [
    ("from dbanalysis.render import tables", "from dbanalysis.render import"),
    ("import dbanalysis.plotting as pl", "import dbanalysis.plotting"),
    ("from dbanalysis import plotting", "from dbanalysis import plotting"),
    ("import dbanalysis as db\n_ = db.plotting.value_bars", "db.plotting"),
    ("%matplotlib inline\nimport dbanalysis\ndbanalysis.views.text.sentence('')",
     "dbanalysis.views"),
])
def test_the_notebook_check_sees_each_way_around_the_public_api(cell: str, problem: str) -> None:
    assert any(problem in p for p in api_problems([cell])), api_problems([cell])
    assert api_problems(["import dbanalysis as db", "db.show(lambda lang: db.figures_table('x'))",
                         "from dbanalysis import say\nsay(en='', vi='')"]) == []
