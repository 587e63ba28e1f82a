"""Stage 2, validate: is this an OpenAPI 3.0 or 3.1 document we can trust?

Contract: `validate(document, resolver)` returns the OpenAPI version ("3.0" or "3.1") or raises
`DiagnosticError` listing every problem: an unsupported version (Swagger 2.0 gets a one-line
answer), `$ref`s that lead nowhere, in a circle or out of bounds (another folder, the network),
and each error openapi-spec-validator reports against the official schema of that version, each
with its JSON pointer and line. With `lenient`, the validator's errors are returned as warnings
instead; the others still stop the run.

openapi-spec-validator is used with two repairs that keep its verdicts: it reads referenced files
only as the resolver allows, and it survives schemas that reach themselves through `allOf`.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any

import referencing.exceptions
from jsonschema.exceptions import ValidationError
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.validation import keywords

from .diagnostics import Diagnostic, DiagnosticError, Level, pointer
from .load import Document, load_uri
from .resolve import Resolver, check_refs


def _validator(resolver: Resolver, version: str) -> type[OpenAPIV30SpecValidator | OpenAPIV31SpecValidator]:
    """openapi-spec-validator's validator for `version`, reading referenced documents only the
    way the resolver does: local files in the document's folder, and others only when the user
    opted in. (Left to itself, jsonschema-path would read any file and fetch any URL.)"""
    read = functools.partial(load_uri, allow_remote=resolver.allow_remote, within=resolver.within)
    handlers = {scheme: read for scheme in ("file", "http", "https", "ftp", "data")}
    base = _VALIDATORS[version]
    return type(base.__name__, (base,), {"resolver_handlers": handlers})


class _IdSet(set[int]):
    """The validator keeps the schemas it has visited in lists, so each visit costs a scan of all
    before it (quadratic on a large document); a set answers the same questions at once."""

    def append(self, item: int) -> None:
        self.add(item)


def _cycle_safe(base: type[keywords.SchemaValidator], *, fast_meta: bool) -> type[keywords.SchemaValidator]:
    """`base`, the validator's Schema Object checks, with the same verdicts but safe on cycles.

    openapi-spec-validator collects the properties an `allOf` brings in by following every
    subschema with no memory of where it has been, so a schema that reaches itself through
    `allOf` (legal, and common in recursive models) recurses until the stack runs out. Here each
    schema is visited once per collection, which yields the same set of names.
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
            if fast_meta and _schema_meta_validator().is_valid_fast(schema_value):
                return None
            return super()._validate_schema_meta(schema, schema_value)

    CycleSafe.__name__ = CycleSafe.__qualname__ = base.__name__
    return CycleSafe


class _FastThenExact:
    """A JSON Schema validator that asks jsonschema-rs (compiled) whether an instance is valid,
    and only when it is not, or cannot say, runs the Python `jsonschema` validator openapi-spec-
    validator uses, for its errors. The verdicts and messages are jsonschema's; the time, on a
    valid document, is jsonschema-rs's (18 ms against 1.5 s for Stripe's document).

    jsonschema-rs checks formats at least as strictly as jsonschema does without a format
    checker, and a schema it cannot compile (one that refers to another document) is left to
    jsonschema alone; `check_patterns` adds the one check where Python is the stricter: that each
    `pattern` is a regular expression Python's `re` reads."""

    def __init__(self, schema: Any, exact: Any, *, check_patterns: bool = False) -> None:
        self.schema = schema
        self._exact = exact
        self._check_patterns = check_patterns
        self._fast = _compiled(schema)

    def is_valid_fast(self, instance: Any) -> bool:
        if self._fast is None:
            return False
        try:
            valid = bool(self._fast.is_valid(instance))
        except Exception:  # noqa: BLE001 - values JSON has no type for (a YAML date): ask jsonschema
            return False
        return valid and (not self._check_patterns or _patterns_compile(instance))

    def iter_errors(self, instance: Any) -> Iterator[ValidationError]:
        if not self.is_valid_fast(instance):
            yield from self._exact.iter_errors(instance)


def _compiled(schema: Any) -> Any:
    try:
        import jsonschema_rs
    except ImportError:
        return None
    try:
        return jsonschema_rs.validator_for(_plain(schema))
    except Exception:  # noqa: BLE001 - a schema jsonschema-rs cannot use: jsonschema alone then
        return None


def _plain(schema: Any) -> Any:
    """`schema` as plain dicts and lists (the validators keep theirs in mapping proxies)."""
    if isinstance(schema, Mapping):
        return {key: _plain(value) for key, value in schema.items()}
    if isinstance(schema, (list, tuple)):
        return [_plain(value) for value in schema]
    return schema


def _patterns_compile(schema: Any) -> bool:
    stack = [schema]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            pattern = node.get("pattern")
            if isinstance(pattern, str):
                try:
                    re.compile(pattern)
                except (re.error, RecursionError, OverflowError):
                    return False
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return True


@functools.cache
def _document_validator(version: str) -> _FastThenExact:
    from openapi_spec_validator.schemas import schema_v30, schema_v31
    from openapi_spec_validator.schemas.backend.jsonschema import create_validator

    schema = schema_v30 if version == "3.0" else schema_v31
    return _FastThenExact(schema, create_validator(schema))


@functools.cache
def _schema_meta_validator() -> _FastThenExact:
    """OAS 3.0 Schema Objects against their meta-schema, as `OAS30Validator.check_schema` checks
    them. (3.1's dialect refers to other documents, so 3.1 stays with jsonschema alone.)"""
    from openapi_schema_validator import OAS30Validator

    exact = OAS30Validator(OAS30Validator.META_SCHEMA, format_checker=OAS30Validator.FORMAT_CHECKER)
    return _FastThenExact(OAS30Validator.META_SCHEMA, exact, check_patterns=True)


def _with_safe_schemas(base: type[Any], version: str) -> type[Any]:
    schema_checks = _cycle_safe(base.keyword_validators["schema"], fast_meta=version == "3.0")
    validators = {**base.keyword_validators, "schema": schema_checks}
    attributes = {"keyword_validators": validators, "schema_validator": _document_validator(version)}
    return type(base.__name__, (base,), attributes)


_VALIDATORS: dict[str, type[OpenAPIV30SpecValidator | OpenAPIV31SpecValidator]] = {
    "3.0": _with_safe_schemas(OpenAPIV30SpecValidator, "3.0"),
    "3.1": _with_safe_schemas(OpenAPIV31SpecValidator, "3.1"),
}


def validate(document: Document, resolver: Resolver, *, lenient: bool = False) -> tuple[str, list[Diagnostic]]:
    """Check `document`; see the module docstring. Returns the version and, with `lenient`, the
    problems as warnings instead of raising them (an unsupported version still raises)."""
    version = openapi_version(document)
    broken, cycles = check_refs(document, resolver)
    templates = check_path_templates(document)
    problems = broken + cycles + templates
    validator = _validator(resolver, version)(document.data, base_uri=resolver.base_uri)
    locate = _Locator(document)
    found: list[Diagnostic] = []
    try:
        # The validator would follow a cycle of `$ref`s forever, and chokes on a path template
        # with a stray brace; those are reported already.
        for error in validator.iter_errors() if not (cycles or templates) else ():
            found.append(_diagnostic(document, error, locate))
    except RecursionError:
        found.append(Diagnostic("", "the document nests or refers to itself too deeply to validate"))
    except referencing.exceptions.Unresolvable:
        # The validator stops at the first dangling $ref; `check_refs` has listed them all, and
        # the errors the validator found before it stopped are kept.
        pass
    except Exception as exc:  # noqa: BLE001 - the validator trips over some malformed documents
        if not found and not problems:
            found.append(
                Diagnostic("", f"openapi-spec-validator could not check this document ({type(exc).__name__}: {exc})")
            )
    # A `$ref` that leads nowhere (or in a circle) leaves nothing to generate from, so even
    # `lenient` does not pass over it; what the validator found is listed with it.
    if problems or (found and not lenient):
        raise DiagnosticError(problems + found)
    return version, [dataclasses.replace(p, level=Level.WARNING) for p in found]


_TEMPLATE_PARAMETER = re.compile(r"\{[^{}]+\}")


def check_path_templates(document: Document) -> list[Diagnostic]:
    """A diagnostic for each path whose braces do not pair into `{name}` parameters (OAS 3.1
    §4.8.8.2): the path of a request could not be built from it."""
    paths = document.data.get("paths")
    problems = []
    for template in paths if isinstance(paths, dict) else ():
        outside_parameters = _TEMPLATE_PARAMETER.sub("", str(template))
        if "{" in outside_parameters or "}" in outside_parameters:
            ptr = pointer(["paths", template])
            message = f"path template {template!r} has a brace that does not enclose a parameter name"
            problems.append(Diagnostic(ptr, message, line=document.line_of(ptr)))
    return problems


def openapi_version(document: Document) -> str:
    """ "3.0" or "3.1", from the `openapi` field; anything else is a diagnostic."""
    data = document.data
    if "swagger" in data:
        message = f"Swagger {data['swagger']} documents are not supported; convert it to OpenAPI 3"
        raise DiagnosticError([Diagnostic("/swagger", message, line=document.line_of("/swagger"))])
    declared = data.get("openapi")
    if not isinstance(declared, str):
        raise DiagnosticError([Diagnostic("/openapi", "missing `openapi` version field (expected 3.0.x or 3.1.x)")])
    match = re.fullmatch(r"(3\.[01])\.\d+(-.+)?", declared)
    if match is None:
        line = document.line_of("/openapi")
        raise DiagnosticError(
            [Diagnostic("/openapi", f"OpenAPI {declared} is not supported (expected 3.0.x or 3.1.x)", line=line)]
        )
    return match.group(1)


def _diagnostic(document: Document, error: ValidationError, locate: _Locator) -> Diagnostic:
    ptr = locate(error)
    message = error.message
    if error.context:
        # "is not valid under any of the given schemas" says little; name the likeliest cause:
        # the deepest sub-error, preferring one that is not about being a `$ref`.
        cause = max(error.context, key=lambda c: (len(c.absolute_path), "'$ref'" not in c.message))
        where = pointer(error.absolute_path) + pointer(cause.absolute_path)[len(pointer(error.absolute_path)) :]
        message += f" ({cause.message}" + (f" at {where}" if where != pointer(error.absolute_path) else "") + ")"
    return Diagnostic(ptr, message, line=document.line_of(ptr))


class _Locator:
    """The JSON pointer of a validation error within the whole document.

    openapi-spec-validator reports errors inside a Schema Object with paths relative to that
    schema; those are found again by the identity of the offending value (or of its container).
    """

    def __init__(self, document: Document) -> None:
        self._document = document
        self._index: dict[int, str | None] | None = None

    def __call__(self, error: ValidationError) -> str:
        ptr = pointer(error.absolute_path)
        if _exists(self._document.data, list(error.absolute_path)):
            return ptr
        index = self._build()
        found = index.get(id(error.instance))
        if found is not None:
            return found
        return ptr

    def _build(self) -> dict[int, str | None]:
        if self._index is None:
            index: dict[int, str | None] = {}
            stack: list[tuple[str, Any]] = [("", self._document.data)]
            while stack:
                ptr, node = stack.pop()
                # Two places holding the same object (small ints, shared strings) are ambiguous.
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
        elif isinstance(data, list) and isinstance(part, int) and 0 <= part < len(data):
            data = data[part]
        else:
            return False
    return True
