"""The templates write black's style, so the format stage can leave black out of almost every file.

For each document of a corpus (the golden cases, the Comms and attack documents, and a spread of
`../shared/specs` whose clients black can check in seconds), every generated file is compared with
what black makes of the templates' output whole: `format_files` must give exactly that, and black
must leave it unchanged. A template change that strays from black's style fails here, naming the
file and showing the difference.
"""

from __future__ import annotations

import difflib
import json
import sys
from pathlib import Path

import black
import pytest

from generator.errors import InternalError
from generator.format import (
    LINE_LENGTH,
    black_mode,
    format_files,
    plan_formatting,
    surely_fits,
)
from generator.layout import fits
from generator.pipeline import load_and_build, render_files
from generator.render import RUNTIME_FILES

from .conftest import CASES, ROOT, SPEC
from .corpus import SPECS, invalid_documents

SHARED = [
    "oag-petstore-fake-endpoints.yaml",
    "oapicg-naming-conflicts.yaml",
    "oapicg-oneof-components.yaml",
    "oapicg-recursive.yaml",
    "opc-3.1-enums.yaml",
    "opc-baseline-3.1.yaml",
    "redocly-museum.yaml",
    "twilio_messaging_v1.json",
]
DOCUMENTS = [SPEC, ROOT / "tests" / "hostile" / "attack.yaml", *sorted(CASES.glob("*/spec.yaml"))]
DOCUMENTS += [SPECS / name for name in SHARED if (SPECS / name).is_file()]


def _synthetic() -> Path:
    sys.path.insert(0, str(ROOT / "bench"))
    try:
        import run as bench  # type: ignore[import-not-found,unused-ignore]
    finally:
        sys.path.remove(str(ROOT / "bench"))
    path = ROOT / ".pytest_cache" / "synthetic-40.json"
    path.parent.mkdir(exist_ok=True)
    path.write_text(json.dumps(bench.synthetic(40)), encoding="utf-8")
    return path


@pytest.mark.parametrize("document", DOCUMENTS + ["synthetic"], ids=lambda p: getattr(p, "stem", p))
def test_the_fast_format_is_black(document: Path | str) -> None:
    path = _synthetic() if document == "synthetic" else Path(document)
    lenient = path.name in invalid_documents()
    api, warnings = load_and_build(path, lenient=lenient)
    rendered = {p: s for p, s in render_files(api, warnings).items() if p.endswith(".py") and p not in RUNTIME_FILES}
    fast = format_files(rendered)
    for name, source in rendered.items():
        expected = black.format_str(source, mode=black_mode())
        if fast[name] != expected:
            diff = difflib.unified_diff(expected.splitlines(True), fast[name].splitlines(True), "black", "fast", n=1)
            pytest.fail(f"{name} of {path.name} is not what black makes of it:\n{''.join(list(diff)[:80])}")
        assert black.format_str(fast[name], mode=black_mode()) == fast[name], name


def test_only_statements_with_a_long_line_of_code_go_to_black() -> None:
    docstring_line = '    """' + "x" * LINE_LENGTH + '"""'
    long_call = "    y = f(" + ", ".join(f"argument_{i}" for i in range(12)) + ")"
    source = "\n".join(
        [
            "class A:",
            docstring_line,
            "",
            "    x = 1",
            long_call,
            '    z = """a',
            "b " + "w" * LINE_LENGTH,
            '"""',
            "",
        ]
    )
    plan = plan_formatting(source)
    assert not plan.whole
    assert [(s.first, s.last, s.indent) for s in plan.statements] == [(4, 4, 4), (5, 7, 4)]


def test_a_file_the_scanner_cannot_follow_goes_to_black_whole() -> None:
    source = "x = (1,\n" + "y = " + "1 + " * 40 + "1\n"  # an unclosed bracket
    assert plan_formatting(source).whole


def test_wide_characters_go_to_black() -> None:
    assert fits("x" * LINE_LENGTH) and surely_fits("x" * LINE_LENGTH)
    assert not fits("x" * (LINE_LENGTH + 1))
    # 60 characters, 120 columns: laid out as if it fit, then black, which measures, sees it.
    assert fits("字" * 60) and not surely_fits("字" * 60)
    assert surely_fits("字" * 50)
    source = "x = f(" + ", ".join(["'字字字字'"] * 9) + ")\n"
    assert [(s.first, s.last) for s in plan_formatting(source).statements] == [(0, 0)]


def test_invalid_python_from_a_template_is_an_internal_error() -> None:
    with pytest.raises(InternalError, match=r"generated invalid Python in a\.py: line 1"):
        format_files({"a.py": "def f(:\n    y = " + "1 + " * 40 + "1\n"})
