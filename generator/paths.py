"""Where the generator's own files are: its templates and the runtime it copies into clients,
and a fingerprint of everything that shapes its output."""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from pathlib import Path


def shown(path: Path) -> Path:
    """`path` relative to the working folder when it is inside it, as users would type it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def template_dir() -> Path:
    """Templates ship inside the wheel as `generator/templates`; a checkout keeps them beside it."""
    here = Path(__file__).resolve().parent
    installed = here / "templates"
    return installed if installed.is_dir() else here.parent / "templates"


def user_cache_dir() -> Path:
    """Where the generator keeps what it can make again but need not (compiled templates): the
    user's cache folder, `$XDG_CACHE_HOME/clientgen` or `~/.cache/clientgen`, per Python version,
    as black keeps its cache. Nothing there is needed; a run that cannot write it goes without."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "clientgen" / (sys.implementation.cache_tag or "python")


def runtime_dir() -> Path:
    return Path(__file__).resolve().parent / "runtime"


@functools.cache
def fingerprint() -> str:
    """A SHA-256 over the generator's code, templates and runtime: what a package was generated
    with, beyond the version number (which a checkout's edits keep). The same for a checkout and
    the wheel made from it. (Black is not in it: its pinned major version formats the same.)"""
    package = Path(__file__).resolve().parent
    sources = {f"generator/{p.relative_to(package).as_posix()}": p for p in package.rglob("*.py")}
    sources |= {f"templates/{p.name}": p for p in template_dir().glob("*.jinja")}
    digest = hashlib.sha256()
    for name in sorted(sources):
        digest.update(name.encode() + b"\0" + sources[name].read_bytes() + b"\0")
    return digest.hexdigest()
