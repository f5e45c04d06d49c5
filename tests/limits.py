"""Running code at Python's default recursion limit, from a deep caller: the conditions every
hostile-input test states (the library must never need more stack than that)."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

T = TypeVar("T")

DEFAULT_LIMIT = 1000
"""Python's default recursion limit."""

CALLER_FRAMES = 150
"""How deep a caller's own stack is assumed to be."""


@contextmanager
def default_recursion_limit() -> Iterator[None]:
    """Within the block, the recursion limit is Python's default (whatever the runner set)."""
    old = sys.getrecursionlimit()
    sys.setrecursionlimit(DEFAULT_LIMIT)
    try:
        yield
    finally:
        sys.setrecursionlimit(old)


def deep_call(fn: Callable[[], T], frames: int = CALLER_FRAMES) -> T:
    """``fn()`` called ``frames`` Python frames deeper than here."""
    if frames <= 0:
        return fn()
    return deep_call(fn, frames - 1)
