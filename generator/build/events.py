"""Events: webhooks (OAS 3.1 §4.8.1) and callbacks (§4.8.18) are requests the API sends, not calls
the client makes. Their payloads become models (to read what arrives); no method is generated.
"""

from __future__ import annotations

from typing import Any

from ..naming import pascal
from .context import Context
from .media import media_kind
from .operations import HTTP_METHODS, iter_operations
from .read import entries, get
from .schemas import schema_type


def build_event_payloads(ctx: Context) -> None:
    """Webhooks (OAS 3.1 §4.8.1) and callbacks (§4.8.18) are requests the API sends, not
    calls the client makes: their payloads become models (to read what arrives), and no
    method is generated for them."""
    events: list[tuple[str, Any, list[str | int]]] = [
        (str(name), item, ["webhooks", name]) for name, item in ctx.section("webhooks").items()
    ]
    for op in iter_operations(ctx):
        for name, callback in entries(op.node.get("callbacks")):
            callback, _ = ctx.resolver.deref(callback)
            for expression, item in entries(callback):
                events.append(
                    (f"{op.node.get('operationId', '')} {name}", item, [*op.ptr, "callbacks", name, expression])
                )
    for name, item, ptr in events:
        item, uri = ctx.resolver.deref(item)
        ptr = ctx.location(uri) if uri else ptr
        for method in HTTP_METHODS:
            body, body_uri = ctx.resolver.deref(get(get(item, method), "requestBody"))
            at = ctx.location(body_uri) if body_uri else [*ptr, method, "requestBody"]
            for media_type, media in entries(get(body, "content")):
                if media_kind(media_type) == "json" and isinstance(media, dict) and "schema" in media:
                    hint = pascal(f"{name} {'' if method == 'post' else method} payload")
                    built = schema_type(ctx, media["schema"], hint, [*at, "content", media_type, "schema"])
                    ctx.typed([*at, "content", media_type], media, built)
