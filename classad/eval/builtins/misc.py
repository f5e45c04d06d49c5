"""Control functions (reference 5.1, miscellaneous): ``ifThenElse``, ``eval``, ``unparse``,
``unresolved`` and ``debug``."""

from __future__ import annotations

import re
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
from classad.errors import ClassAdParseError, DepthFailure, EvaluationFailure
from classad.eval.builtins.convert import to_string
from classad.eval.builtins.pcre import Compiled, PatternError, Unsupported, compile_pcre
from classad.eval.compiler import compiled, counting, resolve, resolve_in
from classad.eval.functions import builtin
from classad.eval.operators import to_bool
from classad.eval.scope import MAX_EVAL_DEPTH, Ctx, Scope
from classad.grammar.parser import parse_expression
from classad.printer import pretty, unparse
from classad.values import ERROR, UNDEFINED, to_bytes

Fn = Callable[[Any, Ctx], Any]


@builtin("ifThenElse", 3, lazy=True)
def if_then_else(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """Lazy: only the chosen branch is evaluated; the condition may be bool, int or real."""
    c = to_bool(args[0](scope, ctx))
    if c is True:
        return args[1](scope, ctx)
    if c is False:
        return args[2](scope, ctx)
    return c


# --- eval, unparse, unresolved, debug (reference 5.1, miscellaneous) --------------------------


@builtin("eval", 1, lazy=True)
def eval_(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """``eval(s)`` (reference 5.1): convert the argument to a string (undefined and error give
    error), parse it as a whole expression in the current semantic mode (a parse error gives
    error) and evaluate it in the current ad.  An evaluation failure inside propagates."""
    s = to_string(args[0](scope, ctx))
    if type(s) is not str:
        return ERROR
    try:
        node = parse_expression(s, ctx.old)
    except ClassAdParseError:
        return ERROR
    except (RecursionError, MemoryError, ValueError):
        return ERROR
    # Like HTCondor, the parsed expression counts one level deeper than the call; this also
    # ends self-reproducing evaluations (``[s = "eval(s)"] :: eval(s)``) with a failure.
    depth = ctx.depth + 1
    if depth > MAX_EVAL_DEPTH:
        raise DepthFailure("eval nested too deeply")
    fn = compiled(node)
    if depth + node.h > MAX_EVAL_DEPTH:
        fn = counting(node)
    saved = ctx.depth
    ctx.depth = depth
    try:
        return fn(scope, ctx)
    finally:
        ctx.depth = saved


@builtin("unparse", 1, lazy=True)
def unparse_(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """``unparse(attr)`` (reference 5.1): the argument must be an attribute reference (else
    error).  Its printed form is looked up, as a name, among the current ad's own attributes;
    the result is the pretty-printed expression found, or ``""``.  So ``unparse(x.a)`` finds an
    attribute named ``'x.a'``, and ``unparse(.a)`` never finds anything."""
    node = nodes[0]
    if type(node) is not AttrRef:
        return ERROR
    if scope is None:
        return ""
    expr = scope.attrs.get(pretty(node).lower())
    if expr is None:
        return ""
    return pretty(expr, htcondor_order=True)


_SPECIAL_NEW = frozenset({"toplevel", "root", "self", "parent"})
_SPECIAL_OLD = _SPECIAL_NEW | {"my", "currenttime"}
_REFS_DEPTH = 400
_REFS_BUDGET = 1_000_000


class _Refs:
    """State of one external-references walk (HTCondor's ``_GetExternalReferences``)."""

    __slots__ = ("budget", "ctx", "depth", "names", "special")

    def __init__(self, ctx: Ctx) -> None:
        self.ctx = ctx
        self.names: dict[str, str] = {}
        self.depth = _REFS_DEPTH
        self.budget = _REFS_BUDGET
        self.special = _SPECIAL_OLD if ctx.old else _SPECIAL_NEW

    def add(self, name: str) -> None:
        self.names.setdefault(to_bytes(name).lower().decode("utf-8", "surrogateescape"), name)

    def nested(self, node: Node, cur: Scope | None) -> bool:
        if self.depth <= 0:
            return False
        self.depth -= 1
        ok = self.walk(node, cur)
        self.depth += 1
        return ok

    def walk_ad(self, entries: list[tuple[str, Node]], cur: Scope | None) -> bool:
        for _, expr in sorted(entries, key=lambda kv: (len(kv[0]), kv[0].lower())):
            if not self.nested(expr, cur):
                return False
        return True

    def walk(self, node: Node, cur: Scope | None) -> bool:
        self.budget -= 1
        if self.budget < 0:
            return False
        cls = node.__class__
        if cls is Literal:
            return True
        if cls is AttrRef:
            assert isinstance(node, AttrRef)
            return self.ref(node, cur)
        if cls is Chain:
            assert isinstance(node, Chain)
            return all(self.walk(o, cur) for o in node.operands)
        if cls is Unary:
            assert isinstance(node, Unary)
            return self.walk(node.operand, cur)
        if cls is Paren:
            assert isinstance(node, Paren)
            return self.walk(node.inner, cur)
        if cls is Ternary:
            assert isinstance(node, Ternary)
            return self.walk(node.cond, cur) and self.walk(node.then, cur) and self.walk(node.other, cur)
        if cls is Elvis:
            assert isinstance(node, Elvis)
            return self.walk(node.left, cur) and self.walk(node.right, cur)
        if cls is Subscript:
            assert isinstance(node, Subscript)
            return self.walk(node.base, cur) and self.walk(node.index, cur)
        if cls is Call:
            assert isinstance(node, Call)
            return all(self.nested(a, cur) for a in node.args)
        if cls is ListExpr:
            assert isinstance(node, ListExpr)
            return all(self.nested(a, cur) for a in node.items)
        if cls is AdExpr:
            assert isinstance(node, AdExpr)
            return self.walk_ad(list(node.entries), cur)
        return False

    def ref(self, node: AttrRef, cur: Scope | None) -> bool:
        ctx = self.ctx
        if node.base is None:
            start = ctx.root if node.absolute else cur
            if start is None:
                if node.absolute:
                    return False
                self.add(node.name)
                return True
        else:
            try:
                val = compiled(node.base)(cur, ctx)
            except EvaluationFailure:
                return False
            if val is UNDEFINED:
                self.add(unparse(node.base) + "." + node.name)
                return True
            if type(val) is not Scope:
                return False
            start = val
        return self.lookup(node.name, start)

    def lookup(self, name: str, start: Scope) -> bool:
        """``LookupInScope`` from ``start``, then the walk of what it finds."""
        lname = name.lower()
        root = self.ctx.root
        current: Scope | None = start
        while current is not None:
            expr = current.attrs.get(lname)
            if expr is not None:
                return self.nested(expr, current)
            outer = None if current is root else current.parent
            if lname not in self.special:
                current = outer
                if current is start:
                    break
                continue
            if lname in ("toplevel", "root"):
                if root is None:
                    return False
                return self.nested_ad(root, current)
            if lname in ("self", "my"):
                return self.nested_ad(current, current)
            if lname == "parent":
                if outer is None:
                    break
                return self.nested_ad(outer, current)
            return True  # CurrentTime: time() has no references
        self.add(name)
        return True

    def nested_ad(self, ad: Scope, cur: Scope) -> bool:
        if self.depth <= 0:
            return False
        self.depth -= 1
        ok = self.walk_ad(ad.entries(), cur)
        self.depth += 1
        return ok


def _deref(node: AttrRef, scope: Scope | None, ctx: Ctx) -> tuple[Node | Scope, Scope | None] | None:
    """What an attribute reference names (HTCondor's ``AttributeReference::Deref``): an
    expression, or an ad for ``self``, ``root``, ``parent``..., together with the ad the
    lookup ended in (the current ad for the walk that follows); None when nothing is found."""
    try:
        start: Scope | None
        if node.base is None:
            if node.absolute:
                if ctx.root is None:
                    return None
                start = ctx.root
                expr, found = resolve_in(start, node.lname, ctx)
            else:
                start = scope
                expr, found = resolve(scope, node.lname, ctx)
        else:
            base = compiled(node.base)(scope, ctx)
            if type(base) is not Scope:
                return None
            start = base
            expr, found = resolve_in(base, node.lname, ctx)
    except EvaluationFailure:
        return None
    if expr is not None:
        return expr, found
    if type(found) is Scope:
        return found, start
    return None


def _nonempty_match(rx: Compiled, subject: bytes) -> bool:
    """Whether ``rx`` has a non-empty match in ``subject`` (PCRE2_NOTEMPTY, approximately: an
    empty match is skipped rather than backtracked into a longer one)."""
    pos = 0
    while pos <= len(subject):
        m = rx.search(subject, pos)
        if not isinstance(m, re.Match):
            return False
        if m.end() > m.start():
            return True
        pos = m.start() + 1
    return False


@builtin("unresolved", 1, 2, lazy=True)
def unresolved(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """``unresolved(attr[, regex])`` (reference 5.1, HTCondor's ``hasRefs``).

    The argument must be an attribute reference (else error); if it names no attribute the
    result is undefined.  The external references of its expression (names not defined in the
    current ad or its enclosing ads; ``x.y`` with ``x`` undefined as ``x.y``; a ``target.``
    prefix removed) are joined with commas in case-insensitive order.  With a regular
    expression (PCRE2, caseless; a non-empty match is needed) the result says whether any
    reference matches; a non-string pattern is an evaluation failure, a bad pattern an error.
    """
    node = nodes[0]
    if type(node) is not AttrRef:
        return ERROR
    target = _deref(node, scope, ctx)
    if target is None:
        return UNDEFINED
    expr, where = target
    rx: Compiled | None = None
    if len(args) == 2:
        pat = args[1](scope, ctx)
        if type(pat) is not str:
            raise EvaluationFailure("unresolved: the pattern is not a string")
        try:
            rx = compile_pcre(to_bytes(pat), "i")
        except (PatternError, Unsupported):
            return ERROR
    names: list[str] = []
    if scope is not None:
        walk = _Refs(ctx)
        ok = walk.walk_ad(expr.entries(), where) if isinstance(expr, Scope) else walk.walk(expr, where)
        if ok:
            names = [walk.names[k] for k in sorted(walk.names, key=lambda k: to_bytes(k))]
    out: list[str] = []
    for name in names:
        if to_bytes(name[:7]).lower() == b"target.":
            name = name[7:]
        if rx is not None:
            if _nonempty_match(rx, to_bytes(name)):
                return True
        else:
            out.append(name)
    if rx is not None:
        return False
    return ",".join(out)


@builtin("debug", 1)
def debug(v: Any) -> Any:
    """``debug(e)`` (reference 5.1): the value of ``e`` (HTCondor also logs it)."""
    return v
