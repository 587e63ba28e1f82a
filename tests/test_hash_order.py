"""What a run prints about a document does not depend on Python's hash seed.

Strings hash differently in each process (PYTHONHASHSEED), so a set of property names is iterated
in a different order by each run. The validator's checks walk such sets: which of several wrong
properties of a Schema Object is reported (openapi-spec-validator reports the first error it meets
there), and in which order the errors of a `oneOf` alternative come, must not follow that order.
Each document is validated, as a user runs it, in processes with different hash seeds, and every
run must print the same thing.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SHARED_SPECS

SEEDS = ("0", "1", "2", "3", "123")

DOCUMENTS = {
    # Several wrong properties in one Schema Object (3.1): the check of a Schema Object reports one.
    "schema-3.1": """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        alpha: {type: strin}
        beta: {type: number, exclusiveMinimum: true}
        gamma: {type: string, minLength: -1}
        delta: {type: array, items: {type: 5}}
        epsilon: {$recursiveAnchor: true}
        zeta: {type: string, format: 7}
""",
    # The same in 3.0, where most of these are seen by the check of the document's structure too;
    # enums that repeat a value are seen only by the check of the Schema Object.
    "schema-3.0": """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties:
        alpha: {type: string, maxLength: ten}
        beta: {type: number, minimum: low}
        gamma: {type: string, enum: [a, a]}
        delta: {type: string, enum: [b, b]}
        epsilon: {type: string, enum: [c, d, c]}
""",
    # Schema Objects of other dialects are checked by jsonschema's classes of those.
    "other-dialects-3.1": """\
openapi: 3.1.0
info: {title: T, version: '1'}
jsonSchemaDialect: https://json-schema.org/draft/2019-09/schema
paths: {}
components:
  schemas:
    Thing:
      type: object
      properties: {a: {type: 1}, b: {type: 2}, c: {type: 3}, d: {minimum: x}}
    Other:
      $schema: http://json-schema.org/draft-07/schema#
      properties: {a: {type: 1}, b: {type: 2}, c: {type: 3}, d: {minimum: x}}
""",
    # Lists of names: the properties a default value may not have, the required names no
    # property has.
    "names-3.0": """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths: {}
components:
  schemas:
    Closed:
      type: object
      additionalProperties: false
      properties: {a: {type: string}}
      default: {a: x, zulu: 1, yankee: 2, xray: 3, whiskey: 4}
    Map:
      type: object
      additionalProperties: {type: integer}
      default: {p: x, q: y, r: z, s: w}
    Joined:
      allOf: [{type: object, properties: {a: {type: string}}}]
      required: [a, mike, november, oscar, papa]
""",
    # Properties no object of its kind has, in many places of a 3.0 document.
    "extra-properties-3.0": """\
openapi: 3.0.3
info: {title: T, version: '1', summry: x, licence: {name: MIT}}
servers: [{url: 'https://x', descripton: y, variabels: {}}]
paths:
  /things:
    get:
      summry: list
      operationID: listThings
      responses:
        '200': {description: ok, contnet: {}, header: {}}
    post:
      requestBody: {content: {application/json: {schema: {type: object}}}, require: true}
      responses:
        default: {description: x, schema: {type: string}}
components:
  schemas:
    Thing:
      type: object
      nulable: true
      readonly: true
      properties:
        a: {type: string, minLenght: 1, maxLenght: 3}
        b: {type: integer, formt: int32}
""",
    # The same in 3.1, with wrong entries in each map of a Schema Object.
    "extra-properties-3.1": """\
openapi: 3.1.0
info: {title: T, version: '1', summry: x, licence: {name: MIT}}
servers: [{url: 'https://x', descripton: y, variabels: {}}]
paths:
  /things:
    get:
      summry: list
      operationID: listThings
      responses:
        '200': {description: ok, contnet: {}, header: {}}
components:
  schemas:
    Thing:
      type: object
      nulable: true
      $defs: {one: {type: 1}, two: {type: 2}, three: {type: 3}}
      patternProperties: {'^a': {minimum: a}, '^b': {minimum: b}}
      dependentSchemas: {c: {required: c}, d: {required: d}}
""",
    # Alternatives of a oneOf, each wrong in several places: in a Schema Object (3.1), in the
    # document's structure (parameters, headers, security schemes).
    "one-of-3.1": """\
openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /things/{id}:
    get:
      parameters:
        - {name: id, in: paths, required: yes, schema: {type: string}, styl: simple}
        - {name: q, in: query, schema: {type: string}, content: {}, exampel: 1}
      responses:
        '200':
          description: ok
          headers:
            X-A: {schema: {type: string}, style: form, explod: true}
components:
  schemas:
    Choice:
      oneOf:
        - {type: object, properties: {a: {type: 1}, b: {minimum: z}, c: {maxLength: -1}}}
        - {type: object, properties: {d: {type: strin}, e: {required: yes}}}
  securitySchemes:
    a: {type: http, scheme: bearer, bearerformat: JWT, flows: {}}
    b: {type: oauth3, flows: {implicit: {authorizationUrl: x, scopes: {r: 1, w: 2}}}, in: header}
    c: {type: apiKey, name: k, in: body, scheme: x}
""",
    "one-of-3.0": """\
openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /things/{id}:
    get:
      parameters:
        - {name: id, in: paths, required: yes, schema: {type: string}, styl: simple}
        - {name: q, in: query, schema: {type: strin, minimum: x}, content: {}, exampel: 1}
      responses:
        '200':
          description: ok
          headers:
            X-A: {schema: {type: 5}, style: form, explod: true}
          content:
            application/json:
              schema: {oneOf: [{type: strin}, {type: object, properties: {a: {type: 1}, b: {minimum: z}}}]}
components:
  securitySchemes:
    a: {type: http, scheme: bearer, bearerformat: JWT, flows: {}}
    b: {type: oauth3, flows: {implicit: {authorizationUrl: x, scopes: {r: 1, w: 2}}}, in: header}
    c: {type: apiKey, name: k, in: body, scheme: x}
""",
}


def _run(seed: str, *args: str | Path) -> str:
    """`python -m generator ARGS` in a process with this hash seed: its exit status and output."""
    env = {**os.environ, "PYTHONHASHSEED": seed, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "generator", *map(str, args)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    return f"exit {proc.returncode}\n--- stdout\n{proc.stdout}--- stderr\n{proc.stderr}"


def _same_for_every_seed(runs: dict[str, str]) -> None:
    first = runs[SEEDS[0]]
    for seed, output in runs.items():
        assert output == first, f"PYTHONHASHSEED={seed} printed otherwise than PYTHONHASHSEED={SEEDS[0]}"


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_validate_prints_the_same_for_every_hash_seed(tmp_path: Path, name: str) -> None:
    path = tmp_path / f"{name}.yaml"
    path.write_text(DOCUMENTS[name], encoding="utf-8")

    runs = {seed: _run(seed, "validate", path) for seed in SEEDS}

    assert runs[SEEDS[0]].startswith("exit 2\n"), runs[SEEDS[0]]
    _same_for_every_seed(runs)


def _generate_lenient(tmp_path: Path, document: Path) -> dict[str, str]:
    """`generate --lenient` into a folder of its own for each seed: what each run printed (the
    folder and the time named alike), after checking that each wrote the same files."""
    runs, trees = {}, {}
    for seed in SEEDS:
        out = tmp_path / f"seed-{seed}"
        output = _run(seed, "generate", "--lenient", "--output", out, document)
        runs[seed] = re.sub(r" in \d+\.\d+s$", " in (time)", output.replace(str(out), "OUT"), flags=re.MULTILINE)
        trees[seed] = {str(f.relative_to(out)): f.read_bytes() for f in sorted(out.rglob("*")) if f.is_file()}
    for seed, tree in trees.items():
        assert tree == trees[SEEDS[0]], f"PYTHONHASHSEED={seed} wrote otherwise than PYTHONHASHSEED={SEEDS[0]}"
    return runs


def test_generate_lenient_warns_the_same_for_every_hash_seed(tmp_path: Path) -> None:
    path = tmp_path / "schema-3.1.yaml"
    path.write_text(DOCUMENTS["schema-3.1"], encoding="utf-8")

    runs = _generate_lenient(tmp_path, path)

    assert runs[SEEDS[0]].startswith("exit 0\n") and "warning" in runs[SEEDS[0]], runs[SEEDS[0]]
    _same_for_every_seed(runs)


OPENAI = SHARED_SPECS / "openai-openapi.yaml"
STRIPE = SHARED_SPECS / "stripe-spec3.yaml"


@pytest.mark.skipif(not OPENAI.is_file(), reason=f"{OPENAI} is absent: the corpus lies outside this repository")
def test_openai_warnings_are_the_same_for_every_hash_seed(tmp_path: Path) -> None:
    """OpenAI's document has Schema Objects with several wrong properties (`exclusiveMinimum: true`
    in more than one property of one schema)."""
    runs = _generate_lenient(tmp_path, OPENAI)

    assert runs[SEEDS[0]].startswith("exit 0\n") and "warning" in runs[SEEDS[0]], runs[SEEDS[0]]
    _same_for_every_seed(runs)


@pytest.mark.skipif(not STRIPE.is_file(), reason=f"{STRIPE} is absent: the corpus lies outside this repository")
def test_stripe_warnings_are_the_same_for_every_hash_seed() -> None:
    runs = {seed: _run(seed, "validate", "--lenient", STRIPE) for seed in SEEDS}

    assert runs[SEEDS[0]].startswith("exit 0\n") and "warning" in runs[SEEDS[0]], runs[SEEDS[0]]
    _same_for_every_seed(runs)
