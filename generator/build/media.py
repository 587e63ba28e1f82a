"""Media types (OAS 3.1 §4.8.14): which of a `content` map the client uses, how it encodes or reads
it (`json`, `form`, `multipart`, `text`, `binary`), and how an `Accept` header names it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, Literal

from .. import ir
from .context import Context
from .kinds import types_of
from .read import describe

BYTES = ir.Primitive("bytes")


TEXT = ir.Primitive("str")


def pick_media_type(ctx: Context, content: Any, at: list[str | int]) -> tuple[str, Mapping[str, Any]] | None:
    """The preferred media type of a `content` map (see `preferred_media_type`) and its Media
    Type Object (OAS 3.1 §4.8.14), or None when there is none."""
    if not isinstance(content, dict):
        if content is not None:
            ctx.diagnostics.warn(
                at, f"content must map media types to Media Type Objects, found {describe(content)}; ignored"
            )
        return None
    media_type = preferred_media_type(content)
    if media_type is None:
        return None
    if not _MEDIA_TYPE.fullmatch(media_type):
        ctx.diagnostics.warn([*at, media_type], f"{media_type!r} is not a media type (type/subtype); its body is bytes")
    media = content[media_type]
    if not isinstance(media, dict):
        ctx.diagnostics.warn(
            [*at, media_type],
            f"a Media Type Object must be a mapping, found {describe(media)}; read as one without a schema",
        )
        return media_type, {}
    return media_type, media


def unused_schema(ctx: Context, schema: Any, at: list[str | int], how: str) -> None:
    """Report a structured schema on a body the client passes through as bytes or text."""
    target, _ = ctx.resolver.deref(schema)
    if isinstance(target, dict) and (
        set(types_of(target)) - {"string", "null"} or any(k in target for k in STRUCTURE_KEYWORDS)
    ):
        ctx.diagnostics.warn(at, f"{how}: the client does not encode or decode this schema; ignored")


def preferred_media_type(content: Mapping[str, Any]) -> str | None:
    """JSON first, then form, then text, then anything else, in document order within each."""
    if not content:
        return None
    ranked = sorted(content, key=lambda m: (_MEDIA_RANK.get(media_kind(m), 9)))
    return str(ranked[0])


MediaKind = Literal["json", "form", "multipart", "text", "binary"]


def media_kind(media_type: str) -> MediaKind:
    """How the client encodes or reads a media type (structured syntax suffixes and `*/*` as JSON)."""
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


_MEDIA_RANK = {"json": 0, "form": 1, "multipart": 2, "text": 3, "binary": 4}


PASSED_AS = {"binary": "bytes", "text": "text"}


_MEDIA_TYPE = re.compile(r"\s*[^\s/;]+/[^\s;]+\s*(;.*)?", re.DOTALL)  # type/subtype, parameters


# Keywords that give a schema a structure a body of bytes or text does not keep.
STRUCTURE_KEYWORDS = ("properties", "items", "allOf", "oneOf", "anyOf", "additionalProperties", "enum", "const")


def acceptable(media_type: str, encoding: str) -> str:
    """The media type as an `Accept` header may name it: a range read as JSON (`*/*`) is asked
    for as JSON, which the client reads it as; a key that is not a media type, or that a
    header cannot carry, is asked for as anything (`*/*`)."""
    media = media_type.strip()
    if encoding == "json" and "*" in media:
        return "application/json"
    return media if header_safe(media) else "*/*"


def header_safe(media_type: str) -> bool:
    """Whether `media_type` is a media type (or range) a header can carry as it is."""
    return bool(
        _MEDIA_TYPE.fullmatch(media_type)
        and media_type.isascii()
        and media_type.isprintable()
        and "," not in media_type
    )
