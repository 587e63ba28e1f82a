"""Every operation of spec/comms.yaml, of the case documents and of ../shared/specs, called through
its generated client against Prism (tests/conformance.py): with its required arguments through
`Client`, then with every optional one through `AsyncClient`, values made from the method's type
hints. A request Prism's validation refuses,
an answer the client cannot decode or that does not encode back to its JSON, an error status the
request caused, or an exception, fails the test, unless the operation is listed below, each entry
with its reason. The lists are exact: an entry whose operation now passes fails the test too.

Skipped when Prism is not installed (`.ci/run` installs it: `npm install --prefix .prism
@stoplight/prism-cli@5.16.0`; or point $PRISM at one). `python -m tests.conformance` prints a
table of the outcomes.
"""

from __future__ import annotations

from fnmatch import fnmatch
from pathlib import Path

import pytest

from .conformance import PRISM_VERSION, PrismCannotServe, Report, document_id, documents, exercise, prism_path
from .corpus import count_operations
from generator.load import load

PRISM = prism_path()

# Prism 5.16.0 does not listen within 3 minutes of being given Stripe's document (7 MB, 468
# operations). Its client is type-checked by test_corpus.py.
TOO_LARGE = {"stripe-spec3.yaml"}

# Outcomes that say nothing against the client: the answer Prism made up breaks the document; the
# operation's own server is called; the client refused, before sending, a value made from a type
# hint that breaks a documented constraint (a `str` "x" for a pattern); Prism refused only the
# format of such a value.
NOT_AGAINST_THE_CLIENT = {"accepted", "mock-answer-invalid", "other-server", "format-of-value"}

# Prism's own limitations: what it does with a correct request. Keys are (document, operation),
# the operation a glob.
MULTIPART = "Prism reads every multipart part as a string: an array or object part is 'not an array'"
FORM_ARRAY = "Prism reads no array in a form body, repeated or once: 'must be array'"
PRISM_LIMITS: dict[tuple[str, str], str] = {
    ("twilio_api_v2010.json", "api20100401_call.create_call"): FORM_ARRAY,
    ("twilio_api_v2010.json", "api20100401_call_recording.create_call_recording"): FORM_ARRAY,
    ("twilio_api_v2010.json", "api20100401_connect_app.update_connect_app"): FORM_ARRAY,
    ("twilio_api_v2010.json", "api20100401_message.create_message"): FORM_ARRAY,
    ("twilio_api_v2010.json", "api20100401_participant.create_participant"): FORM_ARRAY,
    ("twilio_messaging_v1.json", "messaging_v1_tollfree_verification.*_tollfree_verification"): FORM_ARRAY,
    ("twilio_messaging_v1.json", "messaging_v1_us_app_to_person.*_us_app_to_person"): FORM_ARRAY,
    ("openai-openapi.yaml", "audio.create_transcription"): MULTIPART,
    # httpx (h11): "Only Transfer-Encoding: chunked is supported", of Prism's binary answer.
    (
        "openai-openapi.yaml",
        "audio.create_speech",
    ): "Prism's audio answer has a Transfer-Encoding HTTP/1.1 does not allow",
    ("cases/enums", "books.import_book"): MULTIPART,
    ("cases/uploads", "files.upload"): MULTIPART,
    ("opc-baseline-3.0.json", "tests.upload_file_tests_upload_post"): MULTIPART,
    ("opc-baseline-3.1.yaml", "tests.upload_file_tests_upload_post"): MULTIPART,
    ("opc-3.1-enums.yaml", "tests.post_user_list"): MULTIPART,
    # TypeError: Cannot read properties of undefined (reading 'split'), in its header deserializer
    ("oag-petstore-fake-endpoints.yaml", "fake.test_enum_parameters"): "Prism exits on an absent optional array header",
    ("oapicg-parameters-roundtrip.yaml", "get_header"): "Prism exits on an absent optional array header",
    # `/reports/{year}{month}` (label, then matrix) and `{;id}`: 'requires parameter to be prefixed'
    ("cases/uploads", "reports.get"): "Prism exits on two label/matrix path parameters in one segment",
    ("oapicg-parameters-roundtrip.yaml", "get_matrix_primitive"): "Prism exits on a `{;id}` matrix path template",
    ("opc-baseline-3.*", "config.content_type_override"): "Prism exits on the media type `openapi/python/client`",
    # A response of `*/*` read as JSON: `Accept: application/json` is 406, `Accept: */*` a 500
    # ("Cannot serialise complex objects as text"), though `*/*` includes application/json.
    ("apisguru-xkcd.yaml", "*"): "Prism answers 406 to a JSON Accept for a `*/*` response",
    ("oag-petstore-fake-endpoints.yaml", "fake.fake_outer_*_serialize"): (
        "Prism answers 406 to a JSON Accept for a `*/*` response"
    ),
    # `deep[Id]=1` is 422 "must have required property 'Id'", `deep[id]=1` against `id` passes:
    # Prism lower-cases the keys of a deepObject.
    ("oapicg-parameters-roundtrip.yaml", "get_deep_object"): "Prism lower-cases a deepObject's keys",
    # The client sends `string%20with%20num=...`; Prism looks for the name still percent-encoded.
    ("opc-baseline-3.*", "defaults.defaults_tests_defaults_post"): "Prism does not decode query parameter names",
    # A `format: binary` string in a JSON answer is base64 (the client's reading: JSON cannot hold
    # octets); Prism's mock answers the text "string", which is not base64 of anything.
    ("opc-baseline-3.*", "tests.octet_stream_tests_octet_stream_post"): "Prism's binary mock value is not base64",
}

# What the document itself makes uncallable as written.
DOCUMENT_ODDITIES: dict[tuple[str, str], str] = {
    # RFC 6570 operators in path keys (`{.param}`, `{param*}`, `{;id*}`), which OpenAPI does not
    # define: no request matches the path, so Prism answers 404 before anything is checked.
    ("oapicg-parameters-roundtrip.yaml", "get_simple_explode_*"): "path key uses a URI-template operator",
    ("oapicg-parameters-roundtrip.yaml", "get_label_*"): "path key uses a URI-template operator",
    ("oapicg-parameters-roundtrip.yaml", "get_matrix_*"): "path key uses a URI-template operator",
    # Only 400 and 404 documented: Prism answers the first, as it should.
    ("oag-petstore-fake-endpoints.yaml", "fake.test_group_parameters"): "no 2xx answer documented",
    ("oag-petstore-fake-endpoints.yaml", "store.delete_order"): "no 2xx answer documented",
    ("oag-petstore-fake-endpoints.yaml", "user.update_user"): "no 2xx answer documented",
    ("oag-petstore-fake-endpoints.yaml", "user.delete_user"): "no 2xx answer documented",
    ("oai-non-oauth-scopes.json", "get_users"): "no responses documented: Prism has nothing to answer (500)",
    # `oneOf` members that overlap: FreeFormModel (any object) and `{}` (anything) both accept
    # every object, and `[AModel, AModel]` names one model twice, so no object matches exactly one.
    ("opc-baseline-3.1.yaml", "post_types_unions_duplicate_types"): "a oneOf whose members overlap",
    ("opc-baseline-3.1.yaml", "bodies.refs"): "a oneOf whose members overlap",
    ("opc-baseline-3.1.yaml", "tests.json_body_tests_json_body_post"): "a oneOf whose members overlap",
    ("opc-baseline-3.1.yaml", "tests.callback_test"): "a oneOf whose members overlap",
    # An array of an enum whose only value is null: a query has no way to say null.
    ("opc-*", "tests.get_user_list"): "a query cannot carry the null-only enum's value",
}

# The generator's defects (issue 13's numbers; `new:` for ones this test found).
KNOWN_DEFECTS: dict[tuple[str, str], str] = {}

EXPLAINED = {**PRISM_LIMITS, **DOCUMENT_ODDITIES, **KNOWN_DEFECTS}


def failing(report: Report) -> dict[str, str]:
    """The operations with a call that failed, each with its first failure."""
    found: dict[str, str] = {}
    for call in report.calls:
        if call.outcome in NOT_AGAINST_THE_CLIENT:
            continue
        if call.outcome == "not-sent" and call.detail.startswith("RequestValidationError"):
            continue
        found.setdefault(call.operation, f"[{call.arguments}] {call.outcome}: {call.detail}")
    return found


DOCUMENTS = [d for d in documents() if d.name not in TOO_LARGE]


@pytest.mark.skipif(
    PRISM is None,
    reason=f"Prism is not installed: npm install --prefix .prism "
    f"@stoplight/prism-cli@{PRISM_VERSION} (.ci/run does), or set $PRISM",
)
@pytest.mark.parametrize("document", DOCUMENTS, ids=document_id)
def test_every_operation_conforms(document: Path, tmp_path: Path) -> None:
    assert PRISM is not None
    name = document_id(document)
    try:
        report = exercise(document, tmp_path, PRISM)
    except PrismCannotServe as error:
        # Prism serves paths only: a document of webhooks or components alone has nothing to call.
        assert count_operations(load(document).data) == 0, f"Prism cannot serve {name}: {error}"
        return
    failures = failing(report)
    entries = [op for doc, op in EXPLAINED if fnmatch(name, doc)]
    unexplained = {op: failure for op, failure in failures.items() if not any(fnmatch(op, e) for e in entries)}
    assert unexplained == {}, "calls failed against Prism"
    stale = [e for e in entries if not any(fnmatch(op, e) for op in failures)]
    assert stale == [], "no operation fails as these entries say any more: remove them"
