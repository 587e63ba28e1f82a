"""Configuration: the `[tool.clientgen]` table of the project's pyproject.toml.

    [tool.clientgen]
    spec = "spec/comms.yaml"      # the document
    output = "generated"          # where the package folder goes (default: generated)
    package = "comms_api"         # optional; default: from the document's title
    lenient = false               # optional
    client_pyproject = false      # optional: make the package folder installable on its own

or, for several clients, `[[tool.clientgen.targets]]` tables with the same keys. Paths are
relative to the pyproject.toml. Flags on the command line override a single target's settings.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .diagnostics import Diagnostic, DiagnosticError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib


@dataclass(frozen=True, slots=True)
class Target:
    spec: Path
    output: Path
    package: str | None = None
    lenient: bool = False
    client_pyproject: bool = False


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_targets(start: Path) -> list[Target]:
    """The targets configured in the nearest pyproject.toml, or a diagnostic saying why none."""
    pyproject = find_pyproject(start)
    if pyproject is None:
        raise DiagnosticError([Diagnostic("", "no SPEC given and no pyproject.toml with [tool.clientgen] found")])
    try:
        table = tomllib.loads(pyproject.read_text(encoding="utf-8")).get("tool", {}).get("clientgen")
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise DiagnosticError([Diagnostic("", f"cannot read {pyproject}: {exc}")]) from None
    if not isinstance(table, dict):
        raise DiagnosticError([Diagnostic("", f"no SPEC given and {pyproject} has no [tool.clientgen] table")])
    entries: list[Any] = table.get("targets") or [table]
    targets = []
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict) or not isinstance(entry.get("spec"), str):
            where = f"[[tool.clientgen.targets]] #{index + 1}" if "targets" in table else "[tool.clientgen]"
            raise DiagnosticError([Diagnostic("", f'{pyproject}: {where} needs spec = "path/to/openapi.yaml"')])
        root = pyproject.parent
        package = entry.get("package")
        targets.append(
            Target(
                spec=root / entry["spec"],
                output=root / str(entry.get("output", "generated")),
                package=str(package) if package else None,
                lenient=bool(entry.get("lenient", False)),
                client_pyproject=bool(entry.get("client_pyproject", False)),
            )
        )
    return targets
