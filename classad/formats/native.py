"""Ads as plain Python data and as JSON-ready data, and back, without losing anything.

:func:`to_dict` gives a ``dict`` of plain values: ``bool``, ``int``, ``float``, ``str``,
``None`` for undefined, aware ``datetime`` for absolute times (in the time's own offset),
``timedelta`` for relative times, nested ``dict`` for nested ads and ``list`` for lists.  An
expression that is not a plain value (and ``error``) becomes what ``expressions`` says:

* ``"text"`` (the default): its new-syntax text, as an :class:`ExprText` -- a ``str``
  subclass, so the dict still prints and serialises as text, while :func:`from_dict` knows to
  parse it back into the expression (a plain ``str`` stays a string);
* ``"tree"``: an :class:`~classad.ExprTree`;
* ``"value"``: its value, evaluated where it stands (a nested ad's attribute in that ad, with
  the outer ads around it), converted the same way (``error`` is ``classad.Value.Error``);
* ``"raise"``: :class:`ClassAdConversionError`, naming the attribute (``Job.Env[2]``).

``from_dict(to_dict(ad))`` equals ``ad`` for modes ``"text"`` and ``"tree"`` (relative times
keep microseconds, ``timedelta``'s resolution).

:func:`to_json_obj` gives data that :func:`json.dumps` writes as standard JSON (no NaN) and
:func:`from_json_obj` reads it back exactly: plain values as themselves (reals by ``repr``,
which round-trips), ``null`` for undefined, lists as arrays, nested ads as objects, and the
rest as one-key objects: ``{"$expr": "x + 1"}`` (``error`` is ``{"$expr": "error"}``),
``{"$real": "NaN" | "INF" | "-INF"}``, ``{"$abstime": "2020-01-02T03:04:05+01:00"}`` (or
``[secs, offset]`` outside years 1-9999), ``{"$reltime": 90.5}``.  A nested ad that is itself
a one-key object with such a key is wrapped as ``{"$ad": {...}}``.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Iterable, Mapping
from typing import Any, Literal

from classad._classad import ClassAd
from classad._exprtree import ExprTree, eval_node
from classad.ast import AdExpr, AttrRef, ListExpr, Node, Subscript
from classad.ast import Literal as Lit
from classad.convert import ClassAdTypeError, Value, datetime_to_abstime, to_node
from classad.errors import ClassAdException, EvaluationFailure
from classad.eval.compiler import evaluate, list_values
from classad.eval.scope import Ctx, Scope
from classad.formats.json import sorted_entries
from classad.grammar.parser import parse_expression
from classad.printer import unparse
from classad.semantics import is_old
from classad.values import ERROR, INT64_MAX, INT64_MIN, UNDEFINED, AbsTime, ListValue, RelTime

__all__ = [
    "ClassAdConversionError",
    "ExprText",
    "from_dict",
    "from_json_obj",
    "to_dict",
    "to_json_obj",
]

ExpressionMode = Literal["text", "tree", "value", "raise"]
_MODES = ("text", "tree", "value", "raise")
_UTC = datetime.timezone.utc
_EPOCH = datetime.datetime(1970, 1, 1, tzinfo=_UTC)


class ClassAdConversionError(ClassAdException, ValueError):
    """An attribute that cannot be converted as asked; ``path`` names it (``a.b[2]``)."""

    def __init__(self, message: str, path: str) -> None:
        super().__init__(message)
        self.path = path


class ExprText(str):
    """The text of an expression in a :func:`to_dict` result: a ``str`` that
    :func:`from_dict` parses back into the expression."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"ExprText({str.__repr__(self)})"


# --- times ---------------------------------------------------------------------------------------


def _datetime(t: AbsTime) -> datetime.datetime | None:
    try:
        tz = datetime.timezone(datetime.timedelta(seconds=t.offset))
        return datetime.datetime.fromtimestamp(t.secs, tz)
    except (OverflowError, OSError, ValueError):
        return None


def _abstime(d: datetime.datetime) -> AbsTime:
    """An aware datetime as (UTC seconds, its offset); a naive one is local time, offset 0."""
    off = d.utcoffset()
    if off is None:
        return datetime_to_abstime(d)
    return AbsTime((d - _EPOCH) // datetime.timedelta(seconds=1), int(off.total_seconds()))


def _timedelta(secs: float) -> datetime.timedelta | None:
    try:
        return datetime.timedelta(seconds=secs)
    except (OverflowError, ValueError):
        return None


# --- to_dict -------------------------------------------------------------------------------------


class _ToDict:
    """One :func:`to_dict` call."""

    __slots__ = ("ad", "mode", "old", "seen")

    def __init__(self, ad: ClassAd, mode: str) -> None:
        self.ad = ad
        self.mode = mode
        self.old = is_old()
        self.seen: set[int] = set()  # nested ad values being converted (cycle guard)

    def node(self, node: Node, path: Node, where: str) -> Any:
        """Convert ``node``, found at ``path`` (an expression reaching it from the ad)."""
        cls = node.__class__
        if cls is Lit:
            v = node.value  # type: ignore[attr-defined]
            t = type(v)
            if t is bool or t is int or t is float or t is str:
                return v
            if v is UNDEFINED:
                return None
            if t is AbsTime:
                d = _datetime(v)
                if d is not None:
                    return d
            elif t is RelTime:
                td = _timedelta(v.secs)
                if td is not None:
                    return td
        elif cls is ListExpr:
            return [
                self.node(item, Subscript(path, Lit(i)), f"{where}[{i}]")
                for i, item in enumerate(node.items)  # type: ignore[attr-defined]
            ]
        elif cls is AdExpr:
            return {
                name: self.node(expr, AttrRef(path, name), f"{where}.{name}")
                for name, expr in node.entries  # type: ignore[attr-defined]
            }
        return self.expression(node, path, where)

    def expression(self, node: Node, path: Node, where: str) -> Any:
        mode = self.mode
        if mode == "text":
            return ExprText(unparse(node))
        if mode == "tree":
            top = path.__class__ is AttrRef and path.base is None
            return ExprTree._wrap(node, self.ad if top else None)  # as ad[name] remembers the ad
        if mode == "raise":
            raise ClassAdConversionError(f"attribute {where} is not a plain value: {unparse(node)}", where)
        try:
            v = eval_node(path, self.ad, None)
        except ClassAdException:
            raise ClassAdConversionError(f"attribute {where} could not be evaluated", where) from None
        return self.value(v, self.ad._scope(), where)

    def value(self, v: Any, root: Scope, where: str) -> Any:
        """An evaluated value as plain Python (``"value"`` mode)."""
        t = type(v)
        if t is bool or t is int or t is float or t is str:
            return v
        if v is UNDEFINED:
            return None
        if v is ERROR:
            return Value.Error
        if t is AbsTime:
            d = _datetime(v)
            return d if d is not None else ExprTree._wrap(Lit(v), None)
        if t is RelTime:
            td = _timedelta(v.secs)
            return td if td is not None else float(v.secs)
        try:
            if t is ListValue:
                items = list_values(v, Ctx(root, self.old))
                return [self.value(x, root, f"{where}[{i}]") for i, x in enumerate(items)]
            if t is Scope:
                key = id(v.attrs)
                if key in self.seen:
                    raise ClassAdConversionError(f"attribute {where} holds itself (a cycle)", where)
                self.seen.add(key)
                try:
                    return {
                        name: self.value(evaluate(expr, v, root, self.old), root, f"{where}.{name}")
                        for name, expr in v.entries()
                    }
                finally:
                    self.seen.discard(key)
        except EvaluationFailure:
            raise ClassAdConversionError(f"attribute {where} could not be evaluated", where) from None
        raise TypeError(f"not a ClassAd value: {v!r}")  # pragma: no cover


def to_dict(ad: ClassAd, expressions: ExpressionMode = "text") -> dict[str, Any]:
    """``ad`` as a plain ``dict`` (see the module documentation for the conversions)."""
    if expressions not in _MODES:
        raise ValueError(f"expressions must be one of {', '.join(map(repr, _MODES))}, got {expressions!r}")
    conv = _ToDict(ad, expressions)
    return {name: conv.node(expr, AttrRef(None, name), name) for name, expr in ad._entries()}


# --- from_dict -----------------------------------------------------------------------------------


def _from_python(v: Any) -> Node:
    if v is None:
        return Lit(UNDEFINED)
    if isinstance(v, ExprText):
        return parse_expression(str(v), is_old())
    if isinstance(v, ExprTree):
        return v._node
    if isinstance(v, ClassAd):
        return AdExpr(tuple(v._entries()))
    if isinstance(v, datetime.datetime):
        return Lit(_abstime(v))
    if isinstance(v, datetime.timedelta):
        return Lit(RelTime(v.total_seconds(), exact=True))
    if isinstance(v, Mapping):
        return AdExpr(tuple(_entries(v)))
    if isinstance(v, (list, tuple)):
        return ListExpr(tuple(_from_python(x) for x in v))
    return to_node(v)  # str, bytes, bool, int, float, Value, other iterables; or TypeError


def _entries(d: Mapping[Any, Any]) -> Iterable[tuple[str, Node]]:
    for k, v in d.items():
        if not isinstance(k, str):
            raise ClassAdTypeError(f"ClassAd keys are strings, got {type(k).__name__}")
        yield k, _from_python(v)


def from_dict(d: Mapping[str, Any]) -> ClassAd:
    """The ad a :func:`to_dict` result (or any mapping of plain values) describes.

    :class:`ExprText` values are parsed as expressions (in the current semantic mode) and
    ``ExprTree`` values taken as they are; aware datetimes keep their offset; ``timedelta``
    values become relative times; other values convert as ``ClassAd(dict)`` converts them.
    """
    return ClassAd._from_entries(list(_entries(d)))


# --- JSON-ready data -----------------------------------------------------------------------------

_TAGS = frozenset({"$expr", "$real", "$abstime", "$reltime", "$ad"})
_SPECIAL_REALS = {"NaN": math.nan, "INF": math.inf, "-INF": -math.inf}


def _special_real(r: float) -> str | None:
    if r != r:
        return "NaN"
    if r == math.inf:
        return "INF"
    if r == -math.inf:
        return "-INF"
    return None


def _json_value(node: Node, hco: bool) -> Any:
    cls = node.__class__
    if cls is Lit:
        v = node.value  # type: ignore[attr-defined]
        t = type(v)
        if t is bool or t is int or t is str:
            return v
        if t is float:
            special = _special_real(v)
            return v if special is None else {"$real": special}
        if v is UNDEFINED:
            return None
        if v is ERROR:
            return {"$expr": "error"}
        if t is AbsTime:
            d = _datetime(v)
            if d is not None and v.offset % 60 == 0:
                return {"$abstime": d.isoformat()}
            return {"$abstime": [v.secs, v.offset]}
        if t is RelTime:
            secs = float(v.secs)
            special = _special_real(secs)
            return {"$reltime": secs if special is None else special}
    elif cls is ListExpr:
        return [_json_value(item, hco) for item in node.items]  # type: ignore[attr-defined]
    elif cls is AdExpr:
        obj = _json_ad(node.entries, hco)  # type: ignore[attr-defined]
        return {"$ad": obj} if len(obj) == 1 and next(iter(obj)) in _TAGS else obj
    return {"$expr": unparse(node, hco)}


def _json_ad(entries: Iterable[tuple[str, Node]], hco: bool) -> dict[str, Any]:
    return {name: _json_value(expr, hco) for name, expr in sorted_entries(entries, hco)}


def to_json_obj(ad: ClassAd, *, htcondor_order: bool = False) -> dict[str, Any]:
    """``ad`` as JSON-ready data (``json.dumps`` writes it as standard JSON) that
    :func:`from_json_obj` turns back into an equal ad."""
    return _json_ad(ad._entries(), htcondor_order)


def _bad(what: str, obj: Any) -> ClassAdConversionError:
    return ClassAdConversionError(f"not a valid {what}: {obj!r}", what)


def _from_json(obj: Any) -> Node:
    if obj is None:
        return Lit(UNDEFINED)
    t = type(obj)
    if t is bool or t is str or t is float:
        return Lit(obj)
    if t is int:
        if not INT64_MIN <= obj <= INT64_MAX:
            raise _bad("64-bit integer", obj)
        return Lit(obj)
    if isinstance(obj, list):
        return ListExpr(tuple(_from_json(x) for x in obj))
    if not isinstance(obj, Mapping):
        raise ClassAdTypeError(f"not JSON data: {type(obj).__name__}")
    if len(obj) == 1:
        ((tag, body),) = obj.items()
        if tag in _TAGS:
            return _from_tag(tag, body)
    return AdExpr(tuple(_json_entries(obj)))


def _from_tag(tag: str, body: Any) -> Node:
    if tag == "$expr":
        if not isinstance(body, str):
            raise _bad("$expr", body)
        return parse_expression(body, is_old())
    if tag == "$real":
        if body not in _SPECIAL_REALS:
            raise _bad("$real", body)
        return Lit(_SPECIAL_REALS[body])
    if tag == "$reltime":
        if isinstance(body, str) and body in _SPECIAL_REALS:
            return Lit(RelTime(_SPECIAL_REALS[body], exact=True))
        if type(body) not in (int, float):
            raise _bad("$reltime", body)
        return Lit(RelTime(float(body), exact=True))
    if tag == "$abstime":
        if isinstance(body, str):
            try:
                d = datetime.datetime.fromisoformat(body)
            except ValueError:
                raise _bad("$abstime", body) from None
            if d.utcoffset() is None:
                raise _bad("$abstime (it needs a UTC offset)", body)
            return Lit(_abstime(d))
        if isinstance(body, list) and len(body) == 2 and all(type(x) is int for x in body):
            return Lit(AbsTime(body[0], body[1]))
        raise _bad("$abstime", body)
    # "$ad": an ad that would otherwise look like a tagged value
    if not isinstance(body, Mapping):
        raise _bad("$ad", body)
    return AdExpr(tuple(_json_entries(body)))


def _json_entries(obj: Mapping[Any, Any]) -> Iterable[tuple[str, Node]]:
    for k, v in obj.items():
        if not isinstance(k, str):
            raise ClassAdTypeError(f"ClassAd keys are strings, got {type(k).__name__}")
        yield k, _from_json(v)


def from_json_obj(obj: Mapping[str, Any]) -> ClassAd:
    """The ad that :func:`to_json_obj` data (e.g. from ``json.load``) describes."""
    if not isinstance(obj, Mapping):
        raise ClassAdTypeError(f"an ad is a JSON object (a dict), got {type(obj).__name__}")
    return ClassAd._from_entries(list(_json_entries(obj)))
