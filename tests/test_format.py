"""The format stage against black itself: what it leaves out of black, and how it batches the rest.

Every case here is checked against `black.format_str` over the whole source, never against a
transcription of what black does: a line the stage claims black cannot shorten must come back
unchanged from black, a near miss must come back changed, and whatever the stage does in batches
must be what black makes of each file whole.
"""

from __future__ import annotations

import random
import re

import black
import pytest

from generator import format as fmt
from generator.format import BATCH_LINES, LINE_LENGTH, format_files, plan_formatting
from generator.errors import InternalError

NAME = "a_name_long_enough_to_push_a_line_past_the_limit_on_its_own_" + "x" * 30  # 90 characters
TYPE = "ALongSchemaNameFromADocumentWhoseNamesAreLongerThanMostPeopleWouldEverWriteByHand" + "X" * 10


def _black(source: str) -> str:
    return black.format_str(source, mode=fmt.black_mode())


def _nested(lines: list[str], depth: int) -> str:
    """`lines` as the body of `depth` nested blocks (a class, then functions)."""
    head = ["class A:"] + [" " * (4 * level) + f"def f{level}(self):" for level in range(1, depth)]
    pad = " " * (4 * depth)
    return "\n".join(head[:depth] + [pad + line if line else line for line in lines]) + "\n"


# Lines black cannot shorten, each as an item of a split bracket or as a statement of its own.
UNSHORTENABLE = {
    "keyword argument": ["x = f(", f"    {NAME}={NAME},", "    b=1,", ")"],
    "keyword argument, dotted value": ["x = f(", f"    {NAME}=self.{NAME}.value,", ")"],
    "keyword argument, lambda": ["x = Rule(", f"    model=lambda: {TYPE}._RULE,", ")"],
    "dictionary item": ["x = {", f'    "{NAME}": {NAME},', '    "b": 1,', "}"],
    "string item": ["x = [", f'    "{NAME} (a string with (brackets] in it)",', "]"],
    "parameter": ["def g(", "    self,", f"    {NAME}: {TYPE},", ") -> None:", "    pass"],
    "dotted item": ["x = (", f"    {TYPE}.{NAME},", "    None,", ")"],
    "assignment of a name": [f"x = {NAME}{NAME[:12]}"],
    "attribute assignment of a string": [f'self.value = "{NAME} and a little more"'],
    "return of a name": [f"return {TYPE}{TYPE[:10]}"],
}


@pytest.mark.parametrize("depth", [0, 1, 3])
@pytest.mark.parametrize("case", sorted(UNSHORTENABLE))
def test_what_black_cannot_shorten_is_left_out_of_black(case: str, depth: int) -> None:
    lines = UNSHORTENABLE[case]
    if lines[0].startswith("return") and depth == 0:
        lines = ["def g():", "    " + lines[0]]
    source = _nested(lines, depth)
    assert any(len(line) > LINE_LENGTH for line in source.split("\n")), "the case must have a long line"
    assert plan_formatting(source).statements == ()
    assert _black(source) == source


# Near misses: each has a long line the recogniser must not take for unshortenable, because
# black does change it.
SHORTENABLE = {
    "value that fits on a line of its own": [f"self.a_long_target_name = {NAME[:80]}"],
    "dotted value": [f"x = self.{NAME}{NAME[:10]}"],
    "annotated assignment": [f"x: int = {NAME}{NAME[:10]}"],
    "chained assignment": [f"x = y = {NAME}{NAME[:10]}"],
    "subscript target": [f'data["{NAME}"] = None'],
    "item with a union": ["def g(", f"    {NAME}: {TYPE} | None,", ") -> None:", "    pass"],
    "item with a conditional": ["x = f(", f"    {NAME}={NAME} if a else b,", ")"],
    "item with a call": ["x = f(", f"    {NAME}={TYPE}(value),", ")"],
    "item with an operator": ["x = [", f"    {NAME} + {NAME},", "]"],
    "two items on a line": ["x = f(", f"    {NAME}, {NAME},", ")"],
}


@pytest.mark.parametrize("depth", [0, 2])
@pytest.mark.parametrize("case", sorted(SHORTENABLE))
def test_what_black_can_shorten_goes_to_black(case: str, depth: int) -> None:
    source = _nested(SHORTENABLE[case], depth)
    assert any(len(line) > LINE_LENGTH for line in source.split("\n")), "the case must have a long line"
    assert plan_formatting(source).statements != ()
    expected = _black(source)
    assert expected != source
    assert format_files({"a.py": source})["a.py"] == expected


def _long_call(name: str, count: int) -> str:
    return f"{name}(" + ", ".join(f"argument_number_{i}" for i in range(count)) + ")"


# A file of every kind of statement the batches put one after another, at several depths.
NASTY = f'''"""A module."""

import os

CONSTANT = {_long_call("f", 8)}


@decorator({", ".join(f"option_{i}=True" for i in range(9))})
class A(Base):
    """A class."""

    x = {_long_call("g", 8)}  # a comment after the statement

    def method(self, {", ".join(f"parameter_{i}: int" for i in range(7))}) -> None:
        """A method."""
        # a comment before the statement, which stays where it is
        y = {_long_call("h", 8)}
        if y:
            z = ["a string with ( and [ and {{ in it", "_clientgen_cut = 0", {_long_call("k", 5)}]
        elif {" and ".join(f"condition_{i}" for i in range(9))}:
            pass
        else:
            text = """a multi-line string
that runs at the left margin ( and opens a bracket it never closes
{"w" * 120}
""".format({_long_call("m", 8)})

        def inner({", ".join(f"parameter_{i}" for i in range(12))}):
            return {_long_call("f", 8)}

        @staticmethod
        @decorator({", ".join(f"option_{i}=True" for i in range(9))})
        def decorated():
            x = {_long_call("g", 8)}
            return x

    CONSTANT = {_long_call("f", 8)}


def function():
    try:
        x = {_long_call("g", 8)}
    except ({", ".join(f"Error{i}" for i in range(10))}):
        return {_long_call("f", 8)}
    finally:
        x = [{_long_call("n", 3)}, {_long_call("n", 3)}]  # fmt: skip
    x = [
        # fmt: off
        1,2,3,
        # fmt: on
        {_long_call("p", 7)},
    ]
'''


def test_batches_give_what_black_makes_of_each_file(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    format_str = black.format_str

    def counting(source: str, *, mode: black.Mode) -> str:
        calls.append(source)
        return format_str(source, mode=mode)

    monkeypatch.setattr(black, "format_str", counting)
    files = {"a.py": NASTY, "b.py": NASTY.replace("class A", "class B"), "c.txt": "not Python"}
    plans = [plan_formatting(source) for source in (files["a.py"], files["b.py"])]
    statements = sum(len(plan.statements) for plan in plans)
    assert statements >= 15 and not any(plan.whole for plan in plans)
    result = format_files(files)
    for name in ("a.py", "b.py"):
        assert result[name] == format_str(files[name], mode=fmt.black_mode()), name
    assert result["c.txt"] == "not Python"
    # One call for all the statements both files share, one for each of the two statements with a
    # `# fmt:` comment, which black would apply to the statements after them: never one a statement.
    assert len(calls) == 3, [call[:200] for call in calls]


def test_statements_go_in_batches_of_a_bounded_size(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    format_str = black.format_str

    def counting(source: str, *, mode: black.Mode) -> str:
        calls.append(source)
        return format_str(source, mode=mode)

    monkeypatch.setattr(black, "format_str", counting)
    monkeypatch.setattr(fmt, "BATCH_LINES", 20)
    statement = "    x{} = " + _long_call("f", 12)
    source = "class A:\n" + "\n".join(statement.format(i) for i in range(50)) + "\n"
    assert format_files({"a.py": source})["a.py"] == format_str(source, mode=fmt.black_mode())
    assert len(calls) == 3  # 50 statements of 1 line, 20 a batch
    assert BATCH_LINES >= 100


def test_a_statement_black_cannot_read_leaves_the_others_of_its_batch_alone() -> None:
    good = "def f():\n    return " + _long_call("g", 12) + "\n"
    bad = "def g():\n    y = " + "1 + " * 30 + "(\n"  # unclosed: the whole file goes to black, which fails
    files = {"good.py": good, "bad.py": "x = 1\n" + "y = f(" + ", ".join(["a"] * 40) + "))\n"}
    with pytest.raises(InternalError, match=r"generated invalid Python in bad\.py"):
        format_files(files)
    assert format_files({"good.py": good})["good.py"] == _black(good)
    assert plan_formatting(bad).whole
    # Both kinds of statement in one batch: the readable one keeps its result.
    readable = (good.split("\n")[1], 4, "")
    unreadable = ("    y = f(" + ", ".join(["a"] * 40) + "))", 4, "")
    assert fmt._format_batch([unreadable, readable]) == [None, _black(good).split("\n", 1)[1].rstrip("\n")]


# -- the scan, against a plain one ------------------------------------------------------------------

# The statements a scan line by line, token by token, finds: what `plan_formatting` must find too,
# however it works the lines' states out.
_REFERENCE_TOKEN = re.compile(
    r"""(?P<triple>[rRbBuUfF]{0,2}(?:\"\"\"|'''))"""
    r"""|[rRbBuUfF]{0,2}(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"""|(?P<comment>\#)|(?P<open>[(\[{])|(?P<close>[)\]}])"""
)
_REFERENCE_END = {
    q: re.compile(r"(?:[^\\" + q[0] + r"]|\\.|" + q[0] + r"(?!" + q[:2] + r"))*" + q) for q in ('"""', "'''")
}


def _reference_plan(source: str) -> tuple[bool, list[tuple[int, int]]]:
    lines = source.split("\n")
    statements: list[tuple[int, int]] = []
    depth, quote, start, long_code = 0, "", 0, False
    for i, line in enumerate(lines):
        if depth == 0 and not quote:
            start, long_code = i, False
        inside = depth > 0 and not quote
        pos = 0
        while True:
            if quote:
                end = _REFERENCE_END[quote].match(line, pos)
                if end is None:
                    break
                quote, pos = "", end.end()
            token = _REFERENCE_TOKEN.search(line, pos)
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
                    return True, []
        if not (
            fmt.surely_fits(line)
            or fmt._is_string_statement(lines[start])
            or (inside and fmt._UNSPLITTABLE_ITEM.fullmatch(line) is not None)
            or (start == i and depth == 0 and not quote and fmt._unshortenable_statement(line))
        ):
            long_code = True
        if depth == 0 and not quote and long_code:
            statements.append((start, i))
            long_code = False
    return bool(depth or quote), [] if depth or quote else statements


_LONG = "a_name_long_enough_to_push_a_line_past_the_limit_" + "x" * 50
# Pieces of lines, chosen for what a scan can get wrong: brackets in strings and comments, quotes
# of one kind in strings of the other, escapes (of quotes, of backslashes, of line ends), triple
# quotes that close early or late, prefixes, lines over the limit inside and outside all of these,
# and text that is not ASCII.
_PIECES = (
    "x = f(", ")", "[", "]", "{", "}", "(", ", ", f"{_LONG}=", f"{_LONG},", f"{_LONG}(", "return ",
    '"("', "')'", '"\'"', "'\"'", '"\\""', "'\\''", '"\\\\"', "'a\\\\'", '"""', "'''", '""', "''",
    '"""x"""', "'''y'''", '"""a "quoted" b"""', '""""', "\\", "\\\n", "# a ( comment ' \"", "#",
    'rb"(\\"', "f'{x}('", "\n", "\n", "\n", "\n    ", "\n        ", "字" * 30, '"' + "字" * 40 + '"',
    f'"{_LONG}"', f"    {_LONG} = {_LONG}", "if x:", "else:", "@d(", "lambda: ",
)  # fmt: skip


_ATOMS = (
    '"("', "')'", '"\'"', "'\"'", '"\\""', "'\\''", '"\\\\"', '""', '"""x"""', '"""a "quoted" b"""', _LONG,
    f"{_LONG}={_LONG}", f'"{_LONG}"', '"""a docstring ( with\nlines ] of its own\n    """', "lambda: x",
    'rb"(\\\\"', "f'{x}('", '"' + "字" * 40 + '"', f"{_LONG}.{_LONG}", "'''it's'''", "x ",
)  # fmt: skip
_BREAKS = (", ", ",\n    ", ",\n", "\n        ", " # a comment )\n    ")


def _balanced(rng: random.Random, depth: int = 0) -> str:
    """Nested brackets (as a template writes them, mostly) around the pieces."""
    if depth > 4 or rng.random() < 0.3:
        return rng.choice(_ATOMS)
    open, close = rng.choice(("()", "[]", "{}"))
    items = [_balanced(rng, depth + 1) for _ in range(rng.randint(1, 4))]
    return rng.choice(("x = ", "f", f"    {_LONG} = ", "")) + open + rng.choice(_BREAKS).join(items) + close


@pytest.mark.parametrize("seed", range(40))
def test_the_scan_finds_what_a_scan_line_by_line_finds(seed: int) -> None:
    rng = random.Random(seed)
    for n in range(30):
        if n % 2:
            source = "".join(rng.choice(_PIECES) for _ in range(rng.randint(1, 60)))
        else:
            source = "\n".join(_balanced(rng) for _ in range(rng.randint(1, 8)))
        plan = plan_formatting(source)
        whole, statements = _reference_plan(source)
        if not any(not fmt.surely_fits(line) for line in source.split("\n")):
            assert not plan.whole and plan.statements == (), source
            continue
        assert plan.whole == whole, source
        assert [(s.first, s.last) for s in plan.statements] == statements, source


def test_the_scan_follows_generated_code() -> None:
    source = NASTY + "\n".join(f"    {_LONG}_{i} = {_long_call('f', 9)}" for i in range(3)) + "\n"
    source = "class B:\n" + "\n".join("    " + line if line else line for line in source.split("\n"))
    whole, statements = _reference_plan(source)
    plan = plan_formatting(source)
    assert not whole and len(statements) > 15
    assert not plan.whole and [(s.first, s.last) for s in plan.statements] == statements


def test_one_line_docstrings_are_set_aside_before_the_scan(monkeypatch: pytest.MonkeyPatch) -> None:
    """A file whose only long lines are one-line docstrings is not scanned (black leaves them),
    and what black is given is what the full scan gives; a `'''` string anywhere, inside which
    a `\"\"\"` line would be text, brings the scan back."""
    doc = '"""' + " ".join(["word"] * 30) + '"""'
    source = f"class A:\n    {doc}\n\n    x: int = 1\n    {doc}\n\n\ndef f(\n    a: int,\n) -> None:\n    {doc}\n"
    scanned: list[str] = []
    real = fmt._line_states

    def watched(text: str) -> tuple[list[int], list[bool]] | None:
        scanned.append(text)
        return real(text)

    monkeypatch.setattr(fmt, "_line_states", watched)

    assert plan_formatting(source).statements == ()
    assert scanned == []
    assert black.format_str(source, mode=fmt.black_mode()) == source

    other = source + "\nY = '''\n" + doc + "\n'''\n"
    plan_formatting(other)
    assert scanned == [other]
