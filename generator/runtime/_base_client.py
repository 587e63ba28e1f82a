"""HTTP plumbing: a request description, authentication, and the sync and async senders.

The generated request functions build a `Request` and the response functions parse an
`httpx.Response`; both are pure. Only `SyncApiClient.send` and `AsyncApiClient.send` do I/O
(with retries, see `_retries`), so the sync and async clients share everything else.

The timeout (the client's or the call's; for an `httpx.Timeout`, its `read` value) bounds each
read, as in httpx, and also the whole answer of each attempt: an attempt that does not have all of
it that many seconds after it started raises `ApiTimeoutError` (and is retried as a timeout is),
so that a server dripping its body a byte at a time cannot hold a call open forever. The limit is
checked as the headers, then each piece of the body, arrive; a read under way is not cut short.

Redirects are never followed, even by an `http_client` made to follow them: credentials may
travel in any header or in the query, and httpx strips only `Authorization` and cookies when a
redirect leaves the origin. A 3xx answer is an `UnexpectedStatusError` carrying its `Location`.

Requests and retries are logged at DEBUG on the logger named after the package, with
credentials redacted; `repr()` of a client or of its credentials never shows a secret.
"""

from __future__ import annotations

import base64
import json
import logging
import sys
import threading
import time
from urllib.parse import urlencode
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import httpx

from ._exceptions import (
    ApiConnectionError,
    ApiError,
    ApiResponseValidationError,
    ApiTimeoutError,
    MissingCredentialsError,
)
from ._response import finish
from ._retries import DEFAULT_MAX_RETRIES, error_retry_delay, retry_delay
from ._types import NOT_GIVEN, NotGiven
from ._utils import encode_multipart, json_default, query_text

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)

Security = Sequence[Sequence[str]]


@dataclass(frozen=True, slots=True)
class Request:
    """One HTTP request, before the base URL, authentication and client headers are added.

    `security` lists the alternative sets of security schemes that may authorise it; an empty
    set among them means the request may also go without credentials.
    """

    method: str
    path: str
    params: list[tuple[str, str]] = field(default_factory=list)  # percent-encoded already
    headers: dict[str, str] = field(default_factory=dict)
    cookies: list[tuple[str, str]] = field(default_factory=list)
    json: Any = None
    form: list[tuple[str, str]] | None = None
    multipart: Mapping[str, Any] | None = None
    part_types: Mapping[str, str] | None = None  # the Content-Type of a multipart property's parts
    part_styles: Mapping[str, tuple[str, bool]] | None = (
        None  # a multipart property's style, explode
    )
    content: bytes | str | None = None
    content_type: str | None = None
    accept: str | None = None  # the media types the answers come in, when not JSON alone
    security: Security = ()
    server: str | None = None  # the operation's own base URL, or a path below base_url (`/v2`)


@dataclass(frozen=True, slots=True)
class CallOptions:
    """What one call may change: timeout, retries, and extra headers or query parameters."""

    extra_headers: Mapping[str, str] | None = None
    extra_query: Mapping[str, str] | None = None
    timeout: float | httpx.Timeout | None | NotGiven = NOT_GIVEN
    max_retries: int | NotGiven = NOT_GIVEN


NO_OPTIONS = CallOptions()


def _json_body(value: Any) -> bytes:
    """A JSON body, written as httpx writes one (compact, UTF-8, no NaN), but with any array
    or map an argument may be given as (a tuple, another sequence, any mapping) written as
    JSON's array or object, as a list or a dict is, and bytes as base64 (see `json_default`)."""
    return json.dumps(
        value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, default=json_default
    ).encode("utf-8")


REDACTED = "<redacted>"
_SECRET_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


@dataclass(frozen=True, slots=True)
class BasicAuth:
    """HTTP Basic authentication (RFC 7617)."""

    username: str
    password: str = field(repr=False)

    def apply(
        self, headers: dict[str, str], params: list[tuple[str, str]], cookies: dict[str, str]
    ) -> None:
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"


@dataclass(frozen=True, slots=True)
class BearerAuth:
    """A bearer token (RFC 6750), for `http: bearer`, OAuth 2 and OpenID Connect schemes."""

    token: str = field(repr=False)

    def apply(
        self, headers: dict[str, str], params: list[tuple[str, str]], cookies: dict[str, str]
    ) -> None:
        headers["Authorization"] = f"Bearer {self.token}"


@dataclass(frozen=True, slots=True)
class ApiKeyAuth:
    """An API key sent in a header, a query parameter or a cookie."""

    location: str
    name: str
    value: str = field(repr=False)

    def apply(
        self, headers: dict[str, str], params: list[tuple[str, str]], cookies: dict[str, str]
    ) -> None:
        if self.location == "query":
            params.append((self.name, self.value))
        elif self.location == "cookie":
            cookies[self.name] = self.value
        else:
            headers[self.name] = self.value


Auth = BasicAuth | BearerAuth | ApiKeyAuth


class _BaseClient:
    """What the sync and async clients share: URL, headers, credentials, retries and parsing."""

    base_url: httpx.URL

    def __init__(
        self,
        *,
        base_url: str | httpx.URL | None,
        auth: Mapping[str, Auth],
        credential_names: Mapping[str, str],
        headers: Mapping[str, str] | None,
        package: str,
        version: str,
        max_retries: int,
    ) -> None:
        if base_url is None:
            raise ApiError("base_url is required: the document names no absolute server URL")
        self.base_url = httpx.URL(str(base_url).rstrip("/") + "/")
        self._base = str(self.base_url)  # joined to paths as text: httpx then parses the URL once
        self.max_retries = max_retries
        self._auth = dict(auth)
        self._credential_names = dict(credential_names)
        self._headers = {
            "Accept": "application/json",
            "User-Agent": f"{package}/{version} python/{sys.version.split()[0]} httpx/{httpx.__version__}",
            **(headers or {}),
        }
        self._log = logging.getLogger(package)
        self._http_lock = threading.Lock()
        self._secret_headers = _SECRET_HEADERS | {
            a.name.lower()
            for a in auth.values()
            if isinstance(a, ApiKeyAuth) and a.location == "header"
        }
        self._secret_params = {
            a.name for a in auth.values() if isinstance(a, ApiKeyAuth) and a.location == "query"
        }

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self.base_url)!r})"

    @property
    def _http(self) -> httpx.Client | httpx.AsyncClient:
        raise NotImplementedError

    def _build_request(
        self, client: httpx.Client | httpx.AsyncClient, request: Request, options: CallOptions
    ) -> httpx.Request:
        headers = {**self._headers, **request.headers}
        params: list[tuple[str, str]] = []
        self._authorize(request.security, headers, params, request.cookies)
        if request.content_type is not None:
            headers["Content-Type"] = request.content_type
        if request.accept is not None:
            headers["Accept"] = request.accept
        headers.update(options.extra_headers or {})
        params.extend((options.extra_query or {}).items())
        content = request.content
        if request.json is not None:
            content = _json_body(request.json)
            if not any(name.lower() == "content-type" for name in headers):
                headers["Content-Type"] = "application/json"
        if request.form is not None:
            content = urlencode(request.form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        files = (
            encode_multipart(request.multipart, request.part_types, request.part_styles)
            if request.multipart is not None
            else None
        )
        # Paths are relative templates with every value percent-encoded (dot segments too), so
        # appending one to the base is what `URL.join` would do, at a fraction of its cost.
        base = self._base
        if request.server is not None and request.server.startswith(("http://", "https://")):
            base = request.server.rstrip("/") + "/"
        elif request.server is not None:
            # A relative server (a path's or operation's own: `/v2`, `v2`) is a URI reference,
            # resolved against base_url (RFC 3986 §5.2): `/v2` replaces its path, `v2` extends it.
            base = str(self.base_url.join(request.server)).rstrip("/") + "/"
        # The query is written here, not by httpx, which would encode a space as `+` and
        # re-encode what `allowReserved` lets through (see `encode_query`).
        query = query_text(request.params, params)
        return client.build_request(
            request.method,
            base + request.path.lstrip("/") + ("?" + query if query else ""),
            headers=headers,
            files=files,
            content=content,
            timeout=(
                options.timeout
                if not isinstance(options.timeout, NotGiven)
                else httpx.USE_CLIENT_DEFAULT
            ),
        )

    def _authorize(
        self,
        security: Security,
        headers: dict[str, str],
        params: list[tuple[str, str]],
        cookies: Sequence[tuple[str, str]],
    ) -> None:
        """Add the credentials `security` asks for, and the cookies, to a request's parts."""
        credentials: dict[str, str] = {}
        for auth in self._select_auth(security):
            auth.apply(headers, params, credentials)
        pairs = [*cookies, *credentials.items()]
        if pairs:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in pairs)

    def _select_auth(self, security: Security) -> list[Auth]:
        """The credentials of the first alternative the client holds all schemes of."""
        if not security:
            return []
        for alternative in security:
            if all(key in self._auth for key in alternative):
                return [self._auth[key] for key in alternative]
        wanted = "; or ".join(
            " and ".join(self._credential_names.get(key, key) for key in alternative)
            for alternative in security
        )
        raise MissingCredentialsError(f"this operation needs credentials: {wanted}")

    def location_request(self, location: str, security: Security) -> httpx.Request:
        """A GET of a location the API gave (absolute, or relative to the base URL). Credentials
        go only to the API's own origin, never to another host."""
        url = self.base_url.join(location)
        same_origin = (url.scheme, url.host, url.port) == (
            self.base_url.scheme,
            self.base_url.host,
            self.base_url.port,
        )
        headers = dict(self._headers)
        params: list[tuple[str, str]] = []
        self._authorize(security if same_origin else (), headers, params, ())
        return self._http.build_request("GET", url, params=tuple(params) or None, headers=headers)

    def _retries(self, options: CallOptions) -> int:
        return (
            self.max_retries if isinstance(options.max_retries, NotGiven) else options.max_retries
        )

    def _finish(self, response: httpx.Response, parse: Callable[[httpx.Response], T]) -> T:
        if self._log.isEnabledFor(
            logging.DEBUG
        ):  # the redacted URL costs as much as the call's parsing
            self._log.debug(
                "HTTP Response: %s %s %s",
                response.request.method,
                self._url(response.request),
                response.status_code,
            )
        try:
            parsed = parse(response)
        except ApiError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError) as exc:
            message = f"the {response.status_code} answer does not match the document: {exc!r}"
            raise ApiResponseValidationError(response, message[:500]) from exc
        result: T = finish(response, parsed)
        return result

    def _log_request(self, request: httpx.Request, attempt: int) -> None:
        if self._log.isEnabledFor(logging.DEBUG):
            headers = {
                k: REDACTED if k.lower() in self._secret_headers else v
                for k, v in request.headers.items()
            }
            suffix = f" (retry {attempt})" if attempt else ""
            self._log.debug(
                "HTTP Request: %s %s%s headers=%s",
                request.method,
                self._url(request),
                suffix,
                headers,
            )

    def _log_retry(
        self, request: httpx.Request, delay: float, attempt: int, retries: int, why: object
    ) -> None:
        self._log.debug(
            "Retrying %s %s in %.2f s (retry %d of %d) after %s",
            request.method,
            self._url(request),
            delay,
            attempt + 1,
            retries,
            why,
        )

    def _url(self, request: httpx.Request) -> str:
        url = request.url
        if self._secret_params & set(url.params.keys()):
            url = url.copy_with(
                params=[
                    (k, REDACTED if k in self._secret_params else v)
                    for k, v in url.params.multi_items()
                ]
            )
        return str(url)


def _transport_error(request: httpx.Request, error: httpx.TransportError) -> ApiConnectionError:
    if isinstance(error, httpx.TimeoutException):
        return ApiTimeoutError(request)
    return ApiConnectionError(request, f"Connection error: {error}")


def _unusable_answer(request: httpx.Request, error: httpx.RequestError) -> ApiConnectionError:
    """For an answer httpx could not use, such as a body its Content-Encoding does not decode.
    Not retried."""
    return ApiConnectionError(request, f"Unusable answer: {error}")


def _attempt_deadline(request: httpx.Request) -> float | None:
    """The `time.monotonic()` by which an attempt starting now must have its whole answer: its
    read timeout from now (None for no limit)."""
    budget: float | None = request.extensions.get("timeout", {}).get("read")
    return None if budget is None else time.monotonic() + budget


def _check_deadline(request: httpx.Request, deadline: float) -> None:
    if time.monotonic() > deadline:
        raise httpx.ReadTimeout(
            "the whole answer did not arrive within the timeout", request=request
        )


class _SyncDeadlineStream(httpx.SyncByteStream):
    """A response body that raises `httpx.ReadTimeout` once its attempt's deadline has passed,
    checked as each piece arrives (a read under way is bounded by the read timeout alone)."""

    def __init__(
        self, stream: httpx.SyncByteStream, request: httpx.Request, deadline: float
    ) -> None:
        self._stream = stream
        self._request = request
        self._deadline = deadline

    def __iter__(self) -> Iterator[bytes]:
        for chunk in self._stream:
            _check_deadline(self._request, self._deadline)
            yield chunk

    def close(self) -> None:
        self._stream.close()


class _AsyncDeadlineStream(httpx.AsyncByteStream):
    """The async `_SyncDeadlineStream`."""

    def __init__(
        self, stream: httpx.AsyncByteStream, request: httpx.Request, deadline: float
    ) -> None:
        self._stream = stream
        self._request = request
        self._deadline = deadline

    async def __aiter__(self) -> AsyncIterator[bytes]:
        async for chunk in self._stream:
            _check_deadline(self._request, self._deadline)
            yield chunk

    async def aclose(self) -> None:
        await self._stream.aclose()


def _read_in_time(response: httpx.Response, deadline: float | None) -> None:
    """Read the body of a streamed `response` by `deadline`; on any failure, close it."""
    try:
        if deadline is not None:
            _check_deadline(response.request, deadline)
            if isinstance(response.stream, httpx.SyncByteStream):
                response.stream = _SyncDeadlineStream(response.stream, response.request, deadline)
        response.read()
    except BaseException:
        response.close()
        raise


async def _aread_in_time(response: httpx.Response, deadline: float | None) -> None:
    """The async `_read_in_time`."""
    try:
        if deadline is not None:
            _check_deadline(response.request, deadline)
            if isinstance(response.stream, httpx.AsyncByteStream):
                response.stream = _AsyncDeadlineStream(response.stream, response.request, deadline)
        await response.aread()
    except BaseException:
        await response.aclose()
        raise


class SyncApiClient(_BaseClient):
    """Sends requests with an `httpx.Client`, retrying as `_retries` says."""

    def __init__(
        self,
        *,
        base_url: str | httpx.URL | None,
        auth: Mapping[str, Auth],
        credential_names: Mapping[str, str],
        headers: Mapping[str, str] | None,
        package: str,
        version: str,
        timeout: float | httpx.Timeout | None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.Client | None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            auth=auth,
            credential_names=credential_names,
            headers=headers,
            package=package,
            version=version,
            max_retries=max_retries,
        )
        self._owns_http_client = http_client is None
        self._http_client = http_client
        self._timeout = httpx.Timeout(timeout)

    @property
    def _http(self) -> httpx.Client:
        """The `httpx.Client` requests go through: the caller's, or one of our own made on
        first use (making one loads its transport and reads the certificates, which a client
        that sends nothing need not pay for)."""
        client = self._http_client
        if client is None:
            with self._http_lock:
                client = self._http_client
                if client is None:
                    client = self._http_client = httpx.Client(timeout=self._timeout)
        return client

    def send(
        self,
        request: Request,
        parse: Callable[[httpx.Response], T],
        options: CallOptions = NO_OPTIONS,
    ) -> T:
        return self._finish(
            self.send_request(self._build_request(self._http, request, options), options), parse
        )

    def send_request(
        self, request: httpx.Request, options: CallOptions = NO_OPTIONS
    ) -> httpx.Response:
        """Send one prepared request, retrying on the statuses and errors that allow it.

        Each attempt must have the whole answer within the request's read timeout of starting
        (see the module's docstring); past it, it fails as a timeout does."""
        retries = self._retries(options)
        attempt = 0
        while True:
            self._log_request(request, attempt)
            deadline = _attempt_deadline(request)
            try:
                response = self._http.send(request, stream=True, follow_redirects=False)
                _read_in_time(response, deadline)
            except httpx.TransportError as exc:
                delay = error_retry_delay(request, exc, attempt, retries)
                if delay is None:
                    raise _transport_error(request, exc) from exc
                self._log_retry(request, delay, attempt, retries, repr(exc))
            except httpx.RequestError as exc:
                raise _unusable_answer(request, exc) from exc
            else:
                delay = retry_delay(response, attempt, retries)
                if delay is None:
                    return response
                response.close()
                self._log_retry(request, delay, attempt, retries, response.status_code)
            time.sleep(delay)
            attempt += 1

    def close(self) -> None:
        """Close the HTTP connections, unless the `http_client` was passed in by the caller."""
        if self._owns_http_client:
            self._http.close()

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncApiClient(_BaseClient):
    """Sends requests with an `httpx.AsyncClient`, retrying as `_retries` says; it waits with
    `asyncio.sleep`, never blocking the event loop."""

    def __init__(
        self,
        *,
        base_url: str | httpx.URL | None,
        auth: Mapping[str, Auth],
        credential_names: Mapping[str, str],
        headers: Mapping[str, str] | None,
        package: str,
        version: str,
        timeout: float | httpx.Timeout | None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        http_client: httpx.AsyncClient | None,
    ) -> None:
        super().__init__(
            base_url=base_url,
            auth=auth,
            credential_names=credential_names,
            headers=headers,
            package=package,
            version=version,
            max_retries=max_retries,
        )
        self._owns_http_client = http_client is None
        self._http_client = http_client
        self._timeout = httpx.Timeout(timeout)

    @property
    def _http(self) -> httpx.AsyncClient:
        """The `httpx.AsyncClient` requests go through: the caller's, or one of our own made on
        first use (making one loads its transport and reads the certificates, which a client
        that sends nothing need not pay for)."""
        client = self._http_client
        if client is None:
            with self._http_lock:
                client = self._http_client
                if client is None:
                    client = self._http_client = httpx.AsyncClient(timeout=self._timeout)
        return client

    async def send(
        self,
        request: Request,
        parse: Callable[[httpx.Response], T],
        options: CallOptions = NO_OPTIONS,
    ) -> T:
        response = await self.send_request(
            self._build_request(self._http, request, options), options
        )
        return self._finish(response, parse)

    async def send_request(
        self, request: httpx.Request, options: CallOptions = NO_OPTIONS
    ) -> httpx.Response:
        """Send one prepared request, retrying on the statuses and errors that allow it; each
        attempt within its timeout, as `SyncApiClient.send_request` says."""
        retries = self._retries(options)
        attempt = 0
        while True:
            self._log_request(request, attempt)
            deadline = _attempt_deadline(request)
            try:
                response = await self._http.send(request, stream=True, follow_redirects=False)
                await _aread_in_time(response, deadline)
            except httpx.TransportError as exc:
                delay = error_retry_delay(request, exc, attempt, retries)
                if delay is None:
                    raise _transport_error(request, exc) from exc
                self._log_retry(request, delay, attempt, retries, repr(exc))
            except httpx.RequestError as exc:
                raise _unusable_answer(request, exc) from exc
            else:
                delay = retry_delay(response, attempt, retries)
                if delay is None:
                    return response
                await response.aclose()
                self._log_retry(request, delay, attempt, retries, response.status_code)
            import asyncio  # here: a blocking client never loads it

            await asyncio.sleep(delay)
            attempt += 1

    async def close(self) -> None:
        """Close the HTTP connections, unless the `http_client` was passed in by the caller."""
        if self._owns_http_client:
            await self._http.aclose()

    async def __aenter__(self: T) -> T:
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()


class SyncResource:
    """A group of operations (`client.sender_pools`), sending through its client."""

    def __init__(self, client: SyncApiClient) -> None:
        self._client = client


class AsyncResource:
    """A group of operations of the async client."""

    def __init__(self, client: AsyncApiClient) -> None:
        self._client = client
