"""Diagnostics as data: every problem found in a document, with where it is.

Each stage reports problems as `Diagnostic` values instead of raising. A stage that cannot go on
raises `DiagnosticError` carrying everything it collected; the command line prints them once,
sorted, with the JSON pointer and (where the loader can tell) the line, and exits with status 2.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass


class Level(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True, slots=True, order=True)
class Diagnostic:
    """One problem: `pointer` is an RFC 6901 JSON pointer into the document ("" for the root)."""

    pointer: str
    message: str
    level: Level = Level.ERROR
    line: int | None = None

    def render(self, source: str) -> str:
        where = f"{source}:{self.line}" if self.line is not None else source
        pointer = self.pointer or "/"
        return f"{where}: {self.level.value}: {pointer}: {self.message}"


class DiagnosticError(Exception):
    """Raised by a stage that found errors it cannot go past."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(diagnostics))
        super().__init__("\n".join(d.message for d in self.diagnostics))

    def __reduce__(self) -> tuple[type[DiagnosticError], tuple[tuple[Diagnostic, ...]]]:
        # Crosses from the validation process to the generator's as its problems, not its text.
        return (DiagnosticError, (self.diagnostics,))


def pointer(parts: Iterable[str | int]) -> str:
    """Join path parts into a JSON pointer, escaping `~` and `/` (RFC 6901 §3)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def pointer_parts(ptr: str) -> list[str]:
    """Split a JSON pointer into its unescaped reference tokens."""
    if not ptr:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in ptr.lstrip("/").split("/")]
