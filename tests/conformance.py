"""Generated clients against Prism, a server nobody here wrote (tests/test_conformance.py).

For one document: generate its client, start `prism mock DOC --errors` on 127.0.0.1, and call every
operation twice, with its required arguments only (through `Client`) and then with every optional
one too (through `AsyncClient`), the values built from the method's own type hints. Each call is classed: accepted (a 2xx the client decoded and
whose value encodes back to the JSON it came from), or an outcome that names what went wrong.
Prism marks a request its validation refused with an `sl-violations` header, whatever status the
document lets it answer with.

A table per document: `python -m tests.conformance [NAME...]` (Prism from .prism/ or $PRISM).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime
import decimal
import enum
import functools
import importlib
import inspect
import json
import os
import random
import re
import socket
import subprocess
import sys
import time
import types
import typing
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import rstr

from generator.pipeline import generate_files
from generator.write import write_tree

from .conftest import CASES, ROOT, SHARED_SPECS
from .corpus import invalid_documents

PRISM_VERSION = "5.16.0"
LOCAL_PRISM = ROOT / ".prism" / "node_modules" / ".bin" / "prism"

# What a call is given besides the operation's own arguments.
CALL_OPTIONS = frozenset({"extra_headers", "extra_query", "extra_body", "timeout", "max_retries"})
CLIENT_OPTIONS = frozenset({"base_url", "timeout", "max_retries", "headers", "http_client"})
MAX_DEPTH = 4  # how deep optional fields of nested models are filled (recursive schemas)


def prism_path() -> Path | None:
    """The Prism to run: $PRISM, else the one `.ci/run` installs into .prism/."""
    configured = os.environ.get("PRISM")
    if configured:
        return Path(configured)
    return LOCAL_PRISM if LOCAL_PRISM.exists() else None


def documents() -> list[Path]:
    """spec/comms.yaml, every case document, and every document of ../shared/specs."""
    found = [ROOT / "spec" / "comms.yaml"]
    found += sorted(case / "spec.yaml" for case in CASES.iterdir() if (case / "spec.yaml").exists())
    if SHARED_SPECS.is_dir():
        found += sorted(p for p in SHARED_SPECS.iterdir() if p.suffix in (".yaml", ".json"))
    return found


def document_id(document: Path) -> str:
    """`comms.yaml`, `cases/petstore`, or the file name of a shared document."""
    if document.parent.parent == CASES:
        return f"cases/{document.parent.name}"
    return document.name


@dataclass
class Call:
    operation: str  # `group.method`, or `method` for an operation on the client itself
    arguments: str  # "required" or "all"
    outcome: str  # "accepted", or the kind of failure: see `classify`
    detail: str = ""


@dataclass
class Report:
    document: str
    operations: int = 0
    calls: list[Call] = field(default_factory=list)
    not_exercised: list[str] = field(default_factory=list)  # operations, with why
    seconds: float = 0.0

    @property
    def accepted(self) -> int:
        return sum(call.outcome == "accepted" for call in self.calls)


# -- Prism ----------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class Prism:
    """`prism mock DOCUMENT --errors` on a free port of 127.0.0.1, started again if a request
    brought it down (it exits on some requests it cannot parse)."""

    def __init__(self, executable: Path, document: Path, log: Path, startup: float = 180.0) -> None:
        self.command = [str(executable), "mock", str(document), "-h", "127.0.0.1", "--errors"]
        self.log = log
        self.startup = startup
        self.process: subprocess.Popen[bytes] | None = None
        self.base_url = ""

    def start(self) -> str:
        port = _free_port()
        with self.log.open("wb") as out:
            self.process = subprocess.Popen([*self.command, "-p", str(port)], stdout=out, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + self.startup
        while True:
            if self.process.poll() is not None:
                raise PrismCannotServe(self.tail())
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
                break
            except OSError:
                if time.monotonic() > deadline:
                    self.stop()
                    raise PrismCannotServe(f"not listening after {self.startup:.0f} s") from None
                time.sleep(0.1)
        self.base_url = f"http://127.0.0.1:{port}"
        return self.base_url

    def settle(self) -> None:
        """Give a Prism that dropped a connection a moment to exit, if it is exiting."""
        if self.process is not None:
            try:
                self.process.wait(2)
            except subprocess.TimeoutExpired:
                pass

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def tail(self) -> str:
        """The last error line of its log: why it exited."""
        lines = [line for line in self.log.read_text(errors="replace").splitlines() if line.strip()]
        errors = [line.strip() for line in lines if line.lstrip().startswith(("Error", "TypeError", "RangeError"))]
        return (errors or lines or ["(no output)"])[-1][:300]

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
            self.process = None


class PrismCannotServe(Exception):
    """Prism exited, or never listened: its log says why."""


# -- values from type hints -----------------------------------------------------------------------


class Unbuildable(Exception):
    """No value of this type can be made from its hints (a model that requires itself)."""


def _is_not_given(tp: object) -> bool:
    return isinstance(tp, type) and tp.__name__ == "NotGiven"


def value_for(tp: Any, everything: bool, depth: int = 0) -> Any:
    """A value of type `tp`: the first member of an enum or union, one item in a list, one entry
    in a map; a model with its required fields (and, when `everything`, its optional ones)."""
    if depth > 12:
        raise Unbuildable(f"{tp!r} nests without end")
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Union or origin is types.UnionType:
        members = [a for a in args if a is not type(None) and not _is_not_given(a)]
        errors = []
        for member in members:
            try:
                return value_for(member, everything, depth + 1)
            except Unbuildable as error:
                errors.append(str(error))
        raise Unbuildable("; ".join(errors) or f"{tp!r} has no member")
    if origin is typing.Literal:
        return args[0]
    if origin is typing.Annotated:
        return value_for(args[0], everything, depth)
    if origin in (list, Sequence, set, frozenset, tuple) or _is_sequence_protocol(origin or tp):
        item = args[0] if args else str
        return [value_for(item, everything, depth + 1)]
    if origin in (dict, Mapping):
        return {"k": value_for(args[1], everything, depth + 1) if len(args) == 2 else "x"}
    if origin is not None and getattr(origin, "__name__", "") == "IO":
        import io

        return io.BytesIO(b"x")
    if tp is Any or tp is object:
        return "x"
    if isinstance(tp, type):
        if issubclass(tp, enum.Enum):
            return next(iter(tp))
        if tp is bool:
            return True
        if tp is int:
            return 1
        if tp is float:
            return 1.0
        if tp is str:
            return "x"
        if tp is bytes:
            return b"x"
        if tp is datetime.datetime:
            return datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.timezone.utc)
        if tp is datetime.date:
            return datetime.date(2024, 1, 2)
        if tp is datetime.time:
            return datetime.time(3, 4, 5)
        if tp is uuid.UUID:
            return uuid.UUID("12345678-1234-5678-1234-567812345678")
        if tp is decimal.Decimal:
            return decimal.Decimal("1")
        if dataclasses.is_dataclass(tp):
            return _model(tp, everything, depth)
        if tp is dict:
            return {"k": "x"}
        if tp is list:
            return ["x"]
    raise Unbuildable(f"no value for {tp!r}")


def _is_sequence_protocol(tp: object) -> bool:
    return getattr(tp, "__name__", "") == "SequenceNotStr"


def _model(cls: type, everything: bool, depth: int) -> Any:
    hints = type_hints(cls)
    kwargs = {}
    for f in dataclasses.fields(cls):
        if not f.init or f.name == "additional_properties":
            continue
        required = f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING
        if required or (everything and depth < MAX_DEPTH):
            try:
                kwargs[f.name] = value_for(hints[f.name], everything, depth + 1)
            except Unbuildable:
                if required:
                    raise
    return cls(**kwargs)


def type_hints(method: Callable[..., Any] | type) -> dict[str, Any]:
    """`method`'s (or a model class's) annotations, evaluated. A resource or model module
    imports the models it annotates with only for type checkers (they are imported where they
    are used), so its names are looked up in its package's `models` as well."""
    module = sys.modules[method.__module__]
    models = importlib.import_module(module.__name__.rsplit(".", 2)[0] + ".models")
    namespace = {name: getattr(models, name) for name in models.__all__}
    own = {k: v for k, v in vars(module).items() if type(v).__name__ != "_Deferred"}  # not the stand-ins
    return typing.get_type_hints(method, globalns={**namespace, **own})


def arguments_for(method: Callable[..., Any], everything: bool) -> tuple[list[Any], dict[str, Any]]:
    """The positional-only and keyword arguments of one call of `method`."""
    hints = type_hints(method)
    positional, keywords = [], {}
    for name, parameter in inspect.signature(method).parameters.items():
        if name in CALL_OPTIONS:
            continue
        required = parameter.default is inspect.Parameter.empty
        if not required and not everything:
            continue
        value = value_for(hints[name], everything)
        if parameter.kind is inspect.Parameter.POSITIONAL_ONLY:
            positional.append(value)
        else:
            keywords[name] = value  # path parameters too, by name
    return positional, keywords


# -- encoding back --------------------------------------------------------------------------------


def encoded(value: Any) -> Any:
    """What the client would send for a value it decoded: models through `to_dict`."""
    if hasattr(value, "to_dict"):
        return value.to_dict()
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (list, tuple)):
        return [encoded(v) for v in value]
    if isinstance(value, dict):
        return {k: encoded(v) for k, v in value.items()}
    if isinstance(value, (datetime.datetime, datetime.date, datetime.time)):
        return value.isoformat()
    if isinstance(value, (uuid.UUID, decimal.Decimal)):
        return str(value)
    return value


def differences(original: Any, again: Any, where: str = "") -> list[str]:
    """Where `again` is not `original`. A date-time written another way (`Z`, `+00:00`), or a UUID
    in capitals, is the same value: `datetime` and `uuid.UUID` keep no spelling."""
    if isinstance(original, dict) and isinstance(again, dict):
        out = [f"{where}/{k}: dropped" for k in original if k not in again]
        out += [f"{where}/{k}: added" for k in again if k not in original]
        for key in original.keys() & again.keys():
            out += differences(original[key], again[key], f"{where}/{key}")
        return out
    if isinstance(original, list) and isinstance(again, list) and len(original) == len(again):
        return [d for i, (a, b) in enumerate(zip(original, again)) for d in differences(a, b, f"{where}/{i}")]
    if original == again and type(original) is type(again) or _same_number(original, again):
        return []
    if (
        isinstance(original, str)
        and isinstance(again, str)
        and (_same_instant(original, again) or _same_uuid(original, again))
    ):
        return []
    return [f"{where or '/'}: {original!r} came back as {again!r}"]


def _same_number(a: object, b: object) -> bool:
    numbers = (int, float)
    return (
        isinstance(a, numbers) and isinstance(b, numbers) and not isinstance(a, bool) and not isinstance(b, bool)
    ) and a == b


def _same_uuid(a: str, b: str) -> bool:
    try:
        return uuid.UUID(a) == uuid.UUID(b)
    except ValueError:
        return False


def _same_instant(a: str, b: str) -> bool:
    try:
        return datetime.datetime.fromisoformat(a.replace("Z", "+00:00")) == datetime.datetime.fromisoformat(
            b.replace("Z", "+00:00")
        )
    except ValueError:
        return False


# -- one document ---------------------------------------------------------------------------------


def _operations(client: Any) -> Iterator[tuple[str, Any]]:
    """(name, raw-response method) of every operation: on the client, then on each group."""
    holders: list[tuple[str, Any]] = [("", client)]
    holders += sorted(  # the resources, each a `cached_property` of the client's class
        (name, getattr(client, name))
        for name, value in vars(type(client)).items()
        if not name.startswith("_") and isinstance(value, functools.cached_property)
    )
    for prefix, holder in holders:
        raw = getattr(holder, "with_raw_response", None)
        if raw is None:
            continue
        seen = set()
        for name, method in vars(raw).items():
            target = getattr(method, "__wrapped__", None)
            key = getattr(target, "__func__", target)
            if name.startswith("_") or key in seen:
                continue  # `list` and `list_page` both call `list_page`
            seen.add(key)
            yield (f"{prefix}.{name}" if prefix else name), method


def _credentials(client_class: Any) -> dict[str, Any]:
    """A dummy value for every credential the client takes: Prism checks only that one is there."""
    init = client_class.__init__
    hints = typing.get_type_hints(init)
    return {
        name: "dummy-credential"
        for name in inspect.signature(init).parameters
        if name not in CLIENT_OPTIONS and name != "self" and str in typing.get_args(hints.get(name))
    }


def classify(package: types.ModuleType, call: Callable[[], Any]) -> tuple[str, str]:
    """Make the call; return its outcome and a detail.

    accepted: a 2xx, decoded, encoding back to its JSON. mock-answer-invalid: the request passed
    Prism's validation, but the answer Prism made up breaks the document (its static mock ignores
    `pattern` and some formats), so it answered 500 and nothing was decoded. refused: Prism's validation refused the
    request (`sl-violations`). not-decoded: a 2xx the client could not decode. not-round-tripped:
    a decoded value that encodes to other JSON. status-N: an answer with that status and no
    violation. not-sent: the client refused the request before sending (`RequestValidationError`,
    `MissingCredentialsError`). format-of-value: Prism refused only the `format` of a string made
    from a type hint (`str` says nothing of `email` or `uri`). other-server: the operation names its
    own server, with a path Prism does not serve (the transport sends every request to Prism).
    prism-exited: the request made Prism exit (it is started again for the next). connection-lost:
    the connection dropped. crashed: any other exception.
    """
    errors = package.errors if hasattr(package, "errors") else package
    try:
        raw = call()
    except errors.ApiStatusError as error:
        refused = _refusal(error.response)
        if refused and all("must match format" in part for part in refused.split("; ")):
            return "format-of-value", refused
        if refused:
            return "refused", refused
        if error.status_code == 500 and "prism/errors#VIOLATIONS" in error.response.text:
            return "mock-answer-invalid", _messages(error.response.json().get("validation", []))
        other = error.response.request.extensions.get("other_server")
        if error.status_code == 404 and other and "NO_PATH_MATCHED" in error.response.text:
            return "other-server", f"sent to the operation's own server, {other}, whose path Prism does not serve"
        return f"status-{error.status_code}", str(error.body)[:300]
    except errors.ApiResponseValidationError as error:
        return "not-decoded", str(error)[:300]
    except (errors.RequestValidationError, errors.MissingCredentialsError) as error:
        return "not-sent", f"{type(error).__name__}: {error}"[:300]
    except errors.ApiConnectionError as error:
        return "connection-lost", f"{type(error).__name__}: {error}"[:300]
    except errors.ApiError as error:
        return "crashed", f"{type(error).__name__}: {error}"[:300]
    except Exception as error:  # noqa: BLE001 - any other failure is the finding
        return "crashed", f"{type(error).__name__}: {error}"[:300]
    response = raw.http_response
    refused = _refusal(response)
    if refused:
        return "refused", refused
    parsed = raw.parsed
    parsed = getattr(parsed, "body", parsed) if type(parsed).__name__ in ("Accepted", "AsyncAccepted") else parsed
    if "json" in response.headers.get("content-type", "") and parsed is not None and response.content:
        diffs = differences(response.json(), encoded(parsed))
        if diffs:
            return "not-round-tripped", "; ".join(diffs[:5])[:300]
    return "accepted", ""


def _refusal(response: Any) -> str:
    """What Prism's validation found wrong with the request, or "": the violations it lists in
    `sl-violations` (when the document has a 400 or 422 answer to give), or in the body of the 422
    it makes up (when it has none). Violations of its own mocked answer are not the client's."""
    found: list[dict[str, Any]] = []
    header = response.headers.get("sl-violations")
    if header:
        found = [v for v in _json_list(header) if v.get("location", [""])[0] == "request"]
    elif response.status_code in (422, 500) and "prism/errors#" in response.text:
        body = _json_list(f"[{response.text}]")
        validation = body[0].get("validation", []) if body else []
        found = [v for v in validation if v.get("location", ["body"])[0] != "response"]
    return _messages(found)


def _json_list(text: str) -> list[dict[str, Any]]:
    """The objects of a JSON array, or none if `text` is not one (a stream, a cut header)."""
    try:
        value = json.loads(text)
    except ValueError:
        return []
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def _messages(found: list[dict[str, Any]]) -> str:
    return "; ".join(
        f"{'.'.join(str(p) for p in v.get('location', []))}: {v.get('message')}"
        for v in found
        if v.get("severity") == "Error"
    )


_PATTERN_REFUSED = re.compile(r"(\w+): does not match the pattern '((?:[^'\\]|\\.)*)'")


_PATTERN_MADE: dict[tuple[str, str], bool] = {}  # values made here: not made again if still refused


def matched_patterns(refusal: str, kwargs: dict[str, Any]) -> bool:
    """Replace each string argument the client refused for its `pattern` with one made to match
    it (rstr's xeger, seeded: the same string each run); whether any was replaced. A `str` from a
    type hint says nothing of a pattern such as Twilio's `^AC[0-9a-fA-F]{32}$`."""
    replaced = False
    by_wire = {key.replace("_", "").lower(): key for key in kwargs}
    for wire, pattern in _PATTERN_REFUSED.findall(refusal):
        name = by_wire.get(wire.replace("_", "").lower(), wire)  # `CredentialListSid` names `credential_list_sid`
        if isinstance(kwargs.get(name), str) and not _PATTERN_MADE.get((name, kwargs[name])):
            try:
                kwargs[name] = rstr.Rstr(random.Random(name)).xeger(pattern.encode().decode("unicode_escape"))
                _PATTERN_MADE[(name, kwargs[name])] = True
            except re.error:
                continue
            replaced = True
    return replaced


def _to(prism: httpx.URL, request: httpx.Request) -> None:
    if (request.url.host, request.url.port) != (prism.host, prism.port):
        request.extensions["other_server"] = str(request.url)
    request.url = request.url.copy_with(scheme=prism.scheme, host=prism.host, port=prism.port)
    request.headers["Host"] = f"{prism.host}:{prism.port}"


class _ToPrism(httpx.HTTPTransport):
    def __init__(self, prism: httpx.URL) -> None:
        super().__init__()
        self.prism = prism

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        _to(self.prism, request)
        return super().handle_request(request)


class _AsyncToPrism(httpx.AsyncHTTPTransport):
    def __init__(self, prism: httpx.URL) -> None:
        super().__init__()
        self.prism = prism

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        _to(self.prism, request)
        return await super().handle_async_request(request)


def exercise(
    document: Path,
    workdir: Path,
    executable: Path,
    *,
    skip: Mapping[str, str] = {},
    only: Callable[[str], bool] | None = None,
) -> Report:
    """Generate `document`'s client into `workdir`, then call every operation against Prism."""
    started = time.perf_counter()
    report = Report(document_id(document))
    result = generate_files(document, lenient=document.name in invalid_documents())
    package_name = result.api.package
    write_tree(result.files, workdir / package_name)
    # A package of that name imported already (the Comms client from generated/) is put aside
    # and back: its modules import the rest of it lazily, from `sys.modules`.
    aside = {m: sys.modules.pop(m) for m in list(sys.modules) if m == package_name or m.startswith(package_name + ".")}
    sys.path.insert(0, str(workdir))
    try:
        package = __import__(package_name)
        __import__(f"{package_name}.errors")
        server = Prism(executable, document, workdir / "prism.log")
        credentials = _credentials(package.Client)
        loop = asyncio.new_event_loop()

        def connect() -> tuple[Any, Any, dict[str, Any], dict[str, Any]]:
            """A sync and an async client of a (re)started Prism, and their raw methods. An
            operation's own absolute server is sent to Prism too: the transports put Prism's
            address in place of its scheme, host and port, and keep the path."""
            url = server.start()
            prism = httpx.URL(url)
            http = httpx.Client(transport=_ToPrism(prism))
            ahttp = httpx.AsyncClient(transport=_AsyncToPrism(prism))
            opened.append((http, ahttp))
            sync = package.Client(base_url=url, max_retries=0, http_client=http, **credentials)
            asynchronous = package.AsyncClient(base_url=url, max_retries=0, http_client=ahttp, **credentials)
            return sync, asynchronous, dict(_operations(sync)), dict(_operations(asynchronous))

        opened: list[tuple[httpx.Client, httpx.AsyncClient]] = []
        client, aclient, operations, async_operations = connect()
        try:
            for name in list(operations):
                if only is not None and not only(name):
                    continue
                report.operations += 1
                if name in skip:
                    report.not_exercised.append(f"{name}: {skip[name]}")
                    continue
                # Required arguments through `Client`, every argument through `AsyncClient`.
                for arguments in ("required", "all, async"):
                    method = operations[name]
                    try:
                        args, kwargs = arguments_for(method.__wrapped__, arguments != "required")
                    except Unbuildable as error:
                        report.not_exercised.append(f"{name}: no value from its type hints ({error})")
                        break
                    amethod = async_operations[name]
                    for _ in range(4):  # again with strings made to match the patterns refused
                        if arguments == "required":
                            outcome, detail = classify(package.errors, lambda: method(*args, **kwargs))
                        else:
                            outcome, detail = classify(
                                package.errors, lambda: loop.run_until_complete(amethod(*args, **kwargs))
                            )
                        if outcome != "not-sent" or not matched_patterns(detail, kwargs):
                            break
                    if outcome == "connection-lost":
                        server.settle()
                    if not server.alive():
                        outcome, detail = "prism-exited", server.tail()
                        server.stop()
                        client.close()
                        loop.run_until_complete(aclient.close())
                        client, aclient, operations, async_operations = connect()
                    report.calls.append(Call(name, arguments, outcome, detail))
        finally:
            client.close()
            loop.run_until_complete(aclient.close())
            for http, ahttp in opened:
                http.close()
                loop.run_until_complete(ahttp.aclose())
            loop.close()
            server.stop()
    finally:
        sys.path.remove(str(workdir))
        for module in [m for m in sys.modules if m == package_name or m.startswith(package_name + ".")]:
            del sys.modules[module]
        sys.modules.update(aside)
    report.seconds = time.perf_counter() - started
    return report


REASONS = {
    "mock-answer-invalid": "Prism's made-up answer breaks the document (500)",
    "other-server": "the operation's own server has a path Prism does not serve",
    "format-of-value": "a value from a type hint breaks a `format`",
    "not-sent": "a value from a type hint breaks a constraint; the client refused it",
}


def main(argv: list[str]) -> int:
    """Print, per document, what happened to its calls; `--markdown` prints the README's table."""
    import tempfile
    from collections import Counter
    from fnmatch import fnmatch

    from .test_conformance import EXPLAINED, TOO_LARGE

    executable = prism_path()
    if executable is None:
        print("Prism is not installed: npm install --prefix .prism @stoplight/prism-cli@" + PRISM_VERSION)
        return 2
    markdown = "--markdown" in argv
    names = [a for a in argv if not a.startswith("-")]
    chosen = [d for d in documents() if not names or any(a in document_id(d) for a in names)]
    if markdown:
        print("| document | operations | calls | accepted | not accepted, and why (calls) |")
        print("|---|--:|--:|--:|---|")
    started = time.perf_counter()
    for document in chosen:
        name = document_id(document)
        if document.name in TOO_LARGE and not names:
            if markdown:
                print(f"| {name} | | | | not run: Prism does not listen within 3 minutes of being given it |")
            continue
        with tempfile.TemporaryDirectory() as tmp:
            try:
                report = exercise(document, Path(tmp), executable)
            except PrismCannotServe as error:
                print(f"| {name} | 0 | 0 | 0 | Prism: {error} |" if markdown else f"{name}: {error}")
                continue
        why: Counter[str] = Counter()
        for call in report.calls:
            if call.outcome == "accepted":
                continue
            reason = next((r for (d, o), r in EXPLAINED.items() if fnmatch(name, d) and fnmatch(call.operation, o)), "")
            why[reason or REASONS.get(call.outcome, call.outcome)] += 1
        if markdown:
            text = "; ".join(f"{reason} ({count})" for reason, count in sorted(why.items()))
            print(f"| {name} | {report.operations} | {len(report.calls)} | {report.accepted} | {text} |")
            continue
        print(
            f"{report.document}: {report.operations} operations, {len(report.calls)} calls, "
            f"{report.accepted} accepted, {report.seconds:.1f} s"
        )
        for call in report.calls:
            if call.outcome != "accepted" and "-v" in argv:
                print(f"  {call.operation} [{call.arguments}] {call.outcome}: {call.detail[:600]}")
        for line in report.not_exercised:
            print(f"  not exercised: {line}")
    if markdown:
        print(f"\n({time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
