"""Schema Objects (OAS 3.1 §4.8.24) → types: a reference names a model (built once, found again by
its URI), an object or enum written in place becomes a class named after where it is met, and
anything else an annotation (`list[...]`, `dict[str, ...]`, a union, a primitive).

Input: a schema (or a `$ref` to one), a name hint, where it is written. Output: an `ir.TypeRef`;
the models it needs are in `ctx.registry.models`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import ir
from ..naming import class_name
from ..types import ANY, NEVER, primitive
from . import objects, unions
from .context import Context
from .kinds import (
    JSON_TYPES,
    enum_base,
    format_of,
    has_own_object_keywords,
    is_enum,
    is_map,
    is_object,
    json_type,
    must_be_empty,
    nullable_if,
    types_of,
    union_key,
)
from .read import describe, get, text_of

MAX_TYPE_NESTING = 64


def _nesting(t: ir.TypeRef) -> int:
    """How many brackets deep the annotation of `t` goes."""
    depth = 0
    while True:
        if isinstance(t, ir.Nullable):
            t = t.inner
        elif isinstance(t, ir.ListOf):
            t, depth = t.item, depth + 1
        elif isinstance(t, ir.MapOf):
            t, depth = t.value, depth + 1
        elif isinstance(t, ir.UnionOf):
            return depth + 1 + max((_nesting(m) for m in t.members), default=0)
        else:
            return depth


def schema_type(ctx: Context, node: Any, hint: str, at: list[str | int], base_uri: str | None = None) -> ir.TypeRef:
    """A Schema Object (OAS 3.1 §4.8.24) as a type: a reference names a model, else it is inline.
    `at` is where `node` is written, for what the builder reports about it."""
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        if node.get("nullable") is True or "null" in types_of(node):
            # `nullable` beside a `$ref`: ignored by the letter of OAS 3.0, meant by its authors.
            inner = schema_type(ctx, {"$ref": node["$ref"]}, hint, at, base_uri)
            return inner if isinstance(inner, ir.Nullable) or inner is ANY else ir.Nullable(inner)
        target, uri = ctx.resolver.deref(node, base_uri)
        assert uri is not None
        if uri in ctx.registry.by_uri:
            return ctx.registry.by_uri[uri]
        if not isinstance(target, (dict, bool)) and at != ctx.location(uri):
            ctx.diagnostics.warn(at, f"$ref {node['$ref']!r} leads to {describe(target)}, not a schema; typed as Any")
            return ANY
        name = ctx.registry.component_names.get(uri)
        if name is None:
            name = ctx.names.claim_class(class_name(uri.rsplit("/", 1)[-1]))
            ctx.registry.component_names[uri] = name
        return named_schema(ctx, target, uri, name)
    return inline_schema(ctx, node, hint, at, base_uri)


def named_schema(ctx: Context, schema: Any, uri: str, name: str) -> ir.TypeRef:
    """A schema with a name of its own: an object or enum becomes a class, anything else an alias."""
    at = ctx.location(uri)
    ctx.names.owners.append(name)
    try:
        if is_object(schema, ctx.resolver):
            check_schema(ctx, schema, at, typed=True)
            ref = ir.ModelRef(name)
            ctx.registry.by_uri[uri] = ref
            ctx.registry.models[name] = objects.build_object(ctx, schema, name, at)
            return ref
        if is_enum(schema) and enum_base(schema):
            check_schema(ctx, schema, at, typed=True)
            enum_ref = nullable_if(schema, objects.build_enum(ctx, schema, name, at))
            ctx.registry.by_uri[uri] = enum_ref
            return enum_ref
        if is_map(schema) and refers_to_itself(ctx, schema, uri):
            # A map of itself cannot be a type alias: it becomes a class whose entries are
            # its `additional_properties`.
            check_schema(ctx, schema, at, typed=True)
            ref = ir.ModelRef(name)
            ctx.registry.by_uri[uri] = ref
            ctx.registry.models[name] = objects.build_object(ctx, schema, name, at)
            return ref
        if uri in ctx.registry.in_progress:
            # Met again while being built: a recursion through no class.
            ctx.registry.recursive.add(name)
            return ir.RecursiveRef(name)
        ctx.registry.in_progress.add(uri)
        target = inline_schema(ctx, schema, name, at, uri.split("#", 1)[0])
        ctx.registry.in_progress.discard(uri)
        recursive = ir.RecursiveRef(name) if name in ctx.registry.recursive else None
        alias: ir.TypeRef = recursive or ir.AliasRef(name, target)
        ctx.registry.by_uri[uri] = alias
        ctx.registry.models[name] = ir.AliasModel(name, text_of(get(schema, "description")), target, recursive)
        return alias
    finally:
        ctx.names.owners.pop()


def refers_to_itself(ctx: Context, schema: Any, uri: str) -> bool:
    """Whether `schema` reaches `uri` again through references that are not object models."""
    stack, seen = [schema], set()
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                target, target_uri = ctx.resolver.deref(node)
                if target_uri == uri:
                    return True
                if target_uri in seen or is_object(target, ctx.resolver):
                    continue
                seen.add(target_uri)
                stack.append(target)
                continue
            stack.extend(v for k, v in node.items() if k not in ("example", "examples", "default", "enum", "const"))
        elif isinstance(node, list):
            stack.extend(node)
    return False


def check_schema(ctx: Context, schema: Mapping[str, Any], at: list[str | int], *, typed: bool) -> None:
    """Report the keywords of a Schema Object the builder cannot read, each of which it
    ignores; `typed` tells whether the schema's type comes from keywords other than `type`
    (an object's properties, an enum, a union), or else is Any when `type` is unreadable.

    An unknown `format` is not reported: formats are open (OAS 3.1 §4.4), and one this
    generator has no row for (see `types`) is typed by its `type`, with nothing lost."""
    if "$ref" in schema and not isinstance(schema["$ref"], str):
        ctx.diagnostics.warn([*at, "$ref"], f"$ref must be a string, found {describe(schema['$ref'])}; ignored")
    declared = schema.get("type")
    if declared is not None:
        names = declared if isinstance(declared, list) else [declared]
        unknown = [n for n in names if not (isinstance(n, str) and n in JSON_TYPES)]
        if not isinstance(declared, (str, list)):
            problem = f"type must be a JSON Schema type or a list of them, found {describe(declared)}"
        elif unknown:
            problem = f"type {describe(unknown[0])} is not a JSON Schema type ({', '.join(JSON_TYPES)})"
        else:
            problem = ""
        if problem:
            ctx.diagnostics.warn([*at, "type"], f"{problem}; " + ("ignored" if typed else "typed as Any"))
    for keyword, shape, what in _SCHEMA_SHAPES:
        value = schema.get(keyword)
        if value is not None and not isinstance(value, shape):
            hint = _SHAPE_HINTS.get((keyword, type(value)), "")
            ctx.diagnostics.warn([*at, keyword], f"{keyword} must be {what}, found {describe(value)}{hint}; ignored")


def inline_schema(ctx: Context, schema: Any, hint: str, at: list[str | int], base_uri: str | None = None) -> ir.TypeRef:
    """A schema written in place, as a type (an object or enum becomes a class named `hint`)."""
    if not isinstance(schema, dict):
        if not isinstance(schema, bool):  # `true` and `false` are schemas in 3.1
            ctx.diagnostics.warn(at, f"a schema must be a mapping, found {describe(schema)}; typed as Any")
        return ANY
    types = types_of(schema)
    nullable = "null" in types or schema.get("nullable") is True
    typed = True  # by keywords other than `type`
    result: ir.TypeRef
    if "const" in schema and (schema["const"] is None or isinstance(schema["const"], (str, int, bool))):
        # `Literal[...]` takes these; a number or structure `const` is typed by its schema
        result = ir.LiteralOf(schema["const"])
    elif "enum" in schema and is_enum(schema) and enum_base(schema):
        result = objects.build_enum(ctx, schema, ctx.names.claim_class(class_name(hint)), at)
    elif union_key(schema) is not None:
        result, nullable = unions.build_union(ctx, schema, hint, at, base_uri, nullable)
    elif isinstance(schema.get("allOf"), list) and not has_own_object_keywords(schema) and len(schema["allOf"]) == 1:
        result = schema_type(ctx, schema["allOf"][0], hint, [*at, "allOf", 0], base_uri)
    elif is_object(schema, ctx.resolver):
        name = ctx.names.claim_class(class_name(hint))
        ctx.registry.inline_models[id(schema)] = name
        ctx.names.owners.append(name)
        try:
            ctx.registry.models[name] = objects.build_object(ctx, schema, name, at)
        finally:
            ctx.names.owners.pop()
        result = ir.ModelRef(name)
    else:
        typed = False
        result = typed_schema(ctx, schema, hint, at, base_uri)
    check_schema(ctx, schema, at, typed=typed)
    return ir.Nullable(result) if nullable and not isinstance(result, ir.Nullable) and result is not ANY else result


def typed_schema(
    ctx: Context, schema: Mapping[str, Any], hint: str, at: list[str | int], base_uri: str | None
) -> ir.TypeRef:
    """A schema whose `type` says what it is: a map, a list or a scalar (Any when a `type`
    is not one JSON Schema has)."""
    types = types_of(schema)
    declared = schema.get("type")
    if declared is not None and (not isinstance(declared, (str, list)) or set(types) - set(JSON_TYPES)):
        return ANY
    if "object" in types or (not types and "additionalProperties" in schema):
        additional = schema.get("additionalProperties", True)
        return ir.MapOf(
            NEVER
            if must_be_empty(schema)
            else (
                ANY
                if additional in (True, None, {}) or additional is False
                else shallow(
                    ctx, schema_type(ctx, additional, hint + "Value", [*at, "additionalProperties"], base_uri), at
                )
            )
        )
    if "array" in types:
        items = schema.get("items", {})
        items = items if isinstance(items, (dict, bool)) else {}  # reported by `check_schema`
        return ir.ListOf(shallow(ctx, schema_type(ctx, items, hint + "Item", [*at, "items"], base_uri), at))
    scalars = [t for t in types if t != "null"]
    if not types and isinstance(schema.get("enum"), list):
        # An enum that is no Enum class (see `enum_base`) and has no type: typed by its values.
        scalars = list(dict.fromkeys(json_type(v) for v in schema["enum"] if v is not None))
        if len(scalars) > 1:
            shown = ", ".join(describe(v) for v in schema["enum"][:4]) + (", …" if len(schema["enum"]) > 4 else "")
            ctx.diagnostics.warn([*at, "enum"], f"enum [{shown}] has values of several types and no type; typed as Any")
            return ANY
    if len(scalars) > 1:
        return ir.UnionOf(tuple(primitive(t, format_of(schema)) for t in scalars))
    return primitive(scalars[0], format_of(schema)) if scalars else ANY


def shallow(ctx: Context, inner: ir.TypeRef, at: list[str | int]) -> ir.TypeRef:
    """`inner`, or `Any` when lists and maps nest so deep that Python could not parse the
    annotation (its parser allows 200 open brackets)."""
    if _nesting(inner) < MAX_TYPE_NESTING:
        return inner
    ctx.diagnostics.warn(
        at, f"lists and maps nest more than {MAX_TYPE_NESTING} levels deep; deeper levels are typed as Any"
    )
    return ANY


# The schema keywords whose value the builder reads only in one shape: (keyword, shape, what it must be).
_SCHEMA_SHAPES: tuple[tuple[str, type | tuple[type, ...], str], ...] = (
    ("properties", dict, "a mapping of property names to schemas"),
    ("required", list, "a list of property names"),
    ("allOf", list, "a list of schemas"),
    ("oneOf", list, "a list of schemas"),
    ("anyOf", list, "a list of schemas"),
    ("enum", list, "a list of values"),
    ("items", (dict, bool), "one schema"),
)


_SHAPE_HINTS = {
    ("required", bool): " (OpenAPI 3 lists the required properties on their object)",
    ("items", list): " (a list of schemas, the tuple form, is not supported)",
}
