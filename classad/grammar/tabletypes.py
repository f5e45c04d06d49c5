"""The plain data the fast parser's tables are made of (what :mod:`classad.grammar.tablegen`
computes from the grammar and :mod:`classad.grammar.lalr` runs), kept apart so that parsing
imports neither the generator nor what it needs (Lark, hashing, package resources)."""

from __future__ import annotations

from typing import NamedTuple

START_SYMBOLS = ("start", "adstart")
"""The grammar's start symbols: a whole expression, and one ad."""

# How a reduction builds its value (the kinds of rule in :data:`Tables.rules`).
UNIT = 0
"""A ``?rule`` alternative of one child and no alias: the child passes through unchanged."""
INLINE = 1
"""A ``_rule`` (or Lark's helper for ``*``/``+``/``(...)``): its children, as a list, are
spliced into the rule that uses it."""
CALL = 2
"""The transformer method named by the rule, given its children as they are on the stack."""
BUILD = 3
"""The transformer method, given its children after splicing inlined rules and adding the
``None`` placeholders of absent ``[optional]`` parts."""
EXPAND = 4
"""As :data:`BUILD`, but a single remaining child passes through (a ``?rule`` alternative)."""

Plan = tuple[tuple[tuple[int, int, int], ...], int]
"""For :data:`BUILD`/:data:`EXPAND`/:data:`INLINE`: ((child index, 1 to inline it else 0,
placeholders before it), ...) and the placeholders after the last child."""

Rule = tuple[str, int, int, str, tuple[tuple[int, int, int], ...], int]
"""(left-hand side, number of symbols, kind, transformer method, *plan)."""


class Tables(NamedTuple):
    """Everything the fast driver needs, as plain data."""

    grammar_sha256: str
    start_states: dict[str, int]
    end_states: dict[str, int]
    actions: tuple[dict[str, int], ...]
    """Per state: terminal -> the state to shift to (>= 0) or ``~rule`` to reduce by (< 0)."""
    gotos: tuple[dict[str, int], ...]
    """Per state: nonterminal -> the state after reducing to it."""
    rules: tuple[Rule, ...]
