"""Template tests: one macro or filter, a hand-built IR node, the exact code it must draw."""

from __future__ import annotations

import dataclasses

import black
import pytest

from generator import ir
from generator.format import black_mode
from generator.imports import Imports, import_lines, type_imports
from generator.layout import flat, layout
from generator.filters import (
    annotation,
    argument,
    call_arguments,
    decode,
    decoder_fn,
    docstring,
    encode,
    pystr,
    request_parameters,
    request_query,
    rule,
    security,
)
from generator.render import _environment, render_module, Context
from generator.types import ANY, PRIMITIVES

STR = PRIMITIVES[("string", None)]
DATETIME = PRIMITIVES[("string", "date-time")]
PET = ir.ModelRef("Pet")
COLOR = ir.EnumRef("Color", "ColorValue")


MODULES = {"Pet": "pet", "Dog": "dog", "Color": "color", "Colors": "colors", "Tag": "tag", "Tree": "tree"}


def _imports(*names: tuple[str, str | None]) -> set[ir.Import]:
    return {ir.Import(module, name) for module, name in names}


@pytest.mark.parametrize(
    ("t", "decoded", "encoded"),
    [
        (STR, "x", "x"),
        (ANY, "x", "x"),
        (DATETIME, "parse_datetime(x)", "format_datetime(x)"),
        (PET, "Pet.from_dict(x)", "x.to_dict()"),
        (COLOR, "Color(x)", "enum_value(x)"),
        (ir.ListOf(COLOR), "[Color(v0) for v0 in x]", "[enum_value(v0) for v0 in x]"),
        (ir.ListOf(STR), "x", "x"),
        (ir.ListOf(PET), "[Pet.from_dict(v0) for v0 in x]", "[v0.to_dict() for v0 in x]"),
        (
            ir.ListOf(ir.ListOf(PET)),
            "[[Pet.from_dict(v1) for v1 in v0] for v0 in x]",
            "[[v1.to_dict() for v1 in v0] for v0 in x]",
        ),
        (
            ir.MapOf(DATETIME),
            "{k0: parse_datetime(v0) for k0, v0 in x.items()}",
            "{k0: format_datetime(v0) for k0, v0 in x.items()}",
        ),
        (ir.Nullable(STR), "x", "x"),
        (ir.Nullable(PET), "(None if x is None else Pet.from_dict(x))", "(None if x is None else x.to_dict())"),
        (ir.AliasRef("Pets", ir.ListOf(PET)), "[Pet.from_dict(v0) for v0 in x]", "[v0.to_dict() for v0 in x]"),
        (ir.UnionOf((PET, ir.ModelRef("Dog"))), "decode_union(x, (Pet.from_dict, Dog.from_dict))", "encode_value(x)"),
        (
            ir.UnionOf(
                (PET, ir.ModelRef("Dog")), ir.Discriminator("kind", (("pet", PET), ("dog", ir.ModelRef("Dog"))))
            ),
            'decode_tagged(x, "kind", {"pet": Pet.from_dict, "dog": Dog.from_dict})',
            "encode_value(x)",
        ),
        (ir.LiteralOf("circle"), "x", "x"),
    ],
)
def test_codecs(t: ir.TypeRef, decoded: str, encoded: str) -> None:
    assert decode(t, "x", Imports(MODULES)) == decoded
    assert encode(t, "x", Imports(MODULES)) == encoded


@pytest.mark.parametrize(
    ("t", "decoding", "encoding"),
    [
        (STR, set(), set()),
        (DATETIME, _imports(("._utils", "parse_datetime")), _imports(("._utils", "format_datetime"))),
        (PRIMITIVES[("string", "uuid")], _imports(("uuid", None)), set()),
        (ir.ListOf(PET), _imports((".models.pet", "Pet")), set()),
        (ir.MapOf(COLOR), _imports((".models.color", "Color")), _imports(("._utils", "enum_value"))),
        (
            ir.UnionOf((PET, ir.ListOf(PET), STR)),
            _imports(
                (".models.pet", "Pet"), ("._utils", "decode_union"), ("._utils", "expect_list"), ("._utils", "keep")
            ),
            _imports(("._utils", "encode_value")),
        ),
        (
            ir.UnionOf(
                (PET, ir.ModelRef("Dog")), ir.Discriminator("kind", (("pet", PET), ("dog", ir.ModelRef("Dog"))))
            ),
            _imports((".models.pet", "Pet"), (".models.dog", "Dog"), ("._utils", "decode_tagged")),
            _imports(("._utils", "encode_value")),
        ),
        (
            ir.AliasRef("Colors", ir.ListOf(COLOR)),
            _imports((".models.color", "Color")),
            _imports(("._utils", "enum_value")),
        ),
        (
            ir.RecursiveRef("Tree"),
            _imports((".models.tree", "decode_tree")),
            _imports((".models.tree", "encode_tree")),
        ),
    ],
)
def test_codecs_record_what_they_write(t: ir.TypeRef, decoding: set[ir.Import], encoding: set[ir.Import]) -> None:
    """A decoder imports what it calls and nothing else: an encoder's helpers are not a decoder's."""
    names = Imports(MODULES)
    decode(t, "x", names)
    assert names.found == decoding
    names = Imports(MODULES)
    encode(t, "x", names)
    assert names.found == encoding


def test_an_error_body_decoder_imports_the_check_of_its_kind() -> None:
    """An error body typed as an object of strings is decoded only if it is one (`expect_map`)."""
    names = Imports(MODULES)
    assert decoder_fn(ir.MapOf(STR), names) == "lambda v: expect_map(v)"
    assert names.found == _imports(("._utils", "expect_map"))


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (STR, "str"),
        (ir.Nullable(ir.ListOf(PET)), "list[Pet] | None"),
        (ir.MapOf(ir.UnionOf((STR, PET))), "dict[str, str | Pet]"),
        (ir.LiteralOf("a'b"), 'Literal["a\'b"]'),
        (ir.LiteralOf(None), "None"),
        (ir.AliasRef("Tags", ir.MapOf(STR)), "Tags"),
        (COLOR, "Color | ColorValue"),
        (ir.Nullable(ir.MapOf(COLOR)), "dict[str, Color | ColorValue] | None"),
    ],
)
def test_annotation(t: ir.TypeRef, expected: str) -> None:
    assert annotation(t) == expected


def test_enums_are_given_as_members_or_values_and_given_back_as_members() -> None:
    """What a caller gives may be a member or its plain value; what the client gives back is a member."""
    t = ir.UnionOf((ir.ListOf(COLOR), STR))
    assert annotation(t) == "list[Color | ColorValue] | str"
    assert annotation(t, use="result") == "list[Color] | str"


@pytest.mark.parametrize(
    ("t", "expected"),
    [
        (ir.ListOf(COLOR), "SequenceNotStr[Color | ColorValue]"),
        (ir.Nullable(ir.MapOf(ir.ListOf(PET))), "Mapping[str, SequenceNotStr[Pet]] | None"),
        (ir.UnionOf((ir.ListOf(STR), ir.LiteralOf(""))), 'SequenceNotStr[str] | Literal[""]'),
        (ir.AliasRef("Tags", ir.MapOf(STR)), "Tags"),  # the alias is a field's type, and keeps it
    ],
)
def test_arguments_take_any_sequence_or_mapping(t: ir.TypeRef, expected: str) -> None:
    """A caller's `list[Color]` or tuple is taken where the items are `Color | ColorValue`:
    arrays and maps are annotated covariantly where a method takes them, and only there."""
    assert annotation(t, use="argument") == expected
    assert annotation(ir.ListOf(ir.MapOf(STR)), frozenset({"list", "dict", "str"}), "argument") == (
        "SequenceNotStr[Mapping[builtins.str, builtins.str]]"
    )


def test_imports_of_enums_given_and_given_back() -> None:
    color, values = ir.Import(".models.color", "Color"), ir.Import(".models.color", "ColorValue")
    assert type_imports(ir.ListOf(COLOR), MODULES) == {color, values}
    assert type_imports(ir.ListOf(COLOR), MODULES, "result") == {color}
    # Inside an alias, the alias's name is the annotation.
    assert type_imports(ir.AliasRef("Colors", ir.ListOf(COLOR)), MODULES) == {ir.Import(".models.colors", "Colors")}


def test_imports_of_arrays_and_maps_taken_as_arguments() -> None:
    sequence, mapping = ir.Import("._types", "SequenceNotStr"), ir.Import("collections.abc", "Mapping")
    assert type_imports(ir.MapOf(ir.ListOf(STR)), MODULES, "argument") == {sequence, mapping}
    assert type_imports(ir.MapOf(ir.ListOf(STR)), MODULES) == set()
    colors = ir.AliasRef("Colors", ir.ListOf(STR))  # annotated by the alias's name alone
    assert type_imports(colors, MODULES, "argument") == {ir.Import(".models.colors", "Colors")}


def test_builtins_is_imported_where_a_shadowed_builtin_is_written() -> None:
    builtins = ir.Import("builtins")
    assert type_imports(ir.ListOf(STR), MODULES, "result", frozenset({"list"})) == {builtins}
    assert type_imports(ir.ListOf(STR), MODULES, "argument", frozenset({"list"})) == {
        ir.Import("._types", "SequenceNotStr")
    }
    assert type_imports(ir.MapOf(PET), MODULES, "argument", frozenset({"str"})) == {
        builtins,
        ir.Import("collections.abc", "Mapping"),
        ir.Import(".models.pet", "Pet"),
    }


def test_imports_of_the_models_a_check_names() -> None:
    """A check may name a model its argument's type does not (through an alias): it is imported all the same."""
    names = Imports(MODULES)
    check = ir.Check(any_of=(ir.Check(array=True, items=ir.Check(model="Pet")), ir.Check(values=ir.Check(model="Tag"))))
    rule(check, names)
    assert names.found == _imports((".models.pet", "Pet"), (".models.tag", "Tag"), ("._validation", "Rule"))


def test_a_module_imports_what_its_template_writes_and_nothing_from_itself() -> None:
    """The import block is filled in from what the rendering recorded, wherever the template puts it."""
    env = _environment()
    template = env.from_string('"""Doc."""\n\n{{ imports }}\n\nX = {{ "encode_query" | use }}({{ t | annotation }})\n')
    ctx = Context(None, {"Pet": "pet", "Tag": "pet"})  # type: ignore[arg-type]
    text = render_module(template, ctx, "models.pet", t=ir.MapOf(ir.ModelRef("Tag")))
    assert text == '"""Doc."""\n\nfrom .._utils import encode_query\n\nX = encode_query(dict[str, Tag])\n'


def test_query_arguments() -> None:
    q = ir.Parameter("ids", "ids", "query", ir.ListOf(STR), False, style="pipeDelimited", allow_reserved=True)
    op = ir.Operation(
        name="find", method="GET", path="/p", doc=None, deprecated=False, path_params=(), query_params=(q,),
        header_params=(), cookie_params=(), body=None, body_fields=(), successes=(), errors=(), security=(),
        returns=None,
    )  # fmt: skip
    names = Imports(MODULES)
    assert request_query(op, names) == 'encode_query({"ids": ids}, {"ids": ("pipeDelimited", True)}, reserved=("ids",))'
    plain = dataclasses.replace(op, query_params=(dataclasses.replace(q, style="form"),))
    assert request_query(plain, names) == 'encode_query({"ids": ids}, {}, reserved=("ids",))'
    assert names.found == _imports(("._utils", "encode_query"))


def test_annotation_of_shadowed_builtins() -> None:
    assert annotation(ir.ListOf(ir.MapOf(STR)), frozenset({"list", "dict"})) == "builtins.list[builtins.dict[str, str]]"


def test_signatures() -> None:
    path = ir.Parameter("pool_id", "poolId", "path", STR, True)
    name = ir.Parameter("name", "name", "body", STR, False, attr="name")
    op = ir.Operation(
        name="update", method="PATCH", path="/p/{poolId}", doc=None, deprecated=False,
        path_params=(path,), query_params=(), header_params=(), cookie_params=(), body=None, body_fields=(name,),
        successes=(), errors=(), security=(), returns=None,
    )  # fmt: skip

    def parameters(op: ir.Operation) -> str:
        return ", ".join(p if isinstance(p, str) else flat(p) for p in request_parameters(op, names=Imports({})))

    assert parameters(op) == "pool_id: str, *, name: str | NotGiven = NOT_GIVEN"
    assert ", ".join(map(flat, call_arguments(op))) == "pool_id, name=name"
    body = ir.RequestBody("application/json", "json", False, ir.ModelRef("Pool"), None)
    with_body = dataclasses.replace(op, body=body)
    assert parameters(with_body) == (
        "pool_id: str, *, name: str | NotGiven = NOT_GIVEN, extra_body: Mapping[str, object] | None = None"
    )
    assert ", ".join(map(flat, call_arguments(with_body))) == "pool_id, name=name, extra_body=extra_body"
    no_fields = dataclasses.replace(with_body, path_params=(), body_fields=())
    assert parameters(no_fields) == "*, extra_body: Mapping[str, object] | None = None"


@pytest.mark.parametrize("required", [True, False], ids=["required", "optional"])
def test_a_long_argument_is_laid_out_as_black_lays_it_out(required: bool) -> None:
    """A required argument of one subscript has its brackets split; one with a default, or a
    union, goes in parentheses."""
    value = ir.EnumRef("AdditionalPropertiesValueOfAModel", "AdditionalPropertiesValueOfAModelValue")
    for t in (ir.MapOf(value), ir.ListOf(value), ir.Nullable(ir.ListOf(value))):
        p = ir.Parameter("additional_properties", "a", "query", t, required)
        line = layout(argument(p, names=Imports({value.name: "value"})), 4, tail=",")
        source = f"def f(\n    *,\n    {line}\n) -> None:\n    pass\n"
        assert black.format_str(source, mode=black_mode()) == source


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("plain", '"""plain"""'),
        ('ends with a quote"', '"""ends with a quote" """'),  # black pads it so
        ('a """ inside', '"""a \\"\\"\\" inside"""'),
        ("back\\slash \\N{BULLET}", '"""back\\\\slash \\\\N{BULLET}"""'),
        ("two\nlines", '"""two\nlines\n"""'),
        ("  padded  ", '"""padded"""'),
    ],
)
def test_docstring_escaping(text: str, expected: str) -> None:
    assert docstring(text) == expected
    verbatim = text.strip() + ("\n" if "\n" in text else "")
    # A quote just before the closing three is followed by a space, as black writes it.
    assert eval(docstring(text)) in (verbatim, verbatim + " ")  # noqa: S307 - our own literal


@pytest.mark.parametrize(
    "value", ["'); import os; os.system('x') #", 'quo"te', "new\nline", "\\N{BULLET}", 3, 2.5, True, None]
)
def test_pystr_is_a_literal_of_the_value(value: object) -> None:
    assert eval(pystr(value)) == value  # noqa: S307 - our own literal


def test_import_lines_are_grouped_sorted_and_relative() -> None:
    imports = [
        ir.Import("typing", "Any"),
        ir.Import("__future__", "annotations"),
        ir.Import("httpx"),
        ir.Import("datetime"),
        ir.Import(".models.pet", "Pet"),
        ir.Import("._types", "NotGiven"),
        ir.Import("._types", "NOT_GIVEN"),
        ir.Import("collections.abc", "Mapping"),
    ]
    assert import_lines(imports, "resources.pets") == [
        "from __future__ import annotations",
        "",
        "import datetime",
        "from collections.abc import Mapping",
        "from typing import Any",
        "",
        "import httpx",
        "",
        "from .._types import NOT_GIVEN, NotGiven",
        "from ..models.pet import Pet",
    ]
    assert import_lines([ir.Import(".models.tags", "Tags")], "models.pool") == ["from .tags import Tags"]
    assert import_lines([ir.Import("._client", "Client")], "__init__") == ["from ._client import Client"]


def test_rule_draws_nested_checks() -> None:
    check = ir.Check(
        max_properties=10,
        required=("name",),
        properties=(("tags", ir.Check(values=ir.Check(max_length=256), keys=ir.Check(max_length=128))),),
        items=ir.Check(model="Pet"),
        enum=("a",),
    )
    assert flat(rule(check, Imports(MODULES))) == (
        'Rule(max_properties=10, enum=("a",), required=("name",), '
        'properties={"tags": Rule(values=Rule(max_length=256), keys=Rule(max_length=128))}, '
        "items=Rule(model=lambda: Pet._RULE))"
    )
    assert flat(rule(ir.Check(), Imports({}))) == "Rule()"
    union = ir.Check(any_of=(ir.Check(enum=("a", "b")), ir.Check(model="Pet")))
    assert flat(rule(union, Imports(MODULES))) == 'Rule(any_of=(Rule(enum=("a", "b")), Rule(model=lambda: Pet._RULE)))'


@pytest.mark.parametrize(
    ("version", "expected"),
    [
        ("1.0.0", "1.0.0"),
        ("2023-09-12", "0.0.0+2023.09.12"),
        ("v2", "2"),
        ("beta three", "0.0.0+beta.three"),
        ("", "0.0.0"),
    ],
)
def test_client_versions_are_valid_package_versions(version: str, expected: str) -> None:
    from generator.render import _pep440

    assert _pep440(version) == expected


def test_tomlstr_is_a_toml_string_of_the_value() -> None:
    import tomllib

    from generator.filters import tomlstr

    for value in ['a "quoted" \\ title', "line\nbreak", "Größe"]:
        assert tomllib.loads(f"x = {tomlstr(value)}")["x"] == value


def test_security_is_a_tuple_of_tuples() -> None:
    assert security(()) == "()"
    assert security((("key",),)) == '(("key",),)'
    assert security((("a", "b"), ())) == '(("a", "b"), ())'
