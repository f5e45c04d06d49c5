"""A pure-Python implementation of HTCondor's ClassAd language.

The API follows HTCondor's ``classad`` Python modules, both the original (v1) one and
``classad2`` (``ClassAd``, ``ExprTree``, ``Value``, ``quote``/``unquote``, matching); v1's
deprecated names (``parse``, ``parseOld``, ``parseOldAds``, ``Parser``, the iterator classes)
work with a ``DeprecationWarning`` (:mod:`classad.v1compat`).  See the README and
DEVIATIONS.md for the differences we chose.
"""

from __future__ import annotations

import typing as _typing
from typing import Any as _Any

from classad._classad import ClassAd
from classad._exprtree import ExprTree
from classad.builders import Attribute, Function, Literal
from classad.clock import clock
from classad.convert import ClassAdTypeError, Value, lossless_strings
from classad.convert import EvalResult as _EvalResult
from classad.errors import (
    ClassAdEnumError,
    ClassAdEvaluationError,
    ClassAdException,
    ClassAdInternalError,
    ClassAdOSError,
    ClassAdParseError,
    ClassAdValueError,
)
from classad.eval.operators import last_error as _last_error
from classad.grammar.text import UNREADABLE
from classad.parsertype import ParserType
from classad.printer import quote_string
from classad.semantics import get_semantics, semantics, set_default_semantics
from classad.userfunctions import register, registerLibrary
from classad.v1compat import parse, parseAds, parseNext, parseOld, parseOldAds, parseOne

__version__ = "0.1.0"

EvalResult: _typing.TypeAlias = _EvalResult
"""What evaluating an expression gives in Python (``ad.eval(k)``, ``ExprTree.eval()``), and what
``ad[k]`` and ``ad.get(k)`` give: ``bool``, ``int``, ``float``, ``str``, :class:`Value`
(``Undefined`` or ``Error``), an aware UTC ``datetime.datetime`` (an ``absTime``), a ``list`` of
these, a nested :class:`ClassAd`, or an :class:`ExprTree` (``ad[k]`` of an attribute that is not
a literal; an ``absTime`` outside ``datetime``'s range).  A ``relTime`` is a ``float`` of seconds.
Narrow it with ``isinstance`` before use; ``mypy --strict`` then checks the rest."""


# The tools' entry points, imported on first use so that ``import classad`` stays cheap and
# never imports an optional extra (pyarrow for the Arrow functions).
_LAZY = {
    "query": ("classad.queries.query", "query"),
    "dump": ("classad.formats.writer", "dump"),
    "to_arrow": ("classad.arrow", "to_arrow"),
    "to_pandas": ("classad.arrow", "to_pandas"),
    "write_parquet": ("classad.arrow", "write_parquet"),
}


if not _typing.TYPE_CHECKING:  # hidden from type checkers, so a misspelt name is an error there

    def __getattr__(name: str) -> _Any:
        """The tools' entry points (``query``, ``dump``, ``to_arrow``, ...), imported on first use,
        and v1's deprecated classes (``Parser``, ``ClassAdFileIterator``, ...): each access warns."""
        lazy = _LAZY.get(name)
        if lazy is not None:
            import importlib

            return getattr(importlib.import_module(lazy[0]), lazy[1])
        from classad.v1compat import DEPRECATED_NAMES, deprecated

        if name in DEPRECATED_NAMES:
            obj, replacement = DEPRECATED_NAMES[name]
            deprecated(name, replacement)
            return obj
        raise AttributeError(f"module 'classad' has no attribute {name!r}")

else:  # what __getattr__ gives, as type checkers should see it
    from classad.arrow import to_arrow as to_arrow
    from classad.arrow import to_pandas as to_pandas
    from classad.arrow import write_parquet as write_parquet
    from classad.formats.writer import dump as dump
    from classad.queries.query import query as query
    from classad.v1compat import ClassAdFileIterator as ClassAdFileIterator
    from classad.v1compat import ClassAdStringIterator as ClassAdStringIterator
    from classad.v1compat import OldClassAdIterator as OldClassAdIterator
    from classad.v1compat import Parser as Parser


def __dir__() -> list[str]:
    """The public API (``__all__``), the tools' entry points and v1's deprecated names; no
    helpers or submodules."""
    from classad.v1compat import DEPRECATED_NAMES

    return sorted([*__all__, *_LAZY, *DEPRECATED_NAMES, "__version__"])


def version() -> str:
    """The HTCondor ClassAd library version whose behaviour this package implements."""
    return "25.14.1"


def lastError() -> str:  # noqa: N802 - HTCondor's name
    """The last error message left by an evaluation (e.g. comparing a string to a number)."""
    return _last_error[0]


def quote(input: str) -> str:
    """``input`` as a new-syntax ClassAd string literal, with HTCondor's escapes."""
    if not isinstance(input, str):
        raise ClassAdTypeError(f"quote() needs a str, got {type(input).__name__}")
    bad = UNREADABLE.search(input)
    if bad is not None:
        raise ClassAdTypeError(f"quote(): {bad.group()!a} at index {bad.start()} cannot be in a string")
    return quote_string(input)


def unquote(input: str) -> str:
    """The string value of a ClassAd string literal (adjacent literals are concatenated)."""
    from classad.ast import Literal
    from classad.grammar.parser import parse_expression
    from classad.semantics import is_old

    if not isinstance(input, str):
        raise ClassAdTypeError(f"unquote() needs a str, got {type(input).__name__}")
    try:
        node = parse_expression(input, is_old())
    except ClassAdParseError as err:
        raise ClassAdParseError(
            "String does not parse to a ClassAd literal", input, err.pos, err.token
        ) from None
    if not isinstance(node, Literal):
        raise ClassAdParseError("String does not parse to a ClassAd literal", input)
    if not isinstance(node.value, str):
        raise ClassAdParseError("ClassAd literal is not a string value", input)
    return node.value


__all__ = [
    "Attribute",
    "ClassAd",
    "ClassAdEnumError",
    "ClassAdEvaluationError",
    "ClassAdException",
    "ClassAdInternalError",
    "ClassAdOSError",
    "ClassAdParseError",
    "ClassAdTypeError",
    "ClassAdValueError",
    "EvalResult",
    "ExprTree",
    "Function",
    "Literal",
    "ParserType",
    "Value",
    "clock",
    "get_semantics",
    "lastError",
    "lossless_strings",
    "parse",
    "parseAds",
    "parseNext",
    "parseOld",
    "parseOldAds",
    "parseOne",
    "quote",
    "register",
    "registerLibrary",
    "semantics",
    "set_default_semantics",
    "unquote",
    "version",
]
