"""Recursion without Python recursion, for every deep walk of the library (PCRE2 patterns,
flattening): :func:`run` drives a recursive function written as a
generator, so that walking a deeply nested pattern (PCRE2 allows 250 levels of parentheses, each
a few tree nodes deep) uses a few Python frames however deep the tree is.

A recursive step is a generator function that ``yield``\\ s the generator of each recursive call
and receives its result back::

    def _size(node: Node) -> Rec[int]:
        total = 1
        for child in children(node):
            total += yield _size(child)
        return total

    size = run(_size(tree))

The pending calls live in a list on the heap; their number is the depth of the tree, bounded by
the pattern's length (and by PCRE2's nesting limit).
"""

from __future__ import annotations

from collections.abc import Generator
from typing import Any, TypeVar

T = TypeVar("T")

Rec = Generator[Any, Any, T]
"""A recursive step: yields the steps of its recursive calls, returns its result."""


def run(step: Rec[T]) -> T:
    """The result of ``step``, running the recursive calls it yields on an explicit stack.  An
    exception a call raises is thrown into its caller, as with real recursion."""
    stack: list[Rec[Any]] = [step]
    value: Any = None
    error: Exception | None = None
    while True:
        try:
            if error is None:
                call = stack[-1].send(value)
            else:
                call = stack[-1].throw(error)
                error = None
        except StopIteration as stop:
            stack.pop()
            if not stack:
                result: T = stop.value
                return result
            value = stop.value
            continue
        except Exception as e:
            stack.pop()
            if not stack:
                raise
            error = e
            continue
        stack.append(call)
        value = None
