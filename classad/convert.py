"""Conversions between Python objects and ClassAd values (reference section 8 tables)."""

from __future__ import annotations

import datetime
import enum
import time
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from classad.ast import AdExpr, ListExpr, Literal, Node
from classad.errors import ClassAdException
from classad.eval.scope import Scope
from classad.values import (
    ERROR,
    INT64_MAX,
    INT64_MIN,
    UNDEFINED,
    AbsTime,
    ListValue,
    RelTime,
    from_bytes,
)

if TYPE_CHECKING:
    pass


class Value(enum.IntEnum):
    """The two exceptional ClassAd values as Python sees them (HTCondor's ``classad.Value``)."""

    Error = 1
    Undefined = 2


class ClassAdTypeError(ClassAdException, TypeError):
    """A Python object that has no ClassAd counterpart (both a ClassAdException and a TypeError)."""


_UTC = datetime.timezone.utc


def to_python(v: Any) -> Any:
    """A ClassAd value as a Python object (the ClassAd-to-Python table of reference 8)."""
    t = type(v)
    if t is bool or t is int or t is float or t is str:
        return v
    if v is UNDEFINED:
        return Value.Undefined
    if v is ERROR:
        return Value.Error
    if t is RelTime:
        return float(v.secs)
    if t is AbsTime:
        try:
            return datetime.datetime.fromtimestamp(v.secs, tz=_UTC)
        except (OverflowError, OSError, ValueError):
            from classad._exprtree import ExprTree

            return ExprTree._wrap(Literal(v), None)
    if t is ListValue:
        if v.items is None:
            return [to_python(x) for x in v.values]
        return [node_to_python(item, v.scope) for item in v.items]
    if t is Scope:
        from classad._classad import ClassAd

        return ClassAd._from_entries(v.entries())
    raise TypeError(f"not a ClassAd value: {v!r}")  # pragma: no cover


def node_to_python(node: Node, scope: Scope | None) -> Any:
    """An unevaluated expression as Python: literals, lists and ads converted, else an ExprTree."""
    cls = node.__class__
    if cls is Literal:
        v = node.value  # type: ignore[attr-defined]
        if type(v) is RelTime:
            return float(v.secs)  # a relTime literal evaluates to a real
        return to_python(v)
    if cls is ListExpr:
        return [node_to_python(item, scope) for item in node.items]  # type: ignore[attr-defined]
    if cls is AdExpr:
        from classad._classad import ClassAd

        return ClassAd._from_entries(list(node.entries))  # type: ignore[attr-defined]
    from classad._exprtree import ExprTree

    return ExprTree._wrap(node, None)


def datetime_to_abstime(d: datetime.datetime) -> AbsTime:
    """A datetime as an absolute time with offset 0; a naive datetime is local time."""
    if d.tzinfo is None:
        secs = time.mktime(d.timetuple())
    else:
        secs = d.timestamp()
    return AbsTime(int(secs), 0)


def to_node(obj: Any) -> Node:
    """A Python object as a ClassAd expression (the Python-to-ClassAd table of reference 8)."""
    from classad._classad import ClassAd
    from classad._exprtree import ExprTree

    if obj is None:
        return Literal(UNDEFINED)
    if isinstance(obj, ExprTree):
        return obj._node
    if isinstance(obj, ClassAd):
        return AdExpr(tuple(obj._entries()))
    if isinstance(obj, Value):
        return Literal(ERROR if obj is Value.Error else UNDEFINED)
    if isinstance(obj, bool):
        return Literal(bool(obj))
    if isinstance(obj, int):
        if not INT64_MIN <= obj <= INT64_MAX:
            raise ValueError(f"integer {obj} does not fit in a ClassAd integer (64-bit signed)")
        return Literal(int(obj))
    if isinstance(obj, float):
        return Literal(float(obj))
    if isinstance(obj, str):
        return Literal(str(obj))
    if isinstance(obj, (bytes, bytearray)):
        return Literal(from_bytes(bytes(obj)))
    if isinstance(obj, datetime.datetime):
        return Literal(datetime_to_abstime(obj))
    if isinstance(obj, Mapping):
        entries = []
        for k, v in obj.items():
            if not isinstance(k, str):
                raise ClassAdTypeError(f"ClassAd keys are strings, got {type(k).__name__}")
            entries.append((k, to_node(v)))
        return AdExpr(tuple(entries))
    if isinstance(obj, Iterable):
        return ListExpr(tuple(to_node(x) for x in obj))
    raise ClassAdTypeError(
        f"Unable to convert Python object to a ClassAd expression: {type(obj).__name__} is not one of"
        " None, bool, int, float, str, bytes, datetime, ExprTree, ClassAd, a mapping or an iterable"
    )


def is_literal_node(node: Node) -> bool:
    """Nodes that ``ClassAd.__getitem__`` converts to Python values rather than ExprTrees."""
    cls = node.__class__
    return cls is Literal or cls is ListExpr or cls is AdExpr
