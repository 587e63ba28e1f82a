"""Enums given as members or as their plain values, `extra_body`, and arrays and maps given as any
sequence or mapping, as a user meets them: the Bookshop document (tests/cases/enums) generated with
the command line, its client called against a server on 127.0.0.1, and code written against it
type-checked with `mypy --strict`."""

from __future__ import annotations

import asyncio
import importlib
import json
import subprocess
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path
from types import MappingProxyType, ModuleType
from typing import Any, overload
from urllib.parse import parse_qsl

import pytest
from pytest_httpserver import HTTPServer

from .conftest import CASES, ROOT

SPEC = CASES / "enums" / "spec.yaml"
BOOK = {"id": 1, "title": "Drama", "genre": "drama"}


@pytest.fixture(scope="module")
def output(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder holding `bookshop/`, generated as a user does."""
    folder = tmp_path_factory.mktemp("generated")
    run = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(SPEC), "--output", str(folder)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    return folder


@pytest.fixture(scope="module")
def bookshop(output: Path) -> Iterator[ModuleType]:
    sys.path.insert(0, str(output))
    try:
        yield importlib.import_module("bookshop")
    finally:
        sys.path.remove(str(output))
        for name in [n for n in sys.modules if n == "bookshop" or n.startswith("bookshop.")]:
            del sys.modules[name]


@pytest.fixture
def client(bookshop: ModuleType, httpserver: HTTPServer) -> Iterator[Any]:
    with bookshop.Client(base_url=httpserver.url_for("/")) as client:
        yield client


def _only_request(httpserver: HTTPServer) -> Any:
    assert len(httpserver.log) == 1, httpserver.log
    return httpserver.log[0][0]


# -- plain values and members, on the wire --------------------------------------------------------


def test_plain_values_are_sent_as_they_are(client: Any, bookshop: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/books", method="POST").respond_with_json(BOOK, status=201)
    book = client.books.create(
        title="Drama",
        genre="drama",
        subgenres=["poetry", bookshop.Genre.SCIENCE_FICTION],
        ratings={"plot": 5, "style": bookshop.Rating.VALUE_2},
        previous_genre=None,
        binding="paperback",
        featured=3,
    )
    assert json.loads(_only_request(httpserver).get_data()) == {
        "title": "Drama",
        "genre": "drama",
        "subgenres": ["poetry", "science-fiction"],
        "ratings": {"plot": 5, "style": 2},
        "previous_genre": None,
        "binding": "paperback",
        "featured": 3,
    }
    assert book.genre is bookshop.Genre.DRAMA  # what comes back holds members


def test_members_are_sent_as_their_values(client: Any, bookshop: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/books", method="POST").respond_with_json(BOOK, status=201)
    client.books.create(title="Drama", genre=bookshop.Genre.DRAMA, featured=bookshop.Genre.POETRY)
    assert json.loads(_only_request(httpserver).get_data()) == {
        "title": "Drama",
        "genre": "drama",
        "featured": "poetry",
    }


def test_a_model_built_with_plain_values_encodes(bookshop: ModuleType) -> None:
    book = bookshop.NewBook(title="t", genre="poetry", subgenres=["drama"], ratings={"a": 1})
    assert book.to_dict() == {"title": "t", "genre": "poetry", "subgenres": ["drama"], "ratings": {"a": 1}}


def test_query_header_and_path_parameters_take_plain_values(
    client: Any, bookshop: ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/books", method="GET").respond_with_json([BOOK])
    httpserver.expect_request("/genres/science-fiction", method="GET").respond_with_json(4)
    httpserver.expect_request("/genres/drama/next", method="GET").respond_with_json("poetry")
    client.books.list(genre="poetry", genres=["drama", bookshop.Genre.POETRY], x_shelf=2)
    assert client.genres.count("science-fiction") == 4
    assert client.genres.next(bookshop.Genre.DRAMA) is bookshop.Genre.POETRY
    listed = httpserver.log[0][0]
    assert parse_qsl(listed.query_string.decode()) == [("genre", "poetry"), ("genres", "drama,poetry")]
    assert listed.headers["X-Shelf"] == "2"


def test_body_lists_and_maps_take_plain_values(client: Any, bookshop: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/books", method="PUT").respond_with_data(status=204)
    httpserver.expect_request("/books/tags", method="PATCH").respond_with_data(status=204)
    client.books.replace_all(body=["drama", bookshop.Genre.POETRY])
    client.books.tag(body={"a": "drama", "b": bookshop.Genre.POETRY})
    assert [json.loads(r.get_data()) for r, _ in httpserver.log] == [["drama", "poetry"], {"a": "drama", "b": "poetry"}]


def test_form_and_multipart_bodies_take_plain_values(client: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/books/import", method="POST").respond_with_data(status=204)
    httpserver.expect_request("/books/covers", method="POST").respond_with_data(status=204)
    client.books.import_book(title="Drama", genre="drama")
    client.books.upload_cover(file=("cover.png", b"\x89PNG"), genre="poetry")
    form, multipart = (r for r, _ in httpserver.log)
    assert parse_qsl(form.get_data(as_text=True)) == [("title", "Drama"), ("genre", "drama")]
    assert multipart.form.to_dict() == {"genre": "poetry"} and multipart.files["file"].read() == b"\x89PNG"


def test_responses_keep_values_the_document_does_not_list(
    client: Any, bookshop: ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/books", method="GET").respond_with_json([{**BOOK, "genre": "horror"}])
    (book,) = client.books.list()
    assert isinstance(book.genre, bookshop.Genre) and book.genre == "horror"


# -- values the document does not list ------------------------------------------------------------

REFUSED: list[tuple[str, Callable[[Any, ModuleType], object], str]] = [
    ("plain", lambda c, m: c.books.create(title="t", genre="nope"), "genre: not one of"),
    ("unknown member", lambda c, m: c.books.create(title="t", genre=m.Genre("nope")), "genre: not one of"),
    ("wrong type", lambda c, m: c.books.create(title="t", genre=5), "genre: not one of"),
    ("list item", lambda c, m: c.books.create(title="t", genre="drama", subgenres=["nope"]), "subgenres[0]: not one"),
    ("map value", lambda c, m: c.books.create(title="t", genre="drama", ratings={"a": 9}), "ratings['a']: not one"),
    ("bool for int", lambda c, m: c.books.create(title="t", genre="drama", ratings={"a": True}), "ratings['a']"),
    ("union", lambda c, m: c.books.create(title="t", genre="drama", featured="nope"), "featured: matches none"),
    ("nullable", lambda c, m: c.books.create(title="t", genre="drama", previous_genre="nope"), "previous_genre"),
    ("query", lambda c, m: c.books.list(genre="nope"), "genre: not one of"),
    ("query list", lambda c, m: c.books.list(genres=["drama", "nope"]), "genres[1]: not one of"),
    ("header", lambda c, m: c.books.list(x_shelf=7), "x_shelf: not one of 1, 2, 3"),
    ("path", lambda c, m: c.genres.count("nope"), "genre: not one of"),
    ("array body", lambda c, m: c.books.replace_all(body=["nope"]), "body[0]: not one of"),
    ("map body", lambda c, m: c.books.tag(body={"a": "nope"}), "body['a']: not one of"),
    ("form body", lambda c, m: c.books.import_book(title="t", genre="nope"), "genre: not one of"),
    ("multipart body", lambda c, m: c.books.upload_cover(file=b"x", genre="nope"), "genre: not one of"),
]


@pytest.mark.parametrize(("call", "problem"), [r[1:] for r in REFUSED], ids=[r[0] for r in REFUSED])
def test_unlisted_values_are_refused_before_sending(
    client: Any, bookshop: ModuleType, httpserver: HTTPServer, call: Callable[[Any, ModuleType], object], problem: str
) -> None:
    with pytest.raises(Exception) as raised:
        call(client, bookshop)
    error: Any = raised.value
    assert type(error) is bookshop.RequestValidationError, repr(error)  # never another exception
    assert len(error.problems) == 1 and error.problems[0].startswith(problem)
    assert httpserver.log == []


def test_async_client_takes_plain_values_and_refuses_unlisted_ones(
    bookshop: ModuleType, httpserver: HTTPServer
) -> None:
    httpserver.expect_request("/books", method="GET", query_string="genre=drama").respond_with_json([BOOK])

    async def calls() -> None:
        async with bookshop.AsyncClient(base_url=httpserver.url_for("/")) as client:
            assert [b.title for b in await client.books.list(genre="drama")] == ["Drama"]
            with pytest.raises(bookshop.RequestValidationError):
                await client.books.list(genre="nope")

    asyncio.run(calls())
    assert len(httpserver.log) == 1


# -- extra_body -----------------------------------------------------------------------------------


def test_extra_body_is_merged_into_a_json_body(client: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/books", method="POST").respond_with_json(BOOK, status=201)
    client.books.create(title="Drama", genre="drama", extra_body={"isbn": "978-0", "title": "Replaced"})
    assert json.loads(_only_request(httpserver).get_data()) == {
        "title": "Replaced",
        "genre": "drama",
        "isbn": "978-0",
    }


def test_extra_body_is_merged_into_a_map_body_given_or_not(client: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/books/tags", method="PATCH").respond_with_data(status=204)
    client.books.tag(body={"a": "drama"}, extra_body={"b": "new"})
    client.books.tag(extra_body={"b": "new"})
    client.books.tag()
    bodies = [r.get_data() for r, _ in httpserver.log]
    assert [json.loads(b) for b in bodies[:2]] == [{"a": "drama", "b": "new"}, {"b": "new"}]
    assert bodies[2] == b""  # no body and no extra_body: nothing is sent


def test_extra_body_is_merged_into_form_fields(client: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/books/import", method="POST").respond_with_data(status=204)
    client.books.import_book(title="Drama", genre="drama", extra_body={"shelf": {"row": 2}, "title": "Replaced"})
    request = _only_request(httpserver)
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qsl(request.get_data(as_text=True)) == [("title", "Replaced"), ("genre", "drama"), ("shelf[row]", "2")]


def test_extra_body_is_merged_into_multipart_fields(client: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/books/covers", method="POST").respond_with_data(status=204)
    client.books.upload_cover(file=b"img", extra_body={"caption": "front", "extra": ("back.png", b"back")})
    request = _only_request(httpserver)
    assert request.form.to_dict() == {"caption": "front"}
    assert {name: f.read() for name, f in request.files.items()} == {"file": b"img", "extra": b"back"}


def test_async_extra_body(bookshop: ModuleType, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/books", method="POST").respond_with_json(BOOK, status=201)

    async def call() -> None:
        async with bookshop.AsyncClient(base_url=httpserver.url_for("/")) as client:
            await client.books.create(title="Drama", genre="drama", extra_body={"isbn": "1"})

    asyncio.run(call())
    assert json.loads(_only_request(httpserver).get_data()) == {"title": "Drama", "genre": "drama", "isbn": "1"}


def test_bodies_without_entries_take_no_extra_body(client: Any) -> None:
    """An array body has nothing to merge into, so its method offers no `extra_body`."""
    with pytest.raises(TypeError, match="extra_body"):
        client.books.replace_all(body=["drama"], extra_body={"a": 1})


def test_a_body_property_named_extra_body_is_renamed(client: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/books", method="POST").respond_with_json(BOOK, status=201)
    client.books.create(title="t", genre="drama", extra_body_2="mine", extra_body={"more": 1})
    assert json.loads(_only_request(httpserver).get_data()) == {
        "title": "t",
        "genre": "drama",
        "extra_body": "mine",
        "more": 1,
    }


# -- arrays and maps: any sequence but a string, any mapping --------------------------------------


class Shelf(Sequence[object]):
    """A sequence that is neither a list nor a tuple."""

    def __init__(self, items: Iterable[object]) -> None:
        self.items = list(items)

    @overload
    def __getitem__(self, index: int) -> object: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[object]: ...

    def __getitem__(self, index: int | slice) -> object:
        return self.items[index]

    def __len__(self) -> int:
        return len(self.items)


def _sent(httpserver: HTTPServer, call: Callable[[], object]) -> Any:
    """What one call sent: its query pairs, form pairs, or JSON body."""
    httpserver.clear_log()
    call()
    request = _only_request(httpserver)
    if request.content_type == "application/json":
        return json.loads(request.get_data())
    if request.content_type == "application/x-www-form-urlencoded":
        return parse_qsl(request.get_data(as_text=True))
    return parse_qsl(request.query_string.decode())


@pytest.mark.parametrize("given", [tuple, Shelf], ids=["tuple", "other sequence"])
def test_any_sequence_is_sent_as_the_list_would_be(
    client: Any, bookshop: ModuleType, httpserver: HTTPServer, given: Callable[..., Any]
) -> None:
    httpserver.expect_request("/books", method="GET").respond_with_json([])
    httpserver.expect_request("/books", method="POST").respond_with_json(BOOK, status=201)
    httpserver.expect_request("/books", method="PUT").respond_with_data(status=204)
    httpserver.expect_request("/books/import", method="POST").respond_with_data(status=204)
    genres = ["drama", bookshop.Genre.POETRY]
    calls: list[Callable[[Any], object]] = [
        lambda g: client.books.list(exclude=g, genres=g),  # query: form, with and without explode
        lambda g: client.books.create(title="t", genre="drama", subgenres=g, keywords=g),  # JSON body fields
        lambda g: client.books.replace_all(body=g),  # a JSON array body
        lambda g: client.books.import_book(title="t", labels=g),  # form fields
    ]
    for call in calls:
        as_list = _sent(httpserver, lambda: call(list(genres)))
        assert _sent(httpserver, lambda: call(given(genres))) == as_list
    assert _sent(httpserver, lambda: calls[0](given(genres))) == [
        ("genres", "drama,poetry"),
        ("exclude", "drama"),
        ("exclude", "poetry"),
    ]
    assert _sent(httpserver, lambda: calls[2](given(genres))) == ["drama", "poetry"]


def test_any_mapping_is_sent_as_the_dict_would_be(client: Any, httpserver: HTTPServer) -> None:
    httpserver.expect_request("/books", method="POST").respond_with_json(BOOK, status=201)
    httpserver.expect_request("/books/tags", method="PATCH").respond_with_data(status=204)
    ratings = MappingProxyType({"plot": 5})
    assert _sent(httpserver, lambda: client.books.create(title="t", genre="drama", ratings=ratings)) == {
        "title": "t",
        "genre": "drama",
        "ratings": {"plot": 5},
    }
    assert _sent(httpserver, lambda: client.books.tag(body=MappingProxyType({"a": "drama"}))) == {"a": "drama"}


def test_a_union_of_an_array_and_a_string_takes_any_sequence(
    client: Any, bookshop: ModuleType, httpserver: HTTPServer
) -> None:
    """`keywords` is a list of `Keyword` (a word, or a `SourcedKeyword`) or "" (Stripe's way to
    unset a list): its check, made before the body is built, keeps the list's items whole, and
    so names `SourcedKeyword`'s rule, which the module must import (`mypy` checks it does)."""
    httpserver.expect_request("/books", method="POST").respond_with_json(BOOK, status=201)
    sourced = bookshop.SourcedKeyword(word="w", source="s")
    for keywords in (("a", sourced), Shelf(["a", sourced])):
        sent = _sent(httpserver, lambda: client.books.create(title="t", genre="drama", keywords=keywords))
        assert sent["keywords"] == ["a", {"word": "w", "source": "s"}]
    assert _sent(httpserver, lambda: client.books.create(title="t", genre="drama", keywords=""))["keywords"] == ""


NOT_ARRAYS: list[tuple[str, Callable[[Any], object], str]] = [
    ("query", lambda c: c.books.list(genres="drama"), "genres: expected an array, found str"),
    ("query, exploded", lambda c: c.books.list(exclude="drama"), "exclude: expected an array, found str"),
    ("json body field", lambda c: c.books.create(title="t", genre="drama", subgenres="drama"), "subgenres: expected"),
    ("json body", lambda c: c.books.replace_all(body="drama"), "body: expected an array, found str"),
    ("form field", lambda c: c.books.import_book(title="t", labels="label"), "labels: expected an array, found str"),
    ("bytes", lambda c: c.books.import_book(title="t", labels=b"label"), "labels: expected an array, found bytes"),
    ("a map", lambda c: c.books.list(genres={"drama": 1}), "genres: expected an array, found dict"),
    ("union", lambda c: c.books.create(title="t", genre="drama", keywords="word"), "keywords: matches none"),
]


@pytest.mark.parametrize(("call", "problem"), [r[1:] for r in NOT_ARRAYS], ids=[r[0] for r in NOT_ARRAYS])
def test_a_string_for_an_array_is_refused_before_sending(
    client: Any, bookshop: ModuleType, httpserver: HTTPServer, call: Callable[[Any], object], problem: str
) -> None:
    with pytest.raises(Exception) as raised:
        call(client)
    error: Any = raised.value
    assert type(error) is bookshop.RequestValidationError, repr(error)
    assert len(error.problems) == 1 and error.problems[0].startswith(problem), error.problems
    assert httpserver.log == []


# -- what mypy --strict says of code written against the client -----------------------------------

USER_CODE = """\
from bookshop import AsyncClient, Client, Genre, GenreValue, NewBook, Rating

client = Client(base_url="http://127.0.0.1:1")
client.books.create(title="Drama", genre="drama")
client.books.create(title="Drama", genre=Genre.DRAMA, subgenres=["poetry", Genre.DRAMA])
client.books.create(title="Drama", genre="drama", ratings={"a": 5, "b": Rating.VALUE_1}, featured=3)
client.books.create(title="Drama", genre="drama", extra_body={"isbn": "1", "tags": ["a"]})
client.books.list(genre="poetry", genres=["drama"], x_shelf=2)
client.books.tag(body={"a": "drama"}, extra_body={"b": "c"})
client.books.import_book(title="t", genre="drama", extra_body={"x": 1})
client.genres.count("science-fiction")
following: Genre = client.genres.next("drama")
value: GenreValue = "poetry"
NewBook(title="t", genre=value)


async def main() -> None:
    async with AsyncClient(base_url="http://127.0.0.1:1") as aclient:
        await aclient.books.create(title="t", genre="drama", extra_body={})
        await aclient.books.list(genres=members)


# Arrays and maps a caller already holds, typed more narrowly than the arguments' items.
members: list[Genre] = [Genre.DRAMA, Genre.POETRY]
client.books.list(genres=members, exclude=(Genre.DRAMA, "poetry"))
client.books.create(title="t", genre="drama", subgenres=members, keywords=["a"])
client.books.replace_all(body=members)
client.books.replace_all(body=tuple(members))
by_name: dict[str, Genre] = {"a": Genre.DRAMA}
client.books.tag(body=by_name)
scores: dict[str, Rating] = {"plot": Rating.VALUE_5}
client.books.create(title="t", genre="drama", ratings=scores, keywords="")
words: list[str] = ["a"]
client.books.import_book(title="t", labels=words)


client.books.create(title="Drama", genre="nope")  # refused
client.books.create(title="Drama", genre="drama", subgenres=["nope"])  # refused
client.books.list(x_shelf=7)  # refused
client.genres.count("Drama")  # refused
NewBook(title="t", genre="nope")  # refused
client.books.replace_all(body=["drama"], extra_body={})  # refused
client.books.import_book(title="t", labels="label")  # refused
client.books.list(genres="drama")  # refused
client.books.create(title="t", genre="drama", keywords="word")  # refused
NewBook(title="t", genre="drama", subgenres=members)  # refused
"""


def test_mypy_accepts_plain_values_and_refuses_unlisted_ones(output: Path) -> None:
    (output / "user_code.py").write_text(USER_CODE, encoding="utf-8")
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            "user_code.py",
        ],
        cwd=output,
        capture_output=True,
        text=True,
    )
    errors = [line for line in result.stdout.splitlines() if ": error: " in line]
    refused = [i for i, line in enumerate(USER_CODE.splitlines(), 1) if line.endswith("# refused")]
    assert sorted({int(line.split(":")[1]) for line in errors}) == refused, result.stdout
    assert "has incompatible type \"Literal['nope']\"" in result.stdout
    assert 'Unexpected keyword argument "extra_body" for "replace_all"' in result.stdout
