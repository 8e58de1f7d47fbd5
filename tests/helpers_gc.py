"""Python's cycle collector in the test processes (called by tests/conftest.py's hooks).

- The first threshold is 10,000 allocations, not 700 (:func:`start`). A worker holds
  300,000-500,000 tracked objects (the package's cached frames, drawn charts, parsed
  pages), so the default made 12-15 full collections per worker and run, ~1.5-3 s of CPU
  each; at 10,000 a worker makes one besides the checks at the end, for ~50 MB more at the
  peak. Only when cycles are collected changes, not whether.
- The collector is off while the session starts and collects, till the collection
  has finished (:func:`collected`): what a worker imports and collects then (~218,000
  objects: pandas, matplotlib, the package, 2,600 test items) lives to the end, and the
  ~30 young collections that went through it took ~0.15 s of CPU per worker. It is then
  frozen, so that the run's full collections skip it (~0.12 s each).
- After the process's last test and the teardown of every fixture, everything goes back
  to the collector, every cycle is collected and pytest's check for unraisable exceptions
  made, failing that teardown (:func:`last_check`). Made only at ``pytest_unconfigure``
  (pytest's own place), a finaliser's exception found there ended an xdist worker after
  it had told the controller it was done, and the run passed. Then the heap is frozen:
  pytest's own check at ``pytest_unconfigure`` and its second one, in the config's
  cleanup, go through only what pytest made since, not the 300,000-500,000 objects a
  worker holds (0.3-0.7 s per worker each, at the end of the run's wall).
- At exit (pytest has returned), the objects left are frozen, so that Python's own final
  collections skip the heap: they took ~0.8 s per worker, at the end of the run's wall
  (xdist waits for its workers to end). Nothing left can be reported then.
"""

from __future__ import annotations

import atexit
import gc

import pytest

#: :func:`last_check` was made in this process.
_CHECKED: list[bool] = []


def start() -> None:
    """At the import of tests/conftest.py, in every pytest process."""
    gc.set_threshold(10_000)
    gc.disable()
    atexit.register(gc.freeze)


def collected() -> None:
    """The collection has finished: what was made so far frozen, the collector on."""
    gc.freeze()
    gc.enable()


def controller() -> None:
    """xdist's controller, which collects no test (its workers do): the collector on."""
    gc.enable()


def last_check(config: pytest.Config) -> None:
    """After the last test's teardown: every cycle collected, those of objects made before
    the tests too, and what that found reported (pytest's own check for unraisable
    exceptions: ``collect_unraisable``, which raises it), then the heap frozen."""
    from _pytest.unraisableexception import collect_unraisable

    gc.unfreeze()
    gc.collect()
    gc.freeze()
    _CHECKED.append(True)
    if config.pluginmanager.has_plugin("unraisableexception"):  # (not under -p no:...)
        collect_unraisable(config)


def before_unconfigure() -> None:
    """Before pytest's check at ``pytest_unconfigure``: unless :func:`last_check` was made
    (not after ``-x`` or an interrupt), what :func:`collected` froze goes back to the
    collector, so that pytest's check goes through every object, as it did."""
    if not _CHECKED:
        gc.unfreeze()
    gc.enable()


def after_unconfigure() -> None:
    """pytest's check has reported what it found: the heap frozen, so that its second
    collection, in the config's cleanup, goes through only what pytest made since."""
    gc.freeze()
