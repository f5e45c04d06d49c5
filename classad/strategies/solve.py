"""``ads_satisfying(expr)`` and ``ads_violating(expr)``: the other side of a match for a policy.

The policy is split by :func:`classad.strategies.clauses.clauses`; the constraints on each
target attribute are *solved*: equality picks the value (a string in a random letter case, as
``==`` ignores case), bounds give an integer or real range, ``!=`` excludes values, membership
picks an item, ``isUndefined`` leaves the attribute out.  So a ten-clause START policy yields an
example per draw, with no filtering.  Clauses of other shapes are handled by bounded filtering:
up to ``budget`` candidates (fresh values for the attributes they refer to) per example; an
example where none passes is rejected (Hypothesis draws another), and after
:data:`GIVE_UP_AFTER` such examples in a row a :class:`GaveUpWarning` says which clauses
could not be met.  Constraints that contradict each other (``x > 5 && x < 3``), or the
``base`` ad, raise :class:`GaveUp` at once.  Every example is checked by
evaluating the whole policy with this library.

``ads_violating`` solves all constraints but one, which it negates (or leaves the attribute
undefined), so its examples are near misses: exactly one clause fails.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Mapping
from typing import Any, Final

from hypothesis import note, reject
from hypothesis import strategies as st

from classad._classad import ClassAd
from classad._exprtree import ExprTree
from classad.ast import (
    AttrRef,
    children,
)
from classad.strategies.atoms import g16, strings, values
from classad.strategies.clauses import Constraint, Policy, clauses, negate

__all__ = ["GaveUp", "GaveUpWarning", "ads_satisfying", "ads_violating", "evaluates_true"]

DEFAULT_BUDGET: Final = 50
GIVE_UP_AFTER: Final = 20
_NUM_LIMIT: Final = 2**62
_ABSENT: Final = object()


class GaveUp(ValueError):
    """Bounded filtering found no ad for a policy within its budget."""


def evaluates_true(expr: ExprTree, my: ClassAd, ad: ClassAd) -> bool:
    """Whether ``expr``, evaluated in ``my`` with ``ad`` as TARGET, is ``true``."""
    try:
        return expr.eval(scope=my, target=ad) is True
    except Exception:
        return False


def _ascii_case(draw: st.DrawFn, s: str) -> str:
    flips = draw(st.lists(st.booleans(), min_size=len(s), max_size=len(s)))
    return "".join(ch.swapcase() if f and ch.isascii() else ch for ch, f in zip(s, flips))


def _same(a: Any, b: Any) -> bool:
    """ClassAd ``==`` on plain values (strings ignore ASCII case)."""
    if isinstance(a, str) and isinstance(b, str):
        return a.lower() == b.lower()
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b
    return False


def _identical(a: Any, b: Any) -> bool:
    return type(a) is type(b) and (a == b or (isinstance(a, float) and math.isnan(a) and math.isnan(b)))


def _holds(c: Constraint, v: Any) -> bool:
    """Whether ``v`` (or :data:`_ABSENT`) satisfies ``c``."""
    op = c.op
    if op == "absent":
        return v is _ABSENT
    if op == "present":
        return v is not _ABSENT
    if op == "isnt":
        return v is _ABSENT or not _identical(v, c.value)
    if v is _ABSENT:
        return False
    if op == "is":
        return _identical(v, c.value)
    if op in ("in", "notin"):
        eq = _identical if c.exact else _same
        found = any(eq(v, item) for item in c.value)
        return found if op == "in" else (not found and _comparable(v, c.value[0]))
    if op == "==":
        return _same(v, c.value)
    if op == "!=":
        return _comparable(v, c.value) and not _same(v, c.value)
    if not (_numeric(v) and _numeric(c.value)):
        return False
    result: bool = {"<": v < c.value, "<=": v <= c.value, ">": v > c.value, ">=": v >= c.value}[op]
    return result


def _numeric(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool)


def _comparable(a: Any, b: Any) -> bool:
    if isinstance(a, str) or isinstance(b, str):
        return isinstance(a, str) and isinstance(b, str)
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool)
    return _numeric(a) and _numeric(b)


def _candidates(cs: list[Constraint]) -> st.SearchStrategy[Any] | None:
    """Values (or :data:`_ABSENT`) meant to satisfy all of ``cs``; None if they cannot be solved."""
    ops = {c.op for c in cs}
    if "absent" in ops or ops <= {"isnt"}:
        if all(_holds(c, _ABSENT) for c in cs):
            return st.just(_ABSENT)
        return None
    for c in cs:
        if c.op in ("is", "==") or c.op == "in":
            pool = c.value if c.op == "in" else (c.value,)
            exact = c.op == "is" or c.exact
            options = [v for v in pool if all(_holds(d, v) for d in cs)]
            if not options:
                return None

            @st.composite
            def pick(draw: st.DrawFn, options: list[Any] = options, exact: bool = exact) -> Any:
                v = draw(st.sampled_from(options))
                if isinstance(v, str) and not exact:
                    v2 = _ascii_case(draw, v)
                    if all(_holds(d, v2) for d in cs):
                        return v2
                return v

            return pick()
    # only bounds, != and notin/isnt/present remain
    samples = [c.value for c in cs if c.op not in ("present", "isnt")]
    if any(isinstance(v, str) for v in samples):
        if any(c.op in ("<", "<=", ">", ">=") for c in cs):
            return None
        return strings(max_size=8).filter(lambda s: all(_holds(c, s) for c in cs))
    if any(isinstance(v, bool) for v in samples) or not samples:
        if not samples:
            return values(containers=False, times=False).filter(lambda v: all(_holds(c, v) for c in cs))
        return st.booleans().filter(lambda v: all(_holds(c, v) for c in cs))
    if not all(_numeric(v) for v in samples):
        return None
    lo, hi = -math.inf, math.inf
    lo_open = hi_open = False
    for c in cs:
        if c.op in (">", ">=") and (c.value > lo or (c.value == lo and c.op == ">")):
            lo, lo_open = c.value, c.op == ">"
        if c.op in ("<", "<=") and (c.value < hi or (c.value == hi and c.op == "<")):
            hi, hi_open = c.value, c.op == "<"
    ok = lambda v: all(_holds(c, v) for c in cs)  # noqa: E731
    if all(isinstance(v, int) for v in samples):
        ilo = -_NUM_LIMIT if lo == -math.inf else (math.floor(lo) + 1 if lo_open else math.ceil(lo))
        ihi = _NUM_LIMIT if hi == math.inf else (math.ceil(hi) - 1 if hi_open else math.floor(hi))
        if ilo > ihi:
            return None
        # values near the bounds first: they are where policies go wrong
        ends = [v for v, b in ((ilo, lo), (ihi, hi)) if math.isfinite(b)]
        near = [v for e in ends for v in (e, e + 1, e - 1) if ilo <= v <= ihi]
        ints = st.integers(ilo, ihi)
        return (st.one_of(st.sampled_from(near), ints) if near else ints).filter(ok)
    if lo > hi or (lo == hi and (lo_open or hi_open)):
        return None
    flo = None if lo == -math.inf else float(lo)
    fhi = None if hi == math.inf else float(hi)
    reals = st.floats(
        flo,
        fhi,
        exclude_min=lo_open and flo is not None,
        exclude_max=hi_open and fhi is not None,
        allow_nan=False,
        allow_infinity=False,
    )
    return reals.map(g16).filter(ok)


def _group(constraints: tuple[Constraint, ...], base: ClassAd) -> dict[str, tuple[str, list[Constraint]]]:
    groups: dict[str, tuple[str, list[Constraint]]] = {}
    for c in constraints:
        key = c.attr.lower()
        if key in base:
            continue  # base keeps its value; the final check sees whether it fits
        groups.setdefault(key, (c.attr, []))[1].append(c)
    return groups


def _referenced(policy: Policy, my: ClassAd) -> list[str]:
    """The target attributes residual clauses mention (unscoped names my lacks, TARGET.x)."""
    names: dict[str, str] = {}
    for node in policy.residual:
        stack = [node]
        seen = 0
        while stack and seen < 10000:
            seen += 1
            n = stack.pop()
            if isinstance(n, AttrRef):
                if n.base is None and n.name not in my and n.lname not in ("my", "target"):
                    names.setdefault(n.lname, n.name)
                elif isinstance(n.base, AttrRef) and n.base.base is None and n.base.lname == "target":
                    names.setdefault(n.lname, n.name)
            stack.extend(children(n))
    return sorted(names.values())


def _prepare(
    expr: ExprTree | str, base: ClassAd | Mapping[str, Any] | None, my: ClassAd | Mapping[str, Any] | None
) -> tuple[ExprTree, ClassAd, ClassAd]:
    tree = expr if isinstance(expr, ExprTree) else ExprTree(expr)
    base_ad = base if isinstance(base, ClassAd) else ClassAd(base or {})
    my_ad = my if isinstance(my, ClassAd) else ClassAd(my or {})
    return tree, base_ad, my_ad


Solved = list[tuple[str, st.SearchStrategy[Any] | None, str]]


class GaveUpWarning(UserWarning):
    """Filtering keeps failing for a policy: the message names the clauses it cannot meet."""


class _Tally:
    """Counts the examples a strategy rejected since it last found one.  A rejected example
    makes Hypothesis draw another; after :data:`GIVE_UP_AFTER` in a row a
    :class:`GaveUpWarning` names the clauses (Hypothesis then reports the filtering as too
    strict).  The count never changes what is drawn, so generation stays deterministic."""

    def __init__(self) -> None:
        self.failures = 0
        self.warned = False

    def found(self, ad: ClassAd) -> ClassAd:
        self.failures = 0
        return ad

    def give_up(self, reason: str) -> ClassAd:
        self.failures += 1
        if self.failures >= GIVE_UP_AFTER and not self.warned:
            self.warned = True
            warnings.warn(f"{reason} ({self.failures} examples in a row)", GaveUpWarning, stacklevel=2)
        note(reason)
        reject()
        raise AssertionError("unreachable")  # reject() raises


def _solve(groups: dict[str, tuple[str, list[Constraint]]]) -> Solved:
    """Per attribute: its name, the strategy solving its constraints (None: contradictory), and
    the constraints' text."""
    return [(name, _candidates(cs), " && ".join(c.text for c in cs)) for name, cs in groups.values()]


def _fill(draw: st.DrawFn, ad: ClassAd, solved: Solved, failed: list[str]) -> bool:
    for name, strategy, text in solved:
        if strategy is None:
            failed.append(text)
            return False
        v = draw(strategy)
        if v is not _ABSENT:
            ad[name] = v
    return True


def _free_values() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.integers(-4, 4096), st.booleans(), strings(max_size=6), st.sampled_from(["X86_64", "LINUX"])
    )


def ads_satisfying(
    expr: ExprTree | str,
    base: ClassAd | Mapping[str, Any] | None = None,
    *,
    my: ClassAd | Mapping[str, Any] | None = None,
    budget: int = DEFAULT_BUDGET,
) -> st.SearchStrategy[ClassAd]:
    """Ads for which ``expr``, evaluated with ``my`` (default: an empty ad) as MY and the
    example as TARGET, is ``true``: the other side of a match for a policy.

    Every example has all of ``base``'s attributes (``base`` wins where it sets an attribute the
    policy constrains).  Raises :class:`GaveUp` during generation when the constraints
    contradict each other or ``base``; warns (:class:`GaveUpWarning`) when the clauses that
    could not be solved defeat filtering (see the module docstring).
    """
    tree, base_ad, my_ad = _prepare(expr, base, my)
    policy = clauses(tree, my_ad)
    groups = _group(policy.constraints, base_ad)
    solved = _solve(groups)
    tally = _Tally()
    free = [n for n in _referenced(policy, my_ad) if n.lower() not in base_ad and n.lower() not in groups]

    @st.composite
    def build(draw: st.DrawFn) -> ClassAd:
        failed: list[str] = []
        for _ in range(max(1, budget)):
            ad = ClassAd(base_ad)
            if not _fill(draw, ad, solved, failed):
                break
            for name in free:
                if draw(st.sampled_from((True, False))):
                    ad[name] = draw(_free_values())
            if evaluates_true(tree, my_ad, ad):
                return tally.found(ad)
            if not policy.residual and not free:
                failed.append("(the base ad or my ad contradicts the policy)")
                break
        residual = "; ".join(repr(ExprTree._wrap(n, None)) for n in policy.residual) or "none"
        reason = (
            f"ads_satisfying gave up on {tree!r} after {budget} candidates: "
            f"unsolved clauses: {residual}; contradictory: {'; '.join(failed) or 'none'}"
        )
        if failed:
            raise GaveUp(reason)  # a contradiction: no draw can do better
        return tally.give_up(reason)

    return build()


def ads_violating(
    expr: ExprTree | str,
    base: ClassAd | Mapping[str, Any] | None = None,
    *,
    my: ClassAd | Mapping[str, Any] | None = None,
    budget: int = DEFAULT_BUDGET,
) -> st.SearchStrategy[ClassAd]:
    """Ads for which ``expr`` (as in :func:`ads_satisfying`) is anything but ``true``.

    When the policy splits into constraints, each example meets all of them but one, which it
    breaks (by a wrong value or by leaving the attribute out), so examples are near misses.
    """
    tree, base_ad, my_ad = _prepare(expr, base, my)
    policy = clauses(tree, my_ad)
    solvable = [c for c in policy.constraints if c.attr.lower() not in base_ad]
    # per constraint to break: the others solved, and the broken one's attribute
    plans: list[tuple[Solved, str, st.SearchStrategy[Any] | None, st.SearchStrategy[Any] | None]] = []
    for broken in solvable:
        key = broken.attr.lower()
        rest = tuple(c for c in policy.constraints if c.attr.lower() != key)
        same = [c for c in policy.constraints if c.attr.lower() == key and c is not broken]
        plans.append(
            (
                _solve(_group(rest, base_ad)),
                broken.attr,
                _candidates([negate(broken), *same]),
                _candidates([negate(broken)]),
            )
        )
    tally = _Tally()
    referenced = [n for n in _referenced(policy, my_ad) if n.lower() not in base_ad]

    @st.composite
    def build(draw: st.DrawFn) -> ClassAd:
        for _ in range(max(1, budget)):
            ad = ClassAd(base_ad)
            if plans:
                solved, name, near_miss, any_miss = draw(st.sampled_from(plans))
                if not _fill(draw, ad, solved, []):
                    continue
                strategy = near_miss if near_miss is not None and draw(st.booleans()) else any_miss
                if strategy is not None:
                    v = draw(strategy)
                    if v is not _ABSENT:
                        ad[name] = v
            else:
                for name in referenced:
                    if draw(st.sampled_from((True, False))):
                        ad[name] = draw(_free_values())
            if not evaluates_true(tree, my_ad, ad):
                return tally.found(ad)
        return tally.give_up(
            f"ads_violating gave up on {tree!r} after {budget} candidates: every one made it true"
        )

    return build()
