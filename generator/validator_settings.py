"""The settings of openapi-spec-validator and openapi-schema-validator, read without pydantic.

Each of the two libraries reads a few environment variables through a pydantic-settings model (its
`settings` module). Importing pydantic and pydantic-settings for them is most of the time the
validator takes to import (about 0.1 s of 0.2 s), which on a small document is most of strict
validation. `install()` puts in their place, before the libraries are imported, modules with the
same names that read the same variables by the same rules, so that the validator behaves as it
would with its own.

A stand-in is installed only for the exact source it mirrors (the SHA-256 of the library's
`settings.py`, found without importing the library): a release that changes its settings gets
its own module, slower but never misread.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
import sys
import types
import warnings
from collections.abc import Callable
from pathlib import Path


def _variable(name: str) -> str | None:
    """The environment variable `name`, matched regardless of case (pydantic-settings' rule)."""
    wanted = name.lower()
    return next((value for key, value in os.environ.items() if key.lower() == wanted), None)


# -- openapi_spec_validator.settings (0.9.0) -------------------------------------------------------

_SPEC_BACKENDS = {"auto", "jsonschema", "jsonschema-rs"}
_BAD_BACKEND = (
    "Invalid value for OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND. "
    "Expected one of: auto, jsonschema, jsonschema-rs. Falling back to auto."
)


def _cache_maxsize(value: str | None) -> int:
    """A size that is not a non-negative integer falls back to the default, 128."""
    try:
        parsed = int(value) if value is not None else 128
    except ValueError:
        return 128
    return parsed if parsed >= 0 else 128


def _backend(value: str | None) -> str:
    """An unknown backend warns and falls back to "auto"."""
    if value is None:
        return "auto"
    normalized = value.strip().lower()
    if normalized in _SPEC_BACKENDS:
        return normalized
    warnings.warn(_BAD_BACKEND, UserWarning, stacklevel=2)
    return "auto"


class OpenAPISpecValidatorSettings:
    """openapi-spec-validator's settings, as the environment gives them when the object is made."""

    def __init__(self) -> None:
        self.resolved_cache_maxsize = _cache_maxsize(_variable("OPENAPI_SPEC_VALIDATOR_RESOLVED_CACHE_MAXSIZE"))
        self.schema_validator_backend = _backend(_variable("OPENAPI_SPEC_VALIDATOR_SCHEMA_VALIDATOR_BACKEND"))


def _spec_settings() -> dict[str, object]:
    return {
        "ENV_PREFIX": "OPENAPI_SPEC_VALIDATOR_",
        "RESOLVED_CACHE_MAXSIZE_DEFAULT": 128,
        "SCHEMA_VALIDATOR_BACKEND_DEFAULT": "auto",
        "SCHEMA_VALIDATOR_BACKEND_ALLOWED": set(_SPEC_BACKENDS),
        "OpenAPISpecValidatorSettings": OpenAPISpecValidatorSettings,
        "get_resolved_cache_maxsize": lambda: OpenAPISpecValidatorSettings().resolved_cache_maxsize,
        "get_schema_validator_backend": lambda: OpenAPISpecValidatorSettings().schema_validator_backend,
    }


# -- openapi_schema_validator.settings (0.9.0) -----------------------------------------------------


class OpenAPISchemaValidatorSettings:
    """openapi-schema-validator's settings. Its one field must be an integer ≥ 0; pydantic refuses
    anything else when the settings are made, and so does this."""

    def __init__(self) -> None:
        name = "OPENAPI_SCHEMA_VALIDATOR_COMPILED_VALIDATOR_CACHE_MAX_SIZE"
        value = _variable(name)
        try:
            size = int(value) if value is not None else 128
        except ValueError:
            raise ValueError(f"{name} must be an integer, not {value!r}") from None
        if size < 0:
            raise ValueError(f"{name} must be at least 0, not {size}")
        self.compiled_validator_cache_max_size = size


@functools.lru_cache(maxsize=1)
def _get_settings() -> OpenAPISchemaValidatorSettings:
    return OpenAPISchemaValidatorSettings()


def _schema_settings() -> dict[str, object]:
    return {
        "OpenAPISchemaValidatorSettings": OpenAPISchemaValidatorSettings,
        "get_settings": _get_settings,
        "reset_settings_cache": _get_settings.cache_clear,
    }


# The modules stood in for: each with the SHA-256 of the source it mirrors, and its names.
MIRRORED: dict[str, tuple[str, Callable[[], dict[str, object]]]] = {
    "openapi_spec_validator": ("4dcf2cefa5240b47eacb82aeaef02750c89514a5d716ed0e818fb8db70dd0f4a", _spec_settings),
    "openapi_schema_validator": ("73d226357441df93e0515524fd9d7b84a7c07ee8d096efd9ba95c73ae4f0dc78", _schema_settings),
}


def _settings_source(package: str) -> bytes | None:
    """The source of `package`'s settings module, found without importing the package."""
    try:
        spec = importlib.util.find_spec(package)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        try:
            return (Path(folder) / "settings.py").read_bytes()
        except OSError:
            continue
    return None


def install() -> None:
    """Stand in for each library's settings module whose source is the one mirrored here, unless
    that library is imported already."""
    for package, (digest, names) in MIRRORED.items():
        name = f"{package}.settings"
        if package in sys.modules or name in sys.modules:
            continue
        source = _settings_source(package)
        if source is None or hashlib.sha256(source).hexdigest() != digest:
            continue
        module = types.ModuleType(name, f"{package}'s settings, read without pydantic (see {__name__}).")
        for attribute, value in names().items():
            setattr(module, attribute, value)
        sys.modules[name] = module
