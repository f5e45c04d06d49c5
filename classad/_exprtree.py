"""``ExprTree``: an expression, as HTCondor's Python ``classad`` module offers it (reference 8).

Besides ``classad2``'s API it keeps what HTCondor's original (v1) module offered: ``bool()``,
``int()`` and ``float()`` evaluate (``int()`` and ``float()`` read strings as C's ``strtol``
and ``strtod`` do), ``e[i]`` and ``x in e`` evaluate the list ``e`` is, and the arithmetic,
bitwise and ordering operators (reflected ones included) build trees.  ``==`` and ``!=`` build
trees too, but their truth is structural (in)equality, as ``classad2``'s ``==`` is, and hashing
agrees with it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any, overload

from classad.ast import Literal, Node
from classad.convert import ClassAdTypeError, EvalResult, to_node, to_python
from classad.errors import ClassAdEvaluationError, ClassAdException, ClassAdValueError, EvaluationFailure
from classad.eval.compiler import evaluate, evaluate_attribute
from classad.eval.match import match_scopes
from classad.eval.scope import Scope, value_to_node
from classad.exactprint import unparse_exact
from classad.grammar.parser import parse_expression
from classad.printer import pretty, unparse
from classad.semantics import is_old
from classad.values import INT64_MAX, INT64_MIN, UNDEFINED

if TYPE_CHECKING:
    from classad._classad import ClassAd


_AD_CLASS: list[type] = [type(None)]
"""``ClassAd`` once known (it imports this module, so it is looked up on first use)."""


def _check_ad(obj: Any, what: str) -> ClassAd | None:
    if obj is None or obj.__class__ is _AD_CLASS[0]:
        return obj  # type: ignore[return-value]
    from classad._classad import ClassAd

    _AD_CLASS[0] = ClassAd
    if isinstance(obj, ClassAd):
        return obj
    raise ClassAdTypeError(f"{what} must be a ClassAd or None, got {type(obj).__name__}")


def eval_node(node: Node, scope: ClassAd | None, target: ClassAd | None, attr: str | None = None) -> Any:
    """Evaluate ``node`` as if it were written in ``scope``, matched against ``target``
    (``attr``: ``node`` is that attribute of ``scope``, folded, evaluated with no target).

    Returns the raw ClassAd value; raises ClassAdEvaluationError (a ClassAdException) when
    evaluation fails.
    """
    old = is_old()
    if scope is None and target is None:
        cur: Scope | None = None
        root: Scope | None = None
    elif target is None or target is scope:
        assert scope is not None
        cur = root = scope._eval_scope(old)
    else:
        from classad._classad import ClassAd

        cur = (scope if scope is not None else ClassAd())._eval_scope(old)
        root = match_scopes(cur, target._eval_scope(old), old)
    try:
        if attr is not None and cur is not None:
            return evaluate_attribute(node, cur, attr, old)
        return evaluate(node, cur, root, old)
    except EvaluationFailure:
        raise ClassAdEvaluationError("failed to evaluate expression") from None


class ExprTree:
    """An immutable ClassAd expression.

    ``ExprTree(text)`` parses new-syntax text in the current semantic mode; ``ExprTree(None)``
    is ``undefined``; another ExprTree is shared; other Python values are converted.  A tree
    taken from an ad with ``ad.lookup(k)`` or ``ad[k]`` remembers that ad as its scope.
    """

    __slots__ = ("_node", "_scope")

    def __init__(self, expr: str | ExprTree | None = None) -> None:
        self._scope: ClassAd | None = None
        if expr is None:
            self._node: Node = Literal(UNDEFINED)
        elif isinstance(expr, ExprTree):
            self._node = expr._node
            self._scope = expr._scope
        elif isinstance(expr, str):
            self._node = parse_expression(expr, is_old())
        else:
            self._node = to_node(expr)

    @classmethod
    def _wrap(cls, node: Node, scope: ClassAd | None) -> ExprTree:
        tree = cls.__new__(cls)
        tree._node = node
        tree._scope = scope
        return tree

    def eval(self, scope: ClassAd | None = None, target: ClassAd | None = None) -> EvalResult:
        """Evaluate and convert to Python (``Value.Undefined``/``Value.Error`` for U/E)."""
        scope = _check_ad(scope, "scope")
        target = _check_ad(target, "target")
        if scope is None:
            scope = self._scope
        return to_python(eval_node(self._node, scope, target))

    def simplify(self, scope: ClassAd | None = None, target: ClassAd | None = None) -> ExprTree:
        """The evaluated value as an expression (lists and ads keep their unevaluated elements)."""
        scope = _check_ad(scope, "scope")
        target = _check_ad(target, "target")
        if scope is None:
            scope = self._scope
        return ExprTree._wrap(value_to_node(eval_node(self._node, scope, target)), None)

    def same(self, other: object) -> bool:
        """Structural equality: ``other`` is an ExprTree of the same tree (names compare
        case-sensitively, parentheses count)."""
        return isinstance(other, ExprTree) and self._node == other._node

    def __eq__(self, other: object) -> ExprTree | bool:  # type: ignore[override]
        """The expression ``self == other`` (v1 built it), whose truth is structural equality
        (``classad2``'s ``==``): ``if e1 == e2`` and hashing behave as for values, and
        ``Attribute("Owner") == "alice"`` is the tree ``Owner == "alice"``."""
        return _Comparison.of("==", self, other, self.same(other))

    def __hash__(self) -> int:
        return hash(self._node)  # structural, like the truth of ==

    def __ne__(self, other: object) -> ExprTree | bool:  # type: ignore[override]
        """The expression ``self != other``, true when the trees differ structurally."""
        return _Comparison.of("!=", self, other, not self.same(other))

    def __bool__(self) -> bool:
        """The truth of the evaluated value, as in HTCondor's v1 module: ``undefined`` is false,
        ``error`` raises ClassAdEvaluationError, other values as Python judges them (``""``,
        ``0`` and ``{}`` are false)."""
        return bool(self.eval())

    @overload
    def __getitem__(self, index: int) -> EvalResult: ...
    @overload
    def __getitem__(self, index: slice) -> list[EvalResult]: ...
    def __getitem__(self, index: int | slice) -> EvalResult | list[EvalResult]:
        """Element ``index`` of the list this expression evaluates to (v1's ``e[i]``); use
        ``_get`` to build the subscript expression instead."""
        return self._list()[index]

    def __iter__(self) -> Iterator[EvalResult]:
        """The elements of the list this expression evaluates to (v1 iterated that way)."""
        return iter(self._list())

    def __contains__(self, item: object) -> bool:
        """Whether ``item`` is an element of the list this expression evaluates to (v1)."""
        return item in self._list()

    def _list(self) -> list[EvalResult]:
        value = self.eval()
        if not isinstance(value, list):
            raise ClassAdValueError(f"{unparse(self._node)!r} does not evaluate to a list")
        return value

    def __getinitargs__(self) -> tuple[str]:
        return (unparse_exact(self._node),)

    def __repr__(self) -> str:
        return unparse(self._node)

    def __str__(self) -> str:
        return pretty(self._node)

    def __reduce__(self) -> tuple[Any, ...]:
        return (ExprTree, (unparse_exact(self._node),))  # exact reals: every finite double survives

    # --- building expressions (HTCondor's original classad module) ---------------------------

    def __add__(self, other: Any) -> ExprTree:
        return _build("+", self, other)

    def __radd__(self, other: Any) -> ExprTree:
        return _build("+", other, self)

    def __sub__(self, other: Any) -> ExprTree:
        return _build("-", self, other)

    def __rsub__(self, other: Any) -> ExprTree:
        return _build("-", other, self)

    def __mul__(self, other: Any) -> ExprTree:
        return _build("*", self, other)

    def __rmul__(self, other: Any) -> ExprTree:
        return _build("*", other, self)

    def __truediv__(self, other: Any) -> ExprTree:
        return _build("/", self, other)

    def __rtruediv__(self, other: Any) -> ExprTree:
        return _build("/", other, self)

    def __mod__(self, other: Any) -> ExprTree:
        return _build("%", self, other)

    def __rmod__(self, other: Any) -> ExprTree:
        return _build("%", other, self)

    def __and__(self, other: Any) -> ExprTree:
        return _build("&", self, other)

    def __rand__(self, other: Any) -> ExprTree:
        return _build("&", other, self)

    def __or__(self, other: Any) -> ExprTree:
        return _build("|", self, other)

    def __ror__(self, other: Any) -> ExprTree:
        return _build("|", other, self)

    def __xor__(self, other: Any) -> ExprTree:
        return _build("^", self, other)

    def __rxor__(self, other: Any) -> ExprTree:
        return _build("^", other, self)

    def __lshift__(self, other: Any) -> ExprTree:
        return _build("<<", self, other)

    def __rlshift__(self, other: Any) -> ExprTree:
        return _build("<<", other, self)

    def __rshift__(self, other: Any) -> ExprTree:
        return _build(">>", self, other)

    def __rrshift__(self, other: Any) -> ExprTree:
        return _build(">>", other, self)

    def __lt__(self, other: Any) -> ExprTree:
        return _build("<", self, other)

    def __le__(self, other: Any) -> ExprTree:
        return _build("<=", self, other)

    def __gt__(self, other: Any) -> ExprTree:
        return _build(">", self, other)

    def __ge__(self, other: Any) -> ExprTree:
        return _build(">=", self, other)

    def and_(self, expr: Any) -> ExprTree:
        """``self && expr``."""
        return _build("&&", self, expr)

    def or_(self, expr: Any) -> ExprTree:
        """``self || expr``."""
        return _build("||", self, expr)

    def is_(self, expr: Any) -> ExprTree:
        """``self is expr`` (``=?=``)."""
        return _build("is", self, expr)

    def isnt_(self, expr: Any) -> ExprTree:
        """``self isnt expr`` (``=!=``)."""
        return _build("isnt", self, expr)

    def _get(self, index: Any) -> ExprTree:
        """``self[index]``."""
        from classad.builders import subscript

        return subscript(self, index)

    def sameAs(self, expr: ExprTree) -> bool:  # noqa: N802 - HTCondor's name
        """Structural equality (the truth of ``==``)."""
        return self.same(expr)

    def __int__(self) -> int:
        """The evaluated value as a Python int (a real is truncated; a string is read as C's
        ``strtol`` reads it, as HTCondor's v1 module did: leading white space and a sign, then
        decimal digits to the end, ``""`` is 0, beyond 64 bits saturates).  ClassAdValueError
        (a ValueError) when it is undefined, error, not a number, or a real that is infinite
        or NaN.  An evaluation failure raises ClassAdEvaluationError as ``eval()`` does."""
        v = _number(self)
        if isinstance(v, str):
            return _strtol(v, self)
        if isinstance(v, float) and not math.isfinite(v):
            raise ClassAdValueError(f"{unparse(self._node)!r} is not a finite number")
        return int(v)

    def __float__(self) -> float:
        """The evaluated value as a Python float (infinities and NaN included); a string is
        read as C's ``strtod`` reads it (``"0x1p4"`` is 16, ``" 3.5 "`` and ``"1_000"`` are not
        numbers, ``""`` is 0); ClassAdValueError as for ``int()`` otherwise."""
        v = _number(self)
        if isinstance(v, str):
            return _strtod(v, self)
        return float(v)


class _Comparison(ExprTree):
    """The tree ``a == b`` (or ``a != b``) built by ``==`` (``!=``) on trees, whose truth is
    the structural (in)equality of ``a`` and ``b`` rather than the evaluated value."""

    __slots__ = ("_truth",)
    _truth: bool

    @classmethod
    def of(cls, op: str, left: ExprTree, right: object, truth: bool) -> ExprTree | bool:
        """The comparison tree, or just ``truth`` when ``right`` has no ClassAd form."""
        try:
            built = _build(op, left, right)
        except (ClassAdException, TypeError, ValueError):
            return truth
        tree = cls.__new__(cls)
        tree._node = built._node
        tree._scope = None
        tree._truth = truth
        return tree

    def __bool__(self) -> bool:
        return self._truth


def _build(op: str, left: Any, right: Any) -> ExprTree:
    from classad.builders import binary

    return binary(op, left, right)


def _number(tree: ExprTree) -> Any:
    from classad.convert import Value

    v = tree.eval()
    if isinstance(v, Value) or not isinstance(v, (int, float, str)):
        raise ClassAdValueError(f"{unparse(tree._node)!r} does not evaluate to a number")
    return v


_C_SPACE = " \t\n\v\f\r"
_STRTOL = re.compile(r"[ \t\n\v\f\r]*([+-]?[0-9]+)", re.ASCII)
_STRTOD_DEC = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", re.ASCII)
_STRTOD_HEX = re.compile(
    r"[+-]?0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?", re.ASCII
)
_STRTOD_SPECIAL = re.compile(r"[+-]?(?:inf(?:inity)?|nan(?:\([0-9a-zA-Z_]*\))?)", re.ASCII | re.IGNORECASE)


def _not_a_number(s: str, tree: ExprTree) -> ClassAdValueError:
    return ClassAdValueError(f"{unparse(tree._node)!r} is the string {s!r}, which is not a number")


def _strtol(s: str, tree: ExprTree) -> int:
    """``s`` read as ``strtol(s, &end, 10)`` with ``*end == '\\0'`` required (v1's rule)."""
    if s == "":
        return 0
    m = _STRTOL.fullmatch(s)
    if m is None:
        raise _not_a_number(s, tree)
    return max(INT64_MIN, min(INT64_MAX, int(m.group(1))))


def _strtod(s: str, tree: ExprTree) -> float:
    """``s`` read as ``strtod(s, &end)`` with ``*end == '\\0'`` required (v1's rule)."""
    if s == "":
        return 0.0
    body = s.lstrip(_C_SPACE)
    if _STRTOD_DEC.fullmatch(body):
        return float(body)
    if _STRTOD_HEX.fullmatch(body):
        sign = -1.0 if body.startswith("-") else 1.0
        digits = body.lstrip("+-")
        if "p" not in digits.lower():
            digits += "p0"
        try:
            return sign * float.fromhex(digits)
        except OverflowError:
            return sign * math.inf
    if _STRTOD_SPECIAL.fullmatch(body):
        return float(body.split("(")[0])
    raise _not_a_number(s, tree)
