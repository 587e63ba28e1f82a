"""What the builders share while they read one document: the document and its resolver, the
diagnostics sink, the name scopes and the model registry, each a typed object of its own.

Every builder is a function taking the `Context` first; none keeps state of its own. What a
builder adds here (a model, a claimed name, a warning) is what later builders read: a model
built for a component is found again by its URI, a class name claimed once is not claimed twice.
"""

from __future__ import annotations

import http
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from .. import ir
from ..diagnostics import Diagnostic, Level, pointer, pointer_parts
from ..load import Document
from ..naming import Scope, pascal
from ..resolve import Resolver
from .read import describe

# Names the generated package defines at its root or in every models module.
RESERVED_CLASSES = frozenset(
    {
        "Client",
        "AsyncClient",
        "NotGiven",
        "Any",
        "Literal",
        "Mapping",
        "SequenceNotStr",
        "ClassVar",
        "TypeAlias",
        "OpenStrEnum",
        "OpenIntEnum",
    }
    | {"ApiError", "ApiStatusError", "ApiConnectionError", "ApiTimeoutError", "ApiResponseValidationError"}
    | {"MissingCredentialsError", "RequestValidationError", "UnexpectedStatusError", "Request", "Rule", "RawResponse"}
    | {"ModelRule"}
    | {"SyncPager", "AsyncPager", "Accepted", "AsyncAccepted", "WaitSpec", "OperationFailedError", "WaitTimeoutError"}
    | {pascal(s.phrase) + ("" if pascal(s.phrase).endswith("Error") else "Error") for s in http.HTTPStatus if s >= 400}
)
# Names that would shadow what a model module imports, or the methods every model has.
RESERVED_FIELDS = frozenset({"datetime", "uuid", "to_dict", "from_dict", "field", "dataclass", "NOT_GIVEN"})
# Builtins that annotations use: a field of that name would shadow them in the class body.
ANNOTATION_BUILTINS = frozenset({"str", "int", "float", "bool", "bytes", "list", "dict"})
# Arguments every method has or may get, and names the method bodies use.
RESERVED_ARGS = frozenset(
    {"self", "httpx", "timeout", "extra_headers", "extra_query", "extra_body", "max_retries"}
    | {"payload", "page", "cursor", "response", "result", "as_field"}  # names the generated bodies use
)
# Attributes of the client classes that a resource group must not shadow.
RESERVED_GROUPS = frozenset({"base_url", "close", "request", "send", "http_client", "with_raw_response", "aclose"})


class Elsewhere(str):
    """The first part of a path into a document other than the root: that document's name."""


def pointer_of(path: Iterable[str | int]) -> str:
    """The JSON pointer of `path`; in another document, `name#pointer`."""
    parts = list(path)
    if parts and isinstance(parts[0], Elsewhere):
        return f"{parts[0]}#{pointer(parts[1:])}"
    return pointer(parts)


@dataclass
class Diagnostics:
    """The sink of what the builders skip or degrade: a warning each, in the order met."""

    document: Document
    warnings: list[Diagnostic] = field(default_factory=list)
    warned: set[Diagnostic] = field(default_factory=set)

    def warn(self, path: Iterable[str | int], message: str) -> None:
        """Report what was skipped or degraded, and why, at `path` (see `Context.location`). A
        construct met twice (a component used by several operations, a property merged through
        `allOf` into several models) is reported once."""
        diagnostic = Diagnostic(pointer_of(path), message, Level.WARNING, source=str(self.document.path))
        if diagnostic not in self.warned:
            self.warned.add(diagnostic)
            self.warnings.append(diagnostic)


@dataclass
class Names:
    """The scope of class names (models, enums' literal aliases, resource classes), and which
    model each inline model was met in (it shares that model's module, see `modules`)."""

    classes: Scope = field(default_factory=lambda: Scope(RESERVED_CLASSES))
    claimed: list[str] = field(default_factory=list)  # class names in the order they were claimed
    owner: dict[str, str] = field(default_factory=dict)  # inline model -> the model it was met in
    owners: list[str] = field(default_factory=list)  # stack of models being built

    def claim_class(self, raw: str) -> str:
        """A model's class name, owned by the model being built, if any."""
        name = self.classes.claim(raw)
        self.claimed.append(name)
        if self.owners:
            self.owner[name] = self.owners[-1]
        return name


@dataclass
class Registry:
    """The models built so far, and how schemas already met are found again."""

    models: dict[str, ir.Model] = field(default_factory=dict)  # by class name
    by_uri: dict[str, ir.TypeRef] = field(default_factory=dict)  # a named schema's type, by its URI
    # An inline object schema's model, by the identity of the schema object: an inline schema
    # has no URI, and the same object is met again when a request body's check is built. The
    # document is held (unchanged) for the whole build, so no id is reused meanwhile.
    inline_models: dict[int, str] = field(default_factory=dict)
    component_names: dict[str, str] = field(default_factory=dict)  # schema URI -> class name
    component_keys: dict[str, str] = field(default_factory=dict)  # schema URI -> key in components
    in_progress: set[str] = field(default_factory=set)  # URIs of aliases being built
    recursive: set[str] = field(default_factory=set)  # aliases that refer to themselves


Typed = Callable[[str, Any, ir.TypeRef], None]
"""Told of each schema typed where the document may give examples of it: a component schema or a
media type (its JSON pointer, the Schema or Media Type Object, the type). The tests collect the
examples this way, to round-trip them through the generated models (tests/examples.py)."""


@dataclass
class Context:
    document: Document
    resolver: Resolver
    diagnostics: Diagnostics
    names: Names = field(default_factory=Names)
    registry: Registry = field(default_factory=Registry)
    on_typed: Typed | None = None

    @classmethod
    def of(cls, document: Document, resolver: Resolver, on_typed: Typed | None = None) -> Context:
        return cls(document, resolver, Diagnostics(document), on_typed=on_typed)

    def typed(self, at: list[str | int], node: Any, type_: ir.TypeRef) -> None:
        """Tell `on_typed` that `node`, written at `at`, is typed `type_` (see `Typed`)."""
        if self.on_typed is not None:
            self.on_typed(pointer_of(at), node, type_)

    def section(self, *path: str) -> dict[str, Any]:
        """The mapping at `path` from the document's root (`paths`, `components`/`schemas`), or
        an empty one when there is none or (reported) when something else is there."""
        node: Any = self.document.data
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if node is not None and not isinstance(node, dict):
            self.diagnostics.warn(list(path), f"{path[-1]} must be a mapping, found {describe(node)}; ignored")
        return node if isinstance(node, dict) else {}

    def location(self, uri: str) -> list[str | int]:
        """Where the object a `$ref` led to is written: its path in the root document, or, in
        another document, that document's name (an `Elsewhere`) followed by its path there."""
        document, _, fragment = uri.partition("#")
        parts: list[str | int] = list(pointer_parts(fragment))
        if document == self.resolver.base_uri:
            return parts
        return [Elsewhere(self.resolver.document_name(document)), *parts]

    def flag(self, node: Mapping[str, Any], key: str, default: bool, at: list[str | int]) -> bool:
        """A boolean field of an OpenAPI object; anything but true or false is read as its default."""
        value = node.get(key, default)
        if not isinstance(value, bool):
            self.diagnostics.warn(
                [*at, key], f"{key} must be true or false, found {describe(value)}; read as {str(default).lower()}"
            )
            return default
        return value
