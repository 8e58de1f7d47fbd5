"""Caches keyed on content: an edited data file is read again, whatever its mtime; the
parsed catalogue, derived figures and audit are shared between processes."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from dbanalysis.catalogue import vocab
from dbanalysis.catalogue.figures import load_figures
from dbanalysis.core import cache


def rewrite_keeping_mtime(path, old: str, new: str) -> None:
    st = path.stat()
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def test_edited_vocabulary_is_read_again_even_with_the_same_mtime(data_copy):
    assert vocab.unit_label("ha") == "ha"
    rewrite_keeping_mtime(data_copy / "vocab" / "units.csv", "\nha,ha,", "\nha,hx,")
    assert vocab.unit_label("ha") == "hx"


def test_edited_catalogue_is_parsed_again_even_with_the_same_mtime(data_copy, tmp_path,
                                                                   monkeypatch):
    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path / "cache"))
    figs = load_figures()
    fid, label = figs.iloc[0]["figure_id"], figs.iloc[0]["label_en"]
    rewrite_keeping_mtime(data_copy / "figures.csv", f",{label},", f",{label} (edited),")
    assert load_figures().set_index("figure_id").loc[fid, "label_en"] == f"{label} (edited)"


def test_derived_and_audit_follow_an_edited_corrections_file(data_copy, tmp_path, monkeypatch):
    from dbanalysis.notebook import sectorview as sv
    from dbanalysis.views.audit import audit_frame

    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path / "cache"))
    fid = "d_agri_poultry_corrected"
    before = sv.derived_value(fid)
    audit_before = audit_frame()
    rewrite_keeping_mtime(data_copy / "corrections.csv", ",agri_poultry * 1000000,",
                          ",agri_poultry * 1000001,")
    assert sv.derived_value(fid) == pytest.approx(before * 1.000001, rel=1e-12) != before
    assert audit_frame() is not audit_before


def test_shared_cache_is_read_by_another_process(tmp_path, monkeypatch):
    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path))
    monkeypatch.setattr(cache, "_memory", {})
    figs = load_figures()
    pickles = sorted(p.name for p in tmp_path.glob("figures-*.pickle"))
    assert len(pickles) == 1
    code = (
        "from dbanalysis.core import cache\nfrom dbanalysis.catalogue import figures as catalog\n"
        "import pickle, sys\n"
        "def fail(*a):\n"
        "    raise SystemExit('parsed again instead of read from the shared cache')\n"
        "catalog._load = fail\n"
        "print(len(catalog.load_figures()))\n"
    )
    env = {**os.environ, "DBANALYSIS_CACHE": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    assert int(out.stdout) == len(figs)


def test_unwritable_cache_folder_only_turns_the_disk_cache_off(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DBANALYSIS_CACHE", str(blocker / "sub"))
    calls = []
    assert cache.shared("probe", lambda: calls.append(1) or 42) == 42
    assert cache.shared("probe", lambda: calls.append(1) or 42) == 42
    assert calls == [1]  # the second from memory


def test_old_entries_are_pruned(tmp_path, monkeypatch):
    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path))
    for i in range(cache.KEEP_PER_NAME + 3):
        cache._write(tmp_path / f"probe-{i}.pickle", i, "probe")
    assert len(list(tmp_path.glob("probe-*.pickle"))) == cache.KEEP_PER_NAME


def test_pruning_keeps_the_entry_in_use(tmp_path, monkeypatch):
    """The catalogue of the real data, read by every kernel, outlives a run of data
    variants (as the test suite makes) written after it."""
    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path))
    cache._memory.clear()
    first = cache.shared("probe", lambda: "real")
    (entry,) = tmp_path.glob("probe-*.pickle")
    os.utime(entry, (1_000_000_000, 1_000_000_000))  # written long ago
    for i in range(cache.KEEP_PER_NAME + 3):
        cache._memory.clear()
        assert cache.shared("probe", lambda: "rebuilt") == first  # read from disk: a use
        cache._write(tmp_path / f"probe-variant{i}.pickle", i, "probe")
    names = {p.name for p in tmp_path.glob("probe-*.pickle")}
    assert len(names) == cache.KEEP_PER_NAME
    assert entry.name in names


@pytest.mark.parametrize("name", ["__pycache__", ".ipynb_checkpoints"])
def test_bytecode_and_checkpoints_are_not_content(tmp_path, name):
    (tmp_path / "a.py").write_text("x = 1")
    base = cache.content_hash([tmp_path])
    (tmp_path / name).mkdir()
    (tmp_path / name / "a.cpython-311.pyc").write_bytes(b"junk")
    assert cache.content_hash([tmp_path]) == base
    (tmp_path / "a.py").write_text("x = 2")
    assert cache.content_hash([tmp_path]) != base


def test_one_reading_checks_each_file_once_and_sees_edits_after_it(data_copy, monkeypatch):
    """Inside ``one_reading`` the data folder's files are stat-ed once however many cached
    lookups are made; an edit made meanwhile is read by the next call after the block."""
    calls = []
    real_status = cache._status
    monkeypatch.setattr(cache, "_status", lambda root: calls.append(root) or real_status(root))
    with cache.one_reading():
        for _ in range(50):
            assert vocab.unit_label("ha") == "ha"
        assert calls and len(calls) == len(set(calls)), calls  # each once, not 50 times
        rewrite_keeping_mtime(data_copy / "vocab" / "units.csv", "\nha,ha,", "\nha,hx,")
        assert vocab.unit_label("ha") == "ha"  # one version within the block
    assert vocab.unit_label("ha") == "hx"
