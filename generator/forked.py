"""Work done beside the main process: a call run in a forked child, whose result comes back.

`Forked.start(call)` forks and runs `call` in the child, which holds a copy of everything the
parent had built (the document, the IR) at no cost until either side writes to it; `wait()`
gives what the call returned, or raises what it raised. The result travels pickled through a
pipe. Where `fork` is not what it is on Linux (macOS forks unsafely, Windows not at all), the
call runs at once, in process.

The child leaves with `os._exit`: none of the parent's clean-up (atexit handlers, buffered
output, temporary folders) runs twice.
"""

from __future__ import annotations

import os
import pickle
import select
import signal
import sys
from collections.abc import Callable
from typing import Generic, TypeVar

T = TypeVar("T")

FORKS = hasattr(os, "fork") and sys.platform == "linux"
"""Whether `Forked` runs its call in a child process (else at once, in process)."""


class Forked(Generic[T]):
    def __init__(self, pid: int | None, reader: int | None, outcome: object = None) -> None:
        self._pid, self._reader, self._outcome = pid, reader, outcome

    @classmethod
    def start(cls, call: Callable[[], T]) -> Forked[T]:
        if not FORKS:
            return cls(None, None, _outcome(call))
        reader, writer = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child: run, send back the outcome, and leave without clean-up
            try:
                os.close(reader)
                _send(writer, _outcome(call))
            finally:  # whatever happens (the parent gone, the pipe broken), never return into its code
                os._exit(0)
        os.close(writer)
        return cls(pid, reader)

    def running(self) -> bool:
        """Whether the child has yet to send its outcome."""
        if self._reader is None:
            return False
        ready, _, _ = select.select([self._reader], [], [], 0)
        return not ready

    def cancel(self) -> None:
        """Stop the child, if it runs, and forget its outcome (when the parent no longer needs it)."""
        if self._pid is not None and self._reader is not None:
            os.kill(self._pid, signal.SIGKILL)
            os.close(self._reader)
            os.waitpid(self._pid, 0)
            self._pid = self._reader = None
        self._outcome = _Raised(RuntimeError("cancelled"))

    def wait(self) -> T:
        """What the call returned; raises what it raised. As often as asked."""
        if self._pid is not None and self._reader is not None:
            with os.fdopen(self._reader, "rb") as source:
                payload = source.read()  # all of it before waiting: the child blocks until it is read
            _, status = os.waitpid(self._pid, 0)
            self._pid = self._reader = None
            if payload:
                self._outcome = pickle.loads(payload)  # noqa: S301 - written by our own child process
            else:
                self._outcome = _Raised(
                    RuntimeError(f"a child process stopped without a result (wait status {status})")
                )
        if isinstance(self._outcome, _Raised):
            raise self._outcome.exception
        return self._outcome  # type: ignore[return-value]


class _Raised:
    """An outcome that is an exception the call raised (a call may also return one)."""

    def __init__(self, exception: BaseException) -> None:
        self.exception = exception


def _send(writer: int, outcome: object) -> None:
    try:
        payload = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
    except Exception as exc:  # noqa: BLE001 - an outcome (or an exception) that cannot be pickled
        described = outcome.exception if isinstance(outcome, _Raised) else outcome
        failure = RuntimeError(f"{type(described).__name__}: {described} (not picklable: {exc})")
        payload = pickle.dumps(_Raised(failure))
    with os.fdopen(writer, "wb") as out:
        out.write(payload)


def _outcome(call: Callable[[], T]) -> T | _Raised:
    try:
        return call()
    except BaseException as exc:  # noqa: BLE001 - every outcome goes to the parent
        return _Raised(exc)
