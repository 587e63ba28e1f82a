"""Stage 2, validate: is this an OpenAPI 3.0 or 3.1 document we can trust?

Contract: `validate(document, resolver)` returns the OpenAPI version ("3.0" or "3.1") or raises
`DiagnosticError` listing every problem: an unsupported version (Swagger 2.0 gets a one-line
answer), `$ref`s that lead nowhere, and each error openapi-spec-validator reports against the
official schema of that version, each with its JSON pointer and line.
"""

from __future__ import annotations

import re

import referencing.exceptions
from jsonschema.exceptions import ValidationError, best_match
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator

from .diagnostics import Diagnostic, DiagnosticError, pointer
from .load import Document
from .resolve import Resolver, check_refs

_VALIDATORS = {"3.0": OpenAPIV30SpecValidator, "3.1": OpenAPIV31SpecValidator}


def validate(document: Document, resolver: Resolver) -> str:
    """Check `document`; see the module docstring."""
    version = openapi_version(document)
    problems = check_refs(document, resolver)
    if problems:
        # openapi-spec-validator stops at the first dangling $ref; report them all instead.
        raise DiagnosticError(problems)
    validator = _VALIDATORS[version](document.data, base_uri=resolver.base_uri)
    try:
        problems = [_diagnostic(document, error) for error in validator.iter_errors()]
    except RecursionError:
        problems = [Diagnostic("", "the document nests or refers to itself too deeply to validate")]
    except referencing.exceptions.Unresolvable as exc:
        problems = [Diagnostic("", f"unresolvable reference {exc}")]
    if problems:
        raise DiagnosticError(problems)
    return version


def openapi_version(document: Document) -> str:
    """"3.0" or "3.1", from the `openapi` field; anything else is a diagnostic."""
    data = document.data
    if "swagger" in data:
        raise DiagnosticError(
            [Diagnostic("/swagger", f"Swagger {data['swagger']} documents are not supported; convert it to OpenAPI 3")]
        )
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


def _diagnostic(document: Document, error: ValidationError) -> Diagnostic:
    ptr = pointer(error.absolute_path)
    message = error.message
    if error.context:
        # "is not valid under any of the given schemas" says little; name the likeliest cause.
        cause = best_match(error.context)
        where = pointer(cause.absolute_path)
        message += f" ({cause.message}" + (f" at {where}" if where and where != ptr else "") + ")"
    return Diagnostic(ptr, message, line=document.line_of(ptr))
