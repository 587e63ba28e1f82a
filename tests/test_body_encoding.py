"""The Encoding Object (OAS 3.1.1 §4.8.15) of form and multipart bodies, on the wire.

A form property given a `style`/`explode` is written as a query parameter of that style would be,
then form-encoded; one given a JSON `contentType` as its JSON text. A multipart property given a
`contentType` has its parts sent with it (each item of an array too), a JSON type making the value
its JSON text; a `style` applies to multipart parts too (a text part per pair). `deepObject`
writes objects with brackets as a form body does anyway (`a[b][c]`, arrays inside indexed), which
is what Stripe, declaring it on every form property, reads. What the client cannot honour (part
headers, `allowReserved`, an encoding for a property the body lacks) is reported at generation
with its pointer. The document is generated with the command line and its client called against a
server on 127.0.0.1 (pytest-httpserver), whose raw request body is compared with what the
specification says."""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Iterator
from email import message_from_bytes
from email.message import Message
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import pytest
from pytest_httpserver import HTTPServer

from .conftest import ROOT

POINT = {"type": "object", "properties": {"x": {"type": "integer"}, "y": {"type": "integer"}}}
DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Body Encoding", "version": "1"},
    "paths": {
        "/form": {
            "post": {
                "operationId": "postForm",
                "requestBody": {
                    "required": True,
                    "content": {
                        "application/x-www-form-urlencoded": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "tags": {"type": "array", "items": {"type": "string"}},
                                    "words": {"type": "array", "items": {"type": "string"}},
                                    "filter": POINT,
                                    "flat": POINT,
                                    "meta": POINT,
                                    "nested": POINT,
                                    "next": {"type": "string"},
                                    "lines": {
                                        "type": "object",
                                        "properties": {"skus": {"type": "array", "items": {"type": "string"}}},
                                    },
                                },
                            },
                            "encoding": {
                                "tags": {"style": "pipeDelimited", "explode": False},
                                "words": {"style": "form", "explode": False},
                                "filter": {"style": "deepObject", "explode": True},
                                "flat": {"style": "form", "explode": True},
                                "meta": {"contentType": "application/json"},
                                "next": {"allowReserved": True},
                                "lines": {"style": "deepObject", "explode": True},
                                "ghost": {"contentType": "text/plain"},
                            },
                        }
                    },
                },
                "responses": {"204": {"description": "done"}},
            }
        },
        "/upload": {
            "post": {
                "operationId": "upload",
                "requestBody": {
                    "required": True,
                    "content": {
                        "multipart/form-data": {
                            "schema": {
                                "type": "object",
                                "properties": {
                                    "meta": POINT,
                                    "count": {"type": "integer"},
                                    "note": {"type": "string"},
                                    "image": {"type": "string", "format": "binary"},
                                    "photos": {"type": "array", "items": {"type": "string", "format": "binary"}},
                                    "plain": {"type": "string"},
                                    "where": POINT,
                                    "tags": {"type": "array", "items": {"type": "string"}},
                                },
                            },
                            "encoding": {
                                "meta": {"contentType": "application/vnd.api+json"},
                                "count": {"contentType": "application/json"},
                                "note": {
                                    "contentType": "text/markdown",
                                    "headers": {"X-Rate": {"schema": {"type": "integer"}}},
                                },
                                "image": {"contentType": "image/png, image/jpeg"},
                                "photos": {"contentType": "image/jpeg"},
                                "plain": {"allowReserved": True},
                                "where": {"style": "deepObject", "explode": True},
                                "tags": {"style": "form", "explode": False},
                            },
                        }
                    },
                },
                "responses": {"204": {"description": "done"}},
            }
        },
    },
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The folder holding `body_encoding/`, generated as a user does, and the command's warnings."""
    folder = tmp_path_factory.mktemp("encoding")
    spec = folder / "encoding.json"
    spec.write_text(json.dumps(DOCUMENT), encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(spec), "--output", str(folder / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    return folder / "out", run.stderr


@pytest.fixture(scope="module")
def package(generated: tuple[Path, str]) -> Iterator[ModuleType]:
    output = str(generated[0])
    sys.path.insert(0, output)
    try:
        yield importlib.import_module("body_encoding")
    finally:
        sys.path.remove(output)
        for name in [n for n in sys.modules if n == "body_encoding" or n.startswith("body_encoding.")]:
            del sys.modules[name]


@pytest.fixture
def client(package: ModuleType, httpserver: HTTPServer) -> Iterator[Any]:
    with package.Client(base_url=httpserver.url_for("/")) as client:
        yield client


def _only_request(httpserver: HTTPServer) -> Any:
    assert len(httpserver.log) == 1, httpserver.log
    return httpserver.log[0][0]


def test_form_properties_in_their_styles(client: Any, package: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/form", method="POST").respond_with_data(status=204)
    point = package.models.PostFormBodyFilter
    client.post_form(
        tags=["a|b", "c"],
        words=["x", "y z"],
        filter=point(x=1, y=2),
        flat=package.models.PostFormBodyFlat(x=3, y=4),
        meta=package.models.PostFormBodyMeta(x=5),
        nested=package.models.PostFormBodyNested(x=6),
        next="/a?b",
        lines=package.models.PostFormBodyLines(skus=["a", "b"]),
    )
    body = _only_request(httpserver).get_data(as_text=True)
    assert parse_qsl(body) == [
        ("tags", "a|b|c"),  # pipeDelimited, explode false
        ("words", "x,y z"),  # form, explode false
        ("filter[x]", "1"),  # deepObject
        ("filter[y]", "2"),
        ("x", "3"),  # form, explode: the object's own members
        ("y", "4"),
        ("meta", '{"x":5}'),  # a JSON contentType: its JSON text
        ("nested[x]", "6"),  # no Encoding Object: brackets, as before
        ("next", "/a?b"),
        ("lines[skus][0]", "a"),  # deepObject: brackets, arrays inside indexed, as Stripe reads
        ("lines[skus][1]", "b"),
    ]
    assert "next=%2Fa%3Fb" in body  # allowReserved is not applied in a form body (reported)


def test_multipart_parts_carry_their_content_types(client: Any, package: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/upload", method="POST").respond_with_data(status=204)
    client.upload(
        meta=package.models.UploadBodyMeta(x=1, y=2),
        count=3,
        note="# hi",
        image=b"\x89PNG",
        photos=[b"\xff\xd8a", ("mine.jpg", b"\xff\xd8b", "image/x-custom")],
        plain="p",
        where=package.models.UploadBodyWhere(x=1, y=2),
        tags=["a", "b"],
    )
    request = _only_request(httpserver)
    message: Message = message_from_bytes(
        b"Content-Type: " + request.headers["Content-Type"].encode() + b"\r\n\r\n" + request.get_data()
    )
    parts = [(p.get_param("name", header="content-disposition"), p.get_content_type(), p.get_payload(decode=True)) for p in message.get_payload()]  # type: ignore[union-attr]
    assert parts == [
        ("meta", "application/vnd.api+json", b'{"x":1,"y":2}'),
        ("count", "application/json", b"3"),
        ("note", "text/markdown", b"# hi"),
        ("image", "image/png", b"\x89PNG"),  # the first of the listed types
        ("photos", "image/jpeg", b"\xff\xd8a"),  # each item of an array
        ("photos", "image/x-custom", b"\xff\xd8b"),  # a type the caller's tuple names is kept
        ("plain", "text/plain", b"p"),
        ("where[x]", "text/plain", b"1"),  # deepObject: a text part per member, as in a form
        ("where[y]", "text/plain", b"2"),
        ("tags", "text/plain", b"a,b"),  # form, explode false
    ]


@pytest.mark.parametrize(
    ("pointer", "says"),
    [
        (
            "/paths/~1form/post/requestBody/content/application~1x-www-form-urlencoded/encoding/next/allowReserved",
            "allowReserved is not applied in a form body",
        ),
        (
            "/paths/~1form/post/requestBody/content/application~1x-www-form-urlencoded/encoding/ghost",
            "encoding names 'ghost', which is not a property of the body; ignored",
        ),
        (
            "/paths/~1upload/post/requestBody/content/multipart~1form-data/encoding/note/headers",
            "headers of a part are not sent",
        ),
        (
            "/paths/~1upload/post/requestBody/content/multipart~1form-data/encoding/plain/allowReserved",
            "allowReserved is not applied in a multipart body",
        ),
    ],
)
def test_what_the_client_cannot_honour_is_reported(generated: tuple[Path, str], pointer: str, says: str) -> None:
    assert f"{pointer}: {says}" in generated[1]
