"""How one condition comes out for one pair of ads, counted as HTCondor's matchmaking counts it.

A condition is evaluated exactly as ``symmetricMatch`` evaluates a Requirements expression: written
in one ad (MY), with the other as TARGET, in the semantic mode in force.  Its outcome is one of
``"true"`` (a true boolean, or a number other than zero), ``"undefined"``, ``"error"`` (the error
value, or an evaluation that fails outright, as ``random(0)`` does) or ``"false"`` (anything else:
false, zero, a string, a list, an ad).
"""

from __future__ import annotations

from typing import Any, Literal

from classad._classad import ClassAd
from classad._exprtree import eval_node
from classad.ast import Node
from classad.errors import ClassAdException
from classad.eval.compiler import evaluate
from classad.eval.match import match_scopes
from classad.semantics import is_old
from classad.values import ERROR, UNDEFINED, RelTime

__all__ = ["TRUE", "Outcome", "Pair", "classify", "outcome", "truth", "value_of"]

Outcome = Literal["true", "false", "undefined", "error"]
TRUE: Outcome = "true"


def truth(v: Any) -> bool:
    """Whether an evaluated value counts as true in matchmaking (as ``ClassAd.matches``)."""
    t = type(v)
    if t is bool or t is int or t is float:
        return bool(v)
    if t is RelTime:
        return bool(v.secs != 0.0)
    return False


def value_of(node: Node, me: ClassAd, other: ClassAd | None) -> Any:
    """The raw value of ``node`` written in ``me`` with ``other`` as TARGET (``ERROR`` when the
    evaluation fails)."""
    try:
        return eval_node(node, me, other)
    except ClassAdException:
        return ERROR


def outcome(node: Node, me: ClassAd, other: ClassAd | None) -> Outcome:
    """The outcome of ``node`` written in ``me`` with ``other`` as TARGET."""
    return classify(value_of(node, me, other))


class Pair:
    """``me`` matched against ``other``: one match context (as ``ClassAd.matches`` builds it)
    in which many conditions written in ``me`` are evaluated, each in a fresh evaluation."""

    __slots__ = ("cur", "old", "root")

    def __init__(self, me: ClassAd, other: ClassAd) -> None:
        self.old = is_old()
        self.cur = me._scope()
        self.root = self.cur if other is me else match_scopes(self.cur, other._scope(), self.old)

    def value(self, node: Node) -> Any:
        """The raw value of ``node`` (``ERROR`` when the evaluation fails)."""
        try:
            return evaluate(node, self.cur, self.root, self.old)
        except ClassAdException:
            return ERROR

    def outcome(self, node: Node) -> Outcome:
        """The outcome of ``node``."""
        return classify(self.value(node))


def classify(v: Any) -> Outcome:
    """The outcome an evaluated value counts as."""
    if v is UNDEFINED:
        return "undefined"
    if v is ERROR:
        return "error"
    return "true" if truth(v) else "false"
