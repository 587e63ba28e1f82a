"""Benchmark: this generator beside its peers, on the same documents, on this machine.

    python bench/run.py                       # everything (several minutes)
    python bench/run.py --sizes 10 100 --repeat 3 --skip-stripe
    python bench/run.py --opc /path/to/openapi-python-client --openapi-generator /path/to/openapi-generator-cli
    python bench/run.py --only twilio_api_v2010 long-names-1200 --first-only
    python bench/run.py --imports only        # only what importing each generated client costs

For each document (synthetic ones of N operations, one of 1,200 operations whose schema and
property names are 40 to 80 characters long, one of untagged operations whose inline objects nest
ten levels deep, one of thousands of small models and few operations, Stripe's, OpenAI's and two
of Twilio's from ../shared/specs, the Comms document) and each tool it measures, alternating tools run by run: a first generation into an
empty folder; a regeneration of the unchanged document; a regeneration after one operation's
summary changed; and, for this generator, `generate --check`. Each figure is the median wall time
of `--repeat` runs and the largest peak resident memory of the child process (from `wait4`);
this generator's first generation is also shown stage by stage, from its `--verbose` times.
Then two micro-benchmarks of the generated client: the cost of one call over
`httpx.MockTransport` against a bare `httpx.Client` call, and decoding a response model. Last, what
importing each generated client costs beside httpx and the vendors' SDKs (`bench/imports.py`).

Peers are found on PATH (`openapi-python-client`, `openapi-generator-cli`) or given as flags;
a missing one is reported and skipped. An openapi-python-client installed with `pip install
--target DIR` (its script in DIR/bin, its packages in DIR) is run with DIR on its PYTHONPATH and
DIR/bin, where its `ruff` is, on its PATH. `--only` benchmarks the named documents alone, and
`--first-only` measures first generations only. Results go to stdout as a table and, with matplotlib
installed, to `bench/time-vs-operations.png`.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT.parent / "shared" / "specs"
sys.path.insert(0, str(ROOT))

# -- synthetic documents ---------------------------------------------------------------------------


def synthetic(operations: int) -> dict[str, Any]:
    """A document of `operations` operations: resources of four operations each (list, create,
    get, update), each with its model, an enum and a nested object, as real APIs have."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    for r in range((operations + 3) // 4):
        name = f"Resource{r}"
        schemas[name] = {
            "type": "object",
            "description": f"A resource of kind {r}.",
            "required": ["id", "name", "status"],
            "properties": {
                "id": {"type": "string", "description": "The ID."},
                "name": {"type": "string", "maxLength": 64},
                "status": {"type": "string", "enum": ["active", "paused", "deleted"]},
                "count": {"type": "integer", "minimum": 0},
                "ratio": {"type": "number"},
                "enabled": {"type": "boolean"},
                "created_at": {"type": "string", "format": "date-time"},
                "tags": {"type": "object", "additionalProperties": {"type": "string"}},
                "owner": {
                    "type": "object",
                    "properties": {"id": {"type": "string"}, "email": {"type": "string", "format": "email"}},
                },
                "items": {"type": "array", "items": {"type": "string"}},
            },
        }
        schemas[f"{name}List"] = {
            "type": "object",
            "properties": {
                "data": {"type": "array", "items": {"$ref": f"#/components/schemas/{name}"}},
                "next": {"type": "string", "nullable": True},
            },
        }
        ref = {"$ref": f"#/components/schemas/{name}"}
        ok = {"description": "OK", "content": {"application/json": {"schema": ref}}}
        body = {"required": True, "content": {"application/json": {"schema": ref}}}
        collection = f"/v1/resource{r}s"
        item = f"{collection}/{{id}}"
        ops: list[tuple[str, str, dict[str, Any]]] = [
            (collection, "get", {"parameters": [{"name": "limit", "in": "query", "schema": {"type": "integer"}}],
                                 "responses": {"200": {"description": "OK", "content": {"application/json": {
                                     "schema": {"$ref": f"#/components/schemas/{name}List"}}}}}}),
            (collection, "post", {"requestBody": body, "responses": {"201": ok}}),
            (item, "get", {"responses": {"200": ok, "404": {"description": "Not found"}}}),
            (item, "patch", {"requestBody": body, "responses": {"200": ok}}),
        ]  # fmt: skip
        for index, (path, method, operation) in enumerate(ops):
            if len([1 for p in paths.values() for _ in p]) >= operations:
                break
            operation = {"operationId": f"{method}{name}{index}", "summary": f"{method} {name}", **operation}  # noqa
            if path == item:
                operation["parameters"] = [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}]
            paths.setdefault(path, {})[method] = operation
    return {
        "openapi": "3.0.3",
        "info": {"title": f"Synthetic {operations}", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


# Words that long names of real APIs are made of (device management, identity governance, ...).
_WORDS = (
    "device management configuration policy assignment filter identity governance access package "
    "catalog resource request approval stage escalation notification recipient subscription "
    "entitlement workflow compliance evaluation schedule instance settings template definition "
    "threat intelligence indicator detection remediation mailbox delegation permission grant "
    "conditional authentication strength method registration activity report summary statistics"
).split()


def _long_name(seed: int, low: int, high: int) -> str:
    """A CamelCase name of `low` to `high` characters, the same for the same seed."""
    words: list[str] = []
    step = 7 + seed % 11
    i = seed * 13
    target = low + (seed * 29 + 11) % (high - low + 1)
    while sum(map(len, words)) < target:
        words.append(_WORDS[i % len(_WORDS)].capitalize())
        i += step
    name = "".join(words)[:high]
    return name if len(name) >= low else name + "X" * (low - len(name))


def long_names(operations: int) -> dict[str, Any]:
    """A document of `operations` operations whose schema and property names are 40 to 80
    characters long, none tagged (so all operations share one module), as some large public
    documents are: lines that are too long only because of a name, which nothing can shorten."""
    paths: dict[str, Any] = {}
    schemas: dict[str, Any] = {}
    count = 0
    r = 0
    while count < operations:
        name = f"{_long_name(r, 40, 76)}{r}"
        other = f"{_long_name(r + 1, 40, 76)}{r + 1}"
        props = [_long_name(1000 + r * 8 + k, 40, 80) for k in range(8)]
        props = [p[0].lower() + p[1:] for p in props]
        schemas[name] = {
            "type": "object",
            "description": f"A resource with long names, number {r}.",
            "required": props[:2],
            "properties": {
                props[0]: {"type": "string", "description": "Its identifier."},
                props[1]: {"type": "string", "enum": ["enabledForAllUsersInTheTenant", "disabledEverywhere"]},
                props[2]: {"type": "integer", "minimum": 0, "nullable": True},
                props[3]: {"type": "string", "format": "date-time"},
                props[4]: {"type": "array", "items": {"$ref": f"#/components/schemas/{other}"}},
                props[5]: {"$ref": f"#/components/schemas/{other}"},
                props[6]: {"type": "object", "additionalProperties": {"type": "string"}},
                props[7]: {"type": "object", "properties": {props[0]: {"type": "boolean"}}},
            },
        }
        schemas[other] = {
            "type": "object",
            "properties": {props[0]: {"type": "string"}, props[3]: {"type": "number", "nullable": True}},
        }
        ref = {"$ref": f"#/components/schemas/{name}"}
        ok = {"description": "OK", "content": {"application/json": {"schema": ref}}}
        listing = {"type": "array", "items": ref}
        body = {"required": True, "content": {"application/json": {"schema": ref}}}
        key = props[0]
        collection = f"/v1.0/{name[0].lower() + name[1:]}"
        item = f"{collection}/{{{key}}}"
        path_parameter = {"name": key, "in": "path", "required": True, "schema": {"type": "string"}}
        query = [
            {"name": props[1], "in": "query", "schema": {"type": "string"}},
            {"name": props[2], "in": "query", "schema": {"type": "integer"}},
        ]
        ops: list[tuple[str, str, dict[str, Any]]] = [
            (collection, "get", {"parameters": query, "responses": {"200": {"description": "OK", "content": {
                "application/json": {"schema": listing}}}}}),
            (collection, "post", {"requestBody": body, "responses": {"201": ok}}),
            (item, "get", {"parameters": [path_parameter], "responses": {"200": ok, "404": {"description": "No"}}}),
            (item, "patch", {"parameters": [path_parameter], "requestBody": body, "responses": {"200": ok}}),
            (item, "delete", {"parameters": [path_parameter], "responses": {"204": {"description": "Deleted"}}}),
        ]  # fmt: skip
        for method_path, method, operation in ops:
            if count >= operations:
                break
            verb = {"get": "Get" if method_path == item else "List"}.get(method, method.capitalize())
            operation = {"operationId": f"{verb}{name}", "summary": f"{verb} one {name}", **operation}
            paths.setdefault(method_path, {})[method] = operation
            count += 1
        r += 2
    return {
        "openapi": "3.0.3",
        "info": {"title": f"Long names {operations}", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


_LEVELS = ("configuration", "settings", "details", "delivery", "routing", "options", "limits", "window",
           "schedule", "rule", "condition", "target")  # fmt: skip


def _nested_object(level: int, depth: int, seed: int) -> dict[str, Any]:
    """An inline object `depth - level` levels deep: at each level a few scalars, an inline enum, a
    list of inline objects every third level, and the next level's object."""
    properties: dict[str, Any] = {
        "id": {"type": "string"},
        f"{_LEVELS[level % len(_LEVELS)]}Count": {"type": "integer", "nullable": level % 2 == 0},
        "mode": {"type": "string", "enum": [f"mode{seed % 5}", "automatic", "manual"]},
    }
    if level + 1 < depth:
        child = _nested_object(level + 1, depth, seed)
        if level % 3 == 2:
            properties[f"{_LEVELS[(level + 1) % len(_LEVELS)]}Items"] = {"type": "array", "items": child}
        else:
            properties[_LEVELS[(level + 1) % len(_LEVELS)]] = child
    return {"type": "object", "required": ["id"], "properties": properties}


def nested(operations: int, depth: int = 10) -> dict[str, Any]:
    """A document of `operations` untagged operations whose request and response bodies are inline
    objects nested `depth` levels deep, and no components: every model is named after the path to
    it, and the names grow level by level."""
    paths: dict[str, Any] = {}
    for r in range((operations + 1) // 2):
        collection = f"/v2/accounts/{{accountSid}}/notificationChannels{r}"
        account = {"name": "accountSid", "in": "path", "required": True, "schema": {"type": "string"}}
        body = {"required": True, "content": {"application/json": {"schema": _nested_object(0, depth, r)}}}
        ok = {"description": "OK", "content": {"application/json": {"schema": _nested_object(0, depth, r + 1)}}}
        ops = {
            "post": {"operationId": f"createNotificationChannelConfiguration{r}", "parameters": [account],
                     "requestBody": body, "responses": {"201": ok}},
            "get": {"operationId": f"fetchNotificationChannelConfiguration{r}", "parameters": [account],
                    "responses": {"200": ok}},
        }  # fmt: skip
        for method, operation in ops.items():
            if sum(len(p) for p in paths.values()) < operations:
                paths.setdefault(collection, {})[method] = operation
    return {
        "openapi": "3.0.3",
        "info": {"title": f"Nested {operations}", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
    }


def many_models(models: int, operations: int = 20) -> dict[str, Any]:
    """A document of `models` small schemas (two to four properties, each but the first referring to
    the one at half its number) and a few untagged operations, each using one of them: most models
    are reached by no operation."""
    schemas: dict[str, Any] = {}
    for m in range(models):
        properties: dict[str, Any] = {"sid": {"type": "string"}, "value": {"type": "number"}}
        if m % 2:
            properties["state"] = {"type": "string", "enum": ["queued", "sent", "failed"]}
        if m:
            properties["parent"] = {"$ref": f"#/components/schemas/Item{m // 2}"}
        schemas[f"Item{m}"] = {"type": "object", "required": ["sid"], "properties": properties}
    paths: dict[str, Any] = {}
    for o in range(operations):
        ref = {"$ref": f"#/components/schemas/Item{o * models // operations}"}
        paths[f"/items{o}"] = {
            "get": {"operationId": f"getItems{o}", "responses": {"200": {"description": "OK", "content": {
                "application/json": {"schema": ref}}}}}  # fmt: skip
        }
    return {
        "openapi": "3.0.3",
        "info": {"title": f"Many models {models}", "version": "1.0.0"},
        "servers": [{"url": "https://api.example.com"}],
        "paths": paths,
        "components": {"schemas": schemas},
    }


def one_operation_changed(document: dict[str, Any]) -> dict[str, Any]:
    changed = copy.deepcopy(document)
    first = next(iter(changed["paths"].values()))
    operation = next(value for key, value in first.items() if key in ("get", "put", "post", "delete", "patch"))
    operation["summary"] = str(operation.get("summary", "")) + " (changed)"
    return changed


# -- running tools -----------------------------------------------------------------------------------


@dataclass
class Tool:
    name: str
    generate: Callable[[Path, Path], list[str]]  # (document, output folder) -> argv
    check: Callable[[Path, Path], list[str]] | None = None
    env: dict[str, str] = field(default_factory=dict)
    lenient: tuple[str, ...] = ()  # what it adds to read a document that is not quite valid


def ours() -> Tool:
    def command(doc: Path, out: Path, *extra: str) -> list[str]:
        generate = [sys.executable, "-m", "generator", "generate", str(doc), "--output", str(out)]
        return [*generate, "--verbose", "--package", "bench_client", *extra]

    return Tool("clientgen", command, lambda doc, out: command(doc, out, "--check"), lenient=("--lenient",))


def opc(executable: str) -> Tool:
    # Installed with `pip install --target DIR`: the script in DIR/bin finds its packages, and the
    # hooks it runs after generating find `ruff`, only with DIR on PYTHONPATH and DIR/bin on PATH.
    folder = Path(executable).resolve().parent.parent
    env: dict[str, str] = {}
    if (folder / "openapi_python_client").is_dir():
        env["PYTHONPATH"] = os.pathsep.join([str(folder), *filter(None, [os.environ.get("PYTHONPATH")])])
        env["PATH"] = os.pathsep.join([str(folder / "bin"), os.environ.get("PATH", os.defpath)])
    return Tool(
        "openapi-python-client",
        lambda doc, out: [
            executable,
            "generate",
            "--path",
            str(doc),
            "--output-path",
            str(out / "client"),
            "--overwrite",
        ],
        env=env,
    )


def openapi_generator(executable: str) -> Tool:
    return Tool(
        "openapi-generator",
        lambda doc, out: [executable, "generate", "-g", "python", "-i", str(doc), "-o", str(out / "client"),
                          "--skip-validate-spec"],
    )  # fmt: skip


@dataclass
class Sample:
    seconds: float
    peak_mib: float
    ok: bool
    stages: dict[str, float] = field(default_factory=dict)  # this generator's `--verbose` times


STAGES = ("load", "validate", "build", "render", "format", "verdict", "write")
_STAGE_LINE = re.compile(r"clientgen: (\w+) (\d+\.\d+)s")


TIME = shutil.which("time") or "/usr/bin/time"


def measure(argv: list[str], cwd: Path, env: dict[str, str] | None = None) -> Sample:
    """Wall time, and the peak resident memory of the tool's process. Linux keeps a process's
    high-water mark across `exec`, so a child forked from this (large) process would report at
    least this process's size: the tool runs under `time -f %M`, a small process, instead."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        wrapped = [TIME, "-f", "%M", "-o", rss.name, *argv] if os.path.exists(TIME) else argv
        started = time.perf_counter()
        environment = {**os.environ, **env} if env else None
        result = subprocess.run(wrapped, cwd=cwd, env=environment, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seconds = time.perf_counter() - started
        text = rss.read().strip().splitlines()
    kib = float(text[-1]) if text and text[-1].isdigit() else float("nan")
    stderr = result.stderr.decode(errors="replace")
    if result.returncode not in (0, 1):
        print(f"    ! {Path(argv[0]).name} exited {result.returncode}: {stderr.strip()[-300:]}", file=sys.stderr)
    stages = {m[1]: float(m[2]) for m in _STAGE_LINE.finditer(stderr) if m[1] in STAGES}
    return Sample(seconds, kib / 1024, result.returncode in (0, 1), stages)


@dataclass
class Row:
    document: str
    operations: int
    tool: str
    first: list[Sample] = field(default_factory=list)
    unchanged: list[Sample] = field(default_factory=list)
    one_changed: list[Sample] = field(default_factory=list)
    check: list[Sample] = field(default_factory=list)


def median(samples: list[Sample]) -> float | None:
    good = [s.seconds for s in samples if s.ok]
    return statistics.median(good) if good and len(good) == len(samples) else None


def stage_median(samples: list[Sample], stage: str) -> float | None:
    times = [s.stages[stage] for s in samples if s.ok and stage in s.stages]
    return statistics.median(times) if times else None


def peak(samples: list[Sample]) -> float | None:
    return max((s.peak_mib for s in samples), default=None) if samples else None


def bench_document(
    name: str,
    document: Path,
    changed: Path,
    operations: int,
    tools: list[Tool],
    repeat: int,
    lenient: bool = False,
    first_only: bool = False,
    *,
    scratch: Path,
) -> list[Row]:
    rows = {tool.name: Row(name, operations, tool.name) for tool in tools}
    for run in range(repeat):
        order = tools if run % 2 == 0 else list(reversed(tools))  # alternate, so drift is shared
        for tool in order:
            row = rows[tool.name]
            # Each run's folder is removed with the whole scratch folder, after the benchmark: on
            # ext4, files created in the half minute after thousands were deleted take several
            # times longer to create (the allocator steps over recently freed inodes), and the
            # tool measured next would pay for the last one's clean-up.
            out = Path(tempfile.mkdtemp(dir=scratch)) / "out"
            out.mkdir()
            flags = list(tool.lenient) if lenient else []
            row.first.append(measure(tool.generate(document, out) + flags, ROOT, tool.env))
            if row.first[-1].ok and not first_only:
                row.unchanged.append(measure(tool.generate(document, out) + flags, ROOT, tool.env))
                if tool.check is not None:
                    row.check.append(measure(tool.check(document, out) + flags, ROOT, tool.env))
                row.one_changed.append(measure(tool.generate(changed, out) + flags, ROOT, tool.env))
            print(f"  {name:>18} {tool.name:>22} run {run + 1}: first {row.first[-1].seconds:6.2f} s", file=sys.stderr)
    return list(rows.values())


# -- micro-benchmarks --------------------------------------------------------------------------------

SENDER_POOL = {
    "id": "comms_senderpool_01h9krwprkeee8fzqspvwy6nq8",
    "name": "Customer Support Senders - Tier 1",
    "tags": {"tier": "1", "region": "eu"},
    "createdAt": "2024-01-02T03:04:05Z",
    "updatedAt": "2024-01-03T00:00:00Z",
}


def client_overhead(calls: int = 3000) -> tuple[float, float]:
    """Microseconds per call: a bare `httpx.Client.get`, and the generated client's `get`."""
    import httpx

    sys.path.insert(0, str(ROOT / "generated"))
    from comms_api import Client  # type: ignore[import-not-found]

    body = json.dumps(SENDER_POOL).encode()

    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    bare = httpx.Client(transport=httpx.MockTransport(answer), base_url="https://comms.example")
    client = Client(account_id="AC1", auth_token="t", http_client=httpx.Client(transport=httpx.MockTransport(answer)),
                    base_url="https://comms.example")  # fmt: skip
    pool = SENDER_POOL["id"]

    def bare_call() -> None:
        bare.get(f"/v1/SenderPools/{pool}").json()

    def client_call() -> None:
        client.sender_pools.get(pool)

    return _per_call(bare_call, calls), _per_call(client_call, calls)


def _per_call(call: Callable[[], object], calls: int) -> float:
    for _ in range(200):
        call()
    best = float("inf")
    for _ in range(5):  # best of five batches: the machine's noise only ever adds time
        started = time.perf_counter()
        for _ in range(calls):
            call()
        best = min(best, (time.perf_counter() - started) / calls * 1e6)
    return best


def decoding(opc_client: Path | None, decodes: int = 20000) -> tuple[float, float | None]:
    """Microseconds per `SenderPool.from_dict`: ours, and openapi-python-client's (if generated)."""
    sys.path.insert(0, str(ROOT / "generated"))
    from comms_api.models import SenderPool  # type: ignore[import-not-found]

    ours_us = _per_call(lambda: SenderPool.from_dict(SENDER_POOL), decodes)
    theirs_us = None
    if opc_client is not None:
        sys.path.insert(0, str(opc_client))
        module = __import__("comms_api_client.models.sender_pool", fromlist=["SenderPool"])
        theirs_us = _per_call(lambda: module.SenderPool.from_dict(SENDER_POOL), decodes)
    return ours_us, theirs_us


# -- report --------------------------------------------------------------------------------------------


def fmt(value: float | None, unit: str = "s") -> str:
    return "—" if value is None else f"{value:.2f} {unit}" if unit == "s" else f"{value:.0f} {unit}"


def ratio(ours_value: float | None, theirs: float | None) -> str:
    return "—" if ours_value is None or theirs is None else f"{ours_value / theirs:.2f}×"


def report(rows: list[Row]) -> str:
    lines = [
        "| document | ops | tool | first | unchanged | one op changed | --check | peak memory |",
        "|---|---:|---|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        lines.append(
            f"| {row.document} | {row.operations} | {row.tool} | {fmt(median(row.first))} | {fmt(median(row.unchanged))}"
            f" | {fmt(median(row.one_changed))} | {fmt(median(row.check))} | {fmt(peak(row.first), 'MiB')} |"
        )
    lines += [
        "",
        "| document | clientgen ÷ openapi-python-client: first | unchanged | one op changed | memory |",
        "|---|---:|---:|---:|---:|",
    ]
    by_doc: dict[str, dict[str, Row]] = {}
    for row in rows:
        by_doc.setdefault(row.document, {})[row.tool] = row
    for document, tools in by_doc.items():
        us, them = tools.get("clientgen"), tools.get("openapi-python-client")
        if us and them:
            lines.append(
                f"| {document} | {ratio(median(us.first), median(them.first))} | {ratio(median(us.unchanged), median(them.unchanged))}"
                f" | {ratio(median(us.one_changed), median(them.one_changed))} | {ratio(peak(us.first), peak(them.first))} |"
            )
    lines += [
        "",
        "clientgen's first generation, stage by stage (`--verbose`; verdict is the wait for the strict"
        " validation that runs beside build, render and format):",
        "",
        "| document | first | " + " | ".join(STAGES) + " | format ÷ first |",
        "|---|" + "---:|" * (len(STAGES) + 2),
    ]
    for row in rows:
        total = median(row.first)
        if row.tool != "clientgen" or total is None:
            continue
        stages = [stage_median(row.first, stage) for stage in STAGES]
        share = stages[STAGES.index("format")]
        lines.append(
            f"| {row.document} | {fmt(total)} | " + " | ".join(fmt(t) for t in stages)
            + f" | {'—' if share is None else f'{share / total:.0%}'} |"
        )  # fmt: skip
    synthetic_rows = [
        r for r in rows if r.tool == "clientgen" and r.document.startswith("synthetic") and median(r.first)
    ]
    if len(synthetic_rows) >= 2:
        small, large = synthetic_rows[-2], synthetic_rows[-1]
        per_small = median(small.first) / small.operations  # type: ignore[operator]
        per_large = median(large.first) / large.operations  # type: ignore[operator]
        lines += ["", f"Time per operation, first generation: {per_small * 1000:.1f} ms at {small.operations}, "
                      f"{per_large * 1000:.1f} ms at {large.operations} ({per_large / per_small:.2f}×)."]  # fmt: skip
    return "\n".join(lines)


def chart(rows: list[Row], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure, axes = plt.subplots(figsize=(7, 4.5))
    for tool in sorted({r.tool for r in rows}):
        firsts = [
            (r.operations, median(r.first)) for r in rows if r.tool == tool and r.document.startswith("synthetic")
        ]
        points = sorted((n, t) for n, t in firsts if t is not None)
        if points:
            axes.plot([n for n, _ in points], [t for _, t in points], marker="o", label=f"{tool} (first generation)")
    for tool in ("clientgen",):
        regenerations = [
            (r.operations, median(r.unchanged)) for r in rows if r.tool == tool and r.document.startswith("synthetic")
        ]
        points = sorted((n, t) for n, t in regenerations if t is not None)
        if points:
            axes.plot(
                [n for n, _ in points],
                [t for _, t in points],
                marker="s",
                linestyle="--",
                label=f"{tool} (regenerate, unchanged)",
            )
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("operations in the document")
    axes.set_ylabel("seconds (median, wall)")
    axes.set_title("Generation time vs document size")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend()
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10, 100, 1000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--skip-stripe", action="store_true")
    parser.add_argument("--skip-openai", action="store_true")
    parser.add_argument("--long-names", type=int, default=1200, help="operations of the long-names document (0: none)")
    parser.add_argument("--nested", type=int, default=200, help="operations of the nested document (0: none)")
    parser.add_argument("--many-models", type=int, default=3000, help="models of the many-models document (0: none)")
    parser.add_argument("--skip-twilio", action="store_true")
    parser.add_argument("--only", nargs="+", metavar="NAME", help="only these documents (names as in the table)")
    parser.add_argument("--first-only", action="store_true", help="first generations only (no regeneration)")
    parser.add_argument("--skip-micro", action="store_true", help="no micro-benchmarks of the generated client")
    parser.add_argument("--opc", default=shutil.which("openapi-python-client"))
    parser.add_argument("--openapi-generator", default=shutil.which("openapi-generator-cli"))
    parser.add_argument("--imports", choices=("with", "only", "skip"), default="with",
                        help="the import-time benchmark (bench/imports.py): run it too, only it, or not")  # fmt: skip
    args = parser.parse_args()
    if args.imports == "only":
        print(import_table(args))
        return

    tools = [ours()]
    if args.opc:
        tools.append(opc(args.opc))
    else:
        print("openapi-python-client not found: skipped (pip install openapi-python-client==0.29.1)", file=sys.stderr)
    if args.openapi_generator:
        tools.append(openapi_generator(args.openapi_generator))
    else:
        print("openapi-generator-cli not found: skipped", file=sys.stderr)

    rows: list[Row] = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        documents: list[tuple[str, Path, Path, int, bool]] = []
        comms = ROOT / "spec" / "comms.yaml"
        import yaml

        def wanted(name: str) -> bool:
            return args.only is None or name in args.only

        def pair(name: str, data: dict[str, Any], operations: int, lenient: bool = False) -> None:
            """The document and its one-operation edit, under the same file name (generated
            files name the document they come from)."""
            if not wanted(name):
                return
            for kind, content in (("same", data), ("changed", one_operation_changed(data))):
                (folder / kind).mkdir(exist_ok=True)
                text = json.dumps(content, default=str)  # YAML reads some examples as dates
                (folder / kind / f"{name}.json").write_text(text, encoding="utf-8")
            same, changed = folder / "same" / f"{name}.json", folder / "changed" / f"{name}.json"
            documents.append((name, same, changed, operations, lenient))

        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        methods = ("get", "put", "post", "delete", "patch", "options", "head", "trace")

        def operations_of(data: dict[str, Any]) -> int:
            return sum(1 for item in data["paths"].values() for key in item if key in methods)

        pair("comms", yaml.safe_load(comms.read_text(encoding="utf-8")), 10)
        for size in args.sizes:
            pair(f"synthetic-{size}", synthetic(size), size)
        stripe = SPECS / "stripe-spec3.yaml"
        if stripe.is_file() and not args.skip_stripe and wanted("stripe"):
            pair("stripe", yaml.load(stripe.read_text(encoding="utf-8"), Loader=loader), 468, lenient=True)
        if args.long_names and wanted(f"long-names-{args.long_names}"):
            pair(f"long-names-{args.long_names}", long_names(args.long_names), args.long_names)
        if args.nested and wanted(f"nested-{args.nested}"):
            pair(f"nested-{args.nested}", nested(args.nested), args.nested)
        if args.many_models and wanted(f"many-models-{args.many_models}"):
            pair(f"many-models-{args.many_models}", many_models(args.many_models), 20)
        openai = SPECS / "openai-openapi.yaml"
        if openai.is_file() and not args.skip_openai and wanted("openai"):
            data = yaml.load(openai.read_text(encoding="utf-8"), Loader=loader)
            pair("openai", data, operations_of(data), lenient=True)
        for twilio in ("twilio_api_v2010", "twilio_messaging_v1"):  # documents the generator was not tuned on
            path = SPECS / f"{twilio}.json"
            if path.is_file() and not args.skip_twilio and wanted(twilio):
                data = json.loads(path.read_text(encoding="utf-8"))
                pair(twilio, data, operations_of(data))
        if args.only and not documents:
            parser.error(f"--only: no such document: {' '.join(args.only)}")
        for name, document, changed, operations, lenient in documents:
            rows += bench_document(
                name, document, changed, operations, tools, args.repeat, lenient, args.first_only, scratch=folder
            )

        if args.skip_micro:
            print(report(rows))
            return
        opc_client = None
        if args.opc:
            target = folder / "opc-comms"
            subprocess.run(
                [args.opc, "generate", "--path", str(comms), "--output-path", str(target)],
                capture_output=True,
                env={**os.environ, **opc(args.opc).env},
            )
            opc_client = target if target.is_dir() else None

        bare_us, client_us = client_overhead()
        ours_us, theirs_us = decoding(opc_client)

    print(report(rows))
    print()
    print(f"Client overhead over httpx.MockTransport: bare httpx {bare_us:.1f} µs/call, generated client "
          f"{client_us:.1f} µs/call ({client_us / bare_us:.2f}×).")  # fmt: skip
    print(f"Decoding SenderPool.from_dict: clientgen {ours_us:.2f} µs" + (
        f", openapi-python-client {theirs_us:.2f} µs ({ours_us / theirs_us:.2f}×)." if theirs_us else "."))  # fmt: skip
    if chart(rows, ROOT / "bench" / "time-vs-operations.png"):
        print("Chart: bench/time-vs-operations.png")
    if args.imports == "with":
        print()
        print(import_table(args))


def import_table(args: argparse.Namespace) -> str:
    """What importing each generated client costs, beside httpx and the vendors' SDKs (see
    bench/imports.py, which also draws its chart)."""
    from imports import bench_imports  # bench/imports.py, beside this file

    skip = {name for name in ("stripe", "openai") if getattr(args, f"skip_{name}")}
    return bench_imports(args.repeat * 2 + 1, args.sizes, vendors=True, skip=skip)


if __name__ == "__main__":
    main()
