"""The validators' settings read without pydantic (`generator.validator_settings`) read the
environment as the libraries' own pydantic-settings models do: each case is read in a fresh
process by the real module and by the stand-in, and the outcomes compared."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

_READ = """
import json, sys, warnings
if sys.argv[1] == "stand-in":
    from generator import validator_settings
    validator_settings.install()
import openapi_spec_validator.settings as spec
import openapi_schema_validator.settings as schema
outcome = {"stand-in": type(spec.OpenAPISpecValidatorSettings).__module__ != "pydantic._internal._model_construction"}
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    made = spec.OpenAPISpecValidatorSettings()
    outcome["maxsize"] = made.resolved_cache_maxsize
    outcome["backend"] = made.schema_validator_backend
    outcome["getters"] = [spec.get_resolved_cache_maxsize(), spec.get_schema_validator_backend()]
    outcome["warned"] = sorted({str(w.message) for w in caught})
try:
    outcome["schema"] = schema.get_settings().compiled_validator_cache_max_size
except Exception as exc:
    outcome["schema"] = "refused"
print(json.dumps(outcome))
"""

CASES = [
    {},
    {"OPENAPI_SPEC_VALIDATOR_RESOLVED_CACHE_MAXSIZE": "5"},
    {"OPENAPI_SPEC_VALIDATOR_RESOLVED_CACHE_MAXSIZE": " 7 "},
    {"OPENAPI_SPEC_VALIDATOR_RESOLVED_CACHE_MAXSIZE": "-1"},
    {"OPENAPI_SPEC_VALIDATOR_RESOLVED_CACHE_MAXSIZE": "many"},
    {"OPENAPI_SPEC_VALIDATOR_RESOLVED_CACHE_MAXSIZE": ""},
    {"openapi_spec_validator_resolved_cache_maxsize": "9"},
    {"OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND": " JSONSchema "},
    {"OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND": "jsonschema-rs"},
    {"OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND": "fastest"},
    {"OPENAPI_SCHEMA_VALIDATOR_COMPILED_VALIDATOR_CACHE_MAX_SIZE": "3"},
    {"OPENAPI_SCHEMA_VALIDATOR_COMPILED_VALIDATOR_CACHE_MAX_SIZE": "-3"},
    {"OPENAPI_SCHEMA_VALIDATOR_COMPILED_VALIDATOR_CACHE_MAX_SIZE": "three"},
]


def _read(mode: str, env: dict[str, str]) -> dict[str, object]:
    clean = {k: v for k, v in os.environ.items() if not k.upper().startswith(("OPENAPI_SPEC_", "OPENAPI_SCHEMA_"))}
    done = subprocess.run(
        [sys.executable, "-c", _READ, mode],
        env={**clean, **env, "PYTHONPATH": str(ROOT)},
        capture_output=True,
        text=True,
        check=True,
    )
    outcome: dict[str, object] = json.loads(done.stdout)
    return outcome


@pytest.mark.parametrize("env", CASES, ids=lambda env: ",".join(f"{k}={v}" for k, v in env.items()) or "unset")
def test_the_stand_in_reads_the_environment_as_the_libraries_do(env: dict[str, str]) -> None:
    real, stand_in = _read("real", env), _read("stand-in", env)
    assert real.pop("stand-in") is False
    assert stand_in.pop("stand-in") is True, "the stand-in was not installed for the pinned libraries"
    assert stand_in == real


def test_validation_does_not_import_pydantic() -> None:
    check = (
        "import sys\n"
        "from generator.validate import validate\n"
        "assert not [m for m in sys.modules if m.split('.')[0] in ('pydantic', 'pydantic_settings')], 'imported'\n"
    )
    subprocess.run([sys.executable, "-c", check], env={**os.environ, "PYTHONPATH": str(ROOT)}, check=True)
