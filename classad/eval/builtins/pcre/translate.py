"""Writing the tree as a Python ``re`` pattern on bytes (:func:`emit`), so that ``re`` behaves
like PCRE2 where the two engines differ (``\\Z``, multi-line ``^``, ``\\B``, variable-length
alternatives of a look-behind, conditions on assertions, ...).

The translation uses only what every ``re`` we run on gets right: CPython 3.10 has neither
atomic groups nor possessive quantifiers, and PyPy's possessive quantifiers are wrong
(``re.search(b"[a-z]++", b"123")`` matches there).  An atomic part ``(?>X)`` (also a possessive
repeat ``X*+``, which is ``(?>X*)``) is written ``(?:(?=(?P<An>X))(?P=An))``: a look-ahead is atomic
in every ``re``, and the back reference consumes what it matched.  Groups are named (``gN`` for
PCRE2's group N, ``KN`` for the N-th ``\\K``), so these extra groups change no number.

:func:`nesting` measures how deeply a translation nests parentheses: Python compiles a pattern
recursively, a few frames per level, so deep translations are not given to ``re``."""

from __future__ import annotations

from classad.eval.builtins.pcre.charsets import ALL
from classad.eval.builtins.pcre.tree import Alt, Anchor, Backref, Cls, Cond, Group, Lit, Node, Rep, Seq
from classad.recursion import Rec, run

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


def emit(tree: Node, possessive: bool = False) -> bytes:
    """The ``re`` source for ``tree``; ``possessive``: the "fast positive" variant (greedy repeats
    made possessive outside negative assertions: a match of it implies a match of the pattern)."""
    return run(_Emitter(possessive).emit(tree, False, False))


def nesting(source: bytes) -> int:
    """How deeply ``source`` (a translation: every literal parenthesis is written ``\\x28`` or
    ``\\x29``) nests its groups."""
    depth = most = 0
    for c in source:
        if c == 0x28:
            depth += 1
            most = max(most, depth)
        elif c == 0x29:
            depth -= 1
    return most


class _Emitter:
    def __init__(self, possessive: bool) -> None:
        self.possessive = possessive
        self.atomics = 0  # the extra groups of the atomic parts written so far
        self.behind = 0  # inside how many look-behinds

    def atomic(self, inner: bytes) -> bytes:
        """``(?>inner)`` in portable ``re`` syntax, as one item.  In a look-behind (which ``re``
        wants free of group references) a plain group: the look-behind has a fixed length, so
        every way an atomic part of it can match ends at the same place, and the assertion holds
        or fails the same."""
        if self.behind:
            return b"(?:" + inner + b")"
        self.atomics += 1
        name = b"A%d" % self.atomics
        return b"(?:(?=(?P<" + name + b">" + inner + b"))(?P=" + name + b"))"

    def emit(self, node: Node, nocap: bool, neg: bool) -> Rec[bytes]:
        if isinstance(node, Lit):
            c = node.byte
            if node.fold:
                return b"[" + _esc(c & ~0x20) + _esc(c | 0x20) + b"]"
            return _esc(c)
        if isinstance(node, Cls):
            return _emit_set(node.mask)
        if isinstance(node, Seq):
            parts = []
            for x in node.items:
                out = yield self.emit(x, nocap, neg)
                parts.append(b"(?:" + out + b")" if isinstance(x, Alt) else out)
            return b"".join(parts)
        if isinstance(node, Alt):
            parts = []
            for b in node.branches:
                parts.append((yield self.emit(b, nocap, neg)))
            return b"|".join(parts)
        if isinstance(node, Group):
            group: bytes = yield self.emit_group(node, nocap, neg)
            return group
        if isinstance(node, Rep):
            rep: bytes = yield self.emit_rep(node, nocap, neg)
            return rep
        if isinstance(node, Anchor):
            if node.kind.startswith("keep"):
                return b"(?P<K%s>)" % node.kind[4:].encode()
            return _ANCHORS[node.kind]
        if isinstance(node, Backref):
            ref = b"(?P=g%d)" % node.num
            return b"(?i:" + ref + b")" if node.fold else ref
        if isinstance(node, Cond):
            cond: bytes = yield self.emit_cond(node, nocap, neg)
            return cond
        raise AssertionError(node)  # pragma: no cover

    def emit_rep(self, node: Rep, nocap: bool, neg: bool) -> Rec[bytes]:
        if isinstance(node.body, Group) and node.body.kind in ("la", "nla", "lb", "nlb"):
            # A repeated assertion: at most once, and zero-width either way.
            a: bytes = yield self.emit(node.body, nocap, neg)
            if node.lo >= 1:
                return a
            return b"(?:|" + a + b")" if node.mode == "l" else b"(?:" + a + b"|)"
        body: bytes = yield self.emit(node.body, nocap, neg)
        if not isinstance(node.body, (Lit, Cls, Group, Backref)) or body == b"(?!)":
            body = b"(?:" + body + b")"
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
        if mode == "a" or (self.possessive and mode == "g" and not neg):
            # Auto-possessive repeats change no match: greedy is the same (and what re
            # optimises best); in the fast variant every greedy repeat is possessive.
            mode = "p" if self.possessive and not neg else "g"
        if mode == "p":
            return self.atomic(body + q)
        return body + q + (b"?" if mode == "l" else b"")

    def emit_group(self, g: Group, nocap: bool, neg: bool) -> Rec[bytes]:
        kind = g.kind
        if kind in ("lb", "nlb"):
            branches = g.body.branches if isinstance(g.body, Alt) else [g.body]
            inner_neg = neg or kind == "nlb"
            parts: list[bytes] = []
            self.behind += 1
            for b in branches:
                parts.append((yield self.emit(b, nocap, inner_neg)))
            self.behind -= 1
            if kind == "lb":
                if len(parts) == 1:
                    return b"(?<=" + parts[0] + b")"
                return b"(?:" + b"|".join(b"(?<=" + x + b")" for x in parts) + b")"
            return b"".join(b"(?<!" + x + b")" for x in parts)
        inner: bytes = yield self.emit(g.body, nocap, neg or kind == "nla")
        if kind == "cap":
            if nocap:
                return b"(?:" + inner + b")"
            return b"(?P<g%d>" % g.num + inner + b")"
        if kind == "atomic":
            return self.atomic(inner)
        prefix = {"non": b"(?:", "la": b"(?=", "nla": b"(?!"}[kind]
        return prefix + inner + b")"

    def emit_cond(self, c: Cond, nocap: bool, neg: bool) -> Rec[bytes]:
        yes: bytes = yield self.emit(c.yes, nocap, neg)
        no: bytes = yield self.emit(c.no, nocap, neg)
        cond = c.cond
        if cond == "false":
            return b"(?:" + no + b")"
        if cond == "define":
            return b"(?:(?!)" + yes + b")?"
        if isinstance(cond, int):
            return b"(?(g%d)" % cond + yes + b"|" + no + b")"
        assert isinstance(cond, Group)
        # (?(?=A)Y|N) is (?:(?=A)Y|(?!A)N); the second copy of A captures nothing.
        positive = cond.kind in ("la", "lb")
        first: bytes = yield self.emit_group(cond, nocap, neg)
        flipped = Group({"la": "nla", "nla": "la", "lb": "nlb", "nlb": "lb"}[cond.kind], cond.body)
        second: bytes = yield self.emit_group(flipped, True, neg or positive)
        return b"(?:" + first + yes + b"|" + second + no + b")"
