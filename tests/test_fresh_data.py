"""An edited data file is seen by a running kernel (the promise of notebooks/README.md):
no module reads data/ when it is imported, and every read is cached per content of the
files it reads (:mod:`dbanalysis.core.cache`), so the next call reads the edit."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pandas as pd
import pytest

import dbanalysis as db
from dbanalysis.core import paths

#: data_copy (conftest): the process's one copy of data/, put back after each test.
SHARED_DATA = True


SRC = Path(db.__file__).parent


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: {old!r} is not there once"
    path.write_text(text.replace(old, new), encoding="utf-8")


def derived_label(figure_id: str, lang: str = "en") -> str:
    return str(db.derived_figures().set_index("figure_id").loc[figure_id, f"label_{lang}"])


@pytest.mark.slow  # derives every figure again for the edited data (a few seconds)
def test_a_derived_label_edited_in_a_running_process_is_read_again(data_copy: Path) -> None:
    """The labels of the compound growth rates are data (a template of data/), read when
    the figures are derived (they were once filled in when the package was imported)."""
    before = derived_label("d_agri_cattle_cagr_4y")
    words, edited = "compound annual growth", "growth compounded yearly"
    assert words in before
    files = [p for p in data_copy.rglob("*.csv") if words in p.read_text(encoding="utf-8")]
    assert files, f"no file under data/ says {words!r}"
    for path in files:  # wherever data/ declares the wording
        path.write_text(path.read_text(encoding="utf-8").replace(words, edited),
                        encoding="utf-8")
    assert derived_label("d_agri_cattle_cagr_4y") == before.replace(words, edited)


def test_a_figure_label_edited_in_a_running_process_is_read_again(data_copy: Path) -> None:
    before = db.label("agri_cattle", "en")
    figures = data_copy / "figures.csv"
    rows = pd.read_csv(figures, dtype=str, keep_default_na=False)
    assert rows.loc[rows["figure_id"] == "agri_cattle", "label_en"].item() == before
    replace_once(figures, f",{before},", f",{before} (edited),")
    assert db.label("agri_cattle", "en") == f"{before} (edited)"
    assert db.ui_text("table.sector", "en") != "Sector (edited)"
    replace_once(data_copy / "vocab" / "labels.csv", "table.sector,Sector,",
                 "table.sector,Sector (edited),")
    assert db.ui_text("table.sector", "en") == "Sector (edited)"


def test_the_order_of_the_verdicts_edited_in_a_running_process_is_read_again(
        data_copy: Path) -> None:
    no_checks = pd.DataFrame({"verdict": [], "category": []})
    verdicts = list(db.audit_counts(no_checks))[:-2]  # then 'total' and 'sanity'
    assert verdicts == db.verdict_ids() and len(verdicts) > 2
    path = data_copy / "vocab" / "verdicts.csv"
    header, *rows = path.read_text(encoding="utf-8").splitlines(keepends=True)
    path.write_text(header + "".join(reversed(rows)), encoding="utf-8")
    assert list(db.audit_counts(no_checks))[:-2] == verdicts[::-1] == db.verdict_ids()


def run_module_code(path: Path) -> None:
    """Run a module's top level again, as a new module beside it in its package (its
    relative imports resolve to the modules already imported)."""
    package = ".".join(path.parent.relative_to(SRC.parent).parts)
    name = f"{package}.{path.stem}__fresh"
    spec = importlib.util.spec_from_file_location(name, path, submodule_search_locations=None)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module  # dataclasses look their module up
    try:
        spec.loader.exec_module(module)
    finally:
        del sys.modules[name]


def test_no_module_reads_the_data_folder_when_imported(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """Each module's top level runs without a data folder: what it reads from data/, it
    reads when called (a value built at import would keep the content of that moment)."""
    modules = sorted(p for p in SRC.rglob("*.py") if "templates" not in p.parts)
    for path in modules:  # everything a module imports is imported before data goes
        run_module_code(path)
    monkeypatch.setenv("DBANALYSIS_DATA", str(tmp_path / "no-data"))
    assert not paths.data_dir().exists()
    failed = {}
    for path in modules:
        try:
            run_module_code(path)
        except Exception as exc:  # any error: the test names the module
            failed[str(path.relative_to(SRC))] = f"{type(exc).__name__}: {exc}"
    assert failed == {}
    # and the check can fail: a module that reads a vocabulary at import
    planted = tmp_path / "planted.py"
    planted.write_text("from dbanalysis.catalogue import vocab\nVERDICTS = vocab.verdict_ids()\n")
    spec = importlib.util.spec_from_file_location("planted", planted)
    assert spec is not None and spec.loader is not None
    with pytest.raises(Exception, match="verdicts"):
        spec.loader.exec_module(importlib.util.module_from_spec(spec))
