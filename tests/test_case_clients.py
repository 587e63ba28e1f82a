"""The clients generated from tests/cases/ (their committed snapshots) against a real HTTP server
on 127.0.0.1: what each document feature turns into on the wire and back."""

from __future__ import annotations

import asyncio
import sys
import uuid
from collections.abc import Iterator
from types import ModuleType
from typing import Any
from urllib.parse import parse_qsl

import pytest
from pytest_httpserver import HTTPServer

from .conftest import CASES


def _import(case: str, package: str) -> Iterator[ModuleType]:
    root = str(CASES / case / "expected")
    sys.path.insert(0, root)
    try:
        yield __import__(package)
    finally:
        sys.path.remove(root)


@pytest.fixture(scope="module")
def zoo() -> Iterator[ModuleType]:
    yield from _import("features", "feature_zoo")


@pytest.fixture(scope="module")
def petstore() -> Iterator[ModuleType]:
    yield from _import("petstore", "petstore")


@pytest.fixture(scope="module")
def bare() -> Iterator[ModuleType]:
    yield from _import("bare", "m_123_bare_api")


@pytest.fixture(autouse=True)
def _no_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("ZOO_API_KEY", "FEATURE_ZOO_BASE_URL", "PETSTORE_BASE_URL"):
        monkeypatch.delenv(name, raising=False)


def _only_request(httpserver: HTTPServer) -> Any:
    assert len(httpserver.log) == 1, httpserver.log
    return httpserver.log[0][0]


# -- feature zoo ----------------------------------------------------------------------------------


def test_operation_without_security_sends_no_credentials(zoo: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/health", method="GET").respond_with_data("ok", content_type="text/plain")
    with zoo.Client(api_key="k", base_url=httpserver.url_for("/")) as client:
        assert client.get_health() == "ok"
    assert "X-API-Key" not in _only_request(httpserver).headers


def test_path_cookie_and_deep_object_parameters(zoo: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/shapes/c/1", method="GET").respond_with_json(
        {"kind": "circle", "radius": 2, "center": {"x": 1, "y": 2}}
    )
    with zoo.Client(api_key="k1", base_url=httpserver.url_for("/")) as client:
        shape = client.shapes.get("c/1", filter={"color": "red", "size": "L"}, session="s1")
    request = _only_request(httpserver)
    assert request.environ["REQUEST_URI"].partition("?")[0] == "/shapes/c%2F1"  # one segment
    assert parse_qsl(request.query_string.decode()) == [("filter[color]", "red"), ("filter[size]", "L")]
    assert request.headers["Cookie"] == "session=s1"
    assert request.headers["X-API-Key"] == "k1"
    assert isinstance(shape, zoo.Circle) and shape.radius == 2 and shape.center.y == 2


@pytest.mark.parametrize(
    ("body", "expected_class"),
    [({"kind": "square", "side": 3, "label": None}, "Square"), ({"kind": "circle", "radius": 1}, "Circle")],
)
def test_discriminated_union_decodes_by_its_tag(
    zoo: ModuleType, httpserver: HTTPServer, body: dict[str, Any], expected_class: str
) -> None:
    httpserver.expect_request("/shapes/s").respond_with_json(body)
    with zoo.Client(api_key="k", base_url=httpserver.url_for("/")) as client:
        shape = client.shapes.get("s")
    assert type(shape).__name__ == expected_class
    assert shape.to_dict() == body


def test_unknown_discriminator_value_is_kept_as_data(zoo: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/shapes/t").respond_with_json({"kind": "triangle", "sides": 3})
    with zoo.Client(api_key="k", base_url=httpserver.url_for("/")) as client:
        assert client.shapes.get("t") == {"kind": "triangle", "sides": 3}


def test_union_body_is_encoded_from_its_member(zoo: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/shapes/s", method="PUT", json={"kind": "square", "side": 2}).respond_with_json(
        {"kind": "square", "side": 2}
    )
    with zoo.Client(api_key="k", base_url=httpserver.url_for("/")) as client:
        assert client.shapes.replace("s", body=zoo.Square(kind="square", side=2)).side == 2


def test_form_body_and_recursive_response(zoo: ModuleType, httpserver: HTTPServer) -> None:
    tree = {"name": "root", "children": [{"name": "leaf", "children": []}], "parent": {"node": {"name": "up"}}}
    httpserver.expect_request("/trees", method="POST").respond_with_json(tree, status=201)
    with zoo.Client(api_key="k", base_url=httpserver.url_for("/")) as client:
        node = client.trees.plant_tree(species="oak", height=3.5)
    request = _only_request(httpserver)
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qsl(request.get_data(as_text=True)) == [("species", "oak"), ("height", "3.5")]
    assert node.children[0].name == "leaf" and node.parent.node.name == "up"
    assert node.to_dict() == tree


def test_binary_upload_and_download(zoo: ModuleType, httpserver: HTTPServer) -> None:
    blob_id = uuid.UUID(int=7)
    httpserver.expect_request(f"/blobs/{blob_id}", method="PUT", data=b"\x00\x01\xff").respond_with_data(status=204)
    httpserver.expect_request(f"/blobs/{blob_id}", method="GET").respond_with_data(
        b"\xff\x00", content_type="application/octet-stream"
    )
    with zoo.Client(api_key="k", base_url=httpserver.url_for("/")) as client:
        assert client.blobs.upload(blob_id, body=b"\x00\x01\xff") is None
        assert client.blobs.download(blob_id) == b"\xff\x00"
    assert httpserver.log[0][0].headers["Content-Type"] == "application/octet-stream"


def test_api_key_from_environment_and_missing_key(
    zoo: ModuleType, httpserver: HTTPServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    httpserver.expect_request("/shapes/s").respond_with_json({"kind": "circle", "radius": 1})
    with zoo.Client(base_url=httpserver.url_for("/")) as client:
        with pytest.raises(zoo.MissingCredentialsError, match="api_key"):
            client.shapes.get("s")
    assert httpserver.log == []
    monkeypatch.setenv("ZOO_API_KEY", "from-env")
    with zoo.Client(base_url=httpserver.url_for("/")) as client:
        client.shapes.get("s")
    assert _only_request(httpserver).headers["X-API-Key"] == "from-env"


def test_awkward_names_round_trip(zoo: ModuleType) -> None:
    data = {
        "class": "c",
        "type": "t",
        "1st": 1,
        "self": True,
        "list": [1, 3],
        "$ref-like": "r",
        "additional_properties": "a",
        "created": "2024-01-02T03:04:05Z",
        "stamps": {"x": "2024-01-02"},
        "extra": 5,
    }
    awkward = zoo.Awkward.from_dict(data)
    assert (awkward.class_, awkward.type_, awkward.n_1_st, awkward.self_, awkward.ref_like) == ("c", "t", 1, True, "r")
    assert awkward.list_ == [zoo.Priority.VALUE_1, zoo.Priority(3)]
    assert awkward.additional_properties == "a" and awkward.additional_properties_2 == {"extra": 5}
    assert awkward.to_dict() == {**data, "created": "2024-01-02T03:04:05+00:00"}
    assert zoo.Awkward.__doc__ == 'Names that are not identifiers: """quotes""" and a \\backslash.'


def test_a_nullable_alias_made_nullable_again_is_read_and_written_with_one_guard(zoo: ModuleType) -> None:
    for value in ("high", None):
        for field in ("effort", "default_effort"):
            awkward = zoo.Awkward.from_dict({field: value})
            assert getattr(awkward, field) == (None if value is None else zoo.EffortVariant1.HIGH)
            assert awkward.to_dict() == {field: value}
    source = (CASES / "features" / "expected" / "feature_zoo" / "models" / "awkward.py").read_text(encoding="utf-8")
    assert 'None if data["effort"] is None else (None if' not in source.replace("\n", " ")
    assert source.count('data["effort"] is None') == 1 and source.count('data["default_effort"] is None') == 1


# -- petstore -------------------------------------------------------------------------------------


def test_bearer_auth_form_array_and_all_of_models(petstore: ModuleType, httpserver: HTTPServer) -> None:
    pets = [{"id": 1, "name": "Rex", "kind": "dog", "tag": None, "birthday": "2020-02-29"}]
    httpserver.expect_request("/pets", method="GET").respond_with_json(pets)
    with petstore.Client(token="t0k", base_url=httpserver.url_for("/")) as client:
        result = client.pets.list_pets(limit=5, tags=["a", "b"])
    request = _only_request(httpserver)
    assert request.headers["Authorization"] == "Bearer t0k"
    assert parse_qsl(request.query_string.decode()) == [("limit", "5"), ("tags", "a,b")]
    assert result[0].id == 1 and result[0].kind is petstore.PetKind.DOG and result[0].tag is None
    assert str(result[0].birthday) == "2020-02-29"


def test_error_statuses_and_default_error_model(petstore: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/pets", method="POST").respond_with_json({"errors": {"name": ["too long"]}}, status=422)
    httpserver.expect_request("/pets/2", method="GET").respond_with_json({"code": 5, "message": "boom"}, status=500)
    httpserver.expect_request("/pets/3", method="GET").respond_with_data("", status=404)
    with petstore.Client(token="t", base_url=httpserver.url_for("/"), max_retries=0) as client:
        with pytest.raises(petstore.UnprocessableEntityError) as invalid:
            client.pets.create_pets(name="x" * 300)
        with pytest.raises(petstore.UnexpectedStatusError) as unexpected:
            client.pets.show_pet_by_id(2, x_request_id=uuid.UUID(int=1))
        with pytest.raises(petstore.NotFoundError) as missing:
            client.pets.show_pet_by_id(3)
    assert invalid.value.body.errors == {"name": ["too long"]}
    assert isinstance(unexpected.value.body, petstore.Error) and unexpected.value.body.message == "boom"
    assert missing.value.body is None
    assert httpserver.log[1][0].headers["X-Request-ID"] == str(uuid.UUID(int=1))


def test_default_base_url_comes_from_server_variables(petstore: ModuleType) -> None:
    with petstore.Client(token="t") as client:
        assert str(client.base_url) == "https://eu.pets.example.com/v2/"


# -- bare: no servers, no security, no operationIds, ranges and default responses ----------------------


def test_client_without_servers_needs_a_base_url(bare: ModuleType) -> None:
    with pytest.raises(bare.ApiError, match="base_url is required"):
        bare.Client()


def test_default_response_is_the_success_when_no_2xx_is_documented(bare: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/items/4/status").respond_with_json({"state": "ok"}, status=203)
    httpserver.expect_request("/items/5/status").respond_with_json({"state": "gone"}, status=410)
    with bare.Client(base_url=httpserver.url_for("/")) as client:
        assert client.get_items_id_status(4).state == "ok"
        with pytest.raises(bare.UnexpectedStatusError) as gone:
            client.get_items_id_status(5)
    assert gone.value.status_code == 410 and gone.value.body.state == "gone"


def test_status_ranges_and_text_body(bare: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/reports", method="POST", data="hello").respond_with_json(["a"], status=201)
    with bare.Client(base_url=httpserver.url_for("/")) as client:
        assert client.make_report(body="hello") == ["a"]
    assert httpserver.log[0][0].headers["Content-Type"] == "text/plain"
    httpserver.clear()
    httpserver.expect_request("/reports", method="POST").respond_with_json({"reason": "no"}, status=429)
    with bare.Client(base_url=httpserver.url_for("/"), max_retries=0) as client:
        with pytest.raises(bare.UnexpectedStatusError) as limited:
            client.make_report()
    assert limited.value.body.reason == "no"


def test_inline_objects_get_named_models(bare: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/items", method="GET").respond_with_json([{"id": "a"}, {"id": "b", "new": 1}])
    httpserver.expect_request("/items", method="POST", json={"name": "n"}).respond_with_data(status=201)
    with bare.Client(base_url=httpserver.url_for("/")) as client:
        items = client.get_items()
        assert client.post_items(name="n") is None
    assert [i.id for i in items] == ["a", "b"] and items[1].additional_properties == {"new": 1}
    assert type(items[0]).__name__ == "GetItemsResponseItem"


# -- feature zoo: pagination and waiting with other shapes than the Comms API's -------------------


def _tree_page(names: list[str], cursor: str | None) -> dict[str, Any]:
    return {"data": [{"name": n} for n in names], "meta": {"cursor": cursor}}


def test_pagination_with_a_nested_cursor(zoo: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/trees", query_string="limit=2").respond_with_json(_tree_page(["a", "b"], "c2"))
    httpserver.expect_ordered_request("/trees", query_string="after=c2&limit=2").respond_with_json(
        _tree_page(["c"], None)
    )
    with zoo.Client(api_key="k", base_url=httpserver.url_for("/"), max_retries=0) as client:
        assert [tree.name for tree in client.trees.list(limit=2)] == ["a", "b", "c"]
    assert len(httpserver.log) == 2


def test_async_pagination_with_a_nested_cursor(zoo: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/trees").respond_with_json(_tree_page(["a"], "c2"))
    httpserver.expect_ordered_request("/trees", query_string="after=c2").respond_with_json({"data": [{"name": "b"}]})

    async def walk() -> list[str]:
        async with zoo.AsyncClient(api_key="k", base_url=httpserver.url_for("/")) as client:
            return [tree.name async for tree in client.trees.list()]

    assert asyncio.run(walk()) == ["a", "b"]


def test_wait_on_a_header_location_with_states(zoo: ModuleType, httpserver: HTTPServer) -> None:
    job_url = httpserver.url_for("/jobs/j1")
    httpserver.expect_ordered_request("/jobs", method="POST", json={"task": "sweep"}).respond_with_data(
        status=202, headers={"Operation-Location": job_url}
    )
    httpserver.expect_ordered_request("/jobs/j1").respond_with_json({"id": "j1", "state": "queued"})
    httpserver.expect_ordered_request("/jobs/j1").respond_with_json({"id": "j1", "state": "running"})
    httpserver.expect_ordered_request("/jobs/j1").respond_with_json({"id": "j1", "state": "done"})
    with zoo.Client(api_key="k", base_url=httpserver.url_for("/")) as client:
        accepted = client.jobs.start(task="sweep")
        assert accepted.body is None and accepted.location == job_url
        job = accepted.wait(interval=0.01)
    assert job.state.value == "done"
    assert all(entry[0].headers["X-API-Key"] == "k" for entry in httpserver.log)


def test_wait_raises_when_the_job_fails(zoo: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_ordered_request("/jobs", method="POST").respond_with_data(
        status=202, headers={"Operation-Location": "/jobs/j2"}  # a relative location
    )
    httpserver.expect_ordered_request("/jobs/j2").respond_with_json({"id": "j2", "state": "failed"})
    with zoo.Client(api_key="k", base_url=httpserver.url_for("/")) as client:
        accepted = client.jobs.start(task="sweep")
        with pytest.raises(zoo.OperationFailedError) as failed:
            accepted.wait(interval=0.01)
    assert failed.value.state == "failed" and failed.value.result.id == "j2"


@pytest.mark.parametrize(("task", "problem"), [("Sweep", "does not match"), ("x" * 21, "longer than 20 characters")])
def test_body_constraints_are_checked_before_sending(
    zoo: ModuleType, httpserver: HTTPServer, task: str, problem: str
) -> None:
    with zoo.Client(api_key="k", base_url=httpserver.url_for("/")) as client:
        with pytest.raises(zoo.RequestValidationError, match=f"task: {problem}"):
            client.jobs.start(task=task)
        with pytest.raises(zoo.RequestValidationError, match="limit: greater than 50"):
            client.trees.list_page(limit=51)
    assert httpserver.log == []


# -- uploads: multipart, nested forms, cookie and OAuth credentials, path styles, servers ---------


@pytest.fixture(scope="module")
def uploads() -> Iterator[ModuleType]:
    yield from _import("uploads", "uploads_and_events")


@pytest.fixture(scope="module")
def multifile() -> Iterator[ModuleType]:
    yield from _import("multifile", "multi_file")


def test_multipart_upload_with_a_file_a_list_and_an_object(uploads: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/files", method="POST").respond_with_json({"id": "f1", "size": 2}, status=201)
    with uploads.Client(access_token="tok", base_url=httpserver.url_for("/")) as client:
        stored = client.files.upload(
            file=("a.txt", b"hi", "text/plain"), labels=["x", "y"], metadata=uploads.UploadFileBodyMetadata(owner="me")
        )
    request = _only_request(httpserver)
    assert request.headers["Authorization"] == "Bearer tok"  # OAuth 2 sends its access token as a bearer token
    assert request.content_type.startswith("multipart/form-data")
    assert request.files["file"].filename == "a.txt" and request.files["file"].read() == b"hi"
    assert request.form.getlist("labels") == ["x", "y"]
    assert request.form.get("metadata") == '{"owner":"me"}'  # an object part is sent as JSON
    assert (stored.id, stored.size) == ("f1", 2)


def test_nested_form_body_on_its_own_server(uploads: ModuleType, httpserver: HTTPServer) -> None:
    """The operation's own `servers` URL wins over the client's; the test sends the request the
    method builds to the local server instead (the API's host is not reachable from here)."""
    import dataclasses
    import decimal

    from uploads_and_events.resources import charges  # type: ignore[import-not-found]  # generated in the test

    httpserver.expect_request("/v1/charges", method="POST").respond_with_json({"id": "ch_1", "amount": "10.50"})
    card = uploads.CreateChargeBodyCard(number="4242", exp=uploads.CreateChargeBodyCardExp(month=1, year=30))
    request = charges._create_request(amount=decimal.Decimal("10.50"), expand=["customer"], card=card)
    assert request.server == "https://payments.example.com/v1"
    with uploads.Client(api_key="s-1", base_url="http://unused.invalid/") as client:
        local = dataclasses.replace(request, server=httpserver.url_for("/v1"))
        charge = client.send(local, charges._create_response)
    sent = _only_request(httpserver)
    assert parse_qsl(sent.get_data(as_text=True)) == [
        ("amount", "10.50"),
        ("expand", "customer"),
        ("card[number]", "4242"),
        ("card[exp][month]", "1"),
        ("card[exp][year]", "30"),
    ]
    assert sent.headers["Cookie"] == "sid=s-1"
    assert charge.amount == decimal.Decimal("10.50")


def test_label_and_matrix_path_parameters(uploads: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/reports/.2024;month=7").respond_with_data("a,b\n", content_type="text/csv")
    with uploads.Client(access_token="t", base_url=httpserver.url_for("/")) as client:
        assert client.reports.get(2024, 7, grosse="L") == "a,b\n"
    assert parse_qsl(_only_request(httpserver).query_string.decode()) == [("Größe", "L")]


def test_webhook_and_callback_payloads_are_models(uploads: ModuleType) -> None:
    event = uploads.FileScannedPayload.from_dict({"fileId": "f1", "verdict": "infected"})
    assert event.verdict is uploads.FileScannedPayloadVerdict.INFECTED
    callback = uploads.UploadFileOnScannedPayload.from_dict({"fileId": "f1", "scannedAt": "2024-01-01T00:00:00Z"})
    assert callback.scanned_at.year == 2024
    assert not hasattr(uploads.Client, "file_scanned")  # no method for a request the API sends


def test_read_only_fields_are_not_sent_and_write_only_not_required(uploads: ModuleType) -> None:
    stored = uploads.StoredFile.from_dict({"size": 3})  # `id` is read-only: absent from a request body
    assert stored.id is uploads.NOT_GIVEN and stored.size == 3


def test_multi_file_document(multifile: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/things/t1").respond_with_json({"id": "t1", "parts": [{"name": "bolt", "weight": 0.5}]})
    with multifile.Client(base_url=httpserver.url_for("/")) as client:
        thing = client.get_thing("t1")
    assert thing.parts[0].name == "bolt" and type(thing.parts[0]).__name__ == "Part"


def test_default_error_model_applies_beside_typed_statuses(petstore: ModuleType, httpserver: HTTPServer) -> None:
    """create_pets types 422 and `default`: an undocumented status decodes with the default model."""
    httpserver.expect_request("/pets", method="POST").respond_with_json({"code": 7, "message": "down"}, status=500)
    with petstore.Client(token="t", base_url=httpserver.url_for("/"), max_retries=0) as client:
        with pytest.raises(petstore.UnexpectedStatusError) as raised:
            client.pets.create_pets(name="x")
    assert isinstance(raised.value.body, petstore.Error) and raised.value.body.message == "down"
