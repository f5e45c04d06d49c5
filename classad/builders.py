"""Building expressions from Python, as HTCondor's original ``classad`` module allowed.

``Literal(value)``, ``Attribute(name)`` and ``Function(name, *args)`` make expression trees;
``ExprTree`` operators (``+ - * / % & | ^ << >> < <= > >=``, reflected ones included; ``==``
stays structural equality as in ``classad2``) and the methods ``and_``, ``or_``, ``is_``,
``isnt_`` and ``_get`` combine them.  Operands that are not trees are converted like
values assigned to an ad.  Parentheses are added where precedence needs them, so the printed
form reads back as the same tree.
"""

from __future__ import annotations

from typing import Any

from classad._exprtree import ExprTree
from classad.ast import AttrRef, Call, Chain, Elvis, Node, Paren, Subscript, Ternary, Unary
from classad.convert import MAX_BUILT_SIZE, TOO_LARGE, to_node
from classad.errors import ClassAdException
from classad.grammar.parser import _PRECEDENCE


def _node(x: Any) -> Node:
    return x._node if isinstance(x, ExprTree) else to_node(x)


def _built(node: Node) -> ExprTree:
    if node.size > MAX_BUILT_SIZE:
        raise ClassAdException(TOO_LARGE)
    return ExprTree._wrap(node, None)


def _precedence(node: Node) -> int:
    if isinstance(node, Chain):
        return _PRECEDENCE[node.ops[0]]
    if isinstance(node, (Ternary, Elvis)):
        return 0
    return 100


def binary(op: str, left: Any, right: Any) -> ExprTree:
    """``left op right`` as a tree, parenthesising operands that bind more loosely."""
    prec = _PRECEDENCE[op]
    a, b = _node(left), _node(right)
    if _precedence(a) < prec:
        a = Paren(a)
    if _precedence(b) <= prec:
        b = Paren(b)
    if isinstance(a, Chain) and _PRECEDENCE[a.ops[0]] == prec:
        return _built(Chain((*a.operands, b), (*a.ops, op)))
    return _built(Chain((a, b), (op,)))


def Literal(obj: Any) -> ExprTree:  # noqa: N802 - HTCondor's name
    """An expression that is just ``obj`` (converted as when assigned to an ad).  An
    ``ExprTree`` is evaluated first, as in HTCondor's v1 module: ``Literal(ExprTree("1 + 2"))``
    is ``3``."""
    if isinstance(obj, ExprTree):
        return obj.simplify()
    return ExprTree._wrap(to_node(obj), None)


def Attribute(name: str) -> ExprTree:  # noqa: N802 - HTCondor's name
    """A reference to attribute ``name``."""
    if not isinstance(name, str):
        raise TypeError(f"Attribute() needs a str, got {type(name).__name__}")
    return ExprTree._wrap(AttrRef(None, name), None)


def Function(name: str, *args: Any) -> ExprTree:  # noqa: N802 - HTCondor's name
    """A call of the function ``name`` with ``args`` (trees or Python values)."""
    if not isinstance(name, str):
        raise TypeError(f"Function() needs a str name, got {type(name).__name__}")
    return _built(Call(name, tuple(_node(a) for a in args)))


def subscript(base: Any, index: Any) -> ExprTree:
    """``base[index]``."""
    b = _node(base)
    if _precedence(b) < 100 or isinstance(b, Unary):
        b = Paren(b)
    return _built(Subscript(b, _node(index)))
