"""The step-limited backtracking matcher (:class:`Backtracker`), for patterns Python's ``re`` cannot
express and subjects on which ``re`` could take too long.  It runs a :mod:`.program` in a loop
with an explicit backtracking stack, so its Python stack depth is constant whatever the pattern
and subject; like PCRE2 at its match and heap limits it gives up (:class:`_Limit`) when one
search has used :data:`STEP_LIMIT` steps or its stack has grown past :data:`STACK_LIMIT`.  Its
matches (:class:`BacktrackMatch`) offer the part of ``re.Match`` the substitution code uses.
A backtracker is immutable, so cached patterns are shared safely between threads: all the state
of a search lives in its own :class:`_Search` and in locals."""

from __future__ import annotations

from typing import Any

from classad.eval.builtins.pcre.charsets import WORD
from classad.eval.builtins.pcre.program import (
    ANCHOR,
    BACK,
    BACKREF,
    BACKTO,
    BARRIER,
    CALL,
    CHAR,
    CHAR2,
    CLASS,
    CLOSE,
    CUT,
    END,
    ENTER,
    FAIL,
    IFSET,
    JMP,
    KEEP,
    LOOP,
    MATCH,
    NEXT,
    OPEN,
    RET,
    RUN,
    SPLIT,
    UNWIND,
    compile_program,
)
from classad.eval.builtins.pcre.tree import Group, Node

STEP_LIMIT = 2_000_000
"""The steps one search may take (every instruction run and every backtrack counts one; the
work inside assertions, atomic groups, conditions, subroutine calls and back references counts
against the same budget).  The counterpart of PCRE2's match limit of 10 million; Python is
slower, so the budget is smaller: about a second."""
STACK_LIMIT = 1_000_000
"""The entries the backtracking stack and the call frames may hold (PCRE2's heap limit): at most
about 90 MB; a pattern only the backtracker runs handles over 100,000 repeat iterations."""
SCAN_LIMIT = 2_000_000_000
"""The bytes repeats of one byte class may scan in one search (at C speed: about two seconds)."""

REQ_CU_MAX = 2000
"""PCRE2 10.32 looks for a pattern's required byte only while fewer than this many bytes remain
to the end of the subject (measured: ``regexp("(.*)*x", 1999 * "a")`` is false,
``regexp("(.*)*x", 2000 * "a")`` hits the match limit)."""

# Backtracking stack entries (tuples); the first item says what they are.  Below _STATE: places
# to resume at; from _STATE on: records that restore the state when popped.
_ALT = 0  # (_ALT, pc, i)
_RUNBT = 1  # (_RUNBT, pc, base, count, last count, +1/-1)
_BARRIER = 2  # (_BARRIER, pc or -1, i)
_STATE = 3
_UNDO = 3  # (_UNDO, register, old value)
_UNDO2 = 4  # (_UNDO2, register, old value, old value of the next register)
_KEEP = 5  # (_KEEP, index, old value)
_CALL = 6  # (_CALL,): a call started (pop its frame)
_RETURN = 7  # (_RETURN, frame, registers of the callee): a call returned (re-enter it)


class _Limit(Exception):
    """A search passed one of its limits; ``steps``: the steps it had taken."""

    def __init__(self, steps: int) -> None:
        super().__init__(steps)
        self.steps = steps


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


class _Search:
    """The state of one search: the subject, the offset ``\\G`` tests, the steps taken and the
    bytes scanned so far.  Each call of :meth:`Backtracker.search` makes its own, so searches with
    the same (shared, cached) pattern never see each other's state."""

    __slots__ = ("g_offset", "n", "s", "scanned", "steps")

    def __init__(self, subject: bytes, g_offset: int) -> None:
        self.s = subject
        self.n = len(subject)
        self.g_offset = g_offset
        self.steps = 0
        self.scanned = 0


class Backtracker:
    """PCRE2-style backtracking over the compiled :class:`~.program.Program`, counting its steps.

    Used when the ``re`` translation of a pattern could take too long on a subject, or cannot
    express it: a search gives up (:class:`_Limit`, reported as :data:`.compiled.LIMIT`) after
    :data:`STEP_LIMIT` steps, :data:`STACK_LIMIT` stack entries or :data:`SCAN_LIMIT` scanned
    bytes, as PCRE2 gives up at its match and heap limits.

    A backtracker is not changed after it is made (it is shared by every search with a cached
    pattern, from any thread): each search keeps its state in a :class:`_Search` and in locals.
    """

    __slots__ = ("dotstar", "minlen", "program", "required", "start_set")

    def __init__(
        self,
        tree: Node,
        ngroups: int,
        groups: dict[int, Group] | None = None,
        *,
        start_set: bytes | None = None,
        required: bytes | None = None,
        dotstar: int = 0,
        minlen: int = 0,
    ) -> None:
        self.program = compile_program(tree, ngroups, groups or {})
        # The bytes a match can start with (None: anything, or an empty match): other start
        # positions are skipped without a step, as PCRE2's start-up optimisation does.
        self.start_set = None if start_set is None else frozenset(start_set)
        # The required byte(s) (see Compiled.required), checked PCRE2's way at each start.
        self.required = required
        # See analysis._dotstar.
        self.dotstar = dotstar
        # The shortest match (analysis.min_length).
        self.minlen = minlen

    def search(
        self, subject: bytes, pos: int = 0, retry: bool = False, not_empty: bool = False
    ) -> tuple[BacktrackMatch | None, int]:
        """The first match starting at or after ``pos`` and the steps the search took; with
        ``retry``, the first non-empty match starting at ``pos`` (PCRE2's NOTEMPTY_ATSTART and
        ANCHORED); with ``not_empty``, the first non-empty match (PCRE2_NOTEMPTY).  Raises
        :class:`_Limit`."""
        st = _Search(subject, pos)
        n = st.n
        start_set = self.start_set
        required = self.required
        last_req = -1
        if required is not None:
            last_req = max(subject.rfind(bytes((c,))) for c in required)
        for start in range(pos, pos + 1 if retry else n + 1):
            if self.dotstar and start > pos and (self.dotstar == 2 or subject[start - 1] != 0x0A):
                continue
            if start_set is not None and (start == n or subject[start] not in start_set):
                continue
            if required is not None and n - start < REQ_CU_MAX and last_req < start:
                break
            if n - start < self.minlen:
                break  # too few bytes left (PCRE2 checks this at every start)
            st.steps += 1
            if st.steps > STEP_LIMIT:
                raise _Limit(st.steps)
            found = self._attempt(st, start, retry or not_empty)
            if found is not None:
                return found, st.steps
        return None, st.steps

    def _attempt(self, st: _Search, start: int, not_empty: bool) -> BacktrackMatch | None:
        """Match the program at ``start``: the match, or None."""
        prog = self.program
        code = prog.code
        nregs = prog.nregs
        s = st.s
        n = st.n
        regs = [-1] * nregs
        keeps = [-1] * prog.nkeeps
        bt: list[tuple[Any, ...]] = []
        marks: list[int] = []
        frames: list[tuple[int, int, list[int]]] = []
        steps = st.steps
        check_at = min(STEP_LIMIT, steps + 4096)  # when to look at the budget and the stack
        pc = 0
        i = start
        try:
            while True:
                steps += 1
                if steps > check_at:
                    if steps > STEP_LIMIT or len(bt) + len(frames) > STACK_LIMIT:
                        raise _Limit(steps)
                    check_at = min(STEP_LIMIT, steps + 4096)
                ins = code[pc]
                op = ins[0]
                if op == CHAR:
                    if i < n and s[i] == ins[1]:
                        i += 1
                        pc += 1
                        continue
                elif op == CLASS:
                    if i < n and ins[1] >> s[i] & 1:
                        i += 1
                        pc += 1
                        continue
                elif op == CHAR2:
                    if i < n and (s[i] == ins[1] or s[i] == ins[2]):
                        i += 1
                        pc += 1
                        continue
                elif op == RUN:
                    _, rx, lo, hi, mode = ins
                    end = n if hi < 0 else min(n, i + hi)
                    run = rx.match(s, i, end).end() - i
                    st.scanned += run
                    if st.scanned > SCAN_LIMIT:
                        raise _Limit(steps)
                    if run >= lo:
                        if mode == "g":
                            if run > lo:
                                bt.append((_RUNBT, pc + 1, i, run - 1, lo, -1))
                            i += run
                        elif mode == "l":
                            if run > lo:
                                bt.append((_RUNBT, pc + 1, i, lo + 1, run, 1))
                            i += lo
                        else:
                            i += run
                        pc += 1
                        continue
                elif op == SPLIT:
                    bt.append((_ALT, ins[1], i))
                    pc += 1
                    continue
                elif op == JMP:
                    pc = ins[1]
                    continue
                elif op == OPEN:
                    r = ins[1]
                    bt.append((_UNDO, r, regs[r]))
                    regs[r] = i
                    pc += 1
                    continue
                elif op == CLOSE:
                    a = 2 * ins[1]
                    bt.append((_UNDO2, a, regs[a], regs[a + 1]))
                    regs[a] = regs[ins[2]]
                    regs[a + 1] = i
                    pc += 1
                    continue
                elif op == LOOP:
                    _, k, lo, hi, lazy, exit_pc = ins
                    c = regs[k]
                    if 0 <= hi <= c:
                        pc = exit_pc
                        continue
                    bt.append((_UNDO, k + 1, regs[k + 1]))
                    regs[k + 1] = i
                    if lazy:
                        if c >= lo:
                            bt.append((_ALT, pc + 1, i))
                            pc = exit_pc
                        else:
                            pc += 1
                    else:
                        if c >= lo:
                            bt.append((_ALT, exit_pc, i))
                        pc += 1
                    continue
                elif op == NEXT:
                    _, k, lo, top = ins
                    c = regs[k]
                    if i == regs[k + 1] and c + 1 >= lo:
                        pc += 1  # an empty iteration ends the loop (PCRE2)
                    else:
                        bt.append((_UNDO, k, c))
                        regs[k] = c + 1
                        pc = top
                    continue
                elif op == ENTER:
                    k = ins[1]
                    bt.append((_UNDO2, k, regs[k], regs[k + 1]))
                    regs[k] = 0
                    pc += 1
                    continue
                elif op == ANCHOR:
                    if _anchor(ins[1], i, s, n, st.g_offset):
                        pc += 1
                        continue
                elif op == BARRIER:
                    marks.append(len(bt))
                    bt.append((_BARRIER, ins[1], i))
                    pc += 1
                    continue
                elif op == END:
                    _, mode, target, behind = ins
                    m = marks[-1]
                    barrier = bt[m]
                    if not behind or i == barrier[2]:
                        marks.pop()
                        if mode == CUT or mode == BACKTO:
                            seg = bt[m + 1 :]
                            del bt[m:]
                            steps += len(seg)
                            bt.extend(e for e in seg if e[0] >= _STATE)
                            if mode == CUT:
                                pc += 1
                            else:
                                i = barrier[2]
                                pc = target
                            continue
                        while len(bt) > m + 1:
                            steps += 1
                            self._restore(bt.pop(), regs, keeps, frames)
                        bt.pop()
                        if mode != UNWIND:  # UNWIND_GOTO: a conditional's "no" branch
                            i = barrier[2]
                            pc = target
                            continue
                elif op == BACK:
                    if i >= ins[1]:
                        i -= ins[1]
                        pc += 1
                        continue
                elif op == BACKREF:
                    a = 2 * ins[1]
                    ca, cb = regs[a], regs[a + 1]
                    if ca >= 0 and cb >= 0 and i + cb - ca <= n:
                        part = s[i : i + cb - ca]
                        ref = s[ca:cb]
                        if part == ref or (ins[2] and part.lower() == ref.lower()):
                            i += cb - ca
                            pc += 1
                            continue
                elif op == IFSET:
                    a = 2 * ins[1]
                    pc = pc + 1 if regs[a] >= 0 and regs[a + 1] >= 0 else ins[2]
                    continue
                elif op == CALL:
                    frames.append((ins[1], pc + 1, regs[:]))
                    bt.append((_CALL,))
                    steps += nregs >> 1
                    pc = ins[2]
                    continue
                elif op == RET:
                    if frames and frames[-1][0] == ins[1]:
                        frame = frames.pop()
                        bt.append((_RETURN, frame, regs[:]))
                        regs[:] = frame[2]
                        steps += nregs >> 1
                        pc = frame[1]
                    else:
                        pc += 1
                    continue
                elif op == KEEP:
                    k = ins[1]
                    bt.append((_KEEP, k, keeps[k]))
                    keeps[k] = i
                    pc += 1
                    continue
                elif op == MATCH:
                    if not (not_empty and i == start):
                        caps = regs[: 2 * (prog.ngroups + 1)]
                        caps[0], caps[1] = start, i
                        kept = {j + 1: v for j, v in enumerate(keeps) if v >= 0}
                        return BacktrackMatch(s, (start, i), caps, kept)
                else:
                    assert op == FAIL
                # Failure: back to the latest place to resume, restoring the state on the way.
                while True:
                    if not bt:
                        return None
                    e = bt.pop()
                    steps += 1
                    t = e[0]
                    if t == _ALT:
                        pc, i = e[1], e[2]
                        break
                    if t == _RUNBT:
                        _, npc, base, c, last, step = e
                        if c != last:
                            bt.append((_RUNBT, npc, base, c + step, last, step))
                        i = base + c
                        pc = npc
                        break
                    if t == _BARRIER:
                        marks.pop()
                        if e[1] == -1:
                            continue
                        pc, i = e[1], e[2]
                        break
                    self._restore(e, regs, keeps, frames)
        finally:
            st.steps = steps

    @staticmethod
    def _restore(
        e: tuple[Any, ...], regs: list[int], keeps: list[int], frames: list[tuple[int, int, list[int]]]
    ) -> None:
        """Undo what a state record on the backtracking stack recorded (other entries: nothing)."""
        t = e[0]
        if t == _UNDO:
            regs[e[1]] = e[2]
        elif t == _UNDO2:
            r = e[1]
            regs[r] = e[2]
            regs[r + 1] = e[3]
        elif t == _KEEP:
            keeps[e[1]] = e[2]
        elif t == _CALL:
            frames.pop()
        elif t == _RETURN:
            regs[:] = e[2]
            frames.append(e[1])


def _anchor(kind: int, i: int, s: bytes, n: int, g_offset: int) -> bool:
    """Whether the zero-width test ``kind`` (:data:`.program.ANCHORS`) holds at ``i`` in ``s``
    (of length ``n``; ``g_offset``: where the search started, for ``\\G``)."""
    if kind == 0:  # \A, ^
        return i == 0
    if kind == 1:  # \G
        return i == g_offset
    if kind == 2:  # \z
        return i == n
    if kind == 3:  # $, \Z
        return i == n or (i == n - 1 and s[i] == 0x0A)
    if kind == 4:  # multi-line $
        return i == n or s[i] == 0x0A
    if kind == 5:  # multi-line ^
        return i == 0 or (s[i - 1] == 0x0A and i < n)
    before = i > 0 and bool(WORD >> s[i - 1] & 1)
    after = i < n and bool(WORD >> s[i] & 1)
    return (before != after) == (kind == 6)
