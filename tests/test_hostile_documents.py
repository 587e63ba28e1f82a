"""Documents built to attack the generator, or to wear it down.

Two promises are tested here, each through the real command line in a child process:

- Injection: every string a document carries (descriptions, titles, enum values, defaults,
  examples, names, paths, header names, server URLs) reaches the generated code only as data.
  `tests/hostile/attack.yaml` is written to break out of every kind of literal and docstring the
  templates emit; its client must compile, import without side effects, pass `mypy --strict`,
  and give the hostile text back verbatim.
- Pathological documents (deep nesting, `$ref` cycles of every shape, YAML alias bombs, 50 MB,
  duplicate keys, bytes that are not UTF-8, references to `/etc/passwd` or to the network) either
  generate or exit 2 with a message, in bounded time and memory, without a traceback, without
  touching the network and without reading a file outside the document's folder.
"""

from __future__ import annotations

import inspect
import json
import os
import resource
import subprocess
import sys
import textwrap
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT

ATTACK = ROOT / "tests" / "hostile" / "attack.yaml"
SPECS = ROOT.parent / "shared" / "specs"

# Every run gets this much address space (the deep-stack thread reserves 512 MiB of it) and this
# long; a document that needs more is refused, not given more.
MEMORY_LIMIT = 3 * 2**30
TIME_LIMIT = 180

# The child runs the command line under an audit hook that records every network connection and
# every file opened under the paths a hostile document would like read: `/etc/passwd`, and the
# folders beside the document's that the tests fill with "secrets".
_GUARD = textwrap.dedent("""
    import json, os, sys
    forbidden = [os.path.realpath(p) for p in json.loads(os.environ["GUARD_FORBIDDEN"])]
    seen = []

    def hook(event, args):
        if event in ("socket.connect", "socket.getaddrinfo", "os.system", "subprocess.Popen"):
            seen.append([event, str(args[:2])])
        elif event == "open" and isinstance(args[0], (str, bytes)):
            path = os.path.realpath(os.fsdecode(args[0]))
            if any(path == root or path.startswith(root + os.sep) for root in forbidden):
                seen.append(["open", path])

    sys.addaudithook(hook)
    from generator.cli import main
    try:
        code = main(sys.argv[1:])
    finally:
        with open(os.environ["GUARD_REPORT"], "w") as report:
            json.dump(seen, report)
    sys.exit(code)
    """)


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    touched: list[list[str]]  # network use, and files read under the forbidden paths


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_guarded(tmp_path: Path, *args: str | Path, readable: tuple[Path, ...] = ()) -> Run:
    """`python -m generator ARGS` in a child with bounded memory and time, under the guard.
    Paths in `readable` are not forbidden."""
    report = tmp_path / "guard.json"
    forbidden = [p for p in ("/etc/passwd", tmp_path / "secret", tmp_path / "shared") if p not in readable]
    env = {**os.environ, "GUARD_FORBIDDEN": json.dumps([str(p) for p in forbidden]), "GUARD_REPORT": str(report)}
    result = subprocess.run(
        [sys.executable, "-c", _GUARD, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=TIME_LIMIT,
        env=env,
        cwd=tmp_path,
        preexec_fn=_limit_memory,
    )
    touched = json.loads(report.read_text()) if report.exists() else [["no report", result.stderr[-2000:]]]
    return Run(result.returncode, result.stdout, result.stderr, touched)


# --------------------------------------------------------------------------------------------
# Injection


@pytest.fixture(scope="module")
def attack_client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding the package generated from the attack document."""
    root = tmp_path_factory.mktemp("attack")
    (root / "doc").mkdir()
    document = root / "doc" / "attack.yaml"
    document.write_bytes(ATTACK.read_bytes())
    run = run_guarded(root, "generate", document, "--output", root / "out")
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr
    assert run.touched == []
    return root / "out"


_PROBE = textwrap.dedent("""
    import importlib, json, os, pkgutil, sys
    events = []

    def hook(event, args):
        if event in ("os.system", "subprocess.Popen", "os.exec", "os.posix_spawn", "os.spawn", "os.fork",
                     "socket.connect", "os.remove", "os.rename", "shutil.rmtree"):
            events.append(event)
        if event == "open" and args[1] is not None and any(c in str(args[1]) for c in "wax+"):
            events.append(f"open for writing: {args[0]}")

    sys.addaudithook(hook)
    package = importlib.import_module("attack_api")
    modules = [package.__name__]
    for info in pkgutil.walk_packages(package.__path__, "attack_api."):
        importlib.import_module(info.name)
        modules.append(info.name)

    from attack_api import Client
    from attack_api.models import Evil, EvilEnum
    from attack_api._client import DEFAULT_BASE_URL
    from attack_api.resources import evil_tag_import_os as resource
    from attack_api.resources import _client_operations as own

    payload = json.loads(sys.argv[1])
    request = resource._import_os_system_touch_pwned_op_request("../x", "a/b?c#d", q_uery_line=EvilEnum("a\\nb"))
    print(json.dumps({
        "events": events,
        "modules": modules,
        "enum": [member.value for member in EvilEnum],
        "round_trip": Evil.from_dict(payload).to_dict(),
        "evil_doc": Evil.__doc__,
        "base_url": DEFAULT_BASE_URL,
        "client": repr(Client()),
        "path": request.path,
        "quirks": own._quirks_request("{format}", "{id}").path,
        "params": [list(p) for p in request.params],
        "files": sorted(os.listdir(".")),
    }))
    """)


def _attack_document() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(ATTACK.read_text(encoding="utf-8"))
    return data


def test_the_attack_client_imports_without_side_effects_and_keeps_the_text_as_data(
    attack_client: Path, tmp_path: Path
) -> None:
    document = _attack_document()
    evil = document["components"]["schemas"]["Evil"]
    payload = {name: ("x" if spec.get("type") == "string" else 1) for name, spec in evil["properties"].items()}
    payload.update({"True": True, "mode": "a\nb", 'unlisted """ key': "kept"})
    work = tmp_path / "cwd"
    work.mkdir()

    result = subprocess.run(
        [sys.executable, "-c", _PROBE, json.dumps(payload)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=work,
        env={**os.environ, "PYTHONPATH": str(attack_client), "PYTHONDONTWRITEBYTECODE": "1"},
    )

    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout)
    assert seen["events"] == [], "importing the client did something besides defining things"
    assert seen["files"] == [], "importing the client created files"
    assert not list(work.parent.glob("**/pwned*")) and not list(attack_client.glob("**/pwned*"))
    assert len(seen["modules"]) > 10
    assert seen["enum"] == document["components"]["schemas"]["EvilEnum"]["enum"]
    assert seen["round_trip"] == {**payload, "True": True}
    assert inspect.cleandoc(seen["evil_doc"]) == inspect.cleandoc(evil["description"])
    assert seen["base_url"] == document["servers"][0]["url"]
    template = next(iter(document["paths"]))
    assert seen["path"] == template.replace("{item_id}", "..%2Fx").replace("{class}", "a%2Fb%3Fc%23d")
    assert seen["params"] == [["q%22uery%0Aline", "a%0Ab"]]  # percent-encoded by encode_query
    assert seen["quirks"] == "/quirks/%7Bformat%7D.%7Bid%7D/~x", "a value is filled in once, as data"


def test_the_attack_client_passes_mypy_strict(attack_client: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--strict", "--no-incremental", "-p", "attack_api"],
        capture_output=True,
        text=True,
        cwd=attack_client,
        env={**os.environ, "MYPYPATH": str(attack_client)},
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_generated_file_compiles(attack_client: Path) -> None:
    for path in sorted(attack_client.rglob("*.py")):
        compile(path.read_text(encoding="utf-8"), str(path), "exec")


# --------------------------------------------------------------------------------------------
# Pathological documents


def _document(schemas: dict[str, Any], ref: str = "#/components/schemas/A") -> dict[str, Any]:
    """An API with one GET answering the schema `ref`, and `schemas` as its components."""
    content = {"application/json": {"schema": {"$ref": ref}}}
    operation = {"operationId": "getIt", "responses": {"200": {"description": "ok", "content": content}}}
    return {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": {"/a": {"get": operation}},
        "components": {"schemas": schemas},
    }


def _nested(opening: str, closing: str, depth: int) -> str:
    """A JSON document whose schema A nests `depth` levels (too deep for `json.dumps`)."""
    text = json.dumps(_document({"A": "HOLE"}))
    return text.replace('"HOLE"', opening * depth + '{"type": "string"}' + closing * depth)


def _json(data: dict[str, Any]) -> str:
    return json.dumps(data)


def _alias_bomb() -> str:
    lines = ["openapi: 3.1.0", 'info: {title: T, version: "1"}', "paths: {}", 'a0: &a0 ["lol", "lol", "lol", "lol"]']
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    lines.append("x-bomb: *a9")
    return "\n".join(lines) + "\n"


def _fifty_megabytes() -> str:
    document = _document({"A": {"type": "object", "properties": {"name": {"type": "string"}}}})
    document["x-padding"] = ["y" * 1000] * 50_000
    return json.dumps(document)


@dataclass(frozen=True)
class Case:
    name: str  # also the document's file name
    text: Callable[[], str | bytes]
    code: int
    says: tuple[str, ...] = ()  # fragments stderr must contain


def _ref(target: str) -> Callable[[], str]:
    return lambda: _json(_document({}, ref=target))


CASES = [
    Case("deep-objects.json", lambda: _nested('{"type": "object", "properties": {"x": ', "}}", 1000), 0),
    Case("deep-arrays.json", lambda: _nested('{"type": "array", "items": ', "}", 1000), 0, ("nest more than",)),
    Case("deep-maps.json", lambda: _nested('{"type": "object", "additionalProperties": ', "}", 1000), 0),
    Case("self-allof.json", lambda: _json(_document({"A": {"allOf": [{"$ref": "#/components/schemas/A"}]}})), 0),
    Case(
        "allof-cycle.json",
        lambda: _json(
            _document(
                {
                    "A": {"allOf": [{"$ref": "#/components/schemas/B"}], "required": ["a"], "properties": {"a": {}}},
                    "B": {"allOf": [{"$ref": "#/components/schemas/A"}], "properties": {"b": {"type": "string"}}},
                }
            )
        ),
        0,
    ),
    Case("self-ref.json", lambda: _json(_document({"A": {"$ref": "#/components/schemas/A"}})), 2, ("cycle",)),
    Case(
        "mutual-ref.json",
        lambda: _json(_document({"A": {"$ref": "#/components/schemas/B"}, "B": {"$ref": "#/components/schemas/A"}})),
        2,
        ("/components/schemas/B → /components/schemas/A → /components/schemas/B",),
    ),
    Case(
        "cycle-through-array.json",
        lambda: _json(
            _document(
                {
                    "A": {"type": "object", "properties": {"b": {"$ref": "#/components/schemas/B"}}},
                    "B": {"type": "array", "items": {"$ref": "#/components/schemas/A"}},
                }
            )
        ),
        0,
    ),
    Case(
        "cycle-through-map.json",
        lambda: _json(_document({"A": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/A"}}})),
        0,
    ),
    Case(
        "cycle-through-unions.json",
        lambda: _json(
            _document(
                {
                    "A": {"anyOf": [{"$ref": "#/components/schemas/B"}, {"type": "string"}]},
                    "B": {"oneOf": [{"$ref": "#/components/schemas/A"}, {"type": "integer"}]},
                }
            )
        ),
        0,
    ),
    Case(
        "stray-brace-in-path.json",
        lambda: _json({**_document({"A": {"type": "string"}}), "paths": {"/a/{id}/}{": {}}}),
        2,
        ("has a brace that does not enclose a parameter name",),
    ),
    Case("alias-bomb.yaml", _alias_bomb, 2, ("YAML aliases expand",)),
    Case(
        "self-alias.yaml",
        lambda: 'openapi: 3.1.0\ninfo: {title: T, version: "1"}\npaths: {}\nx-a: &a [1, *a]\n',
        2,
        ("contains it",),
    ),
    Case(
        "duplicate-keys.yaml",
        lambda: 'openapi: 3.1.0\ninfo: {title: T, version: "1"}\npaths:\n  /a: {}\n  /a: {}\n',
        2,
        (":5: error", "duplicate key '/a' (first at line 4)"),
    ),
    Case(
        "duplicate-keys.json",
        lambda: '{"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}, "paths": {}}',
        2,
        ("duplicate key 'paths'",),
    ),
    Case(
        "not-utf8.yaml",
        lambda: b'openapi: 3.1.0\ninfo: {title: T, version: "1"}\npaths: {}\nx: "\xff\xfe"\n',
        2,
        ("not UTF-8",),
    ),
    Case("fifty-megabytes.json", _fifty_megabytes, 0),
    Case("ref-to-etc-passwd.json", _ref("/etc/passwd"), 2, ("outside the document's folder",)),
    Case(
        "ref-up-to-etc-passwd.json",
        _ref("../../../../../../../../etc/passwd#/x"),
        2,
        ("outside the document's folder",),
    ),
    Case("ref-file-uri.json", _ref("file:///etc/passwd"), 2, ("outside the document's folder",)),
    Case("ref-to-metadata-service.json", _ref("http://169.254.169.254/latest/meta-data#/x"), 2, ("is not fetched",)),
    Case("ref-to-https.json", _ref("https://example.com/schemas.yaml#/A"), 2, ("is not fetched",)),
]


@pytest.mark.parametrize("case", [pytest.param(c, id=c.name) for c in CASES])
def test_pathological_document(tmp_path: Path, case: Case) -> None:
    folder = tmp_path / "doc"
    folder.mkdir()
    document = folder / case.name
    text = case.text()
    document.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))

    run = run_guarded(tmp_path, "generate", document, "--output", tmp_path / "out")

    assert run.code == case.code, run.stderr[-3000:]
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr[-3000:]
    for fragment in case.says:
        assert fragment in run.stderr
    assert run.touched == [], "the run used the network or read a file outside the document's folder"
    if case.code == 2:
        assert not (tmp_path / "out").exists(), "a refused document wrote something"


@pytest.mark.skipif(not (SPECS / "oapicg-recursive.yaml").is_file(), reason="../shared/specs is not beside the project")
def test_recursive_allof_document_validates_and_generates(tmp_path: Path) -> None:
    """oapi-codegen's `recursive` document: openapi-spec-validator alone recurses until it dies."""
    (tmp_path / "doc").mkdir()
    document = tmp_path / "doc" / "recursive.yaml"
    document.write_bytes((SPECS / "oapicg-recursive.yaml").read_bytes())

    run = run_guarded(tmp_path, "generate", document, "--output", tmp_path / "out")

    assert run.code == 0, run.stderr[-3000:]
    assert "warning" not in run.stderr, "strict validation passed it as valid"


def test_a_link_in_the_folder_to_a_file_outside_is_not_followed(tmp_path: Path) -> None:
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "schemas.json").write_text(json.dumps({"A": {"type": "string"}}), encoding="utf-8")
    folder = tmp_path / "doc"
    folder.mkdir()
    (folder / "schemas.json").symlink_to(secret / "schemas.json")
    (folder / "api.json").write_text(_json(_document({}, ref="schemas.json#/A")), encoding="utf-8")

    run = run_guarded(tmp_path, "generate", folder / "api.json", "--output", tmp_path / "out")

    assert run.code == 2
    assert "outside the document's folder" in run.stderr and "--allow-outside-refs" in run.stderr
    assert run.touched == []


def test_files_outside_the_folder_are_read_when_allowed(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "schemas.json").write_text(json.dumps({"A": {"type": "string"}}), encoding="utf-8")
    folder = tmp_path / "doc"
    folder.mkdir()
    (folder / "api.json").write_text(_json(_document({}, ref="../shared/schemas.json#/A")), encoding="utf-8")
    out = tmp_path / "out"

    refused = run_guarded(tmp_path, "generate", folder / "api.json", "--output", out)
    allowed = run_guarded(
        tmp_path, "generate", folder / "api.json", "--output", out, "--allow-outside-refs", readable=(shared,)
    )

    assert refused.code == 2 and "outside the document's folder" in refused.stderr
    assert refused.touched == []
    assert allowed.code == 0, allowed.stderr
