"""Self-checks of ``tests/strategies.py``.

* The reference (HTCondor's ``classad2``) parses at least 98% of what :func:`expressions`
  generates (in practice all of it), in strict mode and, with ``leading_zero_ints=False``, in
  HTCondor's default old-semantics mode.
* The minimal-parenthesis rendering means the same as the fully parenthesised one, so the
  precedence logic of :func:`render` is right.
* Whole ads and match pairs parse, and evaluating / matching them does not crash the reference.
* Junk text never crashes the reference's parser.
* Generation is deterministic, fast and varied.

``classad2`` is never imported into the pytest process: its semantic mode is process-wide and
switches silently (reference section 0). Each check runs it in a child process that first does
``import htcondor2`` (which loads the configuration; with
``_CONDOR_STRICT_CLASSAD_EVALUATION=true`` that keeps new semantics). The tests are skipped if
``htcondor2`` cannot be imported.

Run with ``pytest -s`` to see the measured parse rates, timings and shape counts.
"""

from __future__ import annotations

import functools
import json
import os
import subprocess
import time
from typing import Any, TypeVar

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from oracle import worker_python
from strategies import (
    AdExpr,
    Atom,
    Binary,
    Call,
    Conditional,
    Elvis,
    ListExpr,
    Node,
    Paren,
    Select,
    Subscript,
    Unary,
    ad_pairs,
    ads,
    expression_trees,
    expressions,
    junk_text,
    render,
    shape,
)

T = TypeVar("T")

#: Code run in the child process. It reads a JSON task on stdin and writes JSON on stdout.
_CHILD = r"""
import json
import sys

import htcondor2  # noqa: F401  -- loads the config: pins the semantic mode for the process
import classad2


def norm(value, depth=0):
    # A comparable form of an evaluated value: lists and ads are evaluated element-wise, since
    # classad2 returns unevaluated ExprTrees (whose text keeps parentheses) inside them.
    if depth > 4:
        return "..."
    if isinstance(value, classad2.ExprTree):
        return norm(describe(value.eval, depth + 1), depth + 1)
    if isinstance(value, classad2.ClassAd):
        return {k.lower(): describe(lambda k=k: value.eval(k), depth + 1) for k in value.keys()}
    if isinstance(value, list):
        return [norm(v, depth + 1) for v in value]
    return repr(value)


def describe(thunk, depth=0):
    try:
        return norm(thunk(), depth)
    except Exception as exc:
        return f"exception {type(exc).__name__}: {exc}"


def parse(text):
    try:
        classad2.ExprTree(text)
        return None
    except Exception as exc:
        return f"{type(exc).__name__}: {exc}"


CONTEXT = classad2.ClassAd(
    "[a = 3; b = -2; c = 5; x = 7; y = 2; Memory = 1024; Requirements = true; Cpus = 4;"
    " _n1 = 0.5]"
)


def evaluate(text):
    # Evaluated in an ad that defines the default name pool, so that operators see numbers
    # rather than only undefined (which would hide precedence mistakes).
    try:
        tree = classad2.ExprTree(text)
    except Exception as exc:
        return f"parse failed: {exc}"
    return describe(lambda: tree.eval(CONTEXT))


def whole_ad(text):
    try:
        ad = classad2.ClassAd(text)
    except Exception as exc:
        return {"parse_error": str(exc)}
    return {"values": {k: describe(lambda k=k: ad.eval(k)) for k in ad.keys()}}


def match(pair):
    try:
        left, right = classad2.ClassAd(pair[0]), classad2.ClassAd(pair[1])
    except Exception as exc:
        return {"parse_error": str(exc)}
    return {
        "matches": describe(lambda: left.matches(right)),
        "symmetric": describe(lambda: left.symmetricMatch(right)),
    }


task = json.load(sys.stdin)
handler = {"parse": parse, "eval": evaluate, "ad": whole_ad, "match": match}[task["kind"]]
results = []
for item in task["items"]:
    results.append(handler(item))
    if task.get("progress"):
        print(json.dumps(len(results)), file=sys.stderr, flush=True)
json.dump(results, sys.stdout)
"""


def _run_reference(kind: str, items: list[Any], *, strict: bool = True) -> list[Any]:
    """Run ``items`` through the child process; fail the test if the reference dies."""
    env = dict(os.environ, TZ="UTC")
    if strict:
        env["_CONDOR_STRICT_CLASSAD_EVALUATION"] = "true"
    else:
        env.pop("_CONDOR_STRICT_CLASSAD_EVALUATION", None)
    proc = subprocess.run(
        [worker_python(), "-c", _CHILD],
        input=json.dumps({"kind": kind, "items": items}),
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
        check=False,
    )
    if proc.returncode != 0:
        pytest.fail(
            f"the reference process died (exit status {proc.returncode}) on a {kind!r} batch;"
            f" stderr tail:\n{proc.stderr[-2000:]}"
        )
    results: list[Any] = json.loads(proc.stdout)
    return results


@functools.cache
def _reference_unavailable() -> str | None:
    """Why the reference cannot be used here, or None if ``import htcondor2`` works."""
    proc = subprocess.run(
        [worker_python(), "-c", "import htcondor2, classad2"],
        capture_output=True,
        text=True,
        env=dict(os.environ, _CONDOR_STRICT_CLASSAD_EVALUATION="true"),
        timeout=120,
        check=False,
    )
    if proc.returncode == 0:
        return None
    return proc.stderr.strip().splitlines()[-1] if proc.stderr.strip() else "unknown error"


@pytest.fixture
def reference() -> None:
    """Skip the test if HTCondor's Python bindings are not importable."""
    reason = _reference_unavailable()
    if reason is not None:
        pytest.skip(f"htcondor2/classad2 (pip install htcondor) not importable: {reason}")


def _draw(strategy: st.SearchStrategy[T], n: int) -> list[T]:
    """Draw ``n`` values deterministically (fixed seed, no example database)."""
    out: list[T] = []

    @settings(
        max_examples=n,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def collect(value: T) -> None:
        out.append(value)

    collect()
    return out


def _walk(node: Node) -> list[Node]:
    """All nodes of a tree, pre-order."""
    children: list[Node] = []
    if isinstance(node, Unary):
        children = [node.operand]
    elif isinstance(node, Binary):
        children = [node.left, node.right]
    elif isinstance(node, Conditional):
        children = [node.cond, node.then, node.otherwise]
    elif isinstance(node, Elvis):
        children = [node.left, node.right]
    elif isinstance(node, Select):
        children = [node.base]
    elif isinstance(node, Subscript):
        children = [node.base, node.index]
    elif isinstance(node, ListExpr):
        children = list(node.items)
    elif isinstance(node, AdExpr):
        children = [value for _, value in node.attrs]
    elif isinstance(node, Call):
        children = list(node.args)
    elif isinstance(node, Paren):
        children = [node.inner]
    return [node, *(n for child in children for n in _walk(child))]


def _parse_rate(texts: list[str], errors: list[str | None]) -> float:
    """Fraction of texts that parsed; prints a summary and the first failures."""
    failures = [(t, e) for t, e in zip(texts, errors, strict=True) if e is not None]
    rate = 1 - len(failures) / len(texts)
    print(f"\nclassad2 parsed {len(texts) - len(failures)}/{len(texts)} ({rate:.1%})")
    for text, error in failures[:10]:
        print(f"  FAILED {text!r}: {error}")
    return rate


def test_reference_parses_expressions_strict(reference: None) -> None:
    """At least 98% of generated expressions parse in strict (new-semantics) mode."""
    texts = _draw(expressions(), 400)
    assert _parse_rate(texts, _run_reference("parse", texts)) >= 0.98


def test_reference_parses_expressions_htcondor_mode(reference: None) -> None:
    """With ``leading_zero_ints=False`` the texts also parse in HTCondor's default old mode."""
    texts = _draw(expressions(leading_zero_ints=False), 300)
    assert _parse_rate(texts, _run_reference("parse", texts, strict=False)) >= 0.98


def test_precedence_rendering(reference: None) -> None:
    """Minimal and fully parenthesised renderings of each tree evaluate alike in classad2."""
    trees = _draw(expression_trees(), 300)
    minimal = [render(t) for t in trees]
    full = [render(t, fully_parenthesized=True) for t in trees]
    results = _run_reference("eval", minimal + full)
    pairs = zip(minimal, full, results[: len(trees)], results[len(trees) :], strict=True)
    differences = [(m, f, a, b) for m, f, a, b in pairs if a != b]
    print(f"\n{len(trees) - len(differences)}/{len(trees)} renderings evaluate alike")
    for m, f, a, b in differences[:10]:
        print(f"  {m!r} -> {a!r}\n  {f!r} -> {b!r}")
    assert not differences


def test_reference_parses_and_evaluates_ads(reference: None) -> None:
    """Generated ads parse; evaluating every attribute does not crash the reference."""
    texts = _draw(ads(), 200)
    results = _run_reference("ad", texts)
    errors = [r.get("parse_error") for r in results]
    assert _parse_rate(texts, errors) >= 0.98
    outcomes = [v for r in results for v in r.get("values", {}).values()]
    undefined = sum(1 for v in outcomes if v == "<Value.Undefined: 2>")
    print(f"{len(outcomes)} attributes evaluated, {undefined} undefined")


def test_reference_matches_ad_pairs(reference: None) -> None:
    """Both sides of generated match pairs parse and matching does not crash the reference."""
    pairs = _draw(ad_pairs(), 150)
    results = _run_reference("match", [list(p) for p in pairs])
    failures = [(p, r) for p, r in zip(pairs, results, strict=True) if "parse_error" in r]
    assert len(failures) <= 0.02 * len(pairs), failures[:5]
    verdicts = [r["matches"] for r in results if "matches" in r]
    print(f"\nmatches(): {verdicts.count('True')} True, {verdicts.count('False')} False of {len(verdicts)}")


def test_reference_parser_survives_junk(reference: None) -> None:
    """The reference's parser never dies on junk text (parse only, never evaluate junk)."""
    texts = _draw(junk_text(), 400)
    errors = _run_reference("parse", texts)
    print(f"\n{sum(e is None for e in errors)}/{len(texts)} junk texts happen to parse")


def _may_be_call_result(node: Node) -> bool:
    """True if the value of ``node`` may be what a function call returned."""
    if isinstance(node, Call):
        return True
    if isinstance(node, Paren):
        return _may_be_call_result(node.inner)
    if isinstance(node, Select | Subscript):
        return _may_be_call_result(node.base)
    if isinstance(node, Elvis):
        return _may_be_call_result(node.left) or _may_be_call_result(node.right)
    if isinstance(node, Conditional):
        return _may_be_call_result(node.then) or _may_be_call_result(node.otherwise)
    return False


#: Hand-checked renderings of the precedence corner cases (reference sections 1 and 3.1).
_RENDER_CASES: list[tuple[Node, str]] = [
    (Elvis(Atom("x", "name"), Unary("-", Atom("y", "name"))), "x ?: (-y)"),
    (Elvis(Atom("x", "name"), Atom("-1", "int")), "x ?: -1"),
    (Elvis(Elvis(Atom("x", "name"), Atom("y", "name")), Atom("z", "name")), "(x ?: y) ?: z"),
    (Elvis(Atom("x", "name"), Elvis(Atom("y", "name"), Atom("z", "name"))), "x ?: y ?: z"),
    (Select(Elvis(Atom("x", "name"), Atom("y", "name")), "a"), "(x ?: y).a"),
    (Elvis(Atom("x", "name"), Select(Atom("y", "name"), "a")), "x ?: y.a"),
    (Unary("-", Elvis(Atom("x", "name"), Atom("1", "int"))), "-x ?: 1"),
    (Binary("+", Atom("1", "int"), Elvis(Atom("x", "name"), Atom("2", "int"))), "1 + x ?: 2"),
    (Unary("-", Atom("5", "int")), "- 5"),
    (Unary("-", Atom(".5", "real")), "- .5"),
    (Unary("-", Atom("-5", "int")), "--5"),
    (Select(Atom("5", "int"), "a"), "(5).a"),
    (Select(Atom("1.5", "real"), "a"), "(1.5).a"),
    (Select(Unary("-", Atom("x", "name")), "a"), "(-x).a"),
    (Binary("-", Atom("a", "name"), Binary("-", Atom("b", "name"), Atom("c", "name"))), "a - (b - c)"),
    (Binary("-", Binary("-", Atom("a", "name"), Atom("b", "name")), Atom("c", "name")), "a - b - c"),
    (Binary("*", Binary("+", Atom("a", "name"), Atom("b", "name")), Atom("c", "name")), "(a + b) * c"),
    (Binary("IS", Atom("a", "name"), Atom("b", "name"), ""), "a IS b"),
    (Binary("<", Atom("a", "name"), Atom("-5", "int"), ""), "a<-5"),
    (
        Conditional(
            Conditional(Atom("a", "name"), Atom("b", "name"), Atom("c", "name")),
            Atom("d", "name"),
            Atom("e", "name"),
        ),
        "(a ? b : c) ? d : e",
    ),
    (
        Conditional(
            Atom("a", "name"),
            Atom("b", "name"),
            Conditional(Atom("c", "name"), Atom("d", "name"), Atom("e", "name")),
        ),
        "a ? b : c ? d : e",
    ),
    (Subscript(Binary("+", Atom("a", "name"), Atom("b", "name")), Atom("0", "int")), "(a + b)[0]"),
    (AdExpr((("a", Atom("1", "int")), ("b", Atom("a", "name")))), "[a = 1; b = a]"),
    (AdExpr(()), "[]"),
    (ListExpr(()), "{}"),
]


@pytest.mark.parametrize(("tree", "text"), _RENDER_CASES)
def test_render_examples(tree: Node, text: str) -> None:
    """:func:`render` parenthesises the corner cases as expected."""
    assert render(tree) == text


def test_render_examples_parse_in_reference(reference: None) -> None:
    """classad2 accepts every hand-checked rendering (and rejects ``x ?: -y``, which is why
    ELVIS operands get parentheses)."""
    texts = [text for _, text in _RENDER_CASES] + ["x ?: -y"]
    errors = _run_reference("parse", texts)
    assert errors[:-1] == [None] * (len(texts) - 1)
    assert errors[-1] is not None


def test_generated_trees_avoid_reference_crashers() -> None:
    """No projection over a call's result, no crashing functions, no NUL."""
    banned = ("quantize", "splittime", "formattime", "split(")
    for tree in _draw(expression_trees(), 500):
        text = render(tree).lower()
        assert "\x00" not in text
        assert not any(name in text for name in banned), text
        for node in _walk(tree):
            if isinstance(node, Select):
                assert not _may_be_call_result(node.base), text


def test_generation_is_deterministic() -> None:
    """The same strategy drawn twice with a fixed seed yields the same texts."""
    assert _draw(expressions(), 60) == _draw(expressions(), 60)
    assert _draw(junk_text(), 30) == _draw(junk_text(), 30)


def test_generation_is_fast_and_varied() -> None:
    """2,000 expressions take a few seconds and cover many distinct shapes."""
    start, start_cpu = time.perf_counter(), time.process_time()
    trees = _draw(expression_trees(), 2000)
    texts = [render(t) for t in trees]
    elapsed, cpu = time.perf_counter() - start, time.process_time() - start_cpu
    shapes = {shape(t) for t in trees}
    kinds = {type(n).__name__ if not isinstance(n, Atom) else n.kind for t in trees for n in _walk(t)}
    print(
        f"\n2000 expressions in {elapsed:.2f}s ({cpu:.2f}s CPU); {len(set(texts))} distinct texts,"
        f" {len(shapes)} distinct shapes; node kinds: {sorted(kinds)}"
    )
    assert cpu < 30  # CPU time: wall time depends on the machine's load
    assert len(shapes) >= 300
    assert {"Binary", "Unary", "Conditional", "Elvis", "Select", "Subscript"} <= kinds
    assert {"ListExpr", "AdExpr", "Call", "Paren", "int", "real", "string", "keyword"} <= kinds
    assert {"name", "scoped", "time"} <= kinds
