"""Object, array and binary parameters on the wire, as a user meets them: a small document with
path, query, header and cookie parameters in several styles, generated with the command line,
its client called against a server on 127.0.0.1, and the raw request target and headers compared
byte for byte with what the OpenAPI style table (OAS 3.1.1 §4.8.12.4) says. A value no style can
write is refused before sending, naming the parameter; the builder warns about it first.
Parameters described by `content` (OAS 3.1.1 §4.8.12.2) go as their media type's text: JSON,
percent-encoded in the path and query, as it is in a header, with what a cookie cannot hold
percent-encoded. A header value no header can carry is refused, not sent broken."""

from __future__ import annotations

import importlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pytest_httpserver import HTTPServer

from .conftest import ROOT

DOCUMENT: dict[str, Any] = {
    "openapi": "3.1.0",
    "info": {"title": "Styles", "version": "1"},
    "servers": [{"url": "http://localhost"}],
    "paths": {
        "/things/{id}/{label}/{point}": {
            "get": {
                "operationId": "getThing",
                "parameters": [
                    {"name": "id", "in": "path", "required": True, "schema": {"$ref": "#/components/schemas/Color"}},
                    {
                        "name": "label",
                        "in": "path",
                        "required": True,
                        "style": "label",
                        "explode": True,
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {
                        "name": "point",
                        "in": "path",
                        "required": True,
                        "style": "matrix",
                        "explode": True,
                        "schema": {"$ref": "#/components/schemas/Color"},
                    },
                    {"name": "filter", "in": "query", "schema": {"$ref": "#/components/schemas/Filter"}},
                    {
                        "name": "deep",
                        "in": "query",
                        "style": "deepObject",
                        "explode": True,
                        "schema": {"$ref": "#/components/schemas/Filter"},
                    },
                    {
                        "name": "flat",
                        "in": "query",
                        "explode": False,
                        "schema": {"$ref": "#/components/schemas/Filter"},
                    },
                    {
                        "name": "tags",
                        "in": "query",
                        "style": "pipeDelimited",
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {
                        "name": "words",
                        "in": "query",
                        "style": "spaceDelimited",
                        "schema": {"type": "array", "items": {"type": "string"}},
                    },
                    {"name": "next", "in": "query", "allowReserved": True, "schema": {"type": "string"}},
                    {"name": "blob", "in": "query", "schema": {"type": "string", "format": "binary"}},
                    {
                        "name": "X-Color",
                        "in": "header",
                        "explode": True,
                        "schema": {"$ref": "#/components/schemas/Color"},
                    },
                    {"name": "X-Tags", "in": "header", "schema": {"type": "array", "items": {"type": "string"}}},
                    {
                        "name": "prefs",
                        "in": "cookie",
                        "explode": False,
                        "schema": {"$ref": "#/components/schemas/Color"},
                    },
                    {"name": "ids", "in": "cookie", "schema": {"type": "array", "items": {"type": "integer"}}},
                ],
                "responses": {"204": {"description": "done"}},
            }
        },
        "/lines": {
            "get": {
                "operationId": "getLines",
                "parameters": [
                    {
                        "name": "lines",
                        "in": "header",
                        "schema": {"type": "array", "items": {"$ref": "#/components/schemas/Line"}},
                    },
                    {"name": "sort", "in": "query", "style": "spaceDelimited", "schema": {"type": "string"}},
                ],
                "responses": {"204": {"description": "done"}},
            }
        },
        "/json/{where}": {
            "get": {
                "operationId": "getJson",
                "parameters": [
                    {
                        "name": "where",
                        "in": "path",
                        "required": True,
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Point"}}},
                    },
                    {
                        "name": "near",
                        "in": "query",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Point"}}},
                    },
                    {
                        "name": "tags",
                        "in": "query",
                        "content": {"application/json": {"schema": {"type": "array", "items": {"type": "string"}}}},
                    },
                    {
                        "name": "X-Point",
                        "in": "header",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Point"}}},
                    },
                    {"name": "X-Note", "in": "header", "schema": {"type": "string"}},
                    {
                        "name": "point",
                        "in": "cookie",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Point"}}},
                    },
                    {"name": "note", "in": "cookie", "schema": {"type": "string"}},
                    {
                        "name": "loose",
                        "in": "query",
                        "content": {"text/csv": {"schema": {"type": "array", "items": {"type": "string"}}}},
                    },
                ],
                "responses": {"204": {"description": "done"}},
            }
        },
    },
    "components": {
        "schemas": {
            "Point": {
                "type": "object",
                "properties": {"lat": {"type": "number"}, "long": {"type": "number"}, "name": {"type": "string"}},
            },
            "Color": {
                "type": "object",
                "properties": {"R": {"type": "integer"}, "G": {"type": "integer"}, "B": {"type": "integer"}},
            },
            "Filter": {"type": "object", "properties": {"name": {"type": "string"}, "size": {"type": "integer"}}},
            "Line": {"type": "object", "properties": {"sku": {"type": "string"}}},
        }
    },
}


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The folder holding `styles/`, generated as a user does, and the command's warnings."""
    folder = tmp_path_factory.mktemp("generated")
    spec = folder / "styles.json"
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
def styles(generated: tuple[Path, str]) -> Iterator[ModuleType]:
    output = str(generated[0])
    sys.path.insert(0, output)
    try:
        yield importlib.import_module("styles")
    finally:
        sys.path.remove(output)
        for name in [n for n in sys.modules if n == "styles" or n.startswith("styles.")]:
            del sys.modules[name]


@pytest.fixture
def client(styles: ModuleType, httpserver: HTTPServer) -> Iterator[Any]:
    with styles.Client(base_url=httpserver.url_for("/")) as client:
        yield client


def _raw_target(httpserver: HTTPServer) -> str:
    """The request target exactly as it came over the socket, before any decoding."""
    assert len(httpserver.log) == 1, httpserver.log
    return str(httpserver.log[0][0].environ["RAW_URI"])


def test_every_style_on_the_wire(client: Any, styles: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/things/R,100,G,200,B,150/.a.b/c/;R=1;G=2;B=3").respond_with_data(status=204)
    color = styles.models.Color(r=100, g=200, b=150)
    client.get_thing(
        id=color,
        label=["a", "b/c"],
        point=styles.models.Color(r=1, g=2, b=3),
        filter=styles.models.Filter(name="x y", size=2),
        deep=styles.models.Filter(name="x"),
        flat=styles.models.Filter(name="x", size=3),
        tags=["a|b", "c"],
        words=["blue", "black"],
        next="/a?b=c&d",
        blob=b"\x00\x01 +",
        x_color=color,
        x_tags=["blue", "black"],
        prefs=color,
        ids=[1, 2],
    )
    assert _raw_target(httpserver) == (
        "/things/R,100,G,200,B,150/.a.b%2Fc/;R=1;G=2;B=3"
        "?name=x%20y&size=2"  # form, explode: the model's own members
        "&deep%5Bname%5D=x"  # deepObject
        "&flat=name,x,size,3"  # form, no explode
        "&tags=a%7Cb%7Cc"  # pipeDelimited: the `|` inside an item cannot be told from the joiner
        "&words=blue%20black"  # spaceDelimited
        "&next=/a?b%3Dc%26d"  # allowReserved: `/` and `?` as they are, `=` and `&` still encoded
        "&blob=%00%01%20%2B"  # binary: its octets, percent-encoded
    )
    request = httpserver.log[0][0]
    assert request.headers["X-Color"] == "R=100,G=200,B=150"
    assert request.headers["X-Tags"] == "blue,black"
    assert request.headers["Cookie"] == "prefs=R,100,G,200,B,150; ids=1; ids=2"


def test_unwritable_values_are_refused_before_sending(
    client: Any, styles: ModuleType, httpserver: HTTPServer, generated: tuple[Path, str]
) -> None:
    """An array of objects in a header, which no style writes (OAS 3.1.1 §4.8.12.4): a warning at
    generation with its pointer, and `RequestValidationError` naming the parameter at the call."""
    assert (
        "/paths/~1lines/get/parameters/0: parameter 'lines' holds objects inside its array, "
        "which no style writes; such values are refused before sending"
    ) in generated[1]
    assert "/paths/~1lines/get/parameters/1/style: style spaceDelimited cannot write primitive 'sort'" in generated[1]
    with pytest.raises(styles.RequestValidationError, match=r"lines: an object inside an array item"):
        client.get_lines(lines=[styles.models.Line(sku="a")])
    assert not httpserver.log
    httpserver.expect_request("/lines").respond_with_data(status=204)
    client.get_lines(sort="name")  # sent as form, as the warning says
    assert _raw_target(httpserver) == "/lines?sort=name"


def test_content_parameters_are_their_json_text(client: Any, styles: ModuleType, httpserver: HTTPServer) -> None:
    point = styles.models.Point(lat=40.7, long=-74.0, name="Café")
    path = "/json/%7B%22lat%22%3A1%2C%22long%22%3A2%7D"
    httpserver.expect_request(re.compile("/json/.*")).respond_with_data(status=204)
    client.get_json(
        where=styles.models.Point(lat=1, long=2),
        near=point,
        tags=["a", "b c"],
        x_point=point,
        point=styles.models.Point(lat=1, long=2, name="a b;c"),
        loose=["x", "y"],
    )
    assert _raw_target(httpserver) == (
        path + "?near=%7B%22lat%22%3A40.7%2C%22long%22%3A-74.0%2C%22name%22%3A%22Caf%5Cu00e9%22%7D"
        "&tags=%5B%22a%22%2C%22b%20c%22%5D"
        "&loose=x&loose=y"  # text/csv is not written by the client: the query's default style
    )
    request = httpserver.log[0][0]
    assert request.headers["X-Point"] == '{"lat":40.7,"long":-74.0,"name":"Caf\\u00e9"}'
    assert json.loads(request.headers["X-Point"]) == point.to_dict()
    assert request.headers["Cookie"] == "point={%22lat%22:1%2C%22long%22:2%2C%22name%22:%22a%20b%3Bc%22}"


def test_content_parameter_warnings(generated: tuple[Path, str]) -> None:
    assert (
        "/paths/~1json~1{where}/get/parameters/7/content/text~1csv: the client cannot write 'text/csv' text for "
        "array parameter 'loose'; it is sent in the query default style"
    ) in generated[1]


def test_values_a_header_or_cookie_cannot_hold(client: Any, styles: ModuleType, httpserver: HTTPServer) -> None:
    for bad in ("a\r\nX-Injected: 1", "caf\u00e9", "tab\x00"):
        with pytest.raises(styles.RequestValidationError, match=r"X-Note: a header value holds only visible ASCII"):
            client.get_json(where=styles.models.Point(lat=1), x_note=bad)
    assert not httpserver.log
    httpserver.expect_request(re.compile("/json/.*")).respond_with_data(status=204)
    client.get_json(where=styles.models.Point(lat=1), x_note="a\tb ~", note='x y;"z"%')
    request = httpserver.log[0][0]
    assert request.headers["X-Note"] == "a\tb ~"
    assert request.headers["Cookie"] == "note=x%20y%3B%22z%22%25"
