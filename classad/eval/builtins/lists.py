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

from collections.abc import Callable, Iterator
from typing import Any

from classad.ast import Node
from classad.errors import EvaluationFailure
from classad.eval import operators as ops
from classad.eval.functions import builtin
from classad.eval.scope import Ctx, Scope, current
from classad.values import ERROR, UNDEFINED, ListValue

_NUMBER = (bool, int, float)


class _Raise:
    """The default of :func:`iter_elements`'s ``on_failure``: a failing element fails."""

    __slots__ = ()


RAISE = _Raise()


def iter_elements(lv: ListValue, scope: Scope | None, ctx: Ctx, on_failure: Any = RAISE) -> Iterator[Any]:
    """A list's elements as the built-in functions see them, evaluated one at a time as the
    caller asks for them (HTCondor's functions stop at the first element that decides the
    result, so a later element that would fail is never evaluated).

    HTCondor evaluates a list's element expressions with the current ad of the function call
    (not the ad the list was written in) as the current ad, so ``[x = 1; b = [x = 2; l = {x}]]``
    has ``sum(b.l)`` 1 although ``b.l[0]`` is 2; ad and list literals among the elements keep
    the ad they are written in as their parent.  A detached (self-contained) list's elements
    have no enclosing ad.  Computed lists (function results, projections) give their values.

    An element whose evaluation fails fails the caller, unless ``on_failure`` is given: then
    that value stands for the element (``countMatches``, ``evalInEachContext`` and
    ``regexpMember`` take a failing element as error).  Running out of Python stack always
    propagates."""
    from classad.eval.compiler import StackFailure, compiled, counting
    from classad.eval.scope import MAX_EVAL_DEPTH

    if lv.items is None:
        assert lv.values is not None
        yield from lv.values
        return
    lex = None if lv.detached else lv.scope
    cur = current(scope, ctx)
    for item in lv.items:
        fn = compiled(item)
        if ctx.depth + item.h > MAX_EVAL_DEPTH:
            fn = counting(item)
        saved = ctx.cur
        ctx.cur = cur
        try:
            v = fn(lex, ctx)
        except StackFailure:
            raise
        except EvaluationFailure:
            if on_failure is RAISE:
                raise
            v = on_failure
        finally:
            ctx.cur = saved
        yield v


def elements(lv: ListValue, scope: Scope | None, ctx: Ctx) -> list[Any]:
    """All of a list's elements, evaluated as :func:`iter_elements` does."""
    return list(iter_elements(lv, scope, ctx))


Fn = Callable[[Any, Ctx], Any]


def scoped(
    name: str, min_args: int, max_args: int | None = None
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``fn(scope, ctx, *values)``: a built-in with evaluated arguments that also gets
    the calling scope and evaluation state (to evaluate list elements, see :func:`elements`)."""

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        def call(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
            return fn(scope, ctx, *[a(scope, ctx) for a in args])

        call.__name__ = fn.__name__
        call.__doc__ = fn.__doc__
        builtin(name, min_args, max_args, lazy=True)(call)
        return fn

    return register


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


@scoped("member", 2)
def member(scope: Scope | None, ctx: Ctx, v: Any, lst: Any) -> Any:
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
    for el in iter_elements(lst, scope, ctx):
        r, _, v = _operate("==", el, v)
        if r is True:
            return True
    return False


@scoped("identicalMember", 2)
def identical_member(scope: Scope | None, ctx: Ctx, v: Any, lst: Any) -> Any:
    """``identicalMember(v, list)`` (reference 5.1): some element ``=?= v``.

    An undefined list gives undefined; a non-list second argument or a list/ad ``v`` gives
    error; ``identicalMember(undefined, {undefined})`` and ``(error, {error})`` are true.
    """
    if lst is UNDEFINED:
        return UNDEFINED
    tv = type(v)
    if type(lst) is not ListValue or tv is ListValue or tv is Scope:
        return ERROR
    for el in iter_elements(lst, scope, ctx):
        if ops.identical(el, v) is True:
            return True
    return False


# --- aggregates -------------------------------------------------------------------------------


def _sum_avg(scope: Scope | None, ctx: Ctx, lst: Any, average: bool) -> Any:
    if lst is UNDEFINED:
        return UNDEFINED
    if type(lst) is not ListValue:
        return ERROR
    result: Any = 0
    first = True
    count = 0
    for el in iter_elements(lst, scope, ctx):
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


@scoped("sum", 1)
def sum_(scope: Scope | None, ctx: Ctx, lst: Any) -> Any:
    """``sum(list)`` (reference 5.1, section 10 item 12): a fold with ``+`` from the first defined
    element (so ``sum({true})`` is ``true``); undefined elements are skipped, any other
    non-number gives error; ``sum({})`` is the integer 0."""
    return _sum_avg(scope, ctx, lst, False)


@scoped("avg", 1)
def avg(scope: Scope | None, ctx: Ctx, lst: Any) -> Any:
    """``avg(list)`` (reference 5.1, section 10 item 12): the sum divided by the number of
    defined elements as a real; with no defined element the sum itself, the integer 0."""
    return _sum_avg(scope, ctx, lst, True)


def _bound(scope: Scope | None, ctx: Ctx, lst: Any, op: str) -> Any:
    if lst is UNDEFINED:
        return UNDEFINED
    if type(lst) is not ListValue:
        return ERROR
    result: Any = UNDEFINED
    first = True
    for el in iter_elements(lst, scope, ctx):
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


@scoped("min", 1)
def min_(scope: Scope | None, ctx: Ctx, lst: Any) -> Any:
    """``min(list)`` (reference 5.1): the smallest number, skipping undefined; empty gives
    undefined, a non-number element error.  The running bound is promoted in place."""
    return _bound(scope, ctx, lst, "<")


@scoped("max", 1)
def max_(scope: Scope | None, ctx: Ctx, lst: Any) -> Any:
    """``max(list)`` (reference 5.1, section 10 item 12): the largest number; ``max({3, 1.5})``
    is ``3.0`` because the comparison promoted the running bound to a real."""
    return _bound(scope, ctx, lst, ">")


# --- anyCompare / allCompare --------------------------------------------------------------------

_COMPARE_OPS = frozenset({"<", "<=", "!=", "==", ">", ">=", "is", "isnt"})


def _list_compare(args: list[Fn], scope: Scope | None, ctx: Ctx, need_all: bool) -> Any:
    # HTCondor checks the operator before it evaluates the list, and the list before it
    # evaluates the value: a later argument that would fail is not reached.
    op = args[0](scope, ctx)
    if op is UNDEFINED:
        return UNDEFINED
    if type(op) is not str or op not in _COMPARE_OPS:
        return ERROR
    lst = args[1](scope, ctx)
    if lst is UNDEFINED:
        return UNDEFINED
    if type(lst) is not ListValue:
        return ERROR
    v = args[2](scope, ctx)
    for el in iter_elements(lst, scope, ctx):
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


@builtin("anyCompare", 3, lazy=True)
def any_compare(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """``anyCompare(op, list, v)`` (reference 5.1, section 10 item 13): true at the first element
    ``el op v`` that holds; ``op`` is one of ``< <= != == > >= is isnt`` (case-sensitive).  An
    undefined comparison stops the scan with false; an error one gives error.  A bad operator
    or a non-list gives its result before the later arguments are evaluated."""
    return _list_compare(args, scope, ctx, False)


@builtin("allCompare", 3, lazy=True)
def all_compare(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """``allCompare(op, list, v)`` (reference 5.1): false at the first element for which
    ``el op v`` is false or undefined; true for an empty list.  Arguments are evaluated as for
    ``anyCompare``."""
    return _list_compare(args, scope, ctx, True)
