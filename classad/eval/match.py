"""The match context (reference 4 and 7, HTCondor's MatchClassAd).

A match puts two ads side by side under one root ad::

    [ symmetricMatch = RIGHT.requirements && LEFT.requirements; leftMatchesRight = RIGHT.requirements;
      rightMatchesLeft = LEFT.requirements; leftRankValue = LEFT.rank; rightRankValue = RIGHT.rank;
      lCtx = [other = .RIGHT; target = .RIGHT; my = .LEFT; ad = .LEFT];
      rCtx = [other = .LEFT; target = .LEFT; my = .RIGHT; ad = .RIGHT];
      LEFT = <left ad>; RIGHT = <right ad> ]

The left ad's lexical parent is ``lCtx`` and the right ad's is ``rCtx``, so ``TARGET.x``,
``MY.x`` and ``OTHER.x`` resolve as ordinary attributes.  In old semantics each ad also gets
the other as its alternate scope (unscoped names fall back to the target).
"""

from __future__ import annotations

from typing import Any

from classad.ast import AdExpr, Node
from classad.eval.scope import Ctx, Scope
from classad.grammar.parser import parse_ad


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
