"""Remote `$ref`s: refused (and never fetched) by default, fetched when the user opts in."""

from __future__ import annotations

from pathlib import Path

from pytest_httpserver import HTTPServer

DOCUMENT = """\
openapi: 3.1.0
info: {{title: Remote, version: '1'}}
paths:
  /widgets:
    get:
      operationId: listWidgets
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '{url}#/Widget'}}
"""
SHARED = "Widget:\n  type: object\n  required: [id]\n  properties:\n    id: {type: string}\n"


def test_remote_refs_are_refused_and_not_fetched_by_default(run_cli, httpserver: HTTPServer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/shared.yaml").respond_with_data(SHARED)
    spec = tmp_path / "api.yaml"
    spec.write_text(DOCUMENT.format(url=httpserver.url_for("/shared.yaml")))
    result = run_cli("generate", spec, "--output", tmp_path / "out")
    assert result.code == 2
    assert "is not fetched (pass --allow-remote-refs to fetch it)" in result.stderr
    assert httpserver.log == [] and not (tmp_path / "out").exists()


def test_remote_refs_are_fetched_when_allowed(run_cli, httpserver: HTTPServer, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    httpserver.expect_request("/shared.yaml").respond_with_data(SHARED)
    spec = tmp_path / "api.yaml"
    spec.write_text(DOCUMENT.format(url=httpserver.url_for("/shared.yaml")))
    result = run_cli("generate", spec, "--output", tmp_path / "out", "--allow-remote-refs")
    assert result.code == 0, result.stderr
    assert (tmp_path / "out" / "remote" / "models" / "widget.py").is_file()
    assert len(httpserver.log) >= 1
