"""Security Scheme Objects (OAS 3.1 §4.8.27), with Fern's credential-naming extensions, and Security
Requirement Objects (§4.8.30).

Input: `components/securitySchemes`, `security`. Output: `ir.SecurityScheme`s, and for each
operation the alternatives of schemes it needs.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .. import ir
from ..naming import Scope, attr_name
from .context import RESERVED_ARGS, Context
from .read import describe, get


def build_security_schemes(ctx: Context, package: str) -> tuple[ir.SecurityScheme, ...]:
    """Security Scheme Objects (OAS 3.1 §4.8.27), with Fern's credential-naming extensions.

    A credential's environment variable is the extension's `env`, else `<PACKAGE>_<NAME>`.
    """
    names = Scope(RESERVED_ARGS | {"base_url", "http_client", "headers"})
    schemes = []
    raw_schemes = ctx.section("components", "securitySchemes")
    for key, raw in raw_schemes.items():
        scheme, uri = ctx.resolver.deref(raw)
        at: list[str | int] = ctx.location(uri) if uri else ["components", "securitySchemes", key]
        if not isinstance(scheme, dict):
            ctx.diagnostics.warn(at, f"a security scheme must be a mapping, found {describe(scheme)}; skipped")
            continue
        built = build_security_scheme(ctx, str(key), scheme, names, package, at)
        if built is not None:
            schemes.append(built)
    return tuple(schemes)


def build_security_scheme(
    ctx: Context, key: str, scheme: Mapping[str, Any], names: Scope, package: str, at: list[str | int]
) -> ir.SecurityScheme | None:
    kind = scheme.get("type")
    http_scheme = str(scheme.get("scheme", "")).lower()
    no_credentials = "operations that need it get no credentials from the client"

    def extension(path: list[str | int], value: Any, fields: str = "name, env") -> dict[str, Any]:
        if value is not None and not isinstance(value, dict):
            ctx.diagnostics.warn(path, f"{path[-1]} must be a mapping ({fields}), found {describe(value)}; ignored")
        return value if isinstance(value, dict) else {}

    def credential(named: dict[str, Any], default: str, doc: str) -> ir.Credential:
        base = attr_name(str(named.get("name") or default))
        name = names.claim(base if base not in names else attr_name(f"{key} {base}"))
        env = named.get("env") or f"{package}_{name}".upper()
        return ir.Credential(name=name, env=str(env), doc=doc)

    if kind == "http" and http_scheme == "basic":
        basic = extension([*at, "x-fern-basic"], scheme.get("x-fern-basic"), "username, password")
        username = extension([*at, "x-fern-basic", "username"], basic.get("username"))
        password = extension([*at, "x-fern-basic", "password"], basic.get("password"))
        return ir.SecurityScheme(
            key,
            "basic",
            (
                credential(username, "username", f"The user name for HTTP Basic authentication ({key})."),
                credential(password, "password", f"The password for HTTP Basic authentication ({key})."),
            ),
        )
    if (kind == "http" and http_scheme == "bearer") or kind in ("oauth2", "openIdConnect"):
        default = "token" if kind == "http" else "access_token"
        bearer = extension([*at, "x-fern-bearer"], scheme.get("x-fern-bearer"))
        return ir.SecurityScheme(key, "bearer", (credential(bearer, default, f"The bearer token ({key})."),))
    if kind == "apiKey":
        where, param = scheme.get("in"), scheme.get("name")
        if where not in ("header", "query", "cookie"):
            why = f"an apiKey's 'in' must be header, query or cookie, found {describe(where)}"
            ctx.diagnostics.warn([*at, "in"] if "in" in scheme else at, f"{why}; skipped: {no_credentials}")
            return None
        if not isinstance(param, str) or not param:
            why = f"an apiKey must name its {where}, found {describe(param)}"
            ctx.diagnostics.warn([*at, "name"] if "name" in scheme else at, f"{why}; skipped: {no_credentials}")
            return None
        header = extension([*at, "x-fern-header"], scheme.get("x-fern-header"))
        return ir.SecurityScheme(
            key,
            "api_key",
            (credential(header, "api_key", f"The API key sent as {where} {param!r} ({key})."),),
            location=where,
            param=param,
            prefix=str(header.get("prefix", "")),
        )
    if kind == "http" and http_scheme:
        ctx.diagnostics.warn(
            at,
            f"security scheme http {http_scheme!r} is left to the HTTP client: the operations it secures are "
            "sent as they are, for an httpx.Auth the caller gives (`http_client=httpx.Client(auth=...)`) to sign",
        )
    elif kind != "mutualTLS":  # see `transport_schemes`
        ctx.diagnostics.warn(at, f"security scheme type {kind!r} {http_scheme!r} is not supported; {no_credentials}")
    return None


def transport_schemes(ctx: Context, kind: str = "") -> tuple[str, ...]:
    """The keys of the schemes whose credential the caller configures on the HTTP client, not
    on the request: `mutualTLS` (OAS 3.1 §4.8.27.1; its credential is the connection's client
    certificate, `http_client=httpx.Client(cert=...)`) and `http` schemes other than Basic
    and Bearer (Digest, HTTP Signatures, ...: an `httpx.Auth` on the HTTP client). A request
    has nothing to add, so a requirement naming one is met by the client as it is."""
    found = []
    for key, raw in ctx.section("components", "securitySchemes").items():
        scheme = ctx.resolver.deref(raw)[0]
        kind_of = get(scheme, "type")
        if kind_of == "mutualTLS" or (kind_of == "http" and http_scheme(ctx, str(key)) not in ("", "basic", "bearer")):
            if not kind or kind_of == kind:
                found.append(str(key))
    return tuple(found)


def http_scheme(ctx: Context, key: str) -> str:
    """An `http` scheme's `scheme`, lower case (RFC 9110 §11.1: case-insensitive)."""
    scheme = ctx.resolver.deref(ctx.section("components", "securitySchemes").get(key))[0]
    return str(get(scheme, "scheme") or "").lower()


def build_security_requirement(ctx: Context, requirements: Any, at: list[str | int]) -> tuple[tuple[str, ...], ...]:
    """Security Requirement Objects (OAS 3.1 §4.8.30): alternatives, each a set of schemes."""
    if requirements is None:
        return ()
    if not isinstance(requirements, list):
        ctx.diagnostics.warn(
            at, f"security must be a list of Security Requirement Objects, found {describe(requirements)}; ignored"
        )
        return ()
    known = set(ctx.section("components", "securitySchemes"))
    transport = set(transport_schemes(ctx))
    alternatives = []
    for index, requirement in enumerate(requirements):
        if not isinstance(requirement, dict):
            ctx.diagnostics.warn(
                [*at, index], f"a security requirement must be a mapping, found {describe(requirement)}; ignored"
            )
            continue
        for name in requirement:
            if name not in known:
                ctx.diagnostics.warn(
                    [*at, index, name], f"security scheme {name!r} is not in components/securitySchemes; ignored"
                )
        alternatives.append(tuple(k for k in requirement if k in known and k not in transport))
    return tuple(alternatives)
