"""Building expressions from Python (HTCondor's original ``classad`` module): Literal,
Attribute, Function, ExprTree operators, and int()/float() of trees."""

from __future__ import annotations

import pytest

import classad
from classad import Attribute, ClassAd, ExprTree, Function, Literal, Value


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        (Literal(1) + 2, 3),
        (Literal(1) + Literal(2), 3),
        (Literal(1) - 2, -1),
        (Literal(1) * 2, 2),
        (Literal(2) / 2, 1),
        (Literal(1) & 2, 0),
        (Literal(1) | 2, 3),
        (Literal(1).and_(2), True),
        (Literal(1).and_(Literal(2)), True),
        (Literal(True).or_(False), True),
        (Attribute("foo").is_(Value.Undefined), True),
        (Attribute("foo").isnt_(Value.Undefined), False),
        (3 - Literal(1), 2),
        (Literal(7) % 4, 3),
        (Literal(1) << 3, 8),
    ],
)
def test_operators_build_trees(expr: ExprTree, expected: object) -> None:
    assert isinstance(expr, ExprTree)
    assert expr.eval() == expected


def test_precedence_is_kept_with_parentheses() -> None:
    a, b = Attribute("a"), Attribute("b")
    tree = (a + 1) * 2
    assert repr(tree) == "(a + 1) * 2"
    assert ExprTree(repr(tree)) == tree
    assert repr(b - (a - 1)) == "b - (a - 1)"
    assert repr(a + 1 + 2) == "a + 1 + 2"
    assert tree.eval(ClassAd("[a = 4]")) == 10


def test_function_subscript_and_same_as() -> None:
    assert Function("strcat", "hello", " ", "world").eval() == "hello world"
    ad = ClassAd()
    ad["foo"] = [0, 1, 2, 3]
    assert Attribute("foo")._get(2).eval(ad) == 2
    assert (Attribute("x") + 1).sameAs(ExprTree("x + 1"))
    with pytest.raises(TypeError):
        Attribute(5)  # type: ignore[arg-type]


def test_int_and_float() -> None:
    assert int(ExprTree("1.0 + 3.6")) == 4
    assert int(ExprTree('"34"')) == 34
    assert float(ExprTree("1.0 + 3.5")) == 4.5
    for bad in ("foo", '"34.foo"', "{1}"):
        with pytest.raises(ValueError):
            int(ExprTree(bad))


def test_structural_equality_is_not_overloaded() -> None:
    # The truth of == is classad2's structural comparison; the result is the tree "a == a"
    # the original module built (issue 11).
    assert Attribute("a") == Attribute("a")
    assert repr(Attribute("a") == Attribute("a")) == "a == a"
    assert not (Attribute("a") == Attribute("b"))
    assert classad.ExprTree("a") != classad.ExprTree("b")
