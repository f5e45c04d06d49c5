"""A step-limited backtracking matcher over the tree (:class:`Backtracker`), for patterns Python's
``re`` cannot express and subjects on which ``re`` could take too long: like PCRE2 at its match
and heap limits it gives up (:class:`_Limit`), and its matches (:class:`BacktrackMatch`) offer the
part of ``re.Match`` the substitution code uses."""

from __future__ import annotations

import re
from collections.abc import Callable

from classad.eval.builtins.pcre.charsets import WORD, fold
from classad.eval.builtins.pcre.translate import _emit_set
from classad.eval.builtins.pcre.tree import (
    Alt,
    Anchor,
    Backref,
    Call,
    Cls,
    Cond,
    Group,
    Lit,
    Node,
    Rep,
    Seq,
    _width,
)

STEP_LIMIT = 500_000
DEPTH_LIMIT = 4_000
"""How deeply the matcher may nest (each level is a few Python frames; PCRE2 has a heap limit)."""
SCAN_LIMIT = 2_000_000_000
"""The bytes repeats of one byte class may scan in one search (at C speed: about two seconds)."""
"""The backtracking steps :class:`Backtracker` may take for one search before giving up (the
counterpart of PCRE2's match limit of 10 million; Python is slower, so the budget is smaller)."""

REQ_CU_MAX = 2000
"""PCRE2 10.32 looks for a pattern's required byte only while fewer than this many bytes remain
to the end of the subject (measured: ``regexp("(.*)*x", 1999 * "a")`` is false,
``regexp("(.*)*x", 2000 * "a")`` hits the match limit)."""


class _Limit(Exception):
    pass


_RUNS: dict[int, re.Pattern[bytes]] = {}


def _run(mask: int, s: bytes, i: int, end: int) -> int:
    """How many bytes of ``mask`` follow ``s[i]`` (up to ``end``), at C speed."""
    rx = _RUNS.get(mask)
    if rx is None:
        rx = re.compile(b"(?:" + _emit_set(mask) + b")*")
        if len(_RUNS) < 256:
            _RUNS[mask] = rx
    m = rx.match(s, i, end)
    return 0 if m is None else m.end() - i


class BacktrackMatch:
    """The part of ``re.Match`` the substitution code uses, for :class:`Backtracker` results."""

    __slots__ = ("_groups", "_keeps", "_span", "string")

    def __init__(
        self, string: bytes, span: tuple[int, int], groups: list[int], keeps: dict[int, int]
    ) -> None:
        self.string = string
        self._span = span
        self._groups = groups
        self._keeps = keeps

    def start(self, name: str | None = None) -> int:
        if name is None:
            return self._span[0]
        if name.startswith("K"):
            return self._keeps.get(int(name[1:]), -1)
        return self.span(name)[0]

    def end(self) -> int:
        return self._span[1]

    def span(self, name: str) -> tuple[int, int]:
        k = int(name[1:])
        a, b = self._groups[2 * k], self._groups[2 * k + 1]
        if a < 0 or b < 0:
            return (-1, -1)
        return (a, b)


class Backtracker:
    """PCRE2-style backtracking over the tree, counting its steps (continuation-passing).

    Used when the ``re`` translation of a pattern could take too long on a subject: the match
    gives up (:class:`_Limit`, reported as :data:`LIMIT`) after :data:`STEP_LIMIT` steps or when
    it recurses too deeply, as PCRE2 gives up at its match and heap limits.
    """

    def __init__(self, tree: Node, ngroups: int, groups: dict[int, Group] | None = None) -> None:
        self.tree = tree
        self.ngroups = ngroups
        self.group_nodes = groups or {}
        self.g_offset = 0
        self.scanned = 0
        self.depth = 0
        # The bytes a match can start with (None: anything, or an empty match): other start
        # positions are skipped without a step, as PCRE2's start-up optimisation does.
        self.start_set: frozenset[int] | None = None
        # The required byte(s) (see Compiled.required), checked PCRE2's way at each start.
        self.required: bytes | None = None
        # See _dotstar.
        self.dotstar = 0
        self.s = b""
        self.n = 0
        self.steps = 0
        self.caps: list[int] = []
        self.keeps: dict[int, int] = {}

    # -- entry points

    def search(self, subject: bytes, pos: int = 0, not_empty_at: int = -1) -> BacktrackMatch | None:
        """The first match starting at or after ``pos``; a match starting at ``not_empty_at``
        must not be empty there (Python's rule after an empty match).  Raises _Limit."""
        self.s = subject
        self.n = len(subject)
        start_set = self.start_set
        last_req = -1
        if self.required is not None:
            last_req = max(subject.rfind(bytes((c,))) for c in self.required)
        for start in range(pos, self.n + 1):
            if self.dotstar and start > pos and (self.dotstar == 2 or subject[start - 1] != 0x0A):
                continue
            if start_set is not None and (start == self.n or subject[start] not in start_set):
                continue
            if self.required is not None and self.n - start < REQ_CU_MAX and last_req < start:
                break
            # \G: the start offset of PCRE2's search (after a refused empty match, PCRE2 retries
            # at that place and then searches on from the next byte).
            self.g_offset = pos + 1 if (pos == not_empty_at and start > pos) else pos
            self.caps = [-1] * (2 * (self.ngroups + 1))
            self.keeps = {}
            end = self._match_from(start, start == not_empty_at)
            if end >= 0:
                caps = self.caps[:]
                caps[0], caps[1] = start, end
                return BacktrackMatch(subject, (start, end), caps, dict(self.keeps))
        return None

    def _match_from(self, start: int, not_empty: bool) -> int:
        found = [-1]

        def done(i: int) -> bool:
            if not_empty and i == start:
                return False
            found[0] = i
            return True

        try:
            if self.m(self.tree, start, done):
                return found[0]
        except RecursionError:
            raise _Limit() from None
        return -1

    # -- the matcher

    def tick(self) -> None:
        self.steps += 1
        if self.steps > STEP_LIMIT:
            raise _Limit()

    def m(self, node: Node, i: int, k: Callable[[int], bool]) -> bool:
        self.steps += 1
        if self.steps > STEP_LIMIT:
            raise _Limit()
        self.depth += 1
        if self.depth > DEPTH_LIMIT:
            raise _Limit()
        try:
            return self._m(node, i, k)
        finally:
            self.depth -= 1

    def _m(self, node: Node, i: int, k: Callable[[int], bool]) -> bool:
        s = self.s
        if isinstance(node, Lit):
            if i < self.n:
                c = s[i]
                if c == node.byte or (node.fold and c | 0x20 == node.byte | 0x20):
                    return k(i + 1)
            return False
        if isinstance(node, Cls):
            if i < self.n and node.mask >> s[i] & 1:
                return k(i + 1)
            return False
        if isinstance(node, Seq):
            return self.seq(node.items, 0, i, k)
        if isinstance(node, Alt):
            for b in node.branches:
                if self.m(b, i, k):
                    return True
            return False
        if isinstance(node, Group):
            return self.group(node, i, k)
        if isinstance(node, Rep):
            return self.rep(node, i, k)
        if isinstance(node, Anchor):
            if node.kind.startswith("keep"):
                idx = int(node.kind[4:])
                old = self.keeps.get(idx)
                self.keeps[idx] = i
                if k(i):
                    return True
                if old is None:
                    del self.keeps[idx]
                else:
                    self.keeps[idx] = old
                return False
            return self.anchor(node.kind, i) and k(i)
        if isinstance(node, Call):
            return self.call(node.num, i, k)
        if isinstance(node, Backref):
            ca, cb = self.caps[2 * node.num], self.caps[2 * node.num + 1]
            if ca < 0 or cb < 0:
                return False
            ln = cb - ca
            if i + ln > self.n:
                return False
            part = s[i : i + ln]
            ref = s[ca:cb]
            if part != ref and not (node.fold and part.lower() == ref.lower()):
                return False
            return k(i + ln)
        return self.cond(node, i, k)

    def call(self, num: int, i: int, k: Callable[[int], bool]) -> bool:
        """A subroutine call: the group's pattern at ``i``; captures it sets are undone when it
        returns (PCRE2)."""
        body = self.tree if num == 0 else self.group_nodes[num].body
        caps = self.caps
        saved = caps[:]

        def ret(e: int) -> bool:
            inner = caps[:]
            caps[:] = saved
            if k(e):
                return True
            caps[:] = inner
            return False

        if self.m(body, i, ret):
            return True
        caps[:] = saved
        return False

    def seq(self, items: list[Node], j: int, i: int, k: Callable[[int], bool]) -> bool:
        if j == len(items):
            return k(i)
        if j == len(items) - 1:
            return self.m(items[j], i, k)
        return self.m(items[j], i, lambda e: self.seq(items, j + 1, e, k))

    def first_end(self, node: Node, i: int) -> int:
        """The end of the first way ``node`` matches at ``i`` (-1 if none); captures it sets stay."""
        found = [-1]

        def stop(e: int) -> bool:
            found[0] = e
            return True

        self.m(node, i, stop)
        return found[0]

    def group(self, g: Group, i: int, k: Callable[[int], bool]) -> bool:
        kind = g.kind
        if kind == "non":
            return self.m(g.body, i, k)
        if kind == "cap":
            caps = self.caps
            slot = 2 * g.num
            old = (caps[slot], caps[slot + 1])

            def close(e: int) -> bool:
                before = (caps[slot], caps[slot + 1])
                caps[slot], caps[slot + 1] = i, e
                if k(e):
                    return True
                caps[slot], caps[slot + 1] = before
                return False

            if self.m(g.body, i, close):
                return True
            caps[slot], caps[slot + 1] = old
            return False
        saved = self.caps[:]
        if kind == "atomic":
            e = self.first_end(g.body, i)
            if e < 0:
                self.caps[:] = saved
                return False
            if k(e):
                return True
            self.caps[:] = saved
            return False
        if kind in ("la", "nla"):
            ok = self.first_end(g.body, i) >= 0
        else:
            ok = False
            for b in g.body.branches if isinstance(g.body, Alt) else [g.body]:
                w = _width(b) or 0
                if i - w >= 0 and self.m(b, i - w, lambda e: e == i):
                    ok = True
                    break
        if kind in ("nla", "nlb"):
            self.caps[:] = saved
            ok = not ok
        elif not ok:
            self.caps[:] = saved
        if ok and k(i):
            return True
        self.caps[:] = saved
        return False

    def rep(self, r: Rep, i: int, k: Callable[[int], bool]) -> bool:
        body = r.body
        hi = r.hi if r.hi is not None else self.n + 1
        if isinstance(body, (Lit, Cls)):
            # One byte per iteration: find the run, then try the counts in order.
            mask = (
                body.mask if isinstance(body, Cls) else fold(1 << body.byte) if body.fold else 1 << body.byte
            )
            run = _run(mask, self.s, i, min(self.n, i + hi))
            self.scanned += run  # long scans cost time too (PCRE2 does not count them)
            if self.scanned > SCAN_LIMIT:
                raise _Limit()
            if run < r.lo:
                return False
            if r.mode == "p":
                self.tick()
                return k(i + run)
            counts = range(run, r.lo - 1, -1) if r.mode == "g" else range(r.lo, run + 1)
            for c in counts:
                self.tick()
                if k(i + c):
                    return True
            return False
        if r.mode == "p":
            saved = self.caps[:]
            e = self.first_end(Rep(body, r.lo, r.hi, "g"), i)
            if e >= 0 and k(e):
                return True
            self.caps[:] = saved
            return False
        return self.iterate(r, hi, 0, i, k)

    def iterate(self, r: Rep, hi: int, count: int, i: int, k: Callable[[int], bool]) -> bool:
        self.tick()

        def more(e: int) -> bool:
            if e == i and count + 1 >= r.lo:
                # An empty iteration ends the loop (PCRE2).
                return k(e)
            return self.iterate(r, hi, count + 1, e, k)

        if r.mode == "l":
            if count >= r.lo and k(i):
                return True
            return count < hi and self.m(r.body, i, more)
        if count < hi and self.m(r.body, i, more):
            return True
        return count >= r.lo and k(i)

    def anchor(self, kind: str, i: int) -> bool:
        s = self.s
        n = self.n
        if kind == "A":
            return i == 0
        if kind == "G":
            return i == self.g_offset
        if kind == "z":
            return i == n
        if kind in ("eol", "Z"):
            return i == n or (i == n - 1 and s[i] == 0x0A)
        if kind == "meol":
            return i == n or s[i] == 0x0A
        if kind == "mbol":
            return i == 0 or (s[i - 1] == 0x0A and i < n)
        if kind in ("b", "B"):
            before = i > 0 and bool(WORD >> s[i - 1] & 1)
            after = i < n and bool(WORD >> s[i] & 1)
            return (before != after) == (kind == "b")
        raise AssertionError(kind)  # pragma: no cover

    def cond(self, c: Cond, i: int, k: Callable[[int], bool]) -> bool:
        cond = c.cond
        if cond == "define":
            return k(i)
        if cond == "false":
            return self.m(c.no, i, k)
        if isinstance(cond, int):
            ok = self.caps[2 * cond] >= 0 and self.caps[2 * cond + 1] >= 0
            return self.m(c.yes if ok else c.no, i, k)
        assert isinstance(cond, Group)
        saved = self.caps[:]
        holds = self.group(cond, i, lambda e: True)
        if not holds:
            self.caps[:] = saved
        return self.m(c.yes if holds else c.no, i, k)
