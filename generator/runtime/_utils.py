"""Value coding shared by models and requests: dates, paths, query strings, unions."""

from __future__ import annotations

import base64
import binascii
import datetime
import enum
import json
import re
import uuid
from collections.abc import Callable, Iterable, Mapping
from typing import Any
from urllib.parse import quote

import httpx

from ._types import NotGiven, is_array

_PATH_PARAM = re.compile(r"\{([^{}]+)\}")


def parse_datetime(value: str) -> datetime.datetime:
    """RFC 3339 `date-time` → `datetime` (also on Python 3.10, whose parser rejects a final `Z`)."""
    if value.endswith(("Z", "z")):
        value = value[:-1] + "+00:00"
    return datetime.datetime.fromisoformat(value)


def format_datetime(value: datetime.datetime) -> str:
    return value.isoformat()


def parse_date(value: str) -> datetime.date:
    return datetime.date.fromisoformat(value)


def format_date(value: datetime.date) -> str:
    return value.isoformat()


def format_path(
    template: str, values: Mapping[str, Any], styles: Mapping[str, tuple[str, bool]] | None = None
) -> str:
    """Fill `{name}` in a path template, each value percent-encoded, in its parameter's style
    (`simple` unless `styles` says `label` or `matrix`, OAS 3.1.1 §4.8.12.4).

    A value of "." or ".." is encoded too (`%2E`), so that it cannot be read as a dot segment
    and send the request to another resource (RFC 3986 §5.2.4).
    """

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        style, explode = (styles or {}).get(name, ("simple", False))
        kind, parts = _parts(name, values[name], style, explode)
        return _path_text(name, kind, [(k, _segment(v)) for k, v in parts], style, explode)

    return _PATH_PARAM.sub(fill, template)


def _path_text(
    name: str, kind: str, parts: list[tuple[str, str]], style: str, explode: bool
) -> str:
    """A `simple`, `label` or `matrix` expansion (RFC 6570 §3.2.2, §3.2.5, §3.2.7) of encoded parts."""
    if kind == "object":
        items = [f"{k}={v}" for k, v in parts] if explode else [x for pair in parts for x in pair]
    elif kind == "array" and explode and style == "matrix":
        items = [f"{name}={v}" if v else name for _, v in parts]
    else:
        items = [v for _, v in parts]
    if style == "label":
        return "." + ("." if explode else ",").join(items)
    if style == "matrix":
        if explode and kind != "primitive":
            return "".join(f";{item}" for item in items)
        text = ",".join(items)
        return f";{name}={text}" if text else f";{name}"
    return ",".join(items)


def _segment(value: str | bytes) -> str:
    encoded = quote(value, safe="")
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded


# What each style can carry (OAS 3.1.1 §4.8.12.4, "Style Examples": the cells marked n/a are
# refused, never sent): the kinds of value, for explode false and explode true.
_STYLE_KINDS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "matrix": (frozenset({"primitive", "array", "object"}),) * 2,
    "label": (frozenset({"primitive", "array", "object"}),) * 2,
    "simple": (frozenset({"primitive", "array", "object"}),) * 2,
    "form": (frozenset({"primitive", "array", "object"}),) * 2,
    "spaceDelimited": (frozenset({"array", "object"}), frozenset()),
    "pipeDelimited": (frozenset({"array", "object"}), frozenset()),
    "deepObject": (frozenset(), frozenset({"object"})),
}

# RFC 3986 reserved characters `allowReserved` lets through unencoded (RFC 6570 reserved
# expansion), less those OAS 3.1.1 §4.8.12.1 still leaves to the client to encode in a query:
# `[`, `]` and `#`, which the query cannot hold, and `&`, `=` and `+`, which form encoding reads.
_RESERVED_KEPT = ":/?@!$'()*,;"
_TRIPLE = re.compile(r"%[0-9A-Fa-f]{2}")


def _query_component(value: str | bytes, reserved: bool = False) -> str:
    """Percent-encode a query name or value: everything but RFC 3986's unreserved characters,
    or, with `allowReserved`, leaving `_RESERVED_KEPT` and existing `%XX` triples as they are.
    Bytes (a `format: binary` value) are percent-encoded octet by octet, as they are."""
    if not reserved or isinstance(value, bytes):
        return quote(value, safe="")
    pieces, at = [], 0
    for match in _TRIPLE.finditer(value):
        pieces += [quote(value[at : match.start()], safe=_RESERVED_KEPT), match.group()]
        at = match.end()
    return "".join([*pieces, quote(value[at:], safe=_RESERVED_KEPT)])


def _parts(name: str, value: Any, style: str, explode: bool) -> tuple[str, list[tuple[str, Any]]]:
    """A parameter's value as its kind (primitive, array or object) and its parts, as text
    (or bytes, for a binary value): `[("", text)]`, `[("", item), ...]` or `[(key, value), ...]`.

    A model is its JSON data first (`to_dict`). Objects and arrays nested inside an array or an
    object cannot be written in any style (but objects in a `deepObject`, whose name promises
    them: see `_deep_members`), nor a value in a cell of the specification's table marked n/a:
    they raise `RequestValidationError` naming the parameter. Null members are left out, as
    RFC 6570 §2.3 leaves out undefined ones.
    """
    if style == "json":  # a `content` parameter of a JSON media type (OAS 3.1.1 §4.8.12.2)
        return "primitive", [("", json_text(value))]
    data = _file_bytes(value) if _is_file(value) else encode_value(value)
    if isinstance(data, Mapping):
        kind = "object"
        parts = [
            (str(k), v) for k, v in data.items() if v is not None and not isinstance(v, NotGiven)
        ]
    elif is_array(data) and not isinstance(data, bytes):
        kind = "array"
        parts = [("", v) for v in data if v is not None]
    else:
        kind, parts = "primitive", [("", data)]
    if kind not in _STYLE_KINDS.get(style, _STYLE_KINDS["form"])[explode]:
        _refuse(
            name,
            f"{'an' if kind[0] in 'ao' else 'a'} {kind} cannot be sent in style {style}, explode {str(explode).lower()}",
        )
    if style == "deepObject":
        parts = _deep_members(parts)
    for key, part in parts:
        if isinstance(part, Mapping) or (is_array(part) and not isinstance(part, bytes)):
            where = f"[{key!r}]" if key else " item"
            _refuse(
                name,
                f"{'an object' if isinstance(part, Mapping) else 'an array'} inside an {kind}{where} cannot be sent in style {style}",
            )
    return kind, [(k, v if isinstance(v, bytes) else _scalar(v)) for k, v in parts]


def _deep_members(parts: list[tuple[str, Any]]) -> list[tuple[str, Any]]:
    """A `deepObject`'s members with nested objects flattened, their keys joined by `][`, so that
    `{"a": {"b": 1}}` is written `name[a][b]=1`: the table shows one level only, and this is the
    reading of "rendering nested objects" (§4.8.12.4) that servers parsing brackets share."""
    flat: list[tuple[str, Any]] = []
    for key, part in parts:
        if isinstance(part, Mapping):
            inner = [
                (str(k), v)
                for k, v in part.items()
                if v is not None and not isinstance(v, NotGiven)
            ]
            flat.extend((f"{key}][{k}", v) for k, v in _deep_members(inner))
        else:
            flat.append((key, part))
    return flat


def _file_bytes(value: Any) -> bytes:
    """The octets of a `format: binary` value given as bytes, an open file or a file tuple."""
    if isinstance(value, tuple):
        return _file_bytes(value[1])
    return bytes(value.read() if hasattr(value, "read") else value)


def _refuse(name: str, why: str) -> None:
    from ._exceptions import RequestValidationError  # that module imports this one

    raise RequestValidationError([f"{name}: {why}"])


def encode_query(
    values: Mapping[str, Any],
    styles: Mapping[str, tuple[str, bool]] | None = None,
    reserved: Iterable[str] = (),
) -> list[tuple[str, str]]:
    """Query parameters as (name, value) pairs, already percent-encoded, per their OpenAPI
    `style` and `explode` (OAS 3.1.1 §4.8.12.4; `form`, explode, unless `styles` says otherwise),
    and `allowReserved` for the names in `reserved`.

    Not-given and null values are left out. Arrays (lists, tuples, any sequence but a string:
    see `is_array`) are repeated (`form`, explode) or joined with `,`, `%20` or `%7C`
    (`form`/`spaceDelimited`/`pipeDelimited`, no explode); objects become their own pairs
    (`form`, explode), `name[key]=value` (`deepObject`) or one joined value.
    """
    keep = frozenset(reserved)
    pairs: list[tuple[str, str]] = []
    for name, value in values.items():
        if isinstance(value, NotGiven) or value is None:
            continue
        style, explode = (styles or {}).get(name, ("form", True))
        kind, parts = _parts(name, value, style, explode)
        enc = [
            (_query_component(k, name in keep), _query_component(v, name in keep)) for k, v in parts
        ]
        pairs.extend(
            _styled(_query_component(name), kind, enc, style, explode, _QUERY_JOIN, "%5B", "%5D")
        )
    return pairs


_QUERY_JOIN = {"spaceDelimited": "%20", "pipeDelimited": "%7C"}  # the joiners, percent-encoded
_FORM_JOIN = {"spaceDelimited": " ", "pipeDelimited": "|"}  # the joiners, to be form-encoded


def _styled(
    name: str,
    kind: str,
    parts: list[tuple[str, str]],
    style: str,
    explode: bool,
    joiners: Mapping[str, str],
    opening: str,
    closing: str,
) -> list[tuple[str, str]]:
    """The (name, value) pairs of one `form`, `spaceDelimited`, `pipeDelimited` or `deepObject`
    value (OAS 3.1.1 §4.8.12.4) from its kind and text parts."""
    if kind == "object" and style == "deepObject":
        return [(f"{name}{opening}{k}{closing}", v) for k, v in parts]
    if kind != "primitive" and explode:
        return [(k, v) if kind == "object" else (name, v) for k, v in parts]
    joiner = joiners.get(style, ",")
    flat = [x for pair in parts for x in pair] if kind == "object" else [v for _, v in parts]
    return [(name, joiner.join(flat))]


def query_text(encoded: Iterable[tuple[str, str]], plain: Iterable[tuple[str, str]] = ()) -> str:
    """A query string from pairs `encode_query` gave and plain ones (credentials, the caller's
    `extra_query`), which are percent-encoded here."""
    pairs = [*encoded, *((_query_component(k), _query_component(v)) for k, v in plain)]
    return "&".join(f"{k}={v}" for k, v in pairs)


def encode_headers(
    values: Mapping[str, Any], styles: Mapping[str, tuple[str, bool]] | None = None
) -> dict[str, str]:
    """Header parameters, `simple` style (explode where `styles` says so): arrays and objects
    joined with `,`, objects exploded as `key=value`; not-given and null left out. Header
    values are not percent-encoded (OAS 3.1.1 Appendix D); a binary value is refused."""
    headers = {}
    for name, value in values.items():
        if isinstance(value, NotGiven) or value is None:
            continue
        style, explode = (styles or {}).get(name, ("simple", False))
        kind, parts = _parts(name, value, style, explode)
        text = _path_text(name, kind, [(k, _text(name, v)) for k, v in parts], "simple", explode)
        if not _FIELD_VALUE.fullmatch(text):
            _refuse(
                name,
                "a header value holds only visible ASCII, spaces and tabs (RFC 9110 §5.5): "
                "no line breaks, control or non-ASCII characters",
            )
        headers[name] = text
    return headers


def encode_cookies(
    values: Mapping[str, Any], styles: Mapping[str, tuple[str, bool]] | None = None
) -> list[tuple[str, str]]:
    """Cookie parameters as (name, value) pairs, `form` style: explode (the default) repeats an
    array's name and gives an object's members their own cookies, as OAS 3.2's `cookie` style
    spells out; without explode, one cookie joined with `,`. What a cookie value cannot hold
    (RFC 6265 §4.1.1: space, `"`, `,`, `;`, `\\`, controls, non-ASCII) is percent-encoded, and
    `%` with it; the rest goes as it is."""
    pairs: list[tuple[str, str]] = []
    for name, value in values.items():
        if isinstance(value, NotGiven) or value is None:
            continue
        style, explode = (styles or {}).get(name, ("form", True))
        kind, parts = _parts(name, value, style, explode)
        text = [(_cookie_octets(k), _cookie_octets(_text(name, v))) for k, v in parts]
        if kind != "primitive" and explode:
            pairs.extend((k, v) if kind == "object" else (name, v) for k, v in text)
        else:
            pairs.append(
                (
                    name,
                    ",".join(
                        [x for pair in text for x in pair]
                        if kind == "object"
                        else [v for _, v in text]
                    ),
                )
            )
    return pairs


_FIELD_VALUE = re.compile(r"[\x20-\x7e\t]*")
# RFC 6265 §4.1.1 cookie-octet, less `%`, which is encoded so that the value can be decoded.
_COOKIE_SAFE = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) not in '"%,;\\')


def _cookie_octets(value: str) -> str:
    return quote(value, safe=_COOKIE_SAFE)


def _text(name: str, value: str | bytes) -> str:
    if isinstance(value, bytes):
        _refuse(name, "a binary value cannot be sent in a header or a cookie")
    return str(value)


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if isinstance(value, datetime.date):
        return format_date(value)
    return str(value)


def enum_value(value: Any) -> Any:
    """An enum argument or field as JSON data: a member's value, or the plain value given in its
    place (a request checks it against the document's list before sending: see `_validation`)."""
    return value.value if isinstance(value, enum.Enum) else value


def as_field(value: Any) -> Any:
    """An array or map argument as a body model's field holds it: a list or a dict.

    The argument is annotated `SequenceNotStr[...]` or `Mapping[str, ...]`, so that a caller's
    `list[Genre]` or tuple is taken where the items are `Genre | GenreValue`, and the field
    `list[...]` or `dict[...]`, which responses fill; the request function passes one to the
    other through here, which the type checker cannot follow (hence `Any`). Only the outer
    array or map is copied (an item may be a file given as a tuple); anything else, such as
    `NOT_GIVEN`, None or the string member of a union, is returned as it is.
    """
    if isinstance(value, (list, dict)):
        return value
    if isinstance(value, Mapping):
        return dict(value)
    return list(value) if is_array(value) else value


def json_text(value: Any) -> str:
    """A value as compact JSON text, ASCII only (`\\u` escapes), so that a header can carry it."""
    return json.dumps(encode_value(value), separators=(",", ":"), default=json_default)


def json_default(value: Any) -> Any:
    """What `json.dumps` writes for a value JSON has no type of: any mapping as an object, any
    array (a tuple, another sequence) as an array, and bytes as base64 text (RFC 4648 §4), the
    only way a JSON body carries a `format: binary` value (see `decode_base64`)."""
    if isinstance(value, Mapping):
        return dict(value)
    if isinstance(value, (bytes, bytearray, memoryview)):
        return base64.b64encode(value).decode("ascii")
    if is_array(value):
        return list(value)
    raise TypeError(f"Object of type {type(value).__name__} is not JSON serializable")


def decode_base64(value: Any) -> Any:
    """The bytes of a `format: binary` value read from JSON: base64 text, with or without its
    padding, in the standard or the URL-safe alphabet (RFC 4648 §4, §5). Anything else (the
    bytes or file a model was given) is kept as it is, so that a model read back from its own
    `to_dict()` is the same model."""
    if not isinstance(value, str):
        return value
    try:
        return base64.b64decode(value + "=" * (-len(value) % 4), altchars=b"-_", validate=False)
    except binascii.Error as error:
        raise ValueError(f"not base64: {error}") from None


def merge_body(body: Any, extra: Mapping[str, object] | None) -> Any:
    """An object body with the caller's `extra_body` merged in: its entries, sent as given,
    replace the body's own of the same name. Without any, the body as it is (None: no body)."""
    if not extra:
        return body
    if body is not None and not isinstance(body, Mapping):
        raise TypeError(f"extra_body merges into an object body, not {type(body).__name__}")
    return {**(body or {}), **extra}


def encode_value(value: Any) -> Any:
    """Any value a model can hold, as JSON data (for unions, whose member is known only at run time)."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, datetime.datetime):
        return format_datetime(value)
    if isinstance(value, datetime.date):
        return format_date(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, Mapping):
        return {k: encode_value(v) for k, v in value.items()}
    if is_array(value):
        return [encode_value(v) for v in value]
    return value


def decode_union(value: Any, decoders: Iterable[Callable[[Any], Any]]) -> Any:
    """Decode with the member that fits best, for a union without a discriminator.

    Each member decoder that accepts the value is a candidate; for an object, the model whose
    properties cover most of the value's keys (and that would drop fewest) wins, ties going to
    the first listed. A value no decoder accepts is kept as it came (the API may have added a
    member this client does not know), though it is then not of the declared type.
    """
    best: tuple[int, int] | None = None
    chosen: Any = value
    for decoder in decoders:
        if hasattr(getattr(decoder, "__self__", None), "_PROPERTIES") and not isinstance(
            value, Mapping
        ):
            continue  # a model reads only objects
        try:
            decoded = decoder(value)
        except (KeyError, TypeError, ValueError, AttributeError):
            continue
        score = _fit(decoder, value)
        if best is None or score > best:
            best, chosen = score, decoded
    return chosen


def keep(value: Any) -> Any:
    """The decoder of a union member whose JSON value is already its Python value."""
    return value


def _fit(decoder: Callable[[Any], Any], value: Any) -> tuple[int, int]:
    """(keys the model knows, minus keys it would drop): higher fits better."""
    model = getattr(decoder, "__self__", None)
    known = getattr(model, "_PROPERTIES", None)
    if not isinstance(value, Mapping) or known is None:
        return (0, 0)
    keeps_unknown = any(
        name.startswith("additional_properties")
        for name in getattr(model, "__dataclass_fields__", {})
    )
    unknown = sum(1 for key in value if key not in known)
    return (len(value) - unknown, 0 if keeps_unknown else -unknown)


def expect_list(value: Any) -> list[Any]:
    """`value`, which must be a JSON array (a union member's decoder refuses anything else)."""
    if not isinstance(value, list):
        raise TypeError(f"expected a list, not {type(value).__name__}")
    return value


def expect_map(value: Any) -> dict[str, Any]:
    """`value`, which must be a JSON object (a union member's decoder refuses anything else)."""
    if not isinstance(value, dict):
        raise TypeError(f"expected an object, not {type(value).__name__}")
    return value


def decode_tagged(value: Any, tag: str, decoders: Mapping[str, Callable[[Any], Any]]) -> Any:
    """Decode by discriminator: the member is the one `value[tag]` names, no guessing.

    A tag this client does not know keeps the value as it came (see `decode_union`).
    """
    tag_value = value.get(tag) if isinstance(value, Mapping) else None
    decoder = decoders.get(tag_value) if isinstance(tag_value, str) else None
    return decoder(value) if decoder is not None else value


def decode_error_body(response: httpx.Response, decoder: Callable[[Any], Any] | None) -> Any:
    """An error answer's body: the document's model if it fits, else JSON, else text, else None."""
    if not response.content:
        return None
    try:
        data = response.json()
    except (
        json.JSONDecodeError,
        UnicodeDecodeError,
        RecursionError,
    ):  # RecursionError: nested too deep
        return response.text
    if decoder is not None:
        try:
            return decoder(data)
        except (KeyError, TypeError, ValueError, AttributeError, RecursionError):
            pass
    return data


def encode_form(
    value: Any, styles: Mapping[str, tuple[str, bool]] | None = None
) -> list[tuple[str, str]]:
    """A form body (application/x-www-form-urlencoded) as pairs. A property the document gives
    a style (its Encoding Object, OAS 3.1.1 §4.8.15) is written as a query parameter of that
    style, or as JSON text; the others: nested objects become `a[b]=v` (deepObject), lists at
    the top repeat their name (`form`, explode) and lists inside objects are indexed
    (`a[b][0]=v`), as form-encoded APIs such as Stripe's read them."""
    if not isinstance(value, Mapping):
        return []
    pairs: list[tuple[str, str]] = []
    for name, item in value.items():
        if styles and name in styles:
            if not isinstance(item, NotGiven) and item is not None:
                style, explode = styles[name]
                kind, parts = _parts(name, item, style, explode)
                pairs.extend(_styled(name, kind, parts, style, explode, _FORM_JOIN, "[", "]"))
        elif is_array(item) and not any(isinstance(v, Mapping) or is_array(v) for v in item):
            pairs.extend((str(name), _scalar(v)) for v in item if v is not None)
        else:
            _flatten(str(name), item, pairs)
    return pairs


def _flatten(prefix: str, value: Any, pairs: list[tuple[str, str]]) -> None:
    if isinstance(value, NotGiven) or value is None:
        return
    if isinstance(value, Mapping):
        if not value:
            pairs.append((prefix, ""))  # an empty object, as Stripe reads it
        for key, item in value.items():
            _flatten(f"{prefix}[{key}]", item, pairs)
    elif is_array(value):
        for index, item in enumerate(value):
            _flatten(f"{prefix}[{index}]", item, pairs)
    else:
        pairs.append((prefix, _scalar(value)))


def encode_multipart(
    value: Any,
    content_types: Mapping[str, str] | None = None,
    styles: Mapping[str, tuple[str, bool]] | None = None,
) -> list[tuple[str, Any]]:
    """A multipart/form-data body as httpx `files` parts: files (bytes, file objects or
    `(filename, content[, content type])` tuples) as they are, lists as repeated parts, objects
    as JSON (the default for them, OAS 3.1 §4.8.15), scalars as text parts without a filename.
    A tuple that is a file is one part; any other array is a part per item. A property the
    document gives a `contentType` (its Encoding Object) has its parts sent with it: a JSON
    type makes any value its JSON text; a file keeps a content type its tuple gives. One given
    a `style` is written as a form field of that style, a text part per pair, as OAS 3.1
    allows; `deepObject` as a form body writes objects (`name[key][...]` parts), which is how
    form-encoded APIs such as Stripe's read them."""
    parts: list[tuple[str, Any]] = []
    for name, item in (value or {}).items():
        wanted = (content_types or {}).get(name)
        if styles and name in styles and not _is_file(item) and not isinstance(item, NotGiven):
            if item is not None:
                style, explode = styles[name]
                if style == "deepObject":  # brackets, as a form body writes objects
                    pairs = encode_form({name: encode_value(item)})
                else:
                    kind, pieces = _parts(name, item, style, explode)
                    pairs = _styled(name, kind, pieces, style, explode, _FORM_JOIN, "[", "]")
                for key, text in pairs:
                    parts.append((key, (None, text, wanted) if wanted else (None, text)))
            continue
        for part in item if is_array(item) and not _is_file(item) else [item]:
            if isinstance(part, NotGiven) or part is None:
                continue
            if _is_file(part):
                parts.append((name, _typed_file(part, wanted) if wanted else part))
            elif isinstance(part, Mapping) or is_array(part) or (wanted and _is_json(wanted)):
                parts.append((name, (None, json_text(part), wanted or "application/json")))
            elif wanted:
                parts.append((name, (None, _scalar(part), wanted)))
            else:
                parts.append((name, (None, _scalar(part))))
    return parts


def _typed_file(part: Any, content_type: str) -> Any:
    """A file part as an httpx `(filename, content, content type)` tuple with `content_type`,
    unless the caller's tuple names its own."""
    if isinstance(part, tuple):
        return part if len(part) > 2 else (*part, content_type)
    filename = str(getattr(part, "name", None) or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    return (filename, part, content_type)


def _is_json(media_type: str) -> bool:
    media = media_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


def _is_file(value: Any) -> bool:
    if isinstance(value, (bytes, bytearray)) or hasattr(value, "read"):
        return True
    return isinstance(value, tuple) and len(value) in (2, 3) and _is_file(value[1])
