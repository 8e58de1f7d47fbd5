"""pytest-xdist's ``loadscope`` scheduling without its hangs after a worker dies.

A worker that dies in a test (tests/helpers_watchdog.py ends a process whose test hung and
could not be failed; a library that crashes the interpreter) is replaced, and the test is
reported failed ("worker 'gw0' crashed while running ..."). Under ``--dist loadscope``,
pytest-xdist 3.8.0 (its latest release) then, in ``remove_node``:

- puts back in the queue every work unit (a module's tests) the dead worker was given,
  the ones it had finished too. A replacement given a finished unit is sent no test, so it
  never reports one done, and is never given more work nor told to stop: the whole session
  waited for ever (a ``make test``, session 14: "replacing crashed worker gw0", then nothing;
  pytest-xdist issues 1323 and 1378);
- puts the test the worker died in back as not run: the replacement runs it again, dies
  again, and so on until ``--max-worker-restart`` (4 per ``-n``) is spent: twelve times two
  minutes for a test that hangs;
- gives a replacement one unit: a worker starts a test only once it knows the next one (or
  that none will come), so one given a single test while units wait in the queue and the
  other workers are stopping waits for ever (issue 1327).

Hand-written because no release has the fix (pytest-xdist's master has the first and the
last, pull requests 1324 and 1328; the second is pull request 1371, open). Drop this once a
release has all three (tests/test_xdist_crash.py says whether the session still hangs).
"""

from __future__ import annotations

from xdist.scheduler import LoadScopeScheduling
from xdist.workermanage import WorkerController


class CrashSafeLoadScope(LoadScopeScheduling):
    """``LoadScopeScheduling``, but after a worker died: only the units it had not
    finished go back in the queue, without the test it died in (reported failed once), and
    its replacement is given units until it holds two tests or none are left. The same
    units to the same workers otherwise (a run of 2,600 tests: the same tests per worker,
    ~41 ms of the controller's CPU either way)."""

    def remove_node(self, node: WorkerController) -> str | None:
        """The test ``node`` died in (None when it had none left: a normal end); its other
        tests go back in the queue."""
        workload = self.assigned_work.pop(node)
        pending = [(unit, nodeid) for unit in workload.values()
                   for nodeid, done in unit.items() if not done]
        if not pending:
            return None
        unit, crashed = pending[0]  # (the worker runs its tests in the order it was sent them)
        unit[crashed] = True  # reported failed by pytest-xdist: not run again
        self.workqueue.update((scope, unit) for scope, unit in workload.items()
                              if not all(unit.values()))
        for other in self.assigned_work:
            self._reschedule(other)
        return crashed

    def schedule(self) -> None:
        """The first units; and a worker added later (a replacement) its first ones, until
        it holds two tests. (Here, not at every test done: a worker holds fewer then only
        when no work is left; the check cost ~6 µs a test in the controller.)"""
        super().schedule()
        for node in self.nodes if self.collection else ():
            while (not node.shutting_down and self.workqueue
                   and self._pending_of(self.assigned_work[node]) < 2):
                self._assign_work_unit(node)
