"""Caches keyed on content: an edited data file is read again, whatever its mtime; the
parsed catalogue, derived figures and audit are shared between processes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from helpers_data import rewrite_keeping_mtime
from kernel_zygote import command

from dbanalysis.catalogue import vocab
from dbanalysis.catalogue.figures import load_figures
from dbanalysis.core import cache

#: data_copy (conftest): the process's one copy of data/, put back after each test (a
#: fresh copy per test, at a new path, was copied and its files read anew each time).
SHARED_DATA = True




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


def test_derived_and_audit_follow_an_edited_corrections_file(data_copy):
    """The tests' shared disk cache (tests/conftest.py), as every test that edits a
    data copy: its entries are keyed on the content of the data and the code, so the
    edited file's derived figures and audit are computed on the first run of this code
    and read back on the next (an empty cache of its own computed them on every run,
    ~0.5 s of CPU); a key that missed the edit (the file's size and mtime are kept)
    finds the entries of the unedited data, and the values below do not follow."""
    from dbanalysis.notebook import sectorview as sv
    from dbanalysis.views.audit import audit_frame

    fid = "d_agri_poultry_corrected"
    before = sv.derived_value(fid)
    audit_before = audit_frame()
    rewrite_keeping_mtime(data_copy / "corrections.csv", ",agri_poultry * 1000000,",
                          ",agri_poultry * 1000001,")
    assert sv.derived_value(fid) == pytest.approx(before * 1.000001, rel=1e-12) != before
    assert audit_frame() is not audit_before


def _shared_in_another_process(folder: Path, name: str, build_code: str,
                               then: str = "") -> subprocess.CompletedProcess:
    """``cache.shared(name, <build_code>)`` printed by another process, with none of the
    package's code run before (its memory holds nothing of this process's caches), then
    ``then`` run there: a script in ``folder``, forked from the session's kernel zygote
    where there is one (tests/kernel_zygote.py ``command``: the interpreter, pandas and
    the package's modules already imported, none of its code run, its caches empty),
    else a fresh interpreter."""
    script = folder / "other_process.py"
    script.write_text("from dbanalysis.core import cache\n"
                      "def build():\n"
                      f"    {build_code}\n"
                      f"print(cache.shared({name!r}, build))\n{then}", encoding="utf-8")
    return subprocess.run(command([sys.executable, str(script)]), env=dict(os.environ),
                          capture_output=True, text=True, timeout=300)


@pytest.mark.slow  # a subprocess or a kernel: not in make test-quick
def test_shared_cache_is_read_by_another_process_and_holds_the_catalogue(
        tmp_path, tmp_path_factory, monkeypatch):
    """What one process put in the shared cache another one reads instead of building it
    (this process writes, another process, none of the package's code run before,
    reads); the parsed catalogue is put there (one entry: the other process loads the
    catalogue too, a process less than one of its own)."""
    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path))
    assert cache.shared("probe_processes", lambda: "built by this process") == \
        "built by this process"
    other = _shared_in_another_process(
        tmp_path_factory.mktemp("script"), "probe_processes",
        "raise SystemExit('built again instead of read from the shared cache')",
        then=("from dbanalysis.catalogue.figures import load_figures\n"
              "print(len(load_figures()))\n"))
    assert other.returncode == 0, other.stderr
    read, figures = other.stdout.splitlines()
    assert read == "built by this process"
    assert int(figures) == len(load_figures()), other.stderr
    assert len(list(tmp_path.glob("figures-*.pickle"))) == 1


def test_unwritable_cache_folder_only_turns_the_disk_cache_off(tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    monkeypatch.setenv("DBANALYSIS_CACHE", str(blocker / "sub"))
    calls = []
    assert cache.shared("probe_unwritable", lambda: calls.append(1) or 42) == 42
    assert cache.shared("probe_unwritable", lambda: calls.append(1) or 42) == 42
    assert calls == [1]  # the second from memory


def _stale_entries(folder, name: str, count: int, mtime: int, size: int = 0) -> None:
    """``count`` entries of ``name`` of ``size`` bytes for other data versions, last used
    from ``mtime`` on (one second apart)."""
    for i in range(count):
        path = folder / f"{name}-variant{i}.pickle"
        path.write_bytes(b"x" * size)
        os.utime(path, (mtime + i, mtime + i))


def test_the_tests_cache_is_in_the_temp_folder():
    """(Not the environment's folder: tests write nothing outside temp folders.)"""
    assert cache.cache_dir().resolve().is_relative_to(Path(tempfile.gettempdir()).resolve())


def test_the_least_recently_used_entries_go_first_whatever_their_name(tmp_path, monkeypatch):
    """The cache holds at most KEEP_BYTES, not a number of entries per name (with 8 per
    name a run of the tests, some 110 data variants, pushed out the last run's entries;
    and the prefix of ``derived`` also pruned the entries of ``derived-inputs``)."""
    monkeypatch.setenv("DBANALYSIS_CACHE", str(tmp_path))
    monkeypatch.setattr(cache, "KEEP_BYTES", 10_000)
    _stale_entries(tmp_path, "probe_lru", 6, 1_000_000_000, size=1_000)
    _stale_entries(tmp_path, "probe_lru-inputs", 6, 1_000_000_100, size=1_000)
    assert cache.shared("probe_lru", lambda: "new") == "new"
    kept = sorted(p.name for p in tmp_path.glob("*.pickle"))
    (new,) = [n for n in kept if "variant" not in n]
    assert new.startswith("probe_lru-")
    # the most recent entries that fit beside the new one (a few bytes): the six of the
    # other name (used last) and the three last used of its own
    assert sorted(n for n in kept if n != new) == sorted(
        [f"probe_lru-inputs-variant{i}.pickle" for i in range(6)]
        + [f"probe_lru-variant{i}.pickle" for i in (3, 4, 5)])
    assert sum(p.stat().st_size for p in tmp_path.glob("*.pickle")) <= 10_000


def test_a_cache_folder_others_may_write_is_not_used(tmp_path, monkeypatch):
    """A pickle runs code when loaded: a folder another user could write is neither
    read nor written (the disk cache is off)."""
    folder = tmp_path / "shared"
    folder.mkdir()
    folder.chmod(0o777)
    monkeypatch.setenv("DBANALYSIS_CACHE", str(folder))
    assert cache.shared("probe_open", lambda: 42) == 42
    assert list(folder.iterdir()) == []


def test_pruning_keeps_the_entry_in_use(data_copy, tmp_path, monkeypatch):
    """The catalogue of the real data, read by every kernel, outlives a run of data
    variants (as the test suite makes) written after it."""
    cache_dir = tmp_path / "cache"
    monkeypatch.setenv("DBANALYSIS_CACHE", str(cache_dir))
    assert cache.shared("probe_in_use", lambda: "real") == "real"
    (entry,) = cache_dir.glob("probe_in_use-*.pickle")
    os.utime(entry, (1_000_000_000, 1_000_000_000))  # written long ago
    _stale_entries(cache_dir, "probe_in_use", 8, 1_500_000_000, size=1_000)  # since
    # room for seven of them beside the two small entries (the real and the edited)
    monkeypatch.setattr(cache, "KEEP_BYTES", 7 * 1_000 + 2 * entry.stat().st_size + 8)
    # a kernel reads the entry (a use): a process whose memory does not hold it, here
    # this one with its memory emptied (reading across processes: the test above) ...
    monkeypatch.setattr(cache, "_memory", {})
    assert cache.shared("probe_in_use", lambda: pytest.fail("built again")) == "real"
    # ... then the data changes and a new entry is written, pruning the least recently used
    rewrite_keeping_mtime(data_copy / "vocab" / "units.csv", "\nha,ha,", "\nha,hx,")
    assert cache.shared("probe_in_use", lambda: "edited") == "edited"
    names = {p.name for p in cache_dir.glob("probe_in_use-*.pickle")}
    assert len(names) == 9
    assert entry.name in names
    assert "probe_in_use-variant0.pickle" not in names


@pytest.mark.parametrize("name", ["__pycache__", ".ipynb_checkpoints"])
def test_bytecode_and_checkpoints_are_not_content(tmp_path, name):
    (tmp_path / "a.py").write_text("x = 1")
    base = cache.content_hash([tmp_path])
    (tmp_path / name).mkdir()
    (tmp_path / name / "a.cpython-311.pyc").write_bytes(b"junk")
    assert cache.content_hash([tmp_path]) == base
    (tmp_path / "a.py").write_text("x = 2")
    assert cache.content_hash([tmp_path]) != base


def test_a_folder_is_hashed_again_reading_only_its_changed_file(tmp_path, monkeypatch):
    """``fresh_content_hash`` of a folder is ``content_hash`` of it; after one file changes
    (its size kept) the new hash reads that file alone, and a file moved into another's
    place is read again too. (The files are dated in 2001: an edit now changes their time
    whatever the clock's resolution.)"""
    for name in ("a.csv", "b.csv", "sub/c.csv"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(f"{name},1\n")
        os.utime(tmp_path / name, ns=(10**18, 10**18))
    assert cache.fresh_content_hash([tmp_path]) == cache.content_hash([tmp_path])
    opened: list[str] = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda p, *a, **k: opened.append(os.fspath(p))
                        or real_open(p, *a, **k))
    (tmp_path / "sub" / "c.csv").write_text("sub/c.csv,2\n")
    changed = cache.fresh_content_hash([tmp_path])
    assert opened == [str(tmp_path / "sub" / "c.csv")]
    assert changed == cache.content_hash([tmp_path])  # (which reads every file)
    opened.clear()
    (tmp_path / "b.tmp").write_text("b.csv,2\n")  # same size, same modification time:
    os.utime(tmp_path / "b.tmp", ns=(10**18, 10**18))  # its inode and change time differ
    os.replace(tmp_path / "b.tmp", tmp_path / "b.csv")
    moved = cache.fresh_content_hash([tmp_path])
    assert opened == [str(tmp_path / "b.csv")]
    assert moved == cache.content_hash([tmp_path]) != changed


def test_a_changed_file_alone_is_read_again_when_the_held_hashes_overflow(tmp_path, monkeypatch):
    """The hashes held are dropped when they are many (other folders hashed in between, as
    in a long test run): the next re-hash of a folder after one file changed still reads
    that file alone (a flaky ``test_a_folder_is_hashed_again_reading_only_its_changed_file``
    once read all three: it came after 256 other hashes in its worker)."""
    data = tmp_path / "data"
    for name in ("a.csv", "b.csv"):
        (data / name).parent.mkdir(exist_ok=True)
        (data / name).write_text(f"{name},1\n")
        os.utime(data / name, ns=(10**18, 10**18))  # (2001: the rewrite's time differs)
    cache.fresh_content_hash([data])
    for i in range(300):  # more folders than the hashes held
        (tmp_path / f"other{i}.csv").write_text(f"{i}\n")
        cache.fresh_content_hash([tmp_path / f"other{i}.csv"])
    opened: list[str] = []
    real_open = open
    monkeypatch.setattr("builtins.open", lambda p, *a, **k: opened.append(os.fspath(p))
                        or real_open(p, *a, **k))
    (data / "b.csv").write_text("b.csv,2\n")
    assert cache.fresh_content_hash([data]) == cache.content_hash([data])
    assert opened[0] == str(data / "b.csv") and opened.count(str(data / "a.csv")) == 1


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


def test_a_steady_folder_is_checked_once_and_another_one_always(data_copy, tmp_path):
    """``steady(folder)``: within the block a file under ``folder`` is taken as unchanged
    (what the test suite does around each test for the repository's data folder, which no
    test writes), while any other data folder is checked on every lookup: an edit of a
    copy is read at once, inside the block too; the steady folder's edit is read after it."""
    other = tmp_path / "other"
    shutil.copytree(data_copy, other)
    with cache.steady(data_copy):
        assert vocab.unit_label("ha") == "ha"
        rewrite_keeping_mtime(data_copy / "vocab" / "units.csv", "\nha,ha,", "\nha,hx,")
        assert vocab.unit_label("ha") == "ha"  # the steady folder: one version in the block
        with pytest.MonkeyPatch.context() as mp:
            mp.setenv("DBANALYSIS_DATA", str(other))
            assert vocab.unit_label("ha") == "ha"
            rewrite_keeping_mtime(other / "vocab" / "units.csv", "\nha,ha,", "\nha,hy,")
            assert vocab.unit_label("ha") == "hy"  # any other folder: seen at once
    assert vocab.unit_label("ha") == "hx"


def test_ci_reuses_nothing_the_tests_kept(tmp_path, monkeypatch):
    """REREAD-B 1: under CI (``CI`` true, as ``.ci/run`` sets it) the charts and trees an
    earlier run kept are neither read nor written; outside CI the same kept file is read.
    (The package's disk cache is then a fresh folder too: conftest.py.)"""
    from helpers_kept import KeptRun, keep, on_ci, read_kept

    folder = tmp_path / "kept"
    folder.mkdir(mode=0o700)
    path = folder / "x.pickle"
    monkeypatch.delenv("CI", raising=False)
    assert not on_ci()
    keep(path, {"en": b"1"})
    assert read_kept(path) == {"en": b"1"}
    for value in ("true", "1", "yes"):
        monkeypatch.setenv("CI", value)
        assert on_ci() and read_kept(path) is None, value
        keep(folder / "new" / "y.pickle", {"en": b"2"})
        assert not (folder / "new").exists()  # not even its folder
        run = KeptRun.__new__(KeptRun)
        run.name, run.path = "t", folder / "trees" / "t-0"
        (run.path / "out").mkdir(parents=True)
        (run.path / "stderr.txt").write_text("", encoding="utf-8")
        assert not run.copied_to(tmp_path / f"out-{value}", tmp_path / "err.txt")
        shutil.rmtree(run.path.parent)
        run.path = folder / "trees2" / "t-0"
        run.keep(tmp_path / "kept", tmp_path / "err.txt")
        assert not run.path.parent.exists()
