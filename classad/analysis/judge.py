"""Judging one slot for one job: every outcome the analysis counts, evaluated once per slot (and
shared by the slots a :class:`~classad.analysis.matcher.Matcher` key says are alike), and the
other side's conditions gathered by text."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from classad._classad import ClassAd
from classad.analysis.conjuncts import Conjunct, split
from classad.analysis.deps import deps
from classad.analysis.outcome import TRUE, Outcome, Pair, truth
from classad.analysis.pool import DRAIN_RESOURCES, drained, is_partitionable, slot_state
from classad.analysis.report import Condition
from classad.ast import Literal, Node
from classad.errors import ClassAdException

__all__ = [
    "SLOT_FACTS",
    "Judged",
    "OtherSide",
    "funnel",
    "judge",
    "judge_own",
    "matches",
    "own_conjuncts",
    "reaches_clock",
]

_CLOCK_WALK = 10_000
"""Attribute names a walk for clock-reading expressions follows at most."""


def matches(me: ClassAd, other: ClassAd) -> bool:
    """``me``'s Requirements true with ``other`` as TARGET (a failed evaluation is not true)."""
    try:
        return other.matches(me)
    except ClassAdException:
        return False


def reaches_clock(node: Node, me: ClassAd, other: ClassAd) -> bool:
    """Whether evaluating ``node`` (written in ``me``, against ``other``) may read the clock."""
    d = deps(node)
    if d.clock:
        return True
    seen = set(d.names)
    todo = list(seen)
    while todo and len(seen) < _CLOCK_WALK:
        name = todo.pop()
        for ad in (me, other):
            n = ad._attrs.get(name)
            if n is None or n.__class__ is Literal:
                continue
            dn = deps(n)
            if dn.clock:
                return True
            for x in dn.names - seen:
                seen.add(x)
                todo.append(x)
    return False


def funnel(conds: list[Condition], outs: Sequence[Outcome]) -> None:
    ok = True
    for cond, o in zip(conds, outs):
        cond.evaluated += 1
        if o == TRUE:
            cond.matched_alone += 1
        else:
            ok = False
            if o == "undefined":
                cond.undefined += 1
            elif o == "error":
                cond.error += 1
        if ok:
            cond.matched_cumulative += 1


def own_conjuncts(ad: ClassAd) -> list[Conjunct]:
    """The conditions of ``ad``'s own Requirements as the other side's table counts them:
    attribute references to conjunctions opened up, and a text that comes back (``true`` ...)
    kept once."""
    node = ad._attrs.get("requirements")
    if node is None:
        return []
    out: list[Conjunct] = []
    texts: set[str] = set()
    for c in split(node, ad):
        if c.text not in texts:
            texts.add(c.text)
            out.append(c)
    return out


def judge_own(ad: ClassAd, against: ClassAd) -> tuple[list[tuple[Conjunct, Outcome]], bool]:
    """``ad``'s own conditions with their outcomes against ``against``, and whether its whole
    Requirements holds (what ``against.matches(ad)`` says)."""
    node = ad._attrs.get("requirements")
    if node is None:
        return [], False
    conjuncts = own_conjuncts(ad)
    pair = Pair(ad, against)
    return [(c, pair.outcome(c.node)) for c in conjuncts], truth(pair.value(node))


class OtherSide:
    """The other ads' own conditions, gathered by text over the ads that carry them."""

    def __init__(self) -> None:
        self.conditions: list[Condition] = []
        self._by_text: dict[str, Condition] = {}

    def add(self, ad: ClassAd, against: ClassAd) -> tuple[list[tuple[Conjunct, Outcome]], bool]:
        """Count ``ad``'s conditions against ``against``; its conditions with their outcomes, and
        whether its whole Requirements holds (what ``against.matches(ad)`` says)."""
        judged, ok = judge_own(ad, against)
        self.record(judged, ad, against)
        return judged, ok

    def record(self, judged: Sequence[tuple[Conjunct, Outcome]], ad: ClassAd, against: ClassAd) -> None:
        """Count conditions of ``ad`` already judged against ``against``."""
        conds: list[Condition] = []
        for c, _ in judged:
            cond = self._by_text.get(c.text)
            if cond is None:
                cond = Condition(len(self.conditions), c.text, c.text)
                self._by_text[c.text] = cond
                self.conditions.append(cond)
            conds.append(cond)
        funnel(conds, [o for _, o in judged])
        for (c, _), cond in zip(judged, conds):
            if cond.evaluated == 1:  # judged once, on the first ad that carries it
                cond.clock = reaches_clock(c.node, ad, against)

    def most_failing(self) -> int | None:
        best: Condition | None = None
        for c in self.conditions:
            fails = c.evaluated - c.matched_alone
            if fails and (best is None or fails > best.evaluated - best.matched_alone):
                best = c
        return None if best is None else best.index


def _same_user(job: ClassAd, slot: ClassAd) -> bool:
    mine = set()
    for name in ("User", "Owner"):
        v = _eval_str(job, name)
        if v:
            mine.add(v.lower())
    for name in ("RemoteUser", "RemoteOwner"):
        v = _eval_str(slot, name)
        if v and v.lower() in mine:
            return True
    return False


def _eval_str(ad: ClassAd, name: str) -> str | None:
    if name not in ad:
        return None
    try:
        v = ad.eval(name)
    except ClassAdException:
        return None
    return v if isinstance(v, str) else None


SLOT_FACTS = (
    "state",
    "remoteuser",
    "remoteowner",
    "partitionableslot",
    "slottype",
    *(n.lower() for pair in DRAIN_RESOURCES for n in pair),
)
"""Slot attributes the per-slot judgement reads besides the two Requirements."""


@dataclass
class Judged:
    """Everything the analysis learns from one slot (a slot with the same key learns the same)."""

    outs: list[Outcome]
    job_ok: bool
    slot_side: list[tuple[Conjunct, Outcome]]
    slot_ok: bool
    clock_only: bool
    claim: str
    partitionable: bool
    drains: bool


def judge(job: ClassAd, slot: ClassAd, req: Node | None, conjuncts: Sequence[Conjunct]) -> Judged:
    pair = Pair(job, slot)
    outs = [pair.outcome(c.node) for c in conjuncts]
    job_ok = req is not None and truth(pair.value(req))  # what slot.matches(job) says
    slot_side: list[tuple[Conjunct, Outcome]] = []
    slot_ok = clock_only = False
    claim = ""
    if job_ok:
        slot_side, slot_ok = judge_own(slot, job)
        if not slot_ok:
            failing = [c for c, o in slot_side if o != TRUE]
            clock_only = bool(failing) and all(reaches_clock(c.node, slot, job) for c in failing)
        else:
            state = slot_state(slot)
            if state is None or state.lower() == "unclaimed":
                claim = "available"
            elif _same_user(job, slot):
                claim = "yours"
            else:
                claim = "others"
    part = is_partitionable(slot)
    drains = False
    if part and not (job_ok and slot_ok):
        whole = drained(slot)
        drains = whole is not None and matches(job, whole) and matches(whole, job)
    return Judged(outs, job_ok, slot_side, slot_ok, clock_only, claim, part, drains)
