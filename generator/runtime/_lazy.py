"""Names a package offers, each imported from its module the first time it is used.

A package's `__init__` lists what it offers for type checkers (under `TYPE_CHECKING`), and at run
time answers a name through `__getattr__` (PEP 562): importing the package costs next to nothing
whatever the size of the API, and a name costs only its own module, once.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Mapping
from typing import Any


def lazy_exports(
    package: str, namespace: dict[str, Any], exports: Mapping[str, Iterable[str]]
) -> tuple[Callable[[str], Any], Callable[[], list[str]]]:
    """The `__getattr__` and `__dir__` of the package `package`, whose globals are `namespace`:
    `exports` maps a module (relative to the package) to the names it offers through the package.
    A name that is none of them may be a submodule (`package.models`), imported then."""
    where = {name: module for module, names in exports.items() for name in names}

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is not None:
            value = getattr(importlib.import_module(module, package), name)
        elif not name.startswith("__"):
            try:
                value = importlib.import_module(f".{name}", package)
            except ModuleNotFoundError as exc:
                if exc.name != f"{package}.{name}":
                    raise
                raise AttributeError(f"module {package!r} has no attribute {name!r}") from None
        else:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        namespace[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*namespace, *where})

    return __getattr__, __dir__


def lazy_class(module: str, package: str, name: str, attributes: Iterable[str]) -> type:
    """A stand-in for the class `name` of `module` (relative to `package`), as a base class: the
    client's own operations, which a large API may have by the thousand. Each of `attributes` is
    on it from the start, but the module is imported only when one of them is first used; the
    class's attributes then become the stand-in's own, and are used as they would be on it."""
    attributes = tuple(attributes)

    class _Attribute:
        __slots__ = ("attribute",)

        def __init__(self, attribute: str) -> None:
            self.attribute = attribute

        def __get__(self, instance: object, owner: type | None = None) -> Any:
            real = getattr(importlib.import_module(module, package), name)
            for attribute in attributes:
                setattr(stand_in, attribute, real.__dict__[attribute])
            value = stand_in.__dict__[self.attribute]
            return value.__get__(instance, owner) if hasattr(value, "__get__") else value

    stand_in = type(name, (), {a: _Attribute(a) for a in attributes})
    stand_in.__module__ = f"{package}{module}" if module.startswith(".") else module
    return stand_in


def deferred_imports(
    module: str, namespace: dict[str, Any], imports: Mapping[str, Iterable[str]]
) -> None:
    """Bind in `namespace`, the globals of the model module `module`, a stand-in for each name
    `imports` lists by the module (relative to `module`'s package) that defines it. A model
    module refers to others only in its functions, so importing it imports none of them: the
    first use of a name (`Tags.from_dict`, `Tags(...)`) imports its module, and the global is the
    real object from then on. Type checkers see the plain imports (under `TYPE_CHECKING`)."""
    package = module.rpartition(".")[0]
    for source, names in imports.items():
        for name in names:
            namespace[name] = _Deferred(namespace, source, package, name)


class _Deferred:
    """A name of another model module, until its first use (see `deferred_imports`)."""

    __slots__ = ("_namespace", "_module", "_package", "_name")

    def __init__(self, namespace: dict[str, Any], module: str, package: str, name: str) -> None:
        self._namespace, self._module, self._package, self._name = namespace, module, package, name

    def _resolve(self) -> Any:
        real = getattr(importlib.import_module(self._module, self._package), self._name)
        if self._namespace.get(self._name) is self:
            self._namespace[self._name] = real
        return real

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._resolve(), attribute)

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self._resolve()(*args, **kwargs)

    def __instancecheck__(self, instance: object) -> bool:
        return isinstance(instance, self._resolve())

    def __subclasscheck__(self, subclass: type) -> bool:
        return issubclass(subclass, self._resolve())

    def __or__(self, other: Any) -> Any:
        return self._resolve() | other

    def __ror__(self, other: Any) -> Any:
        return other | self._resolve()

    def __repr__(self) -> str:
        return f"<{self._name} from {self._package}{self._module}, not imported yet>"
