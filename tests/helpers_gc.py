"""Python's cycle collector in the test processes (called by tests/conftest.py's hooks).

- The first threshold is 10,000 allocations, not 700 (:func:`start`). A worker holds
  300,000-1,000,000 tracked objects (the package's cached frames, drawn charts, parsed
  pages), so the default made 12-15 full collections per worker and run, ~1.5-3 s of CPU
  each; at 10,000 a worker made one or two besides the checks at the end (0.3-0.6 s each),
  for ~50 MB more at the peak. The third threshold is 1,000 gen-1 collections, not 10:
  no full collection before the last check (:func:`last_check`), which makes one anyway;
  the young collections still free the cycles of what a test made and dropped, and the
  last check frees and reports the rest (a cycle that died in the oldest generation, a
  module's fixture torn down). A make test: 3 such collections fewer, ~0.7 s of CPU;
  workers' peak RSS 589/445/444 MB against 391/701/377 (another split of the modules).
  Only when cycles are collected changes, not whether.
- After the process's last test and the teardown of every fixture, every cycle is
  collected and pytest's check for unraisable exceptions made, failing that teardown
  (:func:`last_check`). Made only at ``pytest_unconfigure`` (pytest's own place), a
  finaliser's exception found there ended an xdist worker after it had told the
  controller it was done, and the run passed. Then the heap is frozen: pytest's own check
  at ``pytest_unconfigure`` (which runs it again where the last test's teardown did not
  come: ``-x``, an interrupt) goes through only what pytest made since, not the
  300,000-1,000,000 objects a worker holds (0.3-0.7 s per worker, at the end of the run's
  wall), and so does its second one, in the config's cleanup (:func:`after_unconfigure`).
- At exit (pytest has returned), the objects left are frozen, so that Python's own final
  collections skip the heap: they took ~0.8 s per worker, at the end of the run's wall
  (xdist waits for its workers to end). Nothing left can be reported then.
"""

from __future__ import annotations

import atexit
import gc

import pytest


def start() -> None:
    """At the import of tests/conftest.py, in every pytest process."""
    gc.set_threshold(10_000, 10, 1_000)
    atexit.register(gc.freeze)


def last_check(config: pytest.Config) -> None:
    """After the last test's teardown: every cycle collected and what that found reported
    (pytest's own check for unraisable exceptions, ``collect_unraisable``, which raises
    it), then the heap frozen."""
    from _pytest.unraisableexception import collect_unraisable

    gc.collect()
    gc.freeze()
    if config.pluginmanager.has_plugin("unraisableexception"):  # (not under -p no:...)
        collect_unraisable(config)


def after_unconfigure() -> None:
    """pytest's check at ``pytest_unconfigure`` has reported what it found: the heap
    frozen, so that its second collection, in the config's cleanup, goes through only
    what pytest made since."""
    gc.freeze()
