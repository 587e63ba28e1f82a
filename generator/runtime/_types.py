"""The "not given" sentinel, open enums, what an array argument takes, and how models show
themselves."""

from __future__ import annotations

import dataclasses
import sys
from collections.abc import Iterator, Sequence
from enum import Enum
from typing import IO, TYPE_CHECKING, Any, ClassVar, Final, Protocol, SupportsIndex, TypeVar, Union

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


class _DataclassFields:
    """A model's `__dataclass_fields__`, made the first time it is read and then kept on its
    class: each slot is a field, of the type its annotation says; a keyword of `__init__` that
    defaults to `NOT_GIVEN` defaults to it, and the one that defaults to None (the properties the
    schema does not list) to an empty dict, as the dataclass the model stands for would have it."""

    def __get__(self, instance: object, owner: type) -> dict[str, dataclasses.Field[Any]]:
        names: list[str] = []
        annotations: dict[str, Any] = {}
        for klass in reversed(owner.__mro__):
            names += klass.__dict__.get("__slots__", ())
            annotations |= klass.__dict__.get("__annotations__", {})
        defaults: dict[str, Any] = getattr(getattr(owner, "__init__"), "__kwdefaults__", None) or {}
        spec: list[tuple[str, Any, dataclasses.Field[Any]]] = []
        for name in names:
            if name not in defaults:
                made = dataclasses.field()
            elif defaults[name] is None:
                made = dataclasses.field(default_factory=dict)
            else:
                made = dataclasses.field(default=defaults[name])
            spec.append((name, annotations.get(name, Any), made))
        shape = dataclasses.make_dataclass(owner.__name__, spec, kw_only=True, eq=False, repr=False)
        fields: dict[str, dataclasses.Field[Any]] = getattr(shape, "__dataclass_fields__")
        if "__dataclass_fields__" not in owner.__dict__:  # a model, not `_Model` itself
            setattr(owner, "__dataclass_fields__", fields)
        return fields


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


class _Model:
    """The base of the models (named so that no model's name can be its name): a model compares equal to another of its class with equal fields,
    shows the fields that were given, and works with `dataclasses.fields`, `replace` and `asdict`.

    Each model writes out its `__slots__` and `__init__` rather than being made by `@dataclass`,
    which compiles them at import, costing hundreds of microseconds a class; the fields that
    `dataclasses` reads are made from the class the first time they are asked for.
    """

    __slots__ = ()

    if TYPE_CHECKING:
        __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]
    else:
        __dataclass_fields__ = _DataclassFields()

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        names: tuple[str, ...] = getattr(self, "__slots__")
        return tuple(getattr(self, n) for n in names) == tuple(getattr(other, n) for n in names)

    def __repr__(self) -> str:
        return model_repr(self)


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
