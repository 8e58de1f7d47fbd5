"""nbval settings for the notebooks.

nbval skips image/png when comparing outputs unless nbdime is used. Our plots are
deterministic (fixed dpi and size, no PNG metadata, locked library versions, the
font bundled with matplotlib), so we compare them too: a chart that changes on
re-execution fails the test just as a changed number does.
"""


def pytest_collectstart(collector):
    if getattr(collector, "fspath", None) and collector.fspath.ext == ".ipynb":
        collector.skip_compare = tuple(k for k in collector.skip_compare if k != "image/png")
