"""The regeneration cache: what lets a run skip work the last run already did.

Contract: nothing here changes what a run generates, only how fast. The cache is a JSON file per
package, `DIR/.clientgen-cache/NAME.json`, beside the package and never inside it, so it is neither
vendored with the package nor compared by `generate --check`; the folder carries a `.gitignore`
of its own so that it is not committed either. A missing, unreadable or foreign cache only makes
a run do everything again.

A record holds the digest of every document the run read, the options, the generator's version
and fingerprint (its code, templates and runtime), whether the document passed strict validation,
for each module the digest of what rendered it and of the text black was given, each operation's
parts of its resource module by the digest of what rendered them (`render.OperationText`), and the
digest of every file written. Every reuse checks that the file on disk still has the digest the record
gives it, so a file edited since is never taken for the generator's.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from . import __version__
from .paths import fingerprint

CACHE_DIR = ".clientgen-cache"
_GITIGNORE = "# The regeneration cache of clientgen: not to be committed.\n*\n"


def sha256(data: bytes) -> str:
    """The digest the cache and the manifest give a file: line endings are read as LF, so that a
    checkout that turned them into CRLF (git's autocrlf) is not taken for an edit."""
    return hashlib.sha256(data.replace(b"\r\n", b"\n")).hexdigest()


def text_sha256(text: str) -> str:
    return sha256(text.encode("utf-8"))


def indented_json(value: Any) -> str:
    """`json.dumps(value, indent=1, sort_keys=True)`, the text of the manifest and of the cache,
    written faster: `json` writes an indented document in pure Python, a generator per value, and
    a large package's manifest takes it a tenth of a second. Anything but plain JSON data (a key
    that is not a string, a float) is left to `json`."""
    parts: list[str] = []
    if not _indented(value, "\n", parts):
        return json.dumps(value, indent=1, sort_keys=True)
    return "".join(parts)


_SCALARS = {True: "true", False: "false", None: "null"}


def _indented(value: Any, newline: str, parts: list[str]) -> bool:
    if isinstance(value, str):
        parts.append(_encode_string(value))
    elif value is None or isinstance(value, bool):
        parts.append(_SCALARS[value])
    elif isinstance(value, int):
        parts.append(int.__repr__(value))
    elif isinstance(value, dict):
        if not value:
            parts.append("{}")
            return True
        if not all(isinstance(key, str) for key in value):
            return False
        inner = newline + " "
        opening = "{"
        for key in sorted(value):
            parts.append(opening + inner + _encode_string(key) + ": ")
            opening = ","
            if not _indented(value[key], inner, parts):
                return False
        parts.append(newline + "}")
    elif isinstance(value, (list, tuple)):
        if not value:
            parts.append("[]")
            return True
        inner = newline + " "
        opening = "["
        for item in value:
            parts.append(opening + inner)
            opening = ","
            if not _indented(item, inner, parts):
                return False
        parts.append(newline + "]")
    else:
        return False
    return True


_encode_string = json.encoder.encode_basestring_ascii


def file_sha256(path: Path) -> str | None:
    """`path`'s digest, or None if it cannot be read (or is a symbolic link: never the generator's)."""
    try:
        key = _stat_key(path)
        if key is None:
            return None
        known = _SUMMED.get(key)
        return known if known is not None else _summed(key, path.read_bytes())
    except OSError:
        return None


# The digests of files read in this process, by what `stat` says of them: a run reads each of
# the package's files to reuse it and again to check it was not edited, and a file whose inode,
# size, modification and change times are the same has not been written since.
_StatKey = tuple[str, int, int, int, int, int]  # path, device, inode, size, modified and changed (ns)
_SUMMED: dict[_StatKey, str] = {}


def _stat_key(path: Path) -> _StatKey | None:
    """What identifies `path`'s content for `_SUMMED`; None for a symbolic link."""
    st = os.lstat(path)
    if stat.S_ISLNK(st.st_mode):
        return None
    return (os.fspath(path), st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _summed(key: _StatKey, data: bytes) -> str:
    if len(_SUMMED) > 200_000:  # a long-lived process (a test session) forgets, rather than grow
        _SUMMED.clear()
    digest = _SUMMED[key] = sha256(data)
    return digest


def generation_options(
    package: str | None,
    lenient: bool,
    allow_remote: bool,
    allow_outside: bool,
    client_pyproject: bool,
    keep: tuple[str, ...] = (),
) -> dict[str, object]:
    """The options that change what a generation gives."""
    return {
        "package": package,
        "lenient": lenient,
        "allow_remote_refs": allow_remote,
        "allow_outside_refs": allow_outside,
        "client_pyproject": client_pyproject,
        "keep": list(keep),
    }


def inputs_of(documents: dict[str, Path | None], options: dict[str, Any], ignore_file: Path) -> dict[str, Any]:
    """What a generation depends on: the digest of each document read (by its name relative to the
    root document's folder; a remote one is marked unknown), the options, and the package's
    `.clientgenignore` (its digest, or None when there is none)."""
    return {
        "documents": {name: file_sha256(path) if path is not None else None for name, path in documents.items()},
        "options": options,
        "ignore": file_sha256(ignore_file),
    }


def cache_file(output: Path, package: str) -> Path:
    return output / CACHE_DIR / f"{package}.json"


def read_cache(output: Path, package: str) -> dict[str, Any]:
    """The record the last run made for `output/package` with this very generator, or {}."""
    return _read(cache_file(output, package))


def _read(file: Path) -> dict[str, Any]:
    try:
        record = json.loads(file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(record, dict) or record.get("generator") != _generator():
        return {}
    return record


def _generator() -> str:
    return f"clientgen {__version__} {fingerprint()}"


def write_cache(
    output: Path,
    package: str,
    *,
    inputs: dict[str, Any],
    validated: str | None,
    formatted: dict[str, str],
    rendered: dict[str, str],
    files: dict[str, str],
    operations: dict[str, Any] | None = None,
    known: Mapping[str, str] | None = None,
) -> None:
    """Record a run that wrote `files` into `output/package` (`known`: the digests of those
    already summed). A cache that cannot be written is no error: the next run does everything
    again."""
    known = known or {}
    record = {
        "generator": _generator(),
        "package": package,
        "inputs": inputs,
        "validated": validated,
        "formatted": dict(sorted(formatted.items())),
        "rendered": dict(sorted(rendered.items())),
        "operations": operations or {},
        "digests": {path: known.get(path) or text_sha256(text) for path, text in sorted(files.items())},
    }
    folder = output / CACHE_DIR
    file = cache_file(output, package)
    try:
        if folder.is_symlink():
            return
        folder.mkdir(exist_ok=True)
        ignore = folder / ".gitignore"
        if not ignore.exists():
            ignore.write_text(_GITIGNORE, encoding="utf-8")
        partial = file.with_name(f".{file.name}.partial")
        partial.write_text(indented_json(record) + "\n", encoding="utf-8")
        os.replace(partial, file)
    except OSError:
        pass


def forget(output: Path, package: str) -> None:
    """Drop `package`'s record (before a run changes the package: a record must never describe
    files it did not see written)."""
    try:
        cache_file(output, package).unlink()
    except OSError:
        pass


def unchanged_package(output: Path, spec: Path, options: dict[str, Any]) -> tuple[Path, int] | None:
    """The package under `output` that this generator last wrote from `spec` and the documents it
    refers to, as they are now, with the same `options` and `.clientgenignore`, and that still
    holds exactly those files; with how many files it has. None if there is none: then the run
    must be made. Only digests are compared, so this costs a read of the documents and the package."""
    folder = output / CACHE_DIR
    if not folder.is_dir() or folder.is_symlink():
        return None
    for file in sorted(folder.glob("*.json")):
        record = _read(file)
        package, inputs, digests = record.get("package"), record.get("inputs"), record.get("digests")
        if (
            not isinstance(package, str)
            or file.name != f"{package}.json"
            or not isinstance(inputs, dict)
            or not isinstance(digests, dict)
            or inputs.get("options") != options
            or not isinstance(inputs.get("documents"), dict)
            or spec.name not in inputs["documents"]
        ):
            continue
        target = output / package
        if target.is_symlink() or not target.is_dir():
            continue
        if any(os.path.lexists(p) for p in staging_paths(target)):
            continue  # an interrupted run's leftovers: a real run finishes or clears them
        recorded: dict[str, Any] = inputs["documents"]
        if any(d is None or file_sha256(spec.parent / name) != d for name, d in recorded.items()):
            continue
        if file_sha256(target / ".clientgenignore") != inputs.get("ignore"):
            continue
        if all(file_sha256(target / path) == digest for path, digest in digests.items()):
            return target, len(digests)
    return None


def staging_paths(target: Path) -> tuple[Path, Path]:
    """Where a run assembles the new tree, and where the old one waits during the swap."""
    return target.with_name(f".{target.name}.clientgen-new"), target.with_name(f".{target.name}.clientgen-old")


def validated_before(record: dict[str, Any], document_sha256: str) -> bool:
    """Whether this generator validated this very document strictly when it made `record`: the
    answer would be the same, and validation is the longest stage of a run that changes little."""
    return record.get("validated") == document_sha256


def _as_written(file: Path, digest: object) -> str | None:
    """`file`'s text if it is still what the last run wrote (its digest is `digest`), else None."""
    try:
        key = _stat_key(file)
        if key is None:
            return None
        data = file.read_bytes()
    except OSError:
        return None
    if _summed(key, data) != digest:
        return None
    try:
        return data.decode("utf-8").replace("\r\n", "\n")
    except ValueError:
        return None


def rendered_before(target: Path, record: dict[str, Any]) -> Callable[[str, str], str | None]:
    """A `render.Reuse` for the package in `target`: a module the last run rendered from the same
    digest, and that is still as written, is taken from the disk."""
    recorded, digests = record.get("rendered"), record.get("digests")
    if not isinstance(recorded, dict) or not isinstance(digests, dict) or target.is_symlink():
        return lambda path, digest: None

    def reuse(path: str, digest: str) -> str | None:
        return _as_written(target / path, digests.get(path)) if recorded.get(path) == digest else None

    return reuse


def formatted_before(target: Path, record: dict[str, Any]) -> Callable[[str, str], str | None]:
    """What `target` holds for a file, if the last run formatted it from the same text and the
    file is still as that run wrote it; else None. Formatting is most of a run's time, and a
    document edit changes few files."""
    formatted, digests = record.get("formatted"), record.get("digests")
    if not isinstance(formatted, dict) or not isinstance(digests, dict) or target.is_symlink():
        return lambda path, text: None

    def reuse(path: str, text: str) -> str | None:
        if formatted.get(path) != text_sha256(text):
            return None
        return _as_written(target / path, digests.get(path))

    return reuse
