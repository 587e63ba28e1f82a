"""Model-module layout: which models share a file. An inline model lives with the model it was met
in, and models that refer to each other in a cycle (Tarjan's strongly connected components) share
one, so that no two model files import each other (union-find over both relations).

Input: the models and names of `ctx`. Output: the `ir.ModelModule`s, each in definition order.
"""

from __future__ import annotations


from .. import ir
from ..naming import Scope, module_name
from .context import Context


def model_modules(ctx: Context) -> tuple[ir.ModelModule, ...]:
    """Group models into files: an inline model lives with the model it was met in, and models
    that refer to each other in a cycle share a file, so that no two model files import each
    other. Files are ordered by their first model, in the order names were claimed."""
    order = [n for n in ctx.names.claimed if n in ctx.registry.models]
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

    for name, owner in ctx.names.owner.items():
        if name in parent and owner in parent:
            union(name, owner)
    edges = {n: _references(ctx.registry.models[n]) for n in order}
    for component in _strongly_connected(order, edges):
        for other in component[1:]:
            union(component[0], other)
    members: dict[str, list[str]] = {}
    for name in order:
        members.setdefault(find(name), []).append(name)
    files = Scope({"__init__"})
    return tuple(
        ir.ModelModule(files.claim(module_name(root)), _definition_order([ctx.registry.models[n] for n in names]))
        for root, names in members.items()
    )


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
