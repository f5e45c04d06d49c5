"""Control functions (reference 5.1, miscellaneous): ``ifThenElse``."""

from __future__ import annotations

from typing import Any, Callable

from classad.ast import Node
from classad.eval.functions import builtin
from classad.eval.operators import to_bool
from classad.eval.scope import Ctx, Scope

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
