"""Closures for two-operand arithmetic and comparison, specialised by operator and operand shape.

The general operators (:func:`classad.eval.operators.arith` and ``compare``) branch on the
operator and on both operand types at every call.  Most operations in real ads are ``int`` with
``int`` or ``float`` with ``float`` (``Memory >= 2048``, ``(ResidentSetSize + 1023) / 1024``),
and one of the operands is often a literal.  The closures made here test for exactly those shapes
and compute the result with Python's own operator, which gives the same value as the general
path for them; every other pair of operands goes to the general path unchanged.

* Comparisons of two ``int`` (not ``bool``) or two ``float``: Python's ``==``, ``<`` ... are the
  comparisons HTCondor makes (IEEE for reals, so NaN compares unequal to everything).
* Comparisons with a boolean literal of a ``bool``, ``int`` or ``float``: numerically.
* ``==`` and ``!=`` of a string with an ASCII string literal: ASCII case folding, as the
  general path folds.  ``=?=`` and ``=!=`` with a literal ``undefined`` or ``error``: the
  identity of the value.
* ``+``, ``-``, ``*`` of two ``int`` whose result fits in 64 bits, and of two ``float`` whose
  result is not ``+inf`` (which HTCondor makes ``error``).  Division and modulo always take the
  general path (C's truncation and the error cases live there).

A literal operand (in the plain, non-depth-counting compilation only: a counted literal still
counts its level) is bound as a constant instead of being called.
"""

from __future__ import annotations

import operator
from collections.abc import Callable
from typing import Any

from classad.ast import Literal, Node
from classad.eval import operators as ops
from classad.eval.scope import Ctx
from classad.values import ERROR, INT64_MAX, INT64_MIN, UNDEFINED, RelTime

__all__ = ["FAST_ARITH", "FAST_COMPARE", "binary2", "literal_value"]

Fn = Callable[[Any, Ctx], Any]

FAST_COMPARE: dict[str, Callable[[Any, Any], bool]] = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}
"""The comparison operators with a fast path, as Python's operators."""

FAST_ARITH: dict[str, Callable[[Any, Any], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
}
"""The arithmetic operators with a fast path, as Python's operators."""

_INF = float("inf")


def literal_value(node: Literal) -> Any:
    """What evaluating the literal ``node`` gives (a ``relTime("...")`` literal: a real)."""
    v = node.value
    return v.secs if type(v) is RelTime else v


def _constant(node: Node) -> tuple[bool, Any]:
    """``(True, value)`` for a literal operand (its value as evaluation gives it), else ``(False, None)``."""
    if node.__class__ is Literal:
        assert isinstance(node, Literal)
        return True, literal_value(node)
    return False, None


def binary2(op: str, n0: Node, n1: Node, f0: Fn, f1: Fn, count: bool) -> Fn | None:
    """The closure of ``n0 op n1`` (``f0``/``f1`` their closures), or None when ``op`` has no
    specialised form."""
    if (op == "is" or op == "isnt") and not count:
        return _identity(op == "is", n0, n1, f0, f1)
    pyop_c = FAST_COMPARE.get(op)
    if pyop_c is not None:
        return _compare(op, pyop_c, n0, n1, f0, f1, count)
    pyop_a = FAST_ARITH.get(op)
    if pyop_a is not None:
        return _arith(op, pyop_a, n0, n1, f0, f1, count)
    return None


def _compare(
    op: str, pyop: Callable[[Any, Any], bool], n0: Node, n1: Node, f0: Fn, f1: Fn, count: bool
) -> Fn:
    compare = ops.compare
    const1, v1 = (False, None) if count else _constant(n1)
    if const1:
        t1 = type(v1)
        if t1 is int or t1 is float:

            def compare_const(s: Any, c: Ctx) -> Any:
                a = f0(s, c)
                if type(a) is t1:
                    return pyop(a, v1)
                return compare(op, a, v1)

            return compare_const

        if t1 is bool:

            def compare_bool(s: Any, c: Ctx) -> Any:
                a = f0(s, c)
                ta = type(a)
                if ta is bool or ta is int or ta is float:
                    # Booleans compare as the numbers 0 and 1, as the general path has it.
                    return pyop(a, v1)
                return compare(op, a, v1)

            return compare_bool

        if isinstance(v1, str) and v1.isascii() and (op == "==" or op == "!="):
            folded = v1.lower()
            equal = op == "=="

            def compare_str(s: Any, c: Ctx) -> Any:
                a = f0(s, c)
                if type(a) is str and a.isascii():
                    # The general path's case-insensitive comparison of two ASCII strings.
                    return (a.lower() == folded) is equal
                return compare(op, a, v1)

            return compare_str

        def compare_lit(s: Any, c: Ctx) -> Any:
            return compare(op, f0(s, c), v1)

        return compare_lit

    def compare_any(s: Any, c: Ctx) -> Any:
        a = f0(s, c)
        b = f1(s, c)
        ta = type(a)
        if ta is type(b) and (ta is int or ta is float):
            return pyop(a, b)
        return compare(op, a, b)

    return compare_any


def _arith(op: str, pyop: Callable[[Any, Any], Any], n0: Node, n1: Node, f0: Fn, f1: Fn, count: bool) -> Fn:
    arith = ops.arith
    lo = INT64_MIN
    hi = INT64_MAX
    inf = _INF
    const1, v1 = (False, None) if count else _constant(n1)
    if const1 and type(v1) is int:

        def arith_int_const(s: Any, c: Ctx) -> Any:
            a = f0(s, c)
            if type(a) is int:
                r = pyop(a, v1)
                if lo <= r <= hi:
                    return r
            return arith(op, a, v1)

        return arith_int_const

    def arith_any(s: Any, c: Ctx) -> Any:
        a = f0(s, c)
        b = f1(s, c)
        ta = type(a)
        if ta is type(b):
            if ta is int:
                r = pyop(a, b)
                if lo <= r <= hi:
                    return r
            elif ta is float:
                r = pyop(a, b)
                if r != inf:
                    return r
        return arith(op, a, b)

    return arith_any


def _identity(same: bool, n0: Node, n1: Node, f0: Fn, f1: Fn) -> Fn | None:
    """``x =?= undefined`` / ``x =!= error`` (either side): nothing but ``undefined`` itself is
    identical to ``undefined`` (and the same for ``error``), so the test is Python's ``is``."""
    c0, v0 = _constant(n0)
    c1, v1 = _constant(n1)
    if c1 and (v1 is UNDEFINED or v1 is ERROR):
        f, v = f0, v1
    elif c0 and (v0 is UNDEFINED or v0 is ERROR):
        f, v = f1, v0
    else:
        return None
    if same:

        def is_constant(s: Any, c: Ctx) -> Any:
            return f(s, c) is v

        return is_constant

    def isnt_constant(s: Any, c: Ctx) -> Any:
        return f(s, c) is not v

    return isnt_constant
