"""Stage 1, load: read a file and parse it as JSON or YAML into plain Python data.

Contract: `load(path)` returns a `Document` whose `data` holds only JSON types (dict, list, str,
int, float, bool, None), or raises `DiagnosticError` for an unreadable file, malformed YAML/JSON,
or a document that is not a mapping. JSON is parsed with `json` (fast path); YAML with libyaml's
C loader when present. YAML timestamps stay strings: OpenAPI is JSON-shaped, and `2024-01-01` in an
example is text, not a `datetime.date`.
"""

from __future__ import annotations

import dataclasses
import functools
import gc
import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .diagnostics import Diagnostic
from .errors import DiagnosticError, RefusedError

_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _JsonLikeLoader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader, made to give JSON's data model: no timestamp resolver (YAML 1.1 dates
    would leave JSON's types), and mapping keys always strings (`200:` is the key "200", as
    OpenAPI means it)."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self.duplicates: list[Diagnostic] = []
        self.aliased = False

    def construct_object(self, node: yaml.Node, deep: bool = False) -> Any:
        if node in self.constructed_objects:
            self.aliased = True  # only an alias (`*name`) meets a node a second time
        return super().construct_object(node, deep=deep)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [key.value for key, _ in node.value if isinstance(key, yaml.ScalarNode) and key.value != "<<"]
        if len(set(keys)) != len(keys):
            self._note_duplicates(node)
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        if all(type(key) is str for key in mapping):
            return mapping
        return {_json_key(key): value for key, value in mapping.items()}

    def _note_duplicates(self, node: yaml.MappingNode) -> None:
        first: dict[str, int] = {}
        for key, _ in node.value:
            if not isinstance(key, yaml.ScalarNode) or key.value == "<<":
                continue
            line = key.start_mark.line + 1
            if key.value in first:
                message = f"duplicate key {key.value!r} (first at line {first[key.value]}); YAML allows a key once"
                self.duplicates.append(Diagnostic("", message, line=line))
            else:
                first[key.value] = line


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

    def locate(self, diagnostics: list[Diagnostic]) -> list[Diagnostic]:
        """`diagnostics`, each of this document without a line given the line of its pointer."""
        source = str(self.path)
        return [
            (
                dataclasses.replace(d, line=self.line_of(d.pointer))
                if d.line is None and d.source == source and (not d.pointer or d.pointer.startswith("/"))
                else d
            )
            for d in diagnostics
        ]

    @property
    def lines(self) -> dict[str, int] | None:
        """The line of each pointer, if a diagnostic has needed them yet."""
        return self._lines

    def indexed_lines(self) -> dict[str, int]:
        """The line of each pointer, found now if no diagnostic has needed them yet."""
        if self._lines is None:
            self._lines = _index_lines(self.text)
        return self._lines

    def adopt_lines(self, lines: dict[str, int] | None) -> None:
        """Take the lines another reading of the same text found (the validating process's)."""
        if self._lines is None and lines is not None:
            self._lines = lines

    def line_of(self, ptr: str) -> int | None:
        """The 1-based line where the value at `ptr` starts, or of its nearest ancestor."""
        lines = self.indexed_lines()
        parts = ptr.split("/")[1:] if ptr else []  # still escaped, as the index keys are
        while True:
            key = "/" + "/".join(parts) if parts else ""
            if key in lines:
                return lines[key]
            if not parts:
                return None
            parts.pop()


def load(path: Path) -> Document:
    """Read and parse `path`; see the module docstring for the contract."""
    try:
        return _load(path)
    except DiagnosticError as exc:  # the parser's problems are this document's
        raise DiagnosticError(dataclasses.replace(d, source=str(path)) for d in exc.diagnostics) from None


def _load(path: Path) -> Document:
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
        duplicates: list[str] = []
        try:
            return json.loads(text, object_pairs_hook=functools.partial(_json_object, duplicates=duplicates))
        except json.JSONDecodeError as exc:
            if text.lstrip()[:1] in "{[":
                raise DiagnosticError([Diagnostic("", f"malformed JSON: {exc.msg}", line=exc.lineno)]) from None
        finally:
            if duplicates:
                raise DiagnosticError(
                    [
                        Diagnostic("", f"duplicate key {key!r} in an object; JSON objects name a key once")
                        for key in duplicates
                    ]
                )
    # The cyclic collector finds nothing to free in a fresh parse tree but walks it repeatedly.
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        loader = _JsonLikeLoader(text)
        try:
            data = loader.get_single_data()
        finally:
            loader.dispose()
        if loader.duplicates:
            raise DiagnosticError(loader.duplicates)
        if loader.aliased:
            _check_expansion(data)
        return data
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


def _json_object(pairs: list[tuple[str, Any]], duplicates: list[str]) -> dict[str, Any]:
    obj = dict(pairs)
    if len(obj) != len(pairs):
        seen: set[str] = set()
        duplicates.extend(key for key, _ in pairs if key in seen or seen.add(key))  # type: ignore[func-returns-value]
    return obj


# YAML aliases let a small text stand for an enormous tree ("billion laughs": nine aliases of nine
# aliases of ... expand a 1 KB file to 10^9 values); any later walk over it would never end.
MAX_EXPANSION = 2_000_000  # values, counting each alias as a copy of what it names


def _check_expansion(data: Any) -> None:
    """Refuse data whose aliases expand it past `MAX_EXPANSION` values, or that contains itself."""
    sizes: dict[int, int] = {}
    on_path: set[int] = set()  # the collections being sized, from the root down
    stack: list[tuple[Any, bool]] = [(data, False)]
    while stack:
        node, children_done = stack.pop()
        if not isinstance(node, (dict, list)) or (id(node) in sizes and not children_done):
            continue
        children = [v for v in (node.values() if isinstance(node, dict) else node) if isinstance(v, (dict, list))]
        if children_done:
            on_path.discard(id(node))
            size = len(node) + 1 + sum(sizes[id(c)] for c in children)
            if size > MAX_EXPANSION:
                raise DiagnosticError(
                    [Diagnostic("", f"YAML aliases expand the document past {MAX_EXPANSION:,} values; it is refused")]
                )
            sizes[id(node)] = size
            continue
        # An earlier entry for this node would lie below this one on the stack, so it is sized
        # (and skipped above) by the time it is popped: checking children as they are pushed is enough.
        on_path.add(id(node))
        stack.append((node, True))
        for child in children:
            if id(child) in on_path:
                raise DiagnosticError([Diagnostic("", "a YAML alias refers to a collection that contains it")])
            stack.append((child, False))


def _index_lines(text: str) -> dict[str, int]:
    """Map every JSON pointer in the document to its line, from libyaml's parse events.

    Done only when a diagnostic needs a line. A mapping's entry is placed on its key's line, any
    other value on its own first line; a value reached through an alias (`*name`) repeats the
    lines of what the anchor names under the alias's pointer. (Events, not the composed node
    tree: the tree is several times slower to build, and its marks are the events'.)
    """
    lines: dict[str, int] = {}
    log: list[tuple[str, int]] = []  # every entry made, in order: what an anchor names is a slice
    open_anchors: list[tuple[str, str, int]] = []  # (anchor, its node's pointer, where its entries begin)
    anchored: dict[str, tuple[str, list[tuple[str, int]]]] = {}
    # The open collections: [pointer, next index (a sequence) or -1 (a mapping), key or None].
    frames: list[list[Any]] = []
    skip = 0  # depth inside a key that is itself a collection (no pointer reaches into one)

    def enter(ptr: str, line: int) -> None:
        if ptr not in lines:
            lines[ptr] = line
            log.append((ptr, line))

    try:
        for event in yaml.parse(text, Loader=_BaseLoader):
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                if skip:
                    skip -= 1
                    continue
                frame = frames.pop()
                if open_anchors and open_anchors[-1][1] == frame[0]:
                    _close_anchor(open_anchors, anchored, log)
                continue
            if not isinstance(event, yaml.NodeEvent):
                continue
            if skip:
                skip += isinstance(event, yaml.CollectionStartEvent)
                continue
            line = event.start_mark.line + 1 if event.start_mark is not None else 0
            if not frames:
                ptr = ""
            else:
                frame = frames[-1]
                if frame[1] >= 0:  # a sequence: the next item
                    ptr = f"{frame[0]}/{frame[1]}"
                    frame[1] += 1
                elif frame[2] is None:  # a mapping, and this is a key
                    if isinstance(event, yaml.ScalarEvent):
                        frame[2] = event.value.replace("~", "~0").replace("/", "~1")
                        lines[f"{frame[0]}/{frame[2]}"] = line
                        log.append((f"{frame[0]}/{frame[2]}", line))
                    else:  # a collection as a key: nothing points into it, nor at its value
                        frame[2] = ""
                        skip = int(isinstance(event, yaml.CollectionStartEvent))
                    continue
                else:  # a mapping, and this is the value of the key before
                    ptr = f"{frame[0]}/{frame[2]}"
                    frame[2] = None
            if isinstance(event, yaml.AliasEvent):
                source, entries = anchored.get(event.anchor or "", ("", []))
                for entry, at in entries:
                    enter(ptr + entry[len(source) :], at)
                continue
            enter(ptr, line)
            anchor = event.anchor
            if isinstance(event, yaml.ScalarEvent):
                if anchor is not None:
                    anchored[anchor] = (ptr, [(ptr, line)])
                continue
            frames.append([ptr, 0 if isinstance(event, yaml.SequenceStartEvent) else -1, None])
            if anchor is not None:
                open_anchors.append((anchor, ptr, len(log) - 1))
    except yaml.YAMLError:
        return {}
    return lines


def _close_anchor(
    open_anchors: list[tuple[str, str, int]],
    anchored: dict[str, tuple[str, list[tuple[str, int]]]],
    log: list[tuple[str, int]],
) -> None:
    anchor, ptr, begin = open_anchors.pop()
    anchored[anchor] = (ptr, log[begin:])


MAX_REMOTE_BYTES = 50 * 1024 * 1024


def load_uri(uri: str, *, allow_remote: bool = False, within: Path | None = None) -> Any:
    """The data of a referenced document: a `file:` URI from disk, an `http(s):` one fetched
    (with a timeout and a size cap) only when `allow_remote`; anything else is refused.

    With `within`, a file is read only if it lies in that folder or below it once symbolic links
    are followed, so that a document cannot make the generator read `/etc/passwd` or `~/.ssh`.
    """
    from urllib.parse import unquote, urlsplit
    from urllib.request import urlopen

    parts = urlsplit(uri)
    if parts.scheme == "file":
        path = Path(unquote(parts.path))
        if within is not None and not path.resolve().is_relative_to(within.resolve()):
            raise RefusedError(
                f"{path} is outside the document's folder, and is not read (pass --allow-outside-refs to read it)"
            )
        return load(path).data
    if parts.scheme in ("http", "https") and allow_remote:
        try:
            with urlopen(uri, timeout=30) as answer:  # noqa: S310 - the user asked for it
                raw = answer.read(MAX_REMOTE_BYTES + 1)
        except OSError as exc:
            raise DiagnosticError([Diagnostic("", f"cannot fetch {uri}: {exc}")]) from None
        if len(raw) > MAX_REMOTE_BYTES:
            raise DiagnosticError([Diagnostic("", f"{uri} is larger than {MAX_REMOTE_BYTES} bytes")])
        return _parse(raw.decode("utf-8-sig", errors="replace"), looks_like_json=raw.lstrip()[:1] == b"{")
    raise RefusedError(f"{uri}: only local files are read (pass --allow-remote-refs to fetch remote documents)")
