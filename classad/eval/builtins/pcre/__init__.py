"""PCRE2 patterns for the regular-expression functions (reference 5.1 "Regular expressions").

HTCondor compiles patterns with PCRE2 10.32 (the version in the 25.14.1 wheel) in its default
8-bit, non-UTF mode: a pattern and its subject are byte strings, ``.`` matches one byte, and
``\\w``, ``\\d``, ``\\s``, POSIX classes and caseless matching follow the C locale (ASCII).  This
package parses PCRE2 syntax itself (so that what PCRE2 rejects is rejected here) into a small
tree, then writes an equivalent pattern for Python's :mod:`re` on ``bytes``.  Written from
PCRE2's documentation (``pcre2pattern``) and checked against the reference library.

Where the two engines differ the tree is written so that Python's ``re`` behaves like PCRE2:
``\\Z``, multi-line ``^`` (no match after a final newline), ``\\B`` on an empty subject, POSIX
classes, ``\\h``/``\\v``/``\\R``/``\\X``, ``\\p{..}`` on Latin-1 code points, option letters set in
the middle of a group, variable-length alternatives of a look-behind, conditions on assertions.
Patterns PCRE2 accepts but ``re`` cannot express (recursion and subroutine calls, backtracking
verbs other than ``(*FAIL)``, ``\\G``, branch reset, duplicate names, forward references and
``(*UTF)``/``(*UCP)``) raise :class:`Unsupported`; DEVIATIONS.md lists them.

Python's ``re`` has no backtracking limit, unlike PCRE2 (whose match limit makes HTCondor return
error).  :mod:`.analysis` computes a pattern's worst-case backtracking growth so that the caller
can refuse to run a pattern whose worst case on a subject of the given length is too expensive
(see :data:`.compiled.MAX_STEPS`).

The modules, in the order a pattern goes through them:

- :mod:`.errors`: the exceptions compilation raises;
- :mod:`.charsets`: byte sets (256-bit masks), POSIX classes, Unicode properties on Latin-1;
- :mod:`.tree`: the nodes of a parsed pattern;
- :mod:`.escapes` and :mod:`.parser`: PCRE2 syntax to a tree (escapes and character classes;
  the grammar of alternatives, quantifiers and groups);
- :mod:`.analysis`: first and follow sets, auto-possessification, worst-case backtracking cost;
- :mod:`.translate`: the tree written as a Python ``re`` pattern;
- :mod:`.matcher`: the step-limited backtracking matcher;
- :mod:`.compiled`: :class:`Compiled`, which chooses how to run each subject, and
  :func:`compile_pcre`.
"""

from __future__ import annotations

from classad.eval.builtins.pcre.compiled import LIMIT, Compiled, compile_pcre
from classad.eval.builtins.pcre.errors import PatternError, Unsupported

__all__ = ["LIMIT", "Compiled", "PatternError", "Unsupported", "compile_pcre"]
