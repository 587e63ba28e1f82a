"""Broken input documents: each one exits 2, names every problem, and writes nothing.

The contract (see `generator/cli.py`): a document that cannot be read, parsed or trusted as
OpenAPI 3.0/3.1 makes `generate` exit with status 2, print every problem as
`FILE[:LINE]: error: /json/pointer: message` (the line where it is known), print no traceback,
and leave the output folder alone.

Every document below is written to `tmp_path` by the test itself. A case lists the problems that
must be reported; a problem is a JSON pointer (a regular expression that must match the whole
pointer), fragments of the message (case-insensitive text, or a compiled pattern), and optionally
the line the diagnostic must carry.
"""

from __future__ import annotations

import re
import socket
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from generator.load import load
from tests.conftest import ROOT, SPEC, CliResult

# --------------------------------------------------------------------------------------------
# Helpers


@dataclass(frozen=True)
class Line:
    """The 1-based line of the document's text on which `text` first appears."""

    text: str

    def find(self, document: str) -> int:
        for number, line in enumerate(document.splitlines(), start=1):
            if self.text in line:
                return number
        raise AssertionError(f"test bug: {self.text!r} is not in the document")


LineSpec = int | Line | tuple[int | Line, ...]


@dataclass(frozen=True)
class Problem:
    """One diagnostic that must be printed."""

    pointer: str  # a regular expression for the whole JSON pointer
    fragments: tuple[str | re.Pattern[str], ...] = ()
    line: LineSpec | None = None  # None: not checked


def problem(pointer: str, *fragments: str | re.Pattern[str], line: LineSpec | None = None) -> Problem:
    return Problem(pointer, fragments, line)


@dataclass(frozen=True)
class Diag:
    """A diagnostic as printed: `FILE[:LINE]: error: POINTER: MESSAGE`."""

    line: int | None
    pointer: str
    message: str
    text: str


def diagnostics(stderr: str, source: Path) -> list[Diag]:
    """The error diagnostics about `source` in `stderr` (the summary line is not one)."""
    pattern = re.compile(rf"^{re.escape(str(source))}(?::(\d+))?: error: (\S+): (.*)$")
    found = []
    for text in stderr.splitlines():
        match = pattern.match(text)
        if match:
            line = int(match.group(1)) if match.group(1) else None
            found.append(Diag(line, match.group(2), match.group(3), text))
    return found


def _fragment_in(fragment: str | re.Pattern[str], message: str) -> bool:
    if isinstance(fragment, re.Pattern):
        return fragment.search(message) is not None
    return fragment.casefold() in message.casefold()


def _expected_lines(spec: LineSpec, document: str) -> set[int]:
    options = spec if isinstance(spec, tuple) else (spec,)
    return {o.find(document) if isinstance(o, Line) else o for o in options}


def assert_reported(expected: Problem, found: list[Diag], document: str, stderr: str) -> None:
    """Some diagnostic has the expected pointer, message fragments and (if given) line."""
    candidates = [d for d in found if re.fullmatch(expected.pointer, d.pointer)]
    assert candidates, f"no diagnostic at a pointer matching {expected.pointer!r}; stderr was:\n{stderr}"
    candidates = [d for d in candidates if all(_fragment_in(f, d.message) for f in expected.fragments)]
    assert (
        candidates
    ), f"no diagnostic at {expected.pointer!r} says all of {expected.fragments!r}; stderr was:\n{stderr}"
    if expected.line is not None:
        lines = _expected_lines(expected.line, document)
        assert any(d.line in lines for d in candidates), (
            f"the diagnostic at {expected.pointer!r} should be on line {sorted(lines)}, "
            f"was printed as {[d.text for d in candidates]}"
        )


def written(out: Path) -> list[str]:
    """Everything under the output folder (it should not even exist)."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) if out.exists() else []


def resolve_pointer(data: Any, ptr: str) -> bool:
    """Whether the JSON pointer `ptr` names something in `data`."""
    if ptr in ("", "/"):
        return True
    node = data
    for token in ptr.lstrip("/").split("/"):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return False
    return True


@pytest.fixture
def network_attempts(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Record (and refuse) every attempt to open a network connection during the test."""
    attempts: list[object] = []

    def refuse(*args: object, **kwargs: object) -> Any:
        attempts.append(args)
        raise OSError("network access is disabled in this test")

    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    yield attempts


# --------------------------------------------------------------------------------------------
# The documents

DIRECTORY = object()  # the "document" is a folder
MISSING = object()  # the document does not exist

RESPONSE_200 = """\
      responses:
        '200':
          description: ok
"""

IN_QUER = """\
openapi: 3.0.3
info:
  title: Tiny
  version: "1"
paths:
  /a:
    get:
      parameters:
        - name: q
          in: quer
          schema: {type: string}
""" + RESPONSE_200

SEVERAL = """\
openapi: 3.0.3
info:
  title: Tiny
paths:
  /a:
    get:
      parameters:
        - name: q
          in: quer
          schema: {type: string}
      responses:
        '200':
          description: ok
  /b:
    get:
      summary: no responses here
components:
  schemas:
    Thing:
      type: object
      properties:
        n: {type: integer}
      required: name
"""


def _ref_document(*refs: str, info: str = '  title: Tiny\n  version: "1"\n') -> str:
    """A document with one operation per ref, each answering 200 with a schema `$ref: REF`."""
    paths = "".join(f"""\
  /r{i}:
    get:
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: '{ref}'
""" for i, ref in enumerate(refs))
    return f"openapi: 3.0.3\ninfo:\n{info}paths:\n{paths}"


def _ref_pointer(i: int) -> str:
    return rf"/paths/~1r{i}/get/responses/200/content/application~1json/schema/\$ref"


CASES = [
    pytest.param(
        MISSING, "api.yaml",
        [problem("/?", "cannot read", "no such file")],
        id="missing-file",
    ),
    pytest.param(
        DIRECTORY, "api.yaml",
        [problem("/?", "cannot read", "directory")],
        id="directory-not-file",
    ),
    pytest.param(
        "", "api.yaml",
        [problem("/?", "mapping", "empty")],
        id="empty-file",
    ),
    pytest.param(
        "- openapi: 3.0.3\n- info: {}\n", "api.yaml",
        [problem("/?", "mapping", "list")],
        id="yaml-list",
    ),
    pytest.param(
        "just some text\n", "api.yaml",
        [problem("/?", "mapping")],
        id="yaml-scalar",
    ),
    pytest.param(
        'openapi: 3.0.3\ninfo: {title: Tiny, version: "1"\npaths: {}\n', "api.yaml",
        # The bracket opens on line 2; the parser notices on line 3. Either line is an answer.
        [problem("/?", "malformed YAML", line=(2, 3))],
        id="malformed-yaml-unclosed-bracket",
    ),
    pytest.param(
        '{\n  "openapi": "3.0.3",\n  "info": {"title": "Tiny", "version": "1",},\n  "paths": {}\n}\n', "api.json",
        [problem("/?", "malformed JSON", line=3)],
        id="malformed-json",
    ),
    pytest.param(
        b"openapi: 3.0.3\ninfo:\n  title: caf\xe9\n  version: '1'\npaths: {}\n", "api.yaml",
        [problem("/?", "UTF-8")],
        id="not-utf8",
    ),
    pytest.param(
        'swagger: "2.0"\ninfo: {title: Tiny, version: "1"}\npaths: {}\n', "api.yaml",
        [problem("/(swagger)?", "not supported", "2.0")],
        id="swagger-2.0",
    ),
    pytest.param(
        'openapi: 2.5.0\ninfo: {title: Tiny, version: "1"}\npaths: {}\n', "api.yaml",
        [problem("/openapi", "2.5.0", "not supported", line=1)],
        id="openapi-2.5.0",
    ),
    pytest.param(
        'openapi: 4.0.0\ninfo: {title: Tiny, version: "1"}\npaths: {}\n', "api.yaml",
        [problem("/openapi", "4.0.0", "not supported", line=1)],
        id="openapi-4.0.0",
    ),
    pytest.param(
        'info: {title: Tiny, version: "1"}\npaths: {}\n', "api.yaml",
        [problem("/openapi", "openapi", "missing")],
        id="missing-openapi-field",
    ),
    pytest.param(
        "openapi: 3.0.3\ninfo:\n  title: Tiny\npaths: {}\n", "api.yaml",
        [problem("/info", "version", line=Line("info:"))],
        id="missing-info-version",
    ),
    pytest.param(
        IN_QUER, "api.yaml",
        [problem("/paths/~1a/get/parameters/0(/in)?", "quer")],
        id="parameter-in-quer",
    ),
    pytest.param(
        SEVERAL, "api.yaml",
        [
            problem("/info", "version"),
            problem("/paths/~1a/get/parameters/0(/in)?", "quer"),
            problem("/paths/~1b/get(/responses)?", "responses"),
            problem("/components/schemas/Thing/required", "expected array", "found string 'name'"),
        ],
        id="several-problems",
    ),
    pytest.param(
        _ref_document("#/components/schemas/Missing"), "api.yaml",
        [problem(_ref_pointer(0), "#/components/schemas/Missing", line=Line("$ref: '#/components/schemas/Missing'"))],
        id="missing-ref",
    ),
    pytest.param(
        _ref_document("#/components/schemas/Gone", "#/components/schemas/Lost"), "api.yaml",
        [
            problem(_ref_pointer(0), "#/components/schemas/Gone", line=Line("Gone")),
            problem(_ref_pointer(1), "#/components/schemas/Lost", line=Line("Lost")),
        ],
        id="two-missing-refs",
    ),
    pytest.param(
        _ref_document("#/components/schemas/Missing", info="  title: Tiny\n"), "api.yaml",
        # A dangling $ref and a schema error in the same document: both are problems to list.
        [problem(_ref_pointer(0), "#/components/schemas/Missing"), problem("/info", "version")],
        id="missing-ref-and-schema-error",
    ),
    pytest.param(
        _ref_document("https://example.com/x.yaml#/A"), "api.yaml",
        [problem(_ref_pointer(0), "https://example.com/x.yaml#/A", line=Line("https://example.com"))],
        id="remote-ref",
    ),
    pytest.param(
        _ref_document("./nothere.yaml#/Widget"), "api.yaml",
        [
            problem(
                _ref_pointer(0),
                "nothere.yaml",
                re.compile(r"cannot (read|load)|no such file|not found|does not exist", re.IGNORECASE),
                line=Line("nothere.yaml"),
            )
        ],
        id="relative-ref-to-missing-file",
    ),
    pytest.param(
        "openapi: 3.0.3\ninfo: {title: Tiny, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {}\n", "api.yaml",
        [problem("/paths/~1a/get/responses", "empty")],
        id="empty-responses-3.0",
    ),
    pytest.param(
        "openapi: 3.0.3\ninfo: {title: Tiny, version: '1'}\npaths: [1, 2]\n", "api.yaml",
        [problem("/paths", "object")],
        id="paths-is-a-list",
    ),
]  # fmt: skip

# Cases whose answer must be a single diagnostic, not a cascade of schema errors.
SINGLE_DIAGNOSTIC = {
    "missing-file", "directory-not-file", "empty-file", "yaml-list", "yaml-scalar",
    "malformed-yaml-unclosed-bracket", "malformed-json", "not-utf8", "swagger-2.0",
    "openapi-2.5.0", "openapi-4.0.0", "missing-openapi-field",
}  # fmt: skip


def write_document(tmp_path: Path, content: object, filename: str) -> Path:
    path = tmp_path / filename
    if content is DIRECTORY:
        path.mkdir()
    elif isinstance(content, bytes):
        path.write_bytes(content)
    elif isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        assert content is MISSING
    return path


def document_text(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace") if path.is_file() else ""


# --------------------------------------------------------------------------------------------
# Tests


@pytest.mark.parametrize(("content", "filename", "problems"), CASES)
def test_broken_document(
    tmp_path: Path,
    run_cli: Callable[..., CliResult],
    network_attempts: list[object],
    request: pytest.FixtureRequest,
    content: object,
    filename: str,
    problems: list[Problem],
) -> None:
    path = write_document(tmp_path, content, filename)
    out = tmp_path / "out"

    result = run_cli("generate", path, "--output", out)

    assert result.code == 2, f"exit {result.code}; stderr:\n{result.stderr}"
    assert "Traceback" not in result.stderr + result.stdout
    assert "internal error" not in result.stderr, f"a broken document is not a bug in clientgen:\n{result.stderr}"
    found = diagnostics(result.stderr, path)
    for expected in problems:
        assert_reported(expected, found, document_text(path), result.stderr)
    if request.node.callspec.id in SINGLE_DIAGNOSTIC:
        assert len(found) == 1, f"expected one line, not:\n{result.stderr}"
    assert written(out) == [], "nothing may be written for a broken document"
    assert network_attempts == [], "a remote $ref must be refused, not fetched"


def test_every_pointer_points_into_the_document(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    """A diagnostic's pointer names a place in the document (for a missing field, its parent)."""
    path = write_document(tmp_path, SEVERAL, "api.yaml")
    result = run_cli("generate", path, "--output", tmp_path / "out")

    assert result.code == 2
    found = diagnostics(result.stderr, path)
    assert found
    data = load(path).data
    nowhere = [d.text for d in found if not resolve_pointer(data, d.pointer)]
    assert nowhere == [], "these diagnostics point at nothing in the document:\n" + "\n".join(nowhere)


BROKEN_FOR_SUBPROCESS = {
    "malformed-yaml": 'openapi: 3.0.3\ninfo: {title: Tiny, version: "1"\npaths: {}\n',
    "missing-ref": _ref_document("#/components/schemas/Missing"),
    "swagger": 'swagger: "2.0"\ninfo: {title: Tiny, version: "1"}\npaths: {}\n',
    "paths-list": "openapi: 3.0.3\ninfo: {title: Tiny, version: '1'}\npaths: [1, 2]\n",
    "ref-cycle": (
        "openapi: 3.0.3\ninfo: {title: Tiny, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n"
        "        '200': {$ref: '#/components/responses/R'}\n"
        "components:\n  responses:\n    R: {$ref: '#/components/responses/R'}\n"
    ),
}


@pytest.mark.parametrize("name", sorted(BROKEN_FOR_SUBPROCESS))
def test_real_command_never_prints_a_traceback(tmp_path: Path, name: str) -> None:
    path = write_document(tmp_path, BROKEN_FOR_SUBPROCESS[name], f"{name}.yaml")
    out = tmp_path / "out"

    proc = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(path), "--output", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stdout
    assert "Traceback" not in proc.stderr
    assert written(out) == []


def test_validate_accepts_the_comms_spec(run_cli: Callable[..., CliResult]) -> None:
    result = run_cli("validate", SPEC)

    assert result.code == 0, result.stderr
    assert "valid" in result.stdout
    assert "error" not in result.stderr


def test_validate_rejects_a_broken_document(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    path = write_document(tmp_path, _ref_document("#/components/schemas/Missing"), "api.yaml")

    result = run_cli("validate", path)

    assert result.code == 2
    assert "#/components/schemas/Missing" in result.stderr
    assert "valid OpenAPI" not in result.stdout


MAIN_DOCUMENT = """\
openapi: 3.0.3
info:
  title: Two Files
  version: "1"
paths:
  /widgets/{id}:
    get:
      operationId: getWidget
      parameters:
        - name: id
          in: path
          required: true
          schema: {type: string}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema:
                $ref: './schemas.yaml#/Widget'
"""

SCHEMAS_DOCUMENT = """\
Widget:
  type: object
  required: [id]
  properties:
    id: {type: string}
    size: {type: integer}
"""


def test_relative_file_ref_to_a_second_document(tmp_path: Path, run_cli: Callable[..., CliResult]) -> None:
    spec = write_document(tmp_path, MAIN_DOCUMENT, "main.yaml")
    write_document(tmp_path, SCHEMAS_DOCUMENT, "schemas.yaml")
    out = tmp_path / "out"

    result = run_cli("generate", spec, "--output", out)

    assert result.code == 0, result.stderr
    package = out / "two_files"
    model = package / "models" / "widget.py"
    assert model.is_file(), f"no model for Widget; wrote {written(out)}"
    assert "class Widget" in model.read_text(encoding="utf-8")
    assert "Widget" in (package / "models" / "__init__.py").read_text(encoding="utf-8")


# --------------------------------------------------------------------------------------------
# How strict validation words its problems: one line each, saying what was expected and what
# was found at the failing value (never a schema or a whole object), each once, in the order of
# the document. The documents are the kinds of mistake openapi-spec-validator's own test suite
# breaks documents with; each case lists every line `validate` must print, as (line, pointer,
# message).

HEAD_30 = 'openapi: 3.0.3\ninfo:\n  title: Tiny\n  version: "1"\n'
HEAD_31 = HEAD_30.replace("3.0.3", "3.1.0")
THING = "paths: {}\ncomponents:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        name:\n"

STRNG = "expected one of 'array', 'boolean', 'integer', {}'number', 'object', 'string'; found 'strng'"
IN = "expected one of {}; found 'quer'"

MESSAGE_CASES = {
    "missing-info": (
        "openapi: 3.0.3\npaths: {}\n",
        [(1, "/", "missing required property 'info'")],
    ),
    "wrong-types": (
        "openapi: 3.1.0\ninfo:\n  title: 3\n  version: 1.5\npaths: {}\n",
        [
            (3, "/info/title", "expected string; found integer 3"),
            (4, "/info/version", "expected string; found number 1.5"),
        ],
    ),
    "bad-in-3.0": (
        HEAD_30 + "paths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: quer, schema: {type: string}}\n" + RESPONSE_200,
        [(9, "/paths/~1a/get/parameters/0/in", IN.format("'path', 'query', 'header', 'cookie'"))],
    ),
    "bad-in-3.1": (
        HEAD_31 + "paths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: quer, schema: {type: string}}\n" + RESPONSE_200,
        [(9, "/paths/~1a/get/parameters/0/in", IN.format("'query', 'header', 'path', 'cookie'"))],
    ),
    # Reported by the check of the document's structure and again by that of the Schema Object.
    "type-strng-3.0": (
        HEAD_30 + THING + "          type: strng\n",
        [(12, "/components/schemas/Thing/properties/name/type", STRNG.format(""))],
    ),
    "type-strng-3.1": (
        HEAD_31 + THING + "          type: strng\n",
        [(12, "/components/schemas/Thing/properties/name/type", STRNG.format("'null', "))],
    ),
    "response-without-description": (
        HEAD_30 + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          content: {}\n",
        [(9, "/paths/~1a/get/responses/200", "missing required property 'description'")],
    ),
    "unknown-top-level-field": (
        HEAD_30 + "paths: {}\nservers_list: []\n",
        [(6, "/servers_list", "unexpected property 'servers_list' (an extension's name must start with 'x-')")],
    ),
    "misspelled-field": (
        HEAD_30 + "paths:\n  /a:\n    get:\n      responses:\n        '200':\n          descripton: ok\n",
        [
            (9, "/paths/~1a/get/responses/200", "missing required property 'description'"),
            (10, "/paths/~1a/get/responses/200/descripton", "unexpected property 'descripton' (did you mean 'description'?)"),
        ],
    ),
    "parameter-without-name": (
        HEAD_30 + "paths:\n  /a:\n    get:\n      parameters:\n        - in: query\n          schema: {type: string}\n"
        + RESPONSE_200,
        [(9, "/paths/~1a/get/parameters/0", "missing required property 'name'")],
    ),
    # One of two properties is required: neither alternative is the likelier.
    "parameter-without-schema": (
        HEAD_30 + "paths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: query}\n" + RESPONSE_200,
        [(9, "/paths/~1a/get/parameters/0", "missing one of the properties 'schema', 'content'")],
    ),
    "path-without-slash": (
        HEAD_30 + "paths:\n  a:\n    get:\n" + RESPONSE_200,
        [(6, "/paths/a", "unexpected property 'a' (names must start with '/' or 'x-')")],
    ),
    "security-scheme-type": (
        HEAD_30 + "paths: {}\ncomponents:\n  securitySchemes:\n    key: {type: apikey, name: X, in: header}\n"
        "    basic:\n      type: http\n      schem: basic\n",
        [
            (8, "/components/securitySchemes/key/type", "expected one of 'apiKey', 'http', 'oauth2', 'openIdConnect'; found 'apikey'"),
            (9, "/components/securitySchemes/basic", "missing required property 'scheme'"),
            (11, "/components/securitySchemes/basic/schem", "unexpected property 'schem' (did you mean 'scheme'?)"),
        ],
    ),
    # Found by the checks of parts of the document, which the validator words relative to the part
    # (or not placed at all): each at the value, not at the root.
    "defaults-and-operation-ids": (
        HEAD_30 + "paths:\n  /a:\n    get:\n      operationId: same\n      parameters:\n"
        "        - {name: q, in: query, schema: {type: string, default: 3}}\n" + RESPONSE_200
        + "  /b:\n    get:\n      operationId: same\n" + RESPONSE_200
        + "components:\n  schemas:\n    Pick:\n      type: string\n      enum: [a, b]\n      default: [a]\n",
        [
            (10, "/paths/~1a/get/parameters/0/schema/default", "expected string; found integer 3"),
            (16, "/paths/~1b/get/operationId", "operationId 'same' is used by another operation too"),
            (25, "/components/schemas/Pick/default", "expected one of 'a', 'b'; found an array"),
        ],
    ),
    "path-parameters-and-required-names": (
        HEAD_30 + "paths:\n  /a/{id}:\n    get:\n      parameters:\n"
        "        - {name: ident, in: path, required: true, schema: {type: string}}\n" + RESPONSE_200
        + "components:\n  schemas:\n    Thing:\n      allOf: [{properties: {a: {type: string}}}]\n      required: [a, b]\n",
        [
            (7, "/paths/~1a~1{id}/get", "parameter 'ident' (in: path) is not in the path '/a/{id}'"),
            (7, "/paths/~1a~1{id}/get", "the path's {id} has no parameter (in: path) of that name"),
            (17, "/components/schemas/Thing/required", "required 'b' is not among the properties"),
        ],
    ),
    # Listed by pointer, these would run 13, 18, 2: the document's order is kept instead.
    "in-the-order-of-the-document": (
        "openapi: 3.0.3\ninfo:\n  title: Tiny\ncomponents:\n  schemas:\n    Thing:\n      type: object\n"
        "      required: name\npaths:\n  /a:\n    get:\n      parameters:\n        - {name: q, in: quer, schema: {type: string}}\n"
        + RESPONSE_200 + "  /b:\n    get:\n      summary: no responses\n",
        [
            (2, "/info", "missing required property 'version'"),
            (8, "/components/schemas/Thing/required", "expected array; found string 'name'"),
            (13, "/paths/~1a/get/parameters/0/in", IN.format("'path', 'query', 'header', 'cookie'")),
            (18, "/paths/~1b/get", "missing required property 'responses'"),
        ],
    ),
}  # fmt: skip


def _validate_command(path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "validate", str(path), *flags],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_short_line_each(stderr: str, path: Path, level: str = "error") -> list[tuple[int, str, str]]:
    """Every line but the summary is `FILE:LINE: LEVEL: POINTER: MESSAGE`, with a short message
    quoting no schema or object; none twice; lines ascending. Returns (line, pointer, message)."""
    summary = f"{path}: "
    printed = [line for line in stderr.splitlines() if not re.fullmatch(rf"{re.escape(summary)}\d+ error\(s\).*", line)]
    pattern = re.compile(rf"{re.escape(str(path))}:(\d+): {level}: (/\S*): (.+)")
    found = []
    for text in printed:
        match = pattern.fullmatch(text)
        assert match, f"not one diagnostic with a line: {text!r}"
        line, ptr, message = int(match.group(1)), match.group(2), match.group(3)
        assert len(message) <= 160, f"a long message: {message!r}"
        assert "{'" not in message and "[{" not in message, f"a schema or object quoted: {message!r}"
        assert "is not valid under any of the given schemas" not in message, message
        found.append((line, ptr, message))
    assert len(set(found)) == len(found), "a problem printed twice:\n" + stderr
    assert [line for line, _, _ in found] == sorted(line for line, _, _ in found), "not in line order:\n" + stderr
    return found


@pytest.mark.parametrize("name", sorted(MESSAGE_CASES))
def test_validation_messages(tmp_path: Path, name: str) -> None:
    document, expected = MESSAGE_CASES[name]
    path = write_document(tmp_path, document, "api.yaml")

    run = _validate_command(path)

    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr
    assert assert_one_short_line_each(run.stderr, path) == expected
    assert run.stderr.splitlines()[-1] == f"{path}: {len(expected)} error(s); nothing was generated"


def test_lenient_warnings_are_worded_alike(tmp_path: Path) -> None:
    document, expected = MESSAGE_CASES["in-the-order-of-the-document"]
    path = write_document(tmp_path, document.replace("in: quer", "in: query"), "api.yaml")

    run = _validate_command(path, "--lenient")

    assert run.returncode == 0, run.stderr
    warned = assert_one_short_line_each(run.stderr, path, level="warning")
    # Where the builder says what it did about a wrong value, its line replaces validation's.
    ignored = (
        8,
        "/components/schemas/Thing/required",
        "required must be a list of property names, found 'name'; ignored",
    )
    assert warned == [
        ignored if problem[1] == ignored[1] else problem for problem in expected if not problem[1].endswith("/in")
    ]


README_DOCUMENT = """\
openapi: 3.0.3
info:
  title: Tiny
paths:
  /a:
    get:
      parameters:
        - name: q
          in: quer
          schema: {type: string}
      responses:
        "200":
          description: ok
          headres: {}
"""


def test_the_readme_shows_what_validate_prints(tmp_path: Path) -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"```\n(api\.yaml:.*?)```", readme, re.DOTALL)
    assert shown, "the README lost its example of validation problems"
    path = write_document(tmp_path, README_DOCUMENT, "api.yaml")

    run = _validate_command(path)

    assert run.returncode == 2
    assert run.stderr.replace(str(path), "api.yaml") == shown.group(1)


def test_each_diagnostic_names_its_document(tmp_path: Path) -> None:
    """A diagnostic carries the document it is about, as the run was given its path: the loader's,
    the validator's and the builder's alike; one made before any document was read is printed
    with the name the command line was given, never with `None`."""
    from generator.diagnostics import Diagnostic
    from generator.errors import DiagnosticError
    from generator.pipeline import load_and_build

    malformed = tmp_path / "malformed.yaml"
    malformed.write_text("openapi: [\n", encoding="utf-8")
    with pytest.raises(DiagnosticError) as raised:
        load(malformed)
    assert {d.source for d in raised.value.diagnostics} == {str(malformed)}

    invalid = tmp_path / "invalid.yaml"
    invalid.write_text(
        "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /a:\n    get:\n"
        "      parameters: [{name: q, in: query, schema: {type: strng}}]\n"
        "      responses: {'200': {description: ok}}\n",
        encoding="utf-8",
    )
    _, warnings = load_and_build(invalid, lenient=True)
    assert warnings and {w.source for w in warnings} == {str(invalid)}
    assert all(w.render("elsewhere.yaml").startswith(f"{invalid}:") for w in warnings)

    assert Diagnostic("/a", "m", line=3).render("given.yaml") == "given.yaml:3: error: /a: m"
    assert Diagnostic("", "m", line=3).render() == "error: /: m"
