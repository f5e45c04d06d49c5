"""``analyze(job, slots)``: why a job does (not) run on a pool; ``analyze_slot(slot, jobs)``: the
machine side.  The counting rules are in :mod:`classad.analysis`."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack, contextmanager

from classad._classad import ClassAd
from classad._exprtree import ExprTree
from classad.analysis.conjuncts import Conjunct, split
from classad.analysis.deps import deps
from classad.analysis.judge import SLOT_FACTS, OtherSide, funnel, judge, matches, reaches_clock
from classad.analysis.matcher import Matcher, Memo
from classad.analysis.outcome import Outcome, Pair
from classad.analysis.pool import machines, slot_name, snapshot_time
from classad.analysis.render import when_text
from classad.analysis.report import Condition, Report, SlotDetail, SlotReport, Suggestion, TimeUsed
from classad.analysis.suggest import missing_attributes, value_suggestions
from classad.ast import Node
from classad.builders import Literal
from classad.clock import clock, now
from classad.errors import ClassAdException
from classad.printer import unparse
from classad.semantics import Mode, get_semantics, semantics

__all__ = ["At", "analyze", "analyze_slot"]

At = str | int | float
"""``"now"``, ``"snapshot"`` or epoch seconds."""


def _resolve_time(at: At, ads: Sequence[ClassAd]) -> TimeUsed:
    snap = snapshot_time(ads)
    if isinstance(at, str):
        if at == "now":
            return TimeUsed("now", now(), snap)
        if at == "snapshot":
            if snap is None:
                raise ValueError(
                    "--at snapshot: the pool has no LastHeardFrom or MyCurrentTime to take its time from"
                )
            return TimeUsed("snapshot", float(snap), snap)
        raise ValueError(f"at must be 'now', 'snapshot' or epoch seconds, not {at!r}")
    if isinstance(at, bool) or not isinstance(at, (int, float)) or at != at:
        raise ValueError(f"at must be 'now', 'snapshot' or epoch seconds, not {at!r}")
    return TimeUsed("fixed", float(at), snap)


@contextmanager
def _context(mode: Mode | None, t: float) -> Iterator[None]:
    with ExitStack() as stack:
        if mode is not None:
            stack.enter_context(semantics(mode))
        stack.enter_context(clock(t))
        yield


def _attr_text(ad: ClassAd, name: str) -> str:
    return unparse(ad.lookup(name)._node)


def _job_conditions(job: ClassAd, conjuncts: Sequence[Conjunct]) -> list[Condition]:
    out: list[Condition] = []
    for i, c in enumerate(conjuncts):
        tree = ExprTree._wrap(c.node, job)
        try:
            flat = job.flatten(tree)
            reduced = repr(flat) if isinstance(flat, ExprTree) else repr(Literal(flat))
        except (ValueError, ClassAdException, TypeError):
            reduced = c.text
        try:
            used = [n for n in job.internalRefs(tree) if n]
        except ValueError:
            used = []
        out.append(Condition(i, c.text, reduced, attributes={n: _attr_text(job, n) for n in used}))
    return out


def _job_label(job: ClassAd) -> str:
    c = job.get("ClusterId")
    p = job.get("ProcId")
    if isinstance(c, int) and isinstance(p, int):
        return f"{c}.{p:03d}"
    return "your job"


def analyze(
    job: ClassAd,
    slots: Iterable[ClassAd],
    *,
    at: At = "now",
    semantics: Mode | None = None,
) -> Report:
    """Analyze ``job`` against the pool ``slots`` (any ads: only the ``Machine`` ones count).

    ``at`` is the evaluation time: ``"now"`` (the clock, as HTCondor does), ``"snapshot"`` (the
    pool's own time, the newest LastHeardFrom/MyCurrentTime) or epoch seconds.  ``semantics``
    pins the mode (default: the mode in force)."""
    ads = list(slots)
    pool, ignored = machines(ads)
    used = _resolve_time(at, pool or ads)
    with _context(semantics, used.time):
        return _analyze(job, pool, ignored, used)


def _analyze(job: ClassAd, pool: list[ClassAd], ignored: int, used: TimeUsed) -> Report:
    req = job._attrs.get("requirements")
    report = Report(
        job=_job_label(job),
        requirements=unparse(req) if req is not None else "",
        semantics=get_semantics(),
        time=used,
        slots=len(pool),
        ignored_ads=ignored,
    )
    conjuncts = split(req) if req is not None else []
    report.conditions = _job_conditions(job, conjuncts)
    if req is not None:
        try:
            report.job_attributes = {
                n: _attr_text(job, n) for n in job.internalRefs(ExprTree._wrap(req, job)) if n
            }
        except ValueError:
            pass
    other = OtherSide()
    per_slot: list[list[Outcome]] = []
    drains: list[str] = []
    keys = Matcher(job, also=SLOT_FACTS)
    memo = Memo()
    for index, slot in enumerate(pool):
        k = keys.memo_key(slot, memo)
        j = memo.table.get(k) if k is not None else None
        if j is None:
            j = judge(job, slot, req, conjuncts)
            if k is not None:
                memo.store(k, j, slot)
        else:
            memo.hits += 1
        per_slot.append(j.outs)
        funnel(report.conditions, j.outs)
        if not j.job_ok:
            report.rejected_by_job += 1
        else:
            other.record(j.slot_side, slot, job)
            if not j.slot_ok:
                report.rejected_by_slot += 1
                report.clock_refusals += j.clock_only
            else:
                report.matched += 1
                if j.claim == "available":
                    report.available += 1
                elif j.claim == "yours":
                    report.running_yours += 1
                else:
                    report.serving_others += 1
        if j.partitionable:
            report.partitionable += 1
            if j.drains:
                report.match_after_drain += 1
                drains.append(slot_name(slot, index))
    for i, c in enumerate(conjuncts):
        report.conditions[i].clock = (
            any(reaches_clock(c.node, job, s) for s in pool[:1]) or deps(c.node).clock
        )
    report.slot_conditions = other.conditions
    report.slot_refusal = other.most_failing()
    _suggest(report, job, conjuncts, pool, drains)
    if len(pool) == 1:
        report.slot_detail = _detail(job, conjuncts, pool[0], per_slot[0])
    return report


def _suggest(
    report: Report,
    job: ClassAd,
    conjuncts: Sequence[Conjunct],
    pool: Sequence[ClassAd],
    drains: Sequence[str],
) -> None:
    report.missing_attributes, missing = missing_attributes(job, conjuncts, pool)
    report.suggestions.extend(missing)
    report.suggestions.extend(value_suggestions(job, conjuncts, report.conditions, pool))
    if report.slot_refusal is not None and report.rejected_by_slot:
        c = report.slot_conditions[report.slot_refusal]
        n = c.evaluated - c.matched_alone
        lacking = _lacking(job, c.text)
        why = f"; your job does not define {' or '.join(lacking)}" if lacking else ""
        report.suggestions.append(
            Suggestion(
                None,
                "slot_refusal",
                f"The slots' condition that refuses your job most often is: {c.text}"
                f" ({n} slot{'s' * (n != 1)}){why}",
            )
        )
    if report.match_after_drain:
        n = report.match_after_drain
        report.suggestions.append(
            Suggestion(
                None,
                "drain",
                f"{n} partitionable slot{'s' * (n != 1)} would match once drained ({_names(drains)}): your"
                " job needs more than they have left now, but not more than they have in all",
            )
        )
    if report.clock_refusals and report.time.mode != "snapshot":
        n = report.clock_refusals
        when = (
            f" (the pool dump was taken at {when_text(report.time.snapshot)})" if report.time.snapshot else ""
        )
        report.suggestions.append(
            Suggestion(
                None,
                "clock",
                f"{n} slot{'s' * (n != 1)} refuse{'s' * (n == 1)} your job only through conditions that read"
                f" the clock, evaluated at {when_text(report.time.time)}{when}; the dump may be older"
                " than the slots' lifetime: try --at snapshot",
            )
        )
    if report.slots and not report.matched:
        report.warnings.append("No machines matched the job's constraints")
    if not report.slots:
        report.warnings.append("The pool has no Machine ads")


def _names(names: Sequence[str], shown: int = 3) -> str:
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def _lacking(job: ClassAd, text: str) -> list[str]:
    """The ``TARGET.x`` attributes condition ``text`` (written in a slot) uses that the job lacks."""
    try:
        refs = ClassAd().externalRefs(text)
    except ValueError:
        return []
    out = []
    for r in refs:
        scope, _, name = r.rpartition(".")
        if scope.lower() in ("target", "other") and name not in job and name not in out:
            out.append(name)
    return out


def _detail(
    job: ClassAd, conjuncts: Sequence[Conjunct], slot: ClassAd, outs: Sequence[Outcome]
) -> SlotDetail:
    attributes: list[dict[str, str]] = []
    for c in conjuncts:
        names = sorted(n for n in deps(c.node).names if n in slot and (n not in job or _targets(c.node, n)))
        attributes.append({slot_name_of(slot, n): _attr_text(slot, n) for n in names})
    return SlotDetail(slot_name(slot, 0), list(outs), attributes)


def slot_name_of(ad: ClassAd, lname: str) -> str:
    """The spelling ``ad`` gives its attribute ``lname``."""
    for k in ad:
        if k.lower() == lname:
            return k
    return lname


def _targets(node: Node, lname: str) -> bool:
    try:
        refs = ClassAd().externalRefs(ExprTree._wrap(node, None))
    except ValueError:
        return False
    return any(r.lower() in (f"target.{lname}", f"other.{lname}") for r in refs)


def analyze_slot(
    slot: ClassAd,
    jobs: Iterable[ClassAd],
    *,
    at: At = "now",
    semantics: Mode | None = None,
) -> SlotReport:
    """The machine side: which of ``jobs`` the slot's Requirements accepts, condition by
    condition, and which jobs refuse the slot by their own Requirements."""
    js = list(jobs)
    used = _resolve_time(at, [slot])
    with _context(semantics, used.time):
        req = slot._attrs.get("requirements")
        report = SlotReport(
            slot=slot_name(slot, 0),
            requirements=unparse(req) if req is not None else "",
            semantics=get_semantics(),
            time=used,
            jobs=len(js),
        )
        conjuncts = split(req, slot) if req is not None else []
        report.conditions = [Condition(i, c.text, c.text) for i, c in enumerate(conjuncts)]
        other = OtherSide()
        for job in js:
            pair = Pair(slot, job)
            funnel(report.conditions, [pair.outcome(c.node) for c in conjuncts])
            if not matches(slot, job):
                report.rejected_by_slot += 1
                continue
            _, job_ok = other.add(job, slot)
            if job_ok:
                report.matched += 1
            else:
                report.rejected_by_job += 1
        for cond, c in zip(report.conditions, conjuncts):
            cond.clock = any(reaches_clock(c.node, slot, j) for j in js[:1]) or deps(c.node).clock
        report.job_conditions = other.conditions
        report.job_refusal = other.most_failing()
        if js and not report.matched:
            report.warnings.append("No jobs matched the slot's constraints")
        return report
