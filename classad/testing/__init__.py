"""Assertions for tests that use ClassAds (no test framework needed; pytest shows the messages).

* :func:`assert_same_ad` compares two ads attribute by attribute (names case-insensitively,
  values structurally, as ``ClassAd.__eq__``) and lists what differs;
* :func:`assert_matches` / :func:`assert_no_match` check ``job.symmetricMatch(slot)``; a failed
  check explains each side's ``Requirements`` clause by clause: which clause is not true on
  which side, and the value of every attribute it refers to, with the ad it came from.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from classad._classad import ClassAd
from classad.testing._explain import Clause, explain_side, requirements_value, show_value

__all__ = ["assert_matches", "assert_no_match", "assert_same_ad", "explain_match"]


def _ad(x: ClassAd | Mapping[str, Any] | str, what: str) -> ClassAd:
    if isinstance(x, ClassAd):
        return x
    if isinstance(x, (str, Mapping)):
        return ClassAd(x)
    raise TypeError(f"{what} must be a ClassAd, a mapping or ad text, got {type(x).__name__}")


def _text(ad: ClassAd, key: str) -> str:
    return repr(ad.lookup(key))


def assert_same_ad(a: ClassAd | Mapping[str, Any] | str, b: ClassAd | Mapping[str, Any] | str) -> None:
    """Fail unless ``a`` and ``b`` hold the same attributes with structurally equal values; the
    message lists attributes only in one of them and those whose values differ."""
    left, right = _ad(a, "a"), _ad(b, "b")
    if left == right:
        return
    lines = ["the ads differ:"]
    for k in left:
        if k not in right:
            lines.append(f"  only in the first:  {k} = {_text(left, k)}")
    for k in right:
        if k not in left:
            lines.append(f"  only in the second: {k} = {_text(right, k)}")
    for k in left:
        if k in right and left.lookup(k) != right.lookup(k):
            lines.append(f"  {k}: {_text(left, k)}  !=  {_text(right, k)}")
    raise AssertionError("\n".join(lines))


def _describe(clauses: list[Clause], only_failing: bool) -> list[str]:
    lines = []
    total = len(clauses)
    for i, c in enumerate(clauses, 1):
        if only_failing and c.value is True:
            continue
        where = "" if c.origin == "Requirements" else f" (from {c.origin})"
        lines.append(f"    clause {i} of {total}{where}: {c.text}  ->  {_value(c.value)}")
        for ref, shown, side in c.refs:
            lines.append(f"        {ref} = {shown}   [{side}]")
    return lines


def _value(v: Any) -> str:
    if isinstance(v, str) and v.startswith("<"):
        return v
    return show_value(v)


def explain_match(job: ClassAd, slot: ClassAd) -> str:
    """Both sides of the match of ``job`` and ``slot``, clause by clause (the text the
    assertions show)."""
    lines = []
    for my, target, me, other in ((job, slot, "job", "slot"), (slot, job, "slot", "job")):
        value = requirements_value(my, target)
        ok = value is True
        lines.append(f"  {me}'s Requirements against the {other}: {_value(value)}")
        lines.extend(_describe(explain_side(my, target, me, other), only_failing=not ok))
    return "\n".join(lines)


def assert_matches(job: ClassAd | Mapping[str, Any] | str, slot: ClassAd | Mapping[str, Any] | str) -> None:
    """Fail unless ``job`` and ``slot`` match both ways; the message shows the clauses that are
    not true, on which side, with the values they saw."""
    j, s = _ad(job, "job"), _ad(slot, "slot")
    if j.symmetricMatch(s):
        return
    lines = ["the job and the slot do not match:"]
    for my, target, me, other in ((j, s, "job", "slot"), (s, j, "slot", "job")):
        value = requirements_value(my, target)
        if value is True:
            lines.append(f"  {me}'s Requirements is true against the {other}")
            continue
        lines.append(f"  {me}'s Requirements is {_value(value)} against the {other}; clauses not true:")
        lines.extend(_describe(explain_side(my, target, me, other), only_failing=True))
    raise AssertionError("\n".join(lines))


def assert_no_match(job: ClassAd | Mapping[str, Any] | str, slot: ClassAd | Mapping[str, Any] | str) -> None:
    """Fail if ``job`` and ``slot`` match both ways; the message shows every clause of both
    sides' Requirements with the values that made it true."""
    j, s = _ad(job, "job"), _ad(slot, "slot")
    if not j.symmetricMatch(s):
        return
    lines = ["the job and the slot match, but should not:"]
    for my, target, me, other in ((j, s, "job", "slot"), (s, j, "slot", "job")):
        lines.append(f"  {me}'s Requirements is true against the {other}:")
        lines.extend(_describe(explain_side(my, target, me, other), only_failing=False))
    raise AssertionError("\n".join(lines))
