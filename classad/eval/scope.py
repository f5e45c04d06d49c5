"""Ads at evaluation time, and the evaluation state (reference section 4).

A :class:`Scope` is an ad being evaluated: its attribute expressions (keyed by folded name),
its lexical parent (the enclosing ad, or a match context), and in old-semantics matching its
alternate scope (the target ad).  A nested ad value *is* a Scope.  :class:`Ctx` is the state
of one evaluation: the root ad, the semantic mode, the attributes being evaluated (for cycle
detection) and the evaluation depth.
"""

from __future__ import annotations

from typing import Any

from classad.ast import AdExpr, ListExpr, Literal, Node
from classad.values import ListValue

# HTCondor fails an evaluation once more than 401 expression nodes (operations, references,
# literals; not function calls) are being evaluated inside each other.
MAX_EVAL_DEPTH = 401

# HTCondor fails an evaluation that evaluates attribute references more often than this
# (measured on 25.14.1 with exponentially branching ads: 4,999,995 succeed, one more fails).
MAX_EVAL_WORK = 4_999_995


class Scope:
    """An ad in an evaluation: attributes, lexical parent, names and alternate scope."""

    __slots__ = ("alt", "attrs", "detached", "names", "parent")

    def __init__(
        self,
        attrs: dict[str, Node],
        parent: Scope | None,
        names: Any,
        alt: Scope | None = None,
        detached: bool = False,
    ) -> None:
        self.attrs = attrs
        self.parent = parent
        # Something that yields (name, expr) pairs in order: an AdExpr's entries or a ClassAd.
        self.names = names
        self.alt = alt
        # An ad obtained through ad["name"] subscripting: HTCondor cannot select from it
        # (reference 3.9), so `.attr` on it gives undefined.
        self.detached = detached

    def detach(self) -> Scope:
        """What HTCondor makes of an ``ad["name"]`` result: a copy with no enclosing ad,
        from which selection (``.attr``) gives undefined."""
        return Scope(self.attrs, None, self.names, None, True)

    def entries(self) -> list[tuple[str, Node]]:
        """(name, expression) pairs in insertion order."""
        src = self.names
        if isinstance(src, tuple):
            return list(src)
        return list(src())

    def __repr__(self) -> str:
        return f"<Scope {sorted(self.attrs)}>"


class Ctx:
    """The state of one evaluation (HTCondor's EvalState)."""

    __slots__ = ("active", "depth", "old", "root", "work")

    def __init__(self, root: Scope | None, old: bool) -> None:
        self.root = root
        self.old = old
        self.active: set[tuple[int, int, str]] = set()
        self.depth = 0
        # Attribute evaluations so far (HTCondor gives up after about five million).
        self.work = 0


def value_to_node(v: Any) -> Node:
    """An evaluated value as an expression (HTCondor's value-to-literal step): lists and ads
    keep their unevaluated element expressions."""
    t = type(v)
    if t is ListValue:
        if v.items is not None:
            return ListExpr(v.items)
        return ListExpr(tuple(value_to_node(x) for x in v.values))
    if t is Scope:
        return AdExpr(tuple(v.entries()))
    return Literal(v)
