"""Stage 6, format: generated Python files in black's style, with as little black as possible.

Contract: `format_files(files)` returns the same mapping with each `.py` source as black (pinned
major version, an explicit `Mode`, never the user's configuration) would format it. A template bug
that yields invalid Python in what black sees raises `InternalError` naming the file.

Black formats a few thousand lines a second, and a large document's client is 100k+ lines, so
black over everything would cost more than every other stage together. Instead the templates
write black's style themselves (quotes, blank lines, docstrings, exploded brackets with magic
trailing commas; `tests/test_black_style.py` proves it by running black over everything the
corpus generates), and black sees only what a template cannot lay out ahead of time: a statement
with a line over the limit, whose layout depends on the document's names and values.

Black sees only what it can change. A long line that no split of black's can shorten is left as
it is without asking black: an item of a split bracket that is a name, a string or a key and
one (black splits such a line only at its comma, and has no bracket to split at), and a
statement `name = value` or `return value` whose value is one name or string too long for a
line of its own (black would wrap it in parentheses only if it then fit).

What must go to black goes in batches: the statements (identical ones once) are written one
after another into a module, each at its own indentation under `if _:` lines and behind a marker
statement, so that black formats each at the width it has in its file, and the result is cut
apart at the markers. A batch black cannot read, or a result that does not cut apart as
expected, is done statement by statement; a statement black cannot read alone, or a file the
scanner cannot follow, goes to black whole.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from itertools import accumulate, compress, count, repeat
from operator import gt, mul
from typing import Any

from .errors import InternalError

LINE_LENGTH = 100
BATCH_LINES = 1500  # lines of statements a `format_str` call is given (black slows down on far larger modules)
PARALLEL_FROM = 6000  # lines of statements; below this, starting worker processes costs more than it saves


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

# What the scan must step over to count brackets: a string literal (a triple-quoted one may span
# lines, and one never closed runs to the end of the file) or a comment. Prefixes (`rb"`) need no
# matching: they change no string's extent. Written so that `re` finds the next quote or `#` at C
# speed (a leading lookahead, or a group within the alternatives, makes it try every position).
_LITERAL = re.compile(
    rb'("""[^"\\]*(?:(?:\\[\s\S]|\\\Z|"(?!""))[^"\\]*)*(?:"""|\Z)'
    rb"|'''[^'\\]*(?:(?:\\[\s\S]|\\\Z|'(?!''))[^'\\]*)*(?:'''|\Z)"
    rb'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
    rb"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'"
    rb"|\#[^\n]*)"
)
_QUOTED = b"\x01"  # begins, in the scan's bracket text, a line that starts inside a string
_BRACKETS = bytes.maketrans(b"[{]}", b"(())")  # the scan counts depth only, whatever the bracket
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"()[]{}\n" + _QUOTED)
_HEADER_NEEDS_CONTEXT = ("elif ", "else:", "except", "finally:", "case ")
Job = tuple[str, int, str]  # (statement as in its file, its indentation, its context: see `_CONTEXT`)


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
            yield (self.source, 0, "file")
            return
        lines = self.source.split("\n")
        for s in self.statements:
            yield ("\n".join(lines[s.first : s.last + 1]), s.indent, s.wrap)

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
                out.append(text)
                cursor = s.last + 1
            else:
                return "\n".join(out + lines[cursor:])
        job = (self.source, 0, "file")
        whole = results[job] if self.whole else _format_file(self.source)
        if whole is None:
            raise InternalError(f"generated invalid Python in {path}: {_syntax_error(self.source)}")
        return whole


def plan_formatting(source: str) -> _Plan:
    """Which statements of `source` black must see: those with a line over the limit that is
    code, not the inside of a docstring.

    Most lines of a large client are within the limit, and most of those that are not are items
    of split brackets that black cannot shorten; but which a line is depends on the brackets and
    strings before it. So the state of every line is worked out at once, by bytes and regex
    operations over the whole file (`_line_states`), and only the long lines are looked at one by
    one: a 12 MB client is planned in about a tenth of a second."""
    lines = source.split("\n")
    ascii = source.isascii()
    # A line that is not ASCII may be too long at more than half the limit (see `surely_fits`).
    candidates = compress(count(), map(gt, map(len, lines), repeat(LINE_LENGTH if ascii else LINE_LENGTH // 2)))
    long_lines = list(candidates) if ascii else [i for i in candidates if not surely_fits(lines[i])]
    if "'''" not in source:  # then a line that is one `"""` string is in no other string
        long_lines = [i for i in long_lines if not _one_string(lines[i])]
    if not long_lines:
        return _Plan(source, False, ())
    states = _line_states(source)
    if states is None:
        return _Plan(source, True, ())
    depth, quoted = states
    # A line starts a statement if it starts outside brackets and strings; the statement ends
    # before the next line that starts one.
    found: dict[int, int] = {}  # first line -> last line of each statement black must see
    last = -1
    walked, walked_start = 0, 0  # the last line whose statement's start was looked for, and that start
    for i in long_lines:
        if i <= last:
            continue  # in a statement already going to black
        line = lines[i]
        if depth[i] and not quoted[i] and _UNSPLITTABLE_ITEM.fullmatch(line) is not None:
            continue
        start = i
        while start > walked and (depth[start] or quoted[start]):
            start -= 1  # (never further back than the last search, whose answer holds beyond it)
        start = walked_start if start == walked else start
        walked, walked_start = i, start
        if _is_string_statement(lines[start]):
            continue
        if start == i and not depth[i + 1] and not quoted[i + 1] and _unshortenable_statement(line):
            continue
        last = i
        while depth[last + 1] or quoted[last + 1]:
            last += 1
        found[start] = last
    return _Plan(source, False, tuple(_statement(lines, first, end) for first, end in found.items()))


def _line_states(source: str) -> tuple[list[int], list[bool]] | None:
    """For each line, and for the end of the file: the depth of brackets at its start, and
    whether it starts inside a (triple-quoted) string. None if the scan cannot follow the file:
    a bracket closed that was never opened, or one left open, or a string, at its end.

    Literals and comments are replaced by the line breaks they hold (each followed by `_QUOTED`),
    everything but brackets is dropped, and the pairs opened and closed on one line are taken
    out, which leaves of each line `)))(((` at most: the change of depth it makes."""
    parts = _LITERAL.split(source.encode("utf-8", "surrogatepass"))
    if len(parts) > 1:
        end = parts[-2]
        if end[:3] in (b'"""', b"'''") and (len(end) < 6 or not end.endswith(end[:3])):
            return None  # a string never closed
    parts[1::2] = map(mul, repeat(b"\n" + _QUOTED), map(bytes.count, parts[1::2], repeat(b"\n")))
    # Part by part, so that the file is not copied once more whole.
    brackets = b"".join(map(bytes.translate, parts, repeat(_BRACKETS), repeat(_NOT_BRACKETS)))
    del parts
    balance = brackets.translate(None, b"\n" + _QUOTED)
    while b"()" in balance:
        balance = balance.replace(b"()", b"")
    if balance:
        return None  # `)))(((` is left: a bracket closed with none open, or brackets left open
    while b"()" in brackets:
        brackets = brackets.replace(b"()", b"")
    per_line = brackets.split(b"\n")
    change = {text: text.count(b"(") - text.count(b")") for text in set(per_line)}
    depth = [0, *accumulate(map(change.__getitem__, per_line))]
    quoted = [*map(bytes.startswith, per_line, repeat(_QUOTED)), False]
    return depth, quoted


def surely_fits(line: str) -> bool:
    """Whether black certainly finds `line` within the line length: a line that is not ASCII is
    taken at twice its length rather than measured, which can only send black more than it needs."""
    return len(line) <= LINE_LENGTH and (line.isascii() or 2 * len(line) <= LINE_LENGTH)


# A long line black cannot shorten, and leaves as it is.
#
# An item of a split bracket, with or without its comma, that is a string or a (dotted) name,
# perhaps behind a key (`name=`, `"key": `, `name: `) or `lambda: `. Black splits such a line at
# its delimiters of the highest priority, and the comma outranks every other: the split gives the
# same line back. Then it splits at the last bracket, and there is none. Operators (`|`, `+`, `if`,
# ...) or brackets would give black somewhere to split; a comment is not allowed either.
# Or the line that opens such a bracket, `key=Name(` (or a conditional's `else Name(`): black's
# split of an item at its one bracket leaves the line before the bracket as it is, however long.
_ATOM = r"""(?:[rRbBuU]?"(?:[^"\\\n]|\\.)*"|[rRbBuU]?'(?:[^'\\\n]|\\.)*'|[A-Za-z_]\w*)"""
_DOTTED = r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*"
_UNSPLITTABLE_ITEM = re.compile(
    rf"\s*(?:[A-Za-z_]\w*=|{_ATOM}: )?(?:lambda: )?(?:if |else )?(?:(?:{_ATOM}|{_DOTTED}),?|{_DOTTED}[(\[{{])"
)
# A statement of one line, `target = value`, `return value` or a value alone, whose value is one
# name or string: black can only wrap the value in parentheses, on a line of its own, and does so
# only if it fits there (`rhs` in black's linegen: a body that cannot be split and is still too
# long stops the split). A value of several tokens (`a.b`) would be wrapped anyway.
_UNSHORTENABLE_STATEMENT = re.compile(rf"(?P<indent> *)(?:return |{_DOTTED} = )?(?P<value>{_ATOM})")


def _unshortenable_statement(line: str) -> bool:
    match = _UNSHORTENABLE_STATEMENT.fullmatch(line)
    # Characters, not columns: a value that is too long in characters is so in black's columns.
    return match is not None and len(match["indent"]) + 4 + len(match["value"]) > LINE_LENGTH


def _one_string(line: str) -> bool:
    """Whether `line` is one triple-quoted string and nothing else: a one-line docstring, most
    of the long lines of a documented client. Black leaves it as it is wherever it stands (a
    statement, or an item of a split bracket), so it is set aside before the file is scanned."""
    text = line.strip()
    return len(text) >= 6 and text.startswith('"""') and text.endswith('"""') and '"""' not in text[3:-3]


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


# -- black ----------------------------------------------------------------------------------------

# What a statement that cannot stand alone is put in to be read: lines before it and after it
# (indented from the statement's indentation), none of them in what is kept of black's result.
_CONTEXT = {
    "": ((), ()),
    "header": ((), ("    pass",)),
    "decorator": ((), ("def _():", "    pass")),
    "branch": (("if _:", "    pass"), ("    pass",)),
}
_NEST = "if _:"


def _run_black(jobs: list[Job]) -> list[str | None]:
    """Black's layout of each job, in order; None for a statement black cannot read alone. The
    statements go in batches of about `BATCH_LINES` lines, in worker processes when there are
    many."""
    results: dict[int, str | None] = {}
    batches: list[list[int]] = []
    size = 0
    for index, (text, indent, wrap) in enumerate(jobs):
        if wrap == "file":
            results[index] = _format_file(text)
        elif indent % 4 or _FMT_COMMENT.search(text):
            # Only ever seen in a file of ours formatted by black: an indentation that is not
            # black's, or a `# fmt:` comment, which would act on the statements after it.
            results[index] = _format_batch([jobs[index]])[0]
        else:
            lines = text.count("\n") + 1
            if not batches or size + lines > BATCH_LINES:
                batches.append([])
                size = 0
            batches[-1].append(index)
            size += lines
    work = [[jobs[i] for i in batch] for batch in batches]
    workers = min(os.cpu_count() or 1, 8, len(work))
    if workers > 1 and sum(text.count("\n") + 1 for batch in work for text, _, _ in batch) >= PARALLEL_FROM:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            done = list(pool.map(_format_batch, work))
    else:
        done = [_format_batch(batch) for batch in work]
    for batch, formatted in zip(batches, done, strict=True):
        results.update(zip(batch, formatted, strict=True))
    return [results[i] for i in range(len(jobs))]


_FMT_COMMENT = re.compile(r"#\s*(?:fmt|yapf)\s*:")


def _format_batch(jobs: list[Job]) -> list[str | None]:
    """Black's layout of each statement of `jobs`, all formatted by one `format_str` call.

    The module given to black holds, for each statement in turn, a marker statement at the left
    margin, then `if _:` lines down to the statement's indentation, then the statement in its
    context (`_CONTEXT`). Black formats a statement at depth d with d levels of indentation
    counted in its line length, as in its file, and keeps the marker as it is (short, and at the
    left margin); blank lines it puts around the marker, the `if _:` lines and the context are
    dropped. A statement whose part of the result is not shaped as expected (which would be a
    misunderstanding of black's) is formatted alone, and a batch black cannot read is formatted
    statement by statement, so that the statement at fault is the only one without a result."""
    import black
    from black.parsing import InvalidInput

    marker = "_clientgen_cut"
    while any(marker in text for text, _, _ in jobs):
        marker += "_"
    parts: list[str] = []
    for text, indent, wrap in jobs:
        before, after = _CONTEXT[wrap]
        pad = " " * indent
        parts.append(f"{marker} = 0")
        parts += [" " * level + _NEST for level in range(0, indent, 4)]
        parts += [pad + line for line in before]
        parts.append(text)
        parts += [pad + line for line in after]
    try:
        out = black.format_str("\n".join(parts) + "\n", mode=black_mode()).split("\n")
    except InvalidInput:
        if len(jobs) == 1:
            return [None]
        return [result for job in jobs for result in _format_batch([job])]
    starts = [i for i, line in enumerate(out) if line == f"{marker} = 0"]
    if len(starts) != len(jobs):
        return [result for job in jobs for result in _format_batch([job])] if len(jobs) > 1 else [None]
    results: list[str | None] = []
    for job, begin, end in zip(jobs, starts, [*starts[1:], len(out)], strict=True):
        result = _cut(out[begin + 1 : end], job)
        if result is None and len(jobs) > 1:
            result = _format_batch([job])[0]
        results.append(result)
    return results


def _cut(part: list[str], job: Job) -> str | None:
    """The statement of `job` out of its part of black's result (see `_format_batch`); None if the
    part is not shaped as expected."""
    _, indent, wrap = job
    before, after = _CONTEXT[wrap]
    nest = [" " * level + _NEST for level in range(0, indent, 4)]
    lines = [line for line in part[: len(nest)]]
    if lines != nest:
        return None
    body = part[len(nest) :]
    while body and not body[0]:
        body.pop(0)
    while body and not body[-1]:
        body.pop()
    pad = " " * indent
    head = body[: len(before)]
    tail = body[len(body) - len(after) :] if after else []
    if head != [pad + line for line in before] or tail != [pad + line for line in after]:
        return None
    statement = body[len(before) : len(body) - len(after)]
    if not statement or not statement[0].startswith(pad) or not statement[-1].strip():
        return None
    return "\n".join(statement)


def _format_file(source: str) -> str | None:
    """Black's layout of a whole file; None if black cannot read it."""
    # black is imported here, not at the top: most runs never need it, and importing it is a good
    # part of a quick run's time.
    import black
    from black.parsing import InvalidInput

    try:
        return black.format_str(source, mode=black_mode())
    except InvalidInput:
        return None


def _syntax_error(source: str) -> str:
    try:
        compile(source, "<generated>", "exec", dont_inherit=True)
    except SyntaxError as exc:
        return f"line {exc.lineno}: {exc.msg}"
    return "black could not read it"


def format_source(path: str, source: str) -> str:
    """One file through black whole (what `format_files` must agree with)."""
    result = _format_file(source)
    if result is None:
        raise InternalError(f"generated invalid Python in {path}: {_syntax_error(source)}")
    return result


@functools.cache
def black_mode(line_length: int = LINE_LENGTH) -> Any:
    """The one black `Mode` of generated code; the user's configuration is never read."""
    from black.mode import Mode, TargetVersion

    return Mode(target_versions={TargetVersion.PY310}, line_length=line_length)
