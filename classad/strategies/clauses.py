"""Split a policy into clauses about the other side's attributes (for ``ads_satisfying``).

:func:`clauses` turns an expression evaluated in a match (``my`` is the ad it belongs to, the
generated ad is ``TARGET``) into its top-level conjuncts, inlining references to ``my``'s own
non-literal attributes (``Requirements = START && WithinResourceLimits``).  Each conjunct
becomes a :class:`Constraint` on one target attribute when it has one of the solvable shapes:

* ``TARGET.x op c`` or ``c op TARGET.x`` with ``op`` one of ``== != < <= > >= =?= =!= is isnt``;
* ``member(TARGET.x, c)``, ``stringListMember(TARGET.x, c)``;
* ``TARGET.x`` and ``!TARGET.x`` (a boolean attribute);
* ``isUndefined(TARGET.x)``, ``!isUndefined(TARGET.x)``;

where ``c`` folds to a constant in ``my`` alone (a literal, ``MY.RequestMemory``, ``1024 * 2``)
and ``TARGET.x`` may also be written as a bare name ``my`` does not define (HTCondor looks it
up in the target).  Anything else is kept as a residual clause for filtering.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Final

from classad._classad import ClassAd
from classad._exprtree import ExprTree, eval_node
from classad.ast import AttrRef, Call, Chain, ListExpr, Literal, Node, Paren, Unary, strip_parens
from classad.errors import ClassAdException
from classad.values import ERROR, UNDEFINED

__all__ = ["Constraint", "Policy", "clauses", "negate"]

_FLIP: Final = {
    "==": "==",
    "!=": "!=",
    "<": ">",
    "<=": ">=",
    ">": "<",
    ">=": "<=",
    "is": "is",
    "isnt": "isnt",
}
_NEGATION: Final = {
    "==": "!=",
    "!=": "==",
    "<": ">=",
    "<=": ">",
    ">": "<=",
    ">=": "<",
    "is": "isnt",
    "isnt": "is",
    "in": "notin",
    "notin": "in",
    "absent": "present",
    "present": "absent",
}
_INLINE_BUDGET: Final = 64
"""How many of ``my``'s attributes may be inlined into one policy."""
_MAX_CLAUSES: Final = 1000


@dataclass(frozen=True)
class Constraint:
    """``attr op value`` on the generated ad; ``op`` is a comparison, ``in``/``notin`` (value is
    a tuple of allowed items), or ``absent``/``present`` (value unused).  ``exact`` items of an
    ``in`` compare case-sensitively (``stringListMember``)."""

    attr: str
    op: str
    value: Any = None
    exact: bool = False
    text: str = ""


@dataclass(frozen=True)
class Policy:
    """A policy split into solvable constraints and residual clauses (their text)."""

    constraints: tuple[Constraint, ...]
    residual: tuple[Node, ...]


def negate(c: Constraint) -> Constraint:
    """The constraint that holds exactly when ``c`` does not hold (on a defined attribute for
    comparisons)."""
    return Constraint(c.attr, _NEGATION[c.op], c.value, c.exact, "!(" + c.text + ")")


def _is_scope(node: Node | None, name: str) -> bool:
    return isinstance(node, AttrRef) and node.base is None and not node.absolute and node.lname == name


class _Splitter:
    def __init__(self, my: ClassAd) -> None:
        self.my = my
        self.inlined = 0

    def target_attr(self, node: Node) -> str | None:
        node = strip_parens(node)
        if not isinstance(node, AttrRef) or node.absolute:
            return None
        if _is_scope(node.base, "target"):
            return node.name
        if node.base is None and node.name not in self.my and node.lname not in ("my", "target"):
            return node.name
        return None

    def constant(self, node: Node) -> tuple[bool, Any]:
        """Whether ``node`` folds to a constant in ``my`` alone, and its raw value."""
        stack = [node]
        while stack:
            n = stack.pop()
            if isinstance(n, Literal):
                continue
            if isinstance(n, AttrRef):
                if n.absolute:
                    return False, None
                if n.base is None and n.name in self.my:
                    continue
                if _is_scope(n.base, "my"):
                    continue
                return False, None
            if isinstance(n, Paren):
                stack.append(n.inner)
            elif isinstance(n, Unary):
                stack.append(n.operand)
            elif isinstance(n, Chain):
                stack.extend(n.operands)
            elif isinstance(n, (Call, ListExpr)):
                stack.extend(n.args if isinstance(n, Call) else n.items)
            else:
                return False, None
        try:
            value = eval_node(node, self.my, None)
        except ClassAdException:
            return False, None
        if value is UNDEFINED or value is ERROR:
            return False, None
        return True, value

    def conjuncts(self, node: Node, out: list[Node]) -> None:
        stack = [node]
        while stack:
            if len(out) > _MAX_CLAUSES:
                raise ValueError(f"policy has more than {_MAX_CLAUSES} clauses")
            n = strip_parens(stack.pop())
            if isinstance(n, Chain) and all(op == "&&" for op in n.ops):
                stack.extend(reversed(n.operands))
                continue
            inner = self.inline(n)
            if inner is not None:
                stack.append(inner)
                continue
            out.append(n)

    def inline(self, node: Node) -> Node | None:
        if not isinstance(node, AttrRef) or node.absolute or self.inlined >= _INLINE_BUDGET:
            return None
        if node.base is None or _is_scope(node.base, "my"):
            expr = self.my._attrs.get(node.lname)
            if expr is not None and not isinstance(expr, Literal):
                self.inlined += 1
                return expr
        return None

    def constraint(self, node: Node) -> Constraint | None:
        text = repr(ExprTree._wrap(node, None))
        if isinstance(node, Chain) and len(node.ops) == 1 and node.ops[0] in _FLIP:
            op = node.ops[0]
            left, right = node.operands
            attr = self.target_attr(left)
            if attr is not None:
                ok, value = self.constant(right)
                if ok:
                    return Constraint(attr, op, value, text=text)
                bare = strip_parens(right)
                if op in ("is", "isnt") and isinstance(bare, Literal) and bare.value is UNDEFINED:
                    return Constraint(attr, "absent" if op == "is" else "present", text=text)
            attr = self.target_attr(right)
            if attr is not None:
                ok, value = self.constant(left)
                if ok:
                    return Constraint(attr, _FLIP[op], value, text=text)
            return None
        if isinstance(node, Call) and len(node.args) == 2:
            fname = node.name.lower()
            if fname in ("member", "stringlistmember", "stringlistimember"):
                attr = self.target_attr(node.args[0])
                ok, value = self.constant(node.args[1])
                if attr is None or not ok:
                    return None
                if fname == "member":
                    items = _list_items(value)
                    if items is None:
                        return None
                    return Constraint(attr, "in", items, text=text)
                if not isinstance(value, str):
                    return None
                items = tuple(s.strip() for s in value.split(",") if s.strip())
                return Constraint(attr, "in", items, exact=fname == "stringlistmember", text=text)
        if isinstance(node, Call) and len(node.args) == 1 and node.name.lower() == "isundefined":
            attr = self.target_attr(node.args[0])
            if attr is not None:
                return Constraint(attr, "absent", text=text)
        if isinstance(node, Unary) and node.op == "!":
            inner = strip_parens(node.operand)
            if isinstance(inner, Call) and len(inner.args) == 1 and inner.name.lower() == "isundefined":
                attr = self.target_attr(inner.args[0])
                if attr is not None:
                    return Constraint(attr, "present", text=text)
            attr = self.target_attr(inner)
            if attr is not None:
                return Constraint(attr, "is", False, text=text)
            return None
        attr = self.target_attr(node)
        if attr is not None:
            return Constraint(attr, "is", True, text=text)
        return None


def _list_items(value: Any) -> tuple[Any, ...] | None:
    from classad.convert import to_python

    try:
        items = to_python(value)
    except Exception:
        return None
    if not isinstance(items, list) or not items:
        return None
    if not all(isinstance(x, (bool, int, float, str)) for x in items):
        return None
    return tuple(items)


def clauses(expr: ExprTree, my: ClassAd) -> Policy:
    """``expr`` (evaluated with ``my`` as MY) split into constraints and residual clauses."""
    splitter = _Splitter(my)
    parts: list[Node] = []
    splitter.conjuncts(expr._node, parts)
    constraints: list[Constraint] = []
    residual: list[Node] = []
    for part in parts:
        c = splitter.constraint(part)
        if c is None:
            residual.append(part)
        else:
            constraints.append(c)
    return Policy(tuple(constraints), tuple(residual))
