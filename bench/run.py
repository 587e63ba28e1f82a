"""Benchmark: this generator beside its peers, on the same documents, on this machine.

    python bench/run.py                       # everything (several minutes)
    python bench/run.py --sizes 10 100 --repeat 3 --skip-stripe
    python bench/run.py --opc /path/to/openapi-python-client --openapi-generator /path/to/openapi-generator-cli

For each document (synthetic ones of N operations, Stripe's from ../shared/specs, the Comms
document) and each tool it measures, alternating tools run by run: a first generation into an
empty folder; a regeneration of the unchanged document; a regeneration after one operation's
summary changed; and, for this generator, `generate --check`. Each figure is the median wall time
of `--repeat` runs and the largest peak resident memory of the child process (from `wait4`).
Then two micro-benchmarks of the generated client: the cost of one call over
`httpx.MockTransport` against a bare `httpx.Client` call, and decoding a response model.

Peers are found on PATH (`openapi-python-client`, `openapi-generator-cli`) or given as flags;
a missing one is reported and skipped. Results go to stdout as a table and, with matplotlib
installed, to `bench/time-vs-operations.png`.
"""

from __future__ import annotations

import argparse
import copy
import json
import os
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


def ours() -> Tool:
    def command(doc: Path, out: Path, *extra: str) -> list[str]:
        generate = [sys.executable, "-m", "generator", "generate", str(doc), "--output", str(out)]
        return [*generate, "--quiet", "--package", "bench_client", *extra]

    return Tool("clientgen", command, lambda doc, out: command(doc, out, "--check"))


def opc(executable: str) -> Tool:
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


TIME = shutil.which("time") or "/usr/bin/time"


def measure(argv: list[str], cwd: Path) -> Sample:
    """Wall time, and the peak resident memory of the tool's process. Linux keeps a process's
    high-water mark across `exec`, so a child forked from this (large) process would report at
    least this process's size: the tool runs under `time -f %M`, a small process, instead."""
    with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
        wrapped = [TIME, "-f", "%M", "-o", rss.name, *argv] if os.path.exists(TIME) else argv
        started = time.perf_counter()
        result = subprocess.run(wrapped, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        seconds = time.perf_counter() - started
        text = rss.read().strip().splitlines()
    kib = float(text[-1]) if text and text[-1].isdigit() else float("nan")
    if result.returncode not in (0, 1):
        stderr = result.stderr.decode(errors="replace").strip()[-300:]
        print(f"    ! {Path(argv[0]).name} exited {result.returncode}: {stderr}", file=sys.stderr)
    return Sample(seconds, kib / 1024, result.returncode in (0, 1))


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


def peak(samples: list[Sample]) -> float | None:
    return max((s.peak_mib for s in samples), default=None) if samples else None


def bench_document(
    name: str, document: Path, changed: Path, operations: int, tools: list[Tool], repeat: int
) -> list[Row]:
    rows = {tool.name: Row(name, operations, tool.name) for tool in tools}
    for run in range(repeat):
        order = tools if run % 2 == 0 else list(reversed(tools))  # alternate, so drift is shared
        for tool in order:
            row = rows[tool.name]
            with tempfile.TemporaryDirectory() as scratch:
                out = Path(scratch) / "out"
                out.mkdir()
                row.first.append(measure(tool.generate(document, out), ROOT))
                if not row.first[-1].ok:
                    continue
                row.unchanged.append(measure(tool.generate(document, out), ROOT))
                if tool.check is not None:
                    row.check.append(measure(tool.check(document, out), ROOT))
                row.one_changed.append(measure(tool.generate(changed, out), ROOT))
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
    parser.add_argument("--opc", default=shutil.which("openapi-python-client"))
    parser.add_argument("--openapi-generator", default=shutil.which("openapi-generator-cli"))
    args = parser.parse_args()

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
        documents: list[tuple[str, Path, Path, int]] = []
        comms = ROOT / "spec" / "comms.yaml"
        import yaml

        def pair(name: str, data: dict[str, Any], operations: int) -> None:
            """The document and its one-operation edit, under the same file name (generated
            files name the document they come from)."""
            for kind, content in (("same", data), ("changed", one_operation_changed(data))):
                (folder / kind).mkdir(exist_ok=True)
                (folder / kind / f"{name}.json").write_text(json.dumps(content), encoding="utf-8")
            documents.append((name, folder / "same" / f"{name}.json", folder / "changed" / f"{name}.json", operations))

        pair("comms", yaml.safe_load(comms.read_text(encoding="utf-8")), 10)
        for size in args.sizes:
            pair(f"synthetic-{size}", synthetic(size), size)
        stripe = SPECS / "stripe-spec3.yaml"
        if stripe.is_file() and not args.skip_stripe:
            loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
            pair("stripe", yaml.load(stripe.read_text(encoding="utf-8"), Loader=loader), 468)
        for name, document, changed, operations in documents:
            rows += bench_document(name, document, changed, operations, tools, args.repeat)

        opc_client = None
        if args.opc:
            target = folder / "opc-comms"
            subprocess.run(
                [args.opc, "generate", "--path", str(comms), "--output-path", str(target)], capture_output=True
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


if __name__ == "__main__":
    main()
