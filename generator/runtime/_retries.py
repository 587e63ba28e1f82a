"""When to retry a request, and how long to wait first. Pure functions; the clients sleep.

Policy: 429 and 503 are retried for every method (the server says it did not act). Other 5xx,
408 and dropped connections are retried only for idempotent methods: a POST or PATCH that may
have reached the server is never sent twice. A connection that could not be opened at all is
retried for every method, since nothing was sent.
"""

from __future__ import annotations

import email.utils
import random
import time

import httpx

IDEMPOTENT_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"})
DEFAULT_MAX_RETRIES = 2
MAX_RETRY_AFTER = 60.0  # seconds; a server asking for a longer wait gets its error raised instead
INITIAL_BACKOFF = 0.5
MAX_BACKOFF = 8.0

_NOTHING_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def should_retry_status(method: str, status: int) -> bool:
    if status in (429, 503):
        return True
    return method.upper() in IDEMPOTENT_METHODS and (status == 408 or status >= 500)


def should_retry_error(method: str, error: httpx.TransportError) -> bool:
    return isinstance(error, _NOTHING_SENT) or method.upper() in IDEMPOTENT_METHODS


def retry_after(headers: httpx.Headers, now: float | None = None) -> float | None:
    """Seconds the server asks to wait: `retry-after-ms`, or `Retry-After` in seconds or as an
    HTTP date; None when it does not say (or says something unreadable)."""
    milliseconds = headers.get("retry-after-ms")
    if milliseconds is not None:
        try:
            return max(float(milliseconds) / 1000, 0.0)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(when.timestamp() - (time.time() if now is None else now), 0.0)


def backoff(attempt: int) -> float:
    """Exponential backoff with jitter: about 0.5 s, 1 s, 2 s … up to 8 s, each up to 25% shorter."""
    delay: float = min(INITIAL_BACKOFF * 2.0**attempt, MAX_BACKOFF)
    return delay * (1 - 0.25 * random.random())  # noqa: S311 - jitter, not cryptography


def retry_delay(response: httpx.Response, attempt: int, max_retries: int) -> float | None:
    """How long to wait before retrying after `response`, or None not to retry."""
    if attempt >= max_retries or not should_retry_status(
        response.request.method, response.status_code
    ):
        return None
    asked = retry_after(response.headers)
    if asked is None:
        return backoff(attempt)
    return asked if asked <= MAX_RETRY_AFTER else None


def error_retry_delay(
    request: httpx.Request, error: httpx.TransportError, attempt: int, max_retries: int
) -> float | None:
    """How long to wait before retrying after a transport error, or None not to retry."""
    if attempt >= max_retries or not should_retry_error(request.method, error):
        return None
    return backoff(attempt)
