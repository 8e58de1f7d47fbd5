"""Signals a command acts on (:mod:`dbanalysis.core.atomic`): held while it swaps its
output in place (:func:`~dbanalysis.core.atomic.deferred_signals`: a SIGINT or SIGTERM
that comes in the block stops the command when the block ends), SIGTERM raised as Ctrl-C
is (:func:`~dbanalysis.core.atomic.interruptible`); a signal the process was started to
ignore (a command run in the background by a script: the shell ignores SIGINT for it)
stays ignored by both."""

from __future__ import annotations

import os
import signal

import pytest

from dbanalysis.core import atomic


def _in_the_block(signum: int) -> None:
    with atomic.deferred_signals():
        os.kill(os.getpid(), signum)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_in_the_block_stops_it_as_the_block_ends(signum):
    old = signal.signal(signum, signal.default_int_handler)
    try:
        with pytest.raises(atomic.Interrupted):
            _in_the_block(signum)
        assert signal.getsignal(signum) is signal.default_int_handler
    finally:
        signal.signal(signum, old)


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_ignored_signal_stays_ignored(signum):
    old = signal.signal(signum, signal.SIG_IGN)
    try:
        try:
            _in_the_block(signum)
        except atomic.Interrupted:  # (a KeyboardInterrupt: pytest would stop the run)
            pytest.fail(f"{signal.Signals(signum).name}, ignored, stopped the block")
        assert signal.getsignal(signum) == signal.SIG_IGN
    finally:
        signal.signal(signum, old)


def test_interruptible_leaves_ignored_signals_ignored():
    """SIGTERM, ignored, does not stop the command; SIGINT, ignored, is not made the
    default again as the command ends (a late Ctrl-C would then end the process)."""
    old = {s: signal.getsignal(s) for s in (signal.SIGINT, signal.SIGTERM)}
    try:
        for s in old:
            signal.signal(s, signal.SIG_IGN)
        try:
            with atomic.interruptible(command=True):
                os.kill(os.getpid(), signal.SIGTERM)
        except atomic.Interrupted:
            pytest.fail("SIGTERM, ignored, stopped the command")
        assert [signal.getsignal(s) for s in old] == [signal.SIG_IGN, signal.SIG_IGN]
    finally:
        for s, handler in old.items():
            signal.signal(s, handler)
