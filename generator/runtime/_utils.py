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
    (`simple` unless `styles` says `label` or `matrix`, OAS 3.1 §4.8.12.4).

    A value of "." or ".." is encoded too (`%2E`), so that it cannot be read as a dot segment
    and send the request to another resource (RFC 3986 §5.2.4).
    """

    def fill(match: re.Match[str]) -> str:
        name = match.group(1)
        style, explode = (styles or {}).get(name, ("simple", False))
        return _styled(name, values[name], style, explode)

    return _PATH_PARAM.sub(fill, template)


def _styled(name: str, value: Any, style: str, explode: bool) -> str:
    if isinstance(value, Mapping):
        pairs = [(str(k), _segment(v)) for k, v in value.items()]
        items = [f"{k}={v}" for k, v in pairs] if explode else [x for pair in pairs for x in pair]
    elif is_array(value):
        items = [_segment(v) for v in value]
    else:
        items = [_segment(value)]
    if style == "label":
        return "." + ("." if explode else ",").join(items)
    if style == "matrix":
        if explode and is_array(value):
            return "".join(f";{name}={item}" for item in items)
        if explode and isinstance(value, Mapping):
            return "".join(f";{item}" for item in items)
        return f";{name}=" + ",".join(items)
    return ",".join(items)


def _segment(value: Any) -> str:
    encoded = quote(_scalar(value), safe="")
    return encoded.replace(".", "%2E") if encoded in (".", "..") else encoded


def encode_query(
    values: Mapping[str, Any], styles: Mapping[str, tuple[str, bool]] | None = None
) -> list[tuple[str, str]]:
    """Query parameters as (name, value) pairs, per their OpenAPI `style` and `explode`.

    Not-given values are left out. Arrays (lists, tuples, any sequence but a string: see
    `is_array`) are repeated (`form`, explode) or joined with `,`, space or `|`
    (`form`/`spaceDelimited`/`pipeDelimited`, no explode); objects become `name[key]=value`
    (`deepObject`) or their own pairs (`form`, explode).
    """
    pairs: list[tuple[str, str]] = []
    for name, value in values.items():
        if isinstance(value, NotGiven) or value is None:
            continue
        style, explode = (styles or {}).get(name, ("form", True))
        if isinstance(value, Mapping):
            items = [(str(k), v) for k, v in value.items() if not isinstance(v, NotGiven)]
            if style == "deepObject":
                pairs.extend((f"{name}[{k}]", _scalar(v)) for k, v in items)
            elif explode:
                pairs.extend((k, _scalar(v)) for k, v in items)
            else:
                pairs.append((name, ",".join(f"{k},{_scalar(v)}" for k, v in items)))
        elif is_array(value):
            if explode and style == "form":
                pairs.extend((name, _scalar(v)) for v in value)
            else:
                joiner = {"spaceDelimited": " ", "pipeDelimited": "|"}.get(style, ",")
                pairs.append((name, joiner.join(_scalar(v) for v in value)))
        else:
            pairs.append((name, _scalar(value)))
    return pairs


def encode_headers(values: Mapping[str, Any]) -> dict[str, str]:
    """Header (or cookie) parameters, `simple` style: arrays joined with `,`; not-given left out."""
    return {
        name: ",".join(_scalar(v) for v in value) if is_array(value) else _scalar(value)
        for name, value in values.items()
        if not isinstance(value, NotGiven) and value is not None
    }


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


def encode_form(value: Any) -> list[tuple[str, str]]:
    """A form body (application/x-www-form-urlencoded) as pairs. Nested objects become
    `a[b]=v` (deepObject), lists at the top repeat their name (`form`, explode) and lists inside
    objects are indexed (`a[b][0]=v`), as form-encoded APIs such as Stripe's read them."""
    if not isinstance(value, Mapping):
        return []
    pairs: list[tuple[str, str]] = []
    for name, item in value.items():
        if is_array(item) and not any(isinstance(v, Mapping) or is_array(v) for v in item):
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


def encode_multipart(value: Any) -> list[tuple[str, Any]]:
    """A multipart/form-data body as httpx `files` parts: files (bytes, file objects or
    `(filename, content[, content type])` tuples) as they are, lists as repeated parts, objects
    as JSON (the default for them, OAS 3.1 §4.8.15), scalars as text parts without a filename.
    A tuple that is a file is one part; any other array is a part per item."""
    parts: list[tuple[str, Any]] = []
    for name, item in (value or {}).items():
        for part in item if is_array(item) and not _is_file(item) else [item]:
            if isinstance(part, NotGiven) or part is None:
                continue
            if _is_file(part):
                parts.append((name, part))
            elif isinstance(part, Mapping) or is_array(part):
                text = json.dumps(encode_value(part), default=json_default)
                parts.append((name, (None, text, "application/json")))
            else:
                parts.append((name, (None, _scalar(part))))
    return parts


def _is_file(value: Any) -> bool:
    if isinstance(value, (bytes, bytearray)) or hasattr(value, "read"):
        return True
    return isinstance(value, tuple) and len(value) in (2, 3) and _is_file(value[1])
