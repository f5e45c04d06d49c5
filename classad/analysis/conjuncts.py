"""Splitting a Requirements expression into the conditions the analysis counts.

A condition is a top-level conjunct: ``a && (b && c) && d`` has the four conditions ``a``, ``b``,
``c`` and ``d``, found through parentheses and nested ``&&`` chains (never through ``||``, ``!``
or a ternary).  On a slot's side, a condition that is only a reference to one of the slot's own
attributes (``START``, ``MY.WithinResourceLimits``) is opened up too when that attribute is itself a
conjunction, as ``condor_q -better-analyze`` shows a slot's START clause by clause.

Every condition keeps the tree it was written as, so it evaluates exactly as the same text
written alone in that ad would; its ``text`` is that tree printed on one line.
"""

from __future__ import annotations

from dataclasses import dataclass

from classad._classad import ClassAd
from classad.ast import AttrRef, Chain, Node, strip_parens
from classad.printer import unparse

__all__ = ["Conjunct", "split", "text_of"]

_SPLIT_BUDGET = 10_000
"""Conditions one expression is split into at most; the rest stays one condition."""

_EXPAND_DEPTH = 8
"""How many attribute references deep a slot's conditions are opened up."""


@dataclass(frozen=True)
class Conjunct:
    """One condition: its tree (written in ``ad``) and its one-line text."""

    node: Node
    text: str


def _is_and(node: Node) -> bool:
    return node.__class__ is Chain and all(op == "&&" for op in node.ops)


def _own_attribute(node: Node, ad: ClassAd) -> str | None:
    """The name of ``ad``'s attribute that ``node`` refers to directly (``x`` or ``MY.x``)."""
    if node.__class__ is not AttrRef:
        return None
    assert isinstance(node, AttrRef)
    if node.absolute:
        return None
    base = node.base
    if base is not None:
        if base.__class__ is not AttrRef:
            return None
        assert isinstance(base, AttrRef)
        if base.base is not None or base.absolute or base.lname != "my":
            return None
    return node.name if node.name in ad else None


def split(node: Node, ad: ClassAd | None = None) -> list[Conjunct]:
    """The conditions of ``node`` (see the module docstring).  With ``ad``, a condition that
    refers to a conjunction among ``ad``'s attributes is opened up (the slot side)."""
    out: list[Conjunct] = []
    # (node, attribute names opened on the way here) in reverse order of appearance
    stack: list[tuple[Node, tuple[str, ...]]] = [(node, ())]
    while stack:
        n, opened = stack.pop()
        inner = strip_parens(n)
        if _is_and(inner) and len(out) + len(stack) < _SPLIT_BUDGET:
            assert isinstance(inner, Chain)
            operands = inner.operands
            stack.extend((o, opened) for o in reversed(operands))
            continue
        if ad is not None and len(opened) < _EXPAND_DEPTH:
            name = _own_attribute(inner, ad)
            if name is not None and name.lower() not in opened:
                target = ad.lookup(name)._node
                if _is_and(strip_parens(target)):
                    stack.append((target, (*opened, name.lower())))
                    continue
        out.append(Conjunct(inner, text_of(inner)))
    return out


_TEXTS: dict[int, tuple[Node, str]] = {}
_TEXTS_LIMIT = 50_000


def text_of(node: Node) -> str:
    """``node`` printed on one line (remembered per node: slots share their trees)."""
    hit = _TEXTS.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    text = unparse(node).strip()
    if len(_TEXTS) >= _TEXTS_LIMIT:
        _TEXTS.clear()
    _TEXTS[id(node)] = (node, text)
    return text
