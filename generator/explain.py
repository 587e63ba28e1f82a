"""What a validation error says, in one short line at the failing value.

openapi-spec-validator words its errors for readers of JSON Schema ("... is not valid under any of
the given schemas", whole schemas quoted). `diagnostics_of` says each as what was expected and what
was found, at the JSON pointer of the failing value (`spec_validator.Locator`): for a failed
`oneOf`/`anyOf`, inside the alternative the document most likely meant, or, when the alternatives
are told apart by one value, that value against all those they allow. One mistake seen twice (by
the check of the document's structure and by the check of a Schema Object) is reported once.
"""

from __future__ import annotations

import ast
import difflib
import re
from collections.abc import Iterable, Mapping
from typing import Any

from jsonschema.exceptions import ValidationError
from openapi_spec_validator.validation.exceptions import (
    DuplicateOperationIDError,
    ExtraParametersError,
    UnresolvableParameterError,
)

from .diagnostics import Diagnostic
from .load import Document
from .spec_validator import Locator, in_part


def diagnostics_of(document: Document, errors: Iterable[ValidationError]) -> list[Diagnostic]:
    """A diagnostic for each problem the validator's `errors` report, in one short line at the
    failing value; each once. One mistake can show as several errors; at one place:
    - the check of the document's structure comes first, and what the check of a Schema Object
      then finds there is the same mistake seen again;
    - a value that is not one of those allowed is also of the wrong type when the allowed values
      are of another: the first says more."""
    locate = Locator(document)
    causes: dict[tuple[str, str], tuple[bool, Any]] = {}  # (pointer, reason) → (of a part, keyword)
    for error in errors:
        of_part = in_part(error)
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
