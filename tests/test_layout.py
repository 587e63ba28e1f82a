"""The layout module on its own: each construct, laid out at several widths and indents, is what
black makes of it (black keeps it exactly as laid out), and goes on one line when it fits."""

from __future__ import annotations

import black
import pytest

from generator.format import LINE_LENGTH, black_mode, plan_formatting
from generator.layout import (
    Annotated,
    Assign,
    Call,
    Collection,
    Conditional,
    Construct,
    Def,
    Expr,
    Keyed,
    Return,
    fits,
    flat,
    layout,
)


def _rule(n: int) -> Call:
    """A `Rule(...)` literal whose names are `n` characters long."""
    name = "p" * n
    return Call(
        "Rule",
        (
            "max_length=5",
            Keyed("enum=", Collection("(", ('"' + "a" * n + '"', '"b"'), ")", explode=True)),
            Keyed("required=", Collection("(", ('"' + name + '"',), ")", explode=True)),
            Keyed(
                "properties=",
                Collection("{", (Keyed(f'"{name}": ', Call("Rule", ("max_length=256",), explode=True)),), "}", True),
            ),
            Keyed("items=", Call("Rule", (f"model=lambda: {name.title()}._RULE",), explode=True)),
        ),
        explode=True,
    )


def _constructs(n: int) -> list[tuple[str, Construct, str, str]]:
    """(kind, construct, lead, tail): each statement the generator writes, names `n` long."""
    name, model = "x" * n, "M" + "m" * n
    return [
        ("rule", _rule(n), "_RULE: ClassVar[Rule] = ", ""),
        ("payload", Call(model, (f"a={name}", f"b=as_field({name})"), ".to_dict()", explode=True), "payload = ", ""),
        ("hugged call", Call("raw_response", (f"resource.{name}",)), f"self.{name} = ", ""),
        ("set", Call("frozenset", (Collection("{", ('"a"', f'"{name}"'), "}", explode=True),)), "_P: Any = ", ""),
        ("literal", Collection("[", (f"{name}_one", f"{name}_two"), "]"), "items = ", ""),
        ("conditional", Conditional(f'Pet.from_dict(data["{name}"])', f'"{name}" in data', "NOT_GIVEN"), "x = ", ""),
        (
            "guarded",
            Conditional(
                Conditional("None", f'data["{name}"] is None', f'{model}.from_dict(data["{name}"])'),
                f'"{name}" in data',
                "NOT_GIVEN",
            ),
            "x = ",
            "",
        ),
        ("field", Annotated(name, f"list[{model}] | None | NotGiven", "NOT_GIVEN", statement=True), "", ""),
        ("subscript", Annotated(name, f"dict[str, {model}]", statement=True), "", ""),
        ("assignment", Annotated("MEMBER", None, '"' + name + '"', statement=True), "", ""),
        ("text", f'path=format_path("/{name}/{{id}}", {{"id": {name}}})', "x(", ")"),
    ]


def _wrap(kind: str, text: str, indent: int) -> str:
    """`text` (its first line not indented) as a statement at `indent` of a module."""
    block = "class C:" if kind in ("field", "subscript", "assignment") else "if x:"
    return "".join("    " * d + block + "\n" for d in range(indent // 4)) + " " * indent + text + "\n"


@pytest.mark.parametrize("n", [4, 30, 60, 85])
@pytest.mark.parametrize("indent", [0, 4, 12])
def test_each_construct_is_laid_out_as_black_lays_it_out(n: int, indent: int) -> None:
    for kind, construct, lead, tail in _constructs(n):
        text = layout(construct, indent, lead, tail)
        source = _wrap(kind, text, indent)
        formatted = black.format_str(source, mode=black_mode())
        lines = text.split("\n")
        fits = all(indent + len(line) <= LINE_LENGTH for line in lines[:1]) and all(
            len(line) <= LINE_LENGTH for line in lines[1:]
        )
        if fits:
            # Within the limit, black keeps it as laid out: the format stage will not see it.
            assert formatted == source, f"{kind} at {indent}, names of {n}:\n{source}\nblack:\n{formatted}"
        else:
            # A line left too long goes to black; only a name or string too long for its line leaves one.
            assert n >= 60, f"{kind} at {indent}, names of {n}, left to black:\n{source}"
        if indent + len(lead + flat(construct) + tail) <= LINE_LENGTH:
            assert "\n" not in text, kind


def test_a_def_header_explodes_or_hugs_its_parameters() -> None:
    params = (Annotated("pool_id", "str"), "*", Annotated("name", "str | NotGiven", "NOT_GIVEN"))
    assert layout(Def("_get_request", params, "Request")) == (
        "def _get_request(pool_id: str, *, name: str | NotGiven = NOT_GIVEN) -> Request:"
    )
    long = Def("_get_" + "x" * 60 + "_request", params, "Request")
    assert layout(long) == (
        f"def {long.name}(\n    pool_id: str,\n    *,\n    name: str | NotGiven = NOT_GIVEN,\n) -> Request:"
    )
    hugged = Def("from_dict", ("cls", "data: Mapping[str, Any]"), "M" * 60, explode=False)
    one = Def("_r_response", ("response: httpx.Response",), "M" * 80, explode=False)
    for d, indent in ((long, 0), (hugged, 4), (one, 0)):
        source = " " * indent + layout(d, indent) + "\n" + " " * (indent + 4) + "pass\n"
        if indent:
            source = "class C:\n" + source
        assert black.format_str(source, mode=black_mode()) == source
    assert layout(hugged, 4).split("\n")[1] == "        cls, data: Mapping[str, Any]"
    assert layout(one).split("\n")[1] == "    response: httpx.Response,"  # one alone gets a comma


def test_a_one_tuple_keeps_its_comma() -> None:
    assert flat(Collection("(", ('"a"',), ")")) == '("a",)'
    assert flat(Collection("(", ('"a"', '"b"'), ")")) == '("a", "b")'
    assert flat(Collection("[", ('"a"',), "]")) == '["a"]'


def _to_dict_values(attr: str, model: str) -> list[Expr]:
    """What `to_dict` assigns to `data["wire"]`, for a field named `attr`."""
    s = f"self.{attr}"
    return [
        s,
        "None",
        f"{s}.to_dict()",
        f"enum_value({s})",
        f"[v0.to_dict() for v0 in {s}]",
        f"{{k0: [enum_value(v1) for v1 in v0] for k0, v0 in {s}.items()}}",
        Conditional("None", f"{s} is None", f"{model}({s})"),
        Conditional("None", f"{s} is None", f"[v0.to_dict() for v0 in {s}]"),
    ]


def _decoded(wire: str, model: str) -> list[str]:
    """What `from_dict` passes for a field whose wire name is `wire`."""
    d = f'data["{wire}"]'
    return [
        d,
        f"{model}({d})",
        f"{model}.from_dict({d})",
        f"[{model}.from_dict(v0) for v0 in {d}]",
        f"decode_union({d}, (keep, {model}.from_dict))",
        f"[decode_union(v0, (keep, {model})) for v0 in {d}]",
    ]


def _in_block(text: str, indent: int, item: bool = False) -> str:
    """`text` at `indent` in a module: a statement under `if x:` lines, or an item of a call."""
    depth = indent // 4 - (1 if item else 0)
    nest = "".join("    " * d + "if x:\n" for d in range(depth))
    if item:
        return nest + " " * (indent - 4) + "f(\n" + " " * indent + text + "\n" + " " * (indent - 4) + ")\n"
    if text.startswith("elif"):
        nest += " " * indent + "if y:\n" + " " * (indent + 4) + "pass\n"
    return nest + " " * indent + text + "\n" + (" " * (indent + 4) + "pass\n" if text.endswith(":") else "")


def _is_black_or_left_to_it(source: str, what: str) -> bool:
    """Either the format stage sends `source` to black, or black keeps it as it is."""
    if plan_formatting(source).statements:
        return False
    assert black.format_str(source, mode=black_mode()) == source, f"{what}:\n{source}"
    return True


@pytest.mark.parametrize("n", [10, 40, 60, 64])
@pytest.mark.parametrize("wire", [20, 60, 72, 74, 76, 78, 82, 110])
def test_model_statements_are_black_s(n: int, wire: int) -> None:
    """`data["wire"] = value`, `if not isinstance(...)`, `key=value,` and conditionals of
    `from_dict`, `return value`: laid out as black lays them out, and kept from black."""
    attr, key, model = "a" * n, "w" * wire, "M" * (n + 6)
    kept = 0
    for indent in (8, 12):
        for value in _to_dict_values(attr, model):
            text = layout(Assign(f'data["{key}"]', value), indent)
            kept += _is_black_or_left_to_it(_in_block(text, indent), f"assignment at {indent}")
        for lead in ("if not ", "elif not "):
            header = Call("isinstance", (f"self.{attr}", "NotGiven"))
            text = layout(header, indent, lead, ":")
            kept += _is_black_or_left_to_it(_in_block(text, indent), "isinstance header")
    for value in _decoded(key, model):
        guarded = Conditional("None", f'data["{key}"] is None', value)
        for item in (
            value,
            Conditional(value, f'"{key}" in data', "NOT_GIVEN"),
            Conditional(guarded, f'"{key}" in data', "NOT_GIVEN"),
        ):
            text = layout(item, 12, f"{attr}=", ",")
            kept += _is_black_or_left_to_it(_in_block(text, 12, item=True), "from_dict item")
    for value in (f"{model}.from_dict(response.json())", f"[{model}.from_dict(v) for v in response.json()]"):
        kept += _is_black_or_left_to_it(_in_block(layout(value, 8, "return "), 8), "return")
    assert kept >= 38  # of 56: black sees only names and strings too long for any layout


@pytest.mark.parametrize("n", [10, 30, 45, 60, 90])
def test_a_union_in_a_subscript_is_split_as_black_splits_it(n: int) -> None:
    """`list[A | B] | None`: one member a line in parentheses, the subscript's union split in turn,
    for a field of a model (at 4) and a parameter of a method (at 8)."""
    a, c = "A" * n, "C" * 30
    types = [f"list[{a} | {a}Value] | None", f"list[{a} | {a}Value]", f"list[{a} | {a}Value] | {c} | None"]
    for t in types + [f"dict[str, {a} | {a}Value] | None"]:
        for optional in (True, False):
            field = (
                Annotated("name", t + " | NotGiven", "NOT_GIVEN", True)
                if optional
                else Annotated("name", t, None, True)
            )
            _is_black_or_left_to_it(f"class C:\n    {layout(field, 4)}\n", "field")
            param = Annotated("name", t + " | NotGiven", "NOT_GIVEN") if optional else Annotated("name", t)
            method = f"class C:\n    def f(\n        self,\n        *,\n        {layout(param, 8, tail=',')}\n    ) -> None:\n"
            _is_black_or_left_to_it(method + "        pass\n", "parameter")


@pytest.mark.parametrize("n", [10, 24, 30, 45, 60, 90])
def test_a_union_whose_later_member_is_a_subscript_of_a_union_is_split_as_black_splits_it(n: int) -> None:
    """`str | list[A | B]`: each member of the outer union a line, and one too long for its line
    (the first or a later one, with its `| `) has its brackets split, the union inside on a line
    of its own or one member a line, nested as deep as it goes. Where the names leave room for a
    layout, it is the one black keeps (the format stage has nothing to send it)."""
    a, b = "A" * n, "B" * (n // 2)
    types = [
        f"str | list[{a} | {a}Value | {b}]",
        f"str | list[str] | list[{a}Variant1 | {a}Variant2]",
        f"str | SequenceNotStr[{a} | {b}] | None",
        f"list[{a} | {b}] | dict[str, {a}] | list[list[{a} | {b}] | {b}]",
        f"{b} | list[list[{a} | {b}] | {a}]",
    ]
    laid_out = 0
    for t in types:
        for optional in (True, False):
            field = Annotated("name", t + " | NotGiven", "NOT_GIVEN", True) if optional else Annotated("name", t)
            field = Annotated(field.name, field.type, field.default, statement=True)
            laid_out += _is_black_or_left_to_it(f"class C:\n    {layout(field, 4)}\n", "field")
            param = Annotated("name", t + " | NotGiven", "NOT_GIVEN") if optional else Annotated("name", t)
            method = f"def f(\n    *,\n    {layout(param, 4, tail=',')}\n) -> None:\n    pass\n"
            laid_out += _is_black_or_left_to_it(method, "parameter")
    if n <= 45:  # every name fits on a line of its own
        assert laid_out == 2 * 2 * len(types)


@pytest.mark.parametrize("n", [8, 20, 30, 45, 70, 100])
def test_a_long_return_annotation_is_split_as_black_splits_it(n: int) -> None:
    """`) -> A | B:` too long after parameters one a line: a union in parentheses, a subscript
    of a union at its brackets, nested as deep as it goes; for `def` headers that explode and
    for those of one parameter (whose comma is magic)."""
    a, b = "A" * n, "B" * (n // 2 + 3)
    annotations = [
        f"{a} | {b} | {a}Value",
        f"list[{a} | {b} | {a}Value]",
        f"{a} | list[{b} | {a}Value] | None",
        f"SyncPager[{a}, {b} | {a}Value]",
        f"{a}{b}{a}",
    ]
    laid_out = 0
    for returns in annotations:
        for params in (("self", "*", "name: str"), ("response: httpx.Response",)):
            for explode in (True, False):
                header = layout(Def("f", params, returns, explode=explode), 4)
                laid_out += _is_black_or_left_to_it(f"class C:\n    {header}\n        pass\n", "header")
    if n <= 30:  # everything but the lone name and the pager of two arguments has a layout
        assert laid_out >= 2 * 2 * 3


@pytest.mark.parametrize("n", [8, 20, 30, 45, 70, 100])
@pytest.mark.parametrize("indent", [0, 8])
def test_an_annotated_result_and_an_alias_of_a_subscript_are_split_as_black_splits_them(n: int, indent: int) -> None:
    """`result: A | B = decode_union(...)` (the type split first when even `= (` does not fit)
    and `X: TypeAlias = list[A | B]` (split at the subscript's brackets)."""
    a, b = "A" * n, "B" * (n // 2 + 3)
    laid_out = 0
    for type in (f"{a} | {b}", f"{a} | {b} | {a}Value", f"list[{a} | {b}]", "A | B"):
        value = Call("decode_union", ("response.json()", Collection("(", (f"{a}.from_dict", f"{b}.from_dict"), ")")))
        text = layout(Assign(f"result: {type}", value), indent)
        laid_out += _is_black_or_left_to_it(_in_block(text, indent), "annotated result")
    for value in (f"list[{a} | {b}]", f"list[list[{a} | {b}] | {a}Value]", f"dict[str, {a} | {b}]", f"list[{a}{b}]"):
        alias = Annotated("Alias" + "x" * (n // 3), "TypeAlias", value, statement=True)
        laid_out += _is_black_or_left_to_it(_in_block(layout(alias, indent), indent), "alias of a subscript")
    # Every one where the names leave room for a layout (black keeps a name too long for any).
    assert laid_out >= {8: 8, 20: 8, 30: 8, 45: 7, 70: 4}.get(n, 0)


def test_a_dict_comprehension_keyed_by_a_name_is_split_as_black_splits_it() -> None:
    """`{k0: decode_union(v0, (...)) for k0, v0 in data.items()}` in a conditional: its element
    is split at the call's bracket after the key, as black splits it."""
    members = ", ".join(f"Model{i}{'x' * 20}.from_dict" for i in range(3))
    value = f'{{k0: decode_union(v0, (keep, {members})) for k0, v0 in data["variables"].items()}}'
    guarded = Conditional(Conditional("None", 'data["variables"] is None', value), '"variables" in data', "NOT_GIVEN")
    text = layout(guarded, 12, "variables=", ",")
    assert _is_black_or_left_to_it(_in_block(text, 12, item=True), "dict comprehension")


@pytest.mark.parametrize("n", [3, 12, 25, 40, 70, 95])
@pytest.mark.parametrize("name", [1, 30, 80])
def test_an_alias_of_a_union_is_split_one_member_a_line_as_black_splits_it(n: int, name: int) -> None:
    """`X: TypeAlias = A | B | C`, too long: its value in parentheses, on a line of its own if it
    fits there, else one member a line; a first member `list[A | B]` has its brackets split."""
    alias, a, b = "X" * name, "A" * n, "B" * n
    values = [
        f"{a} | {b}",
        f"{a} | {b} | None",
        f"{a}1 | {a}2 | {a}3 | {a}4 | {a}5",
        f"list[{a} | {b}] | {a}Value | None",
        f"{a} | dict[str, {b}] | None",
        f"{a} | list[{b}]",
        f'{a} | Literal["{b}"]',
        f"dict[str, {a} | {b}]",
    ]
    kept = []
    for value in values:
        text = layout(Annotated(alias, "TypeAlias", value, statement=True))
        if len(f"{alias}: TypeAlias = {value}") <= LINE_LENGTH:
            assert "\n" not in text
        kept.append(_is_black_or_left_to_it(text + "\n", "alias"))
    # Black sees only members too long for a line of their own, a value of two members whose last
    # ends with a bracket, or a subscript, too long for a line of their own (black splits that bracket).
    assert kept[:5] == [n < 95] * 5


@pytest.mark.parametrize("n", [10, 30, 50, 66, 90])
@pytest.mark.parametrize("indent", [8, 12])
def test_a_union_decoded_through_a_lambda_is_split_as_black_splits_it(n: int, indent: int) -> None:
    """`decode_union(v, (lambda v: [...], B))`, an argument or the `else` of a conditional: the
    tuple one member a line, the lambda split at its bracket, the comprehension at its `for`."""
    wire, model = "w" * 20, "M" * n
    value = f'decode_union(data["{wire}"], (lambda v: [{model}.from_dict(v0) for v0 in expect_list(v)], {model}2))'
    guarded = Conditional("None", f'data["{wire}"] is None', value)
    for item in (value, guarded, Conditional(guarded, f'"{wire}" in data', "NOT_GIVEN")):
        text = layout(item, indent, "name=", ",")
        kept = _is_black_or_left_to_it(_in_block(text, indent, item=True), "lambda item")
        # Black sees it only where a comprehension's element is too long for its own line.
        assert kept or n > 50, text


@pytest.mark.parametrize("n", [10, 30, 50, 70, 90])
@pytest.mark.parametrize("wire", [10, 30, 60])
def test_a_conditional_in_parentheses_of_its_own_is_split_as_black_splits_it(n: int, wire: int) -> None:
    """`name=(None if v is None else f(v)),`, a required field that allows null: black keeps the
    parentheses, on one line if it fits, else splits inside them as it splits a conditional."""
    d, model = f'data["{"w" * wire}"]', "M" * n
    for other in (f"{model}.from_dict({d})", f"[{model}.from_dict(v0) for v0 in {d}]", f"{model}({d})"):
        item = Conditional("None", f"{d} is None", other, parens=True)
        text = layout(item, 12, "name=", ",")
        assert text.startswith("name=(") and text.endswith("),")
        if len(f"name=({flat(Conditional('None', f'{d} is None', other))}),") <= LINE_LENGTH - 12:
            assert "\n" not in text
        kept = _is_black_or_left_to_it(_in_block(text, 12, item=True), "parenthesized conditional")
        assert kept or n + wire > 80, text


def _under_blocks(text: str, indent: int) -> str:
    """`text` at `indent` in a module: under a class, a method and `if` blocks."""
    blocks = ("class C:", "def f(self):") + ("if x:",) * 8
    body = " " * (indent + 4) + "pass\n" if text.endswith(":") else ""
    return "".join("    " * d + blocks[d] + "\n" for d in range(indent // 4)) + " " * indent + text + "\n" + body


@pytest.mark.parametrize("indent", [4, 8, 16])
def test_a_value_whose_bracket_is_out_of_reach_is_held_in_parentheses_as_black_holds_it(indent: int) -> None:
    """`self.name = Class(self)` and `return Class(self)`, and a class attribute or a method of
    the client's whose name is long: laid out, they are what black makes of them on one line, or
    left to black (a name too long for any line of its own)."""
    laid_out = 0
    for n in range(10, 112, 3):
        cls = "C" + "x" * n
        for attr in ("a" * 5, "a" * 30, "a" * 60):
            constructs: list[Construct] = [
                Assign(f"self.{attr}", Call(cls, ("self",))),
                Assign(f"self.{attr}", Call(cls, ("self", attr[:20]))),
                Return(Call(cls, ("self",))),
                Annotated(attr, cls, statement=True),
                Def(f"with_{attr}", ("self",), cls, explode=False),
                Def("__init__", ("self", f"resource_{attr}: {cls}"), "None", explode=False),
            ]
            for construct in constructs:
                if isinstance(construct, Def) and indent != 4:
                    continue  # a method's header, of a class
                text = layout(construct, indent)
                source, one = _under_blocks(text, indent), _under_blocks(flat(construct), indent)
                expected = black.format_str(one, mode=black_mode())
                if plan_formatting(source).statements:
                    assert not fits(flat(construct), indent) and n > 75, source  # only a long name goes to black
                else:
                    assert source == expected, f"laid out:\n{source}\nblack:\n{expected}"
                    laid_out += "\n" in text
    assert laid_out > 100


@pytest.mark.parametrize("indent", [4, 8, 12])
def test_a_name_assigned_or_returned_is_held_in_parentheses_as_black_holds_it(indent: int) -> None:
    """`self.name = name` and `return name` (a model's `__init__`, with names of any length):
    on one line if it fits; else the name in parentheses on a line of its own if it fits there,
    as black does; else as it is, which black leaves."""
    split = 0
    for n in range(20, 110, 3):
        name = "n" * n
        for construct in (Assign(f"self.{name}", name), Assign(name[:30], name), Return(name)):
            text = layout(construct, indent)
            source, one = _under_blocks(text, indent), _under_blocks(flat(construct), indent)
            assert source == black.format_str(one, mode=black_mode()), text
            split += "\n" in text
    assert split > 20
