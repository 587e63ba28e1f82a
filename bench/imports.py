"""Benchmark: what importing a generated client costs, beside httpx and the vendors' own SDKs.

    python bench/imports.py                   # every document, 7 runs each
    python bench/imports.py --repeat 11 --skip-vendors
    python bench/run.py --imports only        # the same, from the main benchmark

For each document (Comms, synthetic ones of N operations, the 1,200-operation long-names one,
Stripe's and OpenAI's), this generator writes its client; then a fresh interpreter runs
`import PKG; PKG.Client(...)`, `--repeat` times after one run that writes the bytecode, and the
table shows the median wall time of the whole process and its peak resident memory (`time -f %M`),
beside `import httpx` and the vendors' SDKs on the same APIs: stripe, openai, and githubkit (the
GitHub API, of about the size of the long-names document). The vendors are installed with pip
into a virtualenv of their own in the cache folder (`$XDG_CACHE_HOME/clientgen-bench`); a vendor
that cannot be installed or imported is reported and skipped. Every import runs in that
virtualenv (it has httpx, and not click or rich, which httpx imports for its command line when
they are there), or, without one, in this interpreter. The first use of a resource (the first
resource, or the first of the client's own operations) is timed in process.

With matplotlib installed, a chart of import time against operations goes to
`bench/import-time-vs-operations.png` (the results are kept in the cache folder: `--chart-again`
draws the last run's chart, in an interpreter that has matplotlib).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT.parent / "shared" / "specs"
TIME = shutil.which("time") or "/usr/bin/time"

# What each vendor's SDK is, and what importing it and making its client is.
VENDORS: dict[str, tuple[str, str]] = {
    "stripe": ("stripe", "import stripe; stripe.StripeClient('sk_test_x')"),
    "openai": ("openai", "import openai; openai.OpenAI(api_key='sk-x')"),
    "githubkit": ("githubkit", "import githubkit; githubkit.GitHub('ghp_x')"),
}
# githubkit 0.16 allows hishel 2.0, but imports a name that hishel 2.0 no longer has.
PINS = ("hishel<2",)
# Which vendor speaks for which document's API (githubkit: the GitHub API, ~1,100 operations).
VENDOR_OF = {"stripe": "stripe", "openai": "openai", "long-names-1200": "githubkit"}


@dataclass
class Cost:
    name: str
    operations: int | None
    seconds: float  # median wall time of the whole process
    peak_mib: float  # largest peak resident memory
    first_use_ms: float | None = None


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "clientgen-bench"


def vendor_python(cache: Path) -> Path | None:
    """The interpreter of the vendors' virtualenv, made (and the SDKs installed) if need be."""
    venv = cache / f"vendors-py{sys.version_info.major}.{sys.version_info.minor}"
    python = venv / "bin" / "python"
    if not python.exists():
        print(f"making {venv} and installing {', '.join(VENDORS)} into it", file=sys.stderr)
        made = subprocess.run([sys.executable, "-m", "venv", str(venv)], capture_output=True, text=True)
        if made.returncode != 0:
            print(f"  ! cannot make the virtualenv: {made.stderr.strip()[-300:]}", file=sys.stderr)
            return None
    for vendor, (distribution, _) in VENDORS.items():
        if _run(python, f"import {distribution}").returncode == 0:
            continue
        install = [str(python), "-m", "pip", "install", "-q", distribution, "httpx", *PINS]
        result = subprocess.run(install, capture_output=True, text=True)
        if result.returncode != 0:
            print(f"  ! pip install {distribution} failed: {result.stderr.strip()[-300:]}", file=sys.stderr)
    if _run(python, "import httpx").returncode != 0:
        subprocess.run([str(python), "-m", "pip", "install", "-q", "httpx"], capture_output=True)
    return python if _run(python, "import httpx").returncode == 0 else None


def _environment() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONDONTWRITEBYTECODE")}
    return env


def _run(python: Path, code: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(python), "-c", code], cwd=cwd, env=_environment(), capture_output=True, text=True)


def cost(python: Path, code: str, cwd: Path, repeat: int) -> tuple[float, float] | None:
    """Median wall time and largest peak memory of `python -c code`, bytecode written first."""
    if _run(python, code, cwd).returncode != 0:  # also writes the bytecode
        return None
    seconds: list[float] = []
    peaks: list[float] = []
    for _ in range(repeat):
        with tempfile.NamedTemporaryFile("r", suffix=".rss") as rss:
            argv = [TIME, "-f", "%M", "-o", rss.name, str(python), "-c", code]
            started = time.perf_counter()
            subprocess.run(argv, cwd=cwd, env=_environment(), capture_output=True)
            seconds.append(time.perf_counter() - started)
            text = rss.read().split()
        peaks.append(float(text[-1]) / 1024 if text and text[-1].isdigit() else float("nan"))
    return statistics.median(seconds), max(peaks)


FIRST_USE = """
import time, {package}
from {package} import _client
client = {package}.Client(base_url="https://api.example.invalid")
names = [n for n, v in vars({package}.Client).items() if hasattr(v, "attrname")]
name = names[0] if names else _client._OPERATIONS[1]
started = time.perf_counter()
getattr(client, name)
print((time.perf_counter() - started) * 1000)
"""


def first_use(python: Path, package: str, cwd: Path) -> float | None:
    """Milliseconds to the first resource (or the first of the client's own operations)."""
    _run(python, FIRST_USE.format(package=package), cwd)  # writes the bytecode of what it imports
    result = _run(python, FIRST_USE.format(package=package), cwd)
    return float(result.stdout) if result.returncode == 0 and result.stdout.strip() else None


def documents(sizes: list[int], skip: set[str]) -> list[tuple[str, dict[str, Any], int, bool]]:
    """(name, document, operations, lenient) of every document measured."""
    import yaml

    sys.path.insert(0, str(ROOT / "bench"))
    import run

    found = [("comms", yaml.safe_load((ROOT / "spec" / "comms.yaml").read_text(encoding="utf-8")), 10, False)]
    found += [(f"synthetic-{n}", run.synthetic(n), n, False) for n in sizes]
    found.append(("long-names-1200", run.long_names(1200), 1200, False))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    for name in ("stripe", "openai"):
        path = SPECS / ("stripe-spec3.yaml" if name == "stripe" else "openai-openapi.yaml")
        if path.is_file() and name not in skip:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
            methods = ("get", "put", "post", "delete", "patch", "options", "head", "trace")
            count = sum(1 for item in data["paths"].values() for key in item if key in methods)
            found.append((name, data, count, True))
    return found


def bench_imports(repeat: int = 7, sizes: list[int] | None = None, vendors: bool = True, skip: set[str] = set()) -> str:
    """Generate each document's client, measure its import beside httpx's and the vendors'; the
    table (and, with matplotlib, the chart)."""
    python = vendor_python(cache_dir()) if vendors else None
    if python is None:
        print("no vendors' virtualenv: measuring in this interpreter, without the vendors", file=sys.stderr)
        python = Path(sys.executable)
    rows: list[Cost] = []
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        measured = cost(python, "import httpx", folder, repeat)
        if measured is None:
            raise SystemExit(f"{python} cannot import httpx")
        httpx_cost = Cost("import httpx", None, *measured)
        for name, document, operations, lenient in documents(sizes or [10, 100, 1000], skip):
            package = name.replace("-", "_") + "_client"
            path = folder / f"{name}.json"
            path.write_text(json.dumps(document, default=str), encoding="utf-8")
            command = [sys.executable, "-m", "generator", "generate", str(path), "--output", str(folder / "out")]
            command += ["--package", package, "-q"] + (["--lenient"] if lenient else [])
            generated = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
            if generated.returncode not in (0, 1):
                print(f"  ! {name}: generation failed: {generated.stderr.strip()[-300:]}", file=sys.stderr)
                continue
            code = f"import {package}; {package}.Client(base_url='https://api.example.invalid')"
            measured = cost(python, code, folder / "out", repeat)
            if measured is None:
                print(f"  ! {name}: the client does not import", file=sys.stderr)
                continue
            rows.append(Cost(name, operations, *measured, first_use(python, package, folder / "out")))
            print(f"  {name:>18}: {rows[-1].seconds * 1000:5.0f} ms, {rows[-1].peak_mib:5.1f} MiB", file=sys.stderr)
    vendor_rows: dict[str, Cost] = {}
    if vendors and python != Path(sys.executable):
        for vendor, (_, code) in VENDORS.items():
            measured = cost(python, code, ROOT, repeat)
            if measured is None:
                print(f"  ! {vendor} does not import: skipped", file=sys.stderr)
                continue
            vendor_rows[vendor] = Cost(f"{vendor} (PyPI)", None, *measured)
    RESULTS.write_text(
        json.dumps(
            {
                "httpx": vars(httpx_cost),
                "rows": [vars(r) for r in rows],
                "vendors": [vars(v) for v in vendor_rows.values()],
            }
        ),
        encoding="utf-8",
    )
    if chart(rows, httpx_cost, vendor_rows, CHART):
        print(f"Chart: {CHART.relative_to(ROOT)}", file=sys.stderr)
    return report(rows, httpx_cost, vendor_rows, python)


RESULTS = cache_dir() / "imports.json"
CHART = ROOT / "bench" / "import-time-vs-operations.png"


def chart_again() -> None:
    """The chart of the last run (from its results in the cache folder), in an interpreter that
    has matplotlib where the benchmark's had not."""
    data = json.loads(RESULTS.read_text(encoding="utf-8"))
    vendors = {v["name"]: Cost(**v) for v in data["vendors"]}
    if not chart([Cost(**r) for r in data["rows"]], Cost(**data["httpx"]), vendors, CHART):
        raise SystemExit("matplotlib is not installed")


def report(rows: list[Cost], httpx_cost: Cost, vendors: dict[str, Cost], python: Path) -> str:
    ms = lambda s: f"{s * 1000:.0f} ms"  # noqa: E731
    lines = [
        f"Import and construct the client (median of the whole process; {python}):",
        "",
        "| client | ops | import + Client() | peak memory | ÷ httpx: time | memory | vendor SDK | its time"
        " | its memory | first resource use |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|---:|",
        f"| import httpx | | {ms(httpx_cost.seconds)} | {httpx_cost.peak_mib:.1f} MiB | 1.00× | 1.00× | | | | |",
    ]
    for row in rows:
        vendor = vendors.get(VENDOR_OF.get(row.name, ""))
        theirs = f"| {vendor.name} | {ms(vendor.seconds)} | {vendor.peak_mib:.1f} MiB" if vendor else "| | |"
        first = "—" if row.first_use_ms is None else f"{row.first_use_ms:.1f} ms"
        lines.append(
            f"| {row.name} | {row.operations} | {ms(row.seconds)} | {row.peak_mib:.1f} MiB"
            f" | {row.seconds / httpx_cost.seconds:.2f}× | {row.peak_mib / httpx_cost.peak_mib:.2f}× {theirs} | {first} |"
        )
    for vendor in vendors.values():
        lines.append(f"| {vendor.name} | | {ms(vendor.seconds)} | {vendor.peak_mib:.1f} MiB"
                     f" | {vendor.seconds / httpx_cost.seconds:.2f}× | {vendor.peak_mib / httpx_cost.peak_mib:.2f}× | | | | |")  # fmt: skip
    return "\n".join(lines)


def chart(rows: list[Cost], httpx_cost: Cost, vendors: dict[str, Cost], path: Path) -> bool:
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        return False
    figure, axes = plt.subplots(figsize=(7, 4.5))
    points = sorted((r.operations or 1, r.seconds * 1000, r.name) for r in rows)
    axes.plot([n for n, _, _ in points], [t for _, t, _ in points], marker="o", label="clientgen client")
    for n, t, name in points:
        axes.annotate(name, (n, t), textcoords="offset points", xytext=(4, 4), fontsize=7)
    axes.axhline(httpx_cost.seconds * 1000, color="grey", linestyle="--", label="import httpx")
    axes.axhline(httpx_cost.seconds * 1500, color="grey", linestyle=":", label="1.5 × import httpx")
    for vendor, color in zip(vendors.values(), ("tab:red", "tab:green", "tab:purple", "tab:brown")):
        axes.axhline(vendor.seconds * 1000, linestyle="-.", linewidth=1, label=vendor.name, color=color)
    axes.set_xscale("log")
    axes.set_xlabel("operations in the document")
    axes.set_ylabel("ms (median, whole process)")
    axes.set_title("import PKG; PKG.Client(): time vs document size")
    axes.set_ylim(bottom=0)
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=8)
    figure.tight_layout()
    figure.savefig(path, dpi=110)
    return True


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--sizes", type=int, nargs="*", default=[10, 100, 1000])
    parser.add_argument("--skip-vendors", action="store_true")
    parser.add_argument("--skip-stripe", action="store_true")
    parser.add_argument("--skip-openai", action="store_true")
    parser.add_argument("--chart-again", action="store_true", help="only draw the last run's chart")
    args = parser.parse_args(argv)
    if args.chart_again:
        chart_again()
        return
    skip = {name for name in ("stripe", "openai") if getattr(args, f"skip_{name}")}
    print(bench_imports(args.repeat, args.sizes, not args.skip_vendors, skip))


if __name__ == "__main__":
    main()
