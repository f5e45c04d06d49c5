"""Assertions for tests that use ClassAds (no test framework needed; pytest shows the messages).

* :func:`assert_same_ad` compares two ads attribute by attribute (names case-insensitively,
  values structurally, as ``ClassAd.__eq__``) and lists what differs;
* :func:`assert_matches` / :func:`assert_no_match` check ``job.symmetricMatch(slot)``; a failed
  check's message is the match analysis of the pair (:mod:`classad.analysis`): each side's
  ``Requirements`` condition by condition, which condition is not true on which side, the value
  of every attribute it refers to with the ad it came from, and the analysis' suggestions;
* :func:`explain_match` is that text, for a test that wants to show it itself.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from classad._classad import ClassAd
from classad.analysis.report import Report
from classad.ast import Literal as LiteralNode
from classad.testing._explain import Side, explain_side, job_analysis, show_value

__all__ = ["assert_matches", "assert_no_match", "assert_same_ad", "explain_match"]


def _ad(x: ClassAd | Mapping[str, Any] | str, what: str) -> ClassAd:
    if isinstance(x, ClassAd):
        return x
    if isinstance(x, (str, Mapping)):
        return ClassAd(x)
    raise TypeError(f"{what} must be a ClassAd, a mapping or ad text, got {type(x).__name__}")


def _text(ad: ClassAd, key: str) -> str:
    return repr(ad.lookup(key))


_KINDS: dict[type, str] = {bool: "boolean", int: "integer", float: "real", str: "string"}


def _kind(ad: ClassAd, key: str) -> str:
    """`` (integer)`` and the like for a literal value, ``" (expression)"`` otherwise: shown
    beside two differing values of different kinds (``2048`` and ``2048.0``)."""
    node = ad._attrs[key.lower()]
    kind = _KINDS.get(type(node.value), "literal") if isinstance(node, LiteralNode) else "expression"
    return f" ({kind})"


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
            a_kind, b_kind = _kind(left, k), _kind(right, k)
            if a_kind == b_kind:
                a_kind = b_kind = ""
            lines.append(f"  {k}: {_text(left, k)}{a_kind}  !=  {_text(right, k)}{b_kind}")
    raise AssertionError("\n".join(lines))


def _clause_lines(side: Side, only_failing: bool) -> list[str]:
    lines = []
    total = len(side.clauses)
    for c in side.clauses:
        if only_failing and c.outcome == "true":
            continue
        value = show_value(c.value)
        shown = "" if value == c.outcome else f" (value {value})"
        reduced = "" if c.reduced == c.text else f"   reduces to: {c.reduced}"
        lines.append(f"    [{c.index}] of {total} is {c.outcome}{shown}: {c.text}{reduced}")
        for ref, ref_value, where in c.refs:
            lines.append(f"          {ref} = {ref_value}   [{where}]")
    return lines


def _head(side: Side) -> str:
    if side.requirements is None:
        return f"  the {side.name} has no Requirements (a match needs one on each side)"
    value = show_value(side.value)
    verdict = (
        "true" if side.ok else value if value in ("false", "undefined", "error") else f"not true: {value}"
    )
    return f"  the {side.name}'s Requirements is {verdict} against the {side.other}: {side.requirements}"


def _sides(job: ClassAd, slot: ClassAd, report: Report | None) -> tuple[Side, Side]:
    return explain_side(job, slot, "job", "slot", report), explain_side(slot, job, "slot", "job")


def explain_match(job: ClassAd | Mapping[str, Any] | str, slot: ClassAd | Mapping[str, Any] | str) -> str:
    """Both sides of the match of ``job`` and ``slot``, condition by condition, with the values
    of the attributes each condition refers to, then what the match analysis suggests (the
    text :func:`assert_matches` and :func:`assert_no_match` fail with)."""
    j, s = _ad(job, "job"), _ad(slot, "slot")
    return "\n".join(_explain(j, s, only_failing=False))


def _explain(job: ClassAd, slot: ClassAd, only_failing: bool) -> list[str]:
    report = job_analysis(job, slot)
    lines = []
    for side in _sides(job, slot, report):
        lines.append(_head(side))
        lines.extend(_clause_lines(side, only_failing=only_failing and not side.ok))
    hints = [s for s in report.suggestions if s.kind != "slot_refusal"]
    if hints:
        lines.append("  the match analysis (classad.analysis) suggests:")
        for h in hints:
            lead = f"[{h.condition}] " if h.condition is not None else ""
            lines.append(f"    {lead}{h.text}")
    return lines


def assert_matches(job: ClassAd | Mapping[str, Any] | str, slot: ClassAd | Mapping[str, Any] | str) -> None:
    """Fail unless ``job`` and ``slot`` match both ways (``job.symmetricMatch(slot)``); the
    message is the match analysis of the pair: each side's Requirements, the conditions that are
    not true with their values and the values of the attributes they use (and which ad each came
    from), and the analysis' suggestions."""
    j, s = _ad(job, "job"), _ad(slot, "slot")
    if j.symmetricMatch(s):
        return
    lines = ["the job and the slot do not match:", *_explain(j, s, only_failing=True)]
    raise AssertionError("\n".join(lines))


def assert_no_match(job: ClassAd | Mapping[str, Any] | str, slot: ClassAd | Mapping[str, Any] | str) -> None:
    """Fail if ``job`` and ``slot`` match both ways; the message shows every condition of both
    sides' Requirements with the values that made it true."""
    j, s = _ad(job, "job"), _ad(slot, "slot")
    if not j.symmetricMatch(s):
        return
    lines = ["the job and the slot match, but should not:", *_explain(j, s, only_failing=False)]
    raise AssertionError("\n".join(lines))
