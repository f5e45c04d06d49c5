"""Why one side's ``Requirements`` is not true against the other: clause by clause.

:func:`explain_side` splits an ad's ``Requirements`` into its top-level ``&&`` conjuncts,
following references to the ad's own expression attributes (``START``,
``WithinResourceLimits``) into their conjuncts, evaluates each conjunct in the match, and reports
the ones that are not ``true`` with the value of every attribute they refer to and the side it
came from.  (This splitting belongs with the match analysis in ``classad.analysis`` once that
exists; it is private here.)
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from classad._classad import ClassAd
from classad._exprtree import ExprTree, eval_node
from classad.ast import (
    AttrRef,
    Chain,
    Node,
    children,
    strip_parens,
)
from classad.builders import Literal
from classad.convert import to_python
from classad.errors import ClassAdException

__all__ = ["Clause", "explain_side", "requirements_value", "show_value"]

_INLINE_BUDGET: Final = 64
_MAX_CLAUSES: Final = 500
_MAX_REFS: Final = 20


@dataclass(frozen=True)
class Clause:
    """One conjunct: its text, where it came from (``Requirements`` or an inlined attribute),
    its value in the match, and the attributes it refers to with their values and sides."""

    text: str
    origin: str
    value: Any
    refs: tuple[tuple[str, str, str], ...]


def show_value(value: Any) -> str:
    """A raw value as ClassAd text (strings quoted)."""
    try:
        py = to_python(value)
    except Exception:
        return "<not valid UTF-8>"
    return repr(py) if isinstance(py, ExprTree) else repr(Literal(py))


def _eval(node: Node, my: ClassAd, target: ClassAd) -> Any:
    try:
        return eval_node(node, my, target)
    except ClassAdException:
        return "<evaluation failed>"


def _refs(
    node: Node, my: ClassAd, target: ClassAd, my_name: str, target_name: str
) -> tuple[tuple[str, str, str], ...]:
    out: dict[str, tuple[str, str, str]] = {}
    stack = [node]
    seen = 0
    while stack and seen < 10000 and len(out) < _MAX_REFS:
        seen += 1
        n = stack.pop()
        if isinstance(n, AttrRef) and not n.absolute:
            scope = n.base.lname if isinstance(n.base, AttrRef) and n.base.base is None else None
            if n.base is None and n.lname not in ("my", "target"):
                side = my_name if n.name in my else target_name
                ad = my if n.name in my else target
            elif scope == "my":
                side, ad = my_name, my
            elif scope == "target":
                side, ad = target_name, target
            else:
                stack.extend(children(n))
                continue
            text = repr(ExprTree._wrap(n, None))
            if n.name in ad:
                shown = show_value(_eval(ad._attrs[n.lname], ad, my if ad is target else target))
            else:
                shown = "undefined (not in the ad)"
            out.setdefault(text.lower(), (text, shown, side))
            continue
        stack.extend(children(n))
    return tuple(out.values())


def _conjuncts(node: Node, my: ClassAd) -> list[tuple[Node, str]]:
    out: list[tuple[Node, str]] = []
    stack: list[tuple[Node, str]] = [(node, "Requirements")]
    inlined = 0
    while stack and len(out) < _MAX_CLAUSES:
        n, origin = stack.pop()
        n = strip_parens(n)
        if isinstance(n, Chain) and all(op == "&&" for op in n.ops):
            stack.extend((o, origin) for o in reversed(n.operands))
            continue
        if (
            isinstance(n, AttrRef)
            and not n.absolute
            and inlined < _INLINE_BUDGET
            and (
                n.base is None
                or (isinstance(n.base, AttrRef) and n.base.base is None and n.base.lname == "my")
            )
        ):
            expr = my._attrs.get(n.lname)
            if expr is not None and not isinstance(strip_parens(expr), AttrRef):
                inlined += 1
                stack.append((expr, n.name))
                continue
        out.append((n, origin))
    return out


def requirements_value(my: ClassAd, target: ClassAd) -> Any:
    """``my``'s Requirements evaluated against ``target`` (Python value; ``undefined`` when
    absent)."""
    req = my._attrs.get("requirements")
    if req is None:
        return "<no Requirements>"
    return _eval(req, my, target)


def explain_side(my: ClassAd, target: ClassAd, my_name: str, target_name: str) -> list[Clause]:
    """Every conjunct of ``my``'s Requirements, evaluated with ``target`` as TARGET."""
    req = my._attrs.get("requirements")
    if req is None:
        return []
    clauses = []
    for node, origin in _conjuncts(req, my):
        clauses.append(
            Clause(
                repr(ExprTree._wrap(node, None)),
                origin,
                _eval(node, my, target),
                _refs(node, my, target, my_name, target_name),
            )
        )
    return clauses
