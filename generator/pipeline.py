"""The stages in order: load → validate → resolve → build → render → format (→ write).

`generate_files` runs everything but the write and returns the package's files in memory, so
tests can compare whole trees without touching the disk.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .diagnostics import Diagnostic, Level
from .errors import DiagnosticError
from .forked import FORKS, Forked
from .load import Document, load
from .naming import package_name
from .resolve import Resolver
from .cache import (
    formatted_before,
    text_sha256,
    generation_options,
    inputs_of,
    read_cache,
    rendered_before,
    validated_before,
)
from .write import IGNORE_FILE, Keep, with_manifest

if TYPE_CHECKING:
    from . import ir

# Each stage's module (and what it needs: jinja2, black, the validator) is imported when the stage
# runs, after the strict validation has started beside it: on a small document, imports are most
# of the run.


@dataclass(frozen=True, slots=True)
class Result:
    api: ir.Api
    files: dict[str, str]  # relative path -> content, the manifest included (kept files left out)
    warnings: tuple[Diagnostic, ...]
    source: str  # the document's path as the user gave it, for diagnostics
    keep: Keep  # the files of the package the user keeps
    cache: dict[str, Any]  # what the regeneration cache records of this run (see `cache.write_cache`)


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
    api, warnings, validation, resolver = _load_and_build(
        spec,
        package,
        lenient=lenient,
        allow_remote=allow_remote,
        allow_outside=allow_outside,
        progress=progress,
        output=output,
    )
    problems = validation.wait()
    return api, _merged(problems, resolver.document.locate(warnings))


def _load_and_build(
    spec: Path,
    package: str | None,
    *,
    lenient: bool,
    allow_remote: bool,
    allow_outside: bool,
    progress: Progress,
    output: Path | None,
) -> tuple[ir.Api, list[Diagnostic], Validation, Resolver]:
    """`load_and_build`, but the validation may still be running (in a child process, on the
    other core) when this returns, and the warnings are the builder's alone: the validation's
    verdict comes from `.wait()`, which raises the document's problems or, with `lenient`, returns
    them as warnings, to be `_merged` with the builder's. The build does not depend on it; only
    what is written does. The builder's warnings have no lines yet (`Document.locate` finds
    them): the validation finds the document's lines when it has problems, and gives them too."""
    progress("load", 0, 0)
    document = load(spec)
    resolver = Resolver(document, allow_remote=allow_remote, allow_outside=allow_outside)
    info = document.data.get("info")
    title = info.get("title") if isinstance(info, dict) else None
    package = package or default_package_name(title)
    progress("validate", 0, 0)
    validation = Validation.done()
    if output is None or not validated_before(read_cache(output, package), document.sha256):
        validation = Validation.start(document, resolver, lenient=lenient)
    progress("build", 0, 0)
    from .build import build_api

    try:
        with _around(validation.wait):
            api, warnings = build_api(document, resolver, package, locate=False)
    except BaseException:
        validation.wait()  # a document's problems explain a failed build better than the failure
        raise
    return api, warnings, validation, resolver


def _problems(validation: Validation, document: Document, warnings: list[Diagnostic]) -> list[Diagnostic]:
    """What a lenient run warns of: the validation's problems and the builder's warnings."""
    problems = validation.wait()
    return [w for w in _merged(problems, document.locate(warnings)) if w.level is Level.WARNING]


def _merged(problems: list[Diagnostic], warnings: list[Diagnostic]) -> list[Diagnostic]:
    """The validation's problems (as warnings, with `lenient`) and the builder's warnings. One
    mistake, one line: where the builder says what it did about a value validation found wrong
    (skipped it, typed it as Any), its line says both, and validation's goes."""
    wrong = {p.pointer for p in problems}
    warnings = [dataclasses.replace(w, invalid=True) if w.pointer in wrong else w for w in warnings]
    handled = {w.pointer for w in warnings}
    return [p for p in problems if p.pointer not in handled] + warnings


class Validation:
    """The validation, running beside the later stages (it is the longest stage before
    formatting, and needs none of their results) in a forked child (see `forked`). `wait()`
    gives its verdict, as often as asked."""

    def __init__(self, run: Forked[tuple[list[Diagnostic], Any]] | None, document: Document | None = None) -> None:
        self._run, self._document = run, document

    @classmethod
    def done(cls) -> Validation:
        return cls(None)

    @classmethod
    def start(cls, document: Document, resolver: Resolver, *, lenient: bool = False) -> Validation:
        return cls(Forked.start(lambda: _verdict(document, resolver, lenient, forked=FORKS)), document)

    def running(self) -> bool:
        """Whether the validation has yet to give its verdict."""
        return self._run is not None and self._run.running()

    def wait(self) -> list[Diagnostic]:
        """Raises the document's problems (`DiagnosticError`) if it is not valid; returns them
        as warnings if the validation was `lenient` (none if it is valid). The lines of the
        document it found, if it needed them, are given to the document."""
        if self._run is None:
            return []
        problems, lines = self._run.wait()
        if self._document is not None:
            self._document.adopt_lines(lines)
        return list(problems)


def _verdict(document: Document, resolver: Resolver, lenient: bool, forked: bool) -> tuple[list[Diagnostic], Any]:
    """What `Validation.wait` gives: the validation's warnings, and the document's lines if they
    were found. Raises what validation raises."""
    # Imported here, after the fork: the validator's imports are a good part of a small
    # document's run, and this way they overlap the build in the parent.
    from .validate import validate

    _, found = validate(document, resolver, lenient=lenient)
    # A lenient run reads documents whose builder mostly warns too: in a child process, their
    # lines are found beside the build, rather than by the parent once it has built, rendered and
    # formatted.
    lines = document.indexed_lines() if lenient and forked else document.lines
    return [dataclasses.replace(p, invalid=True) for p in found], lines


# What reading a document of the wrong shape raises in the builder and the templates.
_MALFORMED = (AttributeError, TypeError, KeyError, ValueError, IndexError, AssertionError, LookupError)


@contextmanager
def _around(problems: Callable[[], list[Diagnostic]]) -> Iterator[None]:
    """With `--lenient`, the build reads a document the validator found wrong. Where its problems
    (asked of `problems` only then: the validation may still be running) break the shapes the
    builder relies on, the run stops with exit status 2, listing them; a failure on a document
    without problems is a bug of the generator, and goes up as one."""
    try:
        yield
    except _MALFORMED as exc:
        found = problems()
        if not found:
            raise
        lead = Diagnostic(
            "",
            f"--lenient cannot generate around these problems ({type(exc).__name__}: {exc})",
            source=found[0].source,
        )
        raise DiagnosticError([lead, *(dataclasses.replace(p, level=Level.ERROR) for p in found)]) from exc


def generate_files(
    spec: Path,
    package: str | None = None,
    *,
    lenient: bool = False,
    allow_remote: bool = False,
    allow_outside: bool = False,
    client_pyproject: bool = False,
    keep: tuple[str, ...] = (),
    progress: Progress = _silent,
    output: Path | None = None,
) -> Result:
    """The package's files in memory, but for those the user keeps (`keep`'s patterns and, with
    `output`, the package's `.clientgenignore`). With `output` (the folder the package will be
    written in), modules the last run there rendered or formatted from the same inputs are taken
    from it (see `cache`), not made again."""
    api, warnings, validation, resolver = _load_and_build(
        spec,
        package,
        lenient=lenient,
        allow_remote=allow_remote,
        allow_outside=allow_outside,
        progress=progress,
        output=output,
    )
    # The last run's record, read once for what this run can take from that one.
    target = output / api.package if output is not None else None
    previous = read_cache(output, api.package) if output is not None else {}
    kept = Keep.read(target, keep) if target is not None else Keep(keep)
    try:
        progress("render", 0, 0)
        from .format import format_files
        from .render import RUNTIME_FILES, Rendered, Share, render_reusing, shares

        render_reuse = rendered_before(target, previous) if target is not None else None
        format_reuse = formatted_before(target, previous) if target is not None else None
        before = operations if isinstance(operations := previous.get("operations"), dict) else None

        def rendering(share: Share | None) -> Rendered:
            return render_reusing(api, render_reuse, client_pyproject=client_pyproject, operations=before, share=share)

        def formatting(rendered: Rendered, progress: Callable[[int, int], None] | None = None) -> dict[str, str]:
            return format_files(rendered.files, progress, format_reuse, (*RUNTIME_FILES, *rendered.reused))

        # On a large document, a second process renders and formats a share of the model modules
        # meanwhile (see `render.shares`).
        split = shares(api)
        helper = Forked.start(lambda: (r := rendering(split[1]), formatting(r))) if split is not None else None

        def so_far() -> list[Diagnostic]:
            return _problems(validation, resolver.document, warnings)

        try:
            with _around(so_far):
                rendered = rendering(split[0] if split is not None else None)
            progress("format", 0, 0)
            files = formatting(rendered, lambda done, total: progress("format", done, total))
        except BaseException:
            if helper is not None:
                helper.cancel()
            raise
        if helper is not None:
            with _around(so_far):
                theirs, their_files = helper.wait()
            rendered = rendered.joined(theirs)
            files = {path: their_files[path] if path in their_files else files[path] for path in rendered.files}
        if warnings and validation.running():
            # The lines of the builder's warnings, found while the validation still runs (else
            # after its verdict, from the lines it sends if it needed them too).
            warnings = resolver.document.locate(warnings)
    finally:
        # Its own stage for `--verbose`: the wait for the validation running beside build, render
        # and format is not formatting time.
        progress("verdict", 0, 0)
        problems = validation.wait()
    warnings = _merged(problems, resolver.document.locate(warnings))
    # A module taken whole from the last run keeps the entry that run recorded for it.
    recorded = previous.get("formatted")
    formatted = {
        p: e
        for p, e in (recorded if isinstance(recorded, dict) else {}).items()
        if p in rendered.reused and isinstance(e, str)
    }
    formatted |= {
        p: text_sha256(text) for p, text in rendered.files.items() if p.endswith(".py") and p not in formatted
    }
    # The digests already known of the files as written: a file taken whole from the last run is
    # as that run recorded it, and a file the format stage left as rendered was just summed.
    written = previous.get("digests")
    known = {p: d for p, d in (written if isinstance(written, dict) else {}).items() if p in rendered.reused}
    known |= {
        p: formatted[p]
        for p, text in files.items()
        if p in formatted and p not in rendered.reused and text is rendered.files[p]
    }
    warned = any(w.level is Level.WARNING for w in warnings)
    strict = not lenient or not warned
    options = generation_options(package, lenient, allow_remote, allow_outside, client_pyproject, keep)
    ignore_file = (target if target is not None else Path(os.devnull)) / IGNORE_FILE
    cache = {
        # A run that warned records no inputs: the next is made again, and shows its warnings again.
        "inputs": None if warned else inputs_of({spec.name: spec, **resolver.documents()}, options, ignore_file),
        "validated": api.source_sha256 if strict else None,
        "formatted": formatted,
        "rendered": rendered.digests,
        "operations": rendered.operations,
        "known": known,
    }
    from .diff import surface

    manifest = with_manifest(files, surface(api), kept, known)
    return Result(api, manifest, tuple(sorted(warnings)), str(spec), kept, cache)


def render_files(api: ir.Api, warnings: list[Diagnostic], *, client_pyproject: bool = False) -> dict[str, str]:
    """The package's files, unformatted (see `_around` for a lenient run's broken values)."""
    from .render import render

    with _around(lambda: [w for w in warnings if w.level is Level.WARNING]):
        return render(api, client_pyproject=client_pyproject)


def default_package_name(title: object) -> str:
    """`Comms API` → `comms_api`; a document without a usable title gives `client`."""
    return package_name(title) if isinstance(title, str) and title.strip() else "client"
