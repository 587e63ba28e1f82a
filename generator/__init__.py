"""Generate a typed Python client from an OpenAPI 3.0/3.1 document."""

__version__ = "0.1.0"
