"""What an expression can depend on, read from its tree without evaluating it.

The analysis and the :class:`~classad.analysis.matcher.Matcher` need three static facts about an
expression: the attribute names it mentions (any scope, any spelling, folded to lower case), whether
it reads the evaluation clock (``time()``, ``CurrentTime`` ...), and whether its value could depend on
anything else than the attributes it names (``random()``, ``eval()`` of a computed string, a
function registered from Python, or a reference to the match context itself such as ``LEFT`` or
``parent``).  Such an expression is *opaque*: nothing may be inferred or cached about it.

The facts are over-approximations (a name that is mentioned may never be evaluated), which is what
makes them safe to key caches on.  Each node's facts are computed once, by an explicit-stack walk
(no recursion, whatever the depth), and kept in a table keyed by the node's identity (the node is
kept alive with it).
"""

from __future__ import annotations

from dataclasses import dataclass

from classad.ast import (
    AdExpr,
    AttrRef,
    Call,
    Chain,
    Elvis,
    ListExpr,
    Literal,
    Node,
    Paren,
    Subscript,
    Ternary,
    Unary,
)
from classad.eval.functions import REGISTRY, ensure_builtins, library_builtin

__all__ = ["JOB_FIXED", "SLOT_FIXED", "Deps", "deps", "is_pure_builtin"]

# Names that reach the match context (HTCondor's MatchClassAd) rather than one of the two ads.
_CONTEXT_NAMES = frozenset(
    {
        "left",
        "right",
        "lctx",
        "rctx",
        "symmetricmatch",
        "leftmatchesright",
        "rightmatchesleft",
        "leftrankvalue",
        "rightrankvalue",
        "root",
        "toplevel",
        "parent",
    }
)
# Names that stand for a whole ad: fine as the base of a selection (``TARGET.x``), opaque alone.
_AD_NAMES = frozenset({"my", "target", "other", "ad", "self"})
JOB_FIXED = frozenset({"my", "self", "ad"})
"""The ad names that stand for the job itself in an expression written in the job."""
SLOT_FIXED = frozenset({"target", "other"})
"""The ad names that stand for the job in an expression written in a slot matched against it."""

# Functions that read the evaluation clock (see classad.clock).
_CLOCK_CALLS = frozenset(
    {"time", "currenttime", "timezoneoffset", "daytime", "formattime", "splittime", "localtimestr"}
)
# Built-ins whose value is not a function of the attributes they name.
_OPAQUE_CALLS = frozenset({"random", "eval", "debug"})

_TABLE_LIMIT = 100_000
"""Nodes whose facts are remembered; beyond it the table starts afresh (bounded memory)."""

_WALK_BUDGET = 1_000_000
"""Nodes one walk visits at most; a larger tree is opaque."""


@dataclass(frozen=True)
class Deps:
    """The static facts of one expression (see the module docstring)."""

    names: frozenset[str]
    """Every attribute name mentioned, folded to lower case (``TARGET.Memory`` gives ``memory``)."""
    clock: bool
    """Whether it calls a clock-reading function or names ``CurrentTime``."""
    opaque: bool
    """Whether its value may depend on something else than the attributes it names."""
    ads: frozenset[str] = frozenset()
    """The names of whole ads it uses as values rather than to select from (``TARGET[x]``,
    ``size(MY)``): ``my``, ``target``, ``other``, ``ad`` or ``self``.  Such a use reaches
    attributes no static walk can name, so it is harmless only where that ad is fixed (see
    :meth:`opaque_in`)."""

    def opaque_in(self, fixed: frozenset[str]) -> bool:
        """Whether the expression is opaque when written in an ad whose names ``fixed`` stand for
        an ad that does not change (``{"target", "other"}`` in a slot matched against one job)."""
        return self.opaque or not self.ads <= fixed


def is_pure_builtin(name: str) -> bool:
    """Whether ``name`` is one of the library's own functions (not one registered from Python)."""
    lname = name.lower()
    ensure_builtins()
    if lname not in REGISTRY:
        return True  # an unknown function evaluates to error, whatever the ads hold
    return library_builtin(lname) is not None


_TABLE: dict[int, tuple[Node, Deps]] = {}


def deps(node: Node) -> Deps:
    """The static facts of ``node`` (remembered per node)."""
    hit = _TABLE.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    result = _walk(node)
    if len(_TABLE) >= _TABLE_LIMIT:
        _TABLE.clear()
    _TABLE[id(node)] = (node, result)
    return result


def _walk(root: Node) -> Deps:
    names: set[str] = set()
    ads: set[str] = set()
    clock = False
    opaque = False
    stack: list[tuple[Node, bool]] = [(root, False)]
    visited = 0
    while stack:
        node, is_base = stack.pop()
        visited += 1
        if visited > _WALK_BUDGET:
            return Deps(frozenset(names), clock, True, frozenset(ads))
        cls = node.__class__
        if cls is Literal:
            continue
        if cls is AttrRef:
            assert isinstance(node, AttrRef)
            lname = node.lname
            if node.base is None:
                if lname in _CONTEXT_NAMES:
                    opaque = True
                elif lname in _AD_NAMES and not is_base:
                    ads.add(lname)
                if lname == "currenttime":
                    clock = True
                if node.absolute:
                    opaque = True  # .name: from the match context's root
            else:
                stack.append((node.base, True))
            names.add(lname)
        elif cls is Call:
            assert isinstance(node, Call)
            fname = node.name.lower()
            if fname in _CLOCK_CALLS:
                clock = True
            if fname in _OPAQUE_CALLS or not is_pure_builtin(fname):
                opaque = True
            stack.extend((a, False) for a in node.args)
        elif cls is Chain:
            assert isinstance(node, Chain)
            stack.extend((o, False) for o in node.operands)
        elif cls is Unary:
            assert isinstance(node, Unary)
            stack.append((node.operand, False))
        elif cls is Paren:
            assert isinstance(node, Paren)
            stack.append((node.inner, is_base))
        elif cls is Ternary:
            assert isinstance(node, Ternary)
            stack.extend(((node.cond, False), (node.then, False), (node.other, False)))
        elif cls is Elvis:
            assert isinstance(node, Elvis)
            stack.extend(((node.left, False), (node.right, False)))
        elif cls is Subscript:
            assert isinstance(node, Subscript)
            stack.extend(((node.base, False), (node.index, False)))
        elif cls is ListExpr:
            assert isinstance(node, ListExpr)
            stack.extend((i, False) for i in node.items)
        elif cls is AdExpr:
            assert isinstance(node, AdExpr)
            for name, expr in node.entries:
                names.add(name.lower())
                stack.append((expr, False))
        else:
            opaque = True  # a node kind this walk does not know
    return Deps(frozenset(names), clock, opaque, frozenset(ads))
