"""Suggestions a person can act on, read from how the pool takes each condition of the job.

* ``numeric_bound``: a comparison of a slot attribute with a job-side number that some slots fail
  (``TARGET.Memory >= RequestMemory``): the loosest value that still satisfies the condition on
  some slots, and on how many (``RequestMemory <= 65536 would satisfy it on 12 slots``).
* ``string_values``: an equality of a slot attribute with a job-side string that some slots fail:
  the values the pool has, most common first.
* ``unknown_attribute``: a slot attribute (``TARGET.HasGPU``) no slot defines, with the pool's
  attribute names that are close to it (``difflib``), and ``missing_job_attribute``: the same for
  an attribute of the job that the job does not define.

Numbers and strings are compared as the slot ads hold them (literals or evaluated alone); the
counts are of slots, over all slots.
"""

from __future__ import annotations

import difflib
from collections import Counter
from collections.abc import Sequence

from classad._classad import ClassAd
from classad._exprtree import ExprTree
from classad.analysis.conjuncts import Conjunct
from classad.analysis.outcome import value_of
from classad.analysis.report import Condition, MissingAttribute, Suggestion
from classad.ast import AttrRef, Chain, Node, strip_parens
from classad.errors import ClassAdException
from classad.printer import format_literal, unparse
from classad.semantics import is_old

__all__ = ["missing_attributes", "value_suggestions"]

_FLIP = {"<": ">", "<=": ">=", ">": "<", ">=": "<=", "==": "==", "=?=": "=?=", "is": "is"}
_TOP_VALUES = 5
_CLOSE = 3


def _slot_attribute(node: Node, job: ClassAd) -> str | None:
    """The slot attribute ``node`` names: ``TARGET.x`` (or, in old semantics, an unscoped name the
    job does not define, which falls back to the slot)."""
    node = strip_parens(node)
    if node.__class__ is not AttrRef:
        return None
    assert isinstance(node, AttrRef)
    if node.absolute:
        return None
    base = node.base
    if base is None:
        return node.name if is_old() and node.name not in job else None
    if base.__class__ is AttrRef:
        assert isinstance(base, AttrRef)
        if base.base is None and not base.absolute and base.lname in ("target", "other"):
            return node.name
    return None


def _mentions_target(node: Node, job: ClassAd) -> bool:
    from classad.analysis.deps import deps

    names = deps(node).names
    return "target" in names or "other" in names


def _number(v: object) -> float | int | None:
    if isinstance(v, (int, float)) and not isinstance(v, bool) and v == v:
        return v
    return None


def _slot_value(slot: ClassAd, name: str) -> object:
    if name not in slot:
        return None
    try:
        return slot.eval(name)
    except ClassAdException:
        return None


def _show(v: int | float) -> str:
    return format_literal(v)


def _numeric(
    cond: Condition, name: str, op: str, y: Node, value: float | int, slots: Sequence[ClassAd]
) -> Suggestion | None:
    values = [n for n in (_number(_slot_value(s, name)) for s in slots) if n is not None]
    if not values:
        return None
    # slot.X >= Y: Y may be at most some X; slot.X <= Y: Y must be at least some X.  Offer the
    # loosest bound (a single slot passes), then those that let a tenth and half the slots pass.
    loose = op in (">=", ">")
    ordered = sorted(values, reverse=loose)
    picks: list[int | float] = []
    for k in (1, max(1, len(values) // 10), max(1, len(values) // 2)):
        v = ordered[k - 1]
        if v not in picks:
            picks.append(v)
    rel = {">=": "<=", ">": "<", "<=": ">=", "<": ">"}[op]
    parts = []
    for bound in picks:
        count = sum(1 for v in values if (v >= bound if loose else v <= bound))
        parts.append(f"{rel} {_show(bound)} on {count} slot{'s' * (count != 1)}")
    return Suggestion(
        cond.index,
        "numeric_bound",
        f"{y_text(y)} is {_show(value)}, which no slot satisfies; {y_text(y)} {', '.join(parts)}"
        f" would satisfy it ({_spread(name, values)})",
    )


def _spread(name: str, values: list[int | float]) -> str:
    lo, hi = min(values), max(values)
    if lo == hi:
        return f"every slot that defines TARGET.{name} has {_show(lo)}"
    return f"the pool's TARGET.{name} goes from {_show(lo)} to {_show(hi)}"


def y_text(y: Node) -> str:
    """How a suggestion names the job's side of a comparison."""
    y = strip_parens(y)
    if y.__class__ is AttrRef:
        assert isinstance(y, AttrRef)
        if y.base is None or (y.base.__class__ is AttrRef and y.base.lname == "my"):
            return y.name
    return unparse(y)


def _strings(cond: Condition, name: str, slots: Sequence[ClassAd]) -> Suggestion | None:
    counts: Counter[str] = Counter()
    spelling: dict[str, Counter[str]] = {}
    for s in slots:
        v = _slot_value(s, name)
        if isinstance(v, str):
            counts[v.lower()] += 1
            spelling.setdefault(v.lower(), Counter())[v] += 1
    if not counts:
        return None
    shown = [
        f"{format_literal(spelling[k].most_common(1)[0][0])} ({n} slot{'s' * (n != 1)})"
        for k, n in counts.most_common(_TOP_VALUES)
    ]
    more = len(counts) - _TOP_VALUES
    tail = f" and {more} other value{'s' * (more != 1)}" if more > 0 else ""
    return Suggestion(cond.index, "string_values", f"TARGET.{name} in the pool: {', '.join(shown)}{tail}")


def value_suggestions(
    job: ClassAd, conjuncts: Sequence[Conjunct], conditions: Sequence[Condition], slots: Sequence[ClassAd]
) -> list[Suggestion]:
    """``numeric_bound`` and ``string_values`` suggestions for the conditions some slots fail."""
    out: list[Suggestion] = []
    for conj, cond in zip(conjuncts, conditions):
        if cond.matched_alone * 2 >= len(slots):
            continue
        node = conj.node
        if node.__class__ is not Chain:
            continue
        assert isinstance(node, Chain)
        if len(node.ops) != 1 or node.ops[0] not in _FLIP:
            continue
        left, right = node.operands
        op = node.ops[0]
        name = _slot_attribute(left, job)
        y = right
        if name is None or _mentions_target(right, job):
            name = _slot_attribute(right, job)
            y = left
            op = _FLIP[op]
            if name is None or _mentions_target(left, job):
                continue
        yv = value_of(y, job, None)
        got: Suggestion | None = None
        if op in ("<", "<=", ">", ">=") and _number(yv) is not None and not cond.matched_alone:
            got = _numeric(cond, name, op, y, yv, slots)
        elif isinstance(yv, str) or (op in ("==", "=?=", "is") and _number(yv) is not None):
            got = _strings(cond, name, slots) if isinstance(yv, str) else None
        if got is not None:
            out.append(got)
    return out


class _Names:
    """The attribute names a list of ads defines (folded), spelled as the first ad defining each
    spells it; built in bulk (the ads' key sets are merged at C speed)."""

    def __init__(self, ads: Sequence[ClassAd]) -> None:
        self._ads = ads
        self.folded: set[str] = set().union(*(a._attrs.keys() for a in ads))

    def __contains__(self, lname: str) -> bool:
        return lname in self.folded

    def spelling(self, lname: str) -> str:
        for a in self._ads:
            name = a._names.get(lname)
            if name is not None:
                return name
        return lname

    def close(self, name: str) -> list[str]:
        found = difflib.get_close_matches(name.lower(), sorted(self.folded), n=_CLOSE, cutoff=0.75)
        return [self.spelling(f) for f in found]


def missing_attributes(
    job: ClassAd, conjuncts: Sequence[Conjunct], slots: Sequence[ClassAd]
) -> tuple[list[MissingAttribute], list[Suggestion]]:
    """The attributes the job's conditions refer to that no ad on their side defines, and a
    suggestion for each."""
    pool = _Names(slots)
    own = _Names([job])
    found: dict[tuple[str, str], MissingAttribute] = {}
    for i, conj in enumerate(conjuncts):
        try:
            refs = job.externalRefs(ExprTree._wrap(conj.node, job))
        except ValueError:
            continue
        for ref in refs:
            if not ref:
                continue
            scope, _, name = ref.rpartition(".")
            scope_l = scope.lower()
            if scope_l in ("target", "other"):
                if name.lower() in pool:
                    continue
                key = ("TARGET", name.lower())
                close = pool.close(name)
            elif scope_l in ("", "my"):
                if name.lower() in own:
                    continue
                if scope_l == "" and is_old() and name.lower() in pool:
                    continue  # falls back to the slot, which has it
                key = ("MY", name.lower())
                close = own.close(name)
                if scope_l == "" and is_old():
                    close += [c for c in pool.close(name) if c not in close]
            else:
                continue
            entry = found.get(key)
            if entry is None:
                found[key] = MissingAttribute(name, key[0], [i], close)
            elif i not in entry.conditions:
                entry.conditions.append(i)
    suggestions: list[Suggestion] = []
    for m in found.values():
        where = ", ".join(f"[{i}]" for i in m.conditions)
        hint = f"; did you mean {' or '.join(m.close)}?" if m.close else ""
        if m.scope == "TARGET":
            text = f"No slot defines {m.name} (used by {where}){hint}"
            kind = "unknown_attribute"
        else:
            text = f"Your job does not define {m.name} (used by {where}){hint}"
            kind = "missing_job_attribute"
        suggestions.append(Suggestion(m.conditions[0], kind, text))
    return list(found.values()), suggestions
