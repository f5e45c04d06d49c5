"""A job ad under construction: attributes in the order condor_submit assigns them.

:class:`JobAd` is the small mutable table the translation writes into (``expr`` parses a value
as condor_submit's ``AssignJobExpr`` does; ``string``/``integer``/``boolean``/``real`` assign
literals), and :meth:`JobAd.to_classad` makes the finished :class:`~classad.ClassAd`.
:func:`references` splits the attributes an expression uses into the job's own and the
machine's (condor's ``GetExprReferences``), which the Requirements clauses depend on.
"""

from __future__ import annotations

from typing import Any

from classad._classad import ClassAd
from classad.ast import (
    AttrRef,
    Literal,
    Node,
    children,
)
from classad.submit.errors import Where
from classad.submit.values import parse_expr

__all__ = ["JobAd", "references"]


class JobAd:
    """Attributes (case-insensitive names, first spelling kept) mapped to expression nodes."""

    def __init__(self) -> None:
        self._attrs: dict[str, tuple[str, Node]] = {}

    def put(self, name: str, node: Node) -> None:
        key = name.lower()
        old = self._attrs.get(key)
        self._attrs[key] = (old[0] if old else name, node)

    def expr(self, name: str, text: str, where: Where | None = None) -> Node:
        node = parse_expr(text, name, where)
        self.put(name, node)
        return node

    def string(self, name: str, value: str) -> None:
        self.put(name, Literal(value))

    def integer(self, name: str, value: int) -> None:
        self.put(name, Literal(int(value)))

    def boolean(self, name: str, value: bool) -> None:
        self.put(name, Literal(bool(value)))

    def real(self, name: str, value: float) -> None:
        self.put(name, Literal(float(value)))

    def get(self, name: str) -> Node | None:
        got = self._attrs.get(name.lower())
        return got[1] if got else None

    def __contains__(self, name: object) -> bool:
        return isinstance(name, str) and name.lower() in self._attrs

    def literal(self, name: str) -> Any:
        """The literal value of ``name`` (``None`` when absent or not a literal)."""
        node = self.get(name)
        return node.value if isinstance(node, Literal) else None

    def get_string(self, name: str) -> str | None:
        value = self.literal(name)
        return value if isinstance(value, str) else None

    def get_bool(self, name: str) -> bool | None:
        value = self.literal(name)
        return value if isinstance(value, bool) else None

    def delete(self, name: str) -> None:
        self._attrs.pop(name.lower(), None)

    def names(self) -> list[str]:
        return [n for n, _ in self._attrs.values()]

    def copy(self) -> JobAd:
        other = JobAd()
        other._attrs = dict(self._attrs)
        return other

    def to_classad(self) -> ClassAd:
        return ClassAd._from_entries(list(self._attrs.values()))


def references(node: Node, job_attrs: set[str]) -> tuple[set[str], set[str]]:
    """(job attributes, machine attributes) that ``node`` refers to, lower-cased.

    ``MY.x`` is the job's; ``TARGET.x`` the machine's; a bare ``x`` is the job's when
    ``job_attrs`` (lower-cased names) has it, else the machine's, as condor's reference
    walker decides during submit.
    """
    mine: set[str] = set()
    theirs: set[str] = set()
    stack = [node]
    budget = 1_000_000
    while stack and budget > 0:
        budget -= 1
        n = stack.pop()
        if isinstance(n, AttrRef):
            base = n.base
            if base is None:
                (mine if n.lname in job_attrs else theirs).add(n.lname)
                continue
            if isinstance(base, AttrRef) and base.base is None and base.lname in ("my", "target"):
                (mine if base.lname == "my" else theirs).add(n.lname)
                continue
            stack.append(base)
            continue
        stack.extend(children(n))
    return mine, theirs
