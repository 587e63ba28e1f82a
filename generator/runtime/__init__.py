"""Hand-written runtime of every generated client, copied verbatim into its package.

These modules do not depend on any document: HTTP plumbing, authentication, the "not given"
sentinel, open enums, error bases and value coding. They are ordinary Python, tested as such in
`tests/test_runtime.py`; only this `__init__.py` stays behind.
"""
