"""A lean LALR(1) driver that runs the tables Lark computed from ``classad.lark``.

The tables come from :mod:`classad.grammar.lalr_tables`, generated from the grammar by
:mod:`classad.grammar.tablegen` (and recomputed from the grammar, with Lark, if the grammar's
digest no longer matches them), so the grammar stays the single source of syntax and parsing
needs no Lark import.  Tokens are the lexer's plain tuples ``(type, value, start, end)``;
the values handed to the transformer are exactly those Lark's tree builder would hand it
(inlined ``_rules`` spliced, ``[optional]`` placeholders added, single children of ``?rules``
passed through), so the same transformer serves this driver and Lark's.  A test parses many
texts both ways and compares trees and errors.

Speed comes from work done once instead of per token: unit reductions of ``?rules`` are
skipped as whole runs (memoized per state, nonterminal and lookahead), a shift into a state
that can only reduce the token is folded with that reduction, and the steps of a successful
parse are recorded by the token types read, so a text of the same shape (the same types, other
literals) replays them without the tables (bounded by bytes).  The loop uses a list for each
stack and never recurses, whatever the nesting of the input.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from classad.cache import BoundedCache
from classad.grammar.tabletypes import BUILD, CALL, EXPAND, INLINE, UNIT, Tables

RawToken = tuple[str, Any, int, int]

Take = Callable[[list[Any]], list[Any]]
"""Takes a rule's children (as the transformer gets them) from the top of the value stack."""
Make = Callable[[list[Any]], Any]
"""Makes a rule's value from the top of the value stack."""

END = "$END"
"""The type of the token after the last one."""


class Unexpected(Exception):
    """The input has a token the grammar does not allow where it is (or a token error there)."""

    def __init__(self, token: RawToken, expected: frozenset[str]) -> None:
        super().__init__(token[0])
        self.token = token
        self.expected = expected


def _children(size: int, include: tuple[tuple[int, int, int], ...], after: int) -> Take:
    """A function taking a rule's children from the top of the value stack as Lark's child
    filter would: inlined children spliced in, placeholders ``None`` added."""
    if after == 0 and all(not e and not b for _, e, b in include) and len(include) == size:
        if size == 1:
            return lambda values: [values[-1]]
        return lambda values: values[-size:]
    if size == 2 and include == ((0, 0, 0), (1, 1, 0)) and after == 0:  # x _list
        return lambda values: [values[-2], *values[-1]]
    if size == 3 and include == ((0, 1, 0), (1, 0, 0), (2, 0, 0)) and after == 0:  # _list x y

        def left1(values: list[Any]) -> list[Any]:
            out: list[Any] = values[-3]  # spliced lists are used once: extended in place
            out.append(values[-2])
            out.append(values[-1])
            return out

        return left1

    def general(values: list[Any]) -> list[Any]:
        base = len(values) - size
        out: list[Any] = []
        for index, inline, nones in include:
            if nones:
                out += [None] * nones
            if inline:
                out += values[base + index]
            else:
                out.append(values[base + index])
        if after:
            out += [None] * after
        return out

    return general


# How the loop runs a reduction (derived from the rule kinds of the tables).
_UNIT = 0  # the child passes through: only the state changes (a run of them at once)
_CALL1 = 1  # a one-symbol rule: the transformer on that child, in place
_LIST1 = 2  # a one-symbol inlined rule: the child in a list, in place
_SPLICE = 3  # an inlined rule ``_list x``: the list below, extended in place
_SPLICE2 = 4  # an inlined rule ``_list _list x``: the list below, extended in place
_CALLN = 5  # the transformer on the children as they are on the stack
_CALLX = 7  # rules ``x _list``: the transformer on x and the list's items (the list, reused)
_OTHER = 6  # the general case: ``make(values)``, then pop ``size``

_FOLD = 1 << 20
"""Shift codes from here on stand for a shift into a state that reduces the token at once (by
a one-symbol rule, whatever the lookahead it accepts): :attr:`Driver.folds` ``[code - _FOLD]``."""

# Steps of a recorded parse that are not reductions (see Driver.parse and _replay).
_SHIFT = 8  # push the next token
_FOLD_CALL = 9  # push the transformer's value for the next token
_FOLD_LIST = 10  # push the next token in a list

Reducer = tuple[int, int, Make, str]
"""Per rule: (how the loop runs it, symbols to pop, the function making the rule's value from
the value stack (for _CALL1: the transformer), left-hand side).  Also a step of a recorded
parse (with _SHIFT, _FOLD_CALL or _FOLD_LIST for the steps that take a token)."""

_SHIFT_STEP: Reducer = (_SHIFT, 0, list, "")

TRACE_TOKENS = 256
"""Parses of at most this many tokens are recorded for replay."""


class Driver:
    """The parse loop over one set of tables, with the transformer ``builder`` (an object with
    one method per rule alias or name, as Lark's inline transformers have).

    Safe to share between threads: a parse keeps its stacks to itself, and the memo tables
    only ever gain entries, each computed from the tables alone (a race computes one twice)."""

    def __init__(self, tables: Tables, builder: object) -> None:
        self.actions = tables.actions
        self.gotos = tables.gotos
        self.start_states = tables.start_states
        self.end_states = tables.end_states
        self.expected = tuple(frozenset(t for t in row if t.isupper()) for row in tables.actions)
        reducers: list[Reducer] = []
        for lhs, size, kind, name, include, after in tables.rules:
            take = _children(size, include, after)
            plain = after == 0 and include == tuple((i, 0, 0) for i in range(size))
            if kind == UNIT:
                reducers.append((_UNIT, size, take, lhs))
            elif kind == INLINE and size == 1 and plain:
                reducers.append((_LIST1, 1, take, lhs))
            elif kind == INLINE and after == 0 and include == ((0, 1, 0), (1, 0, 0)):
                reducers.append((_SPLICE, 2, take, lhs))
            elif kind == INLINE and after == 0 and include == ((0, 1, 0), (1, 1, 0), (2, 0, 0)):
                reducers.append((_SPLICE2, 3, take, lhs))
            elif kind == INLINE:
                reducers.append((_OTHER, size, take, lhs))
            elif kind == CALL and size == 1:
                reducers.append((_CALL1, 1, getattr(builder, name), lhs))
            elif kind == CALL:
                reducers.append((_CALLN, size, getattr(builder, name), lhs))
            elif kind == BUILD and after == 0 and include == ((0, 0, 0), (1, 1, 0)):
                reducers.append((_CALLX, 2, getattr(builder, name), lhs))
            elif kind == BUILD:
                reducers.append((_OTHER, size, _compose(take, getattr(builder, name)), lhs))
            elif kind == EXPAND:
                reducers.append((_OTHER, size, _expand(take, getattr(builder, name)), lhs))
            else:
                raise ValueError(f"unknown rule kind {kind}")
        self.reducers = tuple(reducers)
        # The actions the loop runs: those of the tables, but a shift into a state whose every
        # action is the same one-symbol reduction of a token (an operator of the inlined
        # '_binop', a literal) is folded with it: when the next token is one that state
        # accepts, the loop reduces at once, as it would one step later.
        self.folds: list[tuple[int, frozenset[str], Reducer, str]] = []
        run: list[dict[str, int]] = []
        for row in tables.actions:
            out = dict(row)
            for ttype, act in row.items():
                if act < 0:
                    continue
                target = tables.actions[act]
                codes = set(target.values())
                if len(codes) == 1 and (code := codes.pop()) < 0:
                    how, _, make, lhs = self.reducers[~code]
                    if how == _CALL1 or how == _LIST1:
                        out[ttype] = _FOLD + len(self.folds)
                        step: Reducer = (
                            (_FOLD_CALL, 0, make, lhs) if how == _CALL1 else (_FOLD_LIST, 0, make, lhs)
                        )
                        self.folds.append((act, frozenset(target), step, lhs))
            run.append(out)
        self.run_actions = tuple(run)
        # Per state, per nonterminal: lookahead -> the state after the goto and the run of unit
        # reductions that follows it (which depends on these three alone: each unit reduction
        # pops only the top and goes to from the same state below), and the action there;
        # filled as met.  The accepting state differs per start symbol: one driver per start.
        self.after: dict[str, tuple[dict[str, dict[str, tuple[int, int | None]]], ...]] = {
            start: tuple({lhs: {} for lhs in row} for row in tables.gotos) for start in tables.start_states
        }
        # The steps of successful parses by the token types they read: the steps (shifts and
        # reductions) are a function of the token types alone, so a text of the same shape
        # (another with other literals, names or positions) replays them, the transformer
        # called on the same children in the same order, without the tables.
        self.traces: dict[str, BoundedCache[tuple[str, ...], tuple[Reducer, ...]]] = {
            start: BoundedCache(4 << 20, 64 << 10) for start in tables.start_states
        }

    def _units(self, below: int, top: int, ttype: str, end_state: int) -> int:
        """The state a run of unit reductions ends in, from ``top`` above ``below`` with
        lookahead ``ttype``."""
        actions = self.actions
        reducers = self.reducers
        while True:
            act = actions[top].get(ttype)
            if act is None or act >= 0 or reducers[~act][0] != _UNIT or (top == end_state and ttype == END):
                return top
            top = self.gotos[below][reducers[~act][3]]

    def parse(self, tokens: list[RawToken], start: str) -> Any:
        """Parse ``tokens`` (the last of type ``$END``, or any type no table holds, which
        stops the parse there) from the start symbol ``start``; raise :class:`Unexpected`
        at the first token the grammar rejects."""
        key = tuple([t[0] for t in tokens])
        traces = self.traces[start]
        recorded = traces.data.get(key)
        if recorded is not None:
            return _replay(recorded, tokens)
        trace: list[Reducer] = []
        record = trace.append
        actions = self.run_actions
        reducers = self.reducers
        folds = self.folds
        after = self.after[start]
        state = self.start_states[start]
        stack = [state]
        values: list[Any] = []
        index = 0
        tok = tokens[0]
        ttype = tok[0]
        act = actions[state].get(ttype)
        while True:
            if act is None:
                raise Unexpected(tok, self.expected[state])
            if act >= 0:  # shift (never for $END: the end is accepted by reducing)
                index += 1
                following = tokens[index]
                if act >= _FOLD:
                    target, accepts, fold, lhs = folds[act - _FOLD]
                    if following[0] in accepts:  # shift and reduce at once
                        record(fold)
                        value = fold[2]([tok]) if fold[0] == _FOLD_CALL else [tok]
                        values.append(value)
                        tok = following
                        ttype = tok[0]
                        targets = after[state][lhs]
                        if ttype not in targets:
                            targets[ttype] = self._step(state, lhs, ttype, start)
                        state, act = targets[ttype]
                        stack.append(state)
                        if act == _ACCEPT:
                            return self._done(traces, key, trace, value)
                        continue
                    act = target  # the plain shift: that state rejects the next token
                record(_SHIFT_STEP)
                stack.append(act)
                values.append(tok)
                state = act
                tok = following
                ttype = tok[0]
                act = actions[state].get(ttype)
                continue
            reducer = reducers[~act]
            how, size, make, lhs = reducer
            if how != _UNIT:
                record(reducer)
            if how == _CALL1:
                value = values[-1] = make([values[-1]])
                stack.pop()
            elif how == _SPLICE:
                value = values[-2]  # spliced lists are used once: extended in place
                value.append(values.pop())
                del stack[-2:]
            elif how == _SPLICE2:
                value = values[-3]
                value += values[-2]
                value.append(values[-1])
                del values[-2:]
                del stack[-3:]
            elif how == _CALLN:
                value = make(values[-size:])
                del stack[-size:]
                del values[-size:]
                values.append(value)
            elif how == _LIST1:
                value = values[-1] = [values[-1]]
                stack.pop()
            elif how == _CALLX:
                children = values.pop()  # spliced lists are used once: extended in place
                children.insert(0, values[-1])
                value = values[-1] = make(children)
                del stack[-2:]
            elif how == _UNIT:  # (only right after a shift: after a goto, runs are done there)
                value = values[-1]
                stack.pop()
            else:
                value = make(values)
                if size:
                    del stack[-size:]
                    del values[-size:]
                values.append(value)
            targets = after[stack[-1]][lhs]
            step = targets.get(ttype)
            if step is None:
                step = targets[ttype] = self._step(stack[-1], lhs, ttype, start)
            state, act = step
            stack.append(state)
            if act == _ACCEPT:
                return self._done(traces, key, trace, value)

    @staticmethod
    def _done(
        traces: BoundedCache[tuple[str, ...], tuple[Reducer, ...]],
        key: tuple[str, ...],
        trace: list[Reducer],
        value: Any,
    ) -> Any:
        """Keep the steps of a successful parse for replay; return its value."""
        if len(key) <= TRACE_TOKENS:
            traces.put(key, tuple(trace), 16 * (len(key) + len(trace)))
        return value

    def _step(self, below: int, lhs: str, ttype: str, start: str) -> tuple[int, int | None]:
        """After reducing to ``lhs`` above state ``below`` with lookahead ``ttype``: the state
        the goto and the run of unit reductions after it end in, and the action there
        (:data:`_ACCEPT` at the end of the input in the start symbol's end state)."""
        end_state = self.end_states[start]
        state = self._units(below, self.gotos[below][lhs], ttype, end_state)
        if state == end_state and ttype == END:
            return state, _ACCEPT
        return state, self.run_actions[state].get(ttype)


def _replay(steps: tuple[Reducer, ...], tokens: list[RawToken]) -> Any:
    """Run the recorded steps of a parse on ``tokens`` (of the same types): the same values
    the parse loop would make, without the tables."""
    values: list[Any] = []
    index = 0
    for how, size, make, _ in steps:
        if how == _SHIFT:
            values.append(tokens[index])
            index += 1
        elif how == _FOLD_CALL:
            values.append(make([tokens[index]]))
            index += 1
        elif how == _CALL1:
            values[-1] = make([values[-1]])
        elif how == _FOLD_LIST:
            values.append([tokens[index]])
            index += 1
        elif how == _SPLICE:
            last = values.pop()
            values[-1].append(last)
        elif how == _SPLICE2:
            last = values.pop()
            middle = values.pop()
            values[-1] += middle
            values[-1].append(last)
        elif how == _CALLN:
            value = make(values[-size:])
            del values[-size:]
            values.append(value)
        elif how == _CALLX:
            children = values.pop()
            children.insert(0, values[-1])
            values[-1] = make(children)
        elif how == _LIST1:
            values[-1] = [values[-1]]
        else:
            value = make(values)
            if size:
                del values[-size:]
            values.append(value)
    return values[-1]


_ACCEPT = -(1 << 40)
"""The action after the last reduction of a successful parse (no rule has this number)."""


def _compose(take: Take, callback: Make) -> Make:
    return lambda values: callback(take(values))


def _expand(take: Take, callback: Make) -> Make:
    """As Lark's ``?rule`` alternatives with an alias-less single child: that child itself."""

    def run(values: list[Any]) -> Any:
        children = take(values)
        return children[0] if len(children) == 1 else callback(children)

    return run


_tables: list[Tables] = []
_tables_lock = threading.Lock()


def tables() -> Tables:
    """The tables of the shipped grammar: the generated module when its digest matches the
    grammar, else computed from the grammar with Lark (once)."""
    if _tables:
        return _tables[0]
    with _tables_lock:
        if not _tables:
            from classad.grammar import lalr_tables as generated
            from classad.grammar.tablegen import compute, grammar_digest, grammar_text

            text = grammar_text()
            if generated.GRAMMAR_SHA256 == grammar_digest(text):
                _tables.append(
                    Tables(
                        generated.GRAMMAR_SHA256,
                        generated.START_STATES,
                        generated.END_STATES,
                        generated.ACTIONS,
                        generated.GOTOS,
                        generated.RULES,
                    )
                )
            else:
                _tables.append(compute(text))
    return _tables[0]
