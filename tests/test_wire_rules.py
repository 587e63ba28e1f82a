"""Rules of the specification a request must follow however the document is written, checked on the
wire: bytes in a JSON body travel as base64, an operation secured only by `mutualTLS` is sent (its
credential is the transport's certificate), a header parameter named `Accept`, `Content-Type` or
`Authorization` is ignored, two untyped JSON successes give a client `mypy --strict` accepts, the
`Accept` header names the media types the answers are read in, and a header or cookie parameter
whose name is not an HTTP token is refused at generation.

The document below is generated with the command line, and its client called against a server on
127.0.0.1 (pytest-httpserver); nothing of the client is mocked."""

from __future__ import annotations

import base64
import importlib
import json
import subprocess
import sys
from collections.abc import Generator, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest
from pytest_httpserver import HTTPServer

from .conftest import ROOT

DOCUMENT = """\
openapi: 3.1.0
info: {title: Wire Rules, version: "1"}
paths:
  /blobs:
    post:
      operationId: putBlob
      parameters:
        - {name: Accept, in: header, schema: {type: string}}
        - {name: content-type, in: header, schema: {type: string}}
        - {name: AUTHORIZATION, in: header, schema: {type: string}}
        - {name: X-Trace, in: header, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Blob"}
      responses:
        "200":
          description: The blob as stored.
          content:
            application/json:
              schema: {$ref: "#/components/schemas/Blob"}
  /signed:
    get:
      operationId: getSigned
      security: [{sig: []}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: string}}}}
  /secure:
    get:
      operationId: getSecure
      security: [{tls: []}]
      responses:
        "200": {description: ok, content: {application/json: {schema: {type: string}}}}
  /loose:
    post:
      operationId: loose
      responses:
        "201": {description: Created., content: {application/json: {}}}
        "202": {description: Accepted., content: {application/json: {}}}
    put:
      operationId: looseReplace
      responses:
        "200": {description: Replaced., content: {application/json: {}}}
        "204": {description: Nothing to say., content: {application/json: {}}}
  /text:
    get:
      operationId: getText
      responses:
        "200": {description: The text., content: {text/plain: {schema: {type: string}}}}
        default: {description: A problem., content: {application/problem+json: {schema: {type: object}}}}
  /download:
    get:
      operationId: download
      parameters:
        - {name: X Trace, in: header, schema: {type: string}}
        - {name: "sess;id", in: cookie, schema: {type: string}}
        - {name: X-Span, in: header, schema: {type: string}}
      responses:
        "200": {description: The octets., content: {application/octet-stream: {}}}
        "404": {description: Not found.}
components:
  securitySchemes:
    tls: {type: mutualTLS}
    sig: {type: http, scheme: Signature}
  schemas:
    Part:
      type: object
      required: [data]
      properties:
        data: {type: string, format: binary}
    Blob:
      type: object
      required: [data]
      properties:
        data: {type: string, format: binary}
        extra: {type: string, format: binary}
        picture: {type: string, contentMediaType: image/png, contentEncoding: base64}
        chunks: {type: array, items: {type: string, format: binary}}
        parts: {type: array, items: {$ref: "#/components/schemas/Part"}}
"""


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """The folder holding `wire_rules/`, generated as a user does, and what the command printed."""
    folder = tmp_path_factory.mktemp("wire")
    (folder / "wire.yaml").write_text(DOCUMENT, encoding="utf-8")
    run = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(folder / "wire.yaml"), "--output", str(folder / "out")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    return folder / "out", run.stderr


@pytest.fixture(scope="module")
def wire_rules(generated: tuple[Path, str]) -> Iterator[ModuleType]:
    output = str(generated[0])
    sys.path.insert(0, output)
    try:
        yield importlib.import_module("wire_rules")
    finally:
        sys.path.remove(output)
        for name in [n for n in sys.modules if n == "wire_rules" or n.startswith("wire_rules.")]:
            del sys.modules[name]


@pytest.fixture
def client(wire_rules: ModuleType, httpserver: HTTPServer) -> Iterator[Any]:
    with wire_rules.Client(base_url=httpserver.url_for("/")) as client:
        yield client


def _only_request(httpserver: HTTPServer) -> Any:
    assert len(httpserver.log) == 1, httpserver.log
    return httpserver.log[0][0]


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# -- defect 3: bytes in a JSON body ---------------------------------------------------------------


def test_bytes_in_a_json_body_are_sent_and_read_back_as_base64(
    client: Any, wire_rules: ModuleType, httpserver: HTTPServer
) -> None:
    sent = {
        "data": _b64(b"\x00\x01\xff"),
        "extra": _b64(b"opt"),
        "picture": _b64(b"\x89PNG"),
        "chunks": [_b64(b"a"), _b64(b"\xfe")],
        "parts": [{"data": _b64(b"\x00")}],
    }
    httpserver.expect_request("/blobs", method="POST").respond_with_json(sent)
    blob = client.put_blob(
        data=b"\x00\x01\xff",
        extra=b"opt",
        picture=b"\x89PNG",
        chunks=[b"a", bytearray(b"\xfe")],
        parts=[wire_rules.Part(data=b"\x00")],
    )
    assert json.loads(_only_request(httpserver).get_data()) == sent
    assert blob.data == b"\x00\x01\xff"
    assert blob.extra == b"opt"
    assert blob.picture == b"\x89PNG"
    assert blob.chunks == [b"a", b"\xfe"]
    assert blob.parts == [wire_rules.Part(data=b"\x00")]


def test_bytes_required_only(client: Any, wire_rules: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/blobs", method="POST").respond_with_json({"data": _b64(b"\x00")})
    blob = client.put_blob(data=b"\x00")
    assert json.loads(_only_request(httpserver).get_data()) == {"data": "AA=="}
    assert blob.data == b"\x00"
    assert blob.extra is wire_rules.NOT_GIVEN


def test_a_model_holding_bytes_round_trips(wire_rules: ModuleType) -> None:
    blob = wire_rules.Blob(data=b"\x00", chunks=[b"\x01"], parts=[wire_rules.Part(data=b"\x02")])
    assert wire_rules.Blob.from_dict(blob.to_dict()) == blob
    assert wire_rules.Blob.from_dict(json.loads(json.dumps(blob.to_dict(), default=_b64))) == blob
    unpadded = wire_rules.Blob.from_dict({"data": "_-8"})  # base64url without padding is read too
    assert unpadded.data == b"\xff\xef"


# -- defect 4: mutualTLS ----------------------------------------------------------------------------


def test_an_operation_secured_by_mutual_tls_only_is_sent(client: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/secure", method="GET").respond_with_json("ok")
    assert client.get_secure() == "ok"
    assert "Authorization" not in _only_request(httpserver).headers


def test_mutual_tls_is_not_reported_as_unsupported(generated: tuple[Path, str]) -> None:
    assert "mutualTLS" not in generated[1]


# -- http schemes the client leaves to an httpx.Auth -----------------------------------------------


class _Signer(httpx.Auth):
    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f'Signature keyId="k",signature="{len(request.url.path)}"'
        yield request


def test_an_http_scheme_the_client_cannot_compute_is_left_to_an_httpx_auth(
    wire_rules: ModuleType, generated: tuple[Path, str], httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/signed", method="GET").respond_with_json("ok")
    with (
        httpx.Client(auth=_Signer()) as http,
        wire_rules.Client(base_url=httpserver.url_for("/"), http_client=http) as c,
    ):
        assert c.get_signed() == "ok"
    assert _only_request(httpserver).headers["Authorization"] == 'Signature keyId="k",signature="7"'
    assert "security scheme http 'signature' is left to the HTTP client" in generated[1]
    readme = (generated[0] / "wire_rules" / "README.md").read_text(encoding="utf-8")
    assert "HTTP `signature` credentials" in readme


# -- defect 5: header parameters the specification says to ignore ---------------------------------


def test_accept_content_type_and_authorization_parameters_are_ignored(
    client: Any, generated: tuple[Path, str], httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/blobs", method="POST").respond_with_json({"data": "AA=="})
    client.put_blob(data=b"\x00", x_trace="t")
    request = _only_request(httpserver)
    assert request.headers.getlist("Accept") == ["application/json"]
    assert request.headers.getlist("Content-Type") == ["application/json"]
    assert "Authorization" not in request.headers
    assert request.headers["X-Trace"] == "t"
    warnings = [line for line in generated[1].splitlines() if "SHALL be ignored" in line]
    assert [w.split(": ")[2] for w in warnings] == [
        "/paths/~1blobs/post/parameters/0",
        "/paths/~1blobs/post/parameters/1",
        "/paths/~1blobs/post/parameters/2",
    ]
    with pytest.raises(TypeError):
        client.put_blob(data=b"\x00", accept="text/plain")


# -- the Accept header ----------------------------------------------------------------------------


def test_accept_names_the_media_types_the_answers_are_read_in(client: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/text", method="GET").respond_with_data("hi", content_type="text/plain")
    httpserver.expect_request("/download", method="GET").respond_with_data(
        b"\x00", content_type="application/octet-stream"
    )
    assert client.get_text() == "hi"
    assert client.download() == b"\x00"
    assert [r.headers.getlist("Accept") for r, _ in httpserver.log] == [
        ["text/plain, application/problem+json"],
        ["application/octet-stream"],
    ]


def test_accept_given_by_the_caller_wins(client: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/text", method="GET").respond_with_data("hi", content_type="text/plain")
    client.get_text(extra_headers={"Accept": "text/*"})
    assert _only_request(httpserver).headers.getlist("Accept") == ["text/*"]


# -- header and cookie names that are not tokens --------------------------------------------------


def test_header_and_cookie_names_that_are_not_tokens_are_refused(
    client: Any, generated: tuple[Path, str], httpserver: HTTPServer
) -> None:
    refused = [line for line in generated[1].splitlines() if "must be an HTTP token" in line]
    assert [line.split(": ")[2] for line in refused] == [
        "/paths/~1download/get/parameters/0/name",
        "/paths/~1download/get/parameters/1/name",
    ]
    httpserver.expect_request("/download", method="GET").respond_with_data(b"", content_type="application/octet-stream")
    client.download(x_span="s")
    assert _only_request(httpserver).headers["X-Span"] == "s"


# -- defect 9: several untyped JSON successes -----------------------------------------------------


def test_the_client_passes_mypy_strict(generated: tuple[Path, str]) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            "-p",
            "wire_rules",
        ],
        cwd=generated[0],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_untyped_json_successes_are_returned(client: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/loose", method="POST").respond_with_json({"id": 1}, status=202)
    httpserver.expect_request("/loose", method="PUT").respond_with_json([1], status=200)
    assert client.loose() == {"id": 1}
    assert client.loose_replace() == [1]
