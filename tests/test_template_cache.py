"""Compiled templates are kept in the user's cache folder between runs; the cache never changes
what is generated, and a cache that cannot be used is gone without."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import GENERATED, ROOT, SPEC


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def _generate(out: Path, cache_home: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(SPEC), "--output", str(out)],
        env={**os.environ, "XDG_CACHE_HOME": str(cache_home), "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _cached(cache_home: Path) -> list[Path]:
    return sorted((cache_home / "clientgen").rglob("*.cache"))


def test_templates_compiled_once_are_read_back(tmp_path: Path) -> None:
    home = tmp_path / "cache"
    first = _generate(tmp_path / "one", home)
    assert first.returncode == 0, first.stderr
    cached = _cached(home)
    assert cached, "the compiled templates were not kept"
    stamps = {p: p.stat().st_mtime_ns for p in cached}

    second = _generate(tmp_path / "two", home)

    assert second.returncode == 0, second.stderr
    assert {p: p.stat().st_mtime_ns for p in _cached(home)} == stamps, "compiled again, or rewritten"
    assert _tree(tmp_path / "two" / "comms_api") == _tree(GENERATED / "comms_api")


def test_a_damaged_cache_is_compiled_afresh(tmp_path: Path) -> None:
    home = tmp_path / "cache"
    assert _generate(tmp_path / "one", home).returncode == 0
    for path in _cached(home):
        path.write_bytes(path.read_bytes()[:40])  # cut short after the header

    result = _generate(tmp_path / "two", home)

    assert result.returncode == 0, result.stderr
    assert _tree(tmp_path / "two" / "comms_api") == _tree(GENERATED / "comms_api")


def test_a_cache_folder_that_cannot_be_made_is_gone_without(tmp_path: Path) -> None:
    home = tmp_path / "not-a-folder"
    home.write_text("precious", encoding="utf-8")

    result = _generate(tmp_path / "out", home)

    assert result.returncode == 0, result.stderr
    assert home.read_text(encoding="utf-8") == "precious"
    assert _tree(tmp_path / "out" / "comms_api") == _tree(GENERATED / "comms_api")
