"""Object schemas → `ir.ObjectModel` (their properties merged through `allOf`), and string or
integer enums → `ir.EnumModel`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import ir
from ..naming import Scope, attr_name, constant_name, pascal
from ..types import ANY
from . import checks, schemas
from .context import ANNOTATION_BUILTINS, RESERVED_FIELDS, Context
from .kinds import enum_base, types_of
from .read import get, joined, text_of, with_default


@dataclass
class Properties:
    """An object schema's properties merged through `allOf` (see `merged_properties`)."""

    schemas: dict[str, Any] = field(default_factory=dict)  # by wire name
    where: dict[str, list[str | int]] = field(default_factory=dict)  # where each is written
    required: dict[str, list[str | int]] = field(default_factory=dict)  # names, where each is listed
    additional: Any = None  # `additionalProperties`
    additional_at: list[str | int] = field(default_factory=list)


def build_object(ctx: Context, schema: Mapping[str, Any], name: str, at: list[str | int]) -> ir.ObjectModel:
    """An object schema as a dataclass: its properties (merged through `allOf`) and what else it keeps."""
    merged = merged_properties(ctx, schema, at, set())
    scope = Scope(RESERVED_FIELDS)
    fields = []
    for wire, prop in merged.schemas.items():
        target, _ = ctx.resolver.deref(prop)
        read_only = bool(get(target, "readOnly") or get(prop, "readOnly"))
        write_only = bool(get(target, "writeOnly") or get(prop, "writeOnly"))
        field_type = schemas.schema_type(ctx, prop, name + pascal(wire), merged.where[wire])
        # A reference to a class is documented on the class; one to an alias or a scalar
        # schema lends the field its description.
        own_doc = text_of(get(prop, "description")) or text_of(get(prop, "title"))
        borrowed = None if isinstance(field_type, (ir.ModelRef, ir.EnumRef)) else text_of(get(target, "description"))
        fields.append(
            ir.Field(
                name=scope.claim(_field_name(wire)),
                wire=wire,
                type=field_type,
                required=wire in merged.required and not read_only and not write_only,
                doc=with_default(own_doc or borrowed, target if isinstance(target, dict) else {}),
                read_only=read_only,
                write_only=write_only,
            )
        )
    additional = merged.additional
    if additional is False:
        extra: ir.TypeRef | None = None
    elif additional in (True, None) or additional == {}:
        extra = ANY
    else:
        extra = schemas.schema_type(ctx, additional, name + "Value", merged.additional_at)
    return ir.ObjectModel(
        name=name,
        doc=joined(get(schema, "title") if get(schema, "title") != name else None, get(schema, "description")),
        fields=tuple(fields),
        extra=extra,
        extra_name=scope.claim("additional_properties"),
        check=checks.object_check(ctx, schema, at, frozenset()),
    )


def merged_properties(
    ctx: Context, schema: Any, at: list[str | int], seen: set[int], *, nested: bool = False
) -> Properties:
    """Properties, required names and `additionalProperties` of `schema` and its `allOf`
    parts, with where each is written; a required name that no property describes is a
    property of any value (or of `additionalProperties`' schema), but in a `nested` part,
    whose whole may describe it."""
    merged = Properties()
    if not isinstance(schema, dict) or id(schema) in seen:
        return merged
    seen.add(id(schema))
    merged.additional, merged.additional_at = schema.get("additionalProperties"), [*at, "additionalProperties"]
    parts = schema.get("allOf")
    for index, part in enumerate(parts if isinstance(parts, list) else []):
        target, uri = ctx.resolver.deref(part)
        part_at = ctx.location(uri) if uri else [*at, "allOf", index]
        if isinstance(target, dict):
            schemas.check_schema(ctx, target, part_at, typed=True)
        more = merged_properties(ctx, target, part_at, seen, nested=True)
        merged.schemas.update(more.schemas)
        merged.where.update(more.where)
        merged.required |= {n: w for n, w in more.required.items() if n not in merged.required}
        if merged.additional is None:
            merged.additional, merged.additional_at = more.additional, more.additional_at
    own = schema.get("properties")
    if isinstance(own, dict):
        merged.schemas.update(own)
        merged.where.update({wire: [*at, "properties", wire] for wire in own})
    names = schema.get("required")
    for index, name in enumerate(names if isinstance(names, list) else []):
        merged.required.setdefault(str(name), [*at, "required", index])
    if not nested:
        # A required name no property describes must still be present (JSON Schema §10.3.2.
        # 2-3): it is a property of `additionalProperties`' schema, else of any value.
        additional = merged.additional if isinstance(merged.additional, dict) else {}
        for name, where in merged.required.items():
            if name not in merged.schemas:
                merged.schemas[name] = additional
                merged.where[name] = merged.additional_at if additional else where
    return merged


def build_enum(ctx: Context, schema: Mapping[str, Any], name: str, at: list[str | int]) -> ir.EnumRef:
    """A string or integer `enum` (see `enum_base`) as an open Enum class, with the `Literal`
    alias of its values (`GenreValue`) beside it."""
    values = [v for v in schema["enum"] if v is not None]
    base = enum_base(schema)
    assert base is not None
    declared = [t for t in types_of(schema) if t != "null"]
    if declared and not set(declared) & _ENUM_TYPES[base]:
        kind = "strings" if base == "str" else "integers"
        ctx.diagnostics.warn(
            [*at, "enum"], f"enum values are {kind} but type is {', '.join(declared)}; the type is ignored"
        )
    scope = Scope({"name", "value"})
    members = tuple(ir.EnumMember(scope.claim(constant_name(v)), v) for v in dict.fromkeys(values))
    literal = ctx.names.classes.claim(f"{name}Value")
    doc = text_of(schema.get("description"))
    ctx.registry.models[name] = ir.EnumModel(name, doc, base, members, literal)
    return ir.EnumRef(name, literal)


# The types an enum's values may declare: strings; integers (which are numbers too).
_ENUM_TYPES = {"str": {"string"}, "int": {"integer", "number"}}


def _field_name(wire: str) -> str:
    name = attr_name(wire)
    return name + "_" if name in ANNOTATION_BUILTINS else name
