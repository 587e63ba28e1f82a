"""Extensions that complete an operation: Fern's `x-fern-pagination` (cursor pagination) and
`x-clientgen-wait` (waiting on an accepted answer, see the README).

A wait names the operation that polls it by operationId, which may come later in the document, so
waits are resolved once every operation is built: each operation travels with its wait and its
operationId (`BuiltOperation`), never looked up by the identity of Python objects.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import ir
from ..diagnostics import pointer_parts
from ..naming import Scope
from .context import Context
from .read import describe

_NO_WAIT = " (the method returns the 202 answer, with no wait())"


@dataclass(frozen=True, slots=True)
class WaitRequest:
    """An `x-clientgen-wait` met on an operation's 202 response, and where that response is."""

    extension: Any
    at: list[str | int]


@dataclass(frozen=True, slots=True)
class BuiltOperation:
    """An operation as built, with its operationId (by which a wait names the operation that
    polls it) and the wait met on its 202 response, which is built once all operations are."""

    operation_id: str | None
    operation: ir.Operation
    wait: WaitRequest | None = None


def resolve_waits(ctx: Context, groups: list[tuple[ir.Group, list[BuiltOperation]]]) -> tuple[ir.Group, ...]:
    """Complete the operations whose accepted answer can be waited on: the operation that
    reads the location may come later in the document, so this runs once all are built.
    `groups` holds each group with its operations as built, in the group's order."""
    if not any(built.wait for _, operations in groups for built in operations):
        return tuple(group for group, _ in groups)
    by_id = {
        built.operation_id: (group, built.operation)
        for group, operations in groups
        for built in operations
        if built.operation_id
    }
    return tuple(
        dataclasses.replace(
            group,
            operations=tuple(
                (
                    dataclasses.replace(
                        built.operation,
                        wait=build_wait(ctx, built.wait.extension, built.wait.at, built.operation, by_id),
                    )
                    if built.wait is not None
                    else built.operation
                )
                for built in operations
            ),
        )
        for group, operations in groups
    )


def build_wait(
    ctx: Context,
    extension: Any,
    ptr: list[str | int],
    op: ir.Operation,
    by_id: dict[str, tuple[ir.Group, ir.Operation]],
) -> ir.Wait | None:
    """The `x-clientgen-wait` extension of a 202 response (see the README):
    `location: $response.header.<Name>` or `$response.body#/<pointer>`; `poll: <operationId>`
    of the GET that reads the location; optional `status: $response.body#/<pointer>` in what
    it answers, with `pending` and `failed` lists of states."""
    where = [*ptr, "x-clientgen-wait"]
    body = next((r.type for r in op.successes if r.status == "202"), None)
    if not isinstance(extension, dict):
        ctx.diagnostics.warn(
            where, f"x-clientgen-wait must be a mapping, found {describe(extension)}; ignored{_NO_WAIT}"
        )
        return None
    poll = by_id.get(str(extension.get("poll")))
    location = str(extension.get("location", ""))
    header = location.removeprefix("$response.header.") if location.startswith("$response.header.") else None
    path = None if header or body is None else model_path(ctx, body, pointer_wires(location))
    state = str(extension.get("status", ""))
    state_path = model_path(ctx, poll[1].returns, pointer_wires(state)) if poll and state else ((), None)
    if poll is None or poll[1].returns is None or (header is None and path is None) or state_path is None:
        ctx.diagnostics.warn(
            where,
            "x-clientgen-wait must name a location in the answer, a `poll` operationId that reads it, and a "
            f"`status` in what that answers; ignored{_NO_WAIT}",
        )
        return None
    group, poll_op = poll
    return ir.Wait(
        body=body,
        location_header=header,
        location_path=path[0] if path else (),
        poll_function=f"_{poll_op.name}_response",
        poll_module=group.module,
        poll_security=poll_op.security,
        result=poll_op.returns,  # type: ignore[arg-type]
        state_path=state_path[0],
        pending=wait_states(ctx, extension, "pending", where),
        failed=wait_states(ctx, extension, "failed", where),
    )


def wait_states(ctx: Context, extension: Mapping[str, Any], key: str, where: list[str | int]) -> tuple[str, ...]:
    """The `pending` or `failed` states of an `x-clientgen-wait`: a list of values."""
    states = extension.get(key)
    if states is None:
        return ()
    if not isinstance(states, list):
        ctx.diagnostics.warn([*where, key], f"{key} must be a list of states, found {describe(states)}; ignored")
        return ()
    return tuple(str(v) for v in states)


def build_pagination(
    ctx: Context,
    extension: Any,
    parameters: list[ir.Parameter],
    page: ir.TypeRef | None,
    name: str,
    methods: Scope,
    ptr: list[str | int],
) -> ir.Pagination | None:
    """Fern's `x-fern-pagination` (cursor style): `cursor: $request.<parameter>`,
    `next_cursor: $response.<path>`, `results: $response.<path>`; paths are dotted wire names."""
    if extension is None:
        return None
    where = [*ptr, "x-fern-pagination"]
    if not isinstance(extension, dict) or not {"cursor", "next_cursor", "results"} <= set(extension):
        ctx.diagnostics.warn(
            where,
            "only cursor pagination (cursor, next_cursor, results) is supported; the method returns single pages",
        )
        return None
    cursor = str(extension["cursor"]).removeprefix("$request.")
    argument = next((p for p in parameters if p.wire == cursor), None)
    items = response_path(ctx, page, str(extension["results"]))
    next_cursor = response_path(ctx, page, str(extension["next_cursor"]))
    if argument is None or items is None or next_cursor is None or not isinstance(items[1], ir.ListOf):
        ctx.diagnostics.warn(
            where,
            "the pagination expressions do not name a request parameter, a list and a cursor in the response; "
            "the method returns single pages",
        )
        return None
    return ir.Pagination(methods.claim(f"{name}_page"), argument, items[0], next_cursor[0], items[1].item)


def response_path(ctx: Context, page: ir.TypeRef | None, expression: str) -> tuple[tuple[str, ...], ir.TypeRef] | None:
    """`$response.a.b` as attribute names through the response model, and the type there."""
    if not expression.startswith("$response."):
        return None
    return model_path(ctx, page, expression.removeprefix("$response.").split("."))


def model_path(
    ctx: Context, start: ir.TypeRef | None, wires: list[str] | None
) -> tuple[tuple[str, ...], ir.TypeRef] | None:
    """Wire names of nested properties as attribute names through the models, and the type there."""
    if wires is None:
        return None
    names: list[str] = []
    current = start
    for wire in wires:
        while isinstance(current, (ir.Nullable, ir.AliasRef)):
            current = current.inner if isinstance(current, ir.Nullable) else current.target
        model = ctx.registry.models.get(current.name) if isinstance(current, ir.ModelRef) else None
        field = next((f for f in model.fields if f.wire == wire), None) if isinstance(model, ir.ObjectModel) else None
        if field is None:
            return None
        names.append(field.name)
        current = field.type
    while isinstance(current, (ir.Nullable, ir.AliasRef)):
        current = current.inner if isinstance(current, ir.Nullable) else current.target
    return (tuple(names), current) if current is not None else None


def pointer_wires(expression: str) -> list[str] | None:
    """`$response.body#/a/b` (an OpenAPI runtime expression, OAS 3.1 §4.8.20.4) as ["a", "b"]."""
    if not expression.startswith("$response.body#/"):
        return None
    return pointer_parts(expression.removeprefix("$response.body#"))
