"""The runtime's parameter encoder against the OpenAPI specification's own table.

OAS 3.1.1 §4.8.12.4.1 ("Style Examples", https://spec.openapis.org/oas/v3.1.1#style-examples):
every cell, for `color` = "" (the `empty`/`undefined` column, as an empty string), "blue",
["blue", "black", "brown"] and {"R": 100, "G": 200, "B": 150}, written out by hand from the
specification's text and compared byte for byte with what the encoder puts in the path, the
query string or the header. A cell the specification marks n/a must be refused with
`RequestValidationError`, never sent. `allowReserved` (§4.8.12.1) is checked after the table.
"""

from __future__ import annotations

from typing import Any

import pytest

from generator.runtime._exceptions import RequestValidationError
from generator.runtime._utils import encode_cookies, encode_headers, encode_query, format_path, query_text

EMPTY: Any = ""
STRING: Any = "blue"
ARRAY: Any = ["blue", "black", "brown"]
OBJECT: Any = {"R": 100, "G": 200, "B": 150}
NA = None  # the specification's n/a

# style, explode: empty, string, array, object (query cells without their leading `?`)
TABLE: list[tuple[str, bool, tuple[str | None, str | None, str | None, str | None]]] = [
    ("matrix", False, (";color", ";color=blue", ";color=blue,black,brown", ";color=R,100,G,200,B,150")),
    ("matrix", True, (";color", ";color=blue", ";color=blue;color=black;color=brown", ";R=100;G=200;B=150")),
    ("label", False, (".", ".blue", ".blue,black,brown", ".R,100,G,200,B,150")),
    ("label", True, (".", ".blue", ".blue.black.brown", ".R=100.G=200.B=150")),
    ("simple", False, ("", "blue", "blue,black,brown", "R,100,G,200,B,150")),
    ("simple", True, ("", "blue", "blue,black,brown", "R=100,G=200,B=150")),
    ("form", False, ("color=", "color=blue", "color=blue,black,brown", "color=R,100,G,200,B,150")),
    ("form", True, ("color=", "color=blue", "color=blue&color=black&color=brown", "R=100&G=200&B=150")),
    ("spaceDelimited", False, (NA, NA, "color=blue%20black%20brown", "color=R%20100%20G%20200%20B%20150")),
    ("spaceDelimited", True, (NA, NA, NA, NA)),
    ("pipeDelimited", False, (NA, NA, "color=blue%7Cblack%7Cbrown", "color=R%7C100%7CG%7C200%7CB%7C150")),
    ("pipeDelimited", True, (NA, NA, NA, NA)),
    ("deepObject", False, (NA, NA, NA, NA)),
    ("deepObject", True, (NA, NA, NA, "color%5BR%5D=100&color%5BG%5D=200&color%5BB%5D=150")),
]

VALUES = {"empty": EMPTY, "string": STRING, "array": ARRAY, "object": OBJECT}
CELLS = [
    pytest.param(style, explode, value, expected, id=f"{style}-{'explode' if explode else 'no_explode'}-{kind}")
    for style, explode, row in TABLE
    for (kind, value), expected in zip(VALUES.items(), row)
]


def encode(style: str, explode: bool, value: Any) -> str:
    """The cell as the client writes it: a path segment (matrix, label, simple), a query string
    (form and the query-only styles) and, for `simple`, the header value too."""
    if style in ("matrix", "label", "simple"):
        text = format_path("{color}", {"color": value}, {"color": (style, explode)})
        if style == "simple":
            header = encode_headers({"color": value}, {"color": (style, explode)})["color"]
            assert header == text  # none of the table's characters is percent-encoded in a path
        return text
    return query_text(encode_query({"color": value}, {"color": (style, explode)}))


@pytest.mark.parametrize(("style", "explode", "value", "expected"), CELLS)
def test_style_example(style: str, explode: bool, value: Any, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(RequestValidationError, match=r"^invalid request: color: "):
            encode(style, explode, value)
    else:
        assert encode(style, explode, value) == expected


def test_cookies_are_form_style() -> None:
    """Cookies are `form` (§4.8.12.4): explode gives each item or member its own cookie."""
    assert encode_cookies({"color": STRING}) == [("color", "blue")]
    assert encode_cookies({"color": ARRAY}, {"color": ("form", False)}) == [("color", "blue,black,brown")]
    assert encode_cookies({"color": OBJECT}, {"color": ("form", False)}) == [("color", "R,100,G,200,B,150")]
    assert encode_cookies({"color": ARRAY}) == [("color", "blue"), ("color", "black"), ("color", "brown")]
    assert encode_cookies({"color": OBJECT}) == [("R", "100"), ("G", "200"), ("B", "150")]


RESERVED = ":/?#[]@!$&'()*+,;="


@pytest.mark.parametrize(
    ("style", "explode", "value", "plain", "allowed"),
    [
        (
            "form",
            True,
            RESERVED + " %41%",
            "color=%3A%2F%3F%23%5B%5D%40%21%24%26%27%28%29%2A%2B%2C%3B%3D%20%2541%25",
            # reserved expansion keeps RFC 3986's reserved set and %XX triples, but not what a
            # query cannot hold ([, ], #) nor what form encoding reads (&, =, +): §4.8.12.1
            "color=:/?%23%5B%5D@!$%26'()*%2B,;%3D%20%41%25",
        ),
        ("form", False, ["a,b", "c/d"], "color=a%2Cb,c%2Fd", "color=a,b,c/d"),
        ("pipeDelimited", False, ["a|b", "c:d"], "color=a%7Cb%7Cc%3Ad", "color=a%7Cb%7Cc:d"),
        ("deepObject", True, {"k/1": "v?"}, "color%5Bk%2F1%5D=v%3F", "color%5Bk/1%5D=v?"),
    ],
)
def test_allow_reserved(style: str, explode: bool, value: Any, plain: str, allowed: str) -> None:
    styles = {"color": (style, explode)}
    assert query_text(encode_query({"color": value}, styles)) == plain
    assert query_text(encode_query({"color": value}, styles, reserved=["color"])) == allowed


def test_reserved_characters_in_a_path_are_always_encoded() -> None:
    assert format_path("/{color}", {"color": "a/b;c=d,e"}) == "/a%2Fb%3Bc%3Dd%2Ce"
    assert format_path("/{color}", {"color": ["x,y", "z"]}, {"color": ("label", True)}) == "/.x%2Cy.z"


@pytest.mark.parametrize(
    ("value", "why"),
    [
        ({"R": {"deep": 1}}, r"an object inside an object\['R'\]"),
        ([{"R": 1}], "an object inside an array item"),
        ({"R": [1, 2]}, r"an array inside an object\['R'\]"),
        ([[1], [2]], "an array inside an array item"),
    ],
)
def test_nested_values_are_refused_in_every_style(value: Any, why: str) -> None:
    """No style of the table writes an object or array inside another (but an object inside a
    `deepObject`: see below): refused, naming the parameter."""
    for style, explode, _ in TABLE:
        if style == "deepObject" and explode and value == {"R": {"deep": 1}}:
            continue
        with pytest.raises(RequestValidationError, match=rf"^invalid request: color: ({why}|an? \w+ cannot be sent)"):
            encode(style, explode, value)
    with pytest.raises(RequestValidationError, match=r"color: "):
        encode_cookies({"color": value})


def test_deep_objects_nest_with_brackets() -> None:
    """`deepObject` renders nested objects (§4.8.12.4) as `name[a][b]`; arrays in it are refused."""
    value = {"a": {"b": 1, "c": {"d": "x y"}}, "e": None, "f": True}
    assert query_text(encode_query({"o": value}, {"o": ("deepObject", True)})) == (
        "o%5Ba%5D%5Bb%5D=1&o%5Ba%5D%5Bc%5D%5Bd%5D=x%20y&o%5Bf%5D=true"
    )
    with pytest.raises(RequestValidationError, match=r"o: an array inside an object\['a\]\[b'\]"):
        encode_query({"o": {"a": {"b": [1]}}}, {"o": ("deepObject", True)})


def test_binary_query_values_are_percent_encoded_octets() -> None:
    """A `format: binary` value in the query is its octets percent-encoded (RFC 3986 §2.1), never
    a bytes repr; headers and cookies, which cannot carry arbitrary octets, refuse it."""
    assert query_text(encode_query({"blob": b"\x00\x01 a+\xff"})) == "blob=%00%01%20a%2B%FF"
    assert format_path("/{blob}", {"blob": b"\x00/"}) == "/%00%2F"
    with pytest.raises(RequestValidationError, match="blob: a binary value"):
        encode_headers({"blob": b"\x00"})
    with pytest.raises(RequestValidationError, match="blob: a binary value"):
        encode_cookies({"blob": b"\x00"})


def test_models_are_encoded_as_their_json_data() -> None:
    """A model instance is its `to_dict()` first, then styled: never its repr."""

    class Filter:
        def to_dict(self) -> dict[str, Any]:
            return {"name": "x", "tags": None}

    assert query_text(encode_query({"filter": Filter()})) == "name=x"
    assert query_text(encode_query({"filter": Filter()}, {"filter": ("deepObject", True)})) == "filter%5Bname%5D=x"
    assert format_path("/p/{f}", {"f": Filter()}) == "/p/name,x"
    with pytest.raises(RequestValidationError, match=r"X-F: an object inside an array item"):
        encode_headers({"X-F": [Filter()]})
