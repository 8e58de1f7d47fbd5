"""A Ctrl-C or SIGTERM stops a build at once, whichever of its threads the system hands
the signal to (the build waits on notebooks that run in worker threads)."""

from __future__ import annotations

import concurrent.futures as cf
import signal
import threading
import time

import pytest

from dbanalysis.core.atomic import result

#: A notebook that runs this long (s) stands for one that runs for minutes.
LONG = 5.0


@pytest.fixture
def python_sigint():
    """Python's own Ctrl-C handler, whatever the test runner installed."""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, old)


def _wait_for_a_long_job_interrupted_in_a_worker(wait) -> float:
    """Seconds from a SIGINT, received by a thread other than the main one while the main
    thread waits (``wait``) on a job of :data:`LONG` seconds, to its KeyboardInterrupt."""
    release = threading.Event()
    sent: list[float] = []

    def interrupt_from_another_thread() -> None:
        time.sleep(0.2)
        sent.append(time.monotonic())
        signal.pthread_kill(threading.get_ident(), signal.SIGINT)  # to this thread only

    with cf.ThreadPoolExecutor(1) as pool:
        fut = pool.submit(release.wait, LONG)
        other = threading.Thread(target=interrupt_from_another_thread)
        other.start()
        try:
            with pytest.raises(KeyboardInterrupt):
                wait(fut)
            return time.monotonic() - sent[0]
        finally:
            release.set()
            other.join()


def test_a_signal_another_thread_receives_stops_the_wait_at_once(python_sigint) -> None:
    """(With ``Future.result`` as the wait, the interrupt comes when the job ends.)"""
    assert _wait_for_a_long_job_interrupted_in_a_worker(result) < LONG / 2


def test_result_returns_the_value_and_raises_the_jobs_own_timeout() -> None:
    """The job's own TimeoutError is the job's, not a sign that it is still running."""
    with cf.ThreadPoolExecutor(1) as pool:
        assert result(pool.submit(lambda: 42)) == 42

        def times_out() -> None:
            time.sleep(0.3)
            raise TimeoutError("kernel did not answer")

        with pytest.raises(TimeoutError, match="kernel did not answer"):
            result(pool.submit(times_out))
