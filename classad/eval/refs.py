"""Which attributes an expression refers to (HTCondor's ``GetExternalReferences`` and
``GetInternalReferences``): used by ``unresolved()`` and ``ClassAd.externalRefs`` /
``internalRefs``.

The walk follows references to attributes that exist (into their expressions), and records
names found nowhere (external) or names found in a given ad (internal).  A scoped reference
whose scope is undefined is recorded with its scope (``TARGET.x``).  The walk is bounded in
depth and work; when it cannot finish, or meets something HTCondor's walk rejects, it reports
failure.
"""

from __future__ import annotations

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
from classad.eval.compiler import compiled, resolve_in
from classad.eval.scope import Ctx, Scope
from classad.printer import unparse
from classad.values import UNDEFINED, to_bytes

_SPECIAL_NEW = frozenset({"toplevel", "root", "self", "parent"})
_SPECIAL_OLD = _SPECIAL_NEW | {"my", "currenttime"}
_REFS_DEPTH = 400
_REFS_BUDGET = 1_000_000


class Refs:
    """State of one references walk: HTCondor's ``_GetExternalReferences`` (names found
    nowhere, the default), or with ``internal_of`` its ``_GetInternalReferences`` (names found
    in that ad)."""

    __slots__ = ("budget", "ctx", "depth", "internal_of", "names", "special")

    def __init__(self, ctx: Ctx, internal_of: Scope | None = None) -> None:
        self.ctx = ctx
        self.internal_of = internal_of
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
                if self.internal_of is None:
                    self.add(node.name)
                return True
        else:
            base = node.base
            if self.internal_of is not None and cur is not None and base.__class__ is AttrRef:
                assert isinstance(base, AttrRef)
                if base.base is None and not base.absolute:
                    # The ad a selection starts from counts as an internal reference ('d' in d.e).
                    try:
                        expr, found = resolve_in(cur, base.lname, self.ctx)
                    except EvaluationFailure:
                        return False
                    if expr is not None and found is self.internal_of:
                        self.add(base.name)
            try:
                val = compiled(node.base)(cur, ctx)
            except EvaluationFailure:
                return False
            if val is UNDEFINED:
                if self.internal_of is None:
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
                if current is self.internal_of:
                    self.add(name)
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
        if self.internal_of is None:
            self.add(name)
        return True

    def sorted_names(self) -> list[str]:
        """The names found, in HTCondor's case-insensitive order."""
        return [self.names[k] for k in sorted(self.names, key=lambda k: to_bytes(k))]

    def nested_ad(self, ad: Scope, cur: Scope) -> bool:
        if self.depth <= 0:
            return False
        self.depth -= 1
        ok = self.walk_ad(ad.entries(), cur)
        self.depth += 1
        return ok
