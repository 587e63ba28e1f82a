"""Layout: where the lines the templates write break, decided as black would decide it.

Contract: `layout(construct, indent)` gives the lines of a construct (a call, a collection, a
conditional expression, an annotated name, a `def` header) written at `indent` spaces, in black's
style: on one line if it fits within `LINE_LENGTH`, else split where black splits it, so that the
format stage finds nothing to change. Where black would have to split somewhere the model does not
know (a long name, an operator), the line is left whole and too long: the format stage sends that
statement to black.

The constructs are a small typed model of what the generator writes, nothing more. Each says how
it breaks when it must:

- `Call` and `Collection`: a bracket. `explode` brackets go one item a line, each with a magic
  trailing comma, as soon as they do not fit (black keeps them so, and the generator writes
  `Rule(...)` literals and signatures that way); the others are split as black splits a line that
  ends with a bracket (its right-hand split): the contents on one line of their own if they fit
  there (a literal of several items excepted), else one item a line.
- `Keyed`: an item with something before it (`name=`, `"key": `, `lambda: `), laid out as its value.
- `Conditional`: `value if cond else other`, in parentheses when it does not fit, then one part a
  line; a value that is itself a conditional keeps its own parentheses.
- `Annotated`: `name: type = default` (a field or a parameter); a type too long goes in
  parentheses, or one member of its union a line, or, a lone subscript, has its brackets split.
- `Def`: a `def` header, its parameters `Annotated` or text.

Text given to `layout` (a `str`) is an expression line in the generator's own dialect; it is read
as a bracket split would read it (`hug`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeAlias

from .format import LINE_LENGTH


@dataclass(frozen=True, slots=True)
class Call:
    """`callee(args...)trailer`, e.g. `Rule(max_length=5)` or `Pet(name=name).to_dict()`."""

    callee: str
    args: tuple[Expr, ...]
    trailer: str = ""  # what follows the closing bracket
    explode: bool = False  # split one argument a line, with magic trailing commas


@dataclass(frozen=True, slots=True)
class Collection:
    """A literal: `(a, b)`, `[a]`, `{k: v}`; a tuple of one item keeps its comma."""

    open: str
    items: tuple[Expr, ...]
    close: str
    explode: bool = False

    @property
    def one_tuple(self) -> bool:
        return self.open == "(" and len(self.items) == 1


@dataclass(frozen=True, slots=True)
class Keyed:
    """An item with a key before it: `name=value`, `"wire": value`, `lambda: value`."""

    key: str
    value: Expr


@dataclass(frozen=True, slots=True)
class Conditional:
    """`value if cond else other`; with `parens`, in parentheses of its own, which black keeps (an
    argument `name=(None if v is None else f(v))`) and splits as it splits the others."""

    value: Expr
    cond: str
    other: Expr
    parens: bool = False


Expr: TypeAlias = "str | Call | Collection | Keyed | Conditional"


@dataclass(frozen=True, slots=True)
class Annotated:
    """`name: type = default` (or `name = default`, without a type), a statement of a class
    (`statement`) or a parameter of a `def`. A statement with a default too long for its line has
    the default in parentheses on a line of its own, if it fits there."""

    name: str
    type: str | None
    default: str | None = None
    statement: bool = False

    @property
    def text(self) -> str:
        typed = self.name if self.type is None else f"{self.name}: {self.type}"
        return typed if self.default is None else f"{typed} = {self.default}"


@dataclass(frozen=True, slots=True)
class Def:
    """A `def` header: `prefix name(params) -> returns:`. An `explode` header has one parameter
    a line (with magic trailing commas) whenever it does not fit, or `always`; otherwise its
    parameters go on one line of their own, as black puts them (one alone gets a comma)."""

    name: str
    params: tuple[Annotated | str, ...]
    returns: str
    prefix: str = "def "
    explode: bool = True
    always: bool = False


@dataclass(frozen=True, slots=True)
class Assign:
    """`target = value`, a statement. Black holds the value in invisible parentheses; with a
    subscript for target (`data["wire"]`) it splits at a bracket that ends the value if the line
    up to that bracket fits, else makes the parentheses visible, the value on a line of its own;
    a target too long for `target = (` has its subscript split first."""

    target: str
    value: Expr


@dataclass(frozen=True, slots=True)
class Return:
    """`return value`, a statement: its value is held in invisible parentheses, as an `Assign`'s."""

    value: Expr


Construct: TypeAlias = "Expr | Annotated | Def | Assign | Return"


def layout(construct: Construct, indent: int = 0, lead: str = "", tail: str = "") -> str:
    """The lines of `lead`, the construct and `tail`, to be written at `indent`: the lines after
    the first are indented, the first is not (the template indents it, as in the file)."""
    if isinstance(construct, str):
        return hug(lead + construct + tail, indent)
    if isinstance(construct, Def):
        lines = _def_lines(construct, " " * indent)
    elif isinstance(construct, Annotated):
        lines = _annotated_lines(construct, indent, lead, tail)
    elif isinstance(construct, Assign):
        lines = _assign_lines(construct, indent) or [" " * indent + flat(construct)]
    elif isinstance(construct, Return):
        lines = _value_lines("return ", construct.value, indent) or [" " * indent + flat(construct)]
    else:
        lines = _lines(construct, indent, lead, tail) or [" " * indent + lead + flat(construct) + tail]
    return "\n".join(lines)[indent:]


def flat(e: Construct) -> str:
    """The construct on one line."""
    if isinstance(e, str):
        return e
    if isinstance(e, Keyed):
        return e.key + flat(e.value)
    if isinstance(e, Conditional):
        return f"({_bare(e)})" if e.parens else _bare(e)
    if isinstance(e, Call):
        return f"{e.callee}({', '.join(map(flat, e.args))}){e.trailer}"
    if isinstance(e, Collection):
        return e.open + ", ".join(map(flat, e.items)) + ("," if e.one_tuple else "") + e.close
    if isinstance(e, Annotated):
        return e.text
    if isinstance(e, Assign):
        return f"{e.target} = {flat(e.value)}"
    if isinstance(e, Return):
        return f"return {flat(e.value)}"
    params = ", ".join(p if isinstance(p, str) else p.text for p in e.params)
    return f"{e.prefix}{e.name}({params}) -> {e.returns}:"


def _bare(e: Conditional) -> str:
    """A conditional on one line, without parentheses of its own."""
    value = f"({_bare(e.value)})" if isinstance(e.value, Conditional) else flat(e.value)
    return f"{value} if {e.cond} else {flat(e.other)}"


def _lines(e: Expr, indent: int, lead: str, tail: str) -> list[str] | None:
    """The lines of an expression; None where only black knows."""
    pad = " " * indent
    one = lead + flat(e) + tail
    if fits(one, indent):
        return [pad + one]
    if isinstance(e, Keyed):
        return _lines(e.value, indent, lead + e.key, tail)
    if isinstance(e, Conditional):
        return _conditional_lines(e, indent, lead, tail)
    if isinstance(e, str):
        split = _split(one, indent)
        return None if split is None else [pad + split]
    if isinstance(e, Call):
        head, items, close = lead + e.callee + "(", e.args, ")" + e.trailer + tail
    else:
        head, items, close = lead + e.open, e.items, e.close + tail
    if e.explode:
        exploded = [_lines(item, indent + 4, "", ",") for item in items]
        if any(part is None for part in exploded):
            return None
        return [pad + head, *(line for part in exploded for line in part or ()), pad + close]
    if not fits(head, indent):
        return None
    body = ", ".join(map(flat, items)) + ("," if isinstance(e, Collection) and e.one_tuple else "")
    if fits(body, indent + 4) and not (isinstance(e, Collection) and len(items) > 1):
        return [pad + head, f"{pad}    {body}", pad + close]
    if len(items) == 1 and not (isinstance(e, Collection) and e.one_tuple):
        # One item, too long for a line of its own: split it in turn (no comma is added after it).
        if isinstance(items[0], str) and not _has_bracket(items[0]):
            return [pad + head, f"{pad}    {body}", pad + close]  # a long name: black leaves it so
        inner = _lines(items[0], indent + 4, "", "")
        if inner is None or inner == [f"{pad}    {body}"]:
            return None
        return [pad + head, *inner, pad + close]
    exploded = [_lines(item, indent + 4, "", ",") for item in items]
    if any(part is None for part in exploded):
        return None
    return [pad + head, *(line for part in exploded for line in part or ()), pad + close]


def _conditional_lines(e: Conditional, indent: int, lead: str, tail: str) -> list[str]:
    """In parentheses: on one line inside them if it fits there, else a part a line; a value
    that is itself a conditional (`None if x is None else f(x)`) laid out the same way."""
    pad, inner = " " * indent, " " * (indent + 4)
    expression = _bare(e)
    if fits(expression, indent + 4):
        return [f"{pad}{lead}(", inner + expression, f"{pad}){tail}"]
    other = [
        *_condition_lines(e.cond, indent + 4),
        inner + hug("else " + flat(e.other), indent + 4, True),
        f"{pad}){tail}",
    ]
    value = e.value
    if isinstance(value, Conditional) and not fits(f"({_bare(value)})", indent + 4):
        deeper = " " * (indent + 8)
        if fits(_bare(value), indent + 8):
            guarded = [deeper + _bare(value)]
        else:
            guarded = [
                deeper + flat(value.value),
                *_condition_lines(value.cond, indent + 8),
                deeper + hug("else " + flat(value.other), indent + 8, inside=True),
            ]
        return [f"{pad}{lead}(", f"{inner}(", *guarded, f"{inner})", *other]
    text = f"({_bare(value)})" if isinstance(value, Conditional) else flat(value)
    return [f"{pad}{lead}(", inner + hug(text, indent + 4, inside=True), *other]


def _condition_lines(cond: str, indent: int) -> list[str]:
    """`if cond`, a part of a conditional split one part a line: too long, a comparison of one
    operator is split before it (black's split at its delimiter), and its left side in turn."""
    pad = " " * indent
    comparison = _COMPARISON.fullmatch(cond)
    if fits("if " + cond, indent) or comparison is None:
        return [f"{pad}if {cond}"]
    return [
        pad + hug("if " + comparison["left"], indent, inside=True),
        f"{pad}{comparison['op']} {comparison['right']}",
    ]


# A comparison of one operator whose sides are a name, a string or a subscript of a name by one.
_COMPARISON = re.compile(
    r"""(?P<left>"(?:[^"\\]|\\.)*"|[\w.]+(?:\["(?:[^"\\]|\\.)*"\])?) (?P<op>is|in) (?P<right>[\w.]+)"""
)


def _assign_lines(a: Assign, indent: int) -> list[str] | None:
    """The lines of an assignment; None where only black knows."""
    pad = " " * indent
    lead = a.target + " = "
    if fits(lead + flat(a.value), indent):
        return [pad + lead + flat(a.value)]
    subscript = _SUBSCRIPT.fullmatch(a.target)
    if subscript is None:
        if ": " in a.target and not fits(lead + "(", indent):
            return _annotation_first_lines(a, indent)
        return _value_lines(lead, a.value, indent)
    if not fits(lead + "(", indent):
        # The target is split first, at its subscript (black's right-hand split of the line up to
        # the value's opening parenthesis), and the value follows its closing bracket.
        target = [f"{pad}{subscript['name']}[", f"{pad}    {subscript['key']}"]
        if isinstance(a.value, Conditional):
            one = f"] = ({_bare(a.value)})"  # black keeps the parentheses it made visible
            return target + ([pad + one] if fits(one, indent) else _conditional_lines(a.value, indent, "] = ", ""))
        # `] = value` is split as `_ = value` would be (a bracket split of the value), then written.
        rest = _split("_ = " + flat(a.value), indent)
        return None if rest is None or not fits(rest.split("\n", 1)[0], indent) else target + [f"{pad}]{rest[1:]}"]
    if isinstance(a.value, Conditional):
        return _conditional_lines(a.value, indent, lead, "")
    text = flat(a.value)
    bracket = _last_bracket(text)
    if bracket is not None and bracket[1] == len(text) - 1 and bracket[1] > bracket[0] + 1:
        if _has_bracket(text[: bracket[0]]):
            return None
        if fits(lead + text[: bracket[0] + 1], indent):
            # The value ends with a bracket and the line up to it fits: split there.
            split = _split(lead + text, indent)
            return None if split is None else [pad + split]
    # The parentheses stay, the value on a line of its own (split in turn if need be).
    body = _split(text, indent + 4, inside=True)
    return None if body is None else [pad + lead + "(", f"{pad}    {body}", pad + ")"]


def _annotation_first_lines(a: Assign, indent: int) -> list[str] | None:
    """`name: type = value` whose line is too long even up to `= (`: black splits the type first,
    in parentheses, one member of its union a line, then the value after `) = ` as a value
    whose line starts there. None where black may split otherwise (a type that is not a union)."""
    pad = " " * indent
    name, _, type = a.target.partition(": ")
    if not _NAME.fullmatch(name) or len(union_members(type)) < 2:
        return None
    members = _union_lines(type, indent + 4)
    rest = _split("_ = " + flat(a.value), indent)
    if members is None or rest is None or not fits(rest.split("\n", 1)[0], indent):
        return None
    return [f"{pad}{name}: (", *members, f"{pad}){rest[1:]}"]


def _value_lines(lead: str, value: Expr, indent: int) -> list[str] | None:
    """`lead` (`name = `, `return `) and a value black holds in invisible parentheses: split at
    the value's own bracket if the line up to it fits; else the parentheses made visible, the value
    on a line of its own, split in turn if it does not fit there. None where only black knows."""
    if isinstance(value, str) and _NAME.fullmatch(value):
        # A lone name: black makes the parentheses visible if the name then fits on its line
        # (however long the line before it), and leaves the statement as it is if it does not.
        pad = " " * indent
        if fits(lead + value, indent) or not fits(value, indent + 4):
            return [pad + lead + value]
        return [pad + lead + "(", f"{pad}    {value}", pad + ")"]
    split = _lines(value, indent, lead, "")
    if split is not None or isinstance(value, Conditional) or not fits(lead + "(", indent):
        return split
    inner = _lines(value, indent + 4, "", "")
    if inner is None:
        return None
    pad = " " * indent
    return [pad + lead + "(", *inner, pad + ")"]


_NAME = re.compile(r"[A-Za-z_]\w*")
_SUBSCRIPT = re.compile(r"""(?P<name>[A-Za-z_]\w*)\[(?P<key>"(?:[^"\\]|\\.)*")\]""")


def _annotated_lines(a: Annotated, indent: int, lead: str, tail: str) -> list[str]:
    """`name: type = default`: a type too long for the line goes in parentheses on a line of
    its own, or, too long for that too, a member of its union a line (a lone subscript without
    default has its brackets split instead, as black does)."""
    pad = " " * indent
    one = lead + a.text + tail
    if fits(one, indent):
        return [pad + one]
    typed = lead + (a.name if a.type is None else f"{a.name}: {a.type}")
    if a.statement and a.type is not None and a.default is not None and len(union_members(a.default)) < 2:
        if a.default.endswith("]"):
            # An alias of a subscript: black splits its brackets, not before it.
            return _subscript_alias_lines(typed, a.default, indent, tail) or [pad + one]
    if a.statement and a.default is not None and fits(typed + " = (", indent) and fits(a.default, indent + 4):
        return [f"{pad}{typed} = (", f"{pad}    {a.default}", f"{pad}){tail}"]
    if a.statement and a.default is not None and fits(typed + " = (", indent):
        split = _alias_lines(a.default, indent + 4)
        if split is not None:
            return [f"{pad}{typed} = (", *split, f"{pad}){tail}"]
    if a.type is None:
        return [pad + one]
    name, type = lead + a.name, a.type
    default = "" if a.default is None else f" = {a.default}"
    members = union_members(type)
    if not default and len(members) == 1 and type.endswith("]"):
        # A field or required argument whose type is one subscript: black splits its brackets.
        head, inner = type[:-1].split("[", 1)
        if fits(f"{name}: {head}[", indent):
            split = _union_lines(inner, indent + 4)
            if split is not None:
                return [f"{pad}{name}: {head}[", *split, f"{pad}]{tail}"]
        return [pad + one]
    if fits(type, indent + 4):
        return [f"{pad}{name}: (", f"{pad}    {type}", f"{pad}){default}{tail}"]
    if len(members) > 1:
        split = _union_lines(type, indent + 4)
        if split is not None:
            return [f"{pad}{name}: (", *split, f"{pad}){default}{tail}"]
    return [pad + one]


def _subscript_alias_lines(typed: str, value: str, indent: int, tail: str) -> list[str] | None:
    """`name: TypeAlias = head[inner]`, too long: split at the subscript's brackets, `inner` a
    member of a union a line if need be (a subscript of a union in turn); None where black may
    split otherwise (the line up to the bracket too long, or `inner` of several arguments that
    does not fit)."""
    pad = " " * indent
    head, inner = value[:-1].split("[", 1)
    if not fits(f"{typed} = {head}[", indent) or len(_top_level_items(inner) or ()) != 1:
        return None
    split = _union_lines(inner, indent + 4) if len(union_members(inner)) > 1 else _member_lines(inner, indent + 4)
    return None if split is None else [f"{pad}{typed} = {head}[", *split, f"{pad}]{tail}"]


def _alias_lines(value: str, indent: int) -> list[str] | None:
    """The value of an alias (`X: TypeAlias = A | B`), a union of types, too long for a line of
    its own: black keeps it in the parentheses it made visible and splits it at its `|`, one
    member a line. None where black may split elsewhere: a value of two members whose last ends
    with a bracket (black may then drop the parentheses and split that bracket), or one that is
    not a union of types."""
    members = union_members(value)
    if len(members) < 2 or any(ch in value for ch in "(){}") or (len(members) == 2 and value.endswith("]")):
        return None
    return _union_lines(value, indent)


def _union_lines(annotation: str, indent: int) -> list[str] | None:
    """An annotation on lines of its own at `indent`: on one if it fits, else one member of its
    union a line (`| B` after the first), as black splits at its operators; None if a member does
    not fit."""
    pad = " " * indent
    if fits(annotation, indent):
        return [pad + annotation]
    members = union_members(annotation)
    if len(members) < 2 or len(_top_level_items(annotation) or ()) != 1:
        return None  # not a union, or a subscript's several arguments (black splits at the commas)
    lines = [_member_lines(members[0], indent), *(_member_lines(f"| {m}", indent) for m in members[1:])]
    return None if any(part is None for part in lines) else [line for part in lines for line in part or ()]


def _member_lines(member: str, indent: int) -> list[str] | None:
    """A member of a union split one a line (after the first, with its `| `): on its line if it
    fits, else a subscript of a union (`list[A | B]`) with its brackets split, the union inside
    on a line of its own or one member a line."""
    pad = " " * indent
    if fits(member, indent):
        return [pad + member]
    if not member.endswith("]") or "[" not in member:
        return None
    head, inner = member[:-1].split("[", 1)
    if not fits(head + "[", indent) or len(union_members(inner)) < 2:
        return None
    split = _union_lines(inner, indent + 4)
    return None if split is None else [f"{pad}{head}[", *split, f"{pad}]"]


def _def_lines(d: Def, pad: str) -> list[str]:
    one = pad + flat(d)
    if fits(one) and not d.always:
        return [one]
    head, close = f"{pad}{d.prefix}{d.name}(", f"{pad}) -> {d.returns}:"
    indent = len(pad) + 4
    if d.explode:
        inner = " " * indent
        lines = [inner + layout(p, indent, tail=",") if isinstance(p, Annotated) else f"{inner}{p}," for p in d.params]
        return [head, *lines, *_returns_lines(d.returns, pad)]
    body = ", ".join(p if isinstance(p, str) else p.text for p in d.params) + ("," if len(d.params) == 1 else "")
    if not fits(body, indent):  # too long for a line of their own: one a line, as an `explode` header
        return _def_lines(Def(d.name, d.params, d.returns, d.prefix, explode=True, always=True), pad)
    # One parameter has a magic trailing comma: the header is then an exploded one.
    return [head, " " * indent + body, *(_returns_lines(d.returns, pad) if len(d.params) == 1 else [close])]


def _returns_lines(returns: str, pad: str) -> list[str]:
    """`) -> returns:`, the end of a header whose parameters are one a line. Too long, a union
    goes in parentheses, on a line of its own or one member a line, and a subscript of a union
    has its brackets split, the union inside likewise (black's split of a return annotation);
    anything else stays as it is, for black."""
    close, indent = f"{pad}) -> {returns}:", len(pad)
    if fits(close):
        return [close]
    if len(union_members(returns)) > 1:
        split = _union_lines(returns, indent + 4)
        if split is not None:
            return [f"{pad}) -> (", *split, f"{pad}):"]
    elif returns.endswith("]") and "[" in returns:
        head, inner = returns[:-1].split("[", 1)
        if fits(f") -> {head}[", indent) and len(union_members(inner)) > 1:
            split = _union_lines(inner, indent + 4)
            if split is not None:
                return [f"{pad}) -> {head}[", *split, f"{pad}]:"]
    return [close]


def returns(annotation: str, indent: int) -> str:
    """A return annotation as written after `) -> ` and before `:` in a header whose parameters
    are one a line, at `indent` (see `_returns_lines`)."""
    pad = " " * indent
    lines = _returns_lines(annotation, pad)
    return "\n".join(lines)[len(pad) + len(") -> ") : -1]


def union_members(annotation: str) -> list[str]:
    """The members of an annotation's top-level union (`A | dict[str, B | C]` has two)."""
    if " | " not in annotation:
        return [annotation]
    members, depth, begin = [], 0, 0
    for token in _UNION_TOKEN.finditer(annotation):
        text = token.group()
        if text == "[":
            depth += 1
        elif text == "]":
            depth -= 1
        elif depth == 0:
            members.append(annotation[begin : token.start()])
            begin = token.end()
    return [*members, annotation[begin:]]


_UNION_TOKEN = re.compile(r"\[|\]| \| ")


def from_import(module: str, names: Sequence[str], indent: int = 0) -> str:
    """`from module import names`, to be written at `indent`; one name a line in parentheses when
    too long (black's layout of an import, whose trailing comma black adds)."""
    line = f"from {module} import {', '.join(names)}"
    if fits(line, indent):
        return line
    pad = " " * indent
    return f"from {module} import (\n" + "".join(f"{pad}    {name},\n" for name in names) + f"{pad})"


# -- lines as text: black's right-hand split ------------------------------------------------------

# One token of a line, as far as brackets are concerned: a string literal (or the opening of a
# triple-quoted one), a comment, or a bracket.
_TOKEN = re.compile(
    # The lookahead passes, at C speed, the positions where no token can begin.
    r"""(?=[rRbBuUfF"'#()\[\]{}])(?:"""
    r"""(?P<triple>[rRbBuUfF]{0,2}(?:\"\"\"|'''))"""
    r"""|[rRbBuUfF]{0,2}(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"""|(?P<comment>\#)|(?P<open>[(\[{])|(?P<close>[)\]}])"""
    r""")"""
)


def fits(line: str, indent: int = 0) -> bool:
    """Whether `line`, indented by `indent`, is within the line length, counting characters: what
    the templates lay out by. Black counts East Asian wide characters as two columns, so a line of
    them may still be too long for black; `surely_fits` is the test that catches those."""
    return indent + len(line) <= LINE_LENGTH


def hug(line: str, indent: int, inside: bool = False) -> str:
    """`line`, to be written at `indent`, split as black splits a line that is too long and ends
    with a bracket (then at most a comma): the bracket's contents on a line of their own if they
    fit there (a call's, or a literal's without commas), else one item a line with a trailing
    comma, each split the same way. `line` unchanged where that does not work out, for black."""
    return _split(line, indent, inside) or line


def _split(line: str, indent: int, inside: bool = False) -> str | None:
    """`hug`'s split, or None. `inside`: the line is an item of a bracket black splits one item a
    line (it ends with its comma) or a part of one (a conditional's, a comprehension's); such a
    line has no optional parentheses for black to weigh, so a bracket after a lone name is split
    even where the line before it stays too long (black has nowhere else to split it)."""
    if fits(line, indent):
        return line
    inside = inside or line.endswith(",")
    bracket = _last_bracket(line)
    if bracket is None:
        # Nothing to split at (a long name or string): black leaves an item of a bracket so too.
        return None if _has_bracket(line) else line
    start, end = bracket
    head, body, tail = line[: start + 1], line[start + 1 : end], line[end:]
    if tail not in (")", "]", "}", "),", "],", "},") or not body:
        return None
    if _LEAD.fullmatch(line[:start]) is None and not (inside and _KEY.fullmatch(line[:start])):
        return None  # an operator or keyword before the bracket: black splits there first
    if not fits(head, indent) and not (inside and not _has_bracket(line[:start])):
        return None  # black would look for another bracket, or parentheses, to split at
    pad = " " * indent
    items = _top_level_items(body)
    if items is None:
        if fits(body, indent + 4):
            return f"{head}\n{pad}    {body}\n{pad}{tail}"
        # A comprehension: one part a line (`for`, `if`), each split in turn, without commas.
        parts = _comprehension_parts(body)
        lines = [_split(part, indent + 4, inside=True) for part in parts or ()]
        if not lines or any(part is None for part in lines):
            return None
        return f"{head}\n" + "".join(f"{pad}    {part}\n" for part in lines) + f"{pad}{tail}"
    before = line[:start][-1:]
    literal = not (before.isidentifier() or before.isdigit() or before in (")", "]", '"', "'"))
    if fits(body, indent + 4) and not (literal and len(items) > 1):
        return f"{head}\n{pad}    {body}\n{pad}{tail}"
    if len(items) < 2 and not body.endswith(","):
        # One item, too long for a line of its own: split it in turn (no comma is added after it);
        # a name or string black cannot split stays too long on its line.
        inner = _split(body.strip(), indent + 4, inside=True)
        if inner is None or (inner == body.strip() and _ATOM_LINE.fullmatch(inner) is None):
            return None
        return f"{head}\n{pad}    {inner}\n{pad}{tail}"
    lines = [_split(item.strip() + ",", indent + 4) for item in items]
    if any(part is None for part in lines):
        return None
    return f"{head}\n" + "".join(f"{pad}    {part}\n" for part in lines) + f"{pad}{tail}"


# What may come before the bracket `_split` splits at: a keyword that begins the line, a keyword
# argument, a dictionary key or an assignment, then a (dotted) name or nothing.
_LEAD = re.compile(
    r"""(?:else |return |await |lambda[\w, ]*: |\w+=|"(?:[^"\\]|\\.)*": |[\w.]+(?:\["(?:[^"\\]|\\.)*"\])? = """
    r"""|\w+: [\w.\[\], |]+ = |for [\w, ]+ in |if )?[\w.]*"""
)
# Before the bracket of an item of a bracket (the element of a dict comprehension): a name as key.
_KEY = re.compile(r"[A-Za-z_]\w*: [\w.]*")
# A line black has no way to shorten (see format's `_UNSPLITTABLE_ITEM`): a name or a string, perhaps
# behind a key, perhaps with its comma.
_ATOM = r"""(?:[rRbBuU]?"(?:[^"\\\n]|\\.)*"|[rRbBuU]?'(?:[^'\\\n]|\\.)*'|[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)"""
_ATOM_LINE = re.compile(rf"(?:[A-Za-z_]\w*=|{_ATOM}: )?(?:lambda: )?{_ATOM},?")
_ITEM_TOKEN = re.compile(
    r"""[rRbBuUfF]{0,2}(?:"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')|[(\[{]|[)\]}]|,|\b(?:for|lambda|if|else|async|await)\b"""
)


_BRACKET = re.compile(r"[()\[\]{}]")


def _has_bracket(line: str) -> bool:
    return any(token.group("open") or token.group("close") or token.group("triple") for token in _TOKEN.finditer(line))


def _last_bracket(line: str) -> tuple[int, int] | None:
    """Where the bracket pair that closes last opens and closes (string literals skipped)."""
    stack: list[int] = []
    last = None
    if not ('"' in line or "'" in line or "#" in line):  # no literal or comment: brackets are all there is
        for bracket in _BRACKET.finditer(line):
            if bracket.group() in "([{":
                stack.append(bracket.start())
            elif not stack:
                return None
            else:
                last = (stack.pop(), bracket.start())
        return None if stack else last
    for token in _TOKEN.finditer(line):
        if token.group("triple") or token.group("comment"):
            return None
        if token.group("open"):
            stack.append(token.start())
        elif token.group("close"):
            if not stack:
                return None
            last = (stack.pop(), token.start())
    return None if stack else last


def _comprehension_parts(body: str) -> list[str] | None:
    """A comprehension's body cut before each `for` and `if` of its own, as black splits it; None
    if it is not one, or its element is a conditional expression (black splits that too)."""
    cuts: list[int] = []
    depth = 0
    for token in _ITEM_TOKEN.finditer(body):
        text = token.group()
        if text in "([{":
            depth += 1
        elif text in ")]}":
            depth -= 1
        elif depth == 0 and text in ("for", "if", "else", "lambda", "async", "await"):
            if text not in ("for", "if") or (text == "if" and not cuts):
                return None
            cuts.append(token.start())
    if not cuts:
        return None
    return [body[a:b].strip() for a, b in zip([0, *cuts], [*cuts, len(body)], strict=True)]


_LAMBDA = re.compile(r"lambda(?: \w+)?: ")


def _top_level_items(body: str) -> list[str] | None:
    """`body` split at its commas outside brackets and strings (a trailing comma ends the last);
    None for a comprehension, which black splits elsewhere than at commas, or a lambda of several
    parameters (whose commas black does not split at). A lambda of one parameter or none is an
    item like another: black splits it at the bracket that ends it."""
    items: list[str] = []
    depth, begin = 0, 0
    for token in _ITEM_TOKEN.finditer(body):
        text = token.group()
        if text in "([{":
            depth += 1
        elif text in ")]}":
            depth -= 1
        elif text == "for" or (text == "lambda" and _LAMBDA.match(body, token.start()) is None):
            if depth == 0:
                return None
        elif text == "," and depth == 0:
            items.append(body[begin : token.start()])
            begin = token.end()
    if body[begin:].strip():
        items.append(body[begin:])
    return items
