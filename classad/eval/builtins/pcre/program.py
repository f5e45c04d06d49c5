"""The tree compiled for the backtracking matcher (:func:`compile_program`): a flat list of
instructions, each a tuple whose first item is one of the opcodes below, run by
:class:`~.matcher.Backtracker` with an explicit backtracking stack.

Registers (one list of ints per match attempt): the capture pairs ``2*g, 2*g+1`` of groups
0..n, then where each capture group was opened, then for each general repeat its iteration count
and where its current iteration started.  A subroutine call saves all registers and restores them
when it returns (PCRE2: captures revert after a call), so a group or repeat entered again by a
recursion leaves its caller's state intact.

Zero-width parts that stop backtracking (atomic groups, possessive repeats, assertions and the
assertion of a conditional) open with :data:`BARRIER`, which records the position and what to do
when the body fails, and close with :data:`END`, whose mode says what to do when it matches:
``CUT`` (keep the position, drop the body's alternatives), ``BACK`` (the same, back at the
barrier's position, then jump: positive assertions), ``UNWIND`` (undo the body and fail:
negative assertions), ``UNWIND_GOTO`` (undo the body and jump: a conditional's negative
assertion that holds)."""

from __future__ import annotations

import re
from typing import Any

from classad.eval.builtins.pcre.charsets import fold
from classad.eval.builtins.pcre.translate import _emit_set
from classad.eval.builtins.pcre.tree import (
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
)
from classad.recursion import Rec, run

# Opcodes (the first item of an instruction), in the matcher's order of tests.
CHAR = 0  # (CHAR, byte)
CHAR2 = 1  # (CHAR2, byte, other case)
CLASS = 2  # (CLASS, mask)
RUN = 3  # (RUN, run regex, lo, hi or -1, mode): a repeat of one byte class
SPLIT = 4  # (SPLIT, pc): try the next instruction, on failure pc
JMP = 5  # (JMP, pc)
OPEN = 6  # (OPEN, register): a capture group starts here
CLOSE = 7  # (CLOSE, group, register): it ends here
LOOP = 8  # (LOOP, count register, lo, hi or -1, lazy, exit pc): before each iteration
NEXT = 9  # (NEXT, count register, iterations after which an empty one ends, loop pc)
ENTER = 10  # (ENTER, count register): a general repeat starts
ANCHOR = 11  # (ANCHOR, kind)
BARRIER = 12  # (BARRIER, pc on failure or -1)
END = 13  # (END, mode, pc, look-behind?)
BACK = 14  # (BACK, width): a look-behind branch starts that many bytes back
BACKREF = 15  # (BACKREF, group, caseless)
IFSET = 16  # (IFSET, group, pc if unset)
CALL = 17  # (CALL, group, entry pc)
RET = 18  # (RET, group): end of a group a call may be running
KEEP = 19  # (KEEP, index): \K
MATCH = 20  # (MATCH,)
FAIL = 21  # (FAIL,)

CUT = 0
BACKTO = 1
UNWIND = 2
UNWIND_GOTO = 3

ANCHORS = {"A": 0, "G": 1, "z": 2, "eol": 3, "Z": 3, "meol": 4, "mbol": 5, "b": 6, "B": 7}

Instr = tuple[Any, ...]


class Program:
    """The instructions and the register layout of one pattern (never changed once built: the
    program of a cached pattern is run by many searches, possibly at once)."""

    __slots__ = ("code", "ngroups", "nkeeps", "nregs")

    def __init__(self, code: tuple[Instr, ...], nregs: int, ngroups: int, nkeeps: int) -> None:
        self.code = code
        self.nregs = nregs
        self.ngroups = ngroups
        self.nkeeps = nkeeps


def _run_rx(mask: int) -> re.Pattern[bytes]:
    return re.compile(b"(?:" + _emit_set(mask) + b")*")


class _Compiler:
    def __init__(self, ngroups: int, group_nodes: dict[int, Group]) -> None:
        self.code: list[Instr] = []
        self.ngroups = ngroups
        self.group_nodes = group_nodes
        self.open_base = 2 * (ngroups + 1)
        self.rep_base = self.open_base + ngroups + 1
        self.reps = 0
        self.keeps = 0
        self.entries: dict[int, int] = {0: 0}
        self.calls: list[int] = []  # indexes of CALL instructions to patch
        self.runs: dict[int, re.Pattern[bytes]] = {}

    def emit(self, *instr: Any) -> int:
        self.code.append(instr)
        return len(self.code) - 1

    def patch(self, at: int, *instr: Any) -> None:
        self.code[at] = instr

    def node(self, node: Node) -> Rec[None]:
        if isinstance(node, Lit):
            if node.fold:
                self.emit(CHAR2, node.byte | 0x20, node.byte & ~0x20)
            else:
                self.emit(CHAR, node.byte)
        elif isinstance(node, Cls):
            self.emit(CLASS, node.mask)
        elif isinstance(node, Seq):
            for it in node.items:
                yield self.node(it)
        elif isinstance(node, Alt):
            yield self.alternatives(node.branches, None)
        elif isinstance(node, Group):
            yield self.group(node)
        elif isinstance(node, Rep):
            yield self.rep(node)
        elif isinstance(node, Anchor):
            if node.kind.startswith("keep"):
                self.keeps = max(self.keeps, int(node.kind[4:]))
                self.emit(KEEP, int(node.kind[4:]) - 1)
            else:
                self.emit(ANCHOR, ANCHORS[node.kind])
        elif isinstance(node, Backref):
            self.emit(BACKREF, node.num, node.fold)
        elif isinstance(node, Call):
            self.calls.append(self.emit(CALL, node.num, -1))
        else:
            yield self.cond(node)

    def alternatives(self, branches: list[Node], widths: list[int] | None) -> Rec[list[int]]:
        """The branches in order; with ``widths`` (a look-behind) each steps back first and ends
        with its own END (patched by the caller, whose indexes are returned)."""
        jumps: list[int] = []
        for j, b in enumerate(branches):
            split = self.emit(SPLIT, -1) if j < len(branches) - 1 else -1
            if widths is not None:
                self.emit(BACK, widths[j])
            yield self.node(b)
            if widths is not None:
                jumps.append(self.emit(END, -1, -1, True))
            elif split >= 0:
                jumps.append(self.emit(JMP, -1))
            if split >= 0:
                self.patch(split, SPLIT, len(self.code))
        if widths is None:
            for at in jumps:
                self.patch(at, JMP, len(self.code))
        return jumps

    def group(self, g: Group) -> Rec[None]:
        kind = g.kind
        if kind == "non":
            yield self.node(g.body)
        elif kind == "cap":
            reg = self.open_base + g.num
            self.emit(OPEN, reg)
            entry = len(self.code)
            yield self.node(g.body)
            if self.group_nodes.get(g.num) is g:
                self.entries[g.num] = entry
                self.emit(RET, g.num)
            self.emit(CLOSE, g.num, reg)
        elif kind == "atomic":
            self.emit(BARRIER, -1)
            yield self.node(g.body)
            self.emit(END, CUT, len(self.code) + 1, False)
        else:
            yield self.assertion(g, None, None)

    def assertion(self, g: Group, yes: int | None, no: int | None) -> Rec[tuple[int, list[int]]]:
        """An assertion; inside a conditional (``yes``/``no`` given later: the returned barrier
        and END indexes are patched by the caller)."""
        kind = g.kind
        barrier = self.emit(BARRIER, -1)
        if kind in ("lb", "nlb"):
            branches: list[Node] = g.body.branches if isinstance(g.body, Alt) else [g.body]
            ends = yield self.alternatives(branches, [_width(b) or 0 for b in branches])
        else:
            yield self.node(g.body)
            ends = [self.emit(END, -1, -1, False)]
        after = len(self.code)
        positive = kind in ("la", "lb")
        behind = kind in ("lb", "nlb")
        if yes is None:  # a plain assertion
            for at in ends:
                self.patch(at, END, BACKTO if positive else UNWIND, after, behind)
            if not positive:
                self.patch(barrier, BARRIER, after)
        return barrier, ends

    def rep(self, r: Rep) -> Rec[None]:
        body = r.body
        hi = -1 if r.hi is None else r.hi
        if isinstance(body, (Lit, Cls)):
            mask = (
                body.mask if isinstance(body, Cls) else fold(1 << body.byte) if body.fold else 1 << body.byte
            )
            rx = self.runs.get(mask)
            if rx is None:
                rx = self.runs[mask] = _run_rx(mask)
            self.emit(RUN, rx, r.lo, hi, "p" if r.mode == "a" else r.mode)
            return
        if r.mode in ("p", "a"):
            self.emit(BARRIER, -1)
            yield self.loop(r, hi, False)
            self.emit(END, CUT, len(self.code) + 1, False)
            return
        yield self.loop(r, hi, r.mode == "l")

    def loop(self, r: Rep, hi: int, lazy: bool) -> Rec[None]:
        k = self.rep_base + 2 * self.reps  # the count register; the start is the next one
        self.reps += 1
        self.emit(ENTER, k)
        top = self.emit(LOOP, k, r.lo, hi, lazy, -1)
        yield self.node(r.body)
        # PCRE2 ends an unbounded loop after an empty iteration (from the last mandatory one on);
        # a bounded repeat is a row of copies, which never stops early.
        self.emit(NEXT, k, r.lo if hi < 0 else hi + 1, top)
        self.patch(top, LOOP, k, r.lo, hi, lazy, len(self.code))

    def cond(self, c: Cond) -> Rec[None]:
        cond = c.cond
        if cond == "define":
            return
        if cond == "false":
            yield self.node(c.no)
            return
        if isinstance(cond, int):
            test = self.emit(IFSET, cond, -1)
            yield self.node(c.yes)
            jump = self.emit(JMP, -1)
            self.patch(test, IFSET, cond, len(self.code))
            yield self.node(c.no)
            self.patch(jump, JMP, len(self.code))
            return
        assert isinstance(cond, Group)
        barrier, ends = yield self.assertion(cond, 0, 0)
        yes = len(self.code)
        yield self.node(c.yes)
        jump = self.emit(JMP, -1)
        no = len(self.code)
        yield self.node(c.no)
        self.patch(jump, JMP, len(self.code))
        positive = cond.kind in ("la", "lb")
        behind = cond.kind in ("lb", "nlb")
        # Positive: the assertion holds -> yes (at the barrier's place), fails -> no.
        # Negative: the body matches -> undo it, no; it fails -> yes.
        self.patch(barrier, BARRIER, no if positive else yes)
        for at in ends:
            self.patch(at, END, BACKTO if positive else UNWIND_GOTO, yes if positive else no, behind)


def compile_program(tree: Node, ngroups: int, group_nodes: dict[int, Group]) -> Program:
    """The program of ``tree`` (``ngroups`` capture groups; ``group_nodes``: the group each
    number refers to, for subroutine calls)."""
    c = _Compiler(ngroups, group_nodes)
    run(c.node(tree))
    c.emit(RET, 0)
    c.emit(MATCH)
    for at in c.calls:
        num = c.code[at][1]
        assert isinstance(num, int)
        entry = c.entries.get(num)
        c.patch(at, CALL, num, entry) if entry is not None else c.patch(at, FAIL)
    nregs = c.rep_base + 2 * c.reps
    return Program(tuple(c.code), nregs, ngroups, c.keeps)
