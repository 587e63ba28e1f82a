"""The exceptions of the generator, in one place, each with what the command line does with it
(see `cli.main`): all exit with status 2, and none prints a traceback.

- `DiagnosticError`: the document has problems a stage cannot go past; they are printed, each
  with its location (the `Diagnostic`s it carries).
- `ConfigError`: the `[tool.clientgen]` configuration cannot be used; its lines are printed.
- `OwnershipError`, `EditedFilesError`: writing would destroy or move something the generator
  did not write, or lose edits made by hand.
- `InternalError`: the generator produced something wrong, a bug of ours.
- `RefusedError`: a referenced document the user has not allowed the generator to read (turned
  into a `DiagnosticError` at the `$ref` by the resolver).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .diagnostics import Diagnostic


class DiagnosticError(Exception):
    """Raised by a stage that found errors it cannot go past."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        self.diagnostics = tuple(sorted(set(diagnostics)))  # each problem once
        super().__init__("\n".join(d.message for d in self.diagnostics))

    def __reduce__(self) -> tuple[type[DiagnosticError], tuple[tuple[Diagnostic, ...]]]:
        # Crosses from the validation process to the generator's as its problems, not its text.
        return (DiagnosticError, (self.diagnostics,))


class ConfigError(Exception):
    """The configuration cannot be used: each problem is a line `SOURCE: error: MESSAGE`."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class InternalError(Exception):
    """The generator produced something wrong: a bug of ours, not of the document."""


class RefusedError(LookupError):
    """A referenced document the user has not allowed the generator to read."""


class OwnershipError(Exception):
    """Writing would destroy or move something the generator did not write."""


class EditedFilesError(OwnershipError):
    """Files the generator wrote were edited by hand, and regenerating would lose the edits."""

    def __init__(self, target: Path, paths: Iterable[str], ignore_file: str) -> None:
        self.paths = tuple(sorted(paths))
        listed = "".join(f"\n  {target / path}" for path in self.paths)
        super().__init__(
            f"{len(self.paths)} generated file(s) in {target} were edited by hand since they were generated:{listed}\n"
            f"To keep an edit, list the file in {target / ignore_file} (the generator then leaves it alone);"
            " to discard the edits, regenerate with --discard-edits."
        )
