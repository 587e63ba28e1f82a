"""The `example` / `examples` payloads of schemas and media types, kept with the type they should
decode to, so that tests can round-trip them through the generated models.
"""

from __future__ import annotations

import json
from typing import Any

from .. import ir
from .context import Context, pointer_of


def record_examples(ctx: Context, ptr: list[str | int], node: Any, body_type: ir.TypeRef) -> None:
    """Keep the `example`/`examples` payloads of a schema or media type, with their type, so
    that tests can round-trip them through the generated models."""
    if not isinstance(node, dict):
        return
    found: list[tuple[list[str | int], Any]] = []
    if "example" in node:
        found.append(([*ptr, "example"], node["example"]))
    examples = node.get("examples")
    if isinstance(examples, list):
        found.extend(([*ptr, "examples", i], value) for i, value in enumerate(examples))
    elif isinstance(examples, dict):
        for name, example in examples.items():
            target, _ = ctx.resolver.deref(example)
            if isinstance(target, dict) and "value" in target:
                found.append(([*ptr, "examples", name, "value"], target["value"]))
    for where, value in found:
        ctx.examples.append(ir.Example(pointer_of(where), body_type, json.dumps(value, sort_keys=True, default=str)))
