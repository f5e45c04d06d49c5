"""The old "long" ad format (``condor_q -l``, ``condor_status -l``): reading and printing.

Reading follows HTCondor's line rules exactly (reference 6.2, ``InsertFromStream`` and
``SplitLongFormAttrValue`` in ``compat_classad.cpp``):

* lines end at ``\\n``; one trailing ``\\r`` is dropped;
* a line that is empty or only whitespace ends the ad;
* a line whose first character other than space and tab is ``#`` is skipped;
* otherwise the line is split at its first ``=``: the name is what comes before it, leading
  whitespace and trailing spaces removed, and is not validated (``Weird Name = 3`` is an
  attribute); the value is parsed with old-syntax strings (backslashes literal) and
  **non-full**: an expression followed by anything else is that expression
  (``RequestMemory * 2 junk`` is ``RequestMemory * 2``);
* a line with no ``=``, an empty name or a value that does not parse stops the ad: the
  attributes read so far are kept and the rest of the ad, up to the next blank line, is
  skipped (with a warning on the ``classad`` logger).

Most values in real dumps are plain literals and the same value texts repeat across ads, so
values are looked up in a cache of parsed texts first, then recognised by a literal check,
and only then given to the grammar.  The caches are bounded by size (only short texts are
kept, up to a few megabytes in all: :mod:`classad.cache`), so memory stays flat
whatever the values are.  An integer literal out of the 64-bit range, however many digits it
has, reads as 0, as in HTCondor.

Printing (``printOld`` / ``formatOld``) is HTCondor's old-syntax unparse: one ``name = value``
line each, reals as ``%.16G`` (plus ``.0`` if that looks like an integer), strings with only
``"`` escaped (so a string holding a newline cannot be read back: see DEVIATIONS.md),
quoted names with only ``'`` escaped, ``=?=`` and ``=!=`` instead of ``is`` and ``isnt``.
"""

from __future__ import annotations

import math
import re
from typing import TYPE_CHECKING, Any, cast

from classad.ast import (
    Literal,
    Node,
)
from classad.cache import BoundedCache, LastLines
from classad.errors import ClassAdParseError
from classad.exactprint import exact_literals, format_real_exact
from classad.formats._source import ASCII_WS, Source
from classad.grammar.parser import parse_expression
from classad.grammar.text import zone_dependent
from classad.printer import Style, format_literal, ordered, unparse
from classad.values import ERROR, INT64_MAX, INT64_MIN, UNDEFINED

if TYPE_CHECKING:
    from collections.abc import Iterable

    from classad._classad import ClassAd

__all__ = [
    "format_old",
    "format_real_exact",
    "int_literal",
    "parse_old_value",
    "print_old",
    "read_old_ad",
    "read_old_lines",
    "unparse_old",
]


def _log() -> Any:
    """The ``classad`` logger (``logging`` is imported on the first warning, not at start-up)."""
    import logging

    return logging.getLogger("classad")


# --- reading values ----------------------------------------------------------------------------

_INT = re.compile(r"-?(?:0|[1-9][0-9]*)")
_REAL = re.compile(r"-?(?:[0-9]*\.[0-9]+(?:[eE][+-]?[0-9]+)?|[0-9]+[eE][+-]?[0-9]+)")
_KEYWORDS = {"true": True, "false": False, "undefined": UNDEFINED, "error": ERROR}
_NUMBER_START = frozenset("-.0123456789")

# Parsed value texts (the cost counts the text twice: the key and what the node holds).  The
# OSPool sample's 205 ads hold about 15,000 distinct value texts (about 5 MB at that count), so
# 16 MB keeps the distinct values of dumps a few times larger.
_caches: dict[bool, BoundedCache[str, Node]] = {
    True: BoundedCache(16 << 20, 8192),
    False: BoundedCache(16 << 20, 8192),
}

_INT64_DIGITS = 19  # len(str(INT64_MAX)): more significant digits are always out of range


def int_literal(digits: str, negative: bool = False) -> int:
    """The value of a decimal integer literal, 0 when it is out of the 64-bit range (as
    HTCondor reads it), without converting more digits than can matter."""
    sig = digits.lstrip("0")
    if len(sig) > _INT64_DIGITS:
        return 0
    v = int(sig) if sig else 0
    if negative:
        v = -v
    return v if INT64_MIN <= v <= INT64_MAX else 0


def _literal(rhs: str) -> Node | None:
    """A plain literal value (the common case), or None if the grammar must decide."""
    c = rhs[:1]
    if c == '"':
        q = rhs.find('"', 1)
        if q < 0:
            return None
        if rhs.find("\\", 1, q) >= 0:
            return _old_string(rhs)
        if rhs[q + 1 :].strip(ASCII_WS):
            return None
        return Literal(rhs[1:q])
    text = rhs.rstrip(ASCII_WS)
    if c in _NUMBER_START:
        if _INT.fullmatch(text):
            neg = text[0] == "-"
            return Literal(int_literal(text[1:] if neg else text, neg))
        if _REAL.fullmatch(text):
            return Literal(float(text))
        return None
    kw = _KEYWORDS.get(text.lower(), None) if len(text) <= 9 else None
    if kw is not None:
        return Literal(kw)
    return None


def _old_string(rhs: str) -> Node | None:
    """A value that is one old-syntax string with backslashes (the lexer's rules: ``\\"`` is
    an embedded quote unless it ends the line), or None if anything else follows it."""
    n = len(rhs)
    i = 1
    parts: list[str] = []
    while True:
        q = rhs.find('"', i)
        if q < 0:
            return None
        if q > i and rhs[q - 1] == "\\" and q + 1 < n and rhs[q + 1] not in "\r\n":
            parts.append(rhs[i : q - 1] + '"')
            i = q + 1
            continue
        if rhs[q + 1 :].strip(ASCII_WS):
            return None
        parts.append(rhs[i:q])
        return Literal("".join(parts))


def _grammar(rhs: str, old: bool) -> Node:
    """Parse ``rhs`` non-full: on a syntax error at a token, the text before that token is the
    expression (HTCondor's recursive descent stops at the first token that cannot continue)."""
    try:
        return parse_expression(rhs, old, True)
    except ClassAdParseError as exc:
        cut = exc.pos
        if exc.token is None or cut <= 0 or cut >= len(rhs) or not rhs[:cut].strip(ASCII_WS):
            raise
        try:
            return parse_expression(rhs[:cut], old, True)
        except ClassAdParseError:
            raise exc from None


def parse_old_value(rhs: str, old: bool = True) -> Node:
    """The expression of an old-format value text (what follows ``name =``), non-full.

    ``old`` selects htcondor-mode lexing.  Raises :class:`ClassAdParseError` (positions in
    ``rhs``) when no expression starts the text.  Results are cached; treat them as immutable.
    """
    cache = _caches[old]
    node = cache.data.get(rhs)
    if node is None:
        node = _literal(rhs) or _grammar(rhs, old)
        if not zone_dependent(rhs):
            cache.put(rhs, node, 2 * len(rhs))
    return node


# --- reading ads -------------------------------------------------------------------------------

# First characters of a line that need a closer look (blank line, comment, leading space).
_SPECIAL = frozenset((" ", "\t", "\v", "\f", "\r", "#"))
_ODD_STARTS = tuple("\n" + c for c in sorted(_SPECIAL))
_BLOCK = 1 << 18  # characters searched for an ad's blank line by the block reader
# Attribute names as read -> (folded name, the name): the strings are shared between ads.
_folded: BoundedCache[str, tuple[str, str]] = BoundedCache(1 << 20, 512)


def _fold(name: str) -> tuple[str, str]:
    """(folded name, name), remembered in :data:`_folded` (the readers look there first)."""
    fk = (name.lower(), name)
    _folded.put(name, fk, 2 * len(name))
    return fk


def _bad_line(
    src: Source, start: int, line: str, col: int, exc: ClassAdParseError | None
) -> ClassAdParseError:
    """An error located at column ``col`` of the line starting at ``buf[start]``."""
    if exc is None:
        reason = "expected 'name = value'"
        err = ClassAdParseError(reason, line, col, None, None, src.filename)
    else:
        err = ClassAdParseError(exc.reason, line, col + exc.pos, exc.token, exc.expected, src.filename)
    return relocate(err, src.lineno(start))


def relocate(err: ClassAdParseError, line: int) -> ClassAdParseError:
    """Give ``err`` (whose text is a single line) the line number ``line`` of the input."""
    err.line = line
    err.args = (err._message(),)
    return err


def read_old_lines(
    src: Source, attrs: dict[str, Node], names: dict[str, str], old: bool, skip_bad_ad: bool = True
) -> tuple[int, ClassAdParseError | None]:
    """HTCondor's line loop for one ad: add attributes from ``src`` until a blank line or the
    end of input.  On a bad line, stop; with ``skip_bad_ad`` (the old format's own reader, not
    the fallback of the new-syntax one) skip to the next blank line first.

    Returns the number of attribute lines read and the error of the bad line, if any.
    """
    cache = _caches[old].data
    folded = _folded.data
    buf = src.buf
    pos = src.pos
    count = 0
    # The common case first: the ad ends at a blank line in the window and its lines are all
    # "Name = value" (one space either side of the first '='), cut with string methods.  The
    # first line that is not goes to the general loop below, which reads it and the rest.  The
    # blank line is looked for within _BLOCK characters, and the lines are cut only up to the
    # first line that starts with a character needing a closer look (a line of whitespace may
    # end the ad before it): a dump without blank lines costs no more than one without ads.
    blank = buf.find("\n\n", pos, pos + _BLOCK)
    if blank >= 0:
        stop = blank
        for lead in _ODD_STARTS:
            k = buf.find(lead, pos, stop)
            if k >= 0:
                stop = k
        lines = buf[pos:stop].split("\n")
        done = 0
        for line in lines:
            name, sep, rhs = line.partition(" = ")
            if (
                not sep
                or not name
                or name[0] in _SPECIAL
                or name[-1] == " "
                or "=" in name
                or rhs[:1] == " "
                or rhs[-1:] == "\r"
            ):
                break
            node = cache.get(rhs)
            if node is None:
                try:
                    node = parse_old_value(rhs, old)
                except ClassAdParseError:
                    break  # the general loop reports it
            fk = folded.get(name) or _fold(name)
            key = fk[0]
            if key not in names:
                names[key] = fk[1]
            attrs[key] = node
            done += 1
        else:
            if stop == blank:
                src.pos = blank + 2
                return done, None
        count = done
        pos += sum(map(len, lines[:done])) + done
    while True:
        nl = buf.find("\n", pos)
        if nl < 0:
            if not src.eof:
                src.pos = pos
                src.fill()
                buf = src.buf
                pos = src.pos
                continue
            if pos >= len(buf):
                break  # end of input
            nl = nxt = len(buf)
        else:
            nxt = nl + 1
        start = pos
        end = nl - 1 if nl > pos and buf[nl - 1] == "\r" else nl
        if pos == end:
            pos = nxt
            break  # an empty line ends the ad
        if buf[pos] in _SPECIAL:
            line = buf[pos:end]
            if not line.strip(ASCII_WS):
                pos = nxt
                break  # so does a line of whitespace
            if line.lstrip(" \t")[:1] == "#":
                pos = nxt
                continue
            pos = end - len(line.lstrip(ASCII_WS))
        eq = buf.find("=", pos, end)
        if eq <= pos:
            err = _bad_line(src, start, buf[start:end], (eq if eq >= 0 else pos) - start, None)
            src.pos = nxt
            if skip_bad_ad:
                _skip_ad(src)
            return count, err
        v = eq + 1
        while v < end and buf[v] == " ":
            v += 1
        rhs = buf[v:end]
        node = cache.get(rhs)
        if node is None:
            try:
                node = parse_old_value(rhs, old)
            except ClassAdParseError as exc:
                err = _bad_line(src, start, buf[start:end], v - start, exc)
                src.pos = nxt
                if skip_bad_ad:
                    _skip_ad(src)
                return count, err
        e = eq
        while buf[e - 1] == " ":
            e -= 1
        name = buf[pos:e]
        fk = folded.get(name) or _fold(name)
        key = fk[0]
        if key not in names:
            names[key] = fk[1]
        attrs[key] = node
        count += 1
        pos = nxt
    src.pos = pos
    return count, None


def _skip_ad(src: Source) -> None:
    """Skip lines up to and including the next blank line (``OnParseError``)."""
    while True:
        buf = src.buf
        pos = src.pos
        nl = buf.find("\n", pos)
        if nl < 0:
            if src.fill():
                continue
            src.pos = len(src.buf)
            return
        src.pos = nl + 1
        if not buf[pos:nl].strip(ASCII_WS):
            return


def read_old_ad(src: Source, old: bool) -> ClassAd | None:
    """The next ad of old-format input, as ``classad2``'s ``parseAds`` reads it: ``None`` at the
    end of the input.  An ad that yields no attribute at all ends the reading silently when
    nothing follows it, and raises :class:`ClassAdParseError` otherwise (HTCondor's
    "Unable to parse input stream into a ClassAd")."""
    attrs: dict[str, Node] = {}
    names: dict[str, str] = {}
    start = src.pos
    _, err = read_old_lines(src, attrs, names, old)
    return finish_ad(src, attrs, names, err, start)


def finish_ad(
    src: Source,
    attrs: dict[str, Node],
    names: dict[str, str],
    err: ClassAdParseError | None,
    start: int,
    empty_reason: str = "an ad without attributes (only comments) must not be followed by more input",
) -> ClassAd | None:
    """The ad read (or None at the end of input); raise when an empty ad is not the last.

    Input that HTCondor drops silently (the rest of an ad after a bad line, a bad last ad) is
    reported on the ``classad`` logger as a warning, or raised when the source is strict."""
    if err is not None and src.strict:
        raise err  # parseAds(..., on_error="raise")
    if attrs:
        if err is not None:
            _log().warning("%s\nthe rest of this ad is skipped, as HTCondor does", err)
        return make_ad(attrs, names)
    if src.at_end():
        if err is not None:
            _log().warning("%s\nthis last ad is skipped, as HTCondor does", err)
        return None
    if err is not None:
        raise err
    line = src.lineno(start)
    raise relocate(
        ClassAdParseError(
            empty_reason,
            *src.line_text(start),
            None,
            None,
            src.filename,
        ),
        line,
    )


def make_ad(attrs: dict[str, Node], names: dict[str, str]) -> ClassAd:
    """A ClassAd holding the given (folded name -> expression) and (folded -> spelling) maps."""

    from classad._classad import ClassAd

    ad = ClassAd()
    ad._attrs = attrs
    ad._names = names
    return ad


# --- printing ----------------------------------------------------------------------------------

_BARE_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_RESERVED = frozenset({"error", "false", "is", "isnt", "parent", "true", "undefined"})
_OPS = {"is": "=?=", "isnt": "=!="}
_names_cache: BoundedCache[str, str] = BoundedCache(1 << 20, 512)


def quote_name_old(name: str) -> str:
    """An attribute name as the old-syntax unparser writes it: quoted when it is not a plain
    identifier (or is reserved), with only ``'`` escaped."""
    q = _names_cache.data.get(name)
    if q is None:
        if _BARE_NAME.match(name) and name.lower() not in _RESERVED:
            q = name
        else:
            q = "'" + name.replace("'", "\\'") + "'"
        _names_cache.put(name, q, 2 * len(q))
    return q


def format_real_old(r: float) -> str:
    """A real in old syntax: ``%.16G``, plus ``.0`` when that looks like an integer."""
    if r == 0.0:
        return "-0.0" if math.copysign(1.0, r) < 0 else "0.0"
    if r != r:
        return 'real("NaN")'
    if r == math.inf:
        return 'real("INF")'
    if r == -math.inf:
        return 'real("-INF")'
    s = "%.16G" % r
    if "." in s or "E" in s:
        return s
    return s + ".0"


def format_literal_old(v: object) -> str:
    """A literal value in old syntax."""
    t = v.__class__
    if t is str:
        return '"' + cast(str, v).replace('"', '\\"') + '"'
    if t is int:
        return str(v)
    if t is bool:
        return "true" if v else "false"
    if t is float:
        return format_real_old(cast(float, v))
    return format_literal(v)


format_literal_old_exact = exact_literals(format_literal_old)
"""A literal value in old syntax, reals (and relative times) with all their digits."""


_OLD = Style(format_literal_old, quote_name_old, _OPS)
_OLD_EXACT = Style(format_literal_old_exact, quote_name_old, _OPS)


def unparse_old(node: Node, htcondor_order: bool = False, exact_reals: bool = False) -> str:
    """HTCondor's old-syntax form of one expression (nested ads' attributes in insertion
    order, or in HTCondor's with ``htcondor_order``; reals with all their digits with
    ``exact_reals``)."""
    style = _OLD_EXACT if exact_reals else _OLD
    if isinstance(node, Literal):
        return style.literal(node.value)
    return unparse(node, htcondor_order, style)


def format_old(ad: ClassAd, htcondor_order: bool = False, exact_reals: bool = False) -> str:
    """``printOld()`` / ``formatOld()``: the ad in old "long" format, one ``name = value`` line
    per attribute, each ending in a newline; an empty ad gives ``"\\n"``.

    Attributes come in insertion order, or in HTCondor's order with ``htcondor_order``.
    Reals are written as HTCondor does (16 significant digits), or with all the digits needed
    to read them back exactly with ``exact_reals`` (HTCondor reads that form too).
    """
    if htcondor_order:
        entries: Iterable[tuple[str, Node]] = ordered(ad._entries(), htcondor_order)
    else:
        spelling = ad._names
        entries = [(spelling[k], e) for k, e in ad._attrs.items()]
    lit = format_literal_old_exact if exact_reals else format_literal_old
    texts = _texts[(htcondor_order, exact_reals)]
    memo = texts.data
    quoted = _names_cache.data
    lines = _LINES[(htcondor_order, exact_reals)]
    last = lines.data
    out = []
    for name, expr in entries:
        line = last.get(name)
        if line is not None and line[0] is expr:
            out.append(line[1])
            continue
        if expr.__class__ is Literal:
            v: Any = expr.value
            t = v.__class__
            # The common literals as format_literal_old writes them, inline.
            if t is int:
                value = str(v)
            elif t is str and '"' not in v:
                value = '"' + v + '"'
            else:
                value = lit(v)
        else:
            # Expressions repeat across ads (parsed trees are shared): remember their text.
            known = memo.get(id(expr))
            if known is not None and known[0] is expr:
                value = known[1]
            else:
                value = unparse_old(expr, htcondor_order, exact_reals)
                texts.put(id(expr), (expr, value), len(value))
        q = quoted.get(name)
        text = f"{quote_name_old(name) if q is None else q} = {value}\n"
        lines.store(name, line is not None, expr, text)
        out.append(text)
    return "".join(out) if out else "\n"


# Each attribute's last line, per (htcondor_order, exact_reals) (classad.cache.LastLines).
_LINES: dict[tuple[bool, bool], LastLines] = {
    (h, e): LastLines() for h in (False, True) for e in (False, True)
}

# id(expression) -> (expression, its old-syntax text), per (htcondor_order, exact_reals); the
# entry holds the expression, so its id cannot be reused while the entry exists.
_texts: dict[tuple[bool, bool], BoundedCache[int, tuple[Node, str]]] = {
    (h, e): BoundedCache(4 << 20, 8192) for h in (False, True) for e in (False, True)
}


print_old = format_old
