"""Compiled state is a pure function of the node: a node shared between trees (the parse cache
and the builders share them) evaluates the same wherever it is reused, in any tree, at any
depth, in any thread (issue: results must not depend on what the process did before)."""

from __future__ import annotations

import threading

import classad
from classad import ClassAd, ExprTree


def _deep(base: ExprTree, n: int) -> ExprTree:
    y = base
    for _ in range(n):
        y = y + 1
    return y


def test_a_deep_tree_does_not_break_its_shared_leaf() -> None:
    ad = ClassAd("[a = 1]")
    x = ExprTree("a")
    assert x.eval(ad) == 1
    deep = _deep(x, 450)
    try:
        deep.eval(ad)  # fails as HTCondor does: too deep
    except classad.ClassAdException:
        pass
    assert ExprTree("a").eval(ad) == 1
    assert x.eval(ad) == 1
    assert _deep(x, 10).eval(ad) == 11


def test_one_node_at_many_depths_and_in_many_trees() -> None:
    ad = ClassAd("[a = 1; b = a + 1]")
    leaf = ExprTree("b")
    trees = {n: _deep(leaf, n) for n in (0, 1, 5, 50, 200, 390, 399, 400, 420, 450)}
    expected = {}
    for n, t in trees.items():
        try:
            expected[n] = t.eval(ad)
        except classad.ClassAdException:
            expected[n] = "fail"
    # Evaluating the trees again, in another order, gives the same results.
    for n in sorted(trees, reverse=True):
        try:
            got = trees[n].eval(ad)
        except classad.ClassAdException:
            got = "fail"
        assert got == expected[n], n
    assert expected[0] == 2 and expected[200] == 202
    assert expected[450] == "fail"


def test_shared_nodes_across_threads() -> None:
    ad = ClassAd("[a = 1]")
    errors: list[str] = []
    stop = threading.Event()

    def builder() -> None:
        while not stop.is_set():
            try:
                _deep(ExprTree("a"), 450).eval(ad)
            except classad.ClassAdException:
                pass

    def reader() -> None:
        for _ in range(3000):
            v = ExprTree("a").eval(ad)
            if v != 1:
                errors.append(repr(v))

    threads = [threading.Thread(target=builder) for _ in range(2)]
    for t in threads:
        t.start()
    try:
        readers = [threading.Thread(target=reader) for _ in range(2)]
        for t in readers:
            t.start()
        for t in readers:
            t.join()
    finally:
        stop.set()
        for t in threads:
            t.join()
    assert errors == []
