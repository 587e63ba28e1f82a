"""What a Schema Object is, decided from its keywords alone (no reference is followed, but by
`is_object` through `allOf`): the predicates the schema, check and body builders share.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

from .. import ir
from ..resolve import Resolver

JSON_TYPES = ("string", "number", "integer", "boolean", "array", "object", "null")


def typed_as_list(schema: Mapping[str, Any]) -> bool:
    """Whether a schema that is no union, `allOf` or object is typed as a list (see
    `inline_schema` and `typed_schema`): a `const` or an enum class comes first, a map too."""
    if "const" in schema and (schema["const"] is None or isinstance(schema["const"], (str, int, bool))):
        return False
    if "enum" in schema and is_enum(schema) and enum_base(schema):
        return False
    types = types_of(schema)
    return "array" in types and "object" not in types


def value_kind(schema: Any) -> str | None:
    """Whether a schema describes a primitive, an array or an object (None: it does not say)."""
    if not isinstance(schema, dict):
        return None
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        kind = kinds[0] if len(kinds) == 1 else None
    if kind in ("array", "object"):
        return str(kind)
    if kind in ("string", "integer", "number", "boolean"):
        return "primitive"
    if "properties" in schema:
        return "object"
    return None


def accepts_anything(schema: Mapping[str, Any]) -> bool:
    """Whether a schema asserts nothing: no keys but annotations and extensions."""
    return not _assertions(schema)


def required_only(schema: Any) -> tuple[str, ...] | None:
    """The names of a schema that asserts nothing but `required` (`{required: [a, b]}`), else None."""
    if not isinstance(schema, dict) or _assertions(schema) != {"required"}:
        return None
    required = schema["required"]
    if not isinstance(required, list) or not all(isinstance(n, str) for n in required):
        return None
    return tuple(dict.fromkeys(required))


def _assertions(schema: Mapping[str, Any]) -> set[str]:
    """The keywords of `schema` that assert something: neither annotations nor extensions."""
    return {k for k in schema if k not in ANNOTATIONS and not k.startswith("x-")}


ANNOTATIONS = frozenset(
    {"title", "description", "default", "example", "examples", "deprecated", "readOnly", "writeOnly", "$comment"}
)


def is_map(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and "object" in (types_of(schema) or ["object"])
        and isinstance(schema.get("additionalProperties"), dict)
        and not schema.get("properties")
        and not any(k in schema for k in ("allOf", "enum", "items"))
        and union_key(schema) is None
    )


def format_of(schema: Mapping[str, Any]) -> Any:
    """The `format`, with 3.1's `contentMediaType` of a non-text type read as `binary`."""
    media = schema.get("contentMediaType")
    if "format" not in schema and isinstance(media, str) and not media.startswith(("text/", "application/json")):
        return "binary"
    return schema.get("format")


def types_of(schema: Mapping[str, Any]) -> list[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [str(t) for t in declared]
    return []


def is_enum(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and isinstance(schema.get("enum"), list)
        and "const" not in schema
        and not {"object", "array"} & set(types_of(schema))
    )


def enum_base(schema: Mapping[str, Any]) -> Literal["str", "int"] | None:
    """ "str" or "int" when the values of an `enum` (null aside) make an Enum class of that
    base: all strings, or all integers. Others (booleans, numbers, mixed) are typed by the
    schema's type, and checked against the values before sending."""
    values = [v for v in schema["enum"] if v is not None]
    if values and all(isinstance(v, str) for v in values):
        return "str"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int"
    return None


def json_type(value: Any) -> str:
    """The JSON Schema type of a JSON value."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string" if isinstance(value, str) else "array" if isinstance(value, list) else "object"


def has_own_object_keywords(schema: Mapping[str, Any]) -> bool:
    return bool(schema.get("properties")) or "additionalProperties" in schema


def union_key(schema: Mapping[str, Any]) -> str | None:
    """The keyword (`oneOf`, else `anyOf`) that makes `schema` a union of types; None when it
    has neither, or when its members only say which properties must be there (`anyOf:
    [{required: [a]}, {required: [b]}]` beside `properties`): those constrain an object, they
    do not type it."""
    for key in ("oneOf", "anyOf"):
        listed = schema.get(key)
        if isinstance(listed, list) and listed:
            return None if presence_alternatives(schema, key) else key
        if isinstance(listed, list):
            return key
    return None


def presence_alternatives(schema: Any, key: str | None = None) -> tuple[tuple[str, ...], ...]:
    """The required names of each member of a `oneOf`/`anyOf` whose members assert nothing but
    `required`, on a schema that describes an object's properties; () otherwise."""
    if not isinstance(schema, dict) or not schema.get("properties"):
        return ()
    for name in (key,) if key else ("oneOf", "anyOf"):
        listed = schema.get(name)
        if not isinstance(listed, list) or not listed:
            continue
        found = [required_only(member) for member in listed]
        return () if None in found else tuple(names for names in found if names is not None)
    return ()


def not_together(schema: Any) -> tuple[str, ...]:
    """The names of a `not: {required: [...]}` (they may not all be there): the one form of
    `not` checked, being exact; a `not` of other keywords is left to the server."""
    names = required_only(schema.get("not")) if isinstance(schema, dict) else None
    return names or ()


def is_object(schema: Any, resolver: Resolver, seen: frozenset[int] = frozenset()) -> bool:
    """Does this schema describe an object with named properties (here or through `allOf`)?
    A schema met again through its own `allOf` adds nothing."""
    if not isinstance(schema, dict) or union_key(schema) is not None or "enum" in schema:
        return False
    if schema.get("properties"):
        return True
    parts = schema.get("allOf") or []
    if id(schema) in seen or not isinstance(parts, list):
        return False
    if len(parts) > 1 or (parts and has_own_object_keywords(schema)):
        return any(is_object(resolver.deref(p)[0], resolver, seen | {id(schema)}) for p in parts)
    return False


def must_be_empty(schema: Mapping[str, Any]) -> bool:
    """Whether an object schema allows no property at all: `additionalProperties: false` and
    no `properties` or `patternProperties` (typed `dict[str, Never]`, checked to be empty)."""
    return (
        schema.get("additionalProperties") is False
        and not schema.get("properties")
        and not schema.get("patternProperties")
        and not schema.get("allOf")
        and set(types_of(schema)) <= {"object", "null"}
    )


def nullable_if(schema: Mapping[str, Any], ref: ir.TypeRef) -> ir.TypeRef:
    nullable = schema.get("nullable") is True or "null" in types_of(schema) or None in schema.get("enum", [])
    return ir.Nullable(ref) if nullable else ref
