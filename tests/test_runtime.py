"""The hand-written runtime that every generated client carries (generator/runtime/)."""

from __future__ import annotations

import collections
import datetime
import json
import pickle
import uuid
from types import MappingProxyType
from typing import Any

import httpx
import pytest

from generator.runtime._base_client import (
    NO_OPTIONS,
    ApiKeyAuth,
    BasicAuth,
    BearerAuth,
    CallOptions,
    Request,
    SyncApiClient,
)
from generator.runtime._exceptions import ApiStatusError, MissingCredentialsError, RequestValidationError, status_error
from generator.runtime._pagination import SyncPager, attr_path
from generator.runtime._retries import backoff, retry_after, retry_delay, should_retry_error, should_retry_status
from generator.runtime._types import NOT_GIVEN, NotGiven, OpenIntEnum, OpenStrEnum, is_array, model_repr
from generator.runtime._utils import (
    as_field,
    decode_error_body,
    decode_tagged,
    decode_union,
    encode_form,
    encode_headers,
    encode_query,
    encode_value,
    enum_value,
    format_path,
    merge_body,
    parse_datetime,
)
from generator.runtime._validation import Rule, check_request
from generator.runtime._waiting import OperationFailedError, WaitSpec


class Color(OpenStrEnum):
    RED = "red"
    GREEN = "green"


class Level(OpenIntEnum):
    LOW = 1
    HIGH = 2


def test_not_given_is_a_falsy_singleton_distinct_from_none() -> None:
    assert NotGiven() is NOT_GIVEN
    assert not NOT_GIVEN
    assert NOT_GIVEN is not None
    assert repr(NOT_GIVEN) == "NOT_GIVEN"
    assert pickle.loads(pickle.dumps(NOT_GIVEN)) is NOT_GIVEN


def test_open_enums_keep_unknown_values() -> None:
    assert Color("red") is Color.RED
    purple = Color("purple")
    assert purple == "purple" and purple.value == "purple" and str(purple) == "purple"
    assert Color("purple") is purple  # the same unknown value gives the same member
    assert list(Color) == [Color.RED, Color.GREEN]  # only documented members are listed
    assert Level(3).value == 3 and Level(1) is Level.LOW
    with pytest.raises(ValueError):
        Color(3)  # a value of the wrong kind is still an error
    with pytest.raises(ValueError):
        Level("3")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2024-01-02T03:04:05Z", datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)),
        (
            "2024-01-02T03:04:05.250+02:00",
            datetime.datetime(2024, 1, 2, 3, 4, 5, 250000, tzinfo=datetime.timezone(datetime.timedelta(hours=2))),
        ),
        ("2024-01-02T03:04:05", datetime.datetime(2024, 1, 2, 3, 4, 5)),
    ],
)
def test_parse_datetime(text: str, expected: datetime.datetime) -> None:
    assert parse_datetime(text) == expected


def test_format_path_encodes_each_value_as_one_segment() -> None:
    assert (
        format_path("/pools/{id}/senders/{sender-id}", {"id": "a/b c", "sender-id": 7}) == "/pools/a%2Fb%20c/senders/7"
    )
    assert format_path("/flags/{on}", {"on": True}) == "/flags/true"


@pytest.mark.parametrize(
    ("values", "styles", "expected"),
    [
        ({"a": NOT_GIVEN, "b": None, "c": 1}, None, [("c", "1")]),
        ({"ids": [1, 2]}, None, [("ids", "1"), ("ids", "2")]),
        ({"ids": [1, 2]}, {"ids": ("form", False)}, [("ids", "1,2")]),
        ({"ids": ["a", "b"]}, {"ids": ("pipeDelimited", False)}, [("ids", "a%7Cb")]),
        ({"ids": ["a", "b"]}, {"ids": ("spaceDelimited", False)}, [("ids", "a%20b")]),
        ({"f": {"x": 1, "y": "z"}}, {"f": ("deepObject", True)}, [("f%5Bx%5D", "1"), ("f%5By%5D", "z")]),
        ({"f": {"x": 1}}, None, [("x", "1")]),
        ({"f": {"x": 1, "y": 2}}, {"f": ("form", False)}, [("f", "x,1,y,2")]),
        ({"on": True, "color": Color.RED}, None, [("on", "true"), ("color", "red")]),
        (
            {"at": datetime.datetime(2024, 1, 2, tzinfo=datetime.timezone.utc)},
            None,
            [("at", "2024-01-02T00%3A00%3A00%2B00%3A00")],
        ),
        ({"day": datetime.date(2024, 1, 2)}, None, [("day", "2024-01-02")]),
    ],
)
def test_encode_query(
    values: dict[str, object], styles: dict[str, tuple[str, bool]] | None, expected: list[tuple[str, str]]
) -> None:
    assert encode_query(values, styles) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ([1], True),
        ((1,), True),
        (range(2), True),
        (collections.deque([1]), True),
        ("ab", False),
        (Color.RED, False),  # a string enum's member is a string
        (b"ab", False),
        (bytearray(b"ab"), False),
        (memoryview(b"ab"), False),
        ({"a": 1}, False),
        ({1}, False),
        (None, False),
    ],
)
def test_is_array(value: object, expected: bool) -> None:
    assert is_array(value) is expected


def test_tuples_and_other_sequences_are_encoded_as_lists_are() -> None:
    for ids in ((1, 2), range(1, 3), collections.deque([1, 2])):
        for styles in (None, {"ids": ("form", False)}, {"ids": ("pipeDelimited", False)}):
            assert encode_query({"ids": ids}, styles) == encode_query({"ids": [1, 2]}, styles)
        for style, explode in (("simple", False), ("label", True), ("matrix", True), ("matrix", False)):
            as_list = format_path("/x/{id}", {"id": [1, 2]}, {"id": (style, explode)})
            assert format_path("/x/{id}", {"id": ids}, {"id": (style, explode)}) == as_list
        assert encode_headers({"X-Ids": ids}) == {"X-Ids": "1,2"}
        assert encode_form({"ids": ids, "nested": {"ids": ids}}) == encode_form(
            {"ids": [1, 2], "nested": {"ids": [1, 2]}}
        )
        assert encode_value({"ids": ids}) == {"ids": [1, 2]}
    assert encode_query({"name": "ab"}) == [("name", "ab")]  # a string is one value, not two


def test_as_field_makes_an_argument_the_list_or_dict_a_field_holds() -> None:
    given = [1]
    assert as_field(given) is given  # a list or dict is taken as it is
    assert as_field((1, 2)) == [1, 2] and type(as_field((1, 2))) is list
    assert as_field(MappingProxyType({"a": 1})) == {"a": 1} and type(as_field(MappingProxyType({}))) is dict
    assert as_field([("a.png", b"")]) == [("a.png", b"")]  # only the outer array: a file tuple stays one
    for kept in (NOT_GIVEN, None, "", "ab", Color.RED, 1):
        assert as_field(kept) is kept


def test_encode_headers() -> None:
    assert encode_headers({"X-A": "1", "X-B": NOT_GIVEN, "X-C": [1, 2], "X-D": False}) == {
        "X-A": "1",
        "X-C": "1,2",
        "X-D": "false",
    }


def test_encode_value_handles_everything_a_model_holds() -> None:
    class Model:
        def to_dict(self) -> dict[str, int]:
            return {"a": 1}

    value = {"m": Model(), "e": Color.GREEN, "d": datetime.date(2024, 1, 2), "u": uuid.UUID(int=1), "l": [Level.HIGH]}
    assert encode_value(value) == {"m": {"a": 1}, "e": "green", "d": "2024-01-02", "u": str(uuid.UUID(int=1)), "l": [2]}


def test_decode_union_tries_members_in_order_and_keeps_unknown_values() -> None:
    def strict(data: dict[str, int]) -> str:
        return f"strict {data['x']}"

    assert decode_union({"x": 1}, (strict,)) == "strict 1"
    assert decode_union({"y": 1}, (strict,)) == {"y": 1}


def test_decode_tagged_picks_the_member_its_tag_names() -> None:
    decoders = {"cat": lambda d: ("cat", d["name"]), "dog": lambda d: ("dog", d["name"])}
    assert decode_tagged({"kind": "dog", "name": "Rex"}, "kind", decoders) == ("dog", "Rex")
    assert decode_tagged({"kind": "eel"}, "kind", decoders) == {"kind": "eel"}
    assert decode_tagged("plain", "kind", decoders) == "plain"


@pytest.mark.parametrize(
    ("content", "decoder", "expected"),
    [
        (b"", None, None),
        (b'{"message": "no"}', lambda d: ("model", d["message"]), ("model", "no")),
        (b'{"other": 1}', lambda d: ("model", d["message"]), {"other": 1}),
        (b"[1, 2]", None, [1, 2]),
        (b"Bad Gateway", None, "Bad Gateway"),
    ],
)
def test_decode_error_body(content: bytes, decoder: object, expected: object) -> None:
    response = httpx.Response(400, content=content)
    assert decode_error_body(response, decoder) == expected  # type: ignore[arg-type]


def test_auth_schemes_apply_their_credentials() -> None:
    headers: dict[str, str] = {}
    params: list[tuple[str, str]] = []
    cookies: dict[str, str] = {}
    BasicAuth("user", "pa:ss").apply(headers, params, cookies)
    assert headers["Authorization"] == "Basic dXNlcjpwYTpzcw=="
    BearerAuth("tok").apply(headers, params, cookies)
    assert headers["Authorization"] == "Bearer tok"
    ApiKeyAuth("query", "key", "k1").apply(headers, params, cookies)
    ApiKeyAuth("cookie", "sid", "c1").apply(headers, params, cookies)
    ApiKeyAuth("header", "X-Key", "h1").apply(headers, params, cookies)
    assert params == [("key", "k1")] and cookies == {"sid": "c1"} and headers["X-Key"] == "h1"


def _client(auth: dict[str, BasicAuth]) -> SyncApiClient:
    return SyncApiClient(
        base_url="https://api.example.com/v1",
        auth=auth,
        credential_names={"a": "pass account_id and auth_token", "k": "pass api_key and api_key_secret"},
        headers={"X-Extra": "1"},
        package="pkg",
        version="1.0",
        timeout=5,
        http_client=None,
    )


def test_the_first_alternative_whose_credentials_are_held_is_used() -> None:
    with _client({"k": BasicAuth("key", "secret")}) as client:
        built = client._build_request(client._http, Request("GET", "/x", security=(("a",), ("k",))), NO_OPTIONS)
    assert built.headers["Authorization"] == "Basic a2V5OnNlY3JldA=="  # key:secret
    assert str(built.url) == "https://api.example.com/v1/x"
    assert built.headers["X-Extra"] == "1"
    assert built.headers["User-Agent"].startswith("pkg/1.0 python/")


def test_a_json_body_is_written_as_httpx_writes_it_with_any_sequence_or_mapping_in_it() -> None:
    body = {"a": ("x", "é"), "b": collections.deque([1, 2]), "c": MappingProxyType({"d": range(2)}), "e": [None]}
    with _client({}) as client:
        built = client._build_request(client._http, Request("POST", "/x", json=body), NO_OPTIONS)
        as_httpx = client._http.build_request(
            "POST", "/x", json={"a": ["x", "é"], "b": [1, 2], "c": {"d": [0, 1]}, "e": [None]}
        )
        typed = client._build_request(
            client._http, Request("POST", "/x", json=[1]), CallOptions(extra_headers={"content-type": "text/x"})
        )
        with pytest.raises(TypeError, match="not JSON serializable"):
            client._build_request(client._http, Request("POST", "/x", json={"a": object()}), NO_OPTIONS)
    assert built.content == as_httpx.content
    assert built.headers["Content-Type"] == "application/json"
    assert built.headers["Content-Length"] == as_httpx.headers["Content-Length"]
    assert typed.headers.get_list("Content-Type") == ["text/x"]  # the caller's wins, as with httpx
    assert json.loads(typed.content) == [1]


def test_missing_credentials_are_named() -> None:
    with _client({}) as client:
        with pytest.raises(
            MissingCredentialsError, match="pass account_id and auth_token; or pass api_key and api_key_secret"
        ):
            client._build_request(client._http, Request("GET", "/x", security=(("a",), ("k",))), NO_OPTIONS)
        anonymous = client._build_request(client._http, Request("GET", "/x", security=(("a",), ())), NO_OPTIONS)
    assert "Authorization" not in anonymous.headers


class Teapot(ApiStatusError):
    pass


@pytest.mark.parametrize(
    ("status", "decoders", "expected_class", "expected_body"),
    [
        (418, None, "Teapot", {"m": 1}),
        (404, None, "UnexpectedStatusError", {"m": 1}),
        (404, {"4XX": lambda d: ("range", d["m"])}, "UnexpectedStatusError", ("range", 1)),
        (404, {404: lambda d: ("exact", d["m"]), "4XX": lambda d: "range"}, "UnexpectedStatusError", ("exact", 1)),
        (
            500,
            {"default": lambda d: ("default", d["m"]), "4XX": lambda d: "range"},
            "UnexpectedStatusError",
            ("default", 1),
        ),
        (418, lambda d: ("one", d["m"]), "Teapot", ("one", 1)),
    ],
)
def test_status_error_picks_class_and_body_decoder(
    status: int, decoders: Any, expected_class: str, expected_body: object
) -> None:
    response = httpx.Response(status, json={"m": 1}, request=httpx.Request("GET", "https://x/"))
    error = status_error(response, {418: Teapot}, decoders)
    assert type(error).__name__ == expected_class
    assert isinstance(error, ApiStatusError) and error.status_code == status and error.body == expected_body
    assert error.request is response.request


def test_status_error_message_is_bounded() -> None:
    response = httpx.Response(400, text="x" * 10_000, request=httpx.Request("GET", "https://x/"))
    assert len(str(status_error(response, {}))) == 500


# -- retries --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "status", "retried"),
    [
        ("POST", 429, True),
        ("PATCH", 503, True),
        ("PATCH", 500, False),
        ("POST", 502, False),
        ("GET", 500, True),
        ("PUT", 504, True),
        ("DELETE", 408, True),
        ("POST", 408, False),
        ("GET", 404, False),
        ("GET", 501, True),
    ],
)
def test_which_statuses_are_retried(method: str, status: int, retried: bool) -> None:
    assert should_retry_status(method, status) is retried


@pytest.mark.parametrize(
    ("method", "error", "retried"),
    [
        ("POST", httpx.ConnectError("refused"), True),  # nothing was sent
        ("PATCH", httpx.ConnectTimeout("slow"), True),
        ("PATCH", httpx.ReadTimeout("slow"), False),  # it may have reached the server
        ("POST", httpx.RemoteProtocolError("dropped"), False),
        ("GET", httpx.RemoteProtocolError("dropped"), True),
        ("GET", httpx.ReadTimeout("slow"), True),
    ],
)
def test_which_errors_are_retried(method: str, error: httpx.TransportError, retried: bool) -> None:
    assert should_retry_error(method, error) is retried


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({}, None),
        ({"Retry-After": "3"}, 3.0),
        ({"Retry-After": "1.5"}, 1.5),
        ({"retry-after-ms": "250", "Retry-After": "9"}, 0.25),
        ({"Retry-After": "Wed, 21 Oct 2015 07:28:10 GMT"}, 10.0),  # `now` is 07:28:00
        ({"Retry-After": "Wed, 21 Oct 2015 07:27:00 GMT"}, 0.0),
        ({"Retry-After": "soon"}, None),
        ({"Retry-After": "-4"}, 0.0),
    ],
)
def test_retry_after(headers: dict[str, str], expected: float | None) -> None:
    now = datetime.datetime(2015, 10, 21, 7, 28, 0, tzinfo=datetime.timezone.utc).timestamp()
    assert retry_after(httpx.Headers(headers), now=now) == expected


def test_backoff_grows_with_jitter_and_is_capped() -> None:
    for attempt, ceiling in [(0, 0.5), (1, 1.0), (2, 2.0), (10, 8.0)]:
        delays = [backoff(attempt) for _ in range(50)]
        assert all(0.75 * ceiling <= d <= ceiling for d in delays)
    assert len({backoff(3) for _ in range(20)}) > 1


def test_retry_delay_refuses_long_waits_and_exhausted_budgets() -> None:
    request = httpx.Request("GET", "https://x/")
    assert retry_delay(httpx.Response(503, headers={"Retry-After": "2"}, request=request), 0, 2) == 2.0
    assert retry_delay(httpx.Response(503, headers={"Retry-After": "61"}, request=request), 0, 2) is None
    assert retry_delay(httpx.Response(503, request=request), 2, 2) is None
    assert retry_delay(httpx.Response(200, request=request), 0, 2) is None


# -- validation -----------------------------------------------------------------------------------


TAGS = Rule(max_properties=10, keys=Rule(max_length=128), values=Rule(max_length=256))


@pytest.mark.parametrize(
    ("value", "rule", "problems"),
    [
        ({"tags": {"tier": "x" * 257}}, Rule(properties={"tags": TAGS}), ["tags['tier']: longer than 256 characters"]),
        (
            {"tags": {"k" * 129: "v"}},
            Rule(properties={"tags": TAGS}),
            [f"tags: key '{'k' * 37}...': longer than 128 characters"],
        ),
        ({"tags": {str(i): "v" for i in range(11)}}, Rule(properties={"tags": TAGS}), ["tags: more than 10 entries"]),
        ({"tags": {"tier": "{{ recipient.tier }}"}}, Rule(properties={"tags": TAGS}), []),
        ({}, Rule(required=("name",)), ["name: required"]),
        (
            {"a": [1, 2, 3]},
            Rule(properties={"a": Rule(max_items=2, items=Rule(minimum=2))}),
            ["a: more than 2 items", "a[0]: less than 2"],
        ),
        ("abc", Rule(pattern="^[a-z]+$", min_length=4), ["shorter than 4 characters"]),
        ("ABC", Rule(pattern="^[a-z]+$"), ["does not match the pattern '^[a-z]+$'"]),
        (5, Rule(exclusive_maximum=5), ["not less than 5"]),
        (7, Rule(multiple_of=2), ["not a multiple of 2"]),
        (Color("purple"), Rule(enum=("red", "green")), ["not one of 'red', 'green'"]),
        (Color.RED, Rule(enum=("red", "green")), []),
        ([1, 1], Rule(unique_items=True), ["items are not unique"]),
        (NOT_GIVEN, Rule(min_length=3), []),
        # An enum's plain value is checked as its member is; JSON's `true` is not `1`.
        ("green", Rule(enum=("red", "green")), []),
        ("purple", Rule(enum=("red", "green")), ["not one of 'red', 'green'"]),
        (Level(3), Rule(enum=(1, 2)), ["not one of 1, 2"]),
        (2, Rule(enum=(1, 2)), []),
        (True, Rule(enum=(1, 2)), ["not one of 1, 2"]),
        (["red", Color.GREEN, "blue"], Rule(items=Rule(enum=("red", "green"))), ["[2]: not one of 'red', 'green'"]),
        # A union's value must meet one member's rule.
        ("red", Rule(any_of=(Rule(enum=("red",)), Rule(enum=(1, 2)))), []),
        (2, Rule(any_of=(Rule(enum=("red",)), Rule(enum=(1, 2)))), []),
        (
            "blue",
            Rule(any_of=(Rule(enum=("red",)), Rule(enum=(1, 2)))),
            ["matches none of its alternatives (not one of 'red'; or not one of 1, 2)"],
        ),
        (
            {"u": {"a": 1}},
            Rule(properties={"u": Rule(any_of=(Rule(required=("b",)), Rule(required=("c",))))}),
            ["u: matches none of its alternatives (b: required; or c: required)"],
        ),
        # An array argument takes any sequence but a string (or bytes, or a mapping).
        (("a", "b"), Rule(array=True, max_items=1), ["more than 1 items"]),
        (range(3), Rule(array=True, items=Rule(maximum=1)), ["[2]: greater than 1"]),
        ("ab", Rule(array=True, items=Rule(max_length=0)), ["expected an array, found str"]),
        (b"ab", Rule(array=True), ["expected an array, found bytes"]),
        ({"a": 1}, Rule(array=True), ["expected an array, found dict"]),
        (None, Rule(array=True), []),
        ("", Rule(any_of=(Rule(array=True), Rule(enum=("",)))), []),
        (
            "ab",
            Rule(any_of=(Rule(array=True), Rule(enum=("",)))),
            ["matches none of its alternatives (expected an array, found str; or not one of '')"],
        ),
    ],
)
def test_check_request_reports_every_violation_with_its_path(value: object, rule: Rule, problems: list[str]) -> None:
    if problems:
        with pytest.raises(RequestValidationError) as raised:
            check_request(("", value, rule))
        assert raised.value.problems == problems
    else:
        check_request(("", value, rule))


def test_model_rules_are_followed_lazily() -> None:
    class Node:
        _RULE = Rule(required=("name",), properties={"children": Rule(items=Rule(model=lambda: Node._RULE))})

        def __init__(self, data: dict[str, Any]) -> None:
            self.data = data

        def to_dict(self) -> dict[str, Any]:
            return self.data

    tree = Node({"name": "a", "children": [{"name": "b"}, {"children": []}]})
    with pytest.raises(RequestValidationError) as raised:
        check_request(("tree", tree, Rule(model=lambda: Node._RULE)))
    assert raised.value.problems == ["tree.children[1].name: required"]


def test_enum_value_takes_a_member_or_its_plain_value() -> None:
    assert enum_value(Color.RED) == "red" and type(enum_value(Color.RED)) is str
    assert enum_value("red") == "red"
    assert enum_value(Color("purple")) == "purple"  # refused by the check, not here
    assert enum_value(Level.HIGH) == 2 and type(enum_value(Level.HIGH)) is int
    assert enum_value(2) == 2


def test_merge_body_adds_and_replaces_entries() -> None:
    assert merge_body({"a": 1, "b": 2}, {"b": 3, "c": [4]}) == {"a": 1, "b": 3, "c": [4]}
    assert merge_body({"a": 1}, None) == {"a": 1}
    assert merge_body(None, None) is None  # no body stays no body
    assert merge_body(None, {}) is None
    assert merge_body(None, {"a": 1}) == {"a": 1}
    body = {"a": 1}
    merge_body(body, {"b": 2})
    assert body == {"a": 1}  # the body is not changed in place
    with pytest.raises(TypeError, match="object body, not list"):
        merge_body([1], {"a": 1})
    assert encode_form(merge_body({"meta": {"k": "v"}}, {"meta": {"x": "1"}, "flag": True})) == [
        ("meta[x]", "1"),
        ("flag", "true"),
    ]


# -- pagination and waiting -----------------------------------------------------------------------


def test_attr_path_stops_at_missing_steps() -> None:
    class Page:
        pagination = type("P", (), {"next": "t2"})()
        empty = None
        absent = NOT_GIVEN

    assert attr_path(Page(), "pagination", "next") == "t2"
    assert attr_path(Page(), "empty", "next") is None
    assert attr_path(Page(), "absent", "next") is None
    assert attr_path(Page(), "absent") is None


def test_pager_stops_on_a_repeated_cursor() -> None:
    pages = {NOT_GIVEN: (["a"], "t1"), "t1": (["b"], "t2"), "t2": (["c"], "t1")}
    fetched: list[object] = []

    def fetch(cursor: object) -> tuple[list[str], str]:
        fetched.append(cursor)
        return pages[cursor]  # type: ignore[index,unused-ignore]

    pager = SyncPager(fetch, NOT_GIVEN, lambda page: page[0], lambda page: page[1])
    assert list(pager) == ["a", "b", "c"]
    assert fetched == [NOT_GIVEN, "t1", "t2"]


def test_wait_spec_outcome() -> None:
    spec: WaitSpec[object, dict[str, Any]] = WaitSpec(
        location=lambda body, response: None,
        parse=lambda response: {},
        security=(),
        state=lambda result: result["status"],
        pending=frozenset({"PROCESSING"}),
        failed=frozenset({"CANCELED"}),
    )
    assert spec.outcome({"status": "PROCESSING"}) is False
    assert spec.outcome({"status": Color("COMPLETED")}) is True
    with pytest.raises(OperationFailedError):
        spec.outcome({"status": "CANCELED"})


@pytest.mark.parametrize(
    ("value", "style", "explode", "expected"),
    [
        (5, "simple", False, "/x/5"),
        ([3, 4], "simple", False, "/x/3,4"),
        ({"a": 1, "b": 2}, "simple", False, "/x/a,1,b,2"),
        ({"a": 1, "b": 2}, "simple", True, "/x/a=1,b=2"),
        (5, "label", False, "/x/.5"),
        ([3, 4], "label", False, "/x/.3,4"),
        ([3, 4], "label", True, "/x/.3.4"),
        (5, "matrix", False, "/x/;id=5"),
        ([3, 4], "matrix", False, "/x/;id=3,4"),
        ([3, 4], "matrix", True, "/x/;id=3;id=4"),
        ({"a": 1, "b": 2}, "matrix", True, "/x/;a=1;b=2"),
    ],
)
def test_format_path_styles(value: object, style: str, explode: bool, expected: str) -> None:
    assert format_path("/x/{id}", {"id": value}, {"id": (style, explode)}) == expected


def test_form_and_multipart_encoding() -> None:
    from generator.runtime._utils import encode_form, encode_multipart

    assert encode_form(
        {"expand": ["a", "b"], "card": {"number": "42", "exp": {"month": 1}}, "items": [{"price": "p"}], "on": True}
    ) == [
        ("expand", "a"),
        ("expand", "b"),
        ("card[number]", "42"),
        ("card[exp][month]", "1"),
        ("items[0][price]", "p"),
        ("on", "true"),
    ]
    parts = encode_multipart(
        {"file": ("a.txt", b"hi", "text/plain"), "tags": ["x", "y"], "meta": {"k": 1}, "skip": NOT_GIVEN}
    )
    assert parts == [
        ("file", ("a.txt", b"hi", "text/plain")),
        ("tags", (None, "x")),
        ("tags", (None, "y")),
        ("meta", (None, '{"k":1}', "application/json")),
    ]
    # A tuple that is a file is one part; any other tuple is a part per item.
    assert encode_multipart({"file": ("a.txt", b"hi"), "tags": ("x", "y"), "nested": [("x",)]}) == [
        ("file", ("a.txt", b"hi")),
        ("tags", (None, "x")),
        ("tags", (None, "y")),
        ("nested", (None, '["x"]', "application/json")),
    ]


def test_model_repr_shows_what_was_given() -> None:
    import dataclasses

    @dataclasses.dataclass(slots=True, kw_only=True, repr=False)
    class Pool:
        id: str
        name: str | None | NotGiven = NOT_GIVEN
        tags: dict[str, str] | NotGiven = NOT_GIVEN
        additional_properties: dict[str, Any] = dataclasses.field(default_factory=dict)

        def __repr__(self) -> str:
            return model_repr(self)

    assert repr(Pool(id="p")) == "Pool(id='p')"
    assert repr(Pool(id="p", name=None, tags={})) == "Pool(id='p', name=None, tags={})"
    assert repr(Pool(id="p", additional_properties={"x": 1})) == "Pool(id='p', additional_properties={'x': 1})"
