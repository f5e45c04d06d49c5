"""Every function HTCondor 25.14 knows (reference section 5) is registered, and each one is
exercised against the reference: by hand-written vectors and by at least 50 generated calls
per mode in the per-family differential tests."""

from __future__ import annotations

import re

import test_builtins_numeric_time_diff as numeric_time
import test_builtins_strings_lists_diff as strings_lists
from loader import load_vectors

from classad.eval.functions import HTCONDOR_FUNCTIONS, REGISTRY, ensure_builtins

ensure_builtins()  # the library's functions register on first need: the table is read directly here

# Exercised by the generated expressions of test_generated.py and by the vectors.
_CORE = {
    "isundefined", "iserror", "isstring", "isinteger", "isreal", "islist", "isclassad",
    "isboolean", "isabstime", "isreltime", "ifthenelse",
}  # fmt: skip


def test_every_htcondor_function_is_registered() -> None:
    missing = sorted(HTCONDOR_FUNCTIONS - set(REGISTRY))
    assert not missing, f"not implemented: {missing}"


def test_every_function_has_generated_differential_calls() -> None:
    # Time-dependent functions and random() are compared by kind of result, not value.
    nondeterministic = {t.split("(")[0].lower() for t in numeric_time.TIME_DEPENDENT} | {"random"}
    generated = {n.lower() for n in numeric_time.FUNCTIONS} | nondeterministic
    generated |= {"unparse", "unresolved"}
    generated |= {n.lower() for n in strings_lists.FUNCTIONS}
    uncovered = sorted(HTCONDOR_FUNCTIONS - generated - _CORE)
    assert not uncovered, f"no generated differential calls for: {uncovered}"


def test_vectors_call_the_core_functions() -> None:
    called = set()
    for v in load_vectors():
        called |= {n.lower() for n in re.findall(r"([A-Za-z_][A-Za-z0-9_]*)\s*\(", v.text)}
    assert _CORE <= called, sorted(_CORE - called)
