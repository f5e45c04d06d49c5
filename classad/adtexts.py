"""Texts printed from an ad that has not changed: ``repr``, ``str``, ``printOld``,
``printJson`` and ``printNew`` of the same unchanged ad give the same text, so an ad printed a
second time keeps what it printed (``ClassAd._texts``), and every change to an attribute drops
it, as it drops the ad's pinned values (:mod:`classad.eval.pins`).

The first print of an ad keeps nothing (it only marks the ad), so ads printed once -- a dump
converted from one format to another -- cost no memory.  What all ads keep is bounded:
:data:`LEDGER` counts the bytes and, past :data:`BUDGET`, drops every ad's texts (it holds the
ads weakly, so it keeps none alive).
"""

from __future__ import annotations

import threading
import weakref
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from classad._classad import ClassAd

TextKey = tuple[str, bool, bool]
"""(which form, and its two options): ``("repr", False, False)``, ``("old", htcondor_order,
exact_reals)`` and so on."""

BUDGET = 32 << 20
"""Bytes of text all ads together may keep (each text counted as its length plus 128)."""


class _Ledger:
    """The ads keeping texts and what they keep, in bytes (never fewer than they hold: an ad
    that changes or dies still counts until the next clear)."""

    __slots__ = ("ads", "lock", "used")

    def __init__(self) -> None:
        self.ads: dict[int, weakref.ref[ClassAd]] = {}
        self.used = 0
        self.lock = threading.Lock()

    def keep(self, ad: ClassAd, texts: dict[TextKey, str], key: TextKey, text: str) -> None:
        cost = len(text) + 128
        if cost > BUDGET:
            return
        with self.lock:
            if self.used + cost > BUDGET:
                for ref in self.ads.values():
                    other = ref()
                    if other is not None:
                        other._texts = None
                self.ads.clear()
                self.used = 0
                if ad._texts is not texts:
                    return  # it was one of them
            known = self.ads.get(id(ad))
            if known is None or known() is not ad:  # (an id can belong to a dead ad's successor)
                self.ads[id(ad)] = weakref.ref(ad)
            self.used += cost
            texts[key] = text


LEDGER = _Ledger()


def remember(ad: ClassAd, key: TextKey, text: str) -> str:
    """Note that ``ad`` printed ``text`` as ``key``: the first time, only mark the ad; after
    that, keep the text on it.  Returns ``text``."""
    texts = ad._texts
    if texts is None:
        ad._texts = {}
    else:
        LEDGER.keep(ad, texts, key, text)
    return text
