"""The compiled pattern (:class:`Compiled`) and the entry point :func:`compile_pcre`: the
translation and its analysis, PCRE2's start-up checks, the cost budget, and for each subject the
choice between Python's ``re`` (the translation, or an anchored or possessive variant of it) and
the backtracking matcher."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from typing import Any

from classad.eval.builtins.pcre.analysis import (
    _anchored,
    _dotstar,
    empty_iterations_differ,
    first,
    lost_captures,
    min_length,
    possessify,
    required,
)
from classad.eval.builtins.pcre.charsets import ALL, _chars
from classad.eval.builtins.pcre.cost import exp_cap, work_degree
from classad.eval.builtins.pcre.matcher import REQ_CU_MAX, STEP_LIMIT, Backtracker, _Limit
from classad.eval.builtins.pcre.parser import _Parser
from classad.eval.builtins.pcre.translate import _emit_set, emit, nesting
from classad.eval.builtins.pcre.tree import Node

MAX_STEPS = 10**8
"""The worst-case backtracking work (estimated from the pattern's structure, see :mod:`.cost`) a
match may need before it is refused.  PCRE2 refuses too, with its match limit (10 million
backtracking steps); HTCondor then returns error, and so do we."""

_DEGREE_CAP = {0: None, 1: None, 2: 15_000, 3: 1_500, 4: 200}
_DEGREE_CAP_MORE = 60
EXP_CAP = 40
"""The longest subject a pattern with exponential backtracking is ever run on; the cap of a
pattern is lower the faster its ways to match grow (see :data:`EXP_BUDGET`)."""
EXP_BUDGET = 10**8
"""For a pattern with exponential backtracking: the largest ``n * paths(n)`` (start positions
times the ways to match, :func:`.cost.paths`) allowed; at most about 0.5 s of Python ``re``.
Also the budget of a pattern whose work has a constant factor (:func:`.cost.work_degree`)."""
TOTAL_STEP_LIMIT = 4 * STEP_LIMIT
"""The backtracking matcher's steps all the searches of one global substitution may take
together (each search has :data:`.matcher.STEP_LIMIT`): past it the substitution gives error."""
RE_NEST_LIMIT = 60
"""The deepest nesting of groups a translation may have to be given to Python's ``re``, whose
compiler recurses two or three frames per level; deeper patterns run on the backtracker."""

_OLD_RE = sys.version_info < (3, 11) or sys.implementation.name != "cpython"
"""CPython's ``re`` before 3.11 gets some captures wrong (:func:`.analysis.lost_captures`); PyPy's
``re`` is a port of that engine, so it is not trusted with them either."""

from classad.eval.builtins.pcre_outcomes import BAD_OFFSET, LIMIT  # noqa: E402


def compile_re(source: bytes) -> re.Pattern[bytes] | None:
    """Every translation goes to Python's ``re`` through here: the compiled pattern, or None when
    it nests too deeply (:data:`RE_NEST_LIMIT`) or ``re`` refuses it (then the backtracker runs
    the pattern)."""
    if nesting(source) > RE_NEST_LIMIT:
        return None
    try:
        return re.compile(source)
    except (re.error, OverflowError):  # pragma: no cover - the translation is valid re syntax
        return None


class Compiled:
    """A PCRE2 pattern compiled for Python's ``re`` on bytes, with its analysis.

    Compiled patterns are cached and shared by every search, from any thread, so nothing here
    changes after construction except three memo slots (``fast``, ``_dotstar_rx``,
    ``_start_rx``): each is filled on first use, by one attribute store, with a compiled ``re``
    pattern that depends only on the pattern (threads that race compile the same one twice).
    What a search needs (its step count above all) lives in the search's locals."""

    __slots__ = (
        "_dotstar_rx",
        "_fast_source",
        "_start_rx",
        "anchored",
        "backtracker",
        "deg",
        "dotstar",
        "exp",
        "exp_cap",
        "factor",
        "fast",
        "fast_deg",
        "fast_factor",
        "groups",
        "keep",
        "minlen",
        "required",
        "rx",
        "start_set",
    )

    def __init__(self, tree: Node, parser: _Parser) -> None:
        if not parser.has_calls:
            possessify(tree, 0)
        self.rx: re.Pattern[bytes] | None = None
        if parser.re_ok and not empty_iterations_differ(tree) and not (_OLD_RE and lost_captures(tree)):
            self.rx = compile_re(emit(tree))
        self.groups = parser.groups
        self.keep = parser.keeps
        self.minlen = min_length(tree)
        # PCRE2's "last required code unit": the last literal byte (or caseless pair) every
        # match contains.
        req = [m for m in required(tree) if 0 < bin(m).count("1") <= 2]
        self.required: bytes | None = None
        if req:
            self.required = bytes(c for c in range(256) if req[-1] >> c & 1)
        self.anchored = _anchored(tree)
        self.deg, self.exp, self.factor = work_degree(tree)
        self.exp_cap = 0
        if self.exp and self.rx is not None:
            self.exp_cap = exp_cap(tree, EXP_CAP, EXP_BUDGET)
        self.dotstar = 0 if parser.has_backref or parser.has_calls else _dotstar(tree)
        self._dotstar_rx: re.Pattern[bytes] | None = None
        mask, nullable = first(tree)
        self.start_set: bytes | None = None
        self._start_rx: re.Pattern[bytes] | None = None
        if not nullable and mask != ALL:
            self.start_set = bytes(c for c in range(256) if mask >> c & 1)
        self.backtracker = Backtracker(
            tree,
            parser.groups,
            parser.group_nodes,
            start_set=self.start_set,
            required=self.required,
            dotstar=self.dotstar,
            minlen=self.minlen,
        )
        self.fast: re.Pattern[bytes] | None = None
        self.fast_deg: int | None = None
        self.fast_factor = 1
        self._fast_source: bytes | None = None
        if self.rx is not None and (
            self.exp or self.factor > 1 or _DEGREE_CAP.get(self.deg, _DEGREE_CAP_MORE) is not None
        ):
            fdeg, fexp, ffactor = work_degree(tree, True)
            if not fexp:
                source = emit(tree, True)
                if nesting(source) <= RE_NEST_LIMIT:
                    self.fast_deg = fdeg
                    self.fast_factor = ffactor
                    self._fast_source = source

    def _fast(self) -> re.Pattern[bytes] | None:
        """The possessive variant, compiled on first use (a memo slot: see the class)."""
        rx = self.fast
        if rx is None and self._fast_source is not None:
            rx = compile_re(self._fast_source)
            self.fast = rx
        return rx

    def _first_start(self, subject: bytes) -> int:
        """The first place a match can start (PCRE2's start-byte optimisation)."""
        if self.start_set is None:
            return 0
        rx = self._start_rx
        if rx is None:
            rx = self._start_rx = re.compile(_emit_set(_chars(self.start_set)))
        m = rx.search(subject)
        return len(subject) if m is None else m.start()

    def starts(self, subject: bytes, dotstar: bool = False) -> int:
        """How many places a match could start at (PCRE2's start-byte optimisation; with
        ``dotstar``, its implicit anchoring of patterns that start with ``.*``)."""
        if dotstar and self.dotstar:
            return 1 if self.dotstar == 2 else 1 + subject.count(b"\n")
        if self.start_set is None:
            return len(subject) + 1
        return len(subject) - len(subject.translate(None, self.start_set))

    def _within(self, deg: int, subject: bytes, dotstar: bool = False, factor: int = 1) -> bool:
        n = len(subject)
        if factor > 1:
            # A constant factor (bounded repeats that can match in several ways) times the
            # start places times what one start can cost.
            starts = 1 if self.anchored else self.starts(subject, dotstar)
            per_start = max(1, n) ** max(0, deg if self.anchored else deg - 1)
            if factor * starts * per_start > EXP_BUDGET:
                return False
        cap = _DEGREE_CAP.get(deg, _DEGREE_CAP_MORE)
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
        return self._within(self.deg, subject, dotstar, self.factor)

    def _anchored_rx(self) -> re.Pattern[bytes] | None:
        """The pattern anchored where PCRE2 implicitly anchors it (start of the subject, or
        after a newline): the same first match when searching from the start.  Compiled on
        first use (a memo slot: see the class)."""
        rx = self._dotstar_rx
        if rx is None and self.rx is not None:
            prefix = b"\\A" if self.dotstar == 2 else b"(?:\\A|(?<=\\n))"
            rx = compile_re(prefix + b"(?:" + self.rx.pattern + b")")
            self._dotstar_rx = rx
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
            anchored = self._anchored_rx()
            if anchored is not None:
                return anchored.search(subject) is not None
        if self.fast_deg is not None and self._within(self.fast_deg, subject, False, self.fast_factor):
            # The possessive variant follows the path backtracking tries first; a match of it at
            # the first place a match can start is what PCRE2 finds there quickly.  (A match
            # further on proves nothing: PCRE2 may exhaust its limit at the earlier places.)
            fast = self._fast()
            fm = None if fast is None else fast.search(subject)
            if fm is not None and fm.start() == self._first_start(subject):
                return True
        m = self.search(subject)
        return m if m is LIMIT else m is not None

    def search(self, subject: bytes, pos: int = 0, retry: bool = False) -> object:
        """The first match at or after ``pos`` (an ``re.Match`` or :class:`BacktrackMatch`),
        None, or :data:`LIMIT`; with ``retry``, the first non-empty match starting at ``pos``
        (PCRE2's NOTEMPTY_ATSTART and ANCHORED, which HTCondor's loop sets after an empty
        match)."""
        return self._search(subject, pos, retry)[0]

    def _search(self, subject: bytes, pos: int, retry: bool) -> tuple[object, int]:
        """:meth:`search`, and the steps the backtracker took for it (0 when ``re`` ran)."""
        if self.impossible(subject):
            return None, 0
        if pos == 0 and not retry and self.dotstar and self.affordable(subject, True):
            anchored = self._anchored_rx()
            if anchored is not None:
                return anchored.search(subject), 0
        if self.affordable(subject):
            assert self.rx is not None
            if not retry:
                return self.rx.search(subject, pos), 0
            return _retry(self.rx, subject, pos), 0
        try:
            return self.backtracker.search(subject, pos, retry)
        except _Limit as e:
            return LIMIT, e.steps

    def search_notempty(self, subject: bytes) -> object:
        """The first non-empty match in ``subject`` (PCRE2_NOTEMPTY: an empty match is not a
        match, so backtracking goes on for a longer one, then at later starts), None, or
        :data:`LIMIT`."""
        if self.impossible(subject):
            return None
        if self.affordable(subject):
            assert self.rx is not None
            # After an empty match Python's scanner looks for a non-empty one at the same place
            # (in backtracking order) before moving on: its first non-empty match is PCRE2's.
            for m in self.rx.finditer(subject):
                if m.end() > m.start():
                    return m
            return None
        try:
            return self.backtracker.search(subject, not_empty=True)[0]
        except _Limit:
            return LIMIT

    def global_loop(self, subject: bytes, every: bool) -> Iterator[object]:
        """What HTCondor's substitution loop finds, one at a time: the first match, or (``every``)
        the loop over all of them, as a match, an int ``k`` (no non-empty match where the last
        retry looked, so the loop copies byte ``k`` and searches on after it), or last
        :data:`LIMIT` (a search hit the limit, or all of them together passed
        :data:`TOTAL_STEP_LIMIT`) or :data:`BAD_OFFSET`.

        After an empty match every search is a retry (:meth:`search`) until one fails; then the
        loop copies a byte and searches normally from the next one, and when there is no next
        byte PCRE2 reports a bad offset (HTCondor: error)."""
        n = len(subject)
        pos = 0
        retry = False
        total = 0
        while True:
            m, steps = self._search(subject, pos, retry)
            total += steps
            if m is LIMIT or total > TOTAL_STEP_LIMIT:
                yield LIMIT
                return
            if m is None:
                if not retry:
                    return
                if pos >= n:
                    yield BAD_OFFSET
                    return
                yield pos
                pos += 1
                retry = False
                continue
            yield m
            if not every:
                return
            end: int = m.end()  # type: ignore[attr-defined]
            retry = retry or self.reported_start(m) == end
            pos = end

    def reported_start(self, m: Any) -> int:
        """Where PCRE2 says the match ``m`` starts: after the last ``\\K`` passed, if any."""
        start = int(m.start())
        for k in range(1, self.keep + 1):
            start = max(start, int(m.start("K%d" % k)))
        return start


def _retry(rx: re.Pattern[bytes], s: bytes, at: int) -> re.Match[bytes] | None:
    """The first non-empty match of ``rx`` starting at ``at``, in backtracking order (Python's
    scanner refuses an empty match where the previous one ended and backtracks for a longer
    one, as PCRE2's NOTEMPTY_ATSTART does)."""
    sc: Any = rx.scanner(s, at)  # type: ignore[attr-defined]
    first: re.Match[bytes] | None = sc.search()
    if first is None or first.start() != at:
        return None
    if first.end() > at:
        return first
    second: re.Match[bytes] | None = sc.search()
    return second if second is not None and second.start() == at else None


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
    return Compiled(tree, parser)
