"""The two non-match answers of a compiled pattern (:mod:`classad.eval.builtins.pcre`), in a
module of their own so that the functions using patterns can test for them without loading the
pattern engine until a pattern is first compiled."""

from __future__ import annotations

__all__ = ["BAD_OFFSET", "LIMIT"]

LIMIT = object()
"""What a match returns when its estimated cost is too high (HTCondor: PCRE2's match limit)."""
BAD_OFFSET = object()
"""The end of a substitution loop that ran past the subject (PCRE2_ERROR_BADOFFSET)."""
