"""HTCondor's XML form of ClassAds (reference 6.5): writing and streaming reading.

``classad2`` can read this form but not write it; :func:`format_xml` writes it the way
HTCondor's tools do (``condor_q -xml``, ``ClassAdXMLUnParser`` with spacing on)::

    <?xml version="1.0"?>
    <!DOCTYPE classads SYSTEM "classads.dtd">
    <classads>
    <c>
        <a n="Cmd"><s>/bin/echo</s></a>
        <a n="Memory"><i>2048</i></a>
    </c>
    </classads>

Values: ``<i>`` integer, ``<r>`` real (``%1.15E``, ``NaN``, ``INF``, ``-INF``, ``0.0``),
``<s>`` string (new-syntax escapes without the quotes -- non-ASCII bytes as octal ``\\ooo`` --
and ``&amp; &lt; &gt;``), ``<b v="t"/>``, ``<un/>``, ``<er/>``, ``<at>`` absolute time, ``<l>``
list, ``<c>`` nested ad and ``<e>`` any other expression (new syntax, XML-escaped).  A relative
time is written as a real, as HTCondor does.  Two details differ from HTCondor's writer, so
that nothing is lost: ``-0.0`` is written as such (HTCondor writes ``0.0``), and
``exact_reals=True`` writes reals with Python's shortest exact form instead of 16 digits.

Reading follows ``ClassAdXMLParser`` and its lexer: tag names are case-sensitive; in text only
``&amp; &lt; &gt;`` are entities (anything else, ``&quot;`` or ``&#65;`` included, stays as it
is); attribute names and strings then get new-syntax escape processing; ``<i>`` and ``<r>``
take the longest number at the start of their text (C ``from_chars``/``strtod``), and are
``error`` when there is none or it overflows; ``<b v="t"/>`` or ``"T"`` is true, anything else
false; ``<s/>`` is the empty string; the prolog, ``<classads>`` and any text or unknown tags
outside ads are skipped; stray text inside an ad is ignored; a missing ``</i>``-style end tag
is tolerated.  Where HTCondor silently truncates an ad or gives up (an unknown tag or a comment
inside an ad, input ending inside an ad, text inside a list, which makes HTCondor loop forever)
we raise :class:`ClassAdParseError` -- except that comments are allowed anywhere -- and
``<e>`` must hold exactly one expression (HTCondor ignores text after the first).  An
``<i>`` out of the 64-bit range is ``error`` whatever its length (as in HTCondor; leading
zeros do not count).  Ads and lists nest no deeper than what prints as new syntax and reads
back (an attribute's value at most 500 deep, HTCondor's parser limit, each ``<c>`` or ``<l>``
costing 3), else :class:`ClassAdParseError` says where.  Read line by line (``parseNext`` on a
pipe), an ad is read up to its ``</c>`` by an incremental scanner and then parsed once.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from classad._classad import ClassAd
from classad.ast import AdExpr, ListExpr, Literal, Node
from classad.convert import TOO_DEEP, container_too_deep, too_deep
from classad.errors import ClassAdParseError
from classad.formats._scan import Scanner, XmlScanner
from classad.formats._source import Source
from classad.formats.json import More, parse_error, refill, sorted_entries, unparse_memo
from classad.grammar.parser import parse_expression
from classad.printer import abstime_to_string
from classad.semantics import is_old
from classad.timeparse import parse_abstime, parse_reltime
from classad.values import ERROR, INT64_MAX, INT64_MIN, UNDEFINED, AbsTime, RelTime, from_bytes, to_bytes

if TYPE_CHECKING:
    from classad.formats.parse import ParseInput

__all__ = ["XML_FOOTER", "XML_HEADER", "format_xml", "format_xml_ad", "read_xml"]

XML_HEADER = '<?xml version="1.0"?>\n<!DOCTYPE classads SYSTEM "classads.dtd">\n<classads>\n'
"""What HTCondor writes before the ads of an XML file."""

XML_FOOTER = "</classads>\n"
"""What HTCondor writes after them."""

# --- writing -------------------------------------------------------------------------------------

_PLAIN_RE = re.compile(r"[ !#-%(-;=?-\[\]-~]*\Z")  # printable ASCII but for " ' & < > \
_NAMED = {7: "\\a", 8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t", 11: "\\v", 92: "\\\\"}
_ENTITY_OUT = {38: "&amp;", 60: "&lt;", 62: "&gt;"}


def xml_string(s: str, quote: bool) -> str:
    """A string as HTCondor's XML writer spells it: new-syntax escapes (``\\"`` only when
    ``quote``, for attribute names), octal for bytes that are not printable ASCII, and the
    three entities."""
    if _PLAIN_RE.match(s):
        return s
    out = []
    for b in to_bytes(s):
        if b == 34 and quote:
            out.append('\\"')
        elif 32 <= b < 127 and b != 92:
            out.append(_ENTITY_OUT.get(b) or chr(b))
        else:
            named = _NAMED.get(b)
            out.append(named if named is not None else f"\\{b:03o}")
    return "".join(out)


def _xml_escape(text: str) -> str:
    if "&" in text:
        text = text.replace("&", "&amp;")
    if "<" in text:
        text = text.replace("<", "&lt;")
    if ">" in text:
        text = text.replace(">", "&gt;")
    return text


def _real(r: float, exact: bool) -> str:
    if r == 0.0:
        return "-0.0" if math.copysign(1.0, r) < 0 else "0.0"
    if r != r:
        return "NaN"
    if r == math.inf:
        return "INF"
    if r == -math.inf:
        return "-INF"
    return repr(r) if exact else "%1.15E" % r


class _Writer:
    __slots__ = ("exact", "hco", "out")

    def __init__(self, hco: bool, exact: bool) -> None:
        self.hco = hco
        self.exact = exact
        self.out: list[str] = []

    def ad(self, entries: Iterable[tuple[str, Node]], indent: int) -> None:
        append = self.out.append
        append("<c>\n")
        pad = " " * (indent + 4)
        for name, expr in sorted_entries(entries, self.hco):
            append(f'{pad}<a n="{xml_string(name, True)}">')
            self.value(expr, indent + 4)
            append("</a>\n")
        append(" " * indent + ("</c>\n" if indent == 0 else "</c>"))

    def value(self, node: Node, indent: int) -> None:
        append = self.out.append
        cls = node.__class__
        if cls is Literal:
            v = node.value  # type: ignore[attr-defined]
            t = type(v)
            if t is str:
                append("<s>" + xml_string(v, False) + "</s>")
            elif t is int:
                append(f"<i>{v}</i>")
            elif t is bool:
                append('<b v="t"/>' if v else '<b v="f"/>')
            elif t is float:
                append("<r>" + _real(v, self.exact) + "</r>")
            elif v is UNDEFINED:
                append("<un/>")
            elif v is ERROR:
                append("<er/>")
            elif t is RelTime:
                append("<r>" + _real(float(v.secs), self.exact) + "</r>")
            else:
                assert isinstance(v, AbsTime)
                append("<at>" + abstime_to_string(v) + "</at>")
        elif cls is ListExpr:
            append("<l>")
            for item in node.items:  # type: ignore[attr-defined]
                self.value(item, indent)
            append("</l>")
        elif cls is AdExpr:
            self.ad(node.entries, indent)  # type: ignore[attr-defined]
        else:
            append("<e>" + _xml_escape(unparse_memo(node, self.hco, self.exact)) + "</e>")


def format_xml_ad(ad: ClassAd, *, htcondor_order: bool = False, exact_reals: bool = False) -> str:
    """One ad as HTCondor's XML writer lays it out (``<c>`` ... ``</c>\\n``, no prolog)."""
    w = _Writer(htcondor_order, exact_reals)
    w.ad(ad._entries(), 0)
    return "".join(w.out)


def format_xml(
    ads: ClassAd | Iterable[ClassAd], *, htcondor_order: bool = False, exact_reals: bool = False
) -> str:
    """A whole XML document: :data:`XML_HEADER`, each ad, :data:`XML_FOOTER`."""
    if isinstance(ads, ClassAd):
        ads = [ads]
    body = "".join(format_xml_ad(ad, htcondor_order=htcondor_order, exact_reals=exact_reals) for ad in ads)
    return XML_HEADER + body + XML_FOOTER


# --- reading -------------------------------------------------------------------------------------


_WS = " \t\n\r\f\v"
_SPACE_RE = re.compile(r"[ \t\n\r\f\v]*")
_TEXT_RE = re.compile(r"[^<]*")
_TAG_RE = re.compile(r"<[ \t\n\r\f\v]*(/?)[ \t\n\r\f\v]*([^ \t\n\r\f\v/>]*)")
_ATTR_RE = re.compile(
    r"""[ \t\n\r\f\v]*([^ \t\n\r\f\v=/>]+)[ \t\n\r\f\v]*=[ \t\n\r\f\v]*"""
    r"""(?:"((?:[^"\\]|\\[\s\S])*)"|'([^']*)')"""
)
_TAG_END_RE = re.compile(r"[ \t\n\r\f\v]*(/?)[ \t\n\r\f\v]*>")
_ENTITY_RE = re.compile(r"&(amp|lt|gt);")
_ENTITIES = {"amp": "&", "lt": "<", "gt": ">"}
_INT_RE = re.compile(r"-?[0-9]+")
_REAL_RE = re.compile(
    r"[+-]?(?:(inf(?:inity)?|nan(?:\([0-9A-Za-z_]*\))?)"
    r"|(0[xX](?:[0-9a-fA-F]+\.?[0-9a-fA-F]*|\.[0-9a-fA-F]+)(?:[pP][+-]?[0-9]+)?)"
    r"|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)",
    re.I,
)
_ESCAPE_RE = re.compile(rb"\\([0-3][0-7]{1,2}|[4-7][0-7]|[0-7]|[\s\S])")
_SIMPLE = {b"a": 7, b"b": 8, b"f": 12, b"n": 10, b"r": 13, b"t": 9, b"v": 11}
_FAST_ATTR_RE = re.compile(
    r'[ \t\n\r\f\v]*<a n="([^"\\&<>]+)">'
    r'(?:<(i|r|s|e|at|rt)>([^<]*)</\2>|<(un|er|b v="t"|b v="f")/>)</a>'
)
_EMPTY_VALUES: dict[str, Node] = {
    "un": Literal(UNDEFINED),
    "er": Literal(ERROR),
    'b v="t"': Literal(True),
    'b v="f"': Literal(False),
}
_VALUE_TAGS = frozenset({"i", "r", "s", "b", "un", "er", "at", "rt", "l", "e", "c"})


class _Tag:
    """A tag: name, end tag or not, empty (``<x/>``) or not, attributes, where it starts."""

    __slots__ = ("attrs", "empty", "end", "name", "pos")

    def __init__(self, name: str, end: bool, empty: bool, attrs: dict[str, str], pos: int) -> None:
        self.name = name
        self.end = end
        self.empty = empty
        self.attrs = attrs
        self.pos = pos


def _entities(text: str) -> str:
    if "&" not in text:
        return text
    return _ENTITY_RE.sub(lambda m: _ENTITIES[m.group(1)], text)


def convert_escapes(s: str) -> str | None:
    """New-syntax escape processing of HTCondor's ``convert_escapes`` (octal escapes give
    bytes); None if the result would hold a NUL."""
    if "\\" not in s:
        return s
    bad = False

    def one(m: re.Match[bytes]) -> bytes:
        nonlocal bad
        e = m.group(1)
        if e[0] in b"01234567":
            code = int(e, 8)
            if code == 0:
                bad = True
            return bytes((code,))
        named = _SIMPLE.get(e)
        return bytes((named,)) if named is not None else e

    out = _ESCAPE_RE.sub(one, to_bytes(s))
    return None if bad else from_bytes(out)


class _XmlParser:
    """Parses XML ads from a :class:`Source`."""

    __slots__ = ("buf", "eof", "n", "old", "src", "stuck")

    def __init__(self, src: Source) -> None:
        self.src = src
        self.old = is_old()
        self.stuck = (-1, 0)  # see classad.formats.json.refill
        self.sync()

    def scanner(self) -> Scanner:
        """A scanner for the next item (text and comments, then one tag or one whole ad)."""
        return XmlScanner()

    def sync(self) -> None:
        self.buf = self.src.buf
        self.n = len(self.buf)
        self.eof = self.src.eof

    def fail(
        self, reason: str, pos: int, token: str | None = None, expected: str | None = None
    ) -> ClassAdParseError:
        return parse_error(self.src, reason, pos, token, expected)

    # --- tokens ----------------------------------------------------------------------------------

    def skip(self, pos: int, text_ok: bool) -> int:
        """Skip whitespace, comments, ``<?...?>`` and ``<!...>``, and (``text_ok``) text;
        return the position of the next tag (``n`` at the end of the input)."""
        buf = self.buf
        n = self.n
        while True:
            pos = (_TEXT_RE if text_ok else _SPACE_RE).match(buf, pos, n).end()  # type: ignore[union-attr]
            if pos >= n:
                if not self.eof:
                    raise More
                return n
            if buf[pos] != "<":
                return pos
            if pos + 1 >= n and not self.eof:
                raise More
            nxt = buf[pos + 1 : pos + 2]
            if nxt == "?":
                close = buf.find("?>", pos, n)
                width = 2
            elif buf.startswith("<!--", pos):
                close = buf.find("-->", pos + 4, n)
                width = 3
            elif nxt == "!":
                if n - pos < 4 and not self.eof:
                    raise More  # perhaps the start of "<!--"
                close = buf.find(">", pos, n)
                width = 1
            else:
                return pos
            if close < 0:
                if not self.eof:
                    raise More
                raise self.fail("unterminated <?, <! or <!-- construct", pos, buf[pos : pos + 20])
            pos = close + width

    def tag(self, pos: int) -> tuple[_Tag, int]:
        """The tag at ``buf[pos] == '<'``."""
        buf = self.buf
        n = self.n
        m = _TAG_RE.match(buf, pos, n)
        assert m is not None
        if m.end() >= n and not self.eof:
            raise More
        end_tag, name = m.groups()
        p = m.end()
        attrs: dict[str, str] = {}
        while True:
            a = _ATTR_RE.match(buf, p, n)
            if a is None:
                break
            key, dq, sq = a.groups()
            attrs.setdefault(key, dq if dq is not None else sq)
            p = a.end()
        t = _TAG_END_RE.match(buf, p, n)
        if t is None:
            if not self.eof:
                raise More
            raise self.fail("malformed tag", pos, buf[pos : pos + 30])
        if not name:
            raise self.fail("a tag needs a name", pos, buf[pos : t.end()])
        return _Tag(name, bool(end_tag), bool(t.group(1)), attrs, pos), t.end()

    def next_tag(self, pos: int, text_ok: bool, where: str) -> tuple[_Tag, int]:
        p = self.skip(pos, text_ok)
        if p >= self.n:
            raise self.fail(f"unexpected end of input {where}", p)
        if self.buf[p] != "<":
            raise self.fail(f"unexpected text {where}", p, self.buf[p : p + 20])
        return self.tag(p)

    def text(self, pos: int, keep_space: bool) -> tuple[str, int]:
        """The text after a start tag, entities replaced (leading space dropped unless
        ``keep_space``, as HTCondor's lexer does outside ``<s>``)."""
        m = _TEXT_RE.match(self.buf, pos, self.n)
        assert m is not None
        end = m.end()
        if end >= self.n and not self.eof:
            raise More
        raw = m.group()
        if not keep_space:
            raw = raw.lstrip(_WS)
        return _entities(raw), end

    def close(self, name: str, pos: int) -> int:
        """Consume ``</name>`` if it comes next (HTCondor tolerates its absence)."""
        p = self.skip(pos, False)
        if p < self.n and self.buf[p] == "<":
            tag, end = self.tag(p)
            if tag.end and tag.name == name:
                return end
        return pos

    # --- values ----------------------------------------------------------------------------------

    def value(self, tag: _Tag, pos: int, level: int) -> tuple[Node, int]:
        """The value whose start tag ``tag`` ends at ``pos``, nested in ``level - 1`` ads or
        lists inside an attribute's value (1: the value itself)."""
        name = tag.name
        if name == "c" or name == "l":
            if container_too_deep(level):
                raise self.fail(TOO_DEEP, tag.pos, f"<{name}>")
            node: Node
            if tag.empty:
                node, end = (AdExpr(()) if name == "c" else ListExpr(())), pos
            elif name == "c":
                entries, end = self.ad(pos, level)
                node = AdExpr(tuple(entries))
            else:
                node, end = self.list_value(pos, level)
            if too_deep(node, level):
                raise self.fail(TOO_DEEP, tag.pos, f"<{name}>")
            return node, end
        if name == "b":
            v = tag.attrs.get("v")
            node = Literal(v == "t" or v == "T")
            return node, pos if tag.empty else self.close("b", pos)
        if name == "un" or name == "er":
            node = Literal(UNDEFINED if name == "un" else ERROR)
            return node, pos if tag.empty else self.close(name, pos)
        if tag.empty:
            if name == "s":
                return Literal(""), pos
            raise self.fail(f"<{name}/> holds no value", tag.pos, f"<{name}/>")
        text, end = self.text(pos, name == "s")
        return self.convert(name, text, tag.pos), self.close(name, end)

    def convert(self, name: str, text: str, pos: int) -> Node:
        """The value of ``<name>text</name>`` (entities already replaced); ``pos`` is the tag's."""
        if name == "s":
            s = convert_escapes(text)
            if s is None:
                raise self.fail("a string cannot hold \\0", pos, text[:40])
            return Literal(s)
        if not text:
            raise self.fail(f"<{name}> holds no value", pos, f"<{name}>")
        if name == "i":
            m = _INT_RE.match(text)
            if m is None:
                return Literal(ERROR)
            digits = m.group()
            neg = digits[0] == "-"
            sig = digits[1:].lstrip("0") if neg else digits.lstrip("0")
            if len(sig) > 19:
                return Literal(ERROR)  # out of range, whatever the digits (no int() of them)
            i = -int(sig or "0") if neg else int(sig or "0")
            return Literal(i if INT64_MIN <= i <= INT64_MAX else ERROR)
        if name == "r":
            return Literal(_strtod(text))
        if name == "at":
            at = parse_abstime(text)
            if at is None:
                raise self.fail("not an absolute time", pos, text[:40])
            return Literal(at)
        if name == "rt":
            rt = parse_reltime(text)
            if rt is None:
                raise self.fail("not a relative time", pos, text[:40])
            return Literal(RelTime(rt, exact=True))
        assert name == "e"
        try:
            return parse_expression(text, self.old)
        except ClassAdParseError as exc:
            raise self.fail(f"bad expression in <e>: {exc.reason}", pos, text[:60]) from None

    def list_value(self, pos: int, level: int) -> tuple[Node, int]:
        """The items of the list whose ``<l>`` (at nesting ``level``) ends at ``pos``."""
        items: list[Node] = []
        while True:
            tag, pos = self.next_tag(pos, False, "in a list <l>")
            if tag.end and tag.name == "l":
                return ListExpr(tuple(items)), pos
            if tag.end or tag.name not in _VALUE_TAGS:
                raise self.fail(f"unexpected tag <{'/' if tag.end else ''}{tag.name}> in a list", tag.pos)
            node, pos = self.value(tag, pos, level + 1)
            items.append(node)

    def ad(self, pos: int, level: int) -> tuple[list[tuple[str, Node]], int]:
        """The attributes of the ad whose ``<c>`` ends at ``pos``, and the end of its ``</c>``;
        the ad is at nesting ``level`` (0: the top-level ad)."""
        entries: list[tuple[str, Node]] = []
        buf = self.buf
        n = self.n
        fast = _FAST_ATTR_RE.match
        while True:
            # The common case whole: <a n="name"><i>text</i></a> (name without escapes).
            m = fast(buf, pos, n)
            while m is not None:
                name, tag_name, text, empty = m.groups()
                if empty is not None:
                    node = _EMPTY_VALUES[empty]
                else:
                    if tag_name != "s":
                        text = text.lstrip(_WS)
                    node = self.convert(tag_name, _entities(text), m.start(2) - 1)
                entries.append((name, node))
                pos = m.end()
                m = fast(buf, pos, n)
            tag, pos = self.next_tag(pos, True, "in an ad <c>")
            if tag.name == "c" and tag.end:
                return entries, pos
            if tag.name != "a":
                raise self.fail(f"unexpected tag <{'/' if tag.end else ''}{tag.name}> in an ad", tag.pos)
            if tag.end or tag.empty:
                continue  # a stray </a> or <a/>: HTCondor skips it
            raw = tag.attrs.get("n", "")
            name = convert_escapes(_entities(raw))
            if not name:
                raise self.fail('an attribute <a> needs a non-empty name n="..."', tag.pos)
            vtag, pos = self.next_tag(pos, False, "in an attribute <a>")
            if vtag.end or vtag.name not in _VALUE_TAGS:
                raise self.fail(
                    f"unexpected tag <{'/' if vtag.end else ''}{vtag.name}>", vtag.pos, None, "a value"
                )
            node, pos = self.value(vtag, pos, level + 1)
            entries.append((name, node))
            pos = self.close("a", pos)


def _strtod(text: str) -> Any:
    """C ``strtod`` of the start of ``text`` (``error`` if no number starts it)."""
    m = _REAL_RE.match(text)
    if m is None:
        return ERROR
    word, hexa = m.group(1), m.group(2)
    s = m.group()
    if word is not None:
        sign = -1.0 if s[0] == "-" else 1.0
        return math.nan if word[0] in "nN" else sign * math.inf
    if hexa is not None:
        v = float.fromhex(hexa)
        return -v if s[0] == "-" else v
    return float(s)


def read_xml(input: ParseInput | Source, *, filename: str | None = None) -> Iterator[ClassAd]:
    """The ads of an XML text (with or without the prolog and ``<classads>``), read
    incrementally from a ``str``, a file object, a path or a reader ``Source``."""
    if isinstance(input, Source):
        yield from _read_xml(input)
        return
    src = Source(input, filename=filename)
    try:
        yield from _read_xml(src)
    finally:
        src.close()


def _read_xml(src: Source) -> Iterator[ClassAd]:
    parser = _XmlParser(src)
    while True:
        start = src.pos
        try:
            p = parser.skip(start, True)
            if p >= parser.n:
                src.pos = p
                return
            tag, end = parser.tag(p)
            if tag.name == "c" and not tag.end:
                if tag.empty:
                    entries: list[tuple[str, Node]] = []
                else:
                    entries, end = parser.ad(end, 0)
                src.pos = end
                yield ClassAd._from_entries(entries)
                parser.sync()
                continue
            if tag.name == "c":
                raise parser.fail("</c> without <c>", p, "</c>")
            src.pos = end  # <classads>, </classads> or anything else outside an ad
        except More:
            refill(src, parser, start)
