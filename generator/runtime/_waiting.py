"""Waiting on accepted writes: a 202 answer that says where its result will be.

The document marks such a response with the `x-clientgen-wait` extension (see the generator's
README): where the location is (a header or a body field), which operation reads it, and which
states of the result mean "still working" or "failed". The method then returns an `Accepted`
whose `wait()` polls the location with backoff, honouring `Retry-After`, until the result leaves
its pending states or a deadline passes.
"""

from __future__ import annotations

import enum
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import httpx

from ._exceptions import ApiError
from ._retries import MAX_RETRY_AFTER, retry_after

if TYPE_CHECKING:
    from ._base_client import AsyncApiClient, SyncApiClient

BodyT = TypeVar("BodyT")
ResultT = TypeVar("ResultT")

MAX_POLL_INTERVAL = 30.0


class OperationFailedError(ApiError):
    """The accepted operation ended in a failed state; `result` is its last reading."""

    def __init__(self, state: object, result: object) -> None:
        super().__init__(f"the operation ended in state {state!r}")
        self.state = state
        self.result = result


class WaitTimeoutError(ApiError):
    """The accepted operation was still pending at the deadline; `result` is its last reading."""

    def __init__(self, timeout: float, result: object) -> None:
        super().__init__(f"the operation was still pending after {timeout:g} s")
        self.result = result


@dataclass(frozen=True, slots=True)
class WaitSpec(Generic[BodyT, ResultT]):
    """How to wait on one kind of accepted answer (generated from `x-clientgen-wait`)."""

    location: Callable[[BodyT, httpx.Response], Any]
    parse: Callable[[httpx.Response], ResultT]
    security: Sequence[Sequence[str]]
    state: Callable[[ResultT], Any] | None = None
    pending: frozenset[Any] = frozenset()
    failed: frozenset[Any] = frozenset()

    def outcome(self, result: ResultT) -> bool:
        """True when `result` is final; raises `OperationFailedError` for a failed state."""
        if self.state is None:
            return True
        state = self.state(result)
        value = state.value if isinstance(state, enum.Enum) else state
        if value in self.failed:
            raise OperationFailedError(value, result)
        return value not in self.pending


class _AcceptedBase(Generic[BodyT, ResultT]):
    def __init__(
        self,
        http_response: httpx.Response,
        parse: Callable[[httpx.Response], BodyT],
        spec: WaitSpec[BodyT, ResultT],
    ) -> None:
        self.body = parse(http_response)
        """The 202 answer's body, as the document describes it."""
        self.http_response = http_response
        self._spec = spec

    @property
    def location(self) -> str | None:
        """Where the result of the accepted write can be read."""
        location = self._spec.location(self.body, self.http_response)
        return str(location) if location else None

    def __repr__(self) -> str:
        return f"{type(self).__name__}(body={self.body!r}, location={self.location!r})"

    def _location(self) -> str:
        location = self.location
        if location is None:
            raise ApiError("the accepted answer says nowhere to wait")
        return location

    @staticmethod
    def _pause(response: httpx.Response, delay: float) -> float:
        asked = retry_after(response.headers)
        return min(asked, MAX_RETRY_AFTER) if asked is not None else delay


class Accepted(_AcceptedBase[BodyT, ResultT]):
    """An accepted write: its `body`, its `location`, and `wait()` for its result."""

    def __init__(
        self,
        client: SyncApiClient,
        http_response: httpx.Response,
        parse: Callable[[httpx.Response], BodyT],
        spec: WaitSpec[BodyT, ResultT],
    ) -> None:
        super().__init__(http_response, parse, spec)
        self._client = client

    def wait(self, *, timeout: float = 300.0, interval: float = 1.0) -> ResultT:
        """Poll the location until the result is final; return it.

        Raises `OperationFailedError` if it ends in a failed state, `WaitTimeoutError` if it is
        still pending after `timeout` seconds. Polls start `interval` seconds apart and back off
        to 30 s; a `Retry-After` from the server is honoured.
        """
        location = self._location()
        deadline = time.monotonic() + timeout
        delay = interval
        result: Any = None
        while True:
            response = self._client.send_request(
                self._client.location_request(location, self._spec.security)
            )
            if response.status_code != 202:
                result = self._client._finish(response, self._spec.parse)
                if self._spec.outcome(result):
                    return result  # type: ignore[no-any-return]
            pause = self._pause(response, delay)
            if time.monotonic() + pause > deadline:
                raise WaitTimeoutError(timeout, result)
            time.sleep(pause)
            delay = min(delay * 2, MAX_POLL_INTERVAL)


class AsyncAccepted(_AcceptedBase[BodyT, ResultT]):
    """An accepted write of the async client: `await accepted.wait()` for its result."""

    def __init__(
        self,
        client: AsyncApiClient,
        http_response: httpx.Response,
        parse: Callable[[httpx.Response], BodyT],
        spec: WaitSpec[BodyT, ResultT],
    ) -> None:
        super().__init__(http_response, parse, spec)
        self._client = client

    async def wait(self, *, timeout: float = 300.0, interval: float = 1.0) -> ResultT:
        """Poll the location until the result is final; return it (see `Accepted.wait`)."""
        location = self._location()
        deadline = time.monotonic() + timeout
        delay = interval
        result: Any = None
        while True:
            response = await self._client.send_request(
                self._client.location_request(location, self._spec.security)
            )
            if response.status_code != 202:
                result = self._client._finish(response, self._spec.parse)
                if self._spec.outcome(result):
                    return result  # type: ignore[no-any-return]
            pause = self._pause(response, delay)
            if time.monotonic() + pause > deadline:
                raise WaitTimeoutError(timeout, result)
            import asyncio  # here: a blocking client never loads it

            await asyncio.sleep(pause)
            delay = min(delay * 2, MAX_POLL_INTERVAL)
