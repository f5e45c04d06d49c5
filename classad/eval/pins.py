"""Values of an ad's own attributes, computed once per ad: the "pinned" attributes.

Many attributes of a real ad are computed from the ad's other attributes alone:
``RequestMemory = ifThenElse(MemoryUsage =!= undefined, MemoryUsage, 2048)`` with
``MemoryUsage = ((ResidentSetSize + 1023) / 1024)``.  Whatever the ad is matched against, and
however often it is evaluated, such an attribute has one value.  A :class:`PinTable` belongs to
one :class:`~classad.ClassAd` and one semantic mode; it finds these attributes and remembers their
values, so that ``job.eval("RequestMemory")`` and the job's side of every match evaluate them once.

An attribute is *pinned* when nothing its value depends on can differ between two evaluations:

* every name its expression (and every list inside it) refers to without a scope is an attribute
  of this ad, itself pinned; ``SELF.x`` likewise, and ``MY.x`` in old semantics (where ``MY`` is
  the ad itself) when the ad defines no attribute ``self``/``my``; a name the ad does not define
  (it would be looked up in the match context, the target or the clock), any other scope
  (``TARGET.x``, ``.x``, an expression's attribute), and a nested ad literal make it not pinned;
* it calls only the library's own built-ins whose value is a function of their arguments: not
  ``random``, ``eval``, ``debug``, the reference-walking ``unparse``, ``unresolved``,
  ``evalInEachContext`` and ``countMatches``, the clock and time-zone readers, ``userHome``
  and ``userMap`` (system and registered state), nor an unknown name (a function could be
  registered under it later);
* its references are not circular (a cycle's value depends on where the evaluation entered it).

A pinned attribute is recorded the first time it is evaluated, with its value, the number of
attribute evaluations it took (HTCondor's work count) and a bound on the evaluation depth it
needs.  The record is used only where re-evaluating would provably give the same result: its
depth bound stays under HTCondor's depth limit from where it is evaluated, its work still fits
in the evaluation's budget (and is added to the count), and the evaluation has not switched to
reusing values (:mod:`classad.eval.memo`, which tracks dependencies a record does not report).
A value is recorded only when its evaluation ended without reaching either limit, and only
scalar values are (lists and ads keep identity and unevaluated parts).

A table is valid for exactly the attribute map it was made for: the ad drops its tables when an
attribute is set or deleted.  Its size is bounded: one entry per attribute of the ad, string
values of at most :data:`MAX_STRING` characters, :data:`MAX_BYTES` bytes of strings in all.
Nothing is stored on the (shared) expression nodes; the per-node facts are kept in a table
bounded by bytes (:class:`~classad.cache.BoundedCache`), counting the nodes it keeps alive.
"""

from __future__ import annotations

from typing import Any

from classad.ast import (
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
    children,
)
from classad.cache import BoundedCache
from classad.eval.functions import library_builtin
from classad.eval.scope import MAX_EVAL_DEPTH
from classad.values import AbsTime, RelTime

__all__ = ["MAX_BYTES", "MAX_EVAL_DEPTH", "MAX_STRING", "NOT_PINNED", "PinTable", "Shape", "shape"]

MAX_STRING = 4096
"""Longest string value a table records."""

MAX_BYTES = 65_536
"""Characters of string values one table records in all."""

NODE_BYTES = 128
"""About what one expression node holds (its slots, operand tuples, strings), for the byte bound
of the shapes table: an entry keeps its expression alive."""

_WALK_LIMIT = 100_000
"""Nodes a shape walk visits; a larger expression is not pinned."""

_MAX_PATH = MAX_EVAL_DEPTH // 2
"""References deep a classification follows: every level adds at least two to the depth bound,
so an attribute this many references above another cannot be pinned anyway (giving up there
keeps one classification's walk short on ads of long reference chains)."""

_CLASSIFY_BUDGET = 100_000
"""Attributes one classification may visit (the ad's size bounds it anyway)."""

# Built-ins whose value is not a function of their arguments, that walk references themselves, or
# that read the clock, the time zone or the system.
_UNPINNED_CALLS = frozenset(
    {
        "random",
        "eval",
        "debug",
        "unparse",
        "unresolved",
        "evalineachcontext",
        "countmatches",
        "userhome",
        "usermap",
        "quantize",
        "abstime",
        "time",
        "currenttime",
        "timezoneoffset",
        "daytime",
        "getyear",
        "getmonth",
        "getdayofyear",
        "getdayofmonth",
        "getdayofweek",
        "gethours",
        "getminutes",
        "getseconds",
        "getdays",
        "splittime",
        "formattime",
        "interval",
    }
)

_SCALARS = frozenset({bool, int, float, str, bytes, AbsTime, RelTime})

NOT_PINNED = False
"""The state of an attribute that is not pinned."""


class Shape:
    """What one expression refers to, read from its tree (see :func:`shape`)."""

    __slots__ = ("height", "mine", "names", "ok", "selfs")

    def __init__(
        self, ok: bool, names: frozenset[str], mine: frozenset[str], selfs: frozenset[str], height: int
    ):
        self.ok = ok
        """Whether the expression's form allows pinning at all."""
        self.names = names
        """Names referred to without a scope."""
        self.mine = mine
        """Names selected from ``MY``."""
        self.selfs = selfs
        """Names selected from ``SELF``."""
        self.height = height
        """The deepest evaluation-depth cost of the expression or of any list item in it."""


_PLAIN = frozenset({Chain, Unary, Paren, Ternary, Elvis, Subscript})
"""Node kinds whose form never prevents pinning (their operands decide)."""

_NO = Shape(False, frozenset(), frozenset(), frozenset(), 0)

_SHAPES: BoundedCache[int, tuple[Node, Shape]] = BoundedCache(32 << 20, 16 << 20)
"""Shapes by id(expression): 32 MB in all (estimated from the expressions they keep alive)."""


def _call_ok(name: str) -> bool:
    lname = name.lower()
    return lname not in _UNPINNED_CALLS and library_builtin(lname) is not None


def shape(node: Node) -> Shape:
    """The :class:`Shape` of ``node`` (remembered per node)."""
    hit = _SHAPES.data.get(id(node))
    if hit is not None and hit[0] is node:
        return hit[1]
    result = _walk(node)
    _SHAPES.put(id(node), (node, result), node.size * NODE_BYTES)
    return result


def _walk(root: Node) -> Shape:
    from classad.eval.compiler import height

    if root.size > _WALK_LIMIT:
        return _NO
    names: set[str] = set()
    mine: set[str] = set()
    selfs: set[str] = set()
    top = height(root)
    stack: list[Node] = [root]
    while stack:
        node = stack.pop()
        cls = node.__class__
        if cls is Literal:
            continue
        if cls is AttrRef:
            assert isinstance(node, AttrRef)
            base = node.base
            if node.absolute:
                return _NO
            if base is None:
                names.add(node.lname)
                continue
            if base.__class__ is AttrRef:
                assert isinstance(base, AttrRef)
                if base.base is None and not base.absolute:
                    if base.lname == "my":
                        mine.add(node.lname)
                        continue
                    if base.lname == "self":
                        selfs.add(node.lname)
                        continue
            return _NO
        if cls is Call:
            assert isinstance(node, Call)
            if not _call_ok(node.name):
                return _NO
        elif cls is ListExpr:
            assert isinstance(node, ListExpr)
            # List items are evaluated on their own, at the depth of the evaluation around them.
            for item in node.items:
                top = max(top, height(item))
        elif cls not in _PLAIN:  # AdExpr (a nested ad) or a node kind this walk does not know
            return _NO
        stack.extend(children(node))
    return Shape(True, frozenset(names), frozenset(mine), frozenset(selfs), top)


class PinTable:
    """The pinned attributes of one ad in one semantic mode (see the module docstring).

    ``states`` maps a folded name to :data:`NOT_PINNED`, to the depth bound (an ``int``) of a
    pinned attribute not yet evaluated, or to ``(value, work, bound)`` once it is recorded."""

    __slots__ = ("attrs", "chars", "old", "states")

    def __init__(self, attrs: dict[str, Node], old: bool) -> None:
        self.attrs = attrs
        self.old = old
        self.states: dict[str, Any] = {}
        self.chars = 0

    def classify(self, lname: str) -> Any:
        """The state of attribute ``lname``, working it out (and that of every attribute it
        refers to) on first use."""
        states = self.states
        hit = states.get(lname)
        if hit is not None:
            return hit
        attrs = self.attrs
        old = self.old
        # An explicit-stack depth-first walk over the attributes ``lname`` refers to: a name is
        # pinned once all it refers to is; meeting a name on the current path is a cycle.
        on_path: set[str] = set()
        stack: list[tuple[str, list[str] | None]] = [(lname, None)]
        visited = 0
        while stack:
            name, pending = stack[-1]
            if pending is None:
                visited += 1
                expr = attrs.get(name)
                if expr is None or visited > _CLASSIFY_BUDGET:
                    states[name] = NOT_PINNED
                    stack.pop()
                    continue
                if expr.__class__ is Literal:
                    states[name] = 1
                    stack.pop()
                    continue
                sh = shape(expr)
                if not sh.ok or (sh.mine and (not old or "my" in attrs)) or (sh.selfs and "self" in attrs):
                    states[name] = NOT_PINNED
                    stack.pop()
                    continue
                pending = sorted(sh.names | sh.mine | sh.selfs)
                stack[-1] = (name, pending)
                on_path.add(name)
            # Children still to settle.
            while pending:
                child = pending[-1]
                state = states.get(child)
                if state is None:
                    if child in on_path:
                        states[child] = NOT_PINNED  # a cycle: nothing on it is pinned
                        state = NOT_PINNED
                    else:
                        break
                if state is NOT_PINNED:
                    break
                pending.pop()
            if pending:
                child = pending[-1]
                state = states.get(child)
                if state is None and len(stack) < _MAX_PATH:
                    stack.append((child, None))
                    continue
                # A child that is not pinned: neither is this attribute.
                states[name] = NOT_PINNED
            elif states.get(name) is not NOT_PINNED:  # (a cycle found below marks it)
                expr = attrs[name]
                sh = shape(expr)
                deepest = 0
                for ref in sh.names | sh.mine | sh.selfs:
                    deepest = max(deepest, _bound(states[ref]))
                bound = sh.height + 1 + deepest
                states[name] = bound if bound < MAX_EVAL_DEPTH else NOT_PINNED
            on_path.discard(name)
            stack.pop()
        return states[lname]

    def record(self, lname: str, value: Any, work: int, bound: int) -> None:
        """Remember the value of the pinned attribute ``lname`` (evaluated with ``work``
        attribute evaluations)."""
        t = type(value)
        if t not in _SCALARS:
            return
        if t is str or t is bytes:
            n = len(value)
            if n > MAX_STRING or self.chars + n > MAX_BYTES:
                return
            self.chars += n
        self.states[lname] = (value, work, bound)


def _bound(state: Any) -> int:
    if type(state) is tuple:
        return int(state[2])
    return int(state)
