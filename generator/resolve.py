"""Stage 3, resolve: follow `$ref`s with `referencing`, and find the ones that lead nowhere.

Contract: `Resolver(document)` answers `deref(node)` for any object of the document: the object a
`$ref` points at (following chains), together with the URI that names it, so the builder can tell a
reference to `#/components/schemas/Pet` from an inline schema. `check_refs(document)` walks the
whole document once and returns a diagnostic for every `$ref` whose target does not exist, and for
every cycle of `$ref`s that never reaches an object.
Relative references to other files are loaded from disk. Remote (http/https) references are
refused unless the user opts in (`allow_remote`, the `--allow-remote-refs` flag); then they are
fetched once each, with a timeout, and parsed like local files.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit

import referencing
import referencing.exceptions
from referencing import Registry, Resource, Specification

from .diagnostics import Diagnostic, pointer
from .errors import DiagnosticError, RefusedError
from .load import Document, load_uri

# Keys whose values are data, not OpenAPI/Schema objects, outside a map of user-chosen names.
_DATA_KEYS = frozenset({"example", "default", "const", "enum", "value"})
# Keys whose values are maps from user-chosen names (which may be "default", "example", ...).
_NAME_MAPS = frozenset(
    {
        "properties", "patternProperties", "$defs", "definitions", "dependentSchemas", "schemas",
        "parameters", "responses", "headers", "examples", "requestBodies", "securitySchemes",
        "links", "callbacks", "pathItems", "paths", "webhooks", "content", "encoding", "variables",
        "mapping",
    }
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Ref:
    """A followed `$ref`: where it led (an absolute URI with a JSON-pointer fragment) and what is there."""

    uri: str
    target: Any


class Resolver:
    """Follows `$ref`s within a document and the files it refers to."""

    def __init__(self, document: Document, *, allow_remote: bool = False, allow_outside: bool = False) -> None:
        self.document = document
        self.base_uri = document.path.resolve().as_uri()
        self.allow_remote = allow_remote
        # Files are read from the document's folder and below, unless the user opts out.
        self.within: Path | None = None if allow_outside else document.path.resolve().parent
        self._files: dict[str, Resource[Any]] = {}
        # The document each `$ref` object of another file came from, so that its relative
        # reference resolves against that file wherever the builder meets it.
        self._origin: dict[int, str] = {}
        self._found: dict[tuple[str, str], Ref] = {}  # (reference, base URI) -> where it led
        root = _OPAQUE.create_resource(document.data)
        registry: Registry[Any] = Registry(retrieve=self._retrieve)  # type: ignore[call-arg]
        self._registry = registry.with_resource(self.base_uri, root)

    def lookup(self, ref: str, base_uri: str | None = None) -> Ref:
        """Resolve one `$ref` string relative to `base_uri` (default: the root document)."""
        base = base_uri or self.base_uri
        found = self._found.get((ref, base))
        if found is None:
            # The builder follows the same references again and again (every use of a model, and
            # each of its properties once per pass): `referencing` walks the pointer only once.
            resolved = self._registry.resolver(base_uri=base).lookup(ref)
            found = self._found[ref, base] = Ref(uri=_absolute(ref, base), target=resolved.contents)
        return found

    def deref(self, node: Any, base_uri: str | None = None) -> tuple[Any, str | None]:
        """Follow `node`'s `$ref` chain, if any; return the final object and its URI (None if inline)."""
        uri: str | None = None
        seen: set[str] = set()
        if base_uri is None and self._origin:
            base_uri = self._origin.get(id(node))
        while isinstance(node, dict) and isinstance(node.get("$ref"), str):
            ref = self.lookup(node["$ref"], base_uri)
            if ref.uri in seen:
                raise referencing.exceptions.Unresolvable(ref=node["$ref"])
            seen.add(ref.uri)
            uri, node = ref.uri, ref.target
            base_uri = uri.split("#", 1)[0]
        return node, uri

    def digest(self, root_sha256: str) -> str:
        """The root document's SHA-256, or, when it refers to other documents, a SHA-256 over it
        and their contents (named relative to it), so that editing any of them shows."""
        if not self._files:
            return root_sha256
        digest = hashlib.sha256(root_sha256.encode())
        base = self.base_uri.rsplit("/", 1)[0] + "/"
        for uri in sorted(self._files):
            name = uri.removeprefix(base)
            digest.update(name.encode() + json.dumps(self._files[uri].contents, sort_keys=True).encode())
        return digest.hexdigest()

    def documents(self) -> dict[str, Path | None]:
        """The other documents read so far, by name relative to the root document's folder; a
        remote one (which has no file to check again) maps to None."""
        return {
            self.document_name(uri): Path(unquote(urlsplit(uri).path)) if urlsplit(uri).scheme == "file" else None
            for uri in self._files
        }

    def document_name(self, uri: str) -> str:
        """A document's name for the user: a file by its path relative to the root document's
        folder, a remote one by its URL."""
        parts = urlsplit(uri)
        if parts.scheme != "file":
            return uri
        root_folder = Path(unquote(urlsplit(self.base_uri).path)).parent
        return os.path.relpath(Path(unquote(parts.path)), root_folder)

    def _retrieve(self, uri: str) -> Resource[Any]:
        """Load a referenced document once: from disk, or (opted in) from the network."""
        if uri not in self._files:
            if urlsplit(uri).scheme not in ("file", "http", "https") or (
                urlsplit(uri).scheme != "file" and not self.allow_remote
            ):
                raise referencing.exceptions.NoSuchResource(ref=uri)  # type: ignore[call-arg]
            data = load_uri(uri, allow_remote=self.allow_remote, within=self.within)
            self._files[uri] = _OPAQUE.create_resource(data)
            stack = [data]
            while stack:
                node = stack.pop()
                if isinstance(node, dict):
                    if isinstance(node.get("$ref"), str):
                        self._origin[id(node)] = uri
                    stack.extend(node.values())
                elif isinstance(node, list):
                    stack.extend(node)
        return self._files[uri]


def check_refs(document: Document, resolver: Resolver) -> tuple[list[Diagnostic], list[Diagnostic]]:
    """Walk `document` once and return two lists of diagnostics: every `$ref` (and discriminator
    mapping) whose target is missing, remote or unreadable; and every `$ref` that leads, `$ref`
    after `$ref`, back to itself, a name for nothing (`A: {$ref: B}`, `B: {$ref: A}`) on which
    any reader would loop."""
    broken: list[Diagnostic] = []
    cycles: list[Diagnostic] = []
    for path, ref, is_mapping in _iter_refs(document.data, []):
        ptr = pointer(path)
        if ref.split("#", 1)[0].startswith(("http://", "https://")) and not resolver.allow_remote:
            message = f"remote $ref {ref!r} is not fetched (pass --allow-remote-refs to fetch it)"
            broken.append(Diagnostic(ptr, message, line=document.line_of(ptr), source=str(document.path)))
            continue
        try:
            found = resolver.lookup(ref)
        except (referencing.exceptions.Unresolvable, LookupError, ValueError, TypeError) as exc:
            what = f"discriminator mapping to {ref!r} leads nowhere" if is_mapping else f"unresolvable $ref {ref!r}"
            broken.append(
                Diagnostic(ptr, f"{what}: {_why(exc)}", line=document.line_of(ptr), source=str(document.path))
            )
            continue
        cycle = None if is_mapping else _ref_cycle(resolver, found)
        if cycle is not None:
            chain = " → ".join(uri.rsplit("#", 1)[-1] or "/" for uri in cycle)
            message = f"$ref {ref!r} starts a cycle of references that never reaches an object: {chain}"
            cycles.append(Diagnostic(ptr, message, line=document.line_of(ptr), source=str(document.path)))
    return broken, cycles


def mapping_target(value: object) -> str:
    """The reference a Discriminator Object's `mapping` value stands for: a reference as written,
    or a bare name of a component schema (OAS 3.1 §4.8.25)."""
    text = str(value)
    return text if text.startswith(("#", ".")) or "/" in text else f"#/components/schemas/{text}"


def _ref_cycle(resolver: Resolver, found: Ref) -> list[str] | None:
    """The URIs of the loop, if following `$ref`s on from where one led comes back on itself."""
    seen = [found.uri]
    while isinstance(found.target, dict) and isinstance(found.target.get("$ref"), str):
        try:
            found = resolver.lookup(found.target["$ref"], found.uri.split("#", 1)[0])
        except (referencing.exceptions.Unresolvable, LookupError, ValueError, TypeError):
            return None  # reported where that `$ref` is written
        if found.uri in seen:
            return [*seen[seen.index(found.uri) :], found.uri]
        seen.append(found.uri)
    return None


def _iter_refs(
    node: Any, path: list[str | int], in_name_map: bool = False
) -> Iterator[tuple[list[str | int], str, bool]]:
    """Every reference in `node`: (the path of its string, the reference, whether it is a
    discriminator mapping's value rather than a `$ref`)."""
    if isinstance(node, dict):
        if not in_name_map:
            ref = node.get("$ref")
            if isinstance(ref, str):
                yield [*path, "$ref"], ref, False
            discriminator = node.get("discriminator")
            mapping = discriminator.get("mapping") if isinstance(discriminator, dict) else None
            if isinstance(mapping, dict):
                for key, value in mapping.items():
                    yield [*path, "discriminator", "mapping", key], mapping_target(value), True
        for key, value in node.items():
            if not in_name_map and (key in _DATA_KEYS or str(key).startswith("x-") or key == "$ref"):
                continue
            if key == "examples" and isinstance(value, list):
                continue  # JSON Schema `examples`: a list of data
            yield from _iter_refs(value, [*path, key], in_name_map=(not in_name_map and key in _NAME_MAPS))
    elif isinstance(node, list):
        for index, item in enumerate(node):
            yield from _iter_refs(item, [*path, index])


def _why(exc: BaseException) -> str:
    """Why a reference failed, from the deepest cause that says something."""
    chain = [exc]
    while chain[-1].__cause__ is not None:
        chain.append(chain[-1].__cause__)
    for cause in reversed(chain):
        if isinstance(cause, DiagnosticError):
            return "cannot load it: " + "; ".join(d.message for d in cause.diagnostics)
        if isinstance(cause, RefusedError):
            return str(cause)
        if isinstance(cause, referencing.exceptions.NoSuchResource):
            return "only references to local files are followed"
        if isinstance(cause, referencing.exceptions.PointerToNowhere):
            return f"nothing at {cause.ref}"
    return "no such target"


def _absolute(ref: str, base_uri: str) -> str:
    if ref.startswith("#"):
        return base_uri.split("#", 1)[0] + ref
    return urljoin(base_uri, ref)


_OPAQUE: Specification[Any] = referencing.Specification.OPAQUE
