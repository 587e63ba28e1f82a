"""What the templates write, as Python: the filters behind the escaping of document text
(`pystr`, `docstring`), annotations (`annotation`), codecs (`decode`, `encode`: how a value's
JSON is read and written) and the constructs templates hand to `layout` (`call`, `rule`,
`signature`, ...). `render` registers them on its Jinja environment; a filter that writes a name
from elsewhere records its import in the module's `Imports`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Literal

from . import ir
from . import layout as lay
from .imports import Imports
from .layout import Annotated, Assign, Call, Collection, Conditional, Def, Expr, Keyed

# -- escaping: the only way document text enters code ---------------------------------------------


def pystr(value: object) -> str:
    """A Python literal for a string (or other JSON scalar) taken from the document, written as
    black writes it: double quotes unless they would take more escapes than single ones."""
    if isinstance(value, float) and value != value:
        return 'float("nan")'
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return 'float("inf")' if value > 0 else 'float("-inf")'
    if isinstance(value, float):
        return repr(value).replace("e+", "e")  # black drops an exponent's plus sign
    if isinstance(value, str):
        literal = repr(value)
        if literal[0] == "'" and value.count('"') <= value.count("'"):
            literal = '"' + literal[1:-1].replace("\\'", "'").replace('"', '\\"') + '"'
        return literal
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    raise TypeError(f"not a scalar: {value!r}")


def tomlstr(value: str) -> str:
    """A TOML basic string holding `value` (JSON's string escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def docstring(text: str | None, indent: int = 0) -> str:
    """A triple-quoted docstring holding `text` verbatim, for a line indented by `indent` spaces:
    backslashes and quotes are escaped, so nothing in it can end the string or start an escape
    sequence, and it is laid out as black lays out a docstring (lines after the first re-indented
    to `indent`, trailing spaces dropped, the closing quotes on a line of their own)."""
    body = (text or "").strip().replace("\r\n", "\n").replace("\r", "\n")
    body = body.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    if not body.replace("\n", "").replace("\t", "").isprintable():
        body = "".join(
            (
                ch
                if ch in "\n\t" or ch.isprintable()
                else ch.encode("unicode_escape").decode("ascii").replace("\\", "\\\\")
            )
            for ch in body
        )
    lines = [_expand_leading_tabs(line) for line in body.split("\n")]
    if len(lines) > 1:
        # PEP 257's trim, as black applies it: the lines after the first lose their common indentation.
        common = min((len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()), default=0)
        rest = [" " * indent + line[common:].rstrip() if line.strip() else "" for line in lines[1:]]
        body = "\n".join([lines[0].strip(), *rest, " " * indent])
    if body.startswith('"'):
        body = "\\" + body  # a quote here would merge into the opening three
    if body.endswith('"'):
        body += " "  # and here into the closing three (black pads it so too)
    return f'"""{body}"""'


def _expand_leading_tabs(line: str) -> str:
    stripped = line.lstrip()
    if not stripped or stripped == line:
        return line
    return line[: len(line) - len(stripped)].expandtabs(4) + stripped


# -- types ----------------------------------------------------------------------------------------


Use = Literal["argument", "field", "result"]
"""Where an annotation stands, which decides how wide it is (see `annotation`)."""


def annotation(t: ir.TypeRef, shadowed: frozenset[str] = frozenset(), use: Use = "field") -> str:
    """The Python annotation of a type, as it stands at `use`. Builtins named in `shadowed` (a
    class in scope has a method of that name, such as `list`) are written `builtins.list`.

    - "field", a model's field: enums as their class or their values (`Genre | GenreValue`),
      what a request may hold; arrays and maps as `list` and `dict`, which responses give back.
    - "argument", a method's (or request function's) parameter: the same, but arrays and maps
      are `SequenceNotStr[...]` and `Mapping[str, ...]`, which are covariant, so that a caller's
      `list[Genre]` or tuple is taken where `Genre | GenreValue` items are; an alias keeps its name.
    - "result", what the client gives back: enums as their class alone, since every value is
      decoded to a member (and what the public API's surface records, see `diff`)."""

    def builtin(name: str) -> str:
        return f"builtins.{name}" if name in shadowed else name

    def inner(t: ir.TypeRef) -> str:
        return annotation(t, shadowed, use)

    if isinstance(t, ir.Primitive):
        return builtin(t.annotation)
    if isinstance(t, ir.EnumRef):
        return t.name if use == "result" else f"{t.name} | {t.values}"
    if isinstance(t, (ir.ModelRef, ir.AliasRef, ir.RecursiveRef)):
        return t.name
    if isinstance(t, ir.ListOf):
        return f"{'SequenceNotStr' if use == 'argument' else builtin('list')}[{inner(t.item)}]"
    if isinstance(t, ir.MapOf):
        return f"{'Mapping' if use == 'argument' else builtin('dict')}[{builtin('str')}, {inner(t.value)}]"
    if isinstance(t, ir.Nullable):
        return f"{inner(t.inner)} | None"
    if isinstance(t, ir.UnionOf):
        return " | ".join(dict.fromkeys(inner(m) for m in t.members))
    if isinstance(t, ir.LiteralOf):
        return "None" if t.value is None else f"Literal[{pystr(t.value)}]"
    raise TypeError(t)


def argument_annotation(t: ir.TypeRef, shadowed: frozenset[str] = frozenset()) -> str:
    """The annotation of what a caller gives a method (see `annotation`)."""
    return annotation(t, shadowed, "argument")


def result_annotation(t: ir.TypeRef, shadowed: frozenset[str] = frozenset()) -> str:
    """The annotation of what the client gives back (see `annotation`)."""
    return annotation(t, shadowed, "result")


# -- codecs: a value's JSON read and written ---------------------------------------------------


def decode(t: ir.TypeRef, v: str, names: Imports, depth: int = 0) -> str:
    """The expression that reads `t` from the JSON value `v` (an expression); `depth` keeps the
    variables of nested comprehensions apart. What it names is recorded in `names`."""
    if t.plain:
        return v
    if isinstance(t, ir.Primitive):
        if t.decoder is None:
            return v
        names.add(_codec_imports(t, t.decoder))
        return f"{t.decoder}({v})"
    if isinstance(t, ir.ModelRef):
        return f"{names.model(t.name)}.from_dict({v})"
    if isinstance(t, ir.EnumRef):
        return f"{names.model(t.name)}({v})"
    if isinstance(t, ir.RecursiveRef):
        return f"{names.model(t.decoder, t.name)}({v})"
    if isinstance(t, ir.AliasRef):
        return decode(t.target, v, names, depth)
    if isinstance(t, ir.ListOf):
        return f"[{decode(t.item, f'v{depth}', names, depth + 1)} for v{depth} in {v}]"
    if isinstance(t, ir.MapOf):
        return f"{{k{depth}: {decode(t.value, f'v{depth}', names, depth + 1)} for k{depth}, v{depth} in {v}.items()}}"
    if isinstance(t, ir.Nullable):
        if ir.admits_null(t.inner):  # an alias of a nullable type: its own guard is enough
            return decode(t.inner, v, names, depth)
        return f"(None if {v} is None else {decode(t.inner, v, names, depth)})"
    assert isinstance(t, ir.UnionOf)
    if t.discriminator is not None:
        tags = ", ".join(f"{pystr(tag)}: {names.model(m.name)}.from_dict" for tag, m in t.discriminator.mapping)
        return f"{names.use('decode_tagged')}({v}, {pystr(t.discriminator.property)}, {{{tags}}})"
    members = [names.use("keep") if m.plain else decoder_fn(m, names) for m in t.members]
    return f"{names.use('decode_union')}({v}, ({', '.join(members)}{',' if len(members) == 1 else ''}))"


def decoder_fn(t: ir.TypeRef, names: Imports) -> str:
    """A function that decodes `t` (a union member's, an error body's): it must refuse a value of
    another JSON kind, so an array or map is checked to be one first."""
    if isinstance(t, ir.ModelRef):
        return f"{names.model(t.name)}.from_dict"
    if isinstance(t, ir.EnumRef):
        return names.model(t.name)
    if isinstance(t, ir.RecursiveRef):
        return names.model(t.decoder, t.name)
    if isinstance(t, (ir.ListOf, ir.MapOf)):
        return f"lambda v: {decode(t, names.use(f'expect_{t.kind}') + '(v)', names)}"
    return f"lambda v: {decode(t, 'v', names)}"


def encode(t: ir.TypeRef, v: str, names: Imports, depth: int = 0) -> str:
    """The expression that writes the value `v` of type `t` as JSON (see `decode`)."""
    if t.plain:
        return v
    if isinstance(t, ir.Primitive):
        if t.encoder is None:
            return v
        names.add(_codec_imports(t, t.encoder))
        return f"{t.encoder}({v})"
    if isinstance(t, ir.ModelRef):
        return f"{v}.to_dict()"
    if isinstance(t, ir.EnumRef):
        return f"{names.use('enum_value')}({v})"
    if isinstance(t, ir.RecursiveRef):
        return f"{names.model(t.encoder, t.name)}({v})"
    if isinstance(t, ir.AliasRef):
        return encode(t.target, v, names, depth)
    if isinstance(t, ir.ListOf):
        return f"[{encode(t.item, f'v{depth}', names, depth + 1)} for v{depth} in {v}]"
    if isinstance(t, ir.MapOf):
        return f"{{k{depth}: {encode(t.value, f'v{depth}', names, depth + 1)} for k{depth}, v{depth} in {v}.items()}}"
    if isinstance(t, ir.Nullable):
        if ir.admits_null(t.inner):  # an alias of a nullable type: its own guard is enough
            return encode(t.inner, v, names, depth)
        return f"(None if {v} is None else {encode(t.inner, v, names, depth)})"
    assert isinstance(t, ir.UnionOf)
    return f"{names.use('encode_value')}({v})"


def decoded(t: ir.TypeRef, v: str, names: Imports, none: bool = False) -> Expr:
    """`decode`, as the whole value of an assignment, a `return` or an argument: a conditional
    expression without the parentheses black drops there. With `none`, a JSON null is read as
    None although `t` does not allow it (see `ir.Field.null_guard`)."""
    u = ir.unalias(t)
    if isinstance(u, ir.Nullable) and not u.plain:
        if ir.admits_null(u.inner):  # an alias of a nullable type: its own guard is enough
            return decoded(u.inner, v, names)
        return Conditional("None", f"{v} is None", decode(u.inner, v, names))
    return Conditional("None", f"{v} is None", decode(t, v, names)) if none else decode(t, v, names)


def encoded(t: ir.TypeRef, v: str, names: Imports) -> Expr:
    """`encode`, as the whole value of an assignment, a `return` or an argument (see `decoded`)."""
    u = ir.unalias(t)
    if isinstance(u, ir.Nullable) and not u.plain:
        if ir.admits_null(u.inner):  # an alias of a nullable type: its own guard is enough
            return encoded(u.inner, v, names)
        return Conditional("None", f"{v} is None", encode(u.inner, v, names))
    return encode(t, v, names)


def decode_value(t: ir.TypeRef, v: str, names: Imports) -> str:
    return lay.flat(decoded(t, v, names))


def encode_value(t: ir.TypeRef, v: str, names: Imports) -> str:
    return lay.flat(encoded(t, v, names))


def _codec_imports(t: ir.Primitive, function: str) -> list[ir.Import]:
    """What a primitive's decoder or encoder (`parse_datetime`, `uuid.UUID`) needs."""
    return [
        i for i in t.codec_imports if i.name == function or (i.name is None and function.startswith(f"{i.module}."))
    ]


# -- constructs: what the templates hand to `layout` ----------------------------------------------


def call(callee: str, args: Iterable[Expr], trailer: str = "", explode: bool = False) -> Call:
    return Call(callee, tuple(args), trailer, explode)


def collection(items: Iterable[Expr], open: str, close: str, explode: bool = False) -> Collection:
    return Collection(open, tuple(items), close, explode)


def assign(value: str, name: str) -> Annotated:
    """`name = value`, a statement of a class."""
    return Annotated(name, None, value, statement=True)


def annotated(type: str, name: str) -> Annotated:
    """`name: type`, a statement of a class that declares an attribute."""
    return Annotated(name, type, statement=True)


def alias(target: str, name: str, type_alias: str) -> Annotated:
    """`name: TypeAlias = target`, an alias of a model module (see `layout.Annotated`)."""
    return Annotated(name, type_alias, target, statement=True)


def decoded_argument(t: ir.TypeRef, v: str, names: Imports) -> Expr:
    """`decode`, as an argument: a type that allows null a conditional in the parentheses that
    `decode` writes (and black keeps there), laid out as black splits it."""
    u = ir.unalias(t)
    if isinstance(u, ir.Nullable) and not t.plain and not u.plain:
        return Conditional("None", f"{v} is None", decode(u.inner, v, names), parens=True)
    return decode(t, v, names)


def signature(name: str, params: Iterable[Annotated | str], returns: str, prefix: str = "def ", **how: bool) -> Def:
    """A `def` header (see `layout.Def` for `explode` and `always`)."""
    return Def(name, tuple(params), returns, prefix, **how)


def rule(c: ir.Check, names: Imports) -> Call:
    """The `Rule(...)` literal of a check, nested checks as nested `Rule`s."""
    args: list[Expr] = [f"{name}={pystr(value)}" for name, value in c.keywords]
    for name, values in (("enum", c.enum or ()), ("required", c.required), ("not_together", c.not_together)):
        if values or (name == "enum" and c.enum is not None):
            args.append(Keyed(f"{name}=", Collection("(", tuple(map(pystr, values)), ")", explode=True)))
    if c.properties:
        entries = tuple(Keyed(f"{pystr(wire)}: ", rule(sub, names)) for wire, sub in c.properties)
        args.append(Keyed("properties=", Collection("{", entries, "}", explode=True)))
    args += [
        Keyed(f"{name}=", rule(sub, names))
        for name, sub in (("items", c.items), ("values", c.values), ("keys", c.keys))
        if sub
    ]
    if c.model:
        args.append(f"model=lambda: {names.model(c.model)}._RULE")
    if c.any_of:
        any_of = tuple(rule(sub, names) for sub in c.any_of)
        args.append(Keyed("any_of=", Collection("(", any_of, ")", explode=True)))
    return Call(names.use("Rule"), tuple(args), explode=True)


def check_entry(p: ir.Parameter, names: Imports) -> Collection:
    """A `check_request` argument: `(name, value, Rule(...))`."""
    assert p.check is not None
    return Collection("(", (pystr(p.name), p.name, rule(p.check, names)), ")", explode=True)


def argument(p: ir.Parameter, shadowed: frozenset[str] = frozenset(), *, names: Imports) -> Annotated:
    """A parameter of a method or a request function: required ones have no default."""
    names.annotation(p.type, "argument", shadowed)
    type = argument_annotation(p.type, shadowed)
    if p.required:
        return Annotated(p.name, type)
    return Annotated(p.name, f"{type} | {names.use('NotGiven')}", names.use("NOT_GIVEN"))


def field(f: ir.Field, names: Imports, default: bool = True) -> Annotated:
    """A field of a model: one that may be left out defaults to `NOT_GIVEN` (unless not
    `default`: a field of a class with `__slots__` has its default in `__init__`)."""
    names.annotation(f.type, "field")
    type = annotation(f.type) + (" | None" if f.null_guard else "")
    if f.required:
        return Annotated(f.name, type, statement=True)
    if not default:
        return Annotated(f.name, f"{type} | {names.use('NotGiven')}", statement=True)
    return Annotated(f.name, f"{type} | {names.use('NotGiven')}", names.use("NOT_GIVEN"), statement=True)


def init_parameters(model: ir.ObjectModel, names: Imports) -> list[Annotated | str]:
    """The parameters of a model's `__init__`, keyword-only: its fields (one that may be left out
    defaults to `NOT_GIVEN`), then the properties the schema does not list, if it keeps them."""
    params: list[Annotated | str] = ["self"]
    for f in model.fields:
        written = field(f, names)
        params.append(Annotated(f.name, written.type, written.default))
    if model.extra is not None:
        names.annotation(model.extra, "field")
        params.append(Annotated(model.extra_name, f"dict[str, {annotation(model.extra)}] | None", "None"))
    return params[:1] + ["*"] + params[1:] if len(params) > 1 else params


def slots(model: ir.ObjectModel) -> Collection:
    """A model's `__slots__`: its fields, and the properties the schema does not list."""
    names = [f.name for f in model.fields] + ([model.extra_name] if model.extra is not None else [])
    return Collection("(", tuple(map(pystr, names)), ")")


def model_rule(rule: Call, names: Imports) -> Call:
    """A model's `_RULE`: its rule, made the first time it is read (`ModelRule`)."""
    return Call(names.use("ModelRule"), (Keyed("lambda: ", rule),))


EXTRA_BODY = "extra_body: Mapping[str, object] | None = None"
"""The parameter of a method (and its request function) whose body is an object: entries to merge into it."""


def request_parameters(
    op: ir.Operation, shadowed: frozenset[str] = frozenset(), *, names: Imports
) -> list[Annotated | str]:
    """The parameters of an operation, after `self` (methods) or at the start (request functions)."""
    params: list[Annotated | str] = [argument(p, shadowed, names=names) for p in op.path_params]
    if op.arguments or op.takes_extra_body:
        params.append("*")
    params += [argument(p, shadowed, names=names) for p in op.arguments]
    return params + [EXTRA_BODY] if op.takes_extra_body else params


def call_arguments(op: ir.Operation, cursor: str | None = None) -> list[Expr]:
    """The arguments that pass a method's parameters on; `cursor` replaces the pagination cursor's."""
    args: list[Expr] = [p.name for p in op.path_params]
    for p in op.arguments:
        args.append(f"{p.name}={cursor if cursor and op.pagination and p is op.pagination.cursor else p.name}")
    return args + ["extra_body=extra_body"] if op.takes_extra_body else args


def payload(op: ir.Operation, names: Imports) -> Call:
    """The JSON of an object body, built from its fields' arguments through its model: an array
    or map argument, typed wider than the field (`p.widened`), made a list or dict first."""
    assert op.body is not None and op.body.model is not None
    args = [f"{p.attr}=" + (f"{names.use('as_field')}({p.name})" if p.widened else p.name) for p in op.body_fields]
    return Call(names.model(op.body.model.name), tuple(args), ".to_dict()", explode=True)


def request_path(op: ir.Operation, names: Imports) -> str:
    """A request's `path`: its template, with the path parameters' values and styles if it has any."""
    if not op.path_params:
        return pystr(op.path)
    return f"{names.use('format_path')}({pystr(op.path)}, {values(op.path_params)}{styles(op.path_styles)})"


# -- constructs: statements ------------------------------------------------------------------------


def assignment(value: Expr, target: str) -> Assign:
    """`target = value`, a statement of a function (`data["wire"] = ...`)."""
    return Assign(target, value)


def request_query(op: ir.Operation, names: Imports) -> str:
    """A request's `params`: the query parameters, their styles, and those sent unencoded."""
    reserved = ""
    if op.query_reserved:
        reserved = (
            ("" if op.query_styles else ", {}") + ", reserved=" + _tuple(pystr(p.wire) for p in op.query_reserved)
        )
    return f"{names.use('encode_query')}({values(op.query_params)}{styles(op.query_styles)}{reserved})"


def request_headers(op: ir.Operation, names: Imports) -> str:
    return f"{names.use('encode_headers')}({values(op.header_params)}{styles(op.header_styles)})"


def request_cookies(op: ir.Operation, names: Imports) -> str:
    return f"{names.use('encode_cookies')}({values(op.cookie_params)}{styles(op.cookie_styles)})"


def security(alternatives: tuple[tuple[str, ...], ...]) -> str:
    """A request's `security`: a tuple of the alternatives, each a tuple of scheme keys."""
    return _tuple(_tuple(pystr(key) for key in alternative) for alternative in alternatives)


def _tuple(items: Iterable[str]) -> str:
    """A tuple literal; one item keeps its comma."""
    written = list(items)
    return f"({', '.join(written)}{',' * (len(written) == 1)})"


def values(params: Iterable[ir.Parameter]) -> str:
    """A dict literal from the parameters' wire names to their arguments."""
    return "{" + ", ".join(f"{pystr(p.wire)}: {p.name}" for p in params) + "}"


def styles(params: Iterable[ir.Parameter | ir.PartEncoding]) -> str:
    """`, {wire: (style, explode)}` for parameters (or parts) that have a style of their own; "" for none."""
    entries = ", ".join(f"{pystr(p.wire)}: ({pystr(p.style)}, {p.explode})" for p in params)
    return f", {{{entries}}}" if entries else ""
