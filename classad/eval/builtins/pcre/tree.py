"""The parsed pattern: one small class per kind of node (:data:`Node`), :func:`children`, and
:func:`_width`, the fixed length of a node (PCRE2's look-behind rule), which the parser checks and
the backtracking matcher uses to step back over a look-behind."""

from __future__ import annotations

from classad.recursion import Rec, run


class Lit:
    """One byte; ``fold``: match either ASCII case."""

    __slots__ = ("byte", "fold")

    def __init__(self, byte: int, fold: bool) -> None:
        self.byte = byte
        self.fold = fold


class Cls:
    """A set of bytes (a 256-bit mask)."""

    __slots__ = ("mask",)

    def __init__(self, mask: int) -> None:
        self.mask = mask


class Seq:
    __slots__ = ("items",)

    def __init__(self, items: list[Node]) -> None:
        self.items = items


class Alt:
    __slots__ = ("branches",)

    def __init__(self, branches: list[Node]) -> None:
        self.branches = branches


class Group:
    """``kind``: cap, non, atomic, la, nla, lb, nlb (look-ahead/behind, negated)."""

    __slots__ = ("body", "kind", "num")

    def __init__(self, kind: str, body: Node, num: int = 0) -> None:
        self.kind = kind
        self.body = body
        self.num = num


class Rep:
    """``body{lo,hi}`` (``hi`` None: unbounded); ``mode``: g(reedy), l(azy), p(ossessive), or
    a: greedy made possessive by PCRE2's auto-possessification (:func:`.analysis.possessify`),
    which changes no match: the backtracker runs it as possessive, Python's ``re`` as greedy."""

    __slots__ = ("body", "hi", "lo", "mode")

    def __init__(self, body: Node, lo: int, hi: int | None, mode: str) -> None:
        self.body = body
        self.lo = lo
        self.hi = hi
        self.mode = mode


class Anchor:
    """Zero-width tests: A (start of subject), mbol, eol, meol, Z, z, b, B, keep."""

    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        self.kind = kind


class Backref:
    """``\\n``; ``forward``: the group is not closed where the reference stands."""

    __slots__ = ("fold", "forward", "num")

    def __init__(self, num: int, fold: bool, forward: bool = False) -> None:
        self.num = num
        self.fold = fold
        self.forward = forward


class Cond:
    """``(?(cond)yes|no)``; ``cond`` is a group number, an assertion Group, or "false"."""

    __slots__ = ("cond", "no", "yes")

    def __init__(self, cond: int | Group | str, yes: Node, no: Node) -> None:
        self.cond = cond
        self.yes = yes
        self.no = no


class Call:
    """A subroutine call or recursion: ``(?R)`` (group 0), ``(?n)``, ``(?&name)``, ``\\g<n>``."""

    __slots__ = ("num",)

    def __init__(self, num: int) -> None:
        self.num = num


Node = Lit | Cls | Seq | Alt | Group | Rep | Anchor | Backref | Cond | Call

EMPTY = Seq([])


def children(node: Node) -> list[Node]:
    """The nodes directly inside ``node`` (a conditional's assertion first)."""
    if isinstance(node, Seq):
        return node.items
    if isinstance(node, Alt):
        return node.branches
    if isinstance(node, (Group, Rep)):
        return [node.body]
    if isinstance(node, Cond):
        return [node.cond, node.yes, node.no] if isinstance(node.cond, Group) else [node.yes, node.no]
    return []


def _width(node: Node) -> int | None:
    """The fixed length of ``node``, or None when it can vary (PCRE2's look-behind rule: nested
    alternatives must all have the same length)."""
    return run(_width_rec(node))


def _width_rec(node: Node) -> Rec[int | None]:
    if isinstance(node, (Lit, Cls)):
        return 1
    if isinstance(node, Anchor):
        return 0
    if isinstance(node, Seq):
        total = 0
        for it in node.items:
            w = yield _width_rec(it)
            if w is None:
                return None
            total += w
        return total
    if isinstance(node, Alt):
        widths: set[int | None] = set()
        for b in node.branches:
            widths.add((yield _width_rec(b)))
        if len(widths) != 1:
            return None
        return widths.pop()
    if isinstance(node, Group):
        if node.kind in ("la", "nla", "lb", "nlb"):
            return 0
        body_w: int | None = yield _width_rec(node.body)
        return body_w
    if isinstance(node, Rep):
        if isinstance(node.body, Group) and node.body.kind in ("la", "nla"):
            return 0
        if node.hi != node.lo or (isinstance(node.body, Group) and node.body.kind in ("lb", "nlb")):
            return None
        w = yield _width_rec(node.body)
        return None if w is None else w * node.lo
    if isinstance(node, Cond):
        if node.cond == "false":
            no_w: int | None = yield _width_rec(node.no)
            return no_w
        wy = yield _width_rec(node.yes)
        wn = yield _width_rec(node.no)
        return wy if wy == wn else None
    return None  # back references and calls
