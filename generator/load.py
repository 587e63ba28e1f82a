"""Stage 1, load: read a file and parse it as JSON or YAML into plain Python data.

Contract: `load(path)` returns a `Document` whose `data` holds only JSON types (dict, list, str,
int, float, bool, None), or raises `DiagnosticError` for an unreadable file, malformed YAML/JSON,
or a document that is not a mapping. JSON is parsed with `json` (fast path); YAML with libyaml's
C loader when present. YAML timestamps stay strings: OpenAPI is JSON-shaped, and `2024-01-01` in an
example is text, not a `datetime.date`.
"""

from __future__ import annotations

import gc
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic, DiagnosticError

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _JsonLikeLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader, made to give JSON's data model: no timestamp resolver (YAML 1.1 dates
    would leave JSON's types), and mapping keys always strings (`200:` is the key "200", as
    OpenAPI means it)."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        if all(type(key) is str for key in mapping):
            return mapping
        return {_json_key(key): value for key, value in mapping.items()}


def _json_key(key: object) -> str:
    if isinstance(key, bool) or key is None:
        return json.dumps(key)
    return str(key)


_JsonLikeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in _BaseLoader.yaml_implicit_resolvers.items()
}


@dataclass(slots=True)
class Document:
    """A parsed document: its data, its source name and digest, and pointer→line lookup."""

    path: Path
    data: dict[str, Any]
    sha256: str
    text: str
    _lines: dict[str, int] | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        return self.path.name

    def line_of(self, ptr: str) -> int | None:
        """The 1-based line where the value at `ptr` starts, or of its nearest ancestor."""
        if self._lines is None:
            self._lines = _index_lines(self.text)
        parts = ptr.split("/")[1:] if ptr else []  # still escaped, as the index keys are
        while True:
            key = "/" + "/".join(parts) if parts else ""
            if key in self._lines:
                return self._lines[key]
            if not parts:
                return None
            parts.pop()


def load(path: Path) -> Document:
    """Read and parse `path`; see the module docstring for the contract."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DiagnosticError([Diagnostic("", f"cannot read file: {exc.strerror or exc}")]) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DiagnosticError([Diagnostic("", f"not UTF-8 text: {exc.reason} at byte {exc.start}")]) from None
    data = _parse(text, looks_like_json=path.suffix.lower() == ".json" or text.lstrip()[:1] == "{")
    if not isinstance(data, dict):
        kind = type(data).__name__ if data is not None else "empty"
        raise DiagnosticError([Diagnostic("", f"the document must be a mapping (an OpenAPI object), not {kind}")])
    return Document(path=path, data=data, sha256=hashlib.sha256(raw).hexdigest(), text=text)


def _parse(text: str, *, looks_like_json: bool) -> Any:
    if looks_like_json:
        try:
            return json.loads(text)
        except json.JSONDecodeError as exc:
            if text.lstrip()[:1] in "{[":
                raise DiagnosticError([Diagnostic("", f"malformed JSON: {exc.msg}", line=exc.lineno)]) from None
    # The cyclic collector finds nothing to free in a fresh parse tree but walks it repeatedly.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        return yaml.load(text, Loader=_JsonLikeLoader)  # noqa: S506 - a safe loader
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = " ".join(p for p in (exc.context, exc.problem) if p)
        raise DiagnosticError([Diagnostic("", f"malformed YAML: {problem}", line=line)]) from None
    except yaml.YAMLError as exc:
        raise DiagnosticError([Diagnostic("", f"malformed YAML: {exc}")]) from None
    finally:
        if gc_was_enabled:
            gc.enable()


def _index_lines(text: str) -> dict[str, int]:
    """Map every JSON pointer in the document to its line, from libyaml's node tree.

    Done only when a diagnostic needs a line: composing nodes is several times slower than loading.
    """
    try:
        root = yaml.compose(text, Loader=_JsonLikeLoader)  # noqa: S506
    except yaml.YAMLError:
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


MAX_REMOTE_BYTES = 50 * 1024 * 1024


def load_uri(uri: str, *, allow_remote: bool = False) -> Any:
    """The data of a referenced document: a `file:` URI from disk, an `http(s):` one fetched
    (with a timeout and a size cap) only when `allow_remote`; anything else is refused."""
    from urllib.parse import unquote, urlsplit
    from urllib.request import urlopen

    parts = urlsplit(uri)
    if parts.scheme == "file":
        return load(Path(unquote(parts.path))).data
    if parts.scheme in ("http", "https") and allow_remote:
        try:
            with urlopen(uri, timeout=30) as answer:  # noqa: S310 - the user asked for it
                raw = answer.read(MAX_REMOTE_BYTES + 1)
        except OSError as exc:
            raise DiagnosticError([Diagnostic("", f"cannot fetch {uri}: {exc}")]) from None
        if len(raw) > MAX_REMOTE_BYTES:
            raise DiagnosticError([Diagnostic("", f"{uri} is larger than {MAX_REMOTE_BYTES} bytes")])
        return _parse(raw.decode("utf-8-sig", errors="replace"), looks_like_json=raw.lstrip()[:1] == b"{")
    raise LookupError(f"{uri}: only local files are read (pass --allow-remote-refs to fetch remote documents)")
