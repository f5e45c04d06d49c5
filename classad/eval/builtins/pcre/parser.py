"""The PCRE2 parser: pattern bytes to a :mod:`.tree`, rejecting what PCRE2 rejects
(:class:`PatternError`) and what cannot be run here (:class:`Unsupported`).

:class:`_Parser` owns the grammar (start-of-pattern options, alternatives, sequences,
quantifiers, groups, option settings, conditionals) on top of :class:`~.escapes._EscapeParser`
(escapes and character classes), and the checks that need more than one piece: references to
groups that are not closed yet, look-behinds of fixed length.  Written from PCRE2's
documentation (``pcre2pattern``) and checked against the reference library."""

from __future__ import annotations

import re
from collections.abc import Callable

from classad.eval.builtins.pcre.charsets import ALL, NEWLINE, WORD
from classad.eval.builtins.pcre.errors import PatternError, Unsupported
from classad.eval.builtins.pcre.escapes import _NAME, _EscapeParser, _Flags, _posix_end
from classad.eval.builtins.pcre.tree import (
    EMPTY,
    Alt,
    Anchor,
    Backref,
    Call,
    Cls,
    Cond,
    Group,
    Lit,
    Node,
    Rep,
    Seq,
    _width,
    children,
)
from classad.recursion import Rec, run


class _NeedsBacktracker(Exception):
    """The pattern needs :class:`Backtracker` (Python's ``re`` cannot express it)."""


_MAX_NEST = 250  # PCRE2's default parenthesis nesting limit
MAX_SIZE = 65536
"""PCRE2 10.32 (with its 2-byte links) refuses a pattern whose compiled form takes more code units
(measured: 32,764 literal bytes compile, 32,765 do not).  The parser counts a lower bound of
that size (two units per literal byte, at least one per class or anchor, three per alternative
and back reference, six or eight per group) and gives PCRE2's error once it is certainly past;
so a huge pattern is refused after reading some 65,536 units' worth of it.  Patterns near the
limit that PCRE2 refuses can be accepted here."""
_UNITS = {Lit: 2, Cls: 1, Anchor: 1, Backref: 3, Call: 3}
_GROUP_UNITS = {"cap": 8, "lb": 9, "nlb": 9}  # brackets and links (look-behinds: and a reverse)
_START_OPTIONS = re.compile(
    rb"\(\*(UTF|UTF8|UCP|CR|LF|CRLF|ANYCRLF|ANY|NUL|BSR_ANYCRLF|BSR_UNICODE|NOTEMPTY|NOTEMPTY_ATSTART"
    rb"|NO_AUTO_POSSESS|NO_DOTSTAR_ANCHOR|NO_JIT|NO_START_OPT|NEVER_BACKSLASH_C"
    rb"|LIMIT_MATCH=[0-9]+|LIMIT_HEAP=[0-9]+|LIMIT_DEPTH=[0-9]+|LIMIT_RECURSION=[0-9]+)\)"
)


class _Parser(_EscapeParser):
    """PCRE2's grammar over :class:`~.escapes._EscapeParser`: :meth:`parse` gives the tree."""

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
        node = run(self.parse_alt())
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

    def grow(self, units: int) -> None:
        """Count ``units`` more of the compiled size (:data:`MAX_SIZE`)."""
        self.size += units
        if self.size > MAX_SIZE:
            raise self.error("regular expression is too large")

    def parse_alt(self) -> Rec[Node]:
        branches = [(yield self.parse_seq())]
        while self.peek() == 0x7C:  # '|'
            self.i += 1
            self.grow(3)
            branches.append((yield self.parse_seq()))
        return branches[0] if len(branches) == 1 else Alt(branches)

    def parse_seq(self) -> Rec[Node]:
        items: list[Node] = []
        while True:
            self.skip_x()
            c = self.peek()
            if c < 0 or c == 0x7C or c == 0x29:
                break
            if c == 0x28:  # (
                atoms, repeatable = yield self.parse_group()
            else:
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
            self.grow(sum(_UNITS.get(type(a), 0) for a in atoms))
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

    # -- atoms

    def parse_atom(self) -> tuple[list[Node], bool | None]:
        """The atoms at the cursor (not a group: :meth:`parse_group`) and whether a following
        quantifier may apply: True/False, or None for "nothing here" (``\\E``: a quantifier
        then applies to the item before)."""
        p = self.p
        c = p[self.i]
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

    # -- groups

    def parse_group(self) -> Rec[tuple[list[Node], bool | None]]:
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
                return [(yield self.group_body("non"))], True
            return [(yield self.capture(None))], True
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
            return [(yield self.group_body("non"))], True
        if c == 0x3E:
            self.i += 1
            return [(yield self.group_body("atomic"))], True
        if c == 0x7C:  # (?| branch reset: each alternative numbers its groups from the same start
            self.i += 1
            return [(yield self.branch_reset())], True
        if c == 0x3D:
            self.i += 1
            return [(yield self.group_body("la"))], True
        if c == 0x21:
            self.i += 1
            return [(yield self.group_body("nla"))], True
        if c == 0x3C and self.peek(1) in (0x3D, 0x21):
            kind = "lb" if self.peek(1) == 0x3D else "nlb"
            self.i += 2
            g = yield self.group_body(kind)
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
            return [(yield self.capture(name))], True
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
            return [(yield self.parse_conditional())], True
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
            return [(yield self.group_body("non", restore=saved))], True
        finally:
            self.f = saved

    def branch_reset(self) -> Rec[Node]:
        self.nest += 1
        if self.nest > _MAX_NEST:
            raise self.error("parentheses are too deeply nested")
        saved = self.f.copy()
        start = self.groups
        most = start
        branches = []
        while True:
            self.groups = start
            branches.append((yield self.parse_seq()))
            self.grow(3 if len(branches) > 1 else 6)
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

    def capture(self, name: bytes | None) -> Rec[Group]:
        self.groups += 1
        num = self.groups
        if name is not None:
            self.names[name] = num
        g: Group = yield self.group_body("cap", num=num)
        self.closed.add(num)
        self.group_nodes.setdefault(num, g)
        return g

    def group_body(self, kind: str, num: int = 0, restore: _Flags | None = None) -> Rec[Group]:
        self.nest += 1
        if self.nest > _MAX_NEST:
            raise self.error("parentheses are too deeply nested")
        saved = self.f.copy() if restore is None else restore
        look = kind in ("la", "nla", "lb", "nlb")
        if look:
            self.in_lookaround += 1
        body = yield self.parse_alt()
        if look:
            self.in_lookaround -= 1
        if self.peek() != 0x29:
            raise self.error("missing closing parenthesis")
        self.i += 1
        self.nest -= 1
        self.f = saved
        self.grow(_GROUP_UNITS.get(kind, 6))
        return Group(kind, body, num)

    def parse_conditional(self) -> Rec[Node]:
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
            g = yield self.group_body(kind)
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
        body = yield self.parse_alt()
        self.f = saved
        if self.peek() != 0x29:
            raise self.error("missing closing parenthesis")
        self.i += 1
        self.nest -= 1
        self.grow(6)
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
    return run(_resolve_rec(node, reps))


def _resolve_rec(node: Node, reps: tuple[Node, ...]) -> Rec[Node]:
    if isinstance(node, Backref):
        if node.forward:
            if any(_defines(r, node.num) for r in reps):
                raise _NeedsBacktracker()
            return Cls(0)
        return node
    if isinstance(node, Seq):
        for j, x in enumerate(node.items):
            node.items[j] = yield _resolve_rec(x, reps)
    elif isinstance(node, Alt):
        for j, x in enumerate(node.branches):
            node.branches[j] = yield _resolve_rec(x, reps)
    elif isinstance(node, Group):
        node.body = yield _resolve_rec(node.body, reps)
    elif isinstance(node, Rep):
        inner = (*reps, node.body) if node.hi is None or node.hi > 1 else reps
        node.body = yield _resolve_rec(node.body, inner)
    elif isinstance(node, Cond):
        if isinstance(node.cond, Group):
            node.cond.body = yield _resolve_rec(node.cond.body, reps)
        node.yes = yield _resolve_rec(node.yes, reps)
        node.no = yield _resolve_rec(node.no, reps)
    return node


def _any_node(node: Node, test: Callable[[Node], bool]) -> bool:
    """Whether ``test`` holds for ``node`` or a node inside it (an explicit stack, no recursion)."""
    todo = [node]
    while todo:
        n = todo.pop()
        if test(n):
            return True
        todo.extend(children(n))
    return False


def _defines(node: Node, num: int) -> bool:
    """Whether capture group ``num`` is inside ``node``."""
    return _any_node(node, lambda n: isinstance(n, Group) and n.kind == "cap" and n.num == num)


def _repeatable(node: Node) -> bool:
    return not isinstance(node, Anchor)


def _check_lookbehind(body: Node, parser: _Parser) -> None:
    branches = body.branches if isinstance(body, Alt) else [body]
    for b in branches:
        if _contains_backref(b):
            raise Unsupported("back reference in a look-behind")
        if _width(b) is None:
            raise parser.error("lookbehind assertion is not fixed length")


def _contains_backref(node: Node) -> bool:
    return _any_node(node, lambda n: isinstance(n, Backref))
