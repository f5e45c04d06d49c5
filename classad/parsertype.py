"""``ParserType``: the input formats of ``parseAds``, with HTCondor's (``classad2``'s) numbers."""

from __future__ import annotations

import enum


class ParserType(enum.IntEnum):
    """Input formats of ``parseAds`` (HTCondor's values)."""

    Auto = -1
    Old = 0
    XML = 1
    JSON = 2
    New = 3
    FileAuto = 4
