"""The errors a client raises. Errors are raised, never returned.

ApiError
├── ApiConnectionError          the request did not get a (usable) answer
│   └── ApiTimeoutError         ... in time
├── ApiResponseValidationError  a success answer that does not match the document
├── MissingCredentialsError     no credentials for an operation that needs them
└── ApiStatusError              an error status; one subclass per documented status
    └── UnexpectedStatusError   a status the document does not describe
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

import httpx

from ._utils import decode_error_body

BodyDecoder = Callable[[Any], Any]


class ApiError(Exception):
    """The base of every error this client raises."""

    message: str

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class MissingCredentialsError(ApiError):
    """The operation needs credentials that the client was not given."""


class RequestValidationError(ApiError, ValueError):
    """The request breaks the document's constraints; it was not sent. `problems` lists each
    violation with its path, such as `tags['tier']: longer than 256 characters`."""

    problems: list[str]

    def __init__(self, problems: list[str]) -> None:
        super().__init__("invalid request: " + "; ".join(problems))
        self.problems = problems


class ApiConnectionError(ApiError):
    """The request could not be sent, or no answer came back, or none httpx could use (a body
    its Content-Encoding does not decode, or too many redirects)."""

    request: httpx.Request

    def __init__(self, request: httpx.Request, message: str = "Connection error.") -> None:
        super().__init__(message)
        self.request = request


class ApiTimeoutError(ApiConnectionError):
    """No answer came back in time."""

    def __init__(self, request: httpx.Request) -> None:
        super().__init__(request, "Request timed out.")


class ApiResponseValidationError(ApiError):
    """A success answer whose body does not match what the document describes; `body` keeps
    the raw text of the answer, and `response` the answer itself."""

    response: httpx.Response
    status_code: int
    body: str

    def __init__(self, response: httpx.Response, message: str) -> None:
        super().__init__(message)
        self.response = response
        self.status_code = response.status_code
        self.body = response.text


class ApiStatusError(ApiError):
    """The API answered with an error status.

    `body` is the answer's body: the document's error model when it describes one and the body
    matches it, else the decoded JSON, else the text (None when the body is empty).
    """

    status_code: int
    headers: httpx.Headers
    body: Any
    request: httpx.Request
    response: httpx.Response

    def __init__(self, message: str, *, response: httpx.Response, body: Any) -> None:
        super().__init__(message)
        self.response = response
        self.request = response.request
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = body


class UnexpectedStatusError(ApiStatusError):
    """An error status the document does not describe."""


def status_error(
    response: httpx.Response,
    classes: Mapping[int, type[ApiStatusError]],
    decoders: BodyDecoder | Mapping[int | str, BodyDecoder] | None = None,
) -> ApiStatusError:
    """The error to raise for an error answer: the class of its status, else
    `UnexpectedStatusError`, with the body decoded by the operation's error model.

    `decoders` is one decoder for every status, or decoders by status, by range ("4XX") and
    "default", the most specific first.
    """
    if isinstance(decoders, Mapping):
        status = response.status_code
        decoder = (
            decoders.get(status) or decoders.get(f"{status // 100}XX") or decoders.get("default")
        )
    else:
        decoder = decoders
    body = decode_error_body(response, decoder)
    message = f"{response.status_code} {response.reason_phrase}"
    if body is not None:
        message = f"{message}: {body!r}"[:500]
    error_class = classes.get(response.status_code, UnexpectedStatusError)
    return error_class(message, response=response, body=body)
