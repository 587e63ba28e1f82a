"""Stage 4, build: read the validated, resolvable document into the frozen IR (`ir.Api`).

Contract: `build_api(document, resolver, package)` returns an `ir.Api` and a warning for each thing
it skipped, ignored or typed as `Any` because the document has it in a shape or of a kind the client
cannot use (a parameter `in: body`, `type: strng`, an extension of the wrong shape), each at the
JSON pointer where it is written (`file#/pointer` in another file the document refers to), saying
what was done and why. With `--lenient` the builder reads documents validation refused, so it reads
every field defensively.

One builder per OpenAPI object, each named after the object it reads. Everything version- or
syntax-specific (`$ref`, `nullable` vs type arrays, `allOf` merging, path-level parameters, global
security) is decided here; templates see none of it. Names are claimed as objects are met, in
document order (see `naming`).
"""

from __future__ import annotations

import dataclasses
import http
import json
import re
import urllib.parse
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from .. import ir
from ..diagnostics import Diagnostic, Level, pointer, pointer_parts
from ..load import Document
from ..naming import Scope, attr_name, class_name, constant_name, method_name, module_name, pascal
from ..resolve import Resolver, mapping_target
from ..types import ANY, NEVER, primitive

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
_PATH_ITEM_FIELDS = frozenset({"$ref", "summary", "description", "servers", "parameters"})
BYTES = ir.Primitive("bytes")
TEXT = ir.Primitive("str")

# Names the generated package defines at its root or in every models module.
_RESERVED_CLASSES = frozenset(
    {
        "Client",
        "AsyncClient",
        "NotGiven",
        "Any",
        "Literal",
        "Mapping",
        "SequenceNotStr",
        "ClassVar",
        "TypeAlias",
        "OpenStrEnum",
        "OpenIntEnum",
    }
    | {"ApiError", "ApiStatusError", "ApiConnectionError", "ApiTimeoutError", "ApiResponseValidationError"}
    | {"MissingCredentialsError", "RequestValidationError", "UnexpectedStatusError", "Request", "Rule", "RawResponse"}
    | {"SyncPager", "AsyncPager", "Accepted", "AsyncAccepted", "WaitSpec", "OperationFailedError", "WaitTimeoutError"}
    | {pascal(s.phrase) + ("" if pascal(s.phrase).endswith("Error") else "Error") for s in http.HTTPStatus if s >= 400}
)
# Names that would shadow what a model module imports, or the methods every model has.
_RESERVED_FIELDS = frozenset({"datetime", "uuid", "to_dict", "from_dict", "field", "dataclass", "NOT_GIVEN"})
# Builtins that annotations use: a field of that name would shadow them in the class body.
_ANNOTATION_BUILTINS = frozenset({"str", "int", "float", "bool", "bytes", "list", "dict"})
# Arguments every method has or may get, and names the method bodies use.
_RESERVED_ARGS = frozenset(
    {"self", "httpx", "timeout", "extra_headers", "extra_query", "extra_body", "max_retries"}
    | {"payload", "page", "cursor", "response", "result", "as_field"}  # names the generated bodies use
)
# Attributes of the client classes that a resource group must not shadow.
_RESERVED_GROUPS = frozenset({"base_url", "close", "request", "send", "http_client", "with_raw_response", "aclose"})


def build_api(document: Document, resolver: Resolver, package: str) -> tuple[ir.Api, list[Diagnostic]]:
    """Build the IR of `document` (already validated) for a package named `package`."""
    builder = _Builder(document, resolver)
    api = builder.build_api(package)
    return api, builder.warnings


@dataclass
class _Properties:
    """An object schema's properties merged through `allOf` (see `merged_properties`)."""

    schemas: dict[str, Any] = field(default_factory=dict)  # by wire name
    where: dict[str, list[str | int]] = field(default_factory=dict)  # where each is written
    required: dict[str, list[str | int]] = field(default_factory=dict)  # names, where each is listed
    additional: Any = None  # `additionalProperties`
    additional_at: list[str | int] = field(default_factory=list)


class _Elsewhere(str):
    """The first part of a path into a document other than the root: that document's name."""


@dataclass
class _Op:
    """What `build_operation` needs to know about where an operation sits."""

    path: str
    method: str
    node: Mapping[str, Any]
    common_params: list[Any]
    ptr: list[str | int]
    path_servers: Any = None


MAX_TYPE_NESTING = 64
_NO_WAIT = " (the method returns the 202 answer, with no wait())"
_STATUS = re.compile(r"[1-5](?:[0-9][0-9]|XX)|default", re.IGNORECASE)


def _nesting(t: ir.TypeRef) -> int:
    """How many brackets deep the annotation of `t` goes."""
    depth = 0
    while True:
        if isinstance(t, ir.Nullable):
            t = t.inner
        elif isinstance(t, ir.ListOf):
            t, depth = t.item, depth + 1
        elif isinstance(t, ir.MapOf):
            t, depth = t.value, depth + 1
        elif isinstance(t, ir.UnionOf):
            return depth + 1 + max((_nesting(m) for m in t.members), default=0)
        else:
            return depth


@dataclass
class _Builder:
    document: Document
    resolver: Resolver
    warnings: list[Diagnostic] = field(default_factory=list)
    classes: Scope = field(default_factory=lambda: Scope(_RESERVED_CLASSES))
    models: dict[str, ir.Model] = field(default_factory=dict)  # by class name
    claimed: list[str] = field(default_factory=list)  # class names in the order they were claimed
    owner: dict[str, str] = field(default_factory=dict)  # inline model -> the model it was met in
    by_uri: dict[str, ir.TypeRef] = field(default_factory=dict)
    inline_models: dict[int, str] = field(default_factory=dict)  # id() of an inline object schema -> its model
    component_names: dict[str, str] = field(default_factory=dict)  # schema URI -> class name
    component_keys: dict[str, str] = field(default_factory=dict)  # schema URI -> key in components
    in_progress: set[str] = field(default_factory=set)
    owners: list[str] = field(default_factory=list)  # stack of models being built
    waits: dict[int, tuple[Any, list[str | int]]] = field(default_factory=dict)  # id(operation) -> extension
    operation_ids: dict[int, str] = field(default_factory=dict)  # id(operation) -> its operationId
    examples: list[ir.Example] = field(default_factory=list)
    recursive: set[str] = field(default_factory=set)  # aliases that refer to themselves

    warned: set[Diagnostic] = field(default_factory=set)

    @property
    def data(self) -> dict[str, Any]:
        return self.document.data

    def warn(self, path: Iterable[str | int], message: str) -> None:
        """Report what was skipped or degraded, and why, at `path` (see `location`). A construct
        met twice (a component used by several operations, a property merged through `allOf`
        into several models) is reported once."""
        parts = list(path)
        ptr = self.pointer_of(parts)
        line = None if parts and isinstance(parts[0], _Elsewhere) else self.document.line_of(ptr)
        diagnostic = Diagnostic(ptr, message, Level.WARNING, line)
        if diagnostic not in self.warned:
            self.warned.add(diagnostic)
            self.warnings.append(diagnostic)

    def section(self, *path: str) -> dict[str, Any]:
        """The mapping at `path` from the document's root (`paths`, `components`/`schemas`), or
        an empty one when there is none or (reported) when something else is there."""
        node: Any = self.data
        for key in path:
            node = node.get(key) if isinstance(node, dict) else None
        if node is not None and not isinstance(node, dict):
            self.warn(list(path), f"{path[-1]} must be a mapping, found {_kind(node)}; ignored")
        return node if isinstance(node, dict) else {}

    def location(self, uri: str) -> list[str | int]:
        """Where the object a `$ref` led to is written: its path in the root document, or, in
        another document, that document's name (an `_Elsewhere`) followed by its path there."""
        document, _, fragment = uri.partition("#")
        parts: list[str | int] = list(pointer_parts(fragment))
        if document == self.resolver.base_uri:
            return parts
        return [_Elsewhere(self.resolver.document_name(document)), *parts]

    def pointer_of(self, path: Iterable[str | int]) -> str:
        """The JSON pointer of `path`; in another document, `name#pointer`."""
        parts = list(path)
        if parts and isinstance(parts[0], _Elsewhere):
            return f"{parts[0]}#{pointer(parts[1:])}"
        return pointer(parts)

    # -- the OpenAPI object ------------------------------------------------------------------------

    def build_api(self, package: str) -> ir.Api:
        """The OpenAPI Object (OAS 3.1 §4.8.1): info, servers, components, paths, security."""
        info = self.section("info")
        self.section("components")
        schemas = self.section("components", "schemas")
        for key in schemas:
            uri = f"{self.resolver.base_uri}#{pointer(['components', 'schemas', key])}"
            self.component_names[uri] = self.claim_class(class_name(key))
            self.component_keys[uri] = key
        for key in schemas:
            built = self.schema_type(
                {"$ref": "#" + pointer(["components", "schemas", key])}, class_name(key), ["components", "schemas", key]
            )
            self.record_examples(["components", "schemas", key], schemas[key], built)
        groups = self.build_groups()
        self.build_event_payloads()
        security = self.build_security_schemes(package)
        return ir.Api(
            package=package,
            title=str(info.get("title", package)),
            version=str(info.get("version", "")),
            doc=_text(info.get("description")),
            base_url=self.build_server_url(self.data.get("servers"), ["servers"]),
            source_name=self.document.name,
            source_sha256=self.resolver.digest(self.document.sha256),
            modules=self.model_modules(),
            groups=groups,
            security=security,
            mutual_tls=self.transport_schemes("mutualTLS"),
            http_auth=tuple((key, self.http_scheme(key)) for key in self.transport_schemes("http")),
            status_errors=_status_errors(groups),
            examples=tuple(self.examples),
        )

    def build_server_url(self, servers: Any, at: list[str | int], *, relative: bool = False) -> str | None:
        """The first Server Object (OAS 3.1 §4.8.5), its variables replaced by their defaults.

        A relative URL (legal: relative to where the document is served) gives no default; the
        caller passes `base_url`. With `relative` (a path's or an operation's servers), it is kept
        as a path below the client's `base_url` (`/v2`), which the runtime joins to it."""
        if not servers:
            return None
        server = servers[0] if isinstance(servers, list) else None
        url = _get(server, "url")
        if not isinstance(url, str):
            self.warn(at, "servers must be a list of Server Objects with a url; ignored (no default base_url)")
            return None
        variables = _get(server, "variables") or {}
        for name, variable in variables.items() if isinstance(variables, dict) else ():
            default = _get(variable, "default")
            if default is None:
                self.warn(
                    [*at, 0, "variables", name],
                    f"server variable {name!r} has no default; ignored (no default base_url)",
                )
                return None
            url = url.replace("{" + str(name) + "}", str(default))
        if re.search(r"\{[^{}]*\}", url):
            self.warn(
                [*at, 0, "url"], f"server URL {url!r} has a variable without a default; ignored (no default base_url)"
            )
            return None
        if url.startswith(("http://", "https://")):
            return url.rstrip("/")
        if relative and not urllib.parse.urlsplit(url).scheme and not url.startswith("//"):
            # A URI reference, resolved against base_url by the client (RFC 3986 §5.2).
            reference = url.rstrip("/")
            return reference if reference not in ("", ".") else None
        return None

    # -- paths and operations ----------------------------------------------------------------------

    def build_groups(self) -> tuple[ir.Group, ...]:
        """Operations grouped as the client exposes them: by SDK group extension, else first tag."""
        grouped: dict[str | None, list[ir.Operation]] = {}
        docs: dict[str | None, str | None] = {}
        method_scopes: dict[str | None, Scope] = {}
        tags = self.data.get("tags")
        if tags is not None and not isinstance(tags, list):
            self.warn(["tags"], f"tags must be a list of Tag Objects, found {_kind(tags)}; ignored")
        tag_docs = {
            str(_get(t, "name")): _text(_get(t, "description")) for t in (tags if isinstance(tags, list) else [])
        }
        for op in self.iter_operations():
            group = _group_key(op.node)
            scope = method_scopes.setdefault(group, Scope(_RESERVED_GROUPS | _client_members(group)))
            grouped.setdefault(group, []).append(self.build_operation(op, scope))
            if group is not None and docs.get(group) is None:
                docs[group] = next((tag_docs[t] for t in _tags(op.node) if tag_docs.get(t)), None)
        attrs = Scope(_RESERVED_GROUPS)
        groups = []
        for group, operations in grouped.items():
            attr = None if group is None else attrs.claim(attr_name(group))
            sync_class = "_ClientOperations" if group is None else self.claim_group_class(class_name(group))
            async_class = "_AsyncClientOperations" if group is None else "Async" + sync_class
            groups.append(
                ir.Group(
                    attr=attr,
                    sync_class=sync_class,
                    async_class=async_class,
                    sync_raw_class=self.classes.claim(sync_class + "WithRawResponse"),
                    async_raw_class=self.classes.claim(async_class + "WithRawResponse"),
                    module=module_name(attr) if attr is not None else "_client_operations",
                    doc=docs.get(group)
                    or (f"The {group} operations." if group else "Operations of the client itself."),
                    operations=tuple(operations),
                )
            )
        return self.resolve_waits(groups)

    def resolve_waits(self, groups: list[ir.Group]) -> tuple[ir.Group, ...]:
        """Complete the operations whose accepted answer can be waited on: the operation that
        reads the location may come later in the document, so this runs once all are built."""
        if not self.waits:
            return tuple(groups)
        by_id = {
            self.operation_ids[id(op)]: (group, op)
            for group in groups
            for op in group.operations
            if id(op) in self.operation_ids
        }
        return tuple(
            dataclasses.replace(
                group,
                operations=tuple(
                    (
                        dataclasses.replace(op, wait=self.build_wait(*self.waits[id(op)], op, by_id))
                        if id(op) in self.waits
                        else op
                    )
                    for op in group.operations
                ),
            )
            for group in groups
        )

    def claim_group_class(self, name: str) -> str:
        """A resource class name that no model (nor its `Async` twin) already has."""
        for candidate in (name, f"{name}Resource"):
            if candidate not in self.classes and f"Async{candidate}" not in self.classes:
                self.classes.claim(f"Async{candidate}")
                return self.classes.claim(candidate)
        return self.classes.claim(f"{name}Resource")

    def iter_operations(self) -> Iterable[_Op]:
        """The operations of each Path Item Object (OAS 3.1 §4.8.9), in document order."""
        for path, raw in self.section("paths").items():
            item, uri = self.resolver.deref(raw)
            at = self.location(uri) if uri else ["paths", path]
            if not isinstance(item, dict):
                self.warn(at, f"a path item must be a mapping, found {_kind(item)}; its operations are skipped")
                continue
            common = self.parameter_list(item.get("parameters"), [*at, "parameters"])
            for key, operation in item.items():
                if key in HTTP_METHODS and not isinstance(operation, dict):
                    self.warn([*at, key], f"an operation must be a mapping, found {_kind(operation)}; skipped")
                elif key not in HTTP_METHODS and key not in _PATH_ITEM_FIELDS and not str(key).startswith("x-"):
                    self.warn(
                        [*at, key],
                        f"{key!r} is not a Path Item field nor an HTTP method (get, put, post, delete, options, "
                        "head, patch, trace: lowercase); skipped",
                    )
            for method in HTTP_METHODS:
                if isinstance(item.get(method), dict):
                    yield _Op(path, method, item[method], common, [*at, method], item.get("servers"))

    def parameter_list(self, parameters: Any, at: list[str | int]) -> list[tuple[Any, list[str | int]]]:
        """A `parameters` list, each entry with where it is written."""
        if parameters is None:
            return []
        if not isinstance(parameters, list):
            self.warn(at, f"parameters must be a list, found {_kind(parameters)}; ignored")
            return []
        return [(raw, [*at, index]) for index, raw in enumerate(parameters)]

    def build_event_payloads(self) -> None:
        """Webhooks (OAS 3.1 §4.8.1) and callbacks (§4.8.18) are requests the API sends, not
        calls the client makes: their payloads become models (to read what arrives), and no
        method is generated for them."""
        events: list[tuple[str, Any, list[str | int]]] = [
            (str(name), item, ["webhooks", name]) for name, item in self.section("webhooks").items()
        ]
        for op in self.iter_operations():
            for name, callback in _items(op.node.get("callbacks")):
                callback, _ = self.resolver.deref(callback)
                for expression, item in _items(callback):
                    events.append(
                        (f"{op.node.get('operationId', '')} {name}", item, [*op.ptr, "callbacks", name, expression])
                    )
        for name, item, ptr in events:
            item, uri = self.resolver.deref(item)
            ptr = self.location(uri) if uri else ptr
            for method in HTTP_METHODS:
                body, body_uri = self.resolver.deref(_get(_get(item, method), "requestBody"))
                at = self.location(body_uri) if body_uri else [*ptr, method, "requestBody"]
                for media_type, media in _items(_get(body, "content")):
                    if _media_kind(media_type) == "json" and isinstance(media, dict) and "schema" in media:
                        hint = pascal(f"{name} {'' if method == 'post' else method} payload")
                        built = self.schema_type(media["schema"], hint, [*at, "content", media_type, "schema"])
                        self.record_examples([*at, "content", media_type], media, built)

    def build_operation(self, op: _Op, methods: Scope) -> ir.Operation:
        """An Operation Object (OAS 3.1 §4.8.10): its parameters, body, responses and security."""
        node = op.node
        method_extension = node.get("x-fern-sdk-method-name")
        if method_extension is not None and not (isinstance(method_extension, str) and method_extension):
            self.warn(
                [*op.ptr, "x-fern-sdk-method-name"],
                f"x-fern-sdk-method-name must be a name, found {_kind(method_extension)}; ignored",
            )
            method_extension = None
        tags = node.get("tags")
        if tags is not None and not isinstance(tags, list):
            self.warn([*op.ptr, "tags"], f"tags must be a list of names, found {_kind(tags)}; ignored")
        for index, tag in enumerate(tags if isinstance(tags, list) else []):
            if not isinstance(tag, (str, int)) or isinstance(tag, bool):
                self.warn([*op.ptr, "tags", index], f"a tag must be a name, found {_kind(tag)}; ignored")
        group_extension = node.get("x-fern-sdk-group-name")
        if group_extension is not None and not _group_names(group_extension):
            self.warn(
                [*op.ptr, "x-fern-sdk-group-name"],
                f"x-fern-sdk-group-name must be a name or a list of names, found {_kind(group_extension)}; ignored",
            )
        raw_name = method_extension or node.get("operationId") or f"{op.method} {op.path}"
        name = methods.claim(method_name(str(raw_name)))
        hint = pascal(str(node.get("operationId") or f"{_group_key(node) or ''} {raw_name}"))
        args = Scope(_RESERVED_ARGS)

        params = self.merge_parameters(op)
        by_location: dict[str, list[ir.Parameter]] = {"path": [], "query": [], "header": [], "cookie": []}
        for where in ("path", "body", "query", "header", "cookie"):
            if where == "body":
                body, body_fields = self.build_request_body(
                    node.get("requestBody"), hint, args, [*op.ptr, "requestBody"]
                )
                continue
            for param, ptr in params:
                if param["in"] == where:
                    by_location[where].append(self.build_parameter(param, hint, args, ptr))
            if where == "path":
                by_location["path"].extend(self.undeclared_path_parameters(op, params, args))
        responses = node.get("responses")
        successes, errors = self.build_responses(responses, hint, [*op.ptr, "responses"])
        returns = _union([r.type for r in successes])
        accepted, _ = self.resolver.deref(responses.get("202") if isinstance(responses, dict) else None)
        wait = None
        if isinstance(accepted, dict) and "x-clientgen-wait" in accepted:
            wait = (accepted["x-clientgen-wait"], [*op.ptr, "responses", "202"])
        parameters = [p for location in by_location.values() for p in location]
        pagination = self.build_pagination(node.get("x-fern-pagination"), parameters, returns, name, methods, op.ptr)
        operation = ir.Operation(
            name=name,
            function=name,
            method=op.method.upper(),
            path=_plain_template(op.path),
            doc=_join(node.get("summary"), node.get("description")),
            deprecated=bool(node.get("deprecated")),
            path_params=tuple(by_location["path"]),
            query_params=tuple(by_location["query"]),
            header_params=tuple(by_location["header"]),
            cookie_params=tuple(by_location["cookie"]),
            body=body,
            body_fields=body_fields,
            successes=successes,
            errors=errors,
            security=(
                self.build_security_requirement(node["security"], [*op.ptr, "security"])
                if "security" in node
                else self.build_security_requirement(self.data.get("security"), ["security"])
            ),
            server=(
                self.build_server_url(node["servers"], [*op.ptr, "servers"], relative=True)
                if node.get("servers")
                else self.build_server_url(op.path_servers, [*op.ptr[:-1], "servers"], relative=True)
            ),
            returns=returns,
            pagination=pagination,
        )
        if wait is not None:
            self.waits[id(operation)] = wait
        if node.get("operationId"):
            self.operation_ids[id(operation)] = str(node["operationId"])
        return operation

    def build_wait(
        self, extension: Any, ptr: list[str | int], op: ir.Operation, by_id: dict[str, tuple[ir.Group, ir.Operation]]
    ) -> ir.Wait | None:
        """The `x-clientgen-wait` extension of a 202 response (see the README):
        `location: $response.header.<Name>` or `$response.body#/<pointer>`; `poll: <operationId>`
        of the GET that reads the location; optional `status: $response.body#/<pointer>` in what
        it answers, with `pending` and `failed` lists of states."""
        where = [*ptr, "x-clientgen-wait"]
        body = next((r.type for r in op.successes if r.status == "202"), None)
        if not isinstance(extension, dict):
            self.warn(where, f"x-clientgen-wait must be a mapping, found {_kind(extension)}; ignored{_NO_WAIT}")
            return None
        poll = by_id.get(str(extension.get("poll")))
        location = str(extension.get("location", ""))
        header = location.removeprefix("$response.header.") if location.startswith("$response.header.") else None
        path = None if header or body is None else self.model_path(body, _pointer_wires(location))
        state = str(extension.get("status", ""))
        state_path = self.model_path(poll[1].returns, _pointer_wires(state)) if poll and state else ((), None)
        if poll is None or poll[1].returns is None or (header is None and path is None) or state_path is None:
            self.warn(
                where,
                "x-clientgen-wait must name a location in the answer, a `poll` operationId that reads it, and a "
                f"`status` in what that answers; ignored{_NO_WAIT}",
            )
            return None
        group, poll_op = poll
        return ir.Wait(
            body=body,
            location_header=header,
            location_path=path[0] if path else (),
            poll_function=f"_{poll_op.function}_response",
            poll_module=group.module,
            poll_security=poll_op.security,
            result=poll_op.returns,  # type: ignore[arg-type]
            state_path=state_path[0],
            pending=self.wait_states(extension, "pending", where),
            failed=self.wait_states(extension, "failed", where),
        )

    def wait_states(self, extension: Mapping[str, Any], key: str, where: list[str | int]) -> tuple[str, ...]:
        """The `pending` or `failed` states of an `x-clientgen-wait`: a list of values."""
        states = extension.get(key)
        if states is None:
            return ()
        if not isinstance(states, list):
            self.warn([*where, key], f"{key} must be a list of states, found {_kind(states)}; ignored")
            return ()
        return tuple(str(v) for v in states)

    def build_pagination(
        self,
        extension: Any,
        parameters: list[ir.Parameter],
        page: ir.TypeRef | None,
        name: str,
        methods: Scope,
        ptr: list[str | int],
    ) -> ir.Pagination | None:
        """Fern's `x-fern-pagination` (cursor style): `cursor: $request.<parameter>`,
        `next_cursor: $response.<path>`, `results: $response.<path>`; paths are dotted wire names."""
        if extension is None:
            return None
        where = [*ptr, "x-fern-pagination"]
        if not isinstance(extension, dict) or not {"cursor", "next_cursor", "results"} <= set(extension):
            self.warn(
                where,
                "only cursor pagination (cursor, next_cursor, results) is supported; the method returns single pages",
            )
            return None
        cursor = str(extension["cursor"]).removeprefix("$request.")
        argument = next((p for p in parameters if p.wire == cursor), None)
        items = self.response_path(page, str(extension["results"]))
        next_cursor = self.response_path(page, str(extension["next_cursor"]))
        if argument is None or items is None or next_cursor is None or not isinstance(items[1], ir.ListOf):
            self.warn(
                where,
                "the pagination expressions do not name a request parameter, a list and a cursor in the response; "
                "the method returns single pages",
            )
            return None
        return ir.Pagination(methods.claim(f"{name}_page"), argument, items[0], next_cursor[0], items[1].item)

    def response_path(self, page: ir.TypeRef | None, expression: str) -> tuple[tuple[str, ...], ir.TypeRef] | None:
        """`$response.a.b` as attribute names through the response model, and the type there."""
        if not expression.startswith("$response."):
            return None
        return self.model_path(page, expression.removeprefix("$response.").split("."))

    def model_path(
        self, start: ir.TypeRef | None, wires: list[str] | None
    ) -> tuple[tuple[str, ...], ir.TypeRef] | None:
        """Wire names of nested properties as attribute names through the models, and the type there."""
        if wires is None:
            return None
        names: list[str] = []
        current = start
        for wire in wires:
            while isinstance(current, (ir.Nullable, ir.AliasRef)):
                current = current.inner if isinstance(current, ir.Nullable) else current.target
            model = self.models.get(current.name) if isinstance(current, ir.ModelRef) else None
            field = (
                next((f for f in model.fields if f.wire == wire), None) if isinstance(model, ir.ObjectModel) else None
            )
            if field is None:
                return None
            names.append(field.name)
            current = field.type
        while isinstance(current, (ir.Nullable, ir.AliasRef)):
            current = current.inner if isinstance(current, ir.Nullable) else current.target
        return (tuple(names), current) if current is not None else None

    def merge_parameters(self, op: _Op) -> list[tuple[Mapping[str, Any], list[str | int]]]:
        """Path-level parameters, overridden by operation-level ones with the same name and
        location. One that cannot be sent (no name, an `in` OpenAPI 3 does not have, a path
        parameter the path does not have) is skipped, and reported where it is written."""
        merged: dict[tuple[str, str], tuple[Mapping[str, Any], list[str | int]]] = {}
        own = self.parameter_list(op.node.get("parameters"), [*op.ptr, "parameters"])
        variables = _template_variables(op.path)
        for level in (op.common_params, own):
            declared: dict[tuple[str, str], list[str | int]] = {}
            for raw, written in level:
                param, uri = self.resolver.deref(raw)
                at = self.location(uri) if uri else written
                key = self.parameter_key(param, at)
                if key is None:
                    continue
                if key[1] == "path" and key[0] not in variables:
                    self.warn(at, f"path parameter {key[0]!r} is not in the path template {op.path!r}; skipped")
                    continue
                if key in declared and declared[key] != at:
                    self.warn(
                        declared[key],
                        f"parameter {key[0]!r} in {key[1]} is declared again at {self.pointer_of(at)}; "
                        "this one is skipped",
                    )
                declared[key] = at
                merged[key] = (param, at)
        return list(merged.values())

    def parameter_key(self, param: Any, at: list[str | int]) -> tuple[str, str] | None:
        """A parameter's name and location, or None (reported) if it cannot be sent."""
        if not isinstance(param, dict):
            self.warn(at, f"a parameter must be a mapping, found {_kind(param)}; skipped")
            return None
        name, where = param.get("name"), param.get("in")
        if not isinstance(name, str) or not name:
            self.warn(at, f"a parameter must have a name, found {_kind(name)}; skipped")
            return None
        if where not in _PARAMETER_STYLES:
            why = f"'in' must be query, header, path or cookie, found {_kind(where)}"
            if where in ("body", "formData"):
                why += " (Swagger 2.0's; OpenAPI 3 describes the body as the operation's requestBody)"
            self.warn([*at, "in"] if "in" in param else at, f"parameter {name!r} skipped: {why}")
            return None
        if where == "header" and name.lower() in _IGNORED_HEADERS:
            # OAS 3.1.1 §4.8.12.1 (3.0.3 §4.7.12.1 alike): these headers are the media types'
            # and the security schemes' to set, never an argument's.
            self.warn(
                at,
                f"header parameter {name!r} skipped: a header parameter named Accept, Content-Type or "
                "Authorization SHALL be ignored (the client sets these from the media types and security schemes)",
            )
            return None
        if where in ("header", "cookie") and not _TOKEN.fullmatch(name):
            # RFC 9110 §5.1 (field names) and RFC 6265 §4.1.1 (cookie names) allow tokens only.
            self.warn(
                [*at, "name"],
                f"{where} parameter {name!r} skipped: a {where} name must be an HTTP token "
                "(letters, digits and !#$%&'*+-.^_`|~), so no request could carry it",
            )
            return None
        return name, str(where)

    def undeclared_path_parameters(
        self, op: _Op, params: list[tuple[Mapping[str, Any], list[str | int]]], args: Scope
    ) -> list[ir.Parameter]:
        """A required string argument for each variable of the path template that no parameter
        declares: without one, no request could be made."""
        declared = {param["name"] for param, _ in params if param["in"] == "path"}
        added = []
        for variable in _template_variables(op.path):
            if variable not in declared:
                self.warn(
                    op.ptr,
                    f"path template variable {variable!r} has no path parameter; the method takes it as a required string",
                )
                added.append(
                    ir.Parameter(
                        args.claim(attr_name(variable)), variable, "path", TEXT, True, style="simple", explode=False
                    )
                )
        return added

    def build_parameter(self, param: Mapping[str, Any], hint: str, args: Scope, ptr: list[str | int]) -> ir.Parameter:
        """A Parameter Object (OAS 3.1 §4.8.12); `content` instead of `schema` uses its media type."""
        wire = str(param["name"])
        where = param["in"]
        schema, schema_at = self.parameter_schema(param, wire, ptr)
        styles = _PARAMETER_STYLES[where]
        style = param.get("style", styles[0])
        if style not in styles:
            self.warn(
                [*ptr, "style"],
                f"style {_kind(style)} is not one of {', '.join(styles)} for a {where} parameter; sent as {styles[0]}",
            )
            style = styles[0]
        explode = self.flag(param, "explode", style == "form", ptr)
        if "schema" in param:
            style, explode = self.representable_style(schema, style, explode, wire, ptr, "explode" in param)
        elif self.json_content(param, wire, schema, ptr):
            # OAS 3.1.1 §4.8.12.2: the value is its media type's text, then percent-encoded as
            # the location asks (`style` does not apply); `json` names that in the runtime.
            style, explode = "json", False
        if where == "path" and param.get("required") is not True:
            self.warn(
                [*ptr, "required"] if "required" in param else ptr,
                f"path parameter {wire!r} must have required: true; treated as required",
            )
        return ir.Parameter(
            name=args.claim(attr_name(wire)),
            wire=wire,
            location=where,
            type=self.schema_type(schema, hint + pascal(wire), schema_at),
            required=where == "path" or self.flag(param, "required", False, ptr),
            doc=_with_default(_text(param.get("description")), self.resolver.deref(schema)[0]),
            style=str(style),
            explode=explode,
            allow_reserved=where == "query" and self.flag(param, "allowReserved", False, ptr),
            check=self.build_check(schema, schema_at, arrays=True),
        )

    def json_content(self, param: Mapping[str, Any], wire: str, schema: Any, ptr: list[str | int]) -> bool:
        """Whether a `content` parameter is sent as JSON text: its media type is JSON. Another
        media type's text the client cannot make from a structured value: such a value is
        written in the location's default style, and that is reported."""
        content = param.get("content")
        media_type = next(iter(content), None) if isinstance(content, dict) and content else None
        if media_type is None:
            return False
        if _media_kind(str(media_type)) == "json":
            return True
        kind = _value_kind(self.resolver.deref(schema)[0]) if isinstance(schema, dict) else None
        if kind in ("array", "object"):
            self.warn(
                [*ptr, "content", media_type],
                f"the client cannot write {media_type!r} text for {kind} parameter {wire!r}; "
                f"it is sent in the {param['in']} default style",
            )
        return False

    def representable_style(
        self, schema: Any, style: str, explode: bool, wire: str, ptr: list[str | int], explicit: bool
    ) -> tuple[str, bool]:
        """The style and explode a parameter is sent in, where the document's cannot write its
        type: cells of the Style Examples table marked n/a (OAS 3.1.1 §4.8.12.4.1) are reported
        and replaced, and an object or array nested in an object or array, which no style
        writes, is reported (a value holding one is refused before sending); a `deepObject`
        writes objects nested in it with brackets (`name[a][b]`), so those pass."""
        if style in ("spaceDelimited", "pipeDelimited") and explode:
            self.warn(
                [*ptr, "explode"], f"style {style} cannot be exploded (OAS 3.1.1 §4.8.12.4.1); sent with explode false"
            )
            explode = False
        if style == "deepObject" and not explode:
            self.warn(
                [*ptr, "explode"] if explicit else ptr,
                "style deepObject with explode false is undefined (OAS 3.1.1 §4.8.12.4.1); sent with explode true",
            )
            explode = True
        node = self.resolver.deref(schema)[0] if isinstance(schema, dict) else {}
        kind = _value_kind(node)
        allowed = {
            "spaceDelimited": ("array", "object"),
            "pipeDelimited": ("array", "object"),
            "deepObject": ("object",),
        }
        if kind is not None and style in allowed and kind not in allowed[style]:
            self.warn(
                [*ptr, "style"], f"style {style} cannot write {kind} {wire!r} (OAS 3.1.1 §4.8.12.4.1); sent as form"
            )
            return "form", True
        inner = node.get("items") if kind == "array" else node.get("properties") if kind == "object" else None
        members = (
            [inner]
            if isinstance(inner, dict) and kind == "array"
            else list(inner.values()) if isinstance(inner, dict) else []
        )
        for member in members:
            nested = _value_kind(self.resolver.deref(member)[0]) if isinstance(member, dict) else None
            if nested == "array" or (nested == "object" and style != "deepObject"):
                self.warn(
                    ptr,
                    f"parameter {wire!r} holds {nested}s inside its {kind}, which no style writes; such values are refused before sending",
                )
                break
        return style, explode

    def flag(self, node: Mapping[str, Any], key: str, default: bool, at: list[str | int]) -> bool:
        """A boolean field of an OpenAPI object; anything but true or false is read as its default."""
        value = node.get(key, default)
        if not isinstance(value, bool):
            self.warn([*at, key], f"{key} must be true or false, found {_kind(value)}; read as {str(default).lower()}")
            return default
        return value

    def parameter_schema(
        self, param: Mapping[str, Any], wire: str, ptr: list[str | int]
    ) -> tuple[Any, list[str | int]]:
        """A parameter's schema, from `schema` or from the one media type of `content`, and where it is."""
        schema = param.get("schema")
        content = param.get("content")
        if schema is not None:
            if content is not None:
                self.warn([*ptr, "content"], "a parameter has schema or content, not both; content ignored")
            return schema, [*ptr, "schema"]
        if content is None:
            self.warn(ptr, f"parameter {wire!r} has neither schema nor content; typed as Any")
            return {}, ptr
        if not isinstance(content, dict) or not content:
            self.warn(
                [*ptr, "content"],
                f"content must map one media type to its schema, found {_kind(content)}; typed as Any",
            )
            return {}, [*ptr, "content"]
        media_type, media = next(iter(content.items()))
        if len(content) > 1:
            self.warn(
                [*ptr, "content"], f"content must have exactly one media type; the first, {media_type!r}, is used"
            )
        if not isinstance(media, dict):
            self.warn(
                [*ptr, "content", media_type],
                f"a Media Type Object must be a mapping, found {_kind(media)}; typed as Any",
            )
            return {}, [*ptr, "content", media_type]
        return media.get("schema", {}), [*ptr, "content", media_type, "schema"]

    def build_request_body(
        self, node: Any, hint: str, args: Scope, ptr: list[str | int]
    ) -> tuple[ir.RequestBody | None, tuple[ir.Parameter, ...]]:
        """A Request Body Object (OAS 3.1 §4.8.13): an object body becomes keyword arguments."""
        if node is None:
            return None, ()
        node, uri = self.resolver.deref(node)
        ptr = self.location(uri) if uri else ptr
        if not isinstance(node, dict):
            self.warn(
                ptr, f"a request body must be a mapping, found {_kind(node)}; the operation is generated without a body"
            )
            return None, ()
        picked = self.pick_media_type(node.get("content"), [*ptr, "content"])
        if picked is None:
            self.warn(
                [*ptr, "content"] if "content" in node else ptr,
                "a request body must have content (a media type and its schema); the operation is generated without a body",
            )
            return None, ()
        media_type, media = picked
        encoding = _request_encoding(media_type)
        required = self.flag(node, "required", False, ptr)
        schema = media.get("schema")
        at = [*ptr, "content", media_type]
        if encoding in ("binary", "text"):
            body_type: ir.TypeRef = BYTES if encoding == "binary" else TEXT
            self.unused_schema(schema, [*at, "schema"], f"{media_type} request bodies are sent as {_AS[encoding]}")
        else:
            body_type = self.schema_type(schema if schema is not None else {}, hint + "Body", [*at, "schema"])
            self.record_examples(at, media, body_type)
        model = self.models.get(body_type.name) if isinstance(body_type, ir.ModelRef) else None
        if isinstance(model, ir.ObjectModel) and isinstance(body_type, ir.ModelRef):
            target, uri = self.resolver.deref(schema)
            properties = self.merged_properties(target, self.location(uri) if uri else [*at, "schema"], set())
            fields = tuple(
                ir.Parameter(
                    name=args.claim(f.name),
                    wire=f.wire,
                    location="body",
                    type=f.type,
                    required=f.required,
                    doc=f.doc,
                    attr=f.name,
                    check=self.field_check(f, properties),
                )
                for f in model.fields
                if not f.read_only
            )
            parts = self.build_encodings(media, encoding, {f.wire for f in model.fields}, at)
            return ir.RequestBody(media_type, encoding, required, body_type, None, parts), fields
        argument = ir.Parameter(
            name=args.claim("body"),
            wire="body",
            location="body",
            type=body_type,
            required=required,
            doc=_text(node.get("description")),
            check=(
                self.build_check(schema, [*at, "schema"], arrays=True)
                if encoding in ("json", "form", "multipart") and schema is not None
                else None
            ),
        )
        parts = self.build_encodings(media, encoding, None, at)
        return ir.RequestBody(media_type, encoding, required, None, argument, parts), ()

    def build_encodings(
        self, media: Mapping[str, Any], encoding: str, properties: set[str] | None, at: list[str | int]
    ) -> tuple[ir.PartEncoding, ...]:
        """The `encoding` map of a form or multipart body (Encoding Objects, OAS 3.1.1 §4.8.15):
        a form property's `style`, `explode` (or a JSON `contentType`, written as JSON text), a
        multipart property's `contentType`. What the client cannot honour is reported."""
        raw = media.get("encoding")
        if raw is None:
            return ()
        at = [*at, "encoding"]
        if encoding not in ("form", "multipart"):
            self.warn(at, "encoding applies to form and multipart bodies only; ignored")
            return ()
        if not isinstance(raw, dict):
            self.warn(at, f"encoding must map property names to Encoding Objects, found {_kind(raw)}; ignored")
            return ()
        parts = []
        for name, node in raw.items():
            where = [*at, name]
            node, _ = self.resolver.deref(node)
            if properties is not None and name not in properties:
                self.warn(where, f"encoding names {name!r}, which is not a property of the body; ignored")
                continue
            if not isinstance(node, dict):
                self.warn(where, f"an Encoding Object must be a mapping, found {_kind(node)}; ignored")
                continue
            if isinstance(node.get("headers"), dict) and node["headers"]:
                self.warn([*where, "headers"], "headers of a part are not sent: the client takes no value for them")
            content_type = node.get("contentType")
            if content_type is not None and not isinstance(content_type, str):
                self.warn(
                    [*where, "contentType"], f"contentType must be a string, found {_kind(content_type)}; ignored"
                )
                content_type = None
            first = content_type.split(",")[0].strip() if content_type else None
            if encoding == "multipart":
                for key in ("style", "explode", "allowReserved"):
                    if key in node:
                        self.warn(
                            [*where, key],
                            f"{key} applies to form bodies (OAS 3.0.3 §4.7.15); ignored for a multipart part",
                        )
                if first and "*" not in first and _acceptable(first, "") == first:
                    parts.append(ir.PartEncoding(str(name), content_type=first))
                continue
            if node.get("allowReserved") is True:
                self.warn(
                    [*where, "allowReserved"],
                    "allowReserved is not applied in a form body: reserved characters are percent-encoded, which a form decodes alike",
                )
            if "style" in node or "explode" in node:
                style = node.get("style", "form")
                if style not in _PARAMETER_STYLES["query"]:
                    self.warn([*where, "style"], f"style {_kind(style)} is not a query style; sent as form")
                    style = "form"
                explode = self.flag(node, "explode", style == "form", where)
                parts.append(ir.PartEncoding(str(name), style=str(style), explode=explode))
            elif first and _media_kind(first) == "json":
                parts.append(ir.PartEncoding(str(name), style="json"))
        return tuple(parts)

    def pick_media_type(self, content: Any, at: list[str | int]) -> tuple[str, Mapping[str, Any]] | None:
        """The preferred media type of a `content` map (see `_pick_media_type`) and its Media
        Type Object (OAS 3.1 §4.8.14), or None when there is none."""
        if not isinstance(content, dict):
            if content is not None:
                self.warn(at, f"content must map media types to Media Type Objects, found {_kind(content)}; ignored")
            return None
        media_type = _pick_media_type(content)
        if media_type is None:
            return None
        if not _MEDIA_TYPE.fullmatch(media_type):
            self.warn([*at, media_type], f"{media_type!r} is not a media type (type/subtype); its body is bytes")
        media = content[media_type]
        if not isinstance(media, dict):
            self.warn(
                [*at, media_type],
                f"a Media Type Object must be a mapping, found {_kind(media)}; read as one without a schema",
            )
            return media_type, {}
        return media_type, media

    def unused_schema(self, schema: Any, at: list[str | int], how: str) -> None:
        """Report a structured schema on a body the client passes through as bytes or text."""
        target, _ = self.resolver.deref(schema)
        if isinstance(target, dict) and (
            set(_types_of(target)) - {"string", "null"} or any(k in target for k in _STRUCTURE_KEYWORDS)
        ):
            self.warn(at, f"{how}: the client does not encode or decode this schema; ignored")

    def build_responses(
        self, responses: Any, hint: str, ptr: list[str | int]
    ) -> tuple[tuple[ir.Response, ...], tuple[ir.Response, ...]]:
        """The Responses Object (OAS 3.1 §4.8.16), split into successes (2xx) and the rest.

        Successes come exact codes first, then "2XX"; an operation that documents no 2xx but
        redirections (Twilio's `307` with the address of the data) takes those as its answers,
        and one that documents neither but a `default` response takes `default` as its success
        (and as its error body).
        """
        if not isinstance(responses, dict):
            if responses is not None:
                self.warn(ptr, f"responses must map status codes to responses, found {_kind(responses)}; ignored")
            responses = {}
        successes: list[ir.Response] = []
        errors: list[ir.Response] = []
        statuses = [str(s) for s in responses if _STATUS.fullmatch(str(s))]
        answer = "2" if any(s.startswith("2") for s in statuses) else "3"  # the class of the answers
        several = sum(s.startswith(answer) for s in statuses) > 1
        no_success = not any(s.startswith(answer) for s in statuses)
        for status, raw in responses.items():
            status = str(status)
            if not _STATUS.fullmatch(status):
                self.warn([*ptr, status], f"{status!r} is not a status code, a range like 4XX, or default; skipped")
                continue
            if status.startswith(answer):
                suffix = "Response" + (status.upper() if several else "")
            elif status == "default":
                suffix = "Response" if no_success else "Error"
            else:
                suffix = {"4XX": "ClientError", "5XX": "ServerError"}.get(status.upper(), f"Error{status}")
            response = self.build_response(raw, status, hint + suffix, [*ptr, status])
            if response is not None:
                (successes if status.startswith(answer) else errors).append(response)
        if not successes:
            default = next((r for r in errors if r.status == "default"), None)
            if default is not None:
                successes.append(ir.Response("2XX", default.encoding, default.type, default.doc, default.media_type))
        successes.sort(key=lambda r: r.status_class is not None)
        return tuple(successes), tuple(errors)

    def build_response(self, node: Any, status: str, hint: str, ptr: list[str | int]) -> ir.Response | None:
        """A Response Object (OAS 3.1 §4.8.17): the body of its preferred media type."""
        node, uri = self.resolver.deref(node)
        ptr = self.location(uri) if uri else ptr
        if not isinstance(node, dict):
            self.warn(ptr, f"a Response Object must be a mapping, found {_kind(node)}; skipped")
            return None
        if "x-clientgen-wait" in node and status != "202":
            self.warn([*ptr, "x-clientgen-wait"], "x-clientgen-wait is read only on a 202 response; ignored")
        picked = self.pick_media_type(node.get("content"), [*ptr, "content"])
        doc = _text(node.get("description"))
        if picked is None:
            return ir.Response(status, "none", None, doc)
        media_type, media = picked
        encoding = _response_encoding(media_type)
        at = [*ptr, "content", media_type]
        schema = media.get("schema")
        if encoding == "json":
            body_type = self.schema_type(schema, hint, [*at, "schema"]) if schema is not None else ANY
            self.record_examples(at, media, body_type)
        else:
            body_type = TEXT if encoding == "text" else BYTES
            self.unused_schema(schema, [*at, "schema"], f"{media_type} responses are read as {_AS[encoding]}")
        return ir.Response(status, encoding, body_type, doc, _acceptable(media_type, encoding))

    def record_examples(self, ptr: list[str | int], node: Any, body_type: ir.TypeRef) -> None:
        """Keep the `example`/`examples` payloads of a schema or media type, with their type, so
        that tests can round-trip them through the generated models."""
        if not isinstance(node, dict):
            return
        found: list[tuple[list[str | int], Any]] = []
        if "example" in node:
            found.append(([*ptr, "example"], node["example"]))
        examples = node.get("examples")
        if isinstance(examples, list):
            found.extend(([*ptr, "examples", i], value) for i, value in enumerate(examples))
        elif isinstance(examples, dict):
            for name, example in examples.items():
                target, _ = self.resolver.deref(example)
                if isinstance(target, dict) and "value" in target:
                    found.append(([*ptr, "examples", name, "value"], target["value"]))
        for where, value in found:
            self.examples.append(
                ir.Example(self.pointer_of(where), body_type, json.dumps(value, sort_keys=True, default=str))
            )

    # -- security ----------------------------------------------------------------------------------

    def build_security_schemes(self, package: str) -> tuple[ir.SecurityScheme, ...]:
        """Security Scheme Objects (OAS 3.1 §4.8.27), with Fern's credential-naming extensions.

        A credential's environment variable is the extension's `env`, else `<PACKAGE>_<NAME>`.
        """
        names = Scope(_RESERVED_ARGS | {"base_url", "http_client", "headers"})
        schemes = []
        raw_schemes = self.section("components", "securitySchemes")
        for key, raw in raw_schemes.items():
            scheme, uri = self.resolver.deref(raw)
            at: list[str | int] = self.location(uri) if uri else ["components", "securitySchemes", key]
            if not isinstance(scheme, dict):
                self.warn(at, f"a security scheme must be a mapping, found {_kind(scheme)}; skipped")
                continue
            built = self.build_security_scheme(str(key), scheme, names, package, at)
            if built is not None:
                schemes.append(built)
        return tuple(schemes)

    def build_security_scheme(
        self, key: str, scheme: Mapping[str, Any], names: Scope, package: str, at: list[str | int]
    ) -> ir.SecurityScheme | None:
        kind = scheme.get("type")
        http_scheme = str(scheme.get("scheme", "")).lower()
        no_credentials = "operations that need it get no credentials from the client"

        def extension(path: list[str | int], value: Any, fields: str = "name, env") -> dict[str, Any]:
            if value is not None and not isinstance(value, dict):
                self.warn(path, f"{path[-1]} must be a mapping ({fields}), found {_kind(value)}; ignored")
            return value if isinstance(value, dict) else {}

        def credential(named: dict[str, Any], default: str, doc: str) -> ir.Credential:
            base = attr_name(str(named.get("name") or default))
            name = names.claim(base if base not in names else attr_name(f"{key} {base}"))
            env = named.get("env") or f"{package}_{name}".upper()
            return ir.Credential(name=name, env=str(env), doc=doc)

        if kind == "http" and http_scheme == "basic":
            basic = extension([*at, "x-fern-basic"], scheme.get("x-fern-basic"), "username, password")
            username = extension([*at, "x-fern-basic", "username"], basic.get("username"))
            password = extension([*at, "x-fern-basic", "password"], basic.get("password"))
            return ir.SecurityScheme(
                key,
                "basic",
                (
                    credential(username, "username", f"The user name for HTTP Basic authentication ({key})."),
                    credential(password, "password", f"The password for HTTP Basic authentication ({key})."),
                ),
            )
        if (kind == "http" and http_scheme == "bearer") or kind in ("oauth2", "openIdConnect"):
            default = "token" if kind == "http" else "access_token"
            bearer = extension([*at, "x-fern-bearer"], scheme.get("x-fern-bearer"))
            return ir.SecurityScheme(key, "bearer", (credential(bearer, default, f"The bearer token ({key})."),))
        if kind == "apiKey":
            where, param = scheme.get("in"), scheme.get("name")
            if where not in ("header", "query", "cookie"):
                why = f"an apiKey's 'in' must be header, query or cookie, found {_kind(where)}"
                self.warn([*at, "in"] if "in" in scheme else at, f"{why}; skipped: {no_credentials}")
                return None
            if not isinstance(param, str) or not param:
                why = f"an apiKey must name its {where}, found {_kind(param)}"
                self.warn([*at, "name"] if "name" in scheme else at, f"{why}; skipped: {no_credentials}")
                return None
            header = extension([*at, "x-fern-header"], scheme.get("x-fern-header"))
            return ir.SecurityScheme(
                key,
                "api_key",
                (credential(header, "api_key", f"The API key sent as {where} {param!r} ({key})."),),
                location=where,
                param=param,
                prefix=str(header.get("prefix", "")),
            )
        if kind == "http" and http_scheme:
            self.warn(
                at,
                f"security scheme http {http_scheme!r} is left to the HTTP client: the operations it secures are "
                "sent as they are, for an httpx.Auth the caller gives (`http_client=httpx.Client(auth=...)`) to sign",
            )
        elif kind != "mutualTLS":  # see `transport_schemes`
            self.warn(at, f"security scheme type {kind!r} {http_scheme!r} is not supported; {no_credentials}")
        return None

    def transport_schemes(self, kind: str = "") -> tuple[str, ...]:
        """The keys of the schemes whose credential the caller configures on the HTTP client, not
        on the request: `mutualTLS` (OAS 3.1 §4.8.27.1; its credential is the connection's client
        certificate, `http_client=httpx.Client(cert=...)`) and `http` schemes other than Basic
        and Bearer (Digest, HTTP Signatures, ...: an `httpx.Auth` on the HTTP client). A request
        has nothing to add, so a requirement naming one is met by the client as it is."""
        found = []
        for key, raw in self.section("components", "securitySchemes").items():
            scheme = self.resolver.deref(raw)[0]
            kind_of = _get(scheme, "type")
            if kind_of == "mutualTLS" or (
                kind_of == "http" and self.http_scheme(str(key)) not in ("", "basic", "bearer")
            ):
                if not kind or kind_of == kind:
                    found.append(str(key))
        return tuple(found)

    def http_scheme(self, key: str) -> str:
        """An `http` scheme's `scheme`, lower case (RFC 9110 §11.1: case-insensitive)."""
        scheme = self.resolver.deref(self.section("components", "securitySchemes").get(key))[0]
        return str(_get(scheme, "scheme") or "").lower()

    def build_security_requirement(self, requirements: Any, at: list[str | int]) -> tuple[tuple[str, ...], ...]:
        """Security Requirement Objects (OAS 3.1 §4.8.30): alternatives, each a set of schemes."""
        if requirements is None:
            return ()
        if not isinstance(requirements, list):
            self.warn(
                at, f"security must be a list of Security Requirement Objects, found {_kind(requirements)}; ignored"
            )
            return ()
        known = set(self.section("components", "securitySchemes"))
        transport = set(self.transport_schemes())
        alternatives = []
        for index, requirement in enumerate(requirements):
            if not isinstance(requirement, dict):
                self.warn(
                    [*at, index], f"a security requirement must be a mapping, found {_kind(requirement)}; ignored"
                )
                continue
            for name in requirement:
                if name not in known:
                    self.warn(
                        [*at, index, name], f"security scheme {name!r} is not in components/securitySchemes; ignored"
                    )
            alternatives.append(tuple(k for k in requirement if k in known and k not in transport))
        return tuple(alternatives)

    # -- schemas -----------------------------------------------------------------------------------

    def claim_class(self, raw: str) -> str:
        name = self.classes.claim(raw)
        self.claimed.append(name)
        if self.owners:
            self.owner[name] = self.owners[-1]
        return name

    def schema_type(self, node: Any, hint: str, at: list[str | int], base_uri: str | None = None) -> ir.TypeRef:
        """A Schema Object (OAS 3.1 §4.8.24) as a type: a reference names a model, else it is inline.
        `at` is where `node` is written, for what the builder reports about it."""
        if isinstance(node, dict) and isinstance(node.get("$ref"), str):
            if node.get("nullable") is True or "null" in _types_of(node):
                # `nullable` beside a `$ref`: ignored by the letter of OAS 3.0, meant by its authors.
                inner = self.schema_type({"$ref": node["$ref"]}, hint, at, base_uri)
                return inner if isinstance(inner, ir.Nullable) or inner is ANY else ir.Nullable(inner)
            target, uri = self.resolver.deref(node, base_uri)
            assert uri is not None
            if uri in self.by_uri:
                return self.by_uri[uri]
            if not isinstance(target, (dict, bool)) and at != self.location(uri):
                self.warn(at, f"$ref {node['$ref']!r} leads to {_kind(target)}, not a schema; typed as Any")
                return ANY
            name = self.component_names.get(uri)
            if name is None:
                name = self.claim_class(class_name(uri.rsplit("/", 1)[-1]))
                self.component_names[uri] = name
            return self.named_schema(target, uri, name)
        return self.inline_schema(node, hint, at, base_uri)

    def named_schema(self, schema: Any, uri: str, name: str) -> ir.TypeRef:
        """A schema with a name of its own: an object or enum becomes a class, anything else an alias."""
        at = self.location(uri)
        self.owners.append(name)
        try:
            if _is_object(schema, self.resolver):
                self.check_schema(schema, at, typed=True)
                ref = ir.ModelRef(name)
                self.by_uri[uri] = ref
                self.models[name] = self.build_object(schema, name, at)
                return ref
            if _is_enum(schema) and _enum_base(schema):
                self.check_schema(schema, at, typed=True)
                enum_ref = _nullable_if(schema, self.build_enum(schema, name, at))
                self.by_uri[uri] = enum_ref
                return enum_ref
            if _is_map(schema) and self.refers_to_itself(schema, uri):
                # A map of itself cannot be a type alias: it becomes a class whose entries are
                # its `additional_properties`.
                self.check_schema(schema, at, typed=True)
                ref = ir.ModelRef(name)
                self.by_uri[uri] = ref
                self.models[name] = self.build_object(schema, name, at)
                return ref
            if uri in self.in_progress:
                # Met again while being built: a recursion through no class.
                self.recursive.add(name)
                return ir.RecursiveRef(name)
            self.in_progress.add(uri)
            target = self.inline_schema(schema, name, at, uri.split("#", 1)[0])
            self.in_progress.discard(uri)
            recursive = ir.RecursiveRef(name) if name in self.recursive else None
            alias: ir.TypeRef = recursive or ir.AliasRef(name, target)
            self.by_uri[uri] = alias
            self.models[name] = ir.AliasModel(name, _text(_get(schema, "description")), target, recursive)
            return alias
        finally:
            self.owners.pop()

    def refers_to_itself(self, schema: Any, uri: str) -> bool:
        """Whether `schema` reaches `uri` again through references that are not object models."""
        stack, seen = [schema], set()
        while stack:
            node = stack.pop()
            if isinstance(node, dict):
                if isinstance(node.get("$ref"), str):
                    target, target_uri = self.resolver.deref(node)
                    if target_uri == uri:
                        return True
                    if target_uri in seen or _is_object(target, self.resolver):
                        continue
                    seen.add(target_uri)
                    stack.append(target)
                    continue
                stack.extend(v for k, v in node.items() if k not in ("example", "examples", "default", "enum", "const"))
            elif isinstance(node, list):
                stack.extend(node)
        return False

    def check_schema(self, schema: Mapping[str, Any], at: list[str | int], *, typed: bool) -> None:
        """Report the keywords of a Schema Object the builder cannot read, each of which it
        ignores; `typed` tells whether the schema's type comes from keywords other than `type`
        (an object's properties, an enum, a union), or else is Any when `type` is unreadable.

        An unknown `format` is not reported: formats are open (OAS 3.1 §4.4), and one this
        generator has no row for (see `types`) is typed by its `type`, with nothing lost."""
        if "$ref" in schema and not isinstance(schema["$ref"], str):
            self.warn([*at, "$ref"], f"$ref must be a string, found {_kind(schema['$ref'])}; ignored")
        declared = schema.get("type")
        if declared is not None:
            names = declared if isinstance(declared, list) else [declared]
            unknown = [n for n in names if not (isinstance(n, str) and n in _JSON_TYPES)]
            if not isinstance(declared, (str, list)):
                problem = f"type must be a JSON Schema type or a list of them, found {_kind(declared)}"
            elif unknown:
                problem = f"type {_kind(unknown[0])} is not a JSON Schema type ({', '.join(_JSON_TYPES)})"
            else:
                problem = ""
            if problem:
                self.warn([*at, "type"], f"{problem}; " + ("ignored" if typed else "typed as Any"))
        for keyword, shape, what in _SCHEMA_SHAPES:
            value = schema.get(keyword)
            if value is not None and not isinstance(value, shape):
                hint = _SHAPE_HINTS.get((keyword, type(value)), "")
                self.warn([*at, keyword], f"{keyword} must be {what}, found {_kind(value)}{hint}; ignored")

    def inline_schema(self, schema: Any, hint: str, at: list[str | int], base_uri: str | None = None) -> ir.TypeRef:
        """A schema written in place, as a type (an object or enum becomes a class named `hint`)."""
        if not isinstance(schema, dict):
            if not isinstance(schema, bool):  # `true` and `false` are schemas in 3.1
                self.warn(at, f"a schema must be a mapping, found {_kind(schema)}; typed as Any")
            return ANY
        types = _types_of(schema)
        nullable = "null" in types or schema.get("nullable") is True
        typed = True  # by keywords other than `type`
        result: ir.TypeRef
        if "const" in schema and (schema["const"] is None or isinstance(schema["const"], (str, int, bool))):
            # `Literal[...]` takes these; a number or structure `const` is typed by its schema
            result = ir.LiteralOf(schema["const"])
        elif "enum" in schema and _is_enum(schema) and _enum_base(schema):
            result = self.build_enum(schema, self.claim_class(class_name(hint)), at)
        elif _union_key(schema) is not None:
            result, nullable = self.build_union(schema, hint, at, base_uri, nullable)
        elif (
            isinstance(schema.get("allOf"), list) and not _has_own_object_keywords(schema) and len(schema["allOf"]) == 1
        ):
            result = self.schema_type(schema["allOf"][0], hint, [*at, "allOf", 0], base_uri)
        elif _is_object(schema, self.resolver):
            name = self.claim_class(class_name(hint))
            self.inline_models[id(schema)] = name
            self.owners.append(name)
            try:
                self.models[name] = self.build_object(schema, name, at)
            finally:
                self.owners.pop()
            result = ir.ModelRef(name)
        else:
            typed = False
            result = self.typed_schema(schema, hint, at, base_uri)
        self.check_schema(schema, at, typed=typed)
        return ir.Nullable(result) if nullable and not isinstance(result, ir.Nullable) and result is not ANY else result

    def typed_schema(
        self, schema: Mapping[str, Any], hint: str, at: list[str | int], base_uri: str | None
    ) -> ir.TypeRef:
        """A schema whose `type` says what it is: a map, a list or a scalar (Any when a `type`
        is not one JSON Schema has)."""
        types = _types_of(schema)
        declared = schema.get("type")
        if declared is not None and (not isinstance(declared, (str, list)) or set(types) - set(_JSON_TYPES)):
            return ANY
        if "object" in types or (not types and "additionalProperties" in schema):
            additional = schema.get("additionalProperties", True)
            return ir.MapOf(
                NEVER
                if _must_be_empty(schema)
                else (
                    ANY
                    if additional in (True, None, {}) or additional is False
                    else self.shallow(
                        self.schema_type(additional, hint + "Value", [*at, "additionalProperties"], base_uri), at
                    )
                )
            )
        if "array" in types:
            items = schema.get("items", {})
            items = items if isinstance(items, (dict, bool)) else {}  # reported by `check_schema`
            return ir.ListOf(self.shallow(self.schema_type(items, hint + "Item", [*at, "items"], base_uri), at))
        scalars = [t for t in types if t != "null"]
        if not types and isinstance(schema.get("enum"), list):
            # An enum that is no Enum class (see `_enum_base`) and has no type: typed by its values.
            scalars = list(dict.fromkeys(_json_type(v) for v in schema["enum"] if v is not None))
            if len(scalars) > 1:
                shown = ", ".join(_kind(v) for v in schema["enum"][:4]) + (", …" if len(schema["enum"]) > 4 else "")
                self.warn([*at, "enum"], f"enum [{shown}] has values of several types and no type; typed as Any")
                return ANY
        if len(scalars) > 1:
            return ir.UnionOf(tuple(primitive(t, _format(schema)) for t in scalars))
        return primitive(scalars[0], _format(schema)) if scalars else ANY

    def shallow(self, inner: ir.TypeRef, at: list[str | int]) -> ir.TypeRef:
        """`inner`, or `Any` when lists and maps nest so deep that Python could not parse the
        annotation (its parser allows 200 open brackets)."""
        if _nesting(inner) < MAX_TYPE_NESTING:
            return inner
        self.warn(at, f"lists and maps nest more than {MAX_TYPE_NESTING} levels deep; deeper levels are typed as Any")
        return ANY

    def build_union(
        self, schema: Mapping[str, Any], hint: str, at: list[str | int], base_uri: str | None, nullable: bool
    ) -> tuple[ir.TypeRef, bool]:
        """`oneOf`/`anyOf` (JSON Schema §10.2.1.2-3); a `null` member makes the union nullable."""
        key = "oneOf" if isinstance(schema.get("oneOf"), list) and schema["oneOf"] else "anyOf"
        listed = schema.get(key)
        raw_members: list[Any] = listed if isinstance(listed, list) else []
        members: list[ir.TypeRef] = []
        if key == "oneOf":
            self.check_one_of(raw_members, [*at, key], base_uri)
        for index, member in enumerate(raw_members):
            target, _ = self.resolver.deref(member, base_uri)
            if isinstance(target, dict) and _types_of(target) == ["null"]:
                nullable = True
                continue
            title = target.get("title") if isinstance(target, dict) else None
            name = hint + (pascal(title) if isinstance(title, str) and title else f"Variant{index + 1}")
            built = self.schema_type(member, name, [*at, key, index], base_uri)
            if built not in members:
                members.append(built)
        if not members:
            return ANY, nullable
        if len(members) == 1:
            return members[0], nullable
        return ir.UnionOf(tuple(members), self.build_discriminator(schema, raw_members, at)), nullable

    def check_one_of(self, members: list[Any], at: list[str | int], base_uri: str | None) -> None:
        """Report `oneOf` members that overlap whatever the value (JSON Schema §10.2.1.3: a value
        must match exactly one): a schema listed twice, or one that accepts everything beside
        others. Such a union rejects what it seems to allow; `anyOf` is what was meant."""
        seen: dict[str, int] = {}
        for index, member in enumerate(members):
            target, uri = self.resolver.deref(member, base_uri)
            if uri is not None and uri in seen:
                self.warn(
                    [*at, index],
                    f"oneOf lists {member.get('$ref')!r} again (as member {seen[uri]}): no value matches exactly "
                    "one of them, so every value is invalid; anyOf is likely meant",
                )
            elif uri is not None:
                seen[uri] = index
            if len(members) > 1 and (target is True or (isinstance(target, dict) and _accepts_anything(target))):
                self.warn(
                    [*at, index],
                    "this oneOf member accepts any value, so a value another member accepts matches two and is "
                    "invalid; anyOf is likely meant",
                )

    def build_discriminator(
        self, schema: Mapping[str, Any], raw: list[Any], at: list[str | int]
    ) -> ir.Discriminator | None:
        """The Discriminator Object (OAS 3.1 §4.8.25): explicit `mapping`, else component names.
        Without one, a union's value is decoded by trying each member in turn."""
        discriminator = schema.get("discriminator")
        if discriminator is None:
            return None
        where = [*at, "discriminator"]
        if not isinstance(discriminator, dict) or not isinstance(discriminator.get("propertyName"), str):
            self.warn(where, "a discriminator must be a mapping with a propertyName; ignored")
            return None
        explicit = discriminator.get("mapping")
        if explicit is not None and not isinstance(explicit, dict):
            self.warn([*where, "mapping"], f"mapping must map values to schemas, found {_kind(explicit)}; ignored")
        mapping: dict[str, ir.ModelRef] = {}
        for value, ref in explicit.items() if isinstance(explicit, dict) else ():
            built = self.schema_type({"$ref": mapping_target(ref)}, class_name(str(value)), [*where, "mapping", value])
            if isinstance(built, ir.ModelRef):
                mapping[str(value)] = built
            else:
                self.warn(
                    [*where, "mapping", value],
                    f"{ref!r} is not an object schema, which a discriminator value must name; left out of the mapping",
                )
        for member in raw:
            if isinstance(member, dict) and "$ref" in member:
                _, uri = self.resolver.deref(member)
                member_type = self.by_uri.get(uri or "")
                key = self.component_keys.get(uri or "")
                if key is not None and isinstance(member_type, ir.ModelRef) and member_type not in mapping.values():
                    mapping[key] = member_type
        return ir.Discriminator(discriminator["propertyName"], tuple(mapping.items())) if mapping else None

    def build_object(self, schema: Mapping[str, Any], name: str, at: list[str | int]) -> ir.ObjectModel:
        """An object schema as a dataclass: its properties (merged through `allOf`) and what else it keeps."""
        merged = self.merged_properties(schema, at, set())
        scope = Scope(_RESERVED_FIELDS)
        fields = []
        for wire, prop in merged.schemas.items():
            target, _ = self.resolver.deref(prop)
            read_only = bool(_get(target, "readOnly") or _get(prop, "readOnly"))
            write_only = bool(_get(target, "writeOnly") or _get(prop, "writeOnly"))
            field_type = self.schema_type(prop, name + pascal(wire), merged.where[wire])
            # A reference to a class is documented on the class; one to an alias or a scalar
            # schema lends the field its description.
            own_doc = _text(_get(prop, "description")) or _text(_get(prop, "title"))
            borrowed = None if isinstance(field_type, (ir.ModelRef, ir.EnumRef)) else _text(_get(target, "description"))
            fields.append(
                ir.Field(
                    name=scope.claim(_field_name(wire)),
                    wire=wire,
                    type=field_type,
                    required=wire in merged.required and not read_only and not write_only,
                    doc=_with_default(own_doc or borrowed, target if isinstance(target, dict) else {}),
                    read_only=read_only,
                    write_only=write_only,
                )
            )
        additional = merged.additional
        if additional is False:
            extra: ir.TypeRef | None = None
        elif additional in (True, None) or additional == {}:
            extra = ANY
        else:
            extra = self.schema_type(additional, name + "Value", merged.additional_at)
        return ir.ObjectModel(
            name=name,
            doc=_join(_get(schema, "title") if _get(schema, "title") != name else None, _get(schema, "description")),
            fields=tuple(fields),
            extra=extra,
            extra_name=scope.claim("additional_properties"),
            check=self.object_check(schema, at, frozenset()),
        )

    # -- constraints -------------------------------------------------------------------------------

    def build_check(
        self, node: Any, at: list[str | int], seen: frozenset[str] = frozenset(), *, arrays: bool = False
    ) -> ir.Check | None:
        """What a request value of this schema must meet (JSON Schema validation keywords), or
        None when nothing constrains it. A reference to an object model defers to its own check.

        With `arrays`, for an argument, each array the value holds outside object models must
        be one (`Check.array`): its annotation there is `SequenceNotStr`, which a type checker
        keeps a string out of, but which a caller without one may fill with a string."""
        target, uri = self.resolver.deref(node)
        if not isinstance(target, dict):
            return None
        if uri is not None:
            at = self.location(uri)
            built = self.by_uri.get(uri)
            if isinstance(built, ir.ModelRef):
                return ir.Check(model=built.name)
            if uri in seen:
                return None
            seen = seen | {uri}
        elif id(target) in self.inline_models:
            return ir.Check(model=self.inline_models[id(target)])
        union = _union_key(target)
        for key in (union,) if union is not None else ():
            listed = target.get(key)
            members = [
                (index, m)
                for index, m in enumerate(listed if isinstance(listed, list) else [])
                if _types_of(self.resolver.deref(m)[0]) != ["null"]
            ]
            if key in target:
                if len(members) == 1:
                    return self.build_check(members[0][1], [*at, key, members[0][0]], seen, arrays=arrays)
                # A value must meet one member's check; a member that checks nothing lets any
                # value through, so then the union checks nothing either, but for an instance of
                # a member's model, which is checked as that member (see `Rule.any_of`).
                checks = [self.build_check(m, [*at, key, index], seen, arrays=arrays) for index, m in members]
                constraining = [c for c in checks if c is not None and not self.checks_nothing(c)]
                if checks and len(constraining) == len(checks):
                    return ir.Check(any_of=tuple(constraining))
                if any(c.model is not None for c in constraining):
                    return ir.Check(
                        any_of=tuple(c if c is not None and c in constraining else ir.Check() for c in checks)
                    )
                return None
        parts: list[Any] = target["allOf"] if isinstance(target.get("allOf"), list) else []
        if len(parts) == 1 and not _has_own_object_keywords(target):
            inner = self.build_check(parts[0], [*at, "allOf", 0], seen, arrays=arrays)
            own = self.scalar_check(target, at)
            return inner if own is None else own if inner is None else _merge_checks(inner, own)
        if _is_object(target, self.resolver):
            check = self.object_check(target, at, seen)
            return check if check != ir.Check() else None
        scalar = self.scalar_check(target, at) or ir.Check()
        if _must_be_empty(target):
            scalar = dataclasses.replace(scalar, max_properties=0)
        required = target.get("required")
        if isinstance(required, list) and required and "object" in (_types_of(target) or ["object"]):
            # A map's required names, which no property describes (a model's are its fields).
            scalar = dataclasses.replace(scalar, required=tuple(dict.fromkeys(str(n) for n in required)))
        items = target.get("items")
        additional = target.get("additionalProperties")
        names = target.get("propertyNames")
        check = _replace_check(
            scalar,
            array=arrays and _typed_as_list(target),
            items=self.build_check(items, [*at, "items"], seen, arrays=arrays) if isinstance(items, dict) else None,
            values=(
                self.build_check(additional, [*at, "additionalProperties"], seen, arrays=arrays)
                if isinstance(additional, dict)
                else None
            ),
            keys=self.build_check(names, [*at, "propertyNames"], seen) if isinstance(names, dict) else None,
        )
        return check if check != ir.Check() else None

    def field_check(self, body_field: ir.Field, properties: _Properties) -> ir.Check | None:
        """What a body field's argument must meet before the body model is built from it: to be
        an array where its type holds one (see `Operation.checked_fields`), and for a union with
        a model member, all of its check, while an instance of a member is still one (`Rule.
        any_of`). Its other constraints are the body model's, checked on the body it encodes."""
        schema = properties.schemas.get(body_field.wire)
        if schema is None:
            return None
        if isinstance(body_field.type, ir.UnionOf) or (
            isinstance(body_field.type, ir.Nullable) and isinstance(body_field.type.inner, ir.UnionOf)
        ):
            check = self.build_check(schema, properties.where[body_field.wire], arrays=True)
            if check is not None and any(c.model is not None for c in check.any_of):
                return check
        if not any(isinstance(t, ir.ListOf) for t in ir.walk(body_field.type, into_aliases=True)):
            return None
        return _arrays_of(self.build_check(schema, properties.where[body_field.wire], arrays=True))

    def checks_nothing(self, check: ir.Check) -> bool:
        """Whether `check` only defers to an object model that has nothing to check (a model
        still being built may have something)."""
        model = self.models.get(check.model) if check.model is not None else None
        return isinstance(model, ir.ObjectModel) and model.check == ir.Check() and check == ir.Check(model=check.model)

    def object_check(self, schema: Any, at: list[str | int], seen: frozenset[str]) -> ir.Check:
        """The check of an object schema: required and constrained properties, through `allOf`."""
        merged = self.merged_properties(schema, at, set())
        checks = []
        for wire, prop in merged.schemas.items():
            target, _ = self.resolver.deref(prop)
            if _get(target, "readOnly") or _get(prop, "readOnly"):
                continue
            check = self.build_check(prop, merged.where[wire], seen)
            if check is not None:
                checks.append((wire, check))
        read_only = {w for w, p in merged.schemas.items() if _get(self.resolver.deref(p)[0], "readOnly")}
        base = self.scalar_check(schema, at) or ir.Check()
        names = schema.get("propertyNames") if isinstance(schema, dict) else None
        additional = merged.additional
        presence = _presence_alternatives(schema)
        if presence:
            # The names of one alternative are there (of exactly one, for a `oneOf`).
            base = dataclasses.replace(
                base,
                any_of=tuple(ir.Check(required=names) for names in presence),
                exactly_one=isinstance(schema.get("oneOf"), list) and bool(schema["oneOf"]),
            )
        together = _not_together(schema)
        if together:
            base = dataclasses.replace(base, not_together=together)
        return _replace_check(
            base,
            required=tuple(w for w in merged.schemas if w in merged.required and w not in read_only),
            properties=tuple(checks),
            values=self.build_check(additional, merged.additional_at, seen) if isinstance(additional, dict) else None,
            keys=self.build_check(names, [*at, "propertyNames"], seen) if isinstance(names, dict) else None,
        )

    def scalar_check(self, schema: Mapping[str, Any], at: list[str | int]) -> ir.Check | None:
        """The keywords of `schema` itself (3.0's boolean `exclusiveMinimum` read as 3.1's)."""
        found: dict[str, Any] = {}
        for keyword, name in _CHECK_KEYWORDS.items():
            value = schema.get(keyword)
            if isinstance(value, bool) and name != "unique_items":
                continue  # 3.0's boolean exclusiveMinimum/Maximum: below
            if value is not None and value is not False:
                found[name] = value
        for flag, bound, name in (
            ("exclusiveMinimum", "minimum", "exclusive_minimum"),
            ("exclusiveMaximum", "maximum", "exclusive_maximum"),
        ):
            if schema.get(flag) is True and bound in found:
                found[name] = found.pop(bound)
        if "pattern" in found and not _compiles(str(found["pattern"])):
            self.warn(
                [*at, "pattern"],
                f"pattern {found['pattern']!r} is not a Python regular expression; not checked client-side",
            )
            del found["pattern"]
        listed = schema.get("enum")
        values = (
            [v for v in listed if v is not None and not isinstance(v, (dict, list))] if isinstance(listed, list) else []
        )
        if "const" in schema and isinstance(schema["const"], (str, int, float, bool)):
            values = [schema["const"]]
        if values:
            found["enum"] = tuple(dict.fromkeys(values))
        return ir.Check(**found) if found else None

    def merged_properties(
        self, schema: Any, at: list[str | int], seen: set[int], *, nested: bool = False
    ) -> _Properties:
        """Properties, required names and `additionalProperties` of `schema` and its `allOf`
        parts, with where each is written; a required name that no property describes is a
        property of any value (or of `additionalProperties`' schema), but in a `nested` part,
        whose whole may describe it."""
        merged = _Properties()
        if not isinstance(schema, dict) or id(schema) in seen:
            return merged
        seen.add(id(schema))
        merged.additional, merged.additional_at = schema.get("additionalProperties"), [*at, "additionalProperties"]
        parts = schema.get("allOf")
        for index, part in enumerate(parts if isinstance(parts, list) else []):
            target, uri = self.resolver.deref(part)
            part_at = self.location(uri) if uri else [*at, "allOf", index]
            if isinstance(target, dict):
                self.check_schema(target, part_at, typed=True)
            more = self.merged_properties(target, part_at, seen, nested=True)
            merged.schemas.update(more.schemas)
            merged.where.update(more.where)
            merged.required |= {n: w for n, w in more.required.items() if n not in merged.required}
            if merged.additional is None:
                merged.additional, merged.additional_at = more.additional, more.additional_at
        own = schema.get("properties")
        if isinstance(own, dict):
            merged.schemas.update(own)
            merged.where.update({wire: [*at, "properties", wire] for wire in own})
        names = schema.get("required")
        for index, name in enumerate(names if isinstance(names, list) else []):
            merged.required.setdefault(str(name), [*at, "required", index])
        if not nested:
            # A required name no property describes must still be present (JSON Schema §10.3.2.
            # 2-3): it is a property of `additionalProperties`' schema, else of any value.
            additional = merged.additional if isinstance(merged.additional, dict) else {}
            for name, where in merged.required.items():
                if name not in merged.schemas:
                    merged.schemas[name] = additional
                    merged.where[name] = merged.additional_at if additional else where
        return merged

    def build_enum(self, schema: Mapping[str, Any], name: str, at: list[str | int]) -> ir.EnumRef:
        """A string or integer `enum` (see `_enum_base`) as an open Enum class, with the `Literal`
        alias of its values (`GenreValue`) beside it."""
        values = [v for v in schema["enum"] if v is not None]
        base = _enum_base(schema)
        assert base is not None
        declared = [t for t in _types_of(schema) if t != "null"]
        if declared and not set(declared) & _ENUM_TYPES[base]:
            kind = "strings" if base == "str" else "integers"
            self.warn([*at, "enum"], f"enum values are {kind} but type is {', '.join(declared)}; the type is ignored")
        scope = Scope({"name", "value"})
        members = tuple(ir.EnumMember(scope.claim(constant_name(v)), v) for v in dict.fromkeys(values))
        literal = self.classes.claim(f"{name}Value")
        doc = _text(schema.get("description"))
        self.models[name] = ir.EnumModel(name, doc, base, members, literal)
        return ir.EnumRef(name, literal)

    # -- model modules -----------------------------------------------------------------------------

    def model_modules(self) -> tuple[ir.ModelModule, ...]:
        """Group models into files: an inline model lives with the model it was met in, and models
        that refer to each other in a cycle share a file, so that no two model files import each
        other. Files are ordered by their first model, in the order names were claimed."""
        order = [n for n in self.claimed if n in self.models]
        rank = {n: i for i, n in enumerate(order)}
        parent = {n: n for n in order}

        def find(n: str) -> str:
            while parent[n] != n:
                parent[n] = parent[parent[n]]
                n = parent[n]
            return n

        def union(a: str, b: str) -> None:
            ra, rb = find(a), find(b)
            if ra != rb:
                first, second = sorted((ra, rb), key=rank.__getitem__)
                parent[second] = first

        for name, owner in self.owner.items():
            if name in parent and owner in parent:
                union(name, owner)
        edges = {n: _references(self.models[n]) for n in order}
        for component in _strongly_connected(order, edges):
            for other in component[1:]:
                union(component[0], other)
        members: dict[str, list[str]] = {}
        for name in order:
            members.setdefault(find(name), []).append(name)
        files = Scope({"__init__"})
        return tuple(
            ir.ModelModule(files.claim(module_name(root)), _definition_order([self.models[n] for n in names]))
            for root, names in members.items()
        )


# -- helpers --------------------------------------------------------------------------------------


_JSON_TYPES = ("string", "number", "integer", "boolean", "array", "object", "null")
# The schema keywords whose value the builder reads only in one shape: (keyword, shape, what it must be).
_SCHEMA_SHAPES: tuple[tuple[str, type | tuple[type, ...], str], ...] = (
    ("properties", dict, "a mapping of property names to schemas"),
    ("required", list, "a list of property names"),
    ("allOf", list, "a list of schemas"),
    ("oneOf", list, "a list of schemas"),
    ("anyOf", list, "a list of schemas"),
    ("enum", list, "a list of values"),
    ("items", (dict, bool), "one schema"),
)
_SHAPE_HINTS = {
    ("required", bool): " (OpenAPI 3 lists the required properties on their object)",
    ("items", list): " (a list of schemas, the tuple form, is not supported)",
}
# The types an enum's values may declare: strings; integers (which are numbers too).
_ENUM_TYPES = {"str": {"string"}, "int": {"integer", "number"}}

_CHECK_KEYWORDS = {
    "maxLength": "max_length",
    "minLength": "min_length",
    "pattern": "pattern",
    "minimum": "minimum",
    "maximum": "maximum",
    "exclusiveMinimum": "exclusive_minimum",
    "exclusiveMaximum": "exclusive_maximum",
    "multipleOf": "multiple_of",
    "maxItems": "max_items",
    "minItems": "min_items",
    "uniqueItems": "unique_items",
    "maxProperties": "max_properties",
    "minProperties": "min_properties",
}


def _compiles(pattern: str) -> bool:
    try:
        re.compile(pattern)
    except re.error:
        return False
    return True


def _typed_as_list(schema: Mapping[str, Any]) -> bool:
    """Whether a schema that is no union, `allOf` or object is typed as a list (see
    `inline_schema` and `typed_schema`): a `const` or an enum class comes first, a map too."""
    if "const" in schema and (schema["const"] is None or isinstance(schema["const"], (str, int, bool))):
        return False
    if "enum" in schema and _is_enum(schema) and _enum_base(schema):
        return False
    types = _types_of(schema)
    return "array" in types and "object" not in types


def _arrays_of(check: ir.Check | None) -> ir.Check | None:
    """The part of a check that says where arrays must be: `array` and the items and values
    holding one; a union holding one keeps its members whole, since a string one of them
    takes (Stripe's `""` for "unset") must still pass."""
    if check is None:
        return None
    if check.any_of:
        return ir.Check(any_of=check.any_of) if any(_arrays_of(c) for c in check.any_of) else None
    items, values = _arrays_of(check.items), _arrays_of(check.values)
    return ir.Check(array=check.array, items=items, values=values) if check.array or items or values else None


def _replace_check(check: ir.Check, **changes: Any) -> ir.Check:
    return dataclasses.replace(check, **{k: v for k, v in changes.items() if v})


def _merge_checks(first: ir.Check, second: ir.Check) -> ir.Check:
    """Both checks at once: `second`'s keywords win where both set one."""
    return dataclasses.replace(
        first,
        **{
            f.name: getattr(second, f.name)
            for f in dataclasses.fields(second)
            if getattr(second, f.name) is not None
            and getattr(second, f.name) is not False
            and getattr(second, f.name) != ()
        },
    )


def _pointer_wires(expression: str) -> list[str] | None:
    """`$response.body#/a/b` (an OpenAPI runtime expression, OAS 3.1 §4.8.20.4) as ["a", "b"]."""
    if not expression.startswith("$response.body#/"):
        return None
    return pointer_parts(expression.removeprefix("$response.body#"))


def _field_name(wire: str) -> str:
    name = attr_name(wire)
    return name + "_" if name in _ANNOTATION_BUILTINS else name


# The styles each parameter location allows (OAS 3.1 §4.8.12.4), its default first.
_PARAMETER_STYLES = {
    "path": ("simple", "label", "matrix"),
    "query": ("form", "spaceDelimited", "pipeDelimited", "deepObject"),
    "header": ("simple",),
    "cookie": ("form",),
}


def _value_kind(schema: Any) -> str | None:
    """Whether a schema describes a primitive, an array or an object (None: it does not say)."""
    if not isinstance(schema, dict):
        return None
    kind = schema.get("type")
    if isinstance(kind, list):
        kinds = [k for k in kind if k != "null"]
        kind = kinds[0] if len(kinds) == 1 else None
    if kind in ("array", "object"):
        return str(kind)
    if kind in ("string", "integer", "number", "boolean"):
        return "primitive"
    if "properties" in schema:
        return "object"
    return None


def _template_variables(path: str) -> list[str]:
    """The `{name}` variables of a path template, in order."""
    return list(dict.fromkeys(re.findall(r"\{([^{}]+)\}", _plain_template(path))))


def _kind(value: Any) -> str:
    """What a value of the wrong shape is, for a warning: `'body'`, `null`, `a list`..."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (str, int, float)):
        text = repr(value)
        return text if len(text) <= 40 else text[:39] + "…"
    if isinstance(value, (list, dict)):
        return ("an empty " if not value else "a ") + ("list" if isinstance(value, list) else "mapping")
    return type(value).__name__


def _accepts_anything(schema: Mapping[str, Any]) -> bool:
    """Whether a schema asserts nothing: no keys but annotations and extensions."""
    return all(k in _ANNOTATIONS or k.startswith("x-") for k in schema)


_ANNOTATIONS = frozenset(
    {"title", "description", "default", "example", "examples", "deprecated", "readOnly", "writeOnly", "$comment"}
)


def _get(node: Any, key: str) -> Any:
    return node.get(key) if isinstance(node, dict) else None


def _items(node: Any) -> Iterable[tuple[str, Any]]:
    """The entries of a mapping; nothing for anything else."""
    return node.items() if isinstance(node, dict) else ()


def _text(value: Any) -> str | None:
    return value.strip() or None if isinstance(value, str) else None


def _join(*parts: Any) -> str | None:
    texts = [t for t in (_text(p) for p in parts) if t]
    return "\n\n".join(dict.fromkeys(texts)) or None


def _plain_template(path: str) -> str:
    """The path with plain `{name}` variables: RFC 6570 operators and modifiers (`{.name}`,
    `{;name*}`), which OpenAPI path templates do not have but some documents use, are dropped;
    the parameter's `style` says how its value is written."""
    return re.sub(r"\{[+#./;?&]?([^{}*:]+)(?:\*|:\d+)?\}", r"{\1}", path)


def _with_default(doc: str | None, schema: Any) -> str | None:
    """The description, noting the schema's `default`: what the server assumes when the value
    is not sent (the client sends nothing in its place)."""
    if not isinstance(schema, dict) or "default" not in schema:
        return doc
    note = f"Defaults to {json.dumps(schema['default'])}."
    return f"{doc} {note}" if doc else note


def _is_map(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and "object" in (_types_of(schema) or ["object"])
        and isinstance(schema.get("additionalProperties"), dict)
        and not schema.get("properties")
        and not any(k in schema for k in ("allOf", "enum", "items"))
        and _union_key(schema) is None
    )


def _format(schema: Mapping[str, Any]) -> Any:
    """The `format`, with 3.1's `contentMediaType` of a non-text type read as `binary`."""
    media = schema.get("contentMediaType")
    if "format" not in schema and isinstance(media, str) and not media.startswith(("text/", "application/json")):
        return "binary"
    return schema.get("format")


def _types_of(schema: Mapping[str, Any]) -> list[str]:
    declared = schema.get("type")
    if isinstance(declared, str):
        return [declared]
    if isinstance(declared, list):
        return [str(t) for t in declared]
    return []


def _is_enum(schema: Any) -> bool:
    return (
        isinstance(schema, dict)
        and isinstance(schema.get("enum"), list)
        and "const" not in schema
        and not {"object", "array"} & set(_types_of(schema))
    )


def _enum_base(schema: Mapping[str, Any]) -> Literal["str", "int"] | None:
    """ "str" or "int" when the values of an `enum` (null aside) make an Enum class of that
    base: all strings, or all integers. Others (booleans, numbers, mixed) are typed by the
    schema's type, and checked against the values before sending."""
    values = [v for v in schema["enum"] if v is not None]
    if values and all(isinstance(v, str) for v in values):
        return "str"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int"
    return None


def _json_type(value: Any) -> str:
    """The JSON Schema type of a JSON value."""
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    return "string" if isinstance(value, str) else "array" if isinstance(value, list) else "object"


def _has_own_object_keywords(schema: Mapping[str, Any]) -> bool:
    return bool(schema.get("properties")) or "additionalProperties" in schema


def _union_key(schema: Mapping[str, Any]) -> str | None:
    """The keyword (`oneOf`, else `anyOf`) that makes `schema` a union of types; None when it
    has neither, or when its members only say which properties must be there (`anyOf:
    [{required: [a]}, {required: [b]}]` beside `properties`): those constrain an object, they
    do not type it."""
    for key in ("oneOf", "anyOf"):
        listed = schema.get(key)
        if isinstance(listed, list) and listed:
            return None if _presence_alternatives(schema, key) else key
        if isinstance(listed, list):
            return key
    return None


def _presence_alternatives(schema: Any, key: str | None = None) -> tuple[tuple[str, ...], ...]:
    """The required names of each member of a `oneOf`/`anyOf` whose members assert nothing but
    `required`, on a schema that describes an object's properties; () otherwise."""
    if not isinstance(schema, dict) or not schema.get("properties"):
        return ()
    for name in (key,) if key else ("oneOf", "anyOf"):
        listed = schema.get(name)
        if not isinstance(listed, list) or not listed:
            continue
        found = []
        for member in listed:
            required = member.get("required") if isinstance(member, dict) else None
            if not isinstance(required, list) or not all(isinstance(n, str) for n in required):
                return ()
            if any(k not in _ANNOTATIONS and k != "required" and not k.startswith("x-") for k in member):
                return ()
            found.append(tuple(required))
        return tuple(found)
    return ()


def _not_together(schema: Any) -> tuple[str, ...]:
    """The names of a `not: {required: [...]}` (they may not all be there): the one form of
    `not` checked, being exact; a `not` of other keywords is left to the server."""
    negated = schema.get("not") if isinstance(schema, dict) else None
    if not isinstance(negated, dict) or any(k != "required" and k not in _ANNOTATIONS for k in negated):
        return ()
    required = negated.get("required")
    if not isinstance(required, list) or not required or not all(isinstance(n, str) for n in required):
        return ()
    return tuple(dict.fromkeys(required))


def _is_object(schema: Any, resolver: Resolver, seen: frozenset[int] = frozenset()) -> bool:
    """Does this schema describe an object with named properties (here or through `allOf`)?
    A schema met again through its own `allOf` adds nothing."""
    if not isinstance(schema, dict) or _union_key(schema) is not None or "enum" in schema:
        return False
    if schema.get("properties"):
        return True
    parts = schema.get("allOf") or []
    if id(schema) in seen or not isinstance(parts, list):
        return False
    if len(parts) > 1 or (parts and _has_own_object_keywords(schema)):
        return any(_is_object(resolver.deref(p)[0], resolver, seen | {id(schema)}) for p in parts)
    return False


def _must_be_empty(schema: Mapping[str, Any]) -> bool:
    """Whether an object schema allows no property at all: `additionalProperties: false` and
    no `properties` or `patternProperties` (typed `dict[str, Never]`, checked to be empty)."""
    return (
        schema.get("additionalProperties") is False
        and not schema.get("properties")
        and not schema.get("patternProperties")
        and not schema.get("allOf")
        and set(_types_of(schema)) <= {"object", "null"}
    )


def _nullable_if(schema: Mapping[str, Any], ref: ir.TypeRef) -> ir.TypeRef:
    nullable = schema.get("nullable") is True or "null" in _types_of(schema) or None in schema.get("enum", [])
    return ir.Nullable(ref) if nullable else ref


def _group_names(value: Any) -> list[str]:
    """The names an `x-fern-sdk-group-name` holds: one, or a list of them (nested groups)."""
    if isinstance(value, str):
        return [value] if value else []
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v for v in value if v]
    return []


def _group_key(node: Mapping[str, Any]) -> str | None:
    group = " ".join(_group_names(node.get("x-fern-sdk-group-name")))
    if group:
        return group
    tags = _tags(node)
    return tags[0] if tags else None


def _tags(node: Mapping[str, Any]) -> list[str]:
    """An operation's tags (OAS 3.1 §4.8.10.1): a list of names."""
    tags = node.get("tags")
    return (
        [str(t) for t in tags if isinstance(t, (str, int)) and not isinstance(t, bool)]
        if isinstance(tags, list)
        else []
    )


def _client_members(group: str | None) -> frozenset[str]:
    return frozenset({"close", "aclose"}) if group is None else frozenset()


def _pick_media_type(content: Mapping[str, Any]) -> str | None:
    """JSON first, then form, then text, then anything else, in document order within each."""
    if not content:
        return None
    ranked = sorted(content, key=lambda m: (_MEDIA_RANK.get(_media_kind(m), 9)))
    return str(ranked[0])


def _media_kind(media_type: str) -> str:
    media = media_type.split(";", 1)[0].strip().lower()
    if media in ("application/json", "*/*") or media.endswith("+json"):
        return "json"
    if media == "application/x-www-form-urlencoded":
        return "form"
    if media.startswith("text/"):
        return "text"
    if media.startswith("multipart/"):
        return "multipart"
    return "binary"


_TOKEN = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")

# Header parameters the specification sets aside (OAS 3.1.1 §4.8.12.1), by lower-case name.
_IGNORED_HEADERS = frozenset({"accept", "content-type", "authorization"})

_MEDIA_RANK = {"json": 0, "form": 1, "multipart": 2, "text": 3, "binary": 4}
_AS = {"binary": "bytes", "text": "text"}
_MEDIA_TYPE = re.compile(r"\s*[^\s/;]+/[^\s;]+\s*(;.*)?", re.DOTALL)  # type/subtype, parameters
# Keywords that give a schema a structure a body of bytes or text does not keep.
_STRUCTURE_KEYWORDS = ("properties", "items", "allOf", "oneOf", "anyOf", "additionalProperties", "enum", "const")


def _acceptable(media_type: str, encoding: str) -> str:
    """The media type as an `Accept` header may name it: a range read as JSON (`*/*`) is asked
    for as JSON, which the client reads it as; a key that is not a media type, or that a
    header cannot carry, is asked for as anything (`*/*`)."""
    media = media_type.strip()
    if encoding == "json" and "*" in media:
        return "application/json"
    fits = _MEDIA_TYPE.fullmatch(media) and media.isascii() and media.isprintable() and "," not in media
    return media if fits else "*/*"


def _request_encoding(media_type: str) -> Any:
    return _media_kind(media_type)


def _response_encoding(media_type: str) -> Any:
    kind = _media_kind(media_type)
    return kind if kind in ("json", "text") else "binary"


def _union(types: list[ir.TypeRef | None]) -> ir.TypeRef | None:
    distinct: list[ir.TypeRef] = []
    for t in types:
        if t is not None and t not in distinct:
            distinct.append(t)
    if not distinct:
        return None
    result = distinct[0] if len(distinct) == 1 else ir.UnionOf(tuple(distinct))
    return ir.Nullable(result) if None in types and not isinstance(result, ir.Nullable) else result


def _status_errors(groups: tuple[ir.Group, ...]) -> tuple[ir.StatusError, ...]:
    statuses: set[int] = set()
    for group in groups:
        for op in group.operations:
            statuses.update(
                int(r.status) for r in (*op.successes, *op.errors) if r.status.isdigit() and int(r.status) >= 400
            )
    return tuple(_status_error(s) for s in sorted(statuses))


def _status_error(status: int) -> ir.StatusError:
    try:
        phrase = http.HTTPStatus(status).phrase
    except ValueError:
        return ir.StatusError(status, f"Status{status}Error", f"HTTP {status}")
    name = pascal(phrase)
    return ir.StatusError(status, name if name.endswith("Error") else name + "Error", phrase)


def _references(model: ir.Model) -> set[str]:
    """Names of the models that `model`'s definition refers to, by its types or by its rule
    (a union's member behind an alias, `model=lambda: Member._RULE`)."""
    types: list[ir.TypeRef] = []
    checks: list[ir.Check] = []
    if isinstance(model, ir.ObjectModel):
        types = [f.type for f in model.fields] + ([model.extra] if model.extra is not None else [])
        checks = [model.check]
    elif isinstance(model, ir.AliasModel):
        types = [model.target]
    found = {
        t.name
        for root in types
        for t in ir.walk(root, into_aliases=False)
        if isinstance(t, (ir.ModelRef, ir.EnumRef, ir.AliasRef, ir.RecursiveRef))
    }
    while checks:
        check = checks.pop()
        if check.model is not None:
            found.add(check.model)
        checks.extend(c for c in (check.items, check.values, check.keys, *check.any_of) if c is not None)
        checks.extend(c for _, c in check.properties)
    return found


def _strongly_connected(nodes: list[str], edges: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm, iterative (documents nest deeper than Python's recursion limit)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    result: list[list[str]] = []
    counter = 0
    for start in nodes:
        if start in index:
            continue
        work = [(start, iter(sorted(edges.get(start, ()))))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in edges:
                    continue
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges.get(child, ())))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    result.append(component)
    return result


def _definition_order(models: list[ir.Model]) -> tuple[ir.Model, ...]:
    """Classes first (their annotations are lazy), then aliases, each after the aliases it uses
    (an alias's right-hand side runs at import time)."""
    classes = [m for m in models if not isinstance(m, ir.AliasModel)]
    aliases = {m.name: m for m in models if isinstance(m, ir.AliasModel)}
    ordered: list[ir.Model] = []
    placed: set[str] = set()

    def place(alias: ir.AliasModel, visiting: set[str]) -> None:
        if alias.name in placed or alias.name in visiting:
            return
        visiting.add(alias.name)
        for dep in sorted(_references(alias)):
            if dep in aliases:
                place(aliases[dep], visiting)
        placed.add(alias.name)
        ordered.append(alias)

    for alias in aliases.values():
        place(alias, set())
    return (*classes, *ordered)
