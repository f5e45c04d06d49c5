"""PCRE2 patterns for the regular-expression functions (reference 5.1 "Regular expressions").

HTCondor compiles patterns with PCRE2 10.32 (the version in the 25.14.1 wheel) in its default
8-bit, non-UTF mode: a pattern and its subject are byte strings, ``.`` matches one byte, and
``\\w``, ``\\d``, ``\\s``, POSIX classes and caseless matching follow the C locale (ASCII).  This
module parses PCRE2 syntax itself (so that what PCRE2 rejects is rejected here) into a small
tree, then writes an equivalent pattern for Python's :mod:`re` on ``bytes``.  Written from
PCRE2's documentation (``pcre2pattern``) and checked against the reference library.

Where the two engines differ the tree is written so that Python's ``re`` behaves like PCRE2:
``\\Z``, multi-line ``^`` (no match after a final newline), ``\\B`` on an empty subject, POSIX
classes, ``\\h``/``\\v``/``\\R``/``\\X``, ``\\p{..}`` on Latin-1 code points, option letters set in
the middle of a group, variable-length alternatives of a look-behind, conditions on assertions.
Patterns PCRE2 accepts but ``re`` cannot express (recursion and subroutine calls, backtracking
verbs other than ``(*FAIL)``, ``\\G``, branch reset, duplicate names, forward references and
``(*UTF)``/``(*UCP)``) raise :class:`Unsupported`; DEVIATIONS.md lists them.

Python's ``re`` has no backtracking limit, unlike PCRE2 (whose match limit makes HTCondor return
error).  :func:`analyse` computes a pattern's worst-case backtracking growth so that the caller
can refuse to run a pattern whose worst case on a subject of the given length is too expensive
(see :data:`MAX_STEPS`).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

__all__ = [
    "MAX_STEPS",
    "Compiled",
    "PatternError",
    "Unsupported",
    "compile_pcre",
]


class PatternError(Exception):
    """PCRE2 would fail to compile the pattern."""


class _NeedsBacktracker(Exception):
    """The pattern needs :class:`Backtracker` (Python's ``re`` cannot express it)."""


class Unsupported(Exception):
    """A valid PCRE2 pattern that Python's ``re`` cannot run with the same meaning."""


# --- byte sets --------------------------------------------------------------------------------

ALL = (1 << 256) - 1


def _bits(*ranges: tuple[int, int]) -> int:
    m = 0
    for lo, hi in ranges:
        m |= ((1 << (hi - lo + 1)) - 1) << lo
    return m


def _chars(s: bytes) -> int:
    m = 0
    for c in s:
        m |= 1 << c
    return m


NEWLINE = 1 << 10
DIGIT = _bits((0x30, 0x39))
UPPER = _bits((0x41, 0x5A))
LOWER = _bits((0x61, 0x7A))
ALPHA = UPPER | LOWER
ALNUM = ALPHA | DIGIT
WORD = ALNUM | (1 << 0x5F)
SPACE = _bits((0x09, 0x0D), (0x20, 0x20))
HSPACE = _chars(b"\x09\x20\xa0")
VSPACE = _bits((0x0A, 0x0D)) | (1 << 0x85)
GRAPH = _bits((0x21, 0x7E))
POSIX = {
    b"alpha": ALPHA,
    b"digit": DIGIT,
    b"alnum": ALNUM,
    b"upper": UPPER,
    b"lower": LOWER,
    b"space": SPACE,
    b"blank": _chars(b"\t "),
    b"cntrl": _bits((0x00, 0x1F), (0x7F, 0x7F)),
    b"graph": GRAPH,
    b"print": _bits((0x20, 0x7E)),
    b"punct": GRAPH & ~ALNUM,
    b"xdigit": DIGIT | _bits((0x41, 0x46), (0x61, 0x66)),
    b"word": WORD,
    b"ascii": _bits((0x00, 0x7F)),
}


def fold(mask: int) -> int:
    """Add the other ASCII case of every letter in ``mask`` (PCRE2's C-locale tables)."""
    return mask | ((mask & UPPER) << 32) | ((mask & LOWER) >> 32)


def _category_mask(pred: object) -> int:
    m = 0
    for c in range(256):
        if pred(unicodedata.category(chr(c))):  # type: ignore[operator]
            m |= 1 << c
    return m


_CATEGORIES = (
    "C Cc Cf Cn Co Cs L Ll Lm Lo Lt Lu M Mc Me Mn N Nd Nl No P Pc Pd Pe Pf Pi Po Ps S Sc Sk Sm So Z Zl Zp Zs"
).split()
# Unicode 11 script names PCRE2 10.32 knows; only Latin and Common have code points below 256.
_SCRIPTS = frozenset(
    (
        "Adlam Ahom Anatolian_Hieroglyphs Arabic Armenian Avestan Balinese Bamum Bassa_Vah Batak "
        "Bengali Bhaiksuki Bopomofo Brahmi Braille Buginese Buhid Canadian_Aboriginal Carian "
        "Caucasian_Albanian Chakma Cham Cherokee Common Coptic Cuneiform Cypriot Cyrillic Deseret "
        "Devanagari Dogra Duployan Egyptian_Hieroglyphs Elbasan Ethiopic Georgian Glagolitic Gothic "
        "Grantha Greek Gujarati Gunjala_Gondi Gurmukhi Han Hangul Hanifi_Rohingya Hanunoo Hatran "
        "Hebrew Hiragana Imperial_Aramaic Inherited Inscriptional_Pahlavi Inscriptional_Parthian "
        "Javanese Kaithi Kannada Katakana Kayah_Li Kharoshthi Khmer Khojki Khudawadi Lao Latin "
        "Lepcha Limbu Linear_A Linear_B Lisu Lycian Lydian Mahajani Makasar Malayalam Mandaic "
        "Manichaean Marchen Masaram_Gondi Medefaidrin Meetei_Mayek Mende_Kikakui Meroitic_Cursive "
        "Meroitic_Hieroglyphs Miao Modi Mongolian Mro Multani Myanmar Nabataean New_Tai_Lue Newa Nko "
        "Nushu Ogham Ol_Chiki Old_Hungarian Old_Italic Old_North_Arabian Old_Permic Old_Persian "
        "Old_Sogdian Old_South_Arabian Old_Turkic Oriya Osage Osmanya Pahawh_Hmong Palmyrene "
        "Pau_Cin_Hau Phags_Pa Phoenician Psalter_Pahlavi Rejang Runic Samaritan Saurashtra Sharada "
        "Shavian Siddham SignWriting Sinhala Sogdian Sora_Sompeng Soyombo Sundanese Syloti_Nagri "
        "Syriac Tagalog Tagbanwa Tai_Le Tai_Tham Tai_Viet Takri Tamil Tangut Telugu Thaana Thai "
        "Tibetan Tifinagh Tirhuta Ugaritic Vai Warang_Citi Yi Zanabazar_Square"
    ).split()
)
_PROPS: dict[bytes, int] = {}


def _property(name: bytes) -> int:
    """The Latin-1 code points with Unicode property ``name`` (``\\p{name}``)."""
    if not _PROPS:
        for cat in _CATEGORIES:
            if len(cat) == 1:
                _PROPS[cat.encode()] = _category_mask(lambda c, cat=cat: c[0] == cat)
            else:
                _PROPS[cat.encode()] = _category_mask(lambda c, cat=cat: c == cat)
        _PROPS[b"Any"] = ALL
        _PROPS[b"L&"] = _PROPS[b"Lu"] | _PROPS[b"Ll"] | _PROPS[b"Lt"]
        letters = _PROPS[b"L"]
        numbers = _PROPS[b"N"]
        _PROPS[b"Xan"] = letters | numbers
        _PROPS[b"Xwd"] = letters | numbers | (1 << 0x5F)
        _PROPS[b"Xsp"] = _PROPS[b"Z"] | _chars(b"\t\n\x0b\x0c\r")
        _PROPS[b"Xps"] = _PROPS[b"Xsp"]
        _PROPS[b"Xuc"] = _chars(b"$@`") | _bits((0xA0, 0xFF))
        latin = letters & ~_chars(b"\xb5")  # MICRO SIGN is Common
        _PROPS[b"Latin"] = latin
        _PROPS[b"Common"] = ALL & ~latin
        for s in _SCRIPTS:
            _PROPS.setdefault(s.encode(), 0)
    m = _PROPS.get(name)
    if m is None:
        raise PatternError("unknown property name")
    return m


# --- the tree ---------------------------------------------------------------------------------


class Lit:
    """One byte; ``fold``: match either ASCII case."""

    __slots__ = ("byte", "fold")

    def __init__(self, byte: int, fold: bool) -> None:
        self.byte = byte
        self.fold = fold


class Cls:
    """A set of bytes (a 256-bit mask)."""

    __slots__ = ("mask",)

    def __init__(self, mask: int) -> None:
        self.mask = mask


class Seq:
    __slots__ = ("items",)

    def __init__(self, items: list[Node]) -> None:
        self.items = items


class Alt:
    __slots__ = ("branches",)

    def __init__(self, branches: list[Node]) -> None:
        self.branches = branches


class Group:
    """``kind``: cap, non, atomic, la, nla, lb, nlb (look-ahead/behind, negated)."""

    __slots__ = ("body", "kind", "num")

    def __init__(self, kind: str, body: Node, num: int = 0) -> None:
        self.kind = kind
        self.body = body
        self.num = num


class Rep:
    """``body{lo,hi}`` (``hi`` None: unbounded); ``mode``: g(reedy), l(azy), p(ossessive)."""

    __slots__ = ("body", "hi", "lo", "mode")

    def __init__(self, body: Node, lo: int, hi: int | None, mode: str) -> None:
        self.body = body
        self.lo = lo
        self.hi = hi
        self.mode = mode


class Anchor:
    """Zero-width tests: A (start of subject), mbol, eol, meol, Z, z, b, B, keep."""

    __slots__ = ("kind",)

    def __init__(self, kind: str) -> None:
        self.kind = kind


class Backref:
    """``\\n``; ``forward``: the group is not closed where the reference stands."""

    __slots__ = ("fold", "forward", "num")

    def __init__(self, num: int, fold: bool, forward: bool = False) -> None:
        self.num = num
        self.fold = fold
        self.forward = forward


class Cond:
    """``(?(cond)yes|no)``; ``cond`` is a group number, an assertion Group, or "false"."""

    __slots__ = ("cond", "no", "yes")

    def __init__(self, cond: int | Group | str, yes: Node, no: Node) -> None:
        self.cond = cond
        self.yes = yes
        self.no = no


class Call:
    """A subroutine call or recursion: ``(?R)`` (group 0), ``(?n)``, ``(?&name)``, ``\\g<n>``."""

    __slots__ = ("num",)

    def __init__(self, num: int) -> None:
        self.num = num


Node = Lit | Cls | Seq | Alt | Group | Rep | Anchor | Backref | Cond | Call

EMPTY = Seq([])


# --- the parser -----------------------------------------------------------------------------------

_MAX_NEST = 250  # PCRE2's default parenthesis nesting limit
_MAX_REPEAT = 65535
_NAME = re.compile(rb"[A-Za-z_][A-Za-z0-9_]*")
_DIGITS = re.compile(rb"[0-9]+")
_XSPACE = frozenset(b" \t\n\x0b\x0c\r")
_LETTER_ESCAPES_OK = frozenset(b"abcdefghknoprstvwxzABCDEGHKNPQRSVWXZ")
_START_OPTIONS = re.compile(
    rb"\(\*(UTF|UTF8|UCP|CR|LF|CRLF|ANYCRLF|ANY|NUL|BSR_ANYCRLF|BSR_UNICODE|NOTEMPTY|NOTEMPTY_ATSTART"
    rb"|NO_AUTO_POSSESS|NO_DOTSTAR_ANCHOR|NO_JIT|NO_START_OPT|NEVER_BACKSLASH_C"
    rb"|LIMIT_MATCH=[0-9]+|LIMIT_HEAP=[0-9]+|LIMIT_DEPTH=[0-9]+|LIMIT_RECURSION=[0-9]+)\)"
)


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


class _Parser:
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

    # -- entry

    def parse(self) -> Node:
        while True:
            m = _START_OPTIONS.match(self.p, self.i)
            if m is None:
                break
            opt = m.group(1)
            if opt in (b"UTF", b"UTF8", b"UCP", b"CR", b"CRLF", b"ANYCRLF", b"ANY", b"NUL"):
                raise Unsupported(f"(*{opt.decode()})")
            if opt in (b"NOTEMPTY", b"NOTEMPTY_ATSTART"):
                raise Unsupported(f"(*{opt.decode()})")
            if opt == b"BSR_ANYCRLF":
                self.bsr_anycrlf = True
            elif opt == b"BSR_UNICODE":
                self.bsr_anycrlf = False
            self.i = m.end()
        node = self.parse_alt()
        if self.i < len(self.p):
            raise self.error("unmatched closing parenthesis")
        for r in self.refs:
            if r > self.groups or r <= 0:
                raise PatternError("reference to non-existent subpattern")
        for name in self.name_refs:
            if name not in self.names:
                raise PatternError("reference to non-existent subpattern")
        for cnode, name in self.late_conds:
            cnode.cond = self.names[name]
        for rnode, name in self.late_refs:
            rnode.num = self.names[name]
        for call, name in self.late_calls:
            call.num = self.names[name]
        try:
            return _resolve_forward(node, ())
        except _NeedsBacktracker:
            self.re_ok = False
            return node

    # -- alternatives and sequences

    def parse_alt(self) -> Node:
        branches = [self.parse_seq()]
        while self.peek() == 0x7C:  # '|'
            self.i += 1
            branches.append(self.parse_seq())
        return branches[0] if len(branches) == 1 else Alt(branches)

    def parse_seq(self) -> Node:
        items: list[Node] = []
        while True:
            self.skip_x()
            c = self.peek()
            if c < 0 or c == 0x7C or c == 0x29:
                break
            atoms, repeatable = self.parse_atom()
            self.skip_x()
            q = self.parse_quantifier()
            if q is not None:
                if not atoms:
                    if repeatable and items:
                        atoms = [items.pop()]
                    else:
                        raise self.error("quantifier does not follow a repeatable item")
                last = atoms[-1]
                if repeatable is False or not _repeatable(last):
                    raise self.error("quantifier does not follow a repeatable item")
                lo, hi, mode = q
                if isinstance(last, Group) and last.kind in ("la", "nla", "lb", "nlb"):
                    # PCRE2 repeats an assertion at most once.
                    lo = min(lo, 1)
                    hi = 1 if hi is None else min(hi, 1)
                atoms[-1] = Rep(last, lo, hi, mode)
                self.skip_x()
                if self.parse_quantifier(check_only=True):
                    raise self.error("quantifier does not follow a repeatable item")
            items.extend(atoms)
        return items[0] if len(items) == 1 else Seq(items)

    def parse_quantifier(self, check_only: bool = False) -> tuple[int, int | None, str] | None:
        c = self.peek()
        start = self.i
        if c == 0x2A:  # *
            lo, hi = 0, None
            self.i += 1
        elif c == 0x2B:  # +
            lo, hi = 1, None
            self.i += 1
        elif c == 0x3F:  # ?
            lo, hi = 0, 1
            self.i += 1
        elif c == 0x7B:  # {
            r = self.read_braces()
            if r is None:
                return None
            lo, hi = r
        else:
            return None
        if check_only:
            self.i = start
            return (lo, hi, "g")
        mode = "g"
        self.skip_x()
        c = self.peek()
        if c == 0x3F:
            mode = "l"
            self.i += 1
        elif c == 0x2B:
            mode = "p"
            self.i += 1
        if self.f.ungreedy and mode != "p":
            mode = "g" if mode == "l" else "l"
        return lo, hi, mode

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

    # -- atoms

    def lit(self, c: int) -> Node:
        return Lit(c, self.f.i and (0x41 <= c <= 0x5A or 0x61 <= c <= 0x7A))

    def parse_atom(self) -> tuple[list[Node], bool | None]:
        """The atoms at the cursor and whether a following quantifier may apply: True/False,
        or None for "nothing here" (a comment, ``\\E``: a quantifier then applies to the item
        before)."""
        p = self.p
        c = p[self.i]
        if c == 0x28:  # (
            return self.parse_group()
        if c == 0x5B:  # [
            if p.startswith(b"[[:<:]]", self.i) or p.startswith(b"[[:>:]]", self.i):
                # PCRE2's old-style word boundaries: \b(?=\w) and \b(?<=\w)
                kind = "la" if p[self.i + 3] == 0x3C else "lb"
                self.i += 7
                return [Anchor("b"), Group(kind, Cls(WORD))], True
            if self.peek(1) in (0x3A, 0x2E, 0x3D) and _posix_end(p, self.i + 1) >= 0:
                raise self.error("POSIX named classes are supported only within a class")
            self.i += 1
            return [Cls(self.parse_class())], True
        if c == 0x2E:  # .
            self.i += 1
            return [Cls(ALL if self.f.s else ALL & ~NEWLINE)], True
        if c == 0x5E:  # ^
            self.i += 1
            return [Anchor("mbol" if self.f.m else "A")], False
        if c == 0x24:  # $
            self.i += 1
            return [Anchor("meol" if self.f.m else "eol")], False
        if c == 0x5C:  # backslash
            return self.parse_escape_atom()
        if c in (0x2A, 0x2B, 0x3F):
            raise self.error("quantifier does not follow a repeatable item")
        if c == 0x7B and self.read_braces() is not None:
            raise self.error("quantifier does not follow a repeatable item")
        self.i += 1
        return [self.lit(c)], True

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

    # -- groups

    def parse_group(self) -> tuple[list[Node], bool | None]:
        p = self.p
        start = self.i
        self.i += 1
        if self.peek() == 0x2A:  # (*VERB)
            m = re.compile(rb"\(\*([A-Z_]*)(?::[^)]*)?\)").match(p, start)
            if m is None:
                raise self.error("(*VERB) not recognized or malformed")
            verb = m.group(1)
            self.i = m.end()
            if verb in (b"FAIL", b"F") and b":" not in m.group():
                return [Group("non", Cls(0))], False
            if verb in (b"ACCEPT", b"COMMIT", b"PRUNE", b"SKIP", b"THEN", b"MARK", b""):
                raise Unsupported("backtracking control verb")
            raise self.error("(*VERB) not recognized or malformed")
        if self.peek() != 0x3F:  # plain (
            if self.f.n:
                return [self.group_body("non")], True
            return [self.capture(None)], True
        self.i += 1
        c = self.peek()
        if c == 0x23:  # (?# comment )
            j = p.find(b")", self.i)
            if j < 0:
                raise self.error("missing ) at end of (?# comment")
            self.i = j + 1
            return [], None
        if c == 0x3A:
            self.i += 1
            return [self.group_body("non")], True
        if c == 0x3E:
            self.i += 1
            return [self.group_body("atomic")], True
        if c == 0x7C:  # (?| branch reset: each alternative numbers its groups from the same start
            self.i += 1
            return [self.branch_reset()], True
        if c == 0x3D:
            self.i += 1
            return [self.group_body("la")], True
        if c == 0x21:
            self.i += 1
            return [self.group_body("nla")], True
        if c == 0x3C and self.peek(1) in (0x3D, 0x21):
            kind = "lb" if self.peek(1) == 0x3D else "nlb"
            self.i += 2
            g = self.group_body(kind)
            _check_lookbehind(g.body, self)
            return [g], True
        if c == 0x3C or c == 0x27 or (c == 0x50 and self.peek(1) == 0x3C):
            if c == 0x50:
                self.i += 1
            close = 0x3E if self.p[self.i] == 0x3C else 0x27
            self.i += 1
            m = _NAME.match(p, self.i)
            if m is None or self.peek(m.end() - self.i) != close:
                raise self.error("syntax error in subpattern name (missing terminator?)")
            name = m.group()
            if len(name) > 32:
                raise self.error("subpattern name is too long (maximum 32 code units)")
            self.i = m.end() + 1
            if name in self.names and self.names[name] != self.groups + 1:
                raise Unsupported("duplicate group names")
            return [self.capture(name)], True
        if c == 0x50 and self.peek(1) == 0x3D:  # (?P=name)
            self.i += 2
            return [self.named_ref(0x29)], True
        if c == 0x50 and self.peek(1) == 0x3E:  # (?P>name)
            m = _NAME.match(p, self.i + 2)
            if m is None or self.peek(m.end() - self.i) != 0x29:
                raise self.error("syntax error in subpattern name (missing terminator?)")
            self.i = m.end() + 1
            return [self.call(m.group())], True
        if (
            c == 0x26
            or c == 0x52
            or (0x30 <= c <= 0x39)
            or (c in (0x2B, 0x2D) and 0x30 <= self.peek(1) <= 0x39)
        ):
            if c == 0x52 and self.peek(1) != 0x29:
                raise self.error("(?R (recursive pattern call) must be followed by )")
            m = re.compile(rb"(R|[+-]?[0-9]+|&[A-Za-z_][A-Za-z0-9_]*)\)").match(p, self.i)
            if m is None:
                raise self.error("malformed number or name after (?(")
            self.i = m.end()
            text = m.group(1)
            return [self.call(text[1:] if text.startswith(b"&") else text)], True
        if c == 0x28:  # conditional group
            return [self.parse_conditional()], True
        if c == 0x43:  # (?C callout): a no-op without a callout function
            m = re.compile(
                rb"C(?:[0-9]*|\"(?:[^\"]|\"\")*\"|'(?:[^']|'')*'|`(?:[^`]|``)*`"
                rb"|\^(?:[^^]|\^\^)*\^|%(?:[^%]|%%)*%|#(?:[^#]|##)*#|\$(?:[^$]|\$\$)*\$"
                rb"|\{(?:[^}]|\}\})*\})\)"
            ).match(p, self.i)
            if m is None:
                raise self.error("malformed callout")
            self.i = m.end()
            return [], None
        # Option settings: (?imnsxJU-imnsxJU) or (?^...), alone or as (?opts:...)
        m = re.compile(rb"(\^)?([imnsxJU]*)(?:-([imnsxJU]*))?([:)])").match(p, self.i)
        if m is None:
            raise self.error("unrecognized character after (? or (?-")
        if m.group(1) and m.group(3) is not None:
            raise self.error("invalid hyphen in option setting")
        self.i = m.end()
        newf = self.f.copy()
        if m.group(1):
            newf.i = newf.m = newf.n = newf.s = newf.x = newf.xx = False
        self.apply_options(newf, m.group(2), True)
        if m.group(3):
            self.apply_options(newf, m.group(3), False)
        if m.group(4) == b")":
            self.f = newf
            return [], False
        saved = self.f
        self.f = newf
        try:
            return [self.group_body("non", restore=saved)], True
        finally:
            self.f = saved

    def branch_reset(self) -> Node:
        self.nest += 1
        if self.nest > _MAX_NEST:
            raise self.error("parentheses are too deeply nested")
        saved = self.f.copy()
        start = self.groups
        most = start
        branches = []
        while True:
            self.groups = start
            branches.append(self.parse_seq())
            most = max(most, self.groups)
            if self.peek() != 0x7C:
                break
            self.i += 1
        if self.peek() != 0x29:
            raise self.error("missing closing parenthesis")
        self.i += 1
        self.nest -= 1
        self.f = saved
        if most != start and len(branches) > 1:
            self.re_ok = False  # the same group numbers twice
        self.groups = most
        return Group("non", branches[0] if len(branches) == 1 else Alt(branches))

    def apply_options(self, f: _Flags, letters: bytes, on: bool) -> None:
        i = 0
        while i < len(letters):
            ch = letters[i : i + 1]
            if ch == b"x":
                if letters[i + 1 : i + 2] == b"x":
                    f.xx = on
                    i += 1
                f.x = on
                if not on:
                    f.xx = False
            elif ch == b"i":
                f.i = on
            elif ch == b"m":
                f.m = on
            elif ch == b"s":
                f.s = on
            elif ch == b"n":
                f.n = on
            elif ch == b"U":
                f.ungreedy = on
            i += 1

    def capture(self, name: bytes | None) -> Group:
        self.groups += 1
        num = self.groups
        if name is not None:
            self.names[name] = num
        g = self.group_body("cap", num=num)
        self.closed.add(num)
        self.group_nodes.setdefault(num, g)
        return g

    def group_body(self, kind: str, num: int = 0, restore: _Flags | None = None) -> Group:
        self.nest += 1
        if self.nest > _MAX_NEST:
            raise self.error("parentheses are too deeply nested")
        saved = self.f.copy() if restore is None else restore
        look = kind in ("la", "nla", "lb", "nlb")
        if look:
            self.in_lookaround += 1
        body = self.parse_alt()
        if look:
            self.in_lookaround -= 1
        if self.peek() != 0x29:
            raise self.error("missing closing parenthesis")
        self.i += 1
        self.nest -= 1
        self.f = saved
        return Group(kind, body, num)

    def parse_conditional(self) -> Node:
        p = self.p
        self.i += 1  # at the char after "(?("
        cond: int | Group | str
        late_name: bytes | None = None
        c = self.peek()
        if (c == 0x3F and self.peek(1) in (0x3D, 0x21)) or (
            c == 0x3F and self.peek(1) == 0x3C and self.peek(2) in (0x3D, 0x21)
        ):
            self.i += 1
            if self.peek() == 0x3C:
                kind = "lb" if self.peek(1) == 0x3D else "nlb"
                self.i += 2
            else:
                kind = "la" if self.peek() == 0x3D else "nla"
                self.i += 1
            g = self.group_body(kind)
            if kind in ("lb", "nlb"):
                _check_lookbehind(g.body, self)
            cond = g
        else:
            m = re.compile(
                rb"([+-]?[0-9]+|<([A-Za-z_][A-Za-z0-9_]*)>|'([A-Za-z_][A-Za-z0-9_]*)'"
                rb"|R&[A-Za-z_][A-Za-z0-9_]*|R[0-9]*|DEFINE|[A-Za-z_][A-Za-z0-9_]*)\)"
            ).match(p, self.i)
            if m is None:
                raise self.error("malformed number or name after (?(")
            self.i = m.end()
            text = m.group(1)
            if text == b"DEFINE":
                cond = "define"
            elif text.startswith(b"R") and (text == b"R" or text[1:].isdigit() or text.startswith(b"R&")):
                if text[1:].isdigit():
                    self.refs.append(int(text[1:]))
                elif text.startswith(b"R&"):
                    self.name_refs.append(text[2:])
                cond = "false"  # no recursion is ever in progress
            elif re.fullmatch(rb"[+-]?[0-9]+", text):
                n = int(text)
                if text.startswith(b"-"):
                    n = self.groups + 1 + n
                elif text.startswith(b"+"):
                    n = self.groups + n
                if n <= 0:
                    raise self.error("reference to non-existent subpattern")
                self.refs.append(n)
                cond = n
            else:
                name = m.group(2) or m.group(3) or text
                num = self.names.get(name)
                if num is None:
                    self.name_refs.append(name)
                    late_name = name
                    num = 0
                cond = num
        self.nest += 1
        if self.nest > _MAX_NEST:
            raise self.error("parentheses are too deeply nested")
        saved = self.f.copy()
        body = self.parse_alt()
        self.f = saved
        if self.peek() != 0x29:
            raise self.error("missing closing parenthesis")
        self.i += 1
        self.nest -= 1
        branches = body.branches if isinstance(body, Alt) else [body]
        if len(branches) > 2:
            raise self.error("conditional subpattern contains more than two branches")
        if cond == "define":
            if len(branches) > 1:
                raise self.error("DEFINE subpattern contains more than one branch")
            return Cond("define", body, EMPTY)
        yes = branches[0]
        no = branches[1] if len(branches) > 1 else EMPTY
        node = Cond(cond, yes, no)
        if late_name is not None:
            self.late_conds.append((node, late_name))
        return node


def _resolve_forward(node: Node, reps: tuple[Node, ...]) -> Node:
    """A reference to a group that is not closed yet can only match when a repetition around both
    has set the group in an earlier iteration; otherwise it always fails (PCRE2), which is
    written as an empty class.  Inside such a repetition Python's ``re`` cannot express it."""
    if isinstance(node, Backref):
        if node.forward:
            if any(_defines(r, node.num) for r in reps):
                raise _NeedsBacktracker()
            return Cls(0)
        return node
    if isinstance(node, Seq):
        node.items = [_resolve_forward(x, reps) for x in node.items]
    elif isinstance(node, Alt):
        node.branches = [_resolve_forward(x, reps) for x in node.branches]
    elif isinstance(node, Group):
        node.body = _resolve_forward(node.body, reps)
    elif isinstance(node, Rep):
        inner = (*reps, node.body) if node.hi is None or node.hi > 1 else reps
        node.body = _resolve_forward(node.body, inner)
    elif isinstance(node, Cond):
        if isinstance(node.cond, Group):
            node.cond.body = _resolve_forward(node.cond.body, reps)
        node.yes = _resolve_forward(node.yes, reps)
        node.no = _resolve_forward(node.no, reps)
    return node


def _defines(node: Node, num: int) -> bool:
    """Whether capture group ``num`` is inside ``node``."""
    if isinstance(node, Group):
        return (node.num == num and node.kind == "cap") or _defines(node.body, num)
    if isinstance(node, Seq):
        return any(_defines(x, num) for x in node.items)
    if isinstance(node, Alt):
        return any(_defines(x, num) for x in node.branches)
    if isinstance(node, Rep):
        return _defines(node.body, num)
    if isinstance(node, Cond):
        return (
            (isinstance(node.cond, Group) and _defines(node.cond, num))
            or _defines(node.yes, num)
            or _defines(node.no, num)
        )
    return False


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


def _repeatable(node: Node) -> bool:
    return not isinstance(node, Anchor)


def _width(node: Node) -> int | None:
    """The fixed length of ``node``, or None when it can vary (PCRE2's look-behind rule: nested
    alternatives must all have the same length)."""
    if isinstance(node, (Lit, Cls)):
        return 1
    if isinstance(node, Anchor):
        return 0
    if isinstance(node, Seq):
        total = 0
        for it in node.items:
            w = _width(it)
            if w is None:
                return None
            total += w
        return total
    if isinstance(node, Alt):
        widths = {_width(b) for b in node.branches}
        if len(widths) != 1:
            return None
        return widths.pop()
    if isinstance(node, Group):
        if node.kind in ("la", "nla", "lb", "nlb"):
            return 0
        return _width(node.body)
    if isinstance(node, Rep):
        if isinstance(node.body, Group) and node.body.kind in ("la", "nla"):
            return 0
        if node.hi != node.lo or (isinstance(node.body, Group) and node.body.kind in ("lb", "nlb")):
            return None
        w = _width(node.body)
        return None if w is None else w * node.lo
    if isinstance(node, Cond):
        if node.cond == "false":
            return _width(node.no)
        wy, wn = _width(node.yes), _width(node.no)
        return wy if wy == wn else None
    return None  # back references


def _check_lookbehind(body: Node, parser: _Parser) -> None:
    branches = body.branches if isinstance(body, Alt) else [body]
    for b in branches:
        if _contains_backref(b):
            raise Unsupported("back reference in a look-behind")
        if _width(b) is None:
            raise parser.error("lookbehind assertion is not fixed length")


def _contains_backref(node: Node) -> bool:
    if isinstance(node, Backref):
        return True
    if isinstance(node, Seq):
        return any(_contains_backref(x) for x in node.items)
    if isinstance(node, Alt):
        return any(_contains_backref(x) for x in node.branches)
    if isinstance(node, (Group, Rep)):
        return _contains_backref(node.body)
    if isinstance(node, Cond):
        return _contains_backref(node.yes) or _contains_backref(node.no)
    return False


# --- writing the tree as a Python ``re`` pattern ------------------------------------------------

_SAFE = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_")


def _esc(b: int) -> bytes:
    return bytes((b,)) if b in _SAFE else b"\\x%02x" % b


def _ranges(mask: int) -> list[tuple[int, int]]:
    out = []
    c = 0
    while c < 256:
        if mask >> c & 1:
            start = c
            while c < 256 and mask >> c & 1:
                c += 1
            out.append((start, c - 1))
        else:
            c += 1
    return out


def _emit_set(mask: int) -> bytes:
    if mask == 0:
        return b"(?!)"
    if mask & (mask - 1) == 0:
        return _esc(mask.bit_length() - 1)
    pos = _ranges(mask)
    neg = _ranges(ALL & ~mask)
    body, prefix = (pos, b"[") if len(pos) <= len(neg) or not neg else (neg, b"[^")
    parts = [prefix]
    for lo, hi in body:
        if lo == hi:
            parts.append(b"\\x%02x" % lo)
        else:
            parts.append(b"\\x%02x-\\x%02x" % (lo, hi))
    parts.append(b"]")
    return b"".join(parts)


_ANCHORS = {
    "A": b"\\A",
    "mbol": b"(?:\\A|(?<=\\n)(?!\\Z))",
    "eol": b"(?=\\n?\\Z)",
    "meol": b"(?=\\n|\\Z)",
    "Z": b"(?=\\n?\\Z)",
    "z": b"\\Z",
    "b": b"\\b",
    "B": b"(?:(?<=\\w)(?=\\w)|(?<!\\w)(?!\\w))",
}


class _Emitter:
    def __init__(self, possessive: bool, index: dict[int, int]) -> None:
        # possessive: the "fast positive" variant (greedy repeats made possessive outside negative
        # assertions); a match of that variant implies a match of the pattern.
        self.possessive = possessive
        # PCRE2 group number -> Python group number (the \\K markers are groups too).
        self.index = index

    def emit(self, node: Node, nocap: bool = False, neg: bool = False) -> bytes:
        if isinstance(node, Lit):
            c = node.byte
            if node.fold:
                return b"[" + _esc(c & ~0x20) + _esc(c | 0x20) + b"]"
            return _esc(c)
        if isinstance(node, Cls):
            return _emit_set(node.mask)
        if isinstance(node, Seq):
            return b"".join(self.emit_item(x, nocap, neg) for x in node.items)
        if isinstance(node, Alt):
            return b"|".join(self.emit(b, nocap, neg) for b in node.branches)
        if isinstance(node, Group):
            return self.emit_group(node, nocap, neg)
        if isinstance(node, Rep):
            if isinstance(node.body, Group) and node.body.kind in ("la", "nla", "lb", "nlb"):
                # A repeated assertion: at most once, and zero-width either way.
                a = self.emit(node.body, nocap, neg)
                if node.lo >= 1:
                    return a
                return b"(?:|" + a + b")" if node.mode == "l" else b"(?:" + a + b"|)"
            body = self.emit_atom(node.body, nocap, neg)
            lo, hi = node.lo, node.hi
            if (lo, hi) == (0, None):
                q = b"*"
            elif (lo, hi) == (1, None):
                q = b"+"
            elif (lo, hi) == (0, 1):
                q = b"?"
            elif hi is None:
                q = b"{%d,}" % lo
            elif lo == hi:
                q = b"{%d}" % lo
            else:
                q = b"{%d,%d}" % (lo, hi)
            mode = node.mode
            if self.possessive and mode == "g" and not neg:
                mode = "p"
            return body + q + {"g": b"", "l": b"?", "p": b"+"}[mode]
        if isinstance(node, Anchor):
            if node.kind.startswith("keep"):
                return b"(?P<K%s>)" % node.kind[4:].encode()
            return _ANCHORS[node.kind]
        if isinstance(node, Backref):
            ref = b"(?P=g%d)" % node.num
            return b"(?i:" + ref + b")" if node.fold else ref
        if isinstance(node, Cond):
            return self.emit_cond(node, nocap, neg)
        raise AssertionError(node)  # pragma: no cover

    def emit_item(self, node: Node, nocap: bool, neg: bool) -> bytes:
        if isinstance(node, Alt):
            return b"(?:" + self.emit(node, nocap, neg) + b")"
        return self.emit(node, nocap, neg)

    def emit_atom(self, node: Node, nocap: bool, neg: bool) -> bytes:
        if isinstance(node, (Lit, Cls, Group, Backref)):
            out = self.emit(node, nocap, neg)
            if isinstance(node, Cls) and out == b"(?!)":
                return out
            return out
        return b"(?:" + self.emit(node, nocap, neg) + b")"

    def emit_group(self, g: Group, nocap: bool, neg: bool) -> bytes:
        kind = g.kind
        if kind in ("lb", "nlb"):
            branches = g.body.branches if isinstance(g.body, Alt) else [g.body]
            inner_neg = neg or kind == "nlb"
            parts = [self.emit(b, nocap, inner_neg) for b in branches]
            if kind == "lb":
                if len(parts) == 1:
                    return b"(?<=" + parts[0] + b")"
                return b"(?:" + b"|".join(b"(?<=" + x + b")" for x in parts) + b")"
            return b"".join(b"(?<!" + x + b")" for x in parts)
        inner = self.emit(g.body, nocap, neg or kind == "nla")
        if kind == "cap":
            if nocap:
                return b"(?:" + inner + b")"
            return b"(?P<g%d>" % g.num + inner + b")"
        prefix = {"non": b"(?:", "atomic": b"(?>", "la": b"(?=", "nla": b"(?!"}[kind]
        return prefix + inner + b")"

    def emit_cond(self, c: Cond, nocap: bool, neg: bool) -> bytes:
        yes = self.emit(c.yes, nocap, neg)
        no = self.emit(c.no, nocap, neg)
        cond = c.cond
        if cond == "false":
            return b"(?:" + no + b")"
        if cond == "define":
            return b"(?:(?!)" + yes + b")?"
        if isinstance(cond, int):
            return b"(?(%d)" % self.index[cond] + yes + b"|" + no + b")"
        assert isinstance(cond, Group)
        # (?(?=A)Y|N) is (?:(?=A)Y|(?!A)N); the second copy of A captures nothing.
        positive = cond.kind in ("la", "lb")
        first = self.emit_group(cond, nocap, neg)
        flipped = Group({"la": "nla", "nla": "la", "lb": "nlb", "nlb": "lb"}[cond.kind], cond.body)
        second = self.emit_group(flipped, True, neg or positive)
        return b"(?:" + first + yes + b"|" + second + no + b")"


# --- analysis: what every match needs, and how badly backtracking can grow -----------------------


def first(node: Node) -> tuple[int, bool]:
    """The bytes a match of ``node`` can start with, and whether it can match empty."""
    if isinstance(node, Lit):
        m = 1 << node.byte
        return (fold(m) if node.fold else m), False
    if isinstance(node, Cls):
        return node.mask, False
    if isinstance(node, Seq):
        mask = 0
        for it in node.items:
            m, nullable = first(it)
            mask |= m
            if not nullable:
                return mask, False
        return mask, True
    if isinstance(node, Alt):
        mask = 0
        nullable = False
        for b in node.branches:
            m, n = first(b)
            mask |= m
            nullable = nullable or n
        return mask, nullable
    if isinstance(node, Group):
        if node.kind in ("la", "nla", "lb", "nlb"):
            return 0, True
        return first(node.body)
    if isinstance(node, Rep):
        m, n = first(node.body)
        return m, n or node.lo == 0
    if isinstance(node, Anchor):
        return 0, True
    if isinstance(node, (Backref, Call)):
        return ALL, True
    if node.cond == "define":
        return 0, True
    if node.cond == "false":
        return first(node.no)
    my, ny = first(node.yes)
    mn, nn = first(node.no)
    return my | mn, ny or nn


def min_length(node: Node) -> int:
    """The length of the shortest subject part ``node`` can match."""
    if isinstance(node, (Lit, Cls)):
        return 1
    if isinstance(node, Seq):
        return sum(min_length(x) for x in node.items)
    if isinstance(node, Alt):
        return min(min_length(b) for b in node.branches)
    if isinstance(node, Group):
        return 0 if node.kind in ("la", "nla", "lb", "nlb") else min_length(node.body)
    if isinstance(node, Rep):
        return node.lo * min_length(node.body)
    if isinstance(node, Cond):
        if node.cond == "define":
            return 0
        if node.cond == "false":
            return min_length(node.no)
        return min(min_length(node.yes), min_length(node.no))
    return 0


def required(node: Node) -> list[int]:
    """Byte sets every match must contain a byte of (one per required literal position)."""
    if isinstance(node, Lit):
        m = 1 << node.byte
        return [fold(m) if node.fold else m]
    if isinstance(node, Cls):
        return [node.mask] if bin(node.mask).count("1") <= 4 else []
    if isinstance(node, Seq):
        out: list[int] = []
        for it in node.items:
            out.extend(required(it))
        return out
    if isinstance(node, Group):
        return [] if node.kind in ("la", "nla", "lb", "nlb") else required(node.body)
    if isinstance(node, Rep):
        return required(node.body) if node.lo >= 1 else []
    return []


_BOUNDED = 32  # a repeat with at most this many iterations counts as bounded


def _simple(node: Node) -> bool:
    """One byte wide and without choices: the body of a repeat that cannot blow up by itself."""
    if isinstance(node, (Lit, Cls)):
        return True
    if isinstance(node, Group) and node.kind in ("cap", "non"):
        return _simple(node.body)
    return False


def _ffirst(node: Node) -> tuple[int, bool]:
    """Like :func:`first`, for follow sets: (bytes a match can start with, can it be empty and
    let the following bytes through).  Zero-width tests that look at the subject are opaque
    (every byte); ``$``/``\\Z`` leave only a newline (or the end), ``\\z`` only the end."""
    if isinstance(node, Anchor):
        if node.kind in ("eol", "meol", "Z"):
            return NEWLINE, False
        if node.kind == "z":
            return 0, False
        return ALL, False
    if isinstance(node, Backref):
        return ALL, False
    if isinstance(node, Group):
        if node.kind in ("la", "nla", "lb", "nlb"):
            return ALL, False
        return _ffirst(node.body)
    if isinstance(node, Seq):
        mask = 0
        for it in node.items:
            m, nullable = _ffirst(it)
            mask |= m
            if not nullable:
                return mask, False
        return mask, True
    if isinstance(node, Alt):
        mask = 0
        nullable = False
        for b in node.branches:
            m, n = _ffirst(b)
            mask |= m
            nullable = nullable or n
        return mask, nullable
    if isinstance(node, Rep):
        m, n = _ffirst(node.body)
        return m, n or node.lo == 0
    if isinstance(node, Cond):
        if node.cond == "define":
            return 0, True
        mn, nn = _ffirst(node.no)
        if node.cond == "false":
            return mn, nn
        ny = _ffirst(node.yes)[1]
        return ALL, ny or nn  # the condition itself is opaque
    return first(node)


def possessify(node: Node, follow: int) -> None:
    """PCRE2's auto-possessification: a repeat of one byte class followed only by bytes outside
    the class cannot usefully give anything back, so it is made possessive (same matches, no
    backtracking).  ``follow``: the bytes that may come next (0 at the end of the pattern or of
    an assertion or atomic group, where any match of the repeat is final)."""
    if isinstance(node, Seq):
        f = follow
        for it in reversed(node.items):
            possessify(it, f)
            m, nullable = _ffirst(it)
            f = m | (f if nullable else 0)
    elif isinstance(node, Alt):
        for b in node.branches:
            possessify(b, follow)
    elif isinstance(node, Group):
        possessify(node.body, follow if node.kind in ("cap", "non") else 0)
    elif isinstance(node, Rep):
        body_first, _ = _ffirst(node.body)
        possessify(node.body, body_first | follow)
        if node.mode == "g" and _simple(node.body) and not body_first & follow:
            node.mode = "p"
    elif isinstance(node, Cond):
        if isinstance(node.cond, Group):
            possessify(node.cond.body, 0)
        possessify(node.yes, follow)
        possessify(node.no, follow)


def _risk(node: Node, follow: int, fast: bool = False) -> tuple[int, bool, bool]:
    """(polynomial degree, exponential?, scans?) of the work of matching ``node`` from one
    position when backtracking: the degree counts repeats that can give back bytes to what
    follows (``follow``: the bytes that may come next), exponential means a repeat whose body
    can match in several ways; ``scans``: some repeat runs over an unbounded stretch.
    ``fast``: for the variant with greedy repeats made possessive outside negative assertions."""
    if isinstance(node, Seq):
        deg = 0
        exp = scan = False
        f = follow
        for it in reversed(node.items):
            d, e, sc = _risk(it, f, fast)
            deg += d
            exp = exp or e
            scan = scan or sc
            m, nullable = _ffirst(it)
            f = m | (f if nullable else 0)
        return deg, exp, scan
    if isinstance(node, Alt):
        deg = 0
        exp = scan = False
        for b in node.branches:
            d, e, sc = _risk(b, follow, fast)
            deg = max(deg, d)
            exp = exp or e
            scan = scan or sc
        return deg, exp, scan
    if isinstance(node, Group):
        if node.kind in ("cap", "non"):
            return _risk(node.body, follow, fast)
        # Atomic groups and assertions: their own backtracking ends where their body ends.
        return _risk(node.body, 0, fast and node.kind not in ("nla", "nlb"))
    if isinstance(node, Rep):
        body_first, body_nullable = _ffirst(node.body)
        d, e, sc = _risk(node.body, body_first | follow, fast)
        unbounded = node.hi is None or node.hi > _BOUNDED
        if not unbounded:
            return d * max(1, node.hi or 1), e, sc
        if node.mode == "p" or (fast and node.mode == "g"):
            return d, e, True
        if _simple(node.body):
            return d + 1, e, True
        if body_nullable or d > 0 or e or _ambiguous(node.body) or (body_first & follow):
            return d + 1, True, True
        return d + 1, e, True
    if isinstance(node, Cond):
        dy, ey, sy = _risk(node.yes, follow, fast)
        dn, en, sn = _risk(node.no, follow, fast)
        return max(dy, dn), ey or en, sy or sn
    return 0, False, False


def work_degree(tree: Node, fast: bool = False) -> tuple[int, bool]:
    """The polynomial degree (in the subject length) of the worst-case work of a search, and
    whether it is exponential: the repeats' degree (at least 1 when anything scans) plus one for
    trying every start position unless the pattern is anchored."""
    deg, exp, scan = _risk(tree, 0, fast)
    if scan:
        deg = max(deg, 1)
    if not _anchored(tree):
        deg += 1
    return deg, exp


def _ambiguous(node: Node) -> bool:
    """Whether ``node`` may match the same text in more than one way or with more than one
    length (alternatives sharing a first byte, variable repeats, back references)."""
    if isinstance(node, (Lit, Cls, Anchor)):
        return False
    if isinstance(node, Seq):
        return any(_ambiguous(x) for x in node.items)
    if isinstance(node, Alt):
        seen = 0
        for b in node.branches:
            m, nullable = first(b)
            if nullable or m & seen or _ambiguous(b):
                return True
            seen |= m
        return False
    if isinstance(node, Group):
        return _ambiguous(node.body) if node.kind in ("cap", "non") else False
    if isinstance(node, Rep):
        return node.lo != node.hi or _ambiguous(node.body)
    return True


def _conv(a: list[int], b: list[int], n: int) -> list[int]:
    out = [0] * (n + 1)
    for i, x in enumerate(a):
        if x:
            for j in range(n + 1 - i):
                y = b[j]
                if y:
                    out[i + j] += x * y
    return out


def paths(node: Node, n: int) -> list[int]:
    """``paths(node, n)[k]``: an upper bound on the number of ways backtracking can match ``node``
    against ``k`` bytes (every byte class assumed to match), for k up to ``n``."""
    unit = [1] + [0] * n
    if isinstance(node, (Lit, Cls)):
        return [0, 1] + [0] * (n - 1) if n >= 1 else [0]
    if isinstance(node, Seq):
        acc = unit
        for it in node.items:
            acc = _conv(acc, paths(it, n), n)
        return acc
    if isinstance(node, Alt):
        acc = [0] * (n + 1)
        for b in node.branches:
            acc = [x + y for x, y in zip(acc, paths(b, n))]
        return acc
    if isinstance(node, Group):
        if node.kind in ("cap", "non"):
            return paths(node.body, n)
        if node.kind == "atomic":
            return [min(x, 1) for x in paths(node.body, n)]
        return unit
    if isinstance(node, Rep):
        body = paths(node.body, n)
        body[0] = 0  # an empty iteration ends the loop
        if node.mode == "p":
            body = [min(x, 1) for x in body]
        hi = n if node.hi is None else min(node.hi, n)
        acc = unit if node.lo == 0 else [0] * (n + 1)
        power = unit
        for k in range(1, hi + 1):
            power = _conv(power, body, n)
            if not any(power):
                break
            if k >= node.lo:
                acc = [x + y for x, y in zip(acc, power)]
        if node.mode == "p":
            acc = [min(x, 1) for x in acc]
        return acc
    if isinstance(node, Cond):
        return [x + y for x, y in zip(paths(node.yes, n), paths(node.no, n))]
    if isinstance(node, Backref):
        return [1] * (n + 1)
    return unit


def _dotstar(node: Node) -> int:
    """PCRE2's implicit anchoring: a pattern that starts with ``.*`` can only match at the start
    of the search or (without dotall) right after a newline.  1: after newlines too, 2: only at
    the start of the search, 0: not such a pattern."""
    while True:
        if isinstance(node, Seq) and node.items:
            node = node.items[0]
        elif isinstance(node, Group) and node.kind in ("cap", "non"):
            node = node.body
        else:
            break
    if isinstance(node, Rep) and node.lo == 0 and node.hi is None and isinstance(node.body, Cls):
        if node.body.mask == ALL:
            return 2
        if node.body.mask == ALL & ~NEWLINE:
            return 1
    return 0


def _anchored(node: Node) -> bool:
    """Whether every match must start at the start of the subject (``^``/``\\A`` first)."""
    if isinstance(node, Anchor):
        return node.kind == "A"
    if isinstance(node, Seq):
        for it in node.items:
            if _anchored(it):
                return True
            if isinstance(it, Anchor) or (isinstance(it, Group) and it.kind in ("la", "nla", "lb", "nlb")):
                continue
            return False
        return False
    if isinstance(node, Alt):
        return all(_anchored(b) for b in node.branches)
    if isinstance(node, Group) and node.kind in ("cap", "non", "atomic"):
        return _anchored(node.body)
    return False


# --- the compiled pattern -------------------------------------------------------------------------

MAX_STEPS = 10**8
"""The worst-case backtracking work (estimated from the pattern's structure, see :func:`_risk`) a
match may need before it is refused.  PCRE2 refuses too, with its match limit (10 million
backtracking steps); HTCondor then returns error, and so do we."""

_DEGREE_CAP = {0: None, 1: None, 2: 15_000, 3: 1_500, 4: 200}
_DEGREE_CAP_MORE = 60
EXP_CAP = 40
"""The longest subject a pattern with exponential backtracking is ever run on; the cap of a
pattern is lower the faster its ways to match grow (see :data:`EXP_BUDGET`)."""
EXP_BUDGET = 10**8
"""For a pattern with exponential backtracking: the largest ``n * paths(n)`` (start positions
times the ways to match, :func:`paths`) allowed; at most about 0.5 s of Python ``re``."""

REQ_CU_MAX = 2000
"""PCRE2 10.32 looks for a pattern's required byte only while fewer than this many bytes remain
to the end of the subject (measured: ``regexp("(.*)*x", 1999 * "a")`` is false,
``regexp("(.*)*x", 2000 * "a")`` hits the match limit)."""

LIMIT = object()
"""What a match returns when its estimated cost is too high (HTCondor: PCRE2's match limit)."""


class Compiled:
    """A PCRE2 pattern compiled for Python's ``re`` on bytes, with its analysis."""

    __slots__ = (
        "_dotstar_rx",
        "_index",
        "_tree",
        "anchored",
        "backtracker",
        "deg",
        "dotstar",
        "exp",
        "exp_cap",
        "fast",
        "fast_deg",
        "groups",
        "keep",
        "minlen",
        "required",
        "rx",
        "start_set",
    )

    def __init__(self, tree: Node, parser: _Parser) -> None:
        index: dict[int, int] = {}
        _number_groups(tree, index, [0])
        if not parser.has_calls:
            possessify(tree, 0)
        self.rx: re.Pattern[bytes] | None = None
        if parser.re_ok:
            self.rx = re.compile(_Emitter(False, index).emit(tree))
        self.groups = parser.groups
        self.keep = parser.keeps
        self.minlen = min_length(tree)
        # PCRE2's "last required code unit": the last literal byte (or caseless pair) every
        # match contains.
        req = [m for m in required(tree) if 0 < bin(m).count("1") <= 2]
        self.required: bytes | None = None
        if req:
            self.required = bytes(c for c in range(256) if req[-1] >> c & 1)
        deg, exp = work_degree(tree)
        self.deg = deg
        self.exp = exp
        self.exp_cap = 0
        if exp:
            ways = paths(tree, EXP_CAP)
            total = 0
            for k in range(EXP_CAP + 1):
                total += ways[k]
                starts = 1 if _anchored(tree) else k + 1
                if starts * total > EXP_BUDGET:
                    break
                self.exp_cap = k
        self.backtracker = Backtracker(tree, parser.groups, parser.group_nodes)
        self.anchored = _anchored(tree)
        self.dotstar = 0 if parser.has_backref or parser.has_calls else _dotstar(tree)
        self._dotstar_rx: re.Pattern[bytes] | None = None
        self.backtracker.dotstar = self.dotstar
        mask, nullable = first(tree)
        self.start_set: bytes | None = None
        if not nullable and mask != ALL:
            self.start_set = bytes(c for c in range(256) if mask >> c & 1)
        self.backtracker.start_set = None if self.start_set is None else frozenset(self.start_set)
        self.backtracker.required = self.required
        self.fast: re.Pattern[bytes] | None = None
        self.fast_deg: int | None = None
        self._tree: Node | None = None
        if parser.re_ok and (exp or _DEGREE_CAP.get(deg, _DEGREE_CAP_MORE) is not None):
            fdeg, fexp = work_degree(tree, True)
            if not fexp:
                self.fast_deg = fdeg
                self._tree = tree
                self._index = index

    def _fast(self) -> re.Pattern[bytes] | None:
        """The possessive variant, compiled on first use."""
        if self.fast is None and self._tree is not None:
            try:
                self.fast = re.compile(_Emitter(True, self._index).emit(self._tree))
            except (re.error, RecursionError, OverflowError):  # pragma: no cover - defensive
                pass
            self._tree = None
        return self.fast

    def _first_start(self, subject: bytes) -> int:
        """The first place a match can start (PCRE2's start-byte optimisation)."""
        if self.start_set is None:
            return 0
        m = re.compile(_emit_set(_chars(self.start_set))).search(subject)
        return len(subject) if m is None else m.start()

    def starts(self, subject: bytes, dotstar: bool = False) -> int:
        """How many places a match could start at (PCRE2's start-byte optimisation; with
        ``dotstar``, its implicit anchoring of patterns that start with ``.*``)."""
        if dotstar and self.dotstar:
            return 1 if self.dotstar == 2 else 1 + subject.count(b"\n")
        if self.start_set is None:
            return len(subject) + 1
        return len(subject) - len(subject.translate(None, self.start_set))

    def _within(self, deg: int, subject: bytes, dotstar: bool = False) -> bool:
        cap = _DEGREE_CAP.get(deg, _DEGREE_CAP_MORE)
        n = len(subject)
        if cap is None or n <= cap:
            return True
        if self.anchored:
            return False
        # Work: the candidate starts times what one start can cost (degree - 1).
        return bool(self.starts(subject, dotstar) * n ** (deg - 1) <= cap**deg)

    def affordable(self, subject: bytes, dotstar: bool = False) -> bool:
        """Whether matching ``subject`` with ``re`` is within the budget (``dotstar``: with the
        anchored variant of a pattern that starts with ``.*``, see :meth:`_anchored_rx`)."""
        if self.rx is None:
            return False
        if self.exp:
            return len(subject) <= self.exp_cap
        return self._within(self.deg, subject, dotstar)

    def _anchored_rx(self) -> re.Pattern[bytes]:
        """The pattern anchored where PCRE2 implicitly anchors it (start of the subject, or
        after a newline): the same first match when searching from the start."""
        rx = self._dotstar_rx
        if rx is None:
            assert self.rx is not None
            prefix = b"\\A" if self.dotstar == 2 else b"(?:\\A|(?<=\\n))"
            rx = self._dotstar_rx = re.compile(prefix + b"(?:" + self.rx.pattern + b")")
        return rx

    def impossible(self, subject: bytes) -> bool:
        """PCRE2's start-up checks: too short a subject, or (for a subject shorter than
        :data:`REQ_CU_MAX`) its required byte missing."""
        if len(subject) < self.minlen:
            return True
        if self.required is not None and len(subject) < REQ_CU_MAX:
            if not any(c in subject for c in self.required):
                return True
        return False

    def test(self, subject: bytes) -> object:
        """True/False: does the pattern match somewhere in ``subject``; or :data:`LIMIT`."""
        if self.impossible(subject):
            return False
        if self.affordable(subject):
            assert self.rx is not None
            return self.rx.search(subject) is not None
        if self.dotstar and self.affordable(subject, True):
            return self._anchored_rx().search(subject) is not None
        if self.fast_deg is not None and self._within(self.fast_deg, subject):
            # The possessive variant follows the path backtracking tries first; a match of it at
            # the first place a match can start is what PCRE2 finds there quickly.  (A match
            # further on proves nothing: PCRE2 may exhaust its limit at the earlier places.)
            fast = self._fast()
            fm = None if fast is None else fast.search(subject)
            if fm is not None and fm.start() == self._first_start(subject):
                return True
        m = self.search(subject)
        return m if m is LIMIT else m is not None

    def search(self, subject: bytes, pos: int = 0, not_empty_at: int = -1) -> object:
        """The first match at or after ``pos`` (an ``re.Match`` or :class:`BacktrackMatch`),
        None, or :data:`LIMIT`; a match starting at ``not_empty_at`` must not be empty."""
        if self.impossible(subject):
            return None
        if pos == 0 and not_empty_at < 0 and self.dotstar and self.affordable(subject, True):
            return self._anchored_rx().search(subject)
        if self.affordable(subject):
            assert self.rx is not None
            if not_empty_at < 0:
                return self.rx.search(subject, pos)
            return _search_not_empty(self.rx, subject, pos, not_empty_at)
        try:
            self.backtracker.steps = 0
            self.backtracker.scanned = 0
            self.backtracker.depth = 0
            return self.backtracker.search(subject, pos, not_empty_at)
        except _Limit:
            return LIMIT

    def matches(self, subject: bytes, every: bool) -> object:
        """The matches the substitution loop visits: the first one, or (``every``) all of them
        the way PCRE2's global loop finds them (after an empty match, a non-empty one at the
        same place first).  A list, or :data:`LIMIT`."""
        out: list[object] = []
        pos = 0
        not_empty_at = -1
        while pos <= len(subject):
            m = self.search(subject, pos, not_empty_at)
            if m is LIMIT:
                return LIMIT
            if m is None:
                break
            out.append(m)
            if not every:
                break
            start, end = m.start(), m.end()  # type: ignore[attr-defined]
            pos = end
            not_empty_at = end if start == end else -1
        return out


def _search_not_empty(rx: re.Pattern[bytes], s: bytes, pos: int, at: int) -> re.Match[bytes] | None:
    """``rx.search(s, pos)`` where a match starting at ``at`` must not be empty (PCRE2's
    NOTEMPTY_ATSTART retry and Python's rule after an empty match)."""
    sc: Any = rx.scanner(s, at)  # type: ignore[attr-defined]
    first: re.Match[bytes] | None = sc.search()
    if first is None or first.start() != first.end() or first.start() != at:
        return first
    # ``first`` is the empty match at ``at``; the scanner's next search refuses it.
    second: re.Match[bytes] | None = sc.search()
    return second


def _number_groups(node: Node, index: dict[int, int], keeps: list[int]) -> None:
    """Python's group numbers in emission order: PCRE2's plus the ``\\K`` markers before."""
    if isinstance(node, Anchor) and node.kind.startswith("keep"):
        keeps[0] += 1
    elif isinstance(node, Seq):
        for x in node.items:
            _number_groups(x, index, keeps)
    elif isinstance(node, Alt):
        for x in node.branches:
            _number_groups(x, index, keeps)
    elif isinstance(node, Group):
        if node.kind == "cap":
            index[node.num] = node.num + keeps[0]
        _number_groups(node.body, index, keeps)
    elif isinstance(node, Rep):
        _number_groups(node.body, index, keeps)
    elif isinstance(node, Cond):
        if isinstance(node.cond, Group):
            _number_groups(node.cond, index, keeps)
        _number_groups(node.yes, index, keeps)
        _number_groups(node.no, index, keeps)


def compile_pcre(pattern: bytes, flags: str) -> Compiled:
    """Compile ``pattern`` as PCRE2 would with the option letters ``flags`` (``imsx``).

    Raises :class:`PatternError` where PCRE2 fails to compile, :class:`Unsupported` where the
    pattern is valid but cannot be run faithfully here.
    """
    i = pattern.find(0)
    if i >= 0:
        pattern = pattern[:i]
    parser = _Parser(pattern, flags)
    tree = parser.parse()
    try:
        return Compiled(tree, parser)
    except re.error as e:
        raise Unsupported(f"Python re rejected the translation: {e}") from None
    except (RecursionError, OverflowError) as e:
        raise Unsupported(f"pattern too complex: {e}") from None


# --- a step-limited backtracking matcher ----------------------------------------------------------

STEP_LIMIT = 500_000
DEPTH_LIMIT = 4_000
"""How deeply the matcher may nest (each level is a few Python frames; PCRE2 has a heap limit)."""
SCAN_LIMIT = 2_000_000_000
"""The bytes repeats of one byte class may scan in one search (at C speed: about two seconds)."""
"""The backtracking steps :class:`Backtracker` may take for one search before giving up (the
counterpart of PCRE2's match limit of 10 million; Python is slower, so the budget is smaller)."""


class _Limit(Exception):
    pass


_RUNS: dict[int, re.Pattern[bytes]] = {}


def _run(mask: int, s: bytes, i: int, end: int) -> int:
    """How many bytes of ``mask`` follow ``s[i]`` (up to ``end``), at C speed."""
    rx = _RUNS.get(mask)
    if rx is None:
        rx = re.compile(b"(?:" + _emit_set(mask) + b")*")
        if len(_RUNS) < 256:
            _RUNS[mask] = rx
    m = rx.match(s, i, end)
    return 0 if m is None else m.end() - i


class BacktrackMatch:
    """The part of ``re.Match`` the substitution code uses, for :class:`Backtracker` results."""

    __slots__ = ("_groups", "_keeps", "_span", "string")

    def __init__(
        self, string: bytes, span: tuple[int, int], groups: list[int], keeps: dict[int, int]
    ) -> None:
        self.string = string
        self._span = span
        self._groups = groups
        self._keeps = keeps

    def start(self, name: str | None = None) -> int:
        if name is None:
            return self._span[0]
        if name.startswith("K"):
            return self._keeps.get(int(name[1:]), -1)
        return self.span(name)[0]

    def end(self) -> int:
        return self._span[1]

    def span(self, name: str) -> tuple[int, int]:
        k = int(name[1:])
        a, b = self._groups[2 * k], self._groups[2 * k + 1]
        if a < 0 or b < 0:
            return (-1, -1)
        return (a, b)


class Backtracker:
    """PCRE2-style backtracking over the tree, counting its steps (continuation-passing).

    Used when the ``re`` translation of a pattern could take too long on a subject: the match
    gives up (:class:`_Limit`, reported as :data:`LIMIT`) after :data:`STEP_LIMIT` steps or when
    it recurses too deeply, as PCRE2 gives up at its match and heap limits.
    """

    def __init__(self, tree: Node, ngroups: int, groups: dict[int, Group] | None = None) -> None:
        self.tree = tree
        self.ngroups = ngroups
        self.group_nodes = groups or {}
        self.g_offset = 0
        self.scanned = 0
        self.depth = 0
        # The bytes a match can start with (None: anything, or an empty match): other start
        # positions are skipped without a step, as PCRE2's start-up optimisation does.
        self.start_set: frozenset[int] | None = None
        # The required byte(s) (see Compiled.required), checked PCRE2's way at each start.
        self.required: bytes | None = None
        # See _dotstar.
        self.dotstar = 0
        self.s = b""
        self.n = 0
        self.steps = 0
        self.caps: list[int] = []
        self.keeps: dict[int, int] = {}

    # -- entry points

    def search(self, subject: bytes, pos: int = 0, not_empty_at: int = -1) -> BacktrackMatch | None:
        """The first match starting at or after ``pos``; a match starting at ``not_empty_at``
        must not be empty there (Python's rule after an empty match).  Raises _Limit."""
        self.s = subject
        self.n = len(subject)
        start_set = self.start_set
        last_req = -1
        if self.required is not None:
            last_req = max(subject.rfind(bytes((c,))) for c in self.required)
        for start in range(pos, self.n + 1):
            if self.dotstar and start > pos and (self.dotstar == 2 or subject[start - 1] != 0x0A):
                continue
            if start_set is not None and (start == self.n or subject[start] not in start_set):
                continue
            if self.required is not None and self.n - start < REQ_CU_MAX and last_req < start:
                break
            # \G: the start offset of PCRE2's search (after a refused empty match, PCRE2 retries
            # at that place and then searches on from the next byte).
            self.g_offset = pos + 1 if (pos == not_empty_at and start > pos) else pos
            self.caps = [-1] * (2 * (self.ngroups + 1))
            self.keeps = {}
            end = self._match_from(start, start == not_empty_at)
            if end >= 0:
                caps = self.caps[:]
                caps[0], caps[1] = start, end
                return BacktrackMatch(subject, (start, end), caps, dict(self.keeps))
        return None

    def _match_from(self, start: int, not_empty: bool) -> int:
        found = [-1]

        def done(i: int) -> bool:
            if not_empty and i == start:
                return False
            found[0] = i
            return True

        try:
            if self.m(self.tree, start, done):
                return found[0]
        except RecursionError:
            raise _Limit() from None
        return -1

    # -- the matcher

    def tick(self) -> None:
        self.steps += 1
        if self.steps > STEP_LIMIT:
            raise _Limit()

    def m(self, node: Node, i: int, k: Callable[[int], bool]) -> bool:
        self.steps += 1
        if self.steps > STEP_LIMIT:
            raise _Limit()
        self.depth += 1
        if self.depth > DEPTH_LIMIT:
            raise _Limit()
        try:
            return self._m(node, i, k)
        finally:
            self.depth -= 1

    def _m(self, node: Node, i: int, k: Callable[[int], bool]) -> bool:
        s = self.s
        if isinstance(node, Lit):
            if i < self.n:
                c = s[i]
                if c == node.byte or (node.fold and c | 0x20 == node.byte | 0x20):
                    return k(i + 1)
            return False
        if isinstance(node, Cls):
            if i < self.n and node.mask >> s[i] & 1:
                return k(i + 1)
            return False
        if isinstance(node, Seq):
            return self.seq(node.items, 0, i, k)
        if isinstance(node, Alt):
            for b in node.branches:
                if self.m(b, i, k):
                    return True
            return False
        if isinstance(node, Group):
            return self.group(node, i, k)
        if isinstance(node, Rep):
            return self.rep(node, i, k)
        if isinstance(node, Anchor):
            if node.kind.startswith("keep"):
                idx = int(node.kind[4:])
                old = self.keeps.get(idx)
                self.keeps[idx] = i
                if k(i):
                    return True
                if old is None:
                    del self.keeps[idx]
                else:
                    self.keeps[idx] = old
                return False
            return self.anchor(node.kind, i) and k(i)
        if isinstance(node, Call):
            return self.call(node.num, i, k)
        if isinstance(node, Backref):
            ca, cb = self.caps[2 * node.num], self.caps[2 * node.num + 1]
            if ca < 0 or cb < 0:
                return False
            ln = cb - ca
            if i + ln > self.n:
                return False
            part = s[i : i + ln]
            ref = s[ca:cb]
            if part != ref and not (node.fold and part.lower() == ref.lower()):
                return False
            return k(i + ln)
        return self.cond(node, i, k)

    def call(self, num: int, i: int, k: Callable[[int], bool]) -> bool:
        """A subroutine call: the group's pattern at ``i``; captures it sets are undone when it
        returns (PCRE2)."""
        body = self.tree if num == 0 else self.group_nodes[num].body
        caps = self.caps
        saved = caps[:]

        def ret(e: int) -> bool:
            inner = caps[:]
            caps[:] = saved
            if k(e):
                return True
            caps[:] = inner
            return False

        if self.m(body, i, ret):
            return True
        caps[:] = saved
        return False

    def seq(self, items: list[Node], j: int, i: int, k: Callable[[int], bool]) -> bool:
        if j == len(items):
            return k(i)
        if j == len(items) - 1:
            return self.m(items[j], i, k)
        return self.m(items[j], i, lambda e: self.seq(items, j + 1, e, k))

    def first_end(self, node: Node, i: int) -> int:
        """The end of the first way ``node`` matches at ``i`` (-1 if none); captures it sets stay."""
        found = [-1]

        def stop(e: int) -> bool:
            found[0] = e
            return True

        self.m(node, i, stop)
        return found[0]

    def group(self, g: Group, i: int, k: Callable[[int], bool]) -> bool:
        kind = g.kind
        if kind == "non":
            return self.m(g.body, i, k)
        if kind == "cap":
            caps = self.caps
            slot = 2 * g.num
            old = (caps[slot], caps[slot + 1])

            def close(e: int) -> bool:
                before = (caps[slot], caps[slot + 1])
                caps[slot], caps[slot + 1] = i, e
                if k(e):
                    return True
                caps[slot], caps[slot + 1] = before
                return False

            if self.m(g.body, i, close):
                return True
            caps[slot], caps[slot + 1] = old
            return False
        saved = self.caps[:]
        if kind == "atomic":
            e = self.first_end(g.body, i)
            if e < 0:
                self.caps[:] = saved
                return False
            if k(e):
                return True
            self.caps[:] = saved
            return False
        if kind in ("la", "nla"):
            ok = self.first_end(g.body, i) >= 0
        else:
            ok = False
            for b in g.body.branches if isinstance(g.body, Alt) else [g.body]:
                w = _width(b) or 0
                if i - w >= 0 and self.m(b, i - w, lambda e: e == i):
                    ok = True
                    break
        if kind in ("nla", "nlb"):
            self.caps[:] = saved
            ok = not ok
        elif not ok:
            self.caps[:] = saved
        if ok and k(i):
            return True
        self.caps[:] = saved
        return False

    def rep(self, r: Rep, i: int, k: Callable[[int], bool]) -> bool:
        body = r.body
        hi = r.hi if r.hi is not None else self.n + 1
        if isinstance(body, (Lit, Cls)):
            # One byte per iteration: find the run, then try the counts in order.
            mask = (
                body.mask if isinstance(body, Cls) else fold(1 << body.byte) if body.fold else 1 << body.byte
            )
            run = _run(mask, self.s, i, min(self.n, i + hi))
            self.scanned += run  # long scans cost time too (PCRE2 does not count them)
            if self.scanned > SCAN_LIMIT:
                raise _Limit()
            if run < r.lo:
                return False
            if r.mode == "p":
                self.tick()
                return k(i + run)
            counts = range(run, r.lo - 1, -1) if r.mode == "g" else range(r.lo, run + 1)
            for c in counts:
                self.tick()
                if k(i + c):
                    return True
            return False
        if r.mode == "p":
            saved = self.caps[:]
            e = self.first_end(Rep(body, r.lo, r.hi, "g"), i)
            if e >= 0 and k(e):
                return True
            self.caps[:] = saved
            return False
        return self.iterate(r, hi, 0, i, k)

    def iterate(self, r: Rep, hi: int, count: int, i: int, k: Callable[[int], bool]) -> bool:
        self.tick()

        def more(e: int) -> bool:
            if e == i and count + 1 >= r.lo:
                # An empty iteration ends the loop (PCRE2).
                return k(e)
            return self.iterate(r, hi, count + 1, e, k)

        if r.mode == "l":
            if count >= r.lo and k(i):
                return True
            return count < hi and self.m(r.body, i, more)
        if count < hi and self.m(r.body, i, more):
            return True
        return count >= r.lo and k(i)

    def anchor(self, kind: str, i: int) -> bool:
        s = self.s
        n = self.n
        if kind == "A":
            return i == 0
        if kind == "G":
            return i == self.g_offset
        if kind == "z":
            return i == n
        if kind in ("eol", "Z"):
            return i == n or (i == n - 1 and s[i] == 0x0A)
        if kind == "meol":
            return i == n or s[i] == 0x0A
        if kind == "mbol":
            return i == 0 or (s[i - 1] == 0x0A and i < n)
        if kind in ("b", "B"):
            before = i > 0 and bool(WORD >> s[i - 1] & 1)
            after = i < n and bool(WORD >> s[i] & 1)
            return (before != after) == (kind == "b")
        raise AssertionError(kind)  # pragma: no cover

    def cond(self, c: Cond, i: int, k: Callable[[int], bool]) -> bool:
        cond = c.cond
        if cond == "define":
            return k(i)
        if cond == "false":
            return self.m(c.no, i, k)
        if isinstance(cond, int):
            ok = self.caps[2 * cond] >= 0 and self.caps[2 * cond + 1] >= 0
            return self.m(c.yes if ok else c.no, i, k)
        assert isinstance(cond, Group)
        saved = self.caps[:]
        holds = self.group(cond, i, lambda e: True)
        if not holds:
            self.caps[:] = saved
        return self.m(c.yes if holds else c.no, i, k)
