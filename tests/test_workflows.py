"""The ways users run the generator: configured in pyproject.toml, vendored under another name,
and as a pre-commit hook."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml
from pytest_httpserver import HTTPServer

from generator.write import MANIFEST

from .conftest import GENERATED, ROOT, SPEC, black_bound_document


def test_configured_targets_generate_with_no_arguments(tmp_path: Path) -> None:
    shutil.copy(SPEC, tmp_path / "comms.yaml")
    shutil.copy(ROOT / "tests" / "cases" / "bare" / "spec.yaml", tmp_path / "bare.yaml")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.clientgen]\n[[tool.clientgen.targets]]\nspec = "comms.yaml"\noutput = "clients"\n'
        '[[tool.clientgen.targets]]\nspec = "bare.yaml"\noutput = "clients"\npackage = "bare"\n',
        encoding="utf-8",
    )
    run = subprocess.run([sys.executable, "-m", "generator", "generate"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert (tmp_path / "clients" / "comms_api" / "_client.py").is_file()
    assert (tmp_path / "clients" / "bare" / "_client.py").is_file()
    check = subprocess.run(
        [sys.executable, "-m", "generator", "generate", "--check"], cwd=tmp_path, capture_output=True, text=True
    )
    assert check.returncode == 0, check.stderr


def test_missing_configuration_is_a_clear_error(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "generator", "generate"], cwd=tmp_path, capture_output=True, text=True)
    assert run.returncode == 2
    assert "has no [tool.clientgen] table" in run.stderr and "Traceback" not in run.stderr


def test_vendored_copy_under_another_name_works(tmp_path: Path, httpserver: HTTPServer) -> None:
    """Copied into another project under another folder name, the client imports and calls."""
    shutil.copytree(
        GENERATED / "comms_api", tmp_path / "third_party_comms", ignore=shutil.ignore_patterns("__pycache__")
    )
    httpserver.expect_request("/v1/SenderPools/p1", method="PATCH", json={"tags": {"tier": "1"}}).respond_with_json(
        {"resourceId": "p1", "resourceLocation": "https://x/p1"}, status=202
    )
    script = (
        "import third_party_comms as comms\n"
        f"client = comms.Client(account_id='a', auth_token='b', base_url={httpserver.url_for('/')!r})\n"
        "print(client.sender_pools.update('p1', tags={'tier': '1'}).body.resource_id)\n"
    )
    run = subprocess.run([sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True)
    assert (run.returncode, run.stdout.strip()) == (0, "p1"), run.stderr


@pytest.mark.parametrize(("edit", "code"), [(False, 0), (True, 1)])
def test_pre_commit_hook_definition_runs(tmp_path: Path, edit: bool, code: int) -> None:
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    assert hook["id"] == "clientgen-check" and hook["pass_filenames"] is False
    shutil.copytree(GENERATED, tmp_path / "generated", ignore=shutil.ignore_patterns("__pycache__"))
    if edit:
        (tmp_path / "generated" / "comms_api" / "_version.py").write_text("__version__ = 'edited'\n", encoding="utf-8")
    entry = shlex.split(hook["entry"])
    script = Path(sys.executable).parent / entry[0]  # the console script pip installed
    command = [
        str(script) if script.exists() else entry[0],
        *entry[1:],
        str(SPEC),
        "--output",
        str(tmp_path / "generated"),
    ]
    run = subprocess.run(command, capture_output=True, text=True)
    assert run.returncode == code, run.stderr


def _generate(tmp_path: Path, *flags: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "generator", "generate", str(SPEC), "--output", str(tmp_path / "out"), *flags]
    return subprocess.run(command, capture_output=True, text=True)


def test_piped_output_is_one_summary_line(tmp_path: Path) -> None:
    run = _generate(tmp_path)
    assert run.returncode == 0 and run.stdout == ""
    (line,) = run.stderr.splitlines()
    assert line.endswith("s") and "written" in line and "\r" not in run.stderr


def test_the_command_says_all_it_has_to_say_through_a_pipe_before_it_leaves(tmp_path: Path) -> None:
    """The command leaves without the interpreter's clean-up (`cli.run`): a `--check` diff far
    larger than a pipe holds still arrives whole, and the exit status is the check's."""
    features = ROOT / "tests" / "cases" / "features" / "spec.yaml"
    command = [sys.executable, "-m", "generator", "generate"]
    buffered = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    made = subprocess.run([*command, features, "--output", tmp_path, "--package", "comms_api"], capture_output=True)
    assert made.returncode == 0, made.stderr
    check = subprocess.run(
        [*command, SPEC, "--output", tmp_path, "--check"], capture_output=True, text=True, env=buffered
    )
    assert check.returncode == 1
    assert len(check.stdout) > 100_000  # one client's files become the other's: far more than a pipe holds
    expected = subprocess.run(
        [sys.executable, "-c", "import sys; from generator.cli import main; sys.exit(main(sys.argv[1:]))",
         "generate", SPEC, "--output", tmp_path, "--check"],
        capture_output=True, text=True, env=buffered,
    )  # fmt: skip
    assert (check.stdout, check.stderr) == (expected.stdout, expected.stderr)
    version = subprocess.run(
        [sys.executable, "-m", "generator", "--version"], capture_output=True, text=True, env=buffered
    )
    assert version.returncode == 0 and version.stdout.startswith("clientgen ")  # a short text, still in a buffer


def test_quiet_prints_nothing_and_verbose_prints_each_stage(tmp_path: Path) -> None:
    assert _generate(tmp_path, "--quiet").stderr == ""
    (tmp_path / "out").rename(tmp_path / "before")
    stages = [line.split()[1] for line in _generate(tmp_path, "--verbose").stderr.splitlines()[:-1]]
    assert stages == ["compare", "load", "validate", "build", "render", "format", "verdict", "write"]
    # Again: the documents, options and files are as the last run left them, so that is all it does.
    stages = [line.split()[1] for line in _generate(tmp_path, "--verbose").stderr.splitlines()[:-1]]
    assert stages == ["compare"]


def test_a_terminal_sees_progress(tmp_path: Path) -> None:
    import os
    import pty

    leader, follower = pty.openpty()
    # A client with a file for black, so that the formatting stage counts files.
    spec = black_bound_document(tmp_path / "doc")
    command = [sys.executable, "-m", "generator", "generate", str(spec), "--output", str(tmp_path / "out")]
    process = subprocess.Popen(command, stderr=follower, stdout=subprocess.DEVNULL)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    assert process.wait() == 0
    text = seen.decode()
    assert "clientgen: format 1/" in text and "\r" in text and "written" in text


@pytest.mark.slow
def test_client_pyproject_makes_the_package_installable(tmp_path: Path) -> None:
    """The folder installs as its README says, from a wheel holding the generated files under the
    package's name; the build leaves nothing in the folder; the package imports from elsewhere."""
    run = _generate(tmp_path, "--client-pyproject")
    assert run.returncode == 0, run.stderr
    package = tmp_path / "out" / "comms_api"
    readme = (package / "README.md").read_text(encoding="utf-8")
    assert "pip install path/to/comms_api\n" in readme and "from comms_api import Client\n" in readme
    before = _listing(package)
    # Without an index to fetch hatchling from, pip builds with the one installed here (the test extra).
    online = _pip_can_fetch(tmp_path / "probe", "hatchling>=1.19")
    isolation = [] if online else ["--no-build-isolation"]

    wheels = tmp_path / "wheels"
    build = _pip(sys.executable, "wheel", "--no-deps", *isolation, "-w", str(wheels), str(package))
    assert build.returncode == 0, build.stderr
    (wheel,) = wheels.glob("comms_api-1.0.0-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = archive.read("comms_api-1.0.0.dist-info/METADATA").decode()
    shipped = {path for path in before if path not in {"pyproject.toml", MANIFEST}} - _folders(before)
    assert {name for name in names if ".dist-info/" not in name} == {f"comms_api/{path}" for path in shipped}
    assert {"comms_api/py.typed", "comms_api/README.md", "comms_api/models/sender_pool.py"} <= names
    assert "Requires-Dist: httpx" in metadata and "Description-Content-Type: text/markdown" in metadata
    assert metadata.endswith(readme)

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    script = "import comms_api; comms_api.Client; print(comms_api.__file__)"
    if online:
        # As a user does: a fresh environment, pip fetching hatchling and httpx.
        subprocess.run([sys.executable, "-m", "venv", str(tmp_path / "venv")], check=True)
        python = str(tmp_path / "venv" / "bin" / "python")
        env = {name: value for name, value in os.environ.items() if name != "PYTHONPATH"}
        install = _pip(python, "install", str(package), env=env)
        assert install.returncode == 0, install.stderr
        imported = subprocess.run([python, "-B", "-c", script], cwd=elsewhere, env=env, capture_output=True, text=True)
        assert imported.returncode == 0, imported.stderr
        assert Path(imported.stdout.strip()).is_relative_to(tmp_path / "venv")
        editable = _pip(python, "install", "-e", str(package), env=env)
        assert editable.returncode == 0, editable.stderr
        imported = subprocess.run([python, "-B", "-c", script], cwd=elsewhere, env=env, capture_output=True, text=True)
        assert imported.returncode == 0, imported.stderr
        assert Path(imported.stdout.strip()) == package / "__init__.py"
    else:
        site = tmp_path / "site"
        install = _pip(
            sys.executable, "install", *isolation, "--no-deps", "--no-index", "--target", str(site), str(package)
        )
        assert install.returncode == 0, install.stderr
        env = {**os.environ, "PYTHONPATH": str(site)}
        imported = subprocess.run(
            [sys.executable, "-B", "-c", script], cwd=elsewhere, env=env, capture_output=True, text=True
        )
        assert imported.returncode == 0, imported.stderr
        assert Path(imported.stdout.strip()) == site / "comms_api" / "__init__.py"
    assert _listing(package) == before  # no build/, *.egg-info or dist/ beside the modules


def _pip(python: str, *arguments: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([python, "-m", "pip", *arguments, "--quiet"], env=env, capture_output=True, text=True)


def _pip_can_fetch(folder: Path, requirement: str) -> bool:
    return _pip(sys.executable, "download", "--no-deps", "-d", str(folder), requirement).returncode == 0


def _listing(folder: Path) -> set[str]:
    """Every path under `folder`, relative to it, folders included."""
    return {path.relative_to(folder).as_posix() for path in folder.rglob("*")}


def _folders(paths: set[str]) -> set[str]:
    return {path.rsplit("/", 1)[0] for path in paths if "/" in path}
