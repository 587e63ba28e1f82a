"""The intermediate representation: plain frozen data between the document and the templates.

Version-blind by design: nothing here knows about `$ref`, `components`, `nullable`, or whether the
document was OpenAPI 3.0 or 3.1; the builder has decided all of that. Every name is already the
final Python name. Collections are tuples, in document order unless stated otherwise.

Types are a small family (`TypeRef`); each variant's `kind` names the template macros that decode
and encode it, and `filters.annotation()` turns one into its annotation and imports. `plain` says
its JSON value is already the Python value (no coding); `decodes_to_any` that the decoded value is
typed `Any` (JSON as it came, or a union helper's result), so code returning it must annotate it.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import ClassVar, Literal, TypeAlias


@dataclass(frozen=True, slots=True, order=True)
class Import:
    """`from <module> import <name>`, or `import <module>` when `name` is None.

    A module starting with "." is inside the generated package, written from its root
    (".models.pet"); the renderer makes it relative to the importing file.
    """

    module: str
    name: str | None = None


# -- types ----------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Primitive:
    """A JSON scalar, possibly carried as a richer Python type (a row of `types.PRIMITIVES`)."""

    kind: ClassVar[str] = "primitive"
    annotation: str
    imports: tuple[Import, ...] = ()  # what the annotation needs
    decoder: str | None = None  # a function applied to the JSON value, e.g. "parse_datetime"
    encoder: str | None = None  # a function giving back the JSON value, e.g. "format_datetime"
    codec_imports: tuple[Import, ...] = ()  # what the decoder and encoder need

    @property
    def plain(self) -> bool:
        return self.decoder is None and self.encoder is None

    @property
    def decodes_to_any(self) -> bool:
        """Whether decoding yields an `Any` that must be annotated to be typed (see `TypeRef`)."""
        return self.decoder is None

    children: ClassVar[tuple[()]] = ()


@dataclass(frozen=True, slots=True)
class ModelRef:
    """A generated dataclass with `from_dict`/`to_dict`."""

    kind: ClassVar[str] = "model"
    name: str
    plain: ClassVar[bool] = False
    decodes_to_any: ClassVar[bool] = False
    children: ClassVar[tuple[()]] = ()


@dataclass(frozen=True, slots=True)
class EnumRef:
    """A generated open enum (unknown values are kept, not rejected). `values` names the
    `Literal` alias of its values, which the caller may give in place of a member."""

    kind: ClassVar[str] = "enum"
    name: str
    values: str
    plain: ClassVar[bool] = False
    decodes_to_any: ClassVar[bool] = False
    children: ClassVar[tuple[()]] = ()


@dataclass(frozen=True, slots=True)
class AliasRef:
    """A generated type alias (`Tags = dict[str, str]`), coded as its target."""

    kind: ClassVar[str] = "alias"
    name: str
    target: TypeRef

    @property
    def plain(self) -> bool:
        return self.target.plain

    @property
    def decodes_to_any(self) -> bool:
        return self.target.decodes_to_any

    @property
    def children(self) -> tuple[TypeRef, ...]:
        return (self.target,)


@dataclass(frozen=True, slots=True)
class RecursiveRef:
    """A type alias that refers to itself through no class (`Tree = list[Tree]`): written as a
    string alias, and coded by the functions generated beside it."""

    kind: ClassVar[str] = "recursive"
    name: str
    plain: ClassVar[bool] = False
    decodes_to_any: ClassVar[bool] = False
    children: ClassVar[tuple[()]] = ()

    @property
    def decoder(self) -> str:
        return f"decode_{_snake(self.name)}"

    @property
    def encoder(self) -> str:
        return f"encode_{_snake(self.name)}"


def _snake(name: str) -> str:
    return "".join(f"_{c.lower()}" if c.isupper() else c for c in name).lstrip("_")


@dataclass(frozen=True, slots=True)
class ListOf:
    kind: ClassVar[str] = "list"
    item: TypeRef

    @property
    def plain(self) -> bool:
        return self.item.plain

    @property
    def decodes_to_any(self) -> bool:
        return self.plain

    @property
    def children(self) -> tuple[TypeRef, ...]:
        return (self.item,)


@dataclass(frozen=True, slots=True)
class MapOf:
    """A JSON object used as a map from string keys to `value`."""

    kind: ClassVar[str] = "map"
    value: TypeRef

    @property
    def plain(self) -> bool:
        return self.value.plain

    @property
    def decodes_to_any(self) -> bool:
        return self.plain

    @property
    def children(self) -> tuple[TypeRef, ...]:
        return (self.value,)


@dataclass(frozen=True, slots=True)
class Nullable:
    kind: ClassVar[str] = "nullable"
    inner: TypeRef

    @property
    def plain(self) -> bool:
        return self.inner.plain

    @property
    def decodes_to_any(self) -> bool:
        return self.inner.decodes_to_any

    @property
    def children(self) -> tuple[TypeRef, ...]:
        return (self.inner,)


@dataclass(frozen=True, slots=True)
class UnionOf:
    """`oneOf`/`anyOf`: decoded by discriminator when there is one, else by trying each member."""

    kind: ClassVar[str] = "union"
    members: tuple[TypeRef, ...]
    discriminator: Discriminator | None = None

    @property
    def plain(self) -> bool:
        return all(m.plain for m in self.members)

    decodes_to_any: ClassVar[bool] = True  # decoded by a runtime helper that returns Any

    @property
    def children(self) -> tuple[TypeRef, ...]:
        return self.members


@dataclass(frozen=True, slots=True)
class Discriminator:
    property: str  # the wire name of the tag property
    mapping: tuple[tuple[str, ModelRef], ...]  # tag value -> member


@dataclass(frozen=True, slots=True)
class LiteralOf:
    """A `const` (or single-valued enum) value."""

    kind: ClassVar[str] = "literal"
    value: str | int | float | bool | None
    plain: ClassVar[bool] = True
    decodes_to_any: ClassVar[bool] = True
    children: ClassVar[tuple[()]] = ()


TypeRef: TypeAlias = (
    Primitive | ModelRef | EnumRef | AliasRef | RecursiveRef | ListOf | MapOf | Nullable | UnionOf | LiteralOf
)


def unalias(t: TypeRef) -> TypeRef:
    """The type an alias stands for (through aliases of aliases); any other type as it is."""
    while isinstance(t, AliasRef):
        t = t.target
    return t


def admits_null(t: TypeRef) -> bool:
    """Whether `t` is nullable, itself or as the alias of a nullable type."""
    return isinstance(unalias(t), Nullable)


def walk(t: TypeRef, *, into_aliases: bool) -> Iterator[TypeRef]:
    """`t` and every type nested in it; an alias's target only with `into_aliases`."""
    stack = [t]
    while stack:
        current = stack.pop()
        yield current
        if into_aliases or not isinstance(current, AliasRef):
            stack.extend(current.children)


# -- constraints ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Check:
    """The constraints a request value must meet before it is sent (JSON Schema validation
    keywords). `model` names an object model whose own check applies (recursion goes through
    it); `properties` are declared properties, `values` the others, `keys` their names; `any_of`
    the checks of a union's members, one of which the value must meet. `array`, set only on an
    argument's checks, says the value must be an array: its annotation (`SequenceNotStr`) keeps
    a string out for a type checker, and this keeps it out for the others."""

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
    enum: tuple[str | int | float | bool, ...] | None = None
    required: tuple[str, ...] = ()
    properties: tuple[tuple[str, Check], ...] = ()
    items: Check | None = None
    values: Check | None = None
    keys: Check | None = None
    model: str | None = None
    any_of: tuple[Check, ...] = ()  # a union's members: the value must meet one of them
    exactly_one: bool = False  # ... and no more than one (a oneOf of required names)
    not_together: tuple[str, ...] = ()  # names that may not all be there (`not: {required: [...]}`)

    SCALARS: ClassVar[tuple[str, ...]] = (
        "array", "max_length", "min_length", "pattern", "minimum", "maximum", "exclusive_minimum",
        "exclusive_maximum", "multiple_of", "max_items", "min_items", "unique_items", "max_properties",
        "min_properties", "exactly_one",
    )  # fmt: skip

    @property
    def keywords(self) -> tuple[tuple[str, object], ...]:
        """The scalar constraints that are set, as (name, value) (a bound of 0 is set)."""
        return tuple((n, v) for n in self.SCALARS if (v := getattr(self, n)) is not None and v is not False)


# -- models ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Field:
    """One property of an object model."""

    name: str  # Python attribute
    wire: str  # JSON property name
    type: TypeRef
    required: bool
    doc: str | None = None
    read_only: bool = False
    write_only: bool = False

    @property
    def null_guard(self) -> bool:
        """Whether decoding must let a `null` through although the schema does not allow one:
        servers send `null` for optional fields they have no value for, and the client reads it
        as None rather than failing."""
        return not self.required and not self.type.plain and not admits_null(self.type)


@dataclass(frozen=True, slots=True)
class ObjectModel:
    """A model class for an object schema; `extra` types the unknown properties it keeps (None: drops)."""

    kind: ClassVar[str] = "object"
    name: str
    doc: str | None
    fields: tuple[Field, ...]
    extra: TypeRef | None
    extra_name: str = "additional_properties"
    check: Check = Check()  # what a request must meet when it sends this model

    @property
    def optional_fields(self) -> tuple[Field, ...]:
        return tuple(f for f in self.fields if not f.required)


@dataclass(frozen=True, slots=True)
class EnumMember:
    name: str
    value: str | int


@dataclass(frozen=True, slots=True)
class EnumModel:
    """An open enum class, and beside it `values`, the alias of its values as a `Literal`."""

    kind: ClassVar[str] = "enum"
    name: str
    doc: str | None
    base: Literal["str", "int"]
    members: tuple[EnumMember, ...]
    values: str

    @property
    def base_class(self) -> str:
        return "OpenStrEnum" if self.base == "str" else "OpenIntEnum"


@dataclass(frozen=True, slots=True)
class AliasModel:
    kind: ClassVar[str] = "alias"
    name: str
    doc: str | None
    target: TypeRef
    recursive: RecursiveRef | None = None  # set when the alias refers to itself

    @property
    def deferred(self) -> bool:
        """Whether the alias must be written as a string: it takes part in a recursion, so a
        name in it may not be defined yet when the module runs."""
        return self.recursive is not None or any(
            isinstance(t, RecursiveRef) for t in walk(self.target, into_aliases=True)
        )


Model: TypeAlias = ObjectModel | EnumModel | AliasModel


@dataclass(frozen=True, slots=True)
class ModelModule:
    """One file of `models/`: a model, or models that refer to each other in a cycle."""

    name: str
    models: tuple[Model, ...]

    @property
    def exports(self) -> tuple[str, ...]:
        """The public names the module defines: its models, and each enum's values alias."""
        return tuple(n for m in self.models for n in ((m.name, m.values) if isinstance(m, EnumModel) else (m.name,)))


# -- operations -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Parameter:
    """A method argument: a path/query/header/cookie parameter or a field of an object body."""

    name: str  # Python argument
    wire: str  # name on the wire
    location: Literal["path", "query", "header", "cookie", "body"]
    type: TypeRef
    required: bool
    doc: str | None = None
    style: str = "form"  # or "json": a `content` parameter of a JSON media type, sent as JSON text
    explode: bool = True
    allow_reserved: bool = False  # a query value's reserved characters go unencoded (OAS 3.1.1 §4.8.12.1)
    attr: str | None = None  # for a body field: the attribute of the body model it sets
    check: Check | None = None  # constraints checked before sending (None: nothing to check)

    @property
    def widened(self) -> bool:
        """Whether the argument is annotated wider than a field of its type: an array or map in
        its type (not inside an alias) is a `SequenceNotStr` or `Mapping` here, a `list` or
        `dict` there (see `filters.annotation`). A body field's argument is then made one
        (`as_field`) before it fills the body model."""
        return any(isinstance(t, (ListOf, MapOf)) for t in walk(self.type, into_aliases=False))


@dataclass(frozen=True, slots=True)
class PartEncoding:
    """How one property of a form or multipart body is written: an Encoding Object (OAS 3.1.1
    §4.8.15). A `style` and `explode`, as a query parameter's ("json": its JSON text, for a
    JSON `contentType` in a form); a multipart property's parts' `content_type`."""

    wire: str
    style: str | None = None
    explode: bool = False
    content_type: str | None = None


@dataclass(frozen=True, slots=True)
class RequestBody:
    """How the request body is sent.

    `model` set: the method takes the model's fields as keyword arguments and sends
    `model(...).to_dict()`. Otherwise the method takes one argument, `argument`, of `type`.
    """

    media_type: str
    encoding: Literal["json", "form", "multipart", "binary", "text"]
    required: bool
    model: ModelRef | None
    argument: Parameter | None
    parts: tuple[PartEncoding, ...] = ()  # the media type's `encoding`, by property

    @property
    def styled(self) -> tuple[PartEncoding, ...]:
        """Properties written in a style of their own (or, in a form, as JSON text)."""
        return tuple(p for p in self.parts if p.style is not None)

    @property
    def part_types(self) -> tuple[PartEncoding, ...]:
        """Multipart properties whose parts carry a Content-Type of the document's choosing."""
        return tuple(p for p in self.parts if p.content_type is not None)

    @property
    def takes_extra_body(self) -> bool:
        """Whether the caller's `extra_body` can be merged into it: an object (a model, or a map),
        sent as JSON or form fields. An array, bytes or text have no entries to merge into."""
        if self.encoding not in ("json", "form", "multipart"):
            return False
        if self.model is not None:
            return True
        argument = unalias(self.argument.type) if self.argument is not None else None
        if isinstance(argument, Nullable):
            argument = unalias(argument.inner)
        return isinstance(argument, MapOf)


@dataclass(frozen=True, slots=True)
class Response:
    """A documented response: `status` is a code ("202") or "default"; `type` None means no body."""

    status: str
    encoding: Literal["json", "text", "binary", "none"]
    type: TypeRef | None
    doc: str | None = None
    media_type: str | None = None  # the media type read, as the document names it; None: no body

    @property
    def key(self) -> int | str:
        """How the error-body decoders are keyed: the code, or "4XX" / "default"."""
        return int(self.status) if self.status.isdigit() else self.status.upper() if self.status_class else self.status

    @property
    def status_class(self) -> int | None:
        """For a range such as "2XX", its first digit; None for a single code or "default"."""
        return int(self.status[0]) if len(self.status) == 3 and self.status[1:].upper() == "XX" else None


@dataclass(frozen=True, slots=True)
class Pagination:
    """Cursor pagination: the method returns a pager that calls `page_method` page after page."""

    page_method: str  # the method that reads one page
    cursor: Parameter  # the argument that takes the cursor
    items: tuple[str, ...]  # attribute path from a page to its list of items
    next_cursor: tuple[str, ...]  # attribute path from a page to the next cursor
    item: TypeRef


@dataclass(frozen=True, slots=True)
class Wait:
    """An accepted (202) answer that can be waited on (`x-clientgen-wait`): where its location is,
    which operation's response function reads it, and the states of the result."""

    body: TypeRef | None  # the 202 answer's body
    location_header: str | None  # the header holding the location, or None: it is in the body
    location_path: tuple[str, ...]  # attribute path to the location in the body
    poll_function: str  # the response function of the operation that reads the location
    poll_module: str  # ... and the resources module it lives in
    poll_security: tuple[tuple[str, ...], ...]
    result: TypeRef
    state_path: tuple[str, ...]  # attribute path to the state in the result; () for none
    pending: tuple[str, ...]
    failed: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Operation:
    name: str  # Python method name, and the stem of its module-level `_<name>_request`/`_response` functions
    method: str  # HTTP method, upper case
    path: str  # the path template as in the document
    doc: str | None
    deprecated: bool
    path_params: tuple[Parameter, ...]
    query_params: tuple[Parameter, ...]
    header_params: tuple[Parameter, ...]
    cookie_params: tuple[Parameter, ...]
    body: RequestBody | None
    body_fields: tuple[Parameter, ...]  # the keyword arguments an object body is built from
    successes: tuple[Response, ...]
    errors: tuple[Response, ...]  # every documented response that is not a success
    security: tuple[tuple[str, ...], ...]  # alternatives, each a set of scheme keys; () means none
    returns: TypeRef | None
    pagination: Pagination | None = None
    wait: Wait | None = None
    server: str | None = None  # its own base URL (path- or operation-level servers), or a path below base_url

    @property
    def accept(self) -> str | None:
        """The `Accept` header: the media types the documented answers are read in, successes
        first; None when that is JSON alone, the client's default."""
        types = dict.fromkeys(r.media_type for r in (*self.successes, *self.errors) if r.media_type)
        return None if not types or list(types) == ["application/json"] else ", ".join(types)

    @property
    def query_styles(self) -> tuple[Parameter, ...]:
        """Query parameters written in a style other than `form`, explode."""
        return tuple(p for p in self.query_params if p.style != "form" or not p.explode)

    @property
    def query_reserved(self) -> tuple[Parameter, ...]:
        """Query parameters whose values may hold reserved characters unencoded (`allowReserved`)."""
        return tuple(p for p in self.query_params if p.allow_reserved)

    @property
    def header_styles(self) -> tuple[Parameter, ...]:
        """Header parameters exploded (`simple` style, explode: objects as `key=value`), or
        sent as JSON text (`content`)."""
        return tuple(p for p in self.header_params if p.explode or p.style != "simple")

    @property
    def cookie_styles(self) -> tuple[Parameter, ...]:
        """Cookie parameters not exploded (`form` style, explode false: one joined cookie)."""
        return tuple(p for p in self.cookie_params if not p.explode)

    @property
    def path_styles(self) -> tuple[Parameter, ...]:
        """Path parameters written in a style other than `simple` (label, matrix)."""
        return tuple(p for p in self.path_params if p.style != "simple" or p.explode)

    @property
    def success_results(self) -> tuple[tuple[Response, str | None], ...]:
        """Each success with the variable its response function annotates a JSON body read as
        `Any` in (None: the body is returned as decoded). Each such variable has its own name,
        `result` then `result_<status>`: mypy refuses a name annotated twice in one function,
        even in branches that cannot both run."""
        named: list[tuple[Response, str | None]] = []
        for r in self.successes:
            annotated = r.encoding == "json" and r.type is not None and r.type.decodes_to_any
            taken = any(name for _, name in named)
            named.append((r, (f"result_{r.status.lower()}" if taken else "result") if annotated else None))
        return tuple(named)

    @property
    def typed_errors(self) -> tuple[Response, ...]:
        """Error responses whose body has a schema (the others decode as JSON, else text)."""
        return tuple(
            r for r in self.errors if r.encoding == "json" and r.type is not None and r.type.kind != "primitive"
        )

    @property
    def shared_error_type(self) -> TypeRef | None:
        """The body type of every typed error response, when they all share one."""
        types = {r.type for r in self.typed_errors}
        return self.typed_errors[0].type if len(types) == 1 else None

    @property
    def arguments(self) -> tuple[Parameter, ...]:
        """Keyword-only arguments in signature order: required ones first, then optional ones."""
        rest = (*self.body_args, *self.query_params, *self.header_params, *self.cookie_params)
        return tuple(p for p in rest if p.required) + tuple(p for p in rest if not p.required)

    @property
    def checked_params(self) -> tuple[Parameter, ...]:
        """Arguments with constraints to check before sending, in signature order; an object
        body is checked as a whole, by its model's rule."""
        return tuple(p for p in (*self.path_params, *self.arguments) if p.check is not None and p.attr is None)

    @property
    def checked_fields(self) -> tuple[Parameter, ...]:
        """Body fields to check before the body model is built from them: those that must be
        arrays (their other constraints are the model's), since a string given for one would
        be taken apart, or fail, as the model encodes it, and unions with a model member, whose
        instance is checked as that member only while it is one."""
        return tuple(p for p in self.arguments if p.check is not None and p.attr is not None)

    @property
    def validates(self) -> bool:
        """Whether the request function checks anything before building the request."""
        return bool(self.checked_params) or (self.body is not None and self.body.model is not None)

    @property
    def takes_extra_body(self) -> bool:
        """Whether the method takes `extra_body`, entries merged into its request body."""
        return self.body is not None and self.body.takes_extra_body

    @property
    def body_args(self) -> tuple[Parameter, ...]:
        if self.body is not None and self.body.argument is not None:
            return (self.body.argument,)
        return self.body_fields


@dataclass(frozen=True, slots=True)
class Group:
    """A resource of the client (`client.sender_pools`), or the client itself when `attr` is None."""

    attr: str | None
    sync_class: str
    async_class: str
    sync_raw_class: str
    async_raw_class: str
    module: str
    doc: str | None
    operations: tuple[Operation, ...]


# -- the API --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Credential:
    """A client constructor argument, read from `env` when not passed."""

    name: str
    env: str | None
    doc: str


@dataclass(frozen=True, slots=True)
class SecurityScheme:
    key: str  # the name in components.securitySchemes
    kind: Literal["basic", "bearer", "api_key"]
    credentials: tuple[Credential, ...]  # basic: (username, password); others: (token,)
    location: Literal["header", "query", "cookie"] = "header"
    param: str = "Authorization"  # header/query/cookie name for api_key
    prefix: str = ""  # prepended to an api_key value

    @property
    def how_to_give(self) -> str:
        """Both ways to give this scheme's credentials, for the missing-credentials error."""
        names = " and ".join(c.name for c in self.credentials)
        envs = " and ".join(c.env for c in self.credentials if c.env)
        return f"pass {names} to the client" + (f" (or set {envs})" if envs else "")


@dataclass(frozen=True, slots=True)
class StatusError:
    """An error class for a documented HTTP status, named from its reason phrase."""

    status: int
    name: str
    phrase: str


@dataclass(frozen=True, slots=True)
class Api:
    package: str
    title: str
    version: str
    doc: str | None
    base_url: str | None
    source_name: str
    source_sha256: str
    modules: tuple[ModelModule, ...]
    groups: tuple[Group, ...]
    security: tuple[SecurityScheme, ...]
    mutual_tls: tuple[str, ...]  # the `mutualTLS` schemes, met by the transport's client certificate
    # `http` schemes the client leaves to the caller's `httpx.Auth` (digest, signature, ...): key, scheme
    http_auth: tuple[tuple[str, str], ...]
    status_errors: tuple[StatusError, ...]  # by status

    @property
    def models(self) -> tuple[Model, ...]:
        return tuple(m for module in self.modules for m in module.models)

    @property
    def model_exports(self) -> tuple[Import, ...]:
        """Every public name of `models/`, from its module, sorted by name regardless of case."""
        found = (Import(f".models.{module.name}", name) for module in self.modules for name in module.exports)
        return tuple(sorted(found, key=lambda i: (i.name or "").lower()))

    @property
    def base_url_env(self) -> str:
        """The environment variable that overrides the base URL."""
        return f"{self.package.upper()}_BASE_URL"

    @property
    def credentials(self) -> tuple[Credential, ...]:
        seen: dict[str, Credential] = {}
        for scheme in self.security:
            for credential in scheme.credentials:
                seen.setdefault(credential.name, credential)
        return tuple(seen.values())

    @property
    def takes_arrays_or_maps(self) -> bool:
        """Whether a method takes an array or a map, annotated wider than a field (see `Parameter.widened`)."""
        return any(p.widened for g in self.groups for op in g.operations for p in (*op.path_params, *op.arguments))

    @property
    def first_enum(self) -> EnumModel | None:
        """The first enum of the document, to show how its members and values are given."""
        return next((m for m in self.models if isinstance(m, EnumModel)), None)

    def first_operation(self, feature: str) -> tuple[Group, Operation] | None:
        """The first operation (with its group) that has `feature` ("pagination" or "wait")."""
        return next(((g, op) for g in self.groups for op in g.operations if getattr(op, feature) is not None), None)

    @property
    def resources(self) -> tuple[Group, ...]:
        return tuple(g for g in self.groups if g.attr is not None)

    @property
    def root(self) -> Group | None:
        return next((g for g in self.groups if g.attr is None), None)
