"""openapi-spec-validator as strict validation runs it: with repairs that keep its verdicts, and
the place in the document of each error it reports.

The repairs: it reads referenced documents only as the resolver allows; it survives schemas that
reach themselves through `allOf`; its JSON Schema checks ask jsonschema-rs first and meet
properties in the order of the document (see `jsonschema_checks`), so that of a Schema Object's
errors, of which it reports the first, the same one is reported on every run.

Its checks of a part of the document (a Schema Object, a default value, an operation) word their
errors relative to that part, or do not place them at all: each such error is marked with the
part (`_anchored`), and `Locator` finds the JSON pointer of the value it is about.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from jsonschema.exceptions import ValidationError
from jsonschema_path import SchemaPath
from jsonschema_path import resolvers as path_resolvers
from jsonschema_path.nodes import SchemaNode
from pathable.accessors import SubscriptableAccessor
from pathable.types import LookupNode
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.validation import keywords
from openapi_spec_validator.validation.exceptions import (
    DuplicateOperationIDError,
    ExtraParametersError,
    OpenAPIValidationError,
)

from .diagnostics import pointer, pointer_parts
from .jsonschema_checks import (
    OAS31_DIALECT,
    document_validator,
    in_document_order,
    meta_checker,
    schema_meta_validator,
)
from .load import Document, load_uri
from .resolve import Resolver


def validator_class(resolver: Resolver, version: str) -> type[OpenAPIV30SpecValidator | OpenAPIV31SpecValidator]:
    """openapi-spec-validator's validator for `version`, reading referenced documents only the
    way the resolver does: local files in the document's folder, and others only when the user
    opted in. (Left to itself, jsonschema-path would read any file and fetch any URL.)"""
    read = functools.partial(load_uri, allow_remote=resolver.allow_remote, within=resolver.within)
    handlers = {scheme: read for scheme in ("file", "http", "https", "ftp", "data")}
    base = _safe_validator(version)
    return type(base.__name__, (base,), {"resolver_handlers": handlers})


class _IdSet(set[int]):
    """The validator keeps the schemas it has visited in lists, so each visit costs a scan of all
    before it (quadratic on a large document); a set answers the same questions at once."""

    def append(self, item: int) -> None:
        self.add(item)


# The dialect of a Schema Object that `schema_meta_validator` checks it against.
_BASE = object()


def _cycle_safe(base: type[keywords.SchemaValidator], version: str) -> type[keywords.SchemaValidator]:
    """`base`, the validator's Schema Object checks, with the same verdicts but safe on cycles.

    openapi-spec-validator collects the properties an `allOf` brings in by following every
    subschema with no memory of where it has been, so a schema that reaches itself through
    `allOf` (legal, and common in recursive models) recurses until the stack runs out. Here each
    schema is visited once per collection, which yields the same set of names.

    Each Schema Object is checked against its meta-schema by jsonschema-rs first, as the document
    is (`FastThenExact`); jsonschema runs only on those it does not pass, and of its errors the
    first is reported, as the validator does, but met in the order of the document
    (`in_document_order`): which is first does not change from one run to the next.
    """

    class CycleSafe(base):  # type: ignore[valid-type,misc]
        def __init__(self, registry: Any) -> None:
            super().__init__(registry)
            self.visited_schema_ids = _IdSet()
            self.meta_checked_schema_ids = _IdSet()

        def _collect_properties(self, schema: Any, seen: set[int] | None = None) -> set[str]:
            seen = set() if seen is None else seen
            key = id(schema.read_value())
            if key in seen:
                return set()
            seen.add(key)
            names: set[str] = set()
            if "properties" in schema:
                names.update((schema / "properties").keys())
            for keyword in ("allOf", "anyOf", "oneOf"):
                if keyword in schema:
                    for sub in schema / keyword:
                        names |= self._collect_properties(sub, seen)
            for keyword in ("items", "not"):
                if keyword in schema:
                    names |= self._collect_properties(schema / keyword, seen)
            return names

        def _validate_schema_meta(self, schema: Any, schema_value: Any) -> Any:
            owner = self._dialect(schema, schema_value)
            if owner is None:
                return super()._validate_schema_meta(schema, schema_value)  # it words what is wrong
            if owner is _BASE:
                meta = schema_meta_validator(version)
                if meta.is_valid_fast(schema_value):
                    return None
                errors = meta.iter_exact_errors(schema_value)
            else:
                errors = iter(meta_checker(owner, self.schema_validator_format_checker).iter_errors(schema_value))
            error = next(errors, None)  # the first, as the validator reports it
            return None if error is None else OpenAPIValidationError.create_from(error)

        def _dialect(self, schema: Any, schema_value: Any) -> Any:
            """`_BASE` when openapi-spec-validator checks this Schema Object against the
            meta-schema of `schema_meta_validator(version)` (always in 3.0; in 3.1, unless the
            schema or the document names another dialect: `$schema`, `jsonSchemaDialect`), else
            the jsonschema class of the dialect named, or None for one it does not know."""
            if version == "3.0":
                return _BASE
            try:
                dialect = self._get_schema_dialect_id(schema, schema_value)
                return _BASE if dialect == OAS31_DIALECT else self._get_validator_class_for_dialect(dialect)
            except Exception:  # noqa: BLE001 - the validator words this problem itself
                return None

    CycleSafe.__name__ = CycleSafe.__qualname__ = base.__name__
    return CycleSafe


# Set on an error that a keyword validator found inside a part of the document (a Schema Object,
# a default value, an operation): the `SchemaPath` of that part, and the field the error is about.
_ANCHOR = "clientgen_anchor"


def _anchored(base: type[keywords.KeywordValidator], field: str | None = None) -> type[keywords.KeywordValidator]:
    """`base`, one of the validator's checks of a part of the document, marking each error it
    reports with that part (the errors of these checks are worded relative to it, or not placed at
    all). An error already marked by a check within keeps the innermost, most precise, part."""

    class Anchored(base):  # type: ignore[valid-type,misc]
        def __call__(self, *args: Any, **kwargs: Any) -> Iterator[ValidationError]:
            place = next((a for a in args if isinstance(a, SchemaPath)), None)
            for error in super().__call__(*args, **kwargs):
                if not isinstance(error, OpenAPIValidationError):
                    # As the validator would wrap it on its way out, keeping the mark.
                    error = OpenAPIValidationError.create_from(error)
                if place is not None and getattr(error, _ANCHOR, None) is None:
                    setattr(error, _ANCHOR, (place, field))
                yield error

    Anchored.__name__ = Anchored.__qualname__ = base.__name__
    return Anchored


def in_part(error: ValidationError) -> bool:
    """Whether a check of a part of the document (not of its whole structure) found `error`."""
    return getattr(error, _ANCHOR, None) is not None


# The checks that report errors of their own (the others only pass on those of the checks within).
_REPORTING = frozenset({"schema", "default", "operation", "parameters", "tags"})


def _values_in_order(base: type[keywords.ValueValidator]) -> type[keywords.ValueValidator]:
    """`base`, the validator's check of a default value against its schema, meeting the value's
    properties in the order of the document (see `in_document_order`)."""
    return type(base.__name__, (base,), {"value_validator_cls": in_document_order(base.value_validator_cls)})


def _with_safe_schemas(base: type[Any], version: str) -> type[Any]:
    schema_checks = _cycle_safe(base.keyword_validators["schema"], version)
    value_checks = _values_in_order(base.keyword_validators["default"])
    validators = {
        name: _anchored(check, "default" if name == "default" else None) if name in _REPORTING else check
        for name, check in {**base.keyword_validators, "schema": schema_checks, "default": value_checks}.items()
    }
    attributes = {"keyword_validators": validators, "schema_validator": document_validator(version)}
    return type(base.__name__, (base,), attributes)


def _subnode(node: Any, part: Any) -> Any:
    """pathable's step from a node of the document to its child `part`, without its
    `isinstance(node, Subscriptable)`: a check against a runtime protocol, which Python 3.11
    makes by listing the protocol's members on every call (a fifth of a large document's
    validation). A dict or a list is subscriptable; anything else takes pathable's own way."""
    if type(node) is dict or type(node) is list:
        try:
            return node[part]
        except (KeyError, IndexError, TypeError) as exc:
            raise KeyError(part) from exc
    return _PATHABLE_SUBNODE(node, part)


_PATHABLE_SUBNODE = SubscriptableAccessor._get_subnode


def _install_walk_repairs() -> None:
    """Put `_subnode` in place of pathable's, where jsonschema-path walks the document with it
    unchanged (a later version that steps otherwise keeps its own). And in the module whose
    loop resolves each step, let the union `LookupNode` be `object`: the module names it only in
    `cast(Resolved[LookupNode], ...)`, which has no effect but costs a subscription of a generic
    whose cache hashes the whole union on every call (a tenth of a large document's validation)."""
    if getattr(SchemaNode._get_subnode, "__func__", None) is getattr(_PATHABLE_SUBNODE, "__func__", False):
        SchemaNode._get_subnode = staticmethod(_subnode)  # type: ignore[method-assign]
    if getattr(path_resolvers, "LookupNode", None) is LookupNode:
        path_resolvers.LookupNode = object  # type: ignore[attr-defined,assignment]


@functools.cache
def _safe_validator(version: str) -> type[OpenAPIV30SpecValidator | OpenAPIV31SpecValidator]:
    """The validator of `version` with the repairs; made on first use (each loads its version's
    schema, which a run reading one version need not pay twice)."""
    _install_walk_repairs()
    base = OpenAPIV30SpecValidator if version == "3.0" else OpenAPIV31SpecValidator
    return _with_safe_schemas(base, version)


# --------------------------------------------------------------------------------------------
# Where an error is.


# The field an error of a part is about, where the validator does not say.
_FIELDS: dict[type[ValidationError], str] = {DuplicateOperationIDError: "operationId", ExtraParametersError: "required"}


class Locator:
    """The JSON pointer of the value an error is about, within the whole document.

    The structure of the document is checked as a whole, and its errors carry their path. The
    checks of its parts (Schema Objects, default values, operations) report relative to that part,
    which `_anchored` marks on the error: it is found again by the identity of its value (or of its
    nearest container), which also finds a part reached through a `$ref` where it is written.
    """

    def __init__(self, document: Document) -> None:
        self._document = document
        self._index: dict[int, str | None] | None = None

    def __call__(
        self, error: ValidationError, cause: ValidationError, key: tuple[str | int, ...] = ()
    ) -> tuple[str, str]:
        """The pointer of `cause` (`error` or an error within it), and `key` within that; for a
        value in another document (which a `$ref` led to), that of the `$ref` and the rest."""
        data = self._document.data
        path = [*self._anchor(error), *cause.absolute_path, *key]
        if _exists(data, path):
            return pointer(path), ""
        found = self._build().get(id(cause.instance)) if isinstance(cause.instance, (dict, list)) else None
        if found is not None:
            return found + pointer(key), ""
        kept = len(path)
        while kept and not _exists(data, path[:kept]):
            kept -= 1
        return pointer(path[:kept]), pointer(path[kept:])

    def _anchor(self, error: ValidationError) -> list[str | int]:
        """The path of the part of the document `error` was found in ([] for the whole)."""
        anchor = getattr(error, _ANCHOR, None)
        if anchor is None:
            return []
        place, field = anchor
        field = _FIELDS.get(type(error), field)
        tail: list[str | int] = [field] if field else []
        while True:
            try:
                value = place.read_value()
            except Exception:  # noqa: BLE001 - a part the validator could not read either
                value = None
            found = self._build().get(id(value)) if isinstance(value, (dict, list)) else None
            if found is not None or not place.parts:
                return [*pointer_parts(found or ""), *tail]
            tail.insert(0, place.parts[-1])
            place = place.parent

    def _build(self) -> dict[int, str | None]:
        if self._index is None:
            index: dict[int, str | None] = {}
            stack: list[tuple[str, Any]] = [("", self._document.data)]
            while stack:
                ptr, node = stack.pop()
                # Two places holding the same object (YAML aliases) are ambiguous.
                if isinstance(node, (dict, list)):
                    index[id(node)] = None if id(node) in index else ptr
                if isinstance(node, dict):
                    stack.extend((ptr + pointer([k]), v) for k, v in node.items())
                elif isinstance(node, list):
                    stack.extend((ptr + pointer([i]), v) for i, v in enumerate(node))
            self._index = index
        return self._index


def _exists(data: Any, path: list[Any]) -> bool:
    for part in path:
        if isinstance(data, dict) and part in data:
            data = data[part]
        elif isinstance(data, list) and str(part).isdigit() and int(part) < len(data):
            data = data[int(part)]
        else:
            return False
    return True
