"""The evaluation clock: what ``time()``, ``CurrentTime`` and every other clock-reading function see.

By default the clock is the system's (:func:`time.time`).  ``with classad.clock(t):`` pins it to
``t`` (epoch seconds, or an aware :class:`datetime.datetime`) for the code inside the block, so
that an ad saved from a pool can be evaluated as of the moment it was saved::

    with classad.clock(1_700_000_000):
        slot.eval("time()")            # 1700000000
        slot.eval("START")             # GLIDEIN_ToRetire compared against that moment

The pin is a :mod:`contextvars` variable: it holds in the thread (or asyncio task) that set it
and in nothing else, nests (the innermost pin wins) and is undone when the block ends, even on
an exception.  A new thread starts with the system clock.  Nothing is cached across pins: a
value computed under one clock is never reused under another.
"""

from __future__ import annotations

import contextlib
import datetime
import math
import time
from collections.abc import Iterator
from contextvars import ContextVar

__all__ = ["clock", "now"]

_PINNED: ContextVar[float | None] = ContextVar("classad_clock", default=None)


def now() -> float:
    """The evaluation clock's current time in epoch seconds (pinned, or the system's)."""
    pinned = _PINNED.get()
    return time.time() if pinned is None else pinned


@contextlib.contextmanager
def clock(at: float | datetime.datetime) -> Iterator[float]:
    """Pin the evaluation clock to ``at`` inside the ``with`` block; yields the pinned epoch seconds.

    ``at`` is epoch seconds (an ``int`` or a finite ``float``) or a timezone-aware
    :class:`datetime.datetime`.  Raises :class:`TypeError` for anything else (a naive datetime
    is refused: its instant is ambiguous) and :class:`ValueError` for a non-finite number.
    """
    if isinstance(at, datetime.datetime):
        if at.tzinfo is None or at.utcoffset() is None:
            raise TypeError("classad.clock() needs an aware datetime (give it a tzinfo), not a naive one")
        seconds = at.timestamp()
    elif isinstance(at, (int, float)) and not isinstance(at, bool):
        seconds = float(at)
        if not math.isfinite(seconds):
            raise ValueError(f"classad.clock() needs a finite time, not {at!r}")
    else:
        raise TypeError(f"classad.clock() takes epoch seconds or an aware datetime, not {type(at).__name__}")
    token = _PINNED.set(seconds)
    try:
        yield seconds
    finally:
        _PINNED.reset(token)
