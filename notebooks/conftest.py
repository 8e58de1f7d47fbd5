"""nbval settings for the notebooks.

Only the report's notebooks (``NN-<topic>.ipynb``, :func:`dbanalysis.core.paths.is_report_notebook`)
are collected: an ``Untitled.ipynb`` the lab saved or a scratch notebook beside them is
neither tested nor published.

nbval skips image/png when comparing outputs unless nbdime is used. Our plots are
deterministic (fixed dpi and size, no PNG metadata, locked library versions, the
font bundled with matplotlib), so we compare them too: a chart that changes on
re-execution fails the test just as a changed number does.
"""

from pathlib import Path

from dbanalysis.core.paths import is_report_notebook


def pytest_ignore_collect(collection_path: Path, config):
    if collection_path.suffix == ".ipynb" and not is_report_notebook(collection_path):
        return True
    return None


def pytest_collectstart(collector):
    if getattr(collector, "fspath", None) and collector.fspath.ext == ".ipynb":
        collector.skip_compare = tuple(k for k in collector.skip_compare if k != "image/png")
