"""Imports: what a generated module imports, recorded by whatever writes a name that needs one.

Contract: while a module renders, each filter that writes a name from elsewhere (an annotation, a
decoder, a `Rule`, a runtime helper through `use`) records its `ir.Import` in the module's
`Imports`; the import block is printed from that record once the body is written
(`render.render_module`). No import is guessed from the IR beside the template: a name that is
not written is not imported, and one that is written cannot be forgotten.

`NAMES` lists, once, every name the templates write that lives in another module (the runtime's
helpers and classes, and what they take from the standard library and httpx), so a template
writes `{{ "format_path" | use }}` and never says where it comes from. `import_lines` prints
imports sorted and grouped, as isort and black would leave them.
"""

from __future__ import annotations

import sys
from collections.abc import Iterable, Mapping

from . import ir
from . import layout as lay

_DEFINED_IN: dict[str, tuple[str, ...]] = {
    "__future__": ("annotations",),
    "._base_client": (
        "ApiKeyAuth", "AsyncApiClient", "AsyncResource", "Auth", "BasicAuth", "BearerAuth", "CallOptions",
        "DEFAULT_TIMEOUT", "Request", "SyncApiClient", "SyncResource",
    ),
    "._exceptions": (
        "ApiConnectionError", "ApiError", "ApiResponseValidationError", "ApiStatusError", "ApiTimeoutError",
        "BodyDecoder", "MissingCredentialsError", "RequestValidationError", "UnexpectedStatusError", "status_error",
    ),
    "._pagination": ("AsyncPager", "SyncPager", "attr_path"),
    "._response": ("RawResponse", "async_raw_response", "raw_response"),
    "._retries": ("DEFAULT_MAX_RETRIES",),
    "._lazy": ("deferred_imports", "lazy_class", "lazy_exports"),
    "._types": ("NOT_GIVEN", "NotGiven", "OpenIntEnum", "OpenStrEnum", "SequenceNotStr", "_Model", "model_repr"),
    "._utils": (
        "as_field", "decode_tagged", "decode_union", "encode_cookies", "encode_form", "encode_headers",
        "encode_query", "encode_value", "enum_value", "expect_list", "expect_map", "format_path", "keep",
        "merge_body",
    ),
    "._validation": ("ModelRule", "Rule", "check_request"),
    "._version": ("__version__",),
    "._waiting": ("Accepted", "AsyncAccepted", "OperationFailedError", "WaitSpec", "WaitTimeoutError"),
    ".errors": ("error_for_response",),
    "collections.abc": ("Mapping",),
    "dataclasses": ("dataclass", "field"),
    "functools": ("cached_property",),
    "typing": ("TYPE_CHECKING", "Any", "ClassVar", "Literal", "TypeAlias"),
}  # fmt: skip
_MODULES = ("builtins", "httpx", "os")

NAMES: dict[str, ir.Import] = {name: ir.Import(module, name) for module, names in _DEFINED_IN.items() for name in names}
NAMES |= {module: ir.Import(module) for module in _MODULES}
"""Every name a template writes that another module defines, with the import that brings it."""

ERRORS: tuple[str, ...] = (
    "ApiConnectionError", "ApiError", "ApiResponseValidationError", "ApiStatusError", "ApiTimeoutError",
    "MissingCredentialsError", "OperationFailedError", "RequestValidationError", "UnexpectedStatusError",
    "WaitTimeoutError",
)  # fmt: skip
"""The runtime's errors, which the package's `errors` module offers beside its status errors."""

PUBLIC: tuple[str, ...] = (
    "NotGiven",
    "NOT_GIVEN",
    "RawResponse",
    "SyncPager",
    "AsyncPager",
    "Accepted",
    "AsyncAccepted",
)
"""The runtime's other names the package root offers: the sentinel and what methods return."""


class Imports:
    """The imports one module's text needs, as the filters that write it record them.

    `module_of` places each model class in its module under `models/`; `names` are the imports
    the template's own text needs whatever it is given (its fixed lines).

    A `lazy` module (a resource module, the client) imports no model, nor resource module, when
    it is imported: what an annotation names is imported for type checkers only (under
    `TYPE_CHECKING`), and a resource module that code uses at run time is imported by the
    function that uses it, at its top (`local`), the first time it runs.

    A `deferred` module (a resource module, or a model module whose models are classes: it names
    other models only in its functions) imports model modules for type checkers only; at run
    time each model it uses is bound to a stand-in that imports its module on first use (the
    runtime's `deferred_imports`), so decoding one model imports the models its data holds, not
    all it could, and a call pays no import."""

    __slots__ = ("module_of", "found", "typing", "lazy", "deferred", "_pending", "_annotated")

    def __init__(
        self, module_of: Mapping[str, str], names: Iterable[str] = (), lazy: bool = False, deferred: bool = False
    ) -> None:
        self.module_of = module_of
        self.found: set[ir.Import] = {NAMES[name] for name in names}
        self.typing: set[ir.Import] = set()  # for type checkers only
        self.lazy = lazy
        self.deferred = deferred
        self._pending: set[ir.Import] = set()  # used at run time by the function being written
        self._annotated: set[tuple[ir.TypeRef, str, frozenset[str]]] = set()

    def use(self, name: str) -> str:
        """`name`, one of `NAMES`, recorded."""
        self.found.add(NAMES[name])
        return name

    def model(self, name: str, of: str | None = None) -> str:
        """A model, enum or alias, recorded from its module; or a function of the module of the
        model `of` (a recursive alias's decoder or encoder)."""
        imp = ir.Import(f".models.{self.module_of[of or name]}", name)
        (self._pending if self.lazy and not self.deferred else self.found).add(imp)
        return name

    def resource(self, name: str, module: str, local: bool = False) -> str:
        """A class or function of the resources module `module`, recorded; `local`: imported
        where it is used, in a lazy module."""
        imp = ir.Import(f".resources.{module}", name)
        (self._pending if local and self.lazy else self.found).add(imp)
        return name

    def annotation(self, t: ir.TypeRef, use: str, shadowed: frozenset[str] = frozenset()) -> None:
        """What `filters.annotation(t, shadowed, use)` names, recorded (see `type_imports`)."""
        key = (t, use, shadowed)
        if key not in self._annotated:
            self._annotated.add(key)
            self.add_annotation(type_imports(t, self.module_of, use, shadowed))

    def add_annotation(self, imports: Iterable[ir.Import]) -> None:
        """Imports an annotation needs: in a lazy module, those of the package's models and
        resources for type checkers only."""
        for imp in imports:
            deferred = self.lazy and imp.module.startswith((".models.", ".resources."))
            deferred = deferred or (self.deferred and imp.module.startswith(".models."))
            (self.typing if deferred else self.found).add(imp)

    def add(self, imports: Iterable[ir.Import]) -> None:
        self.found.update(imports)

    @property
    def pending(self) -> set[ir.Import]:
        """What the code written since the last function's local imports uses at run time."""
        return self._pending

    def local(self, module: str, indent: int) -> list[str]:
        """The imports of the function just written, which uses them at run time (none in a module
        that is not lazy), as its first lines at `indent`; they are recorded no further."""
        pending, self._pending = self._pending, set()
        pad = " " * indent
        return [pad + line if line else line for line in import_lines(pending, module, indent)]

    def lines(self, module: str) -> list[str]:
        """The import block of `module`, which imports nothing from itself: what it uses at run
        time, then what only type checkers need, under `if TYPE_CHECKING:`."""
        own = f".{module}"
        self.found |= self._pending  # used outside a function: imported with the module
        self._pending = set()
        found = {i for i in self.found if i.module != own}
        deferred = {i for i in found if i.module.startswith(".models.")} if self.deferred else set()
        found -= deferred
        typing = ({i for i in self.typing if i.module != own} | deferred) - found
        if typing:
            found.add(NAMES["TYPE_CHECKING"])
        if deferred:
            found.add(NAMES["deferred_imports"])
        lines = import_lines(found, module)
        if typing:
            lines += ["", "if TYPE_CHECKING:"]
            lines += ["    " + line if line else line for line in import_lines(typing, module, 4)]
        if deferred:
            lines += ["else:", "    " + lay.layout(runtime_imports("deferred_imports", deferred, module), 4)]
        return lines


_STDLIB = frozenset(sys.stdlib_module_names)


def type_imports(
    t: ir.TypeRef, module_of: Mapping[str, str], use: str = "field", shadowed: frozenset[str] = frozenset()
) -> set[ir.Import]:
    """What `filters.annotation(t, shadowed, use)` names: the models, enums (and, but in a
    result, their values aliases) and aliases, the annotations of primitives, `Literal`, and for
    an argument `SequenceNotStr` and `Mapping`; `builtins` for a shadowed builtin it writes."""
    found: set[ir.Import] = set()
    builtins: set[str] = set()  # the builtins it writes
    for part in ir.walk(t, into_aliases=False):
        if isinstance(part, ir.Primitive):
            found.update(part.imports)
            builtins.add(part.annotation)
        elif isinstance(part, ir.EnumRef):
            module = f".models.{module_of[part.name]}"
            found.add(ir.Import(module, part.name))
            if use != "result":
                found.add(ir.Import(module, part.values))
        elif isinstance(part, (ir.ModelRef, ir.AliasRef, ir.RecursiveRef)):
            found.add(ir.Import(f".models.{module_of[part.name]}", part.name))
        elif isinstance(part, ir.LiteralOf) and part.value is not None:
            found.add(NAMES["Literal"])
        elif isinstance(part, ir.ListOf):
            if use == "argument":
                found.add(NAMES["SequenceNotStr"])
            else:
                builtins.add("list")
        elif isinstance(part, ir.MapOf):
            if use == "argument":
                found.add(NAMES["Mapping"])
            else:
                builtins.add("dict")
            builtins.add("str")
    if not builtins.isdisjoint(shadowed):
        found.add(NAMES["builtins"])
    return found


def import_lines(imports: Iterable[ir.Import], module: str, indent: int = 0) -> list[str]:
    """`from __future__`, then the standard library, then httpx, then the package's own modules,
    each group sorted; names from one module on one line. `module` is the importing module, and
    `indent` where the lines are written (they are given without it)."""
    by_module: dict[str, set[str]] = {}
    plain: set[str] = set()
    for imp in imports:
        target = _relative(imp.module, module) if imp.module.startswith(".") else imp.module
        if imp.name is None:
            plain.add(target)
        else:
            by_module.setdefault(target, set()).add(imp.name)

    def group(target: str) -> int:
        top = target.split(".")[0]
        return 0 if top == "__future__" else 1 if top in _STDLIB else 3 if target.startswith(".") else 2

    # Within a group, `import x` lines come before `from x import y` lines (isort's default).
    entries = [(group(m), 0, m, f"import {m}") for m in plain]
    entries += [
        (group(m), 1, m, lay.from_import(m, sorted(names, key=_name_order), indent)) for m, names in by_module.items()
    ]
    lines: list[str] = []
    previous = None
    for rank, _, _, line in sorted(entries, key=lambda e: (e[0], e[1], e[2].lstrip(".") if e[0] == 3 else e[2])):
        if previous is not None and rank != previous:
            lines.append("")
        lines.append(line)
        previous = rank
    return lines


def runtime_imports(function: str, imports: Iterable[ir.Import], module: str) -> lay.Call:
    """`function(__name__, globals(), {"<module>": ("<name>", ...), ...})`: the names `imports`
    brings, by the module (relative to `module`) each is imported from at run time, handed to
    the runtime's `lazy_exports` or `deferred_imports` (module paths and names are identifiers:
    they need no escaping)."""
    table = tuple(
        lay.Keyed(f'"{source}": ', lay.Collection("(", tuple(f'"{name}"' for name in names), ")"))
        for source, names in exports_table(imports, module)
    )
    return lay.Call(function, ("__name__", "globals()", lay.Collection("{", table, "}", explode=True)), explode=True)


def exports_table(imports: Iterable[ir.Import], module: str) -> list[tuple[str, list[str]]]:
    """The names a package's `__init__` (`module`) offers, by the module (relative to it) each is
    imported from when first used, in the order `import_lines` would import them."""
    by_module: dict[str, list[str]] = {}
    for imp in imports:
        if imp.name is not None:
            by_module.setdefault(_relative(imp.module, module), []).append(imp.name)
    return [(m, sorted(by_module[m], key=_name_order)) for m in sorted(by_module, key=lambda m: m.lstrip("."))]


def _name_order(name: str) -> tuple[int, str]:
    """isort's `order_by_type`: CONSTANTS, then Classes, then functions and modules."""
    return (0 if name.isupper() else 1 if name[:1].isupper() else 2, name.lower())


def _relative(target: str, module: str) -> str:
    """`.models.tags` as seen from `models.sender_pool` is `.tags`; from `resources.x`, `..models.tags`."""
    package = module.split(".")[:-1]
    parts = target.lstrip(".").split(".")
    common = 0
    while common < min(len(package), len(parts) - 1) and package[common] == parts[common]:
        common += 1
    return "." * (len(package) - common + 1) + ".".join(parts[common:])
