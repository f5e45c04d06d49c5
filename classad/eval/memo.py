"""Reaching HTCondor's work limit quickly: reuse of attribute values inside one long evaluation.

HTCondor counts every attribute evaluation and fails an evaluation after 4,999,995 of them
(:data:`~classad.eval.scope.MAX_EVAL_WORK`), so ``[a0 = 1; a1 = a0 + a0; ... a60 = a59 + a59]``
evaluates ``a0`` 2**60 times until the count runs out.  HTCondor takes a fraction of a second
to get there; a Python evaluator doing every step takes many seconds.  Once an evaluation has
done :data:`MEMO_AFTER` attribute evaluations, it therefore starts remembering, for each
attribute it evaluates, the value and how much work that took, and when the same evaluation
meets the same attribute again it adds the work to the count instead of redoing it.

The result is exactly what redoing the work gives, because an entry is reused only where a
re-evaluation would provably take the same path:

* the key holds everything the value depends on: the ad object the attribute was found in,
  that ad's alternate (TARGET) ad, the name, the evaluation depth (depth limits make values
  depend on it) and the root ad; entries keep those objects alive, so their ids stay unique;
* an entry records the attribute keys its evaluation visited; it is reused only when none of
  them is being evaluated now (a cycle through one would give ``undefined`` instead), and it is
  not recorded at all when its evaluation met a cycle, failed inside (a failure turned into
  ``error`` by a function depends on the work count), called a function whose value is not a
  function of its arguments (``random``, ``eval``, ``debug`` or a user-registered function), or
  visited more than :data:`MAX_VISITED` attributes;
* it is reused only when the work it stands for still fits in the budget: otherwise the
  attribute is evaluated again (reusing what it can inside), so the failure happens exactly
  where it would;
* only scalar values are kept (lists and ads keep identity and unevaluated parts).

The table lives in one evaluation state (:class:`~classad.eval.scope.Ctx`) and dies with it;
each nested evaluation state starts its own table (another ad may temporarily be its
alternate there) while still reporting what it visits to the entries being recorded around it.
Nothing is stored on shared nodes.  At most :data:`MAX_ENTRIES` entries are kept.
"""

from __future__ import annotations

from typing import Any

from classad.ast import Call, Node
from classad.eval.functions import REGISTRY, library_builtin
from classad.values import AbsTime, RelTime

__all__ = ["MAX_ENTRIES", "MAX_VISITED", "MEMO_AFTER", "Entry", "Memo", "Record"]

MEMO_AFTER = 20_000
"""Attribute evaluations after which an evaluation starts remembering values (normal
evaluations never get here, so they pay nothing)."""

MAX_ENTRIES = 100_000
"""Entries one evaluation keeps at most."""

MAX_VISITED = 512
"""Attribute keys an entry may depend on; a wider evaluation is not recorded."""

_NOT_PURE = frozenset({"random", "eval", "debug"})
"""Built-ins whose value is not a function of their arguments alone (or that act)."""

_SCALARS = (bool, int, float, str, bytes, AbsTime, RelTime)


class Record:
    """The attribute evaluation being recorded: what it visited, and whether it may be kept."""

    __slots__ = ("parent", "tainted", "visited")

    def __init__(self, parent: Record | None) -> None:
        self.parent = parent
        self.visited: set[Any] = set()
        self.tainted = False


class Entry:
    """A remembered attribute value, the work it took and the keys it depends on."""

    __slots__ = ("alt", "found", "root", "value", "visited", "work")

    def __init__(
        self, value: Any, work: int, visited: frozenset[Any], found: Any, alt: Any, root: Any
    ) -> None:
        self.value = value
        self.work = work
        self.visited = visited
        # Held so that the ids in the key cannot be reused by other objects.
        self.found = found
        self.alt = alt
        self.root = root


class Memo:
    """The remembered values of one evaluation state."""

    __slots__ = ("current", "pure", "table")

    def __init__(self, current: Record | None = None) -> None:
        self.table: dict[tuple[Any, ...], Entry] = {}
        # The innermost attribute evaluation being recorded (None outside any).
        self.current = current
        # id(node) -> (node, whether it calls only pure functions)
        self.pure: dict[int, tuple[Node, bool]] = {}

    def nested(self) -> Memo:
        """The memo of a nested evaluation state: its own table, the same recording chain."""
        return Memo(self.current)

    def taint(self) -> None:
        """The evaluation being recorded met something that makes its value unrepeatable."""
        rec = self.current
        if rec is not None:
            rec.tainted = True

    def visit(self, key: Any) -> None:
        """The evaluation being recorded depends on whether attribute ``key`` is active."""
        rec = self.current
        if rec is not None:
            rec.visited.add(key)

    def reuse(self, mkey: tuple[Any, ...], active: set[Any]) -> Entry | None:
        """The entry for ``mkey`` if it may stand for evaluating the attribute again now."""
        entry = self.table.get(mkey)
        if entry is None or not entry.visited.isdisjoint(active):
            return None
        rec = self.current
        if rec is not None:
            rec.visited |= entry.visited
        return entry

    def begin(self, key: Any, expr: Node) -> Record:
        """Start recording the evaluation of attribute ``key`` (expression ``expr``)."""
        rec = Record(self.current)
        rec.visited.add(key)
        if not self._pure(expr):
            rec.tainted = True
        self.current = rec
        return rec

    def end(
        self,
        rec: Record,
        mkey: tuple[Any, ...] | None,
        ok: bool,
        value: Any,
        work: int,
        found: Any,
        root: Any,
    ) -> None:
        """Finish recording ``rec``; keep its value under ``mkey`` (None: not to be kept) if it
        is repeatable (``ok`` False: the evaluation failed), and hand what it visited and any
        taint on to the evaluation around it."""
        parent = rec.parent
        self.current = parent
        if not ok:
            rec.tainted = True
        if parent is not None:
            parent.visited |= rec.visited
            if rec.tainted:
                parent.tainted = True
        if (
            mkey is not None
            and not rec.tainted
            and len(rec.visited) <= MAX_VISITED
            and len(self.table) < MAX_ENTRIES
            and isinstance(value, _SCALARS)
        ):
            self.table[mkey] = Entry(value, work, frozenset(rec.visited), found, found.alt, root)

    def _pure(self, expr: Node) -> bool:
        """Whether ``expr`` calls only built-ins whose value depends on their arguments alone."""
        hit = self.pure.get(id(expr))
        if hit is not None:
            return hit[1]
        result = True
        seen: set[int] = set()
        stack: list[Any] = [expr]
        while stack and result:
            x = stack.pop()
            if isinstance(x, Node):
                if id(x) in seen:
                    continue
                seen.add(id(x))
                if isinstance(x, Call):
                    lname = x.name.lower()
                    # A user-registered function is not ours.
                    if lname in _NOT_PURE or (library_builtin(lname) is None and lname in REGISTRY):
                        result = False
                stack.append(x._key())
            elif isinstance(x, tuple):
                stack.extend(x)
        self.pure[id(expr)] = (expr, result)
        return result
