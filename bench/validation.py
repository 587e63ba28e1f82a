"""Strict validation: this generator's verdicts and time beside openapi-spec-validator's own.

    python bench/validation.py                 # every document in ../shared/specs
    python bench/validation.py oai-petstore.yaml stripe-spec3.yaml --timeout 900

Each document is validated in a child process twice: by `openapi_spec_validator.validate` as
shipped (stock), and by `generator.validate.spec_errors` (the same validator with its three repairs:
files read only as the resolver allows, schemas that reach themselves through `allOf` visited
once, and properties met in the document's order), whose errors `generator.validate` rewords for
the user. The verdicts must match: both valid, or both invalid with the same error messages. (Of a
Schema Object with several errors the validator reports one: the stock one depends on the hash
seed of its process, ours is the first in the document; the two can differ there.) A stock run
that dies (RecursionError) or passes the timeout has no verdict to compare.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT.parent / "shared" / "specs"

STOCK = """
import json, sys
from openapi_spec_validator import validate
from openapi_spec_validator.readers import read_from_filename
spec, base = read_from_filename(sys.argv[1])
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
cls = OpenAPIV31SpecValidator if str(spec.get("openapi", "")).startswith("3.1") else OpenAPIV30SpecValidator
print(json.dumps(sorted({e.message for e in cls(spec, base_uri=base).iter_errors()})))
"""

OURS = """
import json, sys
from pathlib import Path
from generator.load import load
from generator.resolve import Resolver
from generator.validate import spec_errors
document = load(Path(sys.argv[1]))
print(json.dumps(sorted({e.message for e in spec_errors(document, Resolver(document))})))
"""


def run(code: str, document: Path, timeout: float) -> tuple[list[str] | str, float]:
    # The stock validator as most users have it: jsonschema in Python. (With jsonschema-rs
    # installed, which this generator depends on, openapi-spec-validator would switch to it, and
    # word its errors differently.)
    env = {**os.environ, "OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND": "jsonschema"}
    started = time.perf_counter()
    try:
        result = subprocess.run(
            [sys.executable, "-c", code, str(document)],
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=ROOT,
            env=env,
        )
    except subprocess.TimeoutExpired:
        return f"no verdict after {timeout:.0f} s", time.perf_counter() - started
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        last = (result.stderr.strip().splitlines() or ["?"])[-1]
        return f"crashed: {last[:80]}", seconds
    verdict: list[str] = json.loads(result.stdout)
    return verdict, seconds


def _same(stock: list[str], ours: list[str] | str) -> bool:
    return not isinstance(ours, str) and stock == ours


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*")
    parser.add_argument("--timeout", type=float, default=600)
    args = parser.parse_args()
    documents = [SPECS / n for n in args.names] or sorted(
        p for p in SPECS.iterdir() if p.suffix in (".yaml", ".yml", ".json")
    )
    print("| document | stock | ours | same verdict | stock time | our time | speed-up |")
    print("|---|---|---|---|---:|---:|---:|")
    for document in documents:
        stock, stock_s = run(STOCK, document, args.timeout)
        ours, ours_s = run(OURS, document, args.timeout)

        def show(verdict: list[str] | str) -> str:
            return verdict if isinstance(verdict, str) else "valid" if not verdict else f"{len(verdict)} errors"

        same = "—" if isinstance(stock, str) else "yes" if _same(stock, ours) else "NO"
        print(
            f"| {document.name} | {show(stock)} | {show(ours)} | {same} | {stock_s:.2f} s | {ours_s:.2f} s"
            f" | {stock_s / ours_s:.1f}× |",
            flush=True,
        )


if __name__ == "__main__":
    main()
