"""Paths and operations: the Path Item Objects (OAS 3.1 §4.8.9) in document order, each Operation
Object (§4.8.10) a method of the client, grouped as the client exposes them (by SDK group
extension, else first tag).

Input: the document's `paths`, each operation as an `OperationSite` (its node and where it is).
Output: the `ir.Group`s, their waits resolved (see `extensions`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from .. import ir
from ..naming import Scope, attr_name, class_name, method_name, module_name, pascal
from .context import RESERVED_ARGS, RESERVED_GROUPS, Context
from .extensions import BuiltOperation, WaitRequest, build_pagination, resolve_waits
from .parameters import build_parameter, merge_parameters, parameter_list, plain_template, undeclared_path_parameters
from .read import describe, get, joined, text_of
from .requests import build_request_body
from .responses import build_responses, union_of
from .security import build_security_requirement
from .servers import build_server_url

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


_PATH_ITEM_FIELDS = frozenset({"$ref", "summary", "description", "servers", "parameters"})


@dataclass
class OperationSite:
    """What `build_operation` needs to know about where an operation sits."""

    path: str
    method: str
    node: Mapping[str, Any]
    common_params: list[Any]
    ptr: list[str | int]
    path_servers: Any = None


def build_groups(ctx: Context) -> tuple[ir.Group, ...]:
    """Operations grouped as the client exposes them: by SDK group extension, else first tag."""
    grouped: dict[str | None, list[BuiltOperation]] = {}
    docs: dict[str | None, str | None] = {}
    method_scopes: dict[str | None, Scope] = {}
    tags = ctx.document.data.get("tags")
    if tags is not None and not isinstance(tags, list):
        ctx.diagnostics.warn(["tags"], f"tags must be a list of Tag Objects, found {describe(tags)}; ignored")
    tag_docs = {str(get(t, "name")): text_of(get(t, "description")) for t in (tags if isinstance(tags, list) else [])}
    for op in iter_operations(ctx):
        group = group_key(op.node)
        scope = method_scopes.setdefault(group, Scope(RESERVED_GROUPS | _client_members(group)))
        grouped.setdefault(group, []).append(build_operation(ctx, op, scope))
        if group is not None and docs.get(group) is None:
            docs[group] = next((tag_docs[t] for t in _tags(op.node) if tag_docs.get(t)), None)
    attrs = Scope(RESERVED_GROUPS)
    groups: list[tuple[ir.Group, list[BuiltOperation]]] = []
    for group, operations in grouped.items():
        attr = None if group is None else attrs.claim(attr_name(group))
        sync_class = "_ClientOperations" if group is None else claim_group_class(ctx, class_name(group))
        async_class = "_AsyncClientOperations" if group is None else "Async" + sync_class
        groups.append(
            (
                ir.Group(
                    attr=attr,
                    sync_class=sync_class,
                    async_class=async_class,
                    sync_raw_class=ctx.names.classes.claim(sync_class + "WithRawResponse"),
                    async_raw_class=ctx.names.classes.claim(async_class + "WithRawResponse"),
                    module=module_name(attr) if attr is not None else "_client_operations",
                    doc=docs.get(group)
                    or (f"The {group} operations." if group else "Operations of the client itself."),
                    operations=tuple(built.operation for built in operations),
                ),
                operations,
            )
        )
    return resolve_waits(ctx, groups)


def claim_group_class(ctx: Context, name: str) -> str:
    """A resource class name that no model (nor its `Async` twin) already has."""
    for candidate in (name, f"{name}Resource"):
        if candidate not in ctx.names.classes and f"Async{candidate}" not in ctx.names.classes:
            ctx.names.classes.claim(f"Async{candidate}")
            return ctx.names.classes.claim(candidate)
    return ctx.names.classes.claim(f"{name}Resource")


def iter_operations(ctx: Context) -> Iterable[OperationSite]:
    """The operations of each Path Item Object (OAS 3.1 §4.8.9), in document order."""
    for path, raw in ctx.section("paths").items():
        item, uri = ctx.resolver.deref(raw)
        at = ctx.location(uri) if uri else ["paths", path]
        if not isinstance(item, dict):
            ctx.diagnostics.warn(
                at, f"a path item must be a mapping, found {describe(item)}; its operations are skipped"
            )
            continue
        common = parameter_list(ctx, item.get("parameters"), [*at, "parameters"])
        for key, operation in item.items():
            if key in HTTP_METHODS and not isinstance(operation, dict):
                ctx.diagnostics.warn(
                    [*at, key], f"an operation must be a mapping, found {describe(operation)}; skipped"
                )
            elif key not in HTTP_METHODS and key not in _PATH_ITEM_FIELDS and not str(key).startswith("x-"):
                ctx.diagnostics.warn(
                    [*at, key],
                    f"{key!r} is not a Path Item field nor an HTTP method (get, put, post, delete, options, "
                    "head, patch, trace: lowercase); skipped",
                )
        for method in HTTP_METHODS:
            if isinstance(item.get(method), dict):
                yield OperationSite(path, method, item[method], common, [*at, method], item.get("servers"))


def build_operation(ctx: Context, op: OperationSite, methods: Scope) -> BuiltOperation:
    """An Operation Object (OAS 3.1 §4.8.10): its parameters, body, responses and security."""
    node = op.node
    method_extension = node.get("x-fern-sdk-method-name")
    if method_extension is not None and not (isinstance(method_extension, str) and method_extension):
        ctx.diagnostics.warn(
            [*op.ptr, "x-fern-sdk-method-name"],
            f"x-fern-sdk-method-name must be a name, found {describe(method_extension)}; ignored",
        )
        method_extension = None
    tags = node.get("tags")
    if tags is not None and not isinstance(tags, list):
        ctx.diagnostics.warn([*op.ptr, "tags"], f"tags must be a list of names, found {describe(tags)}; ignored")
    for index, tag in enumerate(tags if isinstance(tags, list) else []):
        if not isinstance(tag, (str, int)) or isinstance(tag, bool):
            ctx.diagnostics.warn([*op.ptr, "tags", index], f"a tag must be a name, found {describe(tag)}; ignored")
    group_extension = node.get("x-fern-sdk-group-name")
    if group_extension is not None and not _group_names(group_extension):
        ctx.diagnostics.warn(
            [*op.ptr, "x-fern-sdk-group-name"],
            f"x-fern-sdk-group-name must be a name or a list of names, found {describe(group_extension)}; ignored",
        )
    raw_name = method_extension or node.get("operationId") or f"{op.method} {op.path}"
    name = methods.claim(method_name(str(raw_name)))
    hint = pascal(str(node.get("operationId") or f"{group_key(node) or ''} {raw_name}"))
    args = Scope(RESERVED_ARGS)

    params = merge_parameters(ctx, op)
    by_location: dict[str, list[ir.Parameter]] = {"path": [], "query": [], "header": [], "cookie": []}
    for where in ("path", "body", "query", "header", "cookie"):
        if where == "body":
            body, body_fields = build_request_body(ctx, node.get("requestBody"), hint, args, [*op.ptr, "requestBody"])
            continue
        for param, ptr in params:
            if param["in"] == where:
                by_location[where].append(build_parameter(ctx, param, hint, args, ptr))
        if where == "path":
            by_location["path"].extend(undeclared_path_parameters(ctx, op, params, args))
    responses = node.get("responses")
    successes, errors = build_responses(ctx, responses, hint, [*op.ptr, "responses"])
    returns = union_of([r.type for r in successes])
    accepted, _ = ctx.resolver.deref(responses.get("202") if isinstance(responses, dict) else None)
    wait = None
    if isinstance(accepted, dict) and "x-clientgen-wait" in accepted:
        wait = WaitRequest(accepted["x-clientgen-wait"], [*op.ptr, "responses", "202"])
    parameters = [p for location in by_location.values() for p in location]
    pagination = build_pagination(ctx, node.get("x-fern-pagination"), parameters, returns, name, methods, op.ptr)
    operation = ir.Operation(
        name=name,
        method=op.method.upper(),
        path=plain_template(op.path),
        doc=joined(node.get("summary"), node.get("description")),
        deprecated=bool(node.get("deprecated")),
        path_params=tuple(by_location["path"]),
        query_params=tuple(by_location["query"]),
        header_params=tuple(by_location["header"]),
        cookie_params=tuple(by_location["cookie"]),
        body=body,
        body_fields=body_fields,
        successes=successes,
        errors=errors,
        security=(
            build_security_requirement(ctx, node["security"], [*op.ptr, "security"])
            if "security" in node
            else build_security_requirement(ctx, ctx.document.data.get("security"), ["security"])
        ),
        server=(
            build_server_url(ctx, node["servers"], [*op.ptr, "servers"], relative=True)
            if node.get("servers")
            else build_server_url(ctx, op.path_servers, [*op.ptr[:-1], "servers"], relative=True)
        ),
        returns=returns,
        pagination=pagination,
    )
    operation_id = str(node["operationId"]) if node.get("operationId") else None
    return BuiltOperation(operation_id, operation, wait)


def _group_names(value: Any) -> list[str]:
    """The names an `x-fern-sdk-group-name` holds: one, or a list of them (nested groups)."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v for v in value if v]
    return []


def group_key(node: Mapping[str, Any]) -> str | None:
    group = " ".join(_group_names(node.get("x-fern-sdk-group-name")))
    if group:
        return group
    tags = _tags(node)
    return tags[0] if tags else None


def _tags(node: Mapping[str, Any]) -> list[str]:
    """An operation's tags (OAS 3.1 §4.8.10.1): a list of names."""
    tags = node.get("tags")
    return (
        [str(t) for t in tags if isinstance(t, (str, int)) and not isinstance(t, bool)]
        if isinstance(tags, list)
        else []
    )


def _client_members(group: str | None) -> frozenset[str]:
    return frozenset({"close", "aclose"}) if group is None else frozenset()
