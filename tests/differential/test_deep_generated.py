"""Deep generated cases (``deep_strategies.py``) against HTCondor's classad2, in both modes.

Each mode draws ``CLASSAD_DEEP_GENERATED`` cases (default 500; the CI profile's seed is fixed):
standalone expressions up to 7 levels deep, long ``&&``/``||`` chains, whole ads, expressions
over a generated scope ad, and match pairs (``match`` plus two ``ad_eval`` with a target).
Every field of our answer must equal the reference's (``ours.compare``); a case on which the
reference crashes or hangs only has to get a clean answer from us.

For long runs, ``CLASSAD_DEEP_REPORT=path`` appends one JSON line per divergence (mode, request,
differing fields, open class), per reference crash and per case the reference cannot parse, and
a final line of totals per mode, and does not fail on divergences, so a run of 20,000 cases
shows every divergence class instead of stopping at the first::

    CLASSAD_DEEP_GENERATED=20000 CLASSAD_DEEP_REPORT=/tmp/deep.jsonl \\
        pytest -q -p no:cacheprovider tests/differential/test_deep_generated.py -k "deep_generated and strict"

Open divergence classes (the lead decides whether they are bugs or deviations) are listed in
:data:`OPEN_CLASSES`: a generated case whose divergence is of such a class is not failed, and
each class's minimal reproducers are ``xfail(strict=True)`` tests, so fixing the library turns
them into failures that say to remove the entry.

``test_generator_reaches_its_shapes_and_keeps_its_steering`` checks the generator without the
reference: what it promises to reach (depth 7, long chains, projections, most built-ins) and
the steering that keeps classad2 from crashing.
"""

from __future__ import annotations

import dataclasses
import json
import os
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from deep_strategies import FUNCTIONS, Request, deep_requests
from hypothesis import HealthCheck, given, settings
from oracle import Oracle, Result
from ours import compare, respond

import classad
from classad import ast

N = int(os.environ.get("CLASSAD_DEEP_GENERATED", "500"))
REPORT = os.environ.get("CLASSAD_DEEP_REPORT")

_SETTINGS = settings(
    max_examples=N,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def _differing(ours: Result, theirs: Result) -> list[tuple[Any, Any]]:
    """The pairs (ours, reference) that differ, attribute by attribute for a whole ad."""
    pairs: list[tuple[Any, Any]] = []
    for key in sorted(set(ours) | set(theirs)):
        a, b = ours.get(key), theirs.get(key)
        if key == "attrs" and isinstance(a, dict) and isinstance(b, dict):
            pairs.extend((a.get(k), b.get(k)) for k in sorted(set(a) | set(b)) if a.get(k) != b.get(k))
        elif a != b and key != "id":
            pairs.append((a, b))
    return pairs


def _classify(req: Request, ours: Result, theirs: Result) -> str | None:
    """The open class (a key of :data:`OPEN_CLASSES`) that explains the difference, if any."""
    pairs = _differing(ours, theirs)
    if not pairs:
        return None
    for name, open_class in OPEN_CLASSES.items():
        if open_class.matches(req, pairs):
            return name
    return None


@dataclasses.dataclass(frozen=True)
class OpenClass:
    """A divergence class the lead has to decide on: how to recognise it, minimal cases, why."""

    matches: Callable[[Request, list[tuple[Any, Any]]], bool]
    reproducers: tuple[Request, ...]
    reason: str


def _expr(text: str) -> Request:
    return {"kind": "expr", "text": text}


OPEN_CLASSES: dict[str, OpenClass] = {}
"""None open now: match-evalfail, projection-scope and argument-evalfail were fixed (their cases are
ordinary vectors in tests/test_issue8_eval.py and tests/differential/test_argument_failures.py)."""


def _record(record: dict[str, Any]) -> None:
    """Append ``record`` to the report file, in report mode."""
    if REPORT:
        with open(REPORT, "a", encoding="utf-8") as out:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")


def _run_case(oracle: Oracle, case: list[Request], totals: dict[str, int]) -> list[str]:
    """Check every request of a case; return the failure messages (none in report mode)."""
    failures: list[str] = []
    for req, theirs in zip(case, oracle.run(case)):
        totals["checks"] += 1
        try:
            ours = respond(req, oracle.mode)
        except Exception as exc:  # a bug of ours: fail, or in report mode record it and go on
            if not REPORT:
                raise
            totals["ours_raised"] += 1
            _record({"mode": oracle.mode, "request": req, "ours_raised": repr(exc)})
            continue
        if theirs.get("crash") or theirs.get("timeout"):
            totals["reference_crash"] += 1  # we only had to answer cleanly
            _record({"mode": oracle.mode, "request": req, "reference": theirs})
            continue
        if theirs.get("parse") == "error":
            totals["reference_parse_error"] += 1
            _record({"mode": oracle.mode, "request": req, "reference": theirs})
        diffs = compare(ours, theirs)
        if not diffs:
            totals["passed"] += 1
            continue
        open_class = _classify(req, ours, theirs)
        _record({"mode": oracle.mode, "request": req, "diffs": diffs, "class": open_class})
        if open_class is not None:
            totals["open_class"] += 1
            continue
        totals["diverged"] += 1
        if not REPORT:
            failures.append(f"{req}\n" + "\n".join(diffs))
    return failures


@pytest.mark.parametrize("mode", ["htcondor", "strict"])
def test_deep_generated(mode: str, request: pytest.FixtureRequest) -> None:
    oracle: Oracle = request.getfixturevalue(f"oracle_{mode}")
    totals: dict[str, int] = dict.fromkeys(
        (
            "checks",
            "passed",
            "reference_crash",
            "reference_parse_error",
            "open_class",
            "diverged",
            "ours_raised",
        ),
        0,
    )

    @_SETTINGS
    @given(case=deep_requests(leading_zero=mode == "strict"))
    def check(case: list[Request]) -> None:
        failures = _run_case(oracle, case, totals)
        assert not failures, "\n\n".join(failures)

    check()
    _record({"mode": mode, "totals": totals})


def _reproducers() -> list[Any]:
    return [
        pytest.param(req, id=f"{name}-{i}", marks=pytest.mark.xfail(strict=True, reason=open_class.reason))
        for name, open_class in OPEN_CLASSES.items()
        for i, req in enumerate(open_class.reproducers)
    ]


@pytest.mark.parametrize("mode", ["htcondor", "strict"])
@pytest.mark.parametrize("req", _reproducers())
def test_open_class_reproducer(req: Request, mode: str, request: pytest.FixtureRequest) -> None:
    """Each open class's minimal cases still diverge, recognised by their class (so: xfail).  One
    that stops diverging (or is no longer recognised) passes, which strict xfail turns into a
    failure: then the class's entry should go (or its recogniser be fixed)."""
    oracle: Oracle = request.getfixturevalue(f"oracle_{mode}")
    open_class = _classify(req, respond(req, mode), oracle.request(req))
    assert open_class is None, f"still diverges as open class {open_class}"


# ---------------------------------------------------------------------------------------------
# The generator itself (no reference needed)
# ---------------------------------------------------------------------------------------------

_LIST_MAKERS = frozenset(f.name.lower() for f in FUNCTIONS if f.returns == "fnlist")
_PASS_THROUGH = frozenset(("ifthenelse", "debug", "eval"))


def _walk(node: ast.Node) -> Iterator[tuple[ast.Node, ast.Node | None, int]]:
    """Every node of a tree with its parent and depth, without recursion."""
    stack: list[tuple[ast.Node, ast.Node | None, int]] = [(node, None, 1)]
    while stack:
        n, parent, depth = stack.pop()
        yield n, parent, depth
        kids: list[Any] = []
        for slot in ("operand", "operands", "cond", "then", "other", "left", "right", "base", "index"):
            kids.append(getattr(n, slot, None))
        kids.extend(getattr(n, "args", ()) if isinstance(n, ast.Call) else ())
        kids.extend(getattr(n, "items", ()) if isinstance(n, ast.ListExpr) else ())
        kids.extend(v for _, v in getattr(n, "entries", ()) if isinstance(n, ast.AdExpr))
        kids.append(getattr(n, "inner", None))
        for k in kids:
            for child in k if isinstance(k, tuple) else (k,):
                if isinstance(child, ast.Node):
                    stack.append((child, n, depth + 1))


def _is_logic(node: ast.Node | None) -> bool:
    """A chain of ``&&``/``||`` (parenthesised groups count as part of it)."""
    if isinstance(node, ast.Paren):
        return _is_logic(node.inner)
    return isinstance(node, ast.Chain) and set(node.ops) <= {"&&", "||"}


def _logic_operands(node: ast.Node) -> int:
    """How many operands a connected ``&&``/``||`` region has."""
    count, stack = 0, [node]
    while stack:
        n = stack.pop()
        while isinstance(n, ast.Paren) and _is_logic(n.inner):
            n = n.inner
        if isinstance(n, ast.Chain) and _is_logic(n):
            stack.extend(n.operands)
        else:
            count += 1
    return count


def _texts(req: Request) -> list[str]:
    return [str(req[f]) for f in ("text", "ad", "target", "expr", "left", "right") if req.get(f) is not None]


@pytest.mark.parametrize("mode", ["htcondor", "strict"])
def test_generator_reaches_its_shapes_and_keeps_its_steering(mode: str) -> None:
    """300 cases: they parse here, reach depth 7, long chains, projections, every request kind and
    most built-ins, and no list a function built is ever stored, selected from or passed through."""
    cases: list[list[Request]] = []

    @settings(max_examples=300, deadline=None, derandomize=True, database=None)
    @given(case=deep_requests(leading_zero=mode == "strict"))
    def collect(case: list[Request]) -> None:
        cases.append(case)

    collect()
    kinds: set[str] = set()
    heights: list[int] = []
    longest_chain = 0
    called: set[str] = set()
    projections = parsed = total = 0
    with classad.semantics(mode):  # type: ignore[arg-type]
        for case in cases:
            for req in case:
                kinds.add(str(req["kind"]))
                for text in _texts(req):
                    total += 1
                    try:
                        root = classad.ExprTree(text)._node
                    except classad.ClassAdParseError:
                        continue
                    parsed += 1
                    height = 0
                    for node, parent, depth in _walk(root):
                        height = max(height, depth)
                        if _is_logic(node) and not _is_logic(parent):
                            longest_chain = max(longest_chain, _logic_operands(node))
                        if isinstance(node, ast.AttrRef) and isinstance(node.base, ast.ListExpr):
                            projections += 1
                        if isinstance(node, ast.Call):
                            called.add(node.name.lower())
                            if node.name.lower() in _LIST_MAKERS:
                                ok = (
                                    isinstance(parent, ast.Call) and parent.name.lower() not in _PASS_THROUGH
                                ) or (
                                    isinstance(parent, ast.Subscript)
                                    and parent.base is node
                                    and node.name.lower() != "evalineachcontext"
                                )
                                assert ok, f"a function-built list escapes in {text}"
                    heights.append(height)
    assert parsed >= 0.98 * total
    assert kinds == {"expr", "ad", "ad_eval", "match"}
    assert max(heights) >= 7 and sum(h >= 7 for h in heights) >= 20
    assert longest_chain >= 20 and projections >= 10
    assert len(called & {f.name.lower() for f in FUNCTIONS}) >= 0.7 * len(FUNCTIONS)
