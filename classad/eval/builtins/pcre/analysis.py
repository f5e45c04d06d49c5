"""What every match of a parsed pattern needs, and how badly backtracking can grow: first bytes,
minimum length and required bytes (PCRE2's start-up checks), follow sets and PCRE2's
auto-possessification, the polynomial degree or exponential growth of the worst-case work and
the number of ways to match, and PCRE2's implicit anchoring.  :class:`~.compiled.Compiled`
decides from these whether Python's ``re`` may run a subject."""

from __future__ import annotations

from classad.eval.builtins.pcre.charsets import ALL, NEWLINE, fold
from classad.eval.builtins.pcre.tree import Alt, Anchor, Backref, Call, Cls, Cond, Group, Lit, Node, Rep, Seq


def first(node: Node) -> tuple[int, bool]:
    """The bytes a match of ``node`` can start with, and whether it can match empty."""
    if isinstance(node, Lit):
        m = 1 << node.byte
        return (fold(m) if node.fold else m), False
    if isinstance(node, Cls):
        return node.mask, False
    if isinstance(node, Seq):
        mask = 0
        for it in node.items:
            m, nullable = first(it)
            mask |= m
            if not nullable:
                return mask, False
        return mask, True
    if isinstance(node, Alt):
        mask = 0
        nullable = False
        for b in node.branches:
            m, n = first(b)
            mask |= m
            nullable = nullable or n
        return mask, nullable
    if isinstance(node, Group):
        if node.kind in ("la", "nla", "lb", "nlb"):
            return 0, True
        return first(node.body)
    if isinstance(node, Rep):
        m, n = first(node.body)
        return m, n or node.lo == 0
    if isinstance(node, Anchor):
        return 0, True
    if isinstance(node, (Backref, Call)):
        return ALL, True
    if node.cond == "define":
        return 0, True
    if node.cond == "false":
        return first(node.no)
    my, ny = first(node.yes)
    mn, nn = first(node.no)
    return my | mn, ny or nn


def min_length(node: Node) -> int:
    """The length of the shortest subject part ``node`` can match."""
    if isinstance(node, (Lit, Cls)):
        return 1
    if isinstance(node, Seq):
        return sum(min_length(x) for x in node.items)
    if isinstance(node, Alt):
        return min(min_length(b) for b in node.branches)
    if isinstance(node, Group):
        return 0 if node.kind in ("la", "nla", "lb", "nlb") else min_length(node.body)
    if isinstance(node, Rep):
        return node.lo * min_length(node.body)
    if isinstance(node, Cond):
        if node.cond == "define":
            return 0
        if node.cond == "false":
            return min_length(node.no)
        return min(min_length(node.yes), min_length(node.no))
    return 0


def required(node: Node) -> list[int]:
    """Byte sets every match must contain a byte of (one per required literal position)."""
    if isinstance(node, Lit):
        m = 1 << node.byte
        return [fold(m) if node.fold else m]
    if isinstance(node, Cls):
        return [node.mask] if bin(node.mask).count("1") <= 4 else []
    if isinstance(node, Seq):
        out: list[int] = []
        for it in node.items:
            out.extend(required(it))
        return out
    if isinstance(node, Group):
        return [] if node.kind in ("la", "nla", "lb", "nlb") else required(node.body)
    if isinstance(node, Rep):
        return required(node.body) if node.lo >= 1 else []
    return []


_BOUNDED = 32  # a repeat with at most this many iterations counts as bounded


def _simple(node: Node) -> bool:
    """One byte wide and without choices: the body of a repeat that cannot blow up by itself."""
    if isinstance(node, (Lit, Cls)):
        return True
    if isinstance(node, Group) and node.kind in ("cap", "non"):
        return _simple(node.body)
    return False


def _ffirst(node: Node) -> tuple[int, bool]:
    """Like :func:`first`, for follow sets: (bytes a match can start with, can it be empty and
    let the following bytes through).  Zero-width tests that look at the subject are opaque
    (every byte); ``$``/``\\Z`` leave only a newline (or the end), ``\\z`` only the end."""
    if isinstance(node, Anchor):
        if node.kind in ("eol", "meol", "Z"):
            return NEWLINE, False
        if node.kind == "z":
            return 0, False
        return ALL, False
    if isinstance(node, Backref):
        return ALL, False
    if isinstance(node, Group):
        if node.kind in ("la", "nla", "lb", "nlb"):
            return ALL, False
        return _ffirst(node.body)
    if isinstance(node, Seq):
        mask = 0
        for it in node.items:
            m, nullable = _ffirst(it)
            mask |= m
            if not nullable:
                return mask, False
        return mask, True
    if isinstance(node, Alt):
        mask = 0
        nullable = False
        for b in node.branches:
            m, n = _ffirst(b)
            mask |= m
            nullable = nullable or n
        return mask, nullable
    if isinstance(node, Rep):
        m, n = _ffirst(node.body)
        return m, n or node.lo == 0
    if isinstance(node, Cond):
        if node.cond == "define":
            return 0, True
        mn, nn = _ffirst(node.no)
        if node.cond == "false":
            return mn, nn
        ny = _ffirst(node.yes)[1]
        return ALL, ny or nn  # the condition itself is opaque
    return first(node)


def possessify(node: Node, follow: int) -> None:
    """PCRE2's auto-possessification: a repeat of one byte class followed only by bytes outside
    the class cannot usefully give anything back, so it is made possessive (same matches, no
    backtracking).  ``follow``: the bytes that may come next (0 at the end of the pattern or of
    an assertion or atomic group, where any match of the repeat is final)."""
    if isinstance(node, Seq):
        f = follow
        for it in reversed(node.items):
            possessify(it, f)
            m, nullable = _ffirst(it)
            f = m | (f if nullable else 0)
    elif isinstance(node, Alt):
        for b in node.branches:
            possessify(b, follow)
    elif isinstance(node, Group):
        possessify(node.body, follow if node.kind in ("cap", "non") else 0)
    elif isinstance(node, Rep):
        body_first, _ = _ffirst(node.body)
        possessify(node.body, body_first | follow)
        if node.mode == "g" and _simple(node.body) and not body_first & follow:
            node.mode = "p"
    elif isinstance(node, Cond):
        if isinstance(node.cond, Group):
            possessify(node.cond.body, 0)
        possessify(node.yes, follow)
        possessify(node.no, follow)


def _risk(node: Node, follow: int, fast: bool = False) -> tuple[int, bool, bool]:
    """(polynomial degree, exponential?, scans?) of the work of matching ``node`` from one
    position when backtracking: the degree counts repeats that can give back bytes to what
    follows (``follow``: the bytes that may come next), exponential means a repeat whose body
    can match in several ways; ``scans``: some repeat runs over an unbounded stretch.
    ``fast``: for the variant with greedy repeats made possessive outside negative assertions."""
    if isinstance(node, Seq):
        deg = 0
        exp = scan = False
        f = follow
        for it in reversed(node.items):
            d, e, sc = _risk(it, f, fast)
            deg += d
            exp = exp or e
            scan = scan or sc
            m, nullable = _ffirst(it)
            f = m | (f if nullable else 0)
        return deg, exp, scan
    if isinstance(node, Alt):
        deg = 0
        exp = scan = False
        for b in node.branches:
            d, e, sc = _risk(b, follow, fast)
            deg = max(deg, d)
            exp = exp or e
            scan = scan or sc
        return deg, exp, scan
    if isinstance(node, Group):
        if node.kind in ("cap", "non"):
            return _risk(node.body, follow, fast)
        # Atomic groups and assertions: their own backtracking ends where their body ends.
        return _risk(node.body, 0, fast and node.kind not in ("nla", "nlb"))
    if isinstance(node, Rep):
        body_first, body_nullable = _ffirst(node.body)
        d, e, sc = _risk(node.body, body_first | follow, fast)
        unbounded = node.hi is None or node.hi > _BOUNDED
        if not unbounded:
            return d * max(1, node.hi or 1), e, sc
        if node.mode == "p" or (fast and node.mode == "g"):
            return d, e, True
        if _simple(node.body):
            return d + 1, e, True
        if body_nullable or d > 0 or e or _ambiguous(node.body) or (body_first & follow):
            return d + 1, True, True
        return d + 1, e, True
    if isinstance(node, Cond):
        dy, ey, sy = _risk(node.yes, follow, fast)
        dn, en, sn = _risk(node.no, follow, fast)
        return max(dy, dn), ey or en, sy or sn
    return 0, False, False


def work_degree(tree: Node, fast: bool = False) -> tuple[int, bool]:
    """The polynomial degree (in the subject length) of the worst-case work of a search, and
    whether it is exponential: the repeats' degree (at least 1 when anything scans) plus one for
    trying every start position unless the pattern is anchored."""
    deg, exp, scan = _risk(tree, 0, fast)
    if scan:
        deg = max(deg, 1)
    if not _anchored(tree):
        deg += 1
    return deg, exp


def _ambiguous(node: Node) -> bool:
    """Whether ``node`` may match the same text in more than one way or with more than one
    length (alternatives sharing a first byte, variable repeats, back references)."""
    if isinstance(node, (Lit, Cls, Anchor)):
        return False
    if isinstance(node, Seq):
        return any(_ambiguous(x) for x in node.items)
    if isinstance(node, Alt):
        seen = 0
        for b in node.branches:
            m, nullable = first(b)
            if nullable or m & seen or _ambiguous(b):
                return True
            seen |= m
        return False
    if isinstance(node, Group):
        return _ambiguous(node.body) if node.kind in ("cap", "non") else False
    if isinstance(node, Rep):
        return node.lo != node.hi or _ambiguous(node.body)
    return True


def _conv(a: list[int], b: list[int], n: int) -> list[int]:
    out = [0] * (n + 1)
    for i, x in enumerate(a):
        if x:
            for j in range(n + 1 - i):
                y = b[j]
                if y:
                    out[i + j] += x * y
    return out


def paths(node: Node, n: int) -> list[int]:
    """``paths(node, n)[k]``: an upper bound on the number of ways backtracking can match ``node``
    against ``k`` bytes (every byte class assumed to match), for k up to ``n``."""
    unit = [1] + [0] * n
    if isinstance(node, (Lit, Cls)):
        return [0, 1] + [0] * (n - 1) if n >= 1 else [0]
    if isinstance(node, Seq):
        acc = unit
        for it in node.items:
            acc = _conv(acc, paths(it, n), n)
        return acc
    if isinstance(node, Alt):
        acc = [0] * (n + 1)
        for b in node.branches:
            acc = [x + y for x, y in zip(acc, paths(b, n))]
        return acc
    if isinstance(node, Group):
        if node.kind in ("cap", "non"):
            return paths(node.body, n)
        if node.kind == "atomic":
            return [min(x, 1) for x in paths(node.body, n)]
        return unit
    if isinstance(node, Rep):
        body = paths(node.body, n)
        body[0] = 0  # an empty iteration ends the loop
        if node.mode == "p":
            body = [min(x, 1) for x in body]
        hi = n if node.hi is None else min(node.hi, n)
        acc = unit if node.lo == 0 else [0] * (n + 1)
        power = unit
        for k in range(1, hi + 1):
            power = _conv(power, body, n)
            if not any(power):
                break
            if k >= node.lo:
                acc = [x + y for x, y in zip(acc, power)]
        if node.mode == "p":
            acc = [min(x, 1) for x in acc]
        return acc
    if isinstance(node, Cond):
        return [x + y for x, y in zip(paths(node.yes, n), paths(node.no, n))]
    if isinstance(node, Backref):
        return [1] * (n + 1)
    return unit


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
    if isinstance(node, Anchor):
        return node.kind == "A"
    if isinstance(node, Seq):
        for it in node.items:
            if _anchored(it):
                return True
            if isinstance(it, Anchor) or (isinstance(it, Group) and it.kind in ("la", "nla", "lb", "nlb")):
                continue
            return False
        return False
    if isinstance(node, Alt):
        return all(_anchored(b) for b in node.branches)
    if isinstance(node, Group) and node.kind in ("cap", "non", "atomic"):
        return _anchored(node.body)
    return False
