"""Builder tests, table-driven: a document fragment in, the IR it must become out."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from generator import ir
from generator.build import build_api
from generator.load import Document
from generator.resolve import Resolver
from generator.types import ANY, PRIMITIVES

STR = PRIMITIVES[("string", None)]
INT = PRIMITIVES[("integer", None)]
DATETIME = PRIMITIVES[("string", "date-time")]


def build(schemas: dict[str, Any], paths: dict[str, Any] | None = None, **extra: Any) -> ir.Api:
    data = {
        "openapi": "3.1.0",
        "info": {"title": "T", "version": "1"},
        "paths": paths or {},
        "components": {"schemas": schemas},
        **extra,
    }
    document = Document(path=Path("/virtual/spec.yaml"), data=data, sha256="0" * 64, text="")
    api, warnings = build_api(document, Resolver(document), "t")
    return api


def model(api: ir.Api, name: str) -> ir.Model:
    return next(m for m in api.models if m.name == name)


def field_type(fragment: Any, **schemas: Any) -> ir.TypeRef:
    """The type a property schema becomes (as the field `value` of a model `Holder`)."""
    api = build({"Holder": {"type": "object", "properties": {"value": fragment}}, **schemas})
    holder = model(api, "Holder")
    assert isinstance(holder, ir.ObjectModel)
    return holder.fields[0].type


OBJECT_A = {"type": "object", "properties": {"a": {"type": "string"}}}
OBJECT_B = {"type": "object", "properties": {"b": {"type": "string"}}}


@pytest.mark.parametrize(
    ("fragment", "expected"),
    [
        ({"type": "string"}, STR),
        ({"type": "string", "format": "date-time"}, DATETIME),
        ({"type": "string", "format": "no-such-format"}, STR),
        ({"type": "integer", "format": "int64"}, INT),
        ({"type": ["string", "null"]}, ir.Nullable(STR)),
        ({"type": "string", "nullable": True}, ir.Nullable(STR)),  # 3.0 spelling
        ({"oneOf": [{"type": "string"}, {"type": "null"}]}, ir.Nullable(STR)),
        ({"type": ["string", "integer"]}, ir.UnionOf((STR, INT))),
        ({"type": "array", "items": {"type": "integer"}}, ir.ListOf(INT)),
        ({"type": "array"}, ir.ListOf(ANY)),
        ({"type": "object", "additionalProperties": {"type": "integer"}}, ir.MapOf(INT)),
        ({"type": "object"}, ir.MapOf(ANY)),
        ({}, ANY),
        ({"const": "circle"}, ir.LiteralOf("circle")),
        ({"$ref": "#/components/schemas/A"}, ir.ModelRef("A")),
        ({"allOf": [{"$ref": "#/components/schemas/A"}], "description": "a ref with siblings"}, ir.ModelRef("A")),
        (
            {"anyOf": [{"$ref": "#/components/schemas/A"}, {"$ref": "#/components/schemas/B"}]},
            ir.UnionOf((ir.ModelRef("A"), ir.ModelRef("B"))),
        ),
        ({"$ref": "#/components/schemas/Tags"}, ir.AliasRef("Tags", ir.MapOf(STR))),
        ({"$ref": "#/components/schemas/Color"}, ir.EnumRef("Color", "ColorValue")),
        ({"type": "string", "enum": ["x", "y"]}, ir.EnumRef("HolderValue", "HolderValueValue")),
    ],
    ids=lambda v: repr(v)[:60] if isinstance(v, dict) else "",
)
def test_schema_types(fragment: Any, expected: ir.TypeRef) -> None:
    schemas = {
        "A": OBJECT_A,
        "B": OBJECT_B,
        "Tags": {"type": "object", "additionalProperties": {"type": "string"}},
        "Color": {"type": "string", "enum": ["red"]},
    }
    assert field_type(fragment, **schemas) == expected


def test_discriminator_mapping_explicit_and_implicit() -> None:
    schemas = {
        "Cat": {"type": "object", "properties": {"kind": {"type": "string"}}},
        "Dog": {"type": "object", "properties": {"kind": {"type": "string"}}},
    }
    explicit = field_type(
        {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind", "mapping": {"c": "#/components/schemas/Cat", "d": "Dog"}},
        },
        **schemas,
    )
    assert isinstance(explicit, ir.UnionOf) and explicit.discriminator is not None
    assert dict(explicit.discriminator.mapping) == {"c": ir.ModelRef("Cat"), "d": ir.ModelRef("Dog")}
    implicit = field_type(
        {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}, {"$ref": "#/components/schemas/Dog"}],
            "discriminator": {"propertyName": "kind"},
        },
        **schemas,
    )
    assert isinstance(implicit, ir.UnionOf) and implicit.discriminator is not None
    assert dict(implicit.discriminator.mapping) == {"Cat": ir.ModelRef("Cat"), "Dog": ir.ModelRef("Dog")}


def test_object_fields_names_requiredness_and_extra() -> None:
    api = build(
        {
            "Pet": {
                "type": "object",
                "description": "A pet.",
                "required": ["petId", "class", "secret"],
                "properties": {
                    "petId": {"type": "integer", "description": "Its id."},
                    "class": {"type": "string"},
                    "secret": {"type": "string", "writeOnly": True},
                    "etag": {"type": "string", "readOnly": True},
                },
                "additionalProperties": False,
            }
        }
    )
    pet = model(api, "Pet")
    assert isinstance(pet, ir.ObjectModel)
    assert pet.doc == "A pet." and pet.extra is None
    assert [(f.name, f.wire, f.required) for f in pet.fields] == [
        ("pet_id", "petId", True),
        ("class_", "class", True),
        ("secret", "secret", False),  # write-only: absent from responses
        ("etag", "etag", False),
    ]
    assert pet.fields[0].doc == "Its id."


def test_all_of_merges_properties_and_required() -> None:
    api = build(
        {
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string"}}},
            "Pet": {
                "allOf": [
                    {"$ref": "#/components/schemas/Base"},
                    {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}},
                ]
            },
        }
    )
    pet = model(api, "Pet")
    assert isinstance(pet, ir.ObjectModel)
    assert [(f.name, f.required) for f in pet.fields] == [("id", True), ("name", True)]


def test_recursive_schemas_share_a_module() -> None:
    api = build(
        {
            "Node": {
                "type": "object",
                "properties": {
                    "children": {"type": "array", "items": {"$ref": "#/components/schemas/Node"}},
                    "link": {"$ref": "#/components/schemas/Link"},
                },
            },
            "Link": {"type": "object", "properties": {"to": {"$ref": "#/components/schemas/Node"}}},
            "Leaf": {"type": "object", "properties": {"node": {"$ref": "#/components/schemas/Node"}}},
        }
    )
    node = model(api, "Node")
    assert isinstance(node, ir.ObjectModel)
    assert node.fields[0].type == ir.ListOf(ir.ModelRef("Node"))
    modules = {m.name: [x.name for x in m.models] for m in api.modules}
    assert modules == {"node": ["Node", "Link"], "leaf": ["Leaf"]}


def test_inline_objects_get_stable_names_and_live_with_their_owner() -> None:
    api = build(
        {
            "Op": {
                "type": "object",
                "properties": {"stats": {"type": "object", "properties": {"total": {"type": "integer"}}}},
            }
        }
    )
    assert {m.name: [x.name for x in m.models] for m in api.modules} == {"op": ["Op", "OpStats"]}


def test_colliding_names_get_deterministic_suffixes() -> None:
    api = build(
        {
            "pet": {"type": "object", "properties": {"a": {"type": "string"}}},
            "Pet": {"type": "object", "properties": {"b": {"type": "string"}}},
            "Client": OBJECT_A,
        }
    )
    assert [m.name for m in api.models] == ["Pet", "Pet2", "Client2"]


def test_enum_members() -> None:
    api = build(
        {
            "Status": {"type": "string", "enum": ["in-progress", "done", "", "1st", None], "nullable": True},
            "Level": {"type": "integer", "enum": [1, 2]},
        }
    )
    status = model(api, "Status")
    assert isinstance(status, ir.EnumModel) and status.base == "str"
    assert [(m.name, m.value) for m in status.members] == [
        ("IN_PROGRESS", "in-progress"),
        ("DONE", "done"),
        ("EMPTY", ""),
        ("VALUE_1_ST", "1st"),
    ]
    level = model(api, "Level")
    assert isinstance(level, ir.EnumModel) and level.base == "int"
    assert (status.values, level.values) == ("StatusValue", "LevelValue")


def test_enum_values_alias_takes_a_free_name() -> None:
    """The `Literal` alias of an enum's values is claimed like a class: a schema of that name
    keeps it, and the alias takes the next one."""
    api = build({"Color": {"type": "string", "enum": ["red"]}, "ColorValue": OBJECT_A})
    color = model(api, "Color")
    assert isinstance(color, ir.EnumModel) and color.values == "ColorValue2"
    assert [i.name for i in api.model_exports] == ["Color", "ColorValue", "ColorValue2"]


def _operation(api: ir.Api) -> ir.Operation:
    return api.groups[0].operations[0]


def test_operation_parameters_body_and_responses() -> None:
    paths = {
        "/pools/{poolId}": {
            "parameters": [{"name": "poolId", "in": "path", "required": True, "schema": {"type": "string"}}],
            "patch": {
                "operationId": "updatePool",
                "x-fern-sdk-group-name": "pools",
                "x-fern-sdk-method-name": "update",
                "parameters": [
                    {"name": "dryRun", "in": "query", "schema": {"type": "boolean"}},
                    {"name": "X-Trace", "in": "header", "required": True, "schema": {"type": "string"}},
                ],
                "requestBody": {
                    "content": {
                        "application/json": {
                            "schema": {
                                "type": "object",
                                "required": ["name"],
                                "properties": {"name": {"type": "string"}, "poolId": {"type": "string"}},
                            }
                        }
                    }
                },
                "responses": {
                    "202": {
                        "description": "ok",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/A"}}},
                    },
                    "404": {
                        "description": "nope",
                        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/B"}}},
                    },
                    "500": {"description": "oops"},
                },
            },
        }
    }
    api = build({"A": OBJECT_A, "B": OBJECT_B}, paths)
    group = api.groups[0]
    assert (group.attr, group.sync_class, group.async_class, group.module) == ("pools", "Pools", "AsyncPools", "pools")
    op = _operation(api)
    assert (op.name, op.method, op.path) == ("update", "PATCH", "/pools/{poolId}")
    assert [p.name for p in op.path_params] == ["pool_id"]
    # required keyword arguments first; a body field that collides with a parameter is renamed
    assert [(p.name, p.location, p.required) for p in op.arguments] == [
        ("name", "body", True),
        ("x_trace", "header", True),
        ("pool_id_2", "body", False),
        ("dry_run", "query", False),
    ]
    assert op.body is not None and op.body.model == ir.ModelRef("UpdatePoolBody")
    assert [r.status for r in op.successes] == ["202"] and op.returns == ir.ModelRef("A")
    assert [r.status for r in op.errors] == ["404", "500"]
    assert [r.status for r in op.typed_errors] == ["404"]  # 500 has no body schema
    assert [(e.status, e.name) for e in api.status_errors] == [(404, "NotFoundError"), (500, "InternalServerError")]


def _body_operation(media_type: str, schema: Any, **schemas: Any) -> ir.Operation:
    paths = {
        "/x": {
            "post": {
                "operationId": "send",
                "requestBody": {"required": True, "content": {media_type: {"schema": schema}}},
                "responses": {"204": {"description": "ok"}},
            }
        }
    }
    return _operation(build(schemas, paths))


@pytest.mark.parametrize(
    ("media_type", "schema", "takes_extra_body"),
    [
        ("application/json", OBJECT_A, True),
        ("application/x-www-form-urlencoded", OBJECT_A, True),
        ("multipart/form-data", OBJECT_A, True),
        ("application/json", {"type": "object", "additionalProperties": {"type": "string"}}, True),
        ("application/json", {"$ref": "#/components/schemas/Tags"}, True),  # an alias of a map
        ("application/json", {"type": "array", "items": {"type": "string"}}, False),
        ("application/json", {"type": "string"}, False),
        ("application/octet-stream", {"type": "string", "format": "binary"}, False),
        ("text/plain", {"type": "string"}, False),
    ],
)
def test_extra_body_is_taken_by_object_bodies(media_type: str, schema: Any, takes_extra_body: bool) -> None:
    tags = {"type": "object", "additionalProperties": {"type": "string"}}
    assert _body_operation(media_type, schema, Tags=tags).takes_extra_body is takes_extra_body


def test_a_body_argument_is_checked_like_a_parameter() -> None:
    schema = {"type": "array", "maxItems": 2, "items": {"$ref": "#/components/schemas/Color"}}
    op = _body_operation("application/json", schema, Color={"type": "string", "enum": ["red"]})
    assert op.checked_params == op.arguments
    assert op.arguments[0].check == ir.Check(array=True, max_items=2, items=ir.Check(enum=("red",)))


LIST = {"type": "array", "items": {"type": "string"}}


@pytest.mark.parametrize(
    ("schema", "expected"),
    [
        (LIST, ir.Check(array=True)),
        ({"type": ["array", "null"], "items": LIST}, ir.Check(array=True, items=ir.Check(array=True))),
        ({"type": "object", "additionalProperties": LIST}, ir.Check(values=ir.Check(array=True))),
        ({"$ref": "#/components/schemas/Names"}, ir.Check(array=True)),  # an alias is an array all the same
        # Stripe's "a list, or "" to unset it": a string other than "" is refused.
        (
            {"anyOf": [LIST, {"type": "string", "enum": [""]}]},
            ir.Check(any_of=(ir.Check(array=True), ir.Check(enum=("",)))),
        ),
        ({"anyOf": [LIST, {"type": "string"}]}, None),  # any string will do
        ({"type": "array", "enum": [["a"]]}, ir.Check(array=True)),
        ({"type": "string", "enum": ["a", "b"]}, ir.Check(enum=("a", "b"))),
        ({"$ref": "#/components/schemas/Holder"}, ir.Check(model="Holder")),  # a model's fields are lists
    ],
)
def test_an_argument_must_be_an_array_where_its_type_is_one(schema: Any, expected: ir.Check | None) -> None:
    """Arrays are annotated `SequenceNotStr`, which a string does not match for a type checker;
    for callers without one, the check refuses it where the type says an array."""
    schemas = {"Names": LIST, "Holder": {"type": "object", "properties": {"names": LIST}}}
    paths = {
        "/x": {
            "get": {
                "operationId": "send",
                "parameters": [{"name": "q", "in": "query", "schema": schema}],
                "responses": {"204": {"description": "ok"}},
            }
        }
    }
    assert _operation(build(schemas, paths)).arguments[0].check == expected


def test_body_fields_that_hold_arrays_are_checked_before_the_body_is_built() -> None:
    """The body model's rule checks the rest, on the body it encodes; a string given for an
    array would not survive the encoding to be refused there."""
    properties = {
        "names": LIST,
        "maybe": {"anyOf": [LIST, {"type": "string", "enum": [""]}]},
        "name": {"type": "string", "maxLength": 3},
        "tags": {"type": "object", "additionalProperties": {"type": "string"}},
        "sized": {"type": "array", "maxItems": 2, "items": {"type": "string", "maxLength": 3}},
    }
    op = _body_operation("application/json", {"type": "object", "properties": properties})
    assert {p.name: p.check for p in op.checked_fields} == {
        "names": ir.Check(array=True),
        "maybe": ir.Check(any_of=(ir.Check(array=True), ir.Check(enum=("",)))),
        "sized": ir.Check(array=True),
    }
    assert op.checked_params == ()
    assert [p.widened for p in op.arguments] == [True, True, False, True, True]


@pytest.mark.parametrize(
    ("members", "expected"),
    [
        (
            [{"$ref": "#/components/schemas/Color"}, {"type": "integer", "enum": [1, 2]}],
            ir.Check(any_of=(ir.Check(enum=("red",)), ir.Check(enum=(1, 2)))),
        ),
        ([{"$ref": "#/components/schemas/Color"}, {"type": "null"}], ir.Check(enum=("red",))),
        ([{"$ref": "#/components/schemas/Color"}, {"type": "string"}], None),  # any string will do
        ([{"$ref": "#/components/schemas/Color"}, {"$ref": "#/components/schemas/A"}], None),  # A checks nothing
        (
            [{"$ref": "#/components/schemas/Color"}, {"$ref": "#/components/schemas/Named"}],
            ir.Check(any_of=(ir.Check(enum=("red",)), ir.Check(model="Named"))),
        ),
    ],
)
def test_a_union_is_checked_when_every_member_has_a_check(members: list[Any], expected: ir.Check | None) -> None:
    named = {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}
    schemas = {"Color": {"type": "string", "enum": ["red"]}, "A": OBJECT_A, "Named": named}
    op = _body_operation("application/json", {"oneOf": members}, **schemas)
    assert op.arguments[0].check == expected


def test_operations_group_by_extension_then_tag_then_root() -> None:
    ok = {"200": {"description": "ok"}}
    paths = {
        "/a": {"get": {"x-fern-sdk-group-name": "alpha", "operationId": "getA", "responses": ok}},
        "/b": {"get": {"tags": ["Beta Things"], "operationId": "getB", "responses": ok}},
        "/c/{id}": {
            "delete": {
                "responses": ok,
                "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
            }
        },
    }
    api = build({}, paths)
    assert [(g.attr, [o.name for o in g.operations]) for g in api.groups] == [
        ("alpha", ["get_a"]),
        ("beta_things", ["get_b"]),
        (None, ["delete_c_id"]),
    ]


def test_security_schemes_and_fern_credential_names() -> None:
    components = {
        "schemas": {},
        "securitySchemes": {
            "account": {
                "type": "http",
                "scheme": "basic",
                "x-fern-basic": {
                    "username": {"name": "accountId", "env": "X_ACCOUNT"},
                    "password": {"name": "authToken", "env": "X_TOKEN"},
                },
            },
            "plain": {"type": "http", "scheme": "basic"},
            "other": {"type": "http", "scheme": "basic"},
            "bearer": {"type": "http", "scheme": "bearer"},
            "key": {"type": "apiKey", "in": "query", "name": "api_key"},
        },
    }
    data = {"openapi": "3.1.0", "info": {"title": "T", "version": "1"}, "paths": {}, "components": components}
    document = Document(path=Path("/virtual/spec.yaml"), data=data, sha256="0" * 64, text="")
    api, _ = build_api(document, Resolver(document), "t")
    assert [(c.name, c.env) for c in api.credentials] == [
        ("account_id", "X_ACCOUNT"),
        ("auth_token", "X_TOKEN"),
        ("username", "T_USERNAME"),  # without the extension: <PACKAGE>_<NAME>
        ("password", "T_PASSWORD"),
        ("other_username", "T_OTHER_USERNAME"),
        ("other_password", "T_OTHER_PASSWORD"),
        ("token", "T_TOKEN"),
        ("api_key", "T_API_KEY"),
    ]
    key = api.security[-1]
    assert (key.kind, key.location, key.param) == ("api_key", "query", "api_key")


def test_server_url_variables_take_their_defaults() -> None:
    api = build(
        {},
        servers=[
            {
                "url": "https://{region}.example.com/{v}/",
                "variables": {"region": {"default": "eu"}, "v": {"default": "v2"}},
            }
        ],
    )
    assert api.base_url == "https://eu.example.com/v2"
    assert build({}, servers=[{"url": "/relative"}]).base_url is None


def test_a_wait_names_the_operation_that_polls_it_even_when_it_comes_later() -> None:
    """`x-clientgen-wait`'s `poll` is an operationId, matched once every operation is built: here
    the polling operation is later in the document, and in another group."""
    accepted = {
        "description": "accepted",
        "headers": {"Location": {"schema": {"type": "string"}}},
        "x-clientgen-wait": {
            "location": "$response.header.Location",
            "poll": "getStatus",
            "status": "$response.body#/state",
            "pending": ["RUNNING"],
            "failed": ["FAILED"],
        },
    }
    status = {"type": "object", "properties": {"state": {"type": "string"}}}
    ok = {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Status"}}}}
    api = build(
        {"Status": status},
        {
            "/jobs": {"post": {"operationId": "startJob", "tags": ["jobs"], "responses": {"202": accepted}}},
            "/status/{id}": {
                "get": {
                    "operationId": "getStatus",
                    "tags": ["statuses"],
                    "parameters": [{"name": "id", "in": "path", "required": True, "schema": {"type": "string"}}],
                    "responses": {"200": ok},
                }
            },
        },
    )
    jobs, statuses = api.groups
    wait = jobs.operations[0].wait
    assert wait is not None
    assert (wait.poll_module, wait.poll_function) == (statuses.module, "_get_status_response")
    assert (wait.location_header, wait.state_path, wait.pending, wait.failed) == (
        "Location",
        ("state",),
        ("RUNNING",),
        ("FAILED",),
    )
    assert wait.result == ir.ModelRef("Status")
    assert statuses.operations[0].wait is None
