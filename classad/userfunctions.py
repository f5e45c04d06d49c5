"""User-registered Python functions, callable from ClassAd expressions.

``classad.register(fn)`` makes ``fn`` callable by its name (or ``name=``) from any expression,
case-insensitively, as HTCondor's original ``classad`` module offered.  Arguments arrive as
evaluated Python values (the usual ClassAd-to-Python conversion); the result is converted back.
A Python exception inside the function, or a result that has no ClassAd form, gives ``error``:
it never breaks the evaluation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from classad.convert import ClassAdTypeError, to_node, to_python
from classad.errors import ClassAdException
from classad.eval.compiler import compiled
from classad.eval.functions import REGISTRY, VARIADIC, Builtin
from classad.eval.scope import Ctx
from classad.values import ERROR


def register(function: Callable[..., Any], name: str | None = None) -> None:
    """Make ``function`` callable from ClassAd expressions as ``name`` (default: its ``__name__``).

    A registered name replaces a built-in of the same name.
    """
    if not callable(function):
        raise ClassAdTypeError(f"register() needs a callable, got {type(function).__name__}")
    fname = name if name is not None else getattr(function, "__name__", None)
    if not isinstance(fname, str) or not fname:
        raise ClassAdTypeError("register() needs a function name: pass name='...'")

    def call_python(*args: Any) -> Any:
        try:
            result = function(*[to_python(a) for a in args])
            node = to_node(result)
        except Exception:
            return ERROR
        return compiled(node)(None, Ctx(None, True))

    call_python.__name__ = fname
    REGISTRY[fname.lower()] = Builtin(fname, call_python, 0, VARIADIC, False, False)


def registerLibrary(path: str) -> None:  # noqa: N802 - HTCondor's name
    """HTCondor loads C++ function libraries with this; a pure-Python library cannot."""
    raise ClassAdException(
        f"registerLibrary({path!r}): loading compiled ClassAd function libraries needs HTCondor's "
        "C++ library; this pure-Python implementation cannot load them. Register Python functions "
        "with classad.register(function) instead."
    )
