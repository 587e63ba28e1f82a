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
            problem("/components/schemas/Thing(/required)?", "required"),
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
