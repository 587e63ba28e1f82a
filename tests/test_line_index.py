"""The line of each JSON pointer (what diagnostics print) read from libyaml's parse events is the
line libyaml's composed node tree gives: checked on every document at hand and on YAML built to
stress the event walk (aliases of aliases, flow collections, keys that need escaping)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from generator.load import _BaseLoader, _index_lines
from tests.conftest import CASES, SHARED_SPECS


def _from_nodes(text: str) -> dict[str, int]:
    """The reference: a walk over the composed node tree (an alias is the node it names)."""
    try:
        root = yaml.compose(text, Loader=_BaseLoader)
    except yaml.YAMLError:  # JSON that is not YAML (a tab inside a string): no lines
        return {}
    lines: dict[str, int] = {}
    stack: list[tuple[str, yaml.Node]] = [("", root)] if root is not None else []
    while stack:
        ptr, node = stack.pop()
        lines.setdefault(ptr, node.start_mark.line + 1)
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                token = str(key.value).replace("~", "~0").replace("/", "~1")
                lines[f"{ptr}/{token}"] = key.start_mark.line + 1
                stack.append((f"{ptr}/{token}", value))
        elif isinstance(node, yaml.SequenceNode):
            for index, item in enumerate(node.value):
                stack.append((f"{ptr}/{index}", item))
    return lines


CONSTRUCTED = {
    "aliases": """
base: &base
  type: object
  properties:
    id: &id {type: string, format: uuid}
    tags: &tags [a, b, {c: d}]
copy: *base
again:
  of: *base
  id: *id
nested: &outer
  inner: *base
  list: [*tags, *id]
outer_again: [*outer, *outer]
scalar: &s text
scalars: [*s, *s]
""",
    "flow and escapes": """
paths: {"/pets/{id}": {get: {responses: {"200": {description: ok}}}}, "/a~b": {x: [1, [2, [3]]]}}
"multi word": [
  1,
  2
]
? plain
: value
empty: {}
none: []
""",
    "json": '{\n  "a": {\n    "b/c": [\n      1,\n      {"d~e": null}\n    ]\n  },\n  "f": "g"\n}\n',
}


@pytest.mark.parametrize("name", sorted(CONSTRUCTED))
def test_constructed_documents(name: str) -> None:
    text = CONSTRUCTED[name]
    assert _index_lines(text) == _from_nodes(text)


def _documents() -> list[Path]:
    found = sorted(CASES.glob("*/spec.yaml"))
    if SHARED_SPECS.is_dir():
        found += sorted(p for p in SHARED_SPECS.iterdir() if p.suffix in (".yaml", ".yml", ".json"))
    return found


@pytest.mark.parametrize("path", _documents(), ids=lambda p: f"{p.parent.name}/{p.name}")
def test_documents_at_hand(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert _index_lines(text) == _from_nodes(text)


def test_text_that_is_not_yaml_has_no_lines() -> None:
    assert _index_lines("a: [1, 2\nb: }") == {}
