"""Stage 2, validate: is this an OpenAPI 3.0 or 3.1 document we can trust?

Contract: `validate(document, resolver)` returns the OpenAPI version ("3.0" or "3.1") or raises
`DiagnosticError` listing every problem: an unsupported version (Swagger 2.0 gets a one-line
answer), `$ref`s that lead nowhere, in a circle or out of bounds (another folder, the network),
and each error openapi-spec-validator reports against the official schema of that version, each
with its JSON pointer and line. With `lenient`, the validator's errors are returned as warnings
instead; the others still stop the run.

openapi-spec-validator runs with repairs that keep its verdicts (`spec_validator`; its JSON Schema
checks ask jsonschema-rs first and meet properties in the order of the document, so that the same
errors are reported on every run: `jsonschema_checks`). `spec_errors` gives its errors as it words
them; `validate` says each in one short line (what was expected, what was found) where the
failing value is (`explain`).
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterator

from . import validator_settings

validator_settings.install()  # before openapi-spec-validator is imported: its settings without pydantic

import referencing.exceptions
from jsonschema.exceptions import ValidationError

from .diagnostics import Diagnostic, Level, pointer
from .errors import DiagnosticError
from .explain import diagnostics_of
from .load import Document
from .resolve import Resolver, check_refs
from .spec_validator import validator_class


def validate(document: Document, resolver: Resolver, *, lenient: bool = False) -> tuple[str, list[Diagnostic]]:
    """Check `document`; see the module docstring. Returns the version and, with `lenient`, the
    problems as warnings instead of raising them (an unsupported version still raises)."""
    version = openapi_version(document)
    broken, cycles = check_refs(document, resolver)
    templates = check_path_templates(document)
    problems = broken + cycles + templates
    errors: list[ValidationError] = []
    failure: list[Diagnostic] = []
    try:
        # The validator would follow a cycle of `$ref`s forever, and chokes on a path template
        # with a stray brace; those are reported already.
        for error in spec_errors(document, resolver, version) if not (cycles or templates) else ():
            errors.append(error)
    except RecursionError:
        failure.append(
            Diagnostic("", "the document nests or refers to itself too deeply to validate", source=str(document.path))
        )
    except referencing.exceptions.Unresolvable:
        # The validator stops at the first dangling $ref; `check_refs` has listed them all, and
        # the errors the validator found before it stopped are kept.
        pass
    except Exception as exc:  # noqa: BLE001 - the validator trips over some malformed documents
        if not errors and not problems:
            failure.append(
                Diagnostic(
                    "",
                    f"openapi-spec-validator could not check this document ({type(exc).__name__}: {exc})",
                    source=str(document.path),
                )
            )
    found = diagnostics_of(document, errors) + failure
    # A `$ref` that leads nowhere (or in a circle) leaves nothing to generate from, so even
    # `lenient` does not pass over it; what the validator found is listed with it.
    if problems or (found and not lenient):
        raise DiagnosticError(problems + found)
    return version, [dataclasses.replace(p, level=Level.WARNING) for p in found]


def spec_errors(document: Document, resolver: Resolver, version: str | None = None) -> Iterator[ValidationError]:
    """The errors openapi-spec-validator (with the repairs of `spec_validator`) finds in
    `document`, as it words them: the verdict `validate` explains. Raises what the validator
    raises on a document it cannot follow."""
    validator = validator_class(resolver, version or openapi_version(document))
    return iter(validator(document.data, base_uri=resolver.base_uri).iter_errors())


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
            problems.append(Diagnostic(ptr, message, line=document.line_of(ptr), source=str(document.path)))
    return problems


def openapi_version(document: Document) -> str:
    """ "3.0" or "3.1", from the `openapi` field; anything else is a diagnostic."""
    data = document.data
    if "swagger" in data:
        message = f"Swagger {data['swagger']} documents are not supported; convert it to OpenAPI 3"
        raise DiagnosticError(
            [Diagnostic("/swagger", message, line=document.line_of("/swagger"), source=str(document.path))]
        )
    declared = data.get("openapi")
    if not isinstance(declared, str):
        raise DiagnosticError(
            [
                Diagnostic(
                    "/openapi", "missing `openapi` version field (expected 3.0.x or 3.1.x)", source=str(document.path)
                )
            ]
        )
    match = re.fullmatch(r"(3\.[01])\.\d+(-.+)?", declared)
    if match is None:
        line = document.line_of("/openapi")
        raise DiagnosticError(
            [
                Diagnostic(
                    "/openapi",
                    f"OpenAPI {declared} is not supported (expected 3.0.x or 3.1.x)",
                    line=line,
                    source=str(document.path),
                )
            ]
        )
    return match.group(1)
