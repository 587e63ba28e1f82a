"""Shared fixtures: where things are, and how to run the command line in process."""

from __future__ import annotations

import io
import sys
from collections.abc import Callable, Iterator
from contextlib import redirect_stderr, redirect_stdout
from dataclasses import dataclass
from pathlib import Path

import pytest

from generator.cli import main

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "spec" / "comms.yaml"
GENERATED = ROOT / "generated"
CASES = Path(__file__).resolve().parent / "cases"
SHARED_SPECS = ROOT.parent / "shared" / "specs"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-snapshots",
        action="store_true",
        help="rewrite tests/cases/*/expected and generated/ from the current generator",
    )


@dataclass
class CliResult:
    code: int
    stdout: str
    stderr: str


@pytest.fixture
def run_cli() -> Callable[..., CliResult]:
    """Run `python -m generator ARGS...` in this process; returns exit code and output."""

    def run(*args: str | Path) -> CliResult:
        out, err = io.StringIO(), io.StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main([str(a) for a in args])
        return CliResult(code, out.getvalue(), err.getvalue())

    return run


@pytest.fixture(scope="session")
def comms_api() -> Iterator[object]:
    """The committed generated Comms client, imported from generated/."""
    sys.path.insert(0, str(GENERATED))
    try:
        import comms_api  # type: ignore[import-not-found]  # generated/, put on the path above

        yield comms_api
    finally:
        sys.path.remove(str(GENERATED))


def black_bound_document(folder: Path) -> Path:
    """A document whose client has a statement the templates leave to black (in `models/code.py`,
    an alias of a model or an array of models, too long for a line of its own: a union of two
    members the last of which ends with a bracket, which the layout leaves to black), where most
    clients have none: for tests that watch whether black runs."""
    item = "Item" + "".join(f"Alternative{i:02d}" for i in range(4))
    folder.mkdir(parents=True, exist_ok=True)
    spec = folder / "patterned.yaml"
    spec.write_text(
        "openapi: 3.0.3\n"
        "info: {title: Patterned, version: '1'}\n"
        "paths: {}\n"
        "components:\n"
        "  schemas:\n"
        f"    {item}: {{type: object, properties: {{a: {{type: string}}}}}}\n"
        f"    {item}Other: {{type: object, properties: {{b: {{type: string}}}}}}\n"
        "    Code:\n"
        f"      oneOf: [{{$ref: '#/components/schemas/{item}'}}, "
        f"{{type: array, items: {{$ref: '#/components/schemas/{item}Other'}}}}]\n",
        encoding="utf-8",
    )
    return spec
