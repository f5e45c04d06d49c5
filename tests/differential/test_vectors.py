"""Every hand-written vector (tests/vectors/*.txt) against HTCondor's classad2, in both modes.

The reference runs in a child process pinned to the mode (one per mode, see ``oracle.py``);
our library runs in this process under ``classad.semantics(mode)``.  Both answer the same
request with the same fields (parse result, one-line and pretty printing, value, simplified
value), and every field must agree.

Vectors that call a built-in function we have not implemented yet are skipped with the
function's name; deliberate differences are listed in ``known_deviations.txt`` (and in
DEVIATIONS.md) and expected to fail.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from loader import Vector, load_vectors
from oracle import Oracle
from ours import compare, respond

from classad.eval.functions import HTCONDOR_FUNCTIONS, REGISTRY, ensure_builtins

ensure_builtins()  # the library's functions register on first need: the table is read directly here

_HERE = Path(__file__).resolve().parent
_CALL = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(")
_VECTORS = load_vectors()


def _known_deviations() -> dict[str, str]:
    out: dict[str, str] = {}
    for line in (_HERE / "known_deviations.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            key, _, reason = line.partition("  ")
            out[key.strip()] = reason.strip()
    return out


KNOWN = _known_deviations()


def _missing_function(v: Vector) -> str | None:
    for name in _CALL.findall(v.text):
        low = name.lower()
        if low in HTCONDOR_FUNCTIONS and low not in REGISTRY:
            return name
    return None


@cache
def _reference(mode: str) -> tuple[dict[str, Any], ...]:
    availability = Oracle.available()
    if not availability:
        pytest.skip("reference classad2 unavailable: " + availability.reason)
    with Oracle(mode) as oracle:
        return tuple(oracle.run([v.request() for v in _VECTORS]))


@pytest.mark.parametrize("mode", ["htcondor", "strict"])
@pytest.mark.parametrize("index", range(len(_VECTORS)), ids=[v.id for v in _VECTORS])
def test_vector(mode: str, index: int) -> None:
    v = _VECTORS[index]
    theirs = _reference(mode)[index]
    if v.kind == "crash" or theirs.get("crash") or theirs.get("timeout"):
        # The reference crashes or hangs here (reference section 11): we only require a clean
        # answer, never an exception escaping.
        respond(v.request(), mode)
        return
    missing = _missing_function(v)
    if missing is not None:
        pytest.skip(f"built-in {missing}() not implemented yet")
    key = f"{v.file}:{v.line}"
    ours = respond(v.request(), mode)
    diffs = compare(ours, theirs)
    if key in KNOWN:
        if diffs:
            pytest.xfail(KNOWN[key])
        return
    assert not diffs, f"{v.text}\n" + "\n".join(diffs)
