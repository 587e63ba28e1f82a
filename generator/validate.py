"""Stage 2, validate: is this an OpenAPI 3.0 or 3.1 document we can trust?

Contract: `validate(document, resolver)` returns the OpenAPI version ("3.0" or "3.1") or raises
`DiagnosticError` listing every problem: an unsupported version (Swagger 2.0 gets a one-line
answer), `$ref`s that lead nowhere, in a circle or out of bounds (another folder, the network),
and each error openapi-spec-validator reports against the official schema of that version, each
with its JSON pointer and line. With `lenient`, the validator's errors are returned as warnings
instead; the others still stop the run.

openapi-spec-validator is used with three repairs that keep its verdicts: it reads referenced files
only as the resolver allows, it survives schemas that reach themselves through `allOf`, and it
meets the properties of a value in the order of the document, where jsonschema takes them from a
set, whose order changes with the hash seed: of a Schema Object's errors it reports the first, and
that is now the same one on every run.
`spec_errors` gives its errors as it words them; `validate` says each in one short line (what was
expected, what was found), where the failing value is: for "not valid under any of the given
schemas", inside the alternative the document most likely meant. One mistake seen twice (by the
check of the document's structure and by the check of a Schema Object) is reported once.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import functools
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs
import referencing
import referencing.exceptions
import referencing.jsonschema
from jsonschema.exceptions import ValidationError
from jsonschema.validators import extend, validator_for
from jsonschema_path import SchemaPath
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.validation import keywords
from openapi_spec_validator.validation.exceptions import (
    DuplicateOperationIDError,
    ExtraParametersError,
    OpenAPIValidationError,
    UnresolvableParameterError,
)

from .diagnostics import Diagnostic, Level, pointer, pointer_parts
from .errors import DiagnosticError
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


def _cycle_safe(base: type[keywords.SchemaValidator], version: str) -> type[keywords.SchemaValidator]:
    """`base`, the validator's Schema Object checks, with the same verdicts but safe on cycles.

    openapi-spec-validator collects the properties an `allOf` brings in by following every
    subschema with no memory of where it has been, so a schema that reaches itself through
    `allOf` (legal, and common in recursive models) recurses until the stack runs out. Here each
    schema is visited once per collection, which yields the same set of names.

    Each Schema Object is checked against its meta-schema by jsonschema-rs first, as the document
    is (`_FastThenExact`); jsonschema runs only on those it does not pass, and of its errors the
    first is reported, as the validator does, but met in the order of the document
    (`_in_document_order`): which is first does not change from one run to the next.
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
                meta = _schema_meta_validator(version)
                if meta.is_valid_fast(schema_value):
                    return None
                errors = meta.iter_exact_errors(schema_value)
            else:
                errors = iter(_meta_checker(owner, self.schema_validator_format_checker).iter_errors(schema_value))
            error = next(errors, None)  # the first, as the validator reports it
            return None if error is None else OpenAPIValidationError.create_from(error)

        def _dialect(self, schema: Any, schema_value: Any) -> Any:
            """`_BASE` when openapi-spec-validator checks this Schema Object against the
            meta-schema of `_schema_meta_validator(version)` (always in 3.0; in 3.1, unless the
            schema or the document names another dialect: `$schema`, `jsonSchemaDialect`), else
            the jsonschema class of the dialect named, or None for one it does not know."""
            if version == "3.0":
                return _BASE
            try:
                dialect = self._get_schema_dialect_id(schema, schema_value)
                return _BASE if dialect == _OAS31_DIALECT else self._get_validator_class_for_dialect(dialect)
            except Exception:  # noqa: BLE001 - the validator words this problem itself
                return None

    CycleSafe.__name__ = CycleSafe.__qualname__ = base.__name__
    return CycleSafe


class _FastThenExact:
    """A JSON Schema validator that asks jsonschema-rs (compiled) whether an instance is valid,
    and only when it is not, or cannot say, runs the Python `jsonschema` validator openapi-spec-
    validator uses, for its errors. The verdicts and messages are jsonschema's; the time, on a
    valid document, is jsonschema-rs's (18 ms against 1.5 s for Stripe's document).

    jsonschema-rs checks formats at least as strictly as jsonschema does (the formats of the
    meta-schemas: `uri`, `uri-reference`, `regex`), and a schema it cannot compile (one that
    refers to a document not among `resources`) is left to jsonschema alone; `check_patterns` adds
    the one check where Python is the stricter: that each `pattern`, and each key of
    `patternProperties`, is a regular expression Python's `re` reads."""

    def __init__(
        self, schema: Any, exact: Any, *, check_patterns: bool = False, resources: Mapping[str, Any] | None = None
    ) -> None:
        self.schema = schema
        self._exact = exact
        self._check_patterns = check_patterns
        self._fast = _compiled(schema, resources or {})

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

    def iter_exact_errors(self, instance: Any) -> Iterator[ValidationError]:
        """jsonschema's errors, for an instance `is_valid_fast` has already turned down."""
        return iter(self._exact.iter_errors(instance))


def _compiled(schema: Any, resources: Mapping[str, Any]) -> Any:
    try:
        import jsonschema_rs
    except ImportError:
        return None
    try:
        if not resources:
            return jsonschema_rs.validator_for(_plain(schema))
        registry = jsonschema_rs.Registry([(uri, _plain(resource)) for uri, resource in resources.items()])
        return jsonschema_rs.validator_for(_plain(schema), registry=registry, validate_formats=True)
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
            patterns = [node.get("pattern")]
            if isinstance(node.get("patternProperties"), dict):
                patterns.extend(node["patternProperties"])
            for pattern in patterns:
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
    """The document against the official schema of its version, as openapi-spec-validator checks it
    (with the class of the schema's `$schema`), its errors met in the order of the document."""
    from openapi_spec_validator.schemas import schema_v30, schema_v31

    schema = schema_v30 if version == "3.0" else schema_v31
    return _FastThenExact(schema, _in_document_order(validator_for(schema))(schema))


# The JSON Schema dialect of a 3.1 document's Schema Objects, unless it names another.
_OAS31_DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base"
# The dialect of a Schema Object that `_schema_meta_validator` checks it against.
_BASE = object()


@functools.cache
def _schema_meta_validator(version: str) -> _FastThenExact:
    """Schema Objects against their meta-schema, as openapi-spec-validator checks them: in 3.0
    with `OAS30Validator.check_schema`; in 3.1 with the `check_schema` of the validator of the
    OAS 3.1 dialect, with its format checker (see `_meta_checker`). jsonschema-rs is given the
    OAS 3.1 dialect and vocabulary; it knows the JSON Schema 2020-12 meta-schemas they refer to."""
    from openapi_schema_validator._specifications import REGISTRY

    if version == "3.0":
        from openapi_schema_validator import OAS30Validator

        owner, format_checker = OAS30Validator, OAS30Validator.FORMAT_CHECKER
        resources = {}
    else:
        from openapi_schema_validator._format import oas31_format_checker

        owner, format_checker = validator_for({"$schema": _OAS31_DIALECT}), oas31_format_checker
        resources = {
            uri: REGISTRY.contents(uri) for uri in (_OAS31_DIALECT, "https://spec.openapis.org/oas/3.1/meta/base")
        }
    return _FastThenExact(
        owner.META_SCHEMA, _meta_checker(owner, format_checker), check_patterns=True, resources=resources
    )


def _meta_checker(owner: Any, format_checker: Any) -> Any:
    """What `owner.check_schema` checks a schema with, meeting its errors in the order of the
    document: the class of the meta-schema's `$schema`, reading the meta-schemas from openapi-
    schema-validator's registry for its own validator classes (jsonschema's own classes use their
    default one)."""
    from openapi_schema_validator._specifications import REGISTRY
    from openapi_schema_validator.validators import check_openapi_schema

    checker = _in_document_order(validator_for(owner.META_SCHEMA, default=owner))
    if getattr(owner.check_schema, "__func__", None) is check_openapi_schema:
        return checker(owner.META_SCHEMA, format_checker=format_checker, registry=REGISTRY)
    return checker(owner.META_SCHEMA, format_checker=format_checker)


@functools.cache
def _in_document_order(base: Any) -> Any:
    """`base`, a jsonschema validator class, meeting the properties `additionalProperties` applies
    to in the order the instance has them. jsonschema visits them in the order of a set of their
    names, which changes with the hash seed, so that which error of a Schema Object is met first
    (the one openapi-spec-validator reports) changed from run to run. The rest is `base`'s.

    jsonschema switches to the class of a schema's `$schema` when it enters one (as it does
    through each `$ref` between the meta-schemas); this class enters it in document order too."""
    meta = base.META_SCHEMA
    origin = base
    opaque = referencing.Specification.OPAQUE
    if referencing.jsonschema.specification_with(base.ID_OF(meta) or "", default=opaque) is opaque:
        # A dialect jsonschema does not know (OAS 3.1's), made on the class of its meta-schema:
        # that one tells where each `$id`, anchor and subschema is.
        origin = validator_for(meta, default=base)
    keywords = dict(base.VALIDATORS)
    if "additionalProperties" in keywords:
        keywords["additionalProperties"] = _additional_properties_in_order(keywords["additionalProperties"])
    ordered: Any = extend(  # type: ignore[no-untyped-call]
        origin, keywords, type_checker=base.TYPE_CHECKER, format_checker=base.FORMAT_CHECKER
    )
    ordered.META_SCHEMA = meta
    arguments = [(field.name, field.alias) for field in attrs.fields(ordered) if field.init]

    def evolve(self: Any, **changes: Any) -> Any:
        schema = changes.setdefault("schema", self.schema)
        entered = validator_for(schema, default=type(self))
        for name, alias in arguments:
            changes.setdefault(alias, getattr(self, name))
        return (entered if entered is type(self) else _in_document_order(entered))(**changes)

    ordered.evolve = evolve
    ordered.__name__ = ordered.__qualname__ = base.__name__
    return ordered


def _additional_properties_in_order(keyword: Any) -> Any:
    """The `additionalProperties` check `keyword`, entering the properties it applies to in the
    instance's order (as jsonschema finds them: not in `properties`, matching no pattern)."""

    def additional_properties(validator: Any, additional: Any, instance: Any, schema: Any) -> Iterator[ValidationError]:
        if not (validator.is_type(additional, "object") and validator.is_type(instance, "object")):
            yield from keyword(validator, additional, instance, schema)
            return
        known = schema.get("properties", {})
        patterns = "|".join(schema.get("patternProperties", {}))
        for name in instance:
            if name not in known and not (patterns and re.search(patterns, name)):
                yield from validator.descend(instance[name], additional, path=name)

    return additional_properties


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


# The checks that report errors of their own (the others only pass on those of the checks within).
_REPORTING = frozenset({"schema", "default", "operation", "parameters", "tags"})


def _values_in_order(base: type[keywords.ValueValidator]) -> type[keywords.ValueValidator]:
    """`base`, the validator's check of a default value against its schema, meeting the value's
    properties in the order of the document (see `_in_document_order`)."""
    return type(base.__name__, (base,), {"value_validator_cls": _in_document_order(base.value_validator_cls)})


def _with_safe_schemas(base: type[Any], version: str) -> type[Any]:
    schema_checks = _cycle_safe(base.keyword_validators["schema"], version)
    value_checks = _values_in_order(base.keyword_validators["default"])
    validators = {
        name: _anchored(check, "default" if name == "default" else None) if name in _REPORTING else check
        for name, check in {**base.keyword_validators, "schema": schema_checks, "default": value_checks}.items()
    }
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
    found = _diagnostics(document, errors) + failure
    # A `$ref` that leads nowhere (or in a circle) leaves nothing to generate from, so even
    # `lenient` does not pass over it; what the validator found is listed with it.
    if problems or (found and not lenient):
        raise DiagnosticError(problems + found)
    return version, [dataclasses.replace(p, level=Level.WARNING) for p in found]


def spec_errors(document: Document, resolver: Resolver, version: str | None = None) -> Iterator[ValidationError]:
    """The errors openapi-spec-validator (with the repairs of the module docstring) finds in
    `document`, as it words them: the verdict `validate` explains. Raises what the validator
    raises on a document it cannot follow."""
    validator = _validator(resolver, version or openapi_version(document))
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


def _diagnostics(document: Document, errors: Iterable[ValidationError]) -> list[Diagnostic]:
    """A diagnostic for each problem the validator's `errors` report, in one short line at the
    failing value; each once. One mistake can show as several errors; at one place:
    - the check of the document's structure comes first, and what the check of a Schema Object
      then finds there is the same mistake seen again;
    - a value that is not one of those allowed is also of the wrong type when the allowed values
      are of another: the first says more."""
    locate = _Locator(document)
    causes: dict[tuple[str, str], tuple[bool, Any]] = {}  # (pointer, reason) → (of a part, keyword)
    for error in errors:
        of_part = getattr(error, _ANCHOR, None) is not None
        for cause, key, reason in _explain(error):
            ptr, beyond = locate(error, cause, key)
            if beyond:
                reason += f" (at {beyond} in what the $ref there refers to)"
            causes.setdefault((ptr, reason), (of_part, cause.validator))
    structural = {ptr for (ptr, _), (of_part, _) in causes.items() if not of_part}
    kept = {
        (ptr, reason): keyword
        for (ptr, reason), (of_part, keyword) in causes.items()
        if not (of_part and ptr in structural)
    }
    chosen = {ptr for (ptr, _), keyword in kept.items() if keyword in ("enum", "const")}
    return [
        Diagnostic(ptr, reason, line=document.line_of(ptr), source=str(document.path))
        for (ptr, reason), keyword in kept.items()
        if not (keyword == "type" and ptr in chosen)
    ]


# --------------------------------------------------------------------------------------------
# What an error says: the likeliest cause, in a line.

_Cause = tuple[ValidationError, tuple[str | int, ...], str]  # the error, the key within it, the reason


def _explain(error: ValidationError) -> list[_Cause]:
    """The problems behind `error`: for a failed `oneOf`/`anyOf`, those of the alternative the
    document most likely meant (or, when every alternative is told apart by one value, that value
    against all the values they allow); otherwise the error itself, reworded."""
    if not error.context:
        return _reasons(error)
    branches: dict[Any, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0] if sub.relative_schema_path else None, []).append(sub)
    alternatives = list(branches.values())
    choice = _choice_among(alternatives)
    if choice is not None:
        return [choice]
    best = max(enumerate(alternatives), key=lambda pair: (_likelihood(pair[1]), -pair[0]))[1]
    # A value that is both of two forms for lack of what told them apart lacks it: that is said.
    told = [sub for sub in best if sub.context or sub.validator != "oneOf"] or best
    return [cause for sub in told for cause in _explain(sub)]


def _likelihood(alternative: list[ValidationError]) -> tuple[bool, bool, bool, int, int]:
    """How likely the document meant this alternative: not a Reference Object when it has no
    `$ref`, not a type it does not have, not one whose tag (as `type: http` tells security schemes
    apart) it does not carry, then the one it follows furthest with the fewest errors."""
    meant_reference = not any(_wants_reference(e) for e in alternative)
    right_type = not any(e.validator == "type" and not e.relative_path for e in alternative)
    right_tag = not any(e.validator in ("enum", "const") for e in alternative)
    return meant_reference, right_type, right_tag, max(_depth(e) for e in alternative), -len(alternative)


def _wants_reference(error: ValidationError) -> bool:
    instance = error.instance
    return (
        error.validator == "required"
        and error.message.startswith("'$ref'")
        and not (isinstance(instance, Mapping) and "$ref" in instance)
    )


def _depth(error: ValidationError) -> int:
    return max([len(error.absolute_path), *(_depth(sub) for sub in error.context or ())])


def _choice_among(alternatives: list[list[ValidationError]]) -> _Cause | None:
    """When the alternatives (a Reference Object aside) are told apart by one value, and each
    rejects the document's (as OAS 3.0's parameter locations and security scheme types are told
    apart by `in` and `type`), that value against all those allowed. When each asks for one
    property the object lacks (a parameter's `schema` or `content`), those properties."""
    meant = [a for a in alternatives if not any(_wants_reference(e) for e in a)]
    if len(meant) < 2:
        return None
    picks = [next((e for e in a if e.validator in ("enum", "const")), None) for a in meant]
    first = picks[0]
    if first is not None and all(p is not None and p.absolute_path == first.absolute_path for p in picks):
        allowed: list[Any] = []
        for pick in picks:
            assert pick is not None
            values: Any = pick.validator_value if pick.validator == "enum" else [pick.validator_value]
            allowed.extend(v for v in values if v not in allowed)
        return first, (), f"expected {_one_of(allowed)}; found {_show(first.instance)}"
    lacking = [_lacking(a[0]) if len(a) == 1 else None for a in meant]
    if all(lacking) and all(a[0].absolute_path == meant[0][0].absolute_path for a in meant):
        return meant[0][0], (), f"missing one of the properties {', '.join(n for n in lacking if n)}"
    return None


def _lacking(error: ValidationError) -> str | None:
    """The name (quoted) of the property a `required` error says is missing."""
    match = re.fullmatch(r"(.+) is a required property", error.message, re.DOTALL)
    return _clip(match.group(1)) if error.validator == "required" and match else None


_COUNTED = {
    "minLength": ("at least", "character"),
    "maxLength": ("at most", "character"),
    "minItems": ("at least", "item"),
    "maxItems": ("at most", "item"),
    "minProperties": ("at least", "entry"),
    "maxProperties": ("at most", "entry"),
}
_BOUNDS = {
    "minimum": "at least",
    "maximum": "at most",
    "exclusiveMinimum": "more than",
    "exclusiveMaximum": "less than",
}


def _reasons(error: ValidationError) -> list[_Cause]:
    """`error` (one with no alternatives inside) as what was expected and what was found."""
    keyword, expected, instance = error.validator, error.validator_value, error.instance
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    found = _show(instance)
    if keyword in ("additionalProperties", "unevaluatedProperties"):
        names = _unexpected(error, schema)
        if names:
            return [(error, (name,), f"unexpected property {_clip(repr(name))}{_hint(name, schema)}") for name in names]
    elif keyword == "required" and (name := _lacking(error)):
        return [(error, (), f"missing required property {name}")]
    elif keyword == "type":
        wanted = " or ".join(expected) if isinstance(expected, list) else str(expected)
        shown = "" if instance is None or isinstance(instance, (Mapping, list, tuple)) else f" {found}"
        return [(error, (), f"expected {wanted}; found {_json_type(instance)}{shown}")]
    elif keyword == "enum" and isinstance(expected, list):
        return [(error, (), f"expected {_one_of(expected)}; found {found}")]
    elif keyword == "const":
        return [(error, (), f"expected {_show(expected)}; found {found}")]
    elif keyword == "pattern":
        regex = _clip("'" + str(expected) + "'")  # as written in the document, not escaped again
        return [(error, (), f"expected text matching {regex}; found {found}")]
    elif keyword == "format":
        return [(error, (), f"expected a valid {expected}; found {found}")]
    elif keyword in _COUNTED and isinstance(instance, (str, list, Mapping)):
        bound, unit = _COUNTED[keyword]
        size = str(len(instance)) if instance else "an empty " + _json_type(instance)
        plural = "entries" if unit == "entry" else unit + "s"
        return [(error, (), f"expected {bound} {expected} {unit if expected == 1 else plural}; found {size}")]
    elif keyword in _BOUNDS:
        bound = _BOUNDS[keyword]
        if keyword in ("minimum", "maximum") and schema.get("exclusive" + keyword.title()) is True:
            bound = "more than" if keyword == "minimum" else "less than"  # OAS 3.0 (draft 4)
        return [(error, (), f"expected {bound} {_show(expected)}; found {found}")]
    elif keyword == "multipleOf":
        return [(error, (), f"expected a multiple of {_show(expected)}; found {found}")]
    elif keyword == "uniqueItems" and isinstance(instance, list):
        again = [(i, instance.index(v)) for i, v in enumerate(instance) if v in instance[:i]]
        if any(isinstance(instance[i], (Mapping, list)) for i, _ in again):
            repeats = "; ".join(f"item {i} repeats item {first}" for i, first in again)
            return [(error, (), f"expected unique items; {_clip(repeats)}")]
        twice = _clip(", ".join(_show(v) for v in _unique([instance[i] for i, _ in again])))
        return [(error, (), f"expected unique items; found {twice} more than once")]
    elif keyword in ("oneOf", "anyOf") and not error.context:
        return [(error, (), f"{found} matches more than one of the allowed forms")]
    elif keyword == "not" and isinstance(expected, Mapping) and list(expected) == ["required"]:
        given = ", ".join(repr(n) for n in expected["required"])
        return [(error, (), f"{_clip(given)} may not be given here")]
    elif keyword in ("dependentRequired", "dependencies"):
        match = re.fullmatch(r"(.+) is a dependency of (.+)", error.message, re.DOTALL)
        if match:
            return [(error, (), f"property {_clip(match.group(2))} requires property {_clip(match.group(1))}")]
    elif error.message.startswith("False schema does not allow"):
        return [(error, (), f"{found} is not allowed here")]
    return [(error, (), _own_message(error) or _plain_message(error))]


def _own_message(error: ValidationError) -> str | None:
    """The checks openapi-spec-validator adds to the schema's, said at the place they are about:
    which way a path parameter and the path's template disagree, which required name has no
    property, which operationId is used again."""
    message = error.message
    if isinstance(error, UnresolvableParameterError):
        match = re.fullmatch(r"Path parameter '(.*)' for '.*' operation in '(.*)' was not resolved", message, re.DOTALL)
        if match:
            name, template = match.groups()
            if "{" + name + "}" in template:
                return f"the path's {_clip('{' + name + '}')} has no parameter (in: path) of that name"
            return f"parameter {_clip(repr(name))} (in: path) is not in the path {_clip(repr(template))}"
    elif isinstance(error, ExtraParametersError):
        match = re.fullmatch(r"Required list has not defined properties: (\[.*\])", message, re.DOTALL)
        names = ast.literal_eval(match.group(1)) if match else None
        if isinstance(names, list) and names:
            listed = _clip(", ".join(repr(n) for n in sorted(names, key=str)))
            return f"required {listed} {'is' if len(names) == 1 else 'are'} not among the properties"
    elif isinstance(error, DuplicateOperationIDError):
        match = re.fullmatch(r"Operation ID '(.*)' for '.*' in '.*' is not unique", message, re.DOTALL)
        if match:
            return f"operationId {_clip(repr(match.group(1)))} is used by another operation too"
    return None


def _unexpected(error: ValidationError, schema: Mapping[str, Any]) -> list[str]:
    """The property names `additionalProperties`/`unevaluatedProperties` rejected."""
    instance = error.instance
    if not isinstance(instance, Mapping):
        return []
    if error.validator == "additionalProperties":
        known = schema.get("properties") or {}
        patterns = list(schema.get("patternProperties") or ())
        return [k for k in instance if k not in known and not any(_matches(p, str(k)) for p in patterns)]
    match = re.search(r"\((.*) (?:was|were) unexpected\)$", error.message, re.DOTALL)
    try:
        names = ast.literal_eval(f"({match.group(1)},)") if match else ()
    except (ValueError, SyntaxError):
        return []
    return [n for n in names if isinstance(n, str) and n in instance]


def _matches(pattern: str, name: str) -> bool:
    try:
        return re.search(pattern, name) is not None
    except re.error:
        return False


# How the name patterns of the official schemas read, as in "names must start with '/'".
_PATTERNS = {
    "^x-": "start with 'x-'",
    "^\\/": "start with '/'",
    "^/": "start with '/'",
    "^[a-zA-Z0-9\\.\\-_]+$": "use only letters, digits, '.', '-' and '_'",
    "^[1-5](?:\\d{2}|XX)$": "be a status code such as 200 or 4XX",
    "^[1-5](?:[0-9]{2}|XX)$": "be a status code such as 200 or 4XX",
}


def _hint(name: str, schema: Mapping[str, Any]) -> str:
    """What an unexpected property name may have meant, or what names may be added."""
    patterns = [p for p in (schema.get("patternProperties") or {}) if isinstance(p, str)]
    known = [k for k in (schema.get("properties") or {}) if isinstance(k, str)]
    for pattern in patterns:  # names spelled out in a pattern, as HTTP methods are: ^(get|put|…)$
        if match := re.fullmatch(r"\^\(([\w|]+)\)\$", pattern):
            known.extend(match.group(1).split("|"))
    close = difflib.get_close_matches(name, known, n=1, cutoff=0.75)
    if close:
        return f" (did you mean {_clip(repr(close[0]))}?)"
    if patterns == ["^x-"]:
        return " (an extension's name must start with 'x-')"
    rules = [_PATTERNS.get(p, f"match {p}") for p in patterns if not re.fullmatch(r"\^\(([\w|]+)\)\$", p)]
    starts = [r.removeprefix("start with ") for r in rules if r.startswith("start with ")]
    rules = [r for r in rules if not r.startswith("start with ")] + (
        [f"start with {' or '.join(starts)}"] if starts else []
    )
    return f" (names must {_clip(' or '.join(rules))})" if rules else ""


_SHOWN = 60  # the longest value a message quotes


def _show(value: Any) -> str:
    """`value` as a message quotes it: JSON's words, no long text, no whole objects."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return "an empty object" if not value else "an object"
    if isinstance(value, (list, tuple)):
        return "an empty array" if not value else "an array"
    return _clip(repr(value))


def _clip(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= _SHOWN else text[: _SHOWN - 1] + "…"


def _one_of(values: list[Any]) -> str:
    if len(values) == 1:
        return _show(values[0])
    shown: list[str] = []
    for value in values:
        if sum(len(s) + 2 for s in shown) > 2 * _SHOWN:
            shown.append("…")
            break
        shown.append(_show(value))
    return "one of " + ", ".join(shown)


def _json_type(value: Any) -> str:
    names = {bool: "boolean", int: "integer", float: "number", str: "string", type(None): "null"}
    if isinstance(value, Mapping):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    return names.get(type(value), type(value).__name__)


def _unique(values: list[Any]) -> list[Any]:
    kept: list[Any] = []
    kept.extend(v for v in values if v not in kept)
    return kept


def _plain_message(error: ValidationError) -> str:
    """The validator's own message, on one line, with any long value it quotes cut short."""
    message = error.message
    for value in (error.instance, error.validator_value):
        if isinstance(value, (Mapping, list, str)) and len(text := repr(value)) > _SHOWN:
            message = message.replace(text, _show(value))
    message = " ".join(message.split())
    return message if len(message) <= 200 else message[:199] + "…"


# --------------------------------------------------------------------------------------------
# Where an error is.


# The field an error of a part is about, where the validator does not say.
_FIELDS: dict[type[ValidationError], str] = {DuplicateOperationIDError: "operationId", ExtraParametersError: "required"}


class _Locator:
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
