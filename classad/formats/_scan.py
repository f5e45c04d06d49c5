"""Incremental scanners: where the next item of a text ends, found from text fed piece by piece.

A reader that must not read past the item it returns (``parseNext`` on a pipe reads line by
line) cannot parse an item again after every line: that is quadratic in the item's lines.
Instead :meth:`Source.scan_item <classad.formats._source.Source.scan_item>` feeds the lines to
a scanner until it says the item is complete, and the reader parses the item once.  A scanner
keeps its state between pieces (inside a string, a comment, a tag; the bracket depth), so each
character is looked at once whatever the pieces are.

Every scanner skips what may precede an item (whitespace and comments, or XML text, comments
and declarations), records where the item's first significant character is (``token``) and
reports the offset just after the item (``end``), both relative to where scanning started:

* :class:`BracketScanner`: new syntax (``[...]``, strings in ``"`` and quoted names in ``'``)
  and JSON (``{...}`` with ``[...]`` inside, strings in ``"``); an item that does not start
  with the opening bracket is just its first character;
* :class:`XmlScanner`: an ad ``<c>...</c>`` (nested ``<c>`` counted), or any other single tag;
* :class:`LineScanner`: a line (JSON lines).

The scanners only find the end; the readers' parsers decide what the text means (an item that
is malformed is complete as soon as the scanner can tell, and the parser reports the error).
"""

from __future__ import annotations

import re

_WS_RE = re.compile(r"[ \t\n\r\f\v]*")

# Phases of the bracket scanner.
_SKIP, _CODE, _STR, _LINE, _BLOCK = range(5)


class Scanner:
    """The interface: :meth:`feed` pieces, :meth:`finish` at the end of the input."""

    __slots__ = ("end", "pending", "resume", "token")

    def __init__(self) -> None:
        self.token = -1  # offset of the item's first significant character (-1: none yet)
        self.end = -1  # offset just after the item (-1: not complete)
        self.resume = 0  # offset from which the next piece must be fed
        self.pending = False  # the text from ``resume`` on is needed again (a cut-off token)

    def feed(self, text: str, start: int, origin: int) -> int:
        """Scan ``text[start:]``; ``text[origin]`` is where scanning began (offsets are relative
        to it; ``origin`` may be negative when the piece starts later).  Returns ``end`` once
        the item is complete, else -1 (then ``resume`` says where to go on)."""
        raise NotImplementedError

    def finish(self) -> int:
        """The input has ended: ``end`` if a cut-off token completes the item, else -1."""
        return self.end


class BracketScanner(Scanner):
    """Whitespace and ``//``/``/* */`` comments, then one item: from ``opener`` to its matching
    close (``opens``/``closes`` nest; strings in ``quotes`` with backslash escapes and comments
    hide brackets), or just the first character when it is not ``opener``."""

    __slots__ = ("_body", "_find", "closes", "depth", "opener", "opens", "phase", "quote", "ret")

    def __init__(self, quotes: str, opener: str, opens: str, closes: str) -> None:
        super().__init__()
        self.opener = opener
        self.opens = opens
        self.closes = closes
        self.phase = _SKIP
        self.ret = _SKIP  # the phase a comment returns to
        self.depth = 0
        self.quote = ""
        self._find = _interesting(quotes + opens + closes)
        self._body = {q: _string_body(q) for q in quotes}

    def feed(self, text: str, start: int, origin: int) -> int:
        i = start
        n = len(text)
        self.pending = False
        while i < n:
            phase = self.phase
            if phase == _SKIP or phase == _CODE:
                if phase == _SKIP:
                    i = _WS_RE.match(text, i).end()  # type: ignore[union-attr]
                    if i >= n:
                        break
                else:
                    m = self._find.search(text, i)
                    if m is None:
                        i = n
                        break
                    i = m.start()
                c = text[i]
                if c == "/":
                    if i + 1 >= n:
                        self.resume = i - origin
                        self.pending = True
                        return -1  # a comment or not: the next character tells
                    d = text[i + 1]
                    if d == "/" or d == "*":
                        self.ret = phase
                        self.phase = _LINE if d == "/" else _BLOCK
                        i += 2
                        continue
                    if phase == _CODE:
                        i += 1
                        continue
                if phase == _SKIP:
                    self.token = i - origin
                    if c != self.opener:
                        self.end = i + 1 - origin
                        return self.end
                    self.depth = 1
                    self.phase = _CODE
                    i += 1
                elif c in self.opens:
                    self.depth += 1
                    i += 1
                elif c in self.closes:
                    self.depth -= 1
                    i += 1
                    if self.depth == 0:
                        self.end = i - origin
                        return self.end
                else:
                    self.quote = c
                    self.phase = _STR
                    i += 1
            elif phase == _STR:
                i = self._body[self.quote].match(text, i).end()  # type: ignore[union-attr]
                if i >= n:
                    break
                if text[i] == "\\":  # a backslash cut off from the character it escapes
                    self.resume = i - origin
                    self.pending = True
                    return -1
                self.phase = _CODE
                i += 1
            elif phase == _LINE:
                j = text.find("\n", i)
                if j < 0:
                    i = n
                    break
                self.phase = self.ret
                i = j + 1
            else:
                j = text.find("*/", i)
                if j < 0:
                    if text.endswith("*") and n - 1 >= i:
                        self.resume = n - 1 - origin
                        self.pending = True
                        return -1
                    i = n
                    break
                self.phase = self.ret
                i = j + 2
        self.resume = i - origin
        return -1

    def finish(self) -> int:
        if self.pending and self.phase == _SKIP:
            # A '/' alone at the very end: it is the first significant character.
            self.token = self.resume
            self.end = self.resume + 1
        return self.end


def _interesting(chars: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(chars + "/") + "]")


def _string_body(quote: str) -> re.Pattern[str]:
    q = re.escape(quote)
    return re.compile(r"(?:[^" + q + r"\\]|\\[\s\S])*")


class LineScanner(Scanner):
    """One line, up to and including its newline."""

    __slots__ = ()

    def feed(self, text: str, start: int, origin: int) -> int:
        j = text.find("\n", start)
        if j < 0:
            self.resume = len(text) - origin
            return -1
        self.token = 0
        self.end = j + 1 - origin
        return self.end


# Phases of the XML scanner.
_TEXT, _OPEN, _NAME, _BODY, _DQ, _SQ, _COMMENT, _PI, _DECL = range(9)
_NAME_RE = re.compile(r"[^ \t\n\r\f\v/>]*")
_BODY_RE = re.compile(r"[^>\"']*")
_DQ_RE = re.compile(r'(?:[^"\\]|\\[\s\S])*')
_WS = " \t\n\r\f\v"


class XmlScanner(Scanner):
    """XML text, comments, ``<?...?>`` and ``<!...>``, then one tag: an ad ``<c>`` runs to its
    matching ``</c>``; any other tag (``<classads>``, ``<c/>``, ``</c>``) is the item alone.

    Tags are read as the XML reader reads them: ``<``, optional whitespace and ``/``, the name,
    then anything up to ``>`` outside attribute values in ``"`` (backslash escapes) or ``'``;
    a ``/`` as the last character before ``>`` makes the tag empty.
    """

    __slots__ = ("closing", "depth", "last", "name", "phase")

    def __init__(self) -> None:
        super().__init__()
        self.phase = _TEXT
        self.depth = 0
        self.closing = False
        self.name = ""  # the tag name's first two characters (enough to tell "c")
        self.last = ""  # the last character of the tag body that is not whitespace

    def feed(self, text: str, start: int, origin: int) -> int:
        i = start
        n = len(text)
        self.pending = False
        while i < n:
            phase = self.phase
            if phase == _TEXT:
                j = text.find("<", i)
                if j < 0:
                    i = n
                    break
                if j + 1 >= n or (text[j + 1] == "!" and n - j < 4):
                    self.resume = j - origin
                    self.pending = True
                    return -1  # "<", "<!" or "<!-": what it is depends on what follows
                nxt = text[j + 1]
                if nxt == "?":
                    self.phase = _PI
                    i = j + 1
                elif text.startswith("<!--", j):
                    self.phase = _COMMENT
                    i = j + 4
                elif nxt == "!":
                    self.phase = _DECL
                    i = j + 1
                else:
                    if self.token < 0 and self.depth == 0:
                        self.token = j - origin
                    self.phase = _OPEN
                    self.closing = False
                    self.name = ""
                    self.last = ""
                    i = j + 1
            elif phase == _OPEN:
                i = _WS_RE.match(text, i).end()  # type: ignore[union-attr]
                if i >= n:
                    break
                if text[i] == "/" and not self.closing:
                    self.closing = True
                    i += 1
                    continue
                self.phase = _NAME
            elif phase == _NAME:
                m = _NAME_RE.match(text, i)
                assert m is not None
                if len(self.name) < 2:
                    self.name = (self.name + m.group()[:2])[:2]
                i = m.end()
                if i < n:
                    self.phase = _BODY
            elif phase == _BODY:
                m = _BODY_RE.match(text, i)
                assert m is not None
                body = m.group().rstrip(_WS)
                if body:
                    self.last = body[-1]
                i = m.end()
                if i >= n:
                    break
                c = text[i]
                i += 1
                if c == '"':
                    self.phase = _DQ
                elif c == "'":
                    self.phase = _SQ
                else:
                    self.phase = _TEXT
                    if self._tag_done():
                        self.end = i - origin
                        return self.end
            elif phase == _DQ:
                i = _DQ_RE.match(text, i).end()  # type: ignore[union-attr]
                if i >= n:
                    break
                if text[i] == "\\":
                    self.resume = i - origin
                    self.pending = True
                    return -1
                self.phase = _BODY
                self.last = '"'
                i += 1
            elif phase == _SQ:
                j = text.find("'", i)
                if j < 0:
                    i = n
                    break
                self.phase = _BODY
                self.last = "'"
                i = j + 1
            else:
                close = "-->" if phase == _COMMENT else "?>" if phase == _PI else ">"
                j = text.find(close, i)
                if j < 0:
                    # Keep what may be the start of the closing sequence.
                    keep = max(i, n - len(close) + 1)
                    if keep < n:
                        self.resume = keep - origin
                        self.pending = True
                        return -1
                    i = n
                    break
                self.phase = _TEXT
                i = j + len(close)
        self.resume = i - origin
        return -1

    def _tag_done(self) -> bool:
        """A tag has just ended: whether it ends the item."""
        is_ad = self.name == "c"
        empty = self.last == "/"
        if self.depth == 0:
            if is_ad and not self.closing and not empty:
                self.depth = 1
                return False
            return True
        if is_ad:
            if self.closing:
                self.depth -= 1
                return self.depth == 0
            if not empty:
                self.depth += 1
        return False
