"""Conversions between Python objects and ClassAd values (reference section 8 tables).

Python objects become expressions only if the result can be printed and read back:

* **Depth.** HTCondor's parser accepts an attribute value nested at most 500 units deep
  (:data:`~classad.grammar.parser.MAX_PARSER_DEPTH`; every nested ad or list costs 3, so at
  most 166 levels of them), so deeper values (and a mapping or list that contains itself)
  raise :class:`ClassAdTypeError` naming where, e.g. ``a.b[2]``.  The conversion recurses
  once per level, so this also bounds the Python stack it needs.
* **NUL.** A ClassAd string cannot hold a NUL character (HTCondor's strings are C strings,
  and ``\\0`` is not a valid escape), so a string, ``bytes`` value or attribute name holding
  one raises :class:`ClassAdTypeError` naming the attribute.
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import enum
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, Union

from classad.ast import AdExpr, ListExpr, Literal, Node
from classad.errors import ClassAdException
from classad.eval.scope import Scope
from classad.grammar.parser import MAX_PARSER_DEPTH
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
    from classad._classad import ClassAd
    from classad._exprtree import ExprTree


class Value(enum.IntEnum):
    """The two exceptional ClassAd values as Python sees them (HTCondor's ``classad.Value``).

    As in HTCondor's original (v1) module: ``str`` is the name (``Undefined``), ``repr`` is
    ``classad.Value.Undefined``, ``bool(Value.Undefined)`` is false and ``bool(Value.Error)``
    raises ``ClassAdEvaluationError``, ``int()``/``float()`` raise ``ClassAdValueError``,
    ``Value.names``/``Value.values`` map names and numbers to members, and arithmetic, bitwise
    and ordering operators build expressions (``Value.Undefined + 1`` is the tree
    ``undefined + 1``).  ``==``, ``!=`` and hashing stay the enum's (as in ``classad2``), so
    ``v == Value.Undefined`` is a plain test.
    """

    names: ClassVar[Mapping[str, Value]]
    values: ClassVar[Mapping[int, Value]]

    Error = 1
    Undefined = 2

    def __str__(self) -> str:
        return self.name

    def __repr__(self) -> str:
        return f"classad.Value.{self.name}"

    def __format__(self, spec: str) -> str:
        return format(str(self), spec)

    def __bool__(self) -> bool:
        if self is Value.Error:
            from classad.errors import ClassAdEvaluationError

            raise ClassAdEvaluationError("the truth value of classad.Value.Error is an error")
        return False

    def __int__(self) -> int:
        from classad.errors import ClassAdValueError

        raise ClassAdValueError(f"{self!r} is not a number")

    def __float__(self) -> float:
        from classad.errors import ClassAdValueError

        raise ClassAdValueError(f"{self!r} is not a number")

    def __reduce_ex__(self, proto: object) -> tuple[Any, ...]:
        return (Value, (self._value_,))

    def _tree(self, op: str, other: Any, reflected: bool = False) -> Any:
        from classad.builders import binary

        return binary(op, other, self) if reflected else binary(op, self, other)

    def __add__(self, other: Any) -> Any:
        return self._tree("+", other)

    def __radd__(self, other: Any) -> Any:
        return self._tree("+", other, True)

    def __sub__(self, other: Any) -> Any:
        return self._tree("-", other)

    def __rsub__(self, other: Any) -> Any:
        return self._tree("-", other, True)

    def __mul__(self, other: Any) -> Any:
        return self._tree("*", other)

    def __rmul__(self, other: Any) -> Any:
        return self._tree("*", other, True)

    def __truediv__(self, other: Any) -> Any:
        return self._tree("/", other)

    def __rtruediv__(self, other: Any) -> Any:
        return self._tree("/", other, True)

    def __mod__(self, other: Any) -> Any:
        return self._tree("%", other)

    def __rmod__(self, other: Any) -> Any:
        return self._tree("%", other, True)

    def __and__(self, other: Any) -> Any:
        return self._tree("&", other)

    def __rand__(self, other: Any) -> Any:
        return self._tree("&", other, True)

    def __or__(self, other: Any) -> Any:
        return self._tree("|", other)

    def __ror__(self, other: Any) -> Any:
        return self._tree("|", other, True)

    def __xor__(self, other: Any) -> Any:
        return self._tree("^", other)

    def __rxor__(self, other: Any) -> Any:
        return self._tree("^", other, True)

    def __lshift__(self, other: Any) -> Any:
        return self._tree("<<", other)

    def __rlshift__(self, other: Any) -> Any:
        return self._tree("<<", other, True)

    def __rshift__(self, other: Any) -> Any:
        return self._tree(">>", other)

    def __rrshift__(self, other: Any) -> Any:
        return self._tree(">>", other, True)

    def __lt__(self, other: Any) -> Any:
        return self._tree("<", other)

    def __le__(self, other: Any) -> Any:
        return self._tree("<=", other)

    def __gt__(self, other: Any) -> Any:
        return self._tree(">", other)

    def __ge__(self, other: Any) -> Any:
        return self._tree(">=", other)


Value.names = MappingProxyType({m.name: m for m in Value})
Value.values = MappingProxyType({m.value: m for m in Value})


EvalResult: TypeAlias = Union[
    bool, int, float, str, Value, datetime.datetime, list["EvalResult"], "ClassAd", "ExprTree"
]
"""What evaluating an expression gives in Python; documented where the package exports it
(:data:`classad.EvalResult`)."""


class ClassAdTypeError(ClassAdException, TypeError, ValueError):
    """A Python object that has no ClassAd counterpart (a ClassAdException, a TypeError and, as
    in HTCondor's v1 module, a ValueError).

    ``path`` names where in the value it was found (``a.b[2]``), when known."""

    def __init__(self, message: str, path: str | None = None) -> None:
        super().__init__(message)
        self.path = path


CONTAINER_DEPTH = 3
"""The parser depth one nested ad or list costs (``ListExpr``/``AdExpr`` ``depth``)."""

TOO_DEEP = (
    f"nested too deeply: HTCondor's parser accepts attribute values at most {MAX_PARSER_DEPTH} deep "
    f"(each nested ad or list costs {CONTAINER_DEPTH}), so this could not be printed and read back"
)
"""Why a value nested too deeply is rejected (readers and converters alike)."""

MAX_BUILT_SIZE = 1 << 24
"""The most nodes a tree built from Python may have written out.  Builders and conversions share
subtrees, so a few operations can describe a tree too large to print or evaluate (``e = e + e``
sixty times is 2**61 nodes); past this (about what a 64 MiB text parses to) they raise."""

TOO_LARGE = (
    f"expression too large: more than {MAX_BUILT_SIZE:,} nodes written out (it shares subtrees, "
    "which printing and evaluation would visit each time they occur)"
)

NUL_STRING = "a ClassAd string cannot hold a NUL character (it could not be printed and read back)"
NUL_NAME = "a ClassAd attribute name cannot hold a NUL character (it could not be printed and read back)"


def too_deep(node: Node, level: int) -> bool:
    """Whether ``node``, nested in ``level - 1`` ads or lists inside an attribute's value,
    makes that value deeper than the parser accepts."""
    return node.depth + CONTAINER_DEPTH * (level - 1) > MAX_PARSER_DEPTH


def container_too_deep(level: int) -> bool:
    """Whether any ad or list at nesting ``level`` (1: the attribute's value itself) is
    already too deep, however little it holds (checked before descending into it)."""
    return CONTAINER_DEPTH * level > MAX_PARSER_DEPTH


_UTC = datetime.timezone.utc


_LOSSLESS: contextvars.ContextVar[bool] = contextvars.ContextVar("classad_lossless_strings", default=False)


@contextlib.contextmanager
def lossless_strings() -> Iterator[None]:
    """Within this block (in this thread or task only), strings that are not valid UTF-8 come
    to Python as ``str`` with surrogate escapes (``"\\377"`` as ``'\\udcff'``; ``s.encode("utf-8",
    "surrogateescape")`` gives the bytes back) instead of raising ``UnicodeDecodeError`` as
    ``classad2`` does."""
    token = _LOSSLESS.set(True)
    try:
        yield
    finally:
        _LOSSLESS.reset(token)


def python_str(s: str) -> str:
    """A ClassAd string for Python: as ``classad2``, a string that is not valid UTF-8 raises
    ``UnicodeDecodeError`` (naming the first bad byte), unless :func:`lossless_strings` is on."""
    if s.isascii():
        return s
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        if not _LOSSLESS.get():
            try:
                raw = s.encode("utf-8", "surrogateescape")
            except UnicodeEncodeError:  # pragma: no cover - lone surrogates are rejected on input
                return s
            raw.decode("utf-8")  # raises classad2's error, with its byte and position
    return s


def to_python(v: Any) -> EvalResult:
    """A ClassAd value as a Python object (the ClassAd-to-Python table of reference 8)."""
    t = type(v)
    if t is str:
        return python_str(v)
    if t is bool or t is int or t is float:
        return v  # type: ignore[no-any-return]  # v is one of them
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


def node_to_python(node: Node, scope: Scope | None) -> EvalResult:
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


class Bad(Exception):
    """A conversion error on its way out of nested values: each level adds its part of the
    path (``.name`` or ``[i]``), innermost first."""

    def __init__(self, message: str, kind: type[Exception] = ClassAdTypeError) -> None:
        super().__init__(message)
        self.message = message
        self.kind = kind
        self.parts: list[str] = []

    def path(self, where: str) -> str:
        path = where + "".join(reversed(self.parts))
        return path[1:] if path.startswith(".") else path

    def error(self, where: str = "") -> Exception:
        """The exception to raise, ``where`` (an attribute name, or "") leading the path."""
        path = self.path(where)
        shown = path if len(path) <= 120 else path[:60] + "..." + path[-57:]
        message = f"{self.message} (at {shown})" if path else self.message
        if self.kind is ClassAdTypeError:
            return ClassAdTypeError(message, path or None)
        return self.kind(message)


Special = Callable[[Any], "Node | None"]
"""A hook tried first on every value: a node for the objects it knows, else None."""


class Converter:
    """One conversion of a Python value; ``special`` is tried first on every value."""

    __slots__ = ("active", "special")

    def __init__(self, special: Special | None = None) -> None:
        self.special = special
        self.active: set[int] = set()  # ids of the containers being converted (cycle guard)

    def check(self, node: Node, level: int) -> Node:
        if too_deep(node, level):
            raise Bad(TOO_DEEP)
        if node.size > MAX_BUILT_SIZE:
            raise Bad(TOO_LARGE)
        return node

    def convert(self, obj: Any, level: int) -> Node:
        """``obj`` as an expression, nested in ``level - 1`` containers; raises :class:`Bad`."""
        from classad._classad import ClassAd
        from classad._exprtree import ExprTree

        if self.special is not None:
            node = self.special(obj)
            if node is not None:
                return self.check(node, level)
        if obj is None:
            return Literal(UNDEFINED)
        if isinstance(obj, ExprTree):
            return self.check(obj._node, level)
        if isinstance(obj, ClassAd):
            return self.check(AdExpr(tuple(obj._entries())), level)
        if isinstance(obj, Value):
            return Literal(ERROR if obj is Value.Error else UNDEFINED)
        if isinstance(obj, bool):
            return Literal(bool(obj))
        if isinstance(obj, int):
            if not INT64_MIN <= obj <= INT64_MAX:
                raise Bad(f"integer {obj} does not fit in a ClassAd integer (64-bit signed)", ValueError)
            return Literal(int(obj))
        if isinstance(obj, float):
            return Literal(float(obj))
        if isinstance(obj, str):
            if "\x00" in obj:
                raise Bad(NUL_STRING)
            return Literal(str(obj))
        if isinstance(obj, bytearray):  # a mutable sequence of ints, as v1 and classad2 convert it
            return self.sequence(obj, level)
        if isinstance(obj, bytes):
            if 0 in obj:
                raise Bad(NUL_STRING)
            return Literal(from_bytes(bytes(obj)))
        if isinstance(obj, datetime.datetime):
            return Literal(datetime_to_abstime(obj))
        if isinstance(obj, Mapping):
            return self.mapping(obj, level)
        if isinstance(obj, Iterable):
            return self.sequence(obj, level)
        raise Bad(
            f"Unable to convert Python object to a ClassAd expression: {type(obj).__name__} is not one of"
            " None, bool, int, float, str, bytes, datetime, ExprTree, ClassAd, a mapping or an iterable"
        )

    CYCLE = "a {what} that contains itself cannot be a ClassAd value"
    """The message for a container met again inside itself (``what``: mapping or list)."""

    def _enter(self, obj: Any, level: int, what: str) -> int:
        if container_too_deep(level):
            raise Bad(TOO_DEEP)
        key = id(obj)
        if key in self.active:
            raise Bad(self.CYCLE.format(what=what))
        self.active.add(key)
        return key

    def mapping(self, obj: Mapping[Any, Any], level: int) -> Node:
        """A mapping as a nested ad."""
        key = self._enter(obj, level, "mapping")
        try:
            return self.check(AdExpr(tuple(self.entries(obj, level + 1))), level)
        finally:
            self.active.discard(key)

    def entries(self, obj: Mapping[Any, Any], level: int) -> list[tuple[str, Node]]:
        """A mapping's (name, expression) pairs, the values at nesting ``level``."""
        out = []
        for k, v in obj.items():
            check_name(k)
            try:
                out.append((k, self.convert(v, level)))
            except Bad as exc:
                exc.parts.append("." + k)
                raise
        return out

    def sequence(self, obj: Iterable[Any], level: int) -> Node:
        """An iterable as a list."""
        key = self._enter(obj, level, "list")
        try:
            items = []
            for i, x in enumerate(obj):
                try:
                    items.append(self.convert(x, level + 1))
                except Bad as exc:
                    exc.parts.append(f"[{i}]")
                    raise
            return self.check(ListExpr(tuple(items)), level)
        finally:
            self.active.discard(key)


def check_name(name: Any) -> None:
    """Raise :class:`Bad` unless ``name`` can be an attribute name (a str without NUL)."""
    if not isinstance(name, str):
        raise Bad(f"ClassAd keys are strings, got {type(name).__name__}")
    if "\x00" in name:
        raise Bad(NUL_NAME + f": {name!r}")


def to_node(obj: Any) -> Node:
    """A Python object as a ClassAd expression (the Python-to-ClassAd table of reference 8).

    Raises :class:`ClassAdTypeError` for objects with no ClassAd counterpart, values nested
    too deeply, containers that contain themselves and strings holding NUL (the message says
    where: ``[2].b``), and ``ValueError`` for integers outside the 64-bit range.
    """
    try:
        return Converter().convert(obj, 1)
    except Bad as exc:
        raise exc.error() from None


def to_entry(name: Any, obj: Any) -> Node:
    """The expression of attribute ``name`` set to the Python object ``obj`` (``ad[name] =
    obj``): as :func:`to_node`, with ``name`` checked (a str without NUL) and leading the
    path in error messages (``Job.Env[2]``)."""
    t = type(obj)
    if (t is int or t is float or t is bool or t is str) and type(name) is str and "\x00" not in name:
        # The common plain values, as Converter.convert makes them.
        if t is int:
            if INT64_MIN <= obj <= INT64_MAX:
                return Literal(obj)
        elif t is not str or "\x00" not in obj:
            return Literal(obj)
    try:
        check_name(name)
        return Converter().convert(obj, 1)
    except Bad as exc:
        raise exc.error(name if isinstance(name, str) else "") from None


def is_literal_node(node: Node) -> bool:
    """Nodes that ``ClassAd.__getitem__`` converts to Python values rather than ExprTrees."""
    cls = node.__class__
    return cls is Literal or cls is ListExpr or cls is AdExpr
