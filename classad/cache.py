"""Caches bounded by bytes, for every memo table of the library.

Inputs repeat (the same expression texts, value texts and names from ad to ad), so parsers and
printers remember what they computed; but input is arbitrary, and distinct large values must not
fill memory.  A :class:`BoundedCache` keeps only entries whose estimated cost in bytes is at most
``item_max`` and forgets everything once the total would pass ``budget`` (a clear is cheaper than
LRU bookkeeping on every hit, and the working set refills at once).  Readers may look entries up in
``data`` directly; ``put`` takes a lock, so concurrent threads keep the accounting exact.
"""

from __future__ import annotations

import threading
from typing import Generic, TypeVar

K = TypeVar("K")
V = TypeVar("V")

ENTRY_OVERHEAD = 256
"""The cost of an entry beyond its own size: the dict slot, the key tuple, the value tuple and
the small node an entry keyed by identity keeps alive (measured: 300-400 bytes for a printed
literal; 64 let a cache of 8 MB of texts hold over 100 MB)."""


class BoundedCache(Generic[K, V]):
    """A dict of at most ``budget`` total cost, holding entries of at most ``item_max`` each."""

    __slots__ = ("_lock", "budget", "data", "item_max", "used")

    def __init__(self, budget: int, item_max: int) -> None:
        self.data: dict[K, V] = {}
        self.budget = budget
        self.item_max = item_max
        self.used = 0
        self._lock = threading.Lock()

    def get(self, key: K) -> V | None:
        return self.data.get(key)

    def put(self, key: K, value: V, size: int) -> None:
        """Remember ``value`` for ``key``; ``size`` estimates the bytes it holds.  Entries too
        large for the cache are not kept."""
        cost = size + ENTRY_OVERHEAD
        if cost > self.item_max:
            return
        with self._lock:
            if self.used + cost > self.budget:
                self.data.clear()
                self.used = 0
            if key not in self.data:
                self.used += cost
            self.data[key] = value

    def clear(self) -> None:
        with self._lock:
            self.data.clear()
            self.used = 0

    def __len__(self) -> int:
        return len(self.data)


_DOOR_BITS = 1 << 20  # 128 KB of bits
_DOOR_RESET = 1 << 18  # keys marked before the bits are cleared (false admissions stay rare)


class Doorkeeper:
    """Admission to a cache on the second sighting: a key seen once is only marked (one bit
    of a fixed bitmap, by hash), so text that never repeats -- a dump's timestamps and ids --
    does not fill the cache and push out what does repeat.  A collision only admits a key
    early; the bits are cleared after :data:`_DOOR_RESET` marks, so memory stays 128 KB."""

    __slots__ = ("bits", "marks")

    def __init__(self) -> None:
        self.bits: bytearray | None = None  # made on first use: importing allocates nothing
        self.marks = 0

    def seen_before(self, key: object) -> bool:
        """Whether ``key`` was offered before (since the last clear); marks it if not."""
        bits = self.bits
        if bits is None:
            bits = self.bits = bytearray(_DOOR_BITS >> 3)
        h = hash(key) & (_DOOR_BITS - 1)
        i = h >> 3
        bit = 1 << (h & 7)
        if bits[i] & bit:
            return True
        bits[i] |= bit
        self.marks += 1
        if self.marks > _DOOR_RESET:
            self.bits = None
            self.marks = 0
        return False


class LastLines(BoundedCache[str, tuple[object, str]]):
    """A printer's line for each attribute name: (the expression last printed under the name,
    the whole line).  Ads repeat their attributes with the same values (the readers share
    nodes), and an ad printed again after a change reprints only what changed, so a printer
    looks its line up by name and checks the expression by identity (an entry holds its
    expression, so a reused id cannot fool the check).  A name's entry is counted when it
    first comes in and replaced in place after that, lines of at most ``line_max``
    characters only, so the accounting stays a bound without taking the lock each time (at
    most about four times ``budget``: 2 MB holds the lines of some 5,000 names)."""

    __slots__ = ("line_max",)

    def __init__(self, budget: int = 2 << 20, line_max: int = 384) -> None:
        super().__init__(budget, 2 * line_max + ENTRY_OVERHEAD)
        self.line_max = line_max

    def store(self, name: str, known: bool, expr: object, line: str) -> None:
        """Remember ``line`` for ``expr`` under ``name`` (``known``: the name has an entry)."""
        if not known:
            self.put(name, (expr, line), 2 * len(line))
        elif len(line) <= self.line_max:
            self.data[name] = (expr, line)
