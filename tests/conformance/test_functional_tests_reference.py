"""The functional-tests runner, proved against HTCondor's own ``classad2``.

HTCondor 25.14.1 must fail exactly the lines in ``known_reference_disagreements.txt`` (reference
§9).  Our library is checked against the same list by its own test with an in-process backend.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

_HERE = Path(__file__).resolve().parent
for _p in (_HERE, _HERE.parent / "differential"):
    if str(_p) not in sys.path:
        sys.path.insert(0, str(_p))

import functional_tests as ft  # noqa: E402
from oracle import Oracle, worker_python  # noqa: E402

needs_data = pytest.mark.skipif(
    not ft.FUNCTIONAL_TESTS.is_file(),
    reason=f"shared test data not found at {ft.FUNCTIONAL_TESTS} (check out ../shared beside the repo)",
)


def _run_reference(mode: str) -> dict[str, Any]:
    availability = Oracle.available()
    if not availability:
        pytest.skip("reference classad2 unavailable: " + availability.reason)
    proc = subprocess.run(
        [worker_python(), str(_HERE / "classad2_backend.py"), mode],
        capture_output=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr.decode(errors="replace")[-2000:]
    report: dict[str, Any] = json.loads(proc.stdout)
    return report


@needs_data
def test_parser_reads_the_script() -> None:
    cases = ft.parse_file()
    assert len(cases) > 200
    commands = {c.command for c in cases}
    assert commands <= {"eval", "same", "diff", "writexml", "readxml"}
    by_line = {c.line: c for c in cases}
    multi = by_line[27]  # eval x = [ ... ] spread over lines 27-37
    assert multi.command == "eval" and multi.end_line == 37
    assert "rtime" in multi.text and multi.text.rstrip().endswith("]")
    assert by_line[71].command == "writexml"


@pytest.mark.parametrize("mode", ["htcondor", "strict"])
@needs_data
def test_reference_fails_exactly_the_known_lines(mode: str) -> None:
    report = _run_reference(mode)
    results = report["results"]
    failed = {r["line"] for r in results if r["status"] == "fail"}
    known = ft.load_known_disagreements()
    assert failed == set(known), [r for r in results if r["status"] == "fail"]
    skipped = {r["line"] for r in results if r["status"] == "skip"}
    assert skipped == {71, 72, 73, 74}
    assert sum(r["status"] == "pass" for r in results) > 240


def test_script_format_details() -> None:
    script = (
        "// comment\n"
        "eval x = [\n"
        "   a = 1;\n"
        "// comment inside\n"
        "   b = {1, 2};\n"
        " ]\n"
        "#### no command\n"
        "echo hello\n"
        "same $x.a, 1);\n"
        "bogus 1\n"
    )
    cases = ft.parse_text(script)
    assert [(c.line, c.end_line, c.command) for c in cases] == [
        (2, 6, "eval"),
        (9, 9, "same"),
        (10, 10, "bogus"),
    ]
    assert cases[0].text == " x = [   a = 1;   b = {1, 2}; ]"


@pytest.mark.parametrize(
    ("text", "first", "second"),
    [
        (" 1, 2", "1", "2"),
        (' f(1, 2), "a,b"', "f(1, 2)", '"a,b"'),
        (' tolower("ALAIN"), "alain")', 'tolower("ALAIN")', '"alain"'),
        (' $x.atime, absTime("2004-01-01");', "$x.atime", 'absTime("2004-01-01")'),
        (" {1, 2}[0], [a = 1; b = 2].b", "{1, 2}[0]", "[a = 1; b = 2].b"),
        (" 'a,b', 1", "'a,b'", "1"),
        (' "\\"", 1', '"\\""', "1"),
        (" 1 2", "1 2", None),
    ],
)
def test_split_expressions(text: str, first: str, second: str | None) -> None:
    assert ft.split_expressions(text) == (first, second)
