"""Where the project's data lives.

The package is installed in editable mode from a src layout, so the data folder
is found relative to this file. ``DBANALYSIS_DATA`` overrides it (tests use this
to point at temporary copies).
"""

from __future__ import annotations

import functools
import os
import re
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]
#: The report's notebooks are named ``NN-<topic>.ipynb``; any other notebook in their
#: folder (the lab's ``Untitled.ipynb``, a scratch notebook) is not built, published or
#: tested, and git ignores it (``.gitignore``, ``notebooks/conftest.py``, ``Makefile``
#: say the same).
REPORT_NOTEBOOK = re.compile(r"\d\d-[^/\\]+\.ipynb")


def is_report_notebook(path: str | os.PathLike[str]) -> bool:
    """Whether ``path`` names one of the report's notebooks (``NN-<topic>.ipynb``)."""
    return REPORT_NOTEBOOK.fullmatch(Path(path).name) is not None


def report_notebooks(folder: str | os.PathLike[str]) -> list[Path]:
    """The report's notebooks in ``folder``, sorted (:data:`REPORT_NOTEBOOK`)."""
    return sorted(p for p in Path(folder).glob("*.ipynb")
                  if p.is_file() and is_report_notebook(p))


#: The repository's data folder, the one this code came with (``DBANALYSIS_DATA`` aside).
REPO_DATA = REPO_ROOT / "data"
_DATA = REPO_DATA


def data_dir() -> Path:
    """The data folder (``DBANALYSIS_DATA`` or ``data/`` of the repository)."""
    env = os.environ.get("DBANALYSIS_DATA")
    return _DATA if env is None else _path(env)


@functools.lru_cache(maxsize=64)
def _path(name: str) -> Path:
    """``Path(name)``, made once per name (:func:`data_dir` runs on every cached lookup,
    the extractor's thousands per text; a Path is immutable, so one object can be shared)."""
    return Path(name)


#: The report this project catalogued; its hand-written audit checks are for it alone.
REFERENCE_REPORT = "dien-bien-thi-dua-2015-2020"


def raw_report_path() -> Path:
    """The raw report text: the Điện Biên report, or the one ``raw/*.txt`` of a data
    folder drafted for another report (``dbanalysis draft``)."""
    raw = data_dir() / "raw"
    default = raw / f"{REFERENCE_REPORT}.txt"
    if not default.exists() and raw.is_dir():
        texts = sorted(raw.glob("*.txt"))
        if len(texts) == 1:
            return texts[0]
    return default


def raw_meta_path() -> Path:
    """The raw report's metadata sidecar (``<name>.meta.json`` beside ``<name>.txt``)."""
    report = raw_report_path()
    return report.with_name(report.name.removesuffix(".txt") + ".meta.json")


def is_reference_report() -> bool:
    """Whether the data folder holds the Điện Biên report (the audit's hand-written checks
    apply to it alone)."""
    return raw_report_path().name == f"{REFERENCE_REPORT}.txt"


def figures_path() -> Path:
    """The figure catalogue (``figures.csv``)."""
    return data_dir() / "figures.csv"


def exclusions_path() -> Path:
    """The declared non-statistic numbers (``coverage_exclusions.csv``)."""
    return data_dir() / "coverage_exclusions.csv"


def corrections_path() -> Path:
    """The known errors of the source (``corrections.csv``)."""
    return data_dir() / "corrections.csv"


def vocab_dir() -> Path:
    """The vocabularies folder (``data/vocab``)."""
    return data_dir() / "vocab"
