"""Request Body Objects (OAS 3.1 §4.8.13) and their Encoding Objects (§4.8.15): an object body
becomes keyword arguments (the body model's fields), anything else one `body` argument.

Input: an operation's `requestBody`. Output: an `ir.RequestBody` and the body's arguments.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from .. import ir
from ..naming import Scope
from .checks import build_check, field_check
from .context import Context
from .media import BYTES, PASSED_AS, TEXT, header_safe, media_kind, pick_media_type, unused_schema
from .objects import merged_properties
from .parameters import PARAMETER_STYLES, representable_style
from .read import describe, text_of
from .schemas import schema_type


def build_request_body(
    ctx: Context, node: Any, hint: str, args: Scope, ptr: list[str | int]
) -> tuple[ir.RequestBody | None, tuple[ir.Parameter, ...]]:
    """A Request Body Object (OAS 3.1 §4.8.13): an object body becomes keyword arguments."""
    if node is None:
        return None, ()
    node, uri = ctx.resolver.deref(node)
    ptr = ctx.location(uri) if uri else ptr
    if not isinstance(node, dict):
        ctx.diagnostics.warn(
            ptr, f"a request body must be a mapping, found {describe(node)}; the operation is generated without a body"
        )
        return None, ()
    picked = pick_media_type(ctx, node.get("content"), [*ptr, "content"])
    if picked is None:
        ctx.diagnostics.warn(
            [*ptr, "content"] if "content" in node else ptr,
            "a request body must have content (a media type and its schema); the operation is generated without a body",
        )
        return None, ()
    media_type, media = picked
    encoding = media_kind(media_type)
    required = ctx.flag(node, "required", False, ptr)
    schema = media.get("schema")
    at = [*ptr, "content", media_type]
    if encoding in ("binary", "text"):
        body_type: ir.TypeRef = BYTES if encoding == "binary" else TEXT
        unused_schema(ctx, schema, [*at, "schema"], f"{media_type} request bodies are sent as {PASSED_AS[encoding]}")
    else:
        body_type = schema_type(ctx, schema if schema is not None else {}, hint + "Body", [*at, "schema"])
        ctx.typed(at, media, body_type)
    model = ctx.registry.models.get(body_type.name) if isinstance(body_type, ir.ModelRef) else None
    if isinstance(model, ir.ObjectModel) and isinstance(body_type, ir.ModelRef):
        target, uri = ctx.resolver.deref(schema)
        properties = merged_properties(ctx, target, ctx.location(uri) if uri else [*at, "schema"], set())
        fields = tuple(
            ir.Parameter(
                name=args.claim(f.name),
                wire=f.wire,
                location="body",
                type=f.type,
                required=f.required,
                doc=f.doc,
                attr=f.name,
                check=field_check(ctx, f, properties),
            )
            for f in model.fields
            if not f.read_only
        )
        parts = build_encodings(ctx, media, encoding, properties.schemas, at)
        return ir.RequestBody(media_type, encoding, required, body_type, None, parts), fields
    argument = ir.Parameter(
        name=args.claim("body"),
        wire="body",
        location="body",
        type=body_type,
        required=required,
        doc=text_of(node.get("description")),
        check=(
            build_check(ctx, schema, [*at, "schema"], arrays=True)
            if encoding in ("json", "form", "multipart") and schema is not None
            else None
        ),
    )
    parts = build_encodings(ctx, media, encoding, None, at)
    return ir.RequestBody(media_type, encoding, required, None, argument, parts), ()


def build_encodings(
    ctx: Context,
    media: Mapping[str, Any],
    encoding: str,
    properties: Mapping[str, Any] | None,
    at: list[str | int],
) -> tuple[ir.PartEncoding, ...]:
    """The `encoding` map of a form or multipart body (Encoding Objects, OAS 3.1.1 §4.8.15),
    by property: its `style` and `explode`, written as a query parameter's would be (OAS
    3.1 applies them to multipart parts too), else, for a JSON `contentType` in a form, its
    JSON text; a multipart part's `contentType`. What the client cannot honour is reported.
    `properties` maps the body's property names to their schemas (None: not an object)."""
    raw = media.get("encoding")
    if raw is None:
        return ()
    at = [*at, "encoding"]
    if encoding not in ("form", "multipart"):
        ctx.diagnostics.warn(at, "encoding applies to form and multipart bodies only; ignored")
        return ()
    if not isinstance(raw, dict):
        ctx.diagnostics.warn(
            at, f"encoding must map property names to Encoding Objects, found {describe(raw)}; ignored"
        )
        return ()
    parts = []
    for name, node in raw.items():
        where = [*at, name]
        node, _ = ctx.resolver.deref(node)
        if properties is not None and name not in properties:
            ctx.diagnostics.warn(where, f"encoding names {name!r}, which is not a property of the body; ignored")
            continue
        if not isinstance(node, dict):
            ctx.diagnostics.warn(where, f"an Encoding Object must be a mapping, found {describe(node)}; ignored")
            continue
        if isinstance(node.get("headers"), dict) and node["headers"]:
            ctx.diagnostics.warn(
                [*where, "headers"], "headers of a part are not sent: the client takes no value for them"
            )
        if node.get("allowReserved") is True:
            ctx.diagnostics.warn(
                [*where, "allowReserved"],
                f"allowReserved is not applied in a {encoding} body: reserved characters are percent-encoded, "
                "which a form decodes alike",
            )
        content_type = node.get("contentType")
        if content_type is not None and not isinstance(content_type, str):
            ctx.diagnostics.warn(
                [*where, "contentType"], f"contentType must be a string, found {describe(content_type)}; ignored"
            )
            content_type = None
        first = content_type.split(",")[0].strip() if content_type else None
        part = ir.PartEncoding(str(name))
        if "style" in node or "explode" in node:
            style = node.get("style", "form")
            if style not in PARAMETER_STYLES["query"]:
                ctx.diagnostics.warn([*where, "style"], f"style {describe(style)} is not a query style; sent as form")
                style = "form"
            explode = ctx.flag(node, "explode", style == "form", where)
            if style == "deepObject":
                # Brackets, as a form body writes its objects anyway (`a[b][c]=v`, arrays
                # inside indexed `a[b][0]=v`, which deepObject leaves undefined): what
                # form-encoded APIs such as Stripe's, which declare deepObject, read.
                if encoding == "multipart":
                    part = dataclasses.replace(part, style="deepObject", explode=True)
            else:
                schema = (properties or {}).get(name, {})
                style, explode = representable_style(
                    ctx, schema, str(style), explode, str(name), where, "explode" in node
                )
                part = dataclasses.replace(part, style=style, explode=explode)
        elif encoding == "form" and first and media_kind(first) == "json":
            part = dataclasses.replace(part, style="json")
        if encoding == "multipart" and first and "*" not in first and header_safe(first):
            part = dataclasses.replace(part, content_type=first)
        if part != ir.PartEncoding(str(name)):
            parts.append(part)
    return tuple(parts)
