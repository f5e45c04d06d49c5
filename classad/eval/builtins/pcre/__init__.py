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
the middle of a group, variable-length alternatives of a look-behind, conditions on assertions;
atomic groups and possessive repeats without ``re``'s own (CPython 3.10 lacks them, PyPy's are
wrong).  Patterns ``re`` cannot express (recursion and subroutine calls, ``\\G``, branch reset,
some forward references, ``\\K`` in an assertion) or not safely (too deep, or captures ``re`` gets
wrong) run on the backtracking matcher only.  What cannot be run with PCRE2's meaning at all
(backtracking verbs other than ``(*FAIL)``, duplicate names, back references in look-behinds,
``(*UTF)``/``(*UCP)`` and the other start-of-pattern settings that change matching) raises
:class:`Unsupported`; DEVIATIONS.md lists them.

Python's ``re`` has no backtracking limit, unlike PCRE2 (whose match limit makes HTCondor return
error).  :mod:`.cost` estimates a pattern's worst-case backtracking work so that ``re`` runs only
where that stays cheap on the given subject (see :data:`.compiled.MAX_STEPS`); everywhere else the
backtracker runs, with one step budget per search for everything it does.  Nothing recurses in
Python as deep as the pattern is nested or the subject is long.

The modules, in the order a pattern goes through them:

- :mod:`.errors`: the exceptions compilation raises;
- :mod:`.walk`: recursion on an explicit stack, for the walks over a deeply nested tree;
- :mod:`.charsets`: byte sets (256-bit masks), POSIX classes, Unicode properties on Latin-1;
- :mod:`.tree`: the nodes of a parsed pattern;
- :mod:`.escapes` and :mod:`.parser`: PCRE2 syntax to a tree (escapes and character classes;
  the grammar of alternatives, quantifiers and groups, PCRE2's nesting and size limits);
- :mod:`.analysis`: first and follow sets, auto-possessification, minimum length, anchoring;
- :mod:`.cost`: the worst-case backtracking work (polynomial degree, exponential growth);
- :mod:`.translate`: the tree written as a Python ``re`` pattern;
- :mod:`.program` and :mod:`.matcher`: the tree compiled to instructions, and the step-limited
  backtracking matcher that runs them;
- :mod:`.compiled`: :class:`Compiled`, which chooses how to run each subject, HTCondor's
  substitution loop, and :func:`compile_pcre`.
"""

from __future__ import annotations

from classad.eval.builtins.pcre.compiled import Compiled, compile_pcre
from classad.eval.builtins.pcre.errors import PatternError, Unsupported
from classad.eval.builtins.pcre_outcomes import BAD_OFFSET, LIMIT

__all__ = ["BAD_OFFSET", "LIMIT", "Compiled", "PatternError", "Unsupported", "compile_pcre"]
