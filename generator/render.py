"""Stage 5, render: the IR through the Jinja2 templates into the files of the package.

Contract: `render(api)` returns `{relative path: source}` for every file of the package, in
memory; nothing here touches the disk. Spec-specific files come from `templates/`; the runtime
(`generator/runtime/`) is copied verbatim. Every `.py` file starts with the same header.

Types become text in `filters` alone: `annotation()` turns a `TypeRef` into its annotation
(`imports.type_imports()` into the imports it needs), and `decode()` and `encode()` into the
expressions that read and write its JSON value. A module's imports are those the filters that
write its text record (see `imports`), printed where the template writes `{{ imports }}` once the
rest is written. The Jinja environment is strict (`StrictUndefined`), has no globals, and its only
filters are those `_environment` registers; every string from the document that lands in code
goes through `pystr` (a literal) or `docstring` (a docstring).
"""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import jinja2
import jinja2.bccache

from . import ir
from . import layout as lay
from .filters import (
    Use,
    alias,
    annotated,
    annotation,
    argument,
    assign,
    assignment,
    call,
    call_arguments,
    check_entry,
    collection,
    decode,
    decode_value,
    decoded,
    decoded_argument,
    decoder_fn,
    docstring,
    encode,
    encode_value,
    encoded,
    field,
    init_parameters,
    model_rule,
    payload,
    pystr,
    request_cookies,
    request_headers,
    request_parameters,
    request_path,
    request_query,
    rule,
    security,
    signature,
    slots,
    styles,
    tomlstr,
)
from .imports import ERRORS, NAMES, PUBLIC, Imports, import_lines, runtime_imports
from .layout import Call, Collection, Conditional, Return
from .paths import fingerprint, runtime_dir, template_dir, user_cache_dir
from .write import IGNORE_FILE

RUNTIME_FILES = (
    "_base_client.py",
    "_exceptions.py",
    "_lazy.py",
    "_pagination.py",
    "_response.py",
    "_retries.py",
    "_types.py",
    "_utils.py",
    "_validation.py",
    "_waiting.py",
)
GENERATOR_NAME = "clientgen"


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
    operations: dict[str, dict[str, Any]]  # digest -> an operation's parts of its resource module (`OperationText`)

    def joined(self, other: Rendered) -> Rendered:
        """This share of a package's files and `other`, another share of it (see `shares`)."""
        return Rendered(
            dict(sorted({**self.files, **other.files}.items())),
            {**self.digests, **other.digests},
            self.reused | other.reused,
            {**self.operations, **other.operations},
        )


def render(api: ir.Api, *, client_pyproject: bool = False) -> dict[str, str]:
    """Every file of the package `api.package`, by path relative to the package root; with
    `client_pyproject`, also a pyproject.toml that makes the folder installable on its own."""
    return render_reusing(api, None, client_pyproject=client_pyproject).files


@dataclass(frozen=True, slots=True)
class Share:
    """What one process renders of a package: the model modules named, and with `rest`, every
    other file. Each model module reads nothing but its own IR, so shares render apart."""

    models: frozenset[str]
    rest: bool


# What rendering costs, roughly, on this generator's templates (measured on OpenAI's, Stripe's and
# Twilio's documents): per field of a model (a model counts three, an enum's members an eighth
# each), and per operation, with the package's other files.
_SECONDS_PER_FIELD = 50e-6
_SECONDS_PER_OPERATION = 1.2e-3
SHARE_FROM = 0.2  # seconds of rendering: below this, a second process costs more than it saves
# The second process's part of the work: a little less than half, as it shares its core with the
# validation at first, and sends its files back (measured on OpenAI's document: 0.4 to 0.5 alike).
_SECOND_SHARE = 0.45


def shares(api: ir.Api) -> tuple[Share, Share] | None:
    """The package's rendering in two shares of about the same time (see `_SECOND_SHARE`): the
    first with every file but some model modules, the second with those; None if there is too
    little work to share."""
    weights = {module.name: _weight(module) for module in api.modules}
    operations = sum(len(group.operations) for group in api.groups)
    rest = operations * _SECONDS_PER_OPERATION
    total = sum(weights.values()) * _SECONDS_PER_FIELD + rest
    if total < SHARE_FROM:
        return None
    theirs: set[str] = set()
    load = 0.0
    for name in sorted(weights, key=lambda n: (-weights[n], n)):  # the largest first, then to fill in
        cost = weights[name] * _SECONDS_PER_FIELD
        if load + cost <= total * _SECOND_SHARE:
            theirs.add(name)
            load += cost
    mine = frozenset(weights) - theirs
    return Share(mine, True), Share(frozenset(theirs), False)


def _weight(module: ir.ModelModule) -> float:
    weight = 0.0
    for model in module.models:
        if isinstance(model, ir.ObjectModel):
            weight += 3 + len(model.fields)
        elif isinstance(model, ir.EnumModel):
            weight += 1 + len(model.members) / 8
        else:
            weight += 1
    return weight


def render_reusing(
    api: ir.Api,
    reuse: Reuse | None,
    *,
    client_pyproject: bool = False,
    operations: Mapping[str, object] | None = None,
    share: Share | None = None,
) -> Rendered:
    """`render`, but a model or resource module whose inputs have not changed since the last run
    (its IR, the modules of the models it names and the generator: see `_digest`) is taken as that
    run finished it; and in a resource module that changed, an operation's parts that the last
    run rendered from the same inputs (`operations`, by digest: see `OperationText`) are taken
    as that run rendered them. With `share`, only that share of the files (see `shares`).

    This holds because those templates read nothing but their subject and `shadowed`
    (`tests/test_write.py` checks a reusing run against a fresh one)."""
    env = _environment()
    ctx = Context(api, {m.name: module.name for module in api.modules for m in module.models})
    header = file_header(api)
    files: dict[str, str] = {}
    before = operations or {}

    digests: dict[str, str] = {}
    reused: set[str] = set()
    parts: dict[str, dict[str, Any]] = {}

    def emit(path: str, template: str, module: str, **subject: Any) -> None:
        files[path] = header + render_module(env.get_template(template), ctx, module, **subject)

    def taken(path: str, digest: str) -> bool:
        """Whether `path` is taken as the last run finished it (it rendered it from `digest`, and
        the file is still as written); its digest is recorded either way."""
        digests[path] = digest
        known = reuse(path, digest) if reuse is not None else None
        if known is not None:
            files[path] = known
            reused.add(path)
        return known is not None

    def emit_reusing(path: str, template: str, module: str, **subject: object) -> None:
        if not taken(path, _digest(header, template, module, subject, ctx.module_of)):
            emit(path, template, module, **subject)

    def emit_package(path: str, template: str, module: str, offered: list[ir.Import], **subject: object) -> None:
        """A package's `__init__` offering `offered`: taken from the last run when neither they
        nor the rest of its subject changed, else with its import table made (see
        `package_imports`: a large API's takes a tenth of a second) and rendered. Its template
        reads nothing but its subject."""
        if not taken(path, _digest(header, template, module, {**subject, "offered": tuple(offered)}, ctx.module_of)):
            emit(path, template, module, imports=package_imports(offered, module), **subject)

    def emit_resource(path: str, module: str, group: ir.Group, shadowed: frozenset[str]) -> None:
        """A resource module, from its operations' parts (see `OperationText`), each rendered
        unless the last run rendered it from the same digest."""
        keys = [
            _digest("", OPERATION_TEMPLATE, module, {"op": op, "shadowed": shadowed}, ctx.module_of)
            for op in group.operations
        ]
        outline = dataclasses.replace(group, operations=())
        subject = {"group": outline, "shadowed": shadowed, "operations": keys}
        if taken(path, _digest(header, "resource.py.jinja", module, subject, ctx.module_of)):
            for key in keys:  # kept for a later run, where they may be needed
                if OperationText.read(before.get(key)) is not None:
                    parts[key] = before[key]  # type: ignore[assignment]
            return
        texts = []
        for key, op in zip(keys, group.operations):
            text = OperationText.read(before.get(key))
            if text is None:
                text = render_operation(env, ctx, module, op, shadowed)
            parts[key] = text.record()
            texts.append(text)
        template = env.get_template("resource.py.jinja")
        files[path] = header + render_module(
            template, ctx, module, recorded=(t.imports for t in texts), group=group, shadowed=shadowed, operations=texts
        )

    rest = share is None or share.rest
    if rest:
        exports = root_exports(api)
        root = [ir.Import(module, name) for name, module in exports.items()]
        about = (
            api.title + (f" {api.version}" if api.version else "") + ": a typed Python client.\n\n" + (api.doc or "")
        )
        emit_package(
            "__init__.py", "package_init.py.jinja", "__init__", root, about=about.strip(), offers=tuple(exports)
        )
        emit("_version.py", "version.py.jinja", "_version")
        emit("_client.py", "client.py.jinja", "_client")
        emit("errors.py", "errors.py.jinja", "errors", bases=ERRORS)
        names = tuple(str(i.name) for i in api.model_exports)
        about = f"The models of the {api.title}: one class per schema, with `from_dict` and `to_dict`."
        emit_package(
            "models/__init__.py",
            "models_init.py.jinja",
            "models.__init__",
            list(api.model_exports),
            about=about,
            offers=names,
        )
    for model_module in api.modules:
        if share is None or model_module.name in share.models:
            name = f"models.{model_module.name}"
            emit_reusing(f"models/{model_module.name}.py", "model.py.jinja", name, file=model_module)
    if not rest:
        return Rendered(dict(sorted(files.items())), digests, frozenset(reused), parts)
    group_exports = [
        ir.Import(f".resources.{g.module}", name) for g in api.groups for name in (g.sync_class, g.async_class)
    ]
    names = tuple(name for g in api.resources for name in (g.sync_class, g.async_class))
    about = f"The operations of the {api.title}, grouped as the client exposes them."
    emit_package(
        "resources/__init__.py",
        "resources_init.py.jinja",
        "resources.__init__",
        group_exports,
        about=about,
        offers=names,
    )
    for group in api.groups:
        name = f"resources.{group.module}"
        shadowed = shadowed_builtins(group)
        emit_resource(f"resources/{group.module}.py", name, group, shadowed)
    for runtime_file in RUNTIME_FILES:
        files[runtime_file] = header + (runtime_dir() / runtime_file).read_text(encoding="utf-8")
    files["py.typed"] = ""
    files["README.md"] = env.get_template("README.md.jinja").render(api=api, installable=client_pyproject)
    if client_pyproject:
        template = env.get_template("client_pyproject.toml.jinja")
        files["pyproject.toml"] = template.render(
            api=api, distribution=api.package.replace("_", "-"), version=_pep440(api.version)
        )
    return Rendered(dict(sorted(files.items())), digests, frozenset(reused), parts)


IMPORTS = "\0imports\0"
"""What a template is given as `imports` (unless it is given the lines themselves): the place of
the import block, filled in once the rest of the module is written."""

_WRITTEN: dict[str, tuple[str, ...]] = {
    "model.py.jinja": ("annotations",),
    "resource.py.jinja": (
        "annotations", "Mapping", "cached_property", "httpx", "AsyncResource", "CallOptions", "Request",
        "SyncResource", "async_raw_response", "raw_response", "NOT_GIVEN", "NotGiven", "error_for_response",
    ),
    "client.py.jinja": (
        "annotations", "os", "Mapping", "httpx", "DEFAULT_TIMEOUT", "DEFAULT_MAX_RETRIES", "Auth", "SyncApiClient",
        "AsyncApiClient", "__version__",
    ),
    "errors.py.jinja": ("annotations", "Mapping", "httpx", "BodyDecoder", "status_error", *ERRORS),
}  # fmt: skip
"""The names each template's own lines write, whatever it is given (the rest it writes through
filters, which record them)."""


_LAZY = frozenset({"resource.py.jinja", "client.py.jinja"})
"""The templates of modules that import models and resources where they are used (see
`imports.Imports`): importing the client then costs the same whatever the size of the API."""


def render_module(
    template: jinja2.Template,
    ctx: Context,
    module: str,
    *,
    recorded: Iterable[Recorded] = (),
    **subject: Any,
) -> str:
    """A module's text: the template rendered, then its import block, of every name the rendering
    recorded (see `imports.Imports`), and of those `recorded` where its parts were rendered
    (see `OperationText`), put where the template writes `{{ imports }}`."""
    file = subject.get("file")
    deferred = template.name == "resource.py.jinja" or (
        isinstance(file, ir.ModelModule) and not any(isinstance(m, ir.AliasModel) for m in file.models)
    )
    names = Imports(
        ctx.module_of, _WRITTEN.get(template.name or "", ()), lazy=template.name in _LAZY, deferred=deferred
    )
    for found, typing in recorded:
        names.found.update(found)
        names.typing.update(typing)
    subject.setdefault("imports", IMPORTS)
    text = template.render(ctx=ctx, api=ctx.api, module=module, names=names, **subject)
    return text.replace(IMPORTS, "\n".join(names.lines(module)), 1)


OPERATION_TEMPLATE = "resource_operation.py.jinja"

Recorded = tuple[frozenset[ir.Import], frozenset[ir.Import]]
"""What rendering a part of a module recorded it imports: at run time, and for type checkers only."""


@dataclass(frozen=True, slots=True)
class OperationText:
    """What one operation writes in its resource module (the macros of `OPERATION_TEMPLATE`), and
    the imports they recorded. A resource module is these, operation by operation, in the
    outline of `resource.py.jinja`; kept in the regeneration cache by the digest of what renders
    them, so that a run where one operation changed renders that one alone."""

    functions: str
    wait: str
    sync: str
    async_: str
    raw_sync: str
    raw_async: str
    imports: Recorded

    def record(self) -> dict[str, Any]:
        """As the cache keeps it: plain JSON data, the imports sorted."""
        found, typing = self.imports
        return {
            **{name: getattr(self, name) for name in _OPERATION_TEXTS},
            "found": _sorted_imports(found),
            "typing": _sorted_imports(typing),
        }

    @classmethod
    def read(cls, record: object) -> OperationText | None:
        """An `OperationText` from the cache's `record` of it, or None if it is not one."""
        if not isinstance(record, dict) or not all(isinstance(record.get(name), str) for name in _OPERATION_TEXTS):
            return None
        imports = [_imports(record.get(kind)) for kind in ("found", "typing")]
        if imports[0] is None or imports[1] is None:
            return None
        texts = [record[name] for name in _OPERATION_TEXTS]
        return cls(texts[0], texts[1], texts[2], texts[3], texts[4], texts[5], (imports[0], imports[1]))


_OPERATION_TEXTS = ("functions", "wait", "sync", "async_", "raw_sync", "raw_async")


def _sorted_imports(imports: frozenset[ir.Import]) -> list[list[str | None]]:
    return [[i.module, i.name] for i in sorted(imports, key=lambda i: (i.module, i.name or ""))]


def _imports(value: object) -> frozenset[ir.Import] | None:
    if not isinstance(value, list):
        return None
    found = set()
    for entry in value:
        if (
            not isinstance(entry, list)
            or len(entry) != 2
            or not isinstance(entry[0], str)
            or not (entry[1] is None or isinstance(entry[1], str))
        ):
            return None
        found.add(ir.Import(entry[0], entry[1]))
    return frozenset(found)


def render_operation(
    env: jinja2.Environment, ctx: Context, module: str, op: ir.Operation, shadowed: frozenset[str]
) -> OperationText:
    """An operation's parts of its resource module `module`, each a macro of `OPERATION_TEMPLATE`
    that reads the operation, `shadowed` and the module alone."""
    names = Imports(ctx.module_of, (), lazy=True, deferred=True)
    # The template as a module, whose macros are its attributes; it is given nothing else to read.
    macros: Any = env.get_template(OPERATION_TEMPLATE).make_module(
        {"module": module, "names": names, "shadowed": shadowed}
    )
    functions = str(macros.functions(op))
    wait = str(macros.wait_spec(op)) if op.wait else ""
    sync, async_ = str(macros.methods(op, "sync")), str(macros.methods(op, "async"))
    raw_sync, raw_async = str(macros.raw_methods(op, "raw_response")), str(macros.raw_methods(op, "async_raw_response"))
    # What the methods use at run time outside a function's local imports is imported with the module.
    imports = (frozenset(names.found | names.pending), frozenset(names.typing))
    return OperationText(functions, wait, sync, async_, raw_sync, raw_async, imports)


_MODEL_NAMED = re.compile(r"(?:Ref\(name|model)='(\w+)'")  # no \b: it makes the scan five times slower


def _digest(header: str, template: str, module: str, subject: dict[str, object], module_of: dict[str, str]) -> str:
    """What a module's text depends on: the generator (code, templates, runtime), the header, the
    template's inputs, whose frozen IR has a deterministic `repr`, and the modules of the models
    they name, which the module imports from."""
    values = {k: tuple(sorted(v)) if isinstance(v, frozenset) else v for k, v in subject.items()}
    parts = [fingerprint(), header, template, module] + [f"{k}={v!r}" for k, v in sorted(values.items())]
    named = sorted(set(_MODEL_NAMED.findall("".join(parts))))
    parts += [f"{name}@{module_of.get(name)}" for name in named]
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


class _TemplateCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs in the user's cache folder (compiling them is most of
    a small document's render stage), each keyed by its name and checked against the SHA-1 of its
    source. The cache is a convenience: a folder that cannot be made, read or written is left out,
    and a run is what it would be without it."""

    def __init__(self) -> None:
        folder = user_cache_dir() / f"templates-jinja{jinja2.__version__}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError:
            self.usable = False
        else:
            self.usable = os.access(folder, os.W_OK)
        super().__init__(str(folder))

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # noqa: BLE001 - unreadable or damaged (pickle, marshal): compiled afresh
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


def _environment() -> jinja2.Environment:
    cache = _TemplateCache()
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(template_dir()),
        bytecode_cache=cache if cache.usable else None,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        autoescape=False,
    )
    env.filters.update(pystr=pystr, docstring=docstring, tomlstr=tomlstr, unalias=ir.unalias)
    # What writes a name from elsewhere records its import in the module's `names` (see `imports`).
    env.filters.update(use=_use, poll_function=_poll_function, group_class=_group_class)
    env.filters.update(group_annotation=_group_annotation, local_imports=_local_imports)
    env.filters.update(operation_attributes=operation_attributes, lazy_class=_lazy_class)
    env.filters.update(annotation=_annotating("field"))
    env.filters.update(argument_annotation=_annotating("argument"), result_annotation=_annotating("result"))
    env.filters.update({f.__name__: _recording(f) for f in (decode, encode, decoded, encoded, decoder_fn)})
    env.filters.update(decode_value=_recording(decode_value), encode_value=_recording(encode_value))
    # Layout: `{{ construct | layout(8) }}` writes a construct at indent 8 as black would (a plain
    # line of code is split as black splits a line ending in a bracket); the filters below build
    # the constructs.
    env.filters["layout"] = lay.layout
    env.filters.update({f.__name__: _recording(f) for f in (rule, argument, field, check_entry, payload)})
    env.filters.update(init_parameters=_recording(init_parameters), model_rule=_recording(model_rule), slots=slots)
    env.filters.update({f.__name__: _recording(f) for f in (request_path, request_query, request_headers)})
    env.filters.update(request_cookies=_recording(request_cookies), request_parameters=_recording(request_parameters))
    env.filters.update(conditional=Conditional, call=call, collection=collection, signature=signature, assign=assign)
    env.filters.update(call_arguments=call_arguments, styles=styles, security=security, assignment=assignment)
    env.filters.update(alias=alias, decoded_argument=_recording(decoded_argument))
    env.filters.update(annotated=annotated, returned=Return, returns=lay.returns)
    return env


@jinja2.pass_context
def _use(context: jinja2.runtime.Context, name: str) -> str:
    """`{{ "format_path" | use }}`: a name the template writes, one of `imports.NAMES`, recorded."""
    names: Imports = context["names"]
    return names.use(name)


@jinja2.pass_context
def _poll_function(context: jinja2.runtime.Context, name: str, module: str) -> str:
    """The function of the resources module `module` that reads an accepted write's result, recorded."""
    names: Imports = context["names"]
    return names.resource(name, module)


@jinja2.pass_context
def _group_class(context: jinja2.runtime.Context, group: ir.Group, kind: str, local: bool = False) -> str:
    """The sync or async class of a group of operations, recorded (`local`: imported by the
    function that uses it, see `_local_imports`)."""
    names: Imports = context["names"]
    return names.resource(group.sync_class if kind == "sync" else group.async_class, group.module, local)


@jinja2.pass_context
def _group_annotation(context: jinja2.runtime.Context, group: ir.Group, kind: str) -> str:
    """The sync or async class of a group of operations in an annotation, recorded."""
    names: Imports = context["names"]
    name = group.sync_class if kind == "sync" else group.async_class
    names.add_annotation([ir.Import(f".resources.{group.module}", name)])
    return name


def operation_attributes(group: ir.Group) -> Collection:
    """What a group's class offers: its methods (a paginated one's page method too), and
    `with_raw_response`."""
    names = ["with_raw_response"]
    for op in group.operations:
        names += [op.name, op.pagination.page_method] if op.pagination else [op.name]
    return Collection("(", tuple(map(pystr, names)), ")")


@jinja2.pass_context
def _lazy_class(context: jinja2.runtime.Context, group: ir.Group, kind: str) -> Call:
    """A stand-in for the sync or async class of the group, whose module is imported when one of
    its `_OPERATIONS` is first used (see the runtime's `lazy_class`)."""
    names: Imports = context["names"]
    name = group.sync_class if kind == "sync" else group.async_class
    module = pystr(f".resources.{group.module}")
    return Call(names.use("lazy_class"), (module, "__package__", pystr(name), "_OPERATIONS"))


@jinja2.pass_context
def _local_imports(context: jinja2.runtime.Context, body: str, indent: int) -> str:
    """`{% filter local_imports(4) %}` around a function's body: the body, after the imports of
    what it uses at run time that its module does not import (see `imports.Imports.local`)."""
    names: Imports = context["names"]
    lines = names.local(context["module"], indent)
    return "\n".join(lines) + "\n\n" + body if lines else body


def _annotating(use: Use) -> Callable[..., str]:
    """`annotation` at `use`, as a filter recording what it names."""

    @jinja2.pass_context
    def filter(context: jinja2.runtime.Context, t: ir.TypeRef, shadowed: frozenset[str] = frozenset()) -> str:
        names: Imports = context["names"]
        names.annotation(t, use, shadowed)
        return annotation(t, shadowed, use)

    return filter


def _recording(function: Callable[..., Any]) -> Callable[..., Any]:
    """`function`, which takes the `names` it records what it writes in, as a filter."""

    @jinja2.pass_context
    def filter(context: jinja2.runtime.Context, *args: Any, **kwargs: Any) -> Any:
        return function(*args, names=context["names"], **kwargs)

    return filter


_BUILTIN_TYPES = frozenset({"list", "dict", "str", "int", "float", "bool", "bytes"})


def shadowed_builtins(group: ir.Group) -> frozenset[str]:
    """Builtin types that a method of the group's classes shadows in the class body, where an
    annotation must write them `builtins.list`."""
    return frozenset(op.name for op in group.operations) & _BUILTIN_TYPES


def root_exports(api: ir.Api) -> dict[str, str]:
    """What the package root offers, by name: the clients, the sentinel, errors and models, and
    the types methods return (raw responses, pagers, accepted writes)."""
    exports = {"Client": "._client", "AsyncClient": "._client", "__version__": "._version"}
    exports |= {name: NAMES[name].module for name in PUBLIC}
    exports |= {name: ".errors" for name in (*ERRORS, *(e.name for e in api.status_errors))}
    exports |= {i.name: ".models" for i in api.model_exports if i.name is not None}
    return dict(sorted(exports.items()))


@dataclass(frozen=True, slots=True)
class PackageImports:
    """What a package's `__init__` offers: the import lines type checkers read (`lines`), and
    the table its `__getattr__` imports each name by when first used (`table`)."""

    lines: list[str]
    table: Call


def package_imports(imports: Iterable[ir.Import], module: str) -> PackageImports:
    """The names `imports` brings, offered by the package whose `__init__` is `module`."""
    imports = list(imports)
    lines = ["    " + line if line else line for line in import_lines(imports, module, 4)]
    return PackageImports(lines, runtime_imports("lazy_exports", imports, module))
