"""The README's example of the generated client, run as written against a local server.

A new user's first contact with the client is that block of code; if the client's surface drifts
from it, this test fails. Only the base URL differs: it comes from `COMMS_API_BASE_URL`, which the
client reads when no `base_url` is given.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from pytest_httpserver import HTTPServer

from tests.conftest import GENERATED, ROOT

POOL_ID = "comms_senderpool_01h9krwprkeee8fzqspvwy6nq8"
POOL = {
    "id": POOL_ID,
    "name": "Customer Support Senders - Tier 1",
    "tags": {"tier": "1"},
    "createdAt": "2024-01-02T03:04:05Z",
    "updatedAt": "2024-01-03T00:00:00Z",
}


def readme_example() -> str:
    """The python block of the README's 'The generated client' section."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## The generated client") :]
    match = re.search(r"```python\n(.*?)```", section, re.DOTALL)
    assert match, "the README lost its example"
    return match.group(1)


def test_the_readme_example_runs_as_written(httpserver: HTTPServer, tmp_path: Path) -> None:
    base_url = httpserver.url_for("").rstrip("/")
    pool_path = f"/v1/SenderPools/{POOL_ID}"
    httpserver.expect_request(pool_path, method="PATCH", json={"tags": {"tier": "1"}}).respond_with_json(
        {"resourceId": POOL_ID, "resourceLocation": f"{base_url}{pool_path}"},
        status=202,
        headers={"Location": f"{base_url}{pool_path}"},
    )
    httpserver.expect_request(pool_path, method="GET").respond_with_json(POOL)
    httpserver.expect_request("/v1/SenderPools", method="GET", query_string={"pageSize": "50"}).respond_with_json(
        {"senderPools": [POOL], "pagination": {"next": None}}
    )
    httpserver.expect_request("/v1/SenderPools/comms_senderpool_missing", method="GET").respond_with_json(
        {"code": 20404, "message": "not found"}, status=404
    )
    script = tmp_path / "example.py"
    script.write_text(readme_example(), encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(GENERATED), "COMMS_API_BASE_URL": base_url}

    result = subprocess.run(
        [sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        f"{POOL_ID} {base_url}{pool_path}",
        "Customer Support Senders - Tier 1 {'tier': '1'}",
        POOL_ID,
        "404 Error(code=20404, message='not found')",
    ]
    assert [(r.method, r.path) for r, _ in httpserver.log] == [
        ("PATCH", pool_path),
        ("GET", pool_path),
        ("GET", "/v1/SenderPools"),
        ("GET", "/v1/SenderPools/comms_senderpool_missing"),
    ]
