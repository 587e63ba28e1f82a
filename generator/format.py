"""Stage 6, format: black over every generated Python file, in process.

Contract: `format_files(files)` returns the same mapping with each `.py` source formatted by
black with an explicit `Mode` (never the user's configuration), so output depends only on the
pinned black major version. A template bug that yields invalid Python raises `InternalError`
naming the file and line.

Black is most of a large document's generation time, so beyond a few dozen files the work is
spread over the machine's cores; the result does not depend on how it was spread.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Collection
from concurrent.futures import ProcessPoolExecutor
from typing import Any

LINE_LENGTH = 100
PARALLEL_FROM = 48  # files; below this, starting worker processes costs more than it saves


class InternalError(Exception):
    """The generator produced something wrong: a bug of ours, not of the document."""


def format_files(
    files: dict[str, str],
    progress: Callable[[int, int], None] | None = None,
    reuse: Callable[[str, str], str | None] | None = None,
    preformatted: Collection[str] = (),
) -> dict[str, str]:
    """Every `.py` file formatted; `progress(done, total)` is told as black finishes each file it
    formats (`total` counts only those). `reuse` may answer a file's formatted text without black
    (see `write.formatted_before`); files in `preformatted` are already in black's style (the
    runtime, kept so by a test) and left as they are."""
    formatted: dict[str, str] = {}
    python = []
    for path, source in files.items():
        if path.endswith(".py"):
            known = source if path in preformatted else reuse(path, source) if reuse is not None else None
            if known is None:
                python.append((path, source))
            else:
                formatted[path] = known
    workers = min(os.cpu_count() or 1, 8)
    done = 0  # of the files black formats (`progress` counts these)
    if len(python) >= PARALLEL_FROM and workers > 1:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            for (path, _), source in zip(python, pool.map(_format_pair, python, chunksize=8)):
                formatted[path] = source
                done += 1
                if progress is not None:
                    progress(done, len(python))
    else:
        for path, source in python:
            formatted[path] = format_source(path, source)
            done += 1
            if progress is not None:
                progress(done, len(python))
    return {path: formatted.get(path, source) for path, source in files.items()}


def _format_pair(item: tuple[str, str]) -> str:
    return format_source(*item)


def format_source(path: str, source: str) -> str:
    # black is imported here, not at the top: a run whose files are all reused never needs it,
    # and importing it is a good part of a quick run's time.
    import black
    from black.parsing import InvalidInput

    try:
        return black.format_str(source, mode=black_mode())
    except InvalidInput as exc:
        raise InternalError(f"generated invalid Python in {path}: {exc}") from None


@functools.cache
def black_mode() -> Any:
    """The one black `Mode` of generated code; the user's configuration is never read."""
    from black.mode import Mode, TargetVersion

    return Mode(target_versions={TargetVersion.PY310}, line_length=LINE_LENGTH)
