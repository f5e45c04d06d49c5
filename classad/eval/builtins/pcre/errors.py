"""What compiling a PCRE2 pattern can raise: :class:`PatternError` where PCRE2 rejects the
pattern, :class:`Unsupported` where it is valid but cannot be run here with the same meaning."""

from __future__ import annotations


class PatternError(Exception):
    """PCRE2 would fail to compile the pattern."""


class Unsupported(Exception):
    """A valid PCRE2 pattern that Python's ``re`` cannot run with the same meaning."""
