"""A worker that dies in a test fails that test and no more: the session goes on with the
other tests and ends (tests/helpers_xdist.py, the suite's pytest-xdist scheduler).

The moment of a ``make test`` that waited for ever (session 14), played on the scheduler
with stand-in workers (no process is started): of three workers, the other two are
stopping (no work was left for them), and the third dies in a test of its second module,
having finished its first and holding a third. Its replacement must be sent the tests
it had not run, but not the one it died in (reported failed already), and enough of them
to start (a worker runs a test once it knows the next one); pytest-xdist 3.8.0's own
scheduler sent it no test at all (the finished module), and the session waited.
"""

from __future__ import annotations

from types import SimpleNamespace

from helpers_xdist import CrashSafeLoadScope
from xdist.remote import Producer

#: Five modules of 3 tests; "d" is the one a worker dies in, at its second test.
TESTS = [f"tests/test_{m}.py::test_{i}" for m in "abcde" for i in range(3)]


class _Worker:
    """What the scheduler asks of a worker: the tests it was sent, and whether it was told
    to stop."""

    def __init__(self, name: str) -> None:
        self.gateway = SimpleNamespace(id=name)
        self.sent: list[str] = []
        self.shutting_down = False

    def send_runtest_some(self, indices: list[int]) -> None:
        self.sent += [TESTS[i] for i in indices]

    def shutdown(self) -> None:
        self.shutting_down = True


def _scheduler() -> CrashSafeLoadScope:
    config = SimpleNamespace(getvalue=lambda name: ["3*popen"],
                             option=SimpleNamespace(loadscopereorder=False))
    return CrashSafeLoadScope(config, Producer("sched", enabled=False))


def _done(sched: CrashSafeLoadScope, worker: _Worker, *names: str) -> None:
    for name in names:
        sched.mark_test_complete(worker, TESTS.index(f"tests/test_{name}"))


def test_a_dead_workers_replacement_runs_the_tests_it_had_not_run_and_the_session_ends():
    sched = _scheduler()
    w0, w1, w2 = workers = [_Worker(f"gw{i}") for i in range(3)]
    for w in workers:
        sched.add_node(w)
        sched.add_node_collection(w, TESTS)
    sched.schedule()
    assert [w.sent[0].split("::")[0] for w in workers] == [
        "tests/test_a.py", "tests/test_b.py", "tests/test_c.py"]
    _done(sched, w0, "a.py::test_0", "a.py::test_1", "a.py::test_2", "d.py::test_0")
    _done(sched, w1, "b.py::test_0")
    _done(sched, w2, "c.py::test_0")
    assert (w1.shutting_down, w2.shutting_down) == (True, True)  # no work left for them
    assert w0.sent == TESTS[:3] + TESTS[9:15]  # a, then d and e

    assert sched.remove_node(w0) == "tests/test_d.py::test_1"  # w0 dies there
    assert list(sched.workqueue) == ["tests/test_d.py", "tests/test_e.py"]  # not a: it ran
    w3 = _Worker("gw3")
    sched.add_node(w3)
    sched.add_node_collection(w3, TESTS)
    sched.schedule()
    assert w3.sent == ["tests/test_d.py::test_2", *TESTS[12:15]]
    _done(sched, w1, "b.py::test_1")
    _done(sched, w2, "c.py::test_1")
    _done(sched, w3, "d.py::test_2", "e.py::test_0", "e.py::test_1")
    assert sched.tests_finished  # (each worker is told to stop, and runs its last test)
