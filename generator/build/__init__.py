"""Stage 4, build: read the validated, resolvable document into the frozen IR (`ir.Api`).

Contract: `build_api(document, resolver, package)` returns an `ir.Api` and a warning for each thing
it skipped, ignored or typed as `Any` because the document has it in a shape or of a kind the client
cannot use (a parameter `in: body`, `type: strng`, an extension of the wrong shape), each at the
JSON pointer where it is written (`file#/pointer` in another file the document refers to), saying
what was done and why. With `--lenient` the builder reads documents validation refused, so it reads
every field defensively.

One builder per OpenAPI object, each named after the object it reads, each module one concern:

    openapi      the OpenAPI Object and Server Objects; runs the passes below in order
    operations   Path Item and Operation Objects, grouped as the client exposes them
    parameters   Parameter Objects
    requests     Request Body and Encoding Objects
    responses    Responses and Response Objects
    media        Media Type Objects: which one, how it is encoded or read
    security     Security Scheme and Security Requirement Objects
    schemas      Schema Objects → types (with `unions` and `objects`: classes and enums)
    checks       constraints → the checks a request value must pass
    extensions   x-fern-pagination, x-clientgen-wait (matched by operation identity)
    events       webhooks and callbacks: their payloads as models
    modules      which models share a file (union-find, Tarjan)
    context      what the builders share: resolver, diagnostics, name scopes, model registry
                 (and `on_typed`, through which the tests collect the document's examples)
    read, kinds  reading raw values defensively; what a schema is

Everything version- or syntax-specific (`$ref`, `nullable` vs type arrays, `allOf` merging,
path-level parameters, global security) is decided here; templates see none of it. Names are
claimed as objects are met, in document order (see `naming`).
"""

from __future__ import annotations

from .. import ir
from ..diagnostics import Diagnostic
from ..load import Document
from ..resolve import Resolver
from .context import Context, Typed
from .openapi import build_openapi

__all__ = ["Typed", "build_api"]


def build_api(
    document: Document, resolver: Resolver, package: str, *, on_typed: Typed | None = None, locate: bool = True
) -> tuple[ir.Api, list[Diagnostic]]:
    """Build the IR of `document` (already validated) for a package named `package`; `on_typed`
    is told of each schema typed where the document may give examples (see `context.Typed`).
    With `locate` false, the warnings are returned without their lines, for the caller to find
    (`Document.locate`) when it has the document's lines at hand."""
    ctx = Context.of(document, resolver, on_typed)
    api = build_openapi(ctx, package)
    return api, document.locate(ctx.diagnostics.warnings) if locate else ctx.diagnostics.warnings
