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
from classad.eval.compiler import resolve_in, run
from classad.eval.match import Bound
from classad.eval.scope import LEXICAL, Ctx, Scope
from classad.printer import unparse
from classad.values import UNDEFINED, to_bytes

_SPECIAL_NEW = frozenset({"toplevel", "root", "self", "parent"})
_SPECIAL_OLD = _SPECIAL_NEW | {"my", "currenttime"}
_REFS_DEPTH = 400
_REFS_BUDGET = 1_000_000
_WALK, _NESTED, _AD = 0, 1, 2
"""Work items of the walk: a node; a node one level in; an ad one level in (each of its
attributes then one level further)."""


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

    def walk(self, node: Node, cur: Scope | None) -> bool:
        """Walk ``node`` in the ad ``cur``; False when HTCondor's walk fails."""
        return self._run([(_WALK, node, cur, self.depth)])

    def walk_ad(self, entries: list[tuple[str, Node]], cur: Scope | None) -> bool:
        """Walk every attribute of an ad, in HTCondor's attribute order."""
        return self._run([(_AD, entries, cur, self.depth + 1)])

    def _run(self, stack: list[tuple[int, Any, Scope | None, int]]) -> bool:
        """The walk, depth first and left to right with an explicit stack (no Python recursion
        however deep the trees): it stops at the first part that fails, as HTCondor's does.
        ``depth`` in each item is the nesting still allowed (function arguments, list items,
        attribute expressions and ads each take one level)."""
        pop = stack.pop
        push = stack.append
        while stack:
            kind, item, cur, depth = pop()
            if kind == _NESTED:
                if depth <= 0:
                    return False
                kind, depth = _WALK, depth - 1
            elif kind == _AD:
                if depth <= 0:
                    return False
                entries = sorted(item, key=lambda kv: (len(kv[0]), kv[0].lower()))
                for _, expr in reversed(entries):
                    push((_NESTED, expr, cur, depth - 1))
                continue
            self.budget -= 1
            if self.budget < 0:
                return False
            node = item
            cls = node.__class__
            if cls is Literal:
                continue
            if cls is AttrRef:
                found = self.ref(node, cur)
                if found is False:
                    return False
                if found is not True:
                    k, what, where = found
                    push((k, what, where, depth))
                continue
            children: tuple[Node, ...]
            child_kind = _WALK
            if cls is Chain:
                children = node.operands
            elif cls is Unary:
                children = (node.operand,)
            elif cls is Paren:
                children = (node.inner,)
            elif cls is Ternary:
                children = (node.cond, node.then, node.other)
            elif cls is Elvis:
                children = (node.left, node.right)
            elif cls is Subscript:
                children = (node.base, node.index)
            elif cls is Call:
                children, child_kind = node.args, _NESTED
            elif cls is ListExpr:
                children, child_kind = node.items, _NESTED
            elif cls is AdExpr:
                # Its attributes are one level in, as those of any ad the walk enters.
                push((_AD, list(node.entries), cur, depth + 1))
                continue
            elif cls is Bound:
                # A match's LEFT or RIGHT: HTCondor has the ad itself there, walked as an ad.
                push((_AD, node.scope.entries(), cur, depth + 1))
                continue
            else:
                return False
            for child in reversed(children):
                push((child_kind, child, cur, depth))
        return True

    def ref(self, node: AttrRef, cur: Scope | None) -> bool | tuple[int, Any, Scope]:
        """A reference: True when nothing is left to walk, False when the walk fails, else
        what to walk next (the referenced attribute's expression or an ad)."""
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
            saved = ctx.cur
            ctx.cur = LEXICAL  # the base is evaluated in the walk's current ad
            try:
                val = run(node.base, cur, ctx)
            except EvaluationFailure:
                return False
            finally:
                ctx.cur = saved
            if val is UNDEFINED:
                if self.internal_of is None:
                    self.add(unparse(node.base) + "." + node.name)
                return True
            if type(val) is not Scope:
                return False
            start = val
        return self.lookup(node.name, start)

    def lookup(self, name: str, start: Scope) -> bool | tuple[int, Any, Scope]:
        """``LookupInScope`` from ``start``, then the walk of what it finds."""
        lname = name.lower()
        root = self.ctx.root
        current: Scope | None = start
        while current is not None:
            expr = current.attrs.get(lname)
            if expr is not None:
                if current is self.internal_of:
                    self.add(name)
                return (_NESTED, expr, current)
            outer = None if current is root else current.parent
            if lname not in self.special:
                current = outer
                if current is start:
                    break
                continue
            if lname in ("toplevel", "root"):
                if root is None:
                    return False
                return (_AD, root.entries(), current)
            if lname in ("self", "my"):
                return (_AD, current.entries(), current)
            if lname == "parent":
                if outer is None:
                    break
                return (_AD, outer.entries(), current)
            return True  # CurrentTime: time() has no references
        if self.internal_of is None:
            self.add(name)
        return True

    def sorted_names(self) -> list[str]:
        """The names found, in HTCondor's case-insensitive order."""
        return [self.names[k] for k in sorted(self.names, key=lambda k: to_bytes(k))]
