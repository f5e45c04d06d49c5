"""Every cache is bounded by bytes: many distinct large expressions do not stay in memory."""

from __future__ import annotations

import threading

from classad import ExprTree
from classad.cache import ENTRY_OVERHEAD, BoundedCache
from classad.grammar import parser


def test_expression_cache_holds_a_bounded_number_of_bytes() -> None:
    cache = parser._TREES
    cache.clear()
    big = 100_000  # characters: over the per-entry bound, never kept
    for i in range(50):
        ExprTree(f"x{i} + " + " + ".join(["1"] * (big // 4)))
    assert cache.used <= cache.budget
    assert all(len(k[0]) * parser.TREE_BYTES_PER_CHAR + ENTRY_OVERHEAD <= cache.item_max for k in cache.data)
    small = [f"a{i} + {i}" for i in range(20_000)]
    for t in small:
        ExprTree(t)
    assert cache.used <= cache.budget
    assert ExprTree("a1 + 1") is not None and len(cache) > 0


def test_bounded_cache_accounting_stays_exact_under_threads() -> None:
    cache: BoundedCache[int, int] = BoundedCache(budget=64 * 1000, item_max=1000)

    def fill(base: int) -> None:
        for i in range(20_000):
            cache.put(base + i % 5000, i, 100)

    threads = [threading.Thread(target=fill, args=(k * 100_000,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert cache.used == len(cache.data) * (100 + ENTRY_OVERHEAD) <= cache.budget
