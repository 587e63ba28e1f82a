"""Raw responses: the parsed result together with the status, headers and `httpx.Response`.

`resource.with_raw_response.update(...)` calls the same method with a flag set for the duration
of the call; the client's `send` sees it and answers a `RawResponse` instead of the bare result.
The flag is a context variable, so threads and asyncio tasks do not see each other's.
"""

from __future__ import annotations

import contextvars
import functools
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Generic, ParamSpec, TypeVar, cast

import httpx

T = TypeVar("T")
P = ParamSpec("P")

RAW_RESPONSE: contextvars.ContextVar[bool] = contextvars.ContextVar("raw_response", default=False)


@dataclass(frozen=True, slots=True)
class RawResponse(Generic[T]):
    """A response with its parsed result: `parsed` is what the plain method returns."""

    parsed: T
    http_response: httpx.Response

    @property
    def status_code(self) -> int:
        return self.http_response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.http_response.headers

    @property
    def location(self) -> str | None:
        """The `Location` header, where an accepted write says its result will be."""
        location: str | None = self.http_response.headers.get("location")
        return location


def raw_response(method: Callable[P, T]) -> Callable[P, RawResponse[T]]:
    """`method`, answering a `RawResponse` of what it returns."""

    @functools.wraps(method)
    def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        token = RAW_RESPONSE.set(True)
        try:
            return cast(RawResponse[T], method(*args, **kwargs))
        finally:
            RAW_RESPONSE.reset(token)

    return wrapped


def async_raw_response(method: Callable[P, Awaitable[T]]) -> Callable[P, Awaitable[RawResponse[T]]]:
    """The async `method`, answering a `RawResponse` of what it returns."""

    @functools.wraps(method)
    async def wrapped(*args: P.args, **kwargs: P.kwargs) -> RawResponse[T]:
        token = RAW_RESPONSE.set(True)
        try:
            return cast(RawResponse[T], await method(*args, **kwargs))
        finally:
            RAW_RESPONSE.reset(token)

    return wrapped


def finish(response: httpx.Response, parsed: Any) -> Any:
    """What `send` answers: the parsed result, or a `RawResponse` inside a raw call."""
    if RAW_RESPONSE.get():
        RAW_RESPONSE.set(False)  # only the outermost request of a raw call is raw
        return RawResponse(parsed, response)
    return parsed
