"""Compiling expression trees to Python closures, and evaluating them (reference 3-4).

Each node compiles once, to a closure ``fn(scope, ctx) -> value`` stored on the node.
Short-circuit operators and lazy functions call their operands' closures only when needed.
Evaluation is total: data problems give ``undefined`` or ``error``; only HTCondor's
evaluation *failures* (``.x`` with no root ad, the depth limit) raise
:class:`~classad.errors.EvaluationFailure`.

Depth: HTCondor fails an evaluation once more than 401 expression nodes are being evaluated
inside each other (attribute references continue the count into the referenced expression).
Each node records ``h``, the deepest such count inside it.  The normal closure (``fn``) does
no counting: a reference knows statically how many nodes enclose it.  Only when ``h`` says the
limit could be reached is the counting variant (``cfn``) used, which tracks the depth of the
path actually evaluated, so short-circuited branches do not count (as in HTCondor).

Compiled state is a pure function of the node, valid wherever the node is reused (the parse
cache and the builders share nodes between trees): ``fn`` is stored on a node only when it was
compiled as the root of its evaluation (position 0); closures compiled for a node at another
position inside a larger tree live only inside that tree's closures.  ``cfn`` and ``h`` do not
depend on the position at all.

A root closure that keeps being called (``codegen.HOT_AFTER`` times) is replaced by Python code
written for its whole tree (:mod:`classad.eval.codegen`): the same evaluation, without a call
per node.

Nothing here recurses deeper than a fixed bound however deep the tree: heights are computed
with an explicit stack, and compilation defers subtrees more than ``_COMPILE_NEST`` levels
down to closures that compile them on first use.
"""

from __future__ import annotations

from collections.abc import Callable
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
from classad.clib import c_int
from classad.clock import now as clock_now
from classad.errors import DepthFailure, EvaluationFailure
from classad.eval import operators as ops
from classad.eval.binops import binary2 as specialised_binary
from classad.eval.binops import literal_value
from classad.eval.functions import REGISTRY, Builtin, library_builtin
from classad.eval.memo import MEMO_AFTER, Memo
from classad.eval.scope import LEXICAL, MAX_EVAL_DEPTH, MAX_EVAL_WORK, Ctx, Scope, value_to_node
from classad.values import ERROR, UNDEFINED, ListValue, RelTime

Fn = Callable[[Any, Ctx], Any]


def compiled(node: Node) -> Fn:
    """The closure of ``node`` evaluated as a root, compiling it on first use."""
    fn = node.fn
    if fn is None:
        if node.__class__ is Literal:
            node.h = 1  # _own_height of a leaf
            fn = node.fn = _literal(node)
            return fn
        height(node)
        fn = _compile(node, 0)
        if node.__class__ in _GENERATED_ROOTS and _GENERATE_MIN <= node.size:
            fn = node.fn = _warming(node, fn)
    return fn


_GENERATED_ROOTS = (Chain, Ternary, Elvis, Call, Paren, Unary)
"""Roots whose closure becomes generated code when hot (classad.eval.codegen.ROOTS)."""

_GENERATE_MIN = 4
"""The smallest tree worth generating (nodes)."""


def _warming(node: Node, fn: Fn) -> Fn:
    """``fn``, the root closure of ``node``, until it has run ``codegen.HOT_AFTER`` times; from
    then on the code generated for ``node`` (classad.eval.codegen), which also replaces it on the
    node.  The generated code is the same closure written out, so which of the two runs never
    changes a result."""
    calls = 0
    hot: Fn | None = None

    def warming(s: Any, c: Ctx) -> Any:
        nonlocal calls, hot
        if hot is not None:
            return hot(s, c)
        from classad.eval import codegen

        if calls < codegen.HOT_AFTER:
            calls += 1
            return fn(s, c)
        try:
            g = codegen.generate(node)
        except RecursionError:
            # Too little Python stack left here to write the code: keep the closure.
            g = None
        hot = fn if g is None else g
        if node.fn is warming:
            node.fn = hot
        return hot(s, c)

    return warming


def counting(node: Node) -> Fn:
    """The depth-counting closure of ``node``, compiling it on first use."""
    fn = node.cfn
    if fn is None:
        height(node)
        fn = _compile(node, 0, True)
    return fn


def _children(node: Node) -> tuple[Node, ...]:
    """The operands whose evaluation nests inside ``node``'s (list items and attributes of ad
    literals are evaluated on their own, each as a root)."""
    cls = node.__class__
    if cls is Chain:
        return node.operands  # type: ignore[attr-defined, no-any-return]
    if cls is AttrRef:
        base = node.base  # type: ignore[attr-defined]
        return () if base is None else (base,)
    if cls is Unary:
        return (node.operand,)  # type: ignore[attr-defined]
    if cls is Paren:
        return (node.inner,)  # type: ignore[attr-defined]
    if cls is Ternary:
        return (node.cond, node.then, node.other)  # type: ignore[attr-defined]
    if cls is Elvis:
        return (node.left, node.right)  # type: ignore[attr-defined]
    if cls is Subscript:
        return (node.base, node.index)  # type: ignore[attr-defined]
    if cls is Call:
        return node.args  # type: ignore[attr-defined, no-any-return]
    return ()


def _own_height(node: Node) -> int:
    """``h`` of ``node`` from its children's (see the module docstring)."""
    cls = node.__class__
    if cls is Chain:
        ops_: tuple[Node, ...] = node.operands  # type: ignore[attr-defined]
        n = len(ops_)
        return max(o.h + (n - 1 if k == 0 else n - k) for k, o in enumerate(ops_))
    if cls is Call:
        return max((a.h for a in node.args), default=0)  # type: ignore[attr-defined]
    kids = _children(node)
    return 1 + max((k.h for k in kids), default=0)


def height(node: Node) -> int:
    """HTCondor's evaluation-depth cost of ``node`` (``h``), computed without recursion and
    stored on every node below it that lacked it."""
    if node.h >= 0:
        return node.h
    stack: list[tuple[Node, bool]] = [(node, False)]
    while stack:
        n, ready = stack.pop()
        if n.h >= 0:
            continue
        if ready:
            n.h = _own_height(n)
            continue
        stack.append((n, True))
        stack.extend((k, False) for k in _children(n) if k.h < 0)
    return node.h


# --- attribute lookup -----------------------------------------------------------------------


def resolve(scope: Scope | None, lname: str, ctx: Ctx) -> tuple[Node | None, Any]:
    """Find ``lname`` from ``scope`` outwards (reference 4, LookupInScope).

    Returns ``(expr, scope_it_lives_in)`` or ``(None, value)`` for special names and misses.
    In old semantics an unscoped name missing everywhere is looked up in the alternate scope
    (the target ad of a match).
    """
    if scope is None:
        return None, UNDEFINED
    e = scope.attrs.get(lname)
    if e is not None:
        return e, scope
    return resolve_missing(scope, lname, ctx)


def resolve_missing(scope: Scope, lname: str, ctx: Ctx) -> tuple[Node | None, Any]:
    """:func:`resolve` of a name ``scope`` itself does not define (its first step done)."""
    special = _SPECIAL.get(lname)
    if special is not None:
        v = special(scope, ctx)
        if v is not _NOT_SPECIAL:
            if v is not UNDEFINED:
                return None, v
        elif (hit := _in_chain(scope.parent, lname)) is not None:
            return hit
    elif (hit := _in_chain(scope.parent, lname)) is not None:
        return hit
    # A miss (or a special name that is undefined here, such as ``parent`` of a top-level ad):
    # old semantics look the name up in the target too.
    if ctx.old and scope.alt is not None and (hit := _in_chain(scope.alt, lname)) is not None:
        return hit
    return None, UNDEFINED


def resolve_in(scope: Scope, lname: str, ctx: Ctx) -> tuple[Node | None, Any]:
    """Lookup in an ad's scope chain: the ad, then (after a miss) the special names, then
    the enclosing ads.  Never the alternate scope."""
    e = scope.attrs.get(lname)
    if e is not None:
        return e, scope
    special = _SPECIAL.get(lname)
    if special is not None:
        v = special(scope, ctx)
        if v is not _NOT_SPECIAL:
            return None, v
    hit = _in_chain(scope.parent, lname)
    return (None, UNDEFINED) if hit is None else hit


def _in_chain(s: Scope | None, lname: str) -> tuple[Node, Scope] | None:
    """``lname``'s expression and the ad it is in, in ``s`` or the ads enclosing it."""
    while s is not None:
        e = s.attrs.get(lname)
        if e is not None:
            return e, s
        s = s.parent
    return None


DEREF_FAIL, DEREF_OK, DEREF_UNDEF, DEREF_ERROR = 0, 1, 2, 3
"""Outcomes of :func:`deref` (HTCondor's EVAL_FAIL, EVAL_OK, EVAL_UNDEF, EVAL_ERROR)."""

_SPECIAL_NEW = frozenset({"toplevel", "root", "self", "parent"})
_SPECIAL_OLD = _SPECIAL_NEW | {"my", "currenttime"}


def deref(node: AttrRef, scope: Scope | None, ctx: Ctx) -> tuple[int, Node | Scope | None, Scope | None, Any]:
    """What an attribute-reference argument names, as HTCondor's ``AttributeReference::Deref``
    finds it (``evalInEachContext``, ``countMatches`` and ``unresolved`` use it).

    Returns ``(outcome, target, lexical, cur)``: the outcome (``DEREF_*``); the expression found,
    or an ad (for ``self``, ``parent``..., or the list a projection ``list.name`` builds, as an
    expression); the ad that expression is written in; and the current ad the lookup leaves
    behind (HTCondor's lookup moves ``EvalState::curAd`` to the ad it ended in, and nothing
    moves it back until the enclosing attribute evaluation ends), for the caller to store in
    ``ctx.cur``.  ``cur`` is ``ctx.cur`` unchanged when no lookup happened.
    """
    moved = ctx.cur
    start: Scope | None
    try:
        if node.base is None:
            if node.absolute:
                if ctx.root is None:
                    return DEREF_FAIL, None, None, moved
                start = ctx.root
            else:
                start = scope if moved is LEXICAL else moved
        else:
            base = run(node.base, scope, ctx)
            moved = ctx.cur
            if base is UNDEFINED:
                return DEREF_UNDEF, None, None, moved
            tb = type(base)
            if tb is ListValue:
                cur = scope if moved is LEXICAL else moved
                lv = select(base, node.lname, ctx, ctx.depth + 1, cur)
                if lv is UNDEFINED:
                    return DEREF_UNDEF, None, None, moved
                return DEREF_OK, value_to_node(lv), None, moved
            if tb is not Scope:
                return DEREF_ERROR, None, None, moved
            if base.detached:
                return DEREF_UNDEF, None, None, moved
            start = base
        if start is None:
            return DEREF_UNDEF, None, None, moved
        rc, target, where = _lookup_in_scope(start, node.lname, ctx)
        if rc == DEREF_UNDEF and node.base is None and not node.absolute and start.alt is not None:
            if ctx.old:
                rc, target, where = _lookup_in_scope(start.alt, node.lname, ctx)
    except EvaluationFailure:
        return DEREF_FAIL, None, None, moved
    return rc, target, where, where


def _lookup_in_scope(start: Scope, lname: str, ctx: Ctx) -> tuple[int, Node | Scope | None, Scope]:
    """HTCondor's ``ClassAd::LookupInScope`` from ``start``: ``(outcome, what, ad)`` where the
    ad is the one the lookup ended in (where the name was found, or the outermost ad tried)."""
    special = _SPECIAL_OLD if ctx.old else _SPECIAL_NEW
    root = ctx.root
    current = start
    while True:
        e = current.attrs.get(lname)
        if e is not None:
            return DEREF_OK, e, current
        outer = None if current is root else current.parent
        if lname in special:
            if lname in ("toplevel", "root"):
                if root is None:
                    raise EvaluationFailure("no root ad")
                return DEREF_OK, root, current
            if lname in ("self", "my"):
                return DEREF_OK, current, current
            if lname == "parent":
                if outer is None:
                    return DEREF_UNDEF, None, current
                return DEREF_OK, outer, current
            return DEREF_OK, Literal(int(clock_now())), current  # CurrentTime
        if outer is None or outer is start:
            return DEREF_UNDEF, None, current
        current = outer


class _NotSpecial:
    __slots__ = ()


_NOT_SPECIAL = _NotSpecial()


def _sp_root(s: Scope, ctx: Ctx) -> Any:
    if ctx.root is None:
        raise EvaluationFailure("no root ad")
    return ctx.root


def _sp_self(s: Scope, ctx: Ctx) -> Any:
    return s


def _sp_parent(s: Scope, ctx: Ctx) -> Any:
    return s.parent if s.parent is not None else UNDEFINED


def _sp_my(s: Scope, ctx: Ctx) -> Any:
    return s if ctx.old else _NOT_SPECIAL


def _sp_current_time(s: Scope, ctx: Ctx) -> Any:
    return int(clock_now()) if ctx.old else _NOT_SPECIAL


_SPECIAL: dict[str, Callable[[Scope, Ctx], Any]] = {
    "toplevel": _sp_root,
    "root": _sp_root,
    "self": _sp_self,
    "parent": _sp_parent,
    "my": _sp_my,
    "currenttime": _sp_current_time,
}


def eval_attr(expr: Node, found: Scope, lname: str, ctx: Ctx, depth: int, track: bool = True) -> Any:
    """Evaluate attribute ``lname`` (expression ``expr``) in the ad ``found``.

    ``depth`` is the evaluation depth of the reference itself.  A cycle gives undefined
    (reference 4); passing HTCondor's depth limit is an evaluation failure.  The attribute's
    expression is evaluated with ``found`` as the current ad; the caller's current ad is
    restored afterwards (HTCondor's ``AttributeReference::_Evaluate``).  With ``track`` False
    (``ad["name"]``, HTCondor's ``EvaluateAttr``) the attribute is not recorded as being
    evaluated, so a reference to itself inside is evaluated once more before the cycle shows.
    """
    if depth > MAX_EVAL_DEPTH:
        raise DepthFailure("evaluation nested too deeply")
    work = ctx.work + 1
    if work > MAX_EVAL_WORK:
        raise EvaluationFailure("evaluation gave up after too many attribute evaluations")
    ctx.work = work
    fn = expr.fn
    if expr.__class__ is Literal:
        # Most attributes are literals: no cycle or depth bookkeeping can matter for them.
        if fn is None:
            fn = compiled(expr)
        if depth >= MAX_EVAL_DEPTH:
            raise DepthFailure("evaluation nested too deeply")
        return fn(found, ctx)
    pin_bound = 0
    pins = found.pins
    if pins is not None and ctx.memo is None:
        # An attribute of the ad's own, fixed whatever the evaluation (classad.eval.pins).
        state = pins.states.get(lname)
        if state is None:
            state = pins.classify(lname)
        if state is not False:
            if state.__class__ is tuple:
                # work - 1 evaluations so far, and this attribute's recorded work from there.
                if depth + state[2] < MAX_EVAL_DEPTH and work - 1 + state[1] <= MAX_EVAL_WORK:
                    ctx.work = work - 1 + state[1]
                    return state[0]
            elif depth + state < MAX_EVAL_DEPTH:
                pin_bound = state
    if fn is None:
        fn = compiled(expr)
    if depth + expr.h > MAX_EVAL_DEPTH:
        fn = counting(expr)
    key = (id(found.attrs), id(found.parent), lname)
    active = ctx.active
    memo = None
    if work > MEMO_AFTER:
        # A long evaluation: reuse values where that provably changes nothing (memo.py).
        # Written inline, not as a call: each frame per level counts against the stack.
        memo = ctx.memo
        if memo is None:
            memo = ctx.memo = Memo()
        memo.visit(key)
    if key in active:
        if memo is not None:
            memo.taint()  # a cycle: the value depends on what is being evaluated around it
        return UNDEFINED
    if memo is not None:
        mkey = (id(found), id(found.alt), lname, depth, id(ctx.root)) if track else None
        if mkey is not None:
            entry = memo.reuse(mkey, active)
            if entry is not None and ctx.work + entry.work <= MAX_EVAL_WORK:
                ctx.work += entry.work
                return entry.value
        rec = memo.begin(key, expr)
        start = ctx.work
    if track:
        active.add(key)
    saved = ctx.depth
    saved_cur = ctx.cur
    ctx.depth = depth
    ctx.cur = LEXICAL
    try:
        value = fn(found, ctx)
    except BaseException:
        if memo is not None:
            memo.end(rec, None, False, None, 0, found, ctx.root)
        raise
    finally:
        ctx.depth = saved
        ctx.cur = saved_cur
        if track:
            active.discard(key)
    if memo is not None:
        memo.end(rec, mkey, True, value, ctx.work - start, found, ctx.root)
    elif pin_bound and ctx.memo is None and ctx.work < MAX_EVAL_WORK:
        # Neither limit was reached inside: the value is the attribute's, wherever evaluated.
        pins.record(lname, value, ctx.work - work + 1, pin_bound)
    return value


def select(base: Any, lname: str, ctx: Ctx, depth: int, cur: Scope | None) -> Any:
    """``base.name`` on an evaluated base (reference 3.9): ads, list projection, else error.
    ``cur`` is the current ad of the selection (the projection evaluates list elements in it)."""
    t = type(base)
    if t is Scope:
        if base.detached:
            return UNDEFINED
        expr, found = resolve_in(base, lname, ctx)
        if expr is None:
            return found
        return eval_attr(expr, found, lname, ctx, depth)
    if base is UNDEFINED or base is ERROR:
        return base
    if t is ListValue:
        if base.detached:
            # HTCondor frees a self-contained list while projecting it: an empty one gives
            # the empty list, any other crashes it (we give undefined).
            return ListValue.of_values([]) if len(base) == 0 else UNDEFINED
        return project(base, lname, ctx, depth, cur)
    return ERROR


def project(lv: ListValue, lname: str, ctx: Ctx, depth: int, cur: Scope | None) -> ListValue:
    """``list.name``: the list of ``element.name`` (HTCondor's list projection in
    ``AttributeReference::FindExpr``).  Each element expression is evaluated with ``cur``, the
    current ad of the selection, as its current ad (not the ad the list is written in), one
    level deeper than the selection; at the depth limit an element gives error.  The result
    is a plain list (not self-contained)."""
    if lv.items is None:
        assert lv.values is not None
        return _projected([select(v, lname, ctx, depth + 1, cur) for v in lv.values])
    out: list[Any] = []
    lex = lv.scope
    saved = ctx.depth
    saved_cur = ctx.cur
    try:
        for item in lv.items:
            if depth > MAX_EVAL_DEPTH:
                out.append(ERROR)
                continue
            fn = item.fn
            if fn is None:
                fn = compiled(item)
            if depth + item.h > MAX_EVAL_DEPTH:
                fn = counting(item)
            ctx.depth = depth
            ctx.cur = cur
            v = fn(lex, ctx)
            ctx.depth = saved
            ctx.cur = saved_cur
            out.append(select(v, lname, ctx, depth + 1, cur))
    finally:
        ctx.depth = saved
        ctx.cur = saved_cur
    return _projected(out)


def _unscoped(v: Any) -> Any:
    """A projected ad or list as HTCondor's copy of it: no enclosing ad, so references inside
    that its own attributes do not define are undefined (``{[q = [r = a]; a = 3]}.q.r`` is
    ``{ undefined }``)."""
    t = type(v)
    if t is Scope and v.parent is not None:
        s = Scope(v.attrs, None, v.names, None, v.detached)
        s.shared = v.shared
        return s
    if t is ListValue and v.items is not None and v.scope is not None:
        return ListValue(v.items, None, v.detached)
    return v


def _projected(vals: list[Any]) -> ListValue:
    """The list a projection builds.  HTCondor rebuilds it from literals, and a relative time
    becomes a ``relTime`` literal of its seconds truncated to a C int, which evaluates to a
    real: ``{ [ x = relTime(.1) ] }.x`` is ``{ 0.0 }`` and prints as ``{ relTime("00") }``; ads
    and lists lose their enclosing ad (:func:`_unscoped`)."""
    vals = [_unscoped(v) for v in vals]
    if not any(type(v) is RelTime for v in vals):
        return ListValue.of_values(vals)
    items = tuple(
        Literal(RelTime(float(c_int(v.secs)))) if type(v) is RelTime else value_to_node(v) for v in vals
    )
    lv = ListValue(items, None)
    lv.values = [float(c_int(v.secs)) if type(v) is RelTime else v for v in vals]
    return lv


def list_values(lv: ListValue, ctx: Ctx) -> list[Any]:
    """The evaluated elements of a list value, each in the ad the list is written in
    (evaluated once per list value)."""
    vals = lv.values
    if vals is None:
        assert lv.items is not None
        scope = None if lv.detached else lv.scope
        vals = [_eval_item(item, scope, ctx) for item in lv.items]
        lv.values = vals
    return vals


def _eval_item(item: Node, scope: Scope | None, ctx: Ctx) -> Any:
    """A list element evaluated in ``scope`` as its current ad (``ExprList::GetValueAt``)."""
    fn = item.fn
    if fn is None:
        fn = compiled(item)
    if ctx.depth + item.h > MAX_EVAL_DEPTH:
        fn = counting(item)
    saved_cur = ctx.cur
    ctx.cur = LEXICAL
    try:
        return fn(scope, ctx)
    finally:
        ctx.cur = saved_cur


def list_item(lv: ListValue, i: int, ctx: Ctx) -> Any:
    """Element ``i`` of a list value, evaluated in the list's scope.

    A detached list (HTCondor's self-contained SLIST_VALUE: an ``ad["name"]`` result or a list
    a function built) is a copy with no enclosing ad, so its elements are evaluated with no
    current ad; an ad taken out of it is detached too but keeps the plain ad type, and a list
    taken out of it is a plain list."""
    if lv.values is not None:
        v = lv.values[i]
    else:
        assert lv.items is not None
        v = _eval_item(lv.items[i], None if lv.detached else lv.scope, ctx)
    if lv.detached and type(v) is Scope:
        return v.detach(False)
    return v


def subscript(base: Any, index: Any, ctx: Ctx, depth: int) -> Any:
    """``base[index]`` (reference 3.9)."""
    if base is ERROR or index is ERROR:
        return ERROR
    if base is UNDEFINED or index is UNDEFINED:
        return UNDEFINED
    tb = type(base)
    ti = type(index)
    if tb is ListValue:
        if ti is not int:
            return ERROR
        # HTCondor takes the index as a 32-bit int.
        i = ((index + 0x80000000) & 0xFFFFFFFF) - 0x80000000
        if i < 0 or i >= len(base):
            return ERROR
        return list_item(base, i, ctx)
    if tb is Scope:
        if ti is not str:
            return ERROR
        lname = index.lower()
        expr = base.attrs.get(lname)
        if expr is None:
            return UNDEFINED
        # HTCondor's ClassAd::EvaluateAttr: the attribute itself is not recorded as being
        # evaluated (``[a = join("", 1, a)]["a"]`` is "11"), and the result is self-contained.
        if ctx.root is None:
            # With no root ad, HTCondor evaluates ad["name"] with that ad as the root.
            ctx.root = base
            try:
                v = eval_attr(expr, base, lname, ctx, depth, False)
            finally:
                ctx.root = None
        else:
            v = eval_attr(expr, base, lname, ctx, depth, False)
        if type(v) is Scope or type(v) is ListValue:
            return v.detach()
        return v
    return ERROR


# --- the compiler ---------------------------------------------------------------------------


def _set(node: Node, fn: Fn, pos: int, count: bool) -> Fn:
    """Store a compiled closure on its node (wrapped to count depth in counting mode): the
    counting closure always, the plain one only when compiled at the root (position 0)."""
    if count:
        fn = _counted(fn)
        node.cfn = fn
    elif pos == 0:
        node.fn = fn
    return fn


_COMPILE_NEST = 40
"""How many levels :func:`_compile` descends before deferring a subtree (see the docstring)."""


def _sub(node: Node, pos: int, count: bool, nest: int) -> Fn:
    """The closure of an operand at ``pos``: compiled now, or on first use when deep."""
    if nest < _COMPILE_NEST:
        return _compile(node, pos, count, nest + 1)
    cell: list[Fn] = []

    def deferred(s: Any, c: Ctx) -> Any:
        if not cell:
            cell.append(_compile(node, pos, count))
        return cell[0](s, c)

    return deferred


def _counted(fn: Fn) -> Fn:
    def counted(s: Any, c: Ctx) -> Any:
        d = c.depth + 1
        if d > MAX_EVAL_DEPTH:
            raise DepthFailure("evaluation nested too deeply")
        c.depth = d
        v = fn(s, c)
        c.depth = d - 1
        return v

    return counted


def _at(offset: int, fn: Fn) -> Fn:
    """Evaluate ``fn`` ``offset`` levels deeper (operands of an n-ary chain, counting mode)."""

    def at(s: Any, c: Ctx) -> Any:
        base = c.depth
        c.depth = base + offset
        v = fn(s, c)
        c.depth = base
        return v

    return at


def _compile(node: Node, pos: int, count: bool = False, nest: int = 0) -> Fn:
    """Compile ``node``; ``pos`` is the number of nodes enclosing it in its expression, ``nest``
    how deep this compilation already is (heights must be known: see :func:`height`)."""
    cls = node.__class__
    p1 = pos + 1
    if cls is Literal:
        return _set(node, _literal(node), pos, count)  # type: ignore[arg-type]
    if cls is AttrRef:
        return _compile_ref(node, pos, count, nest)  # type: ignore[arg-type]
    if cls is Chain:
        return _compile_chain(node, pos, count, nest)  # type: ignore[arg-type]
    if cls is Unary:
        assert isinstance(node, Unary)
        inner = _sub(node.operand, p1, count, nest)
        f = ops.UNARY[node.op]
        return _set(node, lambda s, c: f(inner(s, c)), pos, count)
    if cls is Paren:
        assert isinstance(node, Paren)
        inner = _sub(node.inner, p1, count, nest)
        return _set(node, inner, pos, count)
    if cls is Ternary:
        return _compile_ternary(node, pos, count, nest)  # type: ignore[arg-type]
    if cls is Elvis:
        assert isinstance(node, Elvis)
        left = _sub(node.left, p1, count, nest)
        right = _sub(node.right, p1, count, nest)

        def elvis(s: Any, c: Ctx) -> Any:
            v = left(s, c)
            return right(s, c) if v is UNDEFINED else v

        return _set(node, elvis, pos, count)
    if cls is Subscript:
        assert isinstance(node, Subscript)
        base = _sub(node.base, p1, count, nest)
        index = _sub(node.index, p1, count, nest)
        if count:
            return _set(node, lambda s, c: subscript(base(s, c), index(s, c), c, c.depth), pos, True)
        return _set(node, lambda s, c: subscript(base(s, c), index(s, c), c, c.depth + p1), pos, False)
    if cls is Call:
        return _compile_call(node, pos, count, nest)  # type: ignore[arg-type]
    if cls is ListExpr:
        assert isinstance(node, ListExpr)
        items = node.items
        return _set(node, lambda s, c: ListValue(items, s), pos, count)
    if cls is AdExpr:
        assert isinstance(node, AdExpr)
        attrs = node.attrs
        entries = node.entries
        return _set(node, lambda s, c: Scope(attrs, s, entries), pos, count)
    raise TypeError(f"cannot compile {node!r}")  # pragma: no cover


def _literal(node: Literal) -> Fn:
    v = literal_value(node)  # a relTime("...") literal evaluates to a real (reference 2)

    def literal(s: Any, c: Ctx) -> Any:
        return v

    return literal


def _compile_ref(node: AttrRef, pos: int, count: bool, nest: int) -> Fn:
    lname = node.lname
    p1 = pos + 1
    if node.base is None and not node.absolute:
        if count:

            def cref(s: Any, c: Ctx) -> Any:
                m = c.cur
                expr, found = resolve(s if m is LEXICAL else m, lname, c)
                if expr is None:
                    return found
                return eval_attr(expr, found, lname, c, c.depth)

            return _set(node, cref, pos, True)

        def ref(s: Any, c: Ctx) -> Any:
            m = c.cur
            sc = s if m is LEXICAL else m
            if sc is not None:
                # resolve()'s first step, inline: most names are found in the current ad.
                e = sc.attrs.get(lname)
                if e is not None:
                    if e.__class__ is Literal:
                        # eval_attr's first steps for a literal attribute, inline.
                        f = e.fn
                        w = c.work + 1
                        if f is not None and w <= MAX_EVAL_WORK and c.depth + p1 < MAX_EVAL_DEPTH:
                            c.work = w
                            return f(sc, c)
                    return eval_attr(e, sc, lname, c, c.depth + p1)
                expr, found = resolve_missing(sc, lname, c)
            else:
                expr, found = None, UNDEFINED
            if expr is None:
                return found
            return eval_attr(expr, found, lname, c, c.depth + p1)

        return _set(node, ref, pos, False)
    if node.absolute:

        def absref(s: Any, c: Ctx) -> Any:
            root = c.root
            if root is None:
                raise EvaluationFailure("absolute reference with no root ad")
            expr, found = resolve_in(root, lname, c)
            if expr is None:
                return found
            return eval_attr(expr, found, lname, c, c.depth + (0 if count else p1))

        return _set(node, absref, pos, count)
    base_node = node.base
    assert base_node is not None
    base = _sub(base_node, p1, count, nest)
    if count:

        def cselect(s: Any, c: Ctx) -> Any:
            try:
                b = base(s, c)
            except DepthFailure:
                # HTCondor: a selection whose base passes the depth limit gives error.
                return ERROR
            m = c.cur
            return select(b, lname, c, c.depth, s if m is LEXICAL else m)

        return _set(node, cselect, pos, True)

    def sel(s: Any, c: Ctx) -> Any:
        b = base(s, c)
        m = c.cur
        return select(b, lname, c, c.depth + p1, s if m is LEXICAL else m)

    if (
        isinstance(base_node, AttrRef)
        and base_node.base is None
        and not base_node.absolute
        and base_node.lname in _OTHER_AD
    ):
        other_name: str = base_node.lname

        def sel_other(s: Any, c: Ctx) -> Any:
            # TARGET.x in an ad of a match: ``target`` is not an attribute of the ad, so it is
            # the match context's (``target = .RIGHT``), which evaluates to the other ad in two
            # attribute evaluations (``target``, then ``RIGHT``) that can neither fail nor meet
            # a cycle when both limits are out of reach: counted here, not walked.
            m = c.cur
            sc = s if m is LEXICAL else m
            if sc is not None:
                p = sc.parent
                if p is not None and p.other is not None and c.memo is None and other_name not in sc.attrs:
                    w = c.work + 2
                    d = c.depth + p1
                    if w < MAX_EVAL_WORK and d + 2 < MAX_EVAL_DEPTH:
                        o = p.other
                        e = o.attrs.get(lname)
                        if e is None:
                            c.work = w
                            return select(o, lname, c, d, sc)
                        if e.__class__ is Literal and e.fn is not None:
                            # eval_attr's first steps for a literal attribute, inline.
                            c.work = w + 1
                            return e.fn(o, c)
                        c.work = w
                        return eval_attr(e, o, lname, c, d)
            return sel(s, c)

        return _set(node, sel_other, pos, False)
    return _set(node, sel, pos, False)


_OTHER_AD = frozenset({"target", "other"})
"""The names the match context gives the other ad (see ``_compile_ref``'s fast path)."""


def _compile_ternary(node: Ternary, pos: int, count: bool, nest: int) -> Fn:
    cond = _sub(node.cond, pos + 1, count, nest)
    then = _sub(node.then, pos + 1, count, nest)
    other = _sub(node.other, pos + 1, count, nest)
    to_bool = ops.to_bool

    def ternary(s: Any, c: Ctx) -> Any:
        v = cond(s, c)
        b = to_bool(v)
        if b is True:
            return then(s, c)
        if b is False:
            return other(s, c)
        if v is UNDEFINED or v is ERROR:
            return v
        # A condition that is not boolean-equivalent: HTCondor evaluates both branches
        # (so an evaluation failure in either still fails), then gives error.
        then(s, c)
        other(s, c)
        return ERROR

    return _set(node, ternary, pos, count)


def _compile_call(node: Call, pos: int, count: bool, nest: int) -> Fn:
    # A function call does not count towards HTCondor's evaluation depth; its arguments do.
    args = [_sub(a, pos, count, nest) for a in node.args]
    lname = node.name.lower()
    known = library_builtin(lname)
    if known is not None:
        call = _bound_call(known, args, node.args)
    else:
        call = _looked_up_call(lname, args, node.args)
    if count:
        node.cfn = call
    elif pos == 0:
        node.fn = call
    return call


def _bound_call(known: Builtin, args: list[Fn], arg_nodes: tuple[Node, ...]) -> Fn:
    """A call of one of the library's own functions: registering a function under its name is
    refused (classad.userfunctions), so it is bound now instead of looked up at every call."""
    impl = known.impl
    n = len(args)
    if not known.accepts(n):
        return lambda s, c: ERROR
    if known.lazy:
        return lambda s, c: impl(args, arg_nodes, s, c)
    if known.context:
        return lambda s, c: impl(c, *[a(s, c) for a in args])
    if n == 1:
        (a0,) = args
        return lambda s, c: impl(a0(s, c))
    if n == 2:
        a0, a1 = args
        return lambda s, c: impl(a0(s, c), a1(s, c))
    return lambda s, c: impl(*[a(s, c) for a in args])


def _looked_up_call(lname: str, args: list[Fn], arg_nodes: tuple[Node, ...]) -> Fn:
    """A call of a function that is not the library's: looked up when called (a function may be
    registered from Python, or replaced, after the expression is compiled)."""
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

    return call


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


def _compile_chain(node: Chain, pos: int, count: bool, nest: int) -> Fn:
    operands = node.operands
    n = len(operands)
    # The chain stands for n-1 nested binary operations: operand 0 sits under n-1 of them,
    # operand k (k >= 1) under n-k.
    offsets = [n - 1 if k == 0 else n - k for k in range(n)]
    if count and n - 1 > MAX_EVAL_DEPTH:
        # The innermost of the n-1 nested operations is beyond the limit whatever the base.
        def too_deep(s: Any, c: Ctx) -> Any:
            raise DepthFailure("evaluation nested too deeply")

        node.cfn = too_deep
        return too_deep
    fns = [_sub(o, pos + off, count, nest) for o, off in zip(operands, offsets)]
    if count:
        fns = [_at(off, f) for off, f in zip(offsets, fns)]
    op0 = node.ops[0]
    if op0 == "&&":
        fn = _logic_chain(fns, False)
    elif op0 == "||":
        fn = _logic_chain(fns, True)
    elif (
        n == 2
        and (special := specialised_binary(op0, operands[0], operands[1], fns[0], fns[1], count)) is not None
    ):
        fn = special
    elif n == 2:
        f0, f1 = fns
        if op0 in _ARITH:
            arith = ops.arith

            def arith2(s: Any, c: Ctx) -> Any:
                return arith(op0, f0(s, c), f1(s, c))

            fn = arith2
        elif op0 in _COMPARE:
            compare = ops.compare

            def compare2(s: Any, c: Ctx) -> Any:
                return compare(op0, f0(s, c), f1(s, c))

            fn = compare2
        else:
            b = _binary(op0)

            def binary2(s: Any, c: Ctx) -> Any:
                return b(f0(s, c), f1(s, c))

            fn = binary2
    else:
        first = fns[0]
        rest = list(zip([_binary(op) for op in node.ops], fns[1:]))

        def fold(s: Any, c: Ctx) -> Any:
            v = first(s, c)
            for b, f in rest:
                v = b(v, f(s, c))
            return v

        fn = fold
    if count:
        node.cfn = fn
    elif pos == 0:
        node.fn = fn
    return fn


def _logic_chain(fns: list[Fn], stop: bool) -> Fn:
    """``&&`` (``stop`` False) or ``||`` (``stop`` True) folded left to right with the truth
    tables of reference 3.5.

    Only the stopping value (false for ``&&``, true for ``||``) and ``error`` on the left skip
    the right operand; a left operand that is not boolean-equivalent (a string, a list...)
    still evaluates the right one (whose evaluation may fail), then gives error.
    """
    to_bool = ops.to_bool
    first = fns[0]
    rest = fns[1:]
    go_on = not stop

    def logic(s: Any, c: Ctx) -> Any:
        lv = first(s, c)
        left = lv if (lv.__class__ is bool or lv is ERROR) else to_bool(lv)
        for f in rest:
            if left is stop or lv is ERROR:
                return left
            right = f(s, c)
            if right.__class__ is not bool:
                right = to_bool(right)
            if left is ERROR or right is ERROR:
                left = ERROR
            elif right is stop:
                left = stop
            elif left is UNDEFINED or right is UNDEFINED:
                left = UNDEFINED
            else:
                left = go_on
            lv = left
        return left

    return logic


class StackFailure(DepthFailure):
    """The evaluation ran out of Python stack.  HTCondor's depth limit keeps one evaluation
    within a few hundred frames, so this happens when the caller's own stack is already deep,
    or when evaluations nest inside each other without end (``evalInEachContext`` starts each
    nested evaluation afresh, as HTCondor does, whose stack overflows there).  Unlike other
    failures inside a nested evaluation, it is not turned into an error value: it ends the
    whole evaluation, so a runaway recursion fails at once instead of branching on."""


def run(node: Node, scope: Any, ctx: Ctx) -> Any:
    """Evaluate ``node`` in ``scope`` within the evaluation ``ctx`` (at its current depth),
    counting depth when the limit is in reach.  A Python stack the caller left too shallow
    gives a clean evaluation failure (:class:`StackFailure`), never RecursionError."""
    fn = compiled(node)
    if ctx.depth + node.h > MAX_EVAL_DEPTH:
        fn = counting(node)
    try:
        return fn(scope, ctx)
    except RecursionError:
        raise StackFailure("evaluation needs more Python stack than the caller left") from None


def evaluate(node: Node, scope: Scope | None, root: Scope | None, old: bool) -> Any:
    """Evaluate ``node`` with ``scope`` as the current ad; raise EvaluationFailure on failure."""
    return run(node, scope, Ctx(root, old))


def evaluate_attribute(expr: Node, scope: Scope, lname: str, old: bool) -> Any:
    """Evaluate attribute ``lname`` (expression ``expr``) of the top-level ad ``scope`` with no
    target (``ad.eval(name)``), using and recording the ad's pinned value (classad.eval.pins)."""
    pins = scope.pins
    state: Any = False
    if pins is not None:
        state = pins.states.get(lname)
        if state is None:
            state = pins.classify(lname)
        if state.__class__ is tuple and state[2] < MAX_EVAL_DEPTH:
            return state[0]  # recorded within both limits, from depth 0 as here
    ctx = Ctx(scope, old)
    value = run(expr, scope, ctx)
    if state.__class__ is int and state < MAX_EVAL_DEPTH and ctx.memo is None and ctx.work < MAX_EVAL_WORK:
        # Counted as a reference to it counts it: one more attribute evaluation.
        pins.record(lname, value, ctx.work + 1, state)
    return value
