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
    pages = build_site(out=out, notebooks=fixture_notebooks, jobs=2, log=log.append)
    return BuiltSite(out, fixture_notebooks, pages, log, before)
