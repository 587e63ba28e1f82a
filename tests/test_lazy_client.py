"""A generated client pays at import only for what the caller touches, and loses nothing for it.

Importing the package and making a `Client` imports no model and no resource module (nor asyncio,
nor httpx's transport); a resource's module is imported the first time the resource is used, a
model's when it is first named or decoded. Every name is still there: from the package root, from
`models`, in `dir()`, for mypy --strict; models still behave as the dataclasses they stand for;
and a copy of the package vendored under another name works as the original does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pytest_httpserver import HTTPServer

from .conftest import CASES, GENERATED, ROOT

PACKAGES = [GENERATED / "comms_api"] + sorted(p for p in CASES.glob("*/expected/*") if p.is_dir())


def run_python(code: str, path: Path) -> str:
    """`code` run by a fresh interpreter with `path` on its import path; its output."""
    env = {**os.environ, "PYTHONPATH": str(path)}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], cwd=path, env=env, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("package", PACKAGES, ids=lambda p: p.name)
def test_importing_the_package_and_making_a_client_imports_no_model_or_resource(package: Path) -> None:
    name = package.name
    out = run_python(
        f"""
        import json, sys
        import {name}
        {name}.Client(base_url="https://api.example.invalid")
        {name}.AsyncClient(base_url="https://api.example.invalid")
        loaded = sorted(m for m in sys.modules if m.startswith("{name}."))
        print(json.dumps({{"loaded": loaded, "others": [m for m in ("asyncio", "httpcore") if m in sys.modules]}}))
        """,
        package.parent,
    )
    found = json.loads(out)
    assert [m for m in found["loaded"] if m.startswith((f"{name}.models", f"{name}.resources"))] == []
    assert found["others"] == []


def test_a_resource_is_imported_when_first_used_and_its_models_when_decoded(
    httpserver: HTTPServer,
) -> None:
    from .test_comms_client import ACCOUNT_CREDENTIALS, POOL_ID, POOL_PATH, SENDER_POOL

    httpserver.expect_request(POOL_PATH, method="GET").respond_with_json(SENDER_POOL)
    out = run_python(
        f"""
        import json, sys
        import comms_api

        def loaded():
            return sorted(m for m in sys.modules if m.startswith(("comms_api.models", "comms_api.resources")))

        client = comms_api.Client(base_url={httpserver.url_for("/")!r}, **{ACCOUNT_CREDENTIALS!r})
        steps = [loaded()]
        resource = client.sender_pools
        steps.append(loaded())
        pool = resource.get({POOL_ID!r})
        steps.append(loaded())
        print(json.dumps({{"steps": steps, "pool": type(pool).__name__, "same": client.sender_pools is resource}}))
        """,
        GENERATED,
    )
    found = json.loads(out)
    nothing, resource, called = found["steps"]
    assert nothing == []
    assert resource == ["comms_api.resources", "comms_api.resources.sender_pools"]
    assert "comms_api.models.sender_pool" in called
    assert "comms_api.models.error" not in called  # imported when an error is decoded, not before
    assert "comms_api.models.sender_page" not in called  # a model no call has used yet
    assert found["pool"] == "SenderPool" and found["same"]


def test_a_model_module_imports_the_models_it_refers_to_when_first_used() -> None:
    """Importing a model module imports no other model module; decoding imports those its data
    holds, and the module's global is then the real class; a name not yet used answers
    `isinstance` and `|` as the class does."""
    out = run_python(
        """
        import json, sys
        from bookshop.models import book

        def loaded():
            return sorted(m.rpartition(".")[2] for m in sys.modules if m.startswith("bookshop.models."))

        steps = [loaded()]
        pending = repr(book.Rating)
        found = book.Book.from_dict({"id": "b1", "title": "T", "genre": "poetry"})
        steps.append(loaded())
        from bookshop.models.genre import Genre
        from bookshop.models.sourced_keyword import SourcedKeyword

        union = book.SourcedKeyword | None  # before its first use
        print(json.dumps({
            "steps": steps,
            "genre": found.genre is Genre.POETRY,
            "real": book.Genre is Genre and book.SourcedKeyword is SourcedKeyword,
            "isinstance": [isinstance(3, book.Rating), isinstance(Genre.DRAMA, Genre)],
            "union": union == (SourcedKeyword | None),
            "pending": pending,
            "round_trip": found.to_dict(),
        }))
        """,
        CASES / "enums" / "expected",
    )
    found = json.loads(out)
    imported, decoded = found["steps"]
    assert imported == ["book"]
    assert decoded == ["book", "genre"]  # neither rating nor sourced_keyword: the data held none
    assert found["genre"] and found["real"] and found["union"]
    assert found["isinstance"] == [False, True]
    assert found["pending"] == "<Rating from bookshop.models.rating, not imported yet>"
    assert found["round_trip"] == {"id": "b1", "title": "T", "genre": "poetry"}


def test_the_clients_own_operations_are_imported_when_one_is_first_used() -> None:
    package = CASES / "features" / "expected" / "feature_zoo"
    out = run_python(
        """
        import inspect, json, sys
        import feature_zoo
        client = feature_zoo.Client(base_url="https://api.example.invalid")
        module = "feature_zoo.resources._client_operations"
        before = module not in sys.modules
        name = feature_zoo._client._OPERATIONS[1]
        listed = name in dir(feature_zoo.Client)
        method = getattr(client, name)
        print(json.dumps({
            "before": before and listed,
            "after": module in sys.modules,
            "bound": inspect.ismethod(method) and method.__self__ is client,
            "raw": type(client.with_raw_response).__name__,
        }))
        """,
        package.parent,
    )
    found = json.loads(out)
    assert found == {"before": True, "after": True, "bound": True, "raw": "_ClientOperationsWithRawResponse"}


def test_every_name_is_offered_from_the_root_and_from_models() -> None:
    out = run_python(
        """
        import json
        import comms_api
        from comms_api import Client, NotFoundError, SenderPool, SenderStatusValue, __version__
        from comms_api.models import SenderPool as FromModels, Tags
        import comms_api.models as models

        try:
            comms_api.NoSuchName
        except AttributeError as exc:
            missing = str(exc)
        print(json.dumps({
            "same": SenderPool is FromModels is models.sender_pool.SenderPool,
            "root_dir": sorted(set(comms_api.__all__) - set(dir(comms_api))),
            "models_dir": sorted(set(models.__all__) - set(dir(models))),
            "errors": comms_api.errors.NotFoundError is NotFoundError,
            "missing": missing,
            "star": len(__import__("comms_api", fromlist=["*"]).__all__),
        }))
        """,
        GENERATED,
    )
    found = json.loads(out)
    assert found["same"] and found["errors"]
    assert found["root_dir"] == [] and found["models_dir"] == []
    assert found["missing"] == "module 'comms_api' has no attribute 'NoSuchName'"


def test_models_behave_as_the_dataclasses_they_stand_for(comms_api: object) -> None:
    import dataclasses

    from comms_api._validation import ModelRule, Rule  # type: ignore[import-not-found]
    from comms_api.models import SenderPool, SenderReference  # type: ignore[import-not-found]

    pool = SenderPool(id="p", name="n", tags={}, created_at=None, updated_at=None)
    assert [f.name for f in dataclasses.fields(pool)] == [
        "id",
        "name",
        "tags",
        "created_at",
        "updated_at",
        "additional_properties",
    ]
    assert dataclasses.fields(pool)[-1].default_factory is dict
    assert dataclasses.is_dataclass(type(pool))
    renamed = dataclasses.replace(pool, name="m")
    assert renamed.name == "m" and renamed.id == "p" and renamed != pool
    assert dataclasses.replace(pool) == pool and pool != "p"
    assert dataclasses.asdict(pool)["additional_properties"] == {}
    assert repr(pool) == "SenderPool(id='p', name='n', tags={}, created_at=None, updated_at=None)"
    with pytest.raises(TypeError):
        hash(pool)
    with pytest.raises(AttributeError):
        pool.extra = 1  # slots: no attribute besides the fields
    with pytest.raises(TypeError):
        SenderPool("p")  # keyword-only
    # A rule is made the first time it is read, then kept.
    assert isinstance(SenderReference.__dict__["_RULE"], (ModelRule, Rule))
    rule = SenderReference._RULE
    assert isinstance(rule, Rule) and SenderReference._RULE is rule and SenderReference.__dict__["_RULE"] is rule


def test_a_vendored_copy_under_another_name_works(tmp_path: Path, httpserver: HTTPServer) -> None:
    from .test_comms_client import ACCOUNT_CREDENTIALS, POOL_ID, POOL_PATH, SENDER_POOL

    vendor = tmp_path / "app" / "thirdparty"
    shutil.copytree(GENERATED / "comms_api", vendor / "comms", ignore=shutil.ignore_patterns("__pycache__"))
    (vendor / "__init__.py").write_text("", encoding="utf-8")
    httpserver.expect_request(POOL_PATH, method="GET").respond_with_json(SENDER_POOL)
    out = run_python(
        f"""
        import json, sys
        from thirdparty.comms import Client, NotFoundError, SenderPool
        from thirdparty.comms.models import Tags
        import thirdparty.comms as comms

        client = Client(base_url={httpserver.url_for("/")!r}, **{ACCOUNT_CREDENTIALS!r})
        pool = client.sender_pools.get({POOL_ID!r})
        print(json.dumps({{
            "pool": isinstance(pool, SenderPool) and pool.id == {POOL_ID!r},
            "original": any(m == "comms_api" or m.startswith("comms_api.") for m in sys.modules),
            "dir": "SenderPool" in dir(comms),
        }}))
        """,
        tmp_path / "app",
    )
    assert json.loads(out) == {"pool": True, "original": False, "dir": True}


def test_mypy_sees_every_name_and_no_other(tmp_path: Path) -> None:
    usage = tmp_path / "usage.py"
    usage.write_text(
        textwrap.dedent("""
            from __future__ import annotations

            import datetime

            import comms_api
            from comms_api import AsyncClient, Client, NotFoundError, SenderPool, SenderStatusValue
            from comms_api.models import SenderReference, Tags
            from comms_api.resources import SenderPools


            def use(client: Client, status: SenderStatusValue) -> comms_api.SenderPool:
                pools: SenderPools = client.sender_pools
                tags: Tags = {"tier": "1"}
                reference = comms_api.models.SenderReference(sender_id="s")
                assert isinstance(reference, SenderReference)
                try:
                    return pools.get("p")
                except NotFoundError:
                    now = datetime.datetime.now(datetime.timezone.utc)
                    return SenderPool(id="p", name="n", tags=tags, created_at=now, updated_at=now)


            async def use_async(client: AsyncClient) -> str:
                return (await client.sender_pools.get("p")).name
            """),
        encoding="utf-8",
    )
    wrong = tmp_path / "wrong.py"
    wrong.write_text("import comms_api\n\ncomms_api.SenderPol\ncomms_api.models.Tagz\n", encoding="utf-8")

    def mypy(path: Path) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--cache-dir"]
        command += [str(ROOT / ".mypy_cache"), str(path)]
        env = {**os.environ, "MYPYPATH": str(GENERATED)}
        return subprocess.run(command, cwd=GENERATED, env=env, capture_output=True, text=True)

    good = mypy(usage)
    assert good.returncode == 0, good.stdout + good.stderr
    bad = mypy(wrong)
    assert 'Module has no attribute "SenderPol"' in bad.stdout, bad.stdout
    assert 'Module has no attribute "Tagz"' in bad.stdout, bad.stdout
