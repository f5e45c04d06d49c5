"""Everything works at Python's default recursion limit (1000) with the caller already some
150 frames deep: parsing at HTCondor's depth limits, printing, evaluation at HTCondor's
evaluation depth, flatten, references, pickling, equality, and the hand-written depth-limit
vectors.  Deep structures either work or give the library's own error, never RecursionError."""

from __future__ import annotations

import pickle
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import pytest
from limits import deep_call, default_recursion_limit
from vectors.loader import load_vectors

import classad
from classad import ClassAd, ExprTree

T = TypeVar("T")


@pytest.fixture(autouse=True)
def default_limit() -> Iterator[None]:
    with default_recursion_limit():
        yield


def outcome(fn: Callable[[], Any]) -> Any:
    """The value, or the library error's class name; RecursionError propagates (and fails)."""
    try:
        return deep_call(fn)
    except (classad.ClassAdException, ValueError) as exc:  # the API's documented errors
        return type(exc).__name__


DEEP_TEXTS = [
    "(" * 165 + "1" + ")" * 165,
    "!" * 497 + "x",
    "-" * 497 + "1",
    "true ? 1 : " * 400 + "2",
    "x ?: " * 400 + "x",
    "x" + ".a" * 100_000,
    "x" + "[0]" * 100_000,
    "{" * 160 + "}" * 160,
    "[a = " * 160 + "1" + "]" * 160,
    "f(" * 160 + ")" * 160,
    " + ".join(["1"] * 100_000),
    " && ".join(["true"] * 50_000),
]


@pytest.mark.parametrize("text", DEEP_TEXTS, ids=lambda t: t[:12])
def test_deep_expressions(text: str) -> None:
    tree = deep_call(lambda: ExprTree(text))
    again = deep_call(lambda: ExprTree(repr(tree)))
    assert deep_call(lambda: again == tree)
    assert isinstance(deep_call(lambda: str(tree)), str)
    outcome(tree.eval)
    outcome(lambda: tree.eval(ClassAd({"x": ClassAd({"a": 1})})))
    copy = deep_call(lambda: pickle.loads(pickle.dumps(tree)))
    assert deep_call(lambda: copy == tree)
    ad = ClassAd({"e": tree})
    outcome(lambda: ad.flatten(tree))
    outcome(lambda: ad.externalRefs(tree))
    outcome(lambda: ad.eval("e"))
    assert deep_call(lambda: ClassAd(repr(ad))) == ad


def test_reference_chain_at_the_evaluation_limit() -> None:
    n = 199
    ad = ClassAd("[" + "; ".join(f"a{i} = a{i + 1} + 0" for i in range(n)) + f"; a{n} = 7]")
    assert outcome(lambda: ad.eval("a0")) == 7
    deeper = ClassAd("[" + "; ".join(f"a{i} = a{i + 1} + 0" for i in range(300)) + "; a300 = 7]")
    # too deep, as in HTCondor (ClassAdEvaluationError is v1's ClassAdException for it)
    assert outcome(lambda: deeper.eval("a0")) == "ClassAdEvaluationError"


@pytest.mark.parametrize("mode", ["htcondor", "strict"])
def test_the_depth_limit_vectors(mode: str) -> None:
    vectors = [v for v in load_vectors() if v.file == "limits.txt"]
    assert len(vectors) > 20
    with classad.semantics(mode):
        for v in vectors:
            texts = [t for t in v.fields.values() if t]
            for text in texts:
                outcome(lambda t=text: ExprTree(t).eval())
                if text.lstrip().startswith("["):
                    ad = outcome(lambda t=text: ClassAd(t))
                    if isinstance(ad, ClassAd):
                        for key in ad:
                            outcome(lambda a=ad, k=key: a.eval(k))
