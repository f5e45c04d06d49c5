"""How badly backtracking can grow on a pattern, so that :class:`~.compiled.Compiled` runs Python's
``re`` (which has no limit) only where its worst case on the subject stays cheap, and the
step-limited matcher everywhere else.

Three measures, all upper bounds computed from the tree:

- :func:`work_degree`: the polynomial degree in the subject length (repeats that can give back
  bytes to what follows multiply), whether the growth is exponential (a repeat whose body can
  match in several ways), and a constant factor (bounded repeats of such bodies:
  ``(a?){30}`` may try 2**30 ways on 30 bytes);
- :func:`paths`: the number of ways an exponential pattern can match ``k`` bytes;
- :func:`exp_cap`: from :func:`paths`, the longest subject an exponential pattern may be run on.

Atomic groups, possessive repeats and assertions stop backtracking at their end, but the work
inside them still counts: an assertion is tried at every position the match reaches, and all
the ways its body can fail are tried each time (``(?=(a+)+$)``)."""

from __future__ import annotations

from classad.eval.builtins.pcre.analysis import (
    _ambiguous,
    _anchored,
    _ffirst,
    _simple,
    follow_sets,
    max_length,
)
from classad.eval.builtins.pcre.tree import Alt, Backref, Cls, Cond, Group, Lit, Node, Rep, Seq
from classad.recursion import Rec, run

_BOUNDED = 32  # a repeat with at most this many iterations counts as bounded
BIG = 10**30
"""Counts are capped here: past it every budget is exceeded anyway."""
_WINDOW = 64  # the lengths over which the ways of a bounded body are counted


def _possessive(r: Rep, fast: bool) -> bool:
    return r.mode in ("p", "a") or (fast and r.mode == "g")


def _risk(node: Node, follow: int, fast: bool) -> Rec[tuple[int, bool, bool, int]]:
    """(polynomial degree, exponential?, scans?, factor) of the work of matching ``node`` from one
    position when backtracking: the degree counts repeats that can give back bytes to what
    follows (``follow``: the bytes that may come next), exponential means a repeat whose body
    can match in several ways; ``scans``: some repeat runs over an unbounded stretch; the factor
    is the constant the work is multiplied by (bounded repeats of ambiguous bodies).
    ``fast``: for the variant with greedy repeats made possessive outside negative assertions."""
    if isinstance(node, Seq):
        deg = 0
        exp = scan = False
        factor = 1
        for it, f in zip(node.items, follow_sets(node.items, follow)):
            if isinstance(it, (Lit, Cls)):
                continue
            d, e, sc, k = yield _risk(it, f, fast)
            deg += d
            exp = exp or e
            scan = scan or sc
            factor = min(BIG, factor * k)
        return deg, exp, scan, factor
    if isinstance(node, Alt):
        deg = 0
        exp = scan = False
        factor = 1
        for b in node.branches:
            d, e, sc, k = yield _risk(b, follow, fast)
            deg = max(deg, d)
            exp = exp or e
            scan = scan or sc
            factor = max(factor, k)
        return deg, exp, scan, factor
    if isinstance(node, Group):
        if node.kind in ("cap", "non"):
            plain: tuple[int, bool, bool, int] = yield _risk(node.body, follow, fast)
            return plain
        # Atomic groups and assertions: their own backtracking ends where their body ends.
        closed: tuple[int, bool, bool, int] = yield _risk(
            node.body, 0, fast and node.kind not in ("nla", "nlb")
        )
        return closed
    if isinstance(node, Rep):
        body_first, body_nullable = _ffirst(node.body)
        d, e, sc, k = yield _risk(node.body, body_first | follow, fast)
        if node.hi is not None and node.hi <= _BOUNDED:
            hi = max(1, node.hi)
            ways = 1
            if d == 0 and not _simple(node.body) and _ambiguous(node.body):
                # Each iteration may be tried in several ways: up to ways**hi in all.
                n = max_length(node.body)
                ways = max(1, min(BIG, sum(paths(node.body, _WINDOW if n is None else min(n, _WINDOW)))))
            return d * hi, e, sc, _power(k * ways, hi)
        if _possessive(node, fast):
            return d, e, True, k
        if _simple(node.body):
            return d + 1, e, True, k
        if body_nullable or d > 0 or e or k > 1 or _ambiguous(node.body) or (body_first & follow):
            return d + 1, True, True, k
        return d + 1, e, True, k
    if isinstance(node, Cond):
        dy, ey, sy, ky = yield _risk(node.yes, follow, fast)
        dn, en, sn, kn = yield _risk(node.no, follow, fast)
        deg, exp, scan, factor = max(dy, dn), ey or en, sy or sn, max(ky, kn)
        if isinstance(node.cond, Group):
            # The translation tests the assertion a second time, negated (not made possessive).
            dc, ec, sc, kc = yield _risk(node.cond, 0, False)
            deg, exp, scan, factor = deg + dc, exp or ec, scan or sc, min(BIG, factor * kc)
        return deg, exp, scan, factor
    return 0, False, False, 1


def _power(base: int, exponent: int) -> int:
    out = 1
    for _ in range(exponent):
        out = min(BIG, out * base)
    return out


def work_degree(tree: Node, fast: bool = False) -> tuple[int, bool, int]:
    """The polynomial degree (in the subject length) of the worst-case work of a search, whether
    it is exponential, and its constant factor: the repeats' degree (at least 1 when anything
    scans) plus one for trying every start position unless the pattern is anchored."""
    deg, exp, scan, factor = run(_risk(tree, 0, fast))
    if scan:
        deg = max(deg, 1)
    if not _anchored(tree):
        deg += 1
    return deg, exp, factor


def _conv(a: list[int], b: list[int], n: int) -> list[int]:
    out = [0] * (n + 1)
    for i, x in enumerate(a):
        if x:
            for j in range(n + 1 - i):
                y = b[j]
                if y:
                    out[i + j] = min(BIG, out[i + j] + x * y)
    return out


def _inner(ways: list[int]) -> int:
    """The work inside an atomic part beyond one way per length: what its body tries before it
    settles (at least 1)."""
    return max(1, min(BIG, sum(ways) - sum(1 for x in ways if x) + 1))


def paths(node: Node, n: int) -> list[int]:
    """``paths(node, n)[k]``: an upper bound on the number of ways backtracking can match ``node``
    against ``k`` bytes (every byte class assumed to match), for k up to ``n``; the work inside
    assertions and atomic parts (which backtracking does not re-enter) multiplies it."""
    return run(_paths(node, n))


def _paths(node: Node, n: int) -> Rec[list[int]]:
    unit = [1] + [0] * n
    if isinstance(node, Seq):
        acc = unit
        for it in node.items:
            acc = _conv(acc, (yield _paths(it, n)), n)
        return acc
    if isinstance(node, Alt):
        acc = [0] * (n + 1)
        for b in node.branches:
            acc = [min(BIG, x + y) for x, y in zip(acc, (yield _paths(b, n)))]
        return acc
    if isinstance(node, Group):
        if node.kind in ("cap", "non"):
            body_ways: list[int] = yield _paths(node.body, n)
            return body_ways
        body = yield _paths(node.body, n)
        if node.kind == "atomic":
            c = _inner(body)
            return [c if x else 0 for x in body]
        return [_inner(body)] + [0] * n
    if isinstance(node, Rep):
        possessive = node.mode in ("p", "a")
        greedy = node if not possessive else Rep(node.body, node.lo, node.hi, "g")
        body = yield _paths(greedy.body, n)
        body[0] = 0  # an empty iteration ends the loop
        hi = n if node.hi is None else min(node.hi, n)
        acc = unit if node.lo == 0 else [0] * (n + 1)
        power = unit
        for k in range(1, hi + 1):
            power = _conv(power, body, n)
            if not any(power):
                break
            if k >= node.lo:
                acc = [min(BIG, x + y) for x, y in zip(acc, power)]
        if possessive:
            c = _inner(acc)
            acc = [c if x else 0 for x in acc]
        return acc
    if isinstance(node, Cond):
        yes = yield _paths(node.yes, n)
        no = yield _paths(node.no, n)
        both = [min(BIG, x + y) for x, y in zip(yes, no)]
        if isinstance(node.cond, Group):
            c = 2 * (yield _paths(node.cond, n))[0]  # tested twice by the translation
            both = [min(BIG, x * c) for x in both]
        return both
    if isinstance(node, (Lit, Cls)):
        return [0, 1] + [0] * (n - 1) if n >= 1 else [0]
    if isinstance(node, Backref):
        return [1] * (n + 1)
    return unit


def exp_cap(tree: Node, cap: int, budget: int) -> int:
    """The longest subject (at most ``cap`` bytes) on which an exponential pattern stays within
    ``budget``: the start positions times the ways to match up to that length (:func:`paths`,
    computed for that length, since what an assertion sees grows with the subject)."""
    anchored = _anchored(tree)

    def ok(length: int) -> bool:
        total = min(BIG, sum(paths(tree, length)))
        starts = 1 if anchored else length + 1
        return starts * total <= budget

    if not ok(0):
        return 0
    lo, hi = 0, cap
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if ok(mid):
            lo = mid
        else:
            hi = mid - 1
    return lo
