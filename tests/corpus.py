"""The real-world corpus (../shared/specs): generate each document, and measure what came out.

Used by tests/test_corpus.py, and runnable as a script that prints the per-document table:

    python -m tests.corpus [NAME ...]

Columns: operations in the document, operations generated, warnings that skip or degrade
something (with reasons, below the table), example payloads and how many round-trip, mypy
errors, and seconds to generate.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from generator import ir
from generator.diagnostics import Level
from generator.load import load
from generator.pipeline import generate_files
from generator.imports import Imports
from generator.filters import decode, encode
from generator.resolve import Resolver
from generator.write import write_tree

from .examples import Example, harvest

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT.parent / "shared" / "specs"
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


def documents() -> list[Path]:
    if not SPECS.is_dir():
        return []
    return sorted(p for p in SPECS.iterdir() if p.suffix in (".yaml", ".yml", ".json"))


def invalid_documents() -> set[str]:
    """The documents INDEX.tsv records as failing strict validation: generated with --lenient."""
    index = SPECS / "INDEX.tsv"
    if not index.is_file():
        return set()
    with index.open(encoding="utf-8") as rows:
        return {
            row["file"]
            for row in csv.DictReader(rows, delimiter="\t")
            if row.get("validation(openapi-spec-validator 0.9.0)", "").startswith("INVALID")
        }


def count_operations(data: dict[str, object]) -> int:
    paths = data.get("paths") or {}
    assert isinstance(paths, dict)
    return sum(
        1 for item in paths.values() if isinstance(item, dict) for m in HTTP_METHODS if isinstance(item.get(m), dict)
    )


@dataclass
class Outcome:
    name: str
    lenient: bool
    operations: int = 0
    generated: int = 0
    degraded: list[str] = field(default_factory=list)  # builder warnings: what was skipped or typed as Any
    examples: int = 0
    failed_examples: list[str] = field(default_factory=list)
    invalid_examples: list[str] = field(default_factory=list)  # examples that break their schema
    mypy_errors: int = 0
    mypy_output: str = ""
    seconds: float = 0.0


def run(document: Path, workdir: Path, *, mypy: bool = True) -> Outcome:
    """Generate `document` into `workdir`, import it, round-trip its examples, type-check it."""
    lenient = document.name in invalid_documents()
    outcome = Outcome(document.name, lenient)
    started = time.perf_counter()
    result = generate_files(document, lenient=lenient)
    outcome.seconds = time.perf_counter() - started
    api = result.api
    write_tree(result.files, workdir / api.package)
    loaded = load(document)
    data = loaded.data
    outcome.operations = count_operations(data)
    outcome.generated = sum(len(group.operations) for group in api.groups)
    warned = [w for w in result.warnings if w.level is Level.WARNING]
    # What the builder reports of a place validation found wrong is how it read the document's
    # error (`required: optional` read as false), not something the generator cannot do.
    wrong = [w.pointer for w in warned if w.invalid and w.pointer]
    outcome.degraded = [
        f"{w.pointer}: {w.message}"
        for w in warned
        if not w.invalid and not any(w.pointer.startswith(p + "/") for p in wrong)
    ]
    examples = harvest(loaded, Resolver(loaded))
    outcome.examples = len(examples)
    failed = _round_trip(api, examples, workdir)
    # An example that breaks its own schema is the document's error, not the client's.
    invalid = _invalid_examples(document, data, [f.split(": ", 1)[0] for f in failed])
    outcome.failed_examples = [f for f in failed if f.split(": ", 1)[0] not in invalid]
    outcome.invalid_examples = sorted(invalid)
    if mypy:
        check = subprocess.run(
            [
                sys.executable,
                "-m",
                "mypy",
                "--strict",
                "--no-error-summary",
                "--cache-dir",
                str(ROOT / ".mypy_cache" / "corpus"),
                api.package,
            ],
            cwd=workdir,
            capture_output=True,
            text=True,
        )
        outcome.mypy_output = check.stdout + check.stderr
        outcome.mypy_errors = sum(": error:" in line for line in outcome.mypy_output.splitlines())
        if check.returncode != 0 and not outcome.mypy_errors:
            outcome.mypy_errors = 1
    return outcome


def _invalid_examples(document: Path, data: dict[str, object], pointers: list[str]) -> set[str]:
    """Which of these example payloads break the schema they illustrate (JSON Schema 2020-12,
    the dialect of OpenAPI 3.1; for 3.0 documents an approximation)."""
    if not pointers:
        return set()
    from jsonschema import Draft202012Validator
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    from generator.diagnostics import pointer_parts

    uri = document.resolve().as_uri()
    registry = Registry().with_resource(uri, DRAFT202012.create_resource(data))
    invalid = set()
    for ptr in pointers:
        parts = pointer_parts(ptr)
        example: object = data
        for part in parts:
            example = example[int(part)] if isinstance(example, list) else example[part]  # type: ignore[index]
        cut = parts.index("examples") if "examples" in parts else parts.index("example")
        owner = parts[:cut]
        schema_parts = owner if owner[:2] == ["components", "schemas"] else [*owner, "schema"]
        schema = {"$ref": uri + "#" + "".join("/" + p.replace("~", "~0").replace("/", "~1") for p in schema_parts)}
        if any(True for _ in Draft202012Validator(schema, registry=registry).iter_errors(example)):
            invalid.add(ptr)
    return invalid


_PROBE = """\
import json, sys
import {package}
{imports}

def keys_kept(original, encoded, where):
    if isinstance(original, dict) and isinstance(encoded, dict):
        for key, value in original.items():
            if key not in encoded:
                raise AssertionError(f"{{where}}: {{key!r}} was dropped")
            keys_kept(value, encoded[key], f"{{where}}/{{key}}")
    elif isinstance(original, list) and isinstance(encoded, list) and len(original) == len(encoded):
        for index, (a, b) in enumerate(zip(original, encoded)):
            keys_kept(a, b, f"{{where}}/{{index}}")

failures = []
{cases}
print(json.dumps(failures))
"""

_CASE = """\
try:
    v = json.loads({payload!r})
    x = {decode}
    d = {encode}
    keys_kept(v, json.loads(json.dumps(d, default=str)), "")
    v2 = json.loads(json.dumps(d, default=str))
    x2 = {decode2}
    assert x == x2, f"{{x!r}} != {{x2!r}}"
except Exception as exc:
    failures.append({pointer!r} + ": " + type(exc).__name__ + ": " + str(exc)[:200])
"""


def _round_trip(api: ir.Api, examples: list[Example], workdir: Path) -> list[str]:
    """Import the package, then decode each example with the generated models, encode it again,
    decode that: nothing may be dropped or changed. Runs in a fresh interpreter, so packages with
    one name do not meet."""
    names = Imports({m.name: module.name for module in api.modules for m in module.models})
    cases = []
    for example in examples:
        cases.append(
            _CASE.format(
                payload=example.json,
                decode=decode(example.type, "v", names),
                encode=encode(example.type, "x", names),
                decode2=decode(example.type, "v2", names),
                pointer=example.pointer,
            )
        )
    lines = names.lines("probe")
    imports = "\n".join(line.replace("from .", f"from {api.package}.") for line in lines)
    probe = workdir / f"_probe_{api.package}.py"
    probe.write_text(_PROBE.format(package=api.package, imports=imports, cases="".join(cases)), encoding="utf-8")
    run = subprocess.run([sys.executable, str(probe)], cwd=workdir, capture_output=True, text=True)
    if run.returncode != 0:
        return [f"the probe failed: {run.stderr.strip()[-500:]}"]
    failures: list[str] = json.loads(run.stdout)
    return failures


def main(argv: list[str]) -> int:
    import tempfile

    chosen = [p for p in documents() if not argv or p.name in argv or p.stem in argv]
    if not chosen:
        print(f"no documents (looked in {SPECS})")
        return 1
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for document in chosen:
            outcome = run(document, Path(tmp) / document.stem)
            rows.append(outcome)
            print(
                f"{outcome.name:36} {'lenient' if outcome.lenient else 'strict ':8} ops {outcome.generated:4}/{outcome.operations:<4}"
                f" degraded {len(outcome.degraded):3}  examples {outcome.examples - len(outcome.failed_examples) - len(outcome.invalid_examples):4}/{outcome.examples:<4}"
                f" (+{len(outcome.invalid_examples)} invalid)"
                f" mypy errors {outcome.mypy_errors:4}  {outcome.seconds:6.1f}s",
                flush=True,
            )
    for outcome in rows:
        for line in outcome.degraded + outcome.failed_examples:
            print(f"  {outcome.name}: {line}")
        for line in outcome.invalid_examples:
            print(f"  {outcome.name}: {line}: the example breaks its own schema")
        if outcome.mypy_errors:
            print(f"  {outcome.name}: mypy:\n" + "\n".join("    " + l for l in outcome.mypy_output.splitlines()[:10]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
