"""Names: turn whatever the document calls a thing into a safe, readable Python identifier.

Small pure functions (`class_name`, `attr_name`, `module_name`, `method_name`, `constant_name`)
build identifiers only from `[A-Za-z0-9_]`, set case, and escape keywords and soft keywords; then
`Scope.claim` resolves collisions with deterministic numeric suffixes, first come first served.

Names are claimed while the IR is built, in document order, so the IR is born with its final names
and is never rewritten: component schemas claim theirs before any inline schema does, so adding an
inline object to an operation never renames a component's class.
"""

from __future__ import annotations

import functools
import keyword
import re
import sys
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z])\d*|[A-Z]?[a-z]+\d*|[A-Z]+\d*|\d+")
# Soft keywords are spelled out so that output does not depend on the Python running the generator.
_RESERVED = frozenset(keyword.kwlist) | {"_", "case", "match", "type", "self", "cls"}
_STDLIB = frozenset(sys.stdlib_module_names)


# Letters that Unicode does not decompose into ASCII ones.
_LETTERS = str.maketrans(
    {
        "ß": "ss",
        "æ": "ae",
        "Æ": "Ae",
        "ø": "o",
        "Ø": "O",
        "œ": "oe",
        "Œ": "Oe",
        "đ": "d",
        "Đ": "D",
        "ł": "l",
        "Ł": "L",
        "þ": "th",
        "Þ": "Th",
    }
)


def words(raw: str) -> list[str]:
    """Split `raw` into words at case changes, digits runs and any non-alphanumeric character;
    accented letters lose their accents (`Größe` → `Grosse`), other scripts are dropped."""
    ascii_text = unicodedata.normalize("NFKD", raw.translate(_LETTERS)).encode("ascii", "ignore").decode("ascii")
    return _WORD.findall(ascii_text)


@functools.lru_cache(maxsize=65536)
def snake(raw: str) -> str:
    return "_".join(w.lower() for w in words(raw))


@functools.lru_cache(maxsize=65536)  # a document names a schema in each place it is used
def pascal(raw: str) -> str:
    return "".join(w[:1].upper() + w[1:].lower() if not w[1:].isdigit() else w.upper() for w in words(raw))


def attr_name(raw: str) -> str:
    """A field or argument name: `senderPoolId` → `sender_pool_id`, `class` → `class_`, `1st` → `n_1st`."""
    return _escape(snake(raw), prefix="n_", fallback="value")


def method_name(raw: str) -> str:
    return _escape(snake(raw), prefix="op_", fallback="call")


def module_name(raw: str) -> str:
    return _escape(snake(raw), prefix="m_", fallback="module")


def class_name(raw: str) -> str:
    """A class name: `sender-pool` → `SenderPool`; `200` → `Model200`."""
    return _escape(pascal(raw), prefix="Model", fallback="Model")


@functools.lru_cache(maxsize=65536, typed=True)  # typed: 1 and True are told apart
def constant_name(raw: str | int | float | bool | None) -> str:
    """An enum member: `in-progress` → `IN_PROGRESS`; `1` → `VALUE_1`; `""` → `EMPTY`."""
    name = "_".join(w.upper() for w in words(str(raw)))
    if not name:
        return "EMPTY" if raw == "" else "VALUE"
    return _escape(name, prefix="VALUE_", fallback="VALUE")


# Longer names are cut: they are unreadable, and names become file names (at most 255 bytes).
# A cut name that collides with another is told apart by `Scope.claim`.
MAX_NAME = 64


def _escape(name: str, *, prefix: str, fallback: str) -> str:
    name = name[:MAX_NAME].rstrip("_")
    if not name:
        return fallback
    if name[0].isdigit():
        name = prefix + name
    if name in _RESERVED:
        name += "_"
    return name


class Scope:
    """One namespace (a module's classes, a class's fields, a method's arguments).

    `claim(name)` returns `name`, or `name_2`, `name_3`… (`Name2` for class-style names) if it is
    taken. Names listed in `reserved` are never handed out.
    """

    def __init__(self, reserved: Iterable[str] = ()) -> None:
        self._taken: set[str] = set(reserved)

    def claim(self, name: str) -> str:
        if name not in self._taken:
            self._taken.add(name)
            return name
        joiner = "" if name[:1].isupper() and "_" not in name else "_"
        counter = 2
        while f"{name}{joiner}{counter}" in self._taken:
            counter += 1
        unique = f"{name}{joiner}{counter}"
        self._taken.add(unique)
        return unique

    def __contains__(self, name: str) -> bool:
        return name in self._taken


# What the generated client imports at run time: a package of the same name would shadow it.
_CLIENT_DEPENDENCIES = frozenset({"httpx", "httpcore", "h11", "anyio", "sniffio", "idna", "certifi"})
_RUNTIME_MODULES = frozenset(
    {"_base_client", "_exceptions", "_pagination", "_response", "_retries", "_types", "_utils", "_validation"}
    | {"_waiting", "_client", "_version", "_lazy", "errors", "models", "resources"}
)


def package_name_problem(name: str) -> str | None:
    """Why `name` cannot be a generated package's name, or None if it can: it must be an ASCII
    identifier that is no keyword or soft keyword, and that shadows neither a module of the
    standard library nor one the client depends on or is made of."""
    if not name.isidentifier() or not name.isascii():
        return "is not a Python identifier"
    if keyword.iskeyword(name) or name in _RESERVED or keyword.issoftkeyword(name):
        return "is a Python keyword"
    if name in _STDLIB:
        return "would shadow the standard library's module of that name"
    if name in _CLIENT_DEPENDENCIES:
        return "would shadow a module the generated client depends on"
    if name in _RUNTIME_MODULES:
        return "is the name of one of the generated client's own modules"
    return None


def package_name(title: str) -> str:
    """The default package name for a document titled `title`: `Comms API` → `comms_api`; a title
    that would give a name `package_name_problem` refuses (`Email` → `email`) gets `_client`."""
    name = _escape(snake(title), prefix="m_", fallback="client")
    name = name.rstrip("_")
    if package_name_problem(name) is not None:
        name = f"{name}_client"
    return name
