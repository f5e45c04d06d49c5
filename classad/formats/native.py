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
keep microseconds, ``timedelta``'s resolution): expression texts write reals with the shortest
digits that read back exactly (:mod:`classad.exactprint`), not HTCondor's 16.

In ``"value"`` mode a value that is a list or ad already being converted around it (``[a =
{a}]``: ``a[0]`` is the list itself) is given unevaluated, as an ``ExprTree``, the way
``classad2``'s ``eval`` gives list elements (``ClassAd("[a = {a}]").eval("a")`` is ``[a]``
there), so the conversion always ends; values nested deeper than the parser allows raise
:class:`ClassAdConversionError`.

The Python-object side is checked as ``ClassAd(dict)`` checks it (:mod:`classad.convert`):
a value nested deeper than HTCondor's parser accepts (500, each ad or list costing 3), a
container that contains itself, or a string or name holding NUL raises
:class:`~classad.convert.ClassAdTypeError` naming where (``a.b[2]``).  Every walk here
recurses once per level of nesting, which those limits bound.

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
from classad._exprtree import ExprTree
from classad.ast import AdExpr, ListExpr, Node
from classad.ast import Literal as Lit
from classad.convert import (
    NUL_STRING,
    TOO_DEEP,
    Bad,
    ClassAdTypeError,
    Converter,
    Value,
    container_too_deep,
    datetime_to_abstime,
    lossless_strings,
    to_python,
)
from classad.errors import ClassAdException
from classad.eval.compiler import evaluate, list_values
from classad.eval.scope import Ctx, Scope
from classad.exactprint import unparse_exact
from classad.formats.json import sorted_entries
from classad.grammar.parser import parse_expression
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


def _container_key(v: Any) -> tuple[int, ...] | None:
    """The identity of an evaluated list or ad (None for other values): the element tuple and
    the scope of a list, the attributes of an ad -- what repeats when evaluation cycles."""
    t = type(v)
    if t is Scope:
        return (id(v.attrs),)
    if t is ListValue and v.items is not None:
        return (id(v.items), id(v.scope.attrs) if v.scope is not None else 0)
    return None


class _ToDict:
    """One :func:`to_dict` call."""

    __slots__ = ("ad", "mode", "old", "root", "seen")

    def __init__(self, ad: ClassAd, mode: str) -> None:
        self.ad = ad
        self.mode = mode
        self.old = is_old()
        self.root = ad._scope()
        self.seen: set[tuple[int, ...]] = set()  # lists and ads being converted (cycle guard)

    def node(self, node: Node, scope: Scope, where: str, level: int) -> Any:
        """Convert ``node``, written in ``scope`` (the ad holding it) at nesting ``level``."""
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
            assert isinstance(node, ListExpr)
            lkey = (id(node.items), id(scope.attrs))
            self.seen.add(lkey)
            try:
                out = []
                for i, item in enumerate(node.items):
                    out.append(self.node(item, scope, f"{where}[{i}]", level + 1))
                return out
            finally:
                self.seen.discard(lkey)
        elif cls is AdExpr:
            assert isinstance(node, AdExpr)
            inner = Scope(node.attrs, scope, node.entries)  # as evaluation makes it
            key = (id(node.attrs),)
            self.seen.add(key)
            try:
                return {
                    name: self.node(expr, inner, f"{where}.{name}", level + 1) for name, expr in node.entries
                }
            finally:
                self.seen.discard(key)
        return self.expression(node, scope, where, level)

    def expression(self, node: Node, scope: Scope, where: str, level: int) -> Any:
        mode = self.mode
        if mode == "text":
            return ExprText(unparse_exact(node))
        if mode == "tree":
            return ExprTree._wrap(node, self.ad if level == 1 else None)  # as ad[name] remembers the ad
        if mode == "raise":
            text = unparse_exact(node)
            raise ClassAdConversionError(f"attribute {where} is not a plain value: {text}", where)
        v = self.evaluate(node, scope, where)
        key = _container_key(v)
        if key is not None and key in self.seen:
            return ExprTree._wrap(node, None)  # the value is what holds it: a cycle
        return self.value(v, where, level)

    def evaluate(self, node: Node, scope: Scope, where: str) -> Any:
        try:
            return evaluate(node, scope, self.root, self.old)
        except ClassAdException:
            raise ClassAdConversionError(f"attribute {where} could not be evaluated", where) from None

    def value(self, v: Any, where: str, level: int) -> Any:
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
        if t is not ListValue and t is not Scope:
            raise TypeError(f"not a ClassAd value: {v!r}")  # pragma: no cover
        if container_too_deep(level):
            raise ClassAdConversionError(f"attribute {where}: {TOO_DEEP}", where)
        key = _container_key(v)
        if key is not None:
            self.seen.add(key)
        try:
            if t is ListValue:
                return self.list_value(v, where, level)
            out: dict[str, Any] = {}
            for name, expr in v.entries():
                at = f"{where}.{name}"
                out[name] = self.element(self.evaluate(expr, v, at), expr, at, level)
            return out
        except ClassAdException as exc:
            if isinstance(exc, ClassAdConversionError):
                raise
            raise ClassAdConversionError(f"attribute {where} could not be evaluated", where) from None
        finally:
            if key is not None:
                self.seen.discard(key)

    def list_value(self, v: ListValue, where: str, level: int) -> list[Any]:
        items = list_values(v, Ctx(self.root, self.old))
        nodes = v.items
        out = []
        for i, x in enumerate(items):
            out.append(self.element(x, nodes[i] if nodes is not None else None, f"{where}[{i}]", level))
        return out

    def element(self, x: Any, expr: Node | None, where: str, level: int) -> Any:
        """An evaluated element of a list or ad value (``expr``: its expression, if known)."""
        key = _container_key(x)
        if key is not None and key in self.seen:
            # A cycle: give the element as classad2's eval gives list elements, unevaluated.
            return ExprTree._wrap(expr, None) if expr is not None else to_python(x)
        return self.value(x, where, level + 1)


def to_dict(ad: ClassAd, expressions: ExpressionMode = "text") -> dict[str, Any]:
    """``ad`` as a plain ``dict`` (see the module documentation for the conversions)."""
    if expressions not in _MODES:
        raise ValueError(f"expressions must be one of {', '.join(map(repr, _MODES))}, got {expressions!r}")
    conv = _ToDict(ad, expressions)
    root = conv.root
    conv.seen.add((id(ad._attrs),))
    with lossless_strings():  # strings that are not UTF-8 keep their bytes (surrogate escapes)
        return {name: conv.node(expr, root, name, 1) for name, expr in ad._entries()}


# --- from_dict -----------------------------------------------------------------------------------


def _from_dict_special(v: Any) -> Node | None:
    """What :func:`from_dict` reads differently from ``ClassAd(dict)``."""
    if isinstance(v, ExprText):
        return parse_expression(str(v), is_old())
    if isinstance(v, datetime.datetime):
        return Lit(_abstime(v))
    if isinstance(v, datetime.timedelta):
        return Lit(RelTime(v.total_seconds(), exact=True))
    return None


def from_dict(d: Mapping[str, Any]) -> ClassAd:
    """The ad a :func:`to_dict` result (or any mapping of plain values) describes.

    :class:`ExprText` values are parsed as expressions (in the current semantic mode) and
    ``ExprTree`` values taken as they are; aware datetimes keep their offset; ``timedelta``
    values become relative times; other values convert as ``ClassAd(dict)`` converts them.
    Raises :class:`~classad.convert.ClassAdTypeError` (naming the attribute) for what cannot
    be an ad: values nested too deeply, containers holding themselves, NUL in strings or names.
    """
    if not isinstance(d, Mapping):
        raise ClassAdTypeError(f"from_dict needs a mapping, got {type(d).__name__}")
    try:
        return ClassAd._from_entries(Converter(_from_dict_special).entries(d, 1))
    except Bad as exc:
        raise exc.error() from None


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
        out = []
        for item in node.items:  # type: ignore[attr-defined]
            out.append(_json_value(item, hco))
        return out
    elif cls is AdExpr:
        obj = _json_ad(node.entries, hco)  # type: ignore[attr-defined]
        return {"$ad": obj} if len(obj) == 1 and next(iter(obj)) in _TAGS else obj
    return {"$expr": unparse_exact(node, hco)}


def _json_ad(entries: Iterable[tuple[str, Node]], hco: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, expr in sorted_entries(entries, hco):
        out[name] = _json_value(expr, hco)
    return out


def to_json_obj(ad: ClassAd, *, htcondor_order: bool = False) -> dict[str, Any]:
    """``ad`` as JSON-ready data (``json.dumps`` writes it as standard JSON) that
    :func:`from_json_obj` turns back into an equal ad (reals, inside expressions too, with the
    shortest digits that read back exactly)."""
    return _json_ad(ad._entries(), htcondor_order)


def _bad(what: str, obj: Any) -> ClassAdConversionError:
    text = repr(obj)
    if len(text) > 200:
        text = text[:200] + "..."
    return ClassAdConversionError(f"not a valid {what}: {text}", what)


class _FromJson(Converter):
    """One :func:`from_json_obj` call: JSON data to expressions (nesting, cycles, paths and sizes
    checked as :class:`~classad.convert.Converter` checks them)."""

    __slots__ = ("old",)
    CYCLE = "JSON data that contains itself cannot be a ClassAd value"

    def __init__(self) -> None:
        super().__init__()
        self.old = is_old()

    def convert(self, obj: Any, level: int) -> Node:
        if obj is None:
            return Lit(UNDEFINED)
        t = type(obj)
        if t is bool or t is float:
            return Lit(obj)
        if t is str:
            if "\x00" in obj:
                raise Bad(NUL_STRING)
            return Lit(obj)
        if t is int:
            if not INT64_MIN <= obj <= INT64_MAX:
                raise _bad("64-bit integer", obj)
            return Lit(obj)
        if isinstance(obj, list):
            return self.sequence(obj, level)
        if not isinstance(obj, Mapping):
            raise ClassAdTypeError(f"not JSON data: {type(obj).__name__}")
        if len(obj) == 1:
            ((tag, body),) = obj.items()
            if tag in _TAGS:
                return self.check(self.tagged(tag, body, level), level)
        return self.mapping(obj, level)

    def tagged(self, tag: str, body: Any, level: int) -> Node:
        if tag == "$expr":
            if not isinstance(body, str):
                raise _bad("$expr", body)
            return parse_expression(body, self.old)
        if tag == "$real":
            if body not in _SPECIAL_REALS:
                raise _bad("$real", body)
            return Lit(_SPECIAL_REALS[body])
        if tag == "$reltime":
            if isinstance(body, str) and body in _SPECIAL_REALS:
                return Lit(RelTime(_SPECIAL_REALS[body], exact=True))
            if type(body) not in (int, float):
                raise _bad("$reltime", body)
            try:
                return Lit(RelTime(float(body), exact=True))
            except OverflowError:
                raise _bad("$reltime", body) from None
        if tag == "$abstime":
            if isinstance(body, str):
                try:
                    d = datetime.datetime.fromisoformat(body)
                except ValueError:
                    raise _bad("$abstime", body) from None
                if d.utcoffset() is None:
                    raise _bad("$abstime (it needs a UTC offset)", body)
                return Lit(_abstime(d))
            if (
                isinstance(body, list)
                and len(body) == 2
                and all(type(x) is int and INT64_MIN <= x <= INT64_MAX for x in body)
            ):
                return Lit(AbsTime(body[0], body[1]))
            raise _bad("$abstime", body)
        # "$ad": an ad that would otherwise look like a tagged value
        if not isinstance(body, Mapping):
            raise _bad("$ad", body)
        return self.mapping(body, level)


def from_json_obj(obj: Mapping[str, Any]) -> ClassAd:
    """The ad that :func:`to_json_obj` data (e.g. from ``json.load``) describes.

    Raises :class:`ClassAdConversionError` for malformed tagged values and
    :class:`~classad.convert.ClassAdTypeError` (naming the attribute) for data that cannot be an
    ad: nested too deeply, containing itself, NUL in strings or names, non-JSON objects."""
    if not isinstance(obj, Mapping):
        raise ClassAdTypeError(f"an ad is a JSON object (a dict), got {type(obj).__name__}")
    try:
        return ClassAd._from_entries(_FromJson().entries(obj, 1))
    except Bad as exc:
        raise exc.error() from None
