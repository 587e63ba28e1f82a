"""The layout module on its own: each construct, laid out at several widths and indents, is what
black makes of it (black keeps it exactly as laid out), and goes on one line when it fits."""

from __future__ import annotations

import black
import pytest

from generator.format import LINE_LENGTH, black_mode
from generator.layout import (
    Annotated,
    Call,
    Collection,
    Conditional,
    Construct,
    Def,
    Keyed,
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
