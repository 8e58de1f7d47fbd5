"""Every catalogued figure is shown by at least one notebook (issue: sector notebooks)."""

import json

import pytest

from dbanalysis.catalogue.figures import load_figures
from dbanalysis.core import paths

NOTEBOOKS = paths.report_notebooks(paths.REPO_ROOT / "notebooks")


def _notebook_text(nb_path):
    nb = json.loads(nb_path.read_text("utf-8"))
    parts = []
    for cell in nb["cells"]:
        parts.append("".join(cell["source"]))
        for out in cell.get("outputs", []):
            parts.append("".join(out.get("text", "")))
            for mime, data in out.get("data", {}).items():
                if mime.startswith("text/"):
                    parts.append("".join(data) if isinstance(data, list) else data)
    return "\n".join(parts)


@pytest.mark.skipif(not NOTEBOOKS, reason="no notebooks yet")
def test_every_figure_appears_in_a_notebook():
    shown = "\n".join(_notebook_text(p) for p in NOTEBOOKS)
    missing = [f for f in load_figures()["figure_id"] if f not in shown]
    assert missing == [], f"figures in no notebook: {missing}"


def test_notebooks_are_committed_executed_with_outputs_and_no_stderr():
    for nb_path in NOTEBOOKS:
        nb = json.loads(nb_path.read_text("utf-8"))
        code = [c for c in nb["cells"] if c["cell_type"] == "code"]
        assert code, f"{nb_path.name}: no code"
        assert all(c.get("execution_count") for c in code), f"{nb_path.name}: not executed"
        assert any(c.get("outputs") for c in code), f"{nb_path.name}: no outputs"
        for c in code:
            for out in c.get("outputs", []):
                assert out.get("name") != "stderr", f"{nb_path.name}: stderr output"
                assert out["output_type"] != "error", f"{nb_path.name}: error output"
