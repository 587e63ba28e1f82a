"""How the committed Comms client (generated/comms_api) behaves on the wire, against real servers.

Retries and their waits, dropped connections, timeouts, per-call options, raw responses,
client-side validation, pagination, waiting on accepted writes, logging without secrets, missing
credentials, error pages from proxies and connection reuse.

Every test talks over a socket to a server on 127.0.0.1: pytest-httpserver, or for a dropped
connection a tiny raw-socket server started here. Nothing of the client is mocked, and no
`httpx.MockTransport` is used. Each test runs twice, with the blocking `Client` and with the
asyncio `AsyncClient` (the `kind` fixture). A test is written once against an `ApiSession`:
`api.run(api.sender_pools.get(...))` returns the result directly for the blocking client, and
for the async client runs the coroutine to completion on one event loop that the session keeps
for its whole life (an `asyncio.Runner`, the machinery behind `asyncio.run`), so that several
calls, an `Accepted.wait()` or an `async for` over a pager share one `AsyncClient`.
"""

from __future__ import annotations

import asyncio
import base64
import email.utils
import json
import logging
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

POOL_ID = "comms_senderpool_01h9krwprkeee8fzqspvwy6nq8"
POOL_PATH = f"/v1/SenderPools/{POOL_ID}"
POOLS_PATH = "/v1/SenderPools"
SENDERS_PATH = f"{POOL_PATH}/Senders"
OPERATIONS_PATH = "/v1/SenderPools/Operations"
OPERATION_ID = "comms_operation_01h9krwprkeee8fzqspvwy6nq9"
OPERATION_PATH = f"{OPERATIONS_PATH}/{OPERATION_ID}"
SENDER_ID = "comms_sender_01h9krwprkeee8fzqspvwy6nr1"

ACCOUNT_ID = "AC0123456789"
AUTH_TOKEN = "tok-Acct-S3cr3t-9f8e7d"
API_KEY = "SK0123456789"
API_KEY_SECRET = "key-Api-S3cr3t-1a2b3c"
ACCOUNT_CREDENTIALS = {"account_id": ACCOUNT_ID, "auth_token": AUTH_TOKEN}
API_KEY_CREDENTIALS = {"account_id": None, "auth_token": None, "api_key": API_KEY, "api_key_secret": API_KEY_SECRET}
ACCOUNT_BASIC_TOKEN = base64.b64encode(f"{ACCOUNT_ID}:{AUTH_TOKEN}".encode()).decode()
API_KEY_BASIC_TOKEN = base64.b64encode(f"{API_KEY}:{API_KEY_SECRET}".encode()).decode()
ACCOUNT_BASIC = f"Basic {ACCOUNT_BASIC_TOKEN}"

RESOURCE_ACCEPTED = {
    "resourceId": POOL_ID,
    "resourceLocation": f"https://comms.twilio.com{POOL_PATH}",
}
SENDER_POOL = {
    "id": POOL_ID,
    "name": "Customer Support Senders - Tier 1",
    "tags": {"tier": "1"},
    "createdAt": "2024-01-02T03:04:05Z",
    "updatedAt": "2024-01-03T00:00:00Z",
}
HTML_PAGE = "<html><body>Bad gateway</body></html>"


def sender_pool(index: int) -> dict[str, Any]:
    return {**SENDER_POOL, "id": f"comms_senderpool_01h9krwprkeee8fzqspvwy6n{index:02d}"}


def sender(index: int) -> dict[str, Any]:
    return {
        "id": f"comms_sender_01h9krwprkeee8fzqspvwy6n{index:02d}",
        "displayName": "Support",
        "address": f"+155501000{index:02d}",
        "channel": "SMS",
        "status": "ACTIVATED",
        "tags": {},
        "createdAt": "2024-01-02T03:04:05Z",
        "updatedAt": "2024-01-02T03:04:05Z",
    }


def operation(status: str, index: int = 0, operation_id: str | None = None) -> dict[str, Any]:
    return {
        "id": operation_id or f"comms_operation_01h9krwprkeee8fzqspvwy6n{index:02d}",
        "status": status,
        "stats": {"total": 10, "queued": 5, "created": 4, "failed": 1},
        "createdAt": "2024-01-02T03:04:05Z",
        "updatedAt": "2024-01-02T03:05:00Z",
    }


# --- fixtures and helpers ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _hermetic_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No COMMS_* variable of the caller's environment reaches the client."""
    for name in list(os.environ):
        if name.startswith("COMMS_"):
            monkeypatch.delenv(name)


@pytest.fixture
def base_url(httpserver: HTTPServer) -> str:
    return f"http://127.0.0.1:{httpserver.port}"


@pytest.fixture(params=["sync", "async"])
def kind(request: pytest.FixtureRequest) -> str:
    """Which client a test runs with: the blocking `Client` or the asyncio `AsyncClient`."""
    return str(request.param)


USE_DEFAULT: Any = object()  # as a client option: leave it out, so the client's own default applies


class ApiSession:
    """One client of `kind`, and the means to run its calls: `api.run(api.sender_pools.get(...))`."""

    def __init__(self, kind: str, comms_api: Any, options: dict[str, Any]) -> None:
        self.kind = kind
        options = {key: value for key, value in options.items() if value is not USE_DEFAULT}
        if kind == "sync":
            self.client = comms_api.Client(**options)
            self._runner: asyncio.Runner | None = None
        else:
            self.client = comms_api.AsyncClient(**options)
            self._runner = asyncio.Runner()

    @property
    def sender_pools(self) -> Any:
        return self.client.sender_pools

    def run(self, result: Any) -> Any:
        """The result of a call: as is for the blocking client; awaited for the async client."""
        if self._runner is None:
            return result
        return self._runner.run(result)

    def items(self, pager: Any, limit: int = 50) -> list[Any]:
        """The items of a pager, `for item in pager` or `async for item in pager`; at most `limit`
        of them, so that a pager that never stops fails the test instead of hanging it."""
        return self._collect(pager, limit)

    def pages(self, pager: Any, limit: int = 20) -> list[Any]:
        """The pages of a pager, through `pager.iter_pages()`; at most `limit` of them."""
        return self._collect(pager.iter_pages(), limit)

    def _collect(self, iterable: Any, limit: int) -> list[Any]:
        collected: list[Any] = []
        if self._runner is None:
            for value in iterable:
                collected.append(value)
                if len(collected) >= limit:
                    break
            return collected

        async def collect() -> list[Any]:
            async for value in iterable:
                collected.append(value)
                if len(collected) >= limit:
                    break
            return collected

        return self._runner.run(collect())

    def close(self) -> None:
        if self._runner is None:
            self.client.close()
        else:
            self._runner.run(self.client.close())
            self._runner.close()


OpenClient = Callable[..., ApiSession]


@pytest.fixture
def open_client(kind: str, comms_api: Any, base_url: str) -> Iterator[OpenClient]:
    """`open_client(**client_options)`: an `ApiSession` of `kind` on the test server, with the
    account credentials and no retries unless the options say otherwise (`USE_DEFAULT` leaves an
    option out). Closed at the end of the test."""
    sessions: list[ApiSession] = []

    def open_session(**options: Any) -> ApiSession:
        session = ApiSession(
            kind, comms_api, {"base_url": base_url, "max_retries": 0, **ACCOUNT_CREDENTIALS, **options}
        )
        sessions.append(session)
        return session

    yield open_session
    for session in sessions:
        session.close()


def requests_of(server: HTTPServer) -> list[Request]:
    return [request for request, _ in server.log]


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(data), status=status, headers=headers, content_type="application/json")


@pytest.fixture
def second_server() -> Iterator[HTTPServer]:
    """Another HTTP server on 127.0.0.1, on another port: another origin than the API's."""
    server = HTTPServer(host="127.0.0.1", port=0)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


class RawServer:
    """A bare HTTP/1.1 server on 127.0.0.1 that counts the connections it accepts.

    `answer(n, line)` gives the bytes to answer the request `line` that came on the n-th
    connection (from 0) with, or None to close that connection, once the request has been read,
    without answering.
    With `keep_alive`, a connection stays open for further requests after each answer.
    """

    def __init__(self, answer: Callable[[int, str], bytes | None], *, keep_alive: bool = False) -> None:
        self._answer = answer
        self._keep_alive = keep_alive
        self._socket = socket.create_server(("127.0.0.1", 0))
        self._socket.settimeout(0.05)
        self.port = int(self._socket.getsockname()[1])
        self.connections = 0
        self.requests: list[tuple[int, str]] = []  # (connection number, request line)
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    @property
    def request_lines(self) -> list[str]:
        return [line for _, line in self.requests]

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._socket.accept()
            except (socket.timeout, OSError):
                continue
            with self._lock:
                index = self.connections
                self.connections += 1
            thread = threading.Thread(target=self._handle, args=(connection, index), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _handle(self, connection: socket.socket, index: int) -> None:
        with connection:
            connection.settimeout(0.1)
            buffer = b""
            while not self._stop.is_set():
                try:
                    line, buffer = self._read_request(connection, buffer)
                except OSError:
                    return
                if line is None:
                    return  # the client closed the connection
                with self._lock:
                    self.requests.append((index, line))
                reply = self._answer(index, line)
                if reply is None:
                    return  # close without answering
                connection.sendall(reply)
                if not self._keep_alive:
                    connection.shutdown(socket.SHUT_WR)
                    return

    def _read_request(self, connection: socket.socket, buffer: bytes) -> tuple[str | None, bytes]:
        """The request line of the next request (its body read and dropped), and what follows."""
        while b"\r\n\r\n" not in buffer:
            chunk = self._receive(connection)
            if not chunk:
                return None, b""
            buffer += chunk
        head, _, rest = buffer.partition(b"\r\n\r\n")
        match = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
        length = int(match.group(1)) if match else 0
        while len(rest) < length:
            chunk = self._receive(connection)
            if not chunk:
                return None, b""
            rest += chunk
        return head.split(b"\r\n", 1)[0].decode("latin-1"), rest[length:]

    def _receive(self, connection: socket.socket) -> bytes:
        """Bytes from the client; b"" once it closed, or once the server stops."""
        while not self._stop.is_set():
            try:
                return connection.recv(65536)
            except socket.timeout:
                continue
        return b""

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        for thread in self._threads:
            thread.join(timeout=2)
        self._socket.close()


def http_answer(data: Any, *, status: str = "200 OK", keep_alive: bool = False) -> bytes:
    body = json.dumps(data).encode()
    head = (
        f"HTTP/1.1 {status}\r\n"
        "Content-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\n" + ("" if keep_alive else "Connection: close\r\n") + "\r\n"
    )
    return head.encode("ascii") + body


# --- 1. Retry-After ------------------------------------------------------------------------


def _http_date_two_seconds_ahead() -> dict[str, str]:
    return {"Retry-After": email.utils.formatdate(time.time() + 2, usegmt=True)}


@pytest.mark.parametrize(
    ("make_headers", "min_elapsed", "max_elapsed"),
    [
        pytest.param(lambda: {"Retry-After": "1"}, 1.0, 2.5, id="Retry-After seconds"),
        pytest.param(lambda: {"retry-after-ms": "200"}, 0.2, 1.0, id="retry-after-ms"),
        pytest.param(  # the finer header wins: were it ignored, the 5 s would be waited
            lambda: {"retry-after-ms": "200", "Retry-After": "5"}, 0.2, 1.0, id="retry-after-ms over Retry-After"
        ),
        pytest.param(_http_date_two_seconds_ahead, 0.9, 3.0, id="Retry-After HTTP date"),
    ],
)
def test_retry_after_429_is_waited_then_retried(
    open_client: OpenClient,
    httpserver: HTTPServer,
    make_headers: Callable[[], dict[str, str]],
    min_elapsed: float,
    max_elapsed: float,
) -> None:
    # The header is made when the server answers, so an HTTP date is relative to that moment.
    httpserver.expect_oneshot_request(POOL_PATH, method="PATCH").respond_with_handler(
        lambda request: json_response({"code": 20429, "message": "slow down"}, 429, make_headers())
    )
    httpserver.expect_request(POOL_PATH, method="PATCH").respond_with_json(RESOURCE_ACCEPTED, status=202)
    api = open_client(max_retries=USE_DEFAULT)

    started = time.monotonic()
    accepted = api.run(api.sender_pools.update(POOL_ID, tags={"tier": "2"}))
    elapsed = time.monotonic() - started

    assert accepted.body.resource_id == POOL_ID
    assert len(httpserver.log) == 2
    assert min_elapsed <= elapsed < max_elapsed, elapsed


def test_retry_after_above_60_seconds_raises_at_once(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(POOL_PATH, method="PATCH").respond_with_json(
        {"code": 20429, "message": "come back later"}, status=429, headers={"Retry-After": "120"}
    )
    api = open_client(max_retries=USE_DEFAULT)

    started = time.monotonic()
    with pytest.raises(comms_api.TooManyRequestsError) as caught:
        api.run(api.sender_pools.update(POOL_ID, tags={"tier": "2"}))
    elapsed = time.monotonic() - started

    assert caught.value.status_code == 429
    assert elapsed < 0.5, elapsed
    assert len(httpserver.log) == 1


# --- 2. how many retries -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("client_retries", "call_retries", "expected_requests"),
    [
        pytest.param(USE_DEFAULT, USE_DEFAULT, 3, id="default 2 retries"),
        pytest.param(USE_DEFAULT, 0, 1, id="max_retries=0 per call"),
        pytest.param(5, USE_DEFAULT, 6, id="Client(max_retries=5)"),
    ],
)
def test_503_is_retried_up_to_max_retries(
    open_client: OpenClient,
    comms_api: Any,
    httpserver: HTTPServer,
    client_retries: Any,
    call_retries: Any,
    expected_requests: int,
) -> None:
    httpserver.expect_request(POOL_PATH, method="PATCH").respond_with_json(
        {"code": 20503, "message": "busy"}, status=503, headers={"retry-after-ms": "10"}
    )
    api = open_client(max_retries=client_retries)
    call_options = {} if call_retries is USE_DEFAULT else {"max_retries": call_retries}

    with pytest.raises(comms_api.ServiceUnavailableError) as caught:
        api.run(api.sender_pools.update(POOL_ID, name="Tier 1", **call_options))

    assert caught.value.status_code == 503
    assert len(httpserver.log) == expected_requests


# --- 3. which methods and statuses are retried ---------------------------------------------


@pytest.mark.parametrize(
    ("operation", "arguments", "path", "method", "status", "retry_after", "retried", "error"),
    [
        pytest.param("update", {"tags": {"tier": "2"}}, POOL_PATH, "PATCH", 500, "0", False,
                     "InternalServerError", id="500 PATCH not retried"),
        pytest.param("create", {"name": "Tier 1"}, POOLS_PATH, "POST", 500, "0", False,
                     "InternalServerError", id="500 POST not retried"),
        pytest.param("update", {"tags": {"tier": "2"}}, POOL_PATH, "PATCH", 408, "0", False,
                     "UnexpectedStatusError", id="408 PATCH not retried"),
        pytest.param("get", {}, POOL_PATH, "GET", 500, None, True, None, id="500 GET retried"),
        pytest.param("get", {}, POOL_PATH, "GET", 408, None, True, None, id="408 GET retried"),
    ],
)  # fmt: skip
def test_retry_depends_on_method_and_status(
    open_client: OpenClient,
    comms_api: Any,
    httpserver: HTTPServer,
    operation: str,
    arguments: dict[str, Any],
    path: str,
    method: str,
    status: int,
    retry_after: str | None,
    retried: bool,
    error: str | None,
) -> None:
    headers = {"Retry-After": retry_after} if retry_after is not None else None
    httpserver.expect_oneshot_request(path, method=method).respond_with_json(
        {"code": status, "message": "oops"}, status=status, headers=headers
    )
    second_answer = SENDER_POOL if method == "GET" else {"code": 1, "message": "must not be sent twice"}
    httpserver.expect_request(path, method=method).respond_with_json(second_answer)
    api = open_client(max_retries=USE_DEFAULT)
    args = [POOL_ID] if operation in ("update", "get") else []

    if retried:
        pool = api.run(getattr(api.sender_pools, operation)(*args, **arguments))
        assert pool.id == POOL_ID
        assert len(httpserver.log) == 2
    else:
        assert error is not None
        with pytest.raises(comms_api.ApiStatusError) as caught:
            api.run(getattr(api.sender_pools, operation)(*args, **arguments))
        assert type(caught.value) is getattr(comms_api, error)
        assert caught.value.status_code == status
        assert len(httpserver.log) == 1


# --- 4. dropped connections ------------------------------------------------------------------


@pytest.fixture
def dropping_server() -> Iterator[RawServer]:
    """Closes its first connection without answering; answers the next with a SenderPool."""
    server = RawServer(lambda index, line: None if index == 0 else http_answer(SENDER_POOL))
    yield server
    server.close()


def test_dropped_connection_on_get_is_retried(open_client: OpenClient, dropping_server: RawServer) -> None:
    api = open_client(base_url=f"http://127.0.0.1:{dropping_server.port}", max_retries=USE_DEFAULT)

    pool = api.run(api.sender_pools.get(POOL_ID))

    assert pool.id == POOL_ID
    assert dropping_server.connections == 2
    assert dropping_server.request_lines == [f"GET {POOL_PATH} HTTP/1.1"] * 2


def test_dropped_connection_on_patch_is_not_retried(
    open_client: OpenClient, comms_api: Any, dropping_server: RawServer
) -> None:
    api = open_client(base_url=f"http://127.0.0.1:{dropping_server.port}", max_retries=USE_DEFAULT)

    with pytest.raises(comms_api.ApiConnectionError) as caught:
        api.run(api.sender_pools.update(POOL_ID, tags={"tier": "2"}))

    assert not isinstance(caught.value, comms_api.ApiTimeoutError)
    assert caught.value.request.method == "PATCH"
    time.sleep(0.1)  # room for a (wrong) second attempt to arrive
    assert dropping_server.connections == 1
    assert dropping_server.request_lines == [f"PATCH {POOL_PATH} HTTP/1.1"]


# --- 5. timeouts ---------------------------------------------------------------------------


@pytest.fixture
def slow_server(httpserver: HTTPServer) -> Iterator[HTTPServer]:
    """Answers GET of the pool after 1 s (sooner once the test is done)."""
    done = threading.Event()

    def answer_slowly(request: Request) -> Response:
        done.wait(1.0)
        return json_response(SENDER_POOL)

    httpserver.expect_request(POOL_PATH, method="GET").respond_with_handler(answer_slowly)
    yield httpserver
    # Let the single-threaded server finish the abandoned request before the next test.
    done.set()
    deadline = time.monotonic() + 2
    while not httpserver.log and time.monotonic() < deadline:
        time.sleep(0.01)


@pytest.mark.parametrize("where", ["per call", "per client"])
def test_timeout_raises_api_timeout_error(
    open_client: OpenClient, comms_api: Any, slow_server: HTTPServer, where: str
) -> None:
    if where == "per call":
        api = open_client()
        call_options = {"timeout": 0.2, "max_retries": 0}
    else:
        api = open_client(timeout=0.2, max_retries=0)
        call_options = {}

    started = time.monotonic()
    with pytest.raises(comms_api.ApiTimeoutError) as caught:
        api.run(api.sender_pools.get(POOL_ID, **call_options))
    elapsed = time.monotonic() - started

    assert isinstance(caught.value, comms_api.ApiConnectionError)
    assert 0.15 <= elapsed < 0.5, elapsed


# --- 6. per-call headers and query -----------------------------------------------------------


def test_extra_headers_and_query_reach_the_server(open_client: OpenClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_json(SENDER_POOL)
    httpserver.expect_request(POOLS_PATH, method="GET").respond_with_json(
        {"senderPools": [SENDER_POOL], "pagination": {"next": None}}
    )
    api = open_client(headers={"X-Client-Header": "client"})

    api.run(api.sender_pools.get(POOL_ID, extra_headers={"X-Extra": "one"}, extra_query={"trace": "yes"}))
    api.run(api.sender_pools.list_page(page_size=2, extra_headers={"X-Extra": "two"}, extra_query={"debug": "1"}))

    get_request, list_request = requests_of(httpserver)
    assert get_request.headers["X-Extra"] == "one"
    assert get_request.args.to_dict(flat=False) == {"trace": ["yes"]}
    assert list_request.headers["X-Extra"] == "two"
    assert list_request.args.to_dict(flat=False) == {"pageSize": ["2"], "debug": ["1"]}
    for request in (get_request, list_request):  # merged with the generated and client headers
        assert request.headers["Authorization"] == ACCOUNT_BASIC
        assert request.headers["Accept"] == "application/json"
        assert request.headers["User-Agent"].startswith("comms_api/")
        assert request.headers["X-Client-Header"] == "client"


# --- 7. raw responses ----------------------------------------------------------------------


def test_raw_responses(open_client: OpenClient, comms_api: Any, httpserver: HTTPServer, base_url: str) -> None:
    location = f"{base_url}{POOL_PATH}"
    httpserver.expect_request(POOL_PATH, method="PATCH").respond_with_json(
        RESOURCE_ACCEPTED, status=202, headers={"Location": location, "X-Request-Id": "RQ1"}
    )
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_json(SENDER_POOL)
    httpserver.expect_request(POOLS_PATH, method="GET").respond_with_json(
        {"senderPools": [SENDER_POOL], "pagination": {"next": "t2"}}
    )
    api = open_client()

    updated = api.run(api.sender_pools.with_raw_response.update(POOL_ID, tags={"tier": "2"}))
    fetched = api.run(api.sender_pools.with_raw_response.get(POOL_ID))
    listed = api.run(api.sender_pools.with_raw_response.list(page_size=1))

    assert isinstance(updated, comms_api.RawResponse)
    assert updated.status_code == 202
    assert updated.headers["X-Request-Id"] == "RQ1"
    assert updated.location == location
    assert updated.http_response.status_code == 202
    assert updated.http_response.json() == RESOURCE_ACCEPTED
    assert isinstance(updated.parsed, (comms_api.Accepted, comms_api.AsyncAccepted))
    assert isinstance(updated.parsed.body, comms_api.ResourceAccepted)
    assert updated.parsed.body.resource_id == POOL_ID

    assert isinstance(fetched, comms_api.RawResponse)
    assert fetched.status_code == 200
    assert isinstance(fetched.parsed, comms_api.SenderPool)
    assert fetched.parsed.id == POOL_ID

    assert isinstance(listed, comms_api.RawResponse)
    assert isinstance(listed.parsed, comms_api.SenderPoolPage)
    assert [pool.id for pool in listed.parsed.sender_pools] == [POOL_ID]
    assert [request.method for request in requests_of(httpserver)] == ["PATCH", "GET", "GET"]  # one page only

    # Outside `with_raw_response`, the plain method answers the bare result again.
    assert isinstance(api.run(api.sender_pools.get(POOL_ID)), comms_api.SenderPool)


# --- 8. client-side validation ---------------------------------------------------------------

LONG_KEY = "k" * 129


@pytest.mark.parametrize(
    ("tags", "expected_problem"),
    [
        pytest.param({f"key{i}": "v" for i in range(11)}, "tags: more than 10 entries", id="11 tags"),
        pytest.param({LONG_KEY: "v"}, f"tags: key '{LONG_KEY[:37]}...': longer than 128 characters", id="129-char key"),
        pytest.param({"tier": "v" * 257}, "tags['tier']: longer than 256 characters", id="257-char value"),
    ],
)
def test_invalid_tags_raise_before_sending(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer, tags: dict[str, str], expected_problem: str
) -> None:
    httpserver.expect_request(POOL_PATH, method="PATCH").respond_with_json(RESOURCE_ACCEPTED, status=202)
    api = open_client()

    with pytest.raises(comms_api.RequestValidationError) as caught:
        api.run(api.sender_pools.update(POOL_ID, tags=tags))

    error = caught.value
    assert isinstance(error, ValueError)
    assert isinstance(error, comms_api.ApiError)
    assert error.problems == [expected_problem]
    assert expected_problem in str(error)
    assert httpserver.log == []


def test_tags_at_the_limits_are_sent_untouched(open_client: OpenClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request(POOL_PATH, method="PATCH").respond_with_json(RESOURCE_ACCEPTED, status=202)
    tags = {f"key{i}": f"value{i}" for i in range(7)}
    tags["k" * 128] = "a 128-character key"
    tags["long"] = "v" * 256
    tags["tier"] = "{{ recipient.tier }}"
    assert len(tags) == 10
    api = open_client()

    api.run(api.sender_pools.update(POOL_ID, tags=tags))

    (request,) = requests_of(httpserver)
    assert json.loads(request.get_data()) == {"tags": tags}


@pytest.mark.parametrize(
    ("page_size", "expected_problem"),
    [(0, "page_size: less than 1"), (1001, "page_size: greater than 1000")],
)
def test_page_size_out_of_range_raises_before_sending(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer, page_size: int, expected_problem: str
) -> None:
    httpserver.expect_request(POOLS_PATH, method="GET").respond_with_json(
        {"senderPools": [], "pagination": {"next": None}}
    )
    api = open_client()

    with pytest.raises(comms_api.RequestValidationError) as caught:
        api.run(api.sender_pools.list_page(page_size=page_size))

    assert caught.value.problems == [expected_problem]
    assert httpserver.log == []


def test_too_many_senders_raise_before_sending(open_client: OpenClient, comms_api: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request(POOLS_PATH, method="POST").respond_with_json(
        {"operationId": OPERATION_ID, "operationLocation": "/x"}, status=202
    )
    senders = [comms_api.SenderReference(sender_id=f"comms_sender_{i}") for i in range(10001)]
    api = open_client()

    with pytest.raises(comms_api.RequestValidationError) as caught:
        api.run(api.sender_pools.create(name="Big", senders=senders))

    assert caught.value.problems == ["senders: more than 10000 items"]
    assert httpserver.log == []


# --- 9. pagination -------------------------------------------------------------------------

# operation, its positional arguments, path, the list field, an item, a filter (argument, query
# name, value sent), and the page model's name.
PAGINATED = [
    pytest.param(
        "list", [], POOLS_PATH, "senderPools", sender_pool,
        ("operation_id", "operationId", OPERATION_ID), "SenderPoolPage", id="list",
    ),
    pytest.param(
        "list_senders", [POOL_ID], SENDERS_PATH, "senders", sender,
        ("channel", "channel", "SMS"), "SenderPage", id="list_senders",
    ),
    pytest.param(
        "list_operations", [], OPERATIONS_PATH, "operations", lambda i: operation("COMPLETED", i),
        ("status", "status", "PROCESSING"), "SenderPoolOperationPage", id="list_operations",
    ),
]  # fmt: skip


def serve_pages(
    server: HTTPServer, path: str, field: str, item: Callable[[int], dict[str, Any]], next_tokens: dict[Any, Any]
) -> None:
    """Pages of two items: the page of token `t` (None for the first) says `next_tokens[t]`."""
    page_numbers = {None: 0, "t2": 1, "t3": 2}

    def answer(request: Request) -> Response:
        token = request.args.get("pageToken")
        number = page_numbers[token]
        return json_response(
            {
                field: [item(2 * number), item(2 * number + 1)],
                "pagination": {"next": next_tokens[token], "self": token or "t1"},
            }
        )

    server.expect_request(path, method="GET").respond_with_handler(answer)


@pytest.mark.parametrize(("operation_name", "args", "path", "field", "item", "query_filter", "page_model"), PAGINATED)
def test_pagination_walks_every_page(
    open_client: OpenClient,
    comms_api: Any,
    httpserver: HTTPServer,
    operation_name: str,
    args: list[Any],
    path: str,
    field: str,
    item: Callable[[int], dict[str, Any]],
    query_filter: tuple[str, str, str],
    page_model: str,
) -> None:
    serve_pages(httpserver, path, field, item, {None: "t2", "t2": "t3", "t3": None})
    argument, query_name, value = query_filter
    api = open_client()

    items = api.items(getattr(api.sender_pools, operation_name)(*args, page_size=2, **{argument: value}))

    assert [i.id for i in items] == [item(n)["id"] for n in range(6)]
    requests = requests_of(httpserver)
    assert [r.args.get("pageToken") for r in requests] == [None, "t2", "t3"]
    for request in requests:  # the filters are repeated on every page
        assert request.path == path
        assert request.args.get("pageSize") == "2"
        assert request.args.get(query_name) == value
        assert request.headers["Authorization"] == ACCOUNT_BASIC

    # .iter_pages(): the three page models
    httpserver.clear_log()
    pages = api.pages(getattr(api.sender_pools, operation_name)(*args, page_size=2))
    assert [type(page) for page in pages] == [getattr(comms_api, page_model)] * 3
    assert [page.pagination.next for page in pages] == ["t2", "t3", None]
    assert len(httpserver.log) == 3

    # .first_page(): only the first
    httpserver.clear_log()
    first = api.run(getattr(api.sender_pools, operation_name)(*args, page_size=2).first_page())
    assert isinstance(first, getattr(comms_api, page_model))
    assert [i.id for i in getattr(first, re.sub(r"(?<!^)([A-Z])", r"_\1", field).lower())] == [
        item(0)["id"],
        item(1)["id"],
    ]
    (request,) = requests_of(httpserver)
    assert "pageToken" not in request.args


@pytest.mark.parametrize(("operation_name", "args", "path", "field", "item", "query_filter", "page_model"), PAGINATED)
def test_pagination_stops_on_a_repeated_token(
    open_client: OpenClient,
    httpserver: HTTPServer,
    operation_name: str,
    args: list[Any],
    path: str,
    field: str,
    item: Callable[[int], dict[str, Any]],
    query_filter: tuple[str, str, str],
    page_model: str,
) -> None:
    serve_pages(httpserver, path, field, item, {None: "t2", "t2": "t2"})
    api = open_client()

    items = api.items(getattr(api.sender_pools, operation_name)(*args, page_size=2))

    assert [i.id for i in items] == [item(n)["id"] for n in range(4)]
    assert [r.args.get("pageToken") for r in requests_of(httpserver)] == [None, "t2"]


# --- 10. waiting on accepted writes ----------------------------------------------------------


def operation_accepted(location: str) -> dict[str, str]:
    return {"operationId": OPERATION_ID, "operationLocation": location}


def test_create_waits_from_processing_to_completed(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer, base_url: str
) -> None:
    location = f"{base_url}{OPERATION_PATH}"
    httpserver.expect_request(POOLS_PATH, method="POST").respond_with_json(operation_accepted(location), status=202)
    httpserver.expect_oneshot_request(OPERATION_PATH, method="GET").respond_with_json(
        operation("PROCESSING", operation_id=OPERATION_ID)
    )
    httpserver.expect_request(OPERATION_PATH, method="GET").respond_with_json(
        operation("COMPLETED", operation_id=OPERATION_ID)
    )
    api = open_client()

    accepted = api.run(api.sender_pools.create(name="Tier 1"))

    assert isinstance(accepted, (comms_api.Accepted, comms_api.AsyncAccepted))
    assert accepted.body.operation_id == OPERATION_ID
    assert accepted.location == location
    assert len(httpserver.log) == 1  # nothing polled before wait()

    result = api.run(accepted.wait(interval=0.05))

    assert isinstance(result, comms_api.SenderPoolOperation)
    assert result.status == comms_api.OperationStatus.COMPLETED
    polls = requests_of(httpserver)[1:]
    assert [(r.method, r.path) for r in polls] == [("GET", OPERATION_PATH)] * 2
    assert all(r.headers.get("Authorization") == ACCOUNT_BASIC for r in polls)


def test_wait_honours_retry_after_of_a_pending_answer(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer, base_url: str
) -> None:
    httpserver.expect_request(POOLS_PATH, method="POST").respond_with_json(
        operation_accepted(f"{base_url}{OPERATION_PATH}"), status=202
    )
    httpserver.expect_oneshot_request(OPERATION_PATH, method="GET").respond_with_json(
        operation("PROCESSING", operation_id=OPERATION_ID), headers={"Retry-After": "0"}
    )
    httpserver.expect_request(OPERATION_PATH, method="GET").respond_with_json(
        operation("COMPLETED", operation_id=OPERATION_ID)
    )
    api = open_client()
    accepted = api.run(api.sender_pools.create(name="Tier 1"))

    started = time.monotonic()
    result = api.run(accepted.wait(interval=3.0))  # Retry-After: 0 replaces the 3 s pause
    elapsed = time.monotonic() - started

    assert result.status == comms_api.OperationStatus.COMPLETED
    assert len(httpserver.log) == 3
    assert elapsed < 1.0, elapsed


def test_wait_raises_operation_failed_on_canceled(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer, base_url: str
) -> None:
    httpserver.expect_request(POOLS_PATH, method="POST").respond_with_json(
        operation_accepted(f"{base_url}{OPERATION_PATH}"), status=202
    )
    httpserver.expect_oneshot_request(OPERATION_PATH, method="GET").respond_with_json(
        operation("PROCESSING", operation_id=OPERATION_ID)
    )
    httpserver.expect_request(OPERATION_PATH, method="GET").respond_with_json(
        operation("CANCELED", operation_id=OPERATION_ID)
    )
    api = open_client()
    accepted = api.run(api.sender_pools.create(name="Tier 1"))

    with pytest.raises(comms_api.OperationFailedError) as caught:
        api.run(accepted.wait(interval=0.05))

    assert isinstance(caught.value, comms_api.ApiError)
    assert isinstance(caught.value.result, comms_api.SenderPoolOperation)
    assert caught.value.result.status == comms_api.OperationStatus.CANCELED
    assert caught.value.result.id == OPERATION_ID
    assert len(httpserver.log) == 3


def test_wait_raises_wait_timeout_when_still_processing(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer, base_url: str
) -> None:
    httpserver.expect_request(POOLS_PATH, method="POST").respond_with_json(
        operation_accepted(f"{base_url}{OPERATION_PATH}"), status=202
    )
    httpserver.expect_request(OPERATION_PATH, method="GET").respond_with_json(
        operation("PROCESSING", operation_id=OPERATION_ID)
    )
    api = open_client()
    accepted = api.run(api.sender_pools.create(name="Tier 1"))

    started = time.monotonic()
    with pytest.raises(comms_api.WaitTimeoutError) as caught:
        api.run(accepted.wait(timeout=0.3, interval=0.05))
    elapsed = time.monotonic() - started

    assert isinstance(caught.value, comms_api.ApiError)
    assert caught.value.result.status == comms_api.OperationStatus.PROCESSING
    assert elapsed < 1.0, elapsed
    assert len(httpserver.log) >= 1 + 2  # the create, then several polls


def test_update_waits_on_its_location_header(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer, base_url: str
) -> None:
    location = f"{base_url}{POOL_PATH}"
    httpserver.expect_request(POOL_PATH, method="PATCH").respond_with_json(
        RESOURCE_ACCEPTED, status=202, headers={"Location": location}
    )
    httpserver.expect_oneshot_request(POOL_PATH, method="GET").respond_with_json(RESOURCE_ACCEPTED, status=202)
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_json(SENDER_POOL)
    api = open_client()

    accepted = api.run(api.sender_pools.update(POOL_ID, tags={"tier": "2"}))
    assert isinstance(accepted.body, comms_api.ResourceAccepted)
    assert accepted.location == location

    result = api.run(accepted.wait(interval=0.05))

    assert isinstance(result, comms_api.SenderPool)
    assert result.id == POOL_ID
    polls = requests_of(httpserver)[1:]
    assert [(r.method, r.path) for r in polls] == [("GET", POOL_PATH)] * 2  # a 202 is still pending
    assert all(r.headers.get("Authorization") == ACCOUNT_BASIC for r in polls)


def test_add_sender_waits_like_create(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer, base_url: str
) -> None:
    location = f"{base_url}{OPERATION_PATH}"
    httpserver.expect_request(SENDERS_PATH, method="POST").respond_with_json(operation_accepted(location), status=202)
    httpserver.expect_oneshot_request(OPERATION_PATH, method="GET").respond_with_json(
        operation("PROCESSING", operation_id=OPERATION_ID)
    )
    httpserver.expect_request(OPERATION_PATH, method="GET").respond_with_json(
        operation("COMPLETED", operation_id=OPERATION_ID)
    )
    api = open_client()

    accepted = api.run(api.sender_pools.add_sender(POOL_ID, body=[comms_api.SenderReference(sender_id=SENDER_ID)]))
    assert accepted.body.operation_id == OPERATION_ID
    assert accepted.location == location
    result = api.run(accepted.wait(interval=0.05))

    assert result.status == comms_api.OperationStatus.COMPLETED
    add_request, *polls = requests_of(httpserver)
    assert json.loads(add_request.get_data()) == [{"senderId": SENDER_ID}]
    assert [(r.method, r.path) for r in polls] == [("GET", OPERATION_PATH)] * 2
    assert all(r.headers.get("Authorization") == ACCOUNT_BASIC for r in polls)


@pytest.mark.parametrize("operation_name", ["create", "update"])
def test_wait_on_another_origin_sends_no_credentials(
    open_client: OpenClient,
    comms_api: Any,
    httpserver: HTTPServer,
    second_server: HTTPServer,
    operation_name: str,
) -> None:
    if operation_name == "create":
        path = OPERATION_PATH
        location = f"http://127.0.0.1:{second_server.port}{path}"
        httpserver.expect_request(POOLS_PATH, method="POST").respond_with_json(operation_accepted(location), status=202)
        second_server.expect_request(path, method="GET").respond_with_json(
            operation("COMPLETED", operation_id=OPERATION_ID)
        )
    else:
        path = POOL_PATH
        location = f"http://127.0.0.1:{second_server.port}{path}"
        httpserver.expect_request(POOL_PATH, method="PATCH").respond_with_json(
            RESOURCE_ACCEPTED, status=202, headers={"Location": location}
        )
        second_server.expect_request(path, method="GET").respond_with_json(SENDER_POOL)
    api = open_client()
    accepted = api.run(
        api.sender_pools.create(name="Tier 1")
        if operation_name == "create"
        else api.sender_pools.update(POOL_ID, tags={"tier": "2"})
    )

    api.run(accepted.wait(interval=0.05))

    (write,) = requests_of(httpserver)
    assert write.headers["Authorization"] == ACCOUNT_BASIC
    (poll,) = requests_of(second_server)
    assert poll.path == path
    assert "Authorization" not in poll.headers


# --- 11. logging without secrets ---------------------------------------------------------------


def test_requests_and_retries_are_logged_without_secrets(
    open_client: OpenClient,
    comms_api: Any,
    httpserver: HTTPServer,
    base_url: str,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG, logger="comms_api")
    httpserver.expect_oneshot_request(POOL_PATH, method="GET").respond_with_json(
        {"code": 20503, "message": "busy"}, status=503, headers={"Retry-After": "0"}
    )
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_json(SENDER_POOL)
    httpserver.expect_request(POOL_PATH, method="PATCH").respond_with_json(
        {"code": 20503, "message": "busy"}, status=503
    )
    account_api = open_client(max_retries=USE_DEFAULT)
    key_api = open_client(**API_KEY_CREDENTIALS)

    pool = account_api.run(account_api.sender_pools.get(POOL_ID))
    with pytest.raises(comms_api.ServiceUnavailableError) as caught:
        key_api.run(key_api.sender_pools.update(POOL_ID, tags={"tier": "2"}))

    assert pool.id == POOL_ID
    [get_request, retried_get, patch] = requests_of(httpserver)
    assert get_request.headers["Authorization"] == ACCOUNT_BASIC  # the secrets did go on the wire
    assert patch.headers["Authorization"] == f"Basic {API_KEY_BASIC_TOKEN}"

    text = caplog.text
    url = f"{base_url}{POOL_PATH}"
    lines = [record.getMessage() for record in caplog.records if record.name.startswith("comms_api")]
    assert any("GET" in line and url in line for line in lines), lines
    assert any("PATCH" in line and url in line for line in lines), lines
    assert any("retry" in line.lower() and "GET" in line and url in line for line in lines), lines
    everything = "\n".join(
        [text, *lines, repr(account_api.client), repr(key_api.client), repr(caught.value), str(caught.value)]
    )
    for secret in (AUTH_TOKEN, ACCOUNT_BASIC_TOKEN, API_KEY_SECRET, API_KEY_BASIC_TOKEN):
        assert secret not in everything


# --- 12. missing credentials -----------------------------------------------------------------


def test_missing_credentials_name_both_ways_to_give_them(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_json(SENDER_POOL)
    api = open_client(account_id=None, auth_token=None)

    with pytest.raises(comms_api.MissingCredentialsError) as caught:
        api.run(api.sender_pools.get(POOL_ID))

    message = str(caught.value)
    for name in (
        "account_id",
        "auth_token",
        "api_key",
        "api_key_secret",
        "COMMS_ACCOUNT_ID",
        "COMMS_AUTH_TOKEN",
        "COMMS_API_KEY",
        "COMMS_API_KEY_SECRET",
    ):
        assert re.search(rf"\b{name}\b", message), (name, message)
    assert httpserver.log == []


# --- 13. bodies that are not what the document says ------------------------------------------


@pytest.mark.parametrize(
    ("status", "error_class"),
    [(503, "ServiceUnavailableError"), (502, "UnexpectedStatusError")],
)
def test_html_error_page_becomes_a_status_error(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer, status: int, error_class: str
) -> None:
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_data(
        HTML_PAGE, status=status, content_type="text/html"
    )
    api = open_client(max_retries=0)

    with pytest.raises(comms_api.ApiStatusError) as caught:
        api.run(api.sender_pools.get(POOL_ID))

    assert type(caught.value) is getattr(comms_api, error_class)
    assert caught.value.status_code == status
    assert caught.value.body == HTML_PAGE
    assert len(httpserver.log) == 1


def test_success_body_off_the_model_raises_response_validation_error(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_data(
        '{"id": 1}', status=200, content_type="application/json"
    )
    api = open_client()

    with pytest.raises(comms_api.ApiResponseValidationError) as caught:
        api.run(api.sender_pools.get(POOL_ID))

    error = caught.value
    assert not isinstance(error, comms_api.ApiStatusError)
    assert error.status_code == 200
    assert error.body == error.response.text == '{"id": 1}'  # the raw body is kept


# --- 14. connection reuse --------------------------------------------------------------------


def keep_alive_answer(index: int, line: str) -> bytes:
    if line.startswith("PATCH "):
        return http_answer(RESOURCE_ACCEPTED, status="202 Accepted", keep_alive=True)
    if line.startswith(f"GET {POOLS_PATH}?"):
        return http_answer({"senderPools": [SENDER_POOL], "pagination": {"next": None}}, keep_alive=True)
    return http_answer(SENDER_POOL, keep_alive=True)


@pytest.fixture
def keep_alive_server() -> Iterator[RawServer]:
    """Answers every request and keeps the connection open (pytest-httpserver's werkzeug server
    answers `Connection: close` every time, even threaded, so it cannot show reuse)."""
    server = RawServer(keep_alive_answer, keep_alive=True)
    yield server
    server.close()


def test_sequential_calls_reuse_one_connection(open_client: OpenClient, keep_alive_server: RawServer) -> None:
    api = open_client(base_url=f"http://127.0.0.1:{keep_alive_server.port}")

    first = api.run(api.sender_pools.get(POOL_ID))
    accepted = api.run(api.sender_pools.update(POOL_ID, tags={"tier": "2"}))
    page = api.run(api.sender_pools.list_page(page_size=5))
    last = api.run(api.sender_pools.get(POOL_ID))

    assert first.id == last.id == POOL_ID
    assert accepted.body.resource_id == POOL_ID
    assert [pool.id for pool in page.sender_pools] == [POOL_ID]
    assert keep_alive_server.request_lines == [
        f"GET {POOL_PATH} HTTP/1.1",
        f"PATCH {POOL_PATH} HTTP/1.1",
        f"GET {POOLS_PATH}?pageSize=5 HTTP/1.1",
        f"GET {POOL_PATH} HTTP/1.1",
    ]
    assert keep_alive_server.connections == 1
    assert {connection for connection, _ in keep_alive_server.requests} == {0}
