"""Shared fixtures: tiny notebooks and one site built from them for the whole session."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ.setdefault("MPLBACKEND", "Agg")

from site_helpers import BuiltSite, make_fixture_notebooks


@pytest.fixture(scope="session")
def fixture_notebooks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_fixture_notebooks(tmp_path_factory.mktemp("nb") / "notebooks")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, fixture_notebooks: Path) -> BuiltSite:
    from dbanalysis.site import build_site

    before = {p.name: p.read_bytes() for p in fixture_notebooks.iterdir()}
    out = tmp_path_factory.mktemp("built") / "site"
    log: list[str] = []
    pages = build_site(out=out, notebooks=fixture_notebooks, jobs=2, log=log.append,
                       langs=("en", "vi"))
    return BuiltSite(out, fixture_notebooks, pages, log, before)


@pytest.fixture
def house_style():
    """The house style in English, restored to English afterwards."""
    from dbanalysis import plotting as pl

    pl.use_house_style()
    pl.set_language("en")
    yield
    pl.set_language("en")


@pytest.fixture
def data_copy(tmp_path, monkeypatch):
    """A private copy of data/ that DBANALYSIS_DATA points at (for tests that edit it)."""
    import shutil

    from dbanalysis import paths

    dst = tmp_path / "data"
    shutil.copytree(paths.data_dir(), dst)
    monkeypatch.setenv("DBANALYSIS_DATA", str(dst))
    return dst
