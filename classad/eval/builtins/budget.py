"""The output budget of the string-building built-ins.

Every built-in that concatenates or repeats text (``strcat``, ``join``, ``string`` of a list or
ad, and the regex substitutions) may produce at most :data:`regex.MAX_OUTPUT
<classad.eval.builtins.regex.MAX_OUTPUT>` bytes (64 MiB); past it the function gives
``error``.  The budget has one definition, read at each call (so patching it there changes it
everywhere).  Sizes are counted before any text is built, so neither the time nor the memory
a call takes goes past the budget: ``strcat(s, s, ..., s)`` with a large ``s`` referred to
many times, or nested ``replaceall`` calls that square their input's size, would otherwise
need gigabytes (HTCondor's own library then dies of ``bad_alloc``).
"""

from __future__ import annotations

from typing import Any

from classad.ast import AdExpr, Literal, Node
from classad.eval.builtins import regex
from classad.eval.scope import Scope
from classad.printer import format_literal
from classad.values import ListValue, to_bytes

__all__ = ["byte_size", "limit", "printed_size_exceeds"]


def limit() -> int:
    """The budget in bytes: :data:`classad.eval.builtins.regex.MAX_OUTPUT`."""
    return regex.MAX_OUTPUT


def byte_size(s: str) -> int:
    """The length of a ClassAd string in bytes (its UTF-8, invalid bytes kept)."""
    return len(s) if s.isascii() else len(to_bytes(s))


# Bytes a quoted literal or name writes as themselves, and those with a two-character escape
# (``\"``, ``\'``, ``\\``, ``\n`` ...); every other byte becomes a four-character ``\ooo``.
_PLAIN = bytes(b for b in range(32, 127) if b not in (34, 39, 92))
_SHORT = bytes((34, 39, 92, 7, 8, 9, 10, 11, 12, 13))

# What a node writes besides its children and names, at most (``" ? "`` and ``" : "``, the
# brackets of a list or ad, ``(`` and ``).`` around an integer base ...); what a list item, an
# argument or an operator adds (a comma, the spaces around the operator); what an ad
# attribute adds (``"; "`` and ``" = "``).
_NODE = 8
_ITEM = 2
_ENTRY = 5


def _quoted_size(s: str) -> int:
    """At least the length of ``s`` written as a quoted literal or name: the quotes, the plain
    bytes, two characters for a short escape and four for an octal one (exact for string
    literals without ``'``)."""
    b = to_bytes(s)
    special = b.translate(None, _PLAIN)
    if not special:
        return len(b) + 2
    octal = special.translate(None, _SHORT)
    return len(b) + 2 + len(special) + 2 * len(octal)


def printed_size_exceeds(v: Any, budget: int) -> bool:
    """Whether printing the value ``v`` in new syntax (``string(v)``, the unparse of its
    unevaluated list elements and ad attributes) could take more than ``budget`` characters.

    The size is an upper bound, exact for literals, summed without building any text and with
    an explicit stack (values and trees of any depth); the walk stops as soon as the bound
    passes ``budget``.
    """
    total = 0
    stack: list[Any] = [v]
    pop = stack.pop
    push = stack.append
    while stack:
        if total > budget:
            return True
        x = pop()
        cls = x.__class__
        if cls is Literal:
            x = x.value
            cls = x.__class__
        if cls is str:
            total += _quoted_size(x)
        elif cls is ListValue:
            seq = x.items if x.items is not None else x.values
            total += _NODE + _ITEM * len(seq)
            stack.extend(seq)
        elif cls is Scope or cls is AdExpr:
            entries = x.entries() if cls is Scope else x.entries
            total += _NODE
            for name, expr in entries:
                total += _ENTRY + _quoted_size(name)
                push(expr)
        elif isinstance(x, Node):
            total += _NODE
            for part in x._key():
                if isinstance(part, Node):
                    push(part)
                elif part.__class__ is str:
                    total += _ITEM + _quoted_size(part)
                elif part.__class__ is tuple:
                    for p in part:
                        total += _ITEM
                        if isinstance(p, Node):
                            push(p)
                        elif p.__class__ is str:
                            total += _quoted_size(p)
        else:
            total += len(format_literal(x))
    return total > budget
