"""The fast path for reading a new-syntax ad: split it into attributes with one regular
expression per attribute, read plain literal values directly, and hand every other value
text to the (cached) expression parser.

Real ads are mostly ``Name = literal;`` and the same expression texts repeat from ad to ad,
so this reads a typical job ad without running the tokenizer over it.  The splitter only
accepts text whose attribute boundaries it can find with certainty: identifiers for names,
values holding no quoted names, comments, backslashes outside strings, NULs, or brackets
``[...]`` nested more than one level (a nested ad or a subscript is fine).  Anything else
-- and every malformed ad -- returns ``None``, and the caller parses the whole ad with the
grammar, which is the single source of syntax and reports the errors.
The values themselves always come from the grammar (through its cache) unless they are one
of the literal forms below, whose values the lexer would give the same way; the tests check
this path against the general one on real and generated ads.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from classad.ast import AdExpr, Literal, Node
from classad.cache import BoundedCache
from classad.values import ERROR, UNDEFINED

# The value, as an "unrolled loop" (plain* (special plain*)*): every special part starts with a
# character no plain run holds, so there is one way to match and a failure costs linear time.
_PLAIN = r"""[^;\[\]"'/\\\x00]*"""  # no ; [ ] quotes / \ NUL
_STR = r'"[^"\\\x00]*(?:\\[^\x00][^"\\\x00]*)*"'  # a string, with its escapes
_DIV = r"/(?![/*])"  # division, not a comment
_INNER = r"""[^\[\]"'/\\\x00]*"""  # inside [...]: ';' too
_NESTED = r"\[" + _INNER + r"(?:(?:" + _STR + "|" + _DIV + r")" + _INNER + r")*\]"  # one level of [...]
_ATTR = re.compile(
    r"[ \t\n\r\f\v]*([A-Za-z_][A-Za-z0-9_]*)"  # the name: an identifier
    r"[ \t\n\r\f\v]*=(?![=?!])[ \t\n\r\f\v]*"
    r"(" + _PLAIN + r"(?:(?:" + _STR + "|" + _DIV + "|" + _NESTED + r")" + _PLAIN + r")*)"  # the value
    r"(?:;[ \t\n\r\f\v;]*|(\]))"  # its end: ';' (and any more), or the ad's ']'
)
_TRAILING_WS = " \t\n\r\f\v"
_OPEN = re.compile(r"[ \t\n\r\f\v]*\[")
_CLOSE = re.compile(r"[ \t\n\r\f\v]*\]")
_KEYWORDS = frozenset({"true", "false", "undefined", "error", "is", "isnt"})

# Literal values read without the grammar, exactly as the lexer reads them.
_INT = re.compile(r"-?(?:[1-9][0-9]{0,17}|0)\Z")  # no leading zeros; well inside int64
_REAL = re.compile(r"-?[0-9]+\.[0-9]+\Z")
_STRING = re.compile(r'"[^"\\\x00\ud800-\udc7f\udd00-\udfff]*"\Z')  # no escapes, nothing unreadable
_WORDS: dict[str, Node] = {
    "true": Literal(True),
    "false": Literal(False),
    "undefined": Literal(UNDEFINED),
    "error": Literal(ERROR),
}


_LITERALS: BoundedCache[str, Node] = BoundedCache(4 << 20, 4096)
"""Literal nodes by value text (the same few texts, ``0``, ``true``, ``"LINUX"``, repeat from ad
to ad): nodes are immutable, so equal texts share one."""


def literal_value(value: str) -> Node | None:
    """The node of a value text that is a plain literal (``12``, ``-3.5``, ``"text"``,
    ``true``), else None."""
    c = value[0]
    if c == '"':
        if _STRING.match(value):
            return Literal(value[1:-1])
        return None
    if c.isdigit() or c == "-":
        if _INT.match(value):
            return Literal(int(value))
        if _REAL.match(value):
            return Literal(float(value))
        return None
    return _WORDS.get(value.lower()) if len(value) <= 9 else None


def fast_ad(text: str, parse_value: Callable[[str], Node], start: int = 0) -> tuple[AdExpr, int] | None:
    """The ad at ``text[start:]`` (after whitespace) and the offset just past its ``]``, or
    None when the text needs the grammar.  ``parse_value`` parses a value text that is not a
    plain literal (raising ``ClassAdParseError`` if it is not an expression).  Only text up to
    the ``]`` is looked at, so a window of a stream that ends inside the ad gives None."""
    m = _OPEN.match(text, start)
    if m is None:
        return None
    pos = m.end()
    end = _CLOSE.match(text, pos)
    if end is not None:
        return AdExpr(()), end.end()  # [ ]
    entries: list[tuple[str, Node]] = []
    match = _ATTR.match
    literals = _LITERALS.data
    while True:
        m = match(text, pos)
        if m is None:
            return None
        name, value, close = m.group(1, 2, 3)
        value = value.rstrip(_TRAILING_WS)
        if not value or (len(name) <= 9 and name.lower() in _KEYWORDS):
            return None
        node = literals.get(value)
        if node is None:
            node = literal_value(value)
            if node is not None:
                _LITERALS.put(value, node, 2 * len(value))
            else:
                try:
                    node = parse_value(value)
                except Exception:  # any problem: the grammar decides and reports
                    return None
        entries.append((name, node))
        pos = m.end()
        if close is not None:
            return AdExpr(tuple(entries)), pos
        if pos < len(text) and text[pos] == "]":
            return AdExpr(tuple(entries)), pos + 1
