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


def _shared_in_another_process(name: str, build_code: str) -> subprocess.CompletedProcess:
    """``cache.shared(name, <build_code>)`` printed by a fresh interpreter (empty memory)."""
    code = ("from dbanalysis.core import cache\n"
            "def build():\n"
            f"    {build_code}\n"
            f"print(cache.shared({name!r}, build))\n")
    return subprocess.run([sys.executable, "-c", code], env=dict(os.environ),
                          capture_output=True, text=True)


@pytest.mark.slow  # a subprocess or a kernel: not in make test-quick
def test_shared_cache_is_read_by_another_process(tmp_path, monkeypatch):
    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path))
    first = _shared_in_another_process("probe_processes", "return 'built by the first process'")
    assert first.returncode == 0, first.stderr
    again = _shared_in_another_process(
        "probe_processes", "raise SystemExit('built again instead of read from the shared cache')")
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == "built by the first process"


@pytest.mark.slow  # a subprocess or a kernel: not in make test-quick
def test_the_catalogue_is_shared(tmp_path, monkeypatch):
    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path))
    code = "from dbanalysis.catalogue.figures import load_figures\nprint(len(load_figures()))\n"
    out = subprocess.run([sys.executable, "-c", code], env=dict(os.environ),
                         capture_output=True, text=True)
    assert int(out.stdout) == len(load_figures()), out.stderr
    assert len(list(tmp_path.glob("figures-*.pickle"))) == 1


def test_unwritable_cache_folder_only_turns_the_disk_cache_off(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DBANALYSIS_CACHE", str(blocker / "sub"))
    calls = []
    assert cache.shared("probe_unwritable", lambda: calls.append(1) or 42) == 42
    assert cache.shared("probe_unwritable", lambda: calls.append(1) or 42) == 42
    assert calls == [1]  # the second from memory


def _stale_entries(folder, name: str, count: int, mtime: int) -> None:
    """``count`` entries of ``name`` for other data versions, last used from ``mtime``."""
    for i in range(count):
        path = folder / f"{name}-variant{i}.pickle"
        path.write_bytes(b"")
        os.utime(path, (mtime + i, mtime + i))


def test_old_entries_are_pruned(tmp_path, monkeypatch):
    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path))
    _stale_entries(tmp_path, "probe_pruned", cache.KEEP_PER_NAME + 3, 1_000_000_000)
    assert cache.shared("probe_pruned", lambda: "new") == "new"
    names = {p.name for p in tmp_path.glob("probe_pruned-*.pickle")}
    assert len(names) == cache.KEEP_PER_NAME
    assert {f"probe_pruned-variant{i}.pickle" for i in range(4)}.isdisjoint(names)  # oldest


@pytest.mark.slow  # a subprocess or a kernel: not in make test-quick
def test_pruning_keeps_the_entry_in_use(data_copy, tmp_path, monkeypatch):
    """The catalogue of the real data, read by every kernel, outlives a run of data
    variants (as the test suite makes) written after it."""
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("DBANALYSIS_CACHE", str(cache_dir))
    assert cache.shared("probe_in_use", lambda: "real") == "real"
    (entry,) = cache_dir.glob("probe_in_use-*.pickle")
    os.utime(entry, (1_000_000_000, 1_000_000_000))  # written long ago
    _stale_entries(cache_dir, "probe_in_use", cache.KEEP_PER_NAME, 1_500_000_000)  # since
    # a kernel reads the entry (a use) ...
    read = _shared_in_another_process("probe_in_use", "raise SystemExit('built again')")
    assert read.stdout.strip() == "real", read.stderr
    # ... then the data changes and a new entry is written, pruning the least recently used
    rewrite_keeping_mtime(data_copy / "vocab" / "units.csv", "\nha,ha,", "\nha,hx,")
    assert cache.shared("probe_in_use", lambda: "edited") == "edited"
    names = {p.name for p in cache_dir.glob("probe_in_use-*.pickle")}
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
    real_stat = os.stat
    stats: list[str] = []
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: stats.append(os.fspath(p))
                        or real_stat(p, *a, **k))

    def stats_for(lookups: int) -> list[str]:
        stats.clear()
        with cache.one_reading():
            for _ in range(lookups):
                assert vocab.unit_label("km") == "km"
        return [s for s in stats if s.startswith(str(data_copy))]

    stats_for(1)  # read and hashed the first time
    once = stats_for(1)
    assert once and stats_for(50) == once  # 50 lookups stat each data file as 1 does
    with cache.one_reading():
        assert vocab.unit_label("ha") == "ha"
        rewrite_keeping_mtime(data_copy / "vocab" / "units.csv", "\nha,ha,", "\nha,hx,")
        assert vocab.unit_label("ha") == "ha"  # one version within the block
    assert vocab.unit_label("ha") == "hx"
