"""Trees that share subtrees: a few builder operations can describe a tree with more nodes than
memory or time allow (``e = e + e`` sixty times is 2**61 nodes written out).  Building and
converting such trees raises once they pass ``MAX_BUILT_SIZE``, and flattening references that
fan out stops at the evaluator's work limit, instead of printing or walking for ever."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from strategies import expressions

import classad
import classad.eval.flatten as flatten_module
from classad.ast import AdExpr, AttrRef, Call, Chain, Elvis, ListExpr, Node, Paren, Subscript, Ternary, Unary
from classad.convert import MAX_BUILT_SIZE, ClassAdTypeError


def _count(node: Node) -> int:
    """Nodes written out, by an explicit walk (no sharing)."""
    total = 0
    stack = [node]
    while stack:
        n = stack.pop()
        total += 1
        if isinstance(n, AttrRef):
            stack.extend([n.base] if n.base is not None else [])
        elif isinstance(n, Unary):
            stack.append(n.operand)
        elif isinstance(n, Chain):
            stack.extend(n.operands)
        elif isinstance(n, Ternary):
            stack.extend([n.cond, n.then, n.other])
        elif isinstance(n, Elvis):
            stack.extend([n.left, n.right])
        elif isinstance(n, Subscript):
            stack.extend([n.base, n.index])
        elif isinstance(n, Paren):
            stack.append(n.inner)
        elif isinstance(n, Call):
            stack.extend(n.args)
        elif isinstance(n, ListExpr):
            stack.extend(n.items)
        elif isinstance(n, AdExpr):
            stack.extend(e for _, e in n.entries)
    return total


@given(text=expressions(leading_zero_ints=False))
def test_size_counts_the_nodes_written_out(text: str) -> None:
    try:
        node = classad.ExprTree(text)._node
    except classad.ClassAdParseError:
        return
    assert node.size == _count(node)


def test_doubling_a_tree_stops_at_the_limit() -> None:
    e = classad.ExprTree("x")
    with pytest.raises(classad.ClassAdException, match="too large"):
        for _ in range(60):
            e = e + e
    assert e._node.size <= MAX_BUILT_SIZE
    f = classad.ExprTree("y")
    with pytest.raises(classad.ClassAdException, match="too large"):
        for _ in range(60):
            f = classad.Function("max", f, f, f)


def test_converting_many_references_to_one_big_tree_is_a_type_error() -> None:
    e = classad.ExprTree("x")
    for _ in range(20):
        e = e + e  # about a million nodes: fine alone
    ad = classad.ClassAd({"one": e})
    assert ad.lookup("one")._node.size > 1 << 20
    with pytest.raises(ClassAdTypeError, match="too large"):
        ad["many"] = [e] * 100
    assert "many" not in ad


def test_flattening_references_that_fan_out_stops_at_the_work_limit(monkeypatch: Any) -> None:
    # HTCondor's flatten takes time doubling with each level here (a30 runs for minutes); ours
    # stops at the evaluator's work limit (lowered here so that the test is quick).
    monkeypatch.setattr(flatten_module, "MAX_EVAL_WORK", 20_000)
    text = "[" + "; ".join(["a0 = x"] + [f"a{i} = a{i - 1} + a{i - 1}" for i in range(1, 61)]) + "]"
    ad = classad.ClassAd(text)
    with pytest.raises(ValueError, match="Unable to flatten expression"):
        ad.flatten(classad.ExprTree("a60"))
    assert repr(ad.flatten(classad.ExprTree("a10"))) == "a10"  # as classad2 gives
