"""Compiling expression trees to Python closures, and evaluating them (reference 3-4).

Each node compiles once, to a closure ``fn(scope, ctx) -> value`` stored on the node.
Short-circuit operators and lazy functions call their operands' closures only when needed.
Evaluation is total: data problems give ``undefined`` or ``error``; only HTCondor's
evaluation *failures* (``.x`` with no root ad, the depth limit) raise
:class:`~classad.errors.EvaluationFailure`.

Depth: HTCondor counts nested operations and attribute references and fails an evaluation
that passes 400.  Each node records ``h``, the deepest such count inside it, and each
reference knows how many operations enclose it, so the limit costs nothing on the hot path.
"""

from __future__ import annotations

import time
from typing import Any, Callable

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
from classad.eval.functions import REGISTRY
from classad.eval.scope import MAX_EVAL_DEPTH, Ctx, Scope
from classad.values import ERROR, UNDEFINED, ListValue, RelTime

Fn = Callable[[Any, Ctx], Any]

def compiled(node: Node) -> Fn:
    """The closure of ``node``, compiling it on first use."""
    fn = node.fn
    if fn is None:
        fn = _compile(node, 0)
    return fn


def height(node: Node) -> int:
    """HTCondor's evaluation-depth cost of ``node`` (operations and references, nested)."""
    if node.fn is None:
        _compile(node, 0)
    return _node_height(node)


def _node_height(node: Node) -> int:
    return node.h


# --- attribute lookup -----------------------------------------------------------------------


def resolve(scope: Scope | None, lname: str, ctx: Ctx) -> tuple[Node | None, Any]:
    """Find ``lname`` from ``scope`` outwards (reference 4, LookupInScope).

    Returns ``(expr, scope_it_lives_in)`` or ``(None, value)`` for special names and misses.
    """
    s = scope
    if s is not None:
        e = s.attrs.get(lname)
        if e is not None:
            return e, s
        special = _SPECIAL.get(lname)
        if special is not None:
            v = special(s, ctx)
            if v is not _NOT_SPECIAL:
                return None, v
        s = s.parent
        while s is not None:
            e = s.attrs.get(lname)
            if e is not None:
                return e, s
            s = s.parent
    if ctx.old and scope is not None and scope.alt is not None:
        # Old semantics: an unscoped name missing from MY is looked up in TARGET.
        s = scope.alt
        while s is not None:
            e = s.attrs.get(lname)
            if e is not None:
                return e, s
            s = s.parent
    return None, UNDEFINED


class _NotSpecial:
    __slots__ = ()


_NOT_SPECIAL = _NotSpecial()


def _sp_root(s: Scope, ctx: Ctx) -> Any:
    return ctx.root if ctx.root is not None else UNDEFINED


def _sp_self(s: Scope, ctx: Ctx) -> Any:
    return s


def _sp_parent(s: Scope, ctx: Ctx) -> Any:
    return s.parent if s.parent is not None else UNDEFINED


def _sp_my(s: Scope, ctx: Ctx) -> Any:
    return s if ctx.old else _NOT_SPECIAL


def _sp_current_time(s: Scope, ctx: Ctx) -> Any:
    return int(time.time()) if ctx.old else _NOT_SPECIAL


_SPECIAL: dict[str, Callable[[Scope, Ctx], Any]] = {
    "toplevel": _sp_root,
    "root": _sp_root,
    "self": _sp_self,
    "parent": _sp_parent,
    "my": _sp_my,
    "currenttime": _sp_current_time,
}


def eval_attr(expr: Node, found: Scope, lname: str, ctx: Ctx, pos: int) -> Any:
    """Evaluate attribute ``lname`` (expression ``expr``) in the ad ``found``.

    ``pos`` is the number of operations around the reference.  A cycle gives undefined
    (reference 4); passing HTCondor's depth limit is an evaluation failure.
    """
    fn = expr.fn
    if fn is None:
        fn = _compile(expr, 0)
    depth = ctx.depth + pos + 1
    if depth + _node_height(expr) > MAX_EVAL_DEPTH:
        raise EvaluationFailure("evaluation nested too deeply")
    key = (id(found.attrs), id(found.parent), lname)
    active = ctx.active
    if key in active:
        return UNDEFINED
    active.add(key)
    saved = ctx.depth
    ctx.depth = depth
    try:
        return fn(found, ctx)
    finally:
        ctx.depth = saved
        active.discard(key)


def select(base: Any, lname: str, ctx: Ctx, pos: int) -> Any:
    """``base.name`` on an evaluated base (reference 3.9): ads, list projection, else error."""
    t = type(base)
    if t is Scope:
        expr, found = resolve_in(base, lname, ctx)
        if expr is None:
            return found
        return eval_attr(expr, found, lname, ctx, pos)
    if base is UNDEFINED or base is ERROR:
        return base
    if t is ListValue:
        out: list[Any] = []
        for item in list_values(base, ctx):
            if type(item) is Scope:
                out.append(select(item, lname, ctx, pos))
            else:
                out.append(ERROR)
        return ListValue.of_values(out)
    return ERROR


def resolve_in(scope: Scope, lname: str, ctx: Ctx) -> tuple[Node | None, Any]:
    """Lookup for ``ad.name``: the ad's scope chain and special names, never the target."""
    s: Scope | None = scope
    e = scope.attrs.get(lname)
    if e is not None:
        return e, scope
    special = _SPECIAL.get(lname)
    if special is not None:
        v = special(scope, ctx)
        if v is not _NOT_SPECIAL:
            return None, v
    s = scope.parent
    while s is not None:
        e = s.attrs.get(lname)
        if e is not None:
            return e, s
        s = s.parent
    return None, UNDEFINED


def list_values(lv: ListValue, ctx: Ctx) -> list[Any]:
    """The evaluated elements of a list value (evaluated once per list value)."""
    vals = lv.values
    if vals is None:
        scope = lv.scope
        vals = [compiled(item)(scope, ctx) for item in lv.items]
        lv.values = vals
    return vals


def list_item(lv: ListValue, i: int, ctx: Ctx) -> Any:
    """Element ``i`` of a list value, evaluated in the list's scope."""
    if lv.values is not None:
        return lv.values[i]
    return compiled(lv.items[i])(lv.scope, ctx)


def subscript(base: Any, index: Any, ctx: Ctx, pos: int) -> Any:
    """``base[index]`` (reference 3.9)."""
    tb = type(base)
    ti = type(index)
    if base is ERROR or index is ERROR:
        return ERROR
    if base is UNDEFINED or index is UNDEFINED:
        return UNDEFINED
    if tb is ListValue:
        if ti is not int:
            return ERROR
        n = len(base)
        if index < 0 or index >= n:
            return ERROR
        return list_item(base, index, ctx)
    if tb is Scope:
        if ti is not str:
            return ERROR
        lname = index.lower()
        expr = base.attrs.get(lname)
        if expr is None:
            return UNDEFINED
        return eval_attr(expr, base, lname, ctx, pos)
    return ERROR


# --- the compiler ---------------------------------------------------------------------------


def _set(node: Node, fn: Fn, h: int) -> Fn:
    node.h = h
    node.fn = fn
    return fn


def _compile(node: Node, pos: int) -> Fn:
    cls = node.__class__
    if cls is Literal:
        return _set(node, _literal(node), 0)  # type: ignore[arg-type]
    if cls is AttrRef:
        return _compile_ref(node, pos)  # type: ignore[arg-type]
    if cls is Chain:
        return _compile_chain(node, pos)  # type: ignore[arg-type]
    if cls is Unary:
        assert isinstance(node, Unary)
        inner = _compile(node.operand, pos + 1)
        f = ops.UNARY[node.op]
        return _set(node, lambda s, c: f(inner(s, c)), 1 + _node_height(node.operand))
    if cls is Paren:
        assert isinstance(node, Paren)
        inner = _compile(node.inner, pos + 1)
        return _set(node, inner, 1 + _node_height(node.inner))
    if cls is Ternary:
        return _compile_ternary(node, pos)  # type: ignore[arg-type]
    if cls is Elvis:
        assert isinstance(node, Elvis)
        left = _compile(node.left, pos + 1)
        right = _compile(node.right, pos + 1)

        def elvis(s: Any, c: Ctx) -> Any:
            v = left(s, c)
            return right(s, c) if v is UNDEFINED else v

        return _set(node, elvis, 1 + max(_node_height(node.left), _node_height(node.right)))
    if cls is Subscript:
        assert isinstance(node, Subscript)
        base = _compile(node.base, pos + 1)
        index = _compile(node.index, pos + 1)
        p1 = pos + 1
        return _set(
            node,
            lambda s, c: subscript(base(s, c), index(s, c), c, p1),
            1 + max(_node_height(node.base), _node_height(node.index)),
        )
    if cls is Call:
        return _compile_call(node, pos)  # type: ignore[arg-type]
    if cls is ListExpr:
        assert isinstance(node, ListExpr)
        items = node.items
        return _set(node, lambda s, c: ListValue(items, s), 0)
    if cls is AdExpr:
        assert isinstance(node, AdExpr)
        attrs = node.attrs
        entries = node.entries
        return _set(node, lambda s, c: Scope(attrs, s, entries), 0)
    raise TypeError(f"cannot compile {node!r}")  # pragma: no cover


def _literal(node: Literal) -> Fn:
    v = node.value
    if type(v) is RelTime:
        v = v.secs  # a relTime("...") literal evaluates to a real (reference 2)

    def literal(s: Any, c: Ctx) -> Any:
        return v

    return literal


def _compile_ref(node: AttrRef, pos: int) -> Fn:
    lname = node.lname
    if node.base is None and not node.absolute:

        def ref(s: Any, c: Ctx) -> Any:
            expr, found = resolve(s, lname, c)
            if expr is None:
                return found
            return eval_attr(expr, found, lname, c, pos)

        return _set(node, ref, 1)
    if node.absolute:

        def absref(s: Any, c: Ctx) -> Any:
            root = c.root
            if root is None:
                raise EvaluationFailure("absolute reference with no root ad")
            expr, found = resolve_in(root, lname, c)
            if expr is None:
                return found
            return eval_attr(expr, found, lname, c, pos)

        return _set(node, absref, 1)
    base_node = node.base
    assert base_node is not None
    if base_node.__class__ is Subscript:
        # Quirk (reference 3.9): selecting from an ad["key"] subscript gives undefined.
        assert isinstance(base_node, Subscript)
        container = _compile(base_node.base, pos + 2)
        index = _compile(base_node.index, pos + 2)
        _set(
            base_node,
            lambda s, c: subscript(container(s, c), index(s, c), c, pos + 2),
            1 + max(_node_height(base_node.base), _node_height(base_node.index)),
        )

        def select_sub(s: Any, c: Ctx) -> Any:
            cont = container(s, c)
            idx = index(s, c)
            if type(cont) is Scope and type(idx) is str:
                return UNDEFINED
            return select(subscript(cont, idx, c, pos + 2), lname, c, pos)

        return _set(node, select_sub, 1 + _node_height(base_node))
    base = _compile(base_node, pos + 1)
    return _set(node, lambda s, c: select(base(s, c), lname, c, pos), 1 + _node_height(base_node))


def _compile_ternary(node: Ternary, pos: int) -> Fn:
    cond = _compile(node.cond, pos + 1)
    then = _compile(node.then, pos + 1)
    other = _compile(node.other, pos + 1)
    to_bool = ops.to_bool

    def ternary(s: Any, c: Ctx) -> Any:
        b = to_bool(cond(s, c))
        if b is True:
            return then(s, c)
        if b is False:
            return other(s, c)
        return b

    h = 1 + max(_node_height(node.cond), _node_height(node.then), _node_height(node.other))
    return _set(node, ternary, h)


def _compile_call(node: Call, pos: int) -> Fn:
    arg_nodes = node.args
    args = [_compile(a, pos) for a in node.args]
    h = max((_node_height(a) for a in node.args), default=0)
    lname = node.name.lower()
    n = len(args)

    def call(s: Any, c: Ctx) -> Any:
        b = REGISTRY.get(lname)
        if b is None or not b.accepts(n):
            return ERROR
        if b.lazy:
            return b.impl(args, arg_nodes, s, c)
        if b.context:
            return b.impl(c, *[a(s, c) for a in args])
        return b.impl(*[a(s, c) for a in args])

    return _set(node, call, h)


_ARITH = frozenset({"+", "-", "*", "/", "%"})
_COMPARE = frozenset({"==", "!=", "<", "<=", ">", ">="})
_BITWISE = frozenset({"&", "|", "^", "<<", ">>", ">>>"})


def _binary(op: str) -> Callable[[Any, Any], Any]:
    if op in _ARITH:
        return lambda a, b: ops.arith(op, a, b)
    if op in _COMPARE:
        return lambda a, b: ops.compare(op, a, b)
    if op in _BITWISE:
        return lambda a, b: ops.bitwise(op, a, b)
    if op == "is":
        return ops.identical
    if op == "isnt":
        return ops.not_identical
    raise ValueError(op)  # pragma: no cover


def _compile_chain(node: Chain, pos: int) -> Fn:
    operands = node.operands
    n = len(operands)
    # Operand 0 sits under n-1 binary operations, operand k (k >= 1) under n-k.
    fns = [_compile(o, pos + (n - 1 if k == 0 else n - k)) for k, o in enumerate(operands)]
    h = max(_node_height(o) + (n - 1 if k == 0 else n - k) for k, o in enumerate(operands))
    op0 = node.ops[0]
    if op0 == "&&":
        return _set(node, _and_chain(fns), h)
    if op0 == "||":
        return _set(node, _or_chain(fns), h)
    binops = [_binary(op) for op in node.ops]
    if n == 2:
        f0, f1 = fns
        b = binops[0]
        if op0 in _ARITH:
            arith = ops.arith

            def arith2(s: Any, c: Ctx) -> Any:
                return arith(op0, f0(s, c), f1(s, c))

            return _set(node, arith2, h)
        if op0 in _COMPARE:
            compare = ops.compare

            def compare2(s: Any, c: Ctx) -> Any:
                return compare(op0, f0(s, c), f1(s, c))

            return _set(node, compare2, h)
        return _set(node, lambda s, c: b(f0(s, c), f1(s, c)), h)
    first = fns[0]
    rest = list(zip(binops, fns[1:]))

    def fold(s: Any, c: Ctx) -> Any:
        v = first(s, c)
        for b, f in rest:
            v = b(v, f(s, c))
        return v

    return _set(node, fold, h)


def _and_chain(fns: list[Fn]) -> Fn:
    """``&&`` folded left to right with its truth table (reference 3.5)."""
    to_bool = ops.to_bool
    first = fns[0]
    rest = fns[1:]

    def and_(s: Any, c: Ctx) -> Any:
        left = to_bool(first(s, c))
        for f in rest:
            if left is False or left is ERROR:
                return left
            right = to_bool(f(s, c))
            if right is ERROR:
                left = ERROR
            elif right is False:
                left = False
            elif left is UNDEFINED or right is UNDEFINED:
                left = UNDEFINED
            else:
                left = True
        return left

    return and_


def _or_chain(fns: list[Fn]) -> Fn:
    """``||`` folded left to right with its truth table (reference 3.5)."""
    to_bool = ops.to_bool
    first = fns[0]
    rest = fns[1:]

    def or_(s: Any, c: Ctx) -> Any:
        left = to_bool(first(s, c))
        for f in rest:
            if left is True or left is ERROR:
                return left
            right = to_bool(f(s, c))
            if right is ERROR:
                left = ERROR
            elif right is True:
                left = True
            elif left is UNDEFINED or right is UNDEFINED:
                left = UNDEFINED
            else:
                left = False
        return left

    return or_


def evaluate(node: Node, scope: Scope | None, root: Scope | None, old: bool) -> Any:
    """Evaluate ``node`` with ``scope`` as the current ad; raise EvaluationFailure on failure."""
    fn = compiled(node)
    if _node_height(node) > MAX_EVAL_DEPTH:
        raise EvaluationFailure("evaluation nested too deeply")
    return fn(scope, Ctx(root, old))
