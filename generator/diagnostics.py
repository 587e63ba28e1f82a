"""Diagnostics as data: every problem found in a document, with where it is.

Each stage reports problems as `Diagnostic` values instead of raising. A stage that cannot go on
raises `DiagnosticError` (see `errors`) carrying everything it collected; the command line prints them once,
in the order of the document (by line; those with no line, about the document as a whole, first),
with the JSON pointer and (where the loader can tell) the line, and exits with status 2.
"""

from __future__ import annotations

import enum
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field


class Level(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


@functools.total_ordering
@dataclass(frozen=True, slots=True)
class Diagnostic:
    """One problem: `pointer` is an RFC 6901 JSON pointer into the document ("" for the root), and
    `source` that document, as the run was given its path (a pointer into a document it refers to
    names that one: `schemas.yaml#/Thing`). A stage that reads the document says which it is.

    Diagnostics sort in the order a reader meets them: by line, then pointer and message (the
    ones with no line first)."""

    pointer: str
    message: str
    level: Level = Level.ERROR
    line: int | None = None
    # The document breaks the specification here (validation found it), as opposed to a sound
    # construct the generator cannot use. Not part of what the problem is, only of where it came from.
    invalid: bool = field(default=False, compare=False)
    # Where the problem is, not what it is: one run reads one document.
    source: str | None = field(default=None, compare=False)

    def _order(self) -> tuple[int, str, str, str]:
        return (self.line or 0, self.pointer, self.message, self.level.value)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Diagnostic):
            return NotImplemented
        return self._order() < other._order()

    def render(self, default_source: str | None = None) -> str:
        """`SOURCE[:LINE]: LEVEL: POINTER: MESSAGE`; `default_source` names the document of a
        diagnostic made before any document was read (a remote one that could not be fetched)."""
        source = self.source if self.source is not None else default_source
        where = f"{source}:{self.line}" if self.line is not None and source is not None else source
        pointer = self.pointer or "/"
        return f"{where + ': ' if where is not None else ''}{self.level.value}: {pointer}: {self.message}"


def pointer(parts: Iterable[str | int]) -> str:
    """Join path parts into a JSON pointer, escaping `~` and `/` (RFC 6901 §3)."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def pointer_parts(ptr: str) -> list[str]:
    """Split a JSON pointer into its unescaped reference tokens."""
    if not ptr:
        return []
    return [p.replace("~1", "/").replace("~0", "~") for p in ptr.lstrip("/").split("/")]
