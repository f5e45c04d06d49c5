"""Conversion functions (reference 5.1 "Conversion"): ``int``, ``real``, ``string``, ``bool``,
``absTime`` and ``relTime``.

Also the value conversions other built-ins share, written from HTCondor's rules for
``convertValueToRealValue``, ``convertValueToIntegerValue`` and ``convertValueToStringValue``
(``value.cpp``): :func:`to_real`, :func:`to_integer` and :func:`to_string` return the converted
value, or ``undefined`` / ``error`` when the conversion fails (undefined only for an undefined
input).  Strings are read with C ``strtod`` (leading space, ``inf``, ``nan``, hex floats and
trailing garbage are accepted); relative times convert through a C ``int`` (so
``real(relTime(1.5))`` is 1.0); doubles become integers with the x86-64 cast (INT64_MIN when
out of range, reference 11).
"""

from __future__ import annotations

from typing import Any

from classad.clib import INT64_MIN, c_int, c_llong, strtod, wrap32
from classad.errors import EvaluationFailure
from classad.eval.builtins.budget import limit, printed_size_exceeds
from classad.eval.functions import builtin
from classad.eval.scope import Scope, value_to_node
from classad.printer import abstime_to_string, format_literal, reltime_to_string, unparse
from classad.timeparse import local_offset, now_abstime
from classad.values import ERROR, UNDEFINED, AbsTime, ListValue, RelTime, to_bytes

# --- shared value conversions ----------------------------------------------------------------


def reltime_int(t: RelTime) -> int:
    """What HTCondor reads from a relative time as a ``time_t``: ``(int) secs``."""
    return c_int(t.secs)


def to_real(v: Any) -> Any:
    """``convertValueToRealValue``: a float, or undefined (for undefined) / error."""
    t = type(v)
    if t is float:
        return v
    if t is int:
        return float(v)
    if t is bool:
        return 1.0 if v else 0.0
    if t is str:
        r, used = strtod(v)
        if used == 0:
            return ERROR
        return r
    if t is AbsTime:
        return float(v.secs)
    if t is RelTime:
        return float(reltime_int(v))
    if v is UNDEFINED:
        return UNDEFINED
    return ERROR


def to_integer(v: Any) -> Any:
    """``convertValueToIntegerValue``: an int, or undefined (for undefined) / error."""
    t = type(v)
    if t is int:
        return v
    if t is float:
        return c_llong(v)
    if t is bool:
        return 1 if v else 0
    if t is str:
        r, used = strtod(v)
        i = c_llong(r)
        if used == 0 and i == 0:
            return ERROR
        return i
    if t is AbsTime:
        return v.secs
    if t is RelTime:
        return reltime_int(v)
    if v is UNDEFINED:
        return UNDEFINED
    return ERROR


def to_string(v: Any) -> Any:
    """``convertValueToStringValue``: a str, or undefined (for undefined) / error.

    Numbers, booleans, lists and ads are unparsed in new syntax (reals as ``%1.15E``, list
    elements unevaluated, ad attributes in HTCondor's order); times are written without the
    ``absTime(...)``/``relTime(...)`` wrapper, a relative time through a C ``int``.  A list or
    ad whose text would pass the output budget (:mod:`.budget`) is an error, found before the
    text is built.
    """
    t = type(v)
    if t is str:
        return v
    if t is bool or t is int or t is float:
        return format_literal(v)
    if t is ListValue or t is Scope:
        if printed_size_exceeds(v, limit()):
            return ERROR
        return unparse(value_to_node(v), htcondor_order=True)
    if t is AbsTime:
        return abstime_to_string(v)
    if t is RelTime:
        return reltime_to_string(float(reltime_int(v)))
    if v is UNDEFINED:
        return UNDEFINED
    return ERROR


# --- the conversion functions ----------------------------------------------------------------


@builtin("int", 1)
def int_(v: Any) -> Any:
    """``int(x)`` (reference 5.1): reals truncate (x86-64 cast), strings via ``strtod``."""
    return to_integer(v)


@builtin("real", 1)
def real_(v: Any) -> Any:
    """``real(x)`` (reference 5.1): strings via ``strtod``; relative times through a C int."""
    return to_real(v)


@builtin("string", 1)
def string_(v: Any) -> Any:
    """``string(x)`` (reference 5.1): the new-syntax unparse of the value."""
    return to_string(v)


@builtin("bool", 1)
def bool_(v: Any) -> Any:
    """``bool(x)`` (reference 5.1): ``"true"``/``"false"`` (any case), other strings undefined;
    a relative time is true when its C-int seconds are non-zero; abstime, list, ad: error."""
    t = type(v)
    if t is bool:
        return v
    if t is int:
        return v != 0
    if t is float:
        return v != 0.0
    if t is str:
        low = to_bytes(v).lower()
        if low == b"false":
            return False
        if low == b"true":
            return True
        return UNDEFINED
    if t is RelTime:
        return reltime_int(v) != 0
    if v is UNDEFINED:
        return UNDEFINED
    return ERROR


def _offset_arg(v: Any) -> int | None:
    """The offset argument of ``absTime`` as HTCondor's C ``int``, or None if unusable."""
    t = type(v)
    if t is int:
        return wrap32(v)
    if t is float:
        return c_int(v)
    if t is RelTime:
        return reltime_int(v)
    return None


@builtin("absTime", 0, 2)
def abs_time(*args: Any) -> Any:
    """``absTime([x[, offset]])`` at run time (reference 5.1; a string literal is folded by the
    parser).

    No argument: now, in the local offset.  An int (taken as a 32-bit C int), real or relative
    time gives the absolute time with that many seconds and the given offset (int, real or
    relative time, as a C int) or the local offset at that time.  An absolute time is returned
    unchanged and a (non-literal) string is returned as it is.  An int with an offset of -1 is
    an evaluation failure, as in HTCondor.
    """
    if not args:
        return now_abstime()
    arg = args[0]
    offset: int | None = None
    if len(args) == 2:
        offset = _offset_arg(args[1])
        if offset is None:
            return ERROR
    t = type(arg)
    if t is int:
        secs = wrap32(arg)
        off = offset if offset is not None else local_offset(secs)
        if off == -1:
            raise EvaluationFailure("absTime: offset -1")
        return AbsTime(secs, off)
    if t is float or t is RelTime:
        secs = c_int(arg if t is float else arg.secs)
        return AbsTime(secs, offset if offset is not None else local_offset(secs))
    if t is AbsTime or t is str:
        return arg
    if arg is UNDEFINED:
        return UNDEFINED
    return ERROR


@builtin("relTime", 1, 2)
def rel_time(*args: Any) -> Any:
    """``relTime(x)`` at run time (reference 5.1): an int (as a 32-bit C int) or real becomes a
    relative time, an absolute time its seconds, a relative time itself; a (non-literal)
    string gives relative time 0.  A second argument is an error."""
    if len(args) == 2:
        return ERROR
    arg = args[0]
    t = type(arg)
    if t is int:
        return RelTime(float(wrap32(arg)))
    if t is float:
        return RelTime(arg)
    if t is RelTime:
        return arg
    if t is AbsTime:
        return RelTime(float(arg.secs))
    if t is str:
        return RelTime(0.0)
    if arg is UNDEFINED:
        return UNDEFINED
    return ERROR


__all__ = [
    "INT64_MIN",
    "abstime_to_string",
    "reltime_int",
    "reltime_to_string",
    "to_integer",
    "to_real",
    "to_string",
]
