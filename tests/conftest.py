"""Shared fixtures: tiny notebooks and one site built from them, the site of the real
notebooks and one headless Chromium, each made once per test process; the notebooks'
run on hostile data, started in the background with the site group; and the order
and grouping in which ``pytest -n 2 --dist loadscope`` hands tests to its workers."""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import helpers_gc
import pytest
from helpers_kept import on_ci

os.environ.setdefault("MPLBACKEND", "Agg")
#: The package's disk cache during the tests (inherited by their kernels and commands): a
#: folder of this user in the temp folder, not the environment's (tests write nothing
#: outside temp folders), kept between runs so that the edit loop runs warm. Its entries
#: are keyed on the code and the data, so checkouts may share it. Under CI a fresh folder
#: made by the session's first process (xdist's controller: its workers inherit it) and
#: removed at its exit: CI reads nothing an earlier run computed (REREAD-B 1).
_CI_CACHE = "DBANALYSIS_TESTS_CI_CACHE"
if os.environ.get(_CI_CACHE):
    os.environ["DBANALYSIS_CACHE"] = os.environ[_CI_CACHE]
elif on_ci():
    os.environ["DBANALYSIS_CACHE"] = os.environ[_CI_CACHE] = tempfile.mkdtemp(
        prefix="dbanalysis-tests-ci-")
    atexit.register(shutil.rmtree, os.environ[_CI_CACHE], True)
    atexit.register(shutil.rmtree, os.environ[_CI_CACHE] + "-hypothesis", True)
else:
    os.environ["DBANALYSIS_CACHE"] = os.path.join(tempfile.gettempdir(),
                                                  f"dbanalysis-tests-{os.getuid()}")
#: hypothesis' own folder (its example database, the constants it reads out of the source)
#: beside that cache, not ``.hypothesis/`` in the folder pytest runs from (the repo):
#: tests write nothing outside temp folders (test_home_alone). It reads the variable at
#: its first use of the folder, after this file is imported; under CI the folder goes
#: with the run's cache.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY",
                      os.environ["DBANALYSIS_CACHE"] + "-hypothesis")

if TYPE_CHECKING:
    from site_helpers import BuiltSite

# (the helpers, nbformat among them, are imported by the fixtures that use them: xdist's
# controller, which imports this file before it starts its workers, runs no test)

helpers_gc.start()  # (the cycle collector: tests/helpers_gc.py)


@pytest.hookimpl(trylast=True)
def pytest_unconfigure(config: pytest.Config) -> None:
    """After pytest's own check for unraisable exceptions (tests/helpers_gc.py)."""
    helpers_gc.after_unconfigure()


def pytest_configure(config: pytest.Config) -> None:
    """hypothesis' pytest plugin is loaded: ``make test`` names the suite's plugins rather
    than letting pytest load every installed one (Makefile), and without this one the
    ``@given`` tests would still run, silently without its checks (function-scoped
    fixtures in a ``@given`` test, ``@example`` or ``@settings`` without ``@given``)."""
    plugin = sys.modules.get("_hypothesis_pytestplugin")
    if plugin is None or not config.pluginmanager.is_registered(plugin):
        raise pytest.UsageError("hypothesis' pytest plugin is not loaded: add "
                                "-p hypothesispytest (see the Makefile's PYTEST_ARGS)")


#: Modules run by one worker (``pytest -n 2``), in this order, so that the fixture site,
#: the real site and Chromium are made once: everything that builds a site or opens a
#: browser on one (test_vi_edition reads the real site: in another worker it built it
#: again, ~4 s). Chromium runs from the first test of the browser modules to the last.
SITE_GROUP = ("tests/test_site.py", "tests/test_site_words.py", "tests/test_vi_edition.py",
              "tests/test_site_browser.py", "tests/test_site_reader.py",
              "tests/test_hostile_text.py")
#: JupyterLab in Chromium: no site fixture, its own scope, handed out second (to the other
#: worker: with it the site group was the long pole); run after the group without xdist.
LAB_MODULE = "tests/test_lab.py"
BROWSER_MODULES = (*SITE_GROUP[1:], LAB_MODULE)
#: Modules run by one worker, as one group: each chart is drawn once for all of them
#: (tests/helpers_charts.py caches the charts per process). Every module that reads a
#: chart of :data:`helpers_charts.CHARTS` is here: in another worker it built its own
#: copy (test_benchmarks, test_poverty_glance, test_views_b: ~0.9 s of CPU a run;
#: test_same_axes, which reads both languages of every chart: all of them built again,
#: ~4 s of CPU under ``make test-quick``; test_glance_words, Figures 0.1 and 0.2 wide in
#: both languages: ~0.45 s of CPU a ``make test``, the costliest chart drawn twice;
#: test_chart_periods, Figures 1.1 and 0.2 in both languages and 0.2 in both layouts,
#: once read by test_periods_and_reader_text in another worker: unpickled there again
#: from the group's kept copies, ~0.04 s, or, before the group had kept them, built
#: again, ~0.5 s of CPU).
CHART_GROUP = ("tests/test_plotting.py", "tests/test_charts_honest.py",
               "tests/test_chart_collisions.py", "tests/test_chart_alt_sentences.py",
               "tests/test_same_axes.py", "tests/test_benchmarks.py",
               "tests/test_poverty_glance.py", "tests/test_views_b.py",
               "tests/test_glance_words.py", "tests/test_kept_draws.py",
               "tests/test_chart_periods.py", "tests/test_chart_lines.py",
               "tests/test_chart_phone_rows.py", "tests/test_charts_glance.py",
               "tests/test_chart_measures_kept.py")
#: Modules run by one worker, as one group: each parses every module of the package, and
#: they share one parse of each (tests/helpers_sources.py; a parse of src/ is ~0.27 s of CPU).
SOURCE_GROUP = ("tests/test_coverage.py", "tests/test_docstrings.py", "tests/test_layers.py",
                "tests/test_prose_as_data.py", "tests/test_labels.py",
                "tests/test_printed_token.py")
HOSTILE_MODULE = "tests/test_hostile_text.py"
#: Handed out first, longest first, then the notebooks (2-4 s each), then the other
#: modules (under 3 s each), so that both workers end at about the same time.
FIRST = ("site", LAB_MODULE, "charts", "tests/test_bad_inputs.py", "tests/test_cli.py",
         "tests/test_output_folders.py", "tests/test_interrupts.py", "tests/test_output_paths.py",
         "tests/test_check_gate.py", "tests/test_schema.py", "tests/test_execute.py",
         "notebooks/00-at-a-glance.ipynb")


def _module(nodeid: str) -> str:
    return nodeid.split("::")[0]


def _group(nodeid: str) -> str:
    if _module(nodeid) in SITE_GROUP:
        return "site"
    if _module(nodeid) in SOURCE_GROUP:
        return "sources"
    return "charts" if _module(nodeid) in CHART_GROUP else _module(nodeid)


#: A test run again, as it is, inside another test: test_home_alone.py runs the README
#: example's test in a pytest subprocess under a fresh HOME (and fails with its output if
#: it fails). Where both are collected, the example runs only there (a kernel less).
RUN_INSIDE = {
    "tests/test_public_api.py::test_the_readme_example_is_five_lines_and_draws_a_chart_per_language":
    "tests/test_home_alone.py::test_a_test_that_runs_a_kernel_leaves_a_fresh_home_empty"}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """The longest groups first (pytest-xdist hands them out in this order); the site
    group's modules in their order; a test that another one runs (:data:`RUN_INSIDE`)
    deselected when that one is collected."""
    ids = {item.nodeid for item in items}
    inside = [item for item in items if RUN_INSIDE.get(item.nodeid) in ids]
    if inside:
        config.hook.pytest_deselected(items=inside)
        items[:] = [item for item in items if item not in inside]
    rank = {group: i for i, group in enumerate(FIRST)}
    site = {module: i for i, module in enumerate(SITE_GROUP)}

    def order(item: pytest.Item) -> tuple[int, int]:
        group = _group(item.nodeid)
        later = len(FIRST) + (0 if group.endswith(".ipynb") else 1)
        return rank.get(group, later), site.get(_module(item.nodeid), -1)

    items.sort(key=order)


def pytest_xdist_make_scheduler(config: pytest.Config, log: object) -> object:
    """pytest-xdist's ``loadscope`` (a module's tests, a notebook's cells, in one worker),
    with the site group as one scope, handed out in collection order; a worker's death
    fails its test and ends the session (tests/helpers_xdist.py)."""
    from helpers_xdist import CrashSafeLoadScope

    class Scheduler(CrashSafeLoadScope):
        def _split_scope(self, nodeid: str) -> str:
            return _group(nodeid)

    config.option.loadscopereorder = False
    return Scheduler(config, log)


def pytest_handlecrashitem(crashitem: str, report: pytest.TestReport, sched: object) -> None:
    """A worker died in ``crashitem``: where its threads were, if its watchdog ended it
    (tests/helpers_watchdog.py), in the test's report."""
    from helpers_watchdog import crash_dump

    given = getattr(report, "node", None)
    stacks = given and crash_dump(given.workerinput["testrunuid"], given.workerinput["workerid"])
    if stacks:
        report.longrepr = f"{report.longrepr}\n{stacks}"


@pytest.fixture(scope="session")
def hostile_run(tmp_path_factory: pytest.TempPathFactory):
    """Every notebook's code on hostile data (tests/helpers_hostile.py), started in the
    background: (the data, the output folder, the process). Started by the first test of
    the site group (:func:`pytest_collection_finish`), so that its ~8-11 s of CPU overlap the
    site and browser tests' waits on Chromium; test_hostile_text.py waits for it. Its
    outputs are a function of the code, the hostile data, the notebooks and the libraries:
    a run that ended well keeps them on disk, and a later session with the same inputs
    copies them and runs nothing (:class:`helpers_kept.KeptRun`; the process then a
    :class:`helpers_kept.Finished`)."""
    import subprocess
    import sys

    from helpers_hostile import make_hostile_data
    from kernel_zygote import SOCKET_VAR, script_argv

    root = tmp_path_factory.mktemp("hostile")
    data = make_hostile_data(root / "data")
    out = root / "out"
    helper = Path(__file__).with_name("helpers_hostile.py")
    # its outputs are a function of the code, the hostile data, the notebooks and the
    # libraries: an earlier run's for the same, kept on disk (helpers_kept), are copied.
    # Of this file, the key takes this function (how the run is launched: its command
    # and environment), not the whole file: an edit of the groups or another fixture
    # made the next make test run it again (~6.5 s of CPU), 57 commits of this file in
    # three days. What else here the run would depend on belongs in this function.
    # The fonts matplotlib can choose from join the key as they do the kept charts': the
    # phone layout's wrapping and the crop box are measured in them (REREAD-T 4).
    from helpers_kept import Finished, KeptRun, _fonts_key, function_source

    kept = KeptRun("hostile-run", [data, Path(__file__).parents[1] / "notebooks", helper,
                                   Path(__file__).with_name("kernel_zygote.py")],
                   extra=[function_source(Path(__file__), "hostile_run"), _fonts_key()])
    if kept.copied_to(out, root / "stderr.txt"):
        yield data, out, Finished(), root / "stderr.txt"
        return
    env = {**os.environ, "DBANALYSIS_DATA": str(data), "MPLBACKEND": "Agg"}
    # forked from the session's zygote where there is one (tests/kernel_zygote.py: the
    # interpreter, pandas, matplotlib and the package's modules already imported, none of
    # the package's code run), with this environment, folder and streams, ending as
    # Python ends (atexit, files flushed; its status, a signal's death too, the
    # launcher's); what Python and the zygote's imports read at start-up is the
    # zygote's (-X, -W, PYTHONWARNINGS, …),
    # and a fork refuses an MPLBACKEND other than the zygote's (Agg: this file's top);
    # else a process of its own
    where = os.environ.get(SOCKET_VAR, "")
    command = script_argv(where, str(helper), str(out)) if where else \
        [sys.executable, str(helper), str(out)]
    with (root / "stderr.txt").open("w", encoding="utf-8") as err:  # (a pipe could fill)
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=err)
    yield data, out, proc, root / "stderr.txt"
    if proc.poll() is None:  # its module did not run to the end (-x, a failure, Ctrl-C)
        proc.kill()
    if proc.wait() == 0:
        kept.keep(out, root / "stderr.txt")


def pytest_collection_finish(session: pytest.Session) -> None:
    """Start :func:`hostile_run` with the first test of the site group, when the session
    runs test_hostile_text.py (not under ``make test-quick``, nor ``-k`` elsewhere): it is
    named last among the fixtures of each of the group's tests, so that the first of them
    to run sets it up once its own fixtures are (the site built). Not an autouse fixture
    asking for it: pytest set that fixture up for every test of the session (with
    :func:`pytest_runtest_protocol`'s, ~70 µs of CPU a test; bench/RESULTS.md)."""
    if not any(_module(item.nodeid) == HOSTILE_MODULE for item in session.items):
        return
    for item in session.items:
        # (a parametrized function's tests share one list of names)
        if (isinstance(item, pytest.Function) and _module(item.nodeid) in SITE_GROUP
                and "hostile_run" not in item.fixturenames):
            item.fixturenames.append("hostile_run")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[object]:
    """Each test reads the repository's data folder as one version
    (:func:`dbanalysis.core.cache.steady`), from its set-up to its teardown: no test
    writes it (a test that edits data edits a copy in a temporary folder, :func:`data_copy`,
    whose files are checked on every lookup as always), so its files' status is read once
    per test, not on each of a test's cached lookups (a whole-folder check is ~0.2-0.4 ms;
    a quick run made ~8,000 of them, ~6 % of its CPU time). Every test function, not the
    notebooks' cells (run in their kernels). A hook, not an autouse fixture: pytest's
    set-up and teardown of one for each test cost CPU (see :func:`pytest_collection_finish`)."""
    if not isinstance(item, pytest.Function):
        return (yield)
    from dbanalysis.core import cache, paths

    with cache.steady(paths.data_dir()):
        return (yield)


@pytest.hookimpl(wrapper=True)
def pytest_collection(session: pytest.Session) -> Iterator[object]:
    """The test modules that read the data as they are imported (parametrized on it:
    test_shares_sum, ...) read the repository's data folder as one version too, as
    :func:`pytest_runtest_protocol`'s tests do: ~150 whole-folder checks less per worker
    (~0.04 s of CPU). Not in xdist's controller, which collects nothing."""
    if session.config.pluginmanager.has_plugin("dsession"):
        return (yield)
    from dbanalysis.core import cache, paths

    with cache.steady(paths.data_dir()):
        return (yield)


@pytest.fixture(scope="session")
def fixture_notebooks(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from site_helpers import make_fixture_notebooks

    return make_fixture_notebooks(tmp_path_factory.mktemp("nb") / "notebooks")


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory, fixture_notebooks: Path) -> BuiltSite:
    """The fixture notebooks executed (two kernels at a time, forked from the session's
    zygote where there is one: :func:`kernel_zygote.build_kernels_forked`) and built, both
    editions."""
    from kernel_zygote import build_kernels_forked
    from site_helpers import BuiltSite

    from dbanalysis.site.build import build_site

    before = {p.name: p.read_bytes() for p in fixture_notebooks.iterdir()}
    out = tmp_path_factory.mktemp("built") / "site"
    log: list[str] = []
    with build_kernels_forked():
        pages = build_site(out=out, notebooks=fixture_notebooks, jobs=2, log=log.append,
                           langs=("en", "vi"))
    return BuiltSite(out, fixture_notebooks, pages, log, before)


@pytest.fixture(scope="session")
def real_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The site of the real notebooks, both editions, from their committed outputs."""
    from browser_helpers import REAL_NOTEBOOKS

    from dbanalysis.core.paths import report_notebooks

    if not report_notebooks(REAL_NOTEBOOKS):
        pytest.skip("notebooks/ has no notebooks yet: only the fixture site was checked")
    from helpers_kept import kept_tree

    from dbanalysis.site.build import build_site

    out = tmp_path_factory.mktemp("real") / "site"
    # committed outputs (nbval proves they equal a re-run); execution is tested elsewhere.
    # Kept on disk between runs for the same code, data and notebooks (helpers_kept)
    kept_tree("real-site", [Path(REAL_NOTEBOOKS), Path(__file__)], out, lambda: build_site(
        out=out, notebooks=REAL_NOTEBOOKS, log=lambda _msg: None, execute=False,
        langs=("en", "vi")))
    return out, REAL_NOTEBOOKS


class _Chromium:
    """The test process's headless Chromium, started by the first browser test and
    stopped after the last one of :data:`BROWSER_MODULES` (playwright's sync API keeps
    an event loop marked running in this thread: a kernel started here meanwhile fails).

    It runs under a fresh, empty ``HOME`` with its profile, caches and fontconfig in a
    temporary folder (:func:`browser_helpers.private_env`); ``env`` is its environment,
    which the lab tests check stays empty."""

    playwright: Any = None
    browser: Any = None
    state: Path | None = None
    env: dict[str, str] | None = None

    @classmethod
    def start(cls) -> Any:
        if cls.browser is None:
            from browser_helpers import CHROMIUM, CHROMIUM_ARGS, private_env, require_chromium

            require_chromium()
            from playwright.sync_api import sync_playwright

            cls.state = Path(tempfile.mkdtemp(prefix="dbanalysis-chromium-"))
            cls.env = private_env(cls.state)
            cls.playwright = sync_playwright().start()
            cls.browser = cls.playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True, env=cls.env)
        return cls.browser

    @classmethod
    def stop(cls) -> None:
        if cls.browser is not None:
            try:
                cls.browser.close()
            finally:
                cls.playwright.stop()
                cls.browser = cls.playwright = None
                if cls.state is not None:
                    shutil.rmtree(cls.state, ignore_errors=True)
                cls.state = cls.env = None


@pytest.fixture
def chromium_env() -> dict[str, str] | None:
    """The environment the running Chromium was started with (None: not started)."""
    return _Chromium.env


@pytest.fixture
def browser() -> object:
    """One headless Chromium (playwright) for the browser modules: the site visits and
    test_hostile_text load their pages in the tabs :func:`browser_helpers.visit_tab`
    keeps, one context per width, shared between them; test_lab opens its own context
    (the lab's page)."""
    return _Chromium.start()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Stop Chromium after the last test of the browser modules; after the last test,
    pytest's check for unraisable exceptions (tests/helpers_gc.py)."""
    if nextitem is None or _module(nextitem.nodeid) not in BROWSER_MODULES:
        _Chromium.stop()
    result = yield
    if nextitem is None:
        helpers_gc.last_check(item.config)
    return result


#: The thread deleting older runs' temporary folders (:func:`pytest_sessionstart`).
_OLD_RUNS: list[threading.Thread] = []


@pytest.hookimpl(trylast=True)
def pytest_sessionstart(session: pytest.Session) -> None:
    """Delete the temporary folders of older runs now, in a thread, rather than at the end.

    pytest keeps the numbered temporary folders of the last three runs and deletes older
    ones when a run ends, in the process that made them (xdist's controller), after its
    workers have ended: a ``make test-quick`` leaves ~4,300 files, whose deletion waits
    1.3-3 s on this machine's disk (ext4 mounted with ``discard``; 0.08 s of CPU), at the
    end of the run's wall. The same cleanup (pytest's own, with its retention count and
    its locks: a folder another run holds is left alone) runs here while the workers run
    the tests, and the one at the end finds nothing left. Only in xdist's controller
    (it makes the run's folder for its workers anyway; a run in one process makes one
    only if a test asks for one, and its workers are given theirs), not with
    ``--basetemp``."""
    config = session.config
    if config.option.basetemp or not config.pluginmanager.has_plugin("dsession"):
        return
    from _pytest.pathlib import LOCK_TIMEOUT, cleanup_numbered_dir

    basetemp = config._tmp_path_factory.getbasetemp()  # (made now if not yet: this run's)
    keep = int(config.getini("tmp_path_retention_count"))
    if config.getini("tmp_path_retention_policy") == "none":
        keep = 0
    dead_before = basetemp.stat().st_mtime - LOCK_TIMEOUT

    def clean() -> None:
        # best effort, as pytest's own (another run may be cleaning at the same time):
        # what is left, the cleanup at the end deletes, as it did before
        with contextlib.suppress(Exception):
            cleanup_numbered_dir(root=basetemp.parent, prefix="pytest-", keep=keep,
                                 consider_lock_dead_if_created_before=dead_before)

    thread = threading.Thread(target=clean, name="old pytest folders", daemon=True)
    thread.start()
    _OLD_RUNS.append(thread)


@pytest.hookimpl(tryfirst=True)
def pytest_sessionfinish(session: pytest.Session) -> None:
    _Chromium.stop()
    for thread in _OLD_RUNS:
        thread.join()


@pytest.fixture
def house_style():
    """The house style in English, restored to English afterwards."""
    from dbanalysis import plotting as pl

    pl.use_house_style()
    pl.set_language("en")
    yield
    pl.set_language("en")


@pytest.fixture(scope="session")
def shared_data(tmp_path_factory: pytest.TempPathFactory):
    """One copy of data/ for the test process (tests/helpers_data.py), at one path, for
    every module with ``SHARED_DATA``: put back after each test, so the package's reads of
    its files hold for the next module too (a copy each: 2-6 s of CPU more, bench/RESULTS.md)."""
    from helpers_data import SharedData

    from dbanalysis.core import paths

    # the repository's data/, whatever DBANALYSIS_DATA says when the first module asks
    return SharedData(paths.REPO_DATA, tmp_path_factory.mktemp("shared") / "data")


@pytest.fixture
def data_copy(request: pytest.FixtureRequest, monkeypatch):
    """A private copy of data/ that DBANALYSIS_DATA points at (for tests that edit it).

    In a module that sets ``SHARED_DATA = True`` (its tests damage a file or two), the
    process's one copy, always at the same path, put back after each test: the package
    then reads again only the damaged files, not every file of a fresh copy. Only a
    fresh copy makes the test's ``tmp_path`` (262 empty folders a run, ~0.3 ms each)."""
    import shutil

    from dbanalysis.core import paths

    if getattr(request.module, "SHARED_DATA", False):
        shared = request.getfixturevalue("shared_data")
        monkeypatch.setenv("DBANALYSIS_DATA", str(shared.path))
        yield shared.path
        shared.restore()
        return
    dst = request.getfixturevalue("tmp_path") / "data"
    # the bytes only (copyfile, not copy2's times, modes and extended attributes: ~15 %
    # of a copy's CPU, and quick makes ~460 copies; a test that needs a mode sets it)
    shutil.copytree(paths.data_dir(), dst, copy_function=shutil.copyfile)
    monkeypatch.setenv("DBANALYSIS_DATA", str(dst))
    yield dst
