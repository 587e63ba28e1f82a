"""Strict validation asks jsonschema-rs first and jsonschema only when something is wrong: the
verdicts must stay those of openapi-spec-validator run on jsonschema alone, also where the two
engines disagree (Python's `re` reads fewer patterns than ECMA-262)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import OpenAPIV30SpecValidator, OpenAPIV31SpecValidator
from openapi_spec_validator.schemas import schema_v30, schema_v31
from openapi_spec_validator.schemas.backend.jsonschema import create_validator

from generator.errors import DiagnosticError
from generator.load import load
from generator.resolve import Resolver
from generator.jsonschema_checks import schema_meta_validator
from generator.validate import spec_errors, validate


def _stock(data: dict[str, Any]) -> list[str]:
    """openapi-spec-validator's messages, with jsonschema (Python) checking the document."""
    if str(data["openapi"]).startswith("3.1"):
        cls: Any = type("Stock31", (OpenAPIV31SpecValidator,), {"schema_validator": create_validator(schema_v31)})
    else:
        cls = type("Stock30", (OpenAPIV30SpecValidator,), {"schema_validator": create_validator(schema_v30)})
    return sorted({e.message for e in cls(data).iter_errors()})


def _ours(path: Path) -> list[str]:
    """The validator's messages as this generator runs it (before `validate` rewords them)."""
    document = load(path)
    return sorted({e.message for e in spec_errors(document, Resolver(document))})


def _rejected(path: Path) -> bool:
    document = load(path)
    try:
        validate(document, Resolver(document))
    except DiagnosticError:
        return True
    return False


def _document(version: str, schema: dict[str, Any], **extra: Any) -> dict[str, Any]:
    return {
        "openapi": version,
        "info": {"title": "T", "version": "1"},
        "paths": {},
        "components": {"schemas": {"Thing": schema}},
        **extra,
    }


CASES = {
    # ECMA-262 reads these; Python's `re` does not, so openapi-spec-validator calls them invalid.
    "js-named-group": _document("3.0.3", {"type": "string", "pattern": "(?<word>a+)"}),
    "unicode-property": _document("3.0.3", {"type": "string", "pattern": "^\\p{L}+$"}),
    "valid-pattern": _document("3.0.3", {"type": "string", "pattern": "^[a-z]{2,}$"}),
    "wrong-type": _document("3.0.3", {"type": "string", "maxLength": "ten"}),
    "unknown-format": _document("3.0.3", {"type": "string", "format": "no-such-format"}),
    "3.1-valid": _document("3.1.0", {"type": ["string", "null"], "pattern": "^a"}),
    "3.1-wrong": _document("3.1.0", {"type": "strin"}),
    "bad-info": {**_document("3.0.3", {"type": "object"}), "info": {"title": 3}},
    # 3.1 Schema Objects are checked against the OAS 3.1 dialect by jsonschema-rs first, too.
    "3.1-js-named-group": _document("3.1.0", {"type": "string", "pattern": "(?<word>a+)"}),
    "3.1-js-pattern-property": _document("3.1.0", {"type": "object", "patternProperties": {"^\\p{L}+$": {}}}),
    "3.1-nested-discriminator": _document(
        "3.1.0", {"type": "object", "properties": {"a": {"oneOf": [{"discriminator": {"mapping": {}}}]}}}
    ),
    "3.1-xml-namespace": _document("3.1.0", {"type": "object", "xml": {"namespace": "not a uri"}}),
    "3.1-external-docs-extra": _document("3.1.0", {"type": "object", "externalDocs": {"url": "x", "y": 1}}),
    "3.1-boolean-exclusive-minimum": _document("3.1.0", {"type": "number", "exclusiveMinimum": True}),
    "3.1-recursive-anchor": _document("3.1.0", {"type": "object", "$recursiveAnchor": True}),
    "3.1-required-twice": _document("3.1.0", {"type": "object", "required": ["a", "a"]}),
    # Valid in the OAS 3.1 dialect (an unknown keyword), not in JSON Schema 2019-09.
    "3.1-other-dialect": _document(
        "3.1.0", {"$schema": "https://json-schema.org/draft/2019-09/schema", "additionalItems": 3}
    ),
    "3.1-document-dialect": _document(
        "3.1.0", {"additionalItems": 3}, jsonSchemaDialect="https://json-schema.org/draft/2019-09/schema"
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_verdicts_are_openapi_spec_validators(tmp_path: Path, name: str) -> None:
    data = CASES[name]
    path = tmp_path / "api.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    stock = _stock(load(path).data)
    assert _ours(path) == stock
    assert _rejected(path) == bool(stock)


@pytest.mark.parametrize("version", ["3.0", "3.1"])
def test_schema_objects_are_checked_by_jsonschema_rs(version: str) -> None:
    """The fast check of Schema Objects compiles for both versions (else every Schema Object of a
    document would go to jsonschema, as slowly as without it)."""
    meta = schema_meta_validator(version)
    assert meta.is_valid_fast({"type": "object", "properties": {"a": {"type": "string"}}})
    assert not meta.is_valid_fast({"type": "object", "properties": {"a": {"type": "strin"}}})


def test_the_document_walk_steps_to_a_child_as_pathable_does() -> None:
    """`spec_validator._subnode` stands in for pathable's step (without its slow protocol check):
    the same child, or the same `KeyError`, for every kind of node and key."""
    from pathable.accessors import SubscriptableAccessor

    from generator.spec_validator import _subnode

    class Mapping(dict[str, int]):
        pass

    nodes: list[Any] = [{"a": 1}, [10, 20], Mapping(a=1), "text", 3, None, (1, 2)]
    keys: list[Any] = ["a", "b", 0, 1, 5, -1, "0", None]
    for node in nodes:
        for key in keys:
            outcomes = []
            for step in (SubscriptableAccessor._get_subnode, _subnode):
                try:
                    outcomes.append(("value", step(node, key)))
                except KeyError as exc:
                    outcomes.append(("KeyError", exc.args))
            assert outcomes[0] == outcomes[1], (node, key)
    # And the validator walks with it (pathable and jsonschema-path as installed step this way).
    from jsonschema_path.nodes import SchemaNode

    from generator.spec_validator import _safe_validator

    _safe_validator("3.1")
    assert SchemaNode._get_subnode is _subnode
    from jsonschema_path import resolvers

    assert resolvers.LookupNode is object  # named there in casts alone
