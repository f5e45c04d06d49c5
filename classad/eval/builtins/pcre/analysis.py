"""What every match of a parsed pattern needs: first bytes, minimum length and required bytes
(PCRE2's start-up checks), follow sets and PCRE2's auto-possessification, whether a part can
match the same text in several ways, and PCRE2's implicit anchoring.  :mod:`.cost` builds the
worst-case work estimate on these; :class:`~.compiled.Compiled` uses both.

Every walk keeps its pending nodes on the heap (:mod:`.walk`), so a deeply nested pattern needs
no deep Python stack."""

from __future__ import annotations

from classad.eval.builtins.pcre.charsets import ALL, NEWLINE, fold
from classad.eval.builtins.pcre.tree import (
    Alt,
    Anchor,
    Backref,
    Cls,
    Cond,
    Group,
    Lit,
    Node,
    Rep,
    Seq,
    children,
)
from classad.recursion import Rec, run

_LOOK = ("la", "nla", "lb", "nlb")


def first(node: Node) -> tuple[int, bool]:
    """The bytes a match of ``node`` can start with, and whether it can match empty."""
    return run(_first(node))


def _first(node: Node) -> Rec[tuple[int, bool]]:
    if isinstance(node, Lit):
        m = 1 << node.byte
        return (fold(m) if node.fold else m), False
    if isinstance(node, Cls):
        return node.mask, False
    if isinstance(node, Seq):
        mask = 0
        for it in node.items:
            if isinstance(it, Cls):
                return mask | it.mask, False
            m, nullable = yield _first(it)
            mask |= m
            if not nullable:
                return mask, False
        return mask, True
    if isinstance(node, Alt):
        mask = 0
        nullable = False
        for b in node.branches:
            m, n = yield _first(b)
            mask |= m
            nullable = nullable or n
        return mask, nullable
    if isinstance(node, Group):
        if node.kind in _LOOK:
            return 0, True
        body_first: tuple[int, bool] = yield _first(node.body)
        return body_first
    if isinstance(node, Rep):
        m, n = yield _first(node.body)
        return m, n or node.lo == 0
    if isinstance(node, Anchor):
        return 0, True
    # Back references, calls, and conditionals (of any kind: PCRE2 10.32 computes no start
    # bytes past one, measured with ``(?(DEFINE)x)(?:a|b)``) can start with anything.
    return ALL, True


def min_length(node: Node) -> int:
    """The length of the shortest subject part ``node`` can match."""
    return run(_min_length(node))


def _min_length(node: Node) -> Rec[int]:
    if isinstance(node, (Lit, Cls)):
        return 1
    if isinstance(node, Seq):
        total = 0
        for x in node.items:
            total += yield _min_length(x)
        return total
    if isinstance(node, Alt):
        best: int | None = None
        for b in node.branches:
            v = yield _min_length(b)
            best = v if best is None else min(best, v)
        return best or 0
    if isinstance(node, Group):
        if node.kind in _LOOK:
            return 0
        body: int = yield _min_length(node.body)
        return body
    if isinstance(node, Rep):
        each: int = yield _min_length(node.body)
        return node.lo * each
    if isinstance(node, Cond):
        if node.cond == "define":
            return 0
        if node.cond == "false":
            no_len: int = yield _min_length(node.no)
            return no_len
        yes: int = yield _min_length(node.yes)
        no: int = yield _min_length(node.no)
        return min(yes, no)
    return 0


def max_length(node: Node) -> int | None:
    """The length of the longest subject part ``node`` can match (None: unbounded)."""
    return run(_max_length(node))


def _max_length(node: Node) -> Rec[int | None]:
    if isinstance(node, (Lit, Cls)):
        return 1
    if isinstance(node, Anchor):
        return 0
    if isinstance(node, Seq):
        total = 0
        for x in node.items:
            v = yield _max_length(x)
            if v is None:
                return None
            total += v
        return total
    if isinstance(node, Alt):
        most = 0
        for b in node.branches:
            v = yield _max_length(b)
            if v is None:
                return None
            most = max(most, v)
        return most
    if isinstance(node, Group):
        if node.kind in _LOOK:
            return 0
        inner: int | None = yield _max_length(node.body)
        return inner
    if isinstance(node, Rep):
        each: int | None = yield _max_length(node.body)
        if each is None or node.hi is None:
            return None if each != 0 else 0
        return each * node.hi
    if isinstance(node, Cond):
        vy = yield _max_length(node.yes)
        vn = yield _max_length(node.no)
        return None if vy is None or vn is None else max(vy, vn)
    return None  # back references and calls


def required(node: Node) -> list[int]:
    """Byte sets every match must contain a byte of (one per required literal position)."""
    return run(_required(node))


def _required(node: Node) -> Rec[list[int]]:
    if isinstance(node, Lit):
        m = 1 << node.byte
        return [fold(m) if node.fold else m]
    if isinstance(node, Cls):
        return [node.mask] if bin(node.mask).count("1") <= 4 else []
    if isinstance(node, Seq):
        out: list[int] = []
        for it in node.items:
            out.extend((yield _required(it)))
        return out
    if isinstance(node, Group):
        return [] if node.kind in _LOOK else (yield _required(node.body))
    if isinstance(node, Rep):
        return (yield _required(node.body)) if node.lo >= 1 else []
    return []


def _simple(node: Node) -> bool:
    """One byte wide and without choices: the body of a repeat that cannot blow up by itself."""
    while isinstance(node, Group) and node.kind in ("cap", "non"):
        node = node.body
    return isinstance(node, (Lit, Cls))


def _ffirst(node: Node) -> tuple[int, bool]:
    """Like :func:`first`, for follow sets: (bytes a match can start with, can it be empty and
    let the following bytes through).  Zero-width tests that look at the subject are opaque
    (every byte); ``$``/``\\Z`` leave only a newline (or the end), ``\\z`` only the end."""
    if isinstance(node, Cls):
        return node.mask, False
    if isinstance(node, Lit):
        m = 1 << node.byte
        return (fold(m) if node.fold else m), False
    return run(_ffirst_rec(node))


def _ffirst_rec(node: Node) -> Rec[tuple[int, bool]]:
    if isinstance(node, Anchor):
        if node.kind in ("eol", "meol", "Z"):
            return NEWLINE, False
        if node.kind == "z":
            return 0, False
        return ALL, False
    if isinstance(node, Backref):
        return ALL, False
    if isinstance(node, Group):
        if node.kind in _LOOK:
            return ALL, False
        body_ff: tuple[int, bool] = yield _ffirst_rec(node.body)
        return body_ff
    if isinstance(node, Seq):
        mask = 0
        for it in node.items:
            m, nullable = yield _ffirst_rec(it)
            mask |= m
            if not nullable:
                return mask, False
        return mask, True
    if isinstance(node, Alt):
        mask = 0
        nullable = False
        for b in node.branches:
            m, n = yield _ffirst_rec(b)
            mask |= m
            nullable = nullable or n
        return mask, nullable
    if isinstance(node, Rep):
        m, n = yield _ffirst_rec(node.body)
        return m, n or node.lo == 0
    if isinstance(node, Cond):
        if node.cond == "define":
            return 0, True
        mn, nn = yield _ffirst_rec(node.no)
        if node.cond == "false":
            return mn, nn
        ny = (yield _ffirst_rec(node.yes))[1]
        return ALL, ny or nn  # the condition itself is opaque
    return first(node)


def follow_sets(items: list[Node], follow: int) -> list[int]:
    """For each item of a sequence followed by ``follow``: the bytes that may come after it."""
    out = [0] * len(items)
    f = follow
    for j in range(len(items) - 1, -1, -1):
        out[j] = f
        m, nullable = _ffirst(items[j])
        f = m | (f if nullable else 0)
    return out


def possessify(node: Node, follow: int) -> None:
    """PCRE2's auto-possessification: a repeat of one byte class followed only by bytes outside
    the class cannot usefully give anything back, so it is marked possessive (mode ``a``: same
    matches, no backtracking).  ``follow``: the bytes that may come next (0 at the end of the
    pattern or of an assertion or atomic group, where any match of the repeat is final)."""
    run(_possessify(node, follow))


def _possessify(node: Node, follow: int) -> Rec[None]:
    if isinstance(node, Seq):
        fs = follow_sets(node.items, follow)
        for it, f in zip(node.items, fs):
            if not isinstance(it, (Lit, Cls, Anchor)):
                yield _possessify(it, f)
    elif isinstance(node, Alt):
        for b in node.branches:
            yield _possessify(b, follow)
    elif isinstance(node, Group):
        yield _possessify(node.body, follow if node.kind in ("cap", "non") else 0)
    elif isinstance(node, Rep):
        body_first, _ = _ffirst(node.body)
        yield _possessify(node.body, body_first | follow)
        if node.mode == "g" and _simple(node.body) and not body_first & follow:
            node.mode = "a"
    elif isinstance(node, Cond):
        if isinstance(node.cond, Group):
            yield _possessify(node.cond.body, 0)
        yield _possessify(node.yes, follow)
        yield _possessify(node.no, follow)


def _ambiguous(node: Node) -> bool:
    """Whether ``node`` may match the same text in more than one way or with more than one
    length (alternatives sharing a first byte, variable repeats, back references)."""
    return run(_ambiguous_rec(node))


def _ambiguous_rec(node: Node) -> Rec[bool]:
    if isinstance(node, (Lit, Cls, Anchor)):
        return False
    if isinstance(node, Seq):
        for x in node.items:
            if (yield _ambiguous_rec(x)):
                return True
        return False
    if isinstance(node, Alt):
        seen = 0
        for b in node.branches:
            m, nullable = first(b)
            if nullable or m & seen or (yield _ambiguous_rec(b)):
                return True
            seen |= m
        return False
    if isinstance(node, Group):
        return (yield _ambiguous_rec(node.body)) if node.kind in ("cap", "non") else False
    if isinstance(node, Rep):
        return node.lo != node.hi or (yield _ambiguous_rec(node.body))
    return True


def empty_iterations_differ(tree: Node) -> bool:
    """Whether ``tree`` has a bounded repeat (``{lo,hi}``, hi > lo) of a body that can match
    empty and captures: PCRE2 writes such a repeat as copies of its body and lets a copy match
    empty, Python's ``re`` stops after an empty iteration, and the two then leave different
    captures (``(c??){1,3}b`` on ``cb``: ``c`` in PCRE2)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        if (
            isinstance(node, Rep)
            and node.hi is not None
            and node.hi > max(node.lo, 1)
            and first(node.body)[1]
            and _has_capture(node.body)
        ):
            return True
        todo.extend(children(node))
    return False


def lost_captures(tree: Node) -> bool:
    """Whether ``tree`` captures inside a negative assertion or a lazy repeat, where CPython
    before 3.11 can report wrong captures (bpo-35859: a capture inside a failed negative
    look-ahead survives it; a lazy repeat of a group can leave a group's end before its
    start)."""
    todo = [tree]
    while todo:
        node = todo.pop()
        if (
            (isinstance(node, Group) and node.kind in ("nla", "nlb"))
            or (isinstance(node, Rep) and node.mode == "l" and not isinstance(node.body, (Lit, Cls)))
        ) and _has_capture(node):
            return True
        todo.extend(children(node))
    return False


def _has_capture(node: Node) -> bool:
    todo = [node]
    while todo:
        n = todo.pop()
        if (isinstance(n, Group) and n.kind == "cap") or (
            isinstance(n, Anchor) and n.kind.startswith("keep")
        ):
            return True
        todo.extend(children(n))
    return False


def _dotstar(node: Node) -> int:
    """PCRE2's implicit anchoring: a pattern that starts with ``.*`` can only match at the start
    of the search or (without dotall) right after a newline.  1: after newlines too, 2: only at
    the start of the search, 0: not such a pattern."""
    while True:
        if isinstance(node, Seq) and node.items:
            node = node.items[0]
        elif isinstance(node, Group) and node.kind in ("cap", "non"):
            node = node.body
        else:
            break
    if isinstance(node, Rep) and node.lo == 0 and node.hi is None and isinstance(node.body, Cls):
        if node.body.mask == ALL:
            return 2
        if node.body.mask == ALL & ~NEWLINE:
            return 1
    return 0


def _anchored(node: Node) -> bool:
    """Whether every match must start at the start of the subject (``^``/``\\A`` first)."""
    return run(_anchored_rec(node))


def _anchored_rec(node: Node) -> Rec[bool]:
    if isinstance(node, Anchor):
        return node.kind == "A"
    if isinstance(node, Seq):
        for it in node.items:
            if (yield _anchored_rec(it)):
                return True
            if isinstance(it, Anchor) or (isinstance(it, Group) and it.kind in _LOOK):
                continue
            return False
        return False
    if isinstance(node, Alt):
        for b in node.branches:
            if not (yield _anchored_rec(b)):
                return False
        return True
    if isinstance(node, Group) and node.kind in ("cap", "non", "atomic"):
        body_anchored: bool = yield _anchored_rec(node.body)
        return body_anchored
    return False
