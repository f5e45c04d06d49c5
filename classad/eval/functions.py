"""The built-in function registry (reference section 5).

One explicit table, filled by the :func:`builtin` decorator, keyed by the case-folded
ClassAd name.  The registry applies strictness (``error`` in any argument gives error, then
``undefined`` gives undefined) so function bodies stay on the happy path, and it checks the
number of arguments: an unknown function or a wrong arity evaluates to ``error``.

It also applies HTCondor's rule for an argument whose evaluation *fails* (no value at all, as
``random(0)``; :class:`~classad.errors.EvaluationFailure`).  Most built-ins propagate the
failure, so the whole evaluation fails.  The eager functions in :data:`FAILURE_IS_ERROR` take
such an argument as ``error`` instead (so ``userHome("root", random(0))`` is ``"/root"``, as for
an ``error`` default).  Lazy functions follow their own rules: ``countMatches`` and
``evalInEachContext`` take a failing list or element as error, ``regexpMember`` a failing
element, and ``anyCompare``, ``allCompare``, ``argsToList``, ``listToArgs``, ``join`` and
``mergeEnvironment`` stop before evaluating an argument once an earlier one decides the result.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from classad.errors import EvaluationFailure
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
"""Every function by folded name.  The library's own (:mod:`classad.eval.builtins`) are
registered on first need (:func:`ensure_builtins`): a reader of this table calls that first."""

_LOADED = [False]
_LOAD_LOCK = threading.RLock()  # re-entrant: loading the families may compile an expression


def ensure_builtins() -> None:
    """Register the library's built-in functions, once.  They load with the first compile,
    flatten, analysis or registration, not with ``import classad``."""
    if _LOADED[0]:
        return
    with _LOAD_LOCK:
        if not _LOADED[0]:
            import classad.eval.builtins  # noqa: F401  (registers them)

            _LOADED[0] = True


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

FAILURE_IS_ERROR = frozenset({"userhome", "stringlistsintersect"})
"""Eager built-ins (lower-cased) that evaluate every argument and take one whose evaluation
fails as ``error`` (checked against ``classad2`` 25.14.1); every other eager built-in fails."""


def value_or_error(arg: Callable[[Any, Any], Any], scope: Any, ctx: Any) -> Any:
    """The value of the argument closure ``arg``, or ``error`` when its evaluation fails.

    Running out of Python stack (``StackFailure``, our own limit, not HTCondor's) still
    propagates: turning it into a value would make the result depend on the caller's stack."""
    try:
        return arg(scope, ctx)
    except EvaluationFailure as exc:
        from classad.eval.compiler import StackFailure

        if isinstance(exc, StackFailure):
            raise
        return ERROR


def _failure_as_error(fn: Callable[..., Any], context: bool) -> Callable[..., Any]:
    """``fn`` (taking evaluated values) as a lazy built-in whose failing arguments are error."""

    def call(args: list[Callable[[Any, Any], Any]], nodes: tuple[Any, ...], scope: Any, ctx: Any) -> Any:
        vals = [value_or_error(a, scope, ctx) for a in args]
        return fn(ctx, *vals) if context else fn(*vals)

    call.__name__ = fn.__name__
    call.__doc__ = fn.__doc__
    return call


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

    ``max_args`` defaults to ``min_args``; use :data:`VARIADIC` for no upper bound.  An eager
    function named in :data:`FAILURE_IS_ERROR` is registered lazy, taking failing arguments as
    error (see :func:`value_or_error`).
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
        is_lazy = lazy
        if not lazy and name.lower() in FAILURE_IS_ERROR:
            impl = _failure_as_error(impl, context)
            is_lazy = True
        REGISTRY[name.lower()] = Builtin(name, impl, min_args, hi, is_lazy, strict, context)
        return fn

    return register


def lookup(name: str) -> Builtin | None:
    """The built-in called ``name`` (any case), or None."""
    ensure_builtins()
    return REGISTRY.get(name.lower())


def library_builtin(lname: str) -> Builtin | None:
    """The library's own function called ``lname`` (lower-cased), or None when no function has
    that name or it was registered from Python (``classad.register``).  Registering under a
    library function's name is refused, so what this returns stays the function of that name."""
    ensure_builtins()
    b = REGISTRY.get(lname)
    if b is not None and getattr(b.impl, "__module__", "").startswith("classad.eval"):
        return b
    return None
