"""Golden trees: each document's generated package, compared file by file with what is committed.

Each `tests/cases/<name>/` holds `spec.yaml` and `expected/<package>/`, the package generated from
it; `generated/` holds the package generated from `spec/comms.yaml`. A missing, extra or different
file fails, with a diff. After a deliberate change to the generator, update them all with:

    python -m pytest tests/test_snapshots.py --update-snapshots
"""

from __future__ import annotations

import difflib
import shutil
from pathlib import Path

import pytest

from generator.pipeline import generate_files
from generator.write import write_tree

from .conftest import CASES, GENERATED, SPEC

UPDATE_HINT = "if the change is intended, run: python -m pytest tests/test_snapshots.py --update-snapshots"
CASE_NAMES = sorted(p.name for p in CASES.iterdir() if (p / "spec.yaml").is_file())


def _committed(root: Path) -> dict[str, str]:
    """The files of a committed tree (ignoring what Python itself leaves there)."""
    return {
        p.relative_to(root).as_posix(): p.read_text(encoding="utf-8")
        for p in sorted(root.rglob("*"))
        if p.is_file() and "__pycache__" not in p.parts
    }


def _compare(actual: dict[str, str], expected_root: Path) -> None:
    expected = _committed(expected_root)
    problems = []
    for path in sorted(set(expected) - set(actual)):
        problems.append(f"missing from the output: {path}")
    for path in sorted(set(actual) - set(expected)):
        problems.append(f"not in the snapshot: {path}")
    for path in sorted(set(actual) & set(expected)):
        if actual[path] != expected[path]:
            diff = difflib.unified_diff(
                expected[path].splitlines(keepends=True),
                actual[path].splitlines(keepends=True),
                fromfile=f"snapshot/{path}",
                tofile=f"generated/{path}",
            )
            problems.append("".join(diff))
    assert not problems, f"{expected_root} differs from the generator's output ({UPDATE_HINT}):\n" + "\n".join(problems)


@pytest.mark.parametrize("case", CASE_NAMES)
def test_case_snapshot(case: str, request: pytest.FixtureRequest) -> None:
    result = generate_files(CASES / case / "spec.yaml")
    expected_root = CASES / case / "expected" / result.api.package
    if request.config.getoption("--update-snapshots"):
        shutil.rmtree(CASES / case / "expected", ignore_errors=True)
        for path, content in result.files.items():
            target = expected_root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8", newline="\n")
    _compare(result.files, expected_root)


def test_committed_client_matches_spec(request: pytest.FixtureRequest) -> None:
    """`generated/` is the golden snapshot of the main job: `spec/comms.yaml`."""
    result = generate_files(SPEC)
    target = GENERATED / result.api.package
    if request.config.getoption("--update-snapshots"):
        write_tree(result.files, target)
    _compare(result.files, target)


def test_generation_is_deterministic() -> None:
    first = generate_files(SPEC).files
    second = generate_files(SPEC).files
    assert first == second
    for path, content in first.items():
        assert "\r" not in content, path
        assert content == "" or content.endswith("\n"), path
        assert str(Path.cwd()) not in content and "/work/" not in content, path
