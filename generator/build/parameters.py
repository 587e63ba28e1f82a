"""Parameter Objects (OAS 3.1 §4.8.12): path-level ones merged with the operation's, each checked
for a name, a location and a style the client can send, and typed through its schema.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from .. import ir
from ..naming import Scope, attr_name, pascal
from .checks import build_check
from .context import Context, pointer_of
from .kinds import value_kind
from .media import TEXT, media_kind
from .read import describe, text_of, with_default
from .schemas import schema_type

if TYPE_CHECKING:
    from .operations import OperationSite


def parameter_list(ctx: Context, parameters: Any, at: list[str | int]) -> list[tuple[Any, list[str | int]]]:
    """A `parameters` list, each entry with where it is written."""
    if parameters is None:
        return []
    if not isinstance(parameters, list):
        ctx.diagnostics.warn(at, f"parameters must be a list, found {describe(parameters)}; ignored")
        return []
    return [(raw, [*at, index]) for index, raw in enumerate(parameters)]


def merge_parameters(ctx: Context, op: OperationSite) -> list[tuple[Mapping[str, Any], list[str | int]]]:
    """Path-level parameters, overridden by operation-level ones with the same name and
    location. One that cannot be sent (no name, an `in` OpenAPI 3 does not have, a path
    parameter the path does not have) is skipped, and reported where it is written."""
    merged: dict[tuple[str, str], tuple[Mapping[str, Any], list[str | int]]] = {}
    own = parameter_list(ctx, op.node.get("parameters"), [*op.ptr, "parameters"])
    variables = template_variables(op.path)
    for level in (op.common_params, own):
        declared: dict[tuple[str, str], list[str | int]] = {}
        for raw, written in level:
            param, uri = ctx.resolver.deref(raw)
            at = ctx.location(uri) if uri else written
            key = parameter_key(ctx, param, at)
            if key is None:
                continue
            if key[1] == "path" and key[0] not in variables:
                ctx.diagnostics.warn(at, f"path parameter {key[0]!r} is not in the path template {op.path!r}; skipped")
                continue
            if key in declared and declared[key] != at:
                ctx.diagnostics.warn(
                    declared[key],
                    f"parameter {key[0]!r} in {key[1]} is declared again at {pointer_of(at)}; " "this one is skipped",
                )
            declared[key] = at
            merged[key] = (param, at)
    return list(merged.values())


def parameter_key(ctx: Context, param: Any, at: list[str | int]) -> tuple[str, str] | None:
    """A parameter's name and location, or None (reported) if it cannot be sent."""
    if not isinstance(param, dict):
        ctx.diagnostics.warn(at, f"a parameter must be a mapping, found {describe(param)}; skipped")
        return None
    name, where = param.get("name"), param.get("in")
    if not isinstance(name, str) or not name:
        ctx.diagnostics.warn(at, f"a parameter must have a name, found {describe(name)}; skipped")
        return None
    if where not in PARAMETER_STYLES:
        why = f"'in' must be query, header, path or cookie, found {describe(where)}"
        if where in ("body", "formData"):
            why += " (Swagger 2.0's; OpenAPI 3 describes the body as the operation's requestBody)"
        ctx.diagnostics.warn([*at, "in"] if "in" in param else at, f"parameter {name!r} skipped: {why}")
        return None
    if where == "header" and name.lower() in _IGNORED_HEADERS:
        # OAS 3.1.1 §4.8.12.1 (3.0.3 §4.7.12.1 alike): these headers are the media types'
        # and the security schemes' to set, never an argument's.
        ctx.diagnostics.warn(
            at,
            f"header parameter {name!r} skipped: a header parameter named Accept, Content-Type or "
            "Authorization SHALL be ignored (the client sets these from the media types and security schemes)",
        )
        return None
    if where in ("header", "cookie") and not _TOKEN.fullmatch(name):
        # RFC 9110 §5.1 (field names) and RFC 6265 §4.1.1 (cookie names) allow tokens only.
        ctx.diagnostics.warn(
            [*at, "name"],
            f"{where} parameter {name!r} skipped: a {where} name must be an HTTP token "
            "(letters, digits and !#$%&'*+-.^_`|~), so no request could carry it",
        )
        return None
    return name, str(where)


def undeclared_path_parameters(
    ctx: Context, op: OperationSite, params: list[tuple[Mapping[str, Any], list[str | int]]], args: Scope
) -> list[ir.Parameter]:
    """A required string argument for each variable of the path template that no parameter
    declares: without one, no request could be made."""
    declared = {param["name"] for param, _ in params if param["in"] == "path"}
    added = []
    for variable in template_variables(op.path):
        if variable not in declared:
            ctx.diagnostics.warn(
                op.ptr,
                f"path template variable {variable!r} has no path parameter; the method takes it as a required string",
            )
            added.append(
                ir.Parameter(
                    args.claim(attr_name(variable)), variable, "path", TEXT, True, style="simple", explode=False
                )
            )
    return added


def build_parameter(
    ctx: Context, param: Mapping[str, Any], hint: str, args: Scope, ptr: list[str | int]
) -> ir.Parameter:
    """A Parameter Object (OAS 3.1 §4.8.12); `content` instead of `schema` uses its media type."""
    wire = str(param["name"])
    where = param["in"]
    schema, schema_at = parameter_schema(ctx, param, wire, ptr)
    styles = PARAMETER_STYLES[where]
    style = param.get("style", styles[0])
    if style not in styles:
        ctx.diagnostics.warn(
            [*ptr, "style"],
            f"style {describe(style)} is not one of {', '.join(styles)} for a {where} parameter; sent as {styles[0]}",
        )
        style = styles[0]
    explode = ctx.flag(param, "explode", style == "form", ptr)
    if "schema" in param:
        style, explode = representable_style(ctx, schema, style, explode, wire, ptr, "explode" in param)
    elif json_content(ctx, param, wire, schema, ptr):
        # OAS 3.1.1 §4.8.12.2: the value is its media type's text, then percent-encoded as
        # the location asks (`style` does not apply); `json` names that in the runtime.
        style, explode = "json", False
    if where == "path" and param.get("required") is not True:
        ctx.diagnostics.warn(
            [*ptr, "required"] if "required" in param else ptr,
            f"path parameter {wire!r} must have required: true; treated as required",
        )
    return ir.Parameter(
        name=args.claim(attr_name(wire)),
        wire=wire,
        location=where,
        type=schema_type(ctx, schema, hint + pascal(wire), schema_at),
        required=where == "path" or ctx.flag(param, "required", False, ptr),
        doc=with_default(text_of(param.get("description")), ctx.resolver.deref(schema)[0]),
        style=str(style),
        explode=explode,
        allow_reserved=where == "query" and ctx.flag(param, "allowReserved", False, ptr),
        check=build_check(ctx, schema, schema_at, arrays=True),
    )


def json_content(ctx: Context, param: Mapping[str, Any], wire: str, schema: Any, ptr: list[str | int]) -> bool:
    """Whether a `content` parameter is sent as JSON text: its media type is JSON. Another
    media type's text the client cannot make from a structured value: such a value is
    written in the location's default style, and that is reported."""
    content = param.get("content")
    media_type = next(iter(content), None) if isinstance(content, dict) and content else None
    if media_type is None:
        return False
    if media_kind(str(media_type)) == "json":
        return True
    kind = value_kind(ctx.resolver.deref(schema)[0]) if isinstance(schema, dict) else None
    if kind in ("array", "object"):
        ctx.diagnostics.warn(
            [*ptr, "content", media_type],
            f"the client cannot write {media_type!r} text for {kind} parameter {wire!r}; "
            f"it is sent in the {param['in']} default style",
        )
    return False


def representable_style(
    ctx: Context, schema: Any, style: str, explode: bool, wire: str, ptr: list[str | int], explicit: bool
) -> tuple[str, bool]:
    """The style and explode a parameter is sent in, where the document's cannot write its
    type: cells of the Style Examples table marked n/a (OAS 3.1.1 §4.8.12.4.1) are reported
    and replaced, and an object or array nested in an object or array, which no style
    writes, is reported (a value holding one is refused before sending); a `deepObject`
    writes objects nested in it with brackets (`name[a][b]`), so those pass."""
    if style in ("spaceDelimited", "pipeDelimited") and explode:
        ctx.diagnostics.warn(
            [*ptr, "explode"], f"style {style} cannot be exploded (OAS 3.1.1 §4.8.12.4.1); sent with explode false"
        )
        explode = False
    if style == "deepObject" and not explode:
        ctx.diagnostics.warn(
            [*ptr, "explode"] if explicit else ptr,
            "style deepObject with explode false is undefined (OAS 3.1.1 §4.8.12.4.1); sent with explode true",
        )
        explode = True
    node = ctx.resolver.deref(schema)[0] if isinstance(schema, dict) else {}
    kind = value_kind(node)
    allowed = {
        "spaceDelimited": ("array", "object"),
        "pipeDelimited": ("array", "object"),
        "deepObject": ("object",),
    }
    if kind is not None and style in allowed and kind not in allowed[style]:
        ctx.diagnostics.warn(
            [*ptr, "style"], f"style {style} cannot write {kind} {wire!r} (OAS 3.1.1 §4.8.12.4.1); sent as form"
        )
        return "form", True
    inner = node.get("items") if kind == "array" else node.get("properties") if kind == "object" else None
    members = (
        [inner]
        if isinstance(inner, dict) and kind == "array"
        else list(inner.values()) if isinstance(inner, dict) else []
    )
    for member in members:
        nested = value_kind(ctx.resolver.deref(member)[0]) if isinstance(member, dict) else None
        if nested == "array" or (nested == "object" and style != "deepObject"):
            ctx.diagnostics.warn(
                ptr,
                f"parameter {wire!r} holds {nested}s inside its {kind}, which no style writes; such values are refused before sending",
            )
            break
    return style, explode


def parameter_schema(
    ctx: Context, param: Mapping[str, Any], wire: str, ptr: list[str | int]
) -> tuple[Any, list[str | int]]:
    """A parameter's schema, from `schema` or from the one media type of `content`, and where it is."""
    schema = param.get("schema")
    content = param.get("content")
    if schema is not None:
        if content is not None:
            ctx.diagnostics.warn([*ptr, "content"], "a parameter has schema or content, not both; content ignored")
        return schema, [*ptr, "schema"]
    if content is None:
        ctx.diagnostics.warn(ptr, f"parameter {wire!r} has neither schema nor content; typed as Any")
        return {}, ptr
    if not isinstance(content, dict) or not content:
        ctx.diagnostics.warn(
            [*ptr, "content"],
            f"content must map one media type to its schema, found {describe(content)}; typed as Any",
        )
        return {}, [*ptr, "content"]
    media_type, media = next(iter(content.items()))
    if len(content) > 1:
        ctx.diagnostics.warn(
            [*ptr, "content"], f"content must have exactly one media type; the first, {media_type!r}, is used"
        )
    if not isinstance(media, dict):
        ctx.diagnostics.warn(
            [*ptr, "content", media_type],
            f"a Media Type Object must be a mapping, found {describe(media)}; typed as Any",
        )
        return {}, [*ptr, "content", media_type]
    return media.get("schema", {}), [*ptr, "content", media_type, "schema"]


# The styles each parameter location allows (OAS 3.1 §4.8.12.4), its default first.
PARAMETER_STYLES = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form",),
}


def template_variables(path: str) -> list[str]:
    """The `{name}` variables of a path template, in order."""
    return list(dict.fromkeys(re.findall(r"\{([^{}]+)\}", plain_template(path))))


def plain_template(path: str) -> str:
    """The path with plain `{name}` variables: RFC 6570 operators and modifiers (`{.name}`,
    `{;name*}`), which OpenAPI path templates do not have but some documents use, are dropped;
    the parameter's `style` says how its value is written."""
    return re.sub(r"\{[+#./;?&]?([^{}*:]+)(?:\*|:\d+)?\}", r"{\1}", path)


_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")


# Header parameters the specification sets aside (OAS 3.1.1 §4.8.12.1), by lower-case name.
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})
