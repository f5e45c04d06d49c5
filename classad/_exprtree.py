"""``ExprTree``: an expression, as HTCondor's Python ``classad`` module offers it (reference 8)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from classad.ast import Literal, Node
from classad.convert import ClassAdTypeError, to_node, to_python
from classad.errors import ClassAdException, EvaluationFailure
from classad.eval.compiler import evaluate
from classad.eval.match import match_scopes
from classad.eval.scope import Scope, value_to_node
from classad.exactprint import unparse_exact
from classad.grammar.parser import parse_expression
from classad.printer import pretty, unparse
from classad.semantics import is_old
from classad.values import UNDEFINED

if TYPE_CHECKING:
    from classad._classad import ClassAd


def _check_ad(obj: Any, what: str) -> ClassAd | None:
    from classad._classad import ClassAd

    if obj is None or isinstance(obj, ClassAd):
        return obj
    raise ClassAdTypeError(f"{what} must be a ClassAd or None, got {type(obj).__name__}")


def eval_node(node: Node, scope: ClassAd | None, target: ClassAd | None) -> Any:
    """Evaluate ``node`` as if it were written in ``scope``, matched against ``target``.

    Returns the raw ClassAd value; raises ClassAdException when evaluation fails.
    """
    old = is_old()
    if scope is None and target is None:
        cur: Scope | None = None
        root: Scope | None = None
    elif target is None or target is scope:
        assert scope is not None
        cur = root = scope._scope()
    else:
        from classad._classad import ClassAd

        cur = (scope if scope is not None else ClassAd())._scope()
        root = match_scopes(cur, target._scope(), old)
    try:
        return evaluate(node, cur, root, old)
    except EvaluationFailure:
        raise ClassAdException("failed to evaluate expression") from None


class ExprTree:
    """An immutable ClassAd expression.

    ``ExprTree(text)`` parses new-syntax text in the current semantic mode; ``ExprTree(None)``
    is ``undefined``; another ExprTree is shared; other Python values are converted.  A tree
    taken from an ad with ``ad.lookup(k)`` or ``ad[k]`` remembers that ad as its scope.
    """

    __slots__ = ("_node", "_scope")

    def __init__(self, expr: Any = None) -> None:
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

    def eval(self, scope: ClassAd | None = None, target: ClassAd | None = None) -> Any:
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

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ExprTree):
            return False
        return self._node == other._node

    __hash__ = None  # type: ignore[assignment]

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

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

    def __and__(self, other: Any) -> ExprTree:
        return _build("&", self, other)

    def __or__(self, other: Any) -> ExprTree:
        return _build("|", self, other)

    def __xor__(self, other: Any) -> ExprTree:
        return _build("^", self, other)

    def __lshift__(self, other: Any) -> ExprTree:
        return _build("<<", self, other)

    def __rshift__(self, other: Any) -> ExprTree:
        return _build(">>", self, other)

    def and_(self, other: Any) -> ExprTree:
        """``self && other``."""
        return _build("&&", self, other)

    def or_(self, other: Any) -> ExprTree:
        """``self || other``."""
        return _build("||", self, other)

    def is_(self, other: Any) -> ExprTree:
        """``self is other`` (``=?=``)."""
        return _build("is", self, other)

    def isnt_(self, other: Any) -> ExprTree:
        """``self isnt other`` (``=!=``)."""
        return _build("isnt", self, other)

    def _get(self, index: Any) -> ExprTree:
        """``self[index]``."""
        from classad.builders import subscript

        return subscript(self, index)

    def sameAs(self, other: ExprTree) -> bool:  # noqa: N802 - HTCondor's name
        """Structural equality (the same as ``==``)."""
        return self == other

    def __int__(self) -> int:
        """The evaluated value as a Python int (a real is truncated, a string is read as
        Python reads it); ValueError when it is undefined, error, not a number, or a real
        that is infinite or NaN.  (``classad2`` has no ``int()`` of an ExprTree; an
        evaluation failure raises ClassAdException as ``eval()`` does.)"""
        v = _number(self)
        try:
            return int(v, 10) if isinstance(v, str) else int(v)
        except OverflowError:
            raise ValueError(f"{unparse(self._node)!r} is not a finite number") from None

    def __float__(self) -> float:
        """The evaluated value as a Python float (infinities and NaN included); ValueError as
        for ``int()`` when it is not a number or a string Python does not read as one."""
        return float(_number(self))


def _build(op: str, left: Any, right: Any) -> ExprTree:
    from classad.builders import binary

    return binary(op, left, right)


def _number(tree: ExprTree) -> Any:
    from classad.convert import Value

    v = tree.eval()
    if isinstance(v, Value) or not isinstance(v, (int, float, str)):
        raise ValueError(f"{unparse(tree._node)!r} does not evaluate to a number")
    return v
