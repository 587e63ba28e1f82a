"""The three workflows never surprise their users: nothing of theirs is lost, an edit to a generated
file is never overwritten silently, `--check` calls a client stale only when a file would change,
and a mistake in the configuration is named where it is. Each test runs the command line in a
child process, as a user does, from a folder of its own.
"""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT, SPEC

PACKAGE = "comms_api"
MANIFEST = ".clientgen-manifest.json"


def clientgen(cwd: Path, *args: str | Path, code: str = "pass") -> subprocess.CompletedProcess[str]:
    """`python -m generator ARGS` in `cwd`; `code` runs first, in the same process (to stand in for
    another generator version, say)."""
    program = f"import sys; {code}; from generator.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run(
        [sys.executable, "-c", program, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env=_env(),
    )


def _env() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    return env


def tree(root: Path) -> dict[str, bytes]:
    """Every file and link under `root` (a link as its target), and every folder, by path."""
    if not root.exists():
        return {}
    found: dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        name = path.relative_to(root).as_posix()
        if path.is_symlink():
            found[name] = b"-> " + str(path.readlink()).encode()
        elif path.is_dir():
            found[name + "/"] = b""
        else:
            found[name] = path.read_bytes()
    return found


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A user's project: the Comms document in `api/`, nothing generated yet."""
    (tmp_path / "api").mkdir()
    shutil.copy(SPEC, tmp_path / "api" / "comms.yaml")
    return tmp_path


def generate(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return clientgen(project, "generate", "api/comms.yaml", "--output", "out", *args)


@pytest.fixture
def generated(project: Path) -> Path:
    """`project` with the client generated into `out/comms_api`."""
    run = generate(project)
    assert run.returncode == 0, run.stderr
    return project / "out" / PACKAGE


def assert_clean_error(run: subprocess.CompletedProcess[str], *needles: str) -> None:
    assert run.returncode == 2, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr, run.stderr
    for needle in needles:
        assert needle in run.stderr, run.stderr


# --------------------------------------------------------------------------------------------
# 1. Nothing the user owns is renamed, moved or deleted


def test_a_file_where_the_package_goes_is_left_alone_on_every_run(project: Path) -> None:
    out = project / "out"
    out.mkdir()
    (out / PACKAGE).write_text("precious\n", encoding="utf-8")
    before = tree(out)

    for _ in range(2):
        assert_clean_error(generate(project), f"out/{PACKAGE} is a file", "move it away")
        assert tree(out) == before, "the user's file was renamed, moved or changed"
        assert_clean_error(generate(project, "--check"), f"out/{PACKAGE} is a file")
        assert tree(out) == before


def test_an_output_path_that_is_a_file_is_refused(project: Path) -> None:
    (project / "afile").write_text("mine\n", encoding="utf-8")
    for extra in ((), ("--check",)):
        run = clientgen(project, "generate", "api/comms.yaml", "--output", "afile", *extra)
        assert_clean_error(run, "afile is a file, not a folder")
        assert (project / "afile").read_text(encoding="utf-8") == "mine\n"
    run = clientgen(project, "generate", "api/comms.yaml", "--output", "afile/deeper")
    assert_clean_error(run, "afile is a file, not a folder")


def test_a_users_leftover_beside_the_package_is_not_deleted(generated: Path, project: Path) -> None:
    """Names like the run's staging folders, taken by something of the user's, are never removed."""
    planted = project / "out" / f".{PACKAGE}.clientgen-old"
    planted.write_text("mine\n", encoding="utf-8")
    for _ in range(2):
        assert_clean_error(generate(project), planted.name)
        assert planted.read_text(encoding="utf-8") == "mine\n"


def test_user_files_and_empty_folders_in_the_package_survive(generated: Path, project: Path) -> None:
    (generated / "extra.py").write_text("X = 1\n", encoding="utf-8")
    (generated / "notes").mkdir()
    spec = project / "api" / "comms.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("List SenderPools", "List pools"), encoding="utf-8")

    run = generate(project)

    assert run.returncode == 0, run.stderr
    assert (generated / "extra.py").read_text(encoding="utf-8") == "X = 1\n"
    assert (generated / "notes").is_dir()


# --------------------------------------------------------------------------------------------
# 2. Edits to generated files are never lost silently


def _edit(file: Path) -> bytes:
    file.write_text(file.read_text(encoding="utf-8") + "\nPATCHED = True  # a local fix\n", encoding="utf-8")
    return file.read_bytes()


def test_an_edited_file_stops_regeneration_and_is_kept_byte_for_byte(generated: Path, project: Path) -> None:
    edited = _edit(generated / "errors.py")
    before = tree(generated)
    spec = project / "api" / "comms.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("List SenderPools", "List pools"), encoding="utf-8")

    for _ in range(2):
        run = generate(project)
        assert_clean_error(run, f"out/{PACKAGE}/errors.py", ".clientgenignore", "--discard-edits")
        assert "resources/sender_pools.py" not in run.stderr, "only edited files are listed"
        assert tree(generated) == before, "nothing is written when an edit would be lost"
    assert (generated / "errors.py").read_bytes() == edited


def test_check_names_edited_files(generated: Path, project: Path) -> None:
    _edit(generated / "errors.py")

    run = generate(project, "--check")

    assert run.returncode == 1, run.stderr
    assert f"out/{PACKAGE}/errors.py: edited by hand" in run.stderr
    assert "+++ b/errors.py" in run.stdout


def test_a_file_listed_in_clientgenignore_is_kept(generated: Path, project: Path) -> None:
    edited = _edit(generated / "errors.py")
    (generated / ".clientgenignore").write_text("# our patched errors\nerrors.py\n", encoding="utf-8")

    run = generate(project)

    assert run.returncode == 0, run.stderr
    assert (generated / "errors.py").read_bytes() == edited
    assert "errors.py" not in json.loads((generated / MANIFEST).read_text(encoding="utf-8"))["files"]
    assert generate(project, "--check").returncode == 0
    # A later change to the document leaves it alone too.
    spec = project / "api" / "comms.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("List SenderPools", "List pools"), encoding="utf-8")
    assert generate(project).returncode == 0
    assert (generated / "errors.py").read_bytes() == edited
    # Unlisted again, it is the user's: not overwritten until they move it away.
    (generated / ".clientgenignore").unlink()
    assert_clean_error(generate(project), "errors.py", "Move it away")
    assert (generated / "errors.py").read_bytes() == edited


def test_a_file_kept_in_the_configuration_is_kept(generated: Path, project: Path) -> None:
    edited = _edit(generated / "models" / "sender_pool.py")
    (project / "pyproject.toml").write_text(
        '[tool.clientgen]\nspec = "api/comms.yaml"\noutput = "out"\nkeep = ["models/sender_pool.py"]\n',
        encoding="utf-8",
    )

    run = clientgen(project, "generate")

    assert run.returncode == 0, run.stderr
    assert (generated / "models" / "sender_pool.py").read_bytes() == edited
    assert clientgen(project, "generate", "--check").returncode == 0


def test_discard_edits_regenerates_the_file(generated: Path, project: Path) -> None:
    original = (generated / "errors.py").read_bytes()
    _edit(generated / "errors.py")

    run = generate(project, "--discard-edits")

    assert run.returncode == 0, run.stderr
    assert (generated / "errors.py").read_bytes() == original


def test_an_edited_file_the_document_no_longer_needs_is_not_removed(generated: Path, project: Path) -> None:
    """Removing an operation removes its module, unless the user edited it."""
    document = project / "api" / "bare.yaml"
    shutil.copy(ROOT / "tests" / "cases" / "features" / "spec.yaml", document)
    out = project / "feat"
    assert clientgen(project, "generate", document, "--output", out).returncode == 0
    package = next(p for p in out.iterdir() if not p.name.startswith("."))
    module = package / "resources" / "shapes.py"
    edited = _edit(module)
    text = document.read_text(encoding="utf-8")
    document.write_text(
        text.replace("x-fern-sdk-group-name: shapes", "x-fern-sdk-group-name: figures"), encoding="utf-8"
    )

    run = clientgen(project, "generate", document, "--output", out)

    assert_clean_error(run, "resources/shapes.py")
    assert module.read_bytes() == edited


def test_crlf_line_endings_are_not_an_edit(generated: Path, project: Path) -> None:
    """A checkout that turned LF into CRLF (git's autocrlf) did not edit anything."""
    errors = generated / "errors.py"
    errors.write_bytes(errors.read_bytes().replace(b"\n", b"\r\n"))
    shutil.rmtree(project / "out" / ".clientgen-cache")

    assert generate(project, "--check").returncode == 0
    assert generate(project).returncode == 0


# --------------------------------------------------------------------------------------------
# 3. `--check` answers one question: would regeneration change a file the user commits?


def _fresh_clone(project: Path) -> None:
    """What CI sees: the committed package, without the cache (git ignores it)."""
    cache = project / "out" / ".clientgen-cache"
    assert (cache / ".gitignore").read_text(encoding="utf-8").splitlines()[-1] == "*"
    shutil.rmtree(cache)


def test_a_comment_in_the_document_is_not_stale(generated: Path, project: Path) -> None:
    spec = project / "api" / "comms.yaml"
    spec.write_text(spec.read_text(encoding="utf-8") + "# reviewed 2026-12-01\n", encoding="utf-8")
    for clone in (False, True):
        if clone:
            _fresh_clone(project)
        run = generate(project, "--check")
        assert run.returncode == 0, run.stdout + run.stderr
        assert run.stdout == ""


def test_another_generator_version_with_the_same_output_is_not_stale(generated: Path, project: Path) -> None:
    before = tree(generated)
    for code in (
        "import generator; generator.__version__ = '9.9.9'",
        "import generator.paths as p; p.fingerprint = lambda: '0' * 64",
    ):
        run = clientgen(project, "generate", "api/comms.yaml", "--output", "out", "--check", code=code)
        assert run.returncode == 0, run.stdout + run.stderr
        run = clientgen(project, "generate", "api/comms.yaml", "--output", "out", code=code)
        assert run.returncode == 0, run.stderr
        assert tree(generated) == before


def test_the_diff_shows_code_first_and_no_digests(generated: Path, project: Path) -> None:
    spec = project / "api" / "comms.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("List SenderPools", "List pools"), encoding="utf-8")
    _fresh_clone(project)

    run = generate(project, "--check")

    assert run.returncode == 1
    lines = run.stdout.splitlines()
    assert lines[0] == "--- a/resources/sender_pools.py"
    assert not re.search(r"[0-9a-f]{64}", run.stdout), "a reviewer cannot read digests"
    assert lines[-1].startswith(f"# and {MANIFEST}")


def test_the_package_holds_no_cache_data(generated: Path) -> None:
    manifest = json.loads((generated / MANIFEST).read_text(encoding="utf-8"))
    assert set(manifest) == {"about", "api", "files", "generator"}
    assert manifest["generator"] == "clientgen"
    for path, digest in manifest["files"].items():
        assert hashlib.sha256((generated / path).read_bytes()).hexdigest() == digest, path
    from generator import __version__

    for file in generated.rglob("*.py"):
        head = file.read_text(encoding="utf-8").splitlines()[:2]
        assert __version__ not in "".join(head) and "SHA" not in "".join(head), file


# --------------------------------------------------------------------------------------------
# 5. Configuration and names


def _configure(project: Path, table: str) -> None:
    (project / "pyproject.toml").write_text(
        '[project]\nname = "app"\n\n[tool.clientgen]\nspec = "api/comms.yaml"\n' + table, encoding="utf-8"
    )


def test_an_unknown_key_is_an_error_with_a_suggestion(project: Path) -> None:
    _configure(project, 'outptu = "g"\n')

    run = clientgen(project, "generate")

    assert_clean_error(
        run, "pyproject.toml:6: error: [tool.clientgen] has an unknown key 'outptu'; did you mean 'output'?"
    )
    assert not (project / "g").exists() and not (project / "generated").exists()


def test_every_configuration_problem_names_its_line(project: Path) -> None:
    (project / "pyproject.toml").write_text(
        "[tool.clientgen]\n"
        "[[tool.clientgen.targets]]\n"
        'spec = "api/comms.yaml"\n'
        'lenient = "yes"\n'
        "[[tool.clientgen.targets]]\n"
        'spec = "api/comms.yaml"\n'
        'package = "json"\n'
        "pakage = 'x'\n",
        encoding="utf-8",
    )

    run = clientgen(project, "generate")

    assert_clean_error(run)
    assert run.stderr.splitlines() == [
        "pyproject.toml:4: error: [[tool.clientgen.targets]] #1 lenient must be true or false",
        "pyproject.toml:8: error: [[tool.clientgen.targets]] #2 has an unknown key 'pakage'; did you mean 'package'?",
        "pyproject.toml:7: error: package 'json' would shadow the standard library's module of that name",
    ]


def test_no_message_is_prefixed_none(project: Path) -> None:
    for table in ("", 'output = "out"\n'):
        (project / "pyproject.toml").write_text(
            "[project]\nname = 'x'\n" + (f"[tool.clientgen]\n{table}" if table else "")
        )
        run = clientgen(project, "generate")
        assert_clean_error(run, "pyproject.toml")
        assert not run.stderr.startswith("None"), run.stderr
    (project / "pyproject.toml").write_text("[tool.clientgen\n", encoding="utf-8")
    assert_clean_error(clientgen(project, "generate"), "pyproject.toml: error: not valid TOML")


@pytest.mark.parametrize(
    "name, reason",
    [
        ("class", "is a Python keyword"),
        ("match", "is a Python keyword"),
        ("json", "standard library"),
        ("httpx", "depends on"),
        ("my-client", "not a Python identifier"),
    ],
)
def test_package_names_that_cannot_be_imported_are_refused(project: Path, name: str, reason: str) -> None:
    run = generate(project, "--package", name)
    assert_clean_error(run, "argument --package", f"'{name}'", reason)
    assert not (project / "out").exists()


def test_a_title_that_would_shadow_a_module_gets_another_default_name(project: Path) -> None:
    spec = project / "api" / "comms.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("title: Comms API", "title: Email"), encoding="utf-8")
    assert "title: Email" in spec.read_text(encoding="utf-8")

    run = generate(project)

    assert run.returncode == 0, run.stderr
    assert (project / "out" / "email_client" / "__init__.py").is_file()


def test_a_package_from_an_earlier_version_upgrades_and_its_edits_are_seen(generated: Path, project: Path) -> None:
    """Earlier versions listed the files and their digests apart, beside cache data; such a package
    regenerates, and a file edited since is still told from the generator's."""
    manifest = json.loads((generated / MANIFEST).read_text(encoding="utf-8"))
    old_style = {
        "generator": "clientgen 0.1.0",
        "source_sha256": "0" * 64,
        "files": sorted(manifest["files"]),
        "digests": manifest["files"],
        "api": manifest["api"],
    }
    (generated / MANIFEST).write_text(json.dumps(old_style), encoding="utf-8")
    shutil.rmtree(project / "out" / ".clientgen-cache")
    edited = _edit(generated / "errors.py")

    assert_clean_error(generate(project), "errors.py")
    assert (generated / "errors.py").read_bytes() == edited
    run = generate(project, "--discard-edits")
    assert run.returncode == 0, run.stderr
    assert json.loads((generated / MANIFEST).read_text(encoding="utf-8")) == manifest
