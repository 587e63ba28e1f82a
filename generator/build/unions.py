"""`oneOf` / `anyOf` (JSON Schema §10.2.1.2-3) → `ir.UnionOf`, with the Discriminator Object
(OAS 3.1 §4.8.25) that tells its members apart.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import ir
from ..naming import class_name, pascal
from ..resolve import mapping_target
from ..types import ANY
from . import schemas
from .context import Context
from .kinds import accepts_anything, types_of
from .read import describe


def build_union(
    ctx: Context, schema: Mapping[str, Any], hint: str, at: list[str | int], base_uri: str | None, nullable: bool
) -> tuple[ir.TypeRef, bool]:
    """`oneOf`/`anyOf` (JSON Schema §10.2.1.2-3); a `null` member makes the union nullable."""
    key = "oneOf" if isinstance(schema.get("oneOf"), list) and schema["oneOf"] else "anyOf"
    listed = schema.get(key)
    raw_members: list[Any] = listed if isinstance(listed, list) else []
    members: list[ir.TypeRef] = []
    if key == "oneOf":
        check_one_of(ctx, raw_members, [*at, key], base_uri)
    for index, member in enumerate(raw_members):
        target, _ = ctx.resolver.deref(member, base_uri)
        if isinstance(target, dict) and types_of(target) == ["null"]:
            nullable = True
            continue
        title = target.get("title") if isinstance(target, dict) else None
        name = hint + (pascal(title) if isinstance(title, str) and title else f"Variant{index + 1}")
        built = schemas.schema_type(ctx, member, name, [*at, key, index], base_uri)
        if built not in members:
            members.append(built)
    if not members:
        return ANY, nullable
    if len(members) == 1:
        return members[0], nullable
    return ir.UnionOf(tuple(members), build_discriminator(ctx, schema, raw_members, at)), nullable


def check_one_of(ctx: Context, members: list[Any], at: list[str | int], base_uri: str | None) -> None:
    """Report `oneOf` members that overlap whatever the value (JSON Schema §10.2.1.3: a value
    must match exactly one): a schema listed twice, or one that accepts everything beside
    others. Such a union rejects what it seems to allow; `anyOf` is what was meant."""
    seen: dict[str, int] = {}
    for index, member in enumerate(members):
        target, uri = ctx.resolver.deref(member, base_uri)
        if uri is not None and uri in seen:
            ctx.diagnostics.warn(
                [*at, index],
                f"oneOf lists {member.get('$ref')!r} again (as member {seen[uri]}): no value matches exactly "
                "one of them, so every value is invalid; anyOf is likely meant",
            )
        elif uri is not None:
            seen[uri] = index
        if len(members) > 1 and (target is True or (isinstance(target, dict) and accepts_anything(target))):
            ctx.diagnostics.warn(
                [*at, index],
                "this oneOf member accepts any value, so a value another member accepts matches two and is "
                "invalid; anyOf is likely meant",
            )


def build_discriminator(
    ctx: Context, schema: Mapping[str, Any], raw: list[Any], at: list[str | int]
) -> ir.Discriminator | None:
    """The Discriminator Object (OAS 3.1 §4.8.25): explicit `mapping`, else component names.
    Without one, a union's value is decoded by trying each member in turn."""
    discriminator = schema.get("discriminator")
    if discriminator is None:
        return None
    where = [*at, "discriminator"]
    if not isinstance(discriminator, dict) or not isinstance(discriminator.get("propertyName"), str):
        ctx.diagnostics.warn(where, "a discriminator must be a mapping with a propertyName; ignored")
        return None
    explicit = discriminator.get("mapping")
    if explicit is not None and not isinstance(explicit, dict):
        ctx.diagnostics.warn(
            [*where, "mapping"], f"mapping must map values to schemas, found {describe(explicit)}; ignored"
        )
    mapping: dict[str, ir.ModelRef] = {}
    for value, ref in explicit.items() if isinstance(explicit, dict) else ():
        built = schemas.schema_type(
            ctx, {"$ref": mapping_target(ref)}, class_name(str(value)), [*where, "mapping", value]
        )
        if isinstance(built, ir.ModelRef):
            mapping[str(value)] = built
        else:
            ctx.diagnostics.warn(
                [*where, "mapping", value],
                f"{ref!r} is not an object schema, which a discriminator value must name; left out of the mapping",
            )
    for member in raw:
        if isinstance(member, dict) and "$ref" in member:
            _, uri = ctx.resolver.deref(member)
            member_type = ctx.registry.by_uri.get(uri or "")
            key = ctx.registry.component_keys.get(uri or "")
            if key is not None and isinstance(member_type, ir.ModelRef) and member_type not in mapping.values():
                mapping[key] = member_type
    return ir.Discriminator(discriminator["propertyName"], tuple(mapping.items())) if mapping else None
