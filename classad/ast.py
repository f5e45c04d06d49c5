"""The expression tree (reference 3.1): small immutable nodes with ``__slots__``.

Left-associative binary operators of one precedence level form one n-ary :class:`Chain`
node (``a || b || c``, ``1 + 2 - 3``), so that flat chains of any length stay shallow.
Structural equality follows HTCondor's ``SameAs``: literals compare by type and value,
attribute names case-sensitively, parentheses count.

Every node carries ``depth``: the parser depth HTCondor's recursive-descent parser reaches
for it (reference 3.1, limit 500), and a slot for its compiled closure (``classad.eval``).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from classad.values import AbsTime, RelTime

SIZE_CAP = 1 << 62
"""Where :attr:`Node.size` stops counting."""


class Node:
    """Base of all expression nodes."""

    __slots__ = ("cfn", "depth", "fn", "h", "size")

    depth: int
    # The number of nodes of the tree written out (shared subtrees counted each time they
    # occur), at most SIZE_CAP: what printing or evaluating it all would visit.
    size: int
    # The compiled evaluator of this node (set once by the compiler), its depth-counting
    # variant, and its evaluation-depth cost (see classad.eval.compiler).
    fn: Callable[..., Any] | None
    cfn: Callable[..., Any] | None
    h: int

    def _key(self) -> tuple[Any, ...]:
        raise NotImplementedError

    def __eq__(self, other: object) -> bool:
        # Structural equality with an explicit stack: trees of any depth, no recursion.
        stack: list[tuple[Any, Any]] = [(self, other)]
        pop = stack.pop
        push = stack.append
        while stack:
            a, b = pop()
            if a.__class__ is not b.__class__:
                return False
            if isinstance(a, Node):
                if a is b:
                    continue
                push((a._key(), b._key()))
            elif a.__class__ is tuple:
                if len(a) != len(b):
                    return False
                for x, y in zip(a, b):
                    push((x, y))
            elif a != b:
                return False
        return True

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        # The hash of the pre-order sequence of node classes and key leaves (no recursion).
        parts: list[Any] = []
        stack: list[Any] = [self]
        while stack:
            x = stack.pop()
            if isinstance(x, Node):
                parts.append(x.__class__.__name__)
                stack.append(x._key())
            elif x.__class__ is tuple:
                parts.append(len(x))
                stack.extend(reversed(x))
            else:
                parts.append(x)
        return hash(tuple(parts))

    def __repr__(self) -> str:
        from classad.printer import unparse

        return f"<{self.__class__.__name__} {unparse(self)}>"

    def __reduce__(self) -> tuple[Any, ...]:
        # Pickled as text with exact reals, so every finite double survives.
        from classad.exactprint import unparse_exact
        from classad.grammar.parser import parse_expression

        return (parse_expression, (unparse_exact(self),))


def _literal_key(v: object) -> tuple[Any, ...]:
    if isinstance(v, float) and math.isnan(v):
        return (float, "nan")
    if isinstance(v, float):
        return (float, v, math.copysign(1.0, v))
    return (type(v), v)


class Literal(Node):
    """A literal value: bool, int, float, str, undefined, error, or a folded time literal."""

    __slots__ = ("value",)

    def __init__(self, value: object) -> None:
        self.value = value
        self.depth = 3
        self.size = 1
        self.fn = None
        self.cfn = None
        self.h = -1

    def _key(self) -> tuple[Any, ...]:
        v = self.value
        if isinstance(v, AbsTime):
            return (AbsTime, v.secs, v.offset)
        if isinstance(v, RelTime):
            return (RelTime, v.secs)
        return _literal_key(v)


class AttrRef(Node):
    """An attribute reference: ``name``, ``.name`` (``absolute``) or ``base.name``."""

    __slots__ = ("absolute", "base", "lname", "name")

    def __init__(self, base: Node | None, name: str, absolute: bool = False) -> None:
        self.base = base
        self.name = name
        self.lname = name.lower()
        self.absolute = absolute
        self.depth = 3 if base is None else base.depth
        self.size = 1 if base is None else min(SIZE_CAP, base.size + 1)
        self.fn = None
        self.cfn = None
        self.h = -1

    def _key(self) -> tuple[Any, ...]:
        return (self.base, self.name, self.absolute)


class Unary(Node):
    """A unary operator: ``-``, ``+``, ``~`` or ``!``."""

    __slots__ = ("op", "operand")

    def __init__(self, op: str, operand: Node) -> None:
        self.op = op
        self.operand = operand
        self.depth = operand.depth + 1
        self.size = min(SIZE_CAP, operand.size + 1)
        self.fn = None
        self.cfn = None
        self.h = -1

    def _key(self) -> tuple[Any, ...]:
        return (self.op, self.operand)


class Chain(Node):
    """Left-associative binary operators of one precedence level: ``o0 op0 o1 op1 o2 ...``."""

    __slots__ = ("operands", "ops")

    def __init__(self, operands: tuple[Node, ...], ops: tuple[str, ...]) -> None:
        self.operands = operands
        self.ops = ops
        # A plain loop: a third of the cost of max()/sum() over generators, per node parsed.
        depth = 0
        size = 1
        for o in operands:
            if o.depth > depth:
                depth = o.depth
            size += o.size
        self.depth = depth
        self.size = size if size < SIZE_CAP else SIZE_CAP
        self.fn = None
        self.cfn = None
        self.h = -1

    def _key(self) -> tuple[Any, ...]:
        return (self.ops, self.operands)


class Ternary(Node):
    """``cond ? then : else`` (right-associative)."""

    __slots__ = ("cond", "other", "then")

    def __init__(self, cond: Node, then: Node, other: Node) -> None:
        self.cond = cond
        self.then = then
        self.other = other
        self.depth = max(cond.depth, then.depth + 1, other.depth + 1)
        self.size = min(SIZE_CAP, 1 + cond.size + then.size + other.size)
        self.fn = None
        self.cfn = None
        self.h = -1

    def _key(self) -> tuple[Any, ...]:
        return (self.cond, self.then, self.other)


class Elvis(Node):
    """``left ?: right``; the right operand is a postfix expression (reference 3.1)."""

    __slots__ = ("left", "right")

    def __init__(self, left: Node, right: Node) -> None:
        self.left = left
        self.right = right
        self.depth = max(left.depth, right.depth + 1)
        self.size = min(SIZE_CAP, 1 + left.size + right.size)
        self.fn = None
        self.cfn = None
        self.h = -1

    def _key(self) -> tuple[Any, ...]:
        return (self.left, self.right)


class Subscript(Node):
    """``base[index]``."""

    __slots__ = ("base", "index")

    def __init__(self, base: Node, index: Node) -> None:
        self.base = base
        self.index = index
        self.depth = max(base.depth, index.depth + 3)
        self.size = min(SIZE_CAP, 1 + base.size + index.size)
        self.fn = None
        self.cfn = None
        self.h = -1

    def _key(self) -> tuple[Any, ...]:
        return (self.base, self.index)


class Paren(Node):
    """Parentheses as written: HTCondor keeps them in the tree and prints them back."""

    __slots__ = ("inner",)

    def __init__(self, inner: Node) -> None:
        self.inner = inner
        self.depth = inner.depth + 3
        self.size = min(SIZE_CAP, 1 + inner.size)
        self.fn = None
        self.cfn = None
        self.h = -1

    def _key(self) -> tuple[Any, ...]:
        return (self.inner,)


class Call(Node):
    """A function call; ``name`` keeps its spelling, lookup is case-insensitive."""

    __slots__ = ("args", "name")

    def __init__(self, name: str, args: tuple[Node, ...]) -> None:
        self.name = name
        self.args = args
        self.depth = 3 + max((a.depth for a in args), default=0)
        self.size = min(SIZE_CAP, 1 + sum(a.size for a in args))
        self.fn = None
        self.cfn = None
        self.h = -1

    def _key(self) -> tuple[Any, ...]:
        return (self.name, self.args)


class ListExpr(Node):
    """A list literal ``{ e1, e2, ... }``."""

    __slots__ = ("items",)

    def __init__(self, items: tuple[Node, ...]) -> None:
        self.items = items
        self.depth = 3 + max((a.depth for a in items), default=0)
        self.size = min(SIZE_CAP, 1 + sum(a.size for a in items))
        self.fn = None
        self.cfn = None
        self.h = -1

    def _key(self) -> tuple[Any, ...]:
        return (self.items,)


class AdExpr(Node):
    """A nested ad literal ``[ n1 = e1; n2 = e2 ]``.

    ``entries`` keeps one (name, expr) per attribute in insertion order: a repeated name keeps
    the first spelling and the last value (reference 3.1).  ``attrs`` maps folded names to exprs.
    """

    __slots__ = ("attrs", "entries")

    def __init__(self, entries: tuple[tuple[str, Node], ...]) -> None:
        attrs: dict[str, Node] = {}
        names: dict[str, str] = {}
        deepest = 0
        for name, expr in entries:
            key = name.lower()
            if key not in names:
                names[key] = name
            attrs[key] = expr
        if len(attrs) != len(entries):
            entries = tuple((names[k], v) for k, v in attrs.items())
        size = 1
        for expr in attrs.values():
            if expr.depth > deepest:
                deepest = expr.depth
            size += expr.size
        self.entries = entries
        self.attrs = attrs
        self.depth = 3 + deepest
        self.size = min(SIZE_CAP, size)
        self.fn = None
        self.cfn = None
        self.h = -1

    def _key(self) -> tuple[Any, ...]:
        # HTCondor's SameAs compares ads as sets of attributes, names case-insensitively.
        return tuple(sorted(self.attrs.items(), key=lambda kv: kv[0]))


def children(node: Node) -> tuple[Node, ...]:
    """Every node directly inside ``node``, in order (ad literals: their attribute values)."""
    cls = node.__class__
    if cls is AttrRef:
        base = node.base  # type: ignore[attr-defined]
        return () if base is None else (base,)
    if cls is Unary:
        return (node.operand,)  # type: ignore[attr-defined]
    if cls is Chain:
        return node.operands  # type: ignore[attr-defined, no-any-return]
    if cls is Ternary:
        return (node.cond, node.then, node.other)  # type: ignore[attr-defined]
    if cls is Elvis:
        return (node.left, node.right)  # type: ignore[attr-defined]
    if cls is Subscript:
        return (node.base, node.index)  # type: ignore[attr-defined]
    if cls is Paren:
        return (node.inner,)  # type: ignore[attr-defined]
    if cls is Call:
        return node.args  # type: ignore[attr-defined, no-any-return]
    if cls is ListExpr:
        return node.items  # type: ignore[attr-defined, no-any-return]
    if cls is AdExpr:
        return tuple(e for _, e in node.entries)  # type: ignore[attr-defined]
    return ()


def strip_parens(node: Node) -> Node:
    """``node`` without the parentheses around it."""
    while node.__class__ is Paren:
        node = node.inner
    return node
