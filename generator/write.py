"""Stage 7, write: the only stage that touches the output folder.

Contract:
- `write_tree(files, target)` makes `target` hold exactly `files` plus the files in it that the
  generator did not write. The new tree is assembled beside the old one and swapped in with two
  renames, so an interrupted run leaves the previous tree whole (and the next run finishes the
  swap). Files whose content did not change are carried over with their timestamps.
- Ownership: the package's manifest (`MANIFEST`, committed with it) lists the files the generator
  wrote, each with its digest. A file not in it is the user's: never deleted, moved or
  overwritten; a clash stops the run with `OwnershipError` naming it. So does a package path that
  is a file, or a folder with content and no manifest.
- Edits: a file of the generator's whose digest no longer matches the manifest was edited by
  hand. The run stops (`EditedFilesError`) rather than overwrite or remove it, unless the user
  keeps it (`.clientgenignore` in the package, or `keep` in the configuration: the generator
  then leaves it alone, as the user's) or discards the edits on purpose (`discard_edits`).
- Symbolic links are never followed out of the folder: a user's link is carried over as a link,
  and a package folder, or a staging leftover, that is a link is refused.
- `diff_tree(files, target)` writes nothing and returns a unified diff of what would change, the
  code first; the manifest, which only records digests, is summed up in a line.

Only content a reviewer reads is in the package: what makes regeneration fast lives in the cache
(`cache.py`), beside it.
"""

from __future__ import annotations

import difflib
import fnmatch
import json
import os
import shutil
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .cache import file_sha256, indented_json, staging_paths, text_sha256
from .errors import EditedFilesError, OwnershipError

MANIFEST = ".clientgen-manifest.json"
IGNORE_FILE = ".clientgenignore"
# Left in a folder the run made (staging) or is about to retire (the old tree), so that the
# recovery of an interrupted run only ever removes folders it can tell are its own.
_STAGING_MARK = ".clientgen-staging"
_RETIRED_MARK = ".clientgen-retired"


@dataclass(frozen=True, slots=True)
class Keep:
    """The files of the package the user keeps: glob patterns, relative to the package folder
    (`models/pet.py`, `resources/*.py`, `models/`), from `.clientgenignore` and the configuration.
    A kept file is not written, removed or compared: it is the user's."""

    patterns: tuple[str, ...] = ()

    @classmethod
    def read(cls, target: Path, configured: Iterable[str] = ()) -> Keep:
        """The patterns of `target`'s `.clientgenignore` (one a line; `#` starts a comment) and `configured`."""
        patterns = list(configured)
        ignore = target / IGNORE_FILE
        if ignore.is_file() and not ignore.is_symlink():
            for line in ignore.read_text(encoding="utf-8", errors="replace").splitlines():
                line = line.split("#", 1)[0].strip()
                if line:
                    patterns.append(line)
        return cls(tuple(patterns))

    def __call__(self, path: str) -> bool:
        if path == MANIFEST:
            return False
        for pattern in self.patterns:
            pattern = pattern.lstrip("/")
            if pattern.endswith("/"):
                if path.startswith(pattern):
                    return True
            elif fnmatch.fnmatchcase(path, pattern) or path.startswith(pattern + "/"):
                return True
        return False


def with_manifest(
    files: dict[str, str], api: dict[str, Any], keep: Keep = Keep(), known: Mapping[str, str] | None = None
) -> dict[str, str]:
    """`files`, but for those the user keeps, plus the manifest that lists them with their digests
    and the public API they make (see `diff`). Nothing in it depends on anything but the files and
    the API, so a document or generator change that changes neither leaves it as it was. `known`
    gives the digests of files already summed (`text_sha256` of exactly their text)."""
    written = {path: text for path, text in files.items() if not keep(path)}
    known = known or {}
    manifest = {
        "generator": "clientgen",
        "about": "The files clientgen wrote here and their SHA-256 (an edited file no longer matches), and the API"
        " they make. Files not listed are yours.",
        "files": {path: known.get(path) or text_sha256(text) for path, text in sorted(written.items())},
        "api": api,
    }
    return {**written, MANIFEST: indented_json(manifest) + "\n"}


def read_manifest(target: Path) -> dict[str, Any]:
    """`target`'s manifest, or {} when it has none (or one that is not a JSON object)."""
    try:
        manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return manifest if isinstance(manifest, dict) else {}


def recorded_files(manifest: dict[str, Any]) -> dict[str, str | None]:
    """The files a manifest lists (the manifest itself included), each with its digest (None when
    the manifest, written by an earlier version, recorded none)."""
    listed = manifest.get("files")
    if isinstance(listed, dict):
        recorded: dict[str, str | None] = {str(p): d if isinstance(d, str) else None for p, d in listed.items()}
    elif isinstance(listed, list):
        digests = manifest.get("digests")
        digests = digests if isinstance(digests, dict) else {}
        recorded = {str(p): digests.get(p) if isinstance(digests.get(p), str) else None for p in listed}
    else:
        return {}
    recorded[MANIFEST] = None
    return recorded


def recorded_api(target: Path) -> dict[str, Any] | None:
    """The public API recorded in `target`'s manifest, if it has one."""
    api = read_manifest(target).get("api")
    return api if isinstance(api, dict) else None


def check_target(target: Path) -> None:
    """Refuse an output path the generator cannot write without harm: a file where its folder (or
    the package folder) should be, or a package folder that is a symbolic link."""
    for folder in (*reversed(target.parents), target):
        if os.path.lexists(folder) and not folder.is_dir():
            raise OwnershipError(
                f"{folder} is a file, not a folder; the generator leaves it alone: move it away, or choose another"
                " --output (or --package)"
            )
    if target.is_symlink():
        raise OwnershipError(
            f"{target} is a symbolic link; the generator replaces the whole folder, so give the folder it"
            f" points to ({target.resolve()}) instead"
        )


def edited_files(target: Path, recorded: dict[str, str | None], files: dict[str, str], keep: Keep) -> list[str]:
    """The generator's files in `target` that were edited by hand (their digest no longer matches
    `recorded`, its manifest's) and that writing `files` would change or remove. Kept files are the user's."""
    edited = []
    for path, digest in recorded.items():
        if path == MANIFEST or digest is None or keep(path):
            continue
        now = file_sha256(target / path)
        if now is None and not os.path.lexists(target / path):
            continue  # deleted: writing it again loses nothing
        if now != digest and (path not in files or now != text_sha256(files[path])):
            edited.append(path)
    return sorted(edited)


def write_tree(
    files: dict[str, str], target: Path, keep: Keep = Keep(), *, discard_edits: bool = False
) -> tuple[int, int, int]:
    """Make `target` hold `files`; return how many files were written, unchanged and removed."""
    check_target(target)
    staging, retired = staging_paths(target)
    _recover(target, staging, retired)
    recorded = recorded_files(read_manifest(target))
    owned = {path for path in recorded if not keep(path)}
    existing = _list_files(target)
    if existing - {IGNORE_FILE} and not owned:
        raise OwnershipError(
            f"{target} exists and was not written by clientgen (it has no {MANIFEST}); the generator leaves it"
            " alone: choose another output folder or package name"
        )
    for path in sorted((existing - owned) & set(files)):
        raise OwnershipError(
            f"{target / path} is yours (clientgen did not write it, or it was kept in {IGNORE_FILE}), and this run"
            f" would generate it: the generator does not overwrite it. Move it away to have it generated, or list it"
            f" in {target / IGNORE_FILE} to keep it"
        )
    if not discard_edits:
        edited = edited_files(target, recorded, files, keep)
        if edited:
            raise EditedFilesError(target, edited, IGNORE_FILE)
    foreign = existing - owned
    staging.mkdir(parents=True)
    (staging / _STAGING_MARK).touch()
    try:
        written, unchanged = _stage(files, target, staging, owned, foreign)
    except BaseException:
        _remove_own(staging, _STAGING_MARK)  # a full disk or an interrupt: the old tree is untouched
        raise
    removed = len((owned & existing) - set(files))
    if target.exists():
        (target / _RETIRED_MARK).touch()
        os.replace(target, retired)
    os.replace(staging, target)
    (target / _STAGING_MARK).unlink()
    _remove_own(retired, _RETIRED_MARK)
    return written, unchanged, removed


def _stage(files: dict[str, str], target: Path, staging: Path, owned: set[str], foreign: set[str]) -> tuple[int, int]:
    """Assemble the new tree in `staging`: `files`, then the user's files and empty folders of
    `target`. Returns how many files were written and how many carried over unchanged."""
    written = unchanged = 0
    for path, content in files.items():
        destination = staging / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        old = target / path
        data = content.encode("utf-8")
        if path in owned and not old.is_symlink() and old.is_file() and old.read_bytes() == data:
            _carry(old, destination)
            unchanged += 1
        else:
            destination.write_bytes(data)
            written += 1
    for path in sorted(foreign):
        destination = staging / path
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(target / path, destination, follow_symlinks=False)  # a link stays a link
    for folder in _empty_folders(target):  # the user's empty folders, kept too
        (staging / folder).mkdir(parents=True, exist_ok=True)
    return written, unchanged


def _carry(old: Path, destination: Path) -> None:
    """Put the unchanged file `old` in the new tree: a second link to it where the file system
    allows (the old tree keeps its own until it is removed, so an interrupted run leaves it
    whole), else a copy. Most files of a regeneration are unchanged, and copying them was most
    of the write."""
    try:
        os.link(old, destination)
    except OSError:
        shutil.copy2(old, destination)


def diff_tree(files: dict[str, str], target: Path, keep: Keep = Keep()) -> tuple[str, list[str]]:
    """What writing `files` would change in `target`: a unified diff (code first, "" when they
    match) and the generator's files there that were edited by hand."""
    check_target(target)
    recorded = recorded_files(read_manifest(target))
    owned = {path for path in recorded if not keep(path)} & _list_files(target)
    chunks: list[str] = []
    manifest_changed = False
    for path in sorted(set(files) | owned, key=lambda p: (p == MANIFEST, not p.endswith(".py"), p)):
        old = _read_text(target / path) if path in owned else ""
        new = files.get(path, "")
        if old == new and (path in files) == (path in owned):
            continue
        if path == MANIFEST:
            manifest_changed = True
            continue
        chunks.extend(
            difflib.unified_diff(
                old.splitlines(keepends=True),
                new.splitlines(keepends=True),
                fromfile=f"a/{path}" if path in owned else "/dev/null",
                tofile=f"b/{path}" if path in files else "/dev/null",
            )
        )
    diff = "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in chunks)
    if manifest_changed:
        diff += f"# and {MANIFEST}, the record of the files above and their digests, is rewritten to match\n"
    return diff, edited_files(target, recorded, files, keep)


def _read_text(file: Path) -> str:
    try:
        return file.read_bytes().decode("utf-8", errors="replace").replace("\r\n", "\n")
    except OSError:
        return ""


def _recover(target: Path, staging: Path, retired: Path) -> None:
    """Finish or undo a swap that an earlier run did not complete. Only folders that carry the
    run's mark are touched; anything else in their place is the user's, and stops the run."""
    for leftover, mark in ((staging, _STAGING_MARK), (retired, _RETIRED_MARK)):
        if os.path.lexists(leftover) and (leftover.is_symlink() or not (leftover / mark).is_file()):
            raise OwnershipError(
                f"{leftover} is in the way of the generator's staging and was not made by it; move it away,"
                " then regenerate"
            )
    if retired.is_dir() and not target.exists():  # the old tree was moved aside, the new one not in
        os.replace(retired, target)
        (target / _RETIRED_MARK).unlink()
    for mark in (_STAGING_MARK, _RETIRED_MARK):  # the new tree went in; the mark did not go
        if (target / mark).is_file() and not (target / mark).is_symlink():
            (target / mark).unlink()
    _remove_own(staging, _STAGING_MARK)
    _remove_own(retired, _RETIRED_MARK)


def _remove_own(folder: Path, mark: str) -> None:
    """Remove a folder of the run's own, its mark last, so that a removal cut short leaves a
    folder the next run still recognises."""
    if not (folder / mark).is_file() or folder.is_symlink():
        return
    for entry in folder.iterdir():
        if entry.name == mark:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry)
        else:
            entry.unlink()
    (folder / mark).unlink()
    folder.rmdir()


def _list_files(root: Path) -> set[str]:
    if not root.is_dir() or root.is_symlink():
        return set()
    return {
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if (p.is_file() or p.is_symlink()) and p.name not in (_STAGING_MARK, _RETIRED_MARK)
    }


def _empty_folders(root: Path) -> list[str]:
    if not root.is_dir() or root.is_symlink():
        return []
    return sorted(
        p.relative_to(root).as_posix()
        for p in root.rglob("*")
        if p.is_dir() and not p.is_symlink() and not any(p.iterdir())
    )
