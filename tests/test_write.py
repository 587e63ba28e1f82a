"""The write stage and `generate --check`, through the real command line on spec/comms.yaml.

The contract (see `generator/write.py`): the new tree is assembled aside and swapped in; files
whose content did not change keep their timestamps; a manifest lists the files the generator
wrote; files it wrote earlier and no longer needs are removed; a file it did not write is never
deleted or overwritten (a clash stops the run with status 2, naming the file); a non-empty folder
without a manifest is refused. `--check` writes nothing and exits 1 with a unified diff on stdout
when the folder is not what would be generated.
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import ROOT, SPEC, CliResult, black_bound_document

PACKAGE = "comms_api"
MANIFEST = ".clientgen-manifest.json"
OLD_TIME_NS = 1_000_000_000 * 10**9  # 2001-09-09, long before any run of this test

Run = Callable[..., CliResult]

# --------------------------------------------------------------------------------------------
# Helpers


def snapshot(root: Path) -> dict[str, bytes]:
    """Every file under `root` with its bytes."""
    if not root.exists():
        return {}
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def mtimes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}


def entries(root: Path) -> list[str]:
    """Every file and folder under `root`, so stray staging folders show up too."""
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) if root.exists() else []


def summary(stderr: str) -> tuple[int, int, int]:
    """(written, unchanged, removed) from `DIR: N written, N unchanged, N removed in Ts`."""
    match = re.search(r"(\d+) written, (\d+) unchanged, (\d+) removed", stderr)
    assert match, f"no summary line in:\n{stderr}"
    written, unchanged, removed = (int(g) for g in match.groups())
    return written, unchanged, removed


def generate(run_cli: Run, out: Path, *extra: str) -> CliResult:
    return run_cli("generate", SPEC, "--output", out, *extra)


def check(run_cli: Run, out: Path) -> CliResult:
    return run_cli("generate", SPEC, "--output", out, "--check")


def read_manifest(package: Path) -> dict[str, Any]:
    manifest: dict[str, Any] = json.loads((package / MANIFEST).read_text(encoding="utf-8"))
    return manifest


def write_manifest(package: Path, manifest: dict[str, object]) -> None:
    (package / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")


def assert_unified_diff(text: str) -> None:
    assert text, "expected a diff on stdout"
    for line in text.splitlines():
        assert line[:1] in {"-", "+", " ", "@", "\\"}, f"not a unified diff line: {line!r}"


def leftovers(out: Path) -> list[str]:
    return [p.name for p in out.iterdir() if "clientgen-old" in p.name or "clientgen-new" in p.name]


@pytest.fixture
def out(tmp_path: Path, run_cli: Run) -> Path:
    """An output folder holding a freshly generated `comms_api`."""
    folder = tmp_path / "out"
    result = generate(run_cli, folder)
    assert result.code == 0, result.stderr
    return folder


@pytest.fixture
def fresh(out: Path) -> dict[str, bytes]:
    """The freshly generated package's files."""
    return snapshot(out / PACKAGE)


# --------------------------------------------------------------------------------------------
# Regenerating


def test_generating_twice_is_byte_identical_and_writes_nothing(
    out: Path, fresh: dict[str, bytes], run_cli: Run
) -> None:
    assert MANIFEST in fresh
    assert "__init__.py" in fresh

    result = generate(run_cli, out)

    assert result.code == 0, result.stderr
    assert snapshot(out / PACKAGE) == fresh
    assert summary(result.stderr) == (0, len(fresh), 0)


def test_manifest_lists_the_generated_files(out: Path, fresh: dict[str, bytes]) -> None:
    listed = read_manifest(out / PACKAGE)["files"]
    assert set(listed) == set(fresh) - {MANIFEST}
    assert listed == {path: hashlib.sha256(data).hexdigest() for path, data in fresh.items() if path != MANIFEST}


def test_unchanged_files_keep_their_mtime(out: Path, fresh: dict[str, bytes], run_cli: Run) -> None:
    package = out / PACKAGE
    for path in fresh:
        os.utime(package / path, ns=(OLD_TIME_NS, OLD_TIME_NS))

    result = generate(run_cli, out)

    assert result.code == 0, result.stderr
    changed = {path: ns for path, ns in mtimes(package).items() if ns != OLD_TIME_NS}
    assert changed == {}, "these unchanged files were rewritten"


def test_only_the_changed_file_is_rewritten(out: Path, fresh: dict[str, bytes], run_cli: Run) -> None:
    package = out / PACKAGE
    for path in fresh:
        os.utime(package / path, ns=(OLD_TIME_NS, OLD_TIME_NS))
    (package / "errors.py").write_text("# edited by hand\n", encoding="utf-8")

    result = generate(run_cli, out, "--discard-edits")

    assert result.code == 0, result.stderr
    assert snapshot(package) == fresh
    assert summary(result.stderr) == (1, len(fresh) - 1, 0)
    assert [p for p, ns in mtimes(package).items() if ns != OLD_TIME_NS] == ["errors.py"]


def test_a_changed_description_rewrites_one_file(
    tmp_path: Path, out: Path, fresh: dict[str, bytes], run_cli: Run
) -> None:
    """A document edit touches the files generated from what changed, and the manifest's digest of them."""
    package = out / PACKAGE
    for path in fresh:
        os.utime(package / path, ns=(OLD_TIME_NS, OLD_TIME_NS))
    text = SPEC.read_text(encoding="utf-8")
    old = "description: When the SenderPool was last updated."
    assert text.count(old) == 1
    edited = tmp_path / "comms.yaml"
    edited.write_text(text.replace(old, "description: When the SenderPool last changed."), encoding="utf-8")

    result = run_cli("generate", edited, "--output", out)

    assert result.code == 0, result.stderr
    rewritten = sorted(p for p, ns in mtimes(package).items() if ns != OLD_TIME_NS)
    assert rewritten == [MANIFEST, "models/sender_pool.py"]
    assert "When the SenderPool last changed." in (package / "models/sender_pool.py").read_text(encoding="utf-8")
    digests = read_manifest(package)["files"]
    assert digests["models/sender_pool.py"] != json.loads(fresh[MANIFEST])["files"]["models/sender_pool.py"]
    assert summary(result.stderr) == (2, len(fresh) - 2, 0)


def _modules_after(out: Path, *args: str, exit_code: int = 0, spec: Path = SPEC) -> set[str]:
    """The modules a real `generate` run into `out` imported (the run is in a child process), in
    its own process or in the one it forks for strict validation (`-X importtime` lists those)."""
    code = (
        "import sys; from generator.cli import main; code = main(sys.argv[1:]); "
        "print(' '.join(sorted(sys.modules))); sys.exit(code)"
    )
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-c", code, "generate", str(spec), "--output", str(out), *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
    )
    assert result.returncode == exit_code, result.stderr
    imported = {
        line.rsplit("|", 1)[1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")
    }
    return set(result.stdout.split()) | imported


def test_an_unchanged_document_is_neither_validated_nor_formatted_again(out: Path) -> None:
    """The manifest records the document validated and each file's unformatted digest; a run that
    finds both unchanged needs neither openapi-spec-validator nor black."""
    errors = out / PACKAGE / "errors.py"
    original = errors.read_text(encoding="utf-8")
    for args in ((), ("--check",)):
        errors.write_text(original + "# edited\n", encoding="utf-8")  # so that the run cannot skip everything
        modules = _modules_after(out, *args, *(() if args else ("--discard-edits",)), exit_code=1 if args else 0)
        assert "black" not in modules and "openapi_spec_validator" not in modules, args
        assert "generator.build" in modules, args


def test_a_run_with_the_same_inputs_does_nothing(out: Path, fresh: dict[str, bytes], run_cli: Run) -> None:
    """Same documents, options and generator, and the package as that run left it: nothing is
    loaded, built or rendered, and nothing is written."""
    for args in ((), ("--check",)):
        modules = _modules_after(out, *args)
        assert not {"generator.build", "jinja2", "yaml"} & modules, args
    result = generate(run_cli, out)
    assert "0 written, 37 unchanged, 0 removed" in result.stderr
    assert snapshot(out / PACKAGE) == fresh
    # Another option is another generation.
    assert "0 written" not in generate(run_cli, out, "--client-pyproject").stderr


def test_a_changed_referenced_document_is_noticed(tmp_path: Path) -> None:
    from generator.cache import generation_options, unchanged_package

    source = tmp_path / "doc"
    shutil.copytree(ROOT / "tests" / "cases" / "multifile", source, ignore=shutil.ignore_patterns("expected"))
    out = tmp_path / "out"
    run = [sys.executable, "-m", "generator", "generate", str(source / "spec.yaml"), "--output", str(out)]
    assert subprocess.run(run, capture_output=True, cwd=ROOT).returncode == 0
    options = generation_options(None, False, False, False, False)
    assert unchanged_package(out, source / "spec.yaml", options) is not None
    assert unchanged_package(out, source / "spec.yaml", {**options, "package": "other"}) is None

    part = source / "schemas" / "part.yaml"
    part.write_text(part.read_text(encoding="utf-8") + "# an edit the root document does not show\n")
    assert unchanged_package(out, source / "spec.yaml", options) is None


def test_a_file_edited_by_hand_is_formatted_again(tmp_path: Path, run_cli: Run) -> None:
    # `models/code.py` has a statement the templates leave to black (most files have none), so
    # formatting it from scratch takes black.
    spec = black_bound_document(tmp_path / "doc")
    out = tmp_path / "out"
    assert run_cli("generate", spec, "--output", out).code == 0
    package = out / "patterned"
    fresh = snapshot(package)
    assert "black" not in _modules_after(out, spec=spec), "nothing changed: nothing is formatted"
    code = package / "models" / "code.py"
    code.write_text(fresh["models/code.py"].decode() + "# edited\n", encoding="utf-8")

    modules = _modules_after(out, "--discard-edits", spec=spec)

    assert "black" in modules, "the edited file's digest no longer matches: it is formatted from scratch"
    assert snapshot(package) == fresh


def test_another_generator_version_validates_and_formats_again(out: Path, fresh: dict[str, bytes]) -> None:
    package = out / PACKAGE
    cache = out / ".clientgen-cache" / f"{PACKAGE}.json"
    record = json.loads(cache.read_text(encoding="utf-8"))
    record["generator"] = "clientgen 0.0.0 " + "0" * 64
    cache.write_text(json.dumps(record), encoding="utf-8")

    modules = _modules_after(out)

    # Validated again; formatted again too, though no file of the Comms client needs black.
    assert "openapi_spec_validator" in modules and "generator.format" in modules
    assert snapshot(package) == fresh


# --------------------------------------------------------------------------------------------
# --check


def test_check_on_a_fresh_tree_passes_and_writes_nothing(out: Path, run_cli: Run) -> None:
    before, times, listing = snapshot(out), mtimes(out), entries(out)

    result = check(run_cli, out)

    assert result.code == 0, result.stderr
    assert result.stdout == ""
    assert (snapshot(out), mtimes(out), entries(out)) == (before, times, listing)


def test_check_after_editing_a_file_shows_a_diff(out: Path, run_cli: Run) -> None:
    edited = out / PACKAGE / "errors.py"
    edited.write_text(edited.read_text(encoding="utf-8") + "HAND_EDIT = True\n", encoding="utf-8")
    before, listing = snapshot(out), entries(out)

    result = check(run_cli, out)

    assert result.code == 1, result.stderr
    assert_unified_diff(result.stdout)
    assert "--- a/errors.py" in result.stdout
    assert "+++ b/errors.py" in result.stdout
    assert "-HAND_EDIT = True" in result.stdout
    assert "a/_client.py" not in result.stdout, "only the edited file differs"
    assert (snapshot(out), entries(out)) == (before, listing), "--check must not repair the tree"


def test_check_after_deleting_a_file_fails(out: Path, run_cli: Run) -> None:
    (out / PACKAGE / "models" / "sender.py").unlink()
    before, listing = snapshot(out), entries(out)

    result = check(run_cli, out)

    assert result.code == 1, result.stderr
    assert_unified_diff(result.stdout)
    assert "models/sender.py" in result.stdout
    assert (snapshot(out), entries(out)) == (before, listing)


def test_check_on_a_missing_output_folder_fails(tmp_path: Path, run_cli: Run) -> None:
    missing = tmp_path / "out"

    result = check(run_cli, missing)

    assert result.code == 1, result.stderr
    assert "__init__.py" in result.stdout
    assert not missing.exists(), "--check must not create the output folder"


def test_check_ignores_user_files(out: Path, run_cli: Run) -> None:
    (out / PACKAGE / "extra.py").write_text("USER = 1\n", encoding="utf-8")

    result = check(run_cli, out)

    assert result.code == 0, result.stdout
    assert (out / PACKAGE / "extra.py").read_text(encoding="utf-8") == "USER = 1\n"


def test_committed_client_is_up_to_date() -> None:
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "generator",
            "generate",
            "spec/comms.yaml",
            "--check",
            "--output",
            str(ROOT / "generated"),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )

    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert proc.stdout == ""


# --------------------------------------------------------------------------------------------
# Ownership


USER_FILES = {
    "extra.py": "# mine\nANSWER = 42\n",
    "contrib/helpers.py": "def helper() -> int:\n    return 1\n",
    "models/custom.py": "# a user's module beside the generated models\n",
}


def test_user_files_survive_regeneration(out: Path, fresh: dict[str, bytes], run_cli: Run) -> None:
    package = out / PACKAGE
    for path, text in USER_FILES.items():
        (package / path).parent.mkdir(parents=True, exist_ok=True)
        (package / path).write_text(text, encoding="utf-8")

    result = generate(run_cli, out)

    assert result.code == 0, result.stderr
    after = snapshot(package)
    for path, text in USER_FILES.items():
        assert after.get(path) == text.encode(), f"{path} was lost or changed"
    assert {p: b for p, b in after.items() if p not in USER_FILES} == fresh
    assert summary(result.stderr)[2] == 0, "a user's file is not the generator's to remove"
    assert set(read_manifest(package)["files"]).isdisjoint(USER_FILES)


# --------------------------------------------------------------------------------------------
# Symbolic links: never followed out of the output folder


def _outside(tmp_path: Path) -> tuple[Path, dict[str, bytes]]:
    """A folder beside the output, with a file in it, and what it holds."""
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "precious.txt").write_text("keep me\n", encoding="utf-8")
    return outside, snapshot(outside)


def test_a_users_link_out_of_the_package_stays_a_link(
    tmp_path: Path, out: Path, fresh: dict[str, bytes], run_cli: Run
) -> None:
    outside, before = _outside(tmp_path)
    package = out / PACKAGE
    (package / "data").symlink_to(outside, target_is_directory=True)
    (package / "notes.txt").symlink_to(outside / "precious.txt")

    result = generate(run_cli, out, "--package", PACKAGE)

    assert result.code == 0, result.stderr
    assert (package / "data").is_symlink() and (package / "data").resolve() == outside.resolve()
    assert (package / "notes.txt").is_symlink()
    assert snapshot(outside) == before
    assert leftovers(out) == []


def test_a_package_folder_that_is_a_link_is_refused(tmp_path: Path, run_cli: Run) -> None:
    outside, before = _outside(tmp_path)
    out = tmp_path / "out"
    out.mkdir()
    (out / PACKAGE).symlink_to(outside, target_is_directory=True)

    result = generate(run_cli, out)

    assert result.code == 2
    assert "symbolic link" in result.stderr and "Traceback" not in result.stderr
    assert snapshot(outside) == before
    assert (out / PACKAGE).is_symlink()


@pytest.mark.parametrize("leftover", ["clientgen-new", "clientgen-old"])
@pytest.mark.parametrize("kind", ["link", "folder"])
def test_a_planted_staging_path_is_left_alone(
    tmp_path: Path, out: Path, fresh: dict[str, bytes], run_cli: Run, leftover: str, kind: str
) -> None:
    """A link or a folder the run did not make, where it stages, is neither followed nor removed."""
    outside, before = _outside(tmp_path)
    planted = out / f".{PACKAGE}.{leftover}"
    if kind == "link":
        planted.symlink_to(outside, target_is_directory=True)
    else:
        shutil.copytree(outside, planted)

    result = generate(run_cli, out)

    assert result.code == 2, result.stderr
    assert planted.name in result.stderr and "move it away" in result.stderr
    assert snapshot(outside) == before
    assert snapshot(out / PACKAGE) == fresh
    assert planted.is_symlink() if kind == "link" else snapshot(planted) == before


def test_user_file_at_a_generated_path_stops_the_run(tmp_path: Path, run_cli: Run) -> None:
    out = tmp_path / "out"
    package = out / PACKAGE
    package.mkdir(parents=True)
    write_manifest(package, {"generator": "clientgen", "files": {}})
    (package / "errors.py").write_text("# the user's own errors module\n", encoding="utf-8")
    before = snapshot(out)

    result = generate(run_cli, out)

    assert result.code == 2, result.stderr
    assert "errors.py" in result.stderr
    assert "Traceback" not in result.stderr
    assert snapshot(out) == before
    assert leftovers(out) == []


def test_folder_without_manifest_is_refused(tmp_path: Path, run_cli: Run) -> None:
    out = tmp_path / "out"
    package = out / PACKAGE
    (package / "sub").mkdir(parents=True)
    (package / "__init__.py").write_text("# someone else's package\n", encoding="utf-8")
    (package / "sub" / "data.txt").write_text("keep me\n", encoding="utf-8")
    before, listing = snapshot(out), entries(out)

    result = generate(run_cli, out)

    assert result.code == 2, result.stderr
    assert PACKAGE in result.stderr
    assert (snapshot(out), entries(out)) == (before, listing)


def test_a_file_no_longer_needed_is_removed(out: Path, fresh: dict[str, bytes], run_cli: Run) -> None:
    package = out / PACKAGE
    manifest = read_manifest(package)
    old = "# generated by an older spec\n"
    manifest["files"]["models/retired_model.py"] = hashlib.sha256(old.encode()).hexdigest()
    write_manifest(package, manifest)
    (package / "models" / "retired_model.py").write_text(old, encoding="utf-8")

    result = generate(run_cli, out)

    assert result.code == 0, result.stderr
    assert not (package / "models" / "retired_model.py").exists()
    assert snapshot(package) == fresh
    assert summary(result.stderr)[2] == 1


# --------------------------------------------------------------------------------------------
# Interrupted runs


# A run marks the folder it stages in, and the old tree before it moves it aside, so that the
# next run removes only folders it can tell are its own.
STAGING_MARK, RETIRED_MARK = ".clientgen-staging", ".clientgen-retired"


def _died_between_renames(out: Path) -> None:
    """The old tree was moved aside; the new one was assembled but not yet moved in."""
    _died_after_first_rename(out)
    staging = out / f".{PACKAGE}.clientgen-new"
    staging.mkdir()
    (staging / STAGING_MARK).touch()
    (staging / "__init__.py").write_text("# half written", encoding="utf-8")


def _died_after_first_rename(out: Path) -> None:
    (out / PACKAGE / RETIRED_MARK).touch()
    (out / PACKAGE).rename(out / f".{PACKAGE}.clientgen-old")


def _died_while_staging(out: Path) -> None:
    staging = out / f".{PACKAGE}.clientgen-new"
    (staging / "models").mkdir(parents=True)
    (staging / STAGING_MARK).touch()
    (staging / "models" / "sender.py").write_text("# half wr", encoding="utf-8")


def _died_before_cleanup(out: Path) -> None:
    """Both renames were done; the retired tree was not yet deleted, nor the new tree's mark."""
    retired = out / f".{PACKAGE}.clientgen-old"
    retired.mkdir()
    (retired / RETIRED_MARK).touch()
    (retired / "__init__.py").write_text("# the previous tree", encoding="utf-8")
    (out / PACKAGE / STAGING_MARK).touch()


@pytest.mark.parametrize(
    "interrupt",
    [
        pytest.param(_died_after_first_rename, id="old-tree-moved-aside"),
        pytest.param(_died_between_renames, id="old-aside-and-partial-new"),
        pytest.param(_died_while_staging, id="partial-new-beside-tree"),
        pytest.param(_died_before_cleanup, id="old-tree-left-behind"),
    ],
)
def test_an_interrupted_swap_is_recovered(
    out: Path, fresh: dict[str, bytes], run_cli: Run, interrupt: Callable[[Path], None]
) -> None:
    package = out / PACKAGE
    (package / "extra.py").write_text("USER = 1\n", encoding="utf-8")
    interrupt(out)

    result = generate(run_cli, out)

    assert result.code == 0, result.stderr
    after = snapshot(package)
    assert after.pop("extra.py", None) == b"USER = 1\n", "the user's file was lost in the recovery"
    assert after == fresh
    assert leftovers(out) == []
    assert sorted(p.name for p in out.iterdir()) == [".clientgen-cache", PACKAGE]


# --------------------------------------------------------------------------------------------
# --package


def test_package_option_names_the_folder(tmp_path: Path, run_cli: Run) -> None:
    out = tmp_path / "out"

    result = generate(run_cli, out, "--package", "my_client")

    assert result.code == 0, result.stderr
    assert sorted(p.name for p in out.iterdir()) == [".clientgen-cache", "my_client"]
    package = out / "my_client"
    assert (package / "__init__.py").is_file()
    assert (package / MANIFEST).is_file()


@pytest.mark.parametrize(
    "name", ["not valid", "1st", "my-client", "class", "match", "json", "typing", "httpx", "_types"]
)
def test_package_option_must_be_an_identifier(tmp_path: Path, run_cli: Run, name: str) -> None:
    out = tmp_path / "out"

    result = generate(run_cli, out, "--package", name)

    assert result.code == 2
    assert name in result.stderr
    assert not out.exists()


def test_a_changed_generator_is_noticed(out: Path) -> None:
    """An edited template or module of the generator (in a checkout, where the version number
    stays) changes its fingerprint, and the package is generated again."""
    from generator.cache import generation_options, unchanged_package

    options = generation_options(None, False, False, False, False)
    assert unchanged_package(out, SPEC, options) is not None
    cache = out / ".clientgen-cache" / f"{PACKAGE}.json"
    record = json.loads(cache.read_text(encoding="utf-8"))
    record["generator"] = record["generator"].rsplit(" ", 1)[0] + " " + "0" * 64
    cache.write_text(json.dumps(record), encoding="utf-8")
    assert unchanged_package(out, SPEC, options) is None


def test_a_changed_operation_renders_only_what_it_touches(tmp_path: Path, run_cli: Run) -> None:
    """The modules whose inputs did not change are taken from the last run, not rendered again;
    the tree, the manifest included, is the one a run from scratch writes."""
    source = tmp_path / "doc"
    shutil.copytree(ROOT / "tests" / "cases" / "features", source, ignore=shutil.ignore_patterns("expected"))
    spec = source / "spec.yaml"
    reusing, fresh = tmp_path / "reusing", tmp_path / "fresh"
    assert run_cli("generate", spec, "--output", reusing).code == 0
    text = spec.read_text(encoding="utf-8")
    edited = re.sub(r"(\n +)summary: ", r"\1summary: Edited. ", text, count=1)
    assert edited != text
    spec.write_text(edited, encoding="utf-8")

    modules = _modules_after(reusing, spec=spec)
    assert run_cli("generate", spec, "--output", fresh).code == 0

    assert snapshot(reusing / "feature_zoo") == snapshot(fresh / "feature_zoo")
    assert "black" not in modules  # the one file with a statement for black was taken as it was

    from generator.pipeline import load_and_build
    from generator.render import render_reusing
    from generator.cache import read_cache, rendered_before

    record = read_cache(reusing, "feature_zoo")
    (reusing / "feature_zoo" / "models" / "shape.py").write_text("# edited by hand\n", encoding="utf-8")
    api, _ = load_and_build(spec)
    rendered = render_reusing(api, rendered_before(reusing / "feature_zoo", record))
    assert "resources/shapes.py" in rendered.reused and "models/circle.py" in rendered.reused
    assert "models/shape.py" not in rendered.reused  # not as written: rendered again
    # The packages' `__init__`s too (their import tables are long to make on a large API).
    assert {"__init__.py", "models/__init__.py", "resources/__init__.py"} <= rendered.reused
    spec.write_text(text.replace("summary: Is the service up?", "summary: Up?"), encoding="utf-8")
    api, _ = load_and_build(spec)
    reused = render_reusing(api, rendered_before(reusing / "feature_zoo", record)).reused
    assert "resources/_client_operations.py" not in reused


def test_a_package_init_is_made_again_when_what_it_says_changes(tmp_path: Path, run_cli: Run) -> None:
    """The root `__init__` is taken from the last run only while its subject is unchanged: the
    document's description, which its docstring says, is part of it."""
    source = tmp_path / "doc"
    shutil.copytree(ROOT / "tests" / "cases" / "features", source, ignore=shutil.ignore_patterns("expected"))
    spec = source / "spec.yaml"
    reusing, fresh = tmp_path / "reusing", tmp_path / "fresh"
    assert run_cli("generate", spec, "--output", reusing).code == 0
    text = spec.read_text(encoding="utf-8")
    edited = text.replace("  description: |\n", "  description: |\n    Edited.\n", 1)
    assert edited != text
    spec.write_text(edited, encoding="utf-8")
    assert run_cli("generate", spec, "--output", reusing).code == 0
    assert run_cli("generate", spec, "--output", fresh).code == 0
    assert snapshot(reusing / "feature_zoo") == snapshot(fresh / "feature_zoo")
    assert "Edited." in (reusing / "feature_zoo" / "__init__.py").read_text(encoding="utf-8")


_METHODS = ("get", "put", "post", "delete", "patch")


def _edit_one_operation(document: dict[str, Any], kind: str, rng: random.Random) -> str:
    """Edit one operation of `document`, picked by `rng`, in place: its `summary`, one of its
    parameters (`required` and type), or its first answer's JSON schema. Returns what it did."""
    operations = [
        (path, method, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
        if method in _METHODS
    ]
    if kind == "parameter":
        operations = [o for o in operations if any("$ref" not in p for p in o[2].get("parameters", ()))]
    elif kind == "response":
        operations = [
            o
            for o in operations
            if any("application/json" in r.get("content", {}) for r in o[2]["responses"].values() if "$ref" not in r)
        ]
    path, method, operation = rng.choice(operations)
    if kind == "summary":
        operation["summary"] = f"{operation.get('summary', '')} (edited {rng.randrange(1000)})"
    elif kind == "parameter":
        parameter = rng.choice([p for p in operation["parameters"] if "$ref" not in p])
        parameter["schema"] = (
            {"type": "array", "items": {"type": "integer"}} if parameter["in"] == "query" else {"type": "integer"}
        )
        parameter["required"] = True
    else:
        response = next(
            r for r in operation["responses"].values() if "$ref" not in r and "application/json" in r.get("content", {})
        )
        response["content"]["application/json"]["schema"] = {
            "type": "object",
            "properties": {"edited": {"type": "integer"}, "when": {"type": "string", "format": "date-time"}},
        }
    return f"{kind} of {method} {path}"


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("kind", ["summary", "parameter", "response"])
def test_a_reusing_run_after_one_operation_s_edit_is_a_fresh_run(
    tmp_path: Path, run_cli: Run, kind: str, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """After a random edit of one operation (its summary, a parameter, an answer's schema), a run
    that takes what it can from the last one (modules, and the other operations' parts of their
    resource module) writes byte for byte what a run from scratch writes, and renders again only
    the operations whose inputs changed."""
    import generator.render as render

    rng = random.Random(f"{kind}-{seed}")
    spec = tmp_path / "spec.json"
    document = yaml.safe_load((ROOT / "tests" / "cases" / "features" / "spec.yaml").read_text(encoding="utf-8"))
    spec.write_text(json.dumps(document), encoding="utf-8")
    reusing, fresh = tmp_path / "reusing", tmp_path / "fresh"
    assert run_cli("generate", spec, "--output", reusing).code == 0
    edit = _edit_one_operation(document, kind, rng)
    spec.write_text(json.dumps(document), encoding="utf-8")

    rendered: list[str] = []
    render_operation = render.render_operation

    def counting(*args: Any) -> render.OperationText:
        rendered.append(args[3].name)
        return render_operation(*args)

    monkeypatch.setattr(render, "render_operation", counting)
    reused = run_cli("generate", spec, "--output", reusing)
    again = list(rendered)
    assert run_cli("generate", spec, "--output", fresh).code == reused.code == 0, edit

    assert snapshot(reusing / "feature_zoo") == snapshot(fresh / "feature_zoo"), edit
    assert 1 <= len(again) < len(rendered) - len(again), (edit, again)
    record = json.loads((reusing / ".clientgen-cache" / "feature_zoo.json").read_text(encoding="utf-8"))
    assert (
        record["operations"] == json.loads((fresh / ".clientgen-cache" / "feature_zoo.json").read_text())["operations"]
    )


def test_an_operation_s_parts_taken_from_the_cache_are_checked(tmp_path: Path, run_cli: Run) -> None:
    """An operation's record in the cache that is not one (a field missing or of the wrong kind)
    is rendered again; one that is, is used as it stands, whatever it holds (the record is the
    generator's own, and only read with the generator that wrote it)."""
    from generator.pipeline import load_and_build
    from generator.render import render_reusing

    spec = tmp_path / "spec.yaml"
    shutil.copy(ROOT / "tests" / "cases" / "features" / "spec.yaml", spec)
    assert run_cli("generate", spec, "--output", tmp_path).code == 0
    record = json.loads((tmp_path / ".clientgen-cache" / "feature_zoo.json").read_text(encoding="utf-8"))
    operations = record["operations"]
    api, _ = load_and_build(spec)
    fresh = render_reusing(api, None)
    assert render_reusing(api, None, operations=operations).files == fresh.files
    assert fresh.operations == operations
    broken = {key: {**value, "found": [["x"]]} for key, value in operations.items()}
    assert render_reusing(api, None, operations=broken).files == fresh.files
    marked = {key: {**value, "sync": value["sync"] + "# kept\n"} for key, value in operations.items()}
    assert "# kept" in render_reusing(api, None, operations=marked).files["resources/shapes.py"]


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"b": {}, "a": [1, True, None, 'é "quoted"\n\x00', -7, []], "c": [[{"z": [{}]}]]},
        {"files": {"x.py": "0" * 64}, "api": {"models": {"Pet": {"fields": ["name", "tag"]}}}},
        {"number": 1.5},  # a float: left to json
        {2: "a", 1: "b"},  # keys that are not strings: left to json
        "text",
        None,
    ],
)
def test_the_manifest_s_json_is_json_s(value: Any) -> None:
    from generator.cache import indented_json

    assert indented_json(value) == json.dumps(value, indent=1, sort_keys=True)
