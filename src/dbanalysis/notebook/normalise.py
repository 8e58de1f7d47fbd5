"""What a committed notebook looks like, and the function that makes it so.

- nbformat 4.5 (cell ids required);
- the project's kernel (:data:`KERNELSPEC`, installed into ``.venv`` by
  :mod:`dbanalysis.notebook.lab`) and the ``language_info`` its kernel reports but for
  what differs from one Python to the next (:data:`LANGUAGE_INFO_UNSTORED`: the version,
  "3.11.7"), so that a re-run on another Python writes the same file and opening and
  saving a notebook in JupyterLab changes nothing: the lab stores what the kernel
  reports, and the project's lab extension (``templates/labextension``) leaves out the
  same keys, which the lab's server extension hands it in the page config;
- cell ids derived from each cell's type and source (a hash; ``-2``, ``-3`` for
  repeats), so they are the same on every machine and every run;
- execution counts numbered 1, 2, 3, … in cell order (a cell's ``execute_result``
  outputs carry its count), as a run of the whole notebook numbers them: a cell re-run
  in the lab and saved (count 5 -> 8) is back to its number after normalising;
- no execution timestamps or view state (collapsed, scrolled, …) in cell metadata;
  tags and the project's own ``dbanalysis`` metadata kept;
- notebook metadata reduced to kernelspec, language_info, title, authors and
  ``dbanalysis`` (where the executor stamps the hash of the notebook's inputs).

:func:`normalise` is idempotent; ``make notebooks`` applies it, and a test checks
every committed notebook.
"""

from __future__ import annotations

import hashlib
from typing import Any

KERNEL_NAME = "dbanalysis"
KERNEL_DISPLAY_NAME = "Python 3 (dbanalysis)"
KERNELSPEC = {"display_name": KERNEL_DISPLAY_NAME, "language": "python", "name": KERNEL_NAME}
NBFORMAT_MINOR = 5
NOTEBOOK_METADATA_KEPT = ("kernelspec", "language_info", "title", "authors", "dbanalysis")
#: Keys of the ``language_info`` a kernel reports that a notebook does not keep: they say
#: which Python ran it ("3.11.7"), not what the notebook is, and would change the file on
#: every other Python (its outputs do not: nbval re-runs them). The executor's kernels
#: report them (this module leaves them out) and so do the lab's (the lab extension).
LANGUAGE_INFO_UNSTORED = ("version",)
CELL_METADATA_DROPPED = frozenset({
    "execution", "ExecuteTime", "collapsed", "scrolled", "trusted", "jupyter",
    "jp-MarkdownHeadingCollapsed", "heading_collapsed", "hidden", "vscode", "pycharm",
})


def language_info() -> dict[str, Any]:
    """What ipykernel reports for its language, less :data:`LANGUAGE_INFO_UNSTORED` (what
    JupyterLab with the project's lab extension stores: the same on every Python)."""
    return {
        "codemirror_mode": {"name": "ipython", "version": 3},
        "file_extension": ".py",
        "mimetype": "text/x-python",
        "name": "python",
        "nbconvert_exporter": "python",
        "pygments_lexer": "ipython3",
    }


def cell_id(cell_type: str, source: str) -> str:
    """A cell's id: a hash of its type and source."""
    return hashlib.sha256(f"{cell_type}\n{source}".encode()).hexdigest()[:12]


def normalise(nb: Any) -> Any:
    """Normalise a notebook (an ``nbformat.NotebookNode``, version 4) in place and return it."""
    from nbformat import NotebookNode

    nb.nbformat, nb.nbformat_minor = 4, NBFORMAT_MINOR
    old = nb.get("metadata", {})
    meta = {k: old[k] for k in NOTEBOOK_METADATA_KEPT if k in old}
    meta["kernelspec"] = dict(KERNELSPEC)
    meta["language_info"] = language_info()
    nb.metadata = NotebookNode(meta)
    seen: dict[str, int] = {}
    count = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.get("execution_count") is not None:
            count += 1
            cell.execution_count = count
            for output in cell.get("outputs", []):
                if output.get("output_type") == "execute_result":
                    output.execution_count = count
        source = cell.source if isinstance(cell.source, str) else "".join(cell.source)
        cell.source = source
        base = cell_id(cell.cell_type, source)
        seen[base] = seen.get(base, 0) + 1
        cell.id = base if seen[base] == 1 else f"{base}-{seen[base]}"
        cell.metadata = NotebookNode(
            {k: v for k, v in cell.get("metadata", {}).items() if k not in CELL_METADATA_DROPPED}
        )
        for output in cell.get("outputs", []):
            output.pop("transient", None)
    return nb


def normalised_text(nb: Any) -> str:
    """The file text of a normalised copy of ``nb`` (what ``make notebooks`` writes)."""
    import copy

    import nbformat

    return nbformat.writes(normalise(copy.deepcopy(nb)), version=4) + "\n"
