"""Stage 6, format: generated Python files in black's style, with as little black as possible.

Contract: `format_files(files)` returns the same mapping with each `.py` source as black (pinned
major version, an explicit `Mode`, never the user's configuration) would format it. A template bug
that yields invalid Python in what black sees raises `InternalError` naming the file.

Black formats about a thousand lines a second, and a large document's client is 100k+ lines, so
black over everything would cost more than every other stage together. Instead the templates
write black's style themselves (quotes, blank lines, docstrings, exploded brackets with magic
trailing commas; `tests/test_black_style.py` proves it by running black over everything the
corpus generates), and black sees only what a template cannot lay out ahead of time: a statement
with a line over the limit, whose layout depends on the document's names and values. Each such
statement is formatted alone, dedented, at the line length its indentation leaves, which is how
black lays it out inside the file; identical statements are formatted once. A file the scanner
cannot follow goes to black whole.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from typing import Any

from .errors import InternalError

LINE_LENGTH = 100
PARALLEL_FROM = 400  # statements; below this, starting worker processes costs more than it saves


def format_files(
    files: dict[str, str],
    progress: Callable[[int, int], None] | None = None,
    reuse: Callable[[str, str], str | None] | None = None,
    preformatted: Collection[str] = (),
) -> dict[str, str]:
    """Every `.py` file in black's style; `progress(done, total)` is told as the files that need
    black are done (`total` counts only those). `reuse` may answer a file's formatted text without
    any work (see `write.formatted_before`); files in `preformatted` are already in black's style
    (the runtime, kept so by a test) and left as they are."""
    formatted: dict[str, str] = {}
    plans: dict[str, _Plan] = {}
    for path, source in files.items():
        if not path.endswith(".py"):
            continue
        known = source if path in preformatted else reuse(path, source) if reuse is not None else None
        if known is not None:
            formatted[path] = known
            continue
        plan = plan_formatting(source)
        if plan.whole or plan.statements:
            plans[path] = plan
        else:
            formatted[path] = source
    jobs = sorted({job for plan in plans.values() for job in plan.jobs()})
    results = dict(zip(jobs, _run_black(jobs), strict=True)) if jobs else {}
    for done, (path, plan) in enumerate(plans.items(), 1):
        formatted[path] = plan.apply(path, results)
        if progress is not None:
            progress(done, len(plans))
    return {path: formatted.get(path, source) for path, source in files.items()}


# -- what black must see --------------------------------------------------------------------------

# One token of a line of code, as far as brackets are concerned: a string literal (or the opening
# of a triple-quoted one), a comment, or a bracket.
_TOKEN = re.compile(
    r"""(?P<triple>[rRbBuUfF]{0,2}(?:\"\"\"|'''))"""
    r"""|[rRbBuUfF]{0,2}(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"""|(?P<comment>\#)|(?P<open>[(\[{])|(?P<close>[)\]}])"""
)
_TRIPLE_END = {
    q: re.compile(r"(?:[^\\" + q[0] + r"]|\\.|" + q[0] + r"(?!" + q[:2] + r"))*" + q) for q in ('"""', "'''")
}
_HEADER_NEEDS_CONTEXT = ("elif ", "else:", "except", "finally:", "case ")
Job = tuple[str, int, str]  # (dedented statement, line length, its context: see `_CONTEXT`)


@dataclass(frozen=True, slots=True)
class Statement:
    first: int  # line index
    last: int  # line index, inclusive
    indent: int
    wrap: str  # "" (a statement), "header" (ends with `:`), "decorator", "branch" (`elif` and kin)


@dataclass(frozen=True, slots=True)
class _Plan:
    source: str
    whole: bool  # the scanner could not follow the file: black formats all of it
    statements: tuple[Statement, ...]

    def jobs(self) -> Iterable[Job]:
        if self.whole:
            yield (self.source, LINE_LENGTH, "file")
            return
        lines = self.source.split("\n")
        for s in self.statements:
            yield (_dedent(lines[s.first : s.last + 1], s.indent), LINE_LENGTH - s.indent, s.wrap)

    def apply(self, path: str, results: dict[Job, str | None]) -> str:
        out: list[str] = []
        lines = self.source.split("\n")
        if not self.whole:
            cursor = 0
            for s, job in zip(self.statements, self.jobs(), strict=True):
                text = results[job]
                if text is None:  # black could not read the statement alone: format the file
                    break
                out += lines[cursor : s.first]
                out += [" " * s.indent + line if line else line for line in text.split("\n")]
                cursor = s.last + 1
            else:
                return "\n".join(out + lines[cursor:])
        job = (self.source, LINE_LENGTH, "file")
        whole = results[job] if self.whole else _format_one(job)
        if whole is None:
            raise InternalError(f"generated invalid Python in {path}: {_syntax_error(self.source)}")
        return whole


def plan_formatting(source: str) -> _Plan:
    """Which statements of `source` black must see: those with a line over the limit that is
    code, not the inside of a docstring."""
    lines = source.split("\n")
    if all(map(surely_fits, lines)):
        return _Plan(source, False, ())
    statements: list[Statement] = []
    depth = 0
    quote = ""  # the closing quotes of the triple-quoted string the scan is inside, if any
    start = 0
    long_code = False
    for i, line in enumerate(lines):
        if depth == 0 and not quote:
            start, long_code = i, False
        inside = depth > 0 and not quote  # an item of a bracket already split one item a line
        pos = 0
        while True:
            if quote:
                end = _TRIPLE_END[quote].match(line, pos)
                if end is None:
                    break  # the string goes on to the next line
                quote, pos = "", end.end()
            token = _TOKEN.search(line, pos)
            if token is None or token.group("comment"):
                break
            pos = token.end()
            if token.group("triple"):
                quote = token.group("triple")[-3:]
            elif token.group("open"):
                depth += 1
            elif token.group("close"):
                depth -= 1
                if depth < 0:
                    return _Plan(source, True, ())
        if not (
            surely_fits(line)
            or _is_string_statement(lines[start])
            or (inside and _UNSPLITTABLE_ITEM.fullmatch(line) is not None)
        ):
            long_code = True
        if depth == 0 and not quote and long_code:
            statements.append(_statement(lines, start, i))
            long_code = False
    if depth or quote:
        return _Plan(source, True, ())
    return _Plan(source, False, tuple(statements))


def surely_fits(line: str) -> bool:
    """Whether black certainly finds `line` within the line length: a line that is not ASCII is
    taken at twice its length rather than measured, which can only send black more than it needs."""
    return len(line) <= LINE_LENGTH and (line.isascii() or 2 * len(line) <= LINE_LENGTH)


# An item of a split bracket that black has nowhere to split: a string or name, or a key and one.
_ATOM = r"""(?:[rRbBuU]?"(?:[^"\\\n]|\\.)*"|[rRbBuU]?'(?:[^'\\\n]|\\.)*'|[A-Za-z_]\w*)"""
_UNSPLITTABLE_ITEM = re.compile(rf"\s*{_ATOM}(?:: {_ATOM})?,")


def _is_string_statement(first_line: str) -> bool:
    """A docstring (the only statements the templates write that are a string alone): black
    leaves its long lines as they are."""
    return first_line.lstrip().startswith(('"""', "'''"))


def _statement(lines: list[str], first: int, last: int) -> Statement:
    head = lines[first].lstrip()
    indent = len(lines[first]) - len(head)
    if head.startswith("@"):
        wrap = "decorator"
    elif lines[last].rstrip().endswith(":"):
        wrap = "branch" if head.startswith(_HEADER_NEEDS_CONTEXT) else "header"
    else:
        wrap = ""
    return Statement(first, last, indent, wrap)


def _dedent(lines: list[str], indent: int) -> str:
    return "\n".join(line[indent:] for line in lines)


# -- black ----------------------------------------------------------------------------------------

# What a statement that cannot stand alone is put in to be read, and how many lines of the result
# that context takes before and after it.
_CONTEXT = {
    "": ("", "", 0, 0),
    "header": ("", "\n    pass", 0, 1),
    "decorator": ("", "\ndef _():\n    pass", 0, 2),
    "branch": ("if _:\n    pass\n", "\n    pass", 2, 1),
}


def _run_black(jobs: list[Job]) -> list[str | None]:
    workers = min(os.cpu_count() or 1, 8)
    if len(jobs) >= PARALLEL_FROM and workers > 1:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            return list(pool.map(_format_one, jobs, chunksize=max(1, len(jobs) // (workers * 4))))
    return [_format_one(job) for job in jobs]


def _format_one(job: Job) -> str | None:
    """Black's layout of one statement (or, for "file", of a whole file); None if black cannot
    read it."""
    # black is imported here, not at the top: most runs never need it, and importing it is a good
    # part of a quick run's time.
    import black
    from black.parsing import InvalidInput

    text, width, wrap = job
    if wrap == "file":
        try:
            return black.format_str(text, mode=black_mode(width))
        except InvalidInput:
            return None
    before, after, skip_head, skip_tail = _CONTEXT[wrap]
    try:
        out = black.format_str(before + text + after + "\n", mode=black_mode(width)).split("\n")[:-1]
    except InvalidInput:
        return None
    return "\n".join(out[skip_head : len(out) - skip_tail])


def _syntax_error(source: str) -> str:
    try:
        compile(source, "<generated>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        return f"line {exc.lineno}: {exc.msg}"
    return "black could not read it"


def format_source(path: str, source: str) -> str:
    """One file through black whole (what `format_files` must agree with)."""
    result = _format_one((source, LINE_LENGTH, "file"))
    if result is None:
        raise InternalError(f"generated invalid Python in {path}: {_syntax_error(source)}")
    return result


@functools.cache
def black_mode(line_length: int = LINE_LENGTH) -> Any:
    """The one black `Mode` of generated code; the user's configuration is never read."""
    from black.mode import Mode, TargetVersion

    return Mode(target_versions={TargetVersion.PY310}, line_length=line_length)
