"""Configuration: the `[tool.clientgen]` table of the project's pyproject.toml.

    [tool.clientgen]
    spec = "spec/comms.yaml"      # the document
    output = "generated"          # where the package folder goes (default: generated)
    package = "comms_api"         # optional; default: from the document's title
    lenient = false               # optional
    client_pyproject = false      # optional: make the package folder installable on its own
    keep = ["models/pet.py"]      # optional: files of the package the generator leaves alone

or, for several clients, `[[tool.clientgen.targets]]` tables with the same keys. Paths are
relative to the pyproject.toml. Flags on the command line override a single target's settings.

Every mistake is a `ConfigError` naming where it is (`pyproject.toml:LINE`): an unknown key (with
the closest known one suggested), a value of the wrong type, a package name that cannot be one.
"""

from __future__ import annotations

import difflib
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import paths
from .errors import ConfigError
from .naming import package_name_problem

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
    keep: tuple[str, ...] = ()


_KEYS: dict[str, type | tuple[type, ...]] = {
    "spec": str,
    "output": str,
    "package": str,
    "lenient": bool,
    "client_pyproject": bool,
    "keep": list,
}
_TYPE_NAMES = {str: "a string", bool: "true or false", list: "a list of strings"}


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def load_targets(start: Path) -> list[Target]:
    """The targets configured in the nearest pyproject.toml; `ConfigError` if there are none, or
    if the configuration has mistakes (all of them listed)."""
    pyproject = find_pyproject(start)
    if pyproject is None:
        raise ConfigError([f"error: no SPEC given, and no pyproject.toml in {start} or above it"])
    shown = str(paths.shown(pyproject))
    try:
        text = pyproject.read_text(encoding="utf-8")
        data = tomllib.loads(text)
    except OSError as exc:
        raise ConfigError([f"{shown}: error: cannot read it: {exc.strerror or exc}"]) from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError([f"{shown}: error: not valid TOML: {exc}"]) from None
    tool = data.get("tool")
    table = tool.get("clientgen") if isinstance(tool, dict) else None
    if not isinstance(table, dict):
        raise ConfigError([f"{shown}: error: no SPEC given, and it has no [tool.clientgen] table"])
    lines = _Lines(text, shown)
    problems: list[str] = []
    if "targets" in table:
        entries = table["targets"]
        for key in sorted(set(table) - {"targets"}):
            problems.append(
                f"{lines.where('tool.clientgen', key)}: error: [tool.clientgen] has [[tool.clientgen.targets]]:"
                f" {key!r} belongs in each target"
            )
        if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries) or not entries:
            problems.append(
                f"{lines.where('tool.clientgen', 'targets')}: error: targets must be [[tool.clientgen.targets]] tables"
            )
            raise ConfigError(problems)
        named = [(f"[[tool.clientgen.targets]] #{i + 1}", "tool.clientgen.targets", i) for i in range(len(entries))]
    else:
        entries = [table]
        named = [("[tool.clientgen]", "tool.clientgen", 0)]
    targets = []
    for entry, (label, header, index) in zip(entries, named):
        for key in entry:
            where = lines.where(header, key, index)
            if key not in _KEYS:
                close = difflib.get_close_matches(key, _KEYS, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else f" (known keys: {', '.join(_KEYS)})"
                problems.append(f"{where}: error: {label} has an unknown key {key!r}{hint}")
            elif not isinstance(entry[key], _KEYS[key]) or (
                key == "keep" and not all(isinstance(p, str) for p in entry[key])
            ):
                problems.append(f"{where}: error: {label} {key} must be {_TYPE_NAMES[_KEYS[key]]}")  # type: ignore[index]
        if not isinstance(entry.get("spec"), str):
            if "spec" not in entry:
                problems.append(
                    f'{lines.where(header, None, index)}: error: {label} needs spec = "path/to/openapi.yaml"'
                )
            continue
        package = entry.get("package")
        if isinstance(package, str):
            reason = package_name_problem(package)
            if reason:
                problems.append(f"{lines.where(header, 'package', index)}: error: package {package!r} {reason}")
        root = pyproject.parent
        keep = entry.get("keep")
        targets.append(
            Target(
                spec=root / entry["spec"],
                output=root / str(entry.get("output") if isinstance(entry.get("output"), str) else "generated"),
                package=package if isinstance(package, str) and package else None,
                lenient=entry.get("lenient") is True,
                client_pyproject=entry.get("client_pyproject") is True,
                keep=tuple(keep) if isinstance(keep, list) else (),
            )
        )
    if problems:
        raise ConfigError(problems)
    return targets


class _Lines:
    """Where a key of a table is in the TOML text, for messages (`pyproject.toml:12`). tomllib
    gives no positions, so the text is scanned: table headers, then `key =` lines under them."""

    _HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
    _KEY = re.compile(r"""^\s*(?:"([^"]*)"|'([^']*)'|([A-Za-z0-9_-]+))\s*=""")

    def __init__(self, text: str, source: str) -> None:
        self.source = source
        self._lines = text.splitlines()

    def where(self, header: str, key: str | None, index: int = 0) -> str:
        """`SOURCE:LINE` of `key` in the `index`-th table named `header` (of the table itself when
        `key` is None or not found), or `SOURCE` alone if the table cannot be found."""
        seen = -1
        inside = False
        table_line: int | None = None
        for number, line in enumerate(self._lines, start=1):
            header_match = self._HEADER.match(line)
            if header_match:
                name = re.sub(r"\s*\.\s*", ".", header_match.group(1))
                if name == header:
                    seen += 1
                    inside = seen == index
                    if inside:
                        table_line = number
                elif inside:
                    break
                continue
            if inside and key is not None:
                key_match = self._KEY.match(line)
                if key_match and key in key_match.groups():
                    return f"{self.source}:{number}"
        if table_line is None and key is not None and header == "tool.clientgen":
            # `[tool]` with `clientgen = {...}`, or dotted keys: point at the line that names it.
            for number, line in enumerate(self._lines, start=1):
                if "clientgen" in line:
                    return f"{self.source}:{number}"
        return f"{self.source}:{table_line}" if table_line is not None else self.source
