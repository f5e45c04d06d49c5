"""Partial evaluation: ``ClassAd.flatten(expr)`` (HTCondor's ``ClassAd::Flatten``).

This module owns the flattening rules: which sub-expressions fold to values, which stay as
residual trees, and the exact shape of the residual tree HTCondor builds, so that its repr
equals ``classad2``'s byte for byte.  The rules, learnt from HTCondor's behaviour:

* literals fold; list literals always stay trees (their elements flattened); nested ad
  literals stay trees with each attribute flattened inside that ad alone;
* an attribute reference folds to the flattened value of the attribute it finds, and stays
  as written when the attribute is missing, is an ad, or does not fold completely;
* a function call folds when every argument folds (then the call is evaluated), else it
  stays with its flattened arguments; an unknown function gives ``error``;
* ``?:`` with a folded, defined condition is replaced by the chosen branch;
* a :class:`Chain` stands for nested left-associative binary operations.  Comparisons,
  ``-``, ``/``, ``%`` and the shifts keep their operands in place.  The commutative,
  associative operators (``+ * && || & | ^``) gather the values of both operands and move
  the folded value in front: ``x + 1 + y + 2`` becomes ``3 + x + y`` (HTCondor's combine).
"""

from __future__ import annotations

from typing import Any

from classad.ast import (
    AdExpr,
    AttrRef,
    Call,
    Chain,
    Elvis,
    ListExpr,
    Literal,
    Node,
    Paren,
    Subscript,
    Ternary,
    Unary,
)
from classad.errors import EvaluationFailure
from classad.eval import operators as ops
from classad.eval.compiler import resolve, resolve_in, run, subscript
from classad.eval.functions import REGISTRY, ensure_builtins
from classad.eval.scope import MAX_EVAL_WORK, Ctx, Scope, value_to_node
from classad.printer import ordered
from classad.recursion import Rec
from classad.recursion import run as drive
from classad.values import ERROR, UNDEFINED, ListValue, RelTime

__all__ = ["flatten"]

_ASSOC = frozenset({"+", "*", "&&", "||", "&", "|", "^"})
_ALIASES = {"=?=": "is", "=!=": "isnt"}


class _Fail(Exception):
    """HTCondor's Flatten returned false."""


class _State:
    """The flattening state: the evaluation context and the current ad (``curAd``)."""

    __slots__ = ("ctx", "cur", "literal_ads")

    def __init__(self, ctx: Ctx, cur: Scope | None, literal_ads: frozenset[int]) -> None:
        self.ctx = ctx
        self.cur = cur
        # ids of the attribute dicts of the ad literals written in the flattened expression:
        # HTCondor gives those ads no enclosing ad.
        self.literal_ads = literal_ads


# A flattening result: (value, residual tree or None, pending operator or None).  When the
# operator is set, the result stands for ``value op tree`` not yet built.
_Res = tuple[Any, Node | None, str | None]
Step = Rec[_Res]

MAX_REF_DEPTH = 400
"""HTCondor's Flatten fails past this many nested attribute references."""


def _lit(v: Any) -> Node:
    """HTCondor's MakeLiteral: a relative time becomes a real number of seconds."""
    if type(v) is RelTime:
        return Literal(float(v.secs))
    return value_to_node(v)


def _bin(op: str, a: Node, b: Node) -> Node:
    return Chain((a, b), (op,))


def _logic(op: str, a: Any, b: Any) -> Any:
    """``&&``/``||`` on two values, both evaluated (HTCondor's doLogical)."""
    a = _as_bool(a)
    b = _as_bool(b)
    if not (type(a) is bool or a is UNDEFINED or a is ERROR):
        return ERROR
    if not (type(b) is bool or b is UNDEFINED or b is ERROR):
        return ERROR
    stop = op == "||"
    if a is stop:
        return stop
    if a is ERROR:
        return ERROR
    if a is (not stop):
        return b
    if type(b) is not bool:
        return b
    if b is stop:
        return stop
    return UNDEFINED


def _as_bool(v: Any) -> Any:
    b = ops.to_bool(v)
    return b if type(b) is bool else v


def _operate(op: str, a: Any, b: Any) -> Any:
    if op == "&&" or op == "||":
        return _logic(op, a, b)
    if op in ("+", "-", "*", "/", "%"):
        return ops.arith(op, a, b)
    if op in ("&", "|", "^", "<<", ">>", ">>>"):
        return ops.bitwise(op, a, b)
    if op == "is":
        return ops.identical(a, b)
    if op == "isnt":
        return ops.not_identical(a, b)
    return ops.compare(op, a, b)


def _eval(node: Node, st: _State) -> Any:
    return run(node, st.cur, st.ctx)


# Each flattening step is a generator (see :mod:`classad.recursion`): it yields
# the step of each sub-expression and receives that sub-expression's result, so flattening
# takes a few Python frames however deep the tree and however long the chain of references.


def _done(res: _Res) -> Step:
    """A step whose result is already known."""
    return res
    yield  # pragma: no cover - makes this a generator


def _as_tree(res: _Res) -> Node:
    """A flattening result as an expression (a folded value becomes a literal)."""
    v, t, _ = res
    return t if t is not None else _lit(v)


def _flat(node: Node, st: _State, want_op: bool = False) -> Step:
    """The step flattening ``node``; ``want_op`` lets an associative chain leave its folded
    value pending for the operator around it (HTCondor's combine)."""
    cls = node.__class__
    if cls is Literal:
        assert isinstance(node, Literal)
        v = node.value
        # A relative-time literal flattens to its number of seconds (a real).
        return _done(((float(v.secs) if type(v) is RelTime else v), None, None))
    if cls is Chain:
        assert isinstance(node, Chain)
        return _flat_chain(node, st, want_op)
    if cls is AttrRef:
        assert isinstance(node, AttrRef)
        return _flat_ref(node, st)
    if cls is Paren or cls is Unary:
        return _flat_one(node, st)
    if cls is Ternary:
        assert isinstance(node, Ternary)
        return _flat_ternary(node, st)
    if cls is Elvis or cls is Subscript:
        return _flat_pair(node, st)
    if cls is Call:
        assert isinstance(node, Call)
        return _flat_call(node, st)
    if cls is ListExpr or cls is AdExpr:
        return _flat_container(node, st)
    raise TypeError(f"unknown node {node!r}")  # pragma: no cover


def _flat_one(node: Node, st: _State) -> Step:
    """``(e)`` and unary operators."""
    if isinstance(node, Paren):
        v, t, _ = yield _flat(node.inner, st)
        return (None, Paren(t), None) if t is not None else (v, None, None)
    assert isinstance(node, Unary)
    v, t, _ = yield _flat(node.operand, st)
    if t is not None:
        return None, Unary(node.op, t), None
    return ops.UNARY[node.op](v), None, None


def _flat_container(node: Node, st: _State) -> Step:
    """List literals stay lists of flattened elements; ad literals stay ads."""
    if isinstance(node, ListExpr):
        items: list[Node] = []
        for i in node.items:
            items.append(_as_tree((yield _flat(i, st))))
        return None, ListExpr(tuple(items)), None
    assert isinstance(node, AdExpr)
    # The flattened ad is a new ad: HTCondor's attribute order, no enclosing ad.
    inner = _State(st.ctx, Scope(node.attrs, None, node.entries), st.literal_ads)
    entries: list[tuple[str, Node]] = []
    for n, e in ordered(node.entries, True):
        entries.append((n, _as_tree((yield _flat(e, inner)))))
    return None, AdExpr(tuple(entries)), None


def _flat_pair(node: Node, st: _State) -> Step:
    if isinstance(node, Elvis):
        left, right = node.left, node.right
    else:
        assert isinstance(node, Subscript)
        left, right = node.base, node.index
    v1, t1, _ = yield _flat(left, st)
    v2, t2, _ = yield _flat(right, st)
    if t1 is None and t2 is None:
        if isinstance(node, Elvis):
            return (v2 if v1 is UNDEFINED else v1), None, None
        return subscript(v1, v2, st.ctx, st.ctx.depth), None, None
    a = t1 if t1 is not None else _lit(v1)
    b = t2 if t2 is not None else _lit(v2)
    return None, (Elvis(a, b) if isinstance(node, Elvis) else Subscript(a, b)), None


def _flat_ternary(node: Ternary, st: _State) -> Step:
    v1, t1, _ = yield _flat(node.cond, st)
    if t1 is None and v1 is not UNDEFINED:
        b = ops.to_bool(v1)
        if type(b) is not bool:
            return ERROR, None, None
        res: _Res = yield _flat(node.then if b else node.other, st)
        return res
    a2 = _as_tree((yield _flat(node.then, st)))
    a3 = _as_tree((yield _flat(node.other, st)))
    return None, Ternary(t1 if t1 is not None else node.cond, a2, a3), None


def _flat_call(node: Call, st: _State) -> Step:
    ensure_builtins()
    if REGISTRY.get(node.name.lower()) is None:
        return ERROR, None, None
    args: list[Node] = []
    fold = True
    for a in node.args:
        v, t, _ = yield _flat(a, st)
        if t is not None:
            fold = False
            args.append(t)
        else:
            args.append(_lit(v))
    if fold:
        return _eval(node, st), None, None
    return None, Call(node.name, tuple(args)), None


def _flat_ref(node: AttrRef, st: _State) -> Step:
    ctx = st.ctx
    lname = node.lname
    cur = st.cur
    if node.base is not None:
        base = _eval(node.base, st)
        if base is UNDEFINED:
            return None, node, None
        if type(base) is ListValue:
            return None, node, None
        if type(base) is not Scope:
            return ERROR, None, None
        if base.detached:
            return None, node, None
        if id(base.attrs) in st.literal_ads:
            base = Scope(base.attrs, None, base.names)
        expr, found = resolve_in(base, lname, ctx)
    elif node.absolute:
        if ctx.root is None:
            raise _Fail
        expr, found = resolve_in(ctx.root, lname, ctx)
    else:
        expr, found = resolve(cur, lname, ctx)
    if expr is None:
        if found is UNDEFINED or type(found) is Scope or type(found) is ListValue:
            return None, node, None
        return found, None, None
    if expr.__class__ is AdExpr:
        # HTCondor leaves the current ad switched to the one the attribute was found in.
        st.cur = found
        return UNDEFINED, node, None
    st.cur = found
    ctx.depth += 1
    if ctx.depth > MAX_REF_DEPTH:
        raise _Fail
    # HTCondor's flatten has no work limit (references that fan out, a1 = a0 + a0 ..., take
    # time doubling with each level); ours is the evaluator's, so such a flatten fails.
    ctx.work += 1
    if ctx.work > MAX_EVAL_WORK:
        ctx.depth -= 1
        raise _Fail
    try:
        v, t, _ = yield _flat(expr, st)
    finally:
        ctx.depth -= 1
        st.cur = cur
    if t is not None:
        return UNDEFINED, node, None
    return v, None, None


def _flat_chain(node: Chain, st: _State, want_op: bool) -> Step:
    """The left-associative binary operations of a chain, from the left: step ``j`` is
    ``(operands[0] ... operands[j-1]) ops[j-1] operands[j]``.  An operand's value may stay
    pending only when the operator applied to it next is associative (or, for the whole
    chain, when the caller wants it: ``want_op``)."""
    chain_ops = node.ops
    operands = node.operands
    n = len(chain_ops)

    def wants(j: int) -> bool:
        return want_op if j == n else _ALIASES.get(chain_ops[j], chain_ops[j]) in _ASSOC

    res: _Res = yield _flat(operands[0], st, wants(0))
    for j in range(1, n + 1):
        op = _ALIASES.get(chain_ops[j - 1], chain_ops[j - 1])
        v1, t1, op1 = res
        if op not in _ASSOC:
            v2, t2, _ = yield _flat(operands[j], st)
            if t1 is None and t2 is None:
                res = _operate(op, v1, v2), None, None
            else:
                a = t1 if t1 is not None else _lit(v1)
                b = t2 if t2 is not None else _lit(v2)
                res = None, _bin(op, a, b), None
            continue
        v2, t2, op2 = yield _flat(operands[j], st, True)
        val, tree, new_op = _combine(op, v1, t1, op1, v2, t2, op2)
        if not wants(j) and new_op is not None:
            assert tree is not None
            res = None, _bin(new_op, _lit(val), tree), None
        else:
            res = val, tree, new_op
    return res


def _combine(
    op: str, v1: Any, t1: Node | None, op1: str | None, v2: Any, t2: Node | None, op2: str | None
) -> _Res:
    """HTCondor's combine(): merge two flattened operands of an associative operator."""
    if (t1 is None) != (t2 is None) and op in ("&&", "||"):
        # doLogical converts a boolean-equivalent number operand to a boolean in place.
        if t1 is None:
            v1 = _as_bool(v1)
        else:
            v2 = _as_bool(v2)
        val = _logic(op, v1 if t1 is None else UNDEFINED, v2 if t2 is None else UNDEFINED)
        if type(val) is bool:
            return val, None, None
        if op == "&&" and t1 is None and v1 is True:
            return val, t2, None
        if op == "&&" and t2 is None and v2 is True:
            return val, t1, None
    if t1 is None and t2 is None:
        return _operate(op, v1, v2), None, None
    if t1 is None and op2 is None:
        return v1, t2, op
    if t2 is None and op1 is None:
        return v2, t1, op
    if op1 is None and op2 is None:
        assert t1 is not None and t2 is not None
        return None, _bin(op, t1, t2), None
    if op != op1 and op != op2:
        n1 = _bin(op1, _lit(v1), t1) if op1 is not None and t1 is not None else (t1 or _lit(v1))
        n2 = _bin(op2, _lit(v2), t2) if op2 is not None and t2 is not None else (t2 or _lit(v2))
        return None, _bin(op, n1, n2), None
    if op == op1 and op == op2:
        assert t1 is not None and t2 is not None
        return _operate(op, v1, v2), _bin(op, t1, t2), op
    if op == op1:
        assert t1 is not None
        if t2 is None:
            return _operate(op, v1, v2), t1, op
        return v1, _bin(op, t1, t2), op
    assert t2 is not None
    if t1 is None:
        return _operate(op, v1, v2), t2, op
    return v2, _bin(op, t1, t2), op


def _ad_literals(node: Node) -> list[int]:
    """ids of the attribute dicts of the ad literals in ``node``."""
    out: list[int] = []
    todo = [node]
    while todo:
        n = todo.pop()
        if isinstance(n, AdExpr):
            out.append(id(n.attrs))
            todo.extend(e for _, e in n.entries)
        elif isinstance(n, Chain):
            todo.extend(n.operands)
        elif isinstance(n, (Call, ListExpr)):
            todo.extend(n.args if isinstance(n, Call) else n.items)
        elif isinstance(n, Ternary):
            todo.extend((n.cond, n.then, n.other))
        elif isinstance(n, Elvis):
            todo.extend((n.left, n.right))
        elif isinstance(n, Subscript):
            todo.extend((n.base, n.index))
        elif isinstance(n, (Paren, Unary)):
            todo.append(n.inner if isinstance(n, Paren) else n.operand)
        elif isinstance(n, AttrRef) and n.base is not None:
            todo.append(n.base)
    return out


def flatten(node: Node, scope: Scope, old: bool) -> tuple[Any, Node | None]:
    """Flatten ``node`` in the ad ``scope``: (value, None) if it folds, else (None, tree).

    Raises :class:`ValueError` where HTCondor's Flatten fails.
    """
    st = _State(Ctx(scope, old), scope, frozenset(_ad_literals(node)))
    try:
        v, t, _ = drive(_flat(node, st))
    except (_Fail, EvaluationFailure, RecursionError):
        raise ValueError("Unable to flatten expression.") from None
    return (None, t) if t is not None else (v, None)
