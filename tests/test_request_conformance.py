"""Requests exactly as the document says, on the wire (issue 13): union bodies checked before
sending, objects that allow no property, required names no property describes, alternatives of
required names (`anyOf`/`oneOf` of `required`) and `not: {required}`, an operation whose only
answer is a redirection, zero bounds, boolean enums, and relative path- and operation-level
servers. One small document, written
here, is generated as a user does and its client called against a server on 127.0.0.1."""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from generator.pipeline import generate_files
from generator.write import write_tree

DOCUMENT = """\
openapi: 3.1.0
info: {title: Conformance Probe, version: "1"}
servers: [{url: "http://example.invalid/api"}]
paths:
  /union:
    post:
      operationId: postUnion
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - $ref: '#/components/schemas/Versioned'
                - $ref: '#/components/schemas/Numbered'
      responses: {'204': {description: sent}}
  /inline-union:
    post:
      operationId: postInlineUnion
      requestBody:
        required: true
        content:
          application/json:
            schema:
              anyOf:
                - type: object
                  required: [name]
                  properties: {name: {type: string, pattern: '^v[0-9]+$'}}
                - type: object
                  required: [count]
                  properties: {count: {type: integer, minimum: 1}}
      responses: {'204': {description: sent}}
  /holder:
    post:
      operationId: postHolder
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Holder'}
      responses: {'204': {description: sent}}
  /batch:
    post:
      operationId: postBatch
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                ids: {type: array, items: {type: string}}
                files: {type: array, items: {type: string}}
              anyOf: [{required: [ids]}, {required: [files]}]
      responses: {'204': {description: sent}}
    put:
      operationId: putBatch
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties:
                ids: {type: array, items: {type: string}}
                files: {type: array, items: {type: string}}
              oneOf: [{required: [ids]}, {required: [files]}]
      responses: {'204': {description: sent}}
  /ref:
    post:
      operationId: postRef
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              properties: {url: {type: string}, file_id: {type: string}}
              anyOf: [{required: [url]}, {required: [file_id]}]
              not: {required: [url, file_id]}
      responses: {'204': {description: sent}}
  /payload:
    get:
      operationId: getPayload
      responses:
        '307':
          description: Where the payload is.
          content:
            application/json:
              schema: {type: object, properties: {redirect_to: {type: string}}}
        '404': {description: no payload}
  /empty:
    post:
      operationId: postEmpty
      requestBody:
        required: true
        content:
          application/json:
            schema: {type: object, additionalProperties: false}
      responses: {'204': {description: sent}}
  /missing:
    post:
      operationId: postMissing
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [id, ghost]
              properties: {id: {type: integer}}
      responses: {'204': {description: sent}}
  /flags:
    get:
      operationId: getFlags
      parameters:
        - {name: "on", in: query, schema: {type: boolean, enum: [true]}}
        - {name: either, in: query, schema: {enum: [true, false]}}
        - {name: offset, in: query, schema: {type: integer, minimum: 0}}
      responses: {'204': {description: sent}}
  /on-path-server:
    servers: [{url: /v2}]
    get:
      operationId: getOnPathServer
      responses: {'204': {description: sent}}
  /on-operation-server:
    servers: [{url: /v2}]
    get:
      operationId: getOnOperationServer
      servers: [{url: /v3/}]
      responses: {'204': {description: sent}}
  /on-relative-server:
    get:
      operationId: getOnRelativeServer
      servers: [{url: ./beta/}]
      responses: {'204': {description: sent}}
components:
  schemas:
    Versioned:
      type: object
      required: [name]
      properties: {name: {type: string, pattern: '^v[0-9]+$'}}
    Numbered:
      type: object
      required: [count]
      properties: {count: {type: integer, minimum: 1}}
    Free:
      type: object
      properties: {note: {type: string}}
    Nothing: {type: object, additionalProperties: false}
    Counts: {type: object, required: [total], additionalProperties: {type: integer}}
    Holder:
      type: object
      properties:
        item:
          oneOf:
            - $ref: '#/components/schemas/Versioned'
            - $ref: '#/components/schemas/Numbered'
        loose:
          oneOf:
            - $ref: '#/components/schemas/Versioned'
            - $ref: '#/components/schemas/Free'
        nothing: {$ref: '#/components/schemas/Nothing'}
        counts: {$ref: '#/components/schemas/Counts'}
"""


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = tmp_path_factory.mktemp("conformance")
    spec = folder / "probe.yaml"
    spec.write_text(DOCUMENT)
    result = generate_files(spec)
    write_tree(result.files, folder / "out" / result.api.package)
    sys.path.insert(0, str(folder / "out"))
    try:
        yield importlib.import_module(result.api.package)
    finally:
        sys.path.remove(str(folder / "out"))
        for name in [n for n in sys.modules if n.split(".")[0] == result.api.package]:
            del sys.modules[name]


@pytest.fixture
def client(probe: ModuleType, httpserver: HTTPServer) -> Iterator[Any]:
    with probe.Client(base_url=httpserver.url_for("/"), max_retries=0) as client:
        yield client


def _sent(httpserver: HTTPServer) -> list[tuple[str, Any]]:
    """Each request's path and JSON body (None without one)."""
    return [(r.path, json.loads(r.get_data()) if r.get_data() else None) for r, _ in httpserver.log]


def _refused(probe: ModuleType, httpserver: HTTPServer, call: Any) -> str:
    with pytest.raises(probe.RequestValidationError) as caught:
        call()
    assert httpserver.log == []
    return str(caught.value)


# -- union bodies and fields ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "body",
    [
        lambda models: {"name": "nope"},
        lambda models: models.Versioned(name="nope"),
        # A member's instance is that member: the other member's rule does not let it through.
        lambda models: models.Versioned(name="nope", additional_properties={"count": 3}),
    ],
    ids=["plain", "instance", "instance-also-like-another-member"],
)
def test_invalid_union_body_is_refused_before_sending(
    probe: ModuleType, client: Any, httpserver: HTTPServer, body: Callable[[ModuleType], Any]
) -> None:
    value = body(probe.models)
    message = _refused(probe, httpserver, lambda: client.post_union(body=value))
    assert "does not match the pattern '^v[0-9]+$'" in message


def test_valid_union_bodies_are_sent(probe: ModuleType, client: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/union", method="POST").respond_with_data(status=204)
    httpserver.expect_request("/inline-union", method="POST").respond_with_data(status=204)
    client.post_union(body=probe.models.Versioned(name="v2"))
    client.post_union(body={"count": 3})
    client.post_inline_union(body={"name": "v1"})
    assert _sent(httpserver) == [
        ("/union", {"name": "v2"}),
        ("/union", {"count": 3}),
        ("/inline-union", {"name": "v1"}),
    ]


def test_inline_union_member_is_checked(probe: ModuleType, client: Any, httpserver: HTTPServer) -> None:
    member = probe.models.PostInlineUnionBodyVariant1(name="nope")
    assert "'^v[0-9]+$'" in _refused(probe, httpserver, lambda: client.post_inline_union(body=member))


def test_union_field_with_an_unconstrained_member_checks_the_constrained_one(
    probe: ModuleType, client: Any, httpserver: HTTPServer
) -> None:
    message = _refused(probe, httpserver, lambda: client.post_holder(loose=probe.models.Versioned(name="nope")))
    assert message.endswith("loose.name: does not match the pattern '^v[0-9]+$'")
    httpserver.expect_request("/holder", method="POST").respond_with_data(status=204)
    client.post_holder(loose={"name": "nope"})  # may be a Free, which allows any name
    client.post_holder(loose=probe.models.Free(note="x"), item=probe.models.Numbered(count=1))
    assert _sent(httpserver) == [
        ("/holder", {"loose": {"name": "nope"}}),
        ("/holder", {"loose": {"note": "x"}, "item": {"count": 1}}),
    ]


# -- objects that allow no property ---------------------------------------------------------------


def test_object_without_properties_and_no_additional_ones_must_be_empty(
    probe: ModuleType, client: Any, httpserver: HTTPServer
) -> None:
    annotation = inspect.signature(client.post_empty).parameters["body"].annotation
    assert annotation == "Mapping[str, Never]"
    assert "body: more than 0 entries" in _refused(probe, httpserver, lambda: client.post_empty(body={"k": "v"}))
    assert "nothing: more than 0 entries" in _refused(probe, httpserver, lambda: client.post_holder(nothing={"k": "v"}))
    httpserver.expect_request("/empty", method="POST").respond_with_data(status=204)
    client.post_empty(body={})
    assert _sent(httpserver) == [("/empty", {})]


# -- required names no property describes ---------------------------------------------------------


def test_required_name_without_a_property_is_a_required_field(
    probe: ModuleType, client: Any, httpserver: HTTPServer
) -> None:
    ghost = inspect.signature(client.post_missing).parameters["ghost"]
    assert (ghost.annotation, ghost.default) == ("Any", inspect.Parameter.empty)
    httpserver.expect_request("/missing", method="POST").respond_with_data(status=204)
    client.post_missing(id=1, ghost=None)
    client.post_missing(id=2, ghost={"any": ["value"]})
    assert _sent(httpserver) == [
        ("/missing", {"id": 1, "ghost": None}),
        ("/missing", {"id": 2, "ghost": {"any": ["value"]}}),
    ]


def test_required_name_of_a_map_is_checked(probe: ModuleType, client: Any, httpserver: HTTPServer) -> None:
    assert "counts.total: required" in _refused(probe, httpserver, lambda: client.post_holder(counts={"other": 1}))


def test_alternatives_of_required_names_type_an_object_and_are_checked(
    probe: ModuleType, client: Any, httpserver: HTTPServer
) -> None:
    """`anyOf: [{required: [ids]}, {required: [files]}]` beside `properties` says which names
    must be there; it does not make the body a union of untyped members (`Any`)."""
    parameters = inspect.signature(client.post_batch).parameters
    assert {"ids", "files"} <= set(parameters) and "body" not in parameters
    refused = _refused(probe, httpserver, lambda: client.post_batch())
    assert "required" in refused and "ids" in refused and "files" in refused
    httpserver.expect_request("/batch", method="POST").respond_with_data(status=204)
    client.post_batch(files=["f"])
    client.post_batch(files=["f"], ids=["i"])  # anyOf: both may be there
    assert _sent(httpserver) == [("/batch", {"files": ["f"]}), ("/batch", {"ids": ["i"], "files": ["f"]})]


def test_names_a_not_says_may_not_all_be_there(probe: ModuleType, client: Any, httpserver: HTTPServer) -> None:
    refused = _refused(probe, httpserver, lambda: client.post_ref(url="u", file_id="f"))
    assert "url, file_id: not all of them may be given" in refused
    httpserver.expect_request("/ref", method="POST").respond_with_data(status=204)
    client.post_ref(file_id="f")
    assert _sent(httpserver) == [("/ref", {"file_id": "f"})]


def test_one_of_alternatives_of_required_names_allow_exactly_one(
    probe: ModuleType, client: Any, httpserver: HTTPServer
) -> None:
    refused = _refused(probe, httpserver, lambda: client.put_batch(files=["f"], ids=["i"]))
    assert "matches 2 of its alternatives, of which exactly one may hold" in refused
    assert "matches none of its alternatives" in _refused(probe, httpserver, lambda: client.put_batch())
    httpserver.expect_request("/batch", method="PUT").respond_with_data(status=204)
    client.put_batch(ids=["i"])
    assert _sent(httpserver) == [("/batch", {"ids": ["i"]})]


def test_an_operation_documenting_only_a_redirection_returns_it(
    probe: ModuleType, client: Any, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/payload", method="GET").respond_with_json(
        {"redirect_to": "https://files.example/p"}, status=307, headers={"Location": "https://files.example/p"}
    )
    assert client.get_payload().redirect_to == "https://files.example/p"
    with pytest.raises(probe.NotFoundError):
        httpserver.clear()
        httpserver.expect_request("/payload", method="GET").respond_with_data(status=404)
        client.get_payload()


# -- scalar checks and types ----------------------------------------------------------------------


def test_zero_bound_is_checked(probe: ModuleType, client: Any, httpserver: HTTPServer) -> None:
    assert "offset: less than 0" in _refused(probe, httpserver, lambda: client.get_flags(offset=-1))


def test_boolean_enums_are_typed_bool(probe: ModuleType, client: Any, httpserver: HTTPServer) -> None:
    parameters = inspect.signature(client.get_flags).parameters
    assert parameters["on"].annotation == parameters["either"].annotation == "bool | NotGiven"
    httpserver.expect_request("/flags", method="GET").respond_with_data(status=204)
    client.get_flags(on=True, either=False, offset=0)
    assert httpserver.log[0][0].query_string == b"on=true&either=false&offset=0"


# -- relative servers -----------------------------------------------------------------------------


@pytest.mark.parametrize("prefix", ["/", "/api/"])
def test_relative_path_and_operation_servers_are_resolved_against_base_url(
    probe: ModuleType, httpserver: HTTPServer, prefix: str
) -> None:
    """RFC 3986 §5.2: `/v2` replaces base_url's path, `beta` (a relative path) extends it."""
    for path in ("/v2/on-path-server", "/v3/on-operation-server", f"{prefix}beta/on-relative-server"):
        httpserver.expect_request(path, method="GET").respond_with_data(status=204)
    with probe.Client(base_url=httpserver.url_for(prefix), max_retries=0) as client:
        client.get_on_path_server()
        client.get_on_operation_server()
        client.get_on_relative_server()
    assert [r.path for r, _ in httpserver.log] == [
        "/v2/on-path-server",
        "/v3/on-operation-server",
        f"{prefix}beta/on-relative-server",
    ]


def test_relative_servers_apply_to_the_async_client(probe: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/v2/on-path-server", method="GET").respond_with_data(status=204)

    async def call() -> None:
        async with probe.AsyncClient(base_url=httpserver.url_for("/"), max_retries=0) as client:
            await client.get_on_path_server()

    asyncio.run(call())
    assert [r.path for r, _ in httpserver.log] == ["/v2/on-path-server"]
