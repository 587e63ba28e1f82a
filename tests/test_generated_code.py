"""The generated code as code: it type-checks strictly, black leaves it alone, it imports without
side effects, and the generator works when installed from its wheel."""

from __future__ import annotations

import os
import subprocess
import sys
import zipfile
from pathlib import Path

import black
import pytest

from generator.format import black_mode

from .conftest import CASES, GENERATED, ROOT, SPEC

PACKAGES = [GENERATED / "comms_api"] + sorted(p for p in CASES.glob("*/expected/*") if p.is_dir())


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_mypy_strict(package: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-error-summary",
            "--cache-dir",
            str(ROOT / ".mypy_cache"),
            package.name,
        ],
        cwd=package.parent,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_black_leaves_generated_code_unchanged(package: Path) -> None:
    for path in package.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        assert black.format_str(source, mode=black_mode()) == source, path


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_imports_without_side_effects(package: Path, tmp_path: Path) -> None:
    """Importing the package runs no command and creates no file (bytecode writing disabled)."""
    probe = (
        "import os, subprocess, sys\n"
        "def refuse(*a, **k): raise AssertionError('side effect at import')\n"
        "os.system = subprocess.Popen = refuse\n"
        f"import {package.name}\n"
        f"assert {package.name}.Client and {package.name}.AsyncClient\n"
    )
    before = sorted(p for p in package.rglob("*") if "__pycache__" not in p.parts)
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "PYTHONPATH": str(package.parent)}
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert sorted(p for p in package.rglob("*") if "__pycache__" not in p.parts) == before
    assert list(tmp_path.iterdir()) == []


def test_generated_package_depends_only_on_httpx() -> None:
    third_party = set()
    for path in (GENERATED / "comms_api").rglob("*.py"):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.startswith(("import ", "from ")) and not line.startswith("from ."):
                third_party.add(line.split()[1].split(".")[0])
    assert third_party - set(sys.stdlib_module_names) == {"httpx"}


@pytest.mark.slow
def test_wheel_ships_templates_and_runtime(tmp_path: Path) -> None:
    """`pip install .` gives a generator that works from any directory."""
    wheels = tmp_path / "wheels"
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(wheels), str(ROOT)],
        capture_output=True,
        text=True,
    )
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "generator/templates/resource.py.jinja" in names
    assert "generator/runtime/_base_client.py" in names
    site = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--quiet", "--target", str(site), str(wheel)],
        capture_output=True,
        text=True,
    )
    assert install.returncode == 0, install.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site)}
    run = subprocess.run(
        [sys.executable, "-m", "generator", "generate", str(SPEC), "--output", "out"],
        cwd=elsewhere,
        env=env,
        capture_output=True,
        text=True,
    )
    assert run.returncode == 0, run.stderr
    generated = elsewhere / "out" / "comms_api"
    for path in (GENERATED / "comms_api").rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            assert (generated / path.relative_to(GENERATED / "comms_api")).read_bytes() == path.read_bytes(), path


def test_the_generator_itself_passes_mypy_strict() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary", "--cache-dir", str(ROOT / ".mypy_cache"), "generator"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_runtime_is_already_in_black_style() -> None:
    """The runtime is copied into every client without going through black (see `format_files`),
    so its sources must be exactly what black makes of them, header included."""
    from generator.paths import runtime_dir
    from generator.render import RUNTIME_FILES

    header = (
        "# Generated by clientgen 0.1.0 from x.yaml; .clientgen-manifest.json records its SHA-256.\n# Do not edit.\n"
    )
    for name in RUNTIME_FILES:
        source = header + (runtime_dir() / name).read_text(encoding="utf-8")
        assert black.format_str(source, mode=black_mode()) == source, name
