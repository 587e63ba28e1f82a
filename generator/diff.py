"""What changed in a client's public API between two documents, and whether it breaks callers.

Contract: `surface(api)` is the generated client's public API as plain JSON data (methods with
their parameters and return types, models with their fields, enum values, aliases); it is also
stored in each package's manifest, so `generate` can say what a regeneration changed. Types are
written as the client gives them back, an enum as its class alone (its values are listed with it),
so the surface does not change with the `Literal` alias a caller may also use. `compare`
classifies the differences between two surfaces:

- breaking: an operation or model removed, a method renamed, a parameter removed or made
  required, a new required parameter, a field removed, a type changed or narrowed, an enum value
  removed;
- additive: a new operation, model, optional parameter, field or enum value, a parameter type
  widened.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from typing import Any, Literal

from . import ir
from .filters import result_annotation

Surface = dict[str, Any]
Kind = Literal["breaking", "additive"]


@dataclass(frozen=True, slots=True, order=True)
class Change:
    kind: Kind
    where: str
    what: str


def surface(api: ir.Api) -> Surface:
    """The public API of the client generated for `api`, as JSON data."""
    methods: dict[str, Any] = {}
    for group in api.groups:
        owner = f"client.{group.attr}" if group.attr else "client"
        for op in group.operations:
            parameters = {
                p.name: {"type": result_annotation(p.type), "required": p.required, "position": i}
                for i, p in enumerate(op.path_params)
            }
            parameters |= {p.name: {"type": result_annotation(p.type), "required": p.required} for p in op.arguments}
            methods[f"{owner}.{op.name}"] = {
                "http": f"{op.method} {op.path}",
                "parameters": parameters,
                "returns": result_annotation(op.returns) if op.returns is not None else "None",
            }
    models: dict[str, Any] = {}
    for model in api.models:
        if isinstance(model, ir.ObjectModel):
            models[model.name] = {
                "fields": {f.name: {"type": result_annotation(f.type), "required": f.required} for f in model.fields}
            }
        elif isinstance(model, ir.EnumModel):
            models[model.name] = {"values": [m.value for m in model.members]}
        else:
            models[model.name] = {"alias": result_annotation(model.target)}
    return {"methods": methods, "models": models}


def compare(old: Surface, new: Surface) -> list[Change]:
    """Every change from `old` to `new`, breaking ones first, then by place."""
    changes: list[Change] = []
    old_methods, new_methods = old.get("methods", {}), new.get("methods", {})
    renamed = _renamed(old_methods, new_methods)
    for name in sorted(set(old_methods) | set(new_methods)):
        if name in renamed:
            changes.append(Change("breaking", name, f"method renamed to {renamed[name]}"))
        elif name in renamed.values():
            continue
        elif name not in new_methods:
            changes.append(Change("breaking", name, "operation removed"))
        elif name not in old_methods:
            changes.append(Change("additive", name, "new operation"))
        else:
            changes.extend(_method_changes(name, old_methods[name], new_methods[name]))
        if name in renamed:
            changes.extend(_method_changes(renamed[name], old_methods[name], new_methods[renamed[name]]))
    old_models, new_models = old.get("models", {}), new.get("models", {})
    for name in sorted(set(old_models) | set(new_models)):
        where = f"models.{name}"
        if name not in new_models:
            changes.append(Change("breaking", where, "model removed"))
        elif name not in old_models:
            changes.append(Change("additive", where, "new model"))
        else:
            changes.extend(_model_changes(where, old_models[name], new_models[name]))
    return sorted(changes)


def _renamed(old: dict[str, Any], new: dict[str, Any]) -> dict[str, str]:
    """Methods that went away while a new one appeared for the same HTTP operation."""
    gone = {m["http"]: name for name, m in old.items() if name not in new}
    return {gone[m["http"]]: name for name, m in new.items() if name not in old and m["http"] in gone}


def _method_changes(where: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    changes = []
    old_params, new_params = old["parameters"], new["parameters"]
    for name in sorted(set(old_params) | set(new_params)):
        before, after = old_params.get(name), new_params.get(name)
        if after is None:
            changes.append(Change("breaking", where, f"parameter {name!r} removed"))
        elif before is None:
            kind: Kind = "breaking" if after["required"] else "additive"
            changes.append(
                Change(kind, where, f"new {'required' if after['required'] else 'optional'} parameter {name!r}")
            )
        else:
            if after["required"] and not before["required"]:
                changes.append(Change("breaking", where, f"parameter {name!r} became required"))
            elif before["required"] and not after["required"]:
                changes.append(Change("additive", where, f"parameter {name!r} became optional"))
            if before.get("position") != after.get("position"):
                changes.append(Change("breaking", where, f"parameter {name!r} moved"))
            if before["type"] != after["type"]:
                widened = _members(before["type"]) <= _members(after["type"])
                changes.append(
                    Change(
                        "additive" if widened else "breaking",
                        where,
                        f"parameter {name!r} type {'widened' if widened else 'changed'}: {before['type']} -> {after['type']}",
                    )
                )
    if old["returns"] != new["returns"]:
        changes.append(Change("breaking", where, f"return type changed: {old['returns']} -> {new['returns']}"))
    return changes


def _model_changes(where: str, old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    if "fields" in old and "fields" in new:
        changes = []
        for name in sorted(set(old["fields"]) | set(new["fields"])):
            before, after = old["fields"].get(name), new["fields"].get(name)
            if after is None:
                changes.append(Change("breaking", where, f"field {name!r} removed"))
            elif before is None:
                kind: Kind = "breaking" if after["required"] else "additive"
                changes.append(
                    Change(kind, where, f"new {'required' if after['required'] else 'optional'} field {name!r}")
                )
            elif before != after:
                changes.append(
                    Change("breaking", where, f"field {name!r} changed: {_field(before)} -> {_field(after)}")
                )
        return changes
    if "values" in old and "values" in new:
        removed = [v for v in old["values"] if v not in new["values"]]
        added = [v for v in new["values"] if v not in old["values"]]
        return [Change("breaking", where, f"enum value {v!r} removed") for v in removed] + [
            Change("additive", where, f"new enum value {v!r}") for v in added
        ]
    if old != new:
        return [Change("breaking", where, "changed kind or type")]
    return []


def _field(field: dict[str, Any]) -> str:
    return f"{field['type']}{'' if field['required'] else ' (optional)'}"


def _members(annotation_text: str) -> set[str]:
    return {part.strip() for part in annotation_text.split("|")}


def render_text(changes: list[Change]) -> str:
    lines = [f"{c.kind}: {c.where}: {c.what}" for c in changes]
    breaking = sum(c.kind == "breaking" for c in changes)
    lines.append(
        f"{breaking} breaking, {len(changes) - breaking} additive" if changes else "no change to the public API"
    )
    return "\n".join(lines) + "\n"


def render_json(changes: list[Change]) -> str:
    return (
        json.dumps(
            {
                "breaking": [asdict(c) for c in changes if c.kind == "breaking"],
                "additive": [asdict(c) for c in changes if c.kind == "additive"],
            },
            indent=2,
        )
        + "\n"
    )
