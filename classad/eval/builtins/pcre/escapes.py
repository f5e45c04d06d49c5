"""The lower half of the PCRE2 parser: the cursor and the parse state (:class:`_EscapeParser`), the
option flags in force (:class:`_Flags`), and the parts of a pattern that stand for one byte, a set
of bytes or a reference: backslash escapes, ``\\p{..}`` properties, back references, subroutine
calls and bracketed character classes.  :class:`~.parser._Parser` adds the grammar on top."""

from __future__ import annotations

import re

from classad.eval.builtins.pcre.charsets import (
    ALL,
    ALPHA,
    DIGIT,
    HSPACE,
    NEWLINE,
    POSIX,
    SPACE,
    VSPACE,
    WORD,
    _chars,
    _property,
    fold,
)
from classad.eval.builtins.pcre.errors import PatternError
from classad.eval.builtins.pcre.tree import Alt, Anchor, Backref, Call, Cls, Cond, Group, Lit, Node, Seq

_MAX_REPEAT = 65535
_NAME = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_DIGITS = re.compile(rb"[0-9]+")
_XSPACE = frozenset(b" \t\n\x0b\x0c\r")
_LETTER_ESCAPES_OK = frozenset(b"abcdefghknoprstvwxzABCDEGHKNPQRSVWXZ")


class _Flags:
    __slots__ = ("i", "m", "n", "s", "ungreedy", "x", "xx")

    def __init__(self) -> None:
        self.i = False
        self.m = False
        self.s = False
        self.x = False
        self.xx = False
        self.n = False
        self.ungreedy = False

    def copy(self) -> _Flags:
        f = _Flags()
        f.i, f.m, f.s, f.x, f.xx, f.n, f.ungreedy = (
            self.i,
            self.m,
            self.s,
            self.x,
            self.xx,
            self.n,
            self.ungreedy,
        )
        return f


class _EscapeParser:
    """The parser's cursor (``p``, ``i``), flags and state, and the escapes and character classes;
    the grammar is :class:`~.parser._Parser`'s."""

    def __init__(self, pattern: bytes, flags: str) -> None:
        self.p = pattern
        self.i = 0
        self.f = _Flags()
        self.f.i = "i" in flags
        self.f.m = "m" in flags
        self.f.s = "s" in flags
        self.f.x = "x" in flags
        self.groups = 0
        self.closed: set[int] = set()
        self.names: dict[bytes, int] = {}
        self.refs: list[int] = []
        self.name_refs: list[bytes] = []
        self.nest = 0
        self.bsr_anycrlf = False
        self.keeps = 0
        self.in_lookaround = 0
        self.has_backref = False
        self.late_conds: list[tuple[Cond, bytes]] = []
        self.late_refs: list[tuple[Backref, bytes]] = []
        self.late_calls: list[tuple[Call, bytes]] = []
        self.has_calls = False
        self.group_nodes: dict[int, Group] = {}
        # False when Python's re cannot express the pattern (only the backtracker runs it).
        self.re_ok = True
        # A lower bound of the size of PCRE2's compiled pattern (see _Parser.grow).
        self.size = 7

    # -- helpers

    def error(self, msg: str) -> PatternError:
        return PatternError(f"{msg} at offset {self.i}")

    def peek(self, k: int = 0) -> int:
        j = self.i + k
        return self.p[j] if j < len(self.p) else -1

    def startswith(self, s: bytes) -> bool:
        return self.p.startswith(s, self.i)

    def skip_x(self) -> None:
        if not self.f.x:
            return
        p = self.p
        n = len(p)
        while self.i < n:
            c = p[self.i]
            if c in _XSPACE:
                self.i += 1
            elif c == 0x23:  # '#': comment to the end of the line
                j = p.find(b"\n", self.i)
                self.i = n if j < 0 else j + 1
            else:
                break

    def read_braces(self) -> tuple[int, int | None] | None:
        """A ``{n}``, ``{n,}`` or ``{n,m}`` quantifier at the cursor, or None (then ``{`` is a
        literal)."""
        m = re.compile(rb"\{([0-9]+)(,([0-9]*))?\}").match(self.p, self.i)
        if m is None:
            return None
        lo = int(m.group(1))
        if m.group(2) is None:
            hi: int | None = lo
        elif m.group(3):
            hi = int(m.group(3))
        else:
            hi = None
        if lo > _MAX_REPEAT or (hi is not None and hi > _MAX_REPEAT):
            raise self.error("number too big in {} quantifier")
        if hi is not None and hi < lo:
            raise self.error("numbers out of order in {} quantifier")
        self.i = m.end()
        return lo, hi

    def lit(self, c: int) -> Node:
        return Lit(c, self.f.i and (0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A))

    # -- escapes and references

    def parse_escape_atom(self) -> tuple[list[Node], bool | None]:
        p = self.p
        self.i += 1
        if self.i >= len(p):
            raise self.error("\\ at end of pattern")
        c = p[self.i]
        if c == 0x51:  # \Q...\E
            self.i += 1
            j = p.find(b"\\E", self.i)
            end = len(p) if j < 0 else j
            text = p[self.i : end]
            self.i = len(p) if j < 0 else j + 2
            if not text:
                return [], None
            return [self.lit(b) for b in text], True
        if c == 0x45:  # \E
            self.i += 1
            return [], None
        simple = {
            0x64: DIGIT,
            0x44: ALL & ~DIGIT,
            0x73: SPACE,
            0x53: ALL & ~SPACE,
            0x77: WORD,
            0x57: ALL & ~WORD,
            0x68: HSPACE,
            0x48: ALL & ~HSPACE,
            0x76: VSPACE,
            0x56: ALL & ~VSPACE,
            0x4E: ALL & ~NEWLINE,
            0x43: ALL,
        }
        if c in simple:
            self.i += 1
            if c == 0x4E and self.peek() == 0x7B:
                save = self.i
                if self.read_braces() is None:
                    raise self.error("\\N{name} is not supported in a class or without UTF")
                self.i = save
            return [Cls(simple[c])], True
        anchors = {0x62: "b", 0x42: "B", 0x41: "A", 0x5A: "Z", 0x7A: "z"}
        if c in anchors:
            self.i += 1
            return [Anchor(anchors[c])], False
        if c == 0x47:  # \G: only the backtracker knows the search's start offset
            self.i += 1
            self.re_ok = False
            return [Anchor("G")], False
        if c == 0x4B:  # \K
            self.i += 1
            self.keeps += 1
            if self.in_lookaround:
                self.re_ok = False
            return [Anchor("keep%d" % self.keeps)], False
        if c == 0x52:  # \R
            self.i += 1
            crlf = Seq([Lit(0x0D, False), Lit(0x0A, False)])
            singles = _chars(b"\n\r") if self.bsr_anycrlf else VSPACE
            return [Group("atomic", Alt([crlf, Cls(singles)]))], True
        if c == 0x58:  # \X
            self.i += 1
            crlf = Seq([Lit(0x0D, False), Lit(0x0A, False)])
            return [Group("atomic", Alt([crlf, Cls(ALL)]))], True
        if c in (0x70, 0x50):  # \p \P
            return [Cls(self.parse_property())], True
        if c == 0x67:  # \g
            return [self.parse_g()], True
        if c == 0x6B:  # \k
            self.i += 1
            d = self.peek()
            close = {0x3C: 0x3E, 0x27: 0x27, 0x7B: 0x7D}.get(d)
            if close is None:
                raise self.error("\\k is not followed by a name")
            self.i += 1
            return [self.named_ref(close)], True
        if 0x31 <= c <= 0x39:
            m = _DIGITS.match(p, self.i)
            assert m is not None
            num = int(m.group())
            if num < 10 or c in (0x38, 0x39) or num <= self.groups:
                self.i = m.end()
                return [self.backref(num)], True
            # Otherwise up to three octal digits.
            return [self.lit(self.read_octal_escape())], True
        return [self.lit(self.parse_char_escape(False))], True

    def read_octal_escape(self) -> int:
        m = re.compile(rb"[0-7]{1,3}").match(self.p, self.i)
        if m is None:
            # \8 or \9 (inside a class): the digit itself.
            c = self.p[self.i]
            self.i += 1
            return c
        v = int(m.group(), 8)
        if v > 0xFF:
            raise self.error("octal value is greater than \\377 in 8-bit non-UTF mode")
        self.i = m.end()
        return v

    def parse_char_escape(self, in_class: bool) -> int:
        """A backslash escape that stands for one byte (the cursor is after the backslash)."""
        p = self.p
        c = p[self.i]
        self.i += 1
        plain = {0x61: 0x07, 0x65: 0x1B, 0x66: 0x0C, 0x6E: 0x0A, 0x72: 0x0D, 0x74: 0x09}
        if c in plain:
            return plain[c]
        if c == 0x30:  # \0 and up to two more octal digits
            m = re.compile(rb"[0-7]{0,2}").match(p, self.i)
            assert m is not None
            self.i = m.end()
            return int(m.group() or b"0", 8)
        if in_class and c == 0x62:  # [\b] is backspace
            return 0x08
        if in_class and 0x31 <= c <= 0x39:
            self.i -= 1
            return self.read_octal_escape()
        if c == 0x6F:  # \o{...}
            m = re.compile(rb"\{([0-7]+)\}").match(p, self.i)
            if m is None:
                raise self.error("missing opening brace after \\o")
            v = int(m.group(1), 8)
            if v > 0xFF:
                raise self.error("character code point value in \\o{} is too large")
            self.i = m.end()
            return v
        if c == 0x78:  # \x
            if self.peek() == 0x7B:
                m = re.compile(rb"\{([0-9A-Fa-f]+)\}").match(p, self.i)
                if m is None:
                    raise self.error("non-hex character in \\x{}")
                v = int(m.group(1), 16)
                if v > 0xFF:
                    raise self.error("character code point value in \\x{} is too large")
                self.i = m.end()
                return v
            m = re.compile(rb"[0-9A-Fa-f]{0,2}").match(p, self.i)
            assert m is not None
            self.i = m.end()
            return int(m.group() or b"0", 16)
        if c == 0x63:  # \cX
            if self.i >= len(p):
                raise self.error("\\c at end of pattern")
            x = p[self.i]
            if not 0x20 <= x <= 0x7E:
                raise self.error("\\c must be followed by a printable ASCII character")
            self.i += 1
            if 0x61 <= x <= 0x7A:
                x -= 0x20
            return x ^ 0x40
        if (0x41 <= c <= 0x5A) or (0x61 <= c <= 0x7A) or (0x30 <= c <= 0x39):
            raise self.error("unrecognized character follows \\")
        return c

    def parse_property(self) -> int:
        p = self.p
        neg = p[self.i] == 0x50
        self.i += 1
        if self.i >= len(p):
            raise self.error("malformed \\P or \\p sequence")
        if p[self.i] == 0x7B:
            j = p.find(b"}", self.i)
            if j < 0:
                raise self.error("malformed \\P or \\p sequence")
            name = p[self.i + 1 : j]
            self.i = j + 1
            if name.startswith(b"^"):
                neg = not neg
                name = name[1:]
        else:
            name = p[self.i : self.i + 1]
            self.i += 1
        m = _property(name)
        return ALL & ~m if neg else m

    def parse_g(self) -> Node:
        p = self.p
        self.i += 1
        d = self.peek()
        if d in (0x3C, 0x27):  # \g<..> \g'..': subroutine call
            close = 0x3E if d == 0x3C else 0x27
            m = re.compile(rb"([+-]?[0-9]+|[A-Za-z_][A-Za-z0-9_]*)").match(p, self.i + 1)
            if m is None or self.peek(m.end() - self.i) != close:
                raise self.error("\\g is not followed by a braced, angle-bracketed, or quoted name")
            self.i = m.end() + 1
            return self.call(m.group())
        if d == 0x7B:
            j = p.find(b"}", self.i)
            if j < 0:
                raise self.error("\\g is not followed by a braced, angle-bracketed, or quoted name")
            body = p[self.i + 1 : j]
            self.i = j + 1
            if re.fullmatch(rb"[+-]?[0-9]+", body):
                return self.numbered_ref(body)
            if _NAME.fullmatch(body):
                return self.name_backref(body)
            raise self.error("\\g is not followed by a braced, angle-bracketed, or quoted name")
        m = re.compile(rb"[+-]?[0-9]+").match(p, self.i)
        if m is None:
            raise self.error("a numbered reference must not be zero")
        self.i = m.end()
        return self.numbered_ref(m.group())

    def numbered_ref(self, text: bytes) -> Node:
        if text.startswith(b"+"):
            raise self.error("\\g{+n} is not a valid reference")
        n = int(text)
        if text.startswith(b"-"):
            n = self.groups + 1 + n
            if n <= 0:
                raise self.error("reference to non-existent subpattern")
        elif n == 0:
            raise self.error("a numbered reference must not be zero")
        return self.backref(n)

    def named_ref(self, close: int) -> Node:
        m = _NAME.match(self.p, self.i)
        if m is None or self.peek(m.end() - self.i) != close:
            raise self.error("syntax error in subpattern name")
        self.i = m.end() + 1
        return self.name_backref(m.group())

    def name_backref(self, name: bytes) -> Node:
        num = self.names.get(name)
        if num is None:
            self.name_refs.append(name)
            node = Backref(0, self.f.i, True)
            self.late_refs.append((node, name))
            self.has_backref = True
            return node
        return self.backref(num)

    def call(self, text: bytes) -> Node:
        """A subroutine call to group ``text`` (a number, +n/-n relative, or a name)."""
        self.re_ok = False
        self.has_calls = True
        if text == b"R":
            return Call(0)
        if re.fullmatch(rb"[+-]?[0-9]+", text):
            n = int(text)
            if text.startswith(b"+"):
                n = self.groups + n
            elif text.startswith(b"-"):
                n = self.groups + 1 + n
            if n < 0 or (n == 0 and text[:1] in b"+-"):
                raise self.error("reference to non-existent subpattern")
            self.refs.append(n) if n else None
            return Call(n)
        node = Call(0)
        self.name_refs.append(text)
        self.late_calls.append((node, text))
        return node

    def backref(self, num: int) -> Node:
        self.refs.append(num)
        self.has_backref = True
        return Backref(num, self.f.i, num not in self.closed)

    # -- character classes

    def parse_class(self) -> int:
        p = self.p
        n = len(p)
        neg = False
        if self.peek() == 0x5E:
            neg = True
            self.i += 1
        mask = 0  # literal characters and ranges (case-folded when caseless)
        extra = 0  # class escapes and POSIX classes (not folded)
        first = True
        prev: int | None = None  # a literal that may start a range
        while True:
            if self.i >= n:
                raise self.error("missing terminating ] for character class")
            c = p[self.i]
            if c == 0x5D and not first:
                self.i += 1
                break
            first = False
            if self.f.xx and c in (0x20, 0x09):
                self.i += 1
                continue
            if c == 0x5B and self.peek(1) in (0x3A, 0x2E, 0x3D):
                end = _posix_end(p, self.i + 1)
                if end >= 0:
                    if p[self.i + 1] != 0x3A:
                        raise self.error("POSIX collating elements are not supported")
                    name = p[self.i + 2 : end]
                    negated = name.startswith(b"^")
                    if negated:
                        name = name[1:]
                    cls = POSIX.get(name)
                    if cls is None:
                        raise self.error("unknown POSIX class name")
                    if self.f.i and name in (b"upper", b"lower"):
                        cls = ALPHA
                    if negated:
                        cls = ALL & ~cls
                    self.i = end + 2
                    if self.peek() == 0x2D and self.peek(1) != 0x5D:
                        raise self.error("invalid range in character class")
                    extra |= cls
                    prev = None
                    continue
            if c == 0x5C:
                self.i += 1
                if self.i >= n:
                    raise self.error("\\ at end of pattern")
                e = p[self.i]
                if e == 0x51:  # \Q...\E inside a class
                    self.i += 1
                    j = p.find(b"\\E", self.i)
                    end = n if j < 0 else j
                    for b in p[self.i : end]:
                        mask |= 1 << b
                        prev = b
                    self.i = n if j < 0 else j + 2
                    continue
                if e == 0x45:
                    self.i += 1
                    continue
                sets = {
                    0x64: DIGIT,
                    0x44: ALL & ~DIGIT,
                    0x73: SPACE,
                    0x53: ALL & ~SPACE,
                    0x77: WORD,
                    0x57: ALL & ~WORD,
                    0x68: HSPACE,
                    0x48: ALL & ~HSPACE,
                    0x76: VSPACE,
                    0x56: ALL & ~VSPACE,
                }
                if e in sets or e in (0x70, 0x50):
                    if e in sets:
                        self.i += 1
                        extra |= sets[e]
                    else:
                        extra |= self.parse_property()
                    if self.peek() == 0x2D and self.peek(1) != 0x5D and self.peek(1) >= 0:
                        raise self.error("invalid range in character class")
                    prev = None
                    continue
                if e in (0x42, 0x52, 0x58, 0x4E, 0x41, 0x5A, 0x7A, 0x47, 0x4B, 0x67, 0x6B):
                    raise self.error("escape sequence is invalid in character class")
                ch = self.parse_char_escape(True)
            else:
                self.i += 1
                ch = c
            # A range?
            if self.peek() == 0x2D and self.peek(1) not in (0x5D, -1):
                save = self.i
                self.i += 1
                hi_c = p[self.i]
                if hi_c == 0x5B and self.peek(1) in (0x3A, 0x2E, 0x3D) and _posix_end(p, self.i + 1) >= 0:
                    raise self.error("invalid range in character class")
                if hi_c == 0x5C:
                    self.i += 1
                    if self.i >= n:
                        raise self.error("\\ at end of pattern")
                    e = p[self.i]
                    if e in b"dDsSwWhHvVpP":
                        raise self.error("invalid range in character class")
                    if e == 0x51 or e == 0x45:
                        # \Q or \E after '-': PCRE2 ends the range there; keep it simple.
                        self.i = save
                        mask |= 1 << ch
                        prev = ch
                        continue
                    hi = self.parse_char_escape(True)
                else:
                    self.i += 1
                    hi = hi_c
                if hi < ch:
                    raise self.error("range out of order in character class")
                mask |= ((1 << (hi - ch + 1)) - 1) << ch
                prev = None
                continue
            mask |= 1 << ch
            prev = ch
        del prev
        if self.f.i:
            mask = fold(mask)
        result = mask | extra
        return ALL & ~result if neg else result


def _posix_end(p: bytes, i: int) -> int:
    """PCRE2's ``check_posix_syntax``: ``p[i]`` is the terminator (``:``, ``.`` or ``=``) after a
    ``[``; the index of the closing terminator (followed by ``]``), or -1."""
    term = p[i]
    i += 1
    n = len(p)
    while n - i >= 2:
        c = p[i]
        if c == 0x5C and p[i + 1] in (0x5D, 0x5C):
            i += 1
        elif (c == 0x5B and p[i + 1] == term) or c == 0x5D:
            return -1
        elif c == term and p[i + 1] == 0x5D:
            return i
        i += 1
    return -1
