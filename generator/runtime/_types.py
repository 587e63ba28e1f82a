"""The "not given" sentinel, open enums, what an array argument takes, and how models show
themselves."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator, Sequence
from enum import Enum
from typing import IO, Any, Final, Protocol, SupportsIndex, TypeVar, Union

# The type of a map's values where it must stay empty (`dict[str, Never]`).
if sys.version_info >= (3, 11):
    from typing import Never as Never
else:  # the same bottom type, under its older name
    from typing import NoReturn as Never

FileContent = Union[bytes, IO[bytes]]
FileInput = Union[
    FileContent,
    tuple[Union[str, None], FileContent],
    tuple[Union[str, None], FileContent, Union[str, None]],
]
"""A file to upload: its bytes, an open binary file, or `(filename, content[, content type])`."""


class NotGiven:
    """The type of `NOT_GIVEN`: an argument or field the caller did not set.

    Distinct from `None`, which is a value (JSON `null`): a PATCH sends only the fields that were
    given, and can still set a field to null.
    """

    _instance: NotGiven | None = None

    def __new__(cls) -> NotGiven:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __bool__(self) -> bool:
        return False

    def __repr__(self) -> str:
        return "NOT_GIVEN"

    def __reduce__(self) -> str:
        return "NOT_GIVEN"


NOT_GIVEN: Final = NotGiven()

_T_co = TypeVar("_T_co", covariant=True)


class SequenceNotStr(Protocol[_T_co]):
    """What an array argument takes: a list, a tuple or any other sequence, but not a string.

    A `str` is a `Sequence[str]`, so an argument typed `Sequence[str]` would let `tags="a"`
    through a type checker, to be sent as `["a"]` or as `"a"`. A string's `__contains__` takes
    only strings, while a list's or a tuple's takes any object, as this protocol's does; so a
    string (or bytes) does not match it, and everything a `Sequence` offers the client does.
    A string given anyway is refused before sending (`is_array`, `Rule.array`).
    """

    def __getitem__(self, index: SupportsIndex, /) -> _T_co: ...

    def __contains__(self, value: object, /) -> bool: ...

    def __iter__(self) -> Iterator[_T_co]: ...

    def __len__(self) -> int: ...


def is_array(value: object) -> bool:
    """Whether `value` is sent as a JSON array: a list, a tuple or another sequence, but not a
    string, bytes or a buffer (those are sequences too, of characters or bytes)."""
    if isinstance(value, (list, tuple)):
        return True
    return isinstance(value, Sequence) and not isinstance(
        value, (str, bytes, bytearray, memoryview)
    )


def model_repr(model: Any) -> str:
    """`Name(field=value, ...)` with only the fields that were given.

    A model's optional fields default to `NOT_GIVEN`; listing them all would bury the data in
    noise. Properties the schema does not list are shown when there are any.
    """
    parts = []
    for spec in dataclasses.fields(model):
        value = getattr(model, spec.name)
        if value is NOT_GIVEN or (not value and spec.default_factory is dict):
            continue  # not given, or no unlisted properties
        parts.append(f"{spec.name}={value!r}")
    return f"{type(model).__name__}({', '.join(parts)})"


class OpenStrEnum(str, Enum):
    """A string enum that also accepts values it does not list.

    An API may add a value at any time; a client built before that must still read the response.
    An unknown value becomes a member of its own (`SenderStatus("PAUSED")`), equal to its string.
    """

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, str):
            return None
        return _pseudo_member(cls, str.__new__(cls, value), value)


class OpenIntEnum(int, Enum):
    """An integer enum that also accepts values it does not list (see `OpenStrEnum`)."""

    def __str__(self) -> str:
        return str(self.value)

    @classmethod
    def _missing_(cls, value: object) -> Any:
        if not isinstance(value, int) or isinstance(value, bool):
            return None
        return _pseudo_member(cls, int.__new__(cls, value), value)


def _pseudo_member(cls: type[Enum], member: Any, value: object) -> Any:
    member._name_ = str(value)
    member._value_ = value
    # Remembered, so that the same unknown value is the same object; `list(cls)` still lists
    # only the documented members.
    return cls._value2member_map_.setdefault(value, member)
