"""Operator semantics on values (reference 3.2-3.8), written from HTCondor's rules.

Every function takes evaluated values and returns a value; none raises.  Strict operators
let ``error`` win over ``undefined`` in any operand.  Booleans count as integers in
arithmetic (``true + 1`` is 2) but not in bitwise operations or unary minus.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from classad.clib import c_div, c_int, c_mod
from classad.eval.scope import Scope
from classad.values import (
    ERROR,
    INT64_MAX,
    INT64_MIN,
    UNDEFINED,
    AbsTime,
    ListValue,
    RelTime,
    to_bytes,
    wrap_int64,
)

INF = math.inf
_MASK64 = 0xFFFFFFFFFFFFFFFF

# The message HTCondor leaves in CondorErrMsg (returned by lastError()).
last_error: list[str] = [""]


def _is_exc(v: Any) -> bool:
    return v is ERROR or v is UNDEFINED


def _exceptional(a: Any, b: Any) -> Any:
    """Strictness (3.2): error in any operand wins, then undefined; else None."""
    if a is ERROR or b is ERROR:
        return ERROR
    if a is UNDEFINED or b is UNDEFINED:
        return UNDEFINED
    return None


def _real_result(r: float) -> Any:
    """A real result equal to +inf is error; -inf and NaN are kept (3.3)."""
    return ERROR if r == INF else r


# --- arithmetic ------------------------------------------------------------------------------


def _time_arith(op: str, a: Any, b: Any) -> Any:
    """Time arithmetic (3.3, doTimeArithmetic)."""
    ta = type(a)
    tb = type(b)
    if op == "+":
        if ta is AbsTime and tb is RelTime:
            return AbsTime(wrap_int64(a.secs + _trunc_int(b.secs)), a.offset)
        if ta is RelTime and tb is AbsTime:
            return AbsTime(wrap_int64(b.secs + _trunc_int(a.secs)), b.offset)
        if ta is RelTime and tb is RelTime:
            return RelTime(a.secs + b.secs)
        return ERROR
    if op == "-":
        if ta is AbsTime and tb is AbsTime:
            return RelTime(float(a.secs - b.secs))
        if ta is AbsTime and tb is RelTime:
            return AbsTime(wrap_int64(a.secs - _trunc_int(b.secs)), a.offset)
        if ta is RelTime and tb is RelTime:
            return RelTime(a.secs - b.secs)
        return ERROR
    if op == "*":
        if ta is RelTime and (tb is int or tb is float):
            return RelTime(a.secs * b)
        if tb is RelTime and (ta is int or ta is float):
            return RelTime(a * b.secs)
        return ERROR
    if op == "/":
        if ta is RelTime and (tb is int or tb is float):
            return RelTime(_fdiv(a.secs, float(b)))
        return ERROR
    return ERROR


_trunc_int = c_int  # HTCondor adds relative times to absolute ones through an (int) cast


def _fdiv(a: float, b: float) -> float:
    """C double division (no exception on zero)."""
    if b == 0.0:
        if a != a or a == 0.0:
            return math.nan
        return math.copysign(INF, a) * math.copysign(1.0, b)
    return a / b


def _idiv(a: int, b: int) -> Any:
    if b == 0:
        return ERROR
    if a == INT64_MIN and b == -1:
        return INT64_MAX
    return c_div(a, b)


def _imod(a: int, b: int) -> Any:
    if b == 0:
        return ERROR
    if b == -1:
        return 0
    return c_mod(a, b)


def arith(op: str, a: Any, b: Any) -> Any:
    """``+ - * / %`` (3.3)."""
    ta = type(a)
    tb = type(b)
    if ta is int and tb is int:
        if op == "+":
            r = a + b
        elif op == "-":
            r = a - b
        elif op == "*":
            r = a * b
        elif op == "/":
            return _idiv(a, b)
        else:
            return _imod(a, b)
        if INT64_MIN <= r <= INT64_MAX:
            return r
        return ((r + (1 << 63)) & _MASK64) - (1 << 63)
    exc = _exceptional(a, b)
    if exc is not None:
        return exc
    if ta is AbsTime or ta is RelTime or tb is AbsTime or tb is RelTime:
        return _time_arith(op, a, b)  # bools are not numbers here: relTime(60) * true is error
    if ta is bool:
        a = int(a)
        ta = int
    if tb is bool:
        b = int(b)
        tb = int
    if ta is int and tb is int:
        return arith(op, a, b)
    if (ta is float or ta is int) and (tb is float or tb is int):
        if op == "%":
            return ERROR
        fa = float(a)
        fb = float(b)
        if op == "+":
            return _real_result(fa + fb)
        if op == "-":
            return _real_result(fa - fb)
        if op == "*":
            return _real_result(fa * fb)
        return _real_result(_fdiv(fa, fb))
    return ERROR


# --- comparison ------------------------------------------------------------------------------


def _fold(s: str) -> bytes:
    """strcasecmp's view of a string: ASCII case folded, compared as unsigned bytes."""
    return to_bytes(s).lower()


def _cmp_result(op: str, c: int) -> bool:
    if op == "==":
        return c == 0
    if op == "!=":
        return c != 0
    if op == "<":
        return c < 0
    if op == "<=":
        return c <= 0
    if op == ">":
        return c > 0
    return c >= 0


def _num_cmp(op: str, a: float | int, b: float | int) -> bool:
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def compare(op: str, a: Any, b: Any) -> Any:
    """``== != < <= > >=`` (3.4): strict; strings case-insensitive; lists and ads are error."""
    ta = type(a)
    tb = type(b)
    if ta is str and tb is str:
        if a == b:
            return _cmp_result(op, 0)
        fa = _fold(a) if not a.isascii() else a.lower().encode()
        fb = _fold(b) if not b.isascii() else b.lower().encode()
        return _cmp_result(op, (fa > fb) - (fa < fb))
    exc = _exceptional(a, b)
    if exc is not None:
        return exc
    if ta is str or tb is str:
        last_error[0] = "strings can only be compared to strings"
        return ERROR
    if ta in (bool, int, float) and tb in (bool, int, float):
        if ta is float or tb is float:
            return _num_cmp(op, float(a), float(b))
        return _num_cmp(op, int(a), int(b))
    if ta is AbsTime and tb is AbsTime:
        return _num_cmp(op, a.secs, b.secs)
    if ta is RelTime and tb is RelTime:
        return _num_cmp(op, a.secs, b.secs)
    return ERROR


def identical(a: Any, b: Any) -> Any:
    """``=?=`` / ``is`` (3.4): no promotion, case-sensitive strings; lists and ads are error.

    Operands of different types are not identical, and HTCondor tells two kinds of lists and
    of ads apart: a list or ad value pointing into an expression (a literal's value) and a
    self-contained one (what ``ad["name"]`` and the list-building functions ``split``,
    ``splitUserName``, ``splitSlotName``, ``argsToList`` and ``evalInEachContext`` give).  So
    ``{1} =?= split("1")`` is false while ``{1} =?= {1}`` is error."""
    if a is b and (a is ERROR or a is UNDEFINED):
        return True
    ta = type(a)
    tb = type(b)
    if ta is not tb:
        return False  # a list against an ad, or anything of another type
    if ta is ListValue:
        # Self-contained lists are the detached ones (see ListValue.detached).
        return ERROR if a.detached is b.detached else False
    if ta is Scope:
        return ERROR if a.shared is b.shared else False
    if ta is float:
        return bool(a == b)
    if ta is AbsTime:
        return a.secs == b.secs and a.offset == b.offset
    if ta is RelTime:
        return bool(a.secs == b.secs)
    return bool(a == b)


def not_identical(a: Any, b: Any) -> Any:
    """``=!=`` / ``isnt``."""
    r = identical(a, b)
    return r if r is ERROR else not r


# --- bitwise ---------------------------------------------------------------------------------


def bitwise(op: str, a: Any, b: Any) -> Any:
    """``& | ^ << >> >>>`` (3.7): integers only (bool and real are error)."""
    exc = _exceptional(a, b)
    if exc is not None:
        return exc
    if type(a) is not int or type(b) is not int:
        return ERROR
    if op == "&":
        return a & b
    if op == "|":
        return a | b
    if op == "^":
        return a ^ b
    if op == "<<":
        return wrap_int64(a << (b & 63))
    if op == ">>":
        if a < 0:
            return a >> min(b, 64) if b > 0 else a
        return a >> (b & 63)
    # '>>>': logical shift; for negatives HTCondor computes ((a >> 1) & INT64_MAX) >> (b - 1).
    if a < 0:
        return ((a >> 1) & INT64_MAX) >> ((b - 1) & 63)
    return a >> (b & 63)


# --- unary -----------------------------------------------------------------------------------


def negate(v: Any) -> Any:
    """Unary minus (3.8): bool is error."""
    t = type(v)
    if t is int:
        return wrap_int64(-v)
    if t is float:
        return -v  # -real("-INF") is +inf here: unary minus skips the +inf check
    if t is RelTime:
        return RelTime(-v.secs)
    if v is UNDEFINED or v is ERROR:
        return v
    return ERROR


def plus(v: Any) -> Any:
    """Unary plus (3.2): copies numbers and exceptional values; bool, string, ... are error."""
    t = type(v)
    if t is int or t is float or t is RelTime or v is UNDEFINED or v is ERROR:
        return v
    return ERROR


def bit_not(v: Any) -> Any:
    """``~``: integers only."""
    if type(v) is int:
        return ~v
    if v is UNDEFINED or v is ERROR:
        return v
    return ERROR


def to_bool(v: Any) -> Any:
    """IsBooleanValueEquiv: bool, or int/real compared with zero; else error (or U/E itself)."""
    t = type(v)
    if t is bool:
        return v
    if t is int:
        return v != 0
    if t is float:
        return v != 0.0
    if v is UNDEFINED:
        return UNDEFINED
    return ERROR


def logical_not(v: Any) -> Any:
    """``!`` (3.5)."""
    b = to_bool(v)
    if b is True:
        return False
    if b is False:
        return True
    return b


UNARY: dict[str, Callable[[Any], Any]] = {"-": negate, "+": plus, "~": bit_not, "!": logical_not}
