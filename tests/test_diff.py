"""`python -m generator diff OLD NEW`: each kind of change, made to a copy of spec/comms.yaml."""

from __future__ import annotations

import json
from collections.abc import Callable
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from .conftest import SPEC

Edit = Callable[[dict[str, Any]], None]
UPDATE = "/v1/SenderPools/{senderPoolId}"


def _schemas(doc: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = doc["components"]["schemas"]
    return schemas


def _set(path: list[Any], value: Any) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        node = doc
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value

    return edit


def _delete(path: list[Any]) -> Edit:
    def edit(doc: dict[str, Any]) -> None:
        node = doc
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]

    return edit


def _remove_pool_name(doc: dict[str, Any]) -> None:
    """The property and its `required` entry (a required name alone is still a field, of any value)."""
    pool = doc["components"]["schemas"]["SenderPool"]
    del pool["properties"]["name"]
    pool["required"].remove("name")


def _remove_error_model(doc: dict[str, Any]) -> None:
    del doc["components"]["schemas"]["Error"]
    for response in doc["components"]["responses"].values():
        if response.get("content", {}).get("application/json", {}).get("schema") == {
            "$ref": "#/components/schemas/Error"
        }:
            del response["content"]


CASES: list[tuple[str, Edit, str, str, str]] = [
    (
        "operation removed",
        _delete(["paths", UPDATE, "patch"]),
        "breaking",
        "client.sender_pools.update",
        "operation removed",
    ),
    (
        "method renamed",
        _set(["paths", UPDATE, "patch", "x-fern-sdk-method-name"], "modify"),
        "breaking",
        "client.sender_pools.update",
        "method renamed to client.sender_pools.modify",
    ),
    (
        "parameter became required",
        _set(["components", "schemas", "UpdateSenderPoolRequest", "required"], ["name"]),
        "breaking",
        "client.sender_pools.update",
        "parameter 'name' became required",
    ),
    (
        "field removed",
        _remove_pool_name,
        "breaking",
        "models.SenderPool",
        "field 'name' removed",
    ),
    (
        "field type narrowed",
        _set(["components", "schemas", "Sender", "properties", "displayName", "type"], "string"),
        "breaking",
        "models.Sender",
        "field 'display_name' changed: str | None -> str",
    ),
    (
        "enum value removed",
        _set(["components", "schemas", "SenderChannel", "enum"], ["SMS", "RCS", "EMAIL", "WHATSAPP"]),
        "breaking",
        "models.SenderChannel",
        "enum value 'PUSH' removed",
    ),
    ("model removed", _remove_error_model, "breaking", "models.Error", "model removed"),
    (
        "new operation",
        _set(["paths", "/v1/Health"], {"get": {"operationId": "health", "responses": {"204": {"description": "up"}}}}),
        "additive",
        "client.health",
        "new operation",
    ),
    (
        "new optional parameter",
        _set(["components", "schemas", "UpdateSenderPoolRequest", "properties", "label"], {"type": "string"}),
        "additive",
        "client.sender_pools.update",
        "new optional parameter 'label'",
    ),
    (
        "new field",
        _set(["components", "schemas", "SenderPool", "properties", "region"], {"type": "string"}),
        "additive",
        "models.SenderPool",
        "new optional field 'region'",
    ),
    (
        "new enum value",
        _set(["components", "schemas", "SenderChannel", "enum"], ["SMS", "RCS", "EMAIL", "WHATSAPP", "PUSH", "VOICE"]),
        "additive",
        "models.SenderChannel",
        "new enum value 'VOICE'",
    ),
]


def _edited(tmp_path: Path, edit: Edit) -> Path:
    doc = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    edit(doc)
    path = tmp_path / "new.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize(("name", "edit", "kind", "where", "what"), CASES, ids=[c[0] for c in CASES])
def test_each_kind_of_change(run_cli, tmp_path: Path, name: str, edit: Edit, kind: str, where: str, what: str) -> None:  # type: ignore[no-untyped-def]
    new = _edited(tmp_path, edit)
    result = run_cli("diff", SPEC, new, "--format", "json", "--fail-on", "breaking")
    report = json.loads(result.stdout)
    assert {"kind": kind, "where": where, "what": what} in report[kind]
    assert result.code == (1 if report["breaking"] else 0)
    if kind == "additive":
        assert report["breaking"] == [], "an additive change must not be reported as breaking"


def test_no_change_and_text_output(run_cli) -> None:  # type: ignore[no-untyped-def]
    result = run_cli("diff", SPEC, SPEC, "--fail-on", "any")
    assert (result.code, result.stdout) == (0, "no change to the public API\n")


def test_generate_reports_what_a_regeneration_changed(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    assert run_cli("generate", SPEC, "--output", out).code == 0
    package = out / "comms_api"
    assert (package / "models/update_sender_pool_request.py").exists()

    def retire_update(doc: dict[str, Any]) -> None:
        """The operation and the request model only it used."""
        del doc["paths"][UPDATE]["patch"]
        del _schemas(doc)["UpdateSenderPoolRequest"]

    result = run_cli("generate", _edited(tmp_path, retire_update), "--output", out)

    assert result.code == 0
    assert "API changes since the last generation:" in result.stderr
    assert "breaking: client.sender_pools.update: operation removed" in result.stderr
    assert "breaking: models.UpdateSenderPoolRequest: model removed" in result.stderr
    assert re.search(r"\b1 removed\b", result.stderr), result.stderr
    assert not (package / "models/update_sender_pool_request.py").exists()
    resource = (package / "resources/sender_pools.py").read_text(encoding="utf-8")
    assert "def update(" not in resource and "def create(" in resource
