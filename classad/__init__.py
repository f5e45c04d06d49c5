"""A pure-Python implementation of HTCondor's ClassAd language.

The API follows HTCondor's ``classad`` Python module (``ClassAd``, ``ExprTree``, ``Value``,
``quote``/``unquote``, matching); see the README for the differences we chose.
"""

from __future__ import annotations

import enum

from classad._classad import ClassAd
from classad._exprtree import ExprTree
from classad.builders import Attribute, Function, Literal
from classad.clock import clock
from classad.convert import ClassAdTypeError, Value, lossless_strings
from classad.errors import ClassAdException, ClassAdParseError
from classad.eval import builtins as _builtins  # noqa: F401  (registers the built-in functions)
from classad.eval.operators import last_error as _last_error
from classad.formats.parse import parseAds, parseNext, parseOne
from classad.grammar.lexer import UNREADABLE
from classad.printer import quote_string
from classad.semantics import get_semantics, semantics, set_default_semantics
from classad.userfunctions import register, registerLibrary

__version__ = "0.1.0"


class ParserType(enum.IntEnum):
    """Input formats of ``parseAds`` (HTCondor's values)."""

    Auto = -1
    Old = 0
    XML = 1
    JSON = 2
    New = 3
    FileAuto = 4


Parser = ParserType


def version() -> str:
    """The HTCondor ClassAd library version whose behaviour this package implements."""
    return "25.14.1"


def lastError() -> str:  # noqa: N802 - HTCondor's name
    """The last error message left by an evaluation (e.g. comparing a string to a number)."""
    return _last_error[0]


def quote(s: str) -> str:
    """``s`` as a new-syntax ClassAd string literal, with HTCondor's escapes."""
    if not isinstance(s, str):
        raise ClassAdTypeError(f"quote() needs a str, got {type(s).__name__}")
    bad = UNREADABLE.search(s)
    if bad is not None:
        raise ClassAdTypeError(f"quote(): {bad.group()!a} at index {bad.start()} cannot be in a string")
    return quote_string(s)


def unquote(s: str) -> str:
    """The string value of a ClassAd string literal (adjacent literals are concatenated)."""
    from classad.ast import Literal
    from classad.grammar.parser import parse_expression
    from classad.semantics import is_old

    if not isinstance(s, str):
        raise ClassAdTypeError(f"unquote() needs a str, got {type(s).__name__}")
    try:
        node = parse_expression(s, is_old())
    except ClassAdParseError:
        raise ValueError("String does not parse to a ClassAd literal") from None
    if not isinstance(node, Literal):
        raise ValueError("String does not parse to a ClassAd literal")
    if not isinstance(node.value, str):
        raise ValueError("ClassAd literal is not a string value")
    return node.value


__all__ = [
    "Attribute",
    "ClassAd",
    "ClassAdException",
    "ClassAdParseError",
    "ClassAdTypeError",
    "ExprTree",
    "Function",
    "Literal",
    "Parser",
    "ParserType",
    "Value",
    "clock",
    "get_semantics",
    "lastError",
    "lossless_strings",
    "parseAds",
    "parseNext",
    "parseOne",
    "quote",
    "register",
    "registerLibrary",
    "semantics",
    "set_default_semantics",
    "unquote",
    "version",
]
