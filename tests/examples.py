"""The document's example payloads, each with the type the generated models should decode it to.

The builder tells whoever asks (`build_api(..., on_typed=...)`) of each schema it types where a
document may give examples: a component schema and a media type. Here those examples are
collected (`example`, a list of `examples`, or named Example Objects with a `value`), so that
tests/corpus.py can round-trip them through the generated client.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from generator import ir
from generator.build import build_api
from generator.diagnostics import pointer
from generator.load import Document
from generator.resolve import Resolver


@dataclass(frozen=True, slots=True)
class Example:
    """An `example` or `examples` payload of the document, with the type it should decode to."""

    pointer: str
    type: ir.TypeRef
    json: str  # the payload, as JSON text


def harvest(document: Document, resolver: Resolver, package: str = "client") -> list[Example]:
    """Every example payload of `document`, in the order the builder meets its schemas."""
    found: list[Example] = []

    def typed(where: str, node: Any, type_: ir.TypeRef) -> None:
        found.extend(Example(where + pointer(parts), type_, value) for parts, value in examples_of(node, resolver))

    build_api(document, resolver, package, on_typed=typed)
    return found


def examples_of(node: Any, resolver: Resolver) -> list[tuple[list[str | int], str]]:
    """The payloads a Schema or Media Type Object gives, as JSON text, each with its path below it."""
    if not isinstance(node, dict):
        return []
    found: list[tuple[list[str | int], Any]] = []
    if "example" in node:
        found.append((["example"], node["example"]))
    examples = node.get("examples")
    if isinstance(examples, list):
        found.extend((["examples", i], value) for i, value in enumerate(examples))
    elif isinstance(examples, dict):
        for name, example in examples.items():
            target, _ = resolver.deref(example)
            if isinstance(target, dict) and "value" in target:
                found.append((["examples", name, "value"], target["value"]))
    return [(parts, json.dumps(value, sort_keys=True, default=str)) for parts, value in found]
