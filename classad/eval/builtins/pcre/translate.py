"""Writing the tree as a Python ``re`` pattern on bytes (:class:`_Emitter`), so that ``re`` behaves
like PCRE2 where the two engines differ (``\\Z``, multi-line ``^``, ``\\B``, variable-length
alternatives of a look-behind, conditions on assertions, ...), and the group numbers of the
translation (:func:`_number_groups`: the ``\\K`` markers are groups too)."""

from __future__ import annotations

from classad.eval.builtins.pcre.charsets import ALL
from classad.eval.builtins.pcre.tree import Alt, Anchor, Backref, Cls, Cond, Group, Lit, Node, Rep, Seq

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
