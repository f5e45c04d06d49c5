"""Why one side's ``Requirements`` is (not) true against the other, clause by clause, told with the
match analysis of :mod:`classad.analysis`.

The analysis owns the rules: a clause is one of its conditions (:func:`classad.analysis.conjuncts.split`,
with references to the ad's own conjunctions such as ``START`` opened up), evaluated in the
match context ``symmetricMatch`` builds (:class:`classad.analysis.outcome.Pair`) and counted
``true``/``false``/``undefined``/``error`` as matchmaking counts it; the job side's reduced text
(its own attributes substituted) and the suggestions come from
:func:`classad.analysis.analyze` run on the one slot.  What this module adds is the view of a
single pair: for every clause, the value of each attribute it refers to and the side that value
came from.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from classad._classad import ClassAd
from classad._exprtree import ExprTree
from classad.analysis import analyze
from classad.analysis.conjuncts import split
from classad.analysis.outcome import Outcome, Pair, classify, truth
from classad.analysis.pool import is_machine
from classad.analysis.report import Report
from classad.ast import AttrRef, Node, children
from classad.ast import Literal as LiteralNode
from classad.builders import Literal
from classad.convert import to_python

__all__ = ["Clause", "Side", "explain_side", "job_analysis", "show_value"]

_MAX_REFS: Final = 20
_WALK: Final = 10_000


@dataclass(frozen=True)
class Clause:
    """One condition of a Requirements: its index (from 0, as ``condor_q -better-analyze``
    numbers them), its text, its reduced text (job side only, else the text), its raw value and
    outcome in the match, and the attributes it refers to as ``(reference, value, side)``."""

    index: int
    text: str
    reduced: str
    value: Any
    outcome: Outcome
    refs: tuple[tuple[str, str, str], ...]


@dataclass(frozen=True)
class Side:
    """One ad's Requirements against the other ad: its text, its value, whether matchmaking
    takes it as true, and its clauses."""

    name: str
    other: str
    requirements: str | None
    value: Any
    ok: bool
    clauses: tuple[Clause, ...]


def show_value(value: Any) -> str:
    """A raw value as ClassAd text (strings quoted)."""
    try:
        py = to_python(value)
    except Exception:
        return "<not valid UTF-8>"
    return repr(py) if isinstance(py, ExprTree) else repr(Literal(py))


def _refs(
    node: Node, pair: Pair, my: ClassAd, target: ClassAd, names: tuple[str, str]
) -> tuple[tuple[str, str, str], ...]:
    """The attribute references of ``node`` with the value each has and the side it came from
    (a bare name is looked up in ``my`` first, then in ``target``, as matchmaking does), and
    those of the expressions of ``my``'s own that it refers to."""
    my_name, target_name = names
    out: dict[str, tuple[str, str, str]] = {}
    followed: set[str] = set()
    stack = [node]
    seen = 0
    while stack and seen < _WALK and len(out) < _MAX_REFS:
        seen += 1
        n = stack.pop()
        if not isinstance(n, AttrRef) or n.absolute:
            stack.extend(reversed(children(n)))
            continue
        scope = n.base.lname if isinstance(n.base, AttrRef) and n.base.base is None else None
        if n.base is None and n.lname not in ("my", "target", "other"):
            ad, side = (my, my_name) if n.name in my else (target, target_name)
        elif scope == "my":
            ad, side = my, my_name
        elif scope in ("target", "other"):
            ad, side = target, target_name
        else:
            stack.extend(reversed(children(n)))
            continue
        text = repr(ExprTree._wrap(n, None))
        if n.name in ad:
            # the reference evaluated where it is written, so TARGET.x gives the slot's x as
            # the job sees it (its expression evaluated in the slot against the job)
            shown = show_value(pair.value(n))
            own = ad._attrs[n.lname]
            if ad is my and not isinstance(own, LiteralNode) and n.lname not in followed:
                # an expression of this ad's own (START): the attributes it uses, too
                followed.add(n.lname)
                stack.append(own)
        else:
            shown = "undefined (not in the ad)"
        out.setdefault(text.lower(), (text, shown, side))
    return tuple(out.values())


def explain_side(
    my: ClassAd, target: ClassAd, my_name: str, target_name: str, job_report: Report | None = None
) -> Side:
    """``my``'s Requirements evaluated with ``target`` as TARGET, condition by condition.

    With ``job_report`` (the analysis of the job ``my`` against the slot ``target``), the
    conditions are the analysis' own (numbered as its suggestions number them) with their
    reduced texts; without it, ``my`` is the slot, whose references to its own conjunctions
    (``START``) are opened up as the analysis opens up a slot's side."""
    req = my._attrs.get("requirements")
    if req is None:
        return Side(my_name, target_name, None, "<no Requirements>", False, ())
    pair = Pair(my, target)
    value = pair.value(req)
    conjuncts = split(req) if job_report is not None else split(req, my)
    reduced = [c.reduced for c in job_report.conditions] if job_report is not None else []
    clauses = []
    for i, c in enumerate(conjuncts):
        v = pair.value(c.node)
        refs = _refs(c.node, pair, my, target, (my_name, target_name))
        shown = reduced[i] if i < len(reduced) else c.text
        clauses.append(Clause(i, c.text, shown, v, classify(v), refs))
    return Side(my_name, target_name, repr(ExprTree._wrap(req, None)), value, truth(value), tuple(clauses))


def job_analysis(job: ClassAd, slot: ClassAd) -> Report:
    """:func:`classad.analysis.analyze` of ``job`` on the one ``slot`` (a slot without
    ``MyType = "Machine"`` is analyzed as a copy that has it, as the analysis counts only
    Machine ads)."""
    if not is_machine(slot):
        slot = ClassAd(slot)
        slot["MyType"] = "Machine"
    return analyze(job, [slot])
