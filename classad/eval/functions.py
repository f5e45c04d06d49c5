"""The built-in function registry (reference section 5).

One explicit table, filled by the :func:`builtin` decorator, keyed by the case-folded
ClassAd name.  The registry applies strictness (``error`` in any argument gives error, then
``undefined`` gives undefined) so function bodies stay on the happy path, and it checks the
number of arguments: an unknown function or a wrong arity evaluates to ``error``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from classad.values import ERROR, UNDEFINED


class Builtin:
    """One registered function.

    ``impl`` receives evaluated argument values; with ``context`` it first receives the
    evaluation state (:class:`~classad.eval.scope.Ctx`, needed to evaluate list elements).
    A ``lazy`` function receives the argument closures, the argument expression nodes, the
    current scope and the evaluation state, and evaluates what it needs.
    """

    __slots__ = ("context", "impl", "lazy", "max_args", "min_args", "name", "strict")

    def __init__(
        self,
        name: str,
        impl: Callable[..., Any],
        min_args: int,
        max_args: int,
        lazy: bool,
        strict: bool,
        context: bool = False,
    ) -> None:
        self.name = name
        self.impl = impl
        self.min_args = min_args
        self.max_args = max_args
        self.lazy = lazy
        self.strict = strict
        self.context = context

    def accepts(self, n: int) -> bool:
        """Whether ``n`` arguments is a valid call."""
        return self.min_args <= n <= self.max_args


REGISTRY: dict[str, Builtin] = {}

# Every function HTCondor 25.14 knows (reference section 5), lower-cased.
HTCONDOR_FUNCTIONS = frozenset(
    """isundefined iserror isstring isinteger isreal islist isclassad isboolean isabstime isreltime
    member identicalmember size sum avg min max anycompare allcompare time currenttime
    timezoneoffset daytime getyear getmonth getdayofyear getdayofmonth getdayofweek gethours
    getminutes getseconds getdays splittime formattime interval strcat join toupper tolower substr
    strcmp stricmp versioncmp versiongt versionge versionlt versionle versioneq version_in_range
    regexp regexpmember regexps replace replaceall stringlistsintersect int real string bool
    abstime reltime floor ceil ceiling round pow quantize random ifthenelse eval unparse unresolved
    debug stringlistsize stringlistsum stringlistavg stringlistmin stringlistmax stringlistmember
    stringlistimember stringlistsubsetmatch stringlistisubsetmatch stringlist_regexpmember split
    splitusername splitslotname userhome usermap envv1tov2 mergeenvironment argstolist listtoargs
    evalineachcontext countmatches""".split()
)


VARIADIC = 1 << 30


def builtin(
    name: str,
    min_args: int,
    max_args: int | None = None,
    *,
    strict: bool = False,
    lazy: bool = False,
    context: bool = False,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register a built-in under its ClassAd spelling ``name`` (looked up case-insensitively).

    ``max_args`` defaults to ``min_args``; use :data:`VARIADIC` for no upper bound.
    """

    def register(fn: Callable[..., Any]) -> Callable[..., Any]:
        impl = fn
        if strict and not lazy:
            skip = 1 if context else 0

            def impl(*args: Any) -> Any:
                vals = args[skip:]
                for a in vals:
                    if a is ERROR:
                        return ERROR
                for a in vals:
                    if a is UNDEFINED:
                        return UNDEFINED
                return fn(*args)

            impl.__name__ = fn.__name__
            impl.__doc__ = fn.__doc__
        hi = min_args if max_args is None else max_args
        REGISTRY[name.lower()] = Builtin(name, impl, min_args, hi, lazy, strict, context)
        return fn

    return register


def lookup(name: str) -> Builtin | None:
    """The built-in called ``name`` (any case), or None."""
    return REGISTRY.get(name.lower())
