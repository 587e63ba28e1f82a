"""Stage 2, validate: is this an OpenAPI 3.0 or 3.1 document we can trust?

Contract: `validate(document, resolver)` returns the OpenAPI version ("3.0" or "3.1") or raises
`DiagnosticError` listing every problem (with `lenient`, it returns them as warnings instead): an unsupported version (Swagger 2.0 gets a one-line
answer), `$ref`s that lead nowhere, and each error openapi-spec-validator reports against the
official schema of that version, each with its JSON pointer and line.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Any

import referencing.exceptions
from jsonschema.exceptions import ValidationError
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

from .diagnostics import Diagnostic, DiagnosticError, Level, pointer
from .load import Document, load_uri
from .resolve import Resolver, check_refs


def _validator(version: str, allow_remote: bool) -> type[OpenAPIV30SpecValidator | OpenAPIV31SpecValidator]:
    """openapi-spec-validator's validator for `version`, reading referenced documents only the
    way the resolver does: local files, and remote ones only when the user opted in. (Left to
    itself, jsonschema-path would fetch any URL, falling back to urllib for unknown schemes.)"""
    read = functools.partial(load_uri, allow_remote=allow_remote)
    handlers = {scheme: read for scheme in ("file", "http", "https", "ftp", "data")}
    base = _VALIDATORS[version]
    return type(base.__name__, (base,), {"resolver_handlers": handlers})


_VALIDATORS: dict[str, type[OpenAPIV30SpecValidator | OpenAPIV31SpecValidator]] = {
    "3.0": OpenAPIV30SpecValidator,
    "3.1": OpenAPIV31SpecValidator,
}


def validate(document: Document, resolver: Resolver, *, lenient: bool = False) -> tuple[str, list[Diagnostic]]:
    """Check `document`; see the module docstring. Returns the version and, with `lenient`, the
    problems as warnings instead of raising them (an unsupported version still raises)."""
    version = openapi_version(document)
    problems = check_refs(document, resolver)
    validator = _validator(version, resolver.allow_remote)(document.data, base_uri=resolver.base_uri)
    locate = _Locator(document)
    found: list[Diagnostic] = []
    try:
        for error in validator.iter_errors():
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
    problems.extend(found)
    if problems and not lenient:
        raise DiagnosticError(problems)
    return version, [dataclasses.replace(p, level=Level.WARNING) for p in problems]


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
