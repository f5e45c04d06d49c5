"""Control functions (reference 5.1, miscellaneous): ``ifThenElse``, ``eval``, ``unparse``,
``unresolved`` and ``debug``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from classad.ast import (
    AttrRef,
    Node,
)
from classad.errors import ClassAdParseError, DepthFailure, EvaluationFailure
from classad.eval.builtins.convert import to_string
from classad.eval.builtins.pcre_outcomes import LIMIT
from classad.eval.builtins.regex import compile_pattern
from classad.eval.compiler import DEREF_OK, compiled, counting, deref
from classad.eval.functions import builtin
from classad.eval.operators import to_bool
from classad.eval.refs import Refs
from classad.eval.scope import LEXICAL, MAX_EVAL_DEPTH, Ctx, Scope, current
from classad.grammar.parser import parse_expression
from classad.printer import pretty
from classad.values import ERROR, UNDEFINED, to_bytes

if TYPE_CHECKING:
    from classad.eval.builtins.pcre import Compiled

Fn = Callable[[Any, Ctx], Any]


@builtin("ifThenElse", 3, lazy=True)
def if_then_else(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """Lazy: only the chosen branch is evaluated; the condition may be bool, int or real."""
    c = to_bool(args[0](scope, ctx))
    if c is True:
        return args[1](scope, ctx)
    if c is False:
        return args[2](scope, ctx)
    return c


# --- eval, unparse, unresolved, debug (reference 5.1, miscellaneous) --------------------------


@builtin("eval", 1, lazy=True)
def eval_(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """``eval(s)`` (reference 5.1): convert the argument to a string (undefined and error give
    error), parse it as a whole expression in the current semantic mode (a parse error gives
    error) and evaluate it in the current ad.  An evaluation failure inside propagates."""
    s = to_string(args[0](scope, ctx))
    if type(s) is not str:
        return ERROR
    try:
        node = parse_expression(s, ctx.old)
    except ClassAdParseError:
        return ERROR
    except (RecursionError, MemoryError, ValueError):
        return ERROR
    # Like HTCondor, the parsed expression counts one level deeper than the call; this also
    # ends self-reproducing evaluations (``[s = "eval(s)"] :: eval(s)``) with a failure.
    depth = ctx.depth + 1
    if depth > MAX_EVAL_DEPTH:
        raise DepthFailure("eval nested too deeply")
    fn = compiled(node)
    if depth + node.h > MAX_EVAL_DEPTH:
        fn = counting(node)
    saved = ctx.depth
    ctx.depth = depth
    try:
        # The parsed expression belongs to the current ad (HTCondor sets its parent scope).
        return fn(current(scope, ctx), ctx)
    finally:
        ctx.depth = saved


@builtin("unparse", 1, lazy=True)
def unparse_(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """``unparse(attr)`` (reference 5.1): the argument must be an attribute reference (else
    error).  Its printed form is looked up, as a name, among the current ad's own attributes;
    the result is the pretty-printed expression found, or ``""`` (the current ad: see
    :mod:`classad.eval.scope`).  So ``unparse(x.a)`` finds an
    attribute named ``'x.a'``, and ``unparse(.a)`` never finds anything."""
    node = nodes[0]
    if type(node) is not AttrRef:
        return ERROR
    cur = current(scope, ctx)
    if cur is None:
        return ""
    expr = cur.attrs.get(pretty(node).lower())
    if expr is None:
        return ""
    return pretty(expr, htcondor_order=True)


def _nonempty_match(rx: Compiled, subject: bytes) -> bool:
    """Whether ``rx`` has a non-empty match in ``subject`` (HTCondor matches with
    PCRE2_NOTEMPTY), from Python's ``re`` or the backtracking matcher.  A match that hits
    PCRE2's match limit is no match: HTCondor only asks for a positive result, so it goes on
    with the next reference (classad2 25.14.1: ``[x = aa...ab + zz] :: unresolved(x,
    "^(zz|(a|a)+c)$")`` is true)."""
    m = rx.search_notempty(subject)
    return m is not None and m is not LIMIT


@builtin("unresolved", 1, 2, lazy=True)
def unresolved(args: list[Fn], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
    """``unresolved(attr[, regex])`` (reference 5.1, HTCondor's ``hasRefs``).

    The argument must be an attribute reference (else error); it is dereferenced as HTCondor's
    ``AttributeReference::Deref`` does (:func:`~classad.eval.compiler.deref`: an attribute's
    expression, an ad for ``self``/``parent``..., the list a projection ``list.name`` builds);
    if that fails the result is undefined.  The lookup leaves the current ad where it ended
    (for the pattern and the rest of the enclosing evaluation), and the references are looked
    up from there.  The external references of the expression (names not defined in that ad
    or its enclosing ads; ``x.y`` with ``x`` undefined as ``x.y``; a ``target.`` prefix
    removed) are joined with commas in case-insensitive order.  With a regular expression
    (PCRE2, caseless; a non-empty match is needed) the result says whether any reference
    matches; a non-string pattern is an evaluation failure, a bad pattern an error.
    """
    node = nodes[0]
    if type(node) is not AttrRef:
        return ERROR
    rc, target, _, moved = deref(node, scope, ctx)
    ctx.cur = moved
    if rc != DEREF_OK:
        return UNDEFINED
    assert target is not None
    rx: Compiled | None = None
    if len(args) == 2:
        pat = args[1](scope, ctx)
        if type(pat) is not str:
            raise EvaluationFailure("unresolved: the pattern is not a string")
        rx = compile_pattern(to_bytes(pat), "i")
        if rx is None:
            return ERROR
    names: list[str] = []
    where = current(scope, ctx)
    if where is not None:
        walk = Refs(ctx)
        saved = ctx.cur
        ctx.cur = LEXICAL  # the walk keeps its own current ad
        try:
            if isinstance(target, Scope):
                ok = walk.walk_ad(target.entries(), where)
            else:
                ok = walk.walk(target, where)
        finally:
            ctx.cur = saved
        if ok:
            names = walk.sorted_names()
    out: list[str] = []
    for name in names:
        if to_bytes(name[:7]).lower() == b"target.":
            name = name[7:]
        if rx is not None:
            if _nonempty_match(rx, to_bytes(name)):
                return True
        else:
            out.append(name)
    if rx is not None:
        return False
    return ",".join(out)


@builtin("debug", 1)
def debug(v: Any) -> Any:
    """``debug(e)`` (reference 5.1): the value of ``e`` (HTCondor also logs it)."""
    return v
