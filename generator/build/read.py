"""Reading the values of a document defensively: with `--lenient` the builders read documents
validation refused, so any field may hold a value of any shape. These functions never fail on
one; `describe` names it for a warning.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any


def describe(value: Any) -> str:
    """What a value of the wrong shape is, for a warning: `'body'`, `null`, `a list`..."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        text = repr(value)
        return text if len(text) <= 40 else text[:39] + "…"
    if isinstance(value, (list, dict)):
        return ("an empty " if not value else "a ") + ("list" if isinstance(value, list) else "mapping")
    return type(value).__name__


def get(node: Any, key: str) -> Any:
    return node.get(key) if isinstance(node, dict) else None


def entries(node: Any) -> Iterable[tuple[str, Any]]:
    """The entries of a mapping; nothing for anything else."""
    return node.items() if isinstance(node, dict) else ()


def text_of(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def joined(*parts: Any) -> str | None:
    texts = [t for t in (text_of(p) for p in parts) if t]
    return "\n\n".join(dict.fromkeys(texts)) or None


def with_default(doc: str | None, schema: Any) -> str | None:
    """The description, noting the schema's `default`: what the server assumes when the value
    is not sent (the client sends nothing in its place)."""
    if not isinstance(schema, dict) or "default" not in schema:
        return doc
    note = f"Defaults to {json.dumps(schema['default'])}."
    return f"{doc} {note}" if doc else note
