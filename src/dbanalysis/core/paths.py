"""Where the project's data lives.

The package is installed in editable mode from a src layout, so the data folder
is found relative to this file. ``DBANALYSIS_DATA`` overrides it (tests use this
to point at temporary copies).
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[3]


def data_dir() -> Path:
    """The data folder (``DBANALYSIS_DATA`` or ``data/`` of the repository)."""
    return Path(os.environ.get("DBANALYSIS_DATA", REPO_ROOT / "data"))


def raw_report_path() -> Path:
    """The raw report text."""
    return data_dir() / "raw" / "dien-bien-thi-dua-2015-2020.txt"


def raw_meta_path() -> Path:
    """The raw report's metadata sidecar."""
    return data_dir() / "raw" / "dien-bien-thi-dua-2015-2020.meta.json"


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
