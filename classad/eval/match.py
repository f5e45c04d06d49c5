"""The match context (reference 4 and 7, HTCondor's MatchClassAd).

A match puts two ads side by side under one root ad::

    [ symmetricMatch = RIGHT.requirements && LEFT.requirements; leftMatchesRight = RIGHT.requirements;
      rightMatchesLeft = LEFT.requirements; leftRankValue = LEFT.rank; rightRankValue = RIGHT.rank;
      lCtx = [other = .RIGHT; target = .RIGHT; my = .LEFT; ad = .LEFT];
      rCtx = [other = .LEFT; target = .LEFT; my = .RIGHT; ad = .RIGHT];
      LEFT = <left ad>; RIGHT = <right ad> ]

The left ad's lexical parent is ``lCtx`` and the right ad's is ``rCtx``, so ``TARGET.x``,
``MY.x`` and ``OTHER.x`` resolve as ordinary attributes.  In old semantics each ad also gets
the other as its alternate scope (unscoped names fall back to the target).  :class:`Frame`
holds the two contexts of one ad matched against many others in turn, built once.
"""

from __future__ import annotations

from typing import Any

from classad.ast import AdExpr, Node
from classad.eval.scope import Ctx, Scope
from classad.grammar.parser import parse_ad
from classad.values import RelTime


class Bound(Node):
    """A node that evaluates to a given ad (how ``LEFT``/``RIGHT`` refer to the two ads): the
    ad itself standing in its place, as HTCondor inserts the two ads into the match ad (so
    the references walk of ``unresolved`` enters it like an ad literal)."""

    __slots__ = ("scope",)

    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.depth = 3
        self.size = 1
        self.h = 0
        self.fn = self.cfn = self._value

    def _value(self, s: Any, c: Ctx) -> Any:
        return self.scope

    def _key(self) -> tuple[Any, ...]:
        return (id(self.scope),)


_TEMPLATE: AdExpr | None = None


def _template() -> AdExpr:
    global _TEMPLATE
    if _TEMPLATE is None:
        _TEMPLATE = parse_ad(
            "[ symmetricMatch = RIGHT.requirements && LEFT.requirements;"
            " leftMatchesRight = RIGHT.requirements; rightMatchesLeft = LEFT.requirements;"
            " leftRankValue = LEFT.rank; rightRankValue = RIGHT.rank;"
            " lCtx = [other = .RIGHT; target = .RIGHT; my = .LEFT; ad = .LEFT];"
            " rCtx = [other = .LEFT; target = .LEFT; my = .RIGHT; ad = .RIGHT] ]",
            old=False,
        )
    return _TEMPLATE


_CONTEXT_NAMES: frozenset[str] | None = None


def context_names() -> frozenset[str]:
    """Every attribute name the ads of a match context define (the root ad's, including
    ``left`` and ``right``, and the two ``lCtx``/``rCtx`` ads'): a name outside them, looked up
    from one of the two matched ads, is not found in the context (the root ad has no parent)."""
    global _CONTEXT_NAMES
    if _CONTEXT_NAMES is None:
        tpl = _template()
        names = set(tpl.attrs) | {"left", "right"}
        for ctx in ("lctx", "rctx"):
            node = tpl.attrs[ctx]
            assert isinstance(node, AdExpr)
            names |= set(node.attrs)
        _CONTEXT_NAMES = frozenset(names)
    return _CONTEXT_NAMES


def match_scopes(left: Scope, right: Scope, old: bool) -> Scope:
    """Re-parent ``left`` and ``right`` into a new match context; return its root ad."""
    tpl = _template()
    attrs: dict[str, Node] = dict(tpl.attrs)
    root = Scope(attrs, None, tpl.entries)
    lctx_node = tpl.attrs["lctx"]
    rctx_node = tpl.attrs["rctx"]
    assert isinstance(lctx_node, AdExpr) and isinstance(rctx_node, AdExpr)
    left.parent = Scope(lctx_node.attrs, root, lctx_node.entries)
    right.parent = Scope(rctx_node.attrs, root, rctx_node.entries)
    left.parent.other = right
    right.parent.other = left
    if old:
        left.alt = right
        right.alt = left
    attrs["left"] = Bound(left)
    attrs["right"] = Bound(right)
    return root


def match_sides(root: Scope) -> tuple[Scope, Scope] | None:
    """The LEFT and RIGHT ads of a match context root (from :func:`match_scopes`), else None."""
    left = root.attrs.get("left")
    right = root.attrs.get("right")
    if type(left) is Bound and type(right) is Bound:
        return left.scope, right.scope
    return None


def match_truth(v: Any) -> bool:
    """Whether an evaluated Requirements lets a match happen: true, or a number other than zero
    (a relative time by its seconds, as classad2 converts it to a float: NaN is true)."""
    t = type(v)
    if t is bool:
        return bool(v)
    if t is int or t is float:
        return bool(v)
    if t is RelTime:
        return bool(v.secs != 0.0)
    return False


class Frame:
    """The two match contexts of one fixed ad matched against many others in turn, built once.

    ``fixed_right`` and ``fixed_left`` are two scopes of the fixed ad, for the context where it is
    RIGHT (the other ad's Requirements evaluated with it as TARGET) and the one where it is LEFT
    (its own Requirements).  :meth:`put` places the other ad's two scopes in them, exactly as
    :func:`match_scopes` would place them in fresh contexts: an evaluation leaves no trace in a
    context, so which pair it held before changes nothing.  A frame serves one caller at a time
    (it is rewired for every pair); make one per call, never share it between threads.
    """

    __slots__ = (
        "_bl",
        "_br",
        "_fr",
        "_l1",
        "_l2",
        "_r1",
        "_r2",
        "fixed_left",
        "left_root",
        "old",
        "right_root",
    )

    def __init__(self, fixed_right: Scope, fixed_left: Scope, old: bool) -> None:
        tpl = _template()
        lctx = tpl.attrs["lctx"]
        rctx = tpl.attrs["rctx"]
        assert isinstance(lctx, AdExpr) and isinstance(rctx, AdExpr)
        self.old = old
        # The context where the other ad is LEFT and the fixed one RIGHT.
        attrs: dict[str, Node] = dict(tpl.attrs)
        self.left_root = Scope(attrs, None, tpl.entries)
        self._l1 = Scope(lctx.attrs, self.left_root, lctx.entries)
        self._r1 = Scope(rctx.attrs, self.left_root, rctx.entries)
        self._fr = fixed_right
        fixed_right.parent = self._r1
        self._l1.other = fixed_right
        self._bl = Bound(fixed_right)  # stands for the other ad; put() sets it
        attrs["left"] = self._bl
        attrs["right"] = Bound(fixed_right)
        # The context where the fixed ad is LEFT and the other one RIGHT.
        attrs = dict(tpl.attrs)
        self.right_root = Scope(attrs, None, tpl.entries)
        self._l2 = Scope(lctx.attrs, self.right_root, lctx.entries)
        self._r2 = Scope(rctx.attrs, self.right_root, rctx.entries)
        self.fixed_left = fixed_left
        fixed_left.parent = self._l2
        self._r2.other = fixed_left
        self._br = Bound(fixed_left)  # stands for the other ad; put() sets it
        attrs["left"] = Bound(fixed_left)
        attrs["right"] = self._br

    def put_left(self, other: Scope) -> None:
        """Make ``other`` the LEFT ad of the context where the fixed ad is RIGHT."""
        other.parent = self._l1
        self._r1.other = other
        self._bl.scope = other
        if self.old:
            other.alt = self._fr
            self._fr.alt = other

    def put_right(self, other: Scope) -> None:
        """Make ``other`` the RIGHT ad of the context where the fixed ad is LEFT."""
        other.parent = self._r2
        self._l2.other = other
        self._br.scope = other
        if self.old:
            other.alt = self.fixed_left
            self.fixed_left.alt = other
