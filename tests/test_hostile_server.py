"""The committed Comms client (generated/comms_api) against a hostile server on 127.0.0.1.

Answers that are malformed, of the wrong type, huge, dripped a byte at a time, cut by a reset,
redirected to another origin, or that ask to wait a year; 429 without end; and path values that
try to leave their segment. Each test checks one protection of the client, with the blocking
`Client` and with the `AsyncClient` (the `kind` fixture of test_client_behaviour), and every error
it raises is searched for the credentials (`raises_without_secrets`).

pytest-httpserver gives the answers an HTTP server library can send; `SocketServer`, a thread on
a bare socket, the ones it cannot: a body that never ends, a reset in the middle of one.
"""

from __future__ import annotations

import email.utils
import json
import re
import socket
import struct
import threading
import time
import traceback
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from pytest_httpserver import HTTPServer

from tests.test_client_behaviour import (  # noqa: F401 - fixtures, found by pytest by name
    ACCOUNT_BASIC,
    ACCOUNT_BASIC_TOKEN,
    AUTH_TOKEN,
    POOL_ID,
    POOL_PATH,
    POOLS_PATH,
    RESOURCE_ACCEPTED,
    SENDER_POOL,
    USE_DEFAULT,
    ApiSession,
    OpenClient,
    _hermetic_environment,
    base_url,
    kind,
    open_client,
    requests_of,
    second_server,
    sender_pool,
)

SECRETS = (AUTH_TOKEN, ACCOUNT_BASIC_TOKEN)  # the password, and the header value that carries it
TEN_MB = 10_000_000


@contextmanager
def raises_without_secrets(error_class: type[BaseException]) -> Iterator[pytest.ExceptionInfo[Any]]:
    """`pytest.raises(error_class)`, and then no credential in the error: not in its `str()` or
    `repr()`, nor in the traceback of it and of the errors it was raised from."""
    with pytest.raises(error_class) as caught:
        yield caught
    error = caught.value
    text = "\n".join([str(error), repr(error), *traceback.format_exception(error)])
    for secret in SECRETS:
        assert secret not in text


def call_pool(api: ApiSession, method: str) -> Any:
    """`get` (GET, idempotent) or `update` (PATCH, not idempotent) of the pool."""
    if method == "GET":
        return api.run(api.sender_pools.get(POOL_ID))
    return api.run(api.sender_pools.update(POOL_ID, name="Tier 1"))


# --- a server on a bare socket -------------------------------------------------------------

Behaviour = Callable[[socket.socket, threading.Event], None]


class SocketServer:
    """An HTTP server on a bare socket on 127.0.0.1, for answers no HTTP library would send.

    On each connection it reads one request (head, and body by its Content-Length), records the
    request line, and leaves the rest to `behave(connection, stopped)`: it writes what it likes
    at the pace it likes, and returns once done or once `stopped` is set; the connection is then
    closed. `hung_up` is set when a write fails because the client had closed its end.
    """

    def __init__(self, behave: Behaviour) -> None:
        self._behave = behave
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.05)
        self.port = int(self._listener.getsockname()[1])
        self.request_lines: list[str] = []
        self.hung_up = threading.Event()
        self._stopped = threading.Event()
        self._threads = [threading.Thread(target=self._serve, daemon=True)]
        self._threads[0].start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def _serve(self) -> None:
        while not self._stopped.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:  # including the accept timeout, which lets `close` stop the loop
                continue
            thread = threading.Thread(target=self._handle, args=(connection,), daemon=True)
            self._threads.append(thread)
            thread.start()

    def _handle(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(5)
            connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)  # each write leaves at once
            try:
                self.request_lines.append(self._read_request(connection))
                self._behave(connection, self._stopped)
            except OSError:
                self.hung_up.set()

    @staticmethod
    def _read_request(connection: socket.socket) -> str:
        received = b""
        while b"\r\n\r\n" not in received:
            chunk = connection.recv(65536)
            if not chunk:
                raise ConnectionResetError("the client left before sending a whole request")
            received += chunk
        head, _, body = received.partition(b"\r\n\r\n")
        match = re.search(rb"(?im)^content-length:\s*(\d+)\s*$", head)
        remaining = (int(match.group(1)) if match else 0) - len(body)
        while remaining > 0:
            chunk = connection.recv(65536)
            if not chunk:
                break
            remaining -= len(chunk)
        return head.split(b"\r\n", 1)[0].decode("latin-1")

    def close(self) -> None:
        self._stopped.set()
        for thread in self._threads:
            thread.join(timeout=5)
        self._listener.close()


@pytest.fixture
def socket_server() -> Iterator[Callable[[Behaviour], SocketServer]]:
    """`socket_server(behave)`: a running `SocketServer`, stopped at the end of the test."""
    servers: list[SocketServer] = []

    def start(behave: Behaviour) -> SocketServer:
        servers.append(SocketServer(behave))
        return servers[-1]

    yield start
    for server in servers:
        server.close()


def drip(connection: socket.socket, stopped: threading.Event) -> None:
    """The status line and headers at once, then one byte of body every 0.2 s. The body never
    ends: after 10 s (so that a client without protection fails the test instead of hanging it)
    the connection is closed, a megabyte short."""
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{")
    for _ in range(50):
        if stopped.wait(0.2):
            return
        connection.sendall(b" ")


def reset_mid_body(connection: socket.socket, stopped: threading.Event) -> None:
    """Headers promising 1000 bytes, 10 of them, then a reset (RST, by SO_LINGER 0) instead."""
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n")
    connection.sendall(b'{"id": "co')
    stopped.wait(0.05)  # the client has the head, and is reading the body
    connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))


# --- 1. malformed JSON -----------------------------------------------------------------------

MALFORMED_BODIES = [
    pytest.param(b'{"id": "comms_senderpool_1", "name": ', id="cut off"),
    pytest.param(b"<html>Welcome to nginx!</html>", id="HTML"),
    pytest.param(b'\xff\xfe{"id": 1}', id="not UTF-8"),
    pytest.param(b"[" * 100_000 + b"]" * 100_000, id="nested 100000 deep"),
]


@pytest.mark.parametrize("body", MALFORMED_BODIES)
def test_malformed_json_on_200_raises_response_validation_error(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer, body: bytes
) -> None:
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_data(body, content_type="application/json")
    api = open_client()

    with raises_without_secrets(comms_api.ApiResponseValidationError) as caught:
        api.run(api.sender_pools.get(POOL_ID))

    error = caught.value
    assert error.status_code == 200
    assert error.response.content == body
    assert error.body == body.decode("utf-8", errors="replace")
    assert len(str(error)) <= 500


@pytest.mark.parametrize("body", MALFORMED_BODIES)
def test_malformed_json_on_404_raises_the_status_error_with_the_text(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer, body: bytes
) -> None:
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_data(
        body, status=404, content_type="application/json"
    )
    api = open_client()

    with raises_without_secrets(comms_api.NotFoundError) as caught:
        api.run(api.sender_pools.get(POOL_ID))

    assert caught.value.status_code == 404
    assert caught.value.body == body.decode("utf-8", errors="replace")


def test_undecodable_content_encoding_raises_a_typed_error(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_data(
        json.dumps(SENDER_POOL), content_type="application/json", headers={"Content-Encoding": "gzip"}
    )
    api = open_client()

    with raises_without_secrets(comms_api.ApiConnectionError) as caught:
        api.run(api.sender_pools.get(POOL_ID))

    assert not isinstance(caught.value, comms_api.ApiTimeoutError)
    assert "decompress" in str(caught.value)
    assert len(httpserver.log) == 1


# --- 2. JSON of the wrong shape --------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"id": 5, "name": []}, id="fields missing, others of the wrong type"),
        pytest.param([SENDER_POOL], id="a list for an object"),
        pytest.param("comms_senderpool_1", id="a string for an object"),
        pytest.param(None, id="null for an object"),
        pytest.param({**SENDER_POOL, "createdAt": 5}, id="a number for a date-time"),
        pytest.param({**SENDER_POOL, "createdAt": "yesterday"}, id="an unreadable date-time"),
    ],
)
def test_wrong_shape_on_200_raises_response_validation_error(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer, body: Any
) -> None:
    text = json.dumps(body)
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_data(text, content_type="application/json")
    api = open_client()

    with raises_without_secrets(comms_api.ApiResponseValidationError) as caught:
        api.run(api.sender_pools.get(POOL_ID))

    assert caught.value.status_code == 200
    assert caught.value.body == text


@pytest.mark.parametrize(
    "page",
    [
        pytest.param({"senderPools": {"id": POOL_ID}, "pagination": {}}, id="an object for the list"),
        pytest.param({"senderPools": [5], "pagination": {}}, id="a number for an item"),
        pytest.param({"senderPools": [], "pagination": []}, id="a list for pagination"),
        pytest.param({"senderPools": [], "pagination": "next"}, id="a string for pagination"),
    ],
)
def test_wrong_shape_of_a_page_raises_response_validation_error(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer, page: dict[str, Any]
) -> None:
    httpserver.expect_request(POOLS_PATH, method="GET").respond_with_json(page)
    api = open_client()

    with raises_without_secrets(comms_api.ApiResponseValidationError):
        api.items(api.sender_pools.list())

    assert len(httpserver.log) == 1


# --- 3. ten megabytes --------------------------------------------------------------------------


def test_a_10_mb_page_is_read_whole(open_client: OpenClient, httpserver: HTTPServer) -> None:
    one = len(json.dumps(sender_pool(0))) + 2
    pools = [sender_pool(index % 100) for index in range(TEN_MB // one)]
    body = json.dumps({"senderPools": pools, "pagination": {"next": None}})
    assert len(body) >= TEN_MB * 0.95
    httpserver.expect_request(POOLS_PATH, method="GET").respond_with_data(body, content_type="application/json")
    api = open_client()

    started = time.monotonic()
    page = api.run(api.sender_pools.list_page(page_size=1000))
    elapsed = time.monotonic() - started

    assert len(page.sender_pools) == len(pools)
    assert page.sender_pools[-1].id == pools[-1]["id"]
    assert elapsed < 15, elapsed


def test_a_10_mb_string_field_is_read_whole(open_client: OpenClient, httpserver: HTTPServer) -> None:
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_json({**SENDER_POOL, "name": "n" * TEN_MB})
    api = open_client()

    pool = api.run(api.sender_pools.get(POOL_ID))

    assert pool.name == "n" * TEN_MB


def test_a_10_mb_unreadable_field_raises_a_short_error(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_json({**SENDER_POOL, "createdAt": "x" * TEN_MB})
    api = open_client()

    with raises_without_secrets(comms_api.ApiResponseValidationError) as caught:
        api.run(api.sender_pools.get(POOL_ID))

    assert len(caught.value.body) > TEN_MB  # the body is kept whole; the message is not
    assert len(str(caught.value)) <= 500


# --- 4. a body dripped a byte at a time ----------------------------------------------------------


@pytest.mark.parametrize(
    ("client_options", "call_options"),
    [
        pytest.param({"timeout": 1}, {}, id="Client(timeout=1)"),
        pytest.param({}, {"timeout": 1}, id="timeout=1 per call"),
        pytest.param({}, {"timeout": httpx.Timeout(30, read=1)}, id="httpx.Timeout(30, read=1) per call"),
    ],
)
def test_a_dripping_body_times_out_within_its_budget(
    open_client: OpenClient,
    comms_api: Any,
    socket_server: Callable[[Behaviour], SocketServer],
    client_options: dict[str, Any],
    call_options: dict[str, Any],
) -> None:
    server = socket_server(drip)
    api = open_client(base_url=server.url, max_retries=0, **client_options)

    started = time.monotonic()
    with raises_without_secrets(comms_api.ApiTimeoutError):
        api.run(api.sender_pools.get(POOL_ID, **call_options))
    elapsed = time.monotonic() - started

    assert 0.9 <= elapsed < 5, elapsed  # each byte came well within the 1 s read timeout
    assert server.hung_up.wait(5)  # the client closed the connection
    assert server.request_lines == [f"GET {POOL_PATH} HTTP/1.1"]


@pytest.mark.parametrize(
    ("method", "expected_attempts"),
    [pytest.param("GET", 2, id="GET retried"), pytest.param("PATCH", 1, id="PATCH not retried")],
)
def test_a_dripping_body_is_retried_as_a_timeout(
    open_client: OpenClient,
    comms_api: Any,
    socket_server: Callable[[Behaviour], SocketServer],
    method: str,
    expected_attempts: int,
) -> None:
    server = socket_server(drip)
    api = open_client(base_url=server.url, timeout=0.5, max_retries=1)

    started = time.monotonic()
    with raises_without_secrets(comms_api.ApiTimeoutError):
        call_pool(api, method)
    elapsed = time.monotonic() - started

    # Each attempt within twice its budget (a read under way is not cut short), plus a backoff.
    assert elapsed < expected_attempts * 2 * 0.5 + 1.5, elapsed
    assert server.request_lines == [f"{method} {POOL_PATH} HTTP/1.1"] * expected_attempts


# --- 5. a reset in the middle of the body ----------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "expected_attempts"),
    [pytest.param("GET", 2, id="GET retried"), pytest.param("PATCH", 1, id="PATCH not retried")],
)
def test_a_reset_mid_body_raises_connection_error(
    open_client: OpenClient,
    comms_api: Any,
    socket_server: Callable[[Behaviour], SocketServer],
    method: str,
    expected_attempts: int,
) -> None:
    server = socket_server(reset_mid_body)
    api = open_client(base_url=server.url, max_retries=1)

    with raises_without_secrets(comms_api.ApiConnectionError) as caught:
        call_pool(api, method)

    assert not isinstance(caught.value, comms_api.ApiTimeoutError)
    assert caught.value.request.method == method
    time.sleep(0.2)  # room for a (wrong) further attempt to arrive
    assert server.request_lines == [f"{method} {POOL_PATH} HTTP/1.1"] * expected_attempts


# --- 6. a redirect to another origin -------------------------------------------------------------

STOLEN_PATH = "/steal"


@pytest.fixture
def following_api(open_client: OpenClient, kind: str) -> Iterator[ApiSession]:
    """A client sending through the caller's own `http_client`, one that follows redirects. The
    client leaves a caller's `http_client` open, so its owner, this fixture, closes it."""
    http_client = httpx.Client(follow_redirects=True) if kind == "sync" else httpx.AsyncClient(follow_redirects=True)
    api = open_client(http_client=http_client)
    yield api
    if isinstance(http_client, httpx.Client):
        http_client.close()
    else:
        api.run(http_client.aclose())


@pytest.mark.parametrize(("method", "status"), [("GET", 302), ("PATCH", 307)])
def test_a_redirect_is_not_followed_and_raises(
    open_client: OpenClient,
    comms_api: Any,
    httpserver: HTTPServer,
    second_server: HTTPServer,
    method: str,
    status: int,
) -> None:
    elsewhere = f"http://127.0.0.1:{second_server.port}{STOLEN_PATH}"
    httpserver.expect_request(POOL_PATH, method=method).respond_with_data(
        status=status, headers={"Location": elsewhere}
    )
    second_server.expect_request(STOLEN_PATH).respond_with_json(SENDER_POOL if method == "GET" else RESOURCE_ACCEPTED)
    api = open_client(max_retries=USE_DEFAULT)

    with raises_without_secrets(comms_api.UnexpectedStatusError) as caught:
        call_pool(api, method)

    assert caught.value.status_code == status
    assert caught.value.headers["Location"] == elsewhere
    assert requests_of(httpserver)[0].headers["Authorization"] == ACCOUNT_BASIC
    assert len(httpserver.log) == 1
    assert second_server.log == []


@pytest.mark.parametrize(("method", "status"), [("GET", 302), ("PATCH", 307)])
def test_a_callers_http_client_made_to_follow_redirects_does_not_follow_them(
    following_api: ApiSession,
    comms_api: Any,
    httpserver: HTTPServer,
    second_server: HTTPServer,
    method: str,
    status: int,
) -> None:
    """httpx would strip only `Authorization` on the way to another origin; an API key in a
    header of its own, or in the query, would go along. So no redirect is followed at all."""
    elsewhere = f"http://127.0.0.1:{second_server.port}{STOLEN_PATH}"
    httpserver.expect_request(POOL_PATH, method=method).respond_with_data(
        status=status, headers={"Location": elsewhere}
    )
    second_server.expect_request(STOLEN_PATH, method=method).respond_with_json(
        SENDER_POOL if method == "GET" else RESOURCE_ACCEPTED, status=200 if method == "GET" else 202
    )

    with raises_without_secrets(comms_api.UnexpectedStatusError) as caught:
        call_pool(following_api, method)

    assert caught.value.headers["Location"] == elsewhere
    (first,) = requests_of(httpserver)
    assert first.headers["Authorization"] == ACCOUNT_BASIC
    assert second_server.log == []


def test_a_redirect_loop_ends_after_one_request(
    following_api: ApiSession, comms_api: Any, httpserver: HTTPServer, base_url: str
) -> None:
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_data(
        status=302, headers={"Location": f"{base_url}{POOL_PATH}"}
    )

    with raises_without_secrets(comms_api.UnexpectedStatusError):
        call_pool(following_api, "GET")

    assert len(httpserver.log) == 1


# --- 7. and 8. 429: a year's wait, or without end ----------------------------------------------------

A_YEAR = 365 * 24 * 3600


@pytest.mark.parametrize(
    "make_headers",
    [
        pytest.param(lambda: {"Retry-After": str(A_YEAR)}, id="Retry-After seconds"),
        pytest.param(
            lambda: {"Retry-After": email.utils.formatdate(time.time() + A_YEAR, usegmt=True)}, id="Retry-After date"
        ),
        pytest.param(lambda: {"retry-after-ms": str(A_YEAR * 1000)}, id="retry-after-ms"),
    ],
)
def test_429_asking_to_wait_a_year_raises_at_once(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer, make_headers: Callable[[], dict[str, str]]
) -> None:
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_json(
        {"code": 20429, "message": "come back next year"}, status=429, headers=make_headers()
    )
    api = open_client(max_retries=USE_DEFAULT)

    started = time.monotonic()
    with raises_without_secrets(comms_api.TooManyRequestsError) as caught:
        api.run(api.sender_pools.get(POOL_ID))
    elapsed = time.monotonic() - started

    assert caught.value.status_code == 429
    assert elapsed < 1, elapsed
    assert len(httpserver.log) == 1


@pytest.mark.parametrize(
    ("max_retries", "expected_requests"),
    [pytest.param(USE_DEFAULT, 3, id="default 2 retries"), pytest.param(4, 5, id="max_retries=4")],
)
def test_429_without_end_raises_after_max_retries(
    open_client: OpenClient, comms_api: Any, httpserver: HTTPServer, max_retries: Any, expected_requests: int
) -> None:
    httpserver.expect_request(POOL_PATH, method="PATCH").respond_with_json(
        {"code": 20429, "message": "slow down"}, status=429, headers={"Retry-After": "0"}
    )
    api = open_client(max_retries=max_retries)

    started = time.monotonic()
    with raises_without_secrets(comms_api.TooManyRequestsError):
        api.run(api.sender_pools.update(POOL_ID, name="Tier 1"))
    elapsed = time.monotonic() - started

    assert len(httpserver.log) == expected_requests
    assert elapsed < 3, elapsed


# --- 9. path values that try to leave their segment -----------------------------------------------


@pytest.mark.parametrize(
    ("pool_id", "encoded"),
    [
        ("../Senders", "..%2FSenders"),
        ("a/b?c#d", "a%2Fb%3Fc%23d"),
        ("..", "%2E%2E"),
        (".", "%2E"),
        ("%2F", "%252F"),
        ("x y", "x%20y"),
    ],
)
def test_a_path_value_stays_in_its_segment(
    open_client: OpenClient, httpserver: HTTPServer, pool_id: str, encoded: str
) -> None:
    httpserver.expect_request(re.compile(".*")).respond_with_json(RESOURCE_ACCEPTED, status=202)
    api = open_client()

    api.run(api.sender_pools.update(pool_id, name="Tier 1"))

    (request,) = requests_of(httpserver)
    raw_path = request.environ["RAW_URI"]  # as it came on the request line, before any decoding
    assert request.method == "PATCH"
    assert raw_path == f"{POOLS_PATH}/{encoded}"
    assert unquote(raw_path.rsplit("/", 1)[1]) == pool_id
    assert request.query_string == b""
