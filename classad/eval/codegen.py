"""Hot expressions compiled to Python source: one function per tree instead of one closure per node.

The closure compiler (:mod:`classad.eval.compiler`) gives every node its own closure, so
evaluating a tree of a few hundred nodes costs a few hundred Python calls.  An expression that is
evaluated again and again (a slot's START in a match over a pool, a job's Requirements) is worth
more: once its root closure has run :data:`HOT_AFTER` times, :func:`generate` writes the tree out as
the body of one Python function, in which logical chains, comparisons, arithmetic, conditionals,
calls of the library's built-ins and references to literal attributes are inline statements.

The generated function is the root closure, statement for statement: it evaluates the same
operands in the same order, counts the same attribute evaluations, takes the same fast and slow
paths as :mod:`classad.eval.binops` and the reference closures, and at anything it does not
write inline (a reference to an attribute that is itself an expression, a list or ad literal, a
subscript, a lazy built-in, a function registered from Python) it calls the very closure the
closure compiler makes for that node at that position.  It is only ever the plain, non-counting
closure of a root (position 0): where HTCondor's depth limit is in reach the counting closures
are used, as before.  Like every compiled closure it is a pure function of the node, stored on
it, valid wherever the node is shared.

What is written is bounded: trees of more than :data:`MAX_SIZE` nodes are not generated, and
nesting deeper than :data:`MAX_NEST` levels is left to the closure of the subtree, so neither the
generator nor Python's own compiler recurses far, and the source is linear in the tree.  The code
alive at once is bounded by :data:`BUDGET` bytes.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import Any

from classad.ast import (
    AttrRef,
    Call,
    Chain,
    Elvis,
    Literal,
    Node,
    Paren,
    Ternary,
    Unary,
)
from classad.clock import now as clock_now
from classad.eval import compiler as cc
from classad.eval import operators as ops
from classad.eval.binops import FAST_ARITH, FAST_COMPARE, literal_value
from classad.eval.builtins import types
from classad.eval.functions import library_builtin
from classad.eval.match import context_names
from classad.eval.scope import LEXICAL, MAX_EVAL_DEPTH, MAX_EVAL_WORK, Ctx
from classad.values import ERROR, INT64_MAX, INT64_MIN, UNDEFINED, RelTime

__all__ = ["BUDGET", "HOT_AFTER", "MAX_INDENT", "MAX_NEST", "MAX_SIZE", "ROOTS", "generate", "source"]

Fn = Callable[[Any, Ctx], Any]

HOT_AFTER = 200
"""Evaluations of a root closure after which its tree is generated.  Writing and compiling the
code costs about 25 µs per node; it saves about 0.1 µs per node and evaluation (measured on the
OSPool slots' START and the job's Requirements), so it pays for itself after about 250 more
evaluations: a tree evaluated a few times never pays, one evaluated against a whole pool does."""

MAX_SIZE = 1500
"""The largest tree (in nodes, shared subtrees counted where they occur) that is generated."""

MAX_NEST = 48
"""Levels of nodes written inline inside each other before a subtree is left to its closure."""

MAX_INDENT = 40
"""Indentation levels of the generated source before a subtree is left to its closure (Python's
tokenizer allows 100)."""

ROOTS = (Chain, Ternary, Elvis, Call, Paren, Unary)
"""The kinds of root node worth generating: a root that is a reference, a literal or a list,
ad or subscript would be one call of the closure it has."""

_OPS_OF_PYTHON = {
    "==": "==",
    "!=": "!=",
    "<": "<",
    "<=": "<=",
    ">": ">",
    ">=": ">=",
    "+": "+",
    "-": "-",
    "*": "*",
}


class _TooBig(Exception):
    pass


def _value_key(v: Any) -> tuple[type, Any] | None:
    """What tells equal literal values apart (``0.0`` from ``-0.0``, ``1`` from ``true``)."""
    t = type(v)
    if t is bool or t is int or t is str:
        return (t, v)
    if t is float:
        return (t, repr(v))
    return None


class _Writer:
    """The source of one generated function and the constants it uses."""

    def __init__(self) -> None:
        self.lines: list[str] = []
        self.consts: dict[str, Any] = {}
        self.by_id: dict[int, str] = {}
        self.values: dict[tuple[type, Any], str] = {}
        self.temps = 0
        # Whether ``sc``, the current ad read at the start, is still the current ad: true until
        # something that may move ``Ctx.cur`` is written (a call of a closure that evaluates a
        # lazy function, say; ``eval_attr`` always puts it back), textually before any later use.
        self.still = True

    def moved(self) -> None:
        """Note that what was just written may have moved the current ad (``Ctx.cur``)."""
        self.still = False

    def current_ad(self, indent: int) -> None:
        """Make ``sc`` the current ad here (read anew once it may have moved)."""
        if not self.still:
            self.put(indent, "m = c.cur")
            self.put(indent, "sc = s if m is LEXICAL else m")

    def const(self, obj: Any) -> str:
        """A name the function reads ``obj`` by."""
        name = self.by_id.get(id(obj))
        if name is None:
            name = f"k{len(self.consts)}"
            self.consts[name] = obj
            self.by_id[id(obj)] = name
        return name

    def temp(self) -> str:
        self.temps += 1
        return f"t{self.temps}"

    def put(self, indent: int, line: str) -> None:
        self.lines.append("    " * indent + line)

    def value(self, v: Any) -> str:
        """A name holding the evaluated literal value ``v`` (never a literal in the source, so
        every operand written is a plain name)."""
        key = _value_key(v)
        name = None if key is None else self.values.get(key)
        if name is None:
            name = f"k{len(self.consts)}"
            self.consts[name] = v
            if key is not None:
                self.values[key] = name
        return name


def generate(node: Node) -> Fn | None:
    """The generated root closure of ``node`` (see the module docstring), or None when the
    tree is too large, not worth writing out, or the code alive already reaches :data:`BUDGET`."""
    global _alive
    if _alive >= BUDGET:
        return None
    written = source(node)
    if written is None:
        return None
    src, consts = written
    namespace: dict[str, Any] = {}
    exec(compile(src, "<classad generated>", "exec"), namespace)
    fn: Fn = namespace["make"](*consts.values())
    cost = _COST_PER_CHAR * len(src)
    _alive += cost
    weakref.finalize(fn, _release, cost)
    return fn


BUDGET = 64 << 20
"""Bytes that generated code may hold at once (estimated from its source); past it, roots keep
their closures until code is freed with the trees it was written for."""

_COST_PER_CHAR = 4
"""Bytes a generated function holds per character of its source (code object, constants,
closure cells), measured on the OSPool slots' START: about 3.5."""

_alive = 0


def _release(cost: int) -> None:
    global _alive
    _alive -= cost


def source(node: Node) -> tuple[str, dict[str, Any]] | None:
    """The Python source :func:`generate` compiles for ``node`` (a function ``make`` taking the
    constants, in order, and returning the closure), and the constants by name; None as there."""
    if node.size > MAX_SIZE or node.__class__ not in ROOTS:
        return None
    if node.__class__ is Call and not _inline_call(node):
        return None  # its closure is all the code would call
    cc.height(node)
    w = _Writer()
    for name, obj in (
        ("UNDEFINED", UNDEFINED),
        ("ERROR", ERROR),
        ("LEXICAL", LEXICAL),
        ("Literal", Literal),
        ("RelTime", RelTime),
        ("to_bool", ops.to_bool),
        ("compare", ops.compare),
        ("arith", ops.arith),
    ):
        w.consts[name] = obj
        w.by_id[id(obj)] = name
    w.put(1, "m = c.cur")
    w.put(1, "sc = s if m is LEXICAL else m")
    try:
        result = _node(w, node, 0, 1, 0)
    except _TooBig:
        return None
    w.put(1, f"return {result}")
    src = f"def make({', '.join(w.consts)}):\n    def generated(s, c):\n"
    src += "\n".join("    " + line for line in w.lines)
    src += "\n    return generated\n"
    return src, w.consts


def _closure(w: _Writer, node: Node, pos: int, indent: int) -> str:
    """Call the closure compiler's closure of ``node`` at ``pos``."""
    fn = cc._compile(node, pos)
    t = w.temp()
    w.put(indent, f"{t} = {w.const(fn)}(s, c)")
    w.moved()
    return t


def _node(w: _Writer, node: Node, pos: int, indent: int, nest: int) -> str:
    """Write the statements evaluating ``node`` at ``pos``; return the expression holding its value."""
    if len(w.lines) > 20 * MAX_SIZE:
        raise _TooBig
    cls = node.__class__
    if nest >= MAX_NEST or indent >= MAX_INDENT:
        return _closure(w, node, pos, indent)
    nest += 1
    if cls is Literal:
        assert isinstance(node, Literal)
        return w.value(literal_value(node))
    if cls is Paren:
        assert isinstance(node, Paren)
        return _node(w, node.inner, pos + 1, indent, nest)
    if cls is AttrRef:
        assert isinstance(node, AttrRef)
        return _ref(w, node, pos, indent)
    if cls is Chain:
        assert isinstance(node, Chain)
        return _chain(w, node, pos, indent, nest)
    if cls is Unary:
        assert isinstance(node, Unary)
        a = _node(w, node.operand, pos + 1, indent, nest)
        t = w.temp()
        w.put(indent, f"{t} = {w.const(ops.UNARY[node.op])}({a})")
        return t
    if cls is Ternary:
        assert isinstance(node, Ternary)
        return _ternary(w, node, pos, indent, nest)
    if cls is Elvis:
        assert isinstance(node, Elvis)
        t = w.temp()
        a = _node(w, node.left, pos + 1, indent, nest)
        w.put(indent, f"{t} = {a}")
        w.put(indent, f"if {t} is UNDEFINED:")
        b = _node(w, node.right, pos + 1, indent + 1, nest)
        w.put(indent + 1, f"{t} = {b}")
        return t
    if cls is Call:
        assert isinstance(node, Call)
        return _call(w, node, pos, indent, nest)
    return _closure(w, node, pos, indent)


def _literal_attr(w: _Writer, t: str, e: str, indent: int) -> None:
    """``t`` = the value of the literal node held in ``e`` (a relTime literal gives its seconds)."""
    w.put(indent, f"{t} = {e}.value")
    w.put(indent, f"if {t}.__class__ is RelTime:")
    w.put(indent + 1, f"{t} = {t}.secs")


def _ref(w: _Writer, node: AttrRef, pos: int, indent: int) -> str:
    """A reference: an unscoped name, ``TARGET.x``/``OTHER.x`` or (old semantics) ``MY.x`` that
    is a literal attribute of the ad it looks in is evaluated inline, with the reference
    closures' own first steps; anything else through :func:`_rest`."""
    lname = node.lname
    p1 = pos + 1
    base = node.base
    t = w.temp()
    if base is None and not node.absolute:
        where = f"sc is not None and (e := sc.attrs.get({lname!r})) is not None"
        hops = 0
    elif (
        base is not None
        and base.__class__ is AttrRef
        and base.base is None
        and not base.absolute
        and (base.lname in cc._OTHER_AD or base.lname == "my")
    ):
        base_name: str = base.lname
        if base_name == "my":
            # ``MY`` is the current ad itself when the ad has no attribute of that name
            # (compiler._sp_my), then ``select``'s own steps.
            where = (
                f"c.old and sc is not None and 'my' not in sc.attrs and not sc.detached"
                f" and (e := sc.attrs.get({lname!r})) is not None"
            )
            hops = 0
        else:
            # compiler._compile_ref's ``sel_other``: two attribute evaluations (``target``, then
            # ``RIGHT``) counted, not walked.
            where = (
                f"sc is not None and (p := sc.parent) is not None and (o := p.other) is not None"
                f" and c.memo is None and {base_name!r} not in sc.attrs"
                f" and (e := o.attrs.get({lname!r})) is not None"
            )
            hops = 2
    else:
        w.put(indent, f"{t} = {w.const(cc._compile(node, pos))}(s, c)")
        w.moved()  # its base may be any expression
        return t
    w.current_ad(indent)
    w.put(
        indent,
        f"if {where} and e.__class__ is Literal and ({t} := e.value).__class__ is not RelTime"
        f" and c.work < {MAX_EVAL_WORK - hops} and c.depth < {MAX_EVAL_DEPTH - p1 - hops}:",
    )
    w.put(indent + 1, f"c.work += {hops + 1}")
    if base is None and _missing(lname):
        # A name neither ad of a match has, nor its context (_rest's ``rest``, inline).
        w.put(
            indent,
            "elif sc is not None and e is None and (p := sc.parent) is not None and p.other is not None"
            f" and (not c.old or (a := sc.alt) is None or a.attrs.get({lname!r}) is None"
            " and (q := a.parent) is not None and q.other is not None):",
        )
        w.put(indent + 1, f"{t} = UNDEFINED")
    elif base is None and lname == "currenttime":
        # Old semantics' CurrentTime, when the ad has no attribute of that name (compiler's
        # _sp_current_time).
        w.put(indent, "elif c.old and sc is not None and e is None:")
        w.put(indent + 1, f"{t} = int({w.const(clock_now)}())")
    w.put(indent, "else:")
    w.put(indent + 1, f"{t} = {w.const(_rest(node, pos, hops))}(s, c)")
    return t


def _rest(node: AttrRef, pos: int, hops: int) -> Fn:
    """The rest of a reference :func:`_ref` writes inline: an expression found in the ad looked in
    goes straight to ``eval_attr``; a name missing from an ad of a match, and from the whole
    match context (see :func:`_missing`), is looked up where HTCondor would find it next (in old
    semantics, unscoped: the other ad) without walking the context; everything else goes to the
    reference closure itself."""
    slow = cc._compile(node, pos)
    lname = node.lname
    p1 = pos + 1
    eval_attr = cc.eval_attr
    pinned = _pinned
    missing = _missing(lname)
    base = node.base
    if base is None:

        def rest(s: Any, c: Ctx) -> Any:
            m = c.cur
            sc = s if m is LEXICAL else m
            if sc is not None:
                e = sc.attrs.get(lname)
                if e is not None:
                    v = pinned(sc, lname, c, c.depth + p1)
                    return eval_attr(e, sc, lname, c, c.depth + p1) if v is _UNPINNED else v
                p = sc.parent
                if missing and p is not None and p.other is not None:
                    # resolve_missing: not in the context; in old semantics, the other ad.
                    a = sc.alt
                    if not c.old or a is None:
                        return UNDEFINED
                    e = a.attrs.get(lname)
                    if e is not None:
                        v = pinned(a, lname, c, c.depth + p1)
                        return eval_attr(e, a, lname, c, c.depth + p1) if v is _UNPINNED else v
                    q = a.parent
                    if q is not None and q.other is not None:
                        return UNDEFINED
            return slow(s, c)

        return rest

    if hops:
        base_name: str = base.lname  # type: ignore[attr-defined]

        def rest_other(s: Any, c: Ctx) -> Any:
            m = c.cur
            sc = s if m is LEXICAL else m
            if sc is not None:
                p = sc.parent
                if p is not None and p.other is not None and c.memo is None and base_name not in sc.attrs:
                    w = c.work + 2
                    d = c.depth + p1
                    if w < MAX_EVAL_WORK and d + 2 < MAX_EVAL_DEPTH:
                        o = p.other
                        e = o.attrs.get(lname)
                        if e is not None:
                            c.work = w
                            v = pinned(o, lname, c, d)
                            return eval_attr(e, o, lname, c, d) if v is _UNPINNED else v
                        q = o.parent
                        if missing and q is not None and q.other is not None:
                            # select() on the other ad: not in it, nor in the context.
                            c.work = w
                            return UNDEFINED
            return slow(s, c)

        return rest_other

    def rest_my(s: Any, c: Ctx) -> Any:
        m = c.cur
        sc = s if m is LEXICAL else m
        if c.old and sc is not None and "my" not in sc.attrs and not sc.detached:
            e = sc.attrs.get(lname)
            if e is not None:
                v = pinned(sc, lname, c, c.depth + p1)
                return eval_attr(e, sc, lname, c, c.depth + p1) if v is _UNPINNED else v
            q = sc.parent
            if missing and q is not None and q.other is not None:
                return UNDEFINED  # select() on the current ad: not in it, nor in the context
        return slow(s, c)

    return rest_my


class _Unpinned:
    __slots__ = ()


_UNPINNED = _Unpinned()


def _pinned(ad: Any, lname: str, c: Ctx, depth: int) -> Any:
    """``eval_attr``'s own steps for attribute ``lname`` of ``ad``, referred to at ``depth``, when it
    has a recorded value (classad.eval.pins) that evaluating it again would give within both
    limits: the value, its recorded work counted; else :data:`_UNPINNED`."""
    pins = ad.pins
    if pins is not None and c.memo is None:
        st = pins.states.get(lname)
        if st.__class__ is tuple and depth + st[2] < MAX_EVAL_DEPTH and c.work + st[1] <= MAX_EVAL_WORK:
            c.work += st[1]
            return st[0]
    return _UNPINNED


def _missing(lname: str) -> bool:
    """Whether a name missing from one of the two ads of a match is missing from the whole match
    context too: it is neither a special name (``parent``, ``my``...) nor one the context's own
    ads define (``left``, ``target``...), so looking it up there finds nothing."""
    return lname not in cc._SPECIAL and lname not in context_names()


def _chain(w: _Writer, node: Chain, pos: int, indent: int, nest: int) -> str:
    operands = node.operands
    n = len(operands)
    offsets = [n - 1 if k == 0 else n - k for k in range(n)]
    op0 = node.ops[0]
    if op0 == "&&" or op0 == "||":
        return _logic(w, operands, offsets, op0 == "||", pos, indent, nest)
    if n == 2:
        return _binary2(w, op0, operands[0], operands[1], pos + offsets[0], pos + offsets[1], indent, nest)
    t = w.temp()
    first = _node(w, operands[0], pos + offsets[0], indent, nest)
    w.put(indent, f"{t} = {first}")
    for op, o, off in zip(node.ops, operands[1:], offsets[1:]):
        b = _node(w, o, pos + off, indent, nest)
        w.put(indent, f"{t} = {w.const(cc._binary(op))}({t}, {b})")
    return t


def _logic(
    w: _Writer, operands: tuple[Node, ...], offsets: list[int], stop: bool, pos: int, indent: int, nest: int
) -> str:
    """``&&`` / ``||`` as the closure compiler's ``_logic_chain``, written flat: once the left
    value is the stopping value or error it stays so, and every later operand is skipped."""
    stop_s = repr(stop)
    go_on = repr(not stop)
    table = w.const(_OR if stop else _AND)
    t = w.temp()
    a = _node(w, operands[0], pos + offsets[0], indent, nest)
    w.put(indent, f"{t} = {a} if ({a}.__class__ is bool or {a} is ERROR) else to_bool({a})")
    # The first operand's own value decides whether to go on: a left operand that is not
    # boolean-equivalent (a string) gives error, but the right one is still evaluated.
    last = a
    for o, off in zip(operands[1:], offsets[1:]):
        w.put(indent, f"if {t} is not {stop_s} and {last} is not ERROR:")
        b = _node(w, o, pos + off, indent + 1, nest)
        # Left true (&&) or false (||): the result is the right operand's truth.
        w.put(
            indent + 1,
            f"{t} = {b} if ({t} is {go_on} and {b}.__class__ is bool) else {table}[{t}, to_bool({b})]",
        )
        last = t
    return t


def _truth_table(stop: bool) -> dict[tuple[Any, Any], Any]:
    """``left op right`` for every pair of truth values (true, false, undefined, error) the
    closure compiler's ``_logic_chain`` combines (reference 3.5)."""
    out: dict[tuple[Any, Any], Any] = {}
    for left in (True, False, UNDEFINED, ERROR):
        for right in (True, False, UNDEFINED, ERROR):
            if left is ERROR or right is ERROR:
                v: Any = ERROR
            elif right is stop:
                v = stop
            elif left is UNDEFINED or right is UNDEFINED:
                v = UNDEFINED
            else:
                v = not stop
            out[left, right] = v
    return out


_AND = _truth_table(False)
_OR = _truth_table(True)


def _binary2(w: _Writer, op: str, n0: Node, n1: Node, p0: int, p1: int, indent: int, nest: int) -> str:
    """``n0 op n1`` as :func:`classad.eval.binops.binary2` specialises it, else the general
    operator (the closure compiler's ``arith2``/``compare2``/``binary2``)."""
    t = w.temp()
    lit0 = n0.__class__ is Literal
    lit1 = n1.__class__ is Literal
    v0 = literal_value(n0) if lit0 else None  # type: ignore[arg-type]
    v1 = literal_value(n1) if lit1 else None  # type: ignore[arg-type]
    if op == "is" or op == "isnt":
        word = "is" if op == "is" else "is not"
        if lit1 and (v1 is UNDEFINED or v1 is ERROR):
            a = _node(w, n0, p0, indent, nest)
            w.put(indent, f"{t} = {a} {word} {w.const(v1)}")
            return t
        if lit0 and (v0 is UNDEFINED or v0 is ERROR):
            b = _node(w, n1, p1, indent, nest)
            w.put(indent, f"{t} = {b} {word} {w.const(v0)}")
            return t
        # Against a literal boolean, number or string, identity is the type and the value
        # (operators.identical for those types); only the other operand is evaluated.
        if lit1 and type(v1) in _IDENTICAL_TYPES:
            _identical_to(w, t, _node(w, n0, p0, indent, nest), v1, op == "is", indent)
            return t
        if lit0 and type(v0) in _IDENTICAL_TYPES:
            _identical_to(w, t, _node(w, n1, p1, indent, nest), v0, op == "is", indent)
            return t
        a = _node(w, n0, p0, indent, nest)
        b = _node(w, n1, p1, indent, nest)
        f = ops.identical if op == "is" else ops.not_identical
        w.put(indent, f"{t} = {w.const(f)}({a}, {b})")
        return t
    py = _OPS_OF_PYTHON.get(op)
    if op in FAST_COMPARE:
        assert py is not None
        a = _node(w, n0, p0, indent, nest)
        if lit1:
            k = w.value(v1)
            t1 = type(v1)
            if t1 is int or t1 is float:
                w.put(
                    indent,
                    f"{t} = ({a} {py} {k}) if type({a}) is {t1.__name__} else compare({op!r}, {a}, {k})",
                )
                return t
            if t1 is bool:
                w.put(indent, f"ta = type({a})")
                w.put(
                    indent,
                    f"{t} = ({a} {py} {k}) if (ta is bool or ta is int or ta is float)"
                    f" else compare({op!r}, {a}, {k})",
                )
                return t
            if isinstance(v1, str) and v1.isascii() and (op == "==" or op == "!="):
                folded = v1.lower()
                cmp = "==" if op == "==" else "!="
                w.put(
                    indent,
                    f"{t} = ({a}.lower() {cmp} {folded!r}) if (type({a}) is str and {a}.isascii())"
                    f" else compare({op!r}, {a}, {k})",
                )
                return t
            w.put(indent, f"{t} = compare({op!r}, {a}, {k})")
            return t
        b = _node(w, n1, p1, indent, nest)
        w.put(indent, f"ta = type({a})")
        w.put(
            indent,
            f"{t} = ({a} {py} {b}) if (ta is type({b}) and (ta is int or ta is float))"
            f" else compare({op!r}, {a}, {b})",
        )
        return t
    if op in FAST_ARITH:
        assert py is not None
        a = _node(w, n0, p0, indent, nest)
        if lit1 and type(v1) is int:  # binops' arith_int_const
            k = w.value(v1)
            w.put(
                indent,
                f"{t} = r if (type({a}) is int and {INT64_MIN} <= (r := {a} {py} {k}) <= {INT64_MAX})"
                f" else arith({op!r}, {a}, {k})",
            )
            return t
        b = _node(w, n1, p1, indent, nest)  # binops' arith_any
        w.put(indent, f"ta = type({a})")
        w.put(
            indent,
            f"{t} = r if (ta is type({b})"
            f" and (ta is int and {INT64_MIN} <= (r := {a} {py} {b}) <= {INT64_MAX}"
            f" or ta is float and (r := {a} {py} {b}) != {w.const(float('inf'))}))"
            f" else arith({op!r}, {a}, {b})",
        )
        return t
    a = _node(w, n0, p0, indent, nest)
    b = _node(w, n1, p1, indent, nest)
    if op in cc._ARITH:
        w.put(indent, f"{t} = arith({op!r}, {a}, {b})")
    elif op in cc._COMPARE:
        w.put(indent, f"{t} = compare({op!r}, {a}, {b})")
    else:
        w.put(indent, f"{t} = {w.const(cc._binary(op))}({a}, {b})")
    return t


_IDENTICAL_TYPES = (bool, int, float, str)


def _identical_to(w: _Writer, t: str, a: str, v: Any, same: bool, indent: int) -> None:
    """``t`` = ``a =?= v`` (``same``) or ``a =!= v`` for a literal value ``v`` of one of
    :data:`_IDENTICAL_TYPES`."""
    k = w.value(v)
    if type(v) is bool:
        w.put(indent, f"{t} = {a} {'is' if same else 'is not'} {k}")
        return
    test = f"(type({a}) is {type(v).__name__} and {a} == {k})"
    w.put(indent, f"{t} = {test}" if same else f"{t} = not {test}")


def _ternary(w: _Writer, node: Ternary, pos: int, indent: int, nest: int) -> str:
    """``c ? a : b`` as the closure compiler's: a condition that is neither boolean-equivalent
    nor undefined/error evaluates both branches, then gives error."""
    t = w.temp()
    v = _node(w, node.cond, pos + 1, indent, nest)
    b = w.temp()
    w.put(indent, f"{b} = to_bool({v})")
    w.put(indent, f"if {b} is not True and {b} is not False and ({v} is UNDEFINED or {v} is ERROR):")
    w.put(indent + 1, f"{t} = {v}")
    w.put(indent, "else:")
    w.put(indent + 1, f"if {b} is not False:")
    x = _node(w, node.then, pos + 1, indent + 2, nest)
    w.put(indent + 2, f"{t} = {x}")
    w.put(indent + 1, f"if {b} is not True:")
    y = _node(w, node.other, pos + 1, indent + 2, nest)
    w.put(indent + 2, f"{t} = {y}")
    w.put(indent + 1, f"if {b} is not True and {b} is not False:")
    w.put(indent + 2, f"{t} = ERROR")
    return t


_PREDICATES: dict[Callable[..., Any], str] = {
    types.is_undefined: "{} is UNDEFINED",
    types.is_error: "{} is ERROR",
    types.is_string: "type({}) is str",
    types.is_integer: "type({}) is int",
    types.is_real: "type({}) is float",
}
"""The type predicates written as the test they make (classad.eval.builtins.types)."""


def _inline_call(node: Call) -> bool:
    """Whether :func:`_call` writes the call out: a library function taking values, or
    ``ifThenElse``."""
    known = library_builtin(node.name.lower())
    return known is not None and (not known.lazy or known.name.lower() == "ifthenelse")


def _call(w: _Writer, node: Call, pos: int, indent: int, nest: int) -> str:
    """A call of one of the library's own functions (bound, as the closure compiler binds it);
    ``ifThenElse`` inline.  Arguments sit at the call's own position."""
    known = library_builtin(node.name.lower())
    if known is None or (known.lazy and known.name.lower() != "ifthenelse"):
        return _closure(w, node, pos, indent)
    args = node.args
    n = len(args)
    t = w.temp()
    if not known.accepts(n):
        w.put(indent, f"{t} = ERROR")
        return t
    if known.lazy:
        # ifThenElse: only the chosen branch is evaluated.
        a = _node(w, args[0], pos, indent, nest)
        b = w.temp()
        w.put(indent, f"{b} = to_bool({a})")
        w.put(indent, f"if {b} is True:")
        x = _node(w, args[1], pos, indent + 1, nest)
        w.put(indent + 1, f"{t} = {x}")
        w.put(indent, f"elif {b} is False:")
        y = _node(w, args[2], pos, indent + 1, nest)
        w.put(indent + 1, f"{t} = {y}")
        w.put(indent, "else:")
        w.put(indent + 1, f"{t} = {b}")
        return t
    vals = [_node(w, a, pos, indent, nest) for a in args]
    test = _PREDICATES.get(known.impl)
    if test is not None and n == 1:
        w.put(indent, f"{t} = {test.format(vals[0])}")
        return t
    impl = w.const(known.impl)
    if known.context:
        w.put(indent, f"{t} = {impl}(c, {', '.join(vals)})")
        w.moved()
    else:
        w.put(indent, f"{t} = {impl}({', '.join(vals)})")
    return t
