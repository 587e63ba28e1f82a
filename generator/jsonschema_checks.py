"""The JSON Schema checks of strict validation: jsonschema-rs first, jsonschema for the errors.

openapi-spec-validator checks the document against the official schema of its version, each
Schema Object against the meta-schema of its dialect, and each default value against its schema,
all with the Python `jsonschema`. The first two ask jsonschema-rs (compiled) first here, and run
jsonschema only on what it does not pass (`FastThenExact`): the verdicts and messages stay
jsonschema's, and a valid document costs jsonschema-rs's time.

Where jsonschema runs, it meets the properties of an object in the order of the document
(`in_document_order`): its own `additionalProperties` takes them from a set, whose order changes
with the hash seed, and openapi-spec-validator reports only the first error of a Schema Object.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Mapping
from typing import Any

import attrs
import referencing
import referencing.jsonschema
from jsonschema.exceptions import ValidationError
from jsonschema.validators import extend, validator_for


class FastThenExact:
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
def document_validator(version: str) -> FastThenExact:
    """The document against the official schema of its version, as openapi-spec-validator checks it
    (with the class of the schema's `$schema`), its errors met in the order of the document."""
    from openapi_spec_validator.schemas import schema_v30, schema_v31

    schema = schema_v30 if version == "3.0" else schema_v31
    return FastThenExact(schema, in_document_order(validator_for(schema))(schema))


# The JSON Schema dialect of a 3.1 document's Schema Objects, unless it names another.
OAS31_DIALECT = "https://spec.openapis.org/oas/3.1/dialect/base"


@functools.cache
def schema_meta_validator(version: str) -> FastThenExact:
    """Schema Objects against their meta-schema, as openapi-spec-validator checks them: in 3.0
    with `OAS30Validator.check_schema`; in 3.1 with the `check_schema` of the validator of the
    OAS 3.1 dialect, with its format checker (see `meta_checker`). jsonschema-rs is given the
    OAS 3.1 dialect and vocabulary; it knows the JSON Schema 2020-12 meta-schemas they refer to."""
    from openapi_schema_validator._specifications import REGISTRY

    if version == "3.0":
        from openapi_schema_validator import OAS30Validator

        owner, format_checker = OAS30Validator, OAS30Validator.FORMAT_CHECKER
        resources = {}
    else:
        from openapi_schema_validator._format import oas31_format_checker

        owner, format_checker = validator_for({"$schema": OAS31_DIALECT}), oas31_format_checker
        resources = {
            uri: REGISTRY.contents(uri) for uri in (OAS31_DIALECT, "https://spec.openapis.org/oas/3.1/meta/base")
        }
    return FastThenExact(
        owner.META_SCHEMA, meta_checker(owner, format_checker), check_patterns=True, resources=resources
    )


def meta_checker(owner: Any, format_checker: Any) -> Any:
    """What `owner.check_schema` checks a schema with, meeting its errors in the order of the
    document: the class of the meta-schema's `$schema`, reading the meta-schemas from openapi-
    schema-validator's registry for its own validator classes (jsonschema's own classes use their
    default one)."""
    from openapi_schema_validator._specifications import REGISTRY
    from openapi_schema_validator.validators import check_openapi_schema

    checker = in_document_order(validator_for(owner.META_SCHEMA, default=owner))
    if getattr(owner.check_schema, "__func__", None) is check_openapi_schema:
        return checker(owner.META_SCHEMA, format_checker=format_checker, registry=REGISTRY)
    return checker(owner.META_SCHEMA, format_checker=format_checker)


@functools.cache
def in_document_order(base: Any) -> Any:
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
        return (entered if entered is type(self) else in_document_order(entered))(**changes)

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
