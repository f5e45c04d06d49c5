"""Math functions (reference 5.1 "Math"): ``floor``, ``ceil``/``ceiling``, ``round``, ``pow``,
``quantize`` and ``random``.

As in HTCondor (``doRound``, ``doMath2``, ``random`` in fnCall.cpp) the arguments go through
the real conversion of :func:`~classad.eval.builtins.convert.to_real`, so an undefined argument
is an **error** (reference 10, item 14), strings are read with ``strtod`` and booleans count as
1/0.  Results that come back to integers use the x86-64 double-to-``long long`` cast.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from classad.clib import (
    INT64_MIN,
    c_ceil,
    c_div,
    c_floor,
    c_llong,
    c_pow,
    c_rint,
    wrap32,
    wrap64,
)
from classad.errors import EvaluationFailure
from classad.eval.builtins.convert import to_real
from classad.eval.compiler import list_item
from classad.eval.functions import builtin
from classad.eval.scope import Ctx
from classad.values import ERROR, ListValue

_rng: list[Any] = []
"""The generator of ``random()``, made on its first call (``import random`` costs start-up)."""


def _draw() -> int:
    if not _rng:
        import random

        _rng.append(random.Random())
    return int(_rng[0].randrange(0x7FFFFFFF + 1))


def _rounding(op: Callable[[float], float]) -> Callable[[Any], Any]:
    def fn(v: Any) -> Any:
        if type(v) is int:
            return v
        r = to_real(v)
        if type(r) is not float:
            return ERROR
        return c_llong(op(r))

    return fn


_floor = _rounding(c_floor)
_ceil = _rounding(c_ceil)
_round = _rounding(c_rint)


@builtin("floor", 1)
def floor_(v: Any) -> Any:
    """``floor(x)`` (reference 5.1): an int is returned as is; otherwise an int from the real."""
    return _floor(v)


@builtin("ceil", 1)
def ceil_(v: Any) -> Any:
    """``ceil(x)`` (reference 5.1)."""
    return _ceil(v)


@builtin("ceiling", 1)
def ceiling_(v: Any) -> Any:
    """``ceiling(x)``: the same as ``ceil`` (reference 5.1)."""
    return _ceil(v)


@builtin("round", 1)
def round_(v: Any) -> Any:
    """``round(x)`` (reference 5.1): C ``rint``, i.e. half to even (``round(2.5)`` is 2)."""
    return _round(v)


@builtin("pow", 2)
def pow_(base: Any, exp: Any) -> Any:
    """``pow(b, e)`` (reference 5.1): two ints with ``e >= 0`` give
    ``(long long)(pow(b, e) + 0.5)`` (INT64_MIN on overflow); otherwise a real ``pow`` of the
    real conversions (NaN and infinities are kept)."""
    if type(base) is int and type(exp) is int and exp >= 0:
        return c_llong(c_pow(float(base), float(exp)) + 0.5)
    rb = to_real(base)
    re_ = to_real(exp)
    if type(rb) is not float or type(re_) is not float:
        return ERROR
    return c_pow(rb, re_)


def _quantize_int(ival: int, ibase: int) -> int:
    num = wrap64(ival + ibase - 1)
    if ibase == -1 and num == INT64_MIN:
        # HTCondor dies of SIGFPE here (reference 11); we give the wrapped quotient.
        return INT64_MIN
    return wrap64(c_div(num, ibase) * ibase)


@builtin("quantize", 2, context=True)
def quantize(ctx: Ctx, a: Any, b: Any) -> Any:
    """``quantize(a, b)`` (reference 5.1): round ``a`` up to a multiple of ``b``.

    An int ``b`` uses integer arithmetic for an int ``a`` and returns ``a`` itself (whatever its
    type) when ``b`` is 0; a real ``b`` (or a string, converted) gives ``ceil(a/b)*b`` and
    returns ``a`` itself when ``|b| <= 1e-8``.  A list gives its first element (the element
    value itself) that is ``>= a``, else quantizes by its last element; ``{}`` returns ``a``.
    """
    rval = to_real(a)
    if type(rval) is not float:
        return ERROR
    base: Any
    if type(b) is ListValue:
        base = 0.0
        rbase = 0.0
        for i in range(len(b)):
            item = list_item(b, i, ctx)  # elements are evaluated one by one, as needed
            r = to_real(item)
            if type(r) is not float:
                return ERROR
            base = item
            rbase = r
            if rbase >= rval:
                return item
    else:
        r = to_real(b)
        if type(r) is not float:
            return ERROR
        base = b
        rbase = r
    if type(base) is int:
        if base == 0:
            return a
        if type(a) is int:
            return _quantize_int(a, base)
        return c_ceil(rval / float(base)) * float(base)
    if -1e-8 <= rbase <= 1e-8:
        return a
    return c_ceil(rval / rbase) * rbase


@builtin("random", 0, 1)
def random_(*args: Any) -> Any:
    """``random([max])`` (reference 5.1): an int ``max`` (taken as a 32-bit C int) gives an int
    in ``[0, max)``, a real ``max`` a real in ``[0, max)``, no argument a real in ``[0, 1)``.
    ``max <= 0`` is an evaluation failure (as in HTCondor); other types are an error."""
    m: Any = args[0] if args else 1.0
    t = type(m)
    if t is int:
        imax = wrap32(m)
        if imax <= 0:
            raise EvaluationFailure("random: max <= 0")
        return _draw() % imax
    if t is float:
        if m <= 0:
            raise EvaluationFailure("random: max <= 0")
        return m * (_draw() / float(0x7FFFFFFF))
    return ERROR
