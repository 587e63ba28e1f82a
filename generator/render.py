"""Stage 5, render: the IR through the Jinja2 templates into the files of the package.

Contract: `render(api)` returns `{relative path: source}` for every file of the package, in
memory; nothing here touches the disk. Spec-specific files come from `templates/`; the runtime
(`generator/runtime/`) is copied verbatim. Every `.py` file starts with the same header.

This module is also the one place types become text: `annotation()` and `type_imports()` turn a
`TypeRef` into its annotation and the imports it needs, and `import_lines()` prints imports
sorted and grouped. The Jinja environment is strict (`StrictUndefined`), has no globals, and its
only filters are those below; every string from the document that lands in code goes through
`pystr` (a literal) or `docstring` (a docstring).
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import jinja2

from . import ir
from . import layout as lay
from .layout import Annotated, Assign, Call, Collection, Conditional, Def, Expr, Keyed, fits, hug
from .paths import fingerprint, runtime_dir, template_dir
from .write import IGNORE_FILE

RUNTIME_FILES = (
    "_base_client.py",
    "_exceptions.py",
    "_pagination.py",
    "_response.py",
    "_retries.py",
    "_types.py",
    "_utils.py",
    "_validation.py",
    "_waiting.py",
)
GENERATOR_NAME = "clientgen"
_STDLIB = frozenset(sys.stdlib_module_names)


@dataclass(frozen=True, slots=True)
class Context:
    """What every template gets besides its own subject."""

    api: ir.Api
    module_of: dict[str, str]  # model class name -> its module under models/


Reuse = Callable[[str, str], "str | None"]
"""Given a file's path and the digest of what renders it, its finished text from the last run, if
that run rendered it from the same digest and the file is still as written (see `write`)."""


@dataclass(frozen=True, slots=True)
class Rendered:
    files: dict[str, str]  # path -> source, unformatted (or, for a reused file, finished)
    digests: dict[str, str]  # path -> digest of what renders it (models and resources)
    reused: frozenset[str]  # paths whose finished text came from `reuse`


def render(api: ir.Api, *, client_pyproject: bool = False) -> dict[str, str]:
    """Every file of the package `api.package`, by path relative to the package root; with
    `client_pyproject`, also a pyproject.toml that makes the folder installable on its own."""
    return render_reusing(api, None, client_pyproject=client_pyproject).files


def render_reusing(api: ir.Api, reuse: Reuse | None, *, client_pyproject: bool = False) -> Rendered:
    """`render`, but a model or resource module whose inputs have not changed since the last run
    (its IR, its imports and the generator: see `_digest`) is taken as that run finished it.

    This holds because those two templates read nothing but their subject, `imports` and
    `shadowed` (`tests/test_write.py` checks a reusing run against a fresh one)."""
    env = _environment()
    ctx = Context(api, {m.name: module.name for module in api.modules for m in module.models})
    header = file_header(api)
    files: dict[str, str] = {}

    digests: dict[str, str] = {}
    reused: set[str] = set()

    def emit(path: str, template: str, module: str, **subject: object) -> None:
        files[path] = header + env.get_template(template).render(ctx=ctx, api=api, module=module, **subject)

    def emit_reusing(path: str, template: str, module: str, **subject: object) -> None:
        digests[path] = _digest(header, template, module, subject)
        known = reuse(path, digests[path]) if reuse is not None else None
        if known is not None:
            files[path] = known
            reused.add(path)
        else:
            emit(path, template, module, **subject)

    exports = root_exports(api)
    emit("__init__.py", "package_init.py.jinja", "__init__", imports=root_imports(exports), exports=exports)
    emit("_version.py", "version.py.jinja", "_version")
    emit("_client.py", "client.py.jinja", "_client", imports=client_imports(ctx))
    emit("errors.py", "errors.py.jinja", "errors")
    emit(
        "models/__init__.py",
        "models_init.py.jinja",
        "models.__init__",
        imports=import_lines(api.model_exports, "models.__init__"),
    )
    for model_module in api.modules:
        name = f"models.{model_module.name}"
        emit_reusing(
            f"models/{model_module.name}.py",
            "model.py.jinja",
            name,
            file=model_module,
            imports=model_imports(ctx, model_module, name),
        )
    group_exports = [
        ir.Import(f".resources.{g.module}", name) for g in api.groups for name in (g.sync_class, g.async_class)
    ]
    emit(
        "resources/__init__.py",
        "resources_init.py.jinja",
        "resources.__init__",
        imports=import_lines(group_exports, "resources.__init__"),
    )
    for group in api.groups:
        name = f"resources.{group.module}"
        shadowed = shadowed_builtins(group)
        imports = resource_imports(ctx, group, name, shadowed)
        emit_reusing(
            f"resources/{group.module}.py", "resource.py.jinja", name, group=group, imports=imports, shadowed=shadowed
        )
    for runtime_file in RUNTIME_FILES:
        files[runtime_file] = header + (runtime_dir() / runtime_file).read_text(encoding="utf-8")
    files["py.typed"] = ""
    files["README.md"] = env.get_template("README.md.jinja").render(api=api, installable=client_pyproject)
    if client_pyproject:
        template = env.get_template("client_pyproject.toml.jinja")
        files["pyproject.toml"] = template.render(
            api=api, distribution=api.package.replace("_", "-"), version=_pep440(api.version)
        )
    return Rendered(dict(sorted(files.items())), digests, frozenset(reused))


def _digest(header: str, template: str, module: str, subject: dict[str, object]) -> str:
    """What a module's text depends on: the generator (code, templates, runtime), the header, and
    the template's inputs, whose frozen IR has a deterministic `repr`."""
    values = {k: tuple(sorted(v)) if isinstance(v, frozenset) else v for k, v in subject.items()}
    parts = [fingerprint(), header, template, module] + [f"{k}={v!r}" for k, v in sorted(values.items())]
    return hashlib.sha256("\0".join(parts).encode("utf-8")).hexdigest()


def _pep440(version: str) -> str:
    """The document's version if it is a valid package version, else `0.0.0+<version>`-ish."""
    from packaging.version import InvalidVersion, Version

    try:
        return str(Version(version))
    except InvalidVersion:
        local = ".".join(part for part in re.split(r"[^A-Za-z0-9]+", version) if part)
        return f"0.0.0+{local}" if local else "0.0.0"


def file_header(api: ir.Api) -> str:
    """The first lines of every generated `.py` file.

    They name the document but carry nothing that changes when the output does not (no version,
    no digest), so that a new generator version, or an edit to the document that changes no
    code, leaves every file as it was and `generate --check` content.
    """
    return (
        f"# Generated by {GENERATOR_NAME} from {api.source_name}: regenerate rather than edit.\n"
        f"# To keep an edit, list this file in the package's {IGNORE_FILE}.\n"
    )


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir()),
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(pystr=pystr, docstring=docstring, annotation=annotation, tomlstr=tomlstr, unalias=ir.unalias)
    env.filters.update(argument_annotation=argument_annotation, result_annotation=result_annotation)
    # Layout: `{{ construct | layout(8) }}` writes a construct at indent 8 as black would (a plain
    # line of code is split as black splits a line ending in a bracket); the filters below build
    # the constructs.
    env.filters["layout"] = lay.layout
    env.filters.update(rule=rule, argument=argument, field=field, check_entry=check_entry)
    env.filters.update(conditional=Conditional, call=call, collection=collection, signature=signature, assign=assign)
    env.filters.update(request_parameters=request_parameters, call_arguments=call_arguments, payload=payload)
    env.filters["assignment"] = assignment
    env.tests["nullable_to_decode"] = lambda t: isinstance(t, ir.Nullable) and not t.plain
    return env


# -- escaping: the only way document text enters code ---------------------------------------------


def pystr(value: object) -> str:
    """A Python literal for a string (or other JSON scalar) taken from the document, written as
    black writes it: double quotes unless they would take more escapes than single ones."""
    if isinstance(value, float) and value != value:
        return 'float("nan")'
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return 'float("inf")' if value > 0 else 'float("-inf")'
    if isinstance(value, float):
        return repr(value).replace("e+", "e")  # black drops an exponent's plus sign
    if isinstance(value, str):
        literal = repr(value)
        if literal[0] == "'" and value.count('"') <= value.count("'"):
            literal = '"' + literal[1:-1].replace("\\'", "'").replace('"', '\\"') + '"'
        return literal
    if value is None or isinstance(value, (bool, int)):
        return repr(value)
    raise TypeError(f"not a scalar: {value!r}")


def tomlstr(value: str) -> str:
    """A TOML basic string holding `value` (JSON's string escapes are TOML's)."""
    return json.dumps(value, ensure_ascii=False)


def docstring(text: str | None, indent: int = 0) -> str:
    """A triple-quoted docstring holding `text` verbatim, for a line indented by `indent` spaces:
    backslashes and quotes are escaped, so nothing in it can end the string or start an escape
    sequence, and it is laid out as black lays out a docstring (lines after the first re-indented
    to `indent`, trailing spaces dropped, the closing quotes on a line of their own)."""
    body = (text or "").strip().replace("\r\n", "\n").replace("\r", "\n")
    body = body.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    body = "".join(
        ch if ch in "\n\t" or ch.isprintable() else ch.encode("unicode_escape").decode("ascii").replace("\\", "\\\\")
        for ch in body
    )
    lines = [_expand_leading_tabs(line) for line in body.split("\n")]
    if len(lines) > 1:
        # PEP 257's trim, as black applies it: the lines after the first lose their common indentation.
        common = min((len(line) - len(line.lstrip()) for line in lines[1:] if line.strip()), default=0)
        rest = [" " * indent + line[common:].rstrip() if line.strip() else "" for line in lines[1:]]
        body = "\n".join([lines[0].strip(), *rest, " " * indent])
    if body.startswith('"'):
        body = "\\" + body  # a quote here would merge into the opening three
    if body.endswith('"'):
        body += " "  # and here into the closing three (black pads it so too)
    return f'"""{body}"""'


def _expand_leading_tabs(line: str) -> str:
    stripped = line.lstrip()
    if not stripped or stripped == line:
        return line
    return line[: len(line) - len(stripped)].expandtabs(4) + stripped


# -- types ----------------------------------------------------------------------------------------


Use = Literal["argument", "field", "result"]
"""Where an annotation stands, which decides how wide it is (see `annotation`)."""


def annotation(t: ir.TypeRef, shadowed: frozenset[str] = frozenset(), use: Use = "field") -> str:
    """The Python annotation of a type, as it stands at `use`. Builtins named in `shadowed` (a
    class in scope has a method of that name, such as `list`) are written `builtins.list`.

    - "field", a model's field: enums as their class or their values (`Genre | GenreValue`),
      what a request may hold; arrays and maps as `list` and `dict`, which responses give back.
    - "argument", a method's (or request function's) parameter: the same, but arrays and maps
      are `SequenceNotStr[...]` and `Mapping[str, ...]`, which are covariant, so that a caller's
      `list[Genre]` or tuple is taken where `Genre | GenreValue` items are; an alias keeps its name.
    - "result", what the client gives back: enums as their class alone, since every value is
      decoded to a member (and what the public API's surface records, see `diff`)."""

    def builtin(name: str) -> str:
        return f"builtins.{name}" if name in shadowed else name

    def inner(t: ir.TypeRef) -> str:
        return annotation(t, shadowed, use)

    if isinstance(t, ir.Primitive):
        return builtin(t.annotation)
    if isinstance(t, ir.EnumRef):
        return t.name if use == "result" else f"{t.name} | {t.values}"
    if isinstance(t, (ir.ModelRef, ir.AliasRef, ir.RecursiveRef)):
        return t.name
    if isinstance(t, ir.ListOf):
        return f"{'SequenceNotStr' if use == 'argument' else builtin('list')}[{inner(t.item)}]"
    if isinstance(t, ir.MapOf):
        return f"{'Mapping' if use == 'argument' else builtin('dict')}[{builtin('str')}, {inner(t.value)}]"
    if isinstance(t, ir.Nullable):
        return f"{inner(t.inner)} | None"
    if isinstance(t, ir.UnionOf):
        return " | ".join(dict.fromkeys(inner(m) for m in t.members))
    if isinstance(t, ir.LiteralOf):
        return "None" if t.value is None else f"Literal[{pystr(t.value)}]"
    raise TypeError(t)


def argument_annotation(t: ir.TypeRef, shadowed: frozenset[str] = frozenset()) -> str:
    """The annotation of what a caller gives a method (see `annotation`)."""
    return annotation(t, shadowed, "argument")


def result_annotation(t: ir.TypeRef, shadowed: frozenset[str] = frozenset()) -> str:
    """The annotation of what the client gives back (see `annotation`)."""
    return annotation(t, shadowed, "result")


# -- constructs: what the templates hand to `layout` ----------------------------------------------


def call(callee: str, args: Iterable[Expr], trailer: str = "", explode: bool = False) -> Call:
    return Call(callee, tuple(args), trailer, explode)


def collection(items: Iterable[Expr], open: str, close: str, explode: bool = False) -> Collection:
    return Collection(open, tuple(items), close, explode)


def assign(value: str, name: str) -> Annotated:
    """`name = value`, a statement of a class."""
    return Annotated(name, None, value, statement=True)


def signature(name: str, params: Iterable[Annotated | str], returns: str, prefix: str = "def ", **how: bool) -> Def:
    """A `def` header (see `layout.Def` for `explode` and `always`)."""
    return Def(name, tuple(params), returns, prefix, **how)


def rule(c: ir.Check) -> Call:
    """The `Rule(...)` literal of a check, nested checks as nested `Rule`s."""
    args: list[Expr] = [f"{name}={pystr(value)}" for name, value in c.keywords]
    for name, values in (("enum", c.enum or ()), ("required", c.required), ("not_together", c.not_together)):
        if values or (name == "enum" and c.enum is not None):
            args.append(Keyed(f"{name}=", Collection("(", tuple(map(pystr, values)), ")", explode=True)))
    if c.properties:
        entries = tuple(Keyed(f"{pystr(wire)}: ", rule(sub)) for wire, sub in c.properties)
        args.append(Keyed("properties=", Collection("{", entries, "}", explode=True)))
    args += [
        Keyed(f"{name}=", rule(sub))
        for name, sub in (("items", c.items), ("values", c.values), ("keys", c.keys))
        if sub
    ]
    if c.model:
        args.append(f"model=lambda: {c.model}._RULE")
    if c.any_of:
        args.append(Keyed("any_of=", Collection("(", tuple(map(rule, c.any_of)), ")", explode=True)))
    return Call("Rule", tuple(args), explode=True)


def check_entry(p: ir.Parameter) -> Collection:
    """A `check_request` argument: `(name, value, Rule(...))`."""
    assert p.check is not None
    return Collection("(", (pystr(p.name), p.name, rule(p.check)), ")", explode=True)


def argument(p: ir.Parameter, shadowed: frozenset[str] = frozenset()) -> Annotated:
    """A parameter of a method or a request function: required ones have no default."""
    type = argument_annotation(p.type, shadowed)
    return Annotated(p.name, type) if p.required else Annotated(p.name, f"{type} | NotGiven", "NOT_GIVEN")


def field(f: ir.Field) -> Annotated:
    """A field of a model: one that may be left out defaults to `NOT_GIVEN`."""
    type = annotation(f.type) + (" | None" if f.null_guard else "")
    if f.required:
        return Annotated(f.name, type, statement=True)
    return Annotated(f.name, f"{type} | NotGiven", "NOT_GIVEN", statement=True)


EXTRA_BODY = "extra_body: Mapping[str, object] | None = None"
"""The parameter of a method (and its request function) whose body is an object: entries to merge into it."""


def request_parameters(op: ir.Operation, shadowed: frozenset[str] = frozenset()) -> list[Annotated | str]:
    """The parameters of an operation, after `self` (methods) or at the start (request functions)."""
    params: list[Annotated | str] = [argument(p, shadowed) for p in op.path_params]
    if op.arguments or op.takes_extra_body:
        params.append("*")
    params += [argument(p, shadowed) for p in op.arguments]
    return params + [EXTRA_BODY] if op.takes_extra_body else params


def call_arguments(op: ir.Operation, cursor: str | None = None) -> list[Expr]:
    """The arguments that pass a method's parameters on; `cursor` replaces the pagination cursor's."""
    args: list[Expr] = [p.name for p in op.path_params]
    for p in op.arguments:
        args.append(f"{p.name}={cursor if cursor and op.pagination and p is op.pagination.cursor else p.name}")
    return args + ["extra_body=extra_body"] if op.takes_extra_body else args


def payload(op: ir.Operation) -> Call:
    """The JSON of an object body, built from its fields' arguments through its model: an array
    or map argument, typed wider than the field (`p.widened`), made a list or dict first."""
    assert op.body is not None and op.body.model is not None
    args = [f"{p.attr}=" + (f"as_field({p.name})" if p.widened else p.name) for p in op.body_fields]
    return Call(op.body.model.name, tuple(args), ".to_dict()", explode=True)


# -- constructs: statements ------------------------------------------------------------------------


def assignment(value: Expr, target: str) -> Assign:
    """`target = value`, a statement of a function (`data["wire"] = ...`)."""
    return Assign(target, value)


def type_imports(t: ir.TypeRef | None, ctx: Context, *, codec: bool = True, use: Use = "field") -> set[ir.Import]:
    """What a module that annotates `t` at `use` (see `annotation`) must import; with `codec`,
    also what decoding and encoding it takes. A result's enums are neither annotated with their
    values nor encoded."""
    found: set[ir.Import] = set()
    values = use != "result"
    # A type inside an alias is coded here but annotated by the alias's name: no values alias,
    # and the alias's own `list` and `dict`.
    annotated = set(ir.walk(t, into_aliases=False)) if t is not None else set()
    for part in ir.walk(t, into_aliases=codec) if t is not None else ():
        if isinstance(part, ir.Primitive):
            found.update(part.imports)
            if codec:
                found.update(part.codec_imports)
        elif isinstance(part, ir.EnumRef):
            module = f".models.{ctx.module_of[part.name]}"
            found.add(ir.Import(module, part.name))
            if values and part in annotated:
                found.add(ir.Import(module, part.values))
            if values and codec:
                found.add(ir.Import("._utils", "enum_value"))
        elif isinstance(part, (ir.ModelRef, ir.AliasRef)):
            found.add(ir.Import(f".models.{ctx.module_of[part.name]}", part.name))
        elif isinstance(part, ir.RecursiveRef):
            module = f".models.{ctx.module_of[part.name]}"
            found.add(ir.Import(module, part.name))
            if codec:
                found |= {ir.Import(module, part.decoder), ir.Import(module, part.encoder)}
        elif isinstance(part, ir.UnionOf) and codec and not part.plain:
            found.add(ir.Import("._utils", "decode_tagged" if part.discriminator else "decode_union"))
            found.add(ir.Import("._utils", "encode_value"))
            found |= {ir.Import("._utils", f"expect_{m.kind}") for m in part.members if m.kind in ("list", "map")}
            if not part.discriminator and any(m.plain for m in part.members):
                found.add(ir.Import("._utils", "keep"))
        elif isinstance(part, ir.LiteralOf) and part.value is not None:
            found.add(ir.Import("typing", "Literal"))
        if use == "argument" and part in annotated and isinstance(part, ir.ListOf):
            found.add(ir.Import("._types", "SequenceNotStr"))
        if use == "argument" and part in annotated and isinstance(part, ir.MapOf):
            found.add(ir.Import("collections.abc", "Mapping"))
    return found


def check_imports(check: ir.Check | None, ctx: Context) -> set[ir.Import]:
    """The models whose rules a check's `Rule` refers to (`model=lambda: Pet._RULE`)."""
    found: set[ir.Import] = set()
    stack = [check] if check is not None else []
    while stack:
        current = stack.pop()
        if current.model is not None:
            found.add(ir.Import(f".models.{ctx.module_of[current.model]}", current.model))
        stack.extend(c for c in (current.items, current.values, current.keys, *current.any_of) if c is not None)
        stack.extend(c for _, c in current.properties)
    return found


def import_lines(imports: Iterable[ir.Import], module: str) -> list[str]:
    """`from __future__`, then the standard library, then httpx, then the package's own modules,
    each group sorted; names from one module on one line. `module` is the importing module."""
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
    entries += [(group(m), 1, m, lay.from_import(m, sorted(names, key=_name_order))) for m, names in by_module.items()]
    lines: list[str] = []
    previous = None
    for rank, _, _, line in sorted(entries, key=lambda e: (e[0], e[1], e[2].lstrip(".") if e[0] == 3 else e[2])):
        if previous is not None and rank != previous:
            lines.append("")
        lines.append(line)
        previous = rank
    return lines


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


# -- imports of each kind of file -----------------------------------------------------------------

_FUTURE = ir.Import("__future__", "annotations")


def model_imports(ctx: Context, file: ir.ModelModule, module: str) -> list[str]:
    found = {_FUTURE}
    local = set(file.exports)
    for model in file.models:
        if isinstance(model, ir.ObjectModel):
            found |= {
                ir.Import("._validation", "Rule"),
                ir.Import("dataclasses", "dataclass"),
                ir.Import("collections.abc", "Mapping"),
                ir.Import("typing", "Any"),
                ir.Import("typing", "ClassVar"),
                ir.Import("._types", "model_repr"),
            }
            if model.optional_fields:
                found |= {ir.Import("._types", "NotGiven"), ir.Import("._types", "NOT_GIVEN")}
            if model.extra is not None:
                found.add(ir.Import("dataclasses", "field"))
            for t in [f.type for f in model.fields] + ([model.extra] if model.extra is not None else []):
                found |= type_imports(t, ctx)
            found |= check_imports(model.check, ctx)
        elif isinstance(model, ir.EnumModel):
            found.add(ir.Import("._types", "OpenStrEnum" if model.base == "str" else "OpenIntEnum"))
            found |= {ir.Import("typing", "Literal"), ir.Import("typing", "TypeAlias")}
        else:
            found.add(ir.Import("typing", "TypeAlias"))
            found |= type_imports(model.target, ctx)
            if model.recursive is not None:
                found.add(ir.Import("typing", "Any"))
    local |= {
        f
        for m in file.models
        if isinstance(m, ir.AliasModel) and m.recursive
        for f in (m.recursive.decoder, m.recursive.encoder)
    }
    return import_lines((i for i in found if i.name not in local or not i.module.startswith(".models.")), module)


_BUILTIN_TYPES = frozenset({"list", "dict", "str", "int", "float", "bool", "bytes"})


def shadowed_builtins(group: ir.Group) -> frozenset[str]:
    """Builtin types that a method of the group's classes shadows in the class body, and that
    an annotation there names (so that `builtins` is imported only to write them)."""
    names = frozenset(op.name for op in group.operations) & _BUILTIN_TYPES
    if not names:
        return names
    used: set[str] = set()
    for op in group.operations:
        for param in (*op.path_params, *op.arguments):
            used |= builtin_names(param.type, "argument")
        for result in (op.returns, op.wait.result if op.wait else None, op.pagination.item if op.pagination else None):
            used |= builtin_names(result, "result") if result is not None else set()
    return names & used


def builtin_names(t: ir.TypeRef, use: Use) -> set[str]:
    """The builtins `annotation(t, use=use)` writes (`list`, `str`, ...), among other names."""
    found: set[str] = set()
    for part in ir.walk(t, into_aliases=False):
        if isinstance(part, ir.Primitive):
            found.add(part.annotation)
        elif isinstance(part, ir.ListOf) and use != "argument":
            found.add("list")
        elif isinstance(part, ir.MapOf):
            found |= {"str"} if use == "argument" else {"str", "dict"}
    return found


def resource_imports(ctx: Context, group: ir.Group, module: str, shadowed: frozenset[str]) -> list[str]:
    found = {
        _FUTURE,
        ir.Import("collections.abc", "Mapping"),
        ir.Import("functools", "cached_property"),
        ir.Import("httpx"),
        ir.Import("._base_client", "AsyncResource"),
        ir.Import("._base_client", "CallOptions"),
        ir.Import("._base_client", "Request"),
        ir.Import("._base_client", "SyncResource"),
        ir.Import("._response", "async_raw_response"),
        ir.Import("._response", "raw_response"),
        ir.Import("._types", "NOT_GIVEN"),
        ir.Import("._types", "NotGiven"),
        ir.Import(".errors", "error_for_response"),
    }
    if shadowed:
        found.add(ir.Import("builtins"))
    for op in group.operations:
        for param in (*op.path_params, *op.arguments):
            found |= type_imports(
                param.type, ctx, codec=param.location == "body" and param.attr is None, use="argument"
            )
            if param.attr is not None and param.widened:
                found.add(ir.Import("._utils", "as_field"))
            if not param.required:
                found |= {ir.Import("._types", "NotGiven"), ir.Import("._types", "NOT_GIVEN")}
        if op.path_params:
            found.add(ir.Import("._utils", "format_path"))
        if op.validates or op.checked_fields:
            found.add(ir.Import("._validation", "check_request"))
        if op.checked_params or op.checked_fields:
            found.add(ir.Import("._validation", "Rule"))
        for param in (*op.checked_params, *op.checked_fields):
            found |= check_imports(param.check, ctx)
        if op.wait is not None:
            found |= {ir.Import("._waiting", n) for n in ("Accepted", "AsyncAccepted", "WaitSpec")}
            found |= type_imports(op.wait.result, ctx, codec=False, use="result")
            if op.wait.location_path or op.wait.state_path:
                found.add(ir.Import("._pagination", "attr_path"))
            if op.wait.poll_module != group.module:
                found.add(ir.Import(f".resources.{op.wait.poll_module}", op.wait.poll_function))
        if op.pagination is not None:
            found |= {ir.Import("._pagination", n) for n in ("AsyncPager", "SyncPager", "attr_path")}
            found |= type_imports(op.pagination.item, ctx, codec=False, use="result")
        if op.query_params:
            found.add(ir.Import("._utils", "encode_query"))
        if op.header_params:
            found.add(ir.Import("._utils", "encode_headers"))
        if op.cookie_params:
            found.add(ir.Import("._utils", "encode_cookies"))
        if op.body is not None and op.body.encoding == "form":
            found.add(ir.Import("._utils", "encode_form"))
        if op.takes_extra_body:
            found.add(ir.Import("._utils", "merge_body"))
        if op.body is not None and op.body.model is not None:
            found |= type_imports(op.body.model, ctx)
        for response in (*op.successes, *op.typed_errors):
            found |= type_imports(response.type, ctx, use="result")
        for response in op.typed_errors:
            if response.type is not None and response.type.kind in ("list", "map"):
                found.add(ir.Import("._utils", f"expect_{response.type.kind}"))  # its decoder_fn's
    return import_lines(found, module)


def client_imports(ctx: Context) -> list[str]:
    api = ctx.api
    found = {
        _FUTURE,
        ir.Import("os"),
        ir.Import("collections.abc", "Mapping"),
        ir.Import("httpx"),
        ir.Import("._base_client", "DEFAULT_TIMEOUT"),
        ir.Import("._retries", "DEFAULT_MAX_RETRIES"),
        ir.Import("._base_client", "Auth"),
        ir.Import("._base_client", "SyncApiClient"),
        ir.Import("._base_client", "AsyncApiClient"),
        ir.Import("._version", "__version__"),
    }
    found |= {ir.Import("._base_client", _AUTH_CLASSES[s.kind]) for s in api.security}
    for group in api.groups:
        found.add(ir.Import(f".resources.{group.module}", group.sync_class))
        found.add(ir.Import(f".resources.{group.module}", group.async_class))
    return import_lines(found, "_client")


_AUTH_CLASSES = {"basic": "BasicAuth", "bearer": "BearerAuth", "api_key": "ApiKeyAuth"}


def root_exports(api: ir.Api) -> dict[str, str]:
    """What the package root offers, by name: the clients, the sentinel, errors and models, and
    the types methods return (raw responses, pagers, accepted writes)."""
    exports = {"Client": "._client", "AsyncClient": "._client", "NotGiven": "._types", "NOT_GIVEN": "._types"}
    exports |= {"RawResponse": "._response", "SyncPager": "._pagination", "AsyncPager": "._pagination"}
    exports |= {"Accepted": "._waiting", "AsyncAccepted": "._waiting"}
    exports["__version__"] = "._version"
    exports |= {name: ".errors" for name in error_names(api)}
    exports |= {i.name: ".models" for i in api.model_exports if i.name is not None}
    return dict(sorted(exports.items()))


def root_imports(exports: dict[str, str]) -> list[str]:
    return import_lines((ir.Import(module, name) for name, module in exports.items()), "__init__")


def error_names(api: ir.Api) -> list[str]:
    bases = [
        "ApiConnectionError",
        "ApiError",
        "ApiResponseValidationError",
        "ApiStatusError",
        "ApiTimeoutError",
        "MissingCredentialsError",
        "OperationFailedError",
        "RequestValidationError",
        "UnexpectedStatusError",
        "WaitTimeoutError",
    ]
    return sorted(bases + [e.name for e in api.status_errors])
