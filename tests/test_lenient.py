"""`--lenient` lists everything it skips or degrades, each with its JSON pointer and the reason.

One document holds a construct of each kind the builder cannot use as written (a parameter
`in: body`, `type: strng`, keywords of the wrong shape, extensions of the wrong shape...), each at
a pointer of its own. Generating it with `--lenient`, as a user runs it, must exit 0, print a
warning for each at exactly that pointer saying what happened and why, and give a package that
imports without the constructs that were skipped.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from .conftest import ROOT

DOCUMENT = """\
openapi: 3.1.0
info:
  title: Lenient Things
  version: "1"
servers:
  - url: https://{region}.example.com/v1
    variables:
      region:
        enum: [eu, us]
security:
  - undefinedScheme: []
tags: pets
webhooks: [a, b]
paths:
  /items/{id}/{version}:
    parameters:
      - name: id
        in: path
        required: true
        schema: {type: string}
    GET:
      responses: {'200': {description: ok}}
    put: not an operation
    get:
      operationId: getItem
      x-fern-sdk-method-name: {name: fetch}
      x-fern-sdk-group-name: 42
      parameters:
        - name: payload
          in: body
          schema: {type: object}
        - name: upload
          in: formData
          schema: {type: string}
        - name: q
          in: querry
          schema: {type: string}
        - in: query
          schema: {type: string}
        - just a string
        - name: loose
          in: query
        - name: filter
          in: query
          content: {}
        - name: limit
          in: query
          schema: {type: integer}
        - name: limit
          in: query
          schema: {type: integer, maximum: 100}
        - name: ghost
          in: path
          required: true
          schema: {type: string}
        - name: sort
          in: query
          style: tabDelimited
          schema: {type: array, items: {type: string}}
        - name: mode
          in: query
          schema: {type: strng}
        - name: tags
          in: query
          schema: {type: [strng, "null"]}
      responses:
        '2OO': {description: a typo}
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Item'}
        '404': Not found
        '409':
          description: conflict
          x-clientgen-wait: {location: $response.header.Location}
        '500':
          description: an XML error
          content:
            application/xml:
              schema: {$ref: '#/components/schemas/Item'}
  /things:
    post:
      operationId: createThing
      parameters:
        - $ref: '#/components/parameters/Legacy'
      requestBody:
        description: no content here
      responses: {'201': {description: created}}
    patch:
      operationId: patchThing
      parameters:
        - $ref: '#/components/parameters/Legacy'
      requestBody:
        content:
          json:
            schema: {type: string}
      responses: {'200': {description: ok}}
    put:
      operationId: putThing
      requestBody:
        content:
          application/json:
      responses: {'200': {description: ok}}
    delete:
      operationId: deleteThing
      requestBody:
        content:
          application/xml:
            schema: {$ref: '#/components/schemas/Item'}
      responses: {'204': {description: gone}}
  /reports:
    get:
      operationId: listReports
      security: {apiKey: []}
      responses: [not, a, mapping]
  /nothing:
  /params:
    parameters: {name: x}
    get:
      operationId: getParams
      parameters:
        - {name: verbose, in: query, required: 'yes', explode: 'no', schema: {type: boolean}}
        - {name: X Trace, in: header, schema: {type: string}}
        - {name: "sess;id", in: cookie, schema: {type: string}}
        - name: pick
          in: query
          schema:
            oneOf: [{$ref: "#/components/schemas/Item"}, {$ref: "#/components/schemas/Item"}, {description: any}]
      servers:
        - url: https://{tenant}.example.com
      responses: {'200': {description: ok}}
  /pages:
    get:
      operationId: listPages
      x-fern-pagination: {offset: $request.offset}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {type: string}}
    post:
      operationId: startJob
      responses:
        '202':
          description: accepted
          x-clientgen-wait: poll-it
  /jobs:
    post:
      operationId: startOther
      tags: [{name: jobs}]
      responses:
        '202':
          description: accepted
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Job'}
          x-clientgen-wait:
            location: $response.body#/href
            poll: getJob
            status: $response.body#/state
            pending: RUNNING
  /jobs/{jobId}:
    get:
      operationId: getJob
      parameters:
        - {name: jobId, in: path, required: true, schema: {type: string}}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Job'}
components:
  schemas:
    Item:
      type: object
      required: true
      properties:
        name:
          type: string
          required: true
        size: integer
        kind: {type: 5}
        tags: {type: array, items: [{type: string}]}
        code: {type: string, pattern: '\\p{L}+'}
        color: {type: string, enum: red}
        level: {type: string, enum: [1, 2]}
        mixed: {enum: [1, a, true]}
        parent: {$ref: '#/info/title'}
        broken: {$ref: 5}
        shape: {$ref: '#/components/schemas/Shape'}
        pet: {$ref: '#/components/schemas/Pet'}
        loose: {allOf: {type: string}}
        either: {oneOf: {type: string}}
    Listing:
      type: object
      properties: [a, b]
    Shape:
      oneOf:
        - $ref: '#/components/schemas/Circle'
        - $ref: '#/components/schemas/Square'
      discriminator:
        propertyName: kind
        mapping:
          circle: '#/components/schemas/Circle'
          label: '#/components/schemas/Label'
    Pet:
      oneOf:
        - $ref: '#/components/schemas/Circle'
        - $ref: '#/components/schemas/Square'
      discriminator:
        mapping: {}
    Circle:
      type: object
      properties: {kind: {type: string}, radius: {type: number}}
    Square:
      type: object
      properties: {kind: {type: string}, side: {type: number}}
    Label: {type: string}
    Job:
      type: object
      properties: {href: {type: string}, state: {type: string}}
    Oddity: strng
    Typo:
      type: objekt
      properties: {a: {type: string}}
  parameters:
    Legacy: {name: legacy, in: body, schema: {type: string}}
  securitySchemes:
    digest: {type: http, scheme: digest}
    cert: {type: certificate}
    bodyKey: {type: apiKey, in: body, name: key}
    namelessKey: {type: apiKey, in: header}
    basicAuth: {type: http, scheme: basic, x-fern-basic: yes}
    bearerAuth: {type: http, scheme: bearer, x-fern-bearer: TOKEN}
    headerKey: {type: apiKey, in: header, name: X-Key, x-fern-header: [a]}
    notAScheme: 12
"""

# (pointer, what the warning must say): a construct of the document each, at a pointer of its own.
I = "/paths/~1items~1{id}~1{version}"
EXPECTED: list[tuple[str, str]] = [
    # servers and security
    ("/servers/0/variables/region", "server variable 'region' has no default; ignored"),
    ("/paths/~1params/get/servers/0/url", "has a variable without a default; ignored"),
    ("/security/0/undefinedScheme", "security scheme 'undefinedScheme' is not in components/securitySchemes; ignored"),
    ("/paths/~1reports/get/security", "security must be a list of Security Requirement Objects, found a mapping"),
    # the root
    ("/tags", "tags must be a list of Tag Objects, found 'pets'; ignored"),
    ("/webhooks", "webhooks must be a mapping, found a list; ignored"),
    # path items and operations
    ("/paths/~1jobs/post/tags/0", "a tag must be a name, found a mapping; ignored"),
    ("/paths/~1nothing", "a path item must be a mapping, found nothing; its operations are skipped"),
    (f"{I}/GET", "'GET' is not a Path Item field nor an HTTP method"),
    (f"{I}/put", "an operation must be a mapping, found 'not an operation'; skipped"),
    ("/paths/~1params/parameters", "parameters must be a list, found a mapping; ignored"),
    (f"{I}/get/x-fern-sdk-method-name", "x-fern-sdk-method-name must be a name, found a mapping; ignored"),
    (f"{I}/get/x-fern-sdk-group-name", "x-fern-sdk-group-name must be a name or a list of names, found 42; ignored"),
    # parameters
    (
        f"{I}/get/parameters/0/in",
        "parameter 'payload' skipped: 'in' must be query, header, path or cookie, found 'body'",
    ),
    (
        f"{I}/get/parameters/1/in",
        "parameter 'upload' skipped: 'in' must be query, header, path or cookie, found 'formData'",
    ),
    (f"{I}/get/parameters/2/in", "parameter 'q' skipped: 'in' must be query, header, path or cookie, found 'querry'"),
    (f"{I}/get/parameters/3", "a parameter must have a name, found nothing; skipped"),
    (f"{I}/get/parameters/4", "a parameter must be a mapping, found 'just a string'; skipped"),
    (f"{I}/get/parameters/5", "parameter 'loose' has neither schema nor content; typed as Any"),
    (f"{I}/get/parameters/6/content", "content must map one media type to its schema, found an empty mapping"),
    (
        f"{I}/get/parameters/7",
        "parameter 'limit' in query is declared again at " + I + "/get/parameters/8; this one is skipped",
    ),
    (f"{I}/get/parameters/9", "path parameter 'ghost' is not in the path template '/items/{id}/{version}'; skipped"),
    (
        f"{I}/get/parameters/10/style",
        "style 'tabDelimited' is not one of form, spaceDelimited, pipeDelimited, deepObject",
    ),
    ("/paths/~1params/get/parameters/0/required", "required must be true or false, found 'yes'; read as false"),
    ("/paths/~1params/get/parameters/0/explode", "explode must be true or false, found 'no'; read as true"),
    (
        "/paths/~1params/get/parameters/1/name",
        "header parameter 'X Trace' skipped: a header name must be an HTTP token",
    ),
    (
        "/paths/~1params/get/parameters/2/name",
        "cookie parameter 'sess;id' skipped: a cookie name must be an HTTP token",
    ),
    (
        "/paths/~1params/get/parameters/3/schema/oneOf/1",
        "oneOf lists '#/components/schemas/Item' again (as member 0): no value matches exactly one of them",
    ),
    (
        "/paths/~1params/get/parameters/3/schema/oneOf/2",
        "this oneOf member accepts any value, so a value another member accepts matches two and is invalid",
    ),
    (f"{I}/get/parameters/11/schema/type", "type 'strng' is not a JSON Schema type"),
    (f"{I}/get/parameters/12/schema/type", "type 'strng' is not a JSON Schema type"),
    (f"{I}/get", "path template variable 'version' has no path parameter; the method takes it as a required string"),
    ("/components/parameters/Legacy/in", "parameter 'legacy' skipped: 'in' must be query, header, path or cookie"),
    # request bodies
    ("/paths/~1things/post/requestBody", "a request body must have content"),
    ("/paths/~1things/patch/requestBody/content/json", "'json' is not a media type (type/subtype); its body is bytes"),
    (
        "/paths/~1things/put/requestBody/content/application~1json",
        "a Media Type Object must be a mapping, found nothing",
    ),
    (
        "/paths/~1things/delete/requestBody/content/application~1xml/schema",
        "application/xml request bodies are sent as bytes: the client does not encode or decode this schema",
    ),
    # responses and their extensions
    (f"{I}/get/responses/2OO", "'2OO' is not a status code, a range like 4XX, or default; skipped"),
    (f"{I}/get/responses/404", "a Response Object must be a mapping, found 'Not found'; skipped"),
    (f"{I}/get/responses/409/x-clientgen-wait", "x-clientgen-wait is read only on a 202 response; ignored"),
    (
        f"{I}/get/responses/500/content/application~1xml/schema",
        "application/xml responses are read as bytes: the client does not encode or decode this schema",
    ),
    ("/paths/~1reports/get/responses", "responses must map status codes to responses, found a list; ignored"),
    ("/paths/~1pages/get/x-fern-pagination", "only cursor pagination (cursor, next_cursor, results) is supported"),
    ("/paths/~1pages/post/responses/202/x-clientgen-wait", "x-clientgen-wait must be a mapping, found 'poll-it'"),
    ("/paths/~1jobs/post/responses/202/x-clientgen-wait/pending", "pending must be a list of states, found 'RUNNING'"),
    # schemas
    ("/components/schemas/Item/required", "required must be a list of property names, found true"),
    ("/components/schemas/Item/properties/name/required", "required must be a list of property names, found true"),
    ("/components/schemas/Item/properties/size", "a schema must be a mapping, found 'integer'; typed as Any"),
    ("/components/schemas/Item/properties/kind/type", "type must be a JSON Schema type or a list of them, found 5"),
    ("/components/schemas/Item/properties/tags/items", "items must be one schema, found a list"),
    ("/components/schemas/Item/properties/code/pattern", "is not a Python regular expression; not checked client-side"),
    ("/components/schemas/Item/properties/color/enum", "enum must be a list of values, found 'red'; ignored"),
    (
        "/components/schemas/Item/properties/level/enum",
        "enum values are integers but type is string; the type is ignored",
    ),
    ("/components/schemas/Item/properties/mixed/enum", "has values of several types and no type; typed as Any"),
    ("/components/schemas/Item/properties/parent", "$ref '#/info/title' leads to 'Lenient Things', not a schema"),
    ("/components/schemas/Item/properties/broken/$ref", "$ref must be a string, found 5; ignored"),
    ("/components/schemas/Item/properties/loose/allOf", "allOf must be a list of schemas, found a mapping; ignored"),
    ("/components/schemas/Item/properties/either/oneOf", "oneOf must be a list of schemas, found a mapping; ignored"),
    ("/components/schemas/Listing/properties", "properties must be a mapping of property names to schemas"),
    (
        "/components/schemas/Shape/discriminator/mapping/label",
        "is not an object schema, which a discriminator value must",
    ),
    ("/components/schemas/Pet/discriminator", "a discriminator must be a mapping with a propertyName; ignored"),
    ("/components/schemas/Oddity", "a schema must be a mapping, found 'strng'; typed as Any"),
    ("/components/schemas/Typo/type", "type 'objekt' is not a JSON Schema type"),
    # security schemes
    ("/components/securitySchemes/digest", "security scheme http 'digest' is left to the HTTP client"),
    ("/components/securitySchemes/cert", "security scheme type 'certificate' '' is not supported"),
    (
        "/components/securitySchemes/bodyKey/in",
        "an apiKey's 'in' must be header, query or cookie, found 'body'; skipped",
    ),
    ("/components/securitySchemes/namelessKey", "an apiKey must name its header, found nothing; skipped"),
    (
        "/components/securitySchemes/basicAuth/x-fern-basic",
        "x-fern-basic must be a mapping (username, password), found true",
    ),
    (
        "/components/securitySchemes/bearerAuth/x-fern-bearer",
        "x-fern-bearer must be a mapping (name, env), found 'TOKEN'",
    ),
    (
        "/components/securitySchemes/headerKey/x-fern-header",
        "x-fern-header must be a mapping (name, env), found a list",
    ),
    ("/components/securitySchemes/notAScheme", "a security scheme must be a mapping, found 12; skipped"),
]


@dataclass(frozen=True)
class Warning:
    line: int | None
    pointer: str
    message: str


def warnings(stderr: str, source: Path) -> list[Warning]:
    pattern = re.compile(rf"^{re.escape(str(source))}(?::(\d+))?: warning: (\S+): (.*)$")
    found = []
    for text in stderr.splitlines():
        match = pattern.match(text)
        if match:
            found.append(Warning(int(match.group(1)) if match.group(1) else None, match.group(2), match.group(3)))
    return found


def generator(*args: str | Path, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` as a user runs it, with this tree's generator."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    command = [sys.executable, "-m", "generator", *map(str, args)]
    return subprocess.run(command, capture_output=True, text=True, env=env, cwd=cwd)


def test_the_expected_constructs_are_distinct() -> None:
    pointers = [p for p, _ in EXPECTED]
    assert len(set(pointers)) == len(pointers), "each construct of the document has a pointer of its own"


@pytest.fixture(scope="module")
def lenient_run(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, subprocess.CompletedProcess[str]]:
    folder = tmp_path_factory.mktemp("lenient")
    spec = folder / "lenient.yaml"
    spec.write_text(DOCUMENT, encoding="utf-8")
    return spec, folder / "out", generator("generate", spec, "--lenient", "--output", folder / "out")


@pytest.mark.parametrize(("pointer", "says"), EXPECTED, ids=[p for p, _ in EXPECTED])
def test_each_construct_is_listed_with_its_pointer_and_reason(
    lenient_run: tuple[Path, Path, subprocess.CompletedProcess[str]], pointer: str, says: str
) -> None:
    spec, _, run = lenient_run
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    found = [w for w in warnings(run.stderr, spec) if w.pointer == pointer and says in w.message]
    assert found, f"no warning at {pointer} says {says!r}; stderr was:\n{run.stderr}"
    assert len(found) == 1, "a construct met more than once (a shared component) is listed once"
    assert found[0].line is not None, "a place in the document is printed with its line"


def test_the_package_imports_without_what_was_skipped(
    lenient_run: tuple[Path, Path, subprocess.CompletedProcess[str]],
) -> None:
    _, out, run = lenient_run
    assert run.returncode == 0, run.stderr
    script = (
        "import inspect, json\n"
        "import lenient_things\n"
        "def arguments(name):\n"
        "    return [p for p in inspect.signature(getattr(lenient_things.Client, name)).parameters if p != 'self']\n"
        "print(json.dumps({n: arguments(n) for n in ('get_item', 'create_thing', 'patch_thing')}))\n"
    )
    imported = subprocess.run([sys.executable, "-c", script], cwd=out, capture_output=True, text=True)
    assert imported.returncode == 0, imported.stderr
    arguments = json.loads(imported.stdout)
    # `in: body`, `in: formData`, `in: querry`, nameless and path parameters the path lacks are
    # skipped; the path variable nobody declared is a required argument.
    assert arguments["get_item"][:8] == ["id", "version", "loose", "filter", "limit", "sort", "mode", "tags"]
    assert not {"payload", "upload", "q", "ghost"} & set(arguments["get_item"])
    assert "body" not in arguments["create_thing"] and "legacy" not in arguments["create_thing"]
    assert "body" in arguments["patch_thing"]


def test_a_place_in_another_file_is_named_by_file_and_pointer(tmp_path: Path) -> None:
    (tmp_path / "schemas.yaml").write_text("Thing:\n  type: object\n  properties:\n    size: {type: strng}\n")
    spec = tmp_path / "api.yaml"
    spec.write_text(
        "openapi: 3.0.3\n"
        "info: {title: Split, version: '1'}\n"
        "paths:\n"
        "  /things:\n"
        "    get:\n"
        "      responses:\n"
        "        '200':\n"
        "          description: ok\n"
        "          content:\n"
        "            application/json:\n"
        "              schema: {$ref: 'schemas.yaml#/Thing'}\n"
    )
    run = generator("generate", spec, "--lenient", "--output", tmp_path / "out")
    assert run.returncode == 0, run.stderr
    assert (
        f"{spec}: warning: schemas.yaml#/Thing/properties/size/type: type 'strng' is not a JSON Schema type"
        in run.stderr
    )


def test_a_valid_document_lists_what_the_client_cannot_use_at_each_run(tmp_path: Path) -> None:
    """Legal constructs the generator does not support are listed in a strict run too, and again
    when nothing changed (a run that warned is not skipped as done)."""
    spec = tmp_path / "valid.yaml"
    spec.write_text(
        "openapi: 3.0.3\n"
        "info: {title: Valid, version: '1'}\n"
        "paths:\n"
        "  /things:\n"
        "    get:\n"
        "      security: [{digest: []}]\n"
        "      responses:\n"
        "        '200':\n"
        "          description: ok\n"
        "          content:\n"
        "            application/xml:\n"
        "              schema: {type: object, properties: {a: {type: string}}}\n"
        "components:\n"
        "  securitySchemes:\n"
        "    digest: {type: http, scheme: digest}\n"
    )
    expected = [
        f"{spec}:15: warning: /components/securitySchemes/digest: security scheme http 'digest' is left to the HTTP client",
        f"{spec}:12: warning: /paths/~1things/get/responses/200/content/application~1xml/schema: application/xml "
        "responses are read as bytes",
    ]
    for _ in range(2):
        run = generator("generate", spec, "--output", tmp_path / "out")
        assert run.returncode == 0, run.stderr
        for line in expected:
            assert line in run.stderr, run.stderr
