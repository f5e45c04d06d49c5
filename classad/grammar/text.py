"""Facts about ClassAd text that readers need without the lexer: what text can never hold,
and which texts' trees depend on the local time zone.  (Light on purpose: importing it, as
``import classad`` does, compiles two small patterns and nothing else.)"""

from __future__ import annotations

import re

UNREADABLE = re.compile("[\x00\ud800-\udc7f\udd00-\udfff]")
"""What ClassAd text can never contain: NUL (HTCondor's strings are C strings; its Python binding
refuses an "embedded null character") and lone surrogates.  U+DC80..U+DCFF are not among them:
they are the bytes of non-UTF-8 text decoded with ``surrogateescape``, which strings may hold."""

_ZONE_DEPENDENT = re.compile("[aA][bB][sS][tT][iI][mM][eE]")
"""Texts that may hold an ``absTime("...")`` literal, whose value without a zone depends on the
local zone at the time of parsing: never cached, so a later change of zone is honoured."""


def zone_dependent(text: str) -> bool:
    """Whether the tree of ``text`` may depend on the local zone (so must not be cached)."""
    return ("b" in text or "B" in text) and _ZONE_DEPENDENT.search(text) is not None
