"""HTTP plumbing: a request description, authentication, and the sync and async senders.

The generated request functions build a `Request` and the response functions parse an
`httpx.Response`; both are pure. Only `SyncApiClient.send` and `AsyncApiClient.send` do I/O, so
the sync and async clients share everything else.
"""

from __future__ import annotations

import base64
import platform
from collections.abc import Callable, Mapping, Sequence
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
    params: list[tuple[str, str]] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)
    cookies: dict[str, str] = field(default_factory=dict)
    json: Any = None
    data: Mapping[str, Any] | None = None
    content: bytes | str | None = None
    content_type: str | None = None
    security: Security = ()


@dataclass(frozen=True, slots=True)
class BasicAuth:
    """HTTP Basic authentication (RFC 7617)."""

    username: str
    password: str

    def apply(self, headers: dict[str, str], params: list[tuple[str, str]], cookies: dict[str, str]) -> None:
        token = base64.b64encode(f"{self.username}:{self.password}".encode()).decode("ascii")
        headers["Authorization"] = f"Basic {token}"


@dataclass(frozen=True, slots=True)
class BearerAuth:
    """A bearer token (RFC 6750), for `http: bearer`, OAuth 2 and OpenID Connect schemes."""

    token: str

    def apply(self, headers: dict[str, str], params: list[tuple[str, str]], cookies: dict[str, str]) -> None:
        headers["Authorization"] = f"Bearer {self.token}"


@dataclass(frozen=True, slots=True)
class ApiKeyAuth:
    """An API key sent in a header, a query parameter or a cookie."""

    location: str
    name: str
    value: str

    def apply(self, headers: dict[str, str], params: list[tuple[str, str]], cookies: dict[str, str]) -> None:
        if self.location == "query":
            params.append((self.name, self.value))
        elif self.location == "cookie":
            cookies[self.name] = self.value
        else:
            headers[self.name] = self.value


Auth = BasicAuth | BearerAuth | ApiKeyAuth


class _BaseClient:
    """What the sync and async clients share: URL, headers, credentials, and parsing."""

    base_url: httpx.URL

    def __init__(
        self,
        *,
        base_url: str | httpx.URL | None,
        auth: Mapping[str, Auth],
        credential_names: Mapping[str, str],
        headers: Mapping[str, str] | None,
        user_agent: str,
    ) -> None:
        if base_url is None:
            raise ApiError("base_url is required: the document names no absolute server URL")
        self.base_url = httpx.URL(str(base_url).rstrip("/") + "/")
        self._auth = dict(auth)
        self._credential_names = dict(credential_names)
        self._headers = {
            "Accept": "application/json",
            "User-Agent": f"{user_agent} python/{platform.python_version()} httpx/{httpx.__version__}",
            **(headers or {}),
        }

    def _build_request(self, client: httpx.Client | httpx.AsyncClient, request: Request) -> httpx.Request:
        headers = {**self._headers, **request.headers}
        params = list(request.params)
        cookies = dict(request.cookies)
        for auth in self._select_auth(request.security):
            auth.apply(headers, params, cookies)
        if cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        if request.content_type is not None:
            headers["Content-Type"] = request.content_type
        return client.build_request(
            request.method,
            self.base_url.join(request.path.lstrip("/")),
            params=tuple(params) or None,
            headers=headers,
            json=request.json,
            data=request.data,
            content=request.content,
        )

    def _select_auth(self, security: Security) -> list[Auth]:
        """The credentials of the first alternative the client holds all schemes of."""
        if not security:
            return []
        for alternative in security:
            if all(key in self._auth for key in alternative):
                return [self._auth[key] for key in alternative]
        wanted = " or ".join(
            " and ".join(self._credential_names.get(key, key) for key in alternative) for alternative in security
        )
        raise MissingCredentialsError(f"this operation needs credentials: pass {wanted} to the client")

    @staticmethod
    def _parse(response: httpx.Response, parse: Callable[[httpx.Response], T]) -> T:
        try:
            return parse(response)
        except ApiError:
            raise
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ApiResponseValidationError(
                response, f"the {response.status_code} answer does not match the document: {exc!r}"
            ) from exc


class SyncApiClient(_BaseClient):
    """Sends requests with an `httpx.Client`."""

    def __init__(
        self,
        *,
        base_url: str | httpx.URL | None,
        auth: Mapping[str, Auth],
        credential_names: Mapping[str, str],
        headers: Mapping[str, str] | None,
        user_agent: str,
        timeout: float | httpx.Timeout | None,
        http_client: httpx.Client | None,
    ) -> None:
        super().__init__(
            base_url=base_url, auth=auth, credential_names=credential_names, headers=headers, user_agent=user_agent
        )
        self._owns_http_client = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(timeout=timeout)

    def send(self, request: Request, parse: Callable[[httpx.Response], T]) -> T:
        http_request = self._build_request(self._http, request)
        try:
            response = self._http.send(http_request)
        except httpx.TimeoutException as exc:
            raise ApiTimeoutError(http_request) from exc
        except httpx.TransportError as exc:
            raise ApiConnectionError(http_request, f"Connection error: {exc}") from exc
        return self._parse(response, parse)

    def close(self) -> None:
        """Close the HTTP connections, unless the `http_client` was passed in by the caller."""
        if self._owns_http_client:
            self._http.close()

    def __enter__(self: T) -> T:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class AsyncApiClient(_BaseClient):
    """Sends requests with an `httpx.AsyncClient`."""

    def __init__(
        self,
        *,
        base_url: str | httpx.URL | None,
        auth: Mapping[str, Auth],
        credential_names: Mapping[str, str],
        headers: Mapping[str, str] | None,
        user_agent: str,
        timeout: float | httpx.Timeout | None,
        http_client: httpx.AsyncClient | None,
    ) -> None:
        super().__init__(
            base_url=base_url, auth=auth, credential_names=credential_names, headers=headers, user_agent=user_agent
        )
        self._owns_http_client = http_client is None
        self._http = http_client if http_client is not None else httpx.AsyncClient(timeout=timeout)

    async def send(self, request: Request, parse: Callable[[httpx.Response], T]) -> T:
        http_request = self._build_request(self._http, request)
        try:
            response = await self._http.send(http_request)
        except httpx.TimeoutException as exc:
            raise ApiTimeoutError(http_request) from exc
        except httpx.TransportError as exc:
            raise ApiConnectionError(http_request, f"Connection error: {exc}") from exc
        return self._parse(response, parse)

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
