"""The compiled pattern (:class:`Compiled`) and the entry point :func:`compile_pcre`: the
translation and its analysis, PCRE2's start-up checks, the cost budget, and for each subject the
choice between Python's ``re`` (the translation, or an anchored or possessive variant of it) and
the backtracking matcher."""

from __future__ import annotations

import re
from typing import Any

from classad.eval.builtins.pcre.analysis import (
    _anchored,
    _dotstar,
    first,
    min_length,
    paths,
    possessify,
    required,
    work_degree,
)
from classad.eval.builtins.pcre.charsets import ALL, _chars
from classad.eval.builtins.pcre.errors import Unsupported
from classad.eval.builtins.pcre.matcher import REQ_CU_MAX, Backtracker, _Limit
from classad.eval.builtins.pcre.parser import _Parser
from classad.eval.builtins.pcre.translate import _emit_set, _Emitter, _number_groups
from classad.eval.builtins.pcre.tree import Node

MAX_STEPS = 10**8
"""The worst-case backtracking work (estimated from the pattern's structure, see :func:`_risk`) a
match may need before it is refused.  PCRE2 refuses too, with its match limit (10 million
backtracking steps); HTCondor then returns error, and so do we."""

_DEGREE_CAP = {0: None, 1: None, 2: 15_000, 3: 1_500, 4: 200}
_DEGREE_CAP_MORE = 60
EXP_CAP = 40
"""The longest subject a pattern with exponential backtracking is ever run on; the cap of a
pattern is lower the faster its ways to match grow (see :data:`EXP_BUDGET`)."""
EXP_BUDGET = 10**8
"""For a pattern with exponential backtracking: the largest ``n * paths(n)`` (start positions
times the ways to match, :func:`paths`) allowed; at most about 0.5 s of Python ``re``."""

LIMIT = object()
"""What a match returns when its estimated cost is too high (HTCondor: PCRE2's match limit)."""


class Compiled:
    """A PCRE2 pattern compiled for Python's ``re`` on bytes, with its analysis."""

    __slots__ = (
        "_dotstar_rx",
        "_index",
        "_tree",
        "anchored",
        "backtracker",
        "deg",
        "dotstar",
        "exp",
        "exp_cap",
        "fast",
        "fast_deg",
        "groups",
        "keep",
        "minlen",
        "required",
        "rx",
        "start_set",
    )

    def __init__(self, tree: Node, parser: _Parser) -> None:
        index: dict[int, int] = {}
        _number_groups(tree, index, [0])
        if not parser.has_calls:
            possessify(tree, 0)
        self.rx: re.Pattern[bytes] | None = None
        if parser.re_ok:
            self.rx = re.compile(_Emitter(False, index).emit(tree))
        self.groups = parser.groups
        self.keep = parser.keeps
        self.minlen = min_length(tree)
        # PCRE2's "last required code unit": the last literal byte (or caseless pair) every
        # match contains.
        req = [m for m in required(tree) if 0 < bin(m).count("1") <= 2]
        self.required: bytes | None = None
        if req:
            self.required = bytes(c for c in range(256) if req[-1] >> c & 1)
        deg, exp = work_degree(tree)
        self.deg = deg
        self.exp = exp
        self.exp_cap = 0
        if exp:
            ways = paths(tree, EXP_CAP)
            total = 0
            for k in range(EXP_CAP + 1):
                total += ways[k]
                starts = 1 if _anchored(tree) else k + 1
                if starts * total > EXP_BUDGET:
                    break
                self.exp_cap = k
        self.backtracker = Backtracker(tree, parser.groups, parser.group_nodes)
        self.anchored = _anchored(tree)
        self.dotstar = 0 if parser.has_backref or parser.has_calls else _dotstar(tree)
        self._dotstar_rx: re.Pattern[bytes] | None = None
        self.backtracker.dotstar = self.dotstar
        mask, nullable = first(tree)
        self.start_set: bytes | None = None
        if not nullable and mask != ALL:
            self.start_set = bytes(c for c in range(256) if mask >> c & 1)
        self.backtracker.start_set = None if self.start_set is None else frozenset(self.start_set)
        self.backtracker.required = self.required
        self.fast: re.Pattern[bytes] | None = None
        self.fast_deg: int | None = None
        self._tree: Node | None = None
        if parser.re_ok and (exp or _DEGREE_CAP.get(deg, _DEGREE_CAP_MORE) is not None):
            fdeg, fexp = work_degree(tree, True)
            if not fexp:
                self.fast_deg = fdeg
                self._tree = tree
                self._index = index

    def _fast(self) -> re.Pattern[bytes] | None:
        """The possessive variant, compiled on first use."""
        if self.fast is None and self._tree is not None:
            try:
                self.fast = re.compile(_Emitter(True, self._index).emit(self._tree))
            except (re.error, RecursionError, OverflowError):  # pragma: no cover - defensive
                pass
            self._tree = None
        return self.fast

    def _first_start(self, subject: bytes) -> int:
        """The first place a match can start (PCRE2's start-byte optimisation)."""
        if self.start_set is None:
            return 0
        m = re.compile(_emit_set(_chars(self.start_set))).search(subject)
        return len(subject) if m is None else m.start()

    def starts(self, subject: bytes, dotstar: bool = False) -> int:
        """How many places a match could start at (PCRE2's start-byte optimisation; with
        ``dotstar``, its implicit anchoring of patterns that start with ``.*``)."""
        if dotstar and self.dotstar:
            return 1 if self.dotstar == 2 else 1 + subject.count(b"\n")
        if self.start_set is None:
            return len(subject) + 1
        return len(subject) - len(subject.translate(None, self.start_set))

    def _within(self, deg: int, subject: bytes, dotstar: bool = False) -> bool:
        cap = _DEGREE_CAP.get(deg, _DEGREE_CAP_MORE)
        n = len(subject)
        if cap is None or n <= cap:
            return True
        if self.anchored:
            return False
        # Work: the candidate starts times what one start can cost (degree - 1).
        return bool(self.starts(subject, dotstar) * n ** (deg - 1) <= cap**deg)

    def affordable(self, subject: bytes, dotstar: bool = False) -> bool:
        """Whether matching ``subject`` with ``re`` is within the budget (``dotstar``: with the
        anchored variant of a pattern that starts with ``.*``, see :meth:`_anchored_rx`)."""
        if self.rx is None:
            return False
        if self.exp:
            return len(subject) <= self.exp_cap
        return self._within(self.deg, subject, dotstar)

    def _anchored_rx(self) -> re.Pattern[bytes]:
        """The pattern anchored where PCRE2 implicitly anchors it (start of the subject, or
        after a newline): the same first match when searching from the start."""
        rx = self._dotstar_rx
        if rx is None:
            assert self.rx is not None
            prefix = b"\\A" if self.dotstar == 2 else b"(?:\\A|(?<=\\n))"
            rx = self._dotstar_rx = re.compile(prefix + b"(?:" + self.rx.pattern + b")")
        return rx

    def impossible(self, subject: bytes) -> bool:
        """PCRE2's start-up checks: too short a subject, or (for a subject shorter than
        :data:`REQ_CU_MAX`) its required byte missing."""
        if len(subject) < self.minlen:
            return True
        if self.required is not None and len(subject) < REQ_CU_MAX:
            if not any(c in subject for c in self.required):
                return True
        return False

    def test(self, subject: bytes) -> object:
        """True/False: does the pattern match somewhere in ``subject``; or :data:`LIMIT`."""
        if self.impossible(subject):
            return False
        if self.affordable(subject):
            assert self.rx is not None
            return self.rx.search(subject) is not None
        if self.dotstar and self.affordable(subject, True):
            return self._anchored_rx().search(subject) is not None
        if self.fast_deg is not None and self._within(self.fast_deg, subject):
            # The possessive variant follows the path backtracking tries first; a match of it at
            # the first place a match can start is what PCRE2 finds there quickly.  (A match
            # further on proves nothing: PCRE2 may exhaust its limit at the earlier places.)
            fast = self._fast()
            fm = None if fast is None else fast.search(subject)
            if fm is not None and fm.start() == self._first_start(subject):
                return True
        m = self.search(subject)
        return m if m is LIMIT else m is not None

    def search(self, subject: bytes, pos: int = 0, not_empty_at: int = -1) -> object:
        """The first match at or after ``pos`` (an ``re.Match`` or :class:`BacktrackMatch`),
        None, or :data:`LIMIT`; a match starting at ``not_empty_at`` must not be empty."""
        if self.impossible(subject):
            return None
        if pos == 0 and not_empty_at < 0 and self.dotstar and self.affordable(subject, True):
            return self._anchored_rx().search(subject)
        if self.affordable(subject):
            assert self.rx is not None
            if not_empty_at < 0:
                return self.rx.search(subject, pos)
            return _search_not_empty(self.rx, subject, pos, not_empty_at)
        try:
            self.backtracker.steps = 0
            self.backtracker.scanned = 0
            self.backtracker.depth = 0
            return self.backtracker.search(subject, pos, not_empty_at)
        except _Limit:
            return LIMIT

    def matches(self, subject: bytes, every: bool) -> object:
        """The matches the substitution loop visits: the first one, or (``every``) all of them
        the way PCRE2's global loop finds them (after an empty match, a non-empty one at the
        same place first).  A list, or :data:`LIMIT`."""
        out: list[object] = []
        pos = 0
        not_empty_at = -1
        while pos <= len(subject):
            m = self.search(subject, pos, not_empty_at)
            if m is LIMIT:
                return LIMIT
            if m is None:
                break
            out.append(m)
            if not every:
                break
            start, end = m.start(), m.end()  # type: ignore[attr-defined]
            pos = end
            not_empty_at = end if start == end else -1
        return out


def _search_not_empty(rx: re.Pattern[bytes], s: bytes, pos: int, at: int) -> re.Match[bytes] | None:
    """``rx.search(s, pos)`` where a match starting at ``at`` must not be empty (PCRE2's
    NOTEMPTY_ATSTART retry and Python's rule after an empty match)."""
    sc: Any = rx.scanner(s, at)  # type: ignore[attr-defined]
    first: re.Match[bytes] | None = sc.search()
    if first is None or first.start() != first.end() or first.start() != at:
        return first
    # ``first`` is the empty match at ``at``; the scanner's next search refuses it.
    second: re.Match[bytes] | None = sc.search()
    return second


def compile_pcre(pattern: bytes, flags: str) -> Compiled:
    """Compile ``pattern`` as PCRE2 would with the option letters ``flags`` (``imsx``).

    Raises :class:`PatternError` where PCRE2 fails to compile, :class:`Unsupported` where the
    pattern is valid but cannot be run faithfully here.
    """
    i = pattern.find(0)
    if i >= 0:
        pattern = pattern[:i]
    parser = _Parser(pattern, flags)
    tree = parser.parse()
    try:
        return Compiled(tree, parser)
    except re.error as e:
        raise Unsupported(f"Python re rejected the translation: {e}") from None
    except (RecursionError, OverflowError) as e:
        raise Unsupported(f"pattern too complex: {e}") from None
