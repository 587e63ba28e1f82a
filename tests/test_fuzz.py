"""Fuzzing, with a bounded budget (raise it with FUZZ_EXAMPLES and FUZZ_MUTATIONS).

- Property-based (hypothesis): random valid documents, with names drawn from an alphabet made to
  collide with Python (keywords, dunders, quotes, accents, digits first). The generated package
  must compile and import, and random instances of every model must survive
  `from_dict` → `to_dict` unchanged.
- Mutation: the documents in ../shared/specs (those under 300 KB), the project's own and the
  attack document, each damaged by a random edit to its data or its bytes. The only acceptable
  outcomes are a package whose every file compiles, or `DiagnosticError` with messages (exit 2);
  any other exception, or a case running past its time limit, is a failure, reported with the
  seed that reproduces it.
"""

from __future__ import annotations

import copy
import importlib
import json
import os
import random
import signal
import sys
import time
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import black
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from generator.errors import DiagnosticError
from generator.format import black_mode
from generator.pipeline import generate_files, load_and_build, render_files
from tests.conftest import ROOT, SPEC

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "25"))
MUTATIONS = int(os.environ.get("FUZZ_MUTATIONS", "300"))
SECONDS_PER_CASE = 30

# --------------------------------------------------------------------------------------------
# Random valid documents

HOSTILE_NAMES = [
    "id", "type", "self", "None", "True", "class", "__class__", "__init__", "match", "case", "from_dict",
    "to_dict", "additional_properties", "_RULE", "list", "dict", "str", "x-y", "2nd", "a b", "Größe", '"""',
    "'", "\\", "", "ünïcode", "camelCase", "snake_case", "SCREAMING", "with.dot", "$ref", "default",
]  # fmt: skip
NAMES = st.one_of(st.sampled_from(HOSTILE_NAMES), st.text(min_size=1, max_size=10))
TEXT = st.one_of(st.sampled_from(['"""', "\\", "'''", "\\N{BULLET}", "{{ x }}", "a\nb", ""]), st.text(max_size=20))


def _scalar_schema() -> st.SearchStrategy[dict[str, Any]]:
    return st.one_of(
        st.just({"type": "string"}),
        st.just({"type": "integer"}),
        st.just({"type": "number"}),
        st.just({"type": "boolean"}),
        st.lists(TEXT, min_size=1, max_size=4, unique=True).map(lambda values: {"type": "string", "enum": values}),
    )


@st.composite
def _schema(draw: st.DrawFn, models: int, index: int, depth: int, required: bool) -> dict[str, Any]:
    """A property schema of model `index`. A required property refers only to earlier models, so
    that every model has finite instances; an optional one may refer to any, itself included."""
    choices = ["scalar"] * 4 + (["array", "map", "nullable", "inline"] if depth < 2 else [])
    reachable = index if required else models
    if reachable:
        choices += ["ref"] * 2
    kind = draw(st.sampled_from(choices))
    if kind == "scalar":
        return draw(_scalar_schema())
    if kind == "ref":
        return {"$ref": f"#/components/schemas/M{draw(st.integers(0, reachable - 1))}"}
    if kind == "array":
        return {"type": "array", "items": draw(_schema(models, index, depth + 1, False))}
    if kind == "map":
        return {"type": "object", "additionalProperties": draw(_schema(models, index, depth + 1, False))}
    if kind == "nullable":
        inner = draw(_scalar_schema())
        return {**inner, "type": [inner["type"], "null"]}
    return draw(_object(models, index, depth + 1))


@st.composite
def _object(draw: st.DrawFn, models: int, index: int, depth: int = 0) -> dict[str, Any]:
    names = draw(st.lists(NAMES, max_size=5, unique=True))
    required = [n for n in names if draw(st.booleans())]
    schema: dict[str, Any] = {
        "type": "object",
        "description": draw(TEXT),
        "properties": {n: draw(_schema(models, index, depth, n in required)) for n in names},
    }
    if required:
        schema["required"] = required
    if draw(st.booleans()):
        schema["additionalProperties"] = False
    return schema


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    models = draw(st.integers(1, 4))
    schemas = {f"M{i}": draw(_object(models, i)) for i in range(models)}
    paths: dict[str, Any] = {}
    for i in range(draw(st.integers(1, 3))):
        target = f"#/components/schemas/M{draw(st.integers(0, models - 1))}"
        answer = {"200": {"description": draw(TEXT), "content": {"application/json": {"schema": {"$ref": target}}}}}
        query = [
            {"name": name, "in": "query", "schema": draw(_scalar_schema())}
            for name in draw(st.lists(NAMES, max_size=3, unique=True))
        ]
        operation: dict[str, Any] = {"operationId": f"{draw(NAMES)}{i}", "summary": draw(TEXT), "responses": answer}
        paths[f"/things{i}/{{thingId}}"] = {
            "parameters": [{"name": "thingId", "in": "path", "required": True, "schema": {"type": "string"}}],
            "get": {**operation, "parameters": query},
            "post": {
                **operation,
                "operationId": f"create{i}",
                "requestBody": {"required": True, "content": {"application/json": {"schema": {"$ref": target}}}},
            },
        }
    return {
        "openapi": "3.1.0",
        "info": {"title": draw(TEXT) or "T", "version": "1", "description": draw(TEXT)},
        "paths": paths,
        "components": {"schemas": schemas},
    }


def instances(schema: dict[str, Any], schemas: dict[str, Any], depth: int = 0) -> st.SearchStrategy[Any]:
    """JSON values that satisfy `schema` (the subset `documents` draws)."""
    if "$ref" in schema:
        return instances(schemas[schema["$ref"].rsplit("/", 1)[1]], schemas, depth)
    kind = schema.get("type")
    if isinstance(kind, list):
        return st.one_of(st.none(), instances({**schema, "type": kind[0]}, schemas, depth))
    if "enum" in schema:
        return st.sampled_from(schema["enum"])
    if kind == "string":
        return st.text(max_size=8)
    if kind == "integer":
        return st.integers(-(2**53), 2**53)
    if kind == "number":
        return st.floats(allow_nan=False, allow_infinity=False)
    if kind == "boolean":
        return st.booleans()
    if kind == "array":
        return st.lists(instances(schema["items"], schemas, depth + 1), max_size=0 if depth > 3 else 2)
    if "properties" not in schema:
        values = instances(schema["additionalProperties"], schemas, depth + 1)
        return st.dictionaries(st.text(max_size=5), values, max_size=0 if depth > 3 else 2)
    return _object_instance(schema, schemas, depth)


@st.composite
def _object_instance(draw: st.DrawFn, schema: dict[str, Any], schemas: dict[str, Any], depth: int) -> dict[str, Any]:
    value: dict[str, Any] = {}
    for name, sub in schema["properties"].items():
        if name in schema.get("required", []) or (depth < 3 and draw(st.booleans())):
            value[name] = draw(instances(sub, schemas, depth + 1))
    if schema.get("additionalProperties", True) is not False and draw(st.booleans()):
        extra = draw(st.text(min_size=1, max_size=5))
        if extra not in schema["properties"]:
            value[extra] = draw(st.one_of(st.text(max_size=5), st.integers(), st.none()))
    return value


_counter = iter(range(10**9))


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    # Shrinking a failure can take minutes; CI reports the example as found (FUZZ_SHRINK=1 shrinks).
    phases=[Phase.explicit, Phase.reuse, Phase.generate] + ([Phase.shrink] if os.environ.get("FUZZ_SHRINK") else []),
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)
@given(document=documents(), data=st.data())
def test_random_valid_documents_generate_import_and_round_trip(
    tmp_path: Path, document: dict[str, Any], data: st.DataObject
) -> None:
    package = f"fuzz_api_{next(_counter)}"
    folder = tmp_path / package
    spec = folder / "spec.json"
    folder.mkdir()
    spec.write_text(json.dumps(document), encoding="utf-8")

    result = generate_files(spec, package)

    for path, text in result.files.items():
        if path.endswith(".py"):  # the templates' own layout, with black only where lines ran long
            assert black.format_str(text, mode=black_mode()) == text, path
        (folder / package / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / package / path).write_text(text, encoding="utf-8")
    sys.path.insert(0, str(folder))
    try:
        client = importlib.import_module(package)
        models = importlib.import_module(f"{package}.models")
        for module in [m for m in result.files if m.endswith(".py")]:
            importlib.import_module(f"{package}." + module[:-3].replace("/", ".").removesuffix(".__init__"))
        assert client.Client is not None
        schemas = document["components"]["schemas"]
        for key, model in _component_classes(result, models, schemas):
            for _ in range(3):
                value = data.draw(instances(schemas[key], schemas), label=key)
                assert model.from_dict(value).to_dict() == value
    finally:
        sys.path.remove(str(folder))
        for name in [m for m in sys.modules if m == package or m.startswith(package + ".")]:
            del sys.modules[name]


def _component_classes(result: Any, models: Any, schemas: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(component key, generated class) for each component schema that became a class (one with
    no properties at all is an alias of `dict[str, Any]`)."""
    for key in sorted({model.name for module in result.api.modules for model in module.models}):
        generated = getattr(models, key, None)
        if key in schemas and hasattr(generated, "from_dict"):
            yield key, generated


# --------------------------------------------------------------------------------------------
# Mutations of real documents

SPECS = ROOT.parent / "shared" / "specs"


def _seed_documents() -> list[Path]:
    found = [SPEC, ROOT / "tests" / "hostile" / "attack.yaml", *sorted((ROOT / "tests" / "cases").glob("*/spec.yaml"))]
    if SPECS.is_dir():
        found += sorted(p for p in SPECS.iterdir() if p.suffix in (".yaml", ".json") and p.stat().st_size < 300_000)
    return found


def _paths(node: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(node, dict):
        for key, value in node.items():
            yield from _paths(value, (*path, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _paths(value, (*path, index))


def _get(node: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        node = node[part]
    return node


REPLACEMENTS: list[Any] = [
    None, "", 0, -1, 1.5, True, [], {}, "\x00", "x" * 10_000, {"$ref": "#/nope"}, {"$ref": "#"},
    {"$ref": "/etc/passwd"}, {"$ref": "http://127.0.0.1:9/x"}, {"$ref": "#/components"}, {"type": "strin"},
    {"type": ["string", "null", "array"]}, {"allOf": [{"$ref": "#"}]}, {"oneOf": []}, {"enum": []},
    {"a": {"b": {"c": {"d": {}}}}}, '"""; import os #', "{id}", [[[[[]]]]], 10**30, float("1e308"),
]  # fmt: skip


def _mutate_data(data: Any, rng: random.Random) -> tuple[Any, str]:
    data = copy.deepcopy(data)
    paths = [p for p in _paths(data) if p]
    if not paths:
        return data, "nothing to mutate"
    path = rng.choice(paths)
    parent, key = _get(data, path[:-1]), path[-1]
    action = rng.choice(["delete", "replace", "replace", "rename", "copy", "type"])
    if action == "delete":
        del parent[key]
    elif action == "replace":
        parent[key] = copy.deepcopy(rng.choice(REPLACEMENTS))
    elif action == "rename" and isinstance(parent, dict):
        parent[rng.choice(["", "$ref", "default", "__init__", "x" * 300, "a/b", "~1", str(key) + "'\""])] = parent.pop(
            key
        )
    elif action == "copy":
        parent[key] = copy.deepcopy(_get(data, rng.choice(paths)))
    else:
        parent[key] = str(parent[key]) if not isinstance(parent[key], str) else [parent[key]]
    return data, f"{action} at {'/'.join(map(str, path))}"


def _mutate_text(text: bytes, rng: random.Random) -> tuple[bytes, str]:
    position = rng.randrange(len(text) + 1)
    action = rng.choice(["truncate", "flip", "insert", "anchor"])
    if action == "truncate":
        return text[:position], f"truncate at byte {position}"
    if action == "flip" and text:
        position = min(position, len(text) - 1)
        return (
            text[:position] + bytes([text[position] ^ rng.randrange(1, 256)]) + text[position + 1 :],
            f"flip byte {position}",
        )
    if action == "insert":
        junk = rng.choice([b"\xff\xfe", b"\x00", b"\n  - ", b": : :", b"{", b"&a [*a]", b"'", b"\t", b"\r\n"])
        return text[:position] + junk + text[position:], f"insert {junk!r} at byte {position}"
    return text[:position] + b"&x " + text[position:], f"anchor at byte {position}"


class _Timeout(Exception):
    pass


def _on_alarm(signum: int, frame: Any) -> None:
    raise _Timeout


def _run_case(path: Path) -> str | None:
    """None if the outcome is allowed, else what went wrong."""
    signal.signal(signal.SIGALRM, _on_alarm)
    signal.alarm(SECONDS_PER_CASE)
    try:
        for lenient in (False, True):
            try:
                api, warnings = load_and_build(path, lenient=lenient)
                files = render_files(api, warnings)
            except DiagnosticError as exc:
                if not exc.diagnostics or not all(d.message for d in exc.diagnostics):
                    return "DiagnosticError without a message"
                continue
            for name, text in files.items():
                if name.endswith(".py"):
                    compile(text, name, "exec")
        return None
    except _Timeout:
        return f"still running after {SECONDS_PER_CASE} s"
    except RecursionError:
        return None  # the command line runs on a deep stack and reports it as exit 2
    except Exception:  # noqa: BLE001 - every other exception is a finding
        return traceback.format_exc(limit=-6)
    finally:
        signal.alarm(0)


@pytest.mark.skipif(sys.platform == "win32", reason="uses SIGALRM")
def test_mutated_documents_generate_or_exit_2(tmp_path: Path) -> None:
    seeds = _seed_documents()
    parsed = {p: yaml.load(p.read_bytes(), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) for p in seeds}
    findings: list[str] = []
    started = time.perf_counter()
    for case in range(MUTATIONS):
        rng = random.Random(case)
        seed = seeds[case % len(seeds)]
        target = tmp_path / f"case{case}{seed.suffix}"
        if rng.random() < 0.7:
            data, what = _mutate_data(parsed[seed], rng)
            target = target.with_suffix(".json")
            target.write_text(json.dumps(data, default=str), encoding="utf-8")
        else:
            raw, what = _mutate_text(seed.read_bytes(), rng)
            target.write_bytes(raw)
        problem = _run_case(target)
        if problem is not None:
            findings.append(f"case {case} ({seed.name}: {what}): {problem}")
        target.unlink()
    elapsed = time.perf_counter() - started
    print(f"{MUTATIONS} mutation cases over {len(seeds)} documents in {elapsed:.0f} s; {len(findings)} findings")
    assert not findings, "\n\n".join(findings[:10])
