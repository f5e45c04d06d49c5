"""Type predicates (reference 5.1, ``isType``): exact type tests that never give U or E."""

from __future__ import annotations

from typing import Any

from classad.eval.functions import builtin
from classad.eval.scope import Scope
from classad.values import ERROR, UNDEFINED, AbsTime, ListValue, RelTime


@builtin("isUndefined", 1)
def is_undefined(v: Any) -> bool:
    return v is UNDEFINED


@builtin("isError", 1)
def is_error(v: Any) -> bool:
    return v is ERROR


@builtin("isString", 1)
def is_string(v: Any) -> bool:
    return type(v) is str


@builtin("isInteger", 1)
def is_integer(v: Any) -> bool:
    return type(v) is int


@builtin("isReal", 1)
def is_real(v: Any) -> bool:
    return type(v) is float


@builtin("isList", 1)
def is_list(v: Any) -> bool:
    return type(v) is ListValue


@builtin("isClassAd", 1)
def is_classad(v: Any) -> bool:
    return type(v) is Scope


@builtin("isBoolean", 1)
def is_boolean(v: Any) -> bool:
    return type(v) is bool


@builtin("isAbstime", 1)
def is_abstime(v: Any) -> bool:
    return type(v) is AbsTime


@builtin("isReltime", 1)
def is_reltime(v: Any) -> bool:
    return type(v) is RelTime
