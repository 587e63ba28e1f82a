"""The Responses Object (OAS 3.1 §4.8.16) and each Response Object (§4.8.17): the body of its
preferred media type, typed, split into successes and errors.
"""

from __future__ import annotations

import re
from typing import Any, Literal

from .. import ir
from ..types import ANY
from .context import Context
from .media import BYTES, PASSED_AS, TEXT, acceptable, media_kind, pick_media_type, unused_schema
from .read import describe, text_of
from .schemas import schema_type

_STATUS = re.compile(r"[1-5](?:[0-9][0-9]|XX)|default", re.IGNORECASE)


def build_responses(
    ctx: Context, responses: Any, hint: str, ptr: list[str | int]
) -> tuple[tuple[ir.Response, ...], tuple[ir.Response, ...]]:
    """The Responses Object (OAS 3.1 §4.8.16), split into successes (2xx) and the rest.

    Successes come exact codes first, then "2XX"; an operation that documents no 2xx but
    redirections (Twilio's `307` with the address of the data) takes those as its answers,
    and one that documents neither but a `default` response takes `default` as its success
    (and as its error body).
    """
    if not isinstance(responses, dict):
        if responses is not None:
            ctx.diagnostics.warn(
                ptr, f"responses must map status codes to responses, found {describe(responses)}; ignored"
            )
        responses = {}
    successes: list[ir.Response] = []
    errors: list[ir.Response] = []
    statuses = [str(s) for s in responses if _STATUS.fullmatch(str(s))]
    answer = "2" if any(s.startswith("2") for s in statuses) else "3"  # the class of the answers
    several = sum(s.startswith(answer) for s in statuses) > 1
    no_success = not any(s.startswith(answer) for s in statuses)
    for status, raw in responses.items():
        status = str(status)
        if not _STATUS.fullmatch(status):
            ctx.diagnostics.warn(
                [*ptr, status], f"{status!r} is not a status code, a range like 4XX, or default; skipped"
            )
            continue
        if status.startswith(answer):
            suffix = "Response" + (status.upper() if several else "")
        elif status == "default":
            suffix = "Response" if no_success else "Error"
        else:
            suffix = {"4XX": "ClientError", "5XX": "ServerError"}.get(status.upper(), f"Error{status}")
        response = build_response(ctx, raw, status, hint + suffix, [*ptr, status])
        if response is not None:
            (successes if status.startswith(answer) else errors).append(response)
    if not successes:
        default = next((r for r in errors if r.status == "default"), None)
        if default is not None:
            successes.append(ir.Response("2XX", default.encoding, default.type, default.doc, default.media_type))
    successes.sort(key=lambda r: r.status_class is not None)
    return tuple(successes), tuple(errors)


def build_response(ctx: Context, node: Any, status: str, hint: str, ptr: list[str | int]) -> ir.Response | None:
    """A Response Object (OAS 3.1 §4.8.17): the body of its preferred media type."""
    node, uri = ctx.resolver.deref(node)
    ptr = ctx.location(uri) if uri else ptr
    if not isinstance(node, dict):
        ctx.diagnostics.warn(ptr, f"a Response Object must be a mapping, found {describe(node)}; skipped")
        return None
    if "x-clientgen-wait" in node and status != "202":
        ctx.diagnostics.warn([*ptr, "x-clientgen-wait"], "x-clientgen-wait is read only on a 202 response; ignored")
    picked = pick_media_type(ctx, node.get("content"), [*ptr, "content"])
    doc = text_of(node.get("description"))
    if picked is None:
        return ir.Response(status, "none", None, doc)
    media_type, media = picked
    encoding = _response_encoding(media_type)
    at = [*ptr, "content", media_type]
    schema = media.get("schema")
    if encoding == "json":
        body_type = schema_type(ctx, schema, hint, [*at, "schema"]) if schema is not None else ANY
        ctx.typed(at, media, body_type)
    else:
        body_type = TEXT if encoding == "text" else BYTES
        unused_schema(ctx, schema, [*at, "schema"], f"{media_type} responses are read as {PASSED_AS[encoding]}")
    return ir.Response(status, encoding, body_type, doc, acceptable(media_type, encoding))


def _response_encoding(media_type: str) -> Literal["json", "text", "binary"]:
    """A response is read as JSON, as text, or as bytes (anything else)."""
    kind = media_kind(media_type)
    return kind if kind in ("json", "text") else "binary"


def union_of(types: list[ir.TypeRef | None]) -> ir.TypeRef | None:
    distinct: list[ir.TypeRef] = []
    for t in types:
        if t is not None and t not in distinct:
            distinct.append(t)
    if not distinct:
        return None
    result = distinct[0] if len(distinct) == 1 else ir.UnionOf(tuple(distinct))
    return ir.Nullable(result) if None in types and not isinstance(result, ir.Nullable) else result
