"""The command line: `generate` and `validate`.

Exit status: 0 success; 1 `generate --check` found the committed client stale; 2 the document
(or the output folder) has problems, each printed with its location. No traceback reaches the
user: a failure of the generator itself is reported as an internal error, also with status 2.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import sys
import threading
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NoReturn

from . import __version__
from .diagnostics import Diagnostic
from .errors import ConfigError, DiagnosticError, InternalError, OwnershipError
from .cache import generation_options, unchanged_package, write_cache
from .config import Target, load_targets
from .naming import package_name_problem
from .paths import shown
from .write import check_target, diff_tree, recorded_api, write_tree

# The pipeline (and the diff, which renders annotations) are imported where they are used: a run
# that finds nothing to do needs neither, and importing them is most of such a run's time.

EXIT_OK, EXIT_STALE, EXIT_BAD_INPUT = 0, 1, 2


# Deeply nested schemas are walked recursively (by the validator, the builder, the templates). The
# work runs on a thread with a large stack and a raised recursion limit, so that nesting a
# thousand levels deep is handled rather than refused; the stack is address space, only touched
# as deep as the document goes.
_STACK_BYTES = 512 * 2**20
_RECURSION_LIMIT = 60_000


def _on_deep_stack(run: Callable[[], int]) -> int:
    """`run()` on a thread with a deep stack; its result, or its exception raised here."""
    outcome: list[int] = []
    failure: list[BaseException] = []

    def target() -> None:
        try:
            outcome.append(run())
        except BaseException as exc:  # noqa: BLE001 - handed to the calling thread
            failure.append(exc)

    previous_stack, previous_limit = threading.stack_size(_STACK_BYTES), sys.getrecursionlimit()
    sys.setrecursionlimit(_RECURSION_LIMIT)
    try:
        worker = threading.Thread(target=target, name="clientgen", daemon=True)
        worker.start()
    finally:
        threading.stack_size(previous_stack)
    try:
        worker.join()
    finally:
        sys.setrecursionlimit(previous_limit)
    if failure:
        raise failure[0]
    return outcome[0]


def run() -> NoReturn:
    """The command (`python -m generator`, `clientgen`): `main`, then out at once, its output
    flushed. The interpreter's clean-up of a large run's objects (the document, the IR, the
    files: a tenth of a second on OpenAI's document) does nothing the command needs."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: nothing more can be said
            pass
    os._exit(code)


def main(argv: Sequence[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # a usage error (status 2, printed by argparse), or --help / --version
        return exc.code if isinstance(exc.code, int) else EXIT_BAD_INPUT
    try:
        return _on_deep_stack(lambda: int(args.run(args)))
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_BAD_INPUT
    except DiagnosticError as exc:
        _print_diagnostics(args.spec, exc.diagnostics)
        errors = sum(d.level.value == "error" for d in exc.diagnostics)
        print(f"{args.spec}: {errors} error(s); nothing was generated", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OwnershipError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except InternalError as exc:
        print(
            f"internal error: {exc}\nThis is a bug in clientgen; please report it with the document.", file=sys.stderr
        )
        return EXIT_BAD_INPUT
    except RecursionError:
        print(f"{args.spec}: error: the document nests or refers to itself too deeply", file=sys.stderr)
        return EXIT_BAD_INPUT
    except MemoryError:
        print(f"{args.spec}: error: the document is too large to generate from in this memory", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:  # the disk or the system refused: not a bug, and nothing to trace back
        where = f"{exc.filename}: " if exc.filename else ""
        print(f"error: {where}{exc.strerror or exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        print("interrupted; the output folder is unchanged", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - the promise is: no traceback for any document
        print(
            f"internal error: {type(exc).__name__}: {exc}\n"
            "This is a bug in clientgen; please report it with the document.",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT


_LENIENT = "report validation problems as warnings and generate what is sound, listing what was skipped"


_REMOTE = "fetch $refs to http(s) documents (refused by default)"
_OUTSIDE = "read $refs to files outside the document's folder (refused by default)"


def _package_name(name: str) -> str:
    """`--package`'s value, refused by argparse (exit status 2, naming the option) if it cannot name a package."""
    reason = package_name_problem(name)
    if reason:
        raise argparse.ArgumentTypeError(f"{name!r} {reason}")
    return name


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="clientgen", description="Generate a typed Python client from an OpenAPI 3.0/3.1 document."
    )
    parser.add_argument("--version", action="version", version=f"clientgen {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    generate = commands.add_parser("generate", help="generate (or --check) the client package")
    generate.add_argument(
        "spec",
        type=Path,
        metavar="SPEC",
        nargs="?",
        help="the OpenAPI document (default: [tool.clientgen] in pyproject.toml)",
    )
    generate.add_argument(
        "--output",
        type=Path,
        default=None,
        metavar="DIR",
        help="where the package folder goes (default: generated)",
    )
    generate.add_argument(
        "--package", metavar="NAME", type=_package_name, help="the package name (default: from the document's title)"
    )
    generate.add_argument("--lenient", action="store_true", help=_LENIENT)
    generate.add_argument("--allow-remote-refs", action="store_true", help=_REMOTE)
    generate.add_argument("--allow-outside-refs", action="store_true", help=_OUTSIDE)
    generate.add_argument(
        "--client-pyproject", action="store_true", help="also write a pyproject.toml that makes the package installable"
    )
    loudness = generate.add_mutually_exclusive_group()
    loudness.add_argument("--quiet", "-q", action="store_true", help="print errors only")
    loudness.add_argument("--verbose", "-v", action="store_true", help="print each stage and its time")
    generate.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 with a diff if DIR/NAME is not what would be generated",
    )
    generate.add_argument(
        "--discard-edits",
        action="store_true",
        help="overwrite generated files that were edited by hand (by default the run stops, listing them)",
    )
    generate.set_defaults(run=_generate)

    diff = commands.add_parser("diff", help="what changes in the client's public API between two documents")
    diff.add_argument("old", type=Path, metavar="OLD")
    diff.add_argument("new", type=Path, metavar="NEW")
    diff.add_argument("--format", choices=("text", "json"), default="text")
    diff.add_argument(
        "--fail-on", choices=("breaking", "any", "none"), default="none", help="exit 1 when there are such changes"
    )
    diff.add_argument("--lenient", action="store_true", help=_LENIENT)
    diff.set_defaults(run=_diff, spec=None)

    check = commands.add_parser("validate", help="check a document and report every problem")
    check.add_argument("spec", type=Path, metavar="SPEC")
    check.add_argument("--lenient", action="store_true", help=_LENIENT)
    check.add_argument("--allow-remote-refs", action="store_true", help=_REMOTE)
    check.add_argument("--allow-outside-refs", action="store_true", help=_OUTSIDE)
    check.set_defaults(run=_validate)
    return parser


class Reporter:
    """What a run tells its user on stderr. On a terminal, the stage and files done of total on
    one line that keeps being rewritten; otherwise (CI, a pipe) only warnings, errors and a
    one-line summary. `--quiet`: errors only. `--verbose`: each stage with its time."""

    def __init__(self, *, quiet: bool = False, verbose: bool = False) -> None:
        self.quiet = quiet
        self.verbose = verbose
        self.live = sys.stderr.isatty() and not quiet and not verbose
        self._stage: str | None = None
        self._since = time.perf_counter()

    def __call__(self, stage: str, done: int, total: int) -> None:
        if stage != self._stage:
            self._end_stage()
            self._stage, self._since = stage, time.perf_counter()
        if self.live:
            counts = f" {done}/{total} files" if total else ""
            sys.stderr.write(f"\r\x1b[Kclientgen: {stage}{counts}")
            sys.stderr.flush()

    def _end_stage(self) -> None:
        if self.verbose and self._stage is not None:
            print(f"clientgen: {self._stage} {time.perf_counter() - self._since:.2f}s", file=sys.stderr)

    def done(self) -> None:
        self._end_stage()
        self._stage = None
        if self.live:
            sys.stderr.write("\r\x1b[K")

    def say(self, message: str) -> None:
        if not self.quiet:
            sys.stderr.write(message if message.endswith("\n") else message + "\n")

    def diagnostics(self, spec: Path, diagnostics: Sequence[Diagnostic]) -> None:
        if not self.quiet:
            _print_diagnostics(spec, diagnostics)


def _generate(args: argparse.Namespace) -> int:
    if args.spec is not None:
        target = Target(args.spec, args.output or Path("generated"), args.package, args.lenient, args.client_pyproject)
        return _generate_one(args, target)
    targets = load_targets(Path.cwd())
    if len(targets) == 1:  # flags override the configuration of a single target
        only = targets[0]
        targets = [
            Target(
                only.spec,
                args.output or only.output,
                args.package or only.package,
                args.lenient or only.lenient,
                args.client_pyproject or only.client_pyproject,
                only.keep,
            )
        ]
    codes = []
    for target in targets:
        # Read, and named in its diagnostics, as the user would type it.
        target = dataclasses.replace(target, spec=shown(target.spec))
        args.spec = target.spec
        codes.append(_generate_one(args, target))
    return max(codes)


def _generate_one(args: argparse.Namespace, config: Target) -> int:
    started = time.perf_counter()
    report = Reporter(quiet=args.quiet, verbose=args.verbose)
    check_target(config.output)  # a file where the output folder should be: said before any work
    options = generation_options(
        config.package,
        config.lenient,
        args.allow_remote_refs,
        args.allow_outside_refs,
        config.client_pyproject,
        config.keep,
    )
    # The same documents, options and generator as the run that wrote the package, which is as
    # it was written: there is nothing to do. (A lenient run, or one that warned, is made again,
    # to show its warnings.)
    report("compare", 0, 0)
    done_before = None if config.lenient else unchanged_package(config.output, config.spec, options)
    report.done()
    if done_before is not None:
        target, count = done_before
        if args.check:
            report.say(f"{shown(target)} is up to date")
        else:
            seconds = time.perf_counter() - started
            report.say(f"{shown(target)}: 0 written, {count} unchanged, 0 removed in {seconds:.2f}s")
        return EXIT_OK
    from .pipeline import generate_files

    try:
        result = generate_files(
            config.spec,
            config.package,
            lenient=config.lenient,
            allow_remote=args.allow_remote_refs,
            allow_outside=args.allow_outside_refs,
            client_pyproject=config.client_pyproject,
            keep=config.keep,
            progress=report,
            output=config.output,
        )
    finally:
        report.done()
    report.diagnostics(config.spec, result.warnings)
    target = config.output / result.api.package
    where = shown(target)
    if args.check:
        diff, edited = diff_tree(result.files, target, result.keep)
        if diff:
            sys.stdout.write(diff)
            for path in edited:
                print(f"{shown(target / path)}: edited by hand since it was generated", file=sys.stderr)
            print(f"{where} is stale: regenerate it (the same command without --check)", file=sys.stderr)
            return EXIT_STALE
        report.say(f"{where} is up to date")
        return EXIT_OK
    before = recorded_api(target)
    report("write", 0, 0)
    written, unchanged, removed = write_tree(result.files, target, result.keep, discard_edits=args.discard_edits)
    write_cache(config.output, result.api.package, files=result.files, **result.cache)
    report.done()
    seconds = time.perf_counter() - started
    report.say(f"{where}: {written} written, {unchanged} unchanged, {removed} removed in {seconds:.2f}s")
    if before is not None:
        from .diff import compare, render_text, surface

        changes = compare(before, surface(result.api))
        if changes:
            report.say("API changes since the last generation:\n" + render_text(changes))
    return EXIT_OK


def _diff(args: argparse.Namespace) -> int:
    from .diff import compare, render_json, render_text, surface
    from .pipeline import load_and_build

    args.spec = args.old  # for the diagnostics of a broken document
    old, _ = load_and_build(args.old, lenient=args.lenient)
    args.spec = args.new
    new, _ = load_and_build(args.new, lenient=args.lenient)
    changes = compare(surface(old), surface(new))
    sys.stdout.write(render_json(changes) if args.format == "json" else render_text(changes))
    failing = {"breaking": any(c.kind == "breaking" for c in changes), "any": bool(changes), "none": False}
    return EXIT_STALE if failing[args.fail_on] else EXIT_OK


def _validate(args: argparse.Namespace) -> int:
    from .pipeline import load_and_build

    api, warnings = load_and_build(
        args.spec, lenient=args.lenient, allow_remote=args.allow_remote_refs, allow_outside=args.allow_outside_refs
    )
    _print_diagnostics(args.spec, warnings)
    operations = sum(len(g.operations) for g in api.groups)
    print(f"{args.spec}: valid OpenAPI; {operations} operations, {len(api.models)} models")
    return EXIT_OK


def _print_diagnostics(spec: Path, diagnostics: Sequence[Diagnostic]) -> None:
    """Each diagnostic in document order, named by its own document (`spec` for one made before
    any was read)."""
    for diagnostic in sorted(diagnostics):
        print(diagnostic.render(str(spec)), file=sys.stderr)
