"""The quickest path for reading a new-syntax ad: split its text with string methods.

Real ads hold no comments or quoted names, and most of an ad's ``Name = value`` pieces repeat
from ad to ad.  So this cuts an ad at its double quotes (escaped quotes and backslashes inside
strings marked first, so the strings' contents are known exactly, as the lexer reads them),
cuts what lies outside the strings at ``;`` (at bracket depth 0, so nested ads and subscripts
are fine), and reads each piece from a bounded cache of pieces: a piece is kept with the
strings it held replaced by a marker, so ``Owner = "alice"`` and ``Owner = "bob"`` are one
entry.  Values that are not plain literals, and strings with escapes, come from the (cached)
expression parser, so the grammar still decides every expression.

Anything this cannot read with certainty -- a quote ``'``, a comment, a backslash outside a
string, a NUL or a marker character in the text, an attribute name that is not an
identifier, a piece that does not parse -- returns ``None``
and the caller goes on to :mod:`classad.grammar.fastad`'s splitter, then to the grammar,
which reports the errors.  The tests check this path against the grammar on real, generated
and edge-case ads.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from classad.ast import Literal, Node
from classad.cache import BoundedCache, Doorkeeper
from classad.grammar.fastad import _LITERALS, literal_value
from classad.grammar.text import UNREADABLE, zone_dependent

_WS = " \t\n\r\f\v"  # the lexer's whitespace (str.strip() without arguments takes more)
_MARK = "\x00"  # stands for one string literal in a piece (a NUL cannot be in the text)
_SEMI = "\x01"  # stands for a ';' inside brackets (so not one between attributes)
_BACKSLASH = "\x02"  # stands for an escaped backslash inside a string
_QUOTE = "\x03"  # stands for an escaped double quote inside a string
_KEYWORDS = frozenset({"true", "false", "undefined", "error", "is", "isnt"})
_OPEN = re.compile(r"[ \t\n\r\f\v]*\[")
_MAX_NESTED = 8
"""Closing brackets tried before the ad's own (one per nested ad or subscript): past this the
ad goes to the slower path, so finding the end stays linear in the text."""

# A piece read once: (folded name, name, node, segments).  ``segments`` is None when ``node``
# is the value; () when the value is one string literal (the node comes from the string); else
# the value's text cut at its string markers, to be joined with the strings and parsed.
_Piece = tuple[str, str, Node | None, tuple[str, ...] | None]
_BLANK: _Piece = ("", "", None, None)  # a piece of whitespace only (between ';'s)

_PIECES: tuple[BoundedCache[str, _Piece], BoundedCache[str, _Piece]] = (
    BoundedCache(32 << 20, 64 << 10),
    BoundedCache(32 << 20, 64 << 10),
)
"""Pieces read (kept the second time, :data:`_DOOR`), by text, for strict [0] and old [1]
semantics (an expression's tree depends on the mode's lexing).  Each is counted as its text
twice over plus 200 bytes for the entry (the OSPool sample's 205 ads hold about 15,000
distinct pieces: 32 MB keeps a dump many times that size)."""

_DOOR = Doorkeeper()
"""Pieces are kept the second time they are read: most of a dump's one-off pieces (``QDate =
1700000123``) never enter the cache."""

_STRINGS: BoundedCache[str, Node] = BoundedCache(4 << 20, 4096)
"""String literal nodes by content: the same values (``"LINUX"``, ``"YES"``) repeat."""


def _unescaped(text: str) -> str:
    """``text`` with each escaped backslash and escaped quote replaced by a marker, so that
    its double quotes are exactly the strings' ends (a backslash escapes the next character,
    as the lexer reads strings; backslashes outside strings send the ad elsewhere anyway)."""
    return text.replace("\\\\", _BACKSLASH).replace('\\"', _QUOTE) if "\\" in text else text


def _closing(text: str, pos: int) -> tuple[int, str | None]:
    """The index of the ``]`` closing the ad whose body starts at ``pos`` -- the first ``]``
    outside strings at which the brackets outside strings balance; -1 if there is none within
    :data:`_MAX_NESTED` tries -- and, when the body holds a backslash, the body as
    :func:`_unescaped` gives it (else None: the body is the text itself).  Each stretch
    between two ``]`` is looked at once (a run of backslashes cannot cross a ``]``), so this
    is linear in the text."""
    close = text.find("]", pos)
    quotes = 0
    start = pos
    outside = 0  # the ']'s outside strings passed so far
    done: list[str] | None = None  # the stretches so far, unescaped, once a backslash is seen
    while close >= 0:
        if text.find("\\", start, close) < 0:
            quotes += text.count('"', start, close)
            if done is not None:
                done.append(text[start:close])
        else:
            if done is None:
                done = [text[pos:start]]
            stretch = _unescaped(text[start:close])
            done.append(stretch)
            quotes += stretch.count('"')
        if not quotes & 1:
            if outside == 0 and text.find("[", pos, close) < 0:
                return close, None if done is None else "".join(done)  # no bracket before it
            body = text[pos:close] if done is None else "".join(done)
            if "".join(body.split('"')[0::2]).count("[") == outside:
                return close, None if done is None else body
            outside += 1
            if outside > _MAX_NESTED:
                return -1, None
        start = close
        close = text.find("]", close + 1)
    return -1, None


def _read_piece(piece: str, parse_value: Callable[[str], Node]) -> tuple[_Piece, bool] | None:
    """Read one ``name = value`` piece (strings replaced by markers); None if it needs the
    slower path.  The flag says whether the entry may be cached."""
    name, eq, raw = piece.partition("=")
    name = name.strip(_WS)
    if not eq:
        return (_BLANK, True) if not name else None
    if not (name.isascii() and name.isidentifier()):
        return None
    key = name.lower()
    if key in _KEYWORDS or raw[:1] in ("=", "?", "!"):  # '==', '=?=', '=!=': not an attribute
        return None
    value = raw.strip(_WS).replace(_SEMI, ";")
    if not value:
        return None
    if _MARK not in value:
        node = _LITERALS.data.get(value) or literal_value(value)
        if node is None:
            try:
                node = parse_value(value)
            except Exception:  # any problem: the grammar decides and reports
                return None
            return (key, name, node, None), not zone_dependent(value)
        return (key, name, node, None), True
    if value == _MARK:
        return (key, name, None, ()), True
    return (key, name, None, tuple(value.split(_MARK))), True


def _escaped(s: str) -> str:
    """A string's text as it was written (the markers of :func:`_unescaped` put back)."""
    if _BACKSLASH in s or _QUOTE in s:
        return s.replace(_QUOTE, '\\"').replace(_BACKSLASH, "\\\\")
    return s


def _string_node(s: str, parse_value: Callable[[str], Node]) -> Node | None:
    """The literal node of a string written ``"s"`` (with the markers of :func:`_unescaped`
    standing for its escaped quotes and backslashes; kept by that text); None if it needs the
    slower path."""
    node = _STRINGS.data.get(s)
    if node is None:
        raw = _escaped(s)
        if "\\" in raw:  # escapes: the lexer decodes them
            try:
                node = parse_value('"' + raw + '"')
            except Exception:  # a bad escape: the grammar reports it
                return None
        elif not s.isascii() and UNREADABLE.search(s):  # (a NUL never gets this far)
            return None
        else:
            node = Literal(s)
        _STRINGS.put(s, node, 2 * len(s))
    return node


def split_ad(
    text: str, parse_value: Callable[[str], Node], old: bool, start: int = 0
) -> tuple[dict[str, Node], dict[str, str], int] | None:
    """The ad at ``text[start:]`` (after whitespace) as its (folded name -> expression) and
    (folded name -> spelling) maps, and the offset just past its ``]``; None when the text
    needs a slower path.  A repeated name keeps its first spelling and its last value, and
    its first place.  ``parse_value`` parses a value text that is not a plain literal."""
    m = _OPEN.match(text, start)
    if m is None:
        return None
    pos = m.end()
    close, unescaped = _closing(text, pos)
    if close < 0:
        return None
    escaped = unescaped is not None
    if unescaped is not None:
        if text.find(_BACKSLASH, pos, close) >= 0 or text.find(_QUOTE, pos, close) >= 0:
            return None  # the markers would be ambiguous
        body = unescaped
    else:
        body = text[pos:close]
    if _MARK in body or _SEMI in body:
        return None
    if '"' in body:
        parts = body.split('"')
        outside = _MARK.join(parts[0::2])
        strings = parts[1::2]
    else:
        outside = body
        strings = []
    if "'" in outside or ("/" in outside and ("//" in outside or "/*" in outside)):
        return None
    if escaped:
        if "\\" in outside or _BACKSLASH in outside or _QUOTE in outside:
            return None  # a backslash outside strings: an error, which the grammar reports
    if "[" in outside:
        protected = _protect(outside)
        if protected is None:
            return None
        outside = protected
    pieces = outside.split(";")
    if len(pieces) > 1 and not pieces[0].strip(_WS):
        return None  # '[;' and '[ ; a = 1]' are errors
    cache = _PIECES[old]
    cached = cache.data
    strings_get = _STRINGS.data.get
    attrs: dict[str, Node] = {}
    names: dict[str, str] = {}
    si = 0  # the next string
    for piece in pieces:
        entry = cached.get(piece)
        if entry is None:
            read = _read_piece(piece, parse_value)
            if read is None:
                return None
            entry, keep = read
            if keep and _DOOR.seen_before(piece):
                cache.put(piece, entry, 2 * len(piece) + 200)
        key, name, node, segments = entry
        if segments is not None:
            if not segments:
                s = strings[si]
                si += 1
                node = strings_get(s) or _string_node(s, parse_value)
            else:
                k = len(segments) - 1
                out = [segments[0]]
                for j in range(k):
                    out += ('"', strings[si + j], '"', segments[j + 1])
                si += k
                value = "".join(out)
                try:
                    node = parse_value(_escaped(value) if escaped else value)
                except Exception:  # the grammar decides and reports
                    return None
            if node is None:
                return None
        elif node is None:  # whitespace between ';'s
            continue
        if key not in attrs:
            names[key] = name
        attrs[key] = node
    return attrs, names, close + 1


def _protect(outside: str) -> str | None:
    """``outside`` with each ``;`` inside brackets replaced by :data:`_SEMI`, so that cutting
    at ``;`` cuts only between attributes; None if a bracket is not closed.  There are at most
    :data:`_MAX_NESTED` brackets (:func:`_closing` saw to that), so the scans stay linear."""
    out: list[str] = []
    done = 0
    p = outside.find("[")
    while p >= 0:
        depth = 1
        q = p + 1
        while depth:
            o = outside.find("[", q)
            c = outside.find("]", q)
            if c < 0:
                return None
            if 0 <= o < c:
                depth += 1
                q = o + 1
            else:
                depth -= 1
                q = c + 1
        out += (outside[done:p], outside[p:q].replace(";", _SEMI))
        done = q
        p = outside.find("[", q)
    out.append(outside[done:])
    return "".join(out)
