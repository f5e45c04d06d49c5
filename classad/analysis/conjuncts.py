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
from classad.cache import BoundedCache
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


def _own_reference(node: Node) -> str | None:
    """The folded name of the attribute that ``node`` refers to directly in its own ad (``x`` or
    ``MY.x``), whether or not the ad has it."""
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
    return node.lname


def split(node: Node, ad: ClassAd | None = None) -> list[Conjunct]:
    """The conditions of ``node`` (see the module docstring).  With ``ad``, a condition that
    refers to a conjunction among ``ad``'s attributes is opened up (the slot side).

    The slots of a pool share their trees, so a split on the slot side is remembered with the
    attributes it looked up, and serves any ad whose attributes of those names are the same
    trees (or are missing alike)."""
    if ad is None:
        return _split(node, None, [])
    hit = _SPLITS.data.get(id(node))
    if hit is not None and hit[0] is node:
        get = ad._attrs.get
        if all(get(name) is expr for name, expr in hit[1]):
            return list(hit[2])
    consulted: list[tuple[str, Node | None]] = []
    out = _split(node, ad, consulted)
    _SPLITS.put(id(node), (node, tuple(consulted), tuple(out)), 64 * (len(out) + len(consulted)))
    return out


def _split(node: Node, ad: ClassAd | None, consulted: list[tuple[str, Node | None]]) -> list[Conjunct]:
    """:func:`split`, noting in ``consulted`` each attribute of ``ad`` looked up and what it was."""
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
            name = _own_reference(inner)
            if name is not None and name not in opened:
                target = ad._attrs.get(name)
                consulted.append((name, target))
                if target is not None and _is_and(strip_parens(target)):
                    stack.append((target, (*opened, name)))
                    continue
        out.append(Conjunct(inner, text_of(inner)))
    return out


# id(expression) -> (expression, the attributes its slot-side split looked up, the split).
_SPLITS: BoundedCache[int, tuple[Node, tuple[tuple[str, Node | None], ...], tuple[Conjunct, ...]]] = (
    BoundedCache(8 << 20, 1 << 20)
)


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
