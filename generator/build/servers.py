"""Server Objects (OAS 3.1 §4.8.5): the client's default `base_url`, and the servers of a path or
an operation, kept as references below it."""

from __future__ import annotations

import re
import urllib.parse
from typing import Any

from .context import Context
from .read import get


def build_server_url(ctx: Context, servers: Any, at: list[str | int], *, relative: bool = False) -> str | None:
    """The first Server Object (OAS 3.1 §4.8.5), its variables replaced by their defaults.

    A relative URL (legal: relative to where the document is served) gives no default; the
    caller passes `base_url`. With `relative` (a path's or an operation's servers), it is kept
    as a path below the client's `base_url` (`/v2`), which the runtime joins to it."""
    if not servers:
        return None
    server = servers[0] if isinstance(servers, list) else None
    url = get(server, "url")
    if not isinstance(url, str):
        ctx.diagnostics.warn(at, "servers must be a list of Server Objects with a url; ignored (no default base_url)")
        return None
    variables = get(server, "variables") or {}
    for name, variable in variables.items() if isinstance(variables, dict) else ():
        default = get(variable, "default")
        if default is None:
            ctx.diagnostics.warn(
                [*at, 0, "variables", name],
                f"server variable {name!r} has no default; ignored (no default base_url)",
            )
            return None
        url = url.replace("{" + str(name) + "}", str(default))
    if re.search(r"\{[^{}]*\}", url):
        ctx.diagnostics.warn(
            [*at, 0, "url"], f"server URL {url!r} has a variable without a default; ignored (no default base_url)"
        )
        return None
    if url.startswith(("http://", "https://")):
        return url.rstrip("/")
    if relative and not urllib.parse.urlsplit(url).scheme and not url.startswith("//"):
        # A URI reference, resolved against base_url by the client (RFC 3986 §5.2).
        reference = url.rstrip("/")
        return reference if reference not in ("", ".") else None
    return None
