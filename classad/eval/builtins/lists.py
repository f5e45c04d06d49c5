"""List membership and aggregates (reference 5.1 "List membership and aggregates", section 10
items 12-13): ``member``, ``identicalMember``, ``sum``, ``avg``, ``min``, ``max``,
``anyCompare`` and ``allCompare``.

Written from HTCondor's rules (``fnCall.cpp``: ``testMember``, ``sumAvg``, ``minMax``,
``listCompare``) and checked against ``classad2`` 25.14.1.  One C++ detail shows through:
comparisons go through ``Operation::Operate``, which promotes its operands *in place*
(booleans to integers, an integer to a real when the other operand is real).  The value
compared against (``member``'s first argument, ``anyCompare``'s third) and ``min``/``max``'s
running bound keep that promotion for the rest of the scan, hence ``max({3, 1.5})`` is ``3.0``
and ``member(9007199254740993, {1.5, 9007199254740992})`` is true.
"""

from __future__ import annotations

from typing import Any

from classad.eval import operators as ops
from classad.eval.functions import builtin
from classad.eval.scope import Ctx, Scope
from classad.values import ERROR, UNDEFINED, ListValue

_NUMBER = (bool, int, float)


def _elements(lv: ListValue, ctx: Ctx) -> list[Any]:
    from classad.eval.compiler import list_values

    return list_values(lv, ctx)


def promote(a: Any, b: Any) -> tuple[Any, Any]:
    """HTCondor's ``coerceToNumber`` on two operands: when both are numbers, booleans become
    integers and an integer meeting a real becomes a real; other values are left alone."""
    ta = type(a)
    tb = type(b)
    if ta not in _NUMBER or tb not in _NUMBER:
        return a, b
    if ta is bool:
        a = int(a)
        ta = int
    if tb is bool:
        b = int(b)
        tb = int
    if ta is int and tb is float:
        a = float(a)
    elif ta is float and tb is int:
        b = float(b)
    return a, b


def _operate(op: str, a: Any, b: Any) -> tuple[Any, Any, Any]:
    """``Operation::Operate(op, a, b)`` for a comparison: (result, a, b) with ``a`` and ``b`` as
    the operation left them (promoted in place unless the operator is ``is``/``isnt`` or an
    operand is error/undefined)."""
    if op == "is":
        return ops.identical(a, b), a, b
    if op == "isnt":
        return ops.not_identical(a, b), a, b
    a, b = promote(a, b)
    return ops.compare(op, a, b), a, b


# --- membership -------------------------------------------------------------------------------


@builtin("member", 2, context=True)
def member(ctx: Ctx, v: Any, lst: Any) -> Any:
    """``member(v, list)`` (reference 5.1): some element ``== v`` (case-insensitive strings,
    numeric promotion; elements comparing to error or undefined are skipped).

    An undefined list or ``v`` gives undefined (before any type check); a non-list second
    argument or a list/ad ``v`` gives error; then an error ``v`` gives error.
    """
    if lst is UNDEFINED or v is UNDEFINED:
        return UNDEFINED
    tv = type(v)
    if type(lst) is not ListValue or tv is ListValue or tv is Scope:
        return ERROR
    if v is ERROR:
        return ERROR
    for el in _elements(lst, ctx):
        r, _, v = _operate("==", el, v)
        if r is True:
            return True
    return False


@builtin("identicalMember", 2, context=True)
def identical_member(ctx: Ctx, v: Any, lst: Any) -> Any:
    """``identicalMember(v, list)`` (reference 5.1): some element ``=?= v``.

    An undefined list gives undefined; a non-list second argument or a list/ad ``v`` gives
    error; ``identicalMember(undefined, {undefined})`` and ``(error, {error})`` are true.
    """
    if lst is UNDEFINED:
        return UNDEFINED
    tv = type(v)
    if type(lst) is not ListValue or tv is ListValue or tv is Scope:
        return ERROR
    for el in _elements(lst, ctx):
        if ops.identical(el, v) is True:
            return True
    return False


# --- aggregates -------------------------------------------------------------------------------


def _sum_avg(ctx: Ctx, lst: Any, average: bool) -> Any:
    if lst is UNDEFINED:
        return UNDEFINED
    if type(lst) is not ListValue:
        return ERROR
    result: Any = 0
    first = True
    count = 0
    for el in _elements(lst, ctx):
        if el is UNDEFINED:
            continue
        if type(el) not in _NUMBER:
            return ERROR
        count += 1
        if first:
            result = el
            first = False
        else:
            result = ops.arith("+", result, el)
    if average and count > 0:
        result = ops.arith("/", result, float(count))
    return result


@builtin("sum", 1, context=True)
def sum_(ctx: Ctx, lst: Any) -> Any:
    """``sum(list)`` (reference 5.1, section 10 item 12): a fold with ``+`` from the first defined
    element (so ``sum({true})`` is ``true``); undefined elements are skipped, any other
    non-number gives error; ``sum({})`` is the integer 0."""
    return _sum_avg(ctx, lst, False)


@builtin("avg", 1, context=True)
def avg(ctx: Ctx, lst: Any) -> Any:
    """``avg(list)`` (reference 5.1, section 10 item 12): the sum divided by the number of
    defined elements as a real; with no defined element the sum itself, the integer 0."""
    return _sum_avg(ctx, lst, True)


def _bound(ctx: Ctx, lst: Any, op: str) -> Any:
    if lst is UNDEFINED:
        return UNDEFINED
    if type(lst) is not ListValue:
        return ERROR
    result: Any = UNDEFINED
    first = True
    for el in _elements(lst, ctx):
        if el is UNDEFINED:
            continue
        if type(el) not in _NUMBER:
            return ERROR
        if first:
            result = el
            first = False
        else:
            r, el, result = _operate(op, el, result)
            if r is True:
                result = el
    return result


@builtin("min", 1, context=True)
def min_(ctx: Ctx, lst: Any) -> Any:
    """``min(list)`` (reference 5.1): the smallest number, skipping undefined; empty gives
    undefined, a non-number element error.  The running bound is promoted in place."""
    return _bound(ctx, lst, "<")


@builtin("max", 1, context=True)
def max_(ctx: Ctx, lst: Any) -> Any:
    """``max(list)`` (reference 5.1, section 10 item 12): the largest number; ``max({3, 1.5})``
    is ``3.0`` because the comparison promoted the running bound to a real."""
    return _bound(ctx, lst, ">")


# --- anyCompare / allCompare --------------------------------------------------------------------

_COMPARE_OPS = frozenset({"<", "<=", "!=", "==", ">", ">=", "is", "isnt"})


def _list_compare(ctx: Ctx, op: Any, lst: Any, v: Any, need_all: bool) -> Any:
    if op is UNDEFINED:
        return UNDEFINED
    if type(op) is not str or op not in _COMPARE_OPS:
        return ERROR
    if lst is UNDEFINED:
        return UNDEFINED
    if type(lst) is not ListValue:
        return ERROR
    for el in _elements(lst, ctx):
        r, _, v = _operate(op, el, v)
        if r is True:
            if not need_all:
                return True
        elif r is False:
            if need_all:
                return False
        elif r is UNDEFINED:
            return False
        else:
            return ERROR
    return need_all


@builtin("anyCompare", 3, context=True)
def any_compare(ctx: Ctx, op: Any, lst: Any, v: Any) -> Any:
    """``anyCompare(op, list, v)`` (reference 5.1, section 10 item 13): true at the first element
    ``el op v`` that holds; ``op`` is one of ``< <= != == > >= is isnt`` (case-sensitive).  An
    undefined comparison stops the scan with false; an error one gives error."""
    return _list_compare(ctx, op, lst, v, False)


@builtin("allCompare", 3, context=True)
def all_compare(ctx: Ctx, op: Any, lst: Any, v: Any) -> Any:
    """``allCompare(op, list, v)`` (reference 5.1): false at the first element for which
    ``el op v`` is false or undefined; true for an empty list."""
    return _list_compare(ctx, op, lst, v, True)
