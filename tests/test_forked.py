"""`generator.forked`: a call run in a child process gives back what it returned or raised."""

from __future__ import annotations

import os
import signal
import threading

import pytest

from generator import forked
from generator.errors import DiagnosticError
from generator.diagnostics import Diagnostic
from generator.forked import Forked


def test_the_result_comes_back_from_the_child() -> None:
    parent = os.getpid()
    run = Forked.start(lambda: (os.getpid(), {"files": ["a" * 100_000] * 20}))  # more than a pipe holds
    pid, payload = run.wait()
    assert (pid != parent) is forked.FORKS
    assert payload == {"files": ["a" * 100_000] * 20}
    assert run.wait()[1] is payload  # asked again: the same answer
    assert not run.running()


def test_what_the_call_raises_is_raised_by_wait() -> None:
    problem = Diagnostic("/paths", "broken")

    def fail() -> None:
        raise DiagnosticError([problem])

    run = Forked.start(fail)
    with pytest.raises(DiagnosticError) as raised:
        run.wait()
    assert raised.value.diagnostics == (problem,)
    with pytest.raises(DiagnosticError):
        run.wait()


def test_a_returned_exception_is_a_value() -> None:
    assert isinstance(Forked.start(lambda: ValueError("a value")).wait(), ValueError)


def test_an_outcome_that_cannot_be_pickled_is_reported() -> None:
    if not forked.FORKS:
        pytest.skip("runs in process: nothing is pickled")
    with pytest.raises(RuntimeError, match="lock"):
        Forked.start(threading.Lock).wait()


def test_a_child_that_dies_is_reported() -> None:
    if not forked.FORKS:
        pytest.skip("runs in process")
    run = Forked.start(lambda: os.kill(os.getpid(), signal.SIGKILL))
    with pytest.raises(RuntimeError, match="without a result"):
        run.wait()


def test_without_fork_the_call_runs_in_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(forked, "FORKS", False)
    run = Forked.start(os.getpid)
    assert run.wait() == os.getpid()
    assert not run.running()


def test_a_cancelled_child_is_stopped() -> None:
    if not forked.FORKS:
        pytest.skip("runs in process")
    run = Forked.start(lambda: threading.Event().wait())  # would never end
    assert run.running()
    run.cancel()
    assert not run.running()
    with pytest.raises(RuntimeError, match="cancelled"):
        run.wait()
