"""Ads at evaluation time, and the evaluation state (reference section 4).

A :class:`Scope` is an ad being evaluated: its attribute expressions (keyed by folded name),
its lexical parent (the enclosing ad, or a match context), and in old-semantics matching its
alternate scope (the target ad).  A nested ad value *is* a Scope.  :class:`Ctx` is the state
of one evaluation: the root ad, the semantic mode, the attributes being evaluated (for cycle
detection), the evaluation depth and the current ad.

The current ad: compiled closures receive the ad their expression is written in (its lexical
scope, where ad and list literals take their parent from).  Unscoped names are looked up from
HTCondor's *current* ad (``EvalState::curAd``), which is normally that same ad; ``Ctx.cur``
is :data:`LEXICAL` then.  It differs where HTCondor evaluates an expression in another ad (the
elements of a list a function walks or projects, ``evalInEachContext``'s nested ads), and after
``AttributeReference::Deref`` (``evalInEachContext``, ``countMatches``, ``unresolved``), which
leaves the current ad where its lookup ended until the enclosing attribute evaluation ends.
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

    __slots__ = ("alt", "attrs", "detached", "names", "other", "parent", "pins", "shared")

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
        # HTCondor's SCLASSAD_VALUE (a self-contained copy, what ad["name"] gives) rather than
        # CLASSAD_VALUE: a different type for =?= and =!=, so the two are never identical.
        self.shared = False
        # The PinTable of the ClassAd this scope is (classad.eval.pins), when it has one for the
        # mode of the evaluation; None for every other ad.
        self.pins: Any = None
        # In a match context's lCtx/rCtx ad (classad.eval.match): the ad its ``target`` and
        # ``other`` attributes evaluate to; None everywhere else.
        self.other: Scope | None = None

    def detach(self, shared: bool = True) -> Scope:
        """What HTCondor makes of an ``ad["name"]`` result: a self-contained copy with no
        enclosing ad, from which selection (``.attr``) gives undefined.  ``shared`` False for an
        ad taken out of such a copy (an element of a detached list), which keeps the plain ad
        type."""
        s = Scope(self.attrs, None, self.names, None, True)
        s.shared = shared
        return s

    def entries(self) -> list[tuple[str, Node]]:
        """(name, expression) pairs in insertion order."""
        src = self.names
        if isinstance(src, tuple):
            return list(src)
        return list(src())

    def __repr__(self) -> str:
        return f"<Scope {sorted(self.attrs)}>"


class _Lexical:
    """The type of :data:`LEXICAL`."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "LEXICAL"


LEXICAL = _Lexical()
"""``Ctx.cur`` when the current ad is the ad the expression being evaluated is written in."""


class Ctx:
    """The state of one evaluation (HTCondor's EvalState)."""

    __slots__ = ("active", "cur", "depth", "memo", "old", "root", "work")

    def __init__(self, root: Scope | None, old: bool) -> None:
        self.root = root
        self.old = old
        self.active: set[tuple[int, int, str]] = set()
        self.depth = 0
        # Attribute evaluations so far (HTCondor gives up after about five million).
        self.work = 0
        # The current ad (a Scope or None) when it is not the lexical one, else LEXICAL (see
        # the module docstring); typed Any so the hot lookup path needs no narrowing.
        self.cur: Any = LEXICAL
        # Remembered attribute values (classad.eval.memo), once the evaluation has done a lot.
        self.memo: Any = None

    def nested(self, root: Scope | None, cur: Scope) -> Ctx:
        """A fresh state for evaluating in another ad (HTCondor's temporary EvalState with
        ``cur`` as the current ad), sharing this one's cycle detection; carry the work back
        with ``self.work = nested.work``.  Its depth starts afresh, as HTCondor's does."""
        n = Ctx(root, self.old)
        n.active = self.active
        n.work = self.work
        n.cur = cur
        if self.memo is not None:
            n.memo = self.memo.nested()
        return n


def current(scope: Scope | None, ctx: Ctx) -> Scope | None:
    """The current ad of an evaluation whose expression is written in ``scope``."""
    c = ctx.cur
    if c is LEXICAL:
        return scope
    assert c is None or type(c) is Scope
    return c


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
