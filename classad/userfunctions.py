"""User-registered Python functions, callable from ClassAd expressions.

``classad.register(fn)`` makes ``fn`` callable by its name (or ``name=``) from any expression,
case-insensitively, as HTCondor's original (v1) ``classad`` module offered.  Arguments arrive as
evaluated Python values (the usual ClassAd-to-Python conversion); with ``state=True`` the
calling ad (a :class:`~classad.ClassAd`) comes first, as in v1.  The result is converted back;
an :class:`~classad.ExprTree` result is evaluated in the caller's ad (v1's rule), so a function
can return ``ExprTree("a + 1")`` meaning the caller's ``a``.  A Python exception inside the
function, or a result that has no ClassAd form, gives ``error``: it never breaks the evaluation
(v1 raised it out of ``eval``; evaluation is total here).  A built-in function's name cannot be
taken over: the built-in wins, as in v1 (a ``RuntimeWarning`` says so).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

from classad.ast import Node
from classad.convert import ClassAdTypeError, to_node, to_python
from classad.errors import ClassAdOSError, DepthFailure
from classad.eval.compiler import compiled, counting
from classad.eval.functions import REGISTRY, VARIADIC, Builtin, ensure_builtins
from classad.eval.scope import MAX_EVAL_DEPTH, Ctx, Scope, current
from classad.values import ERROR

_USER: set[str] = set()
"""Lower-cased names registered from Python (they may be registered again)."""


def register(function: Callable[..., Any], name: str | None = None, state: bool = False) -> None:
    """Make ``function`` callable from ClassAd expressions as ``name`` (default: its ``__name__``).

    With ``state=True`` it receives the calling ad first.  Without it, a function that takes a
    keyword argument ``state`` (a parameter of that name, or ``**kwargs``) receives the calling ad
    as ``state=ad`` when it is called from an ad, as HTCondor's v1 module did.  Registering under a built-in
    function's name keeps the built-in (with a ``RuntimeWarning``); a name registered from
    Python before is replaced.
    """
    if not callable(function):
        raise ClassAdTypeError(f"register() needs a callable, got {type(function).__name__}")
    fname = name if name is not None else getattr(function, "__name__", None)
    if not isinstance(fname, str) or not fname:
        raise ClassAdTypeError("register() needs a function name: pass name='...'")
    key = fname.lower()
    ensure_builtins()
    if key in REGISTRY and key not in _USER:
        warnings.warn(f"{fname}() is a built-in ClassAd function; the built-in is kept", RuntimeWarning, 2)
        return
    wants_state = not state and _accepts_state_keyword(function)

    def call_python(args: list[Any], nodes: tuple[Node, ...], scope: Scope | None, ctx: Ctx) -> Any:
        here = current(scope, ctx)
        values = [arg(scope, ctx) for arg in args]
        try:
            pyargs = [to_python(v) for v in values]
            kwargs: dict[str, Any] = {}
            if state or (wants_state and here is not None):
                from classad._classad import ClassAd

                ad = ClassAd._from_entries(here.entries()) if here is not None else ClassAd()
                if state:
                    pyargs.insert(0, ad)
                else:
                    kwargs["state"] = ad  # v1: a function taking a ``state`` keyword is given the ad
            node = to_node(function(*pyargs, **kwargs))
        except Exception:
            return ERROR
        return _evaluate_result(node, here, ctx)

    call_python.__name__ = fname
    _USER.add(key)
    REGISTRY[key] = Builtin(fname, call_python, 0, VARIADIC, True, False)


def _accepts_state_keyword(function: Callable[..., Any]) -> bool:
    """Whether ``function`` takes a keyword argument ``state`` (a parameter of that name, or
    ``**kwargs``): HTCondor's v1 module then passed it the calling ad, as ``state=ad``."""
    import inspect

    try:
        params = inspect.signature(function).parameters.values()
    except (TypeError, ValueError):  # no signature to read (some built-in callables)
        return False
    for p in params:
        if p.kind is p.VAR_KEYWORD:
            return True
        if p.name == "state" and p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY):
            return True
    return False


def _evaluate_result(node: Node, here: Scope | None, ctx: Ctx) -> Any:
    """A function's result evaluated in the calling ad, one level deeper than the call (as
    ``eval()`` evaluates the expression it parses)."""
    depth = ctx.depth + 1
    if depth > MAX_EVAL_DEPTH:
        raise DepthFailure("registered function results nested too deeply")
    fn = counting(node) if depth + _height(node) > MAX_EVAL_DEPTH else compiled(node)
    saved = ctx.depth
    ctx.depth = depth
    try:
        return fn(here, ctx)
    finally:
        ctx.depth = saved


def _height(node: Node) -> int:
    compiled(node)  # computes the node's evaluation height
    return node.h


def registerLibrary(path: str) -> None:  # noqa: N802 - HTCondor's name
    """HTCondor loads C++ function libraries with this; a pure-Python library cannot.

    Raises ``ClassAdOSError`` (v1's class for a library that cannot be loaded)."""
    raise ClassAdOSError(
        f"registerLibrary({path!r}): loading compiled ClassAd function libraries needs HTCondor's "
        "C++ library; this pure-Python implementation cannot load them. Register Python functions "
        "with classad.register(function) instead."
    )
