"""``Matcher``: one job matched against many slots, with exactly ``symmetricMatch``'s semantics.

``Matcher(job).matches(slot)`` is ``job.symmetricMatch(slot)``: the slot's Requirements with the
job as TARGET, then the job's Requirements with the slot as TARGET, in the semantic mode in force
(old semantics' fallback of unscoped names to TARGET included), an evaluation failure raising
``ClassAdException`` as there.  ``filter(slots)`` keeps the matching slots in input order and
``ranked(slots)`` orders them by the job's Rank, highest first, ties in input order.

Speed comes from not evaluating the same thing twice, never from evaluating differently.  The
two match contexts are built once per ``filter``/``ranked`` call and each slot is put in them in
turn (:class:`classad.eval.match.Frame`), instead of two being built for every slot.  Within
one ``filter``/``ranked`` call the clock is pinned (:func:`classad.clock`) to the moment the call
starts, so every slot is judged at one instant, and the outcome for a slot is remembered under a
key made of every slot attribute the evaluation could reach (by the identity of its expression; the
parser shares the trees of equal texts) (see :mod:`classad.analysis.deps`):
the slot's own expression for each attribute name the job or the slot's reachable expressions
mention (an absent attribute counts too).  Two slots with the same key are indistinguishable to
both Requirements, so the second one gets the first one's outcome.  Computing a key costs a
fair part of an evaluation, so a cheap fingerprint decides first whether a slot could repeat an
earlier one at all (see :class:`Memo`).  A slot or job whose
expressions are opaque (``random()``, ``eval()``, functions registered from Python, references to
the match context, a dynamic lookup such as ``MY[name]`` into the slot) is always evaluated afresh.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from typing import Any

from classad._classad import ClassAd
from classad.analysis.deps import JOB_FIXED, SLOT_FIXED, deps
from classad.ast import Literal, Node
from classad.clock import clock, now
from classad.errors import ClassAdEvaluationError, ClassAdException, EvaluationFailure
from classad.eval.compiler import evaluate
from classad.eval.match import Frame, match_truth
from classad.semantics import Mode, get_semantics, is_old, semantics

__all__ = ["Matcher", "Memo", "rank_number"]

_CLOSURES = 32
"""Closed name sets a matcher keeps (see ``Matcher._closures``); once they are all taken, a slot
that fits none of them has no key."""

_HINTS = 100_000
"""Fingerprint hints a matcher keeps before it starts afresh (bounded memory)."""

_VOUCHED = 200_000
"""Expressions one closed set remembers as fitting before it starts afresh (bounded memory)."""

_KEY_BUDGET = 100_000
"""Attribute names one slot's key may hold before the slot is evaluated without a key."""


def rank_number(value: Any) -> float:
    """A Rank value as the negotiator sorts by it: numbers (and booleans) as floats, anything
    else (undefined, error, a string, NaN) as 0.0."""
    if isinstance(value, (bool, int, float)):
        f = float(value)
        return 0.0 if f != f else f
    return 0.0


_MEMO_AFTER = 512
"""Slots :meth:`Matcher.filter` and :meth:`Matcher.ranked` match directly before they start
remembering outcomes by key (:class:`Memo`)."""


class _Closed:
    """A set of attribute names closed under reachability in some slot, and the expressions
    already found to stay inside it (by identity; they are kept alive so their ids stay theirs)."""

    __slots__ = ("closed", "kept", "names", "ok", "serial")

    def __init__(self, names: tuple[str, ...], closed: frozenset[str], serial: int) -> None:
        self.names = names
        self.closed = closed
        self.serial = serial
        self.ok: set[int] = set()
        self.kept: list[Node | None] = []

    def vouch(self, node: Node | None) -> None:
        """Remember that ``node`` mentions no name outside the set."""
        if len(self.kept) >= _VOUCHED:
            self.ok.clear()
            self.kept.clear()
        self.ok.add(id(node))
        self.kept.append(node)


class Memo:
    """The outcomes of one call, by key, and the fingerprints seen so far.

    A slot's fingerprint is the identity of the expressions it gives the names the job mentions
    (and its Requirements): part of any key, at a fraction of a key's cost.  Only a slot whose
    fingerprint was seen before in the call can repeat a key, so only such a slot's key is
    computed: a pool of slots that all differ costs next to nothing, and one of many alike slots
    is keyed from the second of each kind on."""

    __slots__ = ("alive", "hits", "prints", "table", "wait")

    def __init__(self, after: int = 0) -> None:
        # Slots to evaluate before fingerprinting starts (a fingerprint costs about a tenth of
        # one match: worth it on a pool of thousands of alike slots, not on a few hundred).
        self.wait = after
        self.table: dict[tuple[object, ...], Any] = {}
        self.prints: set[tuple[int, ...]] = set()
        self.hits = 0
        # The slots whose keys are in ``table``: keys are expression ids, and holding the slots
        # (so their expressions) for the call keeps another slot's new expression from being given
        # an id already in a key (slots may come from a generator and be dropped one by one).
        self.alive: list[ClassAd] = []

    def store(self, key: tuple[object, ...], outcome: Any, slot: ClassAd) -> None:
        """Remember ``outcome`` for ``key``, the key of ``slot``."""
        self.table[key] = outcome
        self.alive.append(slot)


class _Pairs:
    """``job.symmetricMatch(slot)`` for one slot after another, within one call: the two match
    contexts are built once (:class:`classad.eval.match.Frame`) and each slot is put in them, instead
    of two contexts being built for every slot.  The frame is made again whenever the semantic
    mode or the job (its attributes, or its pinned values) changed since it was made."""

    __slots__ = ("_attrs", "_frame", "_job", "_pins")

    def __init__(self, job: ClassAd) -> None:
        self._job = job
        self._frame: Frame | None = None
        self._attrs: object = None
        self._pins: object = None

    def _ready(self, old: bool) -> Frame:
        job = self._job
        frame = self._frame
        if (
            frame is None
            or frame.old is not old
            or self._attrs is not job._attrs
            or self._pins is not job._pins
        ):
            # Two scopes of the job, as two evaluations of it would get them (the second one
            # has the job's pinned values, which a matcher evaluating it many times wants).
            right = job._eval_scope(old)
            if right.pins is None:
                right = job._eval_scope(old)
            frame = self._frame = Frame(right, job._eval_scope(old), old)
            self._attrs = job._attrs
            self._pins = job._pins
        return frame

    def symmetric(self, slot: ClassAd) -> bool:
        """``job.symmetricMatch(slot)``."""
        job = self._job
        if slot is job:
            return job.symmetricMatch(slot)  # an ad matched with itself is matched with a copy
        old = is_old()
        req = slot._attrs.get("requirements")
        if req is None:
            return False
        frame = self._ready(old)
        left = slot._eval_scope(old)
        frame.put_left(left)
        try:
            if not match_truth(evaluate(req, left, frame.left_root, old)):
                return False
            mine = job._attrs.get("requirements")
            if mine is None:
                return False
            right = slot._eval_scope(old)
            frame.put_right(right)
            return match_truth(evaluate(mine, frame.fixed_left, frame.right_root, old))
        except EvaluationFailure:
            raise ClassAdEvaluationError("failed to evaluate expression") from None


class Matcher:
    """The job's side of matching, prepared once; see the module docstring.

    ``semantics`` pins the mode for this matcher's evaluations (``"htcondor"`` or ``"strict"``);
    by default the mode in force at each call is used, as ``symmetricMatch`` does.  ``also``
    names further slot attributes a caller's own per-slot work reads, for :meth:`key` to cover.
    """

    __slots__ = (
        "_closures",
        "_direct",
        "_hints",
        "_job",
        "_job_names",
        "_job_opaque",
        "_semantics",
        "_serial",
    )

    def __init__(self, job: ClassAd, *, semantics: Mode | None = None, also: Iterable[str] = ()) -> None:
        if not isinstance(job, ClassAd):
            raise TypeError(f"Matcher needs a ClassAd, got {type(job).__name__}")
        self._job = job
        self._semantics = semantics
        names: set[str] = set()
        opaque = False
        for key in job:
            d = deps(job.lookup(key)._node)
            names |= d.names
            opaque = opaque or d.opaque_in(JOB_FIXED)
        names.add("requirements")
        names.add("rank")
        names.update(n.lower() for n in also)
        self._job_names = frozenset(names)
        self._job_opaque = opaque
        # Name sets closed under reachability in some slot seen before, in the order they were
        # found (never reordered or dropped, so equal slots always get the same key): a slot whose
        # reachable expressions mention no name outside one of them is keyed by the first such set
        # without walking its expressions again.
        self._closures: list[_Closed] = []
        self._serial = 0
        self._direct: tuple[str, ...] | None = None
        # The set that keyed the first slot with a given fingerprint, tried first for the next
        # slots with it.  A slot is keyed by it if it fits, else by the first set that fits:
        # either way the same slot always gets the same key.  (A hint is only a hint: a stale
        # one, its ids reused by other expressions, costs a scan, never a wrong key.)
        self._hints: dict[tuple[int, ...], _Closed] = {}

    @property
    def job(self) -> ClassAd:
        """The job ad."""
        return self._job

    @contextmanager
    def _context(self, pin: bool) -> Iterator[None]:
        with ExitStack() as stack:
            if self._semantics is not None:
                stack.enter_context(semantics(self._semantics))
            if pin:
                stack.enter_context(clock(now()))
            yield

    def fingerprint(self, slot: ClassAd) -> tuple[int, ...]:
        """The identities of the expressions ``slot`` gives the names the job mentions (see
        :class:`Memo`)."""
        names = self._direct
        if names is None:
            names = self._direct = tuple(sorted(self._job_names))
        return tuple(map(id, map(slot._attrs.get, names)))

    def key(self, slot: ClassAd, fingerprint: tuple[int, ...] | None = None) -> tuple[object, ...] | None:
        """The slot's key (see the module docstring), or None when it has none (opaque)."""
        if self._job_opaque:
            return None
        get = slot._attrs.get
        if fingerprint is None:
            fingerprint = self.fingerprint(slot)
        first = self._hints.get(fingerprint)
        candidates = self._closures if first is None else [first, *self._closures]
        for candidate in candidates:
            nodes = tuple(map(get, candidate.names))
            ids = tuple(map(id, nodes))
            fits = True
            pending = set(ids).difference(candidate.ok)
            by_id = dict(zip(ids, nodes)) if pending else {}
            for i in pending:
                node = by_id[i]
                if node is None or node.__class__ is Literal:
                    candidate.vouch(node)
                    continue
                d = deps(node)
                if d.opaque_in(SLOT_FIXED):
                    return None
                if not d.names <= candidate.closed:
                    fits = False
                    break
                candidate.vouch(node)
            if fits:
                if first is None:
                    if len(self._hints) >= _HINTS:
                        self._hints.clear()
                    self._hints[fingerprint] = candidate
                return (get_semantics(), candidate.serial, *ids)
        if len(self._closures) >= _CLOSURES:
            return None
        found = self._closure(slot)
        if found is None:
            return None
        self._serial += 1
        made = _Closed(tuple(sorted(found)), frozenset(found), self._serial)
        self._closures.append(made)
        return (get_semantics(), made.serial, *map(id, map(get, made.names)))

    def _closure(self, slot: ClassAd) -> set[str] | None:
        """Every attribute name reachable in ``slot`` from the job's names (None: opaque)."""
        attrs = slot._attrs
        seen = set(self._job_names)
        todo = list(seen)
        while todo:
            if len(seen) > _KEY_BUDGET:
                return None
            node = attrs.get(todo.pop())
            if node is None or node.__class__ is Literal:
                continue
            d = deps(node)
            if d.opaque_in(SLOT_FIXED):
                return None
            for n in d.names:
                if n not in seen:
                    seen.add(n)
                    todo.append(n)
        return seen

    def memo_key(self, slot: ClassAd, memo: Memo) -> tuple[object, ...] | None:
        """The slot's key if ``memo`` may use it now, else None (see :class:`Memo`)."""
        if memo.wait:
            memo.wait -= 1
            return None
        fingerprint = self.fingerprint(slot)
        if fingerprint not in memo.prints:
            memo.prints.add(fingerprint)
            return None
        return self.key(slot, fingerprint)

    def _outcome(self, slot: ClassAd, memo: Memo, pairs: _Pairs) -> bool:
        k = self.memo_key(slot, memo)
        if k is not None:
            hit = memo.table.get(k)
            if hit is not None:
                memo.hits += 1
                if isinstance(hit, BaseException):
                    raise hit
                return bool(hit)
        try:
            result = pairs.symmetric(slot)
        except ClassAdException as exc:
            if k is not None:
                memo.store(k, exc, slot)
            raise
        if k is not None:
            memo.store(k, result, slot)
        return result

    def matches(self, slot: ClassAd) -> bool:
        """``job.symmetricMatch(slot)``."""
        with self._context(False):
            return self._job.symmetricMatch(slot)

    def filter(self, slots: Iterable[ClassAd]) -> list[ClassAd]:
        """The slots that match the job both ways, in input order."""
        memo = Memo(_MEMO_AFTER)
        pairs = _Pairs(self._job)
        with self._context(True):
            return [s for s in slots if self._outcome(s, memo, pairs)]

    def rank(self, slot: ClassAd) -> float:
        """The job's Rank with ``slot`` as TARGET, as a number (see :func:`rank_number`)."""
        with self._context(False):
            return self._rank(slot)

    def _rank(self, slot: ClassAd) -> float:
        if "rank" not in self._job:
            return 0.0
        try:
            return rank_number(self._job.lookup("rank").eval(self._job, slot))
        except ClassAdException:
            return 0.0

    def ranked(self, slots: Iterable[ClassAd]) -> list[ClassAd]:
        """The matching slots by the job's Rank, highest first, ties in input order."""
        memo = Memo(_MEMO_AFTER)
        pairs = _Pairs(self._job)
        with self._context(True):
            found = [(self._rank(s), i, s) for i, s in enumerate(slots) if self._outcome(s, memo, pairs)]
        found.sort(key=lambda t: (-t[0], t[1]))
        return [s for _, _, s in found]
