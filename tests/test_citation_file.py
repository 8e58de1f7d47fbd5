"""LICENSE and CITATION.cff agree with pyproject, the package version and the sidecar."""

from __future__ import annotations

import tomllib

import yaml

from dbanalysis import __version__
from dbanalysis.catalogue.source import citation
from dbanalysis.core import paths

ROOT = paths.REPO_ROOT


def test_licence_file_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["license"] == {"text": "MIT"}
    assert "version" in project["dynamic"] and "version" not in project
    assert (ROOT / "LICENSE").read_text(encoding="utf-8").startswith("MIT License")


def test_citation_file_cites_package_and_article_from_the_sidecar() -> None:
    cff = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["type"] == "software" and cff["license"] == "MIT"
    assert str(cff["version"]) == __version__
    (article,) = cff["references"]
    c = citation()
    assert article["title"] == c.title
    assert article["publisher"]["name"] == c.publisher("vi")
    assert str(article["date-published"]) == c.date.isoformat()
    (author,) = article["authors"]
    assert f"{author['family-names']} {author['given-names']}" == c.author_name
    assert c.author == f"{c.author_name} - {author['affiliation']}"
    assert c.title_en in " ".join(article["notes"].split())
