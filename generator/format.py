"""Stage 6, format: black over every generated Python file, in process.

Contract: `format_files(files)` returns the same mapping with each `.py` source formatted by
black with an explicit `Mode` (never the user's configuration), so output depends only on the
pinned black major version. A template bug that yields invalid Python raises `InternalError`
naming the file and line.
"""

from __future__ import annotations

import black
from black.mode import Mode, TargetVersion
from black.parsing import InvalidInput

MODE = Mode(target_versions={TargetVersion.PY310}, line_length=100)


class InternalError(Exception):
    """The generator produced something wrong: a bug of ours, not of the document."""


def format_files(files: dict[str, str]) -> dict[str, str]:
    return {path: format_source(path, source) if path.endswith(".py") else source for path, source in files.items()}


def format_source(path: str, source: str) -> str:
    try:
        return black.format_str(source, mode=MODE)
    except InvalidInput as exc:
        raise InternalError(f"generated invalid Python in {path}: {exc}") from None
