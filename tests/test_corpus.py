"""Every document of ../shared/specs generates a client that imports, passes `mypy --strict`, and
round-trips every example payload of the document through its models (tests/corpus.py).

The documents INDEX.tsv records as invalid are generated with --lenient. The folder lies outside
this repository; without it, these tests are skipped. A per-document table:
`python -m tests.corpus`.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from .corpus import SPECS, documents, run

# What the generator does not do yet, kept to an exact pattern so that anything new fails: HTTP
# Signature authentication is left to an httpx.Auth the caller gives (the client signs nothing), and a
# stream of server-sent events is returned as its text, not decoded into the events its schema
# describes.
KNOWN_GAPS = (
    re.compile(r"security scheme http 'signature' is left to the HTTP client"),
    re.compile(r"text/event-stream responses are read as text: the client does not encode or decode this schema"),
)

# What a document asks for and the specification leaves undefined, reported: Stripe's `deepObject`
# arrays and primitives (`expand`), cells the Style Examples table marks n/a (OAS 3.1.1
# §4.8.12.4.1), which are sent as `form`, and its arrays inside `deepObject`s, which no style
# writes (a value holding one is refused before sending); and what no request or value can meet
# (opc-baseline's): a `oneOf` naming one schema twice or beside an empty one, a header or cookie
# name with a space.
DOCUMENT_FAULTS = (
    re.compile(r"oneOf lists '[^']+' again \(as member \d+\): no value matches exactly one of them"),
    re.compile(r"this oneOf member accepts any value, so a value another member accepts matches two"),
    re.compile(r"(header|cookie) parameter '[^']+' skipped: a (header|cookie) name must be an HTTP token"),
    re.compile(r"parameter '[^']+' holds arrays inside its object, which no style writes; such values are refused"),
    re.compile(
        r"style deepObject cannot write (array|primitive) '[^']+' \(OAS 3\.1\.1 §4\.8\.12\.4\.1\); sent as form$"
    ),
)

DOCUMENTS = documents()


@pytest.mark.skipif(not DOCUMENTS, reason=f"{SPECS} is absent: the corpus lies outside this repository")
@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_document_generates_a_sound_client(document: Path, tmp_path: Path) -> None:
    outcome = run(document, tmp_path)
    assert outcome.generated == outcome.operations, "operations were skipped"
    unexpected = [d for d in outcome.degraded if not any(gap.search(d) for gap in KNOWN_GAPS + DOCUMENT_FAULTS)]
    assert unexpected == [], "the generator skipped or degraded something"
    assert outcome.failed_examples == [], "example payloads did not round-trip"
    assert outcome.mypy_errors == 0, outcome.mypy_output
