"""The committed Comms client (generated/comms_api) against a real HTTP server on 127.0.0.1.

Every test talks to pytest-httpserver over a socket: nothing of the client is mocked. Most tests
run twice, with the blocking `Client` and with the asyncio `AsyncClient` (the `kind` and `call`
fixtures); the async client runs under `asyncio.run`, so no async test plugin is needed.

The requests the client sent are read back from the server's log (`httpserver.log`) and checked
there: method, raw path, query, headers and JSON body.
"""

from __future__ import annotations

import asyncio
import datetime
import json
import os
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from typing import Any
from urllib.parse import parse_qsl

import httpx
import pytest
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

POOL_ID = "comms_senderpool_01h9krwprkeee8fzqspvwy6nq8"
POOL_PATH = f"/v1/SenderPools/{POOL_ID}"
OPERATION_ID = "comms_operation_01h9krwprkeee8fzqspvwy6nq9"
SENDER_IDS = ["comms_sender_01h9krwprkeee8fzqspvwy6nr1", "comms_sender_01h9krwprkeee8fzqspvwy6nr2"]

ACCOUNT_CREDENTIALS = {"account_id": "AC123", "auth_token": "secret"}
ACCOUNT_BASIC = "Basic QUMxMjM6c2VjcmV0"  # base64("AC123:secret")
API_KEY_CREDENTIALS = {"api_key": "SK456", "api_key_secret": "keysecret"}
API_KEY_BASIC = "Basic U0s0NTY6a2V5c2VjcmV0"  # base64("SK456:keysecret")
NO_CREDENTIALS = {"account_id": None, "auth_token": None}  # None: fall back to the environment

START = datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)

RESOURCE_ACCEPTED = {
    "resourceId": POOL_ID,
    "resourceLocation": f"https://comms.twilio.com{POOL_PATH}",
}
OPERATION_ACCEPTED = {
    "operationId": OPERATION_ID,
    "operationLocation": f"https://comms.twilio.com/v1/SenderPools/Operations/{OPERATION_ID}",
}
SENDER_POOL = {
    "id": POOL_ID,
    "name": "Customer Support Senders - Tier 1",
    "tags": {"tier": "1"},
    "createdAt": "2024-01-02T03:04:05Z",
    "updatedAt": "2024-01-03T00:00:00Z",
}
OPERATION = {
    "id": OPERATION_ID,
    "status": "PROCESSING",
    "stats": {"total": 10, "queued": 5, "created": 4, "failed": 1},
    "createdAt": "2024-01-02T03:04:05Z",
    "updatedAt": "2024-01-02T03:05:00Z",
}
ERROR_BODY = {
    "code": 20404,
    "message": "The requested resource was not found",
    "more_info": "https://www.twilio.com/docs/errors/20404",
    "status": 404,
}


def sender(**fields: Any) -> dict[str, Any]:
    """A Sender as the server sends it, with `fields` changed."""
    return {
        "id": SENDER_IDS[0],
        "displayName": "Support",
        "address": "+15550100",
        "channel": "SMS",
        "status": "ACTIVATED",
        "tags": {},
        "createdAt": "2024-01-02T03:04:05Z",
        "updatedAt": "2024-01-02T03:04:05Z",
        **fields,
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


Call = Callable[..., Any]


@pytest.fixture
def call(kind: str, comms_api: Any, base_url: str) -> Call:
    """`call(operation, *args, client_options={...}, **kwargs)`: `client.sender_pools.<operation>`.

    Each call opens a fresh client of `kind` as a context manager, pointed at the test server with
    the account credentials unless `client_options` says otherwise, and returns the result.
    """

    def call_operation(operation: str, *args: Any, client_options: dict[str, Any] | None = None, **kwargs: Any) -> Any:
        # No retries here: these tests are about what one answer becomes (retries: test_client_behaviour.py).
        options = {"base_url": base_url, "max_retries": 0, **ACCOUNT_CREDENTIALS, **(client_options or {})}
        if kind == "sync":
            with comms_api.Client(**options) as client:
                return answer(getattr(client.sender_pools, operation)(*args, **kwargs))

        async def call_async() -> Any:
            async with comms_api.AsyncClient(**options) as client:
                return answer(await getattr(client.sender_pools, operation)(*args, **kwargs))

        return asyncio.run(call_async())

    def answer(result: Any) -> Any:
        """An accepted write's answer body (waiting on it is tested in test_client_behaviour.py)."""
        if isinstance(result, (comms_api.Accepted, comms_api.AsyncAccepted)):
            return result.body
        return result

    return call_operation


def run_scenario(kind: str, sync: Callable[..., Any], asynchronous: Callable[..., Any], *args: Any) -> Any:
    """Run the sync or the async version of a scenario, by `kind`."""
    return sync(*args) if kind == "sync" else asyncio.run(asynchronous(*args))


def received(httpserver: HTTPServer) -> Request:
    """The one request the server received."""
    assert len(httpserver.log) == 1, [request for request, _ in httpserver.log]
    return httpserver.log[0][0]


def raw_path(request: Request) -> str:
    """The path as it came over the wire, still percent-encoded (werkzeug decodes `.path`)."""
    return str(request.environ["REQUEST_URI"]).partition("?")[0]


def query_pairs(request: Request) -> list[tuple[str, str]]:
    """The decoded query parameters, in a stable order."""
    return sorted(parse_qsl(request.query_string.decode("ascii"), keep_blank_values=True))


def json_body(request: Request) -> Any:
    assert request.mimetype == "application/json", request.headers.get("Content-Type")
    return json.loads(request.get_data())


def closed_port() -> int:
    """A port on 127.0.0.1 that nothing listens on."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


# --- update: the request, the credentials, the answer ----------------------------------------


@pytest.mark.parametrize(
    ("arguments", "expected_body"),
    [
        pytest.param({"tags": {"tier": "1"}}, {"tags": {"tier": "1"}}, id="tags only"),
        pytest.param({"name": "Tier 1"}, {"name": "Tier 1"}, id="name only"),
        pytest.param(
            {"name": "Tier 1", "tags": {"tier": "1"}},
            {"name": "Tier 1", "tags": {"tier": "1"}},
            id="name and tags",
        ),
        pytest.param({}, {}, id="empty"),
    ],
)
def test_update_patches_only_the_given_fields(
    call: Call,
    comms_api: Any,
    httpserver: HTTPServer,
    arguments: dict[str, Any],
    expected_body: dict[str, Any],
) -> None:
    httpserver.expect_request(POOL_PATH, method="PATCH").respond_with_json(
        {**RESOURCE_ACCEPTED, "requestId": "RQ1"}, status=202
    )

    result = call("update", POOL_ID, **arguments)

    request = received(httpserver)
    assert request.method == "PATCH"
    assert raw_path(request) == POOL_PATH
    assert request.headers["Authorization"] == ACCOUNT_BASIC
    assert request.headers["Content-Type"] == "application/json"
    assert json_body(request) == expected_body
    assert isinstance(result, comms_api.ResourceAccepted)
    assert result.resource_id == RESOURCE_ACCEPTED["resourceId"]
    assert result.resource_location == RESOURCE_ACCEPTED["resourceLocation"]
    assert result.additional_properties == {"requestId": "RQ1"}


@pytest.mark.parametrize(
    ("client_options", "environment", "expected_authorization"),
    [
        pytest.param(ACCOUNT_CREDENTIALS, {}, ACCOUNT_BASIC, id="account arguments"),
        pytest.param(API_KEY_CREDENTIALS, {}, API_KEY_BASIC, id="api key arguments"),
        pytest.param(
            {},
            {"COMMS_ACCOUNT_ID": "AC123", "COMMS_AUTH_TOKEN": "secret"},
            ACCOUNT_BASIC,
            id="account environment",
        ),
        pytest.param(
            {},
            {"COMMS_API_KEY": "SK456", "COMMS_API_KEY_SECRET": "keysecret"},
            API_KEY_BASIC,
            id="api key environment",
        ),
    ],
)
def test_credentials_become_basic_auth(
    call: Call,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    client_options: dict[str, str],
    environment: dict[str, str],
    expected_authorization: str,
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    httpserver.expect_request(POOL_PATH, method="PATCH").respond_with_json(RESOURCE_ACCEPTED, status=202)

    call("update", POOL_ID, tags={"tier": "1"}, client_options={**NO_CREDENTIALS, **client_options})

    assert received(httpserver).headers["Authorization"] == expected_authorization


@pytest.mark.parametrize(
    ("client_options", "environment"),
    [
        pytest.param({}, {}, id="none"),
        pytest.param({"account_id": "AC123"}, {}, id="account id without token"),
        pytest.param({"api_key": "SK456"}, {"COMMS_AUTH_TOKEN": "secret"}, id="halves of two pairs"),
    ],
)
def test_missing_credentials_raise_before_sending(
    call: Call,
    comms_api: Any,
    httpserver: HTTPServer,
    monkeypatch: pytest.MonkeyPatch,
    client_options: dict[str, str],
    environment: dict[str, str],
) -> None:
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    httpserver.expect_request(POOL_PATH, method="PATCH").respond_with_json(RESOURCE_ACCEPTED, status=202)

    with pytest.raises(comms_api.MissingCredentialsError, match="account_id and auth_token"):
        call("update", POOL_ID, name="x", client_options={**NO_CREDENTIALS, **client_options})

    assert httpserver.log == []


def test_base_url_comes_from_the_environment(
    call: Call, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch, base_url: str
) -> None:
    monkeypatch.setenv("COMMS_API_BASE_URL", base_url)
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_json(SENDER_POOL)

    pool = call("get", POOL_ID, client_options={"base_url": None})

    assert pool.id == POOL_ID
    assert len(httpserver.log) == 1


# --- error answers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "error_class"),
    [
        (400, "BadRequestError"),
        (404, "NotFoundError"),
        (409, "ConflictError"),
        (429, "TooManyRequestsError"),
        (500, "InternalServerError"),
        (503, "ServiceUnavailableError"),
    ],
)
def test_documented_error_status_raises_its_class(
    call: Call, comms_api: Any, httpserver: HTTPServer, status: int, error_class: str
) -> None:
    httpserver.expect_request(POOL_PATH, method="PATCH").respond_with_json(
        {**ERROR_BODY, "status": status}, status=status, headers={"X-Request-Id": "RQ42"}
    )

    with pytest.raises(comms_api.ApiStatusError) as caught:
        call("update", POOL_ID, name="Tier 1")

    error = caught.value
    assert type(error) is getattr(comms_api, error_class)
    assert isinstance(error, comms_api.ApiError)
    assert not isinstance(error, comms_api.UnexpectedStatusError)
    assert error.status_code == status
    assert error.headers["X-Request-Id"] == "RQ42"
    assert isinstance(error.body, comms_api.Error)
    assert error.body.message == ERROR_BODY["message"]
    assert error.body.code == ERROR_BODY["code"]
    assert error.body.more_info == ERROR_BODY["more_info"]
    assert error.body.status == status


@pytest.mark.parametrize(
    ("data", "content_type", "expected_body"),
    [
        pytest.param(
            '[{"field": "name", "problem": "too long"}]',
            "application/json",
            [{"field": "name", "problem": "too long"}],
            id="json list",
        ),
        pytest.param('"busy"', "application/json", "busy", id="json string"),
        pytest.param("<h1>Conflict</h1>", "text/html", "<h1>Conflict</h1>", id="text"),
        pytest.param("", "application/json", None, id="empty"),
    ],
)
def test_error_body_that_is_not_an_error_model(
    call: Call,
    comms_api: Any,
    httpserver: HTTPServer,
    data: str,
    content_type: str,
    expected_body: Any,
) -> None:
    httpserver.expect_request(POOL_PATH, method="PATCH").respond_with_data(data, status=409, content_type=content_type)

    with pytest.raises(comms_api.ConflictError) as caught:
        call("update", POOL_ID, name="Tier 1")

    assert caught.value.status_code == 409
    assert caught.value.body == expected_body


@pytest.mark.parametrize("status", [401, 418])
def test_undocumented_status_raises_unexpected_status_error(
    call: Call, comms_api: Any, httpserver: HTTPServer, status: int
) -> None:
    httpserver.expect_request(POOL_PATH, method="PATCH").respond_with_data(
        "nope", status=status, headers={"X-Request-Id": "RQ7"}
    )

    with pytest.raises(comms_api.UnexpectedStatusError) as caught:
        call("update", POOL_ID, name="Tier 1")

    error = caught.value
    assert isinstance(error, comms_api.ApiStatusError)
    assert isinstance(error, comms_api.ApiError)
    assert error.status_code == status
    assert error.headers["X-Request-Id"] == "RQ7"
    assert error.body == "nope"


@pytest.mark.parametrize(
    ("operation", "method", "status", "data", "content_type"),
    [
        pytest.param(
            "update", "PATCH", 202, json.dumps({"resourceId": POOL_ID}), "application/json",
            id="update missing resourceLocation",
        ),
        pytest.param("update", "PATCH", 202, "Accepted", "text/plain", id="update text"),
        pytest.param(
            "update", "PATCH", 202, json.dumps([RESOURCE_ACCEPTED]), "application/json",
            id="update json list",
        ),
        pytest.param("update", "PATCH", 202, "", "application/json", id="update empty"),
        pytest.param(
            "get", "GET", 200, json.dumps({**SENDER_POOL, "createdAt": "yesterday"}),
            "application/json", id="get bad date",
        ),
    ],
)  # fmt: skip
def test_success_body_off_the_schema_raises_validation_error(
    call: Call,
    comms_api: Any,
    httpserver: HTTPServer,
    operation: str,
    method: str,
    status: int,
    data: str,
    content_type: str,
) -> None:
    httpserver.expect_request(POOL_PATH, method=method).respond_with_data(
        data, status=status, content_type=content_type
    )

    with pytest.raises(comms_api.ApiResponseValidationError) as caught:
        call(operation, POOL_ID)

    assert isinstance(caught.value, comms_api.ApiError)
    assert not isinstance(caught.value, comms_api.ApiStatusError)
    assert caught.value.status_code == status


# --- the other operations ------------------------------------------------------------------


def test_create_posts_name_senders_and_tags(call: Call, comms_api: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/SenderPools", method="POST").respond_with_json(OPERATION_ACCEPTED, status=202)

    result = call(
        "create",
        name="Tier 1",
        senders=[comms_api.SenderReference(sender_id=sender_id) for sender_id in SENDER_IDS],
        tags={"tier": "1"},
    )

    request = received(httpserver)
    assert (request.method, raw_path(request)) == ("POST", "/v1/SenderPools")
    assert request.headers["Authorization"] == ACCOUNT_BASIC
    assert json_body(request) == {
        "name": "Tier 1",
        "senders": [{"senderId": sender_id} for sender_id in SENDER_IDS],
        "tags": {"tier": "1"},
    }
    assert isinstance(result, comms_api.OperationAccepted)
    assert result.operation_id == OPERATION_ID
    assert result.operation_location == OPERATION_ACCEPTED["operationLocation"]


def test_get_decodes_a_sender_pool(call: Call, comms_api: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_json(SENDER_POOL)

    pool = call("get", POOL_ID)

    request = received(httpserver)
    assert request.headers["Authorization"] == ACCOUNT_BASIC
    assert request.get_data() == b""
    assert isinstance(pool, comms_api.SenderPool)
    assert pool.id == POOL_ID
    assert pool.name == SENDER_POOL["name"]
    assert pool.tags == {"tier": "1"}
    assert pool.created_at == START
    assert pool.created_at.utcoffset() == datetime.timedelta(0)
    assert pool.updated_at == datetime.datetime(2024, 1, 3, tzinfo=datetime.timezone.utc)


@pytest.mark.parametrize("status", [202, 204])
def test_delete_returns_none(call: Call, httpserver: HTTPServer, status: int) -> None:
    httpserver.expect_request(POOL_PATH, method="DELETE").respond_with_data("", status=status)

    assert call("delete", POOL_ID) is None
    assert received(httpserver).method == "DELETE"


@pytest.mark.parametrize(
    ("arguments", "expected_query"),
    [
        pytest.param(
            {"page_size": 10, "page_token": "abc", "start_date": START},
            [("pageSize", "10"), ("pageToken", "abc"), ("startDate", START.isoformat())],
            id="page and start date",
        ),
        pytest.param(
            {"end_date": START, "operation_id": OPERATION_ID},
            [("endDate", START.isoformat()), ("operationId", OPERATION_ID)],
            id="end date and operation",
        ),
        pytest.param({}, [], id="nothing given"),
    ],
)
def test_list_sends_only_the_given_query_parameters(
    call: Call,
    comms_api: Any,
    httpserver: HTTPServer,
    arguments: dict[str, Any],
    expected_query: list[tuple[str, str]],
) -> None:
    httpserver.expect_request("/v1/SenderPools", method="GET").respond_with_json(
        {"senderPools": [SENDER_POOL], "pagination": {"next": None, "self": "abc"}}
    )

    page = call("list_page", **arguments)

    assert query_pairs(received(httpserver)) == expected_query
    assert isinstance(page, comms_api.SenderPoolPage)
    assert [pool.id for pool in page.sender_pools] == [POOL_ID]
    assert page.pagination.next is None
    assert page.pagination.self_ == "abc"


def test_list_matches_an_exact_query_string(call: Call, httpserver: HTTPServer) -> None:
    """The same through the server's own matching: only a request with this query is answered."""
    httpserver.expect_request(
        "/v1/SenderPools",
        method="GET",
        query_string={"pageSize": "10", "pageToken": "abc", "startDate": START.isoformat()},
    ).respond_with_json({"senderPools": [], "pagination": {}})

    page = call("list_page", page_size=10, page_token="abc", start_date=START)

    assert page.sender_pools == []


def test_list_senders_filters_by_channel_and_decodes_senders(
    call: Call, comms_api: Any, httpserver: HTTPServer
) -> None:
    httpserver.expect_request(f"{POOL_PATH}/Senders", method="GET").respond_with_json(
        {
            "senders": [
                sender(displayName=None),
                sender(id=SENDER_IDS[1], status="DEACTIVATED", tags={"team": "a"}),
            ],
            "pagination": {"next": "page2"},
        }
    )

    page = call("list_senders_page", POOL_ID, channel=comms_api.SenderChannel.SMS)

    assert query_pairs(received(httpserver)) == [("channel", "SMS")]
    assert isinstance(page, comms_api.SenderPage)
    first, second = page.senders
    assert isinstance(first, comms_api.Sender)
    assert first.channel is comms_api.SenderChannel.SMS
    assert first.status is comms_api.SenderStatus.ACTIVATED
    assert first.display_name is None
    assert first.created_at == START
    assert second.display_name == "Support"
    assert second.status is comms_api.SenderStatus.DEACTIVATED
    assert second.tags == {"team": "a"}
    assert page.pagination.next == "page2"


@pytest.mark.parametrize(
    ("field", "enum_name", "value"),
    [("channel", "SenderChannel", "CARRIER_PIGEON"), ("status", "SenderStatus", "PAUSED")],
)
def test_unknown_enum_value_is_kept(
    call: Call, comms_api: Any, httpserver: HTTPServer, field: str, enum_name: str, value: str
) -> None:
    httpserver.expect_request(f"{POOL_PATH}/Senders", method="GET").respond_with_json(
        {"senders": [sender(**{field: value})], "pagination": {}}
    )

    (decoded,) = call("list_senders_page", POOL_ID).senders

    member = getattr(decoded, field)
    assert isinstance(member, getattr(comms_api, enum_name))
    assert member.value == value
    assert member == value


def test_add_sender_posts_a_json_array(call: Call, comms_api: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request(f"{POOL_PATH}/Senders", method="POST").respond_with_json(OPERATION_ACCEPTED, status=202)

    result = call(
        "add_sender",
        POOL_ID,
        body=[comms_api.SenderReference(sender_id=sender_id) for sender_id in SENDER_IDS],
    )

    request = received(httpserver)
    assert request.headers["Authorization"] == ACCOUNT_BASIC
    assert json_body(request) == [{"senderId": sender_id} for sender_id in SENDER_IDS]
    assert isinstance(result, comms_api.OperationAccepted)
    assert result.operation_id == OPERATION_ID


@pytest.mark.parametrize(
    ("operation", "arguments", "method", "expected_path", "answer"),
    [
        pytest.param(
            "remove_sender", (POOL_ID, SENDER_IDS[0]), "DELETE",
            f"{POOL_PATH}/Senders/{SENDER_IDS[0]}", None, id="remove_sender",
        ),
        pytest.param(
            "remove_sender", ("pool/1", "+1 555/0100"), "DELETE",
            "/v1/SenderPools/pool%2F1/Senders/%2B1%20555%2F0100", None,
            id="remove_sender slash space plus",
        ),
        pytest.param(
            "get", ("a/b c?d#e",), "GET", "/v1/SenderPools/a%2Fb%20c%3Fd%23e", SENDER_POOL,
            id="get slash space query fragment",
        ),
        pytest.param(
            "get_operation", ("op/1",), "GET", "/v1/SenderPools/Operations/op%2F1", OPERATION,
            id="get_operation slash",
        ),
        pytest.param(
            "delete", ("..",), "DELETE", "/v1/SenderPools/%2E%2E", None, id="delete dot-dot",
        ),
        pytest.param(
            "remove_sender", (POOL_ID, "."), "DELETE", f"{POOL_PATH}/Senders/%2E", None,
            id="remove_sender dot",
        ),
    ],
)  # fmt: skip
def test_path_parameters_are_one_encoded_segment(
    call: Call,
    httpserver: HTTPServer,
    operation: str,
    arguments: tuple[str, ...],
    method: str,
    expected_path: str,
    answer: Any,
) -> None:
    # Any path is answered, so that a wrong one shows up as a wrong path, not as a 500.
    handler = httpserver.expect_request(re.compile(".*"))
    if answer is None:
        handler.respond_with_data("", status=204)
    else:
        handler.respond_with_json(answer)

    result = call(operation, *arguments)

    request = received(httpserver)
    assert (request.method, raw_path(request)) == (method, expected_path)
    if answer is None:
        assert result is None


def test_list_operations_decodes_operations(call: Call, comms_api: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v1/SenderPools/Operations", method="GET").respond_with_json(
        {"operations": [OPERATION], "pagination": {"next": None}}
    )

    page = call("list_operations_page", status=comms_api.OperationStatus.COMPLETED, page_size=5)

    assert query_pairs(received(httpserver)) == [("pageSize", "5"), ("status", "COMPLETED")]
    assert isinstance(page, comms_api.SenderPoolOperationPage)
    (operation,) = page.operations
    assert operation.id == OPERATION_ID
    assert operation.stats.total == 10


def test_get_operation_decodes_stats(call: Call, comms_api: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request(f"/v1/SenderPools/Operations/{OPERATION_ID}", method="GET").respond_with_json(OPERATION)

    operation = call("get_operation", OPERATION_ID)

    assert isinstance(operation, comms_api.SenderPoolOperation)
    assert operation.status is comms_api.OperationStatus.PROCESSING
    assert isinstance(operation.stats, comms_api.SenderPoolOperationStats)
    stats = operation.stats
    assert (stats.total, stats.queued, stats.created, stats.failed) == (10, 5, 4, 1)
    assert operation.created_at == START


# --- transport -----------------------------------------------------------------------------


def test_closed_port_raises_connection_error(call: Call, comms_api: Any) -> None:
    port = closed_port()

    with pytest.raises(comms_api.ApiConnectionError) as caught:
        call("get", POOL_ID, client_options={"base_url": f"http://127.0.0.1:{port}"})

    assert not isinstance(caught.value, comms_api.ApiTimeoutError)
    assert isinstance(caught.value, comms_api.ApiError)
    assert caught.value.request.url.port == port


@pytest.fixture
def slow_server(httpserver: HTTPServer) -> Iterator[HTTPServer]:
    """The server answers GET of the pool after 0.5 s (sooner once the test is done)."""
    done = threading.Event()

    def answer_slowly(request: Request) -> Response:
        done.wait(0.5)
        return Response(json.dumps(SENDER_POOL), status=200, content_type="application/json")

    httpserver.expect_request(POOL_PATH, method="GET").respond_with_handler(answer_slowly)
    yield httpserver
    # Let the (single-threaded) server finish the abandoned request before the next test.
    done.set()
    deadline = time.monotonic() + 2
    while not httpserver.log and time.monotonic() < deadline:
        time.sleep(0.01)


def test_slow_answer_raises_timeout_error(call: Call, comms_api: Any, slow_server: HTTPServer) -> None:
    with pytest.raises(comms_api.ApiTimeoutError) as caught:
        call("get", POOL_ID, client_options={"timeout": 0.1})

    assert isinstance(caught.value, comms_api.ApiConnectionError)
    assert caught.value.request.url.path == POOL_PATH


# --- headers and client lifetime -------------------------------------------------------------


def test_default_and_client_headers(call: Call, httpserver: HTTPServer) -> None:
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_json(SENDER_POOL)

    call("get", POOL_ID, client_options={"headers": {"X-Trace-Id": "t-1"}})

    request = received(httpserver)
    assert request.headers["User-Agent"].startswith("comms_api/1.0.0 python/")
    assert request.headers["Accept"] == "application/json"
    assert request.headers["X-Trace-Id"] == "t-1"


def _sync_context_manager(api: Any, base_url: str) -> tuple[bool, Any, bool]:
    with api.Client(base_url=base_url, **ACCOUNT_CREDENTIALS) as client:
        entered_itself = isinstance(client, api.Client)
        pool = client.sender_pools.get(POOL_ID)
    return entered_itself, pool, client._http.is_closed


async def _async_context_manager(api: Any, base_url: str) -> tuple[bool, Any, bool]:
    async with api.AsyncClient(base_url=base_url, **ACCOUNT_CREDENTIALS) as client:
        entered_itself = isinstance(client, api.AsyncClient)
        pool = await client.sender_pools.get(POOL_ID)
    return entered_itself, pool, client._http.is_closed


def test_context_manager_closes_its_own_connections(
    kind: str, comms_api: Any, httpserver: HTTPServer, base_url: str
) -> None:
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_json(SENDER_POOL)

    entered_itself, pool, own_http_closed = run_scenario(
        kind, _sync_context_manager, _async_context_manager, comms_api, base_url
    )

    assert entered_itself
    assert pool.id == POOL_ID
    assert own_http_closed  # no public view of the owned httpx client: read the private one


def _sync_caller_http_client(api: Any, base_url: str) -> tuple[Any, bool]:
    with httpx.Client(headers={"X-Caller-Client": "yes"}) as http:
        client = api.Client(base_url=base_url, http_client=http, **ACCOUNT_CREDENTIALS)
        pool = client.sender_pools.get(POOL_ID)
        client.close()
        return pool, http.is_closed


async def _async_caller_http_client(api: Any, base_url: str) -> tuple[Any, bool]:
    async with httpx.AsyncClient(headers={"X-Caller-Client": "yes"}) as http:
        client = api.AsyncClient(base_url=base_url, http_client=http, **ACCOUNT_CREDENTIALS)
        pool = await client.sender_pools.get(POOL_ID)
        await client.close()
        return pool, http.is_closed


def test_caller_http_client_is_used_and_left_open(
    kind: str, comms_api: Any, httpserver: HTTPServer, base_url: str
) -> None:
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_json(SENDER_POOL)

    pool, http_closed = run_scenario(kind, _sync_caller_http_client, _async_caller_http_client, comms_api, base_url)

    request = received(httpserver)
    assert request.headers["X-Caller-Client"] == "yes"
    assert request.headers["Authorization"] == ACCOUNT_BASIC
    assert pool.id == POOL_ID
    assert not http_closed
