"""Checking a request against the document's constraints before any byte is sent.

Each model carries its `Rule` (`Model._RULE`, made when first used), and the request functions check their arguments
with `check_request`. Rules mirror JSON Schema's validation keywords; a `Rule` for an object
model refers to that model's rule lazily, so recursive schemas need no special care. Values are
checked as they will be sent: enum members by value, models as their JSON. An enum argument or
field may be given as a member or as its plain value; either way, a value the document does not
list (a plain value, or the member an open enum made for an unknown one) is refused here. An
array argument, annotated `SequenceNotStr`, takes any sequence but a string (`Rule.array`). A
union's value must meet one of its members' rules (`Rule.any_of`), but an instance of a member's
model is that member, checked by its rule alone. Every violation is reported, each with its path
(`tags['tier']: longer than 256 characters`).
"""

from __future__ import annotations

import datetime
import enum
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ._exceptions import RequestValidationError
from ._types import NotGiven, is_array


@dataclass(frozen=True, slots=True, eq=False)
class Rule:
    """The constraints on one value (JSON Schema validation keywords, by their Python names).
    `array`: the value must be an array, a sequence that is not a string (see `is_array`)."""

    array: bool = False
    max_length: int | None = None
    min_length: int | None = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None
    exclusive_minimum: float | None = None
    exclusive_maximum: float | None = None
    multiple_of: float | None = None
    max_items: int | None = None
    min_items: int | None = None
    unique_items: bool = False
    max_properties: int | None = None
    min_properties: int | None = None
    enum: tuple[Any, ...] | None = None
    required: tuple[str, ...] = ()
    properties: Mapping[str, Rule] = field(default_factory=dict)
    items: Rule | None = None
    values: Rule | None = None  # of each property not in `properties` (additionalProperties)
    keys: Rule | None = None  # of each property name (propertyNames)
    model: Callable[[], Rule] | None = None  # the rule of an object model, looked up when used
    any_of: tuple[Rule, ...] = ()  # of a union's members (oneOf, anyOf): one must hold
    exactly_one: bool = False  # and only one (a oneOf of the names that must be there)
    not_together: tuple[str, ...] = ()  # names that may not all be there (`not: {required}`)
    _regex: re.Pattern[str] | None = field(default=None, init=False, repr=False)

    def __post_init__(self) -> None:
        if self.pattern is not None:
            object.__setattr__(self, "_regex", re.compile(self.pattern))


class ModelRule:
    """A model's `_RULE`, made the first time it is read and then kept on its class: a model
    class costs next to nothing to create, and a rule (with its patterns compiled) is only made
    for a model that a request sends."""

    __slots__ = ("_make", "_made")

    def __init__(self, make: Callable[[], Rule]) -> None:
        self._make = make
        self._made: list[Rule] = []

    def __get__(self, instance: object, owner: type) -> Rule:
        if not self._made:
            rule = self._make()
            self._made.append(rule)  # the first made is kept, should two threads race here
            setattr(owner, "_RULE", self._made[0])
        return self._made[0]


def check_request(*arguments: tuple[str, Any, Rule]) -> None:
    """Check each `(name, value, rule)`; raise `RequestValidationError` listing every violation."""
    problems: list[str] = []
    for name, value, rule in arguments:
        _check(value, rule, name, problems)
    if problems:
        raise RequestValidationError(problems)


def _check(value: Any, rule: Rule, path: str, problems: list[str]) -> None:
    if isinstance(value, NotGiven) or value is None:
        return

    def fail(message: str) -> None:
        problems.append(f"{path}: {message}" if path else message)

    if rule.model is not None:
        _check(value, rule.model(), path, problems)
    if rule.any_of:
        _check_any_of(value, rule.any_of, path, problems, fail, rule.exactly_one)
    if hasattr(value, "to_dict"):
        value = value.to_dict()
    elif isinstance(value, enum.Enum):
        value = value.value

    if rule.enum is not None and not _listed(value, rule.enum):
        fail(f"not one of {', '.join(repr(v) for v in rule.enum)}")
    if rule.array and not is_array(value):
        fail(f"expected an array, found {type(value).__name__}")
    if isinstance(value, str):
        _check_string(value, rule, fail)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        _check_number(value, rule, fail)
    elif is_array(value):
        _check_array(value, rule, path, problems, fail)
    elif isinstance(value, Mapping):
        _check_object(value, rule, path, problems, fail)
    elif isinstance(value, (datetime.date, datetime.datetime)):
        pass  # formatted by the client, not by the caller


def _check_any_of(
    value: Any,
    alternatives: tuple[Rule, ...],
    path: str,
    problems: list[str],
    fail: Callable[[str], None],
    exactly_one: bool = False,
) -> None:
    own = getattr(type(value), "_RULE", None)
    for alternative in alternatives if own is not None else ():
        if alternative.model is not None and alternative.model() is own:
            # An instance of a member's model is that member, and meets its rule or fails it.
            _check(value, alternative, path, problems)
            return
    attempts: list[str] = []
    held = 0
    for alternative in alternatives:
        attempt: list[str] = []
        _check(value, alternative, "", attempt)
        if not attempt and not exactly_one:
            return
        held += not attempt
        attempts.append("; ".join(attempt))
    if held > 1:
        fail(f"matches {held} of its alternatives, of which exactly one may hold")
    elif not held:
        fail(f"matches none of its alternatives ({'; or '.join(attempts)})")


def _listed(value: Any, listed: tuple[Any, ...]) -> bool:
    """Whether `value` is one of `listed`, as JSON compares them: `true` is not `1`."""
    return any(value == v and isinstance(value, bool) == isinstance(v, bool) for v in listed)


def _check_string(value: str, rule: Rule, fail: Callable[[str], None]) -> None:
    if rule.max_length is not None and len(value) > rule.max_length:
        fail(f"longer than {rule.max_length} characters")
    if rule.min_length is not None and len(value) < rule.min_length:
        fail(f"shorter than {rule.min_length} characters")
    if rule._regex is not None and rule._regex.search(value) is None:
        fail(f"does not match the pattern {rule.pattern!r}")


def _check_number(value: float, rule: Rule, fail: Callable[[str], None]) -> None:
    if rule.minimum is not None and value < rule.minimum:
        fail(f"less than {rule.minimum:g}")
    if rule.maximum is not None and value > rule.maximum:
        fail(f"greater than {rule.maximum:g}")
    if rule.exclusive_minimum is not None and value <= rule.exclusive_minimum:
        fail(f"not greater than {rule.exclusive_minimum:g}")
    if rule.exclusive_maximum is not None and value >= rule.exclusive_maximum:
        fail(f"not less than {rule.exclusive_maximum:g}")
    if rule.multiple_of and (value / rule.multiple_of) % 1:
        fail(f"not a multiple of {rule.multiple_of:g}")


def _check_array(
    value: Sequence[Any],
    rule: Rule,
    path: str,
    problems: list[str],
    fail: Callable[[str], None],
) -> None:
    if rule.max_items is not None and len(value) > rule.max_items:
        fail(f"more than {rule.max_items} items")
    if rule.min_items is not None and len(value) < rule.min_items:
        fail(f"fewer than {rule.min_items} items")
    if rule.unique_items and len({repr(v) for v in value}) < len(value):
        fail("items are not unique")
    if rule.items is not None:
        for index, item in enumerate(value):
            _check(item, rule.items, f"{path}[{index}]", problems)


def _check_object(
    value: Mapping[str, Any],
    rule: Rule,
    path: str,
    problems: list[str],
    fail: Callable[[str], None],
) -> None:
    if rule.max_properties is not None and len(value) > rule.max_properties:
        fail(f"more than {rule.max_properties} entries")
    if rule.min_properties is not None and len(value) < rule.min_properties:
        fail(f"fewer than {rule.min_properties} entries")
    problems.extend(f"{_join(path, name)}: required" for name in rule.required if name not in value)
    if rule.not_together and all(name in value for name in rule.not_together):
        fail(f"{', '.join(rule.not_together)}: not all of them may be given")
    for name, item in value.items():
        if rule.keys is not None:
            key_problems: list[str] = []
            _check(name, rule.keys, "", key_problems)
            shown = name if len(name) <= 40 else name[:37] + "..."
            problems.extend(
                f"{path + ': ' if path else ''}key {shown!r}: {p}" for p in key_problems
            )
        declared = rule.properties.get(name)
        if declared is not None:
            _check(item, declared, _join(path, name), problems)
        elif rule.values is not None:
            _check(item, rule.values, f"{path}[{name!r}]", problems)


def _join(path: str, name: str) -> str:
    if name.isidentifier():
        return f"{path}.{name}" if path else name
    return f"{path}[{name!r}]"
