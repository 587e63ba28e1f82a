"""The stages in order: load → validate → resolve → build → render → format (→ write).

`generate_files` runs everything but the write and returns the package's files in memory, so
tests can compare whole trees without touching the disk.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import ir
from .build import build_api
from .diagnostics import Diagnostic, DiagnosticError, Level
from .diff import surface
from .format import format_files
from .load import load
from .naming import module_name
from .render import RUNTIME_FILES, render
from .resolve import Resolver
from .write import formatted_before, validated_before, with_manifest


@dataclass(frozen=True, slots=True)
class Result:
    api: ir.Api
    files: dict[str, str]  # relative path -> content, the manifest included
    warnings: tuple[Diagnostic, ...]
    source: str  # the document's path as the user gave it, for diagnostics


Progress = Callable[[str, int, int], None]
"""Told each stage as it starts (`stage, 0, 0`), and the formatting stage file by file (`done, total`)."""


def _silent(stage: str, done: int, total: int) -> None:
    pass


def load_and_build(
    spec: Path,
    package: str | None = None,
    *,
    lenient: bool = False,
    allow_remote: bool = False,
    allow_outside: bool = False,
    progress: Progress = _silent,
    output: Path | None = None,
) -> tuple[ir.Api, list[Diagnostic]]:
    """Every stage up to the IR. With `lenient`, validation problems are warnings and the builder
    skips (and reports) what it cannot build, instead of stopping.

    With `output`, a document this version of the generator already validated strictly there
    (the manifest records its SHA-256) is not validated again.
    """
    progress("load", 0, 0)
    document = load(spec)
    resolver = Resolver(document, allow_remote=allow_remote, allow_outside=allow_outside)
    info = document.data.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    package = package or default_package_name(title)
    problems: list[Diagnostic] = []
    progress("validate", 0, 0)
    if output is None or not validated_before(output / package, document.sha256):
        from .validate import validate  # imports openapi-spec-validator: only when needed

        _, problems = validate(document, resolver, lenient=lenient)
    progress("build", 0, 0)
    with _around(problems):
        api, warnings = build_api(document, resolver, package)
    return api, problems + warnings


# What reading a document of the wrong shape raises in the builder and the templates.
_MALFORMED = (AttributeError, TypeError, KeyError, ValueError, IndexError, AssertionError, LookupError)


@contextmanager
def _around(problems: list[Diagnostic]) -> Iterator[None]:
    """With `--lenient`, the build reads a document the validator found wrong. Where its problems
    break the shapes the builder relies on, the run stops with exit status 2, listing them; a
    failure on a document without problems is a bug of the generator, and goes up as one."""
    try:
        yield
    except _MALFORMED as exc:
        if not problems:
            raise
        lead = Diagnostic("", f"--lenient cannot generate around these problems ({type(exc).__name__}: {exc})")
        raise DiagnosticError([lead, *(dataclasses.replace(p, level=Level.ERROR) for p in problems)]) from exc


def generate_files(
    spec: Path,
    package: str | None = None,
    *,
    lenient: bool = False,
    allow_remote: bool = False,
    allow_outside: bool = False,
    client_pyproject: bool = False,
    progress: Progress = _silent,
    output: Path | None = None,
) -> Result:
    """The package's files in memory. With `output` (the folder the package will be written in),
    files the last run there formatted from the same text are taken from it, not formatted again."""
    api, warnings = load_and_build(
        spec,
        package,
        lenient=lenient,
        allow_remote=allow_remote,
        allow_outside=allow_outside,
        progress=progress,
        output=output,
    )
    progress("render", 0, 0)
    rendered = render_files(api, warnings, client_pyproject=client_pyproject)
    reuse = formatted_before(output / api.package) if output is not None else None
    progress("format", 0, 0)
    files = format_files(rendered, lambda done, total: progress("format", done, total), reuse, RUNTIME_FILES)
    unformatted = {path: text for path, text in rendered.items() if path.endswith(".py")}
    strict = not lenient or not any(w.level is Level.WARNING for w in warnings)
    manifest = with_manifest(files, api.source_sha256, surface(api), unformatted, validated=strict)
    return Result(api, manifest, tuple(sorted(warnings)), str(spec))


def render_files(api: ir.Api, warnings: list[Diagnostic], *, client_pyproject: bool = False) -> dict[str, str]:
    """The package's files, unformatted (see `_around` for a lenient run's broken values)."""
    with _around([w for w in warnings if w.level is Level.WARNING]):
        return render(api, client_pyproject=client_pyproject)


def default_package_name(title: object) -> str:
    """`Comms API` → `comms_api`; a document without a usable title gives `client`."""
    name = module_name(title) if isinstance(title, str) else ""
    return name if name and name not in ("module",) else "client"
