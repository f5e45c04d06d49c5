"""The LALR(1) tables of ``classad.lark``, computed by Lark and written out as plain data.

The grammar stays the single source of syntax: this module asks Lark to build its LALR parse
table from ``classad.lark`` and records, as plain Python data, what the fast driver
(:mod:`classad.grammar.lalr`) needs to run it -- the shift and reduce actions of every state,
the gotos, and for every rule how Lark's tree builder would hand its children to the
transformer (which children are inlined ``_rules``, where ``[optional]`` placeholders go,
which ``?rules`` pass a single child through).  Nothing here is written by hand.

``python -m classad.grammar.tablegen`` rewrites :mod:`classad.grammar.lalr_tables` from the
grammar; :func:`tables_are_current` tells whether the shipped module still matches it (a test
checks it, and the driver recomputes the tables from the grammar when it does not).  States
are numbered canonically (breadth first from the start symbols, symbols in sorted order), so
the output does not depend on Lark's internal numbering or on hash seeds.
"""

from __future__ import annotations

import hashlib
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from classad.grammar.tabletypes import (  # re-exported: the generator's vocabulary
    BUILD,
    CALL,
    EXPAND,
    INLINE,
    START_SYMBOLS,
    UNIT,
    Plan,
    Rule,
    Tables,
)

__all__ = [
    "BUILD",
    "CALL",
    "EXPAND",
    "INLINE",
    "START_SYMBOLS",
    "UNIT",
    "Plan",
    "Rule",
    "Tables",
    "compute",
    "grammar_digest",
    "grammar_text",
    "render",
]


def grammar_text() -> str:
    """The text of ``classad.lark`` as the package ships it (beside this module, or through
    package resources when the package is not a directory, as in a zip)."""
    beside = Path(__file__).with_name("classad.lark")
    if beside.is_file():
        return beside.read_text(encoding="utf-8")
    from importlib import resources

    return resources.files("classad.grammar").joinpath("classad.lark").read_text(encoding="utf-8")


def grammar_digest(text: str) -> str:
    """The SHA-256 of a grammar text (what the generated tables record)."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _lark(text: str) -> Any:
    """Lark's LALR parser for the grammar (tokens come from our lexer; none is built here)."""
    from lark import Lark
    from lark.lexer import Lexer

    class _NoLexer(Lexer):
        """The grammar declares its terminals; tables need no lexer."""

        def __init__(self, conf: Any) -> None:
            pass

        def lex(self, data: Any) -> Iterator[Any]:  # type: ignore[override]
            raise NotImplementedError("tables only")

    return Lark(text, parser="lalr", lexer=_NoLexer, start=list(START_SYMBOLS), maybe_placeholders=True)


def _plan(rule: Any) -> Plan:
    """How Lark's tree builder selects the children of ``rule`` (its child filter)."""
    expansion = rule.expansion
    flags = rule.options.empty_indices
    if flags:  # one flag per symbol and per absent optional: True marks a placeholder
        runs = "".join("1" if f else "0" for f in flags).split("0")
        nones = [len(r) for r in runs]
    else:
        nones = [0] * (len(expansion) + 1)
    include: list[tuple[int, int, int]] = []
    pending = 0
    for i, sym in enumerate(expansion):
        pending += nones[i]
        filtered = sym.is_term and sym.filter_out
        if rule.options.keep_all_tokens or not filtered:
            include.append((i, int(not sym.is_term and sym.name.startswith("_")), pending))
            pending = 0
    return tuple(include), pending + nones[len(expansion)]


def _kind(rule: Any, plan: Plan) -> int:
    include, after = plan
    if rule.options.template_source is not None:
        raise ValueError(f"templates are not supported by the fast driver: {rule}")
    plain = after == 0 and len(include) == len(rule.expansion) and not any(e or b for _, e, b in include)
    if rule.origin.name.startswith("_"):
        if rule.options.expand1:
            raise ValueError(f"an inlined ?rule is not supported by the fast driver: {rule}")
        return INLINE
    if rule.options.expand1 and rule.alias is None:
        if plain and len(include) == 1:
            return UNIT
        return EXPAND
    return CALL if plain else BUILD


def compute(text: str | None = None) -> Tables:
    """The tables of ``text`` (default: the shipped grammar), computed by Lark."""
    if text is None:
        text = grammar_text()
    lark = _lark(text)
    table = lark.parser.parser.parser.parse_table
    rule_index = {id(r): i for i, r in enumerate(lark.rules)}
    nonterminals = {r.origin.name for r in lark.rules}

    # Canonical state numbers: breadth first from the start states, transitions by symbol name.
    order: dict[int, int] = {}
    queue = [table.start_states[s] for s in START_SYMBOLS]
    for s in queue:
        order.setdefault(s, len(order))
    i = 0
    while i < len(queue):
        row = table.states[queue[i]]
        i += 1
        for sym in sorted(row, key=str):
            action, arg = row[sym]
            if action.name == "Shift" and arg not in order:
                order[arg] = len(order)
                queue.append(arg)
    if len(order) != len(table.states):
        raise ValueError("unreachable states in the parse table")

    actions: list[dict[str, int]] = [{} for _ in order]
    gotos: list[dict[str, int]] = [{} for _ in order]
    for old, new in order.items():
        for sym in sorted(table.states[old], key=str):
            action, arg = table.states[old][sym]
            name = str(sym)
            if action.name == "Shift":
                (gotos if name in nonterminals else actions)[new][name] = order[arg]
            else:
                actions[new][name] = ~rule_index[id(arg)]
    rules: list[Rule] = []
    for r in lark.rules:
        plan = _plan(r)
        name = str(r.alias or r.origin.name)
        rules.append((str(r.origin.name), len(r.expansion), _kind(r, plan), name, *plan))
    return Tables(
        grammar_digest(text),
        {s: order[table.start_states[s]] for s in START_SYMBOLS},
        {s: order[table.end_states[s]] for s in START_SYMBOLS},
        tuple(actions),
        tuple(gotos),
        tuple(rules),
    )


def _wrapped(items: list[str], indent: str, width: int = 108) -> Iterator[str]:
    """``items`` joined with ", " in lines of at most ``width`` characters."""
    line = indent
    for item in items:
        piece = item + ","
        if len(line) + 1 + len(piece) > width and line.strip():
            yield line
            line = indent
        line = line + (" " if line.strip() else "") + piece
    if line.strip():
        yield line


def render(tables: Tables) -> str:
    """The text of the generated module for ``tables``."""
    out = [
        '"""The LALR(1) tables of ``classad.lark``: generated by :mod:`classad.grammar.tablegen`',
        "(``python -m classad.grammar.tablegen``) from the grammar, which stays the source of syntax.",
        "",
        "Do not edit: regenerate after any change to the grammar (a test checks that this module",
        "matches it, and the parser recomputes the tables when the recorded digest does not).",
        '"""',
        "",
        "# fmt: off",
        f"GRAMMAR_SHA256 = {tables.grammar_sha256!r}",
        f"START_STATES: dict[str, int] = {tables.start_states!r}",
        f"END_STATES: dict[str, int] = {tables.end_states!r}",
        "",
        "# Per state: terminal -> state to shift to (>= 0), or ~rule to reduce by.",
        "ACTIONS: tuple[dict[str, int], ...] = (",
    ]
    for row in tables.actions:
        out += ["    {", *_wrapped([f"{k!r}: {v}" for k, v in row.items()], "        "), "    },"]
    out += [
        ")",
        "",
        "# Per state: nonterminal -> state after reducing to it.",
        "GOTOS: tuple[dict[str, int], ...] = (",
    ]
    for row in tables.gotos:
        out += ["    {", *_wrapped([f"{k!r}: {v}" for k, v in row.items()], "        "), "    },"]
    out += [
        ")",
        "",
        "# Per rule: (left-hand side, symbols, kind, transformer method, ((child, 1 to inline it,",
        "# placeholders before), ...), placeholders after); kinds as in classad.grammar.tablegen.",
        "RULES: tuple[tuple[str, int, int, str, tuple[tuple[int, int, int], ...], int], ...] = (",
    ]
    for rule in tables.rules:
        line = f"    {rule!r},"
        if len(line) > 108:
            out += ["    (", *_wrapped([repr(x) for x in rule], "        "), "    ),"]
        else:
            out.append(line)
    out += [")", "# fmt: on", ""]
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    """Rewrite ``lalr_tables.py`` beside this module from the grammar."""
    args = sys.argv[1:] if argv is None else argv
    target = Path(args[0]) if args else Path(__file__).with_name("lalr_tables.py")
    target.write_text(render(compute()), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
