"""HTCondor's JSON form of ClassAds (reference 6.4): printing and streaming reading.

Printing follows ``ClassAdJsonUnParser`` byte for byte: two-space indentation, ``null`` for
undefined, reals as ``%.16G`` (``.0`` appended when that looks like an integer), strings
escaped as ``\\" \\\\ \\b \\f \\n \\r \\t`` plus ``\\u00XX`` for other control characters
(``/`` and non-ASCII are written as they are), and everything that is not a plain value --
expressions, ``error``, absolute times, NaN and the infinities -- as the string
``"\\/Expr(<new-syntax text>)\\/"``.  A relative time is written as its number of seconds
(HTCondor does the same: a ``relTime("...")`` literal *is* a real).  ``htcondor_order=True``
writes attributes in HTCondor's order (name length, then case-insensitive name); the default is
insertion order.  ``exact_reals=True`` writes reals with Python's shortest exact form
(``repr``) instead of 16 significant digits, which HTCondor reads back unchanged, inside
``\\/Expr(...)\\/`` expressions too.

Reading follows ``ClassAdJsonParser`` and the ClassAd lexer it runs in JSON mode:

* ``true``, ``false`` and ``null`` in any case (``null`` is undefined); no other words;
* numbers as the ClassAd lexer reads them: ``.5``, ``1E5`` and ``00.5`` are reals; an integer
  with a leading zero (``01``) is an error, except after a minus (``-01`` is -1, as in
  HTCondor); an integer beyond 64 bits, however many digits it has, reads as 0 (HTCondor's
  ``from_chars`` leaves it so);
* strings: HTCondor's escapes (``\\uXXXX`` plus ``\\" \\\\ \\b \\f \\n \\r \\t``; a backslash
  before any other character yields that character), raw control characters allowed, and
  adjacent strings joined (``"a" "b"`` is ``"ab"``); ``\\u0000`` is an error;
* a string whose raw text starts and ends with ``\\/`` and whose value is ``/Expr(...)/`` (any
  case) is the expression inside, parsed in the current semantic mode; ``"/Expr(x)/"`` written
  without the backslashes stays a string;
* in an object, extra commas are ignored (``{,"a": 1,,}``); in an array they are errors;
* a repeated name (in any case): the last value wins, the first spelling stays;
* ``//`` and ``/* */`` comments wherever whitespace may appear;
* objects and arrays nest no deeper than what prints as new syntax and reads back: an
  attribute's value at most 500 deep (HTCondor's parser limit), each object or array costing
  3 (so at most 166 levels), ``\\/Expr(...)\\/`` expressions counted with their own depth.

**Deviation, on purpose:** ``\\uXXXX`` escapes of characters from U+0080 up are decoded as
proper UTF-8 (surrogate pairs included; a lone surrogate is an error).  HTCondor's decoder
mangles them (it combines the bits with hexadecimal constants written as if they were binary,
so ``"\\u00e9"`` becomes the two bytes ``\\003\\001``); HTCondor itself never writes such
escapes, but other JSON writers (Python's ``json.dumps``) do.

A stream (:func:`read_json`) may hold any number of objects, separated by whitespace or
comments or nothing, and JSON arrays of objects (``[{...}, {...}]``, what ``condor_q -json``
writes; ``classad2`` cannot read those).  It is read incrementally: memory stays bounded by
the largest ad; each object is parsed once when the input is read line by line (``parseNext``
on a pipe), and at most a few times over in all otherwise (the window doubles).
:func:`read_json_lines` reads one object per line (``ParserType.FileAuto``).  Errors raise
:class:`ClassAdParseError` naming the file (when known), line and column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from classad._classad import ClassAd
from classad.ast import AdExpr, ListExpr, Literal, Node
from classad.cache import BoundedCache, Doorkeeper, LastLines
from classad.convert import TOO_DEEP, container_too_deep, too_deep
from classad.errors import ClassAdParseError
from classad.exactprint import NEW_EXACT
from classad.formats._scan import BracketScanner, LineScanner, Scanner
from classad.formats._source import Source
from classad.formats.old import int_literal
from classad.grammar.parser import parse_expression
from classad.grammar.text import zone_dependent
from classad.printer import format_literal, htcondor_key, ordered, unparse
from classad.semantics import is_old
from classad.values import ERROR, UNDEFINED, RelTime

if TYPE_CHECKING:
    from classad.formats.parse import ParseInput

__all__ = [
    "format_json",
    "format_json_ads",
    "format_json_lines",
    "format_real_g16",
    "htcondor_key",
    "json_escape",
    "read_json",
    "read_json_lines",
]

# --- printing ------------------------------------------------------------------------------------

_ESCAPE_RE = re.compile(r'["\\\x00-\x1f]')
_ESCAPES = {chr(c): "\\u%04X" % c for c in range(32)}
_ESCAPES.update({'"': '\\"', "\\": "\\\\", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"})


def _escape_one(m: re.Match[str]) -> str:
    return _ESCAPES[m.group()]


def json_escape(s: str) -> str:
    """``s`` escaped for the inside of a JSON string, the way HTCondor escapes it.

    (HTCondor writes a NUL byte raw; ClassAd strings cannot hold one there, and we write
    ``\\u0000``.)
    """
    if '"' not in s and "\\" not in s and s.isprintable():
        return s  # the common case, quickly (isprintable is false for control characters)
    if _ESCAPE_RE.search(s) is None:
        return s
    return _ESCAPE_RE.sub(_escape_one, s)


def format_real_g16(r: float) -> str:
    """A finite, non-zero real as ``%.16G``, with ``.0`` appended when it has no ``.``/``E``."""
    s = "%.16G" % r
    if "." not in s and "E" not in s:
        s += ".0"
    return s


def _expr_string(text: str) -> str:
    return '"\\/Expr(' + json_escape(text) + ')\\/"'


def _real(r: float, exact: bool) -> str:
    if r == 0.0:
        return "-0.0" if math.copysign(1.0, r) < 0 else "0.0"
    if r != r or r in (math.inf, -math.inf):
        return _expr_string(format_literal(r))
    return repr(r) if exact else format_real_g16(r)


_UNPARSED: BoundedCache[tuple[int, bool, bool], tuple[Node, str]] = BoundedCache(4 << 20, 8192)


def sorted_entries(entries: Iterable[tuple[str, Node]], htcondor_order: bool) -> Iterable[tuple[str, Node]]:
    """Attributes in insertion order, or in HTCondor's (:func:`classad.printer.ordered`)."""
    return ordered(entries, True) if htcondor_order else entries


def unparse_memo(node: Node, htcondor_order: bool, exact_reals: bool = False) -> str:
    """``unparse(node)`` (reals with all their digits with ``exact_reals``), remembered:
    parsed expression trees are shared between ads (the parser caches them), so the same tree
    is printed again and again in a dump."""
    key = (id(node), htcondor_order, exact_reals)
    hit = _UNPARSED.data.get(key)
    if hit is not None and hit[0] is node:
        return hit[1]
    text = unparse(node, htcondor_order, NEW_EXACT if exact_reals else None)
    _UNPARSED.put(key, (node, text), len(text))  # holding the node keeps its id from being reused
    return text


class _Printer:
    """One ``format_json`` call: the options and the output pieces."""

    __slots__ = ("exact", "hco", "oneline", "out")

    def __init__(self, hco: bool, exact: bool, oneline: bool) -> None:
        self.hco = hco
        self.exact = exact
        self.oneline = oneline
        self.out: list[str] = []

    def ad(self, entries: Iterable[tuple[str, Node]], indent: int) -> None:
        append = self.out.append
        value = self.value
        inner = indent + 2
        lead = '"' if self.oneline else "\n" + " " * inner + '"'
        sep = "{" + lead
        for name, expr in sorted_entries(entries, self.hco):
            if '"' in name or "\\" in name or not name.isprintable():
                name = json_escape(name)
            # The commonest cases inline: string, integer and boolean literals.
            if expr.__class__ is Literal:
                v: Any = expr.value
                t = type(v)
                if t is str:
                    if '"' in v or "\\" in v or not v.isprintable():
                        v = json_escape(v)
                    append(sep + name + '": "' + v + '"')
                    sep = "," + lead
                    continue
                if t is int:
                    append(sep + name + '": ' + str(v))
                    sep = "," + lead
                    continue
                if t is bool:
                    append(sep + name + ('": true' if v else '": false'))
                    sep = "," + lead
                    continue
            append(sep + name + '": ')
            sep = "," + lead
            value(expr, inner)
        if sep[0] == "{":
            append("{")
        append("}" if self.oneline else "\n" + " " * indent + "}")

    def value(self, node: Node, indent: int) -> None:
        cls = node.__class__
        append = self.out.append
        if cls is Literal:
            v = node.value  # type: ignore[attr-defined]
            t = type(v)
            if t is str:
                append('"' + json_escape(v) + '"')
            elif t is int:
                append(str(v))
            elif t is bool:
                append("true" if v else "false")
            elif t is float:
                append(_real(v, self.exact))
            elif v is UNDEFINED:
                append("null")
            elif v is ERROR:
                append(_expr_string("error"))
            elif t is RelTime:
                # HTCondor: a relative-time literal evaluates to (and prints as) a real.
                append(_real(float(v.secs), self.exact))
            else:  # an absolute time
                append(_expr_string(format_literal(v)))
        elif cls is ListExpr:
            items = node.items  # type: ignore[attr-defined]
            inner = indent + 2
            lead = "" if self.oneline else "\n" + " " * inner
            append("[")
            for i, item in enumerate(items):
                append("," + lead if i else lead)
                self.value(item, inner)
            append("]" if self.oneline else "\n" + " " * indent + "]")
        elif cls is AdExpr:
            self.ad(node.entries, indent)  # type: ignore[attr-defined]
        else:
            append(_expr_string(unparse_memo(node, self.hco, self.exact)))


def format_json(
    ad: ClassAd, *, htcondor_order: bool = False, exact_reals: bool = False, oneline: bool = False
) -> str:
    """``ad`` as HTCondor's ``printJson()`` writes it (``oneline``: as one line, HTCondor's
    JSON-lines form ``{"a": 1,"b": 2}``).  No trailing newline."""
    values = _VALUES.data
    prefixes = _PREFIXES[oneline]
    known = prefixes.data
    lines = _JSON_LINES[(htcondor_order, exact_reals, oneline)]
    last = lines.data
    parts: list[str] = []
    append = parts.append
    if htcondor_order:
        entries: Iterable[tuple[str, Node]] = sorted_entries(ad._entries(), True)
    else:
        spelling = ad._names
        entries = [(spelling[k], e) for k, e in ad._attrs.items()]
    for name, expr in entries:
        line = last.get(name)
        if line is not None and line[0] is expr:
            append(line[1])
            continue
        # '\n  "Name": ', the attribute's line up to its value.
        head = known.get(name)
        if head is None:
            q = json_escape(name) if '"' in name or "\\" in name or not name.isprintable() else name
            head = ('"' if oneline else '\n  "') + q + '": '
            prefixes.put(name, head, 2 * len(head))
        if expr.__class__ is Literal:
            # The commonest literals inline, as _Printer.value writes them.
            v: Any = expr.value
            t = v.__class__
            if t is int:
                text = str(v)
            elif t is str and '"' not in v and "\\" not in v and v.isprintable():
                text = '"' + v + '"'
            elif t is bool:
                text = "true" if v else "false"
            else:
                text = _value_text(expr, values, htcondor_order, exact_reals, oneline)
        else:
            text = _value_text(expr, values, htcondor_order, exact_reals, oneline)
        part = head + text
        lines.store(name, line is not None, expr, part)
        append(part)
    return "{" + ",".join(parts) + ("}" if oneline else "\n}")


_ValueKey = tuple[int, bool, bool, bool]


def _value_text(
    expr: Node, values: dict[_ValueKey, tuple[Node, str]], hco: bool, exact: bool, oneline: bool
) -> str:
    """An attribute value's JSON text, remembered in :data:`_VALUES`."""
    key = (id(expr), hco, exact, oneline)
    hit = values.get(key)
    if hit is not None and hit[0] is expr:
        return hit[1]
    p = _Printer(hco, exact, oneline)
    p.value(expr, 2)
    text = "".join(p.out)
    _VALUES.put(key, (expr, text), len(text))
    return text


# Each attribute's last '"Name": value' part, per (htcondor_order, exact_reals, oneline)
# (classad.cache.LastLines).
_JSON_LINES: dict[tuple[bool, bool, bool], LastLines] = {
    (h, e, o): LastLines() for h in (False, True) for e in (False, True) for o in (False, True)
}

# The JSON text of attribute values at the top level of an ad, by (id(expression), options),
# and of attribute names: values are shared between ads (the readers' caches), so a dump
# prints the same trees again and again.  An entry holds its expression, so its id cannot be
# reused while the entry exists.
_VALUES: BoundedCache[tuple[int, bool, bool, bool], tuple[Node, str]] = BoundedCache(8 << 20, 16 << 10)
# An attribute's line up to its value (``\n  "Name": ``), by attribute name, per ``oneline``.
_PREFIXES: dict[bool, BoundedCache[str, str]] = {
    False: BoundedCache(1 << 20, 512),
    True: BoundedCache(1 << 20, 512),
}


def format_json_general(
    ad: ClassAd, *, htcondor_order: bool = False, exact_reals: bool = False, oneline: bool = False
) -> str:
    """:func:`format_json` without the remembered texts (the reference its tests compare with)."""
    p = _Printer(htcondor_order, exact_reals, oneline)
    p.ad(ad._entries(), 0)
    return "".join(p.out)


def format_json_ads(
    ads: Iterable[ClassAd], *, htcondor_order: bool = False, exact_reals: bool = False
) -> str:
    """Several ads as one JSON array, laid out as ``condor_q -json`` writes it:
    ``[\\n{...}\\n,\\n{...}\\n]\\n``.  No ads give the empty string, as there."""
    parts: list[str] = []
    for ad in ads:
        parts.append(",\n" if parts else "[\n")
        parts.append(format_json(ad, htcondor_order=htcondor_order, exact_reals=exact_reals) + "\n")
    if parts:
        parts.append("]\n")
    return "".join(parts)


def format_json_lines(
    ads: Iterable[ClassAd], *, htcondor_order: bool = False, exact_reals: bool = False
) -> str:
    """Several ads as JSON lines (one object per line, HTCondor's one-line layout).

    HTCondor's writer leaves empty ads out; we write them as ``{}`` so nothing is lost."""
    return "".join(
        format_json(ad, htcondor_order=htcondor_order, exact_reals=exact_reals, oneline=True) + "\n"
        for ad in ads
    )


# --- reading -------------------------------------------------------------------------------------


class More(Exception):
    """The item being parsed runs past the end of the input read so far (the reader then
    reads more and parses the item again)."""


def parse_error(
    src: Source, reason: str, pos: int, token: str | None = None, expected: str | None = None
) -> ClassAdParseError:
    """A :class:`ClassAdParseError` at ``src.buf[pos]``, with the file's line and column."""
    text, col = src.line_text(pos)
    err = ClassAdParseError(reason, text, col, token, expected, src.filename)
    line = src.lineno(pos)
    if line != 1:
        err.line = line
        err.args = (err._message(),)
    return err


_SKIP_RE = re.compile(r"(?:[ \t\n\r\f\v]+|//[^\n]*|/\*.*?\*/)*", re.S)
_STRING_RE = re.compile(r'"([^"\\\x00]*(?:\\[^\x00][^"\\\x00]*)*)"')
_ADJACENT_RE = re.compile(r'[ \t\n\r\f\v]*"')
_SPACE_RE = re.compile(r"[ \t\n\r\f\v]*")
_NUMBER_RE = re.compile(r"-?(?:[0-9]+(?:\.[0-9]+)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
# What may follow a number at the end of the text read so far and still belong to it.
_NUMBER_MORE_RE = re.compile(r"(?:\.|[eE][+-]?)?")
# The start of a number cut off by the end of the text read so far.
_NUMBER_START_RE = re.compile(r"-?\.?")
_WORD_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_ESC_RE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|(u)|([\s\S]))")
_SPECIAL_ESC_RE = re.compile(r"\\[bfnrtu]")
_SIMPLE = {'"': '"', "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t", "\\": "\\"}

# One attribute of the common kinds, whole: a name without escapes, then a string, integer,
# lower-case keyword or plain real, then a comma (consumed) or the closing brace (not).
_PAIR_RE = re.compile(
    r'[ \t\n\r]*"([^"\\\x00]+)"[ \t\n\r]*:[ \t\n\r]*'
    r'(?:"([^"\\\x00]*(?:\\[^\x00][^"\\\x00]*)*)"(?![ \t\n\r]*")'
    r"|(-?(?:[1-9][0-9]{0,17}|0))(?![0-9.eE])"
    r"|(true|false|null)(?![A-Za-z0-9_])"
    r"|(-?[0-9]+\.[0-9]+(?:[eE][+-]?[0-9]+)?)(?![0-9.eE]))"
    r"[ \t\n\r]*(?:,|(?=\}))"
)

_TRUE = Literal(True)
_FALSE = Literal(False)
_NULL = Literal(UNDEFINED)
_KEYWORDS = {"true": _TRUE, "false": _FALSE, "null": _NULL}


def _decode_escapes(raw: str) -> str | None:
    """A JSON string's value from its raw text (HTCondor's rules, Unicode escapes decoded
    properly); None if HTCondor rejects it (``\\u0000``, a short or non-hex ``\\u``) or it
    holds a lone UTF-16 surrogate."""
    if _SPECIAL_ESC_RE.search(raw) is None:
        # Every escape stands for the character after the backslash: drop the backslashes
        # (``\\\\`` pairs first; the raw text holds no NUL to stand in for them meanwhile).
        return raw.replace("\\\\", "\x00").replace("\\", "").replace("\x00", "\\")
    out: list[str] = []
    last = 0
    pending_high = -1  # a high surrogate waiting for its low half (its end position)
    high = 0
    for m in _ESC_RE.finditer(raw):
        start = m.start()
        if pending_high >= 0 and start != pending_high:
            return None
        out.append(raw[last:start])
        last = m.end()
        hexdigits, short, other = m.groups()
        if short is not None:
            return None
        if other is not None:
            if pending_high >= 0:
                return None
            out.append(_SIMPLE.get(other, other))
            continue
        code = int(hexdigits, 16)
        if code == 0:
            return None
        if pending_high >= 0:
            if not 0xDC00 <= code <= 0xDFFF:
                return None
            out.append(chr(0x10000 + ((high - 0xD800) << 10) + (code - 0xDC00)))
            pending_high = -1
        elif 0xD800 <= code <= 0xDBFF:
            high = code
            pending_high = last
        elif 0xDC00 <= code <= 0xDFFF:
            return None
        else:
            out.append(chr(code))
    if pending_high >= 0:
        return None
    out.append(raw[last:])
    return "".join(out)


_STRING_NODES: BoundedCache[str, Node] = BoundedCache(16 << 20, 4096)
_NUMBER_NODES: BoundedCache[str, Node] = BoundedCache(8 << 20, 512)
"""Literal nodes by their JSON text, shared by every ad read (nodes are immutable, and the same
short values repeat from ad to ad and from dump to dump): strings by their raw text (without
escapes), integers and reals by their digits (the two never share a text)."""
_LINES: dict[bool, BoundedCache[str, tuple[str, str, Node, bool, bool]]] = {
    False: BoundedCache(32 << 20, 64 << 10),
    True: BoundedCache(32 << 20, 64 << 10),
}
"""Attribute lines of ads written one attribute per line, as read (folded name, name, node),
by semantics (``\\/Expr(...)\\/`` values parse by the mode's lexing), kept the second time
they are read (:data:`_DOOR`); each counted as its text twice over plus 200 bytes."""
_DOOR = Doorkeeper()
_LINES_SCAN = 1 << 18
"""Characters searched for the end of an ad by the line reader (a larger ad, or one whose
closing brace is not at the start of a line, is read by the general reader), so that text
laid out otherwise costs a bounded look per ad."""


class _JsonParser:
    """Parses JSON ads from a :class:`Source`; ``buf``/``eof`` mirror the source's window."""

    __slots__ = ("buf", "eof", "n", "old", "src", "stuck")

    def __init__(self, src: Source) -> None:
        self.src = src
        self.old = is_old()
        self.stuck = (-1, 0)  # see refill()
        self.buf = src.buf
        self.n = len(self.buf)
        self.eof = src.eof

    def sync(self) -> None:
        """Reload the window after the source was refilled or an ad was returned."""
        self.buf = self.src.buf
        self.n = len(self.buf)
        self.eof = self.src.eof

    def scanner(self) -> Scanner:
        """A scanner for the next item (whitespace and comments, then one object)."""
        return BracketScanner('"', "{", "{[", "}]")

    # --- errors ----------------------------------------------------------------------------------

    def fail(
        self, reason: str, pos: int, token: str | None = None, expected: str | None = None
    ) -> ClassAdParseError:
        """A parse error at ``buf[pos]`` with the file's real line and column."""
        return parse_error(self.src, reason, pos, token, expected)

    # --- tokens ----------------------------------------------------------------------------------

    def skip(self, pos: int) -> tuple[int, str]:
        """Skip whitespace and comments; return the position and character there ("" at the end)."""
        buf = self.buf
        n = self.n
        p = _SKIP_RE.match(buf, pos, n).end()  # type: ignore[union-attr]
        if p >= n:
            if not self.eof:
                raise More
            return p, ""
        c = buf[p]
        if c == "/":
            if p + 1 >= n and not self.eof:
                raise More
            if buf.startswith("/*", p):
                if not self.eof:
                    raise More
                raise self.fail("unterminated /* comment", p, "/*")
        return p, c

    def string(self, pos: int) -> tuple[str, str, int]:
        """The string at ``buf[pos] == '"'`` with any adjacent ones: (raw text, value, end)."""
        buf = self.buf
        n = self.n
        m = _STRING_RE.match(buf, pos, n)
        if m is None:
            if not self.eof:
                raise More
            nul = buf.find("\x00", pos, n)
            if nul >= 0:
                raise self.fail("a NUL character cannot appear in a string", nul)
            raise self.fail("unterminated string", pos, buf[pos : pos + 20])
        raw = m.group(1)
        end = m.end()
        while True:
            a = _ADJACENT_RE.match(buf, end, n)
            if a is None:
                if _SPACE_RE.match(buf, end, n).end() >= n and not self.eof:  # type: ignore[union-attr]
                    raise More  # more whitespace, then perhaps another string
                break
            m = _STRING_RE.match(buf, a.end() - 1, n)
            if m is None:
                if not self.eof:
                    raise More
                raise self.fail("unterminated string", a.end() - 1, buf[a.end() - 1 : a.end() + 19])
            raw += m.group(1)
            end = m.end()
        if "\\" not in raw:
            return raw, raw, end
        value = _decode_escapes(raw)
        if value is None:
            raise self.fail(
                "bad escape in string (\\u needs four hex digits, \\u0000 is not allowed, "
                "UTF-16 surrogates must pair up)",
                pos,
                buf[pos : min(end, pos + 40)],
            )
        return raw, value, end

    def string_node(self, raw: str, value: str, pos: int) -> Node:
        """A string value: an expression if it is ``"\\/Expr(...)\\/"``, else a string literal."""
        if (
            len(raw) >= 4
            and raw.startswith("\\/")
            and raw.endswith("\\/")
            and value[:6].lower() == "/expr("
            and value.endswith(")/")
        ):
            text = value[6:-2]
            try:
                return parse_expression(text, self.old)
            except ClassAdParseError as exc:
                raise self.fail(f"bad expression in \\/Expr(...)\\/: {exc.reason}", pos, text[:60]) from None
        return Literal(value)

    def number(self, pos: int) -> tuple[Node, int]:
        buf = self.buf
        n = self.n
        m = _NUMBER_RE.match(buf, pos, n)
        if m is None:
            if not self.eof and _NUMBER_START_RE.fullmatch(buf, pos, n):
                raise More  # "-" or "." cut by the end of what was read
            raise self.fail("malformed number", pos, buf[pos : pos + 10])
        end = m.end()
        if not self.eof and _NUMBER_MORE_RE.fullmatch(buf, end, n):
            raise More  # "1" of "1.5" or "1E+5", cut by the end of what was read
        text = m.group()
        if "." in text or "e" in text or "E" in text:
            return Literal(float(text)), end
        neg = text[0] == "-"
        digits = text[1:] if neg else text
        if len(digits) > 1 and digits[0] == "0":
            if not neg or "8" in digits or "9" in digits:
                raise self.fail("an integer cannot start with 0 in JSON", pos, text[:20])
        # Beyond 64 bits, HTCondor's from_chars fails and leaves 0.
        return Literal(int_literal(digits, neg)), end

    # --- values ----------------------------------------------------------------------------------

    def value(self, pos: int, level: int) -> tuple[Node, int]:
        """The value at or after ``pos``, nested in ``level - 1`` objects or arrays inside an
        attribute's value (1: the value itself)."""
        pos, c = self.skip(pos)
        if c == "{" or c == "[":
            if container_too_deep(level):
                raise self.fail(TOO_DEEP, pos, c)
            if c == "{":
                entries, end = self.object(pos, level)
                node: Node = AdExpr(tuple(entries))
            else:
                node, end = self.array(pos, level)
            if too_deep(node, level):
                raise self.fail(TOO_DEEP, pos, c)
            return node, end
        if c == '"':
            raw, value, end = self.string(pos)
            return self.string_node(raw, value, pos), end
        if c == "-" or c == "." or "0" <= c <= "9":
            return self.number(pos)
        m = _WORD_RE.match(self.buf, pos, self.n) if c else None
        if m is not None:
            end = m.end()
            if end >= self.n and not self.eof:
                raise More
            word = _KEYWORDS.get(m.group().lower())
            if word is None:
                raise self.fail(
                    "unexpected word", pos, m.group(), "a value (true, false and null are the words)"
                )
            return word, end
        if c == "":
            raise self.fail("unexpected end of input", pos, None, "a value")
        raise self.fail("unexpected character", pos, c, "a value")

    def array(self, pos: int, level: int) -> tuple[Node, int]:
        """The array at ``buf[pos] == '['`` (at nesting ``level``)."""
        items: list[Node] = []
        p, c = self.skip(pos + 1)
        if c == "]":
            return ListExpr(()), p + 1
        while True:
            node, p = self.value(p, level + 1)
            items.append(node)
            p, c = self.skip(p)
            if c == ",":
                p += 1
            elif c == "]":
                return ListExpr(tuple(items)), p + 1
            elif c == "":
                raise self.fail("unexpected end of input in an array", p, None, "',' or ']'")
            else:
                raise self.fail("unexpected character in an array", p, c, "',' or ']'")

    def object(
        self, pos: int, level: int, entries: list[tuple[str, Node]] | None = None, start: int = -1
    ) -> tuple[list[tuple[str, Node]], int]:
        """The attributes of the object at ``buf[pos] == '{'`` and the position after it; the
        object is at nesting ``level`` (0: the ad itself).  ``entries`` and ``start``: the
        attributes already read and where the next one starts (:meth:`lines_ad`)."""
        buf = self.buf
        if entries is None:
            entries = []
        append = entries.append
        scanner = _PAIR_RE.scanner  # type: ignore[attr-defined]
        strings = _STRING_NODES.data
        n = self.n
        p = pos + 1 if start < 0 else start
        while True:
            m = None
            for m in iter(scanner(buf, p, n).match, None):
                g = m.lastindex
                name, v = m.group(1, g)
                if g == 2 and "\\" not in v:  # pair_value's commonest case, inline
                    node = strings.get(v)
                    if node is None:
                        node = Literal(v)
                        _STRING_NODES.put(v, node, 2 * len(v))
                else:
                    node = self.pair_value(g, v, m.start(g) - (g == 2))
                append((name, node))
            if m is not None:
                p = m.end()
            p, c = self.skip(p)
            if c == "}":
                return entries, p + 1
            if c == ",":
                p += 1
                continue
            if c != '"':
                if c == "":
                    raise self.fail(
                        "unexpected end of input in an object", p, None, "an attribute name or '}'"
                    )
                raise self.fail(
                    "unexpected character in an object", p, c, "an attribute name (a string) or '}'"
                )
            name_pos = p
            _, name, p = self.string(p)
            p, c = self.skip(p)
            if c != ":":
                raise self.fail("expected ':' after the attribute name", p, c or None, "':'")
            node, p = self.value(p + 1, level + 1)
            if not name:
                raise self.fail("an attribute name cannot be empty", name_pos, '""')
            append((name, node))
            p, c = self.skip(p)
            if c != "," and c != "}":
                if c == "":
                    raise self.fail("unexpected end of input in an object", p, None, "',' or '}'")
                raise self.fail("unexpected character after an attribute", p, c, "',' or '}'")

    def pair_value(self, g: int, v: str, vpos: int) -> Node:
        """The node of a plain value :data:`_PAIR_RE` matched: group ``g`` (2: a string,
        3: an integer, 4: a word, 5: a real) holding ``v``, at ``buf[vpos]``."""
        if g == 2:
            if "\\" in v:
                return self.string_node(v, self._decoded(v, vpos), vpos)
            node = _STRING_NODES.data.get(v)
            if node is None:
                node = Literal(v)
                _STRING_NODES.put(v, node, 2 * len(v))
            return node
        if g == 4:
            return _KEYWORDS[v]
        node = _NUMBER_NODES.data.get(v)
        if node is None:
            node = Literal(int(v) if g == 3 else float(v))  # integers: at most 18 digits (the pattern)
            _NUMBER_NODES.put(v, node, len(v))
        return node

    def lines_ad(self, pos: int) -> tuple[ClassAd, int] | None:
        """The ad whose ``{`` is at ``buf[pos]`` when it is written one attribute per line, as
        ``printJson()`` and ``condor_status -json`` write it: each line that is a name and a
        plain value (what :data:`_PAIR_RE` reads) is read once and kept (:data:`_LINES`), so
        the lines that repeat from ad to ad cost one lookup; from the first line that is not
        (a list, a nested ad, a comment, an error), :meth:`object` reads the rest.  None when
        the ad is not written so, or does not end in the window."""
        buf = self.buf
        if not buf.startswith("\n ", pos + 1):
            return None  # not one indented attribute per line
        end = buf.find("\n}", pos + 1, min(self.n, pos + _LINES_SCAN))
        if end <= pos + 1:
            return None
        lines = buf[pos + 2 : end].split("\n")
        last = len(lines) - 1
        cache = _LINES[self.old]
        known = cache.data
        attrs: dict[str, Node] = {}
        names: dict[str, str] = {}
        for i, line in enumerate(lines):
            entry = known.get(line)
            if entry is None:
                entry = self._line(line)
                if entry is None:
                    return self._rest(pos, lines, i, attrs, names)
                if entry[4] and _DOOR.seen_before(line):
                    cache.put(line, entry, 2 * len(line) + 200)
            if not entry[3] and i != last:  # no ',' before the next line: the general reader's error
                return self._rest(pos, lines, i, attrs, names)
            key = entry[0]
            if key not in attrs:
                names[key] = entry[1]
            attrs[key] = entry[2]
        ad = ClassAd()
        ad._attrs = attrs
        ad._names = names
        return ad, end + 2

    def _rest(
        self, pos: int, lines: list[str], i: int, attrs: dict[str, Node], names: dict[str, str]
    ) -> tuple[ClassAd, int] | None:
        """Finish the ad of :meth:`lines_ad` with :meth:`object` from its line ``i``, after the
        attributes read so far (None if that is the first line)."""
        if i == 0:
            return None
        start = pos + 2 + sum(map(len, lines[:i])) + i
        entries, end = self.object(pos, 0, [(names[k], v) for k, v in attrs.items()], start)
        return ClassAd._from_entries(entries), end

    def _line(self, line: str) -> tuple[str, str, Node, bool, bool] | None:
        """One attribute line of :meth:`lines_ad` as (folded name, name, node, whether a ','
        ends it, whether it may be kept), or None if it is not one name and a plain value
        (then an error, if any, is the general reader's to report)."""
        m = _PAIR_RE.match(line + "}")
        if m is None or m.end() != len(line):
            return None
        g = m.lastindex
        assert g is not None
        name, v = m.group(1, g)
        try:
            node = self.pair_value(g, v, 0)
        except ClassAdParseError:
            return None
        keep = g != 2 or "\\" not in v or ("\\u" not in v and not zone_dependent(v))
        return name.lower(), name, node, line[-1] == ",", keep

    def _decoded(self, raw: str, pos: int) -> str:
        value = _decode_escapes(raw)
        if value is None:
            raise self.fail(
                "bad escape in string (\\u needs four hex digits, \\u0000 is not allowed, "
                "UTF-16 surrogates must pair up)",
                pos,
                self.buf[pos : pos + 40],
            )
        return value

    def ad(self, pos: int) -> tuple[ClassAd, int]:
        """The ad whose ``{`` is at ``buf[pos]``."""
        lines = self.lines_ad(pos)
        if lines is not None:
            return lines
        entries, end = self.object(pos, 0)
        return ClassAd._from_entries(entries), end


def refill(src: Source, parser: Any, start: int) -> None:
    """Make more input available to a parse that began at ``start`` (then ``parser.sync()``).

    Read in chunks, the window at least doubles, so parsing a large item again costs linear
    time overall.  Read line by line (``parseNext`` on a pipe: no further than needed), the
    lines are read until ``parser.scanner()`` finds the end of the item, which is then
    parsed once.  Should the parser still want more (it looked past the item), more lines are
    read, twice as many each time the same item asks again.
    """
    src.pos = start
    if not src.line_mode:
        src.fill()
        parser.sync()
        return
    had = len(src.buf) - start
    where = src.offset(start)
    end = src.scan_item(parser.scanner())
    if end < 0 or end > had:
        parser.stuck = (-1, 0)
    else:
        times = parser.stuck[1] + 1 if parser.stuck[0] == where else 1
        parser.stuck = (where, times)
        for _ in range(1 << min(times - 1, 30)):
            if not src.fill():
                break
    parser.sync()


def _open(input: Any, filename: str | None, by_line: bool = False) -> tuple[Source, bool]:
    if isinstance(input, Source):
        return input, False
    return Source(input, filename=filename, by_line=by_line), True


def read_json(input: ParseInput | Source, *, filename: str | None = None) -> Iterator[ClassAd]:
    """The ads of a JSON text: objects one after another and/or arrays of objects.

    ``input`` is a ``str``, a text or binary file object, a path, or a reader ``Source``;
    it is read incrementally.  ``src.pos`` is left just after the last ad returned.
    """
    src, owned = _open(input, filename)
    try:
        yield from _read_json(src)
    finally:
        if owned:
            src.close()


def _read_json(src: Source) -> Iterator[ClassAd]:
    parser = _JsonParser(src)
    # 0: outside arrays; 1: just after '['; 2: after an ad in an array; 3: after ',' in an array
    state = 0
    while True:
        start = src.pos
        try:
            p, c = parser.skip(start)
            if c == "{" and state != 2:
                ad, end = parser.ad(p)
                src.pos = end
                state = 2 if state else 0
                yield ad
                parser.sync()
                continue
            if c == "":
                if state:
                    raise parser.fail("unexpected end of input in an array of ads", p, None, "',' or ']'")
                src.pos = p
                return
            if state == 0 and c == "[":
                state = 1
            elif state == 2 and c == ",":
                state = 3
            elif c == "]" and state in (1, 2):
                state = 0
            else:
                expected = {0: "'{' or '['", 1: "'{' or ']'", 2: "',' or ']'", 3: "'{'"}[state]
                raise parser.fail("unexpected text between ads", p, c, expected)
            src.pos = p + 1
        except More:
            refill(src, parser, start)


def read_json_lines(input: ParseInput | Source, *, filename: str | None = None) -> Iterator[ClassAd]:
    """The ads of a JSON-lines text: one object per line (HTCondor's ``ParserType.FileAuto``).

    Blank lines are skipped; after the object only whitespace and comments may follow on its
    line (``classad2`` ignores anything there, a second object included: we raise instead).
    """
    src, owned = _open(input, filename)
    try:
        yield from _read_json_lines(src)
    finally:
        if owned:
            src.close()


def _read_json_lines(src: Source) -> Iterator[ClassAd]:
    parser = _LinesParser(src)
    while True:
        start = src.pos
        try:
            buf = parser.buf
            nl = buf.find("\n", start)
            if nl < 0 and not parser.eof:
                raise More
            line_end = len(buf) if nl < 0 else nl
            p = start
            while p < line_end and buf[p] in " \t\r\f\v":
                p += 1
            if p == line_end:
                if nl < 0:
                    src.pos = line_end
                    return
                src.pos = nl + 1
                continue
            if buf[p] != "{":
                raise parser.fail("a JSON line must hold one object", p, buf[p], "'{'")
            # Parse the object within its line: the window ends there.
            line = _LineParser(parser, line_end)
            ad, end = line.ad(p)
            q, c = line.skip(end)
            if c:
                raise parser.fail("unexpected text after the object on its line", q, c, "the end of the line")
            src.pos = line_end if nl < 0 else nl + 1
            yield ad
            parser.sync()
        except More:
            refill(src, parser, start)


class _LinesParser(_JsonParser):
    """The parser of JSON lines: an item is a line."""

    __slots__ = ()

    def scanner(self) -> Scanner:
        return LineScanner()


class _LineParser(_JsonParser):
    """A parser whose input ends at the end of one line (JSON lines)."""

    __slots__ = ()

    def __init__(self, parent: _JsonParser, line_end: int) -> None:
        self.src = parent.src
        self.old = parent.old
        self.stuck = parent.stuck
        self.buf = parent.buf
        self.n = line_end
        self.eof = True
