"""Constraints → checks: what a request value must meet before it is sent (JSON Schema validation
keywords: lengths, bounds, patterns, required names, ...), as an `ir.Check`.

Input: a schema and where it is written. Output: an `ir.Check`, or None when nothing constrains the
value; a reference to an object model defers to that model's own check.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from typing import Any

from .. import ir
from . import objects
from .context import Context
from .kinds import (
    has_own_object_keywords,
    is_object,
    must_be_empty,
    not_together,
    presence_alternatives,
    typed_as_list,
    types_of,
    union_key,
)
from .objects import Properties
from .read import get


def build_check(
    ctx: Context, node: Any, at: list[str | int], seen: frozenset[str] = frozenset(), *, arrays: bool = False
) -> ir.Check | None:
    """What a request value of this schema must meet (JSON Schema validation keywords), or
    None when nothing constrains it. A reference to an object model defers to its own check.

    With `arrays`, for an argument, each array the value holds outside object models must
    be one (`Check.array`): its annotation there is `SequenceNotStr`, which a type checker
    keeps a string out of, but which a caller without one may fill with a string."""
    target, uri = ctx.resolver.deref(node)
    if not isinstance(target, dict):
        return None
    if uri is not None:
        at = ctx.location(uri)
        built = ctx.registry.by_uri.get(uri)
        if isinstance(built, ir.ModelRef):
            return ir.Check(model=built.name)
        if uri in seen:
            return None
        seen = seen | {uri}
    elif id(target) in ctx.registry.inline_models:
        return ir.Check(model=ctx.registry.inline_models[id(target)])
    union = union_key(target)
    for key in (union,) if union is not None else ():
        listed = target.get(key)
        members = [
            (index, m)
            for index, m in enumerate(listed if isinstance(listed, list) else [])
            if types_of(ctx.resolver.deref(m)[0]) != ["null"]
        ]
        if key in target:
            if len(members) == 1:
                return build_check(ctx, members[0][1], [*at, key, members[0][0]], seen, arrays=arrays)
            # A value must meet one member's check; a member that checks nothing lets any
            # value through, so then the union checks nothing either, but for an instance of
            # a member's model, which is checked as that member (see `Rule.any_of`).
            checks = [build_check(ctx, m, [*at, key, index], seen, arrays=arrays) for index, m in members]
            constraining = [c for c in checks if c is not None and not checks_nothing(ctx, c)]
            if checks and len(constraining) == len(checks):
                return ir.Check(any_of=tuple(constraining))
            if any(c.model is not None for c in constraining):
                return ir.Check(any_of=tuple(c if c is not None and c in constraining else ir.Check() for c in checks))
            return None
    parts: list[Any] = target["allOf"] if isinstance(target.get("allOf"), list) else []
    if len(parts) == 1 and not has_own_object_keywords(target):
        inner = build_check(ctx, parts[0], [*at, "allOf", 0], seen, arrays=arrays)
        own = scalar_check(ctx, target, at)
        return inner if own is None else own if inner is None else _merge_checks(inner, own)
    if is_object(target, ctx.resolver):
        check = object_check(ctx, target, at, seen)
        return check if check != ir.Check() else None
    scalar = scalar_check(ctx, target, at) or ir.Check()
    if must_be_empty(target):
        scalar = dataclasses.replace(scalar, max_properties=0)
    required = target.get("required")
    if isinstance(required, list) and required and "object" in (types_of(target) or ["object"]):
        # A map's required names, which no property describes (a model's are its fields).
        scalar = dataclasses.replace(scalar, required=tuple(dict.fromkeys(str(n) for n in required)))
    items = target.get("items")
    additional = target.get("additionalProperties")
    names = target.get("propertyNames")
    check = _replace_check(
        scalar,
        array=arrays and typed_as_list(target),
        items=build_check(ctx, items, [*at, "items"], seen, arrays=arrays) if isinstance(items, dict) else None,
        values=(
            build_check(ctx, additional, [*at, "additionalProperties"], seen, arrays=arrays)
            if isinstance(additional, dict)
            else None
        ),
        keys=build_check(ctx, names, [*at, "propertyNames"], seen) if isinstance(names, dict) else None,
    )
    return check if check != ir.Check() else None


def field_check(ctx: Context, body_field: ir.Field, properties: Properties) -> ir.Check | None:
    """What a body field's argument must meet before the body model is built from it: to be
    an array where its type holds one (see `Operation.checked_fields`), and for a union with
    a model member, all of its check, while an instance of a member is still one (`Rule.
    any_of`). Its other constraints are the body model's, checked on the body it encodes."""
    schema = properties.schemas.get(body_field.wire)
    if schema is None:
        return None
    if isinstance(body_field.type, ir.UnionOf) or (
        isinstance(body_field.type, ir.Nullable) and isinstance(body_field.type.inner, ir.UnionOf)
    ):
        check = build_check(ctx, schema, properties.where[body_field.wire], arrays=True)
        if check is not None and any(c.model is not None for c in check.any_of):
            return check
    if not any(isinstance(t, ir.ListOf) for t in ir.walk(body_field.type, into_aliases=True)):
        return None
    return _arrays_of(build_check(ctx, schema, properties.where[body_field.wire], arrays=True))


def checks_nothing(ctx: Context, check: ir.Check) -> bool:
    """Whether `check` only defers to an object model that has nothing to check (a model
    still being built may have something)."""
    model = ctx.registry.models.get(check.model) if check.model is not None else None
    return isinstance(model, ir.ObjectModel) and model.check == ir.Check() and check == ir.Check(model=check.model)


def object_check(ctx: Context, schema: Any, at: list[str | int], seen: frozenset[str]) -> ir.Check:
    """The check of an object schema: required and constrained properties, through `allOf`."""
    merged = objects.merged_properties(ctx, schema, at, set())
    checks = []
    for wire, prop in merged.schemas.items():
        target, _ = ctx.resolver.deref(prop)
        if get(target, "readOnly") or get(prop, "readOnly"):
            continue
        check = build_check(ctx, prop, merged.where[wire], seen)
        if check is not None:
            checks.append((wire, check))
    read_only = {w for w, p in merged.schemas.items() if get(ctx.resolver.deref(p)[0], "readOnly")}
    base = scalar_check(ctx, schema, at) or ir.Check()
    names = schema.get("propertyNames") if isinstance(schema, dict) else None
    additional = merged.additional
    presence = presence_alternatives(schema)
    if presence:
        # The names of one alternative are there (of exactly one, for a `oneOf`).
        base = dataclasses.replace(
            base,
            any_of=tuple(ir.Check(required=names) for names in presence),
            exactly_one=isinstance(schema.get("oneOf"), list) and bool(schema["oneOf"]),
        )
    together = not_together(schema)
    if together:
        base = dataclasses.replace(base, not_together=together)
    return _replace_check(
        base,
        required=tuple(w for w in merged.schemas if w in merged.required and w not in read_only),
        properties=tuple(checks),
        values=build_check(ctx, additional, merged.additional_at, seen) if isinstance(additional, dict) else None,
        keys=build_check(ctx, names, [*at, "propertyNames"], seen) if isinstance(names, dict) else None,
    )


def scalar_check(ctx: Context, schema: Mapping[str, Any], at: list[str | int]) -> ir.Check | None:
    """The keywords of `schema` itself (3.0's boolean `exclusiveMinimum` read as 3.1's)."""
    found: dict[str, Any] = {}
    for keyword, name in _CHECK_KEYWORDS.items():
        value = schema.get(keyword)
        if isinstance(value, bool) and name != "unique_items":
            continue  # 3.0's boolean exclusiveMinimum/Maximum: below
        if value is not None and value is not False:
            found[name] = value
    for flag, bound, name in (
        ("exclusiveMinimum", "minimum", "exclusive_minimum"),
        ("exclusiveMaximum", "maximum", "exclusive_maximum"),
    ):
        if schema.get(flag) is True and bound in found:
            found[name] = found.pop(bound)
    if "pattern" in found and not _compiles(str(found["pattern"])):
        ctx.diagnostics.warn(
            [*at, "pattern"],
            f"pattern {found['pattern']!r} is not a Python regular expression; not checked client-side",
        )
        del found["pattern"]
    listed = schema.get("enum")
    values = (
        [v for v in listed if v is not None and not isinstance(v, (dict, list))] if isinstance(listed, list) else []
    )
    if "const" in schema and isinstance(schema["const"], (str, int, float, bool)):
        values = [schema["const"]]
    if values:
        found["enum"] = tuple(dict.fromkeys(values))
    return ir.Check(**found) if found else None


_CHECK_KEYWORDS = {
    "maxLength": "max_length",
    "minLength": "min_length",
    "pattern": "pattern",
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusiveMinimum": "exclusive_minimum",
    "exclusiveMaximum": "exclusive_maximum",
    "multipleOf": "multiple_of",
    "maxItems": "max_items",
    "minItems": "min_items",
    "uniqueItems": "unique_items",
    "maxProperties": "max_properties",
    "minProperties": "min_properties",
}


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _arrays_of(check: ir.Check | None) -> ir.Check | None:
    """The part of a check that says where arrays must be: `array` and the items and values
    holding one; a union holding one keeps its members whole, since a string one of them
    takes (Stripe's `""` for "unset") must still pass."""
    if check is None:
        return None
    if check.any_of:
        return ir.Check(any_of=check.any_of) if any(_arrays_of(c) for c in check.any_of) else None
    items, values = _arrays_of(check.items), _arrays_of(check.values)
    return ir.Check(array=check.array, items=items, values=values) if check.array or items or values else None


def _replace_check(check: ir.Check, **changes: Any) -> ir.Check:
    given = {k: v for k, v in changes.items() if v}
    return dataclasses.replace(check, **given) if given else check


def _merge_checks(first: ir.Check, second: ir.Check) -> ir.Check:
    """Both checks at once: `second`'s keywords win where both set one."""
    return dataclasses.replace(
        first,
        **{
            f.name: getattr(second, f.name)
            for f in dataclasses.fields(second)
            if getattr(second, f.name) is not None
            and getattr(second, f.name) is not False
            and getattr(second, f.name) != ()
        },
    )
