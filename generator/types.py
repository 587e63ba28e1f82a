"""The `(type, format) → Python type` table: each row an annotation, its imports and its codec.

A row's `decoder`/`encoder` name a function from the generated package's `_utils.py` (or a
standard constructor) that turns the JSON value into the Python one and back. Formats not listed
fall back to the type's plain row: an unknown format is never an error.
"""

from __future__ import annotations

from .ir import Import, Primitive

_UTILS = "._utils"

PRIMITIVES: dict[tuple[str, str | None], Primitive] = {
    ("string", None): Primitive("str"),
    ("string", "date-time"): Primitive(
        "datetime.datetime",
        (Import("datetime"),),
        decoder="parse_datetime",
        encoder="format_datetime",
        codec_imports=(Import(_UTILS, "parse_datetime"), Import(_UTILS, "format_datetime")),
    ),
    ("string", "date"): Primitive(
        "datetime.date",
        (Import("datetime"),),
        decoder="parse_date",
        encoder="format_date",
        codec_imports=(Import(_UTILS, "parse_date"), Import(_UTILS, "format_date")),
    ),
    ("string", "uuid"): Primitive(
        "uuid.UUID", (Import("uuid"),), decoder="uuid.UUID", encoder="str", codec_imports=(Import("uuid"),)
    ),
    # A file in a multipart body: bytes, a file, or a tuple. Raw octets fit only a whole body or
    # part (https://spec.openapis.org/registry/format/binary); a JSON string cannot hold them, so
    # inside a JSON body they travel as base64 (RFC 4648 §4), as `format: byte` (OAS 3.0.3, Data
    # Types) and 3.1's `contentEncoding: base64` (OAS 3.1.1, Schema Object, "Working with Binary
    # Data") describe: the JSON writer encodes them (`_utils.json_default`) and reading decodes the
    # text back into bytes. `format: byte` itself stays `str`, the base64 text the document shows.
    ("string", "binary"): Primitive(
        "FileInput",
        (Import("._types", "FileInput"),),
        decoder="decode_base64",
        codec_imports=(Import(_UTILS, "decode_base64"),),
    ),
    # Decimal numbers carried as strings keep their precision.
    ("string", "decimal"): Primitive(
        "decimal.Decimal",
        (Import("decimal"),),
        decoder="decimal.Decimal",
        encoder="str",
        codec_imports=(Import("decimal"),),
    ),
    ("integer", None): Primitive("int"),
    ("number", None): Primitive("float"),
    ("boolean", None): Primitive("bool"),
    ("null", None): Primitive("None"),
}

ANY = Primitive("Any", (Import("typing", "Any"),))
# The values of an object that may hold no property (`additionalProperties: false`, no properties).
NEVER = Primitive("Never", (Import("._types", "Never"),))


def primitive(json_type: str, fmt: object) -> Primitive:
    """The row for `json_type` and `fmt`, or the type's plain row when the format is not listed."""
    key = (json_type, fmt if isinstance(fmt, str) else None)
    return PRIMITIVES.get(key) or PRIMITIVES.get((json_type, None)) or ANY
