"""The OpenAPI Object (OAS 3.1 §4.8.1): info, servers, components, paths, webhooks, security, in the
order the passes need them; and Server Objects (§4.8.5).
"""

from __future__ import annotations

import http

from .. import ir
from ..diagnostics import pointer
from ..naming import class_name, pascal
from .context import Context
from .events import build_event_payloads
from .modules import model_modules
from .operations import build_groups
from .read import text_of
from .schemas import schema_type
from .security import build_security_schemes, http_scheme, transport_schemes
from .servers import build_server_url


def build_openapi(ctx: Context, package: str) -> ir.Api:
    """The OpenAPI Object (OAS 3.1 §4.8.1): info, servers, components, paths, security."""
    info = ctx.section("info")
    ctx.section("components")
    schemas = ctx.section("components", "schemas")
    for key in schemas:
        uri = f"{ctx.resolver.base_uri}#{pointer(['components', 'schemas', key])}"
        ctx.registry.component_names[uri] = ctx.names.claim_class(class_name(key))
        ctx.registry.component_keys[uri] = key
    for key in schemas:
        built = schema_type(
            ctx,
            {"$ref": "#" + pointer(["components", "schemas", key])},
            class_name(key),
            ["components", "schemas", key],
        )
        ctx.typed(["components", "schemas", key], schemas[key], built)
    groups = build_groups(ctx)
    build_event_payloads(ctx)
    security = build_security_schemes(ctx, package)
    return ir.Api(
        package=package,
        title=str(info.get("title", package)),
        version=str(info.get("version", "")),
        doc=text_of(info.get("description")),
        base_url=build_server_url(ctx, ctx.document.data.get("servers"), ["servers"]),
        source_name=ctx.document.name,
        source_sha256=ctx.resolver.digest(ctx.document.sha256),
        modules=model_modules(ctx),
        groups=groups,
        security=security,
        mutual_tls=transport_schemes(ctx, "mutualTLS"),
        http_auth=tuple((key, http_scheme(ctx, key)) for key in transport_schemes(ctx, "http")),
        status_errors=status_errors(groups),
    )


def status_errors(groups: tuple[ir.Group, ...]) -> tuple[ir.StatusError, ...]:
    statuses: set[int] = set()
    for group in groups:
        for op in group.operations:
            statuses.update(
                int(r.status) for r in (*op.successes, *op.errors) if r.status.isdigit() and int(r.status) >= 400
            )
    return tuple(_status_error(s) for s in sorted(statuses))


def _status_error(status: int) -> ir.StatusError:
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        return ir.StatusError(status, f"Status{status}Error", f"HTTP {status}")
    name = pascal(phrase)
    return ir.StatusError(status, name if name.endswith("Error") else name + "Error", phrase)
