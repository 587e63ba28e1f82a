"""Stage 7, write: the only stage that touches the output folder.

Contract:
- `write_tree(files, target)` makes `target` hold exactly `files` plus the files in it that the
  generator did not write. The new tree is assembled beside the old one and swapped in with two
  renames, so an interrupted run leaves the previous tree whole (and the next run finishes the
  swap). Files whose content did not change are carried over with their timestamps.
- Ownership: the generator records the files it wrote in a manifest (`MANIFEST`) inside the
  package. It never deletes or overwrites a file that is not in the manifest; it stops with
  `OwnershipError` naming the file instead. A folder that has no manifest but has content is not
  ours, and is left alone.
- Symbolic links are never followed out of the folder: a user's link is carried over as a link,
  a package folder that is itself a link is refused, and leftovers of an interrupted run that
  turn out to be links are unlinked, never emptied.
- `diff_tree(files, target)` writes nothing and returns a unified diff of what would change.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import __version__
from .paths import fingerprint

MANIFEST = ".clientgen-manifest.json"


class OwnershipError(Exception):
    """Writing would destroy a file the generator did not write."""


def with_manifest(
    files: dict[str, str],
    source_sha256: str,
    api: dict[str, Any],
    unformatted: dict[str, str] | None = None,
    *,
    validated: bool = False,
    inputs: dict[str, Any] | None = None,
    rendered: dict[str, str] | None = None,
    carried: dict[str, str] | None = None,
) -> dict[str, str]:
    """`files` plus the manifest that lists them, with the public API they make (see `diff`).

    `unformatted` maps each formatted file to the text it was formatted from; the manifest keeps
    both digests, so that the next run can reuse a file whose unformatted text has not changed
    instead of formatting it again (see `formatted_before`). `validated` records that the document
    passed strict validation (see `validated_before`). `carried` holds the entries of files taken
    whole from the last run (see `rendered_before`), as that run recorded them, so that the
    manifest is the same as a run from scratch would write. `inputs` (see `inputs_of`) and a digest
    of every file let a run with the same inputs see that there is nothing to do (see
    `unchanged_package`).
    """
    manifest = {
        "generator": f"clientgen {__version__}",
        "source_sha256": source_sha256,
        "validated": "strict" if validated else "lenient",
        "files": sorted(files),
        "formatted": dict(
            sorted(
                {
                    **{path: f"{_sha256(text)} {_sha256(files[path])}" for path, text in (unformatted or {}).items()},
                    **(carried or {}),
                }.items()
            )
        ),
        "api": api,
        "inputs": inputs,
        "digests": {path: _sha256(text) for path, text in sorted(files.items())},
        "rendered": dict(sorted((rendered or {}).items())),
    }
    return {**files, MANIFEST: json.dumps(manifest, indent=1, sort_keys=True) + "\n"}


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def generation_options(
    package: str | None, lenient: bool, allow_remote: bool, allow_outside: bool, client_pyproject: bool
) -> dict[str, object]:
    """The options that change what a generation gives (recorded in the manifest)."""
    return {
        "package": package,
        "lenient": lenient,
        "allow_remote_refs": allow_remote,
        "allow_outside_refs": allow_outside,
        "client_pyproject": client_pyproject,
    }


def inputs_of(documents: dict[str, Path | None], options: dict[str, Any]) -> dict[str, Any]:
    """What a generation depends on: the SHA-256 of each document read (by its name relative to
    the root document's folder; a remote one is marked unknown), the options given, and the
    generator's own fingerprint (its code, templates and runtime, and black's version)."""
    return {
        "documents": {name: _file_sha256(path) if path is not None else None for name, path in documents.items()},
        "options": options,
        "generator": fingerprint(),
    }


def _file_sha256(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def unchanged_package(output: Path, spec: Path, options: dict[str, Any]) -> tuple[Path, int] | None:
    """The package under `output` that this version of the generator wrote from `spec` and the
    documents it refers to, as they are now, with the same `options`, and that still holds exactly
    those files; with how many files it has. None if there is none: then the run must be made.

    Only file digests are compared, so this costs a read of the documents and of the package."""
    documents_now: dict[str, str | None] = {}
    for manifest_file in sorted(output.glob(f"*/{MANIFEST}")):
        target = manifest_file.parent
        if (
            not target.name.isidentifier()  # not a package: a staging folder of an interrupted run
            or target.is_symlink()
            or any(os.path.lexists(p) for p in _staging(target))
        ):
            continue  # an interrupted run's leftovers: a real run finishes or clears them
        manifest = read_manifest(target)
        inputs = manifest.get("inputs")
        digests = manifest.get("digests")
        if (
            manifest.get("generator") != f"clientgen {__version__}"
            or not isinstance(inputs, dict)
            or inputs.get("options") != options
            or inputs.get("generator") != fingerprint()
            or not isinstance(inputs.get("documents"), dict)
            or spec.name not in inputs["documents"]
            or not isinstance(digests, dict)
            or sorted(digests) != sorted(set(manifest.get("files") or ()) - {MANIFEST})
        ):
            continue
        recorded: dict[str, Any] = inputs["documents"]
        for name in recorded:
            if name not in documents_now:
                documents_now[name] = _file_sha256(spec.parent / name)
        if any(digest is None or documents_now[name] != digest for name, digest in recorded.items()):
            continue
        if all(not (target / path).is_symlink() and _file_sha256(target / path) == d for path, d in digests.items()):
            return target, len(digests) + 1
    return None


def _staging(target: Path) -> tuple[Path, Path]:
    """Where a run assembles the new tree, and where the old one waits during the swap."""
    return target.with_name(f".{target.name}.clientgen-new"), target.with_name(f".{target.name}.clientgen-old")


def rendered_before(target: Path, manifest: dict[str, Any] | None = None) -> Callable[[str, str], str | None]:
    """A `render.Reuse` for the package in `target` (whose manifest the caller may have read): a
    module the last run (of this generator version) rendered from the same digest, and that is
    still as written, is taken from the disk."""
    manifest = read_manifest(target) if manifest is None else manifest
    recorded = manifest.get("rendered")
    digests = manifest.get("digests")
    if (
        manifest.get("generator") != f"clientgen {__version__}"
        or not isinstance(recorded, dict)
        or not isinstance(digests, dict)
        or target.is_symlink()
    ):
        return lambda path, digest: None

    def reuse(path: str, digest: str) -> str | None:
        return _as_written(target / path, digests.get(path)) if recorded.get(path) == digest else None

    return reuse


def _as_written(file: Path, digest: object) -> str | None:
    """`file`'s text if it is still what the last run wrote (its SHA-256 is `digest`), else None."""
    if file.is_symlink():
        return None
    try:
        data = file.read_bytes()
    except OSError:
        return None
    if hashlib.sha256(data).hexdigest() != digest:
        return None
    try:
        return data.decode("utf-8")
    except ValueError:
        return None


def read_manifest(target: Path) -> dict[str, Any]:
    """`target`'s manifest, or {} when it has none (or one that is not a JSON object)."""
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def validated_before(target: Path, document_sha256: str) -> bool:
    """Whether this version of the generator validated this very document strictly, the last
    time it generated `target`: the answer would be the same, and validation is the longest
    stage of a run that changes nothing."""
    manifest = read_manifest(target)
    return (
        manifest.get("generator") == f"clientgen {__version__}"
        and manifest.get("validated") == "strict"
        and manifest.get("source_sha256") == document_sha256
    )


def formatted_before(target: Path, manifest: dict[str, Any] | None = None) -> Callable[[str, str], str | None]:
    """What `target` holds for a file, if the last run formatted it from the same text and the
    file is still as that run wrote it; else None. Formatting is most of a run's time, and a
    document edit changes few files. (`manifest`: `target`'s, if the caller has read it.)"""
    manifest = read_manifest(target) if manifest is None else manifest
    formatted = manifest.get("formatted")
    if manifest.get("generator") != f"clientgen {__version__}" or not isinstance(formatted, dict):
        return lambda path, text: None  # another generator version may format differently
    recorded = {path: str(pair).split() for path, pair in formatted.items()}

    def reuse(path: str, text: str) -> str | None:
        digests = recorded.get(path)
        if not digests or len(digests) != 2 or digests[0] != _sha256(text):
            return None
        return _as_written(target / path, digests[1])

    return reuse


def recorded_api(target: Path) -> dict[str, Any] | None:
    """The public API recorded in `target`'s manifest, if it has one."""
    api = read_manifest(target).get("api")
    return api if isinstance(api, dict) else None


def owned_files(target: Path) -> set[str]:
    """The files the generator wrote into `target`, from its manifest (empty if there is none)."""
    try:
        return {*read_manifest(target)["files"], MANIFEST}
    except (KeyError, TypeError):
        return set()


def write_tree(files: dict[str, str], target: Path) -> tuple[int, int, int]:
    """Make `target` hold `files`; return how many files were written, unchanged and removed."""
    staging, retired = _staging(target)
    if target.is_symlink():
        raise OwnershipError(
            f"{target} is a symbolic link; the generator replaces the whole folder, so give the folder it"
            f" points to ({target.resolve()}) instead"
        )
    _recover(target, staging, retired)
    owned = owned_files(target)
    existing = _list_files(target)
    if existing and not owned:
        raise OwnershipError(
            f"{target} exists and was not written by clientgen (it has no {MANIFEST}); choose another output folder"
        )
    foreign = existing - owned
    for path in sorted(foreign & set(files)):
        raise OwnershipError(f"{target / path} was not written by clientgen; move it away, then regenerate")
    staging.mkdir(parents=True)
    written = unchanged = 0
    for path, content in files.items():
        destination = staging / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        old = target / path
        data = content.encode("utf-8")
        if path in owned and old.is_file() and old.read_bytes() == data:
            shutil.copy2(old, destination)
            unchanged += 1
        else:
            destination.write_bytes(data)
            written += 1
    for path in foreign:
        destination = staging / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target / path, destination, follow_symlinks=False)  # a link stays a link
    removed = len((owned & existing) - set(files))
    if target.exists():
        os.replace(target, retired)
    os.replace(staging, target)
    shutil.rmtree(retired, ignore_errors=True)
    return written, unchanged, removed


def diff_tree(files: dict[str, str], target: Path) -> str:
    """A unified diff from what `target` holds to `files` ("" when they match)."""
    owned = owned_files(target) & _list_files(target)
    chunks: list[str] = []
    for path in sorted(set(files) | owned):
        old_path = target / path
        old = old_path.read_text(encoding="utf-8") if path in owned else ""
        new = files.get(path, "")
        if old != new or (path in files) != (path in owned):
            chunks.extend(
                difflib.unified_diff(
                    old.splitlines(keepends=True),
                    new.splitlines(keepends=True),
                    fromfile=f"a/{path}" if path in owned else "/dev/null",
                    tofile=f"b/{path}" if path in files else "/dev/null",
                )
            )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in chunks)


def _recover(target: Path, staging: Path, retired: Path) -> None:
    """Finish or undo a swap that an earlier run did not complete."""
    if retired.is_dir() and not retired.is_symlink() and not target.exists():
        os.replace(retired, target)
    for leftover in (staging, retired):
        if leftover.is_symlink() or leftover.is_file():
            leftover.unlink()  # not ours to follow: whatever it points to stays
        else:
            shutil.rmtree(leftover, ignore_errors=True)


def _list_files(root: Path) -> set[str]:
    if not root.is_dir():
        return set()
    return {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() or p.is_symlink()}
